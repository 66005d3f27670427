//! Complete compositions the arithmetic kinds recognise by name (not a kind).
//!
//! A list of parts is known to be complete when the wording closes it (`其他`, `共…分别`)
//! or when its names are all the members of a partition statistics always uses:
//! 三次产业 (第一、第二、第三产业), the three 门类 of industry (采矿业, 制造业, 电力、热力、
//! 燃气及水生产和供应业) and the three components of demand (消费, 投资, 净出口). Shares of
//! such a list add up to 100, changes of those shares net to zero, 拉动 add up to the
//! total's growth and the total's growth lies between the parts' growth.

/// One member of a partition and the names it is written with.
pub struct Member {
    /// How messages name it (`第一产业`).
    pub label: &'static str,
    /// Names as written, longest first (`第一产业`, `一产`).
    pub names: &'static [&'static str],
}

/// A set of parts that together make up a whole.
pub struct Partition {
    /// `三次产业`.
    pub name: &'static str,
    pub members: &'static [Member],
    /// Canonical names (after aliases) of the whole.
    pub totals: &'static [&'static str],
    /// What may follow a member's name and still name that member (`第一产业增加值`,
    /// `一产比重`); anything else is another indicator (`第一产业投资`).
    pub suffixes: &'static [&'static str],
}

/// 第一、第二、第三产业.
pub const SECTORS: Partition = Partition {
    name: "三次产业",
    members: &[
        Member {
            label: "第一产业",
            names: &["第一产业", "第一产", "一产"],
        },
        Member {
            label: "第二产业",
            names: &["第二产业", "第二产", "二产"],
        },
        Member {
            label: "第三产业",
            names: &["第三产业", "第三产", "三产"],
        },
    ],
    totals: &["地区生产总值", "国内生产总值", "生产总值"],
    suffixes: &[
        "增加值",
        "比重",
        "占比",
        "占",
        "的比重",
        "对",
        "拉动",
        "贡献",
        "向下拉动",
    ],
};

/// The three 门类 of industry.
pub const INDUSTRY: Partition = Partition {
    name: "工业三大门类",
    members: &[
        Member {
            label: "采矿业",
            names: &["采矿业"],
        },
        Member {
            label: "制造业",
            names: &["制造业"],
        },
        Member {
            label: "电力、热力、燃气及水生产和供应业",
            names: &[
                "电力、热力、燃气及水生产和供应业",
                "电力、热力、燃气及水的生产和供应业",
                "电力热力燃气及水生产和供应业",
                "电力、燃气及水的生产和供应业",
                "电力、燃气及水生产和供应业",
                "电力行业",
                "电力业",
            ],
        },
    ],
    totals: &["规模以上工业增加值", "工业增加值"],
    suffixes: &[
        "增加值",
        "行业增加值",
        "对",
        "拉动",
        "贡献",
        "占",
        "比重",
        "占比",
        "向下拉动",
    ],
};

/// The three components of demand in GDP by expenditure.
pub const DEMAND: Partition = Partition {
    name: "三大需求",
    members: &[
        Member {
            label: "消费",
            names: &["最终消费支出", "最终消费", "消费"],
        },
        Member {
            label: "投资",
            names: &["资本形成总额", "资本形成", "投资"],
        },
        Member {
            label: "净出口",
            names: &["货物和服务净出口", "净出口"],
        },
    ],
    totals: &["地区生产总值", "国内生产总值", "生产总值"],
    suffixes: &[
        "对",
        "拉动",
        "贡献",
        "向下拉动",
        "占",
        "比重",
        "占比",
        "需求",
        "支出",
    ],
};

/// Every partition, in the order they are tried.
pub const ALL: &[&Partition] = &[&SECTORS, &INDUSTRY, &DEMAND];

/// Words a name may start with that do not belong to it (`全市`, `其中`).
const LEADS: &[&str] = &[
    "其中", "其余", "全市", "全省", "全区", "全县", "全国", "我市", "我省", "我区", "我县", "本市",
    "分别", "，", "、", ",", "“", "（", "(",
];

/// Whether a character is the first of one of the `LEADS`.
fn lead_start(c: char) -> bool {
    matches!(
        c,
        '其' | '全' | '我' | '本' | '分' | '，' | '、' | ',' | '“' | '（' | '('
    )
}

