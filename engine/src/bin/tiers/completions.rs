use crate::Exit;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to complete in
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script (generated from the same clap definition
/// as the command, so it never falls behind a new flag or subcommand).
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let mut cmd = <crate::Cli as clap::CommandFactory>::command();
    // into a buffer first: clap_complete panics when its writer fails (a
    // closed pipe), and a failed write here is a plain error
    let mut script = vec![];
    clap_complete::generate(args.shell, &mut cmd, "tiers", &mut script);
    crate::emit_raw(&String::from_utf8_lossy(&script));
    Ok(Exit::Ok)
}
