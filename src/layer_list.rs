//! The layer list: grouped layers with real checkboxes, a swatch, loading and error state,
//! and the legend of status and precision styles.

use atlas_core::layer::{Precision, Status};
use atlas_core::manifest::{Choropleth, LayerInfo, LayerKind, Manifest};
use leptos::prelude::*;

use crate::state::{AppState, Load};

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

/// The layer list, of the left (or only) map, or of the right map while the user edits the
/// right side of a comparison (tabs say which).
#[component]
pub fn Layers() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let editing = state.cmp.editing_right;
    let tab = move |right: bool, zh: &'static str, en: &'static str| {
        view! {
            <button
                role="tab"
                class="side-tab"
                aria-selected=move || (editing.get() == right).to_string()
                on:click=move |_| editing.set(right)
            >
                {move || lang.get().t(zh, en)}
            </button>
        }
    };
    view! {
        <Show when=move || state.cmp.on()>
            <div class="side-tabs" role="tablist" aria-label=move || lang.get().t("编辑哪一侧的图层", "Whose layers to edit")>
                {tab(false, "左侧图层", "Left side")}
                {tab(true, "右侧图层", "Right side")}
            </div>
        </Show>
        {move || if state.cmp.on() && editing.get() { view! { <RightLayers /> }.into_any() } else { view! { <LayerList /> }.into_any() }}
    }
}

/// The layer list of the right side (its view in a child scope's context: a component has no
/// scope of its own, so `provide_context` here would reach the left list too).
#[component]
fn RightLayers() -> impl IntoView {
    let s = AppState::get();
    view! {
        <leptos::context::Provider value=AppState { view: s.cmp.right, ..s }>
            <LayerList />
        </leptos::context::Provider>
    }
}

/// The layer list panel.
#[component]
fn LayerList() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let body = move || {
        let Load::Ready(m) = state.data.manifest.get() else { return Vec::new() };
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
        let Load::Ready(m) = state.data.manifest.get() else { return None };
        let l = lang.get();
        let statuses = Status::ALL
            .iter()
            .filter_map(|s| m.status_styles.get(s.as_str()).map(|st| (*s, st.clone())))
            .map(|(s, st)| {
                let input_id = format!("status-filter-{}", s.as_str());
                let checked = move || state.view.statuses.with(|v| v.contains(&s));
                let on_change = move |ev: web_sys::Event| {
                    let on = event_target_checked(&ev);
                    state.view.statuses.update(|v| {
                        v.retain(|x| *x != s);
                        if on {
                            v.push(s);
                        }
                    });
                };
                view! {
                    <li>
                        <input type="checkbox" id=input_id.clone() prop:checked=checked on:change=on_change />
                        <label for=input_id>
                            <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true">
                                <rect x="1" y="1" width="18" height="10" fill="#2bb673" fill-opacity=0.8 * st.opacity stroke="#0b6e4f" stroke-opacity=st.stroke_opacity></rect>
                            </svg>
                            {l.t(s.label_zh(), s.label_en()).to_string()}
                        </label>
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
                <p class="legend-note">{l.t("按建设状态筛选：", "Show by status:")}</p>
                <ul class="status-filter">{statuses}</ul>
                <ul>{precisions}</ul>
            </div>
        })
    };
    // The raster basemap, only when one is configured (data/basemap.json).
    let basemap = move || {
        let src = state.data.basemap.get()?;
        let l = lang.get();
        let name = l.t(&src.name_zh, &src.name_en).to_string();
        Some(view! {
            <fieldset class="layer-group">
                <legend>{l.t("在线底图", "Online basemap")}</legend>
                <div class="layer-item">
                    <input
                        type="checkbox"
                        id="basemap-toggle"
                        prop:checked=move || state.view.basemap_on.get()
                        on:change=move |ev| state.view.basemap_on.set(event_target_checked(&ev))
                    />
                    <label for="basemap-toggle">{name}</label>
                    <p class="layer-desc">{l.t("瓦片来自外部服务器，需联网。", "Tiles come from an outside server and need a network connection.")}</p>
                </div>
            </fieldset>
        })
    };
    view! {
        <nav class="layers" aria-label=move || lang.get().t("图层", "Layers")>
            <h2>{move || lang.get().t("图层", "Layers")}</h2>
            // The legend first: on a phone it is in view as soon as the sheet opens.
            {legend}
            {body}
            <crate::import::ImportControl />
            {basemap}
        </nav>
    }
}

