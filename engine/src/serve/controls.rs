//! The what-if fact editor: a typed control for every fact the pack
//! declares, generated from its `facts` block, set to the case's value.
//! Booleans are checkboxes (mixed when not known), enums selects, numbers
//! number inputs with the declared range, lists of enum values groups of
//! checkboxes; records are fieldsets, list elements one fieldset each. Free
//! text is left out (no rule decides on it). Each control carries its path
//! and original value; the script sends the changed ones as `PATH=VALUE`.

use super::html::esc;
use crate::facts::{Fact, Facts};
use crate::pack::{FieldTy, RecTy, RulePack, Ty};

/// The editor for a case: one collapsible group per top-level record,
/// the top-level scalars first.
pub fn editor(pack: &RulePack, facts: &Facts) -> String {
    let Fact::Record(values) = &facts.root else {
        return String::new();
    };
    let mut ids = 0;
    let mut general = String::new();
    let mut groups = String::new();
    for (ft, v) in pack.root.fields.iter().zip(values) {
        let path = ft.name.to_string();
        let inner = control(ft, v, &path, &mut ids);
        if inner.is_empty() {
            continue;
        }
        match &ft.ty {
            Ty::Record(_) | Ty::List(_) if !is_enum_list(&ft.ty) => {
                groups.push_str(&format!(
                    "<details class=\"group\"><summary><code>{}</code>{}</summary>\n{inner}</details>\n",
                    esc(&ft.name),
                    ft.doc
                        .as_ref()
                        .map(|d| format!(" <span class=\"doc\">{}</span>", esc(d)))
                        .unwrap_or_default()
                ));
            }
            _ => general.push_str(&inner),
        }
    }
    format!("{general}{groups}")
}

fn is_enum_list(ty: &Ty) -> bool {
    matches!(ty, Ty::List(e) if matches!(e.as_ref(), Ty::Enum(_)))
}

/// The control (or group of controls) for one field at `path`.
fn control(ft: &FieldTy, v: &Fact, path: &str, ids: &mut usize) -> String {
    *ids += 1;
    let id = format!("w{ids}");
    let doc = ft
        .doc
        .as_ref()
        .map(|d| format!("<span class=\"doc\" id=\"{id}-d\">{}</span>", esc(d)))
        .unwrap_or_default();
    let described = if ft.doc.is_some() {
        format!(" aria-describedby=\"{id}-d\"")
    } else {
        String::new()
    };
    let c = Ctl {
        common: format!(
            "id=\"{id}\" data-path=\"{}\" data-orig=\"{}\"{described}",
            esc(path),
            esc(&orig(v))
        ),
        name: format!("<code>{}</code>", esc(&ft.name)),
        id,
        doc,
    };
    match &ft.ty {
        Ty::Bool => c.bool(v),
        Ty::Num => c.num(ft, v),
        Ty::Enum(variants) => c.select(variants, v),
        Ty::List(elem) => match elem.as_ref() {
            Ty::Enum(variants) => c.checkboxes(variants, v),
            Ty::Record(rec) => c.records(rec, v, path, ids),
            _ => String::new(),
        },
        Ty::Record(rec) => {
            let inner = fields(rec, v, path, ids);
            if inner.is_empty() || (!path.contains('.') && !path.contains('[')) {
                // a top-level record: the caller wraps it in its group
                return inner;
            }
            format!(
                "<fieldset class=\"rec\"><legend>{}</legend>\n{inner}</fieldset>\n",
                c.name
            )
        }
        Ty::Text | Ty::Null => String::new(),
    }
}

/// What every control of one field shares: its id, the attributes that
/// carry its path and original value, its name and its doc.
struct Ctl {
    id: String,
    common: String,
    name: String,
    doc: String,
}

impl Ctl {
    /// (id, attributes, name, doc), for the format strings.
    fn parts(&self) -> (&str, &str, &str, &str) {
        (&self.id, &self.common, &self.name, &self.doc)
    }

    /// A checkbox (marked when not known).
    fn bool(&self, v: &Fact) -> String {
        let (id, common, name, doc) = self.parts();
        let checked = if matches!(v, Fact::Bool(true)) {
            " checked"
        } else {
            ""
        };
        let unknown = if v.is_null() {
            " <span class=\"unk\">(not known)</span>"
        } else {
            ""
        };
        format!(
            "<div class=\"ctl ctl-bool\"><input type=\"checkbox\" data-kind=\"bool\" {common}{checked}>\
             <label for=\"{id}\">{name}{unknown}</label>{doc}</div>\n"
        )
    }

