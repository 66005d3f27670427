//! `check` and `extract` over many inputs: folders walked ([`crate::walk`]), files
//! processed in parallel windows ([`crate::batch`]), output streamed in input order.
//!
//! Each worker loads, extracts (and checks) one file and renders its part of the
//! output; the calling thread only writes the rendered bytes, so output does not
//! depend on `--jobs`, and nothing of a file is kept after its output is written
//! except its counts — and, with `--across`, its comparable statements
//! ([`crate::check::across::AcrossDoc`]), and with `--coverage`, its coverage lines.
//! JSON, YAML and SARIF documents are written incrementally and are the same bytes
//! as the one-shot renderers produce.

use std::io::{self, IsTerminal, Write};

use chrono::NaiveDate;

use super::check::{CheckArgs, CheckFormat, ColorChoice};
use super::{check_sources, display_text};
use crate::batch::Batch;
use crate::check::RuleSet;
use crate::check::across::{self, AcrossDoc};
use crate::check::baseline::Baseline;
use crate::extract::{self as extraction, ExtractOptions};
use crate::load::{self, LoadOptions, SourceFile};
use crate::report::extract_out::{self, ExtractFormat, FileError};
use crate::report::{FileReport, Summary, concise, html, human, json, sarif};
use crate::walk::{Input, Inputs, WalkOptions};

/// Options for folders and batches, shared by `check` and `extract`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BatchArgs {
    /// 只处理与模式匹配的文件（以 ! 开头则排除），模式相对于所给目录，可重复；
    /// 只作用于在目录中找到的文件，命令行上直接给出的文件总会处理
    #[arg(long = "glob", value_name = "PATTERN", allow_hyphen_values = true)]
    pub globs: Vec<String>,
    /// 同时处理的文件数（默认：CPU 核数）；输出顺序与此无关
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

impl BatchArgs {
    fn walk(&self) -> WalkOptions {
        WalkOptions {
            globs: self.globs.clone(),
        }
    }

    /// The inputs of `paths`, and the batch to run them in. The inputs are counted
    /// first only when a progress bar could be shown.
    fn start(&self, paths: &[String]) -> Result<(Inputs, Batch), String> {
        let total = io::stderr()
            .is_terminal()
            .then(|| Inputs::new(paths, &self.walk()).count() as u64);
        let batch = Batch::new(self.jobs.unwrap_or(0), total)?;
        Ok((Inputs::new(paths, &self.walk()), batch))
    }
}

/// The text spans point into, for a freshly loaded file.
fn source_text(s: &SourceFile) -> &str {
    s.origin.as_ref().map_or(&s.text, |o| &o.original)
}

fn load_input(input: Input, options: &LoadOptions) -> Result<SourceFile, FileError> {
    match input {
        Input::Error { path, message } => Err(FileError { path, message }),
        Input::Path(p) => load::load_path_with(&p, options).map_err(|e| FileError {
            path: e.path().to_owned(),
            message: e.to_string(),
        }),
    }
}

fn report_error(batch: &Batch, e: &FileError) {
    batch.suspend(|| {
        let _ = writeln!(io::stderr(), "错误：{}", e.message);
    });
}

/// Adds one run's counts to another's.
fn add(total: &mut Summary, s: &Summary) {
    total.files += s.files;
    total.errors += s.errors;
    total.warnings += s.warnings;
    total.infos += s.infos;
    total.reviewed += s.reviewed;
    total.unreadable += s.unreadable;
    total.figures += s.figures;
    total.checked += s.checked;
}

/// What a worker hands back for one input of `check`.
enum Checked {
    Done {
        summary: Summary,
        /// The rendered output (SARIF: one string per result).
        chunks: Vec<String>,
        coverage: Option<String>,
        across: Option<AcrossDoc>,
        /// The report itself, kept for `--write-baseline` and for the HTML page (with
        /// the text), which need every file at the end.
        kept: Option<Box<(FileReport, Option<String>)>>,
    },
    Failed(FileError),
}

