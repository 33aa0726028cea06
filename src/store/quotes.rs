//! Stored quotations and speakers.

use serde::Serialize;

use super::db::{Param, Row, Sql, args};
use super::documents::parse_id;
use super::{Error, Result, Store, Tx};
use crate::model::{DocId, QuoteKind, normalize_prefix};

/// A quotation as extraction found it, to store or as stored. Offsets are Unicode code
/// points into the document text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewQuote {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    pub utterance: usize,
    pub mention: Option<String>,
    pub mention_start: Option<usize>,
    pub mention_end: Option<usize>,
    /// The person: canonical within the document as extracted, canonical across the
    /// store once stored.
    pub speaker: Option<String>,
    pub cue: Option<String>,
    pub confidence: f32,
}

/// A stored quotation: its id, document and place, and what extraction found.
#[derive(Debug, Clone, Serialize)]
pub struct StoredQuote {
    pub id: String,
    pub doc: DocId,
    pub seq: u32,
    /// The id of the group of this quotation and its reprints in other documents (see
    /// `prov matches`), when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(flatten)]
    pub quote: NewQuote,
}

/// A person with the names they were written as and how often they are quoted.
#[derive(Debug, Clone, Serialize)]
pub struct Speaker {
    pub name: String,
    pub aliases: Vec<String>,
    pub quotes: u64,
    pub documents: u64,
}

/// Which quotations to list.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// A speaker's name or any of their aliases, case-insensitive.
    pub speaker: Option<String>,
    pub doc: Option<DocId>,
    pub kind: Option<QuoteKind>,
}

/// The stable id of a quotation: BLAKE3 of its document id and offsets.
pub fn quote_id(doc: &DocId, start: usize, end: usize) -> String {
    quote_hash(doc, start, end).to_hex().to_string()
}

fn quote_hash(doc: &DocId, start: usize, end: usize) -> blake3::Hash {
    blake3::hash(format!("{}:{start}:{end}", doc.to_hex()).as_bytes())
}

/// The row number of a stored document.
pub(super) fn doc_seq(db: Sql<'_>, doc: &DocId) -> Result<i64> {
    db.query_opt(
        "SELECT seq FROM documents WHERE id = ?1",
        args![doc.to_hex()],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::UnknownDocument(doc.to_hex()))
}

/// Byte bounds `[lower, upper)` of the ids that start with hex `prefix`; no upper bound when
/// the prefix is all `f`.
fn blob_range(prefix: &str) -> (Vec<u8>, Option<Vec<u8>>) {
    let pad = |p: &str| -> Vec<u8> {
        let mut p = p.to_owned();
        if p.len() % 2 == 1 {
            p.push('0');
        }
        (0..p.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&p[i..i + 2], 16).ok())
            .collect()
    };
    let lower = pad(prefix);
    let mut digits: Vec<u8> = prefix
        .bytes()
        .map(|b| (b as char).to_digit(16).unwrap_or(0) as u8)
        .collect();
    while let Some(last) = digits.pop() {
        if last < 15 {
            digits.push(last + 1);
            let hex: String = digits
                .iter()
                .map(|d| char::from_digit(u32::from(*d), 16).unwrap_or('0'))
                .collect();
            return (lower, Some(pad(&hex)));
        }
    }
    (lower, None)
}

