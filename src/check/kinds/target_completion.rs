//! `target-completion`: a claim of completing a target against the figures.
//!
//! Reads one sentence at a time and sorts its figures (statement values and shares)
//! into three roles:
//! - the *target*: a figure whose clause names the target (`年度目标为50个`,
//!   `占年度目标50个的…`) or that is followed by it (`400个的年度目标`);
//! - the *completion rate*: a percentage after `占/完成…目标/计划/任务`
//!   (`占年度目标任务的116%`);
//! - the *achieved* figure: a figure of the same unit that is neither, nor a target
//!   statement (`力争`, `预计` …), nearest to the target.
//!
//! Then:
//! - `完成/超额完成/提前完成 … 目标` with the target after the claim: the achieved figure
//!   may not be below the target (`finding: below`, an error), and with `超额` it
//!   should be above it (`finding: equal`, a warning when they are equal);
//! - a completion rate with both figures stated: achieved ÷ target × 100 must meet the
//!   rate (`finding: below`), on intervals.
//!
//! A target figure never takes part in an achieved-value rule (sums, shares,
//! duplicates); this kind is the one place where targets and results meet.

use std::sync::OnceLock;

use memchr::memmem;
use regex::Regex;
use serde::Deserialize;

use super::{clause_before, comparable, sentences};
use crate::check::interval::Iv;
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::{Direction, Quantity, Span, Statement, UnitKind};

#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Report {
    /// Achieved below the target, or a completion rate that disagrees (error).
    #[default]
    Below,
    /// `超额完成` with the achieved figure equal to the target (warning).
    Equal,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    finding: Report,
}

pub const DEF: KindDef = KindDef {
    name: "target-completion",
    summary: "完成/超额完成目标、完成率与实绩和目标数不符",
    vars: &["achieved", "target", "claim", "rate", "computed"],
    build: |v| Ok(Box::new(TargetCompletion(params::<Params>(v)?))),
};

struct TargetCompletion(Params);

const TARGET_WORDS: &[&str] = &["目标", "计划", "任务"];

fn claim_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new("(?:超额|提前|圆满|全面|已经|已)?完成了?")
            .unwrap_or_else(|_| unreachable!("constant pattern"))
    })
}

/// Up to `max` characters of the display text after a span, within its clause.
fn clause_after(ctx: &Context<'_>, span: Span, max: usize) -> String {
    let text = crate::cli::display_text(ctx.ex);
    let mut end = span.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[end..]
        .chars()
        .take_while(|c| !matches!(c, '，' | '。' | '；' | '！' | '？' | '\n' | ',' | ';'))
        .take(max)
        .collect()
}

/// Whether a statement names nothing but the target itself (`年度目标`, `超额完成…的
/// 年度目标`), so that its figure is the target of the figure before it; `完成“三北”
/// 工程建设任务910万亩` names a work of its own, an achieved figure.
fn bare_target(s: &Statement) -> bool {
    let name = s.indicator.as_ref().map_or("", |i| i.text.as_str());
    let mut rest = name.to_owned();
    for w in [
        "超额", "提前", "圆满", "全面", "完成", "年度", "全年", "季度", "目标", "任务", "计划",
        "额", "的", "占", "为", "已经", "已", "了", "达到", "达",
    ] {
        rest = rest.replace(w, "");
    }
    rest.chars().count() <= 1
}

/// Whether `hay` holds one of the `TARGET_WORDS` (searchers built once).
fn has_target_word(hay: &[u8]) -> bool {
    static FINDERS: OnceLock<Vec<memmem::Finder<'static>>> = OnceLock::new();
    FINDERS
        .get_or_init(|| TARGET_WORDS.iter().map(memmem::Finder::new).collect())
        .iter()
        .any(|f| f.find(hay).is_some())
}

