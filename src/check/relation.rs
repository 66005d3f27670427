//! Relations between figures, decided on intervals.
//!
//! A kind that checks arithmetic builds a [`Relation`] from the figures it reads and
//! asks whether it [`holds`](Relation::holds). When it does not, the same relation is
//! handed to [`super::suggest`], which tries single edits of each figure.

use rust_decimal::Decimal;

use super::interval::Iv;
use crate::extract::Quantity;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// An arithmetic relation over figures.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// `Σ parts = total`, or `Σ parts ≤ total` when the list is not exhaustive.
    Sum {
        parts: Vec<Quantity>,
        total: Quantity,
        exhaustive: bool,
    },
    /// `part ≤ whole`.
    NotAbove { part: Quantity, whole: Quantity },
    /// `part ÷ whole × 100 = pct`.
    Share {
        part: Quantity,
        whole: Quantity,
        pct: Quantity,
    },
    /// `(to ÷ from − 1) × 100 = pct` (`pct` signed by direction).
    Growth {
        from: Quantity,
        to: Quantity,
        pct: Quantity,
        /// `下降`: the percentage is a fall.
        down: bool,
    },
    /// `to = from × factor`, for 倍 and 番.
    Times {
        from: Quantity,
        to: Quantity,
        factor: Quantity,
        /// `增长X倍` means × (X + 1).
        plus_one: bool,
        /// `翻n番` means × 2ⁿ.
        doublings: bool,
    },
    /// `Σ terms = 100` (a structure ratio, a complete list of shares).
    Hundred { terms: Vec<Quantity> },
    /// `a − b = gap` in percentage points (`gap` signed by direction; `a` and `b` are
    /// falls when `a_down`/`b_down`, as in `下降8.0%，全省下降9.0%，高1.0个百分点`).
    Gap {
        a: Quantity,
        b: Quantity,
        gap: Quantity,
        a_down: bool,
        b_down: bool,
        down: bool,
    },
    /// `(1 + avg)² = 1 + total` for two-year average growth.
    TwoYear {
        total: Quantity,
        avg: Quantity,
        total_down: bool,
        avg_down: bool,
    },
    /// `Σ ±terms = ±total`, or `Σ ±terms = 0` without a total: 拉动 of a complete
    /// breakdown adding up to the growth (one of them `向下`), changes of the shares of a
    /// complete composition netting to zero. `down[i]` makes term `i` negative.
    SignedSum {
        terms: Vec<Quantity>,
        down: Vec<bool>,
        total: Option<Quantity>,
        total_down: bool,
    },
    /// `min(parts) ≤ total ≤ max(parts)`, all signed: a total's growth is a weighted
    /// mean of its parts' growth.
    Within {
        parts: Vec<Quantity>,
        down: Vec<bool>,
        total: Quantity,
        total_down: bool,
    },
    /// Some whole number `b ≥ 1` has `(count ÷ b − 1) × 100` inside the growth's
    /// interval: a count of things grew from a count of things.
    IntegerBase {
        count: Quantity,
        pct: Quantity,
        down: bool,
    },
}

fn iv(q: &Quantity) -> Iv {
    q.interval.into()
}

impl Relation {
    /// The figures of the relation, in a fixed order.
    pub fn figures(&self) -> Vec<&Quantity> {
        match self {
            Relation::Sum { parts, total, .. } => {
                let mut v: Vec<&Quantity> = parts.iter().collect();
                v.push(total);
                v
            }
            Relation::NotAbove { part, whole } => vec![part, whole],
            Relation::Share { part, whole, pct } => vec![part, whole, pct],
            Relation::Growth { from, to, pct, .. } => vec![from, to, pct],
            Relation::Times {
                from, to, factor, ..
            } => vec![from, to, factor],
            Relation::Hundred { terms } => terms.iter().collect(),
            Relation::Gap { a, b, gap, .. } => vec![a, b, gap],
            Relation::TwoYear { total, avg, .. } => vec![total, avg],
            Relation::SignedSum { terms, total, .. } => {
                let mut v: Vec<&Quantity> = terms.iter().collect();
                v.extend(total.iter());
                v
            }
            Relation::Within { parts, total, .. } => {
                let mut v: Vec<&Quantity> = parts.iter().collect();
                v.push(total);
                v
            }
            Relation::IntegerBase { count, pct, .. } => vec![count, pct],
        }
    }

