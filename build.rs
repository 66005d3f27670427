//! Derives, from the grammar, which characters each token rule can start with.
//!
//! The extractor tries the token rules only at positions whose character can start
//! one of them (`src/extract/scan.rs`), which is what makes it fast: most characters
//! of a report cannot start any token. Deriving the sets from `grammar/*.pest` keeps
//! them in step with the grammar; a test checks that scanning this way finds exactly
//! the tokens the grammar's own `sentence` rule finds.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use pest_meta::ast::Expr;

const FILES: [&str; 6] = [
    "grammar/number.pest",
    "grammar/unit.pest",
    "grammar/period.pest",
    "grammar/noise.pest",
    "grammar/statement.pest",
    "grammar/probe.pest",
];

#[derive(Clone, Default)]
struct First {
    chars: BTreeSet<char>,
    any: bool,
    nullable: bool,
}

struct Analyzer<'a> {
    rules: HashMap<&'a str, &'a Expr>,
    memo: HashMap<String, First>,
    visiting: BTreeSet<String>,
}

impl Analyzer<'_> {
    fn builtin(name: &str) -> Option<First> {
        let mut f = First::default();
        let range = |f: &mut First, a: char, b: char| f.chars.extend(a..=b);
        match name {
            "ASCII_DIGIT" => range(&mut f, '0', '9'),
            "ASCII_NONZERO_DIGIT" => range(&mut f, '1', '9'),
            "ASCII_ALPHA" => {
                range(&mut f, 'a', 'z');
                range(&mut f, 'A', 'Z');
            }
            "ASCII_ALPHANUMERIC" => {
                range(&mut f, 'a', 'z');
                range(&mut f, 'A', 'Z');
                range(&mut f, '0', '9');
            }
            "ANY" => f.any = true,
            "SOI" | "EOI" => f.nullable = true,
            "NEWLINE" => {
                f.chars.insert('\n');
                f.chars.insert('\r');
            }
            _ => return None,
        }
        Some(f)
    }

    fn rule(&mut self, name: &str) -> First {
        if let Some(f) = Self::builtin(name) {
            return f;
        }
        if let Some(f) = self.memo.get(name) {
            return f.clone();
        }
        if !self.visiting.insert(name.to_owned()) {
            // Left recursion does not occur in this grammar; be conservative.
            return First {
                any: true,
                ..Default::default()
            };
        }
        let expr = match self.rules.get(name) {
            Some(e) => (*e).clone(),
            None => panic!("build.rs: unknown rule {name}"),
        };
        let f = self.expr(&expr);
        self.visiting.remove(name);
        self.memo.insert(name.to_owned(), f.clone());
        f
    }

    fn expr(&mut self, e: &Expr) -> First {
        match e {
            Expr::Str(s) => match s.chars().next() {
                Some(c) => First {
                    chars: [c].into(),
                    ..Default::default()
                },
                None => First {
                    nullable: true,
                    ..Default::default()
                },
            },
            Expr::Insens(s) => match s.chars().next() {
                Some(c) => First {
                    chars: [c.to_ascii_lowercase(), c.to_ascii_uppercase()].into(),
                    ..Default::default()
                },
                None => First {
                    nullable: true,
                    ..Default::default()
                },
            },
            Expr::Range(a, b) => {
                let a = a.chars().next().unwrap_or('\0');
                let b = b.chars().next().unwrap_or('\0');
                First {
                    chars: (a..=b).collect(),
                    ..Default::default()
                }
            }
            Expr::Ident(name) => self.rule(name),
            Expr::PosPred(_) | Expr::NegPred(_) => First {
                nullable: true,
                ..Default::default()
            },
            Expr::Seq(a, b) => {
                let fa = self.expr(a);
                if fa.nullable {
                    let fb = self.expr(b);
                    let n = fb.nullable;
                    union(fa, fb, n)
                } else {
                    fa
                }
            }
            Expr::Choice(a, b) => {
                let fa = self.expr(a);
                let fb = self.expr(b);
                let n = fa.nullable || fb.nullable;
                union(fa, fb, n)
            }
            Expr::Opt(x) | Expr::Rep(x) | Expr::RepMax(x, _) => {
                let mut f = self.expr(x);
                f.nullable = true;
                f
            }
            Expr::RepMinMax(x, min, _) | Expr::RepMin(x, min) | Expr::RepExact(x, min) => {
                let mut f = self.expr(x);
                if *min == 0 {
                    f.nullable = true;
                }
                f
            }
            Expr::RepOnce(x) | Expr::Push(x) => self.expr(x),
            _ => First {
                any: true,
                nullable: true,
                ..Default::default()
            },
        }
    }
}

