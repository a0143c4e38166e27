//! The layer manifest (`public/data/manifest.json`): which layers exist, how they are grouped,
//! styled and attributed, and which plan documents they cite. Data, not code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::layer::{Precision, Status};

/// One plan document shipped with the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub file: String,
    pub title_zh: String,
    pub title_en: String,
    pub issuer_zh: String,
    #[serde(default)]
    pub issuer_en: String,
    /// A short name for filters and tabs ("南开", "Nankai").
    #[serde(default)]
    pub short_zh: String,
    #[serde(default)]
    pub short_en: String,
    pub year: i32,
    /// Publication date as the source gives it, in English (`2021-02-10 (repost)`), and in
    /// Chinese (`date_zh`).
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub date_zh: String,
    #[serde(default)]
    pub scope_zh: String,
    #[serde(default)]
    pub scope_en: String,
    /// What a reader should know about the text as shipped, in both languages (empty: nothing).
    #[serde(default)]
    pub note_en: String,
    #[serde(default)]
    pub note_zh: String,
    /// 1-based seed lines that are page chrome (site navigation, image file names, reposting
    /// notices): listed here, never guessed, and left out of the reader.
    #[serde(default)]
    pub chrome_lines: Vec<usize>,
}

/// Fill and stroke of a layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Style {
    pub fill: String,
    pub stroke: String,
    pub fill_opacity: f64,
    pub stroke_width: f64,
}

/// How a status looks: the layer's colour at a lower opacity the less built it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusStyle {
    /// Multiplies the layer's fill opacity (and a point's fill).
    pub opacity: f64,
    pub stroke_opacity: f64,
}

/// Colour a layer's features by one of their numbers (e.g. table 1-1's control areas).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choropleth {
    /// `label_en` of the number to colour by.
    pub number: String,
    pub unit: String,
    /// Ascending (lower bound, colour) classes.
    pub stops: Vec<(f64, String)>,
    /// What the value is (shown with the legend), e.g. that it measures a part of each area.
    #[serde(default)]
    pub note_zh: String,
    #[serde(default)]
    pub note_en: String,
}

impl Choropleth {
    /// The colour of the class `value` falls in (the first class below the lowest bound).
    pub fn colour(&self, value: f64) -> Option<&str> {
        let first = self.stops.first().map(|s| s.1.as_str());
        self.stops.iter().rev().find(|(lo, _)| value >= *lo).map(|s| s.1.as_str()).or(first)
    }
}

/// How a precision class looks: dashed outline, hatched fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrecisionStyle {
    pub dash: Option<String>,
    pub hatch: bool,
}

/// Context layers are base geography; plan layers must cite the plans for every feature; a
/// user layer is a file the user brought (never in a shipped manifest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerKind {
    Context,
    Plan,
    User,
}

