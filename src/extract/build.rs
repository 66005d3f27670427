//! Pairs → tokens. One `build_<rule>` per grammar rule the assembler uses; each turns
//! a pest pair into plain fact types from [`super::fact`]. A pair of unexpected shape
//! is an [`ExtractError`] naming the rule and the place, never a panic.

use std::ops::Range;

use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::Rule;
use super::fact::{
    ClassSpec, Comparison, Contribution, Direction, Qualifier, Quantity, Rank, Share, ShareKind,
    Span, UnitKind,
};
use super::number::{
    interval, magnitude_factor, parse_arabic, parse_chinese, qualifier_kind, unit_kind,
};
use super::period::{Core, RawPeriod, YearRef};
use crate::load::Normalized;
use crate::report::line_index::LineIndex;

/// An internal error: the grammar produced a shape the builders do not expect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("内部错误：无法读取“{text}”（语法规则 {rule}）：{reason}")]
pub struct ExtractError {
    pub rule: String,
    pub text: String,
    pub reason: String,
}

fn err(pair: &Pair<'_, Rule>, reason: &str) -> ExtractError {
    ExtractError {
        rule: format!("{:?}", pair.as_rule()),
        text: pair.as_str().to_owned(),
        reason: reason.to_owned(),
    }
}

/// Converts ranges of the normalised text into source spans.
#[derive(Clone, Copy)]
pub struct SpanMaker<'a> {
    pub norm: &'a Normalized,
    /// The text that is read (spans of it are cut with [`SpanMaker::text`]).
    pub source: &'a str,
    /// The original the text came from, if not the file itself (web pages).
    pub origin: Option<&'a crate::load::Origin>,
    /// Line index of the original (or of `source` when there is none).
    pub lines: &'a LineIndex,
    /// Offset of the parsed sentence in the normalised text.
    pub base: usize,
}

impl<'a> SpanMaker<'a> {
    /// Span of a range of the normalised *document* text: byte offsets, line and
    /// column in the original file (the decoded text itself for plain text).
    pub fn span(&self, r: Range<usize>) -> Span {
        let (start, end, display) = self.display_range(r);
        let (line, column) = self.lines.line_col(display, start);
        Span {
            start,
            end,
            line,
            column,
        }
    }
    /// Byte range in the display text of a range of the normalised text (what
    /// [`SpanMaker::span`] gives, without working out the line and column).
    pub fn display_byte_range(&self, r: Range<usize>) -> Range<usize> {
        let (start, end, _) = self.display_range(r);
        start..end
    }
    /// [`SpanMaker::display_byte_range`] for ranges met in reading order.
    pub fn display_walk(&self) -> DisplayWalk<'a> {
        DisplayWalk {
            starts: self.norm.to_source_walk(),
            ends: self.norm.to_source_walk(),
            origin: self.origin,
        }
    }
    fn display_range(&self, r: Range<usize>) -> (usize, usize, &'a str) {
        let mut start = self.norm.to_source(r.start);
        let mut end = self.norm.to_source(r.end);
        let display = match self.origin {
            Some(o) => {
                start = o.to_original(start);
                end = o.to_original(end).max(start);
                o.original.as_str()
            }
            None => self.source,
        };
        (start, end, display)
    }
    /// Source text of a range of the normalised document text.
    pub fn text(&self, r: Range<usize>) -> String {
        let start = self.norm.to_source(r.start);
        let end = self.norm.to_source(r.end);
        self.source.get(start..end).unwrap_or("").to_owned()
    }
    /// Document range of a pair of the sentence.
    pub fn range(&self, pair: &Pair<'_, Rule>) -> Range<usize> {
        let s = pair.as_span();
        self.base + s.start()..self.base + s.end()
    }
    pub fn pair_span(&self, pair: &Pair<'_, Rule>) -> Span {
        self.span(self.range(pair))
    }
    pub fn pair_text(&self, pair: &Pair<'_, Rule>) -> String {
        self.text(self.range(pair))
    }
}

/// Display byte ranges of ranges of the normalised text, for ranges that come in
/// reading order (each sentence of a document): what [`SpanMaker::display_byte_range`]
/// gives, with the normalisation's anchors walked rather than searched.
pub struct DisplayWalk<'a> {
    starts: crate::load::normalize::ToSourceWalk<'a>,
    ends: crate::load::normalize::ToSourceWalk<'a>,
    origin: Option<&'a crate::load::Origin>,
}

