//! The plan model: a plan text cut into headings, paragraphs, tables, box titles and captions,
//! with a table of contents, built from the verbatim text at load time.
//!
//! Structure comes from the texts' own headings: 第X章 / 第X节 / 一、 / （一）(一) / 1. /
//! 专栏N / 表N-N / 图N-N. Page chrome is removed only where the manifest lists its lines; every
//! other line is kept, in order. Anchors are seed line numbers, which never change because the
//! seeds never change.

use std::ops::Range;

/// What a block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading; 1 = 第X章, 2 = 第X节, 3 = 一、, 4 = （一）, 5 = 1.
    Heading(u8),
    Paragraph,
    /// 专栏N: the title of a box of projects.
    BoxTitle,
    /// 表N-N or 图N-N: a table or figure caption.
    Caption,
    /// Tab-separated rows; each row is a line, each cell a byte range.
    Table(Vec<TableRow>),
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<Range<usize>>,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// 1-based seed line of the block's first line (its anchor).
    pub line: usize,
    /// Byte range in the text (for tables: first row start to last row end).
    pub range: Range<usize>,
    /// Index of the table-of-contents entry this block falls under.
    pub section: Option<usize>,
}

/// An entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    /// 1–5 for headings; box titles and captions are listed at level 6.
    pub level: u8,
    pub title: String,
    pub line: usize,
    pub block: usize,
}

/// A structured plan document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDoc {
    pub blocks: Vec<Block>,
    pub toc: Vec<TocEntry>,
}

const CN_DIGITS: &str = "一二三四五六七八九十百零〇";

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{2002}' || c == '\u{feff}')
}

fn strip_cn_number(s: &str) -> Option<&str> {
    let n = s.chars().take_while(|c| CN_DIGITS.contains(*c)).map(char::len_utf8).sum::<usize>();
    (n > 0).then(|| &s[n..])
}

fn strip_number(s: &str) -> Option<&str> {
    let n = s.chars().take_while(|c| c.is_ascii_digit()).count();
    (n > 0).then(|| &s[n..])
}

/// Classify one trimmed line by its own heading marker.
pub fn classify(line: &str) -> BlockKind {
    let chars = line.chars().count();
    if let Some(rest) = line.strip_prefix('第') {
        let after = strip_cn_number(rest).or_else(|| strip_number(rest));
        if let Some(a) = after {
            if a.starts_with('章') && chars <= 60 {
                return BlockKind::Heading(1);
            }
            if a.starts_with('节') && chars <= 60 {
                return BlockKind::Heading(2);
            }
        }
    }
    if let Some(rest) = line.strip_prefix("专栏").or_else(|| line.strip_prefix("專欄")) {
        if strip_number(rest.trim_start()).is_some() && chars <= 60 {
            return BlockKind::BoxTitle;
        }
    }
    for prefix in ["表", "图", "圖"] {
        if let Some(rest) = line.strip_prefix(prefix) {
            if let Some(after) = strip_number(rest) {
                if (after.starts_with('-') || after.starts_with(' ') || after.starts_with('　')) && chars <= 60 {
                    return BlockKind::Caption;
                }
            }
        }
    }
    if let Some(after) = strip_cn_number(line) {
        if after.starts_with('、') && chars <= 60 {
            return BlockKind::Heading(3);
        }
    }
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = line.strip_prefix(open) {
            if let Some(after) = strip_cn_number(rest) {
                if after.starts_with(close) && chars <= 40 && !line.trim_end_matches('。').contains('。') {
                    return BlockKind::Heading(4);
                }
            }
        }
    }
    if let Some(after) = strip_number(line) {
        let a = after.trim_start_matches(' ');
        let marker = ['.', '、', '．'].iter().any(|m| a.starts_with(*m)) && !a.starts_with("..");
        // "1.提高…能力。按照…" is a numbered paragraph; only a short title line is a heading.
        if marker && chars <= 40 && !line.trim_end_matches('。').contains('。') && !after.starts_with(|c: char| c.is_ascii_digit()) {
            return BlockKind::Heading(5);
        }
    }
    BlockKind::Paragraph
}

/// The 1-based line numbers and byte ranges of `text` (lines split at `\n`, without it).
pub fn lines(text: &str) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        out.push((i + 1, start..start + l.len()));
        start += l.len() + 1;
    }
    out
}

