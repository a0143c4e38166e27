//! A tour of saved views for meetings: the planner saves views (each a permalink's state) in
//! order, and presents them one by one in presentation mode with the keyboard (Page Down, →,
//! N: next; Page Up, ←, B: back) or a presenter's clicker. The tour is in the URL (`tour=`,
//! `stop=`), so the page's link shares it.

use atlas_core::url_state::{UrlState, TOUR_MAX};
use leptos::prelude::*;

use crate::state::{AppState, Lang, Load};
use crate::url_sync;

/// A short title for a saved view: its feature's name, else its plan, else its place and zoom.
fn title(state: AppState, view: &str, i: usize, l: Lang) -> String {
    let (url, _) = UrlState::parse(view);
    let n = i + 1;
    if let Some(f) = url.feature.as_deref().and_then(|id| state.feature(id)) {
        return format!("{n}. {}", l.t(&f.feature.props.name_zh, &f.feature.props.name_en));
    }
    if let Some(doc) = url.doc.as_deref() {
        let name = state.data.manifest.with(|m| match m {
            Load::Ready(m) => m.documents.iter().find(|d| d.file == doc).map(|d| l.t(&d.short_zh, &d.short_en).to_string()),
            _ => None,
        });
        if let Some(name) = name {
            return format!("{n}. {name}");
        }
    }
    let layers = url.layers.as_ref().map_or(String::new(), |list| match (l, list.len()) {
        (Lang::Zh, n) => format!(" · {n}个图层"),
        (Lang::En, 1) => " · 1 layer".to_string(),
        (Lang::En, n) => format!(" · {n} layers"),
    });
    match url.map {
        Some(p) => format!("{n}. {} {:.1}{layers}", l.t("视图 · 缩放", "View · zoom"), p.zoom),
        None => format!("{n}. {}{layers}", l.t("视图", "View")),
    }
}

/// Show stop `n` (1-based) of the tour.
pub fn go(state: AppState, n: usize) {
    let tour = state.ui.tour.get_untracked();
    let Some(view) = n.checked_sub(1).and_then(|i| tour.get(i)) else { return };
    url_sync::show_view(state, view, n);
}

/// The next (`step` 1) or previous (`step` -1) stop; the first when none is shown yet.
pub fn step(state: AppState, forward: bool) {
    let len = state.ui.tour.with_untracked(Vec::len);
    if len == 0 {
        return;
    }
    let next = match (state.ui.stop.get_untracked(), forward) {
        (None, _) => 1,
        (Some(s), true) => (s + 1).min(len),
        (Some(s), false) => s.saturating_sub(1).max(1),
    };
    go(state, next);
}

/// The saved views panel: save the current view, reorder, remove, present.
#[component]
pub fn TourPanel() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let tour = state.ui.tour;
    let full = move || tour.with(|t| t.len() >= TOUR_MAX);
    let save = move |_| {
        if let Some(v) = url_sync::saved_view(state) {
            tour.update(|t| {
                if t.len() < TOUR_MAX {
                    t.push(v);
                }
            });
        }
    };
    let rows = move || {
        let l = lang.get();
        let list = tour.get();
        let len = list.len();
        let now = state.ui.stop.get();
        list.iter()
            .enumerate()
            .map(|(i, v)| {
                let name = title(state, v, i, l);
                let swap = move |a: usize, b: usize| {
                    tour.update(|t| t.swap(a, b));
                    state.ui.stop.set(None);
                };
                view! {
                    <li class:current=now == Some(i + 1)>
                        <button class="tour-go" on:click=move |_| go(state, i + 1)>{name}</button>
                        <span class="tour-tools">
                            <button disabled=i == 0 on:click=move |_| swap(i, i - 1) aria-label=l.t("上移", "Move up")>"▲"</button>
                            <button disabled=i + 1 == len on:click=move |_| swap(i, i + 1) aria-label=l.t("下移", "Move down")>"▼"</button>
                            <button
                                on:click=move |_| {
                                    tour.update(|t| {
                                        t.remove(i);
                                    });
                                    state.ui.stop.set(None);
                                }
                                aria-label=l.t("删除", "Remove")
                            >
                                "×"
                            </button>
                        </span>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let present = move |_| {
        state.ui.present.set(true);
        go(state, 1);
    };
    view! {
        <details class="tour">
            <summary>{move || lang.get().t("演示：保存的视图", "Tour: saved views")}</summary>
            <p class="legend-note">
                {move || lang.get().t(
                    "保存当前地图视图（图层、位置、选中的要素），依次演示。链接中包含整个演示，可直接分享。",
                    "Save the map as it is now (layers, place, selected feature), then present the views in order. The page's link holds the whole tour: share it as it is.",
                )}
            </p>
            <button class="tour-save" on:click=save disabled=full>{move || lang.get().t("保存当前视图", "Save this view")}</button>
            <ol class="tour-list">{rows}</ol>
            <Show when=move || !tour.with(Vec::is_empty)>
                <button class="tour-present" on:click=present>{move || lang.get().t("开始演示（PageDown/→ 下一个）", "Present the tour (Page Down or → for the next)")}</button>
                <button class="tour-clear" on:click=move |_| { tour.set(Vec::new()); state.ui.stop.set(None); }>{move || lang.get().t("清空", "Clear")}</button>
            </Show>
        </details>
    }
}

/// In presentation mode, the tour's stop and buttons to move through it.
pub fn tour_bar(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    move || {
        let len = state.ui.tour.with(Vec::len);
        if !state.ui.present.get() || len == 0 {
            return None;
        }
        let l = lang.get();
        let stop = state.ui.stop.get();
        let name = stop.and_then(|s| state.ui.tour.with(|t| t.get(s - 1).map(|v| title(state, v, s - 1, l)))).unwrap_or_default();
        Some(view! {
            <nav class="tour-bar" aria-label=l.t("演示", "Tour")>
                <button on:click=move |_| step(state, false) disabled=stop.is_none_or(|s| s <= 1) aria-label=l.t("上一个视图", "Previous view")>"◀"</button>
                <span class="tour-pos" role="status" data-testid="tour-pos">{format!("{} / {len}", stop.unwrap_or(0))}</span>
                <span class="tour-title">{name}</span>
                <button on:click=move |_| step(state, true) disabled=stop.is_some_and(|s| s >= len) aria-label=l.t("下一个视图", "Next view")>"▶"</button>
            </nav>
        })
    }
}
