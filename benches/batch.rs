//! Folder throughput versus `--jobs`, and peak memory versus folder size.
//!
//! Run with `cargo bench --bench batch`. Builds folders in a temporary directory by
//! replicating documents — the shared corpus's `.txt` files when `../shared/corpus`
//! is present, otherwise generated reports about invented places — and runs the
//! release binary on them:
//!
//! 1. **Throughput**: `jiaohe check -f concise --jobs N DIR` for N = 1, 2, 4 on a
//!    folder of `JIAOHE_BENCH_MB` megabytes (default 20); median of 3 runs, in MB/s
//!    and files/s.
//! 2. **Memory**: peak resident memory (`VmHWM` of the child, polled from
//!    `/proc/PID/status`) of `jiaohe check --jobs 2` on a folder of
//!    `JIAOHE_BENCH_SMALL_MB` (default 20) and one of `JIAOHE_BENCH_LARGE_MB` (default
//!    200; 1000 gives the 1 GB folder of issue 5). Peak memory must not grow with the
//!    folder's size.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_mb(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The documents to replicate: the corpus when present, else generated ones.
fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["../shared/corpus/real", "../shared/corpus/seeds"] {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt") {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    if out.is_empty() {
        println!("（找不到 ../shared/corpus，改用生成的文档）");
        for i in 0..50 {
            out.push(generated(i).into_bytes());
        }
    }
    out
}

/// An invented report of about 8 KB.
fn generated(i: usize) -> String {
    let place = ["示例市", "示例县", "示例区"][i % 3];
    let mut s = format!("{place}2025年经济运行情况（第{i}期）\n\n");
    for k in 0..40 {
        let total = 40 + (i + k) % 50;
        let a = 10 + k % 7;
        let b = 12 + k % 5;
        s.push_str(&format!(
            "{}月，{place}规模以上工业增加值同比增长{}.{}%，固定资产投资{}.{}亿元，比上年增长{}.{}%。\
             全{}共梳理企业诉求{total}条，其中融资类{a}条，用工类{b}条，其他类{}条。\n",
            k % 12 + 1,
            5 + k % 4,
            k % 10,
            100 + k,
            k % 10,
            3 + k % 6,
            (k + 3) % 10,
            &place[place.len() - 3..],
            total - a - b
        ));
    }
    s
}

/// Fills `dir` with copies of the seeds until it holds `mb` megabytes; returns the
/// bytes and files written.
fn fill(dir: &Path, seeds: &[Vec<u8>], mb: u64) -> (u64, u64) {
    let want = mb * 1_000_000;
    let (mut bytes, mut files) = (0u64, 0u64);
    while bytes < want {
        let doc = &seeds[files as usize % seeds.len()];
        let sub = dir.join(format!("{:03}", files / 500));
        if files % 500 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("{files:06}.txt")), doc).unwrap();
        bytes += doc.len() as u64;
        files += 1;
    }
    (bytes, files)
}

/// CPU seconds (user + system) of a running process, from `/proc/PID/stat` (clock
/// ticks of 1/100 s, as on every Linux this runs on).
fn cpu_secs(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of the line are the 12th and 13th after the command name.
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// What one run of the binary took.
struct Took {
    wall: Duration,
    /// CPU seconds of all its threads (up to the last poll before exit).
    cpu: f64,
    /// Peak resident memory in kB.
    peak_kb: u64,
}

/// Runs the binary on `dir`.
fn run(dir: &Path, jobs: usize) -> Took {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["check", "-f", "concise", "--jobs", &jobs.to_string()])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let mut cpu = 0.0f64;
    loop {
        if let Some(c) = cpu_secs(child.id()) {
            cpu = cpu.max(c);
        }
        // VmHWM is the high-water mark: the last value read before exit is the peak
        // (up to the last few milliseconds).
        if let Ok(s) = std::fs::read_to_string(&status) {
            if let Some(kb) = s
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Took {
        wall: t.elapsed(),
        cpu,
        peak_kb: peak,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let seeds = seeds();
    let tmp = tempfile::tempdir().unwrap();

    let mb = env_mb("JIAOHE_BENCH_MB", 20);
    let dir = tmp.path().join("throughput");
    let (bytes, files) = fill(&dir, &seeds, mb);
    let mbytes = bytes as f64 / 1e6;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "吞吐量：{files} 个文件，{mbytes:.1} MB；{} 核，开始时负载 {}",
        jiaohe::batch::default_jobs(),
        load.split_whitespace().next().unwrap_or("?")
    );
    for jobs in [1, 2, 4] {
        let runs: Vec<Took> = (0..3).map(|_| run(&dir, jobs)).collect();
        let secs = median(runs.iter().map(|t| t.wall.as_secs_f64()).collect());
        let cpu = median(runs.iter().map(|t| t.cpu).collect());
        println!(
            "  --jobs {jobs}: {secs:.2} s，{:.1} MB/s，{:.0} 个文件/s（CPU {cpu:.2} s，每 CPU 秒 {:.1} MB）",
            mbytes / secs,
            files as f64 / secs,
            mbytes / cpu.max(0.01)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();

    println!("峰值内存（--jobs 2）：");
    for mb in [
        env_mb("JIAOHE_BENCH_SMALL_MB", 20),
        env_mb("JIAOHE_BENCH_LARGE_MB", 200),
    ] {
        let dir = tmp.path().join(format!("memory-{mb}"));
        let (bytes, files) = fill(&dir, &seeds, mb);
        let t = run(&dir, 2);
        println!(
            "  {:.0} MB，{files} 个文件：峰值 {:.1} MB，用时 {:.1} s（CPU {:.1} s）",
            bytes as f64 / 1e6,
            t.peak_kb as f64 / 1024.0,
            t.wall.as_secs_f64(),
            t.cpu
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
