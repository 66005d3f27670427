//! `doubled-word`: a word typed twice (`制定制定`, `的的`), the commonest artefact of
//! editing.
//!
//! Reads the text of each sentence (page furniture excluded). A two-character word
//! repeated (`ABAB`) is reported when it starts a word: after punctuation, at the start
//! of the sentence, or after a function character (`们`, `的`, `要`, `将` …); this
//! keeps apart reduplication that spans two words (`深化文化文艺`, `创业创新`,
//! `共建共治`). Repetitions that are Chinese usage are never reported: `一个一个`,
//! `一步一步` (a repeated unit starting with `一`), and `AABB` words (`实实在在`).
//! Single characters are reported only when listed in `singles` (`的的`; not `等等`,
//! `常常`).
//!
//! Params:
//! - `singles`: characters reported when doubled (default `[的]`);
//! - `exceptions`: words that contain a doubling and are right (default `的的确确`,
//!   `目的的`).

use std::ops::Range;

use memchr::memmem;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};
use crate::report::Fix;

use super::content_paragraphs;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default = "default_singles")]
    singles: Vec<String>,
    #[serde(default = "default_exceptions")]
    exceptions: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            singles: default_singles(),
            exceptions: default_exceptions(),
        }
    }
}

fn default_singles() -> Vec<String> {
    vec!["的".into()]
}

fn default_exceptions() -> Vec<String> {
    vec!["的的确确".into(), "目的的".into()]
}

pub const DEF: KindDef = KindDef {
    name: "doubled-word",
    summary: "词语重复录入（制定制定、的的）",
    vars: &["match", "replacement"],
    build: |v| {
        let p: Params = params(v)?;
        let mut singles = Vec::new();
        for s in &p.singles {
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => singles.push(c),
                _ => return Err(format!("singles 中的“{s}”应为单个汉字")),
            }
        }
        Ok(Box::new(DoubledWord {
            doubled_singles: singles
                .iter()
                .map(|c| memmem::Finder::new(&c.to_string().repeat(2)).into_owned())
                .collect(),
            singles,
            exceptions: p.exceptions,
        }))
    },
};

