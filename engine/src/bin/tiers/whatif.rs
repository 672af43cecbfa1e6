use crate::assess::Fmt;
use crate::Exit;
use std::io::Write;
use std::path::PathBuf;
use tiers::case::{self, LoadOptions};
use tiers::scenario;
use tiers::whatif;

#[derive(clap::Args)]
pub struct Args {
    /// The facts file to start from
    facts: Option<PathBuf>,
    /// A change: PATH=VALUE, e.g. law.provisions[0].fine=cumulative ([*] = every element)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// A reform lever declared in the rule pack (repeatable)
    #[arg(long = "lever", value_name = "NAME")]
    levers: Vec<String>,
    /// A scenario file (base:, note:, set:) instead of FACTS and --set
    #[arg(long, conflicts_with = "facts")]
    scenario: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Fmt,
    /// The rule pack directory [default: rules/tvpa here or above, else the
    /// pack built into the binary]
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Ignore `findings:`: compare objective-only recommendations
    #[arg(long)]
    no_findings: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = match crate::load_pack(&args.rules) {
        Ok(p) => p,
        Err(e) => return Ok(e),
    };
    let opts = LoadOptions {
        no_findings: args.no_findings,
    };
    // the starting facts, and the changes to make
    let (base_path, mut changes, note) = match &args.scenario {
        Some(sc) => {
            let bytes = std::fs::read(sc)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", sc.display()))?;
            let mut sources = tiers::diag::SourceMap::default();
            let id = sources.add(
                sc.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
            let node = match tiers::facts::parse_yaml(sources.text(id), id, &sources) {
                Ok(n) => n,
                Err(d) => {
                    eprint!("{}", sources.render(&d));
                    return Ok(Exit::Failed);
                }
            };
            let dir = sc.parent().map(PathBuf::from).unwrap_or_default();
            match scenario::read_scenario(&pack, &sources, id, &node, &dir) {
                Some(Ok(s)) => (s.base, s.changes, s.note),
                Some(Err(ds)) => {
                    eprint!("{}", tiers::Failure::new(sources, ds).render());
                    return Ok(Exit::Failed);
                }
                None => anyhow::bail!("{} is not a scenario (it has no `base:`)", sc.display()),
            }
        }
        None => match &args.facts {
            Some(f) => (f.clone(), vec![], None),
            None => anyhow::bail!("give a facts file, or --scenario FILE"),
        },
    };
    for s in &args.set {
        match scenario::parse_set(&pack, s) {
            Ok(c) => changes.push(c),
            Err(f) => {
                eprint!("{}", f.render());
                return Ok(Exit::Failed);
            }
        }
    }
    let mut shown: Vec<String> = changes
        .iter()
        .map(|c| format!("{} = {}", c.path, fact_text(&c.value)))
        .collect();
    for name in &args.levers {
        match pack.levers.iter().find(|l| &l.name == name) {
            Some(l) => {
                shown.push(format!(
                    "lever {name}: {}",
                    l.meta.title.clone().unwrap_or_default()
                ));
                changes.extend(scenario::lever_changes(l));
            }
            None => {
                let hint =
                    tiers::diag::did_you_mean(name, pack.levers.iter().map(|l| l.name.as_str()));
                eprintln!(
                    "error[bad-lever]: the rule pack has no lever `{name}`{}",
                    hint.map(|h| format!("\n  = help: did you mean `{h}`?"))
                        .unwrap_or_default()
                );
                return Ok(Exit::Failed);
            }
        }
    }
    let before = match case::load(&pack, &base_path, opts) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{}", e.render());
            return Ok(Exit::Failed);
        }
    };
    let mut after = before.clone();
    if let Err(e) = scenario::apply_all(&pack, &mut after, &changes) {
        eprint!("{}", e.render());
        return Ok(Exit::Failed);
    }
    let mut delta = whatif::compare(
        tiers::evaluate(&pack, &before),
        tiers::evaluate(&pack, &after),
    );
    whatif::explain_unmoved(&pack, &before, &after, &changes, &mut delta);
    let fmt = args.format.into();
    let out = tiers::report::delta(&delta, &shown, note.as_deref(), fmt);
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(Exit::Ok)
}

pub fn fact_text(f: &tiers::facts::Fact) -> String {
    use tiers::facts::Fact;
    match f {
        Fact::Null => "null".into(),
        Fact::Bool(b) => b.to_string(),
        Fact::Num(n) => tiers::eval::fmt_num(*n),
        Fact::Text(t) => t.to_string(),
        Fact::List(xs) => format!(
            "[{}]",
            xs.iter().map(fact_text).collect::<Vec<_>>().join(", ")
        ),
        Fact::Record(_) => "{...}".into(),
    }
}
