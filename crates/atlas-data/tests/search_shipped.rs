//! The search over the shipped plans, layers and glossary (the index the browser builds): the
//! glossary's Chinese occurs in the plans, and citizen questions find their clauses.

use std::collections::HashSet;
use std::path::Path;

use atlas_core::find::{Found, Only};
use atlas_data::SiteSearch;

fn search() -> SiteSearch {
    SiteSearch::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).expect("the site's search loads")
}

/// The rank (from 1) of the first result whose description satisfies `ok`, if any.
fn rank(s: &SiteSearch, query: &str, ok: impl Fn(&str) -> bool) -> Option<usize> {
    s.find(query, Only::All, 40).hits.iter().position(|h| ok(&s.describe(&h.found))).map(|i| i + 1)
}

#[test]
fn the_glossary_speaks_the_plans_language() {
    let s = search();
    assert!(s.glossary.len() >= 300, "{} entries", s.glossary.len());
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/glossary.json")).expect("glossary");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let corpus: String = s.texts.iter().map(|(_, t)| s.folder.fold(t)).collect();
    let mut seen = HashSet::new();
    let mut missing = Vec::new();
    for e in v["entries"].as_array().expect("entries") {
        for z in e["zh"].as_array().expect("zh") {
            let z = s.folder.fold(z.as_str().expect("a string"));
            if !corpus.contains(&z) {
                missing.push(z);
            }
        }
        for en in e["en"].as_array().expect("en") {
            assert!(seen.insert(en.as_str().expect("a string").to_string()), "{en} is in two entries");
        }
    }
    assert!(missing.is_empty(), "glossary Chinese that no plan holds: {missing:?}");
}

#[test]
fn citizen_questions_find_their_clauses() {
    let s = search();
    // Several words: Nankai's metro clauses (the Nankai plan's title supplies 南开).
    assert!(rank(&s, "南开 地铁", |d| d.starts_with("003:") && (d.contains("地铁") || d.contains("轨道交通"))).is_some_and(|r| r <= 3));
    // English through the glossary: the 污水处理厂 clauses of file 000 (traditional characters).
    let r = s.find("wastewater treatment plant", Only::Doc(0), 10);
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| s.describe(&h.found).contains("污水處理廠")), "{:?}", r.hits);
    assert!(r.hits[0].translated.contains(&"污水处理厂".to_string()));
    // Hexi's park clauses.
    assert!(rank(&s, "Hexi park", |d| d.starts_with("002:") && d.contains("公园")).is_some_and(|r| r <= 10));
    // The clause that answers comes before a table's worth of district features.
    assert!(rank(&s, "一级管控区", |d| d.starts_with("004:")).is_some_and(|r| r <= 2));
    // A term found nowhere is left out and said to be.
    let r = s.find("EV charging piles", Only::All, 10);
    assert!(r.hits.iter().take(3).any(|h| matches!(h.found, Found::Clause { .. })));
    // Numbers with units, either way round.
    for q in ["600米", "600 meters", "600 m"] {
        assert!(rank(&s, q, |d| d.contains("600米")).is_some(), "{q}");
    }
}
