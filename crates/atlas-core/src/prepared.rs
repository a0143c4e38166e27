//! Layers prepared for drawing: each feature's geometry is projected, turned into SVG path data
//! and symbol positions, bounded and (for named layers) given a label anchor once, when its
//! layer loads, so that pan and zoom never touch coordinates again (EPSG:3857 drawing units,
//! see [`crate::svg`]).
//!
//! Loading is lenient as in [`crate::layer`]: features the loader skipped become warnings for
//! the layer list; only a file that is not a FeatureCollection at all is an error.

use std::sync::Arc;

use crate::coord::MercatorBox;
use crate::labels::{anchor_within, LabelAnchor};
use crate::layer::{parse_layer, Feature};
use crate::manifest::LayerInfo;
use crate::svg::{path_data, point_positions};

/// A feature ready to draw: geometry projected once, at load time.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnFeature {
    /// The feature as loaded: id, properties and WGS84 geometry.
    pub feature: Arc<Feature>,
    /// The manifest id of the layer the feature belongs to.
    pub layer_id: String,
    /// SVG path data for lines and polygons, in drawing units.
    pub path: Option<String>,
    /// Symbol positions for points, in drawing units.
    pub points: Vec<(f64, f64)>,
    /// Where the feature's name goes on the map (only for layers with a `label_priority`).
    pub anchor: Option<LabelAnchor>,
    /// Mercator bounds, computed once (for "features in view").
    pub bounds: Option<MercatorBox>,
}

/// A loaded layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadyLayer {
    /// The features that loaded, in file order.
    pub features: Vec<Arc<DrawnFeature>>,
    /// The union of the features' bounds; `None` for a layer without features.
    pub bounds: Option<MercatorBox>,
    /// Features the loader skipped, with reasons (shown in the layer list).
    pub warnings: Vec<String>,
}

impl ReadyLayer {
    /// The feature with this id, if the layer has it (a linear scan: for lookups across all
    /// layers use [`crate::link_index::LinkIndex`]).
    pub fn feature(&self, id: &str) -> Option<&Arc<DrawnFeature>> {
        self.features.iter().find(|f| f.feature.id == id)
    }
}

/// Parses the GeoJSON `text` of layer `info` and prepares every feature for drawing. `Err`
/// carries the loader's message when the text is not a FeatureCollection.
pub fn prepare(info: &LayerInfo, text: &str) -> Result<ReadyLayer, String> {
    let loaded = parse_layer(text).map_err(|e| e.to_string())?;
    let features = loaded.features.into_iter().map(|f| Arc::new(prepare_feature(info, f))).collect();
    Ok(assemble(features, loaded.diagnostics.iter().map(|d| d.to_string()).collect()))
}

/// One feature ready to draw (a large layer is prepared a slice at a time with this).
pub fn prepare_feature(info: &LayerInfo, f: Feature) -> DrawnFeature {
    // Each feature's bounds are projected once, for the layer's bounds and its anchor.
    let bounds = f.geometry.mercator_bounds();
    DrawnFeature {
        path: path_data(&f.geometry),
        points: point_positions(&f.geometry),
        // Only layers that show names need anchors (they take a few ms per district).
        anchor: info.label_priority.zip(bounds).and_then(|(_, b)| anchor_within(&f.geometry, b)),
        bounds,
        layer_id: info.id.clone(),
        feature: Arc::new(f),
    }
}

/// A layer of prepared features, with `warnings` from reading them. A feature far from
/// Tianjin (a swapped or zeroed coordinate, another city) is drawn, but does not frame the
/// first view (that would put the city off screen): it is named in a warning.
pub fn assemble(features: Vec<Arc<DrawnFeature>>, mut warnings: Vec<String>) -> ReadyLayer {
    let extent = city_extent();
    let mut bounds: Option<MercatorBox> = None;
    let mut far = 0usize;
    for (i, f) in features.iter().enumerate() {
        let Some(b) = f.bounds else { continue };
        if within(&b, &extent) {
            bounds = Some(bounds.map_or(b, |u| u.union(b)));
        } else {
            far += 1;
            if far > 50 {
                continue;
            }
            let c = crate::projection::unproject(crate::coord::Mercator { x: (b.min.x + b.max.x) / 2.0, y: (b.min.y + b.max.y) / 2.0 });
            warnings.push(format!(
                "feature #{i} ({}): lies outside Tianjin (around {:.3}, {:.3}); drawn, but not used to frame the map",
                f.feature.id, c.lon, c.lat
            ));
        }
    }
    if far > 50 {
        warnings.push(format!("{} more features lie outside Tianjin; drawn, but not used to frame the map", far - 50));
    }
    ReadyLayer { features, bounds, warnings }
}

/// Tianjin's extent with a margin of about 50 km (lon 116.2–118.6, lat 38.1–40.6), in Mercator.
pub fn city_extent() -> MercatorBox {
    use crate::coord::LonLat;
    let (a, b) =
        (crate::projection::project(LonLat { lon: 116.2, lat: 38.1 }), crate::projection::project(LonLat { lon: 118.6, lat: 40.6 }));
    MercatorBox { min: a, max: b }
}

