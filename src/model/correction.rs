//! Corrections people make to the store, each with who made it and when: a document taken
//! out of the evidence (`prov rm`), a quotation's speaker set by hand.

use serde::Serialize;

use super::DocId;

/// A document taken out of listings, retrieval, matches and checks, and why. Its bytes
/// stay until `prov gc` deletes them (`purged_at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub document: DocId,
    /// RFC 3339, UTC.
    pub removed_at: String,
    pub removed_by: String,
    pub reason: String,
    /// When `prov rm --undo` put it back, and who did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored_by: Option<String>,
    /// When `prov gc` deleted its bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purged_at: Option<String>,
}

impl Removal {
    /// Whether the document is out of the evidence now (not restored).
    pub fn is_current(&self) -> bool {
        self.restored_at.is_none()
    }
}

/// Two speakers a person decided are one: `alias` is `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerMerge {
    /// The person kept.
    pub name: String,
    /// The name merged into it.
    pub alias: String,
    /// RFC 3339, UTC.
    pub merged_at: String,
    pub merged_by: String,
}

/// A quotation's speaker as a person set it: it wins over extraction and survives
/// re-extraction, since it is keyed by the quotation's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerCorrection {
    /// The quotation's full hex id.
    pub quote: String,
    /// The speaker; `None` when the quotation has none.
    pub speaker: Option<String>,
    /// RFC 3339, UTC.
    pub corrected_at: String,
    pub corrected_by: String,
}
