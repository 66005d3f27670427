//! Web pages: the article body of an HTML page as text, with a map back to the HTML.
//!
//! # Brief overview
//!
//! 1. [`decode`] reads the bytes in the encoding the page declares (`<meta charset>`,
//!    `http-equiv`) unless they are valid UTF-8, falling back to detection.
//! 2. [`parse`] builds a tree that keeps source offsets.
//! 3. Rendering turns block elements (`p`, `div`, `li`, `h1` …) into lines, collapsing
//!    white space as a browser does (a line break between two Chinese characters
//!    disappears). A data table becomes one line per row, cells separated by a tab, and
//!    is recorded in [`SourceFile::tables`]; a layout table (one holding other tables
//!    or long text) is read as blocks.
//! 4. Page furniture is dropped: scripts, styles, forms and hidden elements always;
//!    with the default options also `nav`, `aside`, `footer`, elements whose role,
//!    class or id names a menu, breadcrumb, share widget, related list, advertising,
//!    copyright or footer block, lines mostly made of links, and then the same lines
//!    plain text is cleaned of ([`super::furniture`]).
//! 5. The article body is the element that holds most of the page's prose: from
//!    `body`, descend into the child holding at least 70% of it while one does. The
//!    title above it (`h1`–`h3` or an element whose class names a title) and the meta
//!    lines between (`来源：`, `发布时间：`) are kept; without one, the page `<title>`
//!    (before its `_site name` suffix) is.
//!
//! The extracted text is [`SourceFile::text`]; [`SourceFile::origin`] holds the HTML and
//! anchors so that every span, line and column is given in the HTML source.

mod parse;

use std::collections::HashMap;
use std::ops::Range;

use encoding_rs::Encoding;

use super::decode::{self, DecodeProblem, Decoded};
use super::furniture;
use super::table::{Cell, Table};
use super::{LoadOptions, Origin, Place, SourceFile};
use parse::{Data, Dom, NodeId};

/// Whether decoded text is an HTML page: it starts with a doctype, a comment or a
/// known tag, or holds `<html` / `<body` near its start.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    const STARTS: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<p>",
        "<p ",
        "<div",
        "<table",
        "<h1",
        "<h2",
        "<h3",
        "<article",
        "<section",
        "<span",
        "<font",
        "<center",
        "<br",
        "<style",
        "<script",
        "<link",
        "<ul",
        "<ol",
    ];
    if STARTS.iter().any(|s| head.starts_with(s)) {
        return true;
    }
    head.starts_with("<!--") && (head.contains("<html") || head.contains("<body"))
        || head.contains("<html") && head.contains("<body")
        || head.contains("<!doctype html")
}

/// The encoding a page declares in its first 4 KB (`<meta charset="gbk">`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`).
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&lower[from..], b"charset") {
        let mut j = from + k + b"charset".len();
        while j < lower.len() && matches!(lower[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if lower.get(j) == Some(&b'=') {
            j += 1;
            while j < lower.len() && matches!(lower[j], b' ' | b'"' | b'\'') {
                j += 1;
            }
            let s = j;
            while j < lower.len()
                && (lower[j].is_ascii_alphanumeric() || matches!(lower[j], b'-' | b'_' | b':'))
            {
                j += 1;
            }
            if let Some(e) = Encoding::for_label(&lower[s..j]) {
                // A page in UTF-16 cannot declare it in ASCII; a declaration of it is wrong.
                if e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE {
                    return Some(e);
                }
            }
        }
        from += k + 1;
    }
    None
}

/// Decodes a page: a byte-order mark or valid UTF-8 decide first, then the declared
/// encoding (when it decodes the bytes cleanly), then detection.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeProblem> {
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF");
    if !has_bom && std::str::from_utf8(bytes).is_err() {
        if let Some(enc) = declared_charset(bytes) {
            if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
                return Ok(Decoded {
                    text: text.into_owned(),
                    encoding: enc.name(),
                    bom_len: 0,
                });
            }
        }
    }
    decode::decode(bytes)
}

