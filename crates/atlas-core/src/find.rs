//! The ranked search: one list of plan clauses and map features, scored with BM25 (each kind
//! normalised by its own average length), every term of the query required in the same unit
//! (a clause, or a feature's names and description), with bonuses for the exact phrase, for
//! terms close together and for a feature whose name is the query.
//!
//! A clause is a sentence of a plan (split at 。；！？ and line ends). A document's titles count
//! as context for each of its clauses ("南开 地铁" finds the Nankai plan's metro clauses), for
//! less than a match in the clause itself.

use std::collections::HashMap;
use std::ops::Range;

use crate::query::{Alt, Query};
use crate::search::Folder;

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A term met only in the document's titles counts this much of a match in the clause.
const CONTEXT_WEIGHT: f64 = 0.4;
/// A feature's description and layer title count this much of its names.
const DESCRIPTION_WEIGHT: f64 = 0.6;
const LAYER_WEIGHT: f64 = 0.3;
const PHRASE_BONUS: f64 = 2.0;
const NEAR_BONUS: f64 = 1.0;
/// Terms whose first matches lie within this many characters are "close together".
const NEAR_CHARS: usize = 24;
const NAME_IS_QUERY_BONUS: f64 = 3.0;
/// Units shorter than this share of their kind's average length are scored as if that long.
const SHORT_FLOOR: f64 = 0.8;
/// A heading ("1.努力探索口袋公园建设。", "(二)…") counts this much of a clause, so that the
/// clause under it comes first.
const HEADING_WEIGHT: f64 = 0.7;
/// Each earlier result from the same layer lowers a feature's score by this factor (five
/// districts of one table do not bury the clause that answers).
const SAME_LAYER_DECAY: f64 = 0.8;

struct Doc {
    folded: String,
    /// (folded byte offset, original byte offset) per character (u32: plans are far below 4 GB,
    /// and the map is most of the index's memory).
    map: Vec<(u32, u32)>,
    orig_len: usize,
    /// Folded titles of the document.
    context: String,
    /// Clause i spans folded bytes `starts[i]..starts[i + 1]` (the last one to the end).
    starts: Vec<usize>,
}

impl Doc {
    fn to_orig(&self, folded_byte: usize) -> usize {
        match self.map.binary_search_by_key(&folded_byte, |&(f, _)| f as usize) {
            Ok(i) => self.map[i].1 as usize,
            Err(i) => self.map.get(i).map_or(self.orig_len, |&(_, o)| o as usize),
        }
    }

    fn clause_of(&self, folded_byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= folded_byte).saturating_sub(1)
    }

    fn clause_range(&self, i: usize) -> Range<usize> {
        self.starts[i]..self.starts.get(i + 1).copied().unwrap_or(self.folded.len())
    }
}

struct FeatureEntry {
    id: String,
    /// Folded zh and en names (hyphens and dashes as spaces), then description, then layer.
    names: String,
    description: String,
    layer: String,
    name_zh: String,
    name_en: String,
}

/// Fold for English matching too: hyphens, dashes, slashes and colons as spaces.
fn fold_words(folder: &Folder, s: &str) -> String {
    folder.fold(s).chars().map(|c| if matches!(c, '-' | '–' | '—' | '/' | ':' | '_' | '·' | ',') { ' ' } else { c }).collect()
}

/// Where a result is.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A clause: the document's index (in the order added), its byte range in the original
    /// text, and the byte ranges of every term's matches inside it.
    Clause {
        doc: usize,
        range: Range<usize>,
        marks: Vec<Range<usize>>,
    },
    Feature {
        id: String,
    },
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub found: Found,
    pub score: f64,
    /// The Chinese words an English term matched through (a glossary translation).
    pub translated: Vec<String>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// Best first.
    pub hits: Vec<Hit>,
    /// How many units matched (more than `hits` when cut at the limit).
    pub total: usize,
    /// Terms that occur nowhere (in no clause, title or feature): left out so that the other
    /// terms still find something ("EV charging piles"); the page says so.
    pub ignored: Vec<String>,
}

/// Which results to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Only {
    #[default]
    All,
    Features,
    Text,
    /// Clauses of one document (its index).
    Doc(usize),
}

