//! Snapshot tests of the wording and form rules (W4xx) over invented fixture documents
//! (`tests/fixtures/check/wording/*.txt`): each fixture shows rules firing and the
//! look-alikes that must stay quiet (titles in 《》, phone numbers, ISO dates, fixed
//! reduplications …). The whole default rule set runs, so a rule of another pack
//! firing on a fixture shows up in the snapshot too. The snapshots hold the concise
//! rendering, one line per finding.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::SourceFile;

#[test]
fn fixtures() {
    let set = RuleSet::defaults().expect("default packs load");
    insta::glob!("fixtures/check/wording/*.txt", |path| {
        let text = std::fs::read_to_string(path).expect("fixture readable");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ex = extract_with(
            SourceFile::from_text(name, text),
            &ExtractOptions::default(),
            &set.table,
        );
        let report = check(&set, &ex);
        insta::assert_snapshot!(jiaohe::report::concise::render(&[report]));
    });
}

/// The clean fixture stays clean: a finding there is a false positive.
#[test]
fn clean_document_has_no_findings() {
    let set = RuleSet::defaults().expect("default packs load");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/check/wording/clean.txt"
    );
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let ex = extract_with(
        SourceFile::from_text("clean.txt", text),
        &ExtractOptions::default(),
        &set.table,
    );
    let report = check(&set, &ex);
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        jiaohe::report::concise::render(&[report])
    );
}
