//! The feature card: names, layer, status, period, the plan's numbers, precision and every
//! excerpt (each opens the plan text at its clause).

use atlas_core::figures::{beside, Beside};
use atlas_core::layer::Status;
use leptos::prelude::*;

use crate::state::{AppState, Lang, Load};

/// A measured figure for the card: whole units from 10 up, one decimal below.
fn format_figure(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Buttons selecting other features (parts, wholes, places), by name.
fn feature_links(state: AppState, ids: Vec<String>, l: Lang) -> impl IntoView {
    ids.into_iter()
        .map(|pid| {
            let name = state
                .feature(&pid)
                .map(|f| if l == Lang::Zh { f.feature.props.name_zh.clone() } else { f.feature.props.name_en.clone() })
                .unwrap_or_else(|| pid.clone());
            let go = pid.clone();
            view! {
                <li><button class="feature-link" data-feature-id=pid on:click=move |_| state.select(Some(go.clone()), true)>{name}</button></li>
            }
        })
        .collect::<Vec<_>>()
}

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
                let drawn = beside(&f.feature, n).map(|b| match b {
                    Beside::Drawn { drawn, diff } => {
                        format!("{} {} {} ({:+.0}%)", l.t("地图上画的：", "drawn on the map:"), format_figure(drawn), n.unit, diff * 100.0)
                    }
                    Beside::ShareOfDistrict { share, district_km2 } => match l {
                        Lang::Zh => {
                            format!("占全区 {} km² 的 {:.0}%（是区内一部分，不是整个区）", format_figure(district_km2), share * 100.0)
                        }
                        Lang::En => format!(
                            "{:.0}% of the district's {} km² (a part of the district, not the district)",
                            share * 100.0,
                            format_figure(district_km2)
                        ),
                    },
                });
                view! {
                    <li>
                        <span class="num-label">{l.t(&n.label_zh, &n.label_en).to_string()}</span>
                        " "
                        <strong>{format_value(n.value)}</strong>
                        " "
                        {n.unit.clone()}
                        {year}
                        {drawn.map(|d| view! { <span class="num-drawn">{d}</span> })}
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
                        <button class="excerpt" class:current=current aria-pressed=move || current().to_string() on:click=move |_| {
                            state.sel.reader.update(|r| r.focus = crate::state::Focus::Excerpt(i));
                            // From the keyboard, on to the clause itself (Escape comes back).
                            if crate::dom::keyboard_used() {
                                crate::dom::remember_focus();
                                crate::dom::focus_when_ready(".plan-text mark.current.focus".into());
                            }
                        }>
                            <span class="excerpt-doc">{title}</span>
                            <q>{e.quote.clone()}</q>
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let schematic = props.precision == atlas_core::layer::Precision::Schematic;
        let located = f.feature.geometry.is_located();
        // The shape's own size, measured on the ground (geodesic area or length).
        let measured = match &f.feature.geometry {
            atlas_core::layer::Geometry::Polygons(_) => atlas_core::figures::drawn_size(&f.feature.geometry, "km²").map(|a| (a, "km²")),
            atlas_core::layer::Geometry::Lines(_) => atlas_core::figures::drawn_size(&f.feature.geometry, "km").map(|a| (a, "km")),
            _ => None,
        }
        .map(|(v, unit)| {
            let what = if unit == "km" { l.t("地图上长度", "Length on the map") } else { l.t("地图上面积", "Area on the map") };
            view! { <p class="measured" data-testid="measured">{format!("{what}: {} {unit}", format_figure(v))}</p> }
        });
        let zoom_id = id.clone();
        let opened = props.status_2025.filter(|s| *s != props.status).map(|s| {
            let what = match (s, l) {
                (Status::Existing, Lang::Zh) => "2025年时已建成或开通".to_string(),
                (Status::Existing, Lang::En) => "In service by 2025".to_string(),
                (s, _) => format!("2025: {}", l.t(s.label_zh(), s.label_en())),
            };
            view! {
                <p class="status-2025">
                    <span class=format!("badge status {}", s.as_str())>{what}</span>
                    " "
                    {l.t("（规划所述状态见上）", "(the status above is the plan's own). ")}
                    {props.status_2025_source.clone().unwrap_or_default()}
                </p>
            }
        });
        let (parts, wholes, site, placed) = state.data.index.with(|i| {
            (
                props.parts.clone(),
                i.wholes_of(&id).into_iter().map(str::to_string).collect::<Vec<_>>(),
                props.site.clone(),
                i.placed_at(&id).into_iter().map(str::to_string).collect::<Vec<_>>(),
            )
        });
        let relations = (!parts.is_empty() || !wholes.is_empty() || site.is_some() || !placed.is_empty()).then(|| {
            view! {
                <div class="relations">
                    {(!parts.is_empty()).then(|| view! {
                        <h3>{format!("{} ({})", l.t("组成部分", "Made up of"), parts.len())}</h3>
                        <ul class="feature-links">{feature_links(state, parts.clone(), l)}</ul>
                    })}
                    {(!wholes.is_empty()).then(|| view! {
                        <h3>{l.t("属于", "Part of")}</h3>
                        <ul class="feature-links">{feature_links(state, wholes.clone(), l)}</ul>
                    })}
                    {site.clone().map(|s| view! {
                        <h3>{l.t("画在此处", "Drawn at the place of")}</h3>
                        <ul class="feature-links">{feature_links(state, vec![s], l)}</ul>
                    })}
                    {(!placed.is_empty()).then(|| view! {
                        <h3>{l.t("画在这里的其他要素", "Also drawn here")}</h3>
                        <ul class="feature-links">{feature_links(state, placed.clone(), l)}</ul>
                    })}
                </div>
            }
        });
        view! {
            <article class="card" data-feature-id=id.clone()>
                <h2 tabindex="-1">{name}</h2>
                <p class="other-name">{other}</p>
                {props.description_en.clone().map(|d| view! { <p class="description" lang="en">{d}</p> })}
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
                {(!located).then(|| view! {
                    <p class="unlocated-note" data-testid="unlocated-note">
                        {l.t(
                            "无固定位置：规划没有说明它在哪里，所以地图上不画它；它列在图层“无固定位置”一栏，下面是规划原文。",
                            "No fixed location: the plan does not say where it is, so the map does not draw it. It is listed under its layer as “no fixed location”; the plan's words are below.",
                        )}
                    </p>
                })}
                {opened}
                {measured}
                {(!numbers.is_empty()).then(|| view! { <ul class="numbers">{numbers}</ul> })}
                {relations}
                {props.source.clone().map(|s| view! { <p class="source">{l.t("数据来源：", "Source: ")}{s}</p> })}
                {(!excerpts.is_empty()).then(|| view! {
                    <h3>{l.t("规划原文", "What the plan says")}</h3>
                    <ol class="excerpts">{excerpts}</ol>
                })}
                <div class="card-actions">
                    {located.then(|| view! {
                        <button class="zoom-to" on:click=move |_| {
                            state.fly_to_feature(&zoom_id);
                            // From the keyboard, on to the map, to move it or list what is there.
                            if crate::dom::keyboard_used() {
                                crate::dom::focus_first(".map-pane:not(.right) > .map");
                            }
                        }>{l.t("在地图上显示", "Show on map")}</button>
                    })}
                    <button class="close" on:click=move |_| state.select(None, false)>{l.t("关闭", "Close")}</button>
                </div>
            </article>
        }
        .into_any()
    };
    view! { <section class="card-pane" aria-live="polite">{body}</section> }
}
