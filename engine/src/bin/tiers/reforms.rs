use crate::args::{loaded, CaseArgs, FormatArgs};
use crate::Exit;
use std::path::PathBuf;
use tiers::case;
use tiers::whatif::{self, SearchOptions, Target};
use tiers::Outcome;

#[derive(clap::Args)]
#[command(mut_arg("no_findings", |a| a.help("Ignore `findings:`: judgments are derived, so levers can move them")))]
pub struct Args {
    /// The facts file
    #[arg(required_unless_present = "list")]
    facts: Option<PathBuf>,
    /// List the pack's levers (title, pillar, what each sets, the criteria it
    /// can change, its recommendation) instead of searching
    #[arg(long, conflicts_with_all = ["target", "no_findings", "assume_unknown_fails"])]
    list: bool,
    /// Let levers set facts that are not known, as if they failed: a lever
    /// may then be proposed for a criterion that is only unknown
    #[arg(long)]
    assume_unknown_fails: bool,
    /// A tier to reach (or better), or a criterion id to make met; default: the next tier up
    #[arg(long)]
    target: Option<String>,
    /// The largest set of levers to try
    #[arg(long, default_value_t = 3)]
    max_size: usize,
    #[command(flatten)]
    format: FormatArgs,
    #[command(flatten)]
    case: CaseArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.case.pack.load()?;
    let fmt = args.format.get();
    let path = match &args.facts {
        Some(path) if !args.list => path,
        _ => {
            args.format.emit(&tiers::report::lever_list(&pack, fmt));
            return Ok(Exit::Ok);
        }
    };
    let facts = loaded(case::load(&pack, path, args.case.options()))?;
    let base = tiers::evaluate(&pack, &facts);
    let target = match &args.target {
        Some(t) if pack.tier_variants.contains(t) => Target::Tier(t.clone()),
        Some(t) if pack.criterion_index(t).is_some() => Target::Criterion(t.clone()),
        Some(t) => {
            let mut names: Vec<&str> = pack.tier_variants.iter().map(String::as_str).collect();
            names.extend(pack.criteria.iter().map(|c| c.id.as_str()));
            let hint = tiers::diag::did_you_mean(t, names);
            errln!(
                "error[bad-value]: `--target {t}` is neither a tier nor a criterion{}",
                hint.map(|h| format!("\n  = help: did you mean `{h}`?"))
                    .unwrap_or_default()
            );
            return Ok(Exit::Failed);
        }
        None => Target::Tier(tiers::whatif::next_tier_up(
            &pack,
            &facts,
            base.tier.as_deref(),
        )),
    };
    let opts = SearchOptions {
        max_size: args.max_size,
        assume_unknown_fails: args.assume_unknown_fails,
        establish: true,
    };
    let result = whatif::reforms_with(&pack, &facts, target.clone(), opts);
    // with a tier target, also say which levers fix each criterion not met
    // (and each unknown one, when unknown counts as failing)
    let mut per = vec![];
    if matches!(target, Target::Tier(_)) {
        for c in base.criteria.iter().filter(|c| {
            c.outcome == Outcome::NotMet
                || (args.assume_unknown_fails && c.outcome == Outcome::Unknown)
        }) {
            per.push((
                c.id.clone(),
                whatif::reforms_with(
                    &pack,
                    &facts,
                    Target::Criterion(c.id.clone()),
                    SearchOptions {
                        max_size: args.max_size.min(2),
                        establish: false,
                        ..opts
                    },
                ),
            ));
        }
    }
    let out = tiers::report::reforms(&pack, &result, &base.country, &per, fmt);
    args.format.emit(&out);
    Ok(Exit::Ok)
}
