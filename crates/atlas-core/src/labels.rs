//! Map labels: where a feature's name goes, and which names fit on screen together.
//!
//! Anchors are computed once per feature when its layer loads ([`anchor_for`]); placement
//! ([`place`]) runs on the settled viewport and is greedy by priority: a label is shown only
//! if its box overlaps no label already placed (and, for labels beside a point symbol, no
//! other point symbol). Text width is estimated from the characters, so no DOM measurement is
//! needed and the result is the same natively and in the browser.

use crate::coord::{Mercator, MercatorBox, ScreenPx};
use crate::layer::Geometry;
use crate::projection::project;
use crate::viewport::Viewport;

/// Where a label attaches to its feature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnchorKind {
    /// Beside a point symbol; the label goes right, left, above or below it.
    Point,
    /// On a line, centred above the point halfway along its longest part.
    Line,
    /// Inside an area, centred on a point well inside its largest part.
    Area,
}

/// A feature's label anchor in the Mercator plane, with the feature's extent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelAnchor {
    pub at: Mercator,
    pub kind: AnchorKind,
    pub extent: MercatorBox,
}

/// The anchor for a geometry: the point nearest the middle of a set of points, the halfway
/// point of the longest line, or the inside point farthest from the edges of the largest
/// polygon (sampled on a grid, so it stays inside concave and ring-shaped areas).
pub fn anchor_for(g: &Geometry) -> Option<LabelAnchor> {
    anchor_within(g, g.mercator_bounds()?)
}

/// [`anchor_for`] with the geometry's Mercator bounds already known (projecting is most of
/// the cost of loading a layer's anchors).
pub fn anchor_within(g: &Geometry, extent: MercatorBox) -> Option<LabelAnchor> {
    let (at, kind) = match g {
        Geometry::Points(pts) => {
            let c = extent.center();
            let at = pts.iter().map(|p| project(*p)).min_by(|a, b| dist2(*a, c).total_cmp(&dist2(*b, c)))?;
            (at, AnchorKind::Point)
        }
        Geometry::Lines(lines) => {
            // Project each line once, then take the longest.
            let projected = lines.iter().map(|l| l.iter().map(|p| project(*p)).collect::<Vec<Mercator>>());
            let line = projected.map(|l| (merc_length(&l), l)).max_by(|a, b| a.0.total_cmp(&b.0))?.1;
            (along(&line, 0.5)?, AnchorKind::Line)
        }
        Geometry::Polygons(polys) => {
            let largest = polys.iter().map(|p| (outer_area(p), p)).max_by(|a, b| a.0.total_cmp(&b.0))?.1;
            let rings: Vec<Vec<Mercator>> = largest.iter().map(|r| r.iter().map(|p| project(*p)).collect()).collect();
            (inside_point(&rings)?, AnchorKind::Area)
        }
        Geometry::Unlocated => return None,
    };
    Some(LabelAnchor { at, kind, extent })
}

fn dist2(a: Mercator, b: Mercator) -> f64 {
    (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
}

fn merc_length(line: &[Mercator]) -> f64 {
    line.windows(2).map(|w| dist2(w[0], w[1]).sqrt()).sum()
}

fn outer_area(poly: &[Vec<crate::coord::LonLat>]) -> f64 {
    poly.first().map_or(0.0, |r| crate::geometry::ring_signed_area_deg2(r).abs())
}

/// The point a fraction `t` of the way along a polyline.
fn along(line: &[Mercator], t: f64) -> Option<Mercator> {
    let total = merc_length(line);
    if total <= 0.0 {
        return line.first().copied();
    }
    let mut left = total * t;
    for w in line.windows(2) {
        let d = dist2(w[0], w[1]).sqrt();
        if d >= left && d > 0.0 {
            let k = left / d;
            return Some(Mercator { x: w[0].x + (w[1].x - w[0].x) * k, y: w[0].y + (w[1].y - w[0].y) * k });
        }
        left -= d;
    }
    line.last().copied()
}

fn ring_contains(ring: &[Mercator], p: Mercator) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
    }
    inside
}

