//! The map pane: an SVG in Web Mercator drawing units. Geometry is projected once when a
//! layer loads. The SVG is drawn for a resting view with a margin of half the map's size on
//! every side; while the view moves, only a CSS transform of the drawing changes (work for the
//! compositor, not a repaint), and the drawing (`viewBox`, point radii, labels, tiles) is
//! redone once the view rests or the margin runs out.

use std::sync::Arc;

use atlas_core::basemap::{tiles_for, Tile};
use atlas_core::labels::{place, short_name, Candidate, Rect, Style as LabelStyle};
use atlas_core::layer::{Geometry, Precision, Status};
use atlas_core::projection::Mercator;
use atlas_core::manifest::{LayerInfo, LayerKind, Manifest};
use atlas_core::snapshot::{hatch, paint, point_radius_px};
use atlas_core::svg::UNITS_PER_METRE;
use atlas_core::viewport::{MercatorBox, ScreenPx, Viewport};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::{AppState, DrawnFeature, Lang, Load, ReadyLayer};

/// Margin drawn around the view on every side, as a fraction of the map's size.
const PAD: f64 = 0.5;

/// The map with its controls.
#[component]
pub fn MapView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let container = NodeRef::<leptos::html::Div>::new();
    let dragged = StoredValue::new(false);
    let drag_from = StoredValue::new(None::<(f64, f64)>);

    let size = move || container.get().map(|el| (f64::from(el.client_width()), f64::from(el.client_height())));

    // Fit the view once every layer has finished loading (or failed).
    Effect::new(move |_| {
        if state.viewport.with(Option::is_some) {
            return;
        }
        let bounds = state.layers.with(|layers| {
            if layers.is_empty() || layers.values().any(|l| matches!(l, Load::Loading)) {
                return None;
            }
            layers.values().filter_map(|l| if let Load::Ready(r) = l { r.bounds } else { None }).reduce(MercatorBox::union)
        });
        let Some(b) = bounds else { return };
        // Measure the element only now: reading its size forces a layout.
        if let Some((w, h)) = size() {
            state.viewport.set(Some(Viewport::fit(b, w, h, 12.0)));
            // A link to a feature shows it: from the whole city, the map flies to it.
            if let Some(id) = state.selected.get_untracked() {
                state.fly_to_feature(&id);
            }
        }
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
            state.manifest.with(|m| matches!(m, Load::Failed(_)))
                || state.layers.with(|l| !l.is_empty() && l.values().all(|s| matches!(s, Load::Failed(_))))
        };
        if state.viewport.with(Option::is_none) && !failed() {
            return false;
        }
        request_animation_frame(|| {
            if let Some(boot) = document().get_element_by_id("boot") {
                boot.remove();
            }
        });
        true
    });

    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some((w, h)) = size() {
            state.viewport.update(|v| {
                if let Some(v) = v {
                    *v = v.resized(w, h);
                }
            });
        }
    });

    // Wheel zoom needs a non-passive listener so the page does not scroll instead.
    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        let target = el.clone();
        let on_wheel = Closure::<dyn Fn(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| {
            ev.prevent_default();
            let rect = target.get_bounding_client_rect();
            let anchor = ScreenPx { x: f64::from(ev.client_x()) - rect.left(), y: f64::from(ev.client_y()) - rect.top() };
            let factor = (-ev.delta_y() * 0.002).exp();
            state.viewport.update(|v| {
                if let Some(v) = v {
                    *v = v.zoom_at(anchor, factor);
                }
            });
        });
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_passive(false);
        let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            on_wheel.as_ref().unchecked_ref(),
            &opts,
        );
        on_wheel.forget();
    });

    // Pointers down, by id: one is a drag, two are a pinch (zoom about their midpoint).
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let local = move |ev: &web_sys::PointerEvent| {
        let rect = container.get_untracked().map(|el| el.get_bounding_client_rect());
        let (l, t) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        (f64::from(ev.client_x()) - l, f64::from(ev.client_y()) - t)
    };
    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        let (x, y) = local(&ev);
        pointers.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        if pointers.with_value(Vec::len) == 1 {
            dragged.set_value(false);
            drag_from.set_value(Some((x, y)));
        }
        state.flight.update(|g| *g = g.wrapping_add(1));
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let (x, y) = local(&ev);
        let before = pointers.get_value();
        let Some(i) = before.iter().position(|q| q.0 == ev.pointer_id()) else { return };
        if before.len() >= 2 {
            // Pinch: the distance ratio zooms, the midpoint's motion pans.
            let other = before[if i == 0 { 1 } else { 0 }];
            let (ox, oy) = (other.1, other.2);
            let (px, py) = (before[i].1, before[i].2);
            let d0 = (px - ox).hypot(py - oy);
            let d1 = (x - ox).hypot(y - oy);
            let (m0x, m0y) = ((px + ox) / 2.0, (py + oy) / 2.0);
            let (m1x, m1y) = ((x + ox) / 2.0, (y + oy) / 2.0);
            if d0 > 1.0 && d1 > 1.0 {
                dragged.set_value(true);
                state.viewport.update(|v| {
                    if let Some(v) = v {
                        *v = v.pan_by(m1x - m0x, m1y - m0y).zoom_at(ScreenPx { x: m1x, y: m1y }, d1 / d0);
                    }
                });
            }
            pointers.update_value(|p| p[i] = (ev.pointer_id(), x, y));
            return;
        }
        pointers.update_value(|p| p[i] = (ev.pointer_id(), x, y));
        let Some((x0, y0)) = drag_from.get_value() else { return };
        let (dx, dy) = (x - x0, y - y0);
        if !dragged.get_value() && dx.hypot(dy) < 4.0 {
            return;
        }
        dragged.set_value(true);
        drag_from.set_value(Some((x, y)));
        state.viewport.update(|v| {
            if let Some(v) = v {
                *v = v.pan_by(dx, dy);
            }
        });
    };
    let on_pointer_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
        if pointers.with_value(Vec::is_empty) {
            drag_from.set_value(None);
        } else if let Some(&(_, x, y)) = pointers.with_value(|p| p.first().copied()).as_ref() {
            drag_from.set_value(Some((x, y)));
        }
    };

    // A tap selects the feature under it; where several overlap, the user chooses.
    let on_click = move |ev: web_sys::MouseEvent| {
        if dragged.get_value() {
            return;
        }
        let (cx, cy) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let mut ids = features_at(cx, cy);
        // A point or line on top is an explicit target: choose among such small targets only;
        // areas under them do not compete.
        let is_area = |id: &String| state.feature(id).is_some_and(|f| matches!(f.feature.geometry, Geometry::Polygons(_)));
        if ids.first().is_some_and(|id| !is_area(id)) {
            ids.retain(|id| !is_area(id));
        }
        state.chooser.set(None);
        match ids.len() {
            0 => {}
            1 => state.select(ids.into_iter().next()),
            _ => {
                let rect = container.get_untracked().map(|el| el.get_bounding_client_rect());
                let (l, t) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
                state.chooser.set(Some((cx - l, cy - t, ids)));
            }
        }
    };
    let on_dblclick = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        let rect = container.get_untracked().map(|el| el.get_bounding_client_rect());
        let (l, t) = rect.map_or((0.0, 0.0), |r| (r.left(), r.top()));
        let anchor = ScreenPx { x: f64::from(ev.client_x()) - l, y: f64::from(ev.client_y()) - t };
        if let Some(v) = state.viewport.get_untracked() {
            state.fly_to(v.zoom_at(anchor, 2.0));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        // Enter on a focused feature is handled by the feature; arrows and +/- pan and zoom
        // wherever the focus is inside the map.
        let step = 80.0;
        let action: Option<Box<dyn Fn(Viewport) -> Viewport>> = match ev.key().as_str() {
            "ArrowLeft" => Some(Box::new(move |v: Viewport| v.pan_by(step, 0.0))),
            "ArrowRight" => Some(Box::new(move |v: Viewport| v.pan_by(-step, 0.0))),
            "ArrowUp" => Some(Box::new(move |v: Viewport| v.pan_by(0.0, step))),
            "ArrowDown" => Some(Box::new(move |v: Viewport| v.pan_by(0.0, -step))),
            "+" | "=" => Some(Box::new(|v: Viewport| v.zoom_at(ScreenPx { x: v.width / 2.0, y: v.height / 2.0 }, 1.6))),
            "-" | "_" => Some(Box::new(|v: Viewport| v.zoom_at(ScreenPx { x: v.width / 2.0, y: v.height / 2.0 }, 1.0 / 1.6))),
            _ => None,
        };
        if let Some(f) = action {
            ev.prevent_default();
            state.viewport.update(|v| {
                if let Some(v) = v {
                    *v = f(*v);
                }
            });
        } else if ev.key() == "Escape" {
            state.chooser.set(None);
        }
    };

    // Hovering, pressing or focusing a feature fetches the plan text it cites, so that the
    // clause is ready by the time the click or Enter arrives (one listener for the whole map).
    // Pointer events repeat while moving over one shape: look a feature up once per change.
    let last_intent = StoredValue::new(String::new());
    let intent = move |target: Option<web_sys::EventTarget>| {
        let el = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let id = el.and_then(|e| e.closest(".layer.interactive [data-feature-id]").ok().flatten()).and_then(|e| e.get_attribute("data-feature-id"));
        if let Some(id) = id.filter(|id| last_intent.with_value(|l| l != id)) {
            state.prefetch_text_of(&id);
            last_intent.set_value(id);
        }
    };
    let on_intent = move |ev: web_sys::PointerEvent| intent(ev.target());
    let on_focus_intent = move |ev: web_sys::FocusEvent| intent(ev.target());

    // The viewport once it has been still for 200 ms; the drawing follows it then, or at once
    // when the moved drawing would no longer cover the map (or is magnified past 2×).
    let drawn = RwSignal::new(None::<Viewport>);
    let settle_gen = StoredValue::new(0u32);
    Effect::new(move |_| {
        let v = state.viewport.get();
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
                if settle_gen.get_value() == generation {
                    state.settled.set(v);
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
        let (Some(v), Some(d), Some(el)) = (state.viewport.get(), drawn.get(), canvas.get()) else { return };
        let (tx, ty, k) = v.transform_from(&d);
        let value = if tx == 0.0 && ty == 0.0 && k == 1.0 { "none".to_string() } else { format!("translate({tx:.2}px,{ty:.2}px) scale({k:.5})") };
        let _ = web_sys::HtmlElement::style(&el).set_property("transform", &value);
    });

    let zoom = move |factor: f64| {
        state.viewport.update(|v| {
            if let Some(v) = v {
                let c = ScreenPx { x: v.width / 2.0, y: v.height / 2.0 };
                *v = v.zoom_at(c, factor);
            }
        })
    };
    let fit_all = move |_| {
        let bounds = state.layers.with_untracked(|layers| {
            layers.values().filter_map(|l| if let Load::Ready(r) = l { r.bounds } else { None }).reduce(MercatorBox::union)
        });
        if let (Some(b), Some(v)) = (bounds, state.viewport.get_untracked()) {
            state.fly_to(v.fit_to(b, 12.0, 1.0));
        }
    };
    let scale = move || {
        state.viewport.get().and_then(|v| atlas_core::scale::scale_bar(&v, 110.0)).map(|s| {
            let aria = format!("scale {}", s.label);
            view! {
                <div class="scale-bar" aria-label=aria>
                    <svg width=format!("{:.0}", s.px + 2.0) height="10" aria-hidden="true">
                        <path d=format!("M1 2V8H{:.1}V2", s.px + 1.0) fill="none" stroke="#222" stroke-width="1.5"></path>
                    </svg>
                    <span>{s.label}</span>
                </div>
            }
        })
    };
    let chooser = move || {
        let (x, y, ids) = state.chooser.get()?;
        let l = lang.get();
        let items = ids
            .into_iter()
            .filter_map(|id| state.feature(&id))
            .map(|f| {
                let p = &f.feature.props;
                let name = if l == Lang::Zh { p.name_zh.clone() } else { p.name_en.clone() };
                let status = l.t(p.status.label_zh(), p.status.label_en()).to_string();
                let id = f.feature.id.clone();
                view! {
                    <li><button data-feature-id=id.clone() on:click=move |ev: web_sys::MouseEvent| {
                        ev.stop_propagation();
                        state.chooser.set(None);
                        state.select(Some(id.clone()));
                    }>{name}<span class="chooser-status">{status}</span></button></li>
                }
            })
            .collect::<Vec<_>>();
        let left = format!("{:.0}", x.max(4.0));
        let top = format!("{:.0}", y.max(4.0));
        Some(view! {
            <div class="chooser" role="dialog" aria-label=l.t("此处有多个要素", "Several features here") data-x=left data-y=top>
                <p>{l.t("此处有多个要素，请选择：", "Several features here. Choose one:")}</p>
                <ul>{items}</ul>
                <button class="chooser-close" on:click=move |ev: web_sys::MouseEvent| { ev.stop_propagation(); state.chooser.set(None); }>{l.t("取消", "Cancel")}</button>
            </div>
        })
    };
    // Position the chooser with the CSSOM (allowed by a strict CSP, unlike style attributes).
    Effect::new(move |_| {
        if state.chooser.with(Option::is_some) {
            request_animation_frame(|| {
                if let Ok(Some(el)) = document().query_selector(".chooser") {
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let x = el.get_attribute("data-x").unwrap_or_default();
                        let y = el.get_attribute("data-y").unwrap_or_default();
                        let _ = el.style().set_property("left", &format!("{x}px"));
                        let _ = el.style().set_property("top", &format!("{y}px"));
                    }
                }
            });
        }
    });

    let view_box = move || drawn.get().map(|v| v.padded(PAD).view_box()).unwrap_or_else(|| "0 0 1 1".into());
    let live_view = move || state.viewport.get().map(|v| v.view_box());
    let point_r = Memo::new(move |_| {
        drawn.get().map(|v| point_radius_px(v.metres_per_px) * v.metres_per_px * UNITS_PER_METRE).unwrap_or(0.0)
    });

    // One group per (pass, layer): a layer that loads, hides or changes adds or removes its own
    // groups; the others keep their DOM.
    let groups = move || {
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        let visible = state.visible.get();
        let statuses = state.statuses.get();
        let lang = state.lang.get();
        let order = state.order.get();
        state.layers.with(|layers| {
            let shown: Vec<(LayerInfo, Arc<ReadyLayer>)> = ordered_layers(&m, &order)
                .into_iter()
                .filter(|info| visible.get(&info.id).copied().unwrap_or(false))
                .filter_map(|info| match layers.get(&info.id) {
                    Some(Load::Ready(r)) => Some((info.clone(), r.clone())),
                    _ => None,
                })
                .collect();
            // Areas below lines below points, each in layer order, so that no area hides a
            // station or a line (as most web maps draw).
            [Pass::Areas, Pass::Lines, Pass::Points]
                .into_iter()
                .flat_map(|pass| {
                    let (m, statuses) = (m.clone(), statuses.clone());
                    shown.iter().map(move |(info, r)| Group {
                        pass,
                        info: info.clone(),
                        layer: r.clone(),
                        manifest: m.clone(),
                        statuses: statuses.clone(),
                        lang,
                    })
                })
                .collect::<Vec<_>>()
        })
    };

    // Labels for the resting view, placed so that none overlaps another.
    let labels = Memo::new(move |_| {
        let Some(d) = drawn.get() else { return Vec::new() };
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        let visible = state.visible.get();
        let statuses = state.statuses.get();
        let lang = state.lang.get();
        let selected = state.selected.get();
        // Placed for the visible view only, so that no name is cut by the map's edge.
        state.layers.with(|layers| label_layout(&m, layers, &visible, &statuses, lang, selected.as_deref(), &d))
    });
    let labels_view = move || {
        let Some(d) = drawn.get() else { return Vec::new() };
        let k = d.metres_per_px * UNITS_PER_METRE;
        let (font, halo) = (format!("{:.4}", 12.0 * k), format!("{:.4}", 3.0 * k));
        labels
            .get()
            .into_iter()
            .map(|l| {
                view! {
                    <text
                        x=format!("{:.4}", l.x)
                        y=format!("{:.4}", l.y)
                        font-size=font.clone()
                        stroke-width=halo.clone()
                        text-anchor=l.align
                        dominant-baseline="central"
                        data-label-for=l.id
                        class:selected=l.selected
                    >
                        {l.text}
                    </text>
                }
            })
            .collect::<Vec<_>>()
    };

    // The optional raster basemap, for the drawn area.
    let tiles = move || {
        let Some(src) = state.basemap.get().filter(|_| state.basemap_on.get()) else { return Vec::new() };
        drawn.get().map(|d| tiles_for(&d.padded(PAD), &src)).unwrap_or_default()
    };

    // Hatch tiles keep their size on screen: redrawn with the resting view.
    let hatches = move || {
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        let Some(d) = drawn.get() else { return Vec::new() };
        let (size, line) = hatch::in_units(d.metres_per_px);
        m.layers
            .iter()
            .filter(|l| l.kind == LayerKind::Plan)
            .map(|l| {
                view! {
                    <pattern id=format!("hatch-{}", l.id) patternUnits="userSpaceOnUse" width=size.clone() height=size.clone() patternTransform=hatch::TRANSFORM>
                        <rect width=size.clone() height=size.clone() fill=l.style.fill.clone() fill-opacity=hatch::FILL_OPACITY></rect>
                        <line x1="0" y1="0" x2="0" y2=size.clone() stroke=l.style.stroke.clone() stroke-width=line.clone()></line>
                    </pattern>
                }
            })
            .collect::<Vec<_>>()
    };

    view! {
        <section class="map-pane" aria-label=move || lang.get().t("地图", "Map")>
            <div
                class="map"
                node_ref=container
                tabindex="0"
                aria-label=move || lang.get().t("地图：方向键平移，+/- 缩放", "Map: arrow keys pan, + and - zoom")
                aria-describedby="map-help"
                data-view-ready=move || state.viewport.with(Option::is_some).to_string()
                data-view=live_view
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointercancel=on_pointer_up
                on:click=on_click
                on:dblclick=on_dblclick
                on:keydown=on_key
                on:pointerover=on_intent
                on:focusin=on_focus_intent
            >
                <div class="map-canvas" node_ref=canvas>
                <svg
                    class="map-svg"
                    viewBox=view_box
                    preserveAspectRatio="xMidYMid meet"
                    role="group"
                    aria-label=move || lang.get().t("天津规划要素地图", "Map of Tianjin plan features")
                >
                    <defs>{hatches}</defs>
                    <g class="basemap" aria-hidden="true">
                        {move || tiles().into_iter().map(|t: Tile| view! {
                            <image
                                href=t.url
                                x=format!("{:.4}", t.left)
                                y=format!("{:.4}", t.top)
                                width=format!("{:.4}", t.size * 1.002)
                                height=format!("{:.4}", t.size * 1.002)
                                preserveAspectRatio="none"
                            ></image>
                        }).collect::<Vec<_>>()}
                    </g>
                    <For each=groups key=Group::key let:g>
                        {layer_group(&g.manifest, &g.info, &g.layer, point_r, &g.statuses, g.pass, g.lang)}
                    </For>
                    <g class="labels" aria-hidden="true">{labels_view}</g>
                </svg>
                </div>
            </div>
            <Show when=move || state.basemap_on.get() && state.basemap.with(Option::is_some)>
                <p class="basemap-attribution">
                    {move || state.basemap.get().map(|b| format!("{} · {}", lang.get().t(&b.name_zh, &b.name_en), b.attribution))}
                </p>
            </Show>
            {chooser}
            {scale}
            <p id="map-help" class="sr-only">{move || lang.get().t("也可在“要素列表”中逐一浏览地图上的要素。", "Every feature on the map is also listed in the feature list.")}</p>
            <div class="map-controls">
                <button on:click=move |_| zoom(1.6) aria-label=move || lang.get().t("放大", "Zoom in")>"+"</button>
                <button on:click=move |_| zoom(1.0 / 1.6) aria-label=move || lang.get().t("缩小", "Zoom out")>"−"</button>
                <button on:click=fit_all aria-label=move || lang.get().t("显示全市", "Show all of Tianjin")>"⤢"</button>
            </div>
        </section>
    }
}

