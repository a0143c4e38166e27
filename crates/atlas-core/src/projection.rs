//! The Web Mercator projection (EPSG:3857, spherical, R = 6 378 137 m) and great-circle distance.
//!
//! The coordinate types live in [`crate::coord`] and are re-exported here: `LonLat` is WGS84
//! degrees as in RFC 7946, `Mercator` is EPSG:3857 metres. The map draws in
//! Mercator metres once, at load time; pan and zoom only change the SVG view box, so no
//! geometry is re-projected per frame.

pub use crate::coord::{LonLat, Mercator};

/// Earth radius used by EPSG:3857.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Web Mercator's latitude limit: the square world ends here.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// LonLat → Mercator. Latitudes beyond ±85.0511° are clamped to the Mercator square.
pub fn project(p: LonLat) -> Mercator {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    Mercator { x: EARTH_RADIUS_M * p.lon.to_radians(), y: EARTH_RADIUS_M * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() }
}

/// Mercator → LonLat, the exact inverse of [`project`] inside the Mercator square.
pub fn unproject(m: Mercator) -> LonLat {
    LonLat {
        lon: (m.x / EARTH_RADIUS_M).to_degrees(),
        lat: (2.0 * (m.y / EARTH_RADIUS_M).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
    }
}

/// Great-circle distance in metres (haversine on the WGS84 mean radius 6 371 008.8 m).
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn round_trip_tianjin() {
        for p in [
            LonLat::new(117.2, 39.13),
            LonLat::new(116.7, 38.55),
            LonLat::new(118.05, 40.25),
            LonLat::new(0.0, 0.0),
            LonLat::new(-179.9, -60.0),
        ] {
            let q = unproject(project(p));
            assert_abs_diff_eq!(p.lon, q.lon, epsilon = 1e-9);
            assert_abs_diff_eq!(p.lat, q.lat, epsilon = 1e-9);
        }
    }

    #[test]
    fn known_values() {
        // EPSG:3857 reference: 180° E is half the equator.
        assert_abs_diff_eq!(project(LonLat::new(180.0, 0.0)).x, 20_037_508.342_789_244, epsilon = 1e-6);
        assert_abs_diff_eq!(project(LonLat::new(0.0, MAX_LAT)).y, 20_037_508.342_789_244, epsilon = 1e-3);
    }

    #[test]
    fn poles_are_clamped_not_infinite() {
        let m = project(LonLat::new(10.0, 90.0));
        assert!(m.y.is_finite());
        assert_abs_diff_eq!(unproject(m).lat, MAX_LAT, epsilon = 1e-9);
    }

    #[test]
    fn haversine_one_degree_of_latitude() {
        let d = haversine_m(LonLat::new(117.0, 39.0), LonLat::new(117.0, 40.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }
}
