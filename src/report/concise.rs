//! One line per finding:
//! `path:line:column: A101 [错误] message（位置：表1 第3行第2列）（可能的更正：…）`; the
//! place is given for Word documents and tables, where a line number is not what a
//! reader finds. A related figure in another file (`--across`) is named after the
//! message: `（对照 other.txt:3:9）`.

use super::FileReport;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for d in &r.diagnostics {
            out.push_str(&format!(
                "{}:{}:{}: {} [{}] {}",
                r.path,
                d.span.line,
                d.span.column,
                d.rule,
                d.severity.label(),
                d.message
            ));
            if let Some(p) = &d.place {
                out.push_str(&format!("（位置：{p}）"));
            }
            for x in &d.related {
                if let Some(p) = x.path.as_deref().filter(|p| *p != r.path) {
                    out.push_str(&format!("（对照 {p}:{}:{}）", x.span.line, x.span.column));
                }
            }
            if let Some(s) = &d.suggestion {
                out.push_str(&format!("（可能的更正：{s}）"));
            }
            if d.reviewed.is_some() {
                out.push_str("（已复核）");
            }
            out.push('\n');
        }
    }
    out
}
