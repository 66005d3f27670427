//! The JSON API under `/api/`.
//!
//! | Method and path | Body | Answer |
//! |---|---|---|
//! | `GET /api/rules` | — | `{"rules": [rule…], "kinds": [kind…]}` |
//! | `POST /api/rules/validate` | `{"name", "text"}` (a YAML pack) | `{"ok", "errors": [{"path","line","column","message"}], "rules": [rule…]}` |
//! | `POST /api/check` | document | `{"version":1, "path", "text", "diagnostics", "coverage", "summary", "rows"}` |
//! | `POST /api/extract` | document | the JSON of `jiaohe extract --format json` |
//! | `POST /api/export/{json,sarif,html,csv,xlsx}` | document | a file to download |
//! | `GET /api/baseline` | — | `{"path", "reviewed": [entry…]}` |
//! | `POST /api/baseline` | `{"entries": [{"rule","key","justification","reviewer"?,"path"?}]}` | `{"path","written","total"}` |
//! | `GET /api/templates` | — | `{"templates": [{"name","title","fields","example"}]}` |
//! | `POST /api/render` | `{"template", "data" \| "data_text"+"data_format", "format"}` | `{"text","prose","diagnostics","summary","issues","computed","errors"}` |
//! | `POST /api/render/download` | the same | the draft as a file (.docx, .md, .txt, .html) |
//!
//! A *document* is `{"name": "稿件.docx", "text": "…"}` or `{"name", "data": base64}`
//! for binary files, with optional `"date": "YYYY-MM-DD"`, `"disabled": ["A101"]`
//! (rules switched off for this request), `"pack": "YAML"` and `"pack_name"` (a user
//! pack added to the rules), `"baseline": true` (mark findings reviewed from the
//! server's baseline file). The file name's extension picks the reader, as on the
//! command line.
//!
//! In `/api/check`, every span also carries `"at": [start, end]` in UTF-16 code
//! units, for the page's JavaScript; the rest is the CLI's JSON contract.
//!
//! Errors are `{"error": "中文说明"}` with 400 (malformed JSON or document), 413 (over
//! [`super::BODY_LIMIT`]), 415 (not `application/json`), 422 (bad rule pack, or a
//! template or data that cannot be rendered), 500
//! (an internal failure confined to that request).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::AppState;
use crate::check::baseline::{Baseline, Entry};
use crate::check::{LoadOptions, RuleSet, check};
use crate::extract::{ExtractOptions, Extraction, extract_with};
use crate::load;
use crate::report::extract_out::{self, Row};
use crate::report::{Diagnostic, FileReport, Summary, html, json, sarif};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/rules", get(rules))
        .route("/rules/validate", post(validate))
        .route("/check", post(check_doc))
        .route("/extract", post(extract_doc))
        .route("/export/{format}", post(export))
        .route("/baseline", get(baseline_get).post(baseline_post))
        .route("/templates", get(super::draft::templates))
        .route("/render", post(super::draft::render))
        .route("/render/download", post(super::draft::render_download))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "没有这个接口") })
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub(super) fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

pub(super) type ApiResult<T> = Result<T, ApiError>;

/// Reads a JSON body, with Chinese errors for each way it can be wrong.
pub(super) fn body<T: DeserializeOwned>(
    headers: &HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<T> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请求体必须是 JSON（Content-Type: application/json）",
        ));
    }
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("请求太大：上限为 {} MB", super::BODY_LIMIT / (1024 * 1024)),
            )
        } else {
            ApiError::bad(format!("无法读取请求体：{e}"))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad(format!(
            "JSON 格式不对（第{}行第{}列）：{}",
            e.line(),
            e.column(),
            json_reason(&e)
        ))
    })
}

fn json_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax => "语法错误".to_owned(),
        Category::Eof => "内容不完整".to_owned(),
        Category::Data => {
            // serde's message names the field; keep it (it is in English).
            format!("字段内容不符合要求（{e}）")
        }
        Category::Io => "读取失败".to_owned(),
    }
}

/// Runs CPU-bound work off the async threads; a panic becomes a 500 for this request.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "处理这份文档时程序出错，已中止；其他请求不受影响。请把文档发给维护者以便修复",
        )
    })?
}

