//! Understanding a table: which rows and columns are headers, labels, units, periods,
//! growth rates, shares, totals and `其中` sub-rows, and what every cell's number is.
//!
//! # Brief overview
//!
//! [`TableModel::new`] reads one [`Table`] of a document:
//!
//! - **Header rows** are the leading rows with no number outside the first column
//!   (a year written alone, `2025`, is a header). A header row made of units
//!   (`万元 | % | 万元`) is a *unit row*.
//! - **Columns** ([`ColRole`]): the label column (the first column of text), a unit
//!   column (`单位`/`计量单位`), and value columns classified by their header text:
//!   growth (`增长%`, `同比增长（%）`, `增速`, `比上年±%`), share (`占比%`, `比重`,
//!   `占全市%`), levels (everything else) and columns never added (`序号`, `排名`,
//!   `…率`, `平均`, `人均`, `指数`, `价格`, `百分点`). A level column carries its
//!   period (`2025年`, `1—11月`, `本期` are current; `上年同期`, `去年同期`, `2024年`
//!   earlier) so a growth column can be paired with its two levels.
//! - **Units** of a cell: written in the cell (`3.2亿元`), else the column header's
//!   (`产值（万元）`, `增长%`) or the unit row's, else the row's (the unit column, or
//!   `产值（亿元）` in the label), else the caption's (`单位：万元`, `单位：亿元、%`,
//!   the `%` going to growth and share columns).
//! - **Rows** ([`RowRole`]): totals by their label (`合计`, `总计`, `共计`, `…合计` and
//!   `小计` add up their parts exactly; `全市`, `全县`, `全区`, `全省`, `全国` … are
//!   wholes whose listed parts may be incomplete), `其中` sub-rows (a label starting
//!   with `其中`, or `#`, or indented deeper than the items, or the rows under a
//!   `其中：` line of its own; rows right after a `其中` row are *maybe* sub-rows),
//!   section rows (a label and no number) and items. A caption about averages,
//!   prices or indices (`人均`, `平均`, `单价`, `价格`, `指数`) makes no sums.
//! - **Cells** are parsed with the crate's number rules ([`crate::extract::number`]):
//!   the written decimals give the rounding interval; `—`, `-`, `…`, `/`, `×` and
//!   blanks are missing, not zero.
//!
//! Totals find their parts by position: a total below items adds up the items above
//! it back to the previous total of the same or higher rank (a `合计` below `小计`
//! rows adds the `小计` rows); a total above items adds the items below it. The same
//! holds for `合计` columns. Because a table read without its indentation may hide a
//! second level of rows, a sum is reported only when every reading of the rows fails:
//! with and without the maybe sub-rows, by numbering level (`一、` over `（一）` over
//! `1.`), and with runs of rows that add up to the row above them taken as its
//! children; the rows on the other side of a total are one more reading (tables that
//! put some totals above their groups and some below), and a total over two
//! breakdowns side by side (`城镇 | 农村 | 男 | 女`) is met by its leading run.
//! Share columns are read against the total row, or within each row against the
//! row's one total column when the share names a column (`税收占比%`, `税收收入`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::build::make_quantity;
use crate::extract::number::parse_arabic;
use crate::extract::{Document, Quantity, Span};
use crate::load::normalize::fold;
use crate::load::table::Table;

/// A unit as written: `万元` is magnitude `万`, unit `元`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    pub magnitude: Option<String>,
    pub unit: Option<String>,
    /// `元/吨`, `每千人…`: a rate per something, never added.
    pub per: bool,
}

impl Unit {
    fn percent() -> Self {
        Unit {
            magnitude: None,
            unit: Some("%".into()),
            per: false,
        }
    }
    pub fn is_percent(&self) -> bool {
        matches!(self.unit.as_deref(), Some("%" | "‰"))
    }
    /// The unit as a reader says it (`万元`, `%`).
    pub fn text(&self) -> String {
        format!(
            "{}{}",
            self.magnitude.as_deref().unwrap_or(""),
            self.unit.as_deref().unwrap_or("")
        )
    }
}

const MAGNITUDES: &[&str] = &["万亿", "千万", "百万", "亿", "万", "千", "百"];

/// Units a table header or cell may carry after a magnitude.
const BASE_UNITS: &[&str] = &[
    "元",
    "美元",
    "港元",
    "欧元",
    "吨",
    "吨标准煤",
    "千克",
    "公斤",
    "克",
    "亩",
    "公顷",
    "平方米",
    "平方公里",
    "平方千米",
    "立方米",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "度",
    "公里",
    "千米",
    "米",
    "标准箱",
    "人",
    "人次",
    "户",
    "家",
    "个",
    "项",
    "件",
    "辆",
    "台",
    "套",
    "次",
    "张",
    "座",
    "所",
    "头",
    "只",
    "株",
    "间",
    "床",
    "册",
    "部",
    "条",
    "批",
    "宗",
    "单",
    "艘",
    "架",
    "处",
    "栋",
    "份",
    "笔",
    "趟",
    "列",
    "元/人",
    "元/吨",
    "元/平方米",
    "元/公斤",
    "元/千克",
    "元/斤",
];

/// Parses a unit as written alone (`万元`, `%`, `（亿元）`, `万千瓦时`, `元/吨`).
pub fn parse_unit(s: &str) -> Option<Unit> {
    let t: String = s
        .chars()
        .filter_map(|c| {
            let c = fold(c).unwrap_or(c);
            (!c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']' | '【' | '】')).then_some(c)
        })
        .collect();
    if t.is_empty() {
        return None;
    }
    if t == "%" || t == "‰" || t == "百分比" {
        return Some(Unit {
            magnitude: None,
            unit: Some(if t == "‰" { "‰" } else { "%" }.into()),
            per: false,
        });
    }
    let base = |b: &str| {
        BASE_UNITS.contains(&b)
            || (b.contains('/') && b.chars().count() <= 6 && b.starts_with('元'))
    };
    if base(&t) {
        return Some(Unit {
            magnitude: None,
            unit: Some(t.clone()),
            per: t.contains('/'),
        });
    }
    for m in MAGNITUDES {
        if let Some(rest) = t.strip_prefix(m) {
            if base(rest) {
                return Some(Unit {
                    magnitude: Some((*m).to_owned()),
                    unit: Some(rest.to_owned()),
                    per: rest.contains('/'),
                });
            }
            if rest.is_empty() {
                return Some(Unit {
                    magnitude: Some((*m).to_owned()),
                    unit: None,
                    per: false,
                });
            }
        }
    }
    None
}

static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)]
    Regex::new(r"[（(]([^（）()]{1,8})[）)]").unwrap()
});

static CAPTION_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)]
    Regex::new(r"单位\s*[:：]\s*([^\s，,。；;）)]+)").unwrap()
});

static NUMBER_CELL: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)]
    Regex::new(
        r"^([+\-−–]?)\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万亿|千万|百万|亿|万|千)?\s*(\S{0,8}?)[*＊]?$",
    )
    .unwrap()
});

/// The unit a header text names: a bracketed unit (`产值（万元）`, `增长(%)`), a
/// trailing `%`, or the whole text (`万元` in a unit row).
fn header_unit(h: &str) -> Option<Unit> {
    let h: String = h.chars().map(|c| fold(c).unwrap_or(c)).collect();
    for c in BRACKETED.captures_iter(&h) {
        if let Some(u) = c.get(1).and_then(|m| parse_unit(m.as_str())) {
            return Some(u);
        }
    }
    if h.trim_end().ends_with('%') {
        return Some(Unit::percent());
    }
    if let Some(rest) = h.trim().strip_prefix("单位") {
        return parse_unit(rest.trim_start_matches([':', '：']));
    }
    parse_unit(&h)
}

