//! Page furniture in text scraped from the web: which lines are not the article.
//!
//! Web pages carry toolbars (`下载` `打印` `【字号：大 中 小】`), breadcrumbs
//! (`首页 > 政务公开 > 要闻`), advertising above the title, and site footers (`版权所有`,
//! ICP 备案, `主办单位`, contact lines), related-article lists and app promotions below
//! the article. Copied as text, each becomes a line. [`detect`] finds those lines and
//! says why ([`Kind`]); the loader records their ranges in
//! [`super::SourceFile::furniture`] and extraction skips them. No text is deleted, so
//! spans stay valid.
//!
//! Rules are deliberately narrow, because a lost statement of the article is worse
//! than a footer left in place:
//! - a line is matched as a whole against known toolbar and navigation words, or
//!   contains a footer marker that never occurs in an article (`ICP备`, `版权所有`);
//! - contact, editor and promotion lines count only in the *tail* (after the last line
//!   that reads as prose), toolbar words of one character (`大` `中` `小`) only in the
//!   head or the tail or in a run of toolbar lines;
//! - lines above the title count as advertising only when a meta line (`来源：`,
//!   `发布时间：`, a date and time) follows the title, and every one of them is short,
//!   without digits and without clause punctuation, so nothing there can be a figure.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Why a line is furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Page tools: `下载` `打印` `收藏` `【字号：` `分享到微信` `关闭窗口`.
    Toolbar,
    /// Breadcrumbs and menus: `当前位置：首页 > 要闻`.
    Navigation,
    /// Short lines above the title of the article (advertising, menus).
    AboveTitle,
    /// Site footer: copyright, ICP and police registration, sponsor, contact lines.
    Footer,
    /// A related-article list and its heading (`相关报道：`, `相关推荐`).
    Related,
    /// Promotion of an app or an account, advertising below the article.
    Promotion,
    /// Lines without a single Chinese character or digit at the end of the page
    /// (`false`, `|`).
    Debris,
}

impl Kind {
    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Toolbar => "页面工具",
            Kind::Navigation => "导航",
            Kind::AboveTitle => "标题上方的广告或菜单",
            Kind::Footer => "页脚",
            Kind::Related => "相关文章列表",
            Kind::Promotion => "推广",
            Kind::Debris => "无内容的行",
        }
    }
}

/// One furniture line: its byte range (without the line end) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub range: Range<usize>,
    pub kind: Kind,
}

/// Toolbar and navigation words that make up a whole line (after brackets, colons
/// and separators are stripped).
const TOOL_WORDS: &[&str] = &[
    "下载",
    "打印",
    "全屏",
    "收藏",
    "加大",
    "还原",
    "减小",
    "放大",
    "缩小",
    "字号",
    "字体",
    "大",
    "中",
    "小",
    "默认",
    "分享",
    "分享到",
    "分享到微信",
    "分享到微博",
    "分享到QQ空间",
    "微信",
    "微博",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "打印本页",
    "打印此页",
    "打印正文",
    "返回顶部",
    "回到顶部",
    "我要纠错",
    "网站纠错",
    "纠错",
    "阅读量",
    "阅读次数",
    "浏览次数",
    "点击量",
    "点击数",
    "访问量",
    "点击总量",
    "上一篇",
    "下一篇",
    "返回",
    "返回列表",
    "发表评论",
    "评论",
    "点赞",
    "×",
];

/// Navigation words that make up a whole line.
const NAV_WORDS: &[&str] = &[
    "首页",
    "当前位置",
    "您的位置",
    "你的位置",
    "您当前的位置",
    "位置",
];

/// Headings of related-article lists.
const RELATED_WORDS: &[&str] = &[
    "相关报道",
    "相关文档",
    "相关推荐",
    "相关阅读",
    "相关新闻",
    "相关链接",
    "相关附件",
    "相关文章",
    "相关稿件",
    "相关专题",
    "延伸阅读",
    "推荐阅读",
    "热点推荐",
    "热门推荐",
    "猜你喜欢",
    "友情链接",
    "热门文章",
    "最新文章",
];

/// Markers that never occur in an article: a line holding one is a site footer,
/// wherever it is.
const FOOTER_STRONG: &[&str] = &[
    "ICP备",
    "ICP证",
    "公网安备",
    "网站标识码",
    "版权所有",
    "版权声明",
    "Copyright",
    "COPYRIGHT",
    "copyright",
    "©",
    "站点地图",
    "网站地图",
];

/// Footer and editor markers that settle a line in the tail by themselves.
const TAIL_STRONG: &[&str] = &["责任编辑", "维基文库", "Public domain", "扫一扫"];

