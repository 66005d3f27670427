//! `share-change-sum`: changes of the shares of a complete composition that do not
//! net to zero.
//!
//! Reads one sentence in which every member of a partition ([`super::partition`]:
//! 三次产业, the three 门类 of industry, the three components of demand) has its share
//! change by so many percentage points (`一产比重提高0.6个百分点，二产、三产分别下降0.2和
//! 0.4个百分点`), the sentence speaking of shares (`比重`, `占比`, `结构`). The shares
//! add up to 100 before and after, so the signed changes add up to 0. Each change
//! stands for its interval: the sum of the intervals must meet 0
//! ([`Relation::SignedSum`] without a total). Changes in `%` are left to the
//! `%`-vs-`个百分点` rule.

use rust_decimal::Decimal;

use super::partition::{self, Partition};
use super::{Sentences, between, display, open_ended};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{Direction, Quantity, Statement, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "share-change-sum",
    summary: "完整构成的各占比变化之和不为零",
    vars: &["changes", "net", "composition"],
    build: |_| Ok(Box::new(ShareChangeSum)),
};

struct ShareChangeSum;

/// The change of a share, in points, and whether it is a fall.
fn point_change(s: &Statement) -> Option<(&Quantity, bool)> {
    let c = s.change.as_ref()?;
    let a = c.amount.as_ref()?;
    if a.unit_kind != UnitKind::Point || c.to_level || c.of_rate.is_some() || open_ended(a) {
        return None;
    }
    match c.direction {
        Direction::Up => Some((a, false)),
        Direction::Down => Some((a, true)),
        _ => None,
    }
}

fn check_partition(
    ctx: &Context<'_>,
    out: &mut Vec<Finding>,
    p: &Partition,
    group: &[usize],
) -> bool {
    // (statement, member)
    let members: Vec<(usize, usize)> = group
        .iter()
        .filter_map(|&i| {
            let ind = ctx.stmts[i].indicator.as_ref()?;
            Some((i, p.member(&ind.text)?))
        })
        .filter(|&(i, _)| point_change(ctx.stmts[i]).is_some())
        .collect();
    let ms: Vec<Option<usize>> = members.iter().map(|m| Some(m.1)).collect();
    if !partition::complete(p, &ms) {
        return false;
    }
    // Shares, not growth rates: one member says 比重/占比 (the others may leave it
    // out: `二产、三产分别下降…`) and none speaks of a rate.
    let text = display(ctx);
    let head = |i: usize| {
        let s = ctx.stmts[i];
        let start = ctx.parent[i].map_or(s.span.start, |p| ctx.stmts[p].span.start);
        let end = s.change.as_ref().map_or(s.span.end, |c| c.span.start);
        between(text, start, end)
    };
    let rate_words = ["增速", "增幅", "增长", "降幅", "涨幅"];
    if !members
        .iter()
        .any(|&(i, _)| ["比重", "占比"].iter().any(|w| head(i).contains(w)))
        || members
            .iter()
            .any(|&(i, _)| rate_words.iter().any(|w| head(i).contains(w)))
    {
        return false;
    }
    let (terms, down): (Vec<Quantity>, Vec<bool>) = members
        .iter()
        .filter_map(|&(i, _)| point_change(ctx.stmts[i]).map(|(q, d)| (q.clone(), d)))
        .unzip();
    let rel = Relation::SignedSum {
        terms: terms.clone(),
        down: down.clone(),
        total: None,
        total_down: false,
    };
    ctx.record(&rel);
    if rel.holds() {
        return true;
    }
    let net: Decimal = terms
        .iter()
        .zip(&down)
        .map(|(q, d)| if *d { -q.value.abs() } else { q.value })
        .sum();
    let shown = members
        .iter()
        .zip(terms.iter().zip(&down))
        .map(|((_, m), (q, d))| {
            format!(
                "{}{}{}",
                p.members[*m].label,
                if *d { "-" } else { "+" },
                q.number.normalize()
            )
        })
        .collect::<Vec<_>>()
        .join("、");
    let mut f = Finding {
        span: terms[0].span,
        label: format!("合计变化{}个百分点", net.normalize()),
        stmt: Some(members[0].0),
        relation: Some(rel),
        key: terms.iter().map(|q| q.text.clone()).collect(),
        ..Default::default()
    }
    .var("changes", shown)
    .var("net", format!("{}个百分点", net.normalize()))
    .var("composition", p.name);
    for q in &terms[1..] {
        f = f.related(q.span, q.text.clone());
    }
    out.push(f);
    true
}

impl RuleKind for ShareChangeSum {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let sentences = Sentences::of(ctx);
        let text = display(ctx);
        // Statements by sentence.
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, s) in ctx.stmts.iter().enumerate() {
            if s.is_target() || point_change(s).is_none() {
                continue;
            }
            let Some(sn) = sentences.sentence(s.span.start) else {
                continue;
            };
            match groups.last_mut() {
                Some((k, g)) if *k == sn => g.push(i),
                _ => groups.push((sn, vec![i])),
            }
        }
        for (sn, group) in groups {
            let Some((a, b)) = sentences.range(sn) else {
                continue;
            };
            let sentence = between(text, a, b);
            if !["比重", "占比", "结构"]
                .iter()
                .any(|w| sentence.contains(w))
            {
                continue;
            }
            for p in partition::ALL {
                if check_partition(ctx, out, p, &group) {
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "share-changes-not-netting")
            .count()
    }

    #[test]
    fn nets_to_zero() {
        assert_eq!(
            fired("示例市一产比重提高0.6个百分点，二产、三产分别下降0.2和0.1个百分点。"),
            1
        );
        assert_eq!(
            fired("示例市一产比重提高0.6个百分点，二产、三产分别下降0.2和0.4个百分点。"),
            0
        );
        // Rounding: 0.6 − 0.2 − 0.5 = −0.1 is within three half-tenths.
        assert_eq!(
            fired("示例市一产比重提高0.6个百分点，二产、三产分别下降0.2和0.5个百分点。"),
            0
        );
        // Changes of growth rates, not of shares.
        assert_eq!(
            fired(
                "示例市三产比重提高1.0个百分点，一产增速回落0.6个百分点，二产、三产增速分别回落0.2和0.1个百分点。"
            ),
            0
        );
        // Two members only: nothing to net.
        assert_eq!(
            fired("示例市一产比重提高0.6个百分点，二产比重下降0.2个百分点。"),
            0
        );
    }
}
