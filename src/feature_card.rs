//! The feature card: names, layer, status, period, the plan's numbers, precision and every
//! excerpt (each opens the plan text at its clause).

use leptos::prelude::*;

use crate::state::{AppState, Lang, Load};

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The card of the selected feature, or a hint when nothing is selected.
#[component]
pub fn FeatureCard() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let body = move || {
        let l = lang.get();
        let Some(id) = state.sel.selected.get() else {
            return view! {
                <p class="hint">{l.t("点击地图上的要素，查看规划原文。", "Tap a shape on the map to read what the plan says about it.")}</p>
            }
            .into_any();
        };
        let Some(f) = state.feature(&id) else {
            // The feature may be in a layer still loading (`camera::use_reveal` fetches them).
            let loading = !state.all_layers_settled();
            let msg = if loading {
                l.t("正在加载…", "Loading…").to_string()
            } else {
                format!("{} “{id}”", l.t("找不到要素", "No feature has the id"))
            };
            return view! { <p class="hint" role="alert">{msg}</p> }.into_any();
        };
        let props = f.feature.props.clone();
        let info = state.layer_info(&f.layer_id);
        let layer_title = info.map(|i| l.t(&i.title_zh, &i.title_en).to_string()).unwrap_or_default();
        let (name, other) = match l {
            Lang::Zh => (props.name_zh.clone(), props.name_en.clone()),
            Lang::En => (props.name_en.clone(), props.name_zh.clone()),
        };
        let docs = match state.data.manifest.get_untracked() {
            Load::Ready(m) => Some(m),
            _ => None,
        };
        let numbers = props
            .numbers
            .iter()
            .map(|n| {
                let year = n.year.map(|y| format!(" ({y})")).unwrap_or_default();
                view! {
                    <li>
                        <span class="num-label">{l.t(&n.label_zh, &n.label_en).to_string()}</span>
                        " "
                        <strong>{format_value(n.value)}</strong>
                        " "
                        {n.unit.clone()}
                        {year}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let excerpts = props
            .excerpts
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let title = docs
                    .as_ref()
                    .and_then(|m| m.document(&e.doc))
                    .map(|d| l.t(&d.title_zh, &d.title_en).to_string())
                    .unwrap_or_else(|| e.doc.clone());
                let current = move || state.sel.reader.with(|r| r.focus == crate::state::Focus::Excerpt(i));
                view! {
                    <li>
                        <button class="excerpt" class:current=current aria-pressed=move || current().to_string() on:click=move |_| state.sel.reader.update(|r| r.focus = crate::state::Focus::Excerpt(i))>
                            <span class="excerpt-doc">{title}</span>
                            <q>{e.quote.clone()}</q>
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let schematic = props.precision == atlas_core::layer::Precision::Schematic;
        let zoom_id = id.clone();
        view! {
            <article class="card" data-feature-id=id.clone()>
                <h2>{name}</h2>
                <p class="other-name">{other}</p>
                <p class="meta">
                    <span class="layer-name">{layer_title}</span>
                    <span class=format!("badge status {}", props.status.as_str())>{l.t(props.status.label_zh(), props.status.label_en()).to_string()}</span>
                    {props.period.clone().map(|p| view! { <span class="period">{p}</span> })}
                </p>
                <p class="precision" class:schematic=schematic>
                    <span class=format!("badge precision {}", props.precision.as_str())>{l.t(props.precision.label_zh(), props.precision.label_en()).to_string()}</span>
                    " "
                    {props.precision_note.clone()}
                </p>
                {(!numbers.is_empty()).then(|| view! { <ul class="numbers">{numbers}</ul> })}
                {props.source.clone().map(|s| view! { <p class="source">{l.t("数据来源：", "Source: ")}{s}</p> })}
                {(!excerpts.is_empty()).then(|| view! {
                    <h3>{l.t("规划原文", "What the plan says")}</h3>
                    <ol class="excerpts">{excerpts}</ol>
                })}
                <div class="card-actions">
                    <button class="zoom-to" on:click=move |_| state.fly_to_feature(&zoom_id)>{l.t("在地图上显示", "Show on map")}</button>
                    <button class="close" on:click=move |_| state.select(None, false)>{l.t("关闭", "Close")}</button>
                </div>
            </article>
        }
        .into_any()
    };
    view! { <section class="card-pane" aria-live="polite">{body}</section> }
}
