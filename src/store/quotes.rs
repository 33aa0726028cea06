//! Stored quotations and speakers.

use serde::Serialize;

use super::db::{Param, Row, Sql, args, chunked};
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
    /// Whether a person set the speaker (`prov quotes set-speaker`): it is theirs, not
    /// extraction's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub speaker_corrected: bool,
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
/// A quotation id's key in the quotation-id index: its first four bytes, big-endian, so
/// keys sort as the ids' hex prefixes do.
pub(super) fn id_key(id: &[u8]) -> u32 {
    let mut key = [0u8; 4];
    for (k, b) in key.iter_mut().zip(id) {
        *k = *b;
    }
    u32::from_be_bytes(key)
}

/// The keys of the quotation-id index that ids starting with hex `prefix` have.
fn key_range(prefix: &str) -> (u32, u32) {
    let head = &prefix[..prefix.len().min(8)];
    let parse = |pad: char| {
        let mut hex = head.to_owned();
        while hex.len() < 8 {
            hex.push(pad);
        }
        u32::from_str_radix(&hex, 16).unwrap_or(0)
    };
    (parse('0'), parse('f'))
}

/// Rows of the quotations whose ids may start with hex `prefix` (lowercase, validated):
/// those the quotation-id index lists under the prefix's keys, those `held` wrote in this
/// transaction (not indexed until it commits), and those of a store made before the index
/// that are still waiting for it. A superset: callers compare the rows' ids.
fn rows_with_id_prefix(db: Sql<'_>, prefix: &str, held: &[(u32, i64)]) -> Result<Vec<i64>> {
    let (lo, hi) = key_range(prefix);
    let mut rows = super::postings::rows_between(db, super::postings::Index::QuoteIds, lo, hi)?;
    rows.extend(
        held.iter()
            .filter(|(k, _)| (lo..=hi).contains(k))
            .map(|(_, q)| *q),
    );
    let (lower, upper) = blob_range(prefix);
    let waiting = "SELECT q.qid FROM quote_ids_pending p JOIN quotes q ON q.qid = p.qid \
                   WHERE q.id >= ?1";
    rows.extend(match upper {
        Some(upper) => db.query(
            &format!("{waiting} AND q.id < ?2"),
            args![lower, upper],
            |r| r.get::<i64>(0),
        )?,
        None => db.query(waiting, args![lower], |r| r.get::<i64>(0))?,
    });
    rows.sort_unstable();
    rows.dedup();
    Ok(rows)
}

