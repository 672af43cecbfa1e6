use crate::{default_rules, Exit};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The rule pack directory
    #[arg(long, default_value_os_t = default_rules())]
    rules: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    match crate::load_pack(&args.rules) {
        Ok(pack) => {
            println!(
                "{}: ok ({} criteria, {} judgments, {} placement steps, {} parameters, {} levers)",
                args.rules.display(),
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
