use std::io::{Read, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use prov::ingest::{self, AddError, AddOptions, Event, Input};
use prov::model::Metadata;
use serde_json::json;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// Add documents to the store: files, directories (recursively), URLs, web archives
/// (.warc, .warc.gz, .wacz: every HTML page captured, at its capture date), the pages of
/// feeds (--feed), or `-` for standard input.
///
/// Each document is stored under the BLAKE3 hash of its exact bytes; adding the same bytes
/// again changes nothing. Metadata comes from the flags below, from a sidecar
/// `FILE.meta.toml` / `FILE.meta.json` next to the file, or from an HTML page's own tags
/// (flags win, then the sidecar). A file added again with different bytes (same --url, or
/// without one the same path) becomes a new version; so does a URL that serves different
/// article text when fetched again (a page whose markup changed but not its text is a
/// fetch of the same version). HTML pages (.html files and pages fetched from the web) are
/// read as their article text: headline and paragraphs, without navigation or scripts.
/// URLs are fetched politely: robots.txt respected, one request per site per --delay.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories or http(s):// URLs to add; `-` reads one document from standard
    /// input.
    #[arg(required = true, value_name = "PATH|URL")]
    paths: Vec<PathBuf>,
    /// The document's title.
    #[arg(long)]
    title: Option<String>,
    /// The outlet that published it (newspaper, agency, site).
    #[arg(long)]
    outlet: Option<String>,
    /// Where it was published; versions of one URL are linked.
    #[arg(long)]
    url: Option<String>,
    /// Publication date: RFC 3339 (2025-06-23T08:42:00Z) or a plain date (2025-06-23).
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Who wrote it.
    #[arg(long)]
    author: Option<String>,
    /// Language tag (en, uk, …).
    #[arg(long)]
    lang: Option<String>,
    #[command(flatten)]
    web: super::web::FetchArgs,
    /// Each URL is a feed (RSS, Atom or JSON Feed): add every item's page, once, and track
    /// the feed so `prov watch` polls it for new items.
    #[arg(long)]
    feed: bool,
}

pub(super) fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s
        .trim()
        .trim_end_matches('s')
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds (e.g. 30 or 2.5)"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{s:?}: the timeout must be above 0 and at most a day"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

pub(super) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], t[i..].trim().to_ascii_uppercase()),
        None => (t, String::new()),
    };
    let scale: u64 = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => {
            return Err(format!(
                "{s:?}: expected a size like 500000, 512K, 20M or 1G"
            ));
        }
    };
    let size = digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{s:?}: expected a size like 500000, 512K, 20M or 1G"))?;
    if size > MAX_SIZE {
        return Err(format!(
            "{s:?}: prov reads documents of up to 2G (its text offsets are 32-bit)"
        ));
    }
    Ok(size)
}

/// The largest `--max-size`: text offsets inside prov are 32-bit, and a document of
/// gigabytes would need many times its size in memory to read.
const MAX_SIZE: u64 = 2 << 30;

