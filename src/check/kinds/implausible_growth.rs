//! `implausible-growth`: a growth rate outside the range `indicators.yaml` gives as
//! plausible for the indicator (`growth_range`, in %).
//!
//! Reads the change of every statement whose canonical indicator has a range: a
//! change in % (`增长72.5%`, `下降35%`) or in 倍 (`增长1.5倍` = +150%, `增长到3倍` =
//! +200%). The whole interval of the written figure must lie outside the range, so a
//! rounded figure at the edge is not reported. Changes of a rate (`增速回落…`) are
//! not growth of the indicator and are left out; a fall of a level by more than 100%
//! is `decline-over-100`'s, so this kind stays quiet about it.
//!
//! Growth over several years (`比2002年增长65.5%`, `较“十三五”末…增长33.6%`, a
//! sentence about `五年`, `累计`, `以来`) is not a yearly rate and is left out.
//!
//! Targets are checked too — a plan can be as implausible as a result — and the
//! finding says it is a target (`note`).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use chrono::Datelike;
use regex::Regex;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::decline_over_100::falls_over_100;
use crate::check::interval::Iv;
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::{Change, Direction, UnitKind};

pub const DEF: KindDef = KindDef {
    name: "implausible-growth",
    summary: "增速超出该指标的合理区间（indicators.yaml）",
    vars: &["change", "low", "high", "note"],
    build: |_| Ok(Box::new(ImplausibleGrowth)),
};

struct ImplausibleGrowth;

/// The growth a change states, in % and signed, as an interval.
pub fn growth_percent(c: &Change) -> Option<Iv> {
    let a = c.amount.as_ref()?;
    if c.of_rate.is_some() {
        return None;
    }
    let iv: Iv = a.interval.into();
    let hundred = Decimal::ONE_HUNDRED;
    match (a.unit_kind, c.direction) {
        (UnitKind::Percent, Direction::Up) if !c.to_level => Some(iv),
        (UnitKind::Percent, Direction::Down) if !c.to_level => {
            Some(if a.value.is_sign_negative() {
                iv
            } else {
                iv.neg()
            })
        }
        // 增长1.5倍 = +150%; 增长到3倍 = +200%.
        (UnitKind::Times, Direction::Up) => {
            let iv = if c.to_level {
                iv.sub(Iv::exact(Decimal::ONE))
            } else {
                iv
            };
            Some(iv.scale(hundred))
        }
        _ => None,
    }
}

/// Whether the growth is over several years: its sentence, up to the change, speaks of
/// several years or a cumulative figure (`五年`, `每年`, `累计`, `以来`), or its paragraph, up
/// to the change, of a plan period or a comparison with a year before last
/// (`较“十三五”末…增长33.6%`, `比2002年增长65.5%`).
fn multi_year(ctx: &Context<'_>, c: &Change, year: Option<i32>) -> bool {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static PLANS: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let text = crate::cli::display_text(ctx.ex);
    // Sentences are in order and apart: the last one starting at or before the change
    // is the only one that can hold it.
    let sentences = super::sentences(ctx);
    let k = sentences.partition_point(|(_, sp)| sp.start <= c.span.start);
    let Some(start) = k
        .checked_sub(1)
        .and_then(|k| sentences.get(k))
        .filter(|(_, sp)| c.span.start < sp.end)
        .map(|(_, sp)| sp.start)
    else {
        return false;
    };
    let before = text.get(start..c.span.end).unwrap_or("");
    let words = WORDS.get_or_init(|| {
        AhoCorasick::new(["五年", "四年", "三年", "年均", "每年", "累计", "以来"]).ok()
    });
    if words.as_ref().is_some_and(|w| w.is_match(before)) {
        return true;
    }
    // A comparison with a plan period or an earlier year may sit in an earlier clause
    // of the paragraph (`2007年，…比2002年增长65.5%…；财政收入…增长1.71倍`).
    let para = super::paragraph_text_before(ctx, c.span);
    // The paragraph up to the change is one stretch of the text.
    let before: std::borrow::Cow<'_, str> = match text.get(c.span.start - para.len()..c.span.end) {
        Some(t) => t.into(),
        None => format!("{para}{}", text.get(c.span.start..c.span.end).unwrap_or("")).into(),
    };
    let plans = PLANS
        .get_or_init(|| AhoCorasick::new(["十一五", "十二五", "十三五", "十四五", "十五五"]).ok());
    if plans.as_ref().is_some_and(|w| w.is_match(before.as_ref())) {
        return true;
    }
    let re = YEAR.get_or_init(|| {
        Regex::new(r"(?:比|较|与)((?:19|20)[0-9]{2})年")
            .unwrap_or_else(|_| unreachable!("constant pattern"))
    });
    re.captures_iter(before.as_ref()).any(|cap| {
        let base: Option<i32> = cap.get(1).and_then(|m| m.as_str().parse().ok());
        match (base, year) {
            (Some(b), Some(y)) => b < y - 1,
            _ => true,
        }
    })
}

