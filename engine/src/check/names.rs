//! Names: the `pack` declaration, the top-level names (facts, parameters,
//! defs, judgments, criteria), every duplicate declaration (one helper,
//! one wording), and what a name in an expression refers to.

use super::{err, Checker, Ctx, Global, Node, Scope};
use crate::diag::{Code, Diagnostic};
use crate::pack::*;
use crate::syntax::ast::{self, Span};
use std::collections::HashMap;
use std::rc::Rc;

/// Where each name of one kind of declaration was first declared.
#[derive(Clone, Default)]
pub(super) struct FirstSeen(HashMap<String, Span>);

impl FirstSeen {
    /// Records `name`, declared at `span`. When it was declared before, the
    /// one duplicate diagnostic, "{kind} `{name}` is declared twice", with
    /// a label at the first declaration (which stays the one recorded).
    pub(super) fn see(
        &mut self,
        name: &str,
        span: Span,
        code: Code,
        kind: &str,
    ) -> Option<Diagnostic> {
        match self.0.get(name) {
            Some(first) => Some(
                err(code, format!("{kind} `{name}` is declared twice"), span)
                    .label(*first, FIRST_DECLARED),
            ),
            None => {
                self.0.insert(name.to_string(), span);
                None
            }
        }
    }
}

/// The label every duplicate declaration puts on the first one.
const FIRST_DECLARED: &str = "first declared here";

impl Checker {
    /// The one `pack` declaration (`None`, reported, when there is none);
    /// a second one is an error pointing at the first.
    pub(super) fn pack_declaration(&mut self, file: &ast::File) -> Option<ast::Pack> {
        match file.packs.as_slice() {
            [] => {
                self.diags.push(
                    err(Code::MissingPack, "no `pack` declaration", Span::default()).help(
                        "add `pack NAME { title \"...\" editions 2017, 2023 }` to one rule file",
                    ),
                );
                None
            }
            [p, rest @ ..] => {
                for other in rest {
                    self.diags.push(
                        err(
                            Code::DuplicateName,
                            format!("a second `pack` declaration (`{}`)", other.name),
                            other.span,
                        )
                        .label(p.span, FIRST_DECLARED),
                    );
                }
                Some(p.clone())
            }
        }
    }

    /// Declares a top-level name, unless a fact or another global has it.
    pub(super) fn declare(&mut self, name: &str, g: Global, span: Span) {
        match self.declared.see(name, span, Code::DuplicateName, "name") {
            Some(d) => self.diags.push(d),
            None => {
                self.globals.insert(name.to_string(), g);
            }
        }
    }

    /// Defs and judgments by name; their types are known once compiled.
    pub(super) fn declare_defs_and_judgments(&mut self, file: &ast::File) {
        self.def_asts = file.defs.clone();
        for (i, d) in file.defs.iter().enumerate() {
            self.declare(&d.name, Global::Def(i), d.span);
            self.def_sigs
                .push((d.name.clone(), d.params.clone(), Ty::Null));
        }
        for (i, j) in file.judgments.iter().enumerate() {
            self.declare(&j.name, Global::Judgment(i), j.span);
            self.judgment_tys.push(Ty::Null);
        }
    }

    /// Criteria by id; a second criterion with an id is reported and not
    /// compiled.
    pub(super) fn declare_criteria(&mut self, file: &ast::File) {
        let mut seen = FirstSeen::default();
        for (i, c) in file.criteria.iter().enumerate() {
            if let Some(d) = seen.see(&c.id, c.id_span, Code::DuplicateCriterion, "criterion") {
                self.diags.push(d);
                continue;
            }
            self.criteria_ids.insert(c.id.clone(), i);
        }
    }

    /// Two levers with one name.
    pub(super) fn duplicate_levers(&mut self, file: &ast::File) {
        let mut seen = FirstSeen::default();
        for l in &file.levers {
            if let Some(d) = seen.see(&l.name, l.span, Code::DuplicateName, "lever") {
                self.diags.push(d);
            }
        }
    }

