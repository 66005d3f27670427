//! Word documents (`.docx`): paragraphs and tables as text.
//!
//! A `.docx` file is a ZIP archive; the body is `word/document.xml`, read here with
//! quick-xml. What becomes [`SourceFile::text`]:
//! - each non-empty paragraph is one line, preceded by its list number as Word shows
//!   it (`一、`, `（二）`, `1.`), computed from `word/numbering.xml` for paragraphs
//!   numbered directly or through their style (`Heading 1` / `标题 1` linked to a
//!   list); a soft line break stays a line break, a tab becomes a space;
//! - each table row is one line, cells separated by a tab; a cell spanning several
//!   grid columns (`gridSpan`, `gridBefore`) is followed by empty cells so that columns
//!   line up, a vertically merged continuation cell is empty; tables are recorded in
//!   [`SourceFile::tables`];
//! - tracked changes count as accepted: deleted text (`w:del`, `w:moveFrom`) and
//!   deleted table rows are dropped, inserted text (`w:ins`, `w:moveTo`) kept;
//! - comments (`word/comments.xml`) and comment marks, field codes (`w:instrText`),
//!   drawings and text boxes, headers, footers and footnotes are not read.
//!
//! Places name what a Word user can find: `第12段` (counting non-empty paragraphs
//! outside tables) and `表2 第3行第4列` (1-based rows and grid columns).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::table::{Cell, Table};
use super::{LoadError, Place, SourceFile};

/// The largest part read, unpacked (a guard against ZIP bombs).
const MAX_PART: u64 = 512 * 1024 * 1024;

/// Whether the bytes are a ZIP archive (a `.docx`, `.xlsx` …).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether a ZIP archive holds a Word body.
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|a| a.index_for_name("word/document.xml").is_some())
}

fn error(path: &str, reason: impl Into<String>) -> LoadError {
    LoadError::Docx {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Reads a `.docx` file.
pub fn read(path: &str, bytes: &[u8]) -> Result<SourceFile, LoadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        error(
            path,
            format!("不是完整的 ZIP 压缩包，文件可能已损坏或被截断（{e}）"),
        )
    })?;
    let document = part(&mut zip, path, "word/document.xml")?.ok_or_else(|| {
        error(
            path,
            "压缩包里没有 word/document.xml，不是 Word（.docx）文档",
        )
    })?;
    let styles = match part(&mut zip, path, "word/styles.xml")? {
        Some(x) => read_styles(&x).map_err(|e| xml_error(path, "word/styles.xml", &x, e))?,
        None => HashMap::new(),
    };
    let numbering = match part(&mut zip, path, "word/numbering.xml")? {
        Some(x) => read_numbering(&x).map_err(|e| xml_error(path, "word/numbering.xml", &x, e))?,
        None => Numbering::default(),
    };
    let blocks = read_body(&document, &styles, numbering)
        .map_err(|e| xml_error(path, "word/document.xml", &document, e))?;
    Ok(render(path, &blocks))
}

/// A part of the archive as text, if present.
fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    path: &str,
    name: &str,
) -> Result<Option<String>, LoadError> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let file = zip
        .by_index(index)
        .map_err(|e| error(path, format!("无法读取 {name}（{e}）")))?;
    if file.size() > MAX_PART {
        return Err(error(path, format!("{name} 解压后超过 512 MB，拒绝读取")));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART)
        .read_to_end(&mut bytes)
        .map_err(|e| error(path, format!("无法解压 {name}，压缩数据已损坏（{e}）")))?;
    let text = match super::decode::decode(&bytes) {
        Ok(d) => d.text,
        Err(_) => return Err(error(path, format!("{name} 不是有效的 XML 文本"))),
    };
    Ok(Some(text))
}

/// An XML error at a byte offset of a part.
struct XmlError {
    offset: usize,
    reason: String,
}

fn xml_error(path: &str, part: &str, xml: &str, e: XmlError) -> LoadError {
    let mut end = e.offset.min(xml.len());
    while !xml.is_char_boundary(end) {
        end -= 1;
    }
    let head = &xml[..end];
    let line = head.matches('\n').count() + 1;
    let column = head.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    error(
        path,
        format!(
            "{part} 第 {line} 行第 {column} 列 XML 格式错误（{}）",
            e.reason
        ),
    )
}

