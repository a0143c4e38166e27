//! The plan reader: a document picker, the table of contents and the full text with its
//! structure (headings, paragraphs, boxes, captions, tables). Every feature's excerpts are
//! highlighted (`<mark data-feature-id>`); clicking one selects its feature. The focus (an
//! excerpt, a line from the URL, a search hit) is scrolled into view and marked. Text is always
//! inserted as text nodes, never as HTML.

mod text;
mod toc;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{AppState, Focus, Load, LoadedDoc};
use text::{mark_current, tab_stop, Rendered};

/// The byte range the reader should focus, once the document is loaded.
fn focus_range(state: AppState, doc_file: &str, doc: &LoadedDoc) -> Option<std::ops::Range<usize>> {
    match state.sel.reader.get().focus {
        Focus::None => None,
        Focus::Excerpt(i) => {
            let id = state.sel.selected.get()?;
            state.data.index.with(|x| x.excerpt_range(&id, i, doc_file, &doc.text))
        }
        Focus::Line(l) => doc.plan.block_at_line(l).map(|b| doc.plan.blocks[b].range.clone()),
        Focus::Range(r) => (r.end <= doc.text.len() && doc.text.is_char_boundary(r.start) && doc.text.is_char_boundary(r.end)).then_some(r),
    }
}

