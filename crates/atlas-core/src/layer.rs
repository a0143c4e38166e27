//! The feature model and the lenient GeoJSON layer loader (RFC 7946).
//!
//! A layer file is a GeoJSON FeatureCollection whose features carry Plan Atlas properties
//! (`layer`, `name_zh`, `name_en`, `status`, `precision`, `excerpts`, ...). Loading never fails
//! on one bad feature: it is skipped and reported as a [`Diagnostic`], and the rest of the layer
//! loads. Only a file that is not GeoJSON at all, or not a FeatureCollection, is a [`LoadError`].

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::coord::{LonLat, MercatorBox};
use crate::projection::project;

/// Where the feature stands in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Existing,
    UnderConstruction,
    Planned,
    UnderStudy,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Existing, Status::UnderConstruction, Status::Planned, Status::UnderStudy];

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Existing => "existing",
            Status::UnderConstruction => "under construction",
            Status::Planned => "planned (14th FYP)",
            Status::UnderStudy => "under study",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Existing => "现状",
            Status::UnderConstruction => "在建",
            Status::Planned => "“十四五”规划",
            Status::UnderStudy => "研究中",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Existing => "existing",
            Status::UnderConstruction => "under_construction",
            Status::Planned => "planned",
            Status::UnderStudy => "under_study",
        }
    }
}

/// How well the shape's position is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Taken from reference geography.
    Surveyed,
    /// A named place whose outline or position was drawn by hand.
    Approximate,
    /// The plan names it but gives no location: the shape only shows the idea.
    Schematic,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Surveyed => "surveyed",
            Precision::Approximate => "approximate",
            Precision::Schematic => "schematic",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Precision::Surveyed => "surveyed (reference geography)",
            Precision::Approximate => "approximate (drawn by hand at a named place)",
            Precision::Schematic => "schematic (the plan gives no location)",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Precision::Surveyed => "测绘数据",
            Precision::Approximate => "近似位置",
            Precision::Schematic => "示意，规划未给出具体位置",
        }
    }
}

/// A verbatim quote of a plan text: `quote` must occur in seed file `doc` byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excerpt {
    pub doc: String,
    pub quote: String,
}

/// A number the plan states about the feature (area, length, count, target year...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanNumber {
    pub label_zh: String,
    pub label_en: String,
    pub value: f64,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// True when the number is the size of the drawn shape itself (so the validator reports
    /// the drawn figure next to it).
    #[serde(default)]
    pub compare_with_shape: bool,
}

/// The Plan Atlas properties of a feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureProps {
    pub layer: String,
    pub name_zh: String,
    pub name_en: String,
    pub status: Status,
    /// When, in English (`14th FYP (2021–2025)`), and its Chinese counterpart `period_zh`.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_zh: Option<String>,
    pub precision: Precision,
    /// How the shape was placed, in English, and its Chinese counterpart (the validator
    /// requires both; the loader takes a feature without the Chinese one).
    pub precision_note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub precision_note_zh: String,
    #[serde(default)]
    pub numbers: Vec<PlanNumber>,
    #[serde(default)]
    pub excerpts: Vec<Excerpt>,
    /// Data source of the geometry (base geography), e.g. a registry package, in English, and
    /// in Chinese (`source_zh`).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_zh: Option<String>,
    /// One plain English sentence saying what the feature is and what the plan says of it
    /// (search reaches it; the card shows it), and the same in Chinese (`description_zh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    /// Ids of the features this one is made of (a structure and its named parts share
    /// positions on purpose).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    /// The id of the feature whose place this one is drawn at (a feature town at its town's
    /// seat): the two share a position on purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The district (its `name_zh`, e.g. `津南区`) the feature lies in, when the plan says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// The plan means a whole district (the shape is the district's boundary on purpose).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whole_district: bool,
    /// The feature lies at sea or on the shore line (a marine reserve, a sea wall).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marine: bool,
    /// Its real-world state in 2025, when that differs from what the citing plan says (a
    /// station the plan calls planned that has since opened), with the source of that fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_2025: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_2025_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_2025_source_zh: Option<String>,
    /// A feature of a layer the user brought (see [`crate::import`]): its file's properties
    /// as (key, text) pairs, shown as plain text on its card. Plan features have none.
    #[serde(skip)]
    pub user: Vec<(String, String)>,
}

