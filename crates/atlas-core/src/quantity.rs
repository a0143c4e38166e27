//! The plans' numbers for people, in both languages: a value with its unit as the Chinese
//! interface writes it (`120万m²`, `12条`, `2025年`) and as the English one does, with the
//! Chinese multiples 万 (10⁴) and 亿 (10⁸) worked out (`1.2 million m²`, `600 million yuan`)
//! and the mu glossed in km².
//!
//! The arithmetic is exact: a value's decimal digits (the shortest form that reads back as the
//! same `f64`, as the data file wrote it) are shifted, never multiplied in binary floating
//! point, so 784.0818万m² is 7,840,818 m², not 7,840,818.000000001.

use std::fmt;

/// The same thing in the Chinese and the English interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Both<T> {
    pub zh: T,
    pub en: T,
}

impl<T> Both<T> {
    /// The English one when `en`, else the Chinese one.
    pub fn get(&self, en: bool) -> &T {
        if en {
            &self.en
        } else {
            &self.zh
        }
    }
}

/// A value and its unit as shown: `value` is set apart (bold on the card), `unit` follows it,
/// after a space when `spaced` (`12 km`) or straight on (`12条`, `90%`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub value: String,
    pub unit: String,
    pub spaced: bool,
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.unit.is_empty(), self.spaced) {
            (true, _) => write!(f, "{}", self.value),
            (false, true) => write!(f, "{} {}", self.value, self.unit),
            (false, false) => write!(f, "{}{}", self.value, self.unit),
        }
    }
}

/// What a unit of the data is, and so how each language writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A count of things: Chinese puts a measure word after the number (`12条`), English the
    /// noun, singular for one (`unit` is the plural).
    Count { zh: &'static str, one: &'static str },
    /// An international symbol, the same in both (`km²`, `MPa`); `%` goes straight on.
    Symbol,
    /// A calendar year: `2025年`, `2025`.
    Year,
    /// `10^power` of `base` (万 = 10⁴, 亿 = 10⁸), worked out in English.
    Multiple { power: u32, base: &'static str },
    /// 万亩: ten thousand mu (亩, 2000/3 m²), given in English as mu with the area in km².
    WanMu,
}