/// A document sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocInput {
    /// File name; its extension picks the reader.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    /// Base64 of the file's bytes (Word, Excel, any encoding).
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub disabled: Vec<String>,
    #[serde(default)]
    pub pack: Option<String>,
    #[serde(default)]
    pub pack_name: Option<String>,
    #[serde(default)]
    pub baseline: bool,
}

/// The rules for a request: the server's, or with the user's pack added (cached).
fn rules_for(state: &AppState, input: &DocInput) -> ApiResult<Arc<RuleSet>> {
    let Some(pack) = input.pack.as_deref().filter(|p| !p.trim().is_empty()) else {
        return Ok(state.rules.clone());
    };
    let name = input
        .pack_name
        .clone()
        .unwrap_or_else(|| "上传的规则包.yaml".into());
    let mut h = DefaultHasher::new();
    (pack, &name).hash(&mut h);
    let key = h.finish();
    if let Ok(cache) = state.packs.lock() {
        if let Some((_, r)) = cache.iter().find(|(k, _)| *k == key) {
            return Ok(r.clone());
        }
    }
    let set = load_with_pack(state, &name, pack).map_err(|errs| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let set = Arc::new(set);
    if let Ok(mut cache) = state.packs.lock() {
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((key, set.clone()));
    }
    Ok(set)
}

fn load_with_pack(
    state: &AppState,
    name: &str,
    text: &str,
) -> Result<RuleSet, Vec<crate::check::RuleError>> {
    let mut opts: LoadOptions = state.options.load.clone();
    opts.texts.push((name.to_owned(), text.to_owned()));
    RuleSet::load(&opts)
}

fn load_doc(input: &DocInput) -> ApiResult<load::SourceFile> {
    let name = input
        .name
        .clone()
        .unwrap_or_else(|| "粘贴的文本.txt".into());
    let bytes: Vec<u8> = match (&input.text, &input.data) {
        (Some(t), None) => t.clone().into_bytes(),
        (None, Some(d)) => base64::engine::general_purpose::STANDARD
            .decode(d.trim())
            .map_err(|e| ApiError::bad(format!("data 不是有效的 base64：{e}")))?,
        (Some(_), Some(_)) => return Err(ApiError::bad("text 与 data 只能给一个")),
        (None, None) => {
            return Err(ApiError::bad(
                "请给出 text（文本）或 data（base64 文件内容）",
            ));
        }
    };
    load::load_bytes(&name, &bytes).map_err(|e| ApiError::bad(e.to_string()))
}

fn date_of(input: &DocInput) -> ApiResult<Option<NaiveDate>> {
    input
        .date
        .as_deref()
        .filter(|d| !d.is_empty())
        .map(|d| crate::cli::parse_date(d).map_err(ApiError::bad))
        .transpose()
}

/// Extracts and checks a document as the CLI does.
fn run_check(state: &AppState, input: &DocInput) -> ApiResult<(Extraction, FileReport)> {
    let rules = rules_for(state, input)?;
    let date = date_of(input)?;
    let src = load_doc(input)?;
    let ex = extract_with(src, &ExtractOptions { date }, &rules.table);
    let mut report = check(&rules, &ex);
    report.diagnostics.retain(|d| {
        !input
            .disabled
            .iter()
            .any(|x| x.eq_ignore_ascii_case(&d.rule))
    });
    if input.baseline {
        let b = Baseline::load(&state.options.baseline).map_err(ApiError::bad)?;
        b.apply(std::slice::from_mut(&mut report));
    }
    Ok((ex, report))
}

/// Byte offsets → UTF-16 offsets of one text.
pub(super) struct Utf16 {
    at: Vec<u32>,
}

impl Utf16 {
    pub(super) fn new(text: &str) -> Self {
        let mut at = vec![0u32; text.len() + 1];
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            at[i] = n;
            n += c.len_utf16() as u32;
        }
        // Offsets inside a character map to its start; the end maps to the total.
        let mut last = 0;
        for (i, v) in at.iter_mut().enumerate().take(text.len()) {
            if text.is_char_boundary(i) {
                last = *v;
            } else {
                *v = last;
            }
        }
        at[text.len()] = n;
        Utf16 { at }
    }
    fn of(&self, byte: usize) -> u32 {
        self.at[byte.min(self.at.len() - 1)]
    }
    pub(super) fn pair(&self, s: usize, e: usize) -> [u32; 2] {
        [self.of(s), self.of(e)]
    }
}

