//! Which figure is most likely wrong.
//!
//! For a violated relation every figure in it is edited once with deducorrect's
//! operators — one digit changed, two adjacent digits swapped, a digit inserted or
//! dropped, the decimal point moved, 万↔亿, the sign flipped — and each edit that makes
//! the relation (and every other relation the figure takes part in) hold is a
//! candidate. Ranking: a figure with exactly one candidate wins over one with several;
//! a swap or a changed digit over an inserted or dropped digit; a part over the total.
//! When no single edit explains the mismatch, the suggestion says so and, for a sum,
//! gives the value a residual part (`其他`) or the total would need.

use rust_decimal::Decimal;

use super::interval::Iv;
use super::relation::Relation;
use crate::extract::number::{interval, magnitude_factor, parse_arabic};
use crate::extract::{Quantity, UnitKind};

/// One way to edit a written number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edit {
    Swap,
    Digit,
    Decimal,
    Insert,
    Delete,
    Magnitude,
    Sign,
}

/// A candidate correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the figure in [`Relation::figures`].
    pub figure: usize,
    /// The figure as it may have been meant (`31条`).
    pub text: String,
    pub edit: Edit,
    /// How much closer the edit brings the figure to the way the relation's other
    /// figures of the same unit are written (magnitude and decimal places): positive
    /// when it makes an odd figure conform, negative when it makes it odd.
    pub fit: i32,
}

/// Whether a written form is one a report could have meant: no fractional counts of
/// things, no negative levels, no `1.500` made by moving a point into an integer, no
/// zero.
fn plausible(q: &Quantity, w: &str, mag: Option<&str>, edit: Edit) -> bool {
    use crate::extract::UnitKind;
    let rate = matches!(q.unit_kind, UnitKind::Percent | UnitKind::Point);
    if edit == Edit::Sign && !rate {
        return false;
    }
    if w.contains('.') && mag.is_none() && q.unit_kind == UnitKind::Count {
        return false;
    }
    if edit == Edit::Decimal && w.contains('.') && w.ends_with('0') {
        return false;
    }
    rate || !w
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
}

