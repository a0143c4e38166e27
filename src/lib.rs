//! The Plan Atlas app: state, loading and the top-level layout. Pure logic lives in
//! `atlas-core`; this crate only wires it to the browser.

mod fetch;
mod feature_card;
mod feature_list;
mod layer_list;
pub mod map;
mod reader;
mod search_box;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use atlas_core::basemap::TileSource;
use atlas_core::labels::{anchor_within, LabelAnchor};
use atlas_core::layer::{parse_layer, Feature};
use atlas_core::manifest::{LayerInfo, Manifest};
use atlas_core::plan::PlanDoc;
use atlas_core::search::Folder;
use atlas_core::svg::{path_data, point_positions};
use atlas_core::url_state::UrlState;
use atlas_core::viewport::{MercatorBox, Viewport};
pub use atlas_core::layer::Status;
use atlas_core::site;
use leptos::prelude::*;
use leptos::task::spawn_local;

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
}

/// A feature ready to draw: geometry projected once, at load time.
pub struct DrawnFeature {
    pub feature: Arc<Feature>,
    pub layer_id: String,
    /// SVG path data for lines and polygons, in drawing units.
    pub path: Option<String>,
    /// Symbol positions for points, in drawing units.
    pub points: Vec<(f64, f64)>,
    /// Where the feature's name goes on the map.
    pub anchor: Option<LabelAnchor>,
    /// Mercator bounds, computed once (for "features in view").
    pub bounds: Option<MercatorBox>,
}

/// A loaded layer.
pub struct ReadyLayer {
    pub features: Vec<Arc<DrawnFeature>>,
    pub bounds: Option<MercatorBox>,
    /// Features the loader skipped, with reasons (shown in the layer list).
    pub warnings: Vec<String>,
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

/// Milliseconds from the page's time origin.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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

/// All app state, provided once by context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub manifest: RwSignal<Load<Arc<Manifest>>>,
    pub layers: RwSignal<BTreeMap<String, Load<Arc<ReadyLayer>>>>,
    pub visible: RwSignal<BTreeMap<String, bool>>,
    pub selected: RwSignal<Option<String>>,
    /// What the reader shows.
    pub reader: RwSignal<ReaderView>,
    pub docs: RwSignal<HashMap<String, Load<Arc<LoadedDoc>>>>,
    /// The search folding tables, once loaded.
    pub folder: RwSignal<Load<Arc<Folder>>>,
    pub viewport: RwSignal<Option<Viewport>>,
    /// Messages about input that was ignored: URL hash fields, a bad basemap configuration.
    pub notices: RwSignal<Vec<String>>,
    /// The configured raster basemap, if any (data/basemap.json), and whether it is shown.
    pub basemap: RwSignal<Option<TileSource>>,
    pub basemap_on: RwSignal<bool>,
    /// Layer opacity (0–1) set by the user, by layer id.
    pub opacity: RwSignal<BTreeMap<String, f64>>,
    /// Drawing order chosen by the user (bottom first); empty: the manifest's order.
    pub order: RwSignal<Vec<String>>,
    /// Statuses shown on the map.
    pub statuses: RwSignal<Vec<atlas_core::layer::Status>>,
    /// The viewport once it has stopped moving (for the list of features in view).
    pub settled: RwSignal<Option<Viewport>>,
    /// Overlapping features offered after a tap: (screen x, y, ids).
    pub chooser: RwSignal<Option<(f64, f64, Vec<String>)>>,
    /// Generation counter of the running fly-to animation.
    pub flight: RwSignal<u32>,
}

impl AppState {
    /// The drawn feature with this id, in any loaded layer.
    pub fn feature(&self, id: &str) -> Option<Arc<DrawnFeature>> {
        self.layers.with(|layers| {
            layers.values().find_map(|l| match l {
                Load::Ready(r) => r.features.iter().find(|f| f.feature.id == id).cloned(),
                _ => None,
            })
        })
    }

    /// The manifest entry of a layer.
    pub fn layer_info(&self, id: &str) -> Option<LayerInfo> {
        self.manifest.with(|m| match m {
            Load::Ready(m) => m.layer(id).cloned(),
            _ => None,
        })
    }

    /// Select a feature (or clear with `None`) and show its first excerpt.
    pub fn select(&self, id: Option<String>) {
        if let Some(f) = id.as_deref().and_then(|i| self.feature(i)) {
            // A feature chosen from search or the reader shows up on the map.
            if !self.visible.with_untracked(|v| v.get(&f.layer_id).copied().unwrap_or(false)) {
                self.visible.update(|v| {
                    v.insert(f.layer_id.clone(), true);
                });
            }
        }
        if id.is_some() {
            self.reader.update(|r| r.focus = Focus::Excerpt(0));
        }
        self.selected.set(id);
    }