/// The units a caption declares: `单位：万元` → (万元, no %); `单位：亿元、%` → (亿元, %).
fn caption_units(caption: &str) -> (Option<Unit>, bool) {
    let folded: String = caption.chars().map(|c| fold(c).unwrap_or(c)).collect();
    let Some(c) = CAPTION_UNIT.captures(&folded) else {
        return (None, false);
    };
    let list = c.get(1).map_or("", |m| m.as_str());
    let mut level = None;
    let mut pct = false;
    for piece in list.split(['、', '/', '，', ',']) {
        match parse_unit(piece) {
            Some(u) if u.is_percent() => pct = true,
            Some(u) if level.is_none() => level = Some(u),
            _ => {}
        }
    }
    (level, pct)
}

/// A cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Blank, `—`, `-`, `…`, `/`, `×`: no figure.
    Missing,
    Text,
    /// A number, with the unit written in the cell if any.
    Number {
        sign: bool,
        written: String,
        magnitude: Option<String>,
        unit: Option<Unit>,
    },
}

/// Reads a cell's text.
pub fn parse_cell(text: &str) -> CellValue {
    let t: String = text
        .chars()
        .map(|c| fold(c).unwrap_or(c))
        .collect::<String>()
        .trim()
        .to_owned();
    let missing = [
        "", "—", "——", "-", "--", "–", "…", "……", "...", "/", "×", "x", "X", "*", "NA", "N/A",
        "— —", "－",
    ];
    if missing.contains(&t.as_str()) {
        return CellValue::Missing;
    }
    let Some(c) = NUMBER_CELL.captures(&t) else {
        return CellValue::Text;
    };
    let sign = c
        .get(1)
        .is_some_and(|m| !m.as_str().is_empty() && m.as_str() != "+");
    let written: String = c
        .get(2)
        .map_or("", |m| m.as_str())
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let magnitude = c.get(3).map(|m| m.as_str().to_owned());
    let tail = c.get(4).map_or("", |m| m.as_str());
    let unit = if tail.is_empty() {
        None
    } else {
        match parse_unit(tail) {
            Some(u) if u.magnitude.is_none() => Some(u),
            _ => return CellValue::Text,
        }
    };
    CellValue::Number {
        sign,
        written,
        magnitude,
        unit,
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColRole {
    /// The row labels.
    Label,
    /// Units of each row (`单位`).
    Unit,
    /// Levels (amounts, counts) of a period.
    Level,
    /// Growth rates in percent.
    Growth,
    /// Shares of a whole in percent.
    Share,
    /// Text, ranks, sequence numbers, changes in points: never checked.
    Other,
}

/// Which period a level column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Current,
    /// `上年同期`, `去年`, `上年`, `基期`.
    Earlier,
}

/// A column.
#[derive(Debug, Clone)]
pub struct Col {
    pub role: ColRole,
    /// Header cells joined (`1—11月 增长%`).
    pub header: String,
    /// The lowest non-empty header cell (`增长%`), the most specific name.
    pub name: String,
    pub unit: Option<Unit>,
    /// 0 for parts, 1 for `小计`, 2 for `合计`/`全市`.
    pub total: u8,
    /// A total whose parts must add up exactly (`合计`, not `全市`).
    pub exhaustive: bool,
    /// A `其中` column.
    pub sub: bool,
    /// Levels that may be added.
    pub additive: bool,
    pub period: Period,
    pub year: Option<u32>,
    /// The whole a share is of (`占全省%` → `全省`), if named.
    pub whole: Option<String>,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    Header,
    /// A label and no number (`一、按行业分`).
    Section,
    /// 0 item, 1 `小计`, 2 `合计`/`全市`.
    Total(u8),
    Item,
    /// A `其中` row (or indented deeper): part of the row above, not of the total.
    Sub,
    /// A row with no label and no number.
    Empty,
}

/// A row.
#[derive(Debug, Clone)]
pub struct Row {
    pub role: RowRole,
    /// The label as written, trimmed.
    pub label: String,
    pub unit: Option<Unit>,
    /// A total whose parts must add up exactly.
    pub exhaustive: bool,
    /// Follows a `其中` row without its own marker: may be a sub-row or an item.
    pub maybe_sub: bool,
    /// Numbering level of the label (`一、` 1, `（一）` 2, `1.` 3, `（1）` 4).
    pub numbering: Option<u8>,
    /// Its values are not amounts that add up (`人均…`, `…率`, `指数`).
    pub additive: bool,
    /// `其他`, `其余`: the part a writer most often forgets to update.
    pub residual: bool,
    /// The row a sub-row belongs to.
    pub parent: Option<usize>,
}

/// The model of one table.
#[derive(Debug, Clone)]
pub struct TableModel<'a> {
    pub table: &'a Table,
    pub header_rows: usize,
    pub label_col: Option<usize>,
    pub cols: Vec<Col>,
    pub rows: Vec<Row>,
    /// The caption does not call the table's figures averages, prices or indices.
    pub additive: bool,
    cells: Vec<Vec<Option<Quantity>>>,
    /// Cells with their own written unit.
    own_unit: Vec<Vec<bool>>,
    missing: Vec<Vec<bool>>,
}

/// One sum a table asserts: a total cell and its part cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumCheck {
    /// `true`: a total row (parts are rows of one column); `false`: a total column.
    pub rows: bool,
    pub total: (usize, usize),
    pub parts: Vec<(usize, usize)>,
    /// The parts must add up exactly (else they may only not exceed the total).
    pub exhaustive: bool,
    /// Other readings of the table's rows: when any of them adds up, the sum is
    /// taken to hold.
    pub alternatives: Vec<Vec<(usize, usize)>>,
    /// A `其中` group against its parent row or column.
    pub sub: bool,
}

/// A growth rate cell and the two level cells of its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthCheck {
    pub row: usize,
    pub from: usize,
    pub to: usize,
    pub growth: usize,
    /// The row's indicator grows in real terms or on a same-sample basis (增加值, GDP,
    /// 规模以上…, or the caption says 可比价/同口径): nominal levels need not agree.
    pub real: bool,
}

/// A share cell, its part and its whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareCheck {
    pub part: (usize, usize),
    pub whole: (usize, usize),
    pub share: (usize, usize),
    /// Another whole the share may be of (a sub-row's parent).
    pub alt_whole: Option<(usize, usize)>,
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// A label without its trailing unit bracket and whitespace (`合 计（万元）` → `合计`).
fn bare_label(s: &str) -> String {
    let s = squeeze(s);
    let s = BRACKETED.replace_all(&s, "").into_owned();
    s.trim_end_matches([':', '：']).to_owned()
}

/// Rank and exhaustiveness of a total label.
fn total_of(label: &str) -> Option<(u8, bool)> {
    let l = bare_label(label);
    if l.is_empty() || l.chars().count() > 12 {
        return None;
    }
    if l == "小计" || l.ends_with("小计") {
        return Some((1, true));
    }
    if ["合计", "总计", "共计", "总合计"].contains(&l.as_str())
        || l.ends_with("合计")
        || l.ends_with("总计")
    {
        return Some((2, true));
    }
    let wholes = [
        "全市",
        "全县",
        "全区",
        "全省",
        "全国",
        "全州",
        "全盟",
        "全旗",
        "全镇",
        "全乡",
        "全部",
        "总体",
        "全市域",
        "全县域",
    ];
    if wholes.contains(&l.as_str()) {
        return Some((2, false));
    }
    None
}

fn numbering(label: &str) -> Option<u8> {
    let l: String = label
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| fold(c).unwrap_or(c))
        .collect();
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let mut it = l.chars();
    let first = it.next()?;
    if cn(first) {
        let rest: String = l.chars().skip_while(|c| cn(*c)).take(1).collect();
        return (rest == "、").then_some(1);
    }
    if first == '(' {
        let inner: String = it.clone().take_while(|c| *c != ')').collect();
        if !inner.is_empty() && inner.chars().all(cn) {
            return Some(2);
        }
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let rest: String = l.chars().skip_while(char::is_ascii_digit).take(2).collect();
        let mut r = rest.chars();
        return match (r.next(), r.next()) {
            (Some('.' | '、'), Some(c)) if !c.is_ascii_digit() => Some(3),
            _ => None,
        };
    }
    None
}

