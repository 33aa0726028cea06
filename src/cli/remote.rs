use std::io::Write;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget};
use prov::Store;
use prov::store::Location;
use prov::sync::Transfer;
use serde_json::json;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// List, add or remove the stores this one pushes to and pulls from.
///
/// Like git remotes: `prov remote add origin /srv/evidence` names a store so that
/// `prov push` and `prov pull` (which use `origin` when given no name) can reach it.
/// `prov clone` records the store it cloned as `origin`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Name another store: a directory holding `.prov/` (or the `.prov` directory itself),
    /// or a PostgreSQL store's postgres:// URL.
    Add {
        name: String,
        #[arg(value_name = "DIR|URL")]
        url: std::ffi::OsString,
    },
    /// Forget a remote's name (the store itself is not touched).
    Remove { name: String },
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    match args.action {
        None => {
            let remotes = store.remotes()?;
            for r in &remotes {
                // Passwords stay in the store's own table, never on a screen or in a log.
                let shown = Location::parse(std::ffi::OsStr::new(&r.url)).to_string();
                if out.json {
                    out.json_line(&json!({ "name": r.name, "url": shown }))?;
                } else {
                    writeln!(out, "{}\t{shown}", r.name)?;
                }
            }
        }
        Some(Action::Add { name, url }) => {
            if name.trim().is_empty() || name.contains(char::is_whitespace) {
                return Err(CommandError::usage(format!(
                    "{name:?} is not a remote name: give one word, such as origin"
                )));
            }
            let location = match Location::parse(&url) {
                Location::Dir(d) => {
                    Location::Dir(std::fs::canonicalize(&d).or_else(|_| std::path::absolute(&d))?)
                }
                url => url,
            };
            store.add_remote(&name, &location.to_remote_url())?;
            if out.json {
                out.json_line(&json!({ "name": name, "url": location.to_string() }))?;
            } else if let Location::Dir(d) = &location
                && Store::locate_at(d).is_none()
            {
                note(format!(
                    "note: there is no store at {} yet; `prov init {}` creates one",
                    d.display(),
                    d.display()
                ));
            }
        }
        Some(Action::Remove { name }) => store.remove_remote(&name)?,
    }
    Ok(exit::SUCCESS)
}

/// The store `target` names for push or pull: a remote's name (`origin` when none is
/// given) or a store directory; with how to call it in messages.
pub(super) fn other_store(
    store: &Store,
    target: Option<&str>,
) -> Result<(Store, String), CommandError> {
    let name = target.unwrap_or("origin");
    let (location, label) = match store.remote(name) {
        Ok(r) => {
            let location = Location::parse(std::ffi::OsStr::new(&r.url));
            let label = format!("{} ({location})", r.name);
            (location, label)
        }
        Err(prov::store::Error::UnknownRemote(_)) if target.is_none() => {
            return Err(CommandError::usage("no remote is named origin")
                .hint("name the store: `prov remote add origin DIR`, or give its directory"));
        }
        Err(prov::store::Error::UnknownRemote(_)) => {
            let location = match Location::parse(std::ffi::OsStr::new(name)) {
                Location::Dir(_) => Location::Dir(
                    std::fs::canonicalize(name)
                        .or_else(|_| std::path::absolute(Path::new(name)))?,
                ),
                url => url,
            };
            let label = location.to_string();
            (location, label)
        }
        Err(e) => return Err(e.into()),
    };
    match Store::open_at(&location) {
        Ok(other) => Ok((other, label)),
        Err(prov::store::Error::NotFound { .. } | prov::store::Error::NoStoreAt(_)) => Err(
            CommandError::usage(format!("no prov store at {location}")).hint(format!(
                "create it with `prov init {location}`, or copy this one there with `prov clone . {location}`"
            )),
        ),
        Err(e) => Err(CommandError::from(e).hint(format!("the store is {label}"))),
    }
}

/// Copies `from` into `to` with a progress bar for large stores.
pub(super) fn transfer(from: &Store, to: &mut Store) -> Result<Transfer, CommandError> {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let moved = prov::sync::transfer(from, to, &mut |done, total| {
        if total >= 500 {
            bar.set_length(total);
            bar.set_position(done);
        }
    })
    .map_err(|e| CommandError::new(e.to_string()));
    bar.finish_and_clear();
    moved
}

/// Reports a transfer; exit 1 when documents were left behind.
pub(super) fn report(
    out: &mut Out,
    verb: &str,
    from: &Store,
    to: &Store,
    moved: &Transfer,
) -> Result<u8, CommandError> {
    if out.json {
        out.json_line(&json!({
            "from": from.location().to_string(),
            "to": to.location().to_string(),
            "documents": moved.documents,
            "publications": moved.publications,
            "versions": moved.versions,
            "fetches": moved.fetches,
            "removals": moved.removals,
            "corrections": moved.corrections,
            "objects": moved.objects,
            "unchanged": moved.unchanged,
            "skipped": moved.skipped,
        }))?;
    } else if moved.is_empty() {
        writeln!(
            out,
            "{verb}: nothing to copy, {} has every document, publication, version and fetch of {}",
            to.location(),
            from.location()
        )?;
    } else {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            out,
            "{verb}: {}, {}, {}, {}, {}, {} from {} into {} ({} there already)",
            plural(moved.documents, "document", "documents"),
            plural(moved.publications, "publication", "publications"),
            plural(moved.versions, "version", "versions"),
            plural(moved.fetches, "fetch", "fetches"),
            plural(moved.removals, "removal", "removals"),
            plural(
                moved.corrections,
                "speaker correction",
                "speaker corrections"
            ),
            from.location(),
            to.location(),
            moved.unchanged
        )?;
    }
    for s in &moved.skipped {
        note(format!(
            "warning: left {} behind: {}",
            s.id.short(),
            s.reason
        ));
    }
    if moved.skipped.is_empty() {
        Ok(exit::SUCCESS)
    } else {
        note(format!(
            "hint: run `prov -C {} fsck` to list the damaged objects; add the originals again there to repair them, then run this again",
            from.location()
        ));
        Ok(exit::FINDING)
    }
}
