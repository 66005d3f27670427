//! The data a report is drafted from: document fields plus a list of indicators.
//!
//! # Schema
//!
//! A data file (YAML or JSON) is a mapping with two parts:
//!
//! ```yaml
//! report:                 # document fields, free-form: region, year, date, slogan, sections …
//!   template: annual-review
//!   region: 示例市
//!   year: 2025
//! indicators:             # the figures, one record each (see [`Indicator`])
//!   - id: output
//!     name: 规模以上工业总产值
//!     period: 2025年
//!     value: 1286.4
//!     unit: 亿元
//!     prev: 1184.5
//!     group: 运行
//! ```
//!
//! CSV and Excel (`.xlsx`) files hold one indicator per row, with the flat column
//! names of [`COLUMNS`]; document fields come from `# key: value` lines before the
//! header (CSV) or from a sheet named `report` (xlsx, two columns: key, value).
//! A file written by `jiaohe extract --format yaml|json` is read too: every
//! statement becomes an indicator (see [`from_extraction`]).
//!
//! Numbers are exact decimals ([`Figure`]); the decimals written are kept
//! (`21.0` stays one decimal) unless `decimals` says otherwise. A number written in
//! quotes (`"21.50"`) keeps every digit.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

/// A figure: an exact decimal, the decimals to show, its unit (magnitude included:
/// `亿元`, `万千瓦时`, `%`) and whether it was computed rather than given.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: Decimal,
    pub decimals: u32,
    pub unit: String,
    pub computed: bool,
}

impl Figure {
    pub fn new(value: Decimal, decimals: u32, unit: impl Into<String>) -> Self {
        Figure {
            value,
            decimals,
            unit: unit.into(),
            computed: false,
        }
    }

    /// A computed figure.
    pub fn computed(value: Decimal, decimals: u32, unit: impl Into<String>) -> Self {
        Figure {
            computed: true,
            ..Figure::new(value, decimals, unit)
        }
    }

    /// Parses a number as written (`"1286.40"`, `"-3"`, `"1,234.5"`), keeping its
    /// decimals.
    pub fn parse(text: &str, unit: &str) -> Option<Figure> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，' && *c != ' ')
            .map(|c| match c {
                '－' | '−' => '-',
                '．' => '.',
                c if ('０'..='９').contains(&c) => {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        let t = t.strip_prefix('+').unwrap_or(&t);
        if t.is_empty()
            || !t
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return None;
        }
        let value = Decimal::from_str(t).ok()?;
        let decimals = t.find('.').map_or(0, |i| (t.len() - i - 1) as u32);
        Some(Figure::new(value, decimals, unit))
    }

    /// The value in base units and the base unit: `28640万元` → (286400000, `元`).
    pub fn base(&self) -> (Decimal, String) {
        let (factor, base) = split_unit(&self.unit);
        (self.value * factor, base.to_owned())
    }

    /// Same figure with another unit text.
    pub fn with_unit(mut self, unit: &str) -> Self {
        self.unit = unit.to_owned();
        self
    }
}

/// Splits a unit into its magnitude factor and base unit: `亿元` → (10⁸, `元`),
/// `万千瓦时` → (10⁴, `千瓦时`), `家` → (1, `家`).
pub fn split_unit(unit: &str) -> (Decimal, &str) {
    for (m, f) in [
        ("万亿", Decimal::from(1_000_000_000_000_i64)),
        ("亿", Decimal::from(100_000_000_i64)),
        ("万", Decimal::from(10_000_i64)),
    ] {
        if let Some(rest) = unit.strip_prefix(m) {
            return (f, rest);
        }
    }
    (Decimal::ONE, unit)
}

/// Is the unit a percentage?
pub fn is_percent(unit: &str) -> bool {
    unit == "%" || unit == "％"
}

/// What a growth figure is a change of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthKind {
    /// A level: 增长/下降 X%.
    Level,
    /// A rate or share: 提高/回落 X个百分点.
    Rate,
    /// A price index: 上涨/下降 X%.
    Price,
}

impl GrowthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GrowthKind::Level => "level",
            GrowthKind::Rate => "rate",
            GrowthKind::Price => "price",
        }
    }
}

/// A period: as written (`1—9月`), with the year and months when known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeriodSpec {
    /// As given (dash and digits normalised).
    pub label: String,
    pub year: Option<i32>,
    /// First and last month covered, when known.
    pub months: Option<(u32, u32)>,
}

/// A comparison with a reference: `增速比全省（6.2%）高1.7个百分点`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSpec {
    /// `全省`, `全国`.
    pub label: String,
    /// The reference's growth (%), when known.
    pub value: Option<Figure>,
    /// The gap in 个百分点 (computed from the two rounded rates when not given).
    pub gap: Option<Figure>,
}

/// A rank: `居全省第2位`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankSpec {
    pub scope: String,
    pub pos: u32,
    /// Number of units ranked (`17个市州中`).
    pub of: Option<u32>,
    /// `市州`, `县市区`: what is ranked (with `of`).
    pub of_label: Option<String>,
    /// `arabic` (居全省第2位) or `cn` (全省第二).
    pub style: String,
    /// 首次.
    pub first: bool,
    /// 连续N年.
    pub consecutive: Option<u32>,
}

/// A share: `占全市规上工业比重为62.4%`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareSpec {
    /// The whole, as it is named in the text.
    pub of: String,
    pub pct: Option<Figure>,
    /// The whole's value (same unit as the indicator), or the id of the indicator
    /// that is the whole.
    pub whole: Option<Figure>,
    pub whole_id: Option<String>,
}

/// `38个工业大类行业中有29个`: the whole of a count.
#[derive(Debug, Clone, PartialEq)]
pub struct WholeSpec {
    pub value: Figure,
    /// `工业大类行业`.
    pub label: String,
    /// `增长面` and its percentage (computed when not given).
    pub pct_label: Option<String>,
    pub pct: Option<Figure>,
}

/// A target: `力争规上工业增加值增长8%以上`, `确保新增规上工业企业50家`.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpec {
    /// `力争`, `确保`, `预计`, `计划`, `争取`.
    pub verb: String,
    /// A growth target (%).
    pub growth: Option<Figure>,
    /// A level target.
    pub value: Option<Figure>,
    /// `以上`, `左右`.
    pub qualifier: Option<String>,
}

