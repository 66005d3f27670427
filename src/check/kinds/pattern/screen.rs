//! The screen of the wording rules' expressions: which sentences each one may match.
//!
//! When the rule set is loaded, a set of literals is derived from each expression's
//! syntax tree such that every match of the expression contains one of them
//! ([`needed`]): `号` for `\d{1,2}号`, `、` between two of `一`…`九` for
//! `[一二三四五六七八九]、[一二三四五六七八九]`. A literal may require the character
//! before or after it to be of a class (`月` after a digit in `\d{1,2}月`), or the
//! literal to begin or end the sentence (`^`, `$`). One pass of a few literal
//! searchers over a document then tells which sentences hold a literal of which
//! expression, and only those sentences are searched with it. The condition is
//! necessary, not sufficient: a sentence screened in may still hold no match.
//! Expressions without a useful set (`\d+`, `a*`) are screened as before, by one
//! `RegexSet` run over every sentence.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind, packed};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// What the character next to a literal must be: one of `chars`, or none at all (the
/// literal begins or ends the sentence) when `edge`.
#[derive(Debug, Clone, PartialEq)]
struct Side {
    chars: ClassUnicode,
    edge: bool,
    /// The ASCII characters of `chars`, a bit each: most characters asked about next
    /// to a literal of a figure are digits or punctuation, answered without a search.
    ascii: u128,
}

impl Side {
    fn new(chars: ClassUnicode, edge: bool) -> Side {
        let mut ascii = 0u128;
        for r in chars.ranges() {
            for c in u32::from(r.start())..=u32::from(r.end()).min(127) {
                ascii |= 1 << c;
            }
        }
        Side { chars, edge, ascii }
    }

    fn admits(&self, c: Option<char>) -> bool {
        let Some(c) = c else {
            return self.edge;
        };
        if c.is_ascii() {
            return self.ascii >> u32::from(c) & 1 == 1;
        }
        let ranges = self.chars.ranges();
        if ranges.last().is_none_or(|r| r.end() < c) {
            return false;
        }
        // The ranges are sorted and apart: the last one starting at or before `c`.
        let i = ranges.partition_point(|r| r.start() <= c);
        i > 0 && c <= ranges[i - 1].end()
    }
}

/// A literal, with what must come before and after it.
#[derive(Debug, Clone, PartialEq)]
struct Lit {
    bytes: Vec<u8>,
    left: Option<Side>,
    right: Option<Side>,
}

impl Lit {
    fn bare(bytes: Vec<u8>) -> Lit {
        Lit {
            bytes,
            left: None,
            right: None,
        }
    }
}

/// One expression's use of a literal found at some position.
#[derive(Debug, Clone)]
struct Use {
    /// The length of the literal used (a literal found stands for those of its
    /// prefixes that are literals too).
    len: usize,
    expr: usize,
    left: Option<Side>,
    right: Option<Side>,
}

impl Use {
    /// Whether the use, found at `start`, lies in sentence `r` with its sides.
    fn fits(&self, text: &str, start: usize, r: &Range<usize>) -> bool {
        let end = start + self.len;
        if end > r.end {
            return false;
        }
        // The characters next to the literal are read only for a side that asks, the
        // one after only when the one before fits.
        let fits = |side: &Option<Side>, inside: bool, c: &dyn Fn() -> Option<char>| {
            let Some(s) = side else { return true };
            if !inside {
                return s.admits(None);
            }
            // Not at a character boundary (a literal in the middle of one): the side
            // is not looked at.
            c().is_none_or(|c| s.admits(Some(c)))
        };
        fits(&self.left, start > r.start, &|| prev_char(text, start))
            && fits(&self.right, end < r.end, &|| next_char(text, end))
    }

    /// Whether the use may fit its sides in some sentence, from the characters next to
    /// it in the whole text: a side that does not take the edge of a sentence must
    /// take the character there, wherever the sentences end. Most places where a
    /// common literal is found (`、` between other than two numerals) are dropped so,
    /// before the sentences are walked.
    fn may_fit(&self, text: &str, start: usize) -> bool {
        if let Some(s) = self.left.as_ref().filter(|s| !s.edge) {
            if prev_char(text, start).is_some_and(|c| !s.admits(Some(c))) {
                return false;
            }
        }
        if let Some(s) = self.right.as_ref().filter(|s| !s.edge) {
            if next_char(text, start + self.len).is_some_and(|c| !s.admits(Some(c))) {
                return false;
            }
        }
        true
    }
}

/// The wording expressions of a rule set, screened together.
#[derive(Debug)]
pub struct Screen {
    /// The expressions, in the order of the rules.
    exprs: Vec<String>,
    /// Searchers of the literals of three bytes or more.
    long: Vec<Finder>,
    /// Passes over the shorter literals, by their first bytes.
    short: Vec<ShortPass>,
    /// The expressions without literals (indices into `exprs`) and their set.
    rest: Option<(regex::RegexSet, Vec<usize>)>,
}

