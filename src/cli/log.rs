use std::io::Write;

use serde_json::json;

use super::output::{column_width, outlets_line, short_date};
use super::{CommandError, Context, Out, cwd, exit};

/// List stored documents, newest first by first publication date (undated ones last): id,
/// date, outlet (with how many other outlets published the same bytes), title.
///
/// With --versions, list one source's versions in the order they were added.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the versions of this URL or path instead.
    #[arg(long, value_name = "URL-OR-PATH")]
    versions: Option<String>,
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
        for v in versions {
            let doc = store.document(&v.doc)?;
            let title = doc.as_ref().and_then(|d| d.meta.title.clone());
            if out.json {
                out.json_line(&json!({
                    "source": source, "version": v.seq, "id": v.doc, "added_at": v.added_at,
                    "size": doc.as_ref().map(|d| d.size), "title": title,
                }))?;
            } else {
                writeln!(
                    out,
                    "{:>3}  {}  added {}  {}",
                    v.seq,
                    v.doc.short(),
                    v.added_at,
                    title.as_deref().unwrap_or("-")
                )?;
            }
        }
        return Ok(exit::SUCCESS);
    }

    let docs = store.log()?;
    let outlets: Vec<String> = docs.iter().map(|d| outlets_line(&d.publications)).collect();
    let outlet_width = column_width(outlets.iter(), 24);
    for (doc, outlet) in docs.iter().zip(&outlets) {
        if out.json {
            out.json_line(doc)?;
        } else {
            let outlet: String = outlet.chars().take(outlet_width).collect();
            writeln!(
                out,
                "{}  {:<10}  {:<outlet_width$}  {}",
                doc.id.short(),
                short_date(doc.meta.published.as_deref()),
                outlet,
                doc.meta.title.as_deref().unwrap_or("-"),
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