/// Every unit the layers use, with how it is written. The validator refuses a unit missing
/// here, so that no number shows a unit in one language only.
const UNITS: &[(&str, Kind)] = &[
    ("%", Kind::Symbol),
    ("km", Kind::Symbol),
    ("km²", Kind::Symbol),
    ("m", Kind::Symbol),
    ("m²", Kind::Symbol),
    ("ha", Kind::Symbol),
    ("km/km²", Kind::Symbol),
    ("t/d", Kind::Symbol),
    ("MPa", Kind::Symbol),
    ("kV", Kind::Symbol),
    ("year", Kind::Year),
    ("万m²", Kind::Multiple { power: 4, base: "m²" }),
    ("万m³/d", Kind::Multiple { power: 4, base: "m³/d" }),
    ("万t/d", Kind::Multiple { power: 4, base: "t/d" }),
    ("万kW", Kind::Multiple { power: 4, base: "kW" }),
    ("万元", Kind::Multiple { power: 4, base: "yuan" }),
    ("亿元", Kind::Multiple { power: 8, base: "yuan" }),
    ("元", Kind::Multiple { power: 0, base: "yuan" }),
    ("万亩", Kind::WanMu),
    ("areas", Kind::Count { zh: "片", one: "area" }),
    ("bases", Kind::Count { zh: "个", one: "base" }),
    ("bays", Kind::Count { zh: "个", one: "bay" }),
    ("beds", Kind::Count { zh: "张", one: "bed" }),
    ("belts", Kind::Count { zh: "条", one: "belt" }),
    ("boilers", Kind::Count { zh: "台", one: "boiler" }),
    ("booths", Kind::Count { zh: "个", one: "booth" }),
    ("bridges", Kind::Count { zh: "座", one: "bridge" }),
    ("buildings", Kind::Count { zh: "栋", one: "building" }),
    ("byways", Kind::Count { zh: "条", one: "byway" }),
    ("canteens", Kind::Count { zh: "个", one: "canteen" }),
    ("centres", Kind::Count { zh: "个", one: "centre" }),
    ("classes", Kind::Count { zh: "个班", one: "class" }),
    ("clinics", Kind::Count { zh: "个", one: "clinic" }),
    ("clusters", Kind::Count { zh: "个", one: "cluster" }),
    ("communities", Kind::Count { zh: "个", one: "community" }),
    ("cores", Kind::Count { zh: "个", one: "core" }),
    ("corridors", Kind::Count { zh: "条", one: "corridor" }),
    ("days", Kind::Count { zh: "天", one: "day" }),
    ("devices", Kind::Count { zh: "台", one: "device" }),
    ("estates", Kind::Count { zh: "个", one: "estate" }),
    ("exits", Kind::Count { zh: "个", one: "exit" }),
    ("facilities", Kind::Count { zh: "处", one: "facility" }),
    ("homes", Kind::Count { zh: "家", one: "home" }),
    ("households", Kind::Count { zh: "户", one: "household" }),
    ("institutions", Kind::Count { zh: "家", one: "institution" }),
    ("kindergartens", Kind::Count { zh: "所", one: "kindergarten" }),
    ("kiosks", Kind::Count { zh: "个", one: "kiosk" }),
    ("landmarks", Kind::Count { zh: "个", one: "landmark" }),
    ("lines", Kind::Count { zh: "条", one: "line" }),
    ("manholes", Kind::Count { zh: "座", one: "manhole" }),
    ("nodes", Kind::Count { zh: "个", one: "node" }),
    ("parks", Kind::Count { zh: "个", one: "park" }),
    ("pieces", Kind::Count { zh: "件", one: "piece" }),
    ("pitches", Kind::Count { zh: "块", one: "pitch" }),
    ("places", Kind::Count { zh: "个", one: "place" }),
    ("plants", Kind::Count { zh: "座", one: "plant" }),
    ("plots", Kind::Count { zh: "宗", one: "plot" }),
    ("points", Kind::Count { zh: "处", one: "point" }),
    ("projects", Kind::Count { zh: "个", one: "project" }),
    ("roads", Kind::Count { zh: "条", one: "road" }),
    ("schools", Kind::Count { zh: "所", one: "school" }),
    ("sets", Kind::Count { zh: "套", one: "set" }),
    ("shelters", Kind::Count { zh: "处", one: "shelter" }),
    ("shops", Kind::Count { zh: "户", one: "shop" }),
    ("shorelines", Kind::Count { zh: "段", one: "shoreline" }),
    ("sites", Kind::Count { zh: "处", one: "site" }),
    ("spaces", Kind::Count { zh: "个", one: "space" }),
    ("stations", Kind::Count { zh: "座", one: "station" }),
    ("stretches", Kind::Count { zh: "段", one: "stretch" }),
    ("substations", Kind::Count { zh: "座", one: "substation" }),
    ("terminals", Kind::Count { zh: "个", one: "terminal" }),
    ("toilets", Kind::Count { zh: "座", one: "toilet" }),
    ("towns", Kind::Count { zh: "个", one: "town" }),
    ("zones", Kind::Count { zh: "个", one: "zone" }),
];

fn kind(unit: &str) -> Option<Kind> {
    UNITS.iter().find(|(u, _)| *u == unit).map(|(_, k)| *k)
}

/// True when both languages know how to write `unit` (the validator's check).
pub fn is_known_unit(unit: &str) -> bool {
    kind(unit).is_some()
}

