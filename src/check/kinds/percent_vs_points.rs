//! `percent-vs-points`: a rate changed by X% instead of X个百分点, or a level changed
//! by 个百分点.
//!
//! NBS convention: a relative indicator (增速、比重、占比、…率、降幅、增长面) changes in
//! percentage points; `比重提高1.2%` would mean 1.2% *of* the share. Reads:
//! - a change in % of a rate: the change is of a rate word (`降幅收窄2.3%`,
//!   `增速回落1.2%`: [`Change::of_rate`]) or the indicator is a rate
//!   ([`IndicatorTable::is_rate`]: `制造业比重提高1.2%`);
//! - a comparison in % of a rate: of a rate word (`增速比全省高1.2%`), of a rate
//!   indicator, or of a statement whose own figure is a growth rate in % and that
//!   states no level (`增长8.6%，比全省高1.7%`);
//! - a change in 个百分点 of a level: the indicator is a level in `indicators.yaml` or
//!   the statement gives a level in money, a count or a physical unit
//!   (`一般公共预算收入增长3.2个百分点`), and no rate word is written.
//!
//! Price indices (`居民消费价格上涨2.1%`) and intensities that are not percentages
//! (`能耗强度下降3.7%`, per unit of GDP) change in %; their words are listed in
//! `not_rates`. Only real change verbs count (`稳定在80%`, `控制在5%以内`,
//! `放缓至4.9%` state a level, not a change), a figure after `的` or before `的` is
//! the reference's own value (`高于第一季度的2%`, `高于全国同期1.7%的…增速`), and a
//! level changed by 个百分点 is reported only after `增长/增加/减少`: `较上月回落2.2个
//! 百分点` is the usual shorthand for the growth rate falling.

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};
use crate::extract::indicator::IndicatorKind;
use crate::extract::{Direction, Quantity, Statement, UnitKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Words of indicators that change in % although the table may call them rates.
    #[serde(default = "not_rates")]
    not_rates: Vec<String>,
}

