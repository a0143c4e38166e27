//! The drawn layers: one SVG group per (drawing pass, layer), keyed so that a layer that
//! loads, hides or changes adds or removes only its own groups; areas below lines below
//! points, each in layer order, so that no area hides a station or a line. Also the hatch
//! patterns of schematic areas, sized in screen pixels.

use std::sync::Arc;

use atlas_core::compare::shows;
use atlas_core::layer::{Geometry, Precision, Status};
use atlas_core::manifest::{LayerInfo, LayerKind, Manifest};
use atlas_core::prepared::{DrawnFeature, ReadyLayer};
use atlas_core::style::{hatch, paint};
use atlas_core::viewport::Viewport;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Load};

/// The hatch patterns of the plan layers for the resting view `drawn`.
pub fn hatches(state: AppState, drawn: RwSignal<Option<Viewport>>) -> impl IntoView {
    move || {
        let Load::Ready(m) = state.data.manifest.get() else { return Vec::new() };
        let Some(d) = drawn.get() else { return Vec::new() };
        let (size, line) = hatch::in_units(d.metres_per_px);
        let prefix = if state.view.is_right { "hatch-r-" } else { "hatch-" };
        m.layers
            .iter()
            .filter(|l| l.kind == LayerKind::Plan)
            .map(|l| {
                view! {
                    <pattern id=format!("{prefix}{}", l.id) patternUnits="userSpaceOnUse" width=size.clone() height=size.clone() patternTransform=hatch::TRANSFORM>
                        <rect width=size.clone() height=size.clone() fill=l.style.fill.clone() fill-opacity=hatch::FILL_OPACITY></rect>
                        <line x1="0" y1="0" x2="0" y2=size.clone() stroke=l.style.stroke.clone() stroke-width=line.clone()></line>
                    </pattern>
                }
            })
            .collect::<Vec<_>>()
    }
}

/// Move the `selected` class of this map's shapes from the feature selected before to the
/// one selected now (shapes drawn later take it when they are made).
fn mark_selection(state: AppState) {
    Effect::new(move |prev: Option<Option<String>>| {
        let now = state.sel.selected.get();
        let pane = if state.view.is_right { ".map-pane.right" } else { ".map-pane:not(.right)" };
        let mark = |id: &str, on: bool| {
            let selector = format!("{pane} .map-svg g.layer [data-feature-id={}]", atlas_core::safe::css_string(id));
            if let Ok(list) = document().query_selector_all(&selector) {
                for i in 0..list.length() {
                    if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                        let _ = if on { el.class_list().add_1("selected") } else { el.class_list().remove_1("selected") };
                    }
                }
            }
        };
        if let Some(Some(before)) = &prev {
            if now.as_ref() != Some(before) {
                mark(before, false);
            }
        }
        if let Some(id) = &now {
            mark(id, true);
        }
        now
    });
}

/// Every visible layer's groups.
pub fn groups_view(state: AppState, point_r: Memo<f64>) -> impl IntoView {
    mark_selection(state);
    let groups = move || {
        let Load::Ready(m) = state.data.manifest.get() else { return Vec::new() };
        let visible = state.view.visible.get();
        let statuses = state.view.statuses.get();
        let metro_2025 = state.view.metro_2025.get();
        let order = state.view.order.get();
        state.data.layers.with(|layers| {
            let shown: Vec<(LayerInfo, Arc<ReadyLayer>)> = m
                .ordered(&order)
                .into_iter()
                .filter(|info| visible.get(&info.id).copied().unwrap_or(false))
                .filter_map(|info| match layers.get(&info.id) {
                    Some(Load::Ready(r)) => Some((info.clone(), r.clone())),
                    _ => None,
                })
                .collect();
            // Areas below lines below points, each in layer order, so that no area hides a
            // station or a line (as most web maps draw).
            [Pass::Areas, Pass::Lines, Pass::Points]
                .into_iter()
                .flat_map(|pass| {
                    let (m, statuses) = (m.clone(), statuses.clone());
                    shown.iter().map(move |(info, r)| Group {
                        pass,
                        info: info.clone(),
                        layer: r.clone(),
                        manifest: m.clone(),
                        statuses: statuses.clone(),
                        metro_2025,
                    })
                })
                .collect::<Vec<_>>()
        })
    };

    view! {
        <For each=groups key=Group::key let:g>
            {layer_group(&g.manifest, &g.info, &g.layer, point_r, (&g.statuses, g.metro_2025), g.pass)}
        </For>
    }
}

/// Which geometries a drawing pass holds.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Pass {
    Areas,
    Lines,
    Points,
}

fn in_pass(g: &Geometry, pass: Pass) -> bool {
    matches!((g, pass), (Geometry::Polygons(_), Pass::Areas) | (Geometry::Lines(_), Pass::Lines) | (Geometry::Points(_), Pass::Points))
}

/// One drawn group: a layer's features of one pass, as filtered and named now.
#[derive(Clone)]
struct Group {
    pass: Pass,
    info: LayerInfo,
    layer: Arc<ReadyLayer>,
    manifest: Arc<Manifest>,
    statuses: Vec<Status>,
    metro_2025: bool,
}

