//! Rule packs: YAML files of rules, read in two passes.
//!
//! Pass 1 is serde (`deny_unknown_fields`, enums for `severity`): a misspelt key or a
//! bad value is reported with file, line and column. Pass 2 is semantic: an unknown
//! kind (the valid ones are listed), bad `params`, a `message` template that does not
//! compile or uses a value the kind does not provide, a `when` guard that does not
//! compile or names an unknown field, missing examples, duplicate codes or names, and
//! overrides that contradict each other or name no rule. Every problem is a
//! [`RuleError`] in Chinese; all of them are reported at once.
//!
//! A pack and the project configuration (`jiaohe.yaml`) share one schema:
//!
//! ```yaml
//! include: [other-pack.yaml]      # more packs, relative to this file
//! indicators: my-indicators.yaml  # more indicator names and aliases
//! disable: [W401]                 # switch rules off
//! severity: {A118: error}         # change severities
//! rules:
//!   - id: X501
//!     name: kebab-case-name
//!     kind: expr
//!     severity: warning
//!     message: "…{{ indicator }}…"
//!     help: "…"
//!     doc: "…"
//!     examples: {wrong: "…", right: "…"}
//!     when: "is_target and change > 30"
//!     params: {…}
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::RuleKind;
use super::kinds::pattern::screen::Screen;
use super::registry;
use crate::extract::IndicatorTable;
use crate::load::yaml;
use crate::report::Severity;

/// The packs embedded in the binary, in order.
pub const DEFAULT_PACKS: &[(&str, &str)] = &[
    (
        "rules/arithmetic.yaml",
        include_str!("../../rules/arithmetic.yaml"),
    ),
    ("rules/units.yaml", include_str!("../../rules/units.yaml")),
    ("rules/time.yaml", include_str!("../../rules/time.yaml")),
    (
        "rules/wording.yaml",
        include_str!("../../rules/wording.yaml"),
    ),
    ("rules/tables.yaml", include_str!("../../rules/tables.yaml")),
    ("rules/across.yaml", include_str!("../../rules/across.yaml")),
];

/// A problem in a rule pack or configuration.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{path}:{line}:{column}: {message}")]
pub struct RuleError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The examples a rule's documentation shows and a test runs.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub wrong: String,
    pub right: String,
}

/// One rule as written in a pack.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub severity: Severity,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
    #[serde(default)]
    pub examples: Option<Examples>,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub params: Option<yaml::Value>,
}

/// A pack file (and `jiaohe.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub indicators: Option<String>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub rules: Vec<RuleEntry>,
}

/// A rule ready to run.
pub struct Rule {
    pub entry: RuleEntry,
    /// The pack the rule came from.
    pub source: String,
    pub kind: Box<dyn RuleKind>,
    pub when: Option<minijinja::Expression<'static, 'static>>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.entry.id)
            .finish_non_exhaustive()
    }
}

/// All rules in force, and the indicator table they use.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub table: IndicatorTable,
    /// Rules switched off by configuration (kept for `jiaohe rules`).
    pub disabled: Vec<String>,
    /// Every wording rule's expression in one screen, so that each document is
    /// screened once for all of them
    /// ([`RuleKind::wording`](crate::check::RuleKind::wording)).
    pub screen: Option<Screen>,
    /// The rules' messages and helps, compiled once, each named by its text
    /// ([`messages`]): a message rendered for every finding is not parsed again.
    pub messages: minijinja::Environment<'static>,
}

/// The environment guards and messages are compiled in: strict undefined, so a
/// misspelt name is an error rather than an empty string.
pub fn environment() -> &'static minijinja::Environment<'static> {
    static ENV: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_function("abs", |v: f64| v.abs());
        env.add_function("approx_eq", |a: f64, b: f64, tol: f64| (a - b).abs() <= tol);
        env
    })
}

/// Values every message may use besides the kind's own.
pub const COMMON_VARS: &[&str] = &["rule", "name", "indicator", "figure"];

