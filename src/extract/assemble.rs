//! Tokens → statements, the way a careful reader links them.
//!
//! The grammar marks periods, figures, changes, ranks, shares and markers; what is
//! left between them is text. This module decides, clause by clause:
//! - which text names the indicator (the text before a figure, or the noun after a
//!   count: `155个工业项目开工建设`);
//! - whether a change, rank or share starts a new statement or completes the previous
//!   one (`…921.7亿元，同比增长10.17%`);
//! - the subject and period, carried forward within a paragraph when a clause omits
//!   them;
//! - targets (`力争`, `预计`, a plan section's heading), which are never achieved figures;
//! - breakdowns: `其中` parts (also across a sentence boundary), `分别` lists matched to
//!   the items named before them, `均`, compound counts (`17个亿元以上重大增长点`) and
//!   enumerations (`三大园区：…`).

use std::ops::Range;

use chrono::NaiveDate;

use super::build::{ChangeTok, Marker, RespTok, SpanMaker, Token, TokenKind};
use super::fact::{
    Breakdown, BreakdownKind, Change, ClassSpec, Comparison, Direction, Enumeration, Indicator,
    Item, Period, PeriodKind, Quantity, Rank, Scope, Share, ShareKind, Span, Statement, Target,
    UnitKind,
};
use super::indicator::IndicatorTable;
use super::period::{PeriodContext, RawPeriod, YearRef, resolve};
use super::scope::{place_at_start, resolve_scope};
use crate::segment::Sentence;

/// Per-paragraph reading state.
#[derive(Debug, Clone, Default)]
struct ParaState {
    scope: Option<Scope>,
    period: Option<Period>,
    context_year: Option<i32>,
    plan: Option<Target>,
    first_stmt: usize,
    /// The last piece of text of the last clause that had no statement (context for
    /// a bare rank or value); cleaned when used.
    last_text: Option<Range<usize>>,
    qz: Option<Qizhong>,
    /// The previous sentence ended with `；`.
    prev_soft_end: bool,
    /// Set by `我们将…`/`下一步…`: the rest of the paragraph is a plan.
    plan_mode: Option<Target>,
    /// A date that applies to the rest of its sentence (`3月11日，…`).
    sentence_period: Option<Period>,
    /// `period` was written in the current sentence (not carried from an earlier one).
    period_in_sentence: bool,
    /// The target word in force at the end of the last sentence.
    soft_target: Option<Target>,
    /// Arena index of the first statement of the current and of the previous sentence.
    sentence_first: usize,
    prev_sentence_first: usize,
}

/// An open `其中` list.
#[derive(Debug, Clone)]
struct Qizhong {
    marker: Span,
    /// Statements from this index on (up to `first`) may be the total.
    parent_lo: usize,
    /// A 其中 inside brackets ends at the closing bracket (normalised offset).
    close_paren: Option<usize>,
    /// Arena index of the first statement after the marker.
    first: usize,
    /// Arena index where the current sentence's statements begin.
    sentence_first: usize,
    other_seen: bool,
    open: bool,
}

/// Per-clause state.
#[derive(Debug, Clone, Default)]
struct ClauseState {
    scope: Option<Scope>,
    period: Option<Period>,
    /// A period that applies to the next figure only (`由去年的…`).
    local_period: Option<Period>,
    stmt: Option<usize>,
    class: Option<ClassSpec>,
    other_next: bool,
    etc_before: bool,
    total_word: Option<String>,
    /// A target word whose reach ends with the clause (`争取…资金`).
    clause_target: Option<Target>,
    /// The last enumeration count read in the clause (`两项指标`).
    enum_count: Option<u32>,
}

/// The assembler for one document.
pub struct Assembler<'t> {
    table: &'t IndicatorTable,
    doc_scope: Option<String>,
    doc_date: Option<NaiveDate>,
    /// Boxed: a statement is large (over 2 KB), and the arena grows by copying.
    #[allow(clippy::vec_box)]
    arena: Vec<Box<Statement>>,
    ranges: Vec<Range<usize>>,
    parent: Vec<Option<usize>>,
    other_part: Vec<bool>,
    pub enumerations: Vec<Enumeration>,
    pub unread: Vec<Span>,
    para: ParaState,
    /// Year named in the current section heading.
    section_year: Option<i32>,
    /// A plan announced at the end of a paragraph, carried into the enumerated
    /// paragraphs that follow (`我们将重点做好以下工作：` → `一是…`).
    carry_plan: Option<Target>,
    /// The year a level-1 heading names (`二、2026年工作计划`), as the period of its
    /// section's statements.
    section_period: Option<Period>,
}

/// Phrases after which a paragraph speaks of plans (press conferences, 下一步工作).
const PLAN_TRIGGERS: &[&str] = &[
    "我们将",
    "我市将",
    "我区将",
    "我县将",
    "我省将",
    "下一步",
    "下步",
    "接下来",
    "今后",
];

const CONNECTIVES: &[&str] = &[
    "相比于",
    "相比",
    "相较",
    "同时",
    "并且",
    "另外",
    "此外",
    "目前",
    "现已",
    "已经",
    "其中",
    "全年",
    "当年",
    "主要",
    "分别",
    "先后",
    "相继",
    "实现了",
    "实现",
    "完成了",
    "完成",
    "达到",
    "拥有",
    "现有",
    "共有",
    "共计",
    "累计",
    "合计",
    "总计",
    "总共",
    "汇总",
    "已",
    "并",
    "且",
    "还",
    "也",
    "再",
    "又",
    "共",
    "均",
    "仍",
    "就",
    "便",
    "即",
    "达",
    "为",
    "有",
    "在",
    "从",
    "由",
    "于",
    "以",
    "对",
    "和",
    "及",
    "、",
    "是",
    "了",
    "的",
    "都",
    "约",
    "超",
    "近",
    "逾",
    "到",
    "至",
    "将",
];

const TRAILING: &[&str] = &[
    "总数达到",
    "达到",
    "高达",
    "达",
    "为",
    "是",
    "共计",
    "共有",
    "共",
    "累计",
    "合计",
    "总计",
    "约为",
    "约",
    "超过",
    "超",
    "已达",
    "已",
    "的",
    "了",
    "实现",
    "完成",
    "由",
    "从",
    "有",
    "近",
    "逾",
    "突破",
    "仅",
    "至",
    "到",
    "增至",
    "升至",
    "降至",
    "调整为",
    "分别",
    "按",
    "将",
    "在",
    "、",
    "和",
    "与",
    "及",
];

/// Words after which the rest of a long gap names the indicator (`…与各类金融机构…`).
const BOUNDARIES: &[&str] = &[
    "与", "向", "对", "通过", "按照", "围绕", "为了", "把", "被", "给", "帮助", "协调", "组织",
    "推动", "推进", "引导", "鼓励", "支持", "带动", "促进", "指导", "开展", "积极", "大力", "全力",
    "加快", "加大", "着力",
];

/// Verbs that take the figure as their object: the noun after the figure names it
/// (`申报19.38亿元贷款需求`, `投入10亿元财政资金`).
const VERB_ENDINGS: &[&str] = &[
    "增发", "发行", "申报", "争取", "获得", "落实", "兑现", "投入", "安排", "完成", "实现", "签订",
    "发放", "撬动", "带动", "组织", "下达", "拨付", "筹集", "募集", "新增", "引进", "推进", "召开",
    "举办",
];

/// Gaps that are only a verb of change, naming nothing (`调整为`).
const BARE_VERBS: &[&str] = &[
    "调整",
    "调整为",
    "变为",
    "提高到",
    "提高至",
    "增至",
    "升至",
    "降至",
    "达到",
    "达",
    "为",
    "增长到",
    "下降到",
    "提升至",
    "提升到",
    "扩大到",
    "减少到",
    "实现",
    "完成",
];

/// Aggregate words that name the total of what was just counted (`总数达到55家`).
const AGGREGATES: &[&str] = &[
    "总数",
    "总量",
    "总额",
    "总计",
    "合计",
    "总规模",
    "总体",
    "总量达到",
];

/// Heads an indicator ends with; a `其中` part of a change must share its parent's head.
const HEADS: &[&str] = &[
    "增加值",
    "总产值",
    "产值",
    "投资",
    "利润",
    "营业收入",
    "收入",
    "产量",
    "销量",
    "进出口",
    "出口",
    "进口",
    "用电量",
    "税收",
    "销售额",
    "零售总额",
    "交易额",
    "营收",
];

/// Generic indicator heads that a `分别` list may share (`新特色产业产值`).
const SHARED_HEADS: &[&str] = &[
    "产业产值",
    "产业增加值",
    "行业增加值",
    "产业投资",
    "固定资产投资增速",
    "增加值增速",
    "产值增速",
    "投资增速",
    "增速",
    "增加值",
    "总产值",
    "产值",
    "固定资产投资",
    "投资",
    "利润总额",
    "利润",
    "营业收入",
    "收入",
    "产量",
    "销量",
    "交易额",
    "销售额",
    "比重",
    "占比",
    "产业",
    "行业",
];

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The first part assigned to `parent` among statements from `from` on.
fn first_part_of(parent: &[Option<usize>], p: usize, from: usize) -> usize {
    (from..parent.len())
        .find(|&i| parent[i] == Some(p))
        .unwrap_or(from)
}

/// Whether two parts of one total name things of the same kind: their names end
/// alike (two characters, or one that marks a category: 类, 业, 项 …).
fn siblings(a: &str, b: &str) -> bool {
    let common: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count();
    common >= 2
        || common == 1
            && a.chars()
                .last()
                .is_some_and(|c| "类业项型区县市省品".contains(c))
}

/// `首次`, `连续三年`, `已连续3个月`: an adverb before a rank or change, not an
/// indicator name (`同比增长0.3%，连续三年居全省第1位`).
fn is_streak_adverb(t: &str) -> bool {
    let t = t.strip_prefix('已').unwrap_or(t);
    if matches!(t, "首次" | "再次" | "继续" | "持续" | "稳定") {
        return true;
    }
    let Some(rest) = t.strip_prefix("连续") else {
        return false;
    };
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let digits = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || "一二两三四五六七八九十".contains(c)))
        .map_or(rest.len(), |(i, _)| i);
    digits > 0 && matches!(&rest[digits..], "年" | "个月" | "个季度" | "季度")
}

