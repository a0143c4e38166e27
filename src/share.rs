//! The share dialog: the permalink of the current view, and the HTML to embed the map in
//! another page (an iframe of fixed or responsive size, or the loader), with its options and a
//! live preview. The snippet itself is written by `atlas_core::embed::snippet`.

use atlas_core::embed::{snippet, ShareOptions, SnippetSize};
use atlas_core::url_state::UrlState;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom;
use crate::state::AppState;

/// Copy text with the asynchronous clipboard API; false when the browser refuses.
fn copy(text: &str) -> bool {
    let nav = window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")) else { return false };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return false };
    match write.dyn_into::<js_sys::Function>() {
        Ok(f) => f.call1(&clipboard, &JsValue::from_str(text)).is_ok(),
        Err(_) => false,
    }
}

/// The site's address (the page without its hash).
fn site() -> String {
    let loc = window().location();
    format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

/// The Share button and its dialog.
#[component]
pub fn Share() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let open = RwSignal::new(false);
    let size = RwSignal::new("responsive".to_string());
    let width = RwSignal::new(800u16);
    let height = RwSignal::new(500u16);
    let layers = RwSignal::new(true);
    let reader = RwSignal::new(true);
    let feature = RwSignal::new(true);
    let embed_lang = RwSignal::new(String::new());
    let copied = RwSignal::new(None::<&'static str>);
    // The view as it is when the dialog opens (and as it changes behind it).
    let current = move || {
        state.sel.selected.track();
        state.view.settled.track();
        state.view.visible.track();
        UrlState::parse(&dom::hash()).0
    };
    let options = move || ShareOptions {
        size: match size.get().as_str() {
            "fixed" => SnippetSize::Fixed { width: width.get(), height: height.get() },
            "loader" => SnippetSize::Loader { ratio: 62 },
            _ => SnippetSize::Responsive { ratio: 62 },
        },
        layers: layers.get(),
        lang: Some(embed_lang.get()).filter(|l| !l.is_empty()).unwrap_or_else(|| lang.get().code().to_string()),
        reader: reader.get(),
        feature: feature.get(),
    };
    let code = Memo::new(move |_| {
        if !open.get() {
            return String::new();
        }
        let title = lang.get().t("Plan Atlas：天津“十四五”规划空间布局地图", "Plan Atlas: Tianjin's 14th Five-Year Plans on a map");
        snippet(&site(), &current(), &options(), title)
    });
    let preview_src = move || {
        let mut o = options();
        o.size = SnippetSize::Fixed { width: 600, height: 400 };
        format!("{}{}", site(), atlas_core::embed::embed_view(&current(), &o).format())
    };
    let permalink = move || {
        current();
        window().location().href().unwrap_or_default()
    };
    let show = move |_| {
        copied.set(None);
        open.set(true);
        dom::focus_when_ready(".share-dialog .share-link".into());
    };
    let close = move || {
        open.set(false);
        dom::focus_when_ready(".share-toggle".into());
    };
    let selected_name = move || {
        let l = lang.get();
        state
            .sel
            .selected
            .get()
            .and_then(|id| state.feature(&id))
            .map(|f| l.t(&f.feature.props.name_zh, &f.feature.props.name_en).to_string())
    };
    let copy_button = move |what: &'static str, text: Box<dyn Fn() -> String + Send + Sync>, label: &'static str| {
        view! {
            <button
                class=format!("copy-{what}")
                on:click=move |_| copied.set(Some(if copy(&text()) { what } else { "failed" }))
            >
                {label}
            </button>
        }
    };
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="share-choice">
                <input type="radio" name="share-size" value=value prop:checked=move || size.get() == value on:change=move |_| size.set(value.to_string()) />
                {label}
            </label>
        }
    };
    view! {
        <button class="share-toggle" on:click=show aria-haspopup="dialog">{move || lang.get().t("分享", "Share")}</button>
        <Show when=move || open.get()>
            {move || {
                let l = lang.get();
                view! {
                    <div class="share-backdrop" on:click=move |_| close()></div>
                    <div
                        class="share-dialog"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="share-title"
                        on:keydown=move |e: web_sys::KeyboardEvent| {
                            if e.key() == "Escape" {
                                e.stop_propagation();
                                close();
                            }
                        }
                    >
                        <h2 id="share-title">{l.t("分享与嵌入", "Share and embed")}</h2>
                        <button class="share-close" on:click=move |_| close() aria-label=l.t("关闭", "Close")>"×"</button>
                        <label class="share-label" for="share-link">{l.t("此视图的链接", "Link to this view")}</label>
                        <div class="share-row">
                            <input id="share-link" class="share-link" readonly prop:value=permalink on:focus=move |e| select_all(&e) />
                            {copy_button("link", Box::new(permalink), l.t("复制链接", "Copy link"))}
                        </div>
                        <fieldset class="share-options">
                            <legend>{l.t("嵌入到其他网页", "Embed in another page")}</legend>
                            {radio("responsive", l.t("自适应宽度", "Responsive"))}
                            {radio("fixed", l.t("固定大小", "Fixed size"))}
                            {radio("loader", l.t("加载脚本（自动高度、消息接口）", "Loader script (auto height, message API)"))}
                            <Show when=move || size.get() == "fixed">
                                <label class="share-choice">
                                    {l.t("宽", "Width")}
                                    <input type="number" min="300" max="4000" class="share-width" prop:value=move || width.get().to_string() on:input=move |e| if let Ok(v) = event_target_value(&e).parse() { width.set(v) } />
                                </label>
                                <label class="share-choice">
                                    {l.t("高", "Height")}
                                    <input type="number" min="300" max="4000" class="share-height" prop:value=move || height.get().to_string() on:input=move |e| if let Ok(v) = event_target_value(&e).parse() { height.set(v) } />
                                </label>
                            </Show>
                            <label class="share-choice">
                                <input type="checkbox" class="share-layers" prop:checked=move || layers.get() on:change=move |e| layers.set(event_target_checked(&e)) />
                                {l.t("保留当前图层", "Keep the layers shown now")}
                            </label>
                            <label class="share-choice">
                                <input type="checkbox" class="share-reader" prop:checked=move || reader.get() on:change=move |e| reader.set(event_target_checked(&e)) />
                                {l.t("显示要素卡片与规划原文", "Show the feature's card and the plan's words")}
                            </label>
                            <label class="share-choice">
                                <input
                                    type="checkbox"
                                    class="share-feature"
                                    prop:checked=move || feature.get()
                                    disabled=move || selected_name().is_none()
                                    on:change=move |e| feature.set(event_target_checked(&e))
                                />
                                {match selected_name() {
                                    Some(n) => format!("{}{n}", l.t("打开时选中：", "Open with this feature selected: ")),
                                    None => l.t("（未选中要素）", "(no feature selected)").to_string(),
                                }}
                            </label>
                            <label class="share-choice">
                                {l.t("语言", "Language")}
                                <select class="share-lang" prop:value=move || if embed_lang.get().is_empty() { lang.get().code().to_string() } else { embed_lang.get() } on:change=move |e| embed_lang.set(event_target_value(&e))>
                                    <option value="zh">"中文"</option>
                                    <option value="en">"English"</option>
                                </select>
                            </label>
                        </fieldset>
                        <label class="share-label" for="share-code">{l.t("嵌入代码", "Code to paste")}</label>
                        <textarea id="share-code" class="share-code" readonly rows="4" prop:value=move || code.get() on:focus=move |e| select_all(&e)></textarea>
                        <div class="share-row">
                            {copy_button("code", Box::new(move || code.get_untracked()), l.t("复制代码", "Copy code"))}
                            <span class="share-copied" role="status">
                                {move || copied.get().map(|w| {
                                    match w {
                                        "failed" => l.t("无法访问剪贴板：请选中文本后按 Ctrl+C。", "The clipboard is not available: select the text and press Ctrl+C."),
                                        "link" => l.t("链接已复制。", "Link copied."),
                                        _ => l.t("代码已复制。", "Code copied."),
                                    }
                                })}
                            </span>
                        </div>
                        <p class="share-label">{l.t("预览", "Preview")}</p>
                        <iframe class="share-preview" title=l.t("嵌入预览", "Embed preview") src=preview_src></iframe>
                        <p class="legend-note">
                            {l.t(
                                "其他网站须在本站的 embed.json 中列出才能与地图通信（见 docs/embedding.md）。",
                                "Other sites can talk to the map only when the site's embed.json lists them (see docs/embedding.md).",
                            )}
                        </p>
                    </div>
                }
            }}
        </Show>
    }
}

fn select_all(e: &web_sys::FocusEvent) {
    if let Some(t) = e.target() {
        if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
            i.select();
        } else if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            a.select();
        }
    }
}
