//! `enumeration-count`: "N大/N个/N项/N条/N个一" counted against the list it names.
//!
//! Reads [`FileFacts::enumerations`](crate::extract::FileFacts). Three shapes are
//! trusted, each with the nouns that make a count of named things:
//! - a colon list of names after the count, separated by `、` and ending the sentence:
//!   `建设三大园区：A、B、C。` (a list of clauses after `：`, `一要…，…`, is not a list of
//!   names);
//! - a quoted list before a quoted count: `“A、B、C”的“三个一”`;
//! - an open list before `等`: `A、B、C、D等三大产业` (open: reported only when more
//!   items are listed than counted).
//!
//! A list running straight into a count (`A、B三大…`) is not read: on real reports the
//! words before the count are as often a modifier (`全国青少年三大球运动会`, `入选全国
//! 年度十大考古新发现`) as a list.
//!
//! Extraction finds enumerations generously, so the kind is strict: counts of 2 to 30,
//! items that are names (no digits, balanced quotes, at most 16 characters), no count
//! that is itself inside quotes (`“四个意识”` is a name, not a count). An item joined
//! with `和`/`及`/`与` may stand for two, so a closed list is reported only when the
//! count lies outside `[items, items + joined items]`. Gaps and repeats in `一是…二是`
//! are the wording rules' business.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::Enumeration;

use super::{between, chars_after, chars_before, display};

pub const DEF: KindDef = KindDef {
    name: "enumeration-count",
    summary: "“N大/N个/N项”与所列项数不符",
    vars: &["count", "listed", "items", "noun"],
    build: |_| Ok(Box::new(EnumerationCount)),
};

struct EnumerationCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Colon,
    Quoted,
    Open,
}

impl Shape {
    /// Measure words after which the count names things listed.
    fn nouns(self) -> &'static [&'static str] {
        match self {
            Shape::Colon => &["大", "个一", "个", "项", "条", "类", "种", "方面"],
            Shape::Quoted => &["个一", "个", "大", "项", "条"],
            Shape::Open => &["大", "个", "项", "条", "类", "种", "家", "所", "座", "批"],
        }
    }
}

/// `一二两三四五六七八九十`: the numerals of a count (a `match`: asked of every character
/// of every item).
fn numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn shape(text: &str, e: &Enumeration) -> Option<Shape> {
    let before = chars_before(text, e.span.start, 4);
    let bare = before.trim_end_matches('“');
    if bare.ends_with('等') {
        return Some(Shape::Open);
    }
    let first = e.items.first()?;
    let list = between(text, first.span.start, e.items.last()?.span.end);
    // Items of a list of names are separated by `、` only; with `，` or `；` the list is
    // of clauses or of groups (`“人口多、土地少，小生产、大市场”三大矛盾`).
    let names_only = !list.contains(['，', ',', '；', ';']);
    if bare.ends_with("”的") || bare.ends_with('”') {
        return names_only.then_some(Shape::Quoted);
    }
    // `党的十六大` names a congress.
    if before.ends_with("党的") {
        return None;
    }
    // Otherwise only a colon list of names counts. A count inside quotes (`“四个意识”`)
    // is a slogan unless such a list follows (`“三个一”：一名专员、一套清单、一个专班。`).
    if first.span.start >= e.span.end {
        let gap = between(text, e.span.end, first.span.start);
        if gap.contains(['：', ':']) && !gap.contains(['，', ',', '。', '；']) && names_only {
            // The list must end the sentence, or it may go on after a `；`.
            let last = e.items.last()?;
            let after = chars_after(text, last.span.end, 2);
            let after = after.trim_start_matches(['”', '》', ')', '）']);
            let ends = after.is_empty() || after.starts_with(['。', '！', '\n', '\r']);
            return ends.then_some(Shape::Colon);
        }
    }
    None
}

