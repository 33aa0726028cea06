use std::io::Write;

use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Print a document's exact stored bytes, or with --text the text prov reads.
///
/// For a plain-text document the two are the same text; for an HTML page --text prints
/// the article text (headline and paragraphs) that quote offsets and evidence refer to.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document id or a unique prefix of at least 4 hex characters.
    id: String,
    /// Print the text prov reads (an HTML page's article text) instead of the raw bytes.
    #[arg(long)]
    text: bool,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let id = super::document_named(&store, &args.id)?;
    if let Some(r) = store.removal(&id)? {
        if let Some(at) = &r.purged_at {
            return Err(CommandError::new(format!(
                "{} was removed ({}) and its bytes deleted by `prov gc` on {at}",
                id.short(),
                r.reason
            ))
            .hint("add the original file or URL again to bring its bytes back"));
        }
        super::output::note(super::rm::describe(&r));
    }
    let path = store.objects().path(&id);
    let read_err = |e: std::io::Error| {
        CommandError::new(format!("reading object {}: {e}", path.display()))
            .hint("run `prov fsck` to check the store")
    };
    if out.json || args.text {
        let doc = store
            .document(&id)?
            .ok_or_else(|| prov::store::Error::UnknownDocument(args.id.clone()))?;
        let text = prov::text::stored_text(store.objects(), &id, doc.text_id.as_ref())?;
        if out.json {
            out.json_line(&json!({
                "id": id, "encoding": doc.encoding, "format": doc.format, "text": text
            }))?;
        } else {
            // The text as stored, byte for byte: cat is how it leaves prov.
            out.raw().write_all(text.as_bytes())?;
            if !text.ends_with('\n') && !text.is_empty() {
                out.raw().write_all(b"\n")?;
            }
            out.flush()?;
        }
    } else {
        let mut file = store.objects().open(&id).map_err(read_err)?;
        std::io::copy(&mut file, out.raw())?;
        out.flush()?;
    }
    Ok(exit::SUCCESS)
}
