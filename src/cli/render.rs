//! `jiaohe render`: draft a report from data, self-check it, write it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{RuleArgs, load_rules, parse_date, print_rule_errors};
use crate::render::data::{self, ReportData};
use crate::render::output::Format;
use crate::render::{self as rendering, Renderer, TemplateChoice};
use crate::report::{FileReport, Summary, human};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "退出码：0 已写出；1 数据矛盾或自检发现错误（未写出，除非 --allow-errors）；2 数据、模板或用法有误。"
)]
pub struct RenderArgs {
    /// 数据文件：.yaml、.yml、.json、.csv、.xlsx，或 jiaohe extract 的 yaml/json 输出
    pub data: PathBuf,
    /// 模板：内置模板名（annual-review、quarterly-brief、work-summary-plan、bulletin-industry）或模板文件；默认取数据中的 report.template
    #[arg(long, short = 't', value_name = "NAME|FILE")]
    pub template: Option<String>,
    /// 输出文件；与 --each 同用时为文件夹（以 / 结尾）。不给则写到标准输出
    #[arg(long, short = 'o', value_name = "FILE|DIR/")]
    pub output: Option<PathBuf>,
    /// 允许覆盖已存在的输出文件
    #[arg(long)]
    pub force: bool,
    /// 输出格式；不给时按 -o 的扩展名判断，否则为 txt
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// 按指标的某个字段分组，每组写一份报告（如 --each scope：每个县一份）
    #[arg(long, value_name = "FIELD")]
    pub each: Option<String>,
    /// 数据矛盾或自检有错误时仍然写出
    #[arg(long)]
    pub allow_errors: bool,
    /// 成文日期（YYYY-MM-DD），覆盖数据中的 date，也用于自检
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

fn fail(msg: impl std::fmt::Display) -> io::Result<i32> {
    let _ = writeln!(io::stderr(), "错误：{msg}");
    Ok(2)
}

/// A file-name-safe version of a group key.
fn file_stem(key: &str) -> String {
    key.chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// `jiaohe render`.
pub fn run(args: &RenderArgs, out: &mut dyn Write) -> io::Result<i32> {
    let data = match data::read_path(&args.data) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let choice = match TemplateChoice::resolve(args.template.as_deref(), &data) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(o)) if args.each.is_none() => {
            let ext = o.extension().and_then(|e| e.to_str()).unwrap_or("");
            match Format::from_extension(ext) {
                Some(f) => f,
                None => {
                    return fail(format!(
                        "无法从输出文件名“{}”判断格式，请用 --format 指定（txt、md、html、docx）",
                        o.display()
                    ));
                }
            }
        }
        _ => Format::Txt,
    };
    // Where each draft goes, decided (and overwrites refused) before any work.
    let sets: Vec<(Option<String>, ReportData)> = match &args.each {
        Some(field) => match data::split_each(&data, field) {
            Ok(v) => v.into_iter().map(|(k, d)| (Some(k), d)).collect(),
            Err(e) => return fail(e),
        },
        None => vec![(None, data)],
    };
    let targets: Vec<Option<PathBuf>> = match (&args.output, &args.each) {
        (None, _) => vec![None; sets.len()],
        (Some(o), None) => vec![Some(o.clone())],
        (Some(dir), Some(_)) => {
            if dir.is_file() {
                return fail(format!(
                    "--each 的 -o 应为文件夹，“{}”是已存在的文件",
                    dir.display()
                ));
            }
            sets.iter()
                .map(|(k, _)| {
                    Some(dir.join(format!(
                        "{}.{}",
                        file_stem(k.as_deref().unwrap_or("report")),
                        format.extension()
                    )))
                })
                .collect()
        }
    };
    if format == Format::Docx && targets.iter().any(Option::is_none) {
        return fail("Word 格式（docx）需要用 -o 指定输出文件");
    }
    if !args.force {
        if let Some(p) = targets.iter().flatten().find(|p| p.exists()) {
            return fail(format!(
                "输出文件“{}”已存在，未覆盖；确需覆盖请加 --force",
                p.display()
            ));
        }
    }
    let rules = match load_rules(&args.rule_args) {
        Ok(r) => r,
        Err(errors) => {
            print_rule_errors(&errors);
            return Ok(2);
        }
    };
    let (renderer, name) = match Renderer::for_choice(&choice) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut code = 0;
    let many = sets.len() > 1;
    for ((key, set), target) in sets.into_iter().zip(targets) {
        let shown = match (&target, &key) {
            (Some(p), _) => p.display().to_string(),
            (None, Some(k)) => format!("<{k}>"),
            (None, None) => "<草稿>".to_owned(),
        };
        let draft = match rendering::draft(&renderer, &name, set, &rules, args.date, &shown) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(io::stderr(), "错误：{shown}：{e}");
                code = 2;
                continue;
            }
        };
        report_draft(&draft, &shown);
        if draft.errors() > 0 && !args.allow_errors {
            let _ = writeln!(
                io::stderr(),
                "{shown}：发现 {} 处错误，未写出（核对数据后重试，或加 --allow-errors 仍然写出）",
                draft.errors()
            );
            code = code.max(1);
            continue;
        }
        match target {
            Some(p) => {
                let bytes = draft.to_bytes(format)?;
                if let Err(e) = write_file(&p, &bytes) {
                    let _ = writeln!(
                        io::stderr(),
                        "错误：无法写出“{}”：{}",
                        p.display(),
                        crate::load::io_reason(&e)
                    );
                    code = 2;
                    continue;
                }
                let _ = writeln!(io::stderr(), "已写出 {}", p.display());
            }
            None => {
                if many {
                    writeln!(out, "===== {} =====", key.as_deref().unwrap_or(""))?;
                }
                let text = draft.to_text(format).unwrap_or_default();
                out.write_all(text.as_bytes())?;
                if many {
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(code)
}

fn write_file(p: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = p.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    std::fs::write(p, bytes)
}

/// Prints computed figures, data issues and self-check findings on stderr.
fn report_draft(draft: &rendering::Draft, shown: &str) {
    let mut err = io::stderr();
    let mut computed = Vec::new();
    rendering::api::collect_computed(&draft.data.indicators, &mut computed);
    if !computed.is_empty() {
        let _ = writeln!(
            err,
            "{shown}：以下数字由其他数字算出：{}",
            computed.join("；")
        );
    }
    for i in &draft.issues {
        let _ = writeln!(err, "{shown}：数据{i}");
    }
    let r: &FileReport = &draft.check.report;
    if !r.diagnostics.is_empty() {
        let text = draft.check.extraction.doc.source.text.as_str();
        let texts = [human::WithText { report: r, text }];
        let summary = Summary::of(std::slice::from_ref(r), 0);
        let _ = write!(
            err,
            "{}",
            human::render(
                &texts,
                &summary,
                human::Style {
                    color: false,
                    width: 100
                }
            )
        );
    }
}
