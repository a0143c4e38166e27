//! Search over plan text and feature names, folding traditional/simplified characters,
//! full/half-width forms, ASCII case and the plans' own spelling variants when matching — never
//! when displaying: hits are byte ranges of the original text.
//!
//! The traditional→simplified table (`public/data/fold-t2s.json`) is generated from the MIT
//! `fast2s` tables by `atlas-fold`, restricted to characters that occur in the five plans (a
//! character no plan holds, in either form, can never match).

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

#[derive(Deserialize)]
struct VariantsFile {
    variants: Vec<(String, String)>,
}

/// Folds text for matching.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    t2s: HashMap<char, char>,
    /// Equal-length phrase variants, already folded: (from, to).
    phrases: Vec<(Vec<char>, Vec<char>)>,
}

impl Folder {
    /// `t2s_json`: `{"園": "园", ...}`; `variants_json`: `{"variants": [["起航", "启航"], ...]}`.
    pub fn new(t2s_json: &str, variants_json: &str) -> Result<Folder, String> {
        let raw: HashMap<String, String> = serde_json::from_str(t2s_json).map_err(|e| format!("fold table: {e}"))?;
        let mut t2s = HashMap::new();
        for (k, v) in raw {
            let (mut kc, mut vc) = (k.chars(), v.chars());
            match (kc.next(), kc.next(), vc.next(), vc.next()) {
                (Some(a), None, Some(b), None) => {
                    t2s.insert(a, b);
                }
                _ => return Err(format!("fold table: {k:?} → {v:?} is not one character to one")),
            }
        }
        let mut folder = Folder { t2s, phrases: Vec::new() };
        let vf: VariantsFile = serde_json::from_str(variants_json).map_err(|e| format!("variants: {e}"))?;
        for (from, to) in vf.variants {
            let f: Vec<char> = from.chars().map(|c| folder.fold_char(c)).collect();
            let t: Vec<char> = to.chars().map(|c| folder.fold_char(c)).collect();
            if f.len() != t.len() || f.is_empty() {
                return Err(format!("variants: {from:?} and {to:?} must have the same number of characters"));
            }
            folder.phrases.push((f, t));
        }
        Ok(folder)
    }

    /// A folder without tables: full-width and case folding only, for when the tables could
    /// not be loaded (search then matches exactly).
    pub fn plain() -> Folder {
        Folder { t2s: HashMap::new(), phrases: Vec::new() }
    }

    /// Fold one character: full-width → half-width, ideographic and other spaces → space,
    /// ASCII → lower case, traditional → simplified.
    pub fn fold_char(&self, c: char) -> char {
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 | 0x2002..=0x200A | 0xA0 => ' ',
            _ => c,
        };
        let c = c.to_ascii_lowercase();
        self.t2s.get(&c).copied().unwrap_or(c)
    }

    /// Folded text and, for each folded character, the byte offset of its source character.
    pub fn fold_with_offsets(&self, s: &str) -> (String, Vec<(usize, usize)>) {
        let mut chars: Vec<char> = Vec::with_capacity(s.len() / 3);
        let mut src: Vec<usize> = Vec::with_capacity(s.len() / 3);
        for (i, c) in s.char_indices() {
            chars.push(self.fold_char(c));
            src.push(i);
        }
        self.apply_phrases(&mut chars);
        let mut out = String::with_capacity(s.len());
        let mut map = Vec::with_capacity(chars.len());
        for (c, orig) in chars.into_iter().zip(src) {
            map.push((out.len(), orig));
            out.push(c);
        }
        (out, map)
    }

    /// Folded text only.
    pub fn fold(&self, s: &str) -> String {
        let mut chars: Vec<char> = s.chars().map(|c| self.fold_char(c)).collect();
        self.apply_phrases(&mut chars);
        chars.into_iter().collect()
    }

    fn apply_phrases(&self, chars: &mut [char]) {
        for (from, to) in &self.phrases {
            let mut i = 0;
            while i + from.len() <= chars.len() {
                if chars[i..i + from.len()] == from[..] {
                    chars[i..i + from.len()].copy_from_slice(to);
                    i += from.len();
                } else {
                    i += 1;
                }
            }
        }
    }
}

struct DocIndex {
    folded: String,
    /// (folded byte offset, original byte offset) per character, sorted.
    map: Vec<(usize, usize)>,
    orig_len: usize,
}

impl DocIndex {
    fn to_orig(&self, folded_byte: usize) -> usize {
        match self.map.binary_search_by_key(&folded_byte, |&(f, _)| f) {
            Ok(i) => self.map[i].1,
            Err(i) => self.map.get(i).map_or(self.orig_len, |&(_, o)| o),
        }
    }
}

/// One match in a plan text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHit {
    /// Index of the document, in the order added.
    pub doc: usize,
    /// Byte range in the original text.
    pub range: Range<usize>,
}

/// Full-text index of the plans.
#[derive(Default)]
pub struct TextIndex {
    docs: Vec<DocIndex>,
}

impl TextIndex {
    pub fn add(&mut self, folder: &Folder, text: &str) {
        let (folded, map) = folder.fold_with_offsets(text);
        self.docs.push(DocIndex { folded, map, orig_len: text.len() });
    }