fn show(v: f64) -> String {
    Decimal::from_f64(v).map_or_else(|| v.to_string(), |d| d.normalize().to_string())
}

impl RuleKind for ImplausibleGrowth {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        // The table's bounds as decimals: a few values asked for again and again, and
        // `Decimal::from_f64` is slow, so each is converted once.
        let mut bounds: Vec<(u64, Option<Decimal>)> = Vec::new();
        let mut decimal = |v: f64| match bounds.iter().find(|(b, _)| *b == v.to_bits()) {
            Some(&(_, d)) => d,
            None => {
                let d = Decimal::from_f64(v);
                bounds.push((v.to_bits(), d));
                d
            }
        };
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(c) = &s.change else { continue };
            let Some([lo, hi]) = ctx.table.get(s.canonical()).and_then(|d| d.growth_range) else {
                continue;
            };
            let Some(g) = growth_percent(c) else { continue };
            let year = s.period.as_ref().and_then(|p| p.end).map(|d| d.year());
            if falls_over_100(ctx.table, s) || multi_year(ctx, c, year) {
                continue;
            }
            let (Some(l), Some(h)) = (decimal(lo), decimal(hi)) else {
                continue;
            };
            if let Some(a) = &c.amount {
                ctx.touch([a]);
            }
            let below = g.hi.is_some_and(|x| x < l);
            let above = g.lo.is_some_and(|x| x > h);
            if !below && !above {
                continue;
            }
            let Some(a) = &c.amount else { continue };
            let note = if s.is_target() {
                "（这是目标或预计数，也请核实）"
            } else {
                ""
            };
            out.push(
                Finding {
                    span: a.span,
                    label: c.text.clone(),
                    stmt: Some(i),
                    key: vec![c.text.clone()],
                    ..Default::default()
                }
                .var("change", c.text.clone())
                .var("low", format!("{}%", show(lo)))
                .var("high", format!("{}%", show(hi)))
                .var("note", note),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::rule_messages as run;

    #[test]
    fn outside_the_range_of_the_indicator() {
        let d = run("全市规上工业增加值同比增长72.5%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A120");
        let d = run("全市规上工业增加值同比下降35.0%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A120");
    }

    #[test]
    fn times_and_targets() {
        let d = run("全市社会消费品零售总额增长1.5倍。");
        assert_eq!(d.len(), 1, "{d:?}");
        let d = run("力争全市规上工业增加值增长45%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.contains("目标"), "{d:?}");
    }

    #[test]
    fn inside_the_range_or_unknown_indicators() {
        assert!(run("全市规上工业增加值同比增长7.3%。").is_empty());
        // Not in the table: no range, no finding.
        assert!(run("全市直播电商交易额增长320%。").is_empty());
        // Rounded at the edge: 40.04 may be 40.0.
        assert!(run("全市规上工业增加值增长40.0%。").is_empty());
        // Over several years.
        assert!(run("2024年，全市地区生产总值比2019年增长35.2%。").is_empty());
        assert!(run("五年来，全市地区生产总值增长35.2%。").is_empty());
    }
}
