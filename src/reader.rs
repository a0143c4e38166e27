//! The plan reader: a document picker, the table of contents and the full text with its
//! structure (headings, paragraphs, boxes, captions, tables). Every feature's excerpts are
//! highlighted (`<mark data-feature-id>`); clicking one selects its feature. The focus (an
//! excerpt, a line from the URL, a search hit) is scrolled into view and marked. Text is always
//! inserted as text nodes, never as HTML.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use atlas_core::excerpt::{locate, segments, Highlight};
use atlas_core::plan::{Block, BlockKind};
use leptos::prelude::*;
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{AppState, Focus, Lang, Load, LoadedDoc};

/// The byte range the reader should focus, once the document is loaded.
fn focus_range(state: AppState, doc: &LoadedDoc) -> Option<std::ops::Range<usize>> {
    match state.reader.get().focus {
        Focus::None => None,
        Focus::Excerpt(i) => {
            let f = state.feature(&state.selected.get()?)?;
            let ex = &f.feature.props.excerpts;
            let e = ex.get(i).or_else(|| ex.first())?;
            locate(&doc.text, &e.quote)
        }
        Focus::Line(l) => doc.plan.block_at_line(l).map(|b| doc.plan.blocks[b].range.clone()),
        Focus::Range(r) => (r.end <= doc.text.len() && doc.text.is_char_boundary(r.start) && doc.text.is_char_boundary(r.end)).then_some(r),
    }
}