/// One indicator record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicator {
    pub id: Option<String>,
    pub name: String,
    pub scope: Option<String>,
    pub period: Option<PeriodSpec>,
    pub value: Option<Figure>,
    pub prev: Option<Figure>,
    pub growth: Option<Figure>,
    pub kind: Option<GrowthKind>,
    /// `同比`, `比上年`.
    pub basis: Option<String>,
    /// Growth at constant prices (增加值, GDP): not derivable from levels.
    pub real: Option<bool>,
    pub compare: Option<CompareSpec>,
    pub rank: Option<RankSpec>,
    pub share: Option<ShareSpec>,
    pub whole: Option<WholeSpec>,
    pub target: Option<TargetSpec>,
    pub parts: Vec<Indicator>,
    /// The parts cover the whole (their sum must equal the total).
    pub complete: bool,
    pub group: Option<String>,
    pub note: Option<String>,
    /// Fields computed by `derive` (`growth`, `value`, `share.pct` …).
    pub computed: Vec<String>,
    /// Extra fields of the record, passed to templates unchanged.
    pub extra: Map<String, Json>,
}

impl Indicator {
    /// The growth kind, defaulting by unit and name.
    pub fn growth_kind(&self) -> GrowthKind {
        if let Some(k) = self.kind {
            return k;
        }
        match &self.growth {
            Some(g) if g.unit == "个百分点" => GrowthKind::Rate,
            _ => {
                if self
                    .value
                    .as_ref()
                    .is_some_and(|v| is_percent(&v.unit) && !self.name.contains("增速"))
                {
                    GrowthKind::Rate
                } else if self.name.contains("价格") || self.name.contains("指数") {
                    GrowthKind::Price
                } else {
                    GrowthKind::Level
                }
            }
        }
    }

    /// Whether growth is at constant prices (增加值, 生产总值) unless said otherwise.
    pub fn is_real(&self) -> bool {
        self.real
            .unwrap_or_else(|| self.name.contains("增加值") || self.name.contains("生产总值"))
    }

    /// Every figure a reader should find in the text: (field, figure).
    pub fn figures(&self) -> Vec<(&'static str, &Figure)> {
        let mut v = Vec::new();
        if let Some(f) = &self.value {
            v.push(("value", f));
        }
        if let Some(f) = &self.growth {
            v.push(("growth", f));
        }
        v
    }
}

/// A data file read: document fields and indicators.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    /// Where it was read from.
    pub path: String,
    /// Document fields (`region`, `year`, `date`, `sections` …).
    pub fields: Map<String, Json>,
    pub indicators: Vec<Indicator>,
}

impl ReportData {
    /// The template named by the data (`report.template`).
    pub fn template(&self) -> Option<&str> {
        self.fields.get("template").and_then(Json::as_str)
    }

    /// The report's year (`report.year`), if given.
    pub fn year(&self) -> Option<i32> {
        self.fields
            .get("year")
            .and_then(|y| y.as_i64().or_else(|| y.as_str()?.trim().parse().ok()))
            .and_then(|y| i32::try_from(y).ok())
    }

    /// Gives every achieved figure a period: its own, else the report's `period`
    /// (`1—9月`), else the report's `year`; a period without a year takes the
    /// report's. Targets without a period keep none (they are for a later year).
    pub fn fill_periods(&mut self) {
        let year = self.year();
        let default = self
            .fields
            .get("period")
            .and_then(Json::as_str)
            .and_then(parse_period)
            .or_else(|| {
                year.map(|y| PeriodSpec {
                    label: format!("{y}年"),
                    year: Some(y),
                    months: Some((1, 12)),
                })
            });
        fn fill(i: &mut Indicator, default: Option<&PeriodSpec>, year: Option<i32>) {
            // Everything but a bare target is an achieved figure (totals and
            // shares may be computed later).
            let achieved = i.target.is_none() || i.value.is_some() || i.growth.is_some();
            if i.period.is_none() && achieved {
                i.period = default.cloned();
            }
            if let Some(p) = &mut i.period {
                if p.year.is_none() {
                    p.year = year;
                }
            }
            let inherited = i.period.clone();
            for part in &mut i.parts {
                if part.period.is_none() {
                    part.period = inherited.clone();
                }
                if part.basis.is_none() {
                    part.basis = i.basis.clone();
                }
                fill(part, default, year);
            }
        }
        for i in &mut self.indicators {
            fill(i, default.as_ref(), year);
        }
    }
}

/// A data file that could not be read, in Chinese, with the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub path: String,
    /// `第3行`, `indicators 第2项（工业投资）的 growth`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}：{}", self.path, self.message)
        } else {
            write!(f, "{}：{}：{}", self.path, self.place, self.message)
        }
    }
}

impl std::error::Error for DataError {}

/// The flat columns of a CSV or xlsx row.
pub const COLUMNS: &[(&str, &str)] = &[
    ("id", "标识（供模板引用）"),
    ("scope", "范围（示例县）；--each scope 按此分组"),
    ("group", "所属部分（运行、投资 …）"),
    ("name", "指标名称（必填）"),
    ("period", "期间（2025年、1—9月、一季度）"),
    ("value", "数值"),
    ("unit", "单位（亿元、万元、%、家）"),
    ("decimals", "数值的小数位"),
    ("prev", "上期数值（同单位）"),
    ("growth", "增速（%）或变化（个百分点）"),
    ("growth_unit", "增速的单位：%（默认）或 个百分点"),
    (
        "kind",
        "level（增长/下降）、rate（提高/回落）、price（上涨/下降）",
    ),
    ("basis", "同比、比上年"),
    ("compare_label", "比较对象（全省）"),
    ("compare_value", "比较对象的增速（%）"),
    ("rank_scope", "排名范围（全省）"),
    ("rank_pos", "位次"),
    ("rank_of", "参与排名的单位数"),
    ("rank_of_label", "参与排名的单位（市州）"),
    ("rank_style", "arabic（居全省第2位）或 cn（全省第二）"),
    ("rank_first", "首次（是/否）"),
    ("rank_consecutive", "连续年数"),
    ("share_of", "占比的整体名称"),
    ("share_pct", "占比（%）"),
    ("target_verb", "目标用语（力争、确保）"),
    ("target_growth", "目标增速（%）"),
    ("target_value", "目标数值"),
    ("target_qualifier", "以上、左右"),
    ("note", "备注"),
];

