use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

use prov::Store;
use prov::export::{ClaimReview, Export, WebAnnotation};
use prov::model::{Change, DiffOp, Verdict};
use prov::verify::{self, VerifyOptions, VerifyReport};

use super::output::{color_stdout, paint, short_date};
use super::{CommandError, Context, Out, exit};

/// Check a quotation against the store: which sources support it, where, said by whom,
/// and how the wording differs.
///
/// The verdict is `exact`, `normalized` (only typography, case, hyphenation or spacing
/// differ), `elided` (the pieces around "…" appear in order in one passage; the diff shows
/// what was left out), `elided-meaning` (elided, but what is left out is a negation, a
/// condition or a number), `altered` (words differ; the diff shows which),
/// `misattributed` (with --speaker: found, but every source gives it to someone else) or
/// `unsupported`. Exit code 0 when supported (exact, normalized, elided), 1 when not.
///
/// `--format claimreview` prints a schema.org ClaimReview and `--format annotation` a W3C
/// Web Annotation collection (one annotation per source passage), each as one JSON-LD
/// document on one line; with --batch, one such document per line, in the same order.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The quotation to check.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    quote: Option<String>,
    /// Who the quotation is attributed to: the attribution is checked too.
    #[arg(long)]
    speaker: Option<String>,
    /// Check one quotation per line of FILE (`-` for standard input), in one process;
    /// one result per line, in the same order.
    #[arg(long, value_name = "FILE")]
    batch: Option<PathBuf>,
    /// How many sources to show in the human output (JSON lists them all).
    #[arg(long, default_value_t = 5, value_name = "N")]
    show: usize,
    /// Show every source in the human output.
    #[arg(long, conflicts_with = "show")]
    all: bool,
    /// Output format (default: human, or json with --json).
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
}

/// What `prov verify` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people: the verdict, then each source with its passage.
    Human,
    /// The report as JSON, one object per line.
    Json,
    /// A schema.org ClaimReview (JSON-LD): the claim, its appearances, a rating.
    Claimreview,
    /// W3C Web Annotation (JSON-LD): one annotation per source passage.
    Annotation,
}

pub fn run(args: Args, ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    let store = ctx.store()?;
    let options = VerifyOptions {
        speaker: args.speaker.clone(),
        ..VerifyOptions::default()
    };
    let color = color_stdout();
    let show = if args.all { usize::MAX } else { args.show };
    let format = match args.format {
        Some(f) => f,
        None if out.json => Format::Json,
        None => Format::Human,
    };
    let mut all_supported = true;
    let mut check = |quote: &str, out: &mut Out| -> Result<(), CommandError> {
        let report = run_one(&store, quote, &options)?;
        all_supported &= report.verdict.supports();
        match format {
            Format::Json => out.json_line(&report)?,
            Format::Human => render(out, &report, show, color)?,
            Format::Claimreview => {
                let review = ClaimReview::today(args.speaker.clone());
                out.json_line(&review.to_json_ld(&report))?;
            }
            Format::Annotation => {
                let annotations = WebAnnotation::from_store(&store, &report)?;
                out.json_line(&annotations.to_json_ld(&report))?;
            }
        }
        Ok(())
    };
    match &args.batch {
        Some(path) => {
            let (reader, name): (Box<dyn Read>, String) = if path.as_os_str() == "-" {
                (Box::new(std::io::stdin()), "standard input".into())
            } else {
                let f = std::fs::File::open(path)
                    .map_err(|e| CommandError::new(format!("{}: {e}", path.display())))?;
                (Box::new(f), path.display().to_string())
            };
            let mut lines = BufReader::new(reader);
            let mut buf = Vec::new();
            for n in 1.. {
                buf.clear();
                // One quotation per line; a line is read only up to the limit, so an
                // endless one (`/dev/zero`) is refused rather than held in memory.
                let read = (&mut lines)
                    .take(MAX_BATCH_LINE as u64 + 1)
                    .read_until(b'\n', &mut buf)
                    .map_err(|e| CommandError::new(format!("{name}: line {n}: {e}")))?;
                if read == 0 {
                    break;
                }
                if buf.len() > MAX_BATCH_LINE {
                    return Err(CommandError::usage(format!(
                        "{name}: line {n} is longer than {MAX_BATCH_LINE} bytes"
                    ))
                    .hint("give one quotation per line"));
                }
                let line = String::from_utf8(std::mem::take(&mut buf)).map_err(|_| {
                    CommandError::usage(format!("{name}: line {n} is not UTF-8 text"))
                })?;
                if line.trim().is_empty() {
                    continue;
                }
                check(line.trim_end_matches(['\n', '\r']), out)?;
            }
        }
        None => check(args.quote.as_deref().unwrap_or_default(), out)?,
    }
    Ok(if all_supported {
        exit::SUCCESS
    } else {
        exit::FINDING
    })
}

/// The longest line `--batch` reads: far more than the longest quotation aligned.
const MAX_BATCH_LINE: usize = 64 * 1024;

fn run_one(
    store: &Store,
    quote: &str,
    options: &VerifyOptions,
) -> Result<VerifyReport, CommandError> {
    Ok(verify::verify(store, quote, options)?)
}

