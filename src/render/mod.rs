//! Drafting reports from data (`jiaohe render`).
//!
//! # Brief overview
//!
//! - [`data`]: the data schema ([`data::ReportData`]: document fields plus
//!   [`data::Indicator`]s) and its readers: YAML, JSON, CSV, Excel, and the output of
//!   `jiaohe extract`.
//! - [`derive`]: computed figures (growth from levels, shares, totals, gaps), marked
//!   as computed; contradictions between given figures reported in Chinese.
//! - [`filters`]: the house-style filters; numbers leave Rust only through them.
//! - this module: the minijinja [`Renderer`] (embedded templates from
//!   `templates/*.j2`, or the user's own file with `include`/`extends` from its
//!   folder; strict undefined, so a missing field is an error naming the field and
//!   the template line).
//! - [`output`]: the rendered Markdown-like text → blocks → txt, md, html; [`docx`]
//!   writes Word.
//! - [`api`]: [`render_text`] and [`template_names`] for library callers (the web
//!   workbench).
//! - [`selfcheck`]: every draft is extracted and checked before it is written;
//!   [`roundtrip`]: the detector that every figure of the data is read back from the
//!   draft with its indicator, unit, period and change.

pub mod api;
pub mod data;
pub mod derive;
pub mod docx;
pub mod filters;
pub mod output;
pub mod roundtrip;
pub mod selfcheck;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use minijinja::value::Value;
use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use data::ReportData;

pub use api::{DataInput, Rendered, TemplateInfo, render_text, render_text_with, template_names};

/// The templates shipped with jiaohe: (name, Chinese title, source).
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "annual-review",
        "年度工业经济发展综述",
        include_str!("../../templates/annual-review.j2"),
    ),
    (
        "quarterly-brief",
        "季度/开门红经济运行简报",
        include_str!("../../templates/quarterly-brief.j2"),
    ),
    (
        "work-summary-plan",
        "部门工作总结和工作计划",
        include_str!("../../templates/work-summary-plan.j2"),
    ),
    (
        "bulletin-industry",
        "统计公报（综合、工业部分）",
        include_str!("../../templates/bulletin-industry.j2"),
    ),
];

/// The source of a shipped template, by name (`annual-review` or
/// `annual-review.j2`).
pub fn builtin(name: &str) -> Option<&'static str> {
    let n = name.strip_suffix(".j2").unwrap_or(name);
    TEMPLATES
        .iter()
        .find(|(t, _, _)| *t == n)
        .map(|(_, _, s)| *s)
}

/// Which template to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateChoice {
    Builtin(String),
    File(PathBuf),
}

impl TemplateChoice {
    /// Resolves `--template` (a shipped name or a file), else the data's
    /// `report.template`.
    pub fn resolve(arg: Option<&str>, data: &ReportData) -> Result<Self, RenderError> {
        let names = || {
            TEMPLATES
                .iter()
                .map(|(n, t, _)| format!("{n}（{t}）"))
                .collect::<Vec<_>>()
                .join("、")
        };
        let Some(a) = arg.or_else(|| data.template()) else {
            return Err(RenderError::plain(format!(
                "没有指定模板：请用 --template 指定，或在数据的 report 中写 template。可用的模板：{}",
                names()
            )));
        };
        if builtin(a).is_some() {
            return Ok(TemplateChoice::Builtin(
                a.strip_suffix(".j2").unwrap_or(a).to_owned(),
            ));
        }
        let p = PathBuf::from(a);
        if p.is_file() {
            return Ok(TemplateChoice::File(p));
        }
        Err(RenderError::plain(format!(
            "找不到模板“{a}”：既不是内置模板，也不是存在的文件。可用的模板：{}",
            names()
        )))
    }
}

/// A template that could not be rendered: where and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// Template name (file name for the user's own).
    pub template: Option<String>,
    pub line: Option<usize>,
    pub message: String,
    /// The template line, when known.
    pub source_line: Option<String>,
}

