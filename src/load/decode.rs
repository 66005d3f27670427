//! Byte → text decoding with detection.
//!
//! Order of decisions, each one cheap before the next:
//! 1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) decides outright;
//! 2. bytes that look binary (NUL bytes, many control bytes) are rejected;
//! 3. valid UTF-8 is UTF-8;
//! 4. otherwise `chardetng` guesses among legacy encodings; GB18030 (a superset of
//!    GBK/GB2312) is tried first because it is by far the most common legacy encoding
//!    of the reports this tool reads, and accepted only when it decodes without a
//!    single malformed sequence.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Why a byte string could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// The bytes look like a binary file (NUL or control bytes).
    Binary { offset: usize },
    /// No supported encoding decodes the bytes cleanly.
    Undecodable { offset: usize },
}

/// Decoded text and the name of the encoding it was read in.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Number of bytes of byte-order mark that were dropped.
    pub bom_len: usize,
}

/// Decodes `bytes`, detecting the encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeProblem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| Decoded {
                text: s.to_owned(),
                encoding: "UTF-8",
                bom_len: 3,
            })
            .map_err(|e| DecodeProblem::Undecodable {
                offset: 3 + e.valid_up_to(),
            });
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return decode_strict(UTF_16LE, &bytes[2..], 2);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return decode_strict(UTF_16BE, &bytes[2..], 2);
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeProblem::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            return Ok(Decoded {
                text: s.to_owned(),
                encoding: "UTF-8",
                bom_len: 0,
            });
        }
        Err(e) => {
            // A file that is valid UTF-8 up to a truncated final character is still UTF-8.
            if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() && bytes.len() > 64 {
                let text = String::from_utf8_lossy(bytes).into_owned();
                return Ok(Decoded {
                    text,
                    encoding: "UTF-8",
                    bom_len: 0,
                });
            }
        }
    }
    if let Ok(d) = decode_strict(GB18030, bytes, 0) {
        return Ok(d);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    decode_strict(guess, bytes, 0)
}

fn decode_strict(
    encoding: &'static Encoding,
    bytes: &[u8],
    bom_len: usize,
) -> Result<Decoded, DecodeProblem> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            bom_len,
        }),
        None => {
            // Find roughly where decoding fails, for the error message.
            let (_, had_errors) = encoding.decode_without_bom_handling(bytes);
            let offset = if had_errors {
                first_error_offset(encoding, bytes)
            } else {
                0
            };
            Err(DecodeProblem::Undecodable {
                offset: bom_len + offset,
            })
        }
    }
}

fn first_error_offset(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(_, _) => read,
        _ => 0,
    }
}

/// Returns the offset of the first byte that marks the input as binary, if any.
///
/// Text files have no NUL bytes (UTF-16 without BOM is not supported) and very few
/// C0 control bytes other than tab, newline, carriage return and form feed.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if let Some(i) = memchr::memchr(0, bytes) {
        return Some(i);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if !sample.is_empty() && controls * 100 > sample.len() {
        return sample
            .iter()
            .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("示例市".as_bytes()).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.bom_len),
            ("示例市", "UTF-8", 0)
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("示例市".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.bom_len), ("示例市", 3));
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = GB18030.encode("示例市规模以上工业增加值增长8.5%，居全省第2位。");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert!(d.text.contains("居全省第2位"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "增长8.5%".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "增长8.5%");
        let mut be = vec![0xFE, 0xFF];
        for u in "增长8.5%".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().text, "增长8.5%");
    }

    #[test]
    fn binary_is_rejected() {
        let bytes = [0x89, b'P', b'N', b'G', 0, 0, 0, 13];
        assert!(matches!(decode(&bytes), Err(DecodeProblem::Binary { .. })));
    }
}
