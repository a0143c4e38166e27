//! What must hold for any input of the four parsers that meet untrusted text: the GeoJSON layer
//! loader, the plan model, the URL state and the embed messages. Each check returns `Err` with
//! a description of the broken rule instead of panicking, so that the property tests
//! (`tests/properties.rs`) and the fuzz targets (`fuzz/`, which include this file) report the
//! same rules.
//!
//! The checks only use the crate's public API, so they stay valid while the modules change
//! inside.

use std::collections::HashSet;

use atlas_core::embed::{self, Command, EmbedConfig, Inbound, Refusal};
use atlas_core::layer::{self, Geometry, LoadError, LoadedLayer};
use atlas_core::plan::{self, BlockKind, PlanDoc};
use atlas_core::url_state::{is_id, LayerSetting, UrlState, TOUR_MAX, TOUR_VIEW_MAX};
use serde_json::Value;

/// Fails with `format!(...)` unless the condition holds.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Longest message a user may be shown for one problem (characters). Messages quote at most a
/// clipped part of the input; a message that grows with the input could cover the screen.
pub const MAX_MESSAGE_CHARS: usize = 400;

// ---------------------------------------------------------------------------------------------
// GeoJSON layers

/// The id a feature is loaded under, read from its raw JSON as the loader reads it.
fn loaded_id(raw: &Value) -> Option<String> {
    match raw.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Loads `text` as a layer and checks what any result must satisfy:
/// - an error has a message that says what went wrong (a JSON error: where);
/// - every loaded feature has a non-blank unique id and only finite WGS84 positions, polygon
///   rings of at least four positions and closed, and a located geometry has positions;
/// - every feature of the collection is either loaded or named in a diagnostic (by its index,
///   and by its id when it has a string id), with a non-empty, bounded message.
pub fn check_layer(text: &str) -> Result<Result<LoadedLayer, LoadError>, String> {
    let result = layer::parse_layer(text);
    match &result {
        Err(e) => {
            let message = e.to_string();
            ensure!(message.trim().len() >= 10, "error message too short to say anything: {message:?}");
            if let LoadError::Json { line, message: inner, .. } = e {
                ensure!(*line >= 1, "JSON error without a line: {message}");
                ensure!(!inner.trim().is_empty(), "JSON error without a reason: {message}");
                ensure!(message.contains("line"), "JSON error does not say where: {message}");
            }
        }
        Ok(loaded) => {
            let root: Value = serde_json::from_str(text).map_err(|e| format!("loader accepted invalid JSON ({e})"))?;
            let raws = root.get("features").and_then(Value::as_array).ok_or("loader accepted a collection without a features array")?;
            check_loaded(loaded, raws)?;
        }
    }
    Ok(result)
}

fn check_loaded(loaded: &LoadedLayer, raws: &[Value]) -> Result<(), String> {
    let n = raws.len();
    ensure!(loaded.features.len() <= n, "{} features loaded from {n}", loaded.features.len());
    let mut ids = HashSet::new();
    for f in &loaded.features {
        ensure!(!f.id.trim().is_empty(), "a feature was loaded with a blank id");
        ensure!(ids.insert(f.id.as_str()), "two loaded features share the id {:?}", f.id);
        for p in f.geometry.positions() {
            ensure!(p.lon.is_finite() && p.lat.is_finite(), "feature {:?}: position {p:?} is not finite", f.id);
            ensure!((-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat), "feature {:?}: {p:?} is not WGS84", f.id);
        }
        if f.geometry.is_located() {
            ensure!(f.geometry.positions().next().is_some(), "feature {:?}: a located geometry has no position", f.id);
        }
        if let Geometry::Polygons(polygons) = &f.geometry {
            for ring in polygons.iter().flatten() {
                ensure!(ring.len() >= 4, "feature {:?}: a ring of {} positions was loaded", f.id, ring.len());
                ensure!(ring.first() == ring.last(), "feature {:?}: an unclosed ring was loaded", f.id);
            }
        }
    }
    let mut reported = HashSet::new();
    for d in &loaded.diagnostics {
        ensure!(d.index < n, "diagnostic for feature #{} of {n}: {d}", d.index);
        ensure!(!d.message.trim().is_empty(), "diagnostic #{} has no message", d.index);
        let raw_id = raws[d.index].get("id").and_then(Value::as_str);
        ensure!(d.id.as_deref() == raw_id, "diagnostic #{} names id {:?}, the feature has {raw_id:?}", d.index, d.id);
        reported.insert(d.index);
    }
    for (i, raw) in raws.iter().enumerate() {
        let loaded_here = loaded_id(raw).is_some_and(|id| ids.contains(id.as_str()));
        ensure!(reported.contains(&i) || loaded_here, "feature #{i} was neither loaded nor reported: {}", clip(&raw.to_string()));
    }
    ensure!(
        loaded.features.len() + reported.len() >= n,
        "{} loaded + {} reported < {n} features: some were dropped silently",
        loaded.features.len(),
        reported.len()
    );
    Ok(())
}

/// Every message about a layer is bounded: an error, and each diagnostic's message and id.
/// Not part of [`check_layer`] while `layer` quotes whole input values in its messages
/// (docs/fuzzing.md, finding 2): the property tests check it in ignored tests.
pub fn check_layer_messages_bounded(result: &Result<LoadedLayer, LoadError>) -> Result<(), String> {
    match result {
        Err(e) => {
            let message = e.to_string();
            ensure!(message.chars().count() <= MAX_MESSAGE_CHARS, "error message grows with the input: {}…", clip(&message));
        }
        Ok(loaded) => {
            for d in &loaded.diagnostics {
                let shown = d.to_string();
                ensure!(shown.chars().count() <= MAX_MESSAGE_CHARS, "diagnostic grows with the input: {}…", clip(&shown));
            }
        }
    }
    Ok(())
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

// ---------------------------------------------------------------------------------------------
// Plan texts

/// What the plan model trims from a line (white space, full-width and en spaces, BOM).
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{2002}' || c == '\u{feff}')
}

/// Builds the plan model of `text` and checks it: every range in bounds and on char
/// boundaries; blocks in order and apart; table cells that tile their line; a toc pointing at
/// its blocks; sections pointing back into the toc; and no line lost but blank and chrome ones.
pub fn check_plan(text: &str, chrome: &[usize]) -> Result<PlanDoc, String> {
    let in_text = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    let lines = plan::lines(text);
    let raw: Vec<&str> = text.split('\n').collect();
    ensure!(lines.len() == raw.len(), "{} lines for {} line breaks + 1", lines.len(), raw.len());
    for (i, (n, r)) in lines.iter().enumerate() {
        ensure!(*n == i + 1 && in_text(r) && text[r.clone()] == *raw[i], "line {n} has range {r:?}");
    }
    let doc = PlanDoc::build(text, chrome);
    let mut previous: Option<(usize, usize)> = None; // (line, end) of the previous block
    for (i, b) in doc.blocks.iter().enumerate() {
        ensure!(in_text(&b.range), "block {i} range {:?} is out of bounds or splits a character (text {} bytes)", b.range, text.len());
        ensure!((1..=raw.len()).contains(&b.line), "block {i} is on line {} of {}", b.line, raw.len());
        ensure!(!chrome.contains(&b.line), "block {i} shows chrome line {}", b.line);
        if let Some((line, end)) = previous {
            ensure!(
                b.line > line && b.range.start > end,
                "block {i} ({}, {:?}) overlaps or precedes the one before (line {line}, end {end})",
                b.line,
                b.range
            );
        }
        match &b.kind {
            BlockKind::Table(rows) => {
                ensure!(!rows.is_empty(), "block {i} is a table without rows");
                let mut row_line = 0;
                for row in rows {
                    ensure!(row.line > row_line && row.line <= raw.len(), "block {i}: table rows out of order");
                    row_line = row.line;
                    ensure!(!chrome.contains(&row.line), "block {i} shows chrome line {} as a row", row.line);
                    let line_range = &lines[row.line - 1].1;
                    let cells: Vec<&str> = row.cells.iter().map(|c| text.get(c.clone()).unwrap_or("\u{0}<out of bounds>")).collect();
                    ensure!(
                        row.cells.iter().all(|c| in_text(c) && c.start >= line_range.start && c.end <= line_range.end),
                        "block {i}: a cell leaves line {}",
                        row.line
                    );
                    ensure!(cells.join("\t") == raw[row.line - 1], "block {i}: the cells of line {} do not tile it", row.line);
                }
                let first = rows.first().and_then(|r| r.cells.first()).map(|c| c.start);
                let last = rows.last().and_then(|r| r.cells.last()).map(|c| c.end);
                ensure!(first == Some(b.range.start) && last == Some(b.range.end), "block {i}: table range {:?} is not its rows'", b.range);
                ensure!(b.line == rows[0].line, "block {i}: table anchored on line {} but starts on {}", b.line, rows[0].line);
                previous = Some((row_line, b.range.end));
            }
            _ => {
                let line_range = &lines[b.line - 1].1;
                ensure!(b.range.start >= line_range.start && b.range.end <= line_range.end, "block {i} leaves its line {}", b.line);
                let shown = &text[b.range.clone()];
                // (Messages give positions, never the text: seeds hold lines that are never shown.)
                ensure!(!shown.is_empty() && shown == trim(raw[b.line - 1]), "block {i} is not its trimmed line {}", b.line);
                previous = Some((b.line, b.range.end));
            }
        }
        if let Some(s) = b.section {
            ensure!(s < doc.toc.len() && doc.toc[s].block <= i, "block {i} is in section {s}, toc has {}", doc.toc.len());
        }
    }
    let mut last_block = None;
    for (k, t) in doc.toc.iter().enumerate() {
        ensure!(t.block < doc.blocks.len(), "toc entry {k} points at block {} of {}", t.block, doc.blocks.len());
        ensure!(last_block.is_none_or(|b| t.block > b), "toc entry {k} is out of order");
        last_block = Some(t.block);
        let b = &doc.blocks[t.block];
        ensure!(
            b.line == t.line && (1..=6).contains(&t.level),
            "toc entry {k} (line {}, level {}) does not match its block",
            t.line,
            t.level
        );
        ensure!(
            t.title.chars().count() <= 48 && text[b.range.clone()].starts_with(&t.title),
            "toc entry {k}: its title is not its block's start"
        );
    }
    // No line lost: every non-blank, non-chrome line is shown, in order, whole.
    let expected: Vec<usize> = (1..=raw.len()).filter(|n| !trim(raw[n - 1]).is_empty() && !chrome.contains(n)).collect();
    let shown = doc.shown_lines(text);
    let shown_numbers: Vec<usize> = shown.iter().map(|(n, _)| *n).collect();
    if shown_numbers != expected {
        let first = shown_numbers.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(shown_numbers.len().min(expected.len()));
        return Err(format!(
            "shown lines differ from the text's at position {first}: {} shown, {} expected",
            shown_numbers.len(),
            expected.len()
        ));
    }
    for (n, s) in &shown {
        ensure!(trim(s) == trim(raw[n - 1]), "line {n} is not shown as it is");
    }
    // Lookups agree with the blocks (the first blocks only: lookups are linear).
    for (i, b) in doc.blocks.iter().enumerate().take(64) {
        ensure!(doc.block_at(b.range.start) == Some(i), "block_at({}) is not block {i}", b.range.start);
        ensure!(doc.block_at_line(b.line) == Some(i), "block_at_line({}) is not block {i}", b.line);
    }
    ensure!(doc.block_at(text.len() + 1).is_none(), "a block past the end of the text");
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// URL state

/// Characters a formatted hash may hold after its `#`: nothing that ends an attribute, starts
/// markup or a second hash.
fn is_hash_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.%/:,=&".contains(c)
}

fn check_layer_settings(name: &str, layers: &[LayerSetting]) -> Result<(), String> {
    let mut ids = HashSet::new();
    for l in layers {
        ensure!(is_id(&l.id) && ids.insert(l.id.as_str()), "{name}: layer id {:?} invalid or repeated", l.id);
        ensure!(l.opacity.is_none_or(|o| o < 100), "{name}: opacity {:?}", l.opacity);
    }
    Ok(())
}

/// Every field of a state within the limits that parsing enforces.
pub fn check_state_limits(s: &UrlState) -> Result<(), String> {
    if let Some(p) = s.map {
        ensure!(
            (0.0..=22.0).contains(&p.zoom) && (-85.0511..=85.0511).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon),
            "map {p:?} out of range"
        );
    }
    check_layer_settings("layers", s.layers.as_deref().unwrap_or_default())?;
    check_layer_settings("rlayers", s.right_layers.as_deref().unwrap_or_default())?;
    for list in [&s.statuses, &s.right_statuses].into_iter().flatten() {
        ensure!(list.iter().collect::<HashSet<_>>().len() == list.len(), "status repeated: {list:?}");
    }
    ensure!(s.feature.as_deref().is_none_or(is_id) && s.doc.as_deref().is_none_or(is_id), "feature or doc is not an id");
    ensure!(s.excerpt.is_none_or(|e| (1..1000).contains(&e)), "excerpt {:?}", s.excerpt);
    ensure!(
        s.line.is_none_or(|l| (1..=1_000_000).contains(&l)) && s.at.is_none_or(|l| (1..=1_000_000).contains(&l)),
        "line/at out of range"
    );
    ensure!(s.lang.as_deref().is_none_or(|l| l == "zh" || l == "en"), "lang {:?}", s.lang);
    ensure!(s.query.as_deref().is_none_or(|q| q.chars().count() <= 200 && !q.trim().is_empty()), "query {:?}", s.query);
    ensure!(s.split.is_none_or(|x| x <= 100) && s.ratio.is_none_or(|r| (20..=200).contains(&r)), "split/ratio out of range");
    ensure!(s.stop.is_none_or(|x| (1..=TOUR_MAX).contains(&x)), "stop {:?}", s.stop);
    ensure!(s.tour.len() <= TOUR_MAX && s.tour.iter().all(|v| v.chars().count() <= TOUR_VIEW_MAX), "tour too long");
    Ok(())
}

