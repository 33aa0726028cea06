use std::ffi::OsString;

use prov::Store;
use prov::store::{Init, Location};

use super::{CommandError, Context, Out};

/// Copy a store into a new one at DEST, which records it as its `origin` remote.
///
/// SOURCE and DEST are store directories or postgres:// URLs. Every document, publication, version and fetch is
/// copied; quotations, matches and indexes are derived in the new store. If the clone is
/// stopped, `prov -C DEST pull` finishes it.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_name = "SOURCE")]
    source: OsString,
    #[arg(value_name = "DEST")]
    dest: OsString,
}

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    // An empty name (an unset shell variable) would mean the working directory.
    for (what, name) in [("SOURCE", &args.source), ("DEST", &args.dest)] {
        if name.to_string_lossy().trim().is_empty() {
            return Err(CommandError::usage(format!("clone: {what} is empty"))
                .hint("give a store directory or a postgres:// URL; `.` names this directory"));
        }
    }
    let source = match Location::parse(&args.source) {
        Location::Dir(d) => Location::Dir(std::path::absolute(d)?),
        url => url,
    };
    let dest = Location::parse(&args.dest);
    let from = Store::open_at(&source).map_err(|e| match e {
        prov::store::Error::NotFound { .. } | prov::store::Error::NoStoreAt(_) => {
            CommandError::usage(format!("no prov store at {source}")).hint(
                "give the directory that holds the store's .prov/, or a store's postgres:// URL",
            )
        }
        e => e.into(),
    })?;
    let exists = || {
        CommandError::usage(format!("{dest} holds a prov store already")).hint(format!(
            "to copy {source} into it, run `prov -C {dest} pull {source}`"
        ))
    };
    if let Location::Dir(d) = &dest
        && Store::locate_at(d).is_some()
    {
        return Err(exists());
    }
    let (mut to, init) = Store::init_at(&dest)?;
    // An empty PostgreSQL store (made by `prov init URL`) is a fine place to clone into.
    if init == Init::Reopened && to.document_count()? > 0 {
        return Err(exists());
    }
    to.add_remote("origin", &from.location().to_remote_url())?;
    let moved = super::remote::transfer(&from, &mut to)?;
    super::remote::report(out, "clone", &from, &to, &moved)
}
