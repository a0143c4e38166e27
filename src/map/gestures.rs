//! How the map is moved and picked: one pointer drags, two pinch (zoom about their
//! midpoint), the wheel zooms about the cursor, a tap selects (or offers a choice where
//! shapes overlap), a double tap zooms in, arrows and +/- move the view. Hovering, pressing or
//! focusing a feature prefetches the plan text it cites.

use atlas_core::layer::Geometry;
use atlas_core::viewport::{ScreenPx, Viewport};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::dom;
use crate::state::AppState;

/// The map element's event handlers.
pub struct Gestures {
    pub down: Box<dyn Fn(web_sys::PointerEvent)>,
    pub moved: Box<dyn Fn(web_sys::PointerEvent)>,
    pub up: std::rc::Rc<dyn Fn(web_sys::PointerEvent)>,
    pub click: Box<dyn Fn(web_sys::MouseEvent)>,
    pub dblclick: Box<dyn Fn(web_sys::MouseEvent)>,
    pub key: Box<dyn Fn(web_sys::KeyboardEvent)>,
    pub intent: Box<dyn Fn(web_sys::PointerEvent)>,
    pub focus_intent: Box<dyn Fn(web_sys::FocusEvent)>,
}

/// Show a short hint over the map ("wheel" or "touch": how to move an embedded map).
pub fn show_hint(state: AppState, which: &'static str) {
    if state.ui.hint.get_untracked() == Some(which) {
        return;
    }
    state.ui.hint.set(Some(which));
    set_timeout(move || state.ui.hint.set(None), std::time::Duration::from_millis(1600));
}

/// Apply `f` to the viewport, if there is one.
fn update_view(state: AppState, f: impl FnOnce(Viewport) -> Viewport) {
    state.view.viewport.update(|v| {
        if let Some(v) = v {
            *v = f(*v);
        }
    });
}

