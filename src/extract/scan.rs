//! The token scanner: the grammar's `sentence` rule, run position by position with a
//! dispatch table so that each position tries only the token rules that can start
//! with its character.
//!
//! `sentence = (token | sep | skip)*` tries every alternative of `token` at every
//! character; most characters of a report cannot start any of them. `build.rs`
//! derives from `grammar/*.pest` the characters each alternative can start with
//! ([`TOKEN_RULES`]); here a table maps a character to the alternatives to try, in
//! the grammar's order. The result is the same sequence of tokens (a test compares
//! the two on the shared corpus), found many times faster.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use pest::Parser;

use super::build::{SpanMaker, Token, TokenKind, build_token, plain_kind};
use super::{ReportParser, Rule};

include!(concat!(env!("OUT_DIR"), "/first_chars.rs"));

/// Which alternatives of [`TOKEN_RULES`] to try at a position (bit `i` = alternative
/// `i`), from the first two characters there.
struct Dispatch {
    /// Alternatives that may start with this character whatever follows (BMP).
    loose: Vec<u64>,
    /// Alternatives that may start with this exact pair of characters.
    pairs: HashMap<u64, u64, BuildHasherDefault<PairHasher>>,
    /// Whether a character begins any pair (BMP), to skip the lookup otherwise.
    pair_first: Vec<bool>,
    /// Characters outside the BMP.
    other: HashMap<char, u64>,
    /// Whether a character (BMP) can start no alternative, alone or in a pair: most
    /// of a report, skipped a run at a time by [`Dispatch::skip_quiet`].
    quiet: Vec<bool>,
    /// Per alternative: its words, if it is only a list of words
    /// ([`TOKEN_WORDS`]) and its token is plain text ([`plain_kind`]).
    plain_words: Vec<Option<&'static [&'static str]>>,
    any: u64,
    bit: Bits,
}

/// Bits of the alternatives the digit filter looks at.
#[derive(Default)]
struct Bits {
    sep: u64,
    /// All the alternatives that are not figures (`phone`, `clock`, `model_code` …).
    noise: u64,
    period: u64,
    ratio: u64,
    part_whole: u64,
    class_count: u64,
    value_range: u64,
    /// Alternatives that always contain a number (`share`, `comparison`, …).
    needs_number: u64,
    change: u64,
    email: u64,
    quoted_code: u64,
    rank: u64,
    comparison: u64,
    /// The alternatives [`Dispatch::lookahead_filter`] looks at.
    lookahead: u64,
    /// Noise rules that read a number and then a fixed word (`500强`, `2级`, `1208室`,
    /// `三分之一`, …), and the digits-only ones (`11:48`, `5G`, `500千伏`, phone
    /// numbers, `13条政策`): [`Dispatch::after_number`] tests the word.
    clock: u64,
    model_code: u64,
    strong_n: u64,
    voltage: u64,
    class_level: u64,
    address: u64,
    fraction: u64,
    policy_name: u64,
    phone: u64,
    session_no: u64,
    enum_marker: u64,
    share: u64,
    movement: u64,
}

/// A multiplicative hash for character pairs.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

