//! Embedding: the site's embedding configuration (`embed.json`: which origins may embed the
//! map and talk to it), and the postMessage API's messages, validated here before the app
//! acts on any of them. The API is documented in `docs/embedding.md`.
//!
//! Every message is a JSON object `{"planAtlas": 1, "type": …, …}`. Inbound (host → map):
//! `select`, `setLayers`, `setView`, `setLanguage`, `getState`; outbound (map → host):
//! `ready`, `select`, `viewChange`, `state`, `resize`, `error`. An inbound message may carry an
//! `id` (a string or number of the host's choosing), repeated in the answer.

use serde_json::{json, Value};

use crate::url_state::{is_id, LayerSetting, MapPosition};

/// The API's version: messages of another version are refused.
pub const VERSION: u64 = 1;

/// Most layers a `setLayers` may list, and the longest message text accepted.
const MAX_LAYERS: usize = 64;
const MAX_MESSAGE_BYTES: usize = 16_384;

/// Who may embed the site and send it commands, as the deployer configures it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedConfig {
    /// Origins (`scheme://host[:port]`) allowed besides the site's own.
    pub allowed_origins: Vec<String>,
}

/// `scheme://host[:port]` with an http(s) scheme, no path, no wildcard.
pub fn is_origin(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) else { return false };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.contains(']') || h.ends_with(']') => (h, Some(p)),
        _ => (rest, None),
    };
    let host_ok = !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c));
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok && s.len() <= 200
}

impl EmbedConfig {
    /// Parse `embed.json`: `{"allowed_origins": ["https://portal.example.org", …]}`. An entry
    /// that is not an origin is an error (a deployer's typo must not open the site to all).
    pub fn parse(text: &str) -> Result<EmbedConfig, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("embed.json: {e}"))?;
        let list = match v.get("allowed_origins") {
            None => return Ok(EmbedConfig::default()),
            Some(Value::Array(a)) => a,
            Some(_) => return Err("embed.json: \"allowed_origins\" must be a list of origins".into()),
        };
        let mut allowed_origins = Vec::new();
        for o in list {
            match o.as_str() {
                Some(s) if is_origin(s.trim_end_matches('/')) => allowed_origins.push(s.trim_end_matches('/').to_string()),
                _ => return Err(format!("embed.json: {o} is not an origin like \"https://example.org\"")),
            }
        }
        Ok(EmbedConfig { allowed_origins })
    }

    /// Whether a page of `origin` may embed the map and command it (the site's own always may).
    pub fn allows(&self, origin: &str, own: &str) -> bool {
        origin == own || self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The CSP `frame-ancestors` directive for this configuration.
    pub fn frame_ancestors(&self) -> String {
        let mut out = String::from("frame-ancestors 'self'");
        for o in &self.allowed_origins {
            out.push(' ');
            out.push_str(o);
        }
        out
    }
}

/// A host's command, validated.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Select a feature (`feature`: an id), or clear the selection (`feature`: null).
    Select(Option<String>),
    /// Show these layers, bottom first, with optional opacity (percent).
    SetLayers(Vec<LayerSetting>),
    /// Centre and zoom.
    SetView(MapPosition),
    SetLanguage(&'static str),
    GetState,
}

/// A validated inbound message: the command and the host's `id` for the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    pub command: Command,
    pub id: Option<Value>,
}

/// Why a message was refused, with the host's `id` when it gave a usable one.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub message: String,
    pub id: Option<Value>,
}

/// Whether a value looks like a Plan Atlas message at all (other scripts on a page post
/// messages too; those are ignored without an answer).
pub fn is_ours(v: &Value) -> bool {
    v.get("planAtlas").is_some()
}

fn request_id(v: &Value) -> Option<Value> {
    match v.get("id") {
        Some(Value::String(s)) if s.chars().count() <= 64 => Some(Value::String(s.clone())),
        Some(Value::Number(n)) => Some(Value::Number(n.clone())),
        _ => None,
    }
}

/// Read a posted message's JSON text: `None` when it is not a Plan Atlas message (other
/// scripts post messages too: text that is not JSON, or an object without `planAtlas`), else
/// the validated command or why it was refused.
pub fn read(text: &str) -> Option<Result<Inbound, Refusal>> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if is_ours(&v) => Some(parse_inbound(text)),
        _ => None,
    }
}

