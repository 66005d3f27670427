//! Documents as users have them (issue 5): Word files and web pages.
//!
//! The Word document is built here, part by part, from invented XML (paragraphs, a
//! heading numbered through its style, a table with a wrong 合计 row, a tracked
//! deletion and insertion, a deleted table row, a comment), so no binary fixture is
//! committed. The web page is `fixtures/web/shili-2025-q1.html`: an invented 示例市
//! article inside navigation, breadcrumbs, a share widget, a related list, an
//! advertisement and a footer with copyright and ICP lines.
//!
//! Snapshots hold the extracted text and the extraction listing
//! (`jiaohe::eval::describe`), and `jiaohe check -f concise` output (places such as
//! `第3段` for Word, line and column in the HTML source for pages).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

use jiaohe::extract::{ExtractOptions, extract};
use jiaohe::load::{LoadOptions, SourceFile, load_bytes, load_bytes_with, load_path};

// ------------------------------------------------------------------ Word

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn styled(style: &str, text: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn numbered(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>\
         <w:r><w:t>{text}</w:t></w:r></w:p>"
    )
}

fn cell(text: &str, span: u32) -> String {
    let pr = if span > 1 {
        format!("<w:tcPr><w:gridSpan w:val=\"{span}\"/></w:tcPr>")
    } else {
        String::new()
    };
    format!("<w:tc>{pr}{}</w:tc>", p(text))
}

fn row(cells: &[(&str, u32)]) -> String {
    let cells: String = cells.iter().map(|(t, s)| cell(t, *s)).collect();
    format!("<w:tr>{cells}</w:tr>")
}

/// The body of the invented draft.
fn draft_body() -> String {
    let mut b = String::new();
    b += &styled("Title", "示例市2025年一季度经济运行简况");
    // A heading numbered through its style (Heading 1 is linked to list 1).
    b += &styled("1", "工业生产");
    // A tracked deletion (an old figure) and insertion (its correction), plus a
    // comment whose text must not be read.
    b += "<w:p><w:commentRangeStart w:id=\"0\"/>\
          <w:r><w:t xml:space=\"preserve\">一季度，全市规模以上工业增加值增长</w:t></w:r>\
          <w:del w:id=\"1\" w:author=\"审校\"><w:r><w:delText>8.8</w:delText></w:r></w:del>\
          <w:ins w:id=\"2\" w:author=\"审校\"><w:r><w:t>6.5</w:t></w:r></w:ins>\
          <w:r><w:t>%，比上年同期提高0.8个百分点。</w:t></w:r><w:commentRangeEnd w:id=\"0\"/>\
          <w:r><w:commentReference w:id=\"0\"/></w:r></w:p>";
    b += &p("全市签约项目20个，其中制造业项目13个，服务业项目9个。");
    // A level-2 heading numbered directly.
    b += &numbered(1, 1, "分行业情况");
    b += &p("表1 一季度分行业增加值");
    b += &p("单位：亿元");
    b += "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>\
          <w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>";
    b += &row(&[("行业", 1), ("一季度", 2)]);
    b += &row(&[("", 1), ("增加值", 1), ("增长（%）", 1)]);
    b += &row(&[("装备制造", 1), ("50.2", 1), ("5.1", 1)]);
    b += &row(&[("食品加工", 1), ("30.1", 1), ("7.2", 1)]);
    // A deleted row: it must not appear.
    b += "<w:tr><w:trPr><w:del w:id=\"3\" w:author=\"审校\"/></w:trPr>";
    b += &cell("纺织服装", 1);
    b += &cell("12.0", 1);
    b += &cell("2.0", 1);
    b += "</w:tr>";
    b += &row(&[("合计", 1), ("90.0", 1), ("6.0", 1)]);
    b += "</w:tbl>";
    b += &styled("1", "投资");
    b += &p("一季度，全市固定资产投资增长9.4%。");
    b += "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>";
    b
}

fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"{W}\">\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/>\
         <w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style>\
         </w:styles>"
    );
    let numbering = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"{W}\">\
         <w:abstractNum w:abstractNumId=\"0\">\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl>\
         <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%2）\"/></w:lvl>\
         </w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    let comments = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:comments xmlns:w=\"{W}\">\
         <w:comment w:id=\"0\" w:author=\"审校\"><w:p><w:r><w:t>此处应为增长99%，请核实。</w:t></w:r></w:p></w:comment>\
         </w:comments>"
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
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in [
            ("[Content_Types].xml", content_types.to_owned()),
            ("_rels/.rels", rels.to_owned()),
            ("word/document.xml", document),
            ("word/styles.xml", styles),
            ("word/numbering.xml", numbering),
            ("word/comments.xml", comments),
        ] {
            z.start_file(name, opts).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn listing(src: &SourceFile) -> String {
    let ex = extract(src.clone(), &ExtractOptions::default());
    let mut out = String::from("--- 文本 ---\n");
    out.push_str(&src.text);
    out.push_str("--- 位置 ---\n");
    for p in &src.places {
        out.push_str(&format!("{} {:?}\n", p.label, &src.text[p.range.clone()]));
    }
    out.push_str("--- 表格 ---\n");
    for t in &src.tables {
        out.push_str(&format!("{} 标题 {:?}\n", t.label, t.caption));
        for r in &t.rows {
            let cells: Vec<&str> = r.iter().map(|c| c.text.as_str()).collect();
            out.push_str(&format!("  {}\n", cells.join(" | ")));
        }
    }
    out.push_str("--- 陈述 ---\n");
    out.push_str(&jiaohe::eval::describe(&ex.facts));
    out
}

#[test]
fn docx_extraction() {
    let src = load_bytes("示例市简况.docx", &docx(&draft_body())).unwrap();
    // Tracked deletions, deleted rows and comments are not read.
    assert!(!src.text.contains("8.8"), "{}", src.text);
    assert!(!src.text.contains("纺织服装"), "{}", src.text);
    assert!(!src.text.contains("99%"), "{}", src.text);
    // Every cell's range holds its text.
    for t in &src.tables {
        for r in &t.rows {
            for c in r {
                assert_eq!(&src.text[c.range.clone()], c.text);
            }
        }
    }
    insta::assert_snapshot!(listing(&src));
}

#[test]
fn docx_is_read_by_content_not_name() {
    let bytes = docx(&draft_body());
    let a = load_bytes("稿件.docx", &bytes).unwrap();
    let b = load_bytes("稿件（无扩展名）", &bytes).unwrap();
    assert_eq!(a.text, b.text);
    assert!(
        a.text
            .starts_with("示例市2025年一季度经济运行简况\n一、工业生产\n")
    );
}

#[test]
fn broken_docx_gets_a_chinese_error_naming_the_file() {
    let mut bytes = docx(&draft_body());
    bytes.truncate(bytes.len() / 2);
    let e = load_bytes("坏稿.docx", &bytes).unwrap_err().to_string();
    assert!(e.starts_with("坏稿.docx: 无法读取 Word 文档"), "{e}");
    let e = load_bytes("改名.docx", "只是文本".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("改名.docx") && e.contains("不是 ZIP 压缩包"),
        "{e}"
    );
    // Malformed XML is located in its part.
    let bad = docx("<w:p><w:r><w:t>示例</w:t></w:r></w:p>\n<!-- 未闭合的注释");
    let e = load_bytes("坏XML.docx", &bad).unwrap_err().to_string();
    assert!(e.contains("word/document.xml 第 2 行"), "{e}");
    // A ZIP that is not a Word document says so.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
        z.finish().unwrap();
    }
    let e = load_bytes("包.zip", buf.get_ref()).unwrap_err().to_string();
    assert!(e.contains("不是 Word"), "{e}");
}

/// Runs the binary in `dir` and returns stdout.
fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jiaohe"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn docx_check_names_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("示例市简况.docx"), docx(&draft_body())).unwrap();
    let out = run(
        dir.path(),
        &["check", "-f", "concise", "--no-config", "示例市简况.docx"],
    );
    assert!(out.contains("（位置：第4段）"), "{out}");
    insta::assert_snapshot!(out);
    // JSON spans are valid against the extracted text.
    let json = run(dir.path(), &["extract", "-f", "jsonl", "示例市简况.docx"]);
    let src = load_path(dir.path().join("示例市简况.docx").to_str().unwrap()).unwrap();
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (a, b) = (
            v["span"]["start"].as_u64().unwrap() as usize,
            v["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&src.text[a..b], v["text"].as_str().unwrap());
    }
}

// ------------------------------------------------------------------ web pages

const PAGE: &str = "tests/fixtures/web/shili-2025-q1.html";

