//! The checked, compiled rule pack: names resolved to slots and indices,
//! types known. Built by `check`, run by `eval`.

use crate::diag::{did_you_mean, SourceMap};
use crate::syntax::ast::{AggKind, BinOp, Meta, QuantKind, Span};
use std::fmt;
use std::rc::Rc;

/// A type of the rule language.
#[derive(Debug, Clone)]
pub enum Ty {
    Bool,
    Num,
    Text,
    Enum(Rc<Vec<String>>),
    List(Box<Ty>),
    Record(Rc<RecTy>),
    /// The type of `null`: fits anywhere.
    Null,
}

#[derive(Debug, Clone)]
pub struct FieldTy {
    pub name: Rc<str>,
    pub ty: Ty,
    pub required: bool,
    /// Allowed range of a number fact.
    pub range: Option<(Option<f64>, Option<f64>)>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RecTy {
    pub fields: Vec<FieldTy>,
}

impl RecTy {
    pub fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| &*f.name == name)
    }
}

impl Ty {
    pub fn describe(&self) -> String {
        match self {
            Ty::Bool => "bool".into(),
            Ty::Num => "number".into(),
            Ty::Text => "text".into(),
            Ty::Enum(v) => {
                let shown: Vec<String> = v.iter().take(6).map(|s| format!("\"{s}\"")).collect();
                format!("enum {{{}}}", shown.join(", "))
            }
            Ty::List(t) => format!("list of {}", t.describe()),
            Ty::Record(_) => "record".into(),
            Ty::Null => "null".into(),
        }
    }

    /// Whether a value of `self` may be compared with or stand for one of `other`.
    pub fn fits(&self, other: &Ty) -> bool {
        match (self, other) {
            (Ty::Null, _) | (_, Ty::Null) => true,
            (Ty::Bool, Ty::Bool) | (Ty::Num, Ty::Num) => true,
            (Ty::Text | Ty::Enum(_), Ty::Text | Ty::Enum(_)) => true,
            (Ty::List(a), Ty::List(b)) => a.fits(b),
            (Ty::Record(a), Ty::Record(b)) => {
                Rc::ptr_eq(a, b)
                    || (a.fields.len() == b.fields.len()
                        && a.fields
                            .iter()
                            .zip(&b.fields)
                            .all(|(x, y)| x.name == y.name && x.ty.fits(&y.ty)))
            }
            _ => false,
        }
    }
}

/// The four outcomes of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Met,
    NotMet,
    Unknown,
    NotApplicable,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Met,
        Outcome::NotMet,
        Outcome::Unknown,
        Outcome::NotApplicable,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::Unknown => "unknown",
            Outcome::NotApplicable => "not_applicable",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Known,
    Len,
    Join,
    Round,
    /// The text with its first letter in lower case (to continue a sentence).
    LowerFirst,
    /// The texts of a list joined by spaces (sentences into a paragraph).
    Sentences,
    /// A number written with thousands separators ("1,381"), as prose
    /// writes counts.
    Grouped,
}

/// A constant value of a parameter or literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Null,
    Bool(bool),
    Num(f64),
    Text(Rc<str>),
}

