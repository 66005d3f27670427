//! The round-trip detector: is every figure of the data read back from the draft
//! with its indicator, unit, period and change?
//!
//! For each indicator (parts included) [`verify`] looks, among the statements
//! extracted from the rendered prose, for one with the same indicator (as written or
//! canonical) that carries each expected figure: the value (its interval as written
//! must contain the data's exact value, in the same base unit), the change (same
//! direction after rounding, amount interval containing the data's growth, `%`,
//! `个百分点` or `倍`), the comparison gap, the share, the rank, and the target; and
//! for each, the period (resolved start and end equal the data's). Anything not
//! found is a [`Mismatch`]. Used by the round-trip tests and available to callers
//! who want to verify a draft.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::data::{Figure, Indicator, PeriodSpec, ReportData, is_percent};
use super::filters::{Rounding, round};
use crate::extract::{Direction, IndicatorTable, Quantity, Statement, UnitKind};

/// A figure of the data that the draft does not give back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub indicator: String,
    /// `value`, `growth`, `compare`, `share`, `rank`, `target`, `coverage`.
    pub field: String,
    /// What the data say.
    pub expected: String,
    /// What was read (the closest statement), or `未读出`.
    pub found: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} 的 {}：数据为 {}，稿中读出 {}",
            self.indicator, self.field, self.expected, self.found
        )
    }
}

fn contains(q: &Quantity, v: Decimal) -> bool {
    q.interval.contains(v)
}

/// The value in base units and base unit a quantity stands for.
fn base_unit(q: &Quantity) -> String {
    q.unit.clone().unwrap_or_default()
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn period_ok(want: Option<(NaiveDate, NaiveDate)>, s: &Statement) -> bool {
    let Some((a, b)) = want else {
        return true;
    };
    s.period
        .as_ref()
        .is_some_and(|p| p.start == Some(a) && p.end == Some(b))
}

fn describe(s: &Statement) -> String {
    let mut t = s.text.clone();
    if let Some(p) = &s.period {
        let when = match (p.start, p.end) {
            (Some(a), Some(b)) => format!("{a}～{b}"),
            _ => "未解析".into(),
        };
        t = format!("{t}（期间 {} {when}）", p.text);
    }
    t
}

struct Ctx<'a> {
    stmts: Vec<&'a Statement>,
    table: &'a IndicatorTable,
    year: Option<i32>,
    rounding: Rounding,
    out: Vec<Mismatch>,
}

