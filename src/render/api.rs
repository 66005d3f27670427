//! The library entry point for callers other than the CLI (the web workbench):
//! [`render_text`] renders a shipped template or a template's source from data
//! (parsed [`ReportData`] or a JSON value of the data schema), self-checks the
//! draft and returns the text, the bytes of the chosen format and the findings;
//! [`template_names`] lists the shipped templates with the fields they document.

use std::sync::OnceLock;

use serde_json::Value as Json;

use super::data::{self, Indicator, ReportData};
use super::output::Format;
use super::{RenderError, Renderer, TEMPLATES, builtin, derive};
use crate::check::RuleSet;
use crate::report::{FileReport, Severity};

/// A shipped template and the fields it documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateInfo {
    /// `annual-review`, `quarterly-brief`, `work-summary-plan`, `bulletin-industry`.
    pub name: &'static str,
    /// Chinese title (`年度工业经济发展综述`).
    pub title: &'static str,
    /// The template's own documentation of the fields it needs (the `{#- … -#}`
    /// comment at its top), in Chinese.
    pub fields: &'static str,
    /// The template source.
    pub source: &'static str,
}

/// The documentation comment at the top of a template source (`{#- … -#}`), or
/// an empty string.
pub fn template_doc(source: &str) -> &str {
    let s = source.trim_start();
    let Some(body) = s.strip_prefix("{#") else {
        return "";
    };
    let body = body.strip_prefix('-').unwrap_or(body);
    match body.find("#}") {
        Some(end) => body[..end].trim_end_matches('-').trim_matches('\n'),
        None => "",
    }
}

/// The shipped templates with their documented fields.
pub fn template_names() -> Vec<TemplateInfo> {
    TEMPLATES
        .iter()
        .map(|(name, title, source)| TemplateInfo {
            name,
            title,
            fields: template_doc(source),
            source,
        })
        .collect()
}

/// The data to render: parsed, or a JSON value of the data schema (the same
/// shape as a YAML data file: `{report: {...}, indicators: [...]}`; the output of
/// `jiaohe extract --format json` is accepted too).
#[derive(Debug, Clone)]
pub enum DataInput {
    Data(ReportData),
    Json(Json),
}

impl From<ReportData> for DataInput {
    fn from(d: ReportData) -> Self {
        DataInput::Data(d)
    }
}

impl From<&ReportData> for DataInput {
    fn from(d: &ReportData) -> Self {
        DataInput::Data(d.clone())
    }
}

impl From<Json> for DataInput {
    fn from(v: Json) -> Self {
        DataInput::Json(v)
    }
}

/// A rendered, self-checked draft.
#[derive(Debug)]
pub struct Rendered {
    /// The draft in the requested format; for docx, the plain text (the Word
    /// file is in `bytes`).
    pub text: String,
    /// The file's bytes in the requested format (UTF-8 text, or the .docx).
    pub bytes: Vec<u8>,
    pub format: Format,
    /// The self-check of the prose (diagnostics with spans into `prose`).
    pub report: FileReport,
    /// The text the self-check read (the draft without tables).
    pub prose: String,
    /// Contradictions and doubts in the data (error: the given figures cannot all
    /// be true; warning: please verify).
    pub issues: Vec<derive::Issue>,
    /// Figures computed from others, as `指标名的字段` (`规模以上工业总产值的增速`).
    pub computed: Vec<String>,
    /// The data after derivation (computed figures filled and marked).
    pub data: ReportData,
}

impl Rendered {
    /// Errors in the data and in the self-check: a CLI render stops on these
    /// unless `--allow-errors`.
    pub fn errors(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count()
            + self
                .report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count()
    }
}

/// The default rule set, loaded once.
fn default_rules() -> Result<&'static RuleSet, RenderError> {
    static RULES: OnceLock<Result<RuleSet, String>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            RuleSet::defaults().map_err(|e| {
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("；")
            })
        })
        .as_ref()
        .map_err(|e| RenderError::plain(format!("内置规则无法加载：{e}")))
}

