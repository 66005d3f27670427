//! `breakdown-sum`: the parts of a breakdown against its total.
//!
//! Reads a statement with a value and parts with values (`共60条，其中融资类12条…`,
//! `A、B、C分别为…`). Parts are added only when they measure the same thing in the same
//! unit as the total; a part that is a class of items (`10亿元以上项目`) overlaps the
//! others and is left out.
//!
//! A list is *exhaustive* when it is closed by `其他`/`其余` or announced as complete
//! (`共…分别…`, `合计`): the parts must then add up to the total. Otherwise (`其中…`,
//! `等`) the parts may not exceed it. Both are decided on intervals: the sum of the
//! parts' intervals must be able to meet (or stay under) the total's interval.
//!
//! Params: `exhaustive` — `true` checks closed lists for a mismatch (A101), `false`
//! checks open lists for an excess (A102).

use serde::Deserialize;

use super::{comparable, is_residual, quoted};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::{BreakdownKind, Quantity, Statement};
use rust_decimal::Decimal;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    #[serde(default)]
    exhaustive: bool,
}

pub const DEF: KindDef = KindDef {
    name: "breakdown-sum",
    summary: "分项之和与合计（其中/分别/其他）",
    vars: &["total", "parts_sum", "parts", "count", "difference"],
    build: |v| Ok(Box::new(BreakdownSum(params::<Params>(v)?))),
};

struct BreakdownSum(Params);

fn fmt(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A total and the parts of its breakdown that can be added to it.
pub struct Case<'a> {
    /// Index of the statement in [`Context::stmts`].
    pub stmt: usize,
    pub total: &'a Quantity,
    pub parts: Vec<(&'a Statement, &'a Quantity)>,
    /// Closed list (`其他`, `共…分别`, `合计`): the parts must add up to the total.
    pub exhaustive: bool,
}

impl Case<'_> {
    pub fn relation(&self) -> Relation {
        Relation::Sum {
            parts: self.parts.iter().map(|(_, v)| (*v).clone()).collect(),
            total: self.total.clone(),
            exhaustive: self.exhaustive,
        }
    }
}

/// Every breakdown worth checking: achieved totals with comparable achieved parts
/// (shared with `magnitude-slip`).
pub fn cases<'a>(ctx: &Context<'a>) -> Vec<Case<'a>> {
    let mut out = Vec::new();
    for (i, s) in ctx.stmts.iter().enumerate() {
        let s: &'a Statement = s;
        let (Some(total), Some(b)) = (&s.value, &s.breakdown) else {
            continue;
        };
        if s.is_target() || !matches!(b.kind, BreakdownKind::Qizhong | BreakdownKind::Respectively)
        {
            continue;
        }
        if super::per_unit(ctx, total) {
            continue;
        }
        let parts: Vec<_> = s
            .parts
            .iter()
            .filter(|p| p.class.is_none() && !p.is_target())
            .filter_map(|p| {
                p.value
                    .as_ref()
                    .filter(|v| comparable(v, total))
                    .map(|v| (p, v))
            })
            .collect();
        // One part is worth checking against its total only in an open list.
        if parts.is_empty() || parts.len() == 1 && b.closed {
            continue;
        }
        out.push(Case {
            stmt: i,
            total,
            parts,
            exhaustive: b.closed && !b.open,
        });
    }
    out
}

impl RuleKind for BreakdownSum {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for case in cases(ctx) {
            let (i, total, parts, exhaustive) =
                (case.stmt, case.total, &case.parts, case.exhaustive);
            let rel = case.relation();
            ctx.record(&rel);
            // A 万/亿 slip is reported by `magnitude-slip` instead.
            if exhaustive != self.0.exhaustive || rel.holds() || super::slip(&rel).is_some() {
                continue;
            }
            let sum: Decimal = parts.iter().map(|(_, v)| v.value).sum();
            let factor = total
                .value
                .checked_div(total.number)
                .filter(|f| !f.is_zero())
                .unwrap_or(Decimal::ONE);
            let unit = total.unit_text();
            let sum_shown = format!("{}{unit}", fmt(sum / factor));
            let prefer: Vec<usize> = parts
                .iter()
                .enumerate()
                .filter(|(_, (p, _))| is_residual(p))
                .map(|(k, _)| k)
                .collect();
            let mut f = Finding {
                span: total.span,
                label: format!("合计{}", total.text),
                stmt: Some(i),
                relation: Some(rel),
                prefer,
                key: std::iter::once(total.text.clone())
                    .chain(parts.iter().map(|(_, v)| v.text.clone()))
                    .collect(),
                ..Default::default()
            }
            .var("total", total.text.clone())
            .var("parts_sum", sum_shown)
            .var(
                "parts",
                parts
                    .iter()
                    .map(|(p, v)| quoted(p, v))
                    .collect::<Vec<_>>()
                    .join("、"),
            )
            .var("count", parts.len())
            .var(
                "difference",
                format!("{}{unit}", fmt((sum - total.value).abs() / factor)),
            );
            for (p, v) in parts {
                f = f.related(v.span, quoted(p, v));
            }
            out.push(f);
        }
    }
}