const NOT_ADDITIVE: &[&str] = &[
    "率",
    "平均",
    "人均",
    "户均",
    "亩均",
    "均价",
    "单价",
    "价格",
    "指数",
    "密度",
    "强度",
    "系数",
    "倍",
    "贡献",
    "拉动",
    "比例",
    "比率",
    "百分点",
    "名次",
    "排名",
    "位次",
    "增速",
    "增幅",
    "占比",
    "比重",
    "%",
];

fn additive_name(s: &str) -> bool {
    !NOT_ADDITIVE.iter().any(|w| s.contains(w))
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)]
    Regex::new(r"(19[5-9]\d|20\d\d)").unwrap()
});

fn classify_col(header: &str, name: &str, caption_pct: bool) -> (ColRole, bool) {
    let h = squeeze(header);
    let n = squeeze(name);
    let other = [
        "序号", "编号", "代码", "排名", "排位", "位次", "名次", "行次", "栏次", "年份", "电话",
        "备注", "说明", "地址",
    ];
    if other.iter().any(|w| n.contains(w)) {
        return (ColRole::Other, false);
    }
    if n.contains("百分点") || n.contains("贡献") || n.contains("拉动") {
        return (ColRole::Other, false);
    }
    let share_words = ["占比", "比重", "份额", "构成"];
    if share_words.iter().any(|w| n.contains(w)) || (n.contains('占') && n.contains('%')) {
        return (ColRole::Share, false);
    }
    let growth_words = [
        "增长",
        "增速",
        "增幅",
        "同比",
        "环比",
        "比上年",
        "比去年",
        "比上月",
        "比上期",
        "增减",
        "涨幅",
        "降幅",
        "±",
    ];
    let absolute = [
        "增加额",
        "增长额",
        "增减额",
        "增量",
        "增减量",
        "绝对额",
        "增加值",
    ];
    if growth_words.iter().any(|w| n.contains(w)) && !absolute.iter().any(|w| n.contains(w)) {
        let pct = n.contains('%')
            || ["增速", "增幅", "增长率", "涨幅", "降幅", "百分比"]
                .iter()
                .any(|w| n.contains(w))
            || h.contains('%')
            || caption_pct;
        let money = header_unit(name).is_some_and(|u| !u.is_percent());
        return if pct && !money {
            (ColRole::Growth, false)
        } else {
            (ColRole::Other, false)
        };
    }
    (ColRole::Level, additive_name(&n))
}