fn segment_dist2(p: Mercator, a: Mercator, b: Mercator) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    dist2(p, Mercator { x: a.x + t * dx, y: a.y + t * dy })
}

fn edge_dist2(rings: &[Vec<Mercator>], p: Mercator) -> f64 {
    rings.iter().flat_map(|r| r.windows(2).map(move |w| segment_dist2(p, w[0], w[1]))).fold(f64::INFINITY, f64::min)
}

fn inside(rings: &[Vec<Mercator>], p: Mercator) -> bool {
    rings.first().is_some_and(|outer| ring_contains(outer, p)) && !rings.iter().skip(1).any(|h| ring_contains(h, p))
}

/// Every `k`-th vertex of a ring (closing it again), so that distances to a detailed boundary
/// cost a few hundred segments: a label needs the middle of a district, not its survey.
fn decimate(ring: &[Mercator], max: usize) -> Vec<Mercator> {
    let k = ring.len().div_ceil(max.max(3)).max(1);
    let mut out: Vec<Mercator> = ring.iter().step_by(k).copied().collect();
    if let (Some(first), Some(last)) = (ring.first(), ring.last()) {
        if out.last() != Some(last) {
            out.push(*last);
        }
        if out.last() != Some(first) {
            out.push(*first);
        }
    }
    out
}

/// A point inside the polygon (outer ring, then holes) far from its edges: the best of a
/// 16×16 grid, refined once on a finer grid around it. The search runs on the rings cut to
/// at most 160 vertices each; the point found is checked against the full rings, and only if
/// it falls outside them (a sliver the cut rings miss) is the search repeated on the full
/// rings. Falls back to the first vertex.
fn inside_point(rings: &[Vec<Mercator>]) -> Option<Mercator> {
    let outer = rings.first()?;
    let b = MercatorBox::from_points(outer.iter().copied())?;
    let coarse: Vec<Vec<Mercator>> = rings.iter().map(|r| decimate(r, 160)).collect();
    let best_in = |test: &[Vec<Mercator>]| -> Option<Mercator> {
        let search = |min: Mercator, w: f64, h: f64, n: usize, best: &mut Option<(f64, Mercator)>| {
            for i in 0..n {
                for j in 0..n {
                    let p = Mercator { x: min.x + w * (i as f64 + 0.5) / n as f64, y: min.y + h * (j as f64 + 0.5) / n as f64 };
                    if inside(test, p) {
                        let d = edge_dist2(&coarse, p);
                        if best.is_none_or(|(bd, _)| d > bd) {
                            *best = Some((d, p));
                        }
                    }
                }
            }
        };
        let mut best = None;
        search(b.min, b.width(), b.height(), 16, &mut best);
        if let Some((_, c)) = best {
            let (w, h) = (b.width() / 8.0, b.height() / 8.0);
            search(Mercator { x: c.x - w / 2.0, y: c.y - h / 2.0 }, w, h, 6, &mut best);
        }
        best.map(|(_, p)| p)
    };
    best_in(&coarse).filter(|&p| inside(rings, p)).or_else(|| best_in(rings)).or_else(|| outer.first().copied())
}

/// A box in screen pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn around(c: ScreenPx, half_w: f64, half_h: f64) -> Rect {
        Rect { x0: c.x - half_w, y0: c.y - half_h, x1: c.x + half_w, y1: c.y + half_h }
    }

    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn within(&self, w: f64, h: f64) -> bool {
        self.x0 >= 0.0 && self.y0 >= 0.0 && self.x1 <= w && self.y1 <= h
    }
}

/// Estimated width of `text` in ems: CJK characters and full-width punctuation are one em,
/// other characters about 0.58 em (a sans-serif average), spaces 0.3 em.
pub fn text_width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' => 0.3,
            c if (c as u32) >= 0x2E80 => 1.0,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.64,
            _ => 0.55,
        })
        .sum()
}

