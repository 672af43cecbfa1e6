use crate::assess::Fmt;
use crate::Exit;
use std::path::PathBuf;
use tiers::case::{self, LoadOptions};
use tiers::scenario;
use tiers::whatif::{self, fact_text};

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
    // (the scenario's base is read as every scenario's is: a facts file only)
    let (base, mut changes, note) = match &args.scenario {
        Some(sc) => match case::read_scenario_file(&pack, sc) {
            Ok(Some((s, sources))) => {
                let changes = s.changes.clone();
                let note = s.note.clone();
                (Base::Scenario(Box::new(s), sources), changes, note)
            }
            Ok(None) => anyhow::bail!("{} is not a scenario (it has no `base:`)", sc.display()),
            Err(f) => {
                crate::diagnostics(&f.render());
                return Ok(Exit::Failed);
            }
        },
        None => match &args.facts {
            Some(f) => (Base::File(f.clone()), vec![], None),
            None => anyhow::bail!("give a facts file, or --scenario FILE"),
        },
    };
    for s in &args.set {
        match scenario::parse_set(&pack, s) {
            Ok(c) => changes.push(c),
            Err(f) => {
                crate::diagnostics(&f.render());
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
                errln!(
                    "error[bad-lever]: the rule pack has no lever `{name}`{}",
                    hint.map(|h| format!("\n  = help: did you mean `{h}`?"))
                        .unwrap_or_default()
                );
                return Ok(Exit::Failed);
            }
        }
    }
    let before = match &base {
        Base::File(path) => case::load(&pack, path, opts),
        Base::Scenario(s, sources) => case::load_base(&pack, s, sources, opts),
    };
    let before = match before {
        Ok(f) => f,
        Err(e) => {
            crate::diagnostics(&e.render());
            return Ok(Exit::Failed);
        }
    };
    let mut after = before.clone();
    if let Err(e) = scenario::apply_all(&pack, &mut after, &changes) {
        crate::diagnostics(&e.render());
        return Ok(Exit::Failed);
    }
    let mut delta = whatif::compare(
        tiers::evaluate(&pack, &before),
        tiers::evaluate(&pack, &after),
    );
    whatif::explain_unmoved(&pack, &before, &after, &changes, &mut delta);
    let fmt = args.format.into();
    let out = tiers::report::delta(&delta, &shown, note.as_deref(), fmt);
    match args.format {
        Fmt::Json => crate::emit_raw(&out),
        _ => crate::emit(&out),
    }
    Ok(Exit::Ok)
}

/// Where the facts to change come from.
enum Base {
    File(PathBuf),
    Scenario(Box<scenario::Scenario>, tiers::diag::SourceMap),
}
