//! Word (`.docx`) output, written by hand: a zip of a few WordprocessingML parts.
//!
//! Parts: `[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml`,
//! `word/document.xml`, `word/styles.xml`, `word/_rels/document.xml.rels`.
//! Styles follow GB/T 9704 where it matters for a draft: title in 宋体 (bold, 22pt),
//! level 1 headings in 黑体, level 2 in 楷体, body in 仿宋 16pt (三号) with a
//! two-character first-line indent; tables with single borders. Opens in Word and
//! LibreOffice (the test converts it to PDF when LibreOffice is installed).

use std::io::{Cursor, Write};

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::output::{Block, escape};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>
"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>
"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>
"#;

fn style(
    id: &str,
    name: &str,
    font: &str,
    size_half_pt: u32,
    bold: bool,
    extra_ppr: &str,
    outline: Option<u8>,
) -> String {
    let outline = outline.map_or(String::new(), |l| format!("<w:outlineLvl w:val=\"{l}\"/>"));
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/>{extra_ppr}{outline}</w:pPr>\
<w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\"/>{}<w:sz w:val=\"{size_half_pt}\"/><w:szCs w:val=\"{size_half_pt}\"/></w:rPr></w:style>",
        if bold { "<w:b/>" } else { "" }
    )
}

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="FangSong" w:hAnsi="FangSong" w:eastAsia="仿宋"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>
{}
{}
{}
{}
{}
<w:style w:type="table" w:default="1" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>
</w:styles>
"#,
        style(
            "Title",
            "Title",
            "宋体",
            44,
            true,
            "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"240\" w:line=\"700\" w:lineRule=\"exact\"/>",
            None
        ),
        style(
            "Meta",
            "Meta",
            "楷体",
            32,
            false,
            "<w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/>",
            None
        ),
        style("Heading1", "heading 1", "黑体", 32, false, "", Some(0)),
        style("Heading2", "heading 2", "楷体", 32, false, "", Some(1)),
        style("Heading3", "heading 3", "仿宋", 32, true, "", Some(2)),
    )
}

fn core(title: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{}</dc:title><dc:creator>jiaohe render</dc:creator>
</cp:coreProperties>
"#,
        escape(title)
    )
}

fn para(style: Option<&str>, text: &str) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
    });
    format!(
        "<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(text)
    )
}

fn cell(text: &str, header: bool) -> String {
    let b = if header { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr><w:p><w:pPr><w:ind w:firstLine=\"0\" w:firstLineChars=\"0\"/><w:jc w:val=\"center\"/><w:spacing w:line=\"360\" w:lineRule=\"auto\"/></w:pPr><w:r>{b}<w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:tc>",
        escape(text)
    )
}

/// The `word/document.xml` part.
pub fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => body.push_str(&para(Some("Title"), t)),
            Block::Meta(t) => body.push_str(&para(Some("Meta"), t)),
            Block::Heading(l, t) => body.push_str(&para(Some(&format!("Heading{l}")), t)),
            Block::Para(t) => body.push_str(&para(None, t)),
            Block::Table { header, rows } => {
                body.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
                for _ in header {
                    body.push_str("<w:gridCol/>");
                }
                body.push_str("</w:tblGrid><w:tr>");
                for h in header {
                    body.push_str(&cell(h, true));
                }
                body.push_str("</w:tr>");
                for r in rows {
                    body.push_str("<w:tr>");
                    for i in 0..header.len() {
                        body.push_str(&cell(r.get(i).map_or("", String::as_str), false));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
                // Word wants a paragraph between a table and what follows.
                body.push_str("<w:p/>");
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>\n"
    )
}

/// The bytes of a `.docx` file.
pub fn to_docx(blocks: &[Block]) -> std::io::Result<Vec<u8>> {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("报告");
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("docProps/core.xml", core(title)),
        ("word/document.xml", document_xml(blocks)),
        ("word/styles.xml", styles()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_owned()),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts).map_err(std::io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}
