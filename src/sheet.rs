//! On a phone or tablet, the panels live in a bottom sheet under the map: a bar of two tabs
//! (the layers with their legend; the chosen feature with its plan text) and a size button,
//! folded to the bar, half open or nearly full. A swipe up or down on the bar resizes it. On
//! a desktop the bar is hidden and both panels stand beside the map (style.css).

use leptos::prelude::*;

use crate::state::{AppState, SheetPanel, SheetSize};

/// The sheet's bar.
pub fn sheet_bar(state: AppState) -> impl IntoView {
    let lang = state.ui.lang;
    let sheet = state.ui.sheet;
    let tab = move |panel: SheetPanel, controls: &'static str, zh: &'static str, en: &'static str| {
        let open = move || sheet.with(|s| s.panel == panel && s.size != SheetSize::Peek);
        view! {
            <button
                class="sheet-tab"
                aria-controls=controls
                aria-expanded=move || open().to_string()
                on:click=move |_| sheet.update(|s| *s = s.tap(panel))
            >
                {move || lang.get().t(zh, en)}
            </button>
        }
    };
    // A vertical swipe on the bar: up opens the sheet further, down folds it.
    let from = StoredValue::new(None::<i32>);
    let down = move |ev: web_sys::PointerEvent| from.set_value(Some(ev.client_y()));
    let up = move |ev: web_sys::PointerEvent| {
        if let Some(y0) = from.get_value() {
            let dy = ev.client_y() - y0;
            if dy.abs() > 30 {
                sheet.update(|s| *s = s.step(dy < 0));
            }
        }
        from.set_value(None);
    };
    let size_label = move || {
        let l = lang.get();
        match sheet.get().size {
            SheetSize::Peek => l.t("展开面板", "Open the panel"),
            SheetSize::Half => l.t("面板全屏", "Enlarge the panel"),
            SheetSize::Full => l.t("收起面板", "Fold the panel"),
        }
    };
    view! {
        <div class="sheet-bar" on:pointerdown=down on:pointerup=up on:pointercancel=move |_| from.set_value(None)>
            {tab(SheetPanel::Layers, "panel-layers", "图层与图例", "Layers & legend")}
            {tab(SheetPanel::Feature, "panel-feature", "要素与原文", "Feature & text")}
            <button
                class="sheet-size"
                aria-label=size_label
                title=size_label
                on:click=move |_| sheet.update(|s| *s = if s.size == SheetSize::Full { s.step(false).step(false) } else { s.step(true) })
            >
                <span aria-hidden="true">{move || if sheet.get().size == SheetSize::Full { "▾" } else { "▴" }}</span>
            </button>
        </div>
    }
}