/// A decimal number as digits, exactly: `int` and `frac` hold no leading (`int`) or trailing
/// (`frac`) zeros, so zero is two empty strings.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// The digits of `v` as Rust prints it: the shortest decimal that reads back as `v`,
    /// never in exponent form. `None` for NaN and infinities.
    fn of(v: f64) -> Option<Decimal> {
        if !v.is_finite() {
            return None;
        }
        let s = format!("{v}");
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        Some(Decimal { negative, int: int.to_string(), frac: frac.to_string() }.normalised())
    }

    fn normalised(mut self) -> Decimal {
        self.int = self.int.trim_start_matches('0').to_string();
        self.frac = self.frac.trim_end_matches('0').to_string();
        if self.int.is_empty() && self.frac.is_empty() {
            self.negative = false;
        }
        self
    }

    /// Times 10^`power` (a negative power divides), by moving the decimal point.
    fn shifted(&self, power: i32) -> Decimal {
        let digits = format!("{}{}", self.int, self.frac);
        let point = self.int.len() as i64 + i64::from(power);
        let (int, frac) = if point <= 0 {
            (String::new(), format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)))
        } else if point as usize >= digits.len() {
            (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
        } else {
            (digits[..point as usize].to_string(), digits[point as usize..].to_string())
        };
        Decimal { negative: self.negative, int, frac }.normalised()
    }

    /// How many digits the whole part has (0 below one).
    fn int_digits(&self) -> usize {
        self.int.len()
    }

    /// Rounded to `places` decimals (half away from zero); true in `.1` when that changed it.
    fn rounded(&self, places: usize) -> (Decimal, bool) {
        if self.frac.len() <= places {
            return (self.clone(), false);
        }
        let round_up = self.frac.as_bytes()[places] >= b'5';
        let mut digits: Vec<u8> = format!("{}{}", self.int, &self.frac[..places]).into_bytes();
        if round_up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let split = digits.len() - places;
        let s = String::from_utf8(digits).unwrap_or_default();
        (Decimal { negative: self.negative, int: s[..split].to_string(), frac: s[split..].to_string() }.normalised(), true)
    }

    /// Divided by `by`, truncated after `extra` more decimals than `self` has; true in `.1`
    /// when something was left over (long division on the digits).
    fn divided(&self, by: u64, extra: usize) -> (Decimal, bool) {
        let digits = format!("{}{}{}", self.int, self.frac, "0".repeat(extra));
        let mut quotient = String::with_capacity(digits.len());
        let mut rem: u64 = 0;
        for c in digits.bytes() {
            let cur = rem * 10 + u64::from(c - b'0');
            quotient.push(char::from(b'0' + (cur / by.max(1)) as u8));
            rem = cur % by.max(1);
        }
        let q = Decimal { negative: self.negative, int: quotient, frac: String::new() }.normalised();
        (q.shifted(-((self.frac.len() + extra) as i32)), rem != 0)
    }

    /// Written out, the whole part grouped in thousands with `,` when `grouped`.
    fn write(&self, grouped: bool) -> String {
        let int = if self.int.is_empty() { "0".to_string() } else { self.int.clone() };
        let int = if grouped && int.len() > 3 {
            let lead = int.len() % 3;
            let mut out = String::with_capacity(int.len() + int.len() / 3);
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (i + 3 - lead) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        } else {
            int
        };
        let sign = if self.negative { "-" } else { "" };
        if self.frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{}", self.frac)
        }
    }
}

/// English for an exact amount of `base`: grouped below a million, else in millions or
/// billions (`35,000 m²`, `1.2 million m²`, `26 billion yuan`).
fn english_large(d: &Decimal, base: &str) -> Amount {
    let (value, scale) = match d.int_digits() {
        n if n >= 10 => (d.shifted(-9).write(true), " billion"),
        n if n >= 7 => (d.shifted(-6).write(false), " million"),
        _ => (d.write(true), ""),
    };
    Amount { value: format!("{value}{scale}"), unit: base.to_string(), spaced: true }
}

