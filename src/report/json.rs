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
//!  "errors": [{"path", "message"}],
//!  "summary": {"files", "errors", "warnings", "infos", "reviewed", "unreadable",
//!              "figures", "checked"}}
//! ```
//!
//! Spans are byte offsets into the file as decoded (web pages: into the HTML), with
//! 1-based line and character column. `jsonl` prints one diagnostic per line with its
//! `path`.

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

pub fn render_lines(reports: &[FileReport]) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        path: &'a str,
        #[serde(flatten)]
        d: &'a Diagnostic,
    }
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            out.push_str(&serde_json::to_string(&Line { path: &r.path, d }).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}
