//! The case list: every served facts file, assessed, with the report's own
//! tier where `expect:` gives one. The page and `GET /api/cases` share it.

use super::guard::Roots;
use crate::case::{self, LoadOptions};
use crate::text::num::fmt_num;
use crate::RulePack;
use serde_json::{json, Value as Json};

/// One served file.
#[derive(Debug, Clone)]
pub struct Row {
    /// The path as the list shows it (and as `/case?file=` takes it).
    pub file: String,
    pub country: String,
    pub year: Option<f64>,
    /// The recommended tier (`None`: the placement abstained).
    pub tier: Option<String>,
    pub tier_label: Option<String>,
    /// The report's tier, from `expect.tier`, and how the pack names it.
    pub expected: Option<String>,
    pub expected_label: Option<String>,
    /// The file does not load: the rendered diagnostics.
    pub error: Option<String>,
}

impl Row {
    /// `Some(true)` when the recommendation is the report's tier,
    /// `None` when the file gives no tier to compare with.
    pub fn agrees(&self) -> Option<bool> {
        let e = self.expected.as_deref()?;
        Some(self.tier.as_deref().unwrap_or(case::UNDECIDED) == e)
    }

    pub fn edition(&self) -> String {
        self.year.map(fmt_num).unwrap_or_default()
    }

    /// The tier code as filters use it (`undecided` when none).
    pub fn tier_code(&self) -> &str {
        self.tier.as_deref().unwrap_or(case::UNDECIDED)
    }

    pub fn to_json(&self) -> Json {
        json!({
            "file": self.file,
            "country": self.country,
            "year": self.year.map(|y| if y.fract() == 0.0 { json!(y as i64) } else { json!(y) }),
            "tier": self.tier,
            "tier_label": self.tier_label,
            "expected_tier": self.expected,
            "expected_tier_label": self.expected_label,
            "agrees": self.agrees(),
            "error": self.error,
        })
    }
}

/// Assesses every served file (one loader, so earlier years' files are
/// read once for the history of later ones).
pub fn rows(pack: &RulePack, roots: &Roots) -> Vec<Row> {
    let mut loader = case::Loader::new(LoadOptions::default());
    roots
        .files()
        .into_iter()
        .map(|path| {
            let file = path.display().to_string();
            if let Err(e) = roots.check_bases(&path) {
                return failed(file, e);
            }
            match loader.load_case(pack, &path) {
                Ok(case::Case { facts, expect, .. }) => {
                    let a = crate::eval::evaluate(pack, &facts);
                    let expected = expect
                        .as_ref()
                        .and_then(|e| e.tier.as_ref())
                        .map(|(t, _)| t.clone());
                    Row {
                        expected_label: expected.as_deref().map(|t| tier_label(pack, &facts, t)),
                        expected,
                        file,
                        country: a.country.clone(),
                        year: a.year,
                        tier: a.tier.clone(),
                        tier_label: a.tier_label.clone(),
                        error: None,
                    }
                }
                Err(f) => failed(file, f.render()),
            }
        })
        .collect()
}

/// How the pack names a tier (its `tier_label` def), else the code.
pub fn tier_label(pack: &RulePack, facts: &crate::facts::Facts, code: &str) -> String {
    if code == case::UNDECIDED {
        return code.to_string();
    }
    crate::eval::call_hook(pack, facts, pack.tier_label_def, code)
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_else(|| code.to_string())
}

fn failed(file: String, error: String) -> Row {
    Row {
        country: String::new(),
        year: None,
        tier: None,
        tier_label: None,
        expected: None,
        expected_label: None,
        error: Some(error),
        file,
    }
}

/// The filters of the list: edition, recommended tier, agreement, and a
/// piece of the country's name or the file's path.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub edition: String,
    pub tier: String,
    /// `agree`, `differ`, `none` (no tier to compare) or empty.
    pub agreement: String,
    pub text: String,
}

impl Filter {
    pub fn keeps(&self, r: &Row) -> bool {
        let agreement = match r.agrees() {
            Some(true) => "agree",
            Some(false) => "differ",
            None => "none",
        };
        let text = self.text.trim().to_lowercase();
        (self.edition.is_empty() || r.edition() == self.edition)
            && (self.tier.is_empty() || r.tier_code() == self.tier)
            && (self.agreement.is_empty() || agreement == self.agreement)
            && (text.is_empty()
                || r.country.to_lowercase().contains(&text)
                || r.file.to_lowercase().contains(&text))
    }
}
