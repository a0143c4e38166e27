//! Bounded property tests of the parsers that meet untrusted input (issue 16, item 5): the
//! GeoJSON layer loader, the plan model, the URL state and the embed messages. The rules each
//! result must satisfy are in `invariants/mod.rs`, shared with the fuzz targets in `fuzz/`;
//! here are the inputs: arbitrary bytes and JSON, and near-valid input built to reach deep
//! into each parser. Case counts are kept small so that `cargo test -p atlas-core` stays quick
//! (`docs/fuzzing.md` has the timings and the longer fuzz runs).

mod invariants;

use std::sync::OnceLock;

use atlas_core::compare::CompareMode;
use atlas_core::embed::{self, Command};
use atlas_core::layer::{LoadError, Status};
use atlas_core::url_state::{is_id, LayerSetting, MapPosition, UrlState};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

use invariants::{check_embed, check_embed_config, check_layer, check_plan, check_url};

/// Runs a check inside a property and gives its result: a broken rule fails the case with its
/// description.
macro_rules! hold {
    ($check:expr) => {
        match $check {
            Ok(v) => v,
            Err(why) => return Err(TestCaseError::fail(why)),
        }
    };
}

/// Runs a check inside a property for its rules alone.
macro_rules! check {
    ($check:expr) => {
        if let Err(why) = $check {
            return Err(TestCaseError::fail(why));
        }
    };
}

/// `cases` per property, or `PROPTEST_CASES` from the environment for a longer run.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    // No failure files: the regressions found are written out as tests below.
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Strings that have broken web apps: markup, script URLs, template and SQL syntax, bidi and
/// BOM characters, paths, CSS `url()`, NUL, astral characters, blanks.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</svg><svg onload=alert(1)>",
    "{{7*7}}${7*7}",
    "'; DROP TABLE layers; --",
    "\u{202e}gnp.exe",
    "\u{0}",
    "\u{feff}",
    "𝕏😀",
    "第一章 总则",
    "   ",
    "",
    "a\nb\tc\r",
    "%3Cscript%3E&x=1#y",
    "&lt;b&gt;",
    "../../index.html",
    "url(http://evil.example/p.svg#p)",
    "none",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(HOSTILE).prop_map(String::from),
        1 => any::<String>(),
        1 => "[a-z0-9._-]{1,12}",
    ]
}

/// Words of the formats under test, as keys and as values, so that arbitrary JSON often looks
/// like the real thing.
const WORDS: &[&str] = &[
    "type",
    "FeatureCollection",
    "Feature",
    "features",
    "geometry",
    "Point",
    "MultiPoint",
    "LineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
    "geometries",
    "coordinates",
    "properties",
    "id",
    "crs",
    "bbox",
    "layer",
    "name_zh",
    "name_en",
    "status",
    "planned",
    "precision",
    "schematic",
    "precision_note",
    "excerpts",
    "planAtlas",
    "select",
    "setLayers",
    "setView",
    "setLanguage",
    "getState",
    "feature",
    "layers",
    "zoom",
    "lat",
    "lon",
    "lang",
    "opacity",
    "allowed_origins",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![3 => prop::sample::select(WORDS).prop_map(String::from), 1 => hostile()]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![-200.0..200.0f64, Just(1.0), Just(117.2), Just(39.1)].prop_map(Value::from),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((word(), inner), 0..8).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// GeoJSON layers

/// What the loader must do with a generated feature.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Load,
    Skip,
    /// Not specified (e.g. a foreign `crs` member): only the general rules apply.
    Either,
}

impl Expect {
    fn and(self, other: Expect) -> Expect {
        match (self, other) {
            (Expect::Skip, _) | (_, Expect::Skip) => Expect::Skip,
            (Expect::Either, _) | (_, Expect::Either) => Expect::Either,
            _ => Expect::Load,
        }
    }
}

#[derive(Debug, Clone)]
struct Geom {
    /// `None`: no `geometry` member at all.
    value: Option<Value>,
    expect: Expect,
    positions: Vec<(f64, f64)>,
}

fn lon() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 116.7..118.1f64, 2 => -180.0..=180.0f64, 1 => prop::sample::select(vec![180.0, -180.0, 0.0, -0.0])]
}

fn lat() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 38.5..40.3f64, 2 => -90.0..=90.0f64, 1 => prop::sample::select(vec![90.0, -90.0, 0.0, -0.0])]
}

fn pos() -> impl Strategy<Value = (f64, f64)> {
    (lon(), lat())
}

/// A position that is not WGS84: out of range, swapped (latitude 117), or absurd.
fn bad_pos() -> impl Strategy<Value = (f64, f64)> {
    prop_oneof![
        (prop::sample::select(vec![180.000001, -180.5, 1e308, -1e308, 1e20, 360.0]), lat()),
        (lon(), prop::sample::select(vec![90.000001, -91.0, 117.2, 1e300])),
    ]
}

fn ring() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec(pos(), 3..8).prop_map(|mut r| {
        r.push(r[0]);
        r
    })
}

fn coords(ps: &[(f64, f64)]) -> Value {
    // GeoJSON fixes the order: [longitude, latitude].
    Value::Array(ps.iter().map(|(x, y)| json!([x, y])).collect())
}

fn geom(kind: &str, coordinates: Value) -> Value {
    json!({ "type": kind, "coordinates": coordinates })
}

fn good_geometry() -> impl Strategy<Value = Geom> {
    let ok = |value: Value, positions: Vec<(f64, f64)>| Geom { value: Some(value), expect: Expect::Load, positions };
    prop_oneof![
        pos().prop_map(move |p| ok(geom("Point", json!([p.0, p.1])), vec![p])),
        (pos(), -100.0..9000.0f64).prop_map(move |(p, alt)| ok(geom("Point", json!([p.0, p.1, alt])), vec![p])),
        prop::collection::vec(pos(), 1..5).prop_map(move |ps| ok(geom("MultiPoint", coords(&ps)), ps)),
        prop::collection::vec(pos(), 2..6).prop_map(move |ps| ok(geom("LineString", coords(&ps)), ps)),
        prop::collection::vec(prop::collection::vec(pos(), 2..5), 1..3)
            .prop_map(move |ls| ok(geom("MultiLineString", Value::Array(ls.iter().map(|l| coords(l)).collect())), ls.concat())),
        prop::collection::vec(ring(), 1..3)
            .prop_map(move |rs| ok(geom("Polygon", Value::Array(rs.iter().map(|r| coords(r)).collect())), rs.concat())),
        prop::collection::vec(prop::collection::vec(ring(), 1..3), 1..3).prop_map(move |ps| {
            let value = Value::Array(ps.iter().map(|rs| Value::Array(rs.iter().map(|r| coords(r)).collect())).collect());
            ok(geom("MultiPolygon", value), ps.concat().concat())
        }),
        Just(Geom { value: Some(Value::Null), expect: Expect::Load, positions: vec![] }),
    ]
}

