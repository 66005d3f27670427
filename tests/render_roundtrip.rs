//! Round trip: render → extract recovers every figure of the data with its
//! indicator, unit, period and change, and `check` finds no error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::RuleSet;
use jiaohe::render::data::{self, ReportData};
use jiaohe::render::{Renderer, draft, roundtrip};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::defaults().expect("default rules load"))
}

/// Renders and verifies; returns the mismatches and the self-check errors.
fn trip(
    renderer: &Renderer,
    template: &str,
    data: ReportData,
) -> (Vec<String>, Vec<String>, String) {
    let d = draft(renderer, template, data, rules(), None, "draft.txt").expect("renders");
    let mism = roundtrip::verify(&d.data, &d.check.extraction.facts, &rules().table)
        .iter()
        .map(ToString::to_string)
        .collect();
    let errors = d
        .check
        .report
        .diagnostics
        .iter()
        .filter(|x| x.severity == jiaohe::report::Severity::Error)
        .map(|x| format!("{} {}", x.rule, x.message))
        .chain(
            d.issues
                .iter()
                .filter(|i| i.severity == jiaohe::report::Severity::Error)
                .map(ToString::to_string),
        )
        .collect();
    (mism, errors, jiaohe::render::output::prose(&d.blocks))
}

fn example(path: &str) -> ReportData {
    data::read_path(std::path::Path::new(path)).expect("example data reads")
}

#[test]
fn all_examples_round_trip() {
    let r = Renderer::default();
    for (path, template) in [
        ("examples/render/shili-2025.yaml", "annual-review"),
        ("examples/render/shili-2025-q3.yaml", "quarterly-brief"),
        ("examples/render/shili-gxj-2025.yaml", "work-summary-plan"),
        (
            "examples/render/shili-bulletin-2025.yaml",
            "bulletin-industry",
        ),
    ] {
        let (m, e, text) = trip(&r, template, example(path));
        assert!(
            m.is_empty() && e.is_empty(),
            "{path}:\n{}\n{}\n{text}",
            m.join("\n"),
            e.join("\n")
        );
    }
    let all = example("examples/render/counties-2025-q3.csv");
    for (k, d) in data::split_each(&all, "scope").unwrap() {
        let (m, e, text) = trip(&r, "quarterly-brief", d);
        assert!(
            m.is_empty() && e.is_empty(),
            "{k}:\n{}\n{}\n{text}",
            m.join("\n"),
            e.join("\n")
        );
    }
}

// ------------------------------------------------------------------ generated data

