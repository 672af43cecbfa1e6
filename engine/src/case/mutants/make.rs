//! Deriving the mutants of a pack: the operations, numbers, dated
//! parameters and branches that decide something, each changed in the
//! ways that can move a decision, with its source line before and after.

use super::text::{const_text, find_symbol, line_with, operand_spans, result_offset};
use super::walk::{deciding, walk};
use super::{Change, Kind, Mutant, Rule};
use crate::diag::Span;
use crate::pack::{CExpr, Const, RulePack};
use crate::syntax::ast::BinOp;
use crate::text::num::fmt_num;
use crate::Outcome;
use std::collections::BTreeSet;

/// Every mutant of `pack`, in source order.
pub fn mutants(pack: &RulePack) -> Vec<Mutant> {
    let r = reached(pack);
    let mut m = Maker {
        pack,
        out: vec![],
        deleted: vec![],
        swapped: vec![],
    };
    m.operations(&r.ops);
    m.numbers(&r.nums);
    for &pi in &r.params {
        m.parameter(pi);
    }
    m.branches();
    let Maker {
        mut out,
        deleted,
        swapped,
        ..
    } = m;
    out.extend(deleted);
    out.extend(swapped);
    out.sort_by_key(|m| (m.order, m.kind));
    out
}

/// What the deciding expressions reach, through the defs they call: their
/// operations and numbers (once each, by span) and the dated parameters.
#[derive(Default)]
struct Reached {
    ops: Vec<(Span, BinOp)>,
    nums: Vec<(Span, f64)>,
    params: BTreeSet<usize>,
}

/// The expressions that decide (and the `history_*` defs, which later
/// years' histories read), and what they reach.
fn reached(pack: &RulePack) -> Reached {
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
    let mut r = Reached::default();
    while let Some(root) = roots.pop() {
        walk(root, &mut |e| match e {
            CExpr::Def(i, _) if seen_defs.insert(*i) => {
                if let Some(d) = pack.defs.get(*i) {
                    roots.push(&d.body);
                }
            }
            CExpr::Bin(op, _, _, span) if !r.ops.iter().any(|(s, _)| s == span) => {
                r.ops.push((*span, *op));
            }
            CExpr::Num(n, span) if !r.nums.iter().any(|(s, _)| s == span) => {
                r.nums.push((*span, *n));
            }
            CExpr::Param(i) => {
                r.params.insert(*i);
            }
            _ => {}
        });
    }
    r
}

/// The mutants made so far: in place, deleted branches, and `and`/`or`
/// swaps (kept apart so that ties in source order keep their order).
struct Maker<'a> {
    pack: &'a RulePack,
    out: Vec<Mutant>,
    deleted: Vec<Mutant>,
    swapped: Vec<Mutant>,
}

