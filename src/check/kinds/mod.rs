//! Rule kinds, one file each. Every file opens with what the kind computes, which
//! facts it reads and its tolerance, then its parameters, its `check`, and its tests.

pub mod across_growth;
pub mod across_value;
pub mod aggregate_range;
pub mod breakdown_sum;
pub mod change_verb;
pub mod contribution_sum;
pub mod date_validity;
pub mod decimals_consistency;
pub mod decline_comparison;
pub mod decline_over_100;
pub mod doubled_word;
pub mod enumeration_count;
pub mod expr;
pub mod fullwidth_digit;
pub mod growth_levels;
pub mod heading_marker;
pub mod hundred_sum;
pub mod implausible_growth;
pub mod integer_base;
pub mod magnitude_slip;
pub mod numeral_consistency;
pub mod part_whole;
pub mod pattern;
pub mod percent_vs_points;
pub mod period_label_mismatch;
pub mod period_not_ended;
pub mod range_dash;
pub mod rank_range;
pub mod rate_bound;
pub mod rate_gap;
pub mod relative_date;
pub mod respectively_count;
pub mod share;
pub mod share_bound;
pub mod share_change_sum;
pub mod table_growth;
pub mod table_share;
pub mod table_total;
pub mod table_unit;
pub mod target_completion;
pub mod times_levels;
pub mod two_year;
pub mod unit_scaling;
pub mod value_conflict;

pub mod partition;

use crate::check::Relation;
use crate::extract::number::magnitude_factor;
use crate::extract::{Quantity, Span, Statement, UnitKind};
use crate::segment::Paragraph;
use rust_decimal::Decimal;
use std::ops::Range;

/// Whether two figures measure the same kind of thing in the same unit, so that they
/// can be added or compared (`12条` and `60条`; `3亿元` and `4500万元`).
pub fn comparable(a: &Quantity, b: &Quantity) -> bool {
    if a.unit_kind != b.unit_kind {
        return false;
    }
    match a.unit_kind {
        UnitKind::Count | UnitKind::Physical => a.unit == b.unit,
        UnitKind::Money => a.unit == b.unit,
        UnitKind::None => false,
        _ => true,
    }
}

/// The residual part of a list (`其他类`, `其余`), whose value is the most likely to be
/// what a writer forgot to update.
pub fn is_residual(s: &Statement) -> bool {
    s.indicator.as_ref().is_some_and(|i| {
        ["其他", "其余", "其它"]
            .iter()
            .any(|w| i.text.starts_with(w))
    })
}

/// `“其他类27条”`: a figure quoted with the name it belongs to.
pub fn quoted(s: &Statement, q: &Quantity) -> String {
    match &s.indicator {
        Some(i) if !i.inherited && i.text.chars().count() <= 12 => format!("{}{}", i.text, q.text),
        _ => q.text.clone(),
    }
}

/// Whether a figure is a rate per person, per household … (`每千人6.6批次`, `人均…`):
/// it is not a total that parts could add up to.
pub fn per_unit(ctx: &crate::check::Context<'_>, q: &Quantity) -> bool {
    let text = crate::cli::display_text(ctx.ex);
    let start = q.span.start.min(text.len());
    let mut from = start.saturating_sub(18);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..start];
    before.contains('每')
        || ["人均", "户均", "亩均", "平均"]
            .iter()
            .any(|w| before.contains(w))
}

/// Whether a paragraph lies (partly) in page furniture (menus, footers): no rule
/// reads it.
pub fn is_furniture(doc: &crate::extract::Document, p: &Paragraph) -> bool {
    let (ps, pe) = (
        doc.norm.to_source(p.range.start),
        doc.norm.to_source(p.range.end),
    );
    overlaps_furniture(doc, ps..pe)
}

/// Whether a range of the source overlaps page furniture.
fn overlaps_furniture(doc: &crate::extract::Document, r: Range<usize>) -> bool {
    doc.source
        .furniture
        .iter()
        .any(|f| f.start < r.end && r.start < f.end)
}

