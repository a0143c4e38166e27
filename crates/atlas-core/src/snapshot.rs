//! A static picture of the first view.
//!
//! [`picture`] draws the default layers as one SVG at build time, painted as the map paints
//! them ([`crate::style`], re-exported here for older paths): the page shows that picture
//! until the app has drawn the live map in the same place (see `site::insert_boot_screen`).
//! The picture has no text and no links: only shapes, with every attribute value escaped, and
//! it is hidden from assistive technology (the live map is what they read).

use crate::coord::{LonLat, MercatorBox, UNITS_PER_METRE};
use crate::layer::{Feature, Geometry, LoadedLayer};
use crate::manifest::{LayerInfo, LayerKind, Manifest};
pub use crate::style::{hatch, hatch_pattern, paint, point_radius_px, Paint};
pub use crate::svg::attr;
use crate::svg::{num, to_drawing};

/// Resolution of the picture, in drawing units (km): a tenth of a kilometre is under a pixel
/// with all of Tianjin on a 1080p screen.
const STEP: f64 = 0.1;

/// The default layers (`layers`, bottom first) as one SVG: areas, then lines, then points, as
/// the map draws them; `viewBox` the union of their bounds, so that with `xMidYMid meet` and
/// the map's padding as CSS padding it frames the same view the map fits at start.
/// `map_height_px` sizes the point symbols (the map's height on a desktop screen).
/// `None` when no layer has a feature.
pub fn picture(m: &Manifest, layers: &[(&LayerInfo, &LoadedLayer)], map_height_px: f64) -> Option<String> {
    let bounds = layers.iter().filter_map(|(_, l)| l.mercator_bounds()).reduce(MercatorBox::union)?;
    let (x0, y0) = (bounds.min.x * UNITS_PER_METRE, -bounds.max.y * UNITS_PER_METRE);
    let (w, h) = (bounds.width() * UNITS_PER_METRE, bounds.height() * UNITS_PER_METRE);
    let mpp = bounds.height() / map_height_px.max(100.0);
    let r = point_radius_px(mpp) * mpp * UNITS_PER_METRE;
    let mut out = String::new();
    out.push_str(&format!(
        "<svg class=\"boot-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" preserveAspectRatio=\"xMidYMid meet\" aria-hidden=\"true\" focusable=\"false\">",
        num(x0),
        num(y0),
        num(w),
        num(h)
    ));
    out.push_str("<defs>");
    for (info, _) in layers.iter().filter(|(i, _)| i.kind == LayerKind::Plan) {
        out.push_str(&hatch_pattern(info, mpp));
    }
    out.push_str("</defs>");
    for pass in 0..3 {
        for (info, layer) in layers {
            let features: Vec<&Feature> = layer.features.iter().filter(|f| pass_of(&f.geometry) == pass).collect();
            if features.is_empty() {
                continue;
            }
            out.push_str("<g>");
            for f in features {
                feature(&mut out, m, info, f, r);
            }
            out.push_str("</g>");
        }
    }
    out.push_str("</svg>");
    Some(out)
}

fn pass_of(g: &Geometry) -> u8 {
    match g {
        Geometry::Polygons(_) => 0,
        Geometry::Lines(_) => 1,
        Geometry::Points(_) | Geometry::Unlocated => 2,
    }
}

fn feature(out: &mut String, m: &Manifest, info: &LayerInfo, f: &Feature, r: f64) {
    let p = paint(m, info, f);
    let dash = p.dash.as_deref().map(|d| format!(" stroke-dasharray=\"{}\"", attr(d))).unwrap_or_default();
    let common = format!(
        "fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-opacity=\"{}\"{dash} vector-effect=\"non-scaling-stroke\"",
        attr(&p.fill),
        num(p.fill_opacity),
        attr(&p.stroke),
        num(p.stroke_opacity)
    );
    match &f.geometry {
        Geometry::Points(pts) => {
            out.push_str(&format!("<g {common} stroke-width=\"1.5\">"));
            for &pt in pts {
                let (x, y) = to_drawing(pt);
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" vector-effect=\"non-scaling-stroke\"/>",
                    num(x),
                    num(y),
                    num(r)
                ));
            }
            out.push_str("</g>");
        }
        Geometry::Lines(lines) => {
            let mut d = String::new();
            for l in lines {
                run(&mut d, l, false);
            }
            out.push_str(&format!("<path d=\"{d}\" {common} stroke-width=\"{}\"/>", num(p.stroke_width)));
        }
        Geometry::Polygons(polys) => {
            let mut d = String::new();
            for ring in polys.iter().flatten() {
                run(&mut d, ring, true);
            }
            out.push_str(&format!("<path d=\"{d}\" fill-rule=\"evenodd\" {common} stroke-width=\"{}\"/>", num(p.stroke_width)));
        }
        Geometry::Unlocated => {}
    }
}

/// One line or ring in drawing units at [`STEP`] resolution: points closer than a step to the
/// last one kept are left out (a ring keeps at least its first three points).
fn run(d: &mut String, pts: &[LonLat], close: bool) {
    let q: Vec<(i64, i64)> =
        pts.iter().map(|&p| to_drawing(p)).map(|(x, y)| ((x / STEP).round() as i64, (y / STEP).round() as i64)).collect();
    let mut kept: Vec<(i64, i64)> = Vec::with_capacity(q.len());
    for (i, &p) in q.iter().enumerate() {
        let last = i + 1 == q.len();
        match kept.last() {
            Some(&k) if k == p => continue,
            Some(&k) if !last && (k.0 - p.0).abs() <= 1 && (k.1 - p.1).abs() <= 1 => continue,
            _ => kept.push(p),
        }
    }
    if close && kept.len() < 3 {
        kept = q;
        kept.dedup();
    }
    if kept.len() < 2 {
        return;
    }
    // Absolute start, then relative steps: short numbers, and runs that repeat compress well.
    let n = if close && kept.len() > 1 && kept.first() == kept.last() { kept.len() - 1 } else { kept.len() };
    let (mut px, mut py) = kept[0];
    d.push('M');
    d.push_str(&tenths(px));
    push_signed(d, py);
    for (i, &(x, y)) in kept.iter().enumerate().take(n).skip(1) {
        if i == 1 {
            d.push('l');
            d.push_str(&tenths(x - px));
        } else {
            push_signed(d, x - px);
        }
        push_signed(d, y - py);
        (px, py) = (x, y);
    }
    if close {
        d.push('Z');
    }
}

