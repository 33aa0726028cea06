use std::io::Write;

use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Print a document's exact stored bytes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document id or a unique prefix of at least 4 hex characters.
    id: String,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let id = store.resolve(&args.id)?;
    let path = store.objects().path(&id);
    let read_err = |e: std::io::Error| {
        CommandError::new(format!("reading object {}: {e}", path.display()))
            .hint("run `prov fsck` to check the store")
    };
    if out.json {
        let bytes = store.objects().read(&id).map_err(read_err)?;
        let decoded = prov::text::decode(&bytes)
            .map_err(|e| CommandError::new(format!("document {}: {e}", id.short())))?;
        out.json_line(&json!({ "id": id, "encoding": decoded.encoding, "text": decoded.text }))?;
    } else {
        let mut file = store.objects().open(&id).map_err(read_err)?;
        std::io::copy(&mut file, out)?;
        out.flush()?;
    }
    Ok(exit::SUCCESS)
}