fn dispatch() -> &'static Dispatch {
    static D: OnceLock<Dispatch> = OnceLock::new();
    D.get_or_init(|| {
        let mut d = Dispatch {
            loose: vec![0; 0x10000],
            pairs: HashMap::default(),
            pair_first: vec![false; 0x10000],
            other: HashMap::new(),
            quiet: Vec::new(),
            plain_words: TOKEN_RULES
                .iter()
                .zip(TOKEN_WORDS)
                .map(|((rule, _, _), words)| {
                    words.filter(|w| w.iter().all(|w| plain_kind(*rule, w).is_some()))
                })
                .collect(),
            any: 0,
            bit: Bits::default(),
        };
        for (i, ((rule, _, any), (loose, pairs))) in
            TOKEN_RULES.iter().zip(TOKEN_PREFIXES).enumerate()
        {
            let bit = 1u64 << i;
            if *any {
                d.any |= bit;
            }
            for &c in *loose {
                if (c as u32) < 0x10000 {
                    d.loose[c as usize] |= bit;
                } else {
                    *d.other.entry(c).or_default() |= bit;
                }
            }
            for &(a, b) in *pairs {
                *d.pairs.entry(pair_key(a, b)).or_default() |= bit;
                if (a as u32) < 0x10000 {
                    d.pair_first[a as usize] = true;
                }
            }
            match rule {
                Rule::sep => d.bit.sep = bit,
                Rule::email => {
                    d.bit.email = bit;
                    d.bit.noise |= bit;
                }
                Rule::quoted_code => {
                    d.bit.quoted_code = bit;
                    d.bit.noise |= bit;
                }
                Rule::rank => d.bit.rank = bit,
                Rule::comparison => {
                    d.bit.comparison = bit;
                    d.bit.needs_number |= bit;
                }
                Rule::clock => {
                    d.bit.clock = bit;
                    d.bit.noise |= bit;
                }
                Rule::model_code => {
                    d.bit.model_code = bit;
                    d.bit.noise |= bit;
                }
                Rule::strong_n => {
                    d.bit.strong_n = bit;
                    d.bit.noise |= bit;
                }
                Rule::voltage => {
                    d.bit.voltage = bit;
                    d.bit.noise |= bit;
                }
                Rule::class_level => {
                    d.bit.class_level = bit;
                    d.bit.noise |= bit;
                }
                Rule::address => {
                    d.bit.address = bit;
                    d.bit.noise |= bit;
                }
                Rule::fraction => {
                    d.bit.fraction = bit;
                    d.bit.noise |= bit;
                }
                Rule::policy_name => {
                    d.bit.policy_name = bit;
                    d.bit.noise |= bit;
                }
                Rule::phone => {
                    d.bit.phone = bit;
                    d.bit.noise |= bit;
                }
                Rule::session_no => {
                    d.bit.session_no = bit;
                    d.bit.noise |= bit;
                }
                Rule::enum_marker => {
                    d.bit.enum_marker = bit;
                    d.bit.noise |= bit;
                }
                Rule::url
                | Rule::postcode
                | Rule::icp
                | Rule::police_record
                | Rule::site_code
                | Rule::index_no
                | Rule::doc_no
                | Rule::book_title
                | Rule::ordinal
                | Rule::word_guard => d.bit.noise |= bit,
                Rule::period => d.bit.period = bit,
                Rule::ratio => d.bit.ratio = bit,
                Rule::part_whole => d.bit.part_whole = bit,
                Rule::class_count => d.bit.class_count = bit,
                Rule::value_range => d.bit.value_range = bit,
                Rule::change => d.bit.change = bit,
                Rule::share => {
                    d.bit.share = bit;
                    d.bit.needs_number |= bit;
                }
                Rule::movement => {
                    d.bit.movement = bit;
                    d.bit.needs_number |= bit;
                }
                Rule::rate_level | Rule::contribution | Rule::respectively => {
                    d.bit.needs_number |= bit;
                }
                _ => {}
            }
        }
        let b = &mut d.bit;
        b.lookahead = b.email
            | b.quoted_code
            | b.rank
            | b.class_count
            | b.value_range
            | b.change
            | b.comparison
            | b.share
            | b.movement
            | b.period;
        // Nothing is quiet when some alternative may start anywhere.
        d.quiet = (0..0x10000)
            .map(|c| d.any == 0 && d.loose[c] == 0 && !d.pair_first[c])
            .collect();
        d
    })
}

impl Dispatch {
    /// The first byte at or after `pos` (a character boundary) where a character
    /// that is not quiet begins (or the end): the scanner would try nothing at the
    /// characters in between, whose mask is zero whatever follows them. Decodes
    /// the UTF-8 by hand, the costly part of a scan otherwise; characters outside
    /// the BMP are never skipped.
    fn skip_quiet(&self, bytes: &[u8], mut pos: usize) -> usize {
        while let Some(rest) = bytes.get(pos..) {
            let (c, len) = match *rest {
                // Most of a report: three-byte characters (CJK and its punctuation).
                [b0, b1, b2, ..] if b0 & 0xf0 == 0xe0 => (
                    (u32::from(b0 & 0x0f) << 12)
                        | (u32::from(b1 & 0x3f) << 6)
                        | u32::from(b2 & 0x3f),
                    3,
                ),
                [b0, ..] if b0 < 0x80 => (u32::from(b0), 1),
                [b0, b1, ..] if b0 & 0xe0 == 0xc0 => {
                    ((u32::from(b0 & 0x1f) << 6) | u32::from(b1 & 0x3f), 2)
                }
                _ => return pos,
            };
            if !self.quiet.get(c as usize).copied().unwrap_or(false) {
                return pos;
            }
            pos += len;
        }
        pos
    }

