//! The whole view in the URL hash, e.g.
//! `#map=11.20/39.08412/117.20088&layers=districts,eco-barrier:60&f=eco-barrier-736&lang=en`.
//!
//! The format is documented for users and embedders in `docs/url-state.md`. Parsing is field
//! by field: an unknown or invalid field falls back to its default alone and is reported,
//! never the whole state (as MapLibre's `hash.ts` does). Values are percent-encoded on output
//! where they need it; ids, numbers and lists stay readable. Which history step a change
//! deserves (a new entry or a replaced one) is decided here too, by [`history_step`].

use std::fmt;

use crate::compare::CompareMode;
use crate::layer::Status;
use crate::projection::{project, unproject, LonLat, Mercator};
use crate::viewport::Viewport;

/// Web Mercator metres per pixel at zoom 0 for 256-pixel tiles (EPSG:3857, as web maps count).
const MPP_AT_ZOOM_0: f64 = 156_543.033_928_041;

/// The map's centre and scale, as web maps write it: zoom, latitude, longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPosition {
    /// Web map zoom level (0 is the world in 256 pixels; each step halves the scale).
    pub zoom: f64,
    pub lat: f64,
    pub lon: f64,
}

impl MapPosition {
    /// The position a viewport shows, rounded as it is written (2 decimals of zoom, 5 of
    /// degrees: about a metre).
    pub fn of(v: &Viewport) -> MapPosition {
        let ll = unproject(v.center);
        let zoom = (MPP_AT_ZOOM_0 / v.metres_per_px.max(1e-9)).log2();
        MapPosition { zoom: round(zoom, 2), lat: round(ll.lat, 5), lon: round(ll.lon, 5) }
    }

    /// A viewport of `width`×`height` pixels at this position, within the map's zoom limits.
    pub fn to_viewport(self, width: f64, height: f64) -> Viewport {
        let mpp = (MPP_AT_ZOOM_0 / 2f64.powf(self.zoom)).clamp(Viewport::MIN_METRES_PER_PX, Viewport::MAX_METRES_PER_PX);
        let center: Mercator = project(LonLat::new(self.lon, self.lat));
        Viewport { center, metres_per_px: mpp, width: width.max(1.0), height: height.max(1.0) }
    }
}

fn round(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

/// A visible layer with the opacity the user chose (percent; `None` is fully opaque).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerSetting {
    pub id: String,
    pub opacity: Option<u8>,
}

/// What the hash can carry. Every field is optional: `None` means "the default".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlState {
    /// Centre and zoom (`map=Z/LAT/LON`).
    pub map: Option<MapPosition>,
    /// The visible layers, bottom first, with opacity (`layers=a,b:60`); layers not listed are
    /// hidden. `Some(vec![])` hides every layer (`layers=none`).
    pub layers: Option<Vec<LayerSetting>>,
    /// Statuses shown (`status=existing,planned`); `Some(vec![])` shows none (`status=none`).
    pub statuses: Option<Vec<Status>>,
    /// Selected feature id (`f=`).
    pub feature: Option<String>,
    /// Which of the selected feature's excerpts the reader shows, 0-based (`e=`, only when not 0).
    pub excerpt: Option<usize>,
    /// Open plan document (seed file name, `doc=`).
    pub doc: Option<String>,
    /// 1-based seed line to open the document at, marked (`l=`, with `doc`).
    pub line: Option<usize>,
    /// 1-based seed line at the top of the reader: where the user had scrolled (`at=`).
    pub at: Option<usize>,
    /// Interface language: "zh" or "en" (`lang=`).
    pub lang: Option<String>,
    /// The search box's text (`q=`).
    pub query: Option<String>,
    /// The metro drawn as open in 2025, from the reference data (`metro=2025`).
    pub metro_2025: bool,
    /// Two maps compared (`cmp=swipe` or `cmp=side`).
    pub compare: Option<CompareMode>,
    /// The swipe divider's position, in percent of the map's width from the left (`split=`).
    pub split: Option<u8>,
    /// The right side's layers, statuses and metro, as `layers`, `status` and `metro`
    /// (`rlayers=`, `rstatus=`, `rmetro=2025`); without `rlayers`, the left side's layers.
    pub right_layers: Option<Vec<LayerSetting>>,
    pub right_statuses: Option<Vec<Status>>,
    pub right_metro_2025: bool,
    /// A tour: saved views, each the hash of a view (`tour=`, each percent-encoded, joined by
    /// commas), and the 1-based stop shown now (`stop=`).
    pub tour: Vec<String>,
    pub stop: Option<usize>,
    /// Embed mode (`embed=1`): the map alone, for a frame in another page.
    pub embed: bool,
    /// In embed mode, whether a selected feature's card and clause are shown (`reader=0` hides
    /// them: the host shows its own).
    pub reader: Option<bool>,
    /// In embed mode, the map's height as a percentage of its width (`ratio=`, 20–200): the page
    /// then grows with its content (the card below the map) and reports its height to the host.
    pub ratio: Option<u16>,
}