fn not_rates() -> Vec<String> {
    [
        "价格",
        "指数",
        "CPI",
        "PPI",
        "能耗",
        "能源消耗",
        "碳排放",
        "排放强度",
        "用水",
        "单位",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

impl Default for Params {
    fn default() -> Self {
        Params {
            not_rates: not_rates(),
        }
    }
}

pub const DEF: KindDef = KindDef {
    name: "percent-vs-points",
    summary: "比率的变化用了%，或水平值的变化用了“个百分点”",
    vars: &["change", "expected", "reason"],
    build: |v| {
        let p = params::<Params>(v)?;
        let not_rates = AhoCorasick::new(&p.not_rates).map_err(|e| e.to_string())?;
        Ok(Box::new(PercentVsPoints { not_rates }))
    },
};

struct PercentVsPoints {
    /// The words of `not_rates`, searched at once.
    not_rates: AhoCorasick,
}

impl PercentVsPoints {
    fn exempt(&self, s: &Statement) -> bool {
        let written = s.indicator.as_ref().map_or("", |i| i.text.as_str());
        self.not_rates.is_match(written) || self.not_rates.is_match(s.canonical())
    }

    fn is_rate(&self, ctx: &Context<'_>, s: &Statement) -> bool {
        !s.canonical().is_empty() && ctx.table.is_rate(s.canonical()) && !self.exempt(s)
    }

    /// Whether the statement is about a level: a level of the table, or a level
    /// figure of its own.
    fn is_level(&self, ctx: &Context<'_>, s: &Statement) -> bool {
        if self.is_rate(ctx, s) || self.exempt(s) {
            return false;
        }
        let in_table = ctx
            .table
            .get(s.canonical())
            .is_some_and(|d| d.kind == IndicatorKind::Level);
        let has_level = s.value.as_ref().is_some_and(|v| {
            matches!(
                v.unit_kind,
                UnitKind::Money | UnitKind::Count | UnitKind::Physical
            )
        });
        in_table || has_level
    }
}

fn finding(i: usize, text: &str, amount: &Quantity, expected: &str, reason: String) -> Finding {
    let fixed = format!(
        "{}{}",
        amount
            .text
            .trim_end_matches(amount.unit.as_deref().unwrap_or("")),
        expected
    );
    Finding {
        span: amount.span,
        label: text.to_owned(),
        stmt: Some(i),
        key: vec![text.to_owned()],
        suggestion: Some(format!("改为“{fixed}”")),
        ..Default::default()
    }
    .var("change", text.to_owned())
    .var("expected", expected.to_owned())
    .var("reason", reason)
}

fn moves(d: Direction) -> bool {
    matches!(d, Direction::Up | Direction::Down)
}

/// Verbs that state a change (not `稳定在`, `控制在`).
const CHANGE_VERBS: &[&str] = &[
    "增长", "增加", "下降", "减少", "降低", "提高", "提升", "回落", "加快", "放缓", "收窄", "扩大",
    "上涨", "上升", "回升", "下滑", "缩小", "降", "减", "增", "涨", "跌", "高", "低", "高出",
    "低出", "高于", "低于", "快", "慢", "快于", "慢于",
];

/// Whether `增长5.2%` of a growth-rate indicator (`增速由上年的增长5.2%…`) states the
/// rate's value rather than its change.
fn growth_value(s: &Statement, verb: &str) -> bool {
    let c = s.canonical();
    ["增速", "增幅", "增长率", "涨幅", "降幅", "速度"]
        .iter()
        .any(|w| c.ends_with(w))
        && ["增长", "下降", "增加", "减少", "上涨"].contains(&verb)
}

/// Verbs of a level's change, where 个百分点 cannot be shorthand for the growth rate.
const LEVEL_VERBS: &[&str] = &["增长", "增加", "减少"];

/// Whether the figure is the reference's own value (`…的2%`, `1.7%的…`) or the
/// level reached (`放缓至4.9%`), not the size of a change.
fn not_a_difference(ctx: &Context<'_>, text: &str, verb: &str, amount: &Quantity) -> bool {
    let display = crate::cli::display_text(ctx.ex);
    let after = display.get(amount.span.end..).unwrap_or("");
    let before = display.get(..amount.span.start).unwrap_or("");
    after.starts_with('的') || before.ends_with('的') || verb_then(text, verb, ['至', '到', '为'])
}

/// Whether `text` holds `verb` followed by one of `next` (`放缓至`), as `contains` of
/// the joined words would tell: tried at each character, the text of a change being a
/// few characters long.
fn verb_then(text: &str, verb: &str, next: [char; 3]) -> bool {
    text.char_indices().any(|(k, _)| {
        text[k..]
            .strip_prefix(verb)
            .is_some_and(|rest| rest.starts_with(next))
    })
}

impl RuleKind for PercentVsPoints {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            if s.change.is_none() && s.comparisons.is_empty() {
                // Nothing changes: nothing to check.
                continue;
            }
            let rate = self.is_rate(ctx, s);
            let name = s.indicator.as_ref().map_or("", |x| x.text.as_str());
            if let Some(c) = &s.change {
                let verb_ok = CHANGE_VERBS.contains(&c.verb.as_str());
                if let (Some(a), true) = (&c.amount, moves(c.direction) && !c.to_level && verb_ok) {
                    ctx.touch([a]);
                    if not_a_difference(ctx, &c.text, &c.verb, a) {
                        // A level reached or a reference value.
                    } else if a.unit_kind == UnitKind::Percent
                        && (c.of_rate.is_some() || rate && !growth_value(s, &c.verb))
                    {
                        let what = c.of_rate.clone().unwrap_or_else(|| name.to_owned());
                        out.push(finding(
                            i,
                            &c.text,
                            a,
                            "个百分点",
                            format!("“{what}”是比率，其变化应以“个百分点”表示"),
                        ));
                    } else if a.unit_kind == UnitKind::Point
                        && c.of_rate.is_none()
                        && LEVEL_VERBS.contains(&c.verb.as_str())
                        && self.is_level(ctx, s)
                    {
                        out.push(finding(
                            i,
                            &c.text,
                            a,
                            "%",
                            format!(
                                "“{name}”是总量，其增减应以“%”表示，“个百分点”只用于比率的变化"
                            ),
                        ));
                    }
                }
            }
            // A growth rate in % with no level: comparisons are of that rate.
            let growth_only = s.value.is_none()
                && s.change.as_ref().is_some_and(|c| {
                    c.amount
                        .as_ref()
                        .is_some_and(|a| a.unit_kind == UnitKind::Percent)
                        && moves(c.direction)
                });
            for cmp in &s.comparisons {
                if cmp.amount.unit_kind != UnitKind::Percent
                    || !moves(cmp.direction)
                    || !CHANGE_VERBS.contains(&cmp.verb.as_str())
                    || not_a_difference(ctx, &cmp.text, &cmp.verb, &cmp.amount)
                {
                    continue;
                }
                if cmp.of_rate.is_some() || rate || growth_only && !self.exempt(s) {
                    let what = cmp.of_rate.clone().unwrap_or_else(|| {
                        if rate {
                            name.to_owned()
                        } else {
                            "增速".into()
                        }
                    });
                    out.push(finding(
                        i,
                        &cmp.text,
                        &cmp.amount,
                        "个百分点",
                        format!("比较的是“{what}”，两个比率之差应以“个百分点”表示"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {

    fn run(text: &str) -> Vec<(String, Option<String>)> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| (d.rule, d.suggestion))
            .collect()
    }

    #[test]
    fn rates_change_in_points() {
        let d =
            run("全市制造业增加值占规上工业比重提高1.2%，规上工业增加值下降3.5%，降幅收窄2.3%。");
        let rules: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(rules, ["U201", "U201"], "{d:?}");
        assert_eq!(d[0].1.as_deref(), Some("改为“1.2个百分点”"));
        assert_eq!(run("全市城镇调查失业率下降0.3%。").len(), 1);
        assert_eq!(run("全市规上工业增加值增长8.6%，比全省高1.7%。").len(), 1);
        assert_eq!(
            run("全市规上工业增加值增长8.6%，增速比上年提高1.7%。").len(),
            1
        );
    }

    #[test]
    fn levels_change_in_percent() {
        let d = run("全市一般公共预算收入增长3.2个百分点。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].1.as_deref(), Some("改为“3.2%”"));
    }

    #[test]
    fn right_usage_is_quiet() {
        assert!(
            run("全市制造业增加值占规上工业比重提高1.2个百分点，降幅收窄2.3个百分点。").is_empty()
        );
        assert!(run("全市居民消费价格上涨2.1%。").is_empty());
        assert!(run("全市规上工业增加值增长6.1%，比上年同期提高2.1个百分点。").is_empty());
        assert!(run("全市规上工业增加值比上年提高6.1%。").is_empty());
        assert!(run("全市城镇居民人均可支配收入4.2万元，增长6.1%，比全省高1.2%。").is_empty());
        // `增速为增长5.2%` states the growth rate itself, not a change of it.
        assert!(run("全市规上工业增加值增速为增长5.2%，比上年回落1.1个百分点。").is_empty());
    }
}
