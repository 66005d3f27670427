//! Computed figures and contradictions in the data.
//!
//! [`derive`] fills what the data leaves out and can be computed exactly:
//! growth from two levels (not for growth at constant prices: 增加值, GDP), a share
//! from part and whole, the percentage of `N中有M`, the total of complete or
//! unnamed-total parts, and the gap of a comparison from the two rounded rates.
//! Every computed figure is marked (`Figure::computed`, `Indicator::computed`).
//! When the data give a figure that the others contradict, it is kept as given
//! and reported as an [`Issue`] in Chinese — never silently overwritten.
//!
//! Comparisons use the interval each figure stands for (±½ of its last digit), as
//! `check` does: `8.6%` with levels `1286.4` and `1184.5` is consistent because
//! the growth those levels allow covers `[8.595, 8.605]`.

use rust_decimal::{Decimal, RoundingStrategy};

use super::data::{Figure, Indicator, ReportData, split_unit};
use crate::report::Severity;

/// A contradiction or doubt found in the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    /// The indicator's name (and scope when given).
    pub indicator: String,
    /// One Chinese sentence.
    pub message: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}：{}：{}",
            self.severity.label(),
            self.indicator,
            self.message
        )
    }
}

/// Measure words of things counted one by one: such figures are exact.
const COUNT_UNITS: &[&str] = &[
    "个", "家", "项", "人", "件", "套", "户", "场", "次", "座", "条", "名", "所", "台", "辆", "批",
    "人次", "家次", "宗", "处", "栋", "艘", "架", "期", "篇", "部",
];

/// `[lo, hi]` of a figure: ±½ of its last digit; counts (`528家`) are exact.
fn interval(f: &Figure) -> (Decimal, Decimal) {
    let (factor, base) = split_unit(&f.unit);
    if f.decimals == 0 && factor == Decimal::ONE && COUNT_UNITS.contains(&base) {
        return (f.value, f.value);
    }
    let h = half_unit(f.decimals);
    (f.value - h, f.value + h)
}

fn half_unit(decimals: u32) -> Decimal {
    Decimal::new(5, decimals + 1)
}

fn round(v: Decimal, d: u32) -> Decimal {
    let r = v.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() { Decimal::ZERO } else { r }
}

