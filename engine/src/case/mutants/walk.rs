//! Walking the compiled expressions of a pack: every expression that can
//! decide something (templates, which are wording, are skipped), read or
//! changed in place, and the expressions that decide a rule's result.

use crate::pack::{Body, CExpr, RulePack};
use std::collections::BTreeSet;

/// Calls `f` on `e` and every expression inside it, except the insides of
/// templates (wording).
pub(super) fn walk<'a>(e: &'a CExpr, f: &mut impl FnMut(&'a CExpr)) {
    f(e);
    match e {
        CExpr::Const(_)
        | CExpr::Num(..)
        | CExpr::Template(_)
        | CExpr::Fact(_)
        | CExpr::Local(_)
        | CExpr::Param(_)
        | CExpr::Judgment(_)
        | CExpr::Is(..)
        | CExpr::Tier
        | CExpr::Criteria
        | CExpr::Levers => {}
        CExpr::Field(x, ..) | CExpr::Not(x) | CExpr::Neg(x) => walk(x, f),
        CExpr::Def(_, args) | CExpr::Call(_, args) | CExpr::List(args) => {
            for a in args {
                walk(a, f);
            }
        }
        CExpr::Bin(_, a, b, _) => {
            walk(a, f);
            walk(b, f);
        }
        CExpr::If(c, a, b) => {
            walk(c, f);
            walk(a, f);
            walk(b, f);
        }
        CExpr::Quant { list, filter, .. } => {
            walk(list, f);
            if let Some(x) = filter {
                walk(x, f);
            }
        }
        CExpr::Agg {
            value,
            list,
            filter,
            ..
        } => {
            walk(value, f);
            walk(list, f);
            if let Some(x) = filter {
                walk(x, f);
            }
        }
        CExpr::Bind(binds, body) => {
            for (_, a) in binds {
                walk(a, f);
            }
            walk(body, f);
        }
    }
}

/// Calls `f` on every expression of `e` (as [`walk`], mutably).
pub(super) fn walk_mut(e: &mut CExpr, f: &mut impl FnMut(&mut CExpr)) {
    f(e);
    match e {
        CExpr::Const(_)
        | CExpr::Num(..)
        | CExpr::Template(_)
        | CExpr::Fact(_)
        | CExpr::Local(_)
        | CExpr::Param(_)
        | CExpr::Judgment(_)
        | CExpr::Is(..)
        | CExpr::Tier
        | CExpr::Criteria
        | CExpr::Levers => {}
        CExpr::Field(x, ..) | CExpr::Not(x) | CExpr::Neg(x) => walk_mut(x, f),
        CExpr::Def(_, args) | CExpr::Call(_, args) | CExpr::List(args) => {
            for a in args {
                walk_mut(a, f);
            }
        }
        CExpr::Bin(_, a, b, _) => {
            walk_mut(a, f);
            walk_mut(b, f);
        }
        CExpr::If(c, a, b) => {
            walk_mut(c, f);
            walk_mut(a, f);
            walk_mut(b, f);
        }
        CExpr::Quant { list, filter, .. } => {
            walk_mut(list, f);
            if let Some(x) = filter {
                walk_mut(x, f);
            }
        }
        CExpr::Agg {
            value,
            list,
            filter,
            ..
        } => {
            walk_mut(value, f);
            walk_mut(list, f);
            if let Some(x) = filter {
                walk_mut(x, f);
            }
        }
        CExpr::Bind(binds, body) => {
            for (_, a) in binds {
                walk_mut(a, f);
            }
            walk_mut(body, f);
        }
    }
}

/// Every expression of the pack that can decide something (see
/// [`each_expr_mut`] for the pack-wide change).
pub(super) fn each_expr_mut(p: &mut RulePack, f: &mut impl FnMut(&mut CExpr)) {
    let body = |b: &mut Body, f: &mut dyn FnMut(&mut CExpr)| {
        for (_, e) in &mut b.lets {
            walk_mut(e, &mut |x| f(x));
        }
        for br in &mut b.branches {
            if let Some(w) = &mut br.when {
                walk_mut(w, &mut |x| f(x));
            }
            walk_mut(&mut br.result, &mut |x| f(x));
        }
    };
    for c in &mut p.criteria {
        body(&mut c.body, f);
    }
    for j in &mut p.judgments {
        walk_mut(&mut j.found, f);
        body(&mut j.body, f);
    }
    for s in &mut p.steps {
        body(&mut s.body, f);
    }
    for d in &mut p.defs {
        walk_mut(&mut d.body, f);
    }
}

/// The expressions of a body that decide its result: every condition and
/// result, and the `let`s they read (directly or through other `let`s).
pub(super) fn deciding<'a>(b: &'a Body, extra: &[&'a CExpr]) -> Vec<&'a CExpr> {
    let mut roots: Vec<&CExpr> = extra.to_vec();
    for br in &b.branches {
        if let Some(w) = &br.when {
            roots.push(w);
        }
        roots.push(&br.result);
    }
    let mut used = BTreeSet::new();
    for r in &roots {
        walk(r, &mut |e| {
            if let CExpr::Local(s) = e {
                used.insert(*s);
            }
        });
    }
    let mut lets = vec![];
    for (slot, e) in b.lets.iter().rev() {
        if used.contains(slot) {
            walk(e, &mut |x| {
                if let CExpr::Local(s) = x {
                    used.insert(*s);
                }
            });
            lets.push(e);
        }
    }
    roots.extend(lets);
    roots
}