/// Validate a host's message (already decoded from the structured clone to JSON text).
pub fn parse_inbound(text: &str) -> Result<Inbound, Refusal> {
    let refuse = |message: String, id: Option<Value>| Refusal { message, id };
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(refuse(format!("message too long ({} bytes; at most {MAX_MESSAGE_BYTES})", text.len()), None));
    }
    let v: Value = serde_json::from_str(text).map_err(|e| refuse(format!("not JSON: {e}"), None))?;
    let id = request_id(&v);
    let fail = |m: &str| Err(refuse(m.to_string(), id.clone()));
    if !v.is_object() {
        return fail("a message must be an object");
    }
    match v.get("planAtlas").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(other) => return Err(refuse(format!("API version {other} is not supported (this map speaks version {VERSION})"), id)),
        None => return fail("\"planAtlas\" must be the API version, 1"),
    }
    let Some(kind) = v.get("type").and_then(Value::as_str) else { return fail("\"type\" is missing") };
    let command = match kind {
        "select" => match v.get("feature") {
            Some(Value::Null) => Command::Select(None),
            Some(Value::String(s)) if is_id(s) => Command::Select(Some(s.clone())),
            _ => return fail("select: \"feature\" must be a feature id (letters, digits, - _ .) or null"),
        },
        "setLayers" => {
            let Some(list) = v.get("layers").and_then(Value::as_array) else { return fail("setLayers: \"layers\" must be a list") };
            if list.len() > MAX_LAYERS {
                return fail("setLayers: too many layers");
            }
            let mut out: Vec<LayerSetting> = Vec::new();
            for item in list {
                let (layer_id, opacity) = match item {
                    Value::String(s) => (s.as_str(), None),
                    Value::Object(o) => {
                        let Some(s) = o.get("id").and_then(Value::as_str) else {
                            return fail("setLayers: each layer is an id or {\"id\", \"opacity\"}");
                        };
                        let opacity = match o.get("opacity") {
                            None | Some(Value::Null) => None,
                            Some(x) => match x.as_f64().filter(|x| (0.0..=1.0).contains(x)) {
                                Some(x) => Some((x * 100.0).round() as u8).filter(|o| *o < 100),
                                None => return fail("setLayers: \"opacity\" must be between 0 and 1"),
                            },
                        };
                        (s, opacity)
                    }
                    _ => return fail("setLayers: each layer is an id or {\"id\", \"opacity\"}"),
                };
                if !is_id(layer_id) {
                    return fail("setLayers: a layer id may hold only letters, digits, - _ .");
                }
                if out.iter().any(|l| l.id == layer_id) {
                    return fail("setLayers: a layer is listed twice");
                }
                out.push(LayerSetting { id: layer_id.to_string(), opacity });
            }
            Command::SetLayers(out)
        }
        "setView" => {
            let num = |k: &str| v.get(k).and_then(Value::as_f64).filter(|x| x.is_finite());
            match (num("zoom"), num("lat"), num("lon")) {
                (Some(zoom), Some(lat), Some(lon))
                    if (0.0..=22.0).contains(&zoom) && (-85.0511..=85.0511).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
                {
                    Command::SetView(MapPosition { zoom, lat, lon })
                }
                _ => return fail("setView: \"zoom\" (0–22), \"lat\" and \"lon\" (degrees) are required"),
            }
        }
        "setLanguage" => match v.get("lang").and_then(Value::as_str) {
            Some("zh") => Command::SetLanguage("zh"),
            Some("en") => Command::SetLanguage("en"),
            _ => return fail("setLanguage: \"lang\" must be \"zh\" or \"en\""),
        },
        "getState" => Command::GetState,
        other => {
            let shown: String = other.chars().take(40).collect();
            return Err(refuse(format!("unknown type \"{shown}\""), id));
        }
    };
    Ok(Inbound { command, id })
}

/// The state reported in `ready`, `state` and `viewChange`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub map: Option<MapPosition>,
    pub layers: Vec<String>,
    pub feature: Option<String>,
    pub lang: String,
    /// The permalink of this view on the full site.
    pub url: String,
}

fn snapshot_json(s: &Snapshot) -> Value {
    json!({
        "view": s.map.map(|p| json!({ "zoom": p.zoom, "lat": p.lat, "lon": p.lon })),
        "layers": s.layers,
        "feature": s.feature,
        "lang": s.lang,
        "url": s.url,
    })
}

