//! Table checks: Markdown pipe tables, CSV and xlsx files, Word and web-page tables,
//! through the whole default
//! rule set and every output format.
//!
//! - `tests/fixtures/tables/wrong.md` holds one table per mistake (a wrong 合计 row, a
//!   wrong 合计 column, a growth rate off, a share off, a unit slip, mixed units);
//!   `right.md` holds correct tables of every shape the model reads (top and bottom
//!   totals, `其中` rows, numbered and unmarked second levels, sections, 小计) plus
//!   aligned text that is not a table, and must be silent; `sheet.csv` is a CSV with a
//!   wrong total. The concise and JSON outputs are snapshots.
//! - An xlsx workbook is generated here with `rust_xlsxwriter`, a Word document with
//!   `zip` (a merged two-row header, a `单位：万元` line, a wrong 合计 row, and a correct
//!   table with a 总计 row, a `其中` row and a share column).
//! - `tables.html` is a 示例市 web page with furniture and three tables (a wrong 合计
//!   row, a share within each row that is off, a correct 总计 table).
//! - Properties: a generated table whose total is the rounded sum of its parts never
//!   fires; moving one cell by more than the rounding allows always fires.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::{SourceFile, load_bytes};
use jiaohe::report::{FileReport, Summary, concise, json};
use proptest::prelude::*;

fn rules() -> &'static RuleSet {
    static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| RuleSet::defaults().expect("default packs load"))
}

fn run(sf: SourceFile) -> FileReport {
    let set = rules();
    let ex = extract_with(sf, &ExtractOptions::default(), &set.table);
    check(set, &ex)
}

fn fixture(name: &str) -> FileReport {
    let path = format!("tests/fixtures/tables/{name}");
    let bytes = std::fs::read(&path).expect("fixture readable");
    run(load_bytes(name, &bytes).expect("fixture loads"))
}

fn json_of(r: &FileReport) -> String {
    json::render(
        std::slice::from_ref(r),
        &[],
        &Summary::of(std::slice::from_ref(r), 0),
    )
}

fn rule_ids(r: &FileReport) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.rule.as_str()).collect()
}

#[test]
fn wrong_markdown_tables() {
    let r = fixture("wrong.md");
    assert_eq!(
        rule_ids(&r),
        vec![
            "A140", "A141", "A143", "A144", "A142", "A145", "A146", "A147"
        ]
    );
    // Every finding names the cell the way a reader finds it, in its place (the
    // message itself does not repeat it).
    for d in &r.diagnostics {
        assert!(!d.message.starts_with('表'), "{}", d.message);
        assert!(
            d.place.as_deref().is_some_and(|p| p.starts_with('表')),
            "{d:?}"
        );
    }
    insta::assert_snapshot!(
        "wrong_md_concise",
        concise::render(std::slice::from_ref(&r))
    );
    insta::assert_snapshot!("wrong_md_json", json_of(&r));
}

#[test]
fn right_markdown_tables_are_silent() {
    let r = fixture("right.md");
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    // The file has six tables, all read; the aligned lines after them are not one.
    let bytes = std::fs::read("tests/fixtures/tables/right.md").expect("fixture");
    let sf = load_bytes("right.md", &bytes).expect("loads");
    assert_eq!(sf.tables.len(), 6);
    let models: Vec<_> = sf
        .tables
        .iter()
        .filter_map(|t| jiaohe::check::table_model::TableModel::new(t, &sf.text))
        .collect();
    assert_eq!(models.len(), 6);
}

#[test]
fn csv_with_a_wrong_total() {
    let r = fixture("sheet.csv");
    assert_eq!(rule_ids(&r), vec!["A140", "A143"]);
    // Both findings point at the one cell that explains them.
    for d in &r.diagnostics {
        assert_eq!(d.place.as_deref(), Some("第5行第3列"), "{d:?}");
        assert!(
            d.suggestion
                .as_deref()
                .is_some_and(|s| s.starts_with("“10821万元”可能应为“10721万元”")),
            "{d:?}"
        );
    }
    insta::assert_snapshot!(
        "sheet_csv_concise",
        concise::render(std::slice::from_ref(&r))
    );
    insta::assert_snapshot!("sheet_csv_json", json_of(&r));
}

