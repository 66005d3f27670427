//! Compiler-style output (annotate-snippets): code and name, severity, message,
//! `file:line:column`, the figures underlined and labelled, help and suggestion.
//! Columns count characters; long paragraphs are trimmed around the labels.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::line_index::LineIndex;
use super::{Diagnostic, FileReport, Severity};

/// A report with the text its spans point into.
pub struct WithText<'a> {
    pub report: &'a FileReport,
    pub text: &'a str,
}

/// Options of the human renderer.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR.with_name(Some("错误")),
        Severity::Warning => Level::WARNING.with_name(Some("警告")),
        Severity::Info => Level::INFO.with_name(Some("提示")),
    }
}

/// Renders one diagnostic.
pub fn render_one(
    d: &Diagnostic,
    path: &str,
    text: &str,
    lines: &LineIndex,
    style: Style,
) -> String {
    render_with(d, path, text, lines, style, &[])
}

/// The lines of `text` that hold `spans`, with the spans made relative to them.
fn excerpt<'t>(
    text: &'t str,
    lines: &LineIndex,
    spans: &[(usize, usize)],
) -> (&'t str, usize, usize, usize) {
    let lo = spans.iter().map(|s| s.0).min().unwrap_or(0).min(text.len());
    let hi = spans.iter().map(|s| s.1).max().unwrap_or(0).min(text.len());
    let (first_line, _) = lines.line_col(text, lo);
    let (last_line, _) = lines.line_col(text, hi.saturating_sub(1).max(lo));
    let start = lines.line_range(text, first_line).start;
    let end = lines
        .line_range(text, last_line)
        .end
        .max(hi)
        .min(text.len());
    (&text[start..end], first_line, start, end)
}

/// Renders one diagnostic whose related spans may be in other files: `others` gives
/// the text of each such file by path (a file not given is named without a snippet).
pub fn render_with(
    d: &Diagnostic,
    path: &str,
    text: &str,
    lines: &LineIndex,
    style: Style,
    others: &[(&str, &str)],
) -> String {
    let here = |r: &&super::Related| r.path.as_deref().is_none_or(|p| p == path);
    let mut spans: Vec<(usize, usize)> = vec![(d.span.start, d.span.end)];
    spans.extend(
        d.related
            .iter()
            .filter(here)
            .map(|r| (r.span.start, r.span.end)),
    );
    let (source, first_line, start, end) = excerpt(text, lines, &spans);
    let clamp = |a: usize, b: usize| -> std::ops::Range<usize> {
        let a = a.clamp(start, end) - start;
        let b = b.clamp(start, end) - start;
        a..b.max(a)
    };
    let mut snippet = Snippet::source(source).line_start(first_line).path(path);
    snippet = snippet.annotation(
        AnnotationKind::Primary
            .span(clamp(d.span.start, d.span.end))
            .label(d.label.as_str()),
    );
    for r in d.related.iter().filter(here) {
        if r.span != d.span {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(clamp(r.span.start, r.span.end))
                    .label(r.label.as_str()),
            );
        }
    }
    // Related figures in other files: one snippet per file, in order of appearance.
    let mut other_paths: Vec<&str> = Vec::new();
    for r in &d.related {
        if let Some(p) = r.path.as_deref().filter(|p| *p != path) {
            if !other_paths.contains(&p) {
                other_paths.push(p);
            }
        }
    }
    let mut other_snippets = Vec::new();
    let mut unshown: Vec<String> = Vec::new();
    for p in other_paths {
        let rs: Vec<&super::Related> = d
            .related
            .iter()
            .filter(|r| r.path.as_deref() == Some(p))
            .collect();
        let Some((_, t)) = others.iter().find(|(q, _)| *q == p) else {
            unshown.extend(
                rs.iter()
                    .map(|r| format!("{p}:{}:{}：{}", r.span.line, r.span.column, r.label)),
            );
            continue;
        };
        let li = LineIndex::new(t);
        let sp: Vec<(usize, usize)> = rs.iter().map(|r| (r.span.start, r.span.end)).collect();
        let (src, fl, st, en) = excerpt(t, &li, &sp);
        let mut sn = Snippet::source(src).line_start(fl).path(p);
        for r in rs {
            let a = r.span.start.clamp(st, en) - st;
            let b = (r.span.end.clamp(st, en) - st).max(a);
            sn = sn.annotation(AnnotationKind::Context.span(a..b).label(r.label.as_str()));
        }
        other_snippets.push(sn);
    }
    let title = if d.reviewed.is_some() {
        format!("{}（已复核）", d.message)
    } else {
        d.message.clone()
    };
    let id = format!("{} {}", d.rule, d.name);
    let mut report: Vec<Group<'_>> = vec![
        level(d.severity)
            .primary_title(title)
            .id(id)
            .element(snippet)
            .elements(other_snippets),
    ];
    for u in unshown {
        report.push(Group::with_title(
            Level::NOTE.with_name(Some("对照")).secondary_title(u),
        ));
    }
    if let Some(p) = &d.place {
        report.push(Group::with_title(
            Level::NOTE
                .with_name(Some("位置"))
                .secondary_title(p.as_str()),
        ));
    }
    if let Some(s) = &d.suggestion {
        report.push(Group::with_title(
            Level::HELP
                .with_name(Some("可能的更正"))
                .secondary_title(s.as_str()),
        ));
    }
    if let Some(h) = &d.help {
        report.push(Group::with_title(
            Level::HELP
                .with_name(Some("建议"))
                .secondary_title(h.as_str()),
        ));
    }
    if let Some(j) = &d.reviewed {
        report.push(Group::with_title(
            Level::NOTE
                .with_name(Some("复核说明"))
                .secondary_title(j.as_str()),
        ));
    }
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode)
    .term_width(style.width);
    renderer.render(&report)
}

/// Renders every diagnostic of one file, each followed by a blank line.
pub fn render_file(f: &WithText<'_>, style: Style) -> String {
    let mut out = String::new();
    let lines = LineIndex::new(f.text);
    for d in &f.report.diagnostics {
        out.push_str(&render_one(d, &f.report.path, f.text, &lines, style));
        out.push_str("\n\n");
    }
    out
}

/// Renders every diagnostic of every file, then the summary line.
pub fn render(files: &[WithText<'_>], summary: &super::Summary, style: Style) -> String {
    let mut out = String::new();
    for f in files {
        out.push_str(&render_file(f, style));
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}