/// Manifest layers in the user's order (bottom first), falling back to the manifest's.
pub fn ordered_layers<'a>(m: &'a Manifest, order: &[String]) -> Vec<&'a LayerInfo> {
    let mut out: Vec<&LayerInfo> = order.iter().filter_map(|id| m.layer(id)).collect();
    out.extend(m.layers.iter().filter(|l| !order.contains(&l.id)));
    out
}

/// Ids of the map features under a client point, topmost first, without repeats.
fn features_at(x: f64, y: f64) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for el in document().elements_from_point(x as f32, y as f32).iter() {
        let Ok(el) = el.dyn_into::<web_sys::Element>() else { continue };
        let Ok(Some(f)) = el.closest(".map .layer.interactive [data-feature-id]") else { continue };
        if let Some(id) = f.get_attribute("data-feature-id") {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Which geometries a drawing pass holds.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Pass {
    Areas,
    Lines,
    Points,
}

fn in_pass(g: &Geometry, pass: Pass) -> bool {
    matches!((g, pass), (Geometry::Polygons(_), Pass::Areas) | (Geometry::Lines(_), Pass::Lines) | (Geometry::Points(_), Pass::Points))
}

/// One drawn group: a layer's features of one pass, as filtered and named now.
#[derive(Clone)]
struct Group {
    pass: Pass,
    info: LayerInfo,
    layer: Arc<ReadyLayer>,
    manifest: Arc<Manifest>,
    statuses: Vec<Status>,
    lang: Lang,
}

impl Group {
    /// Same key, same DOM: the layer's data, the filter and the language.
    fn key(&self) -> (u8, String, usize, usize, Vec<Status>, bool) {
        (
            self.pass as u8,
            self.info.id.clone(),
            Arc::as_ptr(&self.layer) as usize,
            Arc::as_ptr(&self.manifest) as usize,
            self.statuses.clone(),
            self.lang == Lang::En,
        )
    }
}

/// A placed label, in drawing units.
#[derive(Clone, PartialEq)]
struct LabelView {
    id: String,
    text: String,
    x: f64,
    y: f64,
    align: &'static str,
    selected: bool,
}

/// Candidates from every visible labelled layer (a selected feature first), avoiding the
/// point symbols of all visible layers, laid out for `area` (the resting view).
fn label_layout(
    m: &Manifest,
    layers: &std::collections::BTreeMap<String, Load<Arc<ReadyLayer>>>,
    visible: &std::collections::BTreeMap<String, bool>,
    statuses: &[Status],
    lang: Lang,
    selected: Option<&str>,
    area: &Viewport,
) -> Vec<LabelView> {
    let sym = point_radius_px(area.metres_per_px);
    let bounds = area.bounds();
    let mut cands = Vec::new();
    let mut ids = Vec::new();
    let mut obstacles = Vec::new();
    for info in m.layers.iter().filter(|l| visible.get(&l.id).copied().unwrap_or(false)) {
        let Some(Load::Ready(r)) = layers.get(&info.id) else { continue };
        for f in r.features.iter().filter(|f| info.kind == LayerKind::Context || statuses.contains(&f.feature.props.status)) {
            for &(x, y) in &f.points {
                let at = Mercator { x: x / UNITS_PER_METRE, y: -y / UNITS_PER_METRE };
                if at.x >= bounds.min.x && at.x <= bounds.max.x && at.y >= bounds.min.y && at.y <= bounds.max.y {
                    obstacles.push(Rect::around(area.to_screen(at), sym, sym));
                }
            }
            let (Some(priority), Some(anchor)) = (info.label_priority, f.anchor) else { continue };
            let p = &f.feature.props;
            let name = if lang == Lang::Zh { &p.name_zh } else { &p.name_en };
            let is_selected = selected == Some(f.feature.id.as_str());
            cands.push(Candidate {
                text: short_name(name).to_string(),
                anchor,
                priority: if is_selected { 1e9 } else { priority },
                symbol_px: sym,
                required: is_selected,
            });
            ids.push((f.feature.id.clone(), is_selected));
        }
    }
    place(&cands, area, &obstacles, LabelStyle::default())
        .into_iter()
        .map(|pl| LabelView {
            id: ids[pl.index].0.clone(),
            text: cands[pl.index].text.clone(),
            x: pl.at.x * UNITS_PER_METRE,
            y: -pl.at.y * UNITS_PER_METRE,
            align: pl.align.as_svg(),
            selected: ids[pl.index].1,
        })
        .collect()
}

fn layer_group(
    m: &Manifest,
    info: &LayerInfo,
    layer: &Arc<ReadyLayer>,
    point_r: Memo<f64>,
    statuses: &[Status],
    pass: Pass,
    lang: Lang,
) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let features = layer
        .features
        .iter()
        .filter(|f| in_pass(&f.feature.geometry, pass))
        .filter(|f| info.kind == LayerKind::Context || statuses.contains(&f.feature.props.status))
        .map(|f| feature_view(m, info, f.clone(), point_r, state, lang))
        .collect::<Vec<_>>();
    let id = info.id.clone();
    let opacity = move || state.opacity.with(|o| o.get(&id).copied().unwrap_or(1.0));
    view! {
        <g class="layer" data-layer-id=info.id.clone() class:interactive=info.interactive opacity=opacity>
            {features}
        </g>
    }
}

fn feature_view(m: &Manifest, info: &LayerInfo, f: Arc<DrawnFeature>, point_r: Memo<f64>, state: AppState, lang: Lang) -> AnyView {
    let p = paint(m, info, &f.feature);
    let id = f.feature.id.clone();
    let props = &f.feature.props;
    let label = match lang {
        Lang::Zh => format!("{}（{}）", props.name_zh, props.status.label_zh()),
        Lang::En => format!("{} ({})", props.name_en, props.status.label_en()),
    };
    let schematic = props.precision == Precision::Schematic;
    let interactive = info.interactive;
    let sel_id = id.clone();
    let is_selected = move || state.selected.with(|s| s.as_deref() == Some(sel_id.as_str()));
    let key_id = id.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            state.select(Some(key_id.clone()));
        }
    };
    let class = format!("feature {} {}", props.status.as_str(), props.precision.as_str());
    let focusable = interactive.then_some("0");
    let role = interactive.then_some("button");
    match (&f.path, f.points.is_empty()) {
        (Some(d), _) => view! {
            <path
                d=d.clone()
                class=class
                class:selected=is_selected
                class:schematic=schematic
                data-feature-id=id
                fill=p.fill
                fill-opacity=p.fill_opacity
                fill-rule="evenodd"
                stroke=p.stroke
                stroke-opacity=p.stroke_opacity
                stroke-width=p.stroke_width
                stroke-dasharray=p.dash
                vector-effect="non-scaling-stroke"
                tabindex=focusable
                role=role
                aria-label=label
                on:keydown=on_key
            ></path>
        }
        .into_any(),
        (None, false) => {
            let circles = f
                .points
                .iter()
                .map(|&(x, y)| view! { <circle cx=x cy=y r=move || point_r.get() vector-effect="non-scaling-stroke"></circle> })
                .collect::<Vec<_>>();
            view! {
                <g
                    class=class
                    class:selected=is_selected
                    class:schematic=schematic
                    data-feature-id=id
                    fill=p.fill
                    fill-opacity=p.fill_opacity
                    stroke=p.stroke
                    stroke-opacity=p.stroke_opacity
                    stroke-width="1.5"
                    stroke-dasharray=p.dash
                    tabindex=focusable
                    role=role
                    aria-label=label
                    on:keydown=on_key
                >
                    {circles}
                </g>
            }
            .into_any()
        }
        (None, true) => ().into_any(),
    }
}