use jiaohe::render::data::{Figure, Indicator};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Random figures for one data set: a global scale for levels (keeps parts below
/// their wholes and counts below their totals), one growth per indicator, and
/// which ranks and comparisons to keep.
#[derive(Debug, Clone)]
struct Gen {
    scale: (i64, u32),
    growths: Vec<(i64, u32)>,
    refs: Vec<(i64, u32)>,
    ranks: Vec<Option<u32>>,
    even: bool,
}

fn figures() -> impl Strategy<Value = Gen> {
    let growth = prop_oneof![
        4 => (-950i64..4000, 0u32..3),
        1 => Just((0i64, 1u32)),
        1 => Just((0i64, 2u32)),
        1 => Just((1i64, 1u32)),
        1 => Just((-1i64, 1u32)),
        1 => Just((2000i64, 1u32)),
    ];
    (
        (50i64..2000, Just(0u32)),
        prop::collection::vec(growth, 40),
        prop::collection::vec((-300i64..600, 1u32..2), 40),
        prop::collection::vec(prop::option::of(1u32..20), 40),
        any::<bool>(),
    )
        .prop_map(|(scale, growths, refs, ranks, even)| Gen {
            scale,
            growths,
            refs,
            ranks,
            even,
        })
}

fn dec(n: i64, scale: u32) -> Decimal {
    Decimal::new(n, scale)
}

/// Scales a level by `k`, rounding to its own decimals (counts stay whole and at
/// least 1).
fn scaled(f: &Figure, k: Decimal) -> Figure {
    let mut v = (f.value * k).round_dp(f.decimals);
    if v <= Decimal::ZERO {
        v = Decimal::new(1, f.decimals);
    }
    Figure {
        value: v,
        ..f.clone()
    }
}

fn mutate(ind: &mut Indicator, g: &Gen, k: Decimal, n: &mut usize) {
    let i = *n % g.growths.len();
    *n += 1;
    if let Some(v) = &ind.value {
        ind.value = Some(scaled(v, k));
    }
    if let Some(w) = &mut ind.whole {
        w.value = scaled(&w.value, k);
        if let Some(v) = &ind.value {
            if v.value > w.value.value {
                w.value.value = v.value;
            }
        }
    }
    if let Some(p) = &ind.prev {
        // A previous level from a random growth, so the computed growth varies.
        let (gn, _) = g.growths[i];
        let factor = Decimal::ONE + dec(gn, 3);
        let base = ind.value.as_ref().map_or(p.value, |v| v.value);
        let mut pv = (base / factor).round_dp(p.decimals);
        if pv <= Decimal::ZERO {
            pv = Decimal::new(1, p.decimals);
        }
        ind.prev = Some(Figure {
            value: pv,
            ..p.clone()
        });
    } else if ind.growth.is_some() {
        // Growth in tenths of a percent (-95.0% … 400.0%), shown with 1–2 decimals.
        let (gn, gd) = g.growths[i];
        let d = gd.clamp(1, 2);
        ind.growth = Some(Figure::new(dec(gn, 1).round_dp(d), d, "%"));
    }
    if let Some(c) = &mut ind.compare {
        let (rn, rd) = g.refs[i];
        c.value = Some(Figure::new(dec(rn, rd), rd, "%"));
        c.gap = None;
    }
    if ind.rank.is_some() || g.ranks[(i + 7) % g.ranks.len()].is_some() && ind.growth.is_some() {
        match g.ranks[i] {
            Some(pos) => {
                let mut r = ind.rank.clone().unwrap_or(jiaohe::render::data::RankSpec {
                    scope: "全省".into(),
                    pos,
                    of: None,
                    of_label: None,
                    style: "arabic".into(),
                    first: false,
                    consecutive: None,
                });
                r.pos = pos;
                if let Some(of) = r.of {
                    r.of = Some(of.max(pos));
                }
                ind.rank = Some(r);
            }
            None => ind.rank = None,
        }
    }
    for p in &mut ind.parts {
        mutate(p, g, k, n);
    }
}

fn generated(base: &ReportData, g: &Gen) -> ReportData {
    let mut d = base.clone();
    // 0.50 … 19.99: levels keep their order of size.
    let k = dec(g.scale.0, g.scale.1 + 2);
    let mut n = 0;
    for i in &mut d.indicators {
        // Targets stay as they are: they are plans, not achieved figures.
        if i.target.is_none() {
            mutate(i, g, k, &mut n);
        }
    }
    if g.even {
        d.fields
            .insert("rounding".into(), serde_json::Value::from("even"));
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every shipped template, generated data: every figure comes back with its
    /// indicator, unit, period and change; the check finds no error.
    #[test]
    fn generated_data_round_trips(g in figures()) {
        let r = Renderer::default();
        let mut sets: Vec<(String, &str, ReportData)> = vec![
            ("shili-2025".into(), "annual-review", example("examples/render/shili-2025.yaml")),
            ("shili-2025-q3".into(), "quarterly-brief", example("examples/render/shili-2025-q3.yaml")),
            ("shili-gxj-2025".into(), "work-summary-plan", example("examples/render/shili-gxj-2025.yaml")),
            ("shili-bulletin-2025".into(), "bulletin-industry", example("examples/render/shili-bulletin-2025.yaml")),
        ];
        let counties = example("examples/render/counties-2025-q3.csv");
        for (k, d) in data::split_each(&counties, "scope").unwrap() {
            sets.push((k, "quarterly-brief", d));
        }
        for (name, template, base) in sets {
            let d = generated(&base, &g);
            let (m, e, text) = trip(&r, template, d);
            if std::env::var("SHOW_GENERATED").is_ok() { eprintln!("{text}"); }
            prop_assert!(m.is_empty() && e.is_empty(), "{name}:\n{}\n{}\n{text}", m.join("\n"), e.join("\n"));
        }
    }
}