/// Contact and sponsor markers, trusted in the tail when a line holds two of them or
/// borders on another furniture line (`主办单位：` alone may head an item of a list of
/// public projects).
const TAIL_WEAK: &[&str] = &[
    "主办单位",
    "主办：",
    "主办:",
    "承办单位",
    "承办：",
    "承办:",
    "协办单位",
    "技术支持",
    "联系我们",
    "网站声明",
    "联系电话",
    "联系人",
    "联系方式",
    "电话：",
    "电话:",
    "传真",
    "邮编",
    "邮政编码",
    "E-mail",
    "Email",
    "email",
    "邮箱",
    "地址：",
    "地址:",
    "单位名称",
    "信息查询",
    "扫码",
    "二维码",
];

/// Promotion lines (apps, accounts, advertising), trusted only in the tail.
static PROMOTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        尽在.{0,12}(APP|App|app|客户端)
      | (下载|打开).{0,8}(APP|App|app|客户端)
      | 关注.{0,12}(公众号|微信号|微博)
      | 开户.{0,12}(红包|福利|有奖)
      | (红包|福利).{0,12}开户",
    )
    .unwrap_or_else(|_| unreachable!("valid pattern"))
});

/// A meta line under a title: source, publication time, a bare date and time.
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(来源|来源于|稿源|发布时间|发表时间|发布日期|发文日期|时间|日期|作者|索\s*引\s*号)\s*[:：]
      | 发布时间\s*[:：]
      | ^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}\s*[:时]\s*\d{2}(\s*[:分]\s*(\d{2}\s*秒?)?)?)?(\s+\d+)?$",
    )
    .unwrap_or_else(|_| unreachable!("valid pattern"))
});

/// A subtitle or byline between a title and its meta lines.
static SUBTITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        ^(——|――|—|--|－－)
      | 会议上\s*[)）]?$
      | ^\S{0,16}(省长|市长|区长|县长|主席|主任|局长|书记|记者|通讯员)\s*\S{1,4}$",
    )
    .unwrap_or_else(|_| unreachable!("valid pattern"))
});

/// An entry of a related list at the very end: a date, then a title.
static DATED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}\s*(年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})")
        .unwrap_or_else(|_| unreachable!("valid pattern"))
});

/// Whether a line is a meta line under a title (`来源：`, `发布时间：`, a date and time).
pub fn is_meta(line: &str) -> bool {
    META.is_match(line.trim())
}

/// Finds the furniture lines of `text`, in order.
pub fn detect(text: &str) -> Vec<Line> {
    let lines = lines(text);
    let n = lines.len();
    let s = |i: usize| &text[lines[i].clone()];

    // Anywhere: strong footer markers, multi-character toolbar, navigation and
    // related-list headings.
    let mut kinds: Vec<Option<Kind>> = (0..n).map(|i| classify_anywhere(s(i))).collect();
    // Runs of three or more toolbar-like lines anywhere (one-character words too).
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && (tool_line(s(j), true).is_some() || kinds[j].is_some()) {
            j += 1;
        }
        if j - i >= 3 {
            for (k, kind) in kinds.iter_mut().enumerate().take(j).skip(i) {
                if kind.is_none() {
                    *kind = tool_line(s(k), true);
                }
            }
        }
        i = j.max(i + 1);
    }

    // Head: the lines before the first line of prose.
    let first_prose = (0..n).find(|&i| is_prose(s(i))).unwrap_or(n);
    for (i, kind) in kinds.iter_mut().enumerate().take(first_prose) {
        if kind.is_none() {
            *kind = tool_line(s(i), true);
        }
    }
    above_title(&lines, text, first_prose, &mut kinds);

    // Tail: the lines after the last line of prose (footer and promotion lines do
    // not count as prose).
    let last_prose = (0..n)
        .rev()
        .find(|&i| is_prose(s(i)) && !tail_kind(s(i)).is_some_and(|(_, strong)| strong))
        .map_or(0, |i| i + 1);
    let mut in_related = false;
    let mut weak = Vec::new();
    for (i, kind) in kinds.iter_mut().enumerate().skip(last_prose) {
        let line = s(i);
        if *kind == Some(Kind::Related) {
            in_related = true;
            continue;
        }
        if kind.is_some() {
            continue;
        }
        let tail = tail_kind(line);
        if tail.is_some_and(|(_, strong)| !strong) {
            weak.push(i);
            continue;
        }
        *kind = tool_line(line, true)
            .or(tail.map(|(k, _)| k))
            .or_else(|| is_debris(line).then_some(Kind::Debris))
            .or_else(|| (in_related && !is_prose(line)).then_some(Kind::Related));
    }
    // A contact line counts when it borders on furniture.
    loop {
        let before = weak.len();
        weak.retain(|&i| {
            let near = (i > 0 && kinds[i - 1].is_some()) || (i + 1 < n && kinds[i + 1].is_some());
            if near {
                kinds[i] = Some(Kind::Footer);
            }
            !near
        });
        if weak.len() == before {
            break;
        }
    }
    // A run of dated titles closing the page is a related list.
    let mut k = n;
    while k > last_prose.max(1) && {
        let line = s(k - 1);
        kinds[k - 1].is_some() || (DATED_TITLE.is_match(line) && !has_sentence_end(line))
    } {
        k -= 1;
    }
    let dated: Vec<usize> = (k..n).filter(|&i| kinds[i].is_none()).collect();
    if dated.len() >= 2 {
        for i in dated {
            kinds[i] = Some(Kind::Related);
        }
    }

    lines
        .into_iter()
        .zip(kinds)
        .filter_map(|(range, kind)| kind.map(|kind| Line { range, kind }))
        .collect()
}