/// Reads a decoded page.
pub fn read(path: &str, decoded: Decoded, options: &LoadOptions) -> SourceFile {
    let html = decoded.text;
    let dom = parse::parse(&html);
    let mut page = Page::new(&html, &dom, &[]);
    let (mut lines, mut drafts) = page.render();
    if !options.keep_boilerplate {
        // An element named like furniture that holds most of the page's prose is the
        // article under an unlucky name (`<div class="bottom-content">`): read again
        // with its name trusted.
        let misnamed = page.misnamed(&lines);
        if !misnamed.is_empty() {
            page = Page::new(&html, &dom, &misnamed);
            (lines, drafts) = page.render();
        }
    }
    let (keep, titled) = if options.keep_boilerplate {
        ((0..lines.len()).collect(), true)
    } else {
        page.article(&lines)
    };
    let title = if titled {
        None
    } else {
        title_line(&dom, &html)
    };
    let mut file = assemble(path, &html, title, &lines, &keep, drafts);
    file.encoding = decoded.encoding;
    file
}

/// One rendered line: the text of a block, or one row of a data table.
#[derive(Debug, Default, Clone)]
struct Line {
    text: String,
    /// `(offset in text, offset in the HTML)`.
    anchors: Vec<(usize, usize)>,
    /// End of the last source character.
    src_end: usize,
    /// The block element the line belongs to.
    node: NodeId,
    /// Characters (not white space), those inside links, those inside furniture.
    chars: usize,
    links: usize,
    furniture_chars: usize,
    heading: bool,
    /// For a table row: the table and the cells' ranges in `text`.
    table: Option<usize>,
    cells: Vec<Range<usize>>,
}

impl Line {
    fn furniture(&self) -> bool {
        self.furniture_chars * 2 > self.chars
    }
    fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.links as f64 / self.chars as f64
        }
    }
    /// How much article prose the line holds.
    fn prose(&self) -> f64 {
        if self.furniture() || self.link_density() > 0.3 {
            return 0.0;
        }
        let han = self
            .text
            .chars()
            .filter(|c| is_cjk(*c) || c.is_ascii_digit())
            .count() as f64;
        if self.table.is_some() || self.text.contains(['，', '。', '；', ',']) {
            han
        } else {
            han / 3.0
        }
    }
}

/// A data table being rendered: its caption and its row lines.
#[derive(Debug, Default)]
struct TableDraft {
    caption: Option<String>,
    rows: Vec<usize>,
}

struct Page<'a> {
    src: &'a str,
    dom: &'a Dom,
    /// Per node: never shown (scripts, hidden elements).
    skip: Vec<bool>,
    /// Per node: page furniture (itself or an ancestor).
    furniture: Vec<bool>,
}

/// Elements whose content is never text of the page.
const SKIP: &[&str] = &[
    "head", "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "object",
    "embed", "select", "button", "input", "textarea", "map", "audio", "video", "title", "frameset",
    "noembed", "noframes",
];

const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Class and id words that always name furniture.
const FURNITURE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navi",
    "navigation",
    "menu",
    "menus",
    "mainmenu",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "dqwz",
    "footer",
    "copyright",
    "beian",
    "sitemap",
    "share",
    "shares",
    "sharing",
    "bdshare",
    "bdsharebuttonbox",
    "jiathis",
    "social",
    "fenxiang",
    "related",
    "relate",
    "relates",
    "relation",
    "xgwz",
    "xgxw",
    "xglj",
    "xgyd",
    "recommend",
    "recommends",
    "tuijian",
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "guanggao",
    "banner",
    "sidebar",
    "comment",
    "comments",
    "pinglun",
    "pager",
    "pagination",
    "paging",
    "print",
    "toolbar",
    "gotop",
    "backtop",
    "totop",
    "qrcode",
    "ewm",
    "erweima",
    "friendlink",
    "friendlinks",
    "yqlj",
    "dibu",
    "daohang",
];

/// Class and id words that name furniture unless a content word is there too
/// (`article-head` is the article's title block, `head` the site's banner).
const WEAK_FURNITURE_WORDS: &[&str] = &[
    "head", "header", "top", "topbar", "bottom", "foot", "side", "aside", "tool", "tools", "links",
    "position", "location", "search", "login", "hot", "rank", "ranking",
];

const CONTENT_WORDS: &[&str] = &[
    "article", "content", "contents", "detail", "details", "text", "zhengwen", "zw", "artibody",
    "title", "main", "news", "post", "entry", "story",
];

const FURNITURE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "toolbar",
];

