//! GCJ-02, the obfuscated datum of Chinese web maps, and its inverse (WGS84 is what we ship).
//!
//! The forward formula is the widely published public one (Krasovsky ellipsoid constants);
//! the inverse is found by fixed-point iteration to 1e-9°. Plan Atlas never ships GCJ-02: this
//! module exists so the data tools can convert registry data and the tests can build an
//! unconverted layer on purpose and prove the validator rejects it.

use crate::coord::LonLat;

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn t_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn t_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02.
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    use std::f64::consts::PI;
    let dlat = t_lat(p.lon - 105.0, p.lat - 35.0);
    let dlon = t_lon(p.lon - 105.0, p.lat - 35.0);
    let rad = p.lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin().powi(2);
    let sq = magic.sqrt();
    LonLat { lon: p.lon + (dlon * 180.0) / (A / sq * rad.cos() * PI), lat: p.lat + (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sq) * PI) }
}

/// GCJ-02 → WGS84 by iteration.
pub fn gcj02_to_wgs84(g: LonLat) -> LonLat {
    let mut w = g;
    for _ in 0..30 {
        let f = wgs84_to_gcj02(w);
        let (dl, dt) = (f.lon - g.lon, f.lat - g.lat);
        w.lon -= dl;
        w.lat -= dt;
        if dl.abs() < 1e-9 && dt.abs() < 1e-9 {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::haversine_m;

    #[test]
    fn offset_around_tianjin_matches_data_md() {
        // DATA.md: about 520 m east and 120–210 m north around Tianjin.
        let w = LonLat::new(117.2, 39.13);
        let g = wgs84_to_gcj02(w);
        let east = haversine_m(w, LonLat::new(g.lon, w.lat));
        let north = haversine_m(w, LonLat::new(w.lon, g.lat));
        assert!(g.lon > w.lon && g.lat > w.lat);
        assert!((450.0..600.0).contains(&east), "{east}");
        assert!((100.0..230.0).contains(&north), "{north}");
    }

    #[test]
    fn inverse_round_trip() {
        for w in [LonLat::new(117.2, 39.13), LonLat::new(117.7, 38.9), LonLat::new(117.4, 40.1)] {
            let back = gcj02_to_wgs84(wgs84_to_gcj02(w));
            assert!((back.lon - w.lon).abs() < 1e-8 && (back.lat - w.lat).abs() < 1e-8, "{back:?}");
        }
    }
}
