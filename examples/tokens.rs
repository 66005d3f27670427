//! Debug helper: prints the grammar's pairs for a sentence given on the command line.
use pest::Parser;
use jiaohe::extract::{ReportParser, Rule};
fn main() {
    let s = std::env::args().nth(1).unwrap_or_default();
    match ReportParser::parse(Rule::sentence, &s) {
        Ok(pairs) => {
            for p in pairs.flatten() {
                if p.as_rule() != Rule::sentence {
                    println!("{:?} {:?}", p.as_rule(), p.as_str());
                }
            }
        }
        Err(e) => println!("{e}"),
    }
}
