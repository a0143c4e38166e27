//! `atlas-fold [ROOT]`: regenerate public/data/fold-t2s.json, the traditional→simplified table
//! that search uses, from the seeds under ROOT. A test fails when the committed file is stale.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = std::env::args().nth(1).map_or_else(|| PathBuf::from("."), PathBuf::from);
    let texts = match atlas_data::Texts::load(&root) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-fold: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out = root.join("public/data/fold-t2s.json");
    let json = atlas_data::fold_table_json(&atlas_data::corpus(&texts));
    match std::fs::write(&out, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-fold: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
