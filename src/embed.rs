//! The postMessage API of a map in a frame (`docs/embedding.md`). Messages are validated by
//! `atlas_core::embed`; commands are taken only from the frame's parent page, and only when
//! that page's origin is the site's own or is listed in `embed.json`. An allowed page that
//! sends an invalid command gets an `error` saying why; anything else is ignored.

use atlas_core::embed::{self, Command, EmbedConfig, Snapshot};
use atlas_core::url_state::{MapPosition, UrlState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom;
use crate::state::{AppState, Lang, Load};

/// The page that embeds this one, if any: its window and its origin.
fn parent() -> Option<(web_sys::Window, Option<String>)> {
    let w = window();
    let parent = w.parent().ok().flatten()?;
    if js_sys::Object::is(&parent, &w) {
        return None;
    }
    // `ancestorOrigins` (Chromium, WebKit); else the referrer's origin.
    let from_ancestors = js_sys::Reflect::get(&w.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .and_then(|l| l.dyn_into::<web_sys::DomStringList>().ok())
        .and_then(|l| l.item(0));
    let origin = from_ancestors.or_else(|| {
        let r = document().referrer();
        web_sys::Url::new(&r).ok().map(|u| u.origin()).filter(|o| o != "null")
    });
    Some((parent, origin))
}

fn post(to: &web_sys::Window, origin: &str, text: &str) {
    // Sent as a parsed object: hosts read `event.data.type`.
    if let Ok(v) = js_sys::JSON::parse(text) {
        let _ = to.post_message(&v, origin);
    }
}

/// The full site's permalink for the current view (without the embed fields).
pub fn full_map_url() -> String {
    let (mut url, _) = UrlState::parse(&dom::hash());
    url.embed = false;
    url.reader = None;
    url.ratio = None;
    let loc = window().location();
    format!("{}{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default(), url.format())
}

fn snapshot(state: AppState) -> Snapshot {
    let map = state.view.viewport.get_untracked().or(state.view.settled.get_untracked()).map(|v| MapPosition::of(&v));
    let layers = match state.manifest() {
        Some(m) => {
            let visible = state.view.visible.get_untracked();
            m.ordered(&state.view.order.get_untracked())
                .into_iter()
                .filter(|l| visible.get(&l.id).copied().unwrap_or(false))
                .map(|l| l.id.clone())
                .collect()
        }
        None => Vec::new(),
    };
    Snapshot {
        map,
        layers,
        feature: state.sel.selected.get_untracked(),
        lang: state.ui.lang.get_untracked().code().into(),
        url: full_map_url(),
    }
}

/// Start the API when the page is in a frame.
pub fn start(state: AppState) {
    let Some((parent_window, parent_origin)) = parent() else { return };
    let own = window().location().origin().unwrap_or_default();
    let config: RwSignal<Option<EmbedConfig>> = RwSignal::new(None);
    spawn_local(async move {
        let c = match crate::loader::fetch_text("embed.json").await {
            Ok(t) => EmbedConfig::parse(&t).unwrap_or_else(|e| {
                web_sys::console::error_1(&JsValue::from_str(&e));
                EmbedConfig::default()
            }),
            // No file: the site's own origin only.
            Err(_) => EmbedConfig::default(),
        };
        config.set(Some(c));
    });
    // Where outbound messages go: the parent's origin, once it is known to be allowed.
    let target = Memo::new(move |_| {
        let c = config.get()?;
        parent_origin.clone().filter(|o| c.allows(o, &own))
    });
    let own = window().location().origin().unwrap_or_default();
    let to_parent = StoredValue::new_local(parent_window.clone());
    let send = move |text: String| {
        if let Some(origin) = target.get_untracked() {
            to_parent.with_value(|p| post(p, &origin, &text));
        }
    };

    // Inbound.
    let on_message = move |ev: web_sys::MessageEvent| {
        let Some(c) = config.get_untracked() else { return };
        let from_parent = ev.source().is_some_and(|s| to_parent.with_value(|p| js_sys::Object::is(&s, p)));
        let origin = ev.origin();
        if !from_parent || !c.allows(&origin, &own) {
            return;
        }
        let data = ev.data();
        let text = match data.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&data).ok().and_then(|s| s.as_string()).unwrap_or_default(),
        };
        let reply = |text: String| to_parent.with_value(|p| post(p, &origin, &text));
        match embed::read(&text) {
            None => {}
            Some(Err(r)) => reply(embed::error(&r)),
            Some(Ok(msg)) => {
                let get_state = msg.command == Command::GetState;
                if let Some(problem) = run(state, msg.command) {
                    reply(embed::error(&embed::Refusal { message: problem, id: msg.id }));
                } else if get_state || msg.id.is_some() {
                    reply(embed::state(&snapshot(state), msg.id.as_ref()));
                }
            }
        }
    };
    let w: web_sys::EventTarget = window().into();
    dom::listen(&w, "message", true, on_message);

    // Outbound: ready once the map has its view, then the user's selections and the view.
    let ready = RwSignal::new(false);
    Effect::new(move |_| {
        if ready.get() || target.get().is_none() {
            return;
        }
        if state.view.viewport.with(Option::is_some) && matches!(state.data.manifest.get(), Load::Ready(_)) {
            ready.set(true);
            send(embed::ready(&snapshot(state)));
        }
    });
    Effect::new(move |prev: Option<Option<String>>| {
        let now = state.sel.selected.get();
        if ready.get_untracked() && prev.is_some_and(|p| p != now) {
            let f = now.as_deref().and_then(|id| state.feature(id));
            let names = f.as_ref().map(|f| (f.feature.props.name_zh.clone(), f.feature.props.name_en.clone()));
            send(embed::selected(now.as_deref(), names.as_ref().map(|n| n.0.as_str()), names.as_ref().map(|n| n.1.as_str())));
        }
        now
    });
    Effect::new(move |_| {
        let v = state.view.settled.get();
        if v.is_some() && ready.get() {
            send(embed::view_change(&snapshot(state)));
        }
    });
    // The content's height, for hosts that size the frame to it.
    let last_height = StoredValue::new(0.0f64);
    let measure = move || {
        let Some(root) = document().document_element() else { return };
        let h = f64::from(root.scroll_height());
        if (h - last_height.get_value()).abs() >= 1.0 && target.get_untracked().is_some() {
            last_height.set_value(h);
            send(embed::resize(h));
        }
    };
    let observed = Closure::<dyn FnMut()>::new(measure);
    if let Ok(ro) = web_sys::ResizeObserver::new(observed.as_ref().unchecked_ref()) {
        if let Some(body) = document().body() {
            ro.observe(&body);
        }
        // Kept for the page's life, like the frame itself.
        std::mem::forget(ro);
    }
    observed.forget();
    Effect::new(move |_| {
        if ready.get() {
            last_height.set_value(0.0);
            measure();
        }
    });
}

/// Carry out a command; `Some` with the reason when it cannot be done.
fn run(state: AppState, command: Command) -> Option<String> {
    match command {
        Command::Select(None) => state.select(None, false),
        Command::Select(Some(id)) => {
            if state.feature(&id).is_none() && state.all_layers_settled() {
                return Some(format!("select: no feature has the id \"{id}\""));
            }
            state.select(Some(id), true);
        }
        Command::SetLayers(list) => {
            let m = state.manifest()?;
            let unknown: Vec<&str> = list.iter().filter(|l| m.layer(&l.id).is_none()).map(|l| l.id.as_str()).collect();
            if !unknown.is_empty() {
                return Some(format!("setLayers: no layer has the id {}", unknown.join(", ")));
            }
            crate::url_sync::set_layers(state, &list, &m);
        }
        Command::SetView(p) => {
            let Some(v) = state.view.viewport.get_untracked() else { return Some("setView: the map is not ready".into()) };
            state.view.flight.update(|g| *g = g.wrapping_add(1));
            state.view.viewport.set(Some(p.to_viewport(v.width, v.height)));
        }
        Command::SetLanguage(l) => state.ui.lang.set(if l == "en" { Lang::En } else { Lang::Zh }),
        Command::GetState => {}
    }
    None
}
