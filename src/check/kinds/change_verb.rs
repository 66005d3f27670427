//! `change-verb`: the verb of a change must agree with its sign and with what changes
//! (NBS usage):
//! - a negative amount after a rising verb: `增长-5.3%` → `下降5.3%`;
//! - a zero change: `增长0%`, `下降0.0%` → `持平`;
//! - prices rise and fall: `居民消费价格增长2.1%` → `上涨2.1%` (indicators named
//!   `…价格`, `…价格指数`, `…物价`, `CPI`, `PPI`);
//! - a rate grows by points with `提高` (`加快` for a growth rate), not `增长`:
//!   `比重增长1.2个百分点` → `提高1.2个百分点`, `增速比上年增长1.5个百分点` → `加快…`
//!   (only for indicators that are rates, `indicators.yaml` or a rate suffix: a level
//!   changed by points is `percent-vs-points`' business, and `每增长1个百分点` is not a
//!   change).
//!
//! The first two are read from the text of each sentence (page furniture excluded);
//! the last two from the changes and comparisons of the extracted statements, so
//! that `拉动经济增长3.1个百分点` (a contribution) is not a change of a rate.
//!
//! No params.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::extract::{Span, UnitKind};
use crate::report::Fix;

use super::decimals_consistency::digits_len;
use super::{char_at, content_paragraphs, sub_span};

pub const DEF: KindDef = KindDef {
    name: "change-verb",
    summary: "变动用词与正负号或指标类型不符（增长-X%、增长0%、价格“增长”、百分点“增长”）",
    vars: &["match", "replacement", "problem"],
    build: |v| {
        if !v.is_null() {
            return Err("change-verb 没有参数".into());
        }
        Ok(Box::new(ChangeVerb))
    },
};

struct ChangeVerb;

/// The verbs a negative amount must not follow.
const RISING: [&str; 5] = ["增长", "增加", "上升", "提高", "上涨"];
/// The verbs a zero amount must not follow.
const CHANGING: [&str; 9] = [
    "增长", "增加", "上升", "提高", "上涨", "下降", "减少", "降低", "回落",
];

/// Whether one of `verbs` (two ideographs, six bytes each) ends at byte `i` of `s`.
fn verb_before(s: &str, i: usize, verbs: &[&str]) -> bool {
    i.checked_sub(6)
        .and_then(|from| s.as_bytes().get(from..i))
        .is_some_and(|b| verbs.iter().any(|v| v.as_bytes() == b))
}

/// `%` or `个百分点` at the start of `s`.
fn unit_at(s: &str) -> Option<&'static str> {
    ["%", "个百分点"].into_iter().find(|u| s.starts_with(u))
}

/// `增长-5.3%` in paragraph `p` as the regex
/// `(?:增长|增加|上升|提高|上涨)[-−](?P<n>\d+(?:\.\d+)?)(?P<u>%|个百分点)?` finds them
/// (the range, the number and the unit), each from its sign: `at` holds the offsets
/// of every `-`, `0` and last byte of a `−` in `p` (and may hold others).
fn negatives<'p>(p: &'p str, at: &[usize]) -> Vec<(std::ops::Range<usize>, &'p str, &'static str)> {
    let b = p.as_bytes();
    let signs = at.iter().filter_map(|&i| match b[i] {
        b'-' => Some((i, 1)),
        // `−` is found from its last byte (its lead byte is common in this text).
        0x92 => {
            let from = i.checked_sub(2)?;
            (b[from..=i] == *"−".as_bytes()).then_some((from, 3))
        }
        _ => None,
    });
    let mut out = Vec::new();
    for (i, len) in signs {
        if !verb_before(p, i, &RISING) {
            continue;
        }
        let from = i + len;
        let int = digits_len(&p[from..]);
        if int == 0 {
            continue;
        }
        let mut end = from + int;
        if p[end..].starts_with('.') {
            let frac = digits_len(&p[end + 1..]);
            if frac > 0 {
                end += 1 + frac;
            }
        }
        let u = unit_at(&p[end..]).unwrap_or("");
        out.push((i - 6..end + u.len(), &p[from..end], u));
    }
    out
}