#[derive(Serialize)]
pub(super) struct DiagOut<'a> {
    #[serde(flatten)]
    pub(super) d: &'a Diagnostic,
    pub(super) at: [u32; 2],
    pub(super) related_at: Vec<[u32; 2]>,
}

#[derive(Serialize)]
struct RowOut {
    #[serde(flatten)]
    row: Row,
    at: [u32; 2],
}

#[derive(Serialize)]
struct CheckOut<'a> {
    version: u32,
    path: &'a str,
    text: &'a str,
    diagnostics: Vec<DiagOut<'a>>,
    coverage: CoverageOut,
    summary: Summary,
    rows: Vec<RowOut>,
}

#[derive(Serialize)]
struct CoverageOut {
    figures: usize,
    checked: usize,
    unread_at: Vec<[u32; 2]>,
}

async fn check_doc(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: DocInput = body(&headers, bytes)?;
    blocking(move || {
        let (ex, report) = run_check(&state, &input)?;
        let text = crate::cli::display_text(&ex);
        let u = Utf16::new(text);
        let summary = Summary::of(std::slice::from_ref(&report), 0);
        let out = CheckOut {
            version: 1,
            path: &report.path,
            text,
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| DiagOut {
                    d,
                    at: u.pair(d.span.start, d.span.end),
                    related_at: d
                        .related
                        .iter()
                        .map(|r| u.pair(r.span.start, r.span.end))
                        .collect(),
                })
                .collect(),
            coverage: CoverageOut {
                figures: report.coverage.figures,
                checked: report.coverage.checked,
                unread_at: report
                    .coverage
                    .unread
                    .iter()
                    .map(|s| u.pair(s.start, s.end))
                    .collect(),
            },
            summary,
            rows: extract_out::rows(&ex.facts)
                .into_iter()
                .map(|row| RowOut {
                    at: u.pair(row.start, row.end),
                    row,
                })
                .collect(),
        };
        Ok(axum::Json(out).into_response())
    })
    .await
}

async fn extract_doc(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: DocInput = body(&headers, bytes)?;
    blocking(move || {
        let date = date_of(&input)?;
        let src = load_doc(&input)?;
        let ex = extract_with(src, &ExtractOptions { date }, &state.rules.table);
        let mut buf = Vec::new();
        extract_out::write(
            &mut buf,
            extract_out::ExtractFormat::Json,
            std::slice::from_ref(&ex.facts),
            &[],
        )
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(([(header::CONTENT_TYPE, "application/json")], buf).into_response())
    })
    .await
}

pub(super) fn download(name: &str, mime: &'static str, body: Vec<u8>) -> Response {
    // RFC 5987 for the Chinese file name.
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"jiaohe-export\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn export(
    State(state): State<Arc<AppState>>,
    Path(format): Path<String>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: DocInput = body(&headers, bytes)?;
    blocking(move || {
        let (ex, report) = run_check(&state, &input)?;
        let stem = std::path::Path::new(&report.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "文档".into());
        let reports = std::slice::from_ref(&report);
        let summary = Summary::of(reports, 0);
        let text = crate::cli::display_text(&ex);
        Ok(match format.as_str() {
            "json" => download(
                &format!("{stem}-校核.json"),
                "application/json",
                json::render(reports, &[], &summary).into_bytes(),
            ),
            "sarif" => {
                let rules = rules_for(&state, &input)?;
                download(
                    &format!("{stem}-校核.sarif"),
                    "application/sarif+json",
                    sarif::render(reports, &[text], &rules).into_bytes(),
                )
            }
            "html" => download(
                &format!("{stem}-校核报告.html"),
                "text/html; charset=utf-8",
                html::render(
                    &[html::WithText {
                        report: &report,
                        text,
                    }],
                    &summary,
                )
                .into_bytes(),
            ),
            "csv" => {
                let mut buf = Vec::new();
                // A byte-order mark so that Excel opens the Chinese correctly.
                buf.extend_from_slice("\u{feff}".as_bytes());
                extract_out::write(
                    &mut buf,
                    extract_out::ExtractFormat::Csv,
                    std::slice::from_ref(&ex.facts),
                    &[],
                )
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
                download(&format!("{stem}-数字.csv"), "text/csv; charset=utf-8", buf)
            }
            "xlsx" => download(
                &format!("{stem}-数字.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                extract_out::xlsx(&ex.facts)
                    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?,
            ),
            other => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("不支持的导出格式“{other}”；可用：json、sarif、html、csv、xlsx"),
                ));
            }
        })
    })
    .await
}

