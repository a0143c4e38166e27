//! Geometry on WGS84 positions: point-in-polygon, distances to lines, ring winding (RFC 7946
//! § 3.1.6: exterior rings counter-clockwise), and areas and lengths on the ellipsoid
//! (`geodesy`).

use crate::coord::LonLat;

const R_MEAN_M: f64 = 6_371_008.8;

/// Signed planar area of a ring in square degrees: positive when counter-clockwise.
pub fn ring_signed_area_deg2(ring: &[LonLat]) -> f64 {
    ring.windows(2).map(|w| w[0].lon * w[1].lat - w[1].lon * w[0].lat).sum::<f64>() / 2.0
}

/// True when the ring runs counter-clockwise (the RFC 7946 right-hand rule for exteriors).
pub fn is_ccw(ring: &[LonLat]) -> bool {
    ring_signed_area_deg2(ring) > 0.0
}

/// Area of a ring on the WGS84 ellipsoid in m², always positive (`geodesy::ring_area_m2`).
pub fn ring_area_m2(ring: &[LonLat]) -> f64 {
    crate::geodesy::ring_area_m2(ring)
}

/// Area of a polygon (outer ring minus holes) in m².
pub fn polygon_area_m2(rings: &[Vec<LonLat>]) -> f64 {
    let mut it = rings.iter();
    let outer = it.next().map(|r| ring_area_m2(r)).unwrap_or(0.0);
    (outer - it.map(|r| ring_area_m2(r)).sum::<f64>()).max(0.0)
}

/// Length of a line in metres along geodesics of the WGS84 ellipsoid.
pub fn line_length_m(line: &[LonLat]) -> f64 {
    crate::geodesy::path_length_m(line)
}

/// Even-odd point-in-ring test.
pub fn ring_contains(ring: &[LonLat], p: LonLat) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Inside the outer ring and outside every hole.
pub fn polygon_contains(rings: &[Vec<LonLat>], p: LonLat) -> bool {
    match rings.split_first() {
        Some((outer, holes)) => ring_contains(outer, p) && !holes.iter().any(|h| ring_contains(h, p)),
        None => false,
    }
}

/// Shortest distance in metres from `p` to the polyline, using a local equirectangular
/// approximation (accurate to well under 1% over the few kilometres it is used for).
pub fn distance_to_line_m(line: &[LonLat], p: LonLat) -> f64 {
    let k = p.lat.to_radians().cos();
    let to_xy = |q: LonLat| ((q.lon - p.lon).to_radians() * k * R_MEAN_M, (q.lat - p.lat).to_radians() * R_MEAN_M);
    if line.len() == 1 {
        let (x, y) = to_xy(line[0]);
        return x.hypot(y);
    }
    line.windows(2)
        .map(|w| {
            let (ax, ay) = to_xy(w[0]);
            let (bx, by) = to_xy(w[1]);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
            (ax + t * dx).hypot(ay + t * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

/// Whether a tap at `p` reaches the shape: inside a polygon, or within `reach_m` metres of a
/// line or a point (a large layer drawn as a few joined paths is hit-tested with this, not
/// by the browser's elements).
pub fn hits(g: &crate::layer::Geometry, p: LonLat, reach_m: f64) -> bool {
    use crate::layer::Geometry;
    match g {
        Geometry::Polygons(polys) => polys.iter().any(|rings| polygon_contains(rings, p)),
        Geometry::Lines(lines) => lines.iter().any(|l| distance_to_line_m(l, p) <= reach_m),
        Geometry::Points(points) => points.iter().any(|q| distance_to_line_m(std::slice::from_ref(q), p) <= reach_m),
        Geometry::Unlocated => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lon: f64, lat: f64, d: f64) -> Vec<LonLat> {
        vec![
            LonLat::new(lon, lat),
            LonLat::new(lon + d, lat),
            LonLat::new(lon + d, lat + d),
            LonLat::new(lon, lat + d),
            LonLat::new(lon, lat),
        ]
    }

    #[test]
    fn winding() {
        let s = square(117.0, 39.0, 0.1);
        assert!(is_ccw(&s));
        let mut r = s.clone();
        r.reverse();
        assert!(!is_ccw(&r));
    }

    #[test]
    fn area_of_a_tenth_degree_square_at_39n() {
        // 0.1° × 0.1° at 39.05° N: 11.12 km × 8.64 km ≈ 96.1 km².
        let a = ring_area_m2(&square(117.0, 39.0, 0.1)) / 1e6;
        assert!((a - 96.1).abs() < 0.5, "{a}");
        let with_hole = polygon_area_m2(&[square(117.0, 39.0, 0.1), square(117.02, 39.02, 0.05)]);
        assert!((with_hole / 1e6 - 72.0).abs() < 0.5, "{with_hole}");
    }

    #[test]
    fn contains() {
        let s = square(117.0, 39.0, 0.1);
        assert!(ring_contains(&s, LonLat::new(117.05, 39.05)));
        assert!(!ring_contains(&s, LonLat::new(117.15, 39.05)));
        let holed = vec![s.clone(), square(117.02, 39.02, 0.05)];
        assert!(!polygon_contains(&holed, LonLat::new(117.04, 39.04)));
        assert!(polygon_contains(&holed, LonLat::new(117.01, 39.01)));
        assert!(!polygon_contains(&[], LonLat::new(0.0, 0.0)));
    }

    #[test]
    fn distance_to_segment() {
        let line = vec![LonLat::new(117.0, 39.0), LonLat::new(117.1, 39.0)];
        // 0.01° of latitude ≈ 1112 m.
        let d = distance_to_line_m(&line, LonLat::new(117.05, 39.01));
        assert!((d - 1112.0).abs() < 5.0, "{d}");
        let beyond = distance_to_line_m(&line, LonLat::new(117.1, 39.01));
        assert!((beyond - 1112.0).abs() < 5.0, "{beyond}");
    }

    #[test]
    fn length() {
        // 0.1° of latitude at 39° N on the ellipsoid: 11,101.6 m (a sphere of mean radius
        // would say 11,119.5 m, 0.16% more).
        let l = line_length_m(&[LonLat::new(117.0, 39.0), LonLat::new(117.0, 39.1)]);
        assert!((l - 11_101.6).abs() < 0.5, "{l}");
    }

    #[test]
    fn a_tap_hits_areas_inside_and_lines_and_points_within_reach() {
        use crate::layer::Geometry;
        let sq = vec![vec![
            LonLat::new(117.0, 39.0),
            LonLat::new(117.1, 39.0),
            LonLat::new(117.1, 39.1),
            LonLat::new(117.0, 39.1),
            LonLat::new(117.0, 39.0),
        ]];
        let area = Geometry::Polygons(vec![sq]);
        assert!(hits(&area, LonLat::new(117.05, 39.05), 0.0));
        assert!(!hits(&area, LonLat::new(117.15, 39.05), 1000.0), "an area is hit inside only");
        let line = Geometry::Lines(vec![vec![LonLat::new(117.0, 39.0), LonLat::new(117.1, 39.0)]]);
        // 0.0001° of latitude is about 11 m.
        assert!(hits(&line, LonLat::new(117.05, 39.0001), 20.0));
        assert!(!hits(&line, LonLat::new(117.05, 39.001), 20.0));
        let point = Geometry::Points(vec![LonLat::new(117.2, 39.1)]);
        assert!(hits(&point, LonLat::new(117.2, 39.1001), 20.0));
        assert!(!hits(&point, LonLat::new(117.2, 39.101), 20.0));
        assert!(!hits(&Geometry::Unlocated, LonLat::new(117.2, 39.1), 1e9));
    }
}
