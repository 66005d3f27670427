//! The command-line interface: argument definitions and the glue from arguments to
//! the library. Exit codes: 0 = nothing at or above `--fail-on`, 1 = findings,
//! 2 = bad input, bad rules or bad usage. A closed pipe is not an error.

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::extract::{self, ExtractOptions};
use crate::load;
use crate::report::extract_out::{self, ExtractFormat, FileError};

/// 校核：读取并核对经济报告中的数字。
#[derive(Debug, Parser)]
#[command(name = "jiaohe", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 提取指标陈述（期间、范围、指标、数值、变化、排名、占比、分项、目标）
    Extract(ExtractArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// 要读取的文件；`-` 读取标准输入
    #[arg(required = true)]
    pub files: Vec<String>,
    /// 输出格式（终端默认 table，否则 json）
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ExtractFormat>,
    /// 文档日期（YYYY-MM-DD），用于解析“去年”“今年”等，优先于文中找到的日期
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
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
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Extract(args) => run_extract(&args, &mut out),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(io::stderr(), "错误：{e}");
            2
        }
    }
}

/// `jiaohe extract`.
pub fn run_extract(args: &ExtractArgs, out: &mut dyn Write) -> io::Result<i32> {
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        ExtractFormat::Table
    } else {
        ExtractFormat::Json
    });
    let options = ExtractOptions { date: args.date };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        match load::load_path(path) {
            Ok(source) => files.push(extract::extract(source, &options).facts),
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{e}");
                errors.push(FileError {
                    path: e.path().to_owned(),
                    message: e.to_string(),
                });
            }
        }
    }
    extract_out::write(out, format, &files, &errors)?;
    out.flush()?;
    Ok(if errors.is_empty() { 0 } else { 2 })
}
