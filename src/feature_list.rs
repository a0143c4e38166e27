//! The accessible alternative to the map: the features in view, each a button with its name
//! and status, in the same order as the layers; selecting one selects it on the map. A live
//! region announces every selection, however it was made.

use leptos::prelude::*;

use crate::state::{AppState, Lang, Load};

const MAX_ITEMS: usize = 200;

/// The list of features in view.
#[component]
pub fn FeatureList() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let items = Memo::new(move |_| {
        let Load::Ready(m) = state.data.manifest.get() else { return (Vec::new(), 0) };
        let Some(view) = state.view.settled.get() else { return (Vec::new(), 0) };
        let visible = state.view.visible.get();
        let statuses = state.view.statuses.get();
        let metro_2025 = state.view.metro_2025.get();
        let l = lang.get();
        let mut out = Vec::new();
        let mut total = 0;
        state.data.layers.with(|layers| {
            for info in m.ordered(&state.view.order.get()).into_iter().rev() {
                if !info.interactive || !visible.get(&info.id).copied().unwrap_or(false) {
                    continue;
                }
                let Some(Load::Ready(r)) = layers.get(&info.id) else { continue };
                for f in &r.features {
                    let p = &f.feature.props;
                    // A feature with no fixed location is listed whatever the view: nothing
                    // else shows it.
                    let located = f.feature.geometry.is_located();
                    if (info.kind == atlas_core::manifest::LayerKind::Plan
                        && !atlas_core::compare::shows(&info.id, p, &statuses, metro_2025))
                        || (located && !f.bounds.is_some_and(|b| view.shows(&b)))
                    {
                        continue;
                    }
                    total += 1;
                    if out.len() < MAX_ITEMS {
                        let name = if l == Lang::Zh { p.name_zh.clone() } else { p.name_en.clone() };
                        // A user's own feature has no plan status: its layer (file) names it.
                        let mut meta = if info.kind == atlas_core::manifest::LayerKind::User {
                            info.title_en.clone()
                        } else {
                            format!("{} · {}", l.t(&info.title_zh, &info.title_en), l.t(p.status.label_zh(), p.status.label_en()))
                        };
                        if !located {
                            meta.push_str(l.t(" · 无固定位置", " · no fixed location"));
                        }
                        out.push((f.feature.id.clone(), name, meta));
                    }
                }
            }
        });
        (out, total)
    });
    let announce = move || {
        let l = lang.get();
        let id = state.sel.selected.get()?;
        let f = state.feature(&id)?;
        let p = &f.feature.props;
        Some(match l {
            Lang::Zh => format!("已选择：{}，{}", p.name_zh, p.status.label_zh()),
            Lang::En => format!("Selected: {}, {}", p.name_en, p.status.label_en()),
        })
    };
    let list = move || {
        let (rows, total) = items.get();
        let l = lang.get();
        let more = (total > rows.len()).then(|| {
            view! { <p class="hint">{format!("{} {} {}", l.t("另有", "and"), total - rows.len(), l.t("个要素，请放大地图", "more: zoom in to list them"))}</p> }
        });
        let rows = rows
            .into_iter()
            .map(|(id, name, meta)| {
                let cur_id = id.clone();
                let current = Memo::new(move |_| state.sel.selected.with(|s| s.as_deref() == Some(cur_id.as_str())));
                let sel_id = id.clone();
                view! {
                    <li>
                        <button
                            data-feature-id=id
                            aria-current=move || if current.get() { Some("true") } else { None }
                            class:current=current
                            on:click=move |_| {
                                state.select(Some(sel_id.clone()), true);
                            }
                        >
                            <span class="fl-name">{name}</span>
                            <span class="fl-meta">{meta}</span>
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        view! {
            <ul class="feature-list-items">{rows}</ul>
            {more}
        }
    };
    view! {
        <details class="feature-list">
            <summary>
                {move || lang.get().t("要素列表（当前视野）", "Features in view")}
                {move || format!(" ({})", items.with(|(_, t)| *t))}
            </summary>
            {list}
        </details>
        <div class="sr-only" aria-live="polite" role="status" data-testid="announcer">{announce}</div>
    }
}
