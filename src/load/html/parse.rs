//! A forgiving HTML tokenizer and tree builder that keeps source offsets.
//!
//! Diagnostics on a web page point into its HTML source, so every character of text
//! must be traced back to the byte it came from. The HTML parser crates build
//! standards-conforming trees but drop the offsets of decoded text, so this module
//! does the part jiaohe needs itself: tags, attributes, comments, raw-text elements
//! (`script`, `style`, `title` …), character references, and a tree built with the
//! HTML rules that matter on real pages — void elements, implied end tags (`<p>`,
//! `<li>`, `<td>`, `<tr>` closed by their successors) and end tags that cannot close
//! an element outside the current table cell. Mis-nested inline markup is tolerated,
//! not repaired; it does not change which text a block holds.

use std::ops::Range;

/// Index of a node in [`Dom::nodes`].
pub type NodeId = usize;

/// The parsed page.
#[derive(Debug, Default)]
pub struct Dom {
    /// Node 0 is the document root.
    pub nodes: Vec<Node>,
}

/// One node: an element or a run of raw text.
#[derive(Debug)]
pub struct Node {
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub data: Data,
}

#[derive(Debug)]
pub enum Data {
    Element {
        /// Lower-case tag name.
        name: String,
        /// Attributes with lower-case names; values undecoded except for `&amp;`.
        attrs: Vec<(String, String)>,
    },
    /// Raw (undecoded) text: a byte range of the source.
    Text(Range<usize>),
}

impl Dom {
    pub fn name(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].data {
            Data::Element { name, .. } => Some(name),
            Data::Text(_) => None,
        }
    }

    pub fn attr(&self, id: NodeId, key: &str) -> Option<&str> {
        match &self.nodes[id].data {
            Data::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            Data::Text(_) => None,
        }
    }

    /// The ancestors of a node, nearest first (the node itself excluded).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes[id].parent, move |&p| self.nodes[p].parent)
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
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
    "ul",
    "dd",
    "dt",
];

/// Elements an ordinary end tag may not reach past.
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "template", "object", "marquee", "applet",
];
const TABLE_SCOPE: &[&str] = &["html", "table", "template"];

struct Builder {
    dom: Dom,
    open: Vec<NodeId>,
}

impl Builder {
    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(0)
    }

    fn append(&mut self, data: Data) -> NodeId {
        let parent = self.current();
        let id = self.dom.nodes.len();
        self.dom.nodes.push(Node {
            parent: Some(parent),
            children: Vec::new(),
            data,
        });
        self.dom.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, r: Range<usize>) {
        if !r.is_empty() {
            self.append(Data::Text(r));
        }
    }

    fn open_name(&self, i: usize) -> &str {
        self.dom.name(self.open[i]).unwrap_or("")
    }

    /// Closes the nearest open element named in `targets`, unless an element named in
    /// `boundary` comes first. Returns whether one was closed.
    fn close_in_scope(&mut self, targets: &[&str], boundary: &[&str]) -> bool {
        for i in (0..self.open.len()).rev() {
            let name = self.open_name(i);
            if targets.contains(&name) {
                self.open.truncate(i);
                return true;
            }
            if boundary.contains(&name) {
                return false;
            }
        }
        false
    }

    fn start(&mut self, name: String, attrs: Vec<(String, String)>) -> NodeId {
        let n = name.as_str();
        if CLOSES_P.contains(&n) {
            let mut scope = SCOPE.to_vec();
            scope.push("button");
            self.close_in_scope(&["p"], &scope);
        }
        match n {
            "li" => {
                let mut scope = SCOPE.to_vec();
                scope.extend(["ul", "ol"]);
                self.close_in_scope(&["li"], &scope);
            }
            "dd" | "dt" => {
                let mut scope = SCOPE.to_vec();
                scope.push("dl");
                self.close_in_scope(&["dd", "dt"], &scope);
            }
            "tr" => {
                self.close_in_scope(&["tr"], TABLE_SCOPE);
            }
            "td" | "th" => {
                self.close_in_scope(&["td", "th"], &["html", "table", "template", "tr"]);
            }
            "tbody" | "thead" | "tfoot" => {
                self.close_in_scope(&["tbody", "thead", "tfoot"], TABLE_SCOPE);
            }
            "option" => {
                self.close_in_scope(&["option"], &["select", "html"]);
            }
            "optgroup" => {
                self.close_in_scope(&["option", "optgroup"], &["select", "html"]);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if matches!(
                    self.dom.name(self.current()),
                    Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                ) {
                    self.open.pop();
                }
            }
            "a" => {
                self.close_in_scope(&["a"], SCOPE);
            }
            _ => {}
        }
        let void = VOID.contains(&n);
        let id = self.append(Data::Element { name, attrs });
        if !void {
            self.open.push(id);
        }
        id
    }

    fn end(&mut self, name: &str) {
        match name {
            "br" => {
                self.start("br".into(), Vec::new());
            }
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "caption" => {
                self.close_in_scope(&[name], TABLE_SCOPE);
            }
            "table" => {
                self.close_in_scope(&["table"], &["html"]);
            }
            "li" => {
                let mut scope = SCOPE.to_vec();
                scope.extend(["ul", "ol"]);
                self.close_in_scope(&["li"], &scope);
            }
            _ => {
                self.close_in_scope(&[name], SCOPE);
            }
        }
    }
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len())
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|i| from + i)
}

