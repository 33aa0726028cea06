//! The command line: argument parsing, dispatch, and rendering. Each command lives in its
//! own file with its clap `Args` (whose doc comment is the help text) and one `run`.

mod add;
mod cat;
mod check;
mod clone;
mod completions;
mod diff;
mod error;
mod extract;
mod formats;
mod fsck;
mod gc;
mod grep;
mod init;
mod log;
mod matches;
mod output;
mod pull;
mod push;
mod quotes;
mod remote;
pub(crate) mod rm;
mod show;
mod speakers;
mod status;
mod trace;
mod verify;
mod watch;
mod web;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use prov::Store;
use prov::store::Location;

pub use error::{CommandError, exit};
pub use output::Out;

/// prov: track where quotes come from.
///
/// Build an evidence store of source documents, then find which sources support a quote,
/// who said it there, and where the wording drifted. Commands find the store by walking
/// up from the current directory, as git does.
#[derive(Debug, Parser)]
#[command(name = "prov", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Run as if prov was started in DIR; or, given a postgres:// URL, use the store in
    /// that PostgreSQL database.
    #[arg(short = 'C', global = true, value_name = "DIR|URL")]
    directory: Option<std::ffi::OsString>,

    /// Print data as JSON (one object per line for lists).
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(init::Args),
    Add(add::Args),
    Log(log::Args),
    Show(show::Args),
    Cat(cat::Args),
    Status(status::Args),
    Fsck(fsck::Args),
    Rm(rm::Args),
    Gc(gc::Args),
    Extract(extract::Args),
    Quotes(quotes::Args),
    Speakers(speakers::Args),
    Verify(verify::Args),
    Check(check::Args),
    Trace(trace::Args),
    Diff(diff::Args),
    Watch(watch::Args),
    Grep(grep::Args),
    Matches(matches::Args),
    Clone(clone::Args),
    Push(push::Args),
    Pull(pull::Args),
    Remote(remote::Args),
    Completions(completions::Args),
}

/// What every command gets besides its own arguments: the way to its store.
pub struct Context {
    /// The store named by `-C URL` or `PROV_DIR`, if one was.
    named: Option<Location>,
}

impl Context {
    fn new(url: Option<Location>) -> Context {
        let named = url.or_else(|| {
            std::env::var_os("PROV_DIR")
                .filter(|d| !d.is_empty())
                .map(|d| Location::parse(&d))
        });
        Context { named }
    }

    /// The store named by `-C URL` or `PROV_DIR`, if one was.
    pub fn named(&self) -> Option<&Location> {
        self.named.as_ref()
    }

    /// Opens the store: the one `-C URL` or `PROV_DIR` names, else the nearest `.prov/`
    /// above the working directory.
    pub fn store(&self) -> Result<Store, CommandError> {
        let store = self.store_as_it_stands()?;
        // Answers from a store whose quotations a stopped repair left half rebuilt would
        // be wrong (a misattribution passing as exact), so nothing reads it but fsck.
        if let Some(started) = store.unfinished_repair()? {
            return Err(CommandError::new(format!(
                "the store's quotations, speakers and matches are incomplete: a `prov fsck --repair` started at {started} did not finish"
            ))
            .hint("run `prov fsck --repair` to finish rebuilding them"));
        }
        Ok(store)
    }

    /// The store, even when a repair of it did not finish (for `prov fsck`).
    pub fn store_as_it_stands(&self) -> Result<Store, CommandError> {
        let mut store = match &self.named {
            Some(location) => Store::open_at(location)?,
            None => Store::discover(&cwd()?)?,
        };
        catch_up(&mut store);
        Ok(store)
    }

    /// The store directory `store` would open, found even when its database is damaged.
    pub fn store_dir(&self) -> Result<std::path::PathBuf, CommandError> {
        let found = match &self.named {
            Some(Location::Dir(dir)) => Store::locate_at(&std::path::absolute(dir)?),
            Some(Location::Postgres(_)) => None,
            None => Store::locate(&cwd()?),
        };
        match found {
            Some(dir) => Ok(dir),
            None => Err(prov::store::Error::NotFound { start: cwd()? }.into()),
        }
    }
}

/// Indexes documents stored by an older prov before the posting indexes existed. Until
/// that is done, retrieval reads them directly, so a failure here (a read-only store) only
/// costs time and is reported as such.
fn catch_up(store: &mut Store) {
    let (Ok(documents), Ok(quotes)) =
        (store.index_pending_count(), store.quote_ids_pending_count())
    else {
        return;
    };
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    match (documents, quotes) {
        (0, 0) => return,
        (0, q) => output::note(format!(
            "indexing the ids of {q} quotation{} stored by an earlier prov (once)…",
            plural(q)
        )),
        (d, _) => output::note(format!(
            "indexing {d} document{} stored by an earlier prov (once)…",
            plural(d)
        )),
    }
    if let Err(e) = prov::index::catch_up(store, &mut |_, _| {}) {
        output::note(format!(
            "warning: could not index them ({e}); answers stay complete but slower"
        ));
    }
}

