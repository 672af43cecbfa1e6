//! Expressions, as methods of [`Ev`]: `eval` (the guarded entry that keeps
//! the step, depth and text limits), one helper per kind of expression,
//! the builtins and the binary operators (Kleene `and`/`or`). Quantifiers
//! and aggregates are in `quant`.

use super::result::Source;
use super::state::Ev;
use super::value::{
    display, display_exceeds, ensure, equal, extend, fact_json, items, join_words, num_json,
    to_json, PathNode, Seg, Value,
};
use super::{MAX_EVAL_DEPTH, MAX_STEPS, MAX_TEXT};
use crate::facts::Fact;
use crate::pack::{Builtin, CExpr, CPart, Const, Outcome};
use crate::syntax::ast::BinOp;
use serde_json::Value as Json;
use std::rc::Rc;

impl<'a> Ev<'a> {
    pub(super) fn fact_value(&mut self, f: &'a Fact, path: Option<Rc<PathNode>>) -> Value<'a> {
        match f {
            Fact::Null => {
                self.log_at(&path, Json::Null);
                Value::Unknown
            }
            Fact::Bool(b) => {
                self.log_at(&path, Json::Bool(*b));
                Value::Bool(*b)
            }
            Fact::Num(n) => {
                self.log_at(&path, num_json(*n));
                Value::Num(*n)
            }
            Fact::Text(t) => {
                self.log_at(&path, Json::String(t.to_string()));
                Value::Text(t.clone())
            }
            Fact::List(items) => {
                if items
                    .iter()
                    .all(|i| !matches!(i, Fact::Record(_) | Fact::List(_)))
                {
                    let j = fact_json(f);
                    self.log_at(&path, j);
                }
                Value::Fact(f, path)
            }
            Fact::Record(_) => Value::Fact(f, path),
        }
    }

    pub(super) fn eval(&mut self, e: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.exhausted = true;
            return Value::Unknown;
        }
        // like the step budget, the other limits stop evaluation for good:
        // a text made from an unknown part would read "unknown" and compare
        // as if it were known
        if self.oversized || self.too_deep {
            return Value::Unknown;
        }
        if self.depth >= MAX_EVAL_DEPTH {
            self.too_deep = true;
            return Value::Unknown;
        }
        self.depth += 1;
        let v = self.eval_at(e, fr);
        self.depth -= 1;
        v
    }

