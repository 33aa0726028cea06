use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget};
use serde_json::json;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// Check the store: re-hash every object and check every row that points to one.
///
/// Reports corrupt, missing and dangling items by id and exits 1 if there are any.
/// Objects no row refers to (left by an interrupted add) are harmless and only noted.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let report = store.fsck(&mut |done, total| {
        if done == 1 && total >= 500 {
            bar.set_length(total);
        } else if done == 1 {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
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
