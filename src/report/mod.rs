//! Reporting: the diagnostic model and one file per output format.
//!
//! [`Diagnostic`] is what a rule reports: its code and name, severity, a Chinese
//! message, the primary span (the figure most in question), related spans with
//! labels, help, and the suggested correction. [`FileReport`] gathers the diagnostics
//! and the coverage of one file; the formats (`human.rs`, `concise.rs`, `json.rs`,
//! `sarif.rs`) render a list of them.

pub mod concise;
pub mod extract_out;
pub mod html;
pub mod human;
pub mod json;
pub mod line_index;
pub mod sarif;

use serde::{Deserialize, Serialize};

use crate::extract::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Style: the figures may well be right.
    Info,
    /// Please verify.
    Warning,
    /// The figures cannot all be true.
    Error,
}

impl Severity {
    /// The Chinese word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A span with a label (`“其他类27条”`, `合计`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub span: Span,
    pub label: String,
    /// The file the span is in, when it is not the diagnostic's own file
    /// (cross-document checks, `--across`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A replacement the user may apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code (`A101`).
    pub rule: String,
    /// Kebab-case name of the mistake (`breakdown-sum-mismatch`).
    pub name: String,
    pub severity: Severity,
    /// One Chinese sentence naming the figures in conflict.
    pub message: String,
    /// The figure most in question.
    pub span: Span,
    /// Label under the primary span.
    #[serde(default)]
    pub label: String,
    /// The other figures of the relation, labelled.
    #[serde(default)]
    pub related: Vec<Related>,
    pub help: Option<String>,
    /// Which figure is most likely wrong and what it may have been
    /// (`“其他类27条”可能应为“31条”`), or why no single edit explains it.
    pub suggestion: Option<String>,
    /// A replacement, when one is known.
    pub fix: Option<Fix>,
    /// Where a Word user finds it (`第12段`, `表2 第3行第4列`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Identifies the finding across edits elsewhere in the text: rule, indicator
    /// and the figures involved (used by baselines and `jiaohe diff`).
    pub key: String,
    /// Set when a baseline entry marks the finding as reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
}

/// How much of a file's figures took part in a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Figures extracted.
    pub figures: usize,
    /// Figures that took part in at least one check.
    pub checked: usize,
    /// Clauses with digits the grammar could not read.
    pub unread: Vec<Span>,
}

/// The diagnostics of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: Coverage,
}

/// Counts over a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings marked reviewed by a baseline (not counted above).
    pub reviewed: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    pub figures: usize,
    pub checked: usize,
}

impl Summary {
    pub fn of(reports: &[FileReport], unreadable: usize) -> Self {
        let mut s = Summary {
            files: reports.len(),
            unreadable,
            ..Default::default()
        };
        for r in reports {
            s.figures += r.coverage.figures;
            s.checked += r.coverage.checked;
            for d in &r.diagnostics {
                if d.reviewed.is_some() {
                    s.reviewed += 1;
                    continue;
                }
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s
    }

    /// The count of findings at or above a severity (reviewed ones excluded).
    pub fn at_least(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.errors,
            Severity::Warning => self.errors + self.warnings,
            Severity::Info => self.errors + self.warnings + self.infos,
        }
    }

    /// The one-line Chinese summary printed after human output.
    pub fn line(&self) -> String {
        let pct = if self.figures == 0 {
            0.0
        } else {
            self.checked as f64 * 100.0 / self.figures as f64
        };
        let mut s = format!(
            "共检查 {} 个文件：错误 {} 处，警告 {} 处，提示 {} 处",
            self.files, self.errors, self.warnings, self.infos
        );
        if self.reviewed > 0 {
            s.push_str(&format!("，已复核 {} 处", self.reviewed));
        }
        s.push_str(&format!(
            "；提取数字 {} 个，参与核对 {} 个（{pct:.0}%）",
            self.figures, self.checked
        ));
        if self.unreadable > 0 {
            s.push_str(&format!("；{} 个文件无法读取", self.unreadable));
        }
        s
    }
}
