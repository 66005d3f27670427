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
    /// Characters before every `CHUNK`-th byte (non-ASCII text only), so a column is
    /// found without counting the characters of a whole (often long) line.
    chars_before: Vec<usize>,
}

/// Bytes between two entries of `LineIndex::chars_before`.
const CHUNK: usize = 64;

/// Characters that start within `bytes` (bytes that are not UTF-8 continuations).
/// Counted in a byte per lane, 255 bytes at a time (so no lane overflows), which the
/// compiler turns into vector adds; a count into `usize` went a byte at a time.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let n = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from((b as i8) >= -0x40)));
            usize::from(n)
        })
        .sum()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` ends one line, at its `\n`.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        let ascii = text.is_ascii();
        let mut chars_before = Vec::new();
        if !ascii {
            chars_before.reserve(bytes.len() / CHUNK + 1);
            let mut n = 0;
            for chunk in bytes.chunks(CHUNK) {
                chars_before.push(n);
                n += count_chars(chunk);
            }
        }
        LineIndex {
            starts,
            ascii,
            chars_before,
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
        } else if offset - start > CHUNK && text.len().div_ceil(CHUNK) == self.chars_before.len() {
            self.chars_to(text, offset) - self.chars_to(text, start) + 1
        } else {
            text[start..offset].chars().count() + 1
        };
        (line.max(1), column)
    }

    /// Characters of `text` before byte `offset` (a character boundary).
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let k = (offset / CHUNK).min(self.chars_before.len().saturating_sub(1));
        let base = self.chars_before.get(k).copied().unwrap_or(0);
        base + count_chars(&text.as_bytes()[(k * CHUNK).min(offset)..offset])
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
    fn columns_on_long_lines_match_counting() {
        // Lines far longer than a chunk, mixing one-, two- and three-byte characters.
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(if i % 3 == 0 {
                "示例市a"
            } else {
                "é增长8.5%，"
            });
            if i % 97 == 96 {
                text.push('\n');
            }
        }
        let idx = LineIndex::new(&text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = text[line_start..offset].chars().count() + 1;
            assert_eq!(idx.line_col(&text, offset).1, want, "offset {offset}");
        }
    }

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
