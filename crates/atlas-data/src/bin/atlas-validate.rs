//! `atlas-validate [ROOT]`: validate every layer of the site under ROOT (default: the current
//! directory). `atlas-validate --file LAYER.geojson --layer ID [--kind plan|context] [--root ROOT]`
//! validates one file. Exit status 1 when anything is wrong; each problem is printed on its own
//! line with the file and feature it concerns.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use atlas_core::manifest::LayerKind;
use atlas_data::{area_report, check_datum, validate_layer, validate_site, Report, Texts};

fn usage() -> ExitCode {
    let _ = writeln!(
        std::io::stderr(),
        "usage: atlas-validate [ROOT]\n       atlas-validate --file LAYER.geojson --layer ID [--kind plan|context] [--root ROOT]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut root = PathBuf::from(".");
    let (mut file, mut layer, mut kind) = (None, None, LayerKind::Plan);
    let mut i = 0;
    while i < args.len() {
        let next = args.get(i + 1).cloned();
        match (args[i].as_str(), next) {
            ("--file", Some(v)) => file = Some(PathBuf::from(v)),
            ("--layer", Some(v)) => layer = Some(v),
            ("--root", Some(v)) => root = PathBuf::from(v),
            ("--kind", Some(v)) if v == "plan" => kind = LayerKind::Plan,
            ("--kind", Some(v)) if v == "context" => kind = LayerKind::Context,
            ("-h" | "--help", _) => return usage(),
            (a, _) if !a.starts_with("--") && file.is_none() => {
                root = PathBuf::from(a);
                i += 1;
                continue;
            }
            _ => return usage(),
        }
        i += 2;
    }
    let report = match file {
        None => validate_site(&root),
        Some(path) => {
            let mut report = Report::default();
            let layer_id = layer.unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default());
            match (Texts::load(&root), std::fs::read_to_string(&path)) {
                (Err(e), _) => report.errors.push(e),
                (_, Err(e)) => report.errors.push(format!("{}: {e}", path.display())),
                (Ok(texts), Ok(text)) => {
                    let label = path.display().to_string();
                    if let Some(l) = validate_layer(&label, &layer_id, kind, &text, &texts, &mut report) {
                        if layer_id == "districts" {
                            check_datum(&label, &l, &mut report);
                        }
                        report.notes.extend(area_report(&l));
                    }
                }
            }
            report
        }
    };
    let mut out = std::io::stdout().lock();
    for n in &report.notes {
        let _ = writeln!(out, "note: {n}");
    }
    for w in &report.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for e in &report.errors {
        let _ = writeln!(out, "error: {e}");
    }
    let _ = writeln!(out, "{} features checked, {} errors, {} warnings", report.features, report.errors.len(), report.warnings.len());
    if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
