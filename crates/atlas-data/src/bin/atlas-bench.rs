//! `atlas-bench [ROOT]`: native timings of the plan model and search (prints numbers; asserts
//! nothing). The browser figures come from bench/reader-bench.mjs.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use atlas_core::manifest::Manifest;
use atlas_core::plan::PlanDoc;
use atlas_core::search::{Folder, TextIndex};

/// Queries a citizen or planner might type: simplified, traditional, English, short and long.
pub const QUERIES: &[&str] = &[
    "口袋公园",
    "口袋公園",
    "地铁",
    "地鐵",
    "轨道交通",
    "绿色生态屏障",
    "871",
    "一湾起航",
    "一湾启航",
    "一核三带六园区",
    "海河",
    "南开",
    "津南",
    "小站",
    "会展",
    "公园",
    "水厂",
    "污水处理厂",
    "海绵城市",
    "充电桩",
    "5G",
    "停车",
    "m6",
    "metro",
    "医院",
    "学校",
    "养老",
    "避难场所",
    "东沽路",
    "津南大道",
    "智慧能源小镇",
    "垃圾",
    "湿地",
    "七里海",
    "大运河",
    "文化",
    "天津",
    "的",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let root = std::env::args().nth(1).map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut out = std::io::stdout().lock();
    let texts = match atlas_data::Texts::load(&root) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(out, "atlas-bench: {e}");
            std::process::exit(1);
        }
    };
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_default();
    let Ok(manifest) = Manifest::parse(&read("public/data/manifest.json")) else {
        let _ = writeln!(out, "atlas-bench: cannot read the manifest");
        std::process::exit(1);
    };
    let docs: Vec<(&str, &str, Vec<usize>)> = manifest
        .documents
        .iter()
        .filter_map(|d| texts.shipped.get(&d.file).map(|t| (d.file.as_str(), t.as_str(), d.chrome_lines.clone())))
        .collect();
    let total_bytes: usize = docs.iter().map(|d| d.1.len()).sum();

    let runs = 30;
    let mut build = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        for (_, text, chrome) in &docs {
            std::hint::black_box(PlanDoc::build(text, chrome));
        }
        build.push(t.elapsed().as_secs_f64() * 1e3);
    }
    build.sort_by(f64::total_cmp);

    let t = Instant::now();
    let folder = match Folder::new(&read("public/data/fold-t2s.json"), &read("public/data/search-variants.json")) {
        Ok(f) => f,
        Err(e) => {
            let _ = writeln!(out, "atlas-bench: {e}");
            std::process::exit(1);
        }
    };
    let mut index = TextIndex::default();
    for (_, text, _) in &docs {
        index.add(&folder, text);
    }
    let index_ms = t.elapsed().as_secs_f64() * 1e3;

    let _ = writeln!(out, "Plan Atlas native benchmark (release build, one core)");
    let _ = writeln!(out, "corpus: {} documents, {:.0} KB", docs.len(), total_bytes as f64 / 1024.0);
    let _ = writeln!(
        out,
        "plan model build, all five: median {:.2} ms, p95 {:.2} ms ({runs} runs)",
        percentile(&build, 0.5),
        percentile(&build, 0.95)
    );
    let _ = writeln!(out, "search index build: {index_ms:.2} ms, heap {:.0} KB", index.heap_bytes() as f64 / 1024.0);
    let mut all = Vec::new();
    let _ = writeln!(out, "{:<14} {:>8} {:>10} {:>10}", "query", "hits", "median ms", "p95 ms");
    for q in QUERIES {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..50 {
            let t = Instant::now();
            let (_, total) = index.search(&folder, q, 40);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            hits = total;
        }
        times.sort_by(f64::total_cmp);
        all.extend_from_slice(&times);
        let _ = writeln!(out, "{:<14} {:>8} {:>10.3} {:>10.3}", q, hits, percentile(&times, 0.5), percentile(&times, 0.95));
    }
    all.sort_by(f64::total_cmp);
    let _ = writeln!(
        out,
        "all queries: median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        all.last().copied().unwrap_or(0.0)
    );
}
