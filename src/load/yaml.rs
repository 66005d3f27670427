//! Every call to serde_yaml lives here, so the archived crate can be swapped for a
//! successor in one place. Errors carry the file, line and column, and a Chinese
//! rendering of serde's message (the original stays available as `detail`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use thiserror::Error;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("{path}:{line}:{column}: {message}")]
pub struct YamlError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// What is wrong, in Chinese.
    pub message: String,
    /// serde_yaml's own text.
    pub detail: String,
}

/// Parses `text` (read from `path`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        YamlError {
            path: path.to_owned(),
            line,
            column,
            message: chinese_message(&e.to_string()),
            detail: e.to_string(),
        }
    })
}

/// Parses `text` into a generic YAML value (for reading data files of any shape).
pub fn value_from_str(text: &str, path: &str) -> Result<serde_yaml::Value, YamlError> {
    from_str(text, path)
}

/// Serialises `value` as YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Converts a YAML value into `T`.
pub fn from_value<T: DeserializeOwned>(value: serde_yaml::Value) -> Result<T, String> {
    serde_yaml::from_value(value).map_err(|e| chinese_message(&e.to_string()))
}

/// The YAML value type, re-exported so callers need not name serde_yaml.
pub type Value = serde_yaml::Value;

/// Translates serde's common messages into Chinese, keeping names as written.
pub fn chinese_message(msg: &str) -> String {
    // Drop serde_yaml's trailing " at line X column Y".
    let core = msg.find(" at line ").map_or(msg, |i| &msg[..i]).trim();
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, t)| t.to_owned())
            .collect()
    };
    let prefix = core.split(':').next().unwrap_or("").trim();
    // serde_yaml names where in the document: `rules[0]: unknown field …`.
    let (place, core) = match core.split_once(": ") {
        Some((p, rest)) if !p.contains(' ') && (p.contains('[') || p.contains('.')) => {
            (format!("{p}："), rest)
        }
        _ => (String::new(), core),
    };
    let names = ticked(core);
    let first = names.first().cloned().unwrap_or_default();
    let rest = if names.len() > 1 {
        names[1..].join("、")
    } else {
        String::new()
    };
    let msg = if core.starts_with("unknown field") {
        format!("未知字段“{first}”，可用的字段：{rest}")
    } else if core.starts_with("unknown variant") {
        format!("未知取值“{first}”，可选：{rest}")
    } else if core.starts_with("missing field") {
        format!("缺少必填字段“{first}”")
    } else if core.starts_with("duplicate field") {
        format!("字段“{first}”重复")
    } else if core.contains("invalid type") {
        let detail = core.split("invalid type:").nth(1).unwrap_or(core).trim();
        let detail = detail
            .replace("expected", "应为")
            .replace("a string", "字符串")
            .replace("a sequence", "列表")
            .replace("a map", "映射")
            .replace("string", "字符串")
            .replace("sequence", "列表")
            .replace("integer", "整数")
            .replace("floating point", "小数")
            .replace("boolean", "布尔值")
            .replace("map", "映射");
        let field = if prefix.contains('.') || prefix.contains('[') {
            format!("“{prefix}”")
        } else {
            String::new()
        };
        format!("{field}类型不对：{detail}")
    } else if core.contains("did not find expected")
        || core.contains("mapping values are not allowed")
        || core.contains("while parsing")
        || core.contains("while scanning")
    {
        format!("YAML 语法错误（{core}）")
    } else if core.contains("invalid value") {
        format!("取值不对：{core}")
    } else {
        core.to_owned()
    };
    format!("{place}{msg}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct R {
        id: String,
        severity: String,
    }

    #[test]
    fn unknown_field_is_located_and_in_chinese() {
        let e = from_str::<R>("id: A101\nseverty: error\n", "p.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.starts_with("未知字段“severty”"), "{}", e.message);
        assert!(e.to_string().starts_with("p.yaml:2:1: "));
    }

    #[test]
    fn missing_field() {
        let e = from_str::<R>("id: A101\n", "p.yaml").unwrap_err();
        assert!(
            e.message.contains("缺少必填字段“severity”"),
            "{}",
            e.message
        );
    }
}