/// Whether the text `role` and `clause_after` read around the figures of a sentence's
/// statements (24 characters before each, 8 after) names a target at all: where it
/// does not, every figure is an achieved one and the sentence has nothing to check.
fn names_target_near(ctx: &Context<'_>, text: &str, members: &[usize]) -> bool {
    let spans = members.iter().flat_map(|&i| {
        let s = ctx.stmts[i];
        s.value
            .iter()
            .chain(s.share.as_ref().map(|x| &x.percent))
            .chain(s.change.as_ref().and_then(|c| c.amount.as_ref()))
            .map(|q| q.span)
    });
    let Some((lo, hi)) = spans.fold(None, |acc: Option<(usize, usize)>, sp| {
        Some(acc.map_or((sp.start, sp.end), |(lo, hi)| {
            (lo.min(sp.start), hi.max(sp.end))
        }))
    }) else {
        return false;
    };
    let start = super::floor_boundary(text, lo);
    let end = super::floor_boundary(text, hi.max(lo));
    // A character has at most four bytes: with no target word this far around, there
    // is none nearer, and the characters need not be counted.
    let bytes = text.as_bytes();
    let wide = start.saturating_sub(24 * 4)..(end + 8 * 4).min(bytes.len());
    if !has_target_word(&bytes[wide]) {
        return false;
    }
    let from = start - super::chars_before(text, start, 24).len();
    let to = end + super::chars_after(text, end, 8).len();
    has_target_word(&bytes[from..to])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Target,
    Rate,
    Achieved,
}

pub(crate) struct Fig<'a> {
    q: &'a Quantity,
    stmt: usize,
    role: Role,
}

/// A sentence that may name a target: its display range, its statements (indices in
/// `stmts`, in order) and their figures by start. The same for both rules of the
/// kind, and so worked out once per document ([`candidates`]).
pub(crate) struct Candidate<'a> {
    sspan: std::ops::Range<usize>,
    members: Vec<usize>,
    figs: Vec<Fig<'a>>,
}

/// The sentences of the document that name a target near one of their statements'
/// figures, found once for every rule of the kind.
fn candidates<'c, 'a>(ctx: &'c Context<'a>) -> &'c [Candidate<'a>] {
    ctx.target_sentences.get_or_init(|| find_candidates(ctx))
}

fn find_candidates<'a>(ctx: &Context<'a>) -> Vec<Candidate<'a>> {
    let text = crate::cli::display_text(ctx.ex);
    // Statements by start, to find those of a sentence without a pass over all.
    let mut by_start: Vec<(usize, usize)> = ctx
        .stmts
        .iter()
        .enumerate()
        .map(|(i, s)| (s.span.start, i))
        .collect();
    by_start.sort_unstable();
    let mut out = Vec::new();
    let mut members = Vec::new();
    // Sentences come in reading order: the statements of each are found by walking
    // on from those of the one before.
    let mut cursor = super::Cursor::default();
    for (_, sspan) in sentences(ctx) {
        let mine = cursor.range(&by_start, |&(s, _)| s, sspan);
        if mine.is_empty() {
            // No statement starts in the sentence.
            continue;
        }
        members.clear();
        members.extend(by_start[mine].iter().map(|&(_, i)| i));
        members.sort_unstable();
        if !names_target_near(ctx, text, &members) {
            continue;
        }
        let mut figs: Vec<Fig<'a>> = Vec::new();
        for &i in &members {
            let s: &'a Statement = ctx.stmts[i];
            let qs = s.value.iter().chain(s.share.as_ref().map(|x| &x.percent));
            for q in qs {
                if figs.iter().any(|f| f.q.span == q.span) {
                    continue;
                }
                if let Some(r) = role(ctx, q, s) {
                    figs.push(Fig {
                        q,
                        stmt: i,
                        role: r,
                    });
                }
            }
        }
        figs.sort_by_key(|f| f.q.span.start);
        out.push(Candidate {
            sspan: sspan.clone(),
            members: members.clone(),
            figs,
        });
    }
    out
}

fn role(ctx: &Context<'_>, q: &Quantity, s: &Statement) -> Option<Role> {
    let is_target_stmt = s.is_target();
    let before = clause_before(ctx, q.span, 24);
    let after = clause_after(ctx, q.span, 8);
    let names_target = |t: &str| TARGET_WORDS.iter().any(|w| t.contains(w));
    if q.unit_kind == UnitKind::Percent {
        let completes = (before.contains('占') || before.contains("完成")) && names_target(&before);
        return completes.then_some(Role::Rate);
    }
    let after = after.strip_prefix('的').unwrap_or(&after);
    let after_names = ["年度目标", "全年目标", "目标", "年度任务", "全年任务"]
        .iter()
        .any(|w| after.starts_with(w));
    if (names_target(&before) || after_names) && bare_target(s) {
        return Some(Role::Target);
    }
    (!is_target_stmt).then_some(Role::Achieved)
}

