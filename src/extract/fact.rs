//! The facts extraction produces. Plain data: no pest types, no references into the
//! parser. Everything serialises to the documented JSON/YAML contract (see README,
//! "Output contract") and deserialises back, so `render` can read what `extract`
//! wrote.
//!
//! The principal type is [`Statement`]: one indicator statement with its subject
//! scope, indicator, period, value, change, ranks, share, target flag and parts.
//! Figures are [`Quantity`] values: exact decimals as written plus the [`Interval`]
//! they stand for.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A byte range into the decoded source text, with the 1-based line and character
/// column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// The closed interval a written figure stands for, in the same units as
/// [`Quantity::value`]. `None` is an open end (`65%以上` has no upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Interval {
    #[serde(with = "opt_decimal")]
    pub lo: Option<Decimal>,
    #[serde(with = "opt_decimal")]
    pub hi: Option<Decimal>,
}

impl Interval {
    pub fn exact(v: Decimal) -> Self {
        Interval {
            lo: Some(v),
            hi: Some(v),
        }
    }
    /// Whether two intervals have a point in common.
    pub fn intersects(&self, other: &Interval) -> bool {
        let lo_ok = match (self.lo, other.hi) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        let hi_ok = match (self.hi, other.lo) {
            (Some(a), Some(b)) => a >= b,
            _ => true,
        };
        lo_ok && hi_ok
    }
    pub fn contains(&self, v: Decimal) -> bool {
        self.lo.is_none_or(|lo| lo <= v) && self.hi.is_none_or(|hi| v <= hi)
    }
}

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// `%`, `‰`.
    Percent,
    /// `个百分点`.
    Point,
    /// `倍`.
    Times,
    /// `元`, `美元`.
    Money,
    /// Measure words that count things: `家`, `个`, `项`, `人次`.
    Count,
    /// Physical units: `吨`, `亩`, `千瓦时`.
    Physical,
    /// Durations: `天`, `个月`, `年`.
    Time,
    /// No unit written.
    None,
}

/// How a qualifier bounds a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QualifierKind {
    /// `以上`, `不少于`, `至少`, `突破`, `超过`, `超`, `逾`: at least the figure.
    AtLeast,
    /// `以下`, `以内`, `不超过`, `最多`: at most the figure.
    AtMost,
    /// `近`, `接近`, `将近`, `不到`, `不足`: a little below the figure.
    Nearly,
    /// `约`, `左右`, `上下`, `大约`: around the figure.
    About,
    /// `余`, `多`, `有余`, `之多`: a little above the figure.
    Over,
    /// `达`, `达到`, `高达`: the figure itself.
    Reach,
}

/// A qualifier as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualifier {
    pub text: String,
    pub kind: QualifierKind,
}

/// A figure: a number with its magnitude and unit, as written and as an interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// Source text of the whole figure, qualifiers included (`近5000万元`).
    pub text: String,
    pub span: Span,
    /// The number exactly as written (`921.7`, `13.50`, `三千五百`).
    pub written: String,
    /// The written number as a decimal, before the magnitude (`921.7`).
    #[serde(with = "num")]
    pub number: Decimal,
    /// Decimal places as written (`13.50` → 2); the rounding tolerance.
    pub decimals: u32,
    /// `万`, `亿`, `万亿` … if written.
    pub magnitude: Option<String>,
    /// The unit without the magnitude (`元`, `%`, `个百分点`, `家`), if written.
    pub unit: Option<String>,
    pub unit_kind: UnitKind,
    pub qualifier: Option<Qualifier>,
    /// `number × magnitude`, signed (`-3.2` for `下降3.2%` is *not* applied here; see
    /// [`Change::signed`]).
    #[serde(with = "num")]
    pub value: Decimal,
    /// The interval the figure stands for: ±½ of the last written digit, widened by
    /// the qualifier.
    pub interval: Interval,
    /// Written in Chinese numerals.
    pub chinese: bool,
}

