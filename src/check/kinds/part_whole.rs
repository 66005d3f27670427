//! `part-whole`: a part larger than its whole.
//!
//! Reads `N中有M` statements (`31个行业中有22个`, `79家…企业中51家`) and an increment
//! followed by the stock it adds to (`新增高新技术企业38家，总数达到55家`): the part must
//! not exceed the whole. Decided on intervals (the part's lower end against the
//! whole's upper end).

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};

pub const DEF: KindDef = KindDef {
    name: "part-whole",
    summary: "部分大于整体（N中有M、新增与总数）",
    vars: &["part", "whole"],
    build: |_| Ok(Box::new(PartWhole)),
};

struct PartWhole;

impl RuleKind for PartWhole {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut push = |i: usize,
                        part: &crate::extract::Quantity,
                        whole: &crate::extract::Quantity,
                        part_label: String,
                        whole_label: String| {
            let rel = Relation::NotAbove {
                part: part.clone(),
                whole: whole.clone(),
            };
            ctx.record(&rel);
            if rel.holds() {
                return;
            }
            out.push(
                Finding {
                    span: part.span,
                    label: part_label.clone(),
                    stmt: Some(i),
                    relation: Some(rel),
                    ..Default::default()
                }
                .related(whole.span, whole_label.clone())
                .var("part", part_label)
                .var("whole", whole_label),
            );
        };
        for (i, s) in ctx.stmts.iter().enumerate() {
            if let (Some(part), Some(whole)) = (&s.value, &s.whole) {
                if super::comparable(part, whole) {
                    push(
                        i,
                        part,
                        whole,
                        format!("其中{}", part.text),
                        format!("共{}", whole.text),
                    );
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
            let Some(nind) = &next.indicator else {
                continue;
            };
            let is_total = nind.aspect.as_deref().is_some_and(|a| a.starts_with("总"))
                && nind.canonical == ind.canonical;
            if let (true, Some(a), Some(b)) = (is_total, &s.value, &next.value) {
                if super::comparable(a, b) && !next.is_target() {
                    push(
                        i,
                        a,
                        b,
                        format!("新增{}", a.text),
                        format!("总数{}", b.text),
                    );
                }
            }
        }
    }
}
