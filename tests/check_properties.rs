//! Property tests of the interval arithmetic through the whole pipeline (text →
//! extract → check), as issue 3 asks: draw true figures, round each to its own
//! written decimals, and no error may be reported; push one figure just past the
//! interval its neighbours allow, and the error must be reported.
//!
//! The texts are invented (示例市); figures are drawn, never copied.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::SourceFile;
use jiaohe::report::Severity;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

fn rules() -> &'static RuleSet {
    static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| RuleSet::defaults().expect("default packs load"))
}

/// The errors (rule, message) found in `text`.
fn errors(text: &str) -> Vec<(String, String)> {
    let set = rules();
    let ex = extract_with(
        SourceFile::from_text("prop.txt", text),
        &ExtractOptions::default(),
        &set.table,
    );
    check(set, &ex)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule, d.message))
        .collect()
}

/// `v` rounded half away from zero to `d` decimals, written with exactly `d` decimals.
fn round(v: Decimal, d: u32) -> Decimal {
    let mut r = v.round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(d);
    r
}

/// Half a unit of the last written decimal.
fn half(d: u32) -> Decimal {
    Decimal::new(5, d + 1)
}

/// One unit of the `d`-th decimal.
fn unit(d: u32) -> Decimal {
    Decimal::new(1, d)
}

/// The smallest number written with `d` decimals whose interval lies wholly above `x`.
fn just_above(x: Decimal, d: u32) -> Decimal {
    let mut t = (x + half(d)).round_dp_with_strategy(d, RoundingStrategy::ToPositiveInfinity);
    if t - half(d) <= x {
        t += unit(d);
    }
    t.rescale(d);
    t
}

/// A true amount in 亿元 with three decimals (10.000 … 999.999).
fn amount() -> impl Strategy<Value = Decimal> {
    (10_000i64..1_000_000).prop_map(|n| Decimal::new(n, 3))
}

fn breakdown_text(total: Decimal, parts: &[Decimal]) -> String {
    let names = ["工业投资", "基础设施投资", "民间投资", "社会领域投资"];
    let mut s = format!("2025年，示例市固定资产投资共计{total}亿元，其中");
    for (i, p) in parts.iter().enumerate() {
        let name = if i + 1 == parts.len() {
            "其他投资"
        } else {
            names[i]
        };
        if i > 0 {
            s.push('，');
        }
        s.push_str(&format!("{name}{p}亿元"));
    }
    s.push('。');
    s
}

fn growth_text(from: Decimal, to: Decimal, g: Decimal) -> String {
    format!("2025年，示例市税收收入由{from}亿元增至{to}亿元，增长{g}%。")
}

fn share_text(n: u32, k: u32, s: Decimal) -> String {
    format!("2025年，示例市{n}个工业行业中有{k}个行业增加值增长，增长面达{s}%。")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A complete breakdown (closed by 其他) whose parts add up to the total before
    /// rounding: each figure rounded to its own decimals is never an error.
    #[test]
    fn rounded_breakdown_is_clean(
        parts in prop::collection::vec((amount(), 0u32..3), 2..5),
        dt in 0u32..3,
    ) {
        let total: Decimal = parts.iter().map(|(v, _)| *v).sum();
        let shown: Vec<Decimal> = parts.iter().map(|(v, d)| round(*v, *d)).collect();
        let text = breakdown_text(round(total, dt), &shown);
        let e = errors(&text);
        prop_assert!(e.is_empty(), "{text}\n{e:?}");
    }

    /// The same breakdown with the total pushed just past what the rounded parts allow.
    #[test]
    fn breakdown_pushed_past_is_an_error(
        parts in prop::collection::vec((amount(), 0u32..3), 2..5),
        dt in 0u32..3,
    ) {
        let shown: Vec<Decimal> = parts.iter().map(|(v, d)| round(*v, *d)).collect();
        let hi: Decimal = parts.iter().zip(&shown).map(|((_, d), s)| *s + half(*d)).sum();
        let text = breakdown_text(just_above(hi, dt), &shown);
        let e = errors(&text);
        prop_assert!(e.iter().any(|(r, _)| r == "A101"), "{text}\n{e:?}");
    }

    /// Two levels and the growth between them, each rounded to its own decimals.
    #[test]
    fn rounded_growth_is_clean(
        from in amount(),
        pct in -400i64..900,
        (df, dn, dg) in (0u32..3, 0u32..3, 1u32..3),
    ) {
        // Growth −40.0 % … +90.0 %, in tenths of a point.
        let to = from * (Decimal::ONE + Decimal::new(pct, 3));
        let g = (to / from - Decimal::ONE) * Decimal::ONE_HUNDRED;
        let text = growth_text(round(from, df), round(to, dn), round(g, dg).abs());
        let text = if g.is_sign_negative() {
            text.replace("增至", "降至").replace("增长", "下降")
        } else {
            text
        };
        let e = errors(&text);
        prop_assert!(e.is_empty(), "{text}\n{e:?}");
    }

    /// The growth pushed just above what the two rounded levels allow.
    #[test]
    fn growth_pushed_past_is_an_error(
        from in amount(),
        pct in 10i64..900,
        (df, dn, dg) in (0u32..3, 0u32..3, 1u32..3),
    ) {
        let to = from * (Decimal::ONE + Decimal::new(pct, 3));
        let (f, t) = (round(from, df), round(to, dn));
        // The largest growth the written levels allow.
        let hi = ((t + half(dn)) / (f - half(df)) - Decimal::ONE) * Decimal::ONE_HUNDRED;
        let text = growth_text(f, t, just_above(hi, dg));
        let e = errors(&text);
        prop_assert!(e.iter().any(|(r, _)| r == "A110"), "{text}\n{e:?}");
    }

    /// A count share (`40个…中有31个…，增长面达77.5%`) rounded to its decimals.
    #[test]
    fn rounded_share_is_clean(n in 5u32..200, frac in 0u32..=1000, d in 0u32..3) {
        let k = n * frac / 1000;
        let s = Decimal::from(k) * Decimal::ONE_HUNDRED / Decimal::from(n);
        let text = share_text(n, k, round(s, d));
        let e = errors(&text);
        prop_assert!(e.is_empty(), "{text}\n{e:?}");
    }

    /// The share pushed just past its exact value's rounding interval.
    #[test]
    fn share_pushed_past_is_an_error(n in 5u32..200, frac in 0u32..1000, d in 0u32..3) {
        let k = n * frac / 1000;
        let s = Decimal::from(k) * Decimal::ONE_HUNDRED / Decimal::from(n);
        let text = share_text(n, k, just_above(s, d));
        let e = errors(&text);
        prop_assert!(e.iter().any(|(r, _)| r == "A104"), "{text}\n{e:?}");
    }
}

#[test]
fn helpers_round_as_reports_do() {
    assert_eq!(round(Decimal::new(2345, 3), 2).to_string(), "2.35");
    assert_eq!(round(Decimal::new(20, 0), 1).to_string(), "20.0");
    assert_eq!(just_above(Decimal::new(105, 1), 0).to_string(), "12");
    assert_eq!(just_above(Decimal::new(104, 1), 0).to_string(), "11");
}
