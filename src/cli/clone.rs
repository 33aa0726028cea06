use std::path::PathBuf;

use prov::Store;
use prov::store::Init;

use super::{CommandError, Context, Out};

/// Copy a store into a new one at DEST, which records it as its `origin` remote.
///
/// SOURCE is a store directory. Every document, publication, version and fetch is
/// copied; quotations, matches and indexes are derived in the new store. If the clone is
/// stopped, `prov -C DEST pull` finishes it.
#[derive(Debug, clap::Args)]
pub struct Args {
    source: PathBuf,
    dest: PathBuf,
}

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let source = std::path::absolute(&args.source)?;
    let from = Store::open(&source).map_err(|e| match e {
        prov::store::Error::NotFound { .. } => {
            CommandError::usage(format!("no prov store at {}", source.display()))
                .hint("give the directory that holds the store's .prov/")
        }
        e => e.into(),
    })?;
    if Store::locate_at(&args.dest).is_some() {
        return Err(CommandError::usage(format!(
            "{} holds a prov store already",
            args.dest.display()
        ))
        .hint(format!(
            "to copy {} into it, run `prov -C {} pull {}`",
            source.display(),
            args.dest.display(),
            source.display()
        )));
    }
    let (mut to, init) = Store::init(&args.dest)?;
    debug_assert_eq!(init, Init::Created);
    to.add_remote("origin", &from.root().to_string_lossy())?;
    let moved = super::remote::transfer(&from, &mut to)?;
    super::remote::report(out, "clone", &from, &to, &moved)
}
