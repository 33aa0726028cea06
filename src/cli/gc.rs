use std::io::Write;

use prov::store::corrections::{GcOptions, UNREFERENCED_MIN_AGE};

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// Delete bytes the evidence no longer needs.
///
/// Deletes the objects of documents removed with `prov rm` more than the grace period ago
/// (their removal records stay: `prov rm --list`), and objects no document names (left by
/// an add that was killed before it committed) written more than the grace period ago, and
/// never less than an hour ago, so an add running meanwhile keeps its objects. A removed
/// document whose bytes are deleted can no longer be restored with `prov rm --undo` unless
/// its file or URL is added again.
///
///     prov gc --dry-run
///     prov gc --grace 0
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Days a removal (or an unreferenced object) is kept before its bytes are deleted.
    #[arg(long, default_value_t = 14, value_name = "DAYS")]
    grace: u32,
    /// Say what would be deleted; delete nothing.
    #[arg(long, short = 'n')]
    dry_run: bool,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let cutoff = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        - time::Duration::days(i64::from(args.grace));
    let cutoff = cutoff
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| CommandError::new(format!("gc: cannot state the cutoff time: {e}")))?;
    let mut report = store.gc(&GcOptions {
        cutoff,
        dry_run: args.dry_run,
    })?;
    if !args.dry_run {
        report.index_segments_merged = store.compact_indexes()?;
    }
    if out.json {
        out.json_line(&report)?;
        return Ok(exit::SUCCESS);
    }
    let verb = if report.dry_run {
        "would delete"
    } else {
        "deleted"
    };
    for id in &report.purged {
        let what = if report.dry_run {
            "its bytes would be deleted"
        } else {
            "its bytes deleted"
        };
        writeln!(out, "{}  removed: {what}", id.short())?;
    }
    writeln!(
        out,
        "{verb} {} object{} ({} bytes): {} of removed documents, {} that no document names",
        report.objects_deleted,
        if report.objects_deleted == 1 { "" } else { "s" },
        report.bytes_freed,
        report.objects_deleted - report.unreferenced_deleted,
        report.unreferenced_deleted
    )?;
    if report.index_segments_merged > 0 {
        writeln!(
            out,
            "merged {} index segments into one per index (fewer reads per lookup)",
            report.index_segments_merged
        )?;
    }
    if report.waiting > 0 {
        note(format!(
            "{} removed document{} inside the {}-day grace period kept (`--grace 0` deletes them now)",
            report.waiting,
            if report.waiting == 1 { "" } else { "s" },
            args.grace
        ));
    }
    if report.unreferenced_kept > 0 {
        note(format!(
            "{} unreferenced object{} kept: written within the grace period or the last {} minutes, or in a PostgreSQL objects table, which records no write time",
            report.unreferenced_kept,
            if report.unreferenced_kept == 1 {
                ""
            } else {
                "s"
            },
            UNREFERENCED_MIN_AGE.whole_minutes()
        ));
    }
    Ok(exit::SUCCESS)
}
