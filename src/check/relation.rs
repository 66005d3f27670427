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
    /// `a − b = gap` in percentage points (`gap` signed by direction).
    Gap {
        a: Quantity,
        b: Quantity,
        gap: Quantity,
        down: bool,
    },
    /// `(1 + avg)² = 1 + total` for two-year average growth.
    TwoYear {
        total: Quantity,
        avg: Quantity,
        total_down: bool,
        avg_down: bool,
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
            Relation::Gap { down, .. } => ivs[0].sub(ivs[1]).meets(signed(ivs[2], *down)),
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
        }
    }
}