struct DoubledWord {
    singles: Vec<char>,
    /// Each of `singles` written twice (`的的`), its searcher built once.
    doubled_singles: Vec<memmem::Finder<'static>>,
    exceptions: Vec<String>,
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Characters after which a new word starts.
const BOUNDARY: &str = "们的了在要将并和已地把对为是以与及再又也都就还须应会能可被让使由从向着得";

impl DoubledWord {
    fn excepted(&self, s: &str, start: usize, end: usize) -> bool {
        self.exceptions.iter().any(|e| {
            // Any occurrence of the exception that overlaps the doubling.
            let from = start.saturating_sub(e.len());
            let to = (end + e.len()).min(s.len());
            let mut a = from;
            while !s.is_char_boundary(a) {
                a += 1;
            }
            let mut b = to;
            while !s.is_char_boundary(b) {
                b -= 1;
            }
            s[a..b].match_indices(e.as_str()).any(|(i, m)| {
                let (ms, me) = (a + i, a + i + m.len());
                ms < end && start < me
            })
        })
    }
}

/// Whether the three bytes at `c` are a Han character (U+4E00 to U+9FFF).
fn han_at(c: &[u8]) -> bool {
    matches!(c, [0xE4, 0xB8..=0xBF, _] | [0xE5..=0xE9, _, _])
}

/// Whether two different Han characters, the first not `一`, are written twice running
/// somewhere in `p` (`ABAB`): what a doubled word of two characters needs.
///
/// `ABAB` is six bytes equal to the six after them, so each of its first five bytes
/// and the one after equals the byte six on. Of any five positions in a row one is a
/// multiple of five: only those are looked at, two bytes at a time, and the few
/// places where both bytes repeat are then read in full. A byte that starts a Han
/// character is never inside another character, so no decoding is needed.
fn repeated_pair(p: &str) -> bool {
    let b = p.as_bytes();
    // The `ABAB` whose first five bytes hold `j`, if any.
    let pair_near =
        |j: usize| (j.saturating_sub(4)..=j).any(|x| b.get(x..x + 12).is_some_and(pair_at));
    let mut j = 0;
    // Four positions at a time, with one bounds check for all of them.
    while let Some(w) = b.get(j..).and_then(<[u8]>::first_chunk::<23>) {
        for k in [0, 5, 10, 15] {
            if w[k] == w[k + 6] && w[k + 1] == w[k + 7] && pair_near(j + k) {
                return true;
            }
        }
        j += 20;
    }
    while j + 7 < b.len() {
        if b[j] == b[j + 6] && b[j + 1] == b[j + 7] && pair_near(j) {
            return true;
        }
        j += 5;
    }
    false
}

/// Whether the twelve bytes `w`, starting with a three-byte character, are two
/// different Han characters, the first not `一`, written twice.
fn pair_at(w: &[u8]) -> bool {
    w[6..12] == w[..6]
        && w[..3] != w[3..6]
        && w[..3] != *"一".as_bytes()
        && han_at(&w[..3])
        && han_at(&w[3..6])
}

impl DoubledWord {
    /// Where each of the `singles` written twice starts in `text`, with its length,
    /// in order (overlaps included): searched in the whole text at once, as a search
    /// of each paragraph would pay the searcher's set-up for each.
    fn doubled_singles_in(&self, text: &str) -> Vec<(usize, usize)> {
        let hay = text.as_bytes();
        let mut found = Vec::new();
        for f in &self.doubled_singles {
            let mut at = 0;
            while let Some(i) = hay.get(at..).and_then(|h| f.find(h)) {
                found.push((at + i, f.needle().len()));
                at += i + 1;
            }
        }
        found.sort_unstable();
        found
    }

    /// Whether a doubling may be in `text[r]`: one of the `singles` twice (`singles`
    /// are [`DoubledWord::doubled_singles_in`] of `text`), or two Han characters
    /// repeated right after themselves. Most sentences have neither and are not read
    /// character by character.
    fn may_double(text: &str, r: Range<usize>, singles: &[(usize, usize)]) -> bool {
        let from = singles.partition_point(|&(s, _)| s < r.start);
        singles[from..]
            .iter()
            .take_while(|&&(s, _)| s < r.end)
            .any(|&(s, len)| s + len <= r.end)
            || text.get(r).is_some_and(repeated_pair)
    }

