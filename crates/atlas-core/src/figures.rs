//! Figures the card sets beside the plan's own: the drawn size of a shape in the unit of a
//! stated number, and what share of a whole-district shape a stated area is.

use crate::geometry::{line_length_m, polygon_area_m2};
use crate::layer::{Feature, Geometry, PlanNumber};

/// Square kilometres in one 万亩 (10,000 mu of 666.67 m²).
pub const KM2_PER_WAN_MU: f64 = 6.666_666_7;

/// The drawn size of `g` in `unit` (km², ha, 万亩 for areas; km for lengths), when the two can
/// be compared.
pub fn drawn_size(g: &Geometry, unit: &str) -> Option<f64> {
    let area_km2 = || match g {
        Geometry::Polygons(p) => Some(p.iter().map(|r| polygon_area_m2(r)).sum::<f64>() / 1e6),
        _ => None,
    };
    match unit {
        "km²" => area_km2(),
        "ha" => area_km2().map(|a| a * 100.0),
        "万亩" => area_km2().map(|a| a / KM2_PER_WAN_MU),
        "km" => match g {
            Geometry::Lines(l) => Some(l.iter().map(|l| line_length_m(l)).sum::<f64>() / 1e3),
            _ => None,
        },
        _ => None,
    }
}

/// What the card says next to one of the plan's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Beside {
    /// The number is the shape's own size: the drawn size and the difference (drawn / stated − 1).
    Drawn { drawn: f64, diff: f64 },
    /// The shape is a whole district and the number an area within it: the share of the
    /// district's drawn area the number is.
    ShareOfDistrict { share: f64, district_km2: f64 },
}

/// The figure to set beside `n` for feature `f`, if any.
pub fn beside(f: &Feature, n: &PlanNumber) -> Option<Beside> {
    if n.value <= 0.0 {
        return None;
    }
    if n.compare_with_shape {
        let drawn = drawn_size(&f.geometry, &n.unit)?;
        return Some(Beside::Drawn { drawn, diff: drawn / n.value - 1.0 });
    }
    if f.props.whole_district {
        let district_km2 = drawn_size(&f.geometry, "km²")?;
        let value_km2 = match n.unit.as_str() {
            "km²" => n.value,
            "ha" => n.value / 100.0,
            "万亩" => n.value * KM2_PER_WAN_MU,
            _ => return None,
        };
        return (district_km2 > 0.0).then(|| Beside::ShareOfDistrict { share: value_km2 / district_km2, district_km2 });
    }
    None
}

/// Tianjin's six central districts (中心城区), for the coverage table.
pub const CENTRAL_DISTRICTS: [&str; 6] = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区"];

/// Which stations a coverage figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StationSet {
    /// The network at the start of the plans' period (end of 2020).
    PlanDate,
    /// The 2025 network plus the stations the plans call planned or under construction.
    Planned,
    /// Every station operating in 2025-09 (the metro reference data).
    Open2025,
}

impl StationSet {
    pub const ALL: [StationSet; 3] = [StationSet::PlanDate, StationSet::Open2025, StationSet::Planned];

    pub fn label_zh(self) -> &'static str {
        match self {
            StationSet::PlanDate => "2020年底",
            StationSet::Planned => "含规划",
            StationSet::Open2025 => "2025年",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            StationSet::PlanDate => "2020",
            StationSet::Planned => "+ planned",
            StationSet::Open2025 => "2025",
        }
    }
}

/// Lines operating by the end of 2020, the start of the 14th Five-Year Plan period (Lines 1, 2
/// and 3, 5, 6's first phase and the Jinbin light rail, Line 9); Lines 4, 10, 11, 6's second
/// phase and the Jinjing line opened from 2021 on.
pub const LINES_OPEN_BY_2020: [&str; 6] = ["1号线", "2号线", "3号线", "5号线", "6号线", "9号线"];

