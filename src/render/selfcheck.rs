//! The self-check: every draft is extracted and checked like any report before it
//! is written. `jiaohe render` stops (exit 1, diagnostics printed) when the check
//! finds an error, unless `--allow-errors`.

use chrono::NaiveDate;

use crate::check::{self, RuleSet};
use crate::extract::{self, ExtractOptions, Extraction};
use crate::load::SourceFile;
use crate::report::{FileReport, Severity};

/// What the self-check found.
#[derive(Debug)]
pub struct Outcome {
    pub extraction: Extraction,
    pub report: FileReport,
}

impl Outcome {
    /// Number of findings of a severity.
    pub fn count(&self, s: Severity) -> usize {
        self.report
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    }
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
}

/// Extracts and checks a rendered text (`name` is how diagnostics name it).
pub fn run(text: &str, name: &str, rules: &RuleSet, date: Option<NaiveDate>) -> Outcome {
    let source = SourceFile::from_text(name, text);
    let extraction = extract::extract_with(source, &ExtractOptions { date }, &rules.table);
    let report = check::check(rules, &extraction);
    Outcome { extraction, report }
}