/// Geometry in WGS84, normalised: every GeoJSON type maps to one of three shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// Point or MultiPoint.
    Points(Vec<LonLat>),
    /// LineString or MultiLineString: a list of lines.
    Lines(Vec<Vec<LonLat>>),
    /// Polygon or MultiPolygon: a list of polygons, each a list of rings (outer first).
    Polygons(Vec<Vec<Vec<LonLat>>>),
    /// `"geometry": null`: the plan gives the structure no location and it has no real-world
    /// site ("no fixed location"); listed and linked, never drawn.
    Unlocated,
}

impl Geometry {
    /// Every position, in order.
    pub fn positions(&self) -> Box<dyn Iterator<Item = LonLat> + '_> {
        match self {
            Geometry::Points(p) => Box::new(p.iter().copied()),
            Geometry::Lines(l) => Box::new(l.iter().flatten().copied()),
            Geometry::Polygons(p) => Box::new(p.iter().flatten().flatten().copied()),
            Geometry::Unlocated => Box::new(std::iter::empty()),
        }
    }

    /// Bounding box in Mercator metres.
    pub fn mercator_bounds(&self) -> Option<MercatorBox> {
        MercatorBox::from_points(self.positions().map(project))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Geometry::Points(_) => "point",
            Geometry::Lines(_) => "line",
            Geometry::Polygons(_) => "polygon",
            Geometry::Unlocated => "none",
        }
    }

    /// True for a feature with a place on the map.
    pub fn is_located(&self) -> bool {
        !matches!(self, Geometry::Unlocated)
    }
}

/// One map feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: String,
    pub props: FeatureProps,
    pub geometry: Geometry,
}

/// Something wrong with one feature; the feature was skipped or loaded with a caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Index of the feature in the collection.
    pub index: usize,
    /// The feature's id when it has one.
    pub id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "feature #{} ({}): {}", self.index, crate::safe::clip(id, 80), self.message),
            None => write!(f, "feature #{}: {}", self.index, self.message),
        }
    }
}

/// Why a whole layer file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("not valid JSON: {message} (line {line}, column {column})")]
    Json { message: String, line: usize, column: usize },
    #[error("expected a GeoJSON FeatureCollection, found {found}")]
    NotAFeatureCollection { found: String },
    #[error("not valid GeoJSON: {0}")]
    GeoJson(String),
}

