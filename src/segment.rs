//! Segmentation: document → paragraphs → sentences → clauses.
//!
//! Works on the normalised text (see [`crate::load::normalize`]); every range here is a
//! byte range of that text. A paragraph is one line. Sentences end at `。！？；!?;`
//! (a closing quote or bracket right after the mark stays with the sentence).
//! Clauses split sentences at `，,：:` outside brackets and quotes, and at the `、`
//! that separates two statements (`产量3亿件、同比增长12.4%`) but not at the `、`
//! of an enumeration (`A、B、C分别增长…`, `分别收窄7.9、6.6个百分点`).
//!
//! Headings are recognised as structure: `一、` (level 1), `（一）` (2), `1.` (3),
//! `（1）` (4), plus short unnumbered title lines (level 0); `一是…二是…` inside a
//! paragraph are recorded as inline markers.

use std::ops::Range;

/// One paragraph (one line of the document).
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub range: Range<usize>,
    pub heading: Option<Heading>,
    pub sentences: Vec<Sentence>,
    /// `一是`, `二是`, … in the order they occur.
    pub markers: Vec<InlineMarker>,
}

/// A heading at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 = `一、`, 2 = `（一）`, 3 = `1.`, 4 = `（1）`, 0 = an unnumbered title line.
    pub level: u8,
    /// The ordinal the marker stands for (`三、` → 3); 0 for unnumbered titles.
    pub ordinal: u32,
    /// Byte range of the marker (empty for unnumbered titles).
    pub marker: Range<usize>,
    /// Byte range of the heading's title: up to the first `。` or the whole line.
    pub title: Range<usize>,
}

/// `一是`, `二是`, … inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineMarker {
    pub ordinal: u32,
    pub range: Range<usize>,
}

/// One sentence and its clauses.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub range: Range<usize>,
    pub clauses: Vec<Range<usize>>,
    /// Ended by `；`/`;` rather than `。！？`: the next sentence continues the same
    /// thought (a list of parts often runs over several `；`).
    pub soft_end: bool,
}

/// Splits `text` into paragraphs, sentences and clauses.
pub fn segment(text: &str) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let end = line_start + line.trim_end_matches(['\n', '\r']).len();
        let range = trim_range(text, line_start..end);
        if !range.is_empty() {
            paragraphs.push(paragraph(text, range));
        }
        line_start += line.len();
    }
    paragraphs
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let bytes = s.as_bytes();
    // Most ranges begin and end with an ideograph, a punctuation mark (a clause ends
    // with its `，`) or a visible ASCII character, none of them whitespace: that is
    // told from the bytes, without the Unicode tables.
    let plain_start =
        bytes.first().is_some_and(u8::is_ascii_graphic) || bytes.get(..3).is_some_and(not_space3);
    let plain_end = bytes.last().is_some_and(u8::is_ascii_graphic)
        || bytes
            .len()
            .checked_sub(3)
            .is_some_and(|i| not_space3(&bytes[i..]));
    let lead = if plain_start {
        0
    } else {
        s.len() - s.trim_start().len()
    };
    let trail = if plain_end {
        0
    } else {
        s.len() - s.trim_end().len()
    };
    (r.start + lead)..(r.end - trail).max(r.start + lead)
}

/// Whether `b` (three bytes) is a character in U+3001..U+9FFF or U+F000..U+FFFF
/// (ideographs, CJK and full-width punctuation), which is never whitespace: of the
/// three-byte characters only U+1680, U+2000..U+205F and U+3000 are.
fn not_space3(b: &[u8]) -> bool {
    match *b {
        [0xE4..=0xE9 | 0xEF, _, _] => true,
        [0xE3, b1, b2] => (b1, b2) != (0x80, 0x80),
        _ => false,
    }
}

fn paragraph(text: &str, range: Range<usize>) -> Paragraph {
    let heading = heading(text, range.clone());
    let sentences = sentences(text, range.clone());
    let markers = inline_markers(text, &sentences);
    Paragraph {
        range,
        heading,
        sentences,
        markers,
    }
}

