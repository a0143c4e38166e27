//! Your own layer: a GeoJSON file picked or dropped on the page is read here, a slice at a
//! time (`atlas_core::import`), prepared a slice at a time, and added as a layer of kind
//! `user`: drawn, listed, searchable, usable in a comparison, removable. It never leaves the
//! browser and is gone when the page is closed; links and the URL never name it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atlas_core::coord::LonLat;
use atlas_core::import::{gcj02_shift_m, looks_gcj02, Importer, MAX_BYTES};
use atlas_core::layer::Geometry;
use atlas_core::manifest::{LayerInfo, LayerKind, Style};
use atlas_core::prepared::{assemble, prepare_feature, DrawnFeature, ReadyLayer};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::{now_ms, AppState, Lang, Load};

/// Bytes read from the file per slice, and fed to the reader per step.
const SLICE: f64 = 1024.0 * 1024.0;
const STEP: usize = 64 * 1024;
/// Work done between two frames, in ms (a frame is 16 ms).
const BUDGET_MS: f64 = 8.0;
/// Colours of user layers, in turn (apart from the plan layers' greens, blues and oranges).
const COLOURS: [&str; 5] = ["#d6246e", "#6a3d9a", "#b15928", "#1f78b4", "#33a02c"];

static NEXT: AtomicUsize = AtomicUsize::new(1);

/// A file being read: its name, the share done (0–1) and the phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub run: usize,
    pub name: String,
    pub done: f64,
    pub drawing: bool,
    pub features: usize,
}

/// What the page keeps about a user layer besides its features.
#[derive(Debug, Clone, PartialEq)]
pub struct UserLayer {
    pub file: String,
    /// The file says or looks like GCJ-02: the warning shown with the layer.
    pub gcj02_hint: Option<String>,
    /// Its positions were converted from GCJ-02 to WGS84 by the user.
    pub converted: bool,
}

/// Change this run's progress (nothing if it was cancelled or replaced).
fn report(progress: RwSignal<Option<Progress>>, run: usize, f: impl FnOnce(&mut Progress)) {
    progress.update(|p| {
        if let Some(p) = p.as_mut().filter(|p| p.run == run) {
            f(p);
        }
    });
}

/// Prepare `features` (of `total`) for drawing, a slice at a time, the progress going from
/// `from` to 1; `None` when the run was cancelled meanwhile.
async fn prepare_in_slices(
    info: &LayerInfo,
    features: impl Iterator<Item = atlas_core::layer::Feature>,
    total: usize,
    (progress, run, from): (RwSignal<Option<Progress>>, usize, f64),
) -> Option<Vec<Arc<DrawnFeature>>> {
    let mut drawn = Vec::with_capacity(total);
    let mut t0 = now_ms();
    for (i, f) in features.enumerate() {
        drawn.push(Arc::new(prepare_feature(info, f)));
        if now_ms() - t0 > BUDGET_MS {
            report(progress, run, |p| p.done = from + (1.0 - from) * i as f64 / total.max(1) as f64);
            next_frame().await;
            if !progress.with_untracked(|p| p.as_ref().is_some_and(|p| p.run == run)) {
                return None;
            }
            t0 = now_ms();
        }
    }
    Some(drawn)
}

/// Let the page draw a frame before going on.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn say(state: AppState, zh: &str, en: &str, detail: &str) {
    let l = state.ui.lang.get_untracked();
    state.ui.notices.update(|n| n.push(format!("{}{detail}", l.t(zh, en))));
}

