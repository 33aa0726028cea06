//! The posting indexes, in ordinary tables any SQL database can hold: for each key, the
//! documents (rows) that hold it. Three indexes share the layout: the fingerprint index
//! (winnowed word-shingle fingerprints, see `crate::index`) finds every document holding a
//! passage of four words or more; the word index (every distinct normalised word) finds
//! those holding all the words of a shorter one, and the closest passages when nothing
//! holds a quotation; the quotation-id index maps the first four bytes of each quotation's
//! id to its row (there the "documents" are quotation rows), so a quotation is found by
//! its id without a B-tree keyed by hashes.
//!
//! Postings are written the way log-structured indexes write them, because a B-tree keyed
//! by random hashes would rewrite pages all over the file for every batch of documents:
//! each add transaction writes its documents' postings as one new *segment*, sorted by
//! key and packed into blocks of about [`BLOCK_BYTES`] (varint deltas), appended at the
//! end of the table. When [`FANOUT`] segments of one level exist they are merged into one
//! segment of the next level, in the same transaction, so a store of N documents has
//! O(log N) segments and a lookup costs one indexed read per segment. Every posting list of
//! one key lies within one block of each segment.
//!
//! Block layout: for each key in order, `varint(key - previous)` (the first relative to
//! the block's `first`), `varint(count)`, then the documents' rows ascending as
//! `varint(first)` and `varint(delta)`s.

use super::db::{Sql, args};
use super::{Error, Result, Store, Tx};

/// Target size of a block's data: two blocks share a 4 KiB page.
const BLOCK_BYTES: usize = 1900;
/// Segments of one level merged into one of the next.
const FANOUT: usize = 8;

/// One of the posting indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// Winnowed word-shingle fingerprints of each document.
    Fingerprints,
    /// Each document's distinct normalised words.
    Words,
    /// The first four bytes of each quotation's id (big-endian), to its row.
    QuoteIds,
}

impl Index {
    /// The two indexes of the documents' text, built from each document's words.
    pub const DOCUMENTS: [Index; 2] = [Index::Fingerprints, Index::Words];

    fn segments(self) -> &'static str {
        match self {
            Index::Fingerprints => "shingle_segments",
            Index::Words => "word_segments",
            Index::QuoteIds => "quote_id_segments",
        }
    }

    fn blocks(self) -> &'static str {
        match self {
            Index::Fingerprints => "shingle_blocks",
            Index::Words => "word_blocks",
            Index::QuoteIds => "quote_id_blocks",
        }
    }
}

impl std::fmt::Display for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Index::Fingerprints => "fingerprint index",
            Index::Words => "word index",
            Index::QuoteIds => "quotation-id index",
        })
    }
}

/// A key's documents in one lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    /// How many documents hold the key.
    pub count: usize,
    /// Their rows, ascending; empty when `count` is over the cap the caller gave.
    pub docs: Vec<i64>,
}

/// Documents not in the posting indexes yet (stores made before they existed).
fn pending(db: Sql<'_>, limit: usize) -> Result<Vec<i64>> {
    db.query(
        "SELECT doc FROM shingles_pending ORDER BY doc LIMIT ?1",
        args![limit],
        |r| r.get(0),
    )
}

impl Store {
    /// The documents (rows) holding each key of `index`, in the order given. A list
    /// longer than `cap` is counted, not read.
    pub fn postings(&self, index: Index, keys: &[u32], cap: usize) -> Result<Vec<Postings>> {
        postings(self.db(), index, keys, cap)
    }

    /// Every document row `index` holds postings for, reading (and so checking) every
    /// block.
    pub fn indexed_documents(&self, index: Index) -> Result<rustc_hash::FxHashSet<i64>> {
        let mut docs = rustc_hash::FxHashSet::default();
        self.each_posting(index, &mut |_, rows| docs.extend(rows))?;
        Ok(docs)
    }

    /// Every (key, row) pair `index` holds, reading (and so checking) every block.
    pub fn index_pairs(&self, index: Index) -> Result<rustc_hash::FxHashSet<(u32, i64)>> {
        let mut pairs = rustc_hash::FxHashSet::default();
        self.each_posting(index, &mut |key, rows| {
            pairs.extend(rows.iter().map(|&r| (key, r)))
        })?;
        Ok(pairs)
    }

