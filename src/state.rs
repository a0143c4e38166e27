//! The app's state as named context types: [`Data`] (what was loaded, shared by every map on
//! the page), [`MapState`] (one map's view and layer settings), [`Selection`] (one map's
//! selected feature and reader) and [`Ui`] (language, notices, search text), bundled in one
//! [`AppState`] context. A second map on the page provides an `AppState` with its own
//! `MapState` to its subtree with `<Provider value=AppState { view, ..AppState::get() }>`
//! (a child scope; a bare `provide_context` in a component reaches its siblings too); every
//! component reads the state in its scope.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use atlas_core::basemap::TileSource;
use atlas_core::layer::Status;
use atlas_core::link_index::LinkIndex;
use atlas_core::manifest::{LayerInfo, Manifest};
use atlas_core::plan::PlanDoc;
use atlas_core::prepared::{DrawnFeature, ReadyLayer};
use atlas_core::search::Folder;
use atlas_core::url_state::MapPosition;
use atlas_core::viewport::Viewport;
use leptos::prelude::*;

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Pick the text for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The code used in URLs and `lang` attributes' first part.
    pub fn code(self) -> &'static str {
        self.t("zh", "en")
    }
}

/// Loading state of one layer or document.
#[derive(Clone)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(String),
}

/// A plan text as shipped, with its structure.
pub struct LoadedDoc {
    pub text: String,
    pub plan: PlanDoc,
    /// Time taken to build the plan model, in ms (shown to the benchmark as a data attribute).
    pub build_ms: f64,
}

/// What the reader should bring into view and mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    None,
    /// Excerpt `i` of the selected feature (the reader shows that excerpt's document).
    Excerpt(usize),
    /// A seed line of the reader's document.
    Line(usize),
    /// A byte range of the reader's document (a search hit).
    Range(std::ops::Range<usize>),
}

/// The reader's document and focus. With `Focus::Excerpt`, the document is the excerpt's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderView {
    pub doc: Option<String>,
    pub focus: Focus,
}

/// Everything loaded: one per page, shared by every map.
#[derive(Clone, Copy)]
pub struct Data {
    pub manifest: RwSignal<Load<Arc<Manifest>>>,
    pub layers: RwSignal<BTreeMap<String, Load<Arc<ReadyLayer>>>>,
    /// Feature ↔ layer ↔ plan clause, rebuilt when a layer arrives.
    pub index: Memo<Arc<LinkIndex>>,
    pub docs: RwSignal<HashMap<String, Load<Arc<LoadedDoc>>>>,
    /// The search folding tables, once loaded.
    pub folder: RwSignal<Load<Arc<Folder>>>,
    /// The English ↔ Chinese search glossary (data/glossary.json), once loaded.
    pub glossary: RwSignal<Option<Arc<atlas_core::query::Glossary>>>,
    /// The configured raster basemap, if any (data/basemap.json).
    pub basemap: RwSignal<Option<TileSource>>,
    /// Layers loaded but not yet handed to the page (see `loader::arrive`).
    pub arrived: StoredValue<Vec<(String, Load<Arc<ReadyLayer>>)>>,
    pub folder_requested: StoredValue<bool>,
    /// The layers the user added from files (`crate::import`), by layer id.
    pub user: RwSignal<BTreeMap<String, crate::import::UserLayer>>,
}