/// Who a correction is recorded as made by: `--by`, else `PROV_USER`, else the login name
/// (from the environment, else the account the process runs as: CI jobs and cron often
/// set no `USER`).
pub fn actor(by: Option<String>) -> String {
    by.or_else(|| std::env::var("PROV_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The name of the account this process runs as.
#[cfg(target_os = "linux")]
fn account_name() -> Option<String> {
    // SAFETY: getpwuid_r writes only into the buffers given, whose sizes it is told; the
    // name it points to lies inside `buf`, which outlives the read.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found);
        if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name)
            .to_string_lossy()
            .trim()
            .to_owned();
        (!name.is_empty()).then_some(name)
    }
}

#[cfg(not(target_os = "linux"))]
fn account_name() -> Option<String> {
    None
}

/// The document a user named: an id or a prefix of one, else the newest version of a
/// path or URL that was added, else the document a tracked file held when last added.
pub fn document_named(store: &prov::Store, what: &str) -> Result<prov::model::DocId, CommandError> {
    let not_id = match store.resolve(what) {
        Ok(id) => return Ok(id),
        Err(e @ prov::store::Error::Ambiguous { .. }) => return Err(e.into()),
        Err(e) => e,
    };
    if let Ok(source) = store.find_source(what, &cwd()?)
        && let Some(v) = store.versions(&source)?.last()
    {
        return Ok(v.doc);
    }
    if let Some(id) = store.document_at_path(what, &cwd()?)? {
        return Ok(id);
    }
    Err(CommandError::from(not_id).hint(
        "name a document by its id (`prov log` lists them), or by a path or URL that was added",
    ))
}

pub fn cwd() -> Result<PathBuf, CommandError> {
    std::env::current_dir()
        .map_err(|e| CommandError::new(format!("cannot read the working directory: {e}")))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::ERROR
            } else {
                exit::SUCCESS
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.broken_pipe => ExitCode::from(exit::SUCCESS),
        Err(e) => {
            output::note(&e);
            ExitCode::from(e.code)
        }
    }
}

fn run(cli: Cli) -> Result<u8, CommandError> {
    let mut url = None;
    match cli.directory.as_deref().map(Location::parse) {
        Some(Location::Dir(dir)) => {
            std::env::set_current_dir(&dir).map_err(|e| {
                CommandError::usage(format!("-C {}: {e}", dir.display()))
                    .hint("give an existing directory, or a store's postgres:// URL")
            })?;
        }
        Some(location) => url = Some(location),
        None => {}
    }
    let ctx = Context::new(url);
    let mut out = Out::new(cli.json);
    let code = match cli.command {
        Command::Init(args) => init::run(args, &ctx, &mut out),
        Command::Add(args) => add::run(args, &ctx, &mut out),
        Command::Log(args) => log::run(args, &ctx, &mut out),
        Command::Show(args) => show::run(args, &ctx, &mut out),
        Command::Cat(args) => cat::run(args, &ctx, &mut out),
        Command::Status(args) => status::run(args, &ctx, &mut out),
        Command::Fsck(args) => fsck::run(args, &ctx, &mut out),
        Command::Rm(args) => rm::run(args, &ctx, &mut out),
        Command::Gc(args) => gc::run(args, &ctx, &mut out),
        Command::Extract(args) => extract::run(args, &ctx, &mut out),
        Command::Quotes(args) => quotes::run(args, &ctx, &mut out),
        Command::Speakers(args) => speakers::run(args, &ctx, &mut out),
        Command::Verify(args) => verify::run(args, &ctx, &mut out),
        Command::Check(args) => check::run(args, &ctx, &mut out),
        Command::Trace(args) => trace::run(args, &ctx, &mut out),
        Command::Diff(args) => diff::run(args, &ctx, &mut out),
        Command::Watch(args) => watch::run(args, &ctx, &mut out),
        Command::Matches(args) => matches::run(args, &ctx, &mut out),
        Command::Grep(args) => grep::run(args, &ctx, &mut out),
        Command::Clone(args) => clone::run(args, &ctx, &mut out),
        Command::Push(args) => push::run(args, &ctx, &mut out),
        Command::Pull(args) => pull::run(args, &ctx, &mut out),
        Command::Remote(args) => remote::run(args, &ctx, &mut out),
        Command::Completions(args) => completions::run(args, &ctx, &mut out),
    }?;
    std::io::Write::flush(&mut out)?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