/// Parses `hash` and checks: the problems are at most one per field and each message is
/// bounded; the state is within its limits; its hash holds only URL-safe characters, reads
/// back as the same state with no problem, and is a fixed point of parse ∘ format.
pub fn check_url(hash: &str) -> Result<UrlState, String> {
    let (state, problems) = UrlState::parse(hash);
    let fields = hash.strip_prefix('#').unwrap_or(hash).split('&').filter(|p| !p.is_empty()).count();
    ensure!(problems.len() <= fields, "{} problems for {fields} fields", problems.len());
    for p in &problems {
        for message in [p.en(), p.zh()] {
            ensure!(!message.trim().is_empty(), "empty message for {p:?}");
            ensure!(message.chars().count() <= 160, "message grows with the input: {message:?}");
        }
    }
    check_state_limits(&state)?;
    let formatted = state.format();
    ensure!(formatted.is_empty() || formatted.starts_with('#'), "hash without '#': {formatted:?}");
    ensure!(formatted.chars().skip(1).all(is_hash_char), "hash holds unsafe characters: {formatted:?}");
    let (again, problems) = UrlState::parse(&formatted);
    ensure!(problems.is_empty(), "its own hash {formatted:?} has problems: {problems:?}");
    ensure!(again == state, "round trip changed the state: {formatted:?}\n  {state:?}\n  {again:?}");
    ensure!(again.format() == formatted, "format is not stable: {formatted:?} vs {:?}", again.format());
    Ok(state)
}

