//! Checking: rules from YAML packs run over extracted statements.
//!
//! # Brief overview
//!
//! - [`pack`] reads rule packs (`rules/*.yaml`, `--rules`, `jiaohe.yaml`) into a
//!   [`RuleSet`]; each rule names a *kind*.
//! - [`registry`] is the one table from kind name to implementation; each kind is one
//!   file under [`kinds`] and implements [`RuleKind`].
//! - A kind reads the [`Context`] (the document, its statements, the indicator table)
//!   and pushes [`Finding`]s. Arithmetic kinds decide on intervals
//!   ([`interval`], [`relation`]) and hand violated relations to [`suggest`], which
//!   names the figure most likely wrong.
//! - [`check`] turns findings into [`Diagnostic`]s: message templates rendered, `when`
//!   guards applied, suggestions added, coverage counted.

pub mod across;
pub mod baseline;
pub mod docs;
pub mod fields;
pub mod interval;
pub mod kinds;
pub mod pack;
pub mod registry;
pub mod relation;
pub mod suggest;
pub mod table_model;

use rustc_hash::FxHashSet;
use std::cell::{OnceCell, RefCell};

use chrono::NaiveDate;

pub use pack::{LoadOptions, Rule, RuleError, RuleSet};
pub use relation::Relation;

use crate::extract::build::SpanMaker;
use crate::extract::{Extraction, FileFacts, IndicatorTable, Quantity, Span, Statement};
use crate::report::{Coverage, Diagnostic, FileReport, Fix, Related};
use interval::Iv;

/// What a kind sees.
pub struct Context<'a> {
    pub ex: &'a Extraction,
    pub table: &'a IndicatorTable,
    /// Every statement, parts included, in reading order.
    pub stmts: Vec<&'a Statement>,
    /// The index in `stmts` of each statement's parent.
    pub parent: Vec<Option<usize>>,
    pub doc_date: Option<NaiveDate>,
    touched: RefCell<FxHashSet<(usize, usize)>>,
    relations: RefCell<Vec<Relation>>,
    /// The paragraphs outside page furniture, found once (`kinds::content_paragraphs`).
    pub(crate) content: OnceCell<Vec<&'a crate::segment::Paragraph>>,
    /// Every sentence's display range, worked out once (`kinds::Sentences::of`).
    pub(crate) sentence_index: OnceCell<kinds::Sentences>,
    /// The content sentences, worked out once (`kinds::sentences`).
    pub(crate) sentences: OnceCell<Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>>,
    /// The sentences that may name a target, found once for both rules of
    /// `target-completion` (`kinds::target_completion::candidates`).
    pub(crate) target_sentences: OnceCell<Vec<kinds::target_completion::Candidate<'a>>>,
    /// What `relative-date` finds that several rules read.
    pub(crate) dates: kinds::relative_date::Dates,
    /// The document's tables, modelled once (`tables`).
    tables: OnceCell<Vec<table_model::TableModel<'a>>>,
    /// Whether the tables' relations have been recorded (`record_tables`).
    tables_recorded: std::cell::Cell<bool>,
    /// The rule set's wording expressions ([`RuleSet::screen`]).
    screen: Option<&'a kinds::pattern::screen::Screen>,
    /// Per expression of `screen`: the indices in `kinds::sentences` of the sentences
    /// it may match.
    screened: OnceCell<Vec<Vec<usize>>>,
}

