//! `rate-bound`: a rate that is a part of a whole stated above 100%.
//!
//! Many rates count the members of a group that meet a condition: 合格率 (the samples
//! that passed), 覆盖率, 达标率, 利用率, 就业率, 增长面. Such a rate cannot exceed 100%
//! [NBS 统计知识 "百分数与百分点"]. Reads the value of every statement whose indicator
//! ends in one of the pack's `capped` words and reports a value whose whole interval
//! lies above 100% (`100.4%` stands for 100.35…100.45 and is reported; `100%`,
//! `约101%`, `100%以上` are not). A rate just above 100% (`103%`) is a misreading of
//! what the rate measures, not a typo, and gets no suggested edit; a rate of 200% or
//! more (`909%`) is a slip of the keys, and the single edit that brings it back under
//! 100% is suggested (`“909%”可能应为“90.9%”`).
//!
//! Rates measured against a plan or another quantity may exceed 100% and are never
//! capped: 完成率, 到位率, 执行率, 自给率, 产销率, 负债率, 毛入学率 … — the `uncapped`
//! words win over `capped` ones. Shares (`占…比重`) are `share-bound`'s business.

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::UnitKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    /// Endings of indicator names whose value is a part of a whole.
    #[serde(default = "capped")]
    capped: Vec<String>,
    /// Words of rates that may exceed 100% although they end in a capped word.
    #[serde(default = "uncapped")]
    uncapped: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            capped: capped(),
            uncapped: uncapped(),
        }
    }
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| (*s).to_owned()).collect()
}

fn capped() -> Vec<String> {
    words(&[
        "合格率",
        "达标率",
        "覆盖率",
        "普及率",
        "优良率",
        "利用率",
        "处理率",
        "处置率",
        "治理率",
        "入网率",
        "参保率",
        "就业率",
        "出勤率",
        "通过率",
        "满意率",
        "满意度",
        "知晓率",
        "通达率",
        "接入率",
        "办结率",
        "可办率",
        "整治率",
        "安置率",
        "破案率",
        "应诉率",
        "占有率",
        "渗透率",
        "使用率",
        "上云率",
        "完好率",
        "准确率",
        "城镇化率",
        "增长面",
        "失业率",
    ])
}

fn uncapped() -> Vec<String> {
    words(&[
        "完成率",
        "到位率",
        "执行率",
        "自给率",
        "产销率",
        "负债率",
        "入学率",
        "增长率",
        "贡献率",
        "回报率",
        "收益率",
        "周转率",
    ])
}

pub const DEF: KindDef = KindDef {
    name: "rate-bound",
    summary: "部分占全体的比率（合格率、覆盖率等）超过100%",
    vars: &["indicator", "value"],
    build: |v| {
        let p = params::<Params>(v)?;
        // An empty word ends every name: then no name can be passed over.
        let last = p
            .capped
            .iter()
            .map(|w| w.chars().next_back())
            .collect::<Option<Vec<char>>>()
            .map(|mut v| {
                v.sort_unstable();
                v.dedup();
                v
            });
        Ok(Box::new(RateBound(p, last)))
    },
};

/// The params, and the last characters of the `capped` words (`None` when one is
/// empty).
struct RateBound(Params, Option<Vec<char>>);

impl RateBound {
    fn is_capped(&self, name: &str) -> bool {
        // A name ends with a word only if it ends with the word's last character:
        // most names are passed over on theirs, without comparing every word.
        if let Some(last) = &self.1 {
            if !name.chars().next_back().is_some_and(|c| last.contains(&c)) {
                return false;
            }
        }
        self.0.capped.iter().any(|w| name.ends_with(w.as_str()))
            && !self.0.uncapped.iter().any(|w| name.contains(w.as_str()))
    }
}

impl RuleKind for RateBound {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            let Some(v) = &s.value else { continue };
            if v.unit_kind != UnitKind::Percent || v.unit.as_deref() != Some("%") {
                continue;
            }
            let written = s.indicator.as_ref().map_or("", |x| x.text.as_str());
            if !self.is_capped(s.canonical()) && !self.is_capped(written) {
                continue;
            }
            let rel = Relation::NotAbove {
                part: v.clone(),
                whole: super::share_bound::hundred_percent(),
            };
            ctx.record(&rel);
            if rel.holds() {
                continue;
            }
            let shown = format!("{}{}", v.written, v.unit_text());
            let name = if written.is_empty() {
                s.canonical().to_owned()
            } else {
                written.to_owned()
            };
            out.push(
                Finding {
                    span: v.span,
                    label: format!("{name}{shown}"),
                    stmt: Some(i),
                    key: vec![name.clone(), shown.clone()],
                    relation: (v.value >= Decimal::from(200)).then_some(rel),
                    ..Default::default()
                }
                .var("indicator", name)
                .var("value", shown),
            );
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::rule_messages as rules;

    #[test]
    fn capped_rates_above_100() {
        let d = rules("全市产品质量监督抽查合格率达到105.2%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A124");
        assert!(d[0].1.contains("105.2%"), "{d:?}");
        assert_eq!(rules("全市工业产能利用率为101.3%。").len(), 1);
        // 100.4% stands for 100.35…100.45: all of it is above 100.
        assert_eq!(rules("全市污水处理率达到100.4%。").len(), 1);
    }

    #[test]
    fn full_coverage_and_plan_rates_are_possible() {
        assert!(rules("全市污水处理率达到100%，5G网络覆盖率为98.5%。").is_empty());
        assert!(rules("全市重点项目投资完成率达到112%。").is_empty());
        assert!(rules("全市规上工业产品产销率为102.1%。").is_empty());
        assert!(rules("全市粮食自给率为120%。").is_empty());
    }
}
