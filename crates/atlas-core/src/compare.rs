//! Comparing two maps: the compare modes (a swipe divider on one map, or two maps side by
//! side), and the **state** a side shows: which features are on it, by their status in the
//! plan and, for the metro, by whether the reference data has them open in 2025.

use crate::layer::{FeatureProps, Status};

/// How the two sides are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompareMode {
    /// One map.
    #[default]
    Off,
    /// One map, the right side's layers drawn right of a divider the user drags.
    Swipe,
    /// Two synchronised maps next to each other.
    Side,
}

impl CompareMode {
    /// The name in URLs (`cmp=`); `Off` is never written.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareMode::Off => "off",
            CompareMode::Swipe => "swipe",
            CompareMode::Side => "side",
        }
    }

    pub fn parse(s: &str) -> Option<CompareMode> {
        [CompareMode::Off, CompareMode::Swipe, CompareMode::Side].into_iter().find(|m| m.as_str() == s)
    }
}

/// The layer whose features the reference data says are open in 2025 or not.
pub const METRO_LAYER: &str = "metro";

/// What a side shows: a preset of the status filter, plus the metro "as open in 2025".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideState {
    /// As the plan found it: existing features only.
    Found,
    /// As planned by 2025: existing, under construction and planned (studies left out).
    Planned,
    /// The metro as open in 2025 (the reference data), other layers as planned by 2025.
    Open2025,
    /// Every status, including studies (the default single map).
    All,
    /// Any other choice of statuses made with the status filter.
    Custom,
}

impl SideState {
    /// The states offered in the side pickers, in order.
    pub const PRESETS: [SideState; 4] = [SideState::Found, SideState::Planned, SideState::Open2025, SideState::All];

