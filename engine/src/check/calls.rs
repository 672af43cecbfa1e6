//! Calls: the built-in functions, and the pack's defs with parameters,
//! whose bodies are checked where they are called (written out with the
//! arguments' types).

use super::{err, Checker, Global, Node, Scope};
use crate::diag::Code;
use crate::pack::*;
use crate::syntax::ast::{self, Span};

impl Checker {
    pub(super) fn call(
        &mut self,
        name: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        if let Some((b, ty)) = builtin(name) {
            return self.builtin_call(b, ty, name, args, span, scope);
        }
        match self.globals.get(name).cloned() {
            Some(Global::Def(i)) => self.def_call(i, name, args, span, scope),
            _ => self.unknown_function(name, span),
        }
    }

    fn builtin_call(
        &mut self,
        b: Builtin,
        ty: Ty,
        name: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let cargs: Vec<(CExpr, Ty)> = args.iter().map(|a| self.expr(a, scope)).collect();
        if cargs.len() != 1 {
            self.diags.push(err(
                Code::TypeMismatch,
                format!("`{name}` takes one argument, given {}", cargs.len()),
                span,
            ));
        } else {
            let t = &cargs[0].1;
            let ok = match b {
                Builtin::Known => true,
                Builtin::Len | Builtin::Join | Builtin::Sentences => {
                    matches!(t, Ty::List(_) | Ty::Null)
                }
                Builtin::Round => t.fits(&Ty::Num),
                Builtin::LowerFirst => t.fits(&Ty::Text),
                Builtin::Grouped => t.fits(&Ty::Num),
            };
            if !ok {
                self.diags.push(err(
                    Code::TypeMismatch,
                    format!("`{name}` cannot take {}", t.describe()),
                    span,
                ));
            }
        }
        (CExpr::Call(b, cargs.into_iter().map(|c| c.0).collect()), ty)
    }

    /// A call of def `i`: one without parameters is a reference; one with
    /// parameters has its body inlined with the arguments' types, in a
    /// scope that hides the caller's locals.
    fn def_call(
        &mut self,
        i: usize,
        name: &str,
        args: &[ast::Expr],
        span: Span,
        scope: &mut Scope,
    ) -> (CExpr, Ty) {
        let (_, params, ty) = self.def_sigs[i].clone();
        if params.len() != args.len() {
            self.diags.push(err(
                Code::TypeMismatch,
                format!(
                    "`{name}` takes {} argument(s), given {}",
                    params.len(),
                    args.len()
                ),
                span,
            ));
        }
        scope.deps.insert(Node::Def(i));
        if params.is_empty() {
            return (CExpr::Def(i, vec![]), ty);
        }
        let cargs: Vec<(CExpr, Ty)> = args.iter().map(|a| self.expr(a, scope)).collect();
        if self.inline_depth > 16 {
            self.diags.push(err(
                Code::DefCycle,
                format!("`{name}` calls itself (directly or through other defs)"),
                span,
            ));
            return (CExpr::Const(Const::Null), Ty::Null);
        }
        let base = scope.locals.len();
        let mut inner = Scope::new(scope.ctx);
        for _ in 0..base {
            inner.push("", Ty::Null);
        }
        let mut binds = vec![];
        for (k, p) in params.iter().enumerate() {
            let (c, t) = cargs
                .get(k)
                .cloned()
                .unwrap_or((CExpr::Const(Const::Null), Ty::Null));
            let slot = inner.push(p, t);
            binds.push((slot, c));
        }
        let body_ast = self.def_asts[i].body.clone();
        self.inline_depth += 1;
        let before = self.diags.len();
        let (body, bty) = self.expr(&body_ast, &mut inner);
        self.inline_depth -= 1;
        if self.diags.len() > before {
            let (l, _) = self.sources.line_col(span.file, span.start);
            for d in &mut self.diags[before..] {
                if d.help.is_none() {
                    d.help = Some(format!("in `{name}` as called at line {l}"));
                }
            }
        }
        scope.max = scope.max.max(inner.max);
        scope.deps.extend(inner.deps);
        (CExpr::Bind(binds, Box::new(body)), bty)
    }

    fn unknown_function(&mut self, name: &str, span: Span) -> (CExpr, Ty) {
        let mut names: Vec<&str> = BUILTINS.to_vec();
        let defs: Vec<String> = self.def_sigs.iter().map(|d| d.0.clone()).collect();
        names.extend(defs.iter().map(String::as_str));
        let mut d = err(
            Code::UnknownFunction,
            format!("unknown function `{name}`"),
            span,
        );
        d = d.help(match self.suggest(name, names) {
            Some(h) => format!("did you mean `{h}`?"),
            None => format!(
                "the functions are {} and the pack's `def`s",
                BUILTINS.join(", ")
            ),
        });
        self.diags.push(d);
        (CExpr::Const(Const::Null), Ty::Null)
    }
}

/// The built-in functions' names, in the order suggestions consider them.
const BUILTINS: [&str; 7] = [
    "known",
    "len",
    "join",
    "round",
    "lower_first",
    "sentences",
    "grouped",
];

/// A built-in function and the type it gives.
fn builtin(name: &str) -> Option<(Builtin, Ty)> {
    match name {
        "known" => Some((Builtin::Known, Ty::Bool)),
        "len" => Some((Builtin::Len, Ty::Num)),
        "join" => Some((Builtin::Join, Ty::Text)),
        "round" => Some((Builtin::Round, Ty::Num)),
        "lower_first" => Some((Builtin::LowerFirst, Ty::Text)),
        "sentences" => Some((Builtin::Sentences, Ty::Text)),
        "grouped" => Some((Builtin::Grouped, Ty::Text)),
        _ => None,
    }
}
