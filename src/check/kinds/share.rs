//! `share`: a stated share against the part and the whole it is a share of.
//!
//! Reads `N中有M…，增长面达p%` (a statement with a part, a whole and a share) and a part
//! of a breakdown whose share of the total is stated (`其中制造业850亿元，占比85.0%`).
//! `part ÷ whole × 100` must meet the share's interval, on intervals.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Quantity, ShareKind, Statement};

pub const DEF: KindDef = KindDef {
    name: "share",
    summary: "占比与部分、整体不符",
    vars: &["part", "whole", "share", "computed"],
    build: |_| Ok(Box::new(Share)),
};

struct Share;

fn computed(part: &Quantity, whole: &Quantity) -> String {
    match part.value.checked_div(whole.value) {
        Some(r) if !whole.value.is_zero() => format!(
            "{}%",
            (r * rust_decimal::Decimal::ONE_HUNDRED)
                .round_dp(1)
                .normalize()
        ),
        _ => "—".into(),
    }
}

/// A stated share with the part and whole it is a share of.
pub struct Case<'a> {
    /// Index of the statement in [`Context::stmts`].
    pub stmt: usize,
    pub part: &'a Quantity,
    pub whole: &'a Quantity,
    pub pct: &'a Quantity,
}

impl Case<'_> {
    pub fn relation(&self) -> Relation {
        Relation::Share {
            part: self.part.clone(),
            whole: self.whole.clone(),
            pct: self.pct.clone(),
        }
    }
}

/// Every share worth checking (shared with `magnitude-slip`).
pub fn cases<'a>(ctx: &Context<'a>) -> Vec<Case<'a>> {
    let mut out = Vec::new();
    for (i, s) in ctx.stmts.iter().enumerate() {
        let s: &'a Statement = s;
        let Some(sh) = &s.share else { continue };
        if s.is_target() || !matches!(sh.kind, ShareKind::Coverage | ShareKind::Composition) {
            continue;
        }
        let pair = match (&s.value, &s.whole) {
            (Some(p), Some(w)) => Some((p, w)),
            (Some(p), None) => ctx.parent[i]
                .map(|pi| ctx.stmts[pi])
                .filter(|ps| !ps.is_target())
                .and_then(|ps| ps.value.as_ref())
                .filter(|w| super::comparable(p, w))
                .map(|w| (p, w)),
            _ => None,
        };
        let Some((part, whole)) = pair else { continue };
        out.push(Case {
            stmt: i,
            part,
            whole,
            pct: &sh.percent,
        });
    }
    out
}

impl RuleKind for Share {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for c in cases(ctx) {
            let (i, part, whole) = (c.stmt, c.part, c.whole);
            let rel = c.relation();
            ctx.record(&rel);
            // A 万/亿 slip is reported by `magnitude-slip` instead.
            if rel.holds() || super::slip(&rel).is_some() {
                continue;
            }
            out.push(
                Finding {
                    span: c.pct.span,
                    label: c.pct.text.clone(),
                    stmt: Some(i),
                    relation: Some(rel),
                    ..Default::default()
                }
                .related(part.span, format!("部分{}", part.text))
                .related(whole.span, format!("整体{}", whole.text))
                .var("part", part.text.clone())
                .var("whole", whole.text.clone())
                .var("share", c.pct.text.clone())
                .var("computed", computed(part, whole)),
            );
        }
    }
}
