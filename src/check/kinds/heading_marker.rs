//! `heading-marker`: the numbering of headings and of `一是…二是…` (GB/T 9704-2012
//! §7.3.3: levels are numbered `一、`, `（一）`, `1.`, `（1）`).
//!
//! Reads the headings and inline markers that segmentation records on each paragraph
//! (page furniture excluded) and reports:
//! - a marker in another form: `1、` for `1.`, `一.`/`一，` for `一、`, `1）` for `（1）`;
//! - a stray mark after a bracketed marker: `（一）、`, `（1）.`;
//! - a gap or a repeat among siblings: `一、二、四、`, `（一）（一）`, `一是…三是`
//!   (numbering restarts under each new heading of a higher level, and `一、`, `（一）`,
//!   `1.`, `（1）`, `一是` may always start a new list);
//! - a jump from `一、` straight to `（1）` (`一、` may be followed by `（一）` or by
//!   `1.`, not by the fourth level).
//!
//! A list that starts past its first number (an excerpt starting at `二、`) is not
//! reported. `一是…` lists may nest (`一是…三是` inside the third point of an outer
//! list): a marker that continues an open outer list closes the inner one.
//!
//! No params.

use std::ops::Range;

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};
use crate::report::Fix;
use crate::segment::{Paragraph, small_cn_number};

use super::content_paragraphs;

pub const DEF: KindDef = KindDef {
    name: "heading-marker",
    summary: "层次序数的写法、连续性和层级",
    vars: &["marker", "problem"],
    build: |v| {
        if !v.is_null() {
            return Err("heading-marker 没有参数".into());
        }
        Ok(Box::new(HeadingMarker))
    },
};

struct HeadingMarker;

const CN: [&str; 11] = [
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
];

