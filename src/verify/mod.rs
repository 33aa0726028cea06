//! Verifying a quotation against the store: which documents support it, where, said by
//! whom, and how the wording differs.

use std::time::Duration;

use serde::Serialize;

use crate::align::{self, Change, Query, Verdict};
use crate::extract::CharOffsets;
use crate::store::{self, DocId, Store};
use crate::text;

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Who the quotation is attributed to, to check the attribution too.
    pub speaker: Option<String>,
    /// How many candidate documents to align.
    pub candidates: usize,
    /// Time budget for aligning one document.
    pub deadline: Duration,
    /// A document to leave out (the one a quotation was found in).
    pub exclude: Option<DocId>,
    /// Check against this document only (a cited source).
    pub only: Option<DocId>,
    /// A passage less similar than this does not count as a source.
    pub min_similarity: f32,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            speaker: None,
            candidates: 12,
            deadline: Duration::from_millis(50),
            exclude: None,
            only: None,
            min_similarity: align::MIN_SIMILARITY,
        }
    }
}

/// One document's support for a quotation.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The document's full id.
    pub doc: DocId,
    pub verdict: Verdict,
    /// Unicode code point offsets of the passage in the document's text.
    pub start: usize,
    pub end: usize,
    /// The passage as the source has it.
    pub text: String,
    /// Up to a sentence of text around it, for people.
    #[serde(skip)]
    pub before: String,
    #[serde(skip)]
    pub after: String,
    pub similarity: f32,
    /// Who the source says spoke the passage, if it is a quotation there.
    pub speaker: Option<String>,
    /// The speaker as the source wrote them ("he", "the lawyer").
    pub mention: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub diff: Vec<Change>,
}

/// The answer to "is this quotation supported?".
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub query: String,
    pub verdict: Verdict,
    /// With a speaker to check: who the sources say spoke it instead, when none agrees.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub said_by: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// Why verification failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the quotation is empty: give some words to look for")]
    Empty,
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("reading document {doc}: {source}")]
    Object { doc: String, source: std::io::Error },
}