#[derive(Debug)]
enum Searcher {
    /// Teddy, for a few dozen literals: a few instructions per 16 or 32 bytes.
    Packed(packed::Searcher),
    /// When Teddy is not available (no SIMD).
    Ac(AhoCorasick),
    /// A single literal, searched by `memchr::memmem` ([`common`]).
    One(memchr::memmem::Finder<'static>),
}

/// Literals searched leftmost-longest, so that at each position where some literal
/// starts the longest one is found; the others starting there are its prefixes, and
/// each literal's uses include theirs.
#[derive(Debug)]
struct Finder {
    searcher: Searcher,
    /// Per literal (searcher pattern id).
    uses: Vec<Vec<Use>>,
}

impl Finder {
    fn new(lits: &[(&Vec<u8>, &Vec<Use>)]) -> Option<Finder> {
        let bytes: Vec<&[u8]> = lits.iter().map(|(l, _)| l.as_slice()).collect();
        let searcher = match packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(&bytes)
            .build()
        {
            Some(s) => Searcher::Packed(s),
            None => Searcher::Ac(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&bytes)
                    .ok()?,
            ),
        };
        let uses = lits
            .iter()
            .map(|(l, _)| {
                lits.iter()
                    .filter(|(p, _)| l.starts_with(p))
                    .flat_map(|(_, u)| u.iter().cloned())
                    .collect()
            })
            .collect();
        Some(Finder { searcher, uses })
    }

    /// The searcher of a single literal.
    fn one(lit: &[u8], uses: &[Use]) -> Finder {
        Finder {
            searcher: Searcher::One(memchr::memmem::Finder::new(lit).into_owned()),
            uses: vec![uses.to_vec()],
        }
    }

    /// The leftmost-longest literal starting at or after `at`: start, literal.
    fn find(&self, hay: &[u8], at: usize) -> Option<(usize, usize)> {
        let m = match &self.searcher {
            Searcher::Packed(s) => s.find_in(hay, aho_corasick::Span::from(at..hay.len())),
            Searcher::Ac(a) => a.find(aho_corasick::Input::new(hay).range(at..)),
            Searcher::One(f) => return f.find(hay.get(at..)?).map(|i| (at + i, 0)),
        }?;
        Some((m.start(), m.pattern().as_usize()))
    }
}

/// Literals found by `memchr` on their first bytes (up to three per pass).
#[derive(Debug)]
struct ShortPass {
    bytes: Vec<u8>,
    lits: Vec<LitUses>,
}

/// A literal and its uses.
type LitUses = (Vec<u8>, Vec<Use>);

/// Whether a literal goes to Teddy: one of three bytes or more (an ideograph or a
/// punctuation mark: `memchr` on their first bytes would stop at most characters).
/// Teddy looks at the first three bytes of each literal, so shorter ones, ASCII, go
/// to `memchr`.
fn for_teddy(l: &[u8]) -> bool {
    l.len() >= 3
}

/// Whether a literal is so common (`、`, about one character in fifty) that it is
/// searched alone, by `memchr::memmem`: Teddy stops at every place it is found, and
/// each stop, with the search started again after it, costs Teddy more than the
/// search of a single literal does.
fn common(l: &[u8]) -> bool {
    chars_of(l).map(rate).product::<f64>() >= COMMON
}

/// The share of characters from which a literal is [`common`].
const COMMON: f64 = 0.01;

/// Teddy's own limit on the number of literals (beyond it, it is not built).
const TEDDY_LITERALS: usize = 64;

impl Screen {
    /// The screen of `exprs`; `None` when there are none or a searcher cannot be built.
    pub fn new(exprs: &[&str]) -> Option<Screen> {
        if exprs.is_empty() {
            return None;
        }
        let mut by_lit: BTreeMap<Vec<u8>, Vec<Use>> = BTreeMap::new();
        let mut rest = Vec::new();
        for (i, e) in exprs.iter().enumerate() {
            match needed(e) {
                Some(lits) => {
                    for l in lits {
                        by_lit.entry(l.bytes.clone()).or_default().push(Use {
                            len: l.bytes.len(),
                            expr: i,
                            left: l.left,
                            right: l.right,
                        });
                    }
                }
                None => rest.push(i),
            }
        }
        let (alone, long): (Vec<(&Vec<u8>, &Vec<Use>)>, _) = by_lit
            .iter()
            .filter(|(l, _)| for_teddy(l))
            .partition(|(l, _)| common(l));
        let mut finders = Vec::new();
        for chunk in long.chunks(TEDDY_LITERALS) {
            finders.push(Finder::new(chunk)?);
        }
        // Each searcher finds the longest of its own literals at a place: a common
        // literal's longer neighbours are found by theirs.
        finders.extend(alone.iter().map(|(l, u)| Finder::one(l, u)));
        let mut by_first: BTreeMap<u8, Vec<LitUses>> = BTreeMap::new();
        for (l, u) in by_lit.iter().filter(|(l, _)| !for_teddy(l)) {
            by_first
                .entry(l[0])
                .or_default()
                .push((l.clone(), u.clone()));
        }
        let firsts: Vec<(u8, Vec<LitUses>)> = by_first.into_iter().collect();
        let short = firsts
            .chunks(3)
            .map(|c| ShortPass {
                bytes: c.iter().map(|(b, _)| *b).collect(),
                lits: c.iter().flat_map(|(_, ls)| ls.iter().cloned()).collect(),
            })
            .collect();
        let rest = if rest.is_empty() {
            None
        } else {
            let set = regex::RegexSet::new(rest.iter().map(|&i| exprs[i])).ok()?;
            Some((set, rest))
        };
        Some(Screen {
            exprs: exprs.iter().map(|e| (*e).to_owned()).collect(),
            long: finders,
            short,
            rest,
        })
    }