impl<'a> TableModel<'a> {
    /// Reads a table; `None` when it has no data rows or fewer than two columns.
    pub fn new(table: &'a Table, text: &str) -> Option<Self> {
        let width = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if width < 2 || table.rows.len() < 2 {
            return None;
        }
        let parsed: Vec<Vec<CellValue>> = table
            .rows
            .iter()
            .map(|r| {
                (0..width)
                    .map(|c| r.get(c).map_or(CellValue::Missing, |x| parse_cell(&x.text)))
                    .collect()
            })
            .collect();
        let text_of = |r: usize, c: usize| -> &str {
            table
                .rows
                .get(r)
                .and_then(|row| row.get(c))
                .map_or("", |x| x.text.as_str())
        };
        // Header rows: no number outside the first column, except a year alone.
        let is_year = |v: &CellValue| match v {
            CellValue::Number {
                written,
                magnitude: None,
                unit: None,
                sign: false,
            } => written.len() == 4 && YEAR.is_match(written),
            _ => false,
        };
        let mut header_rows = 0;
        while header_rows < table.rows.len().min(4) {
            let row = &parsed[header_rows];
            let numbers = row.iter().skip(1).any(|v| {
                matches!(v, CellValue::Number { .. }) && !(header_rows == 0 && is_year(v))
            });
            // A label alone under the header is a section row (`按规模分`).
            let section = header_rows > 0
                && !text_of(header_rows, 0).trim().is_empty()
                && (1..width).all(|c| text_of(header_rows, c).trim().is_empty());
            if numbers || section {
                break;
            }
            header_rows += 1;
        }
        if header_rows == 0 || header_rows >= table.rows.len() {
            return None;
        }
        let data = header_rows..table.rows.len();
        // Caption units.
        let (cap_unit, cap_pct) = table
            .caption
            .as_deref()
            .map_or((None, false), caption_units);
        // Unit rows among the headers.
        let unit_row: Vec<Option<Unit>> = (0..width)
            .map(|c| {
                (0..header_rows)
                    .filter(|&r| {
                        let cells: Vec<&str> = (1..width)
                            .map(|k| text_of(r, k))
                            .filter(|t| !t.is_empty())
                            .collect();
                        !cells.is_empty()
                            && cells.iter().filter(|t| parse_unit(t).is_some()).count() * 2
                                > cells.len()
                    })
                    .find_map(|r| parse_unit(text_of(r, c)))
            })
            .collect();
        // Columns.
        let mut cols = Vec::with_capacity(width);
        for c in 0..width {
            let cells: Vec<&str> = (0..header_rows)
                .map(|r| text_of(r, c))
                .filter(|t| !t.trim().is_empty())
                .collect();
            let header = cells.join(" ");
            let name = cells.last().copied().unwrap_or("").to_owned();
            let (mut role, additive) = classify_col(&header, &name, cap_pct);
            let numeric = data
                .clone()
                .filter(|&r| matches!(parsed[r][c], CellValue::Number { .. }))
                .count();
            let texts = data
                .clone()
                .filter(|&r| parsed[r][c] == CellValue::Text)
                .count();
            let squeezed = squeeze(&header);
            if squeezed.contains("单位") && numeric == 0 {
                role = ColRole::Unit;
            } else if (c == 0 && role != ColRole::Other && texts >= numeric) || texts > numeric {
                role = ColRole::Label;
            } else if c == 0 {
                // Numbers in the first column under no known header: row numbers.
                role = ColRole::Other;
            }
            let unit = match role {
                ColRole::Growth | ColRole::Share => Some(Unit::percent()),
                _ => header_unit(&name)
                    .or_else(|| header_unit(&header))
                    .or_else(|| unit_row[c].clone()),
            };
            let total = total_of(&name);
            let whole = (role == ColRole::Share)
                .then(|| {
                    ["全国", "全省", "全市", "全县", "全区", "全州"]
                        .iter()
                        .find(|w| squeezed.contains(*w))
                        .map(|w| (*w).to_owned())
                })
                .flatten();
            let earlier = ["上年", "去年", "同期", "上期", "上月", "基期", "上一年"]
                .iter()
                .any(|w| squeezed.contains(w));
            let year = YEAR
                .find_iter(&squeezed)
                .filter_map(|m| m.as_str().parse::<u32>().ok())
                .max();
            let unit_additive = unit.as_ref().is_none_or(|u| !u.per && !u.is_percent());
            cols.push(Col {
                role,
                header,
                name: name.clone(),
                unit,
                total: total.map_or(0, |t| t.0),
                exhaustive: total.is_some_and(|t| t.1),
                sub: {
                    let n = squeeze(&name);
                    n.starts_with("其中") || n.starts_with('#') || n.starts_with('＃')
                },
                additive: role == ColRole::Level && additive && unit_additive,
                period: if earlier {
                    Period::Earlier
                } else {
                    Period::Current
                },
                year,
                whole,
            });
        }
        // `其中` columns: those after a `其中` column up to the next total are subs too.
        let mut in_sub = false;
        for col in cols.iter_mut() {
            if col.total > 0 {
                in_sub = false;
            }
            if col.sub {
                in_sub = true;
            } else if in_sub && col.role == ColRole::Level {
                col.sub = true;
            }
        }
        let label_col = cols.iter().position(|c| c.role == ColRole::Label);
        let unit_col = cols.iter().position(|c| c.role == ColRole::Unit);
        // Rows.
        let value_cols: Vec<usize> = (0..width)
            .filter(|&c| {
                matches!(
                    cols[c].role,
                    ColRole::Level | ColRole::Growth | ColRole::Share
                )
            })
            .collect();
        let indent_of = |r: usize| -> usize {
            let Some(c) = label_col else { return 0 };
            let Some(cell) = table.rows.get(r).and_then(|row| row.get(c)) else {
                return 0;
            };
            let own = cell.text.chars().take_while(|c| c.is_whitespace()).count();
            let before = text.get(..cell.range.start.min(text.len())).unwrap_or("");
            let mut n: usize = 0;
            let mut prev = None;
            for ch in before.chars().rev() {
                if ch == ' ' || ch == '\u{3000}' {
                    n += if ch == ' ' { 1 } else { 2 };
                } else {
                    prev = Some(ch);
                    break;
                }
            }
            if prev == Some('|') {
                n = n.saturating_sub(1);
            }
            own + n
        };
        let mut rows = Vec::with_capacity(table.rows.len());
        for (r, cells_r) in parsed.iter().enumerate() {
            if r < header_rows {
                rows.push(Row {
                    role: RowRole::Header,
                    label: String::new(),
                    unit: None,
                    exhaustive: false,
                    maybe_sub: false,
                    numbering: None,
                    additive: false,
                    residual: false,
                    parent: None,
                });
                continue;
            }
            let label = label_col.map_or("", |c| text_of(r, c)).trim().to_owned();
            let has_number = value_cols
                .iter()
                .any(|&c| matches!(cells_r[c], CellValue::Number { .. }));
            let total = total_of(&label);
            let bare = bare_label(&label);
            let sub = bare.starts_with("其中") || bare.starts_with('#') || bare.starts_with('＃');
            let role = match (total, has_number) {
                (Some((rank, _)), true) => RowRole::Total(rank),
                (_, false) if label.is_empty() => RowRole::Empty,
                (_, false) => RowRole::Section,
                (None, true) if sub => RowRole::Sub,
                (None, true) => RowRole::Item,
            };
            let unit = unit_col
                .and_then(|c| parse_unit(text_of(r, c)))
                .or_else(|| {
                    BRACKETED
                        .captures_iter(&label)
                        .find_map(|m| m.get(1).and_then(|g| parse_unit(g.as_str())))
                });
            let residual = ["其他", "其它", "其余"].iter().any(|w| bare.starts_with(w));
            rows.push(Row {
                role,
                exhaustive: total.is_some_and(|t| t.1),
                maybe_sub: false,
                numbering: numbering(&label),
                additive: additive_name(&bare)
                    && unit.as_ref().is_none_or(|u| !u.per && !u.is_percent()),
                residual,
                parent: None,
                label,
                unit,
            });
        }
        // Indentation: rows indented deeper than the shallowest item are sub-rows.
        let base = data
            .clone()
            .filter(|&r| matches!(rows[r].role, RowRole::Item | RowRole::Total(_)))
            .map(indent_of)
            .min()
            .unwrap_or(0);
        for r in data.clone() {
            if rows[r].role == RowRole::Item && indent_of(r) > base + 1 {
                rows[r].role = RowRole::Sub;
            }
        }
        // A `其中：` line of its own: the rows under it are sub-rows of the row above.
        let qizhong_line =
            |row: &Row| row.role == RowRole::Section && bare_label(&row.label) == "其中";
        let mut under = false;
        for r in data.clone() {
            if qizhong_line(&rows[r]) {
                under = true;
            } else if under && rows[r].role == RowRole::Item && rows[r].numbering.is_none() {
                rows[r].role = RowRole::Sub;
            } else {
                under = false;
            }
        }
        // Rows after a `其中` row, without a marker of their own, may be sub-rows.
        let mut after_sub: Option<usize> = None;
        for r in data.clone() {
            match rows[r].role {
                RowRole::Sub => {
                    let d = indent_of(r);
                    after_sub = Some(d);
                }
                RowRole::Item => {
                    if let Some(d) = after_sub {
                        if indent_of(r) >= d && rows[r].numbering.is_none() {
                            rows[r].maybe_sub = true;
                        } else {
                            after_sub = None;
                        }
                    }
                }
                _ => after_sub = None,
            }
        }
        // Parents of sub-rows.
        let mut parent = None;
        for r in data.clone() {
            match rows[r].role {
                RowRole::Item if !rows[r].maybe_sub => parent = Some(r),
                RowRole::Total(_) => parent = Some(r),
                RowRole::Sub => rows[r].parent = parent,
                RowRole::Item => rows[r].parent = parent,
                _ if qizhong_line(&rows[r]) => {}
                _ => parent = None,
            }
        }
        // Numbers.
        let mut cells = vec![vec![None; width]; table.rows.len()];
        let mut own_unit = vec![vec![false; width]; table.rows.len()];
        let mut missing = vec![vec![false; width]; table.rows.len()];
        for r in data.clone() {
            for c in 0..width {
                match &parsed[r][c] {
                    CellValue::Missing => missing[r][c] = true,
                    CellValue::Text => {}
                    CellValue::Number {
                        sign,
                        written,
                        magnitude,
                        unit,
                    } => {
                        let col = &cols[c];
                        let eff: Option<Unit> = match (magnitude, unit) {
                            (None, None) => match col.role {
                                ColRole::Growth | ColRole::Share => Some(Unit::percent()),
                                ColRole::Level => col
                                    .unit
                                    .clone()
                                    .or_else(|| rows[r].unit.clone())
                                    .or_else(|| cap_unit.clone()),
                                _ => None,
                            },
                            (m, u) => {
                                own_unit[r][c] = true;
                                Some(Unit {
                                    magnitude: m.clone(),
                                    unit: u.as_ref().and_then(|u| u.unit.clone()),
                                    per: u.as_ref().is_some_and(|u| u.per),
                                })
                            }
                        };
                        let Some(cell) = table.rows.get(r).and_then(|row| row.get(c)) else {
                            continue;
                        };
                        cells[r][c] = quantity(cell, *sign, written, eff.as_ref());
                    }
                }
            }
        }
        let additive = table.caption.as_deref().is_none_or(|c| {
            !["人均", "户均", "平均", "均价", "单价", "价格", "指数"]
                .iter()
                .any(|w| c.contains(w))
        });
        Some(TableModel {
            table,
            header_rows,
            label_col,
            cols,
            rows,
            additive,
            cells,
            own_unit,
            missing,
        })
    }

