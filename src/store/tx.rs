//! Writes: the one way the library's stages change a store.
//!
//! [`Store::write`](super::Store::write) runs a closure with a [`Tx`] and commits what it
//! did as a whole, or nothing when it fails. The methods here are every change the add
//! pipeline and the indexes make, in the model's types; which tables and statements carry
//! them is the store's business, so no database type appears outside this module.

use rusqlite::Transaction;

use super::Result;
use super::documents::{self, DocForm, NewPublication, PublicationChange};
use super::quotes::{self, NewQuote};
use super::{index, matches, shingles};
use crate::model::{DocId, FetchRecord, Metadata, SourceRef, Verdict};

/// An open write transaction (see [`Store::write`](super::Store::write)).
pub struct Tx<'t> {
    pub(super) sql: &'t Transaction<'t>,
}

impl Tx<'_> {
    /// Inserts a new document row; returns its row number.
    pub fn insert_document(
        &self,
        id: &DocId,
        size: u64,
        encoding: &str,
        added_at: &str,
        meta: &Metadata,
        form: &DocForm,
    ) -> Result<i64> {
        documents::insert_document(self.sql, id, size, encoding, added_at, meta, form)
    }

    /// The row number and stored metadata of `id`, if it is stored.
    pub fn stored_metadata(&self, id: &DocId) -> Result<Option<(i64, Metadata)>> {
        documents::stored_metadata(self.sql, id)
    }

    /// The article text object of a stored document, if it has one.
    pub fn text_id_of(&self, id: &DocId) -> Result<Option<DocId>> {
        documents::text_id_of(self.sql, id)
    }

    /// Replaces what extraction reads of a stored document's metadata (language,
    /// interview roles, transcript speakers).
    pub fn update_hints(&self, id: &DocId, meta: &Metadata) -> Result<()> {
        documents::update_hints(self.sql, id, meta)
    }

    /// Records a publication of document row `doc` (see
    /// [`documents::record_publication`]).
    pub fn record_publication(
        &self,
        doc: i64,
        new: &NewPublication<'_>,
    ) -> Result<PublicationChange> {
        documents::record_publication(self.sql, doc, new)
    }

    /// Records `id` as the newest version of `source` unless it already is: the new
    /// version's number and the document it follows, or `None` when nothing changed.
    pub fn append_version(
        &self,
        source: &SourceRef,
        id: &DocId,
        added_at: &str,
    ) -> Result<Option<(u32, Option<DocId>)>> {
        documents::append_version(self.sql, source, id, added_at)
    }

    /// Records that the working-tree file `path` holds `id`.
    pub fn track_path(&self, path: &str, id: &DocId, added_at: &str) -> Result<()> {
        documents::track_path(self.sql, path, id, added_at)
    }

    /// Records one fetch of a URL that gave `id`.
    pub fn record_fetch(&self, fetch: &FetchRecord, id: &DocId) -> Result<()> {
        documents::record_fetch(self.sql, fetch, id)
    }

    /// Replaces a document's quotations; returns their rows, in order.
    pub fn replace_quotes(&self, doc: &DocId, quotes: &[NewQuote]) -> Result<Vec<i64>> {
        quotes::replace_quotes(self.sql, doc, quotes)
    }

    /// Stored quotations (rows) sharing grams with `grams`, with how many they share.
    pub fn shared_grams(&self, grams: &[i64]) -> Result<Vec<(i64, usize)>> {
        matches::shared_grams(self.sql, grams)
    }

    /// Records the grams of stored quotation `qid`, for later reprints to find it.
    pub fn add_grams(&self, qid: i64, grams: &[i64]) -> Result<()> {
        matches::add_grams(self.sql, qid, grams)
    }

    /// The text of stored quotation `qid`; `None` when there is no such row (any more).
    pub fn quote_text(&self, qid: i64) -> Result<Option<String>> {
        matches::quote_text(self.sql, qid)
    }

    /// Records that quotation `qid` is a reprint of `other` (see [`matches::join`]).
    pub fn join(&self, qid: i64, other: i64, verdict: Verdict, similarity: f32) -> Result<()> {
        matches::join(self.sql, qid, other, verdict, similarity)
    }

    /// Adds documents' word-shingle fingerprints to the fingerprint index.
    pub fn add_fingerprints(&self, docs: &[(i64, &[u32])]) -> Result<()> {
        shingles::add_documents(self.sql, docs)
    }

    /// Marks documents as in the fingerprint index.
    pub fn clear_fingerprints_pending(&self, docs: &[i64]) -> Result<()> {
        shingles::clear_pending(self.sql, docs)
    }

    /// Adds a document's text to the full-text index under its row number.
    pub fn index_text(&self, seq: i64, text: &str) -> Result<()> {
        index::index_text(self.sql, seq, text)
    }
}
