//! Error injection over the shared corpus (deducorrect's method).
//!
//! For every relation the rules evaluated on a clean document and found holding, each
//! figure in it is changed once by one of deducorrect's single edits — a digit
//! changed, two adjacent digits swapped, a digit inserted or dropped, the decimal
//! point moved, 万↔亿 — chosen so that the relation no longer holds *on paper*
//! (decided from the edited number alone, before any re-reading). The edited text is
//! then read and checked from scratch, and we ask:
//!
//! - detected: is there a finding whose span (or a related span) covers the edit?
//! - named: is the edited figure the one the finding names as most likely wrong
//!   (primary span), with a suggestion that restores the written number?
//!
//! A figure is also dropped from every complete `分别` list; the list-count rule
//! must fire. The clean documents must hold at most one error per 100 KB.
//!
//! Goals (issue 3): ≥ 90 % detected, ≥ 70 % named, ≤ 1 false error per 100 KB.
//! Reads `../shared/corpus`; skipped with a notice when it is absent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use jiaohe::check::interval::Iv;
use jiaohe::check::{Relation, RuleSet, check, check_traced};
use jiaohe::extract::number::{interval, magnitude_factor, parse_arabic};
use jiaohe::extract::{BreakdownKind, ExtractOptions, Quantity, extract_with};
use jiaohe::load::load_bytes;
use jiaohe::report::{Diagnostic, Severity};

fn corpus() -> Option<Vec<PathBuf>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        println!("注意：未找到 ../shared/corpus，跳过注错测试");
        return None;
    }
    let mut files = Vec::new();
    for dir in ["seeds", "real"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    Some(files)
}

/// splitmix64: a tiny deterministic generator, seeded per figure.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Op {
    Digit,
    Swap,
    Insert,
    Drop,
    Point,
    WanYi,
}
const OPS: [Op; 6] = [
    Op::Digit,
    Op::Swap,
    Op::Insert,
    Op::Drop,
    Op::Point,
    Op::WanYi,
];

/// One edit of a figure: the byte range replaced in the source text and the new text,
/// and the figure's new interval.
struct Edit {
    op: Op,
    range: std::ops::Range<usize>,
    replacement: String,
    iv: Iv,
}

fn digits(s: &str) -> Vec<usize> {
    s.char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect()
}

fn well_formed(s: &str) -> bool {
    let b = s.as_bytes();
    !s.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && !(b.len() > 1 && b[0] == b'0' && b[1] != b'.')
        && s.matches('.').count() <= 1
}

/// Applies `op` to the written number (or its magnitude).
fn edit(q: &Quantity, text: &str, op: Op, rng: &mut Rng) -> Option<Edit> {
    if q.chinese || q.written.contains(',') {
        return None;
    }
    let fig = text.get(q.span.start..q.span.end)?;
    let at = q.span.start + fig.find(q.written.as_str())?;
    let w = q.written.as_str();
    let ds = digits(w);
    let mut written = w.to_owned();
    let mut magnitude = q.magnitude.clone();
    let mut range = at..at + w.len();
    match op {
        Op::Digit => {
            let p = ds[rng.below(ds.len())];
            let d = w.as_bytes()[p] - b'0';
            let nd = (d + 1 + rng.below(9) as u8) % 10;
            written.replace_range(p..p + 1, &nd.to_string());
        }
        Op::Swap => {
            let pairs: Vec<usize> = ds
                .windows(2)
                .filter(|x| x[1] == x[0] + 1 && w.as_bytes()[x[0]] != w.as_bytes()[x[1]])
                .map(|x| x[0])
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let p = pairs[rng.below(pairs.len())];
            let mut b = written.into_bytes();
            b.swap(p, p + 1);
            written = String::from_utf8(b).ok()?;
        }
        Op::Insert => {
            let p = ds[rng.below(ds.len())];
            let d = 1 + rng.below(9);
            written.insert_str(p + 1, &d.to_string());
        }
        Op::Drop => {
            if ds.len() < 2 {
                return None;
            }
            let p = ds[rng.below(ds.len())];
            written.remove(p);
        }
        Op::Point => match w.find('.') {
            Some(p) if rng.below(2) == 0 && p + 2 < w.len() => {
                written.remove(p);
                written.insert(p + 1, '.');
            }
            Some(p) if p > 1 => {
                written.remove(p);
                written.insert(p - 1, '.');
            }
            Some(_) => return None,
            None if w.len() >= 2 => written.insert(w.len() - 1, '.'),
            None => return None,
        },
        Op::WanYi => {
            let m = q.magnitude.as_deref()?;
            let other = match m {
                "万" => "亿",
                "亿" => "万",
                _ => return None,
            };
            let after = at + w.len();
            if !text[after..].starts_with(m) {
                return None;
            }
            magnitude = Some(other.to_owned());
            range = after..after + m.len();
            written = w.to_owned();
        }
    }
    if !well_formed(&written) || (written == w && magnitude == q.magnitude) {
        return None;
    }
    let parsed = parse_arabic(&written)?;
    let factor = magnitude
        .as_deref()
        .and_then(magnitude_factor)
        .unwrap_or(rust_decimal::Decimal::ONE);
    let iv: Iv = interval(
        &parsed,
        factor,
        q.unit_kind,
        magnitude.is_some(),
        q.qualifier.as_ref(),
    )
    .into();
    let replacement = if op == Op::WanYi {
        magnitude.unwrap_or_default()
    } else {
        written
    };
    Some(Edit {
        op,
        range,
        replacement,
        iv,
    })
}

