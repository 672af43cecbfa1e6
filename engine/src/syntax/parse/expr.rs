//! Pest pairs -> [`Expr`]: the precedence levels, operators, quantifiers,
//! aggregates, calls and literals, within [`MAX_EXPR_DEPTH`].

use super::{lit, Builder, Rule, MAX_EXPR_DEPTH};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::*;
use pest::iterators::Pair;

impl Builder {
    /// Builds an expression whose root sits `depth` operations deep.
    pub(super) fn expr(&mut self, p: Pair<Rule>, depth: usize) -> Expr {
        let p = pass_through(p);
        let span = self.span(&p);
        if depth > MAX_EXPR_DEPTH {
            self.expr_too_deep(span);
            return lit(Literal::Null, span);
        }
        match p.as_rule() {
            Rule::expr | Rule::template_expr => {
                self.next_expr(&mut p.into_inner(), "expression", span, depth)
            }
            Rule::if_expr => {
                let mut it = p.into_inner();
                let c = self.next_expr(&mut it, "condition after `if`", span, depth + 1);
                let t = self.next_expr(&mut it, "expression after `then`", span, depth + 1);
                let e = self.next_expr(&mut it, "expression after `else`", span, depth + 1);
                Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                    span,
                }
            }
            Rule::quant => self.quant(p, span, depth),
            Rule::agg => self.agg(p, span, depth),
            Rule::coalesce | Rule::expr_or | Rule::expr_and | Rule::expr_add | Rule::expr_mul => {
                self.chain(p, span, depth)
            }
            Rule::expr_not => self.not(p, span, depth),
            Rule::expr_cmp => self.cmp(p, span, depth),
            Rule::expr_unary => self.unary(p, span, depth),
            Rule::number => lit(Literal::Num(self.number(&p)), span),
            Rule::string => self.string_expr(p),
            Rule::kw_true => lit(Literal::Bool(true), span),
            Rule::kw_false => lit(Literal::Bool(false), span),
            Rule::kw_null => lit(Literal::Null, span),
            Rule::name => Expr {
                kind: ExprKind::Name(p.as_str().split('.').map(str::to_string).collect()),
                span,
            },
            Rule::call => {
                let mut it = p.into_inner();
                let f = self.next_str(&mut it, "function name", span);
                let args = it.map(|a| self.expr(a, depth + 1)).collect();
                Expr {
                    kind: ExprKind::Call(f, args),
                    span,
                }
            }
            Rule::list_lit => Expr {
                kind: ExprKind::List(p.into_inner().map(|a| self.expr(a, depth + 1)).collect()),
                span,
            },
            _ => {
                self.unexpected(&p, "an expression");
                lit(Literal::Null, span)
            }
        }
    }

    /// Reports an expression past [`MAX_EXPR_DEPTH`], once per file: the
    /// rest of a long chain would say the same.
    fn expr_too_deep(&mut self, span: Span) {
        if self.too_deep {
            return;
        }
        self.too_deep = true;
        self.diags.push(
            Diagnostic::new(
                Code::NestingTooDeep,
                format!("the expression nests more than {MAX_EXPR_DEPTH} operations deep"),
                span,
            )
            .help("a long chain of operators (`1 + 1 + ...`, `not not ...`) nests one level per operator: split it with `let` or `def`"),
        );
    }

    /// `any|all|count|streak VAR in LIST [where FILTER]`
    fn quant(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let mut it = p.into_inner();
        let kind = match self.next(&mut it, "quantifier", span) {
            Some(k) => match k.as_str() {
                "any" => QuantKind::Any,
                "all" => QuantKind::All,
                "count" => QuantKind::Count,
                "streak" => QuantKind::Streak,
                _ => {
                    self.unexpected(&k, "a quantifier");
                    QuantKind::Any
                }
            },
            None => QuantKind::Any,
        };
        let var = self.next_str(&mut it, "variable of a quantifier", span);
        let list = self.next_expr(&mut it, "list of a quantifier", span, depth + 1);
        let filter = it.next().map(|e| Box::new(self.expr(e, depth + 1)));
        Expr {
            kind: ExprKind::Quant {
                kind,
                var,
                list: Box::new(list),
                filter,
            },
            span,
        }
    }

    /// `max|min|sum|first|collect VALUE for VAR in LIST [where FILTER]`
    fn agg(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let mut it = p.into_inner();
        let kind = match self.next(&mut it, "aggregate", span) {
            Some(k) => match k.as_str() {
                "max" => AggKind::Max,
                "min" => AggKind::Min,
                "sum" => AggKind::Sum,
                "first" => AggKind::First,
                "collect" => AggKind::Collect,
                _ => {
                    self.unexpected(&k, "an aggregate");
                    AggKind::Max
                }
            },
            None => AggKind::Max,
        };
        let value = self.next_expr(&mut it, "value of an aggregate", span, depth + 1);
        let var = self.next_str(&mut it, "variable of an aggregate", span);
        let list = self.next_expr(&mut it, "list of an aggregate", span, depth + 1);
        let filter = it.next().map(|e| Box::new(self.expr(e, depth + 1)));
        Expr {
            kind: ExprKind::Agg {
                kind,
                value: Box::new(value),
                var,
                list: Box::new(list),
                filter,
            },
            span,
        }
    }

    /// A chain of one level of binary operators (`??`, `or`, `and`, `+ -`,
    /// `* /`), folded to the left.
    fn chain(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let rule = p.as_rule();
        // a chain of n operators folds into n nested nodes: every operand
        // sits at most n deeper than the chain
        let ops = p
            .clone()
            .into_inner()
            .filter(|c| !is_operator(c.as_rule()))
            .count()
            .saturating_sub(1);
        let below = depth + ops;
        let mut it = p.into_inner();
        let mut acc = self.next_expr(&mut it, "first operand", span, below);
        let default_op = match rule {
            Rule::coalesce => Some(BinOp::Coalesce),
            Rule::expr_or => Some(BinOp::Or),
            Rule::expr_and => Some(BinOp::And),
            _ => None,
        };
        let mut pending = default_op;
        for c in it {
            if is_operator(c.as_rule()) {
                pending = Some(self.operator(&c));
                continue;
            }
            let rhs = self.expr(c, below);
            let op = pending.unwrap_or_else(|| {
                self.missing("operator between two operands", rhs.span);
                BinOp::Add
            });
            let s = Span {
                file: self.file,
                start: acc.span.start,
                end: rhs.span.end,
            };
            acc = Expr {
                kind: ExprKind::Bin(op, Box::new(acc), Box::new(rhs)),
                span: s,
            };
            pending = default_op;
        }
        acc
    }

    /// The operator of an operator pair of a chain.
    fn operator(&mut self, c: &Pair<Rule>) -> BinOp {
        match (c.as_rule(), c.as_str()) {
            (Rule::kw_or, _) => BinOp::Or,
            (Rule::kw_and, _) => BinOp::And,
            (Rule::add_op, "+") => BinOp::Add,
            (Rule::add_op, "-") => BinOp::Sub,
            (Rule::mul_op, "*") => BinOp::Mul,
            (Rule::mul_op, "/") => BinOp::Div,
            _ => {
                self.unexpected(c, "a chain of operators");
                BinOp::Add
            }
        }
    }

    /// `not not ... X`
    fn not(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let nots = p
            .clone()
            .into_inner()
            .filter(|c| c.as_rule() == Rule::neg_not)
            .count();
        let mut inner = None;
        for c in p.into_inner() {
            if c.as_rule() != Rule::neg_not {
                inner = Some(self.expr(c, depth + nots));
            }
        }
        let mut e = self.need(inner, "operand of `not`", span);
        for _ in 0..nots {
            e = Expr {
                kind: ExprKind::Not(Box::new(e)),
                span,
            };
        }
        e
    }

    /// `A`, `A OP B` or `CRITERION is OUTCOME`.
    fn cmp(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let below = depth + usize::from(p.clone().into_inner().count() > 1);
        let mut it = p.into_inner();
        let lhs = self.next_expr(&mut it, "left side of a comparison", span, below);
        let Some(op) = it.next() else {
            return lhs;
        };
        if op.as_rule() == Rule::is_op {
            let outcome = self.next_str(&mut it, "outcome after `is`", span);
            return match lhs.kind {
                ExprKind::Name(parts) => Expr {
                    kind: ExprKind::Is(parts, outcome),
                    span,
                },
                _ => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Syntax,
                            "`is` takes a criterion id on its left".into(),
                            lhs.span,
                        )
                        .help("write `law.child_sex_without_means is met`"),
                    );
                    lhs
                }
            };
        }
        let bop = match op.as_str().trim() {
            "=" => BinOp::Eq,
            "!=" => BinOp::Ne,
            "<" => BinOp::Lt,
            "<=" => BinOp::Le,
            ">" => BinOp::Gt,
            ">=" => BinOp::Ge,
            "in" => BinOp::In,
            _ => {
                self.unexpected(&op, "a comparison");
                BinOp::Eq
            }
        };
        let rhs = self.next_expr(&mut it, "right side of a comparison", span, below);
        Expr {
            kind: ExprKind::Bin(bop, Box::new(lhs), Box::new(rhs)),
            span,
        }
    }

    /// `-X` or `X`.
    fn unary(&mut self, p: Pair<Rule>, span: Span, depth: usize) -> Expr {
        let neg = p.clone().into_inner().any(|c| c.as_rule() == Rule::neg);
        let mut inner = None;
        for c in p.into_inner() {
            if c.as_rule() != Rule::neg {
                inner = Some(self.expr(c, depth + usize::from(neg)));
            }
        }
        let e = self.need(inner, "operand", span);
        if neg {
            Expr {
                kind: ExprKind::Neg(Box::new(e)),
                span,
            }
        } else {
            e
        }
    }
}

fn is_operator(r: Rule) -> bool {
    matches!(r, Rule::kw_or | Rule::kw_and | Rule::add_op | Rule::mul_op)
}

/// The first pair below `p` that is more than a level of the precedence
/// grammar: `(x)` is `expr > coalesce > expr_or > expr_and > expr_not >
/// expr_cmp > expr_add > expr_mul > expr_unary > ...` with one child each.
/// Skipping them in a loop keeps the builder's recursion to one call per
/// node of the tree (ten per bracket would overflow a small stack long
/// before the nesting limit).
fn pass_through(mut p: Pair<Rule>) -> Pair<Rule> {
    loop {
        let level = matches!(
            p.as_rule(),
            Rule::expr
                | Rule::template_expr
                | Rule::coalesce
                | Rule::expr_or
                | Rule::expr_and
                | Rule::expr_not
                | Rule::expr_cmp
                | Rule::expr_add
                | Rule::expr_mul
                | Rule::expr_unary
        );
        if !level {
            return p;
        }
        let mut inner = p.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) => p = only,
            _ => return p,
        }
    }
}