impl RenderError {
    pub fn plain(message: impl Into<String>) -> Self {
        RenderError {
            template: None,
            line: None,
            message: message.into(),
            source_line: None,
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.template, self.line) {
            (Some(t), Some(l)) => write!(f, "模板 {t} 第{l}行：{}", self.message)?,
            (Some(t), None) => write!(f, "模板 {t}：{}", self.message)?,
            _ => write!(f, "{}", self.message)?,
        }
        if let (Some(l), Some(s)) = (self.line, &self.source_line) {
            write!(f, "\n  {l:>4} | {}", s.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {}

/// The template engine with the house-style filters.
pub struct Renderer {
    env: Environment<'static>,
    /// Top-level names of the context last rendered (to name missing fields).
    known: std::sync::Mutex<Vec<String>>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Renderer {
    /// An engine with the shipped templates; with `user_dir`, templates not shipped
    /// are read from that folder (for `include`/`extends` in a user's template).
    pub fn new(user_dir: Option<PathBuf>) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_debug(true);
        filters::register(&mut env);
        env.set_loader(move |name| {
            if let Some(s) = builtin(name) {
                return Ok(Some(s.to_owned()));
            }
            let Some(dir) = &user_dir else {
                return Ok(None);
            };
            let rel = Path::new(name);
            if rel.is_absolute()
                || rel
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
            {
                return Err(minijinja::Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("模板名“{name}”只能是模板所在文件夹内的相对路径"),
                ));
            }
            match std::fs::read_to_string(dir.join(rel)) {
                Ok(s) => Ok(Some(s)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(minijinja::Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("无法读取模板“{name}”：{}", crate::load::io_reason(&e)),
                )),
            }
        });
        Renderer {
            env,
            known: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// For a template choice: the engine and the name to render.
    pub fn for_choice(choice: &TemplateChoice) -> Result<(Self, String), RenderError> {
        match choice {
            TemplateChoice::Builtin(n) => Ok((Renderer::new(None), n.clone())),
            TemplateChoice::File(p) => {
                let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| {
                        RenderError::plain(format!("模板路径“{}”不是文件", p.display()))
                    })?;
                Ok((Renderer::new(Some(dir)), name))
            }
        }
    }

    /// The environment, for tests that replace a filter (the round-trip test
    /// breaks `yi` on purpose and expects the detector to notice).
    pub fn env_mut(&mut self) -> &mut Environment<'static> {
        &mut self.env
    }

    /// Renders a template with the data (already derived).
    pub fn render(&self, template: &str, data: &ReportData) -> Result<String, RenderError> {
        let tpl = self
            .env
            .get_template(template)
            .map_err(|e| self.translate(&e))?;
        let ctx = context(data);
        if let Ok(mut k) = self.known.lock() {
            *k = ctx
                .try_iter()
                .map(|it| it.map(|v| v.to_string()).collect())
                .unwrap_or_default();
        }
        tpl.render(ctx).map_err(|e| self.translate(&e))
    }

    /// Turns a minijinja error into a Chinese one with the template line.
    fn translate(&self, e: &minijinja::Error) -> RenderError {
        let detail = e.detail().unwrap_or_default().to_owned();
        let message = match e.kind() {
            ErrorKind::UndefinedError => match undefined_expr(&detail) {
                Some(x) => format!("数据缺少字段“{x}”（模板用到了它，数据里没有）"),
                None => format!("数据缺少模板用到的字段（{detail}）"),
            },
            ErrorKind::SyntaxError => format!("模板语法错误：{detail}"),
            ErrorKind::TemplateNotFound => {
                if detail.is_empty() {
                    "找不到模板".to_owned()
                } else if detail.chars().any(|c| c > '\u{2e80}') {
                    detail.clone()
                } else {
                    format!("找不到模板（{detail}）：被引用的模板应在模板所在的文件夹内")
                }
            }
            ErrorKind::InvalidOperation
            | ErrorKind::MissingArgument
            | ErrorKind::TooManyArguments
                if !detail.is_empty() && detail.chars().any(|c| c > '\u{2e80}') =>
            {
                match undefined_expr(&detail) {
                    Some(x) => format!("数据缺少字段“{x}”"),
                    None => detail.clone(),
                }
            }
            _ => match undefined_expr(&detail) {
                Some(x) => format!("数据缺少字段“{x}”（{detail}）"),
                None => format!("模板出错：{e}"),
            },
        };
        let name = e.name().map(str::to_owned);
        let source = name
            .as_deref()
            .and_then(|n| self.env.get_template(n).ok())
            .map(|t| t.source().to_owned());
        let source_line = match (&source, e.line()) {
            (Some(src), Some(l)) => src.lines().nth(l.saturating_sub(1)).map(str::to_owned),
            _ => None,
        };
        // An undefined value handed to a filter carries no name: name the
        // candidates on the line that the data do not define.
        let mut message = message;
        if e.kind() == ErrorKind::UndefinedError && undefined_expr(&detail).is_none() {
            if let (Some(src), Some(line)) = (&source, &source_line) {
                let known = self.known.lock().map(|k| k.clone()).unwrap_or_default();
                let missing = missing_names(line, src, &known);
                if !missing.is_empty() {
                    message = format!(
                        "数据缺少字段“{}”（模板用到了它，数据里没有）",
                        missing.join("”或“")
                    );
                }
            }
        }
        RenderError {
            template: name,
            line: e.line(),
            message,
            source_line,
        }
    }
}

/// Names used in the tags of a template line whose root is neither a document
/// field nor bound by the template (`for x in`, `set x`).
fn missing_names(line: &str, source: &str, known: &[String]) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "if", "else", "elif", "endif", "for", "endfor", "in", "is", "not", "and", "or", "defined",
        "set", "none", "true", "false", "loop",
    ];
    let mut bound: Vec<String> = Vec::new();
    for part in source.split("{%").skip(1) {
        let tag = part.split("%}").next().unwrap_or("").trim();
        let mut words = tag.split_whitespace();
        match words.next() {
            Some("for") => bound.extend(
                words
                    .take_while(|w| *w != "in")
                    .flat_map(|w| w.split(','))
                    .map(|w| w.trim().to_owned()),
            ),
            Some("set") => {
                if let Some(w) = words.next() {
                    bound.push(w.split('.').next().unwrap_or(w).to_owned());
                }
            }
            _ => {}
        }
    }
    // Names tested on the line (`{% if x is defined %}`).
    let guarded: Vec<String> = line
        .match_indices(" is ")
        .filter_map(|(at, _)| {
            let before = line[..at].trim_end();
            let start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .map_or(0, |i| {
                    i + before[i..].chars().next().map_or(1, char::len_utf8)
                });
            let w = &before[start..];
            (!w.is_empty()).then(|| w.to_owned())
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let exprs = line
        .split("{{")
        .skip(1)
        .map(|p| p.split("}}").next().unwrap_or(""))
        .chain(
            line.split("{%")
                .skip(1)
                .map(|p| p.split("%}").next().unwrap_or("")),
        );
    for expr in exprs {
        let chars: Vec<char> = expr.chars().collect();
        let mut i = 0;
        let mut after_bar = false;
        while i < chars.len() {
            let c = chars[i];
            if c == '"' || c == '\'' {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    i += 1;
                }
                i += 1;
                after_bar = false;
                continue;
            }
            if c.is_ascii_alphabetic() || c == '_' {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let next = chars[i..].iter().copied().find(|c| !c.is_whitespace());
                let root = word.split('.').next().unwrap_or("").to_owned();
                // `x is defined` guards the name: it is not what is missing.
                let tested = guarded.contains(&word);
                let keep = !after_bar
                    && !tested
                    && next != Some('(')
                    && !KEYWORDS.contains(&root.as_str())
                    && !bound.contains(&root)
                    && !known.contains(&root)
                    && !out.contains(&word);
                if keep {
                    out.push(word);
                }
                after_bar = false;
                continue;
            }
            if c == '|' {
                after_bar = true;
            } else if !c.is_whitespace() {
                after_bar = false;
            }
            i += 1;
        }
    }
    out
}

/// `` `s.thesis` is undefined `` → `s.thesis`.
fn undefined_expr(detail: &str) -> Option<String> {
    let i = detail.find("` is undefined")?;
    let start = detail[..i].rfind('`')?;
    Some(detail[start + 1..i].to_owned())
}

/// The template context: document fields at the top level, `indicators` (all
/// records), and `ind` (records by id).
pub fn context(data: &ReportData) -> Value {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in &data.fields {
        m.insert(k.clone(), filters::json_value(v));
    }
    let inds: Vec<Value> = data
        .indicators
        .iter()
        .map(filters::indicator_value)
        .collect();
    let by_id: BTreeMap<String, Value> = data
        .indicators
        .iter()
        .zip(&inds)
        .filter_map(|(i, v)| Some((i.id.clone()?, v.clone())))
        .collect();
    m.insert("indicators".into(), Value::from(inds));
    m.insert("ind".into(), Value::from(by_id));
    Value::from(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_compiles() {
        let r = Renderer::default();
        for (n, _, _) in TEMPLATES {
            r.env.get_template(n).unwrap();
        }
    }

    #[test]
    fn missing_field_is_named_with_template_line() {
        let data = data::read_yaml_text(
            "report:\n  region: 示例市\n  year: 2025\nindicators: []\n",
            "d.yaml",
        )
        .unwrap();
        let mut r = Renderer::default();
        let src = "# {{ region }}\n{% if issuer is defined %}{{ issuer }}{% endif %}{{ date | date_cn }}\n{{ sections[0].title }}\n";
        r.env_mut().add_template_owned("t.j2", src).unwrap();
        let e = r.render("t.j2", &data).unwrap_err();
        // A filter's undefined argument: named from the line, `issuer` (guarded
        // by `is defined`) is not blamed.
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("“date”"), "{e}");
        assert!(!e.message.contains("issuer"), "{e}");
        assert!(e.to_string().contains("模板 t.j2 第2行"), "{e}");
        assert!(e.to_string().contains("{{ date | date_cn }}"), "{e}");
        let mut r = Renderer::default();
        r.env_mut()
            .add_template_owned("u.j2", "{{ region }}\n\n{{ outlook.year }}年")
            .unwrap();
        let e = r.render("u.j2", &data).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("“outlook"), "{e}");
        // Every shipped template names a missing document field.
        for (n, _, _) in TEMPLATES {
            let e = Renderer::default().render(n, &data).unwrap_err();
            assert!(e.message.starts_with("数据缺少字段“"), "{n}: {e}");
            assert!(e.line.is_some() && e.source_line.is_some(), "{n}: {e}");
        }
    }

    #[test]
    fn undefined_expression_is_found() {
        assert_eq!(
            undefined_expr("undefined value (`s.thesis` is undefined)").as_deref(),
            Some("s.thesis")
        );
        assert_eq!(
            undefined_expr("`region` is undefined").as_deref(),
            Some("region")
        );
        assert_eq!(undefined_expr("something else"), None);
    }
}

/// A rendered draft and what was found on the way.
#[derive(Debug)]
pub struct Draft {
    /// The data after derivation (computed figures filled and marked).
    pub data: ReportData,
    /// Contradictions and doubts in the data.
    pub issues: Vec<derive::Issue>,
    /// The template's output (Markdown subset).
    pub text: String,
    pub blocks: Vec<output::Block>,
    /// The self-check of the prose.
    pub check: selfcheck::Outcome,
}

impl Draft {
    /// Errors in the data or the self-check.
    pub fn errors(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == crate::report::Severity::Error)
            .count()
            + self.check.errors()
    }