/// Progress bars only pay off for long adds.
const BAR_THRESHOLD: usize = 100;

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let mut inputs = Vec::with_capacity(args.paths.len());
    for path in args.paths {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(args.web.max_size.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| CommandError::new(format!("reading standard input: {e}")))?;
            if bytes.len() as u64 > args.web.max_size {
                return Err(CommandError::new(format!(
                    "standard input: larger than {} bytes",
                    args.web.max_size
                ))
                .hint("raise --max-size to accept it"));
            }
            inputs.push(Input::Stdin(bytes));
        } else if let Some(url) = path.to_str().filter(|p| prov::fetch::is_url(p)) {
            inputs.push(Input::Url(url.to_owned()));
        } else {
            inputs.push(Input::Path(path));
        }
    }
    let options = AddOptions {
        meta: Metadata {
            title: args.title,
            outlet: args.outlet,
            url: args.url,
            published: args.published,
            author: args.author,
            lang: args.lang,
            ..Metadata::default()
        },
        fetch: args.web.options(),
    };

    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut write_err: Option<std::io::Error> = None;
    let mut on_event = |event: Event<'_>| match event {
        Event::Planned { files, archives } => {
            if archives > 0 {
                // Pages are counted as the archives are read.
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {pos} documents {per_sec} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
            } else if files >= BAR_THRESHOLD {
                bar.set_length(files as u64);
            } else {
                bar.set_draw_target(ProgressDrawTarget::hidden());
            }
        }
        Event::Archive {
            path,
            pages,
            skipped,
        } => {
            bar.suspend(|| {
                note(format!(
                    "{}: {pages} HTML {} read; {} other {} (images, scripts, redirects, errors) and {} other {} skipped",
                    path.display(),
                    if pages == 1 { "page" } else { "pages" },
                    skipped.not_pages,
                    if skipped.not_pages == 1 { "response" } else { "responses" },
                    skipped.other_records,
                    if skipped.other_records == 1 { "record" } else { "records" },
                ))
            });
        }
        Event::Added(added) => {
            bar.inc(1);
            if write_err.is_some() {
                return;
            }
            let result = bar.suspend(|| write_added(out, added, None));
            if let Err(e) = result {
                write_err = Some(e);
            }
        }
        Event::Refused(err) => {
            bar.inc(1);
            bar.suspend(|| note(format!("error: {err}")));
        }
    };
    let mut feed_failures: Vec<(String, prov::feed::FeedError)> = Vec::new();
    let summary = if args.feed {
        let mut all = ingest::AddSummary::default();
        for input in inputs {
            let Input::Url(url) = input else {
                return Err(CommandError::new(
                    "--feed takes the URLs of feeds (RSS, Atom or JSON Feed)",
                )
                .hint("add files and pages without --feed"));
            };
            match prov::feed::poll(&mut store, &url, &options, &mut on_event) {
                Ok((polled, summary)) => {
                    bar.suspend(|| note(poll_note(&polled)));
                    all.added.extend(summary.added);
                    all.refused.extend(summary.refused);
                }
                Err(prov::feed::FeedError::Add(e)) => return Err(e.into()),
                Err(prov::feed::FeedError::Store(e)) => return Err(e.into()),
                Err(e) => {
                    bar.suspend(|| note(format!("error: {e}")));
                    feed_failures.push((url, e));
                }
            }
        }
        Ok(all)
    } else {
        ingest::add(&mut store, inputs, &options, &mut on_event)
    };
    bar.finish_and_clear();
    if let Some(e) = write_err {
        return Err(e.into());
    }
    let summary = summary?;

    let count = |o: &str| summary.added.iter().filter(|a| a.outcome() == o).count();
    let mut parts = vec![format!("{} added", count("added"))];
    for (n, word) in [
        (count("new-version"), "new versions"),
        (
            count("recorded"),
            "already stored, recorded as new publications",
        ),
        (
            count("tracked"),
            "already stored, now also tracked at new paths",
        ),
        (count("updated"), "metadata updated"),
        (
            count("same-text"),
            "re-fetched with changed markup but the same article text",
        ),
        (count("unchanged"), "unchanged"),
        (summary.refused.len(), "refused"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    // Adding bytes that were removed from the evidence does not put them back.
    let removed = store.removed_rows()?;
    if !removed.is_empty() {
        for a in summary.added.iter().filter(|a| !a.stored) {
            if let Some(r) = store.removal(&a.id)? {
                note(format!(
                    "{} was removed from the evidence on {} ({}): it stays out; `prov rm --undo {}` restores it",
                    a.id.short(),
                    r.removed_at,
                    r.reason,
                    a.id.short()
                ));
            }
        }
    }
    if summary.added.len() + summary.refused.len() > 1 || !summary.refused.is_empty() {
        // The per-document lines come first on a terminal that shows both streams.
        out.flush()?;
        note(parts.join(", "));
    }
    let feed_fetch_failed = feed_failures
        .iter()
        .any(|(_, e)| matches!(e, prov::feed::FeedError::Fetch(_)));
    Ok(if feed_fetch_failed {
        exit::ERROR
    } else if summary.refused.is_empty() && feed_failures.is_empty() {
        exit::SUCCESS
    } else if summary.refused.iter().all(AddError::is_bad_input) {
        exit::FINDING
    } else {
        exit::ERROR
    })
}

/// One document's line: id, path and what happened (`--json`: the record with its
/// `outcome`, and `event` when given).
pub(super) fn write_added(
    out: &mut Out,
    added: &prov::ingest::Added,
    event: Option<&str>,
) -> std::io::Result<()> {
    if out.json {
        let mut value = serde_json::to_value(added).map_err(std::io::Error::other)?;
        value["outcome"] = json!(added.outcome());
        if let Some(event) = event {
            value["event"] = json!(event);
        }
        out.json_line(&value)
    } else {
        writeln!(
            out,
            "{}  {}  {}",
            added.id.short(),
            added.path,
            describe(added)
        )
    }
}

/// What one poll of a feed found, for stderr.
pub(super) fn poll_note(polled: &prov::feed::Polled) -> String {
    let what = match (polled.not_modified, polled.new_items) {
        (true, _) => "not modified since the last poll".to_owned(),
        (false, n) => format!(
            "{} {}, {n} new",
            polled.items,
            if polled.items == 1 { "item" } else { "items" }
        ),
    };
    format!("feed {}: {what}", polled.feed)
}

fn describe(added: &prov::ingest::Added) -> String {
    let source = added
        .source
        .as_ref()
        .map(|s| s.locator.as_str())
        .unwrap_or("-");
    match added.outcome() {
        "new-version" => format!(
            "new version {} of {source} (was {})",
            added.version.unwrap_or(0),
            added.previous.map(|p| p.short()).unwrap_or_default()
        ),
        "recorded" => "already stored; recorded as another publication".to_owned(),
        "tracked" => "already stored; now also tracked at this path".to_owned(),
        "restored" => {
            "already stored, but its bytes were missing or damaged: restored, and its quotations extracted again".to_owned()
        }
        "updated" => "unchanged; metadata updated".to_owned(),
        "same-text" => format!(
            "unchanged article text; the page's markup changed (bytes {} kept with this fetch)",
            added.same_text_bytes.map(|b| b.short()).unwrap_or_default()
        ),
        "unchanged" if added.not_modified => {
            "unchanged (the server answered 304 Not Modified)".to_owned()
        }
        "unchanged" => "unchanged (already stored)".to_owned(),
        other => other.to_owned(),
    }
}
