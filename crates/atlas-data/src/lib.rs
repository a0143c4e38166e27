//! Validation of Plan Atlas layers, for data authors (the `atlas-validate` binary) and the tests.
//!
//! Checks: the manifest; every layer file parses as RFC 7946 GeoJSON with closed rings,
//! right-hand winding and positions inside Tianjin; unique ids; plan-layer features cite at
//! least one excerpt; every excerpt occurs verbatim in its seed file and in the text shipped to
//! the browser (with the nearest near miss when it does not); every text a user reads has its
//! counterpart in the other language (`description_zh`, `precision_note_zh`, `period_zh`, ...)
//! and every unit can be written in both; datum checks that catch a layer left in GCJ-02. It
//! also reports computed areas next to the areas the plans state.

pub mod audit;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use atlas_core::excerpt::{locate, near_miss};
use atlas_core::geometry::{distance_to_line_m, is_ccw, polygon_area_m2, polygon_contains};
use atlas_core::layer::{parse_layer, Feature, Geometry, LoadedLayer};
use atlas_core::manifest::{LayerKind, Manifest};
use atlas_core::plan_text::Cleaning;
use atlas_core::projection::LonLat;

/// Tianjin's bounding box with a margin (WGS84): 116.6–118.2 E, 38.5–40.3 N.
pub const TIANJIN_BBOX: (f64, f64, f64, f64) = (116.6, 38.5, 118.2, 40.3);

/// The longest `description_en` (one sentence) the validator accepts, in characters.
pub const DESCRIPTION_MAX: usize = 300;
/// The longest `description_zh`, in characters (Chinese says it in fewer).
pub const DESCRIPTION_ZH_MAX: usize = 200;

/// Landmarks for the datum checks (WGS84, DATA.md).
pub const TIANJIN_EYE: LonLat = LonLat::new(117.1796, 39.1530);
pub const TIANJIN_STATION: LonLat = LonLat::new(117.2110, 39.1360);
/// The Hai River boundary must pass this close to the Tianjin Eye; GCJ-02 data misses by ~500 m.
pub const EYE_TOLERANCE_M: f64 = 150.0;

/// What a validation run found.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    pub features: usize,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, s: String) {
        self.errors.push(s);
    }
}

/// The plan texts: raw seeds and the cleaned text the browser receives.
pub struct Texts {
    pub raw: HashMap<String, String>,
    pub shipped: HashMap<String, String>,
}

impl Texts {
    /// Read `seeds/*.txt` and apply `data/text-cleaning.json` under `root`.
    pub fn load(root: &Path) -> Result<Texts, String> {
        let cleaning_path = root.join("data/text-cleaning.json");
        let cleaning = std::fs::read_to_string(&cleaning_path)
            .map_err(|e| format!("{}: {e}", cleaning_path.display()))
            .and_then(|t| Cleaning::parse(&t).map_err(|e| format!("{}: {e}", cleaning_path.display())))?;
        let mut raw = HashMap::new();
        let mut shipped = HashMap::new();
        let dir = root.join("seeds");
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if !name.ends_with(".txt") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("{name}: {e}"))?;
            shipped.insert(name.clone(), cleaning.clean(&name, &text).0);
            raw.insert(name, text);
        }
        Ok(Texts { raw, shipped })
    }
}

/// Validate one layer's text. `expected_layer` is the manifest id the features must name.
pub fn validate_layer(
    file_label: &str,
    expected_layer: &str,
    kind: LayerKind,
    text: &str,
    texts: &Texts,
    report: &mut Report,
) -> Option<LoadedLayer> {
    let layer = match parse_layer(text) {
        Ok(l) => l,
        Err(e) => {
            report.error(format!("{file_label}: {e}"));
            return None;
        }
    };
    for d in &layer.diagnostics {
        report.error(format!("{file_label}: {d}"));
    }
    for f in &layer.features {
        report.features += 1;
        check_feature(file_label, expected_layer, kind, f, texts, report);
    }
    Some(layer)
}

