//! Every rule of the embedded packs is documented and tested by its own examples: the
//! wrong example produces this rule and no other, the right one produces nothing.
//! Codes and names are unique and well formed (the loader checks that too).

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

#[test]
fn examples_fire_exactly_their_rule() {
    let set = RuleSet::defaults().unwrap_or_else(|e| panic!("default packs: {e:?}"));
    let mut failures = Vec::new();
    for r in &set.rules {
        let e = r.entry.examples.as_ref().expect("every rule has examples");
        let wrong = fired(&set, &e.wrong);
        let rules: std::collections::BTreeSet<&str> =
            wrong.iter().map(|(r, _)| r.as_str()).collect();
        if rules.len() != 1 || !rules.contains(r.entry.id.as_str()) {
            failures.push(format!("{} wrong example: fired {wrong:?}", r.entry.id));
        }
        let right = fired(&set, &e.right);
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
