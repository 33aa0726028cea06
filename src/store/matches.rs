//! Quotations that appear in more than one document: the gram index that finds them at
//! add time, and the matches recorded.

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::{Result, Store};

/// A recorded match between two stored quotations (full hex ids).
#[derive(Debug, Clone, Serialize)]
pub struct QuoteMatch {
    pub quote: String,
    pub other: String,
    pub verdict: String,
    pub similarity: f32,
}

/// Records the grams of a stored quotation (by row).
pub fn add_grams(tx: &Transaction<'_>, qid: i64, grams: &[i64]) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO quote_grams (gram, qid) VALUES (?1, ?2)")?;
    for g in grams {
        stmt.execute(params![g, qid])?;
    }
    Ok(())
}

/// Stored quotations (rows) sharing grams with `grams`, with how many they share.
pub fn shared_grams(tx: &Transaction<'_>, grams: &[i64]) -> Result<Vec<(i64, usize)>> {
    let mut counts: Vec<(i64, usize)> = Vec::new();
    // A gram shared by many quotations ("we are going to") says little: look at a few.
    let mut stmt = tx.prepare_cached("SELECT qid FROM quote_grams WHERE gram = ?1 LIMIT 16")?;
    for g in grams {
        let ids = stmt
            .query_map(params![g], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for id in ids {
            match counts.iter_mut().find(|(q, _)| *q == id) {
                Some((_, n)) => *n += 1,
                None => counts.push((id, 1)),
            }
        }
    }
    Ok(counts)
}

/// The text of a stored quotation.
pub fn quote_text(tx: &Transaction<'_>, qid: i64) -> Result<String> {
    Ok(tx
        .prepare_cached("SELECT text FROM quotes WHERE qid = ?1")?
        .query_row([qid], |r| r.get(0))?)
}

/// Records that two quotations are the same one.
pub fn record(
    tx: &Transaction<'_>,
    qid: i64,
    other: i64,
    verdict: &str,
    similarity: f32,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO quote_matches (qid, other, verdict, similarity) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![qid, other, verdict, f64::from(similarity)])?;
    Ok(())
}

fn hex(bytes: Vec<u8>) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Quotations recorded as the same as the one at row `qid`, in either direction:
    /// (row, verdict, similarity).
    pub fn matched_quotes(&self, qid: i64) -> Result<Vec<(i64, String, f32)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT other, verdict, similarity FROM quote_matches WHERE qid = ?1 \
             UNION SELECT qid, verdict, similarity FROM quote_matches WHERE other = ?1",
        )?;
        let rows = stmt
            .query_map([qid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, f64>(2)? as f32))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Recorded matches, optionally only those touching one document.
    pub fn matches(&self, doc: Option<&super::DocId>) -> Result<Vec<QuoteMatch>> {
        let mut stmt = self.conn().prepare(
            "SELECT a.id, b.id, m.verdict, m.similarity FROM quote_matches m \
             JOIN quotes a ON a.qid = m.qid JOIN quotes b ON b.qid = m.other \
             JOIN documents da ON da.seq = a.doc JOIN documents db ON db.seq = b.doc \
             WHERE ?1 IS NULL OR da.id = ?1 OR db.id = ?1 \
             ORDER BY m.similarity DESC, a.id",
        )?;
        let rows = stmt
            .query_map([doc.map(|d| d.to_hex())], |r| {
                Ok(QuoteMatch {
                    quote: hex(r.get(0)?),
                    other: hex(r.get(1)?),
                    verdict: r.get(2)?,
                    similarity: r.get::<_, f64>(3)? as f32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
