//! Evaluation against hand-annotated gold facts (`tests/gold/*.tsv`).
//!
//! A *fact row* is one figure with what it is about:
//!
//! ```text
//! line  kind    figure      indicator           period  target
//! 23    value   921.7亿元    规模以上工业总产值    全年
//! 23    rank    全省4        工业增加值增速
//! 19    change  -16.8%      规上工业总产值        1-9月
//! ```
//!
//! Kinds: `value` (a level), `change` (signed: `-16.8%` for a fall; `转正`, `持平`,
//! `翻1番`), `compare` (a gap to a reference or a change of a rate, unsigned),
//! `rank` (`全省4`, `48` without scope, `前3`, `move+2`), `share` (`49.8%`), `pull`
//! (拉动), `ratio` (`10:52.6:37.4`), `whole` (the N of `N中有M`). `target` is `T` for
//! targets and plans.
//!
//! A gold row matches an extracted row on the same line with the same kind, figure
//! and target flag, whose indicator contains the gold indicator (after
//! canonicalisation, or as written) and whose period contains the gold period. Each
//! extracted row matches at most one gold row. Recall = matched gold / gold rows;
//! precision = matched extracted / extracted rows.

use crate::extract::{Direction, FileFacts, IndicatorTable, Quantity, Statement};

/// One figure and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRow {
    pub line: usize,
    pub kind: String,
    pub figure: String,
    pub indicator: String,
    pub period: String,
    pub target: bool,
}

impl FactRow {
    pub fn to_tsv(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            self.line,
            self.kind,
            self.figure,
            self.indicator,
            self.period,
            if self.target { "T" } else { "" }
        )
    }
}

fn fig(q: &Quantity) -> String {
    format!("{}{}", q.written, q.unit_text())
}

/// The fact rows of extracted statements.
pub fn facts(file: &FileFacts) -> Vec<FactRow> {
    let mut out = Vec::new();
    for s in &file.statements {
        push_statement(&mut out, s, None);
    }
    out
}

fn push_statement(out: &mut Vec<FactRow>, s: &Statement, parent: Option<&Statement>) {
    let mut indicator = s
        .indicator
        .as_ref()
        .map(|i| i.text.clone())
        .unwrap_or_default();
    if let Some(i) = &s.indicator {
        // `总数达到55家` counts what the statement before named.
        if !i.text.contains(&i.canonical) && i.aspect.is_some() {
            indicator = format!("{}|{}", i.text, i.canonical);
        }
    }
    if let Some(p) = parent {
        if let Some(pi) = &p.indicator {
            if !indicator.contains(&pi.text) {
                indicator.push_str(&pi.text);
            }
        }
    }
    let period = s
        .period
        .as_ref()
        .map(|p| p.text.clone())
        .unwrap_or_default();
    let target = s.target.is_some();
    let mut row = |line: usize, kind: &str, figure: String| {
        out.push(FactRow {
            line,
            kind: kind.to_owned(),
            figure,
            indicator: indicator.clone(),
            period: period.clone(),
            target,
        });
    };
    if let Some(v) = &s.value {
        row(v.span.line, "value", fig(v));
    }
    if let Some(v) = &s.value_to {
        row(v.span.line, "value", fig(v));
    }
    if !s.ratio.is_empty() {
        let t = s
            .ratio
            .iter()
            .map(|q| q.written.clone())
            .collect::<Vec<_>>()
            .join(":");
        row(s.ratio[0].span.line, "ratio", t);
    }
    if let Some(w) = &s.whole {
        row(w.span.line, "whole", fig(w));
    }
    if let Some(c) = &s.change {
        let f = match (&c.amount, c.direction) {
            (Some(a), Direction::Doubling) => format!("翻{}番", a.written),
            (Some(a), Direction::Down) => format!("-{}", fig(a).trim_start_matches('-')),
            (Some(a), _) => fig(a),
            (None, Direction::TurnPositive) => "转正".into(),
            (None, Direction::Flat) => "持平".into(),
            (None, _) => String::new(),
        };
        if !f.is_empty() {
            row(c.span.line, "change", f);
        }
    }
    for c in &s.comparisons {
        row(c.amount.span.line, "compare", fig(&c.amount));
    }
    for r in &s.ranks {
        let f = match (r.position, r.top, r.movement) {
            (Some(p), _, _) => format!("{}{}", r.scope.clone().unwrap_or_default(), p),
            (None, Some(t), _) => format!("{}前{}", r.scope.clone().unwrap_or_default(), t),
            (None, None, Some(m)) => format!("move{m:+}"),
            _ => continue,
        };
        row(r.span.line, "rank", f);
        if let (Some(_), Some(m)) = (r.position, r.movement) {
            row(r.span.line, "rank", format!("move{m:+}"));
        }
    }
    if let Some(sh) = &s.share {
        row(sh.percent.span.line, "share", fig(&sh.percent));
    }
    for c in &s.contributions {
        row(c.amount.span.line, "pull", fig(&c.amount));
    }
    for p in &s.parts {
        push_statement(out, p, Some(s));
    }
}

