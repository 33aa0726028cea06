use std::io::Write;
use std::path::Path;

use prov::store::status::PathState;

use super::output::note;
use super::{CommandError, Context, Out, cwd, exit};

/// Compare tracked files under the current directory with what was added from them.
///
/// Lists files modified since they were added and files that are gone; `--all` lists
/// unchanged files too. Run `prov add` on a modified file to record its new version.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// List unchanged files as well.
    #[arg(long)]
    all: bool,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let here = cwd()?;
    let entries = store.status(&here)?;
    let mut unchanged = 0;
    for e in &entries {
        if out.json {
            out.json_line(e)?;
            continue;
        }
        if e.state == PathState::Unchanged {
            unchanged += 1;
            if !args.all {
                continue;
            }
        }
        let word = match e.state {
            PathState::Unchanged => "unchanged",
            PathState::Modified => "modified",
            PathState::Missing => "missing",
        };
        let file = store.worktree_path(&e.path);
        writeln!(out, "{word:<10} {}", relative(&file, &here))?;
    }
    if !out.json {
        let changed = entries.len() - unchanged;
        if entries.is_empty() {
            note("no tracked files here");
        } else if changed == 0 {
            note(format!("{unchanged} tracked files, all unchanged"));
        }
    }
    Ok(exit::SUCCESS)
}

/// `path` relative to `base` when it lies under it, as git status shows paths.
fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}