    /// Whether the relation can hold with the figures' intervals.
    pub fn holds(&self) -> bool {
        let ivs: Vec<Iv> = self.figures().into_iter().map(iv).collect();
        self.holds_with(&ivs)
    }

    /// Whether the relation can hold when the figures stand for `ivs` (same order as
    /// [`Relation::figures`]).
    pub fn holds_with(&self, ivs: &[Iv]) -> bool {
        let signed = |v: Iv, down: bool| if down { v.neg() } else { v };
        match self {
            Relation::Sum { exhaustive, .. } => {
                let (total, parts) = match ivs.split_last() {
                    Some(x) => x,
                    None => return true,
                };
                let sum = parts
                    .iter()
                    .fold(Iv::exact(Decimal::ZERO), |a, b| a.add(*b));
                if *exhaustive {
                    sum.meets(*total)
                } else {
                    sum.can_be_at_most(*total)
                }
            }
            Relation::NotAbove { .. } => ivs[0].can_be_at_most(ivs[1]),
            Relation::Share { .. } => match ivs[0].div_pos(ivs[1]) {
                Some(r) => r.scale(HUNDRED).meets(ivs[2]),
                None => true,
            },
            Relation::Growth { down, .. } => match ivs[1].div_pos(ivs[0]) {
                Some(r) => r
                    .sub(Iv::exact(Decimal::ONE))
                    .scale(HUNDRED)
                    .meets(signed(ivs[2], *down)),
                None => true,
            },
            Relation::Times {
                plus_one,
                doublings,
                ..
            } => {
                let factor = if *doublings {
                    // 2ⁿ for small integer n.
                    match ivs[2]
                        .mid()
                        .and_then(|n| u32::try_from(n.trunc().mantissa()).ok())
                    {
                        Some(n) if n <= 10 => Iv::exact(Decimal::from(1u64 << n)),
                        _ => return true,
                    }
                } else if *plus_one {
                    ivs[2].add(Iv::exact(Decimal::ONE))
                } else {
                    ivs[2]
                };
                match ivs[1].div_pos(ivs[0]) {
                    Some(r) => r.meets(factor),
                    None => true,
                }
            }
            Relation::Hundred { .. } => ivs
                .iter()
                .fold(Iv::exact(Decimal::ZERO), |a, b| a.add(*b))
                .meets(Iv::exact(HUNDRED)),
            Relation::Gap {
                a_down,
                b_down,
                down,
                ..
            } => signed(ivs[0], *a_down)
                .sub(signed(ivs[1], *b_down))
                .meets(signed(ivs[2], *down)),
            Relation::TwoYear {
                total_down,
                avg_down,
                ..
            } => {
                // (1 + avg/100)² − 1, in percent, must meet the two-year total.
                let a = signed(ivs[1], *avg_down)
                    .scale(Decimal::new(1, 2))
                    .add(Iv::exact(Decimal::ONE));
                let (Some(lo), Some(hi)) = (a.lo, a.hi) else {
                    return true;
                };
                if lo < Decimal::ZERO {
                    return true;
                }
                let sq = |x: Decimal| x.checked_mul(x);
                let (Some(l2), Some(h2)) = (sq(lo), sq(hi)) else {
                    return true;
                };
                Iv::new(l2, h2)
                    .sub(Iv::exact(Decimal::ONE))
                    .scale(HUNDRED)
                    .meets(signed(ivs[0], *total_down))
            }
            Relation::SignedSum {
                terms,
                down,
                total,
                total_down,
            } => {
                let sum = ivs[..terms.len()]
                    .iter()
                    .zip(down)
                    .fold(Iv::exact(Decimal::ZERO), |a, (v, d)| a.add(signed(*v, *d)));
                let target = match total {
                    Some(_) => match ivs.get(terms.len()) {
                        Some(t) => signed(*t, *total_down),
                        None => return true,
                    },
                    None => Iv::exact(Decimal::ZERO),
                };
                sum.meets(target)
            }
            Relation::Within {
                parts,
                down,
                total_down,
                ..
            } => {
                let Some(total) = ivs.get(parts.len()).map(|t| signed(*t, *total_down)) else {
                    return true;
                };
                let parts: Vec<Iv> = ivs[..parts.len()]
                    .iter()
                    .zip(down)
                    .map(|(v, d)| signed(*v, *d))
                    .collect();
                // The total can reach down to the smallest part's lower end and up to
                // the largest part's upper end; an open end bounds nothing.
                let ends = |f: fn(&Iv) -> Option<Decimal>| -> Option<Vec<Decimal>> {
                    parts.iter().map(f).collect()
                };
                let lowest = ends(|p| p.lo).and_then(|v| v.into_iter().min());
                let highest = ends(|p| p.hi).and_then(|v| v.into_iter().max());
                total.meets(Iv {
                    lo: lowest,
                    hi: highest,
                })
            }
            Relation::IntegerBase { down, .. } => integer_base(ivs[0], signed(ivs[1], *down)),
        }
    }
}