// ---------------------------------------------------------------------------------------------
// Embed messages

fn check_request_id(id: &Option<Value>) -> Result<(), String> {
    match id {
        None | Some(Value::Number(_)) => Ok(()),
        Some(Value::String(s)) if s.chars().count() <= 64 => Ok(()),
        Some(other) => Err(format!("request id {} passed back", clip(&other.to_string()))),
    }
}

/// An accepted command is within the API's limits.
pub fn check_command(c: &Command) -> Result<(), String> {
    match c {
        Command::Select(f) => ensure!(f.as_deref().is_none_or(is_id), "select of a non-id {f:?}"),
        Command::SetLayers(layers) => {
            ensure!(layers.len() <= 64, "{} layers", layers.len());
            check_layer_settings("setLayers", layers)?;
        }
        Command::SetView(p) => ensure!(
            p.zoom.is_finite()
                && p.lat.is_finite()
                && p.lon.is_finite()
                && (0.0..=22.0).contains(&p.zoom)
                && (-85.0511..=85.0511).contains(&p.lat)
                && (-180.0..=180.0).contains(&p.lon),
            "setView {p:?} out of range"
        ),
        Command::SetLanguage(l) => ensure!(*l == "zh" || *l == "en", "language {l:?}"),
        Command::GetState => {}
    }
    Ok(())
}

