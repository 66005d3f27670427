//! The fields of a statement that `when:` guards and `expr` rules can use.
//!
//! A guard is a minijinja expression over these names, compiled when the pack is
//! loaded; a name not listed here is rejected then, with the list.

use minijinja::Value;
use rust_decimal::prelude::ToPrimitive;

use crate::extract::{Direction, IndicatorTable, Statement};

/// Field names, documented in the README (`when` guards).
pub const FIELDS: &[&str] = &[
    "text",
    "indicator",
    "canonical",
    "aspect",
    "scope",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "period_resolved",
    "is_target",
    "target_word",
    "is_rate",
    "is_part",
    "has_value",
    "value",
    "unit",
    "magnitude",
    "qualifier",
    "decimals",
    "has_change",
    "change",
    "change_unit",
    "change_verb",
    "change_basis",
    "change_direction",
    "has_rank",
    "rank",
    "rank_scope",
    "has_share",
    "share",
    "share_kind",
    "doc_date",
];

fn f(d: rust_decimal::Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The fields of `s` as a minijinja map (absent values are `none`).
pub fn fields(
    s: &Statement,
    is_part: bool,
    table: &IndicatorTable,
    doc_date: Option<chrono::NaiveDate>,
) -> Value {
    let none = Value::from(());
    let opt = |v: Option<String>| v.map_or(none.clone(), Value::from);
    let ind = s.indicator.as_ref();
    let p = s.period.as_ref();
    let v = s.value.as_ref();
    let c = s.change.as_ref();
    let r = s.ranks.first();
    let sh = s.share.as_ref();
    let canonical = s.canonical().to_owned();
    let pairs: Vec<(&str, Value)> = vec![
        ("text", Value::from(s.text.clone())),
        ("indicator", opt(ind.map(|i| i.text.clone()))),
        ("canonical", Value::from(canonical.clone())),
        ("aspect", opt(ind.and_then(|i| i.aspect.clone()))),
        (
            "scope",
            opt(s
                .scope
                .as_ref()
                .map(|x| x.resolved.clone().unwrap_or_else(|| x.text.clone()))),
        ),
        ("period", opt(p.map(|x| x.text.clone()))),
        (
            "period_kind",
            opt(p.map(|x| format!("{:?}", x.kind).to_lowercase())),
        ),
        (
            "period_start",
            opt(p.and_then(|x| x.start).map(|d| d.to_string())),
        ),
        (
            "period_end",
            opt(p.and_then(|x| x.end).map(|d| d.to_string())),
        ),
        (
            "period_resolved",
            Value::from(p.is_some_and(|x| x.resolved)),
        ),
        ("is_target", Value::from(s.target.is_some())),
        (
            "target_word",
            opt(s.target.as_ref().map(|t| t.word.clone())),
        ),
        ("is_rate", Value::from(table.is_rate(&canonical))),
        ("is_part", Value::from(is_part)),
        ("has_value", Value::from(v.is_some())),
        ("value", v.map_or(none.clone(), |q| Value::from(f(q.value)))),
        ("unit", opt(v.and_then(|q| q.unit.clone()))),
        ("magnitude", opt(v.and_then(|q| q.magnitude.clone()))),
        (
            "qualifier",
            opt(v.and_then(|q| q.qualifier.as_ref().map(|x| x.text.clone()))),
        ),
        (
            "decimals",
            v.map_or(none.clone(), |q| Value::from(q.decimals)),
        ),
        ("has_change", Value::from(c.is_some())),
        (
            "change",
            c.and_then(|c| c.signed())
                .map_or(none.clone(), |d| Value::from(f(d))),
        ),
        (
            "change_unit",
            opt(c.and_then(|c| c.amount.as_ref().and_then(|a| a.unit.clone()))),
        ),
        ("change_verb", opt(c.map(|c| c.verb.clone()))),
        ("change_basis", opt(c.and_then(|c| c.basis.clone()))),
        (
            "change_direction",
            opt(c.map(|c| {
                match c.direction {
                    Direction::Up => "up",
                    Direction::Down => "down",
                    Direction::Flat => "flat",
                    Direction::TurnPositive => "turn-positive",
                    Direction::Doubling => "doubling",
                }
                .to_owned()
            })),
        ),
        ("has_rank", Value::from(r.is_some())),
        (
            "rank",
            r.and_then(|r| r.position).map_or(none.clone(), Value::from),
        ),
        ("rank_scope", opt(r.and_then(|r| r.scope.clone()))),
        ("has_share", Value::from(sh.is_some())),
        (
            "share",
            sh.map_or(none.clone(), |x| Value::from(f(x.percent.value))),
        ),
        (
            "share_kind",
            opt(sh.map(|x| format!("{:?}", x.kind).to_lowercase())),
        ),
        ("doc_date", opt(doc_date.map(|d| d.to_string()))),
    ];
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<std::collections::BTreeMap<String, Value>>(),
    )
}
