//! `relative-date`: 今年/去年/明年/前年 that the document's date cannot resolve, or
//! resolves to the wrong year.
//!
//! These words depend on when the text was written; extraction resolves them against
//! [`Context::doc_date`]. Three checks (param `check`):
//! - `reprint`: the text plans or forecasts for a year already past at its date
//!   (`2021年，全区将…`, `2021年产值预计达到…` on a page dated 2022-09-27). The date is
//!   then most likely a reprint date, and every 今年/去年/明年 of the text resolves to
//!   the wrong year: each is reported, with the plan as evidence. A plan is a year
//!   opening a clause followed by `将/计划/拟/力争/争取` (not `将…作为/列为/放在`, where
//!   `将` means 把), or by `预计/有望` when the date is in the second half of the next
//!   year or later (January reports give preliminary estimates of the year before);
//! - `explicit-year`: a relative word next to an explicit year that disagrees with it
//!   (`去年（2020年）` in a text dated 2022), or `Y年…比去年` where 去年, resolved by the
//!   date, is Y itself or later;
//! - `undated`: the document has no date, so none of its relative words can be
//!   resolved: one finding at the first, with their number.
//!
//! `上年`, `当年` and `同期` refer to the year under discussion, not to the date of
//! writing, and are not checked.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use chrono::Datelike;
use memchr::memmem;
use regex::Regex;
use serde::Deserialize;

use super::{display_span, sentences};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Check {
    #[default]
    Reprint,
    ExplicitYear,
    Undated,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    check: Check,
}

pub const DEF: KindDef = KindDef {
    name: "relative-date",
    summary: "今年/去年/明年无法按文档日期解析或解析有误",
    vars: &["word", "resolved", "year", "date", "evidence", "count"],
    build: |v| Ok(Box::new(RelativeDate(params::<Params>(v)?))),
};

struct RelativeDate(Params);

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("constant pattern")))
}

/// The character `年` that every relative word and every written year ends with.
fn nian() -> &'static memmem::Finder<'static> {
    static F: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    F.get_or_init(|| memmem::Finder::new("年"))
}

/// Every `年` of the display text, by byte position: one pass over the text, where a
/// search of each sentence would pay a search's set-up for each. Found once per
/// document for every rule of the kind and for `period-not-ended`.
fn nian_in<'c>(ctx: &'c Context<'_>) -> &'c [usize] {
    ctx.dates.nian.get_or_init(|| {
        let text = crate::cli::display_text(ctx.ex);
        nian().find_iter(text.as_bytes()).collect()
    })
}

/// What the kind finds in a document that more than one rule reads, found once.
#[derive(Default)]
pub(crate) struct Dates {
    /// Every `年` of the display text ([`nian_in`]).
    nian: std::cell::OnceCell<Vec<usize>>,
    /// The first stale plan for a date (`stale_plan`; the date asked for is the
    /// document's).
    plan: std::cell::OnceCell<(chrono::NaiveDate, Option<(Range<usize>, String)>)>,
}

/// The relative words (`今年|去年|明年|前年`) of the sentence at `sp` as byte ranges of
/// `text`, in order: each is a `年` after `今`, `去`, `明` or `前`, and no two can
/// overlap. `nian` are the `年` that start in the sentence.
fn relative_word_ranges<'t>(
    text: &'t str,
    nian: &'t [usize],
    sp: &Range<usize>,
) -> impl Iterator<Item = Range<usize>> + 't {
    let (start, end) = (sp.start, sp.end);
    nian.iter().filter_map(move |&i| {
        let w = i.checked_sub(3).filter(|&w| w >= start)?;
        let e = i + "年".len();
        (e <= end && matches!(text.get(w..i)?, "今" | "去" | "明" | "前")).then_some(w..e)
    })
}

