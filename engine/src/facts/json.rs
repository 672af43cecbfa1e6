//! Typed facts out as JSON, with the schema's field names (for other tools,
//! the peer-engine comparison, and [`super::recheck`]).

use super::Fact;
use crate::pack::{RecTy, Ty};

/// The facts as JSON, with the schema's field names (for other tools, and
/// for the peer-engine comparison).
pub fn to_json(rec: &RecTy, f: &Fact) -> serde_json::Value {
    fn go(ty: &Ty, f: &Fact) -> serde_json::Value {
        match (ty, f) {
            (_, Fact::Null) => serde_json::Value::Null,
            (_, Fact::Bool(b)) => serde_json::Value::Bool(*b),
            (_, Fact::Num(n)) => {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    serde_json::json!(*n as i64)
                } else {
                    serde_json::json!(n)
                }
            }
            (_, Fact::Text(t)) => serde_json::Value::String(t.to_string()),
            (Ty::List(elem), Fact::List(xs)) => {
                serde_json::Value::Array(xs.iter().map(|x| go(elem, x)).collect())
            }
            (Ty::Record(r), Fact::Record(fs)) => to_json(r, &Fact::Record(fs.clone())),
            _ => serde_json::Value::Null,
        }
    }
    let mut m = serde_json::Map::new();
    if let Fact::Record(fields) = f {
        for (ft, v) in rec.fields.iter().zip(fields) {
            m.insert(ft.name.to_string(), go(&ft.ty, v));
        }
    }
    serde_json::Value::Object(m)
}