impl PlanDoc {
    /// Build the model of `text`, leaving out the 1-based `chrome` lines and blank lines.
    pub fn build(text: &str, chrome: &[usize]) -> PlanDoc {
        let mut blocks: Vec<Block> = Vec::new();
        let mut toc: Vec<TocEntry> = Vec::new();
        let mut section = None;
        let mut table: Vec<TableRow> = Vec::new();
        let flush_table = |table: &mut Vec<TableRow>, blocks: &mut Vec<Block>, section: Option<usize>| {
            if table.is_empty() {
                return;
            }
            let rows = std::mem::take(table);
            let start = rows[0].cells.first().map_or(0, |c| c.start);
            let end = rows.last().and_then(|r| r.cells.last()).map_or(start, |c| c.end);
            blocks.push(Block { line: rows[0].line, range: start..end, kind: BlockKind::Table(rows), section });
        };
        for (line, range) in lines(text) {
            let raw = &text[range.clone()];
            let t = trim(raw);
            if t.is_empty() || chrome.contains(&line) {
                // A blank line does not end a table; chrome does.
                if !t.is_empty() {
                    flush_table(&mut table, &mut blocks, section);
                }
                continue;
            }
            // Trimmed range inside the line.
            let lead = raw.len()
                - raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{2002}' || c == '\u{feff}').len();
            let r = range.start + lead..range.start + lead + t.len();
            if raw.contains('\t') {
                let mut cells = Vec::new();
                let mut s = range.start;
                for cell in raw.split('\t') {
                    cells.push(s..s + cell.len());
                    s += cell.len() + 1;
                }
                table.push(TableRow { line, cells });
                continue;
            }
            flush_table(&mut table, &mut blocks, section);
            let kind = classify(t);
            let level = match kind {
                BlockKind::Heading(l) => Some(l),
                BlockKind::BoxTitle => Some(6),
                BlockKind::Caption if t.starts_with('表') => Some(6),
                _ => None,
            };
            if let Some(level) = level {
                let title: String = t.chars().take(48).collect();
                toc.push(TocEntry { level, title, line, block: blocks.len() });
                if level <= 5 {
                    section = Some(toc.len() - 1);
                }
            }
            blocks.push(Block { kind, line, range: r, section: level.map(|_| toc.len() - 1).or(section) });
        }
        flush_table(&mut table, &mut blocks, section);
        PlanDoc { blocks, toc }
    }

    /// The block that holds seed line `line`, if it is shown.
    pub fn block_at_line(&self, line: usize) -> Option<usize> {
        self.blocks.iter().position(|b| match &b.kind {
            BlockKind::Table(rows) => rows.iter().any(|r| r.line == line),
            _ => b.line == line,
        })
    }

    /// The block containing byte offset `at`.
    pub fn block_at(&self, at: usize) -> Option<usize> {
        self.blocks.iter().position(|b| b.range.start <= at && at <= b.range.end)
    }

    /// The lines shown, in order, as (line, text): for checks that no text is lost.
    pub fn shown_lines<'a>(&self, text: &'a str) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        for b in &self.blocks {
            match &b.kind {
                BlockKind::Table(rows) => {
                    for r in rows {
                        let start = r.cells.first().map_or(0, |c| c.start);
                        let end = r.cells.last().map_or(start, |c| c.end);
                        out.push((r.line, &text[start..end]));
                    }
                }
                _ => out.push((b.line, &text[b.range.clone()])),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_all_kinds() {
        assert_eq!(classify("第十六章 强化规划实施保障,凝心聚力共绘发展蓝图"), BlockKind::Heading(1));
        assert_eq!(classify("第三节 完善规划实施机制"), BlockKind::Heading(2));
        assert_eq!(classify("四、實施構建健康安全水系統行動"), BlockKind::Heading(3));
        assert_eq!(classify("(一)提高供水保障能力"), BlockKind::Heading(4));
        assert_eq!(classify("（四）加强规划宣传引导"), BlockKind::Heading(4));
        assert_eq!(classify("1.依托数字化城市管理,示范引领各项工作"), BlockKind::Heading(5));
        assert_eq!(classify("1. 常住人口非市民化比例仍然很高。"), BlockKind::Heading(5));
        assert_eq!(classify("专栏16 拓展城市绿色生态空间项目"), BlockKind::BoxTitle);
        assert_eq!(classify("表1-1 2035年各区造林绿化目标"), BlockKind::Caption);
        assert_eq!(classify("图1-13 2017—2020年津南区空气及水体污染情况"), BlockKind::Caption);
        // Numbered paragraphs and list items with body text stay paragraphs.
        assert_eq!(classify("1.提高水資源供給能力。按照統一規劃、分步實施的原則,持續完善引江"), BlockKind::Paragraph);
        assert_eq!(classify("(一)建设双城间绿色生态屏障。重点实施造林绿化、水生态环境治理、高标准农田建设"), BlockKind::Paragraph);
        assert_eq!(classify("2020年PM_{2.5}平均浓度49微克"), BlockKind::Paragraph);
        assert_eq!(classify("第一批"), BlockKind::Paragraph);
    }

    const TEXT: &str = "网站导航\n\n第一章 总则\n\n（一）目标\n正文一。\n表1-1 指标\n\t甲区\t乙区\n面积\t1\t2\n\n人口\t3\t4\n结语。";

    #[test]
    fn builds_blocks_toc_and_tables() {
        let doc = PlanDoc::build(TEXT, &[1]);
        let kinds: Vec<&BlockKind> = doc.blocks.iter().map(|b| &b.kind).collect();
        assert_eq!(kinds[0], &BlockKind::Heading(1));
        assert_eq!(kinds[1], &BlockKind::Heading(4));
        assert_eq!(kinds[2], &BlockKind::Paragraph);
        assert_eq!(kinds[3], &BlockKind::Caption);
        let BlockKind::Table(rows) = kinds[4] else { panic!("table expected: {kinds:?}") };
        assert_eq!(rows.len(), 3);
        assert_eq!(&TEXT[rows[1].cells[2].clone()], "2");
        assert_eq!(kinds[5], &BlockKind::Paragraph);
        assert_eq!(doc.toc.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), vec!["第一章 总则", "（一）目标", "表1-1 指标"]);
        assert_eq!(doc.blocks[2].section, Some(1));
        assert_eq!(doc.block_at_line(11), Some(4));
        assert_eq!(doc.block_at_line(1), None);
    }

    #[test]
    fn no_line_is_lost_but_chrome() {
        let doc = PlanDoc::build(TEXT, &[1]);
        let shown: Vec<usize> = doc.shown_lines(TEXT).iter().map(|(l, _)| *l).collect();
        assert_eq!(shown, vec![3, 5, 6, 7, 8, 9, 11, 12]);
    }
}

