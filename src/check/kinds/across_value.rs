//! `across-value-conflict`: one indicator, subject and period stated with values that
//! cannot agree in two documents (`--across`).
//!
//! Statements are grouped by [`crate::check::across::key`]: canonical indicator
//! (aliases applied), the named subject (`全市` resolved to the document's place; a
//! subject that cannot be named is never compared, so two cities' `全市` never meet),
//! the resolved period and the aspect (`新增`, `累计` …). Names outside
//! `indicators.yaml` must be written alike. Two values conflict when their intervals
//! (rounding of the last written digit, widened by qualifiers such as `以上`, `约`)
//! cannot meet. Each statement is reported once, against the first document in input
//! order that conflicts with it.
//!
//! Statistical figures are revised: a report dated a year later may give a corrected
//! figure for the same period. The parameter `years` splits the cases: `same` (the
//! default) compares documents dated in the same year, or whose date is unknown;
//! `different` compares documents dated in different years (a rule of that setting is
//! a warning: "please mark the revised figure").

use chrono::Datelike;
use serde::Deserialize;

use crate::check::across::{AcrossContext, AcrossFinding, AcrossKind, quote};
use crate::check::interval::Iv;
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};

#[derive(Debug, Deserialize, Default, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Years {
    #[default]
    Same,
    Different,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    years: Years,
}

pub const DEF: KindDef = KindDef {
    name: "across-value-conflict",
    summary: "（跨文件）同一指标、范围、期间在两份文件中数值不同",
    vars: &["first", "second", "other", "other_date"],
    build: |v| Ok(Box::new(AcrossValue(params::<Params>(v)?))),
};

struct AcrossValue(Params);

impl RuleKind for AcrossValue {
    /// Nothing to compare within one file (`duplicate-indicator-value` does that).
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Finding>) {}

    fn across(&self) -> Option<&dyn AcrossKind> {
        Some(self)
    }
}

impl AcrossKind for AcrossValue {
    fn check_across(&self, ctx: &AcrossContext<'_>, out: &mut Vec<AcrossFinding>) {
        let year = |d: usize| ctx.docs[d].date.map(|x| x.year());
        let wanted = |a: usize, b: usize| {
            let different = matches!((year(a), year(b)), (Some(x), Some(y)) if x != y);
            match self.0.years {
                Years::Same => !different,
                Years::Different => different,
            }
        };
        for group in ctx.by_key().values() {
            // One representative per distinct value and document year keeps the
            // comparison linear in the group's size when documents repeat figures.
            let mut reps: Vec<(usize, usize)> = Vec::new();
            for &(d, i) in group {
                let s = &ctx.docs[d].stmts[i];
                let Some(b) = s.value.as_ref() else { continue };
                let named = ctx.table.get(s.canonical()).is_some();
                let conflict = reps.iter().copied().find(|&(rd, ri)| {
                    let r = &ctx.docs[rd].stmts[ri];
                    let Some(a) = r.value.as_ref() else {
                        return false;
                    };
                    rd != d
                        && wanted(rd, d)
                        && (named
                            || r.indicator.as_ref().map(|x| &x.text)
                                == s.indicator.as_ref().map(|x| &x.text))
                        && super::comparable(a, b)
                        && !Iv::from(a.interval).meets(b.interval.into())
                });
                if let Some((rd, ri)) = conflict {
                    let r = &ctx.docs[rd].stmts[ri];
                    if let Some(a) = r.value.as_ref() {
                        let other = ctx.docs[rd].path.clone();
                        let other_date = ctx.docs[rd]
                            .date
                            .map(|x| x.format("%Y-%m-%d").to_string())
                            .unwrap_or_default();
                        out.push(AcrossFinding {
                            doc: d,
                            finding: Finding {
                                span: b.span,
                                label: format!("此处为{}", quote(b)),
                                stmt: Some(i),
                                key: vec![a.text.clone(), b.text.clone(), other.clone()],
                                ..Default::default()
                            }
                            .var("first", quote(a))
                            .var("second", quote(b))
                            .var("other", other.clone())
                            .var("other_date", other_date),
                        });
                        let rel = ctx.related_in(rd, a.span, format!("另一文件中为{}", quote(a)));
                        if let Some(f) = out.last_mut() {
                            f.finding.related.push(rel);
                        }
                    }
                }
                let same_rep = reps.iter().any(|&(rd, ri)| {
                    ctx.docs[rd].stmts[ri].value.as_ref().map(|q| q.interval) == Some(b.interval)
                        && year(rd) == year(d)
                });
                if !same_rep {
                    reps.push((d, i));
                }
            }
        }
    }
}