fn reader(xml: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(xml);
    r.config_mut().check_end_names = false;
    r
}

fn next<'x>(r: &mut Reader<&'x [u8]>) -> Result<Event<'x>, XmlError> {
    r.read_event().map_err(|e| XmlError {
        offset: usize::try_from(r.error_position()).unwrap_or(usize::MAX),
        reason: e.to_string(),
    })
}

fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The `w:val` attribute (any prefix).
fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let k = a.key.local_name();
        (k.as_ref() == key.as_bytes()).then(|| String::from_utf8_lossy(&a.value).into_owned())
    })
}

// ---------------------------------------------------------------- styles

/// What a paragraph style contributes: its parent and its list numbering (heading
/// styles are often linked to a multilevel list).
#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num: Option<(i64, Option<usize>)>,
}

fn read_styles(xml: &str) -> Result<HashMap<String, Style>, XmlError> {
    let mut r = reader(xml);
    let mut out = HashMap::new();
    let mut cur: Option<(String, Style)> = None;
    loop {
        match next(&mut r)? {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "style" => {
                    if let Some((id, s)) = cur.take() {
                        out.insert(id, s);
                    }
                    cur = attr(&e, "styleId").map(|id| (id, Style::default()));
                }
                "basedOn" => {
                    if let Some((_, s)) = cur.as_mut() {
                        s.based_on = val(&e);
                    }
                }
                "numId" => {
                    if let (Some((_, s)), Some(v)) = (cur.as_mut(), val(&e)) {
                        let ilvl = s.num.and_then(|n| n.1);
                        s.num = v.parse().ok().map(|n| (n, ilvl));
                    }
                }
                "ilvl" => {
                    if let (Some((_, s)), Some(v)) = (cur.as_mut(), val(&e)) {
                        let lvl = v.parse().ok();
                        s.num = Some((s.num.map_or(-1, |n| n.0), lvl));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let Some((id, s)) = cur.take() {
                    out.insert(id, s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A style property looked up along the `basedOn` chain.
fn inherited<T>(
    styles: &HashMap<String, Style>,
    id: Option<&str>,
    f: impl Fn(&Style) -> Option<T>,
) -> Option<T> {
    let mut id = id?;
    for _ in 0..16 {
        let s = styles.get(id)?;
        if let Some(v) = f(s) {
            return Some(v);
        }
        id = s.based_on.as_deref()?;
    }
    None
}

// ---------------------------------------------------------------- numbering

#[derive(Debug, Default, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
    legal: bool,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<i64, Vec<Level>>,
    /// numId → abstractNumId and start overrides by level.
    nums: HashMap<i64, (i64, HashMap<usize, u32>)>,
    /// Current values by counter key and level.
    counters: HashMap<i64, [Option<u32>; 9]>,
}

fn read_numbering(xml: &str) -> Result<Numbering, XmlError> {
    let mut r = reader(xml);
    let mut n = Numbering::default();
    let mut abs: Option<(i64, Vec<Level>)> = None;
    let mut lvl: Option<(usize, Level)> = None;
    let mut num: Option<(i64, i64, HashMap<usize, u32>)> = None;
    let mut override_lvl: Option<usize> = None;
    loop {
        match next(&mut r)? {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "abstractNum" => {
                    abs = attr(&e, "abstractNumId")
                        .and_then(|v| v.parse().ok())
                        .map(|id| (id, Vec::new()));
                }
                "lvl" => {
                    let i = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    lvl = Some((
                        i,
                        Level {
                            start: 1,
                            format: "decimal".into(),
                            ..Level::default()
                        },
                    ));
                }
                "start" => {
                    if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val(&e)) {
                        l.start = v.parse().unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val(&e)) {
                        l.format = v;
                    }
                }
                "lvlText" => {
                    if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val(&e)) {
                        l.text = v;
                    }
                }
                "isLgl" => {
                    if let Some((_, l)) = lvl.as_mut() {
                        l.legal = val(&e).is_none_or(|v| v != "0" && v != "false");
                    }
                }
                "num" => {
                    num = attr(&e, "numId")
                        .and_then(|v| v.parse().ok())
                        .map(|id| (id, -1, HashMap::new()));
                }
                "abstractNumId" => {
                    if let (Some(nm), Some(v)) = (num.as_mut(), val(&e)) {
                        nm.1 = v.parse().unwrap_or(-1);
                    }
                }
                "lvlOverride" => {
                    override_lvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                }
                "startOverride" => {
                    if let (Some(nm), Some(i), Some(v)) = (num.as_mut(), override_lvl, val(&e)) {
                        nm.2.insert(i, v.parse().unwrap_or(1));
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"lvl" => {
                    if let (Some((_, levels)), Some((i, l))) = (abs.as_mut(), lvl.take()) {
                        if i < 9 {
                            if levels.len() <= i {
                                levels.resize(i + 1, Level::default());
                            }
                            levels[i] = l;
                        }
                    }
                }
                b"abstractNum" => {
                    if let Some((id, levels)) = abs.take() {
                        n.abstracts.insert(id, levels);
                    }
                }
                b"num" => {
                    if let Some((id, a, o)) = num.take() {
                        n.nums.insert(id, (a, o));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(n)
}

impl Numbering {
    /// Advances the list `num_id` at level `ilvl` and returns the label Word shows
    /// (`一、`, `（二）`, `1.`); bullets and unnumbered levels give `None`.
    fn label(&mut self, num_id: i64, ilvl: usize) -> Option<String> {
        let (abs, overrides) = self.nums.get(&num_id)?;
        let levels = self.abstracts.get(abs)?;
        let ilvl = ilvl.min(8);
        let level = levels.get(ilvl)?;
        // A list that restarts its numbering counts on its own.
        let key = if overrides.is_empty() {
            *abs
        } else {
            -1 - num_id
        };
        let counters = self.counters.entry(key).or_insert([None; 9]);
        counters[ilvl] = Some(match counters[ilvl] {
            Some(v) => v.saturating_add(1),
            None => overrides.get(&ilvl).copied().unwrap_or(level.start),
        });
        for c in counters.iter_mut().skip(ilvl + 1) {
            *c = None;
        }
        if matches!(level.format.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let k = (d as usize).saturating_sub(1).min(8);
                    let lv = levels.get(k).cloned().unwrap_or_default();
                    let value = counters[k].unwrap_or(lv.start);
                    let format = if level.legal {
                        "decimal"
                    } else {
                        lv.format.as_str()
                    };
                    out.push_str(&format_number(value, format));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

/// A list number in one of Word's formats.
fn format_number(n: u32, format: &str) -> String {
    const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";
    const PAREN: &str = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇";
    const STOP: &str = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛";
    const TIANGAN: &str = "甲乙丙丁戊己庚辛壬癸";
    const DIZHI: &str = "子丑寅卯辰巳午未申酉戌亥";
    let nth = |set: &str| {
        set.chars()
            .nth((n as usize).wrapping_sub(1))
            .map_or_else(|| n.to_string(), String::from)
    };
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n, false),
        "chineseLegalSimplified" => chinese(n, true),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|d| {
                "〇一二三四五六七八九"
                    .chars()
                    .nth(d.to_digit(10).unwrap_or(0) as usize)
                    .unwrap_or('〇')
            })
            .collect(),
        "ideographTraditional" => nth(TIANGAN),
        "ideographZodiac" => nth(DIZHI),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => nth(CIRCLED),
        "decimalEnclosedParen" => nth(PAREN),
        "decimalEnclosedFullstop" => nth(STOP),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "decimalZero" => format!("{n:02}"),
        "upperLetter" | "lowerLetter" => {
            let k = (n.max(1) - 1) % 26;
            let c = char::from(b'A' + u8::try_from(k).unwrap_or(0));
            let s = c.to_string().repeat(((n.max(1) - 1) / 26 + 1) as usize);
            if format == "lowerLetter" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "upperRoman" | "lowerRoman" => {
            let s = roman(n);
            if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        _ => n.to_string(),
    }
}

/// `12` → `十二`, `105` → `一百零五`; `legal` gives the financial forms (`壹拾贰`).
fn chinese(n: u32, legal: bool) -> String {
    let digits: Vec<char> = if legal {
        "零壹贰叁肆伍陆柒捌玖".chars().collect()
    } else {
        "零一二三四五六七八九".chars().collect()
    };
    let units: Vec<char> = if legal {
        "拾佰仟".chars().collect()
    } else {
        "十百千".chars().collect()
    };
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let d = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &v) in d.iter().enumerate() {
        let unit = match i {
            0 => Some(units[2]),
            1 => Some(units[1]),
            2 => Some(units[0]),
            _ => None,
        };
        if v == 0 {
            if !out.is_empty() {
                zero = true;
            }
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        // `十二`, not `一十二`, when the tens lead.
        if !(i == 2 && v == 1 && out.is_empty() && !legal) {
            out.push(digits[v as usize]);
        }
        if let Some(u) = unit {
            out.push(u);
        }
    }
    out
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

// ---------------------------------------------------------------- body

/// A paragraph or a table of the body, in order.
#[derive(Debug)]
enum Block {
    Paragraph(String),
    Table(Vec<Vec<DraftCell>>),
}

#[derive(Debug, Default)]
struct DraftCell {
    text: String,
    /// Grid columns covered (`gridSpan`).
    span: usize,
}

#[derive(Debug, Default)]
struct DraftParagraph {
    text: String,
    style: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<usize>,
}

#[derive(Debug, Default)]
struct DraftRow {
    cells: Vec<DraftCell>,
    deleted: bool,
    grid_before: usize,
}

#[derive(Debug, Default)]
struct DraftTable {
    rows: Vec<DraftRow>,
    row: Option<DraftRow>,
    cell: Option<(DraftCell, Vec<String>, bool)>,
}

/// Elements whose whole content is not document text: deleted and moved-away text,
/// field codes, drawings and text boxes, properties and their tracked changes.
const SKIPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "delInstrText",
    "drawing",
    "pict",
    "object",
    "AlternateContent",
    "sdtPr",
    "rPr",
    "fldData",
    "pPrChange",
    "rPrChange",
    "sectPr",
    "tblPr",
    "tblGrid",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "numberingChange",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
    "annotationRef",
];

fn read_body(
    xml: &str,
    styles: &HashMap<String, Style>,
    mut numbering: Numbering,
) -> Result<Vec<Block>, XmlError> {
    let mut r = reader(xml);
    let mut out = Vec::new();
    let mut skip = 0usize;
    let mut in_t = false;
    let mut in_ppr = false;
    let mut in_trpr = false;
    let mut in_tcpr = false;
    let mut paras: Vec<DraftParagraph> = Vec::new();
    let mut tables: Vec<DraftTable> = Vec::new();
    loop {
        let ev = next(&mut r)?;
        match ev {
            Event::Start(e) => {
                let name = local(&e);
                if skip > 0 {
                    skip += 1;
                    continue;
                }
                if SKIPPED.contains(&name.as_str()) {
                    skip = 1;
                    continue;
                }
                match name.as_str() {
                    "p" => paras.push(DraftParagraph::default()),
                    "pPr" => in_ppr = true,
                    "t" => in_t = !paras.is_empty(),
                    "tbl" => tables.push(DraftTable::default()),
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row = Some(DraftRow::default());
                        }
                    }
                    "trPr" => in_trpr = true,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some((
                                DraftCell {
                                    span: 1,
                                    ..DraftCell::default()
                                },
                                Vec::new(),
                                false,
                            ));
                        }
                    }
                    "tcPr" => in_tcpr = true,
                    _ => {
                        empty_element(&name, &e, in_ppr, in_trpr, in_tcpr, &mut paras, &mut tables)
                    }
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let name = local(&e);
                empty_element(&name, &e, in_ppr, in_trpr, in_tcpr, &mut paras, &mut tables);
            }
            Event::Text(t) if skip == 0 && in_t => {
                if let (Some(p), Ok(s)) = (paras.last_mut(), t.xml10_content()) {
                    p.text.push_str(&s);
                }
            }
            Event::CData(t) if skip == 0 && in_t => {
                if let Some(p) = paras.last_mut() {
                    p.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(g) if skip == 0 && in_t => {
                let s = match g.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => g
                        .decode()
                        .ok()
                        .and_then(|n| quick_xml::escape::resolve_xml_entity(&n))
                        .map(str::to_owned),
                };
                if let (Some(p), Some(s)) = (paras.last_mut(), s) {
                    p.text.push_str(&s);
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().as_ref() {
                    b"t" => in_t = false,
                    b"pPr" => in_ppr = false,
                    b"trPr" => in_trpr = false,
                    b"tcPr" => in_tcpr = false,
                    b"p" => {
                        let Some(p) = paras.pop() else { continue };
                        let text = paragraph_text(p, styles, &mut numbering);
                        match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            Some((_, texts, _)) => texts.push(text),
                            None => out.push(Block::Paragraph(text)),
                        }
                    }
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let (Some((mut cell, texts, cont)), Some(row)) =
                                (t.cell.take(), t.row.as_mut())
                            {
                                cell.text = if cont {
                                    String::new()
                                } else {
                                    join_cell(&texts)
                                };
                                row.cells.push(cell);
                            }
                        }
                    }
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(row) = t.row.take() {
                                if !row.deleted {
                                    t.rows.push(row);
                                }
                            }
                        }
                    }
                    b"tbl" => {
                        let Some(t) = tables.pop() else { continue };
                        let rows: Vec<Vec<DraftCell>> = t
                            .rows
                            .into_iter()
                            .map(|r| {
                                let mut cells: Vec<DraftCell> = (0..r.grid_before)
                                    .map(|_| DraftCell {
                                        span: 1,
                                        ..DraftCell::default()
                                    })
                                    .collect();
                                cells.extend(r.cells);
                                cells
                            })
                            .collect();
                        match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            // A table inside a cell is read as the cell's text.
                            Some((_, texts, _)) => texts.push(
                                rows.iter()
                                    .map(|r| {
                                        r.iter()
                                            .map(|c| c.text.as_str())
                                            .filter(|t| !t.is_empty())
                                            .collect::<Vec<_>>()
                                            .join(" ")
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            ),
                            None => out.push(Block::Table(rows)),
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Elements that carry data in attributes: paragraph and row properties, tabs, breaks.
fn empty_element(
    name: &str,
    e: &BytesStart<'_>,
    in_ppr: bool,
    in_trpr: bool,
    in_tcpr: bool,
    paras: &mut [DraftParagraph],
    tables: &mut [DraftTable],
) {
    if in_ppr {
        let Some(p) = paras.last_mut() else { return };
        match name {
            "pStyle" => p.style = val(e),
            "numId" => p.num_id = val(e).and_then(|v| v.parse().ok()),
            "ilvl" => p.ilvl = val(e).and_then(|v| v.parse().ok()),
            _ => {}
        }
        return;
    }
    if in_trpr {
        if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
            match name {
                "del" => row.deleted = true,
                "gridBefore" => {
                    row.grid_before = val(e).and_then(|v| v.parse().ok()).unwrap_or(0).min(100);
                }
                _ => {}
            }
        }
        return;
    }
    if in_tcpr {
        if let Some((cell, _, cont)) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
            match name {
                "gridSpan" => {
                    cell.span = val(e)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1)
                        .clamp(1, 100);
                }
                "vMerge" => *cont = val(e).is_none_or(|v| v == "continue"),
                _ => {}
            }
        }
        return;
    }
    let Some(p) = paras.last_mut() else { return };
    match name {
        "tab" | "ptab" => p.text.push(' '),
        "br" | "cr" => {
            let kind = attr(e, "type");
            if kind.as_deref().is_none_or(|k| k == "textWrapping") {
                p.text.push('\n');
            }
        }
        "noBreakHyphen" => p.text.push('-'),
        "sym" => {
            let c = attr(e, "char")
                .and_then(|h| u32::from_str_radix(&h, 16).ok())
                .and_then(char::from_u32)
                .filter(|c| !('\u{e000}'..='\u{f8ff}').contains(c));
            if let Some(c) = c {
                p.text.push(c);
            }
        }
        _ => {}
    }
}

/// The text of a paragraph with its list number in front.
fn paragraph_text(
    p: DraftParagraph,
    styles: &HashMap<String, Style>,
    numbering: &mut Numbering,
) -> String {
    let style_num = inherited(styles, p.style.as_deref(), |s| s.num);
    let num_id = p.num_id.or(style_num.map(|n| n.0));
    let ilvl = p.ilvl.or(style_num.and_then(|n| n.1)).unwrap_or(0);
    let label = match num_id {
        Some(id) if id > 0 => numbering.label(id, ilvl),
        _ => None,
    };
    let text = p.text;
    match label {
        Some(l) if !text.trim().is_empty() => {
            let space = l.chars().next_back().is_some_and(char::is_alphanumeric);
            format!("{l}{}{}", if space { " " } else { "" }, text.trim_start())
        }
        _ => text,
    }
}

/// The paragraphs of a cell as one line of text.
fn join_cell(texts: &[String]) -> String {
    let mut out = String::new();
    for t in texts {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            continue;
        }
        let ascii_join = out
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if ascii_join {
            out.push(' ');
        }
        out.push_str(&t);
    }
    out
}

// ---------------------------------------------------------------- text

fn render(path: &str, blocks: &[Block]) -> SourceFile {
    let mut text = String::new();
    let mut places = Vec::new();
    let mut tables = Vec::new();
    let mut paragraphs = 0;
    // Short lines just above a table: its caption (`表1 …`, `单位：万元`).
    let mut recent: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(p) => {
                let p = p.trim_end();
                if p.trim().is_empty() {
                    continue;
                }
                paragraphs += 1;
                let start = text.len();
                text.push_str(p);
                places.push(Place {
                    range: start..text.len(),
                    label: format!("第{paragraphs}段"),
                });
                text.push('\n');
                let t = p.trim();
                if t.chars().count() <= 60 && !t.contains('。') {
                    recent.push(t.to_owned());
                    if recent.len() > 2 {
                        recent.remove(0);
                    }
                } else {
                    recent.clear();
                }
            }
            Block::Table(rows) => {
                let mut table = Table {
                    label: format!("表{}", tables.len() + 1),
                    caption: (!recent.is_empty()).then(|| recent.join(" ")),
                    rows: Vec::new(),
                };
                recent.clear();
                for row in rows {
                    if row.iter().all(|c| c.text.is_empty()) {
                        continue;
                    }
                    let mut cells = Vec::new();
                    for c in row {
                        for k in 0..c.span.max(1) {
                            if !cells.is_empty() {
                                text.push('\t');
                            }
                            let start = text.len();
                            if k == 0 {
                                text.push_str(&c.text);
                            }
                            cells.push(Cell {
                                text: if k == 0 {
                                    c.text.clone()
                                } else {
                                    String::new()
                                },
                                range: start..text.len(),
                            });
                        }
                    }
                    text.push('\n');
                    table.rows.push(cells);
                }
                if table.rows.is_empty() {
                    continue;
                }
                for (ri, row) in table.rows.iter().enumerate() {
                    for (ci, cell) in row.iter().enumerate() {
                        if !cell.range.is_empty() {
                            places.push(Place {
                                range: cell.range.clone(),
                                label: table.cell_label(ri, ci),
                            });
                        }
                    }
                }
                tables.push(table);
            }
        }
    }
    SourceFile {
        path: path.to_owned(),
        text,
        encoding: "UTF-8",
        places,
        tables,
        ..SourceFile::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let got: Vec<String> = [1, 10, 12, 20, 21, 100, 105, 110]
            .iter()
            .map(|&n| chinese(n, false))
            .collect();
        assert_eq!(
            got,
            [
                "一",
                "十",
                "十二",
                "二十",
                "二十一",
                "一百",
                "一百零五",
                "一百一十"
            ]
        );
        assert_eq!(chinese(12, true), "壹拾贰");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
    }

    #[test]
    fn list_labels_nest_and_restart() {
        let xml = r#"<w:numbering xmlns:w="w">
          <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        </w:numbering>"#;
        let Ok(mut n) = read_numbering(xml) else {
            panic!("numbering parses")
        };
        let labels: Vec<Option<String>> = [(1, 0), (1, 1), (1, 1), (1, 2), (1, 0), (1, 1)]
            .iter()
            .map(|&(id, l)| n.label(id, l))
            .collect();
        let labels: Vec<&str> = labels.iter().map(|l| l.as_deref().unwrap_or("-")).collect();
        assert_eq!(labels, ["一、", "（一）", "（二）", "1.", "二、", "（一）"]);
    }
}
