//! Where a tap hits several overlapping features, a small dialog lists them to choose from;
//! Enter on the map lists what lies under its centre the same way (or says there is nothing).
//! It stays inside the map, and Escape closes it and returns to the map.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Lang};

/// The chooser for the taps recorded in this map's `MapState::chooser`.
pub fn chooser(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let el = NodeRef::<leptos::html::Div>::new();
    // Back to this map (for the keyboard: after a choice, or on Escape).
    let to_map = move || {
        let map =
            el.get_untracked().and_then(|e| e.closest(".map-pane").ok().flatten()).and_then(|p| p.query_selector(".map").ok().flatten());
        if let Some(map) = map.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = map.focus();
        }
    };
    // Positioned through the CSSOM (allowed by a strict CSP, unlike style attributes), next
    // to the point but kept inside the map: above the point when there is no room below.
    Effect::new(move |_| {
        let (Some((x, y, _)), Some(el)) = (state.view.chooser.get(), el.get()) else { return };
        let Some(pane) = el.parent_element() else { return };
        let (pw, ph) = (f64::from(pane.client_width()), f64::from(pane.client_height()));
        let (w, h) = (f64::from(el.offset_width()), f64::from(el.offset_height()));
        let left = x.min(pw - w - 4.0).max(4.0);
        let top = if y + h + 4.0 <= ph { y } else { (y - h).min(ph - h - 4.0).max(4.0) };
        let style = web_sys::HtmlElement::style(&el);
        let _ = style.set_property("left", &format!("{left:.0}px"));
        let _ = style.set_property("top", &format!("{top:.0}px"));
    });
    let items = move || {
        let l = lang.get();
        let ids = state.view.chooser.get().map(|c| c.2).unwrap_or_default();
        ids.into_iter()
            .filter_map(|id| state.feature(&id))
            .map(|f| {
                let p = &f.feature.props;
                let name = if l == Lang::Zh { p.name_zh.clone() } else { p.name_en.clone() };
                // A user's own feature has no plan status: its layer (file) is named instead.
                let status = if !crate::import::is_user_feature(state, &f.feature.id) {
                    l.t(p.status.label_zh(), p.status.label_en()).to_string()
                } else {
                    state.layer_info(&f.layer_id).map(|i| i.title_en).unwrap_or_default()
                };
                let id = f.feature.id.clone();
                let pick = move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    // Chosen with the keyboard (a click with no pointer): Escape in the card
                    // then returns to the map, not to this list, which closes now.
                    if ev.detail() == 0 {
                        to_map();
                    }
                    state.view.chooser.set(None);
                    state.select(Some(id.clone()), false);
                };
                view! {
                    <li><button data-feature-id=f.feature.id.clone() on:click=pick>{name}<span class="chooser-status">{status}</span></button></li>
                }
            })
            .collect::<Vec<_>>()
    };
    let empty = move || state.view.chooser.with(|c| c.as_ref().is_some_and(|c| c.2.is_empty()));
    let close = move |ev: web_sys::MouseEvent| {
        ev.stop_propagation();
        state.view.chooser.set(None);
        if ev.detail() == 0 {
            to_map();
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            state.view.chooser.set(None);
            to_map();
        }
    };
    view! {
        <Show when=move || state.view.chooser.with(Option::is_some)>
            <div
                class="chooser"
                role="dialog"
                node_ref=el
                on:keydown=on_key
                aria-label=move || if empty() { lang.get().t("地图中心没有要素", "Nothing at the centre") } else { lang.get().t("此处有多个要素", "Several features here") }
            >
                <p>
                    {move || if empty() {
                        lang.get().t("地图中心的十字处没有要素。移动地图，把十字对准一个图形。", "Nothing under the crosshair at the centre of the map. Move the map to put it on a shape.")
                    } else {
                        lang.get().t("此处有多个要素，请选择：", "Several features here. Choose one:")
                    }}
                </p>
                <ul>{items}</ul>
                <button class="chooser-close" on:click=close>{move || if empty() { lang.get().t("好", "OK") } else { lang.get().t("取消", "Cancel") }}</button>
            </div>
        </Show>
    }
}
