use std::io::Write;
use std::path::PathBuf;

use prov::Store;
use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Create an empty store in DIR/.prov (DIR defaults to the current directory).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the store.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = Store::init(&args.dir)?;
    if out.json {
        out.json_line(&json!({ "store": store.dir() }))?;
    } else {
        writeln!(
            out,
            "Initialized empty prov store in {}",
            store.dir().display()
        )?;
    }
    Ok(exit::SUCCESS)
}