fn locate(text: &str, id: &str, field: Option<&str>) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let id_line = lines.iter().position(|l| {
        let t = l.trim_start().trim_start_matches('-').trim_start();
        t.strip_prefix("id:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
    });
    let Some(start) = id_line else {
        return (1, 1);
    };
    let Some(field) = field else {
        let col = lines[start]
            .find("id:")
            .map_or(1, |c| lines[start][..c].chars().count() + 1);
        return (start + 1, col);
    };
    // The entry's other keys follow until the next `- ` at the entry's indentation.
    let indent = lines[start].len() - lines[start].trim_start().len();
    for (i, l) in lines.iter().enumerate().skip(start) {
        if i > start && l.trim_start().starts_with("- ") && l.len() - l.trim_start().len() <= indent
        {
            break;
        }
        let t = l.trim_start().trim_start_matches("- ");
        if t.starts_with(&format!("{field}:")) {
            return (i + 1, l.len() - t.len() + 1);
        }
    }
    (start + 1, 1)
}

fn err(path: &str, text: &str, id: &str, field: Option<&str>, message: String) -> RuleError {
    let (line, column) = locate(text, id, field);
    RuleError {
        path: path.to_owned(),
        line,
        column,
        message,
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// Compiles one entry. Problems are pushed to `errors`.
fn compile(entry: RuleEntry, path: &str, text: &str, errors: &mut Vec<RuleError>) -> Option<Rule> {
    let id = entry.id.clone();
    let mut ok = true;
    let mut e = |field: Option<&str>, m: String| {
        errors.push(err(path, text, &id, field, m));
        ok = false;
    };
    if !is_code(&entry.id) {
        e(
            None,
            format!(
                "规则代码“{}”不合规：应为一个大写字母加三位数字，如 A101",
                entry.id
            ),
        );
    }
    if !is_kebab(&entry.name) {
        e(
            Some("name"),
            format!(
                "规则名“{}”不合规：应为小写英文单词加连字符，如 breakdown-sum-mismatch",
                entry.name
            ),
        );
    }
    if entry.examples.is_none() {
        e(
            Some("id"),
            format!(
                "规则 {} 缺少 examples（wrong 与 right 各一例），无法测试",
                entry.id
            ),
        );
    }
    let Some(def) = registry::kind(&entry.kind) else {
        let valid: Vec<&str> = registry::KINDS.iter().map(|k| k.name).collect();
        e(
            Some("kind"),
            format!(
                "未知的规则类型“{}”，可用类型：{}",
                entry.kind,
                valid.join("、")
            ),
        );
        return None;
    };
    let params = entry.params.clone().unwrap_or(yaml::Value::Null);
    let kind = match (def.build)(&params) {
        Ok(k) => Some(k),
        Err(m) => {
            e(Some("params"), format!("params 不对：{m}"));
            None
        }
    };
    let env = environment();
    match env.template_from_str(&entry.message) {
        Ok(t) => {
            let vars = t.undeclared_variables(false);
            let unknown: Vec<&String> = vars
                .iter()
                .filter(|v| {
                    !def.vars.contains(&v.as_str())
                        && !COMMON_VARS.contains(&v.as_str())
                        && !super::fields::FIELDS.contains(&v.as_str())
                })
                .collect();
            if !unknown.is_empty() {
                let mut allowed: Vec<&str> = def.vars.to_vec();
                allowed.extend(COMMON_VARS);
                allowed.push("以及 when 条件可用的语句字段");
                e(
                    Some("message"),
                    format!(
                        "message 用到了类型“{}”不提供的值：{}；可用：{}",
                        entry.kind,
                        unknown
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                        allowed.join("、")
                    ),
                );
            }
        }
        Err(x) => e(Some("message"), format!("message 模板有语法错误：{x}")),
    }
    if entry.kind == "expr" && entry.when.is_none() {
        e(Some("kind"), "expr 类型的规则必须有 when 条件".to_owned());
    }
    let when = match &entry.when {
        None => None,
        Some(w) => match env.compile_expression_owned(w.clone()) {
            Ok(expr) => {
                let vars = expr.undeclared_variables(false);
                let unknown: Vec<String> = vars
                    .into_iter()
                    .filter(|v| !super::fields::FIELDS.contains(&v.as_str()))
                    .collect();
                if unknown.is_empty() {
                    Some(expr)
                } else {
                    e(
                        Some("when"),
                        format!(
                            "when 条件用到了未知字段：{}；可用字段：{}",
                            unknown.join("、"),
                            super::fields::FIELDS.join("、")
                        ),
                    );
                    None
                }
            }
            Err(x) => {
                e(Some("when"), format!("when 条件有语法错误：{x}"));
                None
            }
        },
    };
    if !ok {
        return None;
    }
    Some(Rule {
        entry,
        source: path.to_owned(),
        kind: kind?,
        when,
    })
}

/// Reads one pack file's text: the rules, and what it includes and overrides.
struct Loaded {
    rules: Vec<Rule>,
    disable: Vec<(String, String)>,
    severity: Vec<(String, Severity, String)>,
    indicators: Vec<(String, String)>,
}

fn load_text(
    path: &str,
    text: &str,
    base: Option<&Path>,
    seen: &mut HashSet<PathBuf>,
    errors: &mut Vec<RuleError>,
    out: &mut Loaded,
) {
    let pack: PackFile = match yaml::from_str(text, path) {
        Ok(p) => p,
        Err(e) => {
            errors.push(RuleError {
                path: e.path,
                line: e.line,
                column: e.column,
                message: e.message,
            });
            return;
        }
    };
    for inc in &pack.include {
        let p = base.map_or_else(|| PathBuf::from(inc), |b| b.join(inc));
        let canonical = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if !seen.insert(canonical) {
            continue;
        }
        match std::fs::read_to_string(&p) {
            Ok(t) => {
                let display = p.display().to_string();
                load_text(&display, &t, p.parent(), seen, errors, out);
            }
            Err(e) => errors.push(err(
                path,
                text,
                "",
                None,
                format!(
                    "无法读取 include 的规则包 {}：{}",
                    p.display(),
                    crate::load::io_reason(&e)
                ),
            )),
        }
    }
    if let Some(ind) = &pack.indicators {
        let p = base.map_or_else(|| PathBuf::from(ind), |b| b.join(ind));
        match std::fs::read_to_string(&p) {
            Ok(t) => out.indicators.push((p.display().to_string(), t)),
            Err(e) => errors.push(RuleError {
                path: path.to_owned(),
                line: 1,
                column: 1,
                message: format!(
                    "无法读取指标表 {}：{}",
                    p.display(),
                    crate::load::io_reason(&e)
                ),
            }),
        }
    }
    for id in pack.disable {
        out.disable.push((id, path.to_owned()));
    }
    for (id, s) in pack.severity {
        out.severity.push((id, s, path.to_owned()));
    }
    for entry in pack.rules {
        if let Some(r) = compile(entry, path, text, errors) {
            out.rules.push(r);
        }
    }
}

/// Where `jiaohe.yaml` is: the current directory or the nearest parent that has one.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let p = d.join("jiaohe.yaml");
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

/// What to load besides the embedded packs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--rules FILE`, in order.
    pub packs: Vec<PathBuf>,
    /// `jiaohe.yaml`, if any.
    pub config: Option<PathBuf>,
    /// Leave out the embedded packs (`jiaohe rules check` of a user pack alone).
    pub no_defaults: bool,
    /// Packs given as text (name, YAML), after the files: the workbench's uploads.
    /// `include:` paths in them are read relative to the working directory.
    pub texts: Vec<(String, String)>,
}

impl RuleSet {
    /// The embedded packs only.
    pub fn defaults() -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::load(&LoadOptions::default())
    }

    /// Loads the embedded packs, then `--rules` packs, then the configuration.
    pub fn load(opts: &LoadOptions) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut seen = HashSet::new();
        let mut loaded = Loaded {
            rules: Vec::new(),
            disable: Vec::new(),
            severity: Vec::new(),
            indicators: Vec::new(),
        };
        if !opts.no_defaults {
            for (path, text) in DEFAULT_PACKS {
                load_text(path, text, None, &mut seen, &mut errors, &mut loaded);
            }
        }
        let mut texts: HashMap<String, String> = HashMap::new();
        for p in opts.packs.iter().chain(opts.config.iter()) {
            let display = p.display().to_string();
            match std::fs::read_to_string(p) {
                Ok(t) => {
                    seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
                    load_text(
                        &display,
                        &t,
                        p.parent(),
                        &mut seen,
                        &mut errors,
                        &mut loaded,
                    );
                    texts.insert(display, t);
                }
                Err(e) => errors.push(RuleError {
                    path: display,
                    line: 1,
                    column: 1,
                    message: format!("无法读取规则包：{}", crate::load::io_reason(&e)),
                }),
            }
        }
        for (name, t) in &opts.texts {
            load_text(name, t, None, &mut seen, &mut errors, &mut loaded);
            texts.insert(name.clone(), t.clone());
        }
        // Duplicate codes and names.
        let mut by_id: HashMap<String, String> = HashMap::new();
        let mut by_name: HashMap<String, String> = HashMap::new();
        for r in &loaded.rules {
            let text = texts
                .get(&r.source)
                .map(String::as_str)
                .or_else(|| {
                    DEFAULT_PACKS
                        .iter()
                        .find(|(p, _)| *p == r.source)
                        .map(|(_, t)| *t)
                })
                .unwrap_or("");
            if let Some(first) = by_id.insert(r.entry.id.clone(), r.source.clone()) {
                errors.push(err(
                    &r.source,
                    text,
                    &r.entry.id,
                    None,
                    format!("规则代码 {} 重复（已在 {first} 中定义）", r.entry.id),
                ));
            }
            if let Some(first) = by_name.insert(r.entry.name.clone(), r.source.clone()) {
                errors.push(err(
                    &r.source,
                    text,
                    &r.entry.id,
                    Some("name"),
                    format!("规则名 {} 重复（已在 {first} 中使用）", r.entry.name),
                ));
            }
        }
        // Overrides must name rules and must not contradict each other.
        let disabled: HashSet<&str> = loaded.disable.iter().map(|(id, _)| id.as_str()).collect();
        for (id, src) in &loaded.disable {
            if !by_id.contains_key(id) {
                errors.push(RuleError {
                    path: src.clone(),
                    line: locate_key(texts.get(src), id),
                    column: 1,
                    message: format!("disable 中的 {id} 不是已知的规则代码"),
                });
            }
        }
        let mut sev_seen: HashMap<&str, Severity> = HashMap::new();
        for (id, s, src) in &loaded.severity {
            let line = locate_key(texts.get(src), id);
            if !by_id.contains_key(id) {
                errors.push(RuleError {
                    path: src.clone(),
                    line,
                    column: 1,
                    message: format!("severity 中的 {id} 不是已知的规则代码"),
                });
            }
            if disabled.contains(id.as_str()) {
                errors.push(RuleError {
                    path: src.clone(),
                    line,
                    column: 1,
                    message: format!(
                        "{id} 既被 disable 关闭，又在 severity 中设定了级别，二者矛盾"
                    ),
                });
            }
            if let Some(prev) = sev_seen.insert(id, *s) {
                if prev != *s {
                    errors.push(RuleError {
                        path: src.clone(),
                        line,
                        column: 1,
                        message: format!(
                            "{id} 的级别被设定了两次且不同（{} 与 {}）",
                            prev.as_str(),
                            s.as_str()
                        ),
                    });
                }
            }
        }
        let mut table = IndicatorTable::default_table().clone();
        for (p, t) in &loaded.indicators {
            if let Err(e) = table.extend_from_yaml(t, p) {
                errors.push(RuleError {
                    path: e.path,
                    line: e.line,
                    column: e.column,
                    message: format!("指标表：{}", e.message),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut rules = loaded.rules;
        for r in &mut rules {
            if let Some((_, s, _)) = loaded
                .severity
                .iter()
                .rev()
                .find(|(id, _, _)| *id == r.entry.id)
            {
                r.entry.severity = *s;
            }
        }
        let disabled: Vec<String> = loaded.disable.into_iter().map(|(id, _)| id).collect();
        rules.retain(|r| !disabled.contains(&r.entry.id));
        let screen = screen(&rules);
        let messages = messages(&rules);
        Ok(RuleSet {
            rules,
            table,
            disabled,
            screen,
            messages,
        })
    }

    /// The rule with a code or name.
    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.entry.id.eq_ignore_ascii_case(code) || r.entry.name == code)
    }
}

/// [`environment`] with every message and help of `rules` in it, named by its text. A
/// template with a syntax error is left out (it is rendered from its text, and its
/// error reported, when used). Nothing is escaped, as nothing is in a template
/// rendered from its text (`Environment::render_str`, whose template is `<string>`).
fn messages(rules: &[Rule]) -> minijinja::Environment<'static> {
    let mut env = environment().clone();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    for r in rules {
        for source in std::iter::once(&r.entry.message).chain(&r.entry.help) {
            // An error leaves the template out: see above.
            env.add_template_owned(source.clone(), source.clone()).ok();
        }
    }
    env
}

