//! A visitor's own layer: a GeoJSON file read in the browser, in pieces and leniently.
//!
//! [`Importer`] takes the file's bytes in chunks of any size, so the page can read a large file
//! a slice at a time and draw frames in between. It scans the top level of the JSON itself
//! (the outer object and its `features` array) and hands each feature, once complete, to
//! `serde_json`: memory holds one feature's text at a time, never the whole file. What it
//! reports is specific: a broken file's line and column; each skipped feature's index, id and
//! reason; positions that were latitude first (read the right way round, and counted); a file
//! that says or looks like it is in GCJ-02, with the shift in metres.
//!
//! The features become ordinary [`Feature`]s of a layer of kind `user`: their names come from
//! the usual property names, every other property is kept as plain text for the card.

use std::fmt;

use serde_json::{Map, Value};

use crate::coord::LonLat;
use crate::layer::{convert_geometry, strict_position, Diagnostic, Feature, FeatureProps, Geometry, Precision, Status};

/// The largest file the page reads (a stated limit: the features of a larger file would not
/// fit a phone's memory as drawn shapes).
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;
/// Nesting deeper than this is refused while scanning (a hostile file, not geography).
const MAX_DEPTH: usize = 512;
/// Properties kept per feature, and their sizes, for the card.
const MAX_PROPERTIES: usize = 40;
const MAX_KEY: usize = 80;
const MAX_VALUE: usize = 300;
/// Skipped features listed one by one; beyond this they are only counted.
pub const MAX_LISTED: usize = 500;
/// The property names a feature's name is read from, in this order.
const NAME_KEYS: [&str; 10] = ["name", "名称", "Name", "NAME", "title", "标题", "label", "名字", "name_zh", "name_en"];

/// A break in the file's JSON, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not valid JSON at line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// Where the scanner is in the file's top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before the top-level value (a byte-order mark may come first).
    Start,
    /// In the top object before a key; `first`: `}` may close an empty object.
    Key {
        first: bool,
    },
    /// Inside a top-level key.
    InKey,
    Colon,
    /// Before a top-level member's value.
    Value,
    /// In the `features` array before an element; `first`: `]` may close an empty array.
    Element {
        first: bool,
    },
    /// Inside a captured value (a feature, or another top-level member's value).
    Capture,
    /// After a feature: `,` or `]`.
    AfterElement,
    /// After a member: `,` or `}`.
    AfterMember,
    /// After the top object: only white space.
    End,
}

/// What a captured value is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Feature,
    Member(String),
}

/// Reads a GeoJSON file chunk by chunk (see the module docs).
#[derive(Debug)]
pub struct Importer {
    layer_id: String,
    at: At,
    line: usize,
    column: usize,
    bytes: u64,
    /// The current key or captured value, and where it began.
    buf: Vec<u8>,
    buf_at: (usize, usize),
    target: Target,
    /// Open brackets of the capture; string state.
    stack: Vec<u8>,
    in_string: bool,
    escaped: bool,
    key: String,
    top: Map<String, Value>,
    streamed: bool,
    fatal: Option<JsonError>,
    index: usize,
    features: Vec<Feature>,
    skipped: Vec<Diagnostic>,
    skipped_count: usize,
    swapped: usize,
}

/// What a file yielded.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub features: Vec<Feature>,
    /// Skipped features, at most [`MAX_LISTED`] of them, with reasons.
    pub skipped: Vec<Diagnostic>,
    /// How many features were skipped in all.
    pub skipped_count: usize,
    /// The break in the JSON, when the file has one: the features before it are kept.
    pub broken: Option<JsonError>,
    /// Warnings about the whole file: swapped positions, a named coordinate system.
    pub warnings: Vec<String>,
    /// The file names its coordinate system as GCJ-02.
    pub declares_gcj02: bool,
}

