//! W3C Web Annotation: one `Annotation` per piece of evidence, what annotation tools
//! (Hypothesis and others) read.
//!
//! The annotations come as one `AnnotationCollection` whose embedded first
//! `AnnotationPage` lists them in `items`: that is how the Web Annotation model (§5) ships
//! several annotations in one document, with one `@context`. A bare JSON array would be
//! valid JSON-LD but is no resource of the model, so a client could not tell the list
//! from any other array.
//!
//! Each annotation's `target.source` is the publication's URL when the document has one,
//! else `urn:blake3:<hex>` ([`super::document_iri`]), and its `target.selector` holds a
//! `TextQuoteSelector` (`exact` with up to [`CONTEXT_CHARS`] code points of `prefix` and
//! `suffix`) and a `TextPositionSelector`. Positions count Unicode code points from the
//! start of the text prov reads (what `prov cat --text` prints), the unit the model
//! prescribes; prov's evidence offsets are already code points, so they are used as they
//! are. For an HTML page that text is the article prov extracted, so tools should anchor
//! by the quote selector first, as the model recommends. The `body` is a `TextualBody`
//! stating the verdict and the speaker; the motivation is `assessing`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::claimreview::explanation;
use super::{Export, ExportError, Result, document_iri};
use crate::model::DocId;
use crate::store::Store;
use crate::text;
use crate::verify::{Evidence, VerifyReport};

/// How many code points of context `prefix` and `suffix` hold, at most.
pub const CONTEXT_CHARS: usize = 32;

/// The text around one passage, as a `TextQuoteSelector` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// The Web Annotation export of a verification, with the documents' text around each
/// passage read from the store.
#[derive(Debug, Clone, Default)]
pub struct WebAnnotation {
    quotes: HashMap<(DocId, usize, usize), Quote>,
}

impl WebAnnotation {
    /// Reads each evidence document's text once for its selectors.
    pub fn from_store(store: &Store, report: &VerifyReport) -> Result<WebAnnotation> {
        let mut quotes = HashMap::new();
        let mut docs: Vec<DocId> = report.evidence.iter().map(|e| e.doc).collect();
        docs.sort_unstable();
        docs.dedup();
        for doc in docs {
            let Some(row) = store.document(&doc)? else {
                continue;
            };
            let text = text::stored_text(store.objects(), &doc, row.text_id.as_ref()).map_err(
                |source| ExportError::Text {
                    doc: doc.to_hex(),
                    source,
                },
            )?;
            let chars: Vec<char> = text.chars().collect();
            for e in report.evidence.iter().filter(|e| e.doc == doc) {
                if let Some(q) = quote_at(&chars, e.start, e.end) {
                    quotes.insert((doc, e.start, e.end), q);
                }
            }
        }
        Ok(WebAnnotation { quotes })
    }
}

/// The passage at code points `start..end` of `chars` with its context, if in range.
pub fn quote_at(chars: &[char], start: usize, end: usize) -> Option<Quote> {
    if start > end || end > chars.len() {
        return None;
    }
    let s = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    Some(Quote {
        exact: s(start..end),
        prefix: s(start.saturating_sub(CONTEXT_CHARS)..start),
        suffix: s(end..(end + CONTEXT_CHARS).min(chars.len())),
    })
}

impl Export for WebAnnotation {
    type Report = VerifyReport;

    fn to_json_ld(&self, r: &VerifyReport) -> Value {
        let items: Vec<Value> = r.evidence.iter().map(|e| self.annotation(r, e)).collect();
        json!({
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": uuid_urn(&["collection", &r.query]),
            "type": "AnnotationCollection",
            "label": format!("prov verify: {}", r.query),
            "total": items.len(),
            "first": {
                "id": uuid_urn(&["page", &r.query]),
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": items,
            },
        })
    }
}

impl WebAnnotation {
    fn annotation(&self, r: &VerifyReport, e: &Evidence) -> Value {
        let source = e.url.clone().unwrap_or_else(|| document_iri(&e.doc));
        let quote = self
            .quotes
            .get(&(e.doc, e.start, e.end))
            .cloned()
            .unwrap_or_else(|| Quote {
                exact: e.text.clone(),
                prefix: e
                    .before
                    .chars()
                    .rev()
                    .take(CONTEXT_CHARS)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect(),
                suffix: e.after.chars().take(CONTEXT_CHARS).collect(),
            });
        let mut body = format!("{}: {}", e.verdict.as_str(), explanation(e.verdict));
        match (&e.speaker, &e.mention) {
            (Some(s), _) => body.push_str(&format!("; said by {s} there")),
            (None, Some(m)) => body.push_str(&format!("; attributed to “{m}” there")),
            (None, None) => {}
        }
        if e.superseded_by.is_some() {
            body.push_str("; an older version of its source (the source has changed since)");
        }
        let mut quote_selector = Map::new();
        quote_selector.insert("type".into(), json!("TextQuoteSelector"));
        quote_selector.insert("exact".into(), json!(quote.exact));
        if !quote.prefix.is_empty() {
            quote_selector.insert("prefix".into(), json!(quote.prefix));
        }
        if !quote.suffix.is_empty() {
            quote_selector.insert("suffix".into(), json!(quote.suffix));
        }
        json!({
            "id": uuid_urn(&[
                "annotation",
                &r.query,
                &e.doc.to_hex(),
                &e.start.to_string(),
                &e.end.to_string(),
            ]),
            "type": "Annotation",
            "motivation": "assessing",
            "body": {
                "type": "TextualBody",
                "value": body,
                "format": "text/plain",
                "purpose": "assessing",
            },
            "target": {
                "source": source,
                "selector": [
                    Value::Object(quote_selector),
                    {"type": "TextPositionSelector", "start": e.start, "end": e.end},
                ],
            },
        })
    }
}

/// A `urn:uuid:` made from the BLAKE3 hash of `parts` (a version 8 UUID, RFC 9562): the
/// model asks each annotation for an IRI, and the same evidence always gets the same one.
fn uuid_urn(parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0]);
    }
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.finalize().as_bytes()[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_count_code_points_not_bytes() {
        let text = "Он сказал: «Ничего не изменилось», — и ушёл.";
        let chars: Vec<char> = text.chars().collect();
        let start = text.chars().position(|c| c == 'Н').unwrap();
        let end = start + "Ничего не изменилось".chars().count();
        let q = quote_at(&chars, start, end).unwrap();
        assert_eq!(q.exact, "Ничего не изменилось");
        assert_eq!(q.prefix, "Он сказал: «");
        assert_eq!(q.suffix, "», — и ушёл.");
        assert!(quote_at(&chars, end, start).is_none());
        assert!(quote_at(&chars, 0, chars.len() + 1).is_none());
    }

    #[test]
    fn context_is_at_most_32_code_points() {
        let chars: Vec<char> = "x".repeat(100).chars().collect();
        let q = quote_at(&chars, 50, 60).unwrap();
        assert_eq!(q.prefix.chars().count(), CONTEXT_CHARS);
        assert_eq!(q.suffix.chars().count(), CONTEXT_CHARS);
    }

    #[test]
    fn ids_are_stable_version_8_uuids() {
        let a = uuid_urn(&["a", "b"]);
        assert_eq!(a, uuid_urn(&["a", "b"]));
        assert_ne!(a, uuid_urn(&["ab", ""]));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a["urn:uuid:".len() + 14..][..1], "8");
    }
}
