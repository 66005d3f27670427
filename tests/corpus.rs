//! The whole shared corpus (seeds and real documents) is read without a panic and
//! without an error exit, and every span stays inside its file on character
//! boundaries. Skipped with a notice when the corpus is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn corpus_files() -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["seeds", "real"] {
        let dir = Path::new("../shared/corpus").join(sub);
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = rd
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

#[test]
fn whole_corpus_extracts_cleanly() {
    let files = corpus_files();
    if files.is_empty() {
        println!("跳过：找不到 ../shared/corpus");
        return;
    }
    let mut args = vec!["extract".to_owned(), "-f".into(), "jsonl".into()];
    args.extend(files.iter().cloned());
    let out = Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(&args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut n = 0;
    let mut texts = std::collections::HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let path = v["path"].as_str().expect("path").to_owned();
        let text = texts
            .entry(path.clone())
            .or_insert_with(|| std::fs::read_to_string(&path).expect("readable"));
        let (a, b) = (
            v["span"]["start"].as_u64().expect("start") as usize,
            v["span"]["end"].as_u64().expect("end") as usize,
        );
        assert!(a <= b && b <= text.len(), "{path}: span {a}..{b}");
        assert!(
            text.is_char_boundary(a) && text.is_char_boundary(b),
            "{path}: {a}..{b}"
        );
        n += 1;
    }
    println!("{} files, {n} statements", files.len());
    assert!(n > 5000);
}