/// An item that reads as a name.
fn name_like(t: &str) -> bool {
    let n = t.chars().count();
    let open = t.matches(['“', '《', '(', '（']).count();
    let close = t.matches(['”', '》', ')', '）']).count();
    (1..=16).contains(&n)
        && open == close
        && !t
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '%' | '，' | ',' | '：' | ':' | '。' | '；'))
        && !(n == 1 && (t.chars().all(numeral) || t == "每"))
        && !nested_count(t)
}

/// `扩消费六大工程`: an item that holds a count of its own (`一个专班` does not: one
/// is not a count of a list).
fn nested_count(t: &str) -> bool {
    let cs: Vec<char> = t.chars().collect();
    cs.windows(2)
        .any(|w| w[0] != '一' && numeral(w[0]) && matches!(w[1], '大' | '个' | '项' | '条' | '类'))
}

/// Items joined inside by `和`/`及`/`与`, each of which may stand for two.
fn joined(items: &[crate::extract::Item]) -> usize {
    items
        .iter()
        .filter(|it| ["和", "及", "与", "并"].iter().any(|w| it.text.contains(w)))
        .count()
}

impl RuleKind for EnumerationCount {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = display(ctx);
        for e in &ctx.facts().enumerations {
            if !(2..=30).contains(&e.count) || e.items.len() < 2 {
                continue;
            }
            let Some(shape) = shape(text, e) else {
                continue;
            };
            // `“巩固、增强”四个字` counts characters, not items.
            let noun_ok = shape.nouns().iter().any(|n| e.noun.starts_with(n))
                && !e.noun.trim_start_matches(['个', '大']).starts_with('字');
            // `个` in `个一` only with the `个一` noun; `个` alone is too common.
            if !noun_ok || !e.items.iter().all(|it| name_like(&it.text)) {
                continue;
            }
            let listed = e.items.len();
            let count = e.count as usize;
            let wrong = if shape == Shape::Open || e.open {
                listed > count
            } else {
                count < listed || count > listed + joined(&e.items)
            };
            if !wrong {
                continue;
            }
            let noun = e
                .text
                .trim_start_matches(|c: char| numeral(c) || c.is_ascii_digit());
            let mut f = Finding {
                span: e.span,
                label: format!("{}，列出{}项", e.text, listed),
                key: std::iter::once(e.text.clone())
                    .chain(e.items.iter().map(|it| it.text.clone()))
                    .collect(),
                ..Default::default()
            }
            .var("count", e.text.clone())
            .var("listed", listed)
            .var(
                "items",
                e.items
                    .iter()
                    .map(|it| it.text.clone())
                    .collect::<Vec<_>>()
                    .join("、"),
            )
            .var("noun", noun.to_owned());
            for it in &e.items {
                f = f.related(it.span, it.text.clone());
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {

    fn fired(text: &str) -> usize {
        super::super::testing::diagnostics("t.txt", text)
            .iter()
            .filter(|d| d.name == "enumeration-count-mismatch")
            .count()
    }

    #[test]
    fn closed_lists() {
        assert_eq!(fired("示例市建设三大园区：智能制造园、新材料园。"), 1);
        assert_eq!(fired("示例市建设两大园区：智能制造园、新材料园。"), 0);
        // 和 may join two items: 三 is possible.
        assert_eq!(
            fired("示例市建设三大园区：智能制造园、新材料园和物流园。"),
            0
        );
        assert_eq!(fired("示例市推行“一个专班、一套政策”的“三个一”工作法。"), 1);
        assert_eq!(
            fired("示例市推行“一个专班、一套政策、一名专员”的“三个一”工作法。"),
            0
        );
    }

    #[test]
    fn open_lists_and_slogans() {
        assert_eq!(
            fired("示例市培育智能制造、新材料、生物医药、物流等三大产业。"),
            1
        );
        assert_eq!(fired("示例市培育智能制造、新材料等三大产业。"), 0);
        assert_eq!(fired("示例市增强“四个意识”、坚定“四个自信”。"), 0);
    }
}