/// A prefix of at most two symbols; `None` stands for any character.
type Prefix = Vec<Option<char>>;
type Prefixes = BTreeSet<Prefix>;

/// The set of two-character prefixes (shorter when a match can be that short) each
/// rule can begin with.
struct Prefix2<'a> {
    rules: HashMap<&'a str, &'a Expr>,
    memo: HashMap<String, Prefixes>,
    visiting: BTreeSet<String>,
}

fn concat(a: &Prefixes, b: &Prefixes) -> Prefixes {
    let mut out = Prefixes::new();
    for x in a {
        if x.len() >= 2 {
            out.insert(x.clone());
            continue;
        }
        for y in b {
            let mut z = x.clone();
            z.extend(y.iter().copied());
            z.truncate(2);
            out.insert(z);
        }
    }
    out
}

/// Whether two prefixes can begin the same text (`None` is any character).
fn compatible(a: &Prefix, b: &Prefix) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.is_none() || y.is_none() || x == y)
}

fn singles(chars: impl IntoIterator<Item = char>) -> Prefixes {
    chars.into_iter().map(|c| vec![Some(c)]).collect()
}

impl Prefix2<'_> {
    fn rule(&mut self, name: &str) -> Prefixes {
        let builtin = |a: char, b: char| singles(a..=b);
        match name {
            "ASCII_DIGIT" => return builtin('0', '9'),
            "ASCII_NONZERO_DIGIT" => return builtin('1', '9'),
            "ASCII_ALPHA" => {
                let mut s = builtin('a', 'z');
                s.extend(builtin('A', 'Z'));
                return s;
            }
            "ASCII_ALPHANUMERIC" => {
                let mut s = builtin('a', 'z');
                s.extend(builtin('A', 'Z'));
                s.extend(builtin('0', '9'));
                return s;
            }
            "ANY" => return [vec![None]].into(),
            "SOI" | "EOI" => return [vec![]].into(),
            "NEWLINE" => return singles(['\n', '\r']),
            _ => {}
        }
        if let Some(p) = self.memo.get(name) {
            return p.clone();
        }
        if !self.visiting.insert(name.to_owned()) {
            return [vec![None, None], vec![None], vec![]].into();
        }
        let expr = match self.rules.get(name) {
            Some(e) => (*e).clone(),
            None => panic!("build.rs: unknown rule {name}"),
        };
        let p = self.expr(&expr);
        self.visiting.remove(name);
        self.memo.insert(name.to_owned(), p.clone());
        p
    }

    fn repeat(&mut self, x: &Expr, min: u32) -> Prefixes {
        let fx = self.expr(x);
        let mut r: Prefixes = [vec![]].into();
        loop {
            let next: Prefixes = r.union(&concat(&fx, &r)).cloned().collect();
            if next == r {
                break;
            }
            r = next;
        }
        if min == 0 {
            r
        } else {
            // At least one: fx followed by zero or more.
            concat(&fx, &r)
        }
    }

    fn expr(&mut self, e: &Expr) -> Prefixes {
        match e {
            Expr::Str(s) => [s.chars().take(2).map(Some).collect()].into(),
            Expr::Insens(s) => {
                let mut out = Prefixes::new();
                let cs: Vec<char> = s.chars().take(2).collect();
                let variants = |c: char| [c.to_ascii_lowercase(), c.to_ascii_uppercase()];
                match cs.as_slice() {
                    [] => {
                        out.insert(vec![]);
                    }
                    [a] => {
                        for x in variants(*a) {
                            out.insert(vec![Some(x)]);
                        }
                    }
                    [a, b, ..] => {
                        for x in variants(*a) {
                            for y in variants(*b) {
                                out.insert(vec![Some(x), Some(y)]);
                            }
                        }
                    }
                }
                out
            }
            Expr::Range(a, b) => {
                let a = a.chars().next().unwrap_or('\0');
                let b = b.chars().next().unwrap_or('\0');
                singles(a..=b)
            }
            Expr::Ident(name) => self.rule(name),
            Expr::PosPred(_) | Expr::NegPred(_) => [vec![]].into(),
            // `&x ~ b`: what follows must also begin as `x` does.
            Expr::Seq(a, b) if matches!(a.as_ref(), Expr::PosPred(_)) => {
                let Expr::PosPred(x) = a.as_ref() else {
                    unreachable!()
                };
                let fx = self.expr(x);
                let fb = self.expr(b);
                fb.into_iter()
                    .filter(|y| fx.iter().any(|p| compatible(p, y)))
                    .collect()
            }
            // `a ~ &x`: the character after a one-character prefix of `a` must
            // begin `x`.
            Expr::Seq(a, b) if matches!(b.as_ref(), Expr::PosPred(_)) => {
                let Expr::PosPred(x) = b.as_ref() else {
                    unreachable!()
                };
                let fa = self.expr(a);
                let fx = self.expr(x);
                let x_nullable = fx.iter().any(Vec::is_empty);
                let mut out = Prefixes::new();
                for p in fa {
                    if p.len() == 1 && !x_nullable {
                        for q in &fx {
                            out.insert(vec![p[0], q[0]]);
                        }
                    } else {
                        out.insert(p);
                    }
                }
                out
            }
            Expr::Seq(a, b) => {
                let fa = self.expr(a);
                let fb = self.expr(b);
                concat(&fa, &fb)
            }
            Expr::Choice(a, b) => {
                let mut fa = self.expr(a);
                fa.extend(self.expr(b));
                fa
            }
            Expr::Opt(x) => {
                let mut f = self.expr(x);
                f.insert(vec![]);
                f
            }
            Expr::Rep(x) | Expr::RepMax(x, _) => self.repeat(x, 0),
            Expr::RepOnce(x) => self.repeat(x, 1),
            Expr::RepMinMax(x, min, _) | Expr::RepMin(x, min) | Expr::RepExact(x, min) => {
                self.repeat(x, *min)
            }
            Expr::Push(x) => self.expr(x),
            _ => [vec![None, None], vec![None], vec![]].into(),
        }
    }
}