fn workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("工业").unwrap();
    let rows: &[(&str, f64, f64)] = &[
        ("甲区", 321.4, 12.0),
        ("乙区", 208.7, 8.0),
        ("丙区", 150.2, 5.0),
        ("合计", 689.3, 25.0),
    ];
    ws.write_string(0, 0, "地区").unwrap();
    ws.write_string(0, 1, "产值（亿元）").unwrap();
    ws.write_string(0, 2, "企业数（家）").unwrap();
    for (i, (name, v, n)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *name).unwrap();
        ws.write_number(r, 1, *v).unwrap();
        ws.write_number(r, 2, *n).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("财政").unwrap();
    // Starts at B2: row and column numbers still count from A1.
    ws.write_string(1, 1, "指标").unwrap();
    ws.write_string(1, 2, "上年同期").unwrap();
    ws.write_string(1, 3, "本期").unwrap();
    ws.write_string(1, 4, "增长%").unwrap();
    ws.write_string(2, 1, "税收收入（亿元）").unwrap();
    ws.write_number(2, 2, 60.0).unwrap();
    ws.write_number(2, 3, 66.0).unwrap();
    ws.write_number(2, 4, 10.0).unwrap();
    ws.write_string(3, 1, "非税收入（亿元）").unwrap();
    ws.write_number(3, 2, 20.0).unwrap();
    ws.write_number(3, 3, 19.0).unwrap();
    ws.write_number(3, 4, -5.0).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_sheets_are_tables() {
    let bytes = workbook();
    let sf = load_bytes("示例.xlsx", &bytes).expect("workbook loads");
    assert_eq!(sf.tables.len(), 2);
    assert_eq!(sf.tables[0].label, "工业");
    assert_eq!(sf.tables[1].rows[3][4].text, "-5");
    // Every cell's range holds its text, so spans stay valid.
    for t in &sf.tables {
        for row in &t.rows {
            for c in row {
                assert_eq!(&sf.text[c.range.clone()], c.text);
            }
        }
    }
    let r = run(sf);
    assert_eq!(rule_ids(&r), vec!["A140"]);
    assert_eq!(r.diagnostics[0].place.as_deref(), Some("工业 第4行第2列"));
    insta::assert_snapshot!("xlsx_concise", concise::render(std::slice::from_ref(&r)));
}

#[test]
fn other_formats_carry_the_cell() {
    let bytes = std::fs::read("tests/fixtures/tables/sheet.csv").expect("fixture");
    let sf = load_bytes("sheet.csv", &bytes).expect("loads");
    let text = sf.text.clone();
    let r = run(sf);
    let sarif = jiaohe::report::sarif::render(std::slice::from_ref(&r), &[&text], rules());
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert!(sarif.contains("第5行第3列"), "{sarif}");
    let human = jiaohe::report::human::render(
        &[jiaohe::report::human::WithText {
            report: &r,
            text: &text,
        }],
        &Summary::of(std::slice::from_ref(&r), 0),
        jiaohe::report::human::Style {
            color: false,
            width: 100,
        },
    );
    assert!(
        human.contains("位置") && human.contains("第5行第3列"),
        "{human}"
    );
}

