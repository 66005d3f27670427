//! Spreadsheets: `.csv` and `.xlsx` files given to `check` and `extract`.
//!
//! A spreadsheet is all table. Each sheet becomes one [`Table`] and is rendered into
//! the [`SourceFile`]'s text one row per line, cells separated by a tab, so that
//! spans, lines and columns stay valid for every output format: line *n* of the text
//! is row *n* of the sheet. Tabs and line breaks inside a cell become spaces.
//!
//! - CSV is decoded like any text (UTF-8, GB18030/GBK, UTF-16 with BOM); the
//!   separator is `,`, or `;` / tab when the first line has no comma. Its table has no
//!   label, so a cell is named `第3行第4列`.
//! - xlsx is read with `calamine`; every sheet is one table labelled with the sheet's
//!   name (`Sheet1 第3行第4列`), rows and columns counted from `A1` as Excel shows
//!   them. Sheets follow each other in the text, separated by a blank line.
//!   Numbers are written in their shortest decimal form (`1234.5`), formula cells as
//!   their cached values.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::table::{Cell, Table};
use super::{LoadError, Place, SourceFile, decode};

/// Loads `bytes` as a spreadsheet when `path` names one (`.csv`, `.xlsx`); `None` for
/// every other file. A CSV that cannot be decoded is left to the text loader, which
/// reports where.
pub fn load(path: &str, bytes: &[u8]) -> Option<Result<SourceFile, LoadError>> {
    let lower = path.to_lowercase();
    if lower.ends_with(".csv") {
        let d = decode::decode(bytes).ok()?;
        return Some(csv_file(path, &d.text).map(|mut sf| {
            sf.encoding = d.encoding;
            sf
        }));
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return Some(xlsx_file(path, bytes));
    }
    None
}

/// The cell text as rendered: one line, no tabs.
fn clean(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Renders sheets (label, rows of cell texts) into a source file.
fn render(path: &str, sheets: Vec<(String, Vec<Vec<String>>)>) -> SourceFile {
    let mut sf = SourceFile::from_text(path, String::new());
    let mut text = String::new();
    for (label, rows) in sheets {
        if !text.is_empty() {
            text.push('\n');
        }
        let mut table = Table {
            label,
            caption: None,
            rows: Vec::new(),
        };
        for row in rows {
            let mut cells = Vec::new();
            for (c, t) in row.into_iter().enumerate() {
                if c > 0 {
                    text.push('\t');
                }
                let start = text.len();
                text.push_str(&t);
                cells.push(Cell {
                    text: t,
                    range: start..text.len(),
                });
            }
            text.push('\n');
            table.rows.push(cells);
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sf.places.push(Place {
                    range: cell.range.clone(),
                    label: table.cell_label(r, c),
                });
            }
        }
        sf.tables.push(table);
    }
    sf.text = text;
    sf
}

fn csv_file(path: &str, text: &str) -> Result<SourceFile, LoadError> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(',') {
        b','
    } else if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            LoadError::Io {
                path: path.to_owned(),
                reason: format!("CSV 第 {line} 行格式有误（引号不成对或字段无法读取）"),
            }
        })?;
        rows.push(rec.iter().map(clean).collect());
    }
    Ok(render(path, vec![(String::new(), rows)]))
}

/// A float as its shortest decimal, without binary noise (`0.30000000000000004` →
/// `0.3`).
fn float_text(f: f64) -> String {
    match Decimal::from_f64(f) {
        Some(d) => d.round_dp(9).normalize().to_string(),
        None => f.to_string(),
    }
}

fn data_text(d: &Data) -> String {
    match d {
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::Error(_) => "#错误".to_owned(),
        other => clean(&other.to_string()),
    }
}

fn xlsx_file(path: &str, bytes: &[u8]) -> Result<SourceFile, LoadError> {
    let bad = |e: &dyn std::fmt::Display| LoadError::Io {
        path: path.to_owned(),
        reason: format!("不是可读取的 xlsx 工作簿（{e}）"),
    };
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| bad(&e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| bad(&format!("工作表“{name}”：{e}")))?;
        let Some((r0, c0)) = range.start() else {
            sheets.push((name, Vec::new()));
            continue;
        };
        // Pad to A1 so that row and column numbers are the ones Excel shows.
        let (r0, c0) = (r0 as usize, c0 as usize);
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0];
        for row in range.rows() {
            let mut cells = vec![String::new(); c0];
            cells.extend(row.iter().map(data_text));
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            rows.push(cells);
        }
        sheets.push((name, rows));
    }
    Ok(render(path, sheets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_renders_rows_as_lines() {
        let csv = "地区,产值（万元）,增长%\n甲区,\"1,234.5\",3.2\n乙区,800,-1.0\n";
        let Some(Ok(sf)) = load("a.csv", csv.as_bytes()) else {
            panic!("csv not loaded");
        };
        assert_eq!(
            sf.text,
            "地区\t产值（万元）\t增长%\n甲区\t1,234.5\t3.2\n乙区\t800\t-1.0\n"
        );
        let t = &sf.tables[0];
        assert_eq!(t.rows[1][1].text, "1,234.5");
        assert_eq!(&sf.text[t.rows[2][2].range.clone()], "-1.0");
        let off = t.rows[2][2].range.start;
        assert_eq!(sf.place_of(off), Some("第3行第3列"));
    }

    #[test]
    fn csv_in_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode("地区,数值\n甲区,12\n");
        let Some(Ok(sf)) = load("b.CSV", &bytes) else {
            panic!("csv not loaded");
        };
        assert_eq!(sf.tables[0].rows[1][0].text, "甲区");
        assert_eq!(sf.encoding, "gb18030");
    }

    #[test]
    fn other_files_are_not_sheets() {
        assert!(load("a.txt", b"a,b").is_none());
        let Some(Err(e)) = load("bad.xlsx", b"not a zip") else {
            panic!("bad xlsx accepted");
        };
        assert!(e.to_string().contains("xlsx"), "{e}");
    }

    #[test]
    fn floats_lose_binary_noise() {
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(1234.0), "1234");
        assert_eq!(float_text(-3.25), "-3.25");
    }
}
