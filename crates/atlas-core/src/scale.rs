//! The scale bar: a round ground distance and its length in pixels at the map's centre.
//! Web Mercator stretches distances by 1/cos(latitude), so the bar is computed at the centre
//! latitude of the view.

use crate::projection::unproject;
use crate::viewport::Viewport;

/// A scale bar: `px` pixels on screen stand for `metres` on the ground.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    pub px: f64,
    pub metres: f64,
    pub label: String,
}

/// The largest 1-2-5 round distance whose bar fits in `max_px` pixels.
pub fn scale_bar(v: &Viewport, max_px: f64) -> Option<ScaleBar> {
    let lat = unproject(v.center).lat.to_radians();
    let ground_m_per_px = v.metres_per_px * lat.cos();
    if !(ground_m_per_px.is_finite() && ground_m_per_px > 0.0 && max_px > 0.0) {
        return None;
    }
    let max_m = ground_m_per_px * max_px;
    let mut best = None;
    let mut step = 1.0;
    while step <= 1e7 {
        for k in [1.0, 2.0, 5.0] {
            let m = step * k;
            if m <= max_m {
                best = Some(m);
            }
        }
        step *= 10.0;
    }
    let metres = best?;
    let label = if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") };
    Some(ScaleBar { px: metres / ground_m_per_px, metres, label })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coord::LonLat;
    use crate::projection::project;

    #[test]
    fn round_distances_that_fit() {
        let center = project(LonLat::new(117.2, 39.13));
        let v = Viewport { center, metres_per_px: 100.0, width: 800.0, height: 600.0 };
        let s = scale_bar(&v, 120.0).expect("bar");
        // 100 Mercator m/px × cos 39.13° ≈ 77.6 ground m/px; 120 px ≈ 9.3 km → 5 km.
        assert_eq!(s.label, "5 km");
        assert!((s.px - 5000.0 / 77.56).abs() < 0.5, "{}", s.px);
        let close = Viewport { metres_per_px: 0.6, ..v };
        assert_eq!(scale_bar(&close, 100.0).expect("bar").label, "20 m");
        assert!(scale_bar(&v, 0.0).is_none());
    }
}
