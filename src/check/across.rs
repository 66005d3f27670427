//! Cross-document checks (`jiaohe check --across`).
//!
//! # Brief overview
//!
//! Per-file checking sees one [`Context`](super::Context). Rules whose kind compares
//! documents implement [`AcrossKind`] as well (their [`RuleKind`](super::RuleKind)
//! `check` finds nothing in a single file) and expose it through
//! [`RuleKind::across`](super::RuleKind::across). While a batch runs, each file's
//! extraction is reduced to an [`AcrossDoc`]: its path, date and only those top-level
//! statements a cross-document rule can compare (an indicator, a resolved subject, a
//! resolved period and a value; no targets, no list parts), with their lists and
//! parts dropped. The extraction itself is freed, so memory grows with the number of
//! comparable statements, not with the text. After the last file, [`check`] runs the
//! across rules over all the kept documents and returns their findings as one
//! [`FileReport`] per file holding the finding's primary figure; related figures in
//! the other file carry that file's path ([`Related::path`]).
//!
//! # Examples with several documents
//!
//! A rule's `examples` are single strings. For an across rule the string holds several
//! documents separated by a line that is exactly [`DOCUMENT_SEPARATOR`] (`---`); see
//! [`split_documents`]. `tests/rules.rs` checks each document alone with every rule
//! (nothing may fire) and then all of them together with `--across` semantics.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Finding, RuleSet, fields, pack, suggest};
use crate::extract::{Extraction, IndicatorTable, Statement};
use crate::report::{Diagnostic, FileReport, Related};

/// The line that separates documents in an across rule's examples.
pub const DOCUMENT_SEPARATOR: &str = "---";

/// Splits an example text into documents at lines that are exactly
/// [`DOCUMENT_SEPARATOR`]; a text without one is one document.
pub fn split_documents(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\r', '\n']) == DOCUMENT_SEPARATOR {
            docs.push(String::new());
        } else if let Some(d) = docs.last_mut() {
            d.push_str(line);
        }
    }
    docs.into_iter()
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .collect()
}

/// A figure as a reader quotes it: `152家` for `达到152家` (the verb-like qualifier
/// `达`/`达到` adds nothing), other qualifiers kept (`超过150家`).
pub fn quote(q: &crate::extract::Quantity) -> String {
    match &q.qualifier {
        Some(x) if x.kind == crate::extract::QualifierKind::Reach => q
            .text
            .strip_prefix(x.text.as_str())
            .unwrap_or(&q.text)
            .to_owned(),
        _ => q.text.clone(),
    }
}

/// What a cross-document rule keeps of one document.
#[derive(Debug, Clone)]
pub struct AcrossDoc {
    pub path: String,
    /// The document's date (found in the text or given with `--date`).
    pub date: Option<NaiveDate>,
    /// Comparable statements, reading order, lists and parts dropped.
    pub stmts: Vec<Statement>,
}

/// Names of the shape of a place that many places share (`自治区` is how both a
/// Ningxia and a Xinjiang report name themselves): never the same subject across
/// documents.
const SHARED_NAMES: &[&str] = &["自治区", "自治州", "自治县", "自治旗", "特别行政区"];

/// The place a statement is about, when it is known by a name no other place has
/// (`示例市`, `全国`).
pub fn subject(s: &Statement) -> Option<&str> {
    s.scope
        .as_ref()?
        .resolved
        .as_deref()
        .filter(|n| !SHARED_NAMES.contains(n))
}

/// What identifies "the same figure" across documents: canonical indicator, subject,
/// period (resolved dates) and aspect (`新增`, `累计` …).
pub type Key = (String, String, NaiveDate, NaiveDate, String);

/// The key of a statement, when it has all its parts.
pub fn key(s: &Statement) -> Option<Key> {
    let ind = s.indicator.as_ref()?;
    let p = s.period.as_ref()?;
    Some((
        ind.canonical.clone(),
        subject(s)?.to_owned(),
        p.start?,
        p.end?,
        ind.aspect.clone().unwrap_or_default(),
    ))
}

