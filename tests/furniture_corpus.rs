//! Page furniture removal loses no statement of an article body (issue 5).
//!
//! Every `.txt` of the shared corpus is extracted twice: as it is
//! (`--keep-boilerplate`) and with its furniture lines skipped (the default). Every
//! statement the cleaning loses must lie on a furniture line of a kind whose rule
//! cannot hit article text, and that line must not be a sentence of prose. The counts
//! are printed (`cargo test --test furniture_corpus -- --nocapture`). Skipped with a
//! notice when the corpus is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use jiaohe::extract::{ExtractOptions, extract};
use jiaohe::load::furniture::{self, Kind};
use jiaohe::load::{LoadOptions, load_path_with};

fn corpus_files() -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["seeds", "real"] {
        let Ok(rd) = std::fs::read_dir(Path::new("../shared/corpus").join(sub)) else {
            continue;
        };
        let mut paths: Vec<String> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .filter_map(|p| p.to_str().map(str::to_owned))
            .collect();
        paths.sort();
        out.extend(paths);
    }
    out
}

/// Statements as (start, end) byte spans, parts included.
fn spans(path: &str, keep_boilerplate: bool) -> (String, Vec<(usize, usize)>) {
    let src = load_path_with(path, &LoadOptions { keep_boilerplate }).expect("readable");
    let text = src.text.clone();
    let ex = extract(src, &ExtractOptions::default());
    let spans = ex
        .facts
        .all_statements()
        .iter()
        .map(|s| (s.span.start, s.span.end))
        .collect();
    (text, spans)
}

#[test]
fn cleaning_loses_no_statement_of_the_article() {
    let files = corpus_files();
    if files.is_empty() {
        println!("跳过：找不到 ../shared/corpus");
        return;
    }
    // Kinds whose rules cannot hit a line of article text: whole-line toolbar and
    // navigation words, footer markers, related lists, promotions, lines without a
    // Chinese character or digit, and the digit-free lines above a title.
    let sure = [
        Kind::Toolbar,
        Kind::Navigation,
        Kind::AboveTitle,
        Kind::Footer,
        Kind::Related,
        Kind::Promotion,
        Kind::Debris,
    ];
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    let (mut kept_total, mut all_total, mut lost_total, mut files_with_furniture) = (0, 0, 0, 0);
    let mut problems = Vec::new();
    for path in &files {
        let (text, all) = spans(path, true);
        let (_, kept) = spans(path, false);
        let lines = furniture::detect(&text);
        if !lines.is_empty() {
            files_with_furniture += 1;
        }
        for l in &lines {
            *by_kind.entry(l.kind).or_default() += 1;
        }
        let kept_set: HashSet<_> = kept.iter().copied().collect();
        all_total += all.len();
        kept_total += kept.len();
        // Cleaning only skips lines: it never adds a statement.
        let all_set: HashSet<_> = all.iter().copied().collect();
        assert!(
            kept.iter().all(|s| all_set.contains(s)),
            "{path}: cleaning added a statement"
        );
        for &(a, b) in all.iter().filter(|s| !kept_set.contains(s)) {
            lost_total += 1;
            let line_no = text[..a].matches('\n').count() + 1;
            match lines.iter().find(|l| l.range.start <= a && a < l.range.end) {
                Some(l) if sure.contains(&l.kind) && !text[l.range.clone()].contains('。') => {
                    println!(
                        "  {path}:{line_no}: 页面附属内容（{}）中的陈述 {a}..{b}",
                        l.kind.label()
                    );
                }
                Some(l) => problems.push(format!(
                    "{path}:{line_no}: 陈述 {a}..{b} 所在行被判为{}，但像正文",
                    l.kind.label()
                )),
                None => problems.push(format!(
                    "{path}:{line_no}: 陈述 {a}..{b} 丢失，却不在任何页面附属内容行中"
                )),
            }
        }
    }
    println!(
        "{} 个文件，{} 个有页面附属内容；附属内容行 {:?}；陈述：保留附属内容时 {}，去除后 {}，丢失 {}",
        files.len(),
        files_with_furniture,
        by_kind,
        all_total,
        kept_total,
        lost_total
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // A rule grown greedy would lose more than a handful.
    assert!(
        lost_total * 1000 <= all_total,
        "{lost_total} of {all_total} lost"
    );
    // The corpus has furniture, and the detector finds it.
    assert!(files_with_furniture >= 40, "{files_with_furniture}");
    assert!(all_total > 5000);
}
