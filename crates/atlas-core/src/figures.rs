//! Figures the card sets beside the plan's own: the drawn size of a shape in the unit of a
//! stated number, and what share of a whole-district shape a stated area is.

use crate::geometry::{line_length_m, polygon_area_m2};
use crate::layer::{Feature, Geometry, PlanNumber};

/// Square kilometres in one 万亩 (10,000 mu of 666.67 m²).
pub const KM2_PER_WAN_MU: f64 = 6.666_666_7;

/// The drawn size of `g` in `unit` (km², ha, 万亩 for areas; km for lengths), when the two can
/// be compared.
pub fn drawn_size(g: &Geometry, unit: &str) -> Option<f64> {
    let area_km2 = || match g {
        Geometry::Polygons(p) => Some(p.iter().map(|r| polygon_area_m2(r)).sum::<f64>() / 1e6),
        _ => None,
    };
    match unit {
        "km²" => area_km2(),
        "ha" => area_km2().map(|a| a * 100.0),
        "万亩" => area_km2().map(|a| a / KM2_PER_WAN_MU),
        "km" => match g {
            Geometry::Lines(l) => Some(l.iter().map(|l| line_length_m(l)).sum::<f64>() / 1e3),
            _ => None,
        },
        _ => None,
    }
}

/// What the card says next to one of the plan's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Beside {
    /// The number is the shape's own size: the drawn size and the difference (drawn / stated − 1).
    Drawn { drawn: f64, diff: f64 },
    /// The shape is a whole district and the number an area within it: the share of the
    /// district's drawn area the number is.
    ShareOfDistrict { share: f64, district_km2: f64 },
}

/// The figure to set beside `n` for feature `f`, if any.
pub fn beside(f: &Feature, n: &PlanNumber) -> Option<Beside> {
    if n.value <= 0.0 {
        return None;
    }
    if n.compare_with_shape {
        let drawn = drawn_size(&f.geometry, &n.unit)?;
        return Some(Beside::Drawn { drawn, diff: drawn / n.value - 1.0 });
    }
    if f.props.whole_district {
        let district_km2 = drawn_size(&f.geometry, "km²")?;
        let value_km2 = match n.unit.as_str() {
            "km²" => n.value,
            "ha" => n.value / 100.0,
            "万亩" => n.value * KM2_PER_WAN_MU,
            _ => return None,
        };
        return (district_km2 > 0.0).then(|| Beside::ShareOfDistrict { share: value_km2 / district_km2, district_km2 });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::parse_layer;

    fn feature(geometry: &str, extra: &str, numbers: &str) -> Feature {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"f","geometry":{geometry},"properties":{{
              "layer":"x","name_zh":"测","name_en":"T","status":"planned","precision":"schematic","precision_note":"n"{extra},
              "numbers":[{numbers}]}}}}]}}"#
        );
        parse_layer(&text).expect("parses").features.remove(0)
    }

    // About 0.1° × 0.1° at 39° N: 11.1 km × 8.64 km ≈ 96 km².
    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[117,39],[117.1,39],[117.1,39.1],[117,39.1],[117,39]]]}"#;

    #[test]
    fn drawn_size_converts_units() {
        let f = feature(SQUARE, "", "");
        let km2 = drawn_size(&f.geometry, "km²").expect("area");
        assert!((km2 - 96.0).abs() < 1.5, "{km2}");
        assert!((drawn_size(&f.geometry, "ha").expect("ha") - km2 * 100.0).abs() < 1e-6);
        assert!((drawn_size(&f.geometry, "万亩").expect("mu") * KM2_PER_WAN_MU - km2).abs() < 1e-6);
        assert_eq!(drawn_size(&f.geometry, "km"), None, "a polygon has no length figure");
        assert_eq!(drawn_size(&f.geometry, "stations"), None);
        let line = feature(r#"{"type":"LineString","coordinates":[[117,39],[117,39.1]]}"#, "", "");
        assert!((drawn_size(&line.geometry, "km").expect("km") - 11.12).abs() < 0.05);
        assert_eq!(drawn_size(&Geometry::Unlocated, "km²"), None);
    }

    #[test]
    fn beside_a_shape_number_is_its_drawn_size() {
        let f = feature(SQUARE, "", r#"{"label_zh":"面积","label_en":"area","value":120,"unit":"km²","compare_with_shape":true}"#);
        match beside(&f, &f.props.numbers[0]) {
            Some(Beside::Drawn { drawn, diff }) => {
                assert!((drawn - 96.0).abs() < 1.5);
                assert!((diff - (drawn / 120.0 - 1.0)).abs() < 1e-9 && diff < 0.0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn beside_a_district_figure_is_its_share() {
        let n = r#"{"label_zh":"管控区","label_en":"control area","value":48,"unit":"km²"}"#;
        let whole = feature(SQUARE, r#","whole_district":true"#, n);
        match beside(&whole, &whole.props.numbers[0]) {
            Some(Beside::ShareOfDistrict { share, district_km2 }) => {
                assert!((share - 0.5).abs() < 0.01, "{share}");
                assert!((district_km2 - 96.0).abs() < 1.5);
            }
            other => panic!("{other:?}"),
        }
        // Not a whole district, not the shape's size: nothing to set beside it.
        let plain = feature(SQUARE, "", n);
        assert_eq!(beside(&plain, &plain.props.numbers[0]), None);
    }
}
