//! Checking drafts: every quotation in a draft verified against the store, so a CI job
//! fails when a quote drifted from its source.
//!
//! A draft is read with the same extractor as documents. A quotation followed by a
//! citation (a Markdown link to a stored URL, or `prov:ID`) is checked against that source
//! only; otherwise against the whole store. The speaker the draft gives is checked too.

pub mod citation;
pub mod config;
pub mod draft;

use serde::Serialize;

pub use config::CheckConfig;
pub use draft::{Draft, DraftFormat};

use crate::extract::{self, Hints};
use crate::model::{Change, DocId, QuoteKind, Verdict};
use crate::store::{self, Store};
use crate::verify::{self, VerifyError, VerifyOptions};

/// What is wrong with a quotation in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The source says something close but different.
    Drifted,
    /// Nothing in the store (or the cited source) says it.
    Unsupported,
    /// The draft gives the words to someone the sources do not.
    Misattributed,
    /// The draft cites a source that is not in the store.
    UnknownSource,
    /// A tracked URL could not be fetched again (gone, moved, or the network is down).
    UnreachableSource,
    /// The words are the source's, but the source names no speaker for them (or only a
    /// pronoun it does not resolve), so the draft's speaker is unconfirmed.
    UnconfirmedSpeaker,
}

impl FindingKind {
    pub const ALL: [FindingKind; 6] = [
        FindingKind::Drifted,
        FindingKind::Unsupported,
        FindingKind::Misattributed,
        FindingKind::UnknownSource,
        FindingKind::UnreachableSource,
        FindingKind::UnconfirmedSpeaker,
    ];

    /// The kind named `s` (as [`FindingKind::as_str`] writes it).
    pub fn parse(s: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// One sentence for people and for SARIF rule descriptions.
    pub fn description(self) -> &'static str {
        match self {
            FindingKind::Drifted => "A quotation differs in wording from its source.",
            FindingKind::Unsupported => "No stored source contains the quotation.",
            FindingKind::Misattributed => "The sources give the quotation to someone else.",
            FindingKind::UnknownSource => "The cited source is not in the store.",
            FindingKind::UnreachableSource => "A tracked URL could not be fetched again.",
            FindingKind::UnconfirmedSpeaker => {
                "The source has the words but does not say who spoke them."
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Drifted => "drifted",
            FindingKind::Unsupported => "unsupported",
            FindingKind::Misattributed => "misattributed",
            FindingKind::UnknownSource => "unknown-source",
            FindingKind::UnreachableSource => "unreachable-source",
            FindingKind::UnconfirmedSpeaker => "unconfirmed-speaker",
        }
    }

    /// The severity a finding of this kind has unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            FindingKind::UnknownSource | FindingKind::UnreachableSource => Severity::Warning,
            FindingKind::UnconfirmedSpeaker => Severity::Note,
            _ => Severity::Error,
        }
    }
}

/// How serious a finding is; `--fail-level` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem in a draft, where a person can find it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub path: String,
    /// 1-based line and column (in characters) of the quotation's first character.
    pub line: usize,
    pub column: usize,
    pub kind: FindingKind,
    pub severity: Severity,
    pub quote: String,
    pub message: String,
    /// The source document compared against, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<DocId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<Change>,
}

/// Why a quotation in a draft was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Punctuation or symbols only (`"— — —"`): no words to look for.
    NoWords,
    /// Fewer words than `min_words`: too generic to check.
    TooShort,
    /// More words than a quotation prov aligns ([`crate::align::MAX_QUERY_WORDS`]).
    TooLong,
    /// Exempted in the draft with `prov:ignore REASON`.
    Ignored,
}

impl SkipReason {
    pub const ALL: [SkipReason; 4] = [
        SkipReason::NoWords,
        SkipReason::TooShort,
        SkipReason::TooLong,
        SkipReason::Ignored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NoWords => "no words",
            SkipReason::TooShort => "too short",
            SkipReason::TooLong => "too long",
            SkipReason::Ignored => "ignored",
        }
    }
}

/// A quotation of a draft that was not checked, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub quote: String,
    pub reason: SkipReason,
}

/// What checking one draft found.
#[derive(Debug, Clone, Default)]
pub struct DraftCheck {
    pub findings: Vec<Finding>,
    /// Quotations verified against the store.
    pub checked: usize,
    pub skipped: Vec<Skipped>,
}

