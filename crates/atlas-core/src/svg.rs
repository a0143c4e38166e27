//! SVG path building. Geometry is projected to Web Mercator once and written in fixed drawing
//! units (kilometres, y down) so that pan and zoom only change the `viewBox`.

use crate::coord::LonLat;
pub use crate::coord::UNITS_PER_METRE;
use crate::layer::Geometry;
use crate::projection::project;

/// Drawing coordinates of a position (x east, y down).
pub fn to_drawing(p: LonLat) -> (f64, f64) {
    let m = project(p);
    (m.x * UNITS_PER_METRE, -m.y * UNITS_PER_METRE)
}

/// Writes `v` rounded to 3 decimals, without trailing zeros ("12.5", "-0.001", "7"). Integer
/// arithmetic: float formatting is the slowest part of building paths in wasm.
fn push_num(out: &mut String, v: f64) {
    let milli = (v * 1000.0).round();
    if !milli.is_finite() || milli.abs() >= 9.0e15 {
        out.push('0');
        return;
    }
    let milli = milli as i64;
    if milli < 0 {
        out.push('-');
    }
    let (int, frac) = (milli.unsigned_abs() / 1000, milli.unsigned_abs() % 1000);
    push_u64(out, int);
    if frac != 0 {
        out.push('.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let last = if frac % 100 == 0 {
            1
        } else if frac % 10 == 0 {
            2
        } else {
            3
        };
        for d in &digits[..last] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
}

/// `v` as [`push_num`] writes it, for attribute values.
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// `s` escaped for a double-quoted attribute value.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

fn push_run(out: &mut String, pts: &[LonLat], close: bool) {
    for (i, p) in pts.iter().enumerate() {
        if close && i + 1 == pts.len() && i > 0 && pts[0] == *p {
            break;
        }
        let (x, y) = to_drawing(*p);
        out.push(if i == 0 { 'M' } else { 'L' });
        push_num(out, x);
        out.push(' ');
        push_num(out, y);
    }
    if close {
        out.push('Z');
    }
}

/// Path data (`d`) for lines and polygons; `None` for points, which are drawn as symbols.
pub fn path_data(g: &Geometry) -> Option<String> {
    let mut d = String::new();
    match g {
        Geometry::Points(_) | Geometry::Unlocated => return None,
        Geometry::Lines(lines) => lines.iter().for_each(|l| push_run(&mut d, l, false)),
        Geometry::Polygons(polys) => polys.iter().flatten().for_each(|r| push_run(&mut d, r, true)),
    }
    Some(d)
}

/// Path data for circles of `radius_m` metres on the ground around each position (in
/// drawing units: Web Mercator stretches distances by 1 / cos(latitude)). One path, filled
/// with the nonzero rule, draws their union: overlaps are not darker.
pub fn catchments_path(centres: &[LonLat], radius_m: f64) -> String {
    let mut d = String::new();
    for c in centres {
        let (x, y) = to_drawing(*c);
        let r = radius_m / c.lat.to_radians().cos() * UNITS_PER_METRE;
        d.push('M');
        push_num(&mut d, x - r);
        d.push(',');
        push_num(&mut d, y);
        for dx in [2.0 * r, -2.0 * r] {
            d.push('a');
            push_num(&mut d, r);
            d.push(',');
            push_num(&mut d, r);
            d.push_str(" 0 1,0 ");
            push_num(&mut d, dx);
            d.push_str(",0");
        }
        d.push('Z');
    }
    d
}

/// One path drawing a dot at each position (`M x,y h0`: a zero-length run shows as a dot
/// with round caps, its stroke width the dot's size): a large layer's points as one element.
pub fn dots_path(points: &[(f64, f64)]) -> String {
    let mut d = String::with_capacity(points.len() * 20);
    for (x, y) in points {
        d.push('M');
        push_num(&mut d, *x);
        d.push(',');
        push_num(&mut d, *y);
        d.push_str("h0");
    }
    d
}

/// `x,y` of each point for symbol placement.
pub fn point_positions(g: &Geometry) -> Vec<(f64, f64)> {
    match g {
        Geometry::Points(p) => p.iter().map(|p| to_drawing(*p)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catchments_are_circles_of_ground_metres() {
        let c = LonLat::new(117.2, 39.1);
        let d = catchments_path(&[c, c], 600.0);
        assert_eq!(d.matches('M').count(), 2);
        // 600 m on the ground is 600 / cos(39.1°) ≈ 773.5 Mercator metres: 0.774 units.
        let (x, _) = to_drawing(c);
        let start: f64 = d[1..d.find(',').expect("a comma")].parse().expect("a number");
        assert!((x - start - 0.7735).abs() < 0.002, "{}", x - start);
        assert!(catchments_path(&[], 600.0).is_empty());
    }

    #[test]
    fn polygon_path_is_closed_and_drops_the_repeated_point() {
        let ring = vec![LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0), LonLat::new(1.0, 1.0), LonLat::new(0.0, 0.0)];
        let d = path_data(&Geometry::Polygons(vec![vec![ring]])).expect("path");
        assert_eq!(d.matches('M').count(), 1);
        assert_eq!(d.matches('L').count(), 2);
        assert!(d.starts_with("M0 0L111.319 0L111.319 -111.325"), "{d}");
        assert!(d.ends_with('Z'));
    }

    #[test]
    fn numbers_are_written_like_fixed_three_decimals_trimmed() {
        for v in [0.0, -0.0, 0.0004, -0.0004, 0.0005, 1.0, -1.5, 12.345, 12.3456, -13024.3804, 0.01, 100.1, 9.9996, -0.001, 123456.7] {
            let mut got = String::new();
            push_num(&mut got, v);
            let want = format!("{v:.3}");
            let want = want.trim_end_matches('0').trim_end_matches('.');
            let want = if want == "-0" { "0" } else { want };
            // format! rounds half to even on the binary value; both agree on these inputs.
            assert_eq!(got, want, "{v}");
        }
    }

    #[test]
    fn lines_and_points() {
        let g = Geometry::Lines(vec![vec![LonLat::new(0.0, 0.0), LonLat::new(0.0, 1.0)]]);
        assert!(!path_data(&g).expect("path").contains('Z'));
        let p = Geometry::Points(vec![LonLat::new(117.0, 39.0)]);
        assert!(path_data(&p).is_none());
        let (x, y) = point_positions(&p)[0];
        assert!((x - 13024.380).abs() < 0.01 && y < 0.0, "{x} {y}");
    }
}
