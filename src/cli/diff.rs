//! `jiaohe diff`: findings new, still present, resolved between two drafts.

use std::io::{self, Write};

use chrono::NaiveDate;

use super::{RuleArgs, check_sources, load_all, load_rules, parse_date, print_rule_errors};

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// 旧稿
    pub old: String,
    /// 新稿
    pub new: String,
    #[command(flatten)]
    pub rule_args: RuleArgs,
    /// 输出 JSON
    #[arg(long)]
    pub json: bool,
    /// 文档日期（YYYY-MM-DD）
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
}

/// `jiaohe diff`.
pub fn run(args: &DiffArgs, out: &mut dyn Write) -> io::Result<i32> {
    let rules = match load_rules(&args.rule_args) {
        Ok(r) => r,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let (sources, errors) = load_all(
        &[args.old.clone(), args.new.clone()],
        &crate::load::LoadOptions::default(),
    );
    if !errors.is_empty() || sources.len() != 2 {
        return Ok(2);
    }
    let checked = check_sources(&rules, sources, args.date);
    let d = crate::check::baseline::diff(&checked[0].1, &checked[1].1);
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&d).unwrap_or_default()
        )?;
    } else {
        let line = |out: &mut dyn Write, tag: &str, x: &crate::report::Diagnostic, path: &str| {
            writeln!(
                out,
                "{tag} {path}:{}:{}: {} [{}] {}",
                x.span.line,
                x.span.column,
                x.rule,
                x.severity.label(),
                x.message
            )
        };
        for x in &d.new {
            line(out, "新增", x, &args.new)?;
        }
        for x in &d.still {
            line(out, "仍在", x, &args.new)?;
        }
        for x in &d.resolved {
            line(out, "已解决", x, &args.old)?;
        }
        writeln!(
            out,
            "新增 {} 处，仍在 {} 处，已解决 {} 处",
            d.new.len(),
            d.still.len(),
            d.resolved.len()
        )?;
    }
    Ok(i32::from(!d.new.is_empty()))
}
