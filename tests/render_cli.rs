//! `jiaohe render` and `jiaohe init` from the command line: output files and
//! formats, overwrite refusal, the self-check stop and `--allow-errors`,
//! `--each`, data from CSV, Excel and `extract` output, a user's template with
//! `include`, missing fields, and Word files (converted to PDF by LibreOffice
//! when it is installed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};

fn jiaohe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const ANNUAL: &str = "examples/render/shili-2025.yaml";
const COUNTIES: &str = "examples/render/counties-2025-q3.csv";

fn p(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn output_file_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = p(dir.path(), "draft.txt");
    let o = jiaohe(&["render", ANNUAL, "-o", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(first.contains("示例市2025年工业经济发展综述"), "{first}");
    assert!(stderr(&o).contains("由其他数字算出"), "{}", stderr(&o));
    std::fs::write(&out, "旧稿").unwrap();
    let o = jiaohe(&["render", ANNUAL, "-o", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "旧稿");
    let o = jiaohe(&["render", ANNUAL, "-o", &out, "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
}

#[test]
fn text_formats_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, needles) in [
        ("txt", &["一、运行总体情况", "指标"][..]),
        ("md", &["# 稳中求进", "## 一、运行总体情况", "|---"][..]),
        (
            "html",
            &[
                "<!DOCTYPE html>",
                "<h2>一、运行总体情况</h2>",
                "<table>",
                "</html>",
            ][..],
        ),
    ] {
        let out = p(dir.path(), &format!("draft.{ext}"));
        let o = jiaohe(&["render", ANNUAL, "-o", &out]);
        assert_eq!(o.status.code(), Some(0), "{ext}: {}", stderr(&o));
        let text = std::fs::read_to_string(&out).unwrap();
        for n in needles {
            assert!(text.contains(n), "{ext} lacks {n}:\n{text}");
        }
    }
    let o = jiaohe(&["render", ANNUAL, "-f", "md"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("# 稳中求进"), "{}", stdout(&o));
    let o = jiaohe(&["render", ANNUAL, "-o", &p(dir.path(), "draft.pdf")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format"), "{}", stderr(&o));
}

fn docx_part(path: &str, part: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).expect("a docx is a zip archive");
    let mut s = String::new();
    z.by_name(part)
        .unwrap_or_else(|_| panic!("{part} in {path}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn libreoffice() -> Option<&'static str> {
    ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn word_file_has_headings_paragraphs_and_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = p(dir.path(), "draft.docx");
    let o = jiaohe(&["render", ANNUAL, "-o", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = docx_part(&out, "word/document.xml");
    assert!(doc.contains("<w:tbl>"), "no table");
    assert!(doc.contains("w:val=\"Heading1\""), "no level-1 heading");
    assert!(doc.contains("w:val=\"Title\""), "no title");
    assert!(doc.contains("一、运行总体情况"));
    assert!(doc.contains("同比增长8.6%"));
    for part in ["[Content_Types].xml", "_rels/.rels", "word/styles.xml"] {
        assert!(!docx_part(&out, part).is_empty(), "{part}");
    }
    // docx needs a file: not to stdout.
    let o = jiaohe(&["render", ANNUAL, "-f", "docx"]);
    assert_eq!(o.status.code(), Some(2));
    match libreoffice() {
        None => {
            assert!(
                std::env::var_os("JIAOHE_REQUIRE_LIBREOFFICE").is_none(),
                "JIAOHE_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed"
            );
            println!("注意：未安装 LibreOffice（libreoffice/soffice），跳过 docx → pdf 转换检查")
        }
        Some(bin) => {
            let o = Command::new(bin)
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(dir.path())
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            let pdf = std::fs::read(dir.path().join("draft.pdf")).expect("pdf written");
            assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        }
    }
}

/// Data whose given figures contradict each other: 120 is not 10% above 100.
const CONTRADICTORY: &str = "report:
  region: 示例市
  year: 2025
  date: 2026-01-10
  slogan: 稳中求进
  sections: []
  outlook: {year: 2026}
indicators:
  - group: headline
    name: 规模以上工业总产值
    value: 120
    unit: 亿元
    prev: 100
    growth: 10
";

#[test]
fn contradictions_stop_the_render_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let data = p(dir.path(), "d.yaml");
    std::fs::write(&data, CONTRADICTORY).unwrap();
    let out = p(dir.path(), "d.txt");
    let o = jiaohe(&["render", &data, "-t", "annual-review", "-o", &out]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("未写出"), "{}", stderr(&o));
    assert!(stderr(&o).contains("规模以上工业总产值"), "{}", stderr(&o));
    assert!(!Path::new(&out).exists());
    let o = jiaohe(&[
        "render",
        &data,
        "-t",
        "annual-review",
        "-o",
        &out,
        "--allow-errors",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    // The given growth is written as given, not silently replaced.
    assert!(text.contains("增长10%"), "{text}");
}

#[test]
fn each_scope_writes_one_file_per_county() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = format!("{}/", p(dir.path(), "drafts"));
    let o = jiaohe(&["render", COUNTIES, "--each", "scope", "-o", &outdir]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(COUNTIES).unwrap();
    let mut scopes: Vec<&str> = csv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("scope,"))
        .filter_map(|l| l.split(',').next())
        .filter(|s| !s.is_empty())
        .collect();
    scopes.dedup();
    assert!(scopes.len() >= 3, "{scopes:?}");
    for s in &scopes {
        let f = dir.path().join("drafts").join(format!("{s}.txt"));
        let text = std::fs::read_to_string(&f).unwrap_or_else(|_| panic!("{}", f.display()));
        assert!(text.starts_with(&format!("{s}2025年")), "{text}");
        // One county's file names no other county.
        for other in scopes.iter().filter(|o| *o != s && !s.contains(**o)) {
            assert!(!text.contains(other), "{s} mentions {other}");
        }
    }
    // Again: refused, then forced.
    let o = jiaohe(&["render", COUNTIES, "--each", "scope", "-o", &outdir]);
    assert_eq!(o.status.code(), Some(2));
    let o = jiaohe(&[
        "render", COUNTIES, "--each", "scope", "-o", &outdir, "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // To stdout: one section per county.
    let o = jiaohe(&["render", COUNTIES, "--each", "scope"]);
    assert_eq!(stdout(&o).matches("===== ").count(), scopes.len());
}

/// A minimal .xlsx (inline strings) with a `report` sheet and an `indicators`
/// sheet.
fn write_xlsx(path: &Path, report: &[[&str; 2]], rows: &[Vec<&str>]) {
    fn sheet(rows: &[Vec<&str>]) -> String {
        let mut s = String::from(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            s.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, v) in row.iter().enumerate() {
                let col = char::from(b'A' + u8::try_from(c).unwrap());
                let at = format!("{col}{}", r + 1);
                if v.is_empty() {
                    continue;
                }
                if v.parse::<f64>().is_ok() {
                    s.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
                } else {
                    s.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#
                    ));
                }
            }
            s.push_str("</row>");
        }
        s.push_str("</sheetData></worksheet>");
        s
    }
    let report_rows: Vec<Vec<&str>> = report.iter().map(|r| r.to_vec()).collect();
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="report" sheetId="1" r:id="rId1"/><sheet name="indicators" sheetId="2" r:id="rId2"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet(&report_rows)),
        ("xl/worksheets/sheet2.xml", sheet(rows)),
    ];
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    for (name, body) in files {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn excel_and_csv_give_the_same_draft() {
    let dir = tempfile::tempdir().unwrap();
    let csv_text = "# template: quarterly-brief\n# year: 2025\n# period: 1-6月\n# date: 2025-07-15\n\
                    scope,name,value,unit,prev,growth,rank_scope,rank_pos\n\
                    示例县,规上工业增加值,,,,7.4,全市,2\n\
                    示例县,规模以上工业总产值,86.5,亿元,80.1,,,\n";
    let csv = p(dir.path(), "d.csv");
    std::fs::write(&csv, csv_text).unwrap();
    let xlsx = dir.path().join("d.xlsx");
    write_xlsx(
        &xlsx,
        &[
            ["template", "quarterly-brief"],
            ["year", "2025"],
            ["period", "1-6月"],
            ["date", "2025-07-15"],
        ],
        &[
            vec![
                "scope",
                "name",
                "value",
                "unit",
                "prev",
                "growth",
                "rank_scope",
                "rank_pos",
            ],
            vec!["示例县", "规上工业增加值", "", "", "", "7.4", "全市", "2"],
            vec![
                "示例县",
                "规模以上工业总产值",
                "86.50000000000001", // binary noise of a formula cell
                "亿元",
                "80.1",
                "",
                "",
                "",
            ],
        ],
    );
    let a = jiaohe(&["render", &csv, "--each", "scope"]);
    let b = jiaohe(&["render", xlsx.to_str().unwrap(), "--each", "scope"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let text = stdout(&b);
    assert!(text.contains("居全市第2位"), "{text}");
    assert!(text.contains("86.5亿元，同比增长8.0%"), "{text}");
    assert_eq!(stdout(&a), text);
    // A bad number in the sheet is named with its place.
    write_xlsx(
        &xlsx,
        &[["year", "2025"]],
        &[
            vec!["name", "value", "unit"],
            vec!["规模以上工业总产值", "八十", "亿元"],
        ],
    );
    let o = jiaohe(&["render", xlsx.to_str().unwrap(), "-t", "quarterly-brief"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("indicators") && stderr(&o).contains("八十"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn last_years_report_through_extract_renders_again() {
    let dir = tempfile::tempdir().unwrap();
    let last = "examples/shili-2025-review.txt";
    let o = jiaohe(&["extract", last, "--format", "yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let data = p(dir.path(), "last.yaml");
    std::fs::write(&data, &o.stdout).unwrap();
    let o = jiaohe(&["render", &data, "-t", "quarterly-brief"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for needle in [
        "示例市2025年",
        "规模以上工业总产值1286.4亿元，同比增长8.6%",
        "居全省第3位",
        "工业投资同比增长12.4%",
        "力争规上工业增加值增长8%以上",
    ] {
        assert!(text.contains(needle), "lacks {needle}:\n{text}");
    }
}

#[test]
fn missing_field_names_field_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = p(dir.path(), "d.yaml");
    let yaml = std::fs::read_to_string(ANNUAL)
        .unwrap()
        .replace("  slogan: 稳中求进 量质齐升\n", "");
    std::fs::write(&data, yaml).unwrap();
    let o = jiaohe(&["render", &data]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("数据缺少字段“slogan”"), "{e}");
    assert!(e.contains("模板 annual-review 第"), "{e}");
    assert!(e.contains("{{ slogan }}"), "{e}");
    assert!(o.stdout.is_empty());
}

#[test]
fn users_template_includes_from_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("head.j2"),
        "# {{ region }}{{ year }}年工业简况\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mine.j2"),
        "{% include \"head.j2\" %}\n{{ ind.output | stmt }}。\n",
    )
    .unwrap();
    let o = jiaohe(&["render", ANNUAL, "-t", &p(dir.path(), "mine.j2")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("示例市2025年工业简况"), "{text}");
    assert!(text.contains("1286.4亿元"), "{text}");
    // Outside the folder: refused.
    std::fs::write(
        dir.path().join("bad.j2"),
        "{% include \"../etc/passwd\" %}\n",
    )
    .unwrap();
    let o = jiaohe(&["render", ANNUAL, "-t", &p(dir.path(), "bad.j2")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("找不到模板"), "{}", stderr(&o));
}

#[test]
fn init_writes_data_and_template_that_render() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("new");
    let ds = d.display().to_string();
    let o = jiaohe(&["init", &ds, "-t", "work-summary-plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.join("work-summary-plan.j2").is_file());
    assert!(d.join("report-data.yaml").is_file());
    let o = jiaohe(&["init", &ds, "-t", "work-summary-plan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = jiaohe(&["init", &ds]);
    assert_eq!(o.status.code(), Some(2), "report-data.yaml exists");
    let o = jiaohe(&["init", &ds, "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The data names the copied template, which renders it.
    let o = jiaohe(&["render", &p(&d, "report-data.yaml")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("工业经济发展综述"));
    // Every template comes with example data it renders.
    for t in [
        "annual-review",
        "quarterly-brief",
        "work-summary-plan",
        "bulletin-industry",
    ] {
        let d2 = dir.path().join(t);
        let o = jiaohe(&["init", d2.to_str().unwrap(), "-t", t]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = jiaohe(&["render", &p(&d2, "report-data.yaml")]);
        assert_eq!(o.status.code(), Some(0), "{t}: {}", stderr(&o));
    }
    let o = jiaohe(&["init", &ds, "-t", "nonesuch"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("annual-review"), "{}", stderr(&o));
}

#[test]
fn self_check_error_in_the_prose_stops_the_render() {
    let dir = tempfile::tempdir().unwrap();
    // A template whose own wording contradicts itself: 120 and 100 for one figure.
    let tpl = p(dir.path(), "bad.j2");
    std::fs::write(
        &tpl,
        "{{ region }}{{ year }}年规模以上工业总产值120亿元，上年为100亿元，同比增长50%。\n",
    )
    .unwrap();
    let out = p(dir.path(), "bad.txt");
    let o = jiaohe(&["render", ANNUAL, "-t", &tpl, "-o", &out]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("错误[A"), "{e}");
    assert!(e.contains("未写出"), "{e}");
    assert!(!Path::new(&out).exists());
    let o = jiaohe(&["render", ANNUAL, "-t", &tpl, "-o", &out, "--allow-errors"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().contains("120亿元"));
}
