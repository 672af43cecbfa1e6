//! The checks of a field's value beyond its type, shared by facts files
//! and by values set later (`--set`, a scenario's `set:`, a lever): a
//! required field without a value, a number outside its declared range, an
//! edition year that is not whole or lies in the future.

use super::Fact;
use crate::diag::Code;
use crate::pack::{FieldTy, PathSeg, RecTy, Ty};
use crate::text::num::fmt_num;
use std::rc::Rc;

/// What is wrong with an edition year: not a whole number, or in the
/// future (a typo, not a report). With `this_year` `None` (a value the
/// rule pack itself gives, checked against the year when it is applied)
/// only the first.
pub(super) fn edition_problem(
    name: &str,
    value: &Fact,
    this_year: Option<i32>,
) -> Option<(Code, String, String)> {
    let Fact::Num(year) = value else {
        return None;
    };
    if year.fract() != 0.0 {
        return Some((
            Code::BadValue,
            format!("`{name}` is {}; a year is a whole number", fmt_num(*year)),
            format!("write the report edition, e.g. `{}`", year.round()),
        ));
    }
    let this_year = f64::from(this_year?);
    if *year > this_year + 1.0 {
        return Some((
            Code::BadValue,
            format!("`{name}` is {}, which is in the future", fmt_num(*year)),
            format!(
                "the report edition is a year up to {}",
                fmt_num(this_year + 1.0)
            ),
        ));
    }
    None
}

/// A number outside the range the pack declares for its field.
pub(super) fn range_problem(
    field: &FieldTy,
    path: &str,
    value: &Fact,
) -> Option<(Code, String, Option<String>)> {
    let (Fact::Num(n), Some((lo, hi))) = (value, field.range) else {
        return None;
    };
    let low = lo.is_some_and(|l| *n < l);
    let high = hi.is_some_and(|h| *n > h);
    if !low && !high {
        return None;
    }
    let num = fmt_num;
    let want = match (lo, hi) {
        (Some(l), Some(h)) => format!("from {} to {}", num(l), num(h)),
        (Some(l), None) => format!("at least {}", num(l)),
        (None, Some(h)) => format!("at most {}", num(h)),
        (None, None) => String::new(),
    };
    Some((
        Code::BadValue,
        format!("`{path}` is {}; it must be {want}", num(*n)),
        Some("the rule pack declares this range".into()),
    ))
}

/// What is wrong with the value of one field beyond its type, by the
/// checks the loader makes of facts files: a required field without a
/// value, a number outside the range the pack declares, an edition year
/// that is not a whole number or lies after `this_year` + 1 (when given). Values that do not
/// come from a facts file (`--set`, a scenario's `set:`, a lever) get the
/// same checks through this function. `path` names the field in messages.
pub fn field_problem(
    field: &FieldTy,
    is_edition: bool,
    path: &str,
    value: &Fact,
    this_year: Option<i32>,
) -> Option<(Code, String, Option<String>)> {
    if field.required && value.is_null() {
        return Some((
            Code::MissingField,
            format!("`{path}` is required"),
            Some("give it a value: a required field cannot be null (not known)".into()),
        ));
    }
    if let Some(p) = range_problem(field, path, value) {
        return Some(p);
    }
    if is_edition {
        return edition_problem(path, value, this_year).map(|(c, m, h)| (c, m, Some(h)));
    }
    None
}

/// [`field_problem`] for a value set at a resolved path (`--set`, a
/// scenario's `set:`, a lever): the checks of the field the path ends at,
/// if it ends at a field (an element of a list has none of its own). An
/// edition may not lie after `this_year` + 1; `None` checks no bound by
/// the year (a lever's value at `tiers check`).
pub fn path_problem(
    root: &RecTy,
    edition_field: Option<usize>,
    segs: &[PathSeg],
    path: &str,
    value: &Fact,
    this_year: Option<i32>,
) -> Option<(Code, String, Option<String>)> {
    let mut rec: Option<Rc<RecTy>> = None;
    let mut ty: Option<Ty> = None;
    let mut last: Option<FieldTy> = None;
    for (k, seg) in segs.iter().enumerate() {
        match seg {
            PathSeg::Field(i, _) => {
                let fields = match (k, &rec) {
                    (0, _) => &root.fields,
                    (_, Some(r)) => &r.fields,
                    _ => return None,
                };
                let f = fields.get(*i)?.clone();
                ty = Some(f.ty.clone());
                last = Some(f);
            }
            PathSeg::Each | PathSeg::Index(_) => {
                last = None;
                ty = match ty {
                    Some(Ty::List(elem)) => Some(*elem),
                    _ => return None,
                };
            }
        }
        rec = match &ty {
            Some(Ty::Record(r)) => Some(r.clone()),
            _ => None,
        };
    }
    let field = last?;
    let is_edition = segs.len() == 1
        && matches!(segs.first(), Some(PathSeg::Field(i, _)) if Some(*i) == edition_field);
    field_problem(&field, is_edition, path, value, this_year)
}
