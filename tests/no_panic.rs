//! Arbitrary text in the characters reports are made of never makes extraction
//! panic, and every span it returns lies on character boundaries of the input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::extract::{ExtractOptions, extract};
use jiaohe::load::SourceFile;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "示例市",
    "全市",
    "全省",
    "规上工业增加值",
    "同比",
    "增长",
    "下降",
    "收窄",
    "个百分点",
    "%",
    "亿元",
    "万元",
    "家",
    "个",
    "其中",
    "分别",
    "、",
    "，",
    "。",
    "；",
    "：",
    "居",
    "第",
    "位",
    "占",
    "比重",
    "达到",
    "以上",
    "近",
    "约",
    "余",
    "力争",
    "预计",
    "1—9月",
    "2025年",
    "去年",
    "一季度",
    "“十四五”期间",
    "12.5",
    "3",
    "0",
    "100",
    "1,234",
    "两",
    "三",
    "十",
    "百",
    "千",
    "万",
    "亿",
    "中有",
    "均",
    "翻一番",
    "实现转正",
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    "\n",
    "\r\n",
    " ",
    "５",
    "％",
    "一、",
    "（一）",
    "1.",
    "一是",
    "其他",
    "等",
    "共",
    "总数",
    "新增",
    ":",
    "9.8:50.1:40.1",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn extraction_never_panics(s in text()) {
        let ex = extract(SourceFile::from_text("p.txt", s.clone()), &ExtractOptions::default());
        for st in ex.facts.all_statements() {
            prop_assert!(s.is_char_boundary(st.span.start) && s.is_char_boundary(st.span.end));
            prop_assert!(st.span.start <= st.span.end && st.span.end <= s.len());
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(s in "\\PC{0,200}") {
        let _ = extract(SourceFile::from_text("p.txt", s), &ExtractOptions::default());
    }
}