/// `增长0%`, `下降0.0个百分点` in paragraph `p` as the regex
/// `(?:增长|…|回落)0(?:\.0+)?(?:%|个百分点)` finds them, each from its `0` (`at` as
/// for [`negatives`]).
fn zeros<'p>(p: &'p str, at: &'p [usize]) -> impl Iterator<Item = std::ops::Range<usize>> + 'p {
    at.iter().filter_map(move |&i| {
        if p.as_bytes()[i] != b'0' || !verb_before(p, i, &CHANGING) {
            return None;
        }
        let mut end = i + 1;
        let rest = &p.as_bytes()[end..];
        if rest.starts_with(b".0") {
            let zeros = rest[1..].iter().take_while(|&&b| b == b'0').count();
            // `0.05%` is not zero: without its decimals, `0` is followed by a point.
            if unit_at(&p[end + 1 + zeros..]).is_some() {
                end += 1 + zeros;
            }
        }
        let u = unit_at(&p[end..])?;
        Some(i - 6..end + u.len())
    })
}

/// Whether an indicator is a price or price index.
fn is_price(name: &str) -> bool {
    // `trim_end_matches("指数")`, without setting up a searcher for each name.
    let mut n = name;
    while let Some(rest) = n.strip_suffix("指数") {
        n = rest;
    }
    // A character is looked for before the words that hold it: most names have
    // neither, and a search for a character is the cheaper one.
    n.ends_with("价格")
        || n.ends_with("物价")
        || (n.contains('价') && n.contains("价格指数"))
        || (name.contains('P') && ["CPI", "PPI"].iter().any(|w| name.contains(w)))
}

impl ChangeVerb {
    fn text_findings(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        // The expressions are matched a paragraph at a time: a match holds no
        // sentence end, closing quote or space, so it never runs over two sentences,
        // and what follows a match at a sentence's end is never a digit. Their
        // bytes are found in the whole text at once (short haystacks are slow to
        // search) and given to their paragraphs.
        let paras = content_paragraphs(ctx);
        let bytes = text.as_bytes();
        let mut all = memchr::memchr2_iter(b'-', b'0', bytes).peekable();
        // `−` by its last byte, found by `memmem`: each of its bytes is common in
        // this text (a search for one would stop all the time), the character is not.
        let mut minus = memchr::memmem::find_iter(bytes, "−".as_bytes())
            .map(|i| i + "−".len() - 1)
            .peekable();
        let mut at = Vec::new();
        for para in paras {
            at.clear();
            take_in(&mut all, &para.range, &mut at);
            take_in(&mut minus, &para.range, &mut at);
            // In order, as one search for all three would have found them.
            at.sort_unstable();
            if at.is_empty() {
                continue;
            }
            let s = &text[para.range.clone()];
            let mut hits: Vec<(std::ops::Range<usize>, String, &str)> = Vec::new();
            for (m, n, u) in negatives(s, &at) {
                hits.push((m, format!("下降{n}{u}"), "负数的增长应写作“下降”"));
            }
            for m in zeros(s, &at) {
                if char_at(s, m.end).is_some_and(|c| c.is_ascii_digit()) {
                    continue;
                }
                hits.push((m, "持平".into(), "变动为零应写作“持平”"));
            }
            for (r, new, problem) in hits {
                let range = para.range.start + r.start..para.range.start + r.end;
                let shown = sm.text(range.clone());
                let span = sm.span(range);
                out.push(finding(span, shown, new, problem, None));
            }
        }
    }
}

/// Takes the positions of a sorted run up to the end of `r`, and pushes those in it
/// to `at`, as offsets from its start.
fn take_in(
    found: &mut std::iter::Peekable<impl Iterator<Item = usize>>,
    r: &std::ops::Range<usize>,
    at: &mut Vec<usize>,
) {
    while let Some(i) = found.next_if(|&i| i < r.end) {
        if i >= r.start {
            at.push(i - r.start);
        }
    }
}

fn finding(span: Span, shown: String, new: String, problem: &str, stmt: Option<usize>) -> Finding {
    Finding {
        span,
        label: shown.clone(),
        stmt,
        suggestion: Some(format!("改为“{new}”")),
        fix: Some(Fix {
            span,
            replacement: new.clone(),
        }),
        key: vec![shown.clone()],
        ..Default::default()
    }
    .var("match", shown)
    .var("replacement", new)
    .var("problem", problem)
}

