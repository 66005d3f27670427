//! The one table from kind name to implementation. Adding a kind: one file under
//! `kinds/`, one line here, fixtures and rules that use it.

use super::RuleKind;
use super::kinds;
use crate::load::yaml;

/// A kind of rule.
pub struct KindDef {
    /// The name packs use in `kind:`.
    pub name: &'static str,
    /// One line on what the kind checks (for `jiaohe rules`).
    pub summary: &'static str,
    /// The values a finding of this kind offers to the rule's message template.
    pub vars: &'static [&'static str],
    /// Builds the kind from the rule's `params`.
    pub build: fn(&yaml::Value) -> Result<Box<dyn RuleKind>, String>,
}

/// All kinds, by name.
pub const KINDS: &[KindDef] = &[
    kinds::breakdown_sum::DEF,
    kinds::part_whole::DEF,
    kinds::share::DEF,
    kinds::growth_levels::DEF,
    kinds::respectively_count::DEF,
    kinds::value_conflict::DEF,
    kinds::share_bound::DEF,
    kinds::hundred_sum::DEF,
    kinds::share_change_sum::DEF,
    kinds::enumeration_count::DEF,
    kinds::times_levels::DEF,
    kinds::integer_base::DEF,
    kinds::rate_gap::DEF,
    kinds::two_year::DEF,
    kinds::aggregate_range::DEF,
    kinds::contribution_sum::DEF,
    kinds::decline_over_100::DEF,
    kinds::implausible_growth::DEF,
    kinds::rank_range::DEF,
    kinds::rate_bound::DEF,
    kinds::target_completion::DEF,
    kinds::percent_vs_points::DEF,
    kinds::magnitude_slip::DEF,
    kinds::period_not_ended::DEF,
    kinds::period_label_mismatch::DEF,
    kinds::relative_date::DEF,
    kinds::date_validity::DEF,
    kinds::pattern::DEF,
    kinds::expr::DEF,
    kinds::table_total::DEF,
    kinds::table_growth::DEF,
    kinds::table_share::DEF,
    kinds::table_unit::DEF,
    kinds::range_dash::DEF,
    kinds::numeral_consistency::DEF,
    kinds::decimals_consistency::DEF,
    kinds::unit_scaling::DEF,
    kinds::heading_marker::DEF,
    kinds::change_verb::DEF,
    kinds::decline_comparison::DEF,
    kinds::doubled_word::DEF,
    kinds::fullwidth_digit::DEF,
    kinds::across_value::DEF,
    kinds::across_growth::DEF,
];

/// The kind with this name.
pub fn kind(name: &str) -> Option<&'static KindDef> {
    KINDS.iter().find(|k| k.name == name)
}