/// How many clause separators lie between two figures.
fn clauses_between(ctx: &Context<'_>, a: &Quantity, b: &Quantity) -> usize {
    let text = crate::cli::display_text(ctx.ex);
    let (x, y) = if a.span.start < b.span.start {
        (a.span.end, b.span.start)
    } else {
        (b.span.end, a.span.start)
    };
    text.get(x..y.max(x))
        .unwrap_or("")
        .chars()
        .filter(|c| matches!(c, '，' | '；' | ',' | ';'))
        .count()
}

/// The achieved figure of the same unit nearest to the target, in its clause or the
/// clause next to it (and before `before` when given).
fn nearest<'f, 'a>(
    ctx: &Context<'_>,
    figs: &'f [Fig<'a>],
    target: &Fig<'a>,
    before: Option<usize>,
) -> Option<&'f Fig<'a>> {
    figs.iter()
        .filter(|f| f.role == Role::Achieved && comparable(f.q, target.q))
        .filter(|f| clauses_between(ctx, f.q, target.q) <= 1)
        .filter(|f| before.is_none_or(|b| f.q.span.start < b))
        .min_by_key(|f| f.q.span.start.abs_diff(target.q.span.start))
}

/// The growth a statement states in % (`增长6.3%`, `下降2.2%`), with its direction.
fn growth(s: &Statement) -> Option<(&crate::extract::Change, &Quantity)> {
    let c = s.change.as_ref()?;
    let a = c.amount.as_ref()?;
    (a.unit_kind == UnitKind::Percent
        && a.unit.as_deref() == Some("%")
        && c.of_rate.is_none()
        && !c.to_level
        && matches!(c.direction, Direction::Up | Direction::Down)
        && !a.value.is_sign_negative())
    .then_some((c, a))
}

impl TargetCompletion {
    /// `增长6.3%，超额完成增长7%的年度目标`, `能耗下降2.2%，完成下降3%的目标`: a growth
    /// target claimed as completed against the achieved growth of the same direction
    /// just before it. A larger rise, or a larger fall, completes the target.
    fn growth_targets(
        &self,
        ctx: &Context<'_>,
        sspan: &std::ops::Range<usize>,
        sentence: &str,
        members: &[usize],
        out: &mut Vec<Finding>,
    ) {
        for t in members.iter().map(|&i| ctx.stmts[i]) {
            if !t.is_target() {
                continue;
            }
            let Some((tc, ta)) = growth(t) else { continue };
            let after = clause_after(ctx, ta.span, 8);
            let after = after.strip_prefix('的').unwrap_or(&after);
            if !["年度目标", "全年目标", "目标", "年度任务", "全年任务"]
                .iter()
                .any(|w| after.starts_with(w))
            {
                continue;
            }
            // The claim right before the target's change (`超额完成增长7%`).
            let rel_start = tc.span.start.saturating_sub(sspan.start);
            let claim = claim_re()
                .find_iter(sentence)
                .filter(|m| m.end() <= rel_start && rel_start - m.end() <= 3)
                .filter(|m| !sentence[m.end()..rel_start].contains(['，', '。', '；', ',']))
                .last();
            let Some(claim) = claim else { continue };
            // The achieved growth of the same direction nearest before the claim.
            let claim_at = sspan.start + claim.start();
            let achieved = members
                .iter()
                .map(|&i| (i, ctx.stmts[i]))
                .filter(|(_, s)| !s.is_target())
                .filter_map(|(i, s)| growth(s).map(|(c, a)| (i, c, a)))
                .filter(|(_, c, a)| {
                    c.direction == tc.direction
                        && a.span.end <= claim_at
                        && clauses_between(ctx, a, ta) <= 1
                })
                .max_by_key(|(_, _, a)| a.span.start);
            let Some((ai, ac, aa)) = achieved else {
                continue;
            };
            // A target is set as written: `增长7%` means 7, not 6.5…7.5.
            let mut exact = ta.clone();
            exact.interval = crate::extract::Interval::exact(ta.value);
            let rel = Relation::NotAbove {
                part: exact,
                whole: aa.clone(),
            };
            ctx.record(&rel);
            let below = !rel.holds();
            let equal = !below && aa.value <= ta.value;
            let exceeded = claim.as_str().contains("超额");
            let report = match self.0.finding {
                Report::Below => below,
                Report::Equal => exceeded && equal,
            };
            if !report {
                continue;
            }
            let claim_text = claim
                .as_str()
                .trim_start_matches("已经")
                .trim_start_matches('已');
            let claim_span = super::display_span(ctx, claim_at..sspan.start + claim.end());
            let (shown_a, shown_t) = (
                format!("{}{}", ac.verb, aa.text),
                format!("{}{}", tc.verb, ta.text),
            );
            let mut f = Finding {
                span: aa.span,
                label: format!("实绩{shown_a}"),
                stmt: Some(ai),
                key: vec![shown_a.clone(), shown_t.clone()],
                ..Default::default()
            }
            .related(ta.span, format!("目标{shown_t}"))
            .related(claim_span, claim_text.to_owned())
            .var("achieved", shown_a)
            .var("target", shown_t)
            .var("claim", claim_text.to_owned())
            .var("rate", "")
            .var("computed", "");
            if below {
                f.suggestion = Some(format!(
                    "若实绩无误，不能写“{claim_text}”；若确已完成，核对实绩数字"
                ));
            }
            out.push(f);
        }
    }
}