/// Read `file` and add it as a layer of the map in scope (the left or right side).
pub fn start(state: AppState, file: web_sys::File) {
    let name = atlas_core::safe::clip(&file.name(), 80);
    let size = file.size();
    if size > MAX_BYTES as f64 {
        say(
            state,
            &format!("“{name}”太大：最大{} MB，此文件", MAX_BYTES / 1024 / 1024),
            &format!("“{name}” is too large: the limit is {} MB; this file is ", MAX_BYTES / 1024 / 1024),
            &format!("{:.0} MB", size / 1024.0 / 1024.0),
        );
        return;
    }
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let run = n;
    let progress = state.ui.import;
    progress.set(Some(Progress { run, name: name.clone(), done: 0.0, drawing: false, features: 0 }));
    let alive = move || progress.with_untracked(|p| p.as_ref().is_some_and(|p| p.run == run));
    spawn_local(async move {
        let id = format!("mine-{n}");
        let mut reader = Importer::new(&id);
        let mut offset = 0.0;
        let mut t0 = now_ms();
        while offset < size && reader.broken().is_none() {
            let end = (offset + SLICE).min(size);
            let bytes = match read_slice(&file, offset, end).await {
                Ok(b) => b,
                Err(e) => {
                    progress.set(None);
                    return say(state, &format!("无法读取“{name}”："), &format!("Could not read “{name}”: "), &e);
                }
            };
            for piece in bytes.chunks(STEP) {
                reader.push(piece);
                if now_ms() - t0 > BUDGET_MS {
                    let done = reader.bytes_read() as f64 / size.max(1.0);
                    let features = reader.features_read();
                    report(progress, run, |p| (p.done, p.features) = (done * 0.8, features));
                    next_frame().await;
                    if !alive() {
                        return;
                    }
                    t0 = now_ms();
                }
            }
            offset = end;
        }
        let read = reader.finish();
        if read.features.is_empty() {
            progress.set(None);
            let why = read
                .broken
                .as_ref()
                .map(|e| e.to_string())
                .or_else(|| read.skipped.first().map(|d| d.to_string()))
                .or_else(|| read.warnings.first().cloned())
                .unwrap_or_else(|| "the file holds no features".into());
            return say(state, &format!("“{name}”没有可显示的要素："), &format!("“{name}” has no features to show: "), &why);
        }
        let colour = COLOURS[(n - 1) % COLOURS.len()];
        let info = layer_info(&id, &name, colour, state.view.is_right);
        let total = read.features.len();
        report(progress, run, |p| (p.done, p.drawing, p.features) = (0.8, true, total));
        let Some(drawn) = prepare_in_slices(&info, read.features.into_iter(), total, (progress, run, 0.8)).await else { return };
        let mut warnings = Vec::new();
        if let Some(e) = &read.broken {
            warnings.push(format!("{e}; the {total} features before it were read"));
        }
        warnings.extend(read.warnings.iter().cloned());
        warnings.extend(read.skipped.iter().map(|d| d.to_string()));
        if read.skipped_count > read.skipped.len() {
            warnings.push(format!("{} more features skipped", read.skipped_count - read.skipped.len()));
        }
        let gcj02_hint = gcj02_hint(state, &drawn, read.declares_gcj02).await;
        let layer = assemble(drawn, warnings);
        if !alive() {
            return;
        }
        progress.set(None);
        add(state, info, layer, UserLayer { file: name.clone(), gcj02_hint, converted: false });
        let l = state.ui.lang.get_untracked();
        let skipped = read.skipped_count;
        state.ui.import_report.set(Some(match l {
            Lang::Zh => format!(
                "已加入“{name}”：{total}个要素{}。",
                if skipped > 0 { format!("，{skipped}个未能读取（原因见图层列表）") } else { String::new() }
            ),
            Lang::En => format!(
                "Added “{name}”: {total} feature{}{}.",
                if total == 1 { "" } else { "s" },
                if skipped > 0 { format!("; {skipped} could not be read (the layer list says why)") } else { String::new() }
            ),
        }));
    });
}

