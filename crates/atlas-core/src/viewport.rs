//! The map viewport: which part of the Mercator plane is on screen, at what scale.
//!
//! A plain `Copy` value with pure methods; UI handlers replace it with the result of a method
//! so every rule (zoom limits, anchoring at the cursor, fitting a box) lives here and is tested
//! natively. Screen pixels grow right and down, Mercator metres right and up.

use crate::coord::{Mercator, UNITS_PER_METRE};
pub use crate::coord::{MercatorBox, ScreenPx};

/// What the map shows: a centre, a scale and the size of the map element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Mercator position at the centre of the map element.
    pub center: Mercator,
    /// Metres of Mercator plane per CSS pixel (larger is further out).
    pub metres_per_px: f64,
    /// Size of the map element in CSS pixels.
    pub width: f64,
    pub height: f64,
}

impl Viewport {
    /// Closest zoom: 0.5 m per pixel (street level).
    pub const MIN_METRES_PER_PX: f64 = 0.5;
    /// Furthest zoom: all of northern China in a phone screen.
    pub const MAX_METRES_PER_PX: f64 = 5_000.0;

    /// A viewport of `width`×`height` pixels that shows all of `bbox` with `padding_px` around it.
    /// Zero or negative sizes are treated as one pixel so the result is always usable.
    pub fn fit(bbox: MercatorBox, width: f64, height: f64, padding_px: f64) -> Self {
        let width = sane_size(width);
        let height = sane_size(height);
        let usable_w = (width - 2.0 * padding_px).max(1.0);
        let usable_h = (height - 2.0 * padding_px).max(1.0);
        let mpp = (bbox.width() / usable_w).max(bbox.height() / usable_h);
        Viewport { center: bbox.center(), metres_per_px: clamp_mpp(mpp), width, height }
    }

    /// Mercator → screen pixels.
    pub fn to_screen(&self, m: Mercator) -> ScreenPx {
        ScreenPx {
            x: self.width / 2.0 + (m.x - self.center.x) / self.metres_per_px,
            y: self.height / 2.0 - (m.y - self.center.y) / self.metres_per_px,
        }
    }

    /// Screen pixels → Mercator, the inverse of [`Viewport::to_screen`].
    pub fn to_map(&self, s: ScreenPx) -> Mercator {
        Mercator {
            x: self.center.x + (s.x - self.width / 2.0) * self.metres_per_px,
            y: self.center.y - (s.y - self.height / 2.0) * self.metres_per_px,
        }
    }

    /// The view that fits `bbox` in this map element, never closer than `min_mpp` (so a point
    /// or a tiny shape is shown with its surroundings).
    pub fn fit_to(&self, bbox: MercatorBox, padding_px: f64, min_mpp: f64) -> Self {
        let mut v = Viewport::fit(bbox, self.width, self.height, padding_px);
        v.metres_per_px = v.metres_per_px.max(min_mpp).min(Self::MAX_METRES_PER_PX);
        v
    }

    /// A step of an animation from `self` to `to`, `t` in 0..=1, zooming in log space.
    pub fn lerp(&self, to: &Viewport, t: f64) -> Self {
        let t = t.clamp(0.0, 1.0);
        if t >= 1.0 {
            return *to;
        }
        let e = t * t * (3.0 - 2.0 * t);
        Viewport {
            center: Mercator { x: self.center.x + (to.center.x - self.center.x) * e, y: self.center.y + (to.center.y - self.center.y) * e },
            metres_per_px: (self.metres_per_px.ln() + (to.metres_per_px.ln() - self.metres_per_px.ln()) * e).exp(),
            width: to.width,
            height: to.height,
        }
    }

    /// True when the box overlaps the visible part of the plane.
    pub fn shows(&self, b: &MercatorBox) -> bool {
        let v = self.bounds();
        b.max.x >= v.min.x && b.min.x <= v.max.x && b.max.y >= v.min.y && b.min.y <= v.max.y
    }

    /// Zoom by `factor` (>1 zooms in) keeping the map point under `anchor` fixed on screen.
    pub fn zoom_at(&self, anchor: ScreenPx, factor: f64) -> Self {
        if !factor.is_finite() || factor <= 0.0 {
            return *self;
        }
        let fixed = self.to_map(anchor);
        let mpp = clamp_mpp(self.metres_per_px / factor);
        let mut v = Viewport { metres_per_px: mpp, ..*self };
        let moved = v.to_map(anchor);
        v.center.x += fixed.x - moved.x;
        v.center.y += fixed.y - moved.y;
        v
    }

    /// Move the map content by `dx`, `dy` screen pixels (a drag).
    pub fn pan_by(&self, dx: f64, dy: f64) -> Self {
        let mut v = *self;
        v.center.x -= dx * self.metres_per_px;
        v.center.y += dy * self.metres_per_px;
        v
    }