/// `value` in `unit` as each interface shows it. A unit the table does not know is shown as
/// it is written in both (the validator reports it).
pub fn amount(value: f64, unit: &str) -> Both<Amount> {
    let Some(d) = Decimal::of(value) else {
        let a = Amount { value: format!("{value}"), unit: unit.to_string(), spaced: true };
        return Both { zh: a.clone(), en: a };
    };
    let plain = |grouped: bool| d.write(grouped && d.int_digits() > 3);
    let same = |spaced: bool| Amount { value: plain(false), unit: unit.to_string(), spaced };
    match kind(unit) {
        None => Both { zh: same(true), en: Amount { value: plain(true), ..same(true) } },
        Some(Kind::Symbol) => {
            let spaced = unit != "%";
            Both { zh: same(spaced), en: Amount { value: plain(true), ..same(spaced) } }
        }
        Some(Kind::Year) => Both {
            zh: Amount { value: plain(false), unit: "年".into(), spaced: false },
            en: Amount { value: plain(false), unit: String::new(), spaced: false },
        },
        Some(Kind::Count { zh, one }) => Both {
            zh: Amount { value: plain(false), unit: zh.into(), spaced: false },
            en: Amount { value: plain(true), unit: if d.int == "1" && d.frac.is_empty() { one } else { unit }.into(), spaced: true },
        },
        Some(Kind::Multiple { power, base }) => {
            Both { zh: same(false), en: english_large(&d.shifted(i32::try_from(power).unwrap_or(0)), base) }
        }
        Some(Kind::WanMu) => {
            let mu = d.shifted(4);
            let en = english_large(&mu, "mu");
            // 1 mu = 2000/3 m², so n mu = n / 1500 km²: exact when it divides, else "about".
            let km2 = mu_to_km2(&mu);
            let gloss = match km2 {
                (k, false) => format!("{} ({} km²)", en.unit, k.write(true)),
                (k, true) => format!("{} (about {} km²)", en.unit, k.write(true)),
            };
            Both { zh: same(false), en: Amount { unit: gloss, ..en } }
        }
    }
}

/// `mu` mu in km² (1 mu = 2000/3 m², so n mu = n / 1500 km²), to two decimals below ten,
/// one below a hundred and none above, and whether that is rounded.
fn mu_to_km2(mu: &Decimal) -> (Decimal, bool) {
    let (km2, remainder) = mu.divided(1500, 12);
    let places = match km2.int_digits() {
        0 | 1 => 2,
        2 => 1,
        _ => 0,
    };
    let (r, changed) = km2.rounded(places);
    (r, changed || remainder)
}

