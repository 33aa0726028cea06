//! Quotations that appear in more than one document: the gram index that finds them at
//! add time, and the matches recorded.

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::{Result, Store};

/// A recorded match between two stored quotations.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteMatch {
    pub quote: String,
    pub other: String,
    pub verdict: String,
    pub similarity: f32,
}

/// Records the grams of a stored quotation.
pub fn add_grams(tx: &Transaction<'_>, quote_id: &str, grams: &[i64]) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO quote_grams (gram, quote_id) VALUES (?1, ?2)")?;
    for g in grams {
        stmt.execute(params![g, quote_id])?;
    }
    Ok(())
}

/// Stored quotations sharing grams with `grams`, with how many they share.
pub fn shared_grams(tx: &Transaction<'_>, grams: &[i64]) -> Result<Vec<(String, usize)>> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    // A gram shared by many quotations ("we are going to") says little: look at a few.
    let mut stmt =
        tx.prepare_cached("SELECT quote_id FROM quote_grams WHERE gram = ?1 LIMIT 16")?;
    for g in grams {
        let ids = stmt
            .query_map(params![g], |r| r.get::<_, String>(0))?
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

/// The text and document of a stored quotation.
pub fn quote_text(tx: &Transaction<'_>, id: &str) -> Result<(String, String)> {
    Ok(tx
        .prepare_cached("SELECT text, doc_id FROM quotes WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Records that two quotations are the same one.
pub fn record(
    tx: &Transaction<'_>,
    quote: &str,
    other: &str,
    verdict: &str,
    similarity: f32,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO quote_matches (quote_id, other_id, verdict, similarity) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![quote, other, verdict, f64::from(similarity)])?;
    Ok(())
}

impl Store {
    /// Quotations recorded as the same as `quote`, in either direction.
    pub fn matched_quotes(&self, quote: &str) -> Result<Vec<(String, String, f32)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT other_id, verdict, similarity FROM quote_matches WHERE quote_id = ?1 \
             UNION SELECT quote_id, verdict, similarity FROM quote_matches WHERE other_id = ?1",
        )?;
        let rows = stmt
            .query_map([quote], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, f64>(2)? as f32))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Recorded matches, optionally only those touching one document.
    pub fn matches(&self, doc: Option<&super::DocId>) -> Result<Vec<QuoteMatch>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.quote_id, m.other_id, m.verdict, m.similarity FROM quote_matches m \
             JOIN quotes a ON a.id = m.quote_id JOIN quotes b ON b.id = m.other_id \
             WHERE ?1 IS NULL OR a.doc_id = ?1 OR b.doc_id = ?1 \
             ORDER BY m.similarity DESC, m.quote_id",
        )?;
        let rows = stmt
            .query_map([doc.map(|d| d.to_hex())], |r| {
                Ok(QuoteMatch {
                    quote: r.get(0)?,
                    other: r.get(1)?,
                    verdict: r.get(2)?,
                    similarity: r.get::<_, f64>(3)? as f32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