/// An outbound message, as JSON text.
pub fn outbound(kind: &str, body: Value, id: Option<&Value>) -> String {
    let mut v = json!({ "planAtlas": VERSION, "type": kind });
    if let (Some(o), Value::Object(b)) = (v.as_object_mut(), body) {
        o.extend(b);
        if let Some(id) = id {
            o.insert("id".into(), id.clone());
        }
    }
    v.to_string()
}

pub fn ready(s: &Snapshot) -> String {
    outbound("ready", json!({ "state": snapshot_json(s) }), None)
}

pub fn state(s: &Snapshot, id: Option<&Value>) -> String {
    outbound("state", json!({ "state": snapshot_json(s) }), id)
}

pub fn view_change(s: &Snapshot) -> String {
    outbound("viewChange", json!({ "state": snapshot_json(s) }), None)
}

pub fn selected(feature: Option<&str>, name_zh: Option<&str>, name_en: Option<&str>) -> String {
    outbound("select", json!({ "feature": feature, "name_zh": name_zh, "name_en": name_en }), None)
}

pub fn resize(height: f64) -> String {
    outbound("resize", json!({ "height": height.round().max(0.0) }), None)
}

pub fn error(r: &Refusal) -> String {
    outbound("error", json!({ "message": r.message }), r.id.as_ref())
}

/// How a shared map is embedded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetSize {
    /// An iframe as wide as its container, its height a share of its width (CSS aspect-ratio).
    Responsive { ratio: u16 },
    /// An iframe of a fixed size in pixels.
    Fixed { width: u16, height: u16 },
    /// The loader: an element and a script; the frame grows with its content and the host
    /// gets the JS handle of the message API.
    Loader { ratio: u16 },
}

/// The share dialog's choices for an embedded map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareOptions {
    pub size: SnippetSize,
    /// Keep the layers shown now (otherwise the site's default layers).
    pub layers: bool,
    pub lang: String,
    /// Show the selected feature's card in the frame.
    pub reader: bool,
    /// Open with the feature selected now.
    pub feature: bool,
}

/// The view an embedded map opens with: the current place, and as the options say the layers,
/// statuses, the selected feature and the language. Nothing of the reader, search, comparison
/// or tour is carried over.
pub fn embed_view(current: &crate::url_state::UrlState, o: &ShareOptions) -> crate::url_state::UrlState {
    crate::url_state::UrlState {
        map: current.map,
        layers: if o.layers { current.layers.clone() } else { None },
        statuses: if o.layers { current.statuses.clone() } else { None },
        metro_2025: o.layers && current.metro_2025,
        feature: if o.feature { current.feature.clone() } else { None },
        lang: Some(o.lang.clone()),
        embed: true,
        reader: (!o.reader).then_some(false),
        ..Default::default()
    }
}

