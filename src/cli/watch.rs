use std::io::Write;

use prov::feed::{self, FeedError};
use prov::ingest::{self, AddOptions, AddSummary, Input};
use serde_json::json;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// Poll tracked feeds for new items and re-fetch every fetched page for edits.
///
/// Feeds added with `prov add --feed` are fetched again (conditionally: a server that
/// answers 304 sends nothing) and the pages of items not seen before are added. Every page
/// prov fetched is fetched again (conditionally too); one whose article text changed is
/// recorded as a new version, printed here, and reported by `prov check --sources` until
/// acknowledged. A page whose markup changed but not its text is a fetch of the same
/// version. With `--every`, it runs again after each interval until interrupted.
///
///     prov watch
///     prov watch --every 30m --exit-code
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Run again after this long (seconds, or a number with s, m or h), until interrupted.
    #[arg(long, value_name = "DURATION", value_parser = parse_interval)]
    every: Option<std::time::Duration>,
    /// Poll the feeds only; do not re-fetch the pages already stored.
    #[arg(long)]
    feeds_only: bool,
    /// Exit 1 when a page was edited since it was last fetched.
    #[arg(long)]
    exit_code: bool,
    /// List the tracked feeds (items seen, when each was added and last polled); fetch
    /// nothing.
    #[arg(long, conflicts_with_all = ["every", "feeds_only", "exit_code"])]
    list: bool,
    #[command(flatten)]
    web: super::web::FetchArgs,
}

fn parse_interval(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let (number, scale) = match t.chars().last() {
        Some('h') => (&t[..t.len() - 1], 3600.0),
        Some('m') => (&t[..t.len() - 1], 60.0),
        Some('s') => (&t[..t.len() - 1], 1.0),
        _ => (t, 1.0),
    };
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not an interval (e.g. 90, 30m or 6h)"))?;
    let secs = n * scale;
    if !(1.0..=7.0 * 86_400.0).contains(&secs) {
        return Err(format!(
            "{s:?}: the interval must be between 1 second and a week"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// What one round found.
#[derive(Default)]
struct Round {
    new_pages: usize,
    edited: usize,
    refetched: usize,
    failed: usize,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    if args.list {
        for feed in store.feeds()? {
            if out.json {
                out.json_line(&feed)?;
            } else {
                writeln!(
                    out,
                    "{}  {} {}, added {}, last polled {}{}",
                    feed.url,
                    feed.items,
                    if feed.items == 1 { "item" } else { "items" },
                    feed.added_at,
                    feed.polled_at.as_deref().unwrap_or("never"),
                    feed.title
                        .as_deref()
                        .map(|t| format!("  ({t})"))
                        .unwrap_or_default()
                )?;
            }
        }
        return Ok(exit::SUCCESS);
    }
    loop {
        // Each round reads robots.txt afresh.
        let options = AddOptions {
            fetch: args.web.options(),
            ..AddOptions::default()
        };
        let round = watch_once(&mut store, &args, &options, out)?;
        note(format!(
            "{} new {}; {} {} re-fetched: {} edited{}",
            round.new_pages,
            if round.new_pages == 1 {
                "page"
            } else {
                "pages"
            },
            round.refetched,
            if round.refetched == 1 {
                "page"
            } else {
                "pages"
            },
            round.edited,
            match round.failed {
                0 => String::new(),
                n => format!(", {n} could not be fetched"),
            }
        ));
        let Some(every) = args.every else {
            return Ok(if round.failed > 0 {
                exit::ERROR
            } else if args.exit_code && round.edited > 0 {
                exit::FINDING
            } else {
                exit::SUCCESS
            });
        };
        out.flush()?;
        std::thread::sleep(every);
    }
}

fn watch_once(
    store: &mut prov::Store,
    args: &Args,
    options: &AddOptions,
    out: &mut Out,
) -> Result<Round, CommandError> {
    let mut round = Round::default();
    let mut write_err: Option<std::io::Error> = None;
    let json = out.json;
    let mut report =
        |out: &mut Out, summary: &AddSummary, round: &mut Round, only_changes: bool| {
            for added in &summary.added {
                let outcome = added.outcome();
                match outcome {
                    "added" => round.new_pages += 1,
                    "new-version" => round.edited += 1,
                    _ => {}
                }
                if only_changes && !matches!(outcome, "added" | "new-version") {
                    continue;
                }
                if let Err(e) = super::add::write_added(out, added, Some("page")) {
                    write_err.get_or_insert(e);
                }
            }
            for e in &summary.refused {
                round.failed += 1;
                note(format!("error: {e}"));
            }
        };
    let mut fresh = std::collections::HashSet::new();
    for tracked in store.feeds()? {
        match feed::poll(store, &tracked.url, options, &mut |_| {}) {
            Ok((polled, summary)) => {
                if json {
                    let mut v = serde_json::to_value(&polled).map_err(std::io::Error::other)?;
                    v["event"] = json!("feed");
                    out.json_line(&v)?;
                } else {
                    note(super::add::poll_note(&polled));
                }
                fresh.extend(summary.added.iter().map(|a| a.path.clone()));
                report(out, &summary, &mut round, false);
            }
            Err(FeedError::Store(e)) => return Err(e.into()),
            Err(FeedError::Add(e)) => return Err(e.into()),
            Err(e) => {
                round.failed += 1;
                note(format!("error: {e}"));
            }
        }
    }
    if !args.feeds_only {
        let mut urls: Vec<Input> = Vec::new();
        for url in store.fetched_urls()? {
            if !fresh.contains(&url) {
                urls.push(as_published(store, url)?);
            }
        }
        round.refetched = urls.len();
        let summary = ingest::add(store, urls, options, &mut |_| {})?;
        report(out, &summary, &mut round, true);
    }
    if let Some(e) = write_err {
        return Err(e.into());
    }
    Ok(round)
}

/// A page to re-fetch, with what its newest version's publication says (outlet, date,
/// author: from a feed item, a sidecar or flags) to fill in what the page leaves out, so an
/// edit of a page that never dated itself keeps the date its feed gave it.
fn as_published(store: &prov::Store, url: String) -> Result<Input, CommandError> {
    use prov::model::{Metadata, SourceKind, SourceRef};
    let source = SourceRef {
        kind: SourceKind::Url,
        locator: url.clone(),
    };
    let Some((doc, _)) = store.newest_version_text(&source)? else {
        return Ok(Input::Url(url));
    };
    let publications = store.publications(&doc)?;
    let Some(p) = publications
        .iter()
        .find(|p| p.source.as_ref().is_some_and(|s| s.locator == url))
    else {
        return Ok(Input::Url(url));
    };
    let meta = Metadata {
        outlet: p.outlet.clone(),
        published: p.published.clone(),
        author: p.author.clone(),
        ..Metadata::default()
    };
    if meta.outlet.is_none() && meta.published.is_none() && meta.author.is_none() {
        return Ok(Input::Url(url));
    }
    Ok(Input::Linked {
        url,
        meta: Box::new(meta),
    })
}
