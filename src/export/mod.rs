//! Exports to the standards the field reads: schema.org ClaimReview (what fact-checkers
//! publish and search engines read), W3C Web Annotation (what annotation tools read) and
//! W3C PROV-O (provenance graphs).
//!
//! Each format is one small module behind [`Export`]: it takes one of the library's report
//! types (a [`crate::verify::VerifyReport`] or a [`crate::verify::TraceReport`]) and returns
//! a JSON-LD document as a [`serde_json::Value`]. What a format needs beyond the report (a
//! document's text for selectors, a source's versions for revisions, today's date) is
//! gathered from the store by that format's constructor, so rendering itself does no I/O
//! and the CLI only prints what comes back.

pub mod annotation;
pub mod claimreview;
pub mod prov_o;

pub use annotation::WebAnnotation;
pub use claimreview::ClaimReview;
pub use prov_o::ProvO;

use crate::model::DocId;
use crate::store;

/// A JSON-LD export of one report type.
pub trait Export {
    /// The report this format renders.
    type Report;

    /// The JSON-LD document for `report`.
    fn to_json_ld(&self, report: &Self::Report) -> serde_json::Value;
}

/// Why an export could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error("reading the text of document {doc}: {source}")]
    Text { doc: String, source: store::Error },
}

pub type Result<T> = std::result::Result<T, ExportError>;

/// The IRI prov names a stored document by: its BLAKE3 hash, as content-addressed stores
/// do. The same in every format, so graphs from two exports join on it.
pub fn document_iri(doc: &DocId) -> String {
    format!("urn:blake3:{}", doc.to_hex())
}

/// A publication date as schema.org and XML Schema write one: a calendar date
/// (`2025-06-23`) as it is, a timestamp (`2025-06-23T08:42:00Z`) as it is. Anything else
/// is not a date and is left out.
pub(crate) fn publication_date(published: Option<&str>) -> Option<&str> {
    let p = published?;
    crate::model::calendar_date(p).map(|_| p)
}

/// Whether a stored date carries a time of day (`xsd:dateTime`) or not (`xsd:date`).
pub(crate) fn has_time(date: &str) -> bool {
    date.len() > 10
}
