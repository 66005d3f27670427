//! `respectively-count`: the items before `分别` against the values after it.
//!
//! Reads statements whose breakdown is `分别`: when the items named before it form a
//! closed list (no `等`), there must be as many values as items. A single value that
//! applies to every item (`A、B排放量分别下降2%`) is accepted.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::BreakdownKind;

pub const DEF: KindDef = KindDef {
    name: "respectively-count",
    summary: "“分别”前后项数不符",
    vars: &["items", "values", "item_list"],
    build: |_| Ok(Box::new(RespectivelyCount)),
};

struct RespectivelyCount;

impl RuleKind for RespectivelyCount {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(b) = &s.breakdown else { continue };
            if b.kind != BreakdownKind::Respectively || b.open || s.items.len() < 2 {
                continue;
            }
            let values = s.parts.len();
            ctx.touch(s.parts.iter().flat_map(|p| p.figures()));
            // One value for all the items (`A、B分别下降2%`) is not a mismatch.
            if values == s.items.len() || values <= 1 {
                continue;
            }
            let mut f = Finding {
                span: b.marker,
                label: format!("{}项对应{}个数值", s.items.len(), values),
                stmt: Some(i),
                key: s.items.iter().map(|x| x.text.clone()).collect(),
                ..Default::default()
            }
            .var("items", s.items.len())
            .var("values", values)
            .var(
                "item_list",
                s.items
                    .iter()
                    .map(|x| x.text.clone())
                    .collect::<Vec<_>>()
                    .join("、"),
            );
            for it in &s.items {
                f = f.related(it.span, it.text.clone());
            }
            out.push(f);
        }
    }
}
