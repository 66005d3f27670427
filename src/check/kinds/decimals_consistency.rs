//! `decimals-consistency`: parallel figures written with different numbers of
//! decimals. NBS releases give every rate of a list to one decimal (`21.0%`), so
//! `分别增长18.4%、12%、7.9%` either dropped a `.0` or mixes rounded and exact figures.
//!
//! Reads the text of each sentence: a list of two or more figures joined by `、`,
//! `和`, `及`, `与`, ending in `%` or `个百分点` (the unit may be written on the last
//! figure only, `分别提高1.2、0.5、3个百分点`). Items in another unit make the list not
//! parallel and it is skipped. `100%` and `0%` are written without decimals by
//! everyone and count as neither form.
//!
//! No params.

use regex::Regex;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};

use super::{char_before, content_paragraphs};

pub const DEF: KindDef = KindDef {
    name: "decimals-consistency",
    summary: "并列的百分数、百分点小数位数不一致",
    vars: &["figures", "decimals", "most"],
    build: |v| {
        if !v.is_null() {
            return Err("decimals-consistency 没有参数".into());
        }
        let item = r"-?\d+(?:\.\d+)?(?:%|个百分点)?";
        let re =
            Regex::new(&format!(r"{item}(?:(?:、|和|及|与){item})+")).map_err(|e| e.to_string())?;
        let one = Regex::new(r"(?P<n>-?\d+(?:\.(?P<d>\d+))?)(?P<u>%|个百分点)?")
            .map_err(|e| e.to_string())?;
        Ok(Box::new(DecimalsConsistency { re, one }))
    },
};

struct DecimalsConsistency {
    re: Regex,
    one: Regex,
}

impl DecimalsConsistency {
    /// The decimals of each figure of a list, or `None` when the list is not one of
    /// parallel rates.
    fn decimals(&self, list: &str) -> Option<Vec<Option<usize>>> {
        let items: Vec<_> = self.one.captures_iter(list).collect();
        let last_unit = items.last()?.name("u")?.as_str();
        let mut out = Vec::new();
        for c in &items {
            if c.name("u").is_some_and(|u| u.as_str() != last_unit) {
                return None;
            }
            let d = c.name("d").map_or(0, |d| d.len());
            let n = c.name("n").map_or("", |m| m.as_str());
            let neutral = d == 0 && matches!(n.trim_start_matches('-'), "0" | "100");
            out.push(if neutral { None } else { Some(d) });
        }
        Some(out)
    }
}

impl RuleKind for DecimalsConsistency {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        for para in content_paragraphs(ctx) {
            for sentence in &para.sentences {
                let s = &text[sentence.range.clone()];
                for m in self.re.find_iter(s) {
                    if char_before(s, m.start()).is_some_and(|c| c.is_ascii_digit() || c == '.') {
                        continue;
                    }
                    let Some(ds) = self.decimals(m.as_str()) else {
                        continue;
                    };
                    let mut counts: Vec<(usize, usize)> = Vec::new();
                    for d in ds.iter().flatten() {
                        match counts.iter_mut().find(|(k, _)| k == d) {
                            Some(c) => c.1 += 1,
                            None => counts.push((*d, 1)),
                        }
                    }
                    if counts.len() < 2 {
                        continue;
                    }
                    // The most frequent count; on a tie the larger (the precision the
                    // writer had for some figures).
                    let most = counts
                        .iter()
                        .max_by_key(|(d, n)| (*n, *d))
                        .map_or(0, |(d, _)| *d);
                    let mut seen: Vec<usize> = counts.iter().map(|(d, _)| *d).collect();
                    seen.sort_unstable();
                    let decimals = seen
                        .iter()
                        .map(|d| format!("{d}位"))
                        .collect::<Vec<_>>()
                        .join("、");
                    let range = sentence.range.start + m.start()..sentence.range.start + m.end();
                    let shown = sm.text(range.clone());
                    out.push(
                        Finding {
                            span: sm.span(range),
                            label: shown.clone(),
                            suggestion: Some(format!("统一保留{most}位小数（按原始数据修约）")),
                            key: vec![shown.clone()],
                            ..Default::default()
                        }
                        .var("figures", shown)
                        .var("decimals", decimals)
                        .var("most", most),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, labels};
    use super::DEF;

    #[test]
    fn mixed_list() {
        let text = "示例市工业、投资、消费分别增长18.4%、12%、7.9%。";
        let f = findings(&DEF, "", text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].label, "18.4%、12%、7.9%");
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("统一保留1位小数（按原始数据修约）")
        );
    }

    #[test]
    fn points_with_unit_on_last() {
        let text = "三项比重分别提高1.2、0.5、3个百分点。";
        assert_eq!(labels(&DEF, "", text), ["1.2、0.5、3个百分点"]);
    }

    #[test]
    fn consistent_lists_pass() {
        let text = "分别增长18.4%、12.0%和7.9%；合格率分别达100%和98.5%；分别增长5%、6%；\
                    分别为3.5亿元、2亿元；增长5%、3个百分点。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