#[test]
fn cli_checks_a_table_file() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["check", "-f", "concise", "tests/fixtures/tables/sheet.csv"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("A140") && stdout.contains("第5行第3列"),
        "{stdout}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(["check", "-f", "concise", "tests/fixtures/tables/right.md"])
        .output()
        .expect("the binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn html_tables_are_checked() {
    let r = fixture("tables.html");
    let found: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.clone(), d.place.clone().unwrap_or_default()))
        .collect();
    let want = [
        ("A140", "表1 第6行第3列"),
        ("A143", "表1 第6行第3列"),
        ("A145", "表2 第4行第5列"),
    ];
    assert_eq!(
        found,
        want.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{found:?}"
    );
    // Lines and columns point into the HTML source: the 合计 cell `27600`.
    let src = std::fs::read_to_string("tests/fixtures/tables/tables.html").expect("fixture");
    let d = &r.diagnostics[0];
    assert_eq!(&src[d.span.start..d.span.end], "27600");
    // The unit came from the caption, the share's whole from the row's 合计 column.
    assert!(r.diagnostics[0].message.contains("27600万元"), "{r:?}");
    assert!(r.diagnostics[2].message.contains("“合计”0.63亿元"), "{r:?}");
    insta::assert_snapshot!("html_concise", concise::render(std::slice::from_ref(&r)));
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A Word table cell: `text`, spanning `span` grid columns; `merge` is `Some(true)`
/// to start a vertical merge and `Some(false)` to continue one.
fn wcell(text: &str, span: u32, merge: Option<bool>) -> String {
    let mut pr = String::new();
    if span > 1 {
        pr += &format!("<w:gridSpan w:val=\"{span}\"/>");
    }
    match merge {
        Some(true) => pr += "<w:vMerge w:val=\"restart\"/>",
        Some(false) => pr += "<w:vMerge/>",
        None => {}
    }
    format!("<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>", para(text))
}