async fn read_slice(file: &web_sys::File, from: f64, to: f64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(from, to).map_err(|e| format!("{e:?}"))?;
    let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// A warning when the layer says it is GCJ-02, or its points sit where known stations would
/// be if they were GCJ-02, with the shift at the layer's first position.
async fn gcj02_hint(state: AppState, drawn: &[Arc<DrawnFeature>], declared: bool) -> Option<String> {
    let points: Vec<LonLat> = drawn
        .iter()
        .filter_map(|f| match &f.feature.geometry {
            Geometry::Points(p) => Some(p.iter().copied()),
            _ => None,
        })
        .flatten()
        .take(2000)
        .collect();
    let reference = match state.ui.stations_2025.get_untracked() {
        Some(r) => r,
        None if !points.is_empty() && !declared => {
            let text = crate::loader::fetch_text("data/metro-2025.json").await.ok()?;
            let r = atlas_core::figures::parse_reference_stations(&text).ok()?;
            Arc::new(r.iter().map(|(p, _)| *p).collect())
        }
        None => Arc::new(Vec::new()),
    };
    let evidence = if declared { None } else { Some(looks_gcj02(&points, &reference)?) };
    let at = drawn.iter().find_map(|f| f.feature.geometry.positions().next())?;
    let (east, north) = gcj02_shift_m(at);
    let why = match evidence {
        None => "the file names GCJ-02 as its coordinate system".to_string(),
        Some((m, near)) => format!("{m} of its {near} points near metro stations sit where those stations are in GCJ-02"),
    };
    Some(format!(
        "These positions look like GCJ-02 (the shifted datum of Chinese web maps), not WGS84: {why}. GCJ-02 here lies about {east:.0} m east and {north:.0} m north of WGS84; use “Convert from GCJ-02” to draw them in place."
    ))
}

fn layer_info(id: &str, name: &str, colour: &str, right: bool) -> LayerInfo {
    LayerInfo {
        id: id.to_string(),
        kind: LayerKind::User,
        group: "mine".into(),
        group_zh: "你的图层（只在本浏览器中）".into(),
        group_en: "Your layers (only in this browser)".into(),
        title_zh: name.to_string(),
        title_en: name.to_string(),
        description_zh: format!("你加入的文件{}，不属于规划，不上传，关闭页面即消失。", if right { "（右侧地图）" } else { "" }),
        description_en: "A file you added: not part of the plans, never uploaded, gone when the page closes.".into(),
        file: String::new(),
        visible: false,
        order: i32::MAX,
        style: Style { fill: colour.to_string(), stroke: colour.to_string(), fill_opacity: 0.35, stroke_width: 1.5 },
        interactive: true,
        attribution: String::new(),
        choropleth: None,
        label_priority: None,
    }
}

/// Put the layer on the page: in the layer list (of every map), drawn on this map, framed.
fn add(state: AppState, info: LayerInfo, layer: ReadyLayer, meta: UserLayer) {
    let id = info.id.clone();
    state.data.user.update(|u| {
        u.insert(id.clone(), meta);
    });
    state.data.layers.update(|l| {
        l.insert(id.clone(), Load::Ready(Arc::new(layer)));
    });
    state.data.manifest.update(|m| {
        if let Load::Ready(m) = m {
            Arc::make_mut(m).layers.push(info);
        }
    });
    state.view.visible.update(|v| {
        v.insert(id.clone(), true);
    });
    state.fly_to_layer(&id);
}

/// Take a user layer off the page.
pub fn remove(state: AppState, id: &str) {
    if state.sel.selected.with_untracked(|s| s.as_deref().is_some_and(|s| s.starts_with(&format!("{id}/")))) {
        state.select(None, false);
    }
    for view in [state.view, state.cmp.right] {
        view.visible.update(|v| {
            v.remove(id);
        });
        view.order.update(|o| o.retain(|x| x != id));
        view.opacity.update(|o| {
            o.remove(id);
        });
    }
    state.data.manifest.update(|m| {
        if let Load::Ready(m) = m {
            Arc::make_mut(m).layers.retain(|l| l.id != id);
        }
    });
    state.data.layers.update(|l| {
        l.remove(id);
    });
    state.data.user.update(|u| {
        u.remove(id);
    });
}

/// Convert a user layer's positions from GCJ-02 to WGS84, or back: a slice at a time, with
/// the progress shown as for reading a file.
pub fn toggle_gcj02(state: AppState, id: &str) {
    let Some(info) = state.layer_info(id) else { return };
    let Some(converted) = state.data.user.with_untracked(|u| u.get(id).map(|m| m.converted)) else { return };
    let Some(Load::Ready(old)) = state.data.layers.with_untracked(|l| l.get(id).cloned()) else { return };
    let shift: fn(LonLat) -> LonLat = if converted { atlas_core::datum::wgs84_to_gcj02 } else { atlas_core::datum::gcj02_to_wgs84 };
    let run = NEXT.fetch_add(1, Ordering::Relaxed);
    let progress = state.ui.import;
    let total = old.features.len();
    progress.set(Some(Progress { run, name: info.title_en.clone(), done: 0.0, drawing: true, features: total }));
    let id = id.to_string();
    spawn_local(async move {
        let moved = old.features.iter().map(|f| {
            let mut feature = (*f.feature).clone();
            feature.geometry = feature.geometry.map_positions(shift);
            feature
        });
        let Some(features) = prepare_in_slices(&info, moved, total, (progress, run, 0.0)).await else { return };
        progress.set(None);
        let warnings = old.warnings.clone();
        state.data.layers.update(|l| {
            l.insert(id.clone(), Load::Ready(Arc::new(assemble(features, warnings))));
        });
        state.data.user.update(|u| {
            if let Some(m) = u.get_mut(&id) {
                m.converted = !converted;
            }
        });
    });
}

/// Give a user layer another colour (from the colour picker: `#rrggbb`).
pub fn recolour(state: AppState, id: &str, colour: &str) {
    if atlas_core::safe::colour(colour).is_err() {
        return;
    }
    state.data.manifest.update(|m| {
        if let Load::Ready(m) = m {
            if let Some(l) = Arc::make_mut(m).layers.iter_mut().find(|l| l.id == id) {
                l.style.fill = colour.to_string();
                l.style.stroke = colour.to_string();
            }
        }
    });
}

/// The "add your own file" control of the layer list, with its progress and last result.
#[component]
pub fn ImportControl() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let on_change = move |ev: web_sys::Event| {
        let el = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(f) = el.files().and_then(|f| f.get(0)) {
            start(state, f);
        }
        el.set_value("");
    };
    let progress = move || {
        let p = state.ui.import.get()?;
        let l = lang.get();
        let what = if p.drawing { l.t("正在准备绘制", "Preparing to draw") } else { l.t("正在读取", "Reading") };
        let pct = (p.done * 100.0).round();
        Some(view! {
            <div class="import-progress" role="status">
                <progress max="100" value=pct aria-label=format!("{what} {}", p.name)></progress>
                <span>{format!("{what} “{}”：{pct:.0}%（{} {}）", p.name, p.features, l.t("个要素", "features"))}</span>
                <button type="button" class="cancel" on:click=move |_| state.ui.import.set(None)>{l.t("取消", "Cancel")}</button>
            </div>
        })
    };
    view! {
        <div class="import">
            <input
                node_ref=input
                type="file"
                class="sr-only"
                tabindex="-1"
                aria-hidden="true"
                accept=".geojson,.json,application/geo+json,application/json"
                on:change=on_change
            />
            <button type="button" class="import-button" on:click=move |_| {
                if let Some(i) = input.get_untracked() {
                    i.click();
                }
            }>{move || lang.get().t("加入自己的GeoJSON文件…", "Add your own GeoJSON file…")}</button>
            <p class="legend-note">{move || lang.get().t(
                "只在本浏览器中读取，不上传，关闭页面即消失；最大100 MB；也可以把文件拖到页面上。",
                "Read only in this browser, never uploaded, gone when the page closes; up to 100 MB. You can also drop the file on the page.",
            )}</p>
            {progress}
            {move || state.ui.import_report.get().map(|r| view! { <p class="import-report" role="status">{r}</p> })}
        </div>
    }
}

