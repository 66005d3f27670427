//! The command-line interface: argument definitions and the glue from arguments to
//! the library.
//!
//! Exit codes: `0` nothing at or above `--fail-on`; `1` findings at or above it;
//! `2` bad input (a file that cannot be read), bad rules or bad usage. A closed pipe is
//! not an error.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::check::baseline::Baseline;
use crate::check::{self, LoadOptions, RuleError, RuleSet};
use crate::extract::{self, ExtractOptions, Extraction};
use crate::load::{self, SourceFile};
use crate::report::extract_out::{self, ExtractFormat, FileError};
use crate::report::{FileReport, Severity, Summary, concise, human, json, sarif};

/// 校核：读取并核对经济报告中的数字。
#[derive(Debug, Parser)]
#[command(name = "jiaohe", version, about, long_about = None)]
#[command(after_help = "退出码：0 没有达到 --fail-on 级别的问题；1 有；2 输入、规则或用法有误。")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 提取指标陈述（期间、范围、指标、数值、变化、排名、占比、分项、目标）
    Extract(ExtractArgs),
    /// 核对数字：找出不可能同时成立的数字、需要核实的数字和体例问题
    Check(CheckArgs),
    /// 列出规则；`rules explain 代码` 显示一条规则的说明和示例；`rules check 文件` 检查规则包
    Rules(RulesArgs),
    /// 比较两稿的核对结果：新出现的、仍存在的、已解决的问题
    Diff(DiffArgs),
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

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Concise,
    Json,
    Jsonl,
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// 额外的规则包（可重复）
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
    /// 不读取当前或上级目录中的 jiaohe.yaml
    #[arg(long)]
    pub no_config: bool,
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
    /// 文档日期（YYYY-MM-DD）
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 颜色：auto（终端上着色）、always、never
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
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
    /// 检查一个规则包是否合规（语法、字段、类型、模板、条件、示例、重复代码）
    Check {
        /// 规则包文件
        file: PathBuf,
    },
}

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
        Command::Check(args) => run_check(&args, &mut out),
        Command::Rules(args) => run_rules(&args, &mut out),
        Command::Diff(args) => run_diff(&args, &mut out),
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

/// Loads every path; unreadable files are reported on stderr and listed.
pub fn load_all(paths: &[String]) -> (Vec<SourceFile>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match load::load_path(path) {
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

/// `jiaohe extract`.
pub fn run_extract(args: &ExtractArgs, out: &mut dyn Write) -> io::Result<i32> {
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        ExtractFormat::Table
    } else {
        ExtractFormat::Json
    });
    let options = ExtractOptions { date: args.date };
    let (sources, errors) = load_all(&args.files);
    let files: Vec<_> = sources
        .into_iter()
        .map(|s| extract::extract(s, &options).facts)
        .collect();
    extract_out::write(out, format, &files, &errors)?;
    out.flush()?;
    Ok(if errors.is_empty() { 0 } else { 2 })
}

/// Prints rule-pack errors with the offending line, in Chinese.
pub fn print_rule_errors(errors: &[RuleError]) {
    let mut err = io::stderr();
    for e in errors {
        let _ = writeln!(err, "错误：{e}");
        let text = if let Some((_, t)) = check::pack::DEFAULT_PACKS
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
    let config = if args.no_config {
        None
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| check::pack::find_config(&d))
    };
    RuleSet::load(&LoadOptions {
        packs: args.rules.clone(),
        config,
        no_defaults: false,
    })
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
            let ex = extract::extract_with(s, &options, &rules.table);
            let report = check::check(rules, &ex);
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

fn threshold(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// `jiaohe check`.
pub fn run_check(args: &CheckArgs, out: &mut dyn Write) -> io::Result<i32> {
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
    let (sources, errors) = load_all(&args.files);
    let checked = check_sources(&rules, sources, args.date);
    let mut reports: Vec<FileReport> = checked.iter().map(|(_, r)| r.clone()).collect();
    if let Some(b) = &baseline {
        b.apply(&mut reports);
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

/// `jiaohe rules`.
pub fn run_rules(args: &RulesArgs, out: &mut dyn Write) -> io::Result<i32> {
    if let Some(RulesAction::Check { file }) = &args.action {
        let result = RuleSet::load(&LoadOptions {
            packs: vec![file.clone()],
            config: None,
            no_defaults: false,
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
        _ => {
            for r in &rules.rules {
                writeln!(
                    out,
                    "{}  {:<34} {:<7} {}",
                    r.entry.id,
                    r.entry.name,
                    r.entry.severity.label(),
                    first_line(r.entry.doc.as_deref().unwrap_or(&r.entry.message))
                )?;
            }
            if !rules.disabled.is_empty() {
                writeln!(out, "\n已关闭：{}", rules.disabled.join("、"))?;
            }
            Ok(0)
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
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

/// `jiaohe diff`.
pub fn run_diff(args: &DiffArgs, out: &mut dyn Write) -> io::Result<i32> {
    let rules = match load_rules(&args.rule_args) {
        Ok(r) => r,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let (sources, errors) = load_all(&[args.old.clone(), args.new.clone()]);
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
