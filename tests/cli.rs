//! The command-line interface: formats, stdin, errors, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn jiaohe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn jiaohe_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

const EXAMPLE: &str = "examples/shili-2025-review.txt";

#[test]
fn clap_definition_is_consistent() {
    use clap::CommandFactory;
    jiaohe::cli::Cli::command().debug_assert();
}

#[test]
fn json_contract() {
    let out = jiaohe(&["extract", EXAMPLE, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    let file = &v["files"][0];
    assert_eq!(file["path"], EXAMPLE);
    assert_eq!(file["date"]["date"], "2026-01-18");
    let statements = file["statements"].as_array().expect("statements");
    assert!(statements.len() >= 20, "{}", statements.len());
    // Every span points at the text it claims, in the file as decoded.
    let text = std::fs::read_to_string(EXAMPLE).expect("example");
    for s in statements {
        let (a, b) = (
            s["span"]["start"].as_u64().unwrap() as usize,
            s["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[a..b], s["text"].as_str().unwrap());
        if let Some(v) = s.get("value").filter(|v| !v.is_null()) {
            let (a, b) = (
                v["span"]["start"].as_u64().unwrap() as usize,
                v["span"]["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[a..b], v["text"].as_str().unwrap());
        }
    }
    let first = &statements[0];
    assert_eq!(first["indicator"]["text"], "规模以上工业总产值");
    assert_eq!(first["value"]["number"], 1286.4);
    assert_eq!(first["value"]["written"], "1286.4");
    assert_eq!(first["value"]["decimals"], 1);
    assert_eq!(first["value"]["unit"], "元");
    assert_eq!(first["value"]["magnitude"], "亿");
    assert_eq!(first["change"]["basis"], "同比");
    assert_eq!(first["span"]["line"], 4);
}

#[test]
fn jsonl_csv_yaml_and_table() {
    let out = jiaohe(&["extract", EXAMPLE, "-f", "jsonl"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(lines.len() >= 20);
    assert!(lines.iter().all(|l| l["path"] == EXAMPLE));

    let out = jiaohe(&["extract", EXAMPLE, "-f", "csv"]);
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("path,id,parent,line,column"));
    assert!(csv.contains("规模以上工业总产值"));

    let out = jiaohe(&["extract", EXAMPLE, "-f", "yaml"]);
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(yaml.starts_with("version: 1"));

    let out = jiaohe(&["extract", EXAMPLE, "-f", "table"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("规模以上工业总产值") && table.contains("1286.4亿元"));
}

#[test]
fn stdin_and_encodings() {
    let out = jiaohe_stdin(
        &["extract", "-", "-f", "json"],
        "去年全市新增企业12家。".as_bytes(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert_eq!(v["files"][0]["statements"][0]["value"]["number"], 12);

    // GB18030 input and a date given on the command line.
    let (gbk, _, _) = encoding_rs::GB18030.encode("去年，示例市规上工业增加值增长6.5%。");
    let out = jiaohe_stdin(
        &["extract", "-", "-f", "json", "--date", "2025-03-01"],
        &gbk,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let file = &v["files"][0];
    assert_eq!(file["encoding"], "gb18030");
    assert_eq!(file["statements"][0]["period"]["start"], "2024-01-01");
    assert_eq!(file["statements"][0]["period"]["relative"], "去年");
}

#[test]
fn bad_input_is_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("image.png");
    std::fs::write(&bin, [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2]).expect("write");
    let out = jiaohe(&[
        "extract",
        bin.to_str().unwrap(),
        EXAMPLE,
        "-f",
        "json",
        "/no/such/file.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("image.png") && err.contains("二进制"), "{err}");
    assert!(
        err.contains("/no/such/file.txt") && err.contains("文件不存在"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_usage_exits_2_in_chinese() {
    let out = jiaohe(&["extract", EXAMPLE, "--date", "2025/13/01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("格式不对"));
}
