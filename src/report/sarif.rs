//! SARIF 2.1.0 output, with rule metadata from the packs and
//! `columnKind: unicodeCodePoints` (columns count characters, as everywhere else).

use std::io::{self, Write};

use serde::Serialize;

use super::line_index::LineIndex;
use super::{FileReport, Severity};
use crate::check::RuleSet;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<SRule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SRule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Text<'a>,
    default_configuration: Config,
}

#[derive(Serialize)]
struct Config {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Msg,
    locations: Vec<Location>,
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SFix>,
    partial_fingerprints: Fingerprint,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: Props,
}

#[derive(Serialize)]
struct Msg {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Msg>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SFix {
    description: Msg,
    artifact_changes: Vec<Change>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Change {
    artifact_location: Artifact,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Msg,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprint {
    jiaohe_key: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Props {
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(text: &str, lines: &LineIndex, span: &crate::extract::Span) -> Region {
    let (end_line, end_column) = lines.line_col(text, span.end);
    Region {
        start_line: span.line,
        start_column: span.column,
        end_line,
        end_column,
        byte_offset: span.start,
        byte_length: span.end.saturating_sub(span.start),
    }
}

fn driver_rules(rules: &RuleSet) -> Vec<SRule<'_>> {
    rules
        .rules
        .iter()
        .map(|r| SRule {
            id: &r.entry.id,
            name: &r.entry.name,
            short_description: Text {
                text: &r.entry.message,
            },
            full_description: Text {
                text: r.entry.doc.as_deref().unwrap_or(&r.entry.message),
            },
            help: Text {
                text: r.entry.help.as_deref().unwrap_or(""),
            },
            default_configuration: Config {
                level: sarif_level(r.entry.severity),
            },
        })
        .collect()
}

/// The region of a span in another file, when its text is not at hand: the start only.
fn bare_region(span: &crate::extract::Span) -> Region {
    Region {
        start_line: span.line,
        start_column: span.column,
        end_line: span.line,
        end_column: span.column,
        byte_offset: span.start,
        byte_length: span.end.saturating_sub(span.start),
    }
}

/// The results of one report; `others` gives the text of other files related spans
/// point into (`--across`), by path.
fn results_of(
    report: &FileReport,
    text: &str,
    rules: &RuleSet,
    others: &[(&str, &str)],
) -> Vec<SResult> {
    let lines = LineIndex::new(text);
    let other_lines: Vec<LineIndex> = others.iter().map(|(_, t)| LineIndex::new(t)).collect();
    let mut results = Vec::new();
    for d in &report.diagnostics {
        let uri = report.path.clone();
        let loc = |span: &crate::extract::Span, msg: Option<String>| Location {
            physical_location: Physical {
                artifact_location: Artifact { uri: uri.clone() },
                region: region(text, &lines, span),
            },
            message: msg.map(|text| Msg { text }),
        };
        let related_loc = |r: &super::Related| match r.path.as_deref() {
            Some(p) if p != report.path => {
                let region = others.iter().position(|(q, _)| *q == p).map_or_else(
                    || bare_region(&r.span),
                    |i| region(others[i].1, &other_lines[i], &r.span),
                );
                Location {
                    physical_location: Physical {
                        artifact_location: Artifact { uri: p.to_owned() },
                        region,
                    },
                    message: Some(Msg {
                        text: r.label.clone(),
                    }),
                }
            }
            _ => loc(&r.span, Some(r.label.clone())),
        };
        results.push(SResult {
            rule_id: d.rule.clone(),
            rule_index: rules
                .rules
                .iter()
                .position(|r| r.entry.id == d.rule)
                .unwrap_or(0),
            level: sarif_level(d.severity),
            message: Msg {
                text: d.message.clone(),
            },
            locations: vec![loc(&d.span, Some(d.label.clone()))],
            related_locations: d.related.iter().map(related_loc).collect(),
            fixes: d
                .fix
                .iter()
                .map(|f| SFix {
                    description: Msg {
                        text: d.suggestion.clone().unwrap_or_default(),
                    },
                    artifact_changes: vec![Change {
                        artifact_location: Artifact { uri: uri.clone() },
                        replacements: vec![Replacement {
                            deleted_region: region(text, &lines, &f.span),
                            inserted_content: Msg {
                                text: f.replacement.clone(),
                            },
                        }],
                    }],
                })
                .collect(),
            partial_fingerprints: Fingerprint {
                jiaohe_key: d.key.clone(),
            },
            suppressions: d
                .reviewed
                .iter()
                .map(|j| Suppression {
                    kind: "external",
                    justification: j.clone(),
                })
                .collect(),
            properties: Props {
                suggestion: d.suggestion.clone(),
                place: d.place.clone(),
            },
        });
    }
    results
}

fn log(rules: &RuleSet, results: Vec<SResult>) -> Log<'_> {
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "jiaohe",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://example.invalid/jiaohe",
                    rules: driver_rules(rules),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// Renders SARIF for the reports; `texts` gives each report's text (same order).
pub fn render(reports: &[FileReport], texts: &[&str], rules: &RuleSet) -> String {
    let mut results = Vec::new();
    for (report, text) in reports.iter().zip(texts) {
        results.extend(results_of(report, text, rules, &[]));
    }
    serde_json::to_string_pretty(&log(rules, results)).unwrap_or_default() + "\n"
}

/// Where results sit in the pretty-printed log: eight spaces deep.
const RESULT_INDENT: usize = 8;

/// The results of one report, each pretty-printed and indented as [`Stream`] writes
/// them (so a worker thread can do the work).
pub fn result_chunks(
    report: &FileReport,
    text: &str,
    rules: &RuleSet,
    others: &[(&str, &str)],
) -> Vec<String> {
    results_of(report, text, rules, others)
        .iter()
        .map(|r| {
            super::json::indent_all(
                &serde_json::to_string_pretty(r).unwrap_or_default(),
                RESULT_INDENT,
            )
        })
        .collect()
}

/// SARIF written one result at a time: the same bytes as [`render`] without holding
/// every result.
pub struct Stream {
    tail: String,
    results: usize,
}

impl Stream {
    /// Writes everything before the first result.
    pub fn begin(out: &mut dyn Write, rules: &RuleSet) -> io::Result<Stream> {
        let empty = serde_json::to_string_pretty(&log(rules, Vec::new())).unwrap_or_default();
        let marker = "\"results\": [";
        let at = empty.find(marker).map_or(empty.len(), |i| i + marker.len());
        out.write_all(&empty.as_bytes()[..at])?;
        Ok(Stream {
            tail: empty[at..].to_owned() + "\n",
            results: 0,
        })
    }

    /// Writes results made by [`result_chunks`].
    pub fn results(&mut self, out: &mut dyn Write, chunks: &[String]) -> io::Result<()> {
        for c in chunks {
            out.write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
            out.write_all(c.as_bytes())?;
            self.results += 1;
        }
        Ok(())
    }

    /// Writes the rest of the log.
    pub fn end(self, out: &mut dyn Write) -> io::Result<()> {
        if self.results > 0 {
            out.write_all(b"\n")?;
            out.write_all(" ".repeat(RESULT_INDENT - 2).as_bytes())?;
        }
        out.write_all(self.tail.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{ExtractOptions, extract_with};
    use crate::load::SourceFile;

    #[test]
    fn stream_writes_the_same_bytes_as_render() {
        let rules = RuleSet::defaults().unwrap();
        let texts = [
            "全市共梳理企业诉求60条，其中融资类12条，用工类18条，其他类25条。",
            "全市新增企业12家。",
            "全年签约项目20个，其中制造业项目13个，服务业项目9个。",
        ];
        let reports: Vec<FileReport> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let ex = extract_with(
                    SourceFile::from_text(format!("{i}.txt"), *t),
                    &ExtractOptions::default(),
                    &rules.table,
                );
                crate::check::check(&rules, &ex)
            })
            .collect();
        assert!(reports[0].diagnostics.len() + reports[2].diagnostics.len() >= 2);
        for n in [0, 1, 2, 3] {
            let mut out = Vec::new();
            let mut st = Stream::begin(&mut out, &rules).unwrap();
            for (r, t) in reports[..n].iter().zip(texts) {
                st.results(&mut out, &result_chunks(r, t, &rules, &[]))
                    .unwrap();
            }
            st.end(&mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                render(&reports[..n], &texts[..n], &rules),
                "{n} files"
            );
        }
    }
}
