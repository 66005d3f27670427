//! Markdown pipe tables in text documents.
//!
//! A pipe table is a header line with `|` between cells, a delimiter line of dashes
//! (`|---|:--:|`) with as many cells as the header, and the body lines that follow
//! until a line without `|` or a blank line:
//!
//! ```text
//! | 指标 | 2025年 | 增长% |
//! |---|---:|---:|
//! | 示例指标 | 12.5 | 3.2 |
//! ```
//!
//! [`find_tables`] records each one as a [`Table`] whose cells are byte ranges of the
//! text itself (the text is not re-rendered: the pipes stay where they are), so that
//! spans and columns point into the file as written. Only pipe tables with the
//! delimiter line are read: tab- or space-aligned text is never taken for a table,
//! because ordinary prose lines are aligned that way too. Lines inside fenced code
//! blocks are skipped.

use std::ops::Range;

use super::table::{Cell, Table};
use super::{Place, SourceFile};

/// Finds the pipe tables of `sf.text` and records them (with a place for every cell).
pub fn attach(sf: &mut SourceFile) {
    if !sf.text.contains('|') {
        return;
    }
    let first = sf.tables.len();
    for mut t in find_tables(&sf.text) {
        t.label = format!("表{}", sf.tables.len() + 1);
        sf.tables.push(t);
    }
    for t in &sf.tables[first..] {
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sf.places.push(Place {
                    range: cell.range.clone(),
                    label: t.cell_label(r, c),
                });
            }
        }
    }
}

/// One line of the text: its range without the line end.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split_inclusive('\n') {
        let body = l.trim_end_matches(['\n', '\r']);
        out.push(start..start + body.len());
        start += l.len();
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// The cells of a table line: ranges between unescaped pipes, trimmed; a leading and a
/// trailing pipe do not open an empty cell.
fn split_cells(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[line.clone()];
    let mut bounds = Vec::new();
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        if c == '|' && prev != '\\' {
            bounds.push(i);
        }
        prev = c;
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    for &b in &bounds {
        pieces.push(from..b);
        from = b + 1;
    }
    pieces.push(from..s.len());
    // Leading and trailing pipes: drop the empty piece outside them.
    if pieces.len() > 1 && s[pieces[0].clone()].trim_matches(is_space).is_empty() {
        pieces.remove(0);
    }
    if pieces.len() > 1
        && s[pieces[pieces.len() - 1].clone()]
            .trim_matches(is_space)
            .is_empty()
    {
        pieces.pop();
    }
    pieces
        .into_iter()
        .map(|p| {
            let piece = &s[p.clone()];
            let lead = piece.len() - piece.trim_start_matches(is_space).len();
            let trimmed = piece.trim_matches(is_space);
            let start = line.start + p.start + lead;
            start..start + trimmed.len()
        })
        .collect()
}

/// Whether a line is a delimiter line (`|---|:--:|`) with `n` cells.
fn is_delimiter(text: &str, line: Range<usize>, n: usize) -> bool {
    let s = text[line.clone()].trim_matches(is_space);
    if !s.contains('-') || !s.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) {
        return false;
    }
    let cells = split_cells(text, line);
    cells.len() == n
        && cells.iter().all(|c| {
            let t = &text[c.clone()];
            let core = t.trim_start_matches(':').trim_end_matches(':');
            !core.is_empty() && core.chars().all(|ch| ch == '-')
        })
}

/// Whether a line can be a row of a pipe table.
fn has_pipe(text: &str, line: &Range<usize>) -> bool {
    text[line.clone()].contains('|')
}

/// The caption: up to two short non-blank lines right before the table (a title
/// `表1 …` and a unit line `单位：万元`).
fn caption(text: &str, lines: &[Range<usize>], header: usize) -> Option<String> {
    let mut parts = Vec::new();
    let mut i = header;
    let mut blanks = 0;
    while i > 0 && parts.len() < 2 {
        i -= 1;
        let s = text[lines[i].clone()].trim_matches(is_space);
        if s.is_empty() {
            blanks += 1;
            if blanks > 1 || !parts.is_empty() {
                break;
            }
            continue;
        }
        if s.contains('|') || s.chars().count() > 60 {
            break;
        }
        parts.push(s.to_owned());
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The pipe tables of a text, unlabelled, in order.
pub fn find_tables(text: &str) -> Vec<Table> {
    let lines = lines(text);
    let mut tables = Vec::new();
    let mut in_fence = false;
    let mut i = 0;
    while i < lines.len() {
        let s = text[lines[i].clone()].trim_start_matches(is_space);
        if s.starts_with("```") || s.starts_with("~~~") {
            in_fence = !in_fence;
            i += 1;
            continue;
        }
        if in_fence || !has_pipe(text, &lines[i]) || i + 1 >= lines.len() {
            i += 1;
            continue;
        }
        let header = split_cells(text, lines[i].clone());
        if header.len() < 2 || !is_delimiter(text, lines[i + 1].clone(), header.len()) {
            i += 1;
            continue;
        }
        let mut rows = vec![header];
        let mut j = i + 2;
        while j < lines.len() {
            let l = lines[j].clone();
            if !has_pipe(text, &l) || text[l.clone()].trim_matches(is_space).is_empty() {
                break;
            }
            rows.push(split_cells(text, l));
            j += 1;
        }
        tables.push(Table {
            label: String::new(),
            caption: caption(text, &lines, i),
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|range| Cell {
                            text: text[range.clone()].to_owned(),
                            range,
                        })
                        .collect()
                })
                .collect(),
        });
        i = j;
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "示例市主要指标如下。\n表1 示例市主要指标\n单位：万元\n\n| 指标 | 2025年 | 增长% |\n|:---|---:|---:|\n| 甲 | 12.5 | 3.2 |\n|乙|7| |\n\n其后一段文字|不是表格。\n";

    #[test]
    fn cells_have_exact_ranges() {
        let t = find_tables(DOC);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(t.caption.as_deref(), Some("表1 示例市主要指标 单位：万元"));
        assert_eq!(t.rows.len(), 3);
        let texts: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            vec![
                vec!["指标", "2025年", "增长%"],
                vec!["甲", "12.5", "3.2"],
                vec!["乙", "7", ""],
            ]
        );
        for row in &t.rows {
            for c in row {
                assert_eq!(&DOC[c.range.clone()], c.text);
            }
        }
    }

    #[test]
    fn no_delimiter_no_table() {
        assert!(find_tables("甲 | 乙\n丙 | 丁\n").is_empty());
        assert!(find_tables("甲\t12.5\t3.2\n乙\t7\t1.0\n").is_empty());
        assert!(find_tables("```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n").is_empty());
        // The delimiter must have as many cells as the header.
        assert!(find_tables("| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n").is_empty());
    }

    #[test]
    fn attach_labels_tables_and_places() {
        let mut sf = SourceFile::from_text("t.md", "");
        sf.text = DOC.to_owned();
        attach(&mut sf);
        assert_eq!(sf.tables.len(), 1);
        assert_eq!(sf.tables[0].label, "表1");
        let off = DOC.find("12.5").unwrap_or(0);
        assert_eq!(sf.place_of(off), Some("表1 第2行第2列"));
    }
}