    /// The index of `expr` among the screened expressions.
    pub fn position(&self, expr: &str) -> Option<usize> {
        self.exprs.iter().position(|e| e == expr)
    }

    /// Per expression, the indices (into `sentences`) of the sentences of `text` it
    /// may match, in order.
    pub fn screen<I>(&self, text: &str, sentences: I) -> Vec<Vec<usize>>
    where
        I: Iterator<Item = Range<usize>> + Clone,
    {
        let hay = text.as_bytes();
        // Per searcher or pass, in order of start: start, uses.
        let mut found: Vec<Vec<(usize, &[Use])>> = Vec::new();
        for f in &self.long {
            let mut hits = Vec::new();
            let mut at = 0;
            while let Some((start, lit)) = f.find(hay, at) {
                let uses = f.uses[lit].as_slice();
                if uses.iter().any(|u| u.may_fit(text, start)) {
                    hits.push((start, uses));
                }
                at = start + 1;
            }
            found.push(hits);
        }
        for pass in &self.short {
            let mut hits = Vec::new();
            let mut at = |p: usize| {
                for (l, u) in &pass.lits {
                    // Literals of a byte or two: compared in place, not by `memcmp`.
                    if hay.len() - p >= l.len()
                        && l.iter().zip(&hay[p..]).all(|(a, b)| a == b)
                        && u.iter().any(|u| u.may_fit(text, p))
                    {
                        hits.push((p, u.as_slice()));
                    }
                }
            };
            match pass.bytes[..] {
                [a] => memchr::memchr_iter(a, hay).for_each(&mut at),
                [a, b] => memchr::memchr2_iter(a, b, hay).for_each(&mut at),
                [a, b, c] => memchr::memchr3_iter(a, b, c, hay).for_each(&mut at),
                _ => {}
            }
            found.push(hits);
        }
        let mut out = vec![Vec::new(); self.exprs.len()];
        if let Some((starts, ends)) = ordered_bounds(sentences.clone()) {
            // Sentences in order and apart, as a document's are: each place found
            // belongs to the one sentence holding its start, found by halves. There
            // are far fewer places than sentences.
            for &(start, uses) in found.iter().flatten() {
                let Some(k) = starts.partition_point(|&s| s <= start).checked_sub(1) else {
                    continue;
                };
                let r = starts[k]..ends[k];
                if start >= r.end {
                    continue;
                }
                for u in uses {
                    if out[u.expr].last() != Some(&k) && u.fits(text, start, &r) {
                        out[u.expr].push(k);
                    }
                }
            }
            // The searchers' places were read one searcher after another.
            for o in &mut out {
                o.sort_unstable();
                o.dedup();
            }
        } else {
            // Sentences come in order of start, as a rule: each list is walked once.
            let mut next = vec![0; found.len()];
            let mut last_start = 0;
            for (k, r) in sentences.clone().enumerate() {
                let back = r.start < last_start;
                last_start = r.start;
                for (hits, next) in found.iter().zip(&mut next) {
                    if back {
                        *next = hits.partition_point(|h| h.0 < r.start);
                    }
                    while *next < hits.len() && hits[*next].0 < r.start {
                        *next += 1;
                    }
                    for &(start, uses) in &hits[*next..] {
                        if start >= r.end {
                            break;
                        }
                        for u in uses {
                            if out[u.expr].last() != Some(&k) && u.fits(text, start, &r) {
                                out[u.expr].push(k);
                            }
                        }
                    }
                }
            }
        }
        if let Some((set, which)) = &self.rest {
            for (k, r) in sentences.enumerate() {
                let s = &text[r];
                // Most sentences match none: `is_match` stops at the first match and
                // runs the faster search.
                if set.is_match(s) {
                    for m in &set.matches(s) {
                        out[which[m]].push(k);
                    }
                }
            }
        }
        out
    }
}

