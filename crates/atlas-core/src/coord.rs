//! Coordinate spaces and drawing units, the types every other module imports.
//!
//! `LonLat` is WGS84 degrees as in RFC 7946; `Mercator` is EPSG:3857 metres (y up); `ScreenPx`
//! is CSS pixels from the map's top-left corner (y down). This module imports nothing from the
//! crate, so projection, viewport, layers and SVG building can all depend on it without
//! depending on each other (as geo-types and galileo-types do for their crates).

use serde::{Deserialize, Serialize};

/// Drawing units per Mercator metre: 1 unit = 1 km, 3 decimals keep 1 m resolution.
pub const UNITS_PER_METRE: f64 = 0.001;

/// A WGS84 position in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// A position in EPSG:3857 metres (y grows northwards).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mercator {
    pub x: f64,
    pub y: f64,
}

impl LonLat {
    pub const fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }

    /// True when both numbers are finite and inside the WGS84 ranges.
    pub fn is_valid(self) -> bool {
        self.lon.is_finite() && self.lat.is_finite() && (-180.0..=180.0).contains(&self.lon) && (-90.0..=90.0).contains(&self.lat)
    }
}

/// A position in CSS pixels relative to the map's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScreenPx {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned box in Mercator metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MercatorBox {
    pub min: Mercator,
    pub max: Mercator,
}

impl MercatorBox {
    /// The smallest box holding all points; `None` for no points.
    pub fn from_points(points: impl IntoIterator<Item = Mercator>) -> Option<Self> {
        let mut it = points.into_iter();
        let first = it.next()?;
        let mut b = MercatorBox { min: first, max: first };
        for p in it {
            b.extend(p);
        }
        Some(b)
    }

    pub fn extend(&mut self, p: Mercator) {
        self.min.x = self.min.x.min(p.x);
        self.min.y = self.min.y.min(p.y);
        self.max.x = self.max.x.max(p.x);
        self.max.y = self.max.y.max(p.y);
    }

    pub fn union(self, other: MercatorBox) -> MercatorBox {
        let mut b = self;
        b.extend(other.min);
        b.extend(other.max);
        b
    }

    pub fn width(&self) -> f64 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f64 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> Mercator {
        Mercator { x: (self.min.x + self.max.x) / 2.0, y: (self.min.y + self.max.y) / 2.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        assert!(LonLat::new(117.0, 39.0).is_valid());
        assert!(!LonLat::new(f64::NAN, 39.0).is_valid());
        assert!(!LonLat::new(39.0, 117.0).is_valid());
    }

    #[test]
    fn boxes_grow_to_hold_points_and_other_boxes() {
        let b = MercatorBox::from_points([Mercator { x: 1.0, y: 2.0 }, Mercator { x: -3.0, y: 5.0 }]).expect("two points");
        assert_eq!((b.width(), b.height()), (4.0, 3.0));
        assert_eq!(b.center(), Mercator { x: -1.0, y: 3.5 });
        let c = MercatorBox { min: Mercator { x: 10.0, y: 10.0 }, max: Mercator { x: 11.0, y: 12.0 } };
        let u = b.union(c);
        assert_eq!((u.min, u.max), (Mercator { x: -3.0, y: 2.0 }, Mercator { x: 11.0, y: 12.0 }));
        assert!(MercatorBox::from_points([]).is_none());
    }
}
