//! The geometry audit on its own fixtures (tests/fixtures/audit/): two square districts, a
//! coast along 117.25° E, a plan layer with one clean feature of each kind and one feature
//! breaking each rule, and a metro layer checked against three reference stations. Every rule
//! must fire exactly where it should, and nowhere else.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use atlas_core::layer::{parse_layer, LoadedLayer};
use atlas_core::manifest::LayerKind;
use atlas_core::projection::LonLat;
use atlas_data::audit::{audit, AuditLayer, Finding, Reference, Severity};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

fn layer(name: &str) -> LoadedLayer {
    let text = std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let l = parse_layer(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(l.diagnostics.is_empty(), "{name}: {:?}", l.diagnostics);
    l
}

fn run(plan_visible: bool) -> Vec<Finding> {
    let (districts, city, coast, plan, metro) =
        (layer("districts.geojson"), layer("city.geojson"), layer("coastline.geojson"), layer("plan.geojson"), layer("metro.geojson"));
    let land_text = std::fs::read_to_string(dir().join("land.geojson")).expect("land fixture");
    let land = atlas_data::land_layer(&land_text).expect("land fixture parses");
    let mut reference = Reference::from_layers(&districts, &city, Some(land), Some(&coast));
    for (name, lon, lat) in [("对站", 117.03, 39.04), ("偏站", 117.05, 39.04), ("规划站", 117.0, 39.0)] {
        reference.stations.insert(atlas_data::audit::station_key(name, &[]), LonLat::new(lon, lat));
    }
    let layers = [
        AuditLayer { id: "districts", kind: LayerKind::Context, visible: true, layer: &districts },
        AuditLayer { id: "city-outline", kind: LayerKind::Context, visible: true, layer: &city },
        AuditLayer { id: "plan", kind: LayerKind::Plan, visible: plan_visible, layer: &plan },
        AuditLayer { id: "metro", kind: LayerKind::Plan, visible: true, layer: &metro },
    ];
    audit(&layers, &reference, &[])
}

fn fired(findings: &[Finding]) -> BTreeSet<(&'static str, String, Severity)> {
    findings.iter().map(|f| (f.rule, f.feature.clone(), f.severity)).collect()
}

#[test]
fn each_rule_fires_on_its_fixture_and_nowhere_else() {
    let findings = run(true);
    for f in &findings {
        eprintln!("{f}");
    }
    let e = Severity::Error;
    let expected: BTreeSet<(&'static str, String, Severity)> = [
        ("same-name-apart", "bad-same-name-a", e),
        ("shared-position", "bad-shared-a", e),
        ("outside-city", "bad-outside-city", e),
        ("offshore", "bad-offshore", e),
        ("outside-district", "bad-outside-district", e),
        ("outside-district", "bad-district-prop", e),
        ("stated-vs-drawn", "bad-area-approximate", e),
        ("stated-vs-drawn", "bad-area-schematic", Severity::Warning),
        ("district-sized", "bad-district-sized", e),
        ("district-sized", "bad-study-district", e),
        ("station-off-reference", "station-off", e),
        ("bad-reference", "bad-parts", e),
    ]
    .into_iter()
    .map(|(r, f, s)| (r, f.to_string(), s))
    .collect();
    assert_eq!(fired(&findings), expected);
    // Each finding names its feature's partner or figure, so an author can act on it.
    let msg = |rule: &str| findings.iter().find(|f| f.rule == rule).map(|f| f.message.clone()).unwrap_or_default();
    assert!(msg("same-name-apart").contains("bad-same-name-b"), "{}", msg("same-name-apart"));
    assert!(msg("shared-position").contains("bad-shared-b"), "{}", msg("shared-position"));
    assert!(msg("outside-district").contains("甲区") || msg("outside-district").contains("乙区"));
    assert!(msg("station-off-reference").contains(" m from"), "{}", msg("station-off-reference"));
    assert!(findings.iter().all(|f| f.to_string().starts_with(&format!("[{}] {}/{}", f.rule, f.layer, f.feature))));
}

#[test]
fn a_study_drawn_as_a_whole_district_is_allowed_off_the_default_map() {
    let fired = fired(&run(false));
    assert!(!fired.iter().any(|(_, f, _)| f == "bad-study-district"), "{fired:?}");
    assert!(fired.iter().any(|(_, f, _)| f == "bad-district-sized"), "{fired:?}");
}

#[test]
fn district_names_are_read_from_feature_names() {
    let names = ["津南区", "滨海新区", "南开区"];
    let d = |n: &str| atlas_data::audit::district_in_name(n, names.iter().copied());
    assert_eq!(d("津南区八里台镇").as_deref(), Some("津南区"));
    assert_eq!(d("津南“一城两芯三区”").as_deref(), Some("津南区"));
    assert_eq!(d("滨海：临港").as_deref(), Some("滨海新区"));
    assert_eq!(d("南开大学"), None, "a university named after the district is not the district");
    assert_eq!(d("滨海国际机场"), None);
}
