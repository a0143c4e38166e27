//! Paint and hatching shared by the live map and the first-view picture ([`crate::snapshot`]).
//!
//! [`paint`] turns the manifest's styles into a feature's colours and dashes; [`hatch`] and
//! [`hatch_pattern`] draw schematic areas with a tile sized in screen pixels, and
//! [`point_radius_px`] sizes point symbols by scale. Values are SVG attribute values.

use crate::layer::{Feature, Geometry};
use crate::manifest::{LayerInfo, LayerKind, Manifest};
use crate::svg::attr;

/// Colours and dashes of one feature, from the manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Paint {
    pub fill: String,
    pub fill_opacity: f64,
    pub stroke: String,
    pub stroke_opacity: f64,
    pub stroke_width: f64,
    pub dash: Option<String>,
}

/// The paint of `f` in layer `info`: the layer's style, dimmed by status for plan layers,
/// coloured by a number for choropleth layers, hatched and dashed by precision.
pub fn paint(m: &Manifest, info: &LayerInfo, f: &Feature) -> Paint {
    let props = &f.props;
    let status = m.status_styles.get(props.status.as_str());
    let (k, stroke_k) = match info.kind {
        LayerKind::Context | LayerKind::User => (1.0, 1.0),
        LayerKind::Plan => status.map_or((1.0, 1.0), |s| (s.opacity, s.stroke_opacity)),
    };
    let mut fill = info.style.fill.clone();
    if let Some(c) = &info.choropleth {
        if let Some(v) = props.numbers.iter().find(|n| n.label_en == c.number) {
            if let Some(colour) = c.colour(v.value) {
                fill = colour.to_string();
            }
        }
    }
    // A user's own file is drawn as it is: no plan precision classes.
    let precision = m.precision_styles.get(props.precision.as_str()).filter(|_| info.kind != LayerKind::User);
    let is_polygon = matches!(f.geometry, Geometry::Polygons(_));
    if is_polygon && info.choropleth.is_none() && precision.is_some_and(|p| p.hatch) {
        fill = format!("url(#hatch-{})", info.id);
    }
    if matches!(f.geometry, Geometry::Lines(_)) {
        fill = "none".into();
    }
    Paint {
        fill,
        fill_opacity: if is_polygon { info.style.fill_opacity * k } else { 0.95 * k.max(0.35) },
        stroke: info.style.stroke.clone(),
        stroke_opacity: stroke_k,
        stroke_width: info.style.stroke_width,
        dash: precision.and_then(|p| p.dash.clone()),
    }
}

/// Radius of point symbols in CSS pixels: 3 px with all of Tianjin in view, growing to 7 px
/// at district and street scale, so dense stations stay readable at every zoom.
pub fn point_radius_px(metres_per_px: f64) -> f64 {
    let t = ((200.0f64.ln() - metres_per_px.max(1.0).ln()) / (200.0f64.ln() - 15.0f64.ln())).clamp(0.0, 1.0);
    3.0 + 4.0 * t
}

/// The hatch of schematic areas: a tile of `SIZE_PX` screen pixels, turned by `TRANSFORM`,
/// washed with the layer's fill at `FILL_OPACITY` and crossed by a line of `LINE_PX` in its
/// stroke colour. Sized in pixels so that it reads the same at city and street scale; the map
/// and the first-view picture both draw it.
pub mod hatch {
    use crate::coord::UNITS_PER_METRE;

    pub const SIZE_PX: f64 = 4.5;
    pub const LINE_PX: f64 = 1.3;
    pub const TRANSFORM: &str = "rotate(45)";
    pub const FILL_OPACITY: &str = "0.25";

    /// Tile size and line width in drawing units at `metres_per_px`.
    pub fn in_units(metres_per_px: f64) -> (String, String) {
        // Finer than the paths' metre: at street scale a line is a few metres wide.
        let k = metres_per_px * UNITS_PER_METRE;
        let fine = |v: f64| format!("{}", (v * 1e6).round() / 1e6);
        (fine(SIZE_PX * k), fine(LINE_PX * k))
    }
}

/// The hatch pattern of a plan layer (schematic areas) at `metres_per_px`, as markup.
pub fn hatch_pattern(info: &LayerInfo, metres_per_px: f64) -> String {
    use hatch::*;
    let (size, line) = in_units(metres_per_px);
    format!(
        "<pattern id=\"hatch-{}\" patternUnits=\"userSpaceOnUse\" width=\"{size}\" height=\"{size}\" patternTransform=\"{TRANSFORM}\"><rect width=\"{size}\" height=\"{size}\" fill=\"{}\" fill-opacity=\"{FILL_OPACITY}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{size}\" stroke=\"{}\" stroke-width=\"{line}\"/></pattern>",
        attr(&info.id),
        attr(&info.style.fill),
        attr(&info.style.stroke)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::UNITS_PER_METRE;

    #[test]
    fn hatch_tiles_keep_their_screen_size() {
        // 270 m/px (all of Tianjin) and 2 m/px (streets): the same pixels, in drawing units.
        let (city, _) = hatch::in_units(270.0);
        let (street, line) = hatch::in_units(2.0);
        let px = |units: &str, mpp: f64| units.parse::<f64>().expect("a number") / (mpp * UNITS_PER_METRE);
        assert!((px(&city, 270.0) - hatch::SIZE_PX).abs() < 0.01);
        assert!((px(&street, 2.0) - hatch::SIZE_PX).abs() < 0.01);
        assert!((px(&line, 2.0) - hatch::LINE_PX).abs() < 0.01);
    }
}