/// The paragraphs of the document that are not page furniture, in reading order:
/// what the wording kinds read (found once per document).
pub fn content_paragraphs<'c, 'a>(ctx: &'c crate::check::Context<'a>) -> &'c [&'a Paragraph] {
    ctx.content.get_or_init(|| {
        let doc = &ctx.ex.doc;
        if doc.source.furniture.is_empty() {
            return doc.paragraphs.iter().collect();
        }
        // What `is_furniture` asks of each paragraph, with the paragraphs, which come
        // in reading order, mapped to the source by walking.
        let (mut starts, mut ends) = (doc.norm.to_source_walk(), doc.norm.to_source_walk());
        doc.paragraphs
            .iter()
            .filter(|p| {
                let r = starts.to_source(p.range.start)..ends.to_source(p.range.end);
                !overlaps_furniture(doc, r)
            })
            .collect()
    })
}

/// The character before byte `i` of `s`, if any.
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|t| t.chars().next_back())
}

/// The character at byte `i` of `s`, if any.
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next())
}

/// The span of `needle` inside a figure or phrase whose span and source text are
/// known (`增长` inside `同比增长2.1%`), when it lies on the same line.
pub fn sub_span(
    ctx: &crate::check::Context<'_>,
    outer: Span,
    outer_text: &str,
    needle: &str,
) -> Option<Span> {
    let k = outer_text.find(needle)?;
    let start = outer.start + k;
    let end = start + needle.len();
    let display = crate::cli::display_text(ctx.ex);
    if display.get(start..end) != Some(needle) || outer_text[..k].contains('\n') {
        return None;
    }
    Some(Span {
        start,
        end,
        line: outer.line,
        column: outer.column + outer_text[..k].chars().count(),
    })
}

/// Runs one kind over a text: what its unit tests call.
#[cfg(test)]
pub(crate) mod testing {
    use crate::check::registry::KindDef;
    use crate::check::{Context, Finding};
    use crate::extract::{ExtractOptions, IndicatorTable, extract};
    use crate::load::{SourceFile, yaml};

    /// The findings of kind `def` with `params` (YAML, empty for none) over `text`.
    pub fn findings(def: &KindDef, params: &str, text: &str) -> Vec<Finding> {
        let v = if params.is_empty() {
            yaml::Value::Null
        } else {
            yaml::value_from_str(params, "test.yaml").unwrap()
        };
        let kind = (def.build)(&v).unwrap();
        let ex = extract(
            SourceFile::from_text("test.txt", text),
            &ExtractOptions::default(),
        );
        let ctx = Context::new(&ex, IndicatorTable::default_table());
        let mut out = Vec::new();
        kind.check(&ctx, &mut out);
        out
    }

    /// The labels of the findings (the text each points at).
    pub fn labels(def: &KindDef, params: &str, text: &str) -> Vec<String> {
        findings(def, params, text)
            .into_iter()
            .map(|f| f.label)
            .collect()
    }

    /// The rule code and message of each diagnostic of the default rule set over
    /// `text` (as file `t.txt`).
    pub fn rule_messages(text: &str) -> Vec<(String, String)> {
        diagnostics("t.txt", text)
            .into_iter()
            .map(|d| (d.rule, d.message))
            .collect()
    }

    /// The diagnostics of the whole default rule set over `text` read as file `name`
    /// (the packs are loaded once per test binary).
    pub fn diagnostics(name: &str, text: &str) -> Vec<crate::report::Diagnostic> {
        static SET: std::sync::OnceLock<crate::check::RuleSet> = std::sync::OnceLock::new();
        let set = SET.get_or_init(|| crate::check::RuleSet::defaults().unwrap());
        let ex = crate::extract::extract_with(
            SourceFile::from_text(name, text),
            &ExtractOptions::default(),
            &set.table,
        );
        crate::check::check(set, &ex).diagnostics
    }

    /// `rule place` of every finding of the default rules over a Markdown table text
    /// (`A140 表1 第5行第3列`).
    pub fn table_rules(text: &str) -> Vec<String> {
        diagnostics("t.md", text)
            .into_iter()
            .map(|d| format!("{} {}", d.rule, d.place.unwrap_or_default()))
            .collect()
    }

    /// The suggestions of the findings.
    pub fn suggestions(def: &KindDef, params: &str, text: &str) -> Vec<String> {
        findings(def, params, text)
            .into_iter()
            .filter_map(|f| f.suggestion)
            .collect()
    }
}

/// The text spans point into (the original of a web page, else the decoded file).
pub fn display<'c>(ctx: &'c crate::check::Context<'_>) -> &'c str {
    crate::cli::display_text(ctx.ex)
}

/// `text[a..b]` in display coordinates, or "" when the range is not on character
/// boundaries or reversed.
pub fn between(text: &str, a: usize, b: usize) -> &str {
    text.get(a..b).unwrap_or("")
}

