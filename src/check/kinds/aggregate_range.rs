//! `aggregate-range`: a total's growth outside the range of its parts' growth.
//!
//! The growth of a total is a weighted mean of its parts' growth (weights: the parts'
//! shares in the base period), so it lies between the smallest and the largest of
//! them. Two sources of parts are read:
//! - the members of a partition ([`super::partition`]: 采矿业, 制造业, 电力… for 规上工业
//!   增加值; 第一、二、三产业 for 地区生产总值) whose growth is stated in the total's
//!   paragraph, at most one sentence before or two after it, with the same basis,
//!   period and subject;
//! - a breakdown the wording closes (`其中…其他…`, `共…分别`) with a growth for
//!   every part.
//!
//! When every member is there the breakdown is complete and a total outside the range
//! cannot be true: the finding escalates to an error. With two members of three the
//! missing one may pull the total out; such findings are warnings and only made with
//! `partial: true` (off by default: on real reports the missing member nearly always
//! explains it, e.g. GDP +5.4% with 一产 +6.2%, 二产 +7%: 三产 grew less). Open `其中`
//! lists are not read at all: highlighted parts usually grow faster than the whole.
//! Parts are never taken across 规上/规下. All on intervals ([`Relation::Within`]).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::partition::{self, Partition};
use super::{Sentences, growth, growth_measure, open_ended, same_basis, same_period, same_scope};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::{Quantity, Statement};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Also report when only two members of a partition of three are stated.
    #[serde(default)]
    partial: bool,
}

pub const DEF: KindDef = KindDef {
    name: "aggregate-range",
    summary: "总体增速不在各组成部分增速之间",
    vars: &["total", "growth", "parts", "range", "completeness"],
    build: |v| Ok(Box::new(AggregateRange(params::<Params>(v)?))),
};

struct AggregateRange(Params);

fn signed(q: &Quantity, down: bool) -> Decimal {
    if down { -q.value.abs() } else { q.value }
}

/// A growth as a signed percentage, with its written digits (`-4.6%`, `3.0%`).
fn fmt_signed(q: &Quantity, down: bool) -> String {
    if down && !q.value.is_sign_negative() {
        format!("-{}", q.text)
    } else {
        q.text.clone()
    }
}

/// A part's growth usable against the total `t`.
fn part_growth<'a>(
    ctx: &Context<'_>,
    t: &Statement,
    p: &'a Statement,
) -> Option<(&'a Quantity, bool)> {
    let (tc, pc) = (t.change.as_ref()?, p.change.as_ref()?);
    if growth_measure(ctx, tc) != growth_measure(ctx, pc) {
        return None;
    }
    let g = growth(pc)?;
    let mixes = |a: &Statement, b: &Statement| {
        let up = |s: &Statement| {
            s.indicator
                .as_ref()
                .is_some_and(|i| i.text.contains("规上") || i.text.contains("规模以上"))
        };
        let down = |s: &Statement| {
            s.text.contains("规下") || s.text.contains("规模以下") || s.text.contains("限下")
        };
        up(a) && down(b)
    };
    (!p.is_target()
        && same_basis(tc, pc)
        && same_period(t, p)
        && same_scope(t, p)
        && !open_ended(g.0)
        && !mixes(t, p))
    .then_some(g)
}

impl AggregateRange {
    /// Parts named by a partition's members near the total.
    fn members(
        ctx: &Context<'_>,
        sentences: &Sentences,
        i: usize,
        p: &Partition,
    ) -> Vec<(usize, usize)> {
        let t = ctx.stmts[i];
        let Some(ts) = sentences.sentence(t.span.start) else {
            return Vec::new();
        };
        let tp = sentences.paragraph(t.span.start);
        let mut found: Vec<(usize, usize)> = Vec::new();
        let near = |k: usize| {
            let s = ctx.stmts[k];
            sentences.paragraph(s.span.start) == tp
                && sentences
                    .sentence(s.span.start)
                    .is_some_and(|x| x + 1 >= ts && x <= ts + 2)
        };
        // After the total first (`…增长5.1%。分门类看，采矿业…`), then before it.
        let after = (i + 1..ctx.stmts.len()).take_while(|&k| near(k));
        let before = (0..i).rev().take_while(|&k| near(k));
        for k in after.chain(before) {
            let s = ctx.stmts[k];
            let Some(m) = s.indicator.as_ref().and_then(|ind| p.member(&ind.text)) else {
                continue;
            };
            if found.iter().any(|f| f.1 == m) || part_growth(ctx, t, s).is_none() {
                continue;
            }
            found.push((k, m));
        }
        found
    }

