use crate::args::{loaded, CaseArgs, FormatArgs};
use crate::Exit;
use std::path::PathBuf;
use tiers::case;
use tiers::scenario;
use tiers::whatif::{self, fact_text};

#[derive(clap::Args)]
#[command(mut_arg("no_findings", |a| a.help("Ignore `findings:`: compare objective-only recommendations")))]
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
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    case: CaseArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.case.pack.load()?;
    let opts = args.case.options();
    // the starting facts, and the changes to make
    // (the scenario's base is read as every scenario's is: a facts file only)
    let (base, mut changes, note) = match &args.scenario {
        Some(sc) => match loaded(case::read_scenario_file(&pack, sc, opts.this_year))? {
            Some((s, sources)) => {
                let changes = s.changes.clone();
                let note = s.note.clone();
                (Base::Scenario(Box::new(s), sources), changes, note)
            }
            None => anyhow::bail!("{} is not a scenario (it has no `base:`)", sc.display()),
        },
        None => match &args.facts {
            Some(f) => (Base::File(f.clone()), vec![], None),
            None => anyhow::bail!("give a facts file, or --scenario FILE"),
        },
    };
    for s in &args.set {
        changes.push(loaded(scenario::parse_set(&pack, s, opts.this_year))?);
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
    let before = loaded(before)?;
    let mut after = before.clone();
    loaded(scenario::apply_all(
        &pack,
        &mut after,
        &changes,
        opts.this_year,
    ))?;
    let mut delta = whatif::compare(
        tiers::evaluate(&pack, &before),
        tiers::evaluate(&pack, &after),
    );
    whatif::explain_unmoved(&pack, &before, &after, &changes, &mut delta);
    let out = tiers::report::delta(&delta, &shown, note.as_deref(), args.format.get());
    args.format.emit(&out);
    Ok(Exit::Ok)
}

/// Where the facts to change come from.
enum Base {
    File(PathBuf),
    Scenario(Box<scenario::Scenario>, tiers::diag::SourceMap),
}