    fn mask(&self, c: char, next: Option<char>) -> u64 {
        let loose = if (c as u32) < 0x10000 {
            self.loose[c as usize]
        } else {
            self.other.get(&c).copied().unwrap_or(0)
        };
        let maybe_pair = (c as u32) >= 0x10000 || self.pair_first[c as usize];
        let pair = match next {
            Some(n) if maybe_pair => self.pairs.get(&pair_key(c, n)).copied().unwrap_or(0),
            _ => 0,
        };
        loose | pair | self.any
    }

    /// At a digit, the characters after the run of digits rule out most of the
    /// alternatives that begin with digits: a period needs 年/月/a dash after it, a
    /// ratio a colon, … Each test is a necessary condition of the grammar's rule;
    /// `scan_matches_grammar` checks on the corpus that nothing is lost.
    fn digit_filter(&self, s: &str, pos: usize, mut mask: u64) -> u64 {
        let b = &self.bit;
        let noise_bits = b.noise;
        let bytes = s.as_bytes();
        let mut end = pos;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || matches!(bytes[end], b'.' | b',')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
        {
            end += 1;
        }
        let run = end - pos;
        let n1 = s[end..].chars().next();
        // The next 12 and 14 characters after the digits (byte lengths), in one pass.
        let (w12, w14) = {
            let mut ends = s[end..].char_indices().map(|(i, c)| i + c.len_utf8());
            let w12 = ends.by_ref().take(12).last().unwrap_or(0);
            (w12, ends.take(2).last().unwrap_or(w12))
        };
        if !matches!(
            n1,
            Some(
                '年' | '月'
                    | '-'
                    | '—'
                    | '–'
                    | '－'
                    | '~'
                    | '～'
                    | '至'
                    | '到'
                    | '日'
                    | '号'
                    | '季'
            )
        ) {
            mask &= !b.period;
        }
        if n1 != Some(':') {
            mask &= !b.ratio;
        }
        let noise = run >= 7
            || n1.is_some_and(|c| {
                c.is_ascii_alphabetic()
                    || matches!(
                        c,
                        '-' | '@'
                            | '.'
                            | '_'
                            | ':'
                            | ')'
                            | '强'
                            | '千'
                            | '伏'
                            | '级'
                            | '万'
                            | '亿'
                            | '室'
                            | '分'
                            | '条'
                    )
            });
        if !noise {
            mask &= !noise_bits;
        }
        // `N…中有M`: a 中 before the clause ends, followed by the second figure.
        if mask & b.part_whole != 0 && !part_whole_possible(&s[end..]) {
            mask &= !b.part_whole;
        }
        if !s[end..end + w14]
            .match_indices('以')
            .any(|(i, _)| s[end + i + '以'.len_utf8()..].starts_with(['上', '下']))
        {
            mask &= !b.class_count;
        }
        if !s[end..end + w12].contains(RANGE_SEPS) {
            mask &= !b.value_range;
        }
        if mask & noise_bits != 0 {
            let digits = bytes[pos..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            mask = self.after_number(mask, &s[pos + digits..], digits);
        }
        mask
    }

    /// The noise rules that read a number and then a word, kept only where the word
    /// follows: `after` is the text after the number (its ASCII digits, `digits` of
    /// them, or its Chinese numeral, `digits` = 0). Each test is the rule's own word
    /// in `grammar/noise.pest`; `scan_matches_grammar` checks on the corpus that
    /// nothing is lost.
    fn after_number(&self, mut mask: u64, after: &str, digits: usize) -> u64 {
        let b = &self.bit;
        let mut keep = |bit: u64, ok: bool| {
            if !ok {
                mask &= !bit;
            }
        };
        // `ASCII_DIGIT+ ~ "强"` / `cn_number ~ "强"`.
        keep(b.strong_n, after.starts_with('强'));
        // `… ~ magnitude? ~ "级"`.
        let level = ["", "万亿", "亿", "万"]
            .iter()
            .any(|m| after.strip_prefix(m).is_some_and(|t| t.starts_with('级')));
        keep(b.class_level, level);
        // `… ~ "分之" ~ …`.
        keep(b.fraction, after.starts_with("分之"));
        if digits > 0 {
            // `ASCII_DIGIT{1,2} ~ ":"`.
            keep(b.clock, digits <= 2 && after.starts_with(':'));
            // `ASCII_DIGIT+ ~ … ~ ASCII_ALPHA+`.
            keep(
                b.model_code,
                after
                    .as_bytes()
                    .first()
                    .is_some_and(u8::is_ascii_alphabetic),
            );
            // `ASCII_DIGIT+ ~ ("千伏" | "kV" | "伏")`.
            keep(
                b.voltage,
                after.starts_with("千伏") || after.starts_with("kV") || after.starts_with('伏'),
            );
            // `ASCII_DIGIT+ ~ "室"`.
            keep(b.address, after.starts_with('室'));
            // `ASCII_DIGIT+ ~ "条" ~ …`.
            keep(b.policy_name, after.starts_with('条'));
            // `0` and two or three digits, `400`, then `-`; or eleven digits.
            keep(b.phone, after.starts_with('-') || digits == 11);
        } else {
            // `cn_number ~ "届"`, `cn_number ~ "是"`.
            keep(b.session_no, after.starts_with('届'));
            keep(b.enum_marker, after.starts_with('是'));
        }
        mask
    }
}

impl Dispatch {
    /// Necessary conditions of a few alternatives that start on common characters
    /// but seldom match, tested on the text ahead before their parsers run. Each is
    /// derived from the alternative's rule in `grammar/`; `scan_matches_grammar`
    /// checks on the corpus that nothing is lost.
    fn lookahead_filter(&self, s: &str, pos: usize, mut mask: u64, ahead: &mut Aheads) -> u64 {
        let b = &self.bit;
        let rest = &s[pos..];
        // `email`: a run of name characters, then `@`.
        if mask & b.email != 0 {
            let name = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                .count();
            if name == 0 || rest.as_bytes().get(name) != Some(&b'@') {
                mask &= !b.email;
            }
        }
        // `quoted_code`: a digit within 15 characters of `“`, before `”` or `。`.
        if mask & b.quoted_code != 0 {
            let digit = rest
                .strip_prefix('“')
                .and_then(|q| {
                    q.chars()
                        .take(15)
                        .find(|c| c.is_ascii_digit() || matches!(c, '”' | '。'))
                })
                .is_some_and(|c| c.is_ascii_digit());
            if !digit {
                mask &= !b.quoted_code;
            }
        }
        // `rank`: every alternative ends in a position (`第…`, `首位`, `榜首`, `前N`)
        // or `N位`/`N名`.
        if mask & b.rank != 0 && !ahead.rank.within(s, pos, 48 * 3) {
            mask &= !b.rank;
        }
        // `class_count`: a bound (`以上`, `以下`) after the figure, or a threshold word
        // (`超过`…) and the noun it defines (`企业`, `项目`…).
        if mask & b.class_count != 0
            && !ahead.bound.within(s, pos, 40 * 3)
            && !(ahead.threshold.within(s, pos, 9 * 3) && ahead.noun.within(s, pos, 50 * 3))
        {
            mask &= !b.class_count;
        }
        // `value_range`: a range sign after the first figure (which begins within
        // a qualifier's length).
        if mask & b.value_range != 0 {
            let first = rest
                .char_indices()
                .take(5)
                .find(|(_, c)| is_number_char(*c))
                .map(|(i, _)| i);
            if !first.is_some_and(|i| ahead.range_sep.within(s, pos + i, 40 * 3)) {
                mask &= !b.value_range;
            }
        }
        // `change`: a change verb followed by its amount, or a doubling word.
        if mask & b.change != 0 && !change_possible(rest) {
            mask &= !b.change;
        }
        // `comparison`: `比`/`较`/`与` or `高于`… near its start.
        if mask & b.comparison != 0 && !ahead.basis.within(s, pos, 8 * 3) {
            mask &= !b.comparison;
        }
        // `share`: a whole `share_word` or `占` (not just their first two characters,
        // `增长` of `增长面`), and a percentage (`share_value`) within its reach: a
        // word, `share_of` (at most 24 characters), `share_link`, the value.
        if mask & b.share != 0
            && !((rest.starts_with('占') || SHARE_WORDS.iter().any(|w| rest.starts_with(w)))
                && ahead.percent.within(s, pos, 64 * 3))
        {
            mask &= !b.share;
        }
        // `movement`: the verb, then a number at once (`前进2个位次`).
        if mask & b.movement != 0 {
            let number_next = MOVEMENT_VERBS.iter().any(|v| {
                rest.strip_prefix(v)
                    .and_then(|t| t.chars().next())
                    .is_some_and(|c| c.is_ascii_digit() || is_cn_numeral(c))
            });
            if !number_next {
                mask &= !b.movement;
            }
        }
        // `period` at a Chinese numeral, `“`, `第` or `过去`: what must follow.
        if mask & b.period != 0 && !period_possible(rest) {
            mask &= !b.period;
        }
        mask
    }
}

/// `share_word` in `grammar/statement.pest`.
const SHARE_WORDS: &[&str] = &[
    "占比",
    "比重",
    "占有率",
    "市场份额",
    "份额",
    "增长面",
    "收窄面",
    "下降面",
    "减亏面",
    "覆盖面",
    "亏损面",
];

/// `movement_verb` in `grammar/statement.pest`.
const MOVEMENT_VERBS: &[&str] = &[
    "前进", "上升", "提升", "进位", "跃升", "后退", "下降", "下滑", "倒退",
];

/// Whether a `period` (`grammar/period.pest`) can start at `rest` when it begins with
/// a Chinese numeral, `“`, `第` or `过去` (anything else: `true`). After a numeral
/// only these can follow: `年来` (`recent`), `年` after four numerals (a year,
/// `二〇二〇年`), `季` (`一季度`), or `十X五` and a `plan_tail` (`十四五期间`).
fn period_possible(rest: &str) -> bool {
    const PLAN_TAILS: &[&str] = &["期间", "时期", "以来", "末", "初"];
    let after_numeral = |t: &str| {
        let chars: Vec<char> = t.chars().take_while(|&c| is_cn_numeral(c)).collect();
        let len: usize = chars.iter().map(|c| c.len_utf8()).sum();
        let after = &t[len..];
        let plan = chars.len() == 3 && chars[0] == '十' && chars[2] == '五' && {
            let tail = after.strip_prefix('”').unwrap_or(after);
            PLAN_TAILS.iter().any(|p| tail.starts_with(p))
        };
        !chars.is_empty()
            && (after.starts_with("年来")
                || chars.len() == 4 && after.starts_with('年')
                || after.starts_with('季')
                || plan)
    };
    let Some(c) = rest.chars().next() else {
        return false;
    };
    if is_cn_numeral(c) {
        return after_numeral(rest);
    }
    match c {
        // `plan_period`: `“十四五”时期`.
        '“' => rest['“'.len_utf8()..].starts_with('十') && after_numeral(&rest['“'.len_utf8()..]),
        // `quarter`: `第一季度`, `第1季度`.
        '第' => {
            let t = &rest['第'.len_utf8()..];
            t.chars()
                .next()
                .is_some_and(|d| matches!(d, '一' | '二' | '三' | '四' | '1' | '2' | '3' | '4'))
                && t[t.chars().next().map_or(0, char::len_utf8)..].starts_with("季度")
        }
        // `recent`: `过去五年`.
        '过' => rest
            .strip_prefix("过去")
            .is_some_and(|t| t.chars().next().is_some_and(is_cn_numeral)),
        _ => true,
    }
}

/// How [`Ahead`] looks for its words.
enum Search {
    /// Words that begin with the same character (`以上`, `以下`): `memchr` finds the
    /// last byte of that character and the words are compared there. An automaton's
    /// prefilter starts from the words' rarest bytes by the measure of English text,
    /// which for Chinese words are lead bytes (`0xE4` …) found at every other
    /// character: for such words it costs several times as much.
    Initial {
        /// The first character, as UTF-8.
        first: &'static str,
        words: &'static [&'static str],
    },
    /// Any words (none if the automaton could not be built: then anything goes).
    Automaton(Option<AhoCorasick>),
}