/// Non-empty lines as byte ranges, trimmed of white space (ASCII, ideographic, NBSP).
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start_matches(is_space).len();
        let trimmed = body.trim_matches(is_space);
        if !trimmed.is_empty() {
            out.push(start + lead..start + lead + trimmed.len());
        }
        start += line.len();
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

fn has_sentence_end(s: &str) -> bool {
    s.contains(['。', '！', '？', '；'])
}

/// A line that reads as prose: a sentence end, or long.
fn is_prose(s: &str) -> bool {
    has_sentence_end(s) || s.chars().count() >= 60
}

fn classify_anywhere(s: &str) -> Option<Kind> {
    if s.chars().count() <= 120 && FOOTER_STRONG.iter().any(|m| s.contains(m)) {
        return Some(Kind::Footer);
    }
    if let Some(k) = tool_line(s, false) {
        return Some(k);
    }
    None
}

/// Whether a whole line is toolbar, navigation or a related-list heading. One-character
/// words (`大` `中` `小`) count only when `short_ok`.
fn tool_line(s: &str, short_ok: bool) -> Option<Kind> {
    if s.chars().count() > 40 {
        return None;
    }
    if s.starts_with("扫一扫") && s.chars().count() <= 20 {
        return Some(Kind::Toolbar);
    }
    let words: Vec<&str> = s
        .split(|c: char| {
            is_space(c)
                || matches!(
                    c,
                    '【' | '】'
                        | '['
                        | ']'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | '<'
                        | '>'
                        | '＜'
                        | '＞'
                        | '《'
                        | '》'
                        | '»'
                        | '›'
                        | '|'
                        | '｜'
                        | ':'
                        | '：'
                        | '/'
                        | '·'
                )
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        // Only brackets and separators: `】`, `|`, `>`.
        return short_ok.then_some(Kind::Toolbar);
    }
    if words.len() == 1 && RELATED_WORDS.contains(&words[0]) {
        return Some(Kind::Related);
    }
    // A breadcrumb: `首页 > 政务公开 > 要闻`.
    let crumbs = s.matches(['>', '＞', '»', '›']).count();
    if crumbs >= 2 && words.len() >= 2 && !has_sentence_end(s) && !s.contains(['，', '、']) {
        return Some(Kind::Navigation);
    }
    let is_word = |w: &str, set: &[&str]| {
        set.contains(&w) && (short_ok || w.chars().count() >= 2 || w == "×")
    };
    // The words of a location line (`当前位置：首页 > 要闻`) after its first word are
    // menu names, read as navigation.
    if is_word(words[0], NAV_WORDS) && (words.len() == 1 || s.contains(['>', '＞', '»', '›'])) {
        return Some(Kind::Navigation);
    }
    if words.iter().all(|w| is_word(w, TOOL_WORDS)) {
        return Some(Kind::Toolbar);
    }
    None
}

/// Footer and promotion lines of the tail: the kind and whether the line settles it
/// alone (`false`: only next to other furniture).
fn tail_kind(s: &str) -> Option<(Kind, bool)> {
    let n = s.chars().count();
    if n <= 120 && FOOTER_STRONG.iter().any(|m| s.contains(m)) {
        return Some((Kind::Footer, true));
    }
    if n <= 80 && PROMOTION.is_match(s) {
        return Some((Kind::Promotion, true));
    }
    if n > 80 {
        return None;
    }
    let editor = n <= 40 && (s.contains("编辑：") || s.contains("编辑:"));
    if editor || TAIL_STRONG.iter().any(|m| s.contains(m)) {
        return Some((Kind::Footer, true));
    }
    match TAIL_WEAK.iter().filter(|m| s.contains(*m)).count() {
        0 => None,
        1 => Some((Kind::Footer, false)),
        _ => Some((Kind::Footer, true)),
    }
}

/// A line with no Chinese character and no digit (`false`, `Public domain`, a hash).
fn is_debris(s: &str) -> bool {
    s.chars().count() <= 40 && !s.chars().any(|c| is_cjk(c) || c.is_ascii_digit())
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Marks the lines above the title as [`Kind::AboveTitle`] when the title is followed
/// by a meta line and every line above it is short, without digits and without clause
/// punctuation.
fn above_title(lines: &[Range<usize>], text: &str, first_prose: usize, kinds: &mut [Option<Kind>]) {
    let s = |i: usize| &text[lines[i].clone()];
    let limit = first_prose.min(40);
    let Some(meta) = (0..limit).find(|&i| kinds[i].is_none() && META.is_match(s(i))) else {
        return;
    };
    let mut t = meta;
    let title = loop {
        if t == 0 {
            return;
        }
        t -= 1;
        if kinds[t].is_some() || SUBTITLE.is_match(s(t)) || META.is_match(s(t)) {
            continue;
        }
        break t;
    };
    let above: Vec<usize> = (0..title).filter(|&i| kinds[i].is_none()).collect();
    let plain = |l: &str| {
        l.chars().count() <= 30
            && !l.chars().any(|c| {
                c.is_ascii_digit()
                    || c.is_numeric()
                    || "一二三四五六七八九十百千万亿两零〇".contains(c)
                    || "，。；！？、,;!?".contains(c)
            })
    };
    if above.is_empty() || !above.iter().all(|&i| plain(s(i))) {
        return;
    }
    for i in above {
        kinds[i] = Some(Kind::AboveTitle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        detect(text)
            .into_iter()
            .map(|l| (text[l.range].to_owned(), l.kind))
            .collect()
    }

    #[test]
    fn toolbar_and_crumbs_at_the_head() {
        let text = "下载\n打印\n【字号：\n大\n中\n小\n】\n当前位置：首页 > 统计信息 > 统计分析\n\
                    示例市2025年经济运行情况\n来源：示例市统计局\n\
                    全市地区生产总值增长5.2%。\n";
        let got = kinds(text);
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "下载",
                "打印",
                "【字号：",
                "大",
                "中",
                "小",
                "】",
                "当前位置：首页 > 统计信息 > 统计分析"
            ]
        );
        assert_eq!(got[7].1, Kind::Navigation);
    }

    #[test]
    fn advertising_above_a_dated_title() {
        let text = "示例币\n示例币(SHB)\n最受欢迎的示例平台\n\
                    示例区工业经济稳步回升\n2025-03-02 08:15:20 1024\n\
                    示例区规上工业增加值增长7.1%。\n";
        let got = kinds(text);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.iter().all(|(_, k)| *k == Kind::AboveTitle));
    }

    #[test]
    fn lines_above_a_title_with_figures_are_kept() {
        // A line with a digit above the title may be a figure: nothing is marked.
        let text =
            "示例区快讯\n前两月增长8%\n示例区工业经济稳步回升\n来源：示例日报\n正文第一句。\n";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn footer_and_related_list_at_the_tail() {
        let text = "示例市2025年经济运行情况\n全市地区生产总值增长5.2%。\n\
                    规上工业增加值1200亿元\n同比增长6.1%\n\
                    相关报道：\n示例市召开经济运行分析会\n示例县前三季度经济述评\n\
                    海量资讯、精准解读，尽在示例新闻APP\n责任编辑：张三\n\
                    版权所有：示例市人民政府 示ICP备12345678号\n联系电话：0000-1234567\nfalse\n";
        let got = kinds(text);
        let names: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
        // The two figure lines without a sentence end stay: they are not furniture.
        assert_eq!(
            names,
            [
                "相关报道：",
                "示例市召开经济运行分析会",
                "示例县前三季度经济述评",
                "海量资讯、精准解读，尽在示例新闻APP",
                "责任编辑：张三",
                "版权所有：示例市人民政府 示ICP备12345678号",
                "联系电话：0000-1234567",
                "false"
            ]
        );
    }

    #[test]
    fn contact_lines_inside_the_article_are_kept() {
        let text = "示例市民生实事\n主办单位：示例市交通局。\n新改建农村公路100公里。\n联系电话：0000-1234567\n全年完成投资12亿元。\n";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
        // One sponsor line closing a list of projects is not a footer …
        let text =
            "示例市十件民生实事\n年度目标：新改建农村公路100公里。\n主办单位：示例市交通局\n";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
        // … but next to a footer it is.
        let text = "示例市十件民生实事\n年度目标：新改建农村公路100公里。\n主办单位：示例市交通局\n示ICP备00000000号\n";
        assert_eq!(kinds(text).len(), 2, "{:?}", kinds(text));
    }

    #[test]
    fn dated_related_titles_close_the_page() {
        let text = "示例市工业综述\n全年工业增加值增长6%。\n\
                    2025年3月1日 示例市召开招商推介会\n2025年5月2日 示例区36个项目集中开工\n";
        let got = kinds(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|(_, k)| *k == Kind::Related));
    }
}
