//! Snapshot tests of the arithmetic-plausibility, unit and period rules over invented
//! documents (`tests/fixtures/check/time/*.txt`): each fixture is checked with the
//! default packs and rendered one line per finding (`jiaohe::report::concise`), so a
//! snapshot shows exactly which rules fire where, with their messages and
//! suggestions. `clean_report.txt` uses every construct correctly and must stay empty.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::SourceFile;

#[test]
fn fixtures() {
    let set = RuleSet::defaults().expect("default packs load");
    insta::glob!("fixtures/check/time/*.txt", |path| {
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
        if name == "clean_report.txt" {
            assert!(
                report.diagnostics.is_empty(),
                "{}",
                jiaohe::report::concise::render(&[report])
            );
            return;
        }
        insta::assert_snapshot!(jiaohe::report::concise::render(&[report]));
    });
}