const CN_DIGITS: &str = "零〇一二两三四五六七八九十";

/// Value of a small Chinese numeral (`一` … `九十九`).
pub fn small_cn_number(s: &str) -> Option<u32> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

fn heading(text: &str, range: Range<usize>) -> Option<Heading> {
    let s = &text[range.clone()];
    let title_of = |marker_end: usize| -> Range<usize> {
        let mut start = marker_end;
        // A stray `、` after `（一）` belongs to the marker's mistake, not the title.
        if text[start..range.end].starts_with('、') {
            start += '、'.len_utf8();
        }
        let rest = &text[start..range.end];
        let end = rest
            .find(['。', '！', '？'])
            .map_or(range.end, |i| start + i);
        start..end
    };
    // 一、
    let cn_len: usize = s
        .chars()
        .take_while(|c| CN_DIGITS.contains(*c))
        .map(char::len_utf8)
        .sum();
    if cn_len > 0 && s[cn_len..].starts_with('、') {
        let ordinal = small_cn_number(&s[..cn_len])?;
        let marker = range.start..range.start + cn_len + '、'.len_utf8();
        return Some(Heading {
            level: 1,
            ordinal,
            title: title_of(marker.end),
            marker,
        });
    }
    // （一） and （1）
    if let Some(inner) = s.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let body = &inner[..close];
            let marker = range.start..range.start + 1 + close + 1;
            if let Some(ordinal) = small_cn_number(body) {
                return Some(Heading {
                    level: 2,
                    ordinal,
                    title: title_of(marker.end),
                    marker,
                });
            }
            if !body.is_empty() && body.len() <= 2 && body.bytes().all(|b| b.is_ascii_digit()) {
                let ordinal = body.parse().ok()?;
                return Some(Heading {
                    level: 4,
                    ordinal,
                    title: title_of(marker.end),
                    marker,
                });
            }
        }
        return None;
    }
    // 1. / 1、 (but not 1.2万 or 1-9月)
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &s[digits..];
        let sep_len = if rest.starts_with('.') {
            1
        } else if rest.starts_with('、') {
            '、'.len_utf8()
        } else {
            0
        };
        if sep_len > 0 {
            let after = &rest[sep_len..];
            let next = after.chars().next();
            if next.is_some_and(|c| !c.is_ascii_digit() && c != '%') {
                let marker = range.start..range.start + digits + sep_len;
                return Some(Heading {
                    level: 3,
                    ordinal: s[..digits].parse().ok()?,
                    title: title_of(marker.end),
                    marker,
                });
            }
        }
    }
    // A short title line: no sentence punctuation, not a list of figures.
    let short = s.chars().nth(40).is_none();
    let last = s.chars().last()?;
    if short
        && !"。！？；;，,：:、”\"".contains(last)
        && !s.contains(['。', '；', '，'])
        && s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        return Some(Heading {
            level: 0,
            ordinal: 0,
            marker: range.start..range.start,
            title: range,
        });
    }
    None
}

/// Whether `b` begins the UTF-8 of a character in U+4000..U+9FFF (most CJK
/// ideographs): always three bytes, and never punctuation.
pub fn is_ideograph_lead(b: u8) -> bool {
    (0xE4..=0xE9).contains(&b)
}

const SENTENCE_END: [char; 6] = ['。', '！', '？', '；', ';', '!'];