/// Ids of this map's features under a client point, topmost first, without repeats. A joined
/// path of a large layer (`data-batch`) is resolved to its features by their geometry.
fn features_at(state: AppState, container: &web_sys::HtmlDivElement, x: f64, y: f64) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for el in dom::elements_at(x, y) {
        if !container.contains(Some(&el)) {
            continue;
        }
        if let Ok(Some(b)) = el.closest(".layer.interactive [data-batch]") {
            let key = b.get_attribute("data-batch").unwrap_or_default();
            let Some(v) = state.view.viewport.get_untracked() else { continue };
            let r = container.get_bounding_client_rect();
            let at = atlas_core::projection::unproject(v.to_map(atlas_core::coord::ScreenPx { x: x - r.left(), y: y - r.top() }));
            let reach = 4.0 * v.metres_per_px;
            for f in crate::map::layers::batch_features(state, &key).iter().rev() {
                if atlas_core::geometry::hits(&f.feature.geometry, at, reach) && !ids.contains(&f.feature.id) {
                    ids.push(f.feature.id.clone());
                }
            }
            continue;
        }
        let Ok(Some(f)) = el.closest(".layer.interactive [data-feature-id]") else { continue };
        if let Some(id) = f.get_attribute("data-feature-id") {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Ids of this map's features at a client point, as a tap there picks them: topmost first;
/// where a point or line is on top, only such small targets. A point or a line within
/// `reach` pixels counts as hit when nothing small is under the point itself, so a
/// fingertip need not land on a 6-pixel station.
fn picked_at(state: AppState, container: &web_sys::HtmlDivElement, x: f64, y: f64, reach: f64) -> Vec<String> {
    let is_area = |id: &String| state.feature(id).is_some_and(|f| matches!(f.feature.geometry, Geometry::Polygons(_)));
    let mut ids = features_at(state, container, x, y);
    if ids.first().is_some_and(|id| !is_area(id)) {
        ids.retain(|id| !is_area(id));
        return ids;
    }
    let mut near: Vec<String> = Vec::new();
    for ring in [reach / 2.0, reach] {
        for k in 0..8 {
            let a = f64::from(k) * std::f64::consts::FRAC_PI_4;
            for id in features_at(state, container, x + ring * a.cos(), y + ring * a.sin()) {
                if !is_area(&id) && !near.contains(&id) {
                    near.push(id);
                }
            }
        }
        if !near.is_empty() {
            return near;
        }
    }
    ids
}

/// The handlers for the map element `container`; the wheel listener (which must not be
/// passive, so the page does not scroll instead) is added here and removed on unmount.
pub fn use_gestures(state: AppState, container: NodeRef<leptos::html::Div>) -> Gestures {
    let dragged = StoredValue::new(false);
    let drag_from = StoredValue::new(None::<(f64, f64)>);
    let origin = move || {
        let rect = container.get_untracked().map(|el| el.get_bounding_client_rect());
        rect.map_or((0.0, 0.0), |r| (r.left(), r.top()))
    };
    let local = move |x: i32, y: i32| {
        let (l, t) = origin();
        (f64::from(x) - l, f64::from(y) - t)
    };

    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(el) = container.get() else { return false };
        dom::listen(&el, "wheel", false, move |ev: web_sys::WheelEvent| {
            // Embedded, a plain wheel scrolls the host page; Ctrl (⌘) + wheel zooms the map.
            if state.ui.embed.with_untracked(Option::is_some) && !ev.ctrl_key() && !ev.meta_key() {
                show_hint(state, "wheel");
                return;
            }
            ev.prevent_default();
            let (x, y) = local(ev.client_x(), ev.client_y());
            let factor = (-ev.delta_y() * 0.002).exp();
            update_view(state, |v| v.zoom_at(ScreenPx { x, y }, factor));
        });
        true
    });

    // Pointers down, by id: one is a drag, two are a pinch.
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let touch = StoredValue::new(false);
    let down = move |ev: web_sys::PointerEvent| {
        touch.set_value(ev.pointer_type() != "mouse");
        let (x, y) = local(ev.client_x(), ev.client_y());
        pointers.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        if pointers.with_value(Vec::len) == 1 {
            dragged.set_value(false);
            drag_from.set_value(Some((x, y)));
        }
        state.view.flight.update(|g| *g = g.wrapping_add(1));
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let (x, y) = local(ev.client_x(), ev.client_y());
        let before = pointers.get_value();
        let Some(i) = before.iter().position(|q| q.0 == ev.pointer_id()) else { return };
        // Embedded, one finger scrolls the host page; two move the map.
        if before.len() < 2 && ev.pointer_type() == "touch" && state.ui.embed.with_untracked(Option::is_some) {
            show_hint(state, "touch");
            return;
        }
        pointers.update_value(|p| p[i] = (ev.pointer_id(), x, y));
        if before.len() >= 2 {
            // Pinch: the distance ratio zooms, the midpoint's motion pans.
            let (_, ox, oy) = before[if i == 0 { 1 } else { 0 }];
            let (_, px, py) = before[i];
            let (d0, d1) = ((px - ox).hypot(py - oy), (x - ox).hypot(y - oy));
            let (m0x, m0y) = ((px + ox) / 2.0, (py + oy) / 2.0);
            let (m1x, m1y) = ((x + ox) / 2.0, (y + oy) / 2.0);
            if d0 > 1.0 && d1 > 1.0 {
                dragged.set_value(true);
                update_view(state, |v| v.pan_by(m1x - m0x, m1y - m0y).zoom_at(ScreenPx { x: m1x, y: m1y }, d1 / d0));
            }
            return;
        }
        let Some((x0, y0)) = drag_from.get_value() else { return };
        let (dx, dy) = (x - x0, y - y0);
        if !dragged.get_value() && dx.hypot(dy) < 4.0 {
            return;
        }
        dragged.set_value(true);
        drag_from.set_value(Some((x, y)));
        update_view(state, |v| v.pan_by(dx, dy));
    };
    let up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
        drag_from.set_value(pointers.with_value(|p| p.first().map(|&(_, x, y)| (x, y))));
    };

    // A tap selects the feature under it; where several overlap, the user chooses.
    let click = move |ev: web_sys::MouseEvent| {
        let Some(el) = container.get_untracked() else { return };
        if dragged.get_value() {
            return;
        }
        let (x, y) = local(ev.client_x(), ev.client_y());
        if super::measure::add_at(state, ScreenPx { x, y }) {
            return;
        }
        let (cx, cy) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        // A finger reaches 22 pixels around (a 44-pixel target), a mouse 6.
        let reach = if touch.get_value() { 22.0 } else { 6.0 };
        let ids = picked_at(state, &el, cx, cy, reach);
        state.view.chooser.set(None);
        match ids.len() {
            0 => {}
            1 => state.select(ids.into_iter().next(), false),
            _ => {
                let (x, y) = local(ev.client_x(), ev.client_y());
                state.view.chooser.set(Some((x, y, ids)));
            }
        }
    };
    let dblclick = move |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        let (x, y) = local(ev.client_x(), ev.client_y());
        if let Some(v) = state.view.viewport.get_untracked() {
            state.fly_to(v.zoom_at(ScreenPx { x, y }, 2.0));
        }
    };
    let key = move |ev: web_sys::KeyboardEvent| {
        // The map is one tab stop: arrows and +/- pan and zoom, Enter or Space lists the
        // features under the crosshair at its centre (chosen at once when there is one).
        // While measuring, Enter adds the point under the crosshair, Backspace removes the
        // last and Escape ends.
        if state.ui.measure.with_untracked(Option::is_some) {
            match ev.key().as_str() {
                "Enter" => {
                    ev.prevent_default();
                    if let Some(v) = state.view.viewport.get_untracked() {
                        super::measure::add_at(state, ScreenPx { x: v.width / 2.0, y: v.height / 2.0 });
                    }
                    return;
                }
                "Backspace" => {
                    ev.prevent_default();
                    super::measure::undo(state);
                    return;
                }
                "Escape" => {
                    state.ui.measure.set(None);
                    return;
                }
                _ => {}
            }
        }
        let step = 80.0;
        let f: fn(Viewport, f64) -> Viewport = match ev.key().as_str() {
            "ArrowLeft" => |v, s| v.pan_by(s, 0.0),
            "ArrowRight" => |v, s| v.pan_by(-s, 0.0),
            "ArrowUp" => |v, s| v.pan_by(0.0, s),
            "ArrowDown" => |v, s| v.pan_by(0.0, -s),
            "+" | "=" => |v, _| v.zoom_at(ScreenPx { x: v.width / 2.0, y: v.height / 2.0 }, 1.6),
            "-" | "_" => |v, _| v.zoom_at(ScreenPx { x: v.width / 2.0, y: v.height / 2.0 }, 1.0 / 1.6),
            "Escape" => {
                state.view.chooser.set(None);
                return;
            }
            // On the map itself (not on a control inside it).
            "Enter" | " "
                if ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|t| t.class_list().contains("map")) =>
            {
                ev.prevent_default();
                let (Some(el), Some(v)) = (container.get_untracked(), state.view.viewport.get_untracked()) else { return };
                let r = el.get_bounding_client_rect();
                let ids = picked_at(state, &el, r.left() + v.width / 2.0, r.top() + v.height / 2.0, 12.0);
                if ids.len() == 1 {
                    state.view.chooser.set(None);
                    state.select(ids.into_iter().next(), false);
                } else {
                    // A list to choose from, or the news that there is nothing here.
                    state.view.chooser.set(Some((v.width / 2.0, v.height / 2.0, ids)));
                    dom::focus_when_ready(".chooser button".into());
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        update_view(state, |v| f(v, step));
    };

    // Pointer events repeat while moving over one shape: look a feature up once per change.
    let last_intent = StoredValue::new(String::new());
    let intent_at = move |target: Option<web_sys::EventTarget>| {
        let el = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let id = el
            .and_then(|e| e.closest(".layer.interactive [data-feature-id]").ok().flatten())
            .and_then(|e| e.get_attribute("data-feature-id"));
        if let Some(id) = id.filter(|id| last_intent.with_value(|l| l != id)) {
            state.prefetch_text_of(&id);
            last_intent.set_value(id);
        }
    };
    Gestures {
        down: Box::new(down),
        moved: Box::new(moved),
        up: std::rc::Rc::new(up),
        click: Box::new(click),
        dblclick: Box::new(dblclick),
        key: Box::new(key),
        intent: Box::new(move |ev: web_sys::PointerEvent| intent_at(ev.target())),
        focus_intent: Box::new(move |ev: web_sys::FocusEvent| intent_at(ev.target())),
    }
}
