//! All loading: the only module that fetches. Every `JsValue`/network error becomes a plain
//! message here, saying what was asked for and what went wrong, in words that need no
//! language (`data/x.geojson: HTTP 404 Not Found`): whoever shows it puts it after a lead-in
//! in the interface's language ("加载失败：", "failed to load:"). Parsing and preparation are
//! `atlas-core`'s (`Manifest::parse`, `prepared::prepare`, `PlanDoc::build`).

use std::sync::Arc;

use atlas_core::manifest::Manifest;
use atlas_core::plan::PlanDoc;
use atlas_core::prepared::{prepare, ReadyLayer};
use atlas_core::query::Glossary;
use atlas_core::search::Folder;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::state::{now_ms, AppState, Data, Load, LoadedDoc};

/// The browser's `fetch`, straight through web-sys (gloo-net's request builder cost several
/// KB of wasm for one GET).
async fn get(url: &str) -> Result<web_sys::Response, String> {
    let failed = |e: JsValue| format!("{url}: {}", js_message(&e));
    let resp = JsFuture::from(window().fetch_with_str(url)).await.map_err(failed)?;
    resp.dyn_into::<web_sys::Response>().map_err(|_| format!("{url}: 不是HTTP响应 / not a response"))
}

async fn body(url: &str, resp: web_sys::Response) -> Result<String, String> {
    if !resp.ok() {
        return Err(format!("{url}: HTTP {} {}", resp.status(), resp.status_text()));
    }
    let read = |e: JsValue| format!("{url}: {}", js_message(&e));
    let text = JsFuture::from(resp.text().map_err(read)?).await.map_err(read)?;
    text.as_string().ok_or_else(|| format!("{url}: 不是文本 / not text"))
}

/// The message of a JavaScript error (or its string form): the browser's words, in its own
/// language.
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "网络错误 / network error".into())
}

/// GET `url` as text. Errors name the URL and the HTTP status or network failure.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    body(url, get(url).await?).await
}

/// GET `url` as text, or `None` when the server says it does not exist (HTTP 404).
pub async fn fetch_optional(url: &str) -> Result<Option<String>, String> {
    let resp = get(url).await?;
    if resp.status() == 404 {
        return Ok(None);
    }
    body(url, resp).await.map(Some)
}

/// Hand a loaded layer to the page. Layers that arrive within one frame are handed over
/// together, so the map, its labels and the lists are updated once for all of them (the
/// default layers arrive nearly at once). A timeout stands in for the frame where frames do
/// not run (a hidden page or an off-screen embed).
fn arrive(data: Data, id: String, load: Load<Arc<ReadyLayer>>) {
    let first = data.arrived.try_update_value(|a| {
        a.push((id, load));
        a.len() == 1
    });
    if first != Some(true) {
        return;
    }
    let flush = move || {
        let batch = data.arrived.try_update_value(std::mem::take).unwrap_or_default();
        if !batch.is_empty() {
            data.layers.update(|l| l.extend(batch));
        }
    };
    request_animation_frame(flush);
    set_timeout(flush, std::time::Duration::from_millis(100));
}

impl AppState {
    /// Fetch a layer unless it is loaded or loading.
    pub fn ensure_layer(&self, id: &str) {
        if self.data.layers.with_untracked(|l| l.contains_key(id)) {
            return;
        }
        let Some(info) = self.layer_info(id) else { return };
        self.data.layers.update(|l| {
            l.insert(id.to_string(), Load::Loading);
        });
        let data = self.data;
        spawn_local(async move {
            let result = fetch_text(&info.file).await.and_then(|t| prepare(&info, &t));
            let load = match result {
                Ok(r) => Load::Ready(Arc::new(r)),
                Err(e) => Load::Failed(e),
            };
            arrive(data, info.id.clone(), load);
        });
    }

    /// Fetch every layer (for search, or to find a feature named by the URL).
    pub fn ensure_all_layers(&self) {
        if let Load::Ready(m) = self.data.manifest.get_untracked() {
            for l in &m.layers {
                self.ensure_layer(&l.id);
            }
        }
    }

    /// True when every layer of the manifest has been requested and none is still loading.
    pub fn all_layers_settled(&self) -> bool {
        match self.data.manifest.get() {
            Load::Ready(m) => {
                self.data.layers.with(|l| m.layers.iter().all(|i| matches!(l.get(&i.id), Some(Load::Ready(_) | Load::Failed(_)))))
            }
            _ => false,
        }
    }