fn bad_geometry() -> impl Strategy<Value = Geom> {
    let skip = |value: Option<Value>| Geom { value, expect: Expect::Skip, positions: vec![] };
    prop_oneof![
        // One position out of WGS84, in any kind of geometry.
        (prop::collection::vec(pos(), 4..7), bad_pos(), any::<Index>(), prop::sample::select(vec!["MultiPoint", "LineString", "Polygon"]))
            .prop_map(move |(mut ps, bad, at, kind)| {
                let n = ps.len();
                if kind == "Polygon" {
                    ps.push(ps[0]);
                    ps[at.index(n - 1) + 1] = bad; // not the closing pair
                    skip(Some(geom(kind, json!([coords(&ps)]))))
                } else {
                    ps[at.index(n)] = bad;
                    skip(Some(geom(kind, coords(&ps))))
                }
            }),
        // Degenerate rings: unclosed, too short, empty, no rings.
        (prop::collection::vec(pos(), 4..7)).prop_map(move |mut ps| {
            let first = ps[0];
            let last = ps.len() - 1;
            ps[last] = (first.0 / 2.0 + 1.0, first.1 / 2.0 + 1.0);
            skip(Some(geom("Polygon", json!([coords(&ps)]))))
        }),
        (prop::collection::vec(pos(), 1..3)).prop_map(move |mut ps| {
            ps.push(ps[0]);
            skip(Some(geom("Polygon", json!([coords(&ps)]))))
        }),
        prop::sample::select(vec![
            json!({"type": "Polygon", "coordinates": []}),
            json!({"type": "Polygon", "coordinates": [[]]}),
            json!({"type": "MultiPolygon", "coordinates": [[]]}),
            json!({"type": "MultiPoint", "coordinates": []}),
            json!({"type": "LineString", "coordinates": []}),
            json!({"type": "MultiLineString", "coordinates": []}),
            json!({"type": "Point", "coordinates": [117.2]}),
            json!({"type": "Point", "coordinates": []}),
            json!({"type": "Point", "coordinates": [[117.2, 39.1]]}),
            json!({"type": "Point", "coordinates": ["117.2", "39.1"]}),
            json!({"type": "Point", "coordinates": "117.2,39.1"}),
            json!({"type": "Point", "coordinates": null}),
            json!({"type": "Point"}),
            json!({"type": "Circle", "coordinates": [117.2, 39.1], "radius": 5}),
            json!({"coordinates": [117.2, 39.1]}),
            json!("POINT(117.2 39.1)"),
            json!([117.2, 39.1]),
            json!(42),
            json!({"type": "GeometryCollection", "geometries": []}),
            json!({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [117.2, 39.1]}]}),
            json!({"type": "GeometryCollection", "geometries": [{"type": "GeometryCollection", "geometries": []}]}),
        ])
        .prop_map(move |v| skip(Some(v))),
        // Nested far deeper than any geometry (but within the JSON parser's limit).
        (2usize..100).prop_map(move |depth| {
            let mut c = json!([117.2, 39.1]);
            for _ in 0..depth {
                c = Value::Array(vec![c]);
            }
            skip(Some(geom("Point", c)))
        }),
        Just(skip(None)),
    ]
}

/// A foreign `crs` member (RFC 7946 removed `crs`; old files still carry one) or a `bbox`.
fn foreign_member() -> impl Strategy<Value = Option<(String, Value)>> {
    prop::option::weighted(
        0.2,
        prop::sample::select(vec![
            ("crs".to_string(), json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}})),
            ("crs".to_string(), json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}})),
            ("crs".to_string(), json!({"type": "link", "properties": {"href": "http://evil.example/crs", "type": "proj4"}})),
            ("crs".to_string(), json!(null)),
            ("bbox".to_string(), json!([117, 39, 118, 40])),
            ("bbox".to_string(), json!("everywhere")),
        ]),
    )
}

#[derive(Debug, Clone)]
enum IdSpec {
    /// `"<prefix>-<index>"`: unique.
    Str(String),
    /// A number, unique.
    Num,
    /// The first feature's id again.
    Duplicate,
    /// Missing, null, empty, blank, an object, an array: no usable id.
    Bad(Option<Value>),
}

fn id_spec() -> impl Strategy<Value = IdSpec> {
    prop_oneof![
        6 => hostile().prop_map(IdSpec::Str),
        1 => Just(IdSpec::Num),
        1 => Just(IdSpec::Duplicate),
        1 => prop::sample::select(vec![None, Some(json!(null)), Some(json!("")), Some(json!(" \t")), Some(json!({"a": 1})), Some(json!([1]))])
            .prop_map(IdSpec::Bad),
    ]
}

#[derive(Debug, Clone)]
struct Props {
    /// `None`: no `properties` member.
    value: Option<Value>,
    expect: Expect,
    name_en: Option<String>,
}

const REQUIRED: [&str; 6] = ["layer", "name_zh", "name_en", "status", "precision", "precision_note"];

