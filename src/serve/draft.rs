//! The "起草报告" endpoints: the shipped templates with example data, and
//! rendering a draft (preview with its self-check, or a file to download).
//!
//! `POST /api/render` takes
//! `{"template": name or source (default: the data's report.template), "data": {…} | "data_text": "…", "data_format": "yaml|json|csv", "format": "txt|md|html|docx"}`.
//! The preview answer carries the draft's text in the chosen format (`text`; for
//! docx the plain text), the prose the self-check read (`prose`) and the
//! findings with `at` offsets in UTF-16 code units into `prose`, as `/api/check`
//! does. A template or data that cannot be rendered is a 422 whose `error` names
//! the field and the template line.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use super::api::{ApiError, ApiResult, DiagOut, Utf16, blocking, body, download};
use crate::render::api::{DataInput, Rendered, render_text, template_names};
use crate::render::data;
use crate::render::output::Format;
use crate::report::Summary;

/// Example data shipped for each template (`report.template` names it).
const EXAMPLES: &[&str] = &[
    include_str!("../../examples/render/shili-2025.yaml"),
    include_str!("../../examples/render/shili-2025-q3.yaml"),
    include_str!("../../examples/render/shili-gxj-2025.yaml"),
    include_str!("../../examples/render/shili-bulletin-2025.yaml"),
];

/// The example data for `template`, as JSON of the data schema.
fn example_for(template: &str) -> Option<Json> {
    EXAMPLES.iter().find_map(|text| {
        let v: Json = crate::load::yaml::from_str(text, "示例数据.yaml").ok()?;
        let named = v
            .get("report")
            .and_then(|r| r.get("template"))
            .and_then(Json::as_str);
        (named == Some(template)).then_some(v)
    })
}

pub async fn templates() -> Response {
    let list: Vec<Json> = template_names()
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "title": t.title,
                "fields": t.fields,
                "example": example_for(t.name),
            })
        })
        .collect();
    axum::Json(json!({ "templates": list })).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenderInput {
    /// A shipped template's name, or a template's source; absent: the data's
    /// `report.template`, as on the command line.
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    data: Option<Json>,
    #[serde(default)]
    data_text: Option<String>,
    /// `yaml` (default), `json` or `csv`.
    #[serde(default)]
    data_format: Option<String>,
    /// `txt` (default), `md`, `html` or `docx`.
    #[serde(default)]
    format: Option<String>,
}

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// The data of a request, and the JSON it was read as (YAML and JSON text only),
/// so the page can show it in its table.
fn data_of(input: &RenderInput) -> ApiResult<(DataInput, Option<Json>)> {
    match (&input.data, &input.data_text) {
        (Some(v), None) => Ok((DataInput::Json(v.clone()), None)),
        (None, Some(text)) => {
            let fmt = input
                .data_format
                .as_deref()
                .unwrap_or("yaml")
                .to_ascii_lowercase();
            match fmt.as_str() {
                "yaml" | "yml" => {
                    let v: Json = crate::load::yaml::from_str(text, "数据.yaml").map_err(|e| {
                        unprocessable(format!(
                            "数据（YAML）第{}行第{}列：{}",
                            e.line, e.column, e.message
                        ))
                    })?;
                    Ok((DataInput::Json(v.clone()), Some(v)))
                }
                "json" => {
                    let v: Json = serde_json::from_str(text).map_err(|e| {
                        unprocessable(format!(
                            "数据（JSON）第{}行第{}列：格式有误（{e}）",
                            e.line(),
                            e.column()
                        ))
                    })?;
                    Ok((DataInput::Json(v.clone()), Some(v)))
                }
                "csv" => data::read_csv(text, "数据.csv")
                    .map(|d| (DataInput::Data(d), None))
                    .map_err(|e| unprocessable(e.to_string())),
                other => Err(ApiError::bad(format!(
                    "不支持的数据格式“{other}”；可用：yaml、json、csv"
                ))),
            }
        }
        (Some(_), Some(_)) => Err(ApiError::bad("data 与 data_text 只能给一个")),
        (None, None) => Err(ApiError::bad(
            "请给出 data（数据 JSON）或 data_text（YAML、JSON 或 CSV 文本）",
        )),
    }
}