/// What the store is asked once per check run, on first need, whatever the number of
/// drafts: every URL it knows (canonically) and every outlet.
#[derive(Debug, Default)]
pub struct Lookups {
    urls: Option<citation::UrlIndex>,
    outlets: Option<Vec<String>>,
}

impl Lookups {
    fn urls(&mut self, store: &Store) -> Result<&citation::UrlIndex, store::Error> {
        if self.urls.is_none() {
            self.urls = Some(citation::UrlIndex::new(store.known_urls()?));
        }
        Ok(self.urls.get_or_insert_default())
    }

    /// Outlets, lower-cased.
    fn outlets(&mut self, store: &Store) -> Result<&[String], store::Error> {
        if self.outlets.is_none() {
            let outlets = store.outlets()?.iter().map(|o| o.to_lowercase()).collect();
            self.outlets = Some(outlets);
        }
        Ok(self.outlets.get_or_insert_default())
    }
}

/// Checks every quotation of one draft. `source` is the file as written; `draft` is how
/// it reads ([`Draft::read`]), so lines and columns point into the file. `lookups` carries
/// what the store was asked for from one draft to the next.
pub fn check_draft(
    store: &Store,
    path: &str,
    source: &str,
    draft: &Draft,
    config: &CheckConfig,
    lookups: &mut Lookups,
) -> Result<DraftCheck, VerifyError> {
    let text = draft.text.as_str();
    let mut out = DraftCheck::default();
    let extracted = extract::extract(&draft.for_extraction(), &Hints::default());
    for (q, read) in as_checked(draft, extracted) {
        let checked_kind = match q.kind {
            QuoteKind::Direct | QuoteKind::Partial => true,
            // A quoted sentence standing alone, with nobody named, reads to extraction as
            // a title or slogan; in a draft it is a quotation someone will trust.
            QuoteKind::Term => reads_as_a_sentence(&text[q.start..q.end]),
            QuoteKind::Transcript => false,
        };
        if !checked_kind {
            continue;
        }
        let quote = read.as_str();
        let shown = quote.split_whitespace().collect::<Vec<_>>().join(" ");
        let at = draft.origin(q.start);
        let (line, column) = line_column(source, at);
        let words = quote
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        let skip = if words == 0 {
            Some(SkipReason::NoWords)
        } else if exempt(source, at) {
            Some(SkipReason::Ignored)
        } else if words < config.min_words {
            Some(SkipReason::TooShort)
        } else {
            None
        };
        let skipped = |reason: SkipReason| Skipped {
            path: path.to_owned(),
            line,
            column,
            quote: shown.clone(),
            reason,
        };
        if let Some(reason) = skip {
            out.skipped.push(skipped(reason));
            continue;
        }
        let findings = &mut out.findings;
        let mut finding =
            |kind: FindingKind, message: String, source: Option<DocId>, diff: Vec<Change>| {
                findings.push(Finding {
                    path: path.to_owned(),
                    line,
                    column,
                    kind,
                    severity: config.severity(kind),
                    quote: shown.clone(),
                    message,
                    source,
                    diff,
                });
            };
        let para = draft.paragraph(q.start);
        let para = draft.origin(para.start)..draft.origin(para.end);
        let cite = draft
            .cite_at(q.start)
            .map(str::to_owned)
            .or_else(|| citation::citation(source, para.clone(), at, draft.origin(q.end)));
        let cited = match cite {
            None => None,
            Some(c) => match resolve(store, &c, lookups)? {
                Some(doc) => match store.removal(&doc)? {
                    // A source taken out of the evidence supports nothing.
                    Some(r) => {
                        finding(
                            FindingKind::UnknownSource,
                            format!(
                                "cites {c}, which was removed from the evidence on {} by {}: {} (`prov rm --undo {}` restores it)",
                                r.removed_at,
                                r.removed_by,
                                r.reason,
                                doc.short()
                            ),
                            None,
                            Vec::new(),
                        );
                        // ... and the words are still checked against the whole store.
                        None
                    }
                    None => Some(doc),
                },
                None => {
                    finding(
                        FindingKind::UnknownSource,
                        format!("cites {c}, which is not in the store (add it with `prov add`)"),
                        None,
                        Vec::new(),
                    );
                    // A citation prov cannot follow (a typo in a link, a source not yet
                    // added) must not switch the check off: the words are checked against
                    // the whole store, as an uncited quotation's are.
                    None
                }
            },
        };
        let speaker = match q.speaker.clone() {
            Some(s) if is_a_citation(store, &source[para.start.min(at)..at], &s, lookups)? => None,
            other => other,
        };
        let options = VerifyOptions {
            speaker: speaker.clone(),
            only: cited,
            min_similarity: config.min_similarity,
            ..VerifyOptions::default()
        };
        let report = match verify::verify(store, quote, &options) {
            Ok(r) => r,
            Err(VerifyError::Empty) => {
                out.skipped.push(skipped(SkipReason::NoWords));
                continue;
            }
            // Longer than a quotation prov aligns (a whole article in marks): skipped and
            // counted like a short one, never an error that stops the other drafts.
            Err(VerifyError::TooLong { .. }) => {
                out.skipped.push(skipped(SkipReason::TooLong));
                continue;
            }
            Err(e) => return Err(e),
        };
        out.checked += 1;
        let best = report.evidence.first();
        // A cited source that no longer says it, where an earlier version did: the source
        // was edited after the draft quoted it (reported on every run, the store's versions
        // being the state, until the draft changes or exempts the quotation).
        let edited = match cited {
            Some(doc) if !report.verdict.supports() && report.verdict != Verdict::Misattributed => {
                earlier_support(store, quote, doc, &options)?
            }
            _ => None,
        };
        let edited_note = |now: &str| match &edited {
            Some(v) => format!(
                "the cited source was edited after this was quoted: its version {} ({}) says it; the current version ({}) {now}",
                v.seq,
                v.doc.short(),
                cited.map(|d| d.short()).unwrap_or_default()
            ),
            None => String::new(),
        };
        match report.verdict {
            Verdict::Exact | Verdict::Normalized | Verdict::Elided => {
                let supporting: Vec<&verify::Evidence> = report
                    .evidence
                    .iter()
                    .filter(|e| e.verdict.supports())
                    .collect();
                if let Some(name) = &speaker
                    && !supporting.is_empty()
                    && supporting.iter().all(|e| e.speaker.is_none())
                {
                    let message = match supporting.iter().find_map(|e| e.mention.as_deref()) {
                        Some(m) => format!(
                            "the source's “{m}” is unresolved, so it does not confirm that {name} said it"
                        ),
                        None => format!(
                            "the source gives no speaker for these words, so it does not confirm that {name} said it"
                        ),
                    };
                    finding(
                        FindingKind::UnconfirmedSpeaker,
                        message,
                        best.map(|e| e.doc),
                        Vec::new(),
                    );
                }
            }
            Verdict::Altered => finding(
                FindingKind::Drifted,
                match (best, &edited) {
                    (Some(e), Some(_)) => edited_note(&format!("says “{}”", e.text)),
                    (None, Some(_)) => edited_note("says something different"),
                    (Some(e), None) => format!("the source says something different: “{}”", e.text),
                    (None, None) => "the source says something different".to_owned(),
                },
                best.map(|e| e.doc),
                best.map(|e| e.diff.clone()).unwrap_or_default(),
            ),
            Verdict::ElidedMeaning => finding(
                FindingKind::Drifted,
                match best {
                    Some(e) => format!(
                        "the elision leaves out {} (the source: “{}”)",
                        e.omits
                            .iter()
                            .map(|w| format!("“{w}”"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        e.text
                    ),
                    None => "the elision leaves out words that change the meaning".to_owned(),
                },
                best.map(|e| e.doc),
                best.map(|e| e.diff.clone()).unwrap_or_default(),
            ),
            Verdict::Misattributed => {
                let who = speaker.as_deref().unwrap_or("?");
                let others = report.said_by.join(", ");
                let (kind, message) = if report.said_by_confident == Some(true) {
                    (
                        FindingKind::Misattributed,
                        format!("attributed to {who}, but the sources give it to {others}"),
                    )
                } else {
                    (
                        FindingKind::UnconfirmedSpeaker,
                        format!(
                            "attributed to {who}; the sources' attribution is unsure and gives it to {others}"
                        ),
                    )
                };
                finding(kind, message, best.map(|e| e.doc), Vec::new());
            }
            Verdict::Unsupported => finding(
                FindingKind::Unsupported,
                match cited {
                    Some(_) if edited.is_some() => edited_note("no longer has it"),
                    Some(d) => format!(
                        "the cited source {} does not contain this quotation",
                        d.short()
                    ),
                    None => "no stored source contains this quotation".to_owned(),
                },
                cited,
                Vec::new(),
            ),
        }
    }
    Ok(out)
}

/// Versions of a source looked at for an earlier wording of a quotation, newest first.
const EARLIER_VERSIONS: usize = 64;

/// The newest earlier version of `cited`'s source (any source it is a version of) that
/// supports `quote`, when there is one.
fn earlier_support(
    store: &Store,
    quote: &str,
    cited: DocId,
    options: &VerifyOptions,
) -> Result<Option<store::Version>, VerifyError> {
    for lineage in store.lineage(&cited)? {
        let earlier = lineage
            .versions
            .iter()
            .rev()
            .filter(|v| v.seq < lineage.seq && v.doc != cited)
            .take(EARLIER_VERSIONS);
        for v in earlier {
            let only = VerifyOptions {
                only: Some(v.doc),
                ..options.clone()
            };
            if verify::verify(store, quote, &only)?.verdict.supports() {
                return Ok(Some(v.clone()));
            }
        }
    }
    Ok(None)
}

/// Words of attribution between the two pieces of one interrupted sentence, at most.
const MAX_INTERRUPTION_WORDS: usize = 12;

/// The quotations of a draft as they are checked, each with its text as a reader reads it
/// (a link inside it is its text; lines of one paragraph are joined with a space). A
/// sentence interrupted by its attribution (`“The game promises,” he said, “to be a great
/// spectacle.”`) is one quotation, its pieces joined, located at the first: words left out
/// where the attribution sits are caught, and a piece too short to check alone is checked
/// with the rest.
fn as_checked(draft: &Draft, quotes: Vec<extract::Quote>) -> Vec<(extract::Quote, String)> {
    let text = draft.text.as_str();
    let mut out: Vec<(extract::Quote, String)> = Vec::new();
    for q in quotes {
        let read = draft.as_read(&text[q.start..q.end]).into_owned();
        if let Some((prev, joined)) = out.last_mut()
            && continues_sentence(draft, prev, &q)
        {
            joined.truncate(joined.trim_end().len());
            joined.push(' ');
            joined.push_str(read.trim_start());
            prev.end = q.end;
            prev.kind = QuoteKind::Direct;
            if prev.speaker.is_none() {
                prev.speaker = q.speaker;
                prev.mention = q.mention;
                prev.confidence = q.confidence;
            }
            continue;
        }
        out.push((q, read));
    }
    out
}

/// Whether quotation `next` goes on with the sentence quotation `prev` began, an
/// attribution between them: both in one paragraph, `prev` not ending its sentence,
/// `next` going on in lower case (`“- mums, …”` too), and between them a short clause
/// that hands on with a comma (`,” Smith said, “`), not a sentence of its own. The draft
/// reads single-quoted speech as double-quoted, so its marks here are double.
fn continues_sentence(draft: &Draft, prev: &extract::Quote, next: &extract::Quote) -> bool {
    let text = draft.text.as_str();
    if prev.kind == QuoteKind::Transcript
        || next.kind == QuoteKind::Transcript
        || prev.end > next.start
        || draft.paragraph(prev.start) != draft.paragraph(next.start)
    {
        return false;
    }
    let first = text[prev.start..prev.end].trim_end();
    let second = text[next.start..next.end].trim_start();
    let between = &text[prev.end..next.start];
    let hands_on = between
        .trim_end_matches(|c: char| c.is_whitespace() || extract::marks::is_double(c))
        .ends_with(',');
    let words = between
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    !first.ends_with(['.', '!', '?', '…', ':', ';'])
        && second
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_lowercase)
        && hands_on
        && !between.contains(['!', '?'])
        && (1..=MAX_INTERRUPTION_WORDS).contains(&words)
}

/// Whether quoted words read as a sentence rather than a title or a scare quote: they end
/// in sentence punctuation inside the marks and run to four words or more, or they run to
/// ten words or more.
fn reads_as_a_sentence(quote: &str) -> bool {
    let words = quote.split_whitespace().count();
    let ends = quote.trim_end().ends_with(['.', '!', '?', ',', ';', '…']);
    (ends && words >= 4) || words >= 10
}

/// Whether the speaker extraction found for a draft's quotation is a citation rather than
/// a person: the text of a link in `before` (the quotation's paragraph up to it: "As [Fox
/// News reported](…), …"), or an outlet the store knows ("As Reuters reported: …").
fn is_a_citation(
    store: &Store,
    before: &str,
    speaker: &str,
    lookups: &mut Lookups,
) -> Result<bool, VerifyError> {
    let wanted = speaker.trim().to_lowercase();
    let in_link_text = before.match_indices('[').any(|(i, _)| {
        before[i + 1..]
            .find(']')
            .is_some_and(|e| before[i + 1..i + 1 + e].to_lowercase().contains(&wanted))
    });
    Ok(in_link_text || lookups.outlets(store)?.contains(&wanted))
}

/// 1-based line and character column of byte offset `at` (moved back to a character
/// boundary if it falls inside one).
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// Whether an inline exemption covers the quotation at `at`: `prov:ignore REASON` in a
/// comment on its line or the line before. Without a reason it does not count.
fn exempt(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let prev_start = text[..line_start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    // The reason is required: an exemption nobody explained is not one.
    text[prev_start..line_end].lines().any(|l| {
        l.find("prov:ignore").is_some_and(|i| {
            let reason = l[i + "prov:ignore".len()..]
                .split("-->")
                .next()
                .unwrap_or("")
                .trim();
            reason.chars().any(char::is_alphanumeric)
        })
    })
}

/// The stored document a citation names, if it is stored: a `prov:` id, or a URL as
/// stored or, failing that, compared canonically ([`citation::canonical_url`]) with every
/// URL the store knows.
fn resolve(
    store: &Store,
    citation: &str,
    lookups: &mut Lookups,
) -> Result<Option<DocId>, VerifyError> {
    if let Some(id) = citation.strip_prefix("prov:") {
        return match store.resolve(id) {
            Ok(d) => Ok(Some(d)),
            Err(store::Error::UnknownDocument(_) | store::Error::BadId(_)) => Ok(None),
            Err(e) => Err(e.into()),
        };
    }
    if let Some(doc) = store.document_by_url(citation)? {
        return Ok(Some(doc));
    }
    Ok(lookups.urls(store)?.get(citation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_exemptions() {
        let t = "# Title\n\nShe said “one two three four” [here](https://x.test/a).\n";
        let at = t.find("one").unwrap();
        assert_eq!(line_column(t, at), (3, 11));
        let t = "<!-- prov:ignore paraphrased on purpose -->\n“x”";
        assert!(exempt(t, t.find('x').unwrap()));
        let t = "An unrelated line.\n\n“x”";
        assert!(!exempt(t, t.find('x').unwrap()));
        let t = "<!-- prov:ignore -->\n“x”";
        assert!(!exempt(t, t.find('x').unwrap()), "no reason given");
    }
}

/// Source drift: re-reads every tracked source file and re-fetches every fetched URL
/// (recording a changed one as a new version), then, for every source with two or more
/// versions, reports the stored quotations of the versions since the last acknowledged one
/// that the newest no longer has (with the diff when a close passage remains). The state is the
/// store's versions, so an edit is reported on every run, whether `check --sources` or
/// `prov add` recorded it and whether or not an earlier run was interrupted, until
/// `[check.acknowledged]` in prov.toml names the new version. Findings name the source's
/// path or URL and the quotation's line in the previous version's text. A URL that can no
/// longer be fetched is a finding too.
pub fn check_sources(
    store: &mut Store,
    config: &CheckConfig,
    fetch: &crate::fetch::FetchOptions,
) -> Result<Vec<Finding>, SourcesError> {
    use crate::ingest::{self, AddError, AddOptions, Input};
    use crate::model::{SourceKind, SourceRef};
    use crate::store::status::PathState;

    let root = store.root().to_path_buf();
    let mut refresh: Vec<(String, Input, DocId)> = store
        .status(&root)?
        .into_iter()
        .filter(|s| s.state == PathState::Modified)
        .map(|s| {
            (
                s.path.clone(),
                Input::Path(store.worktree_path(&s.path)),
                s.stored,
            )
        })
        .collect();
    let urls = store.fetched_urls()?;
    for url in &urls {
        let source = SourceRef {
            kind: SourceKind::Url,
            locator: url.clone(),
        };
        if let Some(newest) = store.versions(&source)?.last() {
            refresh.push((url.clone(), Input::Url(url.clone()), newest.doc));
        }
    }
    let options = AddOptions {
        fetch: fetch.clone(),
        ..AddOptions::default()
    };
    let mut findings = Vec::new();
    for (label, input, stored) in refresh {
        let summary = ingest::add(store, vec![input], &options, &mut |_| {})?;
        if let Some(AddError::Fetch(e)) = summary.refused.first() {
            let kind = FindingKind::UnreachableSource;
            findings.push(Finding {
                path: label,
                line: 1,
                column: 1,
                kind,
                severity: config.severity(kind),
                quote: String::new(),
                message: format!("cannot fetch the source again: {e}"),
                source: Some(stored),
                diff: Vec::new(),
            });
        }
    }
    let mut sources: Vec<SourceRef> = store
        .tracked_paths()?
        .into_iter()
        .map(|(path, _)| SourceRef {
            kind: SourceKind::Path,
            locator: path,
        })
        .collect();
    sources.extend(urls.into_iter().map(|locator| SourceRef {
        kind: SourceKind::Url,
        locator,
    }));
    for source in sources {
        let versions = store.versions(&source)?;
        let Some((newest, earlier)) = versions.split_last() else {
            continue;
        };
        if config.acknowledges(&newest.doc) {
            continue;
        }
        // Every version since the last one acknowledged (or the first) was quotable, and
        // none of their edits was accepted: a quotation any of them printed that the
        // newest lost is reported, once, however many edits came after it.
        let since = earlier
            .iter()
            .rposition(|v| config.acknowledges(&v.doc))
            .unwrap_or(0);
        let mut reported: rustc_hash::FxHashSet<String> = Default::default();
        let mut checked: rustc_hash::FxHashSet<DocId> = Default::default();
        for old in &earlier[since..] {
            if old.doc == newest.doc || !checked.insert(old.doc) {
                continue;
            }
            for f in drift(store, config, &source.locator, old.doc, newest.doc)? {
                if reported.insert(f.quote.clone()) {
                    findings.push(f);
                }
            }
        }
    }
    Ok(findings)
}

/// The quotations of `old` that `newest` (a later version of the same source) lost or
/// changed.
fn drift(
    store: &Store,
    config: &CheckConfig,
    label: &str,
    old: DocId,
    newest: DocId,
) -> Result<Vec<Finding>, SourcesError> {
    use crate::store::quotes::QuoteFilter;
    let Ok(old_text) = crate::text::document_text(store, &old) else {
        return Ok(Vec::new());
    };
    let quotes = store.quotes(&QuoteFilter {
        doc: Some(old),
        ..QuoteFilter::default()
    })?;
    let mut findings = Vec::new();
    for q in quotes.iter().filter(|q| q.quote.kind != QuoteKind::Term) {
        let words = q.quote.text.split_whitespace().count();
        if words < config.min_words {
            continue;
        }
        let options = VerifyOptions {
            only: Some(newest),
            min_similarity: config.min_similarity,
            ..VerifyOptions::default()
        };
        let report = verify::verify(store, &q.quote.text, &options)?;
        if report.verdict.supports() {
            continue;
        }
        let at = old_text
            .char_indices()
            .nth(q.quote.start)
            .map_or(old_text.len(), |(i, _)| i);
        let (line, column) = line_column(&old_text, at);
        let (kind, message, diff) = match report.evidence.first() {
            Some(e) => (
                FindingKind::Drifted,
                format!(
                    "the source was edited: version {} now says “{}” (acknowledge it under [check.acknowledged] in prov.toml)",
                    newest.short(),
                    e.text
                ),
                e.diff.clone(),
            ),
            None => (
                FindingKind::Unsupported,
                format!(
                    "the source was edited: version {} no longer has this quotation (acknowledge it under [check.acknowledged] in prov.toml)",
                    newest.short()
                ),
                Vec::new(),
            ),
        };
        findings.push(Finding {
            path: label.to_owned(),
            line,
            column,
            kind,
            severity: config.severity(kind),
            quote: q.quote.text.clone(),
            message,
            source: Some(newest),
            diff,
        });
    }
    Ok(findings)
}

/// Why a source-drift check failed.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error(transparent)]
    Add(#[from] crate::ingest::AddError),
    #[error(transparent)]
    Verify(#[from] VerifyError),
}