impl Maker<'_> {
    /// A mutant that writes `with` over the `len` bytes at `at`.
    fn push(&mut self, kind: Kind, at: Span, len: usize, with: &str, change: String, what: Change) {
        let src = &self.pack.sources;
        let (before, after) = line_with(src.text(at.file), at.start as usize, len, with);
        self.out.push(Mutant {
            kind,
            location: src.location(at),
            change,
            before,
            after,
            order: (at.file, at.start),
            what,
        });
    }

    /// Comparisons negated or moved at their boundary, `and` and `or`
    /// swapped.
    fn operations(&mut self, ops: &[(Span, BinOp)]) {
        let src = &self.pack.sources;
        let whole = operand_spans(self.pack);
        for &(gap, op) in ops {
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
                        let (Some(left), Some(right)) = (
                            text.get(start as usize..at),
                            text.get(at + sym.len()..end as usize),
                        ) else {
                            continue;
                        };
                        let with = format!("({left}{}{right})", to.symbol());
                        let len = (end - start) as usize;
                        let (before, after) = line_with(text, start as usize, len, &with);
                        self.swapped.push(Mutant {
                            kind,
                            location: src.location(site),
                            change,
                            before,
                            after,
                            order: (gap.file, at as u32),
                            what,
                        });
                    }
                    _ => self.push(kind, site, sym.len(), to.symbol(), change, what),
                }
            }
        }
    }

    /// Numbers written in conditions moved by one.
    fn numbers(&mut self, nums: &[(Span, f64)]) {
        for &(span, n) in nums {
            for to in [n - 1.0, n + 1.0] {
                let shown = fmt_num(to);
                self.push(
                    Kind::Number,
                    span,
                    (span.end - span.start) as usize,
                    &shown,
                    format!("{} -> {shown}", fmt_num(n)),
                    Change::Num { at: span, to },
                );
            }
        }
    }

    /// A dated parameter's values moved by one (a bool flipped), and the
    /// years its later values take effect moved by one while the years
    /// still ascend.
    fn parameter(&mut self, pi: usize) {
        let pack = self.pack;
        let p = &pack.params[pi];
        for (index, span) in p.spans.iter().enumerate().take(p.values.len()) {
            let entry = pack
                .sources
                .text(span.file)
                .get(span.start as usize..span.end as usize)
                .unwrap_or("");
            self.parameter_value(pi, index, *span, entry);
            if index > 0 {
                self.parameter_year(pi, index, *span, entry);
            }
        }
    }

    /// The value of entry `index` (written in `entry`, at `span`): after `=`.
    fn parameter_value(&mut self, pi: usize, index: usize, span: Span, entry: &str) {
        let p = &self.pack.params[pi];
        let (year, value) = &p.values[index];
        let Some(eq) = entry.find('=') else {
            return;
        };
        let vstart = eq + 1 + (entry[eq + 1..].len() - entry[eq + 1..].trim_start().len());
        let vlen = entry[vstart..].trim_end().len();
        let tos: Vec<Const> = match value {
            Const::Num(n) => vec![Const::Num(n - 1.0), Const::Num(n + 1.0)],
            Const::Bool(b) => vec![Const::Bool(!b)],
            _ => vec![],
        };
        for to in tos {
            let shown = const_text(&to);
            let change = format!(
                "`{}` from {}: {} -> {shown}",
                p.name,
                fmt_num(*year),
                const_text(value)
            );
            let start = span.start as usize + vstart;
            self.push(
                Kind::Parameter,
                Span::new(span.file, start, start + vlen),
                vlen,
                &shown,
                change,
                Change::ParamValue {
                    param: pi,
                    index,
                    to,
                },
            );
        }
    }

    /// The year entry `index` (not the first) takes effect from.
    fn parameter_year(&mut self, pi: usize, index: usize, span: Span, entry: &str) {
        let p = &self.pack.params[pi];
        let year = p.values[index].0;
        let ystr = fmt_num(year);
        let Some(ystart) = entry.find(&ystr) else {
            return;
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
            let shown = fmt_num(to);
            let change = format!("`{}`: from {ystr} -> from {shown}", p.name);
            let start = span.start as usize + ystart;
            self.push(
                Kind::ParameterYear,
                Span::new(span.file, start, start + ystr.len()),
                ystr.len(),
                &shown,
                change,
                Change::ParamYear {
                    param: pi,
                    index,
                    to,
                },
            );
        }
    }

    /// Branches: their outcomes changed, and each deleted.
    fn branches(&mut self) {
        let pack = self.pack;
        let src = &pack.sources;
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
        for (rule, body) in rules {
            for (branch, b) in body.branches.iter().enumerate() {
                if let CExpr::Const(c) = &b.result {
                    if let Some(to) = other_result(pack, rule, c) {
                        let text = src.text(b.span.file);
                        let (from_s, to_s) = (const_text(c), const_text(&to));
                        let at = result_offset(text, b.span, &from_s);
                        self.push(
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
                self.deleted.push(Mutant {
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
    }
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
