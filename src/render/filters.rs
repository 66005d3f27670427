//! The house-style filters and functions (HOUSE-STYLE §3.3).
//!
//! Numbers leave Rust only through these: the environment's formatter refuses a
//! bare float or [`Figure`] (`{{ i.value }}`), because minijinja would print
//! `10.0` or `0.30000000000000004`. All arithmetic is on exact decimals; rounding
//! is 四舍五入 (half away from zero) unless the data say `rounding: even`
//! (GB/T 8170 奇进偶舍: `0.35` → `0.4`, `1.050` → `1.0`).
//!
//! Each filter has a pure Rust core (tested below) and a thin minijinja wrapper
//! registered by [`register`]:
//!
//! | filter | example |
//! |---|---|
//! | `num(d)` | `1286.4` |
//! | `qty(d)` | `1286.4亿元`, `528家` |
//! | `yi(d)`, `wan(d)`, `money(d)` | `28640万元` → `2.86亿元`; `money` picks 亿/万 by size |
//! | `pct(d=1)` | `21.0%` |
//! | `change(kind, times)` | `增长8.6%` / `下降5.3%` / `持平`; rates `提高1.2个百分点` / `回落…`; prices `上涨…` |
//! | `pp(kind)` | `提高1.2个百分点`, `加快…`, `回落…`, `收窄…`/`扩大…` (降幅) |
//! | `times` | `增长2倍` (= three times the base); refuses decreases |
//! | `compare(cmp)` | `比全省（6.2%）高1.7个百分点` / `与全省持平` |
//! | `rank` | `居全省第2位` / `全省第二` / `连续三年居全省第1位` |
//! | `cn_num` | `二十`, `一百零五` |
//! | `period(style)` | `1—9月`, `一季度`, `2025年1—9月` |
//! | `range(a, b)` | `5亿～10亿元`, `15%～30%`, `1—9月` |
//! | `join_cn` | `A、B和C` |
//! | `respectively(names, values, verb)` | `A、B分别增长8.2%、11.5%` (lengths must agree) |
//! | `date_cn` | `2026年1月18日` |
//! | `heading(level, n)` | `一、`, `（一）`, `1.`, `（1）` |
//! | `target` | `力争规上工业增加值增长8%以上` |
//! | `stmt` | a whole indicator clause |
//! | `parts`, `coverage`, `share` | `其中…`, `38个…中有29个…，增长面为76.3%`, `占…比重为62.4%` |
//! | `table` | a Markdown table of indicators |

use std::sync::Arc;

use minijinja::value::{Kwargs, Object, ObjectRepr, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};
use rust_decimal::{Decimal, RoundingStrategy};

use super::data::{Figure, GrowthKind, Indicator, PeriodSpec, is_percent, month_label, split_unit};

/// How to round a half.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// 四舍五入: half away from zero (`0.05` → `0.1`, `-0.05` → `-0.1`).
    HalfUp,
    /// GB/T 8170 奇进偶舍: half to even (`0.35` → `0.4`, `0.45` → `0.4`).
    HalfEven,
}

/// Rounds an exact decimal to `d` places; never returns negative zero.
pub fn round(v: Decimal, d: u32, r: Rounding) -> Decimal {
    let s = match r {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
    };
    let out = v.round_dp_with_strategy(d, s);
    if out.is_zero() { Decimal::ZERO } else { out }
}

/// `v` rounded and written with exactly `d` decimals (`21` → `21.0` for d=1).
pub fn fixed(v: Decimal, d: u32, r: Rounding) -> String {
    let mut x = round(v, d, r);
    x.rescale(d);
    let s = x.to_string();
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        return s.trim_start_matches('-').to_owned();
    }
    s
}

fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

// ------------------------------------------------------------------ numbers

/// `qty`: the figure in its own unit with `d` (default: as given) decimals.
pub fn qty(f: &Figure, d: Option<u32>, r: Rounding) -> String {
    format!("{}{}", fixed(f.value, d.unwrap_or(f.decimals), r), f.unit)
}

/// Rescales a figure to a magnitude (`亿`, `万`, ``): value and unit text.
fn rescale(f: &Figure, to: &str) -> (Decimal, String, bool) {
    let (factor, base) = split_unit(&f.unit);
    let target = match to {
        "亿" => Decimal::from(100_000_000_i64),
        "万" => Decimal::from(10_000_i64),
        _ => Decimal::ONE,
    };
    let changed = factor != target;
    (f.value * factor / target, format!("{to}{base}"), changed)
}

/// Sensible decimals after rescaling to 万: 0 from 100万, 1 from 10万, else 2.
fn wan_decimals(v: Decimal) -> u32 {
    let a = v.abs();
    if a >= Decimal::from(100) {
        0
    } else if a >= Decimal::from(10) {
        1
    } else {
        2
    }
}