/// The starts and ends of `sentences` when each starts at or after the end of the one
/// before (and none ends before it starts).
fn ordered_bounds(
    sentences: impl Iterator<Item = Range<usize>>,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    for r in sentences {
        if r.end < r.start || ends.last().is_some_and(|&e| r.start < e) {
            return None;
        }
        starts.push(r.start);
        ends.push(r.end);
    }
    Some((starts, ends))
}

/// The character before byte `i` of `text`; `None` when `i` is not a boundary.
fn prev_char(text: &str, i: usize) -> Option<char> {
    text.get(..i)?.chars().next_back()
}

/// The character at byte `i` of `text`; `None` when `i` is not a boundary.
fn next_char(text: &str, i: usize) -> Option<char> {
    text.get(i..)?.chars().next()
}

/// A set of literals, one of which every match contains, and what using it costs.
struct Need {
    lits: Vec<Lit>,
    cost: f64,
}

/// A set of literals costing this much or more (about: every sentence searched) is
/// no better than no set.
const MAX_COST: f64 = 1.0;

/// The literals one of which every match of `expr` contains, when a set worth using
/// is found; `None` also when `expr` does not parse.
///
/// Literals are byte strings of the UTF-8 text (a literal may end inside a
/// character). Look-arounds (`^`, `\b`) match the empty string and so contribute
/// no literal; case-insensitive and Unicode classes are in the syntax tree as
/// classes, and a class of more than a few characters yields no literals.
fn needed(expr: &str) -> Option<Vec<Lit>> {
    // The parser's defaults are the `regex` crate's (Unicode, UTF-8, nest limit).
    let hir = regex_syntax::Parser::new().parse(expr).ok()?;
    let best = need(&strip(&hir))?;
    (best.cost < MAX_COST).then_some(best.lits)
}

/// `hir` without its groups, which do not change what it matches: a group's items
/// join the sequence around it, and become each other's neighbours.
fn strip(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Capture(c) => strip(&c.sub),
        HirKind::Concat(items) => Hir::concat(items.iter().map(strip).collect()),
        HirKind::Alternation(bs) => Hir::alternation(bs.iter().map(strip).collect()),
        HirKind::Repetition(r) => Hir::repetition(regex_syntax::hir::Repetition {
            sub: Box::new(strip(&r.sub)),
            ..r.clone()
        }),
        _ => hir.clone(),
    }
}

/// The best set found for `hir`: every match of `hir` contains one of its literals.
fn need(hir: &Hir) -> Option<Need> {
    let mut best = None;
    match hir.kind() {
        // May match the empty string: no literal is needed.
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => offer(&mut best, vec![Lit::bare(l.0.to_vec())]),
        HirKind::Class(_) => offer_seq(&mut best, &extract(hir, ExtractKind::Prefix), None, None),
        HirKind::Capture(c) => return need(&c.sub),
        HirKind::Repetition(r) => {
            // At least one repetition: what the repeated part needs.
            if r.min > 0 {
                keep(&mut best, need(&r.sub));
                offer_seq(&mut best, &extract(hir, ExtractKind::Prefix), None, None);
                offer_seq(&mut best, &extract(hir, ExtractKind::Suffix), None, None);
            }
        }
        HirKind::Alternation(branches) => {
            // Every branch needs one of its own literals, or there is no set.
            let mut all = Vec::new();
            for b in branches {
                match need(b) {
                    Some(n) => all.extend(n.lits),
                    None => {
                        all.clear();
                        break;
                    }
                }
            }
            offer(&mut best, all);
            offer_seq(&mut best, &extract(hir, ExtractKind::Prefix), None, None);
            offer_seq(&mut best, &extract(hir, ExtractKind::Suffix), None, None);
        }
        HirKind::Concat(items) => {
            // Any item's set will do, and so will the prefixes of a tail of the
            // items (after what the head ends with), the suffixes of a head (before
            // what the tail begins with), and a head's suffix followed by the next
            // tail's prefix (the two are adjacent in every match).
            let n = items.len();
            for (i, it) in items.iter().enumerate() {
                keep(&mut best, need(it));
                // An item that matches its literals and nothing else has both of
                // its neighbours.
                let seq = extract(it, ExtractKind::Prefix);
                if seq.is_exact() {
                    let left = side(items[..i].iter().rev(), false);
                    offer_seq(&mut best, &seq, left, side(items[i + 1..].iter(), true));
                }
            }
            let pre: Vec<Seq> = (0..n)
                .map(|i| extract(&Hir::concat(items[i..].to_vec()), ExtractKind::Prefix))
                .collect();
            let suf: Vec<Seq> = (1..=n)
                .map(|j| extract(&Hir::concat(items[..j].to_vec()), ExtractKind::Suffix))
                .collect();
            for (i, s) in pre.iter().enumerate() {
                offer_seq(&mut best, s, side(items[..i].iter().rev(), false), None);
            }
            for (j, s) in suf.iter().enumerate() {
                offer_seq(&mut best, s, None, side(items[j + 1..].iter(), true));
            }
            for k in 1..n {
                let (Some(a), Some(b)) = (suf[k - 1].literals(), pre[k].literals()) else {
                    continue;
                };
                if a.len() * b.len() > MAX_LITS {
                    continue;
                }
                let joined = a
                    .iter()
                    .flat_map(|x| {
                        b.iter()
                            .map(move |y| Lit::bare([x.as_bytes(), y.as_bytes()].concat()))
                    })
                    .collect();
                offer(&mut best, joined);
            }
        }
    }
    best
}