/// Validates `text` as an inbound message and checks: an accepted message is a version-1
/// object of at most 16 KiB whose command is within its limits; a refusal says why in a
/// bounded message that serialises into a valid `error` answer; `read` agrees with
/// `parse_inbound` and ignores only what is not ours.
pub fn check_embed(text: &str) -> Result<Result<Inbound, Refusal>, String> {
    let result = embed::parse_inbound(text);
    match &result {
        Ok(Inbound { command, id }) => {
            ensure!(text.len() <= 16_384, "a message of {} bytes was accepted", text.len());
            let v: Value = serde_json::from_str(text).map_err(|e| format!("accepted invalid JSON: {e}"))?;
            ensure!(v.get("planAtlas").and_then(Value::as_u64) == Some(embed::VERSION), "accepted without \"planAtlas\": 1");
            check_command(command)?;
            check_request_id(id)?;
        }
        Err(r) => {
            ensure!(!r.message.trim().is_empty(), "refusal without a reason");
            ensure!(r.message.chars().count() <= MAX_MESSAGE_CHARS, "refusal grows with the input: {} chars", r.message.chars().count());
            check_request_id(&r.id)?;
            let answer: Value = serde_json::from_str(&embed::error(r)).map_err(|e| format!("error answer is not JSON: {e}"))?;
            ensure!(answer["type"] == "error" && answer["message"] == r.message.as_str(), "error answer {answer}");
        }
    }
    let ours = serde_json::from_str::<Value>(text).is_ok_and(|v| embed::is_ours(&v));
    match embed::read(text) {
        Some(r) => ensure!(ours && r == result, "read() disagrees with parse_inbound()"),
        None => ensure!(!ours, "read() ignored a Plan Atlas message"),
    }
    Ok(result)
}

/// Parses an `embed.json` and checks that what it allows cannot widen the CSP: every origin is
/// an http(s) origin with no white space, `;`, `,`, quote or wildcard.
pub fn check_embed_config(text: &str) -> Result<Result<EmbedConfig, String>, String> {
    let result = EmbedConfig::parse(text);
    match &result {
        Ok(c) => {
            for o in &c.allowed_origins {
                ensure!(embed::is_origin(o), "{o:?} allowed but not an origin");
                ensure!(o.starts_with("https://") || o.starts_with("http://"), "{o:?} allowed");
                let host = o.split_once("://").map_or("", |(_, h)| h);
                ensure!(!host.chars().any(|c| c.is_whitespace() || ";,'\"*/\\".contains(c)), "{o:?}: host could widen the CSP");
            }
            let directive = c.frame_ancestors();
            ensure!(!directive.contains(';') && directive.split(' ').count() == 2 + c.allowed_origins.len(), "directive {directive:?}");
        }
        Err(m) => ensure!(m.starts_with("embed.json") && m.len() > "embed.json: ".len(), "config error {m:?}"),
    }
    Ok(result)
}
