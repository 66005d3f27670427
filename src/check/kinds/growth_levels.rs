//! `growth-levels`: a growth rate against the two levels it was computed from.
//!
//! Two shapes are read:
//! - one sentence gives both levels and the rate: `税收收入由50亿元增至60亿元，增长20.0%`
//!   (a statement whose value is the earlier level and whose change goes *to* the later
//!   one, followed by the rate);
//! - two statements of the same indicator and subject for consecutive years, the later
//!   with its growth (`上年…520亿元` … `今年…565亿元，比上年增长8.7%`).
//!
//! `(to ÷ from − 1) × 100` must meet the rate's interval. Growth of 增加值 and GDP is at
//! constant prices and 规上 growth compares the same enterprises as last year, so for
//! those indicators (`growth: real` or `same_sample: true` in `indicators.yaml`) the
//! rule with `basis: real` reports a warning; the rule with `basis: nominal` reports the
//! others.

use chrono::Datelike;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::indicator::GrowthBasis;
use crate::extract::{Direction, Quantity, Statement, UnitKind};

#[derive(Debug, Deserialize, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Basis {
    #[default]
    Nominal,
    Real,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    basis: Basis,
}

pub const DEF: KindDef = KindDef {
    name: "growth-levels",
    summary: "增速与两期水平值不符",
    vars: &["from", "to", "growth", "computed"],
    build: |v| Ok(Box::new(GrowthLevels(params::<Params>(v)?))),
};

struct GrowthLevels(Params);

fn pct_change(c: &crate::extract::Change) -> Option<&Quantity> {
    c.amount
        .as_ref()
        .filter(|a| a.unit_kind == UnitKind::Percent && !c.to_level)
        .filter(|_| matches!(c.direction, Direction::Up | Direction::Down))
}

fn same_subject(a: &Statement, b: &Statement) -> bool {
    let scope = |s: &Statement| {
        s.scope
            .as_ref()
            .map(|x| x.resolved.clone().unwrap_or_else(|| x.text.clone()))
    };
    scope(a) == scope(b)
}

impl GrowthLevels {
    fn basis_of(&self, ctx: &Context<'_>, canonical: &str) -> Basis {
        match ctx.table.get(canonical) {
            Some(d) if d.growth == GrowthBasis::Real || d.same_sample => Basis::Real,
            _ => Basis::Nominal,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn test(
        &self,
        ctx: &Context<'_>,
        i: usize,
        from: &Quantity,
        to: &Quantity,
        c: &crate::extract::Change,
        pct: &Quantity,
        out: &mut Vec<Finding>,
    ) {
        if !super::comparable(from, to) || from.value <= rust_decimal::Decimal::ZERO {
            return;
        }
        let rel = Relation::Growth {
            from: from.clone(),
            to: to.clone(),
            pct: pct.clone(),
            down: c.direction == Direction::Down,
        };
        ctx.record(&rel);
        if rel.holds() || self.basis_of(ctx, ctx.stmts[i].canonical()) != self.0.basis {
            return;
        }
        let computed = to
            .value
            .checked_div(from.value)
            .map(|r| {
                format!(
                    "{}%",
                    ((r - rust_decimal::Decimal::ONE) * rust_decimal::Decimal::ONE_HUNDRED)
                        .round_dp(1)
                        .normalize()
                )
            })
            .unwrap_or_default();
        out.push(
            Finding {
                span: pct.span,
                label: c.text.clone(),
                stmt: Some(i),
                relation: Some(rel),
                ..Default::default()
            }
            .related(from.span, format!("前值{}", from.text))
            .related(to.span, format!("后值{}", to.text))
            .var("from", from.text.clone())
            .var("to", to.text.clone())
            .var("growth", c.text.clone())
            .var("computed", computed),
        );
    }
}

impl RuleKind for GrowthLevels {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            if s.is_target() {
                continue;
            }
            // 由X增至Y，增长g%
            if let (Some(from), Some(c)) = (&s.value, &s.change) {
                if c.to_level {
                    if let Some(to) = &c.amount {
                        let rate = ctx
                            .stmts
                            .get(i + 1)
                            .filter(|n| n.canonical() == s.canonical() && !n.is_target())
                            .and_then(|n| n.change.as_ref());
                        if let Some(nc) = rate {
                            if let Some(pct) = pct_change(nc) {
                                self.test(ctx, i, from, to, nc, pct, out);
                            }
                        }
                    }
                }
            }
            // A level of the year before, stated earlier in the document.
            let (Some(to), Some(c), Some(p)) = (&s.value, &s.change, &s.period) else {
                continue;
            };
            let Some(pct) = pct_change(c) else { continue };
            if !c
                .basis
                .as_deref()
                .is_none_or(|b| b.contains("同比") || b.contains("上年") || b.contains("去年"))
            {
                continue;
            }
            let (Some(ps), Some(pe)) = (p.start, p.end) else {
                continue;
            };
            let prev = ctx.stmts[..i].iter().rev().find(|a| {
                !a.is_target()
                    && a.canonical() == s.canonical()
                    && !s.canonical().is_empty()
                    && same_subject(a, s)
                    && a.period.as_ref().is_some_and(|q| {
                        q.start.zip(q.end).is_some_and(|(qs, qe)| {
                            qs.year() + 1 == ps.year()
                                && qe.year() + 1 == pe.year()
                                && qs.month() == ps.month()
                                && qe.month() == pe.month()
                        })
                    })
            });
            if let Some(from) = prev.and_then(|a| a.value.as_ref()) {
                self.test(ctx, i, from, to, c, pct, out);
            }
        }
    }
}
