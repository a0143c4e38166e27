//! The search box: plan text and feature names (zh and en), folded for matching (traditional /
//! simplified, full / half width, case, the plans' spelling variants). Results show the
//! document, section and a snippet with the match marked; arrow keys move, Enter opens.

use std::sync::Arc;

use atlas_core::plan::PlanDoc;
use atlas_core::search::{snippet, NameIndex, TextIndex};
use leptos::prelude::*;

use crate::state::{now_ms, AppState, Focus, Lang, Load};

/// The indexes, built once every plan text and layer has loaded.
struct Indexes {
    text: TextIndex,
    names: NameIndex,
    /// Document files in index order.
    docs: Vec<String>,
    texts: Vec<Arc<crate::state::LoadedDoc>>,
}

/// Shared indexes; equal only to themselves (a rebuilt index is a new value).
#[derive(Clone)]
struct IndexesRef(Arc<Indexes>);

impl PartialEq for IndexesRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// One result row.
#[derive(Clone, PartialEq)]
enum Row {
    Feature {
        id: String,
        name: String,
        other: String,
        layer: String,
    },
    Text {
        doc: String,
        doc_title: String,
        section: String,
        line: usize,
        range: std::ops::Range<usize>,
        before: String,
        hit: String,
        after: String,
    },
}

const TEXT_LIMIT: usize = 40;
const NAME_LIMIT: usize = 8;

fn section_title(plan: &PlanDoc, at: usize) -> String {
    plan.block_at(at).and_then(|b| plan.blocks[b].section).map(|s| plan.toc[s].title.clone()).unwrap_or_default()
}

