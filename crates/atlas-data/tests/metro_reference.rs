//! The metro layer's stations against the metro reference data (data/reference/metro/, TU Delft
//! east-asian-metro-dataset, CC BY 4.0): operating stations must sit where the reference puts them.

use std::path::{Path, PathBuf};

use serde_json::Value;

use atlas_data::METRO_ALIASES as ALIASES;

const LIMIT_M: f64 = 50.0;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn norm(name: &str) -> String {
    let s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let s = match s.strip_suffix('站') {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    };
    ALIASES.iter().find(|(from, _)| *from == s).map_or(s, |(_, to)| (*to).to_string())
}

fn point(geometry: &Value) -> Option<(f64, f64)> {
    if geometry["type"] != "Point" {
        return None;
    }
    let c = geometry["coordinates"].as_array()?;
    Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?))
}

fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_008.8;
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let (dp, dl) = (p2 - p1, (b.0 - a.0).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

#[test]
fn operating_stations_sit_on_the_reference() {
    let reference = read_json("data/reference/metro/tianjin_metro_stations_delft2025.geojson");
    let layer = read_json("public/data/layers/metro.geojson");
    let stations: Vec<(String, (f64, f64))> = reference["features"]
        .as_array()
        .expect("reference features")
        .iter()
        .filter_map(|f| {
            let name = f["properties"]["name"].as_str()?;
            Some((norm(name), point(&f["geometry"])?))
        })
        .collect();
    assert!(stations.len() > 200, "reference stations: {}", stations.len());

    let mut distances = Vec::new();
    let mut far_surveyed = Vec::new();
    for f in layer["features"].as_array().expect("layer features") {
        let props = &f["properties"];
        if props["status"] != "existing" {
            continue;
        }
        let (Some(here), Some(name)) = (point(&f["geometry"]), props["name_zh"].as_str()) else {
            continue;
        };
        let key = norm(name);
        let Some((_, there)) = stations.iter().find(|(n, _)| *n == key) else {
            continue;
        };
        let d = haversine_m(here, *there);
        distances.push(d);
        if props["precision"] == "surveyed" && d > LIMIT_M {
            far_surveyed.push(format!("{name}: {d:.0} m"));
        }
    }
    let surveyed =
        layer["features"].as_array().expect("layer features").iter().filter(|f| f["properties"]["precision"] == "surveyed").count();
    distances.sort_by(f64::total_cmp);
    assert!(distances.len() >= 70, "existing stations matched: {}", distances.len());
    let n = distances.len();
    let median = if n % 2 == 1 { distances[n / 2] } else { (distances[n / 2 - 1] + distances[n / 2]) / 2.0 };
    eprintln!(
        "metro: {n} existing stations matched to the reference, {surveyed} surveyed features, median {median:.1} m, max {:.1} m",
        distances[n - 1]
    );
    assert!(median <= LIMIT_M, "median distance to the reference {median:.0} m > {LIMIT_M} m");
    assert!(far_surveyed.is_empty(), "surveyed stations off the reference by > {LIMIT_M} m: {far_surveyed:?}");
}

/// Every feature marked surveyed in the metro layer must be a station the reference holds.
#[test]
fn surveyed_metro_features_are_reference_stations() {
    let reference = read_json("data/reference/metro/tianjin_metro_stations_delft2025.geojson");
    let layer = read_json("public/data/layers/metro.geojson");
    let names: Vec<String> = reference["features"]
        .as_array()
        .expect("reference features")
        .iter()
        .filter_map(|f| f["properties"]["name"].as_str().map(norm))
        .collect();
    let stray: Vec<&str> = layer["features"]
        .as_array()
        .expect("layer features")
        .iter()
        .filter(|f| f["properties"]["precision"] == "surveyed")
        .filter(|f| {
            let name = f["properties"]["name_zh"].as_str().unwrap_or("");
            point(&f["geometry"]).is_none() || !names.contains(&norm(name))
        })
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(stray.is_empty(), "surveyed but not a reference station: {stray:?}");
}
