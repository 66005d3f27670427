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
pub mod report;
pub mod segment;
pub mod serve;
pub mod walk;
