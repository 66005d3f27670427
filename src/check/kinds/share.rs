//! `share`: a stated share against the part and the whole it is a share of.
//!
//! Reads `N中有M…，增长面达p%` (a statement with a part, a whole and a share) and a part
//! of a breakdown whose share of the total is stated (`其中制造业850亿元，占比85.0%`).
//! `part ÷ whole × 100` must meet the share's interval, on intervals.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Quantity, ShareKind};

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

impl RuleKind for Share {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(sh) = &s.share else { continue };
            if s.is_target() || !matches!(sh.kind, ShareKind::Coverage | ShareKind::Composition) {
                continue;
            }
            let pair = match (&s.value, &s.whole) {
                (Some(p), Some(w)) => Some((p, w)),
                (Some(p), None) => ctx.parent[i]
                    .and_then(|pi| ctx.stmts[pi].value.as_ref())
                    .filter(|w| super::comparable(p, w))
                    .map(|w| (p, w)),
                _ => None,
            };
            let Some((part, whole)) = pair else { continue };
            let rel = Relation::Share {
                part: part.clone(),
                whole: whole.clone(),
                pct: sh.percent.clone(),
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            out.push(
                Finding {
                    span: sh.percent.span,
                    label: sh.percent.text.clone(),
                    stmt: Some(i),
                    relation: Some(rel),
                    ..Default::default()
                }
                .related(part.span, format!("部分{}", part.text))
                .related(whole.span, format!("整体{}", whole.text))
                .var("part", part.text.clone())
                .var("whole", whole.text.clone())
                .var("share", sh.percent.text.clone())
                .var("computed", computed(part, whole)),
            );
        }
    }
}
