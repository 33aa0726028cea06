//! Corrections people make, recorded with who and when: documents taken out of the
//! evidence (`prov rm`, `prov rm --undo`), their bytes deleted later (`prov gc`).

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::db::{Row, Sql, args};
use super::documents::parse_id;
use super::quotes::doc_seq;
use super::{Error, Result, Store, io_err};
use crate::model::{DocId, Removal, SpeakerCorrection, SpeakerMerge};

/// The SQL condition that the document at row `doc` (a column or expression) is in the
/// evidence: not removed, or restored since.
pub(crate) fn live(doc: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM removals r WHERE r.doc = {doc} AND r.restored_at IS NULL)")
}

/// A column, 1 when the document at row `doc` is removed and `prov gc` deleted its bytes,
/// else 0.
pub(crate) fn purged(doc: &str) -> String {
    format!(
        "CAST(CASE WHEN EXISTS (SELECT 1 FROM removals r WHERE r.doc = {doc} \
         AND r.restored_at IS NULL AND r.purged_at IS NOT NULL) THEN 1 ELSE 0 END AS BIGINT)"
    )
}

const REMOVAL_COLUMNS: &str =
    "d.id, r.removed_at, r.removed_by, r.reason, r.restored_at, r.restored_by, r.purged_at";

fn removal_from_row(r: &Row<'_>) -> Result<Removal> {
    Ok(Removal {
        document: parse_id(&r.get::<String>(0)?)?,
        removed_at: r.get(1)?,
        removed_by: r.get(2)?,
        reason: r.get(3)?,
        restored_at: r.get(4)?,
        restored_by: r.get(5)?,
        purged_at: r.get(6)?,
    })
}

fn current_removal(db: Sql<'_>, seq: i64) -> Result<Option<Removal>> {
    db.query_opt(
        &format!(
            "SELECT {REMOVAL_COLUMNS} FROM removals r JOIN documents d ON d.seq = r.doc \
             WHERE r.doc = ?1 AND r.restored_at IS NULL"
        ),
        args![seq],
        removal_from_row,
    )
}

/// How old an object no row names must be before `prov gc` deletes it, whatever the grace
/// period: an add writes objects before it commits the rows that name them.
pub const UNREFERENCED_MIN_AGE: time::Duration = time::Duration::hours(1);

/// What `prov gc` deletes: the bytes of documents removed before `cutoff`, and objects no
/// document names that were written before it.
#[derive(Debug, Clone)]
pub struct GcOptions {
    /// RFC 3339, UTC: removals and unreferenced objects older than this go.
    pub cutoff: String,
    /// Report what would go, delete nothing.
    pub dry_run: bool,
}

/// What `prov gc` did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GcReport {
    /// Removed documents whose bytes were deleted.
    pub purged: Vec<DocId>,
    /// Objects deleted: purged documents' bytes and article texts, and unreferenced ones.
    pub objects_deleted: u64,
    /// Of those, objects no document named.
    pub unreferenced_deleted: u64,
    pub bytes_freed: u64,
    /// Removed documents still inside the grace period: kept.
    pub waiting: u64,
    /// Unreferenced objects kept: written inside the grace period, or in an objects
    /// table, which records no write time.
    pub unreferenced_kept: u64,
    /// Posting-index segments merged into one per index (none on a dry run).
    pub index_segments_merged: usize,
    pub dry_run: bool,
}

impl Store {
    /// The removal that keeps document `id` out of the evidence, if it is removed.
    pub fn removal(&self, id: &DocId) -> Result<Option<Removal>> {
        current_removal(self.db(), doc_seq(self.db(), id)?)
    }