/// A parsed layer: the features that loaded, and what was wrong with the others.
#[derive(Debug, Clone, Default)]
pub struct LoadedLayer {
    pub features: Vec<Feature>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedLayer {
    /// Bounding box of all features in Mercator metres.
    pub fn mercator_bounds(&self) -> Option<MercatorBox> {
        self.features.iter().filter_map(|f| f.geometry.mercator_bounds()).reduce(MercatorBox::union)
    }
}

/// Parse a FeatureCollection, leniently (see the module docs).
pub fn parse_layer(text: &str) -> Result<LoadedLayer, LoadError> {
    // A byte-order mark (some editors on Windows write one) is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| LoadError::Json { message: e.to_string(), line: e.line(), column: e.column() })?;
    let found = value.get("type").and_then(|t| t.as_str()).unwrap_or("no \"type\" member");
    if found != "FeatureCollection" {
        return Err(LoadError::NotAFeatureCollection { found: crate::safe::clip(found, 40) });
    }
    // RFC 7946 dropped `crs`: coordinates are WGS84 longitude/latitude. A file that names
    // another system holds other numbers (metres, GCJ-02…), and none of them can be drawn.
    if let Some(name) = foreign_crs(&value) {
        return Err(LoadError::GeoJson(format!(
            "the file's \"crs\" is {name:?}; GeoJSON must be WGS84 longitude/latitude (RFC 7946): reproject it"
        )));
    }
    let Some(features) = value.get("features").and_then(|f| f.as_array()) else {
        return Err(LoadError::GeoJson("a FeatureCollection needs a \"features\" array".into()));
    };
    let mut out = LoadedLayer::default();
    let mut seen = HashSet::new();
    for (index, raw) in features.iter().enumerate() {
        let raw_id = raw.get("id").and_then(|v| v.as_str()).map(str::to_string);
        let fail = |message: String| Diagnostic { index, id: raw_id.clone(), message };
        match parse_feature(raw) {
            Ok(f) => {
                if !seen.insert(f.id.clone()) {
                    out.diagnostics.push(fail(format!("duplicate id {:?}; later copy skipped", f.id)));
                } else {
                    out.features.push(f);
                }
            }
            Err(message) => out.diagnostics.push(fail(message)),
        }
    }
    Ok(out)
}

/// The name of a `crs` member that is not WGS84 longitude/latitude, if the object has one.
pub(crate) fn foreign_crs(value: &serde_json::Value) -> Option<String> {
    let crs = value.get("crs").filter(|c| !c.is_null())?;
    let name = crs.pointer("/properties/name").and_then(|n| n.as_str()).unwrap_or("(unnamed)");
    let wgs84 = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"];
    (!wgs84.iter().any(|w| w.eq_ignore_ascii_case(name))).then(|| name.chars().take(80).collect())
}

fn parse_feature(raw: &serde_json::Value) -> Result<Feature, String> {
    // A feature may carry its own `crs` (GeoJSON 2008): other numbers than WGS84's.
    if let Some(name) = foreign_crs(raw) {
        return Err(format!("its \"crs\" is {name:?}; positions must be WGS84 longitude/latitude (RFC 7946)"));
    }
    // Read from the parsed value in place (no copy of the feature).
    let mut feature = <geojson::Feature as serde::Deserialize>::deserialize(raw)
        .map_err(|e| format!("not a GeoJSON Feature: {}", crate::safe::clip(&e.to_string(), 200)))?;
    let id = match &feature.id {
        Some(geojson::feature::Id::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(geojson::feature::Id::Number(n)) => n.to_string(),
        _ => return Err("missing \"id\" (a non-empty string)".into()),
    };
    if !raw.as_object().is_some_and(|o| o.contains_key("geometry")) {
        return Err("missing \"geometry\" (use null for a feature with no fixed location)".into());
    }
    let props_json = serde_json::Value::Object(feature.properties.take().unwrap_or_default());
    let props: FeatureProps = serde_json::from_value(props_json)
        .map_err(|e| format!("properties do not match the Plan Atlas schema: {}", crate::safe::clip(&e.to_string(), 200)))?;
    let Some(geometry) = feature.geometry.as_ref() else {
        return Ok(Feature { id, props, geometry: Geometry::Unlocated });
    };
    let geometry = convert_geometry(&geometry.value, &mut strict_position)?;
    if geometry.positions().next().is_none() {
        return Err("geometry has no positions".into());
    }
    Ok(Feature { id, props, geometry })
}

/// Reads one GeoJSON position (its numbers) as WGS84, or says why it is not one.
pub(crate) type ReadPosition<'a> = dyn FnMut(&[f64]) -> Result<LonLat, String> + 'a;

/// GeoJSON fixes the order: [longitude, latitude, (altitude)].
pub(crate) fn strict_position(s: &[f64]) -> Result<LonLat, String> {
    if s.len() < 2 {
        return Err(format!("a position needs two numbers, found {}", s.len()));
    }
    let ll = LonLat::new(s[0], s[1]);
    if !ll.is_valid() {
        let hint = if s[0].abs() > 1000.0 && s[1].abs() > 1000.0 {
            " (it looks like metres of a projected system: reproject the file to WGS84 longitude/latitude)"
        } else if LonLat::new(s[1], s[0]).is_valid() {
            " (latitude first? GeoJSON puts longitude first)"
        } else {
            ""
        };
        return Err(format!("position [{}, {}] is not a WGS84 longitude/latitude{hint}", number(s[0]), number(s[1])));
    }
    Ok(ll)
}

/// A coordinate as a message shows it: short, however large.
fn number(v: f64) -> String {
    if v.abs() >= 1e7 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn line(ps: &[geojson::Position], pos: &mut ReadPosition) -> Result<Vec<LonLat>, String> {
    ps.iter().map(|p| pos(p.as_slice())).collect()
}

/// A LineString's positions: at least two (RFC 7946 §3.1.4).
fn line_string(ps: &[geojson::Position], pos: &mut ReadPosition) -> Result<Vec<LonLat>, String> {
    if ps.len() < 2 {
        return Err(format!("a line needs at least 2 positions, found {}", ps.len()));
    }
    line(ps, pos)
}

fn polygon(rings: &[Vec<geojson::Position>], pos: &mut ReadPosition) -> Result<Vec<Vec<LonLat>>, String> {
    if rings.is_empty() {
        return Err("a polygon needs at least one ring".into());
    }
    rings
        .iter()
        .map(|r| {
            let ring = line(r, pos)?;
            if ring.len() < 4 {
                return Err(format!("a polygon ring needs at least 4 positions, found {}", ring.len()));
            }
            if ring.first() != ring.last() {
                return Err("a polygon ring is not closed (first and last positions differ)".into());
            }
            Ok(ring)
        })
        .collect()
}

/// A GeoJSON geometry as one of the three shapes, each position read by `pos`.
pub(crate) fn convert_geometry(v: &geojson::GeometryValue, pos: &mut ReadPosition) -> Result<Geometry, String> {
    use geojson::GeometryValue as G;
    Ok(match v {
        G::Point { coordinates } => Geometry::Points(vec![pos(coordinates.as_slice())?]),
        G::MultiPoint { coordinates } => Geometry::Points(line(coordinates, pos)?),
        G::LineString { coordinates } => Geometry::Lines(vec![line_string(coordinates, pos)?]),
        G::MultiLineString { coordinates } => Geometry::Lines(coordinates.iter().map(|l| line_string(l, pos)).collect::<Result<_, _>>()?),
        G::Polygon { coordinates } => Geometry::Polygons(vec![polygon(coordinates, pos)?]),
        G::MultiPolygon { coordinates } => Geometry::Polygons(coordinates.iter().map(|p| polygon(p, pos)).collect::<Result<_, _>>()?),
        G::GeometryCollection { .. } => return Err("GeometryCollection is not supported; use one feature per geometry".into()),
    })
}

impl Geometry {
    /// The same shape with every position moved by `f` (a datum shift, a swap).
    pub fn map_positions(&self, f: impl Fn(LonLat) -> LonLat) -> Geometry {
        let ring = |r: &Vec<LonLat>| r.iter().map(|p| f(*p)).collect::<Vec<_>>();
        match self {
            Geometry::Points(p) => Geometry::Points(ring(p)),
            Geometry::Lines(l) => Geometry::Lines(l.iter().map(ring).collect()),
            Geometry::Polygons(p) => Geometry::Polygons(p.iter().map(|poly| poly.iter().map(ring).collect()).collect()),
            Geometry::Unlocated => Geometry::Unlocated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(id: &str, geometry: &str) -> String {
        format!(
            r#"{{"type":"Feature","id":"{id}","geometry":{geometry},"properties":{{
              "layer":"eco-barrier","name_zh":"测试","name_en":"Test","status":"planned",
              "precision":"schematic","precision_note":"test",
              "excerpts":[{{"doc":"000.txt","quote":"871"}}]}}}}"#
        )
    }

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[117,39],[117.1,39],[117.1,39.1],[117,39.1],[117,39]]]}"#;

    #[test]
    fn loads_good_features() {
        let text = collection(&[
            feature("a", SQUARE),
            feature("b", r#"{"type":"Point","coordinates":[117.2,39.1]}"#),
            feature("c", r#"{"type":"MultiLineString","coordinates":[[[117,39],[117.2,39.1]]]}"#),
        ]);
        let layer = parse_layer(&text).expect("valid");
        assert_eq!(layer.features.len(), 3, "{:?}", layer.diagnostics);
        assert!(layer.diagnostics.is_empty());
        assert_eq!(layer.features[0].props.status, Status::Planned);
        assert_eq!(layer.features[1].geometry.kind(), "point");
        assert!(layer.mercator_bounds().is_some());
    }

    #[test]
    fn a_one_point_line_is_refused_and_huge_numbers_are_named_briefly() {
        let text = collection(&[
            feature("short", r#"{"type":"LineString","coordinates":[[117.3,39.0]]}"#),
            feature("huge", r#"{"type":"Point","coordinates":[1e308,-1e308]}"#),
        ]);
        let l = parse_layer(&text).expect("a collection");
        assert!(l.features.is_empty());
        assert!(l.diagnostics[0].message.contains("at least 2 positions"), "{:?}", l.diagnostics);
        assert!(l.diagnostics[1].message.contains("[1e308, -1e308]"), "{:?}", l.diagnostics);
    }

    #[test]
    fn a_foreign_crs_is_refused_by_name_and_wgs84_is_accepted() {
        let fc =
            |crs: &str| format!(r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{crs}"}}}},"features":[]}}"#);
        let e = parse_layer(&fc("EPSG:3857")).unwrap_err().to_string();
        assert!(e.contains("EPSG:3857") && e.contains("WGS84"), "{e}");
        assert!(parse_layer(&fc("urn:ogc:def:crs:OGC:1.3:CRS84")).is_ok());
        assert!(parse_layer(&fc("EPSG:4326")).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_a_feature_crs_is_read() {
        let text = format!(
            "\u{feff}{}",
            collection(&[
                feature("a", SQUARE),
                feature("b", SQUARE).replacen("{", r#"{"crs":{"type":"name","properties":{"name":"EPSG:3857"}},"#, 1)
            ])
        );
        let layer = parse_layer(&text).expect("a collection after the mark");
        assert_eq!(layer.features.len(), 1);
        assert!(
            layer.diagnostics[0].to_string().contains("(b)") && layer.diagnostics[0].message.contains("EPSG:3857"),
            "{:?}",
            layer.diagnostics
        );
    }

    #[test]
    fn null_geometry_is_a_feature_with_no_fixed_location() {
        let text = collection(&[feature("free", "null"), r#"{"type":"Feature","id":"x","properties":{}}"#.to_string()]);
        let layer = parse_layer(&text).expect("collection parses");
        assert_eq!(layer.features.len(), 1, "{:?}", layer.diagnostics);
        let f = &layer.features[0];
        assert_eq!(f.geometry, Geometry::Unlocated);
        assert!(!f.geometry.is_located());
        assert!(f.geometry.mercator_bounds().is_none());
        assert_eq!(f.geometry.kind(), "none");
        assert!(layer.mercator_bounds().is_none());
        // An absent geometry member is an error, not an unlocated feature.
        assert!(layer.diagnostics[0].to_string().contains("missing \"geometry\""), "{:?}", layer.diagnostics);
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let err = parse_layer("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}").unwrap_err();
        match err {
            LoadError::Json { line, column, .. } => {
                assert_eq!(line, 3);
                assert!(column > 0);
            }
            other => panic!("wrong error {other:?}"),
        }
    }

    #[test]
    fn not_a_collection() {
        let err = parse_layer(r#"{"type":"Feature"}"#).unwrap_err();
        assert!(err.to_string().contains("found Feature"), "{err}");
        assert!(parse_layer("[]").unwrap_err().to_string().contains("no \"type\" member"));
    }

    #[test]
    fn bad_features_are_skipped_with_reasons() {
        let unclosed = r#"{"type":"Polygon","coordinates":[[[117,39],[117.1,39],[117.1,39.1],[117,39.1]]]}"#;
        let swapped = r#"{"type":"Point","coordinates":[39.1,117.2]}"#;
        let text = collection(&[
            feature("ok", SQUARE),
            feature("unclosed", unclosed),
            feature("swapped", swapped),
            feature("ok", SQUARE),
            r#"{"type":"Feature","geometry":null,"properties":{}}"#.to_string(),
            feature("gc", r#"{"type":"GeometryCollection","geometries":[]}"#),
        ]);
        let layer = parse_layer(&text).expect("collection parses");
        assert_eq!(layer.features.len(), 1);
        let msgs: Vec<String> = layer.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(msgs[0].contains("unclosed") && msgs[0].contains("not closed"));
        assert!(msgs[1].contains("not a WGS84"));
        assert!(msgs[2].contains("duplicate id"));
        assert!(msgs[3].contains("missing \"id\""));
        assert!(msgs[4].contains("GeometryCollection"));
    }

    #[test]
    fn bad_properties_are_explained() {
        let text = collection(&[feature("a", SQUARE).replace("\"planned\"", "\"someday\"")]);
        let layer = parse_layer(&text).expect("collection parses");
        assert!(layer.features.is_empty());
        assert!(layer.diagnostics[0].message.contains("someday"), "{:?}", layer.diagnostics);
    }
}