fn props() -> impl Strategy<Value = Props> {
    let strings = prop::collection::vec(hostile(), 12);
    let status = prop::sample::select(vec!["existing", "under_construction", "planned", "under_study"]);
    let precision = prop::sample::select(vec!["surveyed", "approximate", "schematic"]);
    let mutation = prop_oneof![
        6 => Just(None),
        1 => prop::sample::select(REQUIRED.to_vec()).prop_map(|k| Some(("remove", k))),
        1 => prop::sample::select(REQUIRED.to_vec()).prop_map(|k| Some(("number", k))),
        1 => prop::sample::select(vec!["status", "precision"]).prop_map(|k| Some(("word", k))),
        1 => Just(Some(("null", ""))),
        1 => Just(Some(("missing", ""))),
        1 => prop::sample::select(vec!["excerpts", "numbers", "parts"]).prop_map(|k| Some(("string", k))),
    ];
    (strings, status, precision, mutation, prop::collection::vec((word(), arb_json()), 0..3)).prop_map(
        |(s, status, precision, mutation, extra)| {
            let mut p = json!({
                "layer": s[0], "name_zh": s[1], "name_en": s[2], "status": status, "precision": precision,
                "precision_note": s[3], "precision_note_zh": s[4], "period": s[5], "period_zh": s[6],
                "description_en": s[7], "description_zh": s[8], "source": s[9], "district": s[10],
                "excerpts": [{"doc": s[11], "quote": s[2]}],
                "numbers": [{"label_zh": s[1], "label_en": s[2], "value": 1e308, "unit": s[3], "year": 2035}],
            });
            let Some(obj) = p.as_object_mut() else { unreachable!("an object literal") };
            // Unknown members are allowed and ignored (but must not replace a known one).
            for (k, v) in extra {
                if !obj.contains_key(&k) {
                    obj.insert(k, v);
                }
            }
            let name_en = Some(s[2].clone());
            match mutation {
                None => Props { value: Some(p), expect: Expect::Load, name_en },
                Some(("remove", k)) => {
                    obj.remove(k);
                    Props { value: Some(p), expect: Expect::Skip, name_en: None }
                }
                Some(("number", k)) => {
                    obj.insert(k.to_string(), json!(5));
                    Props { value: Some(p), expect: Expect::Skip, name_en: None }
                }
                Some(("word", k)) => {
                    obj.insert(k.to_string(), json!(format!("<b>{k}</b>")));
                    Props { value: Some(p), expect: Expect::Skip, name_en: None }
                }
                Some(("string", k)) => {
                    obj.insert(k.to_string(), json!("<script>"));
                    Props { value: Some(p), expect: Expect::Skip, name_en: None }
                }
                Some(("null", _)) => Props { value: Some(Value::Null), expect: Expect::Skip, name_en: None },
                Some(_) => Props { value: None, expect: Expect::Skip, name_en: None },
            }
        },
    )
}

#[derive(Debug, Clone)]
struct FeatureSpec {
    id: IdSpec,
    geometry: Geom,
    props: Props,
    foreign: Option<(String, Value)>,
    /// `type` other than `"Feature"` (wrong case, missing, or a collection).
    wrong_type: Option<Option<&'static str>>,
}

fn feature_spec() -> impl Strategy<Value = FeatureSpec> {
    let geometry = prop_oneof![3 => good_geometry(), 1 => bad_geometry()];
    let wrong_type = prop::option::weighted(0.05, prop::sample::select(vec![None, Some("feature"), Some("FeatureCollection")]));
    (id_spec(), geometry, props(), foreign_member(), wrong_type).prop_map(|(id, geometry, props, foreign, wrong_type)| FeatureSpec {
        id,
        geometry,
        props,
        foreign,
        wrong_type,
    })
}

/// A generated feature as JSON, its loaded id, and what the loader must do with it.
fn build_feature(i: usize, spec: &FeatureSpec, first_id: Option<&Value>) -> (Value, Option<String>, Expect) {
    let (id, id_expect) = match &spec.id {
        IdSpec::Str(prefix) => (Some(json!(format!("{prefix}-{i}"))), Expect::Load),
        IdSpec::Num => (Some(json!(1000 + i)), Expect::Load),
        // A copy of a feature that was skipped is no duplicate: either way.
        IdSpec::Duplicate => (first_id.cloned(), Expect::Either),
        IdSpec::Bad(v) => (v.clone(), Expect::Skip),
    };
    let mut f = serde_json::Map::new();
    match spec.wrong_type {
        None => {
            f.insert("type".into(), json!("Feature"));
        }
        Some(Some(t)) => {
            f.insert("type".into(), json!(t));
        }
        Some(None) => {}
    }
    if let Some(id) = &id {
        f.insert("id".into(), id.clone());
    }
    if let Some(g) = &spec.geometry.value {
        f.insert("geometry".into(), g.clone());
    }
    if let Some(p) = &spec.props.value {
        f.insert("properties".into(), p.clone());
    }
    let mut expect = id_expect.and(spec.geometry.expect).and(spec.props.expect);
    if let Some((k, v)) = &spec.foreign {
        f.insert(k.clone(), v.clone());
        expect = expect.and(Expect::Either);
    }
    if spec.wrong_type.is_some() {
        expect = expect.and(Expect::Either);
    }
    let loaded_id = match &id {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    (Value::Object(f), loaded_id, expect)
}

fn collection(features: Vec<Value>, foreign: &Option<(String, Value)>) -> Value {
    let mut c = json!({ "type": "FeatureCollection", "features": features });
    if let (Some((k, v)), Some(o)) = (foreign, c.as_object_mut()) {
        o.insert(k.clone(), v.clone());
    }
    c
}

/// Raw number tokens and other text that JSON values cannot hold, spliced in as text.
const RAW_TOKENS: &[(&str, bool)] = &[
    // (token, whether the file must be refused as JSON)
    ("NaN", true),
    ("-NaN", true),
    ("nan", true),
    ("Infinity", true),
    ("-Infinity", true),
    ("1e309", true),
    ("-1e309", true),
    ("1e99999", true),
    ("0x10", true),
    ("1_000", true),
    (".5", true),
    ("+1", true),
    ("01", true),
    ("1.", true),
    ("1e", true),
    ("--1", true),
    ("117.2,", true),
    ("1e-400", false),
    ("-0", false),
    ("123456789012345678901234567890", false),
    ("117.20000000000000000000000000001", false),
    ("\"117.2\"", false),
    ("null", false),
    ("true", false),
    ("{}", false),
];

const RAW_MARK: &str = "@@RAW@@";

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn layer_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check!(check_layer(&String::from_utf8_lossy(&bytes)));
    }

    #[test]
    fn layer_arbitrary_text(text in prop_oneof![any::<String>(), "[\\[\\]{}\",:0-9a-zA-Z.eE+-]{0,200}"]) {
        check!(check_layer(&text));
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn layer_arbitrary_json(v in arb_json(), items in prop::collection::vec(arb_json(), 0..6)) {
        // Anything as a whole file, and anything as the features of a real collection.
        check!(check_layer(&v.to_string()));
        let text = json!({ "type": "FeatureCollection", "features": items }).to_string();
        let result = hold!(check_layer(&text));
        prop_assert!(result.is_ok(), "a FeatureCollection with a features array was refused: {:?}", result.err());
    }

    #[test]
    fn layer_near_valid_collections(specs in prop::collection::vec(feature_spec(), 0..8), foreign in foreign_member()) {
        let mut features = Vec::new();
        let mut expected = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let first_id = features.first().and_then(|f: &Value| f.get("id"));
            let (value, id, expect) = build_feature(i, spec, first_id);
            features.push(value);
            expected.push((id, expect));
        }
        let text = collection(features, &foreign).to_string();
        let layer = match hold!(check_layer(&text)) {
            Ok(layer) => layer,
            // A file may be refused whole for a `crs` that is not WGS84, saying so.
            Err(e) if foreign.as_ref().is_some_and(|(k, v)| k == "crs" && !v.is_null()) => {
                prop_assert!(e.to_string().contains("crs"), "refused for its crs without saying so: {}", e);
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("a valid collection was refused: {e}"))),
        };
        for (i, (spec, (id, expect))) in specs.iter().zip(&expected).enumerate() {
            let loaded = id.as_ref().and_then(|id| layer.features.iter().find(|f| &f.id == id));
            let reported = layer.diagnostics.iter().any(|d| d.index == i);
            match expect {
                Expect::Load => {
                    let Some(f) = loaded else {
                        return Err(TestCaseError::fail(format!("feature #{i} is valid but was not loaded: {:?}", layer.diagnostics)));
                    };
                    // Loaded as written: every position, and strings verbatim (script and all).
                    let got: Vec<(f64, f64)> = f.geometry.positions().map(|p| (p.lon, p.lat)).collect();
                    prop_assert_eq!(got.len(), spec.geometry.positions.len());
                    for (g, w) in got.iter().zip(&spec.geometry.positions) {
                        prop_assert!((g.0 - w.0).abs() < 1e-9 && (g.1 - w.1).abs() < 1e-9, "#{}: {:?} loaded as {:?}", i, w, g);
                    }
                    prop_assert_eq!(Some(&f.props.name_en), spec.props.name_en.as_ref());
                    prop_assert_eq!(f.geometry.is_located(), spec.geometry.value != Some(Value::Null));
                }
                Expect::Skip => {
                    prop_assert!(reported, "feature #{} is invalid but no diagnostic names it: {:?}", i, layer.diagnostics);
                    let shared = expected.iter().filter(|(other, _)| other == id).count() > 1;
                    prop_assert!(loaded.is_none() || shared, "invalid feature #{} was loaded", i);
                }
                Expect::Either => {}
            }
        }
    }

    #[test]
    fn layer_raw_number_tokens(specs in prop::collection::vec(feature_spec(), 1..4), at in any::<Index>(), token in prop::sample::select(RAW_TOKENS)) {
        // One coordinate of a valid point is replaced by the raw token in the text.
        let (token, refused) = token;
        let mut features: Vec<Value> = specs.iter().enumerate().map(|(i, s)| build_feature(i, s, None).0).collect();
        let n = features.len();
        let target = &mut features[at.index(n)];
        if let Some(o) = target.as_object_mut() {
            o.insert("geometry".into(), json!({ "type": "Point", "coordinates": [RAW_MARK, 39.1] }));
        }
        let text = collection(features, &None).to_string().replacen(&format!("\"{RAW_MARK}\""), token, 1);
        let result = hold!(check_layer(&text));
        if refused {
            prop_assert!(matches!(result, Err(LoadError::Json { .. })), "{} was not refused as JSON: {:?}", token, result);
        } else {
            prop_assert!(result.is_ok(), "{} refused: {:?}", token, result.err());
        }
    }
}

