//! `decimals-consistency`: parallel figures written with different numbers of
//! decimals. NBS releases give every rate of a list to one decimal (`21.0%`), so
//! `分别增长18.4%、12%、7.9%` either dropped a `.0` or mixes rounded and exact figures.
//!
//! Reads the text of each sentence: a list of two or more figures joined by `、`,
//! `和`, `及`, `与`, ending in `%` or `个百分点` (the unit may be written on the last
//! figure only, `分别提高1.2、0.5、3个百分点`). Items in another unit make the list not
//! parallel and it is skipped. `100%` and `0%` are written without decimals by
//! everyone and count as neither form.
//!
//! No params.

use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;
use regex::Regex;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};

use super::{char_before, content_paragraphs};

pub const DEF: KindDef = KindDef {
    name: "decimals-consistency",
    summary: "并列的百分数、百分点小数位数不一致",
    vars: &["figures", "decimals", "most"],
    build: |v| {
        if !v.is_null() {
            return Err("decimals-consistency 没有参数".into());
        }
        Ok(Box::new(DecimalsConsistency))
    },
};

struct DecimalsConsistency;

/// Whether `c` is what `\d` matches in a Unicode regex: a decimal digit of any
/// script. The text is almost all ASCII and ideographs, decided without a table.
pub(super) fn is_digit(c: char) -> bool {
    match c {
        '0'..='9' | '０'..='９' => true,
        // No script has decimal digits among general punctuation, symbols, CJK
        // punctuation and ideographs (U+2000–U+9FFF) or the other fullwidth forms.
        '\0'..='\x7f' | '\u{2000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' => false,
        _ => {
            static RE: OnceLock<Regex> = OnceLock::new();
            #[allow(clippy::expect_used)]
            let re = RE.get_or_init(|| Regex::new(r"\A\d\z").expect("constant regex"));
            re.is_match(c.encode_utf8(&mut [0; 4]))
        }
    }
}

/// Bytes of the run of digits that starts `s`.
pub(super) fn digits_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !is_digit(c))
        .map_or(s.len(), |(i, _)| i)
}

/// Where the run of digits that ends `s` starts (`s.len()` when there is none).
pub(super) fn digits_start(s: &str) -> usize {
    s.char_indices()
        .rev()
        .take_while(|&(_, c)| is_digit(c))
        .last()
        .map_or(s.len(), |(i, _)| i)
}

/// `、`, `和`, `及`, `与`: what joins the figures of a list (three bytes each).
const SEPARATORS: [&str; 4] = ["、", "和", "及", "与"];

/// Whether a separator starts at byte `i` of `s`.
fn separator_at(s: &str, i: usize) -> bool {
    s.as_bytes()
        .get(i..i + 3)
        .is_some_and(|b| SEPARATORS.iter().any(|x| x.as_bytes() == b))
}

/// One figure of a list, `-?\d+(?:\.\d+)?(?:%|个百分点)?`.
struct Item<'s> {
    /// Byte after the figure and its unit.
    end: usize,
    /// The number without its unit (`-5.30`).
    number: &'s str,
    /// Bytes after the decimal point.
    decimals: usize,
    unit: Option<&'static str>,
}

/// The figure at byte `i` of `s`, each part as long as it goes, as the regex
/// `-?\d+(?:\.\d+)?(?:%|个百分点)?` reads it.
fn item_at(s: &str, i: usize) -> Option<Item<'_>> {
    let rest = s.get(i..)?;
    let sign = usize::from(rest.starts_with('-'));
    let int = digits_len(&rest[sign..]);
    if int == 0 {
        return None;
    }
    let mut end = sign + int;
    let mut decimals = 0;
    if rest[end..].starts_with('.') {
        decimals = digits_len(&rest[end + 1..]);
        if decimals > 0 {
            end += 1 + decimals;
        }
    }
    let unit = ["%", "个百分点"]
        .into_iter()
        .find(|u| rest[end..].starts_with(u));
    Some(Item {
        end: i + end + unit.map_or(0, str::len),
        number: &rest[..end],
        decimals,
        unit,
    })
}