fn check_feature(file: &str, expected_layer: &str, kind: LayerKind, f: &Feature, texts: &Texts, report: &mut Report) {
    let at = format!("{file}: feature {}", f.id);
    if f.props.layer != expected_layer {
        report.error(format!("{at}: layer is {:?} but the file is listed as {expected_layer:?}", f.props.layer));
    }
    for (what, v) in [("name_zh", &f.props.name_zh), ("name_en", &f.props.name_en), ("precision_note", &f.props.precision_note)] {
        if v.trim().is_empty() {
            report.error(format!("{at}: {what} is empty"));
        }
    }
    match f.props.description_en.as_deref().map(str::trim) {
        None | Some("") => report.error(format!(
            "{at}: description_en is missing: one plain English sentence saying what it is and what the plan says (English search reaches the feature through it)"
        )),
        Some(d) if d.chars().count() > DESCRIPTION_MAX => {
            report.error(format!("{at}: description_en has {} characters; keep it to one sentence of at most {DESCRIPTION_MAX}", d.chars().count()))
        }
        Some(_) => {}
    }
    if let Some(d) = f.props.description_zh.as_deref().filter(|d| d.chars().count() > DESCRIPTION_ZH_MAX) {
        report.error(format!(
            "{at}: description_zh has {} characters; keep it to one sentence of at most {DESCRIPTION_ZH_MAX}",
            d.chars().count()
        ));
    }
    check_counterparts(&at, f, report);
    let (w, s, e, n) = TIANJIN_BBOX;
    if let Some(p) = f.geometry.positions().find(|p| !(w..=e).contains(&p.lon) || !(s..=n).contains(&p.lat)) {
        report.error(format!(
            "{at}: position [{}, {}] lies outside Tianjin ({w}–{e} E, {s}–{n} N); are longitude and latitude swapped?",
            p.lon, p.lat
        ));
    }
    if let Geometry::Polygons(polys) = &f.geometry {
        for (pi, rings) in polys.iter().enumerate() {
            for (ri, ring) in rings.iter().enumerate() {
                let want_ccw = ri == 0;
                if is_ccw(ring) != want_ccw {
                    report.error(format!(
                        "{at}: polygon {pi} ring {ri} winds {}; RFC 7946 wants exterior rings counter-clockwise and holes clockwise",
                        if want_ccw { "clockwise" } else { "counter-clockwise" }
                    ));
                }
            }
        }
    }
    if kind == LayerKind::Plan && f.props.excerpts.is_empty() {
        report.error(format!("{at}: a plan feature needs at least one excerpt quoting the plan"));
    }
    for ex in &f.props.excerpts {
        let Some(raw) = texts.raw.get(&ex.doc) else {
            report.error(format!("{at}: excerpt cites {:?}, which is not a seed file", ex.doc));
            continue;
        };
        if ex.quote.chars().count() < 2 {
            report.error(format!("{at}: excerpt quote {:?} is too short to anchor", ex.quote));
        } else if locate(raw, &ex.quote).is_none() {
            let hint = near_miss(raw, &ex.quote).map_or_else(|| "no part of it occurs".to_string(), |m| m.to_string());
            report.error(format!("{at}: quote not found verbatim in {}: «{}»; {hint}", ex.doc, ex.quote));
        } else if texts.shipped.get(&ex.doc).is_none_or(|t| locate(t, &ex.quote).is_none()) {
            report.error(format!("{at}: quote «{}» lies in text removed before shipping (data/text-cleaning.json)", ex.quote));
        }
    }
}