impl Quantity {
    /// The unit with its magnitude, as a reader would say it (`亿元`, `万亩`, `%`).
    pub fn unit_text(&self) -> String {
        format!(
            "{}{}",
            self.magnitude.as_deref().unwrap_or(""),
            self.unit.as_deref().unwrap_or("")
        )
    }
}

/// The kind of period expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    /// `2020年`, `去年`.
    Year,
    /// `1-9月`, `元至2月`: cumulative months.
    Months,
    /// `5月`, `6月份`.
    Month,
    /// `一季度`, `前三季度`.
    Quarter,
    /// `上半年`.
    Half,
    /// `全年`.
    FullYear,
    /// `12月底`, `截至2月底`: a point in time.
    PointInTime,
    /// `3月31日`, `2024-03-25`.
    Date,
    /// `“十三五”期间`.
    Plan,
    /// `近年来`, `近三年`.
    Recent,
    /// `2023-2025年`.
    YearRange,
}

/// A period as written and, when it can be, resolved to dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub text: String,
    pub span: Span,
    pub kind: PeriodKind,
    /// First day covered, if resolved.
    pub start: Option<NaiveDate>,
    /// Last day covered, if resolved.
    pub end: Option<NaiveDate>,
    /// The relative word the period depends on (`去年`, `今年`, `当年`), if any.
    pub relative: Option<String>,
    /// Whether the year could be determined.
    pub resolved: bool,
    /// Carried forward from an earlier clause rather than written in this one.
    pub inherited: bool,
}

/// Direction of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Up,
    Down,
    Flat,
    /// `实现转正`, `由负转正`.
    TurnPositive,
    /// `翻一番`: multiplied by 2ⁿ (the amount holds n).
    Doubling,
}

/// A change of the indicator: `同比增长10.17%`, `降幅收窄1.9个百分点`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub text: String,
    pub span: Span,
    /// `同比`, `环比`, `比上年`, `比2019年1—11月份` …
    pub basis: Option<String>,
    /// The verb as written (`增长`, `下降`, `收窄`, `增速`).
    pub verb: String,
    pub direction: Direction,
    pub amount: Option<Quantity>,
    /// When the change is of a rate rather than of the indicator (`降幅收窄…`,
    /// `增速比上年加快…`): the rate word.
    pub of_rate: Option<String>,
    /// `到`/`至` after the verb: the amount is the new level (`增长到3倍`).
    pub to_level: bool,
}

impl Change {
    /// The change as a signed number in its unit (`下降3.2%` → -3.2), if it has an amount.
    pub fn signed(&self) -> Option<Decimal> {
        let a = self.amount.as_ref()?;
        Some(match self.direction {
            Direction::Down => -a.value.abs(),
            _ => a.value,
        })
    }
}

/// A comparison with a reference: `比全省(6.9%)高1.7个百分点`, `高于全省平均水平1个百分点`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub text: String,
    pub span: Span,
    /// What the indicator is compared with (`全省`, `全省平均水平`, `同期全国增速`).
    pub reference: String,
    /// The reference's own value when written (`(6.9%)`).
    pub reference_value: Option<Quantity>,
    /// `高`, `低`, `快`, `慢`, `多`, `少` …
    pub verb: String,
    pub direction: Direction,
    pub amount: Quantity,
    /// The rate word the comparison is about (`增速`), if written.
    pub of_rate: Option<String>,
}

/// A rank: `居全省第2位`, `全市第一`, `位列48位`, `前进2个位次`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rank {
    pub text: String,
    pub span: Span,
    /// `全省`, `全国` … if written.
    pub scope: Option<String>,
    /// Position (1 = first), if a position is stated.
    pub position: Option<u32>,
    /// `前三`: within the first n.
    pub top: Option<u32>,
    /// `17个市州中`: the number of units ranked.
    pub pool: Option<u32>,
    /// The position was written in Chinese numerals (`第四`).
    pub chinese: bool,
    /// `前进2个位次` → +2; `后退1位` → -1.
    pub movement: Option<i32>,
    /// `由第63位升至第57位`: the earlier position.
    pub from_position: Option<u32>,
}

