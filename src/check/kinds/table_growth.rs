//! `table-growth`: a table's growth column against the two level columns of the same
//! row.
//!
//! A growth column (`增长%`, `同比增长（%）`, `增速`) is paired with the two level
//! columns before it when one of them is the earlier period (`上年同期`, `去年同期`,
//! `上年`, or the earlier of two years, `2024年` | `2025年`) and the other the later.
//! `(later ÷ earlier − 1) × 100` must meet the growth cell's interval. Rows of rates
//! (`…率`, `%` rows, `人均`) and rows whose earlier level is not positive are skipped.
//!
//! Growth of 增加值 and GDP is at constant prices and 规上 growth compares the same
//! enterprises as last year, so for rows, columns or captions that name them (or say
//! `可比价`/`同口径`) the rule with `basis: real` reports a warning; the rule with
//! `basis: nominal` reports the others. A real-growth row is reported only when the
//! rate is more than 5 percentage points from the nominal one (beyond any plausible
//! price change).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::registry::KindDef;

use crate::check::{Context, Finding, Relation, RuleKind, params};

#[derive(Debug, Deserialize, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Basis {
    #[default]
    Nominal,
    Real,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    basis: Basis,
}

pub const DEF: KindDef = KindDef {
    name: "table-growth",
    summary: "表格增速列与两期数值不符",
    vars: &["table", "cell", "row", "from", "to", "growth", "computed"],
    build: |v| Ok(Box::new(TableGrowth(params::<Params>(v)?))),
};

struct TableGrowth(Params);

/// Percentage points by which real growth may differ from growth at current prices
/// before a row is worth a warning.
const REAL_SLACK: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

impl RuleKind for TableGrowth {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let models = ctx.tables();
        if models.is_empty() {
            return;
        }
        ctx.record_tables();
        for m in models {
            for g in m.growth_checks() {
                let (Some(from), Some(to), Some(pct)) = (
                    m.num(g.row, g.from),
                    m.num(g.row, g.to),
                    m.num(g.row, g.growth),
                ) else {
                    continue;
                };
                let rel = Relation::Growth {
                    from: from.clone(),
                    to: to.clone(),
                    pct: pct.clone(),
                    down: false,
                };
                if rel.holds() || (g.real != (self.0.basis == Basis::Real)) {
                    continue;
                }
                // Real growth differs from nominal by the price change: only a gap
                // beyond any plausible deflator is worth a warning.
                if g.real {
                    let mut wide = pct.clone();
                    wide.interval.lo = wide.interval.lo.map(|l| l - REAL_SLACK);
                    wide.interval.hi = wide.interval.hi.map(|h| h + REAL_SLACK);
                    let loose = Relation::Growth {
                        from: from.clone(),
                        to: to.clone(),
                        pct: wide,
                        down: false,
                    };
                    if loose.holds() {
                        continue;
                    }
                }
                let computed = to
                    .value
                    .checked_div(from.value)
                    .map(|r| {
                        let d = pct.decimals.max(1);
                        let v = ((r - Decimal::ONE) * Decimal::ONE_HUNDRED).round_dp(d);
                        format!("{v:.0$}%", d as usize)
                    })
                    .unwrap_or_default();
                let cell = m.cell_label(g.row, g.growth);
                let row = m.row_name(g.row);
                out.push(
                    Finding {
                        span: pct.span,
                        label: format!("{cell}“{}”", pct.text),
                        relation: Some(rel),
                        key: vec![m.table.label.clone(), cell.clone()],
                        ..Default::default()
                    }
                    .related(from.span, format!("{} {}", m.cols[g.from].name, from.text))
                    .related(to.span, format!("{} {}", m.cols[g.to].name, to.text))
                    .var("table", m.table.label.clone())
                    .var("cell", cell)
                    .var("row", row)
                    .var("from", from.text.clone())
                    .var("to", to.text.clone())
                    .var("growth", pct.text.clone())
                    .var("computed", computed),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::table_rules as rules;

    #[test]
    fn growth_against_levels() {
        let t = "| 指标 | 上年同期 | 本期 | 增长% |\n|---|---|---|---|\n| 税收收入（亿元） | 50.0 | 60.0 | 20.0 |\n| 非税收入（亿元） | 20.0 | 19.0 | -5.0 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
        let bad = t.replace("| 20.0 |\n", "| 12.0 |\n");
        assert_eq!(rules(&bad), vec!["A143 表1 第2行第4列"]);
        // Years in the headers, later year first.
        let t = "| 指标 | 2025年 | 2024年 | 增长% |\n|---|---|---|---|\n| 税收收入（亿元） | 60.0 | 50.0 | 20.0 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
    }

    #[test]
    fn real_growth_is_a_warning() {
        let t = "| 指标 | 上年同期 | 本期 | 增长% |\n|---|---|---|---|\n| 规模以上工业增加值（亿元） | 500.0 | 560.0 | 22.0 |\n";
        assert_eq!(rules(t), vec!["A144 表1 第2行第4列"]);
    }
}
