//! Expressions: types and compiles each kind of expression (one helper a
//! kind), within the nesting limit. Names are resolved in `names`, calls in
//! `calls`.

use super::types::{const_of, const_ty};
use super::{err, Checker, Node, Scope};
use crate::diag::Code;
use crate::pack::*;
use crate::syntax::ast::{self, BinOp, ExprKind, QuantKind, Span, TemplatePart};
use std::rc::Rc;

impl Checker {
    pub(super) fn bool_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> CExpr {
        self.expect_expr(e, scope, &Ty::Bool, "a condition (bool)")
    }

    fn num_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> CExpr {
        self.expect_expr(e, scope, &Ty::Num, "a number")
    }

    /// Compiles `e` and reports a mismatch unless it fits `want`.
    fn expect_expr(&mut self, e: &ast::Expr, scope: &mut Scope, want: &Ty, what: &str) -> CExpr {
        let (c, ty) = self.expr(e, scope);
        if !ty.fits(want) {
            self.diags.push(err(
                Code::TypeMismatch,
                format!("expected {what}, found {}", ty.describe()),
                e.span,
            ));
        }
        c
    }

    /// Compiles an expression; with the bodies of the defs it calls written
    /// out (inlined), it may nest at most [`crate::syntax::parse::MAX_EXPR_DEPTH`]
    /// operations deep, so that evaluating it cannot exhaust the stack.
    pub(super) fn expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        if self.expr_depth >= crate::syntax::parse::MAX_EXPR_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.diags.push(
                    err(
                        Code::NestingTooDeep,
                        format!(
                            "with the defs it calls written out, the expression nests more than {} operations deep",
                            crate::syntax::parse::MAX_EXPR_DEPTH
                        ),
                        e.span,
                    )
                    .help("defs with parameters are written out where they are called: call fewer of them inside one another"),
                );
            }
            return (CExpr::Const(Const::Null), Ty::Null);
        }
        self.expr_depth += 1;
        self.deepest = self.deepest.max(self.expr_depth);
        let r = self.expr_at(e, scope);
        self.expr_depth -= 1;
        r
    }

    fn expr_at(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        match &e.kind {
            ExprKind::Lit(l) => {
                let c = const_of(l);
                let ty = const_ty(&c);
                match c {
                    Const::Num(n) => (CExpr::Num(n, e.span), ty),
                    c => (CExpr::Const(c), ty),
                }
            }
            ExprKind::Template(parts) => self.template(parts, scope),
            ExprKind::Name(parts) => self.name(parts, e.span, scope),
            ExprKind::Not(a) => (CExpr::Not(Box::new(self.bool_expr(a, scope))), Ty::Bool),
            ExprKind::Neg(a) => {
                let x = self.num_expr(a, scope);
                (CExpr::Neg(Box::new(x)), Ty::Num)
            }
            ExprKind::Bin(op, a, b) => self.binary(*op, a, b, e.span, scope),
            ExprKind::Is(parts, outcome) => self.is_outcome(parts, outcome, e.span, scope),
            ExprKind::If(c, t, f) => self.if_else(c, t, f, e.span, scope),
            ExprKind::Quant {
                kind,
                var,
                list,
                filter,
            } => self.quant(*kind, var, list, filter.as_deref(), scope),
            ExprKind::Agg {
                kind,
                value,
                var,
                list,
                filter,
            } => self.agg(*kind, value, var, list, filter.as_deref(), scope),
            ExprKind::Call(name, args) => self.call(name, args, e.span, scope),
            ExprKind::List(items) => self.list(items, scope),
        }
    }

    fn template(&mut self, parts: &[TemplatePart], scope: &mut Scope) -> (CExpr, Ty) {
        let mut out = vec![];
        for p in parts.iter() {
            match p {
                TemplatePart::Text(t) => out.push(CPart::Text(t.as_str().into())),
                TemplatePart::Expr(x) => out.push(CPart::Expr(self.expr(x, scope).0)),
            }
        }
        (CExpr::Template(Rc::new(out)), Ty::Text)
    }

    /// `criterion is outcome`.
    fn is_outcome(
        &mut self,
        parts: &[String],
        outcome: &str,
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let id = parts.join(".");
        let Some(o) = Outcome::parse(outcome) else {
            let mut d = err(
                Code::UnknownOutcome,
                format!("`{outcome}` is not an outcome"),
                span,
            );
            if let Some(h) = self.suggest(outcome, Outcome::ALL.iter().map(|o| o.as_str())) {
                d = d.help(format!("did you mean `{h}`?"));
            }
            self.diags.push(d);
            return (CExpr::Const(Const::Null), Ty::Bool);
        };
        match self.criteria_ids.get(&id) {
            Some(i) => {
                scope.deps.insert(Node::Criterion(*i));
                (CExpr::Is(*i, o), Ty::Bool)
            }
            None => {
                let mut d = err(
                    Code::UnknownCriterion,
                    format!("unknown criterion `{id}`"),
                    span,
                );
                if let Some(h) = self.suggest(&id, self.criteria_ids.keys().map(String::as_str)) {
                    d = d.help(format!("did you mean `{h}`?"));
                }
                self.diags.push(d);
                (CExpr::Const(Const::Null), Ty::Bool)
            }
        }
    }

    /// `if c then t else f`.
    fn if_else(
        &mut self,
        c: &ast::Expr,
        t: &ast::Expr,
        f: &ast::Expr,
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let cc = self.bool_expr(c, scope);
        let (tt, tty) = self.expr(t, scope);
        let (ff, fty) = self.expr(f, scope);
        if !tty.fits(&fty) {
            self.diags.push(err(
                Code::TypeMismatch,
                format!(
                    "`then` gives {} but `else` gives {}",
                    tty.describe(),
                    fty.describe()
                ),
                span,
            ));
        }
        let ty = if matches!(tty, Ty::Null) { fty } else { tty };
        (CExpr::If(Box::new(cc), Box::new(tt), Box::new(ff)), ty)
    }

    /// `any`, `all`, `count` and `streak` over a list.
    fn quant(
        &mut self,
        kind: QuantKind,
        var: &str,
        list: &ast::Expr,
        filter: Option<&ast::Expr>,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let (l, elem) = self.list_expr(list, scope);
        let year_field = match &elem {
            Ty::Record(r) => r.index("year").unwrap_or(0),
            _ => 0,
        };
        if kind == QuantKind::Streak {
            let ok = match &elem {
                Ty::Record(r) => r
                    .index("year")
                    .is_some_and(|i| matches!(r.fields[i].ty, Ty::Num)),
                Ty::Null => true,
                _ => false,
            };
            if !ok {
                self.diags.push(
                    err(
                        Code::TypeMismatch,
                        "`streak` needs a list of records with a `year: number` field",
                        list.span,
                    )
                    .help("streak counts consecutive years before the edition year"),
                );
            }
        }
        let slot = scope.push(var, elem);
        let f = filter.map(|f| Box::new(self.bool_expr(f, scope)));
        scope.locals.truncate(slot);
        let ty = match kind {
            QuantKind::Any | QuantKind::All => Ty::Bool,
            QuantKind::Count | QuantKind::Streak => Ty::Num,
        };
        (
            CExpr::Quant {
                kind,
                slot,
                year_field,
                list: Box::new(l),
                filter: f,
            },
            ty,
        )
    }

    /// `max`, `min`, `sum`, `first` and `collect` over a list.
    fn agg(
        &mut self,
        kind: ast::AggKind,
        value: &ast::Expr,
        var: &str,
        list: &ast::Expr,
        filter: Option<&ast::Expr>,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let (l, elem) = self.list_expr(list, scope);
        let slot = scope.push(var, elem);
        let (v, vty) = self.expr(value, scope);
        let numeric = !matches!(kind, ast::AggKind::First | ast::AggKind::Collect);
        if numeric && !vty.fits(&Ty::Num) {
            self.diags.push(err(
                Code::TypeMismatch,
                format!("max, min and sum need numbers, found {}", vty.describe()),
                value.span,
            ));
        }
        let f = filter.map(|f| Box::new(self.bool_expr(f, scope)));
        scope.locals.truncate(slot);
        let ty = match kind {
            ast::AggKind::First => vty,
            ast::AggKind::Collect => Ty::List(Box::new(vty)),
            _ => Ty::Num,
        };
        (
            CExpr::Agg {
                kind,
                slot,
                value: Box::new(v),
                list: Box::new(l),
                filter: f,
            },
            ty,
        )
    }

    /// A list literal: its items share one type.
    fn list(&mut self, items: &[ast::Expr], scope: &mut Scope) -> (CExpr, Ty) {
        let mut out = vec![];
        let mut ty = Ty::Null;
        for i in items {
            let (c, t) = self.expr(i, scope);
            if !t.fits(&ty) {
                self.diags.push(err(
                    Code::TypeMismatch,
                    format!("list mixes {} and {}", ty.describe(), t.describe()),
                    i.span,
                ));
            }
            if matches!(ty, Ty::Null) {
                ty = t;
            }
            out.push(c);
        }
        (CExpr::List(out), Ty::List(Box::new(ty)))
    }

    /// An expression that must be a list: compiled, with its element type.
    fn list_expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> (CExpr, Ty) {
        let (c, ty) = self.expr(e, scope);
        match ty {
            Ty::List(t) => (c, *t),
            Ty::Null => (c, Ty::Null),
            other => {
                self.diags.push(err(
                    Code::TypeMismatch,
                    format!("expected a list, found {}", other.describe()),
                    e.span,
                ));
                (c, Ty::Null)
            }
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let (ca, ta) = self.expr(a, scope);
        let (cb, tb) = self.expr(b, scope);
        let mismatch = |s: &mut Checker, want: &str| {
            s.diags.push(
                err(
                    Code::TypeMismatch,
                    format!(
                        "`{}` needs {want}, found {} and {}",
                        op.symbol(),
                        ta.describe(),
                        tb.describe()
                    ),
                    span,
                )
                .help("compare a fact with a value of its declared type"),
            );
        };
        let ty = match op {
            BinOp::And | BinOp::Or => {
                if !ta.fits(&Ty::Bool) || !tb.fits(&Ty::Bool) {
                    mismatch(self, "conditions (bool) on both sides");
                }
                Ty::Bool
            }
            BinOp::Eq | BinOp::Ne => {
                if !ta.fits(&tb) {
                    mismatch(self, "values of one type");
                }
                self.enum_literal_check(&ta, &cb, b.span);
                self.enum_literal_check(&tb, &ca, a.span);
                Ty::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                if !ta.fits(&Ty::Num) || !tb.fits(&Ty::Num) {
                    mismatch(self, "numbers");
                }
                Ty::Bool
            }
            BinOp::In => {
                match &tb {
                    Ty::List(elem) => {
                        if !ta.fits(elem) {
                            mismatch(self, "a value and a list of that type");
                        }
                        self.enum_literal_check(elem, &ca, a.span);
                    }
                    Ty::Null => {}
                    _ => mismatch(self, "a list on the right"),
                }
                Ty::Bool
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                if !ta.fits(&Ty::Num) || !tb.fits(&Ty::Num) {
                    mismatch(self, "numbers");
                }
                Ty::Num
            }
            BinOp::Coalesce => {
                if !ta.fits(&tb) {
                    mismatch(self, "values of one type");
                }
                if matches!(ta, Ty::Null) {
                    tb
                } else {
                    ta
                }
            }
        };
        let gap = Span {
            file: span.file,
            start: a.span.end.min(b.span.start),
            end: b.span.start,
        };
        (CExpr::Bin(op, Box::new(ca), Box::new(cb), gap), ty)
    }

    fn enum_literal_check(&mut self, ty: &Ty, c: &CExpr, span: Span) {
        if let CExpr::Const(k) = c {
            self.variant_check(ty, k, span);
        }
        if let CExpr::List(items) = c {
            if let Ty::List(elem) = ty {
                for i in items {
                    if let CExpr::Const(k) = i {
                        self.variant_check(elem, k, span);
                    }
                }
            }
        }
    }
}
