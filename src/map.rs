//! The map pane: an SVG in Web Mercator drawing units. Geometry is projected once when a
//! layer loads. The SVG is drawn for a resting view with a margin of half the map's size on
//! every side; while the view moves, only a CSS transform of the drawing changes (work for the
//! compositor, not a repaint), and the drawing (`viewBox`, point radii, labels, tiles) is
//! redone once the view rests or the margin runs out.
//!
//! Everything here reads the `MapState` and `Selection` in scope, so two maps on one page
//! keep their own views and selections. The parts: `gestures` (pointer, wheel, keys),
//! `layers` (the drawn groups), `labels`, `chooser` (overlapping features) and `controls`.

mod chooser;
mod compare;
mod controls;
mod gestures;
mod labels;
mod layers;
mod measure;

use atlas_core::basemap::{tiles_for, Tile};
use atlas_core::style::point_radius_px;
use atlas_core::svg::UNITS_PER_METRE;
use atlas_core::viewport::{MercatorBox, Viewport};
use leptos::prelude::*;

use crate::dom;
use crate::state::{AppState, Load};

pub use compare::Maps;

/// Margin drawn around the view on every side, as a fraction of the map's size.
const PAD: f64 = 0.5;

/// The map with its controls.
#[component]
pub fn MapView() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let container = NodeRef::<leptos::html::Div>::new();
    let size = move || container.get_untracked().map(|el| (f64::from(el.client_width()), f64::from(el.client_height())));

    // The first view: the URL's, or every loaded layer fitted once all have loaded (or failed).
    Effect::new(move |_| {
        if state.view.viewport.with(Option::is_some) {
            return;
        }
        let start = state.view.start.get_value();
        // A link that shows no layer (`layers=none`) frames the city.
        let nothing_shown =
            state.data.manifest.with(|m| matches!(m, Load::Ready(_))) && !state.view.visible.with(|v| v.values().any(|on| *on));
        let bounds = state.data.layers.with(|layers| {
            if nothing_shown && layers.is_empty() {
                return Some(atlas_core::prepared::city_extent());
            }
            if layers.is_empty() || layers.values().any(|l| matches!(l, Load::Loading)) {
                return None;
            }
            layers.values().filter_map(|l| if let Load::Ready(r) = l { r.bounds } else { None }).reduce(MercatorBox::union)
        });
        // Measure the element only now: reading its size forces a layout.
        let Some((w, h)) = bounds.and(size()) else { return };
        let v = match (start, bounds) {
            (Some(p), _) => p.to_viewport(w, h),
            (None, Some(b)) => Viewport::fit(b, w, h, 12.0),
            (None, None) => return,
        };
        state.view.viewport.set(Some(v));
    });

    // The picture of the first view drawn into the page at build time stays until the live
    // map is drawn in its place (the frame after the view is fitted), or until there is no
    // map to draw: the layer list or every layer failed to load, whose messages it must not
    // hide.
    Effect::new(move |done: Option<bool>| {
        // Once removed, nothing is read, so the effect stops following the signals.
        if done == Some(true) {
            return true;
        }
        let failed = || {
            state.data.manifest.with(|m| matches!(m, Load::Failed(_)))
                || state.data.layers.with(|l| !l.is_empty() && l.values().all(|s| matches!(s, Load::Failed(_))))
        };
        if state.view.viewport.with(Option::is_none) && !failed() {
            return false;
        }
        request_animation_frame(|| dom::remove_by_id("boot"));
        true
    });

    let fit_size = move || {
        if let Some((w, h)) = size() {
            state.view.viewport.update(|v| {
                if let Some(v) = v.as_mut().filter(|v| v.width != w || v.height != h) {
                    *v = v.resized(w, h);
                }
            });
        }
    };
    // Whatever resizes the map (the window, a comparison, the phone's bottom sheet, a title
    // that wraps in the other language), the view follows.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(el) = container.get() else { return false };
        dom::observe_size(&el, fit_size);
        true
    });
    let is_right = state.view.is_right;
    // The pointer, mirrored on the other map side by side.
    let cursor = move |ev: &web_sys::PointerEvent| {
        if state.cmp.mode.get_untracked() != atlas_core::compare::CompareMode::Side {
            return;
        }
        let Some(el) = container.get_untracked() else { return };
        let r = el.get_bounding_client_rect();
        if r.width() > 0.0 && r.height() > 0.0 {
            let fx = (f64::from(ev.client_x()) - r.left()) / r.width();
            let fy = (f64::from(ev.client_y()) - r.top()) / r.height();
            state.cmp.cursor.set(Some((is_right, fx, fy)));
        }
    };
    let g = gestures::use_gestures(state, container);
    let (up, cancel) = (g.up.clone(), g.up);
    let moved = g.moved;

    // The viewport once it has been still for 200 ms; the drawing follows it then, or at once
    // when the moved drawing would no longer cover the map (or is magnified past 2×).
    let drawn = RwSignal::new(None::<Viewport>);
    let settle_gen = StoredValue::new(0u32);
    Effect::new(move |_| {
        let v = state.view.viewport.get();
        let generation = settle_gen.get_value().wrapping_add(1);
        settle_gen.set_value(generation);
        if let Some(now) = v {
            let stale = drawn.with_untracked(|d| d.is_none_or(|d| !now.covered_by(&d.padded(PAD))));
            if stale {
                drawn.set(v);
            }
        }
        set_timeout(
            move || {
                if settle_gen.try_get_value() == Some(generation) {
                    state.view.settled.set(v);
                    if drawn.get_untracked() != v {
                        drawn.set(v);
                    }
                }
            },
            std::time::Duration::from_millis(200),
        );
    });
    // Between redraws, move the drawing on the compositor (set through the CSSOM, which a
    // strict CSP allows).
    let canvas = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let (Some(v), Some(d), Some(el)) = (state.view.viewport.get(), drawn.get(), canvas.get()) else { return };
        let (tx, ty, k) = v.transform_from(&d);
        let value =
            if tx == 0.0 && ty == 0.0 && k == 1.0 { "none".to_string() } else { format!("translate({tx:.2}px,{ty:.2}px) scale({k:.5})") };
        let _ = web_sys::HtmlElement::style(&el).set_property("transform", &value);
    });

    let view_box = move || drawn.get().map(|v| v.padded(PAD).view_box()).unwrap_or_else(|| "0 0 1 1".into());
    let live_view = move || state.view.viewport.get().map(|v| v.view_box());
    let point_r =
        Memo::new(move |_| drawn.get().map(|v| point_radius_px(v.metres_per_px) * v.metres_per_px * UNITS_PER_METRE).unwrap_or(0.0));
    // Point symbols take their radius from this variable (style.css: `r: var(--point-r)`): a
    // zoom changes one property, however many points are drawn. Set through the CSSOM, which
    // the strict CSP allows (a style attribute it would refuse).
    Effect::new(move |_| {
        let r = point_r.get();
        if let Some(el) = container.get() {
            let _ = web_sys::HtmlElement::style(&el).set_property("--point-r", &format!("{r}px"));
        }
    });

    // The optional raster basemap, for the drawn area.
    let tiles = move || {
        let Some(src) = state.data.basemap.get().filter(|_| state.view.basemap_on.get()) else { return Vec::new() };
        drawn.get().map(|d| tiles_for(&d.padded(PAD), &src)).unwrap_or_default()
    };

    // A tile that does not load (the site's CSP does not allow its host, or the host does not
    // answer) is reported once, naming the host, instead of leaving a blank map.
    let told = StoredValue::new(false);
    let tile_failed = move || {
        if told.get_value() {
            return;
        }
        told.set_value(true);
        let host = state.data.basemap.with_untracked(|b| b.as_ref().map(|b| atlas_core::safe::host_of(&b.url)));
        state.ui.notices.update(|n| {
            n.push(format!(
                "底图瓦片无法从 {0} 加载（可能被本站的内容安全策略阻止，或服务器无响应）/ Basemap tiles could not be loaded from {0} (the site's Content Security Policy may block the host, or it does not answer)",
                host.unwrap_or_default()
            ))
        });
    };
    let label = move || match (is_right, state.cmp.on()) {
        (false, false) => lang.get().t("地图", "Map"),
        (false, true) => lang.get().t("对比：左侧地图", "Compare: left map"),
        (true, _) => lang.get().t("对比：右侧地图", "Compare: right map"),
    };
    view! {
        <section class="map-pane" class:right=is_right aria-label=label>
            <div
                class="map"
                class:measuring=move || state.ui.measure.with(Option::is_some)
                node_ref=container
                tabindex="0"
                aria-label=move || format!("{}{}", label(), lang.get().t("：方向键平移，+/- 缩放", ": arrow keys pan, + and - zoom"))
                aria-describedby="map-help"
                data-view-ready=move || state.view.viewport.with(Option::is_some).to_string()
                data-view=live_view
                on:pointerdown=g.down
                on:pointermove=move |e| {
                    cursor(&e);
                    moved(e)
                }
                on:pointerleave=move |_| state.cmp.cursor.set(None)
                on:pointerup=move |e| up(e)
                on:pointercancel=move |e| cancel(e)
                on:click=g.click
                on:dblclick=g.dblclick
                on:keydown=g.key
                on:pointerover=g.intent
                on:focusin=g.focus_intent
            >
                <div class="map-canvas" node_ref=canvas>
                    <svg
                        class="map-svg"
                        viewBox=view_box
                        preserveAspectRatio="xMidYMid meet"
                        role="group"
                        aria-label=move || lang.get().t("天津规划要素地图", "Map of Tianjin plan features")
                    >
                        <defs>{layers::hatches(state, drawn)}</defs>
                        <g class="basemap" aria-hidden="true">
                            {move || tiles().into_iter().map(|t: Tile| view! {
                                <image
                                    href=t.url
                                    x=format!("{:.4}", t.left)
                                    y=format!("{:.4}", t.top)
                                    width=format!("{:.4}", t.size * 1.002)
                                    height=format!("{:.4}", t.size * 1.002)
                                    preserveAspectRatio="none"
                                    on:error=move |_| tile_failed()
                                ></image>
                            }).collect::<Vec<_>>()}
                        </g>
                        {layers::groups_view(state, point_r)}
                        <g class="selection">{layers::selection_overlay(state, point_r)}</g>
                        {catchments_view(state)}
                        {compare::reference_stations(state, point_r)}
                        {measure::measure_view(state, drawn)}
                        <g class="labels" aria-hidden="true">{labels::labels_view(state, drawn)}</g>
                    </svg>
                </div>
            </div>
            <Show when=move || state.view.basemap_on.get() && state.data.basemap.with(Option::is_some)>
                <p class="basemap-attribution">
                    {move || state.data.basemap.get().map(|b| format!("{} · {}", lang.get().t(&b.name_zh, &b.name_en), b.attribution))}
                </p>
            </Show>
            {chooser::chooser(state)}
            {compare::side_badge(state)}
            {(!is_right).then(|| measure::measure_panel(state))}
            {(!is_right).then(|| embed_extras(state))}
            {compare::mirrored_cursor(state)}
            {move || {
                if is_right {
                    return None;
                }
                let l = lang.get();
                let f = state.feature(&state.sel.selected.get()?)?;
                (!f.feature.geometry.is_located()).then(|| {
                    let name = l.t(&f.feature.props.name_zh, &f.feature.props.name_en).to_string();
                    view! {
                        <p class="map-unlocated" role="status" data-testid="map-unlocated">
                            {format!("{name}{}", l.t("：规划没有给出位置，地图上不画。", ": the plan gives no location, so the map does not draw it."))}
                        </p>
                    }
                })
            }}
            {(!is_right).then(|| view! {
                {controls::scale_bar(state)}
                <p id="map-help" class="sr-only">{move || lang.get().t("也可在“要素列表”中逐一浏览地图上的要素。", "Every feature on the map is also listed in the feature list.")}</p>
                {controls::zoom_controls(state)}
            })}
        </section>
    }
}

