//! Recall and precision of extraction on the five seed reports, against the facts
//! annotated by hand under `tests/gold/` (format: `src/eval.rs`).
//!
//! The seeds live in `../shared/corpus/seeds/`; when that folder is absent the test
//! prints a notice and passes without measuring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use jiaohe::eval::{Score, facts, parse_gold, score};
use jiaohe::extract::{ExtractOptions, IndicatorTable, extract};

const SEEDS: &str = "../shared/corpus/seeds";
const MIN_RECALL: f64 = 0.95;
const MIN_PRECISION: f64 = 0.97;

#[test]
fn seeds_recall_and_precision() {
    if !Path::new(SEEDS).is_dir() {
        println!("跳过：找不到 {SEEDS}（共享语料不在此机器上）");
        return;
    }
    let table = IndicatorTable::default_table();
    let mut total = Score::default();
    let mut gold_files: Vec<_> = std::fs::read_dir("tests/gold")
        .expect("tests/gold exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    gold_files.sort();
    assert_eq!(gold_files.len(), 5, "one gold file per seed");
    for gold_path in gold_files {
        let stem = gold_path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let seed = Path::new(SEEDS).join(format!("{stem}.txt"));
        let gold_text = std::fs::read_to_string(&gold_path).expect("gold file readable");
        let gold = parse_gold(&gold_text).expect("gold file well-formed");
        let src =
            jiaohe::load::load_path(seed.to_str().unwrap_or_default()).expect("seed readable");
        let ex = extract(src, &ExtractOptions::default());
        let got = facts(&ex.facts);
        let s = score(&gold, &got, table);
        println!(
            "{stem}: gold {} extracted {} matched {} recall {:.3} precision {:.3}",
            s.gold,
            s.extracted,
            s.matched,
            s.recall(),
            s.precision()
        );
        for m in &s.missed {
            println!("  missed   {}", m.to_tsv());
        }
        for m in &s.spurious {
            println!("  spurious {}", m.to_tsv());
        }
        total.add(s);
    }
    println!(
        "ALL: gold {} extracted {} matched {} recall {:.3} precision {:.3}",
        total.gold,
        total.extracted,
        total.matched,
        total.recall(),
        total.precision()
    );
    assert!(
        total.recall() >= MIN_RECALL,
        "recall {:.3} < {MIN_RECALL}",
        total.recall()
    );
    assert!(
        total.precision() >= MIN_PRECISION,
        "precision {:.3} < {MIN_PRECISION}",
        total.precision()
    );
}