/// Where the leftmost figure that ends at byte `k` of `s` starts (read backwards:
/// `-5.3%`, and `2.3` of `1.2.3`, whose `1.2` is followed by a point).
fn item_start_before(s: &str, k: usize) -> Option<usize> {
    let head = &s[..k];
    let e = ["%", "个百分点"]
        .into_iter()
        .find_map(|u| head.strip_suffix(u))
        .unwrap_or(head)
        .len();
    let last = digits_start(&s[..e]);
    if last == e {
        return None;
    }
    let mut start = last;
    if let Some(int_end) = s[..last].strip_suffix('.').map(str::len) {
        let int = digits_start(&s[..int_end]);
        if int < int_end {
            start = int;
        }
    }
    if s[..start].ends_with('-') {
        start -= 1;
    }
    Some(start)
}

/// Whether some character of `b` may be a digit other than `0`–`9`: a lead byte
/// outside Latin-1 (C2, C3), U+2000–U+9FFF and the fullwidth forms (whose digits
/// the normalisation made ASCII). Almost no document has one.
pub(super) fn other_digits_possible(b: &[u8]) -> bool {
    // Folds rather than `any`: without an early exit the loop is vectorised.
    let odd = |x: u8| (x.wrapping_sub(0xC4) < 0x1E) | (x.wrapping_sub(0xEA) < 0x05) | (x >= 0xF0);
    b.chunks(4096)
        .any(|c| c.iter().fold(false, |a, &x| a | odd(x)))
}

/// The first ASCII byte of `b` at or after `from`, 32 bytes at a time: most of
/// the text is ideographs, none of whose bytes is ASCII.
pub(super) fn next_ascii(b: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |c: &[u8]| {
        c.first_chunk::<8>()
            .map_or(HIGH, |w| u64::from_le_bytes(*w))
    };
    let rest = b.get(from..)?;
    let mut blocks = rest.chunks_exact(32);
    let mut at = from;
    for block in &mut blocks {
        let w = [
            word(&block[..8]),
            word(&block[8..16]),
            word(&block[16..24]),
            word(&block[24..]),
        ];
        if w[0] & w[1] & w[2] & w[3] & HIGH != HIGH {
            for (k, w) in w.into_iter().enumerate() {
                let ascii = !w & HIGH;
                if ascii != 0 {
                    return Some(at + 8 * k + ascii.trailing_zeros() as usize / 8);
                }
            }
        }
        at += 32;
    }
    blocks
        .remainder()
        .iter()
        .position(u8::is_ascii)
        .map(|k| at + k)
}

/// The starts of the runs of ASCII characters in `b`.
pub(super) fn ascii_runs(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = next_ascii(b, i)?;
        i = start + b[start..].iter().take_while(|x| x.is_ascii()).count();
        Some(start)
    })
}

/// The separators of a paragraph that a figure may follow, in order. A figure
/// begins with `-` or a digit, ASCII unless `other_digits` (the document may hold
/// other digits) and the paragraph has some: only the starts of ASCII runs are
/// looked at then.
fn separators(p: &str, other_digits: bool) -> Vec<usize> {
    let b = p.as_bytes();
    if other_digits && other_digits_possible(b) {
        static FINDERS: LazyLock<[Finder<'static>; 4]> =
            LazyLock::new(|| SEPARATORS.map(Finder::new));
        let mut at: Vec<usize> = FINDERS.iter().flat_map(|f| f.find_iter(b)).collect();
        at.sort_unstable();
        return at;
    }
    ascii_runs(b)
        .filter(|&i| (b[i].is_ascii_digit() || b[i] == b'-') && i >= 3 && separator_at(p, i - 3))
        .map(|i| i - 3)
        .collect()
}

/// The lists of figures of paragraph `p`, with their items, as the regex
/// `item(?:(?:、|和|及|与)item)+` finds them, less those glued to a preceding
/// digit or point. A list is found from its first separator: the figure before it
/// is read backwards, the rest forwards.
fn lists<'p>(p: &'p str, seps: &[usize]) -> Vec<(usize, usize, Vec<Item<'p>>)> {
    let mut out = Vec::new();
    // Where the previous list ended: the regex searches on from there.
    let mut pos = 0;
    for &k in seps {
        if k < pos {
            continue;
        }
        let Some(second) = item_at(p, k + 3) else {
            continue;
        };
        let Some(start) = item_start_before(p, k) else {
            continue;
        };
        let mut end = second.end;
        let mut rest = vec![second];
        while separator_at(p, end) {
            let Some(next) = item_at(p, end + 3) else {
                break;
            };
            end = next.end;
            rest.push(next);
        }
        let from = std::mem::replace(&mut pos, end);
        // A figure begun inside the previous list: the regex starts this one after
        // it, right behind a digit or point, so it is glued.
        if start < from || char_before(p, start).is_some_and(|c| c.is_ascii_digit() || c == '.') {
            continue;
        }
        let Some(first) = item_at(p, start) else {
            continue;
        };
        let mut items = vec![first];
        items.append(&mut rest);
        out.push((start, end, items));
    }
    out
}