    /// The rows of removed documents whose bytes `prov gc` deleted.
    pub fn purged_rows(&self) -> Result<FxHashSet<i64>> {
        let rows: Vec<i64> = self.db().query(
            "SELECT doc FROM removals WHERE restored_at IS NULL AND purged_at IS NOT NULL",
            args![],
            |r| r.get(0),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Every removal ever recorded, restored ones too, newest first.
    pub fn removals(&self) -> Result<Vec<Removal>> {
        self.db().query(
            &format!(
                "SELECT {REMOVAL_COLUMNS} FROM removals r JOIN documents d ON d.seq = r.doc \
                 ORDER BY r.removed_at DESC, r.id DESC"
            ),
            args![],
            removal_from_row,
        )
    }

    /// Takes document `id` out of listings, retrieval, matches and checks, recording who
    /// (`by`), when (`at`, RFC 3339) and why. Its bytes stay until [`Store::gc`].
    pub fn remove(&mut self, id: &DocId, by: &str, at: &str, reason: &str) -> Result<Removal> {
        self.write(|tx| {
            let db = tx.db();
            let seq = doc_seq(db, id)?;
            if let Some(r) = current_removal(db, seq)? {
                return Err(Error::AlreadyRemoved(Box::new(r)));
            }
            db.execute(
                "INSERT INTO removals (doc, removed_at, removed_by, reason) \
                 VALUES (?1, ?2, ?3, ?4)",
                args![seq, at, by, reason],
            )?;
            current_removal(db, seq)?.ok_or_else(|| Error::NotRemoved(id.short().to_owned()))
        })
    }

    /// Puts removed document `id` back, recording who and when; refused when `prov gc`
    /// has deleted its bytes and they have not been added again.
    pub fn restore(&mut self, id: &DocId, by: &str, at: &str) -> Result<Removal> {
        let text = self.text_object(id)?;
        let objects = self.objects().clone();
        self.write(|tx| {
            let db = tx.db();
            let seq = doc_seq(db, id)?;
            let Some(removal) = current_removal(db, seq)? else {
                return Err(Error::NotRemoved(id.short().to_owned()));
            };
            if let Some(purged) = &removal.purged_at {
                let back =
                    objects.contains(id) && text.as_ref().is_none_or(|t| objects.contains(t));
                if !back {
                    return Err(Error::Purged {
                        id: id.short().to_owned(),
                        at: purged.clone(),
                    });
                }
            }
            db.execute(
                "UPDATE removals SET restored_at = ?2, restored_by = ?3 \
                 WHERE doc = ?1 AND restored_at IS NULL",
                args![seq, at, by],
            )?;
            Ok(Removal {
                restored_at: Some(at.to_owned()),
                restored_by: Some(by.to_owned()),
                ..removal
            })
        })
    }

    /// Records `r`, a removal made in another store, unless this store has it; returns
    /// whether anything changed. A restore made there is recorded here too. Whether the
    /// bytes were deleted is each store's own business and does not travel.
    ///
    /// Removals are told apart by when, by whom and why; within one second a document
    /// removed, restored and removed again has two alike but for the restore. Each of this
    /// store's records stands for at most one of the other store's in one transfer:
    /// `paired` holds those taken so far (oldest first, as `transfer` sends them).
    pub fn import_removal(
        &mut self,
        r: &Removal,
        paired: &mut rustc_hash::FxHashSet<i64>,
    ) -> Result<bool> {
        self.write(|tx| {
            let db = tx.db();
            let seq = match doc_seq(db, &r.document) {
                Ok(seq) => seq,
                Err(Error::UnknownDocument(_)) => return Ok(false),
                Err(e) => return Err(e),
            };
            // This store's records of the same removal, oldest first: (id, restored at).
            let alike: Vec<(i64, Option<String>)> = db.query(
                "SELECT id, restored_at FROM removals WHERE doc = ?1 AND removed_at = ?2 \
                 AND removed_by = ?3 AND reason = ?4 ORDER BY id",
                args![seq, r.removed_at, r.removed_by, r.reason],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let free = |want: &dyn Fn(&Option<String>) -> bool| {
                alike
                    .iter()
                    .find(|(id, restored)| !paired.contains(id) && want(restored))
                    .map(|(id, _)| *id)
            };
            match &r.restored_at {
                Some(at) => {
                    if let Some(id) = free(&|x| x.as_deref() == Some(at.as_str())) {
                        paired.insert(id);
                        return Ok(false);
                    }
                    // Open here, restored there: the restore is news.
                    if let Some(id) = free(&|x| x.is_none()) {
                        db.execute(
                            "UPDATE removals SET restored_at = ?2, restored_by = ?3 WHERE id = ?1",
                            args![id, r.restored_at, r.restored_by],
                        )?;
                        paired.insert(id);
                        return Ok(true);
                    }
                }
                None => {
                    // The same removal, open here, or restored here: the other store has
                    // not seen the undo yet, which is no reason to remove it again.
                    if let Some(id) = free(&|x| x.is_none()).or_else(|| free(&|x| x.is_some())) {
                        paired.insert(id);
                        return Ok(false);
                    }
                    // One removal is current at a time: a document removed here already
                    // keeps its own.
                    if current_removal(db, seq)?.is_some() {
                        return Ok(false);
                    }
                }
            }
            db.execute(
                "INSERT INTO removals \
                 (doc, removed_at, removed_by, reason, restored_at, restored_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    seq,
                    r.removed_at,
                    r.removed_by,
                    r.reason,
                    r.restored_at,
                    r.restored_by
                ],
            )?;
            let id: i64 = db.query_one(
                "SELECT max(id) FROM removals WHERE doc = ?1",
                args![seq],
                |row| row.get(0),
            )?;
            paired.insert(id);
            Ok(true)
        })
    }

    /// Deletes the bytes of documents removed before `options.cutoff` (their rows stay, as
    /// the record of what was removed, when and why) and objects no document names that
    /// were written before it. Marks the removals purged first, so a crash midway leaves
    /// only bytes no row needs, which the next run deletes.
    pub fn gc(&mut self, options: &GcOptions) -> Result<GcReport> {
        let mut report = GcReport {
            dry_run: options.dry_run,
            ..GcReport::default()
        };
        let due: Vec<(i64, String)> = self.db().query(
            "SELECT r.id, d.id FROM removals r JOIN documents d ON d.seq = r.doc \
             WHERE r.restored_at IS NULL AND r.purged_at IS NULL AND r.removed_at <= ?1 \
             ORDER BY r.id",
            args![options.cutoff],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        report.waiting = self
            .db()
            .query_one(
                "SELECT count(*) FROM removals \
             WHERE restored_at IS NULL AND purged_at IS NULL AND removed_at > ?1",
                args![options.cutoff],
                |r| r.get::<i64>(0),
            )?
            .max(0) as u64;
        for (_, hex) in &due {
            report.purged.push(parse_id(hex)?);
        }
        if !options.dry_run && !due.is_empty() {
            let now = super::meta::now_rfc3339();
            self.write(|tx| {
                for (row, _) in &due {
                    tx.db().execute(
                        "UPDATE removals SET purged_at = ?2 WHERE id = ?1",
                        args![row, now],
                    )?;
                }
                Ok::<_, Error>(())
            })?;
        }

        // What the evidence still needs: every object of a document not purged.
        let mut keep: FxHashSet<DocId> = FxHashSet::default();
        let mut gone_objects: FxHashSet<DocId> = FxHashSet::default();
        let purging: FxHashSet<DocId> = report.purged.iter().copied().collect();
        self.db().each(
            &format!(
                "SELECT d.id, d.text_id, {} FROM documents d",
                purged("d.seq")
            ),
            args![],
            |r| {
                let id = parse_id(&r.get::<String>(0)?)?;
                let text = r
                    .get::<Option<String>>(1)?
                    .map(|t| parse_id(&t))
                    .transpose()?;
                let gone = r.get::<i64>(2)? != 0 || purging.contains(&id);
                let set = if gone { &mut gone_objects } else { &mut keep };
                set.insert(id);
                set.extend(text);
                Ok(())
            },
        )?;
        // Bytes kept with a fetch (a re-fetch that read as a stored version's text) go
        // with their document.
        self.db().each(
            &format!(
                "SELECT f.object, d.id, {} FROM fetches f JOIN documents d ON d.id = f.doc_id \
                 WHERE f.object IS NOT NULL",
                purged("d.seq")
            ),
            args![],
            |r| {
                let object = parse_id(&r.get::<String>(0)?)?;
                let doc = parse_id(&r.get::<String>(1)?)?;
                let gone = r.get::<i64>(2)? != 0 || purging.contains(&doc);
                if gone {
                    gone_objects.insert(object);
                } else {
                    keep.insert(object);
                }
                Ok(())
            },
        )?;
        // An add writes its objects before the rows naming them commit: an object is
        // taken for unreferenced only well after it was written, whatever the grace.
        let cutoff = time::OffsetDateTime::parse(
            &options.cutoff,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| Error::Unsupported(format!("gc cutoff {:?}: {e}", options.cutoff)))?
        .min(time::OffsetDateTime::now_utc() - UNREFERENCED_MIN_AGE);
        let objects = self.objects().clone();
        let listed = objects
            .list()
            .map_err(io_err(objects.path(&DocId::of_bytes(b""))))?;
        for id in listed {
            if keep.contains(&id) {
                continue;
            }
            let named = gone_objects.contains(&id);
            if !named {
                let old = match objects.written_at(&id).map_err(io_err(objects.path(&id)))? {
                    Some(t) => time::OffsetDateTime::from(t) <= cutoff,
                    None => false,
                };
                if !old {
                    report.unreferenced_kept += 1;
                    continue;
                }
                report.unreferenced_deleted += 1;
            }
            report.objects_deleted += 1;
            if options.dry_run {
                report.bytes_freed += objects.size(&id).unwrap_or(0);
            } else {
                report.bytes_freed += objects.delete(&id).map_err(io_err(objects.path(&id)))?;
            }
        }
        Ok(report)
    }

    /// Gives quotation `quote` (an id or unique prefix) to `speaker`, or to nobody, as
    /// `by` corrected it at `at`: the correction wins over extraction, survives
    /// re-extraction, and every output marks it.
    pub fn set_speaker(
        &mut self,
        quote: &str,
        speaker: Option<&str>,
        by: &str,
        at: &str,
    ) -> Result<SpeakerCorrection> {
        let q = self.quote(quote)?;
        let correction = SpeakerCorrection {
            quote: q.id.clone(),
            speaker: speaker.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")),
            corrected_at: at.to_owned(),
            corrected_by: by.to_owned(),
        };
        self.record_correction(&q.doc, &correction)?;
        Ok(correction)
    }

    /// Every speaker correction, newest first.
    pub fn speaker_corrections(&self) -> Result<Vec<(DocId, SpeakerCorrection)>> {
        let hex = self.db().hex("c.quote");
        self.db().query(
            &format!(
                "SELECT d.id, {hex}, c.speaker, c.corrected_at, c.corrected_by \
                 FROM speaker_corrections c JOIN documents d ON d.seq = c.doc \
                 ORDER BY c.id DESC"
            ),
            args![],
            |r| {
                Ok((
                    parse_id(&r.get::<String>(0)?)?,
                    SpeakerCorrection {
                        quote: r.get::<String>(1)?.to_ascii_lowercase(),
                        speaker: r.get(2)?,
                        corrected_at: r.get(3)?,
                        corrected_by: r.get(4)?,
                    },
                ))
            },
        )
    }

    /// Records `c`, a correction made in another store, unless this store has it, and
    /// gives the quotation its newest corrected speaker; returns whether anything changed.
    pub fn import_speaker_correction(
        &mut self,
        doc: &DocId,
        c: &SpeakerCorrection,
    ) -> Result<bool> {
        let seq = match doc_seq(self.db(), doc) {
            Ok(seq) => seq,
            Err(Error::UnknownDocument(_)) => return Ok(false),
            Err(e) => return Err(e),
        };
        let bytes = quote_bytes(&c.quote)?;
        let known = self.db().query_opt(
            "SELECT 1 FROM speaker_corrections WHERE doc = ?1 AND quote = ?2 \
             AND corrected_at = ?3 AND corrected_by = ?4 \
             AND (speaker = ?5 OR speaker IS NULL AND CAST(?5 AS TEXT) IS NULL)",
            args![seq, bytes, c.corrected_at, c.corrected_by, c.speaker],
            |r| r.get::<i64>(0),
        )?;
        if known.is_some() {
            return Ok(false);
        }
        self.record_correction(doc, c)?;
        Ok(true)
    }

    /// Writes correction `c` of a quotation of `doc` and applies the newest correction
    /// of that quotation to its row, if the row exists. Two made in the same second by
    /// different people (in two stores, then synced) are ordered by who made them, so
    /// every store holding both applies the same one; one person's stay in the order made.
    fn record_correction(&mut self, doc: &DocId, c: &SpeakerCorrection) -> Result<()> {
        let bytes = quote_bytes(&c.quote)?;
        self.write(|tx| {
            let db = tx.db();
            let seq = doc_seq(db, doc)?;
            db.execute(
                "INSERT INTO speaker_corrections \
                 (doc, quote, speaker, corrected_at, corrected_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                args![seq, bytes, c.speaker, c.corrected_at, c.corrected_by],
            )?;
            let newest: Option<Option<String>> = db.query_opt(
                "SELECT speaker FROM speaker_corrections WHERE quote = ?1 \
                 ORDER BY corrected_at DESC, corrected_by DESC, id DESC LIMIT 1",
                args![bytes],
                |r| r.get(0),
            )?;
            tx.flush_held()?;
            let qid = super::quotes::qid_of(db, &bytes, &tx.held.borrow().id_keys)?;
            if let (Some(qid), Some(speaker)) = (qid, newest) {
                tx.set_quote_speaker(qid, speaker.as_deref())?;
            }
            Ok(())
        })
    }

    /// Makes `other` the same speaker as `name`, as `by` decided at `at`: its quotations
    /// and the names it was written as go to `name`, now and whenever a document is
    /// extracted again. Both are looked up by name or alias, case aside.
    pub fn merge_speakers(
        &mut self,
        name: &str,
        other: &str,
        by: &str,
        at: &str,
    ) -> Result<(SpeakerMerge, u64)> {
        self.write(|tx| {
            let db = tx.db();
            let (kept, kept_name) = speaker_named(db, name)?;
            let (gone, gone_name) = speaker_named(db, other)?;
            if kept == gone {
                return Err(Error::SameSpeaker(name.to_owned(), other.to_owned()));
            }
            let merge = SpeakerMerge {
                name: kept_name,
                alias: gone_name,
                merged_at: at.to_owned(),
                merged_by: by.to_owned(),
            };
            insert_merge(db, &merge)?;
            let moved = tx.fold_speaker(kept, gone)?;
            Ok((merge, moved))
        })
    }

    /// Every speaker merge, newest first.
    pub fn speaker_merges(&self) -> Result<Vec<SpeakerMerge>> {
        self.db().query(
            "SELECT name, alias, merged_at, merged_by FROM speaker_merges \
             ORDER BY merged_at DESC, id DESC",
            args![],
            |r| {
                Ok(SpeakerMerge {
                    name: r.get(0)?,
                    alias: r.get(1)?,
                    merged_at: r.get(2)?,
                    merged_by: r.get(3)?,
                })
            },
        )
    }

    /// Records `m`, a merge made in another store, unless this store has it, and applies
    /// it to the speakers stored here; returns whether anything changed.
    pub fn import_speaker_merge(&mut self, m: &SpeakerMerge) -> Result<bool> {
        self.write(|tx| {
            let db = tx.db();
            let known = db.query_opt(
                "SELECT 1 FROM speaker_merges WHERE name = ?1 AND alias = ?2 \
                 AND merged_at = ?3 AND merged_by = ?4",
                args![m.name, m.alias, m.merged_at, m.merged_by],
                |r| r.get::<i64>(0),
            )?;
            if known.is_some() {
                return Ok(false);
            }
            insert_merge(db, m)?;
            if let (Ok((kept, _)), Ok((gone, _))) =
                (speaker_named(db, &m.name), speaker_named(db, &m.alias))
                && kept != gone
            {
                tx.fold_speaker(kept, gone)?;
            }
            Ok(true)
        })
    }
}

/// A quotation's id as stored, from its full hex form.
fn quote_bytes(hex: &str) -> Result<Vec<u8>> {
    let bad = || Error::CorruptRow(format!("quotation id {hex:?} is not 64 hex characters"));
    if hex.len() != 64 {
        return Err(bad());
    }
    (0..32)
        .map(|i| {
            u8::from_str_radix(hex.get(2 * i..2 * i + 2).ok_or_else(bad)?, 16).map_err(|_| bad())
        })
        .collect()
}

fn insert_merge(db: Sql<'_>, m: &SpeakerMerge) -> Result<()> {
    db.execute(
        "INSERT INTO speaker_merges (name, alias, merged_at, merged_by) VALUES (?1, ?2, ?3, ?4)",
        args![m.name, m.alias, m.merged_at, m.merged_by],
    )?;
    Ok(())
}

/// The speaker row and canonical name that `name` names (as its name or an alias, case
/// aside).
fn speaker_named(db: Sql<'_>, name: &str) -> Result<(i64, String)> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let rows: Vec<(i64, String)> = db.query(
        "SELECT id, name FROM speakers WHERE lower(name) = lower(?1) \
         UNION SELECT s.id, s.name FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id \
         WHERE lower(a.alias) = lower(?1) ORDER BY 1",
        args![name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // The canonical name itself wins over other speakers written that way.
    if let Some(exact) = rows.iter().find(|(_, n)| n.eq_ignore_ascii_case(&name)) {
        return Ok(exact.clone());
    }
    match rows.as_slice() {
        [] => Err(Error::UnknownSpeaker(name)),
        [one] => Ok(one.clone()),
        many => Err(Error::AmbiguousSpeaker {
            name,
            candidates: many.iter().map(|(_, n)| n.clone()).collect(),
        }),
    }
}
