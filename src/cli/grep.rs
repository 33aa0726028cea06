use std::io::Write;

use prov::grep::grep;
use serde_json::json;

use super::output::{color_stdout, outlets_line, paint, short_date};
use super::{CommandError, Context, Out, exit};

/// Search the store for words or a phrase: every document holding them in that order
/// (case, quotation marks, dashes and hyphenation aside), with its outlet, date and each
/// line that holds them. Exits 1 when nothing holds them.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The words to find, in order.
    #[arg(value_name = "WORDS")]
    pattern: String,
    /// List only the documents, not their lines.
    #[arg(short = 'l', long)]
    files_with_matches: bool,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let color = color_stdout();
    let json = out.json;
    let searched = grep(&store, &args.pattern, &mut |h| {
        let first = h.publications.first();
        if json {
            return out.json_line(&json!({
                "id": h.id,
                "outlet": first.and_then(|p| p.outlet.as_deref()),
                "published": first.and_then(|p| p.published.as_deref()),
                "publications": h.publications,
                "hits": if args.files_with_matches { json!([]) } else { json!(h.hits) },
            }));
        }
        writeln!(
            out,
            "{}  {:<10}  {}",
            h.id.short(),
            short_date(first.and_then(|p| p.published.as_deref())),
            outlets_line(&h.publications)
        )?;
        if args.files_with_matches {
            return Ok(());
        }
        for hit in &h.hits {
            // The line around the match, the match bold and underlined on a terminal, else
            // in brackets.
            let line: Vec<char> = hit.line_text.chars().collect();
            let at = hit.column - 1;
            let len = hit.end - hit.start;
            let from = at.saturating_sub(60);
            let to = (at + len + 60).min(line.len());
            let piece = |a: usize, b: usize| line[a.min(b)..b].iter().collect::<String>();
            let matched = piece(at, (at + len).min(line.len()));
            let shown = if color {
                paint(&matched, "1;4", true)
            } else {
                format!("[[{matched}]]")
            };
            writeln!(
                out,
                "    {}:{}: {}{}{}{}{}",
                hit.line,
                hit.column,
                if from > 0 { "…" } else { "" },
                piece(from, at),
                shown,
                piece((at + len).min(line.len()), to),
                if to < line.len() { "…" } else { "" },
            )?;
        }
        Ok(())
    })
    .map_err(|e| match e {
        prov::grep::GrepError::Store(s) => s.into(),
        prov::grep::GrepError::Output(e) => CommandError::from(e),
        other => CommandError::usage(other.to_string()),
    })?;
    if !searched.complete {
        super::output::note(format!(
            "these words are so common that {} documents holding them all were not read; add words to narrow the search",
            searched.left_out
        ));
    }
    if searched.holders == 0 {
        if !json {
            super::output::note(format!("no stored document holds {:?}", args.pattern));
        }
        return Ok(exit::FINDING);
    }
    Ok(exit::SUCCESS)
}
