//! `range-dash`: the connector of a range (GB/T 15834-2011 §4.13, GB/T 15835-2011
//! §5.1.3). Time and sequence ranges take the 一字线 (`1—9月`, `2023—2025年`,
//! `2—4号机组`); value ranges the 浪纹线 (`3～6个月`, `4.5%～5%`). A hyphen (`1-9月`,
//! also the full-width `－` and the en dash), an ASCII tilde, or a 浪纹线 in a time
//! range is reported with the right form.
//!
//! Reads the text of each paragraph (page furniture excluded). Not ranges, and never
//! reported: anything inside `《》` (titles of plans and standards keep their own
//! spelling), ISO dates and times (`2024-03-25`, `09:00-11:30`), phone and file
//! numbers (`027-60830225`, a number of five or more digits, or one written with a
//! leading zero), and codes next to Latin letters or slashes (`GB/T 4754-2017`,
//! `CR450-2`). Whether a range is of time is read from the word after it: `月`, `日`,
//! `号`, `季度`, `期`, `批` …, or `年` after two four-digit years; `3-5年` and
//! `3-6个月` are durations, hence values.
//!
//! No params.

use std::sync::OnceLock;

use memchr::memmem;
use regex::Regex;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::report::Fix;

use super::{char_at, char_before, content_paragraphs};

pub const DEF: KindDef = KindDef {
    name: "range-dash",
    summary: "范围的连接号：时间、序号用一字线，数值用浪纹线",
    vars: &["match", "replacement", "range_kind", "dash"],
    build: |v| {
        if !v.is_null() {
            return Err("range-dash 没有参数".into());
        }
        let re = Regex::new(
            r"(?P<a>\d+(?:\.\d+)?)(?P<am>%|万亿|亿|万)?(?P<s>[-–~～])(?P<b>\d+(?:\.\d+)?)(?P<bm>%|万亿|亿|万)?",
        )
        .map_err(|e| e.to_string())?;
        Ok(Box::new(RangeDash { re }))
    },
};

struct RangeDash {
    re: Regex,
}

/// Words after a range that make it a range of time or of sequence numbers.
const TIME_WORDS: &[&str] = &[
    "月", "日", "号", "季度", "时", "期", "批", "届", "轮", "层", "楼", "版",
];

/// The unit word right after a range, shown and fixed with it (`月`, `个月`, `家`).
fn unit_word(after: &str) -> &str {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    if after.starts_with("个月") {
        return "个月";
    }
    if after.starts_with("季度") {
        return "季度";
    }
    match after.chars().next() {
        Some(c) if cjk(c) => &after[..c.len_utf8()],
        _ => "",
    }
}

/// What a range is, from the numbers and the word after it.
fn is_time(a: &str, b: &str, after: &str) -> bool {
    let year = |s: &str| s.len() == 4 && s.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
    if after.starts_with("个月") || after.starts_with("个") {
        return false;
    }
    if year(a) && year(b) {
        return true;
    }
    TIME_WORDS.iter().any(|w| after.starts_with(w))
}

/// Whether the range at `a_start..end` of paragraph text `p` is really a code, a
/// date, a phone number or the like.
fn not_a_range(p: &str, a_start: usize, end: usize, a: &str, b: &str) -> bool {
    // Look back over spaces: `GB/T 4754-2017`.
    let mut i = a_start;
    while char_before(p, i) == Some(' ') {
        i -= 1;
    }
    if char_before(p, i).is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | ':' | '_' | '#' | '～' | '~')
    }) {
        return true;
    }
    let mut after = p[end..].chars();
    match after.next() {
        Some(c) if c.is_ascii_alphabetic() || matches!(c, '_' | '#') => return true,
        Some('-' | '/' | '.' | ':' | '~' | '～' | '–')
            if after.next().is_some_and(|d| d.is_ascii_digit()) =>
        {
            return true;
        }
        _ => {}
    }
    let int = |s: &str| s.split('.').next().unwrap_or("").to_owned();
    let (ia, ib) = (int(a), int(b));
    // Phone and file numbers, zero-padded parts of dates (`2024-03`).
    if ia.len() >= 5 || ib.len() >= 5 {
        return true;
    }
    if (ia.len() >= 2 && ia.starts_with('0') && !a.contains('.'))
        || (ib.len() >= 2 && ib.starts_with('0') && !b.contains('.'))
    {
        return true;
    }
    // `10-3=7` is arithmetic.
    if char_at(p, end).is_some_and(|c| matches!(c, '=' | '+' | '×')) {
        return true;
    }
    false
}