/// Figures the app measured (not the plan's), for people: whole units from 10 up, one
/// decimal below, grouped in English.
pub fn measured(v: f64, unit: &str) -> Both<Amount> {
    let rounded = if v.abs() >= 10.0 { v.round() } else { (v * 10.0).round() / 10.0 };
    // `-0.0` prints a sign.
    amount(if rounded == 0.0 { 0.0 } else { rounded }, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(v: f64, unit: &str) -> String {
        amount(v, unit).zh.to_string()
    }

    fn en(v: f64, unit: &str) -> String {
        amount(v, unit).en.to_string()
    }

    #[test]
    fn wan_and_yi_are_worked_out_exactly_in_english() {
        assert_eq!(en(120.0, "万m²"), "1.2 million m²");
        assert_eq!(en(1.74, "万m²"), "17,400 m²");
        assert_eq!(en(784.0818, "万m²"), "7.840818 million m²", "no binary rounding");
        assert_eq!(en(866.26, "万m²"), "8.6626 million m²");
        assert_eq!(en(3595.0, "万m²"), "35.95 million m²");
        assert_eq!(en(82.0, "万t/d"), "820,000 t/d");
        assert_eq!(en(1.5, "万m³/d"), "15,000 m³/d");
        assert_eq!(en(2600.0, "万kW"), "26 million kW");
        assert_eq!(en(1700.0, "万元"), "17 million yuan");
        assert_eq!(en(50.0, "万元"), "500,000 yuan");
        assert_eq!(en(6.0, "亿元"), "600 million yuan");
        assert_eq!(en(260.0, "亿元"), "26 billion yuan");
        assert_eq!(en(0.35, "亿元"), "35 million yuan");
        assert_eq!(en(1234.5, "亿元"), "123.45 billion yuan");
        assert_eq!(en(0.0001, "万元"), "1 yuan");
        // Chinese keeps the plan's own way of writing it.
        assert_eq!(zh(784.0818, "万m²"), "784.0818万m²");
        assert_eq!(zh(6.0, "亿元"), "6亿元");
    }

    #[test]
    fn mu_are_given_with_their_area() {
        // 57,000 mu × 2000/3 m² = 38,000,000 m² exactly.
        assert_eq!(en(5.7, "万亩"), "57,000 mu (38 km²)");
        // 10,000 mu = 6.666… km².
        assert_eq!(en(1.0, "万亩"), "10,000 mu (about 6.67 km²)");
        assert_eq!(en(300.0, "万亩"), "3 million mu (2,000 km²)");
        assert_eq!(zh(5.7, "万亩"), "5.7万亩");
    }

    #[test]
    fn counts_take_a_measure_word_or_a_noun() {
        assert_eq!(zh(12.0, "roads"), "12条");
        assert_eq!(en(12.0, "roads"), "12 roads");
        assert_eq!(en(1.0, "byways"), "1 byway");
        assert_eq!(en(2848.0, "buildings"), "2,848 buildings");
        assert_eq!(zh(2848.0, "buildings"), "2848栋");
        assert_eq!(zh(4.5, "places"), "4.5个");
        assert_eq!(en(4.5, "places"), "4.5 places");
        assert_eq!(zh(36.0, "classes"), "36个班");
    }

    #[test]
    fn years_symbols_and_unknown_units() {
        assert_eq!(zh(2025.0, "year"), "2025年");
        assert_eq!(en(2025.0, "year"), "2025", "a year is neither grouped nor followed by a unit");
        assert_eq!(zh(90.0, "%"), "90%");
        assert_eq!(en(12.5, "km"), "12.5 km");
        assert_eq!(en(54000.0, "m²"), "54,000 m²");
        assert_eq!(zh(54000.0, "m²"), "54000 m²");
        assert_eq!(en(4.0, "MPa"), "4 MPa");
        assert!(!is_known_unit("furlongs"));
        assert_eq!(en(3.0, "furlongs"), "3 furlongs");
        assert_eq!(en(f64::NAN, "km"), "NaN km");
        // The number stays apart from its unit, for the card to set it in bold.
        assert_eq!(amount(120.0, "万m²").en, Amount { value: "1.2 million".into(), unit: "m²".into(), spaced: true });
    }

    #[test]
    fn every_unit_in_the_table_is_written_in_english_without_han() {
        for (unit, _) in UNITS {
            let e = en(3.0, unit);
            assert!(!e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{unit}: {e}");
            assert!(!zh(3.0, unit).is_empty());
        }
    }

    #[test]
    fn decimals_shift_and_round_exactly() {
        let d = |v: f64| Decimal::of(v).expect("finite");
        assert_eq!(d(0.0).write(true), "0");
        assert_eq!(d(-0.0).write(true), "0");
        assert_eq!(d(-1234567.25).write(true), "-1,234,567.25");
        assert_eq!(d(0.05).shifted(4).write(true), "500");
        assert_eq!(d(123.0).shifted(-5).write(true), "0.00123");
        assert_eq!(d(1e21).write(true), "1,000,000,000,000,000,000,000");
        assert_eq!(d(9.995).rounded(2), (d(10.0), true));
        assert_eq!(d(0.125).rounded(2).0.write(false), "0.13");
        assert_eq!(d(2.5).rounded(2), (d(2.5), false));
        assert_eq!(Decimal::of(f64::INFINITY), None);
        assert_eq!(d(57000.0).divided(1500, 3), (d(38.0), false));
        assert_eq!(d(1.0).divided(3, 4).0.write(false), "0.3333");
        assert!(d(1.0).divided(3, 4).1);
    }

    #[test]
    fn measured_figures_are_rounded_for_reading() {
        assert_eq!(measured(12.46, "km²").en.to_string(), "12 km²");
        assert_eq!(measured(3.26, "km").zh.to_string(), "3.3 km");
        assert_eq!(measured(12345.6, "km²").en.to_string(), "12,346 km²");
        assert_eq!(measured(5.34, "万亩").en.to_string(), "53,000 mu (about 35.3 km²)");
        assert_eq!(measured(-0.01, "km").en.to_string(), "0 km");
    }
}
