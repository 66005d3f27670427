//! `jiaohe check`.

use std::io::{self, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ValueEnum;

use super::batch::BatchArgs;
use super::{RuleArgs, load_rules, parse_date, print_rule_errors};
use crate::check::baseline::Baseline;
use crate::report::Severity;

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
    /// 要核对的文件或目录（目录中的文档逐个核对）；`-` 读取标准输入
    #[arg(required = true)]
    pub files: Vec<String>,
    #[command(flatten)]
    pub batch: BatchArgs,
    /// 跨文件核对：比较一起核对的各文件中同一指标的数值，并用上年文件的水平值核对今年的增速
    #[arg(long)]
    pub across: bool,
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

pub(super) fn threshold(f: FailOn) -> Option<Severity> {
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
    super::batch::check(args, &rules, baseline.as_ref(), out)
}

pub(super) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(annotate_snippets::renderer::DEFAULT_TERM_WIDTH)
}
