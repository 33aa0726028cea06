//! Quotations that appear in more than one document: the gram index that finds them at
//! add time, and the groups they form (one group per utterance, whatever the number of
//! reprints).

use std::path::PathBuf;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::db::{Param, Sql, args};
use super::quotes::{QUOTE_COLUMNS, StoredQuote, quote_from_row};
use super::{Result, Store, Tx};
use crate::model::DocId;
use crate::model::Verdict;
use crate::store::documents::parse_id;

/// One quotation of a group, with where and when it was published.
#[derive(Debug, Clone, Serialize)]
pub struct GroupMember {
    #[serde(flatten)]
    pub quote: StoredQuote,
    /// The document's first publication.
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// How its wording reads against the member it joined through; absent for the one
    /// that founded the group.
    pub verdict: Option<Verdict>,
    pub similarity: Option<f32>,
}

/// A quotation and its reprints in other documents.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteGroup {
    /// The id of its earliest stored quotation.
    pub id: String,
    pub documents: usize,
    pub outlets: usize,
    /// Members, earliest published first (undated last).
    pub members: Vec<GroupMember>,
}

/// How to list groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupOrder {
    /// Most documents first.
    #[default]
    Largest,
    /// Most recently published member first.
    Newest,
}

/// Stored quotations (rows) sharing grams with `grams`, with how many they share (for a
/// [`Tx`] and a [`Snapshot`] alike).
pub(super) fn shared_grams(db: Sql<'_>, grams: &[i64]) -> Result<Vec<(i64, usize)>> {
    let mut counts: Vec<(i64, usize)> = Vec::new();
    let mut count = |r: &super::db::Row<'_>| {
        let id: i64 = r.get(0)?;
        match counts.iter_mut().find(|(q, _)| *q == id) {
            Some((_, n)) => *n += 1,
            None => counts.push((id, 1)),
        }
        Ok(())
    };
    // A gram shared by many quotations ("we are going to") says little: look at a few
    // (the first 16 by row) of each.
    match db.engine() {
        // In process, one cached lookup per gram is as fast as anything.
        super::Engine::Sqlite => {
            for g in grams {
                db.each(
                    "SELECT qid FROM quote_grams WHERE gram = ?1 ORDER BY qid LIMIT 16",
                    args![g],
                    &mut count,
                )?;
            }
        }
        // Over the network, one statement for many grams.
        super::Engine::Postgres => {
            super::db::chunked(grams, |chunk| {
                let values: Vec<&dyn Param> = chunk.iter().map(|g| g as &dyn Param).collect();
                let sql = format!(
                    "SELECT l.qid FROM (VALUES {}) AS g(gram) CROSS JOIN LATERAL \
                     (SELECT qid FROM quote_grams WHERE gram = CAST(g.gram AS BIGINT) \
                      ORDER BY qid LIMIT 16) l",
                    super::db::placeholders(chunk.len(), 1)
                );
                db.each(&sql, &values, &mut count)
            })?;
        }
    }
    Ok(counts)
}

/// The text of a stored quotation; `None` when no row `qid` exists (any more).
pub(super) fn quote_text(db: Sql<'_>, qid: i64) -> Result<Option<String>> {
    db.query_opt("SELECT text FROM quotes WHERE qid = ?1", args![qid], |r| {
        r.get(0)
    })
}

/// Opens read-only connections to a store from any thread, to look up stored quotations
/// while the store's own connection writes (an add prepares its next batch's candidates
/// this way while it commits the current one). Connections are kept for reuse, with
/// their page caches.
#[derive(Debug, Clone)]
pub struct SnapshotOpener {
    target: Target,
    idle: std::sync::Arc<std::sync::Mutex<Vec<SnapshotConn>>>,
}

/// The database a snapshot connects to.
#[derive(Debug, Clone)]
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug)]
enum SnapshotConn {
    Sqlite(Connection),
    Postgres(super::db::postgres::Session),
}

/// A read-only connection: each lookup sees the store as of the last commit.
pub struct Snapshot {
    conn: Option<SnapshotConn>,
    idle: std::sync::Arc<std::sync::Mutex<Vec<SnapshotConn>>>,
}

/// Page cache of a snapshot's connection (KiB): the quotation and gram indexes it reads
/// are the add's hot pages.
const SNAPSHOT_CACHE_KIB: i64 = 65_536;

