//! JSON output of `jiaohe check`.
//!
//! # Wire format
//!
//! ```text
//! {"version": 1,
//!  "files": [{"path": …,
//!             "diagnostics": [{"rule": "A101", "name": "breakdown-sum-mismatch",
//!                              "severity": "error"|"warning"|"info", "message": …,
//!                              "span": {"start", "end", "line", "column"}, "label": …,
//!                              "related": [{"span": …, "label": …}],
//!                              "help": …, "suggestion": …, "fix": {"span", "replacement"}|null,
//!                              "place": "第12段"?, "key": …, "reviewed": "…"?}],
//!             "coverage": {"figures": n, "checked": n, "unread": [span…]}}],
//!  "across": [{"path": …, <diagnostic fields>}],   (only with findings of `--across`)
//!  "errors": [{"path", "message"}],
//!  "summary": {"files", "errors", "warnings", "infos", "reviewed", "unreadable",
//!              "figures", "checked"}}
//! ```
//!
//! Spans are byte offsets into the file as decoded (web pages: into the HTML), with
//! 1-based line and character column. `jsonl` prints one diagnostic per line with its
//! `path`. A related figure in another file (`--across`) has `"path"` in its `related`
//! entry.
//!
//! [`Stream`] writes the same document one file at a time, so a batch of any size is
//! written without holding every report.

use std::io::{self, Write};

use serde::Serialize;

use super::extract_out::FileError;
use super::{Diagnostic, FileReport, Summary};

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    files: &'a [FileReport],
    #[serde(skip_serializing_if = "<[FileError]>::is_empty")]
    errors: &'a [FileError],
    summary: &'a Summary,
}

pub fn render(reports: &[FileReport], errors: &[FileError], summary: &Summary) -> String {
    let doc = Doc {
        version: 1,
        files: reports,
        errors,
        summary,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// A diagnostic with the path of its file (`jsonl` lines, `across` entries).
#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    d: &'a Diagnostic,
}

pub fn render_lines(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            out.push_str(&serde_json::to_string(&Line { path: &r.path, d }).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// `s` with `n` spaces before every line.
pub fn indent_all(s: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(s.len() + n * 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out
}

/// `s` with `n` spaces before every line but the first (a value after its key).
pub fn indent_rest(s: &str, n: usize) -> String {
    s.replace('\n', &format!("\n{}", " ".repeat(n)))
}

/// Pretty JSON of a value nested `n` spaces deep, first line not indented.
fn nested<T: Serialize + ?Sized>(v: &T, n: usize) -> String {
    indent_rest(&serde_json::to_string_pretty(v).unwrap_or_default(), n)
}

/// One file of the `files` array, pretty-printed and indented as [`Stream`] writes it
/// (so a worker thread can do the work).
pub fn file_chunk(report: &FileReport) -> String {
    indent_all(&serde_json::to_string_pretty(report).unwrap_or_default(), 4)
}

/// The JSON document written one file at a time: the same bytes as [`render`].
pub struct Stream {
    files: usize,
}

impl Stream {
    /// Writes the document's opening.
    pub fn begin(out: &mut dyn Write) -> io::Result<Stream> {
        out.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?;
        Ok(Stream { files: 0 })
    }

    /// Writes one file made by [`file_chunk`].
    pub fn file(&mut self, out: &mut dyn Write, chunk: &str) -> io::Result<()> {
        out.write_all(if self.files == 0 { b"\n" } else { b",\n" })?;
        out.write_all(chunk.as_bytes())?;
        self.files += 1;
        Ok(())
    }

    /// Closes `files` and writes the cross-document findings, the unreadable files
    /// and the summary.
    pub fn end(
        self,
        out: &mut dyn Write,
        across: &[FileReport],
        errors: &[FileError],
        summary: &Summary,
    ) -> io::Result<()> {
        out.write_all(if self.files == 0 { b"]" } else { b"\n  ]" })?;
        let lines: Vec<Line<'_>> = across
            .iter()
            .flat_map(|r| r.diagnostics.iter().map(|d| Line { path: &r.path, d }))
            .collect();
        if !lines.is_empty() {
            write!(out, ",\n  \"across\": {}", nested(&lines, 2))?;
        }
        if !errors.is_empty() {
            write!(out, ",\n  \"errors\": {}", nested(errors, 2))?;
        }
        write!(out, ",\n  \"summary\": {}\n}}\n", nested(summary, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Span;
    use crate::report::{Coverage, Severity};

    fn report(path: &str, n: usize) -> FileReport {
        FileReport {
            path: path.into(),
            diagnostics: (0..n)
                .map(|i| Diagnostic {
                    rule: "A101".into(),
                    name: "breakdown-sum-mismatch".into(),
                    severity: Severity::Error,
                    message: format!("消息{i}"),
                    span: Span {
                        start: i,
                        end: i + 3,
                        line: 1,
                        column: i + 1,
                    },
                    label: "合计".into(),
                    related: Vec::new(),
                    help: Some("核对".into()),
                    suggestion: None,
                    fix: None,
                    place: None,
                    key: "k".into(),
                    reviewed: None,
                })
                .collect(),
            coverage: Coverage {
                figures: 3,
                checked: 2,
                unread: vec![Span::default()],
            },
        }
    }

    #[test]
    fn stream_writes_the_same_bytes_as_render() {
        let errors = vec![FileError {
            path: "坏.txt".into(),
            message: "无法读取".into(),
        }];
        for (reports, errors) in [
            (vec![], vec![]),
            (vec![report("a.txt", 2)], vec![]),
            (vec![report("a.txt", 0), report("b.txt", 1)], errors.clone()),
            (vec![], errors),
        ] {
            let summary = Summary::of(&reports, errors.len());
            let mut out = Vec::new();
            let mut st = Stream::begin(&mut out).unwrap();
            for r in &reports {
                st.file(&mut out, &file_chunk(r)).unwrap();
            }
            st.end(&mut out, &[], &errors, &summary).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                render(&reports, &errors, &summary)
            );
        }
    }
}
