//! The fingerprint index: for each word-shingle fingerprint (see `crate::index`), the
//! documents that kept it, in ordinary tables any SQL database can hold.
//!
//! Postings are written the way log-structured indexes write them, because a B-tree keyed
//! by random hashes would rewrite pages all over the file for every batch of documents:
//! each add transaction writes its documents' postings as one new *segment*, sorted by
//! fingerprint and packed into blocks of about [`BLOCK_BYTES`] (varint deltas), appended at
//! the end of the table. When [`FANOUT`] segments of one level exist they are merged into
//! one segment of the next level, in the same transaction, so a store of N documents has
//! O(log N) segments and a lookup costs one indexed read per segment. Every posting list of
//! one fingerprint lies within one block of each segment.
//!
//! Block layout: for each fingerprint in order, `varint(fingerprint - previous)` (the first
//! relative to the block's `first`), `varint(count)`, then the documents' rows ascending as
//! `varint(first)` and `varint(delta)`s.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Error, Result, Store, Tx};

/// Target size of a block's data: two blocks share a 4 KiB page.
const BLOCK_BYTES: usize = 1900;
/// Segments of one level merged into one of the next.
const FANOUT: usize = 8;

/// A fingerprint's documents in one lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    /// How many documents hold the fingerprint.
    pub count: usize,
    /// Their rows, ascending; empty when `count` is over the cap the caller gave.
    pub docs: Vec<i64>,
}

