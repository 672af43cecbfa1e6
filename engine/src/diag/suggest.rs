//! "Did you mean": the closest known name to a misspelt one (the edit
//! distance is `strsim`'s Levenshtein, counted in characters).

/// The closest of `candidates` to `word`, when it is close enough to be
/// worth suggesting.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    let wl = word.chars().count();
    for c in candidates {
        let cl = c.chars().count();
        let limit = (wl.max(cl) / 3).max(2);
        let suffix_hit = c.ends_with(word) || word.ends_with(c);
        // the distance is at least the difference in length: most
        // candidates are ruled out without computing it
        if !suffix_hit && wl.abs_diff(cl) > limit {
            continue;
        }
        if best.is_some_and(|(bd, _)| wl.abs_diff(cl) >= bd) {
            continue;
        }
        let d = strsim::levenshtein(word, c);
        if (d <= limit || suffix_hit) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}
