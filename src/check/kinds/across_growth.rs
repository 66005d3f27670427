//! `across-growth-levels`: a growth rate in one year's report against the level the
//! previous year's report gave (`--across`).
//!
//! A statement with a level and a percentage growth (`2025年，示例市一般公共预算收入
//! 60亿元，比上年增长12.0%`; basis `同比`, `比上年`, `比去年` or none) is paired with the
//! level of the same indicator, named subject and aspect for the same months one year
//! earlier (`2024年…50亿元`) stated in *another* document (when the same document
//! states it, `growth-levels` checks it). `(to ÷ from − 1) × 100` must meet the rate's
//! interval.
//!
//! Only level indicators in money, counts or physical units are read; rates and
//! percentages are not. Growth of 增加值 and 生产总值 is at constant prices, and 规上
//! growth compares the same enterprises as last year (`growth: real` or
//! `same_sample: true` in `indicators.yaml`; a name containing 增加值 or 生产总值 counts
//! as real too), so the rule with `basis: real` checks those with the rate widened by
//! `slack` percentage points (price effects) and reports a warning; the rule with
//! `basis: nominal` checks the others. A statement that says its growth is on a
//! comparable basis (`可比口径`, `同口径`, `可比价`) is not checked.

use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::across::{AcrossContext, AcrossFinding, AcrossKind, subject};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::indicator::GrowthBasis;
use crate::extract::{Direction, Quantity, Statement, UnitKind};

#[derive(Debug, Deserialize, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Basis {
    #[default]
    Nominal,
    Real,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    basis: Basis,
    /// Percentage points the rate may differ from the levels' growth (price effects),
    /// used with `basis: real`.
    #[serde(default)]
    slack: Decimal,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            basis: Basis::Nominal,
            slack: Decimal::ZERO,
        }
    }
}

pub const DEF: KindDef = KindDef {
    name: "across-growth-levels",
    summary: "（跨文件）增速与上年文件中的水平值不符",
    vars: &["from", "to", "growth", "computed", "other"],
    build: |v| {
        let p = params::<Params>(v)?;
        if p.slack < Decimal::ZERO {
            return Err("slack 不能为负数".into());
        }
        Ok(Box::new(AcrossGrowth(p)))
    },
};

struct AcrossGrowth(Params);

impl RuleKind for AcrossGrowth {
    /// Within one file `growth-levels` does this.
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Finding>) {}

    fn across(&self) -> Option<&dyn AcrossKind> {
        Some(self)
    }
}

/// A percentage growth over the previous year, if the statement states one.
fn yearly_growth(s: &Statement) -> Option<(&crate::extract::Change, &Quantity)> {
    let c = s.change.as_ref()?;
    let a = c.amount.as_ref()?;
    let basis_ok = c
        .basis
        .as_deref()
        .is_none_or(|b| b.contains("同比") || b.contains("上年") || b.contains("去年"));
    let comparable_basis = ["可比", "同口径"].iter().any(|w| s.text.contains(w));
    (a.unit_kind == UnitKind::Percent
        && !c.to_level
        && c.of_rate.is_none()
        && matches!(c.direction, Direction::Up | Direction::Down)
        && basis_ok
        && !comparable_basis)
        .then_some((c, a))
}

fn is_level(q: &Quantity) -> bool {
    matches!(
        q.unit_kind,
        UnitKind::Money | UnitKind::Count | UnitKind::Physical
    )
}

/// Indicator, subject, aspect and the months covered, with the year moved back one.
type Slot = (String, String, String, (i32, u32), (i32, u32));

fn slot(s: &Statement, back: i32) -> Option<Slot> {
    let p = s.period.as_ref()?;
    let (a, b) = (p.start?, p.end?);
    Some((
        s.canonical().to_owned(),
        subject(s)?.to_owned(),
        s.indicator.as_ref()?.aspect.clone().unwrap_or_default(),
        (a.year() - back, a.month()),
        (b.year() - back, b.month()),
    ))
}

impl AcrossGrowth {
    fn basis_of(&self, ctx: &AcrossContext<'_>, canonical: &str) -> Basis {
        match ctx.table.get(canonical) {
            Some(d) if d.growth == GrowthBasis::Real || d.same_sample => Basis::Real,
            Some(_) => Basis::Nominal,
            None if canonical.contains("增加值") || canonical.contains("生产总值") => {
                Basis::Real
            }
            None => Basis::Nominal,
        }
    }
}

impl AcrossKind for AcrossGrowth {
    fn check_across(&self, ctx: &AcrossContext<'_>, out: &mut Vec<AcrossFinding>) {
        // Levels by slot, in input order.
        let mut levels: std::collections::HashMap<Slot, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        for (d, doc) in ctx.docs.iter().enumerate() {
            for (i, s) in doc.stmts.iter().enumerate() {
                if let Some(k) = slot(s, 0) {
                    levels.entry(k).or_default().push((d, i));
                }
            }
        }
        for (d, doc) in ctx.docs.iter().enumerate() {
            for (i, s) in doc.stmts.iter().enumerate() {
                let (Some(to), Some((c, pct))) = (&s.value, yearly_growth(s)) else {
                    continue;
                };
                if !is_level(to)
                    || ctx.table.is_rate(s.canonical())
                    || self.basis_of(ctx, s.canonical()) != self.0.basis
                {
                    continue;
                }
                let Some(prev) = slot(s, 1).and_then(|k| levels.get(&k)) else {
                    continue;
                };
                // The same document gives last year's level: `growth-levels` checks it.
                if prev.iter().any(|&(pd, _)| pd == d) {
                    continue;
                }
                let Some((pd, from)) = prev.iter().find_map(|&(pd, pi)| {
                    let q = ctx.docs[pd].stmts[pi].value.as_ref()?;
                    (super::comparable(q, to) && q.value > Decimal::ZERO).then_some((pd, q))
                }) else {
                    continue;
                };
                let mut rate = pct.clone();
                if self.0.basis == Basis::Real {
                    rate.interval.lo = rate.interval.lo.and_then(|v| v.checked_sub(self.0.slack));
                    rate.interval.hi = rate.interval.hi.and_then(|v| v.checked_add(self.0.slack));
                }
                let rel = Relation::Growth {
                    from: from.clone(),
                    to: to.clone(),
                    pct: rate,
                    down: c.direction == Direction::Down,
                };
                if rel.holds() {
                    continue;
                }
                let computed = to
                    .value
                    .checked_div(from.value)
                    .map(|r| {
                        format!(
                            "{}%",
                            ((r - Decimal::ONE) * Decimal::ONE_HUNDRED)
                                .round_dp(1)
                                .normalize()
                        )
                    })
                    .unwrap_or_default();
                let other = ctx.docs[pd].path.clone();
                let mut finding = Finding {
                    span: pct.span,
                    label: c.text.clone(),
                    stmt: Some(i),
                    // A widened rate is no figure to correct digit by digit.
                    relation: (self.0.basis == Basis::Nominal).then_some(rel),
                    key: vec![
                        from.text.clone(),
                        to.text.clone(),
                        c.text.clone(),
                        other.clone(),
                    ],
                    ..Default::default()
                }
                .related(to.span, format!("本期{}", to.text))
                .var("from", from.text.clone())
                .var("to", to.text.clone())
                .var("growth", c.text.clone())
                .var("computed", computed)
                .var("other", other.clone());
                finding
                    .related
                    .push(ctx.related_in(pd, from.span, format!("上年{}", from.text)));
                out.push(AcrossFinding { doc: d, finding });
            }
        }
    }
}