/// Parses a gold file: tab-separated rows as documented above; `#` starts a comment.
pub fn parse_gold(text: &str) -> Result<Vec<FactRow>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(format!("第 {} 行：至少需要 line、kind、figure 三列", i + 1));
        }
        let n = cols[0]
            .parse()
            .map_err(|_| format!("第 {} 行：行号“{}”不是数字", i + 1, cols[0]))?;
        let get = |k: usize| cols.get(k).map_or("", |s| s.trim()).to_owned();
        out.push(FactRow {
            line: n,
            kind: get(1),
            figure: get(2),
            indicator: get(3),
            period: get(4),
            target: get(5) == "T",
        });
    }
    Ok(out)
}

/// Recall and precision, with the rows that did not match.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub gold: usize,
    pub extracted: usize,
    pub matched: usize,
    pub missed: Vec<FactRow>,
    pub spurious: Vec<FactRow>,
}

impl Score {
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    pub fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.matched as f64 / self.extracted as f64
        }
    }
    pub fn add(&mut self, other: Score) {
        self.gold += other.gold;
        self.extracted += other.extracted;
        self.matched += other.matched;
        self.missed.extend(other.missed);
        self.spurious.extend(other.spurious);
    }
}

fn norm_figure(s: &str) -> String {
    s.replace(' ', "").replace('，', ",")
}

/// Whether an extracted row matches a gold row.
pub fn matches(gold: &FactRow, got: &FactRow, table: &IndicatorTable) -> bool {
    if gold.line != got.line
        || gold.kind != got.kind
        || norm_figure(&gold.figure) != norm_figure(&got.figure)
        || gold.target != got.target
    {
        return false;
    }
    if !gold.indicator.is_empty() {
        let g = table.canonical(&gold.indicator);
        let e = table.canonical(&got.indicator);
        let ok = got.indicator.contains(&gold.indicator)
            || e.contains(&g)
            || table
                .canonical(&got.indicator)
                .contains(&table.canonical(&gold.indicator));
        if !ok {
            return false;
        }
    }
    gold.period.is_empty() || got.period.contains(&gold.period)
}

/// Scores extracted rows against gold rows.
pub fn score(gold: &[FactRow], got: &[FactRow], table: &IndicatorTable) -> Score {
    let mut used = vec![false; got.len()];
    let mut s = Score {
        gold: gold.len(),
        extracted: got.len(),
        ..Default::default()
    };
    for g in gold {
        let hit = got
            .iter()
            .enumerate()
            .find(|(i, e)| !used[*i] && matches(g, e, table));
        match hit {
            Some((i, _)) => {
                used[i] = true;
                s.matched += 1;
            }
            None => s.missed.push(g.clone()),
        }
    }
    s.spurious = got
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(e, _)| e.clone())
        .collect();
    s
}

/// A compact, readable listing of what was extracted from a file, for snapshot
/// tests and for reviewing the grammar's behaviour by eye.
pub fn describe(file: &FileFacts) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if let Some(d) = &file.date {
        let _ = writeln!(out, "日期 {}（{}）", d.date, d.source);
    }
    if let Some(s) = &file.scope {
        let _ = writeln!(out, "地区 {s}");
    }
    for s in &file.statements {
        describe_statement(&mut out, s, 0);
    }
    for e in &file.enumerations {
        let items: Vec<&str> = e.items.iter().map(|i| i.text.as_str()).collect();
        let _ = writeln!(
            out,
            "列举 L{}:{} {}{} 计{}项 {}[{}]",
            e.span.line,
            e.span.column,
            e.text,
            e.noun.trim_start_matches(|c| e.text.ends_with(c)),
            e.count,
            if e.open { "（开放）" } else { "" },
            items.join("、")
        );
    }
    for u in &file.unread {
        let _ = writeln!(out, "未读 L{}:{}", u.line, u.column);
    }
    out
}

