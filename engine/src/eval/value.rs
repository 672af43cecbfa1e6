//! Values while evaluating: [`Value`] (unknown, yes/no, numbers, texts,
//! facts with their YAML path, lists and records), its truth, equality,
//! items, how it reads in a sentence and as JSON. Touches no evaluator
//! state.

use crate::facts::Fact;
use crate::text::num::fmt_num;
use serde_json::Value as Json;
use std::rc::Rc;

use super::MAX_TEXT;

/// One segment of the YAML path of a fact value.
#[derive(Debug)]
pub(super) struct PathNode {
    parent: Option<Rc<PathNode>>,
    seg: Seg,
}

#[derive(Debug)]
pub(super) enum Seg {
    Field(Rc<str>),
    Index(usize),
}

pub(super) fn extend(parent: &Option<Rc<PathNode>>, seg: Seg) -> Option<Rc<PathNode>> {
    Some(Rc::new(PathNode {
        parent: parent.clone(),
        seg,
    }))
}

pub(super) fn path_string(p: &Option<Rc<PathNode>>) -> String {
    let mut nodes: Vec<&PathNode> = vec![];
    let mut cur = p.as_deref();
    while let Some(n) = cur {
        nodes.push(n);
        cur = n.parent.as_deref();
    }
    let mut s = String::with_capacity(nodes.len() * 12);
    for n in nodes.iter().rev() {
        match &n.seg {
            Seg::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Seg::Index(i) => {
                use std::fmt::Write;
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

#[derive(Debug, Clone)]
pub(super) enum Value<'a> {
    Unknown,
    Bool(bool),
    Num(f64),
    Text(Rc<str>),
    /// A record or list straight from the facts, with its path.
    Fact(&'a Fact, Option<Rc<PathNode>>),
    List(Rc<Vec<Value<'a>>>),
    Rec(Rc<Vec<Value<'a>>>),
}

impl Value<'_> {
    pub(super) fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

pub(super) fn ensure(fr: &mut Vec<Value>, slot: usize) {
    if fr.len() <= slot {
        fr.resize(slot + 1, Value::Unknown);
    }
}

pub(super) fn items<'a>(v: &Value<'a>) -> Vec<Value<'a>> {
    match v {
        Value::Fact(Fact::List(xs), path) => xs
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let p = path.as_ref().and_then(|_| extend(path, Seg::Index(i)));
                match x {
                    Fact::Null => Value::Unknown,
                    Fact::Bool(b) => Value::Bool(*b),
                    Fact::Num(n) => Value::Num(*n),
                    Fact::Text(t) => Value::Text(t.clone()),
                    other => Value::Fact(other, p),
                }
            })
            .collect(),
        Value::List(xs) => xs.as_ref().clone(),
        _ => vec![],
    }
}

pub(super) fn equal(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Num(a), Value::Num(b)) => a == b,
        (Value::Text(a), Value::Text(b)) => a == b,
        _ => false,
    }
}

/// Whether [`display`] would give more than `limit` bytes, found without
/// building the text (a list of lists that doubles at each level is
/// counted only up to the limit: every element counts at least the two
/// bytes of its separator).
pub(super) fn display_exceeds(v: &Value, limit: usize) -> bool {
    fn go(v: &Value, left: &mut usize) -> bool {
        let own = match v {
            Value::Text(t) => t.len(),
            Value::Num(_) | Value::Bool(_) | Value::Unknown | Value::Rec(_) => 24,
            Value::Fact(Fact::List(_), _) | Value::List(_) => {
                for x in items(v) {
                    if *left < 2 {
                        return true;
                    }
                    *left -= 2;
                    if go(&x, left) {
                        return true;
                    }
                }
                return false;
            }
            Value::Fact(_, _) => 8,
        };
        if own > *left {
            return true;
        }
        *left -= own;
        false
    }
    let mut left = limit;
    go(v, &mut left)
}

/// A value as text in a sentence. Text past [`MAX_TEXT`] is never built:
/// callers check with [`display_exceeds`] first, and this says so if not.
pub(super) fn display(v: &Value) -> String {
    if display_exceeds(v, MAX_TEXT.saturating_mul(2)) {
        return "(text too long to show)".into();
    }
    match v {
        Value::Unknown => "unknown".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Num(n) => fmt_num(*n),
        Value::Text(t) => t.to_string(),
        Value::Fact(f, _) => match f {
            Fact::List(_) => join_words(&items(v).iter().map(display).collect::<Vec<_>>()),
            _ => "(record)".into(),
        },
        Value::List(xs) => join_words(&xs.iter().map(display).collect::<Vec<_>>()),
        Value::Rec(_) => "(record)".into(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(super) fn num_json(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

pub(super) fn fact_json(f: &Fact) -> Json {
    match f {
        Fact::Null => Json::Null,
        Fact::Bool(b) => Json::Bool(*b),
        Fact::Num(n) => num_json(*n),
        Fact::Text(t) => Json::String(t.to_string()),
        Fact::List(xs) => Json::Array(xs.iter().map(fact_json).collect()),
        Fact::Record(_) => Json::String("(record)".into()),
    }
}

pub(super) fn to_json(v: &Value) -> Json {
    match v {
        Value::Unknown => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Num(n) => num_json(*n),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Fact(f, _) => fact_json(f),
        Value::List(xs) => Json::Array(xs.iter().map(to_json).collect()),
        Value::Rec(_) => Json::String("(record)".into()),
    }
}

pub(super) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

pub(super) fn same_result(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Unknown, Value::Unknown) => true,
        _ => equal(a, b),
    }
}
