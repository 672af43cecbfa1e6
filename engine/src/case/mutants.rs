//! Mutation testing of a rule pack: small changes to the compiled pack,
//! made in memory (nothing is parsed or checked again), and, for each, the
//! first case whose `expect:` block notices it. A mutant that no case
//! notices marks a part of the rules the cases do not pin down.
//!
//! Mutants are made only where a change can move a decision: the
//! conditions and results of criteria, judgments and placement steps, the
//! `let`s and defs they read (and the `history_*` defs, which later years'
//! histories read), and the dated parameters. Wording (`because`
//! templates, the rationale, warnings) is left alone: no `expect:` can see
//! it. A change written once in the source (a def inlined at each call)
//! is one mutant, made at every copy.

use crate::case::{self, Expect, LoadOptions, Loader};
use crate::eval::{decide, Decision};
use crate::pack::{Body, CExpr, Const, RulePack};
use crate::syntax::ast::{BinOp, Span};
use crate::Outcome;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What a mutant changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A comparison negated: `<` to `>=`, `=` to `!=`.
    Negated,
    /// A comparison's boundary moved: `<` to `<=`, `>=` to `>`.
    Boundary,
    /// `and` and `or` swapped.
    AndOr,
    /// A number written in a condition moved by one.
    Number,
    /// A dated parameter's value moved by one (a bool flipped).
    Parameter,
    /// The edition a dated value takes effect from moved by one year.
    ParameterYear,
    /// A branch gives another outcome.
    Outcome,
    /// A branch deleted.
    Deleted,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Negated,
        Kind::Boundary,
        Kind::AndOr,
        Kind::Number,
        Kind::Parameter,
        Kind::ParameterYear,
        Kind::Outcome,
        Kind::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Negated => "comparison negated",
            Kind::Boundary => "comparison boundary",
            Kind::AndOr => "and/or swapped",
            Kind::Number => "number moved",
            Kind::Parameter => "parameter value moved",
            Kind::ParameterYear => "parameter year moved",
            Kind::Outcome => "branch outcome changed",
            Kind::Deleted => "branch deleted",
        }
    }
}

/// Which rule a branch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Criterion(usize),
    Judgment(usize),
    Step(usize),
}

#[derive(Debug, Clone)]
enum Change {
    Op {
        at: Span,
        to: BinOp,
    },
    Num {
        at: Span,
        to: f64,
    },
    ParamValue {
        param: usize,
        index: usize,
        to: Const,
    },
    ParamYear {
        param: usize,
        index: usize,
        to: f64,
    },
    Result {
        rule: Rule,
        branch: usize,
        to: Const,
    },
    Delete {
        rule: Rule,
        branch: usize,
    },
}

/// One mutant of a pack.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub kind: Kind,
    /// `file:line:col` of the change.
    pub location: String,
    /// What changed, e.g. "`>=` -> `>`".
    pub change: String,
    /// The source line as written (trimmed).
    pub before: String,
    /// The same line with the change made (trimmed), or "(branch deleted)".
    pub after: String,
    /// Byte offset in its file, for ordering.
    order: (u32, u32),
    what: Change,
}

impl Mutant {
    /// The pack with this mutant's change made.
    pub fn apply(&self, pack: &RulePack) -> RulePack {
        let mut p = pack.clone();
        match &self.what {
            Change::Op { at, to } => each_expr_mut(&mut p, &mut |e| {
                if let CExpr::Bin(op, _, _, span) = e {
                    if span == at {
                        *op = *to;
                    }
                }
            }),
            Change::Num { at, to } => each_expr_mut(&mut p, &mut |e| {
                if let CExpr::Num(n, span) = e {
                    if span == at {
                        *n = *to;
                    }
                }
            }),
            Change::ParamValue { param, index, to } => {
                if let Some(v) = p
                    .params
                    .get_mut(*param)
                    .and_then(|c| c.values.get_mut(*index))
                {
                    v.1 = to.clone();
                }
            }
            Change::ParamYear { param, index, to } => {
                if let Some(v) = p
                    .params
                    .get_mut(*param)
                    .and_then(|c| c.values.get_mut(*index))
                {
                    v.0 = *to;
                }
            }
            Change::Result { rule, branch, to } => {
                if let Some(b) = body_mut(&mut p, *rule).and_then(|b| b.branches.get_mut(*branch)) {
                    b.result = CExpr::Const(to.clone());
                }
            }
            Change::Delete { rule, branch } => {
                if let Some(b) = body_mut(&mut p, *rule) {
                    if *branch < b.branches.len() {
                        b.branches.remove(*branch);
                    }
                }
            }
        }
        p
    }
}

