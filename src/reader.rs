//! The plan reader: a document picker, the table of contents and the full text with its
//! structure (headings, paragraphs, boxes, captions, tables). Every feature's excerpts are
//! highlighted (`<mark data-feature-id>`); clicking one selects its feature. The focus (an
//! excerpt, a line from the URL, a search hit) is scrolled into view and marked. Text is always
//! inserted as text nodes, never as HTML.

use std::sync::Arc;

use atlas_core::excerpt::{locate, segments, Highlight};
use atlas_core::plan::{Block, BlockKind};
use leptos::prelude::*;
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
            .filter_map(|l| if let Load::Ready(r) = l { Some(r.clone()) } else { None })
            .flat_map(|r| r.features.clone())
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

    // Scroll the focus into view once the text is on the page: the reader scrolls itself,
    // not the page, so on a phone the map stays where it is.
    Effect::new(move |_| {
        let Some(d) = doc.get() else { return };
        let start = state.docs.with(|docs| match docs.get(&d) {
            Some(Load::Ready(t)) => focus_range(state, t).map(|r| r.start),
            _ => None,
        });
        let Some(start) = start else { return };
        request_animation_frame(move || {
            let sel = format!(".reader [data-start=\"{start}\"]");
            let target = document().query_selector(&sel).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            let reader = document().query_selector(".reader").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let (Some(target), Some(reader)) = (target, reader) {
                let top = offset_within(&target, &reader) - (reader.client_height() - target.offset_height()) / 2;
                reader.set_scroll_top(top.max(0));
            }
        });
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
        let loaded = state.docs.with(|docs| docs.get(&d).cloned());
        let content = match loaded {
            None | Some(Load::Loading) => view! { <p class="hint" role="status">{l.t("正在加载规划原文…", "Loading the plan text…")}</p> }.into_any(),
            Some(Load::Failed(e)) => view! { <p class="hint error" role="alert">{format!("{} {e}", l.t("无法加载规划原文：", "Could not load the plan text:"))}</p> }.into_any(),
            Some(Load::Ready(t)) => {
                let focus = focus_range(state, &t);
                view! {
                    {toc_view(state, &t, l)}
                    {text_view(state, &d, t, focus)}
                }
                .into_any()
            }
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

/// Offset of `el`'s top within the scrolling `container`.
fn offset_within(el: &web_sys::HtmlElement, container: &web_sys::HtmlElement) -> i32 {
    el.get_bounding_client_rect().top() as i32 - container.get_bounding_client_rect().top() as i32 + container.scroll_top()
}

fn toc_view(state: AppState, doc: &LoadedDoc, l: Lang) -> impl IntoView {
    let items = doc
        .plan
        .toc
        .iter()
        .map(|t| {
            let line = t.line;
            view! {
                <li class=format!("toc-l{}", t.level)>
                    <button on:click=move |_| state.reader.update(|r| r.focus = Focus::Line(line))>{t.title.clone()}</button>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <details class="toc">
            <summary>{l.t("目录", "Contents")}{format!(" ({})", doc.plan.toc.len())}</summary>
            <ol>{items}</ol>
        </details>
    }
}

fn text_view(state: AppState, doc: &str, loaded: Arc<LoadedDoc>, focus: Option<std::ops::Range<usize>>) -> impl IntoView {
    let mut hs = highlights(state, doc, &loaded.text);
    // The focus is a highlight too, with no feature: it is drawn as the current passage.
    if let Some(f) = &focus {
        hs.push(Highlight { range: f.clone(), feature_id: String::new() });
    }
    let hs = Arc::new(hs);
    let blocks = loaded
        .plan
        .blocks
        .iter()
        .map(|b| block_view(state, doc, &loaded.text, b, &hs))
        .collect::<Vec<_>>();
    view! { <div class="plan-text" lang="zh" data-build-ms=format!("{:.3}", loaded.build_ms)>{blocks}</div> }
}

fn block_view(state: AppState, doc: &str, text: &str, b: &Block, hs: &[Highlight]) -> AnyView {
    let id = format!("L{}", b.line);
    match &b.kind {
        BlockKind::Heading(level) => {
            let segs = segs_view(state, doc, text, b.range.clone(), hs);
            view! { <h3 class=format!("heading h{level}") id=id data-line=b.line>{segs}</h3> }.into_any()
        }
        BlockKind::BoxTitle => {
            let segs = segs_view(state, doc, text, b.range.clone(), hs);
            view! { <h4 class="box-title" id=id data-line=b.line>{segs}</h4> }.into_any()
        }
        BlockKind::Caption => {
            let segs = segs_view(state, doc, text, b.range.clone(), hs);
            view! { <p class="caption" id=id data-line=b.line>{segs}</p> }.into_any()
        }
        BlockKind::Paragraph => {
            let segs = segs_view(state, doc, text, b.range.clone(), hs);
            view! { <p id=id data-line=b.line>{segs}</p> }.into_any()
        }
        BlockKind::Table(rows) => {
            let body = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let cells = r
                        .cells
                        .iter()
                        .map(|c| {
                            let segs = segs_view(state, doc, text, c.clone(), hs);
                            if i == 0 { view! { <th scope="col">{segs}</th> }.into_any() } else { view! { <td>{segs}</td> }.into_any() }
                        })
                        .collect::<Vec<_>>();
                    view! { <tr id=format!("L{}", r.line) data-line=r.line>{cells}</tr> }
                })
                .collect::<Vec<_>>();
            view! { <div class="table-wrap"><table><tbody>{body}</tbody></table></div> }.into_any()
        }
    }
}

fn segs_view(state: AppState, doc: &str, text: &str, range: std::ops::Range<usize>, hs: &[Highlight]) -> Vec<AnyView> {
    segments(range, hs)
        .into_iter()
        .map(|s| {
            let chunk = text[s.range.clone()].to_string();
            let is_focus = s.feature_ids.iter().any(String::is_empty);
            let ids: Vec<String> = s.feature_ids.into_iter().filter(|x| !x.is_empty()).collect();
            if ids.is_empty() && !is_focus {
                return chunk.into_any();
            }
            if ids.is_empty() {
                return view! { <mark class="focus" data-start=s.range.start>{chunk}</mark> }.into_any();
            }
            let ids_attr = ids.clone();
            let shown_id = move || {
                let sel = state.selected.get();
                sel.filter(|x| ids_attr.contains(x)).unwrap_or_else(|| ids_attr[0].clone())
            };
            let ids_class = ids.clone();
            let current = move || state.selected.with(|s| s.as_ref().is_some_and(|x| ids_class.contains(x)));
            let joined = ids.join(" ");
            let doc = doc.to_string();
            let on_click = move |_| {
                let sel = state.selected.get_untracked();
                let id = sel.filter(|x| ids.contains(x)).unwrap_or_else(|| ids[0].clone());
                state.select(Some(id.clone()));
                state.fly_to_feature(&id);
                // Stay in this document: focus the feature's excerpt that lies here.
                if let Some(f) = state.feature(&id) {
                    if let Some(i) = f.feature.props.excerpts.iter().position(|e| e.doc == doc) {
                        state.reader.update(|r| r.focus = Focus::Excerpt(i));
                    }
                }
            };
            view! {
                <mark
                    data-feature-id=shown_id
                    data-feature-ids=joined
                    data-start=s.range.start
                    class:current=current
                    class:focus=is_focus
                    tabindex="0"
                    on:click=on_click
                >
                    {chunk}
                </mark>
            }
            .into_any()
        })
        .collect()
}
