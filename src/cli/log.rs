use std::io::Write;

use prov::model::PublicationFilter;
use serde_json::json;

use super::output::{column_width, fit_outlets, outlets_line, short_date};
use super::{CommandError, Context, Out, cwd, exit};

/// List stored documents, newest first by first publication date (undated ones last): id,
/// date, outlet (with how many other outlets published the same bytes), title.
///
/// --since, --until, --outlet and --author keep the documents with a publication that
/// meets them all (an undated publication meets no date condition).
///
/// With --versions, list one source's versions in the order they were added.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the versions of this URL or path instead.
    #[arg(long, value_name = "URL-OR-PATH")]
    versions: Option<String>,
    /// At most this many documents (or the latest this many versions).
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,
    /// Published on or after this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    since: Option<time::Date>,
    /// Published on or before this date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    until: Option<time::Date>,
    /// Published by an outlet whose name contains this (ignoring case).
    #[arg(long, value_name = "OUTLET")]
    outlet: Option<String>,
    /// Written by an author whose name contains this (ignoring case).
    #[arg(long, value_name = "AUTHOR")]
    author: Option<String>,
}

fn parse_date(value: &str) -> Result<time::Date, String> {
    prov::model::calendar_date(value)
        .filter(|_| value.len() == 10)
        .ok_or_else(|| format!("{value:?} is not a date: give it as YYYY-MM-DD, e.g. 2025-06-23"))
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    if let Some(what) = args.versions {
        let source = store.find_source(&what, &cwd()?)?;
        let versions = store.versions(&source)?;
        if !out.json {
            writeln!(
                out,
                "{} {}",
                serde_json::to_string(&source.kind)
                    .unwrap_or_default()
                    .trim_matches('"'),
                source.locator
            )?;
        }
        // The latest N, still in the order they were added.
        let skip = versions
            .len()
            .saturating_sub(args.limit.unwrap_or(usize::MAX));
        // Each version's text is read once and compared with the one before it.
        let mut previous = match skip.checked_sub(1) {
            Some(i) => Some(prov::text::document_text(&store, &versions[i].doc)?),
            None => None,
        };
        for v in versions.into_iter().skip(skip) {
            let doc = store.document(&v.doc)?;
            let title = doc.as_ref().and_then(|d| d.meta.title.clone());
            // What changed in the text since the version before, in words.
            let text = prov::text::document_text(&store, &v.doc)?;
            let changes = previous
                .as_deref()
                .map(|before| prov::diff::texts(before, &text));
            previous = Some(text);
            if out.json {
                let changes = changes.as_ref().map(|c| {
                    json!({
                        "paragraphs_changed": c.paragraphs_changed,
                        "paragraphs_added": c.paragraphs_added,
                        "paragraphs_removed": c.paragraphs_removed,
                        "words_added": c.words_added,
                        "words_removed": c.words_removed,
                    })
                });
                out.json_line(&json!({
                    "source": source, "version": v.seq, "id": v.doc, "added_at": v.added_at,
                    "size": doc.as_ref().map(|d| d.size), "title": title, "changes": changes,
                }))?;
            } else {
                let changed = changes
                    .map(|c| format!("  ({})", c.summary()))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{:>3}  {}  added {}  {}{changed}",
                    v.seq,
                    v.doc.short(),
                    v.added_at,
                    title.as_deref().unwrap_or("-")
                )?;
            }
        }
        return Ok(exit::SUCCESS);
    }

    let filter = PublicationFilter {
        since: args.since,
        until: args.until,
        outlet: args.outlet,
        author: args.author,
    };
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut docs = Vec::new();
    if limit > 0 {
        store.log_each(&mut |d| {
            if filter.is_empty() || d.publications.iter().any(|p| filter.matches(p)) {
                docs.push(d);
            }
            Ok(docs.len() < limit)
        })?;
    }
    let outlets: Vec<String> = docs.iter().map(|d| outlets_line(&d.publications)).collect();
    let outlet_width = column_width(outlets.iter(), 24);
    for (doc, outlet) in docs.iter().zip(&outlets) {
        if out.json {
            out.json_line(doc)?;
        } else {
            let outlet = fit_outlets(outlet, outlet_width);
            writeln!(
                out,
                "{}  {:<10}  {:<outlet_width$}  {}",
                doc.id.short(),
                short_date(doc.meta.published.as_deref()),
                outlet,
                // Untitled text files are known by where they came from.
                doc.meta
                    .title
                    .as_deref()
                    .or_else(|| doc
                        .publications
                        .iter()
                        .find_map(|p| p.source.as_ref())
                        .map(|s| s.locator.as_str()))
                    .unwrap_or("-"),
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