/// Reads a data file by extension: `.yaml`/`.yml`, `.json`, `.csv`, `.xlsx`.
pub fn read_path(path: &Path) -> Result<ReportData, DataError> {
    let shown = path.display().to_string();
    let err = |m: String| DataError {
        path: shown.clone(),
        place: String::new(),
        message: m,
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext == "xlsx" || ext == "xlsm" {
        return read_xlsx(path);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| err(format!("无法读取：{}", crate::load::io_reason(&e))))?;
    let text = crate::load::decode::decode(&bytes)
        .map_err(|_| err("不是可读的文本文件（编码无法识别）".into()))?
        .text;
    match ext.as_str() {
        "csv" | "tsv" | "txt" => read_csv(&text, &shown),
        "json" => read_json_text(&text, &shown),
        "yaml" | "yml" => read_yaml_text(&text, &shown),
        _ => Err(err(format!(
            "不认识的数据文件类型“.{ext}”，应为 .yaml、.yml、.json、.csv 或 .xlsx"
        ))),
    }
}

/// Reads YAML text.
pub fn read_yaml_text(text: &str, path: &str) -> Result<ReportData, DataError> {
    let v: Json = crate::load::yaml::from_str(text, path).map_err(|e| DataError {
        path: path.to_owned(),
        place: format!("第{}行第{}列", e.line, e.column),
        message: e.message,
    })?;
    from_json(v, path)
}

/// Reads JSON text.
pub fn read_json_text(text: &str, path: &str) -> Result<ReportData, DataError> {
    let v: Json = serde_json::from_str(text).map_err(|e| DataError {
        path: path.to_owned(),
        place: format!("第{}行第{}列", e.line(), e.column()),
        message: format!("JSON 格式有误（{e}）"),
    })?;
    from_json(v, path)
}

/// Builds report data from a parsed YAML/JSON document.
pub fn from_json(v: Json, path: &str) -> Result<ReportData, DataError> {
    let Json::Object(mut top) = v else {
        return Err(DataError {
            path: path.to_owned(),
            place: String::new(),
            message: "数据文件的顶层应为映射（含 report 和 indicators）".into(),
        });
    };
    if top.contains_key("files") && top.contains_key("version") {
        return from_extraction(Json::Object(top), path);
    }
    let fields = match top.remove("report") {
        Some(Json::Object(m)) => m,
        Some(Json::Null) | None => Map::new(),
        Some(_) => {
            return Err(DataError {
                path: path.to_owned(),
                place: "report".into(),
                message: "report 应为映射（地区、年份、日期等文档字段）".into(),
            });
        }
    };
    let list = match top.remove("indicators") {
        Some(Json::Array(a)) => a,
        Some(Json::Null) | None => Vec::new(),
        Some(_) => {
            return Err(DataError {
                path: path.to_owned(),
                place: "indicators".into(),
                message: "indicators 应为列表，每项一个指标".into(),
            });
        }
    };
    if let Some(k) = top.keys().next() {
        return Err(DataError {
            path: path.to_owned(),
            place: k.clone(),
            message: format!("不认识的顶层字段“{k}”，只能有 report 和 indicators"),
        });
    }
    let mut indicators = Vec::new();
    for (i, item) in list.into_iter().enumerate() {
        let place = format!("indicators 第{}项", i + 1);
        indicators.push(
            indicator_from_json(item, &place).map_err(|(place, message)| DataError {
                path: path.to_owned(),
                place,
                message,
            })?,
        );
    }
    Ok(ReportData {
        path: path.to_owned(),
        fields,
        indicators,
    })
}

type FieldErr = (String, String);

fn figure_of(v: &Json, unit: &str, place: &str, field: &str) -> Result<Figure, FieldErr> {
    match v {
        Json::Number(n) => Figure::parse(&n.to_string(), unit),
        Json::String(s) => Figure::parse(s, unit),
        _ => None,
    }
    .ok_or_else(|| {
        (
            format!("{place}的 {field}"),
            format!("应为数字，实际是 {}", short(v)),
        )
    })
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 30 {
        format!("{}…", s.chars().take(30).collect::<String>())
    } else {
        s
    }
}

fn string_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.trim().to_owned()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn bool_of(v: &Json) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(*b),
        Json::String(s) => match s.trim() {
            "是" | "true" | "yes" | "y" | "1" | "首次" => Some(true),
            "否" | "false" | "no" | "n" | "0" | "" => Some(false),
            _ => None,
        },
        Json::Number(n) => Some(n.as_i64() != Some(0)),
        _ => None,
    }
}

fn u32_of(v: &Json, place: &str, field: &str) -> Result<u32, FieldErr> {
    let n = match v {
        Json::Number(n) => n.as_u64(),
        Json::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
        (
            format!("{place}的 {field}"),
            format!("应为正整数，实际是 {}", short(v)),
        )
    })
}

fn take_str(m: &mut Map<String, Json>, k: &str) -> Option<String> {
    m.remove(k)
        .and_then(|v| string_of(&v))
        .filter(|s| !s.is_empty())
}

/// Removes a key, treating null and "" as absent.
fn take(m: &mut Map<String, Json>, k: &str) -> Option<Json> {
    match m.remove(k) {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) if s.trim().is_empty() => None,
        Some(v) => Some(v),
    }
}

