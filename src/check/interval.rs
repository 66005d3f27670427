//! Interval arithmetic on exact decimals.
//!
//! Every figure stands for an interval (see [`crate::extract::number`]). A relation
//! between figures is reported only when the intervals cannot agree: the sum of the
//! parts' intervals must miss the total's interval, and so on (XBRL Calculations 1.1
//! extended to shares, growth and gaps). `None` is an open end. Arithmetic that would
//! overflow a decimal gives an open end too, so it never makes a false error.

#![allow(clippy::should_implement_trait)]

use rust_decimal::Decimal;

use crate::extract::Interval;

/// An interval `[lo, hi]`; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Iv {
    pub lo: Option<Decimal>,
    pub hi: Option<Decimal>,
}

impl From<Interval> for Iv {
    fn from(i: Interval) -> Self {
        Iv { lo: i.lo, hi: i.hi }
    }
}

impl Iv {
    pub fn exact(v: Decimal) -> Self {
        Iv {
            lo: Some(v),
            hi: Some(v),
        }
    }

    pub fn new(lo: Decimal, hi: Decimal) -> Self {
        Iv {
            lo: Some(lo.min(hi)),
            hi: Some(lo.max(hi)),
        }
    }

    pub fn add(self, o: Iv) -> Iv {
        Iv {
            lo: self.lo.zip(o.lo).and_then(|(a, b)| a.checked_add(b)),
            hi: self.hi.zip(o.hi).and_then(|(a, b)| a.checked_add(b)),
        }
    }

    pub fn neg(self) -> Iv {
        Iv {
            lo: self.hi.map(|v| -v),
            hi: self.lo.map(|v| -v),
        }
    }

    pub fn sub(self, o: Iv) -> Iv {
        self.add(o.neg())
    }

    /// Multiplication by a constant.
    pub fn scale(self, k: Decimal) -> Iv {
        let m = |v: Option<Decimal>| v.and_then(|x| x.checked_mul(k));
        if k.is_sign_negative() {
            Iv {
                lo: m(self.hi),
                hi: m(self.lo),
            }
        } else {
            Iv {
                lo: m(self.lo),
                hi: m(self.hi),
            }
        }
    }

    /// `self / o` for intervals that lie above zero; `None` otherwise (a relation over
    /// a divisor that may be zero or negative is not checked).
    pub fn div_pos(self, o: Iv) -> Option<Iv> {
        let (olo, ohi) = (o.lo?, o.hi);
        if olo <= Decimal::ZERO || self.lo.is_none_or(|l| l < Decimal::ZERO) {
            return None;
        }
        let lo = match ohi {
            Some(h) => self.lo.and_then(|l| l.checked_div(h)),
            None => Some(Decimal::ZERO),
        };
        let hi = self.hi.and_then(|h| h.checked_div(olo));
        Some(Iv { lo, hi })
    }

    /// Whether the two intervals have a point in common.
    pub fn meets(self, o: Iv) -> bool {
        let lo_ok = match (self.lo, o.hi) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        };
        let hi_ok = match (self.hi, o.lo) {
            (Some(a), Some(b)) => a >= b,
            _ => true,
        };
        lo_ok && hi_ok
    }

    /// Whether every point of `self` is at most every point of `o` is *false*, i.e.
    /// whether `self ≤ o` can hold for some choice of points.
    pub fn can_be_at_most(self, o: Iv) -> bool {
        match (self.lo, o.hi) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        }
    }

    pub fn contains(self, v: Decimal) -> bool {
        self.lo.is_none_or(|l| l <= v) && self.hi.is_none_or(|h| v <= h)
    }

    /// The midpoint, when both ends are known.
    pub fn mid(self) -> Option<Decimal> {
        let (a, b) = (self.lo?, self.hi?);
        a.checked_add(b).map(|s| s / Decimal::TWO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn sums_and_ratios() {
        let a = Iv::new(d("12.45"), d("12.55"));
        let b = Iv::new(d("7.45"), d("7.55"));
        let s = a.add(b);
        assert_eq!(s, Iv::new(d("19.9"), d("20.1")));
        assert!(s.meets(Iv::exact(d("20"))));
        assert!(!s.meets(Iv::exact(d("21"))));
        let r = Iv::exact(d("22"))
            .div_pos(Iv::exact(d("31")))
            .unwrap()
            .scale(d("100"));
        assert!(r.meets(Iv::new(d("70.5"), d("71.5"))));
        assert!(
            Iv::exact(d("1"))
                .div_pos(Iv::new(d("-1"), d("1")))
                .is_none()
        );
    }
}
