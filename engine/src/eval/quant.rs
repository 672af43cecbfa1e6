//! Quantifiers and aggregates, as methods of [`Ev`]: `any`, `all`,
//! `count` and `streak` over a list, and `sum`, `max`, `min`, `first`,
//! `collect` of a value per item; an item whose filter is unknown makes
//! the result unknown where it could matter.

use super::state::Ev;
use super::value::{ensure, items, Value};
use crate::facts::Fact;
use crate::pack::CExpr;
use crate::syntax::ast::{AggKind, QuantKind};
use std::rc::Rc;

impl<'a> Ev<'a> {
    /// `any`, `all`, `count` or `streak` of the items of `list` whose
    /// `filter` holds, the item in `slot`.
    pub(super) fn quant(
        &mut self,
        kind: QuantKind,
        slot: usize,
        year_field: usize,
        list: &CExpr,
        filter: Option<&CExpr>,
        fr: &mut Vec<Value<'a>>,
    ) -> Value<'a> {
        let l = self.eval(list, fr);
        if matches!(l, Value::Unknown) {
            return Value::Unknown;
        }
        let elems = items(&l);
        ensure(fr, slot);
        match kind {
            QuantKind::Any | QuantKind::All | QuantKind::Count => {
                self.count(kind, slot, elems, filter, fr)
            }
            QuantKind::Streak => self.streak(slot, year_field, &elems, filter, fr),
        }
    }

    /// `any`, `all` or `count`: stops at the first item that decides.
    fn count(
        &mut self,
        kind: QuantKind,
        slot: usize,
        elems: Vec<Value<'a>>,
        filter: Option<&CExpr>,
        fr: &mut Vec<Value<'a>>,
    ) -> Value<'a> {
        let mut trues = 0usize;
        let mut falses = 0usize;
        let mut unknowns = 0usize;
        for item in elems {
            fr[slot] = item;
            let t = match filter {
                Some(f) => self.eval(f, fr).truth(),
                None => Some(true),
            };
            match t {
                Some(true) => {
                    trues += 1;
                    if kind == QuantKind::Any {
                        return Value::Bool(true);
                    }
                }
                Some(false) => {
                    falses += 1;
                    if kind == QuantKind::All {
                        return Value::Bool(false);
                    }
                }
                None => unknowns += 1,
            }
        }
        let _ = falses;
        if unknowns > 0 {
            return Value::Unknown;
        }
        match kind {
            QuantKind::Any => Value::Bool(false),
            QuantKind::All => Value::Bool(true),
            _ => Value::Num(trues as f64),
        }
    }

    /// `streak`: how many years in a row before the edition assessed have
    /// an item (by its `year` field) whose filter holds.
    fn streak(
        &mut self,
        slot: usize,
        year_field: usize,
        elems: &[Value<'a>],
        filter: Option<&CExpr>,
        fr: &mut Vec<Value<'a>>,
    ) -> Value<'a> {
        let Some(edition) = self.edition else {
            return Value::Unknown;
        };
        let mut year = edition - 1.0;
        let mut n = 0.0;
        loop {
            let mut found = false;
            let mut unknown = false;
            for item in elems.iter() {
                let y = year_of(item, year_field);
                if y != Some(year) {
                    continue;
                }
                fr[slot] = item.clone();
                match filter {
                    Some(f) => match self.eval(f, fr).truth() {
                        Some(true) => found = true,
                        Some(false) => {}
                        None => unknown = true,
                    },
                    None => found = true,
                }
            }
            if found {
                n += 1.0;
                year -= 1.0;
            } else if unknown {
                return Value::Unknown;
            } else {
                return Value::Num(n);
            }
            if n > 10_000.0 {
                return Value::Num(n);
            }
        }
    }

    /// `sum`, `max`, `min`, `first` or `collect` of `value` over the items
    /// of `list` whose `filter` holds, the item in `slot`.
    pub(super) fn agg(
        &mut self,
        kind: AggKind,
        slot: usize,
        value: &CExpr,
        list: &CExpr,
        filter: Option<&CExpr>,
        fr: &mut Vec<Value<'a>>,
    ) -> Value<'a> {
        let l = self.eval(list, fr);
        if matches!(l, Value::Unknown) {
            return Value::Unknown;
        }
        ensure(fr, slot);
        let mut acc: Option<f64> = None;
        let mut collected: Vec<Value<'a>> = vec![];
        for item in items(&l) {
            fr[slot] = item;
            let keep = match filter {
                Some(f) => self.eval(f, fr).truth(),
                None => Some(true),
            };
            match keep {
                Some(true) => {}
                Some(false) => continue,
                None => return Value::Unknown,
            }
            let v = self.eval(value, fr);
            if kind == AggKind::First {
                return v;
            }
            if kind == AggKind::Collect {
                collected.push(v);
                continue;
            }
            let Value::Num(n) = v else {
                return Value::Unknown;
            };
            acc = Some(match (kind, acc) {
                (_, None) => n,
                (AggKind::Max, Some(a)) => a.max(n),
                (AggKind::Min, Some(a)) => a.min(n),
                (_, Some(a)) => a + n,
            });
        }
        if kind == AggKind::Collect {
            return Value::List(Rc::new(collected));
        }
        match (kind, acc) {
            (_, Some(a)) => Value::Num(a),
            (AggKind::Sum, None) => Value::Num(0.0),
            _ => Value::Unknown,
        }
    }
}

fn year_of(v: &Value, field: usize) -> Option<f64> {
    match v {
        Value::Fact(Fact::Record(fields), _) => match fields.get(field) {
            Some(Fact::Num(n)) => Some(*n),
            _ => None,
        },
        _ => None,
    }
}