/// The name to print on the map: the full name without a trailing parenthesis ("Guojiuchang
/// station (Line 1)" → "Guojiuchang station", "…（736平方公里）" → "…"), which the card shows,
/// and without an English " station" (the symbol says it is one, as on metro maps).
pub fn short_name(name: &str) -> &str {
    let cut = [" (", "（", "("].iter().filter_map(|p| name.find(p)).filter(|&i| i > 0).min();
    let name = cut.map_or(name, |i| &name[..i]).trim();
    // Only the generic lower-case word: "Tianjin Railway Station" is a name and stays whole.
    let bare = name.strip_suffix(" station").unwrap_or(name);
    if bare.is_empty() {
        name
    } else {
        bare
    }
}

/// One label that may be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub text: String,
    pub anchor: LabelAnchor,
    /// Higher is placed first (the layer's label priority; a selected feature goes first).
    pub priority: f64,
    /// Radius of the point symbol in pixels, for labels beside points.
    pub symbol_px: f64,
    /// Placed whenever its anchor is in view (the selected feature): other point symbols
    /// and a small area's size do not stop it. Labels placed before it still do.
    pub required: bool,
}

/// Horizontal alignment of the text at its position (SVG `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
    End,
}

impl Align {
    pub fn as_svg(self) -> &'static str {
        match self {
            Align::Start => "start",
            Align::Middle => "middle",
            Align::End => "end",
        }
    }
}

/// A label that fits: the candidate's index, where its text goes (the Mercator point of its
/// vertical centre and alignment), and its box on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub index: usize,
    pub at: Mercator,
    pub align: Align,
    pub rect: Rect,
}

/// Label layout settings, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub font_px: f64,
    /// Empty space kept around every label.
    pub margin_px: f64,
}

impl Default for Style {
    fn default() -> Self {
        Style { font_px: 12.0, margin_px: 2.0 }
    }
}

/// Place as many candidates as fit, highest priority first (ties: larger features first).
/// `obstacles` are point symbols on screen: labels beside points avoid all of them except
/// their own. A label must lie wholly inside the view; an area's label is shown only when
/// the area is at least half as wide on screen as its name.
pub fn place(cands: &[Candidate], view: &Viewport, obstacles: &[Rect], style: Style) -> Vec<Placed> {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    let size = |c: &Candidate| c.anchor.extent.width().max(c.anchor.extent.height());
    order.sort_by(|&a, &b| cands[b].priority.total_cmp(&cands[a].priority).then(size(&cands[b]).total_cmp(&size(&cands[a]))));
    let vb = view.bounds();
    let em = style.font_px;
    let half_h = em * 0.6;
    let mut grid = Grid::new(view.width, view.height, 64.0);
    let mut placed = Vec::new();
    for i in order {
        let c = &cands[i];
        let a = c.anchor;
        if a.at.x < vb.min.x || a.at.x > vb.max.x || a.at.y < vb.min.y || a.at.y > vb.max.y {
            continue;
        }
        let half_w = text_width_em(&c.text) * em / 2.0;
        if half_w <= 0.0 {
            continue;
        }
        let s = view.to_screen(a.at);
        let options: Vec<(ScreenPx, Align)> = match a.kind {
            AnchorKind::Area => {
                let on_screen_w = a.extent.width() / view.metres_per_px;
                if on_screen_w < half_w && !c.required {
                    continue;
                }
                vec![(s, Align::Middle)]
            }
            AnchorKind::Line => vec![
                (ScreenPx { x: s.x, y: s.y - half_h - 3.0 }, Align::Middle),
                (ScreenPx { x: s.x, y: s.y + half_h + 3.0 }, Align::Middle),
            ],
            AnchorKind::Point => {
                let gap = c.symbol_px + 3.0;
                vec![
                    (ScreenPx { x: s.x + gap, y: s.y }, Align::Start),
                    (ScreenPx { x: s.x - gap, y: s.y }, Align::End),
                    (ScreenPx { x: s.x, y: s.y - gap - half_h }, Align::Middle),
                    (ScreenPx { x: s.x, y: s.y + gap + half_h }, Align::Middle),
                ]
            }
        };
        let own = Rect::around(s, c.symbol_px, c.symbol_px);
        let found = options.into_iter().find_map(|(p, align)| {
            let cx = match align {
                Align::Start => p.x + half_w,
                Align::End => p.x - half_w,
                Align::Middle => p.x,
            };
            let rect = Rect::around(ScreenPx { x: cx, y: p.y }, half_w, half_h);
            let m = style.margin_px;
            let padded = Rect { x0: rect.x0 - m, y0: rect.y0 - m, x1: rect.x1 + m, y1: rect.y1 + m };
            let clear = rect.within(view.width, view.height)
                && !grid.hits(&padded)
                && (a.kind == AnchorKind::Area || c.required || !obstacles.iter().any(|o| o.overlaps(&rect) && *o != own));
            clear.then(|| (view.to_map(p), align, rect))
        });
        if let Some((at, align, rect)) = found {
            grid.insert(rect);
            placed.push(Placed { index: i, at, align, rect });
        }
    }
    placed
}

