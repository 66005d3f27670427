//! `jiaohe extract`.

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;

use super::parse_date;
use crate::load::LoadOptions;
use crate::report::extract_out::ExtractFormat;

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// 要读取的文件或目录（目录中的文档逐个读取）；`-` 读取标准输入
    #[arg(required = true)]
    pub files: Vec<String>,
    #[command(flatten)]
    pub batch: super::batch::BatchArgs,
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
    let load = LoadOptions {
        keep_boilerplate: args.keep_boilerplate,
    };
    super::batch::extract(&args.files, &args.batch, args.date, format, &load, out)
}