impl Group {
    /// Same key, same DOM: the layer's data, its colour and the filter (the drawing holds no
    /// words, so switching the language redraws nothing). The manifest is loaded once; it
    /// changes only when a visitor adds, recolours or removes a layer of their own, which
    /// leaves the other layers' shapes untouched. A user layer ignores the status filter.
    fn key(&self) -> (u8, String, usize, Vec<Status>, bool, String) {
        let user = self.info.kind == LayerKind::User;
        (
            self.pass as u8,
            self.info.id.clone(),
            Arc::as_ptr(&self.layer) as usize,
            if user { Vec::new() } else { self.statuses.clone() },
            self.metro_2025 && !user,
            self.info.style.fill.clone(),
        )
    }
}

fn layer_group(
    m: &Manifest,
    info: &LayerInfo,
    layer: &Arc<ReadyLayer>,
    point_r: Memo<f64>,
    (statuses, metro_2025): (&[Status], bool),
    pass: Pass,
) -> impl IntoView + use<> {
    let state = AppState::get();
    if is_batched(info, layer) {
        return batched_group(info, layer, point_r, pass, state).into_any();
    }
    let features = layer
        .features
        .iter()
        .filter(|f| in_pass(&f.feature.geometry, pass))
        .filter(|f| info.kind != LayerKind::Plan || shows(&info.id, &f.feature.props, statuses, metro_2025))
        .map(|f| feature_view(m, info, f.clone(), point_r, state))
        .collect::<Vec<_>>();
    let id = info.id.clone();
    let opacity = move || state.view.opacity.with(|o| o.get(&id).copied().unwrap_or(1.0));
    view! {
        <g class="layer" data-layer-id=info.id.clone() class:interactive=info.interactive opacity=opacity>
            {features}
        </g>
    }
    .into_any()
}

/// A user layer with more features than this is drawn as joined paths (see [`batched_group`]).
pub const BATCH_FROM: usize = 3000;
/// Features per joined path, and joined paths added per frame.
pub const BATCH: usize = 500;
const BATCHES_PER_FRAME: usize = 4;

/// Whether the layer is drawn in joined paths.
pub fn is_batched(info: &LayerInfo, layer: &ReadyLayer) -> bool {
    info.kind == LayerKind::User && layer.features.len() > BATCH_FROM
}

/// The features of joined path `key` (`layer:pass:index`, its `data-batch`), topmost last.
pub fn batch_features(state: AppState, key: &str) -> Vec<Arc<DrawnFeature>> {
    let mut parts = key.rsplitn(3, ':');
    let (Some(i), Some(pass), Some(layer)) = (parts.next(), parts.next(), parts.next()) else { return Vec::new() };
    let (Ok(i), Ok(pass)) = (i.parse::<usize>(), pass.parse::<u8>()) else { return Vec::new() };
    let pass = match pass {
        0 => Pass::Areas,
        1 => Pass::Lines,
        _ => Pass::Points,
    };
    state.data.layers.with_untracked(|l| match l.get(layer) {
        Some(Load::Ready(r)) => {
            r.features.iter().filter(|f| in_pass(&f.feature.geometry, pass)).skip(i * BATCH).take(BATCH).cloned().collect()
        }
        _ => Vec::new(),
    })
}

/// A large user layer (a file of many thousand shapes): each run of [`BATCH`] features of a
/// pass is one path (areas and lines: their paths joined; points: dots), so the page holds a
/// few hundred elements, not hundreds of thousands; the paths are added a few per frame, so
/// the page keeps answering while they appear. A tap is resolved to its feature by geometry
/// (`gestures`), and the selected feature is drawn over them (`selection_overlay`).
fn batched_group(info: &LayerInfo, layer: &Arc<ReadyLayer>, point_r: Memo<f64>, pass: Pass, state: AppState) -> impl IntoView + use<> {
    let mut runs: Vec<Vec<Arc<DrawnFeature>>> = Vec::new();
    for f in layer.features.iter().filter(|f| in_pass(&f.feature.geometry, pass)) {
        match runs.last_mut() {
            Some(run) if run.len() < BATCH => run.push(f.clone()),
            _ => runs.push(vec![f.clone()]),
        }
    }
    let batches = Arc::new(runs);
    let total = batches.len();
    let shown = RwSignal::new(0usize);
    fn grow(shown: RwSignal<usize>, total: usize) {
        let more = shown.try_update(|s| {
            *s = (*s + BATCHES_PER_FRAME).min(total);
            *s < total
        });
        if more == Some(true) {
            request_animation_frame(move || grow(shown, total));
        }
    }
    if total > 0 {
        request_animation_frame(move || grow(shown, total));
    }
    let id = info.id.clone();
    let (fill, stroke, fill_opacity, width) =
        (info.style.fill.clone(), info.style.stroke.clone(), info.style.fill_opacity, info.style.stroke_width);
    let opacity_id = id.clone();
    let opacity = move || state.view.opacity.with(|o| o.get(&opacity_id).copied().unwrap_or(1.0));
    let each = move || 0..shown.get();
    let batch = move |i: usize| {
        let run = &batches[i];
        let key = format!("{id}:{}:{i}", pass as u8);
        match pass {
            Pass::Points => {
                let pts: Vec<(f64, f64)> = run.iter().flat_map(|f| f.points.iter().copied()).collect();
                view! {
                    <path class="batch points" data-batch=key d=atlas_core::svg::dots_path(&pts) fill="none" stroke=fill.clone()
                        stroke-width=move || 2.0 * point_r.get() stroke-linecap="round"></path>
                }
                .into_any()
            }
            _ => {
                let d: String = run.iter().filter_map(|f| f.path.as_deref()).collect();
                let area = pass == Pass::Areas;
                view! {
                    <path class="batch" data-batch=key d=d fill=if area { fill.clone() } else { "none".into() } fill-opacity=fill_opacity
                        fill-rule="evenodd" stroke=stroke.clone() stroke-width=width vector-effect="non-scaling-stroke"></path>
                }
                .into_any()
            }
        }
    };
    view! {
        <g class="layer batched" data-layer-id=info.id.clone() class:interactive=info.interactive opacity=opacity data-batches=total>
            <For each=each key=|i| *i let:i>{batch(i)}</For>
        </g>
    }
}