    fn each_posting(&self, index: Index, f: &mut dyn FnMut(u32, &[i64])) -> Result<()> {
        let sql = format!(
            "SELECT segment, first, data FROM {} ORDER BY segment, first",
            index.blocks()
        );
        self.db().each(&sql, args![], |r| {
            let segment: i64 = r.get(0)?;
            let first: i64 = r.get(1)?;
            let data: Vec<u8> = r.get(2)?;
            let first = u32::try_from(first)
                .map_err(|_| corrupt(index, segment, format!("first key {first}")))?;
            let groups =
                decode_block(&data, first).map_err(|what| corrupt(index, segment, what))?;
            if groups.first().map(|g| g.0) != Some(first) {
                return Err(corrupt(
                    index,
                    segment,
                    format!("block {first} starts elsewhere"),
                ));
            }
            for (key, rows) in groups {
                f(key, &rows);
            }
            Ok(())
        })
    }

    /// How many quotations wait for the quotation-id index (those of a store made before
    /// it, or all after `prov fsck --reindex`).
    pub fn quote_ids_pending_count(&self) -> Result<u64> {
        Ok(self
            .db()
            .query_one("SELECT count(*) FROM quote_ids_pending", args![], |r| {
                r.get::<i64>(0)
            })?
            .max(0) as u64)
    }

