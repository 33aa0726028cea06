//! `add`: turning files into stored documents.
//!
//! The pipeline per file: read the bytes, read a sidecar, decode the text (refusing
//! binaries), hash, write the object, then record the rows. Files are taken in batches:
//! objects of a batch are written and flushed first, then one transaction records all of
//! them, so a kill at any point leaves committed batches whole and the rest unrecorded,
//! and re-running the same add completes the work.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::store::documents::{self, SourceKind, SourceRef};
use crate::store::meta::{self, MetaError, Metadata};
use crate::store::{self, DocId, Store};
use crate::text::{self, DecodeError};

/// Files per transaction: large enough that commits cost little, small enough that a
/// concurrent writer waits briefly and a killed add loses little.
const BATCH_FILES: usize = 256;
/// Bytes per transaction, so one batch of huge files does not hold everything in memory.
const BATCH_BYTES: usize = 64 << 20;

/// Something to add.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, or a directory walked recursively.
    Path(PathBuf),
    /// Bytes read from standard input.
    Stdin(Vec<u8>),
}

/// How to add.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Metadata given on the command line; it overrides sidecars field by field.
    pub meta: Metadata,
}

/// What happened to one document.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub id: DocId,
    /// The path as given (`-` for standard input).
    pub path: String,
    pub size: u64,
    /// Whether these bytes were new to the store (no document row held them before).
    pub stored: bool,
    /// The source this document is a version of, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Set when this add made the document a new version of its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The version it follows, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<DocId>,
    /// Whether metadata of an already stored document changed.
    pub metadata_updated: bool,
}

impl Added {
    /// A one-word summary: `added`, `new-version`, `unchanged`, `updated` or `recorded`.
    pub fn outcome(&self) -> &'static str {
        match (self.stored, self.version, self.previous) {
            (_, Some(_), Some(_)) => "new-version",
            (true, _, _) => "added",
            (false, Some(_), None) => "recorded",
            (false, None, _) if self.metadata_updated => "updated",
            _ => "unchanged",
        }
    }
}

/// Why a file was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Decode { path: PathBuf, source: DecodeError },
    #[error("{path}: {source}")]
    Meta { path: PathBuf, source: MetaError },
    #[error("--url names one source, but {count} files were given")]
    UrlNeedsOneFile { count: usize },
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl AddError {
    /// Whether the file itself was at fault (binary, undecodable, bad sidecar) rather than
    /// the system (missing file, permissions, store).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, AddError::Decode { .. } | AddError::Meta { .. })
    }
}

/// Progress of an add, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// The inputs were expanded into this many files.
    Planned {
        files: usize,
    },
    Added(&'a Added),
    Refused(&'a AddError),
}

/// The outcome of an add: what went in and what was refused.
#[derive(Debug, Default)]
pub struct AddSummary {
    pub added: Vec<Added>,
    pub refused: Vec<AddError>,
}

/// One file read, checked and written as an object, waiting for its rows.
struct Prepared {
    id: DocId,
    shown: String,
    tracked: Option<String>,
    size: u64,
    encoding: &'static str,
    meta: Metadata,
}

/// Adds `inputs` to the store, reporting each document through `on_event`.
///
/// Per-file problems (unreadable, binary, bad sidecar) are reported and skipped; only
/// store failures stop the add.
pub fn add(
    store: &mut Store,
    inputs: Vec<Input>,
    options: &AddOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<AddSummary, AddError> {
    let cli_meta = options
        .meta
        .clone()
        .normalized()
        .map_err(|source| AddError::Meta {
            path: PathBuf::from("--published"),
            source,
        })?;
    store.objects().clean_tmp();

    let mut summary = AddSummary::default();
    let mut files = Vec::new();
    let mut stdin = Vec::new();
    for input in inputs {
        match input {
            Input::Path(p) => expand(&p, &mut files, &mut summary.refused),
            Input::Stdin(bytes) => stdin.push(bytes),
        }
    }
    for e in &summary.refused {
        on_event(Event::Refused(e));
    }
    let count = files.len() + stdin.len();
    if cli_meta.url.is_some() && count > 1 {
        return Err(AddError::UrlNeedsOneFile { count });
    }
    on_event(Event::Planned { files: count });

    let mut batch = Vec::new();
    let mut batch_bytes = 0usize;
    for bytes in stdin {
        let prepared = prepare(store, "-".into(), None, bytes, None, &cli_meta);
        push(
            store,
            prepared,
            &mut batch,
            &mut batch_bytes,
            &mut summary,
            on_event,
        )?;
    }
    for path in files {
        let prepared = std::fs::read(&path)
            .map_err(|source| AddError::Io {
                path: path.clone(),
                source,
            })
            .and_then(|bytes| {
                let sidecar = meta::read_sidecar(&path).map_err(|source| AddError::Meta {
                    path: path.clone(),
                    source,
                })?;
                let tracked = store.tracked_path(&path)?;
                prepare(
                    store,
                    path.display().to_string(),
                    Some(tracked),
                    bytes,
                    sidecar,
                    &cli_meta,
                )
            });
        push(
            store,
            prepared,
            &mut batch,
            &mut batch_bytes,
            &mut summary,
            on_event,
        )?;
    }
    flush(store, &mut batch, &mut summary, on_event)?;
    Ok(summary)
}

fn push(
    store: &mut Store,
    prepared: Result<Prepared, AddError>,
    batch: &mut Vec<Prepared>,
    batch_bytes: &mut usize,
    summary: &mut AddSummary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(), AddError> {
    match prepared {
        Ok(p) => {
            *batch_bytes += p.size as usize;
            batch.push(p);
            if batch.len() >= BATCH_FILES || *batch_bytes >= BATCH_BYTES {
                *batch_bytes = 0;
                flush(store, batch, summary, on_event)?;
            }
        }
        Err(e @ AddError::Store(_)) => return Err(e),
        Err(e) => {
            on_event(Event::Refused(&e));
            summary.refused.push(e);
        }
    }
    Ok(())
}

/// Expands a path into the files to add: a file as is, a directory walked in name order,
/// skipping hidden entries (`.prov`, `.git`) and sidecars.
fn expand(path: &Path, files: &mut Vec<PathBuf>, refused: &mut Vec<AddError>) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(source) => {
            refused.push(AddError::Io {
                path: path.to_owned(),
                source,
            });
            return;
        }
    };
    if !meta.is_dir() {
        files.push(path.to_owned());
        return;
    }
    let walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && !meta::is_sidecar(e.path()) => {
                files.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => {
                let p = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| path.to_owned());
                refused.push(AddError::Io {
                    path: p,
                    source: e.into(),
                });
            }
        }
    }
}