/// Parses one indicator record.
pub fn indicator_from_json(v: Json, place: &str) -> Result<Indicator, FieldErr> {
    let Json::Object(mut m) = v else {
        return Err((
            place.to_owned(),
            "每个指标应为映射（name、value、unit …）".into(),
        ));
    };
    let name = take_str(&mut m, "name")
        .ok_or_else(|| (place.to_owned(), "缺少指标名称 name".to_owned()))?;
    let place = format!("{place}（{name}）");
    let place = place.as_str();
    let unit = take_str(&mut m, "unit").unwrap_or_default();
    let decimals = take(&mut m, "decimals")
        .map(|d| u32_of(&d, place, "decimals"))
        .transpose()?;
    let fix = |mut f: Figure| {
        if let Some(d) = decimals {
            f.decimals = d;
        }
        f
    };
    let value = take(&mut m, "value")
        .map(|v| figure_of(&v, &unit, place, "value").map(fix))
        .transpose()?;
    let prev = take(&mut m, "prev")
        .map(|v| figure_of(&v, &unit, place, "prev").map(fix))
        .transpose()?;
    let mut kind = match take_str(&mut m, "kind").as_deref() {
        None => None,
        Some("level" | "水平") => Some(GrowthKind::Level),
        Some("rate" | "比率") => Some(GrowthKind::Rate),
        Some("price" | "价格") => Some(GrowthKind::Price),
        Some(k) => {
            return Err((
                format!("{place}的 kind"),
                format!("“{k}”不是可用的取值，应为 level、rate 或 price"),
            ));
        }
    };
    let mut basis = take_str(&mut m, "basis");
    let growth_unit = take_str(&mut m, "growth_unit");
    let growth = match take(&mut m, "growth") {
        None => None,
        Some(Json::Object(mut g)) => {
            let u = take_str(&mut g, "unit").unwrap_or_else(|| "%".into());
            if let Some(b) = take_str(&mut g, "basis") {
                basis = Some(b);
            }
            if let Some(k) = take_str(&mut g, "kind") {
                kind = match k.as_str() {
                    "rate" => Some(GrowthKind::Rate),
                    "price" => Some(GrowthKind::Price),
                    _ => Some(GrowthKind::Level),
                };
            }
            let v = take(&mut g, "value").ok_or_else(|| {
                (
                    format!("{place}的 growth"),
                    "缺少 value（增速数值）".to_owned(),
                )
            })?;
            Some(figure_of(&v, &norm_growth_unit(&u), place, "growth")?)
        }
        Some(v) => Some(figure_of(
            &v,
            &norm_growth_unit(growth_unit.as_deref().unwrap_or("%")),
            place,
            "growth",
        )?),
    };
    let real = take(&mut m, "real").and_then(|v| bool_of(&v));
    let period = take(&mut m, "period")
        .map(|p| period_from_json(&p))
        .transpose()
        .map_err(|e| (format!("{place}的 period"), e))?;
    let compare = compare_from(&mut m, place)?;
    let rank = rank_from(&mut m, place)?;
    let share = share_from(&mut m, &unit, place)?;
    let whole = whole_from(&mut m, place)?;
    let target = target_from(&mut m, &unit, place)?;
    let parts = match take(&mut m, "parts") {
        None => Vec::new(),
        Some(Json::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let p = match p {
                    Json::Object(mut pm) => {
                        if !pm.contains_key("unit") && !unit.is_empty() {
                            pm.insert("unit".into(), Json::String(unit.clone()));
                        }
                        Json::Object(pm)
                    }
                    other => other,
                };
                indicator_from_json(p, &format!("{place}的 parts 第{}项", i + 1))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err((
                format!("{place}的 parts"),
                "应为列表（分项指标）".to_owned(),
            ));
        }
    };
    let complete = take(&mut m, "complete")
        .and_then(|v| bool_of(&v))
        .unwrap_or(false);
    Ok(Indicator {
        id: take_str(&mut m, "id"),
        scope: take_str(&mut m, "scope"),
        group: take_str(&mut m, "group"),
        note: take_str(&mut m, "note"),
        name,
        period,
        value,
        prev,
        growth,
        kind,
        basis,
        real,
        compare,
        rank,
        share,
        whole,
        target,
        parts,
        complete,
        computed: Vec::new(),
        extra: m,
    })
}

fn norm_growth_unit(u: &str) -> String {
    match u.trim() {
        "pp" | "百分点" | "个百分点" => "个百分点".into(),
        "倍" | "times" => "倍".into(),
        _ => "%".into(),
    }
}

/// Reads a sub-mapping either nested (`rank: {pos: 2}`) or flat (`rank_pos: 2`).
fn sub(m: &mut Map<String, Json>, key: &str, fields: &[&str]) -> Option<Map<String, Json>> {
    let mut out = match take(m, key) {
        Some(Json::Object(o)) => o,
        Some(other) => {
            let mut o = Map::new();
            o.insert("_".into(), other);
            o
        }
        None => Map::new(),
    };
    for f in fields {
        if let Some(v) = take(m, &format!("{key}_{f}")) {
            out.insert((*f).to_owned(), v);
        }
    }
    if out.is_empty() { None } else { Some(out) }
}

fn compare_from(m: &mut Map<String, Json>, place: &str) -> Result<Option<CompareSpec>, FieldErr> {
    let Some(mut c) = sub(m, "compare", &["label", "value", "gap"]) else {
        return Ok(None);
    };
    let label = take_str(&mut c, "label")
        .or_else(|| take_str(&mut c, "ref_label"))
        .or_else(|| take_str(&mut c, "_"))
        .ok_or_else(|| {
            (
                format!("{place}的 compare"),
                "缺少比较对象 label（全省、全国）".to_owned(),
            )
        })?;
    let value = take(&mut c, "value")
        .or_else(|| take(&mut c, "ref_value"))
        .map(|v| figure_of(&v, "%", place, "compare.value"))
        .transpose()?;
    let gap = take(&mut c, "gap")
        .map(|v| figure_of(&v, "个百分点", place, "compare.gap"))
        .transpose()?;
    Ok(Some(CompareSpec { label, value, gap }))
}