/// A number after another: a space unless its minus sign separates it.
fn push_signed(d: &mut String, v: i64) {
    if v >= 0 {
        d.push(' ');
    }
    d.push_str(&tenths(v));
}

/// An integer count of tenths written as a short decimal ("-12.3", "7", ".5", "-.5").
fn tenths(v: i64) -> String {
    let (sign, a) = (if v < 0 { "-" } else { "" }, v.unsigned_abs());
    match (a / 10, a % 10) {
        (i, 0) => format!("{sign}{i}"),
        (0, f) => format!("{sign}.{f}"),
        (i, f) => format!("{sign}{i}.{f}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::parse_layer;
    use crate::manifest::Manifest;

    fn manifest() -> Manifest {
        Manifest::parse(include_str!("../../../public/data/manifest.json")).expect("the shipped manifest parses")
    }

    fn layer(json: &str) -> LoadedLayer {
        parse_layer(json).expect("layer parses")
    }

    const AREA: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Polygon","coordinates":[[[117.0,39.0],[117.5,39.0],[117.5,39.4],[117.0001,39.4],[117.0,39.4],[117.0,39.0]]]},"properties":{"layer":"x","name_zh":"甲","name_en":"A","status":"planned","precision":"schematic","precision_note":"n","excerpts":[]}}]}"#;

    #[test]
    fn frames_the_union_of_the_layers_and_draws_areas_before_points() {
        let m = manifest();
        let eco = m.layer("eco-barrier").expect("eco-barrier layer").clone();
        let area = layer(AREA);
        let station = layer(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[117.2,39.2]},"properties":{"layer":"x","name_zh":"站","name_en":"S","status":"existing","precision":"approximate","precision_note":"n","excerpts":[]}}]}"#,
        );
        // The point layer comes first (bottom) but is drawn after the area.
        let svg = picture(&m, &[(&eco, &station), (&eco, &area)], 700.0).expect("a picture");
        assert!(svg.find("<circle").expect("a circle") > svg.find("<path").expect("a path"));
        let (x0, y0) = to_drawing(LonLat::new(117.0, 39.4));
        let (x1, y1) = to_drawing(LonLat::new(117.5, 39.0));
        let vb = format!("viewBox=\"{} {} {} {}\"", num(x0), num(y0), num(x1 - x0), num(y1 - y0));
        assert!(svg.contains(&vb), "{vb} in {svg}");
        // Schematic areas of plan layers are hatched and dashed, as on the map.
        assert!(svg.contains("fill=\"url(#hatch-eco-barrier)\""));
        assert!(svg.contains("<pattern id=\"hatch-eco-barrier\""));
        assert!(svg.contains("stroke-dasharray="));
        assert!(svg.contains("aria-hidden=\"true\""));
        // The vertex a few metres from a corner is left out: four corners, one move and
        // three relative steps.
        let d = svg.split(" d=\"").nth(1).and_then(|x| x.split('"').next()).expect("path data");
        assert!(d.starts_with('M') && d.ends_with('Z') && d.matches('l').count() == 1, "{d}");
        let numbers: Vec<f64> = d
            .trim_start_matches('M')
            .trim_end_matches('Z')
            .replace('l', " ")
            .replace('-', " -")
            .split_whitespace()
            .map(|x| x.parse().expect("a number"))
            .collect();
        assert_eq!(numbers.len(), 8, "{d}");
        // Relative steps round a rectangle: east, north (y is down), west.
        assert!(numbers[2] > 1.0 && numbers[3] == 0.0 && numbers[4] == 0.0 && numbers[5] < -1.0, "{d}");
        assert!(numbers[6] == -numbers[2] && numbers[7] == 0.0, "{d}");
    }

    #[test]
    fn attribute_values_from_data_are_escaped() {
        let m = manifest();
        let mut eco = m.layer("eco-barrier").expect("eco-barrier layer").clone();
        eco.style.stroke = "red\"/><script>alert(1)</script>".into();
        eco.id = "x\"y".into();
        let svg = picture(&m, &[(&eco, &layer(AREA))], 700.0).expect("a picture");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("red&quot;/&gt;&lt;script&gt;"));
        assert!(svg.contains("hatch-x&quot;y"));
    }

    #[test]
    fn no_features_no_picture() {
        let m = manifest();
        let eco = m.layer("eco-barrier").expect("eco-barrier layer").clone();
        let empty = layer(r#"{"type":"FeatureCollection","features":[]}"#);
        assert_eq!(picture(&m, &[(&eco, &empty)], 700.0), None);
    }

    #[test]
    fn tenths_are_written_without_float_noise() {
        assert_eq!(tenths(-123), "-12.3");
        assert_eq!(tenths(70), "7");
        assert_eq!(tenths(-5), "-.5");
        assert_eq!(tenths(0), "0");
        assert_eq!(num(0.475), "0.475");
        assert_eq!(num(1.0), "1");
    }
}
