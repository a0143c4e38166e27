//! Export: a layer as the user sees it, written back to GeoJSON (RFC 7946) with every Plan
//! Atlas property and the layer's attribution, for download.

use serde_json::{json, Map, Value};

use crate::layer::{Feature, Geometry};

fn position(p: &crate::coord::LonLat) -> Value {
    json!([p.lon, p.lat])
}

/// A feature's geometry as a GeoJSON geometry object (`null` for no fixed location).
pub fn geometry_json(g: &Geometry) -> Value {
    let ring = |r: &Vec<crate::coord::LonLat>| Value::Array(r.iter().map(position).collect());
    match g {
        Geometry::Points(p) if p.len() == 1 => json!({"type": "Point", "coordinates": position(&p[0])}),
        Geometry::Points(p) => json!({"type": "MultiPoint", "coordinates": p.iter().map(position).collect::<Vec<_>>()}),
        Geometry::Lines(l) if l.len() == 1 => json!({"type": "LineString", "coordinates": ring(&l[0])}),
        Geometry::Lines(l) => json!({"type": "MultiLineString", "coordinates": l.iter().map(ring).collect::<Vec<_>>()}),
        Geometry::Polygons(p) if p.len() == 1 => json!({"type": "Polygon", "coordinates": p[0].iter().map(ring).collect::<Vec<_>>()}),
        Geometry::Polygons(p) => {
            json!({"type": "MultiPolygon", "coordinates": p.iter().map(|poly| poly.iter().map(ring).collect::<Vec<_>>()).collect::<Vec<_>>()})
        }
        Geometry::Unlocated => Value::Null,
    }
}

/// A FeatureCollection of `features` with their properties, naming its layer, source and
/// attribution as foreign members (RFC 7946 § 6.1).
pub fn feature_collection(layer_id: &str, attribution: &str, note: &str, features: &[&Feature]) -> String {
    let feats: Vec<Value> = features
        .iter()
        .map(|f| {
            let props = serde_json::to_value(&f.props).unwrap_or(Value::Object(Map::new()));
            json!({"type": "Feature", "id": f.id, "geometry": geometry_json(&f.geometry), "properties": props})
        })
        .collect();
    wrap(layer_id, attribution, note, feats)
}

/// The features of a layer file's text (`raw`, as served) whose ids `keep` accepts, as a
/// FeatureCollection with the layer, attribution and note: what the browser downloads (the
/// file's own JSON, so nothing is lost or re-encoded).
pub fn filter_collection(raw: &str, keep: impl Fn(&str) -> bool, layer_id: &str, attribution: &str, note: &str) -> Result<String, String> {
    let v: Value = serde_json::from_str(raw).map_err(|e| format!("{layer_id}: {e}"))?;
    let feats = v.get("features").and_then(|f| f.as_array()).ok_or_else(|| format!("{layer_id}: no features"))?;
    let kept = feats.iter().filter(|f| f.get("id").and_then(|i| i.as_str()).is_some_and(&keep)).cloned().collect();
    Ok(wrap(layer_id, attribution, note, kept))
}

fn wrap(layer_id: &str, attribution: &str, note: &str, features: Vec<Value>) -> String {
    let mut fc = Map::new();
    fc.insert("type".into(), Value::from("FeatureCollection"));
    fc.insert("layer".into(), Value::from(layer_id));
    fc.insert("attribution".into(), Value::from(attribution));
    fc.insert("note".into(), Value::from(note));
    fc.insert("features".into(), Value::Array(features));
    Value::Object(fc).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::parse_layer;

    #[test]
    fn an_exported_layer_reads_back_the_same() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/layers/eco-barrier.geojson");
        let layer = parse_layer(&std::fs::read_to_string(path).expect("layer")).expect("parses");
        let all: Vec<&Feature> = layer.features.iter().collect();
        assert!(all.iter().any(|f| !f.geometry.is_located()), "the layer has a feature with no fixed location");
        let text = feature_collection("eco-barrier", "Plan Atlas", "schematic, not an official map", &all);
        let back = parse_layer(&text).expect("the export parses");
        assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
        assert_eq!(back.features, layer.features, "geometry, ids and every property survive");
        let v: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["attribution"], "Plan Atlas");
        assert_eq!(v["layer"], "eco-barrier");
        // A filtered export holds only what was asked for.
        let some: Vec<&Feature> = all.iter().copied().filter(|f| f.props.status == crate::layer::Status::Existing).collect();
        let v: Value = serde_json::from_str(&feature_collection("eco-barrier", "", "", &some)).expect("json");
        assert_eq!(v["features"].as_array().map(Vec::len), Some(some.len()));
        // Filtering the file's own text gives the same features.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/layers/eco-barrier.geojson");
        let raw = std::fs::read_to_string(path).expect("layer");
        let ids: Vec<&str> = some.iter().map(|f| f.id.as_str()).collect();
        let text = filter_collection(&raw, |id| ids.contains(&id), "eco-barrier", "A", "N").expect("filters");
        let back = parse_layer(&text).expect("parses");
        assert_eq!(back.features.iter().collect::<Vec<_>>(), some);
        assert!(filter_collection("[", |_| true, "x", "", "").is_err());
    }
}
