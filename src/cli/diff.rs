use std::io::Write;

use prov::Store;
use prov::diff::{self, Hunk, QuoteFate, QuoteSide};
use prov::model::{DiffOp, DocId};

use super::output::{color_stdout, paint, visible};
use super::{CommandError, Context, Out, cwd, exit};

/// Show what changed between two documents, or two versions of a source.
///
/// Each side is a document id (or unique prefix), a URL or path that was added (its latest
/// version), or `SOURCE@N` (version N of that source, as `prov log --versions SOURCE`
/// numbers them). Given one source alone, its last two versions are compared. Prints a word
/// diff of the texts (an HTML page's article text) paragraph by paragraph, `[-removed-]`
/// and `{+added+}` (in colour on a terminal), then the quotations that appeared, vanished
/// or changed, with their speakers.
///
///     prov diff https://example.com/story
///     prov diff https://example.com/story@1 https://example.com/story@3
///     prov diff 3f2a9c 77ac8d --json
///
/// Exit code 0, or with --exit-code 1 when the two differ.
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The older side: ID, URL, PATH or SOURCE@N.
    #[arg(value_name = "FROM")]
    from: String,
    /// The newer side; without it, FROM is a source and its last two versions are compared.
    #[arg(value_name = "TO")]
    to: Option<String>,
    /// Exit with 1 when the two differ (as `diff` does), 0 when they do not.
    #[arg(long)]
    exit_code: bool,
}

/// A side as a user named it: the document, and how to call it.
fn side(store: &Store, what: &str) -> Result<(DocId, String), CommandError> {
    if let Some((source, n)) = what.rsplit_once('@')
        && let Ok(n) = n.parse::<u32>()
    {
        let src = store.find_source(source, &cwd()?)?;
        let versions = store.versions(&src)?;
        let v = versions.iter().find(|v| v.seq == n).ok_or_else(|| {
            CommandError::usage(format!(
                "{source} has no version {n}: it has {} (`prov log --versions {source}`)",
                versions.len()
            ))
        })?;
        return Ok((v.doc, format!("{source} version {n}")));
    }
    match store.resolve(what) {
        Ok(id) => return Ok((id, id.short().to_owned())),
        Err(e @ prov::store::Error::Ambiguous { .. }) => return Err(e.into()),
        Err(_) => {}
    }
    let src = store.find_source(what, &cwd()?).map_err(|_| {
        CommandError::usage(format!(
            "no document or source matches {what:?}: give a document id, a URL or path that was added, or SOURCE@N"
        ))
    })?;
    let versions = store.versions(&src)?;
    let last = versions
        .last()
        .ok_or_else(|| CommandError::usage(format!("the source {what:?} has no document")))?;
    Ok((last.doc, format!("{what} version {}", last.seq)))
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let ((from, from_name), (to, to_name)) = match &args.to {
        Some(to) => (side(&store, &args.from)?, side(&store, to)?),
        None => {
            let src = store.find_source(&args.from, &cwd()?).map_err(|_| {
                CommandError::usage(format!(
                    "{:?} is not a source that was added: give a URL or path, or two sides to compare",
                    args.from
                ))
            })?;
            let versions = store.versions(&src)?;
            let [.., older, newer] = versions.as_slice() else {
                return Err(CommandError::usage(format!(
                    "{} has {} version{}: nothing to compare",
                    args.from,
                    versions.len(),
                    if versions.len() == 1 { "" } else { "s" }
                )));
            };
            (
                (older.doc, format!("{} version {}", args.from, older.seq)),
                (newer.doc, format!("{} version {}", args.from, newer.seq)),
            )
        }
    };
    let d = diff::documents(&store, &from, &to)?;
    let differ = !d.text.is_empty() || !d.quotes.is_empty();
    if out.json {
        out.json_line(&d)?;
    } else {
        render(out, &d, &from_name, &to_name)?;
    }
    Ok(if args.exit_code && differ {
        exit::FINDING
    } else {
        exit::SUCCESS
    })
}

fn render(out: &mut Out, d: &diff::DocumentDiff, from: &str, to: &str) -> Result<(), CommandError> {
    let color = color_stdout();
    writeln!(out, "--- {from} ({})", d.from.short())?;
    writeln!(out, "+++ {to} ({})", d.to.short())?;
    let t = &d.text;
    if t.is_empty() {
        writeln!(out, "the texts are the same")?;
    } else {
        writeln!(
            out,
            "{} paragraph{} changed, {} added, {} removed; {} word{} added, {} removed",
            t.paragraphs_changed,
            if t.paragraphs_changed == 1 { "" } else { "s" },
            t.paragraphs_added,
            t.paragraphs_removed,
            t.words_added,
            if t.words_added == 1 { "" } else { "s" },
            t.words_removed
        )?;
    }
    for h in &t.hunks {
        match h {
            Hunk::Same { paragraphs } => writeln!(
                out,
                "\n  … {paragraphs} paragraph{} unchanged …",
                if *paragraphs == 1 { "" } else { "s" }
            )?,
            Hunk::Changed { changes, .. } => {
                let mut line = String::new();
                for (i, c) in changes.iter().enumerate() {
                    let text = String::from_utf8_lossy(&visible(c.text.as_bytes())).into_owned();
                    // The space after a changed word goes outside its marks; a removed
                    // word's is dropped when added words follow in its place.
                    let words = text.trim_end();
                    let space = &text[words.len()..];
                    let replaced = c.op == DiffOp::Delete
                        && changes.get(i + 1).is_some_and(|n| n.op == DiffOp::Insert);
                    match c.op {
                        DiffOp::Equal => line.push_str(&text),
                        DiffOp::Delete => {
                            line.push_str(&paint(&format!("[-{words}-]"), "31", color));
                            line.push_str(if replaced { " " } else { space });
                        }
                        DiffOp::Insert => {
                            line.push_str(&paint(&format!("{{+{words}+}}"), "32", color));
                            line.push_str(space);
                        }
                    }
                }
                writeln!(out)?;
                for para in line.split("\n\n") {
                    writeln!(out, "  {}", para.trim_end())?;
                }
            }
        }
    }
    if !d.quotes.is_empty() {
        writeln!(out, "\nquotations:")?;
    }
    let said = |q: &QuoteSide| match &q.speaker {
        Some(s) => format!(" ({s})"),
        None => String::new(),
    };
    for q in &d.quotes {
        match (q.fate, &q.before, &q.after) {
            (QuoteFate::Appeared, _, Some(a)) => writeln!(out, "  + “{}”{}", a.text, said(a))?,
            (QuoteFate::Vanished, Some(b), _) => writeln!(out, "  - “{}”{}", b.text, said(b))?,
            (QuoteFate::Changed, Some(b), Some(a)) => {
                writeln!(out, "  ~ “{}”{}", b.text, said(b))?;
                writeln!(out, "    → “{}”{}", a.text, said(a))?;
            }
            _ => {}
        }
    }
    Ok(())
}
