//! Verifying a quotation against the store: which documents support it, where, said by
//! whom, and how the wording differs; and tracing it through every appearance.
//!
//! Both start from [`crate::index::retrieve`], which lists every document that may hold the
//! quotation, and align each of them (on all cores). Nothing is sampled: a quotation held by
//! ten thousand documents has ten thousand pieces of evidence.

pub mod trace;

pub use trace::{Appearance, TraceReport, trace};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::align::{self, Query};
use crate::extract::CharOffsets;
use crate::index::{self, Method};
use crate::model::{Change, DocId, Publication, Verdict};
use crate::store::{self, Store};
use crate::text;

/// How to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Who the quotation is attributed to, to check the attribution too.
    pub speaker: Option<String>,
    /// When no document holds the quotation closely enough, how many of the documents
    /// sharing its rarest words to align for the closest passage.
    pub closest: usize,
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
            closest: 12,
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
    /// How sure attribution was that `speaker` spoke it (0 to 1; see
    /// [`attribution_is_sure`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_confidence: Option<f32>,
    /// Whether a person set the speaker (`prov quotes set-speaker`) rather than extraction.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub speaker_corrected: bool,
    /// The first publication's outlet, date, URL and title.
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Every publication of the document, first first.
    pub publications: Vec<Publication>,
    /// Set when the document is an older version of its source: it shows what was
    /// printed, not what the source says now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<DocId>,
    pub diff: Vec<Change>,
    /// For an elided quotation: what the elisions leave out that changes the meaning
    /// (a negation, a condition, a number), as the source writes it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub omits: Vec<String>,
}

impl Evidence {
    /// Whether this is what a source says now (not a superseded version).
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }
}

/// The answer to "is this quotation supported?".
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub query: String,
    pub verdict: Verdict,
    /// With a speaker to check: who the sources say spoke it instead, when none agrees.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub said_by: Vec<String>,
    /// With `said_by`: whether a source naming someone else does so with confidence (see
    /// [`attribution_is_sure`]); false when every such attribution is unsure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said_by_confident: Option<bool>,
    /// Documents whose passage supports the quotation (current versions).
    pub documents: usize,
    /// Distinct outlets among those documents' publications.
    pub outlets: usize,
    /// Supporting documents that are superseded versions of their source.
    pub superseded: usize,
    /// Whether every document that could hold the quotation was looked at.
    pub complete: bool,
    /// How candidate documents were found.
    pub retrieval: Method,
    /// Every supporting document, then passages that differ in wording, strongest first.
    pub evidence: Vec<Evidence>,
}

/// The attribution confidence from which a source's speaker named by name is taken as
/// sure. Attribution names the labelled speaker about as often from here on as it does from
/// [`CONFIDENT_PRONOUN`] on for a pronoun: measured on the PolNeAR splits with
/// `bench/eval_attribution.sh`'s predictions, named mentions at 0.3 to 0.5 are right 90.0%
/// (train, 570) and 91.8% (dev, 85) of the time, pronouns at 0.5 to 0.7 only 83.1% (65) and
/// 57.1% (7). Sure attributions, by this rule and [`CONFIDENT_PRONOUN`]: 97.4% right on
/// train (6,120 of 6,283), 96.0% on dev (711 of 741); the rest 76.3% (167 of 219) and
/// 58.8% (30 of 51). (One threshold of 0.5 for both: 98.0% of 5,778 and 96.1% of 663 sure,
/// and a third of what it left unsure, 86.5% of 724 on train, was right: named speakers a
/// draft contradicted were only noted.)
pub const CONFIDENT_ATTRIBUTION: f32 = 0.3;

/// The confidence from which a speaker the source gives as a pronoun ("he said"),
/// resolved by coreference, is taken as sure (see [`CONFIDENT_ATTRIBUTION`]).
pub const CONFIDENT_PRONOUN: f32 = 0.7;

/// Whether a source's attribution is sure enough that a draft naming someone else is
/// misattributing the words: a person's correction always is; extraction's when its
/// confidence reaches the threshold for how the source names the speaker.
pub fn attribution_is_sure(e: &Evidence) -> bool {
    if e.speaker_corrected {
        return true;
    }
    let pronoun = e
        .mention
        .as_deref()
        .is_some_and(|m| crate::extract::lexicon::is_pronoun(&m.trim().to_lowercase()));
    let threshold = if pronoun {
        CONFIDENT_PRONOUN
    } else {
        CONFIDENT_ATTRIBUTION
    };
    e.speaker_confidence.unwrap_or(0.0) >= threshold
}