impl<'a> Context<'a> {
    pub fn new(ex: &'a Extraction, table: &'a IndicatorTable) -> Self {
        let mut stmts = Vec::new();
        let mut parent = Vec::new();
        fn walk<'s>(
            s: &'s Statement,
            p: Option<usize>,
            stmts: &mut Vec<&'s Statement>,
            parent: &mut Vec<Option<usize>>,
        ) {
            let i = stmts.len();
            stmts.push(s);
            parent.push(p);
            for c in &s.parts {
                walk(c, Some(i), stmts, parent);
            }
        }
        for s in &ex.facts.statements {
            walk(s, None, &mut stmts, &mut parent);
        }
        Context {
            ex,
            table,
            stmts,
            parent,
            doc_date: ex.facts.date.as_ref().map(|d| d.date),
            touched: RefCell::new(FxHashSet::default()),
            relations: RefCell::new(Vec::new()),
            content: OnceCell::new(),
            sentence_index: OnceCell::new(),
            sentences: OnceCell::new(),
            target_sentences: OnceCell::new(),
            dates: Default::default(),
            tables: OnceCell::new(),
            tables_recorded: std::cell::Cell::new(false),
            screen: None,
            screened: OnceCell::new(),
        }
    }

    /// The context with the rule set's screen of wording expressions.
    pub fn with_screen(mut self, screen: Option<&'a kinds::pattern::screen::Screen>) -> Self {
        self.screen = screen;
        self
    }

    /// The indices (into [`kinds::sentences`]) of the sentences that `expr` may match,
    /// from one pass of the rule set's screen over the document; `None` when `expr`
    /// is not in the screen (the caller then searches every sentence).
    pub fn screened(&self, expr: &str) -> Option<&[usize]> {
        let screen = self.screen?;
        let i = screen.position(expr)?;
        let all = self.screened.get_or_init(|| {
            let sentences = kinds::sentences(self);
            screen.screen(self.text(), sentences.iter().map(|(r, _)| r.clone()))
        });
        all.get(i).map(Vec::as_slice)
    }

    pub fn facts(&self) -> &FileFacts {
        &self.ex.facts
    }

    /// The models of the document's tables, built once for every table kind.
    pub fn tables(&self) -> &[table_model::TableModel<'a>] {
        self.tables.get_or_init(|| {
            if self.ex.doc.source.tables.is_empty() {
                Vec::new()
            } else {
                table_model::models(&self.ex.doc)
            }
        })
    }

    /// Records every relation of every table once, however many table kinds run.
    pub fn record_tables(&self) {
        if !self.tables_recorded.replace(true) {
            table_model::record_all(self, self.tables());
        }
    }

    /// The normalised text (what the grammar read).
    pub fn text(&self) -> &str {
        &self.ex.doc.norm.text
    }

    /// Span maker for ranges of the normalised text.
    pub fn spans(&self) -> SpanMaker<'_> {
        self.ex.doc.span_maker()
    }

    /// Marks figures as having taken part in a check (for coverage).
    pub fn touch<'q>(&self, qs: impl IntoIterator<Item = &'q Quantity>) {
        let mut t = self.touched.borrow_mut();
        for q in qs {
            t.insert((q.span.start, q.span.end));
        }
    }

    /// Records a relation that was checked, so that a suggested edit of a figure must
    /// keep every other relation of that figure holding.
    pub fn record(&self, rel: &Relation) {
        self.touch(rel.figures());
        self.relations.borrow_mut().push(rel.clone());
    }

    /// Whether replacing figure `q` by interval `iv` keeps every recorded relation that
    /// holds and involves `q` holding.
    pub fn keeps_others(&self, q: &Quantity, iv: Iv) -> bool {
        let rels = self.relations.borrow();
        rels.iter().all(|r| {
            let figs = r.figures();
            let Some(i) = figs.iter().position(|f| f.span == q.span) else {
                return true;
            };
            if !r.holds() {
                return true;
            }
            let mut ivs: Vec<Iv> = figs.iter().map(|f| f.interval.into()).collect();
            ivs[i] = iv;
            r.holds_with(&ivs)
        })
    }

    /// The statement's index in `stmts`.
    pub fn index_of(&self, s: &Statement) -> Option<usize> {
        self.stmts.iter().position(|x| std::ptr::eq(*x, s))
    }
}