    /// Animate the view to `to` (at once when the user prefers reduced motion).
    pub fn fly_to(&self, to: Viewport) {
        let Some(from) = self.viewport.get_untracked() else {
            self.viewport.set(Some(to));
            return;
        };
        let reduced = window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        let generation = self.flight.get_untracked().wrapping_add(1);
        self.flight.set(generation);
        if reduced {
            self.viewport.set(Some(to));
            return;
        }
        let start = now_ms();
        let state = *self;
        fn frame(state: AppState, from: Viewport, to: Viewport, start: f64, generation: u32) {
            if state.flight.get_untracked() != generation {
                return;
            }
            let t = ((now_ms() - start) / 450.0).min(1.0);
            state.viewport.set(Some(from.lerp(&to, t)));
            if t < 1.0 {
                request_animation_frame(move || frame(state, from, to, start, generation));
            }
        }
        frame(state, from, to, start, generation);
    }

    /// Fly to a feature's shape, keeping some surroundings in view.
    pub fn fly_to_feature(&self, id: &str) {
        let (Some(f), Some(v)) = (self.feature(id), self.viewport.get_untracked()) else { return };
        if let Some(b) = f.bounds {
            self.fly_to(v.fit_to(b, 60.0, 12.0));
        }
    }

    /// Fly to all of a layer.
    pub fn fly_to_layer(&self, id: &str) {
        let bounds = self.layers.with_untracked(|l| match l.get(id) {
            Some(Load::Ready(r)) => r.bounds,
            _ => None,
        });
        if let (Some(b), Some(v)) = (bounds, self.viewport.get_untracked()) {
            self.fly_to(v.fit_to(b, 24.0, 12.0));
        }
    }

    /// Fetch a layer unless it is loaded or loading.
    pub fn ensure_layer(&self, id: &str) {
        if self.layers.with_untracked(|l| l.contains_key(id)) {
            return;
        }
        let Some(info) = self.layer_info(id) else { return };
        self.layers.update(|l| {
            l.insert(id.to_string(), Load::Loading);
        });
        let layers = self.layers;
        spawn_local(async move {
            let result = fetch::fetch_text(&info.file).await.and_then(|t| prepare(&info, &t));
            let load = match result {
                Ok(r) => Load::Ready(Arc::new(r)),
                Err(e) => Load::Failed(e),
            };
            arrive(layers, info.id.clone(), load);
        });
    }

    /// Fetch every layer (for search, or to find a feature named by the URL).
    pub fn ensure_all_layers(&self) {
        if let Load::Ready(m) = self.manifest.get_untracked() {
            for l in &m.layers {
                self.ensure_layer(&l.id);
            }
        }
    }

    /// True when every layer of the manifest has been requested.
    pub fn all_layers_requested(&self) -> bool {
        match self.manifest.get() {
            Load::Ready(m) => self.layers.with(|l| m.layers.iter().all(|i| l.contains_key(&i.id))),
            _ => false,
        }
    }

    /// Open a document in the reader at a focus.
    pub fn open_doc(&self, doc: &str, focus: Focus) {
        self.reader.set(ReaderView { doc: Some(doc.to_string()), focus });
    }

    /// The document the reader shows now.
    pub fn reader_doc(&self) -> Option<String> {
        let view = self.reader.get();
        if let Focus::Excerpt(i) = view.focus {
            let id = self.selected.get()?;
            let f = self.feature(&id)?;
            let ex = &f.feature.props.excerpts;
            return ex.get(i).or_else(|| ex.first()).map(|e| e.doc.clone()).or(view.doc);
        }
        view.doc
    }

    /// Load every plan text, every layer and the search tables (for search).
    pub fn load_all_docs(&self) {
        self.ensure_all_layers();
        if let Load::Ready(m) = self.manifest.get_untracked() {
            for d in &m.documents {
                self.load_doc(&d.file);
            }
        }
        if matches!(self.folder.get_untracked(), Load::Loading) && !self.folder_requested() {
            let folder = self.folder;
            spawn_local(async move {
                let t2s = fetch::fetch_text("data/fold-t2s.json").await;
                let variants = fetch::fetch_text("data/search-variants.json").await;
                folder.set(match (t2s, variants) {
                    (Ok(a), Ok(b)) => Folder::new(&a, &b).map(Arc::new).map_or_else(Load::Failed, Load::Ready),
                    (Err(e), _) | (_, Err(e)) => Load::Failed(e),
                });
            });
        }
    }

    fn folder_requested(&self) -> bool {
        FOLDER_REQUESTED.with(|r| r.replace(true))
    }