fn extract(hir: &Hir, kind: ExtractKind) -> Seq {
    Extractor::new().kind(kind).extract(hir)
}

/// What a match of a sequence of expressions begins with (`forward`) or ends with,
/// seen from a literal just before (or after) it.
struct Edge {
    chars: ClassUnicode,
    /// The match may be empty anywhere: the neighbour is not known.
    empty: bool,
    /// The match may be empty at the start (or end) of the text only (`^`, `$`).
    edge: bool,
}

fn edge(h: &Hir, forward: bool) -> Option<Edge> {
    let chars = |cs: &[char]| ClassUnicode::new(cs.iter().map(|&c| ClassUnicodeRange::new(c, c)));
    let zero = |empty, edge, cs: &[char]| {
        Some(Edge {
            chars: chars(cs),
            empty,
            edge,
        })
    };
    match h.kind() {
        HirKind::Empty => zero(true, false, &[]),
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0).ok()?;
            let c = if forward {
                s.chars().next()
            } else {
                s.chars().next_back()
            }?;
            zero(false, false, &[c])
        }
        HirKind::Class(Class::Unicode(c)) => Some(Edge {
            chars: c.clone(),
            empty: false,
            edge: false,
        }),
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Look(l) => match (l, forward) {
            (Look::Start, false) | (Look::End, true) => zero(false, true, &[]),
            (Look::StartLF, false) | (Look::EndLF, true) => zero(false, true, &['\n']),
            (Look::StartCRLF, false) | (Look::EndCRLF, true) => zero(false, true, &['\r', '\n']),
            // Other assertions take no character: the neighbour is further on.
            _ => zero(true, false, &[]),
        },
        HirKind::Capture(c) => edge(&c.sub, forward),
        HirKind::Repetition(r) => {
            if r.max == Some(0) {
                return zero(true, false, &[]);
            }
            let mut e = edge(&r.sub, forward)?;
            e.empty |= r.min == 0;
            Some(e)
        }
        HirKind::Alternation(bs) => {
            let mut all = edge(bs.first()?, forward)?;
            for b in &bs[1..] {
                let e = edge(b, forward)?;
                all.chars.union(&e.chars);
                all.empty |= e.empty;
                all.edge |= e.edge;
            }
            Some(all)
        }
        HirKind::Concat(items) => {
            if forward {
                edge_of(items.iter(), true)
            } else {
                edge_of(items.iter().rev(), false)
            }
        }
    }
}

/// [`edge`] of a sequence, taken in the order it is met from the literal.
fn edge_of<'h>(items: impl Iterator<Item = &'h Hir>, forward: bool) -> Option<Edge> {
    let mut all = Edge {
        chars: ClassUnicode::empty(),
        empty: true,
        edge: false,
    };
    for h in items {
        let e = edge(h, forward)?;
        all.chars.union(&e.chars);
        all.edge |= e.edge;
        if !e.empty {
            all.empty = false;
            break;
        }
    }
    Some(all)
}

/// The side of a literal next to `items` (met in that order from the literal).
fn side<'h>(items: impl Iterator<Item = &'h Hir>, forward: bool) -> Option<Side> {
    let e = edge_of(items, forward)?;
    (!e.empty).then(|| Side::new(e.chars, e.edge))
}

/// Literal sets larger than this are not considered (Teddy's limit is 64).
const MAX_LITS: usize = 256;

fn keep(best: &mut Option<Need>, n: Option<Need>) {
    if let Some(n) = n {
        if best.as_ref().is_none_or(|b| n.cost < b.cost) {
            *best = Some(n);
        }
    }
}

/// A finite sequence is a set: every match begins (or ends) with one of its
/// literals; a prefix has `left` before it, a suffix `right` after it.
fn offer_seq(best: &mut Option<Need>, seq: &Seq, left: Option<Side>, right: Option<Side>) {
    if let Some(lits) = seq.literals() {
        let lits = lits
            .iter()
            .map(|l| {
                let bytes = l.as_bytes().to_vec();
                // A side is next to whole characters only.
                let whole = std::str::from_utf8(&bytes).is_ok();
                Lit {
                    bytes,
                    left: left.clone().filter(|_| whole),
                    right: right.clone().filter(|_| whole),
                }
            })
            .collect();
        offer(best, lits);
    }
}