/// A small number in Chinese numerals (`3` → `三`, `12` → `十二`).
fn cn(n: u32) -> String {
    match n {
        0..=10 => CN[n as usize].to_owned(),
        11..=19 => format!("十{}", CN[(n - 10) as usize]),
        20..=99 if n % 10 == 0 => format!("{}十", CN[(n / 10) as usize]),
        20..=99 => format!("{}十{}", CN[(n / 10) as usize], CN[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// The standard marker of `level` for ordinal `n`; level 5 stands for `一是`.
fn marker(level: u8, n: u32) -> String {
    match level {
        1 => format!("{}、", cn(n)),
        2 => format!("（{}）", cn(n)),
        3 => format!("{n}."),
        4 => format!("（{n}）"),
        _ => format!("{}是", cn(n)),
    }
}

/// A heading found at the start of a paragraph.
struct Found {
    level: u8,
    ordinal: u32,
    /// The marker in the normalised text.
    marker: Range<usize>,
    /// A wrong form: the text to replace (normalised range) and the right marker.
    wrong: Option<(Range<usize>, String, String)>,
}

/// A Chinese numeral of a marker, `一` to `十` (a `match`, not a search of a string:
/// asked of every paragraph and clause).
fn cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Whether `b` begins with the UTF-8 of one of `一` to `十` ([`cn_digit`]).
fn starts_with_cn_digit(b: &[u8]) -> bool {
    matches!(
        b,
        [0xE4, 0xB8, 0x80 | 0x89 | 0x83, ..] // 一 三 七
            | [0xE4, 0xBA, 0x8C | 0x94, ..] // 二 五
            | [0xE4, 0xB9, 0x9D, ..] // 九
            | [0xE5, 0x9B, 0x9B, ..] // 四
            | [0xE5, 0x85, 0xAD | 0xAB, ..] // 六 八
            | [0xE5, 0x8D, 0x81, ..] // 十
    )
}

/// Markers segmentation does not take for headings: `一.`, `一，`, `1)`.
fn other_form(p: &str, start: usize) -> Option<Found> {
    let cn_len: usize = p
        .chars()
        .take_while(|&c| cn_digit(c))
        .map(char::len_utf8)
        .sum();
    if cn_len > 0 && cn_len <= 9 {
        let rest = &p[cn_len..];
        let sep = rest.chars().next()?;
        let after = rest[sep.len_utf8()..].chars().next();
        if matches!(sep, '.' | '，' | ',') && after.is_some_and(|c| !c.is_whitespace()) {
            let ordinal = small_cn_number(&p[..cn_len])?;
            let r = start..start + cn_len + sep.len_utf8();
            return Some(Found {
                level: 1,
                ordinal,
                marker: r.clone(),
                wrong: Some((
                    r,
                    marker(1, ordinal),
                    format!("应写作“{}”", marker(1, ordinal)),
                )),
            });
        }
    }
    let digits = p.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && p[digits..].starts_with(')') {
        let ordinal: u32 = p[..digits].parse().ok()?;
        let r = start..start + digits + 1;
        return Some(Found {
            level: 4,
            ordinal,
            marker: r.clone(),
            wrong: Some((
                r,
                marker(4, ordinal),
                format!("应写作“{}”", marker(4, ordinal)),
            )),
        });
    }
    None
}

/// A paragraph that starts like a level-3 marker segmentation declined because a digit
/// follows (`20.2026年10件民生实事`): counted for the numbering only.
fn loose_level3(p: &str) -> Option<u32> {
    let digits = p.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let rest = &p[digits..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix('、'))?;
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then(|| p[..digits].parse().ok())
        .flatten()
}

/// `一是`, `二是`, … at the start of any clause of the paragraph, in order: the
/// markers segmentation records (sentence-initial ones) and those after `：` or `，`.
fn inline_markers(text: &str, para: &Paragraph) -> Vec<(u32, Range<usize>)> {
    let mut out: Vec<(u32, Range<usize>)> = para
        .markers
        .iter()
        .map(|m| (m.ordinal, m.range.clone()))
        .collect();
    for clause in para.sentences.iter().flat_map(|s| s.clauses.iter()) {
        // Most clauses are passed over on their first bytes, without decoding.
        if !text
            .as_bytes()
            .get(clause.start..)
            .is_some_and(starts_with_cn_digit)
        {
            continue;
        }
        let c = &text[clause.clone()];
        let n: usize = c
            .chars()
            .take_while(|&ch| cn_digit(ch))
            .map(char::len_utf8)
            .sum();
        if n == 0 || !c[n..].starts_with('是') {
            continue;
        }
        // `一是一，二是二` is an idiom, not a list.
        if c[n + '是'.len_utf8()..].starts_with(&c[..n]) {
            continue;
        }
        let Some(ordinal) = small_cn_number(&c[..n]) else {
            continue;
        };
        let r = clause.start..clause.start + n + '是'.len_utf8();
        if !out.iter().any(|(_, x)| *x == r) {
            out.push((ordinal, r));
        }
    }
    out.sort_by_key(|(_, r)| r.start);
    out
}

impl RuleKind for HeadingMarker {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let text = ctx.text();
        let sm = ctx.spans();
        let report = |out: &mut Vec<Finding>,
                      r: Range<usize>,
                      problem: String,
                      fix: Option<(Range<usize>, String)>| {
            let shown = sm.text(r.clone());
            let mut f = Finding {
                span: sm.span(r),
                label: shown.clone(),
                key: vec![shown.clone(), problem.clone()],
                ..Default::default()
            }
            .var("marker", shown)
            .var("problem", problem);
            if let Some((fr, new)) = fix {
                f.suggestion = Some(format!("改为“{new}”"));
                f.fix = Some(Fix {
                    span: sm.span(fr),
                    replacement: new,
                });
            }
            out.push(f);
        };
        // Level-3 markers written `1、`, in one run of siblings.
        let mut dun_run: Vec<(Range<usize>, u32)> = Vec::new();
        let flush = |out: &mut Vec<Finding>, run: &mut Vec<(Range<usize>, u32)>| {
            if let Some((r, n)) = run.first().cloned() {
                let right = marker(3, n);
                let mut problem = format!("应写作“{right}”");
                if run.len() > 1 {
                    problem += &format!("（同级共{}处）", run.len());
                }
                report(out, r.clone(), problem, Some((r, right)));
            }
            run.clear();
        };
        // The last ordinal seen at each level (1–4) under the current parent.
        let mut last: [Option<u32>; 5] = [None; 5];
        // The marker of the current level-1 heading (for the jump message).
        let mut top: Option<String> = None;
        // Expected next ordinals of the open `一是` lists, innermost last.
        let mut inline: Vec<u32> = Vec::new();
        for para in content_paragraphs(ctx) {
            let p = &text[para.range.clone()];
            let found = match &para.heading {
                Some(h) if h.level >= 1 => {
                    let after = h.marker.end;
                    let mut wrong = None;
                    let m = &text[h.marker.clone()];
                    if h.level == 3 && m.ends_with('、') {
                        let right = marker(3, h.ordinal);
                        wrong = Some((h.marker.clone(), right.clone(), format!("应写作“{right}”")));
                    } else if matches!(h.level, 2 | 4) {
                        if let Some(c) = text[after..para.range.end]
                            .chars()
                            .next()
                            .filter(|c| matches!(c, '、' | '.' | '，' | ','))
                        {
                            let r = h.marker.start..after + c.len_utf8();
                            wrong = Some((r, sm.text(h.marker.clone()), format!("后面多了“{c}”")));
                        }
                    }
                    Some(Found {
                        level: h.level,
                        ordinal: h.ordinal,
                        marker: h.marker.clone(),
                        wrong,
                    })
                }
                Some(_) => None,
                None => other_form(p, para.range.start).or_else(|| {
                    let n = loose_level3(p)?;
                    last[3].is_some_and(|l| l + 1 == n).then_some(Found {
                        level: 3,
                        ordinal: n,
                        marker: para.range.start..para.range.start,
                        wrong: None,
                    })
                }),
            };
            if let Some(h) = found {
                let level = h.level as usize;
                // `1、` repeated over a run of siblings is reported once, on the first.
                let dun = h.level == 3 && text[h.marker.clone()].ends_with('、');
                if !dun && h.level <= 3 {
                    flush(out, &mut dun_run);
                }
                if dun {
                    dun_run.push((h.marker.clone(), h.ordinal));
                } else if let Some((r, right, problem)) = h.wrong {
                    report(out, r.clone(), problem, Some((r, right)));
                }
                if h.level == 4 && last[1].is_some() && last[2..].iter().all(Option::is_none) {
                    let parent = top.clone().unwrap_or_else(|| "一、".into());
                    report(
                        out,
                        h.marker.clone(),
                        format!("直接列在“{parent}”之下，中间缺少“（一）”或“1.”一级"),
                        None,
                    );
                }
                if let Some(prev) = last[level] {
                    if h.ordinal != prev + 1 && h.ordinal != 1 && !h.marker.is_empty() {
                        let problem = if h.ordinal > prev + 1 {
                            let missing: Vec<String> = (prev + 1..h.ordinal)
                                .take(3)
                                .map(|n| format!("“{}”", marker(h.level, n)))
                                .collect();
                            format!("之前缺少{}", missing.join(""))
                        } else {
                            format!(
                                "与前面的编号重复或倒退（上一个是“{}”）",
                                marker(h.level, prev)
                            )
                        };
                        report(out, h.marker.clone(), problem, None);
                    }
                }
                last[level] = Some(h.ordinal);
                for l in &mut last[level + 1..] {
                    *l = None;
                }
                if h.level == 1 {
                    top = Some(sm.text(h.marker.clone()));
                }
                inline.clear();
            }
            for (ordinal, range) in inline_markers(text, para) {
                if ordinal == 1 {
                    inline.push(2);
                    if inline.len() > 3 {
                        inline.remove(0);
                    }
                    continue;
                }
                if let Some(pos) = inline.iter().rposition(|&e| e == ordinal) {
                    inline.truncate(pos + 1);
                    inline[pos] += 1;
                    continue;
                }
                let Some(e) = inline.last_mut() else { continue };
                let problem = if ordinal > *e {
                    let missing: Vec<String> = (*e..ordinal)
                        .take(3)
                        .map(|n| format!("“{}”", marker(5, n)))
                        .collect();
                    format!("之前缺少{}", missing.join(""))
                } else {
                    format!("与前面的“{}”重复或倒退", marker(5, ordinal))
                };
                *e = ordinal + 1;
                report(out, range, problem, None);
            }
        }
        flush(out, &mut dun_run);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, suggestions};
    use super::DEF;

    fn problems(text: &str) -> Vec<String> {
        findings(&DEF, "", text)
            .into_iter()
            .map(|f| {
                let p = f
                    .vars
                    .iter()
                    .find(|(k, _)| *k == "problem")
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default();
                format!("{}{}", f.label, p)
            })
            .collect()
    }

    #[test]
    fn wrong_forms() {
        let text = "一、主要工作\n（一）、强化服务\n1、加快项目建设\n2.抓好企业培育\n（二）．优化环境\n二，下步打算";
        assert_eq!(
            suggestions(&DEF, "", text),
            ["改为“（一）”", "改为“1.”", "改为“（二）”", "改为“二、”"]
        );
    }

    #[test]
    fn dun_run_reported_once() {
        let text = "一、指标解释\n1、营业收入：指企业的收入。\n2、营业成本：指企业的成本。\n3、利润总额：指盈亏总额。\n二、说明";
        assert_eq!(problems(text), ["1、应写作“1.”（同级共3处）"]);
    }

    #[test]
    fn gaps_and_repeats() {
        let text =
            "一、总体情况\n二、主要做法\n四、下步打算\n（一）抓项目\n（二）抓企业\n（二）抓服务";
        assert_eq!(
            problems(text),
            [
                "四、之前缺少“三、”",
                "（二）与前面的编号重复或倒退（上一个是“（二）”）"
            ]
        );
    }

    #[test]
    fn numbering_restarts_under_a_new_parent() {
        let text = "一、总体情况\n（一）抓项目\n（二）抓企业\n二、下步打算\n（一）稳增长\n（二）促转型\n1.扩投资\n2.促消费\n（三）防风险\n1.化债务";
        assert!(problems(text).is_empty(), "{:?}", problems(text));
    }

    #[test]
    fn jump_to_fourth_level() {
        let text = "一、总体情况\n（1）抓项目\n（2）抓企业";
        assert_eq!(
            problems(text),
            ["（1）直接列在“一、”之下，中间缺少“（一）”或“1.”一级"]
        );
    }

    #[test]
    fn inline_markers() {
        let text = "全年重点抓好三件事：一是抓项目，新开工项目42个；二是抓企业，新增规上企业15家；四是抓服务，走访企业300家。";
        assert_eq!(problems(text), ["四是之前缺少“三是”"]);
        let ok = "主要措施：一是抓项目；二是抓企业，具体有三点：一是走访，二是培训，三是奖励；三是抓服务。";
        assert!(problems(ok).is_empty(), "{:?}", problems(ok));
    }

    #[test]
    fn loose_level3_fills_the_sequence() {
        let text =
            "名词解释\n1.两新：设备更新。\n2.2026年十件实事：民生项目。\n3.双一流：一流大学。";
        assert!(problems(text).is_empty(), "{:?}", problems(text));
    }
}
