//! `period-not-ended`: an achieved figure for a period that ends after the document's
//! date (`全年新开工项目68个` in a text dated 12-10; `一季度…` in one dated 02-15).
//!
//! Reads statements that are not targets (`预计`, `力争`, a plan heading …: see
//! [`Statement::target`]) and whose period is written in their own clause — a period
//! carried from a heading (`一、2020年主要工作情况`) or an earlier clause is not what
//! the writer claimed for this figure — and is a whole year (`全年`), a quarter, a
//! half-year, a month or cumulative months. `2020年` written alone is left out: in a
//! year-end summary it names the year of the work, not a closed period. The period's
//! [`Period::end`] must not be after [`Context::doc_date`]; without a date nothing is
//! checked. Statements that are themselves about targets (`全年目标`, `年度任务`) are
//! left out, and each written period is reported once.
//!
//! A period without a year of its own (`全年`, `1—11月`) is resolved against the date.
//! When the same period of the year before ended less than half a year before the
//! date (`全年` in a government work report of February reviews the year before), or
//! the page plans for a year already past (its date is a reprint date, see
//! `relative-date`), such a period is not reported unless its paragraph names the
//! year.

use std::collections::HashSet;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use chrono::{Datelike, NaiveDate};

use crate::extract::{Period, PeriodKind, Statement};

pub const DEF: KindDef = KindDef {
    name: "period-not-ended",
    summary: "期间尚未结束却给出了实绩",
    vars: &["period", "period_end", "date", "achieved"],
    build: |_| Ok(Box::new(PeriodNotEnded)),
};

struct PeriodNotEnded;

/// Whether a statement is, or belongs to, a target or plan.
pub fn targetish(ctx: &Context<'_>, i: usize) -> bool {
    let mut k = Some(i);
    while let Some(j) = k {
        let s: &Statement = ctx.stmts[j];
        let names_target = s.indicator.as_ref().is_some_and(|x| names_target(&x.text));
        if s.is_target() || names_target {
            return true;
        }
        k = ctx.parent[j];
    }
    false
}

/// Whether a name holds `目标`, `计划`, `任务`, `预计` or `预期`: read a character at a
/// time, as names are short and asked about for every statement.
fn names_target(name: &str) -> bool {
    let mut cs = name.chars().peekable();
    while let Some(c) = cs.next() {
        let second = match c {
            '目' => '标',
            '计' => '划',
            '任' => '务',
            '预' => {
                if cs.peek().is_some_and(|&d| d == '计' || d == '期') {
                    return true;
                }
                continue;
            }
            _ => continue,
        };
        if cs.peek() == Some(&second) {
            return true;
        }
    }
    false
}

/// Whether the period's year is written: in the period (`2020年全年`, `今年一季度`) or
/// earlier in its paragraph (`2020年……全年…`), rather than taken from the date.
fn anchored(ctx: &Context<'_>, p: &Period) -> bool {
    if p.relative.is_some() || p.text.chars().filter(char::is_ascii_digit).count() >= 4 {
        return true;
    }
    let Some(start) = p.start else { return false };
    super::paragraph_text_before(ctx, p.span).contains(&format!("{}年", start.year()))
}

/// Whether the same period a year earlier ended shortly before the date (`全年` in a
/// report of late January, `1—11月` in one of mid-January): without a written year
/// the writer most likely means that one.
fn recent_last_year(p: &Period, date: NaiveDate) -> bool {
    let Some(end) = p.end else { return false };
    let Some(last) = end.with_year(end.year() - 1) else {
        return false;
    };
    last <= date && (date - last).num_days() <= 183
}

impl RuleKind for PeriodNotEnded {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(date) = ctx.doc_date else { return };
        // A page that plans for a year already past carries a reprint date: periods
        // whose year comes from that date are not to be trusted.
        let reprint = super::relative_date::stale_plan(ctx, date).is_some();
        let mut seen = HashSet::new();
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(p) = &s.period else { continue };
            if p.inherited
                || !p.resolved
                || !matches!(
                    p.kind,
                    PeriodKind::FullYear
                        | PeriodKind::Quarter
                        | PeriodKind::Half
                        | PeriodKind::Months
                        | PeriodKind::Month
                )
            {
                continue;
            }
            let Some(end) = p.end else { continue };
            let Some(q) = s
                .value
                .as_ref()
                .or_else(|| s.change.as_ref().and_then(|c| c.amount.as_ref()))
            else {
                continue;
            };
            if end <= date || targetish(ctx, i) || !seen.insert(p.span) {
                continue;
            }
            if !anchored(ctx, p) && (reprint || recent_last_year(p, date)) {
                continue;
            }
            out.push(
                Finding {
                    span: p.span,
                    label: format!("{}未结束", p.text),
                    stmt: Some(i),
                    key: vec![p.text.clone(), q.text.clone()],
                    ..Default::default()
                }
                .related(q.span, q.text.clone())
                .var("period", p.text.clone())
                .var("period_end", end.format("%Y年%-m月%-d日").to_string())
                .var("date", date.format("%Y年%-m月%-d日").to_string())
                .var("achieved", q.text.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    fn rules(text: &str) -> Vec<String> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| d.rule)
            .collect()
    }

    #[test]
    fn full_year_before_year_end() {
        assert_eq!(
            rules("发布日期：2023-12-10\n全年全市新开工项目68个。"),
            ["T301"]
        );
        assert_eq!(
            rules("发布日期：2024-02-15\n一季度，全市规上工业增加值增长8.5%。"),
            ["T301"]
        );
    }

    #[test]
    fn forecasts_earlier_periods_and_undated_texts() {
        assert!(
            rules("发布日期：2023-12-10\n截至11月底，全市新开工项目68个，预计全年超过70个。")
                .is_empty()
        );
        assert!(rules("发布日期：2024-01-20\n全年全市新开工项目68个。").is_empty());
        assert!(rules("全年全市新开工项目68个。").is_empty());
        assert!(rules("发布日期：2023-12-10\n全年新开工项目目标70个。").is_empty());
    }

    #[test]
    fn periods_from_headings_are_not_claims() {
        let text = "发布日期：2023-12-10\n一、2023年主要工作情况\n全市新开工项目68个。";
        assert!(rules(text).is_empty(), "{:?}", rules(text));
    }
}
