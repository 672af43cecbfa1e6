//! Shared helpers for the benchmarks (`cargo bench -p tiers-bench`): the
//! shipped pack and cases, and a deterministic generator of synthetic
//! countries that varies the 13 real 2017 cases (tiers and history,
//! penalties and fines, counts, findings), as YAML text so that the real
//! loader checks every generated country.
//!
//! Nothing here is built by `cargo test --workspace`; see bench/Cargo.toml.

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use tiers::case::{self, LoadOptions};
use tiers::facts::Facts;
use tiers::RulePack;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The rule files of the shipped TVPA pack, as `(path, bytes)` in name
/// order (what `tiers::load_pack_from` takes).
pub fn pack_texts() -> Vec<(String, Vec<u8>)> {
    let dir = root().join("rules/tvpa");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), bytes)
        })
        .collect()
}

/// The shipped TVPA pack, parsed and checked.
pub fn pack() -> RulePack {
    tiers::load_pack_from(pack_texts())
        .unwrap_or_else(|f| panic!("the shipped pack does not check:\n{}", f.render()))
}

/// Every `*.yaml` file under `dir` (relative to the repository root), sorted.
pub fn yaml_files(dir: &str) -> Vec<PathBuf> {
    case::collect(&[root().join(dir)])
}

/// The 13 real 2017 cases.
pub fn real_case_paths() -> Vec<PathBuf> {
    yaml_files("cases/2017")
}

/// Every shipped case: the real ones of every edition (`cases/<year>`),
/// the synthetic edge cases and the scenarios.
pub fn all_case_paths() -> Vec<PathBuf> {
    let mut years: Vec<String> = std::fs::read_dir(root().join("cases"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 4 && n.chars().all(|c| c.is_ascii_digit()))
        .collect();
    years.sort();
    let mut v = vec![];
    for y in years {
        v.extend(yaml_files(&format!("cases/{y}")));
    }
    v.extend(yaml_files("cases/edge"));
    v.extend(yaml_files("cases/scenarios"));
    v
}

/// Loads one case file, panicking with the diagnostics if it does not load.
pub fn load(pack: &RulePack, path: &Path) -> Facts {
    case::load(pack, path, LoadOptions::default())
        .unwrap_or_else(|f| panic!("{} does not load:\n{}", path.display(), f.render()))
}

/// Loads facts from YAML text.
pub fn load_yaml(pack: &RulePack, name: &str, yaml: &str) -> Facts {
    case::load_bytes(pack, name, yaml.as_bytes(), LoadOptions::default())
        .unwrap_or_else(|f| panic!("{name} does not load:\n{}\n{yaml}", f.render()))
}

/// The facts as JSON with the schema's field names (every declared field
/// present, `null` when not known): the peer engine's input.
pub fn facts_json(pack: &RulePack, facts: &Facts) -> Value {
    tiers::facts::to_json(&pack.root, &facts.root)
}

/// xorshift64*: small, fast and deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that nearby seeds give unrelated streams
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }

    /// `true`, `false` or (with probability `null_percent`) `null`.
    pub fn tri(&mut self, true_percent: u32, null_percent: u32) -> Value {
        if self.chance(null_percent) {
            Value::Null
        } else {
            Value::Bool(self.chance(true_percent))
        }
    }
}

/// Generates synthetic countries by varying the real cases.
#[derive(Debug, Clone)]
pub struct Synth {
    /// The real cases as JSON facts (schema field names).
    bases: Vec<(String, Value)>,
    seed: u64,
}

const TIERS: [&str; 6] = ["1", "2", "2WL", "2WL", "2WL", "3"];
const COVERS: [&str; 4] = ["adult_sex", "child_sex", "adult_labor", "child_labor"];

