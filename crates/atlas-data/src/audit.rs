//! The geometry audit: rules that keep the map's shapes as honest as the plans' words.
//!
//! Each finding names its rule, the layer and the feature. Rules:
//! - `same-name-apart`: two features with one `name_zh` more than [`SAME_NAME_M`] apart (one
//!   place should be one feature with several excerpts);
//! - `shared-position`: two distinct features with a point at the very same position (unless
//!   one lists the other among its `parts`, or names it, or the same feature, as its `site`);
//! - `outside-city`: a position outside the municipality (a `marine` feature may lie out at sea);
//! - `offshore`: a position out at sea, seaward of the coast (unless the feature is `marine`);
//! - `outside-district`: a position outside the district the feature's name, its `district`
//!   property or its layer gives (a composite's positions that are its parts' own are exempt);
//! - `stated-vs-drawn`: a drawn area or length that differs from the plan's own figure for the
//!   shape (`compare_with_shape`) by more than its precision class allows (an error for
//!   `surveyed` and `approximate`, a warning for `schematic`);
//! - `district-sized`: a plan feature covering most of a district without saying the plan means
//!   the whole district (`whole_district`), or a study drawn that way on the default map;
//! - `station-off-reference`: an operating station away from the metro reference's position;
//! - `bad-reference`: `parts` or `district` naming something that does not exist.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use atlas_core::figures::drawn_size;
use atlas_core::geometry::{distance_to_line_m, polygon_contains};
use atlas_core::layer::{Feature, Geometry, LoadedLayer, Precision, Status};
use atlas_core::manifest::LayerKind;
use atlas_core::projection::{haversine_m, LonLat};

/// Same-name features further apart than this are reported.
pub const SAME_NAME_M: f64 = 300.0;
/// Slack for positions just outside the municipality or a district (boundary generalisation).
pub const BOUNDARY_SLACK_M: f64 = 300.0;
/// Slack for positions just seaward of the coast (the coastline's 100 m resolution).
pub const COAST_SLACK_M: f64 = 300.0;
/// An operating station further than this from the reference is reported.
pub const STATION_LIMIT_M: f64 = 100.0;
/// A feature covering this share of a district is "district-sized".
pub const DISTRICT_SHARE: f64 = 0.7;

/// Layers whose every feature lies in one district unless it names another (`district`).
pub const LAYER_DISTRICTS: [(&str, &str); 3] =
    [("nankai-renewal", "南开区"), ("nankai-innovation", "南开区"), ("jinnan-urbanization", "津南区")];

/// Polygons, each a list of rings (outer first).
pub type Polygons = Vec<Vec<Vec<LonLat>>>;
/// West, south, east, north (degrees).
pub type BBox = (f64, f64, f64, f64);
/// Land polygons and the box they were clipped to.
pub type Land = (Polygons, BBox);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub layer: String,
    pub feature: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}/{}: {}", self.rule, self.layer, self.feature, self.message)
    }
}

/// One layer as the audit sees it.
pub struct AuditLayer<'a> {
    pub id: &'a str,
    pub kind: LayerKind,
    /// Shown on the default map.
    pub visible: bool,
    pub layer: &'a LoadedLayer,
}

/// What the audit checks against.
#[derive(Default)]
pub struct Reference {
    /// District name (`name_zh`) → its polygons.
    pub districts: Vec<(String, Vec<Vec<Vec<LonLat>>>)>,
    /// The municipality's polygons.
    pub city: Vec<Vec<Vec<LonLat>>>,
    /// Land polygons of the coastal box and that box (w, s, e, n); outside the box is land.
    pub land: Vec<Vec<Vec<LonLat>>>,
    pub land_box: Option<(f64, f64, f64, f64)>,
    /// The coastline, for the slack.
    pub coast: Vec<Vec<LonLat>>,
    /// Operating stations: normalised name → position.
    pub stations: HashMap<String, LonLat>,
}