    /// Every number of the table (for coverage).
    pub fn figures(&self) -> impl Iterator<Item = &Quantity> + '_ {
        self.cells.iter().flatten().flatten()
    }

    /// The display range the table's cells cover.
    pub fn display_range(&self, doc: &Document) -> Option<(usize, usize)> {
        let cells = self.table.rows.iter().flatten();
        let start = cells.clone().map(|c| c.range.start).min()?;
        let end = cells.map(|c| c.range.end).max()?;
        let sp = source_span(doc, start..end);
        Some((sp.start, sp.end))
    }

    /// The number of a cell, if it holds one.
    pub fn num(&self, r: usize, c: usize) -> Option<&Quantity> {
        self.cells
            .get(r)
            .and_then(|row| row.get(c))
            .and_then(Option::as_ref)
    }

    /// Whether a cell is blank or a dash.
    pub fn is_missing(&self, r: usize, c: usize) -> bool {
        self.missing
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(true)
    }

    /// Whether a cell's unit is written in the cell itself.
    pub fn has_own_unit(&self, r: usize, c: usize) -> bool {
        self.own_unit
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(false)
    }

    /// `表1 第3行第4列`.
    pub fn cell_label(&self, r: usize, c: usize) -> String {
        self.table.cell_label(r, c)
    }

    /// A row's label without a leading `其中：` or `#`.
    pub fn row_name(&self, r: usize) -> String {
        let l = self.rows.get(r).map_or("", |x| x.label.as_str()).trim();
        let l = l
            .strip_prefix("其中")
            .map_or(l, |x| x.trim_start_matches([':', '：', ',', '，', ' ']));
        l.trim_start_matches(['#', '＃']).trim().to_owned()
    }

    /// The name of a cell a reader recognises: its row label and column name
    /// (`甲区 2025年`).
    pub fn cell_name(&self, r: usize, c: usize) -> String {
        let row = self.row_name(r);
        let row = row.as_str();
        let col = self.cols.get(c).map_or("", |x| x.name.as_str());
        match (row.is_empty(), col.is_empty()) {
            (false, false) => format!("{row} {col}"),
            (false, true) => row.to_owned(),
            (true, false) => col.to_owned(),
            (true, true) => String::new(),
        }
    }

    fn data(&self) -> Range<usize> {
        self.header_rows..self.rows.len()
    }

    /// The rows the total at `t` (of rank `rank`) adds up, by position, and whether
    /// they lie above it. `None` when the total has no parts.
    fn row_range(&self, t: usize, rank: u8) -> Option<(Range<usize>, bool)> {
        let data = self.data();
        // A total right under the header, a section or a higher total heads its
        // group; any other total closes the group above it.
        let prev = (data.start..t).next_back().map(|r| self.rows[r].role);
        let above = match prev {
            None | Some(RowRole::Header | RowRole::Section | RowRole::Empty) => false,
            Some(RowRole::Total(k)) if k > rank => false,
            _ => true,
        };
        self.row_range_towards(t, rank, above).map(|r| (r, above))
    }

    /// The rows between the total at `t` and the previous (`above`) or next total of
    /// the same or higher rank.
    fn row_range_towards(&self, t: usize, rank: u8, above: bool) -> Option<Range<usize>> {
        let data = self.data();
        let range = if above {
            let start = (data.start..t)
                .rev()
                .find(|&r| {
                    matches!(self.rows[r].role, RowRole::Total(k) if k >= rank)
                        || self.rows[r].role == RowRole::Header
                        || (rank == 1 && self.rows[r].role == RowRole::Section)
                })
                .map_or(data.start, |r| r + 1);
            start..t
        } else {
            let end = (t + 1..data.end)
                .find(|&r| {
                    matches!(self.rows[r].role, RowRole::Total(k) if k >= rank)
                        || (rank == 1 && self.rows[r].role == RowRole::Section)
                })
                .unwrap_or(data.end);
            t + 1..end
        };
        (!range.is_empty()).then_some(range)
    }

    /// The rows a total at `t` may add up over `range`, and the readings of them: all
    /// items, items without the maybe sub-rows, the shallowest numbering level, each
    /// section alone. `None` when no item rows can be added.
    fn readings(&self, t: usize, rank: u8, range: Range<usize>) -> Option<Vec<Vec<usize>>> {
        let lower = |r: usize| matches!(self.rows[r].role, RowRole::Total(k) if k < rank);
        let has_lower = range.clone().any(lower);
        let items: Vec<usize> = if has_lower {
            range.clone().filter(|&r| lower(r)).collect()
        } else {
            range
                .clone()
                .filter(|&r| self.rows[r].role == RowRole::Item)
                .collect()
        };
        if items.is_empty() {
            return None;
        }
        // Rows of mixed or non-additive units are not added.
        if !self.rows[t].additive
            || items
                .iter()
                .any(|&r| !self.rows[r].additive || self.rows[r].unit != self.rows[t].unit)
        {
            return None;
        }
        let firm: Vec<usize> = items
            .iter()
            .copied()
            .filter(|&r| !self.rows[r].maybe_sub)
            .collect();
        let mut readings: Vec<Vec<usize>> = vec![items.clone()];
        if firm.len() != items.len() && !firm.is_empty() {
            readings.push(firm.clone());
        }
        // By numbering level: the shallowest level present at least twice.
        if let Some(top) = items.iter().filter_map(|&r| self.rows[r].numbering).min() {
            let tops: Vec<usize> = items
                .iter()
                .copied()
                .filter(|&r| self.rows[r].numbering == Some(top))
                .collect();
            if tops.len() >= 2 && tops.len() < items.len() {
                readings.push(tops);
            }
        }
        // Sections split the range: each section may add up to the total alone.
        let sections: Vec<usize> = range
            .clone()
            .filter(|&r| self.rows[r].role == RowRole::Section)
            .collect();
        if !has_lower && !sections.is_empty() {
            let mut bounds = sections;
            bounds.insert(0, range.start);
            bounds.push(range.end);
            for w in bounds.windows(2) {
                let seg: Vec<usize> = items
                    .iter()
                    .copied()
                    .filter(|&r| r >= w[0] && r < w[1])
                    .collect();
                if !seg.is_empty() && seg.len() < items.len() {
                    readings.push(seg);
                }
            }
        }
        Some(readings)
    }

    /// The sums the table's total rows assert, one per value column.
    pub fn row_sums(&self) -> Vec<SumCheck> {
        let mut out = Vec::new();
        if !self.additive {
            return out;
        }
        for t in self.data() {
            let RowRole::Total(rank) = self.rows[t].role else {
                continue;
            };
            let Some((range, above)) = self.row_range(t, rank) else {
                continue;
            };
            let Some(readings) = self.readings(t, rank, range) else {
                continue;
            };
            // The rows on the other side of the total are another reading (a table
            // that puts some totals above their groups and some below).
            let other = self
                .row_range_towards(t, rank, !above)
                .and_then(|r| self.readings(t, rank, r))
                .unwrap_or_default();
            for c in 0..self.cols.len() {
                let col = &self.cols[c];
                let summable =
                    (col.role == ColRole::Level && col.additive) || col.role == ColRole::Share;
                if !summable {
                    continue;
                }
                let Some(total) = self.num(t, c) else {
                    continue;
                };
                let cells = |rd: &Vec<usize>| -> Option<(Vec<(usize, usize)>, bool)> {
                    let present: Vec<(usize, usize)> = rd
                        .iter()
                        .filter(|&&r| self.num(r, c).is_some())
                        .map(|&r| (r, c))
                        .collect();
                    let complete = present.len() == rd.len();
                    (!present.is_empty()
                        && present
                            .iter()
                            .all(|&(r, c)| self.num(r, c).is_some_and(|q| same_unit(q, total))))
                    .then_some((present, complete))
                };
                let cell_readings: Vec<(Vec<(usize, usize)>, bool)> =
                    readings.iter().filter_map(cells).collect();
                let Some((first, complete)) = cell_readings.first().cloned() else {
                    continue;
                };
                let mut alternatives: Vec<Vec<(usize, usize)>> =
                    cell_readings.iter().skip(1).map(|x| x.0.clone()).collect();
                // Runs that add up to the row above them are its children.
                if let Some(n) = self.without_children(&first, c) {
                    alternatives.push(n);
                }
                alternatives.extend(other.iter().filter_map(cells).map(|x| x.0));
                out.push(SumCheck {
                    rows: true,
                    total: (t, c),
                    parts: first,
                    exhaustive: self.rows[t].exhaustive && complete,
                    alternatives,
                    sub: false,
                });
            }
        }
        out
    }

    /// `parts` without runs of rows that add up (within rounding) to the row right
    /// above them: those runs are a second level of rows written without indentation.
    fn without_children(&self, parts: &[(usize, usize)], c: usize) -> Option<Vec<(usize, usize)>> {
        if parts.len() < 3 {
            return None;
        }
        let mut keep = Vec::new();
        let mut i = 0;
        let mut changed = false;
        while i < parts.len() {
            keep.push(parts[i]);
            let Some(head) = self.num(parts[i].0, c) else {
                i += 1;
                continue;
            };
            let mut found = None;
            let mut sum = crate::check::interval::Iv::exact(Decimal::ZERO);
            for j in i + 1..parts.len() {
                // Only contiguous rows.
                if parts[j].0 != parts[j - 1].0 + 1 {
                    break;
                }
                let Some(q) = self.num(parts[j].0, c) else {
                    break;
                };
                sum = sum.add(q.interval.into());
                if j > i + 1 && sum.meets(head.interval.into()) {
                    found = Some(j);
                }
            }
            match found {
                Some(j) => {
                    changed = true;
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        changed.then_some(keep)
    }

    /// The sums the table's total columns assert, one per data row.
    pub fn col_sums(&self) -> Vec<SumCheck> {
        let mut out = Vec::new();
        if !self.additive {
            return out;
        }
        let width = self.cols.len();
        let left_style = (0..width)
            .find(|&c| self.cols[c].total > 0 && self.cols[c].role == ColRole::Level)
            .is_some_and(|c| {
                c > 0 && self.cols[c - 1].role == ColRole::Level && self.cols[c - 1].total == 0
            });
        for t in 0..width {
            let rank = self.cols[t].total;
            if rank == 0 || self.cols[t].role != ColRole::Level || !self.cols[t].additive {
                continue;
            }
            let level = |c: usize| self.cols[c].role == ColRole::Level;
            let stop = |c: usize| {
                self.cols[c].total >= rank
                    || !matches!(
                        self.cols[c].role,
                        ColRole::Level | ColRole::Growth | ColRole::Share
                    )
            };
            // Parts on the left when the table's first total column follows a level
            // column (`一产 | 二产 | 合计`), else on the right (`合计 | 一产 | 二产`).
            let left = left_style;
            let range: Vec<usize> = if left {
                (0..t)
                    .rev()
                    .take_while(|&c| !stop(c))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect()
            } else {
                (t + 1..width).take_while(|&c| !stop(c)).collect()
            };
            let lower = |c: usize| self.cols[c].total > 0 && self.cols[c].total < rank;
            let has_lower = range.iter().any(|&c| lower(c));
            let parts: Vec<usize> = range
                .iter()
                .copied()
                .filter(|&c| {
                    level(c)
                        && (if has_lower {
                            lower(c)
                        } else {
                            self.cols[c].total == 0
                        })
                })
                .collect();
            let firm: Vec<usize> = parts
                .iter()
                .copied()
                .filter(|&c| !self.cols[c].sub)
                .collect();
            let open = firm.len() != parts.len();
            if firm.is_empty() || firm.iter().any(|&c| !self.cols[c].additive) {
                continue;
            }
            for r in self.data() {
                if !matches!(
                    self.rows[r].role,
                    RowRole::Item | RowRole::Total(_) | RowRole::Sub
                ) || !self.rows[r].additive
                {
                    continue;
                }
                let Some(total) = self.num(r, t) else {
                    continue;
                };
                let present: Vec<(usize, usize)> = firm
                    .iter()
                    .filter(|&&c| self.num(r, c).is_some())
                    .map(|&c| (r, c))
                    .collect();
                if present.is_empty()
                    || !present
                        .iter()
                        .all(|&(r, c)| self.num(r, c).is_some_and(|q| same_unit(q, total)))
                {
                    continue;
                }
                let complete = present.len() == firm.len();
                out.push(SumCheck {
                    rows: false,
                    total: (r, t),
                    parts: present,
                    exhaustive: self.cols[t].exhaustive && complete && !open,
                    alternatives: Vec::new(),
                    sub: false,
                });
            }
        }
        out
    }

    /// `其中` sub-rows against their parent row, and `其中` columns against theirs:
    /// the listed parts may not exceed the whole.
    pub fn sub_sums(&self) -> Vec<SumCheck> {
        let mut out = Vec::new();
        if !self.additive {
            return out;
        }
        // Rows: groups of consecutive sub-rows with the same parent.
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for r in self.data() {
            if self.rows[r].role != RowRole::Sub {
                continue;
            }
            let Some(p) = self.rows[r].parent else {
                continue;
            };
            match groups.last_mut() {
                Some((gp, v)) if *gp == p => v.push(r),
                _ => groups.push((p, vec![r])),
            }
        }
        for (p, subs) in groups {
            if !self.rows[p].additive || subs.iter().any(|&r| !self.rows[r].additive) {
                continue;
            }
            for c in 0..self.cols.len() {
                if !(self.cols[c].role == ColRole::Level && self.cols[c].additive) {
                    continue;
                }
                let Some(total) = self.num(p, c) else {
                    continue;
                };
                let parts: Vec<(usize, usize)> = subs
                    .iter()
                    .filter(|&&r| self.num(r, c).is_some_and(|q| same_unit(q, total)))
                    .map(|&r| (r, c))
                    .collect();
                if parts.is_empty() {
                    continue;
                }
                out.push(SumCheck {
                    rows: true,
                    total: (p, c),
                    parts,
                    exhaustive: false,
                    alternatives: Vec::new(),
                    sub: true,
                });
            }
        }
        // Columns: a `其中` run after its parent column.
        let width = self.cols.len();
        let mut c = 0;
        while c < width {
            if !(self.cols[c].sub && self.cols[c].role == ColRole::Level) {
                c += 1;
                continue;
            }
            let Some(parent) = (0..c)
                .rev()
                .find(|&k| self.cols[k].role == ColRole::Level && !self.cols[k].sub)
            else {
                c += 1;
                continue;
            };
            let mut run = Vec::new();
            while c < width && self.cols[c].sub {
                if self.cols[c].role == ColRole::Level && self.cols[c].additive {
                    run.push(c);
                }
                c += 1;
            }
            if !self.cols[parent].additive {
                continue;
            }
            for r in self.data() {
                if !self.rows[r].additive || matches!(self.rows[r].role, RowRole::Header) {
                    continue;
                }
                let Some(total) = self.num(r, parent) else {
                    continue;
                };
                let parts: Vec<(usize, usize)> = run
                    .iter()
                    .filter(|&&k| self.num(r, k).is_some_and(|q| same_unit(q, total)))
                    .map(|&k| (r, k))
                    .collect();
                if parts.is_empty() {
                    continue;
                }
                out.push(SumCheck {
                    rows: false,
                    total: (r, parent),
                    parts,
                    exhaustive: false,
                    alternatives: Vec::new(),
                    sub: true,
                });
            }
        }
        out
    }

    /// Growth columns paired with their two level columns, one check per row.
    pub fn growth_checks(&self) -> Vec<GrowthCheck> {
        let mut out = Vec::new();
        let caption_real = self.table.caption.as_deref().is_some_and(|c| {
            [
                "可比价",
                "可比口径",
                "同口径",
                "不变价",
                "增加值",
                "生产总值",
                "规模以上",
                "规上",
            ]
            .iter()
            .any(|w| c.contains(w))
        });
        for g in 0..self.cols.len() {
            if self.cols[g].role != ColRole::Growth {
                continue;
            }
            // Level columns between the previous growth or share column and this one.
            let levels: Vec<usize> = (0..g)
                .rev()
                .take_while(|&c| !matches!(self.cols[c].role, ColRole::Growth | ColRole::Share))
                .filter(|&c| self.cols[c].role == ColRole::Level && !self.cols[c].sub)
                .collect();
            let [a, b] = levels[..] else { continue };
            let (ca, cb) = (&self.cols[a], &self.cols[b]);
            if ca.unit != cb.unit {
                continue;
            }
            let pair = match (ca.year, cb.year) {
                (Some(ya), Some(yb)) if ya != yb && ca.period == cb.period => {
                    if ya < yb {
                        (a, b)
                    } else {
                        (b, a)
                    }
                }
                _ => match (ca.period, cb.period) {
                    (Period::Earlier, Period::Current) => (a, b),
                    (Period::Current, Period::Earlier) => (b, a),
                    _ => continue,
                },
            };
            let header_real = ["增加值", "生产总值", "可比", "规模以上", "规上"]
                .iter()
                .any(|w| self.cols[g].header.contains(w) || self.cols[pair.1].header.contains(w));
            for r in self.data() {
                if !matches!(
                    self.rows[r].role,
                    RowRole::Item | RowRole::Total(_) | RowRole::Sub
                ) {
                    continue;
                }
                let (Some(from), Some(to), Some(_)) =
                    (self.num(r, pair.0), self.num(r, pair.1), self.num(r, g))
                else {
                    continue;
                };
                if !same_unit(from, to)
                    || from.value <= Decimal::ZERO
                    || to.value < Decimal::ZERO
                    || from.unit_kind == crate::extract::UnitKind::Percent
                    || self.rows[r]
                        .unit
                        .as_ref()
                        .is_some_and(|u| u.is_percent() || u.per)
                    || !additive_name(&bare_label(&self.rows[r].label))
                {
                    continue;
                }
                let label = &self.rows[r].label;
                let real = caption_real
                    || header_real
                    || ["增加值", "生产总值", "GDP", "规模以上", "规上", "可比"]
                        .iter()
                        .any(|w| label.contains(w));
                out.push(GrowthCheck {
                    row: r,
                    from: pair.0,
                    to: pair.1,
                    growth: g,
                    real,
                });
            }
        }
        out
    }

    /// The part and total columns of a share column that is a share within each row
    /// (`税收收入 | 非税收入 | 合计 | 税收占比%`): the share's name begins like exactly
    /// one level column, and the table has exactly one total column.
    fn row_share_cols(&self, s: usize) -> Option<(usize, usize)> {
        if self.cols[s].whole.is_some() {
            return None;
        }
        let name = bare_label(&self.cols[s].name);
        let stem: String = ["占比", "比重", "份额", "构成", "占"]
            .iter()
            .find_map(|w| name.find(w).map(|i| name[..i].to_owned()))?;
        let stem = stem.trim_end_matches(['（', '(', ' ']);
        if stem.chars().count() < 2 {
            return None;
        }
        let levels = |c: &usize| self.cols[*c].role == ColRole::Level && self.cols[*c].additive;
        let parts: Vec<usize> = (0..self.cols.len())
            .filter(levels)
            .filter(|&c| {
                self.cols[c].total == 0 && bare_label(&self.cols[c].name).starts_with(stem)
            })
            .collect();
        let totals: Vec<usize> = (0..self.cols.len())
            .filter(levels)
            .filter(|&c| self.cols[c].total > 0)
            .collect();
        match (&parts[..], &totals[..]) {
            ([p], [t]) => Some((*p, *t)),
            _ => None,
        }
    }

    /// Share columns against part ÷ whole, where the whole is the table's total row,
    /// or, for a share within each row, the row's total column.
    pub fn share_checks(&self) -> Vec<ShareCheck> {
        let mut out = Vec::new();
        let mut by_row: Vec<usize> = Vec::new();
        for s in 0..self.cols.len() {
            if self.cols[s].role != ColRole::Share {
                continue;
            }
            let Some((p, t)) = self.row_share_cols(s) else {
                continue;
            };
            by_row.push(s);
            for r in self.data() {
                if !matches!(
                    self.rows[r].role,
                    RowRole::Item | RowRole::Sub | RowRole::Total(_)
                ) {
                    continue;
                }
                let (Some(part), Some(whole), Some(_)) =
                    (self.num(r, p), self.num(r, t), self.num(r, s))
                else {
                    continue;
                };
                if !same_unit(part, whole)
                    || part.value < Decimal::ZERO
                    || whole.value <= Decimal::ZERO
                {
                    continue;
                }
                out.push(ShareCheck {
                    part: (r, p),
                    whole: (r, t),
                    share: (r, s),
                    alt_whole: None,
                });
            }
        }
        // The grand total: the first rank-2 total row (the only one, or skip).
        let totals: Vec<usize> = self
            .data()
            .filter(|&r| self.rows[r].role == RowRole::Total(2))
            .collect();
        let [t] = totals[..] else { return out };
        let tlabel = bare_label(&self.rows[t].label);
        for s in 0..self.cols.len() {
            if self.cols[s].role != ColRole::Share || by_row.contains(&s) {
                continue;
            }
            // A share of a named whole the total row is not (`占全省%` in a table
            // whose total is `全市`) is a share of something outside the table.
            if let Some(w) = &self.cols[s].whole {
                let generic = ["合计", "总计", "共计"].iter().any(|g| tlabel.ends_with(g));
                if !generic && !tlabel.contains(w.as_str()) {
                    continue;
                }
            }
            // The level column the share is of: the nearest level column to the left.
            let Some(l) = (0..s)
                .rev()
                .take_while(|&c| self.cols[c].role != ColRole::Share)
                .find(|&c| self.cols[c].role == ColRole::Level && self.cols[c].additive)
            else {
                continue;
            };
            let Some(whole) = self.num(t, l) else {
                continue;
            };
            if whole.value <= Decimal::ZERO {
                continue;
            }
            for r in self.data() {
                if !matches!(
                    self.rows[r].role,
                    RowRole::Item | RowRole::Sub | RowRole::Total(_)
                ) {
                    continue;
                }
                let (Some(part), Some(_)) = (self.num(r, l), self.num(r, s)) else {
                    continue;
                };
                if !same_unit(part, whole) || part.value < Decimal::ZERO {
                    continue;
                }
                let alt_whole = self.rows[r]
                    .parent
                    .filter(|&p| p != t && self.num(p, l).is_some());
                out.push(ShareCheck {
                    part: (r, l),
                    whole: (t, l),
                    share: (r, s),
                    alt_whole: alt_whole.map(|p| (p, l)),
                });
            }
        }
        out
    }
}

/// Whether two cell figures are in the same unit (magnitudes may differ).
pub fn same_unit(a: &Quantity, b: &Quantity) -> bool {
    a.unit == b.unit && a.unit_kind == b.unit_kind
}

/// The span of a byte range of the source text (mapped to the original for web pages).
pub fn source_span(doc: &Document, r: Range<usize>) -> Span {
    let (start, end, display) = match &doc.source.origin {
        Some(o) => {
            let s = o.to_original(r.start);
            (s, o.to_original(r.end).max(s), o.original.as_str())
        }
        None => (r.start, r.end, doc.source.text.as_str()),
    };
    let (line, column) = doc.lines.line_col(display, start);
    Span {
        start,
        end,
        line,
        column,
    }
}

/// The figure of a number cell, in the unit that applies to it.
fn quantity(
    cell: &crate::load::table::Cell,
    sign: bool,
    written: &str,
    unit: Option<&Unit>,
) -> Option<Quantity> {
    let mut parsed = parse_arabic(written)?;
    if sign {
        parsed.value = -parsed.value;
    }
    let magnitude = unit.and_then(|u| u.magnitude.clone());
    let base = unit.and_then(|u| u.unit.clone());
    let shown = match unit {
        Some(u)
            if !cell
                .text
                .chars()
                .any(|c| !c.is_ascii_digit() && !",.-+ ".contains(c)) =>
        {
            format!("{}{}", cell.text.trim(), u.text())
        }
        _ => cell.text.trim().to_owned(),
    };
    let written = if sign {
        format!("-{written}")
    } else {
        written.to_owned()
    };
    let q = make_quantity(
        shown,
        Span {
            start: cell.range.start,
            end: cell.range.end,
            line: 0,
            column: 0,
        },
        parsed,
        written,
        magnitude,
        base,
        None,
        false,
    );
    Some(q)
}

/// Every table of a document that can be read, with the spans of its cells resolved.
pub fn models(doc: &Document) -> Vec<TableModel<'_>> {
    doc.source
        .tables
        .iter()
        .filter_map(|t| TableModel::new(t, &doc.source.text))
        .map(|mut m| {
            for row in &mut m.cells {
                for q in row.iter_mut().flatten() {
                    q.span = source_span(doc, q.span.start..q.span.end);
                }
            }
            m
        })
        .collect()
}

/// A value in the unit `like` is written in (`2770000000` → `27.7亿元` for a figure
/// in 亿元), rounded to `decimals` places.
pub fn shown_as(like: &Quantity, value: Decimal, decimals: u32) -> String {
    let factor = like
        .value
        .checked_div(like.number)
        .filter(|f| !f.is_zero())
        .or_else(|| {
            like.magnitude
                .as_deref()
                .and_then(crate::extract::number::magnitude_factor)
        })
        .unwrap_or(Decimal::ONE);
    let v = value.checked_div(factor).unwrap_or(value);
    let d = decimals as usize;
    format!("{:.d$}{}", v.round_dp(decimals), like.unit_text())
}

/// The relation a sum check asserts, over the given parts.
pub fn sum_relation(
    m: &TableModel<'_>,
    s: &SumCheck,
    parts: &[(usize, usize)],
) -> Option<super::Relation> {
    let total = m.num(s.total.0, s.total.1)?.clone();
    let parts: Option<Vec<Quantity>> = parts.iter().map(|&(r, c)| m.num(r, c).cloned()).collect();
    Some(super::Relation::Sum {
        parts: parts?,
        total,
        exhaustive: s.exhaustive,
    })
}

/// Records every relation of every table (sums along both axes, `其中` groups,
/// growth and share cells), so that a suggested correction of one cell must keep the
/// other relations of its row and column true: the cell most likely wrong is the one
/// where a row total and a column total (or a growth rate) both fail.
pub fn record_all(ctx: &super::Context<'_>, models: &[TableModel<'_>]) {
    use super::Relation;
    for m in models {
        for s in m
            .row_sums()
            .iter()
            .chain(m.col_sums().iter())
            .chain(m.sub_sums().iter())
        {
            if s.parts.len() > MAX_RELATION {
                continue;
            }
            if let Some(rel) = sum_relation(m, s, &s.parts) {
                ctx.record(&rel);
            }
        }
        for g in m.growth_checks() {
            if let (Some(from), Some(to), Some(pct)) = (
                m.num(g.row, g.from),
                m.num(g.row, g.to),
                m.num(g.row, g.growth),
            ) {
                ctx.record(&Relation::Growth {
                    from: from.clone(),
                    to: to.clone(),
                    pct: pct.clone(),
                    down: false,
                });
            }
        }
        for sh in m.share_checks() {
            if let (Some(part), Some(whole), Some(pct)) = (
                m.num(sh.part.0, sh.part.1),
                m.num(sh.whole.0, sh.whole.1),
                m.num(sh.share.0, sh.share.1),
            ) {
                ctx.record(&Relation::Share {
                    part: part.clone(),
                    whole: whole.clone(),
                    pct: pct.clone(),
                });
            }
        }
    }
}

