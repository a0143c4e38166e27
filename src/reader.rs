//! The plan reader: the full text of the document cited by the selected excerpt, with every
//! feature's excerpts highlighted (`<mark data-feature-id>`); clicking a highlight selects its
//! feature. Text is always inserted as text nodes, never as HTML.

use std::sync::Arc;

use atlas_core::excerpt::{locate, paragraphs, Highlight};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::{AppState, Load};

/// Which document and byte range the reader should show for the current selection.
fn target(state: AppState) -> Option<(String, String)> {
    let id = state.selected.get()?;
    let f = state.feature(&id)?;
    let i = state.excerpt_index.get();
    let e = f.feature.props.excerpts.get(i).or_else(|| f.feature.props.excerpts.first())?;
    Some((e.doc.clone(), e.quote.clone()))
}

/// Every loaded feature's excerpts in `doc`, located in `text`.
fn highlights(state: AppState, doc: &str, text: &str) -> Vec<Highlight> {
    state.layers.with(|layers| {
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
    })
}

/// The reader panel.
#[component]
pub fn Reader() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let doc = Memo::new(move |_| target(state).map(|(d, _)| d));
    Effect::new(move |_| {
        if let Some(d) = doc.get() {
            state.load_doc(&d);
        }
    });

    // Scroll the selected excerpt into view once the text is on the page.
    Effect::new(move |_| {
        let Some((d, quote)) = target(state) else { return };
        let start = state.docs.with(|docs| match docs.get(&d) {
            Some(Load::Ready(t)) => locate(t, &quote).map(|r| r.start),
            _ => None,
        });
        let Some(start) = start else { return };
        request_animation_frame(move || {
            // Scroll the reader itself, not the page: on a phone the map stays where it is.
            let sel = format!(".reader mark[data-start=\"{start}\"]");
            let mark = document().query_selector(&sel).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            let reader = document().query_selector(".reader").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let (Some(mark), Some(reader)) = (mark, reader) {
                let top = mark.offset_top() - (reader.client_height() - mark.offset_height()) / 2;
                reader.set_scroll_top(top.max(0));
            }
        });
    });

    let body = move || {
        let l = lang.get();
        let Some(d) = doc.get() else { return ().into_any() };
        let title = match state.manifest.get_untracked() {
            Load::Ready(m) => m.document(&d).map(|x| l.t(&x.title_zh, &x.title_en).to_string()),
            _ => None,
        }
        .unwrap_or_else(|| d.clone());
        let text = state.docs.with(|docs| docs.get(&d).cloned());
        let content = match text {
            None | Some(Load::Loading) => view! { <p class="hint" role="status">{l.t("正在加载规划原文…", "Loading the plan text…")}</p> }.into_any(),
            Some(Load::Failed(e)) => view! { <p class="hint error" role="alert">{format!("{} {e}", l.t("无法加载规划原文：", "Could not load the plan text:"))}</p> }.into_any(),
            Some(Load::Ready(t)) => text_view(state, &d, t).into_any(),
        };
        view! {
            <h2 class="doc-title">{title}</h2>
            <p class="doc-file">{d.clone()}</p>
            {content}
        }
        .into_any()
    };
    view! {
        <section class="reader" aria-label=move || lang.get().t("规划原文", "Plan text")>
            {body}
        </section>
    }
}

fn text_view(state: AppState, doc: &str, text: Arc<String>) -> impl IntoView {
    let mut hs = highlights(state, doc, &text);
    // Shortest first: where clauses nest, a click on the inner one selects its own feature.
    hs.sort_by_key(|h| h.range.len());
    let paras = paragraphs(&text, &hs)
        .into_iter()
        .filter(|p| !p.range.is_empty())
        .map(|p| {
            let segs = p
                .segments
                .into_iter()
                .map(|s| {
                    let chunk = text[s.range.clone()].to_string();
                    if s.feature_ids.is_empty() {
                        return chunk.into_any();
                    }
                    let ids = s.feature_ids.clone();
                    let ids_for_attr = ids.clone();
                    let shown_id = move || {
                        let sel = state.selected.get();
                        sel.filter(|x| ids_for_attr.contains(x)).unwrap_or_else(|| ids_for_attr[0].clone())
                    };
                    let ids_for_class = ids.clone();
                    let current = move || state.selected.with(|s| s.as_ref().is_some_and(|x| ids_for_class.contains(x)));
                    let on_click = move |_| {
                        let sel = state.selected.get_untracked();
                        if !sel.as_ref().is_some_and(|x| ids.contains(x)) {
                            state.select(Some(ids[0].clone()));
                        }
                    };
                    view! {
                        <mark
                            data-feature-id=shown_id
                            data-feature-ids=s.feature_ids.join(" ")
                            data-start=s.range.start
                            class:current=current
                            tabindex="0"
                            on:click=on_click
                        >
                            {chunk}
                        </mark>
                    }
                    .into_any()
                })
                .collect::<Vec<_>>();
            view! { <p id=format!("L{}", p.line) data-line=p.line>{segs}</p> }
        })
        .collect::<Vec<_>>();
    view! { <div class="plan-text" lang="zh">{paras}</div> }
}