fn format_of(input: &RenderInput) -> ApiResult<Format> {
    let f = input.format.as_deref().unwrap_or("txt");
    Format::from_extension(f)
        .ok_or_else(|| ApiError::bad(format!("不支持的输出格式“{f}”；可用：txt、md、html、docx")))
}

/// The template named by the request, else by the data (`report.template`).
fn template_of(input: &RenderInput, data: &DataInput) -> ApiResult<String> {
    let named = match data {
        DataInput::Data(d) => d.template().map(str::to_owned),
        DataInput::Json(v) => v
            .get("report")
            .and_then(|r| r.get("template"))
            .and_then(Json::as_str)
            .map(str::to_owned),
    };
    input
        .template
        .clone()
        .or(named)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            ApiError::bad(
                "请给出 template（模板名称或模板内容），或在数据的 report.template 中写明",
            )
        })
}

/// Renders a request: the draft, the template used, and the data as JSON when
/// it was sent as YAML or JSON text.
fn run(input: &RenderInput) -> ApiResult<(Rendered, String, Option<Json>)> {
    let format = format_of(input)?;
    let (data, echo) = data_of(input)?;
    let template = template_of(input, &data)?;
    let r = render_text(&template, data, format).map_err(|e| unprocessable(e.to_string()))?;
    Ok((r, template, echo))
}

pub async fn render(
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: RenderInput = body(&headers, bytes)?;
    blocking(move || {
        let (r, template, echo) = run(&input)?;
        let u = Utf16::new(&r.prose);
        let diagnostics: Vec<DiagOut<'_>> = r
            .report
            .diagnostics
            .iter()
            .map(|d| DiagOut {
                d,
                at: u.pair(d.span.start, d.span.end),
                related_at: d
                    .related
                    .iter()
                    .map(|x| u.pair(x.span.start, x.span.end))
                    .collect(),
            })
            .collect();
        let issues: Vec<Json> = r
            .issues
            .iter()
            .map(|i| {
                json!({
                    "severity": i.severity.as_str(),
                    "severity_label": i.severity.label(),
                    "indicator": i.indicator,
                    "message": i.message,
                })
            })
            .collect();
        let out = json!({
            "format": r.format.extension(),
            "text": r.text,
            "prose": r.prose,
            "diagnostics": diagnostics,
            "summary": Summary::of(std::slice::from_ref(&r.report), 0),
            "issues": issues,
            "computed": r.computed,
            "errors": r.errors(),
            "input": echo,
            "template": if template.len() <= 64 { Some(template) } else { None },
        });
        Ok(axum::Json(out).into_response())
    })
    .await
}

/// The file name of a download: the template's Chinese title, else 报告.
fn file_name(template: &str, format: Format) -> String {
    let title = template_names()
        .into_iter()
        .find(|t| t.name == template.strip_suffix(".j2").unwrap_or(template))
        .map_or("报告", |t| t.title)
        .replace('/', "、");
    format!("{title}-草稿.{}", format.extension())
}

fn mime(format: Format) -> &'static str {
    match format {
        Format::Txt => "text/plain; charset=utf-8",
        Format::Md => "text/markdown; charset=utf-8",
        Format::Html => "text/html; charset=utf-8",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
}

pub async fn render_download(
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: RenderInput = body(&headers, bytes)?;
    blocking(move || {
        let (r, template, _) = run(&input)?;
        Ok(download(
            &file_name(&template, r.format),
            mime(r.format),
            r.bytes,
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_example_data() {
        for t in template_names() {
            let v = example_for(t.name).unwrap_or_else(|| panic!("{} has no example", t.name));
            assert!(
                v.get("indicators").is_some_and(Json::is_array),
                "{}",
                t.name
            );
        }
        assert!(example_for("no-such").is_none());
        assert_eq!(
            file_name("quarterly-brief", Format::Docx),
            "季度、开门红经济运行简报-草稿.docx"
        );
        assert_eq!(file_name("{{ x }}", Format::Md), "报告-草稿.md");
    }
}
