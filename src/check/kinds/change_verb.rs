//! `change-verb`: the verb of a change must agree with its sign and with what changes
//! (NBS usage):
//! - a negative amount after a rising verb: `增长-5.3%` → `下降5.3%`;
//! - a zero change: `增长0%`, `下降0.0%` → `持平`;
//! - prices rise and fall: `居民消费价格增长2.1%` → `上涨2.1%` (indicators named
//!   `…价格`, `…价格指数`, `…物价`, `CPI`, `PPI`);
//! - a rate grows by points with `提高` (`加快` for a growth rate), not `增长`:
//!   `比重增长1.2个百分点` → `提高1.2个百分点`, `增速比上年增长1.5个百分点` → `加快…`
//!   (only for indicators that are rates, `indicators.yaml` or a rate suffix: a level
//!   changed by points is `percent-vs-points`' business, and `每增长1个百分点` is not a
//!   change).
//!
//! The first two are read from the text of each sentence (page furniture excluded);
//! the last two from the changes and comparisons of the extracted statements, so
//! that `拉动经济增长3.1个百分点` (a contribution) is not a change of a rate.
//!
//! No params.

use regex::Regex;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::{Span, UnitKind};
use crate::report::Fix;

use super::{char_at, content_paragraphs, sub_span};

pub const DEF: KindDef = KindDef {
    name: "change-verb",
    summary: "变动用词与正负号或指标类型不符（增长-X%、增长0%、价格“增长”、百分点“增长”）",
    vars: &["match", "replacement", "problem"],
    build: |v| {
        if !v.is_null() {
            return Err("change-verb 没有参数".into());
        }
        let negative =
            Regex::new(r"(?:增长|增加|上升|提高|上涨)[-−](?P<n>\d+(?:\.\d+)?)(?P<u>%|个百分点)?")
                .map_err(|e| e.to_string())?;
        let zero =
            Regex::new(r"(?:增长|增加|上升|提高|上涨|下降|减少|降低|回落)0(?:\.0+)?(?:%|个百分点)")
                .map_err(|e| e.to_string())?;
        Ok(Box::new(ChangeVerb { negative, zero }))
    },
};

struct ChangeVerb {
    negative: Regex,
    zero: Regex,
}

/// Whether an indicator is a price or price index.
fn is_price(name: &str) -> bool {
    let n = name.trim_end_matches("指数");
    n.ends_with("价格")
        || n.ends_with("物价")
        || n.contains("价格指数")
        || ["CPI", "PPI"].iter().any(|w| name.contains(w))
}

impl ChangeVerb {
    fn text_findings(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        // The expressions are searched a paragraph at a time: a match holds no
        // sentence end, closing quote or space, so it never runs over two sentences,
        // and what follows a match at a sentence's end is never a digit.
        for para in content_paragraphs(ctx) {
            let s = &text[para.range.clone()];
            let mut hits: Vec<(std::ops::Range<usize>, String, &str)> = Vec::new();
            for c in self.negative.captures_iter(s) {
                let (Some(m), Some(n)) = (c.get(0), c.name("n")) else {
                    continue;
                };
                let u = c.name("u").map_or("", |u| u.as_str());
                hits.push((
                    m.range(),
                    format!("下降{}{u}", n.as_str()),
                    "负数的增长应写作“下降”",
                ));
            }
            for m in self.zero.find_iter(s) {
                if char_at(s, m.end()).is_some_and(|c| c.is_ascii_digit()) {
                    continue;
                }
                hits.push((m.range(), "持平".into(), "变动为零应写作“持平”"));
            }
            for (r, new, problem) in hits {
                let range = para.range.start + r.start..para.range.start + r.end;
                let shown = sm.text(range.clone());
                let span = sm.span(range);
                out.push(finding(span, shown, new, problem, None));
            }
        }
    }
}

fn finding(span: Span, shown: String, new: String, problem: &str, stmt: Option<usize>) -> Finding {
    Finding {
        span,
        label: shown.clone(),
        stmt,
        suggestion: Some(format!("改为“{new}”")),
        fix: Some(Fix {
            span,
            replacement: new.clone(),
        }),
        key: vec![shown.clone()],
        ..Default::default()
    }
    .var("match", shown)
    .var("replacement", new)
    .var("problem", problem)
}

