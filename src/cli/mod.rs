//! The command-line interface: argument definitions and the glue from arguments to
//! the library.
//!
//! Exit codes: `0` nothing at or above `--fail-on`; `1` findings at or above it;
//! `2` bad input (a file that cannot be read), bad rules or bad usage. A closed pipe is
//! not an error. `2` wins over `1`: a batch with an unreadable file exits 2 even when
//! other files have findings (those are still printed and counted).

mod batch;
mod check;
mod diff;
mod extract;
mod init;
mod render;
mod rules;
mod serve;

pub use batch::BatchArgs;
pub use check::{CheckArgs, CheckFormat, ColorChoice, FailOn};
pub use diff::DiffArgs;
pub use extract::ExtractArgs;
pub use init::InitArgs;
pub use render::RenderArgs;
pub use rules::{RulesAction, RulesArgs};
pub use serve::ServeArgs;

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::check::{self as checking, LoadOptions, RuleError, RuleSet};
use crate::extract::{self as extraction, ExtractOptions, Extraction};
use crate::load::{self, SourceFile};
use crate::report::FileReport;
use crate::report::extract_out::FileError;

/// 校核：读取并核对经济报告中的数字。
#[derive(Debug, Parser)]
#[command(name = "jiaohe", version, about, long_about = None)]
#[command(
    after_help = "退出码：0 没有达到 --fail-on 级别的问题；1 有；2 输入、规则或用法有误。\n\
有文件无法读取时退出码为 2（即使其他文件有问题），其余文件照常核对、输出并计数。"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 提取指标陈述（期间、范围、指标、数值、变化、排名、占比、分项、目标）
    Extract(ExtractArgs),
    /// 核对数字：找出不可能同时成立的数字、需要核实的数字和体例问题
    #[command(after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// 列出规则；`rules explain 代码` 显示一条规则的说明和示例；`rules check 文件` 检查规则包
    Rules(RulesArgs),
    /// 比较两稿的核对结果：新出现的、仍存在的、已解决的问题
    Diff(DiffArgs),
    /// 启动本机网页工作台（核对、提取的数字、起草报告、规则）
    Serve(ServeArgs),
    /// 按数据和模板起草报告，写出前自动提取并核对
    Render(RenderArgs),
    /// 写出示例数据和一份内置模板，作为起草的起点
    Init(InitArgs),
}

/// Exit codes and batch behaviour, shown by `jiaohe check --help`.
const CHECK_AFTER_HELP: &str = "目录：按路径顺序逐个核对其中的 .txt .md .html .htm .docx .csv .xlsx 文件，\
遵守 .gitignore/.ignore，跳过隐藏文件；输出顺序与 --jobs 无关。\n\
退出码：0 没有达到 --fail-on 级别的问题；1 有；2 有文件无法读取，或规则、用法有误。\
有文件无法读取时退出码为 2（即使其他文件有问题），其余文件照常核对、输出并计数。";

/// Options every command that reads rules takes.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// 额外的规则包（可重复）
    #[arg(long = "rules", value_name = "FILE", global = true)]
    pub rules: Vec<PathBuf>,
    /// 不读取当前或上级目录中的 jiaohe.yaml
    #[arg(long, global = true)]
    pub no_config: bool,
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("日期“{s}”格式不对，应为 YYYY-MM-DD，例如 2024-03-25"))
}

/// Runs the CLI with the process arguments; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let stdout = io::stdout();
    // Rust's stdout is line-buffered; reports are many short lines, so batch them. `serve`
    // keeps the plain handle so what it prints shows up at once.
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args, &mut out),
        Command::Check(args) => check::run(&args, &mut out),
        Command::Rules(args) => rules::run(&args, &mut out),
        Command::Diff(args) => diff::run(&args, &mut out),
        Command::Serve(args) => serve::run(&args, &mut io::stdout().lock()),
        Command::Render(args) => render::run(&args, &mut out),
        Command::Init(args) => init::run(&args, &mut out),
    };
    let result = result.and_then(|code| out.flush().map(|()| code));
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(io::stderr(), "错误：{e}");
            2
        }
    }
}

/// Loads every path; unreadable files are reported on stderr and listed.
pub fn load_all(
    paths: &[String],
    options: &load::LoadOptions,
) -> (Vec<SourceFile>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match load::load_path_with(path, options) {
            Ok(s) => files.push(s),
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{e}");
                errors.push(FileError {
                    path: e.path().to_owned(),
                    message: e.to_string(),
                });
            }
        }
    }
    (files, errors)
}

/// Prints rule-pack errors with the offending line, in Chinese.
pub fn print_rule_errors(errors: &[RuleError]) {
    let mut err = io::stderr();
    for e in errors {
        let _ = writeln!(err, "错误：{e}");
        let text = if let Some((_, t)) = checking::pack::DEFAULT_PACKS
            .iter()
            .find(|(p, _)| *p == e.path)
        {
            Some((*t).to_owned())
        } else {
            std::fs::read_to_string(&e.path).ok()
        };
        if let Some(line) = text
            .as_deref()
            .and_then(|t| t.lines().nth(e.line.saturating_sub(1)))
        {
            let _ = writeln!(err, "  {:>4} | {line}", e.line);
            let pad: String = line
                .chars()
                .take(e.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(err, "       | {pad}^");
        }
    }
}

/// Loads the rules for a command: embedded packs, `--rules`, and `jiaohe.yaml`.
pub fn load_rules(args: &RuleArgs) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::load(&load_options(args))
}

/// Where the rules for a command come from.
pub fn load_options(args: &RuleArgs) -> LoadOptions {
    let config = if args.no_config {
        None
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| checking::pack::find_config(&d))
    };
    LoadOptions {
        packs: args.rules.clone(),
        config,
        ..Default::default()
    }
}

/// Extracts and checks every source.
pub fn check_sources(
    rules: &RuleSet,
    sources: Vec<SourceFile>,
    date: Option<NaiveDate>,
) -> Vec<(Extraction, FileReport)> {
    let options = ExtractOptions { date };
    sources
        .into_iter()
        .map(|s| {
            let ex = extraction::extract_with(s, &options, &rules.table);
            let report = checking::check(rules, &ex);
            (ex, report)
        })
        .collect()
}

/// The text a report's spans point into.
pub fn display_text(ex: &Extraction) -> &str {
    ex.doc
        .source
        .origin
        .as_ref()
        .map_or(&ex.doc.source.text, |o| &o.original)
}