/// Trims the connectives and copulas around an indicator name. Returns the byte range
/// of what is left within `s`.
fn clean(s: &str) -> Range<usize> {
    let mut start = 0;
    let mut end = s.len();
    let trim_ws = |s: &str, a: &mut usize, b: &mut usize| {
        while *a < *b && s[*a..].starts_with([' ', '"', '\'', '”', '（', ')']) {
            *a += s[*a..].chars().next().map_or(1, char::len_utf8);
        }
        while *b > *a && s[..*b].ends_with([' ', '“', '(', '（']) {
            *b -= s[..*b].chars().last().map_or(1, char::len_utf8);
        }
    };
    let (firsts, lasts) = edge_chars();
    loop {
        let before = (start, end);
        trim_ws(s, &mut start, &mut end);
        let t = &s[start..end];
        if t.chars()
            .next()
            .is_some_and(|c| firsts.binary_search(&c).is_ok())
        {
            for w in CONNECTIVES {
                if t.starts_with(w) && t.len() > w.len() {
                    start += w.len();
                    break;
                }
            }
        }
        let t = &s[start..end];
        if t.chars()
            .next_back()
            .is_some_and(|c| lasts.binary_search(&c).is_ok())
        {
            for w in TRAILING {
                if t.ends_with(w) && t.len() > w.len() {
                    end -= w.len();
                    break;
                }
            }
        }
        if (start, end) == before {
            break;
        }
    }
    // Single leftover function words mean nothing.
    let rest = &s[start..end];
    let lone = rest.chars().count() == 1 && "比较与和及同相按以为拟".contains(rest);
    // A whole connective begins with one of `firsts`, a trailing word ends with one
    // of `lasts`: the lists are walked only then.
    let connective = rest
        .chars()
        .next()
        .is_some_and(|c| firsts.binary_search(&c).is_ok())
        && CONNECTIVES.contains(&rest);
    let trailing = rest
        .chars()
        .next_back()
        .is_some_and(|c| lasts.binary_search(&c).is_ok())
        && TRAILING.contains(&rest);
    if lone
        || connective
        || trailing
        || !rest.chars().any(is_han) && !rest.chars().any(|c| c.is_ascii_alphabetic())
    {
        return start..start;
    }
    start..end
}

/// Words that contain a boundary word but are not boundaries (`对接`, `参与`).
const PROTECTED: &[&str] = &[
    "对接",
    "对标",
    "对照",
    "对外",
    "对口",
    "对象",
    "对话",
    "参与",
    "给予",
    "组织部",
    "组织化",
    "针对",
    "相对",
    "绝对",
    "面对",
    "应对",
    "核对",
];

fn protected_at(s: &str, i: usize, w: &str) -> bool {
    PROTECTED.iter().any(|p| {
        p.match_indices(w)
            .any(|(k, _)| i >= k && s[i - k..].starts_with(p))
    })
}

/// Text that may stand before a clause's subject (`同时，全市…`).
fn is_subject_prefix(s: &str) -> bool {
    s.is_empty()
        || [
            "同时",
            "此外",
            "另外",
            "目前",
            "其中",
            "并",
            "且",
            "而",
            "但",
            "当前",
            "截至目前",
        ]
        .contains(&s)
}

/// Whether a token limits the noun after a count (unit-less numbers do not).
fn is_real(t: &Token) -> bool {
    match &t.kind {
        TokenKind::Noise | TokenKind::Sep('、') => false,
        TokenKind::Marker(
            Marker::Scope(_) | Marker::Total(_) | Marker::Other | Marker::Basis(_),
        ) => false,
        TokenKind::Quantity(q) => q.unit.is_some() || q.magnitude.is_some() && !q.chinese,
        _ => true,
    }
}

/// Whether the words after `争取` make it a target (`争取全年…`, `争取实现…`) rather
/// than a report of funds obtained (`争取省级专项资金3180万元`).
fn strong_after(text: &str, from: usize) -> bool {
    let rest = &text[from..];
    [
        "全年", "今年", "明年", "实现", "完成", "达到", "新增", "建成", "突破", "在", "年内",
        "早日", "更多", "更大", "进入", "跻身", "创建", "引进", "培育",
    ]
    .iter()
    .any(|w| rest.starts_with(w))
        || rest.starts_with(|c: char| c.is_ascii_digit())
}

/// First characters of the connectives and last characters of the trailing words,
/// so that `clean` only walks the lists when one may match.
fn edge_chars() -> &'static (Vec<char>, Vec<char>) {
    static E: std::sync::OnceLock<(Vec<char>, Vec<char>)> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let mut f: Vec<char> = CONNECTIVES
            .iter()
            .filter_map(|w| w.chars().next())
            .collect();
        let mut l: Vec<char> = TRAILING
            .iter()
            .filter_map(|w| w.chars().next_back())
            .collect();
        f.sort_unstable();
        f.dedup();
        l.sort_unstable();
        l.dedup();
        (f, l)
    })
}

/// The tail of a long gap after the last boundary word.
fn after_boundary(s: &str) -> usize {
    // Every occurrence of every boundary word, in one pass (no word overlaps itself,
    // so these are the occurrences `match_indices` would give word by word).
    static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let occurrences: Vec<(usize, &str)> =
        match FINDER.get_or_init(|| aho_corasick::AhoCorasick::new(BOUNDARIES).ok()) {
            Some(ac) => ac
                .find_overlapping_iter(s)
                .map(|m| (m.start(), BOUNDARIES[m.pattern().as_usize()]))
                .collect(),
            None => BOUNDARIES
                .iter()
                .flat_map(|w| s.match_indices(w).map(|(i, _)| (i, *w)))
                .collect(),
        };
    let mut best = 0;
    for (i, w) in occurrences {
        let after = i + w.len();
        if after > best && after < s.len() && !protected_at(s, i, w) {
            best = after;
        }
    }
    best
}

impl<'t> Assembler<'t> {
    pub fn new(
        table: &'t IndicatorTable,
        doc_scope: Option<String>,
        doc_date: Option<NaiveDate>,
    ) -> Self {
        Assembler {
            table,
            doc_scope,
            doc_date,
            arena: Vec::new(),
            ranges: Vec::new(),
            parent: Vec::new(),
            other_part: Vec::new(),
            enumerations: Vec::new(),
            unread: Vec::new(),
            para: ParaState::default(),
            section_year: None,
            carry_plan: None,
            section_period: None,
        }
    }

    /// Starts a paragraph. `heading` is the paragraph's heading title and level, if any.
    /// `enumerated` says whether the paragraph opens with a list marker (`一是`, `（二）`).
    pub fn begin_paragraph(&mut self, heading: Option<(u8, &str, Span)>, enumerated: bool) {
        self.close_qizhong();
        if let Some(p) = self.para.plan_mode.take() {
            self.carry_plan = Some(p);
        }
        let plan = self.para.plan.clone();
        let plan_mode = if enumerated {
            self.carry_plan.clone()
        } else {
            None
        };
        if !enumerated {
            self.carry_plan = None;
        }
        self.para = ParaState {
            first_stmt: self.arena.len(),
            plan,
            plan_mode,
            context_year: self.section_year,
            period: self.section_period.clone(),
            ..Default::default()
        };
        if let Some((level, title, span)) = heading {
            if (1..=2).contains(&level) {
                let is_plan = [
                    "计划",
                    "打算",
                    "目标",
                    "思路",
                    "安排",
                    "展望",
                    "下一步",
                    "重点工作",
                ]
                .iter()
                .any(|w| title.contains(w));
                let year = title.find('年').and_then(|i| {
                    let digits: String = title[..i]
                        .chars()
                        .rev()
                        .take_while(char::is_ascii_digit)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
                });
                if level == 1 || is_plan {
                    self.para.plan = is_plan.then(|| Target {
                        word: title.to_owned(),
                        span,
                        from_heading: true,
                    });
                }
                if level == 1 {
                    self.section_year = year;
                    self.para.context_year = year;
                    self.section_period = year.map(|y| {
                        let mut p = resolve(
                            &RawPeriod::Calendar {
                                year: Some(YearRef::Absolute(y)),
                                core: None,
                                as_of: false,
                            },
                            &self.period_ctx(),
                        );
                        p.text = format!("{y}年");
                        p.span = span;
                        p.inherited = true;
                        p
                    });
                }
            }
        }
    }

    /// Whether a target word really marks a target here: `将` must be followed by a
    /// verb (not `将…纳入`), `目标` must introduce a target (`目标：…`, `目标是…`) and not
    /// close `以…为目标`.
    fn is_target_word(&self, text: &str, tok: &Token, w: &str) -> bool {
        let rest = &text[tok.range.end..];
        let before = &text[..tok.range.start];
        match w {
            "将" if [
                "我们",
                "我市",
                "我区",
                "我县",
                "我省",
                "全市",
                "全区",
                "今年",
                "明年",
                "下一步",
                "工作",
                "项目",
            ]
            .iter()
            .any(|p| before.ends_with(p)) =>
            {
                true
            }
            "将" => [
                "紧紧",
                "树立",
                "抢抓",
                "牢牢",
                "擦亮",
                "深入",
                "坚持",
                "把",
                "着眼",
                "重点",
                "全面",
                "加快",
                "实现",
                "完成",
                "达到",
                "突破",
                "新增",
                "建成",
                "建设",
                "推动",
                "力争",
                "继续",
                "进一步",
                "持续",
                "重点",
                "着力",
                "大力",
                "积极",
                "分别",
                "于",
                "在",
                "有",
                "超",
                "投产",
                "竣工",
                "形成",
                "带动",
                "开工",
                "迎来",
                "实施",
                "全力",
                "确保",
                "争取",
                "达",
                "新建",
                "引进",
                "培育",
                "打造",
                "启动",
                "举办",
                "召开",
                "安排",
                "落实",
                "坚持",
                "聚焦",
                "围绕",
                "以",
                "按照",
                "乘势",
            ]
            .iter()
            .any(|v| rest.starts_with(v)),
            "目标" => {
                !before.ends_with('为')
                    && (rest.starts_with([':', '：', '是', '为', '，', ','])
                        || rest.starts_with("任务是"))
            }
            _ => true,
        }
    }

