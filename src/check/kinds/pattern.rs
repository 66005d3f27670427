//! `pattern`: wording found by a regular expression, with an optional replacement
//! (Vale's existence and substitution checks).
//!
//! Params:
//! - `pattern`: the regular expression, matched on the text as read (full-width forms
//!   folded, see `src/load/normalize.rs`); a capture group named `hit` narrows the
//!   reported span to part of the match;
//! - `replace`: the replacement (`$1`, `${name}` refer to groups) of the `hit` group,
//!   or of the whole match when there is none; when given, the suggestion is
//!   `改为“…”` and the fix replaces that text;
//! - `unless`: a second expression; a match is skipped when the text around it (the
//!   sentence) matches this one.
//!
//! Page furniture is not searched, nor the sentences the rule set's [`screen`] finds
//! none of the literals the expression needs in.

pub mod screen;

use regex::Regex;
use serde::Deserialize;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind, params};
use crate::report::Fix;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    pattern: String,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    unless: Option<String>,
}

pub const DEF: KindDef = KindDef {
    name: "pattern",
    summary: "按正则表达式查找措辞，可给出替换",
    vars: &["match", "replacement"],
    build: |v| {
        let p: Params = params(v)?;
        if p.pattern.is_empty() {
            return Err("缺少 pattern".into());
        }
        let re =
            Regex::new(&p.pattern).map_err(|e| format!("pattern 不是合法的正则表达式：{e}"))?;
        let unless = match &p.unless {
            Some(u) => {
                Some(Regex::new(u).map_err(|e| format!("unless 不是合法的正则表达式：{e}"))?)
            }
            None => None,
        };
        Ok(Box::new(Pattern {
            re,
            replace: p.replace,
            unless,
        }))
    },
};

struct Pattern {
    re: Regex,
    replace: Option<String>,
    unless: Option<Regex>,
}

impl RuleKind for Pattern {
    fn wording(&self) -> Option<&str> {
        Some(self.re.as_str())
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        let sentences = super::sentences(ctx);
        let search: Box<dyn Iterator<Item = usize>> = match ctx.screened(self.re.as_str()) {
            Some(hits) => Box::new(hits.iter().copied()),
            None => Box::new(0..sentences.len()),
        };
        for k in search {
            let range = sentences[k].0.clone();
            let s = &text[range.clone()];
            // The screen only says the sentence may match: `unless` is looked at once
            // it does.
            let mut found = self.re.captures_iter(s).peekable();
            if found.peek().is_none() || self.unless.as_ref().is_some_and(|u| u.is_match(s)) {
                continue;
            }
            for caps in found {
                let Some(whole) = caps.get(0) else { continue };
                let hit = caps.name("hit").unwrap_or(whole);
                let range = range.start + hit.start()..range.start + hit.end();
                let span = sm.span(range.clone());
                let shown = sm.text(range);
                let mut f = Finding {
                    span,
                    label: shown.clone(),
                    key: vec![shown.clone()],
                    ..Default::default()
                }
                .var("match", shown.clone());
                if let Some(r) = &self.replace {
                    let mut replaced = String::new();
                    caps.expand(r, &mut replaced);
                    // With a `hit` group the replacement is for the hit only.
                    f.suggestion = Some(format!("改为“{replaced}”"));
                    f.fix = Some(Fix {
                        span: f.span,
                        replacement: replaced.clone(),
                    });
                    f = f.var("replacement", replaced);
                } else {
                    f = f.var("replacement", "");
                }
                out.push(f);
            }
        }
    }
}
