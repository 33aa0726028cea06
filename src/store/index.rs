//! Who said a stored passage, and the tables derived from documents.

use super::db::{Row, args};
use super::{Result, Store};
use crate::model::DocId;

/// Who a stored quotation overlapping a passage is given to.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerAt {
    /// The canonical person, when attribution resolved one.
    pub speaker: Option<String>,
    /// The speaker as the source wrote them ("he", "the lawyer").
    pub mention: Option<String>,
    /// How sure attribution was (0 to 1).
    pub confidence: f32,
    /// Whether a person set the speaker (`prov quotes set-speaker`).
    pub corrected: bool,
}

/// The columns after `name, mention, confidence` that [`speaker_from_row`] reads.
const CORRECTED: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM speaker_corrections c \
     WHERE c.quote = q.id) THEN 1 ELSE 0 END AS BIGINT)";

/// A [`SpeakerAt`] from a row of `name, mention, confidence`.
fn speaker_from_row(r: &Row<'_>) -> Result<SpeakerAt> {
    Ok(SpeakerAt {
        speaker: r.get(0)?,
        mention: r.get(1)?,
        confidence: r.get::<f64>(2)? as f32,
        corrected: r.get::<i64>(3)? != 0,
    })
}

impl Store {
    /// The speaker the document gives to the passage at code points `start..end`: the
    /// stored quotation overlapping it most (the innermost on a tie, so words quoted
    /// inside an interview answer are their own speaker's), with its mention as written.
    pub fn speaker_at(&self, doc: &DocId, start: usize, end: usize) -> Result<Option<SpeakerAt>> {
        let db = self.db();
        db.query_opt(
            &format!(
                "SELECT s.name, q.mention, q.confidence, {CORRECTED} FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
                 WHERE q.doc = (SELECT seq FROM documents WHERE id = ?1) AND q.start < ?3 AND q.\"end\" > ?2 AND q.kind != 'term' \
                 ORDER BY {} - {} DESC, q.\"end\" - q.start LIMIT 1",
                db.least("q.\"end\"", "?3"),
                db.greatest("q.start", "?2")
            ),
            args![doc.to_hex(), start, end],
            speaker_from_row,
        )
    }

