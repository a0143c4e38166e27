//! Names and values that data files or a link supply, checked before the app uses them to
//! fetch something or to style the map: a plan is named only by a plain file name listed in
//! the manifest, a layer file only by a relative path under `data/`, tiles only by a real
//! `http(s)` URL (or a site path) on a host the deployer allows, and colours only as colours.
//! Each check returns a message that names what was wrong; the caller adds which field it was.

/// A plan text's file name: letters, digits, `_`, `-` and `.`, not starting with a dot, so
/// that `texts/{name}` can only be a file of the texts folder.
pub fn doc_file(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        Ok(())
    } else {
        Err(format!("{:?} is not a plain file name (letters, digits, _ - . only)", short(name)))
    }
}

/// A layer file: a relative path under `data/` ending in `.geojson` or `.json`, of plain
/// segments (no `..`, no empty segment, no scheme, no query), so it is fetched from this site.
pub fn layer_file(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix("data/") else {
        return Err(format!("{:?} must be a path under data/ (like data/layers/x.geojson)", short(path)));
    };
    let segments_ok = rest.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && doc_file(s).is_ok());
    if !segments_ok {
        return Err(format!("{:?} must be made of plain names (no .., //, \\, spaces or queries)", short(path)));
    }
    if !(path.ends_with(".geojson") || path.ends_with(".json")) {
        return Err(format!("{:?} must end in .geojson or .json", short(path)));
    }
    Ok(())
}

/// A colour for the map: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`/`rgba(…)` of
/// numbers, a CSS colour name, or `none`. Anything else (a `url(…)`, a `var(…)`, an
/// expression) is refused: it could make the browser fetch or mean something else.
pub fn colour(value: &str) -> Result<(), String> {
    let v = value.trim().to_ascii_lowercase();
    let ok = if let Some(hex) = v.strip_prefix('#') {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    } else if let Some(args) = v.strip_prefix("rgba(").or_else(|| v.strip_prefix("rgb(")).and_then(|a| a.strip_suffix(')')) {
        let parts: Vec<&str> = args.split([',', ' ', '/']).filter(|p| !p.is_empty()).collect();
        (3..=4).contains(&parts.len())
            && parts
                .iter()
                .all(|p| p.strip_suffix('%').unwrap_or(p).parse::<f64>().is_ok_and(|n| n.is_finite() && (0.0..=255.0).contains(&n)))
    } else {
        v == "none" || NAMED.binary_search(&v.as_str()).is_ok()
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{:?} is not a colour (#hex, rgb(…) or a colour name)", short(value)))
    }
}

/// A dash pattern: up to 8 non-negative numbers separated by spaces or commas.
pub fn dash(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split([',', ' ']).filter(|p| !p.is_empty()).collect();
    let ok = !parts.is_empty()
        && parts.len() <= 8
        && parts.iter().all(|p| p.parse::<f64>().is_ok_and(|n| n.is_finite() && (0.0..=1000.0).contains(&n)));
    if ok {
        Ok(())
    } else {
        Err(format!("{:?} is not a dash pattern (numbers separated by spaces)", short(value)))
    }
}

/// A tile URL template: `https://host/…` or `http://host/…` with a plain host name (letters,
/// digits, `-`, `.`, and `{s}` for a subdomain), no user name, no backslash, no spaces; or a
/// path of this site (`/tiles/{z}/{x}/{y}.png`, not `//host` or `/\host`). When the deployer
/// lists `allowed_hosts`, the host must be one of them (`{s}` may stand for any subdomain).
pub fn tile_url(url: &str, allowed_hosts: &[String]) -> Result<(), String> {
    if url.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) {
        return Err(format!("{:?} holds a backslash, a space or a control character", short(url)));
    }
    let lower = url.to_ascii_lowercase();
    if let Some(path) = lower.strip_prefix('/') {
        if path.starts_with('/') {
            return Err(format!("{:?} is another host's address (//…), not a path of this site", short(url)));
        }
        return Ok(());
    }
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(format!("{:?} must start with https://, http:// or / (a path of this site)", short(url)));
    }
    let host = &host_of(&lower);
    let plain = !host.is_empty()
        && host.replace("{s}", "s").chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
        && !host.starts_with('.')
        && !host.contains("..");
    if !plain {
        return Err(format!("{:?} has no plain host name (got {:?})", short(url), short(host)));
    }
    if !allowed_hosts.is_empty() && !allowed_hosts.iter().any(|a| host_matches(host, &a.to_ascii_lowercase())) {
        return Err(format!("tile host {host:?} is not in allowed_hosts {allowed_hosts:?}"));
    }
    Ok(())
}

/// `host` (which may hold `{s}`) is `allowed`, or `{s}.rest` where `allowed` is `*.rest`.
fn host_matches(host: &str, allowed: &str) -> bool {
    host == allowed || host.strip_prefix("{s}.").zip(allowed.strip_prefix("*.")).is_some_and(|(h, a)| h == a)
}

