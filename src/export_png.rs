//! Export the current map view as a PNG: the map's own SVG drawn on a canvas (no server), with
//! a legend of the layers shown, a scale bar, a north arrow, the attribution and the
//! "schematic, not an official map" notice.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{AppState, Lang, Load};

/// Pixels per CSS pixel in the PNG (sharp on a projector).
const SCALE: f64 = 2.0;
/// Height of the band under the map that carries the attribution and the notice (CSS px).
const FOOTER: f64 = 46.0;
/// Label styles the page's stylesheet gives the SVG (a standalone SVG does not see it).
const SVG_STYLE: &str = ".labels text{fill:#1d2a33;stroke:#fff;stroke-opacity:.9;paint-order:stroke;stroke-linejoin:round;font-family:system-ui,'Noto Sans CJK SC','Noto Sans',sans-serif;font-weight:500}.labels text.selected{fill:#000;font-weight:700}.feature.selected{stroke:#d7263d;stroke-width:3px}";

/// Draw the view and offer it as `plan-atlas-map.png`; a failure is reported as a notice.
pub fn export_png(state: AppState) {
    if let Err(e) = start(state) {
        failed(state, &e);
    }
}

/// A failed export as a notice, in the interface's language.
fn failed(state: AppState, why: &str) {
    let head = state.ui.lang.get_untracked().t("无法导出PNG：", "Could not export the PNG: ");
    state.ui.notices.update(|n| n.push(format!("{head}{why}")));
}

fn err(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

fn start(state: AppState) -> Result<(), String> {
    let l = state.ui.lang.get_untracked();
    let no_map = l.t("页面上没有地图", "no map on the page");
    let doc = document();
    let svg = doc.query_selector(".map-svg").map_err(err)?.ok_or(no_map)?;
    let view = state.view.viewport.get_untracked().ok_or(l.t("地图还没有视图", "the map has no view yet"))?;
    let (w, h) = (view.width, view.height);
    // The drawing may be larger than the map's window (room for panning): place it as it is
    // on screen, relative to the window.
    let map = doc.query_selector(".map").map_err(err)?.ok_or(no_map)?;
    let (mr, sr) = (map.get_bounding_client_rect(), svg.get_bounding_client_rect());
    let at = (sr.left() - mr.left(), sr.top() - mr.top(), sr.width(), sr.height());
    let clone: web_sys::Element = svg.clone_node_with_deep(true).map_err(err)?.unchecked_into();
    clone.set_attribute("xmlns", "http://www.w3.org/2000/svg").map_err(err)?;
    clone.set_attribute("width", &format!("{}", at.2)).map_err(err)?;
    clone.set_attribute("height", &format!("{}", at.3)).map_err(err)?;
    // Tiles from another server would taint the canvas: the export draws the plan layers only.
    if let Some(tiles) = clone.query_selector(".basemap").map_err(err)? {
        tiles.remove();
    }
    let style = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "style").map_err(err)?;
    style.set_text_content(Some(SVG_STYLE));
    clone.prepend_with_node_1(&style).map_err(err)?;
    let xml = web_sys::XmlSerializer::new().map_err(err)?.serialize_to_string(&clone).map_err(err)?;
    let url = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&xml));
    let img = web_sys::HtmlImageElement::new().map_err(err)?;
    let img2 = img.clone();
    let onload = Closure::once_into_js(move || {
        if let Err(e) = finish(state, &img2, w, h, at) {
            failed(state, &e);
        }
    });
    img.set_onload(Some(onload.unchecked_ref()));
    let onerror = Closure::once_into_js(move || failed(state, l.t("无法绘制地图", "the map could not be drawn")));
    img.set_onerror(Some(onerror.unchecked_ref()));
    img.set_src(&url);
    Ok(())
}