/// True when `s` holds a Han character (a Chinese counterpart written in English is caught).
fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// Every text a user reads in one language has its counterpart in the other (issue 15: the
/// Chinese interface showed English periods, notes and sources), and every number's unit can
/// be written in both (`atlas_core::quantity`).
fn check_counterparts(at: &str, f: &Feature, report: &mut Report) {
    let p = &f.props;
    let pairs: [(&str, Option<&str>, &str, Option<&str>); 5] = [
        ("description_en", p.description_en.as_deref(), "description_zh", p.description_zh.as_deref()),
        ("precision_note", Some(p.precision_note.as_str()), "precision_note_zh", Some(p.precision_note_zh.as_str())),
        ("period", p.period.as_deref(), "period_zh", p.period_zh.as_deref()),
        ("source", p.source.as_deref(), "source_zh", p.source_zh.as_deref()),
        ("status_2025_source", p.status_2025_source.as_deref(), "status_2025_source_zh", p.status_2025_source_zh.as_deref()),
    ];
    for (en_key, en, zh_key, zh) in pairs {
        let (en, zh) = (en.map(str::trim).filter(|s| !s.is_empty()), zh.map(str::trim).filter(|s| !s.is_empty()));
        match (en, zh) {
            (Some(e), None) => report.error(format!("{at}: {en_key} {e:?} has no Chinese counterpart: add {zh_key}")),
            (None, Some(z)) => report.error(format!("{at}: {zh_key} {z:?} has no English counterpart: add {en_key}")),
            (Some(_), Some(z)) if !has_han(z) => report.error(format!("{at}: {zh_key} {z:?} is not Chinese")),
            _ => {}
        }
    }
    for (i, n) in p.numbers.iter().enumerate() {
        if n.label_zh.trim().is_empty() || n.label_en.trim().is_empty() {
            report.error(format!("{at}: number {i} needs both label_zh and label_en"));
        }
        if !atlas_core::quantity::is_known_unit(&n.unit) {
            report.error(format!(
                "{at}: number {i} has the unit {:?}, which atlas_core::quantity cannot write in both languages; add it to its table of units",
                n.unit
            ));
        }
    }
}

/// The manifest's texts in both languages: layers' titles, groups and descriptions, and the
/// documents' issuer, date and note.
pub fn check_manifest_languages(m: &Manifest, report: &mut Report) {
    for l in &m.layers {
        for (zh_key, zh, en_key, en) in [
            ("title_zh", &l.title_zh, "title_en", &l.title_en),
            ("group_zh", &l.group_zh, "group_en", &l.group_en),
            ("description_zh", &l.description_zh, "description_en", &l.description_en),
        ] {
            if zh.trim().is_empty() || en.trim().is_empty() {
                report.error(format!("manifest: layer {} needs both {zh_key} and {en_key}", l.id));
            }
        }
        if let Some(c) = &l.choropleth {
            if c.note_zh.trim().is_empty() != c.note_en.trim().is_empty() {
                report.error(format!("manifest: layer {}: the choropleth needs both note_zh and note_en, or neither", l.id));
            }
        }
    }
    for d in &m.documents {
        if d.issuer_en.trim().is_empty() {
            report.error(format!("manifest: document {} has no issuer_en (the English counterpart of issuer_zh)", d.file));
        }
        if !d.date.trim().is_empty() && d.date_zh.trim().is_empty() {
            report.error(format!("manifest: document {} has no date_zh (the Chinese counterpart of date {:?})", d.file, d.date));
        }
        if d.note_zh.trim().is_empty() != d.note_en.trim().is_empty() {
            report.error(format!("manifest: document {} needs both note_zh and note_en, or neither", d.file));
        }
        if d.short_zh.trim().is_empty() != d.short_en.trim().is_empty() || d.scope_zh.trim().is_empty() != d.scope_en.trim().is_empty() {
            report.error(format!("manifest: document {} needs its short name and scope in both languages", d.file));
        }
    }
}

