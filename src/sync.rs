//! Moving evidence between stores: `clone`, `push` and `pull`.
//!
//! Everything moves by content address. A document's objects (its bytes, and an HTML
//! page's article text) are copied when the receiving store lacks them, re-hashed on the
//! way so damaged bytes never travel; its row, publications and fetches are recorded when
//! missing; its quotations, matches and index entries are derived again on arrival, as
//! `add` derives them. Sources' version histories follow, each version recorded once.
//! Documents move in batches of one transaction each, so a killed transfer keeps the
//! batches it finished and the next run picks up where it stopped; a second run moves
//! nothing. Tracked working-tree paths stay behind: they describe one checkout.

use rayon::prelude::*;
use serde::Serialize;

use crate::ingest::{ImportCounts, Imported, Importer};
use crate::model::{DocId, FetchRecord};
use crate::store::{self, Objects, Store};
use crate::text;

/// Documents per transaction.
const BATCH: usize = 256;

/// What a transfer moved.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Transfer {
    /// Documents the receiving store did not have.
    pub documents: u64,
    /// Publications, versions and fetches it did not have.
    pub publications: u64,
    pub versions: u64,
    pub fetches: u64,
    /// Objects copied (a document's bytes, an HTML page's article text).
    pub objects: u64,
    /// Removals (`prov rm`) and restores it did not have.
    pub removals: u64,
    /// Speaker corrections (`prov quotes set-speaker`, `prov speakers merge`) it did not
    /// have.
    pub corrections: u64,
    /// Documents it had already.
    pub unchanged: u64,
    /// Documents left behind because their bytes are damaged in the sending store.
    pub skipped: Vec<Skipped>,
}

impl Transfer {
    /// Whether the run recorded nothing new.
    pub fn is_empty(&self) -> bool {
        self.documents == 0
            && self.publications == 0
            && self.versions == 0
            && self.fetches == 0
            && self.removals == 0
            && self.corrections == 0
    }
}

/// A document a transfer could not move, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub id: DocId,
    pub reason: String,
}

/// What can stop a transfer.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("reading the store at {store}: {source}")]
    Read {
        store: store::Location,
        source: store::Error,
    },
    #[error("writing the store at {store}: {source}")]
    Write {
        store: store::Location,
        source: store::Error,
    },
    #[error("{0} is the store itself: push and pull need another store")]
    SameStore(store::Location),
}

/// Whether two locations name one store.
fn same_place(a: &store::Location, b: &store::Location) -> bool {
    match (a, b) {
        (store::Location::Dir(a), store::Location::Dir(b)) => {
            let canon = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or(p.to_path_buf());
            canon(a) == canon(b)
        }
        (a, b) => a == b,
    }
}

