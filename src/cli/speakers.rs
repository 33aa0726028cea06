use std::io::Write;

use super::{CommandError, Context, Out, exit};

/// List the people quoted in the store, with the other names they were written as.
///
/// Names are canonical across the store: a surname alone ("Dzhemilev") joins the one
/// full name that ends in it ("Mustafa Dzhemilev") when no other stored person shares it.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    for s in store.speakers()? {
        if out.json {
            out.json_line(&s)?;
            continue;
        }
        let also = if s.aliases.is_empty() {
            String::new()
        } else {
            format!("  (also: {})", s.aliases.join(", "))
        };
        let docs = if s.documents == 1 {
            "document"
        } else {
            "documents"
        };
        writeln!(
            out,
            "{:>5}  {}{also}  in {} {docs}",
            s.quotes, s.name, s.documents
        )?;
    }
    Ok(exit::SUCCESS)
}
