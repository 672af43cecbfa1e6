use crate::args::PackArgs;
use crate::Exit;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pack: PackArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.pack.load()?;
    outln!(
        "{}: ok ({} criteria, {} judgments, {} placement steps, {} parameters, {} levers)",
        args.pack.source().name(),
        pack.criteria.len(),
        pack.judgments.len(),
        pack.steps.len(),
        pack.params.len(),
        pack.levers.len()
    );
    Ok(Exit::Ok)
}
