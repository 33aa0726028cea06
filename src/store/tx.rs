//! Writes: the one way the library's stages change a store.
//!
//! [`Store::write`](super::Store::write) runs a closure with a [`Tx`] and commits what it
//! did as a whole, or nothing when it fails. `Tx`'s methods are every change the add
//! pipeline and the indexes make, in the model's types, each written beside the tables it
//! changes (`documents`, `quotes`, `matches`, `shingles`, `index`); no database type
//! appears in them.

use super::db::{Sql, args};
use super::{Result, documents, matches};
use crate::model::DocId;

/// An open write transaction (see [`Store::write`](super::Store::write)).
pub struct Tx<'t> {
    pub(super) sql: Sql<'t>,
    /// This write's number, once it holds the write lock.
    number: std::cell::Cell<Option<i64>>,
    /// Speakers this transaction has looked up or created, and rows it holds back.
    pub(super) held: std::cell::RefCell<super::quotes::Held>,
}

impl<'t> Tx<'t> {
    pub(super) fn new(sql: Sql<'t>, number: Option<i64>) -> Self {
        Tx {
            sql,
            number: std::cell::Cell::new(number),
            held: Default::default(),
        }
    }
}

impl Tx<'_> {
    /// Writes what the transaction held back, and the ids of the quotations it wrote to
    /// the quotation-id index as one segment; runs before it commits.
    pub(super) fn finish(&self) -> Result<()> {
        self.flush_held()?;
        let keys = std::mem::take(&mut self.held.borrow_mut().id_keys);
        if keys.is_empty() {
            return Ok(());
        }
        self.lock()?;
        super::postings::write_segment(self.sql, super::postings::Index::QuoteIds, keys)
    }

    /// The transaction, for the store's own modules' statements.
    pub(super) fn db(&self) -> Sql<'_> {
        self.sql
    }

    /// This write's number: every write transaction takes the next one, in commit order
    /// (see `schema/0010_writes.sql`), so a number read earlier on another connection
    /// tells how many writes committed since.
    ///
    /// Only a transaction holding the write lock has one (see [`Tx::lock`]); before, this
    /// is 0, which no write takes.
    pub fn number(&self) -> i64 {
        self.number.get().unwrap_or(0)
    }

    /// Takes the write lock and this write's number, if not held yet: from here on no
    /// other writer changes the store until this one commits or rolls back.
    pub fn lock(&self) -> Result<()> {
        if self.number.get().is_some() {
            return Ok(());
        }
        self.sql
            .execute("SELECT pg_advisory_xact_lock(?1)", args![super::WRITE_LOCK])?;
        self.number.set(Some(next_write(self.sql)?));
        Ok(())
    }
}

/// Takes the next write number, inside a write transaction that holds the write lock.
pub(super) fn next_write(db: Sql<'_>) -> Result<i64> {
    db.query_one(
        "UPDATE writes SET n = n + 1 WHERE id = 0 RETURNING n",
        args![],
        |r| r.get(0),
    )
}

/// The number of the last committed write, read on any connection.
pub(super) fn last_write(db: Sql<'_>) -> Result<i64> {
    db.query_one("SELECT n FROM writes WHERE id = 0", args![], |r| r.get(0))
}

/// Lookups the pipeline makes inside its write transaction; the same queries also run on
/// read-only connections, so they are written once over a connection.
impl Tx<'_> {
    /// The article text object of a stored document, if it has one.
    pub fn text_id_of(&self, id: &DocId) -> Result<Option<DocId>> {
        documents::text_id(self.db(), id)
    }

    /// Stored quotations (rows) sharing grams with `grams`, with how many they share.
    pub fn shared_grams(&self, grams: &[i64]) -> Result<matches::SharedGrams> {
        matches::shared_grams(self.db(), grams)
    }

    /// The texts of stored quotations `qids`, by row; rows gone are left out.
    pub fn quote_texts(&self, qids: &[i64]) -> Result<rustc_hash::FxHashMap<i64, String>> {
        self.flush_held()?;
        matches::quote_texts(self.db(), qids)
    }

    /// The surnames of the speakers of stored quotations `qids`, by row; quotations with
    /// no speaker are left out.
    pub fn quote_surnames(&self, qids: &[i64]) -> Result<rustc_hash::FxHashMap<i64, String>> {
        self.flush_held()?;
        matches::quote_surnames(self.db(), qids)
    }

    /// The text of stored quotation `qid`; `None` when there is no such row (any more).
    pub fn quote_text(&self, qid: i64) -> Result<Option<String>> {
        self.flush_held()?;
        matches::quote_text(self.db(), qid)
    }
}
