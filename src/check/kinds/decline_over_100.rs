//! `decline-over-100`: a level that fell by more than 100%.
//!
//! A level (an amount, a count, a quantity) that falls by 100% reaches zero; it
//! cannot fall further. Reads every change of a statement whose amount is in % and
//! whose direction is down (`下降`, `减少`, `降低`, `下滑`, or `增长-112%`), and reports
//! a fall above 100%. A fall of exactly 100% (to zero) is possible and not reported.
//!
//! Left out: changes of a rate (`降幅收窄…`, `增速回落…`; rates are `percent-vs-points`'
//! business), indicators that are rates themselves, and indicators that may turn
//! negative (`利润` can become a loss, `净出口` can change sign): the pack lists their
//! words in `may_be_negative`.
//!
//! Targets are included (a target can be as impossible as a result); the message can
//! say so through the `is_target` field.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};
use crate::extract::{Change, Direction, IndicatorTable, Statement, UnitKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Words of indicators that can become negative (`利润`, `净出口`).
    #[serde(default = "may_be_negative")]
    may_be_negative: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            may_be_negative: may_be_negative(),
        }
    }
}

/// The default words of indicators that may change sign.
pub fn may_be_negative() -> Vec<String> {
    [
        "利润", "净", "顺差", "逆差", "差额", "结余", "盈余", "亏损", "收益", "损益", "盈亏",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

pub const DEF: KindDef = KindDef {
    name: "decline-over-100",
    summary: "水平值下降超过100%",
    vars: &["change"],
    build: |v| {
        let p = params::<Params>(v)?;
        let exempt = AhoCorasick::new(&p.may_be_negative).map_err(|e| e.to_string())?;
        Ok(Box::new(DeclineOver100 { exempt }))
    },
};

struct DeclineOver100 {
    /// The words of `may_be_negative`, searched at once.
    exempt: AhoCorasick,
}

/// The default `may_be_negative` words, searched at once (`falls_over_100`).
fn default_exempt() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::new(may_be_negative()).unwrap_or_else(|_| unreachable!("constant words"))
    })
}

const DOWN_VERBS: &[&str] = &["下降", "减少", "降低", "下滑", "降", "减"];

/// The size of a fall in %, when the change is a fall of a level written in %
/// (`下降112.4%` → 112.4; `增长-112.4%` → 112.4).
pub fn level_fall(
    table: &IndicatorTable,
    s: &Statement,
    c: &Change,
    exempt: &AhoCorasick,
) -> Option<Decimal> {
    let a = c.amount.as_ref()?;
    if a.unit_kind != UnitKind::Percent || c.of_rate.is_some() || c.to_level {
        return None;
    }
    // The direction first: most changes are rises, and the names need not be read.
    let fall = match c.direction {
        Direction::Down if DOWN_VERBS.iter().any(|v| c.verb.ends_with(v)) => a.value.abs(),
        Direction::Up if a.value.is_sign_negative() => -a.value,
        _ => return None,
    };
    let canonical = s.canonical();
    let written = s.indicator.as_ref().map_or("", |i| i.text.as_str());
    if table.is_rate(canonical) || exempt.is_match(canonical) || exempt.is_match(written) {
        return None;
    }
    Some(fall)
}

/// Whether the statement's change is a fall of a level by more than 100% (so that
/// `implausible-growth` stays quiet about it).
pub fn falls_over_100(table: &IndicatorTable, s: &Statement) -> bool {
    s.change
        .as_ref()
        .and_then(|c| level_fall(table, s, c, default_exempt()))
        .is_some_and(|v| v > Decimal::ONE_HUNDRED)
}

impl RuleKind for DeclineOver100 {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(c) = &s.change else { continue };
            let Some(fall) = level_fall(ctx.table, s, c, &self.exempt) else {
                continue;
            };
            let Some(a) = &c.amount else { continue };
            ctx.touch([a]);
            if fall <= Decimal::ONE_HUNDRED {
                continue;
            }
            out.push(
                Finding {
                    span: a.span,
                    label: c.text.clone(),
                    stmt: Some(i),
                    key: vec![c.text.clone()],
                    ..Default::default()
                }
                .var("change", c.text.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    fn rules(text: &str) -> Vec<String> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| d.rule)
            .collect()
    }

    #[test]
    fn a_level_cannot_fall_by_more_than_all_of_it() {
        assert_eq!(rules("全市规下工业产值下降112.4%。"), ["A118"]);
        assert_eq!(rules("全市工业用电量减少105%。"), ["A118"]);
    }

    #[test]
    fn to_zero_profits_and_rates_are_possible() {
        assert!(rules("全市规下工业产值下降12.4%。").is_empty());
        assert!(rules("受疫情影响，示例市国际客运量下降100%。").is_empty());
        assert!(rules("全市规上工业企业利润总额下降125.3%。").is_empty());
        assert!(
            !rules("全市规上工业增加值下降3.5%，降幅收窄120.3%。").contains(&"A118".to_owned())
        );
    }
}
