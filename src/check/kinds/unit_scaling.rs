//! `unit-scaling`: sums of money in a unit that does not fit them. A sum of one 亿 or
//! more is written in 亿元 (`28640万元` → `2.86亿元`), one below 1万 not in 亿元, and
//! the items of one list or breakdown in one unit (`其中…1.20亿元、…8600万元`).
//!
//! Reads the money figures of every statement (value, upper end, whole): `万` with a
//! number of 10000 or more; `亿` with a number below 0.0001; and, for each statement
//! with parts, the parts' values in `万…` and `亿…` together, or a total in `万…`
//! with a part in `亿…`. A total in 亿元 with parts in 万元 is the natural way to write
//! a small part and is not reported.
//!
//! No params.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::{Quantity, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "unit-scaling",
    summary: "金额的计量单位与数值大小或同列数字不相称",
    vars: &["problem", "replacement"],
    build: |v| {
        if !v.is_null() {
            return Err("unit-scaling 没有参数".into());
        }
        Ok(Box::new(UnitScaling))
    },
};

struct UnitScaling;

fn money(q: &Quantity) -> Option<&str> {
    if q.unit_kind != UnitKind::Money {
        return None;
    }
    q.magnitude.as_deref()
}

/// `number` written with at most two decimals, trailing zeros dropped.
fn show(n: Decimal) -> String {
    n.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

impl RuleKind for UnitScaling {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut reported = std::collections::HashSet::new();
        let mut push = |out: &mut Vec<Finding>,
                        i: usize,
                        q: &Quantity,
                        problem: String,
                        new: Option<String>| {
            if !reported.insert((q.span.start, q.span.end)) {
                return;
            }
            let mut f = Finding {
                span: q.span,
                label: q.text.clone(),
                stmt: Some(i),
                key: vec![q.text.clone()],
                ..Default::default()
            }
            .var("problem", problem)
            .var("replacement", new.clone().unwrap_or_default());
            if let Some(n) = new {
                f.suggestion = Some(format!("改为“{n}”"));
            }
            out.push(f);
        };
        let unit = |q: &Quantity| q.unit.clone().unwrap_or_default();
        for (i, s) in ctx.stmts.iter().enumerate() {
            let figs = s
                .value
                .iter()
                .chain(s.value_to.iter())
                .chain(s.whole.iter());
            for q in figs {
                let Some(m) = money(q) else { continue };
                let n = q.number.abs();
                if m == "万" && n >= Decimal::from(10000) {
                    let yi = show(q.number / Decimal::from(10000));
                    push(
                        out,
                        i,
                        q,
                        "超过1亿，宜以“亿”为单位".into(),
                        Some(format!("{yi}亿{}", unit(q))),
                    );
                } else if m == "亿" && !n.is_zero() && n < Decimal::new(1, 4) {
                    let yuan = show(q.number.saturating_mul(Decimal::from(100_000_000)));
                    push(
                        out,
                        i,
                        q,
                        "不足1万，不宜以“亿”为单位".into(),
                        Some(format!("{yuan}{}", unit(q))),
                    );
                }
            }
            // One list, one unit.
            let parts: Vec<&Quantity> = s
                .parts
                .iter()
                .filter_map(|p| p.value.as_ref())
                .filter(|q| money(q).is_some())
                .collect();
            // A total in 万 over 1亿 is reported above; its fix settles the mix.
            let total_wan = s
                .value
                .as_ref()
                .is_some_and(|q| money(q) == Some("万") && q.number.abs() < Decimal::from(10000));
            let has = |m: &str| parts.iter().any(|q| money(q) == Some(m));
            if !(has("亿") && (has("万") || total_wan)) {
                continue;
            }
            let Some(first_yi) = parts.iter().find(|q| money(q) == Some("亿")) else {
                continue;
            };
            let odd: Vec<&&Quantity> = if has("万") {
                // Report the figures in 万 next to the ones in 亿.
                parts.iter().filter(|q| money(q) == Some("万")).collect()
            } else {
                parts.iter().filter(|q| money(q) == Some("亿")).collect()
            };
            for q in odd {
                let new = if money(q) == Some("万") {
                    format!("{}亿{}", show(q.number / Decimal::from(10000)), unit(q))
                } else {
                    format!(
                        "{}万{}",
                        show(q.number.saturating_mul(Decimal::from(10000))),
                        unit(q)
                    )
                };
                let problem = if money(q) == Some("万") {
                    format!("与同列的“{}”单位不一致", first_yi.text)
                } else {
                    "与总数的单位“万”不一致".to_owned()
                };
                push(out, i, q, problem, Some(new));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, labels, suggestions};
    use super::DEF;

    #[test]
    fn wan_over_one_yi() {
        let text = "全年减税降费28640万元，其中新政策减税1.20亿元。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“2.86亿元”"]);
    }

    #[test]
    fn mixed_parts() {
        let text = "全年新增贷款5.6亿元，其中制造业贷款1.2亿元、小微企业贷款8600万元。";
        let f = findings(&DEF, "", text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].label, "8600万元");
        assert_eq!(f[0].suggestion.as_deref(), Some("改为“0.86亿元”"));
    }

    #[test]
    fn natural_units_pass() {
        let text = "全年新增贷款5.6亿元，其中制造业贷款8600万元。人均收入35000元。投资9800万元。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
