//! Reviewed findings (`--baseline FILE`).
//!
//! A baseline lists findings a reviewer has looked at and accepted, each with the
//! reviewer's justification (the 上报说明 of statistical practice). Entries are keyed
//! by rule, indicator and the figures involved ([`crate::report::Diagnostic::key`]),
//! so that edits elsewhere in the text do not invalidate them. A finding matched by an
//! entry with a justification is reported as reviewed and does not count towards
//! `--fail-on`; an entry whose justification is still empty (as `--write-baseline`
//! writes new findings) does not count as reviewed.
//!
//! ```yaml
//! version: 1
//! reviewed:
//!   - rule: A110
//!     key: "A110|规模以上工业增加值|增长7.9%|…"
//!     justification: 增加值增速按可比价计算，与现价总量不直接对应
//!     reviewer: 张三
//!     date: 2026-01-20
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::load::yaml;
use crate::report::FileReport;

/// One reviewed finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub key: String,
    pub justification: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The file the finding was in, for the reader's benefit (not used to match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    #[serde(default = "one")]
    pub version: u32,
    #[serde(default)]
    pub reviewed: Vec<Entry>,
}

fn one() -> u32 {
    1
}

impl Baseline {
    /// Reads a baseline; a missing file is an empty baseline.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        match std::fs::read_to_string(path) {
            Ok(t) => yaml::from_str(&t, &path.display().to_string()).map_err(|e| e.to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Baseline {
                version: 1,
                reviewed: Vec::new(),
            }),
            Err(e) => Err(format!(
                "无法读取基线文件 {}：{}",
                path.display(),
                crate::load::io_reason(&e)
            )),
        }
    }

    /// Marks the findings the baseline lists as reviewed.
    pub fn apply(&self, reports: &mut [FileReport]) {
        for r in reports {
            for d in &mut r.diagnostics {
                if let Some(e) = self.reviewed.iter().find(|e| {
                    e.rule == d.rule && e.key == d.key && !e.justification.trim().is_empty()
                }) {
                    d.reviewed = Some(e.justification.clone());
                }
            }
        }
    }

    /// Adds or replaces the entry for a finding.
    pub fn upsert(&mut self, entry: Entry) {
        match self
            .reviewed
            .iter_mut()
            .find(|e| e.rule == entry.rule && e.key == entry.key)
        {
            Some(e) => *e = entry,
            None => self.reviewed.push(entry),
        }
    }

    /// Adds an entry, with an empty justification for the reviewer to fill in, for
    /// every finding the baseline does not list yet. Returns how many were added.
    pub fn record(&mut self, reports: &[FileReport]) -> usize {
        let mut added = 0;
        for r in reports {
            for d in &r.diagnostics {
                if self
                    .reviewed
                    .iter()
                    .any(|e| e.rule == d.rule && e.key == d.key)
                {
                    continue;
                }
                self.reviewed.push(Entry {
                    rule: d.rule.clone(),
                    key: d.key.clone(),
                    justification: String::new(),
                    reviewer: None,
                    date: None,
                    path: Some(format!("{}:{}", r.path, d.span.line)),
                });
                added += 1;
            }
        }
        added
    }

    /// Entries still waiting for a justification.
    pub fn pending(&self) -> usize {
        self.reviewed
            .iter()
            .filter(|e| e.justification.trim().is_empty())
            .count()
    }

    pub fn to_yaml(&self) -> Result<String, String> {
        yaml::to_string(self)
    }
}

/// Findings of two drafts compared by key.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    /// In the new draft only.
    pub new: Vec<crate::report::Diagnostic>,
    /// In both (as reported in the new draft).
    pub still: Vec<crate::report::Diagnostic>,
    /// In the old draft only.
    pub resolved: Vec<crate::report::Diagnostic>,
}

/// Compares the findings of an old and a new draft.
pub fn diff(old: &FileReport, new: &FileReport) -> Diff {
    let in_old = |d: &crate::report::Diagnostic| old.diagnostics.iter().any(|o| o.key == d.key);
    let in_new = |d: &crate::report::Diagnostic| new.diagnostics.iter().any(|n| n.key == d.key);
    Diff {
        new: new
            .diagnostics
            .iter()
            .filter(|d| !in_old(d))
            .cloned()
            .collect(),
        still: new
            .diagnostics
            .iter()
            .filter(|d| in_old(d))
            .cloned()
            .collect(),
        resolved: old
            .diagnostics
            .iter()
            .filter(|d| !in_new(d))
            .cloned()
            .collect(),
    }
}