impl Synth {
    /// A generator over the 13 real cases.
    pub fn new(pack: &RulePack, seed: u64) -> Synth {
        let bases = real_case_paths()
            .iter()
            .map(|p| {
                let f = load(pack, p);
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, facts_json(pack, &f))
            })
            .collect();
        Synth { bases, seed }
    }

    /// The `i`-th synthetic country as JSON facts. Deterministic in
    /// (seed, i). The reviewer's findings `fully_meets`,
    /// `significant_efforts` and `increasing_efforts` are always given (the
    /// peer comparison needs them); everything else may be unknown.
    pub fn json(&self, i: usize) -> Value {
        let mut r = Rng::new(self.seed ^ (i as u64).wrapping_mul(0x1000_0000_01B3));
        let (base_name, base) = &self.bases[i % self.bases.len()];
        let mut v = base.clone();
        let base_country = v["country"].as_str().unwrap_or(base_name).to_string();
        v["country"] = json!(format!("{base_country} {i}"));

        // the edition: mostly the report years; now and then one before the
        // Watch List clock's parameters (max_wl_waivers is then unknown)
        let year: i64 = r.pick(&[2017, 2017, 2017, 2019, 2020, 2023, 2025, 2008]);
        v["year"] = json!(year);

        // history: consecutive years back from the edition, sometimes a
        // gap, sometimes out of order, now and then an unknown entry
        let len = r.below(7);
        let mut hist = vec![];
        let mut y = year - 1;
        for _ in 0..len {
            if r.chance(10) {
                y -= 1; // a gap ends the Watch List streak
            }
            if y < 2001 {
                break; // the loader accepts years from 2001
            }
            let tier = r.pick(&TIERS);
            let mut h = Map::new();
            h.insert("year".into(), json!(y));
            h.insert("tier".into(), json!(tier));
            let waiver = if tier == "2WL" {
                r.tri(40, 20)
            } else {
                r.tri(5, 60)
            };
            h.insert("waiver".into(), waiver);
            hist.push(Value::Object(h));
            y -= 1;
        }
        if r.chance(20) {
            hist.reverse();
        }
        if r.chance(3) {
            hist.push(Value::Null);
        }
        v["history"] = if r.chance(3) {
            Value::Null
        } else {
            Value::Array(hist)
        };

        // the law and its penalties
        let law = &mut v["law"];
        if law.is_object() {
            law["prohibits_sex_trafficking"] = r.tri(90, 5);
            law["prohibits_labor_trafficking"] = r.tri(85, 5);
            law["requires_movement"] = r.tri(10, 10);
            law["child_sex_trafficking_requires_means"] = r.tri(15, 30);
            let mut provs: Vec<Value> = law["provisions"].as_array().cloned().unwrap_or_default();
            if r.chance(30) && !provs.is_empty() {
                provs.remove(r.below(provs.len()));
            }
            if r.chance(30) {
                provs.push(json!({
                    "name": format!("Synthetic Act {i}, s.{}", r.below(400)),
                    "kind": null, "jurisdiction": null, "covers": null,
                    "min_years": null, "max_years": null, "life": null, "fine": null
                }));
            }
            for p in provs.iter_mut() {
                if r.chance(50) {
                    vary_provision(&mut r, p);
                }
            }
            if r.chance(2) {
                provs.push(Value::Null);
            }
            law["provisions"] = if r.chance(3) {
                Value::Null
            } else {
                Value::Array(provs)
            };
            law["rape_penalty"] = if r.chance(40) {
                Value::Null
            } else {
                json!({
                    "min_years": r.pick(&[json!(null), json!(1), json!(3), json!(5)]),
                    "max_years": r.pick(&[json!(null), json!(5), json!(10), json!(15), json!(25)]),
                    "life": r.tri(20, 30),
                    "fine": r.pick(&[json!(null), json!("none"), json!("cumulative")]),
                })
            };
        }

        // counts: scale this year's and last year's figures
        if let Some(enf) = v["enforcement"].as_object_mut() {
            enf.insert("data_provided".into(), r.tri(85, 5));
            for k in ["investigations", "prosecutions", "convictions"] {
                enf.insert(k.into(), yearly(&mut r));
            }
        }
        if let Some(pro) = v["protection"].as_object_mut() {
            pro.insert("victims_identified".into(), yearly(&mut r));
            pro.insert("services_funded".into(), r.tri(60, 15));
        }

        if let Some(state) = v["state"].as_object_mut() {
            state.insert("policy_or_pattern".into(), r.tri(4, 15));
            state.insert("child_soldiers".into(), r.tri(2, 15));
        }

        // the reviewer's findings: the three the peer needs always given
        let fully = r.chance(8);
        v["findings"] = json!({
            "fully_meets": fully,
            "significant_efforts": fully || r.chance(75),
            "increasing_efforts": r.chance(50),
            "victims_significant_without_proportional_action": r.tri(15, 50),
            "written_plan_with_resources": r.tri(50, 30),
            "appreciable_progress": r.tri(50, 50),
            "special_case": if r.chance(2) { json!(true) } else { r.tri(0, 70) },
        });
        v
    }

    /// The `i`-th synthetic country as YAML text (block style, as a person
    /// would write it).
    pub fn yaml(&self, i: usize) -> String {
        to_yaml(&self.json(i))
    }

    /// The `i`-th synthetic country, loaded and checked by the real loader.
    pub fn facts(&self, pack: &RulePack, i: usize) -> Facts {
        load_yaml(pack, &format!("synthetic-{i}.yaml"), &self.yaml(i))
    }
}