fn rank_from(m: &mut Map<String, Json>, place: &str) -> Result<Option<RankSpec>, FieldErr> {
    let Some(mut r) = sub(
        m,
        "rank",
        &[
            "scope",
            "pos",
            "of",
            "of_label",
            "style",
            "first",
            "consecutive",
        ],
    ) else {
        return Ok(None);
    };
    let pos = take(&mut r, "pos")
        .or_else(|| take(&mut r, "_"))
        .ok_or_else(|| {
            (
                format!("{place}的 rank"),
                "缺少位次 pos（居全省第几位）".to_owned(),
            )
        })?;
    let pos = u32_of(&pos, place, "rank.pos")?;
    if pos == 0 {
        return Err((format!("{place}的 rank.pos"), "位次从1开始".to_owned()));
    }
    let of = take(&mut r, "of")
        .map(|v| u32_of(&v, place, "rank.of"))
        .transpose()?;
    let style = take_str(&mut r, "style").unwrap_or_else(|| "arabic".into());
    if style != "arabic" && style != "cn" {
        return Err((
            format!("{place}的 rank.style"),
            format!("“{style}”不是可用的取值，应为 arabic（第2位）或 cn（第二）"),
        ));
    }
    Ok(Some(RankSpec {
        scope: take_str(&mut r, "scope").unwrap_or_else(|| "全省".into()),
        pos,
        of,
        of_label: take_str(&mut r, "of_label"),
        style,
        first: take(&mut r, "first")
            .and_then(|v| bool_of(&v))
            .unwrap_or(false),
        consecutive: take(&mut r, "consecutive")
            .map(|v| u32_of(&v, place, "rank.consecutive"))
            .transpose()?
            .filter(|n| *n >= 2),
    }))
}

fn share_from(
    m: &mut Map<String, Json>,
    unit: &str,
    place: &str,
) -> Result<Option<ShareSpec>, FieldErr> {
    let Some(mut s) = sub(m, "share", &["of", "pct", "whole", "whole_id"]) else {
        return Ok(None);
    };
    let of = take_str(&mut s, "of").ok_or_else(|| {
        (
            format!("{place}的 share"),
            "缺少整体名称 of（占什么的比重）".to_owned(),
        )
    })?;
    let pct = take(&mut s, "pct")
        .or_else(|| take(&mut s, "_"))
        .map(|v| figure_of(&v, "%", place, "share.pct"))
        .transpose()?;
    let whole = take(&mut s, "whole")
        .map(|v| figure_of(&v, unit, place, "share.whole"))
        .transpose()?;
    Ok(Some(ShareSpec {
        of,
        pct,
        whole,
        whole_id: take_str(&mut s, "whole_id"),
    }))
}

fn whole_from(m: &mut Map<String, Json>, place: &str) -> Result<Option<WholeSpec>, FieldErr> {
    let Some(mut w) = sub(m, "whole", &["value", "label", "pct", "pct_label"]) else {
        return Ok(None);
    };
    let v = take(&mut w, "value")
        .or_else(|| take(&mut w, "_"))
        .ok_or_else(|| (format!("{place}的 whole"), "缺少总数 value".to_owned()))?;
    let value = figure_of(&v, "个", place, "whole.value")?;
    let label = take_str(&mut w, "label").ok_or_else(|| {
        (
            format!("{place}的 whole"),
            "缺少总体名称 label（工业大类行业）".to_owned(),
        )
    })?;
    Ok(Some(WholeSpec {
        value,
        label,
        pct_label: take_str(&mut w, "pct_label"),
        pct: take(&mut w, "pct")
            .map(|v| figure_of(&v, "%", place, "whole.pct"))
            .transpose()?,
    }))
}

fn target_from(
    m: &mut Map<String, Json>,
    unit: &str,
    place: &str,
) -> Result<Option<TargetSpec>, FieldErr> {
    let Some(mut t) = sub(m, "target", &["verb", "growth", "value", "qualifier"]) else {
        return Ok(None);
    };
    let growth = take(&mut t, "growth")
        .map(|v| figure_of(&v, "%", place, "target.growth"))
        .transpose()?;
    let value = take(&mut t, "value")
        .or_else(|| take(&mut t, "_"))
        .map(|v| figure_of(&v, unit, place, "target.value"))
        .transpose()?;
    if growth.is_none() && value.is_none() {
        return Err((
            format!("{place}的 target"),
            "目标需要 growth（增速）或 value（数值）".to_owned(),
        ));
    }
    Ok(Some(TargetSpec {
        verb: take_str(&mut t, "verb").unwrap_or_else(|| "力争".into()),
        growth,
        value,
        qualifier: take_str(&mut t, "qualifier"),
    }))
}

const CN_DIGITS: &str = "〇一二三四五六七八九";

/// Parses a period: `2025年`, `2025`, `1-9月`, `2025年1—9月`, `一季度`, `上半年`,
/// `前三季度`, `全年`, or `{label, year, start, end}`.
pub fn period_from_json(v: &Json) -> Result<PeriodSpec, String> {
    match v {
        Json::Number(n) => {
            let y = n
                .as_i64()
                .and_then(|y| i32::try_from(y).ok())
                .ok_or_else(|| format!("期间“{n}”应为年份或期间名称"))?;
            Ok(PeriodSpec {
                label: format!("{y}年"),
                year: Some(y),
                months: Some((1, 12)),
            })
        }
        Json::String(s) => parse_period(s).ok_or_else(|| {
            format!("看不懂期间“{s}”，可写 2025年、1—9月、2025年1—9月、一季度、上半年、全年")
        }),
        Json::Object(m) => {
            let year = m
                .get("year")
                .and_then(Json::as_i64)
                .and_then(|y| i32::try_from(y).ok());
            let start = m.get("start").and_then(Json::as_u64);
            let end = m.get("end").and_then(Json::as_u64);
            let months = match (start, end) {
                (Some(a), Some(b)) if (1..=b).contains(&a) && b <= 12 => Some((a as u32, b as u32)),
                (None, None) => None,
                _ => return Err("start、end 应为 1 到 12 的月份，且 start 不大于 end".into()),
            };
            let label = match m.get("label").and_then(Json::as_str) {
                Some(l) => l.to_owned(),
                None => months
                    .map(|(a, b)| month_label(a, b))
                    .or_else(|| year.map(|y| format!("{y}年")))
                    .ok_or("期间需要 label、year 或 start/end")?,
            };
            let mut p = parse_period(&label).unwrap_or(PeriodSpec {
                label,
                year: None,
                months: None,
            });
            if year.is_some() {
                p.year = year;
            }
            if months.is_some() {
                p.months = months;
            }
            Ok(p)
        }
        _ => Err(format!("期间应为文字或映射，实际是 {}", short(v))),
    }
}

/// `1—9月`, `一季度`, `上半年`, `前三季度`, `全年`, `5月`.
pub fn month_label(a: u32, b: u32) -> String {
    match (a, b) {
        (1, 12) => "全年".into(),
        (1, 3) => "一季度".into(),
        (1, 6) => "上半年".into(),
        (1, 9) => "前三季度".into(),
        (a, b) if a == b => format!("{a}月"),
        (a, b) => format!("{a}—{b}月"),
    }
}