/// Placed boxes bucketed by screen cell, so each test looks at a few neighbours only.
struct Grid {
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<Rect>>,
}

impl Grid {
    fn new(w: f64, h: f64, cell: f64) -> Grid {
        let cols = ((w / cell).ceil() as usize).clamp(1, 4096);
        let rows = ((h / cell).ceil() as usize).clamp(1, 4096);
        Grid { cell, cols, rows, cells: vec![Vec::new(); cols * rows] }
    }

    fn span(&self, r: &Rect) -> (std::ops::RangeInclusive<usize>, std::ops::RangeInclusive<usize>) {
        let c = |v: f64, n: usize| ((v / self.cell).floor().max(0.0) as usize).min(n - 1);
        (c(r.x0, self.cols)..=c(r.x1, self.cols), c(r.y0, self.rows)..=c(r.y1, self.rows))
    }

    fn hits(&self, r: &Rect) -> bool {
        let (xs, ys) = self.span(r);
        ys.clone().any(|y| xs.clone().any(|x| self.cells[y * self.cols + x].iter().any(|o| o.overlaps(r))))
    }

    fn insert(&mut self, r: Rect) {
        let (xs, ys) = self.span(&r);
        for y in ys {
            for x in xs.clone() {
                self.cells[y * self.cols + x].push(r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::LonLat;

    /// A square with a deep notch whose vertices the cut rings drop: the point is checked
    /// against the full ring, so it is never placed in the notch.
    #[test]
    fn inside_point_never_lands_in_a_notch_the_cut_rings_miss() {
        let m = |x: f64, y: f64| Mercator { x, y };
        let mut ring = vec![m(40.0, 0.0), m(45.0, 95.0), m(55.0, 95.0), m(60.0, 0.0)];
        let side = |ring: &mut Vec<Mercator>, a: Mercator, b: Mercator, n: usize| {
            for k in 1..=n {
                let t = k as f64 / n as f64;
                ring.push(m(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t));
            }
        };
        side(&mut ring, m(60.0, 0.0), m(100.0, 0.0), 40);
        side(&mut ring, m(100.0, 0.0), m(100.0, 100.0), 100);
        side(&mut ring, m(100.0, 100.0), m(0.0, 100.0), 100);
        side(&mut ring, m(0.0, 100.0), m(0.0, 0.0), 100);
        side(&mut ring, m(0.0, 0.0), m(40.0, 0.0), 40);
        assert!(ring.len() > 320 && ring.len() <= 480, "three vertices to one in the cut ring: {}", ring.len());
        let rings = vec![ring];
        // The cut ring skips the notch, so its best point is in it.
        let coarse = [decimate(&rings[0], 160)];
        assert!(!coarse[0].contains(&m(45.0, 95.0)));
        let p = inside_point(&rings).expect("a point");
        assert!(inside(&rings, p), "{p:?} is outside the polygon");
    }

    fn view() -> Viewport {
        let c = project(LonLat::new(117.2, 39.1));
        Viewport { center: c, metres_per_px: 50.0, width: 800.0, height: 600.0 }
    }

    fn point_at(v: &Viewport, x: f64, y: f64) -> LabelAnchor {
        let at = v.to_map(ScreenPx { x, y });
        LabelAnchor { at, kind: AnchorKind::Point, extent: MercatorBox { min: at, max: at } }
    }

    fn cand(text: &str, anchor: LabelAnchor, priority: f64) -> Candidate {
        Candidate { text: text.into(), anchor, priority, symbol_px: 4.0, required: false }
    }

    #[test]
    fn text_width_counts_cjk_as_one_em() {
        assert_eq!(text_width_em("和平区"), 3.0);
        assert!((text_width_em("Hexi") - (0.64 + 0.55 * 3.0)).abs() < 1e-9);
    }

    #[test]
    fn short_name_drops_the_parenthesis() {
        assert_eq!(short_name("Guojiuchang station (Line 1)"), "Guojiuchang");
        assert_eq!(short_name("Tianjin Railway Station"), "Tianjin Railway Station");
        assert_eq!(short_name("station"), "station");
        assert_eq!(short_name("双城间绿色生态屏障（736平方公里）"), "双城间绿色生态屏障");
        assert_eq!(short_name("(odd) name"), "(odd) name");
        assert_eq!(short_name("河西区"), "河西区");
    }

    #[test]
    fn no_two_placed_labels_overlap_and_priority_wins() {
        let v = view();
        // A dense cluster: 40 points 6 px apart, all wanting a label.
        let cands: Vec<Candidate> = (0..40)
            .map(|i| cand(&format!("站点{i}"), point_at(&v, 300.0 + (i % 8) as f64 * 6.0, 300.0 + (i / 8) as f64 * 6.0), i as f64))
            .collect();
        let placed = place(&cands, &v, &[], Style::default());
        assert!(!placed.is_empty() && placed.len() < 40, "{} placed", placed.len());
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{a:?} overlaps {b:?}");
            }
        }
        assert_eq!(placed[0].index, 39, "the highest priority is placed first");
    }

    #[test]
    fn the_selected_feature_is_named_among_dense_symbols_and_when_small() {
        let v = view();
        let a = point_at(&v, 400.0, 300.0);
        // Station symbols on every side of `a`, as in the city centre at city scale.
        let symbols: Vec<Rect> = (-30..=30)
            .step_by(6)
            .flat_map(|dx| (-12..=12).step_by(6).map(move |dy| (dx, dy)))
            .filter(|&(dx, dy)| (dx, dy) != (0, 0))
            .map(|(dx, dy)| Rect::around(ScreenPx { x: 400.0 + f64::from(dx), y: 300.0 + f64::from(dy) }, 4.0, 4.0))
            .collect();
        assert!(place(&[cand("小白楼站", a, 1.0)], &v, &symbols, Style::default()).is_empty());
        let selected = Candidate { required: true, ..cand("小白楼站", a, 1e9) };
        assert_eq!(place(&[selected], &v, &symbols, Style::default()).len(), 1);
        // An area a few pixels wide is named only when selected.
        let at = v.to_map(ScreenPx { x: 200.0, y: 200.0 });
        let extent = MercatorBox { min: at, max: Mercator { x: at.x + 5.0 * v.metres_per_px, y: at.y + 5.0 * v.metres_per_px } };
        let small = cand("口袋公园", LabelAnchor { at, kind: AnchorKind::Area, extent }, 1.0);
        assert!(place(std::slice::from_ref(&small), &v, &[], Style::default()).is_empty());
        assert_eq!(place(&[Candidate { required: true, ..small }], &v, &[], Style::default()).len(), 1);
    }

    #[test]
    fn a_blocked_point_label_moves_to_another_side() {
        let v = view();
        let a = point_at(&v, 400.0, 300.0);
        // b sits just below a: right of b would touch a's label, so b's label goes left.
        let b = point_at(&v, 400.0, 310.0);
        let placed = place(&[cand("第一个", a, 2.0), cand("第二个", b, 1.0)], &v, &[], Style::default());
        assert_eq!(placed.len(), 2);
        assert_eq!((placed[0].index, placed[0].align), (0, Align::Start));
        assert_eq!((placed[1].index, placed[1].align), (1, Align::End));
        assert!(!placed[0].rect.overlaps(&placed[1].rect));
        // With an obstacle right of `a`, its label goes left.
        let ob = Rect::around(ScreenPx { x: 420.0, y: 300.0 }, 4.0, 4.0);
        let placed = place(&[cand("第一个", a, 2.0)], &v, &[ob], Style::default());
        assert_eq!(placed[0].align, Align::End);
    }

    #[test]
    fn labels_stay_on_screen_and_small_areas_go_unlabelled() {
        let v = view();
        let edge = point_at(&v, 795.0, 300.0);
        let placed = place(&[cand("边缘", edge, 1.0)], &v, &[], Style::default());
        assert_eq!(placed.len(), 1);
        assert!(placed[0].rect.x1 <= 800.0 && placed[0].align == Align::End);
        let off = point_at(&v, 900.0, 300.0);
        assert!(place(&[cand("外面", off, 1.0)], &v, &[], Style::default()).is_empty());
        // A 10 px wide area cannot carry a 5-character name; zoomed in 10×, it can.
        let at = v.to_map(ScreenPx { x: 400.0, y: 300.0 });
        let half = 5.0 * v.metres_per_px;
        let extent = MercatorBox { min: Mercator { x: at.x - half, y: at.y - half }, max: Mercator { x: at.x + half, y: at.y + half } };
        let area = cand("五个字名字", LabelAnchor { at, kind: AnchorKind::Area, extent }, 1.0);
        assert!(place(std::slice::from_ref(&area), &v, &[], Style::default()).is_empty());
        let closer = Viewport { metres_per_px: v.metres_per_px / 10.0, ..v };
        let p = place(&[area], &closer, &[], Style::default());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].align, Align::Middle);
    }

