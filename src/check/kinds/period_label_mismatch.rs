//! `period-label-mismatch`: a figure of part of the year presented as the whole year.
//!
//! Pairs an achieved *full-year* statement (`全年`/`年度`, or a year written in its own
//! clause) with an achieved *cumulative* statement of the same year, indicator and
//! subject that covers January to a month before December (`1—11月`, `前三季度`,
//! `上半年`). Two shapes are reported at the full-year statement:
//! - the same figure for both (`1—11月…增长6.1%……全年…增长6.1%`): the cumulative
//!   figure was relabelled;
//! - a full-year lede that only cumulative figures back: the full-year statement comes
//!   first, the text gives the same indicator up to month N < 12, and no achieved
//!   figure of the document reaches December of that year.
//!
//! In a text whose year cannot be resolved (no year written, no document date), an
//! undated `全年` and an undated `1—11月`/`前三季度`/`上半年` are taken to be of the
//! same year, and only the first shape (the same figure) is reported.
//!
//! Targets and forecasts (`预计全年增长6%左右`) are never paired.

use chrono::Datelike;

use super::period_not_ended::targetish;
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::{PeriodKind, Quantity, Statement};

pub const DEF: KindDef = KindDef {
    name: "period-label-mismatch",
    summary: "部分期间的累计数被写成全年数",
    vars: &["full", "partial", "partial_period", "reason"],
    build: |_| Ok(Box::new(PeriodLabelMismatch)),
};

struct PeriodLabelMismatch;

fn scope_key(s: &Statement) -> &str {
    s.scope
        .as_ref()
        .map_or("", |x| x.resolved.as_deref().unwrap_or(&x.text))
}

/// The year a full-year statement covers.
fn full_year(s: &Statement) -> Option<i32> {
    let p = s.period.as_ref()?;
    let ok = match p.kind {
        PeriodKind::FullYear => true,
        PeriodKind::Year => !p.inherited,
        _ => false,
    };
    let (a, b) = (p.start?, p.end?);
    (ok && p.resolved
        && a.ordinal() == 1
        && b.month() == 12
        && b.day() == 31
        && a.year() == b.year())
    .then_some(a.year())
}

/// The year and last month of a cumulative statement from January.
fn cumulative(s: &Statement) -> Option<(i32, u32)> {
    let p = s.period.as_ref()?;
    if !matches!(
        p.kind,
        PeriodKind::Months | PeriodKind::Quarter | PeriodKind::Half
    ) {
        return None;
    }
    let (a, b) = (p.start?, p.end?);
    (p.resolved && a.ordinal() == 1 && a.year() == b.year() && b.month() < 12)
        .then_some((a.year(), b.month()))
}

/// The last month of a cumulative period from January whose year is not known
/// (`1—11月`, `前三季度`, `上半年` in an undated text).
fn cumulative_undated(s: &Statement) -> Option<u32> {
    let p = s.period.as_ref()?;
    if p.resolved || p.inherited {
        return None;
    }
    let t = p.text.trim_end_matches('份');
    let month = match p.kind {
        PeriodKind::Months => {
            let rest = ["1—", "1-", "1–", "1～", "1~", "1至", "元至", "元—", "元-"]
                .iter()
                .find_map(|w| t.strip_prefix(w))?;
            rest.strip_suffix('月')?.parse::<u32>().ok()?
        }
        PeriodKind::Quarter => match t {
            "一季度" | "第一季度" => 3,
            "前两季度" | "前二季度" => 6,
            "前三季度" => 9,
            _ => return None,
        },
        PeriodKind::Half => (t == "上半年").then_some(6)?,
        _ => return None,
    };
    (month < 12).then_some(month)
}

/// Whether a full-year statement's year is unknown (`全年` in an undated text).
fn full_year_undated(s: &Statement) -> bool {
    s.period
        .as_ref()
        .is_some_and(|p| p.kind == PeriodKind::FullYear && !p.resolved && !p.inherited)
}

/// The figure a statement states: a key to compare (`Up6.1%`, `=68个`), the text to
/// show (`增长6.1%`, `68个`) and the quantity.
fn figure(s: &Statement) -> Option<(String, String, &Quantity)> {
    if let Some(c) = &s.change {
        if let Some(a) = &c.amount {
            let shown = format!("{}{}", c.verb, a.text);
            return Some((
                format!("{:?}{}{}", c.direction, a.written, a.unit_text()),
                shown,
                a,
            ));
        }
    }
    s.value.as_ref().map(|v| {
        (
            format!("={}{}", v.written, v.unit_text()),
            v.text.clone(),
            v,
        )
    })
}

