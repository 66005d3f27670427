//! Tables: what Word documents, web pages and Markdown contain, and what CSV and
//! Excel files are.
//!
//! A loader that finds a table renders it into the document's text (one row per line,
//! cells separated by a tab) so that extraction and spans work as for any text, and
//! also records it here, cell by cell, with each cell's byte range in that text. The
//! table checks read [`Table`]s; diagnostics point at a cell's range and name it the
//! way a Word user finds it (`表2 第3行第4列`, through [`super::Place`]).

use std::ops::Range;

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// `表1`, `表2` … in document order.
    pub label: String,
    /// The caption or the line before the table (`表2 2025年1—11月主要指标`,
    /// `单位：万元`), if any.
    pub caption: Option<String>,
    /// Rows of cells, header rows first.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Byte range of the cell's text in [`super::SourceFile::text`].
    pub range: Range<usize>,
}

impl Table {
    /// The place label of a cell (1-based row and column, as a Word user counts).
    /// A table without a label (a CSV file) names the cell alone: `第3行第4列`.
    pub fn cell_label(&self, row: usize, col: usize) -> String {
        if self.label.is_empty() {
            return format!("第{}行第{}列", row + 1, col + 1);
        }
        format!("{} 第{}行第{}列", self.label, row + 1, col + 1)
    }
}
