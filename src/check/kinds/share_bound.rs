//! `share-bound`: a share of a composition above 100%.
//!
//! Reads every statement's share (`占规上工业增加值比重为82.3%`, `占比`, `构成`) of kind
//! [`ShareKind::Composition`] and, for breadth (`增长面`), [`ShareKind::Coverage`]: a
//! part cannot be more than its whole. Completion of a target (`占年度目标116%`,
//! [`ShareKind::Completion`]) and 贡献率 (which exceeds 100% when the other parts fall)
//! are exempt. Decided on the interval: only a share whose *lower* end is above 100
//! is reported (`100.4%` stands for 100.35…100.45 and is reported; `100%以上` is not,
//! it says nothing; `约101%` reaches down below 100 and is not either).

use rust_decimal::Decimal;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Interval, Quantity, ShareKind, Span, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "share-bound",
    summary: "构成占比超过100%",
    vars: &["share", "whole"],
    build: |_| Ok(Box::new(ShareBound)),
};

struct ShareBound;

/// The bound 100% as a figure of the relation. Written in words, so the suggestion
/// search never proposes to edit it.
pub fn hundred_percent() -> Quantity {
    Quantity {
        text: "100%".into(),
        span: Span::default(),
        written: "百".into(),
        number: Decimal::ONE_HUNDRED,
        decimals: 0,
        magnitude: None,
        unit: Some("%".into()),
        unit_kind: UnitKind::Percent,
        qualifier: None,
        value: Decimal::ONE_HUNDRED,
        interval: Interval::exact(Decimal::ONE_HUNDRED),
        chinese: true,
    }
}

/// `占年初预算的103.2%`, `占上年全年的112%`: a comparison with a plan or an earlier
/// period, which may exceed 100%, not a part of a whole.
fn not_a_whole(of: &str) -> bool {
    [
        "预算", "上年", "去年", "同期", "全年", "年度", "序时", "进度", "上期",
    ]
    .iter()
    .any(|w| of.contains(w))
}

impl RuleKind for ShareBound {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(sh) = &s.share else { continue };
            if !matches!(sh.kind, ShareKind::Composition | ShareKind::Coverage)
                || sh.percent.unit.as_deref() != Some("%")
                || sh.of.as_deref().is_some_and(not_a_whole)
            {
                continue;
            }
            let rel = Relation::NotAbove {
                part: sh.percent.clone(),
                whole: hundred_percent(),
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            let whole = sh.of.clone().unwrap_or_else(|| "整体".into());
            out.push(
                Finding {
                    span: sh.percent.span,
                    label: format!("占比{}", sh.percent.text),
                    stmt: Some(i),
                    relation: Some(rel),
                    key: vec![sh.percent.text.clone()],
                    ..Default::default()
                }
                .var("share", sh.percent.text.clone())
                .var("whole", whole),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> Vec<String> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .filter(|d| d.name == "share-over-100")
            .map(|d| d.label)
            .collect()
    }

    #[test]
    fn composition_above_100() {
        assert_eq!(fired("示例市制造业占规上工业增加值比重为112.3%。").len(), 1);
        // 100.4% stands for 100.35…100.45: above 100 whichever way it was rounded.
        assert_eq!(fired("示例市制造业占比为100.4%。").len(), 1);
    }

    #[test]
    fn completion_and_bounds_are_exempt() {
        assert!(fired("示例市一季度项目投资完成额占年度目标的116%。").is_empty());
        assert!(fired("示例市制造业占规上工业增加值比重为82.3%。").is_empty());
        assert!(fired("示例市制造业占比为100%。").is_empty());
        assert!(fired("示例市制造业占比约101%。").is_empty());
        assert!(fired("示例市一般公共预算支出占年初预算的103.2%。").is_empty());
    }
}
