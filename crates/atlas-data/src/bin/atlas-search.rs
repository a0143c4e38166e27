//! `atlas-search [--root ROOT] [--only features|text] QUERY...`: run the site's search natively
//! (the same `atlas_core::find` the browser runs, over the shipped plans, layers and glossary)
//! and print the top results of each query: for data authors checking what a citizen finds.

use std::io::Write;
use std::path::PathBuf;

use atlas_core::find::Only;
use atlas_data::SiteSearch;

fn main() {
    let mut root = PathBuf::from(".");
    let mut only = Only::All;
    let mut queries = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--root" => root = PathBuf::from(args.next().unwrap_or_default()),
            "--only" => {
                only = match args.next().as_deref() {
                    Some("features") => Only::Features,
                    Some("text") => Only::Text,
                    _ => Only::All,
                }
            }
            _ => queries.push(a),
        }
    }
    let mut out = std::io::stdout().lock();
    let search = match SiteSearch::load(&root) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-search: {e}");
            std::process::exit(1);
        }
    };
    for q in &queries {
        let r = search.find(q, only, 10);
        let _ = writeln!(out, "## {q}  ({} matches; ignored: {:?})", r.total, r.ignored);
        for (i, h) in r.hits.iter().enumerate() {
            let what: String = search.describe(&h.found).chars().take(70).collect();
            let tr = if h.translated.is_empty() { String::new() } else { format!(" [{}]", h.translated.join(",")) };
            let _ = writeln!(out, "{:>2}. {:5.2} {what}{tr}", i + 1, h.score);
        }
    }
}