/// Whether a whole count in `count` can have grown by a percentage in `pct` from a
/// whole base `b ≥ 1`. The bases that can work lie in `[n ÷ (1 + hi/100), n ÷ (1 +
/// lo/100)]`; every whole number in that range (widened by one on each side against
/// rounding in the division) is tested exactly as `(n − b) × 100 ∈ [lo × b, hi × b]`,
/// which needs no division. The percentage's interval is closed, so a value written
/// after rounding half up and one written after rounding half to even both pass.
pub fn integer_base(count: Iv, pct: Iv) -> bool {
    const MAX_TRIES: i64 = 1000;
    let (Some(nlo), Some(nhi)) = (count.lo, count.hi) else {
        return true;
    };
    let (nlo, nhi) = (nlo.ceil(), nhi.floor());
    // Beyond a trillion the arithmetic below could overflow, and so many bases fit
    // that the relation holds anyway.
    if nhi < Decimal::ONE
        || nhi > Decimal::from(1_000_000_000_000_i64)
        || nhi - nlo > Decimal::from(MAX_TRIES)
    {
        return true;
    }
    let one = Decimal::ONE;
    let mut n = nlo.max(one);
    while n <= nhi {
        // Lower and upper bound of the base for this count.
        let b_lo = match pct.hi {
            Some(h) => match one.checked_add(h / HUNDRED) {
                Some(f) if f > Decimal::ZERO => n.checked_div(f),
                _ => return true,
            },
            None => Some(Decimal::ZERO),
        };
        let b_hi = match pct.lo {
            Some(l) => match one.checked_add(l / HUNDRED) {
                Some(f) if f > Decimal::ZERO => n.checked_div(f),
                // A fall of 100% or more: any base works as far as we can tell.
                _ => return true,
            },
            None => return true,
        };
        let (Some(b_lo), Some(b_hi)) = (b_lo, b_hi) else {
            return true;
        };
        if b_hi - b_lo > Decimal::from(MAX_TRIES) {
            return true;
        }
        let mut b = (b_lo.floor() - one).max(one);
        let end = b_hi.ceil() + one;
        while b <= end {
            let diff = (n - b) * HUNDRED;
            let lo_ok = pct
                .lo
                .is_none_or(|l| l.checked_mul(b).is_none_or(|x| x <= diff));
            let hi_ok = pct
                .hi
                .is_none_or(|h| h.checked_mul(b).is_none_or(|x| diff <= x));
            if lo_ok && hi_ok {
                return true;
            }
            b += one;
        }
        n += one;
    }
    false
}
