//! Periods: what the grammar read ([`RawPeriod`]) resolved to dates with chrono, and
//! the document date found in the text.
//!
//! Resolution rules, as a reader applies them:
//! - `去年`/`上年`/`上一年` = the document's year − 1, `今年`/`本年` = its year,
//!   `明年` + 1, `前年` − 2; `当年`/`同年` = the year last named in the paragraph, else the
//!   document's year.
//! - A month, quarter or half without a year takes the year last named in the
//!   paragraph; failing that, the most recent such period that has begun by the
//!   document date (`12月底` in a text dated 2022-02-15 is December 2021).
//! - `“十三五”期间` = 2016–2020 (`十一五` 2006–2010 … `十五五` 2026–2030).
//! - Without a document date a relative period stays unresolved (`resolved: false`),
//!   with the relative word kept in `relative`.

use std::ops::Range;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::fact::{DocDate, Period, PeriodKind};

/// The year part of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearRef {
    Absolute(i32),
    Relative(String),
}

/// The part of the year a period covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Core {
    /// `1-9月` (first, last month).
    Months(u32, u32),
    Month(u32),
    /// `二季度` = Quarter(2).
    Quarter(u32),
    /// `前三季度` = FirstQuarters(3).
    FirstQuarters(u32),
    /// 1 = 上半年, 2 = 下半年.
    Half(u32),
    FullYear,
    /// `12月底`.
    MonthEnd(u32),
    /// `3月31日`.
    Date(u32, u32),
    /// `截至目前`.
    Now,
}

/// A period as the grammar read it, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawPeriod {
    Calendar {
        year: Option<YearRef>,
        core: Option<Core>,
        as_of: bool,
    },
    /// `十三五` → the plan number 13.
    Plan(u32),
    /// `近三年` → 3; `近年来` → 0.
    Recent(u32),
    Iso(NaiveDate),
    Years(i32, i32),
}

/// What a period is resolved against.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeriodContext {
    pub doc_date: Option<NaiveDate>,
    /// The year last named explicitly in the paragraph.
    pub context_year: Option<i32>,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

impl Core {
    /// First and last month covered (1-based).
    fn months(&self, doc: Option<NaiveDate>) -> (u32, u32) {
        match *self {
            Core::Months(a, b) => (a, b),
            Core::Month(m) | Core::MonthEnd(m) | Core::Date(m, _) => (m, m),
            Core::Quarter(q) => (q * 3 - 2, q * 3),
            Core::FirstQuarters(n) => (1, n * 3),
            Core::Half(1) => (1, 6),
            Core::Half(_) => (7, 12),
            Core::FullYear => (1, 12),
            Core::Now => (1, doc.map_or(12, |d| d.month())),
        }
    }

    fn kind(&self, as_of: bool) -> PeriodKind {
        if as_of {
            return PeriodKind::PointInTime;
        }
        match self {
            Core::Months(..) => PeriodKind::Months,
            Core::Month(_) => PeriodKind::Month,
            Core::Quarter(_) | Core::FirstQuarters(_) => PeriodKind::Quarter,
            Core::Half(_) => PeriodKind::Half,
            Core::FullYear => PeriodKind::FullYear,
            Core::MonthEnd(_) | Core::Now => PeriodKind::PointInTime,
            Core::Date(..) => PeriodKind::Date,
        }
    }
}

/// Resolves a relative year word against the context.
pub fn relative_year(word: &str, ctx: &PeriodContext) -> Option<i32> {
    let doc_year = ctx.doc_date.map(|d| d.year());
    let base = word.trim_end_matches("同期").trim_end_matches('度');
    match base {
        "去年" | "上年" | "上一年" => doc_year.map(|y| y - 1),
        "今年" | "本年" => doc_year,
        "明年" => doc_year.map(|y| y + 1),
        "前年" => doc_year.map(|y| y - 2),
        "当年" | "同年" => ctx.context_year.or(doc_year),
        _ => None,
    }
}