impl Search {
    fn automaton<W: AsRef<[u8]>>(words: &[W]) -> Self {
        Search::Automaton(
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(words)
                .ok(),
        )
    }

    /// Where the first of the words begins in `hay` (`Some(0)` when anything goes).
    fn find(&self, hay: &str) -> Option<usize> {
        match self {
            Search::Initial { first, words } => {
                let first = first.as_bytes();
                let last = *first.last()?;
                memchr::memchr_iter(last, hay.as_bytes()).find_map(|end| {
                    let start = (end + 1).checked_sub(first.len())?;
                    let rest = hay.as_bytes().get(start..)?;
                    words
                        .iter()
                        .any(|w| rest.starts_with(w.as_bytes()))
                        .then_some(start)
                })
            }
            Search::Automaton(Some(ac)) => ac.find(hay).map(|m| m.start()),
            Search::Automaton(None) => Some(0),
        }
    }
}

/// The next place where one of some words begins, found once and reused while the
/// scanner moves forward through a sentence (so a test "is there a `第` within 48
/// characters" costs no search at most positions).
struct Ahead {
    words: &'static Search,
    /// Where the last search started, and the occurrence it found (`usize::MAX` for
    /// none): no word begins in `from..next`.
    from: usize,
    next: usize,
}

impl Ahead {
    fn new(words: &'static Search) -> Self {
        Ahead {
            words,
            from: usize::MAX,
            next: 0,
        }
    }