    /// Start loading the plan text of a feature's first excerpt (on hover, press or focus).
    pub fn prefetch_text_of(&self, id: &str) {
        let doc = self.feature(id).and_then(|f| f.feature.props.excerpts.first().map(|e| e.doc.clone()));
        if let Some(doc) = doc {
            if self.manifest.with_untracked(|m| matches!(m, Load::Ready(m) if m.document(&doc).is_some())) {
                self.load_doc(&doc);
            }
        }
    }

    /// Ensure a plan text is loaded (once).
    pub fn load_doc(&self, file: &str) {
        if self.docs.with_untracked(|d| d.contains_key(file)) {
            return;
        }
        self.docs.update(|d| {
            d.insert(file.to_string(), Load::Loading);
        });
        let docs = self.docs;
        let chrome = match self.manifest.get_untracked() {
            Load::Ready(m) => m.document(file).map(|d| d.chrome_lines.clone()).unwrap_or_default(),
            _ => Vec::new(),
        };
        let file = file.to_string();
        spawn_local(async move {
            let result = fetch::fetch_text(&format!("texts/{file}")).await;
            docs.update(|d| {
                d.insert(file, match result {
                    Ok(text) => {
                        let t0 = now_ms();
                        let plan = PlanDoc::build(&text, &chrome);
                        let build_ms = now_ms() - t0;
                        Load::Ready(Arc::new(LoadedDoc { text, plan, build_ms }))
                    }
                    Err(e) => Load::Failed(e),
                });
            });
        });
    }
}