/// The ends of the wide connectors (`–`, `～`) of `text`, in order: found in the
/// whole text at once, as most documents have none (a search of each paragraph
/// would pay a search's set-up for each).
fn wide_connectors(text: &str) -> Vec<usize> {
    static WIDE: OnceLock<[memmem::Finder<'static>; 2]> = OnceLock::new();
    let wide = WIDE.get_or_init(|| [memmem::Finder::new("–"), memmem::Finder::new("～")]);
    let mut ends: Vec<usize> = wide
        .iter()
        .flat_map(|f| f.find_iter(text.as_bytes()).map(|i| i + f.needle().len()))
        .collect();
    ends.sort_unstable();
    ends
}

/// Whether paragraph `p`, at `range` of the text, holds a connector the expression
/// looks for (`-`, `–`, `~`, `～`) followed by a digit (`\d`, any decimal digit, is
/// numeric): most paragraphs have none and are not searched. `wide` are the ends of
/// the text's wide connectors ([`wide_connectors`]).
fn has_connector(p: &str, range: &std::ops::Range<usize>, wide: &[usize]) -> bool {
    let digit_at = |i: usize| {
        p.get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()))
    };
    let b = p.as_bytes();
    if memchr::memchr2_iter(b'-', b'~', b).any(|i| digit_at(i + 1)) {
        return true;
    }
    // Those that lie in the paragraph (each is three bytes long).
    let from = wide.partition_point(|&e| e < range.start + 3);
    wide[from..]
        .iter()
        .take_while(|&&e| e <= range.end)
        .any(|&e| digit_at(e - range.start))
}

/// Byte ranges of a paragraph that lie inside `《…》`.
fn titles_of(p: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in p.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(start..i + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        out.push(start..p.len());
    }
    out
}

impl RuleKind for RangeDash {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        let wide = wide_connectors(text);
        for para in content_paragraphs(ctx) {
            let p = &text[para.range.clone()];
            if !has_connector(p, &para.range, &wide) {
                continue;
            }
            // Found when a range is: most paragraphs have none.
            let titles = std::cell::OnceCell::new();
            for caps in self.re.captures_iter(p) {
                let (Some(whole), Some(a), Some(s), Some(b)) =
                    (caps.get(0), caps.name("a"), caps.name("s"), caps.name("b"))
                else {
                    continue;
                };
                if titles
                    .get_or_init(|| titles_of(p))
                    .iter()
                    .any(|t| t.start <= whole.start() && whole.end() <= t.end)
                {
                    continue;
                }
                if not_a_range(p, a.start(), whole.end(), a.as_str(), b.as_str()) {
                    continue;
                }
                let after = p[whole.end()..].trim_start_matches(' ');
                let time = is_time(a.as_str(), b.as_str(), after);
                let sep = s.as_str();
                let want = if time { '—' } else { '～' };
                // A 浪纹线 in a value range and a 一字线 anywhere are right (GB/T 15835
                // allows `—` for values too); only the wrong ones are reported.
                if sep.starts_with(want) || (!time && sep == "～") {
                    continue;
                }
                // The unit goes with the range unless a `%`, `万` or `亿` ends it.
                let unit = if whole.as_str().ends_with(|c: char| c.is_ascii_digit()) {
                    unit_word(&p[whole.end()..])
                } else {
                    ""
                };
                let base = para.range.start;
                let range = base + whole.start()..base + whole.end() + unit.len();
                let replaced = format!(
                    "{}{want}{}",
                    &text[range.start..base + s.start()],
                    &text[base + s.end()..range.end]
                );
                let span = sm.span(range.clone());
                let label = sm.text(range);
                out.push(
                    Finding {
                        span,
                        label: label.clone(),
                        suggestion: Some(format!("改为“{replaced}”")),
                        fix: Some(Fix {
                            span,
                            replacement: replaced.clone(),
                        }),
                        key: vec![label.clone()],
                        ..Default::default()
                    }
                    .var("match", label)
                    .var("replacement", replaced)
                    .var("range_kind", if time { "时间或序号" } else { "数值" })
                    .var(
                        "dash",
                        if time {
                            "一字线“—”"
                        } else {
                            "浪纹线“～”"
                        },
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::DEF;

    #[test]
    fn time_and_value_ranges() {
        let text = "1-9月，示例市培训3-6个月，2021-2025年累计投资，增长4.5%-5%，新增2-3家。";
        assert_eq!(
            suggestions(&DEF, "", text),
            [
                "改为“1—9月”",
                "改为“3～6个月”",
                "改为“2021—2025年”",
                "改为“4.5%～5%”",
                "改为“2～3家”"
            ]
        );
    }

    #[test]
    fn right_forms_pass() {
        let text = "1—9月，示例市培训3～6个月，新增2—3家，增长5%～8%。";
        assert!(labels(&DEF, "", text).is_empty());
    }

    #[test]
    fn tilde_in_time_range() {
        assert_eq!(
            suggestions(&DEF, "", "示例市1～9月工业投资增长8.1%。"),
            ["改为“1—9月”"]
        );
    }

    #[test]
    fn not_ranges() {
        let text = "《示例市产业发展规划（2024-2026年）》印发。联系电话：0710-3356789。\
                    时间：2024-03-25 09:00-11:30。执行GB/T 4754-2017标准，引进CR450-2型设备，\
                    索引号：1234567/2024-00012，10-3=7。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }

    #[test]
    fn title_does_not_hide_the_rest_of_the_paragraph() {
        let text = "落实《示例市三年行动方案（2024-2026年）》，1-9月新签约项目12个。";
        assert_eq!(labels(&DEF, "", text), ["1-9月"]);
    }
}
