//! Byte offsets → 1-based line and character column.
//!
//! Built once per document. Lines end at `\n`, `\r\n` or a lone `\r`, so positions
//! agree with what an editor shows for files with any line ending. Columns count
//! Unicode scalar values (what SARIF calls `unicodeCodePoints`), so a column under
//! Chinese text is the number of characters, not bytes.

/// Start offsets of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            ascii: text.is_ascii(),
        }
    }

    /// 1-based line and character column of byte `offset` in `text` (the same text the
    /// index was built from). Offsets inside a character are moved to its start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = if self.ascii {
            offset - start + 1
        } else {
            text[start..offset].chars().count() + 1
        };
        (line.max(1), column)
    }

    /// Byte range of line `line` (1-based), without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let mut end = self.starts.get(line).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// Byte offset of a 1-based line and character column, if it exists.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> Option<usize> {
        let range = self.line_range(text, line);
        let line_text = &text[range.clone()];
        if column == 0 {
            return None;
        }
        match line_text.char_indices().nth(column - 1) {
            Some((i, _)) => Some(range.start + i),
            None if column - 1 == line_text.chars().count() => Some(range.end),
            None => None,
        }
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "示例市\r\n增长8.5%\r第二行";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (1, 2));
        let p = text.find("8.5").unwrap();
        assert_eq!(idx.line_col(text, p), (2, 3));
        let q = text.find("第二").unwrap();
        assert_eq!(idx.line_col(text, q), (3, 1));
        assert_eq!(idx.offset(text, 2, 3), Some(p));
        assert_eq!(&text[idx.line_range(text, 2)], "增长8.5%");
    }
}
