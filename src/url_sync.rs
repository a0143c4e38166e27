//! The URL hash and the app, both ways. On start and on every `hashchange` or Back/Forward
//! the hash is parsed (`atlas_core::url_state`) and applied; every change of the app's state
//! is written back: a new history entry when the selection or the open plan changes, a
//! replaced one (at most four times a second) for everything else.

use std::time::Duration;

use atlas_core::compare::CompareMode;
use atlas_core::layer::Status;
use atlas_core::manifest::Manifest;
use atlas_core::url_state::{history_step, preferred_lang, HistoryStep, LayerSetting, MapPosition, Problem, UrlState};
use leptos::prelude::*;

use crate::dom;
use crate::state::{AppState, Focus, Lang, Load, ReaderView};

const REPLACE_EVERY: Duration = Duration::from_millis(250);

/// Read the hash now, apply it, and keep the hash and the app in step from here on. Returns
/// the state read, whose layer settings are applied once the manifest is in
/// ([`apply_layers`]).
pub fn start(state: AppState) -> UrlState {
    let (url, problems) = UrlState::parse(&dom::hash());
    // Applied first, so that the message is in the link's language.
    apply(state, &url);
    report(state, problems);
    let last = StoredValue::new(url.clone());
    write_back(state, last);
    let on_nav = move |_: web_sys::Event| {
        let (url, problems) = UrlState::parse(&dom::hash());
        // Our own writes come back as popstate only through Back/Forward; an unchanged
        // state has nothing to apply.
        if url == last.get_value() {
            return;
        }
        last.set_value(url.clone());
        apply(state, &url);
        report(state, problems);
        if let Some(m) = state.manifest() {
            apply_layers(state, &url, &m);
        }
    };
    dom::listen_window("hashchange", on_nav);
    dom::listen_window("popstate", on_nav);
    url
}

/// The ignored fields as one notice, in the link's language (applied just before).
fn report(state: AppState, problems: Vec<Problem>) {
    if !problems.is_empty() {
        let lang = state.ui.lang.get_untracked();
        let head = lang.t("链接中的部分设置已忽略：", "Part of the link was ignored: ");
        let list: Vec<String> = problems.iter().map(|p| if lang == Lang::En { p.en() } else { p.zh() }).collect();
        // However long the link, the first few problems and a count of the rest.
        let (shown, more) = atlas_core::site::bounded_list(&list, 5, 160);
        let rest = match (more, lang) {
            (0, _) => String::new(),
            (n, Lang::Zh) => format!("；另有{n}项"),
            (n, Lang::En) => format!("; and {n} more"),
        };
        state.ui.notices.set(vec![format!("{head}{}{rest}", shown.join(lang.t("；", "; ")))]);
    }
}

/// The current view as a tour's saved view: the whole state but the tour itself and the
/// language (a tour is shown in the presenter's language).
pub fn saved_view(state: AppState) -> Option<String> {
    let url = current(state)?;
    let view = UrlState { lang: None, tour: Vec::new(), stop: None, ..url };
    Some(view.format().trim_start_matches('#').to_string()).filter(|v| !v.is_empty())
}

/// Show a saved view as stop `stop` of the tour: apply it whole, keeping the tour and the
/// interface language.
pub fn show_view(state: AppState, view: &str, stop: usize) {
    let (mut url, _) = UrlState::parse(view);
    url.tour = state.ui.tour.get_untracked();
    url.stop = Some(stop);
    url.lang = Some(state.ui.lang.get_untracked().code().to_string());
    apply(state, &url);
    if let Some(m) = state.manifest() {
        apply_layers(state, &url, &m);
    }
}

