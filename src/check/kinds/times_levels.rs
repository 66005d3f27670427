//! `times-levels`: 倍 and 番 against the two levels they compare.
//!
//! Reads a statement that goes from one level to another (`产值由40亿元增至120亿元`: a
//! value and a change *to* a level) followed, in the same sentence and about the same
//! indicator, by a multiple:
//! - `增长X倍` / `增加了X倍` means × (X + 1) (NBS: 增加一倍 = +100%);
//! - `增长到X倍`, `是原来的X倍`, `为上年的X倍` mean × X;
//! - `翻n番` means × 2ⁿ.
//!
//! `to ÷ from` must meet the factor on intervals ([`Relation::Times`]): `40亿元` to
//! `120亿元` is × 3 (2.99…3.01 with their rounding), which `增长2倍` and `为原来的3倍`
//! state and `增长了3倍` does not.

use rust_decimal::Decimal;

use super::{chars_before, comparable, display, open_ended};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Direction, Quantity, Statement, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "times-levels",
    summary: "“倍”“番”与两期数值不符",
    vars: &["from", "to", "times", "ratio", "meaning"],
    build: |_| Ok(Box::new(TimesLevels)),
};

struct TimesLevels;

/// The multiple a statement states: the figure, `plus_one` (增长X倍), `doublings`
/// (翻n番), and what it means in words.
fn multiple(
    ctx: &Context<'_>,
    s: &Statement,
    from_text: &str,
) -> Option<(Quantity, bool, bool, String)> {
    if let Some(c) = &s.change {
        let a = c.amount.as_ref()?;
        if c.direction == Direction::Doubling {
            let f = 2u64.checked_pow(u32::try_from(a.value.trunc().mantissa()).ok()?)?;
            let said = a.text.replace('了', "");
            return Some((a.clone(), false, true, format!("{said}即为原来的{f}倍")));
        }
        if a.unit_kind != UnitKind::Times || c.direction != Direction::Up {
            return None;
        }
        if c.to_level {
            let n = a.number.normalize();
            return Some((
                a.clone(),
                false,
                false,
                format!("增长到{n}倍即为原来的{n}倍"),
            ));
        }
        let n = a.number.normalize();
        let n1 = (a.number + Decimal::ONE).normalize();
        return Some((a.clone(), true, false, format!("增长{n}倍即为原来的{n1}倍")));
    }
    let v = s
        .value
        .as_ref()
        .filter(|v| v.unit_kind == UnitKind::Times)?;
    // `是原来的3倍`, `为上年的3倍`, `相当于…的3倍`: the base between the verb and the
    // figure must be the level the sentence went from.
    let before = chars_before(display(ctx), v.span.start, 12);
    let at = ["相当于", "是", "为"]
        .iter()
        .filter_map(|w| before.rfind(w).map(|i| i + w.len()))
        .max()?;
    let base = before[at..].trim_end_matches('的');
    if !base.is_empty() && !is_base(base, from_text) {
        return None;
    }
    let n = v.number.normalize();
    Some((v.clone(), false, false, format!("为原来的{n}倍")))
}

/// `原来`, `2020年`: the base of `是…的N倍`, read by extraction as the name of the
/// clause. It must be the level the sentence went from: `原来`, or the period written
/// before that level (`由2020年的40亿元…，是2020年的3倍`); `上年` only when no other
/// period is written there.
fn is_base(name: &str, from_text: &str) -> bool {
    let n = name.trim_start_matches(['是', '为']);
    if ["原来", "原先", "以前", "基期"].contains(&n) {
        return true;
    }
    if ["上年", "去年", "同期"].contains(&n) {
        return !from_text.contains(['年', '月', '季']);
    }
    n.ends_with(['年', '期', '末']) && n.chars().count() >= 3 && from_text.contains(n)
}

impl RuleKind for TimesLevels {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let sentences = super::Sentences::of(ctx);
        for (i, s) in ctx.stmts.iter().enumerate() {
            let (Some(from), Some(c)) = (&s.value, &s.change) else {
                continue;
            };
            let Some(to) = c.amount.as_ref().filter(|_| c.to_level) else {
                continue;
            };
            if s.is_target()
                || !comparable(from, to)
                || open_ended(from)
                || open_ended(to)
                || from.value <= Decimal::ZERO
            {
                continue;
            }
            let sentence = sentences.sentence(s.span.start);
            // The multiple follows in the next statement of the sentence.
            let Some(next) = ctx.stmts.get(i + 1) else {
                continue;
            };
            let from_text = super::between(display(ctx), s.span.start, from.span.start);
            let same_indicator = next.indicator.as_ref().is_none_or(|ind| {
                ind.inherited || ind.canonical == s.canonical() || is_base(&ind.text, from_text)
            });
            if next.is_target()
                || !same_indicator
                || sentences.sentence(next.span.start) != sentence
                || ctx.parent[i + 1].is_some()
            {
                continue;
            }
            let Some((factor, plus_one, doublings, meaning)) = multiple(ctx, next, from_text)
            else {
                continue;
            };
            let rel = Relation::Times {
                from: from.clone(),
                to: to.clone(),
                factor: factor.clone(),
                plus_one,
                doublings,
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            let ratio = to
                .value
                .checked_div(from.value)
                .map(|r| r.round_dp(2).normalize().to_string())
                .unwrap_or_default();
            let times = next
                .change
                .as_ref()
                .map_or_else(|| factor.text.clone(), |c| c.text.clone());
            out.push(
                Finding {
                    span: factor.span,
                    label: times.clone(),
                    stmt: Some(i + 1),
                    relation: Some(rel),
                    key: vec![from.text.clone(), to.text.clone(), factor.text.clone()],
                    ..Default::default()
                }
                .related(from.span, format!("前值{}", from.text))
                .related(to.span, format!("后值{}", to.text))
                .var("from", from.text.clone())
                .var("to", to.text.clone())
                .var("times", times)
                .var("ratio", ratio)
                .var("meaning", meaning),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "times-meaning-mismatch")
            .count()
    }

    #[test]
    fn plus_one_and_to_level() {
        assert_eq!(fired("示例市产值由40亿元增至120亿元，增长了3倍。"), 1);
        assert_eq!(fired("示例市产值由40亿元增至120亿元，增长了2倍。"), 0);
        assert_eq!(fired("示例市产值由40亿元增至120亿元，为原来的3倍。"), 0);
        assert_eq!(fired("示例市产值由40亿元增至120亿元，为原来的2倍。"), 1);
    }

    #[test]
    fn bases() {
        assert_eq!(
            fired("示例市产值由2020年的40亿元增至120亿元，是2020年的3倍。"),
            0
        );
        assert_eq!(
            fired("示例市产值由2020年的40亿元增至120亿元，是2020年的2倍。"),
            1
        );
        // Another base year: not the ratio of the two levels.
        assert_eq!(
            fired("示例市产值由2020年的40亿元增至120亿元，是2015年的6倍。"),
            0
        );
    }

    #[test]
    fn doublings() {
        assert_eq!(fired("示例市产值由40亿元增至160亿元，翻了两番。"), 0);
        assert_eq!(fired("示例市产值由40亿元增至120亿元，翻了两番。"), 1);
    }
}
