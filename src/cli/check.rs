//! `jiaohe check`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::{
    RuleArgs, check_sources, display_text, load_all, load_rules, parse_date, print_rule_errors,
};
use crate::check::baseline::Baseline;
use crate::extract::Extraction;
use crate::load::LoadOptions;
use crate::report::{FileReport, Severity, Summary, concise, html, human, json, sarif};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Concise,
    Json,
    Jsonl,
    Sarif,
    /// 带标注的 HTML 报告（单个文件，可离线打开）
    Html,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 要核对的文件；`-` 读取标准输入
    #[arg(required = true)]
    pub files: Vec<String>,
    /// 输出格式
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub format: CheckFormat,
    #[command(flatten)]
    pub rule_args: RuleArgs,
    /// 达到此级别的问题使退出码为 1
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// 列出覆盖情况：提取了多少数字、多少参与了核对、哪些含数字的分句没能读懂
    #[arg(long)]
    pub coverage: bool,
    /// 已复核问题的基线文件（YAML）
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// 把尚未列入的问题写入基线文件（复核说明留空，待复核人填写）；文件已存在时需加 --force
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// 允许 --write-baseline 改写已有文件（保留其中已有条目）
    #[arg(long)]
    pub force: bool,
    /// 文档日期（YYYY-MM-DD）
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 颜色：auto（终端上着色）、always、never
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// 保留网页和网页文本中的导航、工具栏、页脚、相关链接、广告（默认识别后跳过）
    #[arg(long)]
    pub keep_boilerplate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// `jiaohe check`.
pub fn run(args: &CheckArgs, out: &mut dyn Write) -> io::Result<i32> {
    let rules = match load_rules(&args.rule_args) {
        Ok(r) => r,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let baseline = match &args.baseline {
        Some(p) => match Baseline::load(p) {
            Ok(b) => Some(b),
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{e}");
                return Ok(2);
            }
        },
        None => None,
    };
    if let Some(p) = &args.write_baseline {
        if p.exists() && !args.force {
            let _ = writeln!(
                io::stderr(),
                "错误：基线文件 {} 已存在；如要把新问题追加进去，请加 --force（已有条目会保留）",
                p.display()
            );
            return Ok(2);
        }
    }
    let load = LoadOptions {
        keep_boilerplate: args.keep_boilerplate,
    };
    let (sources, errors) = load_all(&args.files, &load);
    let checked = check_sources(&rules, sources, args.date);
    let mut reports: Vec<FileReport> = checked.iter().map(|(_, r)| r.clone()).collect();
    if let Some(b) = &baseline {
        b.apply(&mut reports);
    }
    if let Some(p) = &args.write_baseline {
        let mut b = match Baseline::load(p) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{e}");
                return Ok(2);
            }
        };
        let added = b.record(&reports);
        let written = b
            .to_yaml()
            .and_then(|y| std::fs::write(p, y).map_err(|e| crate::load::io_reason(&e)));
        if let Err(e) = written {
            let _ = writeln!(io::stderr(), "错误：无法写入基线文件 {}：{e}", p.display());
            return Ok(2);
        }
        let _ = writeln!(
            io::stderr(),
            "已向基线文件 {} 写入 {added} 条新问题；共有 {} 条尚待填写复核说明（justification）",
            p.display(),
            b.pending()
        );
    }
    let summary = Summary::of(&reports, errors.len());
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal(),
    };
    match args.format {
        CheckFormat::Human => {
            let texts: Vec<human::WithText<'_>> = reports
                .iter()
                .zip(&checked)
                .map(|(r, (ex, _))| human::WithText {
                    report: r,
                    text: display_text(ex),
                })
                .collect();
            let width = terminal_width();
            out.write_all(
                human::render(&texts, &summary, human::Style { color, width }).as_bytes(),
            )?;
            if args.coverage {
                write_coverage(out, &reports, &checked)?;
            }
        }
        CheckFormat::Concise => {
            out.write_all(concise::render(&reports).as_bytes())?;
            writeln!(out, "{}", summary.line())?;
            if args.coverage {
                write_coverage(out, &reports, &checked)?;
            }
        }
        CheckFormat::Json => out.write_all(json::render(&reports, &errors, &summary).as_bytes())?,
        CheckFormat::Jsonl => out.write_all(json::render_lines(&reports).as_bytes())?,
        CheckFormat::Html => {
            let texts: Vec<html::WithText<'_>> = reports
                .iter()
                .zip(&checked)
                .map(|(r, (ex, _))| html::WithText {
                    report: r,
                    text: display_text(ex),
                })
                .collect();
            out.write_all(html::render(&texts, &summary).as_bytes())?;
        }
        CheckFormat::Sarif => {
            let texts: Vec<&str> = checked.iter().map(|(ex, _)| display_text(ex)).collect();
            out.write_all(sarif::render(&reports, &texts, &rules).as_bytes())?;
        }
    }
    out.flush()?;
    if !errors.is_empty() {
        return Ok(2);
    }
    let fail = threshold(args.fail_on).is_some_and(|t| summary.at_least(t) > 0);
    Ok(i32::from(fail))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(annotate_snippets::renderer::DEFAULT_TERM_WIDTH)
}

fn write_coverage(
    out: &mut dyn Write,
    reports: &[FileReport],
    checked: &[(Extraction, FileReport)],
) -> io::Result<()> {
    writeln!(out, "\n覆盖情况：")?;
    for (r, (ex, _)) in reports.iter().zip(checked) {
        let c = &r.coverage;
        writeln!(
            out,
            "  {}：提取数字 {} 个，参与核对 {} 个，未读懂的含数字分句 {} 处",
            r.path,
            c.figures,
            c.checked,
            c.unread.len()
        )?;
        let text = display_text(ex);
        for u in &c.unread {
            let snippet: String = text
                .get(u.start..u.end)
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            writeln!(out, "    {}:{}:{}  {snippet}", r.path, u.line, u.column)?;
        }
    }
    Ok(())
}
