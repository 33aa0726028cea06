use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use prov::extract::{self, CharOffsets, Hints};
use prov::model::QuoteKind;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::{CommandError, Context, Out, exit};

/// Extract quotations and speakers from JSON lines, without a store.
///
/// Reads one JSON object per line, `{"id", "text"}` (optionally `title`, `interviewer`,
/// `interviewee`, `speakers`), and writes one line per input:
/// `{"id", "quotes": [{"start", "end", "text", "speaker", "speaker_start", "speaker_end",
/// "speaker_name", "kind", "confidence"}]}`. Offsets are Unicode code points into `text`,
/// quotation marks excluded; `speaker_start`/`speaker_end` locate the mention in the
/// attribution clause and `speaker_name` is the person it resolves to.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read and write JSON lines (the only format for now).
    #[arg(long, required = true)]
    jsonl: bool,
    /// Also list titles, names and scare quotes (kind `term`).
    #[arg(long)]
    terms: bool,
    /// Input file; `-` or nothing reads standard input.
    input: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    interviewer: Option<String>,
    #[serde(default)]
    interviewee: Option<String>,
    #[serde(default)]
    speakers: Vec<String>,
}

/// Lines per parallel batch: enough to keep every core busy, few enough to stream.
const BATCH: usize = 64;

pub fn run(args: Args, _ctx: &Context, out: &mut Out) -> Result<u8, CommandError> {
    // `--jsonl` is required: JSON lines are the only format so far, so nothing to choose.
    debug_assert!(args.jsonl);
    let (reader, name): (Box<dyn Read>, String) = match &args.input {
        Some(p) if p.as_os_str() != "-" => (
            Box::new(
                std::fs::File::open(p)
                    .map_err(|e| CommandError::new(format!("{}: {e}", p.display())))?,
            ),
            p.display().to_string(),
        ),
        _ => (Box::new(std::io::stdin()), "standard input".to_owned()),
    };
    let mut lines = BufReader::new(reader).lines().enumerate();
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for (n, line) in lines.by_ref() {
            let line =
                line.map_err(|e| CommandError::new(format!("{name}: line {}: {e}", n + 1)))?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line = serde_json::from_str(&line).map_err(|e| {
                CommandError::new(format!("{name}: line {}: {e}", n + 1))
                    .hint("each line must be a JSON object with \"id\" and \"text\"")
            })?;
            batch.push(parsed);
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<serde_json::Value> =
            batch.par_iter().map(|l| render(l, args.terms)).collect();
        for r in results {
            out.json_line(&r)?;
        }
    }
    Ok(exit::SUCCESS)
}

fn render(line: &Line, terms: bool) -> serde_json::Value {
    let hints = Hints {
        title: line.title.clone(),
        interviewer: line.interviewer.clone(),
        interviewee: line.interviewee.clone(),
        speakers: line.speakers.clone(),
    };
    let text = &line.text;
    let offsets = CharOffsets::new(text);
    let quotes: Vec<_> = extract::extract(text, &hints)
        .into_iter()
        .filter(|q| terms || q.kind != QuoteKind::Term)
        .map(|q| {
            let m = q.mention.as_ref();
            json!({
                "start": offsets.char_at(q.start),
                "end": offsets.char_at(q.end),
                "text": &text[q.start..q.end],
                "speaker": m.map(|m| &text[m.start..m.end]),
                "speaker_start": m.map(|m| offsets.char_at(m.start)),
                "speaker_end": m.map(|m| offsets.char_at(m.end)),
                "speaker_name": q.speaker,
                "kind": q.kind.as_str(),
                "confidence": (f64::from(q.confidence) * 100.0).round() / 100.0,
            })
        })
        .collect();
    json!({ "id": line.id, "quotes": quotes })
}