/// Apply everything but the layers (which need the manifest).
fn apply(state: AppState, url: &UrlState) {
    let lang = url.lang.as_deref().unwrap_or_else(|| preferred_lang(&dom::preferred_languages()));
    state.ui.lang.set(if lang == "en" { Lang::En } else { Lang::Zh });
    state.view.statuses.set(url.statuses.clone().unwrap_or_else(|| Status::ALL.to_vec()));
    state.view.metro_2025.set(url.metro_2025);
    let right = state.cmp.right;
    right.statuses.set(url.right_statuses.clone().unwrap_or_else(|| Status::ALL.to_vec()));
    right.metro_2025.set(url.right_metro_2025);
    state.cmp.split.set(url.split.unwrap_or(50));
    state.cmp.mode.set(url.compare.unwrap_or_default());
    state.ui.tour.set(url.tour.clone());
    if url.embed {
        state.ui.embed.set(Some(crate::state::EmbedOpts { reader: url.reader.unwrap_or(true), ratio: url.ratio }));
    }
    state.ui.stop.set(url.stop.filter(|s| *s <= url.tour.len()));
    if let Some(p) = url.map {
        match state.view.viewport.get_untracked() {
            Some(v) => {
                state.view.flight.update(|g| *g = g.wrapping_add(1));
                state.view.viewport.set(Some(p.to_viewport(v.width, v.height)));
            }
            None => state.view.start.set_value(Some(p)),
        }
    }
    state.sel.selected.set(url.feature.clone());
    state.sel.reveal.set(url.feature.clone().map(|f| (f, url.map.is_none())));
    let reader = match (&url.doc, &url.feature) {
        (Some(doc), _) => ReaderView { doc: Some(doc.clone()), focus: url.line.map_or(Focus::None, Focus::Line) },
        (None, Some(_)) => ReaderView { doc: None, focus: Focus::Excerpt(url.excerpt.unwrap_or(0)) },
        (None, None) => ReaderView { doc: None, focus: Focus::None },
    };
    state.sel.reader.set(reader);
    state.sel.reader_top.set(url.at);
    state.ui.query.set(url.query.clone().unwrap_or_default());
}

/// Apply the URL's layers (visible set, order, opacity) against the manifest, to each side;
/// unknown layer ids are reported and skipped. Without `rlayers`, the right side has the
/// left's layers.
pub fn apply_layers(state: AppState, url: &UrlState, m: &Manifest) {
    apply_side_layers(state, state.view, url.layers.as_deref(), m);
    apply_side_layers(state, state.cmp.right, url.right_layers.as_deref().or(url.layers.as_deref()), m);
}

/// Show these layers on the (left) map, as a link's `layers` would.
pub fn set_layers(state: AppState, list: &[LayerSetting], m: &Manifest) {
    apply_side_layers(state, state.view, Some(list), m);
}

fn apply_side_layers(state: AppState, view: crate::state::MapState, list: Option<&[LayerSetting]>, m: &Manifest) {
    let Some(list) = list else {
        view.visible.set(crate::state::default_visibility(m));
        view.order.set(Vec::new());
        view.opacity.set(Default::default());
        return;
    };
    let (known, unknown): (Vec<&LayerSetting>, Vec<&LayerSetting>) = list.iter().partition(|s| m.layer(&s.id).is_some());
    if !unknown.is_empty() && !view.is_right {
        let lang = state.ui.lang.get_untracked();
        let names: Vec<&str> = unknown.iter().map(|s| s.id.as_str()).collect();
        state.ui.notices.update(|n| {
            n.push(format!("{}{}", lang.t("链接中的图层不存在：", "The link names layers that do not exist: "), names.join(", ")))
        });
    }
    // Maps filled by insertion: collecting into a BTreeMap sorts, one more sort in the wasm.
    let mut visible = crate::state::default_visibility(m);
    let mut opacity = std::collections::BTreeMap::new();
    for (id, on) in visible.iter_mut() {
        *on = known.iter().any(|s| &s.id == id);
    }
    for s in &known {
        if let Some(o) = s.opacity {
            opacity.insert(s.id.clone(), f64::from(o) / 100.0);
        }
    }
    view.visible.set(visible);
    view.order.set(known.iter().map(|s| s.id.clone()).collect());
    view.opacity.set(opacity);
}