/// A visitor's file read by `atlas_core::import`: the same result however the bytes are
/// sliced, never a panic, ids of the layer's form, bounded texts.
fn import_in_slices(bytes: &[u8], cuts: &[usize]) -> atlas_core::import::Imported {
    let mut reader = atlas_core::import::Importer::new("m");
    let mut at = 0;
    for &c in cuts {
        let to = (at + c).min(bytes.len());
        reader.push(&bytes[at..to]);
        at = to;
    }
    reader.push(&bytes[at..]);
    reader.finish()
}

fn same_import(a: &atlas_core::import::Imported, b: &atlas_core::import::Imported) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.features, &b.features);
    prop_assert_eq!(a.skipped_count, b.skipped_count);
    prop_assert_eq!(&a.broken, &b.broken);
    for f in &a.features {
        prop_assert!(f.id.starts_with("m/") && f.id[2..].parse::<usize>().is_ok(), "id {:?}", f.id);
        prop_assert!(f.props.name_en.chars().count() <= 121, "name of {} chars", f.props.name_en.chars().count());
        prop_assert!(f.props.user.len() <= 41);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn import_arbitrary_bytes_in_any_slices(bytes in prop::collection::vec(any::<u8>(), 0..1024), cuts in prop::collection::vec(0usize..64, 0..12)) {
        let whole = import_in_slices(&bytes, &[]);
        same_import(&import_in_slices(&bytes, &cuts), &whole)?;
    }

    #[test]
    fn import_reads_every_feature_the_layer_loader_reads(specs in prop::collection::vec(feature_spec(), 0..8), cuts in prop::collection::vec(1usize..200, 0..12)) {
        let features: Vec<Value> = specs.iter().enumerate().map(|(i, s)| build_feature(i, s, None).0).collect();
        let text = collection(features, &None).to_string();
        let imported = import_in_slices(text.as_bytes(), &cuts);
        same_import(&imported, &import_in_slices(text.as_bytes(), &[]))?;
        prop_assert!(imported.broken.is_none(), "{:?}", imported.broken);
        let Ok(layer) = atlas_core::layer::parse_layer(&text) else { return Ok(()) };
        // The plan loader is the stricter: what it reads, the importer reads, at the same place.
        for f in &layer.features {
            let Some(g) = imported.features.iter().find(|g| g.props.user.first().is_some_and(|(k, v)| k == "id" && v == &f.id)) else {
                return Err(TestCaseError::fail(format!("{} loaded as a plan feature but not imported: {:?}", f.id, imported.skipped)));
            };
            prop_assert_eq!(&g.geometry, &f.geometry);
        }
    }
}