    /// A number input with the declared range.
    fn num(&self, ft: &FieldTy, v: &Fact) -> String {
        let (id, common, name, doc) = self.parts();
        let (min, max) = match ft.range {
            Some((lo, hi)) => (
                lo.map(|x| format!(" min=\"{x}\"")).unwrap_or_default(),
                hi.map(|x| format!(" max=\"{x}\"")).unwrap_or_default(),
            ),
            None => (String::new(), String::new()),
        };
        let value = match v {
            Fact::Num(n) => format!(" value=\"{}\"", crate::text::num::fmt_num(*n)),
            _ => String::new(),
        };
        format!(
            "<div class=\"ctl ctl-num\"><label for=\"{id}\">{name}</label>\
             <input type=\"number\" step=\"any\" inputmode=\"decimal\" placeholder=\"not known\" \
             data-kind=\"num\" {common}{min}{max}{value}>{doc}</div>\n"
        )
    }

    /// A select of the enum's variants, "not known" first.
    fn select(&self, variants: &[String], v: &Fact) -> String {
        let (id, common, name, doc) = self.parts();
        let mut opts = String::from("<option value=\"\">not known</option>");
        for x in variants.iter() {
            let sel = if matches!(v, Fact::Text(t) if &**t == x) {
                " selected"
            } else {
                ""
            };
            opts.push_str(&format!(
                "<option value=\"{}\"{sel}>{}</option>",
                esc(x),
                esc(x)
            ));
        }
        format!(
            "<div class=\"ctl ctl-enum\"><label for=\"{id}\">{name}</label>\
             <select data-kind=\"enum\" {common}>{opts}</select>{doc}</div>\n"
        )
    }

    /// A group of checkboxes for a list of enum values.
    fn checkboxes(&self, variants: &[String], v: &Fact) -> String {
        let (id, common, name, doc) = self.parts();
        let have: Vec<&str> = match v {
            Fact::List(xs) => xs
                .iter()
                .filter_map(|x| match x {
                    Fact::Text(t) => Some(&**t),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        };
        let mut boxes = String::new();
        for (i, x) in variants.iter().enumerate() {
            let checked = if have.contains(&x.as_str()) {
                " checked"
            } else {
                ""
            };
            boxes.push_str(&format!(
                "<span class=\"choice\"><input type=\"checkbox\" id=\"{id}-{i}\" value=\"{}\"{checked}>\
                 <label for=\"{id}-{i}\">{}</label></span>",
                esc(x),
                esc(x)
            ));
        }
        format!(
            "<fieldset class=\"ctl ctl-list\" data-kind=\"enumlist\" {common}>\
             <legend>{name}</legend>{boxes}{doc}</fieldset>\n"
        )
    }

    /// One fieldset per element of a list of records.
    fn records(&self, rec: &RecTy, v: &Fact, path: &str, ids: &mut usize) -> String {
        let name = &self.name;
        let items: &[Fact] = match v {
            Fact::List(xs) => xs,
            _ => &[],
        };
        if items.is_empty() {
            return format!(
                "<p class=\"ctl none\">{name}: none stated (add them to the facts file)</p>\n"
            );
        }
        let mut s = String::new();
        for (i, item) in items.iter().enumerate() {
            let title = record_title(rec, item)
                .map(|t| format!(": {}", esc(&t)))
                .unwrap_or_default();
            s.push_str(&format!(
                "<fieldset class=\"rec\"><legend>{name} {}{title}</legend>\n{}</fieldset>\n",
                i + 1,
                fields(rec, item, &format!("{path}[{i}]"), ids)
            ));
        }
        s
    }
}

/// The controls of a record's fields (all not known when the record is).
fn fields(rec: &RecTy, v: &Fact, path: &str, ids: &mut usize) -> String {
    let null = Fact::Null;
    let values: Vec<&Fact> = match v {
        Fact::Record(fs) => fs.iter().collect(),
        _ => rec.fields.iter().map(|_| &null).collect(),
    };
    rec.fields
        .iter()
        .zip(values)
        .map(|(ft, fv)| control(ft, fv, &format!("{path}.{}", ft.name), ids))
        .collect()
}

/// A list element's name for its legend: its first text field with a value.
fn record_title(rec: &RecTy, v: &Fact) -> Option<String> {
    let Fact::Record(fs) = v else {
        return None;
    };
    rec.fields
        .iter()
        .zip(fs)
        .find_map(|(ft, fv)| match (&ft.ty, fv) {
            (Ty::Text, Fact::Text(t)) => Some(t.to_string()),
            _ => None,
        })
}

/// The original value, as JSON (what the script compares with).
fn orig(v: &Fact) -> String {
    fn go(v: &Fact) -> serde_json::Value {
        match v {
            Fact::Null => serde_json::Value::Null,
            Fact::Bool(b) => (*b).into(),
            Fact::Num(n) => serde_json::json!(n),
            Fact::Text(t) => t.to_string().into(),
            Fact::List(xs) => xs.iter().map(go).collect(),
            Fact::Record(_) => serde_json::Value::Null,
        }
    }
    go(v).to_string()
}