/// A file dropped anywhere on the page is added as a layer of the left (or only) map; while a
/// file is dragged over the page, a notice says so.
pub fn use_drop(state: AppState) {
    let w: web_sys::EventTarget = window().into();
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer().is_some_and(|d| {
            let types = d.types();
            (0..types.length()).any(|i| types.get(i).as_string().as_deref() == Some("Files"))
        })
    };
    crate::dom::listen(&w, "dragover", false, move |ev: web_sys::DragEvent| {
        if has_files(&ev) {
            ev.prevent_default();
            if let Some(d) = ev.data_transfer() {
                d.set_drop_effect("copy");
            }
            if !state.ui.dropping.get_untracked() {
                state.ui.dropping.set(true);
            }
        }
    });
    crate::dom::listen(&w, "dragleave", true, move |ev: web_sys::DragEvent| {
        // Leaving the window (not moving between elements) has no related target.
        if ev.related_target().is_none() {
            state.ui.dropping.set(false);
        }
    });
    crate::dom::listen(&w, "drop", false, move |ev: web_sys::DragEvent| {
        state.ui.dropping.set(false);
        let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
        ev.prevent_default();
        start(state, file);
    });
}

/// The notice shown while a file is dragged over the page.
#[component]
pub fn DropNotice() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    view! {
        <Show when=move || state.ui.dropping.get()>
            <div class="drop-notice" role="status">
                {move || lang.get().t("松开即可把文件加入为图层（只在本浏览器中）", "Drop the file to add it as a layer (only in this browser)")}
            </div>
        </Show>
    }
}

/// Whether a feature id belongs to a user layer (such ids never go into a link).
pub fn is_user_feature(state: AppState, id: &str) -> bool {
    id.split_once('/').is_some_and(|(layer, _)| state.data.user.with_untracked(|u| u.contains_key(layer)))
}