#[cfg(test)]
thread_local! {
    /// Test hook: a deliberately broken `yi` that cuts to one decimal instead of
    /// rounding to two, to show that the round-trip detector catches a filter bug.
    pub(crate) static BROKEN_YI: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `yi`: in 亿 (`28640万元` → `2.86亿元`). Decimals: `d`, else as given when the
/// unit is already 亿, else 2. A non-zero value that would show as 0 is an error.
pub fn yi(f: &Figure, d: Option<u32>, r: Rounding) -> Result<String, String> {
    let (v, unit, changed) = rescale(f, "亿");
    let d = d.unwrap_or(if changed { 2 } else { f.decimals });
    #[cfg(test)]
    if BROKEN_YI.with(std::cell::Cell::get) {
        let cut = v.round_dp_with_strategy(1, RoundingStrategy::ToZero);
        return Ok(format!("{}{unit}", fixed(cut, 1, r)));
    }
    let s = fixed(v, d, r);
    if !v.is_zero() && round(v, d, r).is_zero() {
        return Err(format!(
            "{}以亿为单位会显示为 {s}{unit}，数值太小：请改用 wan 或 money",
            qty(f, None, r)
        ));
    }
    Ok(format!("{s}{unit}"))
}

/// `wan`: in 万 (`2.86亿元` → `28600万元`). Decimals: `d`, else as given when the
/// unit is already 万, else 0 from 100万, 1 from 10万, 2 below.
pub fn wan(f: &Figure, d: Option<u32>, r: Rounding) -> Result<String, String> {
    let (v, unit, changed) = rescale(f, "万");
    let d = d.unwrap_or(if changed { wan_decimals(v) } else { f.decimals });
    let s = fixed(v, d, r);
    if !v.is_zero() && round(v, d, r).is_zero() {
        return Err(format!(
            "{}以万为单位会显示为 {s}{unit}，数值太小：请用 qty 按原单位输出",
            qty(f, None, r)
        ));
    }
    Ok(format!("{s}{unit}"))
}

/// `money`: 亿 from 1亿, 万 from 1万, the base unit below (HOUSE-STYLE
/// `unit-scaling`).
pub fn money(f: &Figure, d: Option<u32>, r: Rounding) -> Result<String, String> {
    let (base, _) = f.base();
    let a = base.abs();
    if a.is_zero() {
        // Nothing to scale: zero stays in the unit it was given in.
        return Ok(qty(f, d, r));
    }
    if a >= Decimal::from(100_000_000_i64) {
        yi(f, d, r)
    } else if a >= Decimal::from(10_000_i64) {
        wan(f, d, r)
    } else {
        let (v, unit, changed) = rescale(f, "");
        let d = d.unwrap_or(if changed { 0 } else { f.decimals });
        Ok(format!("{}{unit}", fixed(v, d, r)))
    }
}

/// `pct`: `21.0%` (default one decimal, NBS practice).
pub fn pct(f: &Figure, d: Option<u32>, r: Rounding) -> String {
    format!("{}%", fixed(f.value, d.unwrap_or(1), r))
}

/// Sign after rounding to `d`: -1, 0, 1.
pub fn sign(v: Decimal, d: u32, r: Rounding) -> i32 {
    let x = round(v, d, r);
    if x.is_zero() {
        0
    } else if x.is_sign_negative() {
        -1
    } else {
        1
    }
}

/// `change`: the phrase for a change by sign (after rounding).
/// - level: `增长8.6%` / `下降5.3%` / `持平`; with `times` and ≥100%: `增长2倍`;
/// - rate: `提高1.2个百分点` / `回落1.2个百分点` / `持平`;
/// - price: `上涨2.1%` / `下降0.3%` / `持平`.
pub fn change(
    f: &Figure,
    kind: GrowthKind,
    d: Option<u32>,
    times: bool,
    r: Rounding,
) -> Result<String, String> {
    let d = d.unwrap_or(f.decimals);
    let unit = match kind {
        GrowthKind::Rate => "个百分点".to_owned(),
        _ if f.unit == "个百分点" => {
            return Err(format!(
                "变化{}是百分点，应按比率写（kind=\"rate\"：提高/回落）",
                qty(f, Some(d), r)
            ));
        }
        _ => "%".to_owned(),
    };
    let s = sign(f.value, d, r);
    if s == 0 {
        return Ok("持平".into());
    }
    if times && kind == GrowthKind::Level && s > 0 && f.value >= Decimal::from(100) {
        return times_phrase(f, r);
    }
    let amount = fixed(f.value.abs(), d, r);
    let verb = match (kind, s > 0) {
        (GrowthKind::Level, true) => "增长",
        (GrowthKind::Price, true) => "上涨",
        (GrowthKind::Rate, true) => "提高",
        (GrowthKind::Rate, false) => "回落",
        (_, false) => "下降",
    };
    Ok(format!("{verb}{amount}{unit}"))
}

/// `pp`: a change in 个百分点 of a rate: `rate` 提高/回落, `speed` (增速) 加快/回落,
/// `share` 提高/下降, `decline` (降幅) 收窄/扩大 — the sign is the change of the
/// rate itself (a smaller decline is a positive change: 收窄).
pub fn pp(f: &Figure, style: &str, d: Option<u32>, r: Rounding) -> Result<String, String> {
    let d = d.unwrap_or(f.decimals);
    let s = sign(f.value, d, r);
    if s == 0 {
        return Ok("持平".into());
    }
    let (up, down) = match style {
        "rate" => ("提高", "回落"),
        "speed" => ("加快", "回落"),
        "share" => ("提高", "下降"),
        "decline" => ("收窄", "扩大"),
        other => {
            return Err(format!(
                "pp 的写法“{other}”不认识，应为 rate、speed、share 或 decline"
            ));
        }
    };
    Ok(format!(
        "{}{}个百分点",
        if s > 0 { up } else { down },
        fixed(f.value.abs(), d, r)
    ))
}

/// `times`: growth in 倍 by the NBS convention: growth of 200% is `增长2倍` (three
/// times the base); one decimal unless whole. A decrease never takes 倍.
pub fn times_phrase(f: &Figure, r: Rounding) -> Result<String, String> {
    if f.value < Decimal::ZERO {
        return Err(format!(
            "下降不能用“倍”表示（下降{}），请用 change 写成百分数",
            qty(&Figure::new(f.value.abs(), f.decimals, &f.unit), None, r)
        ));
    }
    let x = f.value / Decimal::from(100);
    let one = round(x, 1, r);
    let s = if one.fract().is_zero() {
        fixed(one, 0, r)
    } else {
        fixed(one, 1, r)
    };
    Ok(format!("增长{s}倍"))
}

/// `compare`: `比全省（6.2%）高1.7个百分点`, `比全省低3.2个百分点` (the reference is
/// shown only when it is not negative), `与全省持平`.
pub fn compare(label: &str, reference: Option<&Figure>, gap: &Figure, r: Rounding) -> String {
    let d = gap.decimals;
    let s = sign(gap.value, d, r);
    let shown = match reference {
        Some(x) if !x.value.is_sign_negative() || x.value.is_zero() => {
            format!("（{}）", pct(x, Some(x.decimals), r))
        }
        _ => String::new(),
    };
    if s == 0 {
        return format!("与{label}{shown}持平");
    }
    format!(
        "比{label}{shown}{}{}个百分点",
        if s > 0 { "高" } else { "低" },
        fixed(gap.value.abs(), d, r)
    )
}

/// Chinese numerals for fixed terms and small counts: `二十`, `十二`, `一百零五`,
/// `一万零三百`. Negative numbers take `负`.
pub fn cn_num(n: i64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 0 {
        return format!("负{}", cn_num(n.unsigned_abs() as i64));
    }
    if n == 0 {
        return "零".into();
    }
    fn below_10000(n: i64, leading: bool) -> String {
        const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        const U: [&str; 4] = ["千", "百", "十", ""];
        let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
        let mut s = String::new();
        let mut zero = false;
        let mut started = false;
        for (i, &d) in digits.iter().enumerate() {
            if d == 0 {
                if started || !leading {
                    zero = true;
                }
                continue;
            }
            if zero && (started || !leading) {
                s.push('零');
            }
            zero = false;
            // `十二`, not `一十二`, at the head of a number.
            if !(i == 2 && d == 1 && !started && leading) {
                s.push_str(D[d as usize]);
            }
            s.push_str(U[i]);
            started = true;
        }
        s
    }
    let groups = [
        (n / 100_000_000, "亿"),
        (n / 10_000 % 10_000, "万"),
        (n % 10_000, ""),
    ];
    let mut s = String::new();
    let mut started = false;
    let mut gap = false;
    for (g, unit) in groups {
        if g == 0 {
            if started {
                gap = true;
            }
            continue;
        }
        if started && (gap || g < 1000) {
            s.push('零');
        }
        s.push_str(&below_10000(g, !started));
        s.push_str(unit);
        started = true;
        gap = false;
    }
    let _ = D;
    s.replace("零零", "零")
}

/// A rank phrase: `居全省第2位`; `cn`: `全省第二`; with `of` and `of_label`:
/// `在全省17个市州中居第3位`; `首次`/`连续N年` when the data say so.
pub fn rank(
    scope: &str,
    pos: u32,
    of: Option<u32>,
    of_label: Option<&str>,
    style: &str,
    first: bool,
    consecutive: Option<u32>,
) -> String {
    let lead = if let Some(n) = consecutive {
        format!("连续{}年", cn_num(i64::from(n)))
    } else if first {
        "首次".to_owned()
    } else {
        String::new()
    };
    if style == "cn" {
        return format!("{lead}居{scope}第{}", cn_num(i64::from(pos)));
    }
    match (of, of_label) {
        (Some(n), Some(l)) if lead.is_empty() => format!("在{scope}{n}个{l}中居第{pos}位"),
        _ => format!("{lead}居{scope}第{pos}位"),
    }
}

/// `join_cn`: `A`, `A和B`, `A、B和C`.
pub fn join_cn(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

/// `date_cn`: `2026-01-18` → `2026年1月18日` (no zero padding, GB/T 9704).
pub fn date_cn(s: &str) -> Result<String, String> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期“{s}”应写成 YYYY-MM-DD，例如 2026-01-18"))?;
    Ok(format!(
        "{}年{}月{}日",
        chrono::Datelike::year(&d),
        chrono::Datelike::month(&d),
        chrono::Datelike::day(&d)
    ))
}

/// `heading(level, n)`: `一、`, `（一）`, `1.`, `（1）` (GB/T 9704 §7.3.3).
pub fn heading(level: u32, n: u32) -> Result<String, String> {
    let n64 = i64::from(n);
    match level {
        1 => Ok(format!("{}、", cn_num(n64))),
        2 => Ok(format!("（{}）", cn_num(n64))),
        3 => Ok(format!("{n}.")),
        4 => Ok(format!("（{n}）")),
        _ => Err(format!("标题层级应为 1 到 4，得到 {level}")),
    }
}

/// `period`: the label of a period. Styles: `label` (as given, dash normalised),
/// `months` (`1—9月` even for 前三季度), `full` (with the year: `2025年1—9月`).
pub fn period(p: &PeriodSpec, style: &str) -> Result<String, String> {
    let months = |a: u32, b: u32| {
        if a == b {
            format!("{a}月")
        } else {
            format!("{a}—{b}月")
        }
    };
    match style {
        "label" => Ok(p.label.clone()),
        "months" => Ok(p.months.map_or(p.label.clone(), |(a, b)| months(a, b))),
        "full" => {
            let Some(y) = p.year else {
                return Ok(p.label.clone());
            };
            Ok(match p.months {
                Some((1, 12)) | None => format!("{y}年"),
                Some((a, b)) => format!("{y}年{}", month_label(a, b)),
            })
        }
        "year" => p
            .year
            .map(|y| format!("{y}年"))
            .ok_or_else(|| format!("期间“{}”没有年份", p.label)),
        other => Err(format!(
            "period 的写法“{other}”不认识，应为 label、months、full 或 year"
        )),
    }
}

/// `range(a, b)`: `5亿～10亿元` (万/亿 and % kept on both ends, GB/T 15835
/// §5.1.3), `3～6个月`.
pub fn range(a: &Figure, b: &Figure, r: Rounding) -> Result<String, String> {
    if a.unit != b.unit {
        return Err(format!(
            "范围两端单位不同（{}、{}）",
            qty(a, None, r),
            qty(b, None, r)
        ));
    }
    let (factor, base) = split_unit(&a.unit);
    let first = if is_percent(&a.unit) {
        qty(a, None, r)
    } else if factor != Decimal::ONE {
        // Keep the magnitude, drop the base unit: 5亿～10亿元.
        let mag = a.unit.strip_suffix(base).unwrap_or(&a.unit);
        format!("{}{mag}", fixed(a.value, a.decimals, r))
    } else {
        fixed(a.value, a.decimals, r)
    };
    Ok(format!("{first}～{}", qty(b, None, r)))
}

// ---------------------------------------------------------- minijinja glue

/// A figure inside templates. Attributes: `sign` (after rounding), `decimals`,
/// `unit`, `computed`, `int` (the value when whole). Printing it bare is an error.
#[derive(Debug, Clone)]
pub struct FigureObj(pub Figure);

impl Object for FigureObj {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let f = &self.0;
        match key.as_str()? {
            "sign" => Some(Value::from(sign(f.value, f.decimals, Rounding::HalfUp))),
            "decimals" => Some(Value::from(f.decimals)),
            "unit" => Some(Value::from(f.unit.clone())),
            "computed" => Some(Value::from(f.computed)),
            "int" => {
                if f.value.fract().is_zero() {
                    i64::try_from(f.value).ok().map(Value::from)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
    fn is_true(self: &Arc<Self>) -> bool {
        true
    }
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result
    where
        Self: Sized + 'static,
    {
        write!(f, "<数值 {}>", qty(&self.0, None, Rounding::HalfUp))
    }
}

/// A figure as a template value.
pub fn figure_value(f: &Figure) -> Value {
    Value::from_object(FigureObj(f.clone()))
}

/// Reads a figure from a template value: a [`FigureObj`], an integer, a float (its
/// shortest form), or a numeric string.
pub fn as_figure(v: &Value) -> Result<Figure, Error> {
    if let Some(f) = v.downcast_object_ref::<FigureObj>() {
        return Ok(f.0.clone());
    }
    match v.kind() {
        ValueKind::Number => {
            let text = v.to_string();
            Figure::parse(&text, "").ok_or_else(|| err(format!("数值“{text}”无法读成十进制数")))
        }
        ValueKind::String => {
            let s = v.as_str().unwrap_or_default();
            Figure::parse(s, "").ok_or_else(|| err(format!("“{s}”不是数字")))
        }
        ValueKind::Undefined => Err(Error::from(ErrorKind::UndefinedError)),
        ValueKind::None => Err(err("这里需要数值，但数据里这一项是空的（none）")),
        _ => Err(err(format!("这里需要数值，得到的是 {v}"))),
    }
}

fn rounding(state: &State) -> Rounding {
    match state.lookup("rounding").as_ref().and_then(Value::as_str) {
        Some("even" | "奇进偶舍") => Rounding::HalfEven,
        _ => Rounding::HalfUp,
    }
}

fn opt_u32(v: Option<i64>) -> Result<Option<u32>, Error> {
    v.map(|d| {
        u32::try_from(d)
            .ok()
            .filter(|d| *d <= 10)
            .ok_or_else(|| err(format!("小数位应为 0 到 10，得到 {d}")))
    })
    .transpose()
}

fn str_attr(v: &Value, k: &str) -> Option<String> {
    v.get_attr(k)
        .ok()
        .filter(|x| !x.is_undefined() && !x.is_none())
        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
}

fn fig_attr(v: &Value, k: &str) -> Result<Option<Figure>, Error> {
    match v.get_attr(k) {
        Ok(x) if !x.is_undefined() && !x.is_none() => as_figure(&x).map(Some),
        _ => Ok(None),
    }
}

fn kind_of(s: &str) -> Result<GrowthKind, Error> {
    match s {
        "level" => Ok(GrowthKind::Level),
        "rate" => Ok(GrowthKind::Rate),
        "price" => Ok(GrowthKind::Price),
        other => Err(err(format!(
            "change 的 kind“{other}”不认识，应为 level、rate 或 price"
        ))),
    }
}

fn period_of(v: &Value) -> Result<PeriodSpec, Error> {
    if v.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    if let Some(s) = v.as_str() {
        return super::data::parse_period(s).ok_or_else(|| err(format!("看不懂期间“{s}”")));
    }
    let label = str_attr(v, "label").ok_or_else(|| err(format!("这里需要期间，得到 {v}")))?;
    let year = v
        .get_attr("year")
        .ok()
        .and_then(|y| y.as_i64())
        .and_then(|y| i32::try_from(y).ok());
    let start = v.get_attr("start").ok().and_then(|y| y.as_i64());
    let end = v.get_attr("end").ok().and_then(|y| y.as_i64());
    let months = match (start, end) {
        (Some(a), Some(b)) => Some((
            u32::try_from(a).unwrap_or(1),
            u32::try_from(b).unwrap_or(12),
        )),
        _ => None,
    };
    Ok(PeriodSpec {
        label,
        year,
        months,
    })
}

/// Registers every filter, test and function, and the formatter that refuses bare
/// numbers.
pub fn register(env: &mut Environment<'static>) {
    env.set_formatter(|out, state, value| {
        if value.downcast_object_ref::<FigureObj>().is_some() {
            return Err(err(format!(
                "数值{value}不能直接输出，请经过过滤器（qty、num、pct、yi、wan、money、change）"
            )));
        }
        if value.kind() == ValueKind::Number && !value.is_integer() {
            return Err(err(format!(
                "小数 {value} 不能直接输出（会写成浮点数），请经过过滤器（num、pct、qty）"
            )));
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("num", |state: &State, v: Value, d: Option<i64>| {
        let f = as_figure(&v)?;
        Ok::<_, Error>(fixed(
            f.value,
            opt_u32(d)?.unwrap_or(f.decimals),
            rounding(state),
        ))
    });
    env.add_filter("qty", |state: &State, v: Value, d: Option<i64>| {
        Ok::<_, Error>(qty(&as_figure(&v)?, opt_u32(d)?, rounding(state)))
    });
    env.add_filter("yi", |state: &State, v: Value, d: Option<i64>| {
        yi(&as_figure(&v)?, opt_u32(d)?, rounding(state)).map_err(err)
    });
    env.add_filter("wan", |state: &State, v: Value, d: Option<i64>| {
        wan(&as_figure(&v)?, opt_u32(d)?, rounding(state)).map_err(err)
    });
    env.add_filter("money", |state: &State, v: Value, d: Option<i64>| {
        money(&as_figure(&v)?, opt_u32(d)?, rounding(state)).map_err(err)
    });
    env.add_filter("pct", |state: &State, v: Value, d: Option<i64>| {
        Ok::<_, Error>(pct(&as_figure(&v)?, opt_u32(d)?, rounding(state)))
    });
    env.add_filter("change", |state: &State, v: Value, kwargs: Kwargs| {
        let f = as_figure(&v)?;
        let kind: Option<String> = kwargs.get("kind")?;
        let d: Option<i64> = kwargs.get("d")?;
        let times: Option<bool> = kwargs.get("times")?;
        kwargs.assert_all_used()?;
        let kind = match kind {
            Some(k) => kind_of(&k)?,
            None if f.unit == "个百分点" => GrowthKind::Rate,
            None => GrowthKind::Level,
        };
        change(
            &f,
            kind,
            opt_u32(d)?,
            times.unwrap_or(false),
            rounding(state),
        )
        .map_err(err)
    });
    env.add_filter(
        "pp",
        |state: &State, v: Value, style: Option<String>, d: Option<i64>| {
            pp(
                &as_figure(&v)?,
                style.as_deref().unwrap_or("rate"),
                opt_u32(d)?,
                rounding(state),
            )
            .map_err(err)
        },
    );
    env.add_filter("times", |state: &State, v: Value| {
        times_phrase(&as_figure(&v)?, rounding(state)).map_err(err)
    });
    env.add_filter("compare", |state: &State, growth: Value, cmp: Value| {
        let g = as_figure(&growth)?;
        let label = str_attr(&cmp, "label").ok_or_else(|| err("compare 需要比较对象 label"))?;
        let reference = fig_attr(&cmp, "value")?;
        let gap = match fig_attr(&cmp, "gap")? {
            Some(x) => x,
            None => {
                let r = reference
                    .clone()
                    .ok_or_else(|| err(format!("与“{label}”比较需要对方增速 value 或差距 gap")))?;
                let rd = rounding(state);
                let d = g.decimals.max(r.decimals);
                Figure::new(round(g.value, d, rd) - round(r.value, d, rd), d, "个百分点")
            }
        };
        Ok::<_, Error>(compare(&label, reference.as_ref(), &gap, rounding(state)))
    });
    env.add_filter("rank", |v: Value, style: Option<String>| {
        let pos = v
            .get_attr("pos")?
            .as_i64()
            .and_then(|p| u32::try_from(p).ok())
            .ok_or_else(|| err("rank 需要位次 pos"))?;
        let scope = str_attr(&v, "scope").unwrap_or_else(|| "全省".into());
        let style = style
            .or_else(|| str_attr(&v, "style"))
            .unwrap_or_else(|| "arabic".into());
        let of = v
            .get_attr("of")
            .ok()
            .and_then(|x| x.as_i64())
            .and_then(|x| u32::try_from(x).ok());
        let first = v.get_attr("first").ok().is_some_and(|x| x.is_true());
        let consecutive = v
            .get_attr("consecutive")
            .ok()
            .and_then(|x| x.as_i64())
            .and_then(|x| u32::try_from(x).ok());
        Ok::<_, Error>(rank(
            &scope,
            pos,
            of,
            str_attr(&v, "of_label").as_deref(),
            &style,
            first,
            consecutive,
        ))
    });
    env.add_filter("cn_num", |v: Value| {
        let n = v
            .as_i64()
            .or_else(|| as_figure(&v).ok().and_then(|f| i64::try_from(f.value).ok()))
            .ok_or_else(|| err(format!("cn_num 需要整数，得到 {v}")))?;
        Ok::<_, Error>(cn_num(n))
    });
    env.add_filter("period", |v: Value, style: Option<String>| {
        period(&period_of(&v)?, style.as_deref().unwrap_or("label")).map_err(err)
    });
    env.add_filter("range", |state: &State, a: Value, b: Value| {
        range(&as_figure(&a)?, &as_figure(&b)?, rounding(state)).map_err(err)
    });
    env.add_function("range_of", |state: &State, a: Value, b: Value| {
        range(&as_figure(&a)?, &as_figure(&b)?, rounding(state)).map_err(err)
    });
    env.add_filter("join_cn", |v: Value| {
        let items: Vec<String> = v
            .try_iter()?
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
            .collect();
        Ok::<_, Error>(join_cn(&items))
    });
    env.add_function(
        "respectively",
        |names: Value, values: Value, verb: Option<String>| {
            let n: Vec<String> = names.try_iter()?.map(|x| x.to_string()).collect();
            let v: Vec<String> = values.try_iter()?.map(|x| x.to_string()).collect();
            if n.len() != v.len() {
                return Err(err(format!(
                    "“分别”前有{}项（{}），后面有{}个数值",
                    n.len(),
                    n.join("、"),
                    v.len()
                )));
            }
            Ok(format!(
                "{}分别{}{}",
                n.join("、"),
                verb.unwrap_or_default(),
                v.join("、")
            ))
        },
    );
    env.add_filter("date_cn", |v: Value| {
        if v.is_undefined() {
            return Err(Error::from(ErrorKind::UndefinedError));
        }
        date_cn(v.as_str().unwrap_or(&v.to_string())).map_err(err)
    });
    env.add_function("heading", |level: i64, n: i64| {
        let l = u32::try_from(level).map_err(|_| err("标题层级应为 1 到 4"))?;
        let n = u32::try_from(n).map_err(|_| err("标题序号应为正整数"))?;
        heading(l, n).map_err(err)
    });
    env.add_filter("target", |state: &State, v: Value| {
        target_phrase(&v, rounding(state))
    });
    env.add_filter("stmt", |state: &State, v: Value, kwargs: Kwargs| {
        let with_period: Option<bool> = kwargs.get("period")?;
        let with_scope: Option<bool> = kwargs.get("scope")?;
        let times: Option<bool> = kwargs.get("times")?;
        let prev: Option<Value> = kwargs.get("prev")?;
        let scale: Option<String> = kwargs.get("scale")?;
        kwargs.assert_all_used()?;
        // After a statement of the same period, the period is not repeated.
        let same_period = prev
            .filter(|p| !p.is_none() && !p.is_undefined())
            .is_some_and(|p| {
                let label = |x: &Value| {
                    x.get_attr("period")
                        .ok()
                        .and_then(|q| str_attr(&q, "label"))
                };
                label(&p).is_some() && label(&p) == label(&v)
            });
        stmt(
            &v,
            with_period.unwrap_or(!same_period),
            with_scope.unwrap_or(true),
            times.unwrap_or(false),
            scale.as_deref(),
            rounding(state),
        )
    });
    env.add_filter("parts", |state: &State, v: Value, lead: Option<String>| {
        parts_phrase(&v, lead.as_deref().unwrap_or("其中"), rounding(state))
    });
    env.add_filter("coverage", |state: &State, v: Value| {
        coverage_phrase(&v, rounding(state))
    });
    env.add_filter("share", |state: &State, v: Value| {
        share_phrase(&v, rounding(state))
    });
    env.add_filter("ratio", |state: &State, v: Value| {
        let mut terms = Vec::new();
        for i in v.try_iter()? {
            let name = str_attr(&i, "name").unwrap_or_default();
            let p = i
                .get_attr("share")
                .ok()
                .filter(|s| !s.is_none() && !s.is_undefined())
                .map(|s| fig_attr(&s, "pct"))
                .transpose()?
                .flatten()
                .ok_or_else(|| err(format!("“{name}”没有占比，无法写结构比")))?;
            terms.push(fixed(p.value, p.decimals, rounding(state)));
        }
        Ok::<_, Error>(terms.join("∶"))
    });
    env.add_filter("table", |state: &State, v: Value| {
        table(&v, rounding(state))
    });
    env.add_filter("group", |v: Value, name: String| {
        let items: Vec<Value> = v
            .try_iter()?
            .filter(|i| {
                let g = str_attr(i, "group");
                if name.is_empty() {
                    g.is_none()
                } else {
                    g.as_deref() == Some(name.as_str())
                }
            })
            .collect();
        Ok::<_, Error>(Value::from(items))
    });
    env.add_test("up", |state: &State, v: Value| {
        Ok::<_, Error>(as_figure(&v).is_ok_and(|f| sign(f.value, f.decimals, rounding(state)) > 0))
    });
    env.add_test("down", |state: &State, v: Value| {
        Ok::<_, Error>(as_figure(&v).is_ok_and(|f| sign(f.value, f.decimals, rounding(state)) < 0))
    });
    env.add_test("flat", |state: &State, v: Value| {
        Ok::<_, Error>(as_figure(&v).is_ok_and(|f| sign(f.value, f.decimals, rounding(state)) == 0))
    });
    env.add_test("computed", |v: Value| {
        Ok::<_, Error>(as_figure(&v).is_ok_and(|f| f.computed))
    });
}

fn target_phrase(v: &Value, r: Rounding) -> Result<String, Error> {
    let name = str_attr(v, "name").ok_or_else(|| err("target 需要指标（含 name 和 target）"))?;
    let t = v
        .get_attr("target")
        .ok()
        .filter(|t| !t.is_none() && !t.is_undefined())
        .ok_or_else(|| err(format!("指标“{name}”没有 target")))?;
    let verb = str_attr(&t, "verb").unwrap_or_else(|| "力争".into());
    let qual = str_attr(&t, "qualifier").unwrap_or_default();
    if let Some(g) = fig_attr(&t, "growth")? {
        let phrase = change(&g, GrowthKind::Level, None, false, r).map_err(err)?;
        return Ok(format!("{verb}{name}{phrase}{qual}"));
    }
    let val = fig_attr(&t, "value")?.ok_or_else(|| err(format!("指标“{name}”的目标没有数值")))?;
    let joiner = if name.starts_with("新增") || name.starts_with("新建") {
        ""
    } else {
        "达到"
    };
    Ok(format!("{verb}{name}{joiner}{}{qual}", qty(&val, None, r)))
}

/// The clause for one indicator: `[期间，][范围]指标[数值][，同比增长X%][，增速比全省(…)高…]
/// [，居全省第N位][，占…比重为p%]`. No final punctuation.
#[allow(clippy::fn_params_excessive_bools)]
fn stmt(
    v: &Value,
    with_period: bool,
    with_scope: bool,
    times: bool,
    scale: Option<&str>,
    r: Rounding,
) -> Result<String, Error> {
    let name = str_attr(v, "name").ok_or_else(|| err(format!("stmt 需要指标，得到 {v}")))?;
    let mut s = String::new();
    if with_period {
        if let Ok(p) = v.get_attr("period") {
            if !p.is_none() && !p.is_undefined() {
                s.push_str(&period(&period_of(&p)?, "label").map_err(err)?);
                s.push('，');
            }
        }
    }
    if with_scope {
        if let Some(sc) = str_attr(v, "scope") {
            if !name.starts_with(&sc) {
                s.push_str(&sc);
            }
        }
    }
    s.push_str(&name);
    let value = fig_attr(v, "value")?;
    if let Some(val) = &value {
        s.push_str(&match scale {
            None | Some("qty") => qty(val, None, r),
            Some("money") => money(val, None, r).map_err(err)?,
            Some("yi") => yi(val, None, r).map_err(err)?,
            Some("wan") => wan(val, None, r).map_err(err)?,
            Some(other) => {
                return Err(err(format!(
                    "stmt 的 scale“{other}”不认识，应为 qty、money、yi 或 wan"
                )));
            }
        });
    }
    let kind = kind_of(&str_attr(v, "kind").unwrap_or_else(|| "level".into()))?;
    let mut flat_compare: Option<String> = None;
    if let Some(g) = fig_attr(v, "growth")? {
        if value.is_some() {
            s.push('，');
        }
        let basis = str_attr(v, "basis").unwrap_or_else(|| {
            if kind == GrowthKind::Rate {
                "比上年".into()
            } else {
                "同比".into()
            }
        });
        let phrase = change(&g, kind, None, times, r).map_err(err)?;
        if phrase == "持平" {
            // 同比持平, 与上年持平 (never 比上年持平).
            match basis.strip_prefix('比') {
                Some(rest) => s.push_str(&format!("与{rest}持平")),
                None => s.push_str(&format!("{basis}持平")),
            }
        } else {
            s.push_str(&basis);
            s.push_str(&phrase);
        }
        if let Ok(c) = v.get_attr("compare") {
            if !c.is_none() && !c.is_undefined() {
                let label = str_attr(&c, "label").unwrap_or_default();
                let gap = fig_attr(&c, "gap")?
                    .ok_or_else(|| err(format!("“{name}”与{label}比较缺少差距")))?;
                let phrase = format!(
                    "，增速{}",
                    compare(&label, fig_attr(&c, "value")?.as_ref(), &gap, r)
                );
                // `与全省持平` goes last: a rank after it would be read apart.
                if sign(gap.value, gap.decimals, r) == 0 {
                    flat_compare = Some(phrase);
                } else {
                    s.push_str(&phrase);
                }
            }
        }
    }
    if let Ok(rk) = v.get_attr("rank") {
        if !rk.is_none() && !rk.is_undefined() {
            let pos = rk
                .get_attr("pos")?
                .as_i64()
                .and_then(|p| u32::try_from(p).ok())
                .ok_or_else(|| err("rank 需要位次 pos"))?;
            s.push('，');
            s.push_str(&rank(
                &str_attr(&rk, "scope").unwrap_or_else(|| "全省".into()),
                pos,
                rk.get_attr("of")
                    .ok()
                    .and_then(|x| x.as_i64())
                    .and_then(|x| u32::try_from(x).ok()),
                str_attr(&rk, "of_label").as_deref(),
                &str_attr(&rk, "style").unwrap_or_else(|| "arabic".into()),
                rk.get_attr("first").ok().is_some_and(|x| x.is_true()),
                rk.get_attr("consecutive")
                    .ok()
                    .and_then(|x| x.as_i64())
                    .and_then(|x| u32::try_from(x).ok()),
            ));
        }
    }
    if let Some(p) = flat_compare {
        s.push_str(&p);
    }
    if let Ok(sh) = v.get_attr("share") {
        if !sh.is_none() && !sh.is_undefined() && fig_attr(&sh, "pct")?.is_some() {
            s.push('，');
            s.push_str(&share_phrase(v, r)?);
        }
    }
    Ok(s)
}

/// `占全市规上工业比重为62.4%`.
fn share_phrase(v: &Value, r: Rounding) -> Result<String, Error> {
    let sh = v
        .get_attr("share")
        .ok()
        .filter(|x| !x.is_none() && !x.is_undefined())
        .ok_or_else(|| err("share 需要指标的 share"))?;
    let of = str_attr(&sh, "of").unwrap_or_default();
    let p = fig_attr(&sh, "pct")?.ok_or_else(|| err(format!("占{of}的比重没有数值")))?;
    Ok(format!("占{of}比重为{}", pct(&p, Some(p.decimals), r)))
}

/// `其中A520.5亿元，增长11.2%；B…` or, values only, `其中A520.5亿元、B310.2亿元`.
fn parts_phrase(v: &Value, lead: &str, r: Rounding) -> Result<String, Error> {
    let parts: Vec<Value> = v.get_attr("parts")?.try_iter()?.collect();
    if parts.is_empty() {
        return Ok(String::new());
    }
    let with_growth = parts
        .iter()
        .any(|p| fig_attr(p, "growth").ok().flatten().is_some());
    let mut out = Vec::new();
    for p in &parts {
        out.push(stmt(p, false, false, false, None, r)?);
    }
    let sep = if with_growth { "；" } else { "、" };
    Ok(format!("{lead}{}", out.join(sep)))
}

/// `全市38个工业大类行业中有29个行业增加值增长，增长面为76.3%`.
fn coverage_phrase(v: &Value, r: Rounding) -> Result<String, Error> {
    let name = str_attr(v, "name").unwrap_or_default();
    let w = v
        .get_attr("whole")
        .ok()
        .filter(|x| !x.is_none() && !x.is_undefined())
        .ok_or_else(|| err(format!("“{name}”没有 whole（总数）")))?;
    let n = fig_attr(&w, "value")?.ok_or_else(|| err("whole 需要 value"))?;
    let label = str_attr(&w, "label").unwrap_or_default();
    let m = fig_attr(v, "value")?.ok_or_else(|| err(format!("“{name}”没有数值")))?;
    let unit = if m.unit.is_empty() {
        "个".to_owned()
    } else {
        m.unit.clone()
    };
    let scope = str_attr(v, "scope").unwrap_or_default();
    let mut s = format!(
        "{scope}{}{unit}{label}中有{}{unit}{name}",
        fixed(n.value, 0, r),
        fixed(m.value, 0, r)
    );
    if let Some(p) = fig_attr(&w, "pct")? {
        let pl = str_attr(&w, "pct_label").unwrap_or_else(|| "增长面".into());
        s.push_str(&format!("，{pl}为{}", pct(&p, Some(p.decimals), r)));
    }
    Ok(s)
}

/// A Markdown table of indicators: 指标、期间、数值、增速、说明.
fn table(v: &Value, r: Rounding) -> Result<String, Error> {
    let mut out = String::from("| 指标 | 期间 | 数值 | 增速 | 说明 |\n|---|---|---|---|---|\n");
    for i in v.try_iter()? {
        let name = str_attr(&i, "name").unwrap_or_default();
        let per = match i.get_attr("period") {
            Ok(p) if !p.is_none() && !p.is_undefined() => {
                period(&period_of(&p)?, "label").map_err(err)?
            }
            _ => String::new(),
        };
        let val = fig_attr(&i, "value")?
            .map(|f| qty(&f, None, r))
            .unwrap_or_else(|| "—".into());
        let g = match fig_attr(&i, "growth")? {
            Some(f) if f.unit == "个百分点" => {
                format!("{}个百分点", fixed(f.value, f.decimals, r))
            }
            Some(f) => pct(&f, Some(f.decimals), r),
            None => "—".into(),
        };
        let computed: Vec<String> = i
            .get_attr("computed")
            .ok()
            .and_then(|c| c.try_iter().ok())
            .map(|it| it.map(|x| x.to_string()).collect())
            .unwrap_or_default();
        let note = if i
            .get_attr("target")
            .is_ok_and(|t| !t.is_none() && !t.is_undefined())
        {
            format!("目标：{}", target_phrase(&i, r)?)
        } else if computed.is_empty() {
            String::new()
        } else {
            format!(
                "计算值：{}",
                computed
                    .iter()
                    .map(|c| field_cn(c))
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        out.push_str(&format!("| {name} | {per} | {val} | {g} | {note} |\n"));
    }
    Ok(out)
}

/// Chinese name of a computed field.
pub fn field_cn(f: &str) -> &'static str {
    match f {
        "growth" => "增速",
        "value" => "合计",
        "share.pct" => "占比",
        "whole.pct" => "比例",
        "compare.gap" => "差距",
        _ => "其他",
    }
}

/// An indicator as a template value.
pub fn indicator_value(i: &Indicator) -> Value {
    use std::collections::BTreeMap;
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in &i.extra {
        m.insert(k.clone(), json_value(v));
    }
    let opt_fig = |f: &Option<Figure>| f.as_ref().map_or(Value::from(()), figure_value);
    let opt_str = |s: &Option<String>| s.clone().map_or(Value::from(()), Value::from);
    m.insert("id".into(), opt_str(&i.id));
    m.insert("name".into(), Value::from(i.name.clone()));
    m.insert("scope".into(), opt_str(&i.scope));
    m.insert("group".into(), opt_str(&i.group));
    m.insert("note".into(), opt_str(&i.note));
    m.insert(
        "unit".into(),
        Value::from(i.value.as_ref().map(|v| v.unit.clone()).unwrap_or_default()),
    );
    m.insert(
        "period".into(),
        i.period.as_ref().map_or(Value::from(()), |p| {
            let mut pm: BTreeMap<&str, Value> = BTreeMap::new();
            pm.insert("label", Value::from(p.label.clone()));
            pm.insert("year", p.year.map_or(Value::from(()), Value::from));
            pm.insert(
                "start",
                p.months.map_or(Value::from(()), |m| Value::from(m.0)),
            );
            pm.insert(
                "end",
                p.months.map_or(Value::from(()), |m| Value::from(m.1)),
            );
            Value::from(pm)
        }),
    );
    m.insert("value".into(), opt_fig(&i.value));
    m.insert("prev".into(), opt_fig(&i.prev));
    m.insert("growth".into(), opt_fig(&i.growth));
    m.insert("kind".into(), Value::from(i.growth_kind().as_str()));
    m.insert("basis".into(), opt_str(&i.basis));
    m.insert("real".into(), Value::from(i.is_real()));
    m.insert(
        "compare".into(),
        i.compare.as_ref().map_or(Value::from(()), |c| {
            let mut cm: BTreeMap<&str, Value> = BTreeMap::new();
            cm.insert("label", Value::from(c.label.clone()));
            cm.insert("value", opt_fig(&c.value));
            cm.insert("gap", opt_fig(&c.gap));
            Value::from(cm)
        }),
    );
    m.insert(
        "rank".into(),
        i.rank.as_ref().map_or(Value::from(()), |r| {
            let mut rm: BTreeMap<&str, Value> = BTreeMap::new();
            rm.insert("scope", Value::from(r.scope.clone()));
            rm.insert("pos", Value::from(r.pos));
            rm.insert("of", r.of.map_or(Value::from(()), Value::from));
            rm.insert("of_label", opt_str(&r.of_label));
            rm.insert("style", Value::from(r.style.clone()));
            rm.insert("first", Value::from(r.first));
            rm.insert(
                "consecutive",
                r.consecutive.map_or(Value::from(()), Value::from),
            );
            Value::from(rm)
        }),
    );
    m.insert(
        "share".into(),
        i.share.as_ref().map_or(Value::from(()), |s| {
            let mut sm: BTreeMap<&str, Value> = BTreeMap::new();
            sm.insert("of", Value::from(s.of.clone()));
            sm.insert("pct", opt_fig(&s.pct));
            sm.insert("whole", opt_fig(&s.whole));
            Value::from(sm)
        }),
    );
    m.insert(
        "whole".into(),
        i.whole.as_ref().map_or(Value::from(()), |w| {
            let mut wm: BTreeMap<&str, Value> = BTreeMap::new();
            wm.insert("value", figure_value(&w.value));
            wm.insert("label", Value::from(w.label.clone()));
            wm.insert("pct", opt_fig(&w.pct));
            wm.insert("pct_label", opt_str(&w.pct_label));
            Value::from(wm)
        }),
    );
    m.insert(
        "target".into(),
        i.target.as_ref().map_or(Value::from(()), |t| {
            let mut tm: BTreeMap<&str, Value> = BTreeMap::new();
            tm.insert("verb", Value::from(t.verb.clone()));
            tm.insert("growth", opt_fig(&t.growth));
            tm.insert("value", opt_fig(&t.value));
            tm.insert("qualifier", opt_str(&t.qualifier));
            Value::from(tm)
        }),
    );
    m.insert(
        "parts".into(),
        Value::from(i.parts.iter().map(indicator_value).collect::<Vec<_>>()),
    );
    m.insert("complete".into(), Value::from(i.complete));
    m.insert(
        "computed".into(),
        Value::from(
            i.computed
                .iter()
                .map(|c| Value::from(c.clone()))
                .collect::<Vec<_>>(),
        ),
    );
    Value::from(m)
}

/// A JSON value as a template value; numbers become [`FigureObj`]s unless whole.
pub fn json_value(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::from(()),
        J::Bool(b) => Value::from(*b),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                Figure::parse(&n.to_string(), "").map_or(Value::from(()), |f| figure_value(&f))
            }
        }
        J::String(s) => Value::from(s.clone()),
        J::Array(a) => Value::from(a.iter().map(json_value).collect::<Vec<_>>()),
        J::Object(o) => Value::from(
            o.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const U: Rounding = Rounding::HalfUp;
    const E: Rounding = Rounding::HalfEven;

    fn f(v: &str, unit: &str) -> Figure {
        Figure::parse(v, unit).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_is_decimal_half_up_and_half_even() {
        assert_eq!(fixed(dec("0.05"), 1, U), "0.1");
        assert_eq!(fixed(dec("-0.05"), 1, U), "-0.1");
        assert_eq!(fixed(dec("0.15"), 1, U), "0.2");
        // A float would give 2.67 (2.675 is 2.67499… in binary).
        assert_eq!(fixed(dec("2.675"), 2, U), "2.68");
        assert_eq!(fixed(dec("1.005"), 2, U), "1.01");
        assert_eq!(fixed(dec("0.35"), 1, E), "0.4");
        assert_eq!(fixed(dec("0.45"), 1, E), "0.4");
        assert_eq!(fixed(dec("1.050"), 1, E), "1.0");
        assert_eq!(fixed(dec("21"), 1, U), "21.0");
        assert_eq!(fixed(dec("-0.04"), 1, U), "0.0");
        assert_eq!(fixed(dec("0"), 2, U), "0.00");
        assert_eq!(fixed(dec("0.1") + dec("0.2"), 1, U), "0.3");
    }

    #[test]
    fn yi_wan_money() {
        assert_eq!(yi(&f("28640", "万元"), None, U).unwrap(), "2.86亿元");
        assert_eq!(yi(&f("1286.4", "亿元"), None, U).unwrap(), "1286.4亿元");
        assert_eq!(yi(&f("0", "万元"), None, U).unwrap(), "0.00亿元");
        assert_eq!(yi(&f("-28640", "万元"), None, U).unwrap(), "-2.86亿元");
        assert_eq!(
            yi(&f("123456789012345", "元"), None, U).unwrap(),
            "1234567.89亿元"
        );
        assert!(yi(&f("30", "万元"), None, U).unwrap_err().contains("太小"));
        assert_eq!(yi(&f("30", "万元"), Some(4), U).unwrap(), "0.0030亿元");
        assert_eq!(wan(&f("2.86", "亿元"), None, U).unwrap(), "28600万元");
        assert_eq!(wan(&f("35000", "元"), None, U).unwrap(), "3.50万元");
        assert_eq!(wan(&f("125000", "元"), None, U).unwrap(), "12.5万元");
        assert!(wan(&f("12", "元"), None, U).is_err());
        assert_eq!(money(&f("28640", "万元"), None, U).unwrap(), "2.86亿元");
        assert_eq!(money(&f("3500", "万元"), None, U).unwrap(), "3500万元");
        assert_eq!(money(&f("850", "元"), None, U).unwrap(), "850元");
        assert_eq!(money(&f("0.5", "亿元"), None, U).unwrap(), "5000万元");
        assert_eq!(yi(&f("58.6", "亿千瓦时"), None, U).unwrap(), "58.6亿千瓦时");
    }

    #[test]
    fn pct_keeps_trailing_zero() {
        assert_eq!(pct(&f("21", "%"), None, U), "21.0%");
        assert_eq!(pct(&f("0.05", "%"), None, U), "0.1%");
        assert_eq!(pct(&f("-3.25", "%"), Some(1), U), "-3.3%");
    }

    #[test]
    fn change_by_sign() {
        let c = |v: &str, k| change(&f(v, "%"), k, None, false, U).unwrap();
        assert_eq!(c("8.6", GrowthKind::Level), "增长8.6%");
        assert_eq!(c("-5.3", GrowthKind::Level), "下降5.3%");
        assert_eq!(c("0.0", GrowthKind::Level), "持平");
        assert_eq!(c("0", GrowthKind::Level), "持平");
        // Rounds to zero at the stated decimals: flat, never 下降0.0%.
        assert_eq!(
            change(&f("-0.04", "%"), GrowthKind::Level, Some(1), false, U).unwrap(),
            "持平"
        );
        assert_eq!(
            change(&f("0.05", "%"), GrowthKind::Level, Some(1), false, U).unwrap(),
            "增长0.1%"
        );
        assert_eq!(c("2.1", GrowthKind::Price), "上涨2.1%");
        assert_eq!(c("-0.3", GrowthKind::Price), "下降0.3%");
        assert_eq!(c("1.2", GrowthKind::Rate), "提高1.2个百分点");
        assert_eq!(c("-1.2", GrowthKind::Rate), "回落1.2个百分点");
        assert_eq!(c("395.3", GrowthKind::Level), "增长395.3%");
        assert_eq!(
            change(&f("200.0", "%"), GrowthKind::Level, None, true, U).unwrap(),
            "增长2倍"
        );
        assert_eq!(
            change(&f("99.9", "%"), GrowthKind::Level, None, true, U).unwrap(),
            "增长99.9%"
        );
        assert_eq!(
            change(&f("123456.7", "%"), GrowthKind::Level, None, false, U).unwrap(),
            "增长123456.7%"
        );
        assert!(change(&f("1.2", "个百分点"), GrowthKind::Level, None, false, U).is_err());
    }

    #[test]
    fn times_convention() {
        assert_eq!(times_phrase(&f("200", "%"), U).unwrap(), "增长2倍");
        assert_eq!(times_phrase(&f("212.5", "%"), U).unwrap(), "增长2.1倍");
        assert_eq!(times_phrase(&f("100", "%"), U).unwrap(), "增长1倍");
        assert_eq!(times_phrase(&f("15", "%"), U).unwrap(), "增长0.2倍");
        assert_eq!(times_phrase(&f("0", "%"), U).unwrap(), "增长0倍");
        assert!(
            times_phrase(&f("-40", "%"), U)
                .unwrap_err()
                .contains("下降")
        );
    }

    #[test]
    fn pp_styles() {
        assert_eq!(
            pp(&f("0.3", "个百分点"), "speed", None, U).unwrap(),
            "加快0.3个百分点"
        );
        assert_eq!(
            pp(&f("-0.6", "个百分点"), "speed", None, U).unwrap(),
            "回落0.6个百分点"
        );
        assert_eq!(
            pp(&f("-0.4", "个百分点"), "share", None, U).unwrap(),
            "下降0.4个百分点"
        );
        assert_eq!(
            pp(&f("1.5", "个百分点"), "decline", None, U).unwrap(),
            "收窄1.5个百分点"
        );
        assert_eq!(
            pp(&f("-1.5", "个百分点"), "decline", None, U).unwrap(),
            "扩大1.5个百分点"
        );
        assert_eq!(pp(&f("0.0", "个百分点"), "rate", None, U).unwrap(), "持平");
        assert!(pp(&f("1", ""), "bogus", None, U).is_err());
    }

    #[test]
    fn compare_phrases() {
        let g = |v: &str| Figure::new(dec(v), 1, "个百分点");
        assert_eq!(
            compare("全省", Some(&f("6.2", "%")), &g("1.7"), U),
            "比全省（6.2%）高1.7个百分点"
        );
        assert_eq!(
            compare("全省", Some(&f("-2.1", "%")), &g("-3.2"), U),
            "比全省低3.2个百分点"
        );
        assert_eq!(
            compare("全国", Some(&f("6.2", "%")), &g("0.0"), U),
            "与全国（6.2%）持平"
        );
        assert_eq!(compare("全省", None, &g("-0.5"), U), "比全省低0.5个百分点");
    }

    #[test]
    fn ranks() {
        assert_eq!(
            rank("全省", 2, None, None, "arabic", false, None),
            "居全省第2位"
        );
        assert_eq!(rank("全省", 2, None, None, "cn", false, None), "居全省第二");
        assert_eq!(
            rank("全省", 3, Some(17), Some("市州"), "arabic", false, None),
            "在全省17个市州中居第3位"
        );
        assert_eq!(
            rank("全省", 1, None, None, "arabic", true, None),
            "首次居全省第1位"
        );
        assert_eq!(
            rank("全省", 1, None, None, "arabic", false, Some(3)),
            "连续三年居全省第1位"
        );
        assert_eq!(
            rank("全省", 12, None, None, "cn", false, None),
            "居全省第十二"
        );
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            (0, "零"),
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1000, "一千"),
            (1010, "一千零一十"),
            (10_000, "一万"),
            (10_300, "一万零三百"),
            (23_456, "二万三千四百五十六"),
            (100_000_000, "一亿"),
            (100_000_001, "一亿零一"),
            (-3, "负三"),
        ];
        for (n, s) in cases {
            assert_eq!(cn_num(n), s, "{n}");
        }
    }

    #[test]
    fn periods_and_ranges() {
        let p = super::super::data::parse_period("2025年1-9月").unwrap();
        assert_eq!(period(&p, "label").unwrap(), "2025年1—9月");
        assert_eq!(period(&p, "months").unwrap(), "1—9月");
        assert_eq!(period(&p, "full").unwrap(), "2025年前三季度");
        let q = super::super::data::parse_period("一季度").unwrap();
        assert_eq!(period(&q, "months").unwrap(), "1—3月");
        assert!(period(&q, "year").is_err());
        assert_eq!(
            range(&f("5", "亿元"), &f("10", "亿元"), U).unwrap(),
            "5亿～10亿元"
        );
        assert_eq!(range(&f("15", "%"), &f("30", "%"), U).unwrap(), "15%～30%");
        assert_eq!(
            range(&f("3", "个月"), &f("6", "个月"), U).unwrap(),
            "3～6个月"
        );
        assert!(range(&f("3", "个"), &f("6", "家"), U).is_err());
    }

    #[test]
    fn lists_dates_headings() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_cn(&s(&[])), "");
        assert_eq!(join_cn(&s(&["A"])), "A");
        assert_eq!(join_cn(&s(&["A", "B"])), "A和B");
        assert_eq!(join_cn(&s(&["A", "B", "C"])), "A、B和C");
        assert_eq!(date_cn("2024-03-05").unwrap(), "2024年3月5日");
        assert!(date_cn("2024/3/5").is_err());
        assert_eq!(heading(1, 3).unwrap(), "三、");
        assert_eq!(heading(2, 1).unwrap(), "（一）");
        assert_eq!(heading(3, 2).unwrap(), "2.");
        assert_eq!(heading(4, 10).unwrap(), "（10）");
        assert!(heading(5, 1).is_err());
    }

    fn env() -> Environment<'static> {
        let mut e = Environment::new();
        e.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        register(&mut e);
        e
    }

    #[test]
    fn bare_numbers_are_refused() {
        let e = env();
        let err = e.render_str("{{ 0.1 + 0.2 }}", ()).unwrap_err();
        assert!(err.to_string().contains("过滤器"), "{err}");
        let err = e.render_str("{{ 10.0 }}", ()).unwrap_err();
        assert!(err.to_string().contains("过滤器"), "{err}");
        assert_eq!(e.render_str("{{ 2025 }}", ()).unwrap(), "2025");
        let ctx = minijinja::context! { x => figure_value(&f("1.50", "亿元")) };
        assert!(e.render_str("{{ x }}", &ctx).is_err());
        assert_eq!(e.render_str("{{ x | qty }}", &ctx).unwrap(), "1.50亿元");
        assert_eq!(e.render_str("{{ x | wan }}", &ctx).unwrap(), "15000万元");
        assert_eq!(e.render_str("{{ 0.05 | num(1) }}", ()).unwrap(), "0.1");
    }

    #[test]
    fn respectively_counts_must_agree() {
        let e = env();
        assert_eq!(
            e.render_str(
                "{{ respectively(['A', 'B'], ['8.2%', '11.5%'], '增长') }}",
                ()
            )
            .unwrap(),
            "A、B分别增长8.2%、11.5%"
        );
        let err = e
            .render_str("{{ respectively(['A', 'B', 'C'], ['8.2%'], '增长') }}", ())
            .unwrap_err();
        assert!(err.to_string().contains("3项"), "{err}");
    }

    /// Every number filter over zero, negative, very large and very small values
    /// and a 0.05 half, through the template engine as a template uses them.
    #[test]
    fn edge_cases_of_every_number_filter() {
        let e = env();
        let r = |tpl: &str, v: &str, unit: &str| {
            let ctx = minijinja::context! { x => figure_value(&f(v, unit)) };
            e.render_str(tpl, &ctx).map_err(|e| e.to_string())
        };
        let ok = |tpl: &str, v: &str, unit: &str| r(tpl, v, unit).unwrap();
        // num / qty / pct
        assert_eq!(ok("{{ x | num(1) }}", "0", ""), "0.0");
        assert_eq!(ok("{{ x | num(1) }}", "-0.05", ""), "-0.1");
        assert_eq!(ok("{{ x | num(1) }}", "0.05", ""), "0.1");
        assert_eq!(ok("{{ x | num(1) }}", "-0.04", ""), "0.0");
        assert_eq!(
            ok("{{ x | num }}", "123456789012345678", ""),
            "123456789012345678"
        );
        assert_eq!(ok("{{ x | num(4) }}", "0.00005", ""), "0.0001");
        assert_eq!(ok("{{ x | qty }}", "-12", "家"), "-12家");
        assert_eq!(ok("{{ x | pct }}", "0", "%"), "0.0%");
        assert_eq!(ok("{{ x | pct }}", "-0.05", "%"), "-0.1%");
        assert_eq!(ok("{{ x | pct }}", "0.04", "%"), "0.0%");
        assert_eq!(ok("{{ x | pct }}", "98765432.1", "%"), "98765432.1%");
        assert_eq!(ok("{{ x | pct(2) }}", "0.005", "%"), "0.01%");
        // yi / wan / money
        assert_eq!(ok("{{ x | yi }}", "0", "亿元"), "0亿元");
        assert_eq!(ok("{{ x | yi }}", "-0.05", "亿元"), "-0.05亿元");
        assert_eq!(ok("{{ x | yi(1) }}", "0.05", "亿元"), "0.1亿元");
        assert_eq!(ok("{{ x | yi }}", "999999999", "万元"), "100000.00亿元");
        assert!(
            r("{{ x | yi }}", "0.4", "万元")
                .unwrap_err()
                .contains("太小")
        );
        assert_eq!(ok("{{ x | wan }}", "0", "万元"), "0万元");
        assert_eq!(ok("{{ x | wan }}", "-3.5", "亿元"), "-35000万元");
        assert_eq!(ok("{{ x | wan(1) }}", "500", "元"), "0.1万元");
        assert_eq!(ok("{{ x | money }}", "-28640", "万元"), "-2.86亿元");
        assert_eq!(ok("{{ x | money }}", "0", "万元"), "0万元");
        assert_eq!(ok("{{ x | money }}", "1234567890123", "元"), "12345.68亿元");
        // change: sign, zero after rounding, huge
        assert_eq!(ok("{{ x | change }}", "0", "%"), "持平");
        assert_eq!(ok("{{ x | change }}", "-0.05", "%"), "下降0.05%");
        assert_eq!(ok("{{ x | change(d=1) }}", "-0.05", "%"), "下降0.1%");
        assert_eq!(ok("{{ x | change(d=1) }}", "0.04", "%"), "持平");
        assert_eq!(ok("{{ x | change }}", "-100", "%"), "下降100%");
        assert_eq!(ok("{{ x | change(times=true) }}", "900", "%"), "增长9倍");
        assert_eq!(
            ok("{{ x | change(kind='rate') }}", "-0.05", "个百分点"),
            "回落0.05个百分点"
        );
        assert_eq!(
            ok("{{ x | change(kind='rate', d=1) }}", "0.05", "个百分点"),
            "提高0.1个百分点"
        );
        // times: zero, large, tiny
        assert_eq!(ok("{{ x | times }}", "0", "%"), "增长0倍");
        assert_eq!(ok("{{ x | times }}", "123400", "%"), "增长1234倍");
        assert_eq!(ok("{{ x | times }}", "5", "%"), "增长0.1倍");
        assert!(r("{{ x | times }}", "-0.05", "%").is_err());
        // pp
        assert_eq!(ok("{{ x | pp }}", "0", "个百分点"), "持平");
        assert_eq!(
            ok("{{ x | pp('speed') }}", "-0.05", "个百分点"),
            "回落0.05个百分点"
        );
        assert_eq!(
            ok("{{ x | pp('speed', 1) }}", "0.05", "个百分点"),
            "加快0.1个百分点"
        );
        // compare: zero gap, negative reference, rounded half
        let cmp = |g: &str, label: &str, reference: &str| {
            let ctx = minijinja::context! {
                x => figure_value(&f(g, "%")),
                c => minijinja::context! { label => label, value => figure_value(&f(reference, "%")) },
            };
            e.render_str("{{ x | compare(c) }}", &ctx).unwrap()
        };
        assert_eq!(cmp("6.2", "全省", "6.2"), "与全省（6.2%）持平");
        assert_eq!(cmp("-3.5", "全省", "-1.2"), "比全省低2.3个百分点");
        assert_eq!(cmp("0.0", "全国", "0.0"), "与全国（0.0%）持平");
        assert_eq!(cmp("105.3", "全省", "4.3"), "比全省（4.3%）高101.0个百分点");
        // cn_num: zero, negative, large
        assert_eq!(e.render_str("{{ 0 | cn_num }}", ()).unwrap(), "零");
        assert_eq!(e.render_str("{{ -12 | cn_num }}", ()).unwrap(), "负十二");
        assert_eq!(
            e.render_str("{{ 123456789 | cn_num }}", ()).unwrap(),
            "一亿二千三百四十五万六千七百八十九"
        );
        // rank: position 1, large position in both styles
        assert_eq!(
            e.render_str("{{ {'scope': '全省', 'pos': 1} | rank }}", ())
                .unwrap(),
            "居全省第1位"
        );
        assert_eq!(
            e.render_str("{{ {'scope': '全国', 'pos': 105} | rank('cn') }}", ())
                .unwrap(),
            "居全国第一百零五"
        );
    }

    #[test]
    fn rounding_even_from_data() {
        let e = env();
        let ctx = minijinja::context! { rounding => "even" };
        assert_eq!(e.render_str("{{ 0.45 | num(1) }}", &ctx).unwrap(), "0.4");
        assert_eq!(e.render_str("{{ 0.45 | num(1) }}", ()).unwrap(), "0.5");
    }
}