thread_local! {
    static FOLDER_REQUESTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Layers loaded but not yet handed to the page.
    static ARRIVED: std::cell::RefCell<Vec<(String, Load<Arc<ReadyLayer>>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Hand a loaded layer to the page. Layers that arrive within one frame are handed over
/// together, so the map, its labels and the lists are updated once for all of them (the
/// default layers arrive nearly at once). A timeout stands in for the frame where frames do
/// not run (a hidden page or an off-screen embed).
fn arrive(layers: RwSignal<BTreeMap<String, Load<Arc<ReadyLayer>>>>, id: String, load: Load<Arc<ReadyLayer>>) {
    let first = ARRIVED.with(|a| {
        let mut a = a.borrow_mut();
        a.push((id, load));
        a.len() == 1
    });
    if !first {
        return;
    }
    let flush = move || {
        let batch = ARRIVED.with(|a| std::mem::take(&mut *a.borrow_mut()));
        if !batch.is_empty() {
            layers.update(|l| l.extend(batch));
        }
    };
    request_animation_frame(flush);
    set_timeout(flush, std::time::Duration::from_millis(100));
}

fn prepare(info: &LayerInfo, text: &str) -> Result<ReadyLayer, String> {
    let loaded = parse_layer(text).map_err(|e| e.to_string())?;
    let features: Vec<Arc<DrawnFeature>> = loaded
        .features
        .into_iter()
        .map(|f| {
            // Each feature's bounds are projected once, for the layer's bounds and its anchor.
            let bounds = f.geometry.mercator_bounds();
            Arc::new(DrawnFeature {
                path: path_data(&f.geometry),
                points: point_positions(&f.geometry),
                // Only layers that show names need anchors (they take a few ms per district).
                anchor: info.label_priority.zip(bounds).and_then(|(_, b)| anchor_within(&f.geometry, b)),
                bounds,
                layer_id: info.id.clone(),
                feature: Arc::new(f),
            })
        })
        .collect();
    let bounds = features.iter().filter_map(|f| f.bounds).reduce(MercatorBox::union);
    Ok(ReadyLayer { features, bounds, warnings: loaded.diagnostics.iter().map(|d| d.to_string()).collect() })
}

fn load_all(state: AppState) {
    // The basemap is optional: no file means none; a bad one is reported and ignored.
    spawn_local(async move {
        match fetch::fetch_optional("data/basemap.json").await.and_then(|t| match t {
            Some(t) => atlas_core::basemap::parse(&t),
            None => Ok(None),
        }) {
            Ok(src) => {
                state.basemap_on.set(src.as_ref().is_some_and(|s| s.on));
                state.basemap.set(src);
            }
            Err(e) => state.notices.update(|n| n.push(e)),
        }
    });
    spawn_local(async move {
        let manifest = match fetch::fetch_text("data/manifest.json").await {
            Ok(t) => Manifest::parse(&t).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let manifest = match manifest {
            Ok(m) => Arc::new(m),
            Err(e) => {
                state.manifest.set(Load::Failed(e));
                return;
            }
        };
        state.visible.set(manifest.layers.iter().map(|l| (l.id.clone(), l.visible)).collect());
        state.manifest.set(Load::Ready(manifest.clone()));
        // Only the layers shown by default are fetched now; the others when first shown,
        // searched, or named by the URL.
        let wanted_all = state.selected.with_untracked(Option::is_some);
        for info in manifest.layers.iter().filter(|l| l.visible || wanted_all) {
            state.ensure_layer(&info.id);
        }
    });
}

fn read_hash(state: AppState) {
    let hash = window().location().hash().unwrap_or_default();
    let (url, problems) = UrlState::parse(&hash);
    if let Some(l) = url.lang.as_deref() {
        state.lang.set(if l == "en" { Lang::En } else { Lang::Zh });
    }
    let has_feature = url.feature.is_some();
    state.selected.set(url.feature);
    match (url.doc, url.line) {
        (Some(doc), line) => state.open_doc(&doc, line.map_or(Focus::None, Focus::Line)),
        (None, _) if has_feature => state.reader.update(|r| r.focus = Focus::Excerpt(0)),
        _ => {}
    }
    state.notices.set(problems);
}

fn write_hash(state: AppState) {
    Effect::new(move |_| {
        let view = state.reader.get();
        let (doc, line) = match &view.focus {
            Focus::Excerpt(_) => (None, None),
            Focus::Line(l) => (view.doc.clone(), Some(*l)),
            _ => (view.doc.clone(), None),
        };
        let url = UrlState {
            feature: state.selected.get(),
            doc,
            line,
            lang: Some(if state.lang.get() == Lang::En { "en".into() } else { "zh".into() }),
        };
        let hash = url.format();
        if let Ok(history) = window().history() {
            let target = if hash.is_empty() { window().location().pathname().unwrap_or_default() } else { hash };
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
        }
    });
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        lang: RwSignal::new(Lang::Zh),
        manifest: RwSignal::new(Load::Loading),
        layers: RwSignal::new(BTreeMap::new()),
        visible: RwSignal::new(BTreeMap::new()),
        selected: RwSignal::new(None),
        reader: RwSignal::new(ReaderView { doc: None, focus: Focus::None }),
        docs: RwSignal::new(HashMap::new()),
        folder: RwSignal::new(Load::Loading),
        viewport: RwSignal::new(None),
        notices: RwSignal::new(Vec::new()),
        basemap: RwSignal::new(None),
        basemap_on: RwSignal::new(false),
        opacity: RwSignal::new(BTreeMap::new()),
        order: RwSignal::new(Vec::new()),
        statuses: RwSignal::new(atlas_core::layer::Status::ALL.to_vec()),
        settled: RwSignal::new(None),
        chooser: RwSignal::new(None),
        flight: RwSignal::new(0),
    };
    provide_context(state);
    read_hash(state);
    write_hash(state);
    load_all(state);

    let lang = state.lang;
    // The page's language follows the interface's, for screen readers and fonts.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", if lang.get() == Lang::En { "en" } else { "zh-CN" });
        }
    });
    let progress = move || {
        state.layers.with(|l| {
            let total = l.len();
            let done = l.values().filter(|s| !matches!(s, Load::Loading)).count();
            (done, total)
        })
    };
    let loading_text = move || {
        let (done, total) = progress();
        match state.manifest.get() {
            Load::Loading => lang.get().t("正在加载图层目录…", "Loading the layer list…").to_string(),
            Load::Failed(e) => format!("{} {e}", lang.get().t("无法加载图层目录：", "Could not load the layer list:")),
            Load::Ready(_) if done < total => format!("{} {done}/{total}", lang.get().t("正在加载图层", "Loading layers")),
            Load::Ready(_) => String::new(),
        }
    };
    let failed = move || matches!(state.manifest.get(), Load::Failed(_));

    view! {
        <header class="topbar">
            <h1>
                <span class="brand">"Plan Atlas"</span>
                <span class="subtitle">{move || lang.get().t(site::SUBTITLE_ZH, site::SUBTITLE_EN)}</span>
            </h1>
            <search_box::SearchBox />
            <button
                class="lang-toggle"
                aria-label=move || lang.get().t("Switch to English", "切换到中文")
                on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
            >
                {move || lang.get().t("EN", "中文")}
            </button>
        </header>
        <div class="status" role="status" aria-live="polite" class:error=failed>
            {loading_text}
        </div>
        <Show when=move || !state.notices.with(|n| n.is_empty())>
            <div class="notice" role="alert">
                {move || state.notices.get().join("; ")}
                <button on:click=move |_| state.notices.set(Vec::new()) aria-label="dismiss">"×"</button>
            </div>
        </Show>
        <main class="layout">
            <div class="left">
                <layer_list::LayerList />
                <feature_list::FeatureList />
            </div>
            <map::MapView />
            <aside class="side" aria-label=move || lang.get().t("要素与规划原文", "Feature and plan text")>
                <feature_card::FeatureCard />
                <reader::Reader />
            </aside>
        </main>
        <footer class="attribution">
            {move || lang.get().t(site::ATTRIBUTION_ZH, site::ATTRIBUTION_EN)}
        </footer>
    }
}
