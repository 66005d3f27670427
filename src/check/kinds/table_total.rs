//! `table-total`: a table's 合计/总计/小计 rows and columns against their parts.
//!
//! Reads the tables of the document ([`crate::check::table_model`]): a total row adds
//! up the item rows above or below it in every level column (and share column); a
//! total column adds up the level columns beside it in every data row. `其中` rows
//! and columns are never added to their parents' siblings. Decided on intervals: each
//! cell stands for the interval its written decimals allow, so a total that is the
//! rounded sum of rounded parts always holds.
//!
//! A sum is *exhaustive* under `合计`, `总计`, `共计`, `小计`: the parts must add up to
//! the total. Under `全市`, `全县` … (a whole whose parts the table may list only in
//! part), when a part is blank, and for `其中` groups against their parent, the parts
//! may only not exceed the total, and only non-negative parts are compared.
//!
//! Params: `axis` — `rows` (total rows), `columns` (total columns) or `both`
//! (default); `exhaustive` — `true` reports exhaustive sums that do not add up (A140,
//! A141), `false` reports parts that exceed their total (A142).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::interval::Iv;
use crate::check::registry::KindDef;
use crate::check::table_model::{MAX_RELATION, SumCheck, TableModel, shown_as, sum_relation};
use crate::check::{Context, Finding, RuleKind, params};

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Axis {
    Rows,
    Columns,
    #[default]
    Both,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    #[serde(default)]
    axis: Axis,
    #[serde(default)]
    exhaustive: bool,
}

pub const DEF: KindDef = KindDef {
    name: "table-total",
    summary: "表格合计行、合计列与分项之和",
    vars: &[
        "table",
        "cell",
        "total_label",
        "line",
        "total",
        "parts_sum",
        "parts",
        "count",
        "difference",
    ],
    build: |v| Ok(Box::new(TableTotal(params::<Params>(v)?))),
};

struct TableTotal(Params);

/// Cells named in a message: at most this many, then `等`.
const NAMED: usize = 6;

impl TableTotal {
    fn report(&self, m: &TableModel<'_>, s: &SumCheck, out: &mut Vec<Finding>) {
        let Some(rel) = sum_relation(m, s, &s.parts) else {
            return;
        };
        if rel.holds() {
            return;
        }
        // Another reading of the rows that adds up: not reported.
        if s.alternatives
            .iter()
            .filter_map(|alt| sum_relation(m, s, alt))
            .any(|r| r.holds())
        {
            return;
        }
        // Parts that are two breakdowns side by side (`城镇 | 农村 | 男 | 女` under one
        // `合计`): a leading run that adds up on its own is taken as the first one.
        if s.exhaustive && leading_run_meets(m, s) {
            return;
        }
        // A part below zero may make an open list add up to anything.
        if !s.exhaustive
            && s.parts
                .iter()
                .any(|&(r, c)| m.num(r, c).is_none_or(|q| q.value < Decimal::ZERO))
        {
            return;
        }
        let (tr, tc) = s.total;
        let Some(total) = m.num(tr, tc) else { return };
        let parts: Vec<_> = s
            .parts
            .iter()
            .filter_map(|&(r, c)| m.num(r, c).map(|q| ((r, c), q)))
            .collect();
        let sum: Decimal = parts.iter().map(|(_, q)| q.value).sum();
        let decimals = parts
            .iter()
            .map(|(_, q)| q.decimals)
            .chain(std::iter::once(total.decimals))
            .max()
            .unwrap_or(0);
        // The name of the total (`合计`) and of the line it sums along.
        let (total_label, line) = if s.rows {
            (m.row_name(tr), m.cols[tc].name.clone())
        } else {
            (m.cols[tc].name.clone(), m.row_name(tr))
        };
        let total_label = if s.sub {
            if s.rows {
                m.row_name(tr)
            } else {
                m.cols[tc].name.clone()
            }
        } else {
            total_label
        };
        let part_name = |r: usize, c: usize| {
            if s.rows {
                m.row_name(r)
            } else {
                m.cols[c].name.clone()
            }
        };
        let mut names: Vec<String> = parts
            .iter()
            .take(NAMED)
            .map(|((r, c), _)| part_name(*r, *c))
            .filter(|n| !n.is_empty())
            .collect();
        if parts.len() > NAMED {
            names.push("等".into());
        }
        let cell = m.cell_label(tr, tc);
        let prefer: Vec<usize> = parts
            .iter()
            .enumerate()
            .filter(|(_, ((r, c), _))| {
                let n = part_name(*r, *c);
                ["其他", "其它", "其余"].iter().any(|w| n.starts_with(w))
            })
            .map(|(k, _)| k)
            .collect();
        let mut f = Finding {
            span: total.span,
            label: format!("{}“{}”{}", cell, total_label, total.text),
            relation: (parts.len() <= MAX_RELATION).then_some(rel),
            prefer,
            key: vec![m.table.label.clone(), cell.clone()],
            ..Default::default()
        }
        .var("table", m.table.label.clone())
        .var("cell", cell)
        .var("total_label", total_label)
        .var("line", line)
        .var("total", total.text.clone())
        .var("parts_sum", shown_as(total, sum, decimals))
        .var("parts", names.join("、"))
        .var("count", parts.len())
        .var(
            "difference",
            shown_as(total, (sum - total.value).abs(), decimals),
        );
        for ((r, c), q) in parts.iter().take(12) {
            let name = m.cell_name(*r, *c);
            f = f.related(q.span, format!("{} {}", name, q.text).trim().to_owned());
        }
        out.push(f);
    }
}