impl Importer {
    /// An importer for the layer `layer_id` (its features' ids are `layer_id/index`, the index
    /// counting from 0 as in the file's `features` array).
    pub fn new(layer_id: &str) -> Self {
        Importer {
            layer_id: layer_id.to_string(),
            at: At::Start,
            line: 1,
            column: 0,
            bytes: 0,
            buf: Vec::new(),
            buf_at: (1, 1),
            target: Target::Feature,
            stack: Vec::new(),
            in_string: false,
            escaped: false,
            key: String::new(),
            top: Map::new(),
            streamed: false,
            fatal: None,
            index: 0,
            features: Vec::new(),
            skipped: Vec::new(),
            skipped_count: 0,
            swapped: 0,
        }
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Features read so far (kept and skipped).
    pub fn features_read(&self) -> usize {
        self.index
    }

    /// The break in the JSON, once found (later chunks are then ignored).
    pub fn broken(&self) -> Option<&JsonError> {
        self.fatal.as_ref()
    }

    /// Read the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.fatal.is_some() {
            return;
        }
        for &b in chunk {
            self.bytes += 1;
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
            if let Err(message) = self.byte(b) {
                self.fatal = Some(JsonError { message, line: self.line, column: self.column });
            }
            if self.fatal.is_some() {
                return;
            }
        }
    }

    fn byte(&mut self, b: u8) -> Result<(), String> {
        let ws = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self.at {
            At::Start => {
                // A byte-order mark (EF BB BF) before the JSON is allowed and skipped.
                if ws || (self.bytes <= 3 && [0xEF, 0xBB, 0xBF][self.bytes as usize - 1] == b) {
                    return Ok(());
                }
                if b != b'{' {
                    return Err(format!("expected a GeoJSON object ({{…}}), found {}", shown(b)));
                }
                self.at = At::Key { first: true };
            }
            At::Key { first } => match b {
                _ if ws => {}
                b'"' => {
                    self.buf.clear();
                    self.buf.push(b);
                    self.escaped = false;
                    self.at = At::InKey;
                }
                b'}' if first => self.at = At::End,
                _ => return Err(format!("expected a member name in quotes, found {}", shown(b))),
            },
            At::InKey => {
                if self.string_byte(b) {
                    let text = std::str::from_utf8(&self.buf).map_err(|_| "a member name is not UTF-8 text".to_string())?;
                    self.key = serde_json::from_str::<String>(text).map_err(|e| format!("a member name: {e}"))?;
                    self.at = At::Colon;
                } else if self.buf.len() > 4096 {
                    return Err("a member name longer than 4096 bytes".into());
                }
            }
            At::Colon => match b {
                _ if ws => {}
                b':' => self.at = At::Value,
                _ => return Err(format!("expected ':' after {:?}, found {}", crate::safe::clip(&self.key, 40), shown(b))),
            },
            At::Value => {
                if ws {
                    return Ok(());
                }
                if self.key == "features" && b == b'[' {
                    self.streamed = true;
                    self.at = At::Element { first: true };
                } else {
                    self.begin(Target::Member(self.key.clone()));
                    return self.capture(b);
                }
            }
            At::Element { first } => match b {
                _ if ws => {}
                b']' if first => self.at = At::AfterMember,
                b']' | b',' => return Err(format!("expected a feature, found {}", shown(b))),
                _ => {
                    self.begin(Target::Feature);
                    return self.capture(b);
                }
            },
            At::Capture => return self.capture(b),
            At::AfterElement => match b {
                _ if ws => {}
                b',' => self.at = At::Element { first: false },
                b']' => self.at = At::AfterMember,
                _ => return Err(format!("expected ',' or ']' after a feature, found {}", shown(b))),
            },
            At::AfterMember => match b {
                _ if ws => {}
                b',' => self.at = At::Key { first: false },
                b'}' => self.at = At::End,
                _ => return Err(format!("expected ',' or '}}' after a member, found {}", shown(b))),
            },
            At::End => {
                if !ws {
                    return Err(format!("unexpected {} after the end of the GeoJSON object", shown(b)));
                }
            }
        }
        Ok(())
    }

    fn begin(&mut self, target: Target) {
        self.target = target;
        self.buf.clear();
        self.stack.clear();
        self.in_string = false;
        self.escaped = false;
        self.buf_at = (self.line, self.column);
        self.at = At::Capture;
    }

    /// One byte inside a string (kept in the buffer): true when it is the closing quote.
    fn string_byte(&mut self, b: u8) -> bool {
        self.buf.push(b);
        if self.escaped {
            self.escaped = false;
            false
        } else if b == b'\\' {
            self.escaped = true;
            false
        } else {
            b == b'"'
        }
    }

    /// One byte of a captured value; the value ends with its closing bracket or quote, or (a
    /// number or literal) just before the delimiter, which the enclosing level then reads.
    fn capture(&mut self, b: u8) -> Result<(), String> {
        if self.in_string {
            if self.string_byte(b) {
                self.in_string = false;
                if self.stack.is_empty() {
                    self.complete();
                }
            }
            return Ok(());
        }
        let scalar_end = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}');
        if self.stack.is_empty() && !self.buf.is_empty() && scalar_end {
            self.complete();
            return self.byte(b);
        }
        self.buf.push(b);
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH} levels"));
                }
                self.stack.push(b);
            }
            b'}' | b']' => {
                let open = if b == b'}' { b'{' } else { b'[' };
                if self.stack.pop() != Some(open) {
                    return Err(format!("{} does not close an open bracket", shown(b)));
                }
                if self.stack.is_empty() {
                    self.complete();
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A captured value is complete: read it.
    fn complete(&mut self) {
        let bytes = std::mem::take(&mut self.buf);
        // Parsed as text, as the site's own layers are (one JSON reader in the wasm, not two).
        let text =
            String::from_utf8(bytes).map_err(|e| format!("the file is not UTF-8 text (byte {} of a value)", e.utf8_error().valid_up_to()));
        let parsed = text.map_err(|m| JsonError { message: m, line: self.buf_at.0, column: self.buf_at.1 }).and_then(|t| {
            serde_json::from_str::<Value>(&t).map_err(|e| {
                let (line, column) = if e.line() <= 1 {
                    (self.buf_at.0, self.buf_at.1 + e.column().saturating_sub(1))
                } else {
                    (self.buf_at.0 + e.line() - 1, e.column())
                };
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message).to_string();
                JsonError { message, line, column }
            })
        });
        match std::mem::replace(&mut self.target, Target::Feature) {
            Target::Feature => {
                self.at = At::AfterElement;
                let index = self.index;
                self.index += 1;
                let result = parsed.map_err(|e| (None, e.to_string())).and_then(|v| self.feature(&v, index));
                match result {
                    Ok(f) => self.features.push(f),
                    Err((id, message)) => self.skip(index, id, message),
                }
            }
            Target::Member(key) => {
                self.at = At::AfterMember;
                match parsed {
                    Ok(v) => {
                        self.top.insert(key, v);
                    }
                    // The file is not JSON there: nothing after it can be trusted.
                    Err(e) => {
                        self.fatal =
                            Some(JsonError { message: format!("the value of {:?}: {}", crate::safe::clip(&key, 40), e.message), ..e })
                    }
                }
            }
        }
    }

    fn skip(&mut self, index: usize, id: Option<String>, message: String) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_LISTED {
            self.skipped.push(Diagnostic { index, id: id.map(|i| crate::safe::clip(&i, 80)), message });
        }
    }

    /// One GeoJSON Feature as a feature of this layer, or its id (if any) and what is wrong.
    fn feature(&mut self, v: &Value, index: usize) -> Result<Feature, (Option<String>, String)> {
        let Some(o) = v.as_object() else { return Err((None, format!("a feature must be an object, found {}", kind(v)))) };
        let props = o.get("properties").and_then(Value::as_object);
        let id = plain(o.get("id")).or_else(|| props.and_then(|p| plain(p.get("id"))));
        let fail = |m: String| (id.clone(), m);
        match o.get("type").and_then(Value::as_str) {
            Some("Feature") => {}
            Some(t) => return Err(fail(format!("\"type\" is {:?}, expected \"Feature\"", crate::safe::clip(t, 40)))),
            None => return Err(fail("no \"type\": \"Feature\"".into())),
        }
        if let Some(name) = crate::layer::foreign_crs(v) {
            return Err(fail(format!("its \"crs\" is {name:?}; positions must be WGS84 longitude/latitude (RFC 7946)")));
        }
        let geometry = match o.get("geometry") {
            None | Some(Value::Null) => Geometry::Unlocated,
            Some(g) => self.geometry(g).map_err(fail)?,
        };
        Ok(self.make(index, id, props, geometry))
    }

    fn geometry(&mut self, g: &Value) -> Result<Geometry, String> {
        let parsed = <geojson::Geometry as serde::Deserialize>::deserialize(g)
            .map_err(|e| format!("not a GeoJSON geometry: {}", crate::safe::clip(&e.to_string(), 200)))?;
        let mut swapped = 0usize;
        // Latitude first is the most common mistake: a position that is no longitude/latitude
        // but is one the other way round is read that way, and counted.
        let mut read = |s: &[f64]| match strict_position(s) {
            Ok(p) => Ok(p),
            Err(e) => {
                if s.len() >= 2 && LonLat::new(s[1], s[0]).is_valid() {
                    swapped += 1;
                    Ok(LonLat::new(s[1], s[0]))
                } else {
                    Err(e)
                }
            }
        };
        let geometry = convert_geometry(&parsed.value, &mut read)?;
        if geometry.positions().next().is_none() {
            return Err("the geometry has no positions".into());
        }
        if swapped > 0 {
            self.swapped += 1;
        }
        Ok(geometry)
    }

    fn make(&self, index: usize, id: Option<String>, props: Option<&Map<String, Value>>, geometry: Geometry) -> Feature {
        let name = props
            .and_then(|p| NAME_KEYS.iter().find_map(|k| plain(p.get(*k)).filter(|n| !n.trim().is_empty())))
            .map(|n| crate::safe::clip(n.trim(), 120))
            .unwrap_or_else(|| format!("features[{index}]"));
        let mut user = Vec::new();
        if let Some(id) = &id {
            user.push(("id".to_string(), crate::safe::clip(id, MAX_VALUE)));
        }
        for (k, v) in props.into_iter().flatten() {
            if user.len() >= MAX_PROPERTIES {
                user.push(("…".into(), format!("{} more", props.map_or(0, |p| p.len()) + 1 - MAX_PROPERTIES)));
                break;
            }
            let text = match v {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            user.push((crate::safe::clip(k, MAX_KEY), crate::safe::clip(&text, MAX_VALUE)));
        }
        Feature { id: format!("{}/{index}", self.layer_id), props: user_props(&self.layer_id, name, user), geometry }
    }

    /// The end of the file: what it yielded.
    pub fn finish(mut self) -> Imported {
        let mut out = Imported { skipped_count: self.skipped_count, ..Default::default() };
        if self.fatal.is_none() {
            self.fatal = match self.at {
                At::End => None,
                At::Start => Some(JsonError { message: "the file is empty".into(), line: self.line, column: self.column }),
                _ => Some(JsonError {
                    message: "the file ends before the JSON does (cut short?)".into(),
                    line: self.line,
                    column: self.column,
                }),
            };
        }
        let top = std::mem::take(&mut self.top);
        match top.get("type").and_then(Value::as_str) {
            _ if self.streamed => {}
            Some("FeatureCollection") => {
                if top.contains_key("features") {
                    out.warnings.push("\"features\" is not an array: no features read".into());
                }
            }
            Some("Feature") => {
                let v = Value::Object(top.clone());
                match self.feature(&v, 0) {
                    Ok(f) => self.features.push(f),
                    Err((id, m)) => self.skip(0, id, m),
                }
            }
            Some(t)
                if ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]
                    .contains(&t) =>
            {
                match self.geometry(&Value::Object(top.clone())) {
                    Ok(g) => {
                        let f = self.make(0, None, None, g);
                        self.features.push(f);
                    }
                    Err(m) => self.skip(0, None, m),
                }
            }
            _ if self.fatal.is_some() => {}
            Some(t) => out
                .warnings
                .push(format!("\"type\" is {:?}: not GeoJSON (a FeatureCollection, a Feature or a geometry)", crate::safe::clip(t, 40))),
            None => out.warnings.push("no \"type\" member: not GeoJSON (a FeatureCollection, a Feature or a geometry)".into()),
        }
        if let Some(crs) = top.get("crs").filter(|c| !c.is_null()) {
            let name = crs.pointer("/properties/name").and_then(Value::as_str).unwrap_or("(unnamed)");
            let folded = name.to_ascii_lowercase().replace(['-', '_', ' '], "");
            if folded.contains("gcj02") || folded.contains("gcj") {
                out.declares_gcj02 = true;
            } else if !["crs84", "4326"].iter().any(|w| folded.ends_with(w)) {
                out.warnings.push(format!(
                    "the file names its coordinate system {:?}; GeoJSON is WGS84 longitude/latitude, so positions in other units were skipped",
                    crate::safe::clip(name, 80)
                ));
            }
        }
        if self.swapped > 0 {
            out.warnings.push(format!(
                "{} feature(s) had latitude before longitude; they were read the other way round (GeoJSON puts longitude first)",
                self.swapped
            ));
        }
        out.skipped_count = self.skipped_count;
        out.features = self.features;
        out.skipped = self.skipped;
        out.broken = self.fatal;
        out
    }
}