/// One map's view and layer settings.
#[derive(Clone, Copy)]
pub struct MapState {
    pub viewport: RwSignal<Option<Viewport>>,
    /// The viewport once it has stopped moving (for the list of features in view).
    pub settled: RwSignal<Option<Viewport>>,
    /// Where the first view should be, from the URL (instead of fitting every layer).
    pub start: StoredValue<Option<MapPosition>>,
    pub visible: RwSignal<BTreeMap<String, bool>>,
    /// Layer opacity (0–1) set by the user, by layer id.
    pub opacity: RwSignal<BTreeMap<String, f64>>,
    /// Drawing order chosen by the user (bottom first); empty: the manifest's order.
    pub order: RwSignal<Vec<String>>,
    /// Statuses shown on the map.
    pub statuses: RwSignal<Vec<Status>>,
    pub basemap_on: RwSignal<bool>,
    /// Overlapping features offered after a tap: (screen x, y, ids).
    pub chooser: RwSignal<Option<(f64, f64, Vec<String>)>>,
    /// Generation counter of the running fly-to animation.
    pub flight: RwSignal<u32>,
    /// The metro drawn as open in 2025 (the reference data's state) instead of by its status.
    pub metro_2025: RwSignal<bool>,
    /// The right side of a comparison.
    pub is_right: bool,
}

/// Two maps compared: the mode, the swipe divider, and the right side's view. The right side
/// shares the left's viewport (so pan, zoom and flights follow on both) and the selection
/// (so both are linked to the one reader); it has its own layers and statuses.
#[derive(Clone, Copy)]
pub struct Compare {
    pub mode: RwSignal<atlas_core::compare::CompareMode>,
    /// The swipe divider, in percent of the map's width from the left.
    pub split: RwSignal<u8>,
    pub right: MapState,
    /// The pointer over one side (`true`: the right), as fractions of the map's size, shown
    /// as a mirrored cursor on the other side.
    pub cursor: RwSignal<Option<(bool, f64, f64)>>,
    /// The layer list shows the right side's layers.
    pub editing_right: RwSignal<bool>,
}

impl Compare {
    pub fn new(left: MapState) -> Self {
        let right = MapState {
            visible: RwSignal::new(BTreeMap::new()),
            opacity: RwSignal::new(BTreeMap::new()),
            order: RwSignal::new(Vec::new()),
            statuses: RwSignal::new(Status::ALL.to_vec()),
            chooser: RwSignal::new(None),
            metro_2025: RwSignal::new(false),
            is_right: true,
            ..left
        };
        Compare {
            mode: RwSignal::new(Default::default()),
            split: RwSignal::new(50),
            right,
            cursor: RwSignal::new(None),
            editing_right: RwSignal::new(false),
        }
    }

    pub fn on(&self) -> bool {
        self.mode.get() != atlas_core::compare::CompareMode::Off
    }
}

/// One map's selected feature and what its reader shows.
#[derive(Clone, Copy)]
pub struct Selection {
    pub selected: RwSignal<Option<String>>,
    pub reader: RwSignal<ReaderView>,
    /// 1-based seed line at the top of the reader (where the user has scrolled to).
    pub reader_top: RwSignal<Option<usize>>,
    /// A feature to show once it is loaded: turn its layer on and fly to it (`fly` false when
    /// the URL also gives the view).
    pub reveal: RwSignal<Option<(String, bool)>>,
}

/// How an embedded map is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedOpts {
    /// The selected feature's card is shown (below or over the map).
    pub reader: bool,
    /// The map's height in percent of its width; the page grows with its content.
    pub ratio: Option<u16>,
}

/// Page-wide interface state.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    /// Messages about input that was ignored: URL hash fields, a bad basemap configuration.
    pub notices: RwSignal<Vec<String>>,
    /// The search box's text.
    pub query: RwSignal<String>,
    /// Walking catchments drawn on the map (radius in metres), and the stations they use
    /// (every station open in 2025, loaded by the figures panel).
    pub catchments: RwSignal<Option<f64>>,
    /// Presentation mode: the map and the plan's words large, the panels hidden (P; Escape).
    pub present: RwSignal<bool>,
    pub stations_2025: RwSignal<Option<Arc<Vec<atlas_core::coord::LonLat>>>>,
    /// A tour of saved views (each a view's hash), shown one by one in presentation mode, and
    /// the 1-based stop shown now.
    pub tour: RwSignal<Vec<String>>,
    pub stop: RwSignal<Option<usize>>,
    /// Embed mode (`embed=1`): the map alone in another page's frame.
    pub embed: RwSignal<Option<EmbedOpts>>,
    /// A short hint over the map (how to move an embedded map).
    pub hint: RwSignal<Option<&'static str>>,
    /// The measure tool's points, while it is on.
    pub measure: RwSignal<Option<Vec<atlas_core::coord::LonLat>>>,
    /// On a phone or tablet, the bottom sheet: which panel it holds and how tall it is.
    pub sheet: RwSignal<Sheet>,
    /// A file being read as a layer, what the last one gave, and a file dragged over the page.
    pub import: RwSignal<Option<crate::import::Progress>>,
    pub import_report: RwSignal<Option<String>>,
    pub dropping: RwSignal<bool>,
}