/// Whether the first k parts (2 ≤ k < n) alone can meet the total.
fn leading_run_meets(m: &TableModel<'_>, s: &SumCheck) -> bool {
    let Some(total) = m.num(s.total.0, s.total.1) else {
        return false;
    };
    let total: Iv = total.interval.into();
    let mut sum = Iv::exact(Decimal::ZERO);
    for (k, &(r, c)) in s.parts.iter().enumerate() {
        let Some(q) = m.num(r, c) else { return false };
        sum = sum.add(q.interval.into());
        if k >= 1 && k + 1 < s.parts.len() && sum.meets(total) {
            return true;
        }
    }
    false
}

impl RuleKind for TableTotal {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let models = ctx.tables();
        if models.is_empty() {
            return;
        }
        ctx.record_tables();
        let p = &self.0;
        for m in models {
            let mut sums: Vec<SumCheck> = Vec::new();
            if p.axis != Axis::Columns {
                sums.extend(m.row_sums());
            }
            if p.axis != Axis::Rows {
                sums.extend(m.col_sums());
            }
            if !p.exhaustive {
                sums.extend(
                    m.sub_sums()
                        .into_iter()
                        .filter(|s| p.axis == Axis::Both || s.rows == (p.axis == Axis::Rows)),
                );
            }
            for s in sums.iter().filter(|s| s.exhaustive == p.exhaustive) {
                self.report(m, s, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::table_rules as rules;

    const HEAD: &str = "| 地区 | 产值（亿元） | 企业数（家） |\n|---|---|---|\n";

    #[test]
    fn bottom_total_row() {
        let ok = format!("{HEAD}| 甲区 | 12.3 | 40 |\n| 乙区 | 7.8 | 25 |\n| 合计 | 20.1 | 65 |\n");
        assert!(rules(&ok).is_empty(), "{:?}", rules(&ok));
        let bad =
            format!("{HEAD}| 甲区 | 12.3 | 40 |\n| 乙区 | 7.8 | 25 |\n| 合计 | 20.1 | 66 |\n");
        // The place is the figure most likely wrong (any single cell could be).
        assert_eq!(rules(&bad), vec!["A140 表1 第2行第3列"]);
    }

    #[test]
    fn rounding_is_respected() {
        // 3 × 33.3 = 99.9, written total 100.0: within rounding of the parts.
        let t = "| 类别 | 占比% |\n|---|---|\n| 甲 | 33.3 |\n| 乙 | 33.3 |\n| 丙 | 33.3 |\n| 合计 | 100.0 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
    }

    #[test]
    fn qizhong_rows_are_not_added() {
        let t = format!(
            "{HEAD}| 合计 | 20.1 | 65 |\n| 甲区 | 12.3 | 40 |\n| 其中：甲镇 | 5.0 | 10 |\n| 乙区 | 7.8 | 25 |\n"
        );
        assert!(rules(&t).is_empty(), "{:?}", rules(&t));
        let t = format!(
            "{HEAD}| 合计 | 20.1 | 65 |\n| 甲区 | 12.3 | 40 |\n| 其中：甲镇 | 15.0 | 10 |\n| 乙区 | 7.8 | 25 |\n"
        );
        assert_eq!(rules(&t), vec!["A142 表1 第4行第2列"]);
    }

    #[test]
    fn nested_rows_without_markers() {
        // 第一产业 = 农业 + 林业: a second level written without indentation.
        let t = "| 产业 | 产值（亿元） |\n|---|---|\n| 第一产业 | 10.0 |\n| 农业 | 6.0 |\n| 林业 | 4.0 |\n| 第二产业 | 30.0 |\n| 合计 | 40.0 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
    }

    #[test]
    fn total_column_and_cross_suggestion() {
        let t = "| 地区 | 一产 | 二产 | 三产 | 合计 |\n|---|---|---|---|---|\n| 甲区 | 120 | 340 | 560 | 1020 |\n| 乙区 | 230 | 450 | 670 | 1350 |\n| 合计 | 350 | 790 | 1230 | 2370 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
        // 乙区 二产 written 540 for 450: its row and its column both fail.
        let bad = t.replace("| 乙区 | 230 | 450 |", "| 乙区 | 230 | 540 |");
        let r = rules(&bad);
        assert_eq!(
            r,
            vec!["A140 表1 第3行第3列", "A141 表1 第3行第3列"],
            "{r:?}"
        );
        // Only the cell in both the failing row and the failing column can be wrong.
        for d in super::super::testing::diagnostics("t.md", &bad) {
            assert_eq!(d.place.as_deref(), Some("表1 第3行第3列"), "{d:?}");
            assert!(
                d.suggestion
                    .as_deref()
                    .is_some_and(|s| s.starts_with("“540”可能应为“450”")),
                "{d:?}"
            );
        }
    }
}
