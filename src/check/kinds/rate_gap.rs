//! `rate-gap`: a gap in percentage points against the two rates it compares.
//!
//! Reads a statement's growth with a comparison (`增长8.6%，比全省(6.9%)高1.7个百分点`):
//! the reference's rate is the one in brackets ([`Comparison::reference_value`]) or,
//! when none is written, the rate of the reference stated earlier in the same
//! sentence (`全省增长6.9%，全市增长8.6%，高于全省1.7个百分点`: a statement whose scope,
//! or whose indicator for `经济增速`, is the reference). `高/快/多` make the gap
//! positive, `低/慢/少` negative; `rate − reference = gap` must hold on intervals
//! ([`Relation::Gap`]). Only gaps in `个百分点` are checked (`高2.7%` may be relative).
//!
//! A falling rate compared with a reference written without a sign (`下降8.0%，比全省
//! (9.0%)…`) is ambiguous: the reference may fall too. Such a pair is reported only
//! when neither reading holds.
//!
//! [`Comparison::reference_value`]: crate::extract::Comparison::reference_value

use super::{Sentences, growth, open_ended};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Comparison, Direction, Quantity, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "rate-gap",
    summary: "“高/低X个百分点”与两个增速不符",
    vars: &["rate", "reference", "reference_rate", "gap", "computed"],
    build: |_| Ok(Box::new(RateGap)),
};

struct RateGap;

/// The words a reference is written with, without `平均水平`, `增速` …
fn reference_name(r: &str) -> &str {
    let mut s = r.trim();
    for suffix in ["同期", "平均水平", "平均", "水平", "增速", "增幅", "的"] {
        s = s.strip_suffix(suffix).unwrap_or(s);
    }
    for suffix in ["同期", "平均水平", "平均", "水平", "增速", "的"] {
        s = s.strip_suffix(suffix).unwrap_or(s);
    }
    s.strip_prefix("同期").unwrap_or(s)
}

/// A statement earlier in the sentence that states the reference's growth.
fn stated_reference<'a>(
    ctx: &Context<'a>,
    sentences: &Sentences,
    i: usize,
    cmp: &Comparison,
) -> Option<(&'a Quantity, bool)> {
    let name = reference_name(&cmp.reference);
    if name.is_empty() {
        return None;
    }
    let s = ctx.stmts[i];
    let sn = sentences.sentence(s.span.start)?;
    let economy = matches!(name, "经济" | "经济增长" | "GDP" | "地区生产总值");
    ctx.stmts[..i]
        .iter()
        .rev()
        .take_while(|o| sentences.sentence(o.span.start) == Some(sn))
        .filter(|o| !o.is_target() && super::same_period(o, s))
        .find(|o| {
            let by_scope = o
                .scope
                .as_ref()
                .is_some_and(|sc| !sc.inherited && sc.text == name)
                && (o.canonical() == s.canonical()
                    || o.indicator.as_ref().is_none_or(|x| x.inherited));
            let by_indicator =
                economy && matches!(o.canonical(), "地区生产总值" | "国内生产总值" | "生产总值");
            by_scope || by_indicator
        })
        .and_then(|o| growth(o.change.as_ref()?))
}

fn signed_text(q: &Quantity, down: bool) -> String {
    if down && !q.value.is_sign_negative() {
        format!("-{}", q.text)
    } else {
        q.text.clone()
    }
}