    /// A text value, or unknown (and the `oversized` warning) past [`MAX_TEXT`].
    fn text(&mut self, s: String) -> Value<'a> {
        if s.len() > MAX_TEXT {
            self.oversized = true;
            return Value::Unknown;
        }
        Value::Text(s.into())
    }

    /// One step of [`Ev::eval`]: dispatches on the kind of expression.
    // Kept out of `eval` (the hot path): inlined there, the helpers below
    // stop being inlined into it, which cost ~4% more instructions per
    // `decide` when measured; apart, the split costs ~1%.
    #[inline(never)]
    fn eval_at(&mut self, e: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        match e {
            CExpr::Const(c) => match c {
                Const::Null => Value::Unknown,
                Const::Bool(b) => Value::Bool(*b),
                Const::Num(n) => Value::Num(*n),
                Const::Text(t) => Value::Text(t.clone()),
            },
            CExpr::Template(parts) => self.template(parts, fr),
            CExpr::Fact(idx) => self.fact(idx),
            CExpr::Local(slot) => fr.get(*slot).cloned().unwrap_or(Value::Unknown),
            CExpr::Field(base, j, name) => self.field(base, *j, name, fr),
            CExpr::Param(i) => self.param(*i),
            CExpr::Def(i, args) => {
                let args: Vec<Value<'a>> = args.iter().map(|a| self.eval(a, fr)).collect();
                self.def(*i, args)
            }
            CExpr::Judgment(j) => self.judgment_read(*j),
            CExpr::Is(i, o) => self.is(*i, *o),
            CExpr::Tier => match &self.tier {
                Some(t) => Value::Text(t.clone()),
                None => Value::Unknown,
            },
            CExpr::Levers => self.levers(),
            CExpr::Criteria => self.criteria_list(),
            CExpr::Not(a) => match self.eval(a, fr) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Unknown,
            },
            CExpr::Neg(a) => match self.eval(a, fr) {
                Value::Num(n) => Value::Num(-n),
                _ => Value::Unknown,
            },
            CExpr::Num(n, _) => Value::Num(*n),
            CExpr::Bin(op, a, b, _) => self.binary(*op, a, b, fr),
            CExpr::If(c, t, f) => match self.eval(c, fr).truth() {
                Some(true) => self.eval(t, fr),
                Some(false) => self.eval(f, fr),
                None => Value::Unknown,
            },
            CExpr::Quant {
                kind,
                slot,
                year_field,
                list,
                filter,
            } => self.quant(*kind, *slot, *year_field, list, filter.as_deref(), fr),
            CExpr::Agg {
                kind,
                slot,
                value,
                list,
                filter,
            } => self.agg(*kind, *slot, value, list, filter.as_deref(), fr),
            CExpr::Call(b, args) => self.call(*b, args, fr),
            CExpr::Bind(binds, body) => {
                // every argument first, then the slots: an argument that
                // itself inlines a def may use the slot of an earlier one
                // (one argument has no earlier one, and needs no buffer)
                if let [(slot, a)] = binds.as_slice() {
                    let v = self.eval(a, fr);
                    ensure(fr, *slot);
                    fr[*slot] = v;
                } else {
                    let vals: Vec<Value<'a>> =
                        binds.iter().map(|(_, a)| self.eval(a, fr)).collect();
                    for ((slot, _), v) in binds.iter().zip(vals) {
                        ensure(fr, *slot);
                        fr[*slot] = v;
                    }
                }
                self.eval(body, fr)
            }
            CExpr::List(xs) => {
                let vals: Vec<Value<'a>> = xs.iter().map(|x| self.eval(x, fr)).collect();
                Value::List(Rc::new(vals))
            }
        }
    }

    /// A template: its texts, and its expressions as they read in a sentence.
    fn template(&mut self, parts: &[CPart], fr: &mut Vec<Value<'a>>) -> Value<'a> {
        let mut s = String::new();
        for p in parts.iter() {
            match p {
                CPart::Text(t) => s.push_str(t),
                CPart::Expr(x) => {
                    let v = self.eval(x, fr);
                    if display_exceeds(&v, MAX_TEXT.saturating_sub(s.len())) {
                        self.oversized = true;
                        return Value::Unknown;
                    }
                    s.push_str(&display(&v));
                }
            }
        }
        self.text(s)
    }

    /// A fact, by its field indices from the root record (logged with its
    /// path when explaining).
    fn fact(&mut self, idx: &[(usize, Rc<str>)]) -> Value<'a> {
        let mut cur: &'a Fact = self.root;
        let mut path: Option<Rc<PathNode>> = None;
        for (i, name) in idx.iter() {
            if self.explain {
                path = extend(&path, Seg::Field(name.clone()));
            }
            match cur {
                Fact::Record(fields) => match fields.get(*i) {
                    Some(f) => cur = f,
                    None => return Value::Unknown,
                },
                _ => {
                    self.log_at(&path, Json::Null);
                    return Value::Unknown;
                }
            }
        }
        self.fact_value(cur, path)
    }

    /// A field of a record-valued expression.
    fn field(
        &mut self,
        base: &CExpr,
        j: usize,
        name: &Rc<str>,
        fr: &mut Vec<Value<'a>>,
    ) -> Value<'a> {
        let b = self.eval(base, fr);
        match b {
            Value::Fact(Fact::Record(fields), path) => match fields.get(j) {
                Some(f) => {
                    let p = if path.is_some() {
                        extend(&path, Seg::Field(name.clone()))
                    } else {
                        None
                    };
                    self.fact_value(f, p)
                }
                None => Value::Unknown,
            },
            Value::Rec(vals) => vals.get(j).cloned().unwrap_or(Value::Unknown),
            _ => Value::Unknown,
        }
    }

    /// A param's value in force for the edition assessed.
    fn param(&mut self, i: usize) -> Value<'a> {
        let p = &self.pack.params[i];
        let v = match self.edition {
            Some(year) => p
                .values
                .iter()
                .rev()
                .find(|(from, _)| *from <= year)
                .map(|(_, c)| c.clone()),
            None => None,
        };
        let v = match v {
            Some(Const::Bool(b)) => Value::Bool(b),
            Some(Const::Num(n)) => Value::Num(n),
            Some(Const::Text(t)) => Value::Text(t),
            _ => Value::Unknown,
        };
        if self.explain {
            self.log_param(&p.name, to_json(&v));
        }
        v
    }

    /// A judgment read by an expression (logged with its source).
    fn judgment_read(&mut self, j: usize) -> Value<'a> {
        let v = self.judgment(j);
        if self.explain {
            let name = &self.pack.judgments[j].name;
            let src = self.judg[j]
                .as_ref()
                .map(|m| m.source)
                .unwrap_or(Source::Unknown);
            self.log(format!("{name} ({})", src.as_str()), to_json(&v));
        }
        v
    }

    /// `criterion is outcome`: unknown while the criterion is, unless the
    /// question is whether it is unknown.
    fn is(&mut self, i: usize, o: Outcome) -> Value<'a> {
        let got = self.criterion(i);
        if self.explain {
            self.log(
                self.pack.criteria[i].id.clone(),
                Json::String(got.as_str().into()),
            );
        }
        if got == Outcome::Unknown && o != Outcome::Unknown {
            Value::Unknown
        } else {
            Value::Bool(got == o)
        }
    }

    /// The pack's levers as records {name, title, pillar, recommend, fixes}.
    fn levers(&mut self) -> Value<'a> {
        Value::List(Rc::new(
            self.pack
                .levers
                .iter()
                .map(|l| {
                    Value::Rec(Rc::new(vec![
                        Value::Text(l.name.as_str().into()),
                        Value::Text(l.meta.title.as_deref().unwrap_or(&l.name).into()),
                        Value::Text(l.meta.pillar.as_deref().unwrap_or("").into()),
                        match &l.recommend {
                            Some(r) => Value::Text(r.as_str().into()),
                            None => Value::Unknown,
                        },
                        Value::List(Rc::new(
                            l.fixes
                                .iter()
                                .map(|f| Value::Text(f.as_str().into()))
                                .collect(),
                        )),
                    ]))
                })
                .collect(),
        ))
    }

    /// The evaluated criteria as records {id, title, outcome, pillar, reason}.
    fn criteria_list(&mut self) -> Value<'a> {
        // built on first use, once every criterion is decided
        if !self.criteria_done {
            return Value::Unknown;
        }
        if self.results.is_none() {
            let list = (0..self.pack.criteria.len())
                .map(|i| self.criterion_record(i))
                .collect();
            self.results = Some(Rc::new(list));
        }
        self.results
            .as_ref()
            .map(|r| Value::List(r.clone()))
            .unwrap_or(Value::Unknown)
    }

    /// A builtin applied to its (first) argument.
    fn call(&mut self, b: Builtin, args: &[CExpr], fr: &mut Vec<Value<'a>>) -> Value<'a> {
        let v = args
            .first()
            .map(|a| self.eval(a, fr))
            .unwrap_or(Value::Unknown);
        match b {
            Builtin::Known => Value::Bool(!matches!(v, Value::Unknown)),
            Builtin::Len => match v {
                Value::Unknown => Value::Unknown,
                other => Value::Num(items(&other).len() as f64),
            },
            Builtin::Join => match v {
                Value::Unknown => Value::Unknown,
                other if display_exceeds(&other, MAX_TEXT) => {
                    self.oversized = true;
                    Value::Unknown
                }
                other => {
                    let parts: Vec<String> = items(&other).iter().map(display).collect();
                    self.text(join_words(&parts))
                }
            },
            Builtin::Sentences => match v {
                Value::Unknown => Value::Unknown,
                other if display_exceeds(&other, MAX_TEXT) => {
                    self.oversized = true;
                    Value::Unknown
                }
                other => {
                    let mut parts: Vec<String> = vec![];
                    for p in items(&other) {
                        if matches!(p, Value::Unknown) {
                            continue;
                        }
                        let s = display(&p);
                        // each text once, in first-seen order
                        if !s.trim().is_empty() && !parts.contains(&s) {
                            parts.push(s);
                        }
                    }
                    self.text(parts.join(" "))
                }
            },
            Builtin::Round => match v {
                Value::Num(n) => Value::Num(n.round()),
                _ => Value::Unknown,
            },
            Builtin::Grouped => match v {
                Value::Num(n) => Value::Text(crate::text::num::grouped(n).into()),
                _ => Value::Unknown,
            },
            Builtin::LowerFirst => match v {
                Value::Text(t) => {
                    let mut c = t.chars();
                    match c.next() {
                        Some(f) => {
                            Value::Text(format!("{}{}", f.to_lowercase(), c.as_str()).into())
                        }
                        None => Value::Text(t),
                    }
                }
                _ => Value::Unknown,
            },
        }
    }

    fn binary(&mut self, op: BinOp, a: &CExpr, b: &CExpr, fr: &mut Vec<Value<'a>>) -> Value<'a> {
        match op {
            // Kleene: `and` is decided by a false side, `or` by a true one
            BinOp::And | BinOp::Or => {
                let decisive = op == BinOp::Or;
                let x = self.eval(a, fr).truth();
                if x == Some(decisive) {
                    return Value::Bool(decisive);
                }
                let y = self.eval(b, fr).truth();
                match (x, y) {
                    (_, Some(v)) if v == decisive => Value::Bool(decisive),
                    (Some(_), Some(_)) => Value::Bool(!decisive),
                    _ => Value::Unknown,
                }
            }
            BinOp::Coalesce => {
                let start = self.reads.len();
                match self.eval(a, fr) {
                    Value::Unknown => {
                        // the default applies: the missing fact decided nothing
                        self.reads.truncate(start);
                        self.eval(b, fr)
                    }
                    v => v,
                }
            }
            _ => {
                let x = self.eval(a, fr);
                let y = self.eval(b, fr);
                if matches!(x, Value::Unknown) || matches!(y, Value::Unknown) {
                    return Value::Unknown;
                }
                match op {
                    BinOp::Eq => Value::Bool(equal(&x, &y)),
                    BinOp::Ne => Value::Bool(!equal(&x, &y)),
                    BinOp::In => Value::Bool(items(&y).iter().any(|i| equal(&x, i))),
                    _ => {
                        let (Value::Num(p), Value::Num(q)) = (x, y) else {
                            return Value::Unknown;
                        };
                        match op {
                            BinOp::Lt => Value::Bool(p < q),
                            BinOp::Le => Value::Bool(p <= q),
                            BinOp::Gt => Value::Bool(p > q),
                            BinOp::Ge => Value::Bool(p >= q),
                            BinOp::Add => Value::Num(p + q),
                            BinOp::Sub => Value::Num(p - q),
                            BinOp::Mul => Value::Num(p * q),
                            BinOp::Div if q != 0.0 => Value::Num(p / q),
                            _ => Value::Unknown,
                        }
                    }
                }
            }
        }
    }
}
