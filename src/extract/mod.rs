//! Extraction: decoded text → indicator statements.
//!
//! [`extract`] runs the pipeline for one document: normalise (full-width forms, line
//! ends) → segment (paragraphs, sentences, clauses) → a cheap scan for sentences that
//! can hold a figure → the pest grammar (`grammar/*.pest`) over those sentences →
//! builders (`build.rs`, pairs → tokens) → the assembler (`assemble.rs`, tokens →
//! [`Statement`]s). The result is an [`Extraction`]: the [`Document`] (texts, line
//! index, segments) and the [`FileFacts`].

pub mod assemble;
pub mod build;
pub mod fact;
pub mod indicator;
pub mod number;
pub mod period;
pub mod scan;
pub mod scope;

use std::num::NonZeroUsize;
use std::sync::Once;

use chrono::NaiveDate;

pub use fact::*;
pub use indicator::IndicatorTable;

use crate::load::{Normalized, SourceFile};
use crate::report::line_index::LineIndex;
use crate::segment::{self, Paragraph};
use build::SpanMaker;

/// The grammar. Rules are split over several files by topic.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/number.pest"]
#[grammar = "../grammar/unit.pest"]
#[grammar = "../grammar/period.pest"]
#[grammar = "../grammar/noise.pest"]
#[grammar = "../grammar/statement.pest"]
#[grammar = "../grammar/probe.pest"]
pub struct ReportParser;

/// Options for extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// The document date, overriding any date found in the text (`--date`).
    pub date: Option<NaiveDate>,
}

/// A document ready for the later stages: its texts, line index and segments.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: SourceFile,
    pub norm: Normalized,
    pub lines: LineIndex,
    pub paragraphs: Vec<Paragraph>,
}

impl Document {
    /// Normalises and segments a source file.
    pub fn new(source: SourceFile) -> Self {
        let norm = Normalized::new(&source.text);
        let lines = LineIndex::new(source.origin.as_ref().map_or(&source.text, |o| &o.original));
        let paragraphs = segment::segment(&norm.text);
        Document {
            source,
            norm,
            lines,
            paragraphs,
        }
    }

    /// A span maker for ranges of the normalised text.
    pub fn span_maker(&self) -> SpanMaker<'_> {
        SpanMaker {
            norm: &self.norm,
            source: &self.source.text,
            origin: self.source.origin.as_ref(),
            lines: &self.lines,
            base: 0,
        }
    }
}

/// A document and what was extracted from it.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub doc: Document,
    pub facts: FileFacts,
}

/// The most calls the parser may make for one sentence: far above what any real
/// sentence needs (a few thousand), low enough that no input makes it run away.
const CALL_LIMIT: usize = 5_000_000;

fn set_call_limit() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pest::set_call_limit(NonZeroUsize::new(CALL_LIMIT)));
}

/// Whether a sentence may hold something the grammar reads: Arabic digits, Chinese
/// numerals, a period word or a scope or target marker.
fn is_candidate(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '一' | '二'
                    | '两'
                    | '三'
                    | '四'
                    | '五'
                    | '六'
                    | '七'
                    | '八'
                    | '九'
                    | '十'
                    | '百'
                    | '千'
                    | '万'
                    | '亿'
                    | '年'
                    | '季'
                    | '第'
                    | '均'
                    | '翻'
                    | '其'
                    | '全'
                    | '我'
                    | '本'
                    | '该'
                    | '计'
                    | '预'
                    | '目'
                    | '力'
                    | '确'
                    | '争'
                    | '锚'
                    | '将'
                    | '拟'
                    | '望'
                    | '月'
            )
    })
}

/// Extracts the statements of one document.
pub fn extract(source: SourceFile, options: &ExtractOptions) -> Extraction {
    extract_with(source, options, IndicatorTable::default_table())
}

/// Extracts with a given indicator table.
pub fn extract_with(
    source: SourceFile,
    options: &ExtractOptions,
    table: &IndicatorTable,
) -> Extraction {
    set_call_limit();
    let doc = Document::new(source);
    let text = doc.norm.text.as_str();
    let (date, date_range) = match options.date {
        Some(d) => (Some(d), None),
        None => match period::find_document_date(text) {
            Some((d, r)) => (Some(d), Some(r)),
            None => (None, None),
        },
    };
    let sm0 = doc.span_maker();
    let doc_date = date.map(|d| DocDate {
        date: d,
        source: if date_range.is_some() {
            "text".into()
        } else {
            "option".into()
        },
        span: date_range.clone().map(|r| sm0.span(r)),
    });
    // Page furniture (menus, footers, advertising) is not read: not as the title,
    // not for the document's place, not for statements.
    let furniture = |para: &Paragraph| {
        let (ps, pe) = (
            doc.norm.to_source(para.range.start),
            doc.norm.to_source(para.range.end),
        );
        doc.source
            .furniture
            .iter()
            .any(|f| f.start < pe && ps < f.end)
    };
    let title = doc
        .paragraphs
        .iter()
        .find(|p| !furniture(p))
        .map_or("", |p| &text[p.range.clone()]);
    let clause_starts = doc
        .paragraphs
        .iter()
        .filter(|p| !furniture(p))
        .flat_map(|p| p.sentences.iter())
        .flat_map(|s| s.clauses.iter())
        .map(|c| &text[c.clone()]);
    let doc_scope = scope::document_scope(clause_starts, title);
    let mut asm = assemble::Assembler::new(table, doc_scope.clone(), date);
    // One token buffer for every sentence (a token is large; see `scan::scan_into`).
    let mut tokens = Vec::new();
    for para in &doc.paragraphs {
        if furniture(para) {
            continue;
        }
        let heading = para.heading.as_ref().map(|h| {
            (
                h.level,
                &text[h.title.clone()],
                sm0.span(h.marker.start..h.title.end),
            )
        });
        let enumerated = para.heading.as_ref().is_some_and(|h| h.level >= 2)
            || para
                .markers
                .first()
                .is_some_and(|m| m.range.start == para.range.start);
        asm.begin_paragraph(heading, enumerated);
        for sentence in &para.sentences {
            let s = &text[sentence.range.clone()];
            if !is_candidate(s) {
                asm.sentence(&sm0, text, sentence, &[]);
                continue;
            }
            let sm = SpanMaker {
                base: sentence.range.start,
                ..doc.span_maker()
            };
            let failed = scan::scan_into(s, &sm, &mut tokens);
            if failed {
                asm.unread.push(sm0.span(sentence.range.clone()));
            }
            asm.sentence(&sm0, text, sentence, &tokens);
        }
    }
    let (statements, enumerations, mut unread) = asm.finish(&sm0, text);
    unread.sort_by_key(|s| s.start);
    unread.dedup();
    let facts = FileFacts {
        path: doc.source.path.clone(),
        date: doc_date,
        encoding: doc.source.encoding.to_owned(),
        scope: doc_scope,
        statements,
        enumerations,
        unread,
    };
    Extraction { doc, facts }
}