/// One layer's entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerInfo {
    pub id: String,
    pub kind: LayerKind,
    pub group: String,
    pub group_zh: String,
    pub group_en: String,
    pub title_zh: String,
    pub title_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// Path relative to the site root.
    pub file: String,
    pub visible: bool,
    pub order: i32,
    pub style: Style,
    pub interactive: bool,
    pub attribution: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choropleth: Option<Choropleth>,
    /// Whether the map names this layer's features, and how early: labels of higher
    /// priority are placed first (absent: no labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_priority: Option<f64>,
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub documents: Vec<Document>,
    pub status_styles: BTreeMap<String, StatusStyle>,
    pub precision_styles: BTreeMap<String, PrecisionStyle>,
    pub layers: Vec<LayerInfo>,
    /// What `parse` left out, and why (a layer listed twice, a file name or colour that is not
    /// one): shown to the user; the rest of the manifest works.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("manifest is not valid: {message} (line {line}, column {column})")]
    Json { message: String, line: usize, column: usize },
    #[error("manifest has no style for status {0:?}")]
    MissingStatusStyle(&'static str),
    #[error("manifest has no style for precision {0:?}")]
    MissingPrecisionStyle(&'static str),
}

impl Manifest {
    /// Parse and check the manifest; layers come back sorted by `order`.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let mut m: Manifest =
            serde_json::from_str(text).map_err(|e| ManifestError::Json { message: e.to_string(), line: e.line(), column: e.column() })?;
        m.warnings = m.screen();
        for s in Status::ALL {
            if !m.status_styles.contains_key(s.as_str()) {
                return Err(ManifestError::MissingStatusStyle(s.as_str()));
            }
        }
        for p in [Precision::Surveyed, Precision::Approximate, Precision::Schematic] {
            if !m.precision_styles.contains_key(p.as_str()) {
                return Err(ManifestError::MissingPrecisionStyle(p.as_str()));
            }
        }
        m.layers.sort_by_key(|l| l.order);
        Ok(m)
    }

    /// Leave out what cannot be used safely, keeping the rest: a layer listed twice (the first
    /// stays), a layer whose file is not a path under `data/` or whose colours are not colours,
    /// a plan whose file is not a plain name, a choropleth or dash pattern that is not one. One
    /// message each, naming the field.
    fn screen(&mut self) -> Vec<String> {
        use crate::safe;
        let mut warnings = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::with_capacity(self.layers.len());
        for (i, mut l) in std::mem::take(&mut self.layers).into_iter().enumerate() {
            let at = format!("layers[{i}] ({:?})", l.id);
            let problem = if !seen.insert(l.id.clone()) {
                Some(format!("{at}: the id is listed twice; the first entry is used"))
            } else if l.id == "none" {
                Some(format!("{at}: \"none\" cannot be a layer id (a link's layers=none means no layers)"))
            } else if l.kind == LayerKind::User {
                Some(format!("{at}.kind: \"user\" is for layers a visitor adds in the browser, not for the site's own"))
            } else {
                safe::layer_file(&l.file)
                    .map_err(|e| format!("{at}.file: {e}"))
                    .and_then(|()| safe::colour(&l.style.fill).map_err(|e| format!("{at}.style.fill: {e}")))
                    .and_then(|()| safe::colour(&l.style.stroke).map_err(|e| format!("{at}.style.stroke: {e}")))
                    .err()
            };
            if let Some(p) = problem {
                warnings.push(format!("{p}; layer left out"));
                continue;
            }
            if let Some(c) = &l.choropleth {
                if let Some((_, bad)) = c.stops.iter().find(|(v, colour)| !v.is_finite() || safe::colour(colour).is_err()) {
                    warnings.push(format!(
                        "{at}.choropleth: {bad:?} is not a colour (or its value is not a number); drawn in the layer's colour"
                    ));
                    l.choropleth = None;
                }
            }
            kept.push(l);
        }
        self.layers = kept;
        self.documents.retain(|d| match safe::doc_file(&d.file) {
            Ok(()) => true,
            Err(e) => {
                warnings.push(format!("documents ({:?}).file: {e}; plan left out", d.title_en));
                false
            }
        });
        for (name, p) in &mut self.precision_styles {
            if let Some(e) = p.dash.as_deref().and_then(|d| safe::dash(d).err()) {
                warnings.push(format!("precision_styles.{name}.dash: {e}; drawn solid"));
                p.dash = None;
            }
        }
        warnings
    }

    /// The layers in the user's drawing order (bottom first): the ids in `order`, then the
    /// rest in the manifest's order. Unknown ids in `order` are skipped.
    pub fn ordered(&self, order: &[String]) -> Vec<&LayerInfo> {
        let mut out: Vec<&LayerInfo> = order.iter().filter_map(|id| self.layer(id)).collect();
        out.extend(self.layers.iter().filter(|l| !order.contains(&l.id)));
        out
    }

    pub fn layer(&self, id: &str) -> Option<&LayerInfo> {
        self.layers.iter().find(|l| l.id == id)
    }

    pub fn document(&self, file: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.file == file)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn ordered_puts_the_users_order_first_and_skips_unknown_ids() {
        let m = Manifest::parse(include_str!("../../../public/data/manifest.json")).expect("manifest");
        let ids = |v: Vec<&LayerInfo>| v.into_iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        let all = ids(m.ordered(&[]));
        assert_eq!(all, m.layers.iter().map(|l| l.id.clone()).collect::<Vec<_>>());
        let got = ids(m.ordered(&["metro".into(), "nope".into(), "districts".into()]));
        assert_eq!(&got[..2], ["metro", "districts"]);
        assert_eq!(got.len(), m.layers.len());
        assert_eq!(got.iter().filter(|id| *id == "metro").count(), 1);
    }
    use super::*;

    const SHIPPED: &str = include_str!("../../../public/data/manifest.json");

    #[test]
    fn shipped_manifest_parses_sorted() {
        let m = Manifest::parse(SHIPPED).expect("shipped manifest");
        assert!(m.layers.windows(2).all(|w| w[0].order <= w[1].order));
        assert!(m.layer("eco-barrier").is_some());
        assert_eq!(m.documents.len(), 5);
    }

    #[test]
    fn choropleth_classes() {
        let c = Choropleth {
            number: "x".into(),
            unit: "km²".into(),
            stops: vec![(0.0, "a".into()), (50.0, "b".into()), (100.0, "c".into())],
            note_zh: String::new(),
            note_en: String::new(),
        };
        assert_eq!(c.colour(-1.0), Some("a"));
        assert_eq!(c.colour(49.9), Some("a"));
        assert_eq!(c.colour(50.0), Some("b"));
        assert_eq!(c.colour(204.7), Some("c"));
    }

    #[test]
    fn a_duplicate_or_unsafe_entry_is_left_out_and_named_and_the_rest_works() {
        let shipped = Manifest::parse(SHIPPED).expect("shipped");
        assert!(shipped.warnings.is_empty(), "{:?}", shipped.warnings);
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED).expect("json");
        let n = v["layers"].as_array().expect("array").len();
        let mut twice = v["layers"][0].clone();
        twice["title_en"] = "second".into();
        v["layers"].as_array_mut().expect("array").push(twice);
        v["layers"][1]["file"] = "http://evil.example/x.geojson".into();
        v["layers"][2]["style"]["fill"] = "url(http://evil.example/p.svg#p)".into();
        v["documents"][0]["file"] = "../index.html".into();
        v["precision_styles"]["schematic"]["dash"] = "url(x)".into();
        let m = Manifest::parse(&v.to_string()).expect("parsed");
        assert_eq!(m.layers.len(), n - 2, "two unsafe layers out, the duplicate out");
        let first_id = v["layers"][0]["id"].as_str().expect("id");
        assert_ne!(m.layer(first_id).map(|l| l.title_en.as_str()), Some("second"), "the first entry is kept");
        let all = m.warnings.join("\n");
        for want in ["listed twice", "layers[1]", ".file", "layers[2]", "style.fill", "documents", "../index.html", "schematic.dash"] {
            assert!(all.contains(want), "{want} in {all}");
        }
        assert_eq!(m.warnings.len(), 5, "{all}");
        assert!(m.documents.iter().all(|d| d.file != "../index.html"));
        let mut v: serde_json::Value = serde_json::from_str(SHIPPED).expect("json");
        v["status_styles"].as_object_mut().expect("obj").remove("planned");
        assert!(Manifest::parse(&v.to_string()).unwrap_err().to_string().contains("planned"));
        assert!(Manifest::parse("{").unwrap_err().to_string().contains("line 1"));
    }
}