/// The properties of a user feature: its name in both languages, the file's properties, and
/// neutral plan fields (no status or precision is claimed; the card does not show them).
pub fn user_props(layer_id: &str, name: String, user: Vec<(String, String)>) -> FeatureProps {
    FeatureProps {
        layer: layer_id.to_string(),
        name_zh: name.clone(),
        name_en: name,
        status: Status::Existing,
        period: None,
        period_zh: None,
        precision: Precision::Approximate,
        precision_note: String::new(),
        precision_note_zh: String::new(),
        numbers: Vec::new(),
        excerpts: Vec::new(),
        source: None,
        source_zh: None,
        description_en: None,
        description_zh: None,
        parts: Vec::new(),
        site: None,
        district: None,
        whole_district: false,
        marine: false,
        status_2025: None,
        status_2025_source: None,
        status_2025_source_zh: None,
        user,
    }
}

/// A string or number member as text.
fn plain(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A byte as a message shows it.
fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02X}")
    }
}

/// Whether a layer's points look like GCJ-02 rather than WGS84, judged against known WGS84
/// places (`reference`, e.g. the metro stations): `Some((matched, near))` when at least five of
/// the layer's points lie within 60 m of a reference place once converted from GCJ-02 while
/// more than 200 m from it as they are, and such points are at least 60% of those `near` a
/// reference place (within 1 km).
pub fn looks_gcj02(points: &[LonLat], reference: &[LonLat]) -> Option<(usize, usize)> {
    use crate::projection::haversine_m;
    if reference.is_empty() {
        return None;
    }
    let nearest = |p: LonLat| reference.iter().map(|r| haversine_m(p, *r)).fold(f64::INFINITY, f64::min);
    let (mut matched, mut near) = (0, 0);
    for p in points.iter().take(2000) {
        let raw = nearest(*p);
        if raw > 1000.0 {
            continue;
        }
        near += 1;
        if raw > 200.0 && nearest(crate::datum::gcj02_to_wgs84(*p)) < 60.0 {
            matched += 1;
        }
    }
    (matched >= 5 && matched * 10 >= near * 6).then_some((matched, near))
}

