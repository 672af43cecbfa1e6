//! What the rules read, found statically in the compiled pack: for every
//! criterion, judgment, placement step and output hook, the fact paths its
//! conditions read (they can change its outcome) and the paths only its
//! wording reads (the `because` templates). The facts reference in
//! docs/facts.md, `tiers reforms --list` and the "why nothing moved" note of
//! `tiers whatif` are built from it.
//!
//! Paths are written as in `--set`, with `[*]` for the elements of a list:
//! `law.provisions[*].fine`. Reads through `let`s, quantifier variables and
//! defs (with or without parameters) are followed to the facts they name.

use crate::pack::{Body, CExpr, CPart, CRationale, RecTy, RulePack, Ty};
use crate::syntax::ast::{BinOp, QuantKind};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// A part of the pack that reads facts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reader {
    Criterion(String),
    Judgment(String),
    Step(String),
    /// A def the engine calls by name (`previous_tier`, `movement`,
    /// `tier_label`, `tier_rank`, `history_*`).
    Output(String),
    Rationale,
    Warnings,
    /// The engine itself: the heading's country, the edition that selects
    /// dated parameters, the findings `--no-findings` drops.
    Engine(&'static str),
}

impl fmt::Display for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reader::Criterion(id) => write!(f, "criterion {id}"),
            Reader::Judgment(n) => write!(f, "judgment {n}"),
            Reader::Step(n) => write!(f, "placement step {n}"),
            Reader::Output(n) => write!(f, "output {n}"),
            Reader::Rationale => f.write_str("the rationale"),
            Reader::Warnings => f.write_str("the warnings"),
            Reader::Engine(what) => write!(f, "the engine ({what})"),
        }
    }
}

/// The paths one reader reads.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    /// Read by conditions, `let`s they use, `found` and results: a change
    /// here can change the outcome.
    pub decides: BTreeSet<String>,
    /// Read only to word the reason (or the rationale and warnings).
    pub words: BTreeSet<String>,
}

/// Every reader of a pack with what it reads.
#[derive(Debug, Clone, Default)]
pub struct ReadMap {
    pub readers: Vec<(Reader, Reads)>,
}

/// Whether the read path `read` touches the field `field`: the same path or
/// a part of it (`law.provisions[*].fine` touches `law.provisions`).
pub fn touches(read: &str, field: &str) -> bool {
    read == field
        || (read.len() > field.len()
            && read.starts_with(field)
            && matches!(read.as_bytes()[field.len()], b'.' | b'['))
}

/// A `--set` path with list indices written as `[*]`, to compare with reads.
pub fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '[' {
            for d in chars.by_ref() {
                if d == ']' {
                    break;
                }
            }
            out.push_str("[*]");
        } else {
            out.push(c);
        }
    }
    out
}