/// Considers `lits` and the sets made of the first or last few characters of each of
/// its literals (part of a literal is in every match that the literal is in; the
/// first characters keep what comes before, the last ones what comes after).
fn offer(best: &mut Option<Need>, lits: Vec<Lit>) {
    // An empty literal is in every text, and an empty set would claim that nothing
    // matches: both are left alone.
    if lits.is_empty() || lits.iter().any(|l| l.bytes.is_empty()) {
        return;
    }
    for chars in [0, 1, 2, 3] {
        for from_end in [false, true] {
            if chars == 0 && from_end {
                continue;
            }
            let mut v: Vec<Lit> = Vec::new();
            for l in &lits {
                let p = if chars == 0 {
                    l.clone()
                } else {
                    let bytes = part(&l.bytes, chars, from_end);
                    let whole = bytes.len() == l.bytes.len();
                    Lit {
                        left: l.left.clone().filter(|_| whole || !from_end),
                        right: l.right.clone().filter(|_| whole || from_end),
                        bytes,
                    }
                };
                if !v.contains(&p) {
                    v.push(p);
                }
                if v.len() > MAX_LITS {
                    break;
                }
            }
            if v.len() > MAX_LITS {
                continue;
            }
            let v = minimize(v);
            let cost = cost(&v);
            keep(best, Some(Need { lits: v, cost }));
        }
    }
}

/// The first (or last) `n` characters of `l`; a byte that does not begin a UTF-8
/// character ends the one before.
fn part(l: &[u8], n: usize, from_end: bool) -> Vec<u8> {
    let starts: Vec<usize> = (0..l.len())
        .filter(|&i| i == 0 || l[i] & 0xC0 != 0x80)
        .collect();
    if starts.len() <= n {
        return l.to_vec();
    }
    if from_end {
        l[starts[starts.len() - n]..].to_vec()
    } else {
        l[..starts[n]].to_vec()
    }
}

/// Drops the literals that contain another literal with no sides: a text holding one
/// holds the other.
fn minimize(mut v: Vec<Lit>) -> Vec<Lit> {
    v.sort_by(|a, b| {
        (
            a.bytes.len(),
            a.left.is_some() || a.right.is_some(),
            &a.bytes,
        )
            .cmp(&(
                b.bytes.len(),
                b.left.is_some() || b.right.is_some(),
                &b.bytes,
            ))
    });
    let mut kept: Vec<Lit> = Vec::new();
    for l in v {
        if !kept.iter().any(|k| {
            k.left.is_none()
                && k.right.is_none()
                && memchr::memmem::find(&l.bytes, &k.bytes).is_some()
        }) {
            kept.push(l);
        }
    }
    kept
}

/// The characters of a sentence, on average, in the corpus of work reports.
const SENTENCE_CHARS: f64 = 40.0;
/// What a literal adds to the search itself: Teddy slows down with each literal, a
/// `memchr` pass serves up to three first bytes.
const TEDDY_LITERAL: f64 = 0.015;
const MEMCHR_LITERAL: f64 = 0.02;

/// About the share of sentences `lits` sends to the expression, plus the cost of
/// searching for them.
fn cost(lits: &[Lit]) -> f64 {
    lits.iter()
        .map(|l| {
            let mut p: f64 = chars_of(&l.bytes).map(rate).product();
            for s in [&l.left, &l.right].into_iter().flatten() {
                // Digits go with the words of figures (`3倍`, `5%`): a digit next to
                // such a literal is taken to be even odds.
                let r = side_rate(s);
                p *= if s.admits(Some('0')) { r.max(0.5) } else { r };
            }
            (SENTENCE_CHARS * p).min(1.0)
                + if for_teddy(&l.bytes) {
                    TEDDY_LITERAL
                } else {
                    MEMCHR_LITERAL
                }
        })
        .sum()
}

fn chars_of(l: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut starts: Vec<usize> = (0..l.len())
        .filter(|&i| i == 0 || l[i] & 0xC0 != 0x80)
        .collect();
    starts.push(l.len());
    (0..starts.len() - 1).map(move |i| &l[starts[i]..starts[i + 1]])
}

/// Rates of characters not in [`bands`]: an ideograph, other ASCII, anything else.
const IDEOGRAPH: f64 = 0.0003;
const ASCII: f64 = 0.0002;
const OTHER: f64 = 0.000_01;

/// The share of characters that are `c` (the UTF-8 of one character or part of one)
/// in government work reports; unknown (part of a character): 1.
fn rate(c: &[u8]) -> f64 {
    match std::str::from_utf8(c).ok().and_then(|s| s.chars().next()) {
        Some(ch) => bands().get(&ch).copied().unwrap_or(if is_ideograph(ch) {
            IDEOGRAPH
        } else if ch.is_ascii() {
            ASCII
        } else {
            OTHER
        }),
        None => 1.0,
    }
}