/// Names too generic to compare across documents unless the indicator table knows
/// them (the same list as `value-conflict`'s default).
const GENERIC: &[&str] = &[
    "总投资",
    "投资",
    "项目",
    "企业",
    "资金",
    "产值",
    "总数",
    "总量",
    "金额",
    "规模",
    "收入",
];

/// Whether a statement may be compared with another document's: a value, a key, not
/// a target, a range or a compound count, and a name that identifies the figure (in
/// `indicators.yaml`, or at least four characters written in the clause itself, not a
/// list, with a period of its own).
fn comparable_statement(s: &Statement, table: &IndicatorTable) -> bool {
    let Some(ind) = s.indicator.as_ref() else {
        return false;
    };
    if s.value.is_none()
        || s.is_target()
        || s.class.is_some()
        || s.value_to.is_some()
        || key(s).is_none()
    {
        return false;
    }
    let c = ind.canonical.as_str();
    let named = table.get(c).is_some();
    let plain = c.chars().count() >= 4
        && !GENERIC.contains(&c)
        && !ind.inherited
        && !ind.text.contains(['、', '，', ',', '和', '及'])
        && s.period.as_ref().is_some_and(|p| !p.inherited);
    named || plain
}

impl AcrossDoc {
    /// Keeps what the across rules need of an extraction.
    pub fn of(ex: &Extraction, table: &IndicatorTable) -> Self {
        let stmts = ex
            .facts
            .statements
            .iter()
            .filter(|s| comparable_statement(s, table))
            .map(|s| Statement {
                parts: Vec::new(),
                items: Vec::new(),
                ranks: Vec::new(),
                comparisons: Vec::new(),
                contributions: Vec::new(),
                ratio: Vec::new(),
                ..s.clone()
            })
            .collect();
        AcrossDoc {
            path: ex.facts.path.clone(),
            date: ex.facts.date.as_ref().map(|d| d.date),
            stmts,
        }
    }
}

/// What an across kind sees: every document kept, in input order.
pub struct AcrossContext<'a> {
    pub docs: &'a [AcrossDoc],
    pub table: &'a IndicatorTable,
}

impl AcrossContext<'_> {
    /// Every statement of every document grouped by [`key`], in input order.
    pub fn by_key(&self) -> BTreeMap<Key, Vec<(usize, usize)>> {
        let mut m: BTreeMap<Key, Vec<(usize, usize)>> = BTreeMap::new();
        for (d, doc) in self.docs.iter().enumerate() {
            for (i, s) in doc.stmts.iter().enumerate() {
                if let Some(k) = key(s) {
                    m.entry(k).or_default().push((d, i));
                }
            }
        }
        m
    }

    /// A related figure in another document.
    pub fn related_in(&self, doc: usize, span: crate::extract::Span, label: String) -> Related {
        Related {
            span,
            label,
            path: Some(self.docs[doc].path.clone()),
        }
    }
}

/// A finding of an across kind: `finding.stmt` indexes `docs[doc].stmts`, and
/// `finding.span` is in that document.
#[derive(Debug, Clone)]
pub struct AcrossFinding {
    pub doc: usize,
    pub finding: Finding,
}