    /// Whether one of the words begins at or after byte `pos` of `s` and before
    /// `pos + reach`.
    fn within(&mut self, s: &str, pos: usize, reach: usize) -> bool {
        if self.from > pos || pos > self.next {
            self.from = pos;
            self.next = self.words.find(&s[pos..]).map_or(usize::MAX, |i| pos + i);
        }
        self.next < pos.saturating_add(reach)
    }
}

/// The words the lookahead filter looks for, each with its place in the sentence.
struct Aheads {
    percent: Ahead,
    rank: Ahead,
    bound: Ahead,
    threshold: Ahead,
    noun: Ahead,
    range_sep: Ahead,
    basis: Ahead,
}

impl Aheads {
    fn new() -> Self {
        static W: OnceLock<[Search; 7]> = OnceLock::new();
        let w = W.get_or_init(|| {
            [
                Search::automaton(&["第", "首位", "榜首", "前", "位", "名"]),
                Search::Initial {
                    first: "以",
                    words: &["以上", "以下"],
                },
                Search::automaton(&["超", "达到", "不低于", "不少于"]),
                Search::automaton(&["企业", "项目", "产业", "园区"]),
                Search::automaton(&RANGE_SEPS.map(|c| c.to_string())),
                Search::automaton(&["比", "较", "与", "于"]),
                Search::automaton(&["%", "‰"]),
            ]
        });
        Aheads {
            percent: Ahead::new(&w[6]),
            rank: Ahead::new(&w[0]),
            bound: Ahead::new(&w[1]),
            threshold: Ahead::new(&w[2]),
            noun: Ahead::new(&w[3]),
            range_sep: Ahead::new(&w[4]),
            basis: Ahead::new(&w[5]),
        }
    }
}