/// Walking catchments around every station open in 2025, merged and clipped to the districts
/// (turned on from the figures panel).
fn catchments_view(state: AppState) -> impl IntoView {
    move || {
        let r = state.ui.catchments.get()?;
        let stations = state.ui.stations_2025.get()?;
        let d = atlas_core::svg::catchments_path(&stations, r);
        let clip = state.data.layers.with(|l| match l.get("districts") {
            Some(Load::Ready(layer)) => layer.features.iter().filter_map(|f| f.path.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        });
        let clip_id = if state.view.is_right { "catchment-clip-r" } else { "catchment-clip" };
        Some(view! {
            <g class="catchments" aria-hidden="true" data-radius=format!("{r:.0}")>
                <clipPath id=clip_id>{clip.into_iter().map(|p| view! { <path d=p></path> }).collect::<Vec<_>>()}</clipPath>
                <path
                    d=d
                    fill="#1a73e8"
                    fill-opacity="0.2"
                    stroke="none"
                    clip-path=format!("url(#{clip_id})")
                ></path>
            </g>
        })
    }
}

/// Embedded: a compact legend of the layers shown and the gesture hint.
fn embed_extras(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    move || {
        state.ui.embed.get()?;
        let l = lang.get();
        let m = state.manifest()?;
        let visible = state.view.visible.get();
        let items = m
            .ordered(&state.view.order.get())
            .into_iter()
            .rev()
            .filter(|i| visible.get(&i.id).copied().unwrap_or(false))
            .map(|i| {
                view! {
                    <li>
                        <svg class="swatch" viewBox="0 0 20 12" aria-hidden="true">
                            <rect x="1" y="1" width="18" height="10" fill=i.style.fill.clone() fill-opacity="0.7" stroke=i.style.stroke.clone()></rect>
                        </svg>
                        {l.t(&i.title_zh, &i.title_en).to_string()}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let hint = state.ui.hint.get().map(|h| {
            let text = if h == "touch" {
                l.t("用两根手指移动地图", "Use two fingers to move the map")
            } else {
                l.t("按住 Ctrl（Mac 上为 ⌘）并滚动以缩放地图", "Use Ctrl + scroll (⌘ + scroll on a Mac) to zoom the map")
            };
            view! { <p class="gesture-hint" role="status" data-testid="gesture-hint">{text}</p> }
        });
        Some(view! {
            <details class="embed-legend" open=window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 480.0)>
                <summary>{l.t("图例", "Legend")}</summary>
                <ul>{items}</ul>
                <p class="embed-notice">{l.t("示意图，非官方地图", "Schematic, not an official map")}</p>
            </details>
            {hint}
        })
    }
}