/// Parses a tag starting at `i` (`<` of `<name` or `</name`). Returns the lower-case
/// name, the attributes, and the offset after `>`.
fn tag(b: &[u8], src: &str, i: usize, end_tag: bool) -> (String, Vec<(String, String)>, usize) {
    let mut j = i + if end_tag { 2 } else { 1 };
    let name_start = j;
    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
        j += 1;
    }
    let name = src[name_start..j].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
            j += 1;
        }
        if j >= b.len() {
            return (name, attrs, b.len());
        }
        if b[j] == b'>' {
            return (name, attrs, j + 1);
        }
        let k0 = j;
        // A name ends at white space, `=`, `>` or a `/` after its first character.
        while j < b.len()
            && !(b[j].is_ascii_whitespace()
                || matches!(b[j], b'=' | b'>')
                || b[j] == b'/' && j > k0)
        {
            j += 1;
        }
        let key = src[k0..j].to_ascii_lowercase();
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let v0 = j + 1;
                let v1 = memchr::memchr(q, &b[v0..]).map_or(b.len(), |k| v0 + k);
                value = src[v0..v1].replace("&amp;", "&");
                j = (v1 + 1).min(b.len());
            } else {
                let v0 = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                value = src[v0..j].replace("&amp;", "&");
            }
        }
        if !key.is_empty() && !end_tag {
            attrs.push((key, value));
        }
    }
}

/// Parses `src` into a tree.
pub fn parse(src: &str) -> Dom {
    let b = src.as_bytes();
    let mut bld = Builder {
        dom: Dom {
            nodes: vec![Node {
                parent: None,
                children: Vec::new(),
                data: Data::Element {
                    name: "#document".into(),
                    attrs: Vec::new(),
                },
            }],
        },
        open: Vec::new(),
    };
    let mut i = 0;
    let mut text_start = 0;
    while let Some(k) = memchr::memchr(b'<', &b[i..]) {
        i += k;
        let next = b.get(i + 1).copied().unwrap_or(0);
        if b[i..].starts_with(b"<!--") {
            bld.text(text_start..i);
            let end = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
            i = end;
            text_start = i;
        } else if next == b'!' || next == b'?' {
            bld.text(text_start..i);
            let end = if b[i..].starts_with(b"<![CDATA[") {
                find(b, i, b"]]>").map_or(b.len(), |e| e + 3)
            } else {
                memchr::memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1)
            };
            i = end;
            text_start = i;
        } else if next == b'/' && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            bld.text(text_start..i);
            let (name, _, end) = tag(b, src, i, true);
            bld.end(&name);
            i = end;
            text_start = i;
        } else if next.is_ascii_alphabetic() {
            bld.text(text_start..i);
            let (name, attrs, end) = tag(b, src, i, false);
            i = end;
            text_start = i;
            let raw = RAW_TEXT.contains(&name.as_str());
            let closing = format!("</{name}");
            let id = bld.start(name, attrs);
            if raw {
                let stop = find_ci(b, i, closing.as_bytes()).unwrap_or(b.len());
                bld.text(i..stop);
                // The element was pushed as open; its content ends here.
                if bld.open.last() == Some(&id) {
                    bld.open.pop();
                }
                i = if stop < b.len() {
                    memchr::memchr(b'>', &b[stop..]).map_or(b.len(), |e| stop + e + 1)
                } else {
                    b.len()
                };
                text_start = i;
            }
        } else {
            i += 1;
        }
    }
    bld.text(text_start..b.len());
    bld.dom
}

