//! Folders and batches: a generated folder of 2,000 small documents is checked with
//! `--jobs 1` and `--jobs 4` and must give byte-identical output; ignore files,
//! `--glob` and unreadable files behave as documented; `--across` fires on the
//! inconsistent pairs and stays silent on the consistent ones (snapshots).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn jiaohe_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const DOCS: usize = 2_000;

/// Documents with a deliberate breakdown error: every 97th.
fn is_wrong(i: usize) -> bool {
    i % 97 == 5
}

/// A small invented report; place and figures vary with `i`.
fn document(i: usize) -> String {
    let place = ["示例市", "示例县", "示例区"][i % 3];
    let total = 40 + i % 50;
    let a = 10 + i % 7;
    let b = 12 + i % 5;
    let other = if is_wrong(i) {
        total - a - b + 3
    } else {
        total - a - b
    };
    format!(
        "{place}第{i}号工作简报\n\n2025年，{place}共梳理企业诉求{total}条，其中融资类{a}条，用工类{b}条，其他类{other}条。\
         全年新增市场主体{}户。\n",
        1000 + i
    )
}

/// Builds the folder: 2,000 documents in 20 subfolders, one binary file, one file
/// ignored by `.gitignore`, one excluded by `--glob`, and files of other types.
fn corpus(root: &Path) {
    for i in 0..DOCS {
        write(
            &root.join(format!("第{:02}组/简报{i:04}.txt", i % 20)),
            document(i),
        );
    }
    write(&root.join("第03组/坏文件.txt"), b"\x00\x01\x02binary\x00");
    write(&root.join(".gitignore"), "草稿.txt\n");
    write(&root.join("第07组/草稿.txt"), document(5));
    write(&root.join("旧稿/简报9999.txt"), document(5));
    write(&root.join("第01组/图片.png"), b"\x89PNG\x00");
    write(&root.join(".隐藏/简报.txt"), document(5));
}

#[test]
fn two_thousand_documents_same_output_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    corpus(&root.join("报告"));
    let run = |jobs: &str, format: &str| {
        jiaohe_in(
            root,
            &[
                "check",
                "报告",
                "--glob",
                "!旧稿/**",
                "--jobs",
                jobs,
                "-f",
                format,
            ],
        )
    };
    let one = run("1", "concise");
    let four = run("4", "concise");
    assert_eq!(one.status.code(), Some(2), "an unreadable file exits 2");
    assert_eq!(four.status.code(), Some(2));
    assert!(
        one.stdout == four.stdout,
        "--jobs 1 and --jobs 4 differ:\n{}\n---\n{}",
        String::from_utf8_lossy(&one.stdout),
        String::from_utf8_lossy(&four.stdout)
    );
    assert_eq!(one.stderr, four.stderr);
    let out = String::from_utf8(one.stdout).unwrap();
    let err = String::from_utf8(one.stderr).unwrap();
    // The unreadable file is named on stderr, in Chinese, and counted.
    assert!(
        err.contains("坏文件.txt") && err.contains("二进制"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.contains("；1 个文件无法读取"), "{out}");
    // Ignored, excluded, hidden and non-document files are not read.
    for absent in ["草稿", "旧稿", "隐藏", "图片"] {
        assert!(!out.contains(absent), "{absent} was read:\n{out}");
    }
    // Exactly the deliberately wrong documents are reported, in path order.
    let mut expected: Vec<String> = (0..DOCS)
        .filter(|&i| is_wrong(i))
        .map(|i| format!("报告/第{:02}组/简报{i:04}.txt:3:", i % 20))
        .collect();
    expected.sort();
    let found: Vec<&str> = out.lines().filter(|l| l.contains(" A101 ")).collect();
    assert_eq!(found.len(), expected.len(), "{out}");
    for (line, want) in found.iter().zip(&expected) {
        assert!(line.starts_with(want.as_str()), "{line} vs {want}");
    }
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with(&format!("共检查 {DOCS} 个文件：错误 {} 处", expected.len())),
        "{out}"
    );

    // JSON for the whole folder is one valid document, identical across jobs.
    let j1 = run("1", "json");
    let j4 = run("4", "json");
    assert!(
        j1.stdout == j4.stdout,
        "JSON differs between --jobs 1 and 4"
    );
    let v: serde_json::Value = serde_json::from_slice(&j4.stdout).expect("one JSON document");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(DOCS));
    assert_eq!(v["summary"]["unreadable"], 1);
    assert_eq!(v["summary"]["errors"], expected.len());
    assert_eq!(v["errors"][0]["path"], "报告/第03组/坏文件.txt");
}

#[test]
fn extract_folders_stream_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for i in 0..60 {
        write(&root.join(format!("d/{}/{i:02}.md", i % 4)), document(i));
    }
    write(&root.join("d/.ignore"), "0/\n");
    let run =
        |jobs: &str, format: &str| jiaohe_in(root, &["extract", "d", "-j", jobs, "-f", format]);
    for format in ["jsonl", "json", "csv", "yaml"] {
        let a = run("1", format);
        let b = run("3", format);
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(a.stdout == b.stdout, "{format} differs between jobs");
        assert!(a.stderr.is_empty(), "no progress bar off a terminal");
    }
    let v: serde_json::Value = serde_json::from_slice(&run("2", "json").stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // `.ignore` drops folder 0; the rest in path order.
    assert_eq!(paths.len(), 45);
    assert!(paths.iter().all(|p| !p.starts_with("d/0/")));
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(paths, sorted);
    assert_eq!(paths[0], "d/1/01.md");
}

