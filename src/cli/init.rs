use std::io::Write;
use std::path::PathBuf;

use prov::Store;
use prov::store::Init;
use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Create an empty store in DIR/.prov (DIR defaults to the current directory).
///
/// Safe to run again: an existing store is left as it is.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the store.
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let (store, init) = Store::init(&args.dir)?;
    let created = init == Init::Created;
    if out.json {
        out.json_line(&json!({ "store": store.dir(), "created": created }))?;
    } else if created {
        writeln!(
            out,
            "Initialized empty prov store in {}",
            store.dir().display()
        )?;
    } else {
        writeln!(
            out,
            "Reinitialized existing prov store in {}",
            store.dir().display()
        )?;
    }
    Ok(exit::SUCCESS)
}