impl ReadMap {
    /// The readers of a pack, in pack order: criteria, judgments, placement
    /// steps, output hooks, the rationale, the warnings, the engine.
    pub fn of(pack: &RulePack) -> ReadMap {
        let mut w = Walker {
            pack,
            defs: HashMap::new(),
        };
        let mut readers = vec![];
        for c in &pack.criteria {
            readers.push((Reader::Criterion(c.id.clone()), w.body(&c.body, None)));
        }
        for j in &pack.judgments {
            readers.push((
                Reader::Judgment(j.name.clone()),
                w.body(&j.body, Some(&j.found)),
            ));
        }
        for s in &pack.steps {
            readers.push((Reader::Step(s.name.clone()), w.body(&s.body, None)));
        }
        let hooks = [
            pack.previous_tier_def,
            pack.movement_def,
            pack.tier_label_def,
            pack.tier_rank_def,
        ];
        for (i, d) in pack.defs.iter().enumerate() {
            let hook = hooks.contains(&Some(i)) || (d.arity == 0 && d.name.starts_with("history_"));
            if hook {
                let (reads, _) = w.def(i);
                readers.push((
                    Reader::Output(d.name.clone()),
                    Reads {
                        decides: reads,
                        words: BTreeSet::new(),
                    },
                ));
            }
        }
        let mut rationale = BTreeSet::new();
        for r in &pack.rationale {
            match r {
                CRationale::Say(text, cond, _) => {
                    let mut env = HashMap::new();
                    w.consume(text, &mut env, &mut rationale);
                    if let Some(c) = cond {
                        w.consume(c, &mut env, &mut rationale);
                    }
                }
                CRationale::Choose(body) => {
                    let r = w.body(body, None);
                    rationale.extend(r.decides);
                    rationale.extend(r.words);
                }
                CRationale::Paragraph => {}
            }
        }
        readers.push((
            Reader::Rationale,
            Reads {
                decides: BTreeSet::new(),
                words: rationale,
            },
        ));
        let mut warnings = BTreeSet::new();
        for wr in &pack.warns {
            let mut env = HashMap::new();
            if let Some(each) = &wr.each {
                // the loop variable is the first slot of the warning's frame
                let paths = w.elements(each, &mut env, &mut warnings);
                env.insert(
                    0,
                    Binding {
                        paths,
                        reads: BTreeSet::new(),
                    },
                );
            }
            w.consume(&wr.when, &mut env, &mut warnings);
            w.consume(&wr.message, &mut env, &mut warnings);
        }
        readers.push((
            Reader::Warnings,
            Reads {
                decides: BTreeSet::new(),
                words: warnings,
            },
        ));
        let field = |i: Option<usize>| i.map(|i| pack.root.fields[i].name.to_string());
        let mut engine = vec![];
        if let Some(i) = pack.root.index("country") {
            engine.push(("the heading", pack.root.fields[i].name.to_string()));
        }
        if let Some(f) = field(pack.edition_field) {
            engine.push(("the edition, which selects dated parameters", f));
        }
        if let Some(f) = field(pack.findings_field) {
            engine.push(("--no-findings drops it", f));
        }
        for (what, f) in engine {
            readers.push((
                Reader::Engine(what),
                Reads {
                    decides: [f].into_iter().collect(),
                    words: BTreeSet::new(),
                },
            ));
        }
        ReadMap { readers }
    }

    /// The readers whose outcome a change to `path` can move, and those
    /// that only word a reason with it.
    pub fn readers_of(&self, path: &str) -> (Vec<&Reader>, Vec<&Reader>) {
        let path = normalize(path);
        let mut decides = vec![];
        let mut words = vec![];
        for (r, reads) in &self.readers {
            if reads.decides.iter().any(|p| touches(p, &path)) {
                decides.push(r);
            } else if reads.words.iter().any(|p| touches(p, &path)) {
                words.push(r);
            }
        }
        (decides, words)
    }

    /// What one reader reads.
    pub fn reads(&self, reader: &Reader) -> Option<&Reads> {
        self.readers
            .iter()
            .find(|(r, _)| r == reader)
            .map(|(_, x)| x)
    }
}

/// Every field the pack declares, in declaration order, as
/// (path, field type, doc, required, range, depth).
pub fn fields(pack: &RulePack) -> Vec<Field<'_>> {
    let mut out = vec![];
    walk_fields(&pack.root, "", 0, &mut out);
    out
}

/// A declared field.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub path: String,
    pub decl: &'a crate::pack::FieldTy,
    pub depth: usize,
}