/// Resolves a raw period. `text` and `span` are filled in by the caller.
pub fn resolve(raw: &RawPeriod, ctx: &PeriodContext) -> Period {
    let mut p = Period {
        text: String::new(),
        span: Default::default(),
        kind: PeriodKind::Year,
        start: None,
        end: None,
        relative: None,
        resolved: false,
        inherited: false,
    };
    match raw {
        RawPeriod::Plan(n) => {
            // 十一五 = 2006–2010; each plan is five years.
            let first = 2006 + (*n as i32 - 11) * 5;
            p.kind = PeriodKind::Plan;
            p.start = ymd(first, 1, 1);
            p.end = ymd(first + 4, 12, 31);
            p.resolved = p.start.is_some();
        }
        RawPeriod::Recent(n) => {
            p.kind = PeriodKind::Recent;
            if let Some(d) = ctx.doc_date {
                let years = if *n == 0 { 3 } else { *n as i32 };
                p.end = Some(d);
                p.start = ymd(d.year() - years, d.month(), 1);
                p.resolved = true;
            }
        }
        RawPeriod::Iso(d) => {
            p.kind = PeriodKind::Date;
            p.start = Some(*d);
            p.end = Some(*d);
            p.resolved = true;
        }
        RawPeriod::Years(a, b) => {
            p.kind = PeriodKind::YearRange;
            p.start = ymd(*a, 1, 1);
            p.end = ymd(*b, 12, 31);
            p.resolved = p.start.is_some() && p.end.is_some();
        }
        RawPeriod::Calendar { year, core, as_of } => {
            let year_value = match year {
                Some(YearRef::Absolute(y)) => Some(*y),
                Some(YearRef::Relative(w)) => {
                    p.relative = Some(w.clone());
                    relative_year(w, ctx)
                }
                None => None,
            };
            let core = core.clone().unwrap_or(Core::FullYear);
            p.kind = if year.is_some() && matches!(core, Core::FullYear) && !*as_of {
                PeriodKind::Year
            } else {
                core.kind(*as_of)
            };
            let (m1, m2) = core.months(ctx.doc_date);
            let y = year_value.or(ctx.context_year).or_else(|| {
                // The most recent such period that has begun by the document date.
                let d = ctx.doc_date?;
                Some(if m1 <= d.month() {
                    d.year()
                } else {
                    d.year() - 1
                })
            });
            if let Some(y) = y {
                let start = ymd(y, m1, 1);
                let end = match core {
                    Core::Date(m, day) => ymd(y, m, day),
                    Core::Now => ctx.doc_date,
                    _ => month_end(y, m2),
                };
                p.start = if matches!(core, Core::MonthEnd(_) | Core::Date(..)) {
                    end
                } else if *as_of {
                    ymd(y, 1, 1)
                } else {
                    start
                };
                p.end = end;
                p.resolved = p.start.is_some() && p.end.is_some();
            }
        }
    }
    p
}

fn date_regexes() -> &'static [(Regex, &'static str)] {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RES.get_or_init(|| {
        let label = r"(?:发布日期|发布时间|发文日期|成文日期|印发日期|更新时间|发表时间|时间|日期)";
        let pats = [
            // 发布日期：2020-12-24 / 2020年12月24日 / 2020/12/24
            (
                format!(
                    r"{label}\s*[:：]?\s*(\d{{4}})\s*[-/年.]\s*(\d{{1,2}})\s*[-/月.]\s*(\d{{1,2}})"
                ),
                "label",
            ),
            // 发布时间：Fri, 12 Aug 2022 03:50:27 GMT
            (
                format!(
                    r"{label}\s*[:：]?\s*(?:[A-Z][a-z]{{2}},\s*)?(\d{{1,2}})\s+([A-Z][a-z]{{2}})\s+(\d{{4}})"
                ),
                "rfc2822",
            ),
            // ——2024年3月5日在…大会…上
            (
                r"——\s*(\d{4})年(\d{1,2})月(\d{1,2})日在".to_owned(),
                "speech",
            ),
            // 2022-09-27 05:49:11 near the top of a page
            (
                r"(?m)^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]\d{1,2}:\d{2}".to_owned(),
                "stamp",
            ),
        ];
        pats.into_iter()
            .filter_map(|(p, k)| Regex::new(&p).ok().map(|r| (r, k)))
            .collect()
    })
}

fn month_from_abbr(m: &str) -> Option<u32> {
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    names.iter().position(|n| *n == m).map(|i| i as u32 + 1)
}