#[test]
fn html_extraction() {
    let src = load_path(PAGE).unwrap();
    for gone in [
        "首页",
        "当前位置",
        "分享到",
        "相关阅读",
        "理财",
        "版权所有",
        "ICP",
        "责任编辑",
        "隐藏",
        "99%",
        "月度分析",
    ] {
        assert!(!src.text.contains(gone), "{gone} 未去除：\n{}", src.text);
    }
    insta::assert_snapshot!(listing(&src));
}

#[test]
fn html_spans_point_into_the_html() {
    let html = std::fs::read_to_string(PAGE).unwrap();
    let src = load_path(PAGE).unwrap();
    let ex = extract(src, &ExtractOptions::default());
    let mut n = 0;
    for s in ex.facts.all_statements() {
        for q in s.figures() {
            let at = &html[q.span.start..];
            assert!(
                at.starts_with(q.text.chars().next().unwrap()),
                "{} 指向 {:?}",
                q.text,
                &at[..at.len().min(20)]
            );
            // Line and column (characters) computed from the HTML itself.
            let before = &html[..q.span.start];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!((q.span.line, q.span.column), (line, col), "{}", q.text);
            n += 1;
        }
    }
    assert!(n >= 12, "{n}");
}

#[test]
fn html_check_points_into_the_html() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(dir, &["check", "-f", "concise", "--no-config", PAGE]);
    insta::assert_snapshot!(out);
}

#[test]
fn html_in_a_declared_legacy_encoding() {
    let html = std::fs::read_to_string(PAGE).unwrap().replace(
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&html);
    let gbk = load_bytes("页面.htm", &bytes).unwrap();
    assert_eq!(gbk.encoding, "GBK");
    let utf8 = load_bytes("页面.htm", html.as_bytes()).unwrap();
    assert_eq!(gbk.text, utf8.text);
    assert!(gbk.text.contains("社会消费品零售总额210.5亿元"));
}

#[test]
fn html_keep_boilerplate_keeps_the_page() {
    let bytes = std::fs::read(PAGE).unwrap();
    let all = load_bytes_with(
        PAGE,
        &bytes,
        &LoadOptions {
            keep_boilerplate: true,
        },
    )
    .unwrap();
    for kept in ["首页", "分享到微信", "版权所有", "相关阅读", "理财"] {
        assert!(all.text.contains(kept), "{kept}");
    }
    // Scripts, styles and hidden elements are never text.
    assert!(
        !all.text.contains("visits") && !all.text.contains("隐藏"),
        "{}",
        all.text
    );
}

#[test]
fn html_is_recognised_by_content() {
    let page = "<html><body><p>示例市一季度地区生产总值增长5.6%。</p></body></html>";
    let src = load_bytes("无扩展名", page.as_bytes()).unwrap();
    assert_eq!(src.text, "示例市一季度地区生产总值增长5.6%。\n");
    assert!(src.origin.is_some());
    // Text that only mentions a tag is not a page.
    let text = "示例说明：网页中的<p>标签表示段落。\n";
    let src = load_bytes("说明.txt", text.as_bytes()).unwrap();
    assert_eq!(src.text, text);
    assert!(src.origin.is_none());
}

// ------------------------------------------------------------------ plain text

#[test]
fn txt_furniture_is_skipped_unless_kept() {
    let text = "下载\n打印\n【字号：\n大\n中\n小\n】\n示例市2025年一季度经济运行情况\n来源：示例日报\n\
                一季度，全市地区生产总值增长5.6%。\n相关报道：\n示例县一季度工业增加值增长12%\n";
    let clean = load_bytes("page.txt", text.as_bytes()).unwrap();
    let kept = load_bytes_with(
        "page.txt",
        text.as_bytes(),
        &LoadOptions {
            keep_boilerplate: true,
        },
    )
    .unwrap();
    // No text is deleted: spans stay valid.
    assert_eq!(clean.text, text);
    assert!(kept.furniture.is_empty());
    assert_eq!(clean.furniture.len(), 9, "{:?}", clean.furniture);
    let n = |s: SourceFile| {
        extract(s, &ExtractOptions::default())
            .facts
            .statements
            .len()
    };
    assert_eq!((n(clean), n(kept)), (1, 2));
}