impl SnapshotOpener {
    pub fn open(&self) -> Result<Snapshot> {
        let kept = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match (kept, &self.target) {
            (Some(conn), _) => conn,
            (None, Target::Sqlite(db)) => {
                let conn = Connection::open_with_flags(
                    db,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.busy_timeout(super::BUSY_TIMEOUT)?;
                conn.pragma_update(None, "cache_size", -SNAPSHOT_CACHE_KIB)?;
                SnapshotConn::Sqlite(conn)
            }
            (None, Target::Postgres(url)) => {
                SnapshotConn::Postgres(super::db::postgres::Session::connect(url)?)
            }
        };
        Ok(Snapshot {
            conn: Some(conn),
            idle: self.idle.clone(),
        })
    }
}

impl Snapshot {
    fn db(&self) -> Result<Sql<'_>> {
        // Taken only when the snapshot is dropped.
        match &self.conn {
            Some(SnapshotConn::Sqlite(c)) => Ok(Sql::Sqlite(c)),
            Some(SnapshotConn::Postgres(s)) => Ok(Sql::Postgres(s)),
            None => Err(super::Error::Database(
                "the snapshot's connection was closed".into(),
            )),
        }
    }

    /// The number of the last write committed (see [`super::Tx::number`]): lookups made
    /// after reading it see every write up to it.
    pub fn last_write(&self) -> Result<i64> {
        super::tx::last_write(self.db()?)
    }

    /// See [`shared_grams`].
    pub fn shared_grams(&self, grams: &[i64]) -> Result<Vec<(i64, usize)>> {
        shared_grams(self.db()?, grams)
    }

    /// See [`quote_text`].
    pub fn quote_text(&self, qid: i64) -> Result<Option<String>> {
        quote_text(self.db()?, qid)
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.idle.lock()) {
            idle.push(conn);
        }
    }
}

impl Store {
    /// Opens [`Snapshot`]s of this store.
    pub fn snapshots(&self) -> SnapshotOpener {
        let target = match (&self.location, &self.dir) {
            (super::Location::Postgres(url), _) => Target::Postgres(url.clone()),
            (super::Location::Dir(root), dir) => Target::Sqlite(
                dir.clone()
                    .unwrap_or_else(|| root.join(super::STORE_DIR))
                    .join(super::DB_FILE),
            ),
        };
        SnapshotOpener {
            target,
            idle: Default::default(),
        }
    }
}

/// The group of row `qid` (`Some(None)` when it has none); `None` when there is no such
/// row.
/// A quotation's group: `None` when there is no such row, `Some(None)` when it is in none.
type GroupOf = Option<Option<i64>>;

/// The groups of two quotations (rows), in one statement: for each, `None` when there is
/// no such row (any more), `Some(None)` when it is in no group.
fn groups_of(tx: Sql<'_>, a: i64, b: i64) -> Result<(GroupOf, GroupOf)> {
    let rows = tx.query(
        // Two lookups by key: PostgreSQL's cached plan for `qid IN (…)` can be a scan.
        "SELECT qid, grp FROM quotes WHERE qid = ?1 \
         UNION ALL SELECT qid, grp FROM quotes WHERE qid = ?2",
        args![a, b],
        |r| Ok((r.get::<i64>(0)?, r.get::<Option<i64>>(1)?)),
    )?;
    let find = |q: i64| rows.iter().find(|(id, _)| *id == q).map(|(_, g)| *g);
    Ok((find(a), find(b)))
}

impl Store {
    /// The quotations grouped with the one at row `qid` (itself excluded).
    pub fn group_members(&self, qid: i64) -> Result<Vec<GroupMember>> {
        let grp: Option<i64> = self
            .db()
            .query_opt("SELECT grp FROM quotes WHERE qid = ?1", args![qid], |r| {
                r.get(0)
            })?
            .flatten();
        let Some(grp) = grp else {
            return Ok(Vec::new());
        };
        let mut members = self.members(grp)?;
        let own = self.quote_by_row(qid)?.id;
        members.retain(|m| m.quote.id != own);
        Ok(members)
    }

