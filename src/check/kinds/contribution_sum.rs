//! `contribution-sum`: 贡献率 and 拉动 of a complete breakdown against the total.
//!
//! 贡献率 is a part's increment over the total's increment, 拉动 a part's increment over
//! the total's base, so for the members of a partition ([`super::partition`]: 消费,
//! 投资, 净出口; 第一、二、三产业; the three 门类 of industry):
//! - the 贡献率 of all members add up to 100% ([`Relation::Hundred`]);
//! - the 拉动 of all members (`向下拉动` negative) add up to the total's growth
//!   ([`Relation::SignedSum`]);
//! - one member's 拉动 is the total's growth × its 贡献率 ([`Relation::Share`]:
//!   拉动 ÷ growth × 100 = 贡献率).
//!
//! 拉动 and 贡献率 are read from a statement's contributions (`消费拉动3.1个百分点`,
//! `贡献率为60.0%`) and from `分别` lists (`消费、投资、净出口分别拉动…`, `…的贡献率分别为
//! …`, `三次产业对经济增长的贡献率分别为…`). The members must be in one sentence; the
//! total's growth in that sentence or the one next to it in the paragraph. All on
//! intervals; NBS itself notes that rounded 拉动 need not add up exactly, which the
//! intervals allow for.

use rust_decimal::Decimal;

use super::partition::{self, Partition};
use super::{Sentences, between, display, growth, open_ended};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind};
use crate::extract::{BreakdownKind, Quantity, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "contribution-sum",
    summary: "贡献率、拉动与总体增速不符",
    vars: &["what", "terms", "sum", "total", "detail"],
    build: |_| Ok(Box::new(ContributionSum)),
};

struct ContributionSum;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 拉动, in percentage points.
    Pull,
    /// 贡献率, in percent.
    Rate,
}

/// One 拉动 or 贡献率 of a named part.
#[derive(Debug, Clone)]
struct Entry<'a> {
    stmt: usize,
    name: String,
    kind: Kind,
    amount: &'a Quantity,
    down: bool,
    /// Position of the 分别 list it came from (one list, one set of members).
    list: Option<usize>,
}

fn bare_or_points(q: &Quantity) -> bool {
    q.unit_kind == UnitKind::Point || q.unit_kind == UnitKind::None && q.unit.is_none()
}

fn entries<'a>(ctx: &Context<'a>) -> Vec<Entry<'a>> {
    let text = display(ctx);
    let mut out = Vec::new();
    for (i, s) in ctx.stmts.iter().enumerate() {
        if s.is_target() {
            continue;
        }
        let name = s.indicator.as_ref().map_or("", |x| x.text.as_str());
        for c in &s.contributions {
            let q = &c.amount;
            let kind = if c.text.starts_with("贡献率") && q.unit.as_deref() == Some("%") {
                Kind::Rate
            } else if c.text.contains("拉动") && bare_or_points(q) {
                Kind::Pull
            } else {
                continue;
            };
            out.push(Entry {
                stmt: i,
                name: name.to_owned(),
                kind,
                amount: q,
                down: c.downward,
                list: None,
            });
        }
        // `A、B、C分别拉动…`, `…的贡献率分别为…`.
        let Some(b) = &s.breakdown else { continue };
        if b.kind != BreakdownKind::Respectively || s.parts.is_empty() {
            continue;
        }
        let head = super::chars_before(text, b.marker.start, 30);
        let first = s.parts[0]
            .value
            .as_ref()
            .map_or(b.marker.end, |v| v.span.start);
        let verb = between(text, b.marker.end, first);
        let kind = if verb.contains("拉动") {
            Kind::Pull
        } else if head.contains("贡献率") {
            Kind::Rate
        } else {
            continue;
        };
        // `三次产业对经济增长的贡献率分别为…`: the members in order.
        let collective = s.items.is_empty()
            && s.parts.len() == 3
            && (head.contains("三次产业") || head.contains("一二三产业"));
        for (k, p) in s.parts.iter().enumerate() {
            let Some(q) = &p.value else { continue };
            let ok = match kind {
                Kind::Pull => bare_or_points(q),
                Kind::Rate => q.unit.as_deref() == Some("%"),
            };
            if !ok || p.is_target() {
                continue;
            }
            let Some(pi) = ctx.index_of(p) else { continue };
            let name = if collective {
                partition::SECTORS.members[k].label.to_owned()
            } else {
                p.indicator
                    .as_ref()
                    .map_or_else(String::new, |x| x.text.clone())
            };
            out.push(Entry {
                stmt: pi,
                name,
                kind,
                amount: q,
                down: false,
                list: Some(i),
            });
        }
    }
    out
}

