//! The rule reference (`docs/rules.md`), generated from the packs and the registry.
//!
//! Each rule's wrong example is run through the whole rule set and what jiaohe says
//! about it is printed under the example, so the reference shows real output. A test
//! keeps the committed file in step with the packs (`JIAOHE_BLESS=1 cargo test
//! --test rules` rewrites it).

use std::fmt::Write as _;

use super::{RuleSet, check, registry};
use crate::extract::{ExtractOptions, extract_with};
use crate::load::SourceFile;

/// Markdown for every rule of `set`, grouped by pack.
pub fn markdown(set: &RuleSet) -> String {
    let mut s = String::new();
    s.push_str("# 规则参考\n\n");
    s.push_str(
        "本文件由 `jiaohe rules docs` 生成（`JIAOHE_BLESS=1 cargo test --test rules` 重新生成），\
         请勿手改。级别：**错误** = 这些数字不可能同时成立；**警告** = 请核实；\
         **提示** = 体例问题。\n\n",
    );
    s.push_str("| 代码 | 名称 | 级别 | 类型 | 说明 |\n|---|---|---|---|---|\n");
    for r in &set.rules {
        let e = &r.entry;
        let _ = writeln!(
            s,
            "| [{}](#{}) | `{}` | {} | `{}` | {} |",
            e.id,
            e.id.to_lowercase(),
            e.name,
            e.severity.label(),
            e.kind,
            cell(&first_sentence(e.doc.as_deref().unwrap_or(&e.message)))
        );
    }
    s.push_str("\n## 规则类型\n\n| 类型 | 检查什么 | 消息模板可用的值 |\n|---|---|---|\n");
    for k in registry::KINDS {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            k.name,
            k.summary,
            k.vars
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let mut source = "";
    for r in &set.rules {
        let e = &r.entry;
        if r.source != source {
            source = &r.source;
            let _ = write!(s, "\n## {source}\n");
        }
        let _ = write!(
            s,
            "\n### {}\n\n`{}` · {} · 类型 `{}`\n\n",
            e.id,
            e.name,
            e.severity.label(),
            e.kind
        );
        if let Some(d) = &e.doc {
            s.push_str(d.trim_end());
            s.push_str("\n\n");
        }
        let _ = writeln!(s, "- 消息：{}", e.message.trim_end());
        if let Some(h) = &e.help {
            let _ = writeln!(s, "- 建议：{}", h.trim_end());
        }
        if let Some(w) = &e.when {
            let _ = writeln!(s, "- 条件：`{}`", w.trim_end());
        }
        if let Some(x) = &e.examples {
            let _ = write!(s, "\n错误示例：\n\n> {}\n\n", x.wrong.trim_end());
            for line in said(set, &x.wrong) {
                let _ = writeln!(s, "    {line}");
            }
            let _ = write!(s, "\n正确示例：\n\n> {}\n", x.right.trim_end());
        }
    }
    s
}

/// What jiaohe reports on an example, one line per finding.
fn said(set: &RuleSet, text: &str) -> Vec<String> {
    let ex = extract_with(
        SourceFile::from_text("示例.txt", text),
        &ExtractOptions::default(),
        &set.table,
    );
    let report = check(set, &ex);
    report
        .diagnostics
        .iter()
        .map(|d| {
            let mut l = format!(
                "{}:{} {} [{}] {}",
                d.span.line,
                d.span.column,
                d.severity.label(),
                d.rule,
                d.message
            );
            if let Some(sg) = &d.suggestion {
                l.push_str(&format!("（{sg}）"));
            }
            l
        })
        .collect()
}

/// The first sentence of a (hard-wrapped) doc, on one line.
pub fn first_sentence(s: &str) -> String {
    let joined: String = s.lines().map(str::trim).collect();
    match joined.find('。') {
        Some(i) => joined[..i + '。'.len_utf8()].to_owned(),
        None => joined,
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}