/// A resolved expression.
#[derive(Debug, Clone)]
pub enum CExpr {
    Const(Const),
    Template(Rc<Vec<CPart>>),
    /// A fact: field indices (and names, for explanations) from the root record.
    Fact(Rc<Vec<(usize, Rc<str>)>>),
    /// A local (let, quantifier variable or def parameter), by slot.
    Local(usize),
    /// A field of a record-valued expression.
    Field(Box<CExpr>, usize, Rc<str>),
    Param(usize),
    Def(usize, Vec<CExpr>),
    Judgment(usize),
    Is(usize, Outcome),
    /// The tier placed so far (placement, rationale and warnings only).
    Tier,
    /// The evaluated criteria as records {id, title, outcome, pillar}.
    Criteria,
    /// The pack's levers as records {name, title, pillar, recommend, fixes}.
    Levers,
    /// A number written in the rules, with its span (mutation testing
    /// moves it; see `mutants`).
    Num(f64, Span),
    Not(Box<CExpr>),
    Neg(Box<CExpr>),
    /// A binary operation; the span is the text between the operands (the
    /// operator), for mutation testing.
    Bin(BinOp, Box<CExpr>, Box<CExpr>, Span),
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Quant {
        kind: QuantKind,
        slot: usize,
        /// For `streak`: the index of the `year` field of the records.
        year_field: usize,
        list: Box<CExpr>,
        filter: Option<Box<CExpr>>,
    },
    Agg {
        kind: AggKind,
        slot: usize,
        value: Box<CExpr>,
        list: Box<CExpr>,
        filter: Option<Box<CExpr>>,
    },
    Call(Builtin, Vec<CExpr>),
    List(Vec<CExpr>),
    /// A call of a `def` with parameters, inlined: the arguments go to
    /// their slots, then the body runs in the caller's frame.
    Bind(Vec<(usize, CExpr)>, Box<CExpr>),
}

#[derive(Debug, Clone)]
pub enum CPart {
    Text(Rc<str>),
    Expr(CExpr),
}

#[derive(Debug, Clone)]
pub struct CBranch {
    pub when: Option<CExpr>,
    pub result: CExpr,
    pub because: Option<CExpr>,
    pub span: Span,
    /// Label of the exception the branch comes from, if any.
    pub exception: Option<String>,
}

/// A rule body: `let`s then ordered branches.
#[derive(Debug, Clone)]
pub struct Body {
    /// (slot, value) of each `let`, in order.
    pub lets: Vec<(usize, CExpr)>,
    pub branches: Vec<CBranch>,
    /// Slots needed by the body (lets and quantifier variables).
    pub frame: usize,
}

#[derive(Debug, Clone)]
pub struct CParam {
    pub name: String,
    pub meta: Meta,
    /// (first edition, value), ascending.
    pub values: Vec<(f64, Const)>,
    /// Where each `from YEAR = VALUE` is written.
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone)]
pub struct CDef {
    pub name: String,
    pub arity: usize,
    pub body: CExpr,
    pub frame: usize,
    pub ty: Ty,
}

#[derive(Debug, Clone)]
pub struct CJudgment {
    pub name: String,
    pub meta: Meta,
    pub found: CExpr,
    pub body: Body,
    pub ty: Ty,
}

#[derive(Debug, Clone)]
pub struct CCriterion {
    pub id: String,
    pub meta: Meta,
    pub body: Body,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct CStep {
    pub name: String,
    pub decide: bool,
    pub meta: Meta,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub enum CRationale {
    Say(CExpr, Option<CExpr>, usize),
    Choose(Body),
    /// A paragraph break in the draft.
    Paragraph,
}

#[derive(Debug, Clone)]
pub struct CWarn {
    pub each: Option<CExpr>,
    pub when: CExpr,
    pub message: CExpr,
    pub frame: usize,
}

/// One step of a lever path: a field, every list element, or one element.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSeg {
    Field(usize, Rc<str>),
    Each,
    Index(usize),
}

#[derive(Debug, Clone)]
pub struct CLever {
    pub name: String,
    pub meta: Meta,
    /// The recommendation sentence, in the report's style.
    pub recommend: Option<String>,
    pub sets: Vec<(Vec<PathSeg>, Const, String)>,
    /// The criteria whose outcome the facts it sets can change (what they
    /// read), in pack order.
    pub fixes: Vec<String>,
}

/// A public source declared by the pack (`source ID { … }`). Every `cites`
/// string starts with the id of one.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteSource {
    pub id: String,
    pub title: String,
    pub edition: Option<f64>,
    pub publisher: Option<String>,
    pub url: String,
    pub note: Option<String>,
}

/// The source id a cite string names: its first word.
pub fn cite_source_id(cite: &str) -> &str {
    cite.split_whitespace().next().unwrap_or("")
}

