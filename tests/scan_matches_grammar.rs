//! The fast scanner (`src/extract/scan.rs`) must find exactly the tokens that the
//! grammar's own `sentence` rule finds. Checked on invented sentences here and on
//! every sentence of the shared corpus when it is present.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use jiaohe::extract::build::SpanMaker;
use jiaohe::extract::{Document, scan};
use jiaohe::load::SourceFile;

fn check_document(doc: &Document) -> usize {
    let text = &doc.norm.text;
    let mut sentences = 0;
    for para in &doc.paragraphs {
        for s in &para.sentences {
            let sm = SpanMaker {
                base: s.range.start,
                ..doc.span_maker()
            };
            let sentence = &text[s.range.clone()];
            let fast = scan::scan(sentence, &sm);
            let Some(reference) = scan::scan_reference(sentence, &sm) else {
                continue;
            };
            assert_eq!(fast, reference, "{}: {sentence}", doc.source.path);
            sentences += 1;
        }
    }
    sentences
}

#[test]
fn invented_sentences() {
    let text = "2025年1—9月，示例市规上工业增加值同比增长8.5%，增速比上半年加快0.6个百分点，居全省第2位。\
其中，制造业增长9.1%；“十四五”期间累计新增企业120家，占全市比重达到31.5%以上。\
索引号：0123/2025-0001，电话027-12345678，鄂ICP备123号，5G基站300个，结构为9.8:50.1:40.1。\
甲、乙、丙分别增长5.1%、6.2%和7.3%，31个行业中有22个行业增长，亿元以上项目17个，三大园区。";
    let doc = Document::new(SourceFile::from_text("invented.txt", text));
    assert!(check_document(&doc) >= 4);
}

#[test]
fn corpus_sentences() {
    let corpus = Path::new("../shared/corpus");
    if !corpus.is_dir() {
        println!("跳过：找不到 {}", corpus.display());
        return;
    }
    let mut total = 0;
    for sub in ["seeds", "real"] {
        let Ok(rd) = std::fs::read_dir(corpus.join(sub)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        {
            let src = jiaohe::load::load_path(p.to_str().unwrap_or_default())
                .expect("corpus file readable");
            total += check_document(&Document::new(src));
        }
    }
    println!("{total} sentences compared");
    assert!(total > 1000);
}