/// Why verification failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("the quotation is empty: give some words to look for")]
    Empty,
    #[error(
        "the quotation has {words} words; prov verifies quotations of up to {max} words: verify it in parts"
    )]
    TooLong { words: usize, max: usize },
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("reading document {doc}: {source}")]
    Object { doc: String, source: std::io::Error },
}

/// A passage found in one document, before the store is asked about its speaker and
/// publications.
struct Found {
    doc: DocId,
    verdict: Verdict,
    start: usize,
    end: usize,
    text: String,
    before: String,
    after: String,
    similarity: f32,
    diff: Vec<Change>,
    omits: Vec<String>,
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
    if query.len() > align::MAX_QUERY_WORDS {
        return Err(VerifyError::TooLong {
            words: query.len(),
            max: align::MAX_QUERY_WORDS,
        });
    }
    let (found, complete, method) = find(store, &query, options, Reach::Support)?;
    let evidence = evidences(store, found)?;
    report(store, &query, evidence, complete, method, options)
}

/// Which documents [`find`] aligns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Every document that may print the quotation word for word; those that may hold
    /// it with a word or two changed only when none of them supports it (verify).
    Support,
    /// Every document that may hold it, verbatim or drifted (trace).
    Everything,
}

/// Aligns the candidate documents and keeps the passages close enough.
fn find(
    store: &Store,
    query: &Query,
    options: &VerifyOptions,
    reach: Reach,
) -> Result<(Vec<Found>, bool, Method), VerifyError> {
    let (rows, near, complete, method) = match options.only {
        Some(doc) => (
            vec![doc_row(store, &doc)?],
            Vec::new(),
            true,
            Method::Fingerprints,
        ),
        None => {
            let r = index::retrieve(store, &query.piece_words())?;
            (r.docs, r.near, r.complete, r.method)
        }
    };
    let ids = |rows: &[i64]| -> Result<Vec<_>, VerifyError> {
        let mut docs = store.live_document_ids(rows)?;
        docs.retain(|(_, id, _)| options.exclude != Some(*id));
        Ok(docs)
    };
    let mut docs = ids(&rows)?;
    let mut found = align_all(store, query, &docs, options)?;
    // A verbatim holder shares every fingerprint, so those sharing only some cannot add
    // support; they are the drifted copies, which trace lists, and verify shows when
    // nothing supports the quotation.
    if reach == Reach::Everything || !found.iter().any(|f| f.verdict.supports()) {
        let near = ids(&near)?;
        found.extend(align_all(store, query, &near, options)?);
        docs.extend(near);
    }
    // Nothing holds it even with words changed: the closest passages among documents
    // sharing its rarest words, so the answer can say how the sources differ. (Documents
    // sharing most of its fingerprints were aligned above; those sharing fewer hold
    // passages further from it.)
    let mut aligned: FxHashSet<i64> = docs.iter().map(|d| d.0).collect();
    if options.only.is_none() && found.is_empty() && options.closest > 0 {
        let rows: Vec<i64> = index::closest(store, &query.terms(), options.closest)?
            .into_iter()
            .filter(|r| !aligned.contains(r))
            .collect();
        let extra = ids(&rows)?;
        aligned.extend(extra.iter().map(|d| d.0));
        found.extend(align_all(store, query, &extra, options)?);
    }
    // Nothing supports it: what the sources printed instead is the closest passage, and
    // every document printing that passage is evidence of it too. Retrieval finds every
    // holder of a passage, but not every holder of it with a word changed (the change
    // moves which fingerprints a short passage keeps, and the closest documents are a
    // ranked few), so the passages found are looked up in turn.
    let mut complete = complete;
    if options.only.is_none() && !found.iter().any(|f| f.verdict.supports()) {
        for passage in passages_to_follow(&found) {
            let r = index::retrieve(store, &Query::new(&passage).piece_words())?;
            complete &= r.complete;
            let rows: Vec<i64> = r
                .docs
                .into_iter()
                .filter(|r| !aligned.contains(r))
                .collect();
            let more = ids(&rows)?;
            aligned.extend(more.iter().map(|d| d.0));
            found.extend(align_all(store, query, &more, options)?);
        }
    }
    Ok((found, complete, method))
}