/// Verifies `quote` against every document in the store.
pub fn verify(
    store: &Store,
    quote: &str,
    options: &VerifyOptions,
) -> Result<VerifyReport, VerifyError> {
    let query = Query::new(quote);
    if query.is_empty() {
        return Err(VerifyError::Empty);
    }
    let mut evidence = Vec::new();
    let candidates = match options.only {
        Some(doc) => vec![doc],
        None => store.candidates(&query.terms(), options.candidates)?,
    };
    for doc_id in candidates {
        if options.exclude == Some(doc_id) {
            continue;
        }
        // The row first: it names the text object, and its metadata goes into evidence.
        let Some(row) = store.document(&doc_id)? else {
            continue;
        };
        let text = match text::stored_text(store.objects(), &doc_id, row.text_id.as_ref()) {
            Ok(t) => t,
            // A document prov cannot read as text supports nothing; fsck reports it.
            Err(store::Error::CorruptRow(_)) => continue,
            Err(store::Error::Io { path, source }) => {
                return Err(VerifyError::Object {
                    doc: format!("{} ({})", doc_id.short(), path.display()),
                    source,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let text = text.as_str();
        let doc = align::Document::new(text);
        let Some(p) = align::best_passage(&query, &doc, options.deadline) else {
            continue;
        };
        if p.similarity < options.min_similarity {
            continue;
        }
        let offsets = CharOffsets::new(text);
        let (start, end) = (offsets.char_at(p.range.start), offsets.char_at(p.range.end));
        let (speaker, mention) = store
            .speaker_at(&doc_id, start, end)?
            .unwrap_or((None, None));
        let meta = row.meta;
        evidence.push(Evidence {
            doc: doc_id,
            verdict: p.verdict,
            start,
            end,
            text: text[p.range.clone()].to_owned(),
            before: context_before(text, p.range.start),
            after: context_after(text, p.range.end),
            similarity: (p.similarity * 1000.0).round() / 1000.0,
            speaker,
            mention,
            outlet: meta.outlet,
            published: meta.published,
            url: meta.url,
            title: meta.title,
            diff: p.diff,
        });
    }
    // Strongest first, then by date so the first appearance shows.
    evidence.sort_by(|a, b| {
        a.verdict
            .cmp(&b.verdict)
            .then(b.similarity.total_cmp(&a.similarity))
            .then_with(|| match (&a.published, &b.published) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });
    let mut verdict = evidence.first().map_or(Verdict::Unsupported, |e| e.verdict);
    let mut said_by = Vec::new();
    if let Some(name) = options.speaker.as_deref().filter(|n| !n.trim().is_empty()) {
        let mut anyone_else = false;
        let mut confirmed = false;
        for e in &evidence {
            if let Some(s) = &e.speaker {
                if store.same_speaker(name.trim(), s)? {
                    confirmed = true;
                } else {
                    anyone_else = true;
                    if !said_by.contains(s) {
                        said_by.push(s.clone());
                    }
                }
            }
        }
        if !anyone_else || confirmed {
            said_by.clear();
        } else if verdict.supports() {
            // The words are the source's; the speaker is not. (Altered words stay
            // "altered", with who the sources name in `said_by`.)
            verdict = Verdict::Misattributed;
        }
    }
    Ok(VerifyReport {
        query: query.text.clone(),
        verdict,
        said_by,
        evidence,
    })
}

fn context_before(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(80)
        .map_or(0, |(i, _)| i);
    let s = &text[start..at];
    let s = s.rsplit('\n').next().unwrap_or(s);
    s.to_owned()
}

fn context_after(text: &str, at: usize) -> String {
    let end = text[at..]
        .char_indices()
        .nth(80)
        .map_or(text.len(), |(i, _)| at + i);
    let s = &text[at..end];
    s.split('\n').next().unwrap_or(s).to_owned()
}

/// One appearance of a quotation in a trace.
#[derive(Debug, Clone, Serialize)]
pub struct Appearance {
    #[serde(flatten)]
    pub evidence: Evidence,
    /// Whether this is the earliest appearance.
    pub first: bool,
    /// The wording against the first appearance, when it differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Set when this source gives the words to someone other than the first one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_changed_from: Option<String>,
}

/// Every appearance of a quotation across the store, in publication order.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    pub query: String,
    pub appearances: Vec<Appearance>,
}

/// Traces `quote` through the store: the first appearance, then every reprint, with where
/// the wording or the speaker changed on the way.
///
/// When `from` names a stored quotation, the quotations recorded as matching it at add
/// time are included too (a truncated reprint may be too short to verify the whole).
pub fn trace(
    store: &Store,
    quote: &str,
    from: Option<&store::quotes::StoredQuote>,
    options: &VerifyOptions,
) -> Result<TraceReport, VerifyError> {
    let report = verify(
        store,
        quote,
        &VerifyOptions {
            speaker: None,
            ..options.clone()
        },
    )?;
    let mut found: Vec<Evidence> = report.evidence.into_iter().collect();
    if let Some(qid) = from.map(|q| store.quote_row(&q.id)).transpose()?.flatten() {
        for (other, verdict, similarity) in store.matched_quotes(qid)? {
            let o = store.quote_by_row(other)?;
            if found.iter().any(|e| e.doc == o.doc) {
                continue;
            }
            let meta = store.document(&o.doc)?.map(|d| d.meta).unwrap_or_default();
            let verdict = match verdict.as_str() {
                "exact" => Verdict::Exact,
                "normalized" => Verdict::Normalized,
                "elided" => Verdict::Elided,
                _ => Verdict::Altered,
            };
            found.push(Evidence {
                doc: o.doc,
                verdict,
                start: o.quote.start,
                end: o.quote.end,
                text: o.quote.text,
                before: String::new(),
                after: String::new(),
                similarity,
                speaker: o.quote.speaker,
                mention: o.quote.mention,
                outlet: meta.outlet,
                published: meta.published,
                url: meta.url,
                title: meta.title,
                diff: Vec::new(),
            });
        }
    }
    // Dated sources in date order, then undated ones.
    found.sort_by(|a, b| match (&a.published, &b.published) {
        (Some(x), Some(y)) => x.cmp(y).then(a.verdict.cmp(&b.verdict)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.verdict.cmp(&b.verdict),
    });
    let mut appearances = Vec::with_capacity(found.len());
    let first_text = found.first().map(|e| e.text.clone());
    let first_speaker = found.first().and_then(|e| e.speaker.clone());
    for (i, e) in found.into_iter().enumerate() {
        let mut changes = Vec::new();
        let mut speaker_changed_from = None;
        if i > 0 {
            if let Some(first) = &first_text {
                // The reprint's own words: the whole quotation there, when it is one.
                let own = store
                    .quote_text_at(&e.doc, e.start, e.end)?
                    .unwrap_or_else(|| e.text.clone());
                // Diffed so that "delete" is what the reprint dropped from the first
                // appearance and "insert" what it added.
                let p = align::best_passage(
                    &Query::new(&own),
                    &align::Document::new(first),
                    options.deadline,
                );
                match p {
                    Some(p) if p.diff.iter().any(|c| c.op != "equal") => changes = p.diff,
                    Some(_) => {}
                    None => {
                        changes = vec![Change {
                            op: "insert",
                            text: own,
                        }]
                    }
                }
            }
            if let (Some(was), Some(now)) = (&first_speaker, &e.speaker) {
                if was != now {
                    speaker_changed_from = Some(was.clone());
                }
            }
        }
        appearances.push(Appearance {
            evidence: e,
            first: i == 0,
            changes,
            speaker_changed_from,
        });
    }
    Ok(TraceReport {
        query: report.query,
        appearances,
    })
}