fn polygons(g: &Geometry) -> Vec<Vec<Vec<LonLat>>> {
    match g {
        Geometry::Polygons(p) => p.clone(),
        _ => Vec::new(),
    }
}

impl Reference {
    /// Districts and city from their layers; land (clipped to `land_box`) and coast from theirs.
    pub fn from_layers(districts: &LoadedLayer, city: &LoadedLayer, land: Option<Land>, coast: Option<&LoadedLayer>) -> Self {
        let mut r = Reference {
            districts: districts.features.iter().map(|f| (f.props.name_zh.clone(), polygons(&f.geometry))).collect(),
            city: city.features.iter().flat_map(|f| polygons(&f.geometry)).collect(),
            ..Default::default()
        };
        if let Some((land, bbox)) = land {
            r.land = land;
            r.land_box = Some(bbox);
        }
        if let Some(coast) = coast {
            for f in &coast.features {
                if let Geometry::Lines(lines) = &f.geometry {
                    r.coast.extend(lines.iter().cloned());
                }
            }
        }
        r
    }

    fn district(&self, name: &str) -> Option<&[Vec<Vec<LonLat>>]> {
        self.districts.iter().find(|(n, _)| n == name).map(|(_, p)| p.as_slice())
    }

    /// Inside the box the land reference covers (a hair inside, so the box's edges, which
    /// clipping added, count as land).
    pub fn in_coastal_box(&self, p: LonLat) -> bool {
        let Some((w, s, e, n)) = self.land_box else { return false };
        let eps = 1e-6;
        p.lon > w + eps && p.lon < e - eps && p.lat > s + eps && p.lat < n - eps
    }

    fn offshore(&self, p: LonLat) -> bool {
        if !self.in_coastal_box(p) {
            return false;
        }
        !inside_any(&self.land, p) && self.coast.iter().map(|l| distance_to_line_m(l, p)).fold(f64::INFINITY, f64::min) > COAST_SLACK_M
    }
}

fn inside_any(polys: &[Vec<Vec<LonLat>>], p: LonLat) -> bool {
    polys.iter().any(|rings| polygon_contains(rings, p))
}

fn near_edge(polys: &[Vec<Vec<LonLat>>], p: LonLat, slack: f64) -> bool {
    polys.iter().flatten().any(|ring| distance_to_line_m(ring, p) <= slack)
}

/// A station's name as the reference spells it: no spaces, no trailing 站, renames applied.
pub fn station_key(name: &str, aliases: &[(&str, &str)]) -> String {
    let s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let s = match s.strip_suffix('站') {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    };
    aliases.iter().find(|(from, _)| *from == s).map_or(s, |(_, to)| (*to).to_string())
}

/// The district a feature's name gives: `津南区…`, or a short name followed by a quote, a
/// colon or a bracket (`津南“一城两芯…”`).
pub fn district_in_name<'a>(name: &str, districts: impl Iterator<Item = &'a str>) -> Option<String> {
    for d in districts {
        if name.starts_with(d) {
            return Some(d.to_string());
        }
        let short = d.trim_end_matches("新区").trim_end_matches('区');
        if short.chars().count() >= 2 {
            if let Some(rest) = name.strip_prefix(short) {
                if rest.starts_with(['“', '"', '：', ':', '（', '(', '·']) {
                    return Some(d.to_string());
                }
            }
        }
    }
    None
}

/// A position standing for the feature (the mean of its positions).
fn centre(g: &Geometry) -> Option<LonLat> {
    let (mut n, mut lon, mut lat) = (0.0, 0.0, 0.0);
    for p in g.positions() {
        n += 1.0;
        lon += p.lon;
        lat += p.lat;
    }
    (n > 0.0).then(|| LonLat::new(lon / n, lat / n))
}

/// Shortest distance between two point sets, or between the two features' centres.
fn gap_m(a: &Geometry, b: &Geometry) -> Option<f64> {
    match (a, b) {
        (Geometry::Points(pa), Geometry::Points(pb)) => {
            pa.iter().flat_map(|p| pb.iter().map(move |q| haversine_m(*p, *q))).reduce(f64::min)
        }
        _ => Some(haversine_m(centre(a)?, centre(b)?)),
    }
}

