//! Distances and areas on the WGS84 ellipsoid, for the measure tool.
//!
//! - Distance: Vincenty's inverse formula (Survey Review 23(176), 1975), accurate to well under
//!   a millimetre for any two points that are not nearly antipodal; it falls back to the
//!   great-circle distance on the sphere of mean radius (error under 0.5%) where it does not
//!   converge, which cannot happen within a city.
//! - Area: the ring's vertices are moved to their authalic latitudes and the area is computed
//!   on the authalic sphere, which has the ellipsoid's area (Snyder, "Map projections: a
//!   working manual", 1987, § 3). Edges are taken as lines of the authalic sphere rather than
//!   geodesics: for rings of city size the difference is far below a square metre per km².
//!
//! Web Mercator is never used for a measurement: at Tianjin's latitude it stretches lengths by
//! about 1.29× and areas by about 1.66×.

use crate::coord::LonLat;

/// WGS84 semi-major axis (m) and flattening.
pub const A: f64 = 6_378_137.0;
pub const F: f64 = 1.0 / 298.257_223_563;

/// Geodesic distance in metres between two positions on the WGS84 ellipsoid.
pub fn distance_m(p: LonLat, q: LonLat) -> f64 {
    vincenty(p, q).unwrap_or_else(|| crate::projection::haversine_m(p, q))
}

fn vincenty(p: LonLat, q: LonLat) -> Option<f64> {
    let b = A * (1.0 - F);
    let l = (q.lon - p.lon).to_radians();
    let u1 = ((1.0 - F) * p.lat.to_radians().tan()).atan();
    let u2 = ((1.0 - F) * q.lat.to_radians().tan()).atan();
    let (sin_u1, cos_u1) = u1.sin_cos();
    let (sin_u2, cos_u2) = u2.sin_cos();
    let mut lambda = l;
    for _ in 0..200 {
        let (sin_l, cos_l) = lambda.sin_cos();
        let sin_sigma = ((cos_u2 * sin_l).powi(2) + (cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l).powi(2)).sqrt();
        if sin_sigma == 0.0 {
            return Some(0.0);
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_l;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_l / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        // On the equator cos²α is 0 and the term vanishes.
        let cos_2sm = if cos2_alpha == 0.0 { 0.0 } else { cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha };
        let c = F / 16.0 * cos2_alpha * (4.0 + F * (4.0 - 3.0 * cos2_alpha));
        let previous = lambda;
        lambda = l + (1.0 - c) * F * sin_alpha * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
        if (lambda - previous).abs() < 1e-12 {
            let u_sq = cos2_alpha * (A * A - b * b) / (b * b);
            let big_a = 1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
            let big_b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
            let delta_sigma = big_b
                * sin_sigma
                * (cos_2sm
                    + big_b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
                            - big_b / 6.0 * cos_2sm * (-3.0 + 4.0 * sin_sigma * sin_sigma) * (-3.0 + 4.0 * cos_2sm * cos_2sm)));
            return Some(b * big_a * (sigma - delta_sigma));
        }
    }
    None
}

/// Length of a path in metres along geodesics.
pub fn path_length_m(path: &[LonLat]) -> f64 {
    path.windows(2).map(|w| distance_m(w[0], w[1])).sum()
}

/// First eccentricity squared.
fn e2() -> f64 {
    F * (2.0 - F)
}

/// `q` of Snyder (3-12) for a latitude in radians.
fn q_of(phi: f64) -> f64 {
    let e2 = e2();
    let e = e2.sqrt();
    let s = phi.sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) - 1.0 / (2.0 * e) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

/// Radius of the sphere with the ellipsoid's area, in metres.
pub fn authalic_radius_m() -> f64 {
    A * (q_of(std::f64::consts::FRAC_PI_2) / 2.0).sqrt()
}

/// The authalic latitude (degrees) of a geodetic latitude (degrees).
pub fn authalic_lat(lat: f64) -> f64 {
    let qp = q_of(std::f64::consts::FRAC_PI_2);
    (q_of(lat.to_radians()) / qp).clamp(-1.0, 1.0).asin().to_degrees()
}

