use std::io::Write;

use super::output::ellipsize;
use super::{CommandError, Context, Out, exit};

/// List quotations found in more than one document: verbatim, normalised, elided or with
/// drifted wording, recorded when the later document was added.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only matches involving this document (id or unique prefix).
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let doc = args.doc.as_deref().map(|d| store.resolve(d)).transpose()?;
    for m in store.matches(doc.as_ref())? {
        let (a, b) = (store.quote(&m.quote)?, store.quote(&m.other)?);
        if out.json {
            out.json_line(&serde_json::json!({
                "verdict": m.verdict, "similarity": m.similarity, "quote": a, "other": b,
            }))?;
            continue;
        }
        writeln!(
            out,
            "{}  {:.3}  “{}”",
            m.verdict,
            m.similarity,
            ellipsize(&a.quote.text, 80)
        )?;
        for q in [&a, &b] {
            writeln!(
                out,
                "    {}  {}  {}",
                &q.id[..12],
                q.doc.short(),
                q.quote.speaker.as_deref().unwrap_or("(no speaker)")
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