/// Parses a period label.
pub fn parse_period(s: &str) -> Option<PeriodSpec> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // Normalise the range dash: 1-9月, 1~9月, 1至9月, 1–9月 → 1—9月.
    let mut norm = String::new();
    let chars: Vec<char> = t.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if between_digits && matches!(c, '-' | '~' | '～' | '–' | '－' | '至' | '到') {
            norm.push('—');
        } else {
            norm.push(*c);
        }
    }
    let (year, rest) = match norm.find('年') {
        Some(i) if norm[..i].chars().all(|c| c.is_ascii_digit()) && i == 4 => {
            (norm[..i].parse::<i32>().ok(), &norm[i + '年'.len_utf8()..])
        }
        _ if norm.len() == 4 && norm.chars().all(|c| c.is_ascii_digit()) => {
            (norm.parse::<i32>().ok(), "")
        }
        _ => (None, norm.as_str()),
    };
    let months = match rest {
        "" | "全年" => {
            if year.is_none() && rest.is_empty() {
                return None;
            }
            Some((1, 12))
        }
        "一季度" | "第一季度" => Some((1, 3)),
        "二季度" | "第二季度" => Some((4, 6)),
        "三季度" | "第三季度" => Some((7, 9)),
        "四季度" | "第四季度" => Some((10, 12)),
        "上半年" => Some((1, 6)),
        "下半年" => Some((7, 12)),
        "前三季度" => Some((1, 9)),
        r => {
            let r = r.strip_suffix("份").unwrap_or(r);
            let r = r.strip_suffix('月')?;
            let (a, b) = match r.split_once('—') {
                Some((a, b)) => (a, b),
                None => (r, r),
            };
            let a = if a == "元" {
                1
            } else {
                a.parse::<u32>().ok()?
            };
            let b = b.parse::<u32>().ok()?;
            if !(1..=b).contains(&a) || b > 12 {
                return None;
            }
            Some((a, b))
        }
    };
    let _ = CN_DIGITS;
    Some(PeriodSpec {
        label: norm.clone(),
        year,
        months,
    })
}

// ------------------------------------------------------------------ CSV / xlsx

/// Reads CSV text: `# key: value` lines, then a header row, then one indicator
/// per row.
pub fn read_csv(text: &str, path: &str) -> Result<ReportData, DataError> {
    let mut fields = Map::new();
    let mut body_start = 0;
    let mut line_no = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim();
        if let Some(meta) = l.strip_prefix('#') {
            line_no += 1;
            body_start += line.len();
            if let Some((k, v)) = meta.split_once([':', '：']) {
                fields.insert(k.trim().to_owned(), meta_value(v.trim()));
            }
        } else if l.is_empty() {
            line_no += 1;
            body_start += line.len();
        } else {
            break;
        }
    }
    let body = &text[body_start..];
    let delim = if path.ends_with(".tsv") { b'\t' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| DataError {
            path: path.to_owned(),
            place: format!("第{}行", line_no + 1),
            message: format!("CSV 表头无法读取（{e}）"),
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| DataError {
            path: path.to_owned(),
            place: format!("第{}行", line_no + i + 2),
            message: format!("CSV 行无法读取（{e}）"),
        })?;
        rows.push(rec.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    rows_to_data(path, fields, &header, rows, line_no + 1)
}

fn meta_value(v: &str) -> Json {
    if let Ok(i) = v.parse::<i64>() {
        return Json::from(i);
    }
    Json::String(v.to_owned())
}

fn rows_to_data(
    path: &str,
    fields: Map<String, Json>,
    header: &[String],
    rows: Vec<Vec<String>>,
    header_line: usize,
) -> Result<ReportData, DataError> {
    let known: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
    for h in header {
        if !h.is_empty() && !known.contains(&h.as_str()) && !h.starts_with("x_") {
            return Err(DataError {
                path: path.to_owned(),
                place: format!("第{header_line}行（表头）"),
                message: format!(
                    "不认识的列“{h}”；可用的列：{}（自定义列以 x_ 开头）",
                    known.join("、")
                ),
            });
        }
    }
    if !header.iter().any(|h| h == "name") {
        return Err(DataError {
            path: path.to_owned(),
            place: format!("第{header_line}行（表头）"),
            message: "缺少 name 列（指标名称）".into(),
        });
    }
    let mut indicators = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut m = Map::new();
        for (h, c) in header.iter().zip(row) {
            let c = c.trim();
            if !c.is_empty() && !h.is_empty() {
                m.insert(h.clone(), Json::String(c.to_owned()));
            }
        }
        let place = format!("第{}行", header_line + i + 1);
        indicators.push(indicator_from_json(Json::Object(m), &place).map_err(
            |(place, message)| DataError {
                path: path.to_owned(),
                place,
                message,
            },
        )?);
    }
    Ok(ReportData {
        path: path.to_owned(),
        fields,
        indicators,
    })
}

/// Reads an Excel workbook: the first sheet (or one named `indicators`/`指标`)
/// holds the rows; a sheet named `report`/`报告` holds document fields.
pub fn read_xlsx(path: &Path) -> Result<ReportData, DataError> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let shown = path.display().to_string();
    let err = |place: String, m: String| DataError {
        path: shown.clone(),
        place,
        message: m,
    };
    let mut wb: Xlsx<_> = open_workbook(path)
        .map_err(|e| err(String::new(), format!("无法打开 Excel 文件（{e}）")))?;
    let names = wb.sheet_names().clone();
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) => {
                // A cell computed in Excel holds binary noise (0.1+0.2 is
                // 0.30000000000000004): ten decimals are more than any report writes.
                let s = format!("{f:.10}");
                let s = s.trim_end_matches('0');
                s.strip_suffix('.').unwrap_or(s).to_owned()
            }
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    };
    let mut fields = Map::new();
    if let Some(meta) = names.iter().find(|n| *n == "report" || *n == "报告") {
        let range = wb
            .worksheet_range(meta)
            .map_err(|e| err(format!("工作表“{meta}”"), format!("无法读取（{e}）")))?;
        for row in range.rows() {
            let k = row.first().map(&cell).unwrap_or_default();
            let v = row.get(1).map(&cell).unwrap_or_default();
            if !k.trim().is_empty() {
                fields.insert(k.trim().to_owned(), meta_value(v.trim()));
            }
        }
    }
    let sheet = names
        .iter()
        .find(|n| *n == "indicators" || *n == "指标")
        .or_else(|| names.iter().find(|n| *n != "report" && *n != "报告"))
        .cloned()
        .ok_or_else(|| err(String::new(), "工作簿里没有指标工作表".into()))?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| err(format!("工作表“{sheet}”"), format!("无法读取（{e}）")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| cell(c).trim().to_owned()).collect())
        .unwrap_or_default();
    let body: Vec<Vec<String>> = rows.map(|r| r.iter().map(&cell).collect()).collect();
    rows_to_data(&shown, fields, &header, body, 1).map_err(|mut e| {
        e.place = format!("工作表“{sheet}”{}", e.place);
        e
    })
}

