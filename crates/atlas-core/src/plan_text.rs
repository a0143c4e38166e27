//! Plan texts as shipped: the verbatim seed minus lines listed for removal in
//! `data/text-cleaning.json` (personal data, page chrome). Removal is by rule, never guessed,
//! and a removed line stays as an empty line so line numbers match the seed file.

use serde::{Deserialize, Serialize};

/// One document's removal rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleaningRule {
    pub doc: String,
    pub reason: String,
    #[serde(default)]
    pub drop_lines_starting_with: Vec<String>,
}

/// The cleaning file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cleaning {
    pub rules: Vec<CleaningRule>,
}

impl Cleaning {
    pub fn parse(text: &str) -> Result<Cleaning, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The text to ship for `doc`, and the 1-based numbers of the lines that were emptied.
    pub fn clean(&self, doc: &str, text: &str) -> (String, Vec<usize>) {
        let prefixes: Vec<&str> =
            self.rules.iter().filter(|r| r.doc == doc).flat_map(|r| r.drop_lines_starting_with.iter().map(String::as_str)).collect();
        let mut removed = Vec::new();
        let lines: Vec<&str> = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| {
                if prefixes.iter().any(|p| line.trim_start().starts_with(p)) {
                    removed.push(i + 1);
                    ""
                } else {
                    line
                }
            })
            .collect();
        (lines.join("\n"), removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_only_listed_lines_of_listed_docs() {
        let c = Cleaning {
            rules: vec![CleaningRule { doc: "a.txt".into(), reason: "test".into(), drop_lines_starting_with: vec!["联系人".into()] }],
        };
        let text = "第一章\n联系人:某某 电话\n正文联系人\n";
        let (out, removed) = c.clean("a.txt", text);
        assert_eq!(out, "第一章\n\n正文联系人\n");
        assert_eq!(removed, vec![2]);
        assert_eq!(c.clean("b.txt", text).0, text);
    }

    #[test]
    fn shipped_rules_remove_the_personal_data_line_of_001() {
        let c = Cleaning::parse(include_str!("../../../data/text-cleaning.json")).expect("rules");
        let seed = include_str!("../../../seeds/001_0368f08b0a40a1f2.txt");
        let (out, removed) = c.clean("001_0368f08b0a40a1f2.txt", seed);
        assert_eq!(removed.len(), 1);
        assert!(out.contains("特别声明"));
        // The removed line's phone number and mail address survive nowhere in the output.
        let line = seed.split('\n').nth(removed[0] - 1).expect("removed line");
        let secrets: Vec<&str> = line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '#' || c == '.'))
            .filter(|t| t.len() >= 7 && t.chars().any(|c| c.is_ascii_digit() || c == '#'))
            .collect();
        assert!(secrets.len() >= 2, "{secrets:?}");
        for s in secrets {
            assert!(!out.contains(s), "{s} survived cleaning");
        }
        assert_eq!(out.split('\n').count(), seed.split('\n').count());
    }
}