    /// Every exception names a declared criterion.
    pub(super) fn exception_targets(&mut self, file: &ast::File) {
        for e in &file.exceptions {
            if !self.criteria_ids.contains_key(&e.target) {
                let hint = self.suggest(&e.target, self.criteria_ids.keys().map(String::as_str));
                let mut d = err(
                    Code::UnknownCriterion,
                    format!("exception to unknown criterion `{}`", e.target),
                    e.target_span,
                );
                if let Some(h) = hint {
                    d = d.help(format!("did you mean `{h}`?"));
                }
                self.diags.push(d);
            }
        }
    }

    /// A (dotted) name in an expression: a local, `tier`, `criteria` or
    /// `levers` in placement, a global, or a fact path; then its fields.
    pub(super) fn name(&mut self, parts: &[String], span: Span, scope: &mut Scope) -> (CExpr, Ty) {
        let head = parts[0].as_str();
        if let Some((base, ty)) = self.name_head(head, span, scope) {
            return self.fields_of(base, ty, parts, span);
        }
        if let Some(i) = self.root.index(head) {
            return self.fact_path(i, parts, span);
        }
        self.unknown_name(parts, span, scope)
    }

    /// What the first part of a name refers to, when it is not a fact.
    fn name_head(&mut self, head: &str, span: Span, scope: &mut Scope) -> Option<(CExpr, Ty)> {
        if let Some(slot) = scope.locals.iter().rposition(|(n, _)| n == head) {
            return Some((CExpr::Local(slot), scope.locals[slot].1.clone()));
        }
        if scope.ctx == Ctx::Placement && matches!(head, "tier" | "criteria" | "levers") {
            scope.placement_read.get_or_insert((head.to_string(), span));
            return Some(match head {
                "tier" => (CExpr::Tier, Ty::Enum(self.tier_variants.clone())),
                "criteria" => (
                    CExpr::Criteria,
                    Ty::List(Box::new(Ty::Record(self.criteria_rec.clone()))),
                ),
                _ => (
                    CExpr::Levers,
                    Ty::List(Box::new(Ty::Record(self.levers_rec.clone()))),
                ),
            });
        }
        let g = self.globals.get(head).cloned()?;
        Some(match g {
            Global::Param(i, ty) => (CExpr::Param(i), ty),
            Global::Def(i) => {
                if !self.def_sigs[i].1.is_empty() {
                    self.diags.push(err(
                        Code::TypeMismatch,
                        format!("`{head}` takes arguments: call it as `{head}(...)`"),
                        span,
                    ));
                }
                scope.deps.insert(Node::Def(i));
                (CExpr::Def(i, vec![]), self.def_sigs[i].2.clone())
            }
            Global::Judgment(i) => {
                scope.deps.insert(Node::Judgment(i));
                (CExpr::Judgment(i), self.judgment_tys[i].clone())
            }
        })
    }

    /// A fact path: the whole chain folds into one index list.
    fn fact_path(&mut self, i: usize, parts: &[String], span: Span) -> (CExpr, Ty) {
        let mut idx = vec![(i, self.root.fields[i].name.clone())];
        let mut ty = self.root.fields[i].ty.clone();
        for (k, part) in parts.iter().enumerate().skip(1) {
            match &ty {
                Ty::Record(r) => match r.index(part) {
                    Some(j) => {
                        idx.push((j, r.fields[j].name.clone()));
                        ty = r.fields[j].ty.clone();
                    }
                    None => {
                        self.unknown_field(&parts[..k], part, r, span, true);
                        return (CExpr::Const(Const::Null), Ty::Null);
                    }
                },
                other => {
                    self.no_field(&parts[..k], part, other, span);
                    return (CExpr::Const(Const::Null), Ty::Null);
                }
            }
        }
        (CExpr::Fact(Rc::new(idx)), ty)
    }