    fn members(&self, grp: i64) -> Result<Vec<GroupMember>> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS}, d.outlet, d.published, q.grp_verdict, q.grp_similarity \
             FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
             JOIN documents d ON d.seq = q.doc WHERE q.grp = ?1 \
             ORDER BY d.published IS NULL, d.published, q.qid"
        );
        let rows = self.db().query(&sql, args![grp], |r| {
            let (doc, quote) = quote_from_row(r)?;
            Ok((
                doc,
                quote,
                r.get::<Option<String>>(QUOTE_FIELDS)?,
                r.get::<Option<String>>(QUOTE_FIELDS + 1)?,
                if r.is_null(QUOTE_FIELDS + 2)? {
                    None
                } else {
                    Some(r.named(QUOTE_FIELDS + 2, Verdict::parse)?)
                },
                r.get::<Option<f64>>(QUOTE_FIELDS + 3)?,
            ))
        })?;
        rows.into_iter()
            .map(|(doc, mut quote, outlet, published, verdict, similarity)| {
                quote.doc = parse_id(&doc)?;
                Ok(GroupMember {
                    quote,
                    outlet,
                    published,
                    verdict,
                    similarity: similarity.map(|s| s as f32),
                })
            })
            .collect()
    }

    /// Groups of quotations found in more than one document, optionally only those with a
    /// quotation in `doc`; at most `limit`.
    pub fn groups(
        &self,
        doc: Option<&DocId>,
        order: GroupOrder,
        limit: usize,
    ) -> Result<Vec<QuoteGroup>> {
        let order_by = match order {
            GroupOrder::Largest => "count(DISTINCT q.doc) DESC, max(d.published) DESC, q.grp",
            GroupOrder::Newest => "max(d.published) IS NULL, max(d.published) DESC, q.grp DESC",
        };
        let sql = format!(
            "SELECT q.grp FROM quotes q JOIN documents d ON d.seq = q.doc \
             WHERE q.grp IS NOT NULL AND (CAST(?1 AS TEXT) IS NULL OR q.grp IN ( \
                 SELECT grp FROM quotes WHERE doc = (SELECT seq FROM documents WHERE id = ?1))) \
             GROUP BY q.grp HAVING count(DISTINCT q.doc) > 1 ORDER BY {order_by} LIMIT ?2"
        );
        let ids = self.db().query(
            &sql,
            args![doc.map(|d| d.to_hex()), limit.min(i64::MAX as usize) as i64],
            |r| r.get::<i64>(0),
        )?;
        ids.into_iter()
            .map(|g| {
                let members = self.members(g)?;
                let mut docs: Vec<DocId> = members.iter().map(|m| m.quote.doc).collect();
                docs.sort_unstable();
                docs.dedup();
                let mut outlets: Vec<&str> =
                    members.iter().filter_map(|m| m.outlet.as_deref()).collect();
                outlets.sort_unstable();
                outlets.dedup();
                let id = members
                    .iter()
                    .find_map(|m| m.quote.group.clone())
                    .unwrap_or_default();
                Ok(QuoteGroup {
                    id,
                    documents: docs.len(),
                    outlets: outlets.len(),
                    members,
                })
            })
            .collect()
    }
}

/// Columns [`QUOTE_COLUMNS`] reads, so extra columns follow at this index.
const QUOTE_FIELDS: usize = super::quotes::QUOTE_COLUMN_COUNT;

impl Tx<'_> {
    /// Records the grams of a stored quotation (by row).
    pub fn add_grams(&self, qid: i64, grams: &[i64]) -> Result<()> {
        let values: Vec<&dyn Param> = grams
            .iter()
            .flat_map(|g| [g as &dyn Param, &qid as &dyn Param])
            .collect();
        self.db().insert_many(
            "quote_grams (gram, qid)",
            2,
            &values,
            "ON CONFLICT DO NOTHING",
        )?;
        Ok(())
    }

    /// Records that quotation `qid` is a reprint of quotation `other` (`verdict` and
    /// `similarity` say how its wording reads against it): `qid` joins `other`'s group, a
    /// group is founded by `other` when it has none, and two groups that meet become one.
    pub fn join(&self, qid: i64, other: i64, verdict: Verdict, similarity: f32) -> Result<()> {
        let tx = self.db();
        let set = |q: i64, g: i64, verdict: Option<Verdict>, similarity: Option<f32>| {
            tx.execute(
                "UPDATE quotes SET grp = ?2, grp_verdict = ?3, grp_similarity = ?4 WHERE qid = ?1",
                args![
                    q,
                    g,
                    verdict.map(Verdict::as_str),
                    similarity.map(f64::from)
                ],
            )
        };
        // Rows found through a snapshot may have been replaced since (a document extracted
        // again): a row that is gone joins nothing.
        let (Some(mine), Some(theirs)) = groups_of(tx, qid, other)? else {
            return Ok(());
        };
        match (mine, theirs) {
            (None, None) => {
                tx.execute(
                    "INSERT INTO quote_groups (id) VALUES (?1) ON CONFLICT DO NOTHING",
                    args![other],
                )?;
                set(other, other, None, None)?;
                set(qid, other, Some(verdict), Some(similarity))?;
            }
            (None, Some(g)) => {
                set(qid, g, Some(verdict), Some(similarity))?;
            }
            (Some(g), None) => {
                set(other, g, Some(verdict), Some(similarity))?;
            }
            (Some(a), Some(b)) if a != b => {
                // The older group absorbs the newer one.
                let (keep, gone) = (a.min(b), a.max(b));
                tx.execute(
                    "UPDATE quotes SET grp = ?1 WHERE grp = ?2",
                    args![keep, gone],
                )?;
                tx.execute("DELETE FROM quote_groups WHERE id = ?1", args![gone])?;
                if gone == qid {
                    // `qid` founded the newer group, so it had joined nothing: this is how it
                    // reads against the quotation it now joins through.
                    set(qid, keep, Some(verdict), Some(similarity))?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}
