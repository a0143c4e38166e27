//! The optional raster basemap (`public/data/basemap.json`): a tile URL template in Web
//! Mercator (OpenStreetMap, Tianditu `_w` services), off unless configured, with the
//! attribution its provider requires. The bundled vector layers never depend on it.
//!
//! Tiles must be in WGS84 (or CGCS2000, which agrees with it to centimetres): GCJ-02 or BD-09
//! tiles (Amap, Baidu, Tencent) are refused, since every plan feature would sit about 500 m
//! off their streets.

use serde::Deserialize;

use crate::viewport::Viewport;

/// Half the Web Mercator world width in metres.
const HALF_WORLD_M: f64 = 20_037_508.342_789_244;
/// Metres per pixel of a 256 px tile at zoom 0.
const MPP_Z0: f64 = 2.0 * HALF_WORLD_M / 256.0;
/// More tiles than this for one view means the configuration or the view is wrong.
pub const MAX_TILES: usize = 160;

#[derive(Debug, Deserialize)]
struct File {
    #[allow(dead_code)]
    #[serde(default)]
    about: String,
    tiles: Option<Raw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name_zh: String,
    name_en: String,
    url: String,
    #[serde(default)]
    subdomains: Vec<String>,
    attribution: String,
    #[serde(default)]
    min_zoom: u8,
    max_zoom: u8,
    datum: String,
    /// Shown when the page opens (default: the user turns it on).
    #[serde(default)]
    on: bool,
    /// The only tile hosts the deployer allows (`*.example.org` for any subdomain); empty:
    /// any host the URL names.
    #[serde(default)]
    allowed_hosts: Vec<String>,
}

/// A checked tile source.
#[derive(Debug, Clone, PartialEq)]
pub struct TileSource {
    pub name_zh: String,
    pub name_en: String,
    pub url: String,
    pub subdomains: Vec<String>,
    pub attribution: String,
    pub min_zoom: u8,
    pub max_zoom: u8,
    pub on: bool,
}

/// Hosts whose tiles are GCJ-02 or BD-09, refused whatever the file says.
const SHIFTED_HOSTS: [&str; 5] = ["autonavi.com", "amap.com", "map.baidu.com", "bdimg.com", "map.qq.com"];

/// Parse `basemap.json`. `Ok(None)`: no basemap configured. Errors say what to fix.
pub fn parse(text: &str) -> Result<Option<TileSource>, String> {
    let file: File = serde_json::from_str(text).map_err(|e| format!("basemap.json is not valid: {e}"))?;
    let Some(r) = file.tiles else { return Ok(None) };
    let url = r.url.trim().to_string();
    crate::safe::tile_url(&url, &r.allowed_hosts).map_err(|e| format!("basemap url: {e}"))?;
    if r.subdomains.iter().any(|s| s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) {
        return Err(format!("basemap subdomains must be plain names (got {:?})", r.subdomains));
    }
    for key in ["{z}", "{x}", "{y}"] {
        if !url.contains(key) {
            return Err(format!("basemap url has no {key} placeholder"));
        }
    }
    if url.contains("{s}") && r.subdomains.is_empty() {
        return Err("basemap url uses {s} but lists no subdomains".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>') {
        return Err("basemap url contains spaces, quotes or angle brackets".into());
    }
    let datum = r.datum.to_ascii_lowercase();
    if datum != "wgs84" && datum != "cgcs2000" {
        return Err(format!(
            "basemap tiles must be WGS84 or CGCS2000, not {:?}: the plan layers would sit about 500 m off the streets",
            r.datum
        ));
    }
    let lower = url.to_ascii_lowercase();
    if let Some(h) = SHIFTED_HOSTS.iter().find(|h| lower.contains(*h)) {
        return Err(format!("basemap tiles from {h} are GCJ-02/BD-09 shifted; use OpenStreetMap or Tianditu (_w) tiles"));
    }
    if r.max_zoom > 22 || r.min_zoom > r.max_zoom {
        return Err(format!("basemap zoom range {}–{} is not within 0–22", r.min_zoom, r.max_zoom));
    }
    if r.attribution.trim().is_empty() {
        return Err("basemap attribution is empty: tile providers require one".into());
    }
    Ok(Some(TileSource {
        name_zh: r.name_zh,
        name_en: r.name_en,
        url,
        subdomains: r.subdomains,
        attribution: r.attribution,
        min_zoom: r.min_zoom,
        max_zoom: r.max_zoom,
        on: r.on,
    }))
}

/// One tile to draw: its address and its square in drawing units (km, y down).
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub url: String,
    /// Left, top and side length in drawing units.
    pub left: f64,
    pub top: f64,
    pub size: f64,
}

