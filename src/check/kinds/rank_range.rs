//! `rank-range`: a rank that cannot be, or a movement that disagrees with its ranks.
//!
//! Reads every [`Rank`] of every statement:
//! - a position beyond the number of units ranked: the pool written in the text
//!   (`在全省17个市州中居第19位`), a `百强` list (`全国百强县第105位`), or the pack's
//!   table of units — 31 provinces nationally (`national`), and the number of 市州 of
//!   each province (`provinces`, with the names of its 市州 so that the subject can
//!   be recognised);
//! - `前进/后退 k位` against the two positions of `由第a位升至第b位` (a − b = k), and
//!   `升至`/`降至` against the direction of the two positions.
//!
//! The pool and movement checks are arithmetic relations between figures of the text
//! (`NotAbove`, `Gap`), so the runner names the figure most likely wrong. The table
//! checks are applied only when the subject is known to be a province (ranked
//! nationally: the clause says 省份/省区市, or the subject is 全省/我省 with an
//! indicator of the table) or one of a province's 市州 (ranked 全省, and the clause
//! names no county, district, enterprise, park … that would be ranked among more
//! units). Ranks among 县市区 are never checked against the table.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::{clause_before, count_figure};
use crate::check::registry::KindDef;
use crate::check::{Context, Finding, Relation, RuleKind, params};
use crate::extract::{Quantity, Rank, Statement};

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Province {
    /// `湖北`.
    name: String,
    /// Number of 市州 (prefecture-level units) ranked in the province.
    units: u32,
    /// Their names without 市/州/地区/盟 (`武汉`, `恩施`).
    #[serde(default)]
    places: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Params {
    /// Number of provinces ranked nationally.
    #[serde(default = "national")]
    national: u32,
    #[serde(default)]
    provinces: Vec<Province>,
    /// Words that make the subject something other than a province or a 市州
    /// (ranked among more units).
    #[serde(default = "not_units")]
    not_units: Vec<String>,
}

fn national() -> u32 {
    31
}

fn not_units() -> Vec<String> {
    [
        "县",
        "区",
        "乡",
        "镇",
        "村",
        "企业",
        "公司",
        "园区",
        "开发区",
        "项目",
        "产品",
        "品牌",
        "学校",
        "高校",
        "医院",
        "景区",
        "港",
        "机场",
        "城市",
        "县域",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

impl Default for Params {
    fn default() -> Self {
        Params {
            national: national(),
            provinces: Vec::new(),
            not_units: not_units(),
        }
    }
}

pub const DEF: KindDef = KindDef {
    name: "rank-range",
    summary: "名次超出参评单位数，或进退位次与前后名次不符",
    vars: &["rank", "reason"],
    build: |v| {
        let p: Params = params(v)?;
        if let Some(bad) = p.provinces.iter().find(|x| x.units == 0) {
            return Err(format!("省份“{}”的 units 不能为 0", bad.name));
        }
        Ok(Box::new(RankRange(p)))
    },
};

struct RankRange(Params);

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| unreachable!("constant pattern")))
}

const CN: &str = "一二三四五六七八九十百零〇两";

/// Byte ranges (in the display text) of the numbers of a rank's text: the pool
/// (`17个`), each `第n` position in order, and a bare `48位`.
struct Located {
    pool: Option<Range<usize>>,
    positions: Vec<Range<usize>>,
}

fn locate(text: &str, span_start: usize) -> Located {
    static POOL: OnceLock<Regex> = OnceLock::new();
    static POS: OnceLock<Regex> = OnceLock::new();
    static BARE: OnceLock<Regex> = OnceLock::new();
    let pool = re(&POOL, r"[0-9]+个")
        .find(text)
        .map(|m| span_start + m.start()..span_start + m.end());
    let pos_re = re(&POS, &format!("第(?:[0-9]+|[{CN}]+)(?:位|名)?"));
    let mut positions: Vec<Range<usize>> = pos_re
        .find_iter(text)
        .map(|m| span_start + m.start()..span_start + m.end())
        .collect();
    if positions.is_empty() {
        positions = re(&BARE, r"[0-9]+(?:位|名)")
            .find_iter(text)
            .map(|m| span_start + m.start()..span_start + m.end())
            .collect();
    }
    Located { pool, positions }
}