#[test]
fn bad_glob_and_missing_folder_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("d/a.txt"), document(1));
    let out = jiaohe_in(dir.path(), &["check", "d", "--glob", "a{", "-f", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--glob 模式“a{”写法不对"), "{err}");
    let out = jiaohe_in(dir.path(), &["check", "没有这个目录", "-f", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("文件不存在"));
}

/// Two years of invented reports: consistent and inconsistent pairs.
fn across_fixture(root: &Path) {
    write(
        &root.join("2024年报告.txt"),
        "发布日期：2025-01-20\n\
         2024年，示例市一般公共预算收入50亿元。\n\
         2024年，示例市社会消费品零售总额400亿元。\n\
         2024年，示例市地区生产总值1000亿元。\n\
         2024年，示例市高新技术企业总数达到152家。\n\
         2024年，示例县一般公共预算收入8亿元。\n",
    );
    write(
        &root.join("2025年报告.txt"),
        "发布日期：2025-12-30\n\
         2025年，示例市一般公共预算收入60亿元，比上年增长12.0%。\n\
         2025年，示例市社会消费品零售总额420亿元，比上年增长5.0%。\n\
         2025年，示例市地区生产总值1080亿元，比上年增长6.0%。\n\
         2024年，示例市高新技术企业总数为125家。\n\
         2025年，示例县一般公共预算收入9亿元，比上年增长12.5%。\n",
    );
}

#[test]
fn across_fires_on_the_wrong_pairs_only() {
    let dir = tempfile::tempdir().unwrap();
    across_fixture(dir.path());
    let files = ["2024年报告.txt", "2025年报告.txt"];
    // Without --across nothing compares the files.
    let mut args = vec!["check", "-f", "concise"];
    args.extend(files);
    let alone = jiaohe_in(dir.path(), &args);
    assert_eq!(
        alone.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&alone.stdout)
    );

    let mut args = vec!["check", "--across", "-f", "concise"];
    args.extend(files);
    let out = jiaohe_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    // Wrong: the fiscal growth (A162) and the enterprise count (A160). Right: retail
    // sales 400 → 420 is +5.0%; GDP's 6.0% real growth against 8% nominal is within
    // price effects; the county's figures are consistent and never meet the city's.
    let rules: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(' ').nth(1))
        .filter(|r| r.starts_with('A'))
        .collect();
    assert_eq!(rules, ["A162", "A160"], "{text}");
    insta::assert_snapshot!("across_concise", text);

    let mut args = vec!["check", "--across", "--color", "never"];
    args.extend(files);
    let human = jiaohe_in(dir.path(), &args);
    insta::assert_snapshot!("across_human", String::from_utf8(human.stdout).unwrap());

    // JSON: the cross-document findings name both files.
    let mut args = vec!["check", "--across", "-f", "json"];
    args.extend(files);
    let v: serde_json::Value =
        serde_json::from_slice(&jiaohe_in(dir.path(), &args).stdout).unwrap();
    let across = v["across"].as_array().unwrap();
    assert_eq!(across.len(), 2);
    assert_eq!(across[0]["path"], "2025年报告.txt");
    assert!(
        across[0]["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["path"] == "2024年报告.txt")
    );
    assert_eq!(v["summary"]["errors"], 2);

    // SARIF: the related location is in the other file, with its region.
    let mut args = vec!["check", "--across", "-f", "sarif"];
    args.extend(files);
    let v: serde_json::Value =
        serde_json::from_slice(&jiaohe_in(dir.path(), &args).stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rel = &results[0]["relatedLocations"][1]["physicalLocation"];
    assert_eq!(rel["artifactLocation"]["uri"], "2024年报告.txt");
    assert_eq!(rel["region"]["startLine"], 2);
    assert_eq!(rel["region"]["endLine"], 2);
}

#[test]
fn across_revised_figures_warn() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.txt"),
        "发布日期：2025-01-20\n2024年，示例市地区生产总值1000亿元。\n",
    );
    write(
        &dir.path().join("b.txt"),
        "发布日期：2026-01-18\n2024年，示例市地区生产总值1012亿元。\n",
    );
    let out = jiaohe_in(
        dir.path(),
        &["check", "--across", "-f", "concise", "a.txt", "b.txt"],
    );
    // A warning does not fail the run at the default --fail-on error.
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("across_revised", text);
    assert!(text.contains(" A161 [警告]"), "{text}");
}

/// `自治区` names many regions: two reports that both call themselves so are about
/// different places and are never compared.
#[test]
fn across_never_compares_shared_place_names() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("甲.txt"),
        "2025年，自治区地区生产总值5696亿元。\n",
    );
    write(
        &dir.path().join("乙.txt"),
        "2025年，自治区地区生产总值2.15万亿元。\n",
    );
    write(
        &dir.path().join("丙.txt"),
        "2025年，示例市地区生产总值5696亿元。\n",
    );
    write(
        &dir.path().join("丁.txt"),
        "2025年，示例市地区生产总值2.15万亿元。\n",
    );
    let out = jiaohe_in(
        dir.path(),
        &[
            "check", "--across", "-f", "concise", "甲.txt", "乙.txt", "丙.txt", "丁.txt",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let found: Vec<&str> = text.lines().filter(|l| l.contains(" A160 ")).collect();
    assert_eq!(found.len(), 1, "{text}");
    assert!(found[0].starts_with("丁.txt:1:"), "{text}");
}