/// Download a layer as the user sees it (its features with the statuses shown), with every
/// property, its attribution and the "schematic, not an official map" notice.
fn download_layer(id: &str, state: AppState) {
    let Some(info) = state.layer_info(id) else { return };
    let statuses = state.view.statuses.get_untracked();
    let metro_2025 = state.view.metro_2025.get_untracked();
    // The ids shown now; the file's own text is fetched again (from the browser's cache) and
    // filtered, so the download holds exactly what was published.
    let shown: Option<std::collections::HashSet<String>> = state.data.layers.with_untracked(|l| match l.get(id) {
        Some(Load::Ready(r)) => Some(
            r.features
                .iter()
                .filter(|f| atlas_core::compare::shows(id, &f.feature.props, &statuses, metro_2025))
                .map(|f| f.feature.id.clone())
                .collect(),
        ),
        _ => None,
    });
    let Some(shown) = shown else { return };
    let id = id.to_string();
    leptos::task::spawn_local(async move {
        let made = crate::loader::fetch_text(&info.file).await.and_then(|raw| {
            atlas_core::export::filter_collection(&raw, |f| shown.contains(f), &id, &info.attribution, atlas_core::site::NOT_OFFICIAL_EN)
        });
        let done = made.and_then(|text| crate::dom::download(&format!("plan-atlas-{id}.geojson"), "application/geo+json", &text));
        if let Err(e) = done {
            state.ui.notices.update(|n| n.push(e));
        }
    });
}

/// Opacity, order and "show all of it" for one layer, shown while the layer is on.
fn layer_tools(id: String, zh: String, en: String, user: bool, state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let shown_id = id.clone();
    move || {
        let on = state.view.visible.with(|v| v.get(&shown_id).copied().unwrap_or(false));
        if !on {
            return None;
        }
        let l = lang.get();
        let name = l.t(&zh, &en).to_string();
        let (op_id, up_id, down_id, fit_id, dl_id) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
        let value = move || format!("{:.0}", state.view.opacity.with(|o| o.get(&op_id).copied().unwrap_or(1.0)) * 100.0);
        let set_id = id.clone();
        let on_input = move |ev: web_sys::Event| {
            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                state.view.opacity.update(|o| {
                    o.insert(set_id.clone(), (v / 100.0).clamp(0.0, 1.0));
                });
            }
        };
        let mv = move |id: String, delta: isize| {
            let Load::Ready(m) = state.data.manifest.get_untracked() else { return };
            let mut order: Vec<String> = m.ordered(&state.view.order.get_untracked()).iter().map(|l| l.id.clone()).collect();
            // Swap with the nearest layer that is on, so the move is visible.
            let visible = state.view.visible.get_untracked();
            if let Some(i) = order.iter().position(|x| *x == id) {
                let mut j = i as isize + delta;
                while j >= 0 && (j as usize) < order.len() && !visible.get(&order[j as usize]).copied().unwrap_or(false) {
                    j += delta;
                }
                if j >= 0 && (j as usize) < order.len() {
                    let moved = order.remove(i);
                    order.insert(j as usize, moved);
                    state.view.order.set(order);
                }
            }
        };
        Some(view! {
            <div class="layer-tools">
                <label class="opacity">
                    <span class="sr-only">{format!("{} {name}", l.t("不透明度", "Opacity of"))}</span>
                    <input type="range" min="0" max="100" step="5" prop:value=value on:input=on_input aria-label=format!("{} {name}", l.t("不透明度", "Opacity of")) />
                </label>
                <button on:click=move |_| mv(up_id.clone(), 1) aria-label=format!("{} {name}", l.t("上移", "Draw above:"))>"▲"</button>
                <button on:click=move |_| mv(down_id.clone(), -1) aria-label=format!("{} {name}", l.t("下移", "Draw below:"))>"▼"</button>
                <button on:click=move |_| state.fly_to_layer(&fit_id) aria-label=format!("{} {name}", l.t("缩放至", "Zoom to"))>"⤢"</button>
                // A user's own file is theirs already: nothing to download.
                {(!user).then(|| view! {
                    <button
                        class="download"
                        on:click=move |_| download_layer(&dl_id, state)
                        aria-label=format!("{} {name} {}", l.t("下载", "Download"), l.t("（GeoJSON，按当前状态筛选）", "as GeoJSON (as shown, status filter applied)"))
                        title=l.t("下载GeoJSON", "Download GeoJSON")
                    >
                        "⬇"
                    </button>
                })}
            </div>
        })
    }
}