impl RuleKind for PeriodLabelMismatch {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let achieved: Vec<usize> = (0..ctx.stmts.len())
            .filter(|&i| !targetish(ctx, i) && !ctx.stmts[i].canonical().is_empty())
            .collect();
        // Whether any achieved figure of months, quarters or dates reaches December
        // (a whole year, written or carried from a heading, says nothing of the data).
        let reaches_december = |year: i32| {
            achieved.iter().any(|&i| {
                ctx.stmts[i].period.as_ref().is_some_and(|p| {
                    !matches!(
                        p.kind,
                        PeriodKind::Year
                            | PeriodKind::FullYear
                            | PeriodKind::YearRange
                            | PeriodKind::Plan
                            | PeriodKind::Recent
                    ) && p
                        .end
                        .is_some_and(|e| e.year() > year || e.year() == year && e.month() == 12)
                })
            })
        };
        for &i in &achieved {
            let s = ctx.stmts[i];
            let Some(year) = full_year(s) else {
                // Without any year, only a figure repeated word for word is reported.
                if full_year_undated(s) {
                    self.undated(ctx, &achieved, i, out);
                }
                continue;
            };
            let Some((fig, shown, q)) = figure(s) else {
                continue;
            };
            let partials: Vec<usize> = achieved
                .iter()
                .copied()
                .filter(|&j| {
                    let t = ctx.stmts[j];
                    j != i
                        && t.canonical() == s.canonical()
                        && cumulative(t).is_some_and(|(y, _)| y == year)
                        && scope_key(t) == scope_key(s)
                })
                .collect();
            let same = partials
                .iter()
                .copied()
                .find(|&j| figure(ctx.stmts[j]).is_some_and(|(f, ..)| f == fig));
            let lede = partials
                .iter()
                .copied()
                .filter(|&j| j > i)
                .max_by_key(|&j| cumulative(ctx.stmts[j]).map(|x| x.1));
            let (j, reason) = match (same, lede) {
                (Some(j), _) => (j, "两者数字完全相同，可能把累计数当成了全年数".to_owned()),
                (None, Some(j)) if !reaches_december(year) => {
                    let month = cumulative(ctx.stmts[j]).map_or(0, |x| x.1);
                    (
                        j,
                        format!("文中数据只到{month}月，全年数缺少依据，可能是预计数"),
                    )
                }
                _ => continue,
            };
            emit(ctx, i, j, &shown, q, reason, out);
        }
    }
}

impl PeriodLabelMismatch {
    /// `1—11月…增长6.1%……全年…增长6.1%` in a text where neither year is known: both
    /// are taken to be of the same year.
    fn undated(&self, ctx: &Context<'_>, achieved: &[usize], i: usize, out: &mut Vec<Finding>) {
        let s = ctx.stmts[i];
        let Some((fig, shown, q)) = figure(s) else {
            return;
        };
        let same = achieved.iter().copied().find(|&j| {
            let t = ctx.stmts[j];
            j != i
                && t.canonical() == s.canonical()
                && cumulative_undated(t).is_some()
                && scope_key(t) == scope_key(s)
                && figure(t).is_some_and(|(f, ..)| f == fig)
        });
        if let Some(j) = same {
            let reason = "两者数字完全相同，可能把累计数当成了全年数".to_owned();
            emit(ctx, i, j, &shown, q, reason, out);
        }
    }
}

/// Reports full-year statement `i` (figure `shown`, quantity `q`) against the
/// cumulative statement `j`.
fn emit(
    ctx: &Context<'_>,
    i: usize,
    j: usize,
    shown: &str,
    q: &Quantity,
    reason: String,
    out: &mut Vec<Finding>,
) {
    let s = ctx.stmts[i];
    let t = ctx.stmts[j];
    let Some((_, tshown, tq)) = figure(t) else {
        return;
    };
    let pp = t
        .period
        .as_ref()
        .map(|p| p.text.clone())
        .unwrap_or_default();
    let fp = s
        .period
        .as_ref()
        .map(|p| p.text.clone())
        .unwrap_or_default();
    ctx.touch([q, tq]);
    out.push(
        Finding {
            span: q.span,
            label: format!("{fp}{shown}"),
            stmt: Some(i),
            key: vec![shown.to_owned(), pp.clone(), tshown.clone()],
            ..Default::default()
        }
        .related(tq.span, format!("{pp}{tshown}"))
        .var("full", format!("{fp}{shown}"))
        .var("partial", tshown)
        .var("partial_period", pp)
        .var("reason", reason),
    );
}

#[cfg(test)]
mod tests {

    use super::super::testing::rule_messages as rules;

    #[test]
    fn relabelled_cumulative_figure() {
        let d = rules(
            "2023年1—11月，全市规上工业增加值增长6.1%。2023年全年，全市规上工业增加值增长6.1%。",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T302");
        assert!(d[0].1.contains("完全相同"), "{d:?}");
    }

    #[test]
    fn lede_without_december_data() {
        let d = rules(
            "2023年全年，全市规上工业增加值增长6.3%。\n2023年1—11月，全市规上工业增加值增长6.1%，工业投资增长8.2%。",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.contains("只到11月"), "{d:?}");
        // With December data the full-year figure is backed.
        let d = rules(
            "2023年全年，全市规上工业增加值增长6.3%。\n2023年1—11月，全市规上工业增加值增长6.1%。2023年12月，全市工业用电量增长3.0%。",
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn undated_text_repeats_the_cumulative_figure() {
        let d = rules("1—11月，全市规上工业增加值增长6.1%。全年，全市规上工业增加值增长6.1%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "T302");
        let d = rules("前三季度，全市新开工项目68个。全年，全市新开工项目68个。");
        assert_eq!(d.len(), 1, "{d:?}");
        // Different figures, or a third quarter alone, are not a relabelling.
        assert!(
            rules("1—11月，全市规上工业增加值增长6.1%。全年，全市规上工业增加值增长6.3%。")
                .is_empty()
        );
        assert!(rules("三季度，全市新开工项目68个。全年，全市新开工项目68个。").is_empty());
    }

    #[test]
    fn forecasts_and_other_indicators() {
        assert!(
            rules("2023年1—11月，全市规上工业增加值增长6.1%，预计全年增长6.0%左右。").is_empty()
        );
        assert!(
            rules("2023年1—11月，全市规上工业增加值增长6.1%。2023年全年，全市工业投资增长6.1%。")
                .is_empty()
        );
    }
}