    /// Adds up to `limit` of the quotations waiting for the quotation-id index to it, in
    /// one transaction; returns how many it took off the waiting list.
    pub fn index_quote_ids(&mut self, limit: usize) -> Result<usize> {
        self.write(|tx| -> Result<usize> {
            let db = tx.db();
            let rows: Vec<(i64, Option<Vec<u8>>)> = db.query(
                "SELECT p.qid, q.id FROM quote_ids_pending p LEFT JOIN quotes q ON q.qid = p.qid \
                 ORDER BY p.qid LIMIT ?1",
                args![limit as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let Some(&(last, _)) = rows.last() else {
                return Ok(0);
            };
            // A row gone since (its document extracted again) has nothing to index.
            let pairs = rows
                .iter()
                .filter_map(|(qid, id)| id.as_deref().map(|id| (super::quotes::id_key(id), *qid)))
                .collect();
            write_segment(db, Index::QuoteIds, pairs)?;
            db.execute("DELETE FROM quote_ids_pending WHERE qid <= ?1", args![last])?;
            Ok(rows.len())
        })
    }

    /// Empties the posting indexes and marks every document and quotation as waiting to
    /// be indexed (`crate::index::catch_up` then rebuilds them).
    pub fn reset_indexes(&mut self) -> Result<()> {
        self.write(|tx| -> Result<()> {
            let db = tx.db();
            reset_quote_ids(db)?;
            for index in Index::DOCUMENTS {
                db.batch(&format!(
                    "DELETE FROM {}; DELETE FROM {};",
                    index.blocks(),
                    index.segments()
                ))?;
            }
            db.execute(
                "INSERT INTO shingles_pending SELECT seq FROM documents WHERE true \
                 ON CONFLICT DO NOTHING",
                args![],
            )?;
            Ok(())
        })
    }

    /// How many documents are waiting to be indexed.
    pub fn index_pending_count(&self) -> Result<u64> {
        Ok(self
            .db()
            .query_one("SELECT count(*) FROM shingles_pending", args![], |r| {
                r.get::<i64>(0)
            })?
            .max(0) as u64)
    }

    /// The rows of documents waiting to be indexed, oldest first.
    pub fn index_pending(&self, limit: usize) -> Result<Vec<i64>> {
        pending(self.db(), limit)
    }

    /// Merges each posting index's segments into one, so a lookup reads one block per key
    /// rather than one per segment (the reads a cold lookup waits for). Each index is
    /// merged in a transaction of its own; returns how many segments were merged away.
    pub fn compact_indexes(&mut self) -> Result<usize> {
        let mut merged = 0;
        for index in [Index::Fingerprints, Index::Words, Index::QuoteIds] {
            merged += self.write(|tx| -> Result<usize> {
                let db = tx.db();
                let all = segments(db, index, None)?;
                if all.len() < 2 {
                    return Ok(0);
                }
                let ids: Vec<i64> = all.iter().map(|s| s.0).collect();
                let top = all.iter().map(|s| s.1).max().unwrap_or(0);
                merge(db, index, &ids, top + 1)?;
                Ok(ids.len() - 1)
            })?;
        }
        Ok(merged)
    }

    /// `index`'s segments and their sizes: (level, postings, blocks), for `fsck` and
    /// benchmarks.
    pub fn index_segments(&self, index: Index) -> Result<Vec<(i64, i64, i64)>> {
        Ok(segments(self.db(), index, None)?
            .into_iter()
            .map(|(_, level, postings, blocks)| (level, postings, blocks))
            .collect())
    }
}

fn corrupt(index: Index, segment: i64, what: String) -> Error {
    Error::CorruptRow(format!(
        "{index} segment {segment}: {what}; rebuild it with `prov fsck --reindex`"
    ))
}

/// Segments, oldest first: (id, level, postings, blocks); only one level's when given.
fn segments(db: Sql<'_>, index: Index, level: Option<i64>) -> Result<Vec<(i64, i64, i64, i64)>> {
    let row = |r: &super::db::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    let columns = format!(
        "SELECT id, level, postings, blocks FROM {}",
        index.segments()
    );
    match level {
        Some(level) => db.query(
            &format!("{columns} WHERE level = ?1 ORDER BY id"),
            args![level],
            row,
        ),
        None => db.query(&format!("{columns} ORDER BY id"), args![], row),
    }
}

/// Adds the documents of key `want` in one block to `out` (at most `cap` rows
/// kept; the count is always added).
fn find_in_block(
    data: &[u8],
    first: u32,
    want: u32,
    out: &mut Postings,
    cap: usize,
) -> std::result::Result<(), String> {
    let mut r = Reader { data, at: 0 };
    let mut f = first;
    while !r.done() {
        let n = r.group(&mut f)?;
        if f == want {
            out.count += n;
            let keep = out.count <= cap;
            let mut doc = 0i64;
            for k in 0..n {
                let v = i64::try_from(r.varint()?).map_err(|_| "document row".to_owned())?;
                doc = if k == 0 { v } else { doc + v };
                if keep {
                    out.docs.push(doc);
                }
            }
            return Ok(());
        }
        if f > want {
            return Ok(());
        }
        for _ in 0..n {
            r.varint()?;
        }
    }
    Ok(())
}

/// Reads one block's keys and their documents, in order.
fn decode_block(data: &[u8], first: u32) -> std::result::Result<Vec<(u32, Vec<i64>)>, String> {
    let mut r = Reader { data, at: 0 };
    let mut out = Vec::new();
    let mut f = first;
    while !r.done() {
        let n = r.group(&mut f)?;
        let mut docs = Vec::with_capacity(n);
        let mut doc = 0i64;
        for k in 0..n {
            let v = i64::try_from(r.varint()?).map_err(|_| "document row".to_owned())?;
            doc = if k == 0 { v } else { doc + v };
            docs.push(doc);
        }
        out.push((f, docs));
    }
    Ok(out)
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }

    /// Reads the head of the next key's group: moves `key` on to it and returns how many
    /// documents follow.
    fn group(&mut self, key: &mut u32) -> std::result::Result<usize, String> {
        let delta = u32::try_from(self.varint()?).map_err(|_| "key delta".to_owned())?;
        *key = key.checked_add(delta).ok_or("key overflow")?;
        let n = usize::try_from(self.varint()?).map_err(|_| "count".to_owned())?;
        if n > self.data.len() {
            return Err(format!("count {n} longer than its block"));
        }
        Ok(n)
    }

    fn varint(&mut self) -> std::result::Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.data.get(self.at) else {
                return Err("block cut short".to_owned());
            };
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".to_owned())
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes one segment's blocks in key order.
struct SegmentWriter<'a> {
    db: Sql<'a>,
    index: Index,
    segment: i64,
    first: Option<u32>,
    last: u32,
    buf: Vec<u8>,
    /// Finished blocks not written yet: (first key, data).
    done: Vec<(i64, Vec<u8>)>,
    postings: i64,
    blocks: i64,
}

/// Finished blocks a segment writer holds before writing them in one statement.
const BLOCKS_PER_STATEMENT: usize = 64;

impl<'a> SegmentWriter<'a> {
    fn new(db: Sql<'a>, index: Index, level: i64) -> Result<Self> {
        let segment = db.insert(
            &format!(
                "INSERT INTO {} (level, postings, blocks) VALUES (?1, 0, 0)",
                index.segments()
            ),
            args![level],
            "id",
        )?;
        Ok(SegmentWriter {
            db,
            index,
            segment,
            first: None,
            last: 0,
            buf: Vec::with_capacity(BLOCK_BYTES * 2),
            done: Vec::new(),
            postings: 0,
            blocks: 0,
        })
    }

