use super::{CommandError, Context, Out};

/// Copy another store's evidence into this one.
///
/// SOURCE is a remote's name (default: origin), a store directory or a postgres:// URL. Documents,
/// publications, versions and fetches this store lacks are copied; quotations, matches
/// and indexes are derived here. Nothing is removed or overwritten, a second pull copies
/// nothing, and a pull that was stopped continues where it left off.
#[derive(Debug, clap::Args)]
pub struct Args {
    source: Option<String>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let (other, _) = super::remote::other_store(&store, args.source.as_deref())?;
    let moved = super::remote::transfer(&other, &mut store)?;
    super::remote::report(out, "pull", &other, &store, &moved)
}