/// Whether a `change` (`rate_word? ~ basis? ~ change_adv? ~ change_verb ~ … ~ amount`
/// or `basis? ~ change_adv? ~ doubling`) can start at the beginning of `rest`.
/// After a rate word or a basis (which may hold figures of its own) anything within
/// 40 characters may be the verb; otherwise the text must begin with an adverb at
/// most and then the verb or the doubling word. A change verb (`增长`, `提高`, `回落`
/// …) begins with one of [`is_verb_first`], and its amount (a digit, a Chinese numeral,
/// a sign or a qualifier) starts at most five characters after that (`了`, `达到` may
/// come between).
fn change_possible(rest: &str) -> bool {
    const RATE_OR_BASIS: &[&str] = &[
        "增速",
        "增幅",
        "降幅",
        "涨幅",
        "跌幅",
        "增长率",
        "增长速度",
        "增长幅度",
        "同比",
        "环比",
        "相比",
        "比",
        "较",
        "与",
    ];
    const ADVERBS: &[&str] = &["大幅", "均", "持续", "稳步", "明显", "进一步"];
    const DOUBLING: &[&str] = &["翻", "实现转正", "由负转正", "扭亏为盈", "基本持平", "持平"];
    let chars: Vec<char> = rest.chars().take(50).collect();
    let verb_at = |i: usize| {
        let Some(c) = chars.get(i) else { return false };
        if !is_verb_first(*c) {
            return false;
        }
        // The verb, one or two characters (`增`, `增长`), then `了`, `达到` at most.
        let two = chars.get(i + 1).is_some_and(|&d| is_verb_second(d));
        let from = i + if two { 2 } else { 1 };
        chars
            .iter()
            .skip(from)
            .take(4)
            .any(|&a| is_number_char(a) || is_sign_or_qualifier(a))
    };
    if RATE_OR_BASIS.iter().any(|p| rest.starts_with(p)) {
        let w = crate::report::line_index::floor_char_boundary(rest, 48 * 3);
        return DOUBLING.iter().any(|p| rest[..w].contains(p)) || (0..40).any(verb_at);
    }
    let after_adverb = ADVERBS
        .iter()
        .find(|p| rest.starts_with(**p))
        .map_or(rest, |p| &rest[p.len()..]);
    if DOUBLING.iter().any(|p| after_adverb.starts_with(p)) {
        return true;
    }
    verb_at(rest[..rest.len() - after_adverb.len()].chars().count())
}