impl RuleKind for TargetCompletion {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = crate::cli::display_text(ctx.ex);
        for c in candidates(ctx) {
            let (sspan, members, figs) = (&c.sspan, &c.members, &c.figs);
            let Some(sentence) = text.get(sspan.start..sspan.end) else {
                continue;
            };
            self.growth_targets(ctx, sspan, sentence, members, out);
            for t in figs.iter().filter(|f| f.role == Role::Target) {
                // A completion rate in the same sentence, after the target or the
                // achieved figure.
                if self.0.finding == Report::Below {
                    // The rate of this target: in its clause or the next one.
                    let rate = figs
                        .iter()
                        .filter(|f| f.role == Role::Rate && clauses_between(ctx, t.q, f.q) <= 1)
                        .min_by_key(|f| f.q.span.start.abs_diff(t.q.span.start));
                    if let (Some(r), Some(a)) = (rate, nearest(ctx, figs, t, None)) {
                        let rel = Relation::Share {
                            part: a.q.clone(),
                            whole: t.q.clone(),
                            pct: r.q.clone(),
                        };
                        ctx.record(&rel);
                        if !rel.holds() {
                            let computed =
                                a.q.value
                                    .checked_div(t.q.value)
                                    .map(|x| {
                                        format!(
                                            "{}%",
                                            (x * rust_decimal::Decimal::ONE_HUNDRED)
                                                .round_dp(1)
                                                .normalize()
                                        )
                                    })
                                    .unwrap_or_default();
                            out.push(
                                Finding {
                                    span: r.q.span,
                                    label: r.q.text.clone(),
                                    stmt: Some(r.stmt),
                                    relation: Some(rel),
                                    key: vec![a.q.text.clone(), t.q.text.clone(), r.q.text.clone()],
                                    ..Default::default()
                                }
                                .related(a.q.span, format!("实绩{}", a.q.text))
                                .related(t.q.span, format!("目标{}", t.q.text))
                                .var("achieved", a.q.text.clone())
                                .var("target", t.q.text.clone())
                                .var("claim", "")
                                .var("rate", r.q.text.clone())
                                .var("computed", computed),
                            );
                            continue;
                        }
                    }
                }
                // `完成年度目标150亿元的80%`: a completion rate says how much was done;
                // its `完成` claims nothing more.
                if figs.iter().any(|f| f.role == Role::Rate) {
                    continue;
                }
                // A claim of completion before the target, in its clause.
                let rel_start = t.q.span.start.saturating_sub(sspan.start);
                let claim = claim_re()
                    .find_iter(sentence)
                    .filter(|m| m.start() <= rel_start)
                    .filter(|m| {
                        let between = &sentence[m.end().min(rel_start)..rel_start];
                        !between.contains(['，', '。', '；', ','])
                    })
                    .last();
                let Some(claim) = claim else { continue };
                let exceeded = claim.as_str().starts_with("超额");
                let Some(a) = nearest(ctx, figs, t, Some(sspan.start + claim.start())) else {
                    continue;
                };
                let rel = Relation::NotAbove {
                    part: t.q.clone(),
                    whole: a.q.clone(),
                };
                ctx.record(&rel);
                let below = !rel.holds();
                let equal = {
                    let (ai, ti): (Iv, Iv) = (a.q.interval.into(), t.q.interval.into());
                    !below && ai.hi.zip(ti.lo).is_some_and(|(h, l)| h <= l)
                };
                let report = match self.0.finding {
                    Report::Below => below,
                    Report::Equal => exceeded && equal,
                };
                if !report {
                    continue;
                }
                let claim_text = claim
                    .as_str()
                    .trim_start_matches("已经")
                    .trim_start_matches('已');
                let claim_span = super::display_span(
                    ctx,
                    sspan.start + claim.start()..sspan.start + claim.end(),
                );
                let mut f = Finding {
                    span: a.q.span,
                    label: format!("实绩{}", a.q.text),
                    stmt: Some(a.stmt),
                    key: vec![a.q.text.clone(), t.q.text.clone()],
                    ..Default::default()
                }
                .related(t.q.span, format!("目标{}", t.q.text))
                .related(claim_span, claim_text.to_owned())
                .var("achieved", a.q.text.clone())
                .var("target", t.q.text.clone())
                .var("claim", claim_text.to_owned())
                .var("rate", "")
                .var("computed", "");
                if below {
                    f.relation = Some(rel);
                    // The relation's single-digit edits say little here; what the
                    // writer can say instead does.
                    let pct = a.q.value.checked_div(t.q.value).map(|x| {
                        (x * rust_decimal::Decimal::ONE_HUNDRED)
                            .round_dp(1)
                            .normalize()
                    });
                    f.suggestion = Some(match pct {
                        Some(p) if !t.q.value.is_zero() => {
                            format!("若实绩无误，应写“完成目标的{p}%”；若确已完成，核对实绩数字")
                        }
                        _ => "核对实绩与目标数字".to_owned(),
                    });
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {

    use super::super::testing::rule_messages as run;

    #[test]
    fn exceeded_but_below() {
        let d = run("全市已建成5G基站386个，超额完成400个的年度目标。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A122");
        let d = run("全市已建成5G基站386个，完成年度目标任务400个。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(run("全市已建成5G基站412个，超额完成400个的年度目标。").is_empty());
    }

    #[test]
    fn exceeded_but_equal() {
        let d = run("全市已建成5G基站400个，超额完成400个的年度目标。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A123");
    }

    #[test]
    fn completion_rate_against_two_figures() {
        let d = run("全市新开工项目58个，年度目标为50个，占年度目标任务的106%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A122");
        assert!(d[0].1.contains("116%"), "{d:?}");
        assert!(run("全市新开工项目58个，年度目标为50个，占年度目标任务的116%。").is_empty());
        // Without the target figure nothing can be checked.
        assert!(run("全市新开工项目58个，占年度目标任务的116%。").is_empty());
    }

    #[test]
    fn growth_targets_by_direction() {
        let d = run("全市规上工业增加值增长6.3%，超额完成增长7%的年度目标。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A122");
        assert!(d[0].1.contains("增长6.3%"), "{d:?}");
        // For a fall, the larger fall completes the target.
        let d = run("全市单位地区生产总值能耗下降2.2%，超额完成下降3%的年度目标。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(run("全市单位地区生产总值能耗下降4.2%，超额完成下降3%的年度目标。").is_empty());
        assert!(run("全市规上工业增加值增长8.3%，超额完成增长7%的年度目标。").is_empty());
        let d = run("全市规上工业增加值增长7.0%，超额完成增长7%的年度目标。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A123");
        // The target is exact: 6.8% is below 7%.
        assert_eq!(
            run("全市规上工业增加值增长6.8%，超额完成增长7%的年度目标。").len(),
            1
        );
        // A target of the other direction is not compared.
        assert!(run("全市工业用水量增长1.2%，完成下降3%的年度目标。").is_empty());
    }

    #[test]
    fn completion_rate_claims_no_more() {
        // `完成年度目标…的80%` says how much was done; it is no claim of completion.
        assert!(run("全市固定资产投资完成120亿元，完成年度目标150亿元的80%。").is_empty());
        let d = run("全市固定资产投资完成120亿元，完成年度目标150亿元的90%。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A122");
    }

    #[test]
    fn each_target_takes_its_own_rate() {
        assert!(
            run("全市新开工项目40个，完成全年50个目标任务的80%；新增规上企业30家，完成目标25家的120%。")
                .is_empty()
        );
        let d = run(
            "全市新开工项目40个，完成全年50个目标任务的80%；新增规上企业30家，完成目标25家的110%。",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.contains("120%"), "{d:?}");
    }
}