#[test]
fn html_layout_tables_and_line_breaks() {
    let html = std::fs::read_to_string("tests/fixtures/web/shili-county-2024.html").unwrap();
    let html = html.replace("charset=utf-8", "charset=gbk");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&html);
    let src = load_bytes("示例县.htm", &bytes).unwrap();
    assert_eq!(src.encoding, "GBK");
    // Layout tables are read as blocks, not recorded as tables.
    assert!(src.tables.is_empty());
    insta::assert_snapshot!(listing(&src));
}

// ------------------------------------------------------------------ no panic

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    const HTML: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=\"nav\">",
        "<div class='content'>",
        "</div>",
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td colspan=3>",
        "<td rowspan=\"2\">",
        "<td>",
        "</td>",
        "<th>",
        "<br>",
        "<br/>",
        "</br>",
        "&nbsp;",
        "&ldquo;",
        "&rdquo;",
        "&#",
        "&#x4e00;",
        "&#150;",
        "&amp",
        "&unknown;",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<a href=x>",
        "</a>",
        "<",
        ">",
        "&",
        "<h1>",
        "</h1>",
        "<title>",
        "</title>",
        "<li>",
        "<ul>",
        "</ul>",
        "<pre>",
        "</pre>",
        "<span style=\"display:none\">",
        "</span>",
        "示例市",
        "规上工业增加值",
        "增长8.5%",
        "320亿元",
        "其中",
        "，",
        "。",
        "\n",
        " ",
        "　",
        "版权所有",
        "当前位置：",
        "首页",
        ">",
        "来源：示例日报",
        "2025-03-01",
    ];

    const XML: &[&str] = &[
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:del>",
        "</w:del>",
        "<w:ins>",
        "</w:ins>",
        "<w:tab/>",
        "<w:br/>",
        "<w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr>",
        "<w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>",
        "<w:trPr><w:del/></w:trPr>",
        "示例市",
        "增长8.5%",
        "&amp;",
        "&#x4e00;",
        "。",
    ];

    fn from(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(pieces), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn pages_never_panic(body in from(HTML), keep in any::<bool>()) {
            let page = format!("<html><body>{body}</body></html>");
            let src = load_bytes_with("p.html", page.as_bytes(), &LoadOptions { keep_boilerplate: keep })
                .expect("a page always loads");
            let ex = extract(src, &ExtractOptions::default());
            for s in ex.facts.all_statements() {
                prop_assert!(s.span.start <= s.span.end && s.span.end <= page.len());
                prop_assert!(page.is_char_boundary(s.span.start) && page.is_char_boundary(s.span.end));
            }
        }

        #[test]
        fn word_documents_never_panic(body in from(XML)) {
            if let Ok(src) = load_bytes("p.docx", &docx(&body)) {
                for t in &src.tables {
                    for r in &t.rows {
                        for c in r {
                            prop_assert_eq!(&src.text[c.range.clone()], c.text.as_str());
                        }
                    }
                }
                let _ = extract(src, &ExtractOptions::default());
            }
        }
    }
}

#[test]
fn keep_boilerplate_flag_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "下载\n打印\n示例市2025年一季度经济运行情况\n来源：示例日报\n\
                一季度，全市地区生产总值增长5.6%。\n相关报道：\n示例县一季度工业增加值增长12%\n";
    std::fs::write(dir.path().join("page.txt"), text).unwrap();
    let count = |args: &[&str]| run(dir.path(), args).lines().count();
    assert_eq!(count(&["extract", "-f", "jsonl", "page.txt"]), 1);
    assert_eq!(
        count(&["extract", "-f", "jsonl", "--keep-boilerplate", "page.txt"]),
        2
    );
    let out = run(
        dir.path(),
        &[
            "check",
            "-f",
            "concise",
            "--no-config",
            "--keep-boilerplate",
            "page.txt",
        ],
    );
    assert!(out.contains("共检查 1 个文件"), "{out}");
}

#[test]
fn html_article_under_a_furniture_name_is_still_read() {
    let page = "<html><body><div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/a\">要闻</a></div>\
        <div class=\"bottom-box\"><h1>示例区经济简讯</h1>\
        <p>一季度，示例区地区生产总值增长6.1%，规上工业增加值增长7.3%。</p>\
        <div class=\"share\">分享到微信</div></div>\
        <div class=\"footer\">版权所有：示例区人民政府</div></body></html>";
    let src = load_bytes("p.html", page.as_bytes()).unwrap();
    assert_eq!(
        src.text,
        "示例区经济简讯\n一季度，示例区地区生产总值增长6.1%，规上工业增加值增长7.3%。\n"
    );
}