fn is_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The share of characters a side admits (the sentence edge counted as one).
fn side_rate(s: &Side) -> f64 {
    let mut r = if s.edge { 1.0 / SENTENCE_CHARS } else { 0.0 };
    for range in s.chars.ranges() {
        let (a, b) = (u32::from(range.start()), u32::from(range.end()));
        let within = |lo: u32, hi: u32| {
            if b < lo || a > hi {
                0
            } else {
                b.min(hi) - a.max(lo) + 1
            }
        };
        let (ideo, ascii) = (within(0x4E00, 0x9FFF), within(0, 0x7F));
        let other = b - a + 1 - ideo - ascii;
        // Unlisted ideographs together make up about a third of the text.
        r += f64::from(ideo) * 0.000_015 + f64::from(ascii) * ASCII + f64::from(other) * OTHER;
        let listed = sorted_bands();
        let from = listed.partition_point(|&(c, _)| c < range.start());
        for &(_, q) in listed[from..]
            .iter()
            .take_while(|&&(c, _)| c <= range.end())
        {
            r += q;
        }
    }
    r.min(1.0)
}

/// [`bands`] sorted by character, so that the listed characters of a range are found
/// by halving (a side's class is rated for every literal offered next to it).
fn sorted_bands() -> &'static [(char, f64)] {
    static SORTED: OnceLock<Vec<(char, f64)>> = OnceLock::new();
    SORTED.get_or_init(|| {
        let mut v: Vec<(char, f64)> = bands().iter().map(|(&c, &q)| (c, q)).collect();
        v.sort_by_key(|&(c, _)| c);
        v
    })
}