/// Renders `template` (a shipped template's name, else the template's source
/// text) with `data` in `format`, self-checked with the default rules. The
/// draft is returned even when the data or the check report errors (see
/// [`Rendered::errors`]); a template that cannot be rendered (missing field,
/// syntax) is a [`RenderError`] naming the field and template line.
pub fn render_text(
    template: &str,
    data: impl Into<DataInput>,
    format: Format,
) -> Result<Rendered, RenderError> {
    render_text_with(template, data, format, default_rules()?)
}

/// [`render_text`] with a rule set of the caller's.
pub fn render_text_with(
    template: &str,
    data: impl Into<DataInput>,
    format: Format,
    rules: &RuleSet,
) -> Result<Rendered, RenderError> {
    let data = match data.into() {
        DataInput::Data(d) => d,
        DataInput::Json(v) => {
            data::from_json(v, "<数据>").map_err(|e| RenderError::plain(e.to_string()))?
        }
    };
    let (renderer, name) = if builtin(template).is_some() {
        let n = template.strip_suffix(".j2").unwrap_or(template);
        (Renderer::new(None), n.to_owned())
    } else {
        let mut r = Renderer::new(None);
        r.env_mut()
            .add_template_owned("自定义", template.to_owned())
            .map_err(|e| r.translate(&e))?;
        (r, "自定义".to_owned())
    };
    let draft = super::draft(&renderer, &name, data, rules, None, "<草稿>")?;
    let bytes = draft
        .to_bytes(format)
        .map_err(|e| RenderError::plain(format!("无法生成 Word 文件：{e}")))?;
    let text = draft
        .to_text(format)
        .unwrap_or_else(|| super::output::to_txt(&draft.blocks));
    let mut computed = Vec::new();
    collect_computed(&draft.data.indicators, &mut computed);
    Ok(Rendered {
        text,
        bytes,
        format,
        prose: draft.check.extraction.doc.source.text.clone(),
        report: draft.check.report,
        issues: draft.issues,
        computed,
        data: draft.data,
    })
}

/// `指标名的字段` for every computed figure, parts included.
pub fn collect_computed(inds: &[Indicator], out: &mut Vec<String>) {
    for i in inds {
        for c in &i.computed {
            out.push(format!("{}的{}", i.name, super::filters::field_cn(c)));
        }
        collect_computed(&i.parts, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_documents_its_fields() {
        let names = template_names();
        assert_eq!(names.len(), 4);
        for t in names {
            assert!(t.fields.contains("文档字段"), "{}: {}", t.name, t.fields);
            assert!(t.fields.contains("必填"), "{}", t.name);
            assert!(!t.fields.contains("{#"), "{}", t.name);
        }
        assert_eq!(template_doc("{# a #}x"), " a ");
        assert_eq!(template_doc("no comment"), "");
    }

    #[test]
    fn renders_a_source_from_json() {
        let data = serde_json::json!({
            "report": {"region": "示例市", "year": 2025},
            "indicators": [{"id": "out", "name": "规模以上工业总产值", "value": 120.5,
                            "unit": "亿元", "prev": 110}]
        });
        let r = render_text(
            "{{ region }}{{ ind.out | stmt }}。",
            data.clone(),
            Format::Txt,
        )
        .unwrap();
        assert_eq!(
            r.text.trim(),
            "示例市2025年，规模以上工业总产值120.5亿元，同比增长9.5%。",
            "{}",
            r.text
        );
        assert_eq!(r.computed, vec!["规模以上工业总产值的增速".to_owned()]);
        assert_eq!(r.errors(), 0);
        let e = render_text("{{ region }}{{ dept }}", data, Format::Txt).unwrap_err();
        assert!(e.message.contains("dept"), "{e}");
        assert_eq!(e.line, Some(1));
    }
}
