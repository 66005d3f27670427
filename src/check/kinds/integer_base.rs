//! `integer-base`: a count's growth rate that no whole-number base can produce.
//!
//! Reads a count of things (`26家`, `359家`, `3732套`: a measure word for whole things,
//! no 万/亿, no decimals, no `超`/`近`/`约`) immediately followed by its growth
//! (`26家，同比增长80.0%`). Last year's count was a whole number `b`, so the written
//! rate must be `(n ÷ b − 1) × 100` rounded to the rate's own decimals for some
//! `b ≥ 1`. The rate stands for its closed interval (±½ of its last digit, both
//! rounding directions included) and every whole `b` the interval allows is tested
//! exactly ([`Relation::IntegerBase`], [`crate::check::relation::integer_base`]):
//! `26家，增长80.0%` needs `b` = 14.44…, none works; `26家，增长73.3%` has `b` = 15.
//!
//! Rates written without decimals are skipped unless `integer-percent: true` (most
//! whole-number rates are rounded loosely). The growth must follow the count directly
//! (`26家、增长…`), so that a count in front of another indicator (`17个行业增加值增长
//! 5.3%`) is never read as the thing that grew.

use serde::Deserialize;

use super::{between, display, growth};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::{QualifierKind, Quantity, UnitKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Measure words of whole things.
    #[serde(default = "units")]
    units: Vec<String>,
    /// Also check rates written without decimals (`增长80%`).
    #[serde(default)]
    integer_percent: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            units: units(),
            integer_percent: false,
        }
    }
}

