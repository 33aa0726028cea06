//! Rebuilding a store whose database was lost or damaged, from its objects.
//!
//! The objects are the evidence: every document's exact bytes, named by their hash. The
//! database holds what was learnt about them (quotations, matches, indexes) and what was
//! recorded around them (publications, paths, fetches). When the database is missing,
//! empty or malformed, the damaged file is moved aside (never deleted), a new database is
//! made, and every object is added again: its quotations are extracted, matched and
//! indexed as on the first add. What only the old database knew (which path or URL held
//! a document, outlet and date from sidecars, fetch records) comes back when the same
//! files and URLs are added again, which records them for the documents already there.
//!
//! An object whose bytes no longer hash to its name is left out and reported; objects that
//! are the article text of a stored page are not documents of their own.

use std::path::{Path, PathBuf};

use crate::ingest::{self, AddError, AddOptions, Input};
use crate::model::DocId;
use crate::store::Store;
use crate::text;

/// Objects re-added per call of [`ingest::add`] (their bytes are in memory meanwhile).
const CHUNK: usize = 256;

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Where the damaged database files were moved.
    pub moved_aside: Vec<PathBuf>,
    /// Documents added again.
    pub documents: usize,
    /// Objects that are the article text of a page (not documents of their own).
    pub article_texts: usize,
    /// Objects left out, and why (each message names the object).
    pub skipped: Vec<String>,
}

/// Moves the database of the store directory `dir` aside and rebuilds it from the
/// objects. `progress` gets (done, total) objects.
pub fn rebuild(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Store, Rebuilt), AddError> {
    let mut rebuilt = Rebuilt::default();
    // Until the last object is added again, the new database is incomplete: the marker
    // makes every command (and `prov fsck`) say so, and the next `--repair` start over.
    let marker = dir.join(crate::store::REBUILD_MARKER);
    std::fs::File::create(&marker)
        .and_then(|f| f.sync_all())
        .map_err(|source| AddError::Io {
            path: marker.clone(),
            source,
        })?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for suffix in ["", "-wal", "-shm"] {
        let from = dir.join(format!("prov.db{suffix}"));
        if from.exists() {
            let to = dir.join(format!("prov.db.damaged-{stamp}{suffix}"));
            std::fs::rename(&from, &to).map_err(|source| AddError::Io {
                path: from.clone(),
                source,
            })?;
            rebuilt.moved_aside.push(to);
        }
    }
    let mut store = Store::create_at(dir)?;
    let objects = store.objects().clone();
    let ids = objects.list().map_err(|source| AddError::Io {
        path: dir.join("objects"),
        source,
    })?;
    // Pages first: the article text of each is an object too, and not a document.
    let mut texts = std::collections::HashSet::new();
    let mut pages = std::collections::HashSet::new();
    let mut documents = Vec::with_capacity(ids.len());
    for id in ids {
        match objects.read(&id) {
            Ok(bytes) => {
                if text::html::sniff(&bytes) {
                    let (page, _) = text::html::decode(&bytes, None);
                    let article = text::html::article(&page);
                    texts.insert(DocId::of_bytes(article.text.as_bytes()));
                    pages.insert(id);
                }
                documents.push(id);
            }
            Err(e) => rebuilt.skipped.push(format!("{}: {e}", id.short())),
        }
    }
    documents.retain(|id| !texts.contains(id) || pages.contains(id));
    rebuilt.article_texts = texts.len();
    let total = documents.len();
    for (n, chunk) in documents.chunks(CHUNK).enumerate() {
        let mut inputs = Vec::with_capacity(chunk.len());
        for id in chunk {
            match objects.read(id) {
                Ok(bytes) => inputs.push(Input::Stdin(bytes)),
                Err(e) => rebuilt.skipped.push(format!("{}: {e}", id.short())),
            }
        }
        let summary = ingest::add(&mut store, inputs, &AddOptions::default(), &mut |_| {})?;
        rebuilt.documents += summary.added.len();
        rebuilt
            .skipped
            .extend(summary.refused.iter().map(ToString::to_string));
        progress((n * CHUNK + chunk.len()).min(total), total);
    }
    std::fs::remove_file(&marker).map_err(|source| AddError::Io {
        path: marker.clone(),
        source,
    })?;
    Ok((store, rebuilt))
}
