//! Two maps compared. A swipe divider draws the right side's layers right of a line the user
//! drags (mouse, touch or keyboard); side by side shows two maps. The right side shares the
//! left's view and selection (`state::Compare`), so pan, zoom and the selected feature follow
//! on both, and both are linked to the one reader; each side has its own layers and state
//! (`atlas_core::compare::SideState`).

use std::sync::Arc;

use atlas_core::compare::{split_at, split_by_key, CompareMode, SideState, METRO_LAYER};
use atlas_core::figures::parse_reference_stations;
use atlas_core::svg::UNITS_PER_METRE;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Lang, MapState};

/// The map area: the left (or only) map, and the right map, divider and compare bar while
/// comparing.
#[component]
pub fn Maps() -> impl IntoView {
    let state = AppState::get();
    let mode = state.cmp.mode;
    let maps = NodeRef::<leptos::html::Div>::new();
    // The divider's position as a CSS variable (set through the CSSOM, which a strict CSP
    // allows).
    Effect::new(move |_| {
        let s = state.cmp.split.get();
        if let Some(el) = maps.get() {
            let _ = web_sys::HtmlElement::style(&el).set_property("--split", &format!("{s}%"));
        }
    });
    use_reference_stations(state);
    view! {
        <div
            class="maps"
            node_ref=maps
            class:swipe=move || mode.get() == CompareMode::Swipe
            class:side-by-side=move || mode.get() == CompareMode::Side
            data-compare=move || mode.get().as_str()
        >
            <super::MapView />
            <Show when=move || state.cmp.on()>
                <RightMap />
            </Show>
            <Show when=move || mode.get() == CompareMode::Swipe>{move || divider(state, maps)}</Show>
            <Show when=move || state.cmp.on()>{move || compare_bar(state)}</Show>
            {crate::tour::tour_bar(state)}
        </div>
    }
}

/// The right map, with the right side's view in the context of a child scope.
#[component]
fn RightMap() -> impl IntoView {
    let s = AppState::get();
    view! {
        <leptos::context::Provider value=AppState { view: s.cmp.right, ..s }>
            <super::MapView />
        </leptos::context::Provider>
    }
}

/// Open a comparison: the right side starts with the left's layers; a left side showing
/// everything compares the plan's starting point (left) with what it plans by 2025 (right).
pub fn open_compare(state: AppState, mode: CompareMode) {
    let (left, right) = (state.view, state.cmp.right);
    if state.cmp.mode.get_untracked() == CompareMode::Off {
        if right.visible.with_untracked(|v| !v.values().any(|on| *on)) {
            right.visible.set(left.visible.get_untracked());
            right.order.set(left.order.get_untracked());
            right.opacity.set(left.opacity.get_untracked());
        }
        let all = |v: MapState| SideState::of(&v.statuses.get_untracked(), v.metro_2025.get_untracked()) == SideState::All;
        if all(left) && all(right) {
            set_side_state(left, SideState::Found);
            set_side_state(right, SideState::Planned);
        }
    }
    state.cmp.mode.set(mode);
}

/// Close the comparison: one map again, the layer list back on it.
pub fn close_compare(state: AppState) {
    state.cmp.mode.set(CompareMode::Off);
    state.cmp.editing_right.set(false);
    state.cmp.cursor.set(None);
}

/// Put a side in a state; the metro as open in 2025 turns the metro layer on.
fn set_side_state(view: MapState, s: SideState) {
    if let Some((statuses, metro)) = s.filter() {
        view.statuses.set(statuses);
        view.metro_2025.set(metro);
        if metro {
            view.visible.update(|v| {
                v.insert(METRO_LAYER.to_string(), true);
            });
        }
    }
}

fn state_label(l: Lang, s: SideState) -> String {
    l.t(s.label_zh(), s.label_en()).to_string()
}

/// The divider: drag it, or focus it and use the arrow keys (Shift for 10%), Page Up/Down,
/// Home and End.
fn divider(state: AppState, maps: NodeRef<leptos::html::Div>) -> impl IntoView {
    let lang = state.ui.lang;
    let split = state.cmp.split;
    let dragging = StoredValue::new(false);
    let move_to = move |x: i32| {
        if let Some(el) = maps.get_untracked() {
            let r = el.get_bounding_client_rect();
            split.set(split_at(f64::from(x) - r.left(), r.width()));
        }
    };
    view! {
        <div
            class="swipe-divider"
            role="slider"
            tabindex="0"
            data-testid="swipe-divider"
            aria-label=move || lang.get().t("对比分隔线（左右方向键移动）", "Compare divider (left and right arrow keys move it)")
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=move || split.get().to_string()
            aria-valuetext=move || format!("{}%", split.get())
            on:pointerdown=move |e: web_sys::PointerEvent| {
                e.prevent_default();
                e.stop_propagation();
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    let _ = t.set_pointer_capture(e.pointer_id());
                }
                dragging.set_value(true);
            }
            on:pointermove=move |e: web_sys::PointerEvent| {
                if dragging.get_value() {
                    move_to(e.client_x());
                }
            }
            on:pointerup=move |_| dragging.set_value(false)
            on:pointercancel=move |_| dragging.set_value(false)
            on:keydown=move |e: web_sys::KeyboardEvent| {
                if let Some(n) = split_by_key(split.get_untracked(), &e.key(), e.shift_key()) {
                    e.prevent_default();
                    split.set(n);
                }
            }
        >
            <span class="swipe-handle" aria-hidden="true">"◀▶"</span>
        </div>
    }
}