/// Escape text for an HTML attribute value in double quotes.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The HTML to paste into a page, for the site at `site` (its address, ending in `/`).
pub fn snippet(site: &str, current: &crate::url_state::UrlState, o: &ShareOptions, title: &str) -> String {
    let view = embed_view(current, o);
    let hash = view.format();
    match o.size {
        SnippetSize::Responsive { ratio } => format!(
            "<iframe src=\"{}\" title=\"{}\" style=\"width: 100%; aspect-ratio: 100 / {}; border: 0;\" loading=\"lazy\"></iframe>",
            attr(&format!("{site}{hash}")),
            attr(title),
            ratio.clamp(20, 200)
        ),
        SnippetSize::Fixed { width, height } => format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"{}\" height=\"{}\" style=\"border: 0;\" loading=\"lazy\"></iframe>",
            attr(&format!("{site}{hash}")),
            attr(title),
            width.clamp(300, 4000),
            height.clamp(300, 4000)
        ),
        SnippetSize::Loader { ratio } => {
            // The loader adds embed=1 and the ratio itself.
            let inner = crate::url_state::UrlState { embed: false, ..view };
            format!(
                "<div data-plan-atlas=\"{}\" data-ratio=\"{}\" data-title=\"{}\"></div>\n<script src=\"{}\" async></script>",
                attr(inner.format().trim_start_matches('#')),
                ratio.clamp(20, 200),
                attr(title),
                attr(&format!("{site}embed.js"))
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_origins() {
        let c = EmbedConfig::parse(r#"{"allowed_origins": ["https://portal.example.org", "http://127.0.0.1:9000/"]}"#).unwrap();
        assert_eq!(c.allowed_origins, ["https://portal.example.org", "http://127.0.0.1:9000"]);
        assert!(c.allows("https://portal.example.org", "https://atlas.example"));
        assert!(c.allows("https://atlas.example", "https://atlas.example"));
        assert!(!c.allows("https://portal.example.org.evil.com", "https://atlas.example"));
        assert!(!c.allows("null", "https://atlas.example"));
        assert_eq!(c.frame_ancestors(), "frame-ancestors 'self' https://portal.example.org http://127.0.0.1:9000");
        // Default: the site's own origin only.
        let d = EmbedConfig::parse("{}").unwrap();
        assert!(d.allowed_origins.is_empty() && !d.allows("https://portal.example.org", "https://atlas.example"));
        assert_eq!(d.frame_ancestors(), "frame-ancestors 'self'");
        // A wildcard, a path, a script or a non-list is refused, not taken loosely.
        for bad in [
            r#"{"allowed_origins": ["*"]}"#,
            r#"{"allowed_origins": ["https://a.org/x"]}"#,
            r#"{"allowed_origins": ["javascript:alert(1)"]}"#,
            r#"{"allowed_origins": "https://a.org"}"#,
            "[",
            r#"{"allowed_origins": ["https://a.org; script-src *"]}"#,
        ] {
            assert!(EmbedConfig::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn valid_commands() {
        let ok = |t: &str| parse_inbound(t).unwrap_or_else(|r| panic!("{t}: {}", r.message));
        assert_eq!(
            ok(r#"{"planAtlas":1,"type":"select","feature":"eco-barrier-736","id":7}"#),
            Inbound { command: Command::Select(Some("eco-barrier-736".into())), id: Some(json!(7)) }
        );
        assert_eq!(ok(r#"{"planAtlas":1,"type":"select","feature":null}"#).command, Command::Select(None));
        assert_eq!(
            ok(r#"{"planAtlas":1,"type":"setLayers","layers":["districts",{"id":"metro","opacity":0.6},{"id":"parks","opacity":1}]}"#)
                .command,
            Command::SetLayers(vec![
                LayerSetting { id: "districts".into(), opacity: None },
                LayerSetting { id: "metro".into(), opacity: Some(60) },
                LayerSetting { id: "parks".into(), opacity: None },
            ])
        );
        assert_eq!(
            ok(r#"{"planAtlas":1,"type":"setView","zoom":11,"lat":39.1,"lon":117.2}"#).command,
            Command::SetView(MapPosition { zoom: 11.0, lat: 39.1, lon: 117.2 })
        );
        assert_eq!(ok(r#"{"planAtlas":1,"type":"setLanguage","lang":"en","id":"a"}"#).id, Some(json!("a")));
        assert_eq!(ok(r#"{"planAtlas":1,"type":"getState"}"#).command, Command::GetState);
    }

    #[test]
    fn invalid_messages_are_refused_with_a_reason() {
        let cases = [
            ("not json", "not JSON"),
            ("[1,2]", "object"),
            (r#"{"planAtlas":2,"type":"getState","id":3}"#, "version 2"),
            (r#"{"type":"getState"}"#, "API version"),
            (r#"{"planAtlas":1}"#, "\"type\""),
            (r#"{"planAtlas":1,"type":"drop tables"}"#, "unknown type"),
            (r#"{"planAtlas":1,"type":"select","feature":"<img src=x onerror=alert(1)>"}"#, "feature id"),
            (r#"{"planAtlas":1,"type":"select"}"#, "feature id"),
            (r#"{"planAtlas":1,"type":"setLayers","layers":"metro"}"#, "list"),
            (r#"{"planAtlas":1,"type":"setLayers","layers":["metro","metro"]}"#, "twice"),
            (r#"{"planAtlas":1,"type":"setLayers","layers":[{"id":"metro","opacity":3}]}"#, "opacity"),
            (r#"{"planAtlas":1,"type":"setLayers","layers":[42]}"#, "each layer"),
            (r#"{"planAtlas":1,"type":"setView","zoom":40,"lat":39,"lon":117}"#, "zoom"),
            (r#"{"planAtlas":1,"type":"setView","zoom":10,"lat":"39","lon":117}"#, "zoom"),
            (r#"{"planAtlas":1,"type":"setLanguage","lang":"fr"}"#, "zh"),
        ];
        for (text, why) in cases {
            let r = parse_inbound(text).expect_err(text);
            assert!(r.message.contains(why), "{text}: {}", r.message);
        }
        let long = format!(r#"{{"planAtlas":1,"type":"getState","pad":"{}"}}"#, "x".repeat(MAX_MESSAGE_BYTES));
        assert!(parse_inbound(&long).unwrap_err().message.contains("too long"));
        // The host's id comes back with the refusal; a huge or odd id does not.
        assert_eq!(parse_inbound(r#"{"planAtlas":1,"type":"nope","id":"q1"}"#).unwrap_err().id, Some(json!("q1")));
        assert_eq!(parse_inbound(r#"{"planAtlas":1,"type":"nope","id":{"a":1}}"#).unwrap_err().id, None);
        assert!(is_ours(&json!({"planAtlas": 1})) && !is_ours(&json!({"type": "webpackOk"})));
        assert!(read("hello").is_none() && read(r#"{"type":"webpackOk"}"#).is_none());
        assert!(read(r#"{"planAtlas":1,"type":"getState"}"#).is_some_and(|r| r.is_ok()));
        assert!(read(r#"{"planAtlas":"x","type":"getState"}"#).is_some_and(|r| r.is_err()));
    }

    #[test]
    fn snippets() {
        let (current, _) = crate::url_state::UrlState::parse(
            "#map=11.00/39.10000/117.20000&layers=districts,metro&f=eco-barrier-736&doc=x.txt&l=4&q=park&cmp=swipe&lang=zh",
        );
        let mut o = ShareOptions {
            size: SnippetSize::Fixed { width: 800, height: 500 },
            layers: true,
            lang: "en".into(),
            reader: true,
            feature: true,
        };
        let s = snippet("https://atlas.example/", &current, &o, "Plan \"Atlas\" <map>");
        assert_eq!(
            s,
            "<iframe src=\"https://atlas.example/#map=11.00/39.10000/117.20000&amp;layers=districts,metro&amp;f=eco-barrier-736&amp;lang=en&amp;embed=1\" title=\"Plan &quot;Atlas&quot; &lt;map&gt;\" width=\"800\" height=\"500\" style=\"border: 0;\" loading=\"lazy\"></iframe>"
        );
        o.layers = false;
        o.feature = false;
        o.reader = false;
        o.size = SnippetSize::Responsive { ratio: 60 };
        let s = snippet("https://atlas.example/", &current, &o, "t");
        assert!(
            s.contains("#map=11.00/39.10000/117.20000&amp;lang=en&amp;embed=1&amp;reader=0\"") && s.contains("aspect-ratio: 100 / 60"),
            "{s}"
        );
        o.size = SnippetSize::Loader { ratio: 70 };
        let s = snippet("https://atlas.example/", &current, &o, "t");
        assert!(s.starts_with("<div data-plan-atlas=\"map=11.00/39.10000/117.20000&amp;lang=en&amp;reader=0\" data-ratio=\"70\""), "{s}");
        assert!(s.ends_with("<script src=\"https://atlas.example/embed.js\" async></script>"), "{s}");
    }

    #[test]
    fn outbound_messages() {
        let s = Snapshot {
            map: Some(MapPosition { zoom: 10.0, lat: 39.1, lon: 117.2 }),
            layers: vec!["districts".into()],
            feature: None,
            lang: "en".into(),
            url: "https://atlas.example/#lang=en".into(),
        };
        let v: Value = serde_json::from_str(&ready(&s)).unwrap();
        assert_eq!(v["planAtlas"], 1);
        assert_eq!(v["type"], "ready");
        assert_eq!(v["state"]["view"]["zoom"], 10.0);
        assert_eq!(v["state"]["layers"][0], "districts");
        let v: Value = serde_json::from_str(&state(&s, Some(&json!("r1")))).unwrap();
        assert_eq!((v["type"].as_str(), v["id"].as_str()), (Some("state"), Some("r1")));
        let v: Value = serde_json::from_str(&resize(612.4)).unwrap();
        assert_eq!(v["height"], 612.0);
        let v: Value = serde_json::from_str(&selected(Some("a"), Some("甲"), Some("A"))).unwrap();
        assert_eq!((v["type"].as_str(), v["feature"].as_str(), v["name_en"].as_str()), (Some("select"), Some("a"), Some("A")));
        let v: Value = serde_json::from_str(&error(&Refusal { message: "no".into(), id: Some(json!(4)) })).unwrap();
        assert_eq!((v["type"].as_str(), v["message"].as_str(), v["id"].as_i64()), (Some("error"), Some("no"), Some(4)));
    }
}