/// Sums with more parts than this get no "which figure is wrong" search (it tries
/// every edit of every figure).
pub const MAX_RELATION: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::SourceFile;

    fn model_of(text: &str) -> (SourceFile, usize) {
        let sf = SourceFile::from_text("t.md", text);
        let n = sf.tables.len();
        (sf, n)
    }

    #[test]
    fn units() {
        let u = parse_unit("万元").unwrap_or_default();
        assert_eq!(
            (u.magnitude.as_deref(), u.unit.as_deref()),
            (Some("万"), Some("元"))
        );
        assert_eq!(
            parse_unit("千瓦时").and_then(|u| u.unit),
            Some("千瓦时".into())
        );
        assert!(parse_unit("%").is_some_and(|u| u.is_percent()));
        assert!(parse_unit("元/吨").is_some_and(|u| u.per));
        assert!(parse_unit("示例").is_none());
        assert_eq!(
            header_unit("产值（亿元）").map(|u| u.text()),
            Some("亿元".to_owned())
        );
        assert!(header_unit("增长%").is_some_and(|u| u.is_percent()));
        let (l, p) = caption_units("表1 示例 单位：亿元、%");
        assert_eq!(l.map(|u| u.text()), Some("亿元".into()));
        assert!(p);
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell("—"), CellValue::Missing);
        assert_eq!(parse_cell(" "), CellValue::Missing);
        assert_eq!(parse_cell("甲区"), CellValue::Text);
        assert!(matches!(
            parse_cell("-3.2"),
            CellValue::Number { sign: true, .. }
        ));
        assert!(matches!(
            parse_cell("1,234.5"),
            CellValue::Number { ref written, .. } if written == "1234.5"
        ));
        assert!(matches!(
            parse_cell("3.2亿元"),
            CellValue::Number { magnitude: Some(ref m), .. } if m == "亿"
        ));
        assert_eq!(parse_cell("12号线"), CellValue::Text);
        assert!(matches!(parse_cell("８．５％"), CellValue::Number { .. }));
    }

    #[test]
    fn labels() {
        assert_eq!(total_of("合  计"), Some((2, true)));
        assert_eq!(total_of("全市"), Some((2, false)));
        assert_eq!(total_of("小计"), Some((1, true)));
        assert_eq!(total_of("规上工业合计"), Some((2, true)));
        assert_eq!(total_of("甲区"), None);
        assert_eq!(numbering("一、第一产业"), Some(1));
        assert_eq!(numbering("（二）工业"), Some(2));
        assert_eq!(numbering("1.工业"), Some(3));
        assert_eq!(numbering("2025年"), None);
    }

    #[test]
    fn reads_a_table() {
        let text = "单位：亿元\n\n| 地区 | 2024年 | 2025年 | 增长% | 占比% |\n|---|---|---|---|---|\n| 合计 | 250.5 | 276.0 | 10.2 | 100.0 |\n| 甲区 | 120.0 | 132.0 | 10.0 | 47.8 |\n| 其中：甲镇 | 20.0 | 22.0 | 10.0 | 8.0 |\n| 乙区 | 130.5 | 144.0 | 10.3 | 52.2 |\n";
        let (sf, n) = model_of(text);
        assert_eq!(n, 1);
        let m = TableModel::new(&sf.tables[0], &sf.text).unwrap();
        assert_eq!(m.header_rows, 1);
        let roles: Vec<ColRole> = m.cols.iter().map(|c| c.role).collect();
        assert_eq!(
            roles,
            vec![
                ColRole::Label,
                ColRole::Level,
                ColRole::Level,
                ColRole::Growth,
                ColRole::Share
            ]
        );
        assert_eq!(m.rows[1].role, RowRole::Total(2));
        assert_eq!(m.rows[3].role, RowRole::Sub);
        assert_eq!(m.rows[3].parent, Some(2));
        assert_eq!(m.rows[4].role, RowRole::Item);
        assert_eq!(m.num(2, 1).map(|q| q.text.as_str()), Some("120.0亿元"));
        let sums = m.row_sums();
        // Two level columns and the share column.
        assert_eq!(sums.len(), 3);
        assert_eq!(sums[0].parts, vec![(2, 1), (4, 1)]);
        assert!(sums[0].exhaustive);
        let g = m.growth_checks();
        assert_eq!(g.len(), 4);
        assert_eq!((g[0].from, g[0].to, g[0].growth), (1, 2, 3));
        let s = m.share_checks();
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].whole, (1, 2));
    }
}