/// Checks, hashes and writes one document's object; no rows yet.
fn prepare(
    store: &Store,
    shown: String,
    tracked: Option<String>,
    bytes: Vec<u8>,
    sidecar: Option<Metadata>,
    cli_meta: &Metadata,
) -> Result<Prepared, AddError> {
    let decoded = text::decode(&bytes).map_err(|source| AddError::Decode {
        path: PathBuf::from(&shown),
        source,
    })?;
    let encoding = decoded.encoding.as_str();
    let id = DocId::of_bytes(&bytes);
    store
        .objects()
        .write(&id, &bytes)
        .map_err(|source| AddError::Io {
            path: store.objects().path(&id),
            source,
        })?;
    Ok(Prepared {
        id,
        shown,
        tracked,
        size: bytes.len() as u64,
        encoding,
        meta: sidecar.unwrap_or_default().overlay(cli_meta),
    })
}

/// Records a batch of written objects in one transaction, then reports them.
fn flush(
    store: &mut Store,
    batch: &mut Vec<Prepared>,
    summary: &mut AddSummary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(), AddError> {
    if batch.is_empty() {
        return Ok(());
    }
    let now = meta::now_rfc3339();
    let results = store.write(|tx| -> Result<Vec<Added>, store::Error> {
        let mut out = Vec::with_capacity(batch.len());
        for p in batch.iter() {
            let mut metadata_updated = false;
            let old = documents::stored_metadata(tx, &p.id)?;
            let is_new = old.is_none();
            let meta = match old {
                None => {
                    documents::insert_document(tx, &p.id, p.size, p.encoding, &now, &p.meta)?;
                    p.meta.clone()
                }
                Some(old) => {
                    let merged = old.clone().overlay(&p.meta);
                    if merged != old {
                        documents::update_metadata(tx, &p.id, &merged)?;
                        metadata_updated = true;
                    }
                    merged
                }
            };
            let source = match (&p.meta.url, &p.tracked) {
                (Some(url), _) => Some(SourceRef {
                    kind: SourceKind::Url,
                    locator: url.clone(),
                }),
                (None, Some(path)) => Some(SourceRef {
                    kind: SourceKind::Path,
                    locator: path.clone(),
                }),
                (None, None) => meta.url.clone().map(|url| SourceRef {
                    kind: SourceKind::Url,
                    locator: url,
                }),
            };
            let change = match &source {
                Some(s) => documents::append_version(tx, s, &p.id, &now)?,
                None => None,
            };
            if let Some(path) = &p.tracked {
                documents::track_path(tx, path, &p.id, &now)?;
            }
            out.push(Added {
                id: p.id,
                path: p.shown.clone(),
                size: p.size,
                // Judged by the row, not the object file: an object written by an earlier,
                // killed add has no row yet, so its document is still new to the store.
                stored: is_new,
                source,
                version: change.map(|(seq, _)| seq),
                previous: change.and_then(|(_, prev)| prev),
                metadata_updated,
            });
        }
        Ok(out)
    })?;
    batch.clear();
    for added in results {
        on_event(Event::Added(&added));
        summary.added.push(added);
    }
    Ok(())
}