fn finish(state: AppState, img: &web_sys::HtmlImageElement, w: f64, h: f64, at: (f64, f64, f64, f64)) -> Result<(), String> {
    let doc = document();
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").map_err(err)?.unchecked_into();
    canvas.set_width((w * SCALE).round() as u32);
    canvas.set_height(((h + FOOTER) * SCALE).round() as u32);
    let no_canvas = state.ui.lang.get_untracked().t("浏览器不支持2D画布", "no 2d canvas");
    let cx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").map_err(err)?.ok_or(no_canvas)?.unchecked_into();
    cx.scale(SCALE, SCALE).map_err(err)?;
    cx.set_fill_style_str("#dfe9ee");
    cx.fill_rect(0.0, 0.0, w, h);
    cx.save();
    cx.begin_path();
    cx.rect(0.0, 0.0, w, h);
    cx.clip();
    cx.draw_image_with_html_image_element_and_dw_and_dh(img, at.0, at.1, at.2, at.3).map_err(err)?;
    cx.restore();
    let l = state.ui.lang.get_untracked();
    legend(state, &cx, l)?;
    north_arrow(&cx, w)?;
    if let Some(s) = state.view.viewport.get_untracked().and_then(|v| atlas_core::scale::scale_bar(&v, 110.0)) {
        let (x, y) = (12.0, h - 16.0);
        cx.set_fill_style_str("rgba(255,255,255,0.85)");
        cx.fill_rect(x - 6.0, y - 16.0, s.px + 70.0, 24.0);
        cx.set_stroke_style_str("#222");
        cx.set_line_width(1.5);
        cx.begin_path();
        cx.move_to(x, y - 6.0);
        cx.line_to(x, y);
        cx.line_to(x + s.px, y);
        cx.line_to(x + s.px, y - 6.0);
        cx.stroke();
        cx.set_fill_style_str("#222");
        cx.set_font("12px system-ui, sans-serif");
        cx.fill_text(&s.label, x + s.px + 6.0, y).map_err(err)?;
    }
    // The footer: the notice and the attribution.
    cx.set_fill_style_str("#ffffff");
    cx.fill_rect(0.0, h, w, FOOTER);
    cx.set_fill_style_str("#1f2421");
    cx.set_font("bold 12px system-ui, 'Noto Sans CJK SC', sans-serif");
    let notice = l.t("示意图，非官方地图（无审图号）。Plan Atlas", "Schematic, not an official map (no map approval number). Plan Atlas");
    cx.fill_text(notice, 8.0, h + 17.0).map_err(err)?;
    cx.set_font("10px system-ui, 'Noto Sans CJK SC', sans-serif");
    let attribution = l.t(atlas_core::site::ATTRIBUTION_ZH, atlas_core::site::ATTRIBUTION_EN);
    cx.fill_text_with_max_width(attribution, 8.0, h + 35.0, w - 16.0).map_err(err)?;
    let png = canvas.to_data_url_with_type("image/png").map_err(err)?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(err)?.unchecked_into();
    a.set_href(&png);
    a.set_download("plan-atlas-map.png");
    a.click();
    Ok(())
}

/// The layers shown, top first, each with its swatch.
fn legend(state: AppState, cx: &web_sys::CanvasRenderingContext2d, l: Lang) -> Result<(), String> {
    let Load::Ready(m) = state.data.manifest.get_untracked() else { return Ok(()) };
    let visible = state.view.visible.get_untracked();
    let shown: Vec<_> =
        m.ordered(&state.view.order.get_untracked()).into_iter().rev().filter(|i| visible.get(&i.id).copied().unwrap_or(false)).collect();
    let rows = shown.len() as f64 + 1.0;
    let (x, y, row) = (10.0, 10.0, 17.0);
    cx.set_fill_style_str("rgba(255,255,255,0.9)");
    cx.fill_rect(x, y, 230.0, rows * row + 10.0);
    cx.set_fill_style_str("#1f2421");
    cx.set_font("bold 12px system-ui, 'Noto Sans CJK SC', sans-serif");
    cx.fill_text(l.t("图例（斜线：示意）", "Legend (hatched: schematic)"), x + 8.0, y + 16.0).map_err(err)?;
    cx.set_font("11px system-ui, 'Noto Sans CJK SC', sans-serif");
    for (i, info) in shown.iter().enumerate() {
        let top = y + 16.0 + (i as f64 + 1.0) * row;
        let fill = if info.style.fill == "none" { "#ffffff" } else { info.style.fill.as_str() };
        cx.set_fill_style_str(fill);
        cx.fill_rect(x + 8.0, top - 10.0, 18.0, 10.0);
        cx.set_stroke_style_str(&info.style.stroke);
        cx.set_line_width(1.0);
        cx.stroke_rect(x + 8.0, top - 10.0, 18.0, 10.0);
        cx.set_fill_style_str("#1f2421");
        cx.fill_text_with_max_width(l.t(&info.title_zh, &info.title_en), x + 32.0, top, 190.0).map_err(err)?;
    }
    Ok(())
}

fn north_arrow(cx: &web_sys::CanvasRenderingContext2d, w: f64) -> Result<(), String> {
    let (x, y) = (w - 28.0, 20.0);
    cx.set_fill_style_str("#1f2421");
    cx.begin_path();
    cx.move_to(x, y);
    cx.line_to(x - 8.0, y + 22.0);
    cx.line_to(x, y + 16.0);
    cx.line_to(x + 8.0, y + 22.0);
    cx.close_path();
    cx.fill();
    cx.set_font("bold 12px system-ui, sans-serif");
    cx.fill_text("N", x - 4.0, y + 36.0).map_err(err)
}