/// Words of class and id values: `bdsharebuttonbox`, `article-head` → `article`, `head`,
/// `mainNav` → `main`, `nav`.
fn words(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        out.push(part.to_ascii_lowercase());
        // camelCase parts
        let mut cur = String::new();
        let mut pieces = Vec::new();
        for c in part.chars() {
            if c.is_ascii_uppercase() && !cur.is_empty() {
                pieces.push(std::mem::take(&mut cur));
            }
            cur.push(c.to_ascii_lowercase());
        }
        pieces.push(cur);
        if pieces.len() > 1 {
            out.extend(pieces);
        }
        // trailing digits: `nav2`, `footer1`
        let stem = part.trim_end_matches(|c: char| c.is_ascii_digit());
        if stem.len() < part.len() && !stem.is_empty() {
            out.push(stem.to_ascii_lowercase());
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn is_cjk_or_punct(c: char) -> bool {
    is_cjk(c)
        || matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '“' | '”' | '‘' | '’' | '—' | '…')
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}' | '\u{a0}')
}

/// Rendering context inherited down the tree.
#[derive(Clone, Copy)]
struct Ctx {
    block: NodeId,
    link: bool,
    heading: bool,
    in_cell: bool,
    pre: bool,
}

struct Renderer<'p, 'a> {
    page: &'p Page<'a>,
    lines: Vec<Line>,
    cur: Line,
    /// White space seen since the last character: its source offset and whether it
    /// held a line break.
    space: Option<(usize, bool)>,
    /// Where the last character's source ended (`None` after a tag boundary that
    /// needs a fresh anchor).
    last_end: Option<usize>,
    tables: Vec<TableDraft>,
}

impl<'a> Page<'a> {
    /// Flags every node; elements in `trusted` are not furniture by their own name.
    fn new(src: &'a str, dom: &'a Dom, trusted: &[NodeId]) -> Self {
        let n = dom.nodes.len();
        let mut skip = vec![false; n];
        let mut furniture = vec![false; n];
        // Nodes are created parent before child, so one forward pass inherits flags.
        for id in 0..n {
            let parent = dom.nodes[id].parent;
            let (ps, pf) = parent.map_or((false, false), |p| (skip[p], furniture[p]));
            skip[id] = ps || own_skip(dom, id);
            furniture[id] = pf || (own_furniture(dom, id) && !trusted.contains(&id));
        }
        Page {
            src,
            dom,
            skip,
            furniture,
        }
    }

    /// Renders every line of the page (furniture included, flagged) and the data
    /// tables among them.
    fn render(&self) -> (Vec<Line>, Vec<TableDraft>) {
        let mut r = Renderer {
            page: self,
            lines: Vec::new(),
            cur: Line::default(),
            space: None,
            last_end: None,
            tables: Vec::new(),
        };
        let ctx = Ctx {
            block: 0,
            link: false,
            heading: false,
            in_cell: false,
            pre: false,
        };
        r.walk(0, ctx);
        r.flush();
        (r.lines, r.tables)
    }

    /// Elements flagged as furniture by their own name that hold over 40% of the
    /// page's prose (counted as if nothing were furniture).
    fn misnamed(&self, lines: &[Line]) -> Vec<NodeId> {
        let dom = self.dom;
        let mut prose: HashMap<NodeId, f64> = HashMap::new();
        let mut total = 0.0;
        for l in lines {
            let p = Line {
                furniture_chars: 0,
                ..l.clone()
            }
            .prose();
            total += p;
            for a in std::iter::once(l.node).chain(dom.ancestors(l.node)) {
                *prose.entry(a).or_default() += p;
            }
        }
        let mut out: Vec<NodeId> = prose
            .into_iter()
            .filter(|&(id, v)| total > 0.0 && v > 0.4 * total && own_furniture(dom, id))
            .map(|(id, _)| id)
            .collect();
        out.sort_unstable();
        out
    }