impl DisplayWalk<'_> {
    /// The display byte range of `r`.
    pub fn byte_range(&mut self, r: Range<usize>) -> Range<usize> {
        let mut start = self.starts.to_source(r.start);
        let mut end = self.ends.to_source(r.end);
        if let Some(o) = self.origin {
            start = o.to_original(start);
            end = o.to_original(end).max(start);
        }
        start..end
    }
}

/// The marker words the assembler cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    Target(String),
    Qizhong,
    Respectively,
    All,
    Total(String),
    Other,
    Etc,
    Scope(String),
    Basis(String),
}

/// `分别…` with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct RespTok {
    pub basis: Option<String>,
    /// The verb after `分别` (`增长`, `为`, `占`), if any.
    pub verb: Option<String>,
    pub to_level: bool,
    pub values: Vec<Quantity>,
    /// Where each value lies in the normalised text.
    pub ranges: Vec<Range<usize>>,
}

/// A change token (also used without amount for `均…增长`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeTok {
    pub change: super::fact::Change,
    /// `分别`/`均` written inside the change (`同比分别增长`).
    pub adverb: Option<String>,
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    Sep(char),
    Noise,
    Period(RawPeriod),
    Quantity(Quantity),
    Range(Quantity, Quantity),
    Ratio(Vec<Quantity>),
    Change(ChangeTok),
    AllChange(ChangeTok),
    RateLevel(ChangeTok),
    Comparison(Vec<Comparison>),
    Contribution(Contribution),
    Rank(Rank),
    Movement(i32),
    Share(Share),
    /// `N…中有M`: the whole, the part, and where they end in the normalised text.
    PartWhole {
        whole: Quantity,
        part: Quantity,
        whole_end: usize,
        part_end: usize,
    },
    Class(ClassSpec),
    Respectively(RespTok),
    Enum(u32, String),
    Marker(Marker),
}

/// A token with its range in the normalised document text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: Range<usize>,
}

fn inner<'i>(pair: &Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
    pair.clone().into_inner().collect()
}

fn find<'i>(pairs: &[Pair<'i, Rule>], rule: Rule) -> Option<Pair<'i, Rule>> {
    pairs.iter().find(|p| p.as_rule() == rule).cloned()
}

/// The token of a rule whose text is all that matters (a separator, noise), from
/// that text; `None` for the other rules.
pub fn plain_kind(rule: Rule, text: &str) -> Option<TokenKind> {
    Some(match rule {
        Rule::sep => TokenKind::Sep(text.chars().next().unwrap_or('，')),
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
        | Rule::word_guard => TokenKind::Noise,
        _ => return None,
    })
}

/// Builds the token for one top-level pair of `sentence`.
pub fn build_token(
    pair: Pair<'_, Rule>,
    sm: &SpanMaker<'_>,
) -> Result<Option<Token>, ExtractError> {
    let range = sm.range(&pair);
    if let Some(kind) = plain_kind(pair.as_rule(), pair.as_str()) {
        return Ok(Some(Token { kind, range }));
    }
    let kind = match pair.as_rule() {
        Rule::period => TokenKind::Period(build_period(&pair)?),
        Rule::quantity => TokenKind::Quantity(build_quantity(&pair, sm)?),
        Rule::value_range => {
            let qs = inner(&pair);
            let a = qs.first().ok_or_else(|| err(&pair, "缺少起点"))?;
            let b = qs.last().ok_or_else(|| err(&pair, "缺少终点"))?;
            TokenKind::Range(build_quantity(a, sm)?, build_quantity(b, sm)?)
        }
        Rule::ratio => TokenKind::Ratio(build_ratio(&pair, sm)?),
        Rule::change => TokenKind::Change(build_change(&pair, sm)?),
        Rule::all_change => TokenKind::AllChange(build_change(&pair, sm)?),
        Rule::rate_level => TokenKind::RateLevel(build_rate_level(&pair, sm)?),
        Rule::comparison => TokenKind::Comparison(build_comparison(&pair, sm)?),
        Rule::contribution => TokenKind::Contribution(build_contribution(&pair, sm)?),
        Rule::rank => TokenKind::Rank(build_rank(&pair, sm)?),
        Rule::rank_change => TokenKind::Rank(build_rank_change(&pair, sm)?),
        Rule::movement => TokenKind::Movement(build_movement(&pair)?),
        Rule::share => TokenKind::Share(build_share(&pair, sm)?),
        Rule::part_whole => {
            let qs: Vec<_> = inner(&pair)
                .into_iter()
                .filter(|p| p.as_rule() == Rule::quantity)
                .collect();
            match qs.as_slice() {
                [whole, part] => TokenKind::PartWhole {
                    whole: build_quantity(whole, sm)?,
                    part: build_quantity(part, sm)?,
                    whole_end: sm.range(whole).end,
                    part_end: sm.range(part).end,
                },
                _ => return Err(err(&pair, "应有两个数")),
            }
        }
        Rule::class_count => TokenKind::Class(build_class(&pair, sm)?),
        Rule::respectively => TokenKind::Respectively(build_respectively(&pair, sm)?),
        Rule::enum_count => {
            let parts = inner(&pair);
            let n = find(&parts, Rule::cn_number).ok_or_else(|| err(&pair, "缺少数字"))?;
            let noun = find(&parts, Rule::enum_noun).ok_or_else(|| err(&pair, "缺少量词"))?;
            match parse_chinese(n.as_str()) {
                // 两百家, 三十个: a count written in Chinese numerals is a figure.
                Some(p)
                    if p.approx_hi.is_none()
                        && p.value >= Decimal::from(20)
                        && noun.as_str() != "大" =>
                {
                    TokenKind::Quantity(make_quantity(
                        sm.pair_text(&pair),
                        sm.pair_span(&pair),
                        p,
                        n.as_str().to_owned(),
                        None,
                        Some(noun.as_str().to_owned()),
                        None,
                        true,
                    ))
                }
                Some(p) if p.approx_hi.is_none() => {
                    let count = u32::try_from(p.value.mantissa()).unwrap_or(0);
                    TokenKind::Enum(count, noun.as_str().to_owned())
                }
                _ => TokenKind::Noise,
            }
        }
        Rule::marker => match build_marker(&pair) {
            Some(m) => TokenKind::Marker(m),
            None => return Ok(None),
        },
        Rule::EOI => return Ok(None),
        _ => return Ok(None),
    };
    Ok(Some(Token { kind, range }))
}

