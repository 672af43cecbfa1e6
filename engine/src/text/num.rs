//! Numbers as the engine writes them: in reasons, diagnostics, facts
//! dumps and the contract's JSON. Below facts, eval and render, so each
//! writes a number the same way.

/// A number as it is compared: whole numbers without a point, others in
/// the shortest form that reads back as the same number (3.999 stays
/// 3.999, never "4").
pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}
