//! The search box: one ranked list of plan clauses and map features (`atlas_core::find`), for
//! queries as people type them (several words, quoted phrases, English through the glossary,
//! numbers with units). Results show the plan and section, a snippet with every term marked and,
//! for English, the Chinese words that matched; filters keep features, plan text or one plan.
//! Arrow keys move, Enter opens and moves focus to the clause (or the card), Escape returns.

use std::sync::Arc;

use atlas_core::find::{snippet_pieces, FindIndex, Found, Only};
use atlas_core::plan::PlanDoc;
use atlas_core::query::{parse, Glossary};
use leptos::prelude::*;

use crate::dom;
use crate::state::{now_ms, AppState, Focus, Lang, Load};

/// The index, built once every plan text and layer has loaded.
struct Indexes {
    find: FindIndex,
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
        translated: Vec<String>,
    },
    Text {
        doc: String,
        doc_title: String,
        section: String,
        line: usize,
        range: std::ops::Range<usize>,
        /// The snippet as (text, marked) pieces.
        pieces: Vec<(String, bool)>,
        translated: Vec<String>,
    },
}

const LIMIT: usize = 40;
/// Characters of a clause shown before its first mark, and in all.
const LEAD: usize = 24;
const SHOWN: usize = 110;

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
    let only = RwSignal::new(Only::All);
    // Set when a result was chosen: Escape in the reader or the card then returns to the box.
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
    let ignored = RwSignal::new(Vec::<String>::new());
    let build_ms = RwSignal::new(0.0f64);
    let index_kb = RwSignal::new(0usize);

    let indexes = Memo::new(move |_| {
        let Load::Ready(folder) = state.data.folder.get() else { return None };
        let Load::Ready(m) = state.data.manifest.get() else { return None };
        let docs = state.data.docs.get();
        let t0 = now_ms();
        let mut texts = Vec::new();
        let mut files = Vec::new();
        let mut find = FindIndex::default();
        for d in &m.documents {
            match docs.get(&d.file) {
                Some(Load::Ready(t)) => {
                    find.add_doc(&folder, &format!("{} {}", d.title_zh, d.title_en), &t.text);
                    texts.push(t.clone());
                    files.push(d.file.clone());
                }
                Some(Load::Failed(_)) => continue,
                _ => return None,
            }
        }
        state.data.layers.with(|layers| {
            for (id, l) in layers {
                if let Load::Ready(r) = l {
                    let layer = m.layer(id).map(|i| format!("{} {}", i.title_zh, i.title_en)).unwrap_or_default();
                    for f in &r.features {
                        let p = &f.feature.props;
                        find.add_feature(&folder, &f.feature.id, &p.name_zh, &p.name_en, p.description_en.as_deref().unwrap_or(""), &layer);
                    }
                }
            }
        });
        build_ms.set(now_ms() - t0);
        index_kb.set(find.heap_bytes() / 1024);
        Some(IndexesRef(Arc::new(Indexes { find, docs: files, texts })))
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
        let glossary = state.data.glossary.get().unwrap_or_else(|| Arc::new(Glossary::default()));
        let l = lang.get_untracked();
        let t0 = now_ms();
        let parsed = parse(&folder, &glossary, &q);
        let found = ix.find.find(&parsed, only.get(), LIMIT);
        ignored.set(found.ignored.clone());
        let (hits, total) = (found.hits, found.total);
        let mut rows = Vec::new();
        for h in hits {
            match h.found {
                Found::Feature { id } => {
                    let Some(f) = state.feature(&id) else { continue };
                    let p = &f.feature.props;
                    let layer = m.layer(&f.layer_id).map(|i| l.t(&i.title_zh, &i.title_en).to_string()).unwrap_or_default();
                    let (name, other) =
                        if l == Lang::Zh { (p.name_zh.clone(), p.name_en.clone()) } else { (p.name_en.clone(), p.name_zh.clone()) };
                    rows.push(Row::Feature { id, name, other, layer, translated: h.translated });
                }
                Found::Clause { doc, range, marks } => {
                    let loaded = &ix.texts[doc];
                    let file = ix.docs[doc].clone();
                    let doc_title = m.document(&file).map(|d| l.t(&d.title_zh, &d.title_en).to_string()).unwrap_or_else(|| file.clone());
                    let line = atlas_core::excerpt::line_of(&loaded.text, marks.first().map_or(range.start, |r| r.start));
                    rows.push(Row::Text {
                        section: section_title(&loaded.plan, range.start),
                        pieces: snippet_pieces(&loaded.text, range.clone(), &marks, LEAD, SHOWN),
                        doc: file,
                        doc_title,
                        line,
                        // Open the reader at the first match (the whole clause when none).
                        range: marks.first().cloned().unwrap_or(range),
                        translated: h.translated,
                    });
                }
            }
        }
        last_ms.set(now_ms() - t0);
        (rows, total)
    });

    let choose = move |row: Row| {
        // Escape in the card or the reader comes back here (lib.rs).
        dom::remember_focus();
        match row {
            Row::Feature { id, .. } => {
                state.select(Some(id.clone()), true);
                dom::focus_when_ready(format!(".card[data-feature-id=\"{id}\"] h2"));
            }
            Row::Text { doc, range, .. } => {
                state.open_doc(&doc, Focus::Range(range));
                dom::focus_when_ready(".reader mark.focus".to_string());
            }
        }
        open.set(false);
    };

    // The list is on the page only while the box is open with a query: the combobox's
    // references (`aria-controls`, `aria-activedescendant`) name it only then.
    let shown = move || open.get() && query.with(|q| !q.trim().is_empty());
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

    let filters = move || {
        let l = lang.get();
        let Load::Ready(m) = state.data.manifest.get() else { return Vec::new() };
        let mut choices = vec![
            (Only::All, l.t("全部", "All").to_string()),
            (Only::Features, l.t("地图要素", "Map features").to_string()),
            (Only::Text, l.t("规划原文", "Plan text").to_string()),
        ];
        let loaded: Vec<String> = indexes.with(|ix| ix.as_ref().map(|ix| ix.0.docs.clone()).unwrap_or_default());
        for (i, file) in loaded.iter().enumerate() {
            if let Some(d) = m.document(file) {
                choices.push((Only::Doc(i), l.t(&d.short_zh, &d.short_en).to_string()));
            }
        }
        choices
            .into_iter()
            .map(|(o, label)| {
                let pressed = move || only.get() == o;
                view! {
                    <button
                        type="button"
                        class="search-filter"
                        aria-pressed=move || pressed().to_string()
                        on:mousedown=|ev: web_sys::MouseEvent| ev.prevent_default()
                        on:click=move |_| {
                            only.set(o);
                            active.set(0);
                        }
                    >
                        {label}
                    </button>
                }
            })
            .collect::<Vec<_>>()
    };

    let list = move || {
        if !shown() {
            return None;
        }
        let (rows, total) = results.get();
        let l = lang.get();
        let status = if indexes.with(Option::is_none) {
            l.t("正在加载规划原文…", "Loading the plan texts…").to_string()
        } else if rows.is_empty() {
            l.t("没有找到：每个词都要出现在同一句原文或同一要素中", "No matches: every word must occur in one clause or one feature")
                .to_string()
        } else if !ignored.with(Vec::is_empty) {
            let words = ignored.get().join("”“");
            match l {
                Lang::Zh => format!("{total} 条结果（原文和要素中都没有“{words}”，已忽略）"),
                Lang::En => format!("{total} results (“{words}” occurs nowhere in the plans or the map, so it was left out)"),
            }
        } else if total > rows.len() {
            format!("{} {} {total} {}", rows.len(), l.t("条结果（共", "results shown of"), l.t("条）", "matches"))
        } else {
            format!("{total} {}", l.t("条结果", "results"))
        };
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let is_active = move || active.get() == i;
                let r = row.clone();
                let matched = |tr: &[String]| {
                    (!tr.is_empty()).then(|| view! { <span class="r-matched">{format!("{} {}", l.t("匹配：", "matched:"), tr.join("、"))}</span> })
                };
                let body = match row {
                    Row::Feature { id, name, other, layer, translated } => view! {
                        <span class="r-kind">{l.t("要素", "Feature")}</span>
                        <span class="r-name" data-feature-id=id>{name}</span>
                        <span class="r-meta">{format!("{other} · {layer}")}</span>
                        {matched(&translated)}
                    }
                    .into_any(),
                    Row::Text { doc_title, section, line, pieces, doc, translated, .. } => view! {
                        <span class="r-kind">{l.t("原文", "Text")}</span>
                        <span class="r-meta" data-doc=doc data-line=line>
                            {if section.is_empty() { format!("{doc_title} · L{line}") } else { format!("{doc_title} › {section} · L{line}") }}
                        </span>
                        <span class="r-snippet">
                            {pieces.into_iter().map(|(t, marked)| if marked { view! { <mark>{t}</mark> }.into_any() } else { t.into_any() }).collect::<Vec<_>>()}
                        </span>
                        {matched(&translated)}
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
            <div class="search-results" data-search-ms=move || format!("{:.3}", last_ms.get()) data-build-ms=move || format!("{:.1}", build_ms.get()) data-index-kb=move || index_kb.get()>
                <div class="search-filters" role="group" aria-label=l.t("筛选结果", "Filter results")>{filters}</div>
                <p class="search-status" role="status" aria-live="polite">{status}</p>
                <ul id="search-results" role="listbox" aria-label=l.t("搜索结果", "Search results")>{items}</ul>
            </div>
        })
    };

    view! {
        <div class="search">
            <input
                type="search"
                id="search-input"
                class="search-input"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=move || shown().then_some("search-results")
                aria-expanded=move || shown().to_string()
                aria-activedescendant=move || {
                    (shown() && results.with(|r| active.get() < r.0.len())).then(|| format!("search-opt-{}", active.get()))
                }
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