/// The first characters of the change verbs (`change_verb` in `grammar/statement.pest`).
fn is_verb_first(c: char) -> bool {
    matches!(
        c,
        '增' | '下'
            | '减'
            | '降'
            | '提'
            | '回'
            | '加'
            | '放'
            | '收'
            | '扩'
            | '上'
            | '缩'
            | '延'
            | '涨'
            | '跌'
    )
}

/// Their second characters (`增长`, `提高`, `回落` …).
fn is_verb_second(c: char) -> bool {
    matches!(
        c,
        '长' | '加'
            | '降'
            | '少'
            | '低'
            | '高'
            | '升'
            | '落'
            | '快'
            | '缓'
            | '窄'
            | '大'
            | '涨'
            | '小'
            | '短'
            | '滑'
    )
}

/// What may begin an amount besides a numeral: a sign or the first character of a
/// qualifier (`超`, `近`, `约`, `达到` …; `qual_pre` in `grammar/unit.pest`).
fn is_sign_or_qualifier(c: char) -> bool {
    matches!(
        c,
        '-' | '−'
            | '负'
            | '超'
            | '逾'
            | '将'
            | '接'
            | '近'
            | '大'
            | '约'
            | '达'
            | '高'
            | '突'
            | '不'
            | '至'
            | '最'
    )
}

/// The signs of `range_sep`.
const RANGE_SEPS: [char; 7] = ['～', '~', '—', '–', '-', '至', '到'];

/// Whether `after` (the text after the first figure's digits) can continue a
/// `part_whole`: a `中` before the clause ends, then `有`/`，` at most, then a figure
/// (a digit, a Chinese numeral or a qualifier such as `超`, `近`).
fn part_whole_possible(after: &str) -> bool {
    let w = crate::report::line_index::floor_char_boundary(after, 40 * 3);
    let head = &after[..w];
    let clause_end = head
        .find(['，', ',', '；', ';', '。', '、'])
        .unwrap_or(head.len());
    head[..clause_end].match_indices('中').any(|(i, _)| {
        let mut tail = after[i + '中'.len_utf8()..].chars();
        let mut c = tail.next();
        if matches!(c, Some('有' | '，' | ',')) {
            c = tail.next();
        }
        c.is_some_and(|c| is_number_char(c) || is_sign_or_qualifier(c))
    })
}

/// Tokens of one sentence (`s`, which starts at `sm.base` in the normalised text).
/// The flag is set when a builder rejected a pair (the sentence is then reported as
/// not fully read).
pub fn scan(s: &str, sm: &SpanMaker<'_>) -> (Vec<Token>, bool) {
    let mut tokens = Vec::new();
    let failed = scan_into(s, sm, &mut tokens);
    (tokens, failed)
}