    /// The same view for a map element of a new size.
    pub fn resized(&self, width: f64, height: f64) -> Self {
        Viewport { width: sane_size(width), height: sane_size(height), ..*self }
    }

    /// The visible part of the plane.
    pub fn bounds(&self) -> MercatorBox {
        let a = self.to_map(ScreenPx { x: 0.0, y: self.height });
        let b = self.to_map(ScreenPx { x: self.width, y: 0.0 });
        MercatorBox { min: a, max: b }
    }

    /// The same view drawn `pad` times its size further out on every side (the map draws a
    /// margin beyond the visible area, so a short pan needs no redraw).
    pub fn padded(&self, pad: f64) -> Self {
        let k = 1.0 + 2.0 * pad.max(0.0);
        Viewport { width: self.width * k, height: self.height * k, ..*self }
    }

    /// The CSS transform that makes a map drawn for `drawn` show `self`: `(tx, ty, scale)`,
    /// for `translate(tx px, ty px) scale(scale)` about the centre of the map element. Pan
    /// and zoom set this on the compositor; the geometry is redrawn only once the view rests.
    pub fn transform_from(&self, drawn: &Viewport) -> (f64, f64, f64) {
        let k = drawn.metres_per_px / self.metres_per_px;
        let tx = (drawn.center.x - self.center.x) / self.metres_per_px;
        let ty = -(drawn.center.y - self.center.y) / self.metres_per_px;
        (tx, ty, k)
    }

    /// True when a drawing made for `drawn` (a padded view), moved by
    /// [`Viewport::transform_from`], still covers this whole view and is magnified at most 2×.
    pub fn covered_by(&self, drawn: &Viewport) -> bool {
        let (tx, ty, k) = self.transform_from(drawn);
        k <= 2.0
            && k * drawn.width / 2.0 - tx.abs() >= self.width / 2.0 - 0.5
            && k * drawn.height / 2.0 - ty.abs() >= self.height / 2.0 - 0.5
    }

    /// The SVG `viewBox` for this viewport in the map's drawing units (see [`UNITS_PER_METRE`]).
    pub fn view_box(&self) -> String {
        let b = self.bounds();
        let k = UNITS_PER_METRE;
        format!("{:.3} {:.3} {:.3} {:.3}", b.min.x * k, -b.max.y * k, b.width() * k, b.height() * k)
    }
}

fn sane_size(v: f64) -> f64 {
    if v.is_finite() && v >= 1.0 {
        v
    } else {
        1.0
    }
}