    /// The length in characters of the unit doubled at `cs[i]` (2 for `制定制定`, 1 for
    /// `的的`), if one is.
    fn doubling_at(&self, cs: &[(usize, char)], i: usize) -> Option<usize> {
        let at = |k: usize| cs.get(k).map(|x| x.1);
        let a = at(i)?;
        // Cheap comparisons first: most positions fail them.
        if let (Some(b), Some(a2), Some(b2)) = (at(i + 1), at(i + 2), at(i + 3)) {
            if a == a2
                && b == b2
                && a != b
                && is_han(a)
                && is_han(b)
                && a != '一'
                && i.checked_sub(1)
                    .and_then(at)
                    .is_none_or(|p| !is_han(p) || BOUNDARY.contains(p))
            {
                return Some(2);
            }
        }
        (at(i + 1) == Some(a) && self.singles.contains(&a)).then_some(1)
    }
}

impl RuleKind for DoubledWord {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        let singles = self.doubled_singles_in(text);
        // One buffer for the characters of every sentence read.
        let mut cs: Vec<(usize, char)> = Vec::new();
        for para in content_paragraphs(ctx) {
            // Most paragraphs hold no doubling at all: the text from their first
            // sentence to their last is looked at once, not a sentence at a time.
            let lo = para.sentences.iter().map(|s| s.range.start).min();
            let hi = para.sentences.iter().map(|s| s.range.end).max();
            if let Some((lo, hi)) = lo.zip(hi).filter(|&(lo, hi)| text.get(lo..hi).is_some()) {
                if !Self::may_double(text, lo..hi, &singles) {
                    continue;
                }
            }
            for sentence in &para.sentences {
                let s = &text[sentence.range.clone()];
                if !Self::may_double(text, sentence.range.clone(), &singles) {
                    continue;
                }
                cs.clear();
                cs.extend(s.char_indices());
                let byte = |k: usize| cs.get(k).map_or(s.len(), |x| x.0);
                let mut i = 0;
                while i + 1 < cs.len() {
                    let Some(n) = self.doubling_at(&cs, i) else {
                        i += 1;
                        continue;
                    };
                    let (start, end) = (byte(i), byte(i + 2 * n));
                    if self.excepted(s, start, end) {
                        i += 2 * n;
                        continue;
                    }
                    let range = sentence.range.start + start..sentence.range.start + end;
                    let shown = sm.text(range.clone());
                    let once = s[start..byte(i + n)].to_owned();
                    let span = sm.span(range);
                    out.push(
                        Finding {
                            span,
                            label: shown.clone(),
                            suggestion: Some(format!("改为“{once}”")),
                            fix: Some(Fix {
                                span,
                                replacement: once.clone(),
                            }),
                            key: vec![shown.clone()],
                            ..Default::default()
                        }
                        .var("match", shown)
                        .var("replacement", once),
                    );
                    i += 2 * n;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::DEF;

    #[test]
    fn doubled_words() {
        let text = "我们制定制定了针对性工作计划，加大对企业的的支持力度。";
        assert_eq!(labels(&DEF, "", text), ["制定制定", "的的"]);
        assert_eq!(suggestions(&DEF, "", text), ["改为“制定”", "改为“的”"]);
    }

    #[test]
    fn usage_is_not_a_typo() {
        let text = "深化文化文艺精品工程，推动创业创新，构建共建共治共享格局，一个一个抓落实，\
                    实实在在见成效，等等；以服务企业为目的的活动的的确确受欢迎，常常走访。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }

    #[test]
    fn repeated_pair_after_other_widths() {
        use super::repeated_pair;
        // ASCII, two-byte and four-byte characters before the doubling keep the scan
        // on character boundaries.
        assert!(repeated_pair("a1é😀示例示例"));
        assert!(repeated_pair("研究研究"));
        assert!(!repeated_pair("研究示例研究"));
        assert!(!repeated_pair("研究研"));
        // Only what `doubling_at` could take for a doubled word.
        assert!(!repeated_pair("一个一个"));
        assert!(!repeated_pair("…………"));
        assert!(!repeated_pair("ＡＢＡＢ"));
        // Against a reading of the characters, over strings of a few letters.
        let naive = |t: &str| {
            let cs: Vec<char> = t.chars().collect();
            cs.windows(4).any(|w| {
                w[0] == w[2]
                    && w[1] == w[3]
                    && w[0] != w[1]
                    && w[0] != '一'
                    && super::is_han(w[0])
                    && super::is_han(w[1])
            })
        };
        let alphabet = ['研', '究', '一', 'a', 'é', '😀', '，'];
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (seed >> 60) as usize + 2;
            let t: String = (0..n)
                .map(|k| alphabet[((seed >> (4 * k % 56)) % 7) as usize])
                .collect();
            assert_eq!(repeated_pair(&t), naive(&t), "{t}");
        }
        assert_eq!(
            labels(&DEF, "", "2024年é示例市要制定制定计划。"),
            ["制定制定"]
        );
    }

    #[test]
    fn params() {
        assert!(suggestions(&DEF, "singles: [了]", "为了了解情况。").len() == 1);
        assert!(
            (DEF.build)(&crate::load::yaml::value_from_str("singles: [的的]", "t").unwrap())
                .is_err()
        );
    }
}
