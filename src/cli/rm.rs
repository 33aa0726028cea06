use std::io::Write;

use prov::model::Removal;
use prov::store::meta::now_rfc3339;

use super::output::note;
use super::{CommandError, Context, Out, actor, exit};

/// Take documents out of the evidence, saying why; or put them back with --undo.
///
/// A removed document leaves `log`, `verify`, `trace`, `matches`, `quotes`, `speakers`,
/// `grep` and `check`; the removal is recorded with who made it, when and why (`prov rm
/// --list`, `prov show ID`). Its bytes stay in the store until `prov gc` deletes them after
/// a grace period; until then `prov rm --undo ID` restores it as it was.
///
///     prov rm seeds/a.meta.json --reason "a sidecar, not an article"
///     prov rm 3f2a9c --reason "satire site, not a news source" --by "J. Doe"
///     prov rm --undo 3f2a9c
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Documents: ids or unique prefixes (4+ hex characters), or paths or URLs they were
    /// added from (the latest version of that source).
    #[arg(value_name = "ID|PATH|URL", required_unless_present = "list")]
    targets: Vec<String>,
    /// Why they are removed, recorded with the removal.
    #[arg(long, required_unless_present_any = ["undo", "list"])]
    reason: Option<String>,
    /// Put removed documents back into the evidence.
    #[arg(long, conflicts_with = "reason")]
    undo: bool,
    /// List every removal, restored ones too, newest first.
    #[arg(long, conflicts_with_all = ["undo", "reason", "targets"])]
    list: bool,
    /// Who is making the change [default: $PROV_USER, else the login name].
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    if args.list {
        let removals = store.removals()?;
        if out.json {
            for r in &removals {
                out.json_line(r)?;
            }
        } else if removals.is_empty() {
            note("no document has been removed");
        } else {
            for r in &removals {
                writeln!(out, "{}", describe(r))?;
            }
        }
        return Ok(exit::SUCCESS);
    }
    let by = actor(args.by);
    let ids = args
        .targets
        .iter()
        .map(|t| super::document_named(&store, t))
        .collect::<Result<Vec<_>, _>>()?;
    let now = now_rfc3339();
    for id in ids {
        let removal = match (&args.reason, args.undo) {
            (_, true) => store.restore(&id, &by, &now)?,
            (Some(reason), false) if reason.trim().is_empty() => {
                return Err(CommandError::usage("--reason is empty")
                    .hint("say why the document leaves the evidence: --reason \"a sidecar, not an article\""));
            }
            (Some(reason), false) => store.remove(&id, &by, &now, reason.trim())?,
            (None, false) => return Err(CommandError::usage("give --reason TEXT: why remove it")),
        };
        if out.json {
            out.json_line(&removal)?;
        } else if args.undo {
            writeln!(
                out,
                "{}  restored (removed {} by {}: {})",
                id.short(),
                removal.removed_at,
                removal.removed_by,
                removal.reason
            )?;
        } else {
            writeln!(out, "{}  removed: {}", id.short(), removal.reason)?;
        }
    }
    if !args.undo && !out.json {
        note("the bytes stay until `prov gc`; `prov rm --undo ID` puts a document back");
    }
    Ok(exit::SUCCESS)
}

/// One line for a removal: the document, when and by whom, why, and what became of it.
pub fn describe(r: &Removal) -> String {
    let mut s = format!(
        "{}  removed {} by {}: {}",
        r.document.short(),
        r.removed_at,
        r.removed_by,
        r.reason
    );
    if let (Some(at), Some(by)) = (&r.restored_at, &r.restored_by) {
        s.push_str(&format!("; restored {at} by {by}"));
    } else if let Some(at) = &r.purged_at {
        s.push_str(&format!("; bytes deleted by gc {at}"));
    }
    s
}
