//! Every rule of the embedded packs is documented and tested by its own examples: the
//! wrong example produces this rule and no other, the right one produces nothing.
//! Codes and names are unique and well formed (the loader checks that too).
//!
//! Rules that compare documents (`--across`, kinds with [`RuleKind::across`]) write
//! their examples as several documents separated by a line `---`
//! ([`jiaohe::check::across::split_documents`]): each document alone must fire
//! nothing, and all of them checked together must fire exactly the rule (wrong) or
//! nothing (right).

use jiaohe::check::across::{self, AcrossDoc};
use jiaohe::check::{RuleSet, check};
use jiaohe::extract::{ExtractOptions, extract_with};
use jiaohe::load::SourceFile;

fn fired(set: &RuleSet, text: &str) -> Vec<(String, String)> {
    let ex = extract_with(
        SourceFile::from_text("example.txt", text),
        &ExtractOptions::default(),
        &set.table,
    );
    check(set, &ex)
        .diagnostics
        .into_iter()
        .map(|d| (d.rule, d.message))
        .collect()
}

/// The findings of several documents checked together: each file's own, then the
/// cross-document ones.
fn fired_across(set: &RuleSet, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut docs = Vec::new();
    for (i, doc) in across::split_documents(text).into_iter().enumerate() {
        let ex = extract_with(
            SourceFile::from_text(format!("example-{}.txt", i + 1), doc),
            &ExtractOptions::default(),
            &set.table,
        );
        out.extend(check(set, &ex).diagnostics.into_iter().map(|d| {
            (
                d.rule,
                format!("{}（单独核对 example-{}.txt）", d.message, i + 1),
            )
        }));
        docs.push(AcrossDoc::of(&ex, &set.table));
    }
    for r in across::check(set, &docs) {
        out.extend(r.diagnostics.into_iter().map(|d| (d.rule, d.message)));
    }
    out
}

#[test]
fn examples_fire_exactly_their_rule() {
    let set = RuleSet::defaults().unwrap_or_else(|e| panic!("default packs: {e:?}"));
    let mut failures = Vec::new();
    for r in &set.rules {
        let e = r.entry.examples.as_ref().expect("every rule has examples");
        let is_across = r.kind.across().is_some();
        let run = |t: &str| {
            if is_across {
                fired_across(&set, t)
            } else {
                fired(&set, t)
            }
        };
        if is_across {
            for t in [&e.wrong, &e.right] {
                if across::split_documents(t).len() < 2 {
                    failures.push(format!(
                        "{}: an across rule's example needs two documents separated by `---`",
                        r.entry.id
                    ));
                }
            }
        }
        let wrong = run(&e.wrong);
        let rules: std::collections::BTreeSet<&str> =
            wrong.iter().map(|(r, _)| r.as_str()).collect();
        if rules.len() != 1 || !rules.contains(r.entry.id.as_str()) {
            failures.push(format!("{} wrong example: fired {wrong:?}", r.entry.id));
        }
        let right = run(&e.right);
        if !right.is_empty() {
            failures.push(format!("{} right example: fired {right:?}", r.entry.id));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_is_documented() {
    let set = RuleSet::defaults().expect("defaults load");
    for r in &set.rules {
        let e = &r.entry;
        assert!(
            e.doc.as_deref().is_some_and(|d| d.chars().count() >= 20),
            "{} has no doc",
            e.id
        );
        assert!(e.help.is_some(), "{} has no help", e.id);
        assert!(!e.message.is_empty());
    }
}

/// `docs/rules.md` is generated from the packs; it must not go stale.
#[test]
fn rule_reference_is_current() {
    let set = RuleSet::defaults().expect("defaults load");
    let want = jiaohe::check::docs::markdown(&set);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("JIAOHE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `JIAOHE_BLESS=1 cargo test --test rules`"
    );
}
