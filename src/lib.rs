//! The Plan Atlas app: the module list and the top-level layout. Pure logic lives in
//! `atlas-core`; state is in `state`, loading in `loader`, the URL in `url_sync`, and the
//! only global DOM access in `dom`.

mod camera;
mod dom;
mod embed;
mod export_png;
mod feature_card;
mod feature_list;
mod figures;
mod import;
mod layer_list;
mod loader;
pub mod map;
mod reader;
mod search_box;
mod share;
mod sheet;
mod state;
pub(crate) mod tour;
mod url_sync;

use atlas_core::site;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use state::{AppState, Data, Lang, Load, MapState, Selection, Ui};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let ui = Ui {
        lang: RwSignal::new(Lang::Zh),
        notices: RwSignal::new(Vec::new()),
        query: RwSignal::new(String::new()),
        catchments: RwSignal::new(None),
        present: RwSignal::new(false),
        stations_2025: RwSignal::new(None),
        tour: RwSignal::new(Vec::new()),
        stop: RwSignal::new(None),
        measure: RwSignal::new(None),
        embed: RwSignal::new(None),
        hint: RwSignal::new(None),
        sheet: RwSignal::new(state::Sheet { panel: state::SheetPanel::Layers, size: state::SheetSize::Peek }),
        import: RwSignal::new(None),
        import_report: RwSignal::new(None),
        dropping: RwSignal::new(false),
    };
    let view = MapState::new();
    let state = AppState { data: Data::new(), view, sel: Selection::new(), ui, cmp: state::Compare::new(view) };
    provide_context(state);
    let url = url_sync::start(state);
    state.load_start(move |m| url_sync::apply_layers(state, &url, m));
    camera::use_reveal(state);
    embed::start(state);
    import::use_drop(state);
    // A layer is fetched when it is first shown (by the user, a link or a selection).
    Effect::new(move |_| {
        if state.data.manifest.with(|m| matches!(m, Load::Ready(_))) {
            let right = if state.cmp.on() { state.cmp.right.visible.get() } else { Default::default() };
            for (id, on) in state.view.visible.get().into_iter().chain(right) {
                if on {
                    state.ensure_layer(&id);
                }
            }
        }
    });

    // A feature chosen with the keyboard (from the map's centre, a list, a link, a search
    // result) moves the focus to its card; Escape there returns to where the choice was made.
    dom::track_input_kind();
    Effect::new(move |prev: Option<Option<String>>| {
        let now = state.sel.selected.get();
        if let (Some(id), Some(before)) = (&now, &prev) {
            if before.as_ref() != Some(id) && dom::keyboard_used() && !dom::focus_within(".card-pane") {
                dom::remember_focus();
                dom::focus_when_ready(format!(".card[data-feature-id=\"{id}\"] h2"));
            }
        }
        now
    });
    // On a phone, a chosen feature or clause opens the sheet at the card and the plan text.
    let sheet = state.ui.sheet;
    Effect::new(move |prev: Option<(Option<String>, Option<String>)>| {
        let now = (state.sel.selected.get(), state.sel.reader.with(|r| r.doc.clone()));
        let chosen = now.0.is_some() && prev.as_ref().is_none_or(|p| p.0 != now.0);
        let opened = now.1.is_some() && prev.as_ref().is_none_or(|p| p.1 != now.1);
        if chosen || opened {
            sheet.update(|s| *s = s.open(state::SheetPanel::Feature));
        }
        now
    });

    let lang = state.ui.lang;
    // The page's language follows the interface's, for screen readers and fonts.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", if lang.get() == Lang::En { "en" } else { "zh-CN" });
        }
        document().set_title(&site::page_title(lang.get() == Lang::En));
    });
    let progress = move || {
        state.data.layers.with(|l| {
            let total = l.len();
            let done = l.values().filter(|s| !matches!(s, Load::Loading)).count();
            (done, total)
        })
    };
    let loading_text = move || {
        let (done, total) = progress();
        match state.data.manifest.get() {
            Load::Loading => lang.get().t("正在加载图层目录…", "Loading the layer list…").to_string(),
            Load::Failed(e) => format!("{} {e}", lang.get().t("无法加载图层目录：", "Could not load the layer list:")),
            Load::Ready(_) if done < total => format!("{} {done}/{total}", lang.get().t("正在加载图层", "Loading layers")),
            Load::Ready(_) => String::new(),
        }
    };
    let failed = move || matches!(state.data.manifest.get(), Load::Failed(_));
    let notices = state.ui.notices;
    let present = state.ui.present;
    // P toggles presentation mode and Escape leaves it (not while typing in a field). In
    // presentation mode with a tour, Page Down, → and N show the next view, Page Up, ← and B
    // the previous one (arrows stay with the map, a slider or a list that has the focus).
    let window: web_sys::EventTarget = window().into();
    // Not passive: Page Up and Page Down must not scroll the page while they step a tour.
    dom::listen(&window, "keydown", false, move |ev: web_sys::KeyboardEvent| {
        let typing = dom::focus_within("input, textarea, select");
        let plain = !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key();
        let touring = present.get_untracked() && !state.ui.tour.with_untracked(Vec::is_empty) && !typing && plain;
        let arrows_free = !dom::focus_within(".map, [role=slider], .reader, .toc, .search");
        match ev.key().as_str() {
            // Escape in the card or the plan text goes back to what opened them.
            "Escape" if dom::focus_within(".side") && dom::return_focus() => {}
            "p" | "P" if !typing && plain => present.update(|p| *p = !*p),
            "Escape" if present.get_untracked() => present.set(false),
            "PageDown" | "n" | "N" if touring => {
                ev.prevent_default();
                tour::step(state, true);
            }
            "PageUp" | "b" | "B" if touring => {
                ev.prevent_default();
                tour::step(state, false);
            }
            "ArrowRight" if touring && arrows_free => tour::step(state, true),
            "ArrowLeft" if touring && arrows_free => tour::step(state, false),
            _ => {}
        }
    });

    let embedded = move || state.ui.embed.with(Option::is_some);
    // A map whose height follows its width (`ratio`): the page grows with the card below it.
    Effect::new(move |_| {
        let ratio = state.ui.embed.get().and_then(|e| e.ratio);
        if let Some(root) = document().document_element() {
            let classes = root.class_list();
            let _ = if embedded() { classes.add_1("embedded") } else { classes.remove_1("embedded") };
            let _ = if ratio.is_some() { classes.add_1("ratio") } else { classes.remove_1("ratio") };
            if let Some(r) = ratio {
                let _ = web_sys::HtmlElement::style(root.unchecked_ref()).set_property("--ratio", &format!("{}", f64::from(r) / 100.0));
            }
        }
    });

    view! {
        // First in the tab order: straight to the map, or to the plan text (buttons that move
        // the focus, not links: a link's #fragment would become the view's URL).
        <nav class="skip-links" aria-label=move || lang.get().t("跳转", "Skip links")>
            <button class="skip-link" on:click=move |_| dom::focus_first(".map-pane:not(.right) > .map")>
                {move || lang.get().t("跳到地图", "Skip to the map")}
            </button>
            <button class="skip-link" on:click=move |_| dom::focus_first(".reader")>
                {move || lang.get().t("跳到规划原文", "Skip to the plan text")}
            </button>
        </nav>
        <header class="topbar" class:present=move || present.get() class:embed=embedded>
            <h1>
                <span class="brand">"Plan Atlas"</span>
                <span class="subtitle">{move || lang.get().t(site::SUBTITLE_ZH, site::SUBTITLE_EN)}</span>
            </h1>
            <search_box::SearchBox />
            <share::Share />
            {lang_toggle(lang)}
        </header>
        <div class="status" role="status" aria-live="polite" class:error=failed>
            {loading_text}
        </div>
        <import::DropNotice />
        <Show when=move || !notices.with(|n| n.is_empty())>
            <div class="notice" role="alert">
                {move || {
                    // The first three messages, each kept short, and a count of the others.
                    let l = lang.get();
                    let (shown, more) = notices.with(|n| site::bounded_list(n, 3, 400));
                    let rest = match (more, l) {
                        (0, _) => String::new(),
                        (n, Lang::Zh) => format!("（另有{n}条提示）"),
                        (n, Lang::En) => format!(" (and {n} more)"),
                    };
                    format!("{}{rest}", shown.join(l.t("；", "; ")))
                }}
                <button on:click=move |_| notices.set(Vec::new()) aria-label=move || lang.get().t("关闭提示", "Dismiss")>"×"</button>
            </div>
        </Show>
        // The map comes first in the tab order (one stop), then the panels; on a desktop the
        // layers stand left of it, on a phone they share the bottom sheet with the card.
        <main
            class="layout"
            class:present=move || present.get()
            class:embed=embedded
            class:no-reader=move || state.ui.embed.get().is_some_and(|e| !e.reader)
            class:sheet-layers=move || sheet.get().panel == state::SheetPanel::Layers
            class:sheet-feature=move || sheet.get().panel == state::SheetPanel::Feature
            class:sheet-peek=move || sheet.get().size == state::SheetSize::Peek
            class:sheet-half=move || sheet.get().size == state::SheetSize::Half
            class:sheet-full=move || sheet.get().size == state::SheetSize::Full
        >
            <map::Maps />
            {sheet::sheet_bar(state)}
            <section class="left" id="panel-layers" aria-label=move || lang.get().t("图层与图例", "Layers and legend")>
                <layer_list::Layers />
                <figures::Figures />
                <tour::TourPanel />
                <feature_list::FeatureList />
            </section>
            <section class="side" id="panel-feature" aria-label=move || lang.get().t("要素与规划原文", "Feature and plan text")>
                <feature_card::FeatureCard />
                <reader::Reader />
            </section>
        </main>
        <footer class="attribution" class:embed=embedded>
            // In full on a wide screen; in short on a phone or in a frame (its credits kept).
            <span class="attribution-text long" class:embed=embedded>{move || lang.get().t(site::ATTRIBUTION_ZH, site::ATTRIBUTION_EN)}</span>
            <span class="attribution-text short" class:embed=embedded>{move || lang.get().t(site::ATTRIBUTION_SHORT_ZH, site::ATTRIBUTION_SHORT_EN)}</span>
            {move || embedded().then(|| view! {
                <span class="embed-links">
                    {lang_toggle(lang)}
                    <a class="open-full" href=move || { state.sel.selected.track(); state.view.settled.track(); embed::full_map_url() } target="_blank" rel="noopener">
                        {move || lang.get().t("完整地图 ↗", "Full map ↗")}
                    </a>
                </span>
            })}
        </footer>
    }
}

/// The language switch (in the title bar, and in an embedded map's footer). Its name starts
/// with what it shows.
fn lang_toggle(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <button
            class="lang-toggle"
            aria-label=move || lang.get().t("EN：Switch to English", "中文：切换到中文")
            on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
        >
            {move || lang.get().t("EN", "中文")}
        </button>
    }
}