/// At most this many views in a tour, each at most [`TOUR_VIEW_MAX`] characters.
pub const TOUR_MAX: usize = 30;
pub const TOUR_VIEW_MAX: usize = 2000;

/// Ids of features, layers and documents: letters, digits, `-`, `_` and `.`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 120 && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes all but unreserved characters, so that `&`, `=`, `#` and `+` in a query
/// stay in their field.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn status_of(s: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|x| x.as_str() == s)
}

fn parse_map(v: &str) -> Option<MapPosition> {
    let mut it = v.split('/');
    let (z, lat, lon) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let num = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    // Rounded as written, so that a parsed position is written back unchanged.
    let p = MapPosition { zoom: round(num(z)?, 2), lat: round(num(lat)?, 5), lon: round(num(lon)?, 5) };
    ((0.0..=22.0).contains(&p.zoom) && (-85.0511..=85.0511).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon)).then_some(p)
}

fn parse_layers(v: &str) -> Option<Vec<LayerSetting>> {
    if v == "none" {
        return Some(Vec::new());
    }
    let mut out: Vec<LayerSetting> = Vec::new();
    for item in v.split(',') {
        let (id, opacity) = match item.split_once(':') {
            Some((id, o)) => (id, Some(o.parse::<u8>().ok().filter(|o| *o <= 100)?)),
            None => (item, None),
        };
        // "none" alone means no layers, so no layer may be called that.
        if !is_id(id) || id == "none" || out.iter().any(|l| l.id == id) {
            return None;
        }
        out.push(LayerSetting { id: id.to_string(), opacity: opacity.filter(|o| *o < 100) });
    }
    Some(out)
}

fn parse_statuses(v: &str) -> Option<Vec<Status>> {
    if v == "none" {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for s in v.split(',') {
        let st = status_of(s)?;
        if !out.contains(&st) {
            out.push(st);
        }
    }
    Some(out)
}

/// A tour's views: each percent-encoded, so split before decoding. A view must itself be a
/// valid hash with no tour of its own.
fn parse_tour(raw: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for item in raw.split(',').filter(|i| !i.is_empty()) {
        let view = decode(item)?;
        if view.chars().count() > TOUR_VIEW_MAX || out.len() >= TOUR_MAX {
            return None;
        }
        let (inner, problems) = UrlState::parse(&view);
        let formatted = inner.format().trim_start_matches('#').to_string();
        if !problems.is_empty() || !inner.tour.is_empty() || inner.stop.is_some() || formatted.is_empty() {
            return None;
        }
        out.push(formatted);
    }
    Some(out)
}

fn parse_line(v: &str) -> Option<usize> {
    v.parse::<usize>().ok().filter(|n| (1..=1_000_000).contains(n))
}

/// Shortens untrusted text for a message.
fn clip(s: &str) -> String {
    crate::safe::clip(s, 40)
}

/// A field of the hash that was ignored, and why; shown to the user in either language
/// ([`Problem::zh`], [`Problem::en`]; `Display` is the English). Keys and values are clipped
/// to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `tour=` holds a saved view that is not a valid view (or holds a tour itself).
    Tour,
    /// The field's value is not valid percent-encoding.
    Encoding { key: String },
    /// No such field.
    UnknownField { key: String },
    /// The field is known but its value is not valid.
    Invalid { key: String, value: String },
}

