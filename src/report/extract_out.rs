//! Output of `jiaohe extract`.
//!
//! # Wire format (`--format json`)
//!
//! ```text
//! {"version": 1,
//!  "files": [{"path": …, "date": {"date": "2024-03-25", "source": "text"|"option", "span": …} | null,
//!             "encoding": "UTF-8", "scope": "示例市" | null,
//!             "statements": [Statement…], "enumerations": […], "unread": [Span…]}],
//!  "errors": [{"path": …, "message": …}]}
//! ```
//!
//! Every span is `{"start": byte, "end": byte, "line": n, "column": n}` into the file as
//! decoded to UTF-8 (byte-order mark removed); `column` counts characters. Statement
//! fields are documented on [`crate::extract::Statement`] and in the README. `jsonl`
//! prints one statement per line with its `path`; `csv` one row per statement (parts
//! included, with `parent`); `yaml` the same document as `json`.

use std::io::{self, Write};

use serde::Serialize;

use crate::extract::{Direction, FileFacts, Quantity, Statement};

/// Output formats of `extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Yaml,
}

/// A file that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    files: &'a [FileFacts],
    #[serde(skip_serializing_if = "<[FileError]>::is_empty")]
    errors: &'a [FileError],
}

/// Writes the facts of all files in `format`.
pub fn write(
    out: &mut dyn Write,
    format: ExtractFormat,
    files: &[FileFacts],
    errors: &[FileError],
) -> io::Result<()> {
    match format {
        ExtractFormat::Json => {
            let doc = Doc {
                version: 1,
                files,
                errors,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        ExtractFormat::Yaml => {
            let doc = Doc {
                version: 1,
                files,
                errors,
            };
            let s = crate::load::yaml::to_string(&doc).map_err(io::Error::other)?;
            out.write_all(s.as_bytes())
        }
        ExtractFormat::Jsonl => {
            #[derive(Serialize)]
            struct Line<'a> {
                path: &'a str,
                #[serde(flatten)]
                statement: &'a Statement,
            }
            for f in files {
                for s in &f.statements {
                    serde_json::to_writer(
                        &mut *out,
                        &Line {
                            path: &f.path,
                            statement: s,
                        },
                    )?;
                    writeln!(out)?;
                }
            }
            Ok(())
        }
        ExtractFormat::Csv => write_csv(out, files),
        ExtractFormat::Table => write_table(out, files),
    }
}

/// A figure as a reader would write it back (`921.7亿元`, `65%以上`).
pub fn figure(q: &Quantity) -> String {
    q.text.clone()
}

fn change_text(s: &Statement) -> String {
    let Some(c) = &s.change else {
        return String::new();
    };
    let mut t = String::new();
    if let Some(b) = &c.basis {
        t.push_str(b);
    }
    if let Some(r) = &c.of_rate {
        t.push_str(r);
    }
    t.push_str(&c.verb);
    if let Some(a) = &c.amount {
        t.push_str(&a.text);
    }
    if c.amount.is_none() && c.direction == Direction::Up && s.items.len() > 1 {
        t.push_str("（均）");
    }
    t
}

fn rank_text(s: &Statement) -> String {
    let mut parts: Vec<String> = s.ranks.iter().map(|r| r.text.clone()).collect();
    if let Some(sh) = &s.share {
        parts.push(sh.text.clone());
    }
    for c in &s.comparisons {
        parts.push(c.text.clone());
    }
    parts.dedup();
    parts.join("；")
}

fn value_text(s: &Statement) -> String {
    if !s.ratio.is_empty() {
        return s
            .ratio
            .iter()
            .map(|q| q.written.clone())
            .collect::<Vec<_>>()
            .join(":");
    }
    let mut t = s.value.as_ref().map(figure).unwrap_or_default();
    if let Some(to) = &s.value_to {
        t = format!("{t}～{}", to.text);
    }
    if let Some(w) = &s.whole {
        t = format!("{t}（共{}）", w.text);
    }
    if let Some(c) = &s.class {
        t = format!("{t}（每个{}）", c.text);
    }
    t
}

fn notes(s: &Statement) -> String {
    let mut n = Vec::new();
    if let Some(t) = &s.target {
        n.push(if t.from_heading {
            "计划".to_owned()
        } else {
            format!("目标（{}）", t.word)
        });
    }
    if let Some(b) = &s.breakdown {
        let k = match b.kind {
            crate::extract::BreakdownKind::Qizhong => "其中",
            crate::extract::BreakdownKind::Respectively => "分别",
            crate::extract::BreakdownKind::All => "均",
        };
        n.push(format!("{k}{}项", s.parts.len().max(s.items.len())));
    }
    n.join("，")
}

fn write_table(out: &mut dyn Write, files: &[FileFacts]) -> io::Result<()> {
    use comfy_table::{ContentArrangement, Table};
    for f in files {
        let mut table = Table::new();
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header([
                "位置",
                "期间",
                "范围",
                "指标",
                "数值",
                "变化",
                "排名/占比",
                "备注",
            ]);
        for top in &f.statements {
            for (depth, s) in flatten(top, 0) {
                let indent = "  ".repeat(depth);
                table.add_row([
                    format!("{}:{}", s.span.line, s.span.column),
                    s.period
                        .as_ref()
                        .map(|p| p.text.clone())
                        .unwrap_or_default(),
                    s.scope.as_ref().map(|x| x.text.clone()).unwrap_or_default(),
                    format!(
                        "{indent}{}",
                        s.indicator
                            .as_ref()
                            .map(|i| i.text.clone())
                            .unwrap_or_default()
                    ),
                    value_text(s),
                    change_text(s),
                    rank_text(s),
                    notes(s),
                ]);
            }
        }
        let date = f
            .date
            .as_ref()
            .map(|d| format!("，日期 {}", d.date))
            .unwrap_or_default();
        writeln!(
            out,
            "{}（{} 条指标陈述{}）",
            f.path,
            f.statements.len(),
            date
        )?;
        writeln!(out, "{table}")?;
    }
    Ok(())
}

fn flatten(s: &Statement, depth: usize) -> Vec<(usize, &Statement)> {
    let mut v = vec![(depth, s)];
    for p in &s.parts {
        v.extend(flatten(p, depth + 1));
    }
    v
}

fn write_csv(out: &mut dyn Write, files: &[FileFacts]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "path",
        "id",
        "parent",
        "line",
        "column",
        "start",
        "end",
        "scope",
        "indicator",
        "canonical",
        "period",
        "period_start",
        "period_end",
        "value",
        "unit",
        "qualifier",
        "change",
        "change_amount",
        "change_unit",
        "ranks",
        "share",
        "target",
        "text",
    ])
    .map_err(io::Error::other)?;
    for f in files {
        for top in &f.statements {
            let mut stack: Vec<(Option<usize>, &Statement)> = vec![(None, top)];
            while let Some((parent, s)) = stack.pop() {
                let v = s.value.as_ref();
                let c = s.change.as_ref();
                let row = [
                    f.path.clone(),
                    s.id.to_string(),
                    parent.map(|p| p.to_string()).unwrap_or_default(),
                    s.span.line.to_string(),
                    s.span.column.to_string(),
                    s.span.start.to_string(),
                    s.span.end.to_string(),
                    s.scope.as_ref().map(|x| x.text.clone()).unwrap_or_default(),
                    s.indicator
                        .as_ref()
                        .map(|i| i.text.clone())
                        .unwrap_or_default(),
                    s.canonical().to_owned(),
                    s.period
                        .as_ref()
                        .map(|p| p.text.clone())
                        .unwrap_or_default(),
                    s.period
                        .as_ref()
                        .and_then(|p| p.start)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    s.period
                        .as_ref()
                        .and_then(|p| p.end)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    v.map(|q| q.value.normalize().to_string())
                        .unwrap_or_default(),
                    v.map(Quantity::unit_text).unwrap_or_default(),
                    v.and_then(|q| q.qualifier.as_ref().map(|x| x.text.clone()))
                        .unwrap_or_default(),
                    c.map(|c| format!("{}{}", c.basis.clone().unwrap_or_default(), c.verb))
                        .unwrap_or_default(),
                    c.and_then(Statement_change_signed).unwrap_or_default(),
                    c.and_then(|c| c.amount.as_ref().and_then(|a| a.unit.clone()))
                        .unwrap_or_default(),
                    s.ranks
                        .iter()
                        .map(|r| r.text.clone())
                        .collect::<Vec<_>>()
                        .join("；"),
                    s.share
                        .as_ref()
                        .map(|x| x.percent.text.clone())
                        .unwrap_or_default(),
                    s.target
                        .as_ref()
                        .map(|t| t.word.clone())
                        .unwrap_or_default(),
                    s.text.clone(),
                ];
                w.write_record(&row).map_err(io::Error::other)?;
                for p in s.parts.iter().rev() {
                    stack.push((Some(s.id), p));
                }
            }
        }
    }
    w.flush()
}