/// Every loaded feature's excerpts in `doc`, located in `text`, shortest first so that where
/// clauses nest, a click on the inner one selects its own feature.
fn highlights(state: AppState, doc: &str, text: &str) -> Vec<Highlight> {
    let mut hs: Vec<Highlight> = state.layers.with(|layers| {
        layers
            .values()
            .filter_map(|l| if let Load::Ready(r) = l { Some(r) } else { None })
            .flat_map(|r| r.features.iter())
            .flat_map(|f| {
                f.feature
                    .props
                    .excerpts
                    .iter()
                    .filter(|e| e.doc == doc)
                    .filter_map(|e| locate(text, &e.quote))
                    .map(|range| Highlight { range, feature_id: f.feature.id.clone() })
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    hs.sort_by_key(|h| h.range.len());
    hs
}

/// The reader panel.
#[component]
pub fn Reader() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let doc = Memo::new(move |_| state.reader_doc());
    // Wait for the manifest: it lists each document's chrome lines.
    Effect::new(move |_| {
        if let (Some(d), true) = (doc.get(), state.manifest.with(|m| matches!(m, Load::Ready(_)))) {
            state.load_doc(&d);
        }
    });
    // The shown document's load state, changing only when the document or its state does.
    let loaded = Memo::new(move |_| {
        let d = doc.get()?;
        Some(state.docs.with(|docs| match docs.get(&d) {
            None | Some(Load::Loading) => DocState::Loading,
            Some(Load::Failed(e)) => DocState::Failed(e.clone()),
            Some(Load::Ready(t)) => DocState::Ready(d.clone(), Arc::clone(t)),
        }))
    });
    // Every loaded feature's excerpts in the shown document: recomputed when a layer loads,
    // but the text is rebuilt only if the set of highlights changed.
    let marks = Memo::new(move |_| match loaded.get() {
        Some(DocState::Ready(d, t)) => highlights(state, &d, &t.text),
        _ => Vec::new(),
    });
    let focus = Memo::new(move |_| match loaded.get() {
        Some(DocState::Ready(_, t)) => focus_range(state, &t),
        _ => None,
    });
    let text_ref = NodeRef::<leptos::html::Div>::new();
    let rendered: Rc<RefCell<Option<Rendered>>> = Rc::new(RefCell::new(None));

    // Build the text once per document and set of highlights.
    {
        let rendered = Rc::clone(&rendered);
        Effect::new(move |_| {
            let Some(DocState::Ready(_, t)) = loaded.get() else { return };
            let Some(el) = text_ref.get().filter(|el| el.is_connected()) else { return };
            let hs = marks.get();
            let f = focus.get_untracked();
            let sel = state.selected.get_untracked();
            let t0 = crate::now_ms();
            *rendered.borrow_mut() = Some(Rendered::build(&el, t, hs, f, sel.as_deref()));
            // For the benchmark: time to build the text's DOM.
            let _ = el.set_attribute("data-render-ms", &format!("{:.1}", crate::now_ms() - t0));
            scroll_to_focus(focus.get_untracked());
        });
    }
    // A new focus rebuilds only the blocks it leaves and enters.
    {
        let rendered = Rc::clone(&rendered);
        Effect::new(move |_| {
            let f = focus.get();
            let moved = rendered.borrow_mut().as_mut().is_some_and(|r| r.refocus(f.clone(), state.selected.get_untracked().as_deref()));
            if moved {
                scroll_to_focus(f);
            }
        });
    }
    // The selected feature's excerpts are marked current.
    Effect::new(move |_| {
        let sel = state.selected.get();
        if let Some(el) = text_ref.get() {
            mark_current(&el, sel.as_deref());
        }
    });

    let picker = move || {
        let Load::Ready(m) = state.manifest.get() else { return None };
        let l = lang.get();
        let current = doc.get();
        let options = m
            .documents
            .iter()
            .map(|d| {
                let selected = current.as_deref() == Some(d.file.as_str());
                view! { <option value=d.file.clone() selected=selected>{l.t(&d.title_zh, &d.title_en).to_string()}</option> }
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
        let Some(mark) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("mark[data-feature-ids]").ok().flatten()) else {
            return false;
        };
        let ids: Vec<String> = mark.get_attribute("data-feature-ids").unwrap_or_default().split(' ').filter(|x| !x.is_empty()).map(str::to_string).collect();
        let Some(first) = ids.first().cloned() else { return false };
        let id = state.selected.get_untracked().filter(|x| ids.contains(x)).unwrap_or(first);
        let doc = doc.get_untracked();
        state.select(Some(id.clone()));
        state.fly_to_feature(&id);
        // Stay in this document: focus the feature's excerpt that lies here.
        if let (Some(f), Some(doc)) = (state.feature(&id), doc) {
            if let Some(i) = f.feature.props.excerpts.iter().position(|e| e.doc == doc) {
                state.reader.update(|r| r.focus = Focus::Excerpt(i));
            }
        }
        true
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        activate(ev.target());
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if (ev.key() == "Enter" || ev.key() == " ") && activate(ev.target()) {
            ev.prevent_default();
        }
    };

    let body = move || {
        let l = lang.get();
        let Some(d) = doc.get() else {
            return view! { <p class="hint">{l.t("选择一个规划文件阅读全文，或点击地图上的要素。", "Choose a plan to read it in full, or tap a shape on the map.")}</p> }.into_any();
        };
        let meta = match state.manifest.get_untracked() {
            Load::Ready(m) => m.document(&d).cloned(),
            _ => None,
        };
        let title = meta.as_ref().map(|x| l.t(&x.title_zh, &x.title_en).to_string()).unwrap_or_else(|| d.clone());
        let details = meta.as_ref().map(|x| {
            let scope = l.t(&x.scope_zh, &x.scope_en).to_string();
            format!("{} · {} · {}", x.issuer_zh, x.date, scope)
        });
        let note = meta.as_ref().map(|x| x.note_en.clone()).filter(|n| !n.is_empty() && l == Lang::En);
        let content = match loaded.get() {
            None | Some(DocState::Loading) => {
                // While the text loads, the selected feature's clauses in it are shown at once
                // (they travel with the feature); the full text replaces them.
                let file = d.clone();
                let pending = move || {
                    let id = state.selected.get()?;
                    if !matches!(state.reader.with(|r| r.focus.clone()), Focus::Excerpt(_)) {
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
                {toc_view(state, &t, l)}
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
        <section class="reader" aria-label=move || lang.get().t("规划原文", "Plan text")>
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

/// Scroll the focus into view once it is on the page: the reader scrolls itself, not the
/// page, so on a phone the map stays where it is.
fn scroll_to_focus(focus: Option<std::ops::Range<usize>>) {
    let Some(start) = focus.map(|r| r.start) else { return };
    request_animation_frame(move || {
        let sel = format!(".reader [data-start=\"{start}\"]");
        let target = document().query_selector(&sel).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        let reader = document().query_selector(".reader").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let (Some(target), Some(reader)) = (target, reader) {
            let top = offset_within(&target, &reader) - (reader.client_height() - target.offset_height()) / 2;
            reader.set_scroll_top(top.max(0));
        }
    });
}

/// Offset of `el`'s top within the scrolling `container`.
fn offset_within(el: &web_sys::HtmlElement, container: &web_sys::HtmlElement) -> i32 {
    el.get_bounding_client_rect().top() as i32 - container.get_bounding_client_rect().top() as i32 + container.scroll_top()
}

fn toc_view(state: AppState, doc: &LoadedDoc, l: Lang) -> impl IntoView {
    // The entries are built when the contents are first opened: a long plan has hundreds.
    let opened = RwSignal::new(false);
    let toc = doc.plan.toc.clone();
    let count = toc.len();
    let items = move || {
        opened.get().then(|| {
            toc.iter()
                .map(|t| {
                    let line = t.line;
                    view! {
                        <li class=format!("toc-l{}", t.level)>
                            <button on:click=move |_| state.reader.update(|r| r.focus = Focus::Line(line))>{t.title.clone()}</button>
                        </li>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <details class="toc" on:toggle=move |_| opened.set(true)>
            <summary>{l.t("目录", "Contents")}{format!(" ({count})")}</summary>
            <ol>{items}</ol>
        </details>
    }
}

/// The plan text as built in the page: one element per block. It is built with plain DOM
/// calls (text always as text nodes), once per document, and a new focus replaces only the
/// blocks it touches: a long plan has over a thousand blocks.
struct Rendered {
    doc: Arc<LoadedDoc>,
    hs: Vec<Highlight>,
    focus: Option<std::ops::Range<usize>>,
    blocks: Vec<web_sys::Element>,
}

impl Rendered {
    fn build(container: &web_sys::HtmlDivElement, doc: Arc<LoadedDoc>, hs: Vec<Highlight>, focus: Option<std::ops::Range<usize>>, selected: Option<&str>) -> Self {
        let w = Writer::new(&doc.text);
        let all = with_focus(&hs, focus.as_ref());
        let frag = w.document.create_document_fragment();
        let blocks: Vec<web_sys::Element> = doc
            .plan
            .blocks
            .iter()
            .map(|b| {
                let el = w.block(b, &all, selected);
                let _ = frag.append_child(&el);
                el
            })
            .collect();
        container.set_text_content(None);
        let _ = container.append_child(&frag);
        Rendered { doc, hs, focus, blocks }
    }

    /// Move the focus; true if it changed.
    fn refocus(&mut self, focus: Option<std::ops::Range<usize>>, selected: Option<&str>) -> bool {
        if focus == self.focus {
            return false;
        }
        let touches = |b: &Block, f: &Option<std::ops::Range<usize>>| f.as_ref().is_some_and(|f| f.start < b.range.end.max(b.range.start + 1) && f.end > b.range.start);
        let all = with_focus(&self.hs, focus.as_ref());
        let w = Writer::new(&self.doc.text);
        for (i, b) in self.doc.plan.blocks.iter().enumerate() {
            if !(touches(b, &self.focus) || touches(b, &focus)) {
                continue;
            }
            let new = w.block(b, &all, selected);
            if let Some(old) = self.blocks.get(i) {
                if old.replace_with_with_node_1(&new).is_ok() {
                    self.blocks[i] = new;
                }
            }
        }
        self.focus = focus;
        true
    }
}

/// The highlights plus the focus, drawn as the current passage (a highlight with no feature).
fn with_focus(hs: &[Highlight], focus: Option<&std::ops::Range<usize>>) -> Vec<Highlight> {
    let mut all = hs.to_vec();
    if let Some(f) = focus {
        all.push(Highlight { range: f.clone(), feature_id: String::new() });
    }
    all
}

// DOM calls taking JS strings: the text crosses into JavaScript once per build and each run
// of it is a substring, and names are made once, instead of one UTF-8 decoding per call.
#[wasm_bindgen]
extern "C" {
    /// A `Document`, seen through the calls below.
    type Doc;
    #[wasm_bindgen(method, js_name = createElement)]
    fn create_el(this: &Doc, tag: &JsString) -> web_sys::Element;
    #[wasm_bindgen(method, js_name = createTextNode)]
    fn create_text(this: &Doc, data: &JsString) -> web_sys::Node;
    /// A DOM `Element`, seen through the calls below.
    type El;
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attr(this: &El, name: &JsString, value: &JsString);
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attr_num(this: &El, name: &JsString, value: f64);
    #[wasm_bindgen(method, js_name = appendChild)]
    fn append(this: &El, child: &JsValue);
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text(this: &El, data: &JsString);
}

fn el(e: &web_sys::Element) -> &El {
    e.unchecked_ref()
}

/// Writes blocks of one text as DOM.
struct Writer<'a> {
    document: web_sys::Document,
    src: &'a str,
    text: JsString,
    /// Last (byte offset, UTF-16 offset) pair converted, to convert the next one from.
    cursor: Cell<(usize, u32)>,
    names: RefCell<HashMap<&'static str, JsString>>,
}

impl<'a> Writer<'a> {
    fn new(src: &'a str) -> Self {
        Writer { document: document(), src, text: JsString::from(src), cursor: Cell::new((0, 0)), names: RefCell::new(HashMap::new()) }
    }

    /// A constant string, made in JavaScript once.
    fn name(&self, s: &'static str) -> JsString {
        self.names.borrow_mut().entry(s).or_insert_with(|| JsString::from(s)).clone()
    }

    /// UTF-16 offset of a byte offset (JavaScript strings count UTF-16 units).
    fn utf16(&self, byte: usize) -> u32 {
        let (mut b, mut u) = self.cursor.get();
        if byte < b {
            (b, u) = (0, 0);
        }
        let piece = self.src.get(b..byte).unwrap_or_default();
        u += piece.encode_utf16().count() as u32;
        self.cursor.set((byte, u));
        u
    }

    fn run(&self, r: &std::ops::Range<usize>) -> JsString {
        let (a, b) = (self.utf16(r.start), self.utf16(r.end));
        self.text.substring(a, b)
    }

    fn element(&self, tag: &'static str, attrs: &[(&'static str, &'static str)]) -> web_sys::Element {
        let el = self.document.unchecked_ref::<Doc>().create_el(&self.name(tag));
        for (k, v) in attrs {
            self::el(&el).set_attr(&self.name(k), &self.name(v));
        }
        el
    }

    fn block(&self, b: &Block, hs: &[Highlight], selected: Option<&str>) -> web_sys::Element {
        let (tag, class) = match &b.kind {
            BlockKind::Heading(level) => ("h3", ["heading h1", "heading h2", "heading h3", "heading h4", "heading h5"][usize::from(*level).clamp(1, 5) - 1]),
            BlockKind::BoxTitle => ("h4", "box-title"),
            BlockKind::Caption => ("p", "caption"),
            BlockKind::Paragraph => ("p", ""),
            BlockKind::Table(rows) => {
                let wrap = self.element("div", &[("class", "table-wrap")]);
                let table = self.element("table", &[]);
                let body = self.element("tbody", &[]);
                for (i, r) in rows.iter().enumerate() {
                    let tr = self.element("tr", &[]);
                    tr.set_id(&format!("L{}", r.line));
                    for c in &r.cells {
                        let cell = if i == 0 { self.element("th", &[("scope", "col")]) } else { self.element("td", &[]) };
                        self.segments(&cell, c.clone(), hs, selected);
                        el(&tr).append(&cell);
                    }
                    el(&body).append(&tr);
                }
                el(&table).append(&body);
                el(&wrap).append(&table);
                return wrap;
            }
        };
        let el = if class.is_empty() { self.element(tag, &[]) } else { self.element(tag, &[("class", class)]) };
        el.set_id(&format!("L{}", b.line));
        self.segments(&el, b.range.clone(), hs, selected);
        el
    }

    /// The text of `range` as text nodes and `<mark>`s for the highlights over it.
    fn segments(&self, parent: &web_sys::Element, range: std::ops::Range<usize>, hs: &[Highlight], selected: Option<&str>) {
        for s in segments(range, hs) {
            let chunk = self.run(&s.range);
            let is_focus = s.feature_ids.iter().any(String::is_empty);
            let ids: Vec<&str> = s.feature_ids.iter().map(String::as_str).filter(|x| !x.is_empty()).collect();
            if ids.is_empty() && !is_focus {
                el(parent).append(&self.document.unchecked_ref::<Doc>().create_text(&chunk));
                continue;
            }
            let mark = if ids.is_empty() {
                self.element("mark", &[("class", "focus")])
            } else {
                let current = selected.filter(|x| ids.contains(x));
                let class = match (current.is_some(), is_focus) {
                    (true, true) => "current focus",
                    (true, false) => "current",
                    (false, true) => "focus",
                    (false, false) => "",
                };
                let mark = if class.is_empty() { self.element("mark", &[("tabindex", "0")]) } else { self.element("mark", &[("tabindex", "0"), ("class", class)]) };
                let _ = mark.set_attribute("data-feature-id", current.unwrap_or(ids[0]));
                let _ = mark.set_attribute("data-feature-ids", &ids.join(" "));
                mark
            };
            el(&mark).set_attr_num(&self.name("data-start"), s.range.start as f64);
            el(&mark).set_text(&chunk);
            el(parent).append(&mark);
        }
    }
}

/// Mark the selected feature's clauses current (and name it on each shared clause): only the
/// clauses current now and the selected feature's are touched.
fn mark_current(container: &web_sys::HtmlDivElement, selected: Option<&str>) {
    let each = |sel: &str, f: &dyn Fn(&web_sys::Element, &str)| {
        let Ok(marks) = container.query_selector_all(sel) else { return };
        for i in 0..marks.length() {
            if let Some(mark) = marks.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let ids = mark.get_attribute("data-feature-ids").unwrap_or_default();
                f(&mark, &ids);
            }
        }
    };
    each("mark.current[data-feature-ids]", &|mark, ids| {
        if selected.is_some_and(|s| ids.split(' ').any(|x| x == s)) {
            return;
        }
        let _ = mark.class_list().remove_1("current");
        let _ = mark.set_attribute("data-feature-id", ids.split(' ').next().unwrap_or_default());
    });
    // Feature ids are plain names (letters, digits, '-', '_', '.'); any other is looked up by
    // comparing every clause's list.
    let Some(s) = selected else { return };
    let plain = s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let query = if plain { format!("mark[data-feature-ids~=\"{s}\"]") } else { "mark[data-feature-ids]".to_string() };
    each(&query, &|mark, ids| {
        if ids.split(' ').any(|x| x == s) {
            let _ = mark.class_list().add_1("current");
            let _ = mark.set_attribute("data-feature-id", s);
        }
    });
}