/// A user layer's own controls: its colour, the GCJ-02 conversion (with the warning when the
/// file says or looks like GCJ-02) and removal.
fn user_tools(id: String, name: String, colour: String, state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let meta_id = id.clone();
    let meta = move || state.data.user.with(|u| u.get(&meta_id).cloned());
    let (rm, conv, col) = (id.clone(), id.clone(), id.clone());
    move || {
        let l = lang.get();
        let m = meta()?;
        let (rm, conv, col) = (rm.clone(), conv.clone(), col.clone());
        let convert_label = if m.converted {
            l.t("撤销GCJ-02转换", "Undo the GCJ-02 conversion")
        } else {
            l.t("按GCJ-02坐标转换为WGS84", "Convert from GCJ-02 to WGS84")
        };
        Some(view! {
            <div class="user-tools">
                {m.gcj02_hint.clone().filter(|_| !m.converted).map(|h| view! { <p class="layer-state error" role="alert">{h}</p> })}
                <label class="user-colour">
                    {l.t("颜色", "Colour")}
                    <input type="color" prop:value=colour.clone() on:change=move |ev| crate::import::recolour(state, &col, &event_target_value(&ev)) />
                </label>
                <button type="button" class="gcj02" aria-pressed=m.converted.to_string() on:click=move |_| crate::import::toggle_gcj02(state, &conv)>{convert_label}</button>
                <button type="button" class="remove" on:click=move |_| crate::import::remove(state, &rm) aria-label=format!("{} {name}", l.t("移除图层", "Remove the layer"))>
                    {l.t("移除", "Remove")}
                </button>
            </div>
        })
    }
}

/// The classes of a choropleth layer and what its value is.
fn choropleth_legend(c: Choropleth, state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let classes = c
        .stops
        .iter()
        .enumerate()
        .map(|(i, (lo, colour))| {
            let label = match c.stops.get(i + 1) {
                Some((hi, _)) => format!("{lo}–{hi} {}", c.unit),
                None => format!("≥ {lo} {}", c.unit),
            };
            view! {
                <li>
                    <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true"><rect x="1" y="1" width="18" height="10" fill=colour.clone()></rect></svg>
                    {label}
                </li>
            }
        })
        .collect::<Vec<_>>();
    let (zh, en) = (c.note_zh.clone(), c.note_en.clone());
    view! {
        <div class="choropleth-legend">
            <ul>{classes}</ul>
            {(!zh.is_empty() || !en.is_empty()).then(|| view! { <p class="legend-note">{move || lang.get().t(&zh, &en).to_string()}</p> })}
        </div>
    }
}