impl Ctx<'_> {
    fn same_indicator(&self, s: &Statement, name: &str) -> bool {
        let Some(i) = &s.indicator else {
            return false;
        };
        // `亿元以上项目42个`: the class is read apart from the noun.
        let with_class = s
            .class
            .as_ref()
            .is_some_and(|c| format!("{}{}", c.text, i.text) == name);
        with_class
            || i.text == name
            || i.canonical == self.table.canonical(name)
            || i.text.ends_with(name)
            || self.table.canonical(&i.text) == self.table.canonical(name)
    }

    fn dates(&self, p: Option<&PeriodSpec>) -> Option<(NaiveDate, NaiveDate)> {
        let p = p?;
        let y = p.year.or(self.year)?;
        let (a, b) = p.months?;
        Some((NaiveDate::from_ymd_opt(y, a, 1)?, last_day(y, b)?))
    }

    fn miss(&mut self, ind: &Indicator, field: &str, expected: String, cands: &[&Statement]) {
        self.out.push(Mismatch {
            indicator: ind.name.clone(),
            field: field.to_owned(),
            expected,
            found: cands
                .first()
                .map_or_else(|| "未读出".to_owned(), |s| describe(s)),
        });
    }

    fn check(&mut self, ind: &Indicator, inherited: Option<&PeriodSpec>) {
        let period = ind.period.as_ref().or(inherited);
        let want = self.dates(period);
        let cands: Vec<&Statement> = self
            .stmts
            .iter()
            .copied()
            .filter(|s| self.same_indicator(s, &ind.name))
            .collect();
        let achieved: Vec<&Statement> = cands.iter().copied().filter(|s| !s.is_target()).collect();
        if let Some(v) = &ind.value {
            let (base, unit) = v.base();
            let ok = achieved.iter().any(|s| {
                period_ok(want, s)
                    && s.value.as_ref().is_some_and(|q| {
                        base_unit(q) == unit && q.unit_kind != UnitKind::Times && contains(q, base)
                    })
            });
            if !ok {
                self.miss(ind, "value", show(v), &achieved);
            }
        }
        if let Some(g) = &ind.growth {
            let sign = {
                let r = round(g.value, g.decimals, self.rounding);
                if r.is_zero() {
                    0
                } else if r.is_sign_negative() {
                    -1
                } else {
                    1
                }
            };
            let ok = achieved.iter().any(|s| {
                period_ok(want, s) && s.change.as_ref().is_some_and(|c| change_ok(c, g, sign))
            });
            if !ok {
                self.miss(ind, "growth", show(g), &achieved);
            }
            if let Some(cmp) = &ind.compare {
                if let Some(gap) = &cmp.gap {
                    // `增速与全省持平` is read as a flat change of a clause named
                    // `增速与全省`, not as a comparison (a limit of extraction).
                    let flat_ok = round(gap.value, gap.decimals, self.rounding).is_zero()
                        && self.stmts.iter().any(|s| {
                            s.change
                                .as_ref()
                                .is_some_and(|c| c.direction == Direction::Flat)
                                && s.indicator
                                    .as_ref()
                                    .is_some_and(|i| i.text.contains(&format!("与{}", cmp.label)))
                        });
                    let ok = flat_ok
                        || achieved.iter().any(|s| {
                            s.comparisons.iter().any(|c| {
                                let signed = match c.direction {
                                    Direction::Down => -c.amount.value,
                                    Direction::Flat => Decimal::ZERO,
                                    _ => c.amount.value,
                                };
                                c.reference.contains(cmp.label.as_str())
                                    && (c.direction == Direction::Flat
                                        && round(gap.value, gap.decimals, self.rounding).is_zero()
                                        || c.amount.interval.contains(gap.value.abs())
                                            && signed.is_sign_negative()
                                                == gap.value.is_sign_negative())
                            })
                        });
                    if !ok {
                        self.miss(
                            ind,
                            "compare",
                            format!("比{}{}", cmp.label, show(gap)),
                            &achieved,
                        );
                    }
                }
            }
        }
        if let Some(p) = ind.share.as_ref().and_then(|s| s.pct.as_ref()) {
            let ok = achieved.iter().any(|s| {
                s.share
                    .as_ref()
                    .is_some_and(|sh| contains(&sh.percent, p.value))
            });
            if !ok {
                self.miss(ind, "share", show(p), &achieved);
            }
        }
        if let Some(r) = &ind.rank {
            let ok = achieved.iter().any(|s| {
                s.ranks.iter().any(|k| {
                    k.position == Some(r.pos) && k.scope.as_deref().is_none_or(|sc| sc == r.scope)
                })
            });
            if !ok {
                self.miss(ind, "rank", format!("{}第{}位", r.scope, r.pos), &achieved);
            }
        }
        if let Some(w) = &ind.whole {
            let ok = self.stmts.iter().any(|s| {
                s.whole.as_ref().is_some_and(|q| q.value == w.value.value)
                    && s.value
                        .as_ref()
                        .zip(ind.value.as_ref())
                        .is_some_and(|(q, v)| q.value == v.value)
            });
            if !ok {
                self.miss(
                    ind,
                    "coverage",
                    format!("{}个中有若干个", w.value.value),
                    &cands,
                );
            }
        }
        if let Some(t) = &ind.target {
            let targets: Vec<&Statement> =
                cands.iter().copied().filter(|s| s.is_target()).collect();
            let ok = targets.iter().any(|s| {
                if let Some(g) = &t.growth {
                    s.change
                        .as_ref()
                        .is_some_and(|c| change_ok(c, g, sign_of(g.value)))
                } else if let Some(v) = &t.value {
                    let (base, unit) = v.base();
                    s.value
                        .as_ref()
                        .is_some_and(|q| base_unit(q) == unit && contains_or_bound(q, base))
                } else {
                    true
                }
            });
            if !ok {
                let what = t
                    .growth
                    .as_ref()
                    .or(t.value.as_ref())
                    .map(show)
                    .unwrap_or_default();
                self.miss(ind, "target", format!("{}{what}", t.verb), &targets);
            }
        }
        for p in &ind.parts {
            self.check(p, period);
        }
    }
}