/// A kind that compares documents.
pub trait AcrossKind: Send + Sync {
    fn check_across(&self, ctx: &AcrossContext<'_>, out: &mut Vec<AcrossFinding>);
}

/// Runs every across rule of `set` over the documents; one report per document with
/// findings, in input order (coverage left empty: it was counted per file).
pub fn check(set: &RuleSet, docs: &[AcrossDoc]) -> Vec<FileReport> {
    let ctx = AcrossContext {
        docs,
        table: &set.table,
    };
    let env = pack::environment();
    let mut per_doc: Vec<Vec<Diagnostic>> = vec![Vec::new(); docs.len()];
    for rule in &set.rules {
        let Some(kind) = rule.kind.across() else {
            continue;
        };
        let mut found = Vec::new();
        kind.check_across(&ctx, &mut found);
        for AcrossFinding { doc, finding } in found {
            let Some(d) = docs.get(doc) else { continue };
            let stmt = finding.stmt.and_then(|i| d.stmts.get(i));
            let fv = stmt.map(|s| fields::fields(s, false, &set.table, d.date));
            if let (Some(w), Some(v)) = (&rule.when, &fv) {
                match w.eval(v.clone()) {
                    Ok(x) if x.is_true() => {}
                    _ => continue,
                }
            }
            per_doc[doc].push(to_diagnostic(rule, stmt, fv, finding, env));
        }
    }
    per_doc
        .into_iter()
        .zip(docs)
        .filter(|(d, _)| !d.is_empty())
        .map(|(mut diagnostics, doc)| {
            diagnostics.sort_by(|a, b| {
                (a.span.start, &a.rule, &a.key).cmp(&(b.span.start, &b.rule, &b.key))
            });
            diagnostics.dedup_by(|a, b| a.rule == b.rule && a.key == b.key);
            FileReport {
                path: doc.path.clone(),
                diagnostics,
                coverage: Default::default(),
            }
        })
        .collect()
}

fn to_diagnostic(
    rule: &super::Rule,
    stmt: Option<&Statement>,
    fv: Option<minijinja::Value>,
    f: Finding,
    env: &minijinja::Environment<'static>,
) -> Diagnostic {
    let indicator = stmt
        .and_then(|s| s.indicator.as_ref())
        .map(|i| i.text.clone())
        .unwrap_or_default();
    let mut vars: BTreeMap<String, minijinja::Value> = BTreeMap::new();
    if let Some(fv) = fv {
        for k in fields::FIELDS {
            if let Ok(v) = fv.get_attr(k) {
                vars.insert((*k).to_owned(), v);
            }
        }
    }
    vars.insert("rule".into(), rule.entry.id.clone().into());
    vars.insert("name".into(), rule.entry.name.clone().into());
    vars.insert("indicator".into(), indicator.into());
    vars.insert("figure".into(), f.label.clone().into());
    for (k, v) in &f.vars {
        vars.insert((*k).to_owned(), v.clone());
    }
    let ctx = minijinja::Value::from(vars);
    let message = env
        .render_str(&rule.entry.message, ctx.clone())
        .unwrap_or_else(|e| format!("{}（消息模板出错：{e}）", rule.entry.message));
    let help = rule
        .entry
        .help
        .as_ref()
        .map(|h| env.render_str(h, ctx.clone()).unwrap_or_else(|_| h.clone()));
    // The figures are in two files: the suggestion names the likely wrong one by its
    // text, and the primary span stays where the rule put it.
    let suggestion = f.suggestion.clone().or_else(|| {
        // Levels are positive: an edit that makes one zero or negative explains nothing.
        let positive = |_: &crate::extract::Quantity, iv: super::interval::Iv| {
            iv.lo.is_some_and(|l| l > rust_decimal::Decimal::ZERO)
        };
        f.relation
            .as_ref()
            .map(|rel| suggest::suggestion(rel, &positive, &f.prefer).0)
    });
    let canonical = stmt.map(Statement::canonical).unwrap_or_default();
    let mut key = vec![rule.entry.id.clone(), canonical.to_owned()];
    key.extend(f.key.iter().cloned());
    Diagnostic {
        rule: rule.entry.id.clone(),
        name: rule.entry.name.clone(),
        severity: rule.entry.severity,
        message,
        span: f.span,
        label: f.label,
        related: f.related,
        help,
        suggestion,
        fix: None,
        place: None,
        key: key.join("|"),
        reviewed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_at_marker_lines() {
        assert_eq!(split_documents("甲。\n---\n乙。\n"), ["甲。", "乙。"]);
        assert_eq!(split_documents("甲。\n--- \n乙。"), ["甲。\n--- \n乙。"]);
        assert_eq!(split_documents("甲。"), ["甲。"]);
        assert_eq!(
            split_documents("---\n甲。\r\n---\r\n乙。"),
            ["甲。", "乙。"]
        );
    }
}
