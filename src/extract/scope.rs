//! Subjects: the place a statement is about.
//!
//! Generic scope words (`全市`, `我市`, `全省`, `全国` …) are grammar tokens. Proper
//! place names (`襄州区`, `示例市`) are found here, at the start of a clause, by shape
//! — two to five characters ending in 市/区/县/省/州 — minus the common words of that
//! shape that are not places (`园区`, `城区`, `示范区` …) and minus organisations
//! (`示例市委`, `示例市政府`). The document's own place is the proper name found most
//! often at clause starts.

use std::collections::HashMap;

const PLACE_ENDINGS: [char; 5] = ['市', '区', '县', '省', '州'];

/// Words of a place name's shape that are not places.
const NOT_PLACES: &[&str] = &[
    "城市",
    "市区",
    "城区",
    "园区",
    "社区",
    "新区",
    "景区",
    "山区",
    "地区",
    "片区",
    "辖区",
    "示范区",
    "开发区",
    "高新区",
    "保税区",
    "自贸区",
    "试验区",
    "功能区",
    "产业园区",
    "工业园区",
    "该区",
    "全区",
    "我区",
    "本区",
    "全市",
    "我市",
    "本市",
    "该市",
    "全省",
    "我省",
    "本省",
    "全县",
    "我县",
    "全州",
    "各市",
    "各区",
    "各县",
    "省市",
    "市州",
    "县市",
    "县区",
    "城乡",
    "先导区",
    "核心区",
    "集聚区",
    "商圈",
    "街区",
    "厂区",
    "矿区",
    "库区",
    "灾区",
    "疫区",
    "风险区",
    "低风险区",
    "中风险区",
    "高风险区",
    "经济区",
    "都市区",
    "中心城区",
    "主城区",
    "老城区",
    "一类县",
    "百强县",
    "千亿县",
    "强县",
    "大县",
    "示范县",
    "示范市",
    "一线城市",
    "副省",
    "外省",
    "兄弟省",
];

/// Verbs and prepositions that start a clause but never a place name (`按照省…`).
const BAD_STARTS: &[&str] = &[
    "按照", "加强", "推动", "推进", "加快", "组织", "在", "对", "向", "为", "到", "从", "由", "与",
    "和", "全", "我", "本", "该", "各", "每", "省", "市", "县", "区", "提升", "建设", "打造",
    "实现", "完成", "支持", "服务", "围绕", "聚焦", "深化", "争创", "创建", "成为", "跻身", "助力",
    "带动",
];

/// What may follow a place name without making it an organisation or a title.
fn is_org_suffix(c: char) -> bool {
    "委政长人直属级内外府院局厅办队场民企域城乡镇际".contains(c)
}

/// A proper place name at the start of `s`, if any: its byte length and text.
pub fn place_at_start(s: &str) -> Option<(usize, &str)> {
    // Up to six ideographs (U+4E00..U+9FFF, three bytes each), decoded from the
    // bytes: this runs at every clause start.
    let bytes = s.as_bytes();
    for n in 1..=6 {
        let end = 3 * n;
        let &[b0, b1, b2] = bytes.get(end - 3..end)? else {
            return None;
        };
        if !(0xe4..=0xe9).contains(&b0) {
            return None;
        }
        let code =
            (u32::from(b0 & 0x0f) << 12) | (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
        let c = char::from_u32(code)?;
        if c < '\u{4e00}' {
            return None;
        }
        if n >= 3 && PLACE_ENDINGS.contains(&c) {
            let name = &s[..end];
            // 自治区 and 自治州 are part of the name.
            let next = s[end..].chars().next();
            if next.is_some_and(is_org_suffix) {
                return None;
            }
            // (Only the words that end in the same byte need comparing.)
            if NOT_PLACES
                .iter()
                .any(|w| w.as_bytes().last() == Some(&b2) && name.ends_with(w))
            {
                return None;
            }
            if BAD_STARTS.iter().any(|w| name.starts_with(w)) {
                return None;
            }
            return Some((end, name));
        }
    }
    None
}

/// Counts place names at clause starts and returns the most frequent one seen at
/// least twice, or the one in the first line (the title).
pub fn document_scope<'a>(
    clause_starts: impl Iterator<Item = &'a str>,
    title: &str,
) -> Option<String> {
    // A title like 示例市多措并举… or 口号——示例市…综述: a name at the start of the
    // title or after a dash, space or colon in it.
    let from_title = std::iter::once(0)
        .chain(
            title
                .char_indices()
                .filter(|(_, c)| "—－- :：·".contains(*c))
                .map(|(i, c)| i + c.len_utf8()),
        )
        .find_map(|i| {
            place_at_start(title[i..].trim_start_matches(['—', ' '])).map(|(_, n)| n.to_owned())
        });
    if from_title.is_some() {
        return from_title;
    }
    // Otherwise the name most often at the start of a clause, seen at least three times.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for s in clause_starts {
        if let Some((_, name)) = place_at_start(s) {
            if !counts.contains_key(name) {
                order.push(name);
            }
            *counts.entry(name).or_default() += 1;
        }
    }
    order
        .iter()
        .max_by_key(|n| counts.get(*n).copied().unwrap_or(0))
        .filter(|n| counts.get(*n).copied().unwrap_or(0) >= 3)
        .map(|s| (*s).to_owned())
}

/// What a generic scope word stands for in a document about `doc_scope`.
pub fn resolve_scope(word: &str, doc_scope: Option<&str>) -> Option<String> {
    let level = |w: &str| -> Option<char> {
        match w {
            "全市" | "我市" | "本市" | "该市" => Some('市'),
            "全区" | "我区" | "本区" | "该区" => Some('区'),
            "全县" | "我县" | "本县" | "该县" => Some('县'),
            "全省" | "我省" | "本省" => Some('省'),
            "全州" => Some('州'),
            _ => None,
        }
    };
    match word {
        "全国" | "我国" => return Some("全国".into()),
        _ => {}
    }
    let want = level(word)?;
    let doc = doc_scope?;
    doc.ends_with(want).then(|| doc.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names() {
        assert_eq!(
            place_at_start("示例市规上工业").map(|x| x.1),
            Some("示例市")
        );
        assert_eq!(
            place_at_start("襄州区全年实现").map(|x| x.1),
            Some("襄州区")
        );
        assert_eq!(place_at_start("示例市委副书记"), None);
        assert_eq!(place_at_start("产业园区建设"), None);
        assert_eq!(place_at_start("高新区"), None);
        assert_eq!(place_at_start("12个市"), None);
    }

    #[test]
    fn scope_words_resolve() {
        assert_eq!(
            resolve_scope("全市", Some("示例市")).as_deref(),
            Some("示例市")
        );
        assert_eq!(resolve_scope("全区", Some("示例市")), None);
        assert_eq!(resolve_scope("全国", None).as_deref(), Some("全国"));
    }
}