/// The GCJ-02 offset at `p` (WGS84) in metres east and north.
pub fn gcj02_shift_m(p: LonLat) -> (f64, f64) {
    use crate::projection::haversine_m;
    let g = crate::datum::wgs84_to_gcj02(p);
    let east = haversine_m(p, LonLat::new(g.lon, p.lat)) * (g.lon - p.lon).signum();
    let north = haversine_m(p, LonLat::new(p.lon, g.lat)) * (g.lat - p.lat).signum();
    (east, north)
}

/// Read a whole text at once (tests, small files).
pub fn import_text(layer_id: &str, text: &str) -> Imported {
    let mut i = Importer::new(layer_id);
    i.push(text.as_bytes());
    i.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, name: &str, lon: f64, lat: f64) -> String {
        format!(
            r#"{{"type":"Feature","id":"{id}","properties":{{"name":"{name}","kind":"school"}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
        )
    }

    /// The same text fed in chunks of every size from 1 byte up gives the same result.
    fn in_chunks(text: &str, size: usize) -> Imported {
        let mut i = Importer::new("mine-1");
        for c in text.as_bytes().chunks(size) {
            i.push(c);
        }
        i.finish()
    }

    #[test]
    fn reads_a_collection_with_names_and_properties_in_any_chunking() {
        let text = format!(
            "\u{feff}{{ \"type\" : \"FeatureCollection\", \"name\": \"学校\",\n \"features\": [\n {},\n {} ,{}\n ] }}\n",
            point("a", "第一中学", 117.2, 39.1),
            point("b", "He \\\"quoted\\\" [x]", 117.3, 39.2),
            r#"{"type":"Feature","properties":{"title":"A line","n":3,"tags":["x","y"]},"geometry":{"type":"LineString","coordinates":[[117,39],[117.1,39.1]]}}"#
        );
        for size in [1, 2, 3, 7, 64, 100_000] {
            let r = in_chunks(&text, size);
            assert!(r.broken.is_none(), "{size}: {:?}", r.broken);
            assert_eq!(r.features.len(), 3, "{size}: {:?}", r.skipped);
            assert_eq!(r.features[0].props.name_zh, "第一中学");
            assert_eq!(r.features[0].id, "mine-1/0");
            assert_eq!(r.features[1].props.name_en, "He \"quoted\" [x]");
            assert_eq!(r.features[2].props.name_en, "A line");
            // Properties in key order (the JSON model keeps no file order).
            assert_eq!(
                r.features[2].props.user,
                vec![("n".into(), "3".into()), ("tags".into(), "[\"x\",\"y\"]".into()), ("title".into(), "A line".into())]
            );
            assert_eq!(r.features[0].props.user[0], ("id".into(), "a".into()));
        }
    }

    #[test]
    fn three_bad_features_among_good_ones_are_named_with_their_reasons() {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{},{}]}}"#,
            point("ok-1", "one", 117.2, 39.1),
            r#"{"type":"Feature","id":"open-ring","properties":{},"geometry":{"type":"Polygon","coordinates":[[[117,39],[117.1,39],[117.1,39.1],[117,39.1]]]}}"#,
            r#"{"type":"Feature","id":"far","properties":{},"geometry":{"type":"Point","coordinates":[500123,4334567]}}"#,
            point("ok-2", "two", 117.25, 39.15),
            r#"{"type":"Feature","properties":{"id":7},"geometry":{"type":"Point","coordinates":[117.2,NaN]}}"#
        );
        let r = import_text("mine-1", &text);
        assert!(r.broken.is_none());
        assert_eq!(r.features.iter().map(|f| f.props.name_en.as_str()).collect::<Vec<_>>(), ["one", "two"]);
        let said: Vec<String> = r.skipped.iter().map(|d| d.to_string()).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].contains("#1 (open-ring)") && said[0].contains("not closed"), "{said:?}");
        assert!(said[1].contains("#2 (far)") && said[1].contains("projected"), "{said:?}");
        // A syntax error inside one feature skips that feature, with its line and column.
        assert!(said[2].contains("#4") && said[2].contains("line 1, column"), "{said:?}");
    }

    #[test]
    fn a_broken_file_names_line_and_column_and_keeps_what_came_before() {
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{},\n{}\n",
            point("a", "a", 117.2, 39.1),
            point("b", "b", 117.2, 39.1)
        );
        let r = import_text("mine-1", &text);
        let e = r.broken.expect("cut short");
        assert!(e.message.contains("ends before"), "{e}");
        assert_eq!(r.features.len(), 2);
        let r = import_text("mine-1", "{\"type\":\"FeatureCollection\",\n\"features\":[}]}");
        let e = r.broken.expect("bad bracket");
        assert_eq!((e.line, e.column), (2, 13), "{e}");
        for (text, says) in [
            ("", "empty"),
            ("<!doctype html>", "expected a GeoJSON object"),
            ("[1,2]", "expected a GeoJSON object"),
            ("{\"type\":\"FeatureCollection\",\"features\":[]} x", "after the end"),
            ("{\"features\":[1,,2]}", "expected a feature"),
        ] {
            let r = import_text("m", text);
            assert!(r.broken.as_ref().is_some_and(|e| e.to_string().contains(says)), "{text}: {:?}", r.broken);
        }
        let deep = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", "[".repeat(100_000));
        assert!(import_text("m", &deep).broken.unwrap().message.contains("nested deeper"));
    }

    #[test]
    fn a_single_feature_or_geometry_is_a_layer_of_one() {
        let r = import_text("m", &point("x", "only", 117.2, 39.1));
        assert_eq!(r.features.len(), 1);
        let r = import_text("m", r#"{"coordinates":[[117,39],[117.2,39.1]],"type":"LineString"}"#);
        assert_eq!(r.features.len(), 1);
        assert_eq!(r.features[0].props.name_en, "features[0]");
        let r = import_text("m", r#"{"type":"Topology","objects":{}}"#);
        assert!(r.features.is_empty() && r.warnings[0].contains("Topology"), "{:?}", r.warnings);
        let r = import_text("m", r#"{"type":"FeatureCollection","features":[]}"#);
        assert!(r.features.is_empty() && r.broken.is_none() && r.skipped.is_empty());
    }

    #[test]
    fn latitude_first_is_read_round_and_reported() {
        let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, point("s", "s", 39.1, 117.2));
        let r = import_text("m", &text);
        assert_eq!(r.features.len(), 1);
        assert_eq!(r.features[0].geometry, Geometry::Points(vec![LonLat::new(117.2, 39.1)]));
        assert!(r.warnings[0].contains("latitude before longitude"), "{:?}", r.warnings);
    }

    #[test]
    fn a_declared_coordinate_system_is_read() {
        let fc =
            |crs: &str| format!(r#"{{"type":"FeatureCollection","features":[],"crs":{{"type":"name","properties":{{"name":"{crs}"}}}}}}"#);
        assert!(import_text("m", &fc("GCJ-02")).declares_gcj02);
        assert!(import_text("m", &fc("urn:ogc:def:crs:OGC:1.3:CRS84")).warnings.is_empty());
        assert!(import_text("m", &fc("EPSG:3857")).warnings[0].contains("EPSG:3857"));
    }

    #[test]
    fn hostile_strings_stay_plain_text_and_bounded() {
        let long = "x".repeat(10_000);
        let text = format!(
            r#"{{"type":"Feature","properties":{{"name":"<img src=x onerror=alert(1)>","{long}":"{long}"}},"geometry":{{"type":"Point","coordinates":[117.2,39.1]}}}}"#
        );
        let r = import_text("m", &text);
        let f = &r.features[0];
        assert_eq!(f.props.name_en, "<img src=x onerror=alert(1)>");
        assert!(f.props.user.iter().all(|(k, v)| k.chars().count() <= MAX_KEY + 1 && v.chars().count() <= MAX_VALUE + 1));
    }

    #[test]
    fn a_value_that_is_not_utf8_skips_its_feature() {
        let mut i = Importer::new("m");
        i.push(
            b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"\xff\"},\"geometry\":null},",
        );
        i.push(br#"{"type":"Feature","properties":{"name":"ok"},"geometry":null}]}"#);
        let r = i.finish();
        assert!(r.broken.is_none(), "{:?}", r.broken);
        assert_eq!(r.features.len(), 1);
        assert!(r.skipped[0].message.contains("UTF-8"), "{:?}", r.skipped);
    }

    #[test]
    fn gcj02_points_are_recognised_against_known_places() {
        let reference: Vec<LonLat> = (0..20).map(|i| LonLat::new(117.1 + f64::from(i) * 0.01, 39.05 + f64::from(i % 5) * 0.01)).collect();
        let shifted: Vec<LonLat> = reference.iter().map(|p| crate::datum::wgs84_to_gcj02(*p)).collect();
        assert_eq!(looks_gcj02(&shifted, &reference), Some((20, 20)));
        assert_eq!(looks_gcj02(&reference, &reference), None);
        assert_eq!(looks_gcj02(&shifted[..3], &reference), None, "too few to tell");
        let (east, north) = gcj02_shift_m(LonLat::new(117.2, 39.13));
        assert!((450.0..600.0).contains(&east) && (100.0..230.0).contains(&north), "{east} {north}");
    }
}