/// The total's growth for partition `p`, in sentence `sn` or next to it.
fn total_growth<'a>(
    ctx: &Context<'a>,
    sentences: &Sentences,
    p: &Partition,
    sn: usize,
) -> Option<(usize, &'a Quantity, bool)> {
    let para = sentences
        .range(sn)
        .and_then(|(a, _)| sentences.paragraph(a));
    ctx.stmts
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            !s.is_target()
                && p.is_total(s.canonical())
                && sentences.paragraph(s.span.start) == para
                && sentences
                    .sentence(s.span.start)
                    .is_some_and(|x| x + 1 >= sn && x <= sn + 1)
        })
        .min_by_key(|(_, s)| {
            sentences
                .sentence(s.span.start)
                .map_or(usize::MAX, |x| x.abs_diff(sn))
        })
        .and_then(|(i, s)| {
            let (q, d) = growth(s.change.as_ref()?)?;
            Some((i, q, d))
        })
}

/// `消费3.1、投资2.0、净出口-0.4个百分点`, named by the partition's labels.
fn show(p: &Partition, terms: &[(&Entry<'_>, &Quantity)]) -> String {
    terms
        .iter()
        .enumerate()
        .map(|(m, (e, q))| {
            let sign = if e.down { "-" } else { "" };
            format!("{}{}{}", p.members[m].label, sign, q.text)
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn sum(terms: &[(&Entry<'_>, &Quantity)]) -> Decimal {
    terms
        .iter()
        .map(|(e, q)| if e.down { -q.value.abs() } else { q.value })
        .sum()
}

impl ContributionSum {
    fn complete_sets(
        ctx: &Context<'_>,
        out: &mut Vec<Finding>,
        sentences: &Sentences,
        group: &[&Entry<'_>],
        sn: usize,
    ) {
        for kind in [Kind::Pull, Kind::Rate] {
            for p in partition::ALL {
                let of_kind: Vec<&&Entry<'_>> = group.iter().filter(|e| e.kind == kind).collect();
                let members: Vec<Option<usize>> =
                    of_kind.iter().map(|e| p.member(&e.name)).collect();
                if !partition::complete(p, &members) || of_kind.iter().any(|e| open_ended(e.amount))
                {
                    continue;
                }
                // Pair every member with its entry, in the partition's order.
                let mut terms: Vec<(&Entry<'_>, &Quantity)> = Vec::new();
                for m in 0..p.members.len() {
                    if let Some(k) = members.iter().position(|x| *x == Some(m)) {
                        terms.push((of_kind[k], of_kind[k].amount));
                    }
                }
                let first = terms[0].0.stmt;
                match kind {
                    Kind::Rate => {
                        let rel = Relation::Hundred {
                            terms: terms.iter().map(|t| t.1.clone()).collect(),
                        };
                        ctx.record(&rel);
                        if rel.holds() {
                            continue;
                        }
                        push(out, first, rel, p, &terms, "贡献率之和", None);
                    }
                    Kind::Pull => {
                        let Some((ti, g, gd)) = total_growth(ctx, sentences, p, sn) else {
                            continue;
                        };
                        if open_ended(g) {
                            continue;
                        }
                        let rel = Relation::SignedSum {
                            terms: terms.iter().map(|t| t.1.clone()).collect(),
                            down: terms.iter().map(|t| t.0.down).collect(),
                            total: Some(g.clone()),
                            total_down: gd,
                        };
                        ctx.record(&rel);
                        if rel.holds() {
                            continue;
                        }
                        let total = ctx.stmts[ti]
                            .change
                            .as_ref()
                            .map(|c| format!("{}{}", super::quoted_name(ctx.stmts[ti]), c.text));
                        push(out, first, rel, p, &terms, "拉动之和", total);
                    }
                }
                break;
            }
        }
    }

    /// 拉动 = growth × 贡献率 for one member stated with both.
    fn products(
        ctx: &Context<'_>,
        out: &mut Vec<Finding>,
        sentences: &Sentences,
        all: &[Entry<'_>],
    ) {
        for pull in all.iter().filter(|e| e.kind == Kind::Pull && !e.down) {
            let Some(rate) = all
                .iter()
                .find(|e| e.kind == Kind::Rate && e.stmt == pull.stmt && e.list == pull.list)
            else {
                continue;
            };
            let Some(sn) = sentences.sentence(ctx.stmts[pull.stmt].span.start) else {
                continue;
            };
            let Some(p) = partition::ALL
                .iter()
                .find(|p| p.member(&pull.name).is_some())
            else {
                continue;
            };
            let Some((_, g, gd)) = total_growth(ctx, sentences, p, sn) else {
                continue;
            };
            if gd || open_ended(g) || open_ended(pull.amount) || open_ended(rate.amount) {
                continue;
            }
            let rel = Relation::Share {
                part: pull.amount.clone(),
                whole: g.clone(),
                pct: rate.amount.clone(),
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            let d = pull.amount.decimals as usize;
            let computed = format!("{:.d$}", g.value * rate.amount.value / Decimal::ONE_HUNDRED);
            let label = p.member(&pull.name).map_or("", |m| p.members[m].label);
            out.push(
                Finding {
                    span: pull.amount.span,
                    label: format!("拉动{}", pull.amount.text),
                    stmt: Some(pull.stmt),
                    relation: Some(rel),
                    key: vec![
                        pull.amount.text.clone(),
                        rate.amount.text.clone(),
                        g.text.clone(),
                    ],
                    ..Default::default()
                }
                .related(rate.amount.span, format!("贡献率{}", rate.amount.text))
                .related(g.span, format!("总体增长{}", g.text))
                .var("what", "拉动")
                .var("terms", format!("{label}拉动{}", pull.amount.text))
                .var("sum", format!("{computed}个百分点"))
                .var(
                    "detail",
                    format!(
                        "{label}拉动{}，与总体增长{}×贡献率{}（约{computed}个百分点）不符",
                        pull.amount.text, g.text, rate.amount.text
                    ),
                )
                .var("total", g.text.clone()),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Finding>,
    stmt: usize,
    rel: Relation,
    p: &Partition,
    terms: &[(&Entry<'_>, &Quantity)],
    what: &str,
    total: Option<String>,
) {
    let d = terms.iter().map(|t| t.1.decimals).max().unwrap_or(0) as usize;
    let s = format!("{:.d$}", sum(terms));
    let mut f = Finding {
        span: terms[0].1.span,
        label: format!("{what}{s}"),
        stmt: Some(stmt),
        relation: Some(rel),
        key: terms.iter().map(|t| t.1.text.clone()).collect(),
        ..Default::default()
    }
    .var("what", what.to_owned())
    .var("terms", show(p, terms))
    .var("sum", s.clone())
    .var(
        "detail",
        match &total {
            Some(t) => format!("{what}：{}合计{s}个百分点，与{t}不符", show(p, terms)),
            None => format!("{what}：{}合计{s}%，应为100%", show(p, terms)),
        },
    )
    .var("total", total.unwrap_or_else(|| "100%".into()));
    for (m, (_, q)) in terms.iter().enumerate().skip(1) {
        f = f.related(q.span, format!("{}{}", p.members[m].label, q.text));
    }
    out.push(f);
}

impl RuleKind for ContributionSum {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let all = entries(ctx);
        if all.is_empty() {
            return;
        }
        let sentences = Sentences::of(ctx);
        let mut groups: Vec<(usize, Vec<&Entry<'_>>)> = Vec::new();
        for e in &all {
            let Some(sn) = sentences.sentence(ctx.stmts[e.stmt].span.start) else {
                continue;
            };
            match groups.last_mut() {
                Some((k, g)) if *k == sn => g.push(e),
                _ => groups.push((sn, vec![e])),
            }
        }
        for (sn, group) in &groups {
            Self::complete_sets(ctx, out, sentences, group, *sn);
        }
        Self::products(ctx, out, sentences, &all);
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "contribution-sum-mismatch")
            .count()
    }

    #[test]
    fn pulls_add_up_to_growth() {
        assert_eq!(
            fired("示例市消费、投资、净出口分别拉动3.1、2.0、0.4个百分点，GDP增长4.7%。"),
            1
        );
        assert_eq!(
            fired(
                "示例市消费拉动3.1、投资拉动2.0个百分点，净出口向下拉动0.4个百分点，GDP增长4.7%。"
            ),
            0
        );
    }

    #[test]
    fn rates_add_up_to_100() {
        assert_eq!(
            fired(
                "示例市最终消费支出、资本形成总额、货物和服务净出口对经济增长的贡献率分别为82.5%、28.8%、-11.3%。"
            ),
            0
        );
        assert_eq!(
            fired(
                "示例市最终消费支出、资本形成总额、货物和服务净出口对经济增长的贡献率分别为82.5%、28.8%、11.3%。"
            ),
            1
        );
        assert_eq!(
            fired("示例市三次产业对经济增长的贡献率分别为5.1%、40.2%、54.7%。"),
            0
        );
    }

    #[test]
    fn pull_is_growth_times_rate() {
        assert_eq!(
            fired(
                "示例市地区生产总值增长5.0%，其中消费对经济增长的贡献率为60.0%，拉动经济增长3.0个百分点。"
            ),
            0
        );
        assert_eq!(
            fired(
                "示例市地区生产总值增长5.0%，其中消费对经济增长的贡献率为60.0%，拉动经济增长3.6个百分点。"
            ),
            1
        );
    }
}