fn tolerance(p: Precision) -> (f64, Severity) {
    match p {
        Precision::Surveyed => (0.05, Severity::Error),
        Precision::Approximate => (0.25, Severity::Error),
        Precision::Schematic => (0.5, Severity::Warning),
    }
}

/// Sample points inside a district, about `n` of them on a regular grid.
fn samples(polys: &[Vec<Vec<LonLat>>], n: f64) -> Vec<LonLat> {
    let pts: Vec<LonLat> = polys.iter().flatten().flatten().copied().collect();
    let Some(first) = pts.first() else { return Vec::new() };
    let (mut w, mut s, mut e, mut nn) = (first.lon, first.lat, first.lon, first.lat);
    for p in &pts {
        (w, s, e, nn) = (w.min(p.lon), s.min(p.lat), e.max(p.lon), nn.max(p.lat));
    }
    let step = ((e - w) * (nn - s) / n).sqrt().max(1e-4);
    let mut out = Vec::new();
    let mut lat = s + step / 2.0;
    while lat < nn {
        let mut lon = w + step / 2.0;
        while lon < e {
            let p = LonLat::new(lon, lat);
            if inside_any(polys, p) {
                out.push(p);
            }
            lon += step;
        }
        lat += step;
    }
    out
}

/// Run every rule over the layers.
pub fn audit(layers: &[AuditLayer<'_>], r: &Reference, aliases: &[(&str, &str)]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |rule, severity, layer: &str, f: &Feature, message: String| {
        out.push(Finding { rule, severity, layer: layer.to_string(), feature: f.id.clone(), message });
    };
    let all: Vec<(&str, &AuditLayer, &Feature)> = layers.iter().flat_map(|l| l.layer.features.iter().map(move |f| (l.id, l, f))).collect();
    let ids: HashMap<&str, &Feature> = all.iter().map(|(_, _, f)| (f.id.as_str(), *f)).collect();
    let district_names: Vec<&str> = r.districts.iter().map(|(n, _)| n.as_str()).collect();
    let base = |id: &str| matches!(id, "districts" | "city-outline" | "coastline");

    // References to other features and districts.
    for (lid, _, f) in &all {
        for p in &f.props.parts {
            if !ids.contains_key(p.as_str()) || p == &f.id {
                push("bad-reference", Severity::Error, lid, f, format!("parts names {p:?}, which is not another feature"));
            }
        }
        if let Some(site) = &f.props.site {
            if !ids.contains_key(site.as_str()) || site == &f.id {
                push("bad-reference", Severity::Error, lid, f, format!("site names {site:?}, which is not another feature"));
            }
        }
        if let Some(d) = &f.props.district {
            if r.district(d).is_none() {
                push("bad-reference", Severity::Error, lid, f, format!("district {d:?} is not a district of the districts layer"));
            }
        }
    }

    // Same name, far apart.
    let mut by_name: BTreeMap<&str, Vec<(&str, &Feature)>> = BTreeMap::new();
    for (lid, l, f) in &all {
        if l.kind == LayerKind::Plan || *lid == "towns" {
            by_name.entry(f.props.name_zh.as_str()).or_default().push((lid, f));
        }
    }
    for group in by_name.values().filter(|g| g.len() > 1) {
        for (i, (la, a)) in group.iter().enumerate() {
            for (lb, b) in &group[i + 1..] {
                if let Some(d) = gap_m(&a.geometry, &b.geometry).filter(|d| *d > SAME_NAME_M) {
                    push(
                        "same-name-apart",
                        Severity::Error,
                        la,
                        a,
                        format!("{} is also {lb}/{}, {d:.0} m away: one place should be one feature", a.props.name_zh, b.id),
                    );
                }
            }
        }
    }

    // Identical positions.
    let mut at: BTreeMap<(i64, i64), Vec<(&str, &Feature)>> = BTreeMap::new();
    for (lid, _, f) in &all {
        if let Geometry::Points(pts) = &f.geometry {
            let mut keys: Vec<(i64, i64)> = pts.iter().map(|p| ((p.lon * 1e6).round() as i64, (p.lat * 1e6).round() as i64)).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                at.entry(k).or_default().push((lid, f));
            }
        }
    }
    let related = |a: &Feature, b: &Feature| {
        a.props.parts.contains(&b.id)
            || b.props.parts.contains(&a.id)
            || a.props.site.as_ref() == Some(&b.id)
            || b.props.site.as_ref() == Some(&a.id)
            || (a.props.site.is_some() && a.props.site == b.props.site)
    };
    for ((lon, lat), group) in &at {
        for (i, (la, a)) in group.iter().enumerate() {
            for (lb, b) in &group[i + 1..] {
                if !related(a, b) {
                    push(
                        "shared-position",
                        Severity::Error,
                        la,
                        a,
                        format!("shares the position [{}, {}] with {lb}/{}", *lon as f64 / 1e6, *lat as f64 / 1e6, b.id),
                    );
                }
            }
        }
    }

    for (lid, l, f) in &all {
        if base(lid) {
            // The base map's own shapes: only the coast check applies (to the districts).
            if *lid == "districts" {
                if let Some(p) = f.geometry.positions().find(|p| r.offshore(*p)) {
                    push("offshore", Severity::Error, lid, f, format!("vertex [{}, {}] lies seaward of the coastline", p.lon, p.lat));
                }
            }
            continue;
        }
        // Outside the city, or at sea.
        if !r.city.is_empty() {
            // A marine feature may lie out at sea off the coast (the outline is the land).
            let at_sea_ok = |p: &LonLat| f.props.marine && r.in_coastal_box(*p);
            if let Some(p) =
                f.geometry.positions().find(|p| !inside_any(&r.city, *p) && !near_edge(&r.city, *p, BOUNDARY_SLACK_M) && !at_sea_ok(p))
            {
                push("outside-city", Severity::Error, lid, f, format!("position [{}, {}] lies outside the municipality", p.lon, p.lat));
            }
        }
        if !f.props.marine {
            if let Some(p) = f.geometry.positions().find(|p| r.offshore(*p)) {
                push(
                    "offshore",
                    Severity::Error,
                    lid,
                    f,
                    format!("position [{}, {}] lies out at sea (mark the feature `marine` if it really is)", p.lon, p.lat),
                );
            }
        }
        // Outside the district it names.
        let named = f
            .props
            .district
            .clone()
            .or_else(|| district_in_name(&f.props.name_zh, district_names.iter().copied()))
            .or_else(|| LAYER_DISTRICTS.iter().find(|(layer, _)| layer == lid).map(|(_, d)| (*d).to_string()));
        // A composite drawn as exactly its parts' shapes (a plan's lines "in Nankai" that run on
        // beyond it) is audited through its parts.
        let of_parts =
            |p: &LonLat| f.props.parts.iter().filter_map(|id| ids.get(id.as_str())).any(|part| part.geometry.positions().any(|q| q == *p));
        if let Some((name, polys)) = named.as_deref().and_then(|n| r.district(n).map(|p| (n, p))) {
            if let Some(p) =
                f.geometry.positions().find(|p| !inside_any(polys, *p) && !near_edge(polys, *p, BOUNDARY_SLACK_M) && !of_parts(p))
            {
                push("outside-district", Severity::Error, lid, f, format!("position [{}, {}] lies outside {name}", p.lon, p.lat));
            }
        }
        // Stated vs drawn.
        for n in f.props.numbers.iter().filter(|n| n.compare_with_shape && n.value > 0.0) {
            let (tol, severity) = tolerance(f.props.precision);
            match drawn_size(&f.geometry, &n.unit) {
                Some(drawn) if (drawn / n.value - 1.0).abs() > tol => push(
                    "stated-vs-drawn",
                    severity,
                    lid,
                    f,
                    format!(
                        "drawn {drawn:.1} {u} against the plan's {v} {u} ({:+.0}%; {} allows ±{:.0}%)",
                        (drawn / n.value - 1.0) * 100.0,
                        f.props.precision.as_str(),
                        tol * 100.0,
                        u = n.unit,
                        v = n.value
                    ),
                ),
                Some(_) => {}
                None => push(
                    "stated-vs-drawn",
                    Severity::Error,
                    lid,
                    f,
                    format!("{} {} is marked compare_with_shape but a {} cannot be measured in it", n.value, n.unit, f.geometry.kind()),
                ),
            }
        }
        // Operating stations on the reference.
        if *lid == "metro" && f.props.status == Status::Existing {
            if let (Geometry::Points(pts), Some(there)) = (&f.geometry, r.stations.get(&station_key(&f.props.name_zh, aliases))) {
                if let Some(d) = pts.iter().map(|p| haversine_m(*p, *there)).reduce(f64::min).filter(|d| *d > STATION_LIMIT_M) {
                    push(
                        "station-off-reference",
                        Severity::Error,
                        lid,
                        f,
                        format!("{d:.0} m from the reference's {} (at most {STATION_LIMIT_M} m)", f.props.name_zh),
                    );
                }
            }
        }
        let _ = l;
    }

    // District-sized areas.
    let district_samples: Vec<(&str, Vec<LonLat>)> = r.districts.iter().map(|(n, p)| (n.as_str(), samples(p, 400.0))).collect();
    for (lid, l, f) in &all {
        let (Geometry::Polygons(polys), LayerKind::Plan) = (&f.geometry, l.kind) else { continue };
        let Some(bounds) = f.geometry.positions().fold(None, |b: Option<(f64, f64, f64, f64)>, p| {
            Some(b.map_or((p.lon, p.lat, p.lon, p.lat), |(w, s, e, n)| (w.min(p.lon), s.min(p.lat), e.max(p.lon), n.max(p.lat))))
        }) else {
            continue;
        };
        let mut worst: Option<(&str, f64)> = None;
        for (name, pts) in &district_samples {
            if pts.is_empty() {
                continue;
            }
            let inside = pts
                .iter()
                .filter(|p| p.lon >= bounds.0 && p.lon <= bounds.2 && p.lat >= bounds.1 && p.lat <= bounds.3)
                .filter(|p| inside_any(polys, **p))
                .count();
            let share = inside as f64 / pts.len() as f64;
            if share >= DISTRICT_SHARE && worst.is_none_or(|(_, s)| share > s) {
                worst = Some((name, share));
            }
        }
        if let Some((name, share)) = worst {
            if !f.props.whole_district {
                push(
                    "district-sized",
                    Severity::Error,
                    lid,
                    f,
                    format!(
                        "covers {:.0}% of {name}: draw what the plan locates, or list it with no fixed location (or set whole_district if the plan means the whole district)",
                        share * 100.0
                    ),
                );
            } else if l.visible && f.props.status == Status::UnderStudy {
                push(
                    "district-sized",
                    Severity::Error,
                    lid,
                    f,
                    format!("a study drawn as the whole of {name} on the default map ({:.0}% of it)", share * 100.0),
                );
            }
        }
    }
    out.sort_by(|a, b| (a.severity, a.rule, &a.layer, &a.feature).cmp(&(b.severity, b.rule, &b.layer, &b.feature)));
    out
}

/// Counts per rule and severity, for the report.
pub fn summary(findings: &[Finding]) -> String {
    let mut counts: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for f in findings {
        *counts.entry((f.rule, f.severity)).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|((rule, sev), n)| format!("{rule} {n} {}", if *sev == Severity::Error { "errors" } else { "warnings" }))
        .collect();
    if parts.is_empty() {
        "audit: no findings".to_string()
    } else {
        format!("audit: {}", parts.join(", "))
    }
}
