use crate::args::PackArgs;
use crate::Exit;

#[derive(clap::Args)]
pub struct Args {
    /// The schema of a scenario file (`base:`, `note:`, `set:`) instead
    #[arg(long, conflicts_with = "reference")]
    scenario: bool,
    /// The Markdown field reference (type, meaning, the rules that read each
    /// field) instead of the JSON Schema
    #[arg(long)]
    reference: bool,
    #[command(flatten)]
    pack: PackArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.pack.load()?;
    let out = if args.reference {
        tiers::schema::reference(&pack)
    } else {
        let s = if args.scenario {
            tiers::schema::scenario_schema(&pack)
        } else {
            tiers::schema::facts_schema(&pack)
        };
        serde_json::to_string_pretty(&s)? + "\n"
    };
    if args.reference {
        crate::emit(&out);
    } else {
        crate::emit_raw(&out);
    }
    Ok(Exit::Ok)
}