/// The chosen feature's clauses in this text, in the order of its excerpts (each the first
/// mark inside the excerpt's range).
fn clause_order(state: AppState, el: &web_sys::HtmlDivElement, doc: Option<String>, loaded: Option<DocState>) -> Vec<web_sys::HtmlElement> {
    let (Some(id), Some(doc), Some(DocState::Ready(_, t))) = (state.sel.selected.get_untracked(), doc, loaded) else { return Vec::new() };
    let Some(f) = state.feature(&id) else { return Vec::new() };
    let Ok(marks) = el.query_selector_all("mark.current[tabindex]") else { return Vec::new() };
    let marks: Vec<(usize, web_sys::HtmlElement)> = (0..marks.length())
        .filter_map(|i| {
            let m: web_sys::HtmlElement = marks.item(i)?.dyn_into().ok()?;
            Some((m.get_attribute("data-start")?.parse().ok()?, m))
        })
        .collect();
    let mut out: Vec<web_sys::HtmlElement> = Vec::new();
    for i in 0..f.feature.props.excerpts.len() {
        let Some(r) = state.data.index.with_untracked(|x| x.excerpt_range(&id, i, &doc, &t.text)) else { continue };
        if let Some((_, m)) = marks.iter().find(|(start, _)| r.contains(start)) {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
    }
    out
}

/// The reader panel.
#[component]
pub fn Reader() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let doc = Memo::new(move |_| state.reader_doc());
    // Wait for the manifest: it lists each document's chrome lines.
    Effect::new(move |_| {
        if let (Some(d), true) = (doc.get(), state.data.manifest.with(|m| matches!(m, Load::Ready(_)))) {
            state.load_doc(&d);
        }
    });
    // The shown document's load state, changing only when the document or its state does.
    let loaded = Memo::new(move |_| {
        let d = doc.get()?;
        Some(state.data.docs.with(|docs| match docs.get(&d) {
            None | Some(Load::Loading) => DocState::Loading,
            Some(Load::Failed(e)) => DocState::Failed(e.clone()),
            Some(Load::Ready(t)) => DocState::Ready(d.clone(), Arc::clone(t)),
        }))
    });
    // Every loaded feature's excerpts in the shown document: recomputed when a layer loads,
    // but the text is rebuilt only if the set of highlights changed.
    let marks = Memo::new(move |_| match loaded.get() {
        Some(DocState::Ready(d, t)) => state.data.index.with(|x| x.highlights(&d, &t.text)),
        _ => Vec::new(),
    });
    let focus = Memo::new(move |_| match loaded.get() {
        Some(DocState::Ready(d, t)) => focus_range(state, &d, &t),
        _ => None,
    });
    let text_ref = NodeRef::<leptos::html::Div>::new();
    let reader_ref = NodeRef::<leptos::html::Section>::new();
    let rendered: Rc<RefCell<Option<Rendered>>> = Rc::new(RefCell::new(None));
    // Scrolls made by the app, not the user, are not reported as the reader's position.
    let own_scroll = StoredValue::new(None::<i32>);
    let built_doc = StoredValue::new(None::<String>);

    // Bring the focus into the middle of the reader once laid out, and again once the layout
    // has settled (the card above may change height as the feature's layer loads).
    let bring_into_view = {
        let rendered = Rc::clone(&rendered);
        move |start: usize| {
            let rendered = Rc::clone(&rendered);
            request_animation_frame(move || {
                let Some(reader) = reader_ref.get_untracked() else { return };
                if let Some(r) = rendered.borrow().as_ref() {
                    r.centre(&reader, start);
                    own_scroll.set_value(Some(reader.scroll_top()));
                }
                set_timeout(
                    move || {
                        let Some(reader) = reader_ref.get_untracked() else { return };
                        if let Some(r) = rendered.borrow().as_ref() {
                            if !r.shows(&reader, start) {
                                r.centre(&reader, start);
                                own_scroll.set_value(Some(reader.scroll_top()));
                            }
                        }
                    },
                    std::time::Duration::from_millis(350),
                );
            });
        }
    };

    // Build the text once per document and set of highlights; then show the line the URL
    // scrolled to, or the focus.
    {
        let rendered = Rc::clone(&rendered);
        let bring = bring_into_view.clone();
        Effect::new(move |_| {
            let Some(DocState::Ready(d, t)) = loaded.get() else { return };
            let Some(el) = text_ref.get().filter(|el| el.is_connected()) else { return };
            let hs = marks.get();
            let f = focus.get_untracked();
            let sel = state.sel.selected.get_untracked();
            let t0 = crate::state::now_ms();
            *rendered.borrow_mut() = Some(Rendered::build(&el, t, hs, f.clone(), sel.as_deref()));
            tab_stop(&el);
            // For the benchmark: time to build the text's DOM.
            let _ = el.set_attribute("data-render-ms", &format!("{:.1}", crate::state::now_ms() - t0));
            match state.sel.reader_top.get_untracked() {
                Some(line) => {
                    let rendered = Rc::clone(&rendered);
                    request_animation_frame(move || {
                        if let (Some(reader), Some(r)) = (reader_ref.get_untracked(), rendered.borrow().as_ref()) {
                            r.scroll_to_line(&reader, line);
                            own_scroll.set_value(Some(reader.scroll_top()));
                        }
                    });
                }
                None => match f {
                    Some(f) => bring(f.start),
                    // Another plan opens at its start, not where the last one was scrolled.
                    None if built_doc.with_value(|b| b.as_deref() != Some(d.as_str())) => {
                        if let Some(reader) = reader_ref.get_untracked() {
                            reader.set_scroll_top(0);
                            own_scroll.set_value(Some(0));
                        }
                    }
                    None => {}
                },
            }
            built_doc.set_value(Some(d));
        });
    }
    // A new focus rebuilds only the blocks it leaves and enters.
    {
        let rendered = Rc::clone(&rendered);
        let bring = bring_into_view.clone();
        Effect::new(move |_| {
            let f = focus.get();
            let moved = rendered.borrow_mut().as_mut().is_some_and(|r| r.refocus(f.clone(), state.sel.selected.get_untracked().as_deref()));
            if let (true, Some(el)) = (moved, text_ref.get_untracked()) {
                tab_stop(&el);
            }
            if let (true, Some(f)) = (moved, f) {
                bring(f.start);
            }
        });
    }
    // The selected feature's excerpts are marked current.
    Effect::new(move |_| {
        let sel = state.sel.selected.get();
        if let Some(el) = text_ref.get() {
            mark_current(&el, sel.as_deref());
            tab_stop(&el);
        }
    });
    // Where the user scrolls to is kept (in the URL), once scrolling rests.
    let scroll_gen = StoredValue::new(0u32);
    let on_scroll = {
        let rendered = Rc::clone(&rendered);
        move |_: web_sys::Event| {
            let generation = scroll_gen.get_value().wrapping_add(1);
            scroll_gen.set_value(generation);
            let rendered = Rc::clone(&rendered);
            set_timeout(
                move || {
                    if scroll_gen.try_get_value() != Some(generation) {
                        return;
                    }
                    let Some(reader) = reader_ref.get_untracked() else { return };
                    // Where the app itself scrolled to is not the user's position.
                    if own_scroll.get_value() == Some(reader.scroll_top()) {
                        return;
                    }
                    own_scroll.set_value(None);
                    let line = rendered.borrow().as_ref().and_then(|r| r.top_line(&reader)).filter(|_| reader.scroll_top() > 0);
                    if state.sel.reader_top.get_untracked() != line {
                        state.sel.reader_top.set(line);
                    }
                },
                std::time::Duration::from_millis(200),
            );
        }
    };

    let picker = move || {
        let Load::Ready(m) = state.data.manifest.get() else { return None };
        let l = lang.get();
        let current = doc.get();
        let options = m
            .documents
            .iter()
            .map(|d| {
                let selected = current.as_deref() == Some(d.file.as_str());
                // The short name fits a phone's width; the full title heads the text below.
                view! { <option value=d.file.clone() selected=selected>{l.t(&d.short_zh, &d.short_en).to_string()}</option> }
            })
            .collect::<Vec<_>>();
        let on_change = move |ev: web_sys::Event| {
            let v = event_target_value(&ev);
            if !v.is_empty() {
                state.open_doc(&v, Focus::None);
            }
        };
        Some(view! {
            <label class="doc-picker">
                <span>{l.t("规划文件", "Plan document")}</span>
                <select on:change=on_change>
                    <option value="" selected=current.is_none() disabled=true>{l.t("选择规划文件…", "Choose a plan…")}</option>
                    {options}
                </select>
            </label>
        })
    };

    // Clicks and Enter/Space on a highlighted clause select its feature (one listener for
    // the whole text).
    let activate = move |target: Option<web_sys::EventTarget>| -> bool {
        let Some(mark) =
            target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("mark[data-feature-ids]").ok().flatten())
        else {
            return false;
        };
        let ids: Vec<String> =
            mark.get_attribute("data-feature-ids").unwrap_or_default().split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect();
        let Some(first) = ids.first().cloned() else { return false };
        let id = state.sel.selected.get_untracked().filter(|x| ids.contains(x)).unwrap_or(first);
        let doc = doc.get_untracked();
        state.select(Some(id.clone()), true);
        // Stay in this document: focus the feature's excerpt that lies here.
        if let (Some(f), Some(doc)) = (state.feature(&id), doc) {
            if let Some(i) = f.feature.props.excerpts.iter().position(|e| e.doc == doc) {
                state.sel.reader.update(|r| r.focus = Focus::Excerpt(i));
            }
        }
        true
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        activate(ev.target());
    };
    // Enter or Space on a clause selects its feature and moves the focus to its card (Escape
    // there comes back). Tab and Shift+Tab go through the chosen feature's clauses in the order
    // of its excerpts, from the one focused; the arrows go to the next or previous clause.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let mark = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).filter(|e| e.tag_name() == "MARK");
        match ev.key().as_str() {
            "Enter" | " " => {
                crate::dom::remember_focus();
                if activate(ev.target()) {
                    ev.prevent_default();
                    if let Some(id) = state.sel.selected.get_untracked() {
                        crate::dom::focus_when_ready(format!(".card[data-feature-id=\"{id}\"] h2"));
                    }
                }
            }
            "Tab" if !ev.alt_key() && !ev.ctrl_key() && !ev.meta_key() => {
                let (Some(mark), Some(el)) = (mark, text_ref.get_untracked()) else { return };
                let order = clause_order(state, &el, doc.get_untracked(), loaded.get_untracked());
                let Some(i) = order.iter().position(|m| *m == mark) else { return };
                let next = if ev.shift_key() { i.checked_sub(1).and_then(|j| order.get(j)) } else { order.get(i + 1) };
                if let Some(next) = next {
                    ev.prevent_default();
                    let _ = next.focus();
                }
            }
            "ArrowDown" | "ArrowUp" => {
                let (Some(mark), Some(el)) = (mark, text_ref.get_untracked()) else { return };
                let Ok(all) = el.query_selector_all("mark[tabindex]") else { return };
                let all: Vec<web_sys::HtmlElement> = (0..all.length()).filter_map(|i| all.item(i)?.dyn_into().ok()).collect();
                let Some(i) = all.iter().position(|m| *m == mark) else { return };
                let next = if ev.key() == "ArrowUp" { i.checked_sub(1).and_then(|j| all.get(j)) } else { all.get(i + 1) };
                if let Some(next) = next {
                    ev.prevent_default();
                    let _ = next.focus();
                }
            }
            _ => {}
        }
    };

    let body = move || {
        let l = lang.get();
        let Some(d) = doc.get() else {
            return view! { <p class="hint">{l.t("选择一个规划文件阅读全文，或点击地图上的要素。", "Choose a plan to read it in full, or tap a shape on the map.")}</p> }.into_any();
        };
        let meta = match state.data.manifest.get_untracked() {
            Load::Ready(m) => m.document(&d).cloned(),
            _ => None,
        };
        let title = meta.as_ref().map(|x| l.t(&x.title_zh, &x.title_en).to_string()).unwrap_or_else(|| d.clone());
        let details = meta.as_ref().map(|x| {
            let scope = l.t(&x.scope_zh, &x.scope_en).to_string();
            format!("{} · {} · {}", l.t(&x.issuer_zh, &x.issuer_en), l.t(&x.date_zh, &x.date), scope)
        });
        let note = meta.as_ref().map(|x| l.t(&x.note_zh, &x.note_en).to_string()).filter(|n| !n.is_empty());
        let content = match loaded.get() {
            None | Some(DocState::Loading) => {
                // While the text loads, the selected feature's clauses in it are shown at once
                // (they travel with the feature); the full text replaces them.
                let file = d.clone();
                let pending = move || {
                    let id = state.sel.selected.get()?;
                    if !matches!(state.sel.reader.with(|r| r.focus.clone()), Focus::Excerpt(_)) {
                        return None;
                    }
                    let f = state.feature(&id)?;
                    let quotes: Vec<_> = f
                        .feature
                        .props
                        .excerpts
                        .iter()
                        .filter(|e| e.doc == file)
                        .map(|e| view! { <blockquote><mark class="current" data-feature-id=id.clone() data-feature-ids=id.clone()>{e.quote.clone()}</mark></blockquote> })
                        .collect();
                    (!quotes.is_empty()).then(|| view! { <div class="pending-excerpts" lang="zh">{quotes}</div> })
                };
                view! {
                    <p class="hint" role="status">{l.t("正在加载规划原文…", "Loading the plan text…")}</p>
                    {pending}
                }
                .into_any()
            }
            Some(DocState::Failed(e)) => view! { <p class="hint error" role="alert">{format!("{} {e}", l.t("无法加载规划原文：", "Could not load the plan text:"))}</p> }.into_any(),
            Some(DocState::Ready(_, t)) => view! {
                {toc::toc_view(state, &t, l)}
                <div class="plan-text" lang="zh" data-build-ms=format!("{:.3}", t.build_ms) node_ref=text_ref on:click=on_click on:keydown=on_key></div>
            }
            .into_any(),
        };
        view! {
            <h2 class="doc-title">{title}</h2>
            <p class="doc-file">{d.clone()}{details.map(|x| format!(" · {x}"))}</p>
            {note.map(|n| view! { <p class="doc-note">{n}</p> })}
            {content}
        }
        .into_any()
    };
    view! {
        <section class="reader" tabindex="-1" node_ref=reader_ref on:scroll=on_scroll aria-label=move || lang.get().t("规划原文", "Plan text")>
            {picker}
            {body}
        </section>
    }
}

/// The reader's document as far as rendering is concerned.
#[derive(Clone)]
enum DocState {
    Loading,
    Failed(String),
    Ready(String, Arc<LoadedDoc>),
}

impl PartialEq for DocState {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (DocState::Loading, DocState::Loading) => true,
            (DocState::Failed(a), DocState::Failed(b)) => a == b,
            (DocState::Ready(a, x), DocState::Ready(b, y)) => a == b && Arc::ptr_eq(x, y),
            _ => false,
        }
    }
}