/// What a kind reports; the runner turns it into a [`Diagnostic`].
#[derive(Debug, Clone, Default)]
pub struct Finding {
    pub span: Span,
    pub label: String,
    pub related: Vec<Related>,
    /// Values for the rule's message template.
    pub vars: Vec<(&'static str, minijinja::Value)>,
    /// The statement the finding is about (for `when` guards and the key).
    pub stmt: Option<usize>,
    /// The violated relation, for the suggestion search.
    pub relation: Option<Relation>,
    /// Figures of the relation to prefer on a tie (a residual `其他` part).
    pub prefer: Vec<usize>,
    /// A suggestion the kind knows itself (a wording rule's replacement).
    pub suggestion: Option<String>,
    pub fix: Option<Fix>,
    /// Extra parts of the baseline key (the figures involved).
    pub key: Vec<String>,
    /// The figures cannot all be true although the rule as a whole only asks to verify
    /// (a total's growth outside its parts' when the breakdown is complete): a rule
    /// whose severity is `warning` reports this finding as an error.
    pub escalate: bool,
}

impl Finding {
    pub fn var(mut self, k: &'static str, v: impl Into<minijinja::Value>) -> Self {
        self.vars.push((k, v.into()));
        self
    }
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
            path: None,
        });
        self
    }
}

/// A kind of rule: one file under `kinds/`, one entry in the registry.
pub trait RuleKind: Send + Sync {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>);

    /// The cross-document side of the kind, for kinds that compare documents
    /// (`--across`; see [`across`]). Such a kind usually finds nothing in one file.
    fn across(&self) -> Option<&dyn across::AcrossKind> {
        None
    }

    /// The regular expression the kind searches sentences with, if it is a wording
    /// kind: the runner screens each sentence once with every such expression (a
    /// `RegexSet`), and [`Context::screened`] tells the kind which sentences to search.
    fn wording(&self) -> Option<&str> {
        None
    }
}

/// The spans of the figures statements hold (for coverage), in any order and
/// possibly repeated: `stmts` are every statement, parts included (the context's,
/// so that no list of them is made again).
fn figure_spans(stmts: &[&Statement]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for s in stmts {
        s.each_figure(|q| out.push((q.span.start, q.span.end)));
    }
    out
}

/// Runs every rule of `set` over an extraction.
pub fn check(set: &RuleSet, ex: &Extraction) -> FileReport {
    check_traced(set, ex).0
}

/// Like [`check`], and also returns every relation the rules evaluated (holding or
/// not), for tools that measure what was checkable (the error-injection test).
pub fn check_traced(set: &RuleSet, ex: &Extraction) -> (FileReport, Vec<Relation>) {
    let ctx = Context::new(ex, &set.table).with_screen(set.screen.as_ref());
    let env = pack::environment();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for rule in &set.rules {
        let mut findings = Vec::new();
        rule.kind.check(&ctx, &mut findings);
        for f in findings {
            if let (Some(w), Some(i)) = (&rule.when, f.stmt) {
                let s = ctx.stmts[i];
                let vals = fields::fields(s, ctx.parent[i].is_some(), ctx.table, ctx.doc_date);
                match w.eval(vals) {
                    Ok(v) if v.is_true() => {}
                    _ => continue,
                }
            }
            diagnostics.push(to_diagnostic(rule, &ctx, f, env, &set.messages));
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.rule.clone()));
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
    for d in &mut diagnostics {
        d.place = ex.doc.source.place_at(d.span.start).map(str::to_owned);
    }
    let mut figures = figure_spans(&ctx.stmts);
    // Table cells count as figures too, and a table's rows are not clauses the
    // grammar failed to read.
    let models = ctx.tables();
    figures.extend(
        models
            .iter()
            .flat_map(|m| m.figures())
            .map(|q| (q.span.start, q.span.end)),
    );
    let in_tables: Vec<(usize, usize)> = models
        .iter()
        .filter_map(|m| m.display_range(&ex.doc))
        .collect();
    let unread = ex
        .facts
        .unread
        .iter()
        .filter(|u| !in_tables.iter().any(|&(a, b)| a <= u.start && u.end <= b))
        .cloned()
        .collect();
    // Each figure once (sorting is cheaper than hashing every span).
    figures.sort_unstable();
    figures.dedup();
    let touched = ctx.touched.borrow();
    let checked = figures.iter().filter(|f| touched.contains(f)).count();
    let report = FileReport {
        path: ex.facts.path.clone(),
        diagnostics,
        coverage: Coverage {
            figures: figures.len(),
            checked,
            unread,
        },
    };
    drop(touched);
    (report, ctx.relations.into_inner())
}