    pub fn as_str(self) -> &'static str {
        match self {
            SideState::Found => "found",
            SideState::Planned => "planned",
            SideState::Open2025 => "open2025",
            SideState::All => "all",
            SideState::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<SideState> {
        SideState::PRESETS.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label_en(self) -> &'static str {
        match self {
            SideState::Found => "As the plan found it (existing)",
            SideState::Planned => "As planned by 2025",
            SideState::Open2025 => "Metro as open in 2025 (reference data)",
            SideState::All => "Everything, studies included",
            SideState::Custom => "Statuses chosen in the layer list",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SideState::Found => "规划编制时的现状",
            SideState::Planned => "至2025年的规划",
            SideState::Open2025 => "2025年已开通的地铁（参考数据）",
            SideState::All => "全部（含研究中）",
            SideState::Custom => "图层列表中选择的状态",
        }
    }

    /// The status filter and metro flag this preset sets (`None` for `Custom`).
    pub fn filter(self) -> Option<(Vec<Status>, bool)> {
        let planned = vec![Status::Existing, Status::UnderConstruction, Status::Planned];
        match self {
            SideState::Found => Some((vec![Status::Existing], false)),
            SideState::Planned => Some((planned, false)),
            SideState::Open2025 => Some((planned, true)),
            SideState::All => Some((Status::ALL.to_vec(), false)),
            SideState::Custom => None,
        }
    }

    /// The preset a filter is, or `Custom` (statuses compared as sets).
    pub fn of(statuses: &[Status], metro_2025: bool) -> SideState {
        let same = |a: &[Status], b: &[Status]| a.iter().all(|s| b.contains(s)) && b.iter().all(|s| a.contains(s));
        SideState::PRESETS
            .into_iter()
            .find(|p| p.filter().is_some_and(|(s, m)| m == metro_2025 && same(&s, statuses)))
            .unwrap_or(SideState::Custom)
    }
}

/// Whether a plan feature of layer `layer` is drawn under a filter. With `metro_2025`, a
/// metro feature is drawn when it is open in 2025: its 2025 status from the reference data
/// (`status_2025`) when it has one, else its status in the plan, is `existing`.
pub fn shows(layer: &str, props: &FeatureProps, statuses: &[Status], metro_2025: bool) -> bool {
    if metro_2025 && layer == METRO_LAYER {
        props.status_2025.unwrap_or(props.status) == Status::Existing
    } else {
        statuses.contains(&props.status)
    }
}

/// The divider's position as a whole percentage of the map's width, from a pointer's `x`
/// within a map `width` pixels wide.
pub fn split_at(x: f64, width: f64) -> u8 {
    if width.is_nan() || width <= 0.0 || !x.is_finite() {
        return 50;
    }
    (x / width * 100.0).round().clamp(0.0, 100.0) as u8
}

/// The divider moved by a key: arrows by 1% (10% with Shift), Page Up/Down by 10%, Home and
/// End to the edges. `None` for other keys.
pub fn split_by_key(split: u8, key: &str, shift: bool) -> Option<u8> {
    let step: i16 = if shift { 10 } else { 1 };
    let s = i16::from(split);
    let next = match key {
        "ArrowLeft" | "ArrowDown" => s - step,
        "ArrowRight" | "ArrowUp" => s + step,
        "PageDown" => s - 10,
        "PageUp" => s + 10,
        "Home" => 0,
        "End" => 100,
        _ => return None,
    };
    Some(next.clamp(0, 100) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(status: Status, status_2025: Option<Status>) -> FeatureProps {
        let json = r#"{"layer":"metro","name_zh":"站","name_en":"Station","status":"existing","precision":"surveyed","precision_note":""}"#;
        let base: FeatureProps = serde_json::from_str(json).expect("minimal properties parse");
        FeatureProps { status, status_2025, ..base }
    }

    #[test]
    fn presets_round_trip_and_other_choices_are_custom() {
        for p in SideState::PRESETS {
            let (s, m) = p.filter().unwrap();
            assert_eq!(SideState::of(&s, m), p);
            assert_eq!(SideState::parse(p.as_str()), Some(p));
        }
        // Order does not matter; a different set does.
        assert_eq!(SideState::of(&[Status::Planned, Status::Existing, Status::UnderConstruction], false), SideState::Planned);
        assert_eq!(SideState::of(&[Status::Planned], false), SideState::Custom);
        assert_eq!(SideState::of(&[Status::Existing], true), SideState::Custom);
        assert_eq!(SideState::parse("custom"), None);
    }

    #[test]
    fn the_states_filter_features() {
        let (found, _) = SideState::Found.filter().unwrap();
        let (planned, _) = SideState::Planned.filter().unwrap();
        let existing = props(Status::Existing, None);
        let building = props(Status::UnderConstruction, None);
        let study = props(Status::UnderStudy, None);
        assert!(shows("parks", &existing, &found, false));
        assert!(!shows("parks", &building, &found, false));
        assert!(shows("parks", &building, &planned, false));
        assert!(!shows("parks", &study, &planned, false));
    }

    #[test]
    fn open_in_2025_uses_the_reference_status_for_the_metro_only() {
        let (planned, _) = SideState::Open2025.filter().unwrap();
        let opened = props(Status::UnderConstruction, Some(Status::Existing));
        let still_building = props(Status::UnderConstruction, None);
        let old = props(Status::Existing, None);
        assert!(shows(METRO_LAYER, &opened, &planned, true));
        assert!(!shows(METRO_LAYER, &still_building, &planned, true));
        assert!(shows(METRO_LAYER, &old, &planned, true));
        // Without the flag, the plan's status decides; other layers never use status_2025.
        assert!(shows(METRO_LAYER, &still_building, &planned, false));
        assert!(shows("parks", &still_building, &planned, true));
    }

    #[test]
    fn divider_positions() {
        assert_eq!(split_at(250.0, 1000.0), 25);
        assert_eq!(split_at(-40.0, 1000.0), 0);
        assert_eq!(split_at(2000.0, 1000.0), 100);
        assert_eq!(split_at(10.0, 0.0), 50);
        assert_eq!(split_at(f64::NAN, 100.0), 50);
        assert_eq!(split_by_key(50, "ArrowLeft", false), Some(49));
        assert_eq!(split_by_key(50, "ArrowRight", true), Some(60));
        assert_eq!(split_by_key(95, "PageUp", false), Some(100));
        assert_eq!(split_by_key(3, "ArrowLeft", true), Some(0));
        assert_eq!(split_by_key(50, "Home", false), Some(0));
        assert_eq!(split_by_key(50, "End", false), Some(100));
        assert_eq!(split_by_key(50, "a", false), None);
        assert_eq!(CompareMode::parse("side"), Some(CompareMode::Side));
        assert_eq!(CompareMode::parse("both"), None);
    }
}