    /// Appends one key's documents (rows ascending, keys in order).
    fn push(&mut self, f: u32, docs: &[i64]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        if self.first.is_some() && self.buf.len() >= BLOCK_BYTES {
            self.flush()?;
        }
        let base = match self.first {
            Some(_) => self.last,
            None => {
                self.first = Some(f);
                f
            }
        };
        put_varint(&mut self.buf, u64::from(f - base));
        put_varint(&mut self.buf, docs.len() as u64);
        let mut prev = 0i64;
        for (k, &d) in docs.iter().enumerate() {
            put_varint(&mut self.buf, if k == 0 { d } else { d - prev } as u64);
            prev = d;
        }
        self.last = f;
        self.postings += docs.len() as i64;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let Some(first) = self.first.take() else {
            return Ok(());
        };
        let data = std::mem::replace(&mut self.buf, Vec::with_capacity(BLOCK_BYTES * 2));
        self.done.push((i64::from(first), data));
        self.blocks += 1;
        if self.done.len() >= BLOCKS_PER_STATEMENT {
            self.write_done()?;
        }
        Ok(())
    }

    /// Writes the finished blocks held, in one statement (a round trip on PostgreSQL).
    fn write_done(&mut self) -> Result<()> {
        if self.done.is_empty() {
            return Ok(());
        }
        let values: Vec<&dyn super::db::Param> = self
            .done
            .iter()
            .flat_map(|(first, data)| [&self.segment as &dyn super::db::Param, first, data])
            .collect();
        self.db.insert_many(
            &format!("{} (segment, first, data)", self.index.blocks()),
            3,
            &values,
            "",
        )?;
        self.done.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.write_done()?;
        self.db.execute(
            &format!(
                "UPDATE {} SET postings = ?2, blocks = ?3 WHERE id = ?1",
                self.index.segments()
            ),
            args![self.segment, self.postings, self.blocks],
        )?;
        Ok(())
    }
}

/// Merges the segments of every level that has [`FANOUT`] of them, from the bottom up.
fn merge_full_levels(db: Sql<'_>, index: Index) -> Result<()> {
    let mut level = 0;
    loop {
        let full = segments(db, index, Some(level))?;
        if full.len() < FANOUT {
            let higher: Option<i64> = db.query_one(
                &format!(
                    "SELECT min(level) FROM {} WHERE level > ?1",
                    index.segments()
                ),
                args![level],
                |r| r.get(0),
            )?;
            match higher {
                Some(l) => {
                    level = l;
                    continue;
                }
                None => return Ok(()),
            }
        }
        let ids: Vec<i64> = full.iter().map(|s| s.0).collect();
        merge(db, index, &ids, level + 1)?;
        level += 1;
    }
}

/// Reads one segment's blocks in order, a block at a time.
struct SegmentCursor {
    index: Index,
    segment: i64,
    after: Option<i64>,
    groups: std::vec::IntoIter<(u32, Vec<i64>)>,
    head: Option<(u32, Vec<i64>)>,
}

impl SegmentCursor {
    fn new(db: Sql<'_>, index: Index, segment: i64) -> Result<Self> {
        let mut c = SegmentCursor {
            index,
            segment,
            after: None,
            groups: Vec::new().into_iter(),
            head: None,
        };
        c.advance(db)?;
        Ok(c)
    }

