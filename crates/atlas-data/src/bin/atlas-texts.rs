//! `atlas-texts OUT_DIR [ROOT]`: write the plan texts the browser receives (seeds minus the
//! lines listed in data/text-cleaning.json) to OUT_DIR/texts/. Run by trunk's post-build hook.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        let _ = writeln!(std::io::stderr(), "usage: atlas-texts OUT_DIR [ROOT]");
        return ExitCode::from(2);
    };
    let root = args.next().map_or_else(|| PathBuf::from("."), PathBuf::from);
    let texts = match atlas_data::Texts::load(&root) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-texts: {e}");
            return ExitCode::FAILURE;
        }
    };
    let dir = out.join("texts");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let _ = writeln!(std::io::stderr(), "atlas-texts: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut names: Vec<&String> = texts.shipped.keys().collect();
    names.sort();
    for name in names {
        if let Err(e) = std::fs::write(dir.join(name), &texts.shipped[name]) {
            let _ = writeln!(std::io::stderr(), "atlas-texts: {name}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