    /// Load every plan text, every layer and the search tables (for search).
    pub fn load_all_docs(&self) {
        self.ensure_all_layers();
        if let Load::Ready(m) = self.data.manifest.get_untracked() {
            for d in &m.documents {
                self.load_doc(&d.file);
            }
        }
        if self.data.folder_requested.get_value() {
            return;
        }
        self.data.folder_requested.set_value(true);
        let (folder, glossary, notices) = (self.data.folder, self.data.glossary, self.ui.notices);
        spawn_local(async move {
            let t2s = fetch_text("data/fold-t2s.json").await;
            let variants = fetch_text("data/search-variants.json").await;
            let words = fetch_text("data/glossary.json").await;
            // Without the folding tables (missing or broken), search still works: it matches
            // exactly (no traditional → simplified, no variant phrases), and says so.
            let built = match (t2s, variants) {
                (Ok(a), Ok(b)) => Folder::new(&a, &b),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
            let built = built.or_else(|e| {
                notices.update(|n| n.push(format!("{e}: 搜索只做精确匹配 / search matches exactly")));
                Ok::<Folder, String>(Folder::plain())
            });
            // Without the glossary, search still works in Chinese; English reaches names only.
            if let Ok(f) = &built {
                match words.and_then(|w| Glossary::parse(f, &w)) {
                    Ok(g) => glossary.set(Some(Arc::new(g))),
                    Err(e) => notices.update(|n| n.push(format!("data/glossary.json: {e}"))),
                }
            }
            folder.set(built.map(Arc::new).map_or_else(Load::Failed, Load::Ready));
        });
    }

    /// Start loading the plan text of a feature's first excerpt (on hover, press or focus).
    pub fn prefetch_text_of(&self, id: &str) {
        let doc = self.feature(id).and_then(|f| f.feature.props.excerpts.first().map(|e| e.doc.clone()));
        if let Some(doc) = doc {
            if self.data.manifest.with_untracked(|m| matches!(m, Load::Ready(m) if m.document(&doc).is_some())) {
                self.load_doc(&doc);
            }
        }
    }

    /// Ensure a plan text is loaded (once). Only a plan the manifest lists is fetched: a name
    /// from a link or a data file (`..`, `../index.html`) is never turned into a path.
    pub fn load_doc(&self, file: &str) {
        if self.data.docs.with_untracked(|d| d.contains_key(file)) {
            return;
        }
        let listed = match self.data.manifest.get_untracked() {
            Load::Ready(m) => m.document(file).is_some(),
            _ => return,
        };
        if !listed {
            let message = format!("{:?}: 不是本站的规划文件 / not one of this site's plans", file.chars().take(80).collect::<String>());
            self.data.docs.update(|d| {
                d.insert(file.to_string(), Load::Failed(message));
            });
            return;
        }
        self.data.docs.update(|d| {
            d.insert(file.to_string(), Load::Loading);
        });
        let docs = self.data.docs;
        let chrome = match self.data.manifest.get_untracked() {
            Load::Ready(m) => m.document(file).map(|d| d.chrome_lines.clone()).unwrap_or_default(),
            _ => Vec::new(),
        };
        let file = file.to_string();
        spawn_local(async move {
            let result = fetch_text(&format!("texts/{file}")).await;
            docs.update(|d| {
                d.insert(
                    file,
                    match result {
                        Ok(text) => {
                            let t0 = now_ms();
                            let plan = PlanDoc::build(&text, &chrome);
                            let build_ms = now_ms() - t0;
                            Load::Ready(Arc::new(LoadedDoc { text, plan, build_ms }))
                        }
                        Err(e) => Load::Failed(e),
                    },
                );
            });
        });
    }

    /// Load the basemap configuration and the manifest, then the layers to show first.
    /// `on_manifest` runs once the manifest is in (the URL's layer settings are applied then).
    pub fn load_start(&self, on_manifest: impl FnOnce(&Manifest) + 'static) {
        let state = *self;
        // The basemap is optional: no file means none; a bad one is reported and ignored.
        spawn_local(async move {
            let parsed = fetch_optional("data/basemap.json").await.and_then(|t| match t {
                Some(t) => atlas_core::basemap::parse(&t),
                None => Ok(None),
            });
            match parsed {
                Ok(src) => {
                    state.view.basemap_on.set(src.as_ref().is_some_and(|s| s.on));
                    state.data.basemap.set(src);
                }
                Err(e) => state.ui.notices.update(|n| n.push(e)),
            }
        });
        spawn_local(async move {
            let manifest = match fetch_text("data/manifest.json").await {
                Ok(t) => Manifest::parse(&t).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let manifest = match manifest {
                Ok(m) => Arc::new(m),
                Err(e) => {
                    state.data.manifest.set(Load::Failed(e));
                    return;
                }
            };
            // What the manifest had to leave out (a layer listed twice, a bad file name or
            // colour) is said; the rest works.
            if !manifest.warnings.is_empty() {
                state.ui.notices.update(|n| n.extend(manifest.warnings.iter().map(|w| format!("data/manifest.json: {w}"))));
            }
            state.view.visible.set(crate::state::default_visibility(&manifest));
            on_manifest(&manifest);
            state.data.manifest.set(Load::Ready(manifest.clone()));
            // The layers shown now are fetched now; the others when first shown or searched,
            // or all of them when the URL names a feature (it may be in any layer).
            let wanted_all = state.sel.selected.with_untracked(Option::is_some);
            let visible = state.view.visible.get_untracked();
            for info in manifest.layers.iter().filter(|l| wanted_all || visible.get(&l.id).copied().unwrap_or(false)) {
                state.ensure_layer(&info.id);
            }
        });
    }
}