    fn advance(&mut self, db: Sql<'_>) -> Result<()> {
        loop {
            if let Some(g) = self.groups.next() {
                self.head = Some(g);
                return Ok(());
            }
            let row: Option<(i64, Vec<u8>)> = db.query_opt(
                &format!(
                    "SELECT first, data FROM {} WHERE segment = ?1 AND first > ?2 \
                     ORDER BY first LIMIT 1",
                    self.index.blocks()
                ),
                args![self.segment, self.after.unwrap_or(-1)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let Some((first, data)) = row else {
                self.head = None;
                return Ok(());
            };
            self.after = Some(first);
            let first = u32::try_from(first)
                .map_err(|_| corrupt(self.index, self.segment, format!("first key {first}")))?;
            self.groups = decode_block(&data, first)
                .map_err(|what| corrupt(self.index, self.segment, what))?
                .into_iter();
        }
    }
}

/// Writes (key, row) pairs as a new segment of `index`, then merges segments as the levels
/// fill up. Nothing is written for no pairs.
pub(super) fn write_segment(db: Sql<'_>, index: Index, mut pairs: Vec<(u32, i64)>) -> Result<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut writer = SegmentWriter::new(db, index, 0)?;
    let mut i = 0;
    while i < pairs.len() {
        let f = pairs[i].0;
        let j = i + pairs[i..].partition_point(|p| p.0 == f);
        let list: Vec<i64> = pairs[i..j].iter().map(|p| p.1).collect();
        writer.push(f, &list)?;
        i = j;
    }
    writer.finish()?;
    merge_full_levels(db, index)
}

/// Every row `index` holds under a key in `lo..=hi`, ascending and without repeats: one
/// read per segment, of the blocks that can hold those keys.
pub(super) fn rows_between(db: Sql<'_>, index: Index, lo: u32, hi: u32) -> Result<Vec<i64>> {
    let blocks = format!(
        "SELECT first, data FROM {b} WHERE segment = ?1 AND first <= ?3 AND first >= \
         coalesce((SELECT max(first) FROM {b} WHERE segment = ?1 AND first <= ?2), ?2) \
         ORDER BY first",
        b = index.blocks()
    );
    let mut rows = Vec::new();
    for (segment, ..) in segments(db, index, None)? {
        let found: Vec<(i64, Vec<u8>)> =
            db.query(&blocks, args![segment, i64::from(lo), i64::from(hi)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        for (first, data) in found {
            let first = u32::try_from(first)
                .map_err(|_| corrupt(index, segment, format!("first key {first}")))?;
            for (key, docs) in
                decode_block(&data, first).map_err(|what| corrupt(index, segment, what))?
            {
                if (lo..=hi).contains(&key) {
                    rows.extend(docs);
                }
            }
        }
    }
    rows.sort_unstable();
    rows.dedup();
    Ok(rows)
}

/// Empties the quotation-id index and marks every quotation as waiting for it.
pub(super) fn reset_quote_ids(db: Sql<'_>) -> Result<()> {
    db.batch(&format!(
        "DELETE FROM {}; DELETE FROM {};",
        Index::QuoteIds.blocks(),
        Index::QuoteIds.segments()
    ))?;
    db.execute(
        "INSERT INTO quote_ids_pending SELECT qid FROM quotes WHERE true ON CONFLICT DO NOTHING",
        args![],
    )?;
    Ok(())
}

fn merge(db: Sql<'_>, index: Index, ids: &[i64], level: i64) -> Result<()> {
    let mut cursors = ids
        .iter()
        .map(|&s| SegmentCursor::new(db, index, s))
        .collect::<Result<Vec<_>>>()?;
    let mut writer = SegmentWriter::new(db, index, level)?;
    while let Some(f) = cursors
        .iter()
        .filter_map(|c| c.head.as_ref().map(|h| h.0))
        .min()
    {
        let mut docs = Vec::new();
        for c in &mut cursors {
            if c.head.as_ref().is_some_and(|h| h.0 == f) {
                if let Some((_, d)) = c.head.take() {
                    docs.extend(d);
                }
                c.advance(db)?;
            }
        }
        docs.sort_unstable();
        docs.dedup();
        writer.push(f, &docs)?;
    }
    writer.finish()?;
    let blocks = format!("DELETE FROM {} WHERE segment = ?1", index.blocks());
    let segment = format!("DELETE FROM {} WHERE id = ?1", index.segments());
    for id in ids {
        db.execute(&blocks, args![id])?;
        db.execute(&segment, args![id])?;
    }
    Ok(())
}

impl Tx<'_> {
    /// Adds the keys of documents stored in this transaction (by row) to `index` as a new
    /// segment, then merges segments as the levels fill up.
    pub fn add_postings(&self, index: Index, docs: &[(i64, &[u32])]) -> Result<()> {
        let pairs: Vec<(u32, i64)> = docs
            .iter()
            .flat_map(|(doc, fps)| fps.iter().map(move |&f| (f, *doc)))
            .collect();
        write_segment(self.db(), index, pairs)
    }

    /// Marks documents as indexed in both indexes.
    pub fn clear_index_pending(&self, docs: &[i64]) -> Result<()> {
        let db = self.db();
        for d in docs {
            db.execute("DELETE FROM shingles_pending WHERE doc = ?1", args![d])?;
        }
        Ok(())
    }
}

/// The documents (rows) holding each key of `index`, in the order given (see
/// [`Store::postings`]).
fn postings(db: Sql<'_>, index: Index, keys: &[u32], cap: usize) -> Result<Vec<Postings>> {
    let segments = segments(db, index, None)?;
    let mut out = vec![Postings::default(); keys.len()];
    let mut apply = |segment: i64, at: usize, first: i64, data: &[u8]| -> Result<()> {
        let first = u32::try_from(first)
            .map_err(|_| corrupt(index, segment, format!("first key {first}")))?;
        find_in_block(data, first, keys[at], &mut out[at], cap)
            .map_err(|what| corrupt(index, segment, what))
    };
    match db.engine() {
        // In process: one cached lookup per key and segment.
        super::Engine::Sqlite => {
            let block = format!(
                "SELECT first, data FROM {} WHERE segment = ?1 AND first <= ?2 \
                 ORDER BY first DESC LIMIT 1",
                index.blocks()
            );
            for &(segment, ..) in &segments {
                for (at, f) in keys.iter().enumerate() {
                    let row: Option<(i64, Vec<u8>)> =
                        db.query_opt(&block, args![segment, f], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    if let Some((first, data)) = row {
                        apply(segment, at, first, &data)?;
                    }
                }
            }
        }
        // Over the network: the block of every (segment, key) pair in one statement
        // per chunk of pairs, rather than a round trip each.
        super::Engine::Postgres => {
            let pairs: Vec<(i64, i64, i64)> = segments
                .iter()
                .flat_map(|&(segment, ..)| {
                    keys.iter()
                        .enumerate()
                        .map(move |(at, &k)| (segment, at as i64, i64::from(k)))
                })
                .collect();
            super::db::chunked(&pairs, |chunk| {
                let values: Vec<&dyn super::db::Param> = chunk
                    .iter()
                    .flat_map(|(s, at, k)| {
                        [
                            s as &dyn super::db::Param,
                            at as &dyn super::db::Param,
                            k as &dyn super::db::Param,
                        ]
                    })
                    .collect();
                let sql = format!(
                    "SELECT CAST(k.segment AS BIGINT), CAST(k.at AS BIGINT), b.first, b.data \
                     FROM (VALUES {}) AS k(segment, at, key) CROSS JOIN LATERAL \
                     (SELECT first, data FROM {} WHERE segment = CAST(k.segment AS BIGINT) \
                      AND first <= CAST(k.key AS BIGINT) ORDER BY first DESC LIMIT 1) b",
                    super::db::placeholders(chunk.len(), 3),
                    index.blocks()
                );
                db.each(&sql, &values, |r| {
                    let segment: i64 = r.get(0)?;
                    let at = usize::try_from(r.get::<i64>(1)?)
                        .ok()
                        .filter(|&at| at < keys.len())
                        .ok_or_else(|| corrupt(index, segment, "a lookup's position".into()))?;
                    let data: Vec<u8> = r.get(3)?;
                    apply(segment, at, r.get(2)?, &data)
                })
            })?;
        }
    }
    for p in &mut out {
        if p.count > cap {
            p.docs.clear();
        } else {
            p.docs.sort_unstable();
        }
    }
    Ok(out)
}

impl Tx<'_> {
    /// [`Store::postings`], as this transaction sees the index.
    pub fn postings(&self, index: Index, keys: &[u32], cap: usize) -> Result<Vec<Postings>> {
        postings(self.db(), index, keys, cap)
    }

    /// Whether document row `doc` waits to be indexed.
    pub fn index_pending_holds(&self, doc: i64) -> Result<bool> {
        Ok(self
            .db()
            .query_opt(
                "SELECT 1 FROM shingles_pending WHERE doc = ?1",
                args![doc],
                |r| r.get::<i64>(0),
            )?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    fn add(store: &mut Store, docs: &[(i64, Vec<u32>)]) {
        store
            .write(|tx| -> Result<()> {
                let refs: Vec<(i64, &[u32])> =
                    docs.iter().map(|(d, f)| (*d, f.as_slice())).collect();
                tx.add_postings(Index::Fingerprints, &refs)
            })
            .unwrap();
    }

    #[test]
    fn postings_survive_many_segments_and_merges() {
        let (_dir, mut store) = testing::store();
        // 100 batches of 10 documents: several merges, two levels.
        let mut expected: std::collections::BTreeMap<u32, Vec<i64>> = Default::default();
        for batch in 0..100i64 {
            let docs: Vec<(i64, Vec<u32>)> = (0..10)
                .map(|k| {
                    let doc = batch * 10 + k + 1;
                    // Fingerprint 7 is everywhere; others spread widely, one rare.
                    let mut f = vec![
                        7u32,
                        (doc as u32).wrapping_mul(2_654_435_761),
                        (doc % 13) as u32 + 1000,
                    ];
                    if doc == 555 {
                        f.push(u32::MAX);
                    }
                    for x in &f {
                        expected.entry(*x).or_default().push(doc);
                    }
                    (doc, f)
                })
                .collect();
            add(&mut store, &docs);
        }
        let levels: Vec<i64> = store
            .index_segments(Index::Fingerprints)
            .unwrap()
            .iter()
            .map(|s| s.0)
            .collect();
        assert!(levels.len() < 20, "{levels:?}");
        assert!(levels.iter().any(|&l| l >= 2), "{levels:?}");
        let keys: Vec<u32> = expected.keys().copied().collect();
        let got = store
            .postings(Index::Fingerprints, &keys, usize::MAX)
            .unwrap();
        for (k, p) in keys.iter().zip(&got) {
            let want = &expected[k];
            assert_eq!(p.count, want.len(), "{k}");
            assert_eq!(&p.docs, want, "{k}");
        }
        // A capped list is counted, not read.
        let capped = store.postings(Index::Fingerprints, &[7], 10).unwrap();
        assert_eq!(capped[0].count, 1000);
        assert!(capped[0].docs.is_empty());
        // Compacted: one segment, the same postings; and more writes after it still merge.
        assert!(store.compact_indexes().unwrap() > 0);
        assert_eq!(store.index_segments(Index::Fingerprints).unwrap().len(), 1);
        assert_eq!(store.compact_indexes().unwrap(), 0, "nothing left to merge");
        assert_eq!(
            store
                .postings(Index::Fingerprints, &keys, usize::MAX)
                .unwrap(),
            got
        );
        add(&mut store, &[(1001, vec![7, u32::MAX])]);
        let after = store
            .postings(Index::Fingerprints, &[7, u32::MAX], usize::MAX)
            .unwrap();
        assert_eq!(after[0].count, 1001);
        assert_eq!(after[1].docs, [555, 1001]);
        assert_eq!(
            store.postings(Index::Fingerprints, &[424_242], 10).unwrap()[0],
            Postings::default()
        );
    }

    #[test]
    fn damaged_blocks_are_errors_not_panics() {
        let (_dir, mut store) = testing::store();
        add(&mut store, &[(1, vec![5, 9]), (2, vec![9])]);
        store
            .conn()
            .execute("UPDATE shingle_blocks SET data = x'ff'", [])
            .unwrap();
        assert!(matches!(
            store.postings(Index::Fingerprints, &[9], 100),
            Err(Error::CorruptRow(_))
        ));
    }
}
