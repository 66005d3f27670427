//! `numeral-consistency`: one category of numbers, one form per document (GB/T
//! 15835-2011 §4.3: "同类别同形式"). The category checked is the rank: a document that
//! writes `居全省第2位` and `位列全省第一` mixes Arabic and Chinese numerals for the
//! same thing.
//!
//! Reads the ranks of every statement. A rank counts as Arabic when its text holds an
//! Arabic digit, as Chinese when its position is written in Chinese numerals, and
//! not at all when it holds no numeral (`首位`, `榜首`). The form used more often is
//! the document's; each rank in the other form is reported (on a tie the Chinese ones,
//! since ranks are measured positions, GB/T 15835 §4.1).
//!
//! No params.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::Rank;
use crate::report::Fix;
use crate::segment::small_cn_number;

pub const DEF: KindDef = KindDef {
    name: "numeral-consistency",
    summary: "同类数字（名次）在一篇文档中混用阿拉伯数字和汉字数字",
    vars: &["form", "other_form", "example", "count", "other_count"],
    build: |v| {
        if !v.is_null() {
            return Err("numeral-consistency 没有参数".into());
        }
        Ok(Box::new(NumeralConsistency))
    },
};

struct NumeralConsistency;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Arabic,
    Chinese,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Arabic => "阿拉伯数字",
            Form::Chinese => "汉字数字",
        }
    }
}

fn form(r: &Rank) -> Option<Form> {
    r.position?;
    if r.text
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        Some(Form::Arabic)
    } else if r.chinese {
        Some(Form::Chinese)
    } else {
        None
    }
}

const CN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `12` → `十二`, for 1 ≤ n ≤ 99.
fn to_chinese(n: u32) -> Option<String> {
    let (t, u) = (n / 10, n % 10);
    let tens = match t {
        0 => String::new(),
        1 => "十".to_owned(),
        2..=9 => format!("{}十", CN[t as usize]),
        _ => return None,
    };
    if n == 0 {
        return None;
    }
    let units = if u == 0 { "" } else { CN[u as usize] };
    Some(tens + units)
}

/// The rank's text with its position rewritten in the other form.
fn rewrite(text: &str, to: Form) -> Option<String> {
    match to {
        Form::Arabic => {
            let start = text.find('第').map(|i| i + '第'.len_utf8()).or_else(|| {
                text.char_indices()
                    .find(|(_, c)| "一二三四五六七八九十".contains(*c))
                    .map(|(i, _)| i)
            })?;
            let len: usize = text[start..]
                .chars()
                .take_while(|c| "零〇一二两三四五六七八九十".contains(*c))
                .map(char::len_utf8)
                .sum();
            let n = small_cn_number(&text[start..start + len])?;
            Some(format!("{}{n}{}", &text[..start], &text[start + len..]))
        }
        Form::Chinese => {
            let start = text.find(|c: char| c.is_ascii_digit())?;
            let len = text[start..].bytes().take_while(u8::is_ascii_digit).count();
            let n: u32 = text[start..start + len].parse().ok()?;
            let cn = to_chinese(n)?;
            Some(format!("{}{cn}{}", &text[..start], &text[start + len..]))
        }
    }
}

impl RuleKind for NumeralConsistency {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut ranks: Vec<(usize, &Rank, Form)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, s) in ctx.stmts.iter().enumerate() {
            for r in &s.ranks {
                // A rank shared by parts is listed once.
                if !seen.insert((r.span.start, r.span.end)) {
                    continue;
                }
                if let Some(f) = form(r) {
                    ranks.push((i, r, f));
                }
            }
        }
        let arabic = ranks.iter().filter(|x| x.2 == Form::Arabic).count();
        let chinese = ranks.len() - arabic;
        if arabic == 0 || chinese == 0 {
            return;
        }
        let (major, minor) = if arabic >= chinese {
            (Form::Arabic, Form::Chinese)
        } else {
            (Form::Chinese, Form::Arabic)
        };
        let count = |f: Form| if f == Form::Arabic { arabic } else { chinese };
        let Some(example) = ranks.iter().find(|x| x.2 == major).map(|x| x.1) else {
            return;
        };
        for &(i, r, _) in ranks.iter().filter(|x| x.2 == minor) {
            let mut f = Finding {
                span: r.span,
                label: r.text.clone(),
                stmt: Some(i),
                key: vec![r.text.clone()],
                ..Default::default()
            }
            .related(
                example.span,
                format!("本文多用{}：“{}”", major.name(), example.text),
            )
            .var("form", minor.name())
            .var("other_form", major.name())
            .var("example", example.text.clone())
            .var("count", count(minor))
            .var("other_count", count(major));
            if let Some(new) = rewrite(&r.text, major) {
                f.suggestion = Some(format!("改为“{new}”"));
                f.fix = Some(Fix {
                    span: r.span,
                    replacement: new,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::*;

    #[test]
    fn minority_form_is_reported() {
        let text = "示例市工业投资居全省第2位，技改投资位列全省第一，税收收入排名全省第1。";
        assert_eq!(labels(&DEF, "", text), ["位列全省第一"]);
        assert_eq!(suggestions(&DEF, "", text), ["改为“位列全省第1”"]);
    }

    #[test]
    fn tie_reports_chinese() {
        let text = "示例市工业投资居全省第2位，技改投资居全省第一位。";
        assert_eq!(labels(&DEF, "", text), ["居全省第一位"]);
    }

    #[test]
    fn majority_chinese() {
        let text = "示例市工业投资居全省第二，技改投资居全省第一，出口居全省第3位。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“居全省第三位”"]);
    }

    #[test]
    fn one_form_or_no_numeral_passes() {
        let text = "示例市工业投资居全省第2位，技改投资居全省首位，税收收入排名全省第1位。";
        assert!(labels(&DEF, "", text).is_empty());
    }

    #[test]
    fn numerals() {
        assert_eq!(to_chinese(12).as_deref(), Some("十二"));
        assert_eq!(to_chinese(20).as_deref(), Some("二十"));
        assert_eq!(to_chinese(7).as_deref(), Some("七"));
        assert_eq!(
            rewrite("全省第十二", Form::Arabic).as_deref(),
            Some("全省第12")
        );
    }
}