/// One screen of the wording rules' expressions; none when there are no such rules or
/// it cannot be built (each rule then searches every sentence itself).
fn screen(rules: &[Rule]) -> Option<Screen> {
    let exprs: Vec<&str> = rules.iter().filter_map(|r| r.kind.wording()).collect();
    Screen::new(&exprs)
}

fn locate_key(text: Option<&String>, key: &str) -> usize {
    text.and_then(|t| t.lines().position(|l| l.contains(key)))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_pack(text: &str) -> Result<RuleSet, Vec<RuleError>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pack.yaml");
        std::fs::write(&p, text).unwrap();
        RuleSet::load(&LoadOptions {
            packs: vec![p],
            ..Default::default()
        })
    }

    #[test]
    fn defaults_load() {
        let set = RuleSet::defaults().unwrap_or_else(|e| panic!("{e:?}"));
        assert!(set.rules.len() >= 10);
    }

    #[test]
    fn misspelt_key_is_located() {
        let e = load_pack(
            "rules:\n  - id: X501\n    name: x-rule\n    kind: expr\n    severty: error\n",
        )
        .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (5, 5), "{e:?}");
        assert!(e[0].message.contains("未知字段“severty”"), "{e:?}");
    }

    #[test]
    fn semantic_errors_all_at_once() {
        let text = "disable: [Z999]\nrules:\n  - id: X501\n    name: Bad_Name\n    kind: nonsense\n    severity: error\n    message: m\n  - id: X502\n    name: guard-rule\n    kind: expr\n    severity: warning\n    message: \"{{ nosuch }}\"\n    when: \"valu > 3\"\n    examples: {wrong: a, right: b}\n";
        let e = load_pack(text).unwrap_err();
        let all: String = e.iter().map(|x| x.to_string() + "\n").collect();
        assert!(all.contains("规则名“Bad_Name”不合规"), "{all}");
        assert!(all.contains("未知的规则类型“nonsense”"), "{all}");
        assert!(all.contains("缺少 examples"), "{all}");
        assert!(all.contains("未知字段：valu"), "{all}");
        assert!(all.contains("不提供的值：nosuch"), "{all}");
        assert!(all.contains("Z999 不是已知的规则代码"), "{all}");
        let when = e.iter().find(|x| x.message.starts_with("when")).unwrap();
        assert_eq!(when.line, 13);
    }

    #[test]
    fn duplicate_codes_and_contradicting_overrides() {
        let text = "disable: [A101]\nseverity: {A101: warning}\nrules:\n  - id: A101\n    name: another-rule\n    kind: expr\n    severity: info\n    message: m\n    when: is_target\n    examples: {wrong: a, right: b}\n";
        let e = load_pack(text).unwrap_err();
        let all: String = e.iter().map(|x| x.to_string() + "\n").collect();
        assert!(all.contains("规则代码 A101 重复"), "{all}");
        assert!(all.contains("二者矛盾"), "{all}");
    }
}
