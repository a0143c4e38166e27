//! The map pane: an SVG in Web Mercator drawing units. Geometry is projected once when a
//! layer loads; pan and zoom change only the `viewBox` (and point-symbol radii).

use std::sync::Arc;

use atlas_core::layer::{Geometry, Precision};
use atlas_core::manifest::{LayerInfo, LayerKind, Manifest};
use atlas_core::svg::UNITS_PER_METRE;
use atlas_core::viewport::{MercatorBox, ScreenPx, Viewport};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::{AppState, DrawnFeature, Lang, Load, ReadyLayer};

/// Radius of point symbols in CSS pixels.
const POINT_RADIUS_PX: f64 = 7.0;

/// Colours and dashes for one feature, from the manifest.
struct Paint {
    fill: String,
    fill_opacity: f64,
    stroke: String,
    stroke_opacity: f64,
    stroke_width: f64,
    dash: Option<String>,
}

fn paint(m: &Manifest, info: &LayerInfo, f: &DrawnFeature) -> Paint {
    let props = &f.feature.props;
    let status = m.status_styles.get(props.status.as_str());
    let (k, stroke_k) = match info.kind {
        LayerKind::Context => (1.0, 1.0),
        LayerKind::Plan => status.map_or((1.0, 1.0), |s| (s.opacity, s.stroke_opacity)),
    };
    let mut fill = info.style.fill.clone();
    if let Some(c) = &info.choropleth {
        if let Some(v) = props.numbers.iter().find(|n| n.label_en == c.number) {
            if let Some(colour) = c.colour(v.value) {
                fill = colour.to_string();
            }
        }
    }
    let precision = m.precision_styles.get(props.precision.as_str());
    let is_polygon = matches!(f.feature.geometry, Geometry::Polygons(_));
    if is_polygon && info.choropleth.is_none() && precision.is_some_and(|p| p.hatch) {
        fill = format!("url(#hatch-{})", info.id);
    }
    if matches!(f.feature.geometry, Geometry::Lines(_)) {
        fill = "none".into();
    }
    Paint {
        fill,
        fill_opacity: if is_polygon { info.style.fill_opacity * k } else { 0.95 * k.max(0.35) },
        stroke: info.style.stroke.clone(),
        stroke_opacity: stroke_k,
        stroke_width: info.style.stroke_width,
        dash: precision.and_then(|p| p.dash.clone()),
    }
}

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
        let Some((w, h)) = size() else { return };
        let bounds = state.layers.with(|layers| {
            if layers.is_empty() || layers.values().any(|l| matches!(l, Load::Loading)) {
                return None;
            }
            layers.values().filter_map(|l| if let Load::Ready(r) = l { r.bounds } else { None }).reduce(MercatorBox::union)
        });
        if let Some(b) = bounds {
            state.viewport.set(Some(Viewport::fit(b, w, h, 12.0)));
        }
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

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        dragged.set_value(false);
        drag_from.set_value(Some((f64::from(ev.client_x()), f64::from(ev.client_y()))));
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let Some((x0, y0)) = drag_from.get_value() else { return };
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
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
    let on_pointer_up = move |_| drag_from.set_value(None);

    let zoom = move |factor: f64| {
        state.viewport.update(|v| {
            if let Some(v) = v {
                let c = ScreenPx { x: v.width / 2.0, y: v.height / 2.0 };
                *v = v.zoom_at(c, factor);
            }
        })
    };
    let fit_all = move |_| {
        state.viewport.set(None);
    };

    let view_box = move || state.viewport.get().map(|v| v.view_box()).unwrap_or_else(|| "0 0 1 1".into());
    let point_r = Memo::new(move |_| {
        state.viewport.get().map(|v| POINT_RADIUS_PX * v.metres_per_px * UNITS_PER_METRE).unwrap_or(0.0)
    });

    let layers_view = move || {
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        let visible = state.visible.get();
        let layers = state.layers.get();
        m.layers
            .iter()
            .filter(|info| visible.get(&info.id).copied().unwrap_or(false))
            .filter_map(|info| match layers.get(&info.id) {
                Some(Load::Ready(r)) => Some(layer_group(&m, info, r, point_r, dragged)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };

    let hatches = move || {
        let Load::Ready(m) = state.manifest.get() else { return Vec::new() };
        m.layers
            .iter()
            .filter(|l| l.kind == LayerKind::Plan)
            .map(|l| {
                view! {
                    <pattern id=format!("hatch-{}", l.id) patternUnits="userSpaceOnUse" width="1.2" height="1.2" patternTransform="rotate(45)">
                        <rect width="1.2" height="1.2" fill=l.style.fill.clone() fill-opacity="0.25"></rect>
                        <line x1="0" y1="0" x2="0" y2="1.2" stroke=l.style.stroke.clone() stroke-width="0.35"></line>
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
                data-view-ready=move || state.viewport.with(Option::is_some).to_string()
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointerleave=on_pointer_up
            >
                <svg
                    class="map-svg"
                    viewBox=view_box
                    preserveAspectRatio="xMidYMid meet"
                    role="group"
                    aria-label=move || lang.get().t("天津规划要素地图", "Map of Tianjin plan features")
                >
                    <defs>{hatches}</defs>
                    {layers_view}
                </svg>
            </div>
            <div class="map-controls">
                <button on:click=move |_| zoom(1.6) aria-label=move || lang.get().t("放大", "Zoom in")>"+"</button>
                <button on:click=move |_| zoom(1.0 / 1.6) aria-label=move || lang.get().t("缩小", "Zoom out")>"−"</button>
                <button on:click=fit_all aria-label=move || lang.get().t("显示全市", "Show all of Tianjin")>"⤢"</button>
            </div>
        </section>
    }
}

fn layer_group(
    m: &Manifest,
    info: &LayerInfo,
    layer: &Arc<ReadyLayer>,
    point_r: Memo<f64>,
    dragged: StoredValue<bool>,
) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let features = layer
        .features
        .iter()
        .map(|f| feature_view(m, info, f.clone(), point_r, dragged, state))
        .collect::<Vec<_>>();
    view! {
        <g class="layer" data-layer-id=info.id.clone() class:interactive=info.interactive>
            {features}
        </g>
    }
}

fn feature_view(
    m: &Manifest,
    info: &LayerInfo,
    f: Arc<DrawnFeature>,
    point_r: Memo<f64>,
    dragged: StoredValue<bool>,
    state: AppState,
) -> AnyView {
    let p = paint(m, info, &f);
    let id = f.feature.id.clone();
    let props = &f.feature.props;
    let label = match state.lang.get_untracked() {
        Lang::Zh => format!("{}（{}）", props.name_zh, props.status.label_zh()),
        Lang::En => format!("{} ({})", props.name_en, props.status.label_en()),
    };
    let schematic = props.precision == Precision::Schematic;
    let interactive = info.interactive;
    let sel_id = id.clone();
    let is_selected = move || state.selected.with(|s| s.as_deref() == Some(sel_id.as_str()));
    let click_id = id.clone();
    let select = move || {
        if !dragged.get_value() {
            state.select(Some(click_id.clone()));
        }
    };
    let select_key = select.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" || ev.key() == " " {
            ev.prevent_default();
            select_key();
        }
    };
    let class = format!("feature {} {}", props.status.as_str(), props.precision.as_str());
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
                tabindex=if interactive { Some("0") } else { None }
                role=if interactive { Some("button") } else { None }
                aria-label=label
                on:click=move |_| if interactive { select() }
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
                    tabindex="0"
                    role="button"
                    aria-label=label
                    on:click=move |_| select()
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