fn yearly(r: &mut Rng) -> Value {
    if r.chance(10) {
        return Value::Null;
    }
    let prev = r.below(120) as i64;
    let cur = if r.chance(15) {
        Value::Null
    } else {
        // mostly near last year's figure, up or down
        json!((prev + r.below(41) as i64 - 20).max(0))
    };
    json!({"current": cur, "previous": if r.chance(10) { Value::Null } else { json!(prev) }})
}

fn vary_provision(r: &mut Rng, p: &mut Value) {
    let Some(o) = p.as_object_mut() else {
        return;
    };
    if r.chance(50) {
        let max = r.pick(&[
            json!(null),
            json!(1),
            json!(2),
            json!(3),
            json!(4),
            json!(5),
            json!(8),
            json!(10),
            json!(15),
            json!(20),
            json!(25),
            json!(30),
        ]);
        o.insert("max_years".into(), max);
    }
    if r.chance(40) {
        let min = r.pick(&[
            json!(null),
            json!(0.5),
            json!(1),
            json!(2),
            json!(3),
            json!(5),
        ]);
        o.insert("min_years".into(), min);
    }
    if r.chance(30) {
        o.insert("life".into(), r.tri(25, 40));
    }
    if r.chance(50) {
        let fine = r.pick(&[
            json!(null),
            json!("none"),
            json!("cumulative"),
            json!("alternative"),
        ]);
        o.insert("fine".into(), fine);
    }
    if r.chance(20) {
        let kind = r.pick(&[json!(null), json!("trafficking"), json!("related")]);
        o.insert("kind".into(), kind);
    }
    if r.chance(35) {
        let covers = if r.chance(10) {
            Value::Null
        } else {
            let v: Vec<Value> = COVERS
                .iter()
                .filter(|_| r.chance(60))
                .map(|c| json!(c))
                .collect();
            Value::Array(v)
        };
        o.insert("covers".into(), covers);
    }
}

/// Block-style YAML for a JSON value (strings double-quoted with JSON
/// escapes, which YAML reads the same way).
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) => object(m, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        // nested lists do not occur in the schema: flow style
        other => other.to_string(),
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    }
}

fn object(m: &Map<String, Value>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (k, v) in m {
        out.push_str(&pad);
        out.push_str(k);
        out.push(':');
        if is_block(v) {
            out.push('\n');
            block(v, indent + 2, out);
        } else {
            out.push(' ');
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn block(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(m) => object(m, indent, out),
        Value::Array(items) => {
            let pad = " ".repeat(indent);
            for item in items {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        // `- first: ...` then the other keys under it
                        let mut inner = String::new();
                        object(m, indent + 2, &mut inner);
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(&inner[indent + 2..]);
                    }
                    other => {
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(&scalar(other));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}