/// Whether the sentence at `sp` holds a year written in four digits, `19xx年` or
/// `20xx年`: what every match of `stale_plan`'s expression starts with. `nian` are the
/// `年` that start in the sentence.
fn has_written_year(text: &str, nian: &[usize], sp: &Range<usize>) -> bool {
    let b = text.as_bytes();
    nian.iter().any(|&i| {
        i >= sp.start + 4
            && i + "年".len() <= sp.end
            && matches!(&b[i - 4..i - 2], b"19" | b"20")
            && b[i - 2].is_ascii_digit()
            && b[i - 1].is_ascii_digit()
    })
}

/// The plan words of `stale_plan`'s expression, searched at once.
fn plan_words() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::new(PLAN_WORDS).unwrap_or_else(|_| unreachable!("constant words"))
    })
}

/// The year a relative word names when written in `year`.
fn resolve(word: &str, year: i32) -> i32 {
    match word {
        "去年" => year - 1,
        "前年" => year - 2,
        "明年" => year + 1,
        _ => year,
    }
}

/// A relative word in the display text: its range and the word.
struct Word {
    range: Range<usize>,
    word: String,
}

/// Every relative word outside page furniture, with the sentence it is in.
fn relative_words(ctx: &Context<'_>) -> Vec<(Word, Range<usize>)> {
    let text = crate::cli::display_text(ctx.ex);
    let nian = nian_in(ctx);
    let mut cursor = super::Cursor::default();
    let mut out = Vec::new();
    for (_, sp) in sentences(ctx) {
        let mine = &nian[cursor.range(&nian, |&i| i, sp)];
        if text.get(sp.start..sp.end).is_none() {
            continue;
        }
        for m in relative_word_ranges(text, mine, sp) {
            out.push((
                Word {
                    word: text[m.clone()].to_owned(),
                    range: m,
                },
                sp.start..sp.end,
            ));
        }
    }
    out
}

/// The plan words of `stale_plan`'s expression.
const PLAN_WORDS: &[&str] = &["将", "计划", "拟", "力争", "争取", "预计", "有望"];

/// Plans or forecasts for a year before the date: the first one found (once per
/// document: `reprint` and `period-not-ended` both ask).
pub fn stale_plan(ctx: &Context<'_>, date: chrono::NaiveDate) -> Option<(Range<usize>, String)> {
    let (asked, found) = ctx
        .dates
        .plan
        .get_or_init(|| (date, first_stale_plan(ctx, date)));
    if *asked == date {
        found.clone()
    } else {
        first_stale_plan(ctx, date)
    }
}

fn first_stale_plan(ctx: &Context<'_>, date: chrono::NaiveDate) -> Option<(Range<usize>, String)> {
    static PLAN: OnceLock<Regex> = OnceLock::new();
    let plan = re(
        &PLAN,
        r"(?:^|[，。；：,;\s])((?:19|20)[0-9]{2})年(?:[，,]?)([^，。；,;]{0,14}?)(将|计划|拟|力争|争取|预计|有望)",
    );
    let ba = [
        "作为",
        "列为",
        "列入",
        "放在",
        "摆在",
        "纳入",
        "视为",
        "确定为",
        "定为",
    ];
    let text = crate::cli::display_text(ctx.ex);
    let nian = nian_in(ctx);
    let mut cursor = super::Cursor::default();
    for (_, sp) in sentences(ctx) {
        let mine = &nian[cursor.range(&nian, |&i| i, sp)];
        let Some(s) = text.get(sp.start..sp.end) else {
            continue;
        };
        // Every match has a written year and a plan word; most sentences have neither.
        if !has_written_year(text, mine, sp) || !plan_words().is_match(s) {
            continue;
        }
        for c in plan.captures_iter(s) {
            let (Some(y), Some(w), Some(all)) = (c.get(1), c.get(3), c.get(0)) else {
                continue;
            };
            let Ok(year) = y.as_str().parse::<i32>() else {
                continue;
            };
            if year >= date.year() {
                continue;
            }
            let rest = &s[w.end()..];
            let clause_end = rest
                .find(['，', '。', '；', ',', ';'])
                .unwrap_or(rest.len());
            let clause = &rest[..clause_end];
            let forecast = matches!(w.as_str(), "预计" | "有望");
            if forecast && date.year() == year + 1 && date.month() < 7 {
                continue;
            }
            if w.as_str() == "将" && ba.iter().any(|b| clause.contains(b)) {
                continue;
            }
            let start = sp.start + y.start();
            let end = sp.start + all.end();
            return Some((start..end, text.get(start..end).unwrap_or("").to_owned()));
        }
    }
    None
}

