//! Round trip: render → extract recovers every figure of the data with its
//! indicator, unit, period and change, and `check` finds no error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::RuleSet;
use jiaohe::render::data::{self, ReportData};
use jiaohe::render::{Renderer, draft, roundtrip};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::defaults().expect("default rules load"))
}

/// Renders and verifies; returns the mismatches and the self-check errors.
fn trip(
    renderer: &Renderer,
    template: &str,
    data: ReportData,
) -> (Vec<String>, Vec<String>, String) {
    let d = draft(renderer, template, data, rules(), None, "draft.txt").expect("renders");
    let mism = roundtrip::verify(&d.data, &d.check.extraction.facts, &rules().table)
        .iter()
        .map(ToString::to_string)
        .collect();
    let errors = d
        .check
        .report
        .diagnostics
        .iter()
        .filter(|x| x.severity == jiaohe::report::Severity::Error)
        .map(|x| format!("{} {}", x.rule, x.message))
        .chain(
            d.issues
                .iter()
                .filter(|i| i.severity == jiaohe::report::Severity::Error)
                .map(ToString::to_string),
        )
        .collect();
    (mism, errors, jiaohe::render::output::prose(&d.blocks))
}

fn example(path: &str) -> ReportData {
    data::read_path(std::path::Path::new(path)).expect("example data reads")
}

#[test]
fn examples_round_trip() {
    let r = Renderer::default();
    for (path, template) in [("examples/render/shili-2025.yaml", "annual-review")] {
        let (m, e, text) = trip(&r, template, example(path));
        assert!(
            m.is_empty() && e.is_empty(),
            "{path}:\n{}\n{}\n{text}",
            m.join("\n"),
            e.join("\n")
        );
    }
}

#[test]
fn all_examples_round_trip() {
    let r = Renderer::default();
    for (path, template) in [
        ("examples/render/shili-2025-q3.yaml", "quarterly-brief"),
        ("examples/render/shili-gxj-2025.yaml", "work-summary-plan"),
        (
            "examples/render/shili-bulletin-2025.yaml",
            "bulletin-industry",
        ),
    ] {
        let (m, e, text) = trip(&r, template, example(path));
        assert!(
            m.is_empty() && e.is_empty(),
            "{path}:\n{}\n{}\n{text}",
            m.join("\n"),
            e.join("\n")
        );
    }
    let all = example("examples/render/counties-2025-q3.csv");
    for (k, d) in data::split_each(&all, "scope").unwrap() {
        let (m, e, text) = trip(&r, "quarterly-brief", d);
        assert!(
            m.is_empty() && e.is_empty(),
            "{k}:\n{}\n{}\n{text}",
            m.join("\n"),
            e.join("\n")
        );
    }
}
