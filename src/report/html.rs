//! Annotated HTML report: the document with every finding highlighted in place and
//! the list of findings below, in one self-contained file (inline CSS, no script, no
//! network) that a reviewer can send back to the writer. `jiaohe check -f html` and
//! the workbench's export both use it.

use std::fmt::Write as _;

use super::{Diagnostic, FileReport, Severity, Summary};

/// One file to render, with the text its spans point into.
pub struct WithText<'a> {
    pub report: &'a FileReport,
    pub text: &'a str,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Cuts `text` at every span boundary; each piece lists the findings covering it.
/// Pieces are byte ranges on character boundaries; spans out of range are clamped.
pub fn segments(text: &str, diags: &[Diagnostic]) -> Vec<(std::ops::Range<usize>, Vec<usize>)> {
    let clamp = |i: usize| super::line_index::floor_char_boundary(text, i.min(text.len()));
    let mut cuts = vec![0, text.len()];
    for d in diags {
        cuts.push(clamp(d.span.start));
        cuts.push(clamp(d.span.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| {
            let covering = diags
                .iter()
                .enumerate()
                .filter(|(_, d)| clamp(d.span.start) <= w[0] && w[1] <= clamp(d.span.end))
                .map(|(i, _)| i)
                .collect();
            (w[0]..w[1], covering)
        })
        .collect()
}

const CSS: &str = r#"
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:60em;line-height:1.9;color:#222;padding:0 1em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
.summary{background:#f5f5f5;padding:.5em 1em;border-radius:4px}
.doc{white-space:pre-wrap;border:1px solid #ddd;padding:1em;border-radius:4px;background:#fff}
mark{padding:0 .1em;border-radius:2px}
mark.error{background:#ffd6d6;border-bottom:2px solid #c00}
mark.warning{background:#fff0c2;border-bottom:2px solid #c80}
mark.info{background:#dceeff;border-bottom:2px solid #37c}
mark a{color:inherit;text-decoration:none}
ol.findings li{margin:.6em 0}
.sev{display:inline-block;min-width:2.5em;text-align:center;border-radius:3px;color:#fff;font-size:.85em;padding:0 .3em}
.sev.error{background:#c00}.sev.warning{background:#c80}.sev.info{background:#37c}
.code{font-family:monospace;color:#555}
.sugg{color:#064;font-weight:bold}
.reviewed{color:#777}
.meta{color:#666;font-size:.9em}
"#;

/// The whole report.
pub fn render(files: &[WithText<'_>], summary: &Summary) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<title>校核报告</title>\n<style>");
    s.push_str(CSS);
    s.push_str("</style>\n</head>\n<body>\n<h1>校核报告</h1>\n");
    let _ = writeln!(s, "<p class=\"summary\">{}</p>", escape(&summary.line()));
    for (fi, f) in files.iter().enumerate() {
        file(&mut s, fi, f);
    }
    s.push_str("<p class=\"meta\">由 jiaohe（校核）生成。标记颜色：红色为错误（数字不可能同时成立），黄色为警告（请核实），蓝色为提示（体例）。</p>\n");
    s.push_str("</body>\n</html>\n");
    s
}

fn worst(diags: &[Diagnostic], idx: &[usize]) -> Severity {
    idx.iter()
        .map(|&i| diags[i].severity)
        .max()
        .unwrap_or(Severity::Info)
}

fn file(s: &mut String, fi: usize, f: &WithText<'_>) {
    let r = f.report;
    let _ = writeln!(s, "<h2>{}</h2>", escape(&r.path));
    let c = &r.coverage;
    let _ = writeln!(
        s,
        "<p class=\"meta\">提取数字 {} 个，参与核对 {} 个；问题 {} 处。</p>",
        c.figures,
        c.checked,
        r.diagnostics.len()
    );
    s.push_str("<div class=\"doc\">");
    for (range, covering) in segments(f.text, &r.diagnostics) {
        let piece = escape(&f.text[range]);
        if covering.is_empty() {
            s.push_str(&piece);
            continue;
        }
        let titles: Vec<String> = covering
            .iter()
            .map(|&i| {
                let d = &r.diagnostics[i];
                format!("{} {}：{}", d.rule, d.severity.label(), d.message)
            })
            .collect();
        let _ = write!(
            s,
            "<mark class=\"{}\" title=\"{}\"><a href=\"#f{fi}-{}\">{piece}</a></mark>",
            worst(&r.diagnostics, &covering).as_str(),
            escape(&titles.join("\n")),
            covering[0] + 1
        );
    }
    s.push_str("</div>\n");
    if r.diagnostics.is_empty() {
        s.push_str("<p>没有发现问题。</p>\n");
        return;
    }
    s.push_str("<ol class=\"findings\">\n");
    for (i, d) in r.diagnostics.iter().enumerate() {
        let _ = write!(
            s,
            "<li id=\"f{fi}-{}\"><span class=\"sev {}\">{}</span> <span class=\"code\">{} {}</span> 第{}行第{}列{}：{}",
            i + 1,
            d.severity.as_str(),
            d.severity.label(),
            escape(&d.rule),
            escape(&d.name),
            d.span.line,
            d.span.column,
            d.place
                .as_deref()
                .map(|p| format!("（{}）", escape(p)))
                .unwrap_or_default(),
            escape(&d.message)
        );
        if let Some(sg) = &d.suggestion {
            let _ = write!(
                s,
                "<br><span class=\"sugg\">可能的更正：{}</span>",
                escape(sg)
            );
        }
        if let Some(h) = &d.help {
            let _ = write!(s, "<br>建议：{}", escape(h));
        }
        if !d.related.is_empty() {
            let rel: Vec<String> = d
                .related
                .iter()
                .map(|x| format!("{}（第{}行）", escape(&x.label), x.span.line))
                .collect();
            let _ = write!(
                s,
                "<br><span class=\"meta\">相关数字：{}</span>",
                rel.join("；")
            );
        }
        if let Some(j) = &d.reviewed {
            let _ = write!(
                s,
                "<br><span class=\"reviewed\">已复核：{}</span>",
                escape(j)
            );
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Span;

    fn diag(start: usize, end: usize, sev: Severity) -> Diagnostic {
        Diagnostic {
            rule: "A101".into(),
            name: "x".into(),
            severity: sev,
            message: "m<".into(),
            span: Span {
                start,
                end,
                line: 1,
                column: 1,
            },
            label: String::new(),
            related: vec![],
            help: None,
            suggestion: None,
            fix: None,
            place: None,
            key: String::new(),
            reviewed: None,
        }
    }

    #[test]
    fn overlapping_spans_cut_into_pieces() {
        let text = "甲乙丙丁";
        let d = vec![diag(0, 6, Severity::Warning), diag(3, 9, Severity::Error)];
        let segs = segments(text, &d);
        let shown: Vec<(&str, Vec<usize>)> = segs
            .iter()
            .map(|(r, c)| (&text[r.clone()], c.clone()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("甲", vec![0]),
                ("乙", vec![0, 1]),
                ("丙", vec![1]),
                ("丁", vec![])
            ]
        );
    }

    #[test]
    fn escaped_and_self_contained() {
        let text = "<b>甲</b>";
        let r = FileReport {
            path: "a&b.txt".into(),
            diagnostics: vec![diag(3, 6, Severity::Error)],
            coverage: Default::default(),
        };
        let html = render(
            &[WithText { report: &r, text }],
            &Summary::of(std::slice::from_ref(&r), 0),
        );
        assert!(html.contains("&lt;b&gt;<mark class=\"error\""));
        assert!(html.contains("a&amp;b.txt"));
        assert!(!html.contains("<script") && !html.contains("http"));
    }
}