fn sentences(text: &str, range: Range<usize>) -> Vec<Sentence> {
    let mut out = Vec::new();
    let s = &text[range.clone()];
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Every sentence end begins with one of these bytes (none of them a UTF-8
        // continuation byte, so `i` is then a character boundary). Ideographs, most
        // of the text, are stepped over a character at a time.
        let b = bytes[i];
        if is_ideograph_lead(b) {
            i += 3;
            continue;
        }
        if !matches!(b, 0xE3 | 0xEF | b';' | b'!' | b'?') {
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if !(SENTENCE_END.contains(&c) || c == '?') {
            i += c.len_utf8();
            continue;
        }
        let mut end = i + c.len_utf8();
        // Keep closing quotes and brackets (and repeated marks) with the sentence.
        for d in s[end..].chars() {
            if matches!(d, '”' | '’' | '」' | '』' | ')' | '》') || SENTENCE_END.contains(&d)
            {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        push_sentence(text, &mut out, range.start + start..range.start + end);
        start = end;
        i = end;
    }
    if start < s.len() {
        push_sentence(text, &mut out, range.start + start..range.end);
    }
    out
}

fn push_sentence(text: &str, out: &mut Vec<Sentence>, r: Range<usize>) {
    let r = trim_range(text, r);
    if r.is_empty() {
        return;
    }
    let clauses = clauses(text, r.clone());
    let soft_end = text[r.clone()]
        .trim_end_matches(['”', '’', ')', '》'])
        .ends_with(['；', ';']);
    out.push(Sentence {
        range: r,
        clauses,
        soft_end,
    });
}

fn clauses(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[range.clone()];
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut depth: i32 = 0;
    let mut quote = false;
    let mut start = 0;
    let cut = |out: &mut Vec<Range<usize>>, a: usize, b: usize| {
        let r = trim_range(text, range.start + a..range.start + b);
        if !r.is_empty() {
            out.push(r);
        }
    };
    let mut resp: Option<Vec<usize>> = None;
    let mut i = 0;
    while i < bytes.len() {
        // Brackets, quotes and clause marks begin with one of these bytes; other
        // characters are skipped (ideographs whole, the rest a byte at a time:
        // continuation bytes never match).
        let b = bytes[i];
        if is_ideograph_lead(b) {
            i += 3;
            continue;
        }
        if !matches!(
            b,
            b'(' | b'[' | b')' | b']' | b',' | b':' | 0xE2 | 0xE3 | 0xEF
        ) {
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let next_i = i + c.len_utf8();
        match c {
            '(' | '[' | '《' | '【' | '〔' => depth += 1,
            ')' | ']' | '》' | '】' | '〕' => depth = (depth - 1).max(0),
            '“' => quote = true,
            '”' => quote = false,
            _ => {}
        }
        if depth > 0 || quote {
            i = next_i;
            continue;
        }
        let split = match c {
            '，' | '：' => true,
            ',' | ':' => {
                // Not inside a number: 1,234 or 11:48.
                let prev = i.checked_sub(1).map(|j| bytes[j]);
                let next = bytes.get(i + 1).copied();
                !(prev.is_some_and(|b| b.is_ascii_digit())
                    && next.is_some_and(|b| b.is_ascii_digit()))
            }
            '、' => {
                // Where 分别/依次 occur in the sentence, found at its first `、`.
                let resp = resp.get_or_insert_with(|| respectively_at(s));
                let respectively = resp.iter().any(|&k| start <= k && k + "分别".len() <= i);
                !respectively && separates_statements(&s[start..i], &s[i + '、'.len_utf8()..])
            }
            _ => false,
        };
        if split {
            cut(&mut out, start, next_i);
            start = next_i;
        }
        i = next_i;
    }
    if start < s.len() {
        cut(&mut out, start, s.len());
    }
    out
}

/// Byte offsets of `分别` and `依次` in `s` (searchers built once).
fn respectively_at(s: &str) -> Vec<usize> {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static WORDS: LazyLock<[Finder<'static>; 2]> =
        LazyLock::new(|| [Finder::new("分别"), Finder::new("依次")]);
    WORDS
        .iter()
        .flat_map(|f| f.find_iter(s.as_bytes()))
        .collect()
}

/// Whether a `、` between `left` (the clause so far, which holds no 分别 or 依次) and
/// `right` separates two statements rather than the items of one enumeration.
fn separates_statements(left: &str, right: &str) -> bool {
    let Some(last) = left.chars().last() else {
        return false;
    };
    if last.is_ascii_digit() || last == '.' {
        return false;
    }
    let has_figure = |t: &str| t.bytes().any(|b| b.is_ascii_digit());
    let ends_with_rank = {
        let numeral: usize = left
            .chars()
            .rev()
            .take_while(|c| CN_DIGITS.contains(*c))
            .map(char::len_utf8)
            .sum();
        numeral > 0 && left[..left.len() - numeral].ends_with('第')
    };
    if !(has_figure(left) || ends_with_rank) {
        return false;
    }
    let next = right
        .find(['，', ',', '、', '；', '。'])
        .map_or(right, |i| &right[..i]);
    let starts_han = right.chars().next().is_some_and(|c| !c.is_ascii_digit());
    starts_han && (has_figure(next) || next.contains('第'))
}

fn inline_markers(text: &str, sentences: &[Sentence]) -> Vec<InlineMarker> {
    let mut out = Vec::new();
    for sentence in sentences {
        for clause in sentence.clauses.iter().take(1) {
            let s = &text[clause.clone()];
            let cn: usize = s
                .chars()
                .take_while(|c| CN_DIGITS.contains(*c))
                .map(char::len_utf8)
                .sum();
            if cn > 0 && s[cn..].starts_with('是') {
                if let Some(ordinal) = small_cn_number(&s[..cn]) {
                    out.push(InlineMarker {
                        ordinal,
                        range: clause.start..clause.start + cn + '是'.len_utf8(),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause_texts(text: &str) -> Vec<String> {
        segment(text)
            .iter()
            .flat_map(|p| p.sentences.iter())
            .flat_map(|s| s.clauses.iter())
            .map(|r| text[r.clone()].to_owned())
            .collect()
    }

    #[test]
    fn sentences_and_clauses() {
        let text = "1—9月，示例市规上工业增加值增长8.5%，居全省第2位。其中，制造业增长9.1%；采矿业下降2.0%。";
        let paras = segment(text);
        assert_eq!(paras.len(), 1);
        assert_eq!(paras[0].sentences.len(), 3);
        assert_eq!(
            clause_texts(text),
            [
                "1—9月，",
                "示例市规上工业增加值增长8.5%，",
                "居全省第2位。",
                "其中，",
                "制造业增长9.1%；",
                "采矿业下降2.0%。"
            ]
        );
    }

    #[test]
    fn enumeration_commas_stay_together() {
        let text =
            "甲、乙、丙分别增长5.1%、6.2%、7.3%，销售量5亿件、同比增长7.6%，全市第一、全省第四。";
        assert_eq!(
            clause_texts(text),
            [
                "甲、乙、丙分别增长5.1%、6.2%、7.3%，",
                "销售量5亿件、",
                "同比增长7.6%，",
                "全市第一、",
                "全省第四。"
            ]
        );
    }

    #[test]
    fn brackets_and_numbers_do_not_split() {
        let text = "比全省(7.4%，上年)高1.2个百分点，产值1,234亿元，时间11:48。";
        assert_eq!(
            clause_texts(text),
            [
                "比全省(7.4%，上年)高1.2个百分点，",
                "产值1,234亿元，",
                "时间11:48。"
            ]
        );
    }

    #[test]
    fn headings() {
        let text = "一、2025年主要工作\n(二)强化服务。全年新增企业5家。\n3.加快项目建设\n(4)其他\n亮点纷呈 发展提速\n一是抓项目。二是抓企业。";
        let paras = segment(text);
        let levels: Vec<_> = paras
            .iter()
            .map(|p| p.heading.as_ref().map(|h| (h.level, h.ordinal)))
            .collect();
        assert_eq!(
            levels,
            [
                Some((1, 1)),
                Some((2, 2)),
                Some((3, 3)),
                Some((4, 4)),
                Some((0, 0)),
                None
            ]
        );
        let h = paras[1].heading.as_ref().unwrap();
        assert_eq!(&text[h.title.clone()], "强化服务");
        let ords: Vec<_> = paras[5].markers.iter().map(|m| m.ordinal).collect();
        assert_eq!(ords, [1, 2]);
    }
}