    /// Which lines make up the article, and whether its title is among them.
    fn article(&self, lines: &[Line]) -> (Vec<usize>, bool) {
        let dom = self.dom;
        // Prose per element.
        let mut score: HashMap<NodeId, f64> = HashMap::new();
        for l in lines {
            let p = l.prose();
            if p > 0.0 {
                for a in std::iter::once(l.node).chain(dom.ancestors(l.node)) {
                    *score.entry(a).or_default() += p;
                }
            }
        }
        let get = |id: NodeId| score.get(&id).copied().unwrap_or(0.0);
        let body = (0..dom.nodes.len())
            .find(|&id| dom.name(id) == Some("body"))
            .unwrap_or(0);
        let mut top = body;
        while get(top) > 0.0 {
            let best = dom.nodes[top]
                .children
                .iter()
                .copied()
                .filter(|&c| dom.name(c).is_some())
                .max_by(|&a, &b| get(a).total_cmp(&get(b)));
            match best {
                Some(c) if get(c) >= 0.7 * get(top) => top = c,
                _ => break,
            }
        }
        let inside = |l: &Line| l.node == top || dom.ancestors(l.node).any(|a| a == top);
        let readable = |l: &Line| !l.furniture() && (l.link_density() <= 0.5 || l.table.is_some());
        let mut keep: Vec<usize> = (0..lines.len())
            .filter(|&i| inside(&lines[i]) && readable(&lines[i]))
            .collect();

        // The title above the body, and the meta lines between.
        let first = keep.first().copied().unwrap_or(lines.len());
        let starts_with_heading = keep.first().is_some_and(|&i| lines[i].heading);
        let mut head: Vec<usize> = Vec::new();
        let mut titled = starts_with_heading;
        if !starts_with_heading {
            let title = (first.saturating_sub(40)..first).rev().find(|&i| {
                lines[i].heading && readable(&lines[i]) && lines[i].text.chars().count() <= 80
            });
            if let Some(t) = title {
                titled = true;
                head.push(t);
                head.extend(
                    (t + 1..first)
                        .filter(|&i| readable(&lines[i]) && furniture::is_meta(&lines[i].text)),
                );
            } else {
                // No marked-up title: meta lines right above the body, and the short
                // line above them.
                let mut k = first;
                while k > 0
                    && first - k < 3
                    && readable(&lines[k - 1])
                    && furniture::is_meta(&lines[k - 1].text)
                {
                    k -= 1;
                }
                if k < first && k > 0 {
                    let t = &lines[k - 1];
                    if readable(t) && t.text.chars().count() <= 80 && !t.text.contains('。') {
                        titled = true;
                        head.push(k - 1);
                    }
                }
                head.extend(k..first);
            }
        }
        head.extend(keep);
        keep = head;

        // The line rules of plain text, over what is left.
        let mut joined = String::new();
        let mut spans = Vec::new();
        for &i in &keep {
            let start = joined.len();
            joined.push_str(&lines[i].text);
            spans.push(start..joined.len());
            joined.push('\n');
        }
        let dropped: Vec<usize> = furniture::detect(&joined)
            .into_iter()
            .filter_map(|f| spans.iter().position(|s| s.contains(&f.range.start)))
            .collect();
        let keep = keep
            .into_iter()
            .enumerate()
            .filter(|(k, _)| !dropped.contains(k))
            .map(|(_, i)| i)
            .collect();
        (keep, titled)
    }
}

