//! `decline-comparison`: a falling indicator compared with a reference by `高于`/`低于`
//! without saying what is compared. In `增加值下降8.0%，高于全省1.0个百分点` the reader
//! cannot tell whether the decline is larger (−8.0 vs −7.0) or the growth rate higher
//! (−8.0 vs −9.0); write `降幅比全省小1.0个百分点` or `增速比全省高1.0个百分点`.
//!
//! Reads statements whose change goes down and that carry a comparison with a
//! direction (`高`, `低`, `快`, `慢`, `高于` …) but no rate word (`降幅`, `增速`)
//! naming what is compared.
//!
//! No params.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::Direction;

pub const DEF: KindDef = KindDef {
    name: "decline-comparison",
    summary: "下降的指标用“高于/低于”比较，未说明比的是降幅还是增速",
    vars: &["change", "comparison", "reference"],
    build: |v| {
        if !v.is_null() {
            return Err("decline-comparison 没有参数".into());
        }
        Ok(Box::new(DeclineComparison))
    },
};

struct DeclineComparison;

impl RuleKind for DeclineComparison {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(c) = &s.change else { continue };
            if c.direction != Direction::Down || c.of_rate.is_some() {
                continue;
            }
            for cmp in &s.comparisons {
                if cmp.of_rate.is_some()
                    || !matches!(cmp.direction, Direction::Up | Direction::Down)
                    || !cmp.verb.starts_with(['高', '低', '快', '慢'])
                {
                    continue;
                }
                out.push(
                    Finding {
                        span: cmp.span,
                        label: cmp.text.clone(),
                        stmt: Some(i),
                        key: vec![c.text.clone(), cmp.text.clone()],
                        ..Default::default()
                    }
                    .related(c.span, c.text.clone())
                    .var("change", c.text.clone())
                    .var("comparison", cmp.text.clone())
                    .var("reference", cmp.reference.clone()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::labels;
    use super::DEF;

    #[test]
    fn ambiguous_comparison() {
        let text = "1—9月，示例市规上工业增加值下降8.0%，高于全省1.0个百分点。";
        assert_eq!(labels(&DEF, "", text), ["高于全省1.0个百分点"]);
    }

    #[test]
    fn named_rate_or_rising_indicator_passes() {
        let text = "1—9月，示例市规上工业增加值下降8.0%，降幅比全省小1.0个百分点。\
                    全市工业投资增长8.0%，高于全省1.0个百分点。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