#[test]
fn layer_deep_nesting_is_refused_not_a_stack_overflow() {
    for depth in [127, 128, 129, 1_000, 100_000] {
        let coordinates = format!("{}117.2, 39.1{}", "[".repeat(depth), "]".repeat(depth));
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"a","geometry":{{"type":"Point","coordinates":{coordinates}}},"properties":{{}}}}]}}"#
        );
        let result = check_layer(&text).unwrap_or_else(|why| panic!("depth {depth}: {why}"));
        if let Ok(layer) = result {
            assert!(layer.features.is_empty(), "depth {depth}: a nested point was loaded");
        }
    }
    let properties = format!(r#"{{"type":"FeatureCollection","features":[],"x":{}{}}}"#, "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let result = check_layer(&properties).unwrap_or_else(|why| panic!("{why}"));
    assert!(result.is_err(), "50,000 nested objects parsed");
}

#[test]
fn layer_top_level_shapes() {
    // Each is refused with a message naming what was found.
    for (text, says) in [
        ("", "EOF"),
        ("null", "no \"type\" member"),
        ("{\"type\":\"Feature\"}", "Feature"),
        ("{\"type\":\"featurecollection\",\"features\":[]}", "featurecollection"),
        ("{\"type\":5,\"features\":[]}", "type"),
        ("{\"type\":\"FeatureCollection\"}", "features"),
        ("{\"type\":\"FeatureCollection\",\"features\":null}", "features"),
        ("{\"type\":\"FeatureCollection\",\"features\":{}}", "features"),
    ] {
        let err = match check_layer(text).unwrap_or_else(|why| panic!("{text:?}: {why}")) {
            Ok(_) => panic!("{text:?} was loaded"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(says), "{text:?}: {err}");
    }
    // An empty collection is a layer with nothing in it.
    let empty = check_layer(r#"{"type":"FeatureCollection","features":[]}"#).expect("rules hold").expect("loads");
    assert!(empty.features.is_empty() && empty.diagnostics.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Plan texts

/// Pieces of plan text that the model reads as structure: heading markers of every level,
/// tabs (table rows), line breaks of every kind, the spaces it trims.
const PLAN_PIECES: &[&str] = &[
    "第一章 总则",
    "第十六章",
    "第3节",
    "第",
    "一、",
    "十二、",
    "（一）",
    "(二)",
    "（",
    ")",
    "1.",
    "1．",
    "12、",
    "1..",
    "专栏7 项目",
    "專欄",
    "专栏",
    "表1-1 指标",
    "表2 ",
    "图2-3",
    "圖",
    "\t",
    "\t\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\u{3000}",
    "\u{2002}",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\u{85}",
    "。",
    "正文。",
    "甲\t乙\t丙",
    "é",
    "😀",
    "\u{0}",
    " ",
];

fn plan_like_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![3 => prop::sample::select(PLAN_PIECES).prop_map(String::from), 1 => "\\PC{0,6}"], 0..80)
        .prop_map(|pieces| pieces.concat())
}

fn chrome() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(prop_oneof![1usize..12, 0usize..4000], 0..8)
}

/// The five seeds, read at test time.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let texts: Vec<String> =
            paths.iter().map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).collect();
        assert!(!texts.is_empty(), "no seeds in {}", dir.display());
        texts
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, String),
    Delete(Index, usize),
    DuplicateLine(Index),
    JoinLines(Index),
    TabForSpace(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let piece = prop_oneof![3 => prop::sample::select(PLAN_PIECES).prop_map(String::from), 1 => any::<String>()];
    prop_oneof![
        3 => (any::<Index>(), piece).prop_map(|(at, s)| Mutation::Insert(at, s)),
        2 => (any::<Index>(), 0usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => any::<Index>().prop_map(Mutation::JoinLines),
        1 => any::<Index>().prop_map(Mutation::TabForSpace),
    ]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(text: &mut String, m: &Mutation) {
    let at = |i: &Index, s: &str| floor_boundary(s, i.index(s.len() + 1));
    match m {
        Mutation::Insert(i, piece) => {
            let p = at(i, text);
            text.insert_str(p, piece);
        }
        Mutation::Delete(i, n) => {
            let p = at(i, text);
            let end = floor_boundary(text, p + n);
            text.replace_range(p..end, "");
        }
        Mutation::DuplicateLine(i) => {
            let p = at(i, text);
            let start = text[..p].rfind('\n').map_or(0, |k| k + 1);
            let end = text[p..].find('\n').map_or(text.len(), |k| p + k);
            let line = format!("{}\n", &text[start..end]);
            text.insert_str(start, &line);
        }
        Mutation::JoinLines(i) => {
            let p = at(i, text);
            if let Some(k) = text[p..].find('\n') {
                text.remove(p + k);
            }
        }
        Mutation::TabForSpace(i) => {
            let p = at(i, text);
            if let Some(k) = text[p..].find([' ', '\u{3000}', '，']) {
                let c = text[p + k..].chars().next().map_or(1, char::len_utf8);
                text.replace_range(p + k..p + k + c, "\t");
            }
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn plan_arbitrary_text(text in prop_oneof![any::<String>(), plan_like_text()], chrome in chrome()) {
        check!(check_plan(&text, &chrome));
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn plan_mutated_seeds(
        seed in any::<Index>(),
        start in any::<Index>(),
        len in prop_oneof![1 => Just(usize::MAX), 7 => 0usize..12_000],
        mutations in prop::collection::vec(mutation(), 0..12),
        chrome in chrome(),
    ) {
        let seeds = seeds();
        let whole = &seeds[seed.index(seeds.len())];
        let from = floor_boundary(whole, start.index(whole.len() + 1));
        let to = floor_boundary(whole, from.saturating_add(len));
        let mut text = whole[from..to].to_string();
        for m in &mutations {
            mutate(&mut text, m);
        }
        check!(check_plan(&text, &chrome));
    }
}

#[test]
fn plan_every_seed_whole() {
    for text in seeds() {
        let doc = check_plan(text, &[]).unwrap_or_else(|why| panic!("{why}"));
        assert!(doc.toc.len() >= 5);
    }
}

// ---------------------------------------------------------------------------------------------
// URL state

fn arb_id() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z0-9._-]{1,24}",
        1 => prop::sample::select(vec!["districts", "eco-barrier", "metro", "a.b", "-", "_", "..", "000.txt"]).prop_map(String::from),
        1 => Just("x".repeat(120)),
    ]
}

fn layer_settings() -> impl Strategy<Value = Vec<LayerSetting>> {
    prop::collection::vec((arb_id(), prop::option::of(0u8..100)), 0..6).prop_map(|items| {
        let mut out: Vec<LayerSetting> = Vec::new();
        for (id, opacity) in items {
            // A single layer named `none` is read back as "no layers": see the regression test below.
            let repeated = out.iter().any(|l| l.id == id);
            if !repeated && (id != "none" || opacity.is_some()) {
                out.push(LayerSetting { id, opacity });
            }
        }
        out
    })
}

fn statuses() -> impl Strategy<Value = Vec<Status>> {
    prop::sample::subsequence(Status::ALL.to_vec(), 0..=4).prop_shuffle()
}

fn map_position() -> impl Strategy<Value = MapPosition> {
    // As written: 2 decimals of zoom, 5 of degrees.
    (0u32..=2200, -8_505_110i64..=8_505_110, -18_000_000i64..=18_000_000).prop_map(|(z, lat, lon)| MapPosition {
        zoom: f64::from(z) / 100.0,
        lat: lat as f64 / 1e5,
        lon: lon as f64 / 1e5,
    })
}

fn query() -> impl Strategy<Value = Option<String>> {
    let q = prop_oneof![hostile(), "\\PC{1,200}", any::<String>().prop_filter("200 characters at most", |s| s.chars().count() <= 200)];
    prop::option::of(q).prop_map(|q| q.filter(|q| !q.trim().is_empty()))
}

/// A valid state: every field within its limits, as parsing leaves it.
fn url_state(with_tour: bool) -> BoxedStrategy<UrlState> {
    let a = (
        prop::option::of(map_position()),
        prop::option::of(layer_settings()),
        prop::option::of(statuses()),
        prop::option::of(arb_id()),
        prop::option::of(1usize..1000),
        prop::option::of(arb_id()),
        prop::option::of(1usize..=1_000_000),
        prop::option::of(1usize..=1_000_000),
    );
    let b = (
        prop::option::of(prop::sample::select(vec!["zh", "en"])),
        query(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![CompareMode::Swipe, CompareMode::Side])),
        prop::option::of(0u8..=100),
        prop::option::of(layer_settings()),
        prop::option::of(statuses()),
        any::<bool>(),
    );
    let tour = if with_tour {
        prop::collection::vec(url_state(false), 0..4)
            .prop_map(|views| {
                views.iter().map(|v| v.format().trim_start_matches('#').to_string()).filter(|v| !v.is_empty() && v.len() <= 2000).collect()
            })
            .boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    let stop = if with_tour { prop::option::of(1usize..=30).boxed() } else { Just(None).boxed() };
    let c = (tour, stop, any::<bool>(), prop::option::of(any::<bool>()), prop::option::of(20u16..=200));
    (a, b, c)
        .prop_map(|(a, b, c)| UrlState {
            map: a.0,
            layers: a.1,
            statuses: a.2,
            feature: a.3,
            excerpt: a.4,
            doc: a.5,
            line: a.6,
            at: a.7,
            lang: b.0.map(String::from),
            query: b.1,
            metro_2025: b.2,
            compare: b.3,
            split: b.4,
            right_layers: b.5,
            right_statuses: b.6,
            right_metro_2025: b.7,
            tour: c.0,
            stop: c.1,
            embed: c.2,
            reader: c.3,
            ratio: c.4,
        })
        .boxed()
}

/// Percent-encodes every byte that is not unreserved (as the app does), or at random leaves the
/// text raw.
fn percent(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

const URL_KEYS: &[&str] = &[
    "map",
    "layers",
    "status",
    "f",
    "e",
    "doc",
    "l",
    "at",
    "lang",
    "q",
    "metro",
    "cmp",
    "split",
    "rlayers",
    "rstatus",
    "rmetro",
    "embed",
    "reader",
    "ratio",
    "tour",
    "stop",
    "",
    "MAP",
    "zoom",
    "x",
    "__proto__",
    "f ",
    "%66",
];

fn url_value() -> BoxedStrategy<String> {
    prop_oneof![
        4 => hostile().prop_map(|s| percent(&s)),
        3 => hostile(),
        2 => "[-a-z0-9%:,./+&=#]{0,30}",
        // A real state's value, or a whole hash, possibly re-encoded as a tour would be.
        2 => url_state(true).prop_map(|s| s.format().trim_start_matches('#').to_string()),
        1 => url_state(false).prop_map(|s| percent(s.format().trim_start_matches('#'))),
        1 => prop::sample::select(vec!["%", "%Z", "%E5%8D", "%C0%AF", "%00", "%25", "++", "none", "1e3", "-0", "NaN/NaN/NaN", "22.005/85.05114/180.000001"]).prop_map(String::from),
    ]
    .boxed()
}

fn hostile_hash() -> impl Strategy<Value = String> {
    let field = (prop::sample::select(URL_KEYS), prop::option::of(url_value())).prop_map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k.to_string(),
    });
    prop_oneof![
        4 => (any::<bool>(), prop::collection::vec(field, 0..10)).prop_map(|(hash, fields)| format!("{}{}", if hash { "#" } else { "" }, fields.join("&"))),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn url_any_valid_state_round_trips(state in url_state(true)) {
        // Format a valid state, read it back: the same state, no problem.
        let hash = state.format();
        let (back, problems) = UrlState::parse(&hash);
        prop_assert!(problems.is_empty(), "{}: {:?}", hash, problems);
        prop_assert_eq!(&back, &state, "{}", hash);
        check!(check_url(&hash));
    }

    #[test]
    fn url_hostile_hashes(hash in hostile_hash()) {
        check!(check_url(&hash));
    }
}

#[test]
fn url_many_bad_fields_give_bounded_messages() {
    // 20,000 unknown fields (issue 16): each message is short; one per field at most.
    let hash = (0..20_000).map(|i| format!("k{i}{}=v", "x".repeat(i % 50))).collect::<Vec<_>>().join("&");
    check_url(&hash).unwrap_or_else(|why| panic!("{why}"));
}

// ---------------------------------------------------------------------------------------------
// Embed messages

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Accept(Command),
    Refuse,
    Either,
}

fn view_number(range: (f64, f64)) -> impl Strategy<Value = (Value, bool)> {
    let (lo, hi) = range;
    prop_oneof![
        4 => (lo..=hi).prop_map(|x| (json!(x), true)),
        1 => prop::sample::select(vec![lo, hi]).prop_map(|x| (json!(x), true)),
        1 => prop::sample::select(vec![lo - 0.001, hi + 0.001, 1e308, -1e308]).prop_map(|x| (json!(x), false)),
        1 => prop::sample::select(vec![json!("1"), json!(null), json!([1]), json!(true)]).prop_map(|v| (v, false)),
    ]
}

fn layer_item() -> impl Strategy<Value = (Value, Option<LayerSetting>)> {
    prop_oneof![
        3 => arb_id().prop_map(|id| (json!(id), Some(LayerSetting { id, opacity: None }))),
        3 => (arb_id(), 0.0..=1.0f64).prop_map(|(id, o)| {
            let opacity = Some((o * 100.0).round() as u8).filter(|o| *o < 100);
            (json!({ "id": id, "opacity": o }), Some(LayerSetting { id, opacity }))
        }),
        1 => arb_id().prop_map(|id| (json!({ "id": id, "opacity": null }), Some(LayerSetting { id, opacity: None }))),
        1 => prop_oneof![
            hostile().prop_filter("not an id", |s| !is_id(s)).prop_map(Value::from),
            arb_id().prop_map(|id| json!({ "id": id, "opacity": 1.5 })),
            arb_id().prop_map(|id| json!({ "id": id, "opacity": "0.5" })),
            arb_id().prop_map(|id| json!({ "id": id, "opacity": -0.01 })),
            Just(json!({ "opacity": 0.5 })),
            Just(json!(42)),
            Just(json!(null)),
        ]
        .prop_map(|v| (v, None)),
    ]
}

fn command_body() -> impl Strategy<Value = (Value, Outcome)> {
    prop_oneof![
        prop_oneof![
            arb_id().prop_map(|id| (json!(id), Outcome::Accept(Command::Select(Some(id))))),
            Just((json!(null), Outcome::Accept(Command::Select(None)))),
            hostile().prop_map(|s| {
                let outcome = if is_id(&s) { Outcome::Accept(Command::Select(Some(s.clone()))) } else { Outcome::Refuse };
                (json!(s), outcome)
            }),
            prop::sample::select(vec![json!(7), json!({}), json!([]), json!(true)]).prop_map(|v| (v, Outcome::Refuse)),
        ]
        .prop_map(|(feature, outcome)| (json!({ "type": "select", "feature": feature }), outcome)),
        prop::collection::vec(layer_item(), 0..70).prop_map(|items| {
            let list: Vec<Value> = items.iter().map(|(v, _)| v.clone()).collect();
            let settings: Option<Vec<LayerSetting>> = items.into_iter().map(|(_, s)| s).collect();
            let outcome = match settings {
                Some(s) if s.len() > 64 => Outcome::Refuse,
                Some(s) => {
                    let mut ids: Vec<&str> = s.iter().map(|l| l.id.as_str()).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    if ids.len() == s.len() {
                        Outcome::Accept(Command::SetLayers(s))
                    } else {
                        Outcome::Refuse
                    }
                }
                None => Outcome::Refuse,
            };
            (json!({ "type": "setLayers", "layers": list }), outcome)
        }),
        (view_number((0.0, 22.0)), view_number((-85.0511, 85.0511)), view_number((-180.0, 180.0))).prop_map(|(z, la, lo)| {
            let outcome = match (z.0.as_f64(), la.0.as_f64(), lo.0.as_f64()) {
                (Some(zoom), Some(lat), Some(lon)) if z.1 && la.1 && lo.1 => {
                    Outcome::Accept(Command::SetView(MapPosition { zoom, lat, lon }))
                }
                _ if z.1 && la.1 && lo.1 => Outcome::Either,
                _ => Outcome::Refuse,
            };
            (json!({ "type": "setView", "zoom": z.0, "lat": la.0, "lon": lo.0 }), outcome)
        }),
        prop_oneof![
            prop::sample::select(vec!["zh", "en"]).prop_map(|l| (json!(l), Outcome::Accept(Command::SetLanguage(l)))),
            prop::sample::select(vec![json!("fr"), json!("ZH"), json!(" en"), json!(null), json!(1)]).prop_map(|v| (v, Outcome::Refuse)),
        ]
        .prop_map(|(lang, outcome)| (json!({ "type": "setLanguage", "lang": lang }), outcome)),
        Just((json!({ "type": "getState" }), Outcome::Accept(Command::GetState))),
        prop_oneof![hostile(), "[a-zA-Z]{41,200}"]
            .prop_filter("not a command", |t| !["select", "setLayers", "setView", "setLanguage", "getState"].contains(&t.as_str()))
            .prop_map(|t| (json!({ "type": t }), Outcome::Refuse)),
        prop::sample::select(vec![json!({}), json!({ "type": null }), json!({ "type": ["select"] })]).prop_map(|v| (v, Outcome::Refuse)),
    ]
}

fn message() -> impl Strategy<Value = (String, Outcome, Option<Value>)> {
    let version = prop_oneof![
        8 => Just((Some(json!(1)), true)),
        1 => prop::sample::select(vec![json!(2), json!(0), json!(-1), json!(1.0), json!(1.5), json!("1"), json!(null), json!(u64::MAX), json!(true), json!([1])])
            .prop_map(|v| (Some(v), false)),
        1 => Just((None, false)),
    ];
    let id = prop_oneof![
        3 => Just((None, None)),
        2 => "\\PC{0,64}".prop_map(|s| (Some(json!(s)), Some(json!(s)))),
        1 => "[a-z]{65,100}".prop_map(|s| (Some(json!(s)), None)),
        2 => any::<i64>().prop_map(|n| (Some(json!(n)), Some(json!(n)))),
        // Short decimals: JSON text gives them back exactly.
        1 => (-1_000_000i64..1_000_000).prop_map(|k| k as f64 / 100.0).prop_map(|f| (Some(json!(f)), Some(json!(f)))),
        1 => arb_json().prop_filter("not a string or number", |v| !v.is_string() && !v.is_number()).prop_map(|v| (Some(v), None)),
    ];
    let extra = prop::collection::vec((word(), arb_json()), 0..3);
    (version, command_body(), id, extra).prop_map(|((version, current), (body, outcome), (id, echoed), extra)| {
        let mut m = serde_json::Map::new();
        for (k, v) in extra {
            // Unknown members are ignored; known ones come from the body alone.
            if !["type", "planAtlas", "id", "feature", "layers", "zoom", "lat", "lon", "lang"].contains(&k.as_str()) {
                m.insert(k, v);
            }
        }
        if let Value::Object(b) = body {
            m.extend(b);
        }
        match version {
            Some(v) => m.insert("planAtlas".into(), v),
            None => m.remove("planAtlas"),
        };
        match id {
            Some(v) => m.insert("id".into(), v),
            None => m.remove("id"),
        };
        let text = Value::Object(m).to_string();
        // Over 16 KiB, a message is refused before it is read (so without its id).
        if text.len() > 16_384 {
            return (text, Outcome::Refuse, None);
        }
        let outcome = if current { outcome } else { Outcome::Refuse };
        (text, outcome, echoed)
    })
}

/// Origins as deployers write them, and what must never pass for one.
fn origin_entry() -> impl Strategy<Value = (Value, Option<String>)> {
    prop_oneof![
        3 => ("https?://[a-z0-9-]{1,12}(\\.[a-z0-9-]{1,8}){0,2}(:[0-9]{1,5})?", any::<bool>())
            .prop_map(|(o, slash)| (json!(if slash { format!("{o}/") } else { o.clone() }), Some(o))),
        2 => prop::sample::select(vec![
            json!("*"), json!("https://*.example.org"), json!("https://a.org/x"), json!("https://a.org; script-src *"),
            json!("https://a.org 'unsafe-inline'"), json!("javascript:alert(1)"), json!("https://"), json!("//a.org"),
            json!("https://a.org:99999x"), json!("https://a.org\\@evil.example"), json!("data:"), json!("'self'"),
            json!(null), json!(1), json!(["https://a.org"]),
        ])
        .prop_map(|v| (v, None)),
        1 => hostile().prop_map(|s| (json!(s), None)),
    ]
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn embed_arbitrary_text(text in prop_oneof![any::<String>(), "[\\[\\]{}\",:0-9a-zA-Z.]{0,120}"]) {
        check!(check_embed(&text));
        check!(check_embed_config(&text));
    }

    #[test]
    fn embed_arbitrary_json(v in arb_json(), ours in any::<bool>()) {
        let mut v = v;
        if let (true, Some(o)) = (ours, v.as_object_mut()) {
            o.insert("planAtlas".into(), json!(1));
        }
        check!(check_embed(&v.to_string()));
        check!(check_embed_config(&v.to_string()));
    }

    #[test]
    fn embed_near_valid_messages(m in message()) {
        let (text, outcome, echoed) = m;
        let result = hold!(check_embed(&text));
        match (&outcome, &result) {
            (Outcome::Accept(want), Ok(got)) => {
                match (want, &got.command) {
                    // Numbers pass through JSON text: equal within the parser's precision.
                    (Command::SetView(w), Command::SetView(g)) => prop_assert!(
                        (w.zoom - g.zoom).abs() < 1e-12 && (w.lat - g.lat).abs() < 1e-12 && (w.lon - g.lon).abs() < 1e-12,
                        "{:?} vs {:?}", w, g
                    ),
                    _ => prop_assert_eq!(want, &got.command),
                }
                prop_assert_eq!(&got.id, &echoed);
            }
            (Outcome::Refuse, Err(r)) => prop_assert_eq!(&r.id, &echoed, "{}", text),
            (Outcome::Either, _) => {}
            _ => return Err(TestCaseError::fail(format!("{text}: expected {outcome:?}, got {result:?}"))),
        }
    }
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn embed_config_origins(entries in prop::collection::vec(origin_entry(), 0..6), as_list in prop::bool::weighted(0.9)) {
        let list: Vec<Value> = entries.iter().map(|(v, _)| v.clone()).collect();
        let text = if as_list { json!({ "allowed_origins": list }) } else { json!({ "allowed_origins": list.first() }) }.to_string();
        let result = hold!(check_embed_config(&text));
        let valid: Option<Vec<String>> = entries.iter().map(|(_, o)| o.clone()).collect();
        match (as_list, valid) {
            (true, Some(origins)) => {
                let Ok(c) = result else { return Err(TestCaseError::fail(format!("{text} refused"))) };
                prop_assert_eq!(c.allowed_origins, origins);
            }
            // Strings that are no origin must not pass (a typo must not open the site).
            (true, None) => prop_assert!(result.is_err(), "{} accepted", text),
            _ => {}
        }
    }
}

#[test]
fn embed_big_messages_are_refused_cheaply() {
    let big = format!(r#"{{"planAtlas":1,"type":"getState","pad":"{}"}}"#, "<".repeat(1 << 20));
    let r = check_embed(&big).unwrap_or_else(|why| panic!("{why}"));
    assert!(r.is_err_and(|r| r.message.contains("too long")));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(check_embed(&deep).unwrap_or_else(|why| panic!("{why}")).is_err());
    assert!(embed::read(&deep).is_none());
}

// ---------------------------------------------------------------------------------------------
// Regressions found by these tests and by the fuzz runs (docs/fuzzing.md)

/// Finding 1: a visible layer whose id is `none`, with no opacity, is written `layers=none`,
/// which reads back as "no layers" (found by `url_hostile_hashes` as `layers=none:100`).
#[test]
fn regression_layer_named_none_round_trips() {
    for hash in ["#layers=none:100", "#rlayers=none:100", "#layers=none:100,metro"] {
        check_url(hash).unwrap_or_else(|why| panic!("{hash}: {why}"));
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Finding 2: the loader quotes whole input values in its messages (a 1 MB `"type"` gives a
    /// 1 MB error; a long `status` a long diagnostic), the unbounded notice of issue 16 again.
    #[test]
    fn regression_layer_messages_are_bounded(long in "[a-z<>/ ]{500,3000}", place in 0usize..6) {
        let feature = |id: &str, kind: &str, geometry: &str, status: &str| format!(
            r#"{{"type":"{kind}","id":"{id}","geometry":{geometry},"properties":{{"layer":"a","name_zh":"甲","name_en":"A","status":"{status}","precision":"schematic","precision_note":"n"}}}}"#
        );
        let point = r#"{"type":"Point","coordinates":[117.2,39.1]}"#;
        let odd_geometry = format!(r#"{{"type":"{long}","coordinates":[117.2,39.1]}}"#);
        let f = match place {
            0 => feature("a", &long, point, "planned"),
            1 => feature("a", "Feature", &odd_geometry, "planned"),
            2 => feature("a", "Feature", point, &long),
            3 => feature(&long, "Feature", "17", "planned"),
            _ => feature("a", "Feature", point, "planned"),
        };
        let kind = if place == 4 { long.as_str() } else { "FeatureCollection" };
        let text = format!(r#"{{"type":"{kind}","features":[{f}]}}"#);
        let result = hold!(check_layer(&text));
        check!(invariants::check_layer_messages_bounded(&result));
    }
}