impl Problem {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Problem::Tour => "已忽略“tour”：其中有一个保存的视图无效".to_string(),
            Problem::Encoding { key } => format!("已忽略“{key}”：它的值不是有效的百分号编码"),
            Problem::UnknownField { key } => format!("已忽略未知字段“{key}”"),
            Problem::Invalid { key, value } => format!("已忽略“{key}”：“{value}”不是有效的值"),
        }
    }

    /// The message in English.
    pub fn en(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Tour => write!(f, "ignored “tour”: a saved view in it is not a valid view"),
            Problem::Encoding { key } => write!(f, "ignored “{key}”: its value is not valid percent-encoding"),
            Problem::UnknownField { key } => write!(f, "ignored unknown field “{key}”"),
            Problem::Invalid { key, value } => write!(f, "ignored “{key}”: “{value}” is not a valid value"),
        }
    }
}

fn format_layers(layers: &[LayerSetting]) -> String {
    let list: Vec<String> = layers
        .iter()
        .map(|l| match l.opacity.filter(|o| *o < 100) {
            Some(o) => format!("{}:{o}", encode(&l.id)),
            None => encode(&l.id),
        })
        .collect();
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(",")
    }
}

fn format_statuses(s: &[Status]) -> String {
    if s.is_empty() {
        "none".to_string()
    } else {
        s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }
}

