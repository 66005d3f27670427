//! jiaohe (校核): extract and check the figures in Chinese government economic reports.
//!
//! # Brief overview
//!
//! The pipeline has one module per stage:
//! - [`load`]: bytes → decoded text ([`load::SourceFile`]), encodings detected;
//! - [`segment`]: text → paragraphs, sentences, clauses, headings;
//! - [`extract`]: the pest grammar and the assembler → [`extract::Statement`]s;
//! - [`report`]: line index and output formats.
//!
//! The binary (`src/main.rs`) only parses arguments and calls [`cli::run`].

pub mod batch;
pub mod check;
pub mod cli;
pub mod eval;
pub mod extract;
pub mod load;
pub mod render;
pub mod report;
pub mod segment;
pub mod serve;
pub mod walk;

/// The allocator of every program built on the library. Extraction makes many small,
/// short-lived allocations (the parser's state, pairs, strings of facts); mimalloc
/// serves them markedly faster than the system allocator (`cargo bench --bench
/// extract`, README “Speed”).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
