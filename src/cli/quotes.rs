use std::io::Write;

use prov::model::QuoteKind;
use prov::store::quotes::QuoteFilter;

use super::output::{column_width, ellipsize};
use super::{CommandError, Context, Out, exit};

/// List quotations found in stored documents: id, speaker, document, text; or correct
/// a quotation's speaker.
///
/// Titles, names and scare quotes (kind `term`) are left out unless asked for with
/// `--kind term`. A speaker set by hand (`prov quotes set-speaker`) is marked `*`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Only quotations by this person (a full name, or any name they were written as).
    #[arg(long)]
    speaker: Option<String>,
    /// Only quotations in this document (id or unique prefix).
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
    /// Only this kind: direct, partial, transcript or term.
    #[arg(long, value_parser = kind_parser())]
    kind: Option<QuoteKind>,
    /// Only quotations holding all these words, in any order (case, accents of quotation
    /// marks and dashes aside).
    #[arg(long, value_name = "WORDS")]
    text: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Set who said a quotation, as a person corrects extraction: the correction wins over
    /// extraction, survives re-extraction, travels with push and pull, and is marked in
    /// every output. `--none` says the quotation has no speaker.
    ///
    ///     prov quotes set-speaker 3f2a9c41 "Liz Cheney"
    ///     prov quotes set-speaker 3f2a9c41 --none
    #[command(verbatim_doc_comment)]
    SetSpeaker {
        /// The quotation's id or a unique prefix (`prov quotes` lists them).
        #[arg(value_name = "QUOTE-ID")]
        quote: String,
        /// Who said it.
        #[arg(required_unless_present = "none")]
        name: Option<String>,
        /// The quotation has no speaker.
        #[arg(long, conflicts_with = "name")]
        none: bool,
        /// Who is making the correction [default: $PROV_USER, else the login name].
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// List speaker corrections, newest first.
    Corrections,
}

/// The kinds by name, listed in `--help`, completions and errors.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = QuoteKind> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["direct", "partial", "transcript", "term"])
        .try_map(|s| QuoteKind::parse(&s).ok_or(format!("{s:?} is not a kind")))
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    match args.action {
        Some(Action::SetSpeaker {
            quote,
            name,
            none: _,
            by,
        }) => return set_speaker(ctx, out, &quote, name.as_deref(), by),
        Some(Action::Corrections) => return corrections(ctx, out),
        None => {}
    }
    let store = ctx.store()?;
    let doc = args.doc.as_deref().map(|d| store.resolve(d)).transpose()?;
    let quotes = store.quotes(&QuoteFilter {
        speaker: args.speaker.clone(),
        doc,
        kind: args.kind,
    })?;
    let wanted = args
        .text
        .as_deref()
        .map(prov::text::normalize::search_words)
        .unwrap_or_default();
    let quotes: Vec<_> = quotes
        .into_iter()
        .filter(|q| args.kind.is_some() || q.quote.kind != QuoteKind::Term)
        .filter(|q| wanted.is_empty() || prov::text::normalize::has_words(&q.quote.text, &wanted))
        .collect();
    let width = column_width(quotes.iter().filter_map(|q| q.quote.speaker.as_ref()), 28);
    let width = width + usize::from(quotes.iter().any(|q| q.speaker_corrected));
    let mut shown = 0;
    for q in &quotes {
        shown += 1;
        if out.json {
            out.json_line(q)?;
        } else {
            let mut speaker: String = q
                .quote
                .speaker
                .as_deref()
                .unwrap_or("-")
                .chars()
                .take(width)
                .collect();
            if q.speaker_corrected {
                speaker.push('*');
            }
            writeln!(
                out,
                "{}  {:<width$}  {}  “{}”",
                &q.id[..12],
                speaker,
                q.doc.short(),
                ellipsize(&q.quote.text, 90)
            )?;
        }
    }
    // A surname several people share lists them all: say whose quotations these are.
    if let Some(asked) = &args.speaker {
        let mut people: Vec<&str> = quotes
            .iter()
            .filter_map(|q| q.quote.speaker.as_deref())
            .collect();
        people.sort_unstable();
        people.dedup();
        if people.len() > 1 {
            super::output::note(format!(
                "{asked:?} names {} people: {}; give a full name for one of them",
                people.len(),
                people.join(", ")
            ));
        }
    }
    if shown == 0 && !out.json {
        super::output::note(match (&args.speaker, &args.text) {
            (Some(s), _) => format!("no quotations by {s:?}; `prov speakers` lists who is quoted"),
            (None, Some(t)) => format!("no quotations hold all of {t:?}"),
            (None, None) => "no quotations found".to_owned(),
        });
    }
    Ok(exit::SUCCESS)
}

fn set_speaker(
    ctx: &Context,
    out: &mut Out,
    quote: &str,
    name: Option<&str>,
    by: Option<String>,
) -> Result<u8, CommandError> {
    let mut store = ctx.store()?;
    let name = name.map(str::trim);
    if name.is_some_and(str::is_empty) {
        return Err(CommandError::usage(
            "give the speaker's name, or --none for a quotation without one",
        ));
    }
    let before = store.quote(quote)?;
    let by = super::actor(by);
    let fix = store.set_speaker(quote, name, &by, &prov::store::meta::now_rfc3339())?;
    if out.json {
        out.json_line(&fix)?;
        return Ok(exit::SUCCESS);
    }
    let was = before.quote.speaker.as_deref().unwrap_or("nobody");
    match &fix.speaker {
        Some(s) => writeln!(out, "{}  speaker set to {s} (was {was})", &fix.quote[..12])?,
        None => writeln!(out, "{}  speaker removed (was {was})", &fix.quote[..12])?,
    }
    Ok(exit::SUCCESS)
}

fn corrections(ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let all = store.speaker_corrections()?;
    for (doc, c) in &all {
        if out.json {
            out.json_line(&serde_json::json!({"document": doc, "correction": c}))?;
        } else {
            writeln!(
                out,
                "{}  {}  {}  by {} {}",
                &c.quote[..12],
                doc.short(),
                c.speaker.as_deref().unwrap_or("(no speaker)"),
                c.corrected_by,
                c.corrected_at
            )?;
        }
    }
    if all.is_empty() && !out.json {
        super::output::note("no speaker has been corrected");
    }
    Ok(exit::SUCCESS)
}
