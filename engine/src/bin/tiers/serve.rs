use crate::args::{PackArgs, PackSource, PathArgs};
use crate::Exit;
use std::io::Write;
use std::path::PathBuf;
use tiers::serve::{Options, PackSpec, Server};

#[derive(clap::Args)]
#[command(mut_arg("paths", |a| a.help("Case files or directories to serve (default: cases/)")))]
pub struct Args {
    #[command(flatten)]
    paths: PathArgs,
    #[command(flatten)]
    pack: PackArgs,
    /// The port on 127.0.0.1 (0: any free port; the URL is printed)
    #[arg(long, default_value_t = 7878)]
    port: u16,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let source = args.pack.source();
    // a pack that does not check is reported now; the pages show it too
    args.pack.load()?;
    let paths = args.paths.resolve();
    let pack = match &source {
        PackSource::Dir(d) => PackSpec::Dir(d.clone()),
        PackSource::Builtin => PackSpec::Builtin,
    };
    let impact = impact(args.pack.rules.clone(), paths.clone());
    let server = Server::bind(Options {
        pack,
        pack_name: source.name(),
        paths: paths.clone(),
        port: args.port,
        impact: Some(impact),
    })
    .map_err(|e| anyhow::anyhow!("{e} (another port: --port N, or --port 0 for any free one)"))?;
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    // one write, and no error if nobody reads it (`tiers serve | head -1`):
    // the server goes on either way
    let banner = format!(
        "tiers serve: {}\n  rules {}; cases {}; this computer only (127.0.0.1). Ctrl-C stops it.\n",
        server.url(),
        source.name(),
        shown.join(", ")
    );
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    server.run();
    Ok(Exit::Ok)
}

/// The rule-impact view: this binary's own `tiers diff --base-rules BASE
/// --format json` over the served paths, so the page shows exactly what
/// the command says.
fn impact(rules: Option<PathBuf>, paths: Vec<PathBuf>) -> tiers::serve::ImpactFn {
    Box::new(move |base: &str| {
        // this very binary; if it was rebuilt while serving (the running
        // file is gone), the one the command line named
        let exe = std::env::current_exe()
            .ok()
            .filter(|p| p.is_file())
            .map(std::ffi::OsString::from)
            .or_else(|| std::env::args_os().next())
            .unwrap_or_else(|| "tiers".into());
        let mut cmd = std::process::Command::new(&exe);
        cmd.args(["diff", "--format", "json", "--base-rules", base]);
        if let Some(r) = &rules {
            cmd.arg("--rules").arg(r);
        }
        cmd.arg("--").args(&paths);
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run `{} diff`: {e}", exe.to_string_lossy()))?;
        match out.status.code() {
            Some(0 | 3) => serde_json::from_slice(&out.stdout).map_err(|e| e.to_string()),
            _ => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
        }
    })
}
