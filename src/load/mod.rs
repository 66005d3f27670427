//! Loading: files and standard input → decoded text.
//!
//! [`SourceFile`] is what every later stage reads: the display path, the decoded text
//! (all spans in the JSON output are byte offsets into it) and the encoding it was
//! read in. [`load_path`] reads one file; errors are [`LoadError`]s whose `Display`
//! is a Chinese message naming the file and the place.
//!
//! The format is decided by content ([`sniff`]), the file name only breaking ties:
//! a ZIP archive holding `word/document.xml` is a Word document ([`docx`]), text that
//! starts like markup is a web page ([`html`]), anything else is plain text, whose
//! page furniture (toolbars, footers, related lists) is found line by line
//! ([`furniture`]) unless [`LoadOptions::keep_boilerplate`] is set.

pub mod decode;
pub mod docx;
pub mod furniture;
pub mod html;
pub mod markdown;
pub mod normalize;
pub mod sheet;
pub mod table;
pub mod yaml;

use std::io::Read;
use std::path::Path;

use thiserror::Error;

pub use decode::{DecodeProblem, Decoded};
pub use normalize::Normalized;

/// A decoded input document.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// Path as given by the user (`<stdin>` for `-`).
    pub path: String,
    /// The text that is read, decoded, without byte-order mark. For plain text this
    /// is the file itself; for Word and web pages it is the text taken from them.
    pub text: String,
    /// Name of the encoding the bytes were read in.
    pub encoding: &'static str,
    /// Byte ranges of `text` that are page furniture (menus, footers, advertising):
    /// nothing in them is extracted.
    pub furniture: Vec<std::ops::Range<usize>>,
    /// Where `text` came from, when it is not the file itself (web pages): spans
    /// are then given in the original.
    pub origin: Option<Origin>,
    /// Places a user can find in the original (`第12段`, `表2 第3行第4列`), by range
    /// of `text`.
    pub places: Vec<Place>,
    /// Tables found in the document (rendered into `text` too).
    pub tables: Vec<table::Table>,
}

/// The original a text was taken from, and the map from text offsets to it.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The decoded original (for a web page, its HTML).
    pub original: String,
    /// Sorted `(text offset, original offset)` anchors: a text offset maps to the
    /// original offset of the last anchor at or before it, plus the distance.
    pub anchors: Vec<(usize, usize)>,
}

impl Origin {
    /// Maps a byte offset of the original back to the extracted text (the inverse of
    /// [`Origin::to_original`] for offsets inside extracted text).
    pub fn to_text(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|&(_, o)| o <= offset);
        if i == 0 {
            return 0;
        }
        let (t, o) = self.anchors[i - 1];
        let next = self.anchors.get(i).map_or(usize::MAX, |a| a.0);
        (t + (offset - o)).min(next)
    }

    /// Maps a byte offset of the extracted text to the original.
    pub fn to_original(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|&(t, _)| t <= offset);
        if i == 0 {
            return offset.min(self.original.len());
        }
        let (t, o) = self.anchors[i - 1];
        (o + (offset - t)).min(self.original.len())
    }
}

/// A place in the original document a user can find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub range: std::ops::Range<usize>,
    /// `第12段`, `表2 第3行第4列`.
    pub label: String,
}

impl SourceFile {
    /// Wraps text that is already decoded (tests, the web workbench, rendering).
    pub fn from_text(path: impl Into<String>, text: impl Into<String>) -> Self {
        let mut sf = SourceFile {
            path: path.into(),
            text: text.into(),
            encoding: "UTF-8",
            ..Default::default()
        };
        markdown::attach(&mut sf);
        sf
    }

    /// The place label for a byte offset of `text`, if the source has places.
    pub fn place_of(&self, offset: usize) -> Option<&str> {
        self.places
            .iter()
            .find(|p| p.range.start <= offset && offset < p.range.end.max(p.range.start + 1))
            .map(|p| p.label.as_str())
    }

    /// The place label for a byte offset of what spans point into: the original for a
    /// web page, `text` otherwise.
    pub fn place_at(&self, offset: usize) -> Option<&str> {
        match &self.origin {
            Some(o) => self.place_of(o.to_text(offset)),
            None => self.place_of(offset),
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep page furniture (menus, footers, advertising) as text to read
    /// (`--keep-boilerplate`). By default it is found and skipped.
    pub keep_boilerplate: bool,
}

/// What a file is, decided by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in any encoding `decode` detects.
    Text,
    /// An HTML page.
    Html,
    /// A Word `.docx` document.
    Docx,
}

/// Why an input could not be loaded. Displays in Chinese.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("无法读取文件 {path}：{reason}")]
    Io { path: String, reason: String },
    #[error(
        "{path}:{line}:{column}: 这是二进制文件（第 {offset} 字节处有非文本字节），不能作为文本读取"
    )]
    Binary {
        path: String,
        offset: usize,
        line: usize,
        column: usize,
    },
    #[error(
        "{path}:{line}:{column}: 无法解码：从第 {offset} 字节起的内容既不是 UTF-8，也不是 GB18030/GBK 或带 BOM 的 UTF-16"
    )]
    Undecodable {
        path: String,
        offset: usize,
        line: usize,
        column: usize,
    },
    #[error("{path}: 无法读取 Word 文档：{reason}")]
    Docx { path: String, reason: String },
    #[error("{path}: {what}")]
    Unsupported { path: String, what: String },
}