/// Documents whose fingerprints are not in the index yet (stores made before it existed).
pub(super) fn pending(conn: &rusqlite::Connection, limit: usize) -> Result<Vec<i64>> {
    let rows = conn
        .prepare_cached("SELECT doc FROM shingles_pending ORDER BY doc LIMIT ?1")?
        .query_map([limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

impl Store {
    /// The documents (rows) holding each fingerprint, in the order given. A list longer
    /// than `cap` is counted, not read.
    pub fn postings(&self, fingerprints: &[u32], cap: usize) -> Result<Vec<Postings>> {
        let segments = segments(self.conn(), None)?;
        let mut out = vec![Postings::default(); fingerprints.len()];
        let mut block = self.conn().prepare_cached(
            "SELECT first, data FROM shingle_blocks WHERE segment = ?1 AND first <= ?2 \
             ORDER BY first DESC LIMIT 1",
        )?;
        for &(segment, ..) in &segments {
            for (f, postings) in fingerprints.iter().zip(out.iter_mut()) {
                let row: Option<(i64, Vec<u8>)> = block
                    .query_row(params![segment, i64::from(*f)], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                let Some((first, data)) = row else { continue };
                let first = u32::try_from(first)
                    .map_err(|_| corrupt(segment, format!("first fingerprint {first}")))?;
                find_in_block(&data, first, *f, postings, cap)
                    .map_err(|what| corrupt(segment, what))?;
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

    /// Every document row the index holds postings for, reading (and so checking) every
    /// block.
    pub fn shingle_documents(&self) -> Result<rustc_hash::FxHashSet<i64>> {
        let mut docs = rustc_hash::FxHashSet::default();
        let mut stmt = self
            .conn()
            .prepare("SELECT segment, first, data FROM shingle_blocks ORDER BY segment, first")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let segment: i64 = r.get(0)?;
            let first: i64 = r.get(1)?;
            let data: Vec<u8> = r.get(2)?;
            let first = u32::try_from(first)
                .map_err(|_| corrupt(segment, format!("first fingerprint {first}")))?;
            let groups = decode_block(&data, first).map_err(|what| corrupt(segment, what))?;
            if groups.first().map(|g| g.0) != Some(first) {
                return Err(corrupt(segment, format!("block {first} starts elsewhere")));
            }
            for (_, d) in groups {
                docs.extend(d);
            }
        }
        Ok(docs)
    }

    /// Empties the fingerprint index and marks every document as waiting to be indexed
    /// (`crate::index::catch_up` then rebuilds it).
    pub fn reset_shingles(&mut self) -> Result<()> {
        self.write_sql(|tx| -> Result<()> {
            tx.execute_batch(
                "DELETE FROM shingle_blocks; DELETE FROM shingle_segments; \
                 INSERT OR IGNORE INTO shingles_pending SELECT seq FROM documents;",
            )?;
            Ok(())
        })
    }

    /// How many documents are waiting to be indexed.
    pub fn shingles_pending_count(&self) -> Result<u64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM shingles_pending", [], |r| {
                r.get::<_, i64>(0)
            })?
            .max(0) as u64)
    }

    /// The rows of documents waiting to be indexed, oldest first.
    pub fn shingles_pending(&self, limit: usize) -> Result<Vec<i64>> {
        pending(self.conn(), limit)
    }

    /// Index segments and their sizes: (level, postings, blocks), for `fsck` and benchmarks.
    pub fn shingle_segments(&self) -> Result<Vec<(i64, i64, i64)>> {
        Ok(segments(self.conn(), None)?
            .into_iter()
            .map(|(_, level, postings, blocks)| (level, postings, blocks))
            .collect())
    }
}

fn corrupt(segment: i64, what: String) -> Error {
    Error::CorruptRow(format!(
        "fingerprint index segment {segment}: {what}; rebuild it with `prov fsck --reindex`"
    ))
}

/// Segments, oldest first: (id, level, postings, blocks); only one level's when given.
fn segments(conn: &rusqlite::Connection, level: Option<i64>) -> Result<Vec<(i64, i64, i64, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, level, postings, blocks FROM shingle_segments \
             WHERE ?1 IS NULL OR level = ?1 ORDER BY id",
        )?
        .query_map([level], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds the documents of fingerprint `want` in one block to `out` (at most `cap` rows
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
        let delta = u32::try_from(r.varint()?).map_err(|_| "fingerprint delta".to_owned())?;
        f = f.checked_add(delta).ok_or("fingerprint overflow")?;
        let n = usize::try_from(r.varint()?).map_err(|_| "count".to_owned())?;
        if n > data.len() {
            return Err(format!("count {n} longer than its block"));
        }
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

/// Reads one block's fingerprints and their documents, in order.
fn decode_block(data: &[u8], first: u32) -> std::result::Result<Vec<(u32, Vec<i64>)>, String> {
    let mut r = Reader { data, at: 0 };
    let mut out = Vec::new();
    let mut f = first;
    while !r.done() {
        let delta = u32::try_from(r.varint()?).map_err(|_| "fingerprint delta".to_owned())?;
        f = f.checked_add(delta).ok_or("fingerprint overflow")?;
        let n = usize::try_from(r.varint()?).map_err(|_| "count".to_owned())?;
        if n > data.len() {
            return Err(format!("count {n} longer than its block"));
        }
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

/// Writes one segment's blocks in fingerprint order.
struct SegmentWriter<'a, 'c> {
    tx: &'a Transaction<'c>,
    segment: i64,
    first: Option<u32>,
    last: u32,
    buf: Vec<u8>,
    postings: i64,
    blocks: i64,
}

impl<'a, 'c> SegmentWriter<'a, 'c> {
    fn new(tx: &'a Transaction<'c>, level: i64) -> Result<Self> {
        tx.prepare_cached(
            "INSERT INTO shingle_segments (level, postings, blocks) VALUES (?1, 0, 0)",
        )?
        .execute([level])?;
        Ok(SegmentWriter {
            tx,
            segment: tx.last_insert_rowid(),
            first: None,
            last: 0,
            buf: Vec::with_capacity(BLOCK_BYTES * 2),
            postings: 0,
            blocks: 0,
        })
    }

    /// Appends one fingerprint's documents (rows ascending, fingerprints in order).
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
        self.tx
            .prepare_cached(
                "INSERT INTO shingle_blocks (segment, first, data) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![self.segment, i64::from(first), self.buf])?;
        self.buf.clear();
        self.blocks += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.tx
            .prepare_cached("UPDATE shingle_segments SET postings = ?2, blocks = ?3 WHERE id = ?1")?
            .execute(params![self.segment, self.postings, self.blocks])?;
        Ok(())
    }
}

/// Merges the segments of every level that has [`FANOUT`] of them, from the bottom up.
fn merge_full_levels(tx: &Transaction<'_>) -> Result<()> {
    let mut level = 0;
    loop {
        let full = segments(tx, Some(level))?;
        if full.len() < FANOUT {
            let higher: Option<i64> = tx
                .query_row(
                    "SELECT min(level) FROM shingle_segments WHERE level > ?1",
                    [level],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            match higher {
                Some(l) => {
                    level = l;
                    continue;
                }
                None => return Ok(()),
            }
        }
        let ids: Vec<i64> = full.iter().map(|s| s.0).collect();
        merge(tx, &ids, level + 1)?;
        level += 1;
    }
}

/// Reads one segment's blocks in order, a block at a time.
struct SegmentCursor {
    segment: i64,
    after: Option<i64>,
    groups: std::vec::IntoIter<(u32, Vec<i64>)>,
    head: Option<(u32, Vec<i64>)>,
}

impl SegmentCursor {
    fn new(tx: &Transaction<'_>, segment: i64) -> Result<Self> {
        let mut c = SegmentCursor {
            segment,
            after: None,
            groups: Vec::new().into_iter(),
            head: None,
        };
        c.advance(tx)?;
        Ok(c)
    }

    fn advance(&mut self, tx: &Transaction<'_>) -> Result<()> {
        loop {
            if let Some(g) = self.groups.next() {
                self.head = Some(g);
                return Ok(());
            }
            let row: Option<(i64, Vec<u8>)> = tx
                .prepare_cached(
                    "SELECT first, data FROM shingle_blocks WHERE segment = ?1 AND first > ?2 \
                     ORDER BY first LIMIT 1",
                )?
                .query_row(params![self.segment, self.after.unwrap_or(-1)], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let Some((first, data)) = row else {
                self.head = None;
                return Ok(());
            };
            self.after = Some(first);
            let first = u32::try_from(first)
                .map_err(|_| corrupt(self.segment, format!("first fingerprint {first}")))?;
            self.groups = decode_block(&data, first)
                .map_err(|what| corrupt(self.segment, what))?
                .into_iter();
        }
    }
}

fn merge(tx: &Transaction<'_>, ids: &[i64], level: i64) -> Result<()> {
    let mut cursors = ids
        .iter()
        .map(|&s| SegmentCursor::new(tx, s))
        .collect::<Result<Vec<_>>>()?;
    let mut writer = SegmentWriter::new(tx, level)?;
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
                c.advance(tx)?;
            }
        }
        docs.sort_unstable();
        docs.dedup();
        writer.push(f, &docs)?;
    }
    writer.finish()?;
    let mut blocks = tx.prepare_cached("DELETE FROM shingle_blocks WHERE segment = ?1")?;
    let mut segment = tx.prepare_cached("DELETE FROM shingle_segments WHERE id = ?1")?;
    for id in ids {
        blocks.execute([id])?;
        segment.execute([id])?;
    }
    Ok(())
}

impl Tx<'_> {
    /// Adds the fingerprints of documents stored in this transaction (by row) as a new
    /// segment, then merges segments as the levels fill up.
    pub fn add_fingerprints(&self, docs: &[(i64, &[u32])]) -> Result<()> {
        let tx = self.sql;
        let mut pairs: Vec<(u32, i64)> = docs
            .iter()
            .flat_map(|(doc, fps)| fps.iter().map(move |&f| (f, *doc)))
            .collect();
        if pairs.is_empty() {
            return Ok(());
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut writer = SegmentWriter::new(tx, 0)?;
        let mut i = 0;
        while i < pairs.len() {
            let f = pairs[i].0;
            let j = i + pairs[i..].partition_point(|p| p.0 == f);
            let list: Vec<i64> = pairs[i..j].iter().map(|p| p.1).collect();
            writer.push(f, &list)?;
            i = j;
        }
        writer.finish()?;
        merge_full_levels(tx)
    }

    /// Marks documents as indexed.
    pub fn clear_fingerprints_pending(&self, docs: &[i64]) -> Result<()> {
        let tx = self.sql;
        let mut stmt = tx.prepare_cached("DELETE FROM shingles_pending WHERE doc = ?1")?;
        for d in docs {
            stmt.execute([d])?;
        }
        Ok(())
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
                tx.add_fingerprints(&refs)
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
            .shingle_segments()
            .unwrap()
            .iter()
            .map(|s| s.0)
            .collect();
        assert!(levels.len() < 20, "{levels:?}");
        assert!(levels.iter().any(|&l| l >= 2), "{levels:?}");
        let keys: Vec<u32> = expected.keys().copied().collect();
        let got = store.postings(&keys, usize::MAX).unwrap();
        for (k, p) in keys.iter().zip(&got) {
            let want = &expected[k];
            assert_eq!(p.count, want.len(), "{k}");
            assert_eq!(&p.docs, want, "{k}");
        }
        // A capped list is counted, not read.
        let capped = store.postings(&[7], 10).unwrap();
        assert_eq!(capped[0].count, 1000);
        assert!(capped[0].docs.is_empty());
        assert_eq!(
            store.postings(&[424_242], 10).unwrap()[0],
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
            store.postings(&[9], 100),
            Err(Error::CorruptRow(_))
        ));
    }
}