fn body_mut(p: &mut RulePack, rule: Rule) -> Option<&mut Body> {
    match rule {
        Rule::Criterion(i) => p.criteria.get_mut(i).map(|c| &mut c.body),
        Rule::Judgment(i) => p.judgments.get_mut(i).map(|j| &mut j.body),
        Rule::Step(i) => p.steps.get_mut(i).map(|s| &mut s.body),
    }
}

// ------------------------------------------------------------ walking

/// Calls `f` on `e` and every expression inside it, except the insides of
/// templates (wording).
fn walk<'a>(e: &'a CExpr, f: &mut impl FnMut(&'a CExpr)) {
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
fn walk_mut(e: &mut CExpr, f: &mut impl FnMut(&mut CExpr)) {
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
fn each_expr_mut(p: &mut RulePack, f: &mut impl FnMut(&mut CExpr)) {
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
fn deciding<'a>(b: &'a Body, extra: &[&'a CExpr]) -> Vec<&'a CExpr> {
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

// ------------------------------------------------------------ deriving

/// Every mutant of `pack`, in source order.
pub fn mutants(pack: &RulePack) -> Vec<Mutant> {
    // the expressions that decide, and the defs and parameters they reach
    let mut roots: Vec<&CExpr> = vec![];
    for c in &pack.criteria {
        roots.extend(deciding(&c.body, &[]));
    }
    for j in &pack.judgments {
        roots.extend(deciding(&j.body, &[&j.found]));
    }
    for s in &pack.steps {
        roots.extend(deciding(&s.body, &[]));
    }
    for d in &pack.defs {
        if d.arity == 0 && d.name.starts_with("history_") {
            roots.push(&d.body);
        }
    }
    let mut seen_defs = BTreeSet::new();
    let mut ops: Vec<(Span, BinOp)> = vec![];
    let mut nums: Vec<(Span, f64)> = vec![];
    let mut params = BTreeSet::new();
    while let Some(r) = roots.pop() {
        walk(r, &mut |e| match e {
            CExpr::Def(i, _) if seen_defs.insert(*i) => {
                if let Some(d) = pack.defs.get(*i) {
                    roots.push(&d.body);
                }
            }
            CExpr::Bin(op, _, _, span) if !ops.iter().any(|(s, _)| s == span) => {
                ops.push((*span, *op));
            }
            CExpr::Num(n, span) if !nums.iter().any(|(s, _)| s == span) => {
                nums.push((*span, *n));
            }
            CExpr::Param(i) => {
                params.insert(*i);
            }
            _ => {}
        });
    }

    let src = &pack.sources;
    let whole = operand_spans(pack);
    let mut out = vec![];
    let mut swapped = vec![];
    let mut push = |kind: Kind, at: Span, len: usize, with: &str, change: String, what: Change| {
        let (before, after) = line_with(src.text(at.file), at.start as usize, len, with);
        out.push(Mutant {
            kind,
            location: src.location(at),
            change,
            before,
            after,
            order: (at.file, at.start),
            what,
        });
    };

    for (gap, op) in ops {
        let text = src.text(gap.file);
        let sym = op.symbol();
        let Some(at) = find_symbol(text, gap, sym) else {
            continue;
        };
        let site = Span::new(gap.file, at, at + sym.len());
        for (kind, to) in op_mutants(op) {
            let change = format!("`{sym}` -> `{}`", to.symbol());
            let what = Change::Op { at: gap, to };
            // `and` and `or` bind differently: the mutant keeps the tree,
            // so its text shows the swapped operation in parentheses
            match whole.get(&(gap.file, gap.start, gap.end)) {
                Some(&(start, end)) if kind == Kind::AndOr => {
                    let text = src.text(gap.file);
                    let (Some(left), Some(right)) = (
                        text.get(start as usize..at),
                        text.get(at + sym.len()..end as usize),
                    ) else {
                        continue;
                    };
                    let with = format!("({left}{}{right})", to.symbol());
                    let len = (end - start) as usize;
                    let span = Span::new(gap.file, start as usize, end as usize);
                    let (before, after) = line_with(text, start as usize, len, &with);
                    swapped.push(Mutant {
                        kind,
                        location: src.location(site),
                        change,
                        before,
                        after,
                        order: (span.file, at as u32),
                        what,
                    });
                }
                _ => push(kind, site, sym.len(), to.symbol(), change, what),
            }
        }
    }
    for (span, n) in nums {
        for to in [n - 1.0, n + 1.0] {
            let shown = crate::text::num::fmt_num(to);
            push(
                Kind::Number,
                span,
                (span.end - span.start) as usize,
                &shown,
                format!("{} -> {shown}", crate::text::num::fmt_num(n)),
                Change::Num { at: span, to },
            );
        }
    }
    for &pi in &params {
        let p = &pack.params[pi];
        for (index, ((year, value), span)) in p.values.iter().zip(&p.spans).enumerate() {
            let text = src.text(span.file);
            let entry = text
                .get(span.start as usize..span.end as usize)
                .unwrap_or("");
            // the value: after `=`
            if let Some(eq) = entry.find('=') {
                let vstart = eq + 1 + (entry[eq + 1..].len() - entry[eq + 1..].trim_start().len());
                let vlen = entry[vstart..].trim_end().len();
                let tos: Vec<Const> = match value {
                    Const::Num(n) => vec![Const::Num(n - 1.0), Const::Num(n + 1.0)],
                    Const::Bool(b) => vec![Const::Bool(!b)],
                    _ => vec![],
                };
                for to in tos {
                    let shown = const_text(&to);
                    push(
                        Kind::Parameter,
                        Span::new(
                            span.file,
                            span.start as usize + vstart,
                            span.start as usize + vstart + vlen,
                        ),
                        vlen,
                        &shown,
                        format!(
                            "`{}` from {}: {} -> {shown}",
                            p.name,
                            crate::text::num::fmt_num(*year),
                            const_text(value)
                        ),
                        Change::ParamValue {
                            param: pi,
                            index,
                            to,
                        },
                    );
                }
            }
            // the year a later value takes effect, while the years still ascend
            if index > 0 {
                let ystr = crate::text::num::fmt_num(*year);
                let Some(ystart) = entry.find(&ystr) else {
                    continue;
                };
                let prev = p.values[index - 1].0;
                let next = p
                    .values
                    .get(index + 1)
                    .map(|v| v.0)
                    .unwrap_or(f64::INFINITY);
                for to in [year - 1.0, year + 1.0] {
                    if to <= prev || to >= next {
                        continue;
                    }
                    let shown = crate::text::num::fmt_num(to);
                    push(
                        Kind::ParameterYear,
                        Span::new(
                            span.file,
                            span.start as usize + ystart,
                            span.start as usize + ystart + ystr.len(),
                        ),
                        ystr.len(),
                        &shown,
                        format!("`{}`: from {ystr} -> from {shown}", p.name),
                        Change::ParamYear {
                            param: pi,
                            index,
                            to,
                        },
                    );
                }
            }
        }
    }
    // branches: outcomes changed, branches deleted
    let rules = pack
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (Rule::Criterion(i), &c.body))
        .chain(
            pack.judgments
                .iter()
                .enumerate()
                .map(|(i, j)| (Rule::Judgment(i), &j.body)),
        )
        .chain(
            pack.steps
                .iter()
                .enumerate()
                .map(|(i, s)| (Rule::Step(i), &s.body)),
        );
    let mut deleted = vec![];
    for (rule, body) in rules {
        for (branch, b) in body.branches.iter().enumerate() {
            if let CExpr::Const(c) = &b.result {
                if let Some(to) = other_result(pack, rule, c) {
                    let text = src.text(b.span.file);
                    let (from_s, to_s) = (const_text(c), const_text(&to));
                    let at = result_offset(text, b.span, &from_s);
                    push(
                        Kind::Outcome,
                        Span::new(b.span.file, at, at + from_s.len()),
                        from_s.len(),
                        &to_s,
                        format!("=> {from_s} -> => {to_s}"),
                        Change::Result { rule, branch, to },
                    );
                }
            }
            let (before, _) = line_with(src.text(b.span.file), b.span.start as usize, 0, "");
            deleted.push(Mutant {
                kind: Kind::Deleted,
                location: src.location(b.span),
                change: "branch deleted".into(),
                before,
                after: "(branch deleted)".into(),
                order: (b.span.file, b.span.start),
                what: Change::Delete { rule, branch },
            });
        }
    }
    out.extend(deleted);
    out.extend(swapped);
    out.sort_by_key(|m| (m.order, m.kind));
    out
}

/// For each binary operation of the pack's source, (file, the end of its
/// left operand, the start of its right one) to the operation's whole
/// span: where `and`/`or` swaps are shown in parentheses. The files are
/// parsed again for this (display only; nothing is checked).
fn operand_spans(pack: &RulePack) -> std::collections::HashMap<(u32, u32, u32), (u32, u32)> {
    use crate::syntax::ast::{Branch, Expr, ExprKind, Let, RationaleItem, TemplatePart};
    fn expr(e: &Expr, out: &mut std::collections::HashMap<(u32, u32, u32), (u32, u32)>) {
        match &e.kind {
            ExprKind::Bin(_, a, b) => {
                let start = a.span.end.min(b.span.start);
                out.insert(
                    (e.span.file, start, b.span.start),
                    (e.span.start, e.span.end),
                );
                expr(a, out);
                expr(b, out);
            }
            ExprKind::Template(parts) => {
                for p in parts.iter() {
                    if let TemplatePart::Expr(x) = p {
                        expr(x, out);
                    }
                }
            }
            ExprKind::Not(x) | ExprKind::Neg(x) => expr(x, out),
            ExprKind::If(c, a, b) => {
                expr(c, out);
                expr(a, out);
                expr(b, out);
            }
            ExprKind::Quant { list, filter, .. } => {
                expr(list, out);
                if let Some(f) = filter {
                    expr(f, out);
                }
            }
            ExprKind::Agg {
                value,
                list,
                filter,
                ..
            } => {
                expr(value, out);
                expr(list, out);
                if let Some(f) = filter {
                    expr(f, out);
                }
            }
            ExprKind::Call(_, xs) | ExprKind::List(xs) => {
                for x in xs {
                    expr(x, out);
                }
            }
            ExprKind::Lit(_) | ExprKind::Name(_) | ExprKind::Is(..) => {}
        }
    }
    fn body(
        lets: &[Let],
        branches: &[Branch],
        out: &mut std::collections::HashMap<(u32, u32, u32), (u32, u32)>,
    ) {
        for l in lets {
            expr(&l.value, out);
        }
        for b in branches {
            if let Some(w) = &b.when {
                expr(w, out);
            }
            expr(&b.result, out);
        }
    }
    let mut out = std::collections::HashMap::new();
    for id in 0..pack.sources.file_count() as u32 {
        let Ok(f) = crate::syntax::parse::parse_file(id, pack.sources.text(id)) else {
            continue;
        };
        for d in &f.defs {
            expr(&d.body, &mut out);
        }
        for j in &f.judgments {
            expr(&j.found, &mut out);
            body(&j.lets, &j.branches, &mut out);
        }
        for c in &f.criteria {
            body(&c.lets, &c.branches, &mut out);
        }
        for x in &f.exceptions {
            body(&x.lets, &x.branches, &mut out);
        }
        for p in &f.placements {
            for s in &p.steps {
                body(&s.lets, &s.branches, &mut out);
            }
        }
        for r in &f.rationale {
            if let RationaleItem::Say { text, when } = r {
                expr(text, &mut out);
                if let Some(w) = when {
                    expr(w, &mut out);
                }
            }
        }
    }
    out
}

/// The other operators a comparison or connective is mutated to.
fn op_mutants(op: BinOp) -> Vec<(Kind, BinOp)> {
    use BinOp::*;
    match op {
        Eq => vec![(Kind::Negated, Ne)],
        Ne => vec![(Kind::Negated, Eq)],
        Lt => vec![(Kind::Negated, Ge), (Kind::Boundary, Le)],
        Le => vec![(Kind::Negated, Gt), (Kind::Boundary, Lt)],
        Gt => vec![(Kind::Negated, Le), (Kind::Boundary, Ge)],
        Ge => vec![(Kind::Negated, Lt), (Kind::Boundary, Gt)],
        And => vec![(Kind::AndOr, Or)],
        Or => vec![(Kind::AndOr, And)],
        _ => vec![],
    }
}

/// The result a branch is mutated to: a criterion's `met` and `not_met`
/// swap, `unknown` and `not_applicable` become `not_met` (the silent
/// failure the engine must never produce); a judgment's `true` and `false`
/// swap, its `null` becomes `false`; a placement step's tier moves one
/// place in the declared order of tiers (towards the first, from the first
/// to the second).
fn other_result(pack: &RulePack, rule: Rule, c: &Const) -> Option<Const> {
    match (rule, c) {
        (Rule::Criterion(_), Const::Text(t)) => {
            let to = match Outcome::parse(t)? {
                Outcome::NotMet => Outcome::Met,
                _ => Outcome::NotMet,
            };
            Some(Const::Text(to.as_str().into()))
        }
        (Rule::Judgment(_), Const::Bool(b)) => Some(Const::Bool(!b)),
        (Rule::Judgment(_), Const::Null) => Some(Const::Bool(false)),
        (Rule::Step(_), Const::Text(t)) => {
            let v = &pack.tier_variants;
            let i = v.iter().position(|x| x.as_str() == &**t)?;
            let j = if i == 0 { 1 } else { i - 1 };
            v.get(j).map(|s| Const::Text(s.as_str().into()))
        }
        _ => None,
    }
}

fn const_text(c: &Const) -> String {
    match c {
        Const::Null => "null".into(),
        Const::Bool(b) => b.to_string(),
        Const::Num(n) => crate::text::num::fmt_num(*n),
        Const::Text(t) => match Outcome::parse(t) {
            Some(o) => o.as_str().to_string(),
            None => format!("\"{t}\""),
        },
    }
}

/// Byte offset of `sym` in the text between two operands (a word
/// operator must stand alone).
fn find_symbol(text: &str, gap: Span, sym: &str) -> Option<usize> {
    let g = text.get(gap.start as usize..gap.end as usize)?;
    let word = sym.chars().all(|c| c.is_ascii_alphabetic());
    let mut from = 0;
    while let Some(i) = g[from..].find(sym) {
        let at = from + i;
        let before = g[..at].chars().next_back();
        let after = g[at + sym.len()..].chars().next();
        let alone = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let op_char = |c: Option<char>| c.is_some_and(|c| "<>=!".contains(c));
        let ok = if word {
            alone(before) && alone(after)
        } else {
            !op_char(before) && !op_char(after)
        };
        if ok {
            return Some(gap.start as usize + at);
        }
        from = at + sym.len();
    }
    None
}

/// Where a branch's result `word` is written: after its `=>`.
fn result_offset(text: &str, span: Span, word: &str) -> usize {
    let start = span.start as usize;
    let b = text.get(start..span.end as usize).unwrap_or("");
    let arrow = b.find("=>").map(|i| i + 2).unwrap_or(0);
    b[arrow..]
        .find(word)
        .map(|i| start + arrow + i)
        .unwrap_or(start)
}

/// The line holding byte `at` (trimmed), and the same line with `len` bytes
/// at `at` replaced by `with`.
fn line_with(text: &str, at: usize, len: usize, with: &str) -> (String, String) {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let line = &text[start..end];
    let cut = (at + len).min(end);
    let after = format!("{}{with}{}", &text[start..at], &text[cut..end]);
    (line.trim().to_string(), after.trim().to_string())
}

// ------------------------------------------------------------ running

fn holds(pack: &RulePack, expect: &Expect, d: &Decision) -> bool {
    case::unmet(expect, d.tier.as_deref(), d.placed_by.as_deref(), |id| {
        pack.criterion_index(id)
            .and_then(|i| d.outcomes.get(i).copied())
    })
    .is_empty()
}

/// The result of a mutation run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub mutants: Vec<Mutant>,
    /// For each mutant, the case that noticed it (`None`: it survived).
    pub killed_by: Vec<Option<String>>,
    /// The cases whose `expect:` held on the pack as it is (the ones run
    /// against each mutant).
    pub cases: Vec<String>,
    /// Cases whose `expect:` does not hold on the pack as it is (or that
    /// do not load): they are left out.
    pub failing: Vec<String>,
}

impl Report {
    pub fn killed(&self) -> usize {
        self.killed_by.iter().filter(|k| k.is_some()).count()
    }

    /// The mutants no case noticed.
    pub fn survivors(&self) -> impl Iterator<Item = &Mutant> {
        self.mutants
            .iter()
            .zip(&self.killed_by)
            .filter(|(_, k)| k.is_none())
            .map(|(m, _)| m)
    }
}

/// Runs the `expect:` block of every case under `paths` against every
/// mutant of `pack`. A mutant is killed by the first case whose `expect:`
/// held on the pack as it is and fails on the mutant; the history of a
/// multi-year case is derived again under each mutant.
pub fn run(pack: &RulePack, paths: &[PathBuf], opts: LoadOptions) -> Report {
    let mut loader = Loader::new(opts);
    let mut report = Report::default();
    let mut cases: Vec<(PathBuf, Expect)> = vec![];
    for file in case::collect(paths) {
        let shown = file.display().to_string();
        match loader.load_case(pack, &file) {
            Ok(c) => {
                let Some(expect) = c.expect else {
                    continue;
                };
                if !case::checks_nothing(&expect) && holds(pack, &expect, &decide(pack, &c.facts)) {
                    cases.push((file, expect));
                    report.cases.push(shown);
                } else {
                    report.failing.push(shown);
                }
            }
            Err(_) => report.failing.push(shown),
        }
    }
    report.mutants = mutants(pack);
    // the case that killed the last mutant is tried first
    let mut first = 0;
    for m in &report.mutants {
        let mp = m.apply(pack);
        loader.forget();
        let order = std::iter::once(first).chain((0..cases.len()).filter(|i| *i != first));
        let mut killer = None;
        for i in order {
            let Some((file, expect)) = cases.get(i) else {
                continue;
            };
            let dies = match loader.load(&mp, file) {
                Ok((facts, _)) => !holds(&mp, expect, &decide(&mp, &facts)),
                Err(_) => true,
            };
            if dies {
                killer = Some(i);
                break;
            }
        }
        if let Some(i) = killer {
            first = i;
        }
        report
            .killed_by
            .push(killer.map(|i| cases[i].0.display().to_string()));
    }
    report
}