/// Area in m² enclosed by a ring (closed or not) on the WGS84 ellipsoid, always positive.
pub fn ring_area_m2(ring: &[LonLat]) -> f64 {
    if ring.len() < 3 {
        return 0.0;
    }
    let r = authalic_radius_m();
    let beta: Vec<f64> = ring.iter().map(|p| authalic_lat(p.lat).to_radians()).collect();
    let n = ring.len();
    let mut total = 0.0;
    for i in 0..n {
        let j = (i + 1) % n;
        // Unwrapped longitude difference, so a ring across ±180° is measured right.
        let mut dl = ring[j].lon - ring[i].lon;
        if dl > 180.0 {
            dl -= 360.0;
        } else if dl < -180.0 {
            dl += 360.0;
        }
        total += dl.to_radians() * (2.0 + beta[i].sin() + beta[j].sin());
    }
    (total * r * r / 2.0).abs()
}

/// A length for people: metres below a kilometre, else kilometres (2 decimals below 100 km).
pub fn format_length(m: f64) -> String {
    if m < 1000.0 {
        format!("{m:.0} m")
    } else if m < 100_000.0 {
        format!("{:.2} km", m / 1000.0)
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

/// An area for people: hectares below a square kilometre (with m² below a hectare), else km².
pub fn format_area(m2: f64) -> String {
    if m2 < 10_000.0 {
        format!("{m2:.0} m²")
    } else if m2 < 1e6 {
        format!("{:.1} ha", m2 / 1e4)
    } else if m2 < 1e8 {
        format!("{:.2} km²", m2 / 1e6)
    } else {
        format!("{:.1} km²", m2 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d.signum() * (d.abs() + m / 60.0 + s / 3600.0)
    }

    #[test]
    fn formats() {
        assert_eq!(format_length(850.4), "850 m");
        assert_eq!(format_length(12_345.0), "12.35 km");
        assert_eq!(format_length(123_456.0), "123.5 km");
        assert_eq!(format_area(420.0), "420 m²");
        assert_eq!(format_area(420_000.0), "42.0 ha");
        assert_eq!(format_area(7.36e8), "736.0 km²");
        assert_eq!(format_area(2.5e6), "2.50 km²");
    }

    #[test]
    fn vincentys_own_example() {
        // Flinders Peak to Buninyong, the worked example of Vincenty (1975) on the
        // International ellipsoid is 54,972.271 m; on WGS84 (Geoscience Australia's
        // calculator, GRS80, the same to a micrometre here) it is 54,972.271 m too.
        let flinders = LonLat::new(dms(144.0, 25.0, 29.5244), -dms(37.0, 57.0, 3.7203));
        let buninyong = LonLat::new(dms(143.0, 55.0, 35.3839), -dms(37.0, 39.0, 10.1561));
        let d = distance_m(flinders, buninyong);
        assert!((d - 54_972.271).abs() < 0.01, "{d}");
    }

    #[test]
    fn distances_with_known_answers() {
        // A degree of latitude at the equator (110,574.389 m on WGS84), and meridian arcs
        // against the integral of the meridian radius M (Simpson's rule).
        let eq = distance_m(LonLat::new(0.0, 0.0), LonLat::new(0.0, 1.0));
        assert!((eq - 110_574.389).abs() < 0.01, "{eq}");
        for lat in [39.0, 89.0] {
            let arc = distance_m(LonLat::new(117.0, lat), LonLat::new(117.0, lat + 1.0));
            let expected = meridian_arc_numeric(lat, lat + 1.0);
            assert!((arc - expected).abs() < 0.001, "{lat}: {arc} vs {expected}");
        }
        // A degree of longitude along the equator: a circle of radius A.
        let along = distance_m(LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0));
        assert!((along - A * 1f64.to_radians()).abs() < 1e-6, "{along}");
        assert_eq!(distance_m(LonLat::new(117.2, 39.1), LonLat::new(117.2, 39.1)), 0.0);
        // Symmetric, and the sphere is within 0.5% in Tianjin.
        let (a, b) = (LonLat::new(117.2, 39.1), LonLat::new(117.7, 38.9));
        assert!((distance_m(a, b) - distance_m(b, a)).abs() < 1e-6);
        let sphere = crate::projection::haversine_m(a, b);
        assert!((distance_m(a, b) / sphere - 1.0).abs() < 0.005);
        assert!((path_length_m(&[a, b, a]) - 2.0 * distance_m(a, b)).abs() < 1e-6);
    }

    fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
        let steps = 2000;
        let h = (b - a) / f64::from(steps);
        let mut s = f(a) + f(b);
        for i in 1..steps {
            s += f(a + h * f64::from(i)) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0
    }

    fn meridian_arc_numeric(lat0: f64, lat1: f64) -> f64 {
        let e2 = e2();
        simpson(|phi: f64| A * (1.0 - e2) / (1.0 - e2 * phi.sin().powi(2)).powf(1.5), lat0.to_radians(), lat1.to_radians())
    }

    /// The ellipsoid's area between two latitudes over a span of longitude, by integrating
    /// M·N·cos φ numerically (Simpson's rule): a check independent of the authalic sphere.
    fn cell_area_numeric(lat0: f64, lat1: f64, dlon: f64) -> f64 {
        let e2 = e2();
        let f = |phi: f64| {
            let w = 1.0 - e2 * phi.sin().powi(2);
            let m = A * (1.0 - e2) / w.powf(1.5);
            let n = A / w.sqrt();
            m * n * phi.cos()
        };
        simpson(f, lat0.to_radians(), lat1.to_radians()) * dlon.to_radians()
    }

    #[test]
    fn areas_with_known_answers() {
        // The authalic radius of WGS84 is 6,371,007.181 m (Snyder, table 1 gives 6,371,007 m).
        assert!((authalic_radius_m() - 6_371_007.181).abs() < 0.01, "{}", authalic_radius_m());
        // A 0.1° cell at Tianjin's latitude, and a 1° cell at the equator; a band's edges
        // along parallels are the same lines on the authalic sphere, so these agree closely.
        for (lat0, lon0, size) in [(39.0, 117.0, 0.1), (0.0, 0.0, 1.0), (60.0, 10.0, 0.5)] {
            let ring = [
                LonLat::new(lon0, lat0),
                LonLat::new(lon0 + size, lat0),
                LonLat::new(lon0 + size, lat0 + size),
                LonLat::new(lon0, lat0 + size),
            ];
            let a = ring_area_m2(&ring);
            let expected = cell_area_numeric(lat0, lat0 + size, size);
            assert!((a / expected - 1.0).abs() < 1e-6, "{lat0}: {a} vs {expected}");
        }
        // Closed or open, clockwise or not: the same area; fewer than 3 points: none.
        let ring = [LonLat::new(117.0, 39.0), LonLat::new(117.1, 39.0), LonLat::new(117.1, 39.1)];
        let closed = [ring[0], ring[1], ring[2], ring[0]];
        let reversed = [ring[2], ring[1], ring[0]];
        assert!((ring_area_m2(&ring) - ring_area_m2(&closed)).abs() < 1e-6);
        assert!((ring_area_m2(&ring) - ring_area_m2(&reversed)).abs() < 1e-6);
        assert_eq!(ring_area_m2(&ring[..2]), 0.0);
        // Across the antimeridian.
        let across = [LonLat::new(179.95, 0.0), LonLat::new(-179.95, 0.0), LonLat::new(-179.95, 0.1), LonLat::new(179.95, 0.1)];
        let same = [LonLat::new(-0.05, 0.0), LonLat::new(0.05, 0.0), LonLat::new(0.05, 0.1), LonLat::new(-0.05, 0.1)];
        assert!((ring_area_m2(&across) / ring_area_m2(&same) - 1.0).abs() < 1e-9);
    }
}
