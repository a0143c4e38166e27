//! The layer list: grouped layers with real checkboxes, a swatch, loading and error state,
//! and the legend of status and precision styles.

use atlas_core::layer::{Precision, Status};
use atlas_core::manifest::{LayerInfo, Manifest};
use leptos::prelude::*;

use crate::{AppState, Load};

fn groups(m: &Manifest) -> Vec<(String, String, String, Vec<LayerInfo>)> {
    let mut out: Vec<(String, String, String, Vec<LayerInfo>)> = Vec::new();
    for l in &m.layers {
        match out.iter_mut().find(|g| g.0 == l.group) {
            Some(g) => g.3.push(l.clone()),
            None => out.push((l.group.clone(), l.group_zh.clone(), l.group_en.clone(), vec![l.clone()])),
        }
    }
    out
}

/// The layer list panel.
#[component]
pub fn LayerList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let body = move || {
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        groups(&m)
            .into_iter()
            .map(|(_, zh, en, layers)| {
                let items = layers.into_iter().map(|info| layer_item(info, state)).collect::<Vec<_>>();
                view! {
                    <fieldset class="layer-group">
                        <legend>{move || lang.get().t(&zh, &en).to_string()}</legend>
                        {items}
                    </fieldset>
                }
            })
            .collect::<Vec<_>>()
    };
    let legend = move || {
        let Load::Ready(m) = state.manifest.get() else { return None };
        let l = lang.get();
        let statuses = Status::ALL
            .iter()
            .filter_map(|s| m.status_styles.get(s.as_str()).map(|st| (*s, st.clone())))
            .map(|(s, st)| {
                view! {
                    <li>
                        <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true">
                            <rect x="1" y="1" width="18" height="10" fill="#2bb673" fill-opacity=0.8 * st.opacity stroke="#0b6e4f" stroke-opacity=st.stroke_opacity></rect>
                        </svg>
                        {l.t(s.label_zh(), s.label_en()).to_string()}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let precisions = [Precision::Surveyed, Precision::Approximate, Precision::Schematic]
            .iter()
            .map(|p| {
                let dash = m.precision_styles.get(p.as_str()).and_then(|s| s.dash.clone());
                view! {
                    <li>
                        <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true">
                            <line x1="1" y1="6" x2="19" y2="6" stroke="#333" stroke-width="2" stroke-dasharray=dash></line>
                        </svg>
                        {l.t(p.label_zh(), p.label_en()).to_string()}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <div class="legend">
                <h3>{l.t("图例", "Legend")}</h3>
                <ul>{statuses}</ul>
                <ul>{precisions}</ul>
            </div>
        })
    };
    view! {
        <nav class="layers" aria-label=move || lang.get().t("图层", "Layers")>
            <h2>{move || lang.get().t("图层", "Layers")}</h2>
            {body}
            {legend}
        </nav>
    }
}

fn layer_item(info: LayerInfo, state: AppState) -> impl IntoView {
    let lang = state.lang;
    let id = info.id.clone();
    let input_id = format!("layer-toggle-{}", info.id);
    let checked_id = id.clone();
    let checked = move || state.visible.with(|v| v.get(&checked_id).copied().unwrap_or(false));
    let toggle_id = id.clone();
    let on_change = move |ev: web_sys::Event| {
        let on = event_target_checked(&ev);
        if on {
            state.ensure_layer(&toggle_id);
        }
        state.visible.update(|v| {
            v.insert(toggle_id.clone(), on);
        });
    };
    let status_id = id.clone();
    let load_status = move || {
        state.layers.with(|l| match l.get(&status_id) {
            None => None,
            Some(Load::Loading) => Some((false, lang.get().t("加载中…", "loading…").to_string())),
            Some(Load::Failed(e)) => Some((true, format!("{} {e}", lang.get().t("加载失败：", "failed to load:")))),
            Some(Load::Ready(r)) if !r.warnings.is_empty() => Some((
                true,
                format!("{} {}", r.warnings.len(), lang.get().t("个要素无法读取", "features could not be read")),
            )),
            Some(Load::Ready(_)) => None,
        })
    };
    let (zh, en) = (info.title_zh.clone(), info.title_en.clone());
    let (dzh, den) = (info.description_zh.clone(), info.description_en.clone());
    view! {
        <div class="layer-item" data-layer-id=id>
            <input type="checkbox" id=input_id.clone() prop:checked=checked on:change=on_change />
            <label for=input_id>
                <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true">
                    <rect x="1" y="1" width="18" height="10" fill=info.style.fill.clone() fill-opacity="0.7" stroke=info.style.stroke.clone()></rect>
                </svg>
                {move || lang.get().t(&zh, &en).to_string()}
            </label>
            <p class="layer-desc">{move || lang.get().t(&dzh, &den).to_string()}</p>
            {move || load_status().map(|(is_err, msg)| view! { <p class="layer-state" class:error=is_err role=if is_err { "alert" } else { "status" }>{msg}</p> })}
        </div>
    }
}