/// What a share is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShareKind {
    /// Part of a whole (`占GDP比重`, `占比`): at most 100%.
    Composition,
    /// Completion of a target (`占年度目标任务116%`): may exceed 100%.
    Completion,
    /// Breadth of a set (`增长面`, `收窄面`): items with the property / all items.
    Coverage,
    /// `贡献率`.
    Contribution,
}

/// A share: `占GDP比重达到49.8%`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub text: String,
    pub span: Span,
    /// The whole, as written (`GDP`, `全市规上企业数量`, `年度目标任务`).
    pub of: Option<String>,
    pub kind: ShareKind,
    pub percent: Quantity,
}

/// `拉动全市增长3.2个百分点`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub text: String,
    pub span: Span,
    pub reference: Option<String>,
    /// `向下拉动`.
    pub downward: bool,
    pub amount: Quantity,
}

/// A word that marks a statement as a target or plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// `力争`, `预计`, `计划` …, or the heading of a plan section.
    pub word: String,
    pub span: Span,
    /// Set by a plan heading (`二、2021年工作计划`) rather than a word in the sentence.
    pub from_heading: bool,
}

/// The subject a statement is about: `全市`, `襄州区`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub text: String,
    pub span: Option<Span>,
    /// The place it stands for when known (`全市` in a 示例市 report → `示例市`).
    pub resolved: Option<String>,
    /// Carried forward from an earlier clause.
    pub inherited: bool,
}

/// The indicator a statement is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// As written (`规上工业增加值`).
    pub text: String,
    pub span: Option<Span>,
    /// Canonical name through the alias table (`规模以上工业增加值`).
    pub canonical: String,
    /// `新增`, `累计`, `总数` when the indicator is an increment, a cumulative figure or
    /// a stock stated after an increment.
    pub aspect: Option<String>,
    /// Taken from an earlier statement because this clause names none.
    pub inherited: bool,
}

/// How a list of parts relates to its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BreakdownKind {
    /// `其中…`: parts may not exceed the total.
    Qizhong,
    /// `A、B、C分别…`: one value per item.
    Respectively,
    /// `A、B均…`: the same statement for every item.
    All,
}

/// The parts of a statement and what the wording says about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub kind: BreakdownKind,
    /// The marker (`其中`, `分别`, `均`).
    pub marker: Span,
    /// Closed by `其他`/`其余`, or announced as complete (`共…分别`, `合计`): parts
    /// must add up to the total.
    pub closed: bool,
    /// Opened by `等`: more parts exist than are listed.
    pub open: bool,
    /// Number of items listed before `分别`/`均` (may differ from the values given).
    pub items: usize,
}

/// A named item in a list (`分别`/`均` subjects, enumeration members).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub text: String,
    pub span: Span,
}

/// `亿元以上` in `17个亿元以上重大增长点`: each item counted is at least this large.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassSpec {
    pub text: String,
    pub span: Span,
    pub bound: Option<Quantity>,
}

/// One indicator statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Running number within the file (parts included), in reading order.
    pub id: usize,
    pub span: Span,
    /// Source text of the statement.
    pub text: String,
    pub scope: Option<Scope>,
    pub indicator: Option<Indicator>,
    pub period: Option<Period>,
    /// The level figure (`921.7亿元`).
    pub value: Option<Quantity>,
    /// Upper end when the value is written as a range (`5～10亿元`).
    pub value_to: Option<Quantity>,
    /// Structure ratio terms (`10:52.6:37.4`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratio: Vec<Quantity>,
    pub change: Option<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<Comparison>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranks: Vec<Rank>,
    pub share: Option<Share>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Contribution>,
    /// `N中有M`: the whole N (the value is M).
    pub whole: Option<Quantity>,
    /// Compound count: `17个亿元以上重大增长点`.
    pub class: Option<ClassSpec>,
    /// Set when the statement is a target, plan or forecast, never an achieved figure.
    pub target: Option<Target>,
    pub breakdown: Option<Breakdown>,
    /// Items named before `分别`/`均`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
    /// Parts listed after `其中` or matched to a `分别` list, each with its own span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Statement>,
}

