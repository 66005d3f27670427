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

fn rules_of(text: &str) -> Vec<String> {
    let set = RuleSet::defaults().expect("default packs load");
    let ex = extract_with(
        SourceFile::from_text("t.txt", text.to_owned()),
        &ExtractOptions::default(),
        &set.table,
    );
    check(&set, &ex)
        .diagnostics
        .into_iter()
        .map(|d| d.rule)
        .collect()
}

#[test]
fn target_words_with_achieved_words() {
    assert_eq!(rules_of("示例市争取工业投资已增长15%。"), ["T303"]);
    assert_eq!(rules_of("示例市力争实现了规上工业增加值增长8%。"), ["T303"]);
    assert_eq!(rules_of("示例市拟新增规上企业已达30家。"), ["T303"]);
    // Target and result in separate clauses are fine; so is a plan already issued.
    assert!(rules_of("示例市已新增规上企业28家，力争全年新增30家。").is_empty());
    assert!(rules_of("示例市年度投资计划已下达，新开工项目68个。").is_empty());
}
