//! Rule kinds, one file each. Every file opens with what the kind computes, which
//! facts it reads and its tolerance, then its parameters, its `check`, and its tests.

pub mod breakdown_sum;
pub mod change_verb;
pub mod decimals_consistency;
pub mod decline_comparison;
pub mod doubled_word;
pub mod expr;
pub mod fullwidth_digit;
pub mod growth_levels;
pub mod heading_marker;
pub mod numeral_consistency;
pub mod part_whole;
pub mod pattern;
pub mod range_dash;
pub mod respectively_count;
pub mod share;
pub mod table_growth;
pub mod table_share;
pub mod table_total;
pub mod table_unit;
pub mod unit_scaling;
pub mod value_conflict;

use crate::extract::{Quantity, Span, Statement, UnitKind};
use crate::segment::Paragraph;

/// Whether two figures measure the same kind of thing in the same unit, so that they
/// can be added or compared (`12条` and `60条`; `3亿元` and `4500万元`).
pub fn comparable(a: &Quantity, b: &Quantity) -> bool {
    if a.unit_kind != b.unit_kind {
        return false;
    }
    match a.unit_kind {
        UnitKind::Count | UnitKind::Physical => a.unit == b.unit,
        UnitKind::Money => a.unit == b.unit,
        UnitKind::None => false,
        _ => true,
    }
}

/// The residual part of a list (`其他类`, `其余`), whose value is the most likely to be
/// what a writer forgot to update.
pub fn is_residual(s: &Statement) -> bool {
    s.indicator.as_ref().is_some_and(|i| {
        ["其他", "其余", "其它"]
            .iter()
            .any(|w| i.text.starts_with(w))
    })
}

/// `“其他类27条”`: a figure quoted with the name it belongs to.
pub fn quoted(s: &Statement, q: &Quantity) -> String {
    match &s.indicator {
        Some(i) if !i.inherited && i.text.chars().count() <= 12 => format!("{}{}", i.text, q.text),
        _ => q.text.clone(),
    }
}

/// Whether a figure is a rate per person, per household … (`每千人6.6批次`, `人均…`):
/// it is not a total that parts could add up to.
pub fn per_unit(ctx: &crate::check::Context<'_>, q: &Quantity) -> bool {
    let text = crate::cli::display_text(ctx.ex);
    let start = q.span.start.min(text.len());
    let mut from = start.saturating_sub(18);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    before.contains('每')
        || ["人均", "户均", "亩均", "平均"]
            .iter()
            .any(|w| before.contains(w))
}

/// The paragraphs of the document that are not page furniture (menus, footers), in
/// reading order: what the wording kinds read.
pub fn content_paragraphs<'a>(ctx: &crate::check::Context<'a>) -> Vec<&'a Paragraph> {
    let doc = &ctx.ex.doc;
    doc.paragraphs
        .iter()
        .filter(|p| {
            let (ps, pe) = (
                doc.norm.to_source(p.range.start),
                doc.norm.to_source(p.range.end),
            );
            !doc.source
                .furniture
                .iter()
                .any(|f| f.start < pe && ps < f.end)
        })
        .collect()
}

/// The character before byte `i` of `s`, if any.
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|t| t.chars().next_back())
}

/// The character at byte `i` of `s`, if any.
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next())
}

/// The span of `needle` inside a figure or phrase whose span and source text are
/// known (`增长` inside `同比增长2.1%`), when it lies on the same line.
pub fn sub_span(
    ctx: &crate::check::Context<'_>,
    outer: Span,
    outer_text: &str,
    needle: &str,
) -> Option<Span> {
    let k = outer_text.find(needle)?;
    let start = outer.start + k;
    let end = start + needle.len();
    let display = crate::cli::display_text(ctx.ex);
    if display.get(start..end) != Some(needle) || outer_text[..k].contains('\n') {
        return None;
    }
    Some(Span {
        start,
        end,
        line: outer.line,
        column: outer.column + outer_text[..k].chars().count(),
    })
}

/// Runs one kind over a text: what its unit tests call.
#[cfg(test)]
pub(crate) mod testing {
    use crate::check::registry::KindDef;
    use crate::check::{Context, Finding};
    use crate::extract::{ExtractOptions, IndicatorTable, extract};
    use crate::load::{SourceFile, yaml};

    /// The findings of kind `def` with `params` (YAML, empty for none) over `text`.
    pub fn findings(def: &KindDef, params: &str, text: &str) -> Vec<Finding> {
        let v = if params.is_empty() {
            yaml::Value::Null
        } else {
            yaml::value_from_str(params, "test.yaml").unwrap()
        };
        let kind = (def.build)(&v).unwrap();
        let ex = extract(
            SourceFile::from_text("test.txt", text),
            &ExtractOptions::default(),
        );
        let ctx = Context::new(&ex, IndicatorTable::default_table());
        let mut out = Vec::new();
        kind.check(&ctx, &mut out);
        out
    }

    /// The labels of the findings (the text each points at).
    pub fn labels(def: &KindDef, params: &str, text: &str) -> Vec<String> {
        findings(def, params, text)
            .into_iter()
            .map(|f| f.label)
            .collect()
    }

    /// The suggestions of the findings.
    pub fn suggestions(def: &KindDef, params: &str, text: &str) -> Vec<String> {
        findings(def, params, text)
            .into_iter()
            .filter_map(|f| f.suggestion)
            .collect()
    }
}