/// Coverage lines of one file (`--coverage`).
fn coverage_lines(r: &FileReport, text: &str) -> String {
    use std::fmt::Write as _;
    let c = &r.coverage;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {}：提取数字 {} 个，参与核对 {} 个，未读懂的含数字分句 {} 处",
        r.path,
        c.figures,
        c.checked,
        c.unread.len()
    );
    for u in &c.unread {
        let snippet: String = text
            .get(u.start..u.end)
            .unwrap_or("")
            .chars()
            .take(40)
            .collect();
        let _ = writeln!(out, "    {}:{}:{}  {snippet}", r.path, u.line, u.column);
    }
    out
}

struct CheckJob<'a> {
    args: &'a CheckArgs,
    rules: &'a RuleSet,
    baseline: Option<&'a Baseline>,
    style: human::Style,
}

impl CheckJob<'_> {
    fn one(&self, input: Input) -> Checked {
        let load = LoadOptions {
            keep_boilerplate: self.args.keep_boilerplate,
        };
        let source = match load_input(input, &load) {
            Ok(s) => s,
            Err(e) => return Checked::Failed(e),
        };
        let path = source.path.clone();
        let Some((ex, mut report)) = check_sources(self.rules, vec![source], self.args.date).pop()
        else {
            return Checked::Failed(FileError {
                message: format!("{path}：核对没有结果"),
                path,
            });
        };
        if let Some(b) = self.baseline {
            b.apply(std::slice::from_mut(&mut report));
        }
        let text = display_text(&ex);
        let one = std::slice::from_ref(&report);
        let chunks = match self.args.format {
            CheckFormat::Human => vec![human::render_file(
                &human::WithText {
                    report: &report,
                    text,
                },
                self.style,
            )],
            CheckFormat::Concise => vec![concise::render(one)],
            CheckFormat::Json => vec![json::file_chunk(&report)],
            CheckFormat::Jsonl => vec![json::render_lines(one)],
            CheckFormat::Sarif => sarif::result_chunks(&report, text, self.rules, &[]),
            CheckFormat::Html => Vec::new(),
        };
        let coverage = (self.args.coverage
            && matches!(self.args.format, CheckFormat::Human | CheckFormat::Concise))
        .then(|| coverage_lines(&report, text));
        let across = self
            .args
            .across
            .then(|| AcrossDoc::of(&ex, &self.rules.table));
        let html = self.args.format == CheckFormat::Html;
        let summary = Summary::of(one, 0);
        let kept = (html || self.args.write_baseline.is_some())
            .then(|| Box::new((report, html.then(|| text.to_owned()))));
        Checked::Done {
            summary,
            chunks,
            coverage,
            across,
            kept,
        }
    }
}