    /// `parts`: statements and, for members of a partition, the member's label.
    fn report(
        ctx: &Context<'_>,
        out: &mut Vec<Finding>,
        i: usize,
        parts: &[(usize, Option<&str>)],
        complete: bool,
    ) {
        let t = ctx.stmts[i];
        let Some((total, total_down)) = t.change.as_ref().and_then(growth) else {
            return;
        };
        let mut parts = parts.to_vec();
        parts.sort_unstable_by_key(|p| p.0);
        let gs: Vec<(String, &Statement, &Quantity, bool)> = parts
            .iter()
            .filter_map(|&(k, label)| {
                let s = ctx.stmts[k];
                // The name as written, or the member's full name when it is too long
                // to quote.
                let written = super::quoted_name(s);
                let name = match label {
                    Some(l) if written.is_empty() => l.to_owned(),
                    _ => written,
                };
                part_growth(ctx, t, s).map(|(q, d)| (name, s, q, d))
            })
            .collect();
        if gs.len() < 2 || gs.len() != parts.len() || open_ended(total) {
            return;
        }
        let rel = Relation::Within {
            parts: gs.iter().map(|x| x.2.clone()).collect(),
            down: gs.iter().map(|x| x.3).collect(),
            total: total.clone(),
            total_down,
        };
        ctx.record(&rel);
        if rel.holds() {
            return;
        }
        let (Some(lo), Some(hi)) = (
            gs.iter().min_by_key(|x| signed(x.2, x.3)),
            gs.iter().max_by_key(|x| signed(x.2, x.3)),
        ) else {
            return;
        };
        let named = |name: &str, s: &Statement| {
            format!(
                "{name}{}",
                s.change.as_ref().map_or("", |c| c.text.as_str())
            )
        };
        let names = gs
            .iter()
            .map(|(n, s, _, _)| named(n, s))
            .collect::<Vec<_>>()
            .join("、");
        let tc = t
            .change
            .as_ref()
            .map_or_else(String::new, |c| c.text.clone());
        let mut f = Finding {
            span: total.span,
            label: format!("总体{tc}"),
            stmt: Some(i),
            relation: Some(rel),
            escalate: complete,
            key: std::iter::once(total.text.clone())
                .chain(gs.iter().map(|x| x.2.text.clone()))
                .collect(),
            ..Default::default()
        }
        .var(
            "total",
            t.indicator
                .as_ref()
                .map_or_else(String::new, |x| x.text.clone()),
        )
        .var("growth", tc)
        .var("parts", names)
        .var(
            "range",
            format!("{}～{}", fmt_signed(lo.2, lo.3), fmt_signed(hi.2, hi.3)),
        )
        .var(
            "completeness",
            if complete {
                "各部分已列全"
            } else {
                "所列部分不全，请核实"
            },
        );
        for (n, s, q, _) in &gs {
            f = f.related(q.span, named(n, s));
        }
        out.push(f);
    }
}

impl RuleKind for AggregateRange {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let sentences = Sentences::of(ctx);
        for (i, t) in ctx.stmts.iter().enumerate() {
            if t.is_target() || t.change.as_ref().and_then(growth).is_none() {
                continue;
            }
            // A breakdown the wording closes.
            if let Some(b) = &t.breakdown {
                if b.closed && !b.open && t.parts.len() >= 2 {
                    let parts: Vec<(usize, Option<&str>)> = t
                        .parts
                        .iter()
                        .filter_map(|p| ctx.index_of(p).map(|k| (k, None)))
                        .collect();
                    Self::report(ctx, out, i, &parts, true);
                    continue;
                }
            }
            for p in partition::ALL {
                if !p.is_total(t.canonical()) {
                    continue;
                }
                let found = Self::members(ctx, sentences, i, p);
                let complete = found.len() == p.members.len();
                if found.len() >= 2 && (complete || self.0.partial) {
                    let parts: Vec<(usize, Option<&str>)> = found
                        .iter()
                        .map(|f| (f.0, Some(p.members[f.1].label)))
                        .collect();
                    Self::report(ctx, out, i, &parts, complete);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::RuleSet;
    use crate::extract::{ExtractOptions, extract_with};
    use crate::load::SourceFile;
    use crate::report::Severity;

    fn fired(text: &str) -> Vec<Severity> {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "aggregate-outside-parts")
            .map(|d| d.severity)
            .collect()
    }

    #[test]
    fn complete_is_an_error() {
        assert_eq!(
            fired(
                "示例市采矿业增长3.0%，制造业下降4.6%，电力行业下降1.5%；规上工业增加值下降11.2%。"
            ),
            vec![Severity::Error]
        );
        assert!(
            fired(
                "示例市采矿业增长3.0%，制造业下降14.6%，电力行业下降1.5%；规上工业增加值下降11.2%。"
            )
            .is_empty()
        );
    }

    #[test]
    fn two_of_three_only_with_partial() {
        let text = "示例市规上工业增加值增长9.2%，其中采矿业增长3.0%，制造业增长4.6%。";
        assert!(fired(text).is_empty());
        let set = RuleSet::defaults().unwrap();
        let ex = extract_with(
            SourceFile::from_text("t.txt", text),
            &ExtractOptions::default(),
            &set.table,
        );
        let ctx = crate::check::Context::new(&ex, &set.table);
        let kind = super::AggregateRange(super::Params { partial: true });
        let mut out = Vec::new();
        crate::check::RuleKind::check(&kind, &ctx, &mut out);
        assert_eq!(out.len(), 1);
        assert!(!out[0].escalate);
        let ok = "示例市规上工业增加值增长4.2%，其中采矿业增长3.0%，制造业增长4.6%。";
        let ex = extract_with(
            SourceFile::from_text("t.txt", ok),
            &ExtractOptions::default(),
            &set.table,
        );
        let ctx = crate::check::Context::new(&ex, &set.table);
        let mut out = Vec::new();
        crate::check::RuleKind::check(&kind, &ctx, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn sectors_and_bases() {
        assert!(
            fired(
                "示例市地区生产总值增长5.1%，第一产业增长4.2%，第二产业增长5.0%，第三产业增长5.4%。"
            )
            .is_empty()
        );
        // Another basis is not compared.
        assert!(
            fired(
                "示例市地区生产总值增长9.1%，第一产业比2019年增长4.2%，第二产业比2019年增长5.0%。"
            )
            .is_empty()
        );
    }
}
