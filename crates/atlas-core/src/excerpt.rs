//! Text anchoring: finding verbatim quotes in plan texts, explaining near misses, and cutting a
//! text into paragraphs and highlighted segments for the reader.
//!
//! Offsets are byte offsets into the seed text exactly as shipped (UTF-8), always on character
//! boundaries. Matching here is exact; folded matching for search lives elsewhere.

use std::ops::Range;

/// First occurrence of `quote` in `text`, as a byte range. Empty quotes are never found.
pub fn locate(text: &str, quote: &str) -> Option<Range<usize>> {
    if quote.is_empty() {
        return None;
    }
    text.find(quote).map(|s| s..s + quote.len())
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The best partial match of a quote that was not found verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    /// Characters of the quote that matched (a prefix or a suffix of it).
    pub matched_chars: usize,
    pub quote_chars: usize,
    /// 1-based line of the partial match in the text.
    pub line: usize,
    /// The text around the partial match, up to ~40 characters.
    pub context: String,
    /// Whether the matched part is the quote's start (prefix) or its end (suffix).
    pub is_prefix: bool,
}

impl std::fmt::Display for NearMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "nearest: the quote's first {} of {} characters match at line {}: «{}»",
            self.matched_chars, self.quote_chars, self.line, self.context
        )
        .map(|_| ())
        .and_then(|_| if self.is_prefix { Ok(()) } else { write!(f, " (matching its end)") })
    }
}

/// Longest prefix or suffix of `quote` (at least 2 characters) that occurs in `text`.
pub fn near_miss(text: &str, quote: &str) -> Option<NearMiss> {
    let chars: Vec<(usize, char)> = quote.char_indices().collect();
    let n = chars.len();
    let byte_at = |k: usize| if k >= n { quote.len() } else { chars[k].0 };
    // Occurrence is monotone in prefix length, so binary search the longest one found.
    let longest = |found: &dyn Fn(usize) -> bool| {
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if found(mid) {
                lo = mid
            } else {
                hi = mid - 1
            }
        }
        lo
    };
    let pre = longest(&|k| text.contains(&quote[..byte_at(k)]));
    let suf = longest(&|k| text.contains(&quote[byte_at(n - k)..]));
    let (k, is_prefix, part) = if pre >= suf { (pre, true, &quote[..byte_at(pre)]) } else { (suf, false, &quote[byte_at(n - suf)..]) };
    if k < 2 {
        return None;
    }
    let at = text.find(part)?;
    Some(NearMiss {
        matched_chars: k,
        quote_chars: n,
        line: line_of(text, at),
        context: context_around(text, at..at + part.len(), 40),
        is_prefix,
    })
}

/// About `max_chars` characters of `text` starting at the range, on one line.
fn context_around(text: &str, range: Range<usize>, max_chars: usize) -> String {
    let line_end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
    text[range.start..line_end].chars().take(max_chars).collect()
}

/// A highlight request: this byte range of the text belongs to this feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub range: Range<usize>,
    pub feature_id: String,
}

/// A run of text with the set of features whose excerpts cover it (empty: plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub range: Range<usize>,
    pub feature_ids: Vec<String>,
}

/// One line of the text (without its newline) cut into segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based line number in the seed file.
    pub line: usize,
    pub range: Range<usize>,
    pub segments: Vec<Segment>,
}

/// Cut `range` into segments at the boundaries of the highlights that overlap it; each segment
/// lists the features covering it (in the order of `highlights`).
pub fn segments(range: Range<usize>, highlights: &[Highlight]) -> Vec<Segment> {
    let covering: Vec<&Highlight> = highlights.iter().filter(|h| h.range.start < range.end && h.range.end > range.start).collect();
    let mut cuts = vec![range.start, range.end];
    for h in &covering {
        cuts.push(h.range.start.clamp(range.start, range.end));
        cuts.push(h.range.end.clamp(range.start, range.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| Segment {
            range: w[0]..w[1],
            feature_ids: covering.iter().filter(|h| h.range.start <= w[0] && h.range.end >= w[1]).map(|h| h.feature_id.clone()).collect(),
        })
        .collect()
}

/// Cut `text` into its lines, and each line into segments at highlight boundaries.
/// Highlights may overlap and may span lines; blank lines are kept (with no segments) so line
/// numbers stay those of the seed file.
pub fn paragraphs(text: &str, highlights: &[Highlight]) -> Vec<Paragraph> {
    crate::plan::lines(text)
        .into_iter()
        .map(|(line, range)| {
            let segments = if range.is_empty() { Vec::new() } else { segments(range.clone(), highlights) };
            Paragraph { line, range, segments }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "第一章 总则\n加快推进“871”重大生态建设工程。开展875平方公里湿地保护。\n\n建设绿屏·辛庄湾。";

    #[test]
    fn locate_exact_utf8() {
        let r = locate(TEXT, "“871”重大生态").expect("found");
        assert_eq!(&TEXT[r.clone()], "“871”重大生态");
        assert_eq!(line_of(TEXT, r.start), 2);
        assert!(locate(TEXT, "").is_none());
        assert!(locate(TEXT, "871重大").is_none());
    }

    #[test]
    fn near_miss_points_at_the_divergence() {
        // Simplified 湿 in the text, a typo 濕 in the quote's end.
        let nm = near_miss(TEXT, "开展875平方公里濕地保护").expect("partial");
        assert!(nm.is_prefix);
        assert_eq!(nm.matched_chars, 9);
        assert_eq!(nm.line, 2);
        assert!(nm.to_string().contains("9 of 13"), "{nm}");
        let suffix = near_miss(TEXT, "建設绿屏·辛庄湾").expect("partial");
        assert!(!suffix.is_prefix);
        assert_eq!(suffix.line, 4);
        assert!(near_miss(TEXT, "完全无关").is_none());
    }

    #[test]
    fn paragraphs_keep_lines_and_split_highlights() {
        let a = locate(TEXT, "“871”重大生态建设工程").expect("a");
        let b = locate(TEXT, "生态建设工程。开展875").expect("b");
        let hs = vec![Highlight { range: a, feature_id: "a".into() }, Highlight { range: b, feature_id: "b".into() }];
        let ps = paragraphs(TEXT, &hs);
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[2].range.len(), 0);
        assert!(ps[2].segments.is_empty());
        let line2 = &ps[1];
        let texts: Vec<(&str, Vec<String>)> = line2.segments.iter().map(|s| (&TEXT[s.range.clone()], s.feature_ids.clone())).collect();
        assert_eq!(texts[0], ("加快推进", vec![]));
        assert_eq!(texts[1], ("“871”重大", vec!["a".to_string()]));
        assert_eq!(texts[2], ("生态建设工程", vec!["a".to_string(), "b".to_string()]));
        assert_eq!(texts[3], ("。开展875", vec!["b".to_string()]));
        // Reassembling the segments gives the line back: no text lost.
        let joined: String = line2.segments.iter().map(|s| &TEXT[s.range.clone()]).collect();
        assert_eq!(joined, &TEXT[line2.range.clone()]);
    }

    #[test]
    fn highlight_spanning_lines_is_cut_per_line() {
        let r = locate(TEXT, "总则\n加快").expect("span");
        let ps = paragraphs(TEXT, &[Highlight { range: r, feature_id: "x".into() }]);
        assert_eq!(&TEXT[ps[0].segments.last().expect("seg").range.clone()], "总则");
        assert_eq!(ps[0].segments.last().expect("seg").feature_ids, vec!["x".to_string()]);
        assert_eq!(&TEXT[ps[1].segments[0].range.clone()], "加快");
    }
}