fn covers(d: &Diagnostic, r: &std::ops::Range<usize>) -> bool {
    let hit = |s: usize, e: usize| s <= r.start && r.start < e.max(s + 1);
    hit(d.span.start, d.span.end) || d.related.iter().any(|x| hit(x.span.start, x.span.end))
}

#[derive(Default)]
struct Tally {
    injected: usize,
    detected: usize,
    named: usize,
    restored: usize,
    by_op: std::collections::BTreeMap<Op, (usize, usize)>,
    /// Per relation kind: injected, detected, named.
    by_kind: std::collections::BTreeMap<&'static str, (usize, usize, usize)>,
    misses: Vec<String>,
}

#[test]
fn injected_errors_are_found() {
    let Some(files) = corpus() else { return };
    let set = RuleSet::defaults().expect("default packs load");
    let opts = ExtractOptions::default();
    let mut t = Tally::default();
    let mut clean_errors = Vec::new();
    let mut bytes = 0usize;
    let (mut lists, mut lists_found) = (0usize, 0usize);
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let src = load_bytes(&name, &raw).unwrap();
        let text = src.text.clone();
        bytes += text.len();
        let ex = extract_with(src, &opts, &set.table);
        let (report, rels) = check_traced(&set, &ex);
        clean_errors.extend(
            report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{name}:{} {}", d.span.line, d.rule)),
        );
        let mut seen: HashSet<usize> = HashSet::new();
        for rel in rels.iter().filter(|r| r.holds()) {
            let figs = rel.figures();
            for (i, q) in figs.iter().enumerate() {
                if !seen.insert(q.span.start) {
                    continue;
                }
                let mut rng = Rng(q.span.start as u64 ^ (name.len() as u64) << 32);
                let first = rng.below(OPS.len());
                // The first edit, in a rotating order, that breaks the relation.
                let chosen = (0..OPS.len()).find_map(|k| {
                    let e = edit(q, &text, OPS[(first + k) % OPS.len()], &mut rng)?;
                    let mut ivs: Vec<Iv> = figs.iter().map(|f| f.interval.into()).collect();
                    ivs[i] = e.iv;
                    (!rel.holds_with(&ivs)).then_some(e)
                });
                let Some(e) = chosen else { continue };
                let mut mutated = text.clone();
                mutated.replace_range(e.range.clone(), &e.replacement);
                let src = load_bytes(&name, mutated.as_bytes()).unwrap();
                let ex2 = extract_with(src, &opts, &set.table);
                let report2 = check(&set, &ex2);
                t.injected += 1;
                let entry = t.by_op.entry(e.op).or_default();
                entry.0 += 1;
                let kind = t.by_kind.entry(kind_name(rel)).or_default();
                kind.0 += 1;
                let found: Vec<&Diagnostic> = report2
                    .diagnostics
                    .iter()
                    .filter(|d| covers(d, &e.range))
                    .collect();
                if found.is_empty() {
                    if t.misses.len() < 40 {
                        t.misses.push(format!(
                            "{name}:{} {:?} “{}” → “{}” ({})",
                            q.span.line,
                            e.op,
                            &text[e.range.clone()],
                            e.replacement,
                            kind_name(rel)
                        ));
                    }
                    continue;
                }
                t.detected += 1;
                entry.1 += 1;
                kind.1 += 1;
                let primary = found.iter().find(|d| {
                    d.span.start <= e.range.start
                        && e.range.start < d.span.end.max(d.span.start + 1)
                });
                if primary.is_none() && std::env::var_os("JIAOHE_INJECT_DEBUG").is_some() {
                    println!(
                        "  未指认：{name}:{} {:?} {} “{}”→“{}”: {:?}",
                        q.span.line,
                        e.op,
                        kind_name(rel),
                        &text[e.range.clone()],
                        e.replacement,
                        found
                            .iter()
                            .map(|d| (d.rule.as_str(), d.label.as_str(), d.suggestion.as_deref()))
                            .collect::<Vec<_>>()
                    );
                }
                if let Some(d) = primary {
                    if std::env::var_os("JIAOHE_INJECT_DEBUG").is_some()
                        && !d
                            .suggestion
                            .as_deref()
                            .is_some_and(|s| s.contains("可能应为"))
                    {
                        println!(
                            "  无建议：{name}:{} {:?} {} “{}”→“{}”: {} {} {:?}",
                            q.span.line,
                            e.op,
                            kind_name(rel),
                            &text[e.range.clone()],
                            e.replacement,
                            d.rule,
                            d.label,
                            d.suggestion
                        );
                    }
                    if d.suggestion
                        .as_deref()
                        .is_some_and(|s| s.contains("可能应为"))
                    {
                        t.named += 1;
                        kind.2 += 1;
                        let original = &text[e.range.clone()];
                        if d.suggestion.as_deref().is_some_and(|s| {
                            s.split("可能应为")
                                .nth(1)
                                .is_some_and(|tail| tail.contains(original))
                        }) {
                            t.restored += 1;
                        }
                    }
                }
            }
        }
        // Drop the last value of every complete 分别 list.
        for s in ex.facts.all_statements() {
            let Some(b) = &s.breakdown else { continue };
            if b.kind != BreakdownKind::Respectively
                || s.parts.len() < 3
                || b.items != s.parts.len()
            {
                continue;
            }
            let values: Vec<&Quantity> = s.parts.iter().filter_map(|p| p.value.as_ref()).collect();
            if values.len() != s.parts.len() {
                continue;
            }
            let (prev, last) = (values[values.len() - 2], values[values.len() - 1]);
            let between = &text[prev.span.end..last.span.start];
            if !(between == "、" || between == "，" || between == "和") {
                continue;
            }
            let mut mutated = text.clone();
            mutated.replace_range(prev.span.end..last.span.end, "");
            let src = load_bytes(&name, mutated.as_bytes()).unwrap();
            let ex2 = extract_with(src, &opts, &set.table);
            let report2 = check(&set, &ex2);
            lists += 1;
            if report2
                .diagnostics
                .iter()
                .any(|d| d.rule == "A108" && d.span.start < s.span.end && s.span.start < d.span.end)
            {
                lists_found += 1;
            } else if t.misses.len() < 40 {
                t.misses
                    .push(format!("{name}:{} 分别 list lost a value", s.span.line));
            }
        }
    }
    let rate = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let detected = rate(t.detected + lists_found, t.injected + lists);
    let named = rate(t.named, t.detected);
    let per_100kb = clean_errors.len() as f64 / (bytes as f64 / 100_000.0);
    println!(
        "注错 {} 处（另有分别列表 {} 处），查出 {:.1}%，指认被改数字 {:.1}%（其中建议恢复原数 {:.1}%），\
         干净文本错误 {:.2} 个/100 KB（{} 字节）",
        t.injected,
        lists,
        detected * 100.0,
        named * 100.0,
        rate(t.restored, t.detected) * 100.0,
        per_100kb,
        bytes
    );
    for (op, (n, d)) in &t.by_op {
        println!("  {op:?}: {d}/{n}");
    }
    for (k, (n, d, m)) in &t.by_kind {
        println!("  {k}: injected {n}, detected {d}, named {m}");
    }
    println!("  分别 lists: {lists_found}/{lists}");
    for m in &t.misses {
        println!("  未查出：{m}");
    }
    assert!(t.injected >= 200, "too few injections: {}", t.injected);
    assert!(detected >= 0.90, "detection {detected:.3} < 0.90");
    assert!(named >= 0.70, "named {named:.3} < 0.70");
    assert!(
        per_100kb <= 1.0,
        "false errors on clean text: {}",
        clean_errors.join("\n")
    );
}

fn kind_name(r: &Relation) -> &'static str {
    match r {
        Relation::Sum { .. } => "sum",
        Relation::NotAbove { .. } => "not-above",
        Relation::Share { .. } => "share",
        Relation::Growth { .. } => "growth",
        Relation::Times { .. } => "times",
        Relation::Hundred { .. } => "hundred",
        Relation::Gap { .. } => "gap",
        Relation::TwoYear { .. } => "two-year",
        Relation::SignedSum { .. } => "signed-sum",
        Relation::Within { .. } => "within",
        Relation::IntegerBase { .. } => "integer-base",
    }
}
