//! `hundred-sum`: a structure ratio or a complete list of shares that cannot add up
//! to 100.
//!
//! Three shapes are read:
//! - a structure ratio `a:b:c` (`三次产业结构为9.8∶50.1∶40.1`, [`Statement::ratio`]),
//!   when the words before it say it is a structure (`结构`, `比重`, `比例`, `构成`);
//! - a `分别` list of shares (`…占地区生产总值的比重分别为9.8%、50.1%、40.1%`) whose
//!   items are all the members of a partition ([`super::partition`]: 三次产业 …) or
//!   that the wording closes (`其他`);
//! - the three 三次产业 shares stated one by one in a sentence or in adjacent
//!   sentences of one paragraph (`第一产业增加值占比为7.1%，第二产业…38.3%，…54.6%`).
//!
//! Each term stands for its interval (±½ of its last written digit): the sum of the
//! intervals must meet 100 ([`Relation::Hundred`]). `9.8∶51.2∶40.1` adds up to
//! 101.0…101.2 and is reported; `33.3%、33.3%、33.3%` adds up to 99.75…100.05 and is not.

use rust_decimal::Decimal;

use super::partition::{self, Partition};
use super::{Sentences, display, open_ended};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{BreakdownKind, Quantity, ShareKind, Statement, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "hundred-sum",
    summary: "结构比例或完整的占比之和不等于100",
    vars: &["terms", "sum"],
    build: |_| Ok(Box::new(HundredSum)),
};

struct HundredSum;

/// Words that make `a:b:c` a structure whose terms add up to 100.
const STRUCTURE: &[&str] = &["结构", "比重", "比例", "构成", "占比"];

/// The sum with as many decimals as the most precise term (`101.0`).
fn fmt_sum(terms: &[Quantity]) -> String {
    let sum: Decimal = terms.iter().map(|q| q.value).sum();
    let d = terms.iter().map(|q| q.decimals).max().unwrap_or(0) as usize;
    format!("{sum:.d$}")
}

fn push(ctx: &Context<'_>, out: &mut Vec<Finding>, i: usize, terms: Vec<Quantity>, sep: &str) {
    if terms.len() < 2 || terms.iter().any(open_ended) {
        return;
    }
    let shown = terms
        .iter()
        .map(|q| q.text.clone())
        .collect::<Vec<_>>()
        .join(sep);
    let sum = fmt_sum(&terms);
    let rel = Relation::Hundred {
        terms: terms.clone(),
    };
    ctx.record(&rel);
    if rel.holds() {
        return;
    }
    let mut f = Finding {
        span: terms[0].span,
        label: format!("合计{sum}"),
        stmt: Some(i),
        relation: Some(rel),
        key: terms.iter().map(|q| q.text.clone()).collect(),
        ..Default::default()
    }
    .var("terms", shown)
    .var("sum", sum);
    for q in &terms[1..] {
        f = f.related(q.span, q.text.clone());
    }
    out.push(f);
}

/// A share written as a percentage (`40.1%`), not `‰` or a bound.
fn percent(q: &Quantity) -> bool {
    q.unit_kind == UnitKind::Percent && q.unit.as_deref() == Some("%")
}

/// The member of `p` each part of a `分别` list stands for.
fn list_members(ctx: &Context<'_>, s: &Statement, p: &Partition) -> Vec<Option<usize>> {
    let text = display(ctx);
    let after = s
        .items
        .last()
        .map_or("", |it| super::chars_after(text, it.span.end, 3));
    let mut out: Vec<Option<usize>> = s
        .parts
        .iter()
        .map(|q| q.indicator.as_ref().and_then(|ind| p.member(&ind.text)))
        .collect();
    if std::ptr::eq(p, &partition::SECTORS) && out.iter().any(Option::is_none) {
        let short: Vec<Option<usize>> = s
            .items
            .iter()
            .map(|it| partition::short_sector(&it.text, after))
            .collect();
        if short.len() == s.parts.len() && short.iter().all(Option::is_some) {
            out = short;
        }
    }
    out
}

