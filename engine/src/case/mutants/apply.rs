//! Applying a mutant: the pack with its one change made, in memory
//! (nothing is parsed or checked again).

use super::walk::each_expr_mut;
use super::{Change, Mutant, Rule};
use crate::pack::{Body, CExpr, RulePack};

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
