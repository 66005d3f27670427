//! Debug helper: prints sentences, clauses and tokens of a file.
use pest::Parser;
use jiaohe::extract::{ReportParser, Rule, Document, build};
fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = jiaohe::load::load_path(&path).unwrap();
    let doc = Document::new(src);
    let text = &doc.norm.text;
    for p in &doc.paragraphs {
        for s in &p.sentences {
            println!("S {:?}", &text[s.range.clone()]);
            for c in &s.clauses { println!("  C {:?} {:?}", c, &text[c.clone()]); }
            let sm = build::SpanMaker { base: s.range.start, ..doc.span_maker() };
            if let Ok(mut pairs) = ReportParser::parse(Rule::sentence, &text[s.range.clone()]) {
                for pair in pairs.next().unwrap().into_inner() {
                    if let Ok(Some(t)) = build::build_token(pair, &sm) { println!("    T {:?} {:?}", t.range, &text[t.range.clone()]); }
                }
            }
        }
    }
}