fn within(b: &MercatorBox, extent: &MercatorBox) -> bool {
    b.min.x >= extent.min.x && b.max.x <= extent.max.x && b.min.y >= extent.min.y && b.max.y <= extent.max.y
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::layer::Geometry;
    use crate::manifest::Manifest;

    /// The shipped manifest (`public/data/manifest.json`).
    pub(crate) fn manifest() -> Manifest {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/manifest.json");
        Manifest::parse(&std::fs::read_to_string(path).expect("the manifest is readable")).expect("the manifest parses")
    }

    /// A shipped layer's file text (`file` is relative to the site root, `public/`).
    pub(crate) fn layer_text(info: &LayerInfo) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public").join(&info.file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn info(label_priority: Option<f64>) -> LayerInfo {
        let mut info = manifest().layers[0].clone();
        info.id = "test".into();
        info.label_priority = label_priority;
        info
    }

    const POINT: &str = r#"{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[117.2,39.1]},"properties":{"layer":"test","name_zh":"点","name_en":"P","status":"planned","precision":"approximate","precision_note":"n","excerpts":[]}}"#;

    #[test]
    fn a_shipped_named_layer_is_drawn_bounded_and_anchored() {
        let m = manifest();
        let info = m.layers.iter().find(|l| l.label_priority.is_some()).expect("a layer with labels");
        let layer = prepare(info, &layer_text(info)).expect("the shipped layer loads");
        assert!(!layer.features.is_empty(), "{}", info.id);
        assert!(layer.warnings.is_empty(), "{:?}", layer.warnings);
        for f in &layer.features {
            assert_eq!(f.layer_id, info.id);
            assert!(f.bounds.is_some(), "{}", f.feature.id);
            match f.feature.geometry {
                Geometry::Points(_) => assert!(f.path.is_none() && !f.points.is_empty(), "{}", f.feature.id),
                _ => assert!(f.path.as_deref().is_some_and(|d| d.starts_with('M')) && f.points.is_empty(), "{}", f.feature.id),
            }
            assert!(f.anchor.is_some(), "{} has no label anchor", f.feature.id);
        }
        let union = layer.features.iter().filter_map(|f| f.bounds).reduce(MercatorBox::union);
        assert_eq!(layer.bounds, union);
        let first = &layer.features[0];
        assert!(Arc::ptr_eq(layer.feature(&first.feature.id).expect("found by id"), first));
        assert!(layer.feature("no such feature").is_none());
    }

    #[test]
    fn layers_without_labels_get_no_anchors() {
        let text = format!(r#"{{"type":"FeatureCollection","features":[{POINT}]}}"#);
        let named = prepare(&info(Some(10.0)), &text).expect("loads");
        let plain = prepare(&info(None), &text).expect("loads");
        assert!(named.features[0].anchor.is_some());
        assert!(plain.features[0].anchor.is_none());
        assert_eq!(plain.features[0].layer_id, "test");
        assert_eq!(plain.bounds, plain.features[0].bounds);
    }

    #[test]
    fn malformed_text_is_an_error_with_a_message() {
        let err = prepare(&info(None), "{\"type\": \"FeatureCollection\",").expect_err("not JSON");
        assert!(err.contains("not valid JSON") && err.contains("line 1"), "{err}");
        let err = prepare(&info(None), r#"{"type":"Point","coordinates":[117,39]}"#).expect_err("not a collection");
        assert!(err.contains("FeatureCollection") && err.contains("Point"), "{err}");
    }

    #[test]
    fn every_shipped_layer_loads_whole_inside_the_city() {
        for info in &manifest().layers {
            let layer = prepare(info, &layer_text(info)).expect("the shipped layer loads");
            assert!(layer.warnings.is_empty(), "{}: {:?}", info.id, layer.warnings);
        }
    }

    #[test]
    fn features_far_from_tianjin_are_drawn_but_do_not_frame_the_map() {
        let info = info(None);
        let at =
            |id: &str, lon: f64, lat: f64| POINT.replace("\"p\"", &format!("\"{id}\"")).replace("[117.2,39.1]", &format!("[{lon},{lat}]"));
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            at("here", 117.2, 39.1),
            at("santiago", -70.66, -33.45),
            at("null-island", 0.0, 0.0)
        );
        let layer = prepare(&info, &text).expect("loads");
        assert_eq!(layer.features.len(), 3, "all are drawn");
        assert_eq!(layer.bounds, layer.features[0].bounds, "only the feature in Tianjin frames the view");
        assert_eq!(layer.warnings.len(), 2, "{:?}", layer.warnings);
        assert!(layer.warnings[0].contains("santiago") && layer.warnings[0].contains("outside Tianjin"), "{:?}", layer.warnings);
        assert!(layer.warnings[1].contains("null-island"), "{:?}", layer.warnings);
    }

    #[test]
    fn skipped_features_are_warnings_and_the_rest_loads() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{POINT},{{"type":"Feature","id":"bad","geometry":null,"properties":{{}}}}]}}"#
        );
        let layer = prepare(&info(None), &text).expect("the collection loads");
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.warnings.len(), 1, "{:?}", layer.warnings);
        assert!(layer.warnings[0].starts_with("feature #1 (bad)"), "{:?}", layer.warnings);
    }

    #[test]
    fn an_empty_layer_has_no_bounds() {
        let layer = prepare(&info(Some(1.0)), r#"{"type":"FeatureCollection","features":[]}"#).expect("loads");
        assert!(layer.features.is_empty() && layer.bounds.is_none() && layer.warnings.is_empty());
    }
}
