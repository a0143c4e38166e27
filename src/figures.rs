//! Figures computed in the browser (by `atlas_core::figures` and `atlas_core::coverage`): metro
//! coverage of the six central districts at 600 m and 800 m for three station sets, next to
//! the plans' own claim, with the method in words a planner can quote.

use std::sync::Arc;

use atlas_core::coord::LonLat;
use atlas_core::figures::{barrier_by_district, coverage_table, parse_reference_stations, station_sets, StationSet, CENTRAL_DISTRICTS};
use atlas_core::layer::{Feature, Geometry, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::loader::fetch_text;
use crate::state::{AppState, Lang, Load};

const RADII: [f64; 2] = [600.0, 800.0];
/// Sample spacing: 50 m keeps the sampling error well under a percentage point.
const CELL_M: f64 = 50.0;
/// The eco-barrier band spans hundreds of km²: 200 m samples, about ±2%.
const BARRIER_CELL_M: f64 = 200.0;

type Reference = Arc<Vec<(LonLat, Vec<String>)>>;

/// The figures panel (closed until asked for; it then loads what it needs).
#[component]
pub fn Figures() -> impl IntoView {
    let state = AppState::get();
    let lang = state.ui.lang;
    let open = RwSignal::new(false);
    let reference: RwSignal<Load<Reference>> = RwSignal::new(Load::Loading);
    let requested = StoredValue::new(false);
    let on_toggle = move |ev: web_sys::Event| {
        let is_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        open.set(is_open);
        if is_open && !requested.get_value() {
            requested.set_value(true);
            for id in ["districts", "metro", "eco-barrier", "eco-barrier-control"] {
                state.ensure_layer(id);
            }
            spawn_local(async move {
                reference.set(match fetch_text("data/metro-2025.json").await.and_then(|t| parse_reference_stations(&t)) {
                    Ok(r) => {
                        state.ui.stations_2025.set(Some(Arc::new(r.iter().map(|(p, _)| *p).collect())));
                        Load::Ready(Arc::new(r))
                    }
                    Err(e) => Load::Failed(e),
                });
            });
        }
    };
    let table = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let Load::Ready(reference) = reference.get() else { return None };
        state.data.layers.with(|layers| {
            let (Some(Load::Ready(d)), Some(Load::Ready(m))) = (layers.get("districts"), layers.get("metro")) else { return None };
            let metro: Vec<&Feature> = m.features.iter().map(|f| f.feature.as_ref()).collect();
            let sets = station_sets(&reference, &metro);
            let mut names_en = Vec::new();
            let districts: Vec<_> = CENTRAL_DISTRICTS
                .iter()
                .filter_map(|n| {
                    let f = d.features.iter().find(|f| f.feature.props.name_zh == *n)?;
                    match &f.feature.geometry {
                        Geometry::Polygons(p) => {
                            names_en.push(f.feature.props.name_en.clone());
                            Some(((*n).to_string(), p.clone()))
                        }
                        _ => None,
                    }
                })
                .collect();
            let t0 = crate::state::now_ms();
            let rows = coverage_table(&districts, &sets, &RADII, CELL_M);
            Some((rows, names_en, crate::state::now_ms() - t0))
        })
    });
    // Table 1-1's control areas against the drawn eco-barrier band, per district.
    let barrier = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        state.data.layers.with(|layers| {
            let ready = |id: &str| match layers.get(id) {
                Some(Load::Ready(r)) => Some(r.clone()),
                _ => None,
            };
            let (d, c, b) = (ready("districts")?, ready("eco-barrier-control")?, ready("eco-barrier")?);
            let band = b.features.iter().find(|f| f.feature.id == "eco-barrier-736")?;
            let Geometry::Polygons(band) = &band.feature.geometry else { return None };
            let districts: Vec<_> = d
                .features
                .iter()
                .filter_map(|f| match &f.feature.geometry {
                    Geometry::Polygons(p) => Some((f.feature.props.name_zh.clone(), p.clone())),
                    _ => None,
                })
                .collect();
            let table: Vec<&Feature> = c.features.iter().map(|f| f.feature.as_ref()).collect();
            let names: std::collections::HashMap<String, String> =
                d.features.iter().map(|f| (f.feature.props.name_zh.clone(), f.feature.props.name_en.clone())).collect();
            Some((barrier_by_district(&districts, &table, band, BARRIER_CELL_M), names))
        })
    });
    let barrier_view = move || {
        let l = lang.get();
        let (rows, names) = barrier.get()?;
        let body = rows
            .into_iter()
            .map(|r| {
                let name = if l == Lang::Zh { r.district.clone() } else { names.get(&r.district).cloned().unwrap_or_default() };
                view! { <tr data-district=r.district.clone()><th scope="row">{name}</th><td>{format!("{}", r.table_km2)}</td><td>{format!("{:.0}", r.drawn_km2)}</td></tr> }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <table class="figures-table barrier-table">
                <caption>{l.t("绿色生态屏障：表1-1与地图（km²）", "Eco-barrier: table 1-1 and the map (km²)")}</caption>
                <thead><tr><td></td><th scope="col">{l.t("表1-1一级管控区", "Table 1-1 control area")}</th><th scope="col">{l.t("地图上屏障面积", "Band drawn on the map")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
            <p class="legend-note method">{l.t(
                "一级管控区是屏障内管控最严的部分，地图上的屏障（736平方公里，示意）是整个屏障，故通常更大；某区地图面积小于表中数字，说明示意图在该区画小了。地图面积每200米取样计算，误差约±2%。",
                "The first-class control area is the strictest part of the barrier; the band on the map is the whole 736 km² barrier (schematic), so it is usually larger. Where the map shows less than the table, the sketch is too small in that district. Drawn areas are sampled every 200 m, about ±2%.",
            )}</p>
        })
    };
    // Features per visible layer and status in the current view (features with no fixed
    // location counted apart: the view cannot hold them).
    let counts = move || {
        let l = lang.get();
        let Load::Ready(m) = state.data.manifest.get() else { return None };
        let view = state.view.settled.get()?;
        let visible = state.view.visible.get();
        let rows = state.data.layers.with(|layers| {
            m.layers
                .iter()
                .filter(|info| info.kind == atlas_core::manifest::LayerKind::Plan && visible.get(&info.id).copied().unwrap_or(false))
                .filter_map(|info| {
                    let Some(Load::Ready(r)) = layers.get(&info.id) else { return None };
                    let mut by = [0usize; 4];
                    let mut unlocated = 0;
                    for f in &r.features {
                        if !f.feature.geometry.is_located() {
                            unlocated += 1;
                        } else if f.bounds.is_some_and(|b| view.shows(&b)) {
                            let k = Status::ALL.iter().position(|s| *s == f.feature.props.status).unwrap_or(0);
                            by[k] += 1;
                        }
                    }
                    Some((l.t(&info.title_zh, &info.title_en).to_string(), by, unlocated))
                })
                .collect::<Vec<_>>()
        });
        let head = Status::ALL.map(|s| view! { <th scope="col">{l.t(s.label_zh(), s.label_en()).to_string()}</th> });
        let body = rows
            .into_iter()
            .map(|(name, by, unlocated)| {
                view! {
                    <tr>
                        <th scope="row">{name}</th>
                        {by.map(|n| view! { <td>{n}</td> })}
                        <td>{unlocated}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <table class="figures-table counts-table">
                <caption>{l.t("当前视野内各图层要素数（按状态）", "Features in view, per layer and status")}</caption>
                <thead><tr><td></td>{head}<th scope="col">{l.t("无固定位置", "no fixed location")}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        })
    };
    let body = move || {
        let l = lang.get();

        if let Load::Failed(e) = reference.get() {
            return view! { <p class="error" role="alert">{format!("{}{e}", l.t("无法加载地铁数据：", "Could not load the metro data: "))}</p> }.into_any();
        }
        let Some((rows, names_en, ms)) = table.get() else {
            return view! { <p class="hint">{l.t("正在计算…", "Computing…")}</p> }.into_any();
        };
        let pct = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{:.0}%", v * 100.0));
        let head = StationSet::ALL.map(|s| l.t(s.label_zh(), s.label_en()).to_string());
        // One table per radius: four narrow columns fit the side panel and a phone.
        let tables = RADII
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let body_rows = rows
                    .iter()
                    .zip(&names_en)
                    .map(|(row, en)| {
                        let name = if l == Lang::Zh { row.district.clone() } else { en.trim_end_matches(" District").to_string() };
                        let cells = row.shares[k].iter().map(|x| view! { <td>{pct(*x)}</td> }).collect::<Vec<_>>();
                        view! {
                            <tr data-district=row.district.clone() data-radius=format!("{r:.0}")>
                                <th scope="row">{name}<span class="fig-area">{format!("{:.1} km²", row.area_km2)}</span></th>
                                {cells}
                            </tr>
                        }
                    })
                    .collect::<Vec<_>>();
                view! {
                    <table class="figures-table" data-radius=format!("{r:.0}") data-compute-ms=format!("{ms:.0}")>
                        <caption>{format!("{}{r:.0} m", l.t("车站步行范围覆盖率：", "Share within "))}</caption>
                        <thead><tr><td></td>{head.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect::<Vec<_>>()}</tr></thead>
                        <tbody>{body_rows}</tbody>
                    </table>
                }
            })
            .collect::<Vec<_>>();
        let show = [(None, l.t("不显示", "none")), (Some(600.0), "600 m"), (Some(800.0), "800 m")]
            .into_iter()
            .map(|(r, label)| {
                let pressed = move || state.ui.catchments.get() == r;
                view! {
                    <button type="button" class="search-filter" aria-pressed=move || pressed().to_string() on:click=move |_| state.ui.catchments.set(r)>
                        {label}
                    </button>
                }
            })
            .collect::<Vec<_>>();
        view! {
            <div class="catchment-toggle" role="group" aria-label=l.t("在地图上显示2025年车站步行范围", "Show the 2025 stations' catchments on the map")>
                <span>{l.t("地图上显示步行范围：", "Catchments on the map:")}</span>
                {show}
            </div>
            <p class="legend-note">{l.t("中心城区各区面积中，距地铁站直线距离在下列范围内的比例。", "Share of each central district's area within a straight-line distance of a metro station.")}</p>
            {tables}
            <p class="legend-note">{l.t(
                "规划原文（南开）：“全区54座轨道车站能够覆盖南开区90%以上区域，大部分区域步行600米即可到达地铁车站”。",
                "The Nankai plan's claim: its 54 stations will cover more than 90% of the district, most of it within 600 m on foot.",
            )}</p>
            <p class="legend-note method">{l.t(
                "方法：以车站为圆心、600米或800米为半径的直线距离范围（合并计算，不重复），裁剪到区界内；每50米取样一次，取样误差小于1个百分点；按地面米计算，不用墨卡托单位。各列：“2020年底”为1、2、3、5、6（一期）、9号线车站；“2025年”为参考数据中2025年9月运营的全部车站（其中11号线东段和4号线南段的部分车站位置为开通前占位，偏差可达1公里）；“含规划”为再加上规划称在建或规划的车站（规划未给出全部车站位置，故偏低）。步行距离比直线距离长，实际覆盖率更低。",
                "Method: straight-line circles of 600 m or 800 m around each station, merged so overlaps count once, clipped to the district, sampled every 50 m (sampling error under one percentage point), in metres on the ground, not Web Mercator units. Columns: 2020, the stations of Lines 1, 2, 3, 5, 6 (phase 1) and 9, open by the end of 2020; 2025, every station operating in 2025-09 in the metro reference data (a few on Line 11 east and Line 4 south are pre-opening placeholders, up to 1 km off); + planned, those plus the stations the plans call planned or under construction (the plans do not place all of theirs, so this is a lower bound). Walking routes are longer than straight lines, so real coverage is lower.",
            )}</p>
        }
        .into_any()
    };
    view! {
        <details class="figures" on:toggle=on_toggle>
            <summary>{move || lang.get().t("数据：地铁覆盖率（浏览器内计算）", "Figures: metro coverage (computed here)")}</summary>
            {move || open.get().then(body)}
            {barrier_view}
            {move || open.get().then(counts)}
        </details>
    }
}
