//! View state in the URL hash, e.g. `#f=eco-barrier-736&doc=004_807393adc7e55925.txt`.
//!
//! Parsing is field by field: an unknown or invalid field is dropped and reported, never the
//! whole state (as MapLibre's hash handling does). Values are percent-encoded on output.

/// What the hash can carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    /// Selected feature id.
    pub feature: Option<String>,
    /// Open plan document (seed file name).
    pub doc: Option<String>,
    /// 1-based seed line to open the document at (with `doc`).
    pub line: Option<usize>,
    /// Interface language: "zh" or "en".
    pub lang: Option<String>,
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 120 && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl UrlState {
    /// Parse a hash (with or without the leading `#`). Returns the state and a message for each
    /// field that was ignored.
    pub fn parse(hash: &str) -> (UrlState, Vec<String>) {
        let mut state = UrlState::default();
        let mut problems = Vec::new();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        for part in hash.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = part.split_once('=').unwrap_or((part, ""));
            let Some(value) = decode(raw) else {
                problems.push(format!("ignored “{key}”: its value is not valid percent-encoding"));
                continue;
            };
            match key {
                "f" if is_id(&value) => state.feature = Some(value),
                "doc" if is_id(&value) => state.doc = Some(value),
                "lang" if value == "zh" || value == "en" => state.lang = Some(value),
                "l" if value.parse::<usize>().is_ok_and(|n| (1..=1_000_000).contains(&n)) => {
                    state.line = value.parse().ok();
                }
                "f" | "doc" | "lang" | "l" => problems.push(format!("ignored “{key}”: “{}” is not a valid value", value.chars().take(40).collect::<String>())),
                _ => problems.push(format!("ignored unknown field “{}”", key.chars().take(40).collect::<String>())),
            }
        }
        (state, problems)
    }

    /// The hash for this state, starting with `#` (empty string when there is nothing to say).
    pub fn format(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.feature {
            parts.push(format!("f={}", encode(f)));
        }
        if let Some(d) = &self.doc {
            parts.push(format!("doc={}", encode(d)));
        }
        if let Some(l) = self.line {
            parts.push(format!("l={l}"));
        }
        if let Some(l) = &self.lang {
            parts.push(format!("lang={}", encode(l)));
        }
        if parts.is_empty() { String::new() } else { format!("#{}", parts.join("&")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = UrlState {
            feature: Some("eco-barrier-736".into()),
            doc: Some("004_807393adc7e55925.txt".into()),
            line: Some(455),
            lang: Some("en".into()),
        };
        assert_eq!(UrlState::parse(&s.format()), (s, vec![]));
        assert_eq!(UrlState::default().format(), "");
    }

    #[test]
    fn bad_fields_fall_back_one_by_one() {
        let (s, problems) = UrlState::parse("#f=<script>&lang=fr&doc=004_807393adc7e55925.txt&zoom=3&x=%ZZ&l=0");
        assert_eq!(s.feature, None);
        assert_eq!(s.lang, None);
        assert_eq!(s.doc.as_deref(), Some("004_807393adc7e55925.txt"));
        assert_eq!(s.line, None);
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("<script>"));
        let (empty, p) = UrlState::parse("");
        assert_eq!(empty, UrlState::default());
        assert!(p.is_empty());
    }
}