/// The reference stations (`public/data/metro-2025.json`: `[lon, lat, [lines]]`, every station
/// operating in 2025-09).
pub fn parse_reference_stations(json: &str) -> Result<Vec<(crate::coord::LonLat, Vec<String>)>, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("metro-2025.json: {e}"))?;
    let list = v.get("stations").and_then(|s| s.as_array()).ok_or("metro-2025.json: no \"stations\" array")?;
    list.iter()
        .map(|s| {
            let lon = s.get(0).and_then(|x| x.as_f64());
            let lat = s.get(1).and_then(|x| x.as_f64());
            let lines = s.get(2).and_then(|x| x.as_array()).map(|a| a.iter().filter_map(|l| l.as_str().map(str::to_string)).collect());
            match (lon, lat, lines) {
                (Some(lon), Some(lat), Some(lines)) => Ok((crate::coord::LonLat::new(lon, lat), lines)),
                _ => Err(format!("metro-2025.json: a station is not [lon, lat, [lines]]: {s}")),
            }
        })
        .collect()
}

/// The three station sets, in [`StationSet::ALL`] order: the reference's stations on the lines
/// open by 2020; every station open in 2025; those plus the plans' own planned and
/// under-construction stations (from the metro layer).
pub fn station_sets(reference: &[(crate::coord::LonLat, Vec<String>)], layer: &[&Feature]) -> [Vec<crate::coord::LonLat>; 3] {
    use crate::layer::Status;
    let plan_date: Vec<_> =
        reference.iter().filter(|(_, lines)| lines.iter().any(|l| LINES_OPEN_BY_2020.contains(&l.as_str()))).map(|(p, _)| *p).collect();
    let open: Vec<_> = reference.iter().map(|(p, _)| *p).collect();
    let mut planned = open.clone();
    planned.extend(
        layer
            .iter()
            .filter(|f| f.id.starts_with("metro-station-") && matches!(f.props.status, Status::Planned | Status::UnderConstruction))
            .filter_map(|f| match &f.geometry {
                Geometry::Points(p) => p.first().copied(),
                _ => None,
            }),
    );
    [plan_date, open, planned]
}

/// One row of the coverage table: a district and its covered shares (0–1) per radius (in the
/// order asked) and station set (in [`StationSet::ALL`] order).
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    pub district: String,
    pub area_km2: f64,
    pub shares: Vec<[Option<f64>; 3]>,
}

/// Coverage of each of `districts` (name, polygons) by `sets` of stations (in
/// [`StationSet::ALL`] order) at each of `radii_m`, sampled every `cell_m` metres.
pub fn coverage_table(
    districts: &[(String, Vec<Vec<Vec<crate::coord::LonLat>>>)],
    sets: &[Vec<crate::coord::LonLat>; 3],
    radii_m: &[f64],
    cell_m: f64,
) -> Vec<CoverageRow> {
    districts
        .iter()
        .map(|(name, polys)| {
            // Sample each district once; measure every set and radius on the same samples.
            let sampled = crate::coverage::Sampled::new(polys, cell_m);
            let area_km2 = sampled.as_ref().map_or(0.0, |s| s.area_km2());
            let shares = radii_m
                .iter()
                .map(|&r| {
                    let mut row = [None; 3];
                    for (k, stations) in sets.iter().enumerate() {
                        row[k] = sampled.as_ref().map(|s| s.coverage(stations, r).share);
                    }
                    row
                })
                .collect();
            CoverageRow { district: name.clone(), area_km2, shares }
        })
        .collect()
}

/// Table 1-1 against the drawn eco-barrier band, per district.
#[derive(Debug, Clone, PartialEq)]
pub struct BarrierRow {
    pub district: String,
    /// The table's first-class control area (km²).
    pub table_km2: f64,
    /// The drawn band's area within the district (km²), sampled.
    pub drawn_km2: f64,
}

