//! `atlas-site STAGING_DIR [ROOT]`: trunk's post-build step. Writes the plan texts the browser
//! receives (seeds minus the lines listed in data/text-cleaning.json) to STAGING_DIR/texts/,
//! moves trunk's inline loader script out of index.html so a strict CSP can forbid inline
//! scripts, preloads the files of the first view, draws that view into the page (shown
//! until the app has drawn the live map, its texts in both languages, one of them chosen
//! before the first paint by `boot-lang.js`), and writes `_headers` (the CSP with the
//! `frame-ancestors` of `embed.json`) for static hosts.

use std::io::Write;

/// The map's height on a 1280×800 desktop screen, which sizes the picture's point symbols.
const MAP_HEIGHT_PX: f64 = 712.0;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn run(out: &Path, root: &Path) -> Result<(), String> {
    let texts = atlas_data::Texts::load(root)?;
    let dir = out.join("texts");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<&String> = texts.shipped.keys().collect();
    names.sort();
    for name in names {
        std::fs::write(dir.join(name), &texts.shipped[name]).map_err(|e| format!("{name}: {e}"))?;
    }
    let index = out.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let (html, scripts) = atlas_core::site::externalize_inline_scripts(&html, "/boot-");
    let manifest_path = out.join("data/manifest.json");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest = atlas_core::manifest::Manifest::parse(&manifest).map_err(|e| e.to_string())?;
    let html = atlas_core::site::add_preloads(&html, &atlas_core::site::first_view_files(&manifest));
    // The first view drawn into the page, shown until the app has drawn the live map.
    let mut layers = Vec::new();
    for info in manifest.layers.iter().filter(|l| l.visible) {
        let path = out.join(&info.file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let layer = atlas_core::layer::parse_layer(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        layers.push((info, layer));
    }
    let refs: Vec<_> = layers.iter().map(|(i, l)| (*i, l)).collect();
    let html = match atlas_core::snapshot::picture(&manifest, &refs, MAP_HEIGHT_PX) {
        Some(svg) => atlas_core::site::insert_boot_screen(&html, &atlas_core::site::boot_screen(&svg)),
        None => html,
    };
    // The first paint in the language the app will show: a script in <head> sets <html lang>
    // before the boot screen (written in both languages) is drawn.
    let html = atlas_core::site::add_boot_lang_script(&html);
    let boot_lang = out.join(atlas_core::site::BOOT_LANG_FILE);
    std::fs::write(&boot_lang, atlas_core::site::boot_lang_script()).map_err(|e| format!("{}: {e}", boot_lang.display()))?;
    for (i, body) in scripts.iter().enumerate() {
        let p = out.join(format!("boot-{i}.js"));
        std::fs::write(&p, body).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    std::fs::write(&index, html).map_err(|e| format!("{}: {e}", index.display()))?;
    // Who may embed the site: a mistake in embed.json stops the build rather than opening the
    // site to every page; the same list goes into the headers of static hosts.
    let embed_path = out.join("embed.json");
    let embed = match std::fs::read_to_string(&embed_path) {
        Ok(t) => atlas_core::embed::EmbedConfig::parse(&t)?,
        Err(_) => atlas_core::embed::EmbedConfig::default(),
    };
    let headers = out.join("_headers");
    std::fs::write(&headers, atlas_core::site::headers_file(&embed)).map_err(|e| format!("{}: {e}", headers.display()))?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        let _ = writeln!(std::io::stderr(), "usage: atlas-site STAGING_DIR [ROOT]");
        return ExitCode::from(2);
    };
    let root = args.next().map_or_else(|| PathBuf::from("."), PathBuf::from);
    match run(&out, &root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-site: {e}");
            ExitCode::FAILURE
        }
    }
}
