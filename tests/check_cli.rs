//! `jiaohe check`, `rules`, `diff` from the command line: outputs, exit codes, rule
//! packs, configuration and baselines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const CLEAN: &str = "examples/shili-2025-review.txt";
const DRAFT: &str = "examples/shili-2025-draft.txt";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiaohe"));
    c.env_remove("COLUMNS");
    c
}

fn jiaohe(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn jiaohe_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn manifest(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .display()
        .to_string()
}

#[test]
fn clean_report_exits_0() {
    let o = jiaohe(&["check", CLEAN, "--no-config"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("错误 0 处"), "{}", stdout(&o));
}

#[test]
fn draft_concise_and_exit_1() {
    let o = jiaohe(&["check", "-f", "concise", DRAFT, "--no-config"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("draft_concise", stdout(&o));
}

#[test]
fn draft_human_without_colour() {
    let o = jiaohe(&["check", DRAFT, "--no-config", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let s = stdout(&o);
    assert!(!s.contains('\u{1b}'), "no escape codes when colour is off");
    insta::assert_snapshot!("draft_human", s);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let o = jiaohe(&["check", DRAFT, "--no-config", "--color", "always"]);
    assert!(stdout(&o).contains('\u{1b}'));
    // Piped (auto): no colour.
    let o = jiaohe(&["check", DRAFT, "--no-config"]);
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn json_contract_and_spans() {
    let o = jiaohe(&["check", "-f", "json", DRAFT, "--no-config"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["version"], 1);
    let text = std::fs::read_to_string(DRAFT).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["path"], DRAFT);
    let diags = file["diagnostics"].as_array().unwrap();
    assert!(diags.len() >= 6);
    for d in diags {
        for k in ["rule", "name", "severity", "message", "span", "related"] {
            assert!(d.get(k).is_some(), "missing {k} in {d}");
        }
        assert!(
            d.get("suggestion").is_some(),
            "suggestion key present (may be null)"
        );
        let sev = d["severity"].as_str().unwrap();
        assert!(["error", "warning", "info"].contains(&sev));
        // Byte spans into the decoded text; line and column agree with them.
        let span = &d["span"];
        let (a, b) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && text.is_char_boundary(a) && text.is_char_boundary(b));
        let line = text[..a].matches('\n').count() + 1;
        assert_eq!(span["line"].as_u64().unwrap() as usize, line);
        let col = text[..a].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(span["column"].as_u64().unwrap() as usize, col);
        for r in d["related"].as_array().unwrap() {
            let (a, b) = (
                r["span"]["start"].as_u64().unwrap() as usize,
                r["span"]["end"].as_u64().unwrap() as usize,
            );
            assert!(text.get(a..b).is_some());
            assert!(r["label"].is_string());
        }
    }
    // The figure most likely wrong is the primary span: 12+18+10+25 = 65 ≠ 60.
    let a101 = diags.iter().find(|d| d["rule"] == "A101").unwrap();
    let (a, b) = (
        a101["span"]["start"].as_u64().unwrap() as usize,
        a101["span"]["end"].as_u64().unwrap() as usize,
    );
    assert!(a101["suggestion"].as_str().unwrap().contains("可能应为"));
    assert!(text[a..b].ends_with('条'), "{}", &text[a..b]);
    let summary = &v["summary"];
    assert_eq!(summary["files"], 1);
    assert!(summary["errors"].as_u64().unwrap() >= 6);
    assert!(summary["figures"].as_u64().unwrap() >= summary["checked"].as_u64().unwrap());
}

#[test]
fn jsonl_one_finding_per_line() {
    let o = jiaohe(&["check", "-f", "jsonl", DRAFT, "--no-config"]);
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert!(lines.len() >= 6);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
        assert!(v["rule"].is_string() && v["path"] == DRAFT, "{v}");
    }
}

#[test]
fn sarif_2_1_0() {
    let o = jiaohe(&["check", "-f", "sarif", DRAFT, "--no-config"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid SARIF JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "jiaohe");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "A101"));
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 6);
    for r in results {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
    }
}

#[test]
fn fail_on_levels() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("w.txt");
    // Only a wording warning.
    std::fs::write(&f, "截止10月底，示例市规上工业增加值增长6.1%。\n").unwrap();
    let p = f.to_str().unwrap();
    assert_eq!(jiaohe(&["check", p, "--no-config"]).status.code(), Some(0));
    let o = jiaohe(&["check", p, "--no-config", "--fail-on", "warning"]);
    assert_eq!(o.status.code(), Some(1));
    let o = jiaohe(&["check", DRAFT, "--no-config", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn coverage_lists_counts() {
    let o = jiaohe(&["check", "-f", "concise", "--coverage", DRAFT, "--no-config"]);
    let s = stdout(&o);
    assert!(s.contains("覆盖情况") && s.contains("参与核对"), "{s}");
}

#[test]
fn broken_pack_exits_2_with_location() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("bad.yaml");
    std::fs::write(
        &pack,
        "rules:\n  - id: X901\n    name: my-rule\n    kind: no-such-kind\n    severity: error\n    message: 消息\n",
    )
    .unwrap();
    let o = jiaohe(&[
        "check",
        CLEAN,
        "--no-config",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad.yaml:4:"), "file:line:column in {e}");
    assert!(e.contains("no-such-kind"), "{e}");
    // Not even YAML.
    std::fs::write(&pack, "rules: [\n").unwrap();
    let o = jiaohe(&[
        "check",
        CLEAN,
        "--no-config",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.yaml"), "{}", stderr(&o));
    let o = jiaohe(&["rules", "check", pack.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn user_pack_with_expr_rule() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("mine.yaml");
    std::fs::write(
        &pack,
        r#"rules:
  - id: X901
    name: growth-over-fifty
    kind: expr
    severity: warning
    when: "change is not none and change > 50"
    message: "{{ indicator }}增长{{ change }}%，请核实"
    help: 核实增速
    doc: 本地规则：单项增速超过百分之五十时提醒复核，防止把增量误写成增速。
    examples:
      wrong: 示例市工业投资增长56.2%。
      right: 示例市工业投资增长6.2%。
"#,
    )
    .unwrap();
    let p = pack.to_str().unwrap();
    let o = jiaohe(&["rules", "check", p]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let f = dir.path().join("t.txt");
    std::fs::write(&f, "示例市工业投资增长56.2%。\n").unwrap();
    let o = jiaohe(&[
        "check",
        "-f",
        "concise",
        f.to_str().unwrap(),
        "--no-config",
        "--rules",
        p,
    ]);
    assert!(stdout(&o).contains("X901"), "{}{}", stdout(&o), stderr(&o));
    // An unknown field in `when` is rejected at load time.
    std::fs::write(
        &pack,
        std::fs::read_to_string(&pack)
            .unwrap()
            .replace("change >", "chnage >"),
    )
    .unwrap();
    let o = jiaohe(&["rules", "check", p]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("chnage"), "{}", stderr(&o));
}

#[test]
fn config_disables_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let draft = manifest(DRAFT);
    std::fs::write(
        dir.path().join("jiaohe.yaml"),
        "disable: [A101]\nseverity:\n  W409: error\n",
    )
    .unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    // Found from a subdirectory.
    let o = jiaohe_in(&sub, &["check", "-f", "concise", &draft]);
    let s = stdout(&o);
    assert!(!s.contains("A101"), "{s}");
    assert!(s.contains("W409 [错误]"), "{s}");
    // --no-config ignores it.
    let o = jiaohe_in(&sub, &["check", "-f", "concise", &draft, "--no-config"]);
    assert!(stdout(&o).contains("A101"));
    // A severity for a rule that does not exist is an error, not silence.
    std::fs::write(dir.path().join("jiaohe.yaml"), "severity:\n  Q999: error\n").unwrap();
    let o = jiaohe_in(&sub, &["check", &draft]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Q999"), "{}", stderr(&o));
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("reviewed.yaml");
    let b = base.to_str().unwrap();
    // Record the findings.
    let o = jiaohe(&[
        "check",
        DRAFT,
        "--no-config",
        "--write-baseline",
        b,
        "-f",
        "concise",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("写入"), "{}", stderr(&o));
    // Never overwritten without --force.
    let o = jiaohe(&["check", DRAFT, "--no-config", "--write-baseline", b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    // Empty justifications do not count as reviewed.
    let o = jiaohe(&["check", DRAFT, "--no-config", "--baseline", b]);
    assert_eq!(o.status.code(), Some(1));
    // The reviewer justifies every finding: nothing left to fail on.
    let filled = std::fs::read_to_string(&base)
        .unwrap()
        .replace("justification: ''", "justification: 已向统计局核实")
        .replace("justification: \"\"", "justification: 已向统计局核实");
    std::fs::write(&base, &filled).unwrap();
    let o = jiaohe(&["check", DRAFT, "--no-config", "--baseline", b, "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["errors"], 0);
    assert!(v["summary"]["reviewed"].as_u64().unwrap() >= 6);
    // Keys do not depend on position: a line added above keeps them reviewed.
    let moved = dir.path().join("moved.txt");
    let text = std::fs::read_to_string(DRAFT).unwrap();
    std::fs::write(&moved, format!("（新增的一行说明文字）\n{text}")).unwrap();
    let o = jiaohe(&[
        "check",
        moved.to_str().unwrap(),
        "--no-config",
        "--baseline",
        b,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A broken baseline is an error with the file named.
    std::fs::write(&base, "reviewed: [ {rule: A101}\n").unwrap();
    let o = jiaohe(&["check", DRAFT, "--no-config", "--baseline", b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("reviewed.yaml"), "{}", stderr(&o));
}

#[test]
fn diff_of_two_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(DRAFT).unwrap();
    // Fix the 分别 list, break the project count further.
    let new = text
        .replace("分别增长11.2%、7.5%。", "分别增长11.2%、7.5%、9.8%。")
        .replace("全年签约项目20个", "全年签约项目21个");
    let p = dir.path().join("new.txt");
    std::fs::write(&p, new).unwrap();
    let o = jiaohe(&["diff", DRAFT, p.to_str().unwrap(), "--no-config", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let rules = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(rules("resolved").contains(&"A108".to_owned()), "{v}");
    assert!(rules("still").contains(&"A101".to_owned()), "{v}");
    // 13 + 9 = 22 > 21: still wrong but with a different total, so a new finding.
    assert!(rules("new").contains(&"A102".to_owned()), "{v}");
    let o = jiaohe(&["diff", DRAFT, p.to_str().unwrap(), "--no-config"]);
    assert!(stdout(&o).contains("已解决"), "{}", stdout(&o));
}

#[test]
fn rules_list_and_explain() {
    let o = jiaohe(&["rules", "--no-config"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.contains("A101") && s.contains("breakdown-sum-mismatch"));
    let o = jiaohe(&["rules", "explain", "A101", "--no-config"]);
    let s = stdout(&o);
    assert!(s.contains("错误示例") && s.contains("正确示例"), "{s}");
    let o = jiaohe(&["rules", "explain", "breakdown-sum-mismatch", "--no-config"]);
    assert!(stdout(&o).starts_with("A101"));
    let o = jiaohe(&["rules", "explain", "Z000", "--no-config"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Z000"));
}