/// The panel the bottom sheet holds (on a phone or tablet; on a desktop both are shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetPanel {
    /// The layers with their legend, figures, tour and feature list.
    Layers,
    /// The chosen feature's card and the plan text.
    Feature,
}

/// How much of the screen the bottom sheet takes: its tab bar only, half, or nearly all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SheetSize {
    Peek,
    Half,
    Full,
}

/// The bottom sheet's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    pub panel: SheetPanel,
    pub size: SheetSize,
}

impl Sheet {
    /// `panel` shown at least half open.
    pub fn open(self, panel: SheetPanel) -> Sheet {
        Sheet { panel, size: self.size.max(SheetSize::Half) }
    }

    /// A tap on `panel`'s tab: open it, or fold the sheet when it is already open.
    pub fn tap(self, panel: SheetPanel) -> Sheet {
        if self.panel == panel && self.size != SheetSize::Peek {
            Sheet { panel, size: SheetSize::Peek }
        } else {
            self.open(panel)
        }
    }

    /// One step taller (`up`) or shorter.
    pub fn step(self, up: bool) -> Sheet {
        let size = match (self.size, up) {
            (SheetSize::Peek, true) => SheetSize::Half,
            (SheetSize::Half, true) | (SheetSize::Full, true) => SheetSize::Full,
            (SheetSize::Full, false) => SheetSize::Half,
            (_, false) => SheetSize::Peek,
        };
        Sheet { size, ..self }
    }
}

impl MapState {
    pub fn new() -> Self {
        MapState {
            viewport: RwSignal::new(None),
            settled: RwSignal::new(None),
            start: StoredValue::new(None),
            visible: RwSignal::new(BTreeMap::new()),
            opacity: RwSignal::new(BTreeMap::new()),
            order: RwSignal::new(Vec::new()),
            statuses: RwSignal::new(Status::ALL.to_vec()),
            basemap_on: RwSignal::new(false),
            chooser: RwSignal::new(None),
            flight: RwSignal::new(0),
            metro_2025: RwSignal::new(false),
            is_right: false,
        }
    }
}

impl Default for MapState {
    fn default() -> Self {
        Self::new()
    }
}