/// The zoom level whose tiles show at 181–362 px in this view, within the source's range.
pub fn zoom_for(metres_per_px: f64, src: &TileSource) -> u8 {
    let z = (MPP_Z0 / metres_per_px.max(1e-3)).log2().round();
    z.clamp(f64::from(src.min_zoom), f64::from(src.max_zoom)) as u8
}

/// The tiles covering `view` (pass the drawn, padded view), with their URLs.
pub fn tiles_for(view: &Viewport, src: &TileSource) -> Vec<Tile> {
    let z = zoom_for(view.metres_per_px, src);
    let n = 1u32 << z;
    let size_m = 2.0 * HALF_WORLD_M / f64::from(n);
    let b = view.bounds();
    let index = |v: f64| ((v / size_m).floor().max(0.0) as u32).min(n - 1);
    let (x0, x1) = (index(b.min.x + HALF_WORLD_M), index(b.max.x + HALF_WORLD_M));
    let (y0, y1) = (index(HALF_WORLD_M - b.max.y), index(HALF_WORLD_M - b.min.y));
    let k = crate::coord::UNITS_PER_METRE;
    let mut out = Vec::new();
    for y in y0..=y1 {
        for x in x0..=x1 {
            if out.len() == MAX_TILES {
                return out;
            }
            let s = if src.subdomains.is_empty() { "" } else { &src.subdomains[((x + y) as usize) % src.subdomains.len()] };
            let url =
                src.url.replace("{z}", &z.to_string()).replace("{x}", &x.to_string()).replace("{y}", &y.to_string()).replace("{s}", s);
            out.push(Tile {
                z,
                x,
                y,
                url,
                left: (f64::from(x) * size_m - HALF_WORLD_M) * k,
                top: (f64::from(y) * size_m - HALF_WORLD_M) * k,
                size: size_m * k,
            });
        }
    }
    out
}

