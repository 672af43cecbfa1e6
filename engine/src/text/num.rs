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

/// A number as prose writes a count: thousands separated by commas
/// ("1,381", "12,000", "2.5"); a fraction keeps its digits after the point.
pub fn grouped(n: f64) -> String {
    let plain = fmt_num(n);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain.as_str()),
    };
    let (whole, frac) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    // a number `fmt_num` writes with an exponent is left as it is
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return plain;
    }
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(1381.0), "1,381");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(1234567.0), "1,234,567");
        assert_eq!(grouped(-4500.0), "-4,500");
        assert_eq!(grouped(2.5), "2.5");
        assert_eq!(grouped(12345.25), "12,345.25");
        assert_eq!(grouped(0.0), "0");
    }
}
