//! Rule kinds, one file each. Every file opens with what the kind computes, which
//! facts it reads and its tolerance, then its parameters, its `check`, and its tests.

pub mod breakdown_sum;
pub mod expr;
pub mod growth_levels;
pub mod part_whole;
pub mod pattern;
pub mod respectively_count;
pub mod share;
pub mod table_growth;
pub mod table_share;
pub mod table_total;
pub mod table_unit;
pub mod value_conflict;

use crate::extract::{Quantity, Statement, UnitKind};

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
