//! Types: the declared `type`s, the facts' root record and the roles the
//! pack gives its facts, the placement's tier type, and the type helpers
//! (literal constants, enum variants, the built-in `criteria` and `levers`
//! records).

use super::names::FirstSeen;
use super::{err, Checker};
use crate::diag::Code;
use crate::pack::*;
use crate::syntax::ast::{self, Literal, Span, TypeExpr};
use std::rc::Rc;

pub(super) fn const_of(l: &Literal) -> Const {
    match l {
        Literal::Num(n) => Const::Num(*n),
        Literal::Text(s) => Const::Text(s.as_str().into()),
        Literal::Bool(b) => Const::Bool(*b),
        Literal::Null => Const::Null,
    }
}

pub(super) fn const_ty(c: &Const) -> Ty {
    match c {
        Const::Null => Ty::Null,
        Const::Bool(_) => Ty::Bool,
        Const::Num(_) => Ty::Num,
        Const::Text(_) => Ty::Text,
    }
}

/// The record each element of `criteria` is (in placement).
pub(super) fn criteria_record() -> Rc<RecTy> {
    let outcome_ty = Ty::Enum(Rc::new(
        Outcome::ALL
            .iter()
            .map(|o| o.as_str().to_string())
            .collect(),
    ));
    Rc::new(RecTy {
        fields: ["id", "title", "outcome", "pillar", "reason"]
            .iter()
            .map(|n| FieldTy {
                name: (*n).into(),
                ty: if *n == "outcome" {
                    outcome_ty.clone()
                } else {
                    Ty::Text
                },
                required: true,
                range: None,
                doc: None,
            })
            .collect(),
    })
}

/// The record each element of `levers` is (in placement).
pub(super) fn levers_record() -> Rc<RecTy> {
    let text_field = |n: &str, ty: Ty| FieldTy {
        name: n.into(),
        ty,
        required: true,
        range: None,
        doc: None,
    };
    Rc::new(RecTy {
        fields: vec![
            text_field("name", Ty::Text),
            text_field("title", Ty::Text),
            text_field("pillar", Ty::Text),
            text_field("recommend", Ty::Text),
            text_field("fixes", Ty::List(Box::new(Ty::Text))),
        ],
    })
}

impl Checker {
    /// The `type` declarations (a later one with a name replaces the
    /// earlier); every declared type must resolve, used or not.
    pub(super) fn declare_types(&mut self, file: &ast::File) {
        let mut seen = FirstSeen::default();
        for t in &file.types {
            if let Some(d) = seen.see(&t.name, t.span, Code::DuplicateName, "type") {
                self.diags.push(d);
            }
            self.types.insert(t.name.clone(), (t.ty.clone(), t.span));
        }
        for t in &file.types {
            self.resolve_type(&t.ty, 0);
        }
    }

    /// Several `facts` blocks merge into one root record; the facts'
    /// names are the first top-level names.
    pub(super) fn declare_facts(&mut self, file: &ast::File) {
        let mut fields: Vec<FieldTy> = vec![];
        let mut seen = FirstSeen::default();
        for (decls, _) in &file.facts {
            for d in decls {
                if let Some(diag) = seen.see(&d.name, d.span, Code::DuplicateField, "fact") {
                    self.diags.push(diag);
                    continue;
                }
                fields.push(self.field(d, 0));
            }
        }
        self.root = Rc::new(RecTy { fields });
        self.declared = seen;
    }

    /// The fact a pack names for a role (`edition_fact`, `findings_fact`).
    pub(super) fn role_field(
        &mut self,
        name: Option<&str>,
        pack: &ast::Pack,
        role: &str,
    ) -> Option<usize> {
        let name = name?;
        let idx = self.root.index(name);
        if idx.is_none() {
            self.diags.push(err(
                Code::UnknownFact,
                format!("`{role}` names `{name}`, which is not a declared fact"),
                pack.span,
            ));
        }
        idx
    }

