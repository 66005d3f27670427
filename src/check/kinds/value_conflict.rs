//! `value-conflict`: one indicator, subject and period stated with two values.
//!
//! Two statements conflict when their canonical indicator (aliases applied: 规上 =
//! 规模以上, 高企 = 高新技术企业), subject, period (resolved dates) and aspect (新增,
//! 总数 …) are the same, neither is a target or a part of a list, and their values'
//! intervals cannot meet.
//!
//! Long reports name many different things alike (`新增…`, a list's items, this year's
//! and the cumulative figure), so a name is compared only when it is in
//! `indicators.yaml`, or — for other names — when both statements write the same name
//! with a period of their own (not carried from an earlier clause) and no list in it.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::check::interval::Iv;
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};
use crate::extract::Statement;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Names too generic to compare.
    #[serde(default = "generic")]
    generic: Vec<String>,
    /// Shortest name compared when it is not in the indicator table.
    #[serde(default = "min_chars")]
    min_chars: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            generic: generic(),
            min_chars: min_chars(),
        }
    }
}

fn generic() -> Vec<String> {
    [
        "总投资",
        "投资",
        "项目",
        "企业",
        "资金",
        "产值",
        "总数",
        "总量",
        "金额",
        "规模",
        "收入",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn min_chars() -> usize {
    4
}

pub const DEF: KindDef = KindDef {
    name: "value-conflict",
    summary: "同一指标、范围、期间有两个不同数值",
    vars: &["first", "second"],
    build: |v| Ok(Box::new(ValueConflict(params::<Params>(v)?))),
};

struct ValueConflict(Params);

/// What two statements must share to conflict: canonical indicator, subject, period
/// (first and last day) and aspect.
type Key<'s> = (&'s str, &'s str, NaiveDate, NaiveDate, &'s str);

fn key(s: &Statement) -> Option<Key<'_>> {
    let ind = s.indicator.as_ref()?;
    let p = s.period.as_ref()?;
    let (a, b) = (p.start?, p.end?);
    let scope = s
        .scope
        .as_ref()
        .map_or("", |x| x.resolved.as_deref().unwrap_or(&x.text));
    Some((
        ind.canonical.as_str(),
        scope,
        a,
        b,
        ind.aspect.as_deref().unwrap_or(""),
    ))
}

impl RuleKind for ValueConflict {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let eligible: Vec<usize> = (0..ctx.stmts.len())
            .filter(|&i| {
                let s = ctx.stmts[i];
                s.value.is_some()
                    && !s.is_target()
                    && ctx.parent[i].is_none()
                    && s.class.is_none()
                    && s.value_to.is_none()
                    && s.indicator.as_ref().is_some_and(|ind| {
                        let c = ind.canonical.as_str();
                        // The cheaper questions first; the table only when they fail.
                        let plain = !ind.inherited
                            && s.period.as_ref().is_some_and(|p| !p.inherited)
                            && self
                                .0
                                .min_chars
                                .checked_sub(1)
                                .is_none_or(|k| c.chars().nth(k).is_some())
                            && !self.0.generic.iter().any(|g| g == c)
                            && !ind.text.contains(['、', '，', ',', '和', '及']);
                        plain || ctx.table.get(c).is_some()
                    })
            })
            .collect();
        // Worked out once: every pair of eligible statements compares them.
        let keys: Vec<Option<Key<'_>>> = eligible.iter().map(|&i| key(ctx.stmts[i])).collect();
        for (n, &i) in eligible.iter().enumerate() {
            let Some(ka) = keys[n] else {
                continue;
            };
            let named = ctx.table.get(ka.0).is_some();
            for (&j, kb) in eligible[n + 1..].iter().zip(&keys[n + 1..]) {
                if kb.as_ref() != Some(&ka) {
                    continue;
                }
                // Outside the table the names must be written alike.
                let text = |k: usize| ctx.stmts[k].indicator.as_ref().map(|x| x.text.as_str());
                if !named && text(i) != text(j) {
                    continue;
                }
                let (Some(a), Some(b)) = (&ctx.stmts[i].value, &ctx.stmts[j].value) else {
                    continue;
                };
                if !super::comparable(a, b) {
                    continue;
                }
                ctx.touch([a, b]);
                if Iv::from(a.interval).meets(b.interval.into()) {
                    continue;
                }
                out.push(
                    Finding {
                        span: b.span,
                        label: format!("又作{}", b.text),
                        stmt: Some(j),
                        key: vec![a.text.clone(), b.text.clone()],
                        ..Default::default()
                    }
                    .related(a.span, format!("前文为{}", a.text))
                    .var("first", a.text.clone())
                    .var("second", b.text.clone()),
                );
                break;
            }
        }
    }
}