/// A loaded layer's features that have no fixed location: listed, each opening its card and
/// clause (the map cannot show them).
fn unlocated_list(id: String, state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    move || {
        let items: Vec<(String, String, String)> = state.data.layers.with(|l| match l.get(&id) {
            Some(Load::Ready(r)) => r
                .features
                .iter()
                .filter(|f| !f.feature.geometry.is_located())
                .map(|f| (f.feature.id.clone(), f.feature.props.name_zh.clone(), f.feature.props.name_en.clone()))
                .collect(),
            _ => Vec::new(),
        });
        if items.is_empty() {
            return None;
        }
        let l = lang.get();
        let n = items.len();
        let rows = items
            .into_iter()
            .map(|(fid, zh, en)| {
                let go = fid.clone();
                let cur = fid.clone();
                let current = move || state.sel.selected.with(|s| s.as_deref() == Some(cur.as_str()));
                view! {
                    <li>
                        <button data-feature-id=fid class:current=current on:click=move |_| state.select(Some(go.clone()), false)>
                            {l.t(&zh, &en).to_string()}
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <details class="unlocated">
                <summary>{format!("{} ({n})", l.t("无固定位置", "No fixed location"))}</summary>
                <p class="legend-note">{l.t("规划没有给出位置，地图上不画；点击查看规划原文。", "The plan gives no location, so the map does not draw these; open one to read the plan.")}</p>
                <ul>{rows}</ul>
            </details>
        })
    }
}

fn layer_item(info: LayerInfo, state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let id = info.id.clone();
    let input_id = format!("layer-toggle-{}", info.id);
    let checked_id = id.clone();
    let checked = move || state.view.visible.with(|v| v.get(&checked_id).copied().unwrap_or(false));
    let toggle_id = id.clone();
    let on_change = move |ev: web_sys::Event| {
        let on = event_target_checked(&ev);
        if on {
            state.ensure_layer(&toggle_id);
        }
        state.view.visible.update(|v| {
            v.insert(toggle_id.clone(), on);
        });
    };
    let status_id = id.clone();
    let load_status = move || {
        state.data.layers.with(|l| match l.get(&status_id) {
            None => None,
            Some(Load::Loading) => Some((false, lang.get().t("加载中…", "loading…").to_string())),
            Some(Load::Failed(e)) => Some((true, format!("{} {e}", lang.get().t("加载失败：", "failed to load:")))),
            Some(Load::Ready(r)) if r.features.is_empty() && r.warnings.is_empty() => {
                Some((false, lang.get().t("此图层文件没有要素。", "The layer's file holds no features.").to_string()))
            }
            Some(Load::Ready(_)) => None,
        })
    };
    // What the loader skipped or set aside, each naming its feature (id or index) and why.
    let warn_id = id.clone();
    let warnings = move || {
        let list = state.data.layers.with(|l| match l.get(&warn_id) {
            Some(Load::Ready(r)) if !r.warnings.is_empty() => Some(r.warnings.clone()),
            _ => None,
        })?;
        let l = lang.get();
        let (shown, more) = atlas_core::site::bounded_list(&list, 50, 300);
        Some(view! {
            <details class="layer-warnings">
                <summary class="error">{format!("{} {}", list.len(), l.t("条要素问题（点击查看）", "feature problems (open to see)"))}</summary>
                <ul>{shown.into_iter().map(|w| view! { <li>{w}</li> }).collect::<Vec<_>>()}</ul>
                {(more > 0).then(|| view! { <p>{format!("{} {more}", l.t("另有", "and more:"))}</p> })}
            </details>
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
            {layer_tools(id.clone(), info.title_zh.clone(), info.title_en.clone(), info.kind == LayerKind::User, state)}
            {(info.kind == LayerKind::User).then(|| user_tools(id.clone(), info.title_en.clone(), info.style.fill.clone(), state))}
            {info.choropleth.clone().map(|c| choropleth_legend(c, state))}
            {unlocated_list(id.clone(), state)}
            {move || load_status().map(|(is_err, msg)| view! { <p class="layer-state" class:error=is_err role=if is_err { "alert" } else { "status" }>{msg}</p> })}
            {warnings}
        </div>
    }
}