/// Sentences and paragraphs of the document as display-text byte ranges, to tell
/// which statements were written in one sentence.
pub struct Sentences {
    /// `(start, end, paragraph)` in reading order.
    spans: Vec<(usize, usize, usize)>,
    /// Every paragraph's display range in document order, and whether they are sorted
    /// by start (so that they can be searched by halves): worked out when first asked
    /// for (`paragraph_text_before`).
    paragraphs: std::cell::OnceCell<(Vec<(usize, usize)>, bool)>,
}

impl Sentences {
    /// The document's sentences, worked out once for every kind.
    pub fn of<'c>(ctx: &'c crate::check::Context<'_>) -> &'c Self {
        ctx.sentence_index.get_or_init(|| Sentences::new(ctx))
    }

    fn new(ctx: &crate::check::Context<'_>) -> Self {
        let sm = ctx.spans();
        // The sentences come in reading order: the map to the display text is walked.
        let mut walk = sm.display_walk();
        let mut spans = Vec::new();
        for (p, para) in ctx.ex.doc.paragraphs.iter().enumerate() {
            for s in &para.sentences {
                let sp = walk.byte_range(s.range.clone());
                spans.push((sp.start, sp.end, p));
            }
        }
        Sentences {
            spans,
            paragraphs: std::cell::OnceCell::new(),
        }
    }

    /// The display start of the last paragraph whose display range holds byte `pos`
    /// (its end included).
    fn paragraph_start(&self, ctx: &crate::check::Context<'_>, pos: usize) -> Option<usize> {
        let (paragraphs, sorted) = self.paragraphs.get_or_init(|| {
            // The paragraphs come in reading order: the map to the display text is
            // walked.
            let mut walk = ctx.spans().display_walk();
            let all: Vec<(usize, usize)> = ctx
                .ex
                .doc
                .paragraphs
                .iter()
                .map(|p| {
                    let r = walk.byte_range(p.range.clone());
                    (r.start, r.end)
                })
                .collect();
            let sorted = all.windows(2).all(|w| w[0].0 <= w[1].0);
            (all, sorted)
        });
        // Paragraphs after the last one starting at or before `pos` cannot hold it.
        let upto = if *sorted {
            paragraphs.partition_point(|&(s, _)| s <= pos)
        } else {
            paragraphs.len()
        };
        paragraphs[..upto]
            .iter()
            .rev()
            .find(|&&(s, e)| s <= pos && pos <= e)
            .map(|&(s, _)| s)
    }

    /// The sentence holding byte `pos`.
    pub fn sentence(&self, pos: usize) -> Option<usize> {
        let i = self.spans.partition_point(|&(s, _, _)| s <= pos);
        let i = i.checked_sub(1)?;
        (pos < self.spans[i].1.max(self.spans[i].0 + 1)).then_some(i)
    }

    /// The paragraph holding byte `pos`.
    pub fn paragraph(&self, pos: usize) -> Option<usize> {
        self.sentence(pos).map(|i| self.spans[i].2)
    }

    /// The display range of sentence `i`.
    pub fn range(&self, i: usize) -> Option<(usize, usize)> {
        self.spans.get(i).map(|&(s, e, _)| (s, e))
    }
}

/// The percentage growth a change states (`增长8.6%`, `下降4.6%`), with whether it is a
/// fall: not a change of a rate (`增速回落…`), not a new level (`增长到…`).
pub fn growth(c: &crate::extract::Change) -> Option<(&Quantity, bool)> {
    use crate::extract::Direction;
    let a = c.amount.as_ref()?;
    if a.unit_kind != UnitKind::Percent
        || c.to_level
        || c.of_rate.is_some()
        || !matches!(c.direction, Direction::Up | Direction::Down)
        || a.unit.as_deref() != Some("%")
    {
        return None;
    }
    Some((a, c.direction == Direction::Down))
}

/// A figure that stands for no fixed number (`65%以上`, `近5000`): a sum or mean
/// over it says nothing.
pub fn open_ended(q: &Quantity) -> bool {
    q.interval.lo.is_none() || q.interval.hi.is_none()
}

/// Whether two statements may be about the same subject: their scopes, when both are
/// written (not carried over), name the same place.
pub fn same_scope(a: &Statement, b: &Statement) -> bool {
    match (&a.scope, &b.scope) {
        (Some(x), Some(y)) if !x.inherited && !y.inherited => {
            x.resolved.as_ref().unwrap_or(&x.text) == y.resolved.as_ref().unwrap_or(&y.text)
        }
        _ => true,
    }
}

