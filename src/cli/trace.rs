use std::io::Write;

use prov::export::{Export, ProvO};
use prov::verify::{self, VerifyOptions};

use super::output::{color_stdout, short_date};
use super::verify::render_diff;
use super::{CommandError, Context, Out, exit};

/// Show every appearance of a quotation across outlets, in publication order: each
/// publication of each document that holds it, verbatim or drifted, with the earliest
/// appearance and the earliest verbatim one marked, and where the wording or the speaker
/// changed. Undated publications come last.
///
/// Give a quotation id (or a unique prefix of 4+ hex characters, from `prov quotes`) or
/// the text itself.
///
/// `--format prov` prints the trace as W3C PROV-O (JSON-LD, one line): each appearance an
/// entity quoted from the earliest one, with its publication date and the revisions of
/// its source.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A quotation id or prefix, or the quoted text.
    quote: String,
    /// Output format (default: human, or json with --json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
}

/// What `prov trace` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: each appearance in publication order.
    Human,
    /// The report as JSON, one object.
    Json,
    /// W3C PROV-O (JSON-LD): appearances as entities, quotation and revision links.
    Prov,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let from = match store.quote(&args.quote) {
        Ok(q) => Some(q),
        Err(prov::store::Error::BadId(_) | prov::store::Error::UnknownQuote(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let text = from
        .as_ref()
        .map_or_else(|| args.quote.clone(), |q| q.quote.text.clone());
    let report = verify::trace(&store, &text, from.as_ref(), &VerifyOptions::default())?;
    let format = match args.format {
        Some(f) => f,
        None if out.json => Format::Json,
        None => Format::Human,
    };
    match format {
        Format::Json => {
            out.json_line(&report)?;
            return Ok(exit::SUCCESS);
        }
        Format::Prov => {
            let graph = ProvO::from_store(&store, &report)?;
            out.json_line(&graph.to_json_ld(&report))?;
            return Ok(exit::SUCCESS);
        }
        Format::Human => {}
    }
    let color = color_stdout();
    writeln!(out, "trace of “{}”", report.query)?;
    if report.appearances.is_empty() {
        writeln!(out, "  not found in any stored document")?;
        return Ok(exit::FINDING);
    }
    let from = match report.outlets {
        0 => String::new(),
        n => format!(" from {n} outlet{}", plural(n)),
    };
    writeln!(
        out,
        "  {} appearance{} in {} document{}{from}",
        report.appearances.len(),
        plural(report.appearances.len()),
        report.documents,
        plural(report.documents),
    )?;
    if !report.complete {
        writeln!(
            out,
            "  note: not every document was compared (a quotation of fewer than 4 words held \
             by too many documents); give more words"
        )?;
    }
    let firsts = report.appearances.iter().filter(|a| a.first).count();
    let first_verbatims = report
        .appearances
        .iter()
        .filter(|a| a.first_verbatim)
        .count();
    if firsts == 0 {
        writeln!(
            out,
            "  note: the earliest appearances are undated, so which came first is unknown (give dates with --published or a sidecar)"
        )?;
    } else if firsts > 1 {
        writeln!(
            out,
            "  note: {firsts} appearances share the earliest date; which came first is unknown"
        )?;
    }
    let tie = |n: usize| {
        if n > 1 {
            format!(" (one of {n})")
        } else {
            String::new()
        }
    };
    for a in &report.appearances {
        let e = &a.evidence;
        let label = match (a.first, a.first_verbatim) {
            (true, true) => format!("first appearance{}", tie(firsts)),
            (true, false) => format!("first appearance (in other words){}", tie(firsts)),
            (false, true) => format!("first verbatim appearance{}", tie(first_verbatims)),
            (false, false) => "reprint".to_owned(),
        };
        writeln!(
            out,
            "\n  {:<10}  {}  {}  [{}]  {}",
            short_date(e.published.as_deref()),
            e.doc.short(),
            e.outlet.as_deref().unwrap_or("-"),
            e.verdict.as_str(),
            label
        )?;
        if let Some(t) = &e.title {
            writeln!(out, "    “{t}”")?;
        }
        if let Some(p) = &a.publication {
            match (&p.source, p.published.is_none()) {
                (Some(s), true) => writeln!(
                    out,
                    "    {}  (undated; {} {})",
                    s.locator,
                    recorded(p.recorded_by),
                    p.recorded_at
                )?,
                (Some(s), false) => writeln!(out, "    {}", s.locator)?,
                (None, true) => writeln!(
                    out,
                    "    (undated; {} {})",
                    recorded(p.recorded_by),
                    p.recorded_at
                )?,
                (None, false) => {}
            }
        }
        if let Some(newer) = &e.superseded_by {
            writeln!(out, "    superseded by {}", newer.short())?;
        }
        let corrected = if e.speaker_corrected {
            " (speaker corrected by hand)"
        } else {
            ""
        };
        match &e.speaker {
            Some(s) => writeln!(out, "    said by {s}{corrected}")?,
            None => writeln!(out, "    no speaker given there{corrected}")?,
        }
        if let Some(was) = &a.speaker_changed_from {
            writeln!(
                out,
                "    speaker changed: {was} → {}",
                e.speaker.as_deref().unwrap_or("-")
            )?;
        }
        if let Some(part) = &a.quotes_part {
            writeln!(out, "    quotes only part of it, word for word: “{part}”")?;
        }
        if !a.changes.is_empty() {
            writeln!(
                out,
                "    wording changed: {}",
                render_diff(&a.changes, color)
            )?;
        }
    }
    Ok(exit::SUCCESS)
}

fn recorded(by: prov::model::RecordedBy) -> &'static str {
    match by {
        prov::model::RecordedBy::Add => "added",
        prov::model::RecordedBy::Fetch => "fetched",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