/// A rule as the page shows it.
#[derive(Serialize)]
pub struct RuleInfo {
    id: String,
    name: String,
    severity: &'static str,
    severity_label: &'static str,
    kind: String,
    source: String,
    message: String,
    help: Option<String>,
    doc: Option<String>,
    wrong: Option<String>,
    right: Option<String>,
}

fn rule_infos(set: &RuleSet, only: Option<&str>) -> Vec<RuleInfo> {
    set.rules
        .iter()
        .filter(|r| only.is_none_or(|s| r.source == s))
        .map(|r| {
            let e = &r.entry;
            RuleInfo {
                id: e.id.clone(),
                name: e.name.clone(),
                severity: e.severity.as_str(),
                severity_label: e.severity.label(),
                kind: e.kind.clone(),
                source: r.source.clone(),
                message: e.message.clone(),
                help: e.help.clone(),
                doc: e.doc.clone(),
                wrong: e.examples.as_ref().map(|x| x.wrong.clone()),
                right: e.examples.as_ref().map(|x| x.right.clone()),
            }
        })
        .collect()
}

async fn rules(State(state): State<Arc<AppState>>) -> Response {
    let kinds: Vec<serde_json::Value> = crate::check::registry::KINDS
        .iter()
        .map(|k| serde_json::json!({"name": k.name, "summary": k.summary, "vars": k.vars}))
        .collect();
    axum::Json(serde_json::json!({
        "rules": rule_infos(&state.rules, None),
        "kinds": kinds,
        "disabled": state.rules.disabled,
    }))
    .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackInput {
    #[serde(default)]
    name: Option<String>,
    text: String,
}

async fn validate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: PackInput = body(&headers, bytes)?;
    blocking(move || {
        let name = input.name.unwrap_or_else(|| "上传的规则包.yaml".into());
        Ok(match load_with_pack(&state, &name, &input.text) {
            Ok(set) => axum::Json(serde_json::json!({
                "ok": true,
                "errors": [],
                "rules": rule_infos(&set, Some(&name)),
            }))
            .into_response(),
            Err(errs) => {
                let errors: Vec<serde_json::Value> = errs
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "path": e.path, "line": e.line, "column": e.column,
                            "message": e.message, "display": e.to_string(),
                        })
                    })
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    axum::Json(serde_json::json!({"ok": false, "errors": errors, "rules": []})),
                )
                    .into_response()
            }
        })
    })
    .await
}

async fn baseline_get(State(state): State<Arc<AppState>>) -> ApiResult<Response> {
    let path = state.options.baseline.clone();
    let b = Baseline::load(&path).map_err(ApiError::bad)?;
    Ok(axum::Json(serde_json::json!({
        "path": path.display().to_string(),
        "reviewed": b.reviewed,
    }))
    .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineInput {
    entries: Vec<Entry>,
}

async fn baseline_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let input: BaselineInput = body(&headers, bytes)?;
    if let Some(e) = input
        .entries
        .iter()
        .find(|e| e.justification.trim().is_empty())
    {
        return Err(ApiError::bad(format!(
            "{} 的复核说明为空：标记为已复核时必须写明理由",
            e.rule
        )));
    }
    blocking(move || {
        let _guard = state
            .baseline_lock
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "基线文件锁异常"))?;
        let path = &state.options.baseline;
        let mut b = Baseline::load(path).map_err(ApiError::bad)?;
        let written = input.entries.len();
        for e in input.entries {
            b.upsert(e);
        }
        let yaml = b.to_yaml().map_err(ApiError::bad)?;
        std::fs::write(path, yaml).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "无法写入基线文件 {}：{}",
                    path.display(),
                    load::io_reason(&e)
                ),
            )
        })?;
        Ok(axum::Json(serde_json::json!({
            "path": path.display().to_string(),
            "written": written,
            "total": b.reviewed.len(),
        }))
        .into_response())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::Utf16;

    #[test]
    fn utf16_offsets() {
        let t = "a示𝄞b";
        let u = Utf16::new(t);
        assert_eq!(u.of(0), 0);
        assert_eq!(u.of(1), 1);
        assert_eq!(u.of(4), 2); // after 示
        assert_eq!(u.of(8), 4); // after the surrogate pair
        assert_eq!(u.of(t.len()), 5);
        assert_eq!(u.of(2), 1); // inside 示: its start
    }
}