#[allow(non_snake_case)]
fn Statement_change_signed(c: &crate::extract::Change) -> Option<String> {
    c.signed().map(|d| d.normalize().to_string())
}

/// One statement as a row of the reviewer's worksheet (the table format, the
/// workbench's figures table and its CSV/xlsx export).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: usize,
    /// The enclosing statement's id, for `其中`/`分别` parts.
    pub parent: Option<usize>,
    pub depth: usize,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    pub period: String,
    pub scope: String,
    pub indicator: String,
    pub canonical: String,
    pub value: String,
    pub change: String,
    pub rank: String,
    pub notes: String,
    pub text: String,
}

/// The worksheet rows of a file, parts after their statement.
pub fn rows(f: &FileFacts) -> Vec<Row> {
    let mut out = Vec::new();
    fn walk(s: &Statement, parent: Option<usize>, depth: usize, out: &mut Vec<Row>) {
        out.push(Row {
            id: s.id,
            parent,
            depth,
            line: s.span.line,
            column: s.span.column,
            start: s.span.start,
            end: s.span.end,
            period: s
                .period
                .as_ref()
                .map(|p| p.text.clone())
                .unwrap_or_default(),
            scope: s.scope.as_ref().map(|x| x.text.clone()).unwrap_or_default(),
            indicator: s
                .indicator
                .as_ref()
                .map(|i| i.text.clone())
                .unwrap_or_default(),
            canonical: s.canonical().to_owned(),
            value: value_text(s),
            change: change_text(s),
            rank: rank_text(s),
            notes: notes(s),
            text: s.text.clone(),
        });
        for p in &s.parts {
            walk(p, Some(s.id), depth + 1, out);
        }
    }
    for s in &f.statements {
        walk(s, None, 0, &mut out);
    }
    out
}

/// The worksheet as an Excel file.
pub fn xlsx(f: &FileFacts) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let header = [
        "行",
        "列",
        "期间",
        "范围",
        "指标",
        "数值",
        "变化",
        "排名/占比",
        "备注",
        "原文",
    ];
    let err = |e: rust_xlsxwriter::XlsxError| format!("无法生成 Excel 文件：{e}");
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (i, r) in rows(f).iter().enumerate() {
        let row = (i + 1) as u32;
        ws.write_number(row, 0, r.line as f64).map_err(err)?;
        ws.write_number(row, 1, r.column as f64).map_err(err)?;
        let indent = "  ".repeat(r.depth);
        let cells = [
            r.period.clone(),
            r.scope.clone(),
            format!("{indent}{}", r.indicator),
            r.value.clone(),
            r.change.clone(),
            r.rank.clone(),
            r.notes.clone(),
            r.text.clone(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, (c + 2) as u16, v).map_err(err)?;
        }
    }
    ws.set_column_width(4, 24).map_err(err)?;
    ws.set_column_width(9, 60).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}
