use std::io::Write;

use prov::store::matches::GroupOrder;

use super::output::{ellipsize, short_date};
use super::{CommandError, Context, Out, exit};

/// List quotations printed by more than one document, as groups: each quotation and its
/// reprints (verbatim, normalised, elided, truncated or with drifted wording), found as
/// each document is added, with outlets and dates. Largest groups first.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only groups with a quotation in this document (id or unique prefix).
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
    /// List the groups with the most recently published reprint first.
    #[arg(long)]
    newest: bool,
    /// At most this many groups.
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let doc = args.doc.as_deref().map(|d| store.resolve(d)).transpose()?;
    let order = if args.newest {
        GroupOrder::Newest
    } else {
        GroupOrder::Largest
    };
    let groups = store.groups(doc.as_ref(), order, args.limit.unwrap_or(usize::MAX))?;
    for (i, g) in groups.iter().enumerate() {
        if out.json {
            out.json_line(g)?;
            continue;
        }
        if i > 0 {
            writeln!(out)?;
        }
        let text = g
            .members
            .first()
            .map(|m| m.quote.quote.text.as_str())
            .unwrap_or_default();
        let id = g.id.get(..12).unwrap_or(&g.id);
        writeln!(
            out,
            "{id}  {} documents, {} outlet{}  “{}”",
            g.documents,
            g.outlets,
            if g.outlets == 1 { "" } else { "s" },
            ellipsize(text, 80)
        )?;
        for m in &g.members {
            let how = match (&m.verdict, m.similarity) {
                (Some(v), Some(s)) => format!("{v} {s:.3}"),
                _ => "first stored".to_owned(),
            };
            writeln!(
                out,
                "    {:<10}  {}  {}  {}  {}",
                short_date(m.published.as_deref()),
                m.quote.doc.short(),
                m.outlet.as_deref().unwrap_or("-"),
                m.quote.quote.speaker.as_deref().unwrap_or("(no speaker)"),
                how
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