    /// The draft in a text format (`None` for docx).
    pub fn to_text(&self, format: output::Format) -> Option<String> {
        match format {
            output::Format::Txt => Some(output::to_txt(&self.blocks)),
            output::Format::Md => Some(output::to_md(&self.blocks)),
            output::Format::Html => Some(output::to_html(&self.blocks)),
            output::Format::Docx => None,
        }
    }

    /// The draft's bytes in a format.
    pub fn to_bytes(&self, format: output::Format) -> std::io::Result<Vec<u8>> {
        match self.to_text(format) {
            Some(t) => Ok(t.into_bytes()),
            None => docx::to_docx(&self.blocks),
        }
    }
}

/// The document date: `date` if given, else the data's `report.date`.
pub fn document_date(
    data: &ReportData,
    date: Option<chrono::NaiveDate>,
) -> Option<chrono::NaiveDate> {
    date.or_else(|| {
        let s = data.fields.get("date")?.as_str()?;
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
    })
}

/// The whole pipeline for one data set: periods filled, figures derived, template
/// rendered, prose extracted and checked. `name` names the draft in diagnostics.
pub fn draft(
    renderer: &Renderer,
    template: &str,
    mut data: ReportData,
    rules: &crate::check::RuleSet,
    date: Option<chrono::NaiveDate>,
    name: &str,
) -> Result<Draft, RenderError> {
    if let Some(d) = date {
        data.fields
            .insert("date".into(), serde_json::Value::String(d.to_string()));
    }
    data.fill_periods();
    let issues = derive::derive(&mut data);
    let text = renderer.render(template, &data)?;
    let blocks = output::parse(&text);
    let prose = output::prose(&blocks);
    let check = selfcheck::run(&prose, name, rules, document_date(&data, date));
    Ok(Draft {
        data,
        issues,
        text,
        blocks,
        check,
    })
}