fn union(mut a: First, b: First, nullable: bool) -> First {
    a.chars.extend(b.chars);
    a.any |= b.any;
    a.nullable = nullable;
    a
}

/// The words of an expression that is a choice of plain strings (`"a" | "b" | …`),
/// in order; `None` for anything else.
fn words(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::Str(s) if !s.is_empty() => Some(vec![s.clone()]),
        Expr::Choice(a, b) => {
            let mut w = words(a)?;
            w.extend(words(b)?);
            Some(w)
        }
        _ => None,
    }
}

fn choices(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Choice(a, b) => {
            choices(a, out);
            choices(b, out);
        }
        Expr::Ident(n) => out.push(n.clone()),
        _ => panic!("build.rs: `token` must be a choice of rule names"),
    }
}

/// The rule names an expression refers to.
fn references<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
    match e {
        Expr::Ident(n) => out.push(n),
        Expr::Seq(a, b) | Expr::Choice(a, b) => {
            references(a, out);
            references(b, out);
        }
        Expr::PosPred(x)
        | Expr::NegPred(x)
        | Expr::Opt(x)
        | Expr::Rep(x)
        | Expr::RepOnce(x)
        | Expr::RepExact(x, _)
        | Expr::RepMin(x, _)
        | Expr::RepMax(x, _)
        | Expr::RepMinMax(x, _, _)
        | Expr::Push(x) => references(x, out),
        _ => {}
    }
}

/// Fails the build if a rule refers to itself, directly or through others.
///
/// pest is built without its `std` feature, which also leaves out its native stack
/// guard (a check of the remaining stack at every rule call, 5% of extraction). A
/// grammar without recursion cannot nest deeper than its own rules do, so the guard
/// has nothing to guard; the call limit (`set_call_limit`) still bounds the work.
fn assert_no_recursion(rules: &HashMap<&str, &Expr>) {
    fn visit<'a>(
        name: &'a str,
        rules: &HashMap<&'a str, &'a Expr>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(name) {
            return;
        }
        if let Some(i) = path.iter().position(|n| *n == name) {
            panic!(
                "grammar: recursive rule `{}` ({}); pest runs without its stack guard \
                 (see build.rs), so the grammar must not recurse",
                name,
                path[i..].join(" → ")
            );
        }
        let Some(e) = rules.get(name) else { return };
        path.push(name);
        let mut refs = Vec::new();
        references(e, &mut refs);
        for r in refs {
            visit(r, rules, path, done);
        }
        path.pop();
        done.insert(name);
    }
    let mut done = BTreeSet::new();
    let mut names: Vec<&str> = rules.keys().copied().collect();
    names.sort_unstable();
    for n in names {
        visit(n, rules, &mut Vec::new(), &mut done);
    }
}

