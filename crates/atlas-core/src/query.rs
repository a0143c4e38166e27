//! A search query as people type it: split into terms on spaces and punctuation, quoted phrases
//! kept whole, English words folded (case, hyphens and dashes, simple plurals) and expanded
//! through the bilingual glossary (`data/glossary.json`) into the plans' Chinese, numbers read
//! with their units (600米, 600 m, 600 meters). Every term must match (the AND rule); each term
//! matches through any of its alternatives.

use std::collections::HashMap;

use crate::search::Folder;

/// One way a term can match: a folded needle and how much a match through it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub needle: String,
    /// 1.0 for the term as typed; less for a glossary translation or synonym.
    pub weight: f64,
    /// A Chinese expansion of an English word (shown as "matched 污水处理厂").
    pub translated: bool,
}

/// One term of a query; it matches a unit when any alternative occurs in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The term as the user typed it (folded).
    pub label: String,
    pub alts: Vec<Alt>,
    /// A quoted phrase (matched exactly, never expanded).
    pub phrase: bool,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
    /// The whole query folded with separators collapsed: an exact occurrence earns a bonus.
    pub whole: String,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// English ↔ Chinese vocabulary of the plans.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// Stemmed English phrase (words joined by one space) → entry index.
    en: HashMap<String, usize>,
    /// Folded Chinese term → entry index.
    zh: HashMap<String, usize>,
    /// Folded Chinese terms of each entry.
    entries: Vec<Vec<String>>,
    /// The longest English phrase, in words.
    max_words: usize,
}

impl Glossary {
    /// Parse `{"entries": [{"en": [...], "zh": [...]}, ...]}`.
    pub fn parse(folder: &Folder, json: &str) -> Result<Glossary, String> {
        // Read through serde_json's Value (already in the app for GeoJSON) rather than a derived
        // deserializer: the same checks, less code in the wasm.
        let file: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("glossary: {e}"))?;
        let entries = file.get("entries").and_then(|e| e.as_array()).ok_or("glossary: no \"entries\" array")?;
        let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|a| a.as_array()).into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
        };
        let mut g = Glossary::default();
        for (i, e) in entries.iter().enumerate() {
            let zh: Vec<String> = strings(e.get("zh")).iter().map(|z| folder.fold(z.trim())).filter(|z| !z.is_empty()).collect();
            if zh.is_empty() {
                return Err(format!("glossary: entry {i} has no Chinese term"));
            }
            for en in &strings(e.get("en")) {
                let words = english_words(&folder.fold(en));
                if words.is_empty() {
                    continue;
                }
                g.max_words = g.max_words.max(words.len());
                g.en.entry(words.join(" ")).or_insert(i);
            }
            for z in &zh {
                g.zh.entry(z.clone()).or_insert(i);
            }
            g.entries.push(zh);
        }
        Ok(g)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// English words of folded text: runs of ASCII letters and digits (hyphens, dashes, slashes
/// and other punctuation separate), each stemmed.
fn english_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(stem).collect()
}

