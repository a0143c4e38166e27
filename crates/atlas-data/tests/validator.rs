//! The validator on the shipped site and on deliberately broken fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

use atlas_core::datum::wgs84_to_gcj02;
use atlas_core::layer::{parse_layer, Geometry, LoadedLayer};
use atlas_core::manifest::LayerKind;
use atlas_data::{check_datum, validate_layer, validate_site, Report, Texts};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check_fixture(name: &str) -> Report {
    let texts = Texts::load(&root()).expect("seeds");
    let text = std::fs::read_to_string(root().join("tests/fixtures").join(name)).expect("fixture");
    let mut report = Report::default();
    validate_layer(name, "eco-barrier", LayerKind::Plan, &text, &texts, &mut report);
    report
}

#[test]
fn shipped_site_is_valid() {
    let report = validate_site(&root());
    assert!(report.is_ok(), "{:#?}", report.errors);
    assert!(report.features >= 30, "{}", report.features);
    assert!(report.notes.iter().any(|n| n.starts_with("datum:")), "{:?}", report.notes);
}

#[test]
fn good_fixture_passes() {
    let r = check_fixture("good-eco-barrier.geojson");
    assert!(r.is_ok(), "{:?}", r.errors);
}

#[test]
fn bad_fixtures_fail_with_specific_messages() {
    for (file, needle) in [
        ("bad-quote.geojson", "quote not found verbatim in 004_807393adc7e55925.txt"),
        ("bad-no-description.geojson", "description_en is missing"),
        ("bad-unclosed.geojson", "not closed"),
        ("bad-winding.geojson", "winds clockwise"),
        ("bad-outside.geojson", "not a WGS84"),
        ("bad-no-excerpt.geojson", "needs at least one excerpt"),
        ("bad-one-language.geojson", "precision_note \"fixture\" has no Chinese counterpart: add precision_note_zh"),
        ("bad-unit.geojson", "has the unit \"furlongs\", which atlas_core::quantity cannot write in both languages"),
    ] {
        let r = check_fixture(file);
        assert!(!r.is_ok(), "{file} passed");
        assert!(r.errors.iter().any(|e| e.contains(needle)), "{file}: {:?}", r.errors);
    }
}

#[test]
fn a_text_in_one_language_only_is_reported_by_name() {
    // Regression (issue 15): periods, precision notes and descriptions were English only, and
    // the Chinese interface showed them in English.
    let r = check_fixture("bad-one-language.geojson");
    for needle in [
        "fixture-1: description_en \"A fixture feature of the eco-barrier layer, quoting the plan.\" has no Chinese counterpart: add description_zh",
        "fixture-1: period \"by 2025\" has no Chinese counterpart: add period_zh",
        "fixture-1: precision_note \"fixture\" has no Chinese counterpart: add precision_note_zh",
    ] {
        assert!(r.errors.iter().any(|e| e.ends_with(needle)), "{needle}: {:?}", r.errors);
    }
    assert_eq!(r.errors.len(), 3, "{:?}", r.errors);
    // A "Chinese" text with no Chinese in it is caught too.
    let text = std::fs::read_to_string(root().join("tests/fixtures/good-eco-barrier.geojson")).expect("fixture");
    let english = text.replace("测试数据", "test data");
    let texts = Texts::load(&root()).expect("seeds");
    let mut report = Report::default();
    validate_layer("english-zh", "eco-barrier", LayerKind::Plan, &english, &texts, &mut report);
    assert!(report.errors.iter().any(|e| e.ends_with("precision_note_zh \"test data\" is not Chinese")), "{:?}", report.errors);
}

#[test]
fn the_manifest_is_checked_for_both_languages() {
    let text = std::fs::read_to_string(root().join("public/data/manifest.json")).expect("manifest");
    let mut m = atlas_core::manifest::Manifest::parse(&text).expect("parses");
    let mut ok = Report::default();
    atlas_data::check_manifest_languages(&m, &mut ok);
    assert!(ok.is_ok(), "{:?}", ok.errors);
    m.documents[1].note_zh.clear();
    m.documents[0].issuer_en.clear();
    m.layers[0].description_zh = " ".into();
    let mut bad = Report::default();
    atlas_data::check_manifest_languages(&m, &mut bad);
    assert_eq!(bad.errors.len(), 3, "{:?}", bad.errors);
    assert!(bad.errors.iter().any(|e| e.contains("needs both description_zh and description_en")), "{:?}", bad.errors);
}