    #[test]
    fn area_anchor_stays_inside_a_c_shape() {
        // A "C": the bounding-box centre is in the gap, outside the shape.
        let ring: Vec<LonLat> =
            [(0.0, 0.0), (3.0, 0.0), (3.0, 1.0), (1.0, 1.0), (1.0, 2.0), (3.0, 2.0), (3.0, 3.0), (0.0, 3.0), (0.0, 0.0)]
                .iter()
                .map(|&(x, y)| LonLat::new(117.0 + x * 0.01, 39.0 + y * 0.01))
                .collect();
        let g = Geometry::Polygons(vec![vec![ring.clone()]]);
        let a = anchor_for(&g).expect("anchor");
        assert_eq!(a.kind, AnchorKind::Area);
        let merc: Vec<Mercator> = ring.iter().map(|p| project(*p)).collect();
        assert!(ring_contains(&merc, a.at), "anchor {:?} is inside the C", a.at);
        assert!(!ring_contains(&merc, a.extent.center()), "the box centre is not (the test means something)");
    }

    #[test]
    fn line_and_point_anchors() {
        let line = vec![LonLat::new(117.0, 39.0), LonLat::new(117.1, 39.0), LonLat::new(117.2, 39.0)];
        let short = vec![LonLat::new(117.0, 39.5), LonLat::new(117.01, 39.5)];
        let a = anchor_for(&Geometry::Lines(vec![short, line])).expect("anchor");
        assert_eq!(a.kind, AnchorKind::Line);
        assert!((a.at.x - project(LonLat::new(117.1, 39.0)).x).abs() < 1.0, "halfway along the longest line");
        let pts = vec![LonLat::new(117.0, 39.0), LonLat::new(117.1, 39.1), LonLat::new(117.2, 39.2)];
        let p = anchor_for(&Geometry::Points(pts)).expect("anchor");
        assert_eq!(p.at, project(LonLat::new(117.1, 39.1)), "the point nearest the middle");
    }

    #[test]
    fn point_labels_avoid_other_symbols_among_many() {
        let v = view();
        let cands: Vec<Candidate> =
            (0..150).map(|i| cand("一二三四", point_at(&v, (i * 37 % 800) as f64, (i * 53 % 600) as f64), (i % 7) as f64)).collect();
        let symbols: Vec<Rect> = cands.iter().map(|c| Rect::around(v.to_screen(c.anchor.at), 4.0, 4.0)).collect();
        let placed = place(&cands, &v, &symbols, Style::default());
        assert!(!placed.is_empty());
        for p in &placed {
            let own = symbols[p.index];
            assert!(symbols.iter().all(|s| *s == own || !s.overlaps(&p.rect)), "{p:?} covers a symbol");
        }
    }
}