/// The decimals of each figure of a list, or `None` when the list is not one of
/// parallel rates.
fn decimals(items: &[Item<'_>]) -> Option<Vec<Option<usize>>> {
    let last_unit = items.last()?.unit?;
    let mut out = Vec::new();
    for it in items {
        if it.unit.is_some_and(|u| u != last_unit) {
            return None;
        }
        let neutral = it.decimals == 0 && matches!(it.number.trim_start_matches('-'), "0" | "100");
        out.push(if neutral { None } else { Some(it.decimals) });
    }
    Some(out)
}

impl RuleKind for DecimalsConsistency {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        // Paragraph by paragraph: a list holds no sentence end or space, so it never
        // runs over two sentences, and what precedes one at a sentence's start is
        // never a digit or point.
        let other_digits = other_digits_possible(text.as_bytes());
        for para in content_paragraphs(ctx) {
            let p = &text[para.range.clone()];
            for (start, end, items) in lists(p, &separators(p, other_digits)) {
                let Some(ds) = decimals(&items) else {
                    continue;
                };
                let mut counts: Vec<(usize, usize)> = Vec::new();
                for d in ds.iter().flatten() {
                    match counts.iter_mut().find(|(k, _)| k == d) {
                        Some(c) => c.1 += 1,
                        None => counts.push((*d, 1)),
                    }
                }
                if counts.len() < 2 {
                    continue;
                }
                // The most frequent count; on a tie the larger (the precision the
                // writer had for some figures).
                let most = counts
                    .iter()
                    .max_by_key(|(d, n)| (*n, *d))
                    .map_or(0, |(d, _)| *d);
                let mut seen: Vec<usize> = counts.iter().map(|(d, _)| *d).collect();
                seen.sort_unstable();
                let decimals = seen
                    .iter()
                    .map(|d| format!("{d}位"))
                    .collect::<Vec<_>>()
                    .join("、");
                let range = para.range.start + start..para.range.start + end;
                let shown = sm.text(range.clone());
                out.push(
                    Finding {
                        span: sm.span(range),
                        label: shown.clone(),
                        suggestion: Some(format!("统一保留{most}位小数（按原始数据修约）")),
                        key: vec![shown.clone()],
                        ..Default::default()
                    }
                    .var("figures", shown)
                    .var("decimals", decimals)
                    .var("most", most),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, labels};
    use super::DEF;

    #[test]
    fn mixed_list() {
        let text = "示例市工业、投资、消费分别增长18.4%、12%、7.9%。";
        let f = findings(&DEF, "", text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].label, "18.4%、12%、7.9%");
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("统一保留1位小数（按原始数据修约）")
        );
    }

    #[test]
    fn points_with_unit_on_last() {
        let text = "三项比重分别提高1.2、0.5、3个百分点。";
        assert_eq!(labels(&DEF, "", text), ["1.2、0.5、3个百分点"]);
    }

    #[test]
    fn consistent_lists_pass() {
        let text = "分别增长18.4%、12.0%和7.9%；合格率分别达100%和98.5%；分别增长5%、6%；\
                    分别为3.5亿元、2亿元；增长5%、3个百分点。";
        assert!(
            labels(&DEF, "", text).is_empty(),
            "{:?}",
            labels(&DEF, "", text)
        );
    }
}
