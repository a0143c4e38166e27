//! Moving a map's view: animated flights, and showing a feature that was asked for (from a
//! link, search, the reader or the list) once its layer has loaded.

use atlas_core::viewport::{MercatorBox, Viewport};
use leptos::prelude::*;

use crate::dom;
use crate::state::{now_ms, AppState, Load};

impl AppState {
    /// Animate the view to `to` (at once when the user prefers reduced motion).
    pub fn fly_to(&self, to: Viewport) {
        let view = self.view;
        let Some(from) = view.viewport.get_untracked() else {
            view.viewport.set(Some(to));
            return;
        };
        let generation = view.flight.get_untracked().wrapping_add(1);
        view.flight.set(generation);
        if dom::prefers_reduced_motion() {
            view.viewport.set(Some(to));
            return;
        }
        let start = now_ms();
        fn frame(view: crate::state::MapState, from: Viewport, to: Viewport, start: f64, generation: u32) {
            if view.flight.try_get_untracked() != Some(generation) {
                return;
            }
            let t = ((now_ms() - start) / 450.0).min(1.0);
            view.viewport.set(Some(from.lerp(&to, t)));
            if t < 1.0 {
                request_animation_frame(move || frame(view, from, to, start, generation));
            }
        }
        frame(view, from, to, start, generation);
    }

    /// Fly to a feature's shape, keeping some surroundings in view.
    pub fn fly_to_feature(&self, id: &str) {
        let (Some(f), Some(v)) = (self.feature(id), self.view.viewport.get_untracked()) else { return };
        if let Some(b) = f.bounds {
            self.fly_to(v.fit_to(b, 60.0, 12.0));
        }
    }

    /// Fly to all of a layer.
    pub fn fly_to_layer(&self, id: &str) {
        let bounds = self.data.layers.with_untracked(|l| match l.get(id) {
            Some(Load::Ready(r)) => r.bounds,
            _ => None,
        });
        if let (Some(b), Some(v)) = (bounds, self.view.viewport.get_untracked()) {
            self.fly_to(v.fit_to(b, 24.0, 12.0));
        }
    }

    /// Fly to everything loaded.
    pub fn fly_to_all(&self) {
        let bounds = self.data.layers.with_untracked(|layers| {
            layers.values().filter_map(|l| if let Load::Ready(r) = l { r.bounds } else { None }).reduce(MercatorBox::union)
        });
        if let (Some(b), Some(v)) = (bounds, self.view.viewport.get_untracked()) {
            self.fly_to(v.fit_to(b, 12.0, 1.0));
        }
    }
}

/// Show the feature asked for in `Selection::reveal` as soon as it can be: load every layer
/// if it is not in a loaded one, turn its layer on, and fly to it once the map has a view.
/// A feature that no layer has is reported.
pub fn use_reveal(state: AppState) {
    Effect::new(move |_| {
        let Some((id, fly)) = state.sel.reveal.get() else { return };
        let found = state.feature(&id).map(|f| f.layer_id.clone());
        let Some(layer) = found else {
            if state.data.manifest.with(|m| matches!(m, Load::Ready(_))) {
                state.ensure_all_layers();
                if state.all_layers_settled() {
                    let lang = state.ui.lang.get_untracked();
                    state.ui.notices.update(|n| n.push(format!("{} “{id}”", lang.t("找不到要素", "No feature has the id"))));
                    state.sel.reveal.set(None);
                }
            }
            return;
        };
        // While comparing, a feature that either side draws is left as it is (picking it on
        // the right side must not change the left side's state).
        let drawn_on = |view: crate::state::MapState| {
            view.visible.with_untracked(|v| v.get(&layer).copied().unwrap_or(false))
                && state.feature(&id).is_some_and(|f| {
                    view.statuses
                        .with_untracked(|s| atlas_core::compare::shows(&layer, &f.feature.props, s, view.metro_2025.get_untracked()))
                })
        };
        let comparing = state.cmp.mode.get_untracked() != atlas_core::compare::CompareMode::Off;
        if !(comparing && (drawn_on(state.view) || drawn_on(state.cmp.right))) {
            if !state.view.visible.with_untracked(|v| v.get(&layer).copied().unwrap_or(false)) {
                state.view.visible.update(|v| {
                    v.insert(layer.clone(), true);
                });
            }
            // Filtered out by status: show its status again, or the shape stays hidden.
            if let Some(f) = state.feature(&id) {
                let st = f.feature.props.status;
                if !state.view.statuses.with_untracked(|s| s.contains(&st)) {
                    state.view.statuses.update(|s| s.push(st));
                }
                if state.view.metro_2025.get_untracked() && !drawn_on(state.view) {
                    state.view.metro_2025.set(false);
                }
            }
        }
        if !fly {
            state.sel.reveal.set(None);
            return;
        }
        if state.view.viewport.with(Option::is_some) {
            state.sel.reveal.set(None);
            state.fly_to_feature(&id);
        }
    });
}