/// `前进2个位次` near the rank, within its sentence: the range and the signed places.
fn find_movement(ctx: &Context<'_>, rank: &Rank) -> Option<(Range<usize>, i32)> {
    static MOVE: OnceLock<Regex> = OnceLock::new();
    let text = crate::cli::display_text(ctx.ex);
    let m_re = re(
        &MOVE,
        &format!(
            "(前进|上升|提升|进位|跃升|后退|下降|下滑|倒退)([0-9]+|[{CN}]+)(个位次|个名次|位次|位|名)"
        ),
    );
    let (s, e) = super::sentences(ctx)
        .iter()
        .map(|(_, sp)| (sp.start, sp.end))
        .find(|(s, e)| *s <= rank.span.start && rank.span.start < *e)?;
    let sentence = text.get(s..e)?;
    let want = rank.movement?;
    m_re.captures_iter(sentence).find_map(|c| {
        let whole = c.get(0)?;
        let n = c.get(2)?.as_str();
        let n: i32 = n.parse().ok().or_else(|| {
            crate::extract::number::parse_chinese(n)
                .and_then(|p| i32::try_from(p.value.mantissa()).ok())
        })?;
        let verb = c.get(1)?;
        let down = matches!(verb.as_str(), "后退" | "下降" | "下滑" | "倒退");
        let signed = if down { -n } else { n };
        (signed == want).then(|| (s + verb.end()..s + whole.end(), signed))
    })
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| CN.contains(c))
}

/// The short name a subject is known by, when it is one of a province's 市州.
fn province_of<'p>(provinces: &'p [Province], subject: &str) -> Option<&'p Province> {
    provinces.iter().find(|p| {
        p.places.iter().any(|place| {
            subject.strip_prefix(place.as_str()).is_some_and(|rest| {
                rest == "林区" || !rest.contains(['区', '县', '镇', '乡', '旗'])
            })
        })
    })
}

impl RankRange {
    fn subject<'a>(&self, ctx: &'a Context<'_>, s: &'a Statement) -> Option<String> {
        let sc = s.scope.as_ref();
        let generic = |t: &str| ["全市", "我市", "本市", "全州", "我州"].contains(&t);
        match sc {
            Some(x) if x.resolved.is_some() => x.resolved.clone(),
            Some(x) if !generic(&x.text) => Some(x.text.clone()),
            _ => ctx.facts().scope.clone(),
        }
    }

    /// The number of units the rank is among, from the pack's table, and why.
    fn table_pool(
        &self,
        ctx: &Context<'_>,
        s: &Statement,
        r: &Rank,
        clause: &str,
    ) -> Option<(u32, String)> {
        // The scope of the rank, or the one its clause names (`居全国各省份第35位`).
        let scope = match r.scope.as_deref() {
            Some(x) => x,
            None if clause.contains("全国") => "全国",
            None if clause.contains("全省") => "全省",
            None => "",
        };
        let rest: String = clause.replace(scope, "");
        let excluded = |t: &str| self.0.not_units.iter().any(|w| t.contains(w.as_str()));
        if scope.starts_with("全国") {
            let province_words = ["省份", "省区市", "省（区、市）", "省(区、市)", "各省"];
            let by_words = province_words.iter().any(|w| clause.contains(w));
            let by_subject = s
                .scope
                .as_ref()
                .is_some_and(|x| ["全省", "我省", "本省"].contains(&x.text.as_str()))
                && ctx.table.get(s.canonical()).is_some();
            if (by_words || by_subject) && !excluded(&rest) {
                return Some((self.0.national, "全国只有{n}个省级行政区".into()));
            }
            return None;
        }
        let tail_ok = matches!(scope, "全省" | "全省市州" | "全省地市" | "全省各市");
        if !tail_ok || excluded(&rest) {
            return None;
        }
        let subject = self.subject(ctx, s)?;
        let p = province_of(&self.0.provinces, &subject)?;
        Some((p.units, format!("{}共有{{n}}个市州", p.name)))
    }
}