fn sign_of(v: Decimal) -> i32 {
    if v.is_zero() {
        0
    } else if v.is_sign_negative() {
        -1
    } else {
        1
    }
}

/// A target `8%以上` stands for `[8, ∞)`: its lower end must be the figure.
fn contains_or_bound(q: &Quantity, v: Decimal) -> bool {
    contains(q, v) || q.interval.lo == Some(v) || q.value == v
}

fn change_ok(c: &crate::extract::Change, g: &Figure, sign: i32) -> bool {
    if sign == 0 {
        return c.direction == Direction::Flat;
    }
    let want_dir = if sign > 0 {
        Direction::Up
    } else {
        Direction::Down
    };
    if c.direction != want_dir {
        return false;
    }
    let Some(a) = &c.amount else {
        return false;
    };
    let v = g.value.abs();
    match a.unit_kind {
        UnitKind::Percent => is_percent(&g.unit) && contains_or_bound(a, v),
        UnitKind::Point => g.unit == "个百分点" && contains(a, v),
        UnitKind::Times => {
            is_percent(&g.unit)
                && a.interval.lo.is_some_and(|lo| lo * Decimal::from(100) <= v)
                && a.interval.hi.is_some_and(|hi| v <= hi * Decimal::from(100))
        }
        _ => false,
    }
}

fn show(f: &Figure) -> String {
    format!(
        "{}{}{}",
        super::filters::fixed(f.value, f.decimals, Rounding::HalfUp),
        f.unit,
        if f.computed { "（计算值）" } else { "" }
    )
}

/// Every figure of `data` that `facts` do not give back.
pub fn verify(
    data: &ReportData,
    facts: &crate::extract::FileFacts,
    table: &IndicatorTable,
) -> Vec<Mismatch> {
    let year = data
        .fields
        .get("year")
        .and_then(serde_json::Value::as_i64)
        .and_then(|y| i32::try_from(y).ok());
    let rounding = match data
        .fields
        .get("rounding")
        .and_then(serde_json::Value::as_str)
    {
        Some("even") => Rounding::HalfEven,
        _ => Rounding::HalfUp,
    };
    let mut ctx = Ctx {
        stmts: facts.all_statements(),
        table,
        year,
        rounding,
        out: Vec::new(),
    };
    for ind in &data.indicators {
        ctx.check(ind, None);
    }
    let _ = Datelike::year(&NaiveDate::MIN);
    ctx.out
}

#[cfg(test)]
mod tests {
    use super::super::filters::BROKEN_YI;
    use super::super::{Renderer, data, draft};
    use crate::check::RuleSet;

    fn mismatches(text: &str) -> Vec<super::Mismatch> {
        let rules = RuleSet::defaults().unwrap();
        let d = data::read_yaml_text(text, "shili-2025.yaml").unwrap();
        let r = Renderer::default();
        let out = draft(&r, "annual-review", d, &rules, None, "t.txt").unwrap();
        super::verify(&out.data, &out.check.extraction.facts, &rules.table)
    }

    /// The detector can fail: with `yi` broken (one decimal, cut instead of
    /// rounded), `28640万元` renders as `2.8亿元`, which cannot stand for 2.864亿元.
    #[test]
    fn broken_yi_is_caught() {
        let example = include_str!("../../examples/render/shili-2025.yaml");
        assert!(mismatches(example).is_empty());
        BROKEN_YI.with(|b| b.set(true));
        let m = mismatches(example);
        BROKEN_YI.with(|b| b.set(false));
        assert!(
            m.iter()
                .any(|x| x.indicator == "减税降费" && x.field == "value"),
            "{m:?}"
        );
    }

    /// A figure changed after rendering is reported with what was read.
    #[test]
    fn changed_figure_is_reported() {
        let rules = RuleSet::defaults().unwrap();
        let example = include_str!("../../examples/render/shili-2025.yaml");
        let d = data::read_yaml_text(example, "x.yaml").unwrap();
        let r = Renderer::default();
        let mut out = draft(&r, "annual-review", d, &rules, None, "t.txt").unwrap();
        for i in &mut out.data.indicators {
            if i.name == "授信金额" {
                if let Some(g) = &mut i.growth {
                    g.value = -g.value;
                }
            }
        }
        let m = super::verify(&out.data, &out.check.extraction.facts, &rules.table);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].field, "growth");
        assert!(m[0].found.contains("下降3.2%"), "{}", m[0]);
    }
}
