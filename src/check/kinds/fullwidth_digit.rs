//! `fullwidth-digit`: figures typed with full-width digits (`１２．５％`). They look
//! alike on paper but break search, sorting and every tool that reads numbers, and
//! GB/T 15835 writes Arabic numerals half-width.
//!
//! The normalised text has already folded full-width forms to ASCII, so this kind
//! looks at the source text: every run of digits (with a decimal point between
//! digits) in a paragraph (page furniture excluded) of which at least one digit was
//! written full-width is reported, with the half-width form as the fix.
//!
//! No params.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::report::Fix;

use super::content_paragraphs;

pub const DEF: KindDef = KindDef {
    name: "fullwidth-digit",
    summary: "数字用了全角字符",
    vars: &["match", "replacement"],
    build: |v| {
        if !v.is_null() {
            return Err("fullwidth-digit 没有参数".into());
        }
        Ok(Box::new(FullwidthDigit))
    },
};

struct FullwidthDigit;

/// Whether a figure as written holds a full-width digit (a full-width point alone,
/// as in the heading marker `3．`, is common in official documents and not reported).
fn fullwidth(s: &str) -> bool {
    // `０`…`９` are U+FF10…U+FF19, encoded EF BC 90…EF BC 99.
    let b = s.as_bytes();
    memchr::memmem::find_iter(b, &[0xEF, 0xBC])
        .any(|i| b.get(i + 2).is_some_and(|x| (0x90..=0x99).contains(x)))
}

impl RuleKind for FullwidthDigit {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let doc = &ctx.ex.doc;
        // Only the source shows how a digit was typed; most have no full-width one.
        let source = &doc.source.text;
        if !doc.norm.has_fullwidth_digit() {
            return;
        }
        let text = ctx.text();
        let sm = ctx.spans();
        for para in content_paragraphs(ctx) {
            let written = source
                .get(doc.norm.to_source(para.range.start)..doc.norm.to_source(para.range.end));
            if written.is_some_and(|w| !fullwidth(w)) {
                continue;
            }
            let p = &text[para.range.clone()];
            let b = p.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if !b[i].is_ascii_digit() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_digit()
                        || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
                {
                    i += 1;
                }
                let range = para.range.start + start..para.range.start + i;
                let shown = sm.text(range.clone());
                if !fullwidth(&shown) {
                    continue;
                }
                let ascii = p[start..i].to_owned();
                let span = sm.span(range);
                out.push(
                    Finding {
                        span,
                        label: shown.clone(),
                        suggestion: Some(format!("改为“{ascii}”")),
                        fix: Some(Fix {
                            span,
                            replacement: ascii.clone(),
                        }),
                        key: vec![shown.clone()],
                        ..Default::default()
                    }
                    .var("match", shown)
                    .var("replacement", ascii),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::DEF;

    #[test]
    fn fullwidth_runs() {
        let text = "示例市规上工业增加值增长１２．５％，新增企业８家，投资3.2亿元。";
        assert_eq!(labels(&DEF, "", text), ["１２．５", "８"]);
        assert_eq!(suggestions(&DEF, "", text), ["改为“12.5”", "改为“8”"]);
    }

    #[test]
    fn halfwidth_and_fullwidth_percent_pass() {
        let text = "3．10件实事\n示例市规上工业增加值增长12.5％（全角百分号），新增企业8家。";
        assert!(labels(&DEF, "", text).is_empty());
    }
}