fn own_skip(dom: &Dom, id: NodeId) -> bool {
    let Some(name) = dom.name(id) else {
        return false;
    };
    if SKIP.contains(&name) {
        return true;
    }
    if dom.attr(id, "hidden").is_some() || dom.attr(id, "aria-hidden") == Some("true") {
        return true;
    }
    // Classes that hide by convention (the style sheet is not read).
    if dom.attr(id, "class").is_some_and(|c| {
        c.split_ascii_whitespace().any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "hidden" | "hide" | "invisible" | "d-none" | "sr-only"
            )
        })
    }) {
        return true;
    }
    dom.attr(id, "style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

fn own_furniture(dom: &Dom, id: NodeId) -> bool {
    let Some(name) = dom.name(id) else {
        return false;
    };
    match name {
        "nav" | "aside" | "footer" | "menu" => return true,
        "header" => {
            let in_article = dom
                .ancestors(id)
                .any(|a| matches!(dom.name(a), Some("article" | "main")));
            if !in_article {
                return true;
            }
        }
        "form" if dom.attr(id, "role") == Some("search") => return true,
        _ => {}
    }
    if dom
        .attr(id, "role")
        .is_some_and(|r| FURNITURE_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let mut ws = Vec::new();
    for key in ["class", "id"] {
        if let Some(v) = dom.attr(id, key) {
            ws.extend(words(v));
        }
    }
    if ws.iter().any(|w| FURNITURE_WORDS.contains(&w.as_str())) {
        return true;
    }
    ws.iter()
        .any(|w| WEAK_FURNITURE_WORDS.contains(&w.as_str()))
        && !ws.iter().any(|w| CONTENT_WORDS.contains(&w.as_str()))
}

/// A table of figures rather than page layout: no table inside, at least two rows and
/// two columns, no long cell.
fn is_data_table(dom: &Dom, table: NodeId, src: &str) -> bool {
    let mut rows = 0;
    let mut max_cells = 0;
    let mut stack = dom.nodes[table].children.clone();
    while let Some(id) = stack.pop() {
        match dom.name(id) {
            Some("table") => return false,
            Some("tr") => {
                rows += 1;
                let cells: Vec<NodeId> = dom.nodes[id]
                    .children
                    .iter()
                    .copied()
                    .filter(|&c| matches!(dom.name(c), Some("td" | "th")))
                    .collect();
                max_cells = max_cells.max(cells.len());
                for c in &cells {
                    if text_len(dom, *c, src) > 150 {
                        return false;
                    }
                }
                stack.extend(dom.nodes[id].children.iter().copied());
            }
            Some(_) => stack.extend(dom.nodes[id].children.iter().copied()),
            None => {}
        }
    }
    rows >= 2 && max_cells >= 2
}

fn text_len(dom: &Dom, id: NodeId, src: &str) -> usize {
    match &dom.nodes[id].data {
        Data::Text(r) => src[r.clone()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count(),
        Data::Element { .. } => dom.nodes[id]
            .children
            .iter()
            .map(|&c| text_len(dom, c, src))
            .sum(),
    }
}

impl Renderer<'_, '_> {
    fn flush(&mut self) {
        if !self.cur.text.is_empty() {
            let line = std::mem::take(&mut self.cur);
            self.lines.push(line);
        }
        self.cur = Line::default();
        self.space = None;
        self.last_end = None;
    }

    fn walk(&mut self, id: NodeId, ctx: Ctx) {
        let page = self.page;
        if page.skip[id] {
            return;
        }
        let furniture = page.furniture[id];
        match &page.dom.nodes[id].data {
            Data::Text(r) => {
                let src = page.src;
                parse::decode_text(src, r.clone(), |piece, range, reference| {
                    if reference {
                        for c in piece.chars() {
                            self.push(c, range.start, range.end, true, ctx, furniture);
                        }
                    } else {
                        for (k, c) in piece.char_indices() {
                            let o = range.start + k;
                            self.push(c, o, o + c.len_utf8(), false, ctx, furniture);
                        }
                    }
                });
            }
            Data::Element { name, .. } => {
                let name = name.as_str();
                if name == "br" {
                    if ctx.in_cell {
                        let at = self.cur.src_end;
                        self.space.get_or_insert((at, false));
                    } else {
                        self.flush();
                    }
                    return;
                }
                if name == "table" && !ctx.in_cell && is_data_table(page.dom, id, page.src) {
                    self.flush();
                    self.table(id, ctx);
                    return;
                }
                let block = BLOCK.contains(&name);
                let mut inner = ctx;
                if block {
                    if ctx.in_cell {
                        let at = self.cur.src_end;
                        self.space.get_or_insert((at, false));
                    } else {
                        self.flush();
                        inner.block = id;
                    }
                }
                if name == "a" && page.dom.attr(id, "href").is_some() {
                    inner.link = true;
                }
                if matches!(name, "h1" | "h2" | "h3") || (block && titled(page.dom, id)) {
                    inner.heading = true;
                }
                if name == "pre" {
                    inner.pre = true;
                }
                for &c in &page.dom.nodes[id].children {
                    self.walk(c, inner);
                }
                if block && !ctx.in_cell {
                    self.flush();
                }
            }
        }
    }

    fn push(
        &mut self,
        c: char,
        start: usize,
        end: usize,
        reference: bool,
        ctx: Ctx,
        furniture: bool,
    ) {
        if ctx.pre && c == '\n' && !ctx.in_cell {
            self.flush();
            return;
        }
        if is_html_space(c) {
            if !self.cur.text.is_empty() {
                let newline = c == '\n' || self.space.is_some_and(|(_, n)| n);
                let at = self.space.map_or(start, |(o, _)| o);
                self.space = Some((at, newline));
            }
            return;
        }
        if self.cur.text.is_empty() {
            self.cur.node = ctx.block;
        }
        if let Some((at, newline)) = self.space.take() {
            let prev = self.cur.text.chars().next_back();
            let joined = newline && prev.is_some_and(is_cjk_or_punct) && is_cjk_or_punct(c);
            if !joined && !self.cur.text.is_empty() && !self.cur.text.ends_with('\t') {
                let t = self.cur.text.len();
                self.cur.anchors.push((t, at));
                self.cur.text.push(' ');
                self.last_end = None;
            }
        }
        let t = self.cur.text.len();
        if reference || self.last_end != Some(start) {
            self.cur.anchors.push((t, start));
        }
        self.cur.text.push(c);
        self.last_end = if reference { None } else { Some(end) };
        self.cur.src_end = end;
        self.cur.chars += 1;
        if ctx.link {
            self.cur.links += 1;
        }
        if furniture {
            self.cur.furniture_chars += 1;
        }
        if ctx.heading {
            self.cur.heading = true;
        }
    }

    /// Renders a data table: one line per row, cells separated by a tab; spanned
    /// columns get empty cells so that columns line up.
    fn table(&mut self, table: NodeId, ctx: Ctx) {
        let dom = self.page.dom;
        let index = self.tables.len();
        self.tables.push(TableDraft::default());
        let mut rows = Vec::new();
        let mut caption = None;
        let mut stack = vec![table];
        let mut order = Vec::new();
        while let Some(id) = stack.pop() {
            order.push(id);
            for &c in dom.nodes[id].children.iter().rev() {
                stack.push(c);
            }
        }
        for id in order {
            match dom.name(id) {
                Some("tr") if !self.page.skip[id] => rows.push(id),
                Some("caption") => caption = Some(id),
                _ => {}
            }
        }
        if let Some(cap) = caption {
            let mut text = String::new();
            collect_text(dom, cap, self.page.src, &mut text);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                self.tables[index].caption = Some(text);
            }
        }
        // Columns still covered by a cell from a row above: remaining rows per column.
        let mut covered: Vec<usize> = Vec::new();
        for tr in rows {
            let cell_ctx = Ctx {
                block: tr,
                in_cell: true,
                ..ctx
            };
            let mut col = 0;
            let mut cells: Vec<Range<usize>> = Vec::new();
            let start_cell = |r: &mut Self, cells: &mut Vec<Range<usize>>| {
                if !cells.is_empty() {
                    r.cur.text.push('\t');
                }
                r.space = None;
                r.last_end = None;
                let at = r.cur.text.len();
                cells.push(at..at);
            };
            let tds: Vec<NodeId> = dom.nodes[tr]
                .children
                .iter()
                .copied()
                .filter(|&c| matches!(dom.name(c), Some("td" | "th")) && !self.page.skip[c])
                .collect();
            if self.cur.text.is_empty() {
                self.cur.node = tr;
            }
            for td in tds {
                while covered.get(col).is_some_and(|&n| n > 0) {
                    covered[col] -= 1;
                    start_cell(self, &mut cells);
                    col += 1;
                }
                start_cell(self, &mut cells);
                for &c in &dom.nodes[td].children {
                    self.walk(c, cell_ctx);
                }
                let end = self.cur.text.len();
                if let Some(last) = cells.last_mut() {
                    last.end = end;
                }
                let span = |k: &str| {
                    dom.attr(td, k)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                let (colspan, rowspan) = (span("colspan"), span("rowspan"));
                for k in 0..colspan {
                    if covered.len() <= col + k {
                        covered.resize(col + k + 1, 0);
                    }
                    covered[col + k] = rowspan - 1;
                    if k > 0 {
                        start_cell(self, &mut cells);
                    }
                }
                col += colspan;
            }
            while col < covered.len() {
                if covered[col] > 0 {
                    covered[col] -= 1;
                    start_cell(self, &mut cells);
                }
                col += 1;
            }
            let empty = cells.iter().all(|c| c.is_empty());
            if empty {
                self.cur = Line::default();
                self.space = None;
                self.last_end = None;
                continue;
            }
            self.cur.node = tr;
            self.cur.table = Some(index);
            self.cur.cells = cells;
            if self.cur.src_end == 0 {
                self.cur.src_end = self.page.src.len();
            }
            let line = std::mem::take(&mut self.cur);
            self.tables[index].rows.push(self.lines.len());
            self.lines.push(line);
            self.space = None;
            self.last_end = None;
        }
    }
}

/// Whether a block's class or id names a title (`title`, `tit`, `bt`, `biaoti`).
fn titled(dom: &Dom, id: NodeId) -> bool {
    ["class", "id"].iter().any(|k| {
        dom.attr(id, k).is_some_and(|v| {
            words(v).iter().any(|w| {
                matches!(
                    w.as_str(),
                    "title" | "tit" | "bt" | "biaoti" | "headline" | "dbt" | "artititle"
                )
            })
        })
    })
}

fn collect_text(dom: &Dom, id: NodeId, src: &str, out: &mut String) {
    match &dom.nodes[id].data {
        Data::Text(r) => parse::decode_text(src, r.clone(), |t, _, _| out.push_str(t)),
        Data::Element { .. } => {
            for &c in &dom.nodes[id].children {
                collect_text(dom, c, src, out);
            }
        }
    }
}

/// The page `<title>` as a line, before its site-name suffix.
fn title_line(dom: &Dom, src: &str) -> Option<Line> {
    let title = (0..dom.nodes.len()).find(|&id| dom.name(id) == Some("title"))?;
    let &text_node = dom.nodes[title].children.first()?;
    let Data::Text(r) = &dom.nodes[text_node].data else {
        return None;
    };
    let mut line = Line {
        node: title,
        heading: true,
        ..Line::default()
    };
    let mut stop = false;
    let mut space: Option<usize> = None;
    parse::decode_text(src, r.clone(), |piece, range, reference| {
        for (k, c) in piece.char_indices() {
            if stop {
                return;
            }
            let o = if reference {
                range.start
            } else {
                range.start + k
            };
            if matches!(c, '_' | '|' | '｜') || (c == '-' && space.is_some()) {
                stop = !line.text.is_empty();
                continue;
            }
            if is_html_space(c) {
                if !line.text.is_empty() {
                    space = Some(o);
                }
                continue;
            }
            if let Some(at) = space.take() {
                line.anchors.push((line.text.len(), at));
                line.text.push(' ');
            }
            line.anchors.push((line.text.len(), o));
            line.text.push(c);
            line.chars += 1;
            line.src_end = if reference {
                range.end
            } else {
                o + c.len_utf8()
            };
        }
    });
    (!line.text.is_empty()).then_some(line)
}

/// Builds the source file from the kept lines.
fn assemble(
    path: &str,
    html: &str,
    title: Option<Line>,
    lines: &[Line],
    keep: &[usize],
    drafts: Vec<TableDraft>,
) -> SourceFile {
    let mut text = String::new();
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut line_start: HashMap<usize, usize> = HashMap::new();
    let push = |l: &Line, text: &mut String, anchors: &mut Vec<(usize, usize)>| -> usize {
        let base = text.len();
        for &(t, o) in &l.anchors {
            anchors.push((base + t, o));
        }
        text.push_str(&l.text);
        anchors.push((text.len(), l.src_end));
        text.push('\n');
        base
    };
    if let Some(t) = &title {
        push(t, &mut text, &mut anchors);
    }
    for &i in keep {
        let base = push(&lines[i], &mut text, &mut anchors);
        line_start.insert(i, base);
    }
    // Anchors must be sorted by text offset, and each offset must map once.
    anchors.dedup_by_key(|a| a.0);

    let mut tables = Vec::new();
    let mut places = Vec::new();
    for d in drafts {
        let rows: Vec<usize> = d
            .rows
            .iter()
            .copied()
            .filter(|r| line_start.contains_key(r))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let label = format!("表{}", tables.len() + 1);
        let first = rows[0];
        let caption = d.caption.clone().or_else(|| {
            let k = keep.iter().position(|&i| i == first)?;
            let prev = keep.get(k.checked_sub(1)?)?;
            let t = lines[*prev].text.trim();
            (lines[*prev].table.is_none() && t.chars().count() <= 60 && !t.contains('。'))
                .then(|| t.to_owned())
        });
        let mut table = Table {
            label,
            caption,
            rows: Vec::new(),
        };
        for r in rows {
            let base = line_start[&r];
            let cells: Vec<Cell> = lines[r]
                .cells
                .iter()
                .map(|c| Cell {
                    text: lines[r].text[c.clone()].trim().to_owned(),
                    range: base + c.start..base + c.end,
                })
                .collect();
            table.rows.push(cells);
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
    places.sort_by_key(|p| p.range.start);
    SourceFile {
        path: path.to_owned(),
        text,
        encoding: "UTF-8",
        furniture: Vec::new(),
        origin: Some(Origin {
            original: html.to_owned(),
            anchors,
        }),
        places,
        tables,
    }
}