/// Strips scope words and punctuation from the start of a name.
pub fn clean(name: &str) -> &str {
    let mut s = name.trim();
    loop {
        // A pass strips nothing from a name that starts with no lead's first character
        // (most names): tell them at once.
        if !s.starts_with(lead_start) {
            return s;
        }
        let before = s;
        for l in LEADS {
            s = s.strip_prefix(l).unwrap_or(s).trim_start();
        }
        if s == before {
            return s;
        }
    }
}

impl Partition {
    /// Which member a name (an indicator or a list item) is, if any. A place name in
    /// front (`示例市第一产业`) is skipped.
    pub fn member(&self, name: &str) -> Option<usize> {
        let name = clean(name);
        self.member_exact(name)
            .or_else(|| self.member_exact(clean(without_place(name)?)))
    }

    fn member_exact(&self, name: &str) -> Option<usize> {
        for (i, m) in self.members.iter().enumerate() {
            for n in m.names {
                if let Some(rest) = name.strip_prefix(n) {
                    let rest = rest.trim_end_matches(['”', '"']);
                    if rest.is_empty() || self.suffixes.iter().any(|s| rest.starts_with(s)) {
                        return Some(i);
                    }
                }
            }
        }
        None
    }

    /// Whether a canonical indicator name is this partition's whole.
    pub fn is_total(&self, canonical: &str) -> bool {
        let c = clean(canonical);
        let is = |c: &str| self.totals.contains(&c);
        is(c) || without_place(c).is_some_and(|r| is(clean(r)))
    }
}

/// The name after a place name in front of it (`示例市第一产业` → `第一产业`): two to
/// five characters ending in 市, 省, 区, 县, 州 or 旗.
fn without_place(name: &str) -> Option<&str> {
    let (k, c) = name
        .char_indices()
        .take(6)
        .skip(2)
        .find(|(_, c)| matches!(c, '市' | '省' | '区' | '县' | '州' | '旗'))?;
    Some(&name[k + c.len_utf8()..])
}

/// `一、二、三产业增加值分别…`: the short items 一, 二, 三 followed by `产业` stand for the
/// three sectors. `after` is the text right after the last item.
pub fn short_sector(item: &str, after: &str) -> Option<usize> {
    if !(after.starts_with("产业") || after.starts_with("产")) {
        return None;
    }
    match clean(item).trim_start_matches('第') {
        "一" => Some(0),
        "二" => Some(1),
        "三" => Some(2),
        _ => None,
    }
}

/// The member of `p` each name stands for, when every member appears exactly once.
pub fn complete(p: &Partition, members: &[Option<usize>]) -> bool {
    members.len() == p.members.len()
        && (0..p.members.len()).all(|m| members.iter().filter(|x| **x == Some(m)).count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_suffixes() {
        assert_eq!(SECTORS.member("第一产业增加值"), Some(0));
        assert_eq!(SECTORS.member("一产比重"), Some(0));
        assert_eq!(SECTORS.member("全市第三产业"), Some(2));
        assert_eq!(DEMAND.member("示例市最终消费支出"), Some(0));
        assert_eq!(DEMAND.member("城市消费"), None);
        assert_eq!(SECTORS.member("第二产业投资"), None);
        assert_eq!(INDUSTRY.member("制造业"), Some(1));
        assert_eq!(INDUSTRY.member("高技术制造业"), None);
        assert_eq!(INDUSTRY.member("制造业投资"), None);
        assert_eq!(INDUSTRY.member("电力行业"), Some(2));
        assert_eq!(DEMAND.member("净出口"), Some(2));
        assert_eq!(DEMAND.member("消费品零售额"), None);
        assert!(SECTORS.is_total("地区生产总值"));
        assert!(SECTORS.is_total("示例开发区地区生产总值"));
        assert!(!SECTORS.is_total("地区生产总值增速"));
        assert_eq!(short_sector("二", "产业增加值"), Some(1));
        assert_eq!(short_sector("二", "是"), None);
        assert!(complete(&SECTORS, &[Some(0), Some(2), Some(1)]));
        assert!(!complete(&SECTORS, &[Some(0), Some(0), Some(1)]));
    }

    #[test]
    fn lead_starts_cover_the_leads() {
        for l in LEADS {
            assert!(l.starts_with(lead_start), "{l}");
        }
        assert_eq!(clean(" 全市其中，第一产业"), "第一产业");
    }
}
