//! `table-share`: a table's share column against part ÷ whole.
//!
//! A share column (`占比%`, `比重（%）`, `占全市%`) is read against the level column
//! nearest to its left; the whole is the table's one total row (`合计`, `全市` …). A
//! share column that names a whole the total row is not (`占全省%` in a table whose
//! total is `全市`) is a share of something outside the table and is skipped. For a
//! `其中` row the share may also be of its parent row. A share whose name begins like
//! one level column (`税收占比%` beside `税收收入`) in a table with one total column
//! (`合计`) is a share within each row: that column ÷ the row's total.
//! `part ÷ whole × 100` must meet the share cell's interval.

use rust_decimal::Decimal;

use crate::check::registry::KindDef;

use crate::check::{Context, Finding, Relation, RuleKind};

pub const DEF: KindDef = KindDef {
    name: "table-share",
    summary: "表格占比列与部分÷整体不符",
    vars: &[
        "table",
        "cell",
        "row",
        "part",
        "whole",
        "whole_label",
        "share",
        "computed",
    ],
    build: |_| Ok(Box::new(TableShare)),
};

struct TableShare;

impl RuleKind for TableShare {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let models = ctx.tables();
        if models.is_empty() {
            return;
        }
        ctx.record_tables();
        for m in models {
            for s in m.share_checks() {
                let (Some(part), Some(whole), Some(pct)) = (
                    m.num(s.part.0, s.part.1),
                    m.num(s.whole.0, s.whole.1),
                    m.num(s.share.0, s.share.1),
                ) else {
                    continue;
                };
                let rel = Relation::Share {
                    part: part.clone(),
                    whole: whole.clone(),
                    pct: pct.clone(),
                };
                if rel.holds() {
                    continue;
                }
                // A sub-row's share may be of its parent row.
                if let Some(alt) = s.alt_whole.and_then(|(r, c)| m.num(r, c)) {
                    let rel2 = Relation::Share {
                        part: part.clone(),
                        whole: alt.clone(),
                        pct: pct.clone(),
                    };
                    if rel2.holds() {
                        continue;
                    }
                }
                let computed = part
                    .value
                    .checked_div(whole.value)
                    .map(|r| {
                        let d = pct.decimals.max(1);
                        let v = (r * Decimal::ONE_HUNDRED).round_dp(d);
                        format!("{v:.0$}%", d as usize)
                    })
                    .unwrap_or_default();
                let cell = m.cell_label(s.share.0, s.share.1);
                out.push(
                    Finding {
                        span: pct.span,
                        label: format!("{cell}“{}”", pct.text),
                        relation: Some(rel),
                        key: vec![m.table.label.clone(), cell.clone()],
                        ..Default::default()
                    }
                    .related(part.span, m.cell_name(s.part.0, s.part.1))
                    .related(whole.span, m.cell_name(s.whole.0, s.whole.1))
                    .var("table", m.table.label.clone())
                    .var("cell", cell)
                    .var("row", m.row_name(s.part.0))
                    .var("part", part.text.clone())
                    .var("whole", whole.text.clone())
                    .var(
                        "whole_label",
                        if s.whole.0 == s.part.0 {
                            m.cols[s.whole.1].name.clone()
                        } else {
                            m.rows[s.whole.0].label.clone()
                        },
                    )
                    .var("share", pct.text.clone())
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
    fn share_of_the_total_row() {
        let t = "| 地区 | 产值（亿元） | 占比% |\n|---|---|---|\n| 全市 | 80.0 | 100.0 |\n| 甲区 | 50.0 | 62.5 |\n| 乙区 | 30.0 | 37.5 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
        let bad = t.replace("37.5", "35.7");
        let r = rules(&bad);
        assert_eq!(r, vec!["A145 表1 第4行第3列"], "{r:?}");
        // A share of the province is not checked against the city's total.
        let other = bad.replace("占比%", "占全省%");
        assert!(rules(&other).is_empty(), "{:?}", rules(&other));
    }

    #[test]
    fn share_within_each_row() {
        let t = "| 地区 | 税收收入（亿元） | 非税收入（亿元） | 合计（亿元） | 税收占比% |\n|---|---|---|---|---|\n| 甲区 | 1.00 | 0.29 | 1.29 | 77.5 |\n| 乙区 | 0.60 | 0.34 | 0.94 | 63.8 |\n";
        assert!(rules(t).is_empty(), "{:?}", rules(t));
        let bad = t.replace("63.8", "36.8");
        let r = rules(&bad);
        assert_eq!(r, vec!["A145 表1 第3行第5列"], "{r:?}");
        // A share naming no column of the row is not read within the row.
        let vague = bad.replace("税收占比%", "结构占比%");
        assert!(rules(&vague).is_empty(), "{:?}", rules(&vague));
    }
}