fn wrow(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn wtable(rows: &[String]) -> String {
    format!(
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

/// A minimal Word document holding `body`.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in [
            ("[Content_Types].xml", content_types.to_owned()),
            ("_rels/.rels", rels.to_owned()),
            ("word/document.xml", document),
        ] {
            z.start_file(name, opts).expect("zip entry");
            z.write_all(data.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}

/// An invented 示例市 draft: a revenue table whose 合计 row is wrong (with a merged
/// two-row header, the unit in a `单位：万元` line above it), and a correct spending
/// table with a 总计 row, a `其中` row and a share column.
fn draft(total: &str) -> Vec<u8> {
    let c = |t: &str| wcell(t, 1, None);
    let mut b = String::new();
    b += &para("示例市2025年前三季度各区财政收入情况如下。");
    b += &para("表1 各区一般公共预算收入");
    b += &para("单位：万元");
    b += &wtable(&[
        wrow(&[
            wcell("地区", 1, Some(true)),
            wcell("收入", 2, None),
            wcell("增长%", 1, Some(true)),
        ]),
        wrow(&[
            wcell("", 1, Some(false)),
            c("2024年前三季度"),
            c("2025年前三季度"),
            wcell("", 1, Some(false)),
        ]),
        wrow(&[c("甲区"), c("12000"), c("12900"), c("7.5")]),
        wrow(&[c("乙区"), c("8000"), c("8400"), c("5.0")]),
        wrow(&[c("丙区"), c("5000"), c("5300"), c("6.0")]),
        wrow(&[c("合计"), c("25000"), c(total), c("6.4")]),
    ]);
    b += &para("表2 各区一般公共预算支出（单位：万元）");
    b += &wtable(&[
        wrow(&[c("地区"), c("支出"), c("占比%"), c("备注")]),
        wrow(&[c("总计"), c("40000"), c("100.0"), c("")]),
        wrow(&[c("甲区"), c("22000"), c("55.0"), c("")]),
        wrow(&[c("其中：示例镇"), c("6000"), c("15.0"), c("")]),
        wrow(&[c("乙区"), c("18000"), c("45.0"), c("")]),
    ]);
    b += &para("全年财政运行总体平稳。");
    docx(&b)
}

#[test]
fn docx_tables_are_checked() {
    let sf = load_bytes("示例市财政.docx", &draft("26600")).expect("docx loads");
    assert_eq!(sf.tables.len(), 2);
    assert_eq!(
        sf.tables[0].caption.as_deref(),
        Some("表1 各区一般公共预算收入 单位：万元")
    );
    let right = run(sf);
    assert!(right.diagnostics.is_empty(), "{:?}", right.diagnostics);

    let sf = load_bytes("示例市财政.docx", &draft("27600")).expect("docx loads");
    let text = sf.text.clone();
    let r = run(sf);
    let found: Vec<(&str, Option<&str>)> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.place.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("A140", Some("表1 第6行第3列")),
            ("A143", Some("表1 第6行第3列"))
        ]
    );
    // Spans are valid in the extracted text and hold the 合计 cell.
    assert_eq!(
        &text[r.diagnostics[0].span.start..r.diagnostics[0].span.end],
        "27600"
    );
    assert!(
        r.diagnostics[0]
            .suggestion
            .as_deref()
            .is_some_and(|s| s.contains("26600")),
        "{:?}",
        r.diagnostics[0]
    );
    insta::assert_snapshot!("docx_concise", concise::render(std::slice::from_ref(&r)));
}

/// A Markdown table of `parts` (written with `decimals` places) and a 合计 row.
fn table(parts: &[i64], total: i64, decimals: u32) -> String {
    let w = |v: i64| {
        let d = rust_decimal::Decimal::new(v, decimals);
        format!("{d:.0$}", decimals as usize)
    };
    let mut s = String::from("| 地区 | 产值（万元） |\n|---|---:|\n");
    for (i, p) in parts.iter().enumerate() {
        s.push_str(&format!("| 示例{}区 | {} |\n", i + 1, w(*p)));
    }
    s.push_str(&format!("| 合计 | {} |\n", w(total)));
    s
}

fn fires_total(text: &str) -> bool {
    run(SourceFile::from_text("p.md", text))
        .diagnostics
        .iter()
        .any(|d| d.rule == "A140")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Parts are exact values rounded to `decimals` places; the total is the exact sum
    /// rounded the same way: always within rounding, never reported.
    #[test]
    fn rounded_sum_never_fires(
        exact in prop::collection::vec(1_000i64..5_000_000, 2..8),
        decimals in 0u32..3,
    ) {
        // Exact values carry three more places than are written.
        let scale = 10i64.pow(3);
        let round = |v: i64| (v + scale / 2).div_euclid(scale);
        let parts: Vec<i64> = exact.iter().map(|v| round(*v)).collect();
        let total = round(exact.iter().sum());
        let t = table(&parts, total, decimals);
        prop_assert!(!fires_total(&t), "{t}");
    }

    /// One cell moved by more than the rounding of all the figures together is always
    /// reported.
    #[test]
    fn moved_cell_always_fires(
        parts in prop::collection::vec(1_000i64..5_000_000, 2..8),
        decimals in 0u32..3,
        which in 0usize..8,
        up in any::<bool>(),
    ) {
        let total: i64 = parts.iter().sum();
        // n + 1 figures each within half a unit of the last place: the sum may be off
        // by (n + 1) / 2 units; move by one more.
        let delta = parts.len() as i64 + 2;
        let delta = if up { delta } else { -delta };
        let mut parts = parts;
        let mut total = total;
        let k = which % (parts.len() + 1);
        if k == parts.len() {
            total += delta;
        } else {
            parts[k] += delta;
        }
        let t = table(&parts, total, decimals);
        prop_assert!(fires_total(&t), "{t}");
    }

    /// Tables of arbitrary cells never make the checker panic.
    #[test]
    fn arbitrary_tables_do_not_panic(
        cells in prop::collection::vec(
            prop::sample::select(vec![
                "合计", "小计", "全市", "其中：甲", "一、工业", "（一）农业", "甲区", "", "—",
                "12.5", "-3.2", "0", "1,234.5", "8.5%", "3.2亿元", "增长%", "占比%",
                "上年同期", "2025年", "单位", "万元", "%", "  ", "#乙", "1430000",
            ]),
            4..40,
        ),
        width in 2usize..6,
    ) {
        let mut s = String::from("单位：万元\n");
        for (i, row) in cells.chunks(width).enumerate() {
            s.push('|');
            for c in row {
                s.push_str(&format!(" {c} |"));
            }
            s.push('\n');
            if i == 0 {
                s.push('|');
                for _ in row {
                    s.push_str("---|");
                }
                s.push('\n');
            }
        }
        let r = run(SourceFile::from_text("n.md", s.clone()));
        for d in &r.diagnostics {
            prop_assert!(d.span.end <= s.len());
            prop_assert!(s.is_char_boundary(d.span.start) && s.is_char_boundary(d.span.end));
        }
    }
}