/// Passages closer to a query than this are followed to their other holders when nothing
/// supports it: one word in four changed, or closer.
const FOLLOW_SIMILARITY: f32 = 0.75;

/// How far below the closest passage's similarity another passage may be and still be
/// followed.
const FOLLOW_MARGIN: f32 = 0.05;

/// The most distinct passages followed for one query.
const FOLLOW_PASSAGES: usize = 4;

/// The texts of the passages found for a query that nothing supports which stand for what
/// the sources printed: the closest ones, distinct, closest first.
fn passages_to_follow(found: &[Found]) -> Vec<String> {
    let Some(best) = found.iter().map(|f| f.similarity).reduce(f32::max) else {
        return Vec::new();
    };
    let bar = FOLLOW_SIMILARITY.max(best - FOLLOW_MARGIN);
    let mut close: Vec<&Found> = found.iter().filter(|f| f.similarity >= bar).collect();
    close.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.doc.cmp(&b.doc))
    });
    let mut texts: Vec<String> = Vec::new();
    for f in close {
        if !texts.contains(&f.text) {
            texts.push(f.text.clone());
        }
        if texts.len() == FOLLOW_PASSAGES {
            break;
        }
    }
    texts
}

fn doc_row(store: &Store, doc: &DocId) -> Result<i64, VerifyError> {
    Ok(store.document_row(doc)?)
}

/// Aligns `query` with each document, in parallel.
fn align_all(
    store: &Store,
    query: &Query,
    docs: &[(i64, DocId, Option<DocId>)],
    options: &VerifyOptions,
) -> Result<Vec<Found>, VerifyError> {
    let needed: Vec<DocId> = docs
        .iter()
        .map(|(_, id, text)| text.unwrap_or(*id))
        .collect();
    let objects = &store
        .objects()
        .prefetched(&needed)
        .map_err(|source| VerifyError::Object {
            doc: store.objects().describe(),
            source,
        })?;
    let results: Vec<Result<Option<Found>, VerifyError>> = docs
        .par_iter()
        .map(|(_, doc_id, text_id)| {
            let text = match text::stored_text(objects, doc_id, text_id.as_ref()) {
                Ok(t) => t,
                // A document prov cannot read as text supports nothing; fsck reports it.
                Err(store::Error::CorruptRow(_)) => return Ok(None),
                Err(store::Error::Io { path, source }) => {
                    return Err(VerifyError::Object {
                        doc: format!("{} ({})", doc_id.short(), path.display()),
                        source,
                    });
                }
                Err(e) => return Err(e.into()),
            };
            let doc = align::Document::new(&text);
            let Some(p) = align::best_passage(query, &doc) else {
                return Ok(None);
            };
            if p.similarity < options.min_similarity {
                return Ok(None);
            }
            let offsets = CharOffsets::new(&text);
            Ok(Some(Found {
                doc: *doc_id,
                verdict: p.verdict,
                start: offsets.char_at(p.range.start),
                end: offsets.char_at(p.range.end),
                text: text[p.range.clone()].to_owned(),
                before: context_before(&text, p.range.start),
                after: context_after(&text, p.range.end),
                similarity: (p.similarity * 1000.0).round() / 1000.0,
                diff: p.diff,
                omits: p.omits,
            }))
        })
        .collect();
    let mut found = Vec::new();
    for r in results {
        if let Some(f) = r? {
            found.push(f);
        }
    }
    Ok(found)
}

/// Completes a found passage with what the store knows: who speaks there, the document's
/// publications, whether it was superseded.
fn evidences(store: &Store, found: Vec<Found>) -> Result<Vec<Evidence>, VerifyError> {
    // The documents' rows and versions for all of them at once: one statement each rather
    // than a few per document (round trips, on PostgreSQL).
    let mut ids: Vec<DocId> = found.iter().map(|f| f.doc).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = store.documents(&ids)?;
    let superseded = store.superseded_by_each(&ids)?;
    let of = |id: &DocId| ids.binary_search(id).ok();
    let passages: Vec<(DocId, usize, usize)> =
        found.iter().map(|f| (f.doc, f.start, f.end)).collect();
    let speakers = store.speakers_at(&passages)?;
    found
        .into_iter()
        .zip(speakers)
        .map(|(f, at)| {
            let (speaker, mention, speaker_confidence, speaker_corrected) = match at {
                Some(a) => (a.speaker, a.mention, Some(a.confidence), a.corrected),
                None => (None, None, None, false),
            };
            let i = of(&f.doc);
            let row = i.and_then(|i| rows[i].clone());
            let (meta, publications) = row.map(|d| (d.meta, d.publications)).unwrap_or_default();
            Ok(Evidence {
                doc: f.doc,
                verdict: f.verdict,
                start: f.start,
                end: f.end,
                text: f.text,
                before: f.before,
                after: f.after,
                similarity: f.similarity,
                speaker_confidence: speaker_confidence.filter(|_| speaker.is_some()),
                speaker_corrected,
                speaker,
                mention,
                outlet: meta.outlet,
                published: meta.published,
                url: meta.url,
                title: meta.title,
                publications,
                superseded_by: i.and_then(|i| superseded[i]),
                diff: f.diff,
                omits: f.omits,
            })
        })
        .collect()
}

