//! Snapshot tests of extraction over invented fixture documents that exercise every
//! phenomenon the grammar reads (`tests/fixtures/extract/*.txt`), including the digits
//! that are not figures. The snapshots hold a readable listing of the facts
//! (`jiaohe::eval::describe`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::extract::{ExtractOptions, extract};
use jiaohe::load::SourceFile;

#[test]
fn fixtures() {
    insta::glob!("fixtures/extract/*.txt", |path| {
        let text = std::fs::read_to_string(path).expect("fixture readable");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ex = extract(
            SourceFile::from_text(name, text),
            &ExtractOptions::default(),
        );
        insta::assert_snapshot!(jiaohe::eval::describe(&ex.facts));
    });
}
