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
/// attribution as foreign members (RFC 7946 § 6.1), pretty enough to read.
pub fn feature_collection(layer_id: &str, attribution: &str, note: &str, features: &[&Feature]) -> String {
    let feats: Vec<Value> = features
        .iter()
        .map(|f| {
            let props = serde_json::to_value(&f.props).unwrap_or(Value::Object(Map::new()));
            json!({"type": "Feature", "id": f.id, "geometry": geometry_json(&f.geometry), "properties": props})
        })
        .collect();
    let fc = json!({
        "type": "FeatureCollection",
        "layer": layer_id,
        "attribution": attribution,
        "note": note,
        "features": feats,
    });
    serde_json::to_string_pretty(&fc).unwrap_or_default()
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
    }
}
