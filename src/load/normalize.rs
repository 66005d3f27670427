//! Normalisation for parsing, with a map back to the decoded source.
//!
//! The grammar reads one form of each character: full-width digits, Latin letters and
//! the punctuation that appears inside figures (`％ ． ： ∶ （ ） ＋ － ／`) become
//! ASCII, the ideographic space becomes a space, and CRLF / CR line ends become `\n`.
//! Chinese clause punctuation (`，、；。`) is kept as written, because it carries
//! meaning the ASCII forms do not (an ASCII `,` may be a thousands separator).
//!
//! [`Normalized::to_source`] maps any byte offset of the normalised text back to the
//! decoded source. The map is sparse: it stores one anchor per changed character, so
//! an all-ASCII or all-normal document costs nothing.

/// Normalised text plus the anchors that map it back to the source.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// Sorted anchors `(normalised offset, source offset)`; between anchors the two
    /// advance together.
    anchors: Vec<(u32, u32)>,
    /// Whether the source has a full-width digit (`０`…`９`).
    fullwidth_digit: bool,
}

impl Normalized {
    /// Normalises `source`.
    pub fn new(source: &str) -> Self {
        let mut text = String::with_capacity(source.len());
        let mut anchors = Vec::new();
        let mut fullwidth_digit = false;
        let bytes = source.as_bytes();
        // Bytes of `source` up to here are in `text` already.
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Only `\r` and characters whose UTF-8 begins with one of these bytes can
            // be folded (see [`fold`]); the rest is copied as it is, a run at a time.
            // None of these is a continuation byte, so `i` is a character boundary.
            // Ideographs, most of the text, are stepped over a character at a time.
            let b = bytes[i];
            if crate::segment::is_ideograph_lead(b) {
                i += 3;
                continue;
            }
            if !matches!(b, b'\r' | 0xC2 | 0xE2 | 0xE3 | 0xEF) {
                i += 1;
                continue;
            }
            let Some(c) = source[i..].chars().next() else {
                break;
            };
            let replacement = match c {
                '\r' => Some((
                    '\n',
                    if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    },
                )),
                _ => fold(c).map(|r| (r, c.len_utf8())),
            };
            let Some((r, src_len)) = replacement else {
                i += c.len_utf8();
                continue;
            };
            fullwidth_digit |= ('０'..='９').contains(&c);
            text.push_str(&source[copied..i]);
            push_anchor(&mut anchors, text.len(), i);
            text.push(r);
            push_anchor(&mut anchors, text.len(), i + src_len);
            i += src_len;
            copied = i;
        }
        text.push_str(&source[copied..]);
        Normalized {
            text,
            anchors,
            fullwidth_digit,
        }
    }

    /// Maps a byte offset of the normalised text to the source.
    pub fn to_source(&self, offset: usize) -> usize {
        let off = offset as u32;
        let idx = self.anchors.partition_point(|&(n, _)| n <= off);
        if idx == 0 {
            return offset;
        }
        let (n, s) = self.anchors[idx - 1];
        (s + (off - n)) as usize
    }

    /// [`Normalized::to_source`] for a run of offsets that mostly go forward.
    pub fn to_source_walk(&self) -> ToSourceWalk<'_> {
        ToSourceWalk {
            anchors: &self.anchors,
            next: 0,
            last: 0,
        }
    }

    /// Whether the source has a full-width digit (`０`…`９`), folded to ASCII here.
    pub fn has_fullwidth_digit(&self) -> bool {
        self.fullwidth_digit
    }

    /// True when the normalised text is byte-identical to the source.
    pub fn is_identity(&self) -> bool {
        self.anchors.is_empty()
    }
}

/// Maps offsets of the normalised text to the source like [`Normalized::to_source`],
/// for offsets met mostly in increasing order (the sentences of a document, in
/// order): the anchor of each is found by walking on from the last one's, not by
/// halves over all of them, unless an offset goes back.
pub struct ToSourceWalk<'n> {
    anchors: &'n [(u32, u32)],
    /// The index of the first anchor after the last offset.
    next: usize,
    last: u32,
}

impl ToSourceWalk<'_> {
    /// The source offset of `offset` (what [`Normalized::to_source`] gives).
    pub fn to_source(&mut self, offset: usize) -> usize {
        let off = offset as u32;
        if off < self.last {
            self.next = self.anchors.partition_point(|&(n, _)| n <= off);
        } else {
            while self.next < self.anchors.len() && self.anchors[self.next].0 <= off {
                self.next += 1;
            }
        }
        self.last = off;
        if self.next == 0 {
            return offset;
        }
        let (n, s) = self.anchors[self.next - 1];
        (s + (off - n)) as usize
    }
}

fn push_anchor(anchors: &mut Vec<(u32, u32)>, n: usize, s: usize) {
    let a = (n as u32, s as u32);
    if let Some(last) = anchors.last_mut() {
        if last.0 == a.0 {
            *last = a;
            return;
        }
    }
    anchors.push(a);
}

/// The ASCII form of a full-width character the grammar reads, if any.
pub fn fold(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0),
        '％' => Some('%'),
        '．' => Some('.'),
        '：' | '∶' => Some(':'),
        '（' => Some('('),
        '）' => Some(')'),
        '＋' => Some('+'),
        '－' => Some('-'),
        '／' => Some('/'),
        '＠' => Some('@'),
        '\u{3000}' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => Some(' '),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_are_noticed() {
        assert!(Normalized::new("增长８.5%").has_fullwidth_digit());
        // Full-width punctuation and letters alone are not digits.
        assert!(!Normalized::new("（一）ＡＢ：增长8.5％，").has_fullwidth_digit());
        assert!(!Normalized::new("增长8.5%").has_fullwidth_digit());
    }

    #[test]
    fn identity_costs_nothing() {
        let n = Normalized::new("示例市增长8.5%，居全省第2位。");
        assert!(n.is_identity());
        assert_eq!(n.to_source(7), 7);
    }

    #[test]
    fn full_width_maps_back() {
        let src = "增长１２．５％，\r\n共（３）项";
        let n = Normalized::new(src);
        assert_eq!(n.text, "增长12.5%，\n共(3)项");
        // "12.5%" starts at byte 6 in both; ends at 11 (norm) and 6 + 5*3 = 21 (src).
        let start = n.text.find("12.5%").unwrap();
        let end = start + "12.5%".len();
        assert_eq!(&src[n.to_source(start)..n.to_source(end)], "１２．５％");
        let p = n.text.find("(3)").unwrap();
        assert_eq!(&src[n.to_source(p)..n.to_source(p + 3)], "（３）");
        let nl = n.text.find('\n').unwrap();
        assert_eq!(&src[n.to_source(nl)..n.to_source(nl + 1)], "\r\n");
    }
}