fn render(out: &mut Out, r: &VerifyReport, show: usize, color: bool) -> std::io::Result<()> {
    let code = match r.verdict {
        Verdict::Exact | Verdict::Normalized | Verdict::Elided => "1;32",
        Verdict::ElidedMeaning | Verdict::Altered | Verdict::Misattributed => "1;33",
        Verdict::Unsupported => "1;31",
    };
    let summary = match r.verdict {
        Verdict::Unsupported => {
            "no stored document has this text or anything close to it".to_owned()
        }
        Verdict::Misattributed if r.said_by_confident == Some(false) => format!(
            "the sources give it to {}, though their attribution is unsure",
            r.said_by.join(", ")
        ),
        Verdict::Misattributed => format!("the sources give it to {}", r.said_by.join(", ")),
        Verdict::Altered if !r.said_by.is_empty() => format!(
            "the closest passage differs in wording, and the sources give it to {}",
            r.said_by.join(", ")
        ),
        Verdict::Altered => "the closest passage differs in wording".to_owned(),
        Verdict::ElidedMeaning => {
            let omitted: Vec<String> = r
                .evidence
                .first()
                .map(|e| e.omits.iter().map(|w| format!("“{w}”")).collect())
                .unwrap_or_default();
            format!(
                "the elision leaves out {}, which changes what the source says",
                omitted.join(", ")
            )
        }
        _ if r.documents == 0 => format!(
            "found only in {} superseded version{} (the source has changed since)",
            r.superseded,
            plural(r.superseded)
        ),
        _ => {
            let mut s = format!(
                "supported by {} document{}",
                r.documents,
                plural(r.documents)
            );
            if r.outlets > 0 {
                s.push_str(&format!(" from {} outlet{}", r.outlets, plural(r.outlets)));
            }
            if r.superseded > 0 {
                s.push_str(&format!(
                    ", and {} superseded version{}",
                    r.superseded,
                    plural(r.superseded)
                ));
            }
            s
        }
    };
    writeln!(out, "{}  {summary}", paint(r.verdict.as_str(), code, color))?;
    writeln!(out, "  quote: “{}”", r.query)?;
    if !r.complete {
        writeln!(
            out,
            "  note: not every document was compared: the quotation is too short to look up \
             by its phrases, and too many documents hold all its words; give more words"
        )?;
    }
    for e in r.evidence.iter().take(show) {
        writeln!(out)?;
        let mut head = vec![e.doc.short()];
        head.push(format!("[{}]", e.verdict.as_str()));
        if let Some(o) = &e.outlet {
            head.push(o.clone());
        }
        head.push(short_date(e.published.as_deref()).to_owned());
        if let Some(t) = &e.title {
            head.push(format!("“{t}”"));
        }
        writeln!(out, "  {}", head.join("  "))?;
        if let Some(u) = &e.url {
            writeln!(out, "    {u}")?;
        }
        if e.publications.len() > 1 {
            let others: Vec<String> = e.publications[1..]
                .iter()
                .map(|p| {
                    format!(
                        "{} {}",
                        p.outlet.as_deref().unwrap_or("-"),
                        short_date(p.published.as_deref())
                    )
                })
                .collect();
            writeln!(out, "    also published by: {}", others.join("; "))?;
        }
        if let Some(newer) = &e.superseded_by {
            writeln!(
                out,
                "    superseded by {}: the source has changed since this version",
                newer.short()
            )?;
        }
        let who = match (&e.speaker, &e.mention) {
            _ if e.speaker_corrected => match &e.speaker {
                Some(s) => format!("said by {s} (speaker corrected by hand)"),
                None => "no speaker (corrected by hand)".to_owned(),
            },
            (Some(s), Some(m)) if m != s => format!("said by {s} (as “{m}”)"),
            (Some(s), _) => format!("said by {s}"),
            (None, Some(m)) => format!("attributed to “{m}”"),
            (None, None) => "not a quotation with a speaker there".to_owned(),
        };
        writeln!(
            out,
            "    {who}; characters {}–{}; similarity {:.3}",
            e.start, e.end, e.similarity
        )?;
        writeln!(
            out,
            "    …{}{}{}…",
            e.before,
            // Bold and underlined on a terminal, else in brackets; not «…», which are
            // quotation marks in the sources themselves.
            if color {
                paint(&e.text, "1;4", true)
            } else {
                format!("[[{}]]", e.text)
            },
            e.after
        )?;
        if e.diff.iter().any(|c| c.op != DiffOp::Equal) {
            writeln!(out, "    wording: {}", render_diff(&e.diff, color))?;
        }
    }
    if r.evidence.len() > show {
        let rest = &r.evidence[show..];
        let mut outlets: Vec<&str> = rest
            .iter()
            .flat_map(|e| e.publications.iter().filter_map(|p| p.outlet.as_deref()))
            .collect();
        outlets.sort_unstable();
        outlets.dedup();
        let from = match outlets.len() {
            0 => String::new(),
            n => format!(" from {n} outlet{}", plural(n)),
        };
        writeln!(
            out,
            "\n  … and {} more{from} (--show N or --all to list them, --json for all)",
            rest.len(),
        )?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A word diff for people: `nothing changed for [-three-] {+two+} years`.
pub fn render_diff(diff: &[Change], color: bool) -> String {
    diff.iter()
        .map(|c| match c.op {
            DiffOp::Delete => paint(&format!("[-{}-]", c.text), "31", color),
            DiffOp::Insert => paint(&format!("{{+{}+}}", c.text), "32", color),
            _ => c.text.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