/// A side's layers as the URL lists them, and whether that is the manifest's default.
fn side_layers(view: crate::state::MapState, m: &Manifest) -> (Vec<LayerSetting>, bool) {
    let visible = view.visible.get();
    let order = view.order.get();
    let opacity = view.opacity.get();
    let shown: Vec<LayerSetting> = m
        .ordered(&order)
        .into_iter()
        // A user's own layer lives only in this page: a link cannot carry it.
        .filter(|l| l.kind != atlas_core::manifest::LayerKind::User && visible.get(&l.id).copied().unwrap_or(false))
        .map(|l| LayerSetting {
            id: l.id.clone(),
            opacity: opacity.get(&l.id).map(|o| (o * 100.0).round().clamp(0.0, 100.0) as u8).filter(|o| *o < 100),
        })
        .collect();
    let default: Vec<&str> = m.layers.iter().filter(|l| l.visible).map(|l| l.id.as_str()).collect();
    let is_default = shown.iter().map(|s| s.id.as_str()).eq(default.iter().copied()) && shown.iter().all(|s| s.opacity.is_none());
    (shown, is_default)
}

/// The app's state as a URL state; `None` until the layer list is in. The map's position is
/// the resting view's (or, before the map has one, the link's).
fn current(state: AppState) -> Option<UrlState> {
    let Load::Ready(m) = state.data.manifest.get() else { return None };
    let position = state
        .view
        .settled
        .get()
        .or_else(|| state.view.viewport.get_untracked())
        .map(|v| MapPosition::of(&v))
        .or(state.view.start.get_value());
    let (shown, is_default) = side_layers(state.view, &m);
    let statuses = state.view.statuses.get();
    let mode = state.cmp.mode.get();
    let comparing = mode != CompareMode::Off;
    let right = state.cmp.right;
    let right_statuses = if comparing { right.statuses.get() } else { Status::ALL.to_vec() };
    let reader = state.sel.reader.get();
    let (doc, line, excerpt) = match &reader.focus {
        Focus::Excerpt(i) => (None, None, Some(*i).filter(|i| *i > 0)),
        Focus::Line(l) => (reader.doc.clone(), Some(*l), None),
        _ => (reader.doc.clone(), None, None),
    };
    let query = state.ui.query.get();
    let embed = state.ui.embed.get();
    Some(UrlState {
        map: position,
        layers: (!is_default).then_some(shown),
        statuses: (!Status::ALL.iter().all(|s| statuses.contains(s))).then_some(statuses),
        feature: state.sel.selected.get().filter(|id| !crate::import::is_user_feature(state, id)),
        excerpt,
        doc,
        line,
        at: state.sel.reader_top.get(),
        lang: Some(state.ui.lang.get().code().to_string()),
        query: Some(query).filter(|q| !q.trim().is_empty()),
        metro_2025: state.view.metro_2025.get(),
        compare: comparing.then_some(mode),
        split: Some(state.cmp.split.get()).filter(|s| mode == CompareMode::Swipe && *s != 50),
        right_layers: comparing.then(|| side_layers(right, &m).0),
        right_statuses: (!Status::ALL.iter().all(|s| right_statuses.contains(s))).then_some(right_statuses),
        right_metro_2025: comparing && right.metro_2025.get(),
        tour: state.ui.tour.get(),
        stop: state.ui.stop.get(),
        embed: embed.is_some(),
        reader: embed.and_then(|e| (!e.reader).then_some(false)),
        ratio: embed.and_then(|e| e.ratio),
    })
}

/// Write every change back: pushed at once when it is a step worth Back, otherwise replaced
/// at most every [`REPLACE_EVERY`] (browsers limit how often history may change).
fn write_back(state: AppState, last: StoredValue<UrlState>) {
    let pending = StoredValue::new(None::<String>);
    let armed = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(now) = current(state) else { return };
        let before = last.get_value();
        match history_step(&before, &now) {
            HistoryStep::None => {}
            HistoryStep::Push => {
                pending.set_value(None);
                dom::write_hash(&now.format(), true);
                last.set_value(now);
            }
            HistoryStep::Replace => {
                pending.set_value(Some(now.format()));
                last.set_value(now);
                if !armed.get_value() {
                    armed.set_value(true);
                    set_timeout(
                        move || {
                            let _ = armed.try_set_value(false);
                            if let Some(Some(h)) = pending.try_update_value(Option::take) {
                                dom::write_hash(&h, false);
                            }
                        },
                        REPLACE_EVERY,
                    );
                }
            }
        }
    });
}
