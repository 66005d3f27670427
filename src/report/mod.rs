//! Reporting: positions and output formats.

pub mod extract_out;
pub mod line_index;