/// Decodes the character references of a raw text range: the decoded pieces and where
/// each starts in the source. A piece is either a run copied verbatim or the
/// expansion of one reference.
pub fn decode_text(src: &str, r: Range<usize>, mut emit: impl FnMut(&str, Range<usize>, bool)) {
    let b = src.as_bytes();
    let mut i = r.start;
    let mut run = r.start;
    while let Some(k) = memchr::memchr(b'&', &b[i..r.end]) {
        let amp = i + k;
        match reference(src, amp, r.end) {
            Some((text, end)) => {
                if run < amp {
                    emit(&src[run..amp], run..amp, false);
                }
                emit(&text, amp..end, true);
                i = end;
                run = end;
            }
            None => i = amp + 1,
        }
    }
    if run < r.end {
        emit(&src[run..r.end], run..r.end, false);
    }
}

/// Legacy named references browsers accept without `;`.
const LEGACY: &[&str] = &[
    "nbsp", "amp", "lt", "gt", "quot", "copy", "reg", "middot", "times",
];

/// Resolves the character reference at `amp`: its text and the offset after it.
fn reference(src: &str, amp: usize, limit: usize) -> Option<(String, usize)> {
    let b = src.as_bytes();
    let mut j = amp + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let d0 = j;
        while j < limit
            && (if hex {
                b[j].is_ascii_hexdigit()
            } else {
                b[j].is_ascii_digit()
            })
        {
            j += 1;
        }
        if j == d0 || j - d0 > 8 {
            return None;
        }
        let n = u32::from_str_radix(&src[d0..j], if hex { 16 } else { 10 }).ok()?;
        if j < limit && b[j] == b';' {
            j += 1;
        }
        let c = match n {
            0x80..=0x9f => {
                let byte = [u8::try_from(n).ok()?];
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(&byte)
                    .0
                    .chars()
                    .next()
                    .unwrap_or('\u{fffd}')
            }
            _ => char::from_u32(n)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{fffd}'),
        };
        return Some((c.to_string(), j));
    }
    let n0 = j;
    while j < limit && j - n0 < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == n0 {
        return None;
    }
    let name = &src[n0..j];
    if j < limit && b[j] == b';' {
        let text = quick_xml::escape::resolve_html5_entity(name)?;
        return Some((text.to_owned(), j + 1));
    }
    if LEGACY.contains(&name) {
        let text = quick_xml::escape::resolve_html5_entity(name)?;
        return Some((text.to_owned(), j));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom, id: NodeId, src: &str, out: &mut String) {
        match &dom.nodes[id].data {
            Data::Element { name, .. } => {
                out.push_str(&format!("<{name}>"));
                for &c in &dom.nodes[id].children {
                    outline(dom, c, src, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            Data::Text(r) => out.push_str(&src[r.clone()]),
        }
    }

    fn tree(src: &str) -> String {
        let dom = parse(src);
        let mut out = String::new();
        for &c in &dom.nodes[0].children {
            outline(&dom, c, src, &mut out);
        }
        out
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(
            tree("<p>一<p>二<div>三</div>"),
            "<p>一</p><p>二</p><div>三</div>"
        );
        assert_eq!(
            tree("<ul><li>甲<li>乙</ul>"),
            "<ul><li>甲</li><li>乙</li></ul>"
        );
        assert_eq!(
            tree("<table><tr><td>1<td>2<tr><td>3</table>"),
            "<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>"
        );
    }

    #[test]
    fn stray_end_tags_do_not_leave_a_cell() {
        assert_eq!(
            tree("<div><table><tr><td>甲</div>乙</td></tr></table>丙</div>"),
            "<div><table><tr><td>甲乙</td></tr></table>丙</div>"
        );
    }

    #[test]
    fn raw_text_comments_and_attributes() {
        let src =
            "<!DOCTYPE html><script>if (a < b) {}</script><!-- 注释 --><p class='x' id=y>正文</p>";
        assert_eq!(tree(src), "<script>if (a < b) {}</script><p>正文</p>");
        let dom = parse(src);
        let p = dom
            .nodes
            .iter()
            .position(|n| matches!(&n.data, Data::Element { name, .. } if name == "p"));
        let p = p.unwrap();
        assert_eq!(dom.attr(p, "class"), Some("x"));
        assert_eq!(dom.attr(p, "id"), Some("y"));
    }

    #[test]
    fn references_decode_with_offsets() {
        let src = "A&amp;B&ldquo;示例&rdquo;&#8212;&#x4e00;&nbsp x &unknown; &";
        let mut pieces = Vec::new();
        decode_text(src, 0..src.len(), |t, r, _| pieces.push((t.to_owned(), r)));
        let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "A&B“示例”—一\u{a0} x &unknown; &");
        assert_eq!(pieces[1], ("&".to_owned(), 1..6));
    }
}