impl UrlState {
    /// Parse a hash (with or without the leading `#`). Returns the state and a message for each
    /// field that was ignored; the other fields keep their values.
    pub fn parse(hash: &str) -> (UrlState, Vec<Problem>) {
        let mut state = UrlState::default();
        let mut problems = Vec::new();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        for part in hash.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = part.split_once('=').unwrap_or((part, ""));
            if key == "tour" {
                match parse_tour(raw) {
                    Some(t) => state.tour = t,
                    None => problems.push(Problem::Tour),
                }
                continue;
            }
            let Some(value) = decode(raw) else {
                problems.push(Problem::Encoding { key: clip(key) });
                continue;
            };
            let ok = match key {
                "map" => parse_map(&value).map(|p| state.map = Some(p)).is_some(),
                "layers" => parse_layers(&value).map(|l| state.layers = Some(l)).is_some(),
                "status" => parse_statuses(&value).map(|s| state.statuses = Some(s)).is_some(),
                "f" => is_id(&value).then(|| state.feature = Some(value.clone())).is_some(),
                "e" => value.parse::<usize>().ok().filter(|e| *e < 1000).map(|e| state.excerpt = Some(e).filter(|e| *e > 0)).is_some(),
                "doc" => is_id(&value).then(|| state.doc = Some(value.clone())).is_some(),
                "l" => parse_line(&value).map(|l| state.line = Some(l)).is_some(),
                "at" => parse_line(&value).map(|l| state.at = Some(l)).is_some(),
                "lang" => (value == "zh" || value == "en").then(|| state.lang = Some(value.clone())).is_some(),
                "q" => (value.chars().count() <= 200).then(|| state.query = Some(value.clone()).filter(|q| !q.trim().is_empty())).is_some(),
                "metro" => (value == "2025").then(|| state.metro_2025 = true).is_some(),
                "cmp" => CompareMode::parse(&value).map(|m| state.compare = Some(m).filter(|m| *m != CompareMode::Off)).is_some(),
                "split" => value.parse::<u8>().ok().filter(|s| *s <= 100).map(|s| state.split = Some(s)).is_some(),
                "rlayers" => parse_layers(&value).map(|l| state.right_layers = Some(l)).is_some(),
                "rstatus" => parse_statuses(&value).map(|s| state.right_statuses = Some(s)).is_some(),
                "rmetro" => (value == "2025").then(|| state.right_metro_2025 = true).is_some(),
                "embed" => (value == "1").then(|| state.embed = true).is_some(),
                "reader" => matches!(value.as_str(), "0" | "1").then(|| state.reader = Some(value == "1")).is_some(),
                "ratio" => value.parse::<u16>().ok().filter(|r| (20..=200).contains(r)).map(|r| state.ratio = Some(r)).is_some(),
                "stop" => value.parse::<usize>().ok().filter(|s| (1..=TOUR_MAX).contains(s)).map(|s| state.stop = Some(s)).is_some(),
                _ => {
                    problems.push(Problem::UnknownField { key: clip(key) });
                    continue;
                }
            };
            if !ok {
                problems.push(Problem::Invalid { key: key.to_string(), value: clip(&value) });
            }
        }
        (state, problems)
    }

    /// The hash for this state, starting with `#` (empty string when there is nothing to say).
    pub fn format(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.map {
            parts.push(format!("map={:.2}/{:.5}/{:.5}", p.zoom, p.lat, p.lon));
        }
        if let Some(layers) = &self.layers {
            parts.push(format!("layers={}", format_layers(layers)));
        }
        if let Some(s) = &self.statuses {
            parts.push(format!("status={}", format_statuses(s)));
        }
        if let Some(f) = &self.feature {
            parts.push(format!("f={}", encode(f)));
        }
        if let Some(e) = self.excerpt.filter(|e| *e > 0) {
            parts.push(format!("e={e}"));
        }
        if let Some(d) = &self.doc {
            parts.push(format!("doc={}", encode(d)));
        }
        if let Some(l) = self.line {
            parts.push(format!("l={l}"));
        }
        if let Some(a) = self.at {
            parts.push(format!("at={a}"));
        }
        if let Some(l) = &self.lang {
            parts.push(format!("lang={}", encode(l)));
        }
        if let Some(q) = self.query.as_deref().filter(|q| !q.trim().is_empty()) {
            parts.push(format!("q={}", encode(q)));
        }
        if self.metro_2025 {
            parts.push("metro=2025".into());
        }
        if let Some(m) = self.compare.filter(|m| *m != CompareMode::Off) {
            parts.push(format!("cmp={}", m.as_str()));
        }
        if let Some(s) = self.split {
            parts.push(format!("split={s}"));
        }
        if let Some(layers) = &self.right_layers {
            parts.push(format!("rlayers={}", format_layers(layers)));
        }
        if let Some(s) = &self.right_statuses {
            parts.push(format!("rstatus={}", format_statuses(s)));
        }
        if self.right_metro_2025 {
            parts.push("rmetro=2025".into());
        }
        if self.embed {
            parts.push("embed=1".into());
        }
        if let Some(r) = self.reader {
            parts.push(format!("reader={}", u8::from(r)));
        }
        if let Some(r) = self.ratio {
            parts.push(format!("ratio={r}"));
        }
        if !self.tour.is_empty() {
            parts.push(format!("tour={}", self.tour.iter().map(|v| encode(v)).collect::<Vec<_>>().join(",")));
        }
        if let Some(s) = self.stop {
            parts.push(format!("stop={s}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }

    /// The part of the state that marks a step a user would want to undo with Back: the
    /// selected feature and the open plan.
    fn step_key(&self) -> (Option<&str>, Option<usize>, Option<&str>, Option<usize>) {
        (self.feature.as_deref(), self.excerpt.filter(|e| *e > 0), self.doc.as_deref(), self.stop)
    }
}

/// How a change of state goes into the browser's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryStep {
    /// Nothing to write: the hash is the same.
    None,
    /// Replace the current entry (panning, zooming, layers, scrolling, typing: throttled).
    Replace,
    /// A new entry, so that Back returns to the previous selection or plan.
    Push,
}

/// The history step from `before` to `after`: a new entry when the selection or the open
/// plan changes, otherwise the current entry is replaced.
pub fn history_step(before: &UrlState, after: &UrlState) -> HistoryStep {
    if before == after {
        HistoryStep::None
    } else if before.step_key() != after.step_key() {
        HistoryStep::Push
    } else {
        HistoryStep::Replace
    }
}

/// The interface language for a browser's preferred languages (`navigator.languages`, most
/// preferred first): the first that is Chinese or English decides; Chinese otherwise.
pub fn preferred_lang<S: AsRef<str>>(prefs: &[S]) -> &'static str {
    for p in prefs {
        let p = p.as_ref().to_ascii_lowercase();
        if p == "zh" || p.starts_with("zh-") {
            return "zh";
        }
        if p == "en" || p.starts_with("en-") {
            return "en";
        }
    }
    "zh"
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn full() -> UrlState {
        UrlState {
            map: Some(MapPosition { zoom: 11.25, lat: 39.08412, lon: 117.20088 }),
            layers: Some(vec![
                LayerSetting { id: "districts".into(), opacity: None },
                LayerSetting { id: "eco-barrier".into(), opacity: Some(60) },
            ]),
            statuses: Some(vec![Status::Planned, Status::Existing]),
            feature: Some("eco-barrier-736".into()),
            excerpt: Some(2),
            doc: Some("004_807393adc7e55925.txt".into()),
            line: Some(455),
            at: Some(470),
            lang: Some("en".into()),
            query: Some("南开 地铁 & co=1 #x+y".into()),
            metro_2025: true,
            compare: Some(CompareMode::Swipe),
            split: Some(37),
            right_layers: Some(vec![LayerSetting { id: "metro".into(), opacity: Some(80) }]),
            right_statuses: Some(vec![Status::Existing]),
            right_metro_2025: true,
            tour: vec!["map=10.00/39.10000/117.20000&layers=districts,metro".into(), "f=eco-barrier-736&lang=en".into()],
            stop: Some(2),
            embed: true,
            reader: Some(false),
            ratio: Some(60),
        }
    }

    #[test]
    fn round_trip() {
        let s = full();
        let hash = s.format();
        assert_eq!(UrlState::parse(&hash), (s, vec![]), "{hash}");
        assert_eq!(UrlState::default().format(), "");
        // Empty lists are written as `none`, and read back as empty, not as the default.
        let none = UrlState { layers: Some(vec![]), statuses: Some(vec![]), ..Default::default() };
        assert_eq!(none.format(), "#layers=none&status=none");
        assert_eq!(UrlState::parse(&none.format()).0, none);
    }

    #[test]
    fn readable_format() {
        let h = full().format();
        assert!(h.starts_with("#map=11.25/39.08412/117.20088&layers=districts,eco-barrier:60&status=planned,existing&f=eco-barrier-736&e=2&doc=004_807393adc7e55925.txt&l=455&at=470&lang=en&q="), "{h}");
    }

    #[test]
    fn bad_fields_fall_back_one_by_one() {
        let (s, problems) = UrlState::parse(
            "#f=<script>&lang=fr&doc=004_807393adc7e55925.txt&zoom=3&x=%ZZ&l=0&map=99/1/1&layers=a,,b&status=built&e=x&at=-3",
        );
        assert_eq!(s.feature, None);
        assert_eq!(s.lang, None);
        assert_eq!(s.doc.as_deref(), Some("004_807393adc7e55925.txt"));
        assert_eq!((s.line, s.map, s.layers, s.statuses, s.excerpt, s.at), (None, None, None, None, None, None));
        assert_eq!(problems.len(), 10, "{problems:?}");
        assert!(problems[0].to_string().contains("<script>"));
        assert_eq!(problems[0], Problem::Invalid { key: "f".into(), value: "<script>".into() });
        // Regression: the messages were English in the Chinese interface (issue 15).
        assert_eq!(problems[0].zh(), "已忽略“f”：“<script>”不是有效的值");
        assert_eq!(problems[0].en(), "ignored “f”: “<script>” is not a valid value");
        let (empty, p) = UrlState::parse("");
        assert_eq!(empty, UrlState::default());
        assert!(p.is_empty());
    }

    #[test]
    fn problems_are_told_in_both_languages() {
        let (_, p) = UrlState::parse("#zoom=3&x=%ZZ&map=99/1/1&tour=bogus%3D1");
        assert_eq!(
            p,
            vec![
                Problem::UnknownField { key: "zoom".into() },
                Problem::Encoding { key: "x".into() },
                Problem::Invalid { key: "map".into(), value: "99/1/1".into() },
                Problem::Tour,
            ]
        );
        let zh: Vec<String> = p.iter().map(Problem::zh).collect();
        assert_eq!(
            zh,
            [
                "已忽略未知字段“zoom”",
                "已忽略“x”：它的值不是有效的百分号编码",
                "已忽略“map”：“99/1/1”不是有效的值",
                "已忽略“tour”：其中有一个保存的视图无效"
            ]
        );
        let en: Vec<String> = p.iter().map(Problem::en).collect();
        assert_eq!(
            en,
            [
                "ignored unknown field “zoom”",
                "ignored “x”: its value is not valid percent-encoding",
                "ignored “map”: “99/1/1” is not a valid value",
                "ignored “tour”: a saved view in it is not a valid view"
            ]
        );
    }

    #[test]
    fn valid_fields_survive_invalid_neighbours() {
        let (s, p) = UrlState::parse("map=10/39.1/117.2&layers=metro:150&lang=en");
        assert_eq!(s.map, Some(MapPosition { zoom: 10.0, lat: 39.1, lon: 117.2 }));
        assert_eq!(s.layers, None, "an opacity over 100 drops the field");
        assert_eq!(s.lang.as_deref(), Some("en"));
        assert_eq!(p.len(), 1);
        // Duplicate layers and half-written percent escapes are refused too.
        assert_eq!(UrlState::parse("layers=a,a").0.layers, None);
        assert_eq!(UrlState::parse("q=%E5%8D").0.query, None);
        assert_eq!(UrlState::parse("q=%+1").0.query, None);
    }

    #[test]
    fn compare_fields() {
        let (s, problems) = UrlState::parse("#cmp=side&split=20&rlayers=metro,parks:40&rstatus=existing&rmetro=2025&metro=2025");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.compare, Some(CompareMode::Side));
        assert_eq!(s.split, Some(20));
        assert_eq!(s.right_layers.as_ref().map(Vec::len), Some(2));
        assert_eq!(s.right_statuses, Some(vec![Status::Existing]));
        assert!(s.metro_2025 && s.right_metro_2025);
        // Off is the default and is not written; bad values fall back alone.
        let (s, problems) = UrlState::parse("#cmp=off&split=101&metro=2024&rstatus=open&f=a");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(
            (s.compare, s.split, s.metro_2025, s.right_statuses.clone(), s.feature.as_deref()),
            (None, None, false, None, Some("a"))
        );
        assert_eq!(s.format(), "#f=a");
    }

    #[test]
    fn tours_carry_whole_views() {
        let s = full();
        let hash = s.format();
        // A view's own `&`, `=` and `,` are encoded, so the tour stays one field.
        assert!(
            hash.contains("&tour=map%3D10.00%2F39.10000%2F117.20000%26layers%3Ddistricts%2Cmetro,f%3Deco-barrier-736%26lang%3Den&stop=2"),
            "{hash}"
        );
        // A view that is not a valid view, or that holds a tour, rejects the tour alone.
        for bad in ["#tour=bogus%3D1&f=a", "#tour=tour%3Df%253Da&f=a", "#tour=f%3D%3Cb%3E&f=a"] {
            let (t, problems) = UrlState::parse(bad);
            assert!(t.tour.is_empty() && problems.len() == 1, "{bad}: {problems:?}");
            assert_eq!(t.feature.as_deref(), Some("a"));
        }
        let long = format!("#tour={}", vec!["f%3Da"; TOUR_MAX + 1].join(","));
        assert!(UrlState::parse(&long).0.tour.is_empty());
        // Moving to another stop is a step worth Back.
        let mut next = s.clone();
        next.stop = Some(1);
        assert_eq!(history_step(&s, &next), HistoryStep::Push);
    }

    #[test]
    fn map_position_round_trips_through_a_viewport() {
        let v = Viewport { center: project(LonLat::new(117.2, 39.1)), metres_per_px: 12.5, width: 800.0, height: 600.0 };
        let p = MapPosition::of(&v);
        let back = p.to_viewport(800.0, 600.0);
        // Rounding to 5 decimals of a degree and 2 of zoom moves the view by under 2 px.
        let s = v.to_screen(back.center);
        assert!((s.x - 400.0).abs() < 0.2 && (s.y - 300.0).abs() < 0.2, "{s:?}");
        assert_relative_eq!(back.metres_per_px, v.metres_per_px, max_relative = 0.004);
        // Zoom limits hold for extreme but valid zooms.
        assert_eq!(MapPosition { zoom: 0.0, lat: 0.0, lon: 0.0 }.to_viewport(0.0, 0.0).metres_per_px, Viewport::MAX_METRES_PER_PX);
        assert_eq!(MapPosition { zoom: 22.0, lat: 0.0, lon: 0.0 }.to_viewport(10.0, 10.0).metres_per_px, Viewport::MIN_METRES_PER_PX);
    }

    #[test]
    fn history_steps() {
        let a = UrlState { feature: Some("a".into()), ..Default::default() };
        let mut panned = a.clone();
        panned.map = Some(MapPosition { zoom: 9.0, lat: 39.0, lon: 117.0 });
        let b = UrlState { feature: Some("b".into()), ..panned.clone() };
        let mut other_excerpt = panned.clone();
        other_excerpt.excerpt = Some(1);
        let mut plan = panned.clone();
        plan.doc = Some("000.txt".into());
        assert_eq!(history_step(&a, &a), HistoryStep::None);
        assert_eq!(history_step(&a, &panned), HistoryStep::Replace);
        assert_eq!(history_step(&panned, &b), HistoryStep::Push);
        assert_eq!(history_step(&panned, &other_excerpt), HistoryStep::Push);
        assert_eq!(history_step(&panned, &plan), HistoryStep::Push);
        let mut scrolled = plan.clone();
        scrolled.at = Some(40);
        assert_eq!(history_step(&plan, &scrolled), HistoryStep::Replace);
    }

    #[test]
    fn browser_languages() {
        assert_eq!(preferred_lang(&["en-US", "zh-CN"]), "en");
        assert_eq!(preferred_lang(&["fr-FR", "zh-TW", "en"]), "zh");
        assert_eq!(preferred_lang(&["de", "EN-gb"]), "en");
        assert_eq!(preferred_lang::<&str>(&[]), "zh");
        assert_eq!(preferred_lang(&["fr"]), "zh");
    }

    proptest! {
        // Bounded so that the test command stays quick; arbitrary hashes must never panic.
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(s in any::<String>()) {
            let (state, _) = UrlState::parse(&s);
            // Whatever was accepted is written back and read again unchanged.
            let again = UrlState::parse(&state.format());
            prop_assert_eq!(again, (state, vec![]));
        }

        #[test]
        fn hash_shaped_text_never_panics(s in "#?((map|layers|status|f|e|doc|l|at|lang|q|x|cmp|split|rlayers|rstatus|metro|tour|stop|embed|reader|ratio)=[-a-z0-9%:,./+&=]{0,30}&?){0,6}") {
            let (state, _) = UrlState::parse(&s);
            let again = UrlState::parse(&state.format());
            prop_assert_eq!(again, (state, vec![]));
        }

        #[test]
        fn any_query_round_trips(q in "\\PC{1,60}") {
            let s = UrlState { query: Some(q.clone()), ..Default::default() };
            let (back, p) = UrlState::parse(&s.format());
            prop_assert!(p.is_empty());
            prop_assert_eq!(back.query, Some(q).filter(|q| !q.trim().is_empty()));
        }
    }
}