fn to_diagnostic(
    rule: &Rule,
    ctx: &Context<'_>,
    f: Finding,
    env: &minijinja::Environment<'static>,
    messages: &minijinja::Environment<'static>,
) -> Diagnostic {
    let stmt = f.stmt.map(|i| ctx.stmts[i]);
    let indicator = stmt
        .and_then(|s| s.indicator.as_ref())
        .map(|i| i.text.clone())
        .unwrap_or_default();
    let mut vars: Vec<(String, minijinja::Value)> = Vec::new();
    // The statement's fields, then the common values, then the kind's own.
    if let (Some(s), Some(i)) = (stmt, f.stmt) {
        let fv = fields::fields(s, ctx.parent[i].is_some(), ctx.table, ctx.doc_date);
        for k in fields::FIELDS {
            if let Ok(v) = fv.get_attr(k) {
                vars.push(((*k).to_owned(), v));
            }
        }
    }
    vars.extend(vec![
        ("rule".into(), rule.entry.id.clone().into()),
        ("name".into(), rule.entry.name.clone().into()),
        ("indicator".into(), indicator.clone().into()),
        ("figure".into(), f.label.clone().into()),
    ]);
    vars.extend(f.vars.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let ctx_value = minijinja::Value::from(
        vars.into_iter()
            .collect::<std::collections::BTreeMap<String, minijinja::Value>>(),
    );
    // The templates were compiled with the rule set (`RuleSet::messages`, by their
    // text); on any error a template is rendered from its text again, so that the
    // error reads as it always has.
    let render = |source: &str| match messages.get_template(source) {
        Ok(t) => t
            .render(ctx_value.clone())
            .or_else(|_| env.render_str(source, ctx_value.clone())),
        Err(_) => env.render_str(source, ctx_value.clone()),
    };
    let message = render(&rule.entry.message)
        .unwrap_or_else(|e| format!("{}（消息模板出错：{e}）", rule.entry.message));
    let help = rule
        .entry
        .help
        .as_ref()
        .map(|h| render(h).unwrap_or_else(|_| h.clone()));
    let mut span = f.span;
    let mut label = f.label.clone();
    let mut related = f.related.clone();
    let suggestion = f.suggestion.clone().or_else(|| {
        let rel = f.relation.as_ref()?;
        let (text, figure) = suggest::suggestion(rel, &|q, iv| ctx.keeps_others(q, iv), &f.prefer);
        // The figure most likely wrong becomes the primary span.
        if let Some(q) = figure.and_then(|i| rel.figures().get(i).copied()) {
            if q.span != span {
                related.retain(|r| r.span != q.span);
                related.insert(
                    0,
                    Related {
                        span,
                        label: label.clone(),
                        path: None,
                    },
                );
                span = q.span;
                label = format!("“{}”可能有误", q.text);
            }
        }
        Some(text)
    });
    let canonical = stmt.map(Statement::canonical).unwrap_or_default();
    let mut key_parts = vec![rule.entry.id.clone(), canonical.to_owned()];
    if f.key.is_empty() {
        key_parts.push(f.label.clone());
        key_parts.extend(f.related.iter().map(|r| r.label.clone()));
    } else {
        key_parts.extend(f.key.iter().cloned());
    }
    let severity = match rule.entry.severity {
        crate::report::Severity::Warning if f.escalate => crate::report::Severity::Error,
        s => s,
    };
    Diagnostic {
        rule: rule.entry.id.clone(),
        name: rule.entry.name.clone(),
        severity,
        message,
        span,
        label,
        related,
        help,
        suggestion,
        fix: f.fix,
        place: None,
        key: key_parts.join("|"),
        reviewed: None,
    }
}

/// Reads the parameters of a kind: `null` gives the defaults.
pub fn params<T: serde::de::DeserializeOwned + Default>(
    v: &crate::load::yaml::Value,
) -> Result<T, String> {
    if v.is_null() {
        return Ok(T::default());
    }
    crate::load::yaml::from_value(v.clone())
}