/// Like [`scan`], into `tokens` (cleared first), so that one buffer serves every
/// sentence of a document.
pub fn scan_into(s: &str, sm: &SpanMaker<'_>, tokens: &mut Vec<Token>) -> bool {
    let d = dispatch();
    tokens.clear();
    let mut ahead = Aheads::new();
    let mut failed = false;
    // Byte offset of the next Arabic or Chinese digit at or after `pos`.
    let mut next_number = 0;
    let mut pos = 0;
    loop {
        pos = d.skip_quiet(s.as_bytes(), pos);
        let Some(c) = s[pos..].chars().next() else {
            break;
        };
        let next = s[pos + c.len_utf8()..].chars().next();
        let mut mask = d.mask(c, next);
        if mask & (d.bit.needs_number | d.bit.change) != 0 {
            // These rules end with a figure no more than about 48 characters on.
            if next_number < pos {
                next_number = s[pos..]
                    .char_indices()
                    .find(|(_, c)| is_number_char(*c))
                    .map_or(usize::MAX, |(i, _)| pos + i);
            }
            let far = next_number > pos + NUMBER_REACH;
            if far {
                mask &= !d.bit.needs_number;
                if mask & d.bit.change != 0 {
                    let end = crate::report::line_index::floor_char_boundary(s, pos + 48);
                    let rest = &s[pos..end];
                    if !rest.contains("持平") && !rest.contains("转正") && !rest.contains("扭亏")
                    {
                        mask &= !d.bit.change;
                    }
                }
            }
        }
        if c.is_ascii_digit() {
            mask = d.digit_filter(s, pos, mask);
        } else if mask & d.bit.noise != 0 && is_cn_numeral(c) {
            let len: usize = s[pos..]
                .chars()
                .take_while(|&c| is_cn_numeral(c))
                .map(char::len_utf8)
                .sum();
            mask = d.after_number(mask, &s[pos + len..], 0);
        } else if mask & d.bit.model_code != 0 && c.is_ascii_alphabetic() {
            // `model_code` at a letter: `ASCII_ALPHA+ ~ "-"? ~ ASCII_DIGIT+ ~ …` (`G20`,
            // `A-320`), so a digit after the letters; in a word (`GDP`, `CPI`) nothing
            // needs trying.
            let bytes = &s.as_bytes()[pos..];
            let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let dash = usize::from(bytes.get(letters) == Some(&b'-'));
            if !bytes.get(letters + dash).is_some_and(u8::is_ascii_digit) {
                mask &= !d.bit.model_code;
            }
        }
        if mask & d.bit.lookahead != 0 {
            mask = d.lookahead_filter(s, pos, mask, &mut ahead);
        }
        if mask == d.bit.sep {
            // A separator needs no parser.
            tokens.push(Token {
                kind: TokenKind::Sep(c),
                range: sm.base + pos..sm.base + pos + c.len_utf8(),
            });
            pos += c.len_utf8();
            continue;
        }
        let mut advanced = false;
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            // A list of words that gives a plain token (`word_guard`): its first
            // word that begins here, found without a parser.
            if let Some(words) = d.plain_words[i] {
                let Some(w) = words.iter().find(|w| s[pos..].starts_with(**w)) else {
                    continue;
                };
                if let Some(kind) = plain_kind(TOKEN_RULES[i].0, w) {
                    tokens.push(Token {
                        kind,
                        range: sm.base + pos..sm.base + pos + w.len(),
                    });
                    pos += w.len();
                    advanced = true;
                    break;
                }
            }
            let Some(pair) = parse_at(TOKEN_PROBES[i], &s[pos..]) else {
                continue;
            };
            let len = pair.as_span().end();
            if len == 0 {
                continue;
            }
            let at = SpanMaker {
                base: sm.base + pos,
                ..*sm
            };
            match build_token(pair, &at) {
                Ok(Some(t)) => tokens.push(t),
                Ok(None) => {}
                Err(_) => failed = true,
            }
            pos += len;
            advanced = true;
            break;
        }
        if !advanced {
            pos += c.len_utf8();
        }
    }
    failed
}

/// How far (in bytes, about 48 characters) a number may follow the start of a rule
/// that needs one.
const NUMBER_REACH: usize = 48 * 3;

/// The characters of `cn_number` (`cn_char` in `grammar/number.pest`).
fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '三'
            | '两'
            | '十'
            | '二'
            | '四'
            | '五'
            | '零'
            | '百'
            | '千'
            | '六'
            | '八'
            | '九'
            | '七'
            | '〇'
    )
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '〇' | '零'
                | '一'
                | '二'
                | '两'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '千'
        )
}

/// The token at the start of `input`, through the probe of its rule (`probe`, from
/// [`TOKEN_PROBES`]): the probe always matches, so a rule that does not match costs
/// no parse error.
fn parse_at(probe: Rule, input: &str) -> Option<pest::iterators::Pair<'_, Rule>> {
    ReportParser::parse(probe, input)
        .ok()?
        .next()?
        .into_inner()
        .next()
}

/// Tokens of one sentence through the grammar's own `sentence` rule (slow; used to
/// check [`scan`]).
pub fn scan_reference(s: &str, sm: &SpanMaker<'_>) -> Option<(Vec<Token>, bool)> {
    let mut pairs = ReportParser::parse(Rule::sentence, s).ok()?;
    let root = pairs.next()?;
    let mut tokens = Vec::new();
    let mut failed = false;
    for pair in root.into_inner() {
        match build_token(pair, sm) {
            Ok(Some(t)) => tokens.push(t),
            Ok(None) => {}
            Err(_) => failed = true,
        }
    }
    Some((tokens, failed))
}