fn main() {
    let mut src = String::new();
    for f in FILES {
        println!("cargo:rerun-if-changed={f}");
        src.push_str(&std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}")));
        src.push('\n');
    }
    let pairs = pest_meta::parser::parse(pest_meta::parser::Rule::grammar_rules, &src)
        .unwrap_or_else(|e| panic!("grammar: {e}"));
    let rules =
        pest_meta::parser::consume_rules(pairs).unwrap_or_else(|e| panic!("grammar: {e:?}"));
    assert_no_recursion(&rules.iter().map(|r| (r.name.as_str(), &r.expr)).collect());
    let mut an = Analyzer {
        rules: rules.iter().map(|r| (r.name.as_str(), &r.expr)).collect(),
        memo: HashMap::new(),
        visiting: BTreeSet::new(),
    };
    let token = rules
        .iter()
        .find(|r| r.name == "token")
        .expect("grammar has a `token` rule");
    let mut names = Vec::new();
    choices(&token.expr, &mut names);
    names.push("sep".to_owned());
    let mut p2 = Prefix2 {
        rules: rules.iter().map(|r| (r.name.as_str(), &r.expr)).collect(),
        memo: HashMap::new(),
        visiting: BTreeSet::new(),
    };
    let mut out = String::from(
        "// Generated by build.rs from grammar/*.pest.\n\
         /// `(rule, first characters, starts with any character)`, in the grammar's order.\n\
         pub const TOKEN_RULES: &[(Rule, &[char], bool)] = &[\n",
    );
    let mut prefixes = String::from(
        "/// Per rule of [`TOKEN_RULES`]: the first characters after which any second\n\
         /// character may follow, and the exact two-character prefixes.\n\
         #[allow(clippy::type_complexity)]\n\
         pub const TOKEN_PREFIXES: &[(&[char], &[(char, char)])] = &[\n",
    );
    for n in &names {
        let f = an.rule(n);
        let chars: String = f.chars.iter().map(|c| format!("{c:?}, ")).collect();
        let _ = writeln!(out, "    (Rule::{n}, &[{chars}], {}),", f.any);
        let p = p2.rule(n);
        let mut loose = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        for pre in &p {
            match pre.as_slice() {
                [Some(a), Some(b)] => {
                    pairs.insert((*a, *b));
                }
                [Some(a)] | [Some(a), None] => {
                    loose.insert(*a);
                }
                _ => {}
            }
        }
        let pairs: Vec<_> = pairs
            .into_iter()
            .filter(|(a, _)| !loose.contains(a))
            .collect();
        let l: String = loose.iter().map(|c| format!("{c:?},")).collect();
        let pp: String = pairs
            .iter()
            .map(|(a, b)| format!("({a:?},{b:?}),"))
            .collect();
        let _ = writeln!(prefixes, "    (&[{l}], &[{pp}]),");
    }
    out.push_str("];\n");
    prefixes.push_str("];\n");
    out.push_str(&prefixes);
    out.push_str(
        "/// Per rule of [`TOKEN_RULES`]: its probe, `probe_<rule> = { <rule>? }`.\n\
         pub const TOKEN_PROBES: &[Rule] = &[\n",
    );
    for n in &names {
        let probe = format!("probe_{n}");
        let ok = rules.iter().any(|r| {
            r.name == probe
                && matches!(&r.expr, Expr::Opt(x) if matches!(x.as_ref(), Expr::Ident(i) if i == n))
        });
        assert!(
            ok,
            "grammar/probe.pest: the token rule `{n}` needs `{probe} = {{ {n}? }}`"
        );
        let _ = writeln!(out, "    Rule::{probe},");
    }
    out.push_str("];\n");
    // An atomic rule that is only a list of words matches the first of them that
    // begins the text: the scanner does that itself, without a parser.
    out.push_str(
        "/// Per rule of [`TOKEN_RULES`]: its words, if it is an atomic rule made only of\n\
         /// a choice of words (`word_guard = @{ \"新增\" | \"支持\" | … }`).\n\
         pub const TOKEN_WORDS: &[Option<&[&str]>] = &[\n",
    );
    for n in &names {
        let w = rules
            .iter()
            .find(|r| &r.name == n)
            .filter(|r| r.ty == pest_meta::ast::RuleType::Atomic)
            .and_then(|r| words(&r.expr));
        match w {
            Some(w) => {
                let list: String = w.iter().map(|x| format!("{x:?}, ")).collect();
                let _ = writeln!(out, "    Some(&[{list}]),");
            }
            None => out.push_str("    None,\n"),
        }
    }
    out.push_str("];\n");
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("first_chars.rs");
    std::fs::write(dest, out).expect("write first_chars.rs");
}
