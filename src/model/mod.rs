//! The vocabulary every stage speaks: document and quotation ids, quotation kinds,
//! verdicts and word diffs, documents' metadata, formats, sources and publications.
//!
//! Nothing here does I/O or knows how anything is stored: extraction, alignment, the
//! store, verification and the command line build on these types, and this module builds
//! on none of them. Strings exist only at the edges (SQL, JSON, the command line), where
//! each type's `as_str` and `parse` convert.

use std::fmt;

mod correction;
mod id;
mod quote;
mod source;

pub use correction::{Removal, SpeakerCorrection, SpeakerMerge};
pub use id::{DocId, MIN_PREFIX_LEN, SHORT_LEN, normalize_prefix};
pub use quote::{Change, DiffOp, QuoteKind, SpeakerKind, Verdict};
pub use source::{
    DocFormat, FetchRecord, Metadata, Publication, PublicationFilter, RecordedBy, SourceKind,
    SourceRef, calendar_date, clean_url, credentials_span, is_tracking, source_url,
    without_credentials,
};

/// Shows a value as the name it is stored and printed under (`exact`, `direct`, `html`…).
macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }
    )*};
}

display_as_str!(
    QuoteKind,
    SpeakerKind,
    Verdict,
    DiffOp,
    DocFormat,
    SourceKind,
    RecordedBy
);