#[cfg(test)]
mod seed_tests {
    //! The five real plans: nothing but the listed chrome and personal-data lines is lost.
    use super::*;
    use crate::manifest::Manifest;
    use crate::plan_text::Cleaning;

    const SEEDS: [(&str, &str); 5] = [
        ("000_e2df317a026ff3d7.txt", include_str!("../../../seeds/000_e2df317a026ff3d7.txt")),
        ("001_0368f08b0a40a1f2.txt", include_str!("../../../seeds/001_0368f08b0a40a1f2.txt")),
        ("002_738bf75af0c411b9.txt", include_str!("../../../seeds/002_738bf75af0c411b9.txt")),
        ("003_c7b00587c6d2efd0.txt", include_str!("../../../seeds/003_c7b00587c6d2efd0.txt")),
        ("004_807393adc7e55925.txt", include_str!("../../../seeds/004_807393adc7e55925.txt")),
    ];

    #[test]
    fn every_seed_line_but_the_listed_ones_is_in_the_model_in_order() {
        let manifest = Manifest::parse(include_str!("../../../public/data/manifest.json")).expect("manifest");
        let cleaning = Cleaning::parse(include_str!("../../../data/text-cleaning.json")).expect("cleaning");
        for (file, seed) in SEEDS {
            let meta = manifest.document(file).expect("document listed");
            let (shipped, removed) = cleaning.clean(file, seed);
            let doc = PlanDoc::build(&shipped, &meta.chrome_lines);
            let shown = doc.shown_lines(&shipped);
            let expected: Vec<(usize, &str)> = seed
                .split('\n')
                .enumerate()
                .map(|(i, l)| (i + 1, l))
                .filter(|(n, l)| !trim(l).is_empty() && !meta.chrome_lines.contains(n) && !removed.contains(n))
                .collect();
            assert_eq!(shown.len(), expected.len(), "{file}: line count");
            for ((ln, got), (en, want)) in shown.iter().zip(&expected) {
                assert_eq!(ln, en, "{file}: order");
                // Blocks hold the line trimmed of surrounding white space, tables the whole line.
                assert!(want.contains(got) && trim(want) == trim(got), "{file}:{ln}: {got:?} vs {want:?}");
            }
            // Listed chrome lines must be real, non-blank lines (a stale list fails here).
            for n in &meta.chrome_lines {
                let line = seed.split('\n').nth(n - 1).unwrap_or("");
                assert!(!trim(line).is_empty(), "{file}: chrome line {n} is blank");
            }
            assert!(doc.toc.len() >= 5, "{file}: toc has {} entries", doc.toc.len());
        }
    }

    #[test]
    fn table_1_1_of_004_is_a_table() {
        let (_, text) = SEEDS[4];
        let doc = PlanDoc::build(text, &[]);
        let caption =
            doc.blocks.iter().position(|b| b.kind == BlockKind::Caption && text[b.range.clone()].starts_with("表1-1")).expect("caption");
        let BlockKind::Table(rows) = &doc.blocks[caption + 1].kind else { panic!("no table after 表1-1") };
        assert_eq!(rows.len(), 4);
        assert_eq!(&text[rows[1].cells[1].clone()], "204.7");
        assert_eq!(&text[rows[0].cells[1].clone()], "津南区");
    }
}