impl RuleKind for RankRange {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = crate::cli::display_text(ctx.ex);
        for (i, s) in ctx.stmts.iter().enumerate() {
            for r in &s.ranks {
                let Some(pos) = r.position else { continue };
                let rank_text = text.get(r.span.start..r.span.end).unwrap_or("");
                let loc = locate(rank_text, r.span.start);
                let Some(pos_range) = loc.positions.last().cloned() else {
                    continue;
                };
                let pos_q = count_figure(ctx, pos_range.clone(), pos, "位", r.chinese);
                let base = Finding {
                    span: pos_q.span,
                    label: r.text.clone(),
                    stmt: Some(i),
                    key: vec![r.text.clone()],
                    ..Default::default()
                }
                .var("rank", r.text.clone());
                // The pool written in the text.
                if let (Some(pool), Some(pool_range)) = (r.pool, loc.pool.clone()) {
                    let pool_q = count_figure(ctx, pool_range, pool, "个", false);
                    let rel = Relation::NotAbove {
                        part: pos_q.clone(),
                        whole: pool_q.clone(),
                    };
                    ctx.record(&rel);
                    if !rel.holds() {
                        out.push(
                            Finding {
                                relation: Some(rel),
                                suggestion: Some(format!(
                                    "名次应在第1至第{pool}位之间；若名次无误，参评单位数有误"
                                )),
                                ..base.clone()
                            }
                            .related(pool_q.span, format!("共{}", pool_q.text))
                            .var("reason", format!("参与排名的只有{pool}个")),
                        );
                        continue;
                    }
                }
                // Movement against the two positions.
                if let Some(from) = r.from_position {
                    if let Some(from_range) = loc.positions.first().cloned() {
                        let from_chinese = is_chinese(text.get(from_range.clone()).unwrap_or(""));
                        let from_q = count_figure(ctx, from_range, from, "位", from_chinese);
                        if let Some(f) = self.movement(ctx, r, &from_q, &pos_q, &base) {
                            out.push(f);
                            continue;
                        }
                    }
                }
                let clause = format!("{}{}", clause_before(ctx, r.span, 40), rank_text);
                // 百强: a list of a hundred.
                if pos > 100 && hundred_list(&clause) {
                    out.push(base.clone().var("reason", "百强榜只有100个名次"));
                    continue;
                }
                if let Some((n, why)) = self.table_pool(ctx, s, r, &clause) {
                    ctx.touch([&pos_q]);
                    if pos > n {
                        out.push(
                            base.clone()
                                .var("reason", why.replace("{n}", &n.to_string())),
                        );
                    }
                }
            }
        }
    }
}

