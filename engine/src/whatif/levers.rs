//! A lever's changes made concrete on a case's facts: `[*]` expanded to
//! each element, and split into the changes of facts that are known and
//! of facts that are not (a reform is not proposed for what is unknown).

use crate::facts::Fact;
use crate::pack::PathSeg;
use crate::whatif::scenario::Change;

/// A lever's change made concrete on these facts: `[*]` expanded to each
/// element. The changes of known values, and those of values that are not
/// known (null, or inside a record or list that is not given).
pub(super) fn split_change(root: &Fact, change: &Change) -> (Vec<Change>, Vec<Change>) {
    let mut known = vec![];
    let mut unknown = vec![];
    let mut done = vec![];
    split_at(
        root,
        &change.segs,
        &mut done,
        "",
        change,
        &mut known,
        &mut unknown,
    );
    (known, unknown)
}

fn seg_text(path: &str, seg: &PathSeg) -> String {
    match seg {
        PathSeg::Field(_, name) if path.is_empty() => name.to_string(),
        PathSeg::Field(_, name) => format!("{path}.{name}"),
        PathSeg::Each => format!("{path}[*]"),
        PathSeg::Index(k) => format!("{path}[{k}]"),
    }
}

fn split_at(
    cur: &Fact,
    segs: &[PathSeg],
    done: &mut Vec<PathSeg>,
    path: &str,
    change: &Change,
    known: &mut Vec<Change>,
    unknown: &mut Vec<Change>,
) {
    let concrete = |done: &[PathSeg], rest: &[PathSeg], path: &str| {
        let mut segs = done.to_vec();
        segs.extend_from_slice(rest);
        let path = rest.iter().fold(path.to_string(), |p, s| seg_text(&p, s));
        Change {
            path,
            segs,
            value: change.value.clone(),
        }
    };
    if cur.is_null() {
        unknown.push(concrete(done, segs, path));
        return;
    }
    let Some((first, rest)) = segs.split_first() else {
        known.push(concrete(done, segs, path));
        return;
    };
    let mut step = |item: &Fact, seg: PathSeg, done: &mut Vec<PathSeg>| {
        let p = seg_text(path, &seg);
        done.push(seg);
        split_at(item, rest, done, &p, change, known, unknown);
        done.pop();
    };
    match (first, cur) {
        (PathSeg::Field(i, _), Fact::Record(fields)) => {
            if let Some(f) = fields.get(*i) {
                step(f, first.clone(), done);
            }
        }
        (PathSeg::Each, Fact::List(items)) => {
            for (k, item) in items.iter().enumerate() {
                step(item, PathSeg::Index(k), done);
            }
        }
        (PathSeg::Index(k), Fact::List(items)) => {
            if let Some(item) = items.get(*k) {
                step(item, first.clone(), done);
            }
        }
        _ => {}
    }
}
