//! The measure tool: tap the map (or press Enter for the point under the crosshair) to add
//! points; the path's geodesic length and, from three points, the enclosed area are shown as
//! `atlas_core::geodesy` computes them on the WGS84 ellipsoid (never in Web Mercator units).

use atlas_core::coord::LonLat;
use atlas_core::geodesy::{format_area, format_length, path_length_m, ring_area_m2};
use atlas_core::projection::unproject;
use atlas_core::svg::{to_drawing, UNITS_PER_METRE};
use atlas_core::viewport::{ScreenPx, Viewport};
use leptos::prelude::*;

use crate::state::AppState;

/// Add the point at screen position `at` of the map to the measurement, when measuring.
pub fn add_at(state: AppState, at: ScreenPx) -> bool {
    if state.ui.measure.with_untracked(Option::is_none) {
        return false;
    }
    if let Some(v) = state.view.viewport.get_untracked() {
        let p = unproject(v.to_map(at));
        state.ui.measure.update(|m| {
            if let Some(m) = m {
                m.push(p);
            }
        });
    }
    true
}

/// Remove the last point.
pub fn undo(state: AppState) {
    state.ui.measure.update(|m| {
        if let Some(m) = m {
            m.pop();
        }
    });
}

/// The measured path in the drawing, for the resting view `drawn`.
pub fn measure_view(state: AppState, drawn: RwSignal<Option<Viewport>>) -> impl IntoView {
    move || {
        let pts = state.ui.measure.get()?;
        let d = drawn.get()?;
        let xy: Vec<(f64, f64)> = pts.iter().map(|p| to_drawing(*p)).collect();
        let mut line = String::new();
        for (i, (x, y)) in xy.iter().enumerate() {
            line.push_str(&format!("{}{x:.2},{y:.2}", if i == 0 { 'M' } else { 'L' }));
        }
        let area = (xy.len() >= 3).then(|| format!("{line}Z"));
        let r = 4.0 * d.metres_per_px * UNITS_PER_METRE;
        Some(view! {
            <g class="measure" aria-hidden="true" data-points=pts.len().to_string()>
                {area.map(|a| view! { <path d=a fill="#d7263d" fill-opacity="0.12" stroke="none"></path> })}
                <path d=line fill="none" stroke="#d7263d" stroke-width="2.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke"></path>
                {xy.into_iter().map(|(x, y)| view! {
                    <circle cx=format!("{x:.2}") cy=format!("{y:.2}") r=format!("{r:.3}") fill="#fff" stroke="#d7263d" stroke-width="2" vector-effect="non-scaling-stroke"></circle>
                }).collect::<Vec<_>>()}
            </g>
        })
    }
}

/// The measure panel with the figures, and the crosshair for keyboard use.
pub fn measure_panel(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    move || {
        let pts: Vec<LonLat> = state.ui.measure.get()?;
        let l = lang.get();
        let length = path_length_m(&pts);
        let area = (pts.len() >= 3).then(|| ring_area_m2(&pts));
        let figures = match (pts.len(), area) {
            (0 | 1, _) => l.t("点击地图添加测量点。", "Tap the map to add points.").to_string(),
            (_, None) => format!("{}{}", l.t("距离：", "Distance: "), format_length(length)),
            (_, Some(a)) => format!(
                "{}{} · {}{} · {}{}",
                l.t("距离：", "Distance: "),
                format_length(length),
                l.t("闭合周长：", "Closed perimeter: "),
                format_length(length + atlas_core::geodesy::distance_m(pts[pts.len() - 1], pts[0])),
                l.t("面积：", "Area: "),
                format_area(a)
            ),
        };
        Some(view! {
            <div class="measure-crosshair" aria-hidden="true"></div>
            <div class="measure-panel" role="group" aria-label=l.t("测量", "Measure")>
                <p class="measure-figures" role="status" aria-live="polite" data-testid="measure-figures">{figures}</p>
                <p class="measure-method">
                    {l.t(
                        "WGS84椭球面上的大地线距离（Vincenty公式）与面积（等积球面）；不是网络墨卡托投影下的长度。点击或按Enter在十字处加点，Backspace撤销，Esc结束。",
                        "Geodesic on the WGS84 ellipsoid (Vincenty's formula; areas on the equal-area sphere), not Web Mercator lengths. Tap, or press Enter for the crosshair; Backspace undoes; Escape ends.",
                    )}
                </p>
                <button on:click=move |_| undo(state) disabled=pts.is_empty()>{l.t("撤销", "Undo")}</button>
                <button on:click=move |_| state.ui.measure.set(Some(Vec::new())) disabled=pts.is_empty()>{l.t("清除", "Clear")}</button>
                <button class="measure-close" on:click=move |_| state.ui.measure.set(None)>{l.t("结束测量", "End measuring")}</button>
            </div>
        })
    }
}