/// The index of the plans' clauses and the features.
#[derive(Default)]
pub struct FindIndex {
    docs: Vec<Doc>,
    features: Vec<FeatureEntry>,
    clause_count: usize,
    avg_clause: f64,
    avg_feature: f64,
}

/// Per clause: for each term, the best (weight, count, first folded position, translated).
type TermMatch = Option<(f64, usize, usize, bool)>;
/// Per feature: for each term, the best (weight, count, translated).
type FeatureMatch = Option<(f64, usize, bool)>;
/// A term resolved for a clause: (weight, count, first position in the clause if there, translated).
type Resolved = (f64, usize, Option<usize>, bool);

impl FindIndex {
    /// Add a plan text with its titles (zh and en, for context).
    pub fn add_doc(&mut self, folder: &Folder, titles: &str, text: &str) {
        let (folded, map) = folder.fold_with_offsets(text);
        let mut starts = vec![0];
        let mut prev_end = false;
        for (i, c) in folded.char_indices() {
            if prev_end && i < folded.len() {
                starts.push(i);
            }
            prev_end = matches!(c, '。' | ';' | '；' | '!' | '！' | '?' | '？' | '\n');
        }
        self.clause_count += starts.len();
        let map = map.into_iter().map(|(f, o)| (f as u32, o as u32)).collect();
        self.docs.push(Doc { folded, map, orig_len: text.len(), context: fold_words(folder, titles), starts });
        self.recompute_averages();
    }

    /// Add a feature: its names, its English description and its layer's titles.
    pub fn add_feature(&mut self, folder: &Folder, id: &str, name_zh: &str, name_en: &str, description: &str, layer: &str) {
        self.features.push(FeatureEntry {
            id: id.to_string(),
            names: format!("{} | {}", fold_words(folder, name_zh), fold_words(folder, name_en)),
            description: fold_words(folder, description),
            layer: fold_words(folder, layer),
            name_zh: fold_words(folder, name_zh).trim().to_string(),
            name_en: fold_words(folder, name_en).trim().to_string(),
        });
        self.recompute_averages();
    }

    fn recompute_averages(&mut self) {
        let clause_chars: usize = self.docs.iter().map(|d| d.folded.chars().count()).sum();
        self.avg_clause = clause_chars as f64 / self.clause_count.max(1) as f64;
        let feature_chars: usize = self.features.iter().map(|f| f.names.chars().count() + f.description.chars().count()).sum();
        self.avg_feature = feature_chars as f64 / self.features.len().max(1) as f64;
    }

    /// Number of clauses and features.
    pub fn sizes(&self) -> (usize, usize) {
        (self.clause_count, self.features.len())
    }

