//! Quotations that appear in more than one document: the gram index that finds them at
//! add time, and the groups they form (one group per utterance, whatever the number of
//! reprints).

use std::path::PathBuf;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::db::{Param, Sql, args, chunked, each_lateral, typed_rows, typed_values};
use super::quotes::{QUOTE_COLUMNS, StoredQuote, quote_from_row};
use super::{Result, Store, Tx};
use crate::model::DocId;
use crate::model::Verdict;
use crate::store::documents::parse_id;
use rustc_hash::FxHashMap;

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

/// How many stored quotations of one gram matching looks at: a gram shared by many
/// quotations ("we are going to") says little, so only the first few by row are read.
pub const GRAM_ROWS: usize = 16;

/// What the stored quotations sharing grams with a new one are (see [`shared_grams`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedGrams {
    /// Rows sharing grams, with how many of the grams each shares.
    pub rows: Vec<(i64, usize)>,
    /// The grams already held by [`GRAM_ROWS`] quotations or more. A row recorded for one
    /// of them could never be read (lookups read the first rows, and rows only grow), so
    /// none is recorded.
    pub full: Vec<i64>,
}

/// Stored quotations (rows) sharing grams with `grams`, with how many they share, reading
/// the first [`GRAM_ROWS`] rows of each gram (for a [`Tx`] and a [`Snapshot`] alike).
pub(super) fn shared_grams(db: Sql<'_>, grams: &[i64]) -> Result<SharedGrams> {
    let mut out = SharedGrams::default();
    let mut per_gram: FxHashMap<i64, usize> = FxHashMap::default();
    // Counted in a map: a long quotation's grams can bring thousands of rows.
    let mut per_row: FxHashMap<i64, usize> = FxHashMap::default();
    let mut count = |r: &super::db::Row<'_>| {
        let gram: i64 = r.get(0)?;
        let id: i64 = r.get(1)?;
        *per_gram.entry(gram).or_default() += 1;
        *per_row.entry(id).or_default() += 1;
        Ok(())
    };
    let limit = GRAM_ROWS as i64;
    match db.engine() {
        // In process, one cached lookup per gram is as fast as anything.
        super::Engine::Sqlite => {
            for g in grams {
                db.each(
                    "SELECT gram, qid FROM quote_grams WHERE gram = ?1 ORDER BY qid LIMIT ?2",
                    args![g, limit],
                    &mut count,
                )?;
            }
        }
        // Over the network, one statement for many grams.
        super::Engine::Postgres => {
            super::db::chunked(grams, |chunk| {
                let values: Vec<&dyn Param> = chunk.iter().map(|g| g as &dyn Param).collect();
                let sql = format!(
                    "SELECT CAST(g.gram AS BIGINT), l.qid FROM (VALUES {}) AS g(gram) \
                     CROSS JOIN LATERAL (SELECT qid FROM quote_grams \
                      WHERE gram = CAST(g.gram AS BIGINT) ORDER BY qid LIMIT {GRAM_ROWS}) l",
                    super::db::placeholders(chunk.len(), 1)
                );
                db.each(&sql, &values, &mut count)
            })?;
        }
    }
    out.rows = per_row.into_iter().collect();
    out.rows.sort_unstable();
    out.full = per_gram
        .into_iter()
        .filter(|&(_, n)| n >= GRAM_ROWS)
        .map(|(g, _)| g)
        .collect();
    out.full.sort_unstable();
    Ok(out)
}

/// The text of a stored quotation; `None` when no row `qid` exists (any more).
pub(super) fn quote_text(db: Sql<'_>, qid: i64) -> Result<Option<String>> {
    db.query_opt("SELECT text FROM quotes WHERE qid = ?1", args![qid], |r| {
        r.get(0)
    })
}

