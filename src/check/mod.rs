//! Checking drafts: every quotation in a draft verified against the store, so a CI job
//! fails when a quote drifted from its source.
//!
//! A draft is read with the same extractor as documents. A quotation followed by a
//! citation (a Markdown link to a stored URL, or `prov:ID`) is checked against that source
//! only; otherwise against the whole store. The speaker the draft gives is checked too.

pub mod config;

use serde::Serialize;

pub use config::CheckConfig;

use crate::align::{Change, Verdict};
use crate::extract::{self, Hints, QuoteKind};
use crate::store::{self, DocId, Store};
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
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Drifted => "drifted",
            FindingKind::Unsupported => "unsupported",
            FindingKind::Misattributed => "misattributed",
            FindingKind::UnknownSource => "unknown-source",
            FindingKind::UnreachableSource => "unreachable-source",
        }
    }

    /// The severity a finding of this kind has unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            FindingKind::UnknownSource | FindingKind::UnreachableSource => Severity::Warning,
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

/// Checks every quotation of one draft. `original` is the file as written when `text` is a
/// same-offset rendering of it ([`html_as_text`]), so lines and columns point into the file.
pub fn check_draft(
    store: &Store,
    path: &str,
    text: &str,
    original: &str,
    config: &CheckConfig,
) -> Result<Vec<Finding>, VerifyError> {
    let mut findings = Vec::new();
    for q in extract::extract(text, &Hints::default()) {
        if !matches!(q.kind, QuoteKind::Direct | QuoteKind::Partial) {
            continue;
        }
        let quote = &text[q.start..q.end];
        if quote.split_whitespace().count() < config.min_words || exempt(text, q.start) {
            continue;
        }
        let (line, column) = line_column(original, q.start);
        let mut finding =
            |kind: FindingKind, message: String, source: Option<DocId>, diff: Vec<Change>| {
                findings.push(Finding {
                    path: path.to_owned(),
                    line,
                    column,
                    kind,
                    severity: config.severity(kind),
                    quote: quote.to_owned(),
                    message,
                    source,
                    diff,
                });
            };
        let cited = match citation(text, q.end) {
            None => None,
            Some(c) => match resolve(store, &c)? {
                Some(doc) => Some(doc),
                None => {
                    finding(
                        FindingKind::UnknownSource,
                        format!("cites {c}, which is not in the store (add it with `prov add`)"),
                        None,
                        Vec::new(),
                    );
                    continue;
                }
            },
        };
        let options = VerifyOptions {
            speaker: q.speaker.clone(),
            only: cited,
            min_similarity: config.min_similarity,
            ..VerifyOptions::default()
        };
        let report = verify::verify(store, quote, &options)?;
        let best = report.evidence.first();
        match report.verdict {
            Verdict::Exact | Verdict::Normalized | Verdict::Elided => {}
            Verdict::Altered => finding(
                FindingKind::Drifted,
                match best {
                    Some(e) => format!("the source says something different: “{}”", e.text),
                    None => "the source says something different".to_owned(),
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
            Verdict::Misattributed => finding(
                FindingKind::Misattributed,
                format!(
                    "attributed to {}, but the sources give it to {}",
                    q.speaker.as_deref().unwrap_or("?"),
                    report.said_by.join(", ")
                ),
                best.map(|e| e.doc),
                Vec::new(),
            ),
            Verdict::Unsupported => finding(
                FindingKind::Unsupported,
                match cited {
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
    Ok(findings)
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

/// The citation right after a quotation, in the rest of its paragraph: `prov:HEX`, a
/// Markdown link `[text](URL)`, a footnote `[^n]` (whose definition holds the URL or
/// `prov:` id), or an HTML `href="…"` / `cite="…"`; the first one wins.
fn citation(text: &str, quote_end: usize) -> Option<String> {
    let rest = &text[quote_end..];
    let para = rest.find("\n\n").map_or(rest, |i| &rest[..i]);
    let mut found: Vec<(usize, String)> = Vec::new();
    if let Some(i) = para.find("prov:") {
        let id: String = para[i + 5..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        if !id.is_empty() {
            found.push((i, format!("prov:{id}")));
        }
    }
    if let Some(i) = para.find("](") {
        found.extend(target(&para[i + 2..], ')').map(|u| (i, u)));
    }
    for attr in ["href=\"", "cite=\""] {
        if let Some(i) = para.find(attr) {
            found.extend(target(&para[i + attr.len()..], '"').map(|u| (i, u)));
        }
    }
    if let Some(i) = para.find("[^") {
        let label: String = para[i + 2..].chars().take_while(|c| *c != ']').collect();
        let definition = format!("[^{label}]:");
        let def = text.lines().find_map(|l| {
            l.trim_start()
                .strip_prefix(definition.as_str())
                .map(str::trim)
        });
        if let Some(def) = def {
            let cited = match def.find("prov:") {
                Some(p) => Some(format!(
                    "prov:{}",
                    def[p + 5..]
                        .chars()
                        .take_while(char::is_ascii_hexdigit)
                        .collect::<String>()
                )),
                None => def.split_whitespace().find(|w| w.contains("://")).map(|w| {
                    w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')'))
                        .to_owned()
                }),
            };
            found.extend(cited.map(|c| (i, c)));
        }
    }
    found
        .into_iter()
        .min_by_key(|(i, _)| *i)
        .map(|(_, c)| c)
        .filter(|c| c != "prov:")
}

/// The text up to `end` (a link target), if it is not empty.
fn target(s: &str, end: char) -> Option<String> {
    let t: String = s
        .chars()
        .take_while(|c| *c != end && !c.is_whitespace())
        .collect();
    (!t.is_empty()).then_some(t)
}

/// HTML as text for checking, at the same byte offsets (so lines and columns point into
/// the file): tags, comments, scripts and styles become spaces (newlines kept), and the
/// common quotation-mark and space entities become their character padded with spaces.
pub fn html_as_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // One space per byte, newlines kept, so offsets, lines and columns stay put.
    let blank = |s: &str, out: &mut String| {
        for c in s.chars() {
            if c == '\n' {
                out.push('\n');
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
    };
    let mut i = 0;
    let lower = html.to_ascii_lowercase();
    while i < html.len() {
        let rest = &html[i..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map_or(html.len(), |e| i + e + 3)
        } else if lower[i..].starts_with("<script") || lower[i..].starts_with("<style") {
            let close = if lower[i..].starts_with("<script") {
                "</script>"
            } else {
                "</style>"
            };
            lower[i..]
                .find(close)
                .map_or(html.len(), |e| i + e + close.len())
        } else if rest.starts_with('<') {
            rest.find('>').map_or(html.len(), |e| i + e + 1)
        } else if rest.starts_with('&') {
            let entity = rest.find(';').filter(|&e| e <= 8).map(|e| &rest[..=e]);
            let ch = entity.and_then(|e| match e {
                "&ldquo;" | "&#8220;" => Some('“'),
                "&rdquo;" | "&#8221;" => Some('”'),
                "&lsquo;" | "&#8216;" => Some('‘'),
                "&rsquo;" | "&#8217;" => Some('’'),
                "&quot;" | "&#34;" => Some('"'),
                "&laquo;" => Some('«'),
                "&raquo;" => Some('»'),
                "&amp;" => Some('&'),
                "&nbsp;" | "&#160;" => Some(' '),
                "&mdash;" => Some('—'),
                _ => None,
            });
            match (entity, ch) {
                (Some(e), Some(c)) => {
                    out.push(c);
                    out.extend(std::iter::repeat_n(' ', e.len() - c.len_utf8()));
                    i += e.len();
                    continue;
                }
                _ => {
                    out.push('&');
                    i += 1;
                    continue;
                }
            }
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        blank(&html[i..end], &mut out);
        i = end;
    }
    out
}

/// The stored document a citation names, if it is stored.
fn resolve(store: &Store, citation: &str) -> Result<Option<DocId>, VerifyError> {
    if let Some(id) = citation.strip_prefix("prov:") {
        return match store.resolve(id) {
            Ok(d) => Ok(Some(d)),
            Err(store::Error::UnknownDocument(_) | store::Error::BadId(_)) => Ok(None),
            Err(e) => Err(e.into()),
        };
    }
    Ok(store.document_by_url(citation)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_offsets() {
        let html = "<p class=\"x\">He said &ldquo;one two&rdquo;</p>\n<script>var a = \"no\";</script>&amp;";
        let text = html_as_text(html);
        assert_eq!(text.len(), html.len());
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.contains("He said “    one two”    "), "{text:?}");
        assert!(!text.contains("no"));
        assert!(text.ends_with('&') || text.trim_end().ends_with('&'));
    }

    #[test]
    fn positions_and_citations() {
        let t = "# Title\n\nShe said “one two three four” [here](https://x.test/a).\n";
        let at = t.find("one").unwrap();
        assert_eq!(line_column(t, at), (3, 11));
        assert_eq!(
            citation(t, t.find("” [").unwrap()).as_deref(),
            Some("https://x.test/a")
        );
        assert_eq!(
            citation("” (prov:abcd12).", 0).as_deref(),
            Some("prov:abcd12")
        );
        assert_eq!(citation("” and then nothing.", 0), None);
        let t = "“one two three four”[^1] more.\n\n[^1]: Ukrinform, https://x.test/b\n";
        assert_eq!(
            citation(t, t.find('”').unwrap()).as_deref(),
            Some("https://x.test/b")
        );
        let t = "“one two three four” (<a href=\"https://x.test/c\">source</a>)";
        assert_eq!(
            citation(t, t.find('”').unwrap()).as_deref(),
            Some("https://x.test/c")
        );
        let t = "<!-- prov:ignore paraphrased on purpose -->\n“x”";
        assert!(exempt(t, t.find('x').unwrap()));
        let t = "An unrelated line.\n\n“x”";
        assert!(!exempt(t, t.find('x').unwrap()));
        let t = "<!-- prov:ignore -->\n“x”";
        assert!(!exempt(t, t.find('x').unwrap()), "no reason given");
    }
}

/// Source drift: re-reads every tracked source file and re-fetches every fetched URL,
/// records a changed one as a new version, and reports the stored quotations of its
/// previous version that the newest version no longer has (with the diff when a close
/// passage remains). Findings name the source's path or URL and the quotation's line in
/// the previous version's text. A URL that can no longer be fetched is a finding too.
pub fn check_sources(
    store: &mut Store,
    config: &CheckConfig,
    fetch: &crate::fetch::FetchOptions,
) -> Result<Vec<Finding>, SourcesError> {
    use crate::ingest::{self, AddError, AddOptions, Input};
    use crate::store::status::PathState;

    let root = store.root().to_path_buf();
    let mut changed: Vec<(String, Input, DocId)> = store
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
    let mut findings = Vec::new();
    for url in store.fetched_urls()? {
        let source = crate::store::SourceRef {
            kind: crate::store::SourceKind::Url,
            locator: url.clone(),
        };
        if let Some(newest) = store.versions(&source)?.last() {
            changed.push((url.clone(), Input::Url(url), newest.doc));
        }
    }
    let options = AddOptions {
        fetch: fetch.clone(),
        ..AddOptions::default()
    };
    for (label, input, stored) in changed {
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
            continue;
        }
        let Some(newest) = summary.added.first().map(|a| a.id) else {
            continue;
        };
        // A URL that served the same bytes again: nothing to compare.
        if newest == stored {
            continue;
        }
        findings.extend(drift(store, config, &label, stored, newest)?);
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
    for q in quotes.iter().filter(|q| q.quote.kind != "term") {
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
                    "the source was edited: version {} now says “{}”",
                    newest.short(),
                    e.text
                ),
                e.diff.clone(),
            ),
            None => (
                FindingKind::Unsupported,
                format!(
                    "the source was edited: version {} no longer has this quotation",
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