    /// The `placement` blocks merged in order (several, e.g. one per file,
    /// add their steps), and the enum of tiers they place.
    pub(super) fn placement_type(
        &mut self,
        file: &ast::File,
        pack: &ast::Pack,
    ) -> Option<ast::Placement> {
        let placement = match file.placements.as_slice() {
            [] => {
                self.diags.push(
                    err(Code::MissingPlacement, "no `placement` block", pack.span)
                        .help("add `placement tier { decide ... }`"),
                );
                None
            }
            [p, rest @ ..] => {
                let mut merged = p.clone();
                for other in rest {
                    if other.tier_type != p.tier_type {
                        self.diags.push(err(
                            Code::TypeMismatch,
                            format!(
                                "this `placement` places a `{}`, the first one a `{}`",
                                other.tier_type, p.tier_type
                            ),
                            other.span,
                        ));
                    }
                    merged.steps.extend(other.steps.iter().cloned());
                }
                Some(merged)
            }
        };
        if let Some(p) = &placement {
            match self.resolve_type(&TypeExpr::Ref(p.tier_type.clone(), p.span), 0) {
                Ty::Enum(v) => self.tier_variants = v,
                other => self.diags.push(err(
                    Code::TypeMismatch,
                    format!(
                        "placement type `{}` must be an enum, found {}",
                        p.tier_type,
                        other.describe()
                    ),
                    p.span,
                )),
            }
        }
        placement
    }

    fn field(&mut self, d: &ast::FieldDecl, depth: usize) -> FieldTy {
        FieldTy {
            name: d.name.as_str().into(),
            ty: self.resolve_type(&d.ty, depth),
            required: d.required,
            range: d.range,
            doc: d.doc.clone(),
        }
    }

    pub(super) fn resolve_type(&mut self, t: &TypeExpr, depth: usize) -> Ty {
        if depth > 32 {
            return Ty::Null;
        }
        match t {
            TypeExpr::Bool => Ty::Bool,
            TypeExpr::Number => Ty::Num,
            TypeExpr::Text => Ty::Text,
            TypeExpr::Enum(v) => Ty::Enum(Rc::new(v.clone())),
            TypeExpr::List(inner) => Ty::List(Box::new(self.resolve_type(inner, depth + 1))),
            TypeExpr::Record(fields) => {
                let mut seen = FirstSeen::default();
                let mut out = vec![];
                for f in fields {
                    if let Some(d) = seen.see(&f.name, f.span, Code::DuplicateField, "field") {
                        self.diags.push(d);
                        continue;
                    }
                    out.push(self.field(f, depth + 1));
                }
                Ty::Record(Rc::new(RecTy { fields: out }))
            }
            TypeExpr::Ref(name, span) => self.resolve_ref(name, *span, depth),
        }
    }

    /// A declared type's name, resolved (a type that refers to itself is
    /// reported once it nests past 16).
    fn resolve_ref(&mut self, name: &str, span: Span, depth: usize) -> Ty {
        match self.types.get(name).cloned() {
            Some((t, _)) => {
                if depth > 16 {
                    self.diags.push(err(
                        Code::UnknownType,
                        format!("type `{name}` refers to itself"),
                        span,
                    ));
                    return Ty::Null;
                }
                self.resolve_type(&t, depth + 1)
            }
            None => {
                let hint = self.suggest(name, self.types.keys().map(String::as_str));
                let mut d = err(Code::UnknownType, format!("unknown type `{name}`"), span);
                d = d.help(match hint {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => "the types are bool, number, text, enum {...}, list of T, {...} and declared `type` names".into(),
                });
                self.diags.push(d);
                Ty::Null
            }
        }
    }

    /// A text constant given where an enum is expected must be a variant.
    pub(super) fn variant_check(&mut self, ty: &Ty, c: &Const, span: Span) {
        if let (Ty::Enum(vs), Const::Text(s)) = (ty, c) {
            if !vs.iter().any(|v| **v == **s) {
                let mut d = err(
                    Code::UnknownVariant,
                    format!("`\"{s}\"` is not one of {}", ty.describe()),
                    span,
                );
                if let Some(h) = self.suggest(s, vs.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `\"{h}\"`?"));
                }
                self.diags.push(d);
            }
        }
    }
}
