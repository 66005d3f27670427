//! Numbers: exact decimal values of what the grammar recognised, and the interval a
//! written figure stands for.
//!
//! Tolerance model (after XBRL Calculations 1.1, see `ANCHORS-CHECKING.md`): a figure
//! written with `d` decimals stands for `[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`, scaled by its
//! magnitude (`921.7亿` → ±0.05亿). Counts written without a magnitude (`87条`) are
//! exact. Qualifiers widen the interval:
//!
//! | qualifier | interval |
//! |---|---|
//! | `以上` `不少于` `至少` `突破` `超过` `超` `逾` | `[v − r, ∞)` |
//! | `以下` `以内` `不超过` `最多` | `(−∞, v + r]` |
//! | `近` `接近` `将近` `不到` `不足` | `[0.9·v, v + r]` |
//! | `约` `左右` `上下` `大约` | `[0.9·v − r, 1.1·v + r]` |
//! | `余` `多` `有余` `之多` | `[v, v + 10ᵏ]`, `10ᵏ` the place of the last non-zero digit (`5000余` → `[5000, 6000]`) |
//! | `达` `达到` `高达` | as written |
//!
//! where `r` is the rounding half-width. The ±10% of `约` and the 10% of `近` are this
//! project's convention: wide, so that an approximate figure never causes an error.

use rust_decimal::Decimal;

use super::fact::{Interval, Qualifier, QualifierKind, UnitKind};

/// A number parsed from its written form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub value: Decimal,
    pub decimals: u32,
    /// Upper end for Chinese approximate numbers written as two adjacent digits (`三四`).
    pub approx_hi: Option<Decimal>,
}

/// Parses Arabic digits with optional thousands separators and decimal point.
pub fn parse_arabic(s: &str) -> Option<Parsed> {
    let cleaned: String = s.chars().filter(|c| *c != ',').collect();
    let decimals = cleaned
        .find('.')
        .map_or(0, |i| (cleaned.len() - i - 1) as u32);
    let value: Decimal = cleaned.parse().ok()?;
    Some(Parsed {
        value,
        decimals,
        approx_hi: None,
    })
}

fn cn_digit(c: char) -> Option<u64> {
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
}

/// Parses a Chinese numeral without 万/亿 (`十二`, `一百二十`, `三千五百`, `两`,
/// `三四` as the approximate 3–4). Returns `None` for malformed numerals.
pub fn parse_chinese(s: &str) -> Option<Parsed> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    // Two adjacent plain digits (三四, 七八): an approximate number.
    if chars.len() == 2 {
        if let (Some(a), Some(b)) = (cn_digit(chars[0]), cn_digit(chars[1])) {
            if a > 0 && b == a + 1 {
                return Some(Parsed {
                    value: Decimal::from(a),
                    decimals: 0,
                    approx_hi: Some(Decimal::from(b)),
                });
            }
            return None;
        }
    }
    let mut total: u64 = 0;
    let mut current: Option<u64> = None;
    let mut last_unit = u64::MAX;
    let mut prev_digit = false;
    for &c in &chars {
        if let Some(d) = cn_digit(c) {
            if prev_digit && d != 0 {
                return None;
            }
            if d != 0 {
                current = Some(d);
            }
            prev_digit = d != 0;
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        if unit >= last_unit {
            return None;
        }
        last_unit = unit;
        total += current.unwrap_or(1) * unit;
        current = None;
        prev_digit = false;
    }
    total += current.unwrap_or(0);
    Some(Parsed {
        value: Decimal::from(total),
        decimals: 0,
        approx_hi: None,
    })
}

/// The multiplier a magnitude word stands for.
pub fn magnitude_factor(m: &str) -> Option<Decimal> {
    Some(match m {
        "百" => Decimal::from(100),
        "千" => Decimal::from(1000),
        "万" => Decimal::from(10_000),
        "百万" => Decimal::from(1_000_000),
        "千万" => Decimal::from(10_000_000),
        "亿" => Decimal::from(100_000_000),
        "万亿" => Decimal::from(1_000_000_000_000_i64),
        _ => return None,
    })
}

/// The kind of a qualifier word.
pub fn qualifier_kind(q: &str) -> Option<QualifierKind> {
    Some(match q {
        "以上" | "及以上" | "不少于" | "不低于" | "至少" | "突破" | "超过" | "超" | "逾" => {
            QualifierKind::AtLeast
        }
        "以下" | "以内" | "不超过" | "最多" | "最高" => QualifierKind::AtMost,
        "近" | "接近" | "将近" | "不到" | "不足" => QualifierKind::Nearly,
        "约" | "大约" | "左右" | "上下" => QualifierKind::About,
        "余" | "多" | "有余" | "之多" => QualifierKind::Over,
        "达" | "达到" | "高达" => QualifierKind::Reach,
        _ => return None,
    })
}

/// What a unit measures.
pub fn unit_kind(unit: Option<&str>) -> UnitKind {
    let Some(u) = unit else {
        return UnitKind::None;
    };
    match u {
        "%" | "‰" => UnitKind::Percent,
        "个百分点" | "百分点" => UnitKind::Point,
        "倍" => UnitKind::Times,
        "元" | "美元" | "港元" | "欧元" | "日元" => UnitKind::Money,
        "年" | "天" | "日" | "周" | "小时" | "分钟" | "个月" | "岁" => UnitKind::Time,
        "吨标准煤" | "吨标煤" | "吨" | "千克" | "公斤" | "克" | "亩" | "公顷" | "平方公里"
        | "平方千米" | "平方米" | "公里" | "千米" | "米" | "千瓦时" | "千瓦" | "兆瓦" | "度"
        | "立方米" | "标准箱" | "升" | "桶" | "斤" | "TEU" | "GW" | "MW" | "kW" | "km" | "GB" => {
            UnitKind::Physical
        }
        _ => UnitKind::Count,
    }
}