    /// `…450个充电桩的年度建设目标`: a 目标 shortly after a figure, joined by 的.
    fn retro_target(&self, text: &str, tok: &Token, stmt: Option<usize>) -> bool {
        stmt.is_some_and(|i| {
            let end = self.ranges[i].end;
            end <= tok.range.start
                && text[end..tok.range.start].chars().count() <= 12
                && text[end..tok.range.start].contains('的')
        })
    }

    /// The cleaned text of the last text-only clause, if any.
    fn context_text(&self, text: &str) -> Option<(String, Range<usize>)> {
        let p = self.para.last_text.clone()?;
        let c = clean(&text[p.clone()]);
        if c.is_empty() {
            return None;
        }
        let r = p.start + c.start..p.start + c.end;
        Some((text[r.clone()].to_owned(), r))
    }

    fn period_ctx(&self) -> PeriodContext {
        PeriodContext {
            doc_date: self.doc_date,
            context_year: self.para.context_year,
        }
    }

    /// Reads one sentence's tokens. `text` is the whole normalised document text.
    pub fn sentence(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        tokens: &[Token],
    ) {
        let mut target: Option<Target> = self
            .para
            .plan
            .clone()
            .or_else(|| self.para.plan_mode.clone())
            .or_else(|| {
                // `目标是：…增长5%左右；…1200万人以上；…`: a target reaches over `；`.
                self.para
                    .prev_soft_end
                    .then(|| self.para.soft_target.clone())
                    .flatten()
            });
        self.para.sentence_period = None;
        self.para.period_in_sentence = false;
        let s = &text[sentence.range.clone()];
        let trigger = if s.contains(['将', '下', '接', '今']) {
            // The leftmost trigger (the first listed where two begin alike), in one
            // search rather than one per trigger.
            static FINDER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
                std::sync::OnceLock::new();
            let finder = FINDER.get_or_init(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(PLAN_TRIGGERS)
                    .ok()
            });
            match finder {
                Some(f) => f
                    .find(s)
                    .map(|m| (m.start(), PLAN_TRIGGERS[m.pattern().as_usize()])),
                None => PLAN_TRIGGERS
                    .iter()
                    .filter_map(|w| s.find(w).map(|i| (i, *w)))
                    .min_by_key(|x| x.0),
            }
            .or_else(|| s.starts_with('将').then_some((0, "将")))
        } else {
            None
        };
        let soft = std::mem::replace(&mut self.para.prev_soft_end, sentence.soft_end);
        if let Some(qz) = &mut self.para.qz {
            qz.sentence_first = self.arena.len();
        }
        let sentence_first = self.arena.len();
        self.para.prev_sentence_first =
            std::mem::replace(&mut self.para.sentence_first, sentence_first);
        // Ranges of the tokens that were read (figures, periods, noise …): a digit
        // outside all of them is a figure the grammar could not read.
        let mut used: Vec<Range<usize>> = Vec::new();
        for clause in &sentence.clauses {
            let toks: Vec<&Token> = tokens
                .iter()
                .filter(|t| t.range.start >= clause.start && t.range.start < clause.end)
                .collect();
            self.clause(
                sm,
                text,
                sentence,
                clause.clone(),
                &toks,
                &mut target,
                &mut used,
            );
        }
        for clause in &sentence.clauses {
            self.record_unread(sm, text, clause, &used);
        }
        if !soft {
            self.check_qizhong_continuation(sentence_first);
        }
        // Only a target that opens a list with a colon (`目标是：`) reaches over `；`.
        self.para.soft_target = target
            .as_ref()
            .filter(|t| {
                !t.from_heading && {
                    let at = t.span.end;
                    let src = sm.source;
                    let rest = src.get(at..).unwrap_or("");
                    rest.starts_with([':', '：'])
                        || rest.starts_with("是：")
                        || rest.starts_with("是:")
                }
            })
            .cloned();
        if let Some((i, w)) = trigger {
            let start = sentence.range.start + i;
            self.para.plan_mode = Some(Target {
                word: w.to_owned(),
                span: sm.span(start..start + w.len()),
                from_heading: true,
            });
        }
    }

    #[allow(clippy::too_many_lines, clippy::too_many_arguments)]
    fn clause(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        clause: Range<usize>,
        toks: &[&Token],
        target: &mut Option<Target>,
        used: &mut Vec<Range<usize>>,
    ) {
        let mut cs = ClauseState::default();
        let mut cursor = clause.start;
        let mut pieces: Vec<Range<usize>> = Vec::new();
        let mut first_piece = true;
        let stmts_before = self.arena.len();
        for tok in toks {
            if tok.range.start < cursor {
                // Consumed as the noun after a count.
                if tok.range.end <= cursor {
                    continue;
                }
            }
            let gap_end = tok.range.start.max(cursor);
            let push_piece = |pieces: &mut Vec<Range<usize>>, a: usize, b: usize| {
                if b > a {
                    pieces.push(a..b);
                }
            };
            match &tok.kind {
                TokenKind::Sep(_) | TokenKind::Noise => {
                    used.push(tok.range.clone());
                    continue;
                }
                TokenKind::Marker(Marker::Other) => {
                    cs.other_next = true;
                    continue;
                }
                _ => {}
            }
            push_piece(&mut pieces, cursor, gap_end);
            // A place name at the start of the clause is its subject.
            if first_piece && cs.stmt.is_none() {
                if let Some(first) = pieces.first().cloned() {
                    if first.start == clause.start
                        || text[clause.start..first.start].trim().is_empty()
                    {
                        if let Some((len, name)) = place_at_start(&text[first.clone()]) {
                            let scope = Scope {
                                text: name.to_owned(),
                                span: Some(sm.span(first.start..first.start + len)),
                                resolved: Some(name.to_owned()),
                                inherited: false,
                            };
                            cs.scope = Some(scope.clone());
                            self.para.scope = Some(scope);
                            pieces[0] = first.start + len..first.end;
                        }
                    }
                }
                first_piece = false;
            }
            let value_seen = cs.stmt.is_some();
            match &tok.kind {
                TokenKind::Period(raw) => {
                    let mut p = resolve(raw, &self.period_ctx());
                    p.text = sm.text(tok.range.clone());
                    p.span = sm.span(tok.range.clone());
                    used.push(tok.range.clone());
                    let before = text[..tok.range.start].chars().last();
                    // A period after 由/比/较 (`由去年的…`) and a single day (an event's
                    // date) apply to the next figure only.
                    let local = matches!(before, Some('由' | '比' | '较' | '从' | '与'))
                        || matches!(raw, RawPeriod::Iso(_));
                    if let RawPeriod::Calendar {
                        year: Some(YearRef::Absolute(y)),
                        ..
                    } = raw
                    {
                        if !local {
                            self.para.context_year = Some(*y);
                        }
                    }
                    if local {
                        cs.local_period = Some(p);
                    } else if p.kind == PeriodKind::Date {
                        // An event's date holds for its sentence only.
                        cs.period = Some(p.clone());
                        self.para.sentence_period = Some(p);
                    } else {
                        cs.period = Some(p.clone());
                        self.para.period = Some(p);
                        self.para.period_in_sentence = true;
                    }
                    cursor = tok.range.end;
                    continue;
                }
                TokenKind::Marker(m) => {
                    used.push(tok.range.clone());
                    let at_start = pieces
                        .iter()
                        .all(|p| is_subject_prefix(text[p.clone()].trim()));
                    match m {
                        Marker::Scope(w) if !value_seen && at_start => {
                            let s = Scope {
                                text: w.clone(),
                                span: Some(sm.span(tok.range.clone())),
                                resolved: resolve_scope(w, self.doc_scope.as_deref()),
                                inherited: false,
                            };
                            cs.scope = Some(s.clone());
                            self.para.scope = Some(s);
                            cursor = tok.range.end;
                        }
                        Marker::Target(w)
                            if w == "目标" && self.retro_target(text, tok, cs.stmt) =>
                        {
                            // `…450个充电桩的年度建设目标`: 目标 names the figure before it.
                            if let Some(i) = cs.stmt {
                                self.arena[i].target = Some(Target {
                                    word: w.clone(),
                                    span: sm.span(tok.range.clone()),
                                    from_heading: false,
                                });
                            }
                        }
                        Marker::Target(w) if !self.is_target_word(text, tok, w) => {}
                        Marker::Target(w) if w == "争取" && !strong_after(text, tok.range.end) => {
                            // 争取省级专项资金3180万元: funds obtained, not a target.
                            cursor = tok.range.end;
                        }
                        Marker::Target(w)
                            if ["预计", "计划", "拟", "有望", "预期"].contains(&w.as_str()) =>
                        {
                            // A forecast reaches the end of its clause only.
                            cs.clause_target = Some(Target {
                                word: w.clone(),
                                span: sm.span(tok.range.clone()),
                                from_heading: false,
                            });
                            cursor = tok.range.end;
                        }
                        Marker::Target(w) => {
                            if !(w == "目标" && value_seen) {
                                *target = Some(Target {
                                    word: w.clone(),
                                    span: sm.span(tok.range.clone()),
                                    from_heading: false,
                                });
                                cursor = tok.range.end;
                            }
                        }
                        Marker::Qizhong => {
                            self.close_qizhong();
                            let before = &text[sentence.range.start..tok.range.start];
                            let opens = before.matches(['(', '（']).count();
                            let closes = before.matches([')', '）']).count();
                            let close_paren = (opens > closes)
                                .then(|| {
                                    text[tok.range.end..sentence.range.end]
                                        .find([')', '）'])
                                        .map(|i| tok.range.end + i)
                                })
                                .flatten();
                            let starts_sentence = before
                                .trim_matches(|c: char| c.is_whitespace() || "，,：:".contains(c))
                                .is_empty();
                            let parent_lo = if starts_sentence {
                                self.para.prev_sentence_first
                            } else {
                                self.para.sentence_first
                            };
                            self.para.qz = Some(Qizhong {
                                marker: sm.span(tok.range.clone()),
                                parent_lo,
                                close_paren,
                                first: self.arena.len(),
                                sentence_first: self.arena.len(),
                                other_seen: false,
                                open: false,
                            });
                            cursor = tok.range.end;
                            pieces.clear();
                        }
                        Marker::Total(w) => {
                            // 共/累计 stay in the text: `储备转建设累计转化率` is one name.
                            cs.total_word = Some(w.clone());
                        }
                        Marker::Etc => {
                            cs.etc_before = true;
                            cursor = tok.range.end;
                        }
                        Marker::Basis(_) | Marker::Respectively | Marker::All => {
                            cursor = tok.range.end;
                        }
                        Marker::Other | Marker::Scope(_) => {}
                    }
                    continue;
                }
                _ => {}
            }
            // Value-bearing tokens.
            let consumed_end = self.value_token(
                sm, text, sentence, &clause, tok, &pieces, &mut cs, target, toks,
            );
            match consumed_end {
                Some(end) => {
                    used.push(tok.range.start..end.max(tok.range.end));
                    cursor = end.max(tok.range.end);
                    // A class waiting for its count keeps the text before it, which
                    // is part of the name (`新开工亿元以上项目60个`).
                    if !(matches!(tok.kind, TokenKind::Class(_)) && cs.class.is_some()) {
                        pieces.clear();
                    }
                }
                None => {
                    // Not a figure after all: the token stays part of the text.
                }
            }
        }
        // Remember text-only clauses as context for a bare rank.
        if self.arena.len() == stmts_before {
            if cursor < clause.end {
                pieces.push(cursor..clause.end);
            }
            if let Some(p) = pieces
                .iter()
                .rev()
                .find(|p| !text[(*p).clone()].trim().is_empty())
            {
                self.para.last_text = Some(p.clone());
            }
        } else {
            self.para.last_text = None;
        }
    }

    /// Handles a token that carries a figure. Returns the end of what it consumed
    /// (past the noun after a count), or `None` when the token is not a figure.
    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    fn value_token(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        clause: &Range<usize>,
        tok: &Token,
        pieces: &[Range<usize>],
        cs: &mut ClauseState,
        target: &Option<Target>,
        toks: &[&Token],
    ) -> Option<usize> {
        let next_tok_start = toks
            .iter()
            .filter(|t| t.range.start >= tok.range.end && is_real(t))
            .map(|t| t.range.start)
            .min()
            .unwrap_or(clause.end);
        match &tok.kind {
            TokenKind::Quantity(q) => {
                if !self.is_figure(q, text, tok, pieces) {
                    return None;
                }
                // A class after a count: `17个亿元以上重大增长点`.
                let (after, after_end) = self.after_noun(text, tok.range.end, next_tok_start);
                let countish = matches!(q.unit_kind, UnitKind::Count | UnitKind::Physical)
                    || q.unit_kind == UnitKind::None && q.magnitude.is_some();
                let mut before = self.indicator_from(text, pieces);
                // `新开工亿元以上项目60个`: the class sits inside the name.
                if let (Some(c), Some((t, r)), [.., prev, _]) = (&cs.class, &before, pieces) {
                    let class_end = span_end_in(text, prev.end, &c.text);
                    if prev.end <= r.start && class_end >= r.start.saturating_sub(3) {
                        if let Some((pt, pr)) =
                            self.indicator_from(text, std::slice::from_ref(prev))
                        {
                            before = Some((format!("{pt}{t}"), pr.start..r.end));
                        }
                    }
                }
                let before_is_verb = before
                    .as_ref()
                    .is_some_and(|(t, _)| VERB_ENDINGS.iter().any(|v| t.ends_with(v)))
                    || pieces.last().is_some_and(|p| {
                        let t = text[p.clone()].trim_end();
                        VERB_ENDINGS.iter().any(|v| t.ends_with(v))
                    });
                let use_after = after.is_some()
                    && (countish && !q.chinese || before.is_none() || before_is_verb)
                    && !matches!(q.unit_kind, UnitKind::Percent | UnitKind::Point);
                let (ind, end) = if use_after {
                    (after, after_end)
                } else {
                    (before, tok.range.end)
                };
                let id = self.new_value_statement(sm, text, tok.range.clone(), ind, cs, target);
                self.arena[id].value = Some(q.clone());
                if let Some(c) = cs.class.take() {
                    self.ranges[id].start = self.ranges[id].start.min(span_norm(sm, text, &c.span));
                    self.arena[id].class = Some(c);
                }
                if cs.etc_before {
                    self.enumeration_from_list(sm, text, sentence, tok, q);
                    cs.etc_before = false;
                }
                self.ranges[id].end = self.ranges[id].end.max(end);
                Some(end)
            }
            TokenKind::Range(a, b) => {
                if !self.is_figure(b, text, tok, pieces) {
                    return None;
                }
                let before = self.indicator_from(text, pieces);
                let id = self.new_value_statement(sm, text, tok.range.clone(), before, cs, target);
                self.arena[id].value = Some(a.clone());
                self.arena[id].value_to = Some(b.clone());
                Some(tok.range.end)
            }
            TokenKind::Ratio(terms) => {
                let before = self.indicator_from(text, pieces);
                let id = self.new_value_statement(sm, text, tok.range.clone(), before, cs, target);
                self.arena[id].ratio = terms.clone();
                Some(tok.range.end)
            }
            TokenKind::PartWhole {
                whole,
                part,
                whole_end,
                part_end,
            } => {
                let (after, after_end) = self.after_noun(text, *part_end, next_tok_start);
                let among = {
                    let wend = *whole_end;
                    let zhong = text[wend..tok.range.end].find('中').map(|i| wend + i);
                    zhong.and_then(|z| {
                        let r = trim_punct(text, wend..z);
                        (!r.is_empty()).then(|| (text[r.clone()].to_owned(), r))
                    })
                };
                let ind = after
                    .or(among)
                    .or_else(|| self.indicator_from(text, pieces));
                let id = self.new_value_statement(sm, text, tok.range.clone(), ind, cs, target);
                self.arena[id].value = Some(part.clone());
                self.arena[id].whole = Some(whole.clone());
                self.ranges[id].end = self.ranges[id].end.max(after_end);
                Some(after_end.max(tok.range.end))
            }
            TokenKind::Class(c) => {
                // After a count (`17个亿元以上…`): the class belongs to that count and the
                // noun after the class names it.
                if let Some(i) = cs.stmt {
                    if self.ranges[i].end == tok.range.start
                        && self.arena[i]
                            .value
                            .as_ref()
                            .is_some_and(|v| v.unit_kind == UnitKind::Count)
                    {
                        let (after, after_end) =
                            self.after_noun(text, tok.range.end, next_tok_start);
                        self.arena[i].class = Some(c.clone());
                        if let Some((t, r)) = after {
                            self.set_indicator(sm, i, &t, r, false);
                        }
                        self.ranges[i].end = after_end.max(tok.range.end);
                        return Some(after_end.max(tok.range.end));
                    }
                }
                cs.class = Some(c.clone());
                Some(tok.range.end)
            }
            TokenKind::Change(ct) if ct.change.of_rate.is_some() && ct.change.amount.is_some() => {
                // 降幅收窄1.9个百分点: a change of the rate, compared with a basis.
                let c = &ct.change;
                let amount = c.amount.clone()?;
                let cmp = Comparison {
                    text: c.text.clone(),
                    span: c.span,
                    reference: c.basis.clone().unwrap_or_default(),
                    reference_value: None,
                    verb: c.verb.clone(),
                    direction: c.direction,
                    amount,
                    of_rate: c.of_rate.clone(),
                };
                let id =
                    self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |_| true);
                self.arena[id].comparisons.push(cmp);
                Some(tok.range.end)
            }
            TokenKind::Change(ct) | TokenKind::RateLevel(ct)
                if ct
                    .change
                    .amount
                    .as_ref()
                    .is_some_and(|a| a.unit_kind == UnitKind::Time) =>
            {
                // 延长30年: a duration, not the change of an indicator.
                None
            }
            TokenKind::Change(ct) | TokenKind::RateLevel(ct) => {
                let id = self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |s| {
                    s.change.is_none()
                });
                self.arena[id].change = Some(ct.change.clone());
                Some(tok.range.end)
            }
            TokenKind::AllChange(ct) => {
                self.all_change(sm, text, sentence, tok, ct, pieces, cs, target);
                Some(tok.range.end)
            }
            TokenKind::Comparison(cmps) => {
                let id =
                    self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |_| true);
                self.arena[id].comparisons.extend(cmps.iter().cloned());
                Some(tok.range.end)
            }
            TokenKind::Contribution(c) => {
                let id =
                    self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |_| true);
                self.arena[id].contributions.push(c.clone());
                Some(tok.range.end)
            }
            TokenKind::Rank(r) => {
                // `两项指标均位列全省第一`: the rank of the statements just named.
                if let Some((t, _)) = self.indicator_from(text, pieces) {
                    if t.ends_with("指标") && t.chars().count() <= 4 {
                        let n = cs.enum_count.unwrap_or(1) as usize;
                        let lo = self.para.first_stmt.max(self.arena.len().saturating_sub(n));
                        if lo < self.arena.len() {
                            for i in lo..self.arena.len() {
                                self.arena[i].ranks.push(r.clone());
                            }
                            return Some(tok.range.end);
                        }
                    }
                }
                let scope = r.scope.clone();
                let id = self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |s| {
                    !s.ranks.iter().any(|x| x.scope == scope)
                });
                self.arena[id].ranks.push(r.clone());
                Some(tok.range.end)
            }
            TokenKind::Movement(m) => {
                let id =
                    self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |_| true);
                match self.arena[id].ranks.last_mut() {
                    Some(r) if r.movement.is_none() => r.movement = Some(*m),
                    _ => self.arena[id].ranks.push(Rank {
                        text: sm.text(tok.range.clone()),
                        span: sm.span(tok.range.clone()),
                        scope: None,
                        position: None,
                        top: None,
                        pool: None,
                        chinese: false,
                        movement: Some(*m),
                        from_position: None,
                    }),
                }
                Some(tok.range.end)
            }
            TokenKind::Share(s) => {
                let has_of = s.of.is_some();
                let id =
                    self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |st| {
                        st.share.is_none() && (has_of || st.value.is_some() || st.whole.is_some())
                    });
                self.arena[id].share = Some(s.clone());
                Some(tok.range.end)
            }
            TokenKind::Respectively(rt) => {
                self.respectively(sm, text, sentence, tok, rt, pieces, cs, target);
                Some(tok.range.end)
            }
            TokenKind::Enum(count, noun) => {
                self.enumeration(sm, text, sentence, tok, *count, noun);
                cs.enum_count = Some(*count);
                Some(tok.range.end)
            }
            _ => None,
        }
    }

    /// Whether a quantity is a figure at all (not a bare number inside a name, not a
    /// duration, not a class name like `百亿园区`).
    fn is_figure(&self, q: &Quantity, text: &str, tok: &Token, pieces: &[Range<usize>]) -> bool {
        let next = text[tok.range.end..].chars().next();
        // `入选全省50个特色旅游目的地`: the size of a list joined, not a figure.
        if let Some(p) = pieces.last() {
            let g = &text[p.clone()];
            if ["湖北", "全省", "全国", "中国", "全市"]
                .iter()
                .any(|w| g.ends_with(w))
                && ["成为", "入选", "跻身", "列入"]
                    .iter()
                    .any(|w| g.contains(w))
            {
                return false;
            }
        }
        match q.unit_kind {
            UnitKind::None => {
                if q.magnitude.is_none() {
                    return false;
                }
                // 百亿园区: a Chinese magnitude naming a class.
                if q.chinese && next.is_some_and(is_han) {
                    return false;
                }
                true
            }
            UnitKind::Time => {
                // A duration is a figure only when it is the value of an indicator.
                let prev: String = pieces
                    .last()
                    .map(|r| text[r.clone()].to_owned())
                    .unwrap_or_default();
                let copula = [
                    "为",
                    "达",
                    "达到",
                    "缩短至",
                    "缩短到",
                    "缩短",
                    "减少",
                    "延长",
                ]
                .iter()
                .any(|w| prev.ends_with(w));
                let named = ["天数", "期", "时间", "时长", "周期", "年限", "工期"]
                    .iter()
                    .any(|w| prev.trim_end_matches(['为', '达']).ends_with(w));
                (copula || named) && !matches!(next, Some('内' | '后' | '前' | '来'))
            }
            // 三个, 两项 are enumerations; 两百家 is a figure; 百名干部, 千名引硕 and
            // 百万头 are round words, not counts.
            UnitKind::Count | UnitKind::Physical if q.chinese => {
                q.value >= rust_decimal::Decimal::from(20)
                    && q.written
                        .chars()
                        .any(|c| "一二两三四五六七八九".contains(c))
            }
            _ => true,
        }
    }

    /// The indicator named by the gap pieces before a figure.
    fn indicator_from(
        &self,
        text: &str,
        pieces: &[Range<usize>],
    ) -> Option<(String, Range<usize>)> {
        for p in pieces.iter().rev() {
            let s = &text[p.clone()];
            let mut r = clean(s);
            if r.is_empty() {
                continue;
            }
            let inner = &s[r.clone()];
            let cut = if inner.chars().count() > 8 {
                after_boundary(inner)
            } else {
                0
            };
            if cut > 0 {
                let tail = clean(&inner[cut..]);
                if !tail.is_empty() {
                    r = r.start + cut + tail.start..r.start + cut + tail.end;
                } else {
                    return None;
                }
            }
            let abs = p.start + r.start..p.start + r.end;
            let t = &text[abs.clone()];
            if BARE_VERBS.contains(&t) || is_streak_adverb(t) {
                return None;
            }
            return Some((t.to_owned(), abs));
        }
        None
    }

    /// The noun right after a count (`155个工业项目开工建设` → `工业项目开工建设`).
    fn after_noun(
        &self,
        text: &str,
        from: usize,
        limit: usize,
    ) -> (Option<(String, Range<usize>)>, usize) {
        let rest = &text[from..limit.max(from)];
        let first = rest.chars().next();
        let bad_start =
            |c: char| "的了以之中均将已为是在左上下余多共同比较至到与和及或并且也都等".contains(c);
        match first {
            Some(c)
                if (is_han(c) || c == '“' || c == '(' || c.is_ascii_alphanumeric())
                    && !bad_start(c) => {}
            _ => return (None, from),
        }
        let stops = [
            "与", "向", "对", "在", "进行", "开展", "的", "和", "及", "等", "已", "均", "共", "将",
            "为", "是", "捐赠", "发送", "签订", "申报", "获得", "获评", "参加", "参与", "办理",
            "使用", "提供", "发放", "兑现", "落实", "撬动", "纳入", "通过", "结对", "帮扶", "达成",
            "形成", "总计", "合计", "累计", "春节", "期间",
        ];
        // The first characters of `stops`: the words are compared only where one begins.
        let stop_first = |c: char| {
            "与向对在进开的和及等已均共将为是捐发签申获参办使提兑落撬纳通结帮达形总合累春期"
                .contains(c)
        };
        let mut end = 0;
        let mut n = 0;
        for (i, c) in rest.char_indices() {
            if i > 0 && stop_first(c) && stops.iter().any(|w| rest[i..].starts_with(w)) {
                break;
            }
            if !(is_han(c) || c.is_ascii_alphanumeric() || "“”()《》".contains(c)) {
                break;
            }
            n += 1;
            end = i + c.len_utf8();
            if n >= 16 {
                break;
            }
        }
        if end == 0 {
            return (None, from);
        }
        // `30家有融资需求的企业`: a short relative clause and the noun it describes.
        if n <= 6 && rest[end..].starts_with('的') {
            let tail = &rest[end + '的'.len_utf8()..];
            let noun: usize = tail
                .char_indices()
                .take_while(|(i, c)| {
                    is_han(*c)
                        && !(stop_first(*c) && stops.iter().any(|w| tail[*i..].starts_with(w)))
                })
                .take(6)
                .map(|(_, c)| c.len_utf8())
                .sum();
            let beyond: String = text[from + end + '的'.len_utf8()..]
                .chars()
                .take(10)
                .collect();
            let names_goal = ["目标", "任务", "计划"].iter().any(|w| beyond.contains(w));
            if noun > 0 && !names_goal {
                end += '的'.len_utf8() + noun;
            }
        }
        let r = from..from + end;
        (Some((text[r.clone()].to_owned(), r.clone())), r.end)
    }

    fn make_indicator(
        &self,
        sm: &SpanMaker<'_>,
        t: &str,
        r: Range<usize>,
        inherited: bool,
    ) -> Indicator {
        let mut written = t.to_owned();
        let mut aspect = None;
        for a in ["新增", "累计"] {
            if let Some(rest) = written.strip_prefix(a).or_else(|| written.strip_suffix(a)) {
                if !rest.is_empty() {
                    aspect = Some(a.to_owned());
                    written = rest.to_owned();
                }
            }
        }
        // `高新技术企业总数`, `高企总量`: the stock of what the name counts.
        for a in ["总数", "总量"] {
            if let Some(rest) = written.strip_suffix(a) {
                if rest.chars().count() >= 2 && aspect.is_none() {
                    aspect = Some("总数".to_owned());
                    written = rest.to_owned();
                }
            }
        }
        Indicator {
            text: t.to_owned(),
            span: (!r.is_empty()).then(|| sm.span(r)),
            canonical: self.table.canonical(&written),
            aspect,
            inherited,
        }
    }

    fn set_indicator(
        &mut self,
        sm: &SpanMaker<'_>,
        id: usize,
        t: &str,
        r: Range<usize>,
        inherited: bool,
    ) {
        let ind = self.make_indicator(sm, t, r.clone(), inherited);
        self.ranges[id].start = self.ranges[id].start.min(r.start);
        self.arena[id].indicator = Some(ind);
    }

    fn blank(&self) -> Statement {
        Statement {
            id: 0,
            span: Span::default(),
            text: String::new(),
            scope: None,
            indicator: None,
            period: None,
            value: None,
            value_to: None,
            ratio: Vec::new(),
            change: None,
            comparisons: Vec::new(),
            ranks: Vec::new(),
            share: None,
            contributions: Vec::new(),
            whole: None,
            class: None,
            target: None,
            breakdown: None,
            items: Vec::new(),
            parts: Vec::new(),
        }
    }

    fn push(&mut self, s: Statement, range: Range<usize>) -> usize {
        self.para.last_text = None;
        self.arena.push(Box::new(s));
        self.ranges.push(range);
        self.parent.push(None);
        self.other_part.push(false);
        self.arena.len() - 1
    }

    /// The last statement of the paragraph, if any.
    fn last_in_para(&self) -> Option<usize> {
        (self.arena.len() > self.para.first_stmt).then(|| self.arena.len() - 1)
    }

    /// Creates a statement in the current clause's context.
    fn new_statement(
        &mut self,
        sm: &SpanMaker<'_>,
        range: Range<usize>,
        cs: &mut ClauseState,
        target: &Option<Target>,
    ) -> usize {
        let mut s = self.blank();
        s.scope = cs
            .scope
            .clone()
            .or_else(|| {
                self.para.scope.clone().map(|mut p| {
                    p.inherited = true;
                    p
                })
            })
            .or_else(|| {
                self.doc_scope.as_ref().map(|d| Scope {
                    text: d.clone(),
                    span: None,
                    resolved: Some(d.clone()),
                    inherited: true,
                })
            });
        let own_period = cs.local_period.take().or_else(|| cs.period.clone());
        let explicit = own_period.is_some();
        s.period = own_period
            .or_else(|| self.para.sentence_period.clone())
            .or_else(|| {
                self.para.period.clone().map(|mut p| {
                    // A period written earlier in the same sentence is this statement's
                    // own (`2025年，全市…`); one from an earlier sentence is carried.
                    p.inherited = !self.para.period_in_sentence;
                    p
                })
            });
        s.target = cs.clause_target.clone().or_else(|| target.clone());
        // A plan taken from the context does not cover a period already over
        // (`下一步…` then `自去年11月…已兑现…`).
        if s.target.as_ref().is_some_and(|t| t.from_heading) {
            let _ = explicit;
            let over = s
                .period
                .as_ref()
                .is_some_and(|p| p.end.zip(self.doc_date).is_some_and(|(end, d)| end < d));
            if over {
                s.target = None;
            }
        }
        let _ = sm;
        let id = self.push(s, range);
        self.other_part[id] = std::mem::take(&mut cs.other_next);
        cs.stmt = Some(id);
        id
    }

    /// A new statement for a level figure with the given indicator (or one taken from
    /// the statement before when the clause names none).
    fn new_value_statement(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        range: Range<usize>,
        ind: Option<(String, Range<usize>)>,
        cs: &mut ClauseState,
        target: &Option<Target>,
    ) -> usize {
        let prev = cs.stmt.or_else(|| self.last_in_para());
        // The text before, read before the new statement clears it; needed only when
        // the figure has no name of its own.
        let context = if ind.is_none() {
            self.context_text(text)
        } else {
            None
        };
        let id = self.new_statement(sm, range, cs, target);
        match ind {
            Some((t, r)) if AGGREGATES.iter().any(|a| t.starts_with(a)) => {
                // 总数达到55家: the total of what the statement before counted.
                let mut indicator = self.make_indicator(sm, &t, r.clone(), false);
                if let Some(p) = prev.and_then(|p| self.arena[p].indicator.clone()) {
                    indicator.canonical = p.canonical;
                    indicator.aspect = Some(t.clone());
                }
                self.ranges[id].start = self.ranges[id].start.min(r.start);
                self.arena[id].indicator = Some(indicator);
            }
            Some((t, r)) => self.set_indicator(sm, id, &t, r, false),
            None => {
                if let Some((t, r)) = context {
                    // `推动园区企业产业关联度，力争达到85%以上`: the clause before names it.
                    self.set_indicator(sm, id, &t, r, false);
                } else if let Some(p) = prev.and_then(|p| self.arena[p].indicator.clone()) {
                    let mut p = p;
                    p.inherited = true;
                    p.span = None;
                    self.arena[id].indicator = Some(p);
                }
            }
        }
        if let Some(w) = cs.total_word.take() {
            if self.arena[id].indicator.is_some() && !["累计"].contains(&w.as_str()) {
                // 共/合计 mark a total; kept as the aspect unless another is set.
                if let Some(ind) = &mut self.arena[id].indicator {
                    ind.aspect.get_or_insert(w);
                }
            }
        }
        let _ = text;
        id
    }

    /// Attaches a change, rank, share … to the statement it completes, or starts a
    /// new statement when the clause names an indicator of its own.
    #[allow(clippy::too_many_arguments)]
    fn attach_or_new(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        range: Range<usize>,
        pieces: &[Range<usize>],
        cs: &mut ClauseState,
        target: &Option<Target>,
        accepts: impl Fn(&Statement) -> bool,
    ) -> usize {
        let ind = self.indicator_from(text, pieces);
        let context = self.context_text(text);
        if ind.is_none() {
            let candidate = cs.stmt.or_else(|| self.last_in_para());
            if let Some(c) = candidate {
                // A period named since the candidate was read starts a new statement.
                let period_conflict = cs.stmt != Some(c)
                    && self.para.period.as_ref().is_some_and(|p| {
                        self.arena[c]
                            .period
                            .as_ref()
                            .is_none_or(|q| q.span != p.span)
                    });
                if accepts(&self.arena[c]) && !period_conflict {
                    self.ranges[c].end = self.ranges[c].end.max(range.end);
                    cs.stmt = Some(c);
                    return c;
                }
                // A new figure for the same indicator (another period or basis), or for
                // what a text-only clause since then named.
                let inherited = self.arena[c].indicator.clone();
                let id = self.new_statement(sm, range, cs, target);
                if let Some((t, r)) = context {
                    self.set_indicator(sm, id, &t, r, false);
                } else if let Some(mut i) = inherited {
                    i.inherited = true;
                    i.span = None;
                    self.arena[id].indicator = Some(i);
                }
                return id;
            }
            let id = self.new_statement(sm, range, cs, target);
            if let Some((t, r)) = context {
                self.set_indicator(sm, id, &t, r, false);
            }
            return id;
        }
        let (t, r) = ind.unwrap_or_default();
        let id = self.new_statement(sm, range, cs, target);
        self.set_indicator(sm, id, &t, r, false);
        id
    }

    /// `A、B、C分别增长…`: a parent statement with one part per value.
    #[allow(clippy::too_many_arguments)]
    fn respectively(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        tok: &Token,
        rt: &RespTok,
        pieces: &[Range<usize>],
        cs: &mut ClauseState,
        target: &Option<Target>,
    ) {
        let list = find_list_before(text, sentence.range.start, tok.range.start);
        let (mut items, shared, open) = match &list {
            Some(l) => (l.items.clone(), l.shared.clone(), l.open),
            None => (Vec::new(), None, false),
        };
        // `A、B、C和D分别…`: when one value is left over, the last item holds two.
        if items.len() >= 2 && items.len() + 1 == rt.values.len() {
            if let Some((t, r)) = items.last().cloned() {
                if let Some(k) = t
                    .find('和')
                    .or_else(|| t.find('及').filter(|&k| !t[..k].ends_with('普')))
                {
                    let (x, y) = (&t[..k], &t[k + '和'.len_utf8()..]);
                    if !x.is_empty() && !y.is_empty() {
                        let n = items.len();
                        items[n - 1] = (x.to_owned(), r.start..r.start + k);
                        items.push((y.to_owned(), r.start + k + '和'.len_utf8()..r.end));
                    }
                }
            }
        }
        let verb = rt.verb.clone().unwrap_or_default();
        let is_change = !verb.is_empty()
            && !["为", "是", "有", "占", "拉动", "高", "低"].contains(&verb.as_str());
        // The parent: the shared indicator, or the statement this clause continues.
        let parent = if let Some((t, r)) = shared.clone() {
            let id = self.new_statement(sm, tok.range.clone(), cs, target);
            self.set_indicator(sm, id, &t, r, false);
            id
        } else if list.is_some() {
            let id = self.new_statement(sm, tok.range.clone(), cs, target);
            if let Some((t, r)) = self.indicator_from(text, pieces) {
                if !items.iter().any(|i| t.contains(&i.0)) {
                    self.set_indicator(sm, id, &t, r, false);
                }
            }
            id
        } else {
            // No list named: a new statement for the values, about what the clause names
            // (or the statement before names).
            let id = self.new_statement(sm, tok.range.clone(), cs, target);
            match self.indicator_from(text, pieces) {
                Some((t, r)) => self.set_indicator(sm, id, &t, r, false),
                None => {
                    let prev = (self.para.first_stmt..id)
                        .next_back()
                        .and_then(|p| self.arena[p].indicator.clone());
                    if let Some(mut i) = prev {
                        i.inherited = true;
                        i.span = None;
                        self.arena[id].indicator = Some(i);
                    }
                }
            }
            id
        };
        if let Some(l) = &list {
            self.ranges[parent].start = self.ranges[parent].start.min(l.start);
        }
        self.ranges[parent].end = self.ranges[parent].end.max(tok.range.end);
        // 共…分别 and 合计…分别 announce a complete list; 累计 only says cumulative.
        let closed = cs.total_word.take().is_some_and(|w| w != "累计");
        self.arena[parent].breakdown = Some(Breakdown {
            kind: BreakdownKind::Respectively,
            marker: sm.span(tok.range.start..tok.range.start + "分别".len()),
            closed,
            open,
            items: items.len(),
        });
        self.arena[parent].items = items
            .iter()
            .map(|(t, r)| Item {
                text: t.clone(),
                span: sm.span(r.clone()),
            })
            .collect();
        if is_change {
            self.arena[parent].change = Some(Change {
                text: sm.text(tok.range.clone()),
                span: sm.span(tok.range.clone()),
                basis: rt.basis.clone(),
                verb: verb.clone(),
                direction: super::build::direction(&verb),
                amount: None,
                of_rate: None,
                to_level: rt.to_level,
            });
        }
        let parent_period = self.arena[parent].period.clone();
        let parent_scope = self.arena[parent].scope.clone();
        let parent_target = self.arena[parent].target.clone();
        for (k, v) in rt.values.iter().enumerate() {
            let mut s = self.blank();
            s.period = parent_period.clone();
            s.scope = parent_scope.clone();
            s.target = parent_target.clone();
            let vr = rt
                .ranges
                .get(k)
                .cloned()
                .unwrap_or_else(|| tok.range.clone());
            let mut range = vr.clone();
            if let Some((t, r)) = items.get(k) {
                s.indicator = Some(self.make_indicator(sm, t, r.clone(), false));
                range = r.start..vr.end;
            }
            match verb.as_str() {
                "占" => {
                    s.share = Some(Share {
                        text: v.text.clone(),
                        span: v.span,
                        of: None,
                        kind: ShareKind::Composition,
                        percent: v.clone(),
                    });
                }
                _ if is_change => {
                    s.change = Some(Change {
                        text: v.text.clone(),
                        span: v.span,
                        basis: rt.basis.clone(),
                        verb: verb.clone(),
                        direction: super::build::direction(&verb),
                        amount: Some(v.clone()),
                        of_rate: None,
                        to_level: rt.to_level,
                    });
                }
                _ => s.value = Some(v.clone()),
            }
            let id = self.push(s, range);
            self.parent[id] = Some(parent);
        }
        cs.stmt = Some(parent);
    }

    /// `A、B均大幅增长`: one qualitative statement for every item.
    #[allow(clippy::too_many_arguments)]
    fn all_change(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        tok: &Token,
        ct: &ChangeTok,
        pieces: &[Range<usize>],
        cs: &mut ClauseState,
        target: &Option<Target>,
    ) {
        let list = find_list_before(text, sentence.range.start, tok.range.start);
        let id = if let Some(l) = &list {
            let id = self.new_statement(sm, l.start..tok.range.end, cs, target);
            if let Some((t, r)) = &l.shared {
                self.set_indicator(sm, id, t, r.clone(), false);
            }
            self.arena[id].items = l
                .items
                .iter()
                .map(|(t, r)| Item {
                    text: t.clone(),
                    span: sm.span(r.clone()),
                })
                .collect();
            self.arena[id].breakdown = Some(Breakdown {
                kind: BreakdownKind::All,
                marker: sm.span(tok.range.clone()),
                closed: false,
                open: l.open,
                items: l.items.len(),
            });
            id
        } else {
            self.attach_or_new(sm, text, tok.range.clone(), pieces, cs, target, |s| {
                s.change.is_none()
            })
        };
        let mut change = ct.change.clone();
        change.amount = None;
        self.arena[id].change = Some(change);
    }

    /// An enumeration count (`三大园区：…`, `…等五大园区`, `“…”的“六个一”`).
    fn enumeration(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        tok: &Token,
        count: u32,
        noun: &str,
    ) {
        let before = &text[sentence.range.start..tok.range.start];
        let after = &text[tok.range.end..sentence.range.end];
        let mut items = Vec::new();
        let mut open = false;
        let quote_before = before
            .trim_end_matches('“')
            .trim_end_matches('的')
            .trim_end_matches('”');
        if before.trim_end_matches('“').ends_with('等') {
            let end = tok.range.start - before.len() + before.trim_end_matches('“').len()
                - '等'.len_utf8();
            if let Some(l) = find_list_before(text, sentence.range.start, end) {
                items = l.items;
            }
            open = true;
        } else if quote_before.len() < before.len() && before.trim_end_matches('“').ends_with('”')
            || before.trim_end_matches('“').ends_with("”的")
        {
            // “A、B、C”的“三个一”
            let end = sentence.range.start + quote_before.len();
            if let Some(q) = text[sentence.range.start..end].rfind('“') {
                let start = sentence.range.start + q + '“'.len_utf8();
                items = split_items(text, start..end);
            }
        } else if let Some(colon) = after
            .find([':', '：'])
            .filter(|&i| after[..i].chars().count() <= 12 && !after[..i].contains(['，', ',']))
        {
            let start = tok.range.end + colon + 1;
            let end = text[start..sentence.range.end]
                .find(['。', '；', ';'])
                .map_or(sentence.range.end, |i| start + i);
            items = split_items(text, start..end);
            if let Some(last) = items.last() {
                if last.0.contains('等') {
                    open = true;
                }
            }
        } else if let Some(l) = find_list_before(text, sentence.range.start, tok.range.start) {
            // A list that runs straight into the count.
            if l.end == tok.range.start {
                items = l.items;
                open = l.open;
            }
        }
        let noun_after: String = text[tok.range.end..]
            .chars()
            .take_while(|c| is_han(*c))
            .take(8)
            .collect();
        self.enumerations.push(Enumeration {
            text: sm.text(tok.range.clone()),
            span: sm.span(tok.range.clone()),
            count,
            noun: format!("{noun}{noun_after}"),
            items: items
                .into_iter()
                .map(|(t, r)| Item {
                    text: t,
                    span: sm.span(r),
                })
                .collect(),
            open,
        });
    }

    /// `A、B等12家企业`: an Arabic count after a list ending in 等.
    fn enumeration_from_list(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        sentence: &Sentence,
        tok: &Token,
        q: &Quantity,
    ) {
        let before = &text[sentence.range.start..tok.range.start];
        let Some(deng) = before.rfind('等') else {
            return;
        };
        let end = sentence.range.start + deng;
        let Some(l) = find_list_before(text, sentence.range.start, end) else {
            return;
        };
        let Ok(count) = u32::try_from(q.value.trunc().mantissa()) else {
            return;
        };
        if l.items.len() < 2 || q.value.fract() != rust_decimal::Decimal::ZERO {
            return;
        }
        self.enumerations.push(Enumeration {
            text: sm.text(tok.range.clone()),
            span: sm.span(tok.range.clone()),
            count,
            noun: q.unit.clone().unwrap_or_default(),
            items: l
                .items
                .into_iter()
                .map(|(t, r)| Item {
                    text: t,
                    span: sm.span(r),
                })
                .collect(),
            open: true,
        });
    }

    fn record_unread(
        &mut self,
        sm: &SpanMaker<'_>,
        text: &str,
        clause: &Range<usize>,
        used: &[Range<usize>],
    ) {
        let bytes = text.as_bytes();
        let mut uncovered = false;
        let mut i = clause.start;
        while i < clause.end {
            let b = bytes[i];
            if crate::segment::is_ideograph_lead(b) {
                i += 3;
                continue;
            }
            if b.is_ascii_digit() && !used.iter().any(|u| u.start <= i && i < u.end) {
                uncovered = true;
                break;
            }
            i += 1;
        }
        if uncovered {
            let r = trim_punct(text, clause.clone());
            self.unread.push(sm.span(r));
        }
    }

    /// Decides whether statements of a new sentence continue an open `其中` list.
    fn check_qizhong_continuation(&mut self, sentence_first: usize) {
        let Some(qz) = self.para.qz.clone() else {
            return;
        };
        if qz.first >= sentence_first {
            return;
        }
        // The sentence after the one with 其中: continue only with plain items of the
        // same shape as the parts so far (`政策兑现类9条`).
        let prev_parts: Vec<usize> = (qz.first..sentence_first).collect();
        let new: Vec<usize> = (sentence_first..self.arena.len()).collect();
        if new.is_empty() {
            return;
        }
        let last_char = |i: usize| -> Option<char> {
            self.arena[i]
                .indicator
                .as_ref()
                .and_then(|x| x.text.chars().last())
        };
        let unit = |i: usize| self.arena[i].value.as_ref().and_then(|v| v.unit.clone());
        let shape_ok = prev_parts.last().is_some_and(|&p| {
            new.iter().all(|&n| {
                let s = &self.arena[n];
                s.change.is_none()
                    && s.share.is_none()
                    && s.ranks.is_empty()
                    && unit(n).is_some()
                    && unit(n) == unit(p)
                    && (last_char(n) == last_char(p) || self.other_part[n])
            })
        });
        if !shape_ok {
            self.para.qz = Some(Qizhong {
                sentence_first,
                ..qz
            });
            self.close_qizhong_at(sentence_first);
        }
    }

    fn close_qizhong(&mut self) {
        let end = self.arena.len();
        self.close_qizhong_at(end);
    }

    /// Resolves the open `其中` list: each statement after the marker (up to `end`)
    /// becomes a part of the most recent earlier statement of the same shape.
    fn close_qizhong_at(&mut self, end: usize) {
        let Some(qz) = self.para.qz.take() else {
            return;
        };
        let mut parents_used: Vec<usize> = Vec::new();
        let lo = qz.parent_lo.max(self.para.first_stmt).min(qz.first);
        let mut last_part_of: Vec<(usize, usize)> = Vec::new();
        for i in qz.first..end {
            if self.parent[i].is_some() {
                continue;
            }
            if qz.close_paren.is_some_and(|c| self.ranges[i].start > c) {
                break;
            }
            let part = &self.arena[i];
            let candidate = (lo..qz.first).rev().find(|&p| {
                if self.parent[p].is_some() {
                    return false;
                }
                let parent = &self.arena[p];
                match (&part.value, &parent.value, &part.change, &parent.change) {
                    (Some(a), Some(b), _, _) => {
                        a.unit_kind == b.unit_kind
                            && (a.unit_kind != UnitKind::Count || a.unit == b.unit)
                            && a.unit_kind != UnitKind::Percent
                    }
                    (None, _, Some(a), Some(b)) => {
                        let unit_ok = a.amount.as_ref().map(|x| x.unit_kind)
                            == b.amount.as_ref().map(|x| x.unit_kind);
                        let head = HEADS.iter().find(|h| parent.canonical().ends_with(*h));
                        let head_ok = head.is_none_or(|h| part.canonical().contains(h));
                        unit_ok && head_ok
                    }
                    _ => false,
                }
            });
            let Some(p) = candidate else { break };
            // A part with an aspect its total lacks (`新增…`) starts something new.
            let aspect = |x: &Statement| {
                x.indicator
                    .as_ref()
                    .and_then(|i| i.aspect.clone())
                    .filter(|a| a == "新增")
            };
            if aspect(part).is_some() && aspect(&self.arena[p]).is_none() {
                break;
            }
            // Parts after the first of a total name things of the same kind as the one
            // before (`融资类…要素保障类`, `采矿业增加值…制造业增加值`).
            if let Some(&(first, prev)) = last_part_of
                .iter()
                .find(|(q, _)| *q == p)
                .map(|(q, i)| (first_part_of(&self.parent, *q, qz.first), i))
                .as_ref()
            {
                let parent_name = self.arena[p].canonical();
                // `手机产量…其中智能手机产量`: a list of subtypes names its total in each part.
                let subtype =
                    !parent_name.is_empty() && self.arena[first].canonical().contains(parent_name);
                let ok = if subtype {
                    part.canonical().contains(parent_name)
                } else {
                    siblings(self.arena[*prev].canonical(), part.canonical())
                };
                if !ok {
                    break;
                }
            }
            self.parent[i] = Some(p);
            last_part_of.retain(|(q, _)| *q != p);
            last_part_of.push((p, i));
            if !parents_used.contains(&p) {
                parents_used.push(p);
            }
        }
        for p in parents_used {
            let closed = (qz.first..end).any(|i| self.parent[i] == Some(p) && self.other_part[i]);
            let start_of_parts = (qz.first..end).find(|&i| self.parent[i] == Some(p));
            if let Some(s) = start_of_parts {
                let e = (qz.first..end)
                    .filter(|&i| self.parent[i] == Some(p))
                    .map(|i| self.ranges[i].end)
                    .max()
                    .unwrap_or(self.ranges[s].end);
                let _ = e;
            }
            self.arena[p].breakdown = Some(Breakdown {
                kind: BreakdownKind::Qizhong,
                marker: qz.marker,
                closed,
                open: qz.open,
                items: 0,
            });
        }
        let _ = qz.other_seen;
    }

    /// Finishes the document: nests parts under their parents, fills spans and ids.
    pub fn finish(
        mut self,
        sm: &SpanMaker<'_>,
        text: &str,
    ) -> (Vec<Statement>, Vec<Enumeration>, Vec<Span>) {
        self.close_qizhong();
        let n = self.arena.len();
        for i in 0..n {
            let r = trim_punct(text, self.ranges[i].clone());
            let r = if r.is_empty() {
                self.ranges[i].clone()
            } else {
                r
            };
            self.arena[i].span = sm.span(r.clone());
            self.arena[i].text = sm.text(r);
            self.arena[i].id = i + 1;
        }
        // Statements stay boxed until they reach their place (a statement is large).
        let mut slots: Vec<Option<Box<Statement>>> = self.arena.into_iter().map(Some).collect();
        for i in (0..n).rev() {
            if let Some(p) = self.parent[i] {
                if let Some(s) = slots[i].take() {
                    if let Some(parent) = slots[p].as_mut() {
                        parent.parts.insert(0, *s);
                    }
                }
            }
        }
        // Sized up front: a flattened iterator would grow the vector by copying.
        let mut statements = Vec::with_capacity(slots.iter().flatten().count());
        statements.extend(slots.into_iter().flatten().map(|s| *s));
        (statements, self.enumerations, self.unread)
    }
}