    /// Up to `limit` hits in document order, and the total number of hits.
    pub fn search(&self, folder: &Folder, query: &str, limit: usize) -> (Vec<TextHit>, usize) {
        let q = folder.fold(query.trim());
        if q.is_empty() {
            return (Vec::new(), 0);
        }
        let mut hits = Vec::new();
        let mut total = 0;
        for (d, doc) in self.docs.iter().enumerate() {
            for (at, m) in doc.folded.match_indices(q.as_str()) {
                total += 1;
                if hits.len() < limit {
                    hits.push(TextHit { doc: d, range: doc.to_orig(at)..doc.to_orig(at + m.len()) });
                }
            }
        }
        (hits, total)
    }

    /// Approximate heap bytes held by the index.
    pub fn heap_bytes(&self) -> usize {
        self.docs.iter().map(|d| d.folded.capacity() + d.map.capacity() * std::mem::size_of::<(usize, usize)>()).sum()
    }
}

/// Feature names, folded, for search by name (zh or en).
#[derive(Default)]
pub struct NameIndex {
    entries: Vec<(String, String)>,
}

impl NameIndex {
    pub fn add(&mut self, folder: &Folder, id: &str, name_zh: &str, name_en: &str) {
        self.entries.push((id.to_string(), format!("{}\u{1}{}", folder.fold(name_zh), folder.fold(name_en))));
    }

    /// Ids of the features whose names contain the query, up to `limit`.
    pub fn search(&self, folder: &Folder, query: &str, limit: usize) -> Vec<String> {
        let q = folder.fold(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        self.entries.iter().filter(|(_, n)| n.contains(q.as_str())).take(limit).map(|(id, _)| id.clone()).collect()
    }
}

/// A snippet around a hit on its own line: (before, hit, after), at most `context` characters
/// on each side.
pub fn snippet(text: &str, range: Range<usize>, context: usize) -> (String, String, String) {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i);
    let before: Vec<char> = text[line_start..range.start].chars().collect();
    let before: String = before[before.len().saturating_sub(context)..].iter().collect();
    let after: String = text[range.end..line_end].chars().take(context).collect();
    (before, text[range].to_string(), after)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The shipped folding tables (the other search modules' tests use them too).
    pub(crate) fn folder() -> Folder {
        Folder::new(include_str!("../../../public/data/fold-t2s.json"), include_str!("../../../public/data/search-variants.json"))
            .expect("tables")
    }

    #[test]
    fn folds_traditional_width_and_case() {
        let f = folder();
        assert_eq!(f.fold("口袋公園"), "口袋公园");
        assert_eq!(f.fold("ＡＢＣ１２３（一）"), "abc123(一)");
        assert_eq!(f.fold("Metro"), "metro");
        assert_eq!(f.fold("一湾起航"), f.fold("一湾启航"));
        assert_eq!(f.fold("三带贯通"), f.fold("三带汇通"));
    }

    #[test]
    fn hits_are_ranges_of_the_original_text() {
        let f = folder();
        let mut idx = TextIndex::default();
        let a = "新建提升改造口袋公園200個左右。";
        let b = "建设口袋公园，（一）湾起航";
        idx.add(&f, a);
        idx.add(&f, b);
        let (hits, total) = idx.search(&f, "口袋公园", 10);
        assert_eq!(total, 2);
        assert_eq!(&a[hits[0].range.clone()], "口袋公園");
        assert_eq!(&b[hits[1].range.clone()], "口袋公园");
        let (hits, _) = idx.search(&f, "(一)", 10);
        assert_eq!(&b[hits[0].range.clone()], "（一）");
        assert_eq!(idx.search(&f, "  ", 10).1, 0);
        let (capped, total) = idx.search(&f, "口", 1);
        assert_eq!((capped.len(), total), (1, 2));
    }

    #[test]
    fn names_and_snippets() {
        let f = folder();
        let mut n = NameIndex::default();
        n.add(&f, "a", "绿屏·小站湾", "Green-screen bay: Xiaozhan");
        n.add(&f, "b", "梅江南站", "Meijiangnan station");
        assert_eq!(n.search(&f, "xiaozhan", 5), vec!["a"]);
        assert_eq!(n.search(&f, "小站", 5), vec!["a"]);
        assert_eq!(n.search(&f, "站", 1).len(), 1);
        let text = "第一行\n前文很长很长的一段口袋公园后文也很长\n第三行";
        let r = text.find("口袋公园").expect("in text");
        let (b, m, a) = snippet(text, r..r + "口袋公园".len(), 4);
        assert_eq!((b.as_str(), m.as_str(), a.as_str()), ("长的一段", "口袋公园", "后文也很"));
    }

    #[test]
    fn bad_tables_are_errors() {
        assert!(Folder::new("{\"園\": \"园园\"}", "{\"variants\": []}").is_err());
        assert!(Folder::new("{}", "{\"variants\": [[\"起航\", \"启\"]]}").is_err());
        assert!(Folder::new("[", "{}").is_err());
    }
}
