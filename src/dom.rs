//! The one module that reaches the page globally: the document by id, the window's
//! location, history and navigator, media queries, and event listeners that are removed when
//! the component that added them goes away. Components otherwise own their elements through
//! `NodeRef`s.

use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// True when the user asks for less motion (flights jump instead).
pub fn prefers_reduced_motion() -> bool {
    leptos::prelude::window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches())
}

/// Remove the element with this id from the page, if present (the build-time picture).
pub fn remove_by_id(id: &str) {
    if let Some(el) = leptos::prelude::document().get_element_by_id(id) {
        el.remove();
    }
}

/// Elements under a client point, topmost first.
pub fn elements_at(x: f64, y: f64) -> Vec<web_sys::Element> {
    leptos::prelude::document()
        .elements_from_point(x as f32, y as f32)
        .iter()
        .filter_map(|e| e.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let nav = leptos::prelude::window().navigator();
    let list: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// The location's hash, with its `#`.
pub fn hash() -> String {
    leptos::prelude::window().location().hash().unwrap_or_default()
}

/// Write `hash` into the address: a new history entry when `push`, else replacing the
/// current one. An empty hash leaves the bare path.
pub fn write_hash(hash: &str, push: bool) {
    let w = leptos::prelude::window();
    let Ok(history) = w.history() else { return };
    let location = w.location();
    let target = if hash.is_empty() {
        format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
    } else {
        hash.to_string()
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&target))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&target))
    };
}

/// A listener on `target` for `event`, removed when the current reactive owner is cleaned
/// up (the component unmounts). `passive: false` lets the handler call `prevent_default`
/// on wheel and touch events.
pub fn listen<E: JsCast + 'static>(
    target: &web_sys::EventTarget,
    event: &'static str,
    passive: bool,
    mut handler: impl FnMut(E) + 'static,
) {
    add(target, event, passive, false, Box::new(move |ev: web_sys::Event| handler(ev.unchecked_into::<E>())));
}

/// The one, non-generic, place that adds and removes listeners (one copy in the wasm).
fn add(target: &web_sys::EventTarget, event: &'static str, passive: bool, capture: bool, handler: Box<dyn FnMut(web_sys::Event)>) {
    let closure = Closure::wrap(handler);
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_passive(passive);
    opts.set_capture(capture);
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(event, closure.as_ref().unchecked_ref(), &opts);
    let held = SendWrapper::new((target.clone(), closure));
    leptos::prelude::on_cleanup(move || {
        let (target, closure) = held.take();
        let _ = target.remove_event_listener_with_callback_and_bool(event, closure.as_ref().unchecked_ref(), capture);
    });
}

/// [`listen`] on the window.
pub fn listen_window<E: JsCast + 'static>(event: &'static str, handler: impl FnMut(E) + 'static) {
    let w: web_sys::EventTarget = leptos::prelude::window().into();
    listen(&w, event, true, handler);
}

/// Call `changed` whenever `el` changes size, until the current reactive owner is cleaned up.
pub fn observe_size(el: &web_sys::Element, changed: impl Fn() + 'static) {
    let callback = Closure::<dyn FnMut()>::new(changed);
    let Ok(ro) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else { return };
    ro.observe(el);
    let kept = send_wrapper::SendWrapper::new((ro, callback));
    leptos::prelude::on_cleanup(move || kept.take().0.disconnect());
}

/// Move keyboard focus to the first element matching `selector`, now.
pub fn focus_first(selector: &str) {
    if let Ok(Some(el)) = leptos::prelude::document().query_selector(selector) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Move keyboard focus to the first element matching `selector` once it exists (a clause the
/// reader is still drawing, a card being built), trying for about two seconds; then, for about
/// two more, focus it again if a redraw replaced the element and focus fell back to the page.
/// The reader scrolls the element into place itself, so focusing does not scroll.
pub fn focus_when_ready(selector: String) {
    fn focus_first(selector: &str) -> bool {
        let found = leptos::prelude::document().query_selector(selector).ok().flatten();
        match found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            Some(el) => {
                let opts = web_sys::FocusOptions::new();
                opts.set_prevent_scroll(true);
                let _ = el.focus_with_options(&opts);
                true
            }
            None => false,
        }
    }
    fn attempt(selector: String, tries: u32, kept: u32) {
        let doc = leptos::prelude::document();
        let lost = doc.active_element().is_none_or(|a| a.tag_name() == "BODY");
        let done = if kept > 0 { !lost || focus_first(&selector) } else { focus_first(&selector) };
        let (tries, kept) = match (done, kept) {
            (true, 0) => (tries, 15),
            (true, k) => (tries, k - 1),
            (false, k) => (tries.saturating_sub(1), k),
        };
        if tries > 0 && kept != 1 {
            leptos::prelude::set_timeout(move || attempt(selector, tries, kept), std::time::Duration::from_millis(130));
        }
    }
    attempt(selector, 16, 0);
}

thread_local! {
    /// Where the keyboard focus was when a choice opened something elsewhere (a card, a
    /// clause): Escape there brings it back.
    static RETURN_TO: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// Whether the last input was a key (not a pointer).
    static KEYBOARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Follow whether the user is working with the keyboard or a pointer now.
pub fn track_input_kind() {
    // In the capture phase, before any handler of the event (and the effects it runs) reads it.
    let w: web_sys::EventTarget = leptos::prelude::window().into();
    add(
        &w,
        "keydown",
        true,
        true,
        Box::new(|ev: web_sys::Event| {
            let key = ev.unchecked_into::<web_sys::KeyboardEvent>().key();
            if !matches!(key.as_str(), "Shift" | "Control" | "Alt" | "Meta") {
                KEYBOARD.with(|k| k.set(true));
            }
        }),
    );
    add(&w, "pointerdown", true, true, Box::new(|_| KEYBOARD.with(|k| k.set(false))));
}

/// True when the last input was a key.
pub fn keyboard_used() -> bool {
    KEYBOARD.with(std::cell::Cell::get)
}

/// Remember the focused element, for `return_focus`.
pub fn remember_focus() {
    let active = leptos::prelude::document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let active = active.filter(|e| e.tag_name() != "BODY");
    RETURN_TO.with(|r| *r.borrow_mut() = active);
}

/// Focus what `remember_focus` kept, if it is still on the page; false when there is none.
pub fn return_focus() -> bool {
    let Some(el) = RETURN_TO.with(|r| r.borrow_mut().take()) else { return false };
    // A clause of the plan text may have been redrawn since: its successor starts at the
    // same place.
    let el = if el.is_connected() {
        Some(el)
    } else {
        el.get_attribute("data-start")
            .and_then(|s| leptos::prelude::document().query_selector(&format!(".plan-text mark[data-start=\"{s}\"]")).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    el.is_some_and(|el| el.focus().is_ok())
}

/// True when the focused element lies inside an element matching `selector`.
pub fn focus_within(selector: &str) -> bool {
    leptos::prelude::document().active_element().and_then(|a| a.closest(selector).ok().flatten()).is_some()
}

/// Offer `text` to the user as a file download named `filename` (a Blob URL on a temporary
/// link; nothing leaves the browser). An error is returned as a message for the page.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("{filename}: {e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlAnchorElement = leptos::prelude::document().create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    leptos::prelude::set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(30));
    Ok(())
}
