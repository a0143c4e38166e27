//! `atlas-site STAGING_DIR [ROOT]`: trunk's post-build step. Writes the plan texts the browser
//! receives (seeds minus the lines listed in data/text-cleaning.json) to STAGING_DIR/texts/,
//! moves trunk's inline loader script out of index.html so a strict CSP can forbid inline
//! scripts, puts that CSP in index.html as a `<meta>` (for hosts that send no header),
//! preloads the files of the first view, draws that view into the page (shown until the app
//! has drawn the live map, its texts in both languages, one of them chosen before the first
//! paint by `boot-lang.js`), writes `_headers` and `nginx-headers.conf` (the CSP with the
//! `frame-ancestors` of `embed.json`) for static hosts, and last the service worker (`sw.js`,
//! registered by `sw-register.js`) with every file of the site in its precache list.
//!
//! `atlas-site --worker DIR` writes only `DIR/sw.js` again, from the files in DIR: after a
//! built site's files have been changed by hand, so that the worker stores the new ones.

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
    let (html, scripts) = atlas_core::site::externalize_inline_scripts(&html, "boot-");
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
    // The CSP in the page itself, for hosts that send no header (a basemap's tile host
    // admitted as the headers admit it), and the script that registers the service worker.
    let policy = site_policy(out);
    let html = atlas_core::site::add_csp_meta(&html, &policy);
    let html = atlas_core::offline::add_register_script(&html);
    write(&out.join(atlas_core::offline::REGISTER_FILE), atlas_core::offline::register_script().as_bytes())?;
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
    write(&out.join("_headers"), atlas_core::site::headers_file_for(&embed, &policy).as_bytes())?;
    write(&out.join(atlas_core::site::NGINX_FILE), atlas_core::site::nginx_headers(&embed, &policy).as_bytes())?;
    // Last, once every other file is in place: the worker and its list of them all.
    write_worker(out)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The site's CSP, admitting the tile host of a valid basemap configuration (an invalid one
/// is refused by the app, which then loads no tiles).
fn site_policy(out: &Path) -> String {
    let tiles = std::fs::read_to_string(out.join("data/basemap.json"))
        .ok()
        .and_then(|text| atlas_core::basemap::parse(&text).ok().flatten())
        .map(|src| atlas_core::basemap::csp_source(&src));
    atlas_core::site::policy(tiles.as_deref())
}

/// Every file under `dir`, as a path relative to it with `/` separators.
fn walk(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            walk(&path, &format!("{prefix}{name}/"), files)?;
        } else if kind.is_file() {
            files.push((format!("{prefix}{name}"), path));
        }
    }
    Ok(())
}

/// Writes `sw.js` with the precache list and version of the files now in `out`.
fn write_worker(out: &Path) -> Result<(), String> {
    let mut paths = Vec::new();
    walk(out, "", &mut paths)?;
    paths.retain(|(rel, _)| atlas_core::offline::is_precached(rel));
    let mut contents = Vec::with_capacity(paths.len());
    for (rel, path) in &paths {
        contents.push((rel.as_str(), std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?));
    }
    let precache = atlas_core::offline::precache(contents.iter().map(|(p, c)| (*p, c.as_slice())));
    write(&out.join(atlas_core::offline::WORKER_FILE), atlas_core::offline::worker_script(&precache).as_bytes())?;
    let _ = writeln!(
        std::io::stderr(),
        "atlas-site: {} stores {} files ({:.1} MB) for offline use, version {}",
        atlas_core::offline::WORKER_FILE,
        precache.files.len(),
        precache.bytes as f64 / 1e6,
        precache.version
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        let _ = writeln!(std::io::stderr(), "usage: atlas-site STAGING_DIR [ROOT] | atlas-site --worker DIR");
        return ExitCode::from(2);
    };
    let result = if out.as_os_str() == "--worker" {
        match args.next() {
            Some(dir) => write_worker(Path::new(&dir)),
            None => Err("usage: atlas-site --worker DIR".into()),
        }
    } else {
        let root = args.next().map_or_else(|| PathBuf::from("."), PathBuf::from);
        run(&out, &root)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "atlas-site: {e}");
            ExitCode::FAILURE
        }
    }
}
