//! `part-whole`: a part larger than its whole.
//!
//! Reads `N中有M` statements (`31个行业中有22个`, `79家…企业中51家`) and an increment
//! followed by the stock it adds to (`新增高新技术企业38家，总数达到55家`): the part must
//! not exceed the whole. Decided on intervals (the part's lower end against the
//! whole's upper end).

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Quantity, Statement};

pub const DEF: KindDef = KindDef {
    name: "part-whole",
    summary: "部分大于整体（N中有M、新增与总数）",
    vars: &["part", "whole"],
    build: |_| Ok(Box::new(PartWhole)),
};

struct PartWhole;

/// A part and the whole it may not exceed.
pub struct Pair<'a> {
    /// Index of the statement in [`Context::stmts`].
    pub stmt: usize,
    pub part: &'a Quantity,
    pub whole: &'a Quantity,
    pub part_label: String,
    pub whole_label: String,
}

/// Every part/whole pair worth checking (shared with `magnitude-slip`): `N中有M`
/// within one statement, and `新增M…，总数N` over two achieved statements.
pub fn pairs<'a>(ctx: &Context<'a>) -> Vec<Pair<'a>> {
    let mut out = Vec::new();
    for (i, s) in ctx.stmts.iter().enumerate() {
        let s: &'a Statement = s;
        if let (Some(part), Some(whole)) = (&s.value, &s.whole) {
            if super::comparable(part, whole) {
                out.push(Pair {
                    stmt: i,
                    part,
                    whole,
                    part_label: format!("其中{}", part.text),
                    whole_label: format!("共{}", whole.text),
                });
            }
        }
        // 新增…X，总数达到Y: the statement after an increment, naming its total.
        let Some(ind) = &s.indicator else { continue };
        if ind.aspect.as_deref() != Some("新增") || s.is_target() {
            continue;
        }
        let Some(next) = ctx.stmts.get(i + 1) else {
            continue;
        };
        let next: &'a Statement = next;
        let Some(nind) = &next.indicator else {
            continue;
        };
        let is_total = nind.aspect.as_deref().is_some_and(|a| a.starts_with("总"))
            && nind.canonical == ind.canonical;
        if let (true, Some(a), Some(b)) = (is_total, &s.value, &next.value) {
            if super::comparable(a, b) && !next.is_target() {
                out.push(Pair {
                    stmt: i,
                    part: a,
                    whole: b,
                    part_label: format!("新增{}", a.text),
                    whole_label: format!("总数{}", b.text),
                });
            }
        }
    }
    out
}

impl RuleKind for PartWhole {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in pairs(ctx) {
            let rel = Relation::NotAbove {
                part: p.part.clone(),
                whole: p.whole.clone(),
            };
            ctx.record(&rel);
            // A 万/亿 slip is reported by `magnitude-slip` instead.
            if rel.holds() || super::slip(&rel).is_some() {
                continue;
            }
            out.push(
                Finding {
                    span: p.part.span,
                    label: p.part_label.clone(),
                    stmt: Some(p.stmt),
                    relation: Some(rel),
                    ..Default::default()
                }
                .related(p.whole.span, p.whole_label.clone())
                .var("part", p.part_label)
                .var("whole", p.whole_label),
            );
        }
    }
}
