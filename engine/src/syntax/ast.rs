//! The typed syntax tree of a rule pack. Every node carries a [`Span`] into
//! its source file; equality of spans is not meaningful across files.

use std::rc::Rc;

pub use crate::diag::Span;

/// Citation, title and pillar of a criterion, step, parameter or lever.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub cites: Vec<String>,
    /// Where each of `cites` is written (same order).
    pub cite_spans: Vec<Span>,
    pub pillar: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub enum TypeExpr {
    Bool,
    Number,
    Text,
    Enum(Vec<String>),
    List(Box<TypeExpr>),
    Record(Vec<FieldDecl>),
    Ref(String, Span),
}

#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: String,
    pub ty: TypeExpr,
    pub required: bool,
    /// `number in LOW..HIGH` (either end may be open).
    pub range: Option<(Option<f64>, Option<f64>)>,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Num(f64),
    Text(String),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Coalesce,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Coalesce => "??",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantKind {
    Any,
    All,
    Count,
    Streak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Max,
    Min,
    Sum,
    First,
    /// `collect E for x in L where C`: the list of `E` for each element.
    Collect,
}

/// A piece of a string literal: text, or a `{expression}` placeholder.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    Text(String),
    Expr(Expr),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Lit(Literal),
    /// A string literal with at least one placeholder.
    Template(Rc<Vec<TemplatePart>>),
    /// A dotted name, resolved by the checker.
    Name(Vec<String>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `criterion is outcome`
    Is(Vec<String>, String),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Quant {
        kind: QuantKind,
        var: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
    Agg {
        kind: AggKind,
        value: Box<Expr>,
        var: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
    Call(String, Vec<Expr>),
    List(Vec<Expr>),
}

#[derive(Debug, Clone)]
pub struct Let {
    pub name: String,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Branch {
    /// `None` for `otherwise`.
    pub when: Option<Expr>,
    pub result: Expr,
    pub because: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub name: String,
    pub title: Option<String>,
    pub editions: Vec<f64>,
    pub source: Option<String>,
    pub edition_fact: Option<String>,
    pub findings_fact: Option<String>,
    pub span: Span,
}

/// `source ID { title "…" edition N publisher "…" url "…" note "…" }`: a
/// public document that `cites` strings name by their first word.
#[derive(Debug, Clone)]
pub struct SourceDecl {
    pub id: String,
    pub title: Option<String>,
    pub edition: Option<f64>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub span: Span,
    pub id_span: Span,
}

#[derive(Debug, Clone)]
pub struct TypeDecl {
    pub name: String,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ty: TypeExpr,
    pub meta: Meta,
    pub values: Vec<(f64, Literal, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Def {
    pub name: String,
    pub params: Vec<String>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Judgment {
    pub name: String,
    pub meta: Meta,
    pub found: Expr,
    pub lets: Vec<Let>,
    pub branches: Vec<Branch>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub meta: Meta,
    pub lets: Vec<Let>,
    pub branches: Vec<Branch>,
    pub span: Span,
    pub id_span: Span,
}

#[derive(Debug, Clone)]
pub struct Exception {
    pub target: String,
    pub meta: Meta,
    pub lets: Vec<Let>,
    pub branches: Vec<Branch>,
    pub span: Span,
    pub target_span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Decide,
    Adjust,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    pub name: String,
    pub meta: Meta,
    pub lets: Vec<Let>,
    pub branches: Vec<Branch>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Placement {
    /// The declared type of a tier (an enum type name).
    pub tier_type: String,
    pub steps: Vec<Step>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum RationaleItem {
    Say {
        text: Expr,
        when: Option<Expr>,
    },
    Choose(Vec<Branch>),
    /// `paragraph`: what follows starts a new paragraph.
    Paragraph,
}

#[derive(Debug, Clone)]
pub struct Warn {
    pub each: Option<(String, Expr)>,
    pub when: Expr,
    pub message: Expr,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct LeverSet {
    pub path: String,
    pub value: Literal,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Lever {
    pub name: String,
    pub meta: Meta,
    /// The recommendation sentence, in the report's style.
    pub recommend: Option<String>,
    pub sets: Vec<LeverSet>,
    pub span: Span,
}

/// Everything one rule file declares.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub packs: Vec<Pack>,
    pub sources: Vec<SourceDecl>,
    pub types: Vec<TypeDecl>,
    pub facts: Vec<(Vec<FieldDecl>, Span)>,
    pub params: Vec<Param>,
    pub defs: Vec<Def>,
    pub judgments: Vec<Judgment>,
    pub criteria: Vec<Criterion>,
    pub exceptions: Vec<Exception>,
    pub placements: Vec<Placement>,
    pub rationale: Vec<RationaleItem>,
    pub warns: Vec<Warn>,
    pub levers: Vec<Lever>,
}

impl File {
    /// Appends every declaration of `other` (files of one pack are merged).
    pub fn merge(&mut self, other: File) {
        self.packs.extend(other.packs);
        self.sources.extend(other.sources);
        self.types.extend(other.types);
        self.facts.extend(other.facts);
        self.params.extend(other.params);
        self.defs.extend(other.defs);
        self.judgments.extend(other.judgments);
        self.criteria.extend(other.criteria);
        self.exceptions.extend(other.exceptions);
        self.placements.extend(other.placements);
        self.rationale.extend(other.rationale);
        self.warns.extend(other.warns);
        self.levers.extend(other.levers);
    }
}
