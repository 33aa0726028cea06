use prov::Store;

use super::{CommandError, Context, Out};

/// Copy this store's evidence into another store.
///
/// TARGET is a remote's name (default: origin), a store directory or a postgres:// URL. Documents,
/// publications, versions and fetches the other store lacks are copied; its quotations,
/// matches and indexes are derived there. Nothing is removed or overwritten, a second
/// push copies nothing, and a push that was stopped continues where it left off.
#[derive(Debug, clap::Args)]
pub struct Args {
    target: Option<String>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store: Store = ctx.store()?;
    let (mut other, _) = super::remote::other_store(&store, args.target.as_deref())?;
    let moved = super::remote::transfer(&store, &mut other)?;
    super::remote::report(out, "push", &store, &other, &moved)
}