/// Simple English plurals to the singular: parks → park, facilities → facility, buses → bus.
pub fn stem(w: &str) -> String {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if matches!(w, "buses" | "gases" | "campuses") {
        return w[..n - 2].to_string();
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if n > suffix.len() && w.ends_with(suffix) {
            return w[..n - 2].to_string();
        }
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// Words that carry no meaning in a question ("parks in Nankai", "where is the …").
const STOP: [&str; 24] = [
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "near", "where", "what", "which", "is", "are", "me",
    "my", "i", "there", "any",
];

/// Units written after numbers, and how the plans (and English) write them.
const UNITS: [(&[&str], &[&str]); 7] = [
    (&["平方公里", "km2", "km²", "square kilometre", "square kilometer", "sq km"], &["平方公里", "km2", "km²"]),
    (&["公里", "km", "kilometre", "kilometer"], &["公里", "km"]),
    (&["米", "m", "metre", "meter"], &["米", "m"]),
    (&["万亩"], &["万亩"]),
    (&["亩", "mu"], &["亩"]),
    (&["%", "percent", "per cent"], &["%"]),
    (&["座", "个", "处", "所", "条"], &[]),
];

/// The number-and-unit alternatives for `num` followed by unit words `unit` (stemmed), if the
/// unit is known.
fn number_with_unit(num: &str, unit: &str) -> Option<Vec<String>> {
    let (_, written) = UNITS.iter().find(|(names, _)| names.iter().any(|n| stem(n) == unit || *n == unit))?;
    if written.is_empty() {
        return Some(vec![format!("{num}{unit}")]);
    }
    Some(written.iter().flat_map(|w| [format!("{num}{w}"), format!("{num} {w}")]).collect())
}

#[derive(Debug, PartialEq)]
enum Token {
    Phrase(String),
    Word(String),
    Han(String),
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '」' | '『' | '』')
}

/// Split folded text into phrases (in quotes), English words (ASCII letters and digits) and
/// Chinese runs (Han characters, with the digits and % that belong to them: 1号线, 600米).
fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_quote(c) {
            let end = chars[i + 1..].iter().position(|&d| is_quote(d)).map_or(chars.len(), |p| i + 1 + p);
            let phrase: String = chars[i + 1..end].iter().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            if !phrase.is_empty() {
                out.push(Token::Phrase(phrase));
            }
            i = end + 1;
            continue;
        }
        if is_han(c) || c.is_ascii_digit() {
            // A run of Han characters and digits (and % or . inside numbers) that holds a Han
            // character is Chinese; a run of digits and ASCII letters is a word.
            let mut j = i;
            while j < chars.len()
                && (is_han(chars[j])
                    || chars[j].is_ascii_digit()
                    || (matches!(chars[j], '.' | '%') && j > i && chars[j - 1].is_ascii_digit()))
            {
                j += 1;
            }
            let run: String = chars[i..j].iter().collect();
            if run.chars().any(is_han) {
                out.push(Token::Han(run));
                i = j;
                continue;
            }
        }
        if c.is_ascii_alphanumeric() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || (chars[j] == '.' && j + 1 < chars.len() && chars[j + 1].is_ascii_digit()))
            {
                j += 1;
            }
            // A number glued to a unit (600m, 5g) stays one word; a % after a number joins it.
            if j < chars.len() && chars[j] == '%' {
                j += 1;
            }
            out.push(Token::Word(chars[i..j].iter().collect()));
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

fn leading_number(w: &str) -> Option<(&str, &str)> {
    let end = w.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(w.len());
    (end > 0).then(|| (&w[..end], &w[end..]))
}

