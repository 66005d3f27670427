//! Throughput of `extract` and of `check` (extract + every default rule) on the shared
//! corpus, one core.
//!
//! Run with `cargo bench --bench extract`. Reads every `.txt` under
//! `../shared/corpus/` into memory, then times extraction over all of it several
//! times and reports the median in MB/s (decoded UTF-8 bytes). Prints a notice and
//! exits when the corpus is absent.
//!
//! Besides wall-clock time it reports the CPU time of the measuring thread (Linux:
//! `/proc/thread-self/schedstat`), the figure to compare on a machine shared with other
//! work, where wall time includes waiting for a core.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract, extract_with};
use jiaohe::load::SourceFile;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(p);
        }
    }
}

/// CPU time of this thread in seconds, where the system reports it.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Runs `f` `runs` times; median wall and CPU seconds (CPU when available).
fn measure(runs: usize, mut f: impl FnMut()) -> (f64, Option<f64>) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let c0 = thread_cpu();
        let t = Instant::now();
        f();
        wall.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, thread_cpu()) {
            cpu.push(b - a);
        }
    }
    let cpu = (cpu.len() == runs).then(|| median(cpu));
    (median(wall), cpu)
}

fn cpu_note(mb: f64, cpu: Option<f64>) -> String {
    cpu.map_or(String::new(), |c| {
        format!("; CPU median {c:.3} s, {:.1} MB per CPU-second", mb / c)
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let corpus = Path::new("../shared/corpus");
    if !corpus.is_dir() {
        println!("跳过：找不到 {}", corpus.display());
        return;
    }
    let mut paths = Vec::new();
    files(corpus, &mut paths);
    let docs: Vec<SourceFile> = paths
        .iter()
        .filter_map(|p| jiaohe::load::load_path(p.to_str()?).ok())
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1_000_000.0;
    // `JIAOHE_BENCH_RUNS=1` for a profiler (callgrind) run.
    let runs = std::env::var("JIAOHE_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r: &usize| r > 0)
        .unwrap_or(7);
    let options = ExtractOptions::default();
    let mut statements = 0;
    let (t, tcpu) = measure(runs, || {
        statements = 0;
        for d in &docs {
            let ex = extract(d.clone(), &options);
            statements += ex.facts.statements.len();
        }
    });
    println!(
        "extract: {} files, {:.2} MB, {} statements, median {:.3} s, {:.1} MB/s{}",
        docs.len(),
        mb,
        statements,
        t,
        mb / t,
        cpu_note(mb, tcpu)
    );
    let rules = RuleSet::defaults().expect("default packs load");
    let mut findings = 0;
    let (tc, ccpu) = measure(runs, || {
        findings = 0;
        for d in &docs {
            let ex = extract_with(d.clone(), &options, &rules.table);
            findings += check(&rules, &ex).diagnostics.len();
        }
    });
    let ratio = match (tcpu, ccpu) {
        (Some(a), Some(b)) => b / a,
        _ => tc / t,
    };
    println!(
        "check (extract + {} rules): {} findings, median {:.3} s, {:.1} MB/s{} ({:.2}× the time of extract)",
        rules.rules.len(),
        findings,
        tc,
        mb / tc,
        cpu_note(mb, ccpu),
        ratio
    );
    if std::env::var_os("JIAOHE_BENCH_RULES").is_some() {
        per_rule(&docs, &options, runs);
    }
}

/// `JIAOHE_BENCH_RULES=1`: the time of each default rule alone over the extracted
/// corpus (extraction not counted), less that of an empty rule set (the work every
/// check does: coverage, tables, ordering), slowest first.
fn per_rule(docs: &[SourceFile], options: &ExtractOptions, runs: usize) {
    let all = RuleSet::defaults().expect("default packs load");
    let exs: Vec<_> = docs
        .iter()
        .map(|d| extract_with(d.clone(), options, &all.table))
        .collect();
    let time = |set: &RuleSet| {
        // Wall time: the thread's CPU time is counted in scheduler ticks (4 ms here),
        // too coarse for one rule.
        measure(runs, || {
            for ex in &exs {
                std::hint::black_box(check(set, ex));
            }
        })
        .0
    };
    let mut empty = RuleSet::defaults().expect("default packs load");
    empty.rules.clear();
    let base = time(&empty);
    let mut rows = Vec::new();
    for i in 0..all.rules.len() {
        let mut one = RuleSet::defaults().expect("default packs load");
        let rule = one.rules.swap_remove(i);
        one.rules = vec![rule];
        let t = time(&one) - base;
        rows.push((
            t,
            format!("{} {}", one.rules[0].entry.id, one.rules[0].entry.name),
        ));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = rows.iter().map(|r| r.0).sum();
    println!(
        "rules alone: {:.1} ms in all, {:.1} ms for an empty rule set",
        total * 1000.0,
        base * 1000.0
    );
    for (t, name) in rows {
        println!("  {:7.2} ms  {name}", t * 1000.0);
    }
}