fn build_marker(pair: &Pair<'_, Rule>) -> Option<Marker> {
    let p = pair.clone().into_inner().next()?;
    let s = p.as_str().to_owned();
    Some(match p.as_rule() {
        Rule::target_word => Marker::Target(s),
        Rule::qizhong => Marker::Qizhong,
        Rule::resp_word => Marker::Respectively,
        Rule::all_word => Marker::All,
        Rule::total_word => Marker::Total(s),
        Rule::other_word => Marker::Other,
        Rule::etc_word => Marker::Etc,
        Rule::scope_word => Marker::Scope(s),
        Rule::basis_word => Marker::Basis(s),
        _ => return None,
    })
}

/// `quantity`: qualifier, number, magnitude, unit.
pub fn build_quantity(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Quantity, ExtractError> {
    let parts = inner(pair);
    let number = find(&parts, Rule::number).ok_or_else(|| err(pair, "缺少数字"))?;
    let (parsed, written, magnitude, chinese) = build_number(&number)?;
    let unit = parts
        .iter()
        .find(|p| p.as_rule() == Rule::unit)
        .map(|u| u.as_str().to_owned());
    let quals: Vec<String> = parts
        .iter()
        .filter(|p| {
            matches!(
                p.as_rule(),
                Rule::qual_pre | Rule::qual_mid | Rule::qual_post
            )
        })
        .map(|p| p.as_str().to_owned())
        .collect();
    let qualifier = combine_qualifiers(&quals);
    Ok(make_quantity(
        sm.pair_text(pair),
        sm.pair_span(pair),
        parsed,
        written,
        magnitude,
        unit,
        qualifier,
        chinese,
    ))
}

/// Builds a quantity from its parts.
#[allow(clippy::too_many_arguments)]
pub fn make_quantity(
    text: String,
    span: Span,
    parsed: super::number::Parsed,
    written: String,
    magnitude: Option<String>,
    unit: Option<String>,
    qualifier: Option<Qualifier>,
    chinese: bool,
) -> Quantity {
    let factor = magnitude
        .as_deref()
        .and_then(magnitude_factor)
        .unwrap_or(Decimal::ONE);
    let kind = unit_kind(unit.as_deref());
    let interval = interval(
        &parsed,
        factor,
        kind,
        magnitude.is_some(),
        qualifier.as_ref(),
    );
    Quantity {
        text,
        span,
        written,
        number: parsed.value,
        decimals: parsed.decimals,
        magnitude,
        unit,
        unit_kind: kind,
        qualifier,
        value: parsed.value * factor,
        interval,
        chinese,
    }
}

/// Several qualifiers (`约…左右`, `超过…以上`) combine into one: the bound after the
/// unit decides the kind when it is a bound; the text keeps both.
fn combine_qualifiers(quals: &[String]) -> Option<Qualifier> {
    let kinds: Vec<_> = quals
        .iter()
        .filter_map(|q| qualifier_kind(q).map(|k| (q.clone(), k)))
        .collect();
    let (_, kind) = kinds
        .iter()
        .rev()
        .find(|(_, k)| !matches!(k, super::fact::QualifierKind::Reach))
        .or(kinds.last())?
        .clone();
    Some(Qualifier {
        text: quals.join("…"),
        kind,
    })
}

/// `number`: Arabic or Chinese digits with a magnitude. Returns the parsed value, the
/// written digits, the magnitude and whether it was Chinese.
fn build_number(
    pair: &Pair<'_, Rule>,
) -> Result<(super::number::Parsed, String, Option<String>, bool), ExtractError> {
    let parts = inner(pair);
    let magnitude = parts
        .iter()
        .find(|p| {
            matches!(
                p.as_rule(),
                Rule::magnitude | Rule::arabic_magnitude | Rule::magnitude_only
            )
        })
        .map(|p| p.as_str().to_owned());
    if let Some(a) = find(&parts, Rule::arabic) {
        let parsed = parse_arabic(a.as_str()).ok_or_else(|| err(pair, "数字格式不对"))?;
        return Ok((parsed, a.as_str().to_owned(), magnitude, false));
    }
    if let Some(c) = find(&parts, Rule::cn_number) {
        let parsed = parse_chinese(c.as_str()).ok_or_else(|| err(pair, "中文数字格式不对"))?;
        return Ok((parsed, c.as_str().to_owned(), magnitude, true));
    }
    if find(&parts, Rule::magnitude_only).is_some() {
        let parsed = super::number::Parsed {
            value: Decimal::ONE,
            decimals: 0,
            approx_hi: None,
        };
        return Ok((parsed, String::new(), magnitude, false));
    }
    Err(err(pair, "缺少数字"))
}

/// `amount`: an optionally signed quantity.
fn build_amount(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Quantity, ExtractError> {
    let parts = inner(pair);
    let q = find(&parts, Rule::quantity).ok_or_else(|| err(pair, "缺少数值"))?;
    let mut quantity = build_quantity(&q, sm)?;
    if find(&parts, Rule::sign).is_some() {
        quantity.number = -quantity.number;
        quantity.value = -quantity.value;
        quantity.written = format!("-{}", quantity.written);
        quantity.interval = super::fact::Interval {
            lo: quantity.interval.hi.map(|v| -v),
            hi: quantity.interval.lo.map(|v| -v),
        };
        quantity.text = sm.pair_text(pair);
        quantity.span = sm.pair_span(pair);
    }
    Ok(quantity)
}

fn build_ratio(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Vec<Quantity>, ExtractError> {
    inner(pair)
        .into_iter()
        .filter(|p| p.as_rule() == Rule::ratio_num)
        .map(|p| {
            let parsed = parse_arabic(p.as_str()).ok_or_else(|| err(&p, "数字格式不对"))?;
            Ok(make_quantity(
                sm.pair_text(&p),
                sm.pair_span(&p),
                parsed,
                p.as_str().to_owned(),
                None,
                None,
                None,
                false,
            ))
        })
        .collect()
}

/// Direction of a change verb.
pub fn direction(verb: &str) -> Direction {
    match verb {
        "下降" | "减少" | "降低" | "回落" | "放缓" | "收窄" | "下滑" | "缩小" | "降" | "减"
        | "跌" | "低" | "慢" | "少" | "低出" | "低于" | "慢于" | "缩短" | "降幅" | "跌幅" => {
            Direction::Down
        }
        "持平" | "基本持平" => Direction::Flat,
        "实现转正" | "由负转正" | "扭亏为盈" => Direction::TurnPositive,
        v if v.starts_with('翻') => Direction::Doubling,
        _ => Direction::Up,
    }
}

fn build_change(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<ChangeTok, ExtractError> {
    let parts = inner(pair);
    let basis = find(&parts, Rule::basis).map(|b| b.as_str().to_owned());
    let of_rate = find(&parts, Rule::rate_word).map(|r| r.as_str().to_owned());
    let adverb = find(&parts, Rule::change_adv)
        .map(|a| a.as_str().to_owned())
        .filter(|a| a == "分别" || a == "均");
    let link = find(&parts, Rule::change_link).map(|l| l.as_str().to_owned());
    let amount = match find(&parts, Rule::amount) {
        Some(a) => {
            let q = build_amount(&a, sm)?;
            // `进一步加快5G`, `新增两化`: a number without unit is not a change's size.
            if q.unit.is_none() && q.magnitude.is_none() {
                return Err(err(pair, "变化量没有单位"));
            }
            Some(q)
        }
        None => None,
    };
    let (verb, direction, amount) = if let Some(d) = find(&parts, Rule::doubling) {
        let text = d.as_str().to_owned();
        let dir = direction(&text);
        // 翻一番 / 翻两番: the amount is the number of doublings.
        let n = if dir == Direction::Doubling {
            let digits: String = text
                .trim_start_matches('翻')
                .trim_start_matches('了')
                .trim_end_matches('番')
                .to_owned();
            parse_chinese(&digits)
                .or_else(|| parse_arabic(&digits))
                .map(|p| {
                    make_quantity(
                        text.clone(),
                        sm.pair_span(&d),
                        p,
                        digits.clone(),
                        None,
                        Some("番".into()),
                        None,
                        true,
                    )
                })
        } else {
            None
        };
        (text, dir, n)
    } else {
        let v = find(&parts, Rule::change_verb).ok_or_else(|| err(pair, "缺少动词"))?;
        let verb = v.as_str().to_owned();
        let mut dir = direction(&verb);
        // 降幅扩大 is a fall growing deeper; 降幅收窄 a fall easing.
        if of_rate
            .as_deref()
            .is_some_and(|r| r == "降幅" || r == "跌幅")
        {
            dir = match dir {
                Direction::Up => Direction::Down,
                Direction::Down => Direction::Up,
                d => d,
            };
        }
        (verb, dir, amount)
    };
    Ok(ChangeTok {
        change: super::fact::Change {
            text: sm.pair_text(pair),
            span: sm.pair_span(pair),
            basis,
            verb,
            direction,
            amount,
            of_rate,
            to_level: matches!(link.as_deref(), Some("到" | "至")),
        },
        adverb,
    })
}

fn build_rate_level(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<ChangeTok, ExtractError> {
    let parts = inner(pair);
    let word = find(&parts, Rule::rate_word).ok_or_else(|| err(pair, "缺少增速词"))?;
    let amount = find(&parts, Rule::amount).ok_or_else(|| err(pair, "缺少数值"))?;
    let amount = build_amount(&amount, sm)?;
    let mut direction = direction(word.as_str());
    if amount.value.is_sign_negative() && direction == Direction::Up {
        direction = Direction::Down;
    }
    Ok(ChangeTok {
        change: super::fact::Change {
            text: sm.pair_text(pair),
            span: sm.pair_span(pair),
            basis: None,
            verb: word.as_str().to_owned(),
            direction,
            amount: Some(amount),
            of_rate: None,
            to_level: false,
        },
        adverb: None,
    })
}

fn build_comparison(
    pair: &Pair<'_, Rule>,
    sm: &SpanMaker<'_>,
) -> Result<Vec<Comparison>, ExtractError> {
    let parts = inner(pair);
    let reference = find(&parts, Rule::cmp_ref)
        .map(|r| r.as_str().to_owned())
        .unwrap_or_default();
    let reference_value = match find(&parts, Rule::cmp_ref_value) {
        Some(v) => match find(&inner(&v), Rule::quantity) {
            Some(q) => Some(build_quantity(&q, sm)?),
            None => None,
        },
        None => None,
    };
    let verb = find(&parts, Rule::cmp_verb)
        .or_else(|| find(&parts, Rule::cmp_verb_first))
        .map(|v| v.as_str().to_owned())
        .ok_or_else(|| err(pair, "缺少比较词"))?;
    let of_rate = find(&parts, Rule::rate_word).map(|r| r.as_str().to_owned());
    let list = find(&parts, Rule::value_list).ok_or_else(|| err(pair, "缺少数值"))?;
    let amounts: Vec<Quantity> = inner(&list)
        .iter()
        .filter(|p| p.as_rule() == Rule::amount)
        .map(|a| build_amount(a, sm))
        .collect::<Result<_, _>>()?;
    let amounts = share_last_unit(amounts);
    // 比全省和全国分别高1.7、2.8个百分点: one reference per value.
    let refs: Vec<String> = if amounts.len() > 1 {
        let split: Vec<String> = reference
            .split(['和', '、', '及'])
            .map(str::to_owned)
            .collect();
        if split.len() == amounts.len() {
            split
        } else {
            vec![reference.clone(); amounts.len()]
        }
    } else {
        vec![reference.clone()]
    };
    let dir = direction(&verb);
    Ok(amounts
        .into_iter()
        .zip(refs)
        .map(|(amount, reference)| Comparison {
            text: sm.pair_text(pair),
            span: sm.pair_span(pair),
            reference,
            reference_value: reference_value.clone(),
            verb: verb.clone(),
            direction: dir,
            amount,
            of_rate: of_rate.clone(),
        })
        .collect())
}

/// In `7.9、6.6、5.5个百分点` only the last value carries the unit; give it to all.
pub fn share_last_unit(mut values: Vec<Quantity>) -> Vec<Quantity> {
    let Some(last) = values.last().cloned() else {
        return values;
    };
    if last.unit.is_none() {
        return values;
    }
    for q in values.iter_mut() {
        if q.unit.is_none() && q.magnitude.is_none() {
            let parsed = super::number::Parsed {
                value: q.number,
                decimals: q.decimals,
                approx_hi: None,
            };
            *q = make_quantity(
                q.text.clone(),
                q.span,
                parsed,
                q.written.clone(),
                last.magnitude.clone(),
                last.unit.clone(),
                q.qualifier.clone(),
                q.chinese,
            );
        }
    }
    values
}

fn build_contribution(
    pair: &Pair<'_, Rule>,
    sm: &SpanMaker<'_>,
) -> Result<Contribution, ExtractError> {
    let parts = inner(pair);
    let head = find(&parts, Rule::contribution_head).ok_or_else(|| err(pair, "缺少拉动"))?;
    let amount = find(&parts, Rule::amount).ok_or_else(|| err(pair, "缺少数值"))?;
    Ok(Contribution {
        text: sm.pair_text(pair),
        span: sm.pair_span(pair),
        reference: find(&parts, Rule::contribution_ref).map(|r| r.as_str().to_owned()),
        downward: head.as_str() == "向下拉动",
        amount: build_amount(&amount, sm)?,
    })
}

fn rank_number(pair: &Pair<'_, Rule>) -> Option<(u32, bool)> {
    let s = pair.as_str();
    if let Ok(n) = s.parse::<u32>() {
        return Some((n, false));
    }
    let p = parse_chinese(s)?;
    u32::try_from(p.value.mantissa()).ok().map(|n| (n, true))
}

fn build_rank(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Rank, ExtractError> {
    let mut rank = Rank {
        text: sm.pair_text(pair),
        span: sm.pair_span(pair),
        scope: None,
        position: None,
        top: None,
        pool: None,
        chinese: false,
        movement: None,
        from_position: None,
    };
    fill_rank(pair, &mut rank)?;
    if rank.position.is_none() && rank.top.is_none() {
        return Err(err(pair, "缺少名次"));
    }
    Ok(rank)
}

fn fill_rank(pair: &Pair<'_, Rule>, rank: &mut Rank) -> Result<(), ExtractError> {
    for p in inner(pair) {
        match p.as_rule() {
            Rule::rank_scope => rank.scope = Some(p.as_str().to_owned()),
            Rule::rank_pool => {
                if let Some(a) = find(&inner(&p), Rule::arabic) {
                    rank.pool = a.as_str().parse().ok();
                }
            }
            Rule::rank_pos | Rule::rank_pos_strict | Rule::rank_bare => fill_rank(&p, rank)?,
            Rule::top_n => {
                if let Some(n) = find(&inner(&p), Rule::rank_num) {
                    rank.top = rank_number(&n).map(|x| x.0);
                }
            }
            Rule::rank_top => rank.position = Some(1),
            Rule::rank_num => {
                let (n, chinese) = rank_number(&p).ok_or_else(|| err(&p, "名次格式不对"))?;
                rank.position = Some(n);
                rank.chinese = chinese;
            }
            _ => {}
        }
    }
    Ok(())
}

fn build_rank_change(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Rank, ExtractError> {
    let positions: Vec<_> = inner(pair)
        .into_iter()
        .filter(|p| p.as_rule() == Rule::rank_pos)
        .collect();
    let [from, to] = positions.as_slice() else {
        return Err(err(pair, "应有两个名次"));
    };
    let mut a = build_rank(from, sm)?;
    let b = build_rank(to, sm)?;
    a.from_position = a.position;
    a.position = b.position;
    a.text = sm.pair_text(pair);
    a.span = sm.pair_span(pair);
    Ok(a)
}

fn build_movement(pair: &Pair<'_, Rule>) -> Result<i32, ExtractError> {
    let parts = inner(pair);
    let verb = find(&parts, Rule::movement_verb).ok_or_else(|| err(pair, "缺少动词"))?;
    let n = find(&parts, Rule::rank_num).ok_or_else(|| err(pair, "缺少位次"))?;
    let (n, _) = rank_number(&n).ok_or_else(|| err(pair, "位次格式不对"))?;
    let n = i32::try_from(n).map_err(|_| err(pair, "位次过大"))?;
    Ok(match verb.as_str() {
        "后退" | "下降" | "下滑" | "倒退" => -n,
        _ => n,
    })
}

fn build_share(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<Share, ExtractError> {
    let parts = inner(pair);
    let value = find(&parts, Rule::share_value).ok_or_else(|| err(pair, "缺少百分数"))?;
    let percent = build_quantity(&value, sm)?;
    let of = find(&parts, Rule::share_of).map(|o| o.as_str().to_owned());
    let word = find(&parts, Rule::share_word).map(|w| w.as_str().to_owned());
    let kind = match (&word, &of) {
        (Some(w), _) if w.ends_with('面') => ShareKind::Coverage,
        (_, Some(o)) if o.contains("目标") || o.contains("计划") || o.contains("任务") => {
            ShareKind::Completion
        }
        _ => ShareKind::Composition,
    };
    Ok(Share {
        text: sm.pair_text(pair),
        span: sm.pair_span(pair),
        of,
        kind,
        percent,
    })
}

fn build_class(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<ClassSpec, ExtractError> {
    let parts = inner(pair);
    let number = find(&parts, Rule::number);
    let unit = find(&parts, Rule::unit).map(|u| u.as_str().to_owned());
    let bound = match number {
        Some(n) => {
            let (parsed, written, magnitude, chinese) = build_number(&n)?;
            let qualifier = find(&parts, Rule::class_bound).and_then(|b| {
                qualifier_kind(b.as_str()).map(|kind| Qualifier {
                    text: b.as_str().to_owned(),
                    kind,
                })
            });
            Some(make_quantity(
                sm.pair_text(pair),
                sm.pair_span(pair),
                parsed,
                written,
                magnitude,
                unit,
                qualifier,
                chinese,
            ))
        }
        None => None,
    };
    let text = sm.pair_text(pair);
    Ok(ClassSpec {
        text: text.trim_end_matches('的').to_owned(),
        span: sm.pair_span(pair),
        bound,
    })
}

fn build_respectively(pair: &Pair<'_, Rule>, sm: &SpanMaker<'_>) -> Result<RespTok, ExtractError> {
    let parts = inner(pair);
    let list = find(&parts, Rule::value_list).ok_or_else(|| err(pair, "缺少数值"))?;
    let amounts: Vec<Pair<'_, Rule>> = inner(&list)
        .into_iter()
        .filter(|p| p.as_rule() == Rule::amount)
        .collect();
    let values: Vec<Quantity> = amounts
        .iter()
        .map(|a| build_amount(a, sm))
        .collect::<Result<_, _>>()?;
    let ranges = amounts.iter().map(|a| sm.range(a)).collect();
    let link = find(&parts, Rule::change_link).map(|l| l.as_str().to_owned());
    Ok(RespTok {
        basis: find(&parts, Rule::basis).map(|b| b.as_str().to_owned()),
        verb: find(&parts, Rule::resp_verb)
            .or_else(|| find(&parts, Rule::resp_gap))
            .map(|v| v.as_str().to_owned()),
        to_level: matches!(link.as_deref(), Some("到" | "至")),
        values: share_last_unit(values),
        ranges,
    })
}

/// `period` → [`RawPeriod`].
pub fn build_period(pair: &Pair<'_, Rule>) -> Result<RawPeriod, ExtractError> {
    let parts = inner(pair);
    if let Some(p) = find(&parts, Rule::plan_period) {
        let name = find(&inner(&p), Rule::plan_name).ok_or_else(|| err(pair, "缺少规划名"))?;
        // 十三五 is the 13th five-year plan: the number is what precedes 五.
        let n = parse_chinese(name.as_str().trim_end_matches('五'))
            .and_then(|p| u32::try_from(p.value.mantissa()).ok())
            .ok_or_else(|| err(pair, "规划名不对"))?;
        return Ok(RawPeriod::Plan(n));
    }
    if let Some(p) = find(&parts, Rule::recent) {
        let digits: String = p
            .as_str()
            .chars()
            .filter(|c| "零一二两三四五六七八九十百".contains(*c))
            .collect();
        let n = parse_chinese(&digits)
            .and_then(|p| u32::try_from(p.value.mantissa()).ok())
            .unwrap_or(0);
        return Ok(RawPeriod::Recent(n));
    }
    if let Some(p) = find(&parts, Rule::iso_date) {
        let date_part: String = p.as_str().chars().take_while(|c| *c != ' ').collect();
        let mut it = date_part.split('-').map(|x| x.parse::<u32>().unwrap_or(0));
        let (y, m, d) = (
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
        );
        return chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(RawPeriod::Iso)
            .ok_or_else(|| err(pair, "日期不存在"));
    }
    if let Some(p) = find(&parts, Rule::year_range) {
        let years: Vec<i32> = p
            .as_str()
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| s.len() == 4)
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [a, b] = years.as_slice() {
            return Ok(RawPeriod::Years(*a, *b));
        }
        return Err(err(pair, "年份范围不对"));
    }
    if find(&parts, Rule::now_period).is_some() {
        return Ok(RawPeriod::Calendar {
            year: None,
            core: Some(Core::Now),
            as_of: true,
        });
    }
    let (parts, as_of) = match find(&parts, Rule::as_of) {
        Some(a) => (inner(&a), true),
        None => (parts, false),
    };
    let year = if let Some(y) = find(&parts, Rule::year) {
        Some(YearRef::Absolute(
            year_number(y.as_str()).ok_or_else(|| err(pair, "年份不对"))?,
        ))
    } else {
        find(&parts, Rule::rel_year).map(|r| YearRef::Relative(r.as_str().to_owned()))
    };
    let core = build_core(&parts, pair)?;
    if year.is_none() && core.is_none() && !as_of {
        return Err(err(pair, "无法识别的时期"));
    }
    Ok(RawPeriod::Calendar { year, core, as_of })
}

fn year_number(s: &str) -> Option<i32> {
    let digits: String = s.chars().take_while(|c| *c != '年').collect();
    if let Ok(y) = digits.parse() {
        return Some(y);
    }
    // 二〇二〇
    let mut y = 0;
    for c in digits.chars() {
        let d = match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        };
        y = y * 10 + d;
    }
    Some(y)
}

fn month_value(p: &Pair<'_, Rule>) -> Option<u32> {
    match p.as_rule() {
        Rule::first_month => Some(1),
        Rule::month_num => p.as_str().parse().ok().filter(|m| (1..=12).contains(m)),
        _ => None,
    }
}

fn build_core(
    parts: &[Pair<'_, Rule>],
    pair: &Pair<'_, Rule>,
) -> Result<Option<Core>, ExtractError> {
    for p in parts {
        let months = || -> Vec<u32> { inner(p).iter().filter_map(month_value).collect() };
        let core = match p.as_rule() {
            Rule::month_range => match months().as_slice() {
                [a, b] if a <= b => Core::Months(*a, *b),
                _ => return Err(err(pair, "月份范围不对")),
            },
            Rule::month => match months().as_slice() {
                [m] => Core::Month(*m),
                _ => return Err(err(pair, "月份不对")),
            },
            Rule::month_end => match months().as_slice() {
                [m] => Core::MonthEnd(*m),
                _ => return Err(err(pair, "月份不对")),
            },
            Rule::month_day => {
                let m = months();
                let d = find(&inner(p), Rule::day_num).and_then(|d| d.as_str().parse().ok());
                match (m.as_slice(), d) {
                    ([m], Some(d)) => Core::Date(*m, d),
                    _ => return Err(err(pair, "日期不对")),
                }
            }
            Rule::quarter => {
                let s = p.as_str();
                if s.starts_with('前') {
                    Core::FirstQuarters(if s.contains('三') { 3 } else { 2 })
                } else if s == "首季" || s.starts_with("一季") {
                    Core::Quarter(1)
                } else {
                    let q = s
                        .chars()
                        .find_map(|c| match c {
                            '一' | '1' => Some(1),
                            '二' | '2' => Some(2),
                            '三' | '3' => Some(3),
                            '四' | '4' => Some(4),
                            _ => None,
                        })
                        .ok_or_else(|| err(pair, "季度不对"))?;
                    Core::Quarter(q)
                }
            }
            Rule::half => Core::Half(if p.as_str().starts_with('下') { 2 } else { 1 }),
            Rule::full_year => Core::FullYear,
            Rule::now_word => Core::Now,
            _ => continue,
        };
        return Ok(Some(core));
    }
    Ok(None)
}

/// Unit kind of a unit string (re-exported for the assembler).
pub fn kind_of(unit: Option<&str>) -> UnitKind {
    unit_kind(unit)
}
