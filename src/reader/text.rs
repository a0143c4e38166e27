//! The plan text as DOM: one element per block, built with plain DOM calls (text always as
//! text nodes, never HTML), highlights as `<mark>`s, and the scrolling of the reader to a
//! clause or a line.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use atlas_core::excerpt::{segments, Highlight};
use atlas_core::plan::{Block, BlockKind};
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::LoadedDoc;

/// The plan text as built in the page: one element per block. It is built with plain DOM
/// calls (text always as text nodes), once per document, and a new focus replaces only the
/// blocks it touches: a long plan has over a thousand blocks.
pub struct Rendered {
    doc: Arc<LoadedDoc>,
    hs: Vec<Highlight>,
    focus: Option<std::ops::Range<usize>>,
    blocks: Vec<web_sys::Element>,
}

impl Rendered {
    pub fn build(
        container: &web_sys::HtmlDivElement,
        doc: Arc<LoadedDoc>,
        hs: Vec<Highlight>,
        focus: Option<std::ops::Range<usize>>,
        selected: Option<&str>,
    ) -> Self {
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
    pub fn refocus(&mut self, focus: Option<std::ops::Range<usize>>, selected: Option<&str>) -> bool {
        if focus == self.focus {
            return false;
        }
        let touches = |b: &Block, f: &Option<std::ops::Range<usize>>| {
            f.as_ref().is_some_and(|f| f.start < b.range.end.max(b.range.start + 1) && f.end > b.range.start)
        };
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

    /// The element showing byte `start` of the text: its `<mark>` if it starts there, else
    /// its block.
    fn element_at(&self, start: usize) -> Option<web_sys::HtmlElement> {
        let block = self.blocks.get(self.doc.plan.block_at(start)?)?;
        let marks = block.get_elements_by_tag_name("mark");
        let mark = (0..marks.length())
            .filter_map(|i| marks.item(i))
            .find(|m| m.get_attribute("data-start").is_some_and(|s| s == start.to_string()));
        mark.unwrap_or_else(|| block.clone()).dyn_into::<web_sys::HtmlElement>().ok()
    }

    /// Scroll `reader` so that the text at byte `start` is in the middle of it.
    pub fn centre(&self, reader: &web_sys::HtmlElement, start: usize) {
        let Some(target) = self.element_at(start) else { return };
        let want = offset_within(&target, reader) - (reader.client_height() - target.offset_height()) / 2;
        reader.set_scroll_top(want.max(0));
    }

    /// True when the text at byte `start` is inside `reader`'s visible area.
    pub fn shows(&self, reader: &web_sys::HtmlElement, start: usize) -> bool {
        let Some(target) = self.element_at(start) else { return true };
        let top = offset_within(&target, reader);
        top >= reader.scroll_top()
            && top + target.offset_height().min(reader.client_height()) <= reader.scroll_top() + reader.client_height()
    }

    /// Scroll `reader` so that the block of seed line `line` is at its top.
    pub fn scroll_to_line(&self, reader: &web_sys::HtmlElement, line: usize) {
        let Some(block) = self.doc.plan.block_at_line(line).and_then(|i| self.blocks.get(i)) else { return };
        let Ok(block) = block.clone().dyn_into::<web_sys::HtmlElement>() else { return };
        reader.set_scroll_top(offset_within(&block, reader).max(0));
    }

    /// The seed line of the first block whose top is in `reader`'s visible area.
    pub fn top_line(&self, reader: &web_sys::HtmlElement) -> Option<usize> {
        let top = reader.scroll_top();
        let i = self
            .blocks
            .partition_point(|b| b.clone().dyn_into::<web_sys::HtmlElement>().map_or(true, |b| offset_within(&b, reader) < top - 1));
        self.doc.plan.blocks.get(i).map(|b| b.line)
    }
}

/// Offset of `el`'s top within the scrolling `container`.
fn offset_within(el: &web_sys::HtmlElement, container: &web_sys::HtmlElement) -> i32 {
    el.get_bounding_client_rect().top() as i32 - container.get_bounding_client_rect().top() as i32 + container.scroll_top()
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
        Writer {
            document: leptos::prelude::document(),
            src,
            text: JsString::from(src),
            cursor: Cell::new((0, 0)),
            names: RefCell::new(HashMap::new()),
        }
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
            BlockKind::Heading(level) => {
                ("h3", ["heading h1", "heading h2", "heading h3", "heading h4", "heading h5"][usize::from(*level).clamp(1, 5) - 1])
            }
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
                        // A header row's empty corner is a plain cell: a header must name something.
                        let blank = self.src.get(c.clone()).is_none_or(|t| t.trim().is_empty());
                        let cell = if i == 0 && !blank { self.element("th", &[("scope", "col")]) } else { self.element("td", &[]) };
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
                self.element("mark", &[("class", "focus"), ("tabindex", "-1")])
            } else {
                let current = selected.filter(|x| ids.contains(x));
                let class = match (current.is_some(), is_focus) {
                    (true, true) => "current focus",
                    (true, false) => "current",
                    (false, true) => "focus",
                    (false, false) => "",
                };
                // One clause is the reader's tab stop (`tab_stop`); the others are reached from
                // it. A mark of punctuation alone (a lone "、" between two quotes) is no stop.
                let worded = self.src.get(s.range.clone()).is_some_and(|t| t.chars().any(char::is_alphanumeric));
                let tab = if worded { "-1" } else { "" };
                let mark = match (class.is_empty(), worded) {
                    (true, true) => self.element("mark", &[("tabindex", tab)]),
                    (true, false) => self.element("mark", &[]),
                    (false, true) => self.element("mark", &[("tabindex", tab), ("class", class)]),
                    (false, false) => self.element("mark", &[("class", class)]),
                };
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

/// Make one clause the text's tab stop (`tabindex=0`): the focused clause of the chosen
/// feature, else its first, else the focus, else the first clause. The others keep
/// `tabindex=-1` and are reached from it (arrows; Tab through the chosen feature's clauses).
pub fn tab_stop(container: &web_sys::HtmlDivElement) {
    let find = |sel: &str| container.query_selector(sel).ok().flatten();
    if let Ok(old) = container.query_selector_all("mark[tabindex=\"0\"]") {
        for i in 0..old.length() {
            if let Some(e) = old.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = e.set_attribute("tabindex", "-1");
            }
        }
    }
    let stop = find("mark.current.focus[tabindex]")
        .or_else(|| find("mark.current[tabindex]"))
        .or_else(|| find("mark.focus[data-feature-ids][tabindex]"))
        .or_else(|| find("mark[data-feature-ids][tabindex]"));
    if let Some(e) = stop {
        let _ = e.set_attribute("tabindex", "0");
    }
}

/// Mark the selected feature's clauses current (and name it on each shared clause).
pub fn mark_current(container: &web_sys::HtmlDivElement, selected: Option<&str>) {
    let marks = container.get_elements_by_tag_name("mark");
    for i in 0..marks.length() {
        let Some(mark) = marks.item(i) else { continue };
        let Some(ids) = mark.get_attribute("data-feature-ids") else { continue };
        let here = selected.filter(|s| ids.split(' ').any(|x| x == *s));
        let was = mark.class_list().contains("current");
        match here {
            Some(s) => {
                if !was {
                    let _ = mark.class_list().add_1("current");
                }
                let _ = mark.set_attribute("data-feature-id", s);
            }
            None if was => {
                let _ = mark.class_list().remove_1("current");
                let _ = mark.set_attribute("data-feature-id", ids.split(' ').next().unwrap_or_default());
            }
            None => {}
        }
    }
}
