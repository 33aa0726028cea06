use std::io::Write;

use prov::extract::names::speaker_kind;
use prov::model::SpeakerKind;

use super::output::note;
use super::{CommandError, Context, Out, exit};

/// List the people quoted in the store, with the other names they were written as.
///
/// Names are canonical across the store: a surname alone ("Dzhemilev") joins the one
/// full name that ends in it ("Mustafa Dzhemilev") when no other stored person shares it,
/// and a name with a middle initial ("Adam B. Schiff") joins the same name without it.
/// Speakers that are not people (organisations, places, groups such as "Critics" or
/// "Americans", and words that are not names) are listed only with --all, marked by kind.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// List every speaker, people and not, with its kind.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Make OTHER the same person as NAME: OTHER's quotations and names go to NAME, now
    /// and whenever documents are extracted again; recorded with who and when, and carried
    /// by push and pull.
    ///
    ///     prov speakers merge "Adam Schiff" "Rep. Schiff"
    Merge {
        /// The person to keep (a name or any name they were written as).
        name: String,
        /// Speakers that are the same person.
        #[arg(required = true)]
        others: Vec<String>,
        /// Who decides [default: $PROV_USER, else the login name].
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// List speaker merges, newest first.
    Merges,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    match args.action {
        Some(Action::Merge { name, others, by }) => return merge(ctx, out, &name, &others, by),
        Some(Action::Merges) => {
            let store = ctx.store()?;
            for m in store.speaker_merges()? {
                if out.json {
                    out.json_line(&m)?;
                } else {
                    writeln!(
                        out,
                        "{} = {}  by {} {}",
                        m.alias, m.name, m.merged_by, m.merged_at
                    )?;
                }
            }
            return Ok(exit::SUCCESS);
        }
        None => {}
    }
    let store = ctx.store()?;
    // An outlet the store holds publications from is a body when it is quoted ("Reuters
    // said"), whatever its name looks like.
    let outlets: std::collections::HashSet<String> = store
        .outlets()?
        .into_iter()
        .map(|o| o.to_lowercase())
        .collect();
    let mut others = 0;
    for s in store.speakers()? {
        let kind = match speaker_kind(&s.name) {
            SpeakerKind::Person if outlets.contains(&s.name.to_lowercase()) => {
                SpeakerKind::Organisation
            }
            kind => kind,
        };
        if kind != SpeakerKind::Person && !args.all {
            others += 1;
            continue;
        }
        if out.json {
            let mut v = serde_json::to_value(&s).map_err(|e| CommandError::new(e.to_string()))?;
            v["kind"] = serde_json::Value::from(kind.as_str());
            out.json_line(&v)?;
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
        let marked = match kind {
            SpeakerKind::Person => String::new(),
            other => format!("  [{other}]"),
        };
        writeln!(
            out,
            "{:>5}  {}{marked}{also}  in {} {docs}",
            s.quotes, s.name, s.documents
        )?;
    }
    if others > 0 && !out.json {
        note(format!(
            "{others} more speaker{} not people (organisations, places, groups, or words that are not names): `prov speakers --all` lists them",
            if others == 1 { " is" } else { "s are" }
        ));
    }
    Ok(exit::SUCCESS)
}

fn merge(
    ctx: &Context,
    out: &mut Out,
    name: &str,
    others: &[String],
    by: Option<String>,
) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let by = super::actor(by);
    let now = prov::store::meta::now_rfc3339();
    for other in others {
        let (merge, moved) = store.merge_speakers(name, other, &by, &now)?;
        if out.json {
            out.json_line(&serde_json::json!({"merge": merge, "quotes": moved}))?;
        } else {
            writeln!(
                out,
                "{} is {} now ({moved} quotation{} moved)",
                merge.alias,
                merge.name,
                if moved == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(exit::SUCCESS)
}