fn clamp_mpp(mpp: f64) -> f64 {
    if mpp.is_finite() && mpp >= 0.0 {
        mpp.clamp(Viewport::MIN_METRES_PER_PX, Viewport::MAX_METRES_PER_PX)
    } else {
        Viewport::MAX_METRES_PER_PX
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::LonLat;
    use crate::projection::project;
    use approx::assert_abs_diff_eq;

    fn tianjin() -> MercatorBox {
        MercatorBox::from_points([project(LonLat::new(116.7, 38.55)), project(LonLat::new(118.07, 40.25))]).expect("two points")
    }

    #[test]
    fn screen_round_trip() {
        let v = Viewport::fit(tianjin(), 800.0, 600.0, 10.0);
        let m = project(LonLat::new(117.2, 39.1));
        let back = v.to_map(v.to_screen(m));
        assert_abs_diff_eq!(m.x, back.x, epsilon = 1e-6);
        assert_abs_diff_eq!(m.y, back.y, epsilon = 1e-6);
    }

    #[test]
    fn fit_contains_box() {
        let b = tianjin();
        let v = Viewport::fit(b, 360.0, 640.0, 8.0);
        let tl = v.to_screen(Mercator { x: b.min.x, y: b.max.y });
        let br = v.to_screen(Mercator { x: b.max.x, y: b.min.y });
        assert!(tl.x >= 7.9 && tl.y >= 7.9, "{tl:?}");
        assert!(br.x <= 352.1 && br.y <= 632.1, "{br:?}");
    }

    #[test]
    fn zoom_keeps_anchor_fixed() {
        let v = Viewport::fit(tianjin(), 800.0, 600.0, 0.0);
        let anchor = ScreenPx { x: 100.0, y: 450.0 };
        let before = v.to_map(anchor);
        let z = v.zoom_at(anchor, 2.0);
        let after = z.to_map(anchor);
        assert_abs_diff_eq!(before.x, after.x, epsilon = 1e-6);
        assert_abs_diff_eq!(before.y, after.y, epsilon = 1e-6);
        assert_abs_diff_eq!(z.metres_per_px, v.metres_per_px / 2.0, epsilon = 1e-9);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let point = MercatorBox::from_points([Mercator::default()]).expect("one point");
        let v = Viewport::fit(point, 0.0, -5.0, 10.0);
        assert!(v.metres_per_px.is_finite() && v.width >= 1.0 && v.height >= 1.0);
        assert_eq!(v.zoom_at(ScreenPx::default(), 0.0), v);
        assert_eq!(v.zoom_at(ScreenPx::default(), f64::NAN), v);
        assert!(MercatorBox::from_points([]).is_none());
        assert!(
            Viewport::fit(tianjin(), 800.0, 600.0, 0.0).zoom_at(ScreenPx::default(), 1e12).metres_per_px >= Viewport::MIN_METRES_PER_PX
        );
    }

    #[test]
    fn fit_to_a_point_keeps_some_context_and_lerp_ends_there() {
        let v = Viewport::fit(tianjin(), 800.0, 600.0, 0.0);
        let p = project(LonLat::new(117.2, 39.1));
        let to = v.fit_to(MercatorBox { min: p, max: p }, 40.0, 20.0);
        assert_abs_diff_eq!(to.metres_per_px, 20.0, epsilon = 1e-9);
        assert_abs_diff_eq!(to.center.x, p.x, epsilon = 1e-6);
        assert_eq!(v.lerp(&to, 1.0), to);
        assert_eq!(v.lerp(&to, 0.0).center, v.center);
        let mid = v.lerp(&to, 0.5);
        assert!(mid.metres_per_px < v.metres_per_px && mid.metres_per_px > to.metres_per_px);
        assert!(to.shows(&MercatorBox { min: p, max: p }));
        let far = Mercator { x: 0.0, y: 0.0 };
        assert!(!to.shows(&MercatorBox { min: far, max: far }));
    }

    #[test]
    fn pan_moves_content_with_the_pointer() {
        let v = Viewport::fit(tianjin(), 800.0, 600.0, 0.0);
        let m = project(LonLat::new(117.2, 39.1));
        let s = v.to_screen(m);
        let p = v.pan_by(30.0, -20.0).to_screen(m);
        assert_abs_diff_eq!(p.x - s.x, 30.0, epsilon = 1e-6);
        assert_abs_diff_eq!(p.y - s.y, -20.0, epsilon = 1e-6);
    }

    #[test]
    fn transform_from_drawn_view_matches_the_live_view() {
        let drawn = Viewport::fit(tianjin(), 800.0, 600.0, 0.0);
        let live = drawn.pan_by(37.0, -12.0).zoom_at(ScreenPx { x: 100.0, y: 500.0 }, 1.7);
        let (tx, ty, k) = live.transform_from(&drawn);
        for lonlat in [LonLat::new(117.2, 39.1), LonLat::new(117.7, 38.9), LonLat::new(116.9, 39.5)] {
            let m = project(lonlat);
            let s = drawn.to_screen(m);
            // translate(tx, ty) scale(k) about the element centre.
            let (cx, cy) = (drawn.width / 2.0, drawn.height / 2.0);
            let (x, y) = (cx + tx + k * (s.x - cx), cy + ty + k * (s.y - cy));
            let want = live.to_screen(m);
            assert_abs_diff_eq!(x, want.x, epsilon = 1e-6);
            assert_abs_diff_eq!(y, want.y, epsilon = 1e-6);
        }
        assert_eq!(drawn.transform_from(&drawn), (0.0, 0.0, 1.0));
        // A padded drawing has the same centre, so the same transform applies about its centre.
        let p = drawn.padded(0.5);
        assert_eq!((p.width, p.height, p.center), (1600.0, 1200.0, drawn.center));
        assert_eq!(live.transform_from(&p), live.transform_from(&drawn));
        // Coverage: a small pan stays within the margin; a long one, a 3× zoom-in or a 2.5×
        // zoom-out needs a redraw.
        assert!(drawn.covered_by(&p));
        assert!(drawn.pan_by(350.0, -250.0).covered_by(&p));
        assert!(!drawn.pan_by(450.0, 0.0).covered_by(&p));
        let centre = ScreenPx { x: 400.0, y: 300.0 };
        assert!(drawn.zoom_at(centre, 1.9).covered_by(&p));
        assert!(!drawn.zoom_at(centre, 3.0).covered_by(&p));
        assert!(drawn.zoom_at(centre, 1.0 / 1.9).covered_by(&p));
        assert!(!drawn.zoom_at(centre, 1.0 / 2.5).covered_by(&p));
        // Without a margin, any pan needs a redraw.
        assert!(!drawn.pan_by(5.0, 0.0).covered_by(&drawn));
    }
}