/// Datum checks on a districts layer: catches a layer left in GCJ-02 (≈520 m east, ≈150 m north).
pub fn check_datum(file_label: &str, layer: &LoadedLayer, report: &mut Report) {
    let find = |name: &str| layer.features.iter().find(|f| f.props.name_zh == name);
    let (Some(hedong), Some(hebei)) = (find("河东区"), find("河北区")) else {
        report.error(format!("{file_label}: datum check needs the districts 河东区 and 河北区"));
        return;
    };
    let polys = |f: &Feature| match &f.geometry {
        Geometry::Polygons(p) => p.clone(),
        _ => Vec::new(),
    };
    if !polys(hedong).iter().any(|p| polygon_contains(p, TIANJIN_STATION)) {
        report.error(format!(
            "{file_label}: Tianjin railway station ({}, {}) is not inside 河东区: is the layer still in GCJ-02?",
            TIANJIN_STATION.lon, TIANJIN_STATION.lat
        ));
    }
    // The Hai River leaves the Sancha confluence between 河北区 and 红桥区, by the Tianjin Eye.
    let d = polys(hebei).iter().flatten().map(|ring| distance_to_line_m(ring, TIANJIN_EYE)).fold(f64::INFINITY, f64::min);
    if d > EYE_TOLERANCE_M {
        report.error(format!(
            "{file_label}: the Hai River edge of 河北区 passes {d:.0} m from the Tianjin Eye (at most {EYE_TOLERANCE_M} m expected): is the layer still in GCJ-02?"
        ));
    } else {
        report
            .notes
            .push(format!("datum: 河北区's Hai River edge passes {d:.0} m from the Tianjin Eye; the railway station lies in 河东区"));
    }
}

/// Computed areas and lengths next to the areas (km²) and lengths (km) the plan states, for
/// the report. `[shape]` marks numbers that are the drawn shape's own size; the others are
/// figures about the feature that the shape only locates (printed for comparison only).
pub fn area_report(layer: &LoadedLayer) -> Vec<String> {
    let mut out = Vec::new();
    for f in &layer.features {
        let (drawn, unit) = match &f.geometry {
            Geometry::Polygons(polys) => (polys.iter().map(|p| polygon_area_m2(p)).sum::<f64>() / 1e6, "km²"),
            Geometry::Lines(lines) => (lines.iter().map(|l| atlas_core::geometry::line_length_m(l)).sum::<f64>() / 1e3, "km"),
            Geometry::Points(_) | Geometry::Unlocated => continue,
        };
        for n in f.props.numbers.iter().filter(|n| n.unit == unit && n.value > 0.0) {
            let mut s = String::new();
            let _ = write!(
                s,
                "{}: drawn {drawn:.1} {unit} vs stated {} {} ({}, {:+.0}%) [{}{}]",
                f.id,
                n.value,
                n.unit,
                n.label_en,
                (drawn / n.value - 1.0) * 100.0,
                f.props.precision.as_str(),
                if n.compare_with_shape { ", shape" } else { "" }
            );
            out.push(s);
        }
    }
    out
}

/// Metro stations renamed since the plans: the plans' name (without 站) and the reference's.
/// Kept in step with ALIASES in tools/prep_metro.py.
pub const METRO_ALIASES: [(&str, &str); 4] =
    [("果酒厂", "佳园里"), ("黑牛城道", "医大二院"), ("建国道", "建国道意风区"), ("八里台", "南开大学八里台")];

/// The metro reference's stations (`data/reference/metro/`): reference name → position.
pub fn metro_reference(root: &Path) -> Result<HashMap<String, LonLat>, String> {
    let path = root.join("data/reference/metro/tianjin_metro_stations_delft2025.geojson");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = HashMap::new();
    for f in v["features"].as_array().into_iter().flatten() {
        let (Some(name), Some(c)) = (f["properties"]["name"].as_str(), f["geometry"]["coordinates"].as_array()) else { continue };
        if let (Some(lon), Some(lat)) = (c.first().and_then(|x| x.as_f64()), c.get(1).and_then(|x| x.as_f64())) {
            out.insert(audit::station_key(name, &[]), LonLat::new(lon, lat));
        }
    }
    Ok(out)
}