fn q(q: &Quantity) -> String {
    let iv = |v: Option<rust_decimal::Decimal>| {
        v.map_or("∞".to_owned(), |d| d.normalize().to_string())
    };
    format!(
        "{} = {} ∈ [{}, {}]",
        q.text,
        q.value.normalize(),
        iv(q.interval.lo),
        iv(q.interval.hi)
    )
}

fn describe_statement(out: &mut String, s: &Statement, depth: usize) {
    use std::fmt::Write as _;
    let pad = "  ".repeat(depth);
    let ind = s
        .indicator
        .as_ref()
        .map(|i| {
            let mut t = format!("「{}」", i.text);
            if i.canonical != i.text {
                t.push_str(&format!("({})", i.canonical));
            }
            if let Some(a) = &i.aspect {
                t.push_str(&format!("[{a}]"));
            }
            if i.inherited {
                t.push('↑');
            }
            t
        })
        .unwrap_or_else(|| "「」".into());
    let _ = write!(out, "{pad}L{}:{} 指标{ind}", s.span.line, s.span.column);
    if let Some(sc) = &s.scope {
        let _ = write!(out, " 范围 {}", sc.text);
        if let Some(r) = sc.resolved.as_ref().filter(|r| **r != sc.text) {
            let _ = write!(out, "⇒{r}");
        }
        if sc.inherited {
            out.push('↑');
        }
    }
    if let Some(p) = &s.period {
        let dates = match (p.start, p.end) {
            (Some(a), Some(b)) => format!("[{a}..{b}]"),
            _ => "[未定]".into(),
        };
        let _ = write!(out, " 期间 {}{dates}", p.text);
        if p.inherited {
            out.push('↑');
        }
    }
    if let Some(t) = &s.target {
        let _ = write!(out, " 目标（{}）", t.word);
    }
    out.push('\n');
    let line = |out: &mut String, label: &str, text: String| {
        let _ = writeln!(out, "{pad}    {label} {text}");
    };
    if let Some(v) = &s.value {
        line(out, "数值", q(v));
    }
    if let Some(v) = &s.value_to {
        line(out, "至", q(v));
    }
    if !s.ratio.is_empty() {
        line(
            out,
            "比例",
            s.ratio
                .iter()
                .map(|x| x.written.clone())
                .collect::<Vec<_>>()
                .join(":"),
        );
    }
    if let Some(w) = &s.whole {
        line(out, "总数", q(w));
    }
    if let Some(c) = &s.class {
        line(out, "每项", c.text.clone());
    }
    if let Some(c) = &s.change {
        let amount = c.amount.as_ref().map(q).unwrap_or_default();
        line(
            out,
            "变化",
            format!(
                "{}{}{} {:?}{} {amount}",
                c.basis.clone().unwrap_or_default(),
                c.of_rate.clone().unwrap_or_default(),
                c.verb,
                c.direction,
                if c.to_level { " 到" } else { "" }
            ),
        );
    }
    for c in &s.comparisons {
        line(
            out,
            "比较",
            format!(
                "{}{}{} {:?} {}{}",
                c.of_rate.clone().unwrap_or_default(),
                c.reference,
                c.verb,
                c.direction,
                q(&c.amount),
                c.reference_value
                    .as_ref()
                    .map(|r| format!("（参照 {}）", r.text))
                    .unwrap_or_default()
            ),
        );
    }
    for r in &s.ranks {
        line(
            out,
            "排名",
            format!(
                "{} 范围={} 位次={:?} 前={:?} 共={:?} 变动={:?} 原={:?}",
                r.text,
                r.scope.clone().unwrap_or_default(),
                r.position,
                r.top,
                r.pool,
                r.movement,
                r.from_position
            ),
        );
    }
    if let Some(sh) = &s.share {
        line(
            out,
            "占比",
            format!(
                "{:?} 之于「{}」 {}",
                sh.kind,
                sh.of.clone().unwrap_or_default(),
                q(&sh.percent)
            ),
        );
    }
    for c in &s.contributions {
        line(out, "拉动", q(&c.amount));
    }
    if let Some(b) = &s.breakdown {
        let items: Vec<&str> = s.items.iter().map(|i| i.text.as_str()).collect();
        line(
            out,
            "分项",
            format!(
                "{:?} 列举{}项[{}]{}{}",
                b.kind,
                b.items,
                items.join("、"),
                if b.closed { " 封闭" } else { "" },
                if b.open { " 开放（等）" } else { "" }
            ),
        );
    }
    for p in &s.parts {
        describe_statement(out, p, depth + 1);
    }
}
