//! `two-year-average`: a two-year average growth against the two-year growth.
//!
//! Reads `比2019年同期增长15.6%，两年平均增长7.5%`: a growth against a base two years
//! back (a basis naming a year, `比2019年…`; when the period's year is known it must be
//! that year + 2) followed in the same sentence by `两年平均增长/下降X%` (recognised from
//! the words before the rate). NBS computes the average geometrically, so
//! `(1 + avg)² = 1 + total` must hold on intervals ([`Relation::TwoYear`]): 15.6% gives
//! 7.52%, which `7.5%` states and `7.8%` does not. A growth against last year
//! (`同比增长8.8%，两年平均增长5.3%`) is another base and is never paired.

use chrono::Datelike;

use super::{Sentences, chars_before, display, growth};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Quantity, Statement};

pub const DEF: KindDef = KindDef {
    name: "two-year-average",
    summary: "两年平均增速与两年累计增速不符",
    vars: &["total", "average", "computed"],
    build: |_| Ok(Box::new(TwoYear)),
};

struct TwoYear;

/// The year a basis names (`比2019年同期` → 2019).
fn basis_year(basis: &str) -> Option<i32> {
    let digits: String = basis
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = basis.split(digits.as_str()).nth(1)?;
    if digits.len() != 4 || !rest.starts_with('年') {
        return None;
    }
    digits.parse().ok()
}

/// Whether the growth of `s` is a two-year average (`两年平均增长7.8%`).
fn is_average(ctx: &Context<'_>, s: &Statement, amount: &Quantity) -> bool {
    let before = chars_before(display(ctx), amount.span.start, 10);
    before.contains("两年平均") && !before.contains("两年平均增速")
        || s.indicator
            .as_ref()
            .is_some_and(|i| i.text.ends_with("两年平均"))
}

impl RuleKind for TwoYear {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let sentences = Sentences::of(ctx);
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(c) = &s.change else { continue };
            let Some((avg, avg_down)) = growth(c) else {
                continue;
            };
            if s.is_target() || !is_average(ctx, s, avg) {
                continue;
            }
            // The two-year growth: the statement before, in the same sentence.
            let Some(k) = i.checked_sub(1) else { continue };
            let t = ctx.stmts[k];
            if sentences.sentence(t.span.start) != sentences.sentence(s.span.start) || t.is_target()
            {
                continue;
            }
            let Some(tc) = &t.change else { continue };
            let Some((total, total_down)) = growth(tc) else {
                continue;
            };
            let Some(year) = tc.basis.as_deref().and_then(basis_year) else {
                continue;
            };
            let period_year = t
                .period
                .as_ref()
                .or(s.period.as_ref())
                .and_then(|p| p.end.map(|d| d.year()));
            if period_year.is_some_and(|y| y != year + 2) {
                continue;
            }
            let rel = Relation::TwoYear {
                total: total.clone(),
                avg: avg.clone(),
                total_down,
                avg_down,
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            let g = if total_down {
                -total.value
            } else {
                total.value
            };
            let computed = {
                use rust_decimal::prelude::ToPrimitive;
                let g = g.to_f64().unwrap_or(0.0) / 100.0;
                if g > -1.0 {
                    format!("{:.2}%", ((1.0 + g).sqrt() - 1.0) * 100.0)
                } else {
                    String::new()
                }
            };
            out.push(
                Finding {
                    span: avg.span,
                    label: c.text.clone(),
                    stmt: Some(i),
                    relation: Some(rel),
                    key: vec![total.text.clone(), avg.text.clone()],
                    ..Default::default()
                }
                .related(total.span, tc.text.clone())
                .var("total", tc.text.clone())
                .var("average", c.text.clone())
                .var("computed", computed),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::basis_year;

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "two-year-average-mismatch")
            .count()
    }

    #[test]
    fn years() {
        assert_eq!(basis_year("比2019年同期"), Some(2019));
        assert_eq!(basis_year("比2019年1—11月份"), Some(2019));
        assert_eq!(basis_year("同比"), None);
    }

    #[test]
    fn geometric_mean() {
        assert_eq!(
            fired("示例市社会消费品零售总额比2019年同期增长15.6%，两年平均增长7.8%。"),
            1
        );
        assert_eq!(
            fired("示例市社会消费品零售总额比2019年同期增长15.6%，两年平均增长7.5%。"),
            0
        );
        // Against last year: another base, not paired.
        assert_eq!(
            fired("示例市社会消费品零售总额同比增长13.2%，两年平均增长6.9%。"),
            0
        );
        assert_eq!(
            fired("示例市餐饮收入比2019年同期下降6.7%，两年平均下降3.4%。"),
            0
        );
    }
}