// ------------------------------------------------------------ from extraction

/// Converts the output of `jiaohe extract --format yaml|json` into report data:
/// one indicator per statement (parts kept as parts), the document's place as
/// `region`, its date as `date` and year.
pub fn from_extraction(v: Json, path: &str) -> Result<ReportData, DataError> {
    #[derive(serde::Deserialize)]
    struct Doc {
        files: Vec<crate::extract::FileFacts>,
    }
    let doc: Doc = serde_json::from_value(v).map_err(|e| DataError {
        path: path.to_owned(),
        place: String::new(),
        message: format!("看起来是 jiaohe extract 的输出，但结构不对（{e}）"),
    })?;
    let Some(file) = doc.files.into_iter().next() else {
        return Err(DataError {
            path: path.to_owned(),
            place: String::new(),
            message: "extract 输出里没有文件".into(),
        });
    };
    let mut fields = Map::new();
    if let Some(s) = &file.scope {
        fields.insert("region".into(), Json::String(s.clone()));
    }
    if let Some(d) = &file.date {
        fields.insert("date".into(), Json::String(d.date.to_string()));
    }
    let doc_date = file.date.as_ref().map(|d| d.date);
    fields.insert("source".into(), Json::String(file.path.clone()));
    let indicators: Vec<Indicator> = file
        .statements
        .iter()
        .filter_map(|s| statement_to_indicator(s, doc_date))
        .collect();
    // The report's year and period: the most frequent among achieved figures
    // (the first one on a tie) — `全年`, `1—9月`, `一季度` ….
    let periods: Vec<(i32, Option<(u32, u32)>)> = indicators
        .iter()
        .filter(|i| i.target.is_none())
        .filter_map(|i| Some((i.period.as_ref()?.year?, i.period.as_ref()?.months)))
        .collect();
    type Main = ((i32, Option<(u32, u32)>), usize);
    let mut main: Option<Main> = None;
    for p in &periods {
        let n = periods.iter().filter(|q| *q == p).count();
        if main.is_none_or(|(_, m)| n > m) {
            main = Some((*p, n));
        }
    }
    if let Some(((y, months), _)) = main {
        fields.insert("year".into(), Json::from(y));
        let (a, b) = months.unwrap_or((1, 12));
        fields.insert("period".into(), Json::String(month_label(a, b)));
    }
    Ok(ReportData {
        path: path.to_owned(),
        fields,
        indicators,
    })
}

fn quantity_figure(q: &crate::extract::Quantity) -> Figure {
    Figure::new(q.number, q.decimals, q.unit_text())
}

fn statement_to_indicator(
    s: &crate::extract::Statement,
    doc_date: Option<chrono::NaiveDate>,
) -> Option<Indicator> {
    use crate::extract::{Direction, UnitKind};
    let name = s.indicator.as_ref()?.text.clone();
    let mut ind = Indicator {
        name,
        // A scope carried over from an earlier clause is not repeated.
        scope: s
            .scope
            .as_ref()
            .filter(|x| !x.inherited)
            .map(|x| x.text.clone()),
        period: s.period.as_ref().map(|p| {
            let mut spec = parse_period(&p.text).unwrap_or(PeriodSpec {
                label: p.text.clone(),
                year: None,
                months: None,
            });
            if let (Some(a), Some(b)) = (p.start, p.end) {
                spec.year = Some(chrono::Datelike::year(&b));
                if chrono::Datelike::year(&a) == chrono::Datelike::year(&b) {
                    spec.months = Some((chrono::Datelike::month(&a), chrono::Datelike::month(&b)));
                }
            }
            // A relative or year-less label (`全年`, `上年`) is written out with
            // its resolved year: the new report is read in another year.
            if let Some(y) = spec.year {
                if !spec.label.starts_with(|c: char| c.is_ascii_digit()) {
                    // An achieved `全年` cannot end after the document's date:
                    // it is the year before (a January review of last year).
                    let y = match (doc_date, p.end) {
                        (Some(d), Some(end)) if s.target.is_none() && end > d => y - 1,
                        _ => y,
                    };
                    spec.year = Some(y);
                    spec.label = match spec.months {
                        Some((1, 12)) | None => format!("{y}年"),
                        Some((a, b)) => format!("{y}年{}", month_label(a, b)),
                    };
                }
            }
            spec
        }),
        ..Indicator::default()
    };
    if s.target.is_none() {
        ind.value = s
            .value
            .as_ref()
            .filter(|q| q.qualifier.is_none())
            .map(quantity_figure);
    }
    let growth = s.change.as_ref().and_then(|c| {
        let a = c.amount.as_ref()?;
        if c.to_level {
            return None;
        }
        let sign = match c.direction {
            Direction::Down => -Decimal::ONE,
            Direction::Flat => Decimal::ZERO,
            _ => Decimal::ONE,
        };
        let (unit, kind) = match a.unit_kind {
            UnitKind::Percent => ("%", None),
            UnitKind::Point => ("个百分点", Some(GrowthKind::Rate)),
            UnitKind::Times => ("倍", None),
            _ => return None,
        };
        let mut f = Figure::new(a.number * sign, a.decimals, unit);
        if unit == "倍" {
            f = Figure::new(
                a.number * Decimal::from(100),
                a.decimals.saturating_sub(2),
                "%",
            );
        }
        Some((f, kind, c.basis.clone()))
    });
    if let Some((g, k, basis)) = growth {
        if let Some(t) = &s.target {
            ind.target = Some(TargetSpec {
                verb: t.word.clone(),
                growth: Some(g),
                value: None,
                qualifier: s
                    .change
                    .as_ref()
                    .and_then(|c| c.amount.as_ref()?.qualifier.as_ref())
                    .map(|q| q.text.clone()),
            });
        } else {
            ind.growth = Some(g);
            ind.kind = k;
            ind.basis = basis;
        }
    } else if let (Some(t), Some(v)) = (&s.target, &s.value) {
        ind.target = Some(TargetSpec {
            verb: t.word.clone(),
            growth: None,
            value: Some(quantity_figure(v)),
            qualifier: v.qualifier.as_ref().map(|q| q.text.clone()),
        });
    }
    if let Some(c) = s.comparisons.first() {
        if c.amount.unit_kind == UnitKind::Point && c.of_rate.is_none() {
            ind.compare = Some(CompareSpec {
                label: c.reference.clone(),
                value: c.reference_value.as_ref().map(quantity_figure),
                gap: None,
            });
        }
    }
    if let Some(r) = s.ranks.iter().find(|r| r.position.is_some()) {
        ind.rank = Some(RankSpec {
            scope: r.scope.clone().unwrap_or_else(|| "全省".into()),
            pos: r.position.unwrap_or(1),
            of: r.pool,
            of_label: None,
            style: if r.chinese {
                "cn".into()
            } else {
                "arabic".into()
            },
            first: false,
            consecutive: None,
        });
    }
    if let Some(sh) = &s.share {
        if sh.kind == crate::extract::ShareKind::Composition {
            ind.share = Some(ShareSpec {
                of: sh.of.clone().unwrap_or_default(),
                pct: Some(quantity_figure(&sh.percent)),
                whole: None,
                whole_id: None,
            });
        }
    }
    if ind.target.is_some() {
        ind.group = Some("target".into());
    }
    ind.parts = s
        .parts
        .iter()
        .filter_map(|p| statement_to_indicator(p, doc_date))
        .collect();
    if ind.value.is_none() && ind.growth.is_none() && ind.target.is_none() {
        return None;
    }
    Some(ind)
}