/// Validate the whole site under `root`: manifest, every layer, unique ids, datum, areas.
pub fn validate_site(root: &Path) -> Report {
    let mut report = Report::default();
    let texts = match Texts::load(root) {
        Ok(t) => t,
        Err(e) => {
            report.error(e);
            return report;
        }
    };
    let manifest_path = root.join("public/data/manifest.json");
    let manifest = match std::fs::read_to_string(&manifest_path)
        .map_err(|e| e.to_string())
        .and_then(|t| Manifest::parse(&t).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => {
            report.error(format!("{}: {e}", manifest_path.display()));
            return report;
        }
    };
    check_manifest_languages(&manifest, &mut report);
    for d in &manifest.documents {
        if !texts.raw.contains_key(&d.file) {
            report.error(format!("manifest lists document {:?}, which is not in seeds/", d.file));
        }
    }
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut listed: HashSet<PathBuf> = HashSet::new();
    let mut loaded: Vec<(&atlas_core::manifest::LayerInfo, LoadedLayer)> = Vec::new();
    for info in &manifest.layers {
        let path = root.join("public").join(&info.file);
        listed.insert(path.clone());
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                report.error(format!("layer {}: cannot read {}: {e}", info.id, path.display()));
                continue;
            }
        };
        let Some(layer) = validate_layer(&info.file, &info.id, info.kind, &text, &texts, &mut report) else { continue };
        for f in &layer.features {
            if let Some(other) = ids.insert(f.id.clone(), info.id.clone()) {
                report.error(format!("feature id {:?} is used in layer {other} and in layer {}", f.id, info.id));
            }
        }
        if info.id == "districts" {
            check_datum(&info.file, &layer, &mut report);
        }
        report.notes.extend(area_report(&layer));
        loaded.push((info, layer));
    }
    run_audit(root, &loaded, &mut report);
    // A layer file nobody lists is a layer users never see.
    if let Ok(entries) = std::fs::read_dir(root.join("public/data/layers")) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "geojson") && !listed.contains(&e.path()) {
                report.error(format!("{} is not listed in the manifest", e.path().display()));
            }
        }
    }
    report
}