/// The origin a Content Security Policy's `img-src` must allow for these tiles ("'self'" for
/// site paths; `{s}` becomes a `*.` wildcard).
pub fn csp_source(src: &TileSource) -> String {
    if src.url.starts_with('/') {
        return "'self'".into();
    }
    let after = src.url.split_once("://").map_or("", |(_, rest)| rest);
    let scheme = src.url.split_once("://").map_or("https", |(s, _)| s);
    let host = after.split('/').next().unwrap_or_default();
    let host = match host.split_once("{s}") {
        Some((_, rest)) => format!("*{}", rest),
        None => host.to_string(),
    };
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::{LonLat, Mercator, ScreenPx};
    use crate::projection::{project, unproject};

    const OSM: &str = r#"{"tiles": {"name_zh": "OpenStreetMap", "name_en": "OpenStreetMap",
        "url": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "subdomains": ["a", "b", "c"],
        "attribution": "© OpenStreetMap contributors", "max_zoom": 19, "datum": "wgs84"}}"#;

    fn osm() -> TileSource {
        parse(OSM).expect("valid").expect("configured")
    }

    #[test]
    fn shipped_config_has_no_basemap() {
        let shipped = include_str!("../../../public/data/basemap.json");
        assert_eq!(parse(shipped), Ok(None));
    }

    #[test]
    fn bad_configs_say_what_is_wrong() {
        let with = |k: &str, v: &str| OSM.replace(&format!("\"{k}\": "), &format!("\"{k}\": {v}, \"_old_{k}\": "));
        let cases = [
            (OSM.replace("https://{s}", "javascript:alert(1)//{s}"), "must start with"),
            (OSM.replace("{z}/", ""), "no {z}"),
            (OSM.replace("\"wgs84\"", "\"gcj02\""), "500 m"),
            (OSM.replace("{s}.tile.openstreetmap.org", "webrd0{s}.is.autonavi.com"), "GCJ-02"),
            (OSM.replace("© OpenStreetMap contributors", " "), "attribution"),
            (OSM.replace("19", "30"), "zoom range"),
            (OSM.replace("[\"a\", \"b\", \"c\"]", "[]"), "subdomains"),
            ("{\"tiles\": 3}".to_string(), "not valid"),
            ("not json".to_string(), "not valid"),
            (OSM.replace("https://{s}.tile.openstreetmap.org", "/\\\\evil.example"), "backslash"),
            (OSM.replace("https://{s}.tile.openstreetmap.org", "//evil.example"), "another host"),
            (OSM.replace("\"datum\": \"wgs84\"", "\"datum\": \"wgs84\", \"allowed_hosts\": [\"t0.tianditu.gov.cn\"]"), "allowed_hosts"),
        ];
        for (text, want) in cases {
            let e = parse(&text).expect_err(&text);
            assert!(e.contains(want), "{text}: {e}");
        }
        // Unknown keys are refused (a typo must not silently drop a setting).
        assert!(parse(&with("max_zoom", "19")).is_err());
    }

    #[test]
    fn tiles_cover_the_view_and_sit_where_the_world_is() {
        let src = osm();
        let c = project(LonLat::new(117.2, 39.13));
        let v = Viewport { center: c, metres_per_px: 40.0, width: 1000.0, height: 700.0 };
        let tiles = tiles_for(&v, &src);
        let z = tiles[0].z;
        assert_eq!(z, 12, "40 m/px is zoom 12 (38.2 m/px)");
        // Zoom 12 tile of central Tianjin, by the slippy-map formula.
        let n = 4096.0f64;
        let lat = 39.13f64.to_radians();
        let tx = ((117.2 + 180.0) / 360.0 * n).floor() as u32;
        let ty = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
        let t = tiles.iter().find(|t| t.x == tx && t.y == ty).expect("the centre tile");
        assert_eq!(t.url, format!("https://{}.tile.openstreetmap.org/12/{tx}/{ty}.png", ["a", "b", "c"][((tx + ty) % 3) as usize]));
        // Its square contains the centre, in drawing units.
        let (cx, cy) = (c.x * 0.001, -c.y * 0.001);
        assert!(t.left <= cx && cx <= t.left + t.size && t.top <= cy && cy <= t.top + t.size);
        // Every corner of the view is covered.
        for (x, y) in [(0.0, 0.0), (1000.0, 0.0), (0.0, 700.0), (1000.0, 700.0)] {
            let m = v.to_map(ScreenPx { x, y });
            let (mx, my) = (m.x * 0.001, -m.y * 0.001);
            assert!(tiles.iter().any(|t| t.left <= mx && mx <= t.left + t.size && t.top <= my && my <= t.top + t.size));
        }
        assert!(tiles.len() <= 24, "{} tiles", tiles.len());
        let back = unproject(Mercator { x: c.x, y: c.y });
        assert!((back.lon - 117.2).abs() < 1e-9);
    }

    #[test]
    fn zoom_is_clamped_and_tile_count_bounded() {
        let src = TileSource { max_zoom: 10, ..osm() };
        assert_eq!(zoom_for(1.0, &src), 10);
        assert_eq!(zoom_for(1e9, &src), 0);
        let v = Viewport { center: Mercator { x: 0.0, y: 0.0 }, metres_per_px: 1.0, width: 1e6, height: 1e6 };
        assert!(tiles_for(&v, &src).len() <= MAX_TILES);
    }

    #[test]
    fn csp_source_for_templates() {
        assert_eq!(csp_source(&osm()), "https://*.tile.openstreetmap.org");
        let td = TileSource { url: "https://t0.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&l={z}".into(), ..osm() };
        assert_eq!(csp_source(&td), "https://t0.tianditu.gov.cn");
        let local = TileSource { url: "/tiles/{z}/{x}/{y}.png".into(), ..osm() };
        assert_eq!(csp_source(&local), "'self'");
    }
}