/// Written forms one edit away from `w` (digits and at most one decimal point).
fn edits(w: &str) -> Vec<(String, Edit)> {
    let chars: Vec<char> = w.chars().collect();
    let mut out = Vec::new();
    if chars.is_empty()
        || !chars
            .iter()
            .all(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
    {
        return out;
    }
    let s = |v: &[char]| v.iter().collect::<String>();
    for i in 0..chars.len() {
        if chars[i].is_ascii_digit() {
            for d in '0'..='9' {
                if d != chars[i] {
                    let mut v = chars.clone();
                    v[i] = d;
                    out.push((s(&v), Edit::Digit));
                }
            }
            let mut v = chars.clone();
            v.remove(i);
            if v.iter().any(char::is_ascii_digit) {
                out.push((s(&v), Edit::Delete));
            }
        }
        if i + 1 < chars.len()
            && chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && chars[i] != chars[i + 1]
        {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            out.push((s(&v), Edit::Swap));
        }
    }
    for i in 0..=chars.len() {
        for d in '0'..='9' {
            let mut v = chars.clone();
            v.insert(i, d);
            out.push((s(&v), Edit::Insert));
        }
    }
    // Move (or add, or drop) the decimal point.
    let digits: Vec<char> = chars.iter().copied().filter(char::is_ascii_digit).collect();
    for p in 1..digits.len() {
        let mut v = digits.clone();
        v.insert(p, '.');
        out.push((s(&v), Edit::Decimal));
    }
    if chars.contains(&'.') {
        out.push((s(&digits), Edit::Decimal));
    }
    // An edit that keeps the value (`0.40` → `0.4`) only widens the rounding.
    let same_value =
        |t: &str| matches!((t.parse::<Decimal>(), w.parse::<Decimal>()), (Ok(a), Ok(b)) if a == b);
    out.retain(|(t, _)| {
        let leading_zero = t.len() > 1 && t.starts_with('0') && !t.starts_with("0.");
        t != w && !t.starts_with('.') && !t.ends_with('.') && !leading_zero && !same_value(t)
    });
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The interval a figure would stand for if written as `written` (with `magnitude`).
fn reinterval(q: &Quantity, written: &str, magnitude: Option<&str>, negate: bool) -> Option<Iv> {
    let parsed = parse_arabic(written.trim_start_matches('-'))?;
    let factor = magnitude.and_then(magnitude_factor).unwrap_or(Decimal::ONE);
    let i = interval(
        &parsed,
        factor,
        q.unit_kind,
        magnitude.is_some(),
        q.qualifier.as_ref(),
    );
    let iv: Iv = i.into();
    let neg = negate ^ written.starts_with('-');
    Some(if neg { iv.neg() } else { iv })
}

fn with_magnitude(q: &Quantity, written: &str, magnitude: Option<&str>) -> String {
    format!(
        "{}{}{}",
        written,
        magnitude.unwrap_or(""),
        q.unit.as_deref().unwrap_or("")
    )
}

/// All single edits that make `rel` hold, also checking `also(figure, interval)` (the
/// other relations the figure takes part in).
pub fn candidates(rel: &Relation, also: &dyn Fn(&Quantity, Iv) -> bool) -> Vec<Candidate> {
    let figures = rel.figures();
    let base: Vec<Iv> = figures.iter().map(|q| q.interval.into()).collect();
    let mut out = Vec::new();
    for (i, q) in figures.iter().enumerate() {
        if q.chinese || q.written.is_empty() {
            continue;
        }
        let negative = q.value.is_sign_negative();
        let written = q.written.trim_start_matches('-');
        let mut tries: Vec<(String, Option<String>, bool, Edit)> = edits(written)
            .into_iter()
            .map(|(w, e)| (w, q.magnitude.clone(), false, e))
            .collect();
        match q.magnitude.as_deref() {
            Some("万") => tries.push((
                written.to_owned(),
                Some("亿".into()),
                false,
                Edit::Magnitude,
            )),
            Some("亿") => tries.push((
                written.to_owned(),
                Some("万".into()),
                false,
                Edit::Magnitude,
            )),
            _ => {}
        }
        // Only rates and points change sign; a level (`36亿元`, `26家`) is never
        // negative, and flipping it would only dodge a ratio that is then undefined.
        if matches!(
            q.unit_kind,
            UnitKind::Percent | UnitKind::Point | UnitKind::None
        ) {
            tries.push((written.to_owned(), q.magnitude.clone(), true, Edit::Sign));
        }
        let conform = |m: Option<&str>, w: &str| {
            let dec = w.find('.').map_or(0, |p| w.len() - p - 1) as u32;
            figures
                .iter()
                .enumerate()
                .filter(|(j, f)| *j != i && f.unit == q.unit && !f.chinese)
                .map(|(_, f)| i32::from(f.magnitude.as_deref() == m) + i32::from(f.decimals == dec))
                .sum::<i32>()
        };
        // A figure written in a form no report means (`7.9家`) is the likely slip.
        let odd = if plausible(q, written, q.magnitude.as_deref(), Edit::Digit) {
            0
        } else {
            3
        };
        let now = conform(q.magnitude.as_deref(), written) - odd;
        for (w, mag, flip, edit) in tries {
            // A figure edited to zero makes a ratio undecidable, not right.
            if w.chars().all(|c| matches!(c, '0' | '.')) || !plausible(q, &w, mag.as_deref(), edit)
            {
                continue;
            }
            let Some(mut iv) = reinterval(q, &w, mag.as_deref(), false) else {
                continue;
            };
            if negative ^ flip {
                iv = iv.neg();
            }
            // A ratio over a figure that turns zero or negative is not decided, so it
            // would "hold" for any value: such an edit explains nothing.
            let ratio = matches!(
                rel,
                Relation::Share { .. } | Relation::Growth { .. } | Relation::Times { .. }
            );
            if ratio
                && base[i].lo.is_some_and(|l| l > Decimal::ZERO)
                && iv.lo.is_none_or(|l| l <= Decimal::ZERO)
            {
                continue;
            }
            let mut ivs = base.clone();
            ivs[i] = iv;
            if rel.holds_with(&ivs) && also(q, iv) {
                let shown = if negative ^ flip {
                    format!("-{w}")
                } else {
                    w.clone()
                };
                out.push(Candidate {
                    figure: i,
                    text: with_magnitude(q, &shown, mag.as_deref()),
                    edit,
                    fit: conform(mag.as_deref(), &w) - now,
                });
            }
        }
    }
    out
}

/// The best candidate, ranked as described in the module docs. `prefer` lists figure
/// indices to prefer on a tie (a residual part such as `其他类`).
pub fn best(cands: &[Candidate], n_figures: usize, prefer: &[usize]) -> Option<Candidate> {
    if cands.is_empty() {
        return None;
    }
    let count = |f: usize| cands.iter().filter(|c| c.figure == f).count();
    let mut ranked: Vec<&Candidate> = cands.iter().collect();
    ranked.sort_by_key(|c| {
        (
            -c.fit,
            count(c.figure),
            c.edit,
            !prefer.contains(&c.figure),
            // Parts before the total (the total is last in a sum).
            c.figure + 1 == n_figures,
        )
    });
    ranked.first().map(|c| (*c).clone())
}

/// The Chinese suggestion for a violated relation, and the index of the figure it
/// names as most likely wrong.
pub fn suggestion(
    rel: &Relation,
    also: &dyn Fn(&Quantity, Iv) -> bool,
    prefer: &[usize],
) -> (String, Option<usize>) {
    let figures = rel.figures();
    let cands = candidates(rel, also);
    if let Some(c) = best(&cands, figures.len(), prefer) {
        let q = figures[c.figure];
        let others = cands
            .iter()
            .filter(|x| x.figure != c.figure)
            .map(|x| x.figure)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let mut s = format!("“{}”可能应为“{}”", q.text, c.text);
        if others > 0 {
            s.push_str(&format!("（另有 {others} 个数字改动一处也能相符）"));
        }
        return (s, Some(c.figure));
    }
    let mut s = "没有单一改动能解释这一不符".to_owned();
    if let Relation::Sum {
        parts,
        total,
        exhaustive: true,
    } = rel
    {
        // The value the residual part (or the total) would need.
        let sum_others = |skip: usize| -> Option<Decimal> {
            parts
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .try_fold(Decimal::ZERO, |a, (_, q)| a.checked_add(q.value))
        };
        let target = prefer.first().copied().filter(|&i| i < parts.len());
        let need = match target {
            Some(i) => total
                .value
                .checked_sub(sum_others(i).unwrap_or_default())
                .map(|v| (i, v)),
            None => sum_others(usize::MAX).map(|v| (parts.len(), v)),
        };
        if let Some((i, v)) = need {
            let q = figures[i];
            let factor = q
                .magnitude
                .as_deref()
                .and_then(magnitude_factor)
                .unwrap_or(Decimal::ONE);
            if let Some(n) = v.checked_div(factor) {
                let n = n.round_dp(q.decimals.max(2)).normalize();
                s.push_str(&format!(
                    "；若其余数字无误，“{}”应为{}{}{}",
                    q.text,
                    n,
                    q.magnitude.as_deref().unwrap_or(""),
                    q.unit.as_deref().unwrap_or("")
                ));
            }
        }
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{ExtractOptions, extract};
    use crate::load::SourceFile;

    fn quantities(text: &str) -> Vec<Quantity> {
        let ex = extract(SourceFile::from_text("t", text), &ExtractOptions::default());
        ex.facts
            .all_statements()
            .into_iter()
            .filter_map(|s| s.value.clone())
            .collect()
    }

    #[test]
    fn single_digit_typo_in_a_part() {
        // 12 + 18 + 10 + 8 + 17 = 65 ≠ 60: the 17 was meant to be 12.
        let q = quantities("共60条，其中甲类12条，乙类18条，丙类10条，丁类8条，其他类17条。");
        let rel = Relation::Sum {
            parts: q[1..].to_vec(),
            total: q[0].clone(),
            exhaustive: true,
        };
        assert!(!rel.holds());
        let (s, fig) = suggestion(&rel, &|_, _| true, &[4]);
        assert_eq!(fig, Some(4));
        assert!(s.starts_with("“17条”可能应为“12条”"), "{s}");
    }

    #[test]
    fn no_single_edit() {
        let q = quantities("共70条，其中甲类12条，乙类18条，其他类25条。");
        let rel = Relation::Sum {
            parts: q[1..].to_vec(),
            total: q[0].clone(),
            exhaustive: true,
        };
        let (s, _) = suggestion(&rel, &|_, _| true, &[2]);
        assert!(s.contains("没有单一改动") && s.contains("应为40条"), "{s}");
    }

    #[test]
    fn wan_yi_slip() {
        let q = quantities("减税降费2.6亿元，其中新政策减免1.3万元。");
        let rel = Relation::NotAbove {
            part: q[1].clone(),
            whole: q[0].clone(),
        };
        assert!(rel.holds());
        let q2 = quantities("减税降费2.6万元，其中新政策减免1.3亿元。");
        let rel = Relation::NotAbove {
            part: q2[1].clone(),
            whole: q2[0].clone(),
        };
        assert!(!rel.holds());
        let c = candidates(&rel, &|_, _| true);
        assert!(c.iter().any(|c| c.edit == Edit::Magnitude));
    }
}