/// Finds the document's date in its text: a labelled date (`发布日期：…`, `时间：…`),
/// a speech date (`——2024年3月5日在…`), or a timestamp line near the top. Returns the
/// date and the byte range of the match in `text`.
pub fn find_document_date(text: &str) -> Option<(NaiveDate, Range<usize>)> {
    // Only the head of the document carries its date; body dates are events.
    let head_end = text.char_indices().nth(3000).map_or(text.len(), |(i, _)| i);
    let head = &text[..head_end];
    for (re, kind) in date_regexes() {
        for caps in re.captures_iter(head) {
            let g = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
            let date = if *kind == "rfc2822" {
                let (d, m, y) = (g(1), g(2), g(3));
                month_from_abbr(m).and_then(|m| ymd(y.parse().ok()?, m, d.parse().ok()?))
            } else {
                ymd(
                    g(1).parse().unwrap_or(0),
                    g(2).parse().unwrap_or(0),
                    g(3).parse().unwrap_or(0),
                )
            };
            if let (Some(date), Some(m)) = (date, caps.get(0)) {
                return Some((date, m.range()));
            }
        }
    }
    None
}

/// The document date as a fact.
pub fn doc_date_fact(date: NaiveDate, source: &str) -> DocDate {
    DocDate {
        date,
        source: source.to_owned(),
        span: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(doc: &str) -> PeriodContext {
        PeriodContext {
            doc_date: NaiveDate::parse_from_str(doc, "%Y-%m-%d").ok(),
            context_year: None,
        }
    }

    #[test]
    fn relative_years_resolve_against_the_document_date() {
        let raw = RawPeriod::Calendar {
            year: Some(YearRef::Relative("去年".into())),
            core: None,
            as_of: false,
        };
        let p = resolve(&raw, &ctx("2021-03-01"));
        assert_eq!(p.start, ymd(2020, 1, 1));
        assert_eq!(p.end, ymd(2020, 12, 31));
        assert!(p.resolved);
        let p = resolve(&raw, &PeriodContext::default());
        assert!(!p.resolved);
        assert_eq!(p.relative.as_deref(), Some("去年"));
    }

    #[test]
    fn months_without_a_year() {
        let raw = RawPeriod::Calendar {
            year: None,
            core: Some(Core::MonthEnd(12)),
            as_of: false,
        };
        let p = resolve(&raw, &ctx("2022-02-15"));
        assert_eq!(p.end, ymd(2021, 12, 31));
        let raw = RawPeriod::Calendar {
            year: None,
            core: Some(Core::Months(1, 9)),
            as_of: false,
        };
        let c = PeriodContext {
            context_year: Some(2020),
            ..ctx("2020-12-24")
        };
        let p = resolve(&raw, &c);
        assert_eq!((p.start, p.end), (ymd(2020, 1, 1), ymd(2020, 9, 30)));
        assert_eq!(p.kind, PeriodKind::Months);
    }

    #[test]
    fn plan_periods() {
        let p = resolve(&RawPeriod::Plan(13), &PeriodContext::default());
        assert_eq!((p.start, p.end), (ymd(2016, 1, 1), ymd(2020, 12, 31)));
    }

    #[test]
    fn document_dates() {
        let cases = [
            ("标题\n发布日期:2020-12-24 11:48\n正文", ymd(2020, 12, 24)),
            ("标题\n\n2022-09-27 05:49:11 2158\n", ymd(2022, 9, 27)),
            ("时间：2024-03-25 嘉宾", ymd(2024, 3, 25)),
            ("发文日期: 2025年3月18日 09:12:30", ymd(2025, 3, 18)),
            (
                "来源：示例新闻网　发布时间：Tue, 14 Oct 2025 08:20:11 GMT",
                ymd(2025, 10, 14),
            ),
            (
                "报告\n——2025年1月16日在示例市第三届人民代表大会第五次会议上",
                ymd(2025, 1, 16),
            ),
            ("没有日期的文本，2020年全年增长", None),
        ];
        for (text, want) in cases {
            assert_eq!(find_document_date(text).map(|d| d.0), want, "{text}");
        }
    }
}