/// How close a passage that does not support a quotation must be to be listed beside
/// passages that do: a changed word in five (a drifted reprint) is, one in three is not.
const VARIANT_SIMILARITY: f32 = 0.8;

/// Orders the evidence, counts support, and checks the attribution.
fn report(
    store: &Store,
    query: &Query,
    mut evidence: Vec<Evidence>,
    complete: bool,
    retrieval: Method,
    options: &VerifyOptions,
) -> Result<VerifyReport, VerifyError> {
    // Strongest first, current versions before superseded ones, then by date so the first
    // appearance shows.
    evidence.sort_by(|a, b| {
        a.verdict
            .cmp(&b.verdict)
            .then(b.is_current().cmp(&a.is_current()))
            .then(b.similarity.total_cmp(&a.similarity))
            .then_with(|| date_order(a.published.as_deref(), b.published.as_deref()))
            .then(a.doc.cmp(&b.doc))
    });
    // Where sources print the words, a passage that differs in a third of them ("address
    // will not" for "we will not") is another sentence, not a variant of this one: only
    // close variants are shown beside the support.
    if evidence.iter().any(|e| e.verdict.supports()) {
        evidence.retain(|e| e.verdict.supports() || e.similarity >= VARIANT_SIMILARITY);
    }
    let supporting = |current: bool| {
        evidence
            .iter()
            .filter(move |e| e.verdict.supports() && e.is_current() == current)
    };
    let documents = supporting(true).count();
    let superseded = supporting(false).count();
    let mut outlets: Vec<&str> = supporting(true)
        .flat_map(|e| e.publications.iter().filter_map(|p| p.outlet.as_deref()))
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let outlets = outlets.len();
    let mut verdict = evidence.first().map_or(Verdict::Unsupported, |e| e.verdict);
    let mut said_by = Vec::new();
    let mut said_by_confident = None;
    if let Some(name) = options.speaker.as_deref().filter(|n| !n.trim().is_empty()) {
        let mut anyone_else = false;
        let mut confirmed = false;
        let mut sure = false;
        for e in &evidence {
            let Some(s) = &e.speaker else { continue };
            // One source naming the speaker confirms it, whatever the others say.
            if store.same_speaker(name.trim(), s)? {
                confirmed = true;
                break;
            }
            // The same words stored at another place of this document may be given to
            // the draft's speaker.
            let elsewhere = match store.quote_at(&e.doc, e.start, e.end)? {
                Some((_, text)) => store.speakers_of_text(&e.doc, &text)?,
                None => Vec::new(),
            };
            for other in elsewhere.iter().filter_map(|a| a.speaker.as_deref()) {
                confirmed |= store.same_speaker(name.trim(), other)?;
            }
            if confirmed {
                break;
            }
            anyone_else = true;
            sure |= attribution_is_sure(e);
            if !said_by.contains(s) {
                said_by.push(s.clone());
            }
        }
        if anyone_else && !confirmed {
            said_by_confident = Some(sure);
            if verdict.supports() {
                // The words are the source's; the speaker is not. (Altered words stay
                // "altered", with who the sources name in `said_by`.)
                verdict = Verdict::Misattributed;
            }
        } else {
            said_by.clear();
        }
    }
    Ok(VerifyReport {
        query: query.text.clone(),
        verdict,
        said_by,
        said_by_confident,
        documents,
        outlets,
        superseded,
        complete,
        retrieval,
        evidence,
    })
}

/// Publication dates in order, undated last.
pub(crate) fn date_order(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
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
