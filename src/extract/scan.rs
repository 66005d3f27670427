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

use pest::Parser;

use super::build::{SpanMaker, Token, build_token};
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
                Rule::url
                | Rule::email
                | Rule::phone
                | Rule::postcode
                | Rule::icp
                | Rule::police_record
                | Rule::site_code
                | Rule::index_no
                | Rule::doc_no
                | Rule::clock
                | Rule::book_title
                | Rule::quoted_code
                | Rule::model_code
                | Rule::strong_n
                | Rule::voltage
                | Rule::class_level
                | Rule::ordinal
                | Rule::session_no
                | Rule::enum_marker
                | Rule::address
                | Rule::fraction
                | Rule::policy_name
                | Rule::word_guard => d.bit.noise |= bit,
                Rule::period => d.bit.period = bit,
                Rule::ratio => d.bit.ratio = bit,
                Rule::part_whole => d.bit.part_whole = bit,
                Rule::class_count => d.bit.class_count = bit,
                Rule::value_range => d.bit.value_range = bit,
                Rule::change => d.bit.change = bit,
                Rule::share
                | Rule::comparison
                | Rule::rate_level
                | Rule::contribution
                | Rule::movement
                | Rule::respectively => d.bit.needs_number |= bit,
                _ => {}
            }
        }
        d
    })
}

impl Dispatch {
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
        let mut after = s[end..].chars();
        let n1 = after.next();
        let near = |chars: usize, pats: &[&str]| {
            let w: usize = s[end..].chars().take(chars).map(char::len_utf8).sum();
            let t = &s[end..end + w];
            pats.iter().any(|p| t.contains(p))
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
            || n1
                .is_some_and(|c| c.is_ascii_alphabetic() || "-@._:)强千伏级万亿室分条".contains(c));
        if !noise {
            mask &= !noise_bits;
        }
        // `N…中有M`: the 中 comes before the clause ends.
        let clause: String = s[end..]
            .chars()
            .take(40)
            .take_while(|c| !"，,；;。、".contains(*c))
            .collect();
        if !clause.contains('中') {
            mask &= !b.part_whole;
        }
        if !near(14, &["以上", "以下"]) {
            mask &= !b.class_count;
        }
        if !near(12, &["～", "~", "—", "–", "-", "至", "到"]) {
            mask &= !b.value_range;
        }
        mask
    }
}

/// Tokens of one sentence (`s`, which starts at `sm.base` in the normalised text).
/// The flag is set when a builder rejected a pair (the sentence is then reported as
/// not fully read).
pub fn scan(s: &str, sm: &SpanMaker<'_>) -> (Vec<Token>, bool) {
    let d = dispatch();
    let mut tokens = Vec::new();
    let mut failed = false;
    // Byte offset of the next Arabic or Chinese digit at or after `pos`.
    let mut next_number = 0;
    let mut pos = 0;
    while let Some(c) = s[pos..].chars().next() {
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
                let rest = &s[pos..crate::report::line_index::floor_char_boundary(s, pos + 48)];
                if !rest.contains("持平") && !rest.contains("转正") && !rest.contains("扭亏")
                {
                    mask &= !d.bit.change;
                }
            }
        }
        if c.is_ascii_digit() {
            mask = d.digit_filter(s, pos, mask);
        }
        if mask == d.bit.sep {
            // A separator needs no parser.
            tokens.push(Token {
                kind: super::build::TokenKind::Sep(c),
                range: sm.base + pos..sm.base + pos + c.len_utf8(),
            });
            pos += c.len_utf8();
            continue;
        }
        let mut advanced = false;
        // A failed parse builds an error that scans its input for line ends; a
        // bounded window keeps that cheap. No token is longer than the window, and a
        // match that reaches the window's end is parsed again on the whole rest.
        let window = if mask != 0 { window_end(s, pos) } else { pos };
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let (rule, _, _) = TOKEN_RULES[i];
            let Some(pair) = parse_at(rule, &s[pos..window])
                .filter(|p| pos + p.as_span().end() < window || window == s.len())
                .or_else(|| {
                    (window < s.len())
                        .then(|| parse_at(rule, &s[pos..]))
                        .flatten()
                })
            else {
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
    (tokens, failed)
}

/// Bytes of input given to one parse (about 100 characters; no token is longer).
const WINDOW_BYTES: usize = 300;

/// How far (in bytes, about 48 characters) a number may follow the start of a rule
/// that needs one.
const NUMBER_REACH: usize = 48 * 3;

fn window_end(s: &str, pos: usize) -> usize {
    let mut end = (pos + WINDOW_BYTES).min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || "〇零一二两三四五六七八九十百千".contains(c)
}

fn parse_at(rule: Rule, input: &str) -> Option<pest::iterators::Pair<'_, Rule>> {
    ReportParser::parse(rule, input).ok()?.next()
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
