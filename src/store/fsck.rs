//! Store integrity: every object re-hashed, every row that names a document checked.

use std::collections::HashSet;

use serde::Serialize;

use super::db::args;
use super::documents::parse_id;
use super::postings::Index;
use super::{Result, Store};
use crate::model::{DocId, Verdict};

/// What kind of damage fsck found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// An object whose bytes no longer hash to its id, or a damaged database.
    Corrupt,
    /// A document row whose object file is gone.
    Missing,
    /// A row that points to a document or source that does not exist.
    Dangling,
}

/// One item of damage, named by the id (or row) it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The document id, or another name for the damaged item (`database`, a path).
    pub item: String,
    pub detail: String,
}

/// The outcome of a full check.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FsckReport {
    pub documents: u64,
    pub objects: u64,
    pub problems: Vec<Problem>,
    /// Objects no row refers to: what a crash between writing an object and committing its
    /// row leaves behind. Harmless; a later `add` of the same bytes adopts them.
    pub unreferenced: Vec<DocId>,
}

impl FsckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// What SQLite's own check of its pages finds wrong with the database, if anything
    /// (a PostgreSQL server checks its pages as it reads them).
    pub fn database_damage(&self) -> Result<Option<String>> {
        let db = self.db();
        if db.engine() != super::Engine::Sqlite {
            return Ok(None);
        }
        match db.query_one("PRAGMA quick_check", args![], |r| r.get::<String>(0)) {
            Ok(verdict) if verdict == "ok" => Ok(None),
            Ok(verdict) => Ok(Some(verdict)),
            Err(super::Error::Malformed(why)) => Ok(Some(why)),
            Err(e) => Err(e),
        }
    }

    /// Checks the whole store. `progress` is called once per object re-hashed.
    pub fn fsck(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<FsckReport> {
        // SQLite checks its own pages; a PostgreSQL server checks its pages as it reads
        // them (and reports damage as errors on any query). Rows read from damaged pages
        // prove nothing, so the check stops there: `--repair` is the way on.
        if let Some(verdict) = self.database_damage()? {
            let mut report = FsckReport::default();
            report.problems.push(Problem {
                kind: ProblemKind::Corrupt,
                item: "database".into(),
                detail: verdict,
            });
            return Ok(report);
        }
        self.fsck_contents(progress)
    }

    /// [`Store::fsck`] for a caller that has found [`Store::database_damage`] to be none:
    /// every object, every row pointing to one, and the indexes.
    pub fn fsck_contents(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<FsckReport> {
        let mut report = FsckReport::default();
        let db = self.db();

        // A removed document whose bytes `prov gc` deleted has no objects to check.
        let docs = db.query(
            &format!(
                "SELECT id, size, text_id, {} FROM documents d ORDER BY id",
                super::corrections::purged("d.seq")
            ),
            args![],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<i64>(3)? != 0,
                ))
            },
        )?;
        report.documents = docs.len() as u64;
        let mut known = HashSet::with_capacity(docs.len());
        for (i, (hex, size, text_hex, purged)) in docs.iter().enumerate() {
            progress(i as u64 + 1, docs.len() as u64);
            if *purged {
                continue;
            }
            let Ok(id) = parse_id(hex) else {
                report.problems.push(Problem {
                    kind: ProblemKind::Corrupt,
                    item: hex.clone(),
                    detail: "document row has a malformed id".into(),
                });
                continue;
            };
            known.insert(id);
            self.check_object(&id, &id, Some(*size as u64), "object", &mut report);
            // An HTML document's article text is an object too: evidence offsets point
            // into it.
            if let Some(text_hex) = text_hex {
                match parse_id(text_hex) {
                    Ok(text_id) => {
                        known.insert(text_id);
                        self.check_object(&id, &text_id, None, "article text", &mut report);
                    }
                    Err(_) => report.problems.push(Problem {
                        kind: ProblemKind::Corrupt,
                        item: id.to_hex(),
                        detail: format!("document row has a malformed text id {text_hex:?}"),
                    }),
                }
            }
        }

        // The bytes of re-fetches that read as a stored version's text are kept with the
        // fetch: evidence of what the page served then.
        let fetched = db.query(
            &format!(
                "SELECT f.doc_id, f.object FROM fetches f JOIN documents d ON d.id = f.doc_id \
                 WHERE f.object IS NOT NULL AND {} = 0 ORDER BY f.id",
                super::corrections::purged("d.seq")
            ),
            args![],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        for (doc, object) in fetched {
            match (parse_id(&doc), parse_id(&object)) {
                (Ok(doc), Ok(object)) => {
                    if known.insert(object) {
                        self.check_object(&doc, &object, None, "re-fetched bytes", &mut report);
                    }
                }
                _ => report.problems.push(Problem {
                    kind: ProblemKind::Corrupt,
                    item: doc,
                    detail: format!("fetch row has a malformed object id {object:?}"),
                }),
            }
        }

        let hex = db.hex("q.id");
        for (sql, what) in [
            (
                "SELECT v.doc_id, s.locator || ' version ' || v.seq FROM versions v \
                 LEFT JOIN sources s ON s.id = v.source_id \
                 LEFT JOIN documents d ON d.id = v.doc_id WHERE d.id IS NULL",
                "version row names a document that is not stored",
            ),
            (
                "SELECT v.doc_id, 'source #' || v.source_id || ' version ' || v.seq FROM versions v \
                 LEFT JOIN sources s ON s.id = v.source_id WHERE s.id IS NULL",
                "version row names a source that does not exist",
            ),
            (
                "SELECT f.doc_id, f.url || ' fetched ' || f.fetched_at FROM fetches f \
                 LEFT JOIN documents d ON d.id = f.doc_id WHERE d.id IS NULL",
                "fetch record names a document that is not stored",
            ),
            (
                "SELECT p.doc_id, p.path FROM paths p \
                 LEFT JOIN documents d ON d.id = p.doc_id WHERE d.id IS NULL",
                "tracked path names a document that is not stored",
            ),
            (
                "SELECT 'document #' || q.doc, 'quotation ' || {hex} FROM quotes q \
                 LEFT JOIN documents d ON d.seq = q.doc WHERE d.seq IS NULL",
                "quotation belongs to a document that is not stored",
            ),
            (
                "SELECT {hex}, 'speaker #' || q.speaker_id FROM quotes q \
                 LEFT JOIN speakers s ON s.id = q.speaker_id \
                 WHERE q.speaker_id IS NOT NULL AND s.id IS NULL",
                "quotation names a speaker that does not exist",
            ),
            (
                "SELECT {hex}, 'group #' || q.grp FROM quotes q \
                 LEFT JOIN quote_groups g ON g.id = q.grp \
                 WHERE q.grp IS NOT NULL AND g.id IS NULL",
                "quotation names a match group that does not exist",
            ),
            (
                "SELECT 'document #' || p.doc, 'publication #' || p.id FROM publications p \
                 LEFT JOIN documents d ON d.seq = p.doc WHERE d.seq IS NULL",
                "publication belongs to a document that is not stored",
            ),
            (
                "SELECT d.id, 'no publication' FROM documents d \
                 WHERE NOT EXISTS (SELECT 1 FROM publications p WHERE p.doc = d.seq)",
                "document has no publication record",
            ),
        ] {
            let sql = sql.replace("{hex}", &hex);
            let rows = db.query(&sql, args![], |r| {
                Ok((r.get::<String>(0)?, r.get::<Option<String>>(1)?))
            })?;
            for (item, place) in rows {
                report.problems.push(Problem {
                    kind: ProblemKind::Dangling,
                    item,
                    detail: format!("{what} ({})", place.unwrap_or_default()),
                });
            }
        }

        // Match verdicts are stored by name, with no check in the schema: one prov does
        // not know would stop `matches` and `trace`.
        let names: Vec<String> = Verdict::ALL
            .iter()
            .map(|v| format!("'{}'", v.as_str()))
            .collect();
        let unknown = db.query(
            &format!(
                "SELECT {}, grp_verdict FROM quotes \
                 WHERE grp_verdict IS NOT NULL AND grp_verdict NOT IN ({})",
                db.hex("id"),
                names.join(", ")
            ),
            args![],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        for (quote, verdict) in unknown {
            report.problems.push(Problem {
                kind: ProblemKind::Corrupt,
                item: quote,
                detail: format!(
                    "quotation's match verdict {verdict:?} is not one prov knows; `prov fsck --repair` rebuilds the match groups"
                ),
            });
        }

        for index in Index::DOCUMENTS {
            if let Err(e) = self.indexed_documents(index) {
                report.problems.push(Problem {
                    kind: ProblemKind::Corrupt,
                    item: index.to_string(),
                    detail: format!("{e}; rebuild it with `prov fsck --reindex`"),
                });
            }
        }
        self.check_quote_ids(&mut report)?;

        let objects = self
            .objects()
            .list()
            .map_err(super::io_err(self.objects().path(&DocId::of_bytes(b""))))?;
        report.objects = objects.len() as u64;
        report.unreferenced = objects
            .into_iter()
            .filter(|id| !known.contains(id))
            .collect();
        Ok(report)
    }

    /// Every quotation is in the quotation-id index under its id's key, or waiting for it:
    /// one missing could not be looked up by its id.
    fn check_quote_ids(&self, report: &mut FsckReport) -> Result<()> {
        let index = Index::QuoteIds;
        let held = match self.index_pairs(index) {
            Ok(pairs) => pairs,
            Err(e) => {
                report.problems.push(Problem {
                    kind: ProblemKind::Corrupt,
                    item: index.to_string(),
                    detail: format!("{e}; rebuild it with `prov fsck --reindex`"),
                });
                return Ok(());
            }
        };
        let db = self.db();
        let waiting: HashSet<i64> = db
            .query("SELECT qid FROM quote_ids_pending", args![], |r| r.get(0))?
            .into_iter()
            .collect();
        let mut missing: Vec<String> = Vec::new();
        db.each("SELECT qid, id FROM quotes ORDER BY qid", args![], |r| {
            let qid: i64 = r.get(0)?;
            let id: Vec<u8> = r.get(1)?;
            if !waiting.contains(&qid) && !held.contains(&(super::quotes::id_key(&id), qid)) {
                missing.push(id.iter().map(|b| format!("{b:02x}")).collect());
            }
            Ok(())
        })?;
        const LISTED: usize = 20;
        let more = missing.len().saturating_sub(LISTED);
        for id in missing.into_iter().take(LISTED) {
            report.problems.push(Problem {
                kind: ProblemKind::Missing,
                item: id,
                detail: format!(
                    "quotation is missing from the {index}; rebuild it with `prov fsck --reindex`"
                ),
            });
        }
        if more > 0 {
            report.problems.push(Problem {
                kind: ProblemKind::Missing,
                item: index.to_string(),
                detail: format!(
                    "{more} more quotations are missing from it; rebuild it with `prov fsck --reindex`"
                ),
            });
        }
        Ok(())
    }

    /// Re-hashes one object of document `doc`, noting what is wrong with it.
    fn check_object(
        &self,
        doc: &DocId,
        id: &DocId,
        size: Option<u64>,
        what: &str,
        report: &mut FsckReport,
    ) {
        let path = self.objects().path(id);
        let problem = match self.objects().rehash(id) {
            Ok(None) => Some((
                ProblemKind::Missing,
                match self.objects().in_table() {
                    true => format!("{what} is missing from the objects table"),
                    false => format!(
                        "{what} file {} is gone; add the original again (`prov add`) to restore it",
                        path.display()
                    ),
                },
            )),
            Ok(Some(actual)) if actual != *id => Some((
                ProblemKind::Corrupt,
                format!(
                    "{what} {} now hashes to {actual}; add the original again (`prov add`) to restore it",
                    path.display()
                ),
            )),
            Ok(Some(_)) => {
                let on_disk = self.objects().size(id).unwrap_or(0);
                size.filter(|&s| s != on_disk).map(|s| {
                    (
                        ProblemKind::Corrupt,
                        format!("row says {s} bytes, object has {on_disk}"),
                    )
                })
            }
            Err(e) => Some((
                ProblemKind::Corrupt,
                format!("cannot read {what} {}: {e}", path.display()),
            )),
        };
        if let Some((kind, detail)) = problem {
            report.problems.push(Problem {
                kind,
                item: doc.to_hex(),
                detail,
            });
        }
    }
}