/// Groups indicators by a field for `--each`: one data set per distinct value,
/// in order of first appearance; records without the field go to every set.
pub fn split_each(data: &ReportData, field: &str) -> Result<Vec<(String, ReportData)>, String> {
    let key = |i: &Indicator| -> Option<String> {
        match field {
            "scope" => i.scope.clone(),
            "group" => i.group.clone(),
            "period" => i.period.as_ref().map(|p| p.label.clone()),
            "id" => i.id.clone(),
            other => i.extra.get(other).and_then(string_of),
        }
    };
    let mut order: Vec<String> = Vec::new();
    let mut sets: BTreeMap<String, Vec<Indicator>> = BTreeMap::new();
    let mut shared = Vec::new();
    for ind in &data.indicators {
        match key(ind) {
            Some(k) => {
                if !order.contains(&k) {
                    order.push(k.clone());
                }
                sets.entry(k).or_default().push(ind.clone());
            }
            None => shared.push(ind.clone()),
        }
    }
    if order.is_empty() {
        return Err(format!(
            "--each {field}：数据里没有一个指标带 {field} 字段，无法分组"
        ));
    }
    Ok(order
        .into_iter()
        .map(|k| {
            let mut fields = data.fields.clone();
            if field == "scope" {
                fields.insert("region".into(), Json::String(k.clone()));
            }
            fields.insert(field.to_owned(), Json::String(k.clone()));
            let mut inds = shared.clone();
            inds.extend(sets.remove(&k).unwrap_or_default());
            (
                k,
                ReportData {
                    path: data.path.clone(),
                    fields,
                    indicators: inds,
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_keeps_written_decimals() {
        let f = Figure::parse("21.50", "%").unwrap();
        assert_eq!(f.decimals, 2);
        assert_eq!(f.value.to_string(), "21.50");
        assert!(Figure::parse("abc", "").is_none());
        assert_eq!(Figure::parse("1,234.5", "").unwrap().decimals, 1);
    }

    #[test]
    fn periods_parse_and_normalise_the_dash() {
        let p = parse_period("2025年1-9月").unwrap();
        assert_eq!(p.label, "2025年1—9月");
        assert_eq!(p.year, Some(2025));
        assert_eq!(p.months, Some((1, 9)));
        assert_eq!(parse_period("一季度").unwrap().months, Some((1, 3)));
        assert_eq!(parse_period("2025").unwrap().months, Some((1, 12)));
        assert!(parse_period("13月").is_none());
        assert!(parse_period("9—3月").is_none());
    }

    #[test]
    fn units_split_into_magnitude_and_base() {
        assert_eq!(split_unit("亿元"), (Decimal::from(100_000_000), "元"));
        assert_eq!(split_unit("万千瓦时").1, "千瓦时");
        assert_eq!(split_unit("家"), (Decimal::ONE, "家"));
    }

    #[test]
    fn csv_reads_meta_lines_and_rows() {
        let d = read_csv(
            "# region: 示例县\n# year: 2025\nname,value,unit,growth\n工业投资,12.5,亿元,-3.2\n",
            "t.csv",
        )
        .unwrap();
        assert_eq!(d.fields["region"], "示例县");
        assert_eq!(d.fields["year"], 2025);
        assert_eq!(
            d.indicators[0].growth.as_ref().unwrap().value.to_string(),
            "-3.2"
        );
    }

    #[test]
    fn unknown_csv_column_is_named() {
        let e = read_csv("name,valu\n工业投资,1\n", "t.csv").unwrap_err();
        assert!(e.message.contains("valu"), "{e}");
        assert_eq!(e.place, "第1行（表头）");
    }

    #[test]
    fn bad_number_is_named_with_place() {
        let e = read_yaml_text(
            "indicators:\n  - name: 工业投资\n    value: 十二\n",
            "d.yaml",
        )
        .unwrap_err();
        assert!(e.place.contains("工业投资"), "{e}");
        assert!(e.place.contains("value"), "{e}");
    }
}