/// A checked rule pack, ready to evaluate.
#[derive(Debug, Clone)]
pub struct RulePack {
    pub name: String,
    pub title: Option<String>,
    pub editions: Vec<f64>,
    pub source: Option<String>,
    /// The public sources `cites` strings name, in declaration order.
    pub cite_sources: Vec<CiteSource>,
    pub sources: SourceMap,
    pub root: Rc<RecTy>,
    pub edition_field: Option<usize>,
    pub findings_field: Option<usize>,
    pub tier_variants: Rc<Vec<String>>,
    pub params: Vec<CParam>,
    pub defs: Vec<CDef>,
    pub judgments: Vec<CJudgment>,
    pub criteria: Vec<CCriterion>,
    pub steps: Vec<CStep>,
    pub rationale: Vec<CRationale>,
    pub warns: Vec<CWarn>,
    pub levers: Vec<CLever>,
    /// Index of the def named `previous_tier`, if any (contract output).
    pub previous_tier_def: Option<usize>,
    /// Index of the def named `movement`, if any (contract output).
    pub movement_def: Option<usize>,
    /// Index of a one-argument def named `tier_label`: how a tier reads.
    pub tier_label_def: Option<usize>,
    /// Index of a one-argument def named `tier_rank`: lower is better
    /// (used by reform search to compare tiers).
    pub tier_rank_def: Option<usize>,
    /// The record type of one entry of the builtin `criteria` list.
    pub criteria_rec: Rc<RecTy>,
    /// The record type of one entry of the builtin `levers` list.
    pub levers_rec: Rc<RecTy>,
}

impl RulePack {
    pub fn criterion_index(&self, id: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.id == id)
    }

    /// The declared source a cite string names, if any.
    pub fn cite_source(&self, cite: &str) -> Option<&CiteSource> {
        let id = cite_source_id(cite);
        self.cite_sources.iter().find(|s| s.id == id)
    }
}

/// Resolves a facts path such as `law.provisions[*].fine` or
/// `law.provisions[0].fine` against the facts schema.
pub fn resolve_path(
    root: &Rc<RecTy>,
    path: &str,
) -> std::result::Result<(Vec<PathSeg>, Ty), (String, Option<String>)> {
    let mut segs = vec![];
    let mut ty = Ty::Record(root.clone());
    let mut shown = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let close = after
                .find(']')
                .ok_or_else(|| (format!("unclosed `[` in `{path}`"), None))?;
            let inner = &after[..close];
            let Ty::List(elem) = ty else {
                return Err((format!("`{shown}` is not a list"), None));
            };
            if inner == "*" {
                segs.push(PathSeg::Each);
            } else {
                let i: usize = inner.parse().map_err(|_| {
                    (
                        format!("`[{inner}]` is not a list index"),
                        Some("write `[0]`, `[1]`, ... or `[*]`".into()),
                    )
                })?;
                segs.push(PathSeg::Index(i));
            }
            shown.push_str(&format!("[{inner}]"));
            ty = *elem;
            rest = &after[close + 1..];
            continue;
        }
        let rest2 = rest.strip_prefix('.').unwrap_or(rest);
        let end = rest2.find(['.', '[']).unwrap_or(rest2.len());
        let field = &rest2[..end];
        let Ty::Record(r) = &ty else {
            return Err((format!("`{shown}` has no field `{field}`"), None));
        };
        let Some(i) = r.index(field) else {
            let prefix = if shown.is_empty() {
                String::new()
            } else {
                format!("{shown}.")
            };
            let help = did_you_mean(field, r.fields.iter().map(|f| &*f.name))
                .map(|h| format!("did you mean `{prefix}{h}`?"));
            return Err((format!("unknown fact `{prefix}{field}`"), help));
        };
        segs.push(PathSeg::Field(i, r.fields[i].name.clone()));
        if !shown.is_empty() {
            shown.push('.');
        }
        shown.push_str(field);
        let next = r.fields[i].ty.clone();
        ty = next;
        rest = &rest2[end..];
    }
    Ok((segs, ty))
}
