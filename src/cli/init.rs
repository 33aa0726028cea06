use std::ffi::OsString;
use std::io::Write;

use prov::Store;
use prov::store::{Init, Location};
use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Create an empty store in DIR/.prov, or in the PostgreSQL database a postgres:// URL
/// names (creating the database when the server lacks it).
///
/// With no argument: the store `-C URL` or `PROV_DIR` names, else the current directory.
/// Safe to run again: an existing store is left as it is.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the store: a directory, or postgres://USER@HOST:PORT/DATABASE.
    #[arg(value_name = "DIR|URL")]
    dir: Option<OsString>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let location = match (&args.dir, ctx.named()) {
        (Some(d), _) => Location::parse(d),
        (None, Some(named)) => named.clone(),
        (None, None) => Location::Dir(".".into()),
    };
    let (store, init) = Store::init_at(&location)?;
    let created = init == Init::Created;
    let place = match store.dir() {
        Some(dir) => dir.display().to_string(),
        None => store.location().to_string(),
    };
    if out.json {
        out.json_line(&json!({ "store": place, "created": created }))?;
    } else if created {
        writeln!(out, "Initialized empty prov store in {place}")?;
    } else {
        writeln!(out, "Reinitialized existing prov store in {place}")?;
    }
    Ok(exit::SUCCESS)
}