impl RuleKind for ChangeVerb {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        self.text_findings(ctx, out);
        let display = crate::cli::display_text(ctx.ex);
        let rising = |v: &str| matches!(v, "增长" | "增加");
        for (i, s) in ctx.stmts.iter().enumerate() {
            let name = s.indicator.as_ref().map_or("", |x| x.text.as_str());
            if let Some(c) = &s.change {
                let unit = c.amount.as_ref().map(|a| a.unit_kind);
                let negative = c
                    .amount
                    .as_ref()
                    .is_some_and(|a| a.value.is_sign_negative());
                let zero = c.amount.as_ref().is_some_and(|a| a.value.is_zero());
                if rising(&c.verb) && !negative && !zero {
                    // The table is asked only about changes by points.
                    let rate = || c.of_rate.is_some() || ctx.table.is_rate(s.canonical());
                    let new_problem = if unit == Some(UnitKind::Point) && rate() {
                        let growth = ["增速", "增幅", "增长率"]
                            .iter()
                            .any(|w| name.ends_with(w) || c.of_rate.as_deref() == Some(*w));
                        Some(if growth {
                            ("加快", "增速的提高用“加快”，不用“增长”")
                        } else {
                            ("提高", "比率以百分点变动用“提高”，不用“增长”")
                        })
                    } else if unit == Some(UnitKind::Percent) && is_price(name) {
                        Some(("上涨", "价格的升降用“上涨”“下降”，不用“增长”"))
                    } else {
                        None
                    };
                    if let Some((new, problem)) = new_problem {
                        let before = display.get(..c.span.start).unwrap_or("");
                        let contribution = before
                            .chars()
                            .rev()
                            .take(12)
                            .collect::<String>()
                            .chars()
                            .rev()
                            .collect::<String>();
                        let contribution = ["拉动", "带动", "贡献", "每"]
                            .iter()
                            .any(|w| contribution.contains(w));
                        if let (false, Some(span)) =
                            (contribution, sub_span(ctx, c.span, &c.text, &c.verb))
                        {
                            out.push(finding(span, c.verb.clone(), new.into(), problem, Some(i)));
                        }
                    }
                }
            }
            for cmp in &s.comparisons {
                let of_growth = cmp
                    .of_rate
                    .as_deref()
                    .is_some_and(|r| ["增速", "增幅", "涨幅"].contains(&r));
                if of_growth && rising(&cmp.verb) && cmp.amount.unit_kind == UnitKind::Point {
                    if let Some(span) = sub_span(ctx, cmp.span, &cmp.text, &cmp.verb) {
                        out.push(finding(
                            span,
                            cmp.verb.clone(),
                            "加快".into(),
                            "增速的提高用“加快”，不用“增长”",
                            Some(i),
                        ));
                    }
                }
            }
        }
        // A regex hit and a statement hit on the same words are one finding.
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(f.span.start));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{labels, suggestions};
    use super::DEF;

    #[test]
    fn negative_and_zero() {
        let text = "示例市工业投资增长-5.3%，进出口增长0%，出口增长0.0%。";
        assert_eq!(
            suggestions(&DEF, "", text),
            ["改为“下降5.3%”", "改为“持平”", "改为“持平”"]
        );
    }

    #[test]
    fn prices_rise() {
        let text = "示例市居民消费价格同比增长2.1%，工业生产者出厂价格下降1.2%。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“上涨”"]);
    }

    #[test]
    fn rates_by_points() {
        let text =
            "示例市制造业增加值占比增长1.2个百分点。规上工业增加值增速比上年增长1.5个百分点。";
        assert_eq!(suggestions(&DEF, "", text), ["改为“提高”", "改为“加快”"]);
        let level = "示例市地区生产总值每增长1个百分点，可带动就业2万人。";
        assert!(
            labels(&DEF, "", level).is_empty(),
            "{:?}",
            labels(&DEF, "", level)
        );
    }

    #[test]
    fn right_wording_passes() {
        let text = "示例市工业投资下降5.3%，进出口与上年持平，居民消费价格上涨2.1%，\
                    制造业增加值占比提高1.2个百分点，消费拉动经济增长3.1个百分点，出口增长0.5%。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
