//! `date-validity`: a month, day or quarter that no calendar has.
//!
//! Scans the text (page furniture left out) for dates written with Arabic digits —
//! `13月`, `1—13月`, `2月30日`, `2023年2月29日`, `4月31日`, `第5季度`/`五季度` — and
//! reports those that cannot exist: a month outside 1–12, a day beyond the month's
//! length (29 February only in a leap year, and allowed when the year is not written),
//! a quarter after the fourth. `13个月` and `3月份` are read correctly; a number
//! glued to a preceding digit or decimal point (`1.13月`) is not a month.

use chrono::NaiveDate;
use memchr::memmem::Finder;
use std::sync::LazyLock;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};

use super::decimals_consistency::{digits_len, digits_start, is_digit};

pub const DEF: KindDef = KindDef {
    name: "date-validity",
    summary: "日历上不存在的月份、日期或季度",
    vars: &["date", "reason"],
    build: |_| Ok(Box::new(DateValidity)),
};

struct DateValidity;

static MONTH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("月"));
static QUARTER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("季度"));

/// The date around the `月` at byte `k` of paragraph `p`, as the regex
/// `(?:(\d{4})年)?(\d{1,2})月(?:份)?(?:(\d{1,2})[日号])?` finds it: a match holds
/// one `月`, and no `月`, `份`, `日` or `号` before it, so the matches never overlap.
fn date_at(p: &str, k: usize) -> Option<std::ops::Range<usize>> {
    let head = p.get(..k)?;
    let run = digits_start(head);
    if run == k {
        return None;
    }
    // The month is the last two digits of a longer run (glued, then).
    let month = head[run..]
        .char_indices()
        .rev()
        .nth(1)
        .map_or(run, |(i, _)| run + i);
    let mut start = month;
    if month == run {
        if let Some(year_end) = head[..month].strip_suffix('年').map(str::len) {
            let year = head[..year_end]
                .char_indices()
                .rev()
                .take(4)
                .take_while(|&(_, c)| is_digit(c))
                .map(|(i, _)| i)
                .collect::<Vec<_>>();
            if let (4, Some(&y)) = (year.len(), year.last()) {
                start = y;
            }
        }
    }
    let mut end = k + '月'.len_utf8();
    if p[end..].starts_with('份') {
        end += '份'.len_utf8();
    }
    let day = &p[end..];
    let n = digits_len(day);
    if n > 0 && day[..n].chars().count() <= 2 && day[n..].starts_with(['日', '号']) {
        end += n + '日'.len_utf8();
    }
    Some(start..end)
}

/// The quarter after the fourth (`第5季度`, `五季度`) ending in the `季度` at byte `q`
/// of paragraph `p`, as the regex `第?([5-9五六七八九])季度` finds it.
fn quarter_at(p: &str, q: usize) -> Option<std::ops::Range<usize>> {
    let head = p.get(..q)?;
    let c = head.chars().next_back()?;
    if !matches!(c, '5'..='9' | '五' | '六' | '七' | '八' | '九') {
        return None;
    }
    let digit = q - c.len_utf8();
    let start = head[..digit].strip_suffix('第').map_or(digit, str::len);
    Some(start..q + "季度".len())
}

/// Why this date cannot exist, if it cannot.
/// Year, month and day of a match of [`date_re`] (`2024年2月30日`, `13月份`).
fn date_parts(m: &str) -> (Option<i32>, Option<u32>, Option<u32>) {
    let (year, rest) = match m.split_once('年') {
        Some((y, r)) => (y.parse::<i32>().ok(), r),
        None => (None, m),
    };
    let Some((month, rest)) = rest.split_once('月') else {
        return (year, None, None);
    };
    let rest = rest.strip_prefix('份').unwrap_or(rest);
    let day = rest
        .strip_suffix(['日', '号'])
        .and_then(|d| d.parse::<u32>().ok());
    (year, month.parse::<u32>().ok(), day)
}

