//! `expr`: a rule written entirely in YAML.
//!
//! Every statement is offered to the rule's `when:` guard (a minijinja expression over
//! the statement's fields, see `src/check/fields.rs`); each statement for which it is
//! true is reported at the statement. A rule of this kind must have a `when:`.

use crate::check::registry::KindDef;
use crate::check::{Context, Finding, RuleKind};

pub const DEF: KindDef = KindDef {
    name: "expr",
    summary: "用 when 条件表达式写的规则",
    vars: &[],
    build: |_| Ok(Box::new(Expr)),
};

struct Expr;

impl RuleKind for Expr {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        for (i, s) in ctx.stmts.iter().enumerate() {
            out.push(Finding {
                span: s.span,
                label: s.text.clone(),
                stmt: Some(i),
                ..Default::default()
            });
        }
    }
}
