//! The indicator table (`rules/indicators.yaml`): canonical names, aliases, level vs
//! rate, real vs nominal growth, same-sample growth and plausible growth ranges.
//!
//! [`IndicatorTable::canonical`] turns a name as written into the name statements
//! are compared by: scope and period words in front are dropped, the table's
//! substitutions are applied (`规上` → `规模以上`, `高企` → `高新技术企业`) and an alias
//! maps to its indicator's name.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::load::yaml::{self, YamlError};

/// The embedded default table.
pub const DEFAULT_INDICATORS: &str = include_str!("../../rules/indicators.yaml");

/// Level figures change in %, rates in 个百分点.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    #[default]
    Level,
    Rate,
}

/// Real growth (constant prices) or nominal growth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum GrowthBasis {
    Real,
    #[default]
    Nominal,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: IndicatorKind,
    #[serde(default)]
    pub growth: GrowthBasis,
    #[serde(default)]
    pub same_sample: bool,
    /// Plausible growth in percent, `[low, high]`.
    pub growth_range: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    substitutions: Vec<[String; 2]>,
    #[serde(default)]
    indicators: Vec<IndicatorDef>,
}

/// The loaded table.
#[derive(Debug, Clone, Default)]
pub struct IndicatorTable {
    substitutions: Vec<[String; 2]>,
    /// Finds any substitution's `from` at once, so that a name none applies to
    /// costs one search.
    from_finder: Option<aho_corasick::AhoCorasick>,
    defs: Vec<IndicatorDef>,
    /// Looked up for nearly every statement: Fx hashing, not SipHash (the keys are
    /// the pack's own names, not adversarial input).
    by_name: FxHashMap<String, usize>,
}

/// Words in front of an indicator name that say where or when, not what.
const LEADING_NOISE: &[&str] = &[
    "全市", "全省", "全区", "全县", "全国", "我市", "我省", "我区", "我县", "本市", "全年", "当年",
    "今年", "去年", "上年", "同期", "累计", "实现", "完成", "其中", "共", "已", "现已", "目前",
    "全部",
];

impl IndicatorTable {
    /// Parses a table from YAML text.
    pub fn from_yaml(text: &str, path: &str) -> Result<Self, YamlError> {
        let file: TableFile = yaml::from_str(text, path)?;
        let mut t = IndicatorTable::default();
        t.merge(file);
        Ok(t)
    }

    fn merge(&mut self, file: TableFile) {
        self.substitutions.extend(file.substitutions);
        // Longer substitutions first, so 规上工业企业 wins over 规上.
        self.substitutions
            .sort_by_key(|pair| std::cmp::Reverse(pair[0].chars().count()));
        self.from_finder =
            aho_corasick::AhoCorasick::new(self.substitutions.iter().map(|[from, _]| from)).ok();
        for def in file.indicators {
            let idx = self.defs.len();
            let keys: Vec<String> = std::iter::once(def.name.clone())
                .chain(def.aliases.iter().cloned())
                .collect();
            self.defs.push(def);
            for k in keys {
                let k = self.substitute(&k);
                self.by_name.insert(k, idx);
            }
        }
    }

    /// Adds the entries of another table file (a user's pack) to this one.
    pub fn extend_from_yaml(&mut self, text: &str, path: &str) -> Result<(), YamlError> {
        let file: TableFile = yaml::from_str(text, path)?;
        self.merge(file);
        Ok(())
    }

    /// The embedded default table. An error in the embedded file is caught by the
    /// test suite; at run time it degrades to an empty table.
    pub fn default_table() -> &'static IndicatorTable {
        static T: OnceLock<IndicatorTable> = OnceLock::new();
        T.get_or_init(|| {
            IndicatorTable::from_yaml(DEFAULT_INDICATORS, "rules/indicators.yaml")
                .unwrap_or_default()
        })
    }

    fn substitute(&self, s: &str) -> String {
        if self.from_finder.as_ref().is_some_and(|f| !f.is_match(s)) {
            return s.to_owned();
        }
        let mut out = s.to_owned();
        for [from, to] in &self.substitutions {
            if out.contains(from.as_str()) && !out.contains(to.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        out
    }

    /// The canonical name of an indicator as written.
    pub fn canonical(&self, written: &str) -> String {
        let mut s = written.trim();
        // The first characters of `LEADING_NOISE`: nothing else is stripped.
        let noise_first = |t: &str| {
            t.chars()
                .next()
                .is_some_and(|c| "全我本当今去上同累实完其共已现目".contains(c))
        };
        while noise_first(s) {
            let before = s;
            for w in LEADING_NOISE {
                if let Some(rest) = s.strip_prefix(w) {
                    if !rest.is_empty() {
                        s = rest;
                    }
                }
            }
            if s == before {
                break;
            }
        }
        let s = s.trim_end_matches(['的', '为', '达', '是']);
        let sub = self.substitute(s);
        match self.by_name.get(&sub) {
            Some(&i) => self.defs[i].name.clone(),
            None => sub,
        }
    }

    /// The definition of a canonical name, if the table has it.
    pub fn get(&self, canonical: &str) -> Option<&IndicatorDef> {
        self.by_name.get(canonical).map(|&i| &self.defs[i])
    }

    /// Whether an indicator is a rate (changes in 个百分点): from the table, else from
    /// its name (`…率`, `比重`, `占比`, `增速`, `增幅`, `降幅`, `份额`, `强度`, `指数`).
    pub fn is_rate(&self, canonical: &str) -> bool {
        if let Some(d) = self.get(canonical) {
            return d.kind == IndicatorKind::Rate;
        }
        let rate_suffixes = [
            "率",
            "比重",
            "占比",
            "增速",
            "增幅",
            "降幅",
            "涨幅",
            "份额",
            "强度",
            "比例",
            "增长面",
            "收窄面",
        ];
        rate_suffixes.iter().any(|s| canonical.ends_with(s))
    }

    /// All definitions.
    pub fn defs(&self) -> &[IndicatorDef] {
        &self.defs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let t = IndicatorTable::from_yaml(DEFAULT_INDICATORS, "rules/indicators.yaml")
            .expect("the embedded table must parse");
        assert!(!t.defs().is_empty());
    }

    #[test]
    fn aliases_and_substitutions() {
        let t = IndicatorTable::default_table();
        assert_eq!(t.canonical("规上工业增加值"), "规模以上工业增加值");
        assert_eq!(t.canonical("全市规模以上工业增加值"), "规模以上工业增加值");
        assert_eq!(t.canonical("高企"), "高新技术企业");
        assert_eq!(t.canonical("GDP"), "地区生产总值");
        assert_eq!(t.canonical("技改投资"), "工业技术改造投资");
        assert_eq!(t.canonical("工业技术改造投资"), "工业技术改造投资");
        assert!(t.is_rate("资产负债率"));
        assert!(t.is_rate("制造业增加值占比"));
        assert!(!t.is_rate("规模以上工业增加值"));
    }
}