    /// Approximate heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        let docs: usize =
            self.docs.iter().map(|d| d.folded.capacity() + d.context.capacity() + d.map.capacity() * 8 + d.starts.capacity() * 8).sum();
        let feats: usize = self
            .features
            .iter()
            .map(|f| {
                f.id.capacity()
                    + f.names.capacity()
                    + f.description.capacity()
                    + f.layer.capacity()
                    + f.name_zh.capacity()
                    + f.name_en.capacity()
            })
            .sum();
        docs + feats
    }

    /// The ranked results for `q`, best first, at most `limit`.
    pub fn find(&self, q: &Query, only: Only, limit: usize) -> Results {
        if q.is_empty() {
            return Results::default();
        }
        // A term found nowhere at all is left out (when another term is found).
        let found_anywhere = |t: &crate::query::Term| {
            t.alts.iter().any(|a| {
                let n = a.needle.as_str();
                self.docs.iter().any(|d| d.folded.contains(n) || d.context.contains(n))
                    || self.features.iter().any(|f| f.names.contains(n) || f.description.contains(n) || f.layer.contains(n))
            })
        };
        let live: Vec<bool> = q.terms.iter().map(found_anywhere).collect();
        if live.iter().any(|l| !l) && live.iter().any(|l| *l) {
            let kept =
                Query { terms: q.terms.iter().zip(&live).filter(|(_, l)| **l).map(|(t, _)| t.clone()).collect(), whole: q.whole.clone() };
            let mut r = self.find(&kept, only, limit);
            r.ignored = q.terms.iter().zip(&live).filter(|(_, l)| !**l).map(|(t, _)| t.label.clone()).collect();
            return r;
        }
        let nt = q.terms.len();
        // Clause matches: (doc, clause) → per-term best match.
        let mut clauses: HashMap<(usize, usize), Vec<TermMatch>> = HashMap::new();
        // Document context matches: doc → per-term weight.
        let mut context: Vec<Vec<Option<(f64, bool)>>> = vec![vec![None; nt]; self.docs.len()];
        let mut df = vec![0usize; nt];
        let want_text = !matches!(only, Only::Features);
        let want_features = matches!(only, Only::All | Only::Features);
        for (d, doc) in self.docs.iter().enumerate() {
            if let Only::Doc(k) = only {
                if k != d {
                    continue;
                }
            }
            if !want_text {
                break;
            }
            for (t, term) in q.terms.iter().enumerate() {
                for alt in &term.alts {
                    if doc.context.contains(alt.needle.as_str()) {
                        let best = &mut context[d][t];
                        if best.is_none_or(|(w, _)| alt.weight > w) {
                            *best = Some((alt.weight, alt.translated));
                        }
                    }
                    for (at, _) in doc.folded.match_indices(alt.needle.as_str()) {
                        let c = doc.clause_of(at);
                        let entry = clauses.entry((d, c)).or_insert_with(|| vec![None; nt]);
                        let m = &mut entry[t];
                        match m {
                            Some((w, n, first, _)) if *w >= alt.weight => {
                                *n += 1;
                                *first = (*first).min(at);
                            }
                            _ => {
                                let n = m.map_or(0, |x| x.1) + 1;
                                *m = Some((alt.weight, n, at, alt.translated));
                            }
                        }
                    }
                }
            }
        }
        // Document frequencies (clauses holding the term).
        for per_term in clauses.values() {
            for (t, m) in per_term.iter().enumerate() {
                if m.is_some() {
                    df[t] += 1;
                }
            }
        }
        // Feature matches.
        let mut feats: Vec<(usize, Vec<FeatureMatch>)> = Vec::new();
        if want_features {
            for (i, f) in self.features.iter().enumerate() {
                let mut per: Vec<FeatureMatch> = vec![None; nt];
                for (t, term) in q.terms.iter().enumerate() {
                    for alt in &term.alts {
                        let n = alt.needle.as_str();
                        let (w, count) = if f.names.contains(n) {
                            (alt.weight, f.names.matches(n).count())
                        } else if f.description.contains(n) {
                            (alt.weight * DESCRIPTION_WEIGHT, f.description.matches(n).count())
                        } else if f.layer.contains(n) {
                            (alt.weight * LAYER_WEIGHT, 1)
                        } else {
                            continue;
                        };
                        if per[t].is_none_or(|(bw, _, _)| w > bw) {
                            per[t] = Some((w, count, alt.translated));
                        }
                    }
                }
                if per.iter().any(Option::is_some) {
                    for (t, m) in per.iter().enumerate() {
                        if m.is_some() {
                            df[t] += 1;
                        }
                    }
                }
                if per.iter().all(Option::is_some) {
                    feats.push((i, per));
                }
            }
        }
        let n_units = (self.clause_count + self.features.len()) as f64;
        let idf: Vec<f64> = df.iter().map(|&n| (1.0 + (n_units - n as f64 + 0.5) / (n as f64 + 0.5)).ln()).collect();
        let bm25 = |tf: usize, len: f64, avg: f64| {
            let tf = tf as f64;
            tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)))
        };
        let whole = &q.whole;
        let mut hits: Vec<Hit> = Vec::new();
        let mut matched = 0usize;
        for ((d, c), per) in &clauses {
            let doc = &self.docs[*d];
            // Every term must be in the clause or the document's titles.
            let resolved: Option<Vec<Resolved>> = per
                .iter()
                .enumerate()
                .map(|(t, m)| match m {
                    Some((w, n, first, tr)) => Some((*w, *n, Some(*first), *tr)),
                    None => context[*d][t].map(|(w, tr)| (w * CONTEXT_WEIGHT, 1, None, tr)),
                })
                .collect();
            let Some(resolved) = resolved else { continue };
            // At least one term must be in the clause itself.
            if resolved.iter().all(|r| r.2.is_none()) {
                continue;
            }
            matched += 1;
            let range = doc.clause_range(*c);
            let text = &doc.folded[range.clone()];
            // Short units (a heading) get no length boost over the clauses under them.
            let len = (text.chars().count() as f64).max(self.avg_clause * SHORT_FLOOR);
            let mut score: f64 = resolved.iter().enumerate().map(|(t, (w, n, _, _))| idf[t] * w * bm25(*n, len, self.avg_clause)).sum();
            if nt > 1 && !whole.is_empty() && (text.contains(whole.as_str()) || text.contains(whole.replace(' ', "").as_str())) {
                score += PHRASE_BONUS;
            }
            let firsts: Vec<usize> = resolved.iter().filter_map(|r| r.2).collect();
            if firsts.len() > 1 {
                let (lo, hi) = (firsts.iter().min().copied().unwrap_or(0), firsts.iter().max().copied().unwrap_or(0));
                if doc.folded[lo..hi].chars().count() <= NEAR_CHARS {
                    score += NEAR_BONUS;
                }
            }
            if is_heading(&doc.folded, range.clone()) {
                score *= HEADING_WEIGHT;
            }
            let translated = translated_words(q, per.iter().map(|m| m.map(|(w, _, _, tr)| (w, tr))));
            hits.push(Hit { found: Found::Clause { doc: *d, range: range.clone(), marks: Vec::new() }, score, translated });
        }
        for (i, per) in &feats {
            matched += 1;
            let f = &self.features[*i];
            let len = ((f.names.chars().count() + f.description.chars().count()) as f64).max(self.avg_feature * SHORT_FLOOR);
            let mut score: f64 =
                per.iter().enumerate().map(|(t, m)| m.map_or(0.0, |(w, n, _)| idf[t] * w * bm25(n, len, self.avg_feature))).sum();
            let w = whole.as_str();
            if !w.is_empty() && (f.name_zh == w || f.name_en == w || f.name_en.trim_end_matches(" station") == w) {
                score += NAME_IS_QUERY_BONUS;
            } else if nt > 1 && (f.names.contains(w) || f.description.contains(w)) {
                score += PHRASE_BONUS;
            }
            let translated = translated_words(q, per.iter().map(|m| m.map(|(w, _, tr)| (w, tr))));
            hits.push(Hit { found: Found::Feature { id: f.id.clone() }, score, translated });
        }
        // Best first; ties in document order, clauses before features.
        let by_score = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then_with(|| order_key(&a.found).cmp(&order_key(&b.found)));
        hits.sort_by(by_score);
        // Many features of one layer in a row: each later one counts for less.
        let layer_of: HashMap<&str, &str> =
            feats.iter().map(|(i, _)| (self.features[*i].id.as_str(), self.features[*i].layer.as_str())).collect();
        let mut seen: HashMap<&str, i32> = HashMap::new();
        for h in &mut hits {
            if let Found::Feature { id } = &h.found {
                if let Some(layer) = layer_of.get(id.as_str()) {
                    let n = seen.entry(layer).or_insert(0);
                    h.score *= SAME_LAYER_DECAY.powi(*n);
                    *n += 1;
                }
            }
        }
        hits.sort_by(by_score);
        hits.truncate(limit);
        for h in &mut hits {
            if let Found::Clause { doc, range, marks } = &mut h.found {
                let d = &self.docs[*doc];
                let folded_range = range.clone();
                *marks = self.marks(*doc, q, folded_range.clone());
                *range = d.to_orig(folded_range.start)..d.to_orig(folded_range.end);
            }
        }
        Results { hits, total: matched, ignored: Vec::new() }
    }

    /// Original byte ranges of every alternative's matches inside a clause (folded range).
    fn marks(&self, d: usize, q: &Query, clause: Range<usize>) -> Vec<Range<usize>> {
        let doc = &self.docs[d];
        let text = &doc.folded[clause.clone()];
        let mut out: Vec<Range<usize>> = Vec::new();
        for alt in q.terms.iter().flat_map(|t| t.alts.iter()) {
            for (at, m) in text.match_indices(alt.needle.as_str()) {
                let (s, e) = (clause.start + at, clause.start + at + m.len());
                out.push(doc.to_orig(s)..doc.to_orig(e));
            }
        }
        out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        // Drop marks inside an earlier one.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in out {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// A clause `range` of `text` as (text, marked) pieces for a result snippet: from about `lead`
/// characters before the first mark, about `shown` characters in all, with "…" where cut.
pub fn snippet_pieces(text: &str, range: Range<usize>, marks: &[Range<usize>], lead: usize, shown: usize) -> Vec<(String, bool)> {
    let clause = text[range.clone()].trim_end();
    let end = range.start + clause.len();
    let first = marks.first().map_or(range.start, |m| m.start.clamp(range.start, end));
    let start = text[range.start..first].char_indices().rev().nth(lead.saturating_sub(1)).map_or(range.start, |(i, _)| range.start + i);
    let mut out = Vec::new();
    if start > range.start {
        out.push(("…".to_string(), false));
    }
    let mut at = start;
    let mut count = 0;
    for m in marks {
        if count >= shown {
            break;
        }
        if m.start < at || m.end > end {
            continue;
        }
        let plain = &text[at..m.start];
        count += plain.chars().count() + text[m.clone()].chars().count();
        out.push((plain.to_string(), false));
        out.push((text[m.clone()].to_string(), true));
        at = m.end;
    }
    let rest: String = text[at..end].chars().take(shown.saturating_sub(count).max(12)).collect();
    let cut = rest.len() < end - at;
    out.push((rest, false));
    if cut {
        out.push(("…".to_string(), false));
    }
    out.retain(|(s, _)| !s.is_empty());
    out
}

/// A heading: a short clause opening a line with an enumerator ("1.努力探索口袋公园建设。",
/// "(二)…", a run-in heading too), or a short whole line without a full stop.
fn is_heading(folded: &str, range: Range<usize>) -> bool {
    let at_line_start = range.start == 0 || folded[..range.start].ends_with('\n');
    let whole_line = at_line_start && (folded[range.clone()].ends_with('\n') || range.end == folded.len());
    let text = folded[range].trim();
    if !at_line_start || text.chars().count() > 30 {
        return false;
    }
    let head: Vec<char> = text.chars().take(4).collect();
    let enumerated = head.iter().skip(1).any(|c| matches!(c, '、' | '.' | ')' | '）'))
        && head.first().is_some_and(|c| {
            c.is_ascii_digit() || matches!(c, '(' | '（' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
        });
    enumerated || text.starts_with("专栏") || (whole_line && !text.ends_with('。'))
}

fn order_key(f: &Found) -> (u8, usize, usize) {
    match f {
        Found::Clause { doc, range, .. } => (0, *doc, range.start),
        Found::Feature { .. } => (1, 0, 0),
    }
}

/// The Chinese needles through which English terms matched (for "matched 污水处理厂").
fn translated_words(q: &Query, per: impl Iterator<Item = Option<(f64, bool)>>) -> Vec<String> {
    let mut out = Vec::new();
    for (term, m) in q.terms.iter().zip(per) {
        if let Some((w, true)) = m {
            if let Some(Alt { needle, .. }) = term.alts.iter().find(|a| a.translated && (a.weight - w).abs() < 1e-9) {
                out.push(needle.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{parse, Glossary};
    use crate::search::tests::folder;

    fn glossary(f: &Folder) -> Glossary {
        Glossary::parse(
            f,
            r#"{"entries":[
              {"en":["sewage treatment plant","wastewater treatment plant"],"zh":["污水处理厂"]},
              {"en":["park"],"zh":["公园"]},
              {"en":["metro","subway"],"zh":["地铁","轨道交通"]},
              {"en":["nankai"],"zh":["南开"]},
              {"en":["hexi"],"zh":["河西"]}
            ]}"#,
        )
        .expect("glossary")
    }

    const NANKAI: &str =
        "一、总体要求\n目前,天津轨道交通项目在南开区内已运营通车1号线等5条线路,合计28座运营车站;在建7号线。\n南开区将建设口袋公园20个。\n";
    const HEXI: &str = "完成曲江公园等17个城市公园提升改造。新建污水处理厂一座。\n";
    const CITY: &str = "主城區新擴建津沽、張貴莊3座污水處理廠,新增污水處理能力。\n建设一级管控区。\n";

    fn index(f: &Folder) -> FindIndex {
        let mut ix = FindIndex::default();
        ix.add_doc(f, "南开区城市更新规划 Nankai urban renewal plan", NANKAI);
        ix.add_doc(f, "河西区城市管理规划 Hexi city management plan", HEXI);
        ix.add_doc(f, "天津市城市基础设施规划 Tianjin infrastructure plan", CITY);
        ix.add_feature(
            f,
            "metro-nankai-operating",
            "南开区已运营轨道交通（5条线路、28座车站）",
            "Operating metro in Nankai: 5 lines, 28 stations",
            "",
            "轨道交通 Metro",
        );
        ix.add_feature(f, "park-a", "曲江公园", "Qujiang Park", "A city park in Hexi upgraded by the plan.", "公园 Parks");
        for i in 0..5 {
            ix.add_feature(f, &format!("control-{i}"), &format!("{i}区：一级管控区"), &format!("District {i}: control area"), "", "表1-1");
        }
        ix
    }

    fn texts(hits: &[Hit], docs: &[&str]) -> Vec<String> {
        hits.iter()
            .map(|h| match &h.found {
                Found::Clause { doc, range, .. } => docs[*doc][range.clone()].trim().to_string(),
                Found::Feature { id } => format!("#{id}"),
            })
            .collect()
    }

    #[test]
    fn every_term_must_match_in_one_clause_or_its_titles() {
        let f = folder();
        let g = glossary(&f);
        let ix = index(&f);
        let docs = [NANKAI, HEXI, CITY];
        // 南开 is in the clause or the Nankai plan's title; 地铁 reaches 轨道交通 (a synonym).
        let r = ix.find(&parse(&f, &g, "南开 地铁"), Only::All, 10);
        let (hits, n) = (r.hits, r.total);
        let t = texts(&hits, &docs);
        assert!(t.iter().any(|s| s.contains("28座运营车站")), "{t:?}");
        assert!(t.contains(&"#metro-nankai-operating".to_string()), "{t:?}");
        assert!(!t.iter().any(|s| s.contains("口袋公园")), "a clause without the second term is not a result: {t:?}");
        assert_eq!(n, hits.len());
        // A term found only in the titles is not enough on its own.
        let hits = ix.find(&parse(&f, &g, "南开"), Only::Text, 10).hits;
        assert!(texts(&hits, &docs).iter().all(|s| s.contains("南开")), "{:?}", texts(&hits, &docs));
        // Nothing holds both.
        assert!(ix.find(&parse(&f, &g, "口袋公园 污水处理厂"), Only::All, 10).hits.is_empty());
        // A term found nowhere is left out, and said to be.
        let r = ix.find(&parse(&f, &g, "口袋公园 zzyzx"), Only::All, 10);
        assert!(!r.hits.is_empty() && r.ignored == ["zzyzx"], "{r:?}");
        assert!(ix.find(&parse(&f, &g, "zzyzx"), Only::All, 10).hits.is_empty(), "but not every term");
    }

    #[test]
    fn english_reaches_the_plans_through_the_glossary() {
        let f = folder();
        let g = glossary(&f);
        let ix = index(&f);
        let docs = [NANKAI, HEXI, CITY];
        let hits = ix.find(&parse(&f, &g, "wastewater treatment plants"), Only::Text, 10).hits;
        let t = texts(&hits, &docs);
        assert!(t[0].contains("污水處理廠") || t[0].contains("污水处理厂"), "{t:?}");
        assert_eq!(hits[0].translated, ["污水处理厂"], "the result says which Chinese words matched");
        // Marks cover the matched Chinese in the original (traditional) text.
        let hits = ix.find(&parse(&f, &g, "wastewater treatment plant"), Only::Doc(2), 10).hits;
        let Found::Clause { marks, .. } = &hits[0].found else { panic!("a clause") };
        assert!(marks.iter().any(|m| &CITY[m.clone()] == "污水處理廠"), "{marks:?}");
        // "Hexi park": the Hexi plan's park clause, through the title and the glossary.
        let hits = ix.find(&parse(&f, &g, "Hexi park"), Only::All, 10).hits;
        let t = texts(&hits, &docs);
        assert!(t.iter().any(|s| s.contains("曲江公园")), "{t:?}");
    }

    #[test]
    fn an_exact_clause_outranks_features_sharing_one_word() {
        let f = folder();
        let g = glossary(&f);
        let ix = index(&f);
        let docs = [NANKAI, HEXI, CITY];
        // The clause holding every term and the exact phrase comes before features.
        let hits = ix.find(&parse(&f, &g, "南开区 口袋公园"), Only::All, 10).hits;
        assert!(texts(&hits, &docs)[0].contains("南开区将建设口袋公园"), "{:?}", texts(&hits, &docs));
        let hits = ix.find(&parse(&f, &g, "28座运营车站 轨道交通"), Only::All, 10).hits;
        assert!(texts(&hits, &docs)[0].contains("28座运营车站"), "{:?}", texts(&hits, &docs));
        // A feature whose name is the query comes first.
        let hits = ix.find(&parse(&f, &g, "曲江公园"), Only::All, 10).hits;
        assert_eq!(texts(&hits, &docs)[0], "#park-a");
        // Filters.
        let hits = ix.find(&parse(&f, &g, "公园"), Only::Features, 10).hits;
        assert!(hits.iter().all(|h| matches!(h.found, Found::Feature { .. })));
        let hits = ix.find(&parse(&f, &g, "公园"), Only::Doc(1), 10).hits;
        assert!(!hits.is_empty() && hits.iter().all(|h| matches!(h.found, Found::Clause { doc: 1, .. })));
    }

    #[test]
    fn snippets_mark_every_term_and_cut_long_clauses() {
        let text = "前言。这是一段很长很长很长很长很长很长很长很长很长很长的文字，建设口袋公园和社区公园，然后还有很多很多很多很多很多很多很多很多很多字。";
        let range = "前言。".len()..text.len();
        let a = text.find("口袋公园").expect("a");
        let b = text.find("社区公园").expect("b");
        let p = snippet_pieces(text, range.clone(), &[a..a + "口袋公园".len(), b..b + "社区公园".len()], 4, 20);
        let marked: Vec<&str> = p.iter().filter(|(_, m)| *m).map(|(s, _)| s.as_str()).collect();
        assert_eq!(marked, ["口袋公园", "社区公园"]);
        assert_eq!(p.first().map(|x| x.0.as_str()), Some("…"), "cut before: {p:?}");
        assert_eq!(p.last().map(|x| x.0.as_str()), Some("…"), "cut after: {p:?}");
        assert!(p[1].0.chars().count() == 4, "four characters lead into the first mark: {p:?}");
        // A short clause is shown whole, unmarked when nothing matched in it.
        let p = snippet_pieces("短句。", 0.."短句。".len(), &[], 4, 20);
        assert_eq!(p, [("短句。".to_string(), false)]);
    }

    #[test]
    fn headings_come_after_the_clauses_under_them() {
        let f = folder();
        let g = Glossary::default();
        let text = "一、公园建设\n1.努力探索口袋公园建设。到2025年,新建提升改造口袋公园200个左右。\n\
                    持续推进城市绿地建设，坚持因地制宜，优化布局，完善设计，合理配置相关设施。\n\
                    加快形成覆盖城区的三级公园绿地系统和绿色慢行绿道。\n";
        let mut ix = FindIndex::default();
        ix.add_doc(&f, "规划", text);
        let hits = ix.find(&parse(&f, &g, "口袋公园"), Only::Text, 10).hits;
        let first = match &hits[0].found {
            Found::Clause { range, .. } => &text[range.clone()],
            other => panic!("{other:?}"),
        };
        assert!(first.contains("200个"), "{first}");
        assert!(is_heading(text, 0.."一、公园建设\n".len()));
        assert!(!is_heading(text, text.find("到2025").unwrap_or(0)..text.len()));
    }

    #[test]
    fn quoted_phrases_and_numbers() {
        let f = folder();
        let g = glossary(&f);
        let ix = index(&f);
        let docs = [NANKAI, HEXI, CITY];
        assert!(ix.find(&parse(&f, &g, "\"口袋 公园\""), Only::All, 10).hits.is_empty(), "a phrase matches exactly");
        let hits = ix.find(&parse(&f, &g, "17个"), Only::Text, 10).hits;
        assert!(texts(&hits, &docs)[0].contains("曲江公园"));
        let hits = ix.find(&parse(&f, &g, "28 stations"), Only::All, 10).hits;
        assert_eq!(texts(&hits, &docs), ["#metro-nankai-operating"]);
    }
}