/// The search box with its result list.
#[component]
pub fn SearchBox() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    // The text lives in the page's state, so that it goes into the URL and comes back from it.
    let query = state.ui.query;
    let open = RwSignal::new(false);
    // A search given by a link is run once the texts are loaded (the results open on focus).
    if !query.get_untracked().trim().is_empty() {
        Effect::new(move |_| {
            if state.data.manifest.with(|m| matches!(m, Load::Ready(_))) {
                state.load_all_docs();
            }
        });
    }
    let active = RwSignal::new(0usize);
    let last_ms = RwSignal::new(0.0f64);

    let indexes = Memo::new(move |_| {
        let Load::Ready(folder) = state.data.folder.get() else { return None };
        let Load::Ready(m) = state.data.manifest.get() else { return None };
        let docs = state.data.docs.get();
        let mut texts = Vec::new();
        for d in &m.documents {
            match docs.get(&d.file) {
                Some(Load::Ready(t)) => texts.push(t.clone()),
                Some(Load::Failed(_)) => continue,
                _ => return None,
            }
        }
        let mut text = TextIndex::default();
        for t in &texts {
            text.add(&folder, &t.text);
        }
        let mut names = NameIndex::default();
        state.data.layers.with(|layers| {
            for l in layers.values() {
                if let Load::Ready(r) = l {
                    for f in &r.features {
                        names.add(&folder, &f.feature.id, &f.feature.props.name_zh, &f.feature.props.name_en);
                    }
                }
            }
        });
        let files =
            m.documents.iter().filter(|d| docs.get(&d.file).is_some_and(|s| matches!(s, Load::Ready(_)))).map(|d| d.file.clone()).collect();
        Some(IndexesRef(Arc::new(Indexes { text, names, docs: files, texts })))
    });

    let results = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return (Vec::new(), 0usize);
        }
        let (Some(IndexesRef(ix)), Load::Ready(folder), Load::Ready(m)) =
            (indexes.get(), state.data.folder.get(), state.data.manifest.get())
        else {
            return (Vec::new(), 0);
        };
        let l = lang.get_untracked();
        let t0 = now_ms();
        let mut rows = Vec::new();
        for id in ix.names.search(&folder, &q, NAME_LIMIT) {
            if let Some(f) = state.feature(&id) {
                let p = &f.feature.props;
                let layer = m.layer(&f.layer_id).map(|i| l.t(&i.title_zh, &i.title_en).to_string()).unwrap_or_default();
                let (name, other) =
                    if l == Lang::Zh { (p.name_zh.clone(), p.name_en.clone()) } else { (p.name_en.clone(), p.name_zh.clone()) };
                rows.push(Row::Feature { id, name, other, layer });
            }
        }
        let (hits, total) = ix.text.search(&folder, &q, TEXT_LIMIT);
        for h in hits {
            let loaded = &ix.texts[h.doc];
            let doc = ix.docs[h.doc].clone();
            let doc_title = m.document(&doc).map(|d| l.t(&d.title_zh, &d.title_en).to_string()).unwrap_or_else(|| doc.clone());
            let (before, hit, after) = snippet(&loaded.text, h.range.clone(), 24);
            let line = atlas_core::excerpt::line_of(&loaded.text, h.range.start);
            rows.push(Row::Text {
                section: section_title(&loaded.plan, h.range.start),
                doc,
                doc_title,
                line,
                range: h.range,
                before,
                hit,
                after,
            });
        }
        last_ms.set(now_ms() - t0);
        (rows, total)
    });

    let choose = move |row: Row| {
        match row {
            Row::Feature { id, .. } => {
                state.select(Some(id.clone()), true);
            }
            Row::Text { doc, range, .. } => state.open_doc(&doc, Focus::Range(range)),
        }
        open.set(false);
    };

    let on_input = move |ev: web_sys::Event| {
        query.set(event_target_value(&ev));
        active.set(0);
        open.set(true);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let n = results.with(|(r, _)| r.len());
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = (*a + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + n - 1) % n);
            }
            "Enter" => {
                if let Some(row) = results.with(|(r, _)| r.get(active.get_untracked()).cloned()) {
                    ev.prevent_default();
                    choose(row);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };

    let list = move || {
        let (rows, total) = results.get();
        let l = lang.get();
        if !open.get() || query.with(|q| q.trim().is_empty()) {
            return None;
        }
        let status = if indexes.with(Option::is_none) {
            l.t("正在加载规划原文…", "Loading the plan texts…").to_string()
        } else if rows.is_empty() {
            l.t("没有找到", "No matches").to_string()
        } else {
            format!("{total} {}", l.t("处原文匹配", "matches in the plan texts"))
        };
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let is_active = move || active.get() == i;
                let r = row.clone();
                let body = match row {
                    Row::Feature { id, name, other, layer } => view! {
                        <span class="r-kind">{l.t("要素", "Feature")}</span>
                        <span class="r-name" data-feature-id=id>{name}</span>
                        <span class="r-meta">{format!("{other} · {layer}")}</span>
                    }
                    .into_any(),
                    Row::Text { doc_title, section, line, before, hit, after, doc, .. } => view! {
                        <span class="r-kind">{l.t("原文", "Text")}</span>
                        <span class="r-meta" data-doc=doc>{format!("{doc_title} · {section} · L{line}")}</span>
                        <span class="r-snippet">{before}<mark>{hit}</mark>{after}</span>
                    }
                    .into_any(),
                };
                view! {
                    <li
                        role="option"
                        id=format!("search-opt-{i}")
                        aria-selected=move || is_active().to_string()
                        class:active=is_active
                        on:mousedown=move |ev: web_sys::MouseEvent| {
                            ev.prevent_default();
                            choose(r.clone());
                        }
                    >
                        {body}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <div class="search-results" data-search-ms=move || format!("{:.3}", last_ms.get())>
                <p class="search-status" role="status">{status}</p>
                <ul id="search-results" role="listbox">{items}</ul>
            </div>
        })
    };

    view! {
        <div class="search">
            <input
                type="search"
                class="search-input"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="search-results"
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || (open.get() && results.with(|r| !r.0.is_empty())).then(|| format!("search-opt-{}", active.get()))
                aria-label=move || lang.get().t("搜索地点与规划原文", "Search places and plan text")
                placeholder=move || lang.get().t(atlas_core::site::SEARCH_HINT_ZH, atlas_core::site::SEARCH_HINT_EN)
                on:focus=move |_| {
                    state.load_all_docs();
                    open.set(true);
                }
                on:blur=move |_| open.set(false)
                on:input=on_input
                on:keydown=on_key
                prop:value=move || query.get()
            />
            {list}
        </div>
    }
}
