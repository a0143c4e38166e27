//! The map's buttons (zoom in, zoom out, all of Tianjin) and its scale bar.

use atlas_core::viewport::ScreenPx;
use leptos::prelude::*;

use crate::state::AppState;

/// Zoom in, zoom out and show all of Tianjin (plain functions, not components: no props,
/// and less wasm).
pub fn zoom_controls(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let zoom = move |factor: f64| {
        state.view.viewport.update(|v| {
            if let Some(v) = v {
                *v = v.zoom_at(ScreenPx { x: v.width / 2.0, y: v.height / 2.0 }, factor);
            }
        })
    };
    view! {
        <div class="map-controls">
            <button on:click=move |_| zoom(1.6) aria-label=move || lang.get().t("放大", "Zoom in")>"+"</button>
            <button on:click=move |_| zoom(1.0 / 1.6) aria-label=move || lang.get().t("缩小", "Zoom out")>"−"</button>
            <button on:click=move |_| state.fly_to_all() aria-label=move || lang.get().t("显示全市", "Show all of Tianjin")>"⤢"</button>
            <button
                class="measure-toggle"
                aria-pressed=move || state.ui.measure.with(Option::is_some).to_string()
                on:click=move |_| state.ui.measure.update(|m| *m = if m.is_some() { None } else { Some(Vec::new()) })
                aria-label=move || lang.get().t("测量距离和面积（大地线）", "Measure distance and area (geodesic)")
                title=move || lang.get().t("测量", "Measure")
            >
                <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
                    <path d="M2 14 14 2l4 4L6 18Z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"></path>
                    <path d="M5.5 10.5l2 2M8.5 7.5l2 2M11.5 4.5l2 2" stroke="currentColor" stroke-width="1.4"></path>
                </svg>
            </button>
            <button
                class="compare-toggle"
                aria-pressed=move || state.cmp.on().to_string()
                on:click=move |_| {
                    if state.cmp.on() {
                        super::compare::close_compare(state)
                    } else {
                        super::compare::open_compare(state, atlas_core::compare::CompareMode::Swipe)
                    }
                }
                aria-label=move || lang.get().t("对比两张地图（卷帘或并排）", "Compare two maps (swipe or side by side)")
                title=move || lang.get().t("对比", "Compare")
            >
                "◧"
            </button>
            <button
                class="present-toggle"
                aria-pressed=move || state.ui.present.get().to_string()
                on:click=move |_| state.ui.present.update(|p| *p = !*p)
                aria-label=move || lang.get().t("演示模式（P键；Esc退出）", "Presentation mode (P; Escape leaves it)")
                title=move || lang.get().t("演示模式", "Presentation mode")
            >
                "▣"
            </button>
            <button
                class="export-png"
                on:click=move |_| crate::export_png::export_png(state)
                aria-label=move || lang.get().t("导出当前地图为PNG（含图例、比例尺、署名）", "Export this view as a PNG (with legend, scale bar and attribution)")
                title=move || lang.get().t("导出PNG", "Export PNG")
            >
                "⤓"
            </button>
        </div>
    }
}

/// A scale bar of a round length, about 110 px long.
pub fn scale_bar(state: AppState) -> impl IntoView {
    move || {
        let l = state.ui.lang.get();
        state.view.viewport.get().and_then(|v| atlas_core::scale::scale_bar(&v, 110.0)).map(|s| {
            let aria = format!("{}{}", l.t("比例尺：", "Scale: "), s.label);
            view! {
                <div class="scale-bar" role="img" aria-label=aria>
                    <svg width=format!("{:.0}", s.px + 2.0) height="10" aria-hidden="true">
                        <path d=format!("M1 2V8H{:.1}V2", s.px + 1.0) fill="none" stroke="currentColor" stroke-width="1.5"></path>
                    </svg>
                    <span>{s.label}</span>
                </div>
            }
        })
    }
}