impl LoadError {
    /// The path of the input the error is about.
    pub fn path(&self) -> &str {
        match self {
            LoadError::Io { path, .. }
            | LoadError::Binary { path, .. }
            | LoadError::Undecodable { path, .. }
            | LoadError::Docx { path, .. }
            | LoadError::Unsupported { path, .. } => path,
        }
    }
}

/// Reads and decodes the file at `path`; `-` reads standard input. Page furniture is
/// found and skipped.
pub fn load_path(path: &str) -> Result<SourceFile, LoadError> {
    load_path_with(path, &LoadOptions::default())
}

/// Reads and decodes the file at `path` with options; `-` reads standard input.
pub fn load_path_with(path: &str, options: &LoadOptions) -> Result<SourceFile, LoadError> {
    let (display, bytes) = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| LoadError::Io {
                path: "<stdin>".into(),
                reason: io_reason(&e),
            })?;
        ("<stdin>".to_owned(), buf)
    } else {
        let bytes = std::fs::read(Path::new(path)).map_err(|e| LoadError::Io {
            path: path.to_owned(),
            reason: io_reason(&e),
        })?;
        (path.to_owned(), bytes)
    };
    load_bytes_with(&display, &bytes, options)
}

/// Decodes `bytes` read from `path` (page furniture is found and skipped).
pub fn load_bytes(path: &str, bytes: &[u8]) -> Result<SourceFile, LoadError> {
    load_bytes_with(path, bytes, &LoadOptions::default())
}

/// The format of `bytes` read from `path`, by content; the file name only breaks a
/// tie (markup that is not clearly a page counts as HTML in an `.html` file).
pub fn sniff(path: &str, bytes: &[u8], text: Option<&str>) -> Format {
    if docx::is_zip(bytes) && docx::is_docx(bytes) {
        return Format::Docx;
    }
    if let Some(t) = text {
        if html::looks_like_html(t) {
            return Format::Html;
        }
        let lower = path.to_ascii_lowercase();
        if (lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml"))
            && t.contains('<')
            && t.contains('>')
        {
            return Format::Html;
        }
    }
    Format::Text
}

/// Decodes `bytes` read from `path`: a Word document, a web page or plain text.
pub fn load_bytes_with(
    path: &str,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<SourceFile, LoadError> {
    if let Some(sheet) = sheet::load(path, bytes) {
        return sheet;
    }
    let lower = path.to_ascii_lowercase();
    if docx::is_zip(bytes) {
        if docx::is_docx(bytes) || lower.ends_with(".docx") {
            return docx::read(path, bytes);
        }
        return Err(LoadError::Unsupported {
            path: path.to_owned(),
            what: "这是 ZIP 压缩文件，但不是 Word（.docx）文档（其中没有 word/document.xml）"
                .into(),
        });
    }
    if lower.ends_with(".docx") {
        return Err(LoadError::Docx {
            path: path.to_owned(),
            reason: "文件不是 ZIP 压缩包，不是有效的 .docx（可能已损坏，或是改了扩展名的其他文件）"
                .into(),
        });
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(LoadError::Unsupported {
            path: path.to_owned(),
            what: "这是旧版 Office 文件（.doc/.xls），不能直接读取，请在 Word 中另存为 .docx"
                .into(),
        });
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(LoadError::Unsupported {
            path: path.to_owned(),
            what: "这是 PDF 文件，不能直接读取，请先转换为 .docx 或文本".into(),
        });
    }
    let decoded = html::decode(bytes);
    match decoded {
        Ok(d) => Ok(match sniff(path, bytes, Some(&d.text)) {
            Format::Html => html::read(path, d, options),
            _ => {
                let furniture = if options.keep_boilerplate {
                    Vec::new()
                } else {
                    furniture::detect(&d.text)
                        .into_iter()
                        .map(|l| l.range)
                        .collect()
                };
                let mut sf = SourceFile {
                    path: path.to_owned(),
                    text: d.text,
                    encoding: d.encoding,
                    furniture,
                    ..Default::default()
                };
                markdown::attach(&mut sf);
                sf
            }
        }),
        Err(DecodeProblem::Binary { offset }) => {
            let (line, column) = byte_line_col(bytes, offset);
            Err(LoadError::Binary {
                path: path.to_owned(),
                offset,
                line,
                column,
            })
        }
        Err(DecodeProblem::Undecodable { offset }) => {
            let (line, column) = byte_line_col(bytes, offset);
            Err(LoadError::Undecodable {
                path: path.to_owned(),
                offset,
                line,
                column,
            })
        }
    }
}

/// Line and column (1-based) of a byte offset in undecoded bytes; the column counts
/// bytes, since the characters are exactly what could not be decoded.
fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let head = &bytes[..offset.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', head).count() + 1;
    let line_start = memchr::memrchr(b'\n', head).map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

/// A short Chinese reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "文件不存在".into(),
        ErrorKind::PermissionDenied => "没有读取权限".into(),
        ErrorKind::IsADirectory => "这是一个目录".into(),
        _ => format!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_and_place() {
        let e = load_bytes("a.bin", b"line one\nab\0cd").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("a.bin:2:3:"), "{msg}");
        assert!(msg.contains("二进制"), "{msg}");
        let e = load_path("/definitely/not/here.txt").unwrap_err();
        assert!(e.to_string().contains("文件不存在"), "{e}");
    }
}
