//! `magnitude-slip`: a figure off by 10⁴ or 10⁸ from the figures it must agree with
//! — 万元 written for 元, 亿元 for 万元.
//!
//! Reads the same relations as `breakdown-sum` (parts and total), `part-whole` (part
//! and whole) and `share` (part, whole and stated share). When such a relation does
//! not hold but scaling one figure by 10⁴ or 10⁸ makes it hold on intervals
//! ([`super::slip`]), this kind reports the slip, and those kinds stay quiet about the
//! relation: one finding that says what happened rather than a sum that is off by
//! 12,997亿元.
//!
//! Only figures of money, or relations where some figure carries 万/亿, are scaled:
//! `260家` against `23000家` is a typo, left to the relation rules.

use super::{breakdown_sum, in_units_of, part_whole, rescaled, share, slip};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::Quantity;

pub const DEF: KindDef = KindDef {
    name: "magnitude-slip",
    summary: "万/亿量级写错（相关数字相差10⁴或10⁸倍）",
    vars: &["slipped", "corrected", "related", "power", "relation"],
    build: |_| Ok(Box::new(MagnitudeSlip)),
};

struct MagnitudeSlip;

/// A relation to test, with the statement it belongs to and how to name it.
struct Candidate {
    stmt: usize,
    rel: Relation,
    /// `分项与合计`, `部分与整体`, `占比`.
    what: &'static str,
}

fn candidates(ctx: &Context<'_>) -> Vec<Candidate> {
    let mut out = Vec::new();
    for c in breakdown_sum::cases(ctx) {
        out.push(Candidate {
            stmt: c.stmt,
            rel: c.relation(),
            what: "分项与合计",
        });
    }
    for p in part_whole::pairs(ctx) {
        out.push(Candidate {
            stmt: p.stmt,
            rel: Relation::NotAbove {
                part: p.part.clone(),
                whole: p.whole.clone(),
            },
            what: "部分与整体",
        });
    }
    for c in share::cases(ctx) {
        out.push(Candidate {
            stmt: c.stmt,
            rel: c.relation(),
            what: "部分、整体与占比",
        });
    }
    out
}

/// The figure the slipped one is compared with: the total for a part, the largest
/// part for a total, the other figure of a pair.
fn counterpart(rel: &Relation, figure: usize) -> Option<&Quantity> {
    let figs = rel.figures();
    match rel {
        Relation::Sum { parts, total, .. } => {
            if figure < parts.len() {
                Some(total)
            } else {
                parts.iter().max_by_key(|q| q.value)
            }
        }
        Relation::NotAbove { .. } | Relation::Share { .. } => {
            figs.get(if figure == 0 { 1 } else { 0 }).copied()
        }
        _ => None,
    }
}

impl RuleKind for MagnitudeSlip {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for c in candidates(ctx) {
            ctx.record(&c.rel);
            let Some(s) = slip(&c.rel) else { continue };
            let figs = c.rel.figures();
            let Some(q) = figs.get(s.figure).copied() else {
                continue;
            };
            let corrected = rescaled(q, s.factor);
            let other = counterpart(&c.rel, s.figure);
            let plain = other.map(|o| in_units_of(q.value * s.factor, o));
            let suggestion = match &plain {
                Some(p) if *p != corrected => format!("“{}”可能应为“{corrected}”（即{p}）", q.text),
                _ => format!("“{}”可能应为“{corrected}”", q.text),
            };
            let mut f = Finding {
                span: q.span,
                label: format!("“{}”可能差了10^{}倍", q.text, s.power()),
                stmt: Some(c.stmt),
                relation: Some(c.rel.clone()),
                suggestion: Some(suggestion),
                key: vec![q.text.clone(), corrected.clone()],
                ..Default::default()
            }
            .var("slipped", q.text.clone())
            .var("corrected", corrected)
            .var("related", other.map(|o| o.text.clone()).unwrap_or_default())
            .var("power", if s.power() == 8 { "一亿" } else { "一万" })
            .var("relation", c.what);
            for o in figs.iter().filter(|o| o.span != q.span) {
                f = f.related(o.span, o.text.clone());
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {

    fn run(text: &str) -> Vec<(String, String, Option<String>)> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| (d.rule, d.label, d.suggestion))
            .collect()
    }

    #[test]
    fn yi_for_wan_in_a_part() {
        let d = run("全年减税降费2.6亿元，其中阶段性政策减免13000亿元。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "U202");
        let s = d[0].2.as_deref().unwrap_or_default();
        assert!(s.contains("13000万元") && s.contains("1.3亿元"), "{s}");
    }

    #[test]
    fn yuan_for_wan_in_a_closed_list() {
        // 1200万 + 800万 = 2000万元: the residual part was written in 元.
        let d = run("全市共拨付资金2000万元，其中技改补贴1200万元，其他补贴800元。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "U202");
        assert!(d[0].2.as_deref().unwrap_or_default().contains("800万元"));
    }

    #[test]
    fn a_typo_in_counts_is_not_a_slip() {
        let d = run("全市共有规上企业260家，其中制造业企业23000家，其他企业20家。");
        assert!(d.iter().all(|x| x.0 != "U202"), "{d:?}");
        assert!(d.iter().any(|x| x.0 == "A101"), "{d:?}");
    }

    #[test]
    fn consistent_figures_are_quiet() {
        let d = run("全年减税降费2.6亿元，其中阶段性政策减免1.3亿元。");
        assert!(d.is_empty(), "{d:?}");
    }
}
