use std::io::Write;

use prov::model::{DocFormat, QuoteKind};
use prov::store::quotes::QuoteFilter;
use serde_json::json;

use super::output::{ellipsize, short_date};

use super::{CommandError, Context, Out, exit};

/// Show a document: metadata, size, paths, and its place among its source's versions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Document id or a unique prefix of at least 4 hex characters.
    id: String,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let id = super::document_named(&store, &args.id)?;
    let doc = store
        .document(&id)?
        .ok_or_else(|| prov::store::Error::UnknownDocument(args.id.clone()))?;
    let paths = store.paths_of(&id)?;
    let lineage = store.lineage(&id)?;
    let quotes = store.quotes(&QuoteFilter {
        doc: Some(id),
        ..Default::default()
    })?;
    let fetches = store.fetches_of(&id)?;
    let removal = store.removal(&id)?;
    // The bytes behind what is shown, re-hashed: damaged evidence is said to be so.
    let mut damage: Vec<String> = Vec::new();
    if removal.as_ref().is_none_or(|r| r.purged_at.is_none()) {
        for (what, oid) in
            std::iter::once(("bytes", id)).chain(doc.text_id.map(|t| ("article text", t)))
        {
            match store.objects().rehash(&oid) {
                Ok(Some(h)) if h == oid => {}
                Ok(Some(h)) => damage.push(format!(
                    "its {what} are damaged (they now hash to {})",
                    h.short()
                )),
                Ok(None) => damage.push(format!("its {what} are missing")),
                Err(e) => damage.push(format!("its {what} cannot be read: {e}")),
            }
        }
    }
    let code = if damage.is_empty() {
        exit::SUCCESS
    } else {
        exit::FINDING
    };
    if out.json {
        out.json_line(&json!({
            "document": doc, "paths": paths, "sources": lineage, "fetches": fetches,
            "quotes": quotes, "removal": removal, "damage": damage
        }))?;
        return Ok(code);
    }
    writeln!(out, "document {}", doc.id)?;
    for d in &damage {
        writeln!(
            out,
            "{:<12}{d}: no evidence is served from it; add the original again to repair it (`prov fsck` checks the whole store)",
            "damaged:"
        )?;
    }
    if let Some(r) = &removal {
        let (purged, back) = match &r.purged_at {
            Some(at) => (
                format!("; bytes deleted by gc {at}"),
                "add the original file or URL again, then `prov rm --undo` restores it",
            ),
            None => (String::new(), "`prov rm --undo` restores it"),
        };
        writeln!(
            out,
            "{:<12}{} by {}: {}{purged} (out of the evidence; {back})",
            "removed:", r.removed_at, r.removed_by, r.reason
        )?;
    }
    let m = &doc.meta;
    let published = Some(m.published.clone().unwrap_or_else(|| "undated".to_owned()));
    for (label, value) in [
        ("title", &m.title),
        ("outlet", &m.outlet),
        ("published", &published),
        ("modified", &m.modified),
        ("author", &m.author),
        ("url", &m.url),
        ("lang", &m.lang),
        ("interviewer", &m.interviewer),
        ("interviewee", &m.interviewee),
    ] {
        if let Some(v) = value {
            writeln!(out, "{:<12}{v}", format!("{label}:"))?;
        }
    }
    if !m.speakers.is_empty() {
        writeln!(out, "{:<12}{}", "speakers:", m.speakers.join(", "))?;
    }
    if let Some(c) = doc
        .canonical
        .as_ref()
        .filter(|c| m.url.as_ref() != Some(*c))
    {
        writeln!(out, "{:<12}{c}", "canonical:")?;
    }
    let format = if doc.format == DocFormat::Html {
        ", HTML (quotes refer to its article text: `prov cat --text`)"
    } else {
        ""
    };
    writeln!(
        out,
        "{:<12}{} bytes, {}{format}",
        "size:", doc.size, doc.encoding
    )?;
    writeln!(out, "{:<12}{}", "added:", doc.added_at)?;
    if doc.publications.len() > 1 {
        writeln!(
            out,
            "{:<12}{} publications, earliest first:",
            "published:",
            doc.publications.len()
        )?;
        for p in &doc.publications {
            writeln!(out, "  {}", publication_line(p))?;
        }
    }
    for p in &paths {
        writeln!(out, "{:<12}{p}", "path:")?;
    }
    for f in &fetches {
        let mut line = format!("{} {}", f.fetched_at, f.status);
        if let Some(ct) = &f.content_type {
            line.push_str(&format!(" {ct}"));
        }
        if f.final_url != f.url {
            line.push_str(&format!(", redirected to {}", f.final_url));
        }
        if f.status == 304 {
            line.push_str(", not modified");
        }
        if let Some(archive) = &f.archive {
            line.push_str(&format!(", captured in {archive}"));
        }
        if let Some(object) = &f.object {
            line.push_str(&format!(
                ", markup changed but the article text did not (bytes kept as {})",
                object.short()
            ));
        }
        writeln!(out, "{:<12}{line}", "fetched:")?;
    }
    for l in &lineage {
        let n = l.versions.len();
        let prev = l
            .seq
            .checked_sub(2)
            .and_then(|i| l.versions.get(i as usize));
        let next = l.versions.get(l.seq as usize);
        let mut line = format!("version {} of {} of {}", l.seq, n, l.source.locator);
        if let Some(p) = prev {
            line.push_str(&format!("; previous {}", p.doc.short()));
        }
        if let Some(nx) = next {
            line.push_str(&format!("; next {}", nx.doc.short()));
        }
        writeln!(out, "{:<12}{line}", "source:")?;
    }
    let speech: Vec<_> = quotes
        .iter()
        .filter(|q| q.quote.kind != QuoteKind::Term)
        .collect();
    if !speech.is_empty() {
        let note = if speech.iter().any(|q| q.speaker_corrected) {
            "; * speaker corrected by hand"
        } else {
            ""
        };
        writeln!(out, "\nquotes ({}{note}):", speech.len())?;
    }
    for q in speech {
        let who = q
            .quote
            .speaker
            .as_deref()
            .or(q.quote.mention.as_deref())
            .unwrap_or("(no speaker)");
        let marked = if q.speaker_corrected { "*" } else { "" };
        writeln!(
            out,
            "  {}  {:<10} {who}{marked}: “{}”",
            &q.id[..12],
            q.quote.kind,
            ellipsize(&q.quote.text, 80)
        )?;
    }
    Ok(code)
}

/// One publication on one line: date, outlet, where, and when prov recorded it.
pub fn publication_line(p: &prov::model::Publication) -> String {
    let mut parts = vec![
        format!("{:<10}", short_date(p.published.as_deref())),
        p.outlet.clone().unwrap_or_else(|| "-".to_owned()),
    ];
    match &p.source {
        Some(s) => parts.push(s.locator.clone()),
        None => parts.push("(standard input)".to_owned()),
    }
    let how = match p.recorded_by {
        prov::model::RecordedBy::Add => "added",
        prov::model::RecordedBy::Fetch => "fetched",
    };
    parts.push(format!("({how} {})", p.recorded_at));
    parts.join("  ")
}