/// The compare bar: the mode, close, and each side's state.
fn compare_bar(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let mode = state.cmp.mode;
    let mode_button = move |m: CompareMode, zh: &'static str, en: &'static str| {
        view! {
            <button
                class="compare-mode"
                data-mode=m.as_str()
                aria-pressed=move || (mode.get() == m).to_string()
                on:click=move |_| open_compare(state, m)
            >
                {move || lang.get().t(zh, en)}
            </button>
        }
    };
    view! {
        <div class="compare-bar" role="group" aria-label=move || lang.get().t("对比两张地图", "Compare two maps")>
            {mode_button(CompareMode::Swipe, "卷帘", "Swipe")}
            {mode_button(CompareMode::Side, "并排", "Side by side")}
            <button class="compare-close" on:click=move |_| close_compare(state) aria-label=move || lang.get().t("结束对比", "Stop comparing")>
                "×"
            </button>
            <div class="compare-sides">
                {side_picker(state, state.view, false)}
                {side_picker(state, state.cmp.right, true)}
            </div>
        </div>
    }
}

/// A side's state chooser.
fn side_picker(state: AppState, view: MapState, right: bool) -> impl IntoView {
    let lang = state.ui.lang;
    let current = move || SideState::of(&view.statuses.get(), view.metro_2025.get());
    let options = move || {
        let l = lang.get();
        let now = current();
        let mut list: Vec<SideState> = SideState::PRESETS.to_vec();
        if now == SideState::Custom {
            list.push(SideState::Custom);
        }
        list.into_iter().map(|s| view! { <option value=s.as_str() selected=s == now>{state_label(l, s)}</option> }).collect::<Vec<_>>()
    };
    let id = if right { "compare-right-state" } else { "compare-left-state" };
    view! {
        <label class="compare-side" for=id>
            <span>{move || if right { lang.get().t("右：", "Right:") } else { lang.get().t("左：", "Left:") }}</span>
            <select
                id=id
                prop:value=move || current().as_str()
                on:change=move |ev| {
                    if let Some(s) = SideState::parse(&event_target_value(&ev)) {
                        set_side_state(view, s);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
}

/// Which side a map is and what it shows, while comparing.
pub fn side_badge(state: AppState) -> impl IntoView {
    let view = state.view;
    move || {
        state.cmp.on().then(|| {
            let l = state.ui.lang.get();
            let side = if view.is_right { l.t("右", "Right") } else { l.t("左", "Left") };
            let s = SideState::of(&view.statuses.get(), view.metro_2025.get());
            view! { <p class="side-badge" data-testid="side-badge">{format!("{side} · {}", state_label(l, s))}</p> }
        })
    }
}

/// Where the pointer is on the other map, side by side.
pub fn mirrored_cursor(state: AppState) -> impl IntoView {
    let me = state.view.is_right;
    let el = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(el) = el.get() else { return };
        let at = state.cmp.cursor.get().filter(|(side, ..)| *side != me && state.cmp.mode.get() == CompareMode::Side);
        let style = web_sys::HtmlElement::style(&el);
        match at {
            Some((_, fx, fy)) => {
                let _ = style.set_property("left", &format!("{:.3}%", fx * 100.0));
                let _ = style.set_property("top", &format!("{:.3}%", fy * 100.0));
                let _ = style.set_property("display", "block");
            }
            None => {
                let _ = style.set_property("display", "none");
            }
        }
    });
    view! { <div class="mirror-cursor" node_ref=el aria-hidden="true" data-testid="mirror-cursor"></div> }
}

/// Load the stations open in 2025 (the reference data) once a side shows the metro as open
/// in 2025.
fn use_reference_stations(state: AppState) {
    let requested = StoredValue::new(false);
    Effect::new(move |_| {
        let wanted = state.view.metro_2025.get() || (state.cmp.on() && state.cmp.right.metro_2025.get());
        if !wanted || requested.get_value() || state.ui.stations_2025.with(Option::is_some) {
            return;
        }
        requested.set_value(true);
        spawn_local(async move {
            match crate::loader::fetch_text("data/metro-2025.json").await.and_then(|t| parse_reference_stations(&t)) {
                Ok(r) => state.ui.stations_2025.set(Some(Arc::new(r.iter().map(|(p, _)| *p).collect()))),
                Err(e) => {
                    let l = state.ui.lang.get_untracked();
                    state.ui.notices.update(|n| {
                        n.push(format!("{}{e}", l.t("无法加载2025年地铁参考数据：", "Could not load the 2025 metro reference data: ")))
                    });
                }
            }
        });
    });
}

/// The stations open in 2025 (reference data), drawn on a side that shows the metro as open
/// in 2025 with the metro layer on.
pub fn reference_stations(state: AppState, point_r: Memo<f64>) -> impl IntoView {
    move || {
        let on = state.view.metro_2025.get() && state.view.visible.with(|v| v.get(METRO_LAYER).copied().unwrap_or(false));
        let stations = state.ui.stations_2025.get().filter(|_| on)?;
        // A dot a little smaller than a plan station's symbol, in metres on the ground.
        let r_m = point_r.get() * 0.7 / UNITS_PER_METRE * 39.1f64.to_radians().cos();
        let d = atlas_core::svg::catchments_path(&stations, r_m);
        Some(view! {
            <g class="reference-stations" aria-hidden="true" data-count=stations.len().to_string()>
                <path d=d fill="#ffffff" stroke="#1a1a1a" stroke-width="1.2" vector-effect="non-scaling-stroke"></path>
            </g>
        })
    }
}