fn walk_fields<'a>(rec: &'a RecTy, prefix: &str, depth: usize, out: &mut Vec<Field<'a>>) {
    for f in &rec.fields {
        let path = if prefix.is_empty() {
            f.name.to_string()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push(Field {
            path: path.clone(),
            decl: f,
            depth,
        });
        match &f.ty {
            Ty::Record(r) => walk_fields(r, &path, depth + 1, out),
            Ty::List(elem) => {
                if let Ty::Record(r) = &**elem {
                    walk_fields(r, &format!("{path}[*]"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Binding {
    /// The fact paths the local stands for (records and lists).
    paths: Vec<String>,
    /// What computing its value read.
    reads: BTreeSet<String>,
}

type Env = HashMap<usize, Binding>;

struct Walker<'p> {
    pack: &'p RulePack,
    /// Def index -> (reads, paths its value stands for).
    defs: HashMap<usize, (BTreeSet<String>, Vec<String>)>,
}

impl Walker<'_> {
    fn body(&mut self, body: &Body, found: Option<&CExpr>) -> Reads {
        let mut env = Env::new();
        let mut out = Reads::default();
        if let Some(f) = found {
            self.consume(f, &mut env, &mut out.decides);
        }
        for (slot, value) in &body.lets {
            let mut reads = BTreeSet::new();
            let paths = self.walk(value, &mut env, &mut reads);
            env.insert(*slot, Binding { paths, reads });
        }
        for b in &body.branches {
            if let Some(w) = &b.when {
                self.consume(w, &mut env, &mut out.decides);
            }
            self.consume(&b.result, &mut env, &mut out.decides);
            if let Some(t) = &b.because {
                self.consume(t, &mut env, &mut out.words);
            }
        }
        // a path the outcome depends on is not "only wording"
        out.words = out.words.difference(&out.decides).cloned().collect();
        out
    }

    fn def(&mut self, i: usize) -> (BTreeSet<String>, Vec<String>) {
        if let Some(d) = self.defs.get(&i) {
            return d.clone();
        }
        // a cycle is refused by the checker; guard anyway
        self.defs.insert(i, (BTreeSet::new(), vec![]));
        let mut reads = BTreeSet::new();
        let mut env = Env::new();
        let body = self.pack.defs[i].body.clone();
        let paths = self.walk(&body, &mut env, &mut reads);
        self.defs.insert(i, (reads.clone(), paths.clone()));
        (reads, paths)
    }

    /// The paths the elements of a list stand for. A list from the facts is
    /// itself read (how many elements it has); a list literal's items stand
    /// for themselves.
    fn elements(&mut self, list: &CExpr, env: &mut Env, out: &mut BTreeSet<String>) -> Vec<String> {
        if let CExpr::List(_) = list {
            return self.walk(list, env, out);
        }
        let lists = self.walk(list, env, out);
        out.extend(lists.iter().cloned());
        // a path that already names elements (`law.provisions[*]`, from a
        // `collect` of them) stands for the elements of the list it makes
        lists
            .iter()
            .map(|p| {
                if p.ends_with("[*]") {
                    p.clone()
                } else {
                    format!("{p}[*]")
                }
            })
            .collect()
    }

    /// Walks an expression whose value is used: what it stands for is read.
    fn consume(&mut self, e: &CExpr, env: &mut Env, out: &mut BTreeSet<String>) {
        let paths = self.walk(e, env, out);
        out.extend(paths);
    }

    /// Records what `e` reads in `out` and returns the fact paths its value
    /// stands for (a record or list the caller may take apart further).
    fn walk(&mut self, e: &CExpr, env: &mut Env, out: &mut BTreeSet<String>) -> Vec<String> {
        match e {
            CExpr::Const(_)
            | CExpr::Num(..)
            | CExpr::Judgment(_)
            | CExpr::Is(..)
            | CExpr::Tier
            | CExpr::Criteria
            | CExpr::Levers => vec![],
            CExpr::Template(parts) => {
                for p in parts.iter() {
                    if let CPart::Expr(x) = p {
                        self.consume(x, env, out);
                    }
                }
                vec![]
            }
            CExpr::Fact(segs) => {
                let names: Vec<&str> = segs.iter().map(|(_, n)| &**n).collect();
                vec![names.join(".")]
            }
            CExpr::Local(slot) => match env.get(slot) {
                Some(b) => {
                    out.extend(b.reads.iter().cloned());
                    b.paths.clone()
                }
                None => vec![],
            },
            CExpr::Field(inner, _, name) => self
                .walk(inner, env, out)
                .into_iter()
                .map(|p| format!("{p}.{name}"))
                .collect(),
            CExpr::Param(_) => {
                if let Some(i) = self.pack.edition_field {
                    out.insert(self.pack.root.fields[i].name.to_string());
                }
                vec![]
            }
            CExpr::Def(i, args) => {
                for a in args {
                    self.consume(a, env, out);
                }
                let (reads, paths) = self.def(*i);
                out.extend(reads);
                paths
            }
            CExpr::Not(x) | CExpr::Neg(x) => {
                self.consume(x, env, out);
                vec![]
            }
            CExpr::Bin(BinOp::Coalesce, a, b, _) => self.coalesce(a, b, env, out),
            CExpr::Bin(_, a, b, _) => {
                self.consume(a, env, out);
                self.consume(b, env, out);
                vec![]
            }
            CExpr::If(c, a, b) => {
                self.consume(c, env, out);
                let mut paths = self.walk(a, env, out);
                paths.extend(self.walk(b, env, out));
                paths
            }
            CExpr::Quant {
                kind,
                slot,
                list,
                filter,
                ..
            } => {
                let elems = self.elements(list, env, out);
                if *kind == QuantKind::Streak {
                    out.extend(elems.iter().map(|p| format!("{p}.year")));
                }
                self.each(*slot, elems, env, out, |w, env, out| {
                    if let Some(f) = filter {
                        w.consume(f, env, out);
                    }
                });
                vec![]
            }
            CExpr::Agg {
                slot,
                value,
                list,
                filter,
                ..
            } => {
                let elems = self.elements(list, env, out);
                self.each(*slot, elems, env, out, |w, env, out| {
                    if let Some(f) = filter {
                        w.consume(f, env, out);
                    }
                    w.walk(value, env, out)
                })
            }
            CExpr::Call(_, args) => {
                for a in args {
                    self.consume(a, env, out);
                }
                vec![]
            }
            CExpr::List(items) => {
                // a list literal stands for each of its items
                let mut paths = vec![];
                for x in items {
                    paths.extend(self.walk(x, env, out));
                }
                paths
            }
            CExpr::Bind(binds, body) => self.bind(binds, body, env, out),
        }
    }

    /// `a ?? b` stands for whichever side it takes: both are read, and a
    /// list or record from either side may be taken apart further.
    fn coalesce(
        &mut self,
        a: &CExpr,
        b: &CExpr,
        env: &mut Env,
        out: &mut BTreeSet<String>,
    ) -> Vec<String> {
        let mut paths = self.walk(a, env, out);
        let other = self.walk(b, env, out);
        paths.extend(other);
        out.extend(paths.iter().cloned());
        paths
    }

    /// Runs `inside` with `slot` standing for the elements `elems` (a
    /// quantifier's or aggregate's variable), then restores the slot.
    fn each<T>(
        &mut self,
        slot: usize,
        elems: Vec<String>,
        env: &mut Env,
        out: &mut BTreeSet<String>,
        inside: impl FnOnce(&mut Self, &mut Env, &mut BTreeSet<String>) -> T,
    ) -> T {
        let saved = env.insert(
            slot,
            Binding {
                paths: elems,
                reads: BTreeSet::new(),
            },
        );
        let r = inside(self, env, out);
        restore(env, slot, saved);
        r
    }

    /// A def written out where it is called: each parameter's slot stands
    /// for what its argument reads while the body is walked.
    fn bind(
        &mut self,
        binds: &[(usize, CExpr)],
        body: &CExpr,
        env: &mut Env,
        out: &mut BTreeSet<String>,
    ) -> Vec<String> {
        let mut saved = vec![];
        for (slot, arg) in binds {
            let mut reads = BTreeSet::new();
            let paths = self.walk(arg, env, &mut reads);
            saved.push((*slot, env.insert(*slot, Binding { paths, reads })));
        }
        let paths = self.walk(body, env, out);
        for (slot, old) in saved.into_iter().rev() {
            restore(env, slot, old);
        }
        paths
    }
}

fn restore(env: &mut Env, slot: usize, old: Option<Binding>) {
    match old {
        Some(b) => {
            env.insert(slot, b);
        }
        None => {
            env.remove(&slot);
        }
    }
}

/// "criteria `a`, `b`; judgment `c`", grouped by kind in pack order.
pub fn readers_text(rs: &[&Reader]) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = vec![];
    for r in rs {
        let (kind, name) = match r {
            Reader::Criterion(id) => ("criterion", format!("`{id}`")),
            Reader::Judgment(n) => ("judgment", format!("`{n}`")),
            Reader::Step(n) => ("placement step", format!("`{n}`")),
            Reader::Output(n) => ("output", format!("`{n}`")),
            Reader::Rationale => ("", "the rationale".to_string()),
            Reader::Warnings => ("", "the warnings".to_string()),
            Reader::Engine(what) => ("", format!("the engine ({what})")),
        };
        match groups.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(name),
            None => groups.push((kind, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(kind, names)| {
            if kind.is_empty() {
                names.join(", ")
            } else if names.len() == 1 {
                format!("{kind} {}", names[0])
            } else {
                let plural = match kind {
                    "criterion" => "criteria".to_string(),
                    k => format!("{k}s"),
                };
                format!("{plural} {}", names.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