/// At most `n` characters of untrusted `s` (then "…"): messages quote input, never all of it.
pub fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// At most 60 characters of `s`, for this module's messages.
fn short(s: &str) -> String {
    clip(s, 60)
}

/// The host a URL template names (`{s}.tile.openstreetmap.org`), or "this site" for a path.
pub fn host_of(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => rest.split(['/', '?', '#']).next().unwrap_or_default().to_string(),
        None => "this site".to_string(),
    }
}

/// The CSS colour names (CSS Color 4), sorted, for binary search.
const NAMED: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// `s` as a quoted CSS string, for an attribute selector (`[data-feature-id="…"]`): quotes,
/// backslashes and control characters escaped, so no id from the data can break the selector.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipped_text_and_hosts() {
        assert_eq!(clip("长".repeat(5).as_str(), 3), "长长长…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(host_of("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"), "{s}.tile.openstreetmap.org");
        assert_eq!(host_of("/tiles/{z}/{x}/{y}.png"), "this site");
    }

    #[test]
    fn colour_names_are_sorted() {
        assert!(NAMED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn plan_names_are_plain_file_names() {
        assert!(doc_file("004_807393adc7e55925.txt").is_ok());
        for bad in ["..", ".", "../index.html", "../data/manifest.json", "a/b.txt", "a\\b", "", ".hidden", "x.txt?x=1", "%2e%2e", "a b"] {
            assert!(doc_file(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn layer_files_are_paths_under_data() {
        assert!(layer_file("data/layers/eco-barrier.geojson").is_ok());
        assert!(layer_file("data/x.json").is_ok());
        for bad in [
            "http://evil.example/x.geojson",
            "//evil.example/x.geojson",
            "/data/layers/x.geojson",
            "data/../index.html",
            "data/layers/../../x.geojson",
            "data//x.geojson",
            "data/layers/x.geojson?x",
            "data\\layers\\x.geojson",
            "data/layers/x.html",
            "javascript:alert(1)",
            "",
        ] {
            let e = layer_file(bad).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }

    #[test]
    fn colours_are_colours_and_nothing_else() {
        for ok in ["#2bb673", "#abc", "#AABBCCDD", "rgb(1, 2, 3)", "rgba(1,2,3,0.5)", "rgb(10% 20% 30%)", "teal", "none", "Transparent"] {
            assert!(colour(ok).is_ok(), "{ok}");
        }
        for bad in [
            "url(http://evil.example/p.svg#p)",
            "url(#hatch)",
            "var(--x)",
            "red; background: url(x)",
            "#12",
            "#ggg",
            "rgb(1,2)",
            "rgb(1,2,3,4,5)",
            "rgb(NaN,1,1)",
            "expression(alert(1))",
            "",
            "<script>",
        ] {
            assert!(colour(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dashes_are_numbers() {
        assert!(dash("4 3").is_ok());
        assert!(dash("1,2").is_ok());
        for bad in ["", "url(x)", "4 -3", "1 2 3 4 5 6 7 8 9", "NaN"] {
            assert!(dash(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tile_urls_are_real_urls_on_allowed_hosts() {
        let none: Vec<String> = Vec::new();
        assert!(tile_url("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", &none).is_ok());
        assert!(tile_url("/tiles/{z}/{x}/{y}.png", &none).is_ok());
        for bad in [
            "/\\evil.example/{z}/{x}/{y}.png",
            "//evil.example/{z}/{x}/{y}.png",
            "javascript:alert(1)//{z}",
            "https://user@evil.example/{z}",
            "https://evil .example/{z}",
            "https:///{z}",
            "ftp://x/{z}",
            "data:image/png;base64,xx",
        ] {
            assert!(tile_url(bad, &none).is_err(), "{bad}");
        }
        let allowed = vec!["*.tile.openstreetmap.org".to_string(), "t0.tianditu.gov.cn".to_string()];
        assert!(tile_url("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", &allowed).is_ok());
        assert!(tile_url("https://t0.tianditu.gov.cn/vec_w/wmts?x={x}", &allowed).is_ok());
        let e = tile_url("https://tiles.evil.example/{z}/{x}/{y}.png", &allowed).unwrap_err();
        assert!(e.contains("allowed_hosts"), "{e}");
    }

    #[test]
    fn css_strings_cannot_break_a_selector() {
        assert_eq!(css_string("eco-barrier-736"), "\"eco-barrier-736\"");
        assert_eq!(css_string("mine-1/3"), "\"mine-1/3\"");
        assert_eq!(css_string("a\"]{x}\\"), "\"a\\\"]{x}\\\\\"");
        assert_eq!(css_string("a\nb"), "\"a\\a b\"");
    }
}
