//! `jiaohe rules`: list, explain, check a pack.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{RuleArgs, load_rules, print_rule_errors};
use crate::check::{self, LoadOptions, RuleSet};

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// 列出规则（默认）
    List,
    /// 显示一条规则的说明、消息、建议和示例
    Explain {
        /// 规则代码或名称，如 A101 或 breakdown-sum-mismatch
        code: String,
    },
    /// 生成 Markdown 格式的规则参考（docs/rules.md）
    Docs,
    /// 检查一个规则包是否合规（语法、字段、类型、模板、条件、示例、重复代码）
    Check {
        /// 规则包文件
        file: PathBuf,
    },
}

/// `jiaohe rules`.
pub fn run(args: &RulesArgs, out: &mut dyn Write) -> io::Result<i32> {
    if let Some(RulesAction::Check { file }) = &args.action {
        let result = RuleSet::load(&LoadOptions {
            packs: vec![file.clone()],
            config: None,
            ..Default::default()
        });
        return match result {
            Ok(set) => {
                let n = set
                    .rules
                    .iter()
                    .filter(|r| r.source == file.display().to_string())
                    .count();
                writeln!(out, "{}：规则包合规，共 {n} 条规则", file.display())?;
                Ok(0)
            }
            Err(errors) => {
                print_rule_errors(&errors);
                writeln!(out, "{}：发现 {} 处问题", file.display(), errors.len())?;
                Ok(2)
            }
        };
    }
    let rules = match load_rules(&args.rule_args) {
        Ok(r) => r,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    match &args.action {
        Some(RulesAction::Explain { code }) => {
            let Some(r) = rules.get(code) else {
                let _ = writeln!(
                    io::stderr(),
                    "错误：没有代码或名称为“{code}”的规则（用 jiaohe rules 列出全部规则）"
                );
                return Ok(2);
            };
            out.write_all(explain(r).as_bytes())?;
            Ok(0)
        }
        Some(RulesAction::Docs) => {
            out.write_all(check::docs::markdown(&rules).as_bytes())?;
            Ok(0)
        }
        _ => {
            for r in &rules.rules {
                writeln!(
                    out,
                    "{}  {:<34} {:<7} {}",
                    r.entry.id,
                    r.entry.name,
                    r.entry.severity.label(),
                    check::docs::first_sentence(r.entry.doc.as_deref().unwrap_or(&r.entry.message))
                )?;
            }
            if !rules.disabled.is_empty() {
                writeln!(out, "\n已关闭：{}", rules.disabled.join("、"))?;
            }
            Ok(0)
        }
    }
}

/// The documentation of one rule, as `rules explain` prints it.
pub fn explain(r: &check::Rule) -> String {
    let e = &r.entry;
    let mut s = format!(
        "{} {}（{}，类型 {}，来自 {}）\n\n",
        e.id,
        e.name,
        e.severity.label(),
        e.kind,
        r.source
    );
    if let Some(d) = &e.doc {
        s.push_str(d.trim_end());
        s.push_str("\n\n");
    }
    s.push_str(&format!("消息：{}\n", e.message));
    if let Some(h) = &e.help {
        s.push_str(&format!("建议：{h}\n"));
    }
    if let Some(w) = &e.when {
        s.push_str(&format!("条件：{w}\n"));
    }
    if let Some(x) = &e.examples {
        s.push_str(&format!("\n错误示例：{}\n正确示例：{}\n", x.wrong, x.right));
    }
    s
}
