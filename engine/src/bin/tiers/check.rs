use crate::Exit;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The rule pack directory [default: rules/tvpa here or above, else the
    /// pack built into the binary]
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    match crate::load_pack(&args.rules) {
        Ok(pack) => {
            outln!(
                "{}: ok ({} criteria, {} judgments, {} placement steps, {} parameters, {} levers)",
                crate::PackSource::of(&args.rules).name(),
                pack.criteria.len(),
                pack.judgments.len(),
                pack.steps.len(),
                pack.params.len(),
                pack.levers.len()
            );
            Ok(Exit::Ok)
        }
        Err(e) => Ok(e),
    }
}