/// The row of the quotation whose id is `id` (32 bytes), if one is stored.
pub(super) fn qid_of(db: Sql<'_>, id: &[u8], held: &[(u32, i64)]) -> Result<Option<i64>> {
    let hex = hex(id);
    for qid in rows_with_id_prefix(db, &hex, held)? {
        let found: Option<i64> = db.query_opt(
            "SELECT qid FROM quotes WHERE qid = ?1 AND id = ?2",
            args![qid, id],
            |r| r.get(0),
        )?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

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

/// A name without the initials between its first and last words: "Adam B. Schiff" →
/// "Adam Schiff"; `None` when it has none.
fn without_initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 3 {
        return None;
    }
    let initial = |w: &&str| {
        let letters: Vec<char> = w.trim_end_matches('.').chars().collect();
        letters.len() == 1 && letters[0].is_uppercase()
    };
    let inner = &words[1..words.len() - 1];
    if !inner.iter().any(initial) {
        return None;
    }
    let kept: Vec<&str> = std::iter::once(words[0])
        .chain(inner.iter().filter(|w| !initial(w)).copied())
        .chain(words.last().copied())
        .collect();
    Some(kept.join(" "))
}

/// Whether two full names are one person's with and without middle initials: "Adam B.
/// Schiff" and "Adam Schiff" (but not "George W. Bush" and "George H. W. Bush").
fn same_but_initials(a: &str, b: &str) -> bool {
    without_initials(a).is_some_and(|x| x == b) || without_initials(b).is_some_and(|x| x == a)
}

/// The most quotation rows [`Held`] keeps before writing them.
const HELD_QUOTES_MAX: usize = 4096;

/// What a write transaction knows of speakers, and the quotation rows it holds back, so
/// that a batch of documents costs a few statements for its speakers and quotations rather
/// than several per name and per document (each a round trip on PostgreSQL, made while
/// holding the write lock). The transaction holds the write lock, so only it changes
/// speakers and quotations meanwhile.
#[derive(Default)]
pub(crate) struct Held {
    /// Speaker rows by (name, mention) written in this transaction.
    by_key: rustc_hash::FxHashMap<(String, Option<String>), i64>,
    /// Aliases looked up: the lowest speaker row with that alias, or `None` for none.
    aliases: rustc_hash::FxHashMap<String, Option<i64>>,
    /// Alias rows to insert before the transaction reads aliases again or commits.
    pending: Vec<(String, i64)>,
    /// Speakers by surname, for the surnames looked up: (row, name, words in the name).
    surnames: rustc_hash::FxHashMap<String, Vec<(i64, String, i64)>>,
    /// Quotation rows to insert before the transaction reads or changes quotations.
    quotes: Vec<QuoteRow>,
    /// (quotation-id key, row) of the quotations this transaction wrote, added to the
    /// quotation-id index as one segment before it commits.
    pub(super) id_keys: Vec<(u32, i64)>,
    /// The next quotation row number on SQLite (0 until read).
    next_qid: i64,
    /// Row numbers PostgreSQL's sequence handed out and not used yet.
    free_qids: std::collections::VecDeque<i64>,
    /// Whether the store holds any speaker correction (`None` until looked up).
    corrections: Option<bool>,
    /// Names people merged into another (`prov speakers merge`), lowercased, with the name
    /// they are (`None` until looked up).
    merges: Option<rustc_hash::FxHashMap<String, String>>,
}

/// A quotation row held back, with its row number taken already.
struct QuoteRow {
    qid: i64,
    id: Vec<u8>,
    doc: i64,
    ord: i64,
    start: i64,
    end: i64,
    text: String,
    kind: &'static str,
    utterance: i64,
    mention: Option<String>,
    mention_start: Option<i64>,
    mention_end: Option<i64>,
    speaker: Option<i64>,
    cue: Option<String>,
    confidence: f64,
}

/// How many quotation row numbers PostgreSQL hands out at once (unused ones are skipped,
/// as a sequence's are after a rollback).
const QID_BLOCK: usize = 1024;

impl Held {
    /// Writes the rows held back; called before any statement that reads or changes
    /// aliases or quotations, and before commit.
    pub(crate) fn flush(&mut self, tx: Sql<'_>) -> Result<()> {
        self.flush_aliases(tx)?;
        if self.quotes.is_empty() {
            return Ok(());
        }
        // One statement's parameters at a time: a document with a hundred thousand
        // quotations does not hold a second copy of them all as parameters.
        chunked(&self.quotes, |rows| {
            let mut values: Vec<&dyn Param> = Vec::with_capacity(rows.len() * 15);
            for r in rows {
                let row: [&dyn Param; 15] = [
                    &r.qid,
                    &r.id,
                    &r.doc,
                    &r.ord,
                    &r.start,
                    &r.end,
                    &r.text,
                    &r.kind,
                    &r.utterance,
                    &r.mention,
                    &r.mention_start,
                    &r.mention_end,
                    &r.speaker,
                    &r.cue,
                    &r.confidence,
                ];
                values.extend_from_slice(&row);
            }
            tx.insert_many(
                "quotes (qid, id, doc, ord, start, \"end\", text, kind, utterance, mention, \
                 mention_start, mention_end, speaker_id, cue, confidence)",
                15,
                &values,
                "",
            )?;
            Ok(())
        })?;
        self.id_keys
            .extend(self.quotes.iter().map(|r| (id_key(&r.id), r.qid)));
        self.quotes.clear();
        Ok(())
    }

    /// Takes `n` row numbers for new quotations: above every stored one on SQLite (the
    /// transaction holds the write lock), from the table's sequence on PostgreSQL.
    fn take_qids(&mut self, tx: Sql<'_>, n: usize) -> Result<Vec<i64>> {
        match tx.engine() {
            super::Engine::Sqlite => {
                if self.next_qid == 0 {
                    let highest: i64 =
                        tx.query_one("SELECT coalesce(max(qid), 0) FROM quotes", args![], |r| {
                            r.get(0)
                        })?;
                    self.next_qid = highest + 1;
                }
                let first = self.next_qid;
                self.next_qid += n as i64;
                Ok((first..self.next_qid).collect())
            }
            super::Engine::Postgres => {
                if self.free_qids.len() < n {
                    let take = n.max(QID_BLOCK) as i64;
                    self.free_qids.extend(tx.query(
                        "SELECT nextval(pg_get_serial_sequence('quotes', 'qid')) \
                         FROM generate_series(1, ?1)",
                        args![take],
                        |r| r.get::<i64>(0),
                    )?);
                }
                Ok(self
                    .free_qids
                    .drain(..n.min(self.free_qids.len()))
                    .collect())
            }
        }
    }

    /// Writes the alias rows held back.
    fn flush_aliases(&mut self, tx: Sql<'_>) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.pending.sort_unstable();
        self.pending.dedup();
        let values: Vec<&dyn Param> = self
            .pending
            .iter()
            .flat_map(|(alias, id)| [alias as &dyn Param, id])
            .collect();
        tx.insert_many(
            "speaker_aliases (alias, speaker_id)",
            2,
            &values,
            "ON CONFLICT DO NOTHING",
        )?;
        self.pending.clear();
        Ok(())
    }

    /// Looks up the aliases among `names` not looked up yet, in a few statements.
    fn look_up(&mut self, tx: Sql<'_>, names: &[&str]) -> Result<()> {
        let surnames: Vec<&str> = names.iter().map(|n| last_word(n)).collect();
        self.look_up_surnames(tx, &surnames)?;
        let mut wanted: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !self.aliases.contains_key(*n))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        wanted.sort_unstable();
        wanted.dedup();
        self.flush_aliases(tx)?;
        let mut found = |alias: String, id: i64| {
            let slot = self.aliases.entry(alias).or_insert(Some(id));
            *slot = Some(slot.map_or(id, |known| known.min(id)));
        };
        match tx.engine() {
            super::Engine::Sqlite => {
                for &name in &wanted {
                    let id: Option<i64> = tx.query_opt(
                        "SELECT speaker_id FROM speaker_aliases WHERE alias = ?1 \
                         ORDER BY speaker_id LIMIT 1",
                        args![name],
                        |r| r.get(0),
                    )?;
                    if let Some(id) = id {
                        found(name.to_owned(), id);
                    }
                }
            }
            super::Engine::Postgres => super::db::each_lateral(
                tx,
                &wanted,
                "TEXT",
                "SELECT alias, speaker_id FROM speaker_aliases WHERE alias = k.column1 \
                 ORDER BY speaker_id LIMIT 1",
                &[],
                |r| {
                    found(r.get(0)?, r.get(1)?);
                    Ok(())
                },
            )?,
        }
        for name in wanted {
            self.aliases.entry(name.to_owned()).or_insert(None);
        }
        Ok(())
    }

    /// Looks up the speakers of the surnames among `surnames` not looked up yet.
    fn look_up_surnames(&mut self, tx: Sql<'_>, surnames: &[&str]) -> Result<()> {
        let mut wanted: Vec<&str> = surnames
            .iter()
            .copied()
            .filter(|n| !self.surnames.contains_key(*n))
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        wanted.sort_unstable();
        wanted.dedup();
        for &name in &wanted {
            self.surnames.insert(name.to_owned(), Vec::new());
        }
        let mut found = |id: i64, name: String, surname: String, words: i64| {
            if let Some(list) = self.surnames.get_mut(&surname) {
                list.push((id, name, words));
            }
        };
        match tx.engine() {
            super::Engine::Sqlite => {
                for &surname in &wanted {
                    tx.each(
                        "SELECT id, name, surname, words FROM speakers WHERE surname = ?1",
                        args![surname],
                        |r| {
                            found(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                            Ok(())
                        },
                    )?;
                }
            }
            super::Engine::Postgres => super::db::each_lateral(
                tx,
                &wanted,
                "TEXT",
                "SELECT id, name, surname, words FROM speakers WHERE surname = k.column1",
                &[],
                |r| {
                    found(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                    Ok(())
                },
            )?,
        }
        Ok(())
    }

    /// The speakers whose surname is `surname`: (row, name, words in the name).
    fn with_surname(&mut self, tx: Sql<'_>, surname: &str) -> Result<&[(i64, String, i64)]> {
        self.look_up_surnames(tx, &[surname])?;
        Ok(self.surnames.get(surname).map_or(&[], Vec::as_slice))
    }

    /// Records that speaker `id` is now shown as `name`.
    fn renamed(&mut self, id: i64, name: &str, words: i64) {
        for list in self.surnames.values_mut() {
            for entry in list.iter_mut().filter(|e| e.0 == id) {
                entry.1 = name.to_owned();
                entry.2 = words;
            }
        }
    }

    /// Creates the speaker row for `name`.
    fn insert(&mut self, tx: Sql<'_>, name: &str) -> Result<i64> {
        let words = name.split_whitespace().count() as i64;
        let id = tx.insert(
            "INSERT INTO speakers (name, surname, words) VALUES (?1, ?2, ?3)",
            args![name, last_word(name), words],
            "id",
        )?;
        if let Some(list) = self.surnames.get_mut(last_word(name)) {
            list.push((id, name.to_owned(), words));
        }
        Ok(id)
    }

    /// The speaker row with alias `name`, if any.
    fn alias(&mut self, tx: Sql<'_>, name: &str) -> Result<Option<i64>> {
        self.look_up(tx, &[name])?;
        Ok(self.aliases.get(name).copied().flatten())
    }

    /// Records that `alias` names speaker `id` (a row written before commit).
    fn add_alias(&mut self, alias: &str, id: i64) {
        if let Some(slot) = self.aliases.get_mut(alias) {
            match *slot {
                // Known to be written already.
                Some(known) if known == id => return,
                Some(known) if known < id => {}
                _ => *slot = Some(id),
            }
        }
        // An alias not looked up stays unknown until it is (after this row is written).
        self.pending.push((alias.to_owned(), id));
    }

    /// The name `name` was merged into by a person, following merges of merges; `None`
    /// when it was not.
    fn merged_into(&mut self, tx: Sql<'_>, name: &str) -> Result<Option<String>> {
        if self.merges.is_none() {
            let mut merges = rustc_hash::FxHashMap::default();
            tx.each(
                "SELECT alias, name FROM speaker_merges ORDER BY merged_at, id",
                args![],
                |r| {
                    merges.insert(r.get::<String>(0)?.to_lowercase(), r.get::<String>(1)?);
                    Ok(())
                },
            )?;
            self.merges = Some(merges);
        }
        let Some(merges) = &self.merges else {
            return Ok(None);
        };
        let mut at: Option<&String> = None;
        // A merge chain is short; a cycle (A into B, later B into A) stops after a few.
        for _ in 0..8 {
            let key = at.map_or_else(|| name.to_lowercase(), |n| n.to_lowercase());
            match merges.get(&key) {
                Some(next) if Some(next) != at && !next.eq_ignore_ascii_case(name) => {
                    at = Some(next)
                }
                _ => break,
            }
        }
        Ok(at.cloned())
    }

    /// Speaker `gone` was deleted: what its aliases name is read again when needed.
    fn forget(&mut self, gone: i64) {
        self.aliases.retain(|_, id| *id != Some(gone));
        for list in self.surnames.values_mut() {
            list.retain(|(id, _, _)| *id != gone);
        }
    }
}

/// The speaker row for `name`, created if new. A one-word name joins the only stored
/// full name ending in it; a full name adopts an earlier one-word speaker of its surname
/// when no other full name shares that surname: that speaker's row is then gone, and its
/// id is written to `absorbed`.
fn speaker_id(
    tx: Sql<'_>,
    known: &mut Held,
    name: &str,
    mention: Option<&str>,
    absorbed: &mut Option<i64>,
) -> Result<i64> {
    // A name a person merged into another is that other.
    let merged = known.merged_into(tx, name)?;
    let name = merged.as_deref().unwrap_or(name);
    let existing = known.alias(tx, name)?;
    let id = match existing {
        Some(id) => id,
        None if !name.contains(' ') => {
            let full_names: Vec<i64> = known
                .with_surname(tx, name)?
                .iter()
                .filter(|(_, _, words)| *words > 1)
                .map(|(id, _, _)| *id)
                .collect();
            match full_names.as_slice() {
                [one] => *one,
                _ => known.insert(tx, name)?,
            }
        }
        None => {
            // The same name with or without middle initials is the same person, when
            // exactly one stored name is.
            let same: Vec<(i64, i64)> = known
                .with_surname(tx, last_word(name))?
                .iter()
                .filter(|(_, other, _)| same_but_initials(name, other))
                .map(|(id, _, words)| (*id, *words))
                .collect();
            if let [(one, words)] = same.as_slice() {
                // The person is shown by the name without initials, whichever came first,
                // so that stores filled in another order (after a clone or a pull) name
                // them alike.
                let mine = name.split_whitespace().count() as i64;
                if mine < *words {
                    tx.execute(
                        "UPDATE speakers SET name = ?2, words = ?3 WHERE id = ?1",
                        args![*one, name, mine],
                    )?;
                    known.renamed(*one, name, mine);
                }
                *one
            } else {
                let id = known.insert(tx, name)?;
                let surname = last_word(name);
                let same_surname = known.with_surname(tx, surname)?;
                let others = same_surname
                    .iter()
                    .filter(|(other, _, words)| *words > 1 && *other != id)
                    .count();
                if others == 0 {
                    let short = same_surname
                        .iter()
                        .find(|(_, other, _)| other == surname)
                        .map(|(id, _, _)| *id);
                    if let Some(short) = short {
                        // The rows held back are among those changed.
                        known.flush(tx)?;
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
                        known.forget(short);
                        *absorbed = Some(short);
                    }
                }
                id
            }
        }
    };
    // A name found through its alias needs no new alias row, only a new way of writing it.
    let new_forms = std::iter::once(name)
        .filter(|_| existing.is_none())
        .chain(mention.filter(|m| is_name_like(m) && *m != name));
    for alias in new_forms {
        known.add_alias(alias, id);
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

/// Columns of a stored quotation; queries join `documents d` and `speakers s`. The last is
/// the id of its group: the quotation that founded it (or, gone, the earliest left).
pub(crate) const QUOTE_COLUMNS: &str = "q.id, d.id, q.ord, q.start, q.\"end\", q.text, q.kind, \
     q.utterance, q.mention, q.mention_start, q.mention_end, s.name, q.cue, q.confidence, \
     CASE WHEN q.grp IS NOT NULL THEN coalesce( \
       (SELECT f.id FROM quotes f WHERE f.qid = q.grp), \
       (SELECT r.id FROM quotes r WHERE r.grp = q.grp ORDER BY r.qid LIMIT 1)) END, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM speaker_corrections c WHERE c.quote = q.id) \
       THEN 1 ELSE 0 END AS BIGINT)";

/// How many columns [`QUOTE_COLUMNS`] holds.
pub(crate) const QUOTE_COLUMN_COUNT: usize = 16;

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
            speaker_corrected: row.get::<i64>(15)? != 0,
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
             WHERE (CAST(?1 AS TEXT) IS NULL AND {live} OR d.id = ?1) \
               AND (CAST(?2 AS TEXT) IS NULL OR q.kind = ?2) \
               AND (CAST(?3 AS TEXT) IS NULL OR q.speaker_id IN ( \
                    SELECT speaker_id FROM speaker_aliases WHERE lower(alias) = lower(?3) \
                    UNION SELECT id FROM speakers WHERE lower(name) = lower(?3) \
                       OR lower(surname) = lower(?3))) \
             ORDER BY d.published IS NULL, d.published DESC, d.seq DESC, q.ord",
            live = super::corrections::live("q.doc")
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
        let db = self.db();
        let select = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id \
             JOIN documents d ON d.seq = q.doc WHERE q.qid = ?1"
        );
        let mut rows = Vec::new();
        for qid in rows_with_id_prefix(db, &p, &[])? {
            if let Some(row) = db.query_opt(&select, args![qid], quote_from_row)?
                && row.1.id.starts_with(&p)
            {
                rows.push(row);
                if rows.len() == 10 {
                    break;
                }
            }
        }
        rows.sort_by(|a, b| a.1.id.cmp(&b.1.id));
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
        qid_of(self.db(), &bytes, &[])
    }

    /// Every speaker with aliases and counts, most quoted first.
    pub fn speakers(&self) -> Result<Vec<Speaker>> {
        let db = self.db();
        let rows = db.query(
            &format!(
                "SELECT s.id, s.name, count(q.qid), count(DISTINCT q.doc) FROM speakers s \
                 LEFT JOIN quotes q ON q.speaker_id = s.id AND {} GROUP BY s.id \
                 HAVING count(q.qid) > 0 ORDER BY count(q.qid) DESC, s.name",
                super::corrections::live("q.doc")
            ),
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
    /// Looks up, in a few statements, the speakers named in `quotes` of many documents
    /// about to be stored in this transaction.
    pub fn look_up_speakers<'q>(
        &self,
        quotes: impl IntoIterator<Item = &'q NewQuote>,
    ) -> Result<()> {
        let names: Vec<&str> = quotes
            .into_iter()
            .filter_map(|q| q.speaker.as_deref())
            .collect();
        self.held.borrow_mut().look_up(self.db(), &names)
    }

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
        let mut held = self.held.borrow_mut();
        if replace {
            held.flush(tx)?;
            tx.execute("DELETE FROM quotes WHERE doc = ?1", args![doc_row])?;
        }
        if quotes.is_empty() {
            return Ok(Vec::new());
        }
        // A person's correction of a quotation's speaker wins over extraction, however
        // often the document is extracted again.
        let corrected;
        let quotes = match corrections_of(tx, &mut held, doc_row)? {
            Some(fixes) => {
                corrected = apply_corrections(doc, quotes, &fixes);
                &corrected[..]
            }
            None => quotes,
        };
        // One speaker lookup per name written in this transaction, however many
        // quotations and documents it has.
        let names: Vec<&str> = quotes.iter().filter_map(|q| q.speaker.as_deref()).collect();
        held.look_up(tx, &names)?;
        let mut speaker_of: Vec<Option<i64>> = Vec::with_capacity(quotes.len());
        for q in quotes {
            let speaker = match &q.speaker {
                Some(name) => {
                    let key = (name.clone(), q.mention.clone());
                    match held.by_key.get(&key) {
                        Some(id) => Some(*id),
                        None => {
                            let mut absorbed = None;
                            let id = speaker_id(
                                tx,
                                &mut held,
                                name,
                                q.mention.as_deref(),
                                &mut absorbed,
                            )?;
                            // A one-word speaker this name adopted is this speaker now,
                            // for the quotations looked up already too.
                            if let Some(gone) = absorbed {
                                for known in held.by_key.values_mut() {
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
                            held.by_key.insert(key, id);
                            Some(id)
                        }
                    }
                }
                None => None,
            };
            speaker_of.push(speaker);
        }
        // The rows are written with the next statement that needs them, many documents'
        // in one.
        let qids = held.take_qids(tx, quotes.len())?;
        for (((ord, q), speaker), &qid) in quotes.iter().enumerate().zip(speaker_of).zip(&qids) {
            held.quotes.push(QuoteRow {
                qid,
                id: quote_hash(doc, q.start, q.end).as_bytes().to_vec(),
                doc: doc_row,
                ord: ord as i64,
                start: q.start as i64,
                end: q.end as i64,
                text: q.text.clone(),
                kind: q.kind.as_str(),
                utterance: q.utterance as i64,
                mention: q.mention.clone(),
                mention_start: q.mention_start.map(|v| v as i64),
                mention_end: q.mention_end.map(|v| v as i64),
                speaker,
                cue: q.cue.clone(),
                confidence: f64::from(q.confidence),
            });
            // Written early when many are held: memory stays bounded for a document
            // with a hundred thousand quotations.
            if held.quotes.len() >= HELD_QUOTES_MAX {
                held.flush(tx)?;
            }
        }
        Ok(qids)
    }

    /// Gives the stored quotation at row `qid` to `speaker`, or to nobody, as a person
    /// corrected it: the mention extraction found goes with the attribution it made.
    pub(crate) fn set_quote_speaker(&self, qid: i64, speaker: Option<&str>) -> Result<()> {
        let tx = self.db();
        let mut held = self.held.borrow_mut();
        held.flush(tx)?;
        let id = match speaker {
            Some(name) => {
                let mut absorbed = None;
                let id = speaker_id(tx, &mut held, name, None, &mut absorbed)?;
                held.flush(tx)?;
                Some(id)
            }
            None => None,
        };
        tx.execute(
            "UPDATE quotes SET speaker_id = ?2, mention = NULL, mention_start = NULL, \
             mention_end = NULL, confidence = 1.0 WHERE qid = ?1",
            args![qid, id],
        )?;
        Ok(())
    }

    /// Folds speaker row `gone` into `kept`: its quotations and the names it was written
    /// as; returns how many quotations moved.
    pub(crate) fn fold_speaker(&self, kept: i64, gone: i64) -> Result<u64> {
        let tx = self.db();
        let mut held = self.held.borrow_mut();
        held.flush(tx)?;
        let moved = tx.execute(
            "UPDATE quotes SET speaker_id = ?1 WHERE speaker_id = ?2",
            args![kept, gone],
        )?;
        tx.execute(
            "INSERT INTO speaker_aliases (alias, speaker_id) \
             SELECT alias, CAST(?1 AS BIGINT) FROM speaker_aliases WHERE speaker_id = ?2 \
             UNION SELECT name, CAST(?1 AS BIGINT) FROM speakers WHERE id = ?2 \
             ON CONFLICT DO NOTHING",
            args![kept, gone],
        )?;
        tx.execute(
            "DELETE FROM speaker_aliases WHERE speaker_id = ?1",
            args![gone],
        )?;
        tx.execute("DELETE FROM speakers WHERE id = ?1", args![gone])?;
        held.forget(gone);
        held.merges = None;
        Ok(moved as u64)
    }

    /// Writes the quotation and alias rows held back, for statements that read them.
    pub(super) fn flush_held(&self) -> Result<()> {
        self.held.borrow_mut().flush(self.db())
    }
}

/// The speaker corrections of the document at row `doc_row`, newest last, by quotation
/// id; `None` when it has none (one lookup per transaction while the store has none).
fn corrections_of(
    tx: Sql<'_>,
    held: &mut Held,
    doc_row: i64,
) -> Result<Option<rustc_hash::FxHashMap<Vec<u8>, Option<String>>>> {
    let any = match held.corrections {
        Some(any) => any,
        None => {
            let any = tx
                .query_opt("SELECT 1 FROM speaker_corrections LIMIT 1", args![], |r| {
                    r.get::<i64>(0)
                })?
                .is_some();
            held.corrections = Some(any);
            any
        }
    };
    if !any {
        return Ok(None);
    }
    let mut fixes = rustc_hash::FxHashMap::default();
    tx.each(
        "SELECT quote, speaker FROM speaker_corrections WHERE doc = ?1 \
         ORDER BY corrected_at, corrected_by, id",
        args![doc_row],
        |r| {
            fixes.insert(r.get::<Vec<u8>>(0)?, r.get::<Option<String>>(1)?);
            Ok(())
        },
    )?;
    Ok((!fixes.is_empty()).then_some(fixes))
}

/// `quotes` with the corrected speakers in place of extraction's.
fn apply_corrections(
    doc: &DocId,
    quotes: &[NewQuote],
    fixes: &rustc_hash::FxHashMap<Vec<u8>, Option<String>>,
) -> Vec<NewQuote> {
    quotes
        .iter()
        .map(|q| {
            let id = quote_hash(doc, q.start, q.end);
            match fixes.get(id.as_bytes().as_slice()) {
                Some(speaker) => NewQuote {
                    speaker: speaker.clone(),
                    mention: None,
                    mention_start: None,
                    mention_end: None,
                    confidence: 1.0,
                    ..q.clone()
                },
                None => q.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postings::Index;
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
    fn corrections_made_in_the_same_second_by_two_people_settle_alike_in_any_order() {
        use crate::model::SpeakerCorrection;
        let fix = |quote: &str, by: &str, speaker: &str| SpeakerCorrection {
            quote: quote.to_owned(),
            speaker: Some(speaker.to_owned()),
            corrected_at: "2026-12-03T07:00:00Z".to_owned(),
            corrected_by: by.to_owned(),
        };
        let mut settled = Vec::new();
        for order in [[0, 1], [1, 0]] {
            let (_dir, mut store) = testing::store();
            let doc = add_doc(&mut store, b"a", vec![quote(Some("Liz Cheney"), None)]);
            let id = store.quotes(&QuoteFilter::default()).unwrap()[0].id.clone();
            let fixes = [
                fix(&id, "ann", "Mary Cheney"),
                fix(&id, "bob", "Dick Cheney"),
            ];
            for i in order {
                store.import_speaker_correction(&doc, &fixes[i]).unwrap();
            }
            let q = store.quotes(&QuoteFilter::default()).unwrap().remove(0);
            settled.push(q.quote.speaker);
        }
        assert_eq!(settled[0], settled[1]);
    }

    #[test]
    fn middle_initials_join_the_same_name_when_unambiguous() {
        let (_dir, mut store) = testing::store();
        add_doc(&mut store, b"a", vec![quote(Some("Adam Schiff"), None)]);
        add_doc(&mut store, b"b", vec![quote(Some("Adam B. Schiff"), None)]);
        // Two different middle initials are two people, and a name without any then
        // matches both: it joins neither.
        add_doc(&mut store, b"c", vec![quote(Some("George W. Bush"), None)]);
        add_doc(
            &mut store,
            b"d",
            vec![quote(Some("George H. W. Bush"), None)],
        );
        let speakers = store.speakers().unwrap();
        let schiff: Vec<_> = speakers
            .iter()
            .filter(|s| s.name.ends_with("Schiff"))
            .collect();
        assert_eq!(schiff.len(), 1, "{speakers:?}");
        assert_eq!(schiff[0].name, "Adam Schiff");
        assert_eq!(schiff[0].aliases, ["Adam B. Schiff"]);
        assert_eq!(schiff[0].quotes, 2);
        let bush = speakers.iter().filter(|s| s.name.ends_with("Bush")).count();
        assert_eq!(bush, 2, "{speakers:?}");
        // Met in the other order (a store filled by a pull), the person has the same name.
        let (_dir, mut other) = testing::store();
        add_doc(&mut other, b"b", vec![quote(Some("Adam B. Schiff"), None)]);
        add_doc(&mut other, b"a", vec![quote(Some("Adam Schiff"), None)]);
        let speakers = other.speakers().unwrap();
        assert_eq!(speakers.len(), 1, "{speakers:?}");
        assert_eq!(speakers[0].name, "Adam Schiff");
        assert_eq!(speakers[0].quotes, 2);
        assert_eq!(
            without_initials("J. K. Rowling").as_deref(),
            Some("J. Rowling")
        );
        assert_eq!(without_initials("Adam Schiff"), None);
    }

    /// Stores `docs` documents of five quotations each, `per_write` documents a write.
    fn many_quotations(store: &mut Store, docs: usize, per_write: usize) {
        for first in (0..docs).step_by(per_write) {
            store
                .write(|tx| -> Result<()> {
                    for d in first..(first + per_write).min(docs) {
                        let bytes = format!("document {d}");
                        let id = DocId::of_bytes(bytes.as_bytes());
                        tx.insert_document(
                            &id,
                            bytes.len() as u64,
                            "utf-8",
                            "2026-01-01T00:00:00Z",
                            &Default::default(),
                            &Default::default(),
                        )?;
                        let quotes: Vec<NewQuote> = (0..5)
                            .map(|k| NewQuote {
                                start: k * 10,
                                end: k * 10 + 4,
                                ..quote(None, None)
                            })
                            .collect();
                        tx.replace_quotes(&id, &quotes)?;
                    }
                    Ok(())
                })
                .unwrap();
        }
    }

    /// Looks every stored quotation up by its id, a 12-digit prefix and its row, and every
    /// 4-digit prefix the store's ids have (unique, ambiguous) or lack.
    fn assert_found_by_id(store: &Store) {
        let all = store.quotes(&QuoteFilter::default()).unwrap();
        assert!(!all.is_empty());
        for q in &all {
            assert_eq!(store.quote(&q.id).unwrap().id, q.id);
            assert_eq!(store.quote(&q.id[..12].to_uppercase()).unwrap().id, q.id);
            let row = store.quote_row(&q.id).unwrap().expect("row");
            assert_eq!(store.quote_by_row(row).unwrap().id, q.id);
        }
        let mut by_prefix: std::collections::BTreeMap<&str, usize> = Default::default();
        for q in &all {
            *by_prefix.entry(&q.id[..4]).or_default() += 1;
        }
        for (prefix, n) in by_prefix {
            match (n, store.quote(prefix)) {
                (1, Ok(q)) => assert!(q.id.starts_with(prefix)),
                (_, Err(Error::AmbiguousQuote { candidates, .. })) if n > 1 => {
                    assert_eq!(candidates.len(), n.min(10))
                }
                (n, other) => panic!("{prefix} ({n} ids): {other:?}"),
            }
        }
        let absent = (0..=0xffffu32)
            .map(|k| format!("{k:04x}"))
            .find(|p| !all.iter().any(|q| q.id.starts_with(p.as_str())))
            .unwrap();
        assert!(matches!(store.quote(&absent), Err(Error::UnknownQuote(_))));
        assert_eq!(store.quote_row(&"0".repeat(64)).unwrap(), None);
    }

    #[test]
    fn quotations_are_found_by_id_through_the_quotation_id_index() {
        let (_dir, mut store) = testing::store();
        // 40 writes: several segments and a merge into the next level.
        many_quotations(&mut store, 120, 3);
        assert_eq!(store.quote_ids_pending_count().unwrap(), 0);
        let segments = store.index_segments(Index::QuoteIds).unwrap();
        assert!(segments.iter().any(|s| s.0 >= 1), "{segments:?}");
        assert_eq!(segments.iter().map(|s| s.1).sum::<i64>(), 600);
        assert_found_by_id(&store);

        // Extracted again with other offsets: the old ids are gone, the new ones found.
        let doc = DocId::of_bytes(b"document 7");
        let old = store
            .quotes(&QuoteFilter {
                doc: Some(doc),
                ..Default::default()
            })
            .unwrap();
        store
            .write(|tx| {
                tx.replace_quotes(
                    &doc,
                    &[NewQuote {
                        start: 3,
                        end: 9,
                        ..quote(None, None)
                    }],
                )
            })
            .unwrap();
        assert!(matches!(
            store.quote(&old[0].id),
            Err(Error::UnknownQuote(_))
        ));
        assert_eq!(store.quote_row(&old[0].id).unwrap(), None);
        assert_found_by_id(&store);
    }

    #[test]
    fn quotations_waiting_for_the_index_are_found_before_and_after_it_catches_up() {
        let (_dir, mut store) = testing::store();
        many_quotations(&mut store, 30, 10);
        // What a store made before the index looks like: every quotation waiting.
        store.reset_indexes().unwrap();
        assert!(store.index_segments(Index::QuoteIds).unwrap().is_empty());
        assert_eq!(store.quote_ids_pending_count().unwrap(), 150);
        // (The test's documents have no objects; only the index's findings matter here.)
        let index_problems = |store: &Store| {
            store
                .fsck(&mut |_, _| {})
                .unwrap()
                .problems
                .into_iter()
                .filter(|p| {
                    p.detail.contains("quotation-id index") || p.item.contains("quotation-id")
                })
                .count()
        };
        assert_found_by_id(&store);
        assert_eq!(index_problems(&store), 0);
        while store.index_quote_ids(64).unwrap() > 0 {}
        assert_eq!(store.quote_ids_pending_count().unwrap(), 0);
        assert_found_by_id(&store);
        assert_eq!(index_problems(&store), 0);

        // A lost index is reported, not silently answered from.
        store
            .conn()
            .execute_batch("DELETE FROM quote_id_blocks; DELETE FROM quote_id_segments;")
            .unwrap();
        let report = store.fsck(&mut |_, _| {}).unwrap();
        let missing: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.detail.contains("missing from the quotation-id index"))
            .collect();
        assert_eq!(missing.len(), 20, "{:?}", report.problems);
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.detail.starts_with("130 more quotations are missing")),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn id_keys_sort_as_hex_prefixes() {
        assert_eq!(key_range("abcd"), (0xabcd_0000, 0xabcd_ffff));
        assert_eq!(key_range("abcde"), (0xabcd_e000, 0xabcd_efff));
        let id = [0x12, 0x34, 0x56, 0x78, 0x9a];
        assert_eq!(id_key(&id), 0x1234_5678);
        assert_eq!(key_range(&hex(&id)), (0x1234_5678, 0x1234_5678));
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