/// Whether two statements may be about the same period: when both carry resolved
/// dates, the dates agree.
pub fn same_period(a: &Statement, b: &Statement) -> bool {
    match (&a.period, &b.period) {
        (Some(x), Some(y)) => match (x.start.zip(x.end), y.start.zip(y.end)) {
            (Some(p), Some(q)) => p == q,
            _ => x.text == y.text || x.inherited || y.inherited,
        },
        _ => true,
    }
}

/// Whether two changes are against the same base (`同比` and no basis count as the
/// same; `比2019年同期` is another base).
pub fn same_basis(a: &crate::extract::Change, b: &crate::extract::Change) -> bool {
    let norm = |c: &crate::extract::Change| {
        c.basis.as_deref().and_then(|x| {
            let plain = [
                "同比",
                "比上年",
                "较上年",
                "比去年",
                "较去年",
                "比上年同期",
                "较上年同期",
            ];
            (!plain.contains(&x)).then(|| x.to_owned())
        })
    };
    norm(a) == norm(b)
}

/// Up to `n` characters of `text` ending at byte `pos`.
pub fn chars_before(text: &str, pos: usize, n: usize) -> &str {
    let s = text.get(..pos).unwrap_or("");
    let start = match n.checked_sub(1) {
        Some(k) => s.char_indices().rev().nth(k).map_or(0, |(i, _)| i),
        None => s.len(),
    };
    &s[start..]
}