fn invalid(year: Option<i32>, month: u32, day: Option<u32>) -> Option<String> {
    if !(1..=12).contains(&month) {
        return Some(format!("一年只有12个月，没有{month}月"));
    }
    let day = day?;
    // Without a year, 29 February is given the benefit of a leap year.
    let y = year.unwrap_or(2024);
    if NaiveDate::from_ymd_opt(y, month, day).is_some() {
        return None;
    }
    let last = (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(y, month, d).is_some())
        .unwrap_or(28);
    Some(match year {
        Some(y) if month == 2 && day == 29 => format!("{y}年不是闰年，2月只有28天"),
        _ => format!("{month}月只有{last}天，没有{day}日"),
    })
}

/// Whether the byte before `at` in `s` glues a number onto this one.
fn glued(s: &str, at: usize, chinese: bool) -> bool {
    s[..at].chars().next_back().is_some_and(|c| {
        c.is_ascii_digit() || c == '.' || chinese && "一二三四五六七八九十〇零两".contains(c)
    })
}

impl RuleKind for DateValidity {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        let paras = super::content_paragraphs(ctx);
        // The whole text is searched once (short haystacks are slow to search) and
        // each hit given to its paragraph: page furniture has none.
        let paragraph_of = |at: usize| {
            let i = paras.partition_point(|p| p.range.end <= at);
            let para = paras.get(i).filter(|p| p.range.start <= at)?;
            Some((i, para.range.start, text.get(para.range.clone())?))
        };
        // (paragraph, dates before quarters, range in the paragraph, reason)
        let mut hits = Vec::new();
        for at in MONTH.find_iter(text.as_bytes()) {
            let Some((i, from, p)) = paragraph_of(at) else {
                continue;
            };
            let Some(r) = date_at(p, at - from) else {
                continue;
            };
            if glued(p, r.start, false) {
                continue;
            }
            let (year, month, day) = date_parts(&p[r.clone()]);
            let Some(month) = month else { continue };
            if let Some(reason) = invalid(year, month, day) {
                hits.push((i, 0, r, reason));
            }
        }
        for at in QUARTER.find_iter(text.as_bytes()) {
            let Some((i, from, p)) = paragraph_of(at) else {
                continue;
            };
            let Some(r) = quarter_at(p, at - from) else {
                continue;
            };
            if r.end > p.len() || glued(p, r.start, true) {
                continue;
            }
            hits.push((i, 1, r, "一年只有四个季度".to_owned()));
        }
        // Paragraph by paragraph, each with its dates and then its quarters.
        hits.sort_by_key(|h| (h.0, h.1));
        for (i, _, r, reason) in hits {
            let start = paras[i].range.start;
            let range = start + r.start..start + r.end;
            let shown = sm.text(range.clone());
            out.push(
                Finding {
                    span: sm.span(range),
                    label: shown.clone(),
                    key: vec![shown.clone()],
                    ..Default::default()
                }
                .var("date", shown)
                .var("reason", reason),
            );
        }
    }
}
#[cfg(test)]
mod tests {
    use super::invalid;

    use super::super::testing::rule_messages as rules;

    #[test]
    fn calendar() {
        assert!(invalid(None, 13, None).is_some());
        assert!(invalid(None, 0, None).is_some());
        assert!(invalid(None, 12, Some(31)).is_none());
        assert!(invalid(None, 4, Some(31)).is_some());
        assert!(invalid(None, 2, Some(29)).is_none());
        assert!(invalid(Some(2024), 2, Some(29)).is_none());
        assert!(invalid(Some(2023), 2, Some(29)).is_some());
        assert!(invalid(Some(2023), 2, Some(30)).is_some());
    }

    #[test]
    fn impossible_dates_in_text() {
        let d = rules("2025年1—13月，示例市规上工业增加值增长6.1%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T307");
        assert!(d[0].1.contains("13月"), "{d:?}");
        let d = rules("示例市于2023年2月29日召开推进会，4月31日完成验收。");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(rules("示例市第五季度完成投资12亿元。").len(), 1);
    }

    #[test]
    fn possible_dates_are_quiet() {
        assert!(
            rules("2024年2月29日，示例市召开推进会，培训周期13个月，1—11月投资增长6.1%。")
                .is_empty()
        );
        assert!(rules("示例市十四五期间第四季度投资增长5.2%。").is_empty());
    }
}