/// For each table 1-1 feature (`name_zh` starting with its district's name, first km² number the
/// control area), the control area and the drawn band's area in that district (the band
/// sampled every `cell_m` metres).
pub fn barrier_by_district(
    districts: &[(String, Vec<Vec<Vec<crate::coord::LonLat>>>)],
    table: &[&Feature],
    band: &[Vec<Vec<crate::coord::LonLat>>],
    cell_m: f64,
) -> Vec<BarrierRow> {
    // Sample the band once and count its samples in each district.
    let sampled = crate::coverage::Sampled::new(band, cell_m);
    table
        .iter()
        .filter_map(|f| {
            let (name, polys) = districts.iter().find(|(n, _)| f.props.name_zh.starts_with(n.as_str()))?;
            let n = f.props.numbers.iter().find(|n| n.unit == "km²")?;
            let drawn_km2 = sampled.as_ref().map_or(0.0, |s| s.inside_km2(polys));
            Some(BarrierRow { district: name.clone(), table_km2: n.value, drawn_km2 })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shipped file under public/data/layers/ (`../` reaches public/data/).
    fn read(file: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/data/layers").join(file))
            .expect("layer")
    }
    use crate::layer::parse_layer;

    fn feature(geometry: &str, extra: &str, numbers: &str) -> Feature {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"f","geometry":{geometry},"properties":{{
              "layer":"x","name_zh":"测","name_en":"T","status":"planned","precision":"schematic","precision_note":"n"{extra},
              "numbers":[{numbers}]}}}}]}}"#
        );
        parse_layer(&text).expect("parses").features.remove(0)
    }

    // About 0.1° × 0.1° at 39° N: 11.1 km × 8.64 km ≈ 96 km².
    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[117,39],[117.1,39],[117.1,39.1],[117,39.1],[117,39]]]}"#;

    #[test]
    fn the_coverage_table_of_the_shipped_central_districts() {
        use crate::layer::parse_layer;
        let districts = parse_layer(&read("districts.geojson")).expect("districts");
        let metro = parse_layer(&read("metro.geojson")).expect("metro");
        let feats: Vec<&Feature> = metro.features.iter().collect();
        let reference = parse_reference_stations(&read("../metro-2025.json")).expect("reference stations");
        assert!(reference.len() > 200, "{}", reference.len());
        let sets = station_sets(&reference, &feats);
        // 2020 ⊂ 2025 ⊂ 2025 with the plans' planned stations.
        assert!(
            !sets[0].is_empty() && sets[0].len() < sets[1].len() && sets[1].len() < sets[2].len(),
            "{} {} {}",
            sets[0].len(),
            sets[1].len(),
            sets[2].len()
        );
        assert!(parse_reference_stations("{}").is_err() && parse_reference_stations(r#"{"stations":[[1,2]]}"#).is_err());
        let central: Vec<(String, Vec<Vec<Vec<crate::coord::LonLat>>>)> = CENTRAL_DISTRICTS
            .iter()
            .map(|n| {
                let f = districts.features.iter().find(|f| f.props.name_zh == *n).expect("a central district");
                let Geometry::Polygons(p) = &f.geometry else { panic!("{n} is not a polygon") };
                ((*n).to_string(), p.clone())
            })
            .collect();
        let table = coverage_table(&central, &sets, &[600.0, 800.0], 100.0);
        assert_eq!(table.len(), 6);
        for row in &table {
            let pct = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{:.0}%", v * 100.0));
            eprintln!(
                "{} {:.1} km²: 600 m {} / {} / {}; 800 m {} / {} / {}",
                row.district,
                row.area_km2,
                pct(row.shares[0][0]),
                pct(row.shares[0][1]),
                pct(row.shares[0][2]),
                pct(row.shares[1][0]),
                pct(row.shares[1][1]),
                pct(row.shares[1][2])
            );
        }
        for row in &table {
            for k in 0..3 {
                let (a, b) = (row.shares[0][k].expect("600 m"), row.shares[1][k].expect("800 m"));
                assert!((0.0..=1.0).contains(&a) && a <= b + 1e-9, "{}: 600 m {a} > 800 m {b}", row.district);
            }
            // More stations never lower coverage.
            assert!(row.shares[0][2] >= row.shares[0][1] && row.shares[0][1] >= row.shares[0][0], "{row:?}");
        }
        // 和平区, the smallest and densest, is almost all within 800 m of a station.
        assert!(table[0].shares[1][0].expect("和平") > 0.85, "{:?}", table[0]);
    }

    #[test]
    fn table_1_1_against_the_drawn_band() {
        use crate::layer::parse_layer;
        let districts = parse_layer(&read("districts.geojson")).expect("districts");
        let control = parse_layer(&read("eco-barrier-control.geojson")).expect("table 1-1");
        let barrier = parse_layer(&read("eco-barrier.geojson")).expect("eco-barrier");
        let band = barrier.features.iter().find(|f| f.id == "eco-barrier-736").expect("the band");
        let Geometry::Polygons(band) = &band.geometry else { panic!("the band is a polygon") };
        let ds: Vec<_> = districts
            .features
            .iter()
            .filter_map(|f| match &f.geometry {
                Geometry::Polygons(p) => Some((f.props.name_zh.clone(), p.clone())),
                _ => None,
            })
            .collect();
        let table: Vec<&Feature> = control.features.iter().collect();
        let rows = barrier_by_district(&ds, &table, band, 200.0);
        for r in &rows {
            eprintln!("{}: table 1-1 {} km², drawn band {:.0} km²", r.district, r.table_km2, r.drawn_km2);
        }
        assert_eq!(rows.len(), 5);
        let jinnan = rows.iter().find(|r| r.district == "津南区").expect("津南区");
        assert_eq!(jinnan.table_km2, 204.7);
        assert!(rows.iter().all(|r| r.drawn_km2 > 0.0), "the band lies in all five districts of table 1-1: {rows:?}");
    }

    #[test]
    fn drawn_size_converts_units() {
        let f = feature(SQUARE, "", "");
        let km2 = drawn_size(&f.geometry, "km²").expect("area");
        assert!((km2 - 96.0).abs() < 1.5, "{km2}");
        assert!((drawn_size(&f.geometry, "ha").expect("ha") - km2 * 100.0).abs() < 1e-6);
        assert!((drawn_size(&f.geometry, "万亩").expect("mu") * KM2_PER_WAN_MU - km2).abs() < 1e-6);
        assert_eq!(drawn_size(&f.geometry, "km"), None, "a polygon has no length figure");
        assert_eq!(drawn_size(&f.geometry, "stations"), None);
        let line = feature(r#"{"type":"LineString","coordinates":[[117,39],[117,39.1]]}"#, "", "");
        assert!((drawn_size(&line.geometry, "km").expect("km") - 11.12).abs() < 0.05);
        assert_eq!(drawn_size(&Geometry::Unlocated, "km²"), None);
    }

    #[test]
    fn beside_a_shape_number_is_its_drawn_size() {
        let f = feature(SQUARE, "", r#"{"label_zh":"面积","label_en":"area","value":120,"unit":"km²","compare_with_shape":true}"#);
        match beside(&f, &f.props.numbers[0]) {
            Some(Beside::Drawn { drawn, diff }) => {
                assert!((drawn - 96.0).abs() < 1.5);
                assert!((diff - (drawn / 120.0 - 1.0)).abs() < 1e-9 && diff < 0.0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn beside_a_district_figure_is_its_share() {
        let n = r#"{"label_zh":"管控区","label_en":"control area","value":48,"unit":"km²"}"#;
        let whole = feature(SQUARE, r#","whole_district":true"#, n);
        match beside(&whole, &whole.props.numbers[0]) {
            Some(Beside::ShareOfDistrict { share, district_km2 }) => {
                assert!((share - 0.5).abs() < 0.01, "{share}");
                assert!((district_km2 - 96.0).abs() < 1.5);
            }
            other => panic!("{other:?}"),
        }
        // Not a whole district, not the shape's size: nothing to set beside it.
        let plain = feature(SQUARE, "", n);
        assert_eq!(beside(&plain, &plain.props.numbers[0]), None);
    }
}
