use crate::args::PackArgs;
use crate::Exit;

#[derive(clap::Args)]
pub struct Args {
    /// The country, as it reads in "The Government of COUNTRY"
    country: String,
    /// The report edition
    #[arg(long)]
    year: u32,
    /// Put a `yaml-language-server` modeline first, pointing at this schema
    /// (a path relative to the new file, or a URL; see `tiers schema`)
    #[arg(long, value_name = "PATH|URL")]
    schema: Option<String>,
    #[command(flatten)]
    pack: PackArgs,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let pack = args.pack.load()?;
    let out = tiers::schema::skeleton(
        &pack,
        &args.country,
        f64::from(args.year),
        args.schema.as_deref(),
    );
    crate::emit(&out);
    Ok(Exit::Ok)
}
