use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget};
use prov::store::postings::Index;
use serde_json::json;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// Check the store: re-hash every object, check every row that points to one, read every
/// block of the fingerprint and word indexes and check that they hold every document.
///
/// Reports corrupt, missing and dangling items by id and exits 1 if there are any.
/// Objects no row refers to (left by an interrupted add) are harmless and only noted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rebuild the fingerprint and word indexes from the stored documents first (after
    /// damage to them).
    #[arg(long)]
    reindex: bool,
    /// Rebuild what the store derives from its documents (quotations, speakers, matches,
    /// indexes) from their stored text. When the database itself is missing, empty or
    /// malformed: move it aside and rebuild the store from its objects; add your files and
    /// URLs again afterwards to record their paths and publications.
    #[arg(long)]
    repair: bool,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let opened = match ctx.store_as_it_stands() {
        // Pages of the database damaged behind a sound header: nothing read from it can
        // be trusted and re-deriving would stop at the first bad page, so it is damage
        // as a lost database is, and `--repair` rebuilds it from the objects.
        Ok(store) => match store.database_damage()? {
            Some(why) => {
                let path = store.dir().map(|d| d.join("prov.db")).unwrap_or_default();
                drop(store);
                Err(prov::store::Error::DamagedDatabase {
                    path,
                    what: format!(
                        "is damaged ({})",
                        why.lines()
                            .filter(|l| !l.starts_with("***"))
                            .take(2)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                }
                .into())
            }
            None => Ok(store),
        },
        Err(e) => Err(e),
    };
    let mut store = match opened {
        Ok(mut store) => {
            let unfinished = store.unfinished_repair()?;
            if args.repair {
                // The database is whole: rebuild what it derives from the documents.
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                let unreadable = prov::ingest::rederive(&mut store, &mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })?;
                bar.finish_and_clear();
                for (id, e) in &unreadable {
                    note(format!("left without quotations: {}: {e}", id.short()));
                }
                note(format!(
                    "rebuilt the quotations, matches and indexes of {} documents from their stored text",
                    store.document_count()?
                ));
            } else if let Some(started) = unfinished {
                // Reported before anything else: every count below is of a half-rebuilt
                // store.
                if out.json {
                    out.json_line(&json!({
                        "ok": false,
                        "problems": [{"kind": "missing", "item": "quotations", "detail": format!("a `prov fsck --repair` started at {started} did not finish")}],
                    }))?;
                } else {
                    writeln!(
                        out,
                        "missing   quotations  incomplete: a `prov fsck --repair` started at {started} did not finish"
                    )?;
                    note("hint: run `prov fsck --repair` to finish rebuilding them");
                }
                return Ok(exit::FINDING);
            }
            store
        }
        Err(e) if damaged(&e) && args.repair => {
            let dir = ctx.store_dir()?;
            note(format!(
                "{}; rebuilding the store from its objects…",
                e.message
            ));
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let (store, rebuilt) = prov::rebuild::rebuild(&dir, &mut |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            for path in &rebuilt.moved_aside {
                note(format!("kept the damaged file as {}", path.display()));
            }
            for skipped in &rebuilt.skipped {
                note(format!("left out {skipped}"));
            }
            note(format!(
                "rebuilt {} documents ({} article texts of pages among the objects); add your files and URLs again to record where they were published",
                rebuilt.documents, rebuilt.article_texts
            ));
            store
        }
        Err(e) if damaged(&e) => {
            // The damage is the finding: report it like any other, exit 1.
            if out.json {
                out.json_line(&json!({
                    "ok": false,
                    "problems": [{"kind": "corrupt", "item": "database", "detail": e.message}],
                }))?;
            } else {
                writeln!(out, "corrupt   database  {}", e.message)?;
                note("hint: run `prov fsck --repair` to rebuild the store from its objects");
            }
            return Ok(exit::FINDING);
        }
        Err(e) => return Err(e),
    };
    if args.reindex {
        store.reset_indexes()?;
        let n = prov::index::catch_up(&mut store, &mut |_, _| {})?;
        note(format!(
            "rebuilt the quotation-id index, and the fingerprint and word indexes of {n} documents"
        ));
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // The database's pages were checked when it was opened, above.
    let mut report = store.fsck_contents(&mut |done, total| {
        if done == 1 && total >= 500 {
            bar.set_length(total);
        } else if done == 1 {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    // A damaged index is reported above; listing every document as missing from it
    // would bury that.
    let damaged_index = Index::DOCUMENTS
        .iter()
        .any(|i| report.problems.iter().any(|p| p.item == i.to_string()));
    if !damaged_index {
        for (id, index) in prov::index::unindexed(&store)? {
            report.problems.push(prov::store::fsck::Problem {
                kind: prov::store::fsck::ProblemKind::Missing,
                item: id.to_hex(),
                detail: format!(
                    "document is missing from the {index}; rebuild it with `prov fsck --reindex`"
                ),
            });
        }
    }
    if out.json {
        out.json_line(&json!({
            "ok": report.is_clean(),
            "documents": report.documents,
            "objects": report.objects,
            "problems": report.problems,
            "unreferenced": report.unreferenced,
        }))?;
    } else {
        for p in &report.problems {
            let kind = serde_json::to_string(&p.kind).unwrap_or_default();
            writeln!(
                out,
                "{:<9} {}  {}",
                kind.trim_matches('"'),
                p.item,
                p.detail
            )?;
        }
        use prov::store::fsck::ProblemKind;
        if report
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::Corrupt && p.item == "database")
        {
            note(
                "hint: run `prov fsck --repair` to rebuild the store from its objects (the damaged file is kept beside it)",
            );
        }
        if !report.unreferenced.is_empty() {
            note(format!(
                "note: {} unreferenced objects (left by an interrupted add; adding the same files again adopts them)",
                report.unreferenced.len()
            ));
        }
        let verdict = if report.is_clean() {
            "ok".to_owned()
        } else {
            format!("{} problems", report.problems.len())
        };
        note(format!(
            "checked {} documents, {} objects: {verdict}",
            report.documents, report.objects
        ));
    }
    Ok(if report.is_clean() {
        exit::SUCCESS
    } else {
        exit::FINDING
    })
}

/// Whether opening the store failed because its database is missing, empty or malformed.
fn damaged(e: &CommandError) -> bool {
    e.damaged_database
}