impl Selection {
    pub fn new() -> Self {
        Selection {
            selected: RwSignal::new(None),
            reader: RwSignal::new(ReaderView { doc: None, focus: Focus::None }),
            reader_top: RwSignal::new(None),
            reveal: RwSignal::new(None),
        }
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

impl Data {
    pub fn new() -> Self {
        let layers = RwSignal::new(BTreeMap::<String, Load<Arc<ReadyLayer>>>::new());
        let user = RwSignal::new(BTreeMap::<String, crate::import::UserLayer>::new());
        // Compared by pointer: a new index is a new value (a deep comparison costs wasm size
        // and time for nothing, since layers only arrive).
        let index = Memo::new_with_compare(
            move |_| {
                let mut index = LinkIndex::new();
                // A user's own layers cite no clause and are looked up by their ids' form
                // (`AppState::feature`): indexing a file of 100,000 shapes would cost a frame.
                let own = user.get_untracked();
                layers.with(|l| {
                    for (id, load) in l {
                        if own.contains_key(id) {
                            continue;
                        }
                        if let Load::Ready(r) = load {
                            index.add_layer(id, r);
                        }
                    }
                });
                Arc::new(index)
            },
            |a: Option<&Arc<LinkIndex>>, b: Option<&Arc<LinkIndex>>| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
        );
        Data {
            manifest: RwSignal::new(Load::Loading),
            layers,
            index,
            docs: RwSignal::new(HashMap::new()),
            folder: RwSignal::new(Load::Loading),
            glossary: RwSignal::new(None),
            basemap: RwSignal::new(None),
            arrived: StoredValue::new(Vec::new()),
            folder_requested: StoredValue::new(false),
            user,
        }
    }
}

impl Default for Data {
    fn default() -> Self {
        Self::new()
    }
}

/// The state in scope: the page's data and interface, this map's view and selection.
#[derive(Clone, Copy)]
pub struct AppState {
    pub data: Data,
    pub view: MapState,
    pub sel: Selection,
    pub ui: Ui,
    pub cmp: Compare,
}

impl AppState {
    /// The state in scope (provided by `App`, and by a second map for its subtree).
    pub fn get() -> Self {
        expect_context()
    }

    /// The drawn feature with this id, in any loaded layer.
    pub fn feature(&self, id: &str) -> Option<Arc<DrawnFeature>> {
        // A user layer's feature: `layer/index`, its layer's features in index order.
        if let Some((layer, n)) = id.split_once('/').and_then(|(l, n)| Some((l, n.parse::<usize>().ok()?))) {
            if self.data.user.with_untracked(|u| u.contains_key(layer)) {
                let index = |f: &Arc<DrawnFeature>| f.feature.id.rsplit('/').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
                return self.data.layers.with(|l| match l.get(layer) {
                    Some(Load::Ready(r)) => r.features.binary_search_by_key(&n, index).ok().map(|k| r.features[k].clone()),
                    _ => None,
                });
            }
        }
        self.data.index.with(|i| i.feature(id).cloned())
    }

    /// The manifest entry of a layer.
    pub fn layer_info(&self, id: &str) -> Option<LayerInfo> {
        self.data.manifest.with(|m| match m {
            Load::Ready(m) => m.layer(id).cloned(),
            _ => None,
        })
    }

    /// The manifest, once loaded.
    pub fn manifest(&self) -> Option<Arc<Manifest>> {
        match self.data.manifest.get() {
            Load::Ready(m) => Some(m),
            _ => None,
        }
    }

    /// Select a feature (or clear with `None`), show its first excerpt, and show it on the
    /// map: its layer is turned on and the map flies to it (`fly`), as soon as it is loaded.
    pub fn select(&self, id: Option<String>, fly: bool) {
        if let Some(id) = &id {
            self.sel.reader_top.set(None);
            self.sel.reader.update(|r| r.focus = Focus::Excerpt(0));
            self.sel.reveal.set(Some((id.clone(), fly)));
        }
        self.sel.selected.set(id);
    }

    /// The document the reader shows now.
    pub fn reader_doc(&self) -> Option<String> {
        let view = self.sel.reader.get();
        if let Focus::Excerpt(i) = view.focus {
            let id = self.sel.selected.get()?;
            let f = self.feature(&id)?;
            let ex = &f.feature.props.excerpts;
            return ex.get(i).or_else(|| ex.first()).map(|e| e.doc.clone()).or(view.doc);
        }
        view.doc
    }

    /// Open a document in the reader at a focus.
    pub fn open_doc(&self, doc: &str, focus: Focus) {
        self.sel.reader_top.set(None);
        self.sel.reader.set(ReaderView { doc: Some(doc.to_string()), focus });
    }
}

/// Each layer's default visibility, from the manifest.
pub fn default_visibility(m: &atlas_core::manifest::Manifest) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    for l in &m.layers {
        out.insert(l.id.clone(), l.visible);
    }
    out
}

/// Milliseconds from the page's time origin.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}