/// Half of the last written digit: `921.7` → 0.05; `87` → 0.5.
pub fn half_ulp(decimals: u32) -> Decimal {
    Decimal::new(5, decimals + 1)
}

/// The interval a figure stands for, in the units of `value` (= number × magnitude).
pub fn interval(
    parsed: &Parsed,
    factor: Decimal,
    unit: UnitKind,
    has_magnitude: bool,
    qualifier: Option<&Qualifier>,
) -> Interval {
    let v = parsed.value * factor;
    // Counts of things without a magnitude are exact; everything else is rounded.
    let exact =
        matches!(unit, UnitKind::Count | UnitKind::Time) && !has_magnitude && parsed.decimals == 0;
    let r = if exact {
        Decimal::ZERO
    } else {
        half_ulp(parsed.decimals) * factor
    };
    let hi_written = parsed.approx_hi.map(|h| h * factor);
    let tenth = Decimal::new(1, 1);
    let base = Interval {
        lo: Some(v - r),
        hi: Some(hi_written.unwrap_or(v) + r),
    };
    let Some(q) = qualifier else {
        return base;
    };
    match q.kind {
        QualifierKind::AtLeast => Interval {
            lo: base.lo,
            hi: None,
        },
        QualifierKind::AtMost => Interval {
            lo: None,
            hi: base.hi,
        },
        QualifierKind::Nearly => Interval {
            lo: Some(v - v.abs() * tenth),
            hi: base.hi,
        },
        QualifierKind::About => Interval {
            lo: Some(v - v.abs() * tenth - r),
            hi: Some(v + v.abs() * tenth + r),
        },
        QualifierKind::Over => Interval {
            lo: Some(v),
            hi: Some(v + last_place(parsed) * factor),
        },
        QualifierKind::Reach => base,
    }
}

/// The place value of the last non-zero digit of a written number (`5000` → 1000,
/// `60` → 10, `1.5` → 0.1).
fn last_place(p: &Parsed) -> Decimal {
    let mut m = p.value.abs().normalize();
    if m.is_zero() {
        return Decimal::ONE;
    }
    let scale = m.scale();
    if scale > 0 {
        return Decimal::new(1, scale);
    }
    let mut place = Decimal::ONE;
    let ten = Decimal::from(10);
    while (m % ten).is_zero() {
        m /= ten;
        place *= ten;
    }
    place
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::prelude::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn arabic_keeps_written_decimals() {
        let p = parse_arabic("13.50").unwrap();
        assert_eq!((p.value, p.decimals), (d("13.50"), 2));
        assert_eq!(p.value.to_string(), "13.50");
        let p = parse_arabic("1,234.5").unwrap();
        assert_eq!((p.value, p.decimals), (d("1234.5"), 1));
    }

    #[test]
    fn chinese_numerals() {
        let v = |s: &str| parse_chinese(s).map(|p| p.value);
        assert_eq!(v("两"), Some(d("2")));
        assert_eq!(v("十二"), Some(d("12")));
        assert_eq!(v("二十"), Some(d("20")));
        assert_eq!(v("一百二十"), Some(d("120")));
        assert_eq!(v("一百零八"), Some(d("108")));
        assert_eq!(v("三千五百"), Some(d("3500")));
        assert_eq!(v("百"), Some(d("100")));
        assert_eq!(v("十十"), None);
        assert_eq!(v("三五八"), None);
        let p = parse_chinese("三四").unwrap();
        assert_eq!((p.value, p.approx_hi), (d("3"), Some(d("4"))));
    }

    #[test]
    fn intervals() {
        let q = |t: &str| Qualifier {
            text: t.into(),
            kind: qualifier_kind(t).unwrap(),
        };
        let yi = magnitude_factor("亿").unwrap();
        let p = parse_arabic("921.7").unwrap();
        let i = interval(&p, yi, UnitKind::Money, true, None);
        assert_eq!(i.lo, Some(d("92165000000")));
        assert_eq!(i.hi, Some(d("92175000000")));
        let p = parse_arabic("87").unwrap();
        assert_eq!(
            interval(&p, Decimal::ONE, UnitKind::Count, false, None),
            Interval::exact(d("87"))
        );
        let p = parse_arabic("65").unwrap();
        let i = interval(&p, Decimal::ONE, UnitKind::Percent, false, Some(&q("以上")));
        assert_eq!((i.lo, i.hi), (Some(d("64.5")), None));
        let p = parse_arabic("5000").unwrap();
        let i = interval(&p, Decimal::ONE, UnitKind::Count, false, Some(&q("余")));
        assert_eq!((i.lo, i.hi), (Some(d("5000")), Some(d("6000"))));
        let wan = magnitude_factor("万").unwrap();
        let i = interval(&p, wan, UnitKind::Money, true, Some(&q("近")));
        assert!(i.contains(d("49000000")) && !i.contains(d("50010000")));
    }
}