fn last_word(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

/// The speaker row for `name`, created if new. A one-word name joins the only stored
/// full name ending in it; a full name adopts an earlier one-word speaker of its surname
/// when no other full name shares that surname: that speaker's row is then gone, and its
/// id is written to `absorbed`.
fn speaker_id(
    tx: Sql<'_>,
    name: &str,
    mention: Option<&str>,
    absorbed: &mut Option<i64>,
) -> Result<i64> {
    let existing: Option<i64> = tx.query_opt(
        "SELECT speaker_id FROM speaker_aliases WHERE alias = ?1 ORDER BY speaker_id LIMIT 1",
        args![name],
        |r| r.get(0),
    )?;
    let id = match existing {
        Some(id) => id,
        None if !name.contains(' ') => {
            let candidates: Vec<i64> = tx.query(
                "SELECT id FROM speakers WHERE surname = ?1 AND words > 1",
                args![name],
                |r| r.get(0),
            )?;
            match candidates.as_slice() {
                [one] => *one,
                _ => insert_speaker(tx, name)?,
            }
        }
        None => {
            let id = insert_speaker(tx, name)?;
            let surname = last_word(name);
            let same_surname: i64 = tx.query_one(
                "SELECT count(*) FROM speakers WHERE surname = ?1 AND words > 1 AND id != ?2",
                args![surname, id],
                |r| r.get(0),
            )?;
            if same_surname == 0 {
                let short: Option<i64> = tx.query_opt(
                    "SELECT id FROM speakers WHERE name = ?1",
                    args![surname],
                    |r| r.get(0),
                )?;
                if let Some(short) = short {
                    tx.execute(
                        "UPDATE quotes SET speaker_id = ?1 WHERE speaker_id = ?2",
                        args![id, short],
                    )?;
                    tx.execute(
                        "INSERT INTO speaker_aliases (alias, speaker_id) \
                         SELECT alias, ?1 FROM speaker_aliases WHERE speaker_id = ?2 \
                         ON CONFLICT DO NOTHING",
                        args![id, short],
                    )?;
                    tx.execute("DELETE FROM speakers WHERE id = ?1", args![short])?;
                    *absorbed = Some(short);
                }
            }
            id
        }
    };
    // A name found through its alias needs no new alias row, only a new way of writing it.
    let known = existing.is_some();
    let new_forms = std::iter::once(name)
        .filter(|_| !known)
        .chain(mention.filter(|m| is_name_like(m) && *m != name));
    for alias in new_forms {
        tx.execute(
            "INSERT INTO speaker_aliases (alias, speaker_id) VALUES (?1, ?2) \
             ON CONFLICT DO NOTHING",
            args![alias, id],
        )?;
    }
    Ok(id)
}

/// Whether a mention is a way of writing a name (not "he" or "a spokesman").
fn is_name_like(mention: &str) -> bool {
    let words: Vec<&str> = mention.split_whitespace().collect();
    let pronoun = matches!(
        mention.to_lowercase().as_str(),
        "he" | "she" | "they" | "i" | "we" | "it" | "who" | "him" | "her" | "them" | "you"
    );
    !pronoun
        && !words.is_empty()
        && words.len() <= 6
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

fn insert_speaker(tx: Sql<'_>, name: &str) -> Result<i64> {
    tx.insert(
        "INSERT INTO speakers (name, surname, words) VALUES (?1, ?2, ?3)",
        args![
            name,
            last_word(name),
            name.split_whitespace().count() as i64
        ],
        "id",
    )
}

/// Columns of a stored quotation; queries join `documents d` and `speakers s`. The last is
/// the id of its group: the quotation that founded it (or, gone, the earliest left).
pub(crate) const QUOTE_COLUMNS: &str = "q.id, d.id, q.ord, q.start, q.\"end\", q.text, q.kind, \
     q.utterance, q.mention, q.mention_start, q.mention_end, s.name, q.cue, q.confidence, \
     CASE WHEN q.grp IS NOT NULL THEN coalesce( \
       (SELECT f.id FROM quotes f WHERE f.qid = q.grp), \
       (SELECT r.id FROM quotes r WHERE r.grp = q.grp ORDER BY r.qid LIMIT 1)) END";

/// How many columns [`QUOTE_COLUMNS`] holds.
pub(crate) const QUOTE_COLUMN_COUNT: usize = 15;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn quote_from_row(row: &Row<'_>) -> Result<(String, StoredQuote)> {
    let doc: String = row.get(1)?;
    let opt = |i: usize| -> Result<Option<usize>> {
        Ok(row.get::<Option<i64>>(i)?.map(|v| v.max(0) as usize))
    };
    let id: Vec<u8> = row.get(0)?;
    let id = hex(&id);
    let group: Option<Vec<u8>> = row.get(14)?;
    Ok((
        doc,
        StoredQuote {
            id,
            doc: DocId::of_bytes(b""),
            seq: row.get::<i64>(2)?.max(0) as u32,
            group: group.map(|g| hex(&g)),
            quote: NewQuote {
                start: row.get::<i64>(3)?.max(0) as usize,
                end: row.get::<i64>(4)?.max(0) as usize,
                text: row.get(5)?,
                kind: row.named(6, QuoteKind::parse)?,
                utterance: row.get::<i64>(7)?.max(0) as usize,
                mention: row.get(8)?,
                mention_start: opt(9)?,
                mention_end: opt(10)?,
                speaker: row.get(11)?,
                cue: row.get(12)?,
                confidence: row.get::<f64>(13)? as f32,
            },
        },
    ))
}

impl Store {
    /// Quotations matching `filter`, by document (newest first) then position.
    pub fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<StoredQuote>> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q \
             LEFT JOIN speakers s ON s.id = q.speaker_id \
             JOIN documents d ON d.seq = q.doc \
             WHERE (CAST(?1 AS TEXT) IS NULL OR d.id = ?1) \
               AND (CAST(?2 AS TEXT) IS NULL OR q.kind = ?2) \
               AND (CAST(?3 AS TEXT) IS NULL OR q.speaker_id IN ( \
                    SELECT speaker_id FROM speaker_aliases WHERE lower(alias) = lower(?3) \
                    UNION SELECT id FROM speakers WHERE lower(name) = lower(?3) \
                       OR lower(surname) = lower(?3))) \
             ORDER BY d.published IS NULL, d.published DESC, d.seq DESC, q.ord"
        );
        let rows = self.db().query(
            &sql,
            args![
                filter.doc.map(|d| d.to_hex()),
                filter.kind.map(QuoteKind::as_str),
                filter.speaker
            ],
            quote_from_row,
        )?;
        rows.into_iter()
            .map(|(doc, mut q)| {
                q.doc = parse_id(&doc)?;
                Ok(q)
            })
            .collect()
    }

    /// Resolves a quotation id or unique prefix (at least 4 hex characters).
    pub fn quote(&self, prefix: &str) -> Result<StoredQuote> {
        let p = normalize_prefix(prefix.trim()).ok_or_else(|| Error::BadId(prefix.to_owned()))?;
        let (lower, upper) = blob_range(&p);
        let select = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
             JOIN documents d ON d.seq = q.doc WHERE q.id >= ?1"
        );
        let rows = match upper {
            Some(upper) => self.db().query(
                &format!("{select} AND q.id < ?2 ORDER BY q.id LIMIT 10"),
                args![lower, upper],
                quote_from_row,
            )?,
            None => self.db().query(
                &format!("{select} ORDER BY q.id LIMIT 10"),
                args![lower],
                quote_from_row,
            )?,
        };
        let mut rows: Vec<_> = rows
            .into_iter()
            .filter(|(_, q)| q.id.starts_with(&p))
            .collect();
        match rows.len() {
            0 => Err(Error::UnknownQuote(prefix.to_owned())),
            1 => {
                let (doc, mut q) = rows.remove(0);
                q.doc = parse_id(&doc)?;
                Ok(q)
            }
            _ => Err(Error::AmbiguousQuote {
                prefix: p,
                candidates: rows
                    .into_iter()
                    .map(|(_, q)| q.id[..12].to_owned())
                    .collect(),
            }),
        }
    }

    /// The stored quotation at row `qid`.
    pub fn quote_by_row(&self, qid: i64) -> Result<StoredQuote> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
             JOIN documents d ON d.seq = q.doc WHERE q.qid = ?1"
        );
        let (doc, mut q) = self.db().query_one(&sql, args![qid], quote_from_row)?;
        q.doc = parse_id(&doc)?;
        Ok(q)
    }

    /// The row number of a quotation by its full hex id.
    pub fn quote_row(&self, id: &str) -> Result<Option<i64>> {
        let (bytes, _) = blob_range(id);
        self.db()
            .query_opt("SELECT qid FROM quotes WHERE id = ?1", args![bytes], |r| {
                r.get(0)
            })
    }

    /// Every speaker with aliases and counts, most quoted first.
    pub fn speakers(&self) -> Result<Vec<Speaker>> {
        let db = self.db();
        let rows = db.query(
            "SELECT s.id, s.name, count(q.qid), count(DISTINCT q.doc) FROM speakers s \
             LEFT JOIN quotes q ON q.speaker_id = s.id GROUP BY s.id \
             HAVING count(q.qid) > 0 ORDER BY count(q.qid) DESC, s.name",
            args![],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<i64>(2)?,
                    r.get::<i64>(3)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(id, name, quotes, documents)| {
                let aliases = db
                    .query(
                        "SELECT alias FROM speaker_aliases WHERE speaker_id = ?1 ORDER BY alias",
                        args![id],
                        |r| r.get::<String>(0),
                    )?
                    .into_iter()
                    .filter(|a| *a != name)
                    .collect();
                Ok(Speaker {
                    name,
                    aliases,
                    quotes: quotes.max(0) as u64,
                    documents: documents.max(0) as u64,
                })
            })
            .collect()
    }
}

