//! Where a tap hits several overlapping features, a small dialog lists them to choose from.

use leptos::prelude::*;

use crate::state::{AppState, Lang};

/// The chooser for the taps recorded in this map's `MapState::chooser`.
pub fn chooser(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let el = NodeRef::<leptos::html::Div>::new();
    // Positioned through the CSSOM (allowed by a strict CSP, unlike style attributes).
    Effect::new(move |_| {
        let (Some((x, y, _)), Some(el)) = (state.view.chooser.get(), el.get()) else { return };
        let style = web_sys::HtmlElement::style(&el);
        let _ = style.set_property("left", &format!("{:.0}px", x.max(4.0)));
        let _ = style.set_property("top", &format!("{:.0}px", y.max(4.0)));
    });
    let items = move || {
        let l = lang.get();
        let ids = state.view.chooser.get().map(|c| c.2).unwrap_or_default();
        ids.into_iter()
            .filter_map(|id| state.feature(&id))
            .map(|f| {
                let p = &f.feature.props;
                let name = if l == Lang::Zh { p.name_zh.clone() } else { p.name_en.clone() };
                let status = l.t(p.status.label_zh(), p.status.label_en()).to_string();
                let id = f.feature.id.clone();
                let pick = move |ev: web_sys::MouseEvent| {
                    ev.stop_propagation();
                    state.view.chooser.set(None);
                    state.select(Some(id.clone()), false);
                };
                view! {
                    <li><button data-feature-id=f.feature.id.clone() on:click=pick>{name}<span class="chooser-status">{status}</span></button></li>
                }
            })
            .collect::<Vec<_>>()
    };
    let close = move |ev: web_sys::MouseEvent| {
        ev.stop_propagation();
        state.view.chooser.set(None);
    };
    view! {
        <Show when=move || state.view.chooser.with(Option::is_some)>
            <div class="chooser" role="dialog" node_ref=el aria-label=move || lang.get().t("此处有多个要素", "Several features here")>
                <p>{move || lang.get().t("此处有多个要素，请选择：", "Several features here. Choose one:")}</p>
                <ul>{items}</ul>
                <button class="chooser-close" on:click=close>{move || lang.get().t("取消", "Cancel")}</button>
            </div>
        </Show>
    }
}
