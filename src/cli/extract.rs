//! `jiaohe extract`.

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;

use super::{load_all, parse_date};
use crate::extract::{self, ExtractOptions};
use crate::load::LoadOptions;
use crate::report::extract_out::{self, ExtractFormat};

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
    /// 保留网页和网页文本中的导航、工具栏、页脚、相关链接、广告（默认识别后跳过）
    #[arg(long)]
    pub keep_boilerplate: bool,
}

/// `jiaohe extract`.
pub fn run(args: &ExtractArgs, out: &mut dyn Write) -> io::Result<i32> {
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        ExtractFormat::Table
    } else {
        ExtractFormat::Json
    });
    let options = ExtractOptions { date: args.date };
    let load = LoadOptions {
        keep_boilerplate: args.keep_boilerplate,
    };
    let (sources, errors) = load_all(&args.files, &load);
    let files: Vec<_> = sources
        .into_iter()
        .map(|s| extract::extract(s, &options).facts)
        .collect();
    extract_out::write(out, format, &files, &errors)?;
    out.flush()?;
    Ok(if errors.is_empty() { 0 } else { 2 })
}