/// The land reference (`data/reference/land.geojson`): its polygons and the box they were
/// clipped to (the collection's `bbox`).
pub fn land_layer(text: &str) -> Result<audit::Land, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let b: Vec<f64> = v["bbox"].as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default();
    let [w, s, e, n] = b[..] else { return Err("the land reference needs a bbox [w, s, e, n]".into()) };
    let ring = |r: &serde_json::Value| -> Vec<LonLat> {
        r.as_array().into_iter().flatten().filter_map(|p| Some(LonLat::new(p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect()
    };
    let mut polys = Vec::new();
    for f in v["features"].as_array().into_iter().flatten() {
        let g = &f["geometry"];
        let list: Vec<&serde_json::Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"].as_array().map(|a| a.iter().collect()).unwrap_or_default(),
            _ => Vec::new(),
        };
        for p in list {
            polys.push(p.as_array().into_iter().flatten().map(ring).collect::<Vec<_>>());
        }
    }
    if polys.is_empty() {
        return Err("the land reference holds no polygons".into());
    }
    Ok((polys, (w, s, e, n)))
}

/// The geometry audit over the loaded layers: its errors and warnings go to the report.
fn run_audit(root: &Path, loaded: &[(&atlas_core::manifest::LayerInfo, LoadedLayer)], report: &mut Report) {
    let find = |id: &str| loaded.iter().find(|(i, _)| i.id == id).map(|(_, l)| l);
    let (Some(districts), Some(city)) = (find("districts"), find("city-outline")) else {
        report.error("audit: needs the districts and city-outline layers".to_string());
        return;
    };
    let land_path = root.join("data/reference/land.geojson");
    let land = match std::fs::read_to_string(&land_path).map_err(|e| e.to_string()).and_then(|t| land_layer(&t)) {
        Ok(l) => l,
        Err(e) => {
            report.error(format!("audit: {}: {e}", land_path.display()));
            return;
        }
    };
    let mut reference = audit::Reference::from_layers(districts, city, Some((land.0, land.1)), find("coastline"));
    match metro_reference(root) {
        Ok(s) => reference.stations = s,
        Err(e) => report.error(format!("audit: {e}")),
    }
    let layers: Vec<audit::AuditLayer> =
        loaded.iter().map(|(i, l)| audit::AuditLayer { id: &i.id, kind: i.kind, visible: i.visible, layer: l }).collect();
    let findings = audit::audit(&layers, &reference, &METRO_ALIASES);
    report.notes.push(audit::summary(&findings));
    for f in findings {
        match f.severity {
            audit::Severity::Error => report.errors.push(format!("audit {f}")),
            audit::Severity::Warning => report.warnings.push(format!("audit {f}")),
        }
    }
}

/// The traditional→simplified pairs that matter for the plans: every pair of which either side
/// occurs in `corpus`, as JSON (`{"園":"园",...}`, sorted, one pair per line).
pub fn fold_table_json(corpus: &str) -> String {
    let present: HashSet<char> = corpus.chars().collect();
    let mut pairs: BTreeMap<char, char> = BTreeMap::new();
    let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let s = fast2s::convert(&c.to_string());
        let mut it = s.chars();
        if let (Some(t), None) = (it.next(), it.next()) {
            if t != c && (present.contains(&c) || present.contains(&t)) {
                pairs.insert(c, t);
            }
        }
    }
    let body: Vec<String> = pairs.iter().map(|(a, b)| format!("\"{a}\":\"{b}\"")).collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

/// All seed texts concatenated in file order (the corpus the fold table is built for).
pub fn corpus(texts: &Texts) -> String {
    let mut names: Vec<&String> = texts.raw.keys().collect();
    names.sort();
    names.into_iter().map(|n| texts.raw[n].as_str()).collect::<Vec<_>>().join("\n")
}

/// The site's search, built natively from the shipped files under `root`: the folding tables,
/// the glossary, and the index of every plan (in manifest order, with its file name and text)
/// and every feature. The browser builds the same index from the same files.
pub struct SiteSearch {
    pub folder: atlas_core::search::Folder,
    pub glossary: atlas_core::query::Glossary,
    pub index: atlas_core::find::FindIndex,
    pub texts: Vec<(String, String)>,
}

impl SiteSearch {
    pub fn load(root: &Path) -> Result<SiteSearch, String> {
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"));
        let folder = atlas_core::search::Folder::new(&read("public/data/fold-t2s.json")?, &read("public/data/search-variants.json")?)?;
        let glossary = atlas_core::query::Glossary::parse(&folder, &read("public/data/glossary.json")?)?;
        let manifest = Manifest::parse(&read("public/data/manifest.json")?).map_err(|e| e.to_string())?;
        let mut index = atlas_core::find::FindIndex::default();
        let mut texts = Vec::new();
        for d in &manifest.documents {
            let text = read(&format!("seeds/{}", d.file))?;
            index.add_doc(&folder, &format!("{} {}", d.title_zh, d.title_en), &text);
            texts.push((d.file.clone(), text));
        }
        for l in &manifest.layers {
            let layer = parse_layer(&read(&format!("public/{}", l.file))?).map_err(|e| e.to_string())?;
            let title = format!("{} {}", l.title_zh, l.title_en);
            for f in &layer.features {
                let p = &f.props;
                index.add_feature(&folder, &f.id, &p.name_zh, &p.name_en, p.description_en.as_deref().unwrap_or(""), &title);
            }
        }
        Ok(SiteSearch { folder, glossary, index, texts })
    }

    /// The results of a typed query.
    pub fn find(&self, query: &str, only: atlas_core::find::Only, limit: usize) -> atlas_core::find::Results {
        self.index.find(&atlas_core::query::parse(&self.folder, &self.glossary, query), only, limit)
    }

    /// A result as "NNN:LINE text…" for a clause or "#id" for a feature.
    pub fn describe(&self, found: &atlas_core::find::Found) -> String {
        match found {
            atlas_core::find::Found::Feature { id } => format!("#{id}"),
            atlas_core::find::Found::Clause { doc, range, .. } => {
                let (file, text) = &self.texts[*doc];
                let line = atlas_core::excerpt::line_of(text, range.start);
                format!("{}:{line} {}", &file[..3], text[range.clone()].trim())
            }
        }
    }
}
