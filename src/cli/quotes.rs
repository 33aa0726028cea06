use std::io::Write;

use prov::model::QuoteKind;
use prov::store::quotes::QuoteFilter;

use super::output::{column_width, ellipsize};
use super::{CommandError, Context, Out, exit};

/// List quotations found in stored documents: id, speaker, document, text.
///
/// Titles, names and scare quotes (kind `term`) are left out unless asked for with
/// `--kind term`.
#[derive(Debug, clap::Args)]
pub struct Args {
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

/// The kinds by name, listed in `--help`, completions and errors.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = QuoteKind> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["direct", "partial", "transcript", "term"])
        .try_map(|s| QuoteKind::parse(&s).ok_or(format!("{s:?} is not a kind")))
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
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
    let mut shown = 0;
    for q in &quotes {
        shown += 1;
        if out.json {
            out.json_line(q)?;
        } else {
            let speaker: String = q
                .quote
                .speaker
                .as_deref()
                .unwrap_or("-")
                .chars()
                .take(width)
                .collect();
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
    if shown == 0 && !out.json {
        super::output::note(match (&args.speaker, &args.text) {
            (Some(s), _) => format!("no quotations by {s:?}; `prov speakers` lists who is quoted"),
            (None, Some(t)) => format!("no quotations hold all of {t:?}"),
            (None, None) => "no quotations found".to_owned(),
        });
    }
    Ok(exit::SUCCESS)
}
