//! The plan's table of contents: built when first opened (a long plan has hundreds of
//! entries); each entry opens the text at its line.

use leptos::prelude::*;

use crate::state::{AppState, Focus, Lang, LoadedDoc};

pub fn toc_view(state: AppState, doc: &LoadedDoc, l: Lang) -> impl IntoView {
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
                            <button on:click=move |_| state.sel.reader.update(|r| r.focus = Focus::Line(line))>{t.title.clone()}</button>
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