/// The texts of stored quotations `qids`, by row, in a few statements; rows gone are left
/// out.
pub(super) fn quote_texts(db: Sql<'_>, qids: &[i64]) -> Result<FxHashMap<i64, String>> {
    let mut texts = FxHashMap::default();
    match db.engine() {
        super::Engine::Sqlite => {
            for &qid in qids {
                if let Some(text) = quote_text(db, qid)? {
                    texts.insert(qid, text);
                }
            }
        }
        super::Engine::Postgres => each_lateral(
            db,
            qids,
            "BIGINT",
            "SELECT qid, text FROM quotes WHERE qid = k.column1",
            &[],
            |r| {
                texts.insert(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?,
    }
    Ok(texts)
}

/// The surnames of the speakers of stored quotations `qids` (as the speakers table keeps
/// them: the name's last word), by row; quotations without a speaker are left out.
pub(super) fn quote_surnames(db: Sql<'_>, qids: &[i64]) -> Result<FxHashMap<i64, String>> {
    let mut surnames = FxHashMap::default();
    match db.engine() {
        super::Engine::Sqlite => {
            for &qid in qids {
                let surname = db.query_opt(
                    "SELECT s.surname FROM quotes q JOIN speakers s ON s.id = q.speaker_id \
                     WHERE q.qid = ?1",
                    args![qid],
                    |r| r.get::<String>(0),
                )?;
                if let Some(surname) = surname {
                    surnames.insert(qid, surname);
                }
            }
        }
        super::Engine::Postgres => each_lateral(
            db,
            qids,
            "BIGINT",
            "SELECT q.qid, s.surname FROM quotes q JOIN speakers s ON s.id = q.speaker_id \
             WHERE q.qid = k.column1",
            &[],
            |r| {
                surnames.insert(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?,
    }
    Ok(surnames)
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
    pub fn shared_grams(&self, grams: &[i64]) -> Result<SharedGrams> {
        shared_grams(self.db()?, grams)
    }

    /// Runs `f`, whose lookups then see the store as of one moment: on SQLite in one read
    /// transaction, so the dozens of statements of a document's lookups take the
    /// database's read lock once rather than each on its own. On PostgreSQL each
    /// statement reads the latest commit, as before (the lookups are a few statements).
    pub fn pinned<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let db = self.db()?;
        if db.engine() != super::Engine::Sqlite {
            return f(self);
        }
        db.batch("BEGIN")?;
        let out = f(self);
        // Ending a read transaction changes nothing; if COMMIT fails, ROLLBACK leaves the
        // connection ready for the next snapshot.
        if db.batch("COMMIT").is_err() {
            db.batch("ROLLBACK")?;
        }
        out
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
             JOIN documents d ON d.seq = q.doc WHERE q.grp = ?1 AND {} \
             ORDER BY d.published IS NULL, d.published, q.qid",
            super::corrections::live("q.doc")
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
             WHERE q.grp IS NOT NULL AND {live} AND (CAST(?1 AS TEXT) IS NULL OR q.grp IN ( \
                 SELECT grp FROM quotes WHERE doc = (SELECT seq FROM documents WHERE id = ?1))) \
             GROUP BY q.grp HAVING count(DISTINCT q.doc) > 1 ORDER BY {order_by} LIMIT ?2",
            live = super::corrections::live("q.doc")
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
                // Every publication's outlet counts: wire copy printed by several outlets
                // is one document with several publications.
                let outlets: Vec<String> = self.db().query(
                    &format!(
                        "SELECT DISTINCT p.outlet FROM publications p WHERE p.outlet IS NOT NULL \
                         AND p.doc IN (SELECT q.doc FROM quotes q WHERE q.grp = ?1 AND {})",
                        super::corrections::live("q.doc")
                    ),
                    args![g],
                    |r| r.get(0),
                )?;
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
    /// Records grams of stored quotations: (gram, row) pairs, numbered by this write.
    pub fn add_grams(&self, grams: &[[i64; 2]]) -> Result<()> {
        self.flush_held()?;
        let w = self.number();
        // One statement's parameters at a time (a huge document has millions of grams).
        chunked(grams, |rows| {
            let values: Vec<&dyn Param> = rows
                .iter()
                .flat_map(|[gram, qid]| [gram as &dyn Param, qid, &w])
                .collect();
            self.db().insert_many(
                "quote_grams (gram, qid, w)",
                3,
                &values,
                "ON CONFLICT DO NOTHING",
            )?;
            Ok(())
        })
    }

    /// The (gram, row) pairs among `grams` recorded by writes numbered above `write`: what
    /// a lookup made as of `write` did not see. At most 16 rows a gram, the first by row,
    /// as a lookup reads them.
    ///
    /// Quotation rows are numbered under the write lock, so rows recorded by later writes
    /// have higher numbers: the rows of the first write after `write` give the lowest
    /// number to look from, and each gram's rows above it are one index range.
    pub fn grams_since(&self, write: i64, grams: &[i64]) -> Result<Vec<[i64; 2]>> {
        let db = self.db();
        let from: Option<i64> = db.query_one(
            "SELECT min(qid) FROM quote_grams WHERE w = \
             (SELECT min(w) FROM quote_grams WHERE w > ?1)",
            args![write],
            |r| r.get(0),
        )?;
        let Some(from) = from else {
            return Ok(Vec::new());
        };
        let mut rows = Vec::new();
        let mut found = |r: &super::db::Row<'_>| {
            rows.push([r.get(0)?, r.get(1)?]);
            Ok(())
        };
        match db.engine() {
            super::Engine::Sqlite => {
                for g in grams {
                    db.each(
                        "SELECT gram, qid FROM quote_grams WHERE gram = ?1 AND qid >= ?2 \
                         AND w > ?3 ORDER BY qid LIMIT ?4",
                        args![g, from, write, GRAM_ROWS as i64],
                        &mut found,
                    )?;
                }
            }
            super::Engine::Postgres => each_lateral(
                db,
                grams,
                "BIGINT",
                &format!(
                    "SELECT gram, qid FROM quote_grams WHERE gram = k.column1 \
                     AND qid >= ?1 AND w > ?2 ORDER BY qid LIMIT {GRAM_ROWS}"
                ),
                &[&from, &write],
                &mut found,
            )?,
        }
        Ok(rows)
    }

    /// Records reprints, in order: for each, quotation `qid` joins `other`'s group (its
    /// `verdict` and `similarity` say how its wording reads against `other`), a group is
    /// founded by `other` when neither has one, and two groups that meet become one (the
    /// older absorbs the newer). The groups are worked out in memory and written in a few
    /// statements per batch, not several per reprint: on PostgreSQL each statement is a
    /// round trip made while holding the write lock.
    pub fn join_all(&self, joins: &[Join]) -> Result<()> {
        if joins.is_empty() {
            return Ok(());
        }
        self.flush_held()?;
        let db = self.db();
        let mut ids: Vec<i64> = joins.iter().flat_map(|j| [j.qid, j.other]).collect();
        ids.sort_unstable();
        ids.dedup();
        // Rows found through a snapshot may have been replaced since (a document extracted
        // again): a row that is gone joins nothing.
        let mut members = group_members_of(db, &ids)?;
        let writes = plan_joins(joins, &mut members).writes(&members);
        if !writes.founded.is_empty() {
            let values: Vec<&dyn Param> = writes.founded.iter().map(|g| g as &dyn Param).collect();
            db.insert_many("quote_groups (id)", 1, &values, "ON CONFLICT DO NOTHING")?;
        }
        match db.engine() {
            // In process, one cached statement per row is as fast as anything, and a join
            // with a VALUES list may be planned as a scan of every quotation.
            super::Engine::Sqlite => {
                for [gone, into] in &writes.merged {
                    db.execute(
                        "UPDATE quotes SET grp = ?1 WHERE grp = ?2",
                        args![into, gone],
                    )?;
                }
                for (q, g, v, s) in &writes.sets {
                    db.execute(
                        "UPDATE quotes SET grp = ?2, grp_verdict = ?3, grp_similarity = ?4 \
                         WHERE qid = ?1",
                        args![q, g, v, s],
                    )?;
                }
                for [gone, _] in &writes.merged {
                    db.execute("DELETE FROM quote_groups WHERE id = ?1", args![gone])?;
                }
            }
            // Over the network, a statement per chunk of rows.
            super::Engine::Postgres => {
                chunked(&writes.merged, |chunk| {
                    let sql = format!(
                        "UPDATE quotes SET grp = m.column2 FROM (VALUES {}) AS m \
                         WHERE quotes.grp = m.column1",
                        typed_rows(chunk.len(), &["BIGINT", "BIGINT"])
                    );
                    let values: Vec<&dyn Param> = chunk
                        .iter()
                        .flat_map(|m| m.iter().map(|v| v as &dyn Param))
                        .collect();
                    db.execute(&sql, &values).map(drop)
                })?;
                chunked(&writes.sets, |chunk| {
                    let sql = format!(
                        "UPDATE quotes SET grp = m.column2, grp_verdict = m.column3, \
                         grp_similarity = m.column4 FROM (VALUES {}) AS m \
                         WHERE quotes.qid = m.column1",
                        typed_rows(
                            chunk.len(),
                            &["BIGINT", "BIGINT", "TEXT", "DOUBLE PRECISION"]
                        )
                    );
                    let values: Vec<&dyn Param> = chunk
                        .iter()
                        .flat_map(|(q, g, v, s)| [q as &dyn Param, g, v, s])
                        .collect();
                    db.execute(&sql, &values).map(drop)
                })?;
                chunked(&writes.merged, |chunk| {
                    let sql = format!(
                        "DELETE FROM quote_groups WHERE id IN \
                         (SELECT column1 FROM (VALUES {}) AS k)",
                        typed_values(chunk.len(), "BIGINT")
                    );
                    let values: Vec<&dyn Param> =
                        chunk.iter().map(|[gone, _]| gone as &dyn Param).collect();
                    db.execute(&sql, &values).map(drop)
                })?;
            }
        }
        Ok(())
    }
}

/// The stored group of each quotation of `ids` that still exists.
fn group_members_of(db: Sql<'_>, ids: &[i64]) -> Result<FxHashMap<i64, Member>> {
    let mut members = FxHashMap::default();
    let mut found = |q: i64, grp: Option<i64>| {
        members.insert(q, Member { grp, set: None });
    };
    match db.engine() {
        super::Engine::Sqlite => {
            for &q in ids {
                let grp: Option<Option<i64>> =
                    db.query_opt("SELECT grp FROM quotes WHERE qid = ?1", args![q], |r| {
                        r.get(0)
                    })?;
                if let Some(grp) = grp {
                    found(q, grp);
                }
            }
        }
        super::Engine::Postgres => each_lateral(
            db,
            ids,
            "BIGINT",
            "SELECT qid, grp FROM quotes WHERE qid = k.column1",
            &[],
            |r| {
                found(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?,
    }
    Ok(members)
}

/// A reprint to record (see [`Tx::join_all`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Join {
    pub qid: i64,
    pub other: i64,
    pub verdict: Verdict,
    pub similarity: f32,
}

/// A quotation named by a batch of joins: its group (which may since have been absorbed,
/// see [`JoinPlan::root`]) and the verdict and similarity the batch gave it, if any.
#[derive(Debug, Clone, PartialEq)]
struct Member {
    grp: Option<i64>,
    set: Option<(Option<Verdict>, Option<f32>)>,
}

/// What a batch of joins changes: groups founded, and groups absorbed by older ones.
#[derive(Debug, Default)]
struct JoinPlan {
    founded: Vec<i64>,
    /// Absorbed group → the group that absorbed it (which may itself be absorbed later).
    merged: FxHashMap<i64, i64>,
}

impl JoinPlan {
    /// The group `g` is part of now.
    fn root(&self, mut g: i64) -> i64 {
        while let Some(&next) = self.merged.get(&g) {
            g = next;
        }
        g
    }

    /// The rows the plan changes, given the members it was made with.
    fn writes(self, members: &FxHashMap<i64, Member>) -> JoinWrites {
        let mut merged: Vec<[i64; 2]> = self
            .merged
            .keys()
            .map(|&gone| [gone, self.root(gone)])
            .collect();
        merged.sort_unstable();
        let mut sets: Vec<GroupSet> = members
            .iter()
            .filter_map(|(&q, m)| {
                let (verdict, similarity) = m.set?;
                Some((
                    q,
                    self.root(m.grp?),
                    verdict.map(Verdict::as_str),
                    similarity.map(f64::from),
                ))
            })
            .collect();
        sets.sort_unstable_by_key(|s| s.0);
        JoinWrites {
            founded: self.founded,
            merged,
            sets,
        }
    }
}

/// A quotation's group columns as a batch of joins leaves them: row, group, verdict,
/// similarity.
type GroupSet = (i64, i64, Option<&'static str>, Option<f64>);

/// What a batch of joins writes: groups founded; absorbed groups, each with the group its
/// members are in now; and the quotations the joins placed.
#[derive(Debug)]
struct JoinWrites {
    founded: Vec<i64>,
    merged: Vec<[i64; 2]>,
    sets: Vec<GroupSet>,
}

/// Applies `joins` in order to `members` (each quotation's stored group; a quotation
/// missing from it is gone and joins nothing), as one join after another would.
fn plan_joins(joins: &[Join], members: &mut FxHashMap<i64, Member>) -> JoinPlan {
    let mut plan = JoinPlan::default();
    for j in joins {
        let (Some(mine), Some(theirs)) = (members.get(&j.qid), members.get(&j.other)) else {
            continue;
        };
        let (mine, theirs) = (
            mine.grp.map(|g| plan.root(g)),
            theirs.grp.map(|g| plan.root(g)),
        );
        let mut set = |q: i64, g: i64, how: (Option<Verdict>, Option<f32>)| {
            if let Some(m) = members.get_mut(&q) {
                m.grp = Some(g);
                m.set = Some(how);
            }
        };
        let how = (Some(j.verdict), Some(j.similarity));
        match (mine, theirs) {
            (None, None) => {
                plan.founded.push(j.other);
                set(j.other, j.other, (None, None));
                set(j.qid, j.other, how);
            }
            (None, Some(g)) => set(j.qid, g, how),
            (Some(g), None) => set(j.other, g, how),
            (Some(a), Some(b)) if a != b => {
                let (keep, gone) = (a.min(b), a.max(b));
                plan.merged.insert(gone, keep);
                if gone == j.qid {
                    // `qid` founded the newer group, so it had joined nothing: this is how
                    // it reads against the quotation it now joins through.
                    set(j.qid, keep, how);
                }
            }
            _ => {}
        }
    }
    // A group founded here and absorbed later in the batch was never needed.
    plan.founded.retain(|g| !plan.merged.contains_key(g));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A quotation's group columns: group, verdict, similarity.
    type Row = (Option<i64>, Option<Verdict>, Option<f32>);

    /// One join after another, each reading and writing every row: how the store recorded
    /// reprints before they were planned per batch.
    fn one_by_one(joins: &[Join], rows: &mut [Row], groups: &mut Vec<i64>) {
        for j in joins {
            let (mine, theirs) = (rows[j.qid as usize].0, rows[j.other as usize].0);
            let how = (Some(j.verdict), Some(j.similarity));
            let set = |rows: &mut [Row], q: i64, g: i64, (v, s): (Option<Verdict>, _)| {
                rows[q as usize] = (Some(g), v, s);
            };
            match (mine, theirs) {
                (None, None) => {
                    groups.push(j.other);
                    set(rows, j.other, j.other, (None, None));
                    set(rows, j.qid, j.other, how);
                }
                (None, Some(g)) => set(rows, j.qid, g, how),
                (Some(g), None) => set(rows, j.other, g, how),
                (Some(a), Some(b)) if a != b => {
                    let (keep, gone) = (a.min(b), a.max(b));
                    for r in rows.iter_mut().filter(|r| r.0 == Some(gone)) {
                        r.0 = Some(keep);
                    }
                    groups.retain(|&g| g != gone);
                    if gone == j.qid {
                        set(rows, j.qid, keep, how);
                    }
                }
                _ => {}
            }
        }
    }

    proptest! {
        #[test]
        fn a_planned_batch_of_joins_ends_where_one_by_one_would(
            start in proptest::collection::vec(proptest::option::of(0i64..10), 10),
            pairs in proptest::collection::vec((0i64..10, 0i64..10, any::<bool>()), 0..25),
        ) {
            // A stored group is named by its founder, itself a member.
            let mut rows: Vec<Row> = start.iter().map(|g| (*g, None, None)).collect();
            let mut groups: Vec<i64> = start.iter().flatten().copied().collect();
            groups.sort_unstable();
            groups.dedup();
            for &g in &groups {
                rows[g as usize].0 = Some(g);
            }
            let joins: Vec<Join> = pairs
                .iter()
                .filter(|(a, b, _)| a != b)
                .map(|&(qid, other, exact)| Join {
                    qid,
                    other,
                    verdict: if exact { Verdict::Exact } else { Verdict::Altered },
                    similarity: if exact { 1.0 } else { 0.9 },
                })
                .collect();
            let (mut expected, mut expected_groups) = (rows.clone(), groups.clone());
            one_by_one(&joins, &mut expected, &mut expected_groups);

            // Planned: only the quotations the joins name are read; the rest change
            // through the absorbed groups, as the store's statements change them.
            let mut members: FxHashMap<i64, Member> = joins
                .iter()
                .flat_map(|j| [j.qid, j.other])
                .map(|q| (q, Member { grp: rows[q as usize].0, set: None }))
                .collect();
            let writes = plan_joins(&joins, &mut members).writes(&members);
            for [gone, into] in &writes.merged {
                for r in rows.iter_mut().filter(|r| r.0 == Some(*gone)) {
                    r.0 = Some(*into);
                }
            }
            for &(q, g, v, s) in &writes.sets {
                rows[q as usize] = (Some(g), v.and_then(Verdict::parse), s.map(|s| s as f32));
            }
            let gone: Vec<i64> = writes.merged.iter().map(|[g, _]| *g).collect();
            let mut planned_groups: Vec<i64> = groups
                .iter()
                .chain(&writes.founded)
                .copied()
                .filter(|g| !gone.contains(g))
                .collect();
            planned_groups.sort_unstable();
            planned_groups.dedup();
            expected_groups.sort_unstable();
            prop_assert_eq!(rows, expected);
            prop_assert_eq!(planned_groups, expected_groups);
        }
    }
}