impl Tx<'_> {
    /// Replaces the quotations of `doc` with `quotes`; returns their row numbers, in order.
    pub fn replace_quotes(&self, doc: &DocId, quotes: &[NewQuote]) -> Result<Vec<i64>> {
        self.store_quotes(doc, doc_seq(self.db(), doc)?, true, quotes)
    }

    /// [`Tx::replace_quotes`] for the document at row `doc_row`; `replace: false` when it
    /// was stored in this transaction and has no quotations yet.
    pub(crate) fn store_quotes(
        &self,
        doc: &DocId,
        doc_row: i64,
        replace: bool,
        quotes: &[NewQuote],
    ) -> Result<Vec<i64>> {
        let tx = self.db();
        if replace {
            tx.execute("DELETE FROM quotes WHERE doc = ?1", args![doc_row])?;
        }
        if quotes.is_empty() {
            return Ok(Vec::new());
        }
        // One speaker lookup per name written in this transaction, however many
        // quotations and documents it has.
        let mut speakers = self.speakers.borrow_mut();
        let mut speaker_of: Vec<Option<i64>> = Vec::with_capacity(quotes.len());
        for q in quotes {
            let speaker = match &q.speaker {
                Some(name) => {
                    let key = (name.clone(), q.mention.clone());
                    match speakers.get(&key) {
                        Some(id) => Some(*id),
                        None => {
                            let mut absorbed = None;
                            let id = speaker_id(tx, name, q.mention.as_deref(), &mut absorbed)?;
                            // A one-word speaker this name adopted is this speaker now,
                            // for the quotations looked up already too.
                            if let Some(gone) = absorbed {
                                for known in speakers.values_mut() {
                                    if *known == gone {
                                        *known = id;
                                    }
                                }
                                for known in speaker_of.iter_mut().flatten() {
                                    if *known == gone {
                                        *known = id;
                                    }
                                }
                            }
                            speakers.insert(key, id);
                            Some(id)
                        }
                    }
                }
                None => None,
            };
            speaker_of.push(speaker);
        }
        drop(speakers);
        // The values of every row, then one statement per chunk of rows (a round trip each
        // on PostgreSQL), then the rows assigned, by position.
        struct Row {
            id: Vec<u8>,
            kind: &'static str,
            ord: i64,
            start: i64,
            end: i64,
            utterance: i64,
            mention_start: Option<i64>,
            mention_end: Option<i64>,
            confidence: f64,
        }
        let rows: Vec<Row> = quotes
            .iter()
            .enumerate()
            .map(|(seq, q)| Row {
                id: quote_hash(doc, q.start, q.end).as_bytes().to_vec(),
                kind: q.kind.as_str(),
                ord: seq as i64,
                start: q.start as i64,
                end: q.end as i64,
                utterance: q.utterance as i64,
                mention_start: q.mention_start.map(|v| v as i64),
                mention_end: q.mention_end.map(|v| v as i64),
                confidence: f64::from(q.confidence),
            })
            .collect();
        let mut values: Vec<&dyn Param> = Vec::with_capacity(quotes.len() * 14);
        for ((q, r), speaker) in quotes.iter().zip(&rows).zip(&speaker_of) {
            let row: [&dyn Param; 14] = [
                &r.id,
                &doc_row,
                &r.ord,
                &r.start,
                &r.end,
                &q.text,
                &r.kind,
                &r.utterance,
                &q.mention,
                &r.mention_start,
                &r.mention_end,
                speaker,
                &q.cue,
                &r.confidence,
            ];
            values.extend_from_slice(&row);
        }
        tx.insert_many(
            "quotes (id, doc, ord, start, \"end\", text, kind, utterance, mention, \
             mention_start, mention_end, speaker_id, cue, confidence)",
            14,
            &values,
            "",
        )?;
        let stored = tx.query(
            "SELECT qid FROM quotes WHERE doc = ?1 ORDER BY ord",
            args![doc_row],
            |r| r.get::<i64>(0),
        )?;
        if stored.len() != quotes.len() {
            return Err(Error::CorruptRow(format!(
                "stored {} quotations of {} for document {}",
                stored.len(),
                quotes.len(),
                doc.short()
            )));
        }
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    fn quote(speaker: Option<&str>, mention: Option<&str>) -> NewQuote {
        NewQuote {
            start: 0,
            end: 4,
            text: "text".into(),
            kind: QuoteKind::Direct,
            utterance: 0,
            mention: mention.map(str::to_owned),
            mention_start: mention.map(|_| 5),
            mention_end: mention.map(|m| 5 + m.chars().count()),
            speaker: speaker.map(str::to_owned),
            cue: None,
            confidence: 0.9,
        }
    }

    fn add_doc(store: &mut Store, bytes: &[u8], quotes: Vec<NewQuote>) -> DocId {
        let id = DocId::of_bytes(bytes);
        store
            .write(|tx| -> Result<()> {
                tx.insert_document(
                    &id,
                    bytes.len() as u64,
                    "utf-8",
                    "2026-01-01T00:00:00Z",
                    &Default::default(),
                    &Default::default(),
                )?;
                tx.replace_quotes(&id, &quotes).map(|_| ())
            })
            .unwrap();
        id
    }

    #[test]
    fn a_full_name_adopting_its_surname_in_one_document_keeps_every_quotation() {
        let (_dir, mut store) = testing::store();
        // The surname first, then the full name it belongs to: the one-word speaker is
        // absorbed while the document's quotations are being stored.
        let id = add_doc(
            &mut store,
            b"doc",
            vec![
                quote(Some("Kovalenko"), Some("Kovalenko")),
                NewQuote {
                    start: 10,
                    end: 14,
                    ..quote(Some("Anna Kovalenko"), Some("Anna Kovalenko"))
                },
            ],
        );
        let quotes = store
            .quotes(&QuoteFilter {
                doc: Some(id),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(quotes.len(), 2);
        assert!(
            quotes
                .iter()
                .all(|q| q.quote.speaker.as_deref() == Some("Anna Kovalenko")),
            "{quotes:?}"
        );
    }

    #[test]
    fn surnames_join_the_unique_full_name_across_documents() {
        let (_dir, mut store) = testing::store();
        add_doc(
            &mut store,
            b"a",
            vec![quote(Some("Dzhemilev"), Some("Dzhemilev"))],
        );
        add_doc(
            &mut store,
            b"b",
            vec![quote(Some("Mustafa Dzhemilev"), Some("Mustafa Dzhemilev"))],
        );
        add_doc(&mut store, b"c", vec![quote(Some("Dzhemilev"), Some("he"))]);
        let speakers = store.speakers().unwrap();
        assert_eq!(speakers.len(), 1, "{speakers:?}");
        assert_eq!(speakers[0].name, "Mustafa Dzhemilev");
        assert_eq!(speakers[0].aliases, ["Dzhemilev"]);
        assert_eq!(speakers[0].quotes, 3);
        let by_alias = store
            .quotes(&QuoteFilter {
                speaker: Some("dzhemilev".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(by_alias.len(), 3);
    }

    #[test]
    fn id_prefixes_cover_odd_lengths_and_all_f() {
        assert_eq!(
            blob_range("abc"),
            (vec![0xab, 0xc0], Some(vec![0xab, 0xd0]))
        );
        assert_eq!(
            blob_range("abcd"),
            (vec![0xab, 0xcd], Some(vec![0xab, 0xce]))
        );
        assert_eq!(blob_range("ffff"), (vec![0xff, 0xff], None));
        assert_eq!(blob_range("aff"), (vec![0xaf, 0xf0], Some(vec![0xb0])));
    }

    #[test]
    fn ambiguous_surnames_stay_apart() {
        let (_dir, mut store) = testing::store();
        add_doc(&mut store, b"a", vec![quote(Some("Hillary Clinton"), None)]);
        add_doc(&mut store, b"b", vec![quote(Some("Bill Clinton"), None)]);
        add_doc(&mut store, b"c", vec![quote(Some("Clinton"), None)]);
        let names: Vec<_> = store
            .speakers()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }
}
