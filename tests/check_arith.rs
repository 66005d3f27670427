//! Snapshot tests of the arithmetic rules over invented fixtures
//! (`tests/fixtures/check/arith/*.txt`). Each fixture opens with a header line
//! `期望：A105 A106` naming exactly the rules its text must fire (none for a clean
//! text), then `---`, then the text; the snapshot holds the concise rendering of
//! every finding of the whole default pack.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::SourceFile;

#[test]
fn fixtures() {
    let set = RuleSet::defaults().expect("default packs load");
    insta::glob!("fixtures/check/arith/*.txt", |path| {
        let raw = std::fs::read_to_string(path).expect("fixture readable");
        let (header, body) = raw
            .split_once("\n---\n")
            .expect("fixture has a header and ---");
        let expected: BTreeSet<&str> = header
            .trim()
            .strip_prefix("期望：")
            .expect("header starts with 期望：")
            .split_whitespace()
            .collect();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ex = extract_with(
            SourceFile::from_text(name, body),
            &ExtractOptions::default(),
            &set.table,
        );
        let report = check(&set, &ex);
        let fired: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(fired, expected, "{name}: rules fired");
        insta::assert_snapshot!(jiaohe::report::concise::render(&[report]));
    });
}
