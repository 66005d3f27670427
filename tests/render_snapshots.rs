//! Golden snapshots of every shipped template rendered from the example data in
//! `examples/render/` (invented figures about 示例市): the Markdown a template
//! writes, with the computed figures and the self-check's findings appended, so
//! a change in wording, numbers or checks shows up in review.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::RuleSet;
use jiaohe::render::data::{self, ReportData};
use jiaohe::render::output::Format;
use jiaohe::render::{Renderer, TEMPLATES, api, draft};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::defaults().expect("default rules load"))
}

fn example(path: &str) -> ReportData {
    data::read_path(std::path::Path::new(path)).expect("example data reads")
}

/// The draft in Markdown, then what the render reported.
fn golden(template: &str, data: ReportData) -> String {
    let d = draft(
        &Renderer::default(),
        template,
        data,
        rules(),
        None,
        "draft.md",
    )
    .unwrap();
    let mut out = d.to_text(Format::Md).unwrap();
    let mut computed = Vec::new();
    api::collect_computed(&d.data.indicators, &mut computed);
    out.push_str("\n---\n计算值：");
    out.push_str(&computed.join("；"));
    out.push('\n');
    for i in &d.issues {
        out.push_str(&format!("数据：{i}\n"));
    }
    for x in &d.check.report.diagnostics {
        out.push_str(&format!(
            "自检：{} {:?} 第{}行：{}\n",
            x.rule, x.severity, x.span.line, x.message
        ));
    }
    out
}

#[test]
fn annual_review() {
    insta::assert_snapshot!(golden(
        "annual-review",
        example("examples/render/shili-2025.yaml")
    ));
}

#[test]
fn quarterly_brief() {
    insta::assert_snapshot!(golden(
        "quarterly-brief",
        example("examples/render/shili-2025-q3.yaml")
    ));
}

#[test]
fn work_summary_plan() {
    insta::assert_snapshot!(golden(
        "work-summary-plan",
        example("examples/render/shili-gxj-2025.yaml")
    ));
}

#[test]
fn bulletin_industry() {
    insta::assert_snapshot!(golden(
        "bulletin-industry",
        example("examples/render/shili-bulletin-2025.yaml")
    ));
}

/// One county of the CSV, split by `--each scope`.
#[test]
fn quarterly_brief_per_county() {
    let all = example("examples/render/counties-2025-q3.csv");
    let sets = data::split_each(&all, "scope").unwrap();
    let (k, d) = sets.into_iter().next().unwrap();
    insta::assert_snapshot!(format!("{k}\n\n{}", golden("quarterly-brief", d)));
}

/// Every shipped template has a snapshot above.
#[test]
fn every_template_has_a_snapshot() {
    let covered = [
        "annual-review",
        "quarterly-brief",
        "work-summary-plan",
        "bulletin-industry",
    ];
    for (n, _, _) in TEMPLATES {
        assert!(covered.contains(n), "{n} has no golden snapshot");
    }
}
