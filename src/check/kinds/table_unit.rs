//! `table-unit`: units within one column of a table.
//!
//! Two checks (param `check`):
//!
//! - `mixed`: a cell written with its own unit of the same kind as the column's but a
//!   different magnitude (`1.2亿元` in a `万元` column, or `1200万元` and `1.5亿元` in
//!   one column). Units of different kinds in one column (`亿元` and `%` in a column of
//!   indicators) are a table's normal layout and are not reported.
//! - `slip`: one value about 1000 or 10000 times the others of its column, where the
//!   others lie close together (within a factor of 20) and the value divided (or
//!   multiplied) by 1000 or 10000 would lie among them: a figure in 元 left in a 万元
//!   column, or in 亿元 in a 万元 column. Needs at least four item rows; totals and
//!   `其中` rows are not compared.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::table_model::{ColRole, RowRole, TableModel, parse_unit};
use crate::check::{Context, Finding, RuleKind, params};
use crate::extract::Quantity;

#[derive(Debug, Deserialize, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Which {
    #[default]
    Mixed,
    Slip,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    check: Which,
}

pub const DEF: KindDef = KindDef {
    name: "table-unit",
    summary: "表格同一列的单位不一致或数量级异常",
    vars: &[
        "table",
        "cell",
        "column",
        "value",
        "unit",
        "column_unit",
        "ratio",
    ],
    build: |v| Ok(Box::new(TableUnit(params::<Params>(v)?))),
};

struct TableUnit(Params);

fn base(q: &Quantity) -> Option<&str> {
    q.unit.as_deref()
}

fn finding(m: &TableModel<'_>, r: usize, c: usize, q: &Quantity) -> Finding {
    let cell = m.cell_label(r, c);
    Finding {
        span: q.span,
        label: format!("{cell}“{}”", q.text),
        key: vec![m.table.label.clone(), cell.clone()],
        ..Default::default()
    }
    .var("table", m.table.label.clone())
    .var("cell", cell)
    .var("column", m.cols[c].name.clone())
    .var("value", q.text.clone())
    .var("unit", q.unit_text())
}

impl TableUnit {
    fn mixed(&self, m: &TableModel<'_>, out: &mut Vec<Finding>) {
        for c in 0..m.cols.len() {
            if m.cols[c].role != ColRole::Level {
                continue;
            }
            let cells: Vec<(usize, &Quantity)> = m
                .rows
                .iter()
                .enumerate()
                .filter_map(|(r, _)| m.num(r, c).map(|q| (r, q)))
                .collect();
            // The column's unit: its header's, else the one most cells are written in.
            let column_unit: Option<String> =
                m.cols[c].unit.as_ref().map(|u| u.text()).or_else(|| {
                    let mut counts: Vec<(String, usize)> = Vec::new();
                    for (_, q) in &cells {
                        let u = q.unit_text();
                        match counts.iter_mut().find(|(x, _)| *x == u) {
                            Some(e) => e.1 += 1,
                            None => counts.push((u, 1)),
                        }
                    }
                    let best = counts.iter().map(|e| e.1).max()?;
                    let winners: Vec<&(String, usize)> =
                        counts.iter().filter(|e| e.1 == best).collect();
                    (winners.len() == 1).then(|| winners[0].0.clone())
                });
            let Some(column_unit) = column_unit else {
                continue;
            };
            let column_base = parse_unit(&column_unit).and_then(|u| u.unit);
            for (r, q) in &cells {
                if m.has_own_unit(*r, c)
                    && column_base.is_some()
                    && base(q) == column_base.as_deref()
                    && q.unit_text() != column_unit
                {
                    out.push(finding(m, *r, c, q).var("column_unit", column_unit.clone()));
                }
            }
        }
    }

    fn slip(&self, m: &TableModel<'_>, out: &mut Vec<Finding>) {
        let thousand = Decimal::from(1000);
        let ten_thousand = Decimal::from(10_000);
        for c in 0..m.cols.len() {
            if m.cols[c].role != ColRole::Level || !m.cols[c].additive {
                continue;
            }
            let items: Vec<(usize, &Quantity)> = m
                .rows
                .iter()
                .enumerate()
                .filter(|(_, row)| row.role == RowRole::Item && !row.maybe_sub)
                .filter_map(|(r, _)| m.num(r, c).map(|q| (r, q)))
                .filter(|(_, q)| q.value > Decimal::ZERO)
                .collect();
            if items.len() < 4 {
                continue;
            }
            if items.iter().any(|(_, q)| q.unit != items[0].1.unit) {
                continue;
            }
            for (k, (r, q)) in items.iter().enumerate() {
                let others: Vec<Decimal> = items
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, (_, x))| x.value)
                    .collect();
                let (Some(&lo), Some(&hi)) = (others.iter().min(), others.iter().max()) else {
                    continue;
                };
                if hi > lo * Decimal::from(20) {
                    continue;
                }
                let v = q.value;
                let fits = |x: Decimal| x * Decimal::TWO >= lo && x <= hi * Decimal::TWO;
                let ratio = [thousand, ten_thousand].into_iter().find_map(|f| {
                    if v >= hi * Decimal::from(500) && fits(v / f) {
                        Some(f)
                    } else if v * Decimal::from(500) <= lo && fits(v * f) {
                        Some(-f)
                    } else {
                        None
                    }
                });
                let Some(f) = ratio else { continue };
                let ratio = match (f > Decimal::ZERO, f.abs() == thousand) {
                    (true, true) => "上千倍",
                    (true, false) => "上万倍",
                    (false, true) => "千分之一",
                    (false, false) => "万分之一",
                };
                out.push(
                    finding(m, *r, c, q)
                        .var("column_unit", q.unit_text())
                        .var("ratio", ratio),
                );
            }
        }
    }
}

impl RuleKind for TableUnit {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for m in ctx.tables() {
            match self.0.check {
                Which::Mixed => self.mixed(m, out),
                Which::Slip => self.slip(m, out),
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::table_rules as rules;

    #[test]
    fn mixed_magnitudes() {
        let t = "| 项目 | 投资额（万元） |\n|---|---|\n| 甲项目 | 1200 |\n| 乙项目 | 1.5亿元 |\n| 丙项目 | 800 |\n";
        assert_eq!(rules(t), vec!["A146 表1 第3行第2列"]);
        let ok = t.replace("1.5亿元", "15000");
        assert!(rules(&ok).is_empty(), "{:?}", rules(&ok));
        // Different kinds of unit in a column of indicators are fine.
        let t = "| 指标 | 2025年 |\n|---|---|\n| 产值 | 12.5亿元 |\n| 增长 | 8.5% |\n| 企业 | 120家 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
    }

    #[test]
    fn thousandfold_slip() {
        let t = "| 乡镇 | 收入（万元） |\n|---|---|\n| 甲镇 | 1250 |\n| 乙镇 | 980 |\n| 丙镇 | 1430000 |\n| 丁镇 | 760 |\n";
        assert_eq!(rules(t), vec!["A147 表1 第4行第2列"]);
        let ok = t.replace("1430000", "1430");
        assert!(rules(&ok).is_empty(), "{:?}", rules(&ok));
    }
}