/// Texts of the files the cross-document findings point into, loaded again (their
/// texts were not kept while the batch ran).
fn across_texts(reports: &[FileReport], options: &LoadOptions) -> Vec<(String, String)> {
    let mut paths: Vec<&str> = Vec::new();
    for r in reports {
        paths.push(&r.path);
        for d in &r.diagnostics {
            paths.extend(d.related.iter().filter_map(|x| x.path.as_deref()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(*p));
    paths
        .into_iter()
        .filter_map(|p| {
            let s = load::load_path_with(p, options).ok()?;
            Some((p.to_owned(), source_text(&s).to_owned()))
        })
        .collect()
}

/// `jiaohe check` over every input.
pub fn check(
    args: &CheckArgs,
    rules: &RuleSet,
    baseline: Option<&Baseline>,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let (inputs, batch) = match args.batch.start(&args.files) {
        Ok(x) => x,
        Err(m) => {
            let _ = writeln!(io::stderr(), "错误：{m}");
            return Ok(2);
        }
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal(),
    };
    let job = CheckJob {
        args,
        rules,
        baseline,
        style: human::Style {
            color,
            width: super::check::terminal_width(),
        },
    };
    let mut summary = Summary::default();
    let mut errors: Vec<FileError> = Vec::new();
    let mut coverage: Vec<String> = Vec::new();
    let mut docs: Vec<AcrossDoc> = Vec::new();
    let mut kept: Vec<(FileReport, Option<String>)> = Vec::new();
    let mut json_stream = None;
    let mut sarif_stream = None;
    match args.format {
        CheckFormat::Json => json_stream = Some(json::Stream::begin(out)?),
        CheckFormat::Sarif => sarif_stream = Some(sarif::Stream::begin(out, rules)?),
        _ => {}
    }
    batch.run(
        inputs,
        |input| job.one(input),
        |item| {
            match item {
                Checked::Failed(e) => {
                    report_error(&batch, &e);
                    errors.push(e);
                }
                Checked::Done {
                    summary: s,
                    chunks,
                    coverage: c,
                    across,
                    kept: k,
                } => {
                    add(&mut summary, &s);
                    coverage.extend(c);
                    docs.extend(across);
                    kept.extend(k.map(|b| *b));
                    if let Some(st) = json_stream.as_mut() {
                        for c in &chunks {
                            st.file(out, c)?;
                        }
                    } else if let Some(st) = sarif_stream.as_mut() {
                        st.results(out, &chunks)?;
                    } else {
                        for c in &chunks {
                            out.write_all(c.as_bytes())?;
                        }
                    }
                }
            }
            Ok(())
        },
    )?;
    batch.finish();
    let mut across_reports = if args.across {
        across::check(rules, &docs)
    } else {
        Vec::new()
    };
    drop(docs);
    if let Some(b) = baseline {
        b.apply(&mut across_reports);
    }
    let mut s = Summary::of(&across_reports, 0);
    s.files = 0;
    s.figures = 0;
    s.checked = 0;
    add(&mut summary, &s);
    summary.unreadable = errors.len();
    if let Some(p) = &args.write_baseline {
        let mut all: Vec<FileReport> = kept.iter().map(|(r, _)| r.clone()).collect();
        all.extend(across_reports.iter().cloned());
        if let Err(e) = write_baseline(p, &all) {
            let _ = writeln!(io::stderr(), "错误：{e}");
            return Ok(2);
        }
    }
    let needs_texts = !across_reports.is_empty()
        && matches!(
            args.format,
            CheckFormat::Human | CheckFormat::Sarif | CheckFormat::Html
        );
    let texts = if needs_texts {
        across_texts(
            &across_reports,
            &LoadOptions {
                keep_boilerplate: args.keep_boilerplate,
            },
        )
    } else {
        Vec::new()
    };
    let others: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let text_of = |p: &str| others.iter().find(|(q, _)| *q == p).map_or("", |(_, t)| *t);
    match args.format {
        CheckFormat::Human => {
            for r in &across_reports {
                let text = text_of(&r.path);
                let lines = crate::report::line_index::LineIndex::new(text);
                for d in &r.diagnostics {
                    let s = human::render_with(d, &r.path, text, &lines, job.style, &others);
                    out.write_all(s.as_bytes())?;
                    out.write_all(b"\n\n")?;
                }
            }
            writeln!(out, "{}", summary.line())?;
            write_coverage(out, &coverage)?;
        }
        CheckFormat::Concise => {
            out.write_all(concise::render(&across_reports).as_bytes())?;
            writeln!(out, "{}", summary.line())?;
            write_coverage(out, &coverage)?;
        }
        CheckFormat::Json => {
            if let Some(st) = json_stream {
                st.end(out, &across_reports, &errors, &summary)?;
            }
        }
        CheckFormat::Jsonl => out.write_all(json::render_lines(&across_reports).as_bytes())?,
        CheckFormat::Html => {
            // One page for the whole batch: every file's report and text were kept.
            // A related figure in another file is named in the message; its span is
            // not drawn over this file's text.
            let foreign: Vec<FileReport> = across_reports
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    for d in &mut r.diagnostics {
                        d.related.retain(|x| x.path.is_none());
                    }
                    r
                })
                .collect();
            let mut pages: Vec<html::WithText<'_>> = kept
                .iter()
                .map(|(r, t)| html::WithText {
                    report: r,
                    text: t.as_deref().unwrap_or(""),
                })
                .collect();
            pages.extend(foreign.iter().map(|r| html::WithText {
                report: r,
                text: text_of(&r.path),
            }));
            out.write_all(html::render(&pages, &summary).as_bytes())?;
        }
        CheckFormat::Sarif => {
            if let Some(mut st) = sarif_stream {
                for r in &across_reports {
                    let chunks = sarif::result_chunks(r, text_of(&r.path), rules, &others);
                    st.results(out, &chunks)?;
                }
                st.end(out)?;
            }
        }
    }
    out.flush()?;
    Ok(exit_code(&summary, args))
}

/// Adds the findings not yet listed to the baseline file `p` (`--write-baseline`).
fn write_baseline(p: &std::path::Path, reports: &[FileReport]) -> Result<(), String> {
    let mut b = Baseline::load(p)?;
    let added = b.record(reports);
    b.to_yaml()
        .and_then(|y| std::fs::write(p, y).map_err(|e| load::io_reason(&e)))
        .map_err(|e| format!("无法写入基线文件 {}：{e}", p.display()))?;
    let _ = writeln!(
        io::stderr(),
        "已向基线文件 {} 写入 {added} 条新问题；共有 {} 条尚待填写复核说明（justification）",
        p.display(),
        b.pending()
    );
    Ok(())
}

/// The exit code of `check`: `2` when a file could not be read (the findings of the
/// others are still printed and counted), else `1` when findings reach `--fail-on`,
/// else `0`.
fn exit_code(summary: &Summary, args: &CheckArgs) -> i32 {
    if summary.unreadable > 0 {
        return 2;
    }
    let fail = super::check::threshold(args.fail_on).is_some_and(|t| summary.at_least(t) > 0);
    i32::from(fail)
}

fn write_coverage(out: &mut dyn Write, coverage: &[String]) -> io::Result<()> {
    if coverage.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n覆盖情况：")?;
    for c in coverage {
        out.write_all(c.as_bytes())?;
    }
    Ok(())
}

/// What a worker hands back for one input of `extract`.
enum Extracted {
    Done(String),
    Failed(FileError),
}

fn extract_chunk(
    facts: &crate::extract::FileFacts,
    format: ExtractFormat,
) -> Result<String, String> {
    match format {
        ExtractFormat::Json => serde_json::to_string_pretty(facts)
            .map(|s| json::indent_all(&s, 4))
            .map_err(|e| e.to_string()),
        ExtractFormat::Yaml => load::yaml::to_string(&[facts]).map_err(|e| e.to_string()),
        ExtractFormat::Csv | ExtractFormat::Jsonl | ExtractFormat::Table => {
            let mut buf = Vec::new();
            extract_out::write(&mut buf, format, std::slice::from_ref(facts), &[])
                .map_err(|e| e.to_string())?;
            let mut s = String::from_utf8_lossy(&buf).into_owned();
            if format == ExtractFormat::Csv {
                // The header is written once, before the first file.
                s = s
                    .split_once('\n')
                    .map_or(String::new(), |(_, rows)| rows.to_owned());
            }
            Ok(s)
        }
    }
}

/// `jiaohe extract` over every input.
pub fn extract(
    files: &[String],
    batch_args: &BatchArgs,
    date: Option<NaiveDate>,
    format: ExtractFormat,
    load: &LoadOptions,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let (inputs, batch) = match batch_args.start(files) {
        Ok(x) => x,
        Err(m) => {
            let _ = writeln!(io::stderr(), "错误：{m}");
            return Ok(2);
        }
    };
    let options = ExtractOptions { date };
    let mut errors: Vec<FileError> = Vec::new();
    let mut n = 0usize;
    match format {
        ExtractFormat::Json => out.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?,
        ExtractFormat::Yaml => out.write_all(b"version: 1\nfiles:")?,
        ExtractFormat::Csv => extract_out::write(out, format, &[], &[])?,
        ExtractFormat::Jsonl | ExtractFormat::Table => {}
    }
    batch.run(
        inputs,
        |input| match load_input(input, load) {
            Err(e) => Extracted::Failed(e),
            Ok(source) => {
                let path = source.path.clone();
                let facts = extraction::extract(source, &options).facts;
                match extract_chunk(&facts, format) {
                    Ok(s) => Extracted::Done(s),
                    Err(m) => Extracted::Failed(FileError {
                        message: format!("{path}：无法输出：{m}"),
                        path,
                    }),
                }
            }
        },
        |item| {
            match item {
                Extracted::Failed(e) => {
                    report_error(&batch, &e);
                    errors.push(e);
                }
                Extracted::Done(s) => {
                    match format {
                        ExtractFormat::Json => {
                            out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                        }
                        ExtractFormat::Yaml if n == 0 => out.write_all(b"\n")?,
                        _ => {}
                    }
                    out.write_all(s.as_bytes())?;
                    n += 1;
                }
            }
            Ok(())
        },
    )?;
    batch.finish();
    match format {
        ExtractFormat::Json => {
            out.write_all(if n == 0 { b"]" } else { b"\n  ]" })?;
            if !errors.is_empty() {
                let e = serde_json::to_string_pretty(&errors).unwrap_or_default();
                write!(out, ",\n  \"errors\": {}", json::indent_rest(&e, 2))?;
            }
            out.write_all(b"\n}\n")?;
        }
        ExtractFormat::Yaml => {
            if n == 0 {
                out.write_all(b" []\n")?;
            }
            if !errors.is_empty() {
                #[derive(serde::Serialize)]
                struct Errors<'a> {
                    errors: &'a [FileError],
                }
                let s =
                    load::yaml::to_string(&Errors { errors: &errors }).map_err(io::Error::other)?;
                out.write_all(s.as_bytes())?;
            }
        }
        _ => {}
    }
    out.flush()?;
    Ok(if errors.is_empty() { 0 } else { 2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed `extract` output is the same as the one-shot writer's.
    #[test]
    fn streamed_extract_matches_one_shot() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "2024年，示例市新增企业12家，增长20%。").unwrap();
        std::fs::write(&b, "示例县一般公共预算收入8.5亿元。\n去年全县新增项目3个。").unwrap();
        let bad = dir.path().join("c.txt");
        std::fs::write(&bad, b"\x00\x01binary").unwrap();
        let paths: Vec<String> = [&a, &bad, &b]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        for format in [
            ExtractFormat::Json,
            ExtractFormat::Yaml,
            ExtractFormat::Csv,
            ExtractFormat::Jsonl,
            ExtractFormat::Table,
        ] {
            for files in [&paths[..], &paths[1..2], &paths[..1]] {
                let (sources, errors) = super::super::load_all(files, &LoadOptions::default());
                let facts: Vec<_> = sources
                    .into_iter()
                    .map(|s| extraction::extract(s, &ExtractOptions::default()).facts)
                    .collect();
                let mut want = Vec::new();
                extract_out::write(&mut want, format, &facts, &errors).unwrap();
                let mut got = Vec::new();
                let args = BatchArgs {
                    globs: Vec::new(),
                    jobs: Some(2),
                };
                extract(
                    files,
                    &args,
                    None,
                    format,
                    &LoadOptions::default(),
                    &mut got,
                )
                .unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&want),
                    "{format:?} {files:?}"
                );
            }
        }
    }
}
