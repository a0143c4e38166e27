//! Names on the map: placed for the resting view by `atlas_core::labels` so that none
//! overlaps another or a point symbol; a selected feature is always named.

use std::sync::Arc;

use atlas_core::coord::Mercator;
use atlas_core::labels::{place, short_name, Candidate, Rect, Style as LabelStyle};
use atlas_core::layer::Status;
use atlas_core::manifest::{LayerKind, Manifest};
use atlas_core::prepared::ReadyLayer;
use atlas_core::style::point_radius_px;
use atlas_core::svg::UNITS_PER_METRE;
use atlas_core::viewport::Viewport;
use leptos::prelude::*;

use crate::state::{AppState, Lang, Load};

/// The labels of the resting view `drawn`, as SVG text.
pub fn labels_view(state: AppState, drawn: RwSignal<Option<Viewport>>) -> impl IntoView {
    let labels = Memo::new(move |_| {
        let Some(d) = drawn.get() else { return Vec::new() };
        let Load::Ready(m) = state.data.manifest.get() else { return Vec::new() };
        let visible = state.view.visible.get();
        let filter = (state.view.statuses.get(), state.view.metro_2025.get());
        let lang = state.ui.lang.get();
        let selected = state.sel.selected.get();
        // Placed for the visible view only, so that no name is cut by the map's edge.
        state.data.layers.with(|layers| label_layout(&m, layers, &visible, (&filter.0, filter.1), lang, selected.as_deref(), &d))
    });
    move || {
        let Some(d) = drawn.get() else { return Vec::new() };
        let k = d.metres_per_px * UNITS_PER_METRE;
        let (font, halo) = (format!("{:.4}", 12.0 * k), format!("{:.4}", 3.0 * k));
        labels
            .get()
            .into_iter()
            .map(|l| {
                view! {
                    <text
                        x=format!("{:.4}", l.x)
                        y=format!("{:.4}", l.y)
                        font-size=font.clone()
                        stroke-width=halo.clone()
                        text-anchor=l.align
                        dominant-baseline="central"
                        data-label-for=l.id
                        class:selected=l.selected
                    >
                        {l.text}
                    </text>
                }
            })
            .collect::<Vec<_>>()
    }
}

/// A placed label, in drawing units.
#[derive(Clone, PartialEq)]
struct LabelView {
    id: String,
    text: String,
    x: f64,
    y: f64,
    align: &'static str,
    selected: bool,
}

/// Candidates from every visible labelled layer (a selected feature first), avoiding the
/// point symbols of all visible layers, laid out for `area` (the resting view).
/// Layers with more features than this are no obstacles to names (see `label_layout`).
const OBSTACLE_LAYER_MAX: usize = 5000;

fn label_layout(
    m: &Manifest,
    layers: &std::collections::BTreeMap<String, Load<Arc<ReadyLayer>>>,
    visible: &std::collections::BTreeMap<String, bool>,
    (statuses, metro_2025): (&[Status], bool),
    lang: Lang,
    selected: Option<&str>,
    area: &Viewport,
) -> Vec<LabelView> {
    let sym = point_radius_px(area.metres_per_px);
    let bounds = area.bounds();
    let mut cands = Vec::new();
    let mut ids = Vec::new();
    let mut obstacles = Vec::new();
    for info in m.layers.iter().filter(|l| visible.get(&l.id).copied().unwrap_or(false)) {
        let Some(Load::Ready(r)) = layers.get(&info.id) else { continue };
        // Names keep clear of the point symbols of ordinary layers; a layer of many thousand
        // points (a visitor's file) covers the map, and placing around each would cost more
        // than it shows.
        let avoid = r.features.len() <= OBSTACLE_LAYER_MAX;
        if !avoid && info.label_priority.is_none() {
            continue;
        }
        for f in r
            .features
            .iter()
            .filter(|f| info.kind != LayerKind::Plan || atlas_core::compare::shows(&info.id, &f.feature.props, statuses, metro_2025))
        {
            for &(x, y) in f.points.iter().filter(|_| avoid) {
                let at = Mercator { x: x / UNITS_PER_METRE, y: -y / UNITS_PER_METRE };
                if at.x >= bounds.min.x && at.x <= bounds.max.x && at.y >= bounds.min.y && at.y <= bounds.max.y {
                    obstacles.push(Rect::around(area.to_screen(at), sym, sym));
                }
            }
            let (Some(priority), Some(anchor)) = (info.label_priority, f.anchor) else { continue };
            let p = &f.feature.props;
            let name = if lang == Lang::Zh { &p.name_zh } else { &p.name_en };
            let is_selected = selected == Some(f.feature.id.as_str());
            cands.push(Candidate {
                text: short_name(name).to_string(),
                anchor,
                priority: if is_selected { 1e9 } else { priority },
                symbol_px: sym,
                required: is_selected,
            });
            ids.push((f.feature.id.clone(), is_selected));
        }
    }
    place(&cands, area, &obstacles, LabelStyle::default())
        .into_iter()
        .map(|pl| LabelView {
            id: ids[pl.index].0.clone(),
            text: cands[pl.index].text.clone(),
            x: pl.at.x * UNITS_PER_METRE,
            y: -pl.at.y * UNITS_PER_METRE,
            align: pl.align.as_svg(),
            selected: ids[pl.index].1,
        })
        .collect()
}