fn units() -> Vec<String> {
    [
        "家", "个", "项", "人", "件", "套", "户", "所", "座", "台", "辆", "艘", "架", "名", "位",
        "次", "人次", "场", "列", "笔", "批", "条", "款", "宗", "处", "栋", "间",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

pub const DEF: KindDef = KindDef {
    name: "integer-base",
    summary: "计数与增速推不出整数基数",
    vars: &["count", "growth", "bases"],
    build: |v| Ok(Box::new(IntegerBase(params::<Params>(v)?))),
};

struct IntegerBase(Params);

impl IntegerBase {
    fn is_count(&self, q: &Quantity) -> bool {
        q.unit_kind == UnitKind::Count
            && q.magnitude.is_none()
            && q.decimals == 0
            && q.value >= rust_decimal::Decimal::ONE
            && q.qualifier
                .as_ref()
                .is_none_or(|x| x.kind == QualifierKind::Reach)
            && q.unit.as_ref().is_some_and(|u| self.0.units.contains(u))
    }
}

/// The two whole bases nearest to what the rate implies, shown in the message.
fn nearest(count: &Quantity, pct: &Quantity, down: bool) -> String {
    let g = if down { -pct.value } else { pct.value };
    let f = rust_decimal::Decimal::ONE + g / rust_decimal::Decimal::ONE_HUNDRED;
    let Some(b) = count.value.checked_div(f).filter(|_| !f.is_zero()) else {
        return String::new();
    };
    let rate = |b: rust_decimal::Decimal| {
        count
            .value
            .checked_div(b)
            .map(|r| {
                ((r - rust_decimal::Decimal::ONE) * rust_decimal::Decimal::ONE_HUNDRED)
                    .round_dp(pct.decimals)
                    .normalize()
            })
            .map(|r| format!("{}得{}%", b.normalize(), r))
    };
    let lo = b.floor().max(rust_decimal::Decimal::ONE);
    let hi = b.ceil().max(rust_decimal::Decimal::ONE);
    let mut out = vec![rate(lo)];
    if hi != lo {
        out.push(rate(hi));
    }
    out.into_iter().flatten().collect::<Vec<_>>().join("，")
}

impl RuleKind for IntegerBase {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = display(ctx);
        for (i, s) in ctx.stmts.iter().enumerate() {
            let (Some(count), Some(c)) = (&s.value, &s.change) else {
                continue;
            };
            let Some((pct, down)) = growth(c) else {
                continue;
            };
            if s.is_target()
                || !self.is_count(count)
                || (pct.decimals == 0 && !self.0.integer_percent)
                || pct.qualifier.is_some()
                || super::per_unit(ctx, count)
            {
                continue;
            }
            // The growth follows the count directly: `26家，同比增长80.0%`.
            let gap = between(text, count.span.end, c.span.start);
            if gap.chars().any(|ch| !matches!(ch, '，' | ',' | '、' | ' ')) {
                continue;
            }
            let rel = Relation::IntegerBase {
                count: count.clone(),
                pct: pct.clone(),
                down,
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            out.push(
                Finding {
                    span: pct.span,
                    label: c.text.clone(),
                    stmt: Some(i),
                    relation: Some(rel),
                    key: vec![count.text.clone(), pct.text.clone()],
                    ..Default::default()
                }
                .related(count.span, count.text.clone())
                .var("count", format!("{}{}", count.written, count.unit_text()))
                .var("growth", c.text.clone())
                .var("bases", nearest(count, pct, down)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::{Decimal, RoundingStrategy};

    use crate::check::interval::Iv;
    use crate::check::relation::integer_base;

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "growth-without-integer-base")
            .count()
    }

    #[test]
    fn shapes() {
        assert_eq!(fired("示例市高新技术企业达26家，同比增长80.0%。"), 1);
        assert_eq!(fired("示例市高新技术企业达26家，同比增长73.3%。"), 0);
        // A count in front of another indicator is not what grew.
        assert_eq!(fired("示例市17个重点行业增加值增长80.0%。"), 0);
        // Whole-number rates are not checked by default.
        assert_eq!(fired("示例市高新技术企业达26家，同比增长80%。"), 0);
        // A fall: 26 from 30 is −13.3%.
        assert_eq!(fired("示例市高新技术企业26家，同比下降13.3%。"), 0);
        assert_eq!(fired("示例市高新技术企业26家，同比下降13.0%。"), 1);
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn half(dec: u32) -> Decimal {
        Decimal::new(5, dec + 1)
    }

    #[test]
    fn both_rounding_directions() {
        // 3/2 − 1 = 50%: written 50 with no decimals, both ends of [49.5, 50.5] fine.
        // 7/8 − 1 = −12.5%: rounds half up to −12.5 → −13 (away) or −12 (even).
        for g in ["-13", "-12"] {
            let iv = Iv::new(d(g) - half(0), d(g) + half(0));
            assert!(integer_base(Iv::exact(d("7")), iv), "{g}");
        }
        // 41/40 − 1 = 2.5%: 2 (half to even) and 3 (half up) both admit b = 40.
        for g in ["2", "3"] {
            let iv = Iv::new(d(g) - half(0), d(g) + half(0));
            assert!(integer_base(Iv::exact(d("41")), iv), "{g}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        /// A true count and base, the rate rounded to `dec` decimals either way: holds.
        #[test]
        fn rounded_truth_holds(b in 1u32..5000, n in 1u32..10000, dec in 0u32..3, even in any::<bool>()) {
            let g = (Decimal::from(n) / Decimal::from(b) - Decimal::ONE) * Decimal::ONE_HUNDRED;
            let strategy = if even { RoundingStrategy::MidpointNearestEven } else { RoundingStrategy::MidpointAwayFromZero };
            let w = g.round_dp_with_strategy(dec, strategy);
            let iv = Iv::new(w - half(dec), w + half(dec));
            prop_assert!(integer_base(Iv::exact(Decimal::from(n)), iv));
        }

        /// A rate just outside every rounding of every base: fails. For a small count
        /// the rates of neighbouring bases are far apart, so a written rate between
        /// two of them, more than half a unit from both, has no base.
        #[test]
        fn rate_between_bases_fails(n in 2u32..60, b in 1u32..60, dec in 1u32..3) {
            let rate = |b: u32| (Decimal::from(n) / Decimal::from(b) - Decimal::ONE) * Decimal::ONE_HUNDRED;
            // Rates for b and b + 1; write one just past the rounding of rate(b)
            // towards rate(b + 1).
            let (r0, r1) = (rate(b), rate(b + 1));
            let unit = Decimal::new(1, dec);
            let w = (r0 - half(dec)).round_dp_with_strategy(dec, RoundingStrategy::ToNegativeInfinity) - unit;
            prop_assume!(w - half(dec) > r1 + Decimal::new(1, 10));
            let iv = Iv::new(w - half(dec), w + half(dec));
            prop_assert!(!integer_base(Iv::exact(Decimal::from(n)), iv), "n={} b={} w={}", n, b, w);
        }
    }
}
