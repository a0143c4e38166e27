//! The feature card: names, layer, status, period, the plan's numbers, precision and every
//! excerpt (each opens the plan text at its clause).

use atlas_core::figures::{beside, Beside};
use atlas_core::layer::Status;
use atlas_core::quantity::{amount, measured};
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

/// A text the data gives in both languages, in the interface's language with its `lang` code;
/// the other language's when that one is missing (the validator reports it).
fn in_lang(l: Lang, zh: Option<&str>, en: Option<&str>) -> Option<(String, &'static str)> {
    let zh = zh.map(str::trim).filter(|s| !s.is_empty()).map(|s| (s.to_string(), "zh-CN"));
    let en = en.map(str::trim).filter(|s| !s.is_empty()).map(|s| (s.to_string(), "en"));
    match l {
        Lang::Zh => zh.or(en),
        Lang::En => en.or(zh),
    }
}

/// The shape's own size, measured on the ground (geodesic area or length).
fn measured_size(g: &atlas_core::layer::Geometry, l: Lang) -> Option<impl IntoView> {
    let (v, unit) = match g {
        atlas_core::layer::Geometry::Polygons(_) => atlas_core::figures::drawn_size(g, "km²").map(|a| (a, "km²")),
        atlas_core::layer::Geometry::Lines(_) => atlas_core::figures::drawn_size(g, "km").map(|a| (a, "km")),
        _ => None,
    }?;
    let what = if unit == "km" { l.t("地图上长度", "Length on the map") } else { l.t("地图上面积", "Area on the map") };
    let v = measured(v, unit).get(l == Lang::En).to_string();
    Some(view! { <p class="measured" data-testid="measured">{format!("{what}{}{v}", l.t("：", ": "))}</p> })
}

/// The card of a feature from a file the user added: its name, its file, its size and its
/// properties as plain text (it is no part of the plans and cites no clause).
fn user_card(state: AppState, f: &atlas_core::prepared::DrawnFeature, info: &atlas_core::manifest::LayerInfo, l: Lang) -> impl IntoView {
    let id = f.feature.id.clone();
    let zoom_id = id.clone();
    let rows = f
        .feature
        .props
        .user
        .iter()
        .map(|(k, v)| view! { <tr><th scope="row">{k.clone()}</th><td>{v.clone()}</td></tr> })
        .collect::<Vec<_>>();
    let located = f.feature.geometry.is_located();
    view! {
        <article class="card user" data-feature-id=id.clone()>
            <h2 tabindex="-1">{f.feature.props.name_en.clone()}</h2>
            <p class="meta">
                <span class="layer-name">{format!("{}{}", l.t("你的图层：", "Your layer: "), info.title_en)}</span>
            </p>
            <p class="user-note">{l.t(
                "不属于规划：这是你加入的文件中的要素，只在本浏览器中。",
                "Not part of the plans: a feature of the file you added, kept only in this browser.",
            )}</p>
            {(!located).then(|| view! { <p class="unlocated-note">{l.t("此要素没有几何形状，地图上不画。", "This feature has no geometry, so the map does not draw it.")}</p> })}
            {measured_size(&f.feature.geometry, l)}
            {(!rows.is_empty()).then(|| view! {
                <table class="user-props">
                    <caption>{l.t("文件中的属性", "Properties in the file")}</caption>
                    <tbody>{rows}</tbody>
                </table>
            })}
            <div class="card-actions">
                {located.then(|| view! {
                    <button class="zoom-to" on:click=move |_| state.fly_to_feature(&zoom_id)>{l.t("在地图上显示", "Show on map")}</button>
                })}
                <button class="close" on:click=move |_| state.select(None, false)>{l.t("关闭", "Close")}</button>
            </div>
        </article>
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
        let info = state.layer_info(&f.layer_id);
        if let Some(info) = info.as_ref().filter(|i| i.kind == atlas_core::manifest::LayerKind::User) {
            return user_card(state, &f, info, l).into_any();
        }
        let props = f.feature.props.clone();
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
                let en = l == Lang::En;
                // The plan's number with its unit, 万 and 亿 worked out in English (`quantity`).
                let value = amount(n.value, &n.unit).get(en).clone();
                let year = n.year.map(|y| if en { format!(" ({y})") } else { format!("（{y}年）") }).unwrap_or_default();
                let drawn = beside(&f.feature, n).map(|b| match b {
                    Beside::Drawn { drawn, diff } => {
                        let drawn = measured(drawn, &n.unit).get(en).to_string();
                        match l {
                            Lang::Zh => format!("地图上画的：{drawn}（{:+.0}%）", diff * 100.0),
                            Lang::En => format!("drawn on the map: {drawn} ({:+.0}%)", diff * 100.0),
                        }
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
                        <strong>{value.value}</strong>
                        {value.spaced.then_some(" ")}
                        {value.unit}
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
        let measured = measured_size(&f.feature.geometry, l);
        let zoom_id = id.clone();
        let opened = props.status_2025.filter(|s| *s != props.status).map(|s| {
            let what = match (s, l) {
                (Status::Existing, Lang::Zh) => "2025年时已建成或开通".to_string(),
                (Status::Existing, Lang::En) => "In service by 2025".to_string(),
                (s, _) => format!("{}{}", l.t("2025年：", "2025: "), l.t(s.label_zh(), s.label_en())),
            };
            view! {
                <p class="status-2025">
                    <span class=format!("badge status {}", s.as_str())>{what}</span>
                    " "
                    {l.t("（规划所述状态见上）", "(the status above is the plan's own). ")}
                    {in_lang(l, props.status_2025_source_zh.as_deref(), props.status_2025_source.as_deref())
                        .map(|(s, code)| view! { <span lang=code>{s}</span> })}
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
                <p class="other-name" lang=l.t("en", "zh-CN")>{other}</p>
                {in_lang(l, props.description_zh.as_deref(), props.description_en.as_deref())
                    .map(|(d, code)| view! { <p class="description" lang=code>{d}</p> })}
                <p class="meta">
                    <span class="layer-name">{layer_title}</span>
                    <span class=format!("badge status {}", props.status.as_str())>{l.t(props.status.label_zh(), props.status.label_en()).to_string()}</span>
                    {in_lang(l, props.period_zh.as_deref(), props.period.as_deref())
                        .map(|(p, code)| view! { <span class="period" lang=code>{p}</span> })}
                </p>
                <p class="precision" class:schematic=schematic>
                    <span class=format!("badge precision {}", props.precision.as_str())>{l.t(props.precision.label_zh(), props.precision.label_en()).to_string()}</span>
                    " "
                    {in_lang(l, Some(&props.precision_note_zh), Some(&props.precision_note))
                        .map(|(n, code)| view! { <span class="precision-note" lang=code>{n}</span> })}
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
                {in_lang(l, props.source_zh.as_deref(), props.source.as_deref())
                    .map(|(s, code)| view! { <p class="source">{l.t("数据来源：", "Source: ")}<span lang=code>{s}</span></p> })}
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
