//! Plan Atlas core: everything that is pure logic, tested natively with `cargo test`.
//!
//! No module here may depend on leptos, web-sys, wasm-bindgen or gloo: the crate boundary keeps
//! the browser out (see STYLE.md).

pub mod basemap;
pub mod compare;
pub mod coord;
pub mod coverage;
pub mod datum;
pub mod embed;
pub mod excerpt;
pub mod export;
pub mod figures;
pub mod find;
pub mod geodesy;
pub mod geometry;
pub mod import;
pub mod labels;
pub mod layer;
pub mod link_index;
pub mod manifest;
pub mod offline;
pub mod plan;
pub mod plan_text;
pub mod prepared;
pub mod projection;
pub mod quantity;
pub mod query;
pub mod safe;
pub mod scale;
pub mod search;
pub mod site;
pub mod snapshot;
pub mod style;
pub mod svg;
pub mod url_state;
pub mod viewport;

/// The crate's modules must form no cycle: coordinate types and units live in `coord`, which
/// imports nothing from the crate, so that `layer`, `viewport` and `svg` need not import each
/// other (STYLE.md, "Cycles"; `layer → viewport → svg → layer` was one).
#[cfg(test)]
mod module_graph {
    use std::collections::{BTreeMap, BTreeSet};

    /// The crate modules that `source` refers to as `crate::<module>` (also inside
    /// `crate::{a, b::c}`), looking only at code before the first `#[cfg(test)]` line and
    /// skipping comment lines (doc links are not dependencies).
    fn references(source: &str) -> BTreeSet<String> {
        let code: String = source
            .lines()
            .take_while(|l| l.trim() != "#[cfg(test)]")
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let mut out = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            // `$crate::` and `foo_crate::` are not this crate.
            if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                out.extend(group.split(',').map(|item| ident(item.trim())).filter(|m| !m.is_empty()));
            } else {
                let m = ident(rest);
                if !m.is_empty() {
                    out.insert(m);
                }
            }
        }
        out
    }

    /// A cycle in `graph` as the list of its modules (first repeated at the end), if any.
    fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
        fn visit(
            node: &str,
            graph: &BTreeMap<String, BTreeSet<String>>,
            done: &mut BTreeSet<String>,
            path: &mut Vec<String>,
        ) -> Option<Vec<String>> {
            if let Some(i) = path.iter().position(|n| n == node) {
                let mut cycle = path[i..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            if done.contains(node) {
                return None;
            }
            path.push(node.to_string());
            for next in graph.get(node).into_iter().flatten() {
                if let Some(c) = visit(next, graph, done, path) {
                    return Some(c);
                }
            }
            path.pop();
            done.insert(node.to_string());
            None
        }
        let mut done = BTreeSet::new();
        graph.keys().find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
    }

    /// Every `src/*.rs` module but the crate root, with the modules it refers to.
    fn crate_graph() -> BTreeMap<String, BTreeSet<String>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut graph = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
            if path.extension().is_none_or(|e| e != "rs") || name == "lib" {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a module is readable");
            let mut refs = references(&source);
            refs.remove(&name);
            graph.insert(name, refs);
        }
        graph
    }

    #[test]
    fn the_crate_has_no_module_cycle() {
        let graph = crate_graph();
        assert!(graph.len() > 10 && graph.contains_key("coord"), "read the modules: {graph:?}");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
        assert!(graph["coord"].is_empty(), "coord imports {:?}", graph["coord"]);
    }

    #[test]
    fn references_and_cycles_are_found() {
        let src = "//! see crate::doc_link\nuse crate::{a, b::X};\nuse crate::c::Y;\nfn f() { $crate::m(); other_crate::n(); }\nlet v = crate::d::z();\n#[cfg(test)]\nmod tests { use crate::e; }\n";
        assert_eq!(references(src).into_iter().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        let graph = |edges: &[(&str, &str)]| {
            let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (from, to) in edges {
                g.entry(from.to_string()).or_default().insert(to.to_string());
                g.entry(to.to_string()).or_default();
            }
            g
        };
        // The cycle this test exists for.
        let old = graph(&[("layer", "viewport"), ("viewport", "svg"), ("svg", "layer"), ("labels", "layer")]);
        assert_eq!(find_cycle(&old).map(|c| c.join(" → ")).as_deref(), Some("layer → viewport → svg → layer"));
        let new = graph(&[("layer", "coord"), ("viewport", "coord"), ("svg", "layer"), ("svg", "coord"), ("labels", "layer")]);
        assert_eq!(find_cycle(&new), None);
    }
}
