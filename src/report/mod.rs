//! Reporting: positions and output formats.

pub mod line_index;
pub mod extract_out;