impl RankRange {
    /// `由第a位升至第b位，前进k位`: a − b = k; `升至` needs b < a, `降至` b > a.
    fn movement(
        &self,
        ctx: &Context<'_>,
        r: &Rank,
        from_q: &Quantity,
        pos_q: &Quantity,
        base: &Finding,
    ) -> Option<Finding> {
        if let Some((mrange, signed)) = find_movement(ctx, r) {
            let text = crate::cli::display_text(ctx.ex);
            let chinese = is_chinese(text.get(mrange.clone()).unwrap_or(""));
            let unit: String = text
                .get(mrange.clone())
                .unwrap_or("")
                .trim_start_matches(|c: char| c.is_ascii_digit() || CN.contains(c))
                .to_owned();
            let mq = count_figure(ctx, mrange, signed.unsigned_abs(), &unit, chinese);
            let rel = Relation::Gap {
                a: from_q.clone(),
                b: pos_q.clone(),
                gap: mq.clone(),
                a_down: false,
                b_down: false,
                down: signed < 0,
            };
            ctx.record(&rel);
            if !rel.holds() {
                let (a, b) = (from_q.value, pos_q.value);
                return Some(
                    Finding {
                        relation: Some(rel),
                        ..base.clone()
                    }
                    .related(from_q.span, format!("原为{}", from_q.text))
                    .related(mq.span, mq.text.clone())
                    .var(
                        "reason",
                        format!(
                            "由第{a}位到第{b}位是{}{}位，与“{}”不符",
                            if a >= b { "前进" } else { "后退" },
                            (a - b).abs(),
                            mq.text
                        ),
                    ),
                );
            }
            return None;
        }
        // No movement written: the verb must agree with the direction.
        let up = ["升至", "进至", "提升至", "跃升至", "上升至"]
            .iter()
            .any(|v| r.text.contains(v));
        let down = ["降至", "下降至"].iter().any(|v| r.text.contains(v));
        let rel = if up {
            Relation::NotAbove {
                part: pos_q.clone(),
                whole: from_q.clone(),
            }
        } else if down {
            Relation::NotAbove {
                part: from_q.clone(),
                whole: pos_q.clone(),
            }
        } else {
            return None;
        };
        ctx.record(&rel);
        if rel.holds() {
            return None;
        }
        let (a, b) = (from_q.value, pos_q.value);
        let verb = if up { "降至" } else { "升至" };
        Some(
            Finding {
                relation: Some(rel),
                suggestion: Some(format!(
                    "若名次无误，应写“由第{a}位{verb}第{b}位”；否则核对名次"
                )),
                ..base.clone()
            }
            .related(from_q.span, format!("原为{}", from_q.text))
            .var(
                "reason",
                if up {
                    "名次数字变大是后退，不是上升"
                } else {
                    "名次数字变小是前进，不是下降"
                },
            ),
        )
    }
}

/// Whether a clause speaks of a list of a hundred (`百强`, not `五百强`, `500强`).
fn hundred_list(clause: &str) -> bool {
    clause.match_indices("百强").any(|(i, _)| {
        let before = clause[..i].chars().last();
        !before.is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九两千".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(String, String, Option<String>)> {
        super::super::testing::diagnostics("t.txt", text)
            .into_iter()
            .map(|d| (d.rule, d.message, d.suggestion))
            .collect()
    }

    #[test]
    fn beyond_the_pool() {
        let d = run("示例市工业投资增速在全省17个市州中居第19位。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].0, "A121");
        assert!(run("示例市工业投资增速在全省17个市州中居第9位。").is_empty());
    }

    #[test]
    fn movement_against_positions() {
        let d = run("示例市在全国百强城市中由第63位升至第57位，前进2个位次。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.contains("前进6位"), "{d:?}");
        assert!(run("示例市在全国百强城市中由第63位升至第57位，前进6个位次。").is_empty());
        let d = run("示例市综合排名由第12位升至第15位。");
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn hundred_list() {
        let d = run("示例县在全国工业百强县中居第105位。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(run("示例县在中国企业500强中居第105位。").is_empty());
        assert!(super::hundred_list("全国百强县"));
        assert!(!super::hundred_list("中国五百强"));
    }

    #[test]
    fn province_table() {
        let provinces = vec![Province {
            name: "湖北".into(),
            units: 17,
            places: vec!["潜江".into(), "神农架".into()],
        }];
        assert!(province_of(&provinces, "潜江市").is_some());
        assert!(province_of(&provinces, "神农架林区").is_some());
        assert!(province_of(&provinces, "潜江市某某区").is_none());
        assert!(province_of(&provinces, "示例市").is_none());
        // Through the default pack: a city of Hubei ranked 19th of 17.
        let d = run("潜江市规上工业增加值增速居全省第19位。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].1.contains("17个市州"), "{d:?}");
        assert!(run("潜江市规上工业增加值增速居全省第9位。").is_empty());
        // A county-level ranking is among more units.
        assert!(run("潜江市县域经济居全省第19位。").is_empty());
    }

    #[test]
    fn provinces_nationally() {
        let d = run("全省规模以上工业增加值增速居全国各省份第35位。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(run("全省规模以上工业增加值增速居全国各省份第5位。").is_empty());
    }
}