impl RuleKind for ChangeVerb {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        self.text_findings(ctx, out);
        let display = crate::cli::display_text(ctx.ex);
        let rising = |v: &str| matches!(v, "增长" | "增加");
        for (i, s) in ctx.stmts.iter().enumerate() {
            let name = s.indicator.as_ref().map_or("", |x| x.text.as_str());
            if let Some(c) = &s.change {
                let unit = c.amount.as_ref().map(|a| a.unit_kind);
                let negative = c
                    .amount
                    .as_ref()
                    .is_some_and(|a| a.value.is_sign_negative());
                let zero = c.amount.as_ref().is_some_and(|a| a.value.is_zero());
                if rising(&c.verb) && !negative && !zero {
                    let rate = ctx.table.is_rate(s.canonical()) || c.of_rate.is_some();
                    let new_problem = if unit == Some(UnitKind::Point) && rate {
                        let growth = ["增速", "增幅", "增长率"]
                            .iter()
                            .any(|w| name.ends_with(w) || c.of_rate.as_deref() == Some(*w));
                        Some(if growth {
                            ("加快", "增速的提高用“加快”，不用“增长”")
                        } else {
                            ("提高", "比率以百分点变动用“提高”，不用“增长”")
                        })
                    } else if is_price(name) && unit == Some(UnitKind::Percent) {
                        Some(("上涨", "价格的升降用“上涨”“下降”，不用“增长”"))
                    } else {
                        None
                    };
                    if let Some((new, problem)) = new_problem {
                        let before = display.get(..c.span.start).unwrap_or("");
                        let contribution = before
                            .chars()
                            .rev()
                            .take(12)
                            .collect::<String>()
                            .chars()
                            .rev()
                            .collect::<String>();
                        let contribution = ["拉动", "带动", "贡献", "每"]
                            .iter()
                            .any(|w| contribution.contains(w));
                        if let (false, Some(span)) =
                            (contribution, sub_span(ctx, c.span, &c.text, &c.verb))
                        {
                            out.push(finding(span, c.verb.clone(), new.into(), problem, Some(i)));
                        }
                    }
                }
            }
            for cmp in &s.comparisons {
                let of_growth = cmp
                    .of_rate
                    .as_deref()
                    .is_some_and(|r| ["增速", "增幅", "涨幅"].contains(&r));
                if of_growth && rising(&cmp.verb) && cmp.amount.unit_kind == UnitKind::Point {
                    if let Some(span) = sub_span(ctx, cmp.span, &cmp.text, &cmp.verb) {
                        out.push(finding(
                            span,
                            cmp.verb.clone(),
                            "加快".into(),
                            "增速的提高用“加快”，不用“增长”",
                            Some(i),
                        ));
                    }
                }
            }
        }
        // A regex hit and a statement hit on the same words are one finding.
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(f.span.start));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::DEF;

    #[test]
    fn negative_and_zero() {
        let text = "示例市工业投资增长-5.3%，进出口增长0%，出口增长0.0%。";
        assert_eq!(
            suggestions(&DEF, "", text),
            ["改为“下降5.3%”", "改为“持平”", "改为“持平”"]
        );
    }

    #[test]
    fn prices_rise() {
        let text = "示例市居民消费价格同比增长2.1%，工业生产者出厂价格下降1.2%。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“上涨”"]);
    }

    #[test]
    fn rates_by_points() {
        let text =
            "示例市制造业增加值占比增长1.2个百分点。规上工业增加值增速比上年增长1.5个百分点。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“提高”", "改为“加快”"]);
        let level = "示例市地区生产总值每增长1个百分点，可带动就业2万人。";
        assert!(
            labels(&DEF, "", level).is_empty(),
            "{:?}",
            labels(&DEF, "", level)
        );
    }

    #[test]
    fn right_wording_passes() {
        let text = "示例市工业投资下降5.3%，进出口与上年持平，居民消费价格上涨2.1%，\
                    制造业增加值占比提高1.2个百分点，消费拉动经济增长3.1个百分点，出口增长0.5%。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