impl HundredSum {
    fn ratios(ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            if s.ratio.len() < 3 {
                continue;
            }
            // `三次产业结构由8.7∶41.2∶50.1调整为7.4∶39.6∶53`: the word may be some way
            // before the second ratio.
            let head = super::chars_before(display(ctx), s.ratio[0].span.start, 24);
            if !STRUCTURE.iter().any(|w| head.contains(w)) {
                continue;
            }
            push(ctx, out, i, s.ratio.clone(), "∶");
        }
    }

    /// `分别` lists of shares.
    fn lists(ctx: &Context<'_>, out: &mut Vec<Finding>) -> Vec<usize> {
        let mut used = Vec::new();
        let text = display(ctx);
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(b) = &s.breakdown else { continue };
            if b.kind != BreakdownKind::Respectively || s.is_target() || s.parts.len() < 2 {
                continue;
            }
            let Some(marker) = text.get(s.span.start..b.marker.start) else {
                continue;
            };
            if !["比重", "占比", "构成"].iter().any(|w| marker.contains(w)) {
                continue;
            }
            let values: Vec<Quantity> = s
                .parts
                .iter()
                .filter_map(|p| p.value.clone().filter(percent))
                .collect();
            if values.len() != s.parts.len() || s.parts.iter().any(Statement::is_target) {
                continue;
            }
            let complete = (b.closed && !b.open)
                || partition::ALL
                    .iter()
                    .any(|p| partition::complete(p, &list_members(ctx, s, p)));
            if !complete {
                continue;
            }
            used.extend((0..s.parts.len()).filter_map(|k| ctx.index_of(&s.parts[k])));
            push(ctx, out, i, values, "、");
        }
        used
    }

    /// 三次产业 shares stated one by one.
    fn sectors(ctx: &Context<'_>, out: &mut Vec<Finding>, used: &[usize]) {
        let sentences = Sentences::of(ctx);
        let p = &partition::SECTORS;
        // (statement, member, sentence, paragraph, share)
        let mut found: Vec<(usize, usize, usize, usize, &Quantity)> = Vec::new();
        for (i, s) in ctx.stmts.iter().enumerate() {
            if used.contains(&i) || s.is_target() {
                continue;
            }
            let (Some(sh), Some(ind)) = (&s.share, &s.indicator) else {
                continue;
            };
            if sh.kind != ShareKind::Composition || !percent(&sh.percent) {
                continue;
            }
            let Some(m) = p.member(&ind.text) else {
                continue;
            };
            let Some(sn) = sentences.sentence(s.span.start) else {
                continue;
            };
            let Some(pa) = sentences.paragraph(s.span.start) else {
                continue;
            };
            found.push((i, m, sn, pa, &sh.percent));
        }
        // Runs of the three members in order, within one paragraph and at most one
        // sentence apart from each other.
        for w in found.windows(3) {
            let ok = w.iter().enumerate().all(|(k, x)| x.1 == k)
                && w.iter().all(|x| x.3 == w[0].3)
                && w[1].2 - w[0].2 <= 1
                && w[2].2 - w[1].2 <= 1;
            if !ok {
                continue;
            }
            let wholes: Vec<&str> = w
                .iter()
                .filter_map(|x| ctx.stmts[x.0].share.as_ref()?.of.as_deref())
                .collect();
            if wholes.windows(2).any(|v| v[0] != v[1]) {
                continue;
            }
            if !w
                .iter()
                .all(|x| super::same_period(ctx.stmts[x.0], ctx.stmts[w[0].0]))
            {
                continue;
            }
            push(
                ctx,
                out,
                w[0].0,
                w.iter().map(|x| x.4.clone()).collect(),
                "、",
            );
        }
    }
}

impl RuleKind for HundredSum {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        Self::ratios(ctx, out);
        let used = Self::lists(ctx, out);
        Self::sectors(ctx, out, &used);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "ratio-sum-not-100")
            .count()
    }

    #[test]
    fn shapes() {
        assert_eq!(fired("示例市三次产业结构为9.8:51.2:40.1。"), 1);
        assert_eq!(fired("示例市三次产业结构为9.8:50.1:40.1。"), 0);
        assert_eq!(
            fired("示例市三次产业结构由9.7:50.2:40.1调整为9.8:51.2:40.1。"),
            1
        );
        // Not a structure: no word says so.
        assert_eq!(fired("示例市甲乙丙三类企业数量之比为1:2:3。"), 0);
        assert_eq!(
            fired(
                "示例市第一产业、第二产业、第三产业增加值占地区生产总值的比重分别为9.8%、51.1%、40.1%。"
            ),
            1
        );
        assert_eq!(
            fired(
                "示例市第一产业、第二产业、第三产业增加值占地区生产总值的比重分别为9.8%、50.1%、40.1%。"
            ),
            0
        );
        // Two shares of overlapping groups: not a complete list.
        assert_eq!(
            fired("示例市先进制造业、高技术制造业增加值占规上工业比重分别为56.2%、54.7%。"),
            0
        );
    }

    /// Three shares adding up to 100, each with `d` decimals, as written.
    fn written(parts: [u32; 3], d: u32) -> [Decimal; 3] {
        // Parts in basis points of 10000; shares rounded half up to d decimals.
        let total: u32 = parts.iter().sum();
        parts.map(|p| {
            (Decimal::from(p) * Decimal::ONE_HUNDRED / Decimal::from(total))
                .round_dp_with_strategy(d, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        })
    }

    fn ratio_text(v: &[Decimal], d: u32) -> String {
        let f = |x: &Decimal| format!("{:.*}", d as usize, x);
        format!(
            "示例市三次产业结构为{}:{}:{}。",
            f(&v[0]),
            f(&v[1]),
            f(&v[2])
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        /// A true structure, each term rounded to its own decimals: never reported.
        #[test]
        fn rounded_truth_passes(a in 1u32..5000, b in 1u32..5000, c in 1u32..5000, d in 0u32..3) {
            let v = written([a, b, c], d);
            prop_assert_eq!(fired(&ratio_text(&v, d)), 0);
        }

        /// The last term moved so that the written terms add up to 100 + k units of
        /// the last digit: three terms can each be ±½ unit off, so |k| ≤ 1 passes
        /// and |k| = 2 (just past) is reported.
        #[test]
        fn boundary(a in 1u32..5000, b in 1u32..5000, c in 1u32..5000, d in 1u32..3, k in -2i64..=2) {
            let mut v = written([a, b, c], d);
            let unit = Decimal::new(1, d);
            let sum: Decimal = v.iter().sum();
            v[2] += Decimal::ONE_HUNDRED + unit * Decimal::from(k) - sum;
            prop_assume!(v[2] > Decimal::ZERO);
            let expected = usize::from(k.abs() >= 2);
            prop_assert_eq!(fired(&ratio_text(&v, d)), expected);
        }
    }
}