impl Statement {
    /// Every figure of this statement (not of its parts), in no particular order.
    pub fn figures(&self) -> Vec<&Quantity> {
        let mut out: Vec<&Quantity> = Vec::new();
        self.each_figure(|q| out.push(q));
        out
    }

    /// Calls `f` with every figure of this statement (not of its parts), in the order
    /// of [`Statement::figures`], without collecting them.
    pub fn each_figure<'s>(&'s self, mut f: impl FnMut(&'s Quantity)) {
        self.value.iter().for_each(&mut f);
        self.value_to.iter().for_each(&mut f);
        self.ratio.iter().for_each(&mut f);
        if let Some(c) = &self.change {
            c.amount.iter().for_each(&mut f);
        }
        for c in &self.comparisons {
            f(&c.amount);
            c.reference_value.iter().for_each(&mut f);
        }
        if let Some(s) = &self.share {
            f(&s.percent);
        }
        for c in &self.contributions {
            f(&c.amount);
        }
        self.whole.iter().for_each(&mut f);
    }

    /// This statement and all its parts, depth first.
    pub fn walk(&self) -> Vec<&Statement> {
        let mut out = vec![self];
        for p in &self.parts {
            out.extend(p.walk());
        }
        out
    }

    /// The canonical indicator name, or "" when none.
    pub fn canonical(&self) -> &str {
        self.indicator.as_ref().map_or("", |i| i.canonical.as_str())
    }

    /// Whether the statement is a target, plan or forecast.
    pub fn is_target(&self) -> bool {
        self.target.is_some()
    }
}

/// A count of things named in a list nearby: `三大园区：A、B`, `A、B、C等五大园区`,
/// `“…、…”的“六个一”`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enumeration {
    pub text: String,
    pub span: Span,
    pub count: u32,
    /// `大`, `个`, `项`, `个一` …
    pub noun: String,
    pub items: Vec<Item>,
    /// The list ends with `等` or is otherwise open.
    pub open: bool,
}

/// The date a document is dated, and where it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocDate {
    pub date: NaiveDate,
    /// `text` when found in the document, `option` when given with `--date`.
    pub source: String,
    pub span: Option<Span>,
}

/// Everything extracted from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub path: String,
    pub date: Option<DocDate>,
    pub encoding: String,
    /// The place the document is about, when it names one (`示例市`).
    pub scope: Option<String>,
    pub statements: Vec<Statement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enumerations: Vec<Enumeration>,
    /// Clauses that contain digits the grammar could not read as a figure or as
    /// something that is not a figure (the coverage report lists them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Span>,
}

impl FileFacts {
    /// All statements including parts, depth first.
    pub fn all_statements(&self) -> Vec<&Statement> {
        self.statements.iter().flat_map(Statement::walk).collect()
    }
}

/// Decimals as JSON/YAML numbers: integers as integers (`12`), others as the
/// shortest float that reads back to the same decimal (`921.7`). The exact digits as
/// written are kept separately in [`Quantity::written`].
pub mod num {
    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let n = v.normalize();
        if n.scale() == 0 {
            if let Some(i) = n.to_i64() {
                return s.serialize_i64(i);
            }
        }
        s.serialize_f64(n.to_f64().unwrap_or(0.0))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum N {
            I(i64),
            F(f64),
            S(String),
        }
        match N::deserialize(d)? {
            N::I(i) => Ok(Decimal::from(i)),
            N::F(f) => Decimal::try_from(f).map_err(serde::de::Error::custom),
            N::S(s) => s.trim().parse().map_err(serde::de::Error::custom),
        }
    }
}

mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => super::num::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct W(#[serde(with = "super::num")] Decimal);
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}