/// Parse a typed query.
pub fn parse(folder: &Folder, glossary: &Glossary, input: &str) -> Query {
    let folded = folder.fold(input);
    let tokens = tokenize(&folded);
    let mut terms: Vec<Term> = Vec::new();
    let plain = |label: &str| Term {
        label: label.to_string(),
        alts: vec![Alt { needle: label.to_string(), weight: 1.0, translated: false }],
        phrase: false,
    };
    let mut words: Vec<String> = Vec::new();
    let flush_words = |words: &mut Vec<String>, terms: &mut Vec<Term>| {
        let all_stop = words.iter().all(|w| STOP.contains(&w.as_str()));
        let mut k = 0;
        while k < words.len() {
            // A number followed by its unit: 600 m, 600 meters, 600m.
            if let Some((num, rest)) = leading_number(&words[k]) {
                let unit = if rest.is_empty() { words.get(k + 1).map(|u| stem(u)) } else { Some(stem(rest)) };
                if let Some(alts) = unit.as_deref().and_then(|u| number_with_unit(num, u)) {
                    terms.push(Term {
                        label: alts[0].clone(),
                        alts: alts.into_iter().map(|n| Alt { needle: n, weight: 1.0, translated: false }).collect(),
                        phrase: false,
                    });
                    k += if rest.is_empty() { 2 } else { 1 };
                    continue;
                }
            }
            // The longest glossary phrase starting here.
            let mut matched = None;
            for len in (1..=glossary.max_words.min(words.len() - k)).rev() {
                let key = words[k..k + len].join(" ");
                if let Some(&e) = glossary.en.get(&key) {
                    matched = Some((len, key, e));
                    break;
                }
            }
            match matched {
                Some((len, key, e)) => {
                    let mut alts = vec![Alt { needle: key.clone(), weight: 1.0, translated: false }];
                    alts.extend(glossary.entries[e].iter().map(|z| Alt { needle: z.clone(), weight: 0.9, translated: true }));
                    terms.push(Term { label: key, alts, phrase: false });
                    k += len;
                }
                None => {
                    let w = &words[k];
                    if all_stop || !STOP.contains(&w.as_str()) {
                        terms.push(plain(w));
                    }
                    k += 1;
                }
            }
        }
        words.clear();
    };
    for t in tokens {
        match t {
            Token::Word(w) => {
                words.push(stem(&w));
            }
            Token::Phrase(p) => {
                flush_words(&mut words, &mut terms);
                terms.push(Term { phrase: true, ..plain(&p) });
            }
            Token::Han(h) => {
                flush_words(&mut words, &mut terms);
                // 600米 and the like.
                if let Some((num, unit)) = leading_number(&h).filter(|(_, u)| !u.is_empty()) {
                    if let Some(alts) = number_with_unit(num, unit) {
                        terms.push(Term {
                            label: h.clone(),
                            alts: alts.into_iter().map(|n| Alt { needle: n, weight: 1.0, translated: false }).collect(),
                            phrase: false,
                        });
                        continue;
                    }
                }
                let mut term = plain(&h);
                // The plans' synonyms from the glossary (地铁 ~ 轨道交通).
                if let Some(&e) = glossary.zh.get(&h) {
                    for z in glossary.entries[e].iter().filter(|z| **z != h) {
                        term.alts.push(Alt { needle: z.clone(), weight: 0.7, translated: false });
                    }
                }
                terms.push(term);
            }
        }
    }
    flush_words(&mut words, &mut terms);
    // The same term twice counts once.
    let mut seen = std::collections::HashSet::new();
    terms.retain(|t| seen.insert(t.label.clone()));
    let whole = tokenize(&folded)
        .into_iter()
        .map(|t| match t {
            Token::Phrase(s) | Token::Word(s) | Token::Han(s) => s,
        })
        .collect::<Vec<_>>()
        .join(" ");
    Query { terms, whole }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::folder;

    fn glossary(f: &Folder) -> Glossary {
        Glossary::parse(
            f,
            r#"{"entries":[
              {"en":["sewage","wastewater","waste water"],"zh":["污水"]},
              {"en":["sewage treatment plant","wastewater treatment plant"],"zh":["污水处理厂","污水厂"]},
              {"en":["park"],"zh":["公园"]},
              {"en":["pocket park"],"zh":["口袋公园"]},
              {"en":["metro","subway","rail transit"],"zh":["地铁","轨道交通"]},
              {"en":["green screen","eco-barrier"],"zh":["绿屏","生态屏障"]},
              {"en":["nankai"],"zh":["南开"]}
            ]}"#,
        )
        .expect("glossary")
    }

    fn labels(q: &Query) -> Vec<&str> {
        q.terms.iter().map(|t| t.label.as_str()).collect()
    }

    fn needles(t: &Term) -> Vec<&str> {
        t.alts.iter().map(|a| a.needle.as_str()).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        let f = folder();
        let g = Glossary::default();
        assert_eq!(labels(&parse(&f, &g, "南开 地铁")), ["南开", "地铁"]);
        assert_eq!(labels(&parse(&f, &g, "南开，地铁。公园")), ["南开", "地铁", "公园"]);
        assert_eq!(labels(&parse(&f, &g, "河西　公园")), ["河西", "公园"], "an ideographic space splits");
        assert_eq!(labels(&parse(&f, &g, "1号线 M8线")), ["1号线", "m8", "线"]);
        assert_eq!(labels(&parse(&f, &g, "  ")), Vec::<&str>::new());
        assert_eq!(labels(&parse(&f, &g, "公园 公園")), ["公园"], "a repeated term (after folding) counts once");
    }

    #[test]
    fn quoted_phrases_stay_whole() {
        let f = folder();
        let g = glossary(&f);
        let q = parse(&f, &g, "\"pocket parks\" 南开 “一核 三带”");
        assert_eq!(labels(&q), ["pocket parks", "南开", "一核 三带"]);
        assert!(q.terms[0].phrase && q.terms[2].phrase);
        assert_eq!(needles(&q.terms[0]), ["pocket parks"], "a phrase is neither stemmed nor expanded");
    }

    #[test]
    fn english_folds_case_hyphens_and_plurals() {
        let f = folder();
        let g = Glossary::default();
        assert_eq!(labels(&parse(&f, &g, "Green-Screen")), ["green", "screen"]);
        assert_eq!(labels(&parse(&f, &g, "green screen")), ["green", "screen"]);
        assert_eq!(labels(&parse(&f, &g, "north–south belts")), ["north", "south", "belt"]);
        assert_eq!(labels(&parse(&f, &g, "facilities buses stations class")), ["facility", "bus", "station", "class"]);
        assert_eq!(labels(&parse(&f, &g, "parks in Nankai")), ["park", "nankai"], "stop words are dropped");
        assert_eq!(labels(&parse(&f, &g, "the")), ["the"], "unless nothing else is left");
    }

    #[test]
    fn the_glossary_expands_english_into_the_plans_chinese() {
        let f = folder();
        let g = glossary(&f);
        let q = parse(&f, &g, "Wastewater Treatment Plants");
        assert_eq!(labels(&q), ["wastewater treatment plant"], "the longest glossary phrase wins");
        assert_eq!(needles(&q.terms[0]), ["wastewater treatment plant", "污水处理厂", "污水厂"]);
        assert!(q.terms[0].alts[1].translated && q.terms[0].alts[1].weight < 1.0);
        let q = parse(&f, &g, "Nankai subway");
        assert_eq!(needles(&q.terms[1]), ["subway", "地铁", "轨道交通"]);
        let q = parse(&f, &g, "green-screen");
        assert_eq!(labels(&q), ["green screen"]);
        // A Chinese term gains the plans' synonyms, counted for less.
        let q = parse(&f, &g, "地铁");
        assert_eq!(needles(&q.terms[0]), ["地铁", "轨道交通"]);
        assert!(q.terms[0].alts[1].weight < 1.0 && !q.terms[0].alts[1].translated);
    }

    #[test]
    fn a_bad_glossary_is_an_error() {
        let f = folder();
        assert!(Glossary::parse(&f, "[").is_err());
        assert!(Glossary::parse(&f, r#"{"entries": 3}"#).is_err());
        assert!(Glossary::parse(&f, r#"{"entries": [{"en": ["x"], "zh": []}]}"#).unwrap_err().contains("entry 0"));
        assert_eq!(glossary(&f).len(), 7);
    }

    #[test]
    fn numbers_are_read_with_their_units() {
        let f = folder();
        let g = Glossary::default();
        for typed in ["600米", "600 m", "600 meters", "600m", "600 metres"] {
            let q = parse(&f, &g, typed);
            assert_eq!(q.terms.len(), 1, "{typed}: {q:?}");
            let n = needles(&q.terms[0]);
            assert!(n.contains(&"600米") && n.contains(&"600m") && n.contains(&"600 m"), "{typed}: {n:?}");
        }
        let q = parse(&f, &g, "736 km2");
        assert!(needles(&q.terms[0]).contains(&"736平方公里"));
        assert_eq!(labels(&parse(&f, &g, "600")), ["600"]);
        assert_eq!(labels(&parse(&f, &g, "27.6%")), ["27.6%"]);
    }
}