/// Up to `n` characters of `text` starting at byte `pos`.
pub fn chars_after(text: &str, pos: usize, n: usize) -> &str {
    let s = text.get(pos..).unwrap_or("");
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// A statement's indicator as written, when it is its own (not carried over) and short
/// enough to quote (`制造业`), else "".
pub fn quoted_name(s: &Statement) -> String {
    match &s.indicator {
        Some(i) if !i.inherited && i.text.chars().count() <= 12 => i.text.clone(),
        _ => String::new(),
    }
}

/// What kind of growth a change states, from the words just before its amount:
/// `年均` (average over several years), `两年平均`, or a plain growth (""). Growths of
/// different kinds are never compared.
pub fn growth_measure(ctx: &crate::check::Context<'_>, c: &crate::extract::Change) -> &'static str {
    let at = c.amount.as_ref().map_or(c.span.start, |a| a.span.start);
    let before = chars_before(display(ctx), at, 10);
    if before.contains("两年平均") {
        "两年平均"
    } else if before.contains("年均") || before.contains("年平均") {
        "年均"
    } else {
        ""
    }
}

/// A 万/亿 slip: one figure of a violated relation that, scaled by 10⁴ or 10⁸, makes
/// the relation hold (`其中…13000亿元` under a total of `2.6亿元`).
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    /// Index of the figure in [`Relation::figures`].
    pub figure: usize,
    /// What the figure must be multiplied by (`10⁻⁴` for 亿 written for 万).
    pub factor: Decimal,
}

impl Slip {
    /// How many powers of ten the figure is off (4 or 8).
    pub fn power(&self) -> u32 {
        let f = if self.factor < Decimal::ONE {
            Decimal::ONE / self.factor
        } else {
            self.factor
        };
        if f >= Decimal::from(100_000_000) {
            8
        } else {
            4
        }
    }
}

/// The magnitudes a figure can be written with, by their factor.
const MAGNITUDES: &[(&str, i64)] = &[
    ("", 1),
    ("万", 10_000),
    ("亿", 100_000_000),
    ("万亿", 1_000_000_000_000),
];

fn factor_of(q: &Quantity) -> Decimal {
    q.magnitude
        .as_deref()
        .and_then(magnitude_factor)
        .unwrap_or(Decimal::ONE)
}

/// Whether the figure is written with a number that no careful writer puts before
/// 万 or 亿 (`13000亿元` rather than `1.3万亿元`): evidence that the magnitude slipped.
fn odd_magnitude(q: &Quantity) -> bool {
    q.magnitude.is_some() && q.number.abs() >= Decimal::from(10_000)
}

/// The single 万/亿 slip that repairs a violated relation, if there is one.
///
/// Only figures of money, or of relations where some figure carries 万/亿, are
/// scaled: `260家` against `23000家` is a typo, not a slip. When several figures
/// could be the slipped one, a factor of 10⁴ is preferred over 10⁸, a figure written
/// oddly (`13000亿元`) over one written normally, and a part over its total.
pub fn slip(rel: &Relation) -> Option<Slip> {
    if rel.holds() {
        return None;
    }
    let figures = rel.figures();
    let any_magnitude = figures.iter().any(|q| q.magnitude.is_some());
    let base: Vec<super::interval::Iv> = figures.iter().map(|q| q.interval.into()).collect();
    // A bound that parts merely overshoot (`其中` items adding to 330亿元 under a total
    // of 320亿元) is repaired by shrinking any part ten thousand times: that says
    // nothing. Such a slip counts only when the overshoot is itself a hundredfold or
    // more, or the figure is written in a form no one means (`13000亿元`).
    let one_sided = matches!(
        rel,
        Relation::NotAbove { .. }
            | Relation::Sum {
                exhaustive: false,
                ..
            }
    );
    let gross = one_sided && {
        let (over, bound) = match rel {
            Relation::Sum { parts, .. } => (
                base[..parts.len()]
                    .iter()
                    .try_fold(Decimal::ZERO, |acc, iv| iv.lo.map(|l| acc + l)),
                base[parts.len()].hi,
            ),
            _ => (base[0].lo, base[1].hi),
        };
        match (over, bound) {
            (Some(o), Some(b)) => b > Decimal::ZERO && o >= b * Decimal::from(100),
            _ => false,
        }
    };
    let total_index = match rel {
        Relation::Sum { parts, .. } => Some(parts.len()),
        Relation::NotAbove { .. } | Relation::Share { .. } => Some(1),
        _ => None,
    };
    let factors = [
        Decimal::new(1, 4),
        Decimal::from(10_000),
        Decimal::new(1, 8),
        Decimal::from(100_000_000),
    ];
    let mut found: Vec<(Slip, (u32, bool, bool))> = Vec::new();
    for (i, q) in figures.iter().enumerate() {
        let money = q.unit_kind == UnitKind::Money;
        let scalable = matches!(
            q.unit_kind,
            UnitKind::Money | UnitKind::Physical | UnitKind::Count
        );
        if !scalable || !(money || any_magnitude) || (one_sided && !gross && !odd_magnitude(q)) {
            continue;
        }
        for f in factors {
            let mut ivs = base.clone();
            ivs[i] = base[i].scale(f);
            if rel.holds_with(&ivs) {
                let s = Slip {
                    figure: i,
                    factor: f,
                };
                let rank = (s.power(), !odd_magnitude(q), Some(i) == total_index);
                found.push((s, rank));
            }
        }
    }
    found.sort_by_key(|(_, r)| *r);
    found.into_iter().next().map(|(s, _)| s)
}

fn show_number(v: Decimal) -> String {
    let v = v.normalize();
    if v.abs() >= Decimal::ONE {
        v.round_dp(4).normalize().to_string()
    } else {
        v.round_dp(8).normalize().to_string()
    }
}

/// The figure as it would read after the slip is repaired: the same digits with the
/// other magnitude (`13000亿元` → `13000万元`), or, when no magnitude fits, the
/// number rescaled (`0.5亿元` → `5000元`).
pub fn rescaled(q: &Quantity, factor: Decimal) -> String {
    let unit = q.unit.as_deref().unwrap_or("");
    let want = factor_of(q) * factor;
    if let Some((m, _)) = MAGNITUDES.iter().find(|(_, f)| Decimal::from(*f) == want) {
        return format!("{}{m}{unit}", q.written);
    }
    format!(
        "{}{}{unit}",
        show_number(q.number * factor),
        q.magnitude.as_deref().unwrap_or("")
    )
}

/// A value shown in the magnitude and unit of another figure (`1.3亿元`).
pub fn in_units_of(value: Decimal, like: &Quantity) -> String {
    format!(
        "{}{}",
        show_number(value / factor_of(like)),
        like.unit_text()
    )
}

/// The display text in front of a span, at most `max_chars` characters, back to the
/// start of its clause (a `，。；` or a line break stops it).
pub fn clause_before(ctx: &crate::check::Context<'_>, span: Span, max_chars: usize) -> String {
    let text = crate::cli::display_text(ctx.ex);
    let end = floor_boundary(text, span.start);
    let from = text[..end]
        .char_indices()
        .rev()
        .take(max_chars)
        .take_while(|(_, c)| !matches!(c, '，' | '。' | '；' | '！' | '？' | '\n' | ',' | ';'))
        .last()
        .map_or(end, |(i, _)| i);
    text.get(from..end).unwrap_or("").to_owned()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The sentences of the document outside page furniture: their range in the
/// normalised text and their byte range in the display text (a line and column are
/// worked out only for what is reported, with [`display_span`]).
pub fn sentences<'c>(ctx: &'c crate::check::Context<'_>) -> &'c [(Range<usize>, Range<usize>)] {
    ctx.sentences.get_or_init(|| sentences_of(ctx))
}

fn sentences_of(ctx: &crate::check::Context<'_>) -> Vec<(Range<usize>, Range<usize>)> {
    let doc = &ctx.ex.doc;
    let index = Sentences::of(ctx);
    // The content paragraphs are the document's in order, furniture left out: walked
    // alongside, they tell which paragraphs are furniture without asking again.
    let mut content = content_paragraphs(ctx).iter().peekable();
    let mut out = Vec::with_capacity(index.spans.len());
    // `index` holds every paragraph's sentences in order: walk it alongside.
    let mut k = 0;
    for para in &doc.paragraphs {
        let n = para.sentences.len();
        if content.next_if(|c| std::ptr::eq(**c, para)).is_some() {
            for (s, &(a, b, _)) in para.sentences.iter().zip(&index.spans[k..k + n]) {
                out.push((s.range.clone(), a..b));
            }
        }
        k += n;
    }
    out
}

/// The items of a sorted list whose keys lie in each of a run of ranges: found by
/// walking on while the ranges come in order, by halves should one go back.
#[derive(Default)]
pub struct Cursor {
    lo: usize,
    hi: usize,
    prev: (usize, usize),
}

impl Cursor {
    /// The indices of the items of `items` (sorted by `key`) whose key is in `r`.
    pub fn range<T>(
        &mut self,
        items: &[T],
        key: impl Fn(&T) -> usize,
        r: &Range<usize>,
    ) -> Range<usize> {
        if r.start < self.prev.0 {
            self.lo = items.partition_point(|x| key(x) < r.start);
        } else {
            while self.lo < items.len() && key(&items[self.lo]) < r.start {
                self.lo += 1;
            }
        }
        if r.end < self.prev.1 {
            self.hi = items.partition_point(|x| key(x) < r.end);
        } else {
            while self.hi < items.len() && key(&items[self.hi]) < r.end {
                self.hi += 1;
            }
        }
        self.prev = (r.start, r.end);
        self.lo..self.hi.max(self.lo)
    }
}

/// Whether `inner` lies within `outer` (display spans).
pub fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The span of a byte range of the display text (what spans point into).
pub fn display_span(ctx: &crate::check::Context<'_>, r: Range<usize>) -> Span {
    let text = crate::cli::display_text(ctx.ex);
    let (line, column) = ctx.ex.doc.lines.line_col(text, r.start);
    Span {
        start: r.start,
        end: r.end,
        line,
        column,
    }
}

/// A whole number found in the display text that extraction keeps only as a number
/// (a rank's position, a movement in places), made a [`Quantity`] so that it can
/// take part in a [`Relation`] and be named by a suggestion.
pub fn count_figure(
    ctx: &crate::check::Context<'_>,
    r: Range<usize>,
    value: u32,
    unit: &str,
    chinese: bool,
) -> Quantity {
    let text = crate::cli::display_text(ctx.ex);
    let v = Decimal::from(value);
    Quantity {
        text: text.get(r.clone()).unwrap_or("").to_owned(),
        span: display_span(ctx, r),
        written: if chinese {
            String::new()
        } else {
            value.to_string()
        },
        number: v,
        decimals: 0,
        magnitude: None,
        unit: Some(unit.to_owned()),
        unit_kind: UnitKind::Count,
        qualifier: None,
        value: v,
        interval: crate::extract::Interval::exact(v),
        chinese,
    }
}

/// The display text of a span's paragraph up to the span.
pub fn paragraph_text_before<'c>(ctx: &'c crate::check::Context<'_>, span: Span) -> &'c str {
    let text = crate::cli::display_text(ctx.ex);
    let start = Sentences::of(ctx)
        .paragraph_start(ctx, span.start)
        .unwrap_or(span.start);
    text.get(start..span.start.max(start)).unwrap_or("")
}