impl RateGap {
    fn test(
        ctx: &Context<'_>,
        out: &mut Vec<Finding>,
        i: usize,
        cmp: &Comparison,
        (a, a_down): (&Quantity, bool),
        (b, b_down): (&Quantity, bool),
    ) {
        let down = match cmp.direction {
            Direction::Up => false,
            Direction::Down => true,
            _ => return,
        };
        let rel = |b_down: bool| Relation::Gap {
            a: a.clone(),
            b: b.clone(),
            gap: cmp.amount.clone(),
            a_down,
            b_down,
            down,
        };
        let literal = rel(b_down);
        ctx.record(&literal);
        if literal.holds() {
            return;
        }
        // `下降8.0%，比全省(9.0%)…`: the reference may be a fall written without a sign.
        if a_down && !b_down && !b.value.is_sign_negative() && rel(true).holds() {
            return;
        }
        let signed = |q: &Quantity, d: bool| {
            if d && !q.value.is_sign_negative() {
                -q.value
            } else {
                q.value
            }
        };
        let computed = (signed(a, a_down) - signed(b, b_down)).normalize();
        let gap = cmp.amount.clone();
        out.push(
            Finding {
                span: gap.span,
                label: cmp.text.clone(),
                stmt: Some(i),
                relation: Some(literal),
                key: vec![a.text.clone(), b.text.clone(), gap.text.clone()],
                ..Default::default()
            }
            .related(a.span, format!("本地{}", signed_text(a, a_down)))
            .related(
                b.span,
                format!("{}{}", cmp.reference, signed_text(b, b_down)),
            )
            .var("rate", signed_text(a, a_down))
            .var("reference", cmp.reference.clone())
            .var("reference_rate", signed_text(b, b_down))
            .var("gap", cmp.text.clone())
            .var("computed", format!("{computed}个百分点")),
        );
    }
}

impl RuleKind for RateGap {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let sentences = Sentences::of(ctx);
        for (i, s) in ctx.stmts.iter().enumerate() {
            if s.is_target() || s.comparisons.is_empty() {
                continue;
            }
            let Some(a) = s.change.as_ref().and_then(growth) else {
                continue;
            };
            for cmp in &s.comparisons {
                if cmp.amount.unit_kind != UnitKind::Point
                    || cmp.of_rate.as_deref().is_some_and(|r| r != "增速")
                    || open_ended(&cmp.amount)
                {
                    continue;
                }
                // `全省增长6.9%，示例市高于全省…`: a comparison read onto the reference's
                // own clause compares the reference with itself.
                let name = reference_name(&cmp.reference);
                if s.scope
                    .as_ref()
                    .is_some_and(|sc| !name.is_empty() && sc.text == name)
                {
                    continue;
                }
                let reference = match &cmp.reference_value {
                    Some(v) if v.unit_kind == UnitKind::Percent => Some((v, false)),
                    Some(_) => None,
                    None => stated_reference(ctx, sentences, i, cmp),
                };
                let Some(b) = reference else { continue };
                if open_ended(a.0) || open_ended(b.0) {
                    continue;
                }
                Self::test(ctx, out, i, cmp, a, b);
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "rate-gap-mismatch")
            .count()
    }

    #[test]
    fn bracketed_reference() {
        assert_eq!(
            fired("示例市规上工业增加值增长8.6%，比全省(6.9%)高2.7个百分点。"),
            1
        );
        assert_eq!(
            fired("示例市规上工业增加值增长8.6%，比全省(6.9%)高1.7个百分点。"),
            0
        );
        assert_eq!(
            fired("示例市规上工业增加值增长5.6%，比全省(6.9%)低1.3个百分点。"),
            0
        );
        assert_eq!(
            fired("示例市规上工业增加值增长5.6%，比全省(6.9%)高1.3个百分点。"),
            1
        );
    }

    #[test]
    fn stated_reference() {
        assert_eq!(
            fired(
                "全省规上工业增加值增长6.9%，示例市规上工业增加值增长8.6%，高于全省2.7个百分点。"
            ),
            1
        );
        assert_eq!(
            fired("全省规上工业增加值增长6.9%，示例市增长8.6%，高于全省1.7个百分点。"),
            0
        );
        // Read onto the reference's own clause: not checked.
        assert_eq!(
            fired("示例市规上工业增加值增长8.6%，全省增长6.9%，示例市高于全省(6.9%)1.7个百分点。"),
            0
        );
    }

    #[test]
    fn falls() {
        // Both readings of an unsigned reference are tried for a fall.
        assert_eq!(
            fired("示例市规上工业增加值下降8.0%，比全省(9.0%)高1.0个百分点。"),
            0
        );
        assert_eq!(
            fired("示例市规上工业增加值下降8.0%，比全省(-9.0%)高1.0个百分点。"),
            0
        );
        assert_eq!(
            fired("示例市规上工业增加值下降8.0%，比全省(9.0%)高3.0个百分点。"),
            1
        );
    }
}