fn overlaps(a: (Decimal, Decimal), b: (Decimal, Decimal)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn show(f: &Figure) -> String {
    format!(
        "{}{}",
        super::filters::fixed(f.value, f.decimals, super::filters::Rounding::HalfUp),
        f.unit
    )
}

/// Fills computed figures and returns the contradictions found.
pub fn derive(data: &mut ReportData) -> Vec<Issue> {
    let mut issues = Vec::new();
    // Wholes named by id, looked up before the records are changed.
    let by_id: Vec<(String, Figure)> = data
        .indicators
        .iter()
        .filter_map(|i| Some((i.id.clone()?, i.value.clone()?)))
        .collect();
    for ind in &mut data.indicators {
        derive_one(ind, &by_id, &mut issues);
    }
    issues
}

fn label(ind: &Indicator) -> String {
    match &ind.scope {
        Some(s) if !ind.name.starts_with(s.as_str()) => format!("{s}{}", ind.name),
        _ => ind.name.clone(),
    }
}

fn derive_one(ind: &mut Indicator, by_id: &[(String, Figure)], issues: &mut Vec<Issue>) {
    for p in &mut ind.parts {
        derive_one(p, by_id, issues);
    }
    let name = label(ind);
    let mut push = |severity: Severity, message: String| {
        issues.push(Issue {
            severity,
            indicator: name.clone(),
            message,
        });
    };
    parts_total(ind, &mut push);
    growth_from_levels(ind, &mut push);
    share(ind, by_id, &mut push);
    whole(ind, &mut push);
    compare_gap(ind, &mut push);
    if let Some(r) = &ind.rank {
        if let Some(of) = r.of {
            if r.pos > of {
                push(
                    Severity::Error,
                    format!("位次第{}位超出了参与排名的{}个单位", r.pos, of),
                );
            }
        }
    }
}

fn parts_total(ind: &mut Indicator, push: &mut impl FnMut(Severity, String)) {
    if ind.parts.is_empty() {
        return;
    }
    let vals: Vec<&Figure> = ind.parts.iter().filter_map(|p| p.value.as_ref()).collect();
    if vals.len() != ind.parts.len() {
        return;
    }
    let unit = ind
        .value
        .as_ref()
        .map(|v| v.unit.clone())
        .unwrap_or_else(|| vals[0].unit.clone());
    let (factor, base) = split_unit(&unit);
    if vals.iter().any(|v| split_unit(&v.unit).1 != base) {
        push(
            Severity::Warning,
            "分项的单位与合计不同，未核对分项之和".to_owned(),
        );
        return;
    }
    // Sum in the total's unit, as an interval.
    let (mut lo, mut hi, mut sum) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut decimals = 0;
    for v in &vals {
        let (pf, _) = split_unit(&v.unit);
        let scale = pf / factor;
        let (a, b) = interval(v);
        lo += a * scale;
        hi += b * scale;
        sum += v.value * scale;
        decimals = decimals.max(v.decimals);
    }
    match &ind.value {
        None => {
            ind.value = Some(Figure::computed(round(sum, decimals), decimals, unit));
            ind.computed.push("value".into());
        }
        Some(total) => {
            let (tlo, thi) = interval(total);
            if lo > thi {
                push(
                    Severity::Error,
                    format!(
                        "分项之和{}{}大于合计{}",
                        super::filters::fixed(sum, decimals, super::filters::Rounding::HalfUp),
                        total.unit,
                        show(total)
                    ),
                );
            } else if ind.complete && !overlaps((lo, hi), (tlo, thi)) {
                push(
                    Severity::Error,
                    format!(
                        "分项已列全（complete），但分项之和{}{}不等于合计{}",
                        super::filters::fixed(sum, decimals, super::filters::Rounding::HalfUp),
                        total.unit,
                        show(total)
                    ),
                );
            }
        }
    }
}

fn growth_from_levels(ind: &mut Indicator, push: &mut impl FnMut(Severity, String)) {
    let (Some(v), Some(p)) = (&ind.value, &ind.prev) else {
        return;
    };
    if p.value <= Decimal::ZERO || v.value < Decimal::ZERO {
        return;
    }
    let (vf, vb) = split_unit(&v.unit);
    let (pf, pb) = split_unit(&p.unit);
    if vb != pb {
        return;
    }
    let hundred = Decimal::from(100);
    let (vlo, vhi) = interval(v);
    let (plo, phi) = interval(p);
    let (vlo, vhi, plo, phi, vv, pv) = (
        vlo * vf,
        vhi * vf,
        plo * pf,
        phi * pf,
        v.value * vf,
        p.value * pf,
    );
    let exact = (vv / pv - Decimal::ONE) * hundred;
    match &ind.growth {
        None if ind.is_real() => {
            // Growth at constant prices cannot be had from current-price levels.
        }
        None => {
            ind.growth = Some(Figure::computed(round(exact, 1), 1, "%"));
            ind.computed.push("growth".into());
        }
        Some(g) if g.unit == "%" => {
            if plo <= Decimal::ZERO {
                return;
            }
            let allowed = (
                (vlo / phi - Decimal::ONE) * hundred,
                (vhi / plo - Decimal::ONE) * hundred,
            );
            if !overlaps(interval(g), allowed) {
                let (severity, why) = if ind.is_real() {
                    (
                        Severity::Warning,
                        "（增加值增速按不变价计算，与现价水平不一致属正常，请核实）",
                    )
                } else {
                    (Severity::Error, "")
                };
                push(
                    severity,
                    format!(
                        "给出的增速{}与两期水平（{}、上期{}）算出的{}%不符{why}",
                        show(g),
                        show(v),
                        show(p),
                        super::filters::fixed(exact, 1, super::filters::Rounding::HalfUp)
                    ),
                );
            }
        }
        Some(_) => {}
    }
}

fn share(ind: &mut Indicator, by_id: &[(String, Figure)], push: &mut impl FnMut(Severity, String)) {
    let Some(v) = ind.value.clone() else {
        if let Some(pct) = ind.share.as_ref().and_then(|s| s.pct.as_ref()) {
            over_100(pct, push);
        }
        return;
    };
    let Some(s) = &mut ind.share else {
        return;
    };
    if s.whole.is_none() {
        if let Some(id) = &s.whole_id {
            match by_id.iter().find(|(i, _)| i == id) {
                Some((_, w)) => s.whole = Some(w.clone()),
                None => {
                    push(
                        Severity::Error,
                        format!("share.whole_id 指向的指标“{id}”不存在或没有数值"),
                    );
                    return;
                }
            }
        }
    }
    let Some(w) = &s.whole else {
        if let Some(pct) = &s.pct {
            over_100(pct, push);
        }
        return;
    };
    let (vf, vb) = split_unit(&v.unit);
    let (wf, wb) = split_unit(&w.unit);
    if vb != wb || w.value <= Decimal::ZERO {
        return;
    }
    let hundred = Decimal::from(100);
    let exact = v.value * vf / (w.value * wf) * hundred;
    match &s.pct {
        None => {
            s.pct = Some(Figure::computed(round(exact, 1), 1, "%"));
            ind.computed.push("share.pct".into());
        }
        Some(pct) => {
            over_100(pct, push);
            let (vlo, vhi) = interval(&v);
            let (wlo, whi) = interval(w);
            if wlo <= Decimal::ZERO {
                return;
            }
            let allowed = (
                vlo * vf / (whi * wf) * hundred,
                vhi * vf / (wlo * wf) * hundred,
            );
            if !overlaps(interval(pct), allowed) {
                push(
                    Severity::Error,
                    format!(
                        "给出的占比{}与{}÷{}算出的{}%不符",
                        show(pct),
                        show(&v),
                        show(w),
                        super::filters::fixed(exact, 1, super::filters::Rounding::HalfUp)
                    ),
                );
            }
        }
    }
}

fn over_100(pct: &Figure, push: &mut impl FnMut(Severity, String)) {
    if pct.value > Decimal::from(100) {
        push(
            Severity::Error,
            format!("占比{}超过100%，部分不能大于整体", show(pct)),
        );
    }
}

fn whole(ind: &mut Indicator, push: &mut impl FnMut(Severity, String)) {
    let Some(v) = ind.value.clone() else {
        return;
    };
    let Some(w) = &mut ind.whole else {
        return;
    };
    if v.value > w.value.value {
        push(
            Severity::Error,
            format!(
                "{}个{}中有{}个：部分大于整体",
                w.value.value, w.label, v.value
            ),
        );
        return;
    }
    if w.value.value <= Decimal::ZERO {
        return;
    }
    let exact = v.value / w.value.value * Decimal::from(100);
    match &w.pct {
        None => {
            w.pct = Some(Figure::computed(round(exact, 1), 1, "%"));
            ind.computed.push("whole.pct".into());
        }
        Some(p) => {
            // Counts are exact: the computed share must round to the given one.
            if round(exact, p.decimals) != p.value {
                push(
                    Severity::Error,
                    format!(
                        "{}个{}中有{}个，比例应为{}%，给出的是{}",
                        w.value.value,
                        w.label,
                        v.value,
                        super::filters::fixed(exact, p.decimals, super::filters::Rounding::HalfUp),
                        show(p)
                    ),
                );
            }
        }
    }
}

fn compare_gap(ind: &mut Indicator, push: &mut impl FnMut(Severity, String)) {
    let Some(c) = &mut ind.compare else {
        return;
    };
    let Some(g) = &ind.growth else {
        push(
            Severity::Error,
            format!("有比较对象“{}”但没有增速 growth，无法比较", c.label),
        );
        return;
    };
    let d = g.decimals;
    match (&c.value, &c.gap) {
        (Some(r), None) => {
            let gap = round(g.value, d) - round(r.value, d.max(r.decimals));
            c.gap = Some(Figure::computed(gap, d.max(r.decimals), "个百分点"));
            ind.computed.push("compare.gap".into());
        }
        (Some(r), Some(gap)) => {
            let lo = interval(g).0 - interval(r).1;
            let hi = interval(g).1 - interval(r).0;
            if !overlaps(interval(gap), (lo, hi)) {
                push(
                    Severity::Error,
                    format!(
                        "增速{}比{}（{}）的差应为{}个百分点，给出的是{}",
                        show(g),
                        c.label,
                        show(r),
                        super::filters::fixed(
                            g.value - r.value,
                            d,
                            super::filters::Rounding::HalfUp
                        ),
                        show(gap)
                    ),
                );
            }
        }
        (None, Some(_)) => {}
        (None, None) => push(
            Severity::Error,
            format!(
                "与“{}”比较需要对方的增速 compare.value 或差距 compare.gap",
                c.label
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::read_yaml_text;
    use super::*;

    fn run(y: &str) -> (ReportData, Vec<Issue>) {
        let mut d = read_yaml_text(y, "t.yaml").unwrap();
        let issues = derive(&mut d);
        (d, issues)
    }

    #[test]
    fn growth_is_computed_from_levels_and_marked() {
        let (d, issues) =
            run("indicators:\n  - name: 工业投资\n    value: 110\n    prev: 100\n    unit: 亿元\n");
        assert!(issues.is_empty(), "{issues:?}");
        let g = d.indicators[0].growth.as_ref().unwrap();
        assert_eq!(g.value.to_string(), "10.0");
        assert!(g.computed);
        assert_eq!(d.indicators[0].computed, ["growth"]);
    }

    #[test]
    fn contradictory_growth_is_reported_not_overwritten() {
        let (d, issues) = run(
            "indicators:\n  - name: 工业投资\n    value: 110\n    prev: 100\n    growth: 12.0\n    unit: 亿元\n",
        );
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, Severity::Error);
        assert!(issues[0].message.contains("12.0%"), "{}", issues[0]);
        assert!(issues[0].message.contains("10.0%"), "{}", issues[0]);
        assert_eq!(
            d.indicators[0].growth.as_ref().unwrap().value.to_string(),
            "12.0"
        );
    }

    #[test]
    fn real_growth_is_not_derived_and_only_warned() {
        let (d, issues) = run(
            "indicators:\n  - name: 规上工业增加值\n    value: 110\n    prev: 100\n    unit: 亿元\n",
        );
        assert!(issues.is_empty());
        assert!(d.indicators[0].growth.is_none());
        let (_, issues) = run(
            "indicators:\n  - name: 规上工业增加值\n    value: 110\n    prev: 100\n    growth: 7.9\n    unit: 亿元\n",
        );
        assert_eq!(issues[0].severity, Severity::Warning);
    }

    #[test]
    fn share_from_part_and_whole_and_over_100() {
        let (d, issues) = run(
            "indicators:\n  - id: all\n    name: 规上工业总产值\n    value: 200\n    unit: 亿元\n  - name: 装备制造产值\n    value: 50\n    unit: 亿元\n    share: {of: 规上工业总产值, whole_id: all}\n",
        );
        assert!(issues.is_empty());
        assert_eq!(
            d.indicators[1]
                .share
                .as_ref()
                .unwrap()
                .pct
                .as_ref()
                .unwrap()
                .value
                .to_string(),
            "25.0"
        );
        let (_, issues) = run(
            "indicators:\n  - name: 制造业增加值\n    share: {of: 规上工业增加值, pct: 112.3}\n",
        );
        assert!(issues[0].message.contains("超过100%"));
    }

    #[test]
    fn parts_total_is_summed_and_excess_reported() {
        let (d, issues) = run(
            "indicators:\n  - name: 签约项目\n    unit: 个\n    parts:\n      - {name: 制造业项目, value: 13}\n      - {name: 服务业项目, value: 6}\n",
        );
        assert!(issues.is_empty());
        assert_eq!(
            d.indicators[0].value.as_ref().unwrap().value.to_string(),
            "19"
        );
        let (_, issues) = run(
            "indicators:\n  - name: 签约项目\n    value: 18\n    unit: 个\n    parts:\n      - {name: 制造业项目, value: 13}\n      - {name: 服务业项目, value: 6}\n",
        );
        assert!(issues[0].message.contains("大于合计"), "{}", issues[0]);
    }

    #[test]
    fn comparison_gap_from_rounded_rates() {
        let (d, _) = run(
            "indicators:\n  - name: 规上工业增加值\n    growth: 7.9\n    compare: {label: 全省, value: 6.2}\n",
        );
        let gap = d.indicators[0]
            .compare
            .as_ref()
            .unwrap()
            .gap
            .as_ref()
            .unwrap();
        assert_eq!(gap.value.to_string(), "1.7");
        let (_, issues) = run(
            "indicators:\n  - name: 规上工业增加值\n    growth: 7.9\n    compare: {label: 全省, value: 6.2, gap: 2.7}\n",
        );
        assert!(issues[0].message.contains("2.7"), "{}", issues[0]);
    }

    #[test]
    fn whole_pct_and_rank_range() {
        let (d, issues) = run(
            "indicators:\n  - name: 行业增加值增长\n    value: 29\n    unit: 个\n    whole: {value: 38, label: 工业大类行业}\n    rank: {pos: 19, of: 17}\n",
        );
        assert_eq!(
            d.indicators[0]
                .whole
                .as_ref()
                .unwrap()
                .pct
                .as_ref()
                .unwrap()
                .value
                .to_string(),
            "76.3"
        );
        assert!(issues.iter().any(|i| i.message.contains("第19位")));
    }
}