#[test]
fn wrong_quote_reports_the_nearest_match() {
    let r = check_fixture("bad-quote.geojson");
    let e = r.errors.iter().find(|e| e.contains("quote not found")).expect("error");
    assert!(e.contains("nearest: the quote's first 10 of 11 characters match at line 489"), "{e}");
}

fn shift_to_gcj(layer: &mut LoadedLayer) {
    for f in &mut layer.features {
        if let Geometry::Polygons(polys) = &mut f.geometry {
            for p in polys.iter_mut().flatten().flatten() {
                *p = wgs84_to_gcj02(*p);
            }
        }
    }
}

#[test]
fn districts_left_in_gcj02_are_caught() {
    let text = std::fs::read_to_string(root().join("public/data/layers/districts.geojson")).expect("districts");
    let mut layer = parse_layer(&text).expect("parses");
    let mut ok = Report::default();
    check_datum("districts", &layer, &mut ok);
    assert!(ok.is_ok(), "{:?}", ok.errors);
    // Regression: Chinese web-map data arrives in GCJ-02 and must be converted before use.
    shift_to_gcj(&mut layer);
    let mut bad = Report::default();
    check_datum("districts-gcj", &layer, &mut bad);
    assert!(bad.errors.iter().any(|e| e.contains("Tianjin Eye") && e.contains("GCJ-02")), "{:?}", bad.errors);
}

#[test]
fn cli_exits_nonzero_on_a_bad_fixture_and_zero_on_the_site() {
    let exe = env!("CARGO_BIN_EXE_atlas-validate");
    let bad = Command::new(exe)
        .args(["--file", "tests/fixtures/bad-quote.geojson", "--layer", "eco-barrier"])
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(out.contains("error: ") && out.contains("fixture-1") && out.contains("1 errors"), "{out}");
    let good = Command::new(exe).arg(root()).output().expect("runs");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stdout));
}

#[test]
fn committed_fold_table_is_current() {
    let texts = Texts::load(&root()).expect("seeds");
    let want = atlas_data::fold_table_json(&atlas_data::corpus(&texts));
    let have = std::fs::read_to_string(root().join("public/data/fold-t2s.json")).expect("fold table");
    assert!(have == want, "public/data/fold-t2s.json is stale: run `cargo run -p atlas-data --bin atlas-fold`");
    assert!(have.contains("\"園\":\"园\""));
}

#[test]
fn table_1_1_choropleth_matches_the_table_in_the_plan() {
    use atlas_core::plan::{BlockKind, PlanDoc};
    let seed = std::fs::read_to_string(root().join("seeds/004_807393adc7e55925.txt")).expect("seed");
    let doc = PlanDoc::build(&seed, &[]);
    let cap = doc.blocks.iter().position(|b| b.kind == BlockKind::Caption && seed[b.range.clone()].starts_with("表1-1")).expect("caption");
    let BlockKind::Table(rows) = &doc.blocks[cap + 1].kind else { panic!("table 1-1 is not a table") };
    let cell = |r: usize, c: usize| seed[rows[r].cells[c].clone()].to_string();
    let text = std::fs::read_to_string(root().join("public/data/layers/eco-barrier-control.geojson")).expect("layer");
    let layer = parse_layer(&text).expect("parses");
    assert_eq!(layer.features.len(), rows[0].cells.len() - 1);
    for (col, f) in layer.features.iter().enumerate() {
        let district = cell(0, col + 1);
        assert!(f.props.name_zh.starts_with(&district), "{} vs {district}", f.props.name_zh);
        for (r, n) in f.props.numbers.iter().enumerate() {
            let want: f64 = cell(r + 1, col + 1).parse().expect("number");
            assert_eq!(n.value, want, "{district} row {}", r + 1);
        }
    }
}