/// Where a text that starts at `from` ends (for a class written between two pieces).
fn span_end_in(text: &str, from: usize, t: &str) -> usize {
    if text[from..].starts_with(t) {
        from + t.len()
    } else {
        from
    }
}

fn span_norm(_sm: &SpanMaker<'_>, _text: &str, _s: &Span) -> usize {
    usize::MAX
}

fn trim_punct(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let punct = |c: char| " ，,、；;：:。！？!?".contains(c);
    let lead: usize = s
        .chars()
        .take_while(|c| punct(*c))
        .map(char::len_utf8)
        .sum();
    let trail: usize = s
        .chars()
        .rev()
        .take_while(|c| punct(*c))
        .map(char::len_utf8)
        .sum();
    if lead + trail >= s.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

/// A list of items found before a `分别`/`均`/count.
#[derive(Debug, Clone)]
struct ListFound {
    items: Vec<(String, Range<usize>)>,
    shared: Option<(String, Range<usize>)>,
    open: bool,
    start: usize,
    end: usize,
}

/// Splits `range` of `text` at `、` outside brackets into trimmed items.
fn split_items(text: &str, range: Range<usize>) -> Vec<(String, Range<usize>)> {
    let s = &text[range.clone()];
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let push = |a: usize, b: usize, out: &mut Vec<(String, Range<usize>)>| {
        let r = trim_punct(text, range.start + a..range.start + b);
        let r = trim_quotes(text, r);
        if !r.is_empty() {
            out.push((text[r.clone()].to_owned(), r));
        }
    };
    for (i, c) in s.char_indices() {
        match c {
            '(' | '“' | '《' => depth += 1,
            ')' | '”' | '》' => depth -= 1,
            '、' | '，' | ',' if depth <= 0 => {
                push(start, i, &mut out);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    push(start, s.len(), &mut out);
    out
}

fn trim_quotes(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let a = s.len() - s.trim_start_matches(['“', '‘']).len();
    let b = s.len() - s.trim_end_matches(['”', '’']).len();
    if a + b >= s.len() {
        return r;
    }
    r.start + a..r.end - b
}

/// `hay.find(word)`, for the short texts (a clause, a list item) and words the list
/// search looks through: candidates are the places of the word's last byte, which
/// in Chinese text is far more selective than its lead byte. (The standard search
/// sets up a two-way searcher at every call, which here costs more than searching.)
fn find_word(hay: &str, word: &str) -> Option<usize> {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    let Some(&last) = w.last() else {
        return Some(0);
    };
    memchr::memchr_iter(last, h)
        .filter_map(|i| (i + 1).checked_sub(w.len()))
        .find(|&start| h[start..].starts_with(w))
}

/// `hay.rfind(word)`, the same way as [`find_word`].
fn rfind_word(hay: &str, word: &str) -> Option<usize> {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    let Some(&last) = w.last() else {
        return Some(hay.len());
    };
    memchr::memrchr_iter(last, h)
        .filter_map(|i| (i + 1).checked_sub(w.len()))
        .find(|&start| h[start..].starts_with(w))
}

const CHANGE_WORDS: &[&str] = &[
    "收窄", "增长", "下降", "提高", "回落", "扩大", "减少", "上升", "幅度", "增速", "均", "同比",
    "环比",
];

/// Finds the `、`-list that a `分别`/`均` at `end` refers to, searching back through the
/// sentence starting at `sentence_start`.
fn find_list_before(text: &str, sentence_start: usize, end: usize) -> Option<ListFound> {
    let region = &text[sentence_start..end];
    // Clause pieces of the region, last first.
    let mut bounds: Vec<usize> = vec![0];
    let mut depth = 0i32;
    for (i, c) in region.char_indices() {
        match c {
            '(' | '“' => depth += 1,
            ')' | '”' => depth -= 1,
            '，' | ',' | '；' | ';' | ':' | '：' if depth <= 0 => bounds.push(i + c.len_utf8()),
            _ => {}
        }
    }
    bounds.push(region.len());
    // The list is in the clause of the 分别 or in the one before it.
    let n = bounds.len();
    let bounds = &bounds[n.saturating_sub(3)..];
    for w in bounds.windows(2).rev() {
        let (a, mut b) = (w[0], w[1]);
        // A clause with its own 分别 lists its items before it
        // (`A、B增加值分别增长…，占…比重分别提高到…`).
        if let Some(k) = find_word(&region[a..b], "分别") {
            b = a + k;
        }
        let piece = &region[a..b];
        let has_list = piece.contains('、')
            || (b == region.len() && (piece.contains('和') || piece.contains('及')));
        if !has_list {
            continue;
        }
        let piece_range = sentence_start + a..sentence_start + b;
        let mut items = split_items(text, piece_range.clone());
        if items.len() < 2 && piece.contains('和') && !piece.contains('、') {
            let r = piece_range.clone();
            items = text[r.clone()]
                .split('和')
                .scan(r.start, |pos, t| {
                    let s = *pos;
                    *pos += t.len() + '和'.len_utf8();
                    Some((t.to_owned(), s..s + t.len()))
                })
                .map(|(_, r)| {
                    let rr = trim_punct(text, r);
                    (text[rr.clone()].to_owned(), rr)
                })
                .filter(|(t, _)| !t.is_empty())
                .collect();
        }
        if items.len() < 2 {
            continue;
        }
        // An item with 等 ends the list there.
        let mut open = false;
        if let Some(k) = items.iter().position(|(t, _)| t.contains('等')) {
            let (t, r) = items[k].clone();
            let cut = t.find('等').unwrap_or(t.len());
            items.truncate(k);
            if cut > 0 {
                items.push((t[..cut].to_owned(), r.start..r.start + cut));
            }
            open = true;
        }
        if items.len() < 2 {
            continue;
        }
        // Items are names, not figures: a list with digits in it is something else.
        if items
            .iter()
            .any(|(t, _)| t.bytes().any(|b| b.is_ascii_digit()))
        {
            return None;
        }
        // Leading context in the first item: keep what follows a scope or period.
        let mut shared = None;
        let mut shared_enum: Option<(String, Range<usize>)> = None;
        if !open {
            if let Some((t, r)) = items.last().cloned() {
                // Cut a trailing predicate (收窄幅度较大) off the last item.
                let mut t_end = t.len();
                for w in CHANGE_WORDS {
                    if let Some(i) = find_word(&t, w) {
                        if i > 0 {
                            t_end = t_end.min(i);
                        }
                    }
                }
                // `新材料三大主导产业产值`: an enumeration count ends the item.
                let enum_at = t.char_indices().find(|&(i, c)| {
                    "二两三四五六七八九十".contains(c)
                        && i > 0
                        && t[i + c.len_utf8()..].starts_with(['大', '个', '项', '类'])
                });
                if let Some((i, _)) = enum_at {
                    if i < t_end {
                        let sr = r.start + i..r.start + t_end;
                        shared_enum = Some((text[sr.clone()].to_owned(), sr));
                        t_end = i;
                    }
                }
                let t = t[..t_end].to_owned();
                let r = r.start..r.start + t_end;
                let others = items[..items.len() - 1]
                    .iter()
                    .map(|(x, _)| x.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut best: Option<usize> = None;
                for h in SHARED_HEADS {
                    if t.ends_with(h) && t.len() > h.len() {
                        let prefix_chars = t[..t.len() - h.len()].chars().count();
                        if prefix_chars <= others + 2 {
                            best = Some(best.map_or(h.len(), |b: usize| b.max(h.len())));
                        }
                    }
                }
                let last_len = items.len() - 1;
                match best {
                    Some(hl) if t.chars().count() > others + 1 => {
                        // Keep 产业 with the item when the shared head is 产业产值.
                        let split = t.len() - hl;
                        items[last_len] = (t[..split].to_owned(), r.start..r.start + split);
                        let sr = r.start + split..r.end;
                        shared = Some((text[sr.clone()].to_owned(), sr));
                    }
                    _ => items[last_len] = (t, r),
                }
                if shared.is_none() {
                    shared = shared_enum;
                }
            }
        }
        // A verb in front of the first item (`成功引进甲、乙`) is not part of it.
        if let Some((t, r)) = items.first().cloned() {
            let cut = [
                "引进", "推进", "推动", "支持", "培育", "包括", "涵盖", "实施", "以", "如", "对",
                "在", "将", "由", "是",
            ]
            .iter()
            .filter_map(|w| rfind_word(&t, w).map(|i| i + w.len()))
            .filter(|&i| i < t.len())
            .max();
            if let Some(i) = cut {
                items[0] = (t[i..].to_owned(), r.start + i..r.end);
            }
        }
        let start = items.first().map_or(piece_range.start, |x| x.1.start);
        let end_pos = items.last().map_or(piece_range.end, |x| x.1.end);
        return Some(ListFound {
            items,
            shared,
            open,
            start,
            end: if open {
                end_pos + '等'.len_utf8()
            } else {
                end_pos
            },
        });
    }
    None
}

/// Direction words used by checks (re-exported for convenience).
pub fn is_down(d: Direction) -> bool {
    d == Direction::Down
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_strips_connectives_and_copulas() {
        let s = "实现规模以上工业总产值";
        assert_eq!(&s[clean(s)], "规模以上工业总产值");
        let s = "总数达到";
        assert_eq!(&s[clean(s)], "总数");
        assert!(clean("的").is_empty());
    }

    #[test]
    fn lists_before_respectively() {
        let t = "甲、乙、丙产业产值分别增长";
        let end = t.find("分别").unwrap();
        let l = find_list_before(t, 0, end).unwrap();
        let items: Vec<_> = l.items.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(items, ["甲", "乙", "丙"]);
        assert_eq!(l.shared.map(|s| s.0).as_deref(), Some("产业产值"));
        let t = "示例一号、示例二号、示例三号等一批企业，今年产值将分别突破";
        let end = t.find("分别").unwrap();
        let l = find_list_before(t, 0, end).unwrap();
        assert_eq!(l.items.len(), 3);
        assert!(l.open);
    }
}
