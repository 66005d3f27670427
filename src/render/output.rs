//! From the rendered text to the output formats.
//!
//! Templates write a small Markdown subset, one block per line:
//! `# 标题` (the title), `## 一、…` / `### （一）…` / `#### 1.…` (headings of three
//! levels), `> …` (a line of the letterhead: issuer, date, issue number — centred),
//! `| a | b |` rows (a table; a `|---|` row after the header), and any other
//! non-empty line (a paragraph). [`parse`] turns that into [`Block`]s; [`to_txt`],
//! [`to_md`] and [`to_html`] write them, [`super::docx`] writes Word.
//! [`prose`] is the text the self-check reads: everything but tables (their figures
//! are the same figures, through the same filters).

/// One block of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    /// A letterhead line (issuer, date, issue number).
    Meta(String),
    /// Level 1–3 (`一、`, `（一）`, `1.`).
    Heading(u8, String),
    Para(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Txt,
    Md,
    Html,
    Docx,
}

impl Format {
    /// From a file extension.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Txt),
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_owned()).collect()
}

fn is_rule_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Parses rendered text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut table: Option<(Vec<String>, Vec<Vec<String>>)> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with('|') {
            if is_rule_row(line) {
                continue;
            }
            match &mut table {
                Some((_, rows)) => rows.push(cells(line)),
                None => table = Some((cells(line), Vec::new())),
            }
            continue;
        }
        if let Some((header, rows)) = table.take() {
            out.push(Block::Table { header, rows });
        }
        if line.is_empty() {
            continue;
        }
        let block = if let Some(t) = line.strip_prefix("#### ") {
            Block::Heading(3, t.trim().to_owned())
        } else if let Some(t) = line.strip_prefix("### ") {
            Block::Heading(2, t.trim().to_owned())
        } else if let Some(t) = line.strip_prefix("## ") {
            Block::Heading(1, t.trim().to_owned())
        } else if let Some(t) = line.strip_prefix("# ") {
            Block::Title(t.trim().to_owned())
        } else if let Some(t) = line.strip_prefix('>') {
            Block::Meta(t.trim().to_owned())
        } else {
            Block::Para(line.to_owned())
        };
        out.push(block);
    }
    if let Some((header, rows)) = table.take() {
        out.push(Block::Table { header, rows });
    }
    out
}

/// Display width: CJK and full-width characters count two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{115f}').contains(&c)
                || ('\u{2e80}'..='\u{a4cf}').contains(&c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{f900}'..='\u{faff}').contains(&c)
                || ('\u{fe30}'..='\u{fe4f}').contains(&c)
                || ('\u{ff00}'..='\u{ff60}').contains(&c)
                || ('\u{ffe0}'..='\u{ffe6}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

fn table_txt(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let mut w = vec![0; n];
    for r in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |r: &[String]| {
        let mut s = String::new();
        for (i, wi) in w.iter().enumerate() {
            let c = r.get(i).map_or("", String::as_str);
            s.push_str(c);
            if i + 1 < n {
                s.push_str(&" ".repeat(wi - width(c) + 2));
            }
        }
        s.trim_end().to_owned()
    };
    let mut out = line(header);
    out.push('\n');
    out.push_str(&"-".repeat(w.iter().sum::<usize>() + 2 * n.saturating_sub(1)));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

/// Plain text: one block per paragraph, blank lines between, tables aligned.
pub fn to_txt(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        parts.push(match b {
            Block::Title(t) | Block::Meta(t) | Block::Heading(_, t) | Block::Para(t) => {
                format!("{t}\n")
            }
            Block::Table { header, rows } => table_txt(header, rows),
        });
    }
    parts.join("\n")
}

/// The prose the self-check reads: [`to_txt`] without tables.
pub fn prose(blocks: &[Block]) -> String {
    let kept: Vec<Block> = blocks
        .iter()
        .filter(|b| !matches!(b, Block::Table { .. }))
        .cloned()
        .collect();
    to_txt(&kept)
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown.
pub fn to_md(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        parts.push(match b {
            Block::Title(t) => format!("# {t}\n"),
            Block::Meta(t) => format!("> {t}\n"),
            Block::Heading(l, t) => format!("{} {t}\n", "#".repeat(usize::from(*l) + 1)),
            Block::Para(t) => format!("{t}\n"),
            Block::Table { header, rows } => {
                let mut s = format!(
                    "| {} |\n|{}|\n",
                    header
                        .iter()
                        .map(|c| md_cell(c))
                        .collect::<Vec<_>>()
                        .join(" | "),
                    vec!["---"; header.len()].join("|")
                );
                for r in rows {
                    s.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                s
            }
        });
    }
    parts.join("\n")
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A standalone HTML page.
pub fn to_html(blocks: &[Block]) -> String {
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("报告");
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody {{ max-width: 44em; margin: 2em auto; font-family: \"FangSong\", \"STFangsong\", serif; line-height: 1.8; }}\nh1 {{ text-align: center; font-family: \"SimSun\", serif; }}\n.meta {{ text-align: center; }}\np {{ text-indent: 2em; margin: 0.4em 0; }}\ntable {{ border-collapse: collapse; margin: 1em auto; }}\nth, td {{ border: 1px solid #444; padding: 0.2em 0.6em; }}\n</style>\n</head>\n<body>\n",
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Title(t) => s.push_str(&format!("<h1>{}</h1>\n", escape(t))),
            Block::Meta(t) => s.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(t))),
            Block::Heading(l, t) => {
                s.push_str(&format!("<h{n}>{}</h{n}>\n", escape(t), n = l + 1));
            }
            Block::Para(t) => s.push_str(&format!("<p>{}</p>\n", escape(t))),
            Block::Table { header, rows } => {
                s.push_str("<table>\n<tr>");
                for h in header {
                    s.push_str(&format!("<th>{}</th>", escape(h)));
                }
                s.push_str("</tr>\n");
                for r in rows {
                    s.push_str("<tr>");
                    for c in r {
                        s.push_str(&format!("<td>{}</td>", escape(c)));
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</table>\n");
            }
        }
    }
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_from_markdown_subset() {
        let b = parse(
            "# 题\n> 2026年1月18日\n\n## 一、总体\n正文。\n| a | b |\n|---|---|\n| 1 | 2 |\n### （一）小\n",
        );
        assert_eq!(
            b,
            vec![
                Block::Title("题".into()),
                Block::Meta("2026年1月18日".into()),
                Block::Heading(1, "一、总体".into()),
                Block::Para("正文。".into()),
                Block::Table {
                    header: vec!["a".into(), "b".into()],
                    rows: vec![vec!["1".into(), "2".into()]]
                },
                Block::Heading(2, "（一）小".into()),
            ]
        );
        assert!(!prose(&b).contains('|'));
        assert!(to_txt(&b).contains("a  b"), "{}", to_txt(&b));
    }

    #[test]
    fn html_escapes() {
        let h = to_html(&[Block::Para("a<b & \"c\"".into())]);
        assert!(h.contains("a&lt;b &amp; &quot;c&quot;"));
    }

    #[test]
    fn wide_characters_count_two() {
        assert_eq!(width("指标"), 4);
        assert_eq!(width("ab"), 2);
    }
}