/// Copies into `to` every document, publication, fetch and version of `from` that `to`
/// lacks. `progress` gets (documents looked at, total).
pub fn transfer(
    from: &Store,
    to: &mut Store,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Transfer, SyncError> {
    if same_place(from.location(), to.location()) {
        return Err(SyncError::SameStore(from.location().clone()));
    }
    let read = |source| SyncError::Read {
        store: from.location().clone(),
        source,
    };
    let to_location = to.location().clone();
    let write = |source| SyncError::Write {
        store: to_location.clone(),
        source,
    };
    // Removed documents whose bytes `prov gc` deleted have none to send; their removal
    // records travel below.
    let purged = from.purged_rows().map_err(read)?;
    let mut rows = from.document_rows().map_err(read)?;
    rows.retain(|r| !purged.contains(r));
    let total = rows.len() as u64;
    let mut out = Transfer::default();
    let mut importer = Importer::default();
    let mut done = 0;
    for chunk in rows.chunks(BATCH) {
        let mut docs = Vec::with_capacity(chunk.len());
        for (_, id, _) in from.document_ids(chunk).map_err(read)? {
            let doc = from
                .document(&id)
                .and_then(|d| d.ok_or_else(|| store::Error::UnknownDocument(id.to_hex())))
                .map_err(read)?;
            let fetches = from.fetches_of(&id).map_err(read)?;
            let have = match to.document_row(&id) {
                Ok(_) => true,
                Err(store::Error::UnknownDocument(_)) => false,
                Err(e) => return Err(write(e)),
            };
            docs.push((doc, fetches, have));
        }
        // Objects of the documents `to` lacks, re-hashed as they are read, and flushed
        // before any row names them; the documents it has bring only their publications
        // and fetches.
        let (sending, receiving) = (from.objects(), to.objects());
        let moved: Vec<Result<(Imported, u64), Skipped>> = docs
            .into_par_iter()
            .map(|(doc, fetches, have)| {
                let skip = |reason| Skipped { id: doc.id, reason };
                if have {
                    // Only the bytes kept with its fetches, when it lacks them.
                    let kept = fetches.iter().filter_map(|f| f.object);
                    let copied = copy_ids(sending, receiving, kept).map_err(skip)?;
                    let text = None;
                    return Ok((Imported { doc, text, fetches }, copied));
                }
                let copied = copy_objects(sending, receiving, &doc, &fetches).map_err(skip)?;
                let text = text::stored_text(receiving, &doc.id, doc.text_id.as_ref())
                    .map_err(|e| skip(e.to_string()))?;
                let text = Some(text);
                Ok((Imported { doc, text, fetches }, copied))
            })
            .collect();
        let mut batch = Vec::with_capacity(moved.len());
        let mut written = Vec::new();
        let mut copied_now = 0;
        for m in moved {
            match m {
                Ok((imported, copied)) => {
                    copied_now += copied;
                    if imported.text.is_some() {
                        written.push(imported.doc.id);
                        written.extend(imported.doc.text_id);
                    }
                    written.extend(imported.fetches.iter().filter_map(|f| f.object));
                    batch.push(imported);
                }
                Err(skipped) => out.skipped.push(skipped),
            }
        }
        out.objects += copied_now;
        if copied_now > 0 {
            to.objects().sync(&written).map_err(|e| {
                write(store::Error::Io {
                    path: to.objects().describe().into(),
                    source: e,
                })
            })?;
        }
        let counts: ImportCounts = importer.import(to, &batch).map_err(write)?;
        out.documents += counts.documents;
        out.unchanged += batch.len() as u64 - counts.documents;
        out.publications += counts.publications;
        out.fetches += counts.fetches;
        done += chunk.len() as u64;
        progress(done, total);
    }
    // Every version of every source that `to` lacks, in order, in one transaction;
    // versions of documents left behind wait for a later run.
    // Documents whose bytes `prov gc` deleted stay behind too: no version may name a
    // document the other store does not hold.
    let purged: Vec<i64> = purged.into_iter().collect();
    let left: rustc_hash::FxHashSet<DocId> = out
        .skipped
        .iter()
        .map(|s| s.id)
        .chain(
            from.document_ids(&purged)
                .map_err(read)?
                .into_iter()
                .map(|(_, id, _)| id),
        )
        .collect();
    let mut histories = Vec::new();
    for source in from.sources().map_err(read)? {
        let versions = from.versions(&source).map_err(read)?;
        histories.push((source, versions));
    }
    out.versions = to
        .write(|tx| -> Result<u64, store::Error> {
            let mut added = 0;
            for (source, versions) in &histories {
                for v in versions.iter().filter(|v| !left.contains(&v.doc)) {
                    if tx.import_version(source, &v.doc, &v.added_at)? {
                        added += 1;
                    }
                }
            }
            Ok(added)
        })
        .map_err(write)?;
    // Removals and restores, oldest first, for the documents `to` holds.
    let mut removals = from.removals().map_err(read)?;
    removals.reverse();
    let mut paired = Default::default();
    for r in &removals {
        if to.import_removal(r, &mut paired).map_err(write)? {
            out.removals += 1;
        }
    }
    // Speaker merges and corrections, oldest first, applied to the quotations derived
    // above.
    let mut merges = from.speaker_merges().map_err(read)?;
    merges.reverse();
    for m in &merges {
        if to.import_speaker_merge(m).map_err(write)? {
            out.corrections += 1;
        }
    }
    let mut corrections = from.speaker_corrections().map_err(read)?;
    corrections.reverse();
    for (doc, c) in &corrections {
        if to.import_speaker_correction(doc, c).map_err(write)? {
            out.corrections += 1;
        }
    }
    Ok(out)
}

/// Copies a new document's objects that `to` lacks (or holds damaged); returns how many.
fn copy_objects(
    from: &Objects,
    to: &Objects,
    doc: &store::documents::Document,
    fetches: &[FetchRecord],
) -> Result<u64, String> {
    let kept = fetches.iter().filter_map(|f| f.object);
    copy_ids(
        from,
        to,
        std::iter::once(doc.id).chain(doc.text_id).chain(kept),
    )
}

/// Copies the objects `ids` that `to` lacks (or holds damaged); returns how many.
fn copy_ids(from: &Objects, to: &Objects, ids: impl Iterator<Item = DocId>) -> Result<u64, String> {
    let mut copied = 0;
    for id in ids {
        let have = to.rehash(&id).ok().flatten() == Some(id);
        if have {
            continue;
        }
        let bytes = from
            .read(&id)
            .map_err(|e| format!("{} in the sending store: {e}", from.path(&id).display()))?;
        to.write(&id, &bytes)
            .map_err(|e| format!("{} in the receiving store: {e}", to.path(&id).display()))?;
        copied += 1;
    }
    Ok(copied)
}