/// Characters of government work reports by their share of the text, in three
/// bands (counted over the shared corpus of reports: 1% or more, 0.3%, 0.1%).
fn bands() -> &'static HashMap<char, f64> {
    static BANDS: OnceLock<HashMap<char, f64>> = OnceLock::new();
    BANDS.get_or_init(|| {
        let bands: [(&str, f64); 3] = [
            ("，。、业", 0.02),
            (
                "化新发展建和全国大的进实动加产推0力设中工高人一政增1生持民强区体务制提2等\
                 重能保地成行作经改资会.深平施合开5市家创年",
                0.005,
            ),
            (
                "入质长好城基量治要济项企个服%3理以有用点升上水造机面农快现社育坚省为度革优\
                 代在万技科公性支效4心定主出6目完稳续文域系安不更级规品 融投法学策场78共源村\
                 善领事金同态三费对本标方程型各是9放活五管教府色总通统向分我医群数落亿多电防海\
                 促消位外就护部特到构元环关境扩运商集收乡步营健打范自台协期口办居战十障应整结引\
                 风转利准际做险时下决达流调物立积精局式与试绿老",
                0.0017,
            ),
        ];
        let mut m = HashMap::new();
        for (chars, r) in bands {
            for c in chars.chars() {
                m.entry(c).or_insert(r);
            }
        }
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(expr: &str) -> Vec<String> {
        needed(expr)
            .unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
            .collect()
    }

    fn screened(expr: &str, sentence: &str) -> bool {
        let screen = Screen::new(&[expr]).unwrap();
        screen.screen(sentence, std::iter::once(0..sentence.len()))[0] == [0]
    }

    #[test]
    fn derivation() {
        assert_eq!(lits(r"\d{1,2}(?P<d>\d{1,2})号"), ["号"]);
        assert_eq!(lits(r"(?:^|[^\d])\d{2}年\d{1,2}月"), ["月"]);
        assert_eq!(lits(r"(?:下降|减少|降低|缩小)了?\d+(?:\.\d+)?倍"), ["倍"]);
        assert_eq!(lits("截止(?:目前|到)"), ["截止"]);
        // `、` between two numerals, `倍` after a digit (any decimal digit).
        let p = "[一二三四五六七八九]、[一二三四五六七八九]";
        assert_eq!(lits(p), ["、"]);
        assert!(screened(p, "一、二产业"));
        assert!(!screened(p, "工业、农业"));
        assert!(!screened(p, "一、"));
        let p = r"\d+倍";
        assert!(screened(p, "增长3倍"));
        assert!(screened(p, "增长٣倍"));
        assert!(!screened(p, "增长几倍"));
        assert!(!screened(p, "倍增"));
        // The start of the sentence stands for `^`.
        let p = r"(?:^|[^\d.])\.\d";
        assert!(screened(p, ".5%"));
        assert!(screened(p, "增长.5%"));
        assert!(!screened(p, "增长0.5%"));
        assert!(!screened(p, "增长5."));
        // Nothing is needed, or only what every text has.
        assert!(needed(r"\d+").is_none());
        assert!(needed("a*").is_none());
        assert!(needed("(?:^|约)").is_none());
        assert!(needed("约|").is_none());
        assert!(needed("[^，]+").is_none());
        // Cases are in the tree as classes.
        let ci = lits("(?i)kg");
        for text in ["kg", "KG", "Kg", "\u{212A}G"] {
            assert!(
                ci.iter().any(|l| text.contains(l.as_str())),
                "{text} {ci:?}"
            );
        }
    }

    fn default_exprs() -> Vec<String> {
        crate::check::pack::DEFAULT_PACKS
            .iter()
            .flat_map(|(_, text)| text.lines())
            .filter_map(|l| l.trim().strip_prefix("pattern: "))
            .map(|p| {
                let p = p.trim();
                if p.starts_with('\'') {
                    p.trim_matches('\'').replace("''", "'")
                } else {
                    p.trim_matches('"').replace("\\\\", "\\")
                }
            })
            .collect()
    }

    /// The default wording rules are all screened by literals (none left to the
    /// slower `RegexSet`).
    #[test]
    fn default_rules_have_literals() {
        let exprs = default_exprs();
        assert!(exprs.len() >= 10, "{exprs:?}");
        for e in &exprs {
            regex::Regex::new(e).unwrap();
            assert!(needed(e).is_some(), "{e}");
        }
    }

    /// A small deterministic random source (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A string that `hir` may match (look-arounds ignored), for the property test.
    fn sample(hir: &Hir, rng: &mut Rng, out: &mut String) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
            HirKind::Class(regex_syntax::hir::Class::Unicode(c)) => {
                let ranges = c.ranges();
                if ranges.is_empty() {
                    return;
                }
                let r = ranges[rng.below(ranges.len())];
                let span = (r.end() as u32 - r.start() as u32 + 1) as usize;
                let c = char::from_u32(r.start() as u32 + rng.below(span.min(64)) as u32);
                out.push(c.unwrap_or(r.start()));
            }
            HirKind::Class(regex_syntax::hir::Class::Bytes(_)) => {}
            HirKind::Repetition(r) => {
                let max = r.max.unwrap_or(r.min + 3).min(r.min + 3);
                let n = r.min as usize + rng.below((max - r.min) as usize + 1);
                for _ in 0..n {
                    sample(&r.sub, rng, out);
                }
            }
            HirKind::Capture(c) => sample(&c.sub, rng, out),
            HirKind::Concat(items) => items.iter().for_each(|h| sample(h, rng, out)),
            HirKind::Alternation(bs) => sample(&bs[rng.below(bs.len())], rng, out),
        }
    }

    const FILLER: &[&str] = &[
        "", "年", "增长", "5", "。", "，", "约", "左右", " ", ".", "万", "一", "、", "0",
    ];

    /// Every sentence an expression matches is screened in: sentences sampled from
    /// the expressions themselves, with text around them and in a longer document.
    #[test]
    fn never_screens_out_a_match() {
        let mut exprs = default_exprs();
        exprs.extend(
            [
                r"(?i)\bkg\b",
                r"^第[一二三]",
                r"(?:约|大约)\d+(?:万|亿)?$",
                r"[0-9]{2}年[0-9]月",
                r"(?:a|b)(?:c|d)(?:e|f)",
                r"同比(?:增长|下降)\d",
                r"x+y?z",
                r"[ab][cd][ef][gh]",
                r"(?s).约.",
                r"\p{Greek}",
            ]
            .map(String::from),
        );
        let refs: Vec<&str> = exprs.iter().map(String::as_str).collect();
        let screen = Screen::new(&refs).unwrap();
        let res: Vec<regex::Regex> = refs.iter().map(|e| regex::Regex::new(e).unwrap()).collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut matched = 0;
        for round in 0..3000 {
            let i = round % refs.len();
            let hir = regex_syntax::Parser::new().parse(refs[i]).unwrap();
            let mut s = String::new();
            s.push_str(FILLER[rng.below(FILLER.len())]);
            sample(&hir, &mut rng, &mut s);
            s.push_str(FILLER[rng.below(FILLER.len())]);
            // The sentence alone, and as the middle one of three.
            let before = format!("前文{}。", FILLER[rng.below(FILLER.len())]);
            let doc = format!("{before}{s}。后文{}", FILLER[rng.below(FILLER.len())]);
            let a = before.len();
            let b = a + s.len();
            let ranges = [0..a, a..b, b..doc.len()];
            let one = screen.screen(&s, std::iter::once(0..s.len()));
            let three = screen.screen(&doc, ranges.iter().cloned());
            for (j, re) in res.iter().enumerate() {
                if re.is_match(&s) {
                    matched += 1;
                    assert_eq!(one[j], [0], "{} on {s:?}", refs[j]);
                    assert!(three[j].contains(&1), "{} on {doc:?}", refs[j]);
                }
                for (k, r) in ranges.iter().enumerate() {
                    if re.is_match(&doc[r.clone()]) {
                        assert!(three[j].contains(&k), "{} on {doc:?}", refs[j]);
                    }
                }
            }
        }
        assert!(matched > 2000, "{matched}");
    }
}
