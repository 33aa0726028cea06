//! The full-text index: candidate documents for a quotation, without scanning the store.

use rusqlite::{OptionalExtension, params};
use unicode_normalization::UnicodeNormalization;

use super::documents::parse_id;
use super::{Result, Store, Tx};
use crate::model::DocId;

/// Words too common to pick candidates by ("he said" must not flood them).
const STOPWORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "is", "was", "are", "were", "be", "been", "it", "that", "this", "he", "she", "they",
    "we", "i", "you", "his", "her", "their", "our", "my", "said", "says", "not", "as", "have",
    "has", "had", "will", "would", "do", "does", "did", "so", "if", "there", "what", "who",
    "which", "all", "t", "s", "about", "up", "out", "no", "can", "its", "me", "him", "them", "us",
];

/// The most documents read from one term's posting list.
const POSTINGS_LIMIT: i64 = 20_000;

/// Splits a word the way the index's tokenizer does: letters and digits, case and
/// diacritics folded.
pub fn index_tokens(word: &str) -> Vec<String> {
    let folded: String = word
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Who a stored quotation overlapping a passage is given to.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerAt {
    /// The canonical person, when attribution resolved one.
    pub speaker: Option<String>,
    /// The speaker as the source wrote them ("he", "the lawyer").
    pub mention: Option<String>,
    /// How sure attribution was (0 to 1).
    pub confidence: f32,
}

/// A [`SpeakerAt`] from a row of `name, mention, confidence`.
fn speaker_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SpeakerAt> {
    Ok(SpeakerAt {
        speaker: r.get(0)?,
        mention: r.get(1)?,
        confidence: r.get::<_, f64>(2)? as f32,
    })
}

impl Store {
    /// Documents most likely to hold a passage with these words: the rarest few words
    /// that any document has, ranked by BM25. At most `limit` documents.
    pub fn candidates(&self, words: &[&str], limit: usize) -> Result<Vec<DocId>> {
        let mut tokens: Vec<String> = words.iter().flat_map(|w| index_tokens(w)).collect();
        tokens.sort();
        tokens.dedup();
        let informative: Vec<String> = tokens
            .iter()
            .filter(|t| !STOPWORDS.contains(&t.as_str()))
            .cloned()
            .collect();
        let pool = if informative.len() >= 2 {
            informative
        } else {
            tokens.clone()
        };
        let mut counted: Vec<(i64, String)> = Vec::new();
        let mut df = self
            .conn()
            .prepare_cached("SELECT doc FROM doc_terms WHERE term = ?1")?;
        for t in pool {
            let n: Option<i64> = df.query_row([&t], |r| r.get(0)).optional()?;
            if let Some(n) = n.filter(|&n| n > 0) {
                counted.push((n, t));
            }
        }
        if counted.is_empty() {
            return Ok(Vec::new());
        }
        counted.sort();
        // Score documents by the summed rarity (IDF) of the query terms they hold, over the
        // rarest terms' posting lists. The index keeps no positions (detail=none), so this
        // replaces BM25; a term held by a large share of the store says little and is
        // read only when nothing rarer exists.
        // The highest row stands in for the number of documents: exact unless rows were
        // removed, and one index read where count(*) reads the whole table.
        let total = self
            .conn()
            .query_row("SELECT coalesce(max(seq), 1) FROM documents", [], |r| {
                r.get::<_, i64>(0)
            })?
            .max(1) as f64;
        let mut scores: rustc_hash::FxHashMap<i64, f64> = rustc_hash::FxHashMap::default();
        let mut postings = self
            .conn()
            .prepare_cached("SELECT rowid FROM doc_text WHERE doc_text MATCH ?1 LIMIT ?2")?;
        for (i, (n, term)) in counted.iter().take(8).enumerate() {
            if i >= 3 && (*n as f64) > total / 4.0 {
                break;
            }
            let idf = (total / *n as f64).ln() + 1.0;
            let rows = postings
                .query_map(params![format!("\"{term}\""), POSTINGS_LIMIT], |r| {
                    r.get::<_, i64>(0)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for row in rows {
                *scores.entry(row).or_default() += idf;
            }
        }
        let mut ranked: Vec<(i64, f64)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // For a quote made of common words ("there should be no deal") the rarity scores tie
        // across hundreds of documents and the right one may fall past the cut; then the
        // documents holding every word of it come first. (An altered quote misses a word
        // and is served by the scores.)
        let tied_at_cut = ranked.len() > limit && ranked[limit].1 >= ranked[0].1;
        if tied_at_cut {
            let conjunction = tokens
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(" AND ");
            let holding_all = self
                .conn()
                .prepare_cached("SELECT rowid FROM doc_text WHERE doc_text MATCH ?1 LIMIT ?2")?
                .query_map(params![conjunction, limit as i64], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ranked.retain(|(row, _)| !holding_all.contains(row));
            ranked = holding_all
                .into_iter()
                .map(|r| (r, f64::INFINITY))
                .chain(ranked)
                .collect();
        }
        ranked.truncate(limit);
        let mut by_seq = self
            .conn()
            .prepare_cached("SELECT id FROM documents WHERE seq = ?1")?;
        let mut out = Vec::with_capacity(ranked.len());
        for (seq, _) in ranked {
            let hex: Option<String> = by_seq.query_row([seq], |r| r.get(0)).optional()?;
            if let Some(h) = hex {
                out.push(parse_id(&h)?);
            }
        }
        Ok(out)
    }

    /// Rows of documents whose text holds every one of `words` (any order, anywhere), at
    /// most `limit` of them, lowest rows first; and how many hold them in all.
    pub fn documents_with_words(&self, words: &[&str], limit: usize) -> Result<(Vec<i64>, usize)> {
        let mut tokens: Vec<String> = words.iter().flat_map(|w| index_tokens(w)).collect();
        tokens.sort();
        tokens.dedup();
        if tokens.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let conjunction = tokens
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" AND ");
        let docs = self
            .conn()
            .prepare_cached(
                "SELECT rowid FROM doc_text WHERE doc_text MATCH ?1 ORDER BY rowid LIMIT ?2",
            )?
            .query_map(params![conjunction, limit as i64], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total = if docs.len() < limit {
            docs.len()
        } else {
            self.conn()
                .prepare_cached("SELECT count(*) FROM doc_text WHERE doc_text MATCH ?1")?
                .query_row([&conjunction], |r| r.get::<_, i64>(0))?
                .max(0) as usize
        };
        Ok((docs, total))
    }

    /// The speaker the document gives to the passage at code points `start..end`: the
    /// stored quotation overlapping it most (the innermost on a tie, so words quoted
    /// inside an interview answer are their own speaker's), with its mention as written.
    pub fn speaker_at(&self, doc: &DocId, start: usize, end: usize) -> Result<Option<SpeakerAt>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT s.name, q.mention, q.confidence FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
                 WHERE q.doc = (SELECT seq FROM documents WHERE id = ?1) AND q.start < ?3 AND q.\"end\" > ?2 AND q.kind != 'term' \
                 ORDER BY min(q.\"end\", ?3) - max(q.start, ?2) DESC, q.\"end\" - q.start LIMIT 1",
            )?
            .query_row(
                params![doc.to_hex(), start as i64, end as i64],
                speaker_from_row,
            )
            .optional()?)
    }

    /// The stored quotation overlapping code points `start..end` most: its start (a code
    /// point offset) and text.
    pub fn quote_at(
        &self,
        doc: &DocId,
        start: usize,
        end: usize,
    ) -> Result<Option<(usize, String)>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT start, text FROM quotes WHERE doc = (SELECT seq FROM documents WHERE id = ?1) AND start < ?3 AND \"end\" > ?2 AND kind != 'term' \
                 ORDER BY min(\"end\", ?3) - max(start, ?2) DESC, \"end\" - start LIMIT 1",
            )?
            .query_row(params![doc.to_hex(), start as i64, end as i64], |r| {
                Ok((r.get::<_, i64>(0)?.max(0) as usize, r.get(1)?))
            })
            .optional()?)
    }

    /// Who the document's stored quotations reading exactly `text` (the same words, as
    /// stored) are given to: a passage printed twice in one document (an interview that
    /// repeats a line, a pull quote) may be given to someone at each place.
    pub fn speakers_of_text(&self, doc: &DocId, text: &str) -> Result<Vec<SpeakerAt>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT s.name, q.mention, q.confidence FROM quotes q JOIN speakers s ON s.id = q.speaker_id \
             WHERE q.doc = (SELECT seq FROM documents WHERE id = ?1) AND q.text = ?2 AND q.kind != 'term'",
        )?;
        let rows = stmt.query_map(params![doc.to_hex(), text], speaker_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether `name` is the speaker `canonical` or one of the names they were written as.
    pub fn same_speaker(&self, name: &str, canonical: &str) -> Result<bool> {
        if different_first_names(name, canonical) {
            return Ok(false);
        }
        if name.eq_ignore_ascii_case(canonical)
            || canonical.to_lowercase().rsplit(' ').next() == Some(&name.to_lowercase())
        {
            return Ok(true);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id \
                 WHERE s.name = ?2 AND a.alias = ?1 COLLATE NOCASE",
            )?
            .query_row(params![name, canonical], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

/// Two full names with the same surname and first names that cannot be one person's
/// ("Mary Cheney" and "Liz Cheney"); an initial or a shortened name ("J. Smith", "Chris
/// Smith" for "Christopher Smith") could be.
fn different_first_names(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.len() < 2 || b.len() < 2 || a.last() != b.last() {
        return false;
    }
    let (x, y) = (&a[0], &b[0]);
    let initial = |w: &str| w.chars().count() == 1;
    !(initial(x) || initial(y) || x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
}

impl Store {
    /// Empties every table derived from the documents (quotations, speakers, match groups
    /// and grams, the full-text index) and marks every document for the fingerprint
    /// index, for [`crate::ingest::rederive`] to fill again. Documents, publications,
    /// sources, versions, paths and fetches stay.
    pub fn clear_derived(&mut self) -> Result<()> {
        self.write_sql(|tx| -> Result<()> {
            tx.execute_batch(
                "DELETE FROM quote_grams; \
                 DELETE FROM quotes; \
                 DELETE FROM quote_groups; \
                 DELETE FROM speaker_aliases; \
                 DELETE FROM speakers; \
                 INSERT INTO doc_text (doc_text) VALUES ('delete-all');",
            )?;
            Ok(())
        })?;
        self.reset_shingles()
    }
}

impl Tx<'_> {
    /// Adds a document's text to the index under its row number.
    pub fn index_text(&self, seq: i64, text: &str) -> Result<()> {
        let tx = self.sql;
        tx.prepare_cached("INSERT INTO doc_text (rowid, body) VALUES (?1, ?2)")?
            .execute(params![seq, text])?;
        Ok(())
    }
}

#[cfg(test)]
mod speaker_tests {
    use super::different_first_names;

    #[test]
    fn first_names_tell_relatives_apart() {
        assert!(different_first_names("Mary Cheney", "Liz Cheney"));
        assert!(!different_first_names("Liz Cheney", "Liz Cheney"));
        assert!(!different_first_names("Cheney", "Liz Cheney"));
        assert!(!different_first_names("L. Cheney", "Liz Cheney"));
        assert!(!different_first_names("Chris Smith", "Christopher Smith"));
        assert!(!different_first_names("Adam Schiff", "Adam B. Schiff"));
        assert!(!different_first_names("Rustem Umerov", "Mustafa Dzhemilev"));
    }
}