    /// The fields of a local, parameter, def or judgment value.
    fn fields_of(&mut self, base: CExpr, ty: Ty, parts: &[String], span: Span) -> (CExpr, Ty) {
        let mut cur = base;
        let mut ty = ty;
        for (k, part) in parts.iter().enumerate().skip(1) {
            match &ty {
                Ty::Record(r) => match r.index(part) {
                    Some(j) => {
                        cur = CExpr::Field(Box::new(cur), j, r.fields[j].name.clone());
                        ty = r.fields[j].ty.clone();
                    }
                    None => {
                        let r = r.clone();
                        self.unknown_field(&parts[..k], part, &r, span, false);
                        return (CExpr::Const(Const::Null), Ty::Null);
                    }
                },
                Ty::Null => return (CExpr::Const(Const::Null), Ty::Null),
                other => {
                    self.no_field(&parts[..k], part, other, span);
                    return (CExpr::Const(Const::Null), Ty::Null);
                }
            }
        }
        (cur, ty)
    }

    /// `prefix.part` where `prefix` is no record.
    fn no_field(&mut self, prefix: &[String], part: &str, ty: &Ty, span: Span) {
        self.diags.push(err(
            Code::TypeMismatch,
            format!(
                "`{}` is {}, which has no field `{part}`",
                prefix.join("."),
                ty.describe()
            ),
            span,
        ));
    }

    /// A name that is nothing declared: a criterion used as a value, or
    /// an unknown name or fact, with the closest name as help.
    fn unknown_name(&mut self, parts: &[String], span: Span, scope: &Scope) -> (CExpr, Ty) {
        let head = parts[0].as_str();
        let full = parts.join(".");
        if self.criteria_ids.contains_key(&full) {
            self.diags.push(
                err(
                    Code::TypeMismatch,
                    format!("criterion `{full}` is not a value"),
                    span,
                )
                .help(format!("test its outcome: `{full} is met`")),
            );
            return (CExpr::Const(Const::Null), Ty::Bool);
        }
        let candidates = self
            .root
            .fields
            .iter()
            .map(|f| &*f.name)
            .chain(scope.locals.iter().map(|(n, _)| n.as_str()))
            .chain(self.globals.keys().map(String::as_str));
        let is_fact_like = parts.len() > 1;
        let code = if is_fact_like {
            Code::UnknownFact
        } else {
            Code::UnknownName
        };
        let what = if is_fact_like { "fact" } else { "name" };
        let mut d = err(code, format!("unknown {what} `{full}`"), span);
        let hint = self.suggest(head, candidates).or_else(|| {
            self.suggest(&full, self.criteria_ids.keys().map(String::as_str))
                .map(|c| format!("{c} is met"))
        });
        if let Some(h) = hint {
            let shown = if parts.len() > 1 && !h.ends_with(" is met") {
                format!("{h}.{}", parts[1..].join("."))
            } else {
                h
            };
            d = d.help(format!("did you mean `{shown}`?"));
        } else if head == "tier" || head == "criteria" || head == "levers" {
            d = d.help(format!(
                "`{head}` is known only in placement, rationale and warn"
            ));
        }
        self.diags.push(d);
        (CExpr::Const(Const::Null), Ty::Null)
    }

    fn unknown_field(&mut self, prefix: &[String], part: &str, r: &RecTy, span: Span, fact: bool) {
        let prefix = prefix.join(".");
        let code = if fact {
            Code::UnknownFact
        } else {
            Code::UnknownName
        };
        let mut d = err(code, format!("unknown fact `{prefix}.{part}`"), span);
        if !fact {
            d.message = format!("`{prefix}` has no field `{part}`");
        }
        let hint = self.suggest(part, r.fields.iter().map(|f| &*f.name));
        d = d.help(match hint {
            Some(h) => format!("did you mean `{prefix}.{h}`?"),
            None => {
                let names: Vec<&str> = r.fields.iter().map(|f| &*f.name).collect();
                format!("`{prefix}` has: {}", names.join(", "))
            }
        });
        self.diags.push(d);
    }
}