/// The selected feature of a batched layer, drawn over the joined paths (which cannot mark
/// one feature of theirs).
pub fn selection_overlay(state: AppState, point_r: Memo<f64>) -> impl IntoView {
    move || {
        let id = state.sel.selected.get()?;
        let f = state.feature(&id)?;
        let info = state.layer_info(&f.layer_id)?;
        let batched = state.data.layers.with(|l| matches!(l.get(&info.id), Some(Load::Ready(r)) if is_batched(&info, r)));
        if !batched || !state.view.visible.with(|v| v.get(&info.id).copied().unwrap_or(false)) {
            return None;
        }
        let colour = info.style.stroke.clone();
        Some(match (&f.path, f.points.is_empty()) {
            (Some(d), _) => view! {
                <path class="feature selected overlay" data-selected-id=id d=d.clone() fill=colour fill-opacity="0.35" fill-rule="evenodd"
                    vector-effect="non-scaling-stroke" pointer-events="none"></path>
            }
            .into_any(),
            _ => view! {
                <path class="feature selected overlay points" data-selected-id=id d=atlas_core::svg::dots_path(&f.points) fill="none" stroke="#d7263d"
                    stroke-width=move || 3.0 * point_r.get() stroke-linecap="round" pointer-events="none"></path>
            }
            .into_any(),
        })
    }
}

fn feature_view(m: &Manifest, info: &LayerInfo, f: Arc<DrawnFeature>, point_r: Memo<f64>, state: AppState) -> AnyView {
    let mut p = paint(m, info, &f.feature);
    // Each map has its own patterns (ids are unique on the page).
    if state.view.is_right {
        p.fill = p.fill.replace("url(#hatch-", "url(#hatch-r-");
    }
    let id = f.feature.id.clone();
    let props = &f.feature.props;
    let schematic = props.precision == Precision::Schematic;
    // Selected when drawn; later changes are marked by `mark_selection` (one effect per map,
    // not one per shape: a layer of 100,000 shapes would otherwise run 100,000 closures on
    // every selection).
    let selected = state.sel.selected.with_untracked(|s| s.as_deref() == Some(id.as_str()));
    let class = format!("feature {} {}{}", props.status.as_str(), props.precision.as_str(), if selected { " selected" } else { "" });
    match (&f.path, f.points.is_empty()) {
        (Some(d), _) => view! {
            <path
                d=d.clone()
                class=class
                class:schematic=schematic
                data-feature-id=id
                fill=p.fill
                fill-opacity=p.fill_opacity
                fill-rule="evenodd"
                stroke=p.stroke
                stroke-opacity=p.stroke_opacity
                stroke-width=p.stroke_width
                stroke-dasharray=p.dash
                vector-effect="non-scaling-stroke"
            ></path>
        }
        .into_any(),
        (None, false) => {
            let circles = f
                .points
                .iter()
                // The radius follows the zoom through the map's `--point-r` (one style change
                // per zoom, not one attribute per point); the attribute is its size when made.
                .map(|&(x, y)| view! { <circle cx=x cy=y r=point_r.get_untracked() vector-effect="non-scaling-stroke"></circle> })
                .collect::<Vec<_>>();
            view! {
                <g
                    class=class
                    class:schematic=schematic
                    data-feature-id=id
                    fill=p.fill
                    fill-opacity=p.fill_opacity
                    stroke=p.stroke
                    stroke-opacity=p.stroke_opacity
                    stroke-width="1.5"
                    stroke-dasharray=p.dash
                >
                    {circles}
                </g>
            }
            .into_any()
        }
        (None, true) => ().into_any(),
    }
}