/// A relative word that disagrees with a year written next to it.
struct Conflict {
    word: Range<usize>,
    year: Range<usize>,
    text: String,
    resolved: i32,
    meant: i32,
}

/// `去年（2020年）`, `2020年（去年）`, `去年即2020年` whose word resolves to another
/// year, and `Y年…比去年` whose 去年 resolves to Y or later.
fn conflicts(ctx: &Context<'_>, date: chrono::NaiveDate) -> Vec<Conflict> {
    static NEXT: OnceLock<Regex> = OnceLock::new();
    static COMPARE: OnceLock<Regex> = OnceLock::new();
    let next = re(
        &NEXT,
        r"(今年|去年|明年|前年)[（(]((?:19|20)[0-9]{2})年?[)）]|((?:19|20)[0-9]{2})年[（(](今年|去年|明年|前年)[)）]|(今年|去年|明年|前年)即((?:19|20)[0-9]{2})年",
    );
    let compare = re(
        &COMPARE,
        r"((?:19|20)[0-9]{2})年[^。；;]{0,40}?(?:比|较|与|同)(去年)",
    );
    let text = crate::cli::display_text(ctx.ex);
    let nian = nian_in(ctx);
    let mut cursor = super::Cursor::default();
    let mut out = Vec::new();
    for (_, sp) in sentences(ctx) {
        let mine = &nian[cursor.range(&nian, |&i| i, sp)];
        let Some(s) = text.get(sp.start..sp.end) else {
            continue;
        };
        // Every match of both expressions has a relative year word.
        if relative_word_ranges(text, mine, sp).next().is_none() {
            continue;
        }
        let at = |m: regex::Match<'_>| sp.start + m.start()..sp.start + m.end();
        for c in next.captures_iter(s) {
            let (word, year) = match (c.get(1), c.get(2), c.get(3), c.get(4), c.get(5), c.get(6)) {
                (Some(w), Some(y), ..) => (w, y),
                (_, _, Some(y), Some(w), ..) => (w, y),
                (.., Some(w), Some(y)) => (w, y),
                _ => continue,
            };
            let Ok(y) = year.as_str().parse::<i32>() else {
                continue;
            };
            let resolved = resolve(word.as_str(), date.year());
            if resolved != y {
                out.push(Conflict {
                    word: at(word),
                    year: at(year),
                    text: word.as_str().to_owned(),
                    resolved,
                    meant: y,
                });
            }
        }
        for c in compare.captures_iter(s) {
            let (Some(year), Some(word)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let Ok(y) = year.as_str().parse::<i32>() else {
                continue;
            };
            let resolved = resolve(word.as_str(), date.year());
            if resolved >= y {
                let r = at(year);
                out.push(Conflict {
                    word: at(word),
                    year: r.start..r.end + "年".len(),
                    text: word.as_str().to_owned(),
                    resolved,
                    meant: y - 1,
                });
            }
        }
    }
    out
}

impl RelativeDate {
    fn reprint(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(date) = ctx.doc_date else { return };
        let words = relative_words(ctx);
        if words.is_empty() {
            return;
        }
        let Some((plan_range, plan_text)) = stale_plan(ctx, date) else {
            return;
        };
        let plan_span = display_span(ctx, plan_range);
        // Words next to a year that contradicts them are `explicit-year`'s.
        let explained: Vec<Range<usize>> =
            conflicts(ctx, date).into_iter().map(|c| c.word).collect();
        for (w, _) in words {
            if explained.contains(&w.range) {
                continue;
            }
            let resolved = resolve(&w.word, date.year());
            out.push(
                Finding {
                    span: display_span(ctx, w.range),
                    label: format!("按页面日期为{resolved}年"),
                    key: vec![w.word.clone(), plan_text.clone()],
                    ..Default::default()
                }
                .related(plan_span, format!("“{plan_text}”写于页面日期之前"))
                .var("word", w.word.clone())
                .var("resolved", format!("{resolved}年"))
                .var("year", "")
                .var("date", date.format("%Y年%-m月%-d日").to_string())
                .var("evidence", plan_text.clone())
                .var("count", 0),
            );
        }
    }

    fn explicit_year(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(date) = ctx.doc_date else { return };
        let date_text = date.format("%Y年%-m月%-d日").to_string();
        let text = crate::cli::display_text(ctx.ex);
        for c in conflicts(ctx, date) {
            let year_text = text.get(c.year.clone()).unwrap_or("").to_owned();
            out.push(
                Finding {
                    span: display_span(ctx, c.word.clone()),
                    label: format!("按文档日期为{}年", c.resolved),
                    key: vec![c.text.clone(), year_text.clone()],
                    suggestion: Some(format!("改为“{}年”", c.meant)),
                    ..Default::default()
                }
                .related(display_span(ctx, c.year), year_text)
                .var("word", c.text)
                .var("resolved", format!("{}年", c.resolved))
                .var("year", format!("{}年", c.meant))
                .var("date", date_text.clone())
                .var("evidence", "")
                .var("count", 0),
            );
        }
    }

    fn undated(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        if ctx.doc_date.is_some() {
            return;
        }
        let words = relative_words(ctx);
        let Some((first, _)) = words.first() else {
            return;
        };
        let mut distinct: Vec<&str> = words.iter().map(|(w, _)| w.word.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        out.push(
            Finding {
                span: display_span(ctx, first.range.clone()),
                label: "无法确定是哪一年".into(),
                key: vec![distinct.join("、")],
                ..Default::default()
            }
            .var("word", distinct.join("、"))
            .var("resolved", "")
            .var("year", "")
            .var("date", "")
            .var("evidence", "")
            .var("count", words.len()),
        );
    }
}

impl RuleKind for RelativeDate {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        match self.0.check {
            Check::Reprint => self.reprint(ctx, out),
            Check::ExplicitYear => self.explicit_year(ctx, out),
            Check::Undated => self.undated(ctx, out),
        }
    }
}

#[cfg(test)]
mod tests {

    fn run(text: &str) -> Vec<(String, String, Option<String>)> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| (d.rule, d.message, d.suggestion))
            .collect()
    }

    #[test]
    fn reprint_date() {
        let d = run("发布日期：2022-09-27\n2021年，全区将扩大有效投资。去年全区新增规上企业23家。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T304");
        assert!(d[0].1.contains("2021年"), "{d:?}");
        // No relative word, nothing to resolve wrongly.
        assert!(
            run("发布日期：2022-09-27\n2021年，全区将扩大有效投资。2020年全区新增规上企业23家。")
                .is_empty()
        );
        // `将` as 把, and a January estimate of the year before, are not plans.
        assert!(
            run("发布日期：2022-03-05\n2021年，我们将稳就业摆在突出位置。去年新增就业1.2万人。")
                .is_empty()
        );
        assert!(
            run("发布日期：2022-01-20\n2021年全市生产总值预计增长8%。去年新增就业1.2万人。")
                .is_empty()
        );
    }

    #[test]
    fn explicit_year() {
        let d = run("发布日期：2022-09-27\n去年（2020年）全区新增规上企业23家。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T305");
        assert_eq!(d[0].2.as_deref(), Some("改为“2020年”"));
        let d = run("发布日期：2022-09-27\n2021年示例公司产值达到6亿元，比去年增长50%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(run("发布日期：2021-09-27\n去年（2020年）全区新增规上企业23家。").is_empty());
        assert!(
            run("发布日期：2021-09-27\n2021年示例公司产值达到6亿元，比去年增长50%。").is_empty()
        );
    }

    #[test]
    fn undated() {
        let d = run("今年全区新增规上企业23家，去年新增19家。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T306");
        assert!(run("2024年全区新增规上企业23家。").is_empty());
    }
}