    /// [`Store::speaker_at`] for each of `passages` (document, start, end), in order.
    pub fn speakers_at(
        &self,
        passages: &[(DocId, usize, usize)],
    ) -> Result<Vec<Option<SpeakerAt>>> {
        let db = self.db();
        if db.engine() == super::Engine::Sqlite {
            return passages
                .iter()
                .map(|(doc, start, end)| self.speaker_at(doc, *start, *end))
                .collect();
        }
        // Over the network: every passage in one statement per chunk.
        let rows: Vec<(i64, String, i64, i64)> = passages
            .iter()
            .enumerate()
            .map(|(i, (doc, start, end))| (i as i64, doc.to_hex(), *start as i64, *end as i64))
            .collect();
        let mut out: Vec<Option<SpeakerAt>> = (0..passages.len()).map(|_| None).collect();
        super::db::chunked(&rows, |chunk| {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p = i * 4;
                    format!(
                        "(CAST(?{} AS BIGINT), CAST(?{} AS TEXT), CAST(?{} AS BIGINT), CAST(?{} AS BIGINT))",
                        p + 1,
                        p + 2,
                        p + 3,
                        p + 4
                    )
                })
                .collect();
            let sql = format!(
                "SELECT k.column1, x.name, x.mention, x.confidence, x.corrected FROM (VALUES {}) AS k \
                 CROSS JOIN LATERAL (SELECT s.name, q.mention, q.confidence, {CORRECTED} AS corrected FROM quotes q \
                   LEFT JOIN speakers s ON s.id = q.speaker_id \
                   WHERE q.doc = (SELECT seq FROM documents WHERE id = k.column2) \
                     AND q.start < k.column4 AND q.\"end\" > k.column3 AND q.kind != 'term' \
                   ORDER BY {} - {} DESC, q.\"end\" - q.start LIMIT 1) x",
                values.join(", "),
                db.least("q.\"end\"", "k.column4"),
                db.greatest("q.start", "k.column3")
            );
            let params: Vec<&dyn super::db::Param> = chunk
                .iter()
                .flat_map(|(i, doc, start, end)| {
                    [
                        i as &dyn super::db::Param,
                        doc as &dyn super::db::Param,
                        start as &dyn super::db::Param,
                        end as &dyn super::db::Param,
                    ]
                })
                .collect();
            db.each(&sql, &params, |r| {
                let at = usize::try_from(r.get::<i64>(0)?)
                    .ok()
                    .filter(|&at| at < out.len())
                    .ok_or_else(|| super::Error::CorruptRow("a passage's position".into()))?;
                out[at] = Some(SpeakerAt {
                    speaker: r.get(1)?,
                    mention: r.get(2)?,
                    confidence: r.get::<f64>(3)? as f32,
                    corrected: r.get::<i64>(4)? != 0,
                });
                Ok(())
            })
        })?;
        Ok(out)
    }

    /// The stored quotation overlapping code points `start..end` most: its start (a code
    /// point offset) and text.
    pub fn quote_at(
        &self,
        doc: &DocId,
        start: usize,
        end: usize,
    ) -> Result<Option<(usize, String)>> {
        let db = self.db();
        db.query_opt(
            &format!(
                "SELECT start, text FROM quotes WHERE doc = (SELECT seq FROM documents WHERE id = ?1) AND start < ?3 AND \"end\" > ?2 AND kind != 'term' \
                 ORDER BY {} - {} DESC, \"end\" - start LIMIT 1",
                db.least("\"end\"", "?3"),
                db.greatest("start", "?2")
            ),
            args![doc.to_hex(), start, end],
            |r| Ok((r.get::<i64>(0)?.max(0) as usize, r.get(1)?)),
        )
    }

    /// Who the document's stored quotations reading exactly `text` (the same words, as
    /// stored) are given to: a passage printed twice in one document (an interview that
    /// repeats a line, a pull quote) may be given to someone at each place.
    pub fn speakers_of_text(&self, doc: &DocId, text: &str) -> Result<Vec<SpeakerAt>> {
        self.db().query(
            &format!(
                "SELECT s.name, q.mention, q.confidence, {CORRECTED} FROM quotes q JOIN speakers s ON s.id = q.speaker_id \
                 WHERE q.doc = (SELECT seq FROM documents WHERE id = ?1) AND q.text = ?2 AND q.kind != 'term'"
            ),
            args![doc.to_hex(), text],
            speaker_from_row,
        )
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
            .db()
            .query_opt(
                "SELECT 1 FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id \
                 WHERE s.name = ?2 AND lower(a.alias) = lower(?1)",
                args![name, canonical],
                |_| Ok(()),
            )?
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
    /// and grams, the posting indexes) and marks every document for the fingerprint
    /// index, for [`crate::ingest::rederive`] to fill again. Documents, publications,
    /// sources, versions, paths and fetches stay.
    ///
    /// Records the repair as unfinished in the same transaction, until
    /// [`Store::finish_repair`]: a rebuild stopped midway leaves a store that says so.
    pub fn clear_derived(&mut self) -> Result<()> {
        let now = super::meta::now_rfc3339();
        self.write(|tx| -> Result<()> {
            tx.db().batch(
                "DELETE FROM quote_grams; \
                 DELETE FROM quotes; \
                 DELETE FROM quote_groups; \
                 DELETE FROM speaker_aliases; \
                 DELETE FROM speakers;",
            )?;
            tx.db().execute(
                "INSERT INTO repairs (kind, started_at) VALUES ('rederive', ?1) \
                 ON CONFLICT (kind) DO UPDATE SET started_at = excluded.started_at",
                args![now],
            )?;
            Ok(())
        })?;
        self.reset_indexes()
    }

    /// When a rebuild of what the store derives from its documents
    /// ([`Store::clear_derived`]) started and has not finished: its quotations, speakers
    /// and matches are incomplete until `prov fsck --repair` runs again.
    pub fn unfinished_repair(&self) -> Result<Option<String>> {
        self.db().query_opt(
            "SELECT started_at FROM repairs WHERE kind = 'rederive'",
            args![],
            |r| r.get(0),
        )
    }

    /// Records that the rebuild [`Store::clear_derived`] started is complete.
    pub fn finish_repair(&mut self) -> Result<()> {
        self.write(|tx| -> Result<()> {
            tx.db()
                .execute("DELETE FROM repairs WHERE kind = 'rederive'", args![])?;
            Ok(())
        })
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
