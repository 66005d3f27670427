//! Debug helper: prints one line per extracted figure (line, kind, figure, indicator,
//! period, target) — the shape of the gold files under tests/gold/.

#![allow(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    for path in std::env::args().skip(1) {
        let src = jiaohe::load::load_path(&path).unwrap();
        let ex = jiaohe::extract::extract(src, &Default::default());
        for f in jiaohe::eval::facts(&ex.facts) {
            println!("{}", f.to_tsv());
        }
    }
}
