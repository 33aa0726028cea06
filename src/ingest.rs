//! `add`: turning files into stored documents.
//!
//! The pipeline per file: read the bytes, read a sidecar, decode the text (refusing
//! binaries), hash, write the object, then record the rows. Files are taken in batches:
//! objects of a batch are written and flushed first, then one transaction records all of
//! them, so a kill at any point leaves committed batches whole and the rest unrecorded,
//! and re-running the same add completes the work.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::extract::{self, CharOffsets, Hints};
use crate::fetch::{self, FetchError, FetchOptions};
use crate::model::{
    DocFormat, DocId, FetchRecord, Metadata, QuoteKind, RecordedBy, SourceKind, SourceRef, Verdict,
};
use crate::store::documents::{DocForm, NewPublication, PublicationChange};
use crate::store::matches::{GRAM_ROWS, Join, Snapshot, SnapshotOpener};
use crate::store::meta::{self, MetaError};
use crate::store::quotes::NewQuote;
use crate::store::{self, Objects, Store, Tx};
use crate::text::{self, DecodeError};

/// Files per transaction. A commit writes each index page the batch changed once, and
/// most index keys are random, so larger batches write fewer pages per document (1,024
/// against 256 halved the time spent committing 100,000 documents); small enough that a
/// killed add loses little.
const BATCH_FILES: usize = 1024;

/// Bytes of files per transaction, at most (unless one file is larger): a batch's
/// decoded texts and quotations are in memory until it commits, two batches at a time,
/// and a concurrent writer waits for the commit.
const BATCH_BYTES: u64 = 64 << 20;

/// `files` cut into batches of at most [`BATCH_FILES`] files and [`BATCH_BYTES`] bytes.
fn batches(files: &[PathBuf]) -> Vec<&[PathBuf]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, file) in files.iter().enumerate() {
        // A file that cannot be read is refused when it is prepared; here it weighs nothing.
        let size = std::fs::metadata(file).map_or(0, |m| m.len());
        if i > start && (i - start >= BATCH_FILES || bytes.saturating_add(size) > BATCH_BYTES) {
            out.push(&files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes = bytes.saturating_add(size);
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// Something to add.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, or a directory walked recursively.
    Path(PathBuf),
    /// Bytes read from standard input.
    Stdin(Vec<u8>),
    /// A web page (or any text) to fetch over HTTP(S).
    Url(String),
    /// A web page a feed item links to, with what the item says about it (title, date,
    /// author): it fills in what the page leaves out, and never overrides the page, a
    /// sidecar or the command line.
    Linked { url: String, meta: Box<Metadata> },
}

/// How to add.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// Metadata given on the command line; it overrides sidecars field by field.
    pub meta: Metadata,
    /// Timeouts and limits for URLs.
    pub fetch: FetchOptions,
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
    /// Whether these already stored bytes were recorded as a new publication (another
    /// path, URL or outlet).
    pub new_publication: bool,
    /// Whether these already stored bytes are now also tracked at a path they were not
    /// tracked at before.
    pub new_path: bool,
    /// Whether metadata of an already stored document or publication changed.
    pub metadata_updated: bool,
    /// A re-fetched page whose bytes changed while its article text did not (an ad slot,
    /// a nonce, a timestamp): the bytes received, kept as an object of the fetch, while
    /// `id` stays the version already stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_text_bytes: Option<DocId>,
    /// The server answered 304 Not Modified to a conditional re-fetch.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_modified: bool,
    /// Already stored bytes whose object was missing or damaged: these restored it, and
    /// what is derived from the text (quotations, matches, index) was made again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restored: bool,
}

impl Added {
    /// A one-word summary: `added`, `new-version`, `recorded` (known bytes, a new
    /// publication), `tracked` (known bytes at a new path, nothing else new), `restored`
    /// (known bytes whose damaged or missing object these repaired), `updated`,
    /// `same-text` (a page's bytes changed, its article text did not) or `unchanged`.
    pub fn outcome(&self) -> &'static str {
        if self.same_text_bytes.is_some() {
            return "same-text";
        }
        match (self.stored, self.version, self.previous) {
            (_, Some(_), Some(_)) => "new-version",
            (true, _, _) => "added",
            (false, _, _) if self.restored => "restored",
            (false, _, _) if self.new_publication => "recorded",
            (false, _, _) if self.new_path => "tracked",
            (false, _, _) if self.metadata_updated => "updated",
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
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("--url names one source, but {count} files were given")]
    UrlNeedsOneFile { count: usize },
    #[error(
        "{path}: not a regular file (a device, FIFO or socket); pass `-` to read standard input"
    )]
    NotAFile { path: PathBuf },
    #[error("{path}: larger than {limit} bytes; raise --max-size to accept it")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error(
        "{path}: a symbolic link leading out of the folder being added (to {target}); add its target by name to include it"
    )]
    LinkOutside { path: PathBuf, target: PathBuf },
    #[error("{path}: {source}")]
    Archive {
        path: PathBuf,
        source: crate::archive::ArchiveError,
    },
    #[error(transparent)]
    Store(#[from] store::Error),
}

impl AddError {
    /// Whether the file itself was at fault (binary, undecodable, bad sidecar) rather than
    /// the system (missing file, permissions, store).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            AddError::Decode { .. }
                | AddError::Meta { .. }
                | AddError::NotAFile { .. }
                | AddError::TooLarge { .. }
                | AddError::LinkOutside { .. }
                | AddError::Archive { .. }
        )
    }
}

/// Progress of an add, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// The inputs were expanded into this many files.
    Planned {
        files: usize,
        /// Web archives, whose pages are counted as they are read.
        archives: usize,
    },
    /// A web archive was read to its end: how many pages it gave and what it held besides.
    Archive {
        path: &'a Path,
        pages: u64,
        skipped: crate::archive::Skipped,
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
    encoding: String,
    meta: Metadata,
    /// Whether the text is the bytes or an HTML page's article, and where that text is.
    form: DocForm,
    /// How the bytes were fetched, for a URL.
    fetch: Option<FetchRecord>,
    quotes: Vec<NewQuote>,
    /// What the posting indexes hold for the text.
    keys: crate::index::Keys,
    /// Each quotation's sampled word 4-grams, for matching it across documents.
    grams: Vec<Vec<i64>>,
    /// Each quotation's likeliest stored copies, looked up beside the writer (see
    /// [`look_up`]); `None` when they were not, and the writer looks them up itself.
    candidates: Option<LookedUp>,
    /// The object files were made durable by whoever prepared the document (see
    /// [`prepare_in_background`]), so the writer need not sync them again.
    durable: bool,
    /// Whether an object file was written: the bytes are new to the store, or the file
    /// was missing or damaged (no longer hashing to its id) and these bytes restored it.
    wrote_object: bool,
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
    let mut urls = Vec::new();
    for input in inputs {
        match input {
            Input::Path(p) => expand(&p, &mut files, &mut summary.refused),
            Input::Stdin(bytes) => stdin.push(bytes),
            // One address however it was copied (fragment, tracking parameters, case).
            Input::Url(u) => urls.push((crate::model::clean_url(&u), Metadata::default())),
            Input::Linked { url, meta } => urls.push((crate::model::clean_url(&url), *meta)),
        }
    }
    // `prov add seeds/*` names each file's sidecar too: a sidecar is read with the file it
    // describes, never stored as a document of its own.
    let named: std::collections::HashSet<PathBuf> = files.iter().cloned().collect();
    files.retain(|f| {
        !(meta::is_sidecar(f)
            && f.to_str()
                .and_then(|s| {
                    s.strip_suffix(".meta.toml")
                        .or_else(|| s.strip_suffix(".meta.json"))
                })
                .is_some_and(|main| named.contains(Path::new(main))))
    });
    // Web archives are read as streams of captured pages, not as documents themselves.
    let (archives, files): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| crate::archive::is_archive(f));
    for e in &summary.refused {
        on_event(Event::Refused(e));
    }
    let count = files.len() + stdin.len() + urls.len();
    if cli_meta.url.is_some() && count + archives.len() > 1 {
        return Err(AddError::UrlNeedsOneFile {
            count: count + archives.len(),
        });
    }
    on_event(Event::Planned {
        files: count,
        archives: archives.len(),
    });

    let mut batch = Batch::default();
    for bytes in stdin {
        let prepared = prepare(store.objects(), Source::Stdin, bytes, None, &cli_meta);
        push(store, prepared, &mut batch, &mut summary, on_event)?;
    }
    // Fetches wait on the network, not the CPU: a few at a time, each bounded by its
    // timeout.
    let objects = store.objects().clone();
    // A URL fetched before is asked for again conditionally: a server that says nothing
    // changed (304) sends no body.
    let last: Vec<Option<(FetchRecord, DocId)>> = urls
        .iter()
        .map(|(u, _)| store.last_fetch(&crate::model::without_credentials(u)))
        .collect::<Result<_, _>>()?;
    let fetched: Vec<Result<Fetch, AddError>> = urls
        .par_iter()
        .zip(&last)
        .with_max_len(1)
        .map(|((url, linked), last)| {
            match fetch::fetch_if_changed(url, &options.fetch, last.as_ref().map(|l| &l.0))? {
                fetch::FetchOutcome::Fetched(fetched) => prepare(
                    &objects,
                    Source::Web(fetched.record, Box::new(linked.clone())),
                    fetched.body,
                    None,
                    &cli_meta,
                )
                .map(Fetch::Page),
                fetch::FetchOutcome::NotModified(record) => Ok(Fetch::NotModified(
                    record,
                    last.as_ref()
                        .map(|l| l.1)
                        .unwrap_or_else(|| DocId::of_bytes(b"")),
                )),
            }
        })
        .collect();
    for got in fetched {
        match got {
            Ok(Fetch::Page(p)) => push(store, Ok(p), &mut batch, &mut summary, on_event)?,
            Ok(Fetch::NotModified(record, doc)) => {
                let added = not_modified(store, &record, doc)?;
                on_event(Event::Added(&added));
                summary.added.push(added);
            }
            Err(e) => push(store, Err(e), &mut batch, &mut summary, on_event)?,
        }
    }
    for archive in &archives {
        add_archive(
            store,
            archive,
            &cli_meta,
            options.fetch.max_bytes,
            &mut batch,
            &mut summary,
            on_event,
        )?;
    }
    // Reading, decoding, extracting, hashing and writing objects is per-file work with no
    // shared state and, on small files, dominated by the kernel's file creation: spread it
    // over the cores. While one batch is committed (one writer, on this thread), the next
    // is prepared on the others.
    let objects = store.objects().clone();
    let snapshots = store.snapshots();
    let (objects, cli_meta, snapshots) = (&objects, &cli_meta, &snapshots);
    let chunks = batches(&files);
    let mut tracked = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        tracked.push(
            chunk
                .iter()
                .map(|p| store.tracked_path(p))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    if chunks.len() > 1 {
        store.checkpoint_in_background()?;
    }
    let committed = std::thread::scope(|scope| -> Result<(), AddError> {
        let spawn = |chunk, tracked| {
            let limit = options.fetch.max_bytes;
            prepare_in_background(scope, chunk, tracked, objects, cli_meta, snapshots, limit)
        };
        let mut work = chunks.iter().copied().zip(tracked);
        let mut pending = work.next().map(|(c, t)| spawn(c, t));
        while let Some(handle) = pending.take() {
            let prepared = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            pending = work.next().map(|(c, t)| spawn(c, t));
            for p in prepared {
                push(store, p, &mut batch, &mut summary, on_event)?;
            }
            flush(store, &mut batch, &mut summary, on_event)?;
        }
        Ok(())
    });
    store.checkpoint_inline()?;
    committed?;
    flush(store, &mut batch, &mut summary, on_event)?;
    if chunks.len() > 1 {
        store.refresh_statistics()?;
    }
    crate::index::compact_after(store, summary.added.iter().filter(|a| a.stored).count())?;
    Ok(summary)
}

/// Captured pages of an archive prepared at a time, on all cores.
const ARCHIVE_CHUNK: usize = 64;
/// Bytes of captured pages held before they are prepared.
const ARCHIVE_CHUNK_BYTES: usize = 32 << 20;

/// Adds every HTML page captured in a web archive as a fetch of its URL at the archive's
/// capture date; damaged records are refused one by one and the rest added.
fn add_archive(
    store: &mut Store,
    path: &Path,
    cli_meta: &Metadata,
    limit: u64,
    batch: &mut Batch,
    summary: &mut AddSummary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(), AddError> {
    use crate::archive::{self, Capture, Item, ReadError};
    let objects = store.objects().clone();
    let prepare_chunk = |chunk: Vec<Capture>| -> Vec<Result<Prepared, AddError>> {
        chunk
            .into_par_iter()
            .map(|c| {
                let record = FetchRecord {
                    url: c.url.clone(),
                    final_url: c.url,
                    status: c.status,
                    content_type: c.content_type,
                    fetched_at: c.captured_at,
                    etag: c.etag,
                    last_modified: c.last_modified,
                    object: None,
                    archive: Some(path.display().to_string()),
                };
                prepare(
                    &objects,
                    Source::Web(record, Box::default()),
                    c.body,
                    None,
                    cli_meta,
                )
            })
            .collect()
    };
    // Reading the archive, preparing its pages and committing them overlap: while one
    // chunk's pages are pushed (and a full batch committed) on this thread, the next chunk
    // is prepared on the others, and the one after is read.
    std::thread::scope(|scope| -> Result<(), AddError> {
        let mut preparing: Option<std::thread::ScopedJoinHandle<'_, _>> = None;
        let mut pending: Vec<Capture> = Vec::new();
        let mut held = 0usize;
        let mut pages = 0u64;
        let push_prepared = |store: &mut Store,
                             handle: Option<std::thread::ScopedJoinHandle<'_, _>>,
                             batch: &mut Batch,
                             summary: &mut AddSummary,
                             on_event: &mut dyn FnMut(Event<'_>)|
         -> Result<(), AddError> {
            let Some(handle) = handle else {
                return Ok(());
            };
            let prepared: Vec<Result<Prepared, AddError>> = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for p in prepared {
                push(store, p, batch, summary, on_event)?;
            }
            Ok(())
        };
        let read = archive::read(path, limit, &mut |item| -> Result<(), AddError> {
            match item {
                Item::Page(capture) => {
                    pages += 1;
                    held += capture.body.len();
                    pending.push(capture);
                    if pending.len() >= ARCHIVE_CHUNK || held >= ARCHIVE_CHUNK_BYTES {
                        held = 0;
                        let chunk = std::mem::take(&mut pending);
                        let before = preparing.replace(scope.spawn(|| prepare_chunk(chunk)));
                        push_prepared(store, before, batch, summary, on_event)?;
                    }
                }
                Item::Damaged(source) => {
                    let e = AddError::Archive {
                        path: path.to_owned(),
                        source,
                    };
                    on_event(Event::Refused(&e));
                    summary.refused.push(e);
                }
            }
            Ok(())
        });
        let read = match read {
            Ok(skipped) => Ok(skipped),
            Err(ReadError::Stopped(e)) => return Err(e),
            Err(ReadError::Io { path, source }) => Err(AddError::Io { path, source }),
            Err(ReadError::Archive(source)) => Err(AddError::Archive {
                path: path.to_owned(),
                source,
            }),
        };
        // What is being prepared goes in, whatever else happened to the reading.
        push_prepared(store, preparing.take(), batch, summary, on_event)?;
        match read {
            Ok(skipped) => on_event(Event::Archive {
                path,
                pages,
                skipped,
            }),
            Err(e) => {
                on_event(Event::Refused(&e));
                summary.refused.push(e);
            }
        }
        for p in prepare_chunk(pending) {
            push(store, p, batch, summary, on_event)?;
        }
        Ok(())
    })
}

/// What fetching a URL gave (one per URL named, so its size does not matter).
#[allow(clippy::large_enum_variant)]
enum Fetch {
    Page(Prepared),
    /// A 304 answer: the fetch's record and the version it confirms.
    NotModified(FetchRecord, DocId),
}

/// Records a 304 answer as a fetch of the version it confirms.
fn not_modified(store: &mut Store, record: &FetchRecord, doc: DocId) -> Result<Added, AddError> {
    store.write(|tx| tx.record_fetch(record, &doc))?;
    let size = store.document(&doc)?.map_or(0, |d| d.size);
    Ok(Added {
        id: doc,
        path: record.url.clone(),
        size,
        stored: false,
        source: Some(SourceRef {
            kind: SourceKind::Url,
            locator: record.url.clone(),
        }),
        version: None,
        previous: None,
        new_publication: false,
        new_path: false,
        metadata_updated: false,
        same_text_bytes: None,
        not_modified: true,
        restored: false,
    })
}

/// Prepares a batch of files on the worker threads while the caller goes on.
fn prepare_in_background<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    chunk: &'env [PathBuf],
    tracked: Vec<String>,
    objects: &'env Objects,
    cli_meta: &'env Metadata,
    snapshots: &'env SnapshotOpener,
    limit: u64,
) -> std::thread::ScopedJoinHandle<'scope, Vec<Result<Prepared, AddError>>> {
    scope.spawn(move || {
        let mut prepared: Vec<Result<Prepared, AddError>> = chunk
            .par_iter()
            .zip(tracked)
            .map_init(
                // A snapshot that cannot be opened only means the writer looks up itself.
                || snapshots.open().ok(),
                |snapshot, (path, tracked)| {
                    let mut prepared = prepare_file(objects, path, tracked, cli_meta, limit);
                    if let (Ok(p), Some(snapshot)) = (&mut prepared, snapshot.as_ref()) {
                        p.candidates = look_up(snapshot, &p.quotes, &p.grams).ok();
                    }
                    prepared
                },
            )
            .collect();
        // The objects reach the disk here, off the writer's path; if this fails, the
        // writer syncs them itself before committing rows that name them.
        let written: Vec<DocId> = prepared
            .iter()
            .flatten()
            .flat_map(|p| std::iter::once(p.id).chain(p.form.text_id))
            .collect();
        if objects.sync(&written).is_ok() {
            for p in prepared.iter_mut().flatten() {
                p.durable = true;
            }
        }
        prepared
    })
}

fn prepare_file(
    objects: &Objects,
    path: &Path,
    tracked: String,
    cli_meta: &Metadata,
    limit: u64,
) -> Result<Prepared, AddError> {
    let bytes = read_capped(path, limit)?;
    let sidecar = meta::read_sidecar(path).map_err(|source| AddError::Meta {
        path: path.to_owned(),
        source,
    })?;
    prepare(
        objects,
        Source::File {
            shown: path.display().to_string(),
            tracked,
            html: is_html_path(path),
        },
        bytes,
        sidecar,
        cli_meta,
    )
}

/// A regular file's bytes, refused when there are more than `limit` (checked as they are
/// read, so a file growing meanwhile is refused too).
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, AddError> {
    use std::io::Read;
    let io = |source| AddError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(AddError::NotAFile {
            path: path.to_owned(),
        });
    }
    let too_large = || AddError::TooLarge {
        path: path.to_owned(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Where a document's bytes came from.
enum Source {
    File {
        shown: String,
        tracked: String,
        /// The file's extension says HTML.
        html: bool,
    },
    Stdin,
    /// A fetched (or archived) page, with what a link to it said (see [`Input::Linked`]).
    Web(FetchRecord, Box<Metadata>),
}

fn is_html_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm" | "xhtml"))
}

fn push(
    store: &mut Store,
    prepared: Result<Prepared, AddError>,
    batch: &mut Batch,
    summary: &mut AddSummary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(), AddError> {
    match prepared {
        Ok(p) => {
            batch.docs.push(p);
            if batch.docs.len() >= BATCH_FILES {
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
    if meta.is_file() {
        files.push(path.to_owned());
        return;
    }
    if !meta.is_dir() {
        // Reading a device or FIFO would never end or never start.
        refused.push(AddError::NotAFile {
            path: path.to_owned(),
        });
        return;
    }
    // Links are followed only while they stay inside the folder: a link to /etc or to a
    // home directory is not part of what was asked for.
    let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut walker = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e) if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') => {
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
            Ok(e) if e.path_is_symlink() => {
                let target = std::fs::canonicalize(e.path()).unwrap_or_default();
                if !target.starts_with(&root) {
                    if e.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    refused.push(AddError::LinkOutside {
                        path: e.into_path(),
                        target,
                    });
                } else if e.file_type().is_file() && !meta::is_sidecar(e.path()) {
                    files.push(e.into_path());
                }
            }
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

/// Checks, hashes and writes one document's object (and an HTML page's article text);
/// no rows yet.
fn prepare(
    objects: &Objects,
    source: Source,
    bytes: Vec<u8>,
    sidecar: Option<Metadata>,
    cli_meta: &Metadata,
) -> Result<Prepared, AddError> {
    let mut linked = Metadata::default();
    let (shown, tracked, fetched, html, charset) = match source {
        Source::File {
            shown,
            tracked,
            html,
        } => {
            let html = html || text::html::sniff(&bytes);
            (shown, Some(tracked), None, html, None)
        }
        Source::Stdin => ("-".to_owned(), None, None, text::html::sniff(&bytes), None),
        Source::Web(f, link) => {
            linked = *link;
            let html = f.is_html() || (f.content_type.is_none() && text::html::sniff(&bytes));
            let charset = f.charset().map(str::to_owned);
            (f.url.clone(), None, Some(f), html, charset)
        }
    };
    let io = |path: PathBuf| move |source| AddError::Io { path, source };
    let mut wrote_text = false;
    let (text, encoding, form, own) = if html {
        text::refuse_binary(&bytes).map_err(|source| AddError::Decode {
            path: PathBuf::from(&shown),
            source,
        })?;
        let (page, encoding) = text::html::decode(&bytes, charset.as_deref());
        let article = text::html::article(&page);
        let text_id = DocId::of_bytes(article.text.as_bytes());
        wrote_text = objects
            .write(&text_id, article.text.as_bytes())
            .map_err(io(objects.path(&text_id)))?;
        let form = DocForm {
            format: DocFormat::Html,
            text_id: Some(text_id),
            canonical: article.canonical,
        };
        (article.text, encoding.to_owned(), form, Some(article.meta))
    } else {
        let (text, encoding) = match (text::decode(&bytes), &charset) {
            (Ok(d), _) => (d.text.into_owned(), d.encoding.as_str().to_owned()),
            // A server that names its charset is believed (text/plain in latin-1, say).
            (Err(_), Some(label)) if fetched.is_some() => {
                let enc = encoding_rs::Encoding::for_label(label.as_bytes())
                    .unwrap_or(encoding_rs::WINDOWS_1252);
                let (t, used, _) = enc.decode(&bytes);
                (t.into_owned(), used.name().to_ascii_lowercase())
            }
            (Err(source), _) => {
                return Err(AddError::Decode {
                    path: PathBuf::from(&shown),
                    source,
                });
            }
        };
        (text, encoding, DocForm::default(), None)
    };
    // What a link said about the page comes under what the page says about itself, which
    // comes under the sidecar and the flags.
    let mut meta = match own {
        Some(own) => linked.overlay(&own),
        None => linked,
    };
    if let Some(sidecar) = &sidecar {
        meta = meta.overlay(sidecar);
    }
    if let Some(f) = &fetched {
        meta.url = Some(f.url.clone());
    }
    let meta = meta.overlay(cli_meta).one_line();
    let quotes = quotations(&text, &meta);
    let id = DocId::of_bytes(&bytes);
    let wrote = objects.write(&id, &bytes).map_err(io(objects.path(&id)))?;
    Ok(Prepared {
        wrote_object: wrote || wrote_text,
        id,
        shown,
        tracked,
        size: bytes.len() as u64,
        encoding,
        meta,
        form,
        fetch: fetched,
        grams: quote_grams(&quotes),
        candidates: None,
        durable: false,
        quotes,
        keys: crate::index::document_keys(&text),
    })
}

/// A document of a batch whose rows keyed by its own id are written, before the rest.
struct Staged {
    /// Its document row.
    seq: i64,
    /// Its metadata as this batch leaves it.
    meta: Metadata,
    /// For stored bytes whose language or interview roles this batch changed, what they
    /// were.
    replaced: Option<Metadata>,
    added: Added,
}

/// Records a batch of written objects in one transaction, then reports them.
fn flush(
    store: &mut Store,
    batch: &mut Batch,
    summary: &mut AddSummary,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<(), AddError> {
    let Batch {
        docs: batch,
        recent,
        last_write,
    } = batch;
    if batch.is_empty() {
        return Ok(());
    }
    let now = meta::now_rfc3339();
    let objects = store.objects().clone();
    let objects = &objects;
    // The batch's objects reach the disk before any row names them.
    let written: Vec<DocId> = batch
        .iter()
        .filter(|p| !p.durable)
        .flat_map(|p| std::iter::once(p.id).chain(p.form.text_id))
        .collect();
    objects.sync(&written).map_err(|source| AddError::Io {
        path: store.objects().describe().into(),
        source,
    })?;
    let (results, number) = store.write_staged(|tx| -> Result<_, store::Error> {
        // A run after a clash with another writer starts from what was committed.
        recent.rolled_back();
        // First the rows keyed by the documents' own ids and sources (documents,
        // publications, versions, paths, fetches): on PostgreSQL these are written before
        // taking the write lock, beside other writers.
        let mut staged = Vec::with_capacity(batch.len());
        // Metadata this batch changes and writes below, for the same bytes again in it.
        let mut seen: rustc_hash::FxHashMap<DocId, (i64, Metadata)> = Default::default();
        let mut keys = Vec::new();
        // Documents this batch stores first: the same bytes again in it restore nothing.
        let mut born: rustc_hash::FxHashSet<DocId> = Default::default();
        for p in batch.iter() {
            if let Some(same) = same_text(tx, p)? {
                staged.push(same);
                continue;
            }
            let old = match seen.get(&p.id) {
                Some(known) => Some(known.clone()),
                None => tx.stored_metadata(&p.id)?,
            };
            let is_new = old.is_none();
            let (seq, meta, replaced) = match old {
                None => {
                    let seq =
                        tx.insert_document(&p.id, p.size, &p.encoding, &now, &p.meta, &p.form)?;
                    keys.push((seq, &p.keys));
                    born.insert(p.id);
                    (seq, p.meta.clone(), None)
                }
                Some((seq, old)) => {
                    // Language and interview roles belong to the bytes, whoever published
                    // them; outlet, date and title belong to each publication (below), so
                    // another outlet's title for the same bytes changes neither what the
                    // document says nor who speaks in it.
                    let mut merged = old.clone().overlay(&p.meta);
                    merged.title.clone_from(&old.title);
                    let changed = hints(&merged) != hints(&old) || merged.lang != old.lang;
                    (seq, merged, changed.then_some(old))
                }
            };
            if replaced.is_some() {
                seen.insert(p.id, (seq, meta.clone()));
            }
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
            let publication = tx.record_publication(
                seq,
                &NewPublication {
                    // Standard input without a URL was published nowhere prov can name.
                    source: source
                        .as_ref()
                        .filter(|_| p.meta.url.is_some() || p.tracked.is_some()),
                    meta: &p.meta,
                    recorded_at: p.fetch.as_ref().map_or(&now, |f| &f.fetched_at),
                    recorded_by: if p.fetch.is_some() {
                        RecordedBy::Fetch
                    } else {
                        RecordedBy::Add
                    },
                    first: is_new,
                },
            )?;
            let new_path = match &p.tracked {
                Some(path) => tx.track_path(path, &p.id, &now)?,
                None => false,
            };
            // A file added again unchanged is no new version of the URL its sidecar names,
            // even when another file naming that URL was added in between (two saved
            // copies of one page).
            let unchanged_file = p.tracked.is_some() && !new_path && !is_new;
            let change = match &source {
                Some(s) if s.kind == SourceKind::Url && unchanged_file => None,
                // A web archive's capture takes its place in time among the versions.
                Some(s) => match p.fetch.as_ref().filter(|f| f.archive.is_some()) {
                    Some(capture) => tx.insert_version_at(s, &p.id, &capture.fetched_at)?,
                    None => tx.append_version(s, &p.id, &now)?,
                },
                None => None,
            };
            if let Some(fetch) = &p.fetch {
                // The same capture read again (a web archive added twice) is one fetch.
                tx.import_fetch(fetch, &p.id)?;
            }
            staged.push(Staged {
                seq,
                meta,
                replaced,
                added: Added {
                    id: p.id,
                    path: p.shown.clone(),
                    size: p.size,
                    // Judged by the row, not the object file: an object written by an
                    // earlier, killed add has no row yet, so its document is still new.
                    stored: is_new,
                    source,
                    version: change.map(|(seq, _)| seq),
                    previous: change.and_then(|(_, prev)| prev),
                    new_publication: !is_new && publication == PublicationChange::New,
                    new_path: !is_new && new_path,
                    metadata_updated: publication == PublicationChange::Updated,
                    same_text_bytes: None,
                    not_modified: false,
                    restored: false,
                },
            });
        }
        // Then, holding the write lock, what other writers' rows bear on: speakers,
        // quotations and their reprints, and the indexes.
        tx.lock()?;
        // Candidates looked up beside the writer are complete unless another process
        // committed after the lookup: this process's own last write is in `recent`.
        let others_since = |seen: i64| {
            let between = seen + 1..tx.number();
            between.end
                - between.start
                - i64::from(last_write.is_some_and(|w| between.contains(&w)))
        };
        // What other processes recorded after the earliest lookup that missed some of it,
        // read once for the batch.
        let stale_from = batch
            .iter()
            .filter_map(|p| p.candidates.as_ref().map(|c| c.as_of))
            .filter(|&seen| others_since(seen) > 0)
            .min();
        let since = match stale_from {
            Some(seen) => {
                let mut wanted: Vec<i64> = batch
                    .iter()
                    .filter(|p| p.candidates.is_some())
                    .flat_map(|p| p.grams.iter().flatten().copied())
                    .collect();
                wanted.sort_unstable();
                wanted.dedup();
                let grams: GramRows = tx.grams_since(seen, &wanted)?.into_iter().collect();
                // Their texts in a few statements, not one per candidate.
                let mut wanted: Vec<i64> = batch
                    .iter()
                    .flat_map(|p| &p.grams)
                    .flat_map(|g| {
                        let need = grams_needed(g);
                        grams
                            .shared(g)
                            .into_iter()
                            .filter(move |&(_, shared)| shared >= need)
                            .map(|(qid, _)| qid)
                    })
                    .collect();
                wanted.sort_unstable();
                wanted.dedup();
                Since {
                    texts: tx.quote_texts(&wanted)?,
                    grams,
                }
            }
            None => Since::default(),
        };
        // The batch's speakers in a few statements, not a few per name.
        tx.look_up_speakers(batch.iter().flat_map(|p| &p.quotes))?;
        let mut found = Matching::default();
        let mut out = Vec::with_capacity(batch.len());
        for (p, staged) in batch.iter().zip(staged) {
            let Staged {
                seq,
                meta,
                replaced,
                mut added,
            } = staged;
            if added.stored {
                let rows = tx.store_quotes(&p.id, seq, false, &p.quotes)?;
                let looked_up = p.candidates.as_ref().map(|c| Candidates {
                    quotes: &c.quotes,
                    full: &c.full,
                    since: (others_since(c.as_of) > 0).then_some(&since),
                });
                find_matches(
                    tx, &rows, &p.quotes, &p.grams, looked_up, recent, &mut found,
                )?;
            } else if let Some(old) = replaced {
                tx.update_hints(&p.id, &meta)?;
                added.metadata_updated = true;
                if hints(&meta) != hints(&old) {
                    // What was found so far may name the rows replaced here (the same
                    // bytes twice in one batch): it is recorded first.
                    align_matches(tx, &mut found, AlignOn::Writer)?;
                    // Who is interviewed changes who speaks: extract again.
                    let fresh = if hints(&meta) == hints(&p.meta) {
                        p.quotes.clone()
                    } else {
                        reextract(tx, objects, &p.id, &meta)?
                    };
                    // The quotations made again join their reprints' groups again.
                    let rows = tx.replace_quotes(&p.id, &fresh)?;
                    find_matches(
                        tx,
                        &rows,
                        &fresh,
                        &quote_grams(&fresh),
                        None,
                        recent,
                        &mut found,
                    )?;
                }
            } else if p.wrote_object && added.same_text_bytes.is_none() && !born.contains(&p.id) {
                // Its object was missing or damaged: a repair that ran meanwhile found no
                // text to derive from, and left it without quotations or index entries.
                // They are made again from these bytes (replacing any that survived).
                align_matches(tx, &mut found, AlignOn::Writer)?;
                let rows = tx.replace_quotes(&p.id, &p.quotes)?;
                find_matches(tx, &rows, &p.quotes, &p.grams, None, recent, &mut found)?;
                if !crate::index::holds(tx, seq, &p.keys)? {
                    keys.push((seq, &p.keys));
                }
                added.restored = true;
            }
            out.push(added);
        }
        align_matches(tx, &mut found, AlignOn::Writer)?;
        crate::index::add_keys(tx, &keys)?;
        Ok((out, tx.number()))
    })?;
    batch.clear();
    recent.committed();
    *last_write = Some(number);
    for added in results {
        on_event(Event::Added(&added));
        summary.added.push(added);
    }
    Ok(())
}

/// A fetched page whose bytes are new but whose article text is its URL's newest
/// version's: a fetch of that version (the bytes kept as the fetch's object), not an edit.
fn same_text(tx: &Tx<'_>, p: &Prepared) -> Result<Option<Staged>, store::Error> {
    let (Some(fetch), Some(text), Some(url)) = (&p.fetch, p.form.text_id, &p.meta.url) else {
        return Ok(None);
    };
    let source = SourceRef {
        kind: SourceKind::Url,
        locator: url.clone(),
    };
    let Some((newest, newest_text)) = tx.newest_version_text(&source)? else {
        return Ok(None);
    };
    if newest == p.id || newest_text != text {
        return Ok(None);
    }
    let Some((seq, meta)) = tx.stored_metadata(&newest)? else {
        return Ok(None);
    };
    let record = FetchRecord {
        object: Some(p.id),
        ..fetch.clone()
    };
    tx.import_fetch(&record, &newest)?;
    Ok(Some(Staged {
        seq,
        meta,
        replaced: None,
        added: Added {
            id: newest,
            path: p.shown.clone(),
            size: p.size,
            stored: false,
            source: Some(source),
            version: None,
            previous: None,
            new_publication: false,
            new_path: false,
            metadata_updated: false,
            same_text_bytes: Some(p.id),
            not_modified: false,
            restored: false,
        },
    }))
}

/// How many stored quotations sharing grams with a new one are aligned with it.
const MATCH_CANDIDATES: usize = 4;

/// Quotations shorter than this are too generic to trace across documents.
const MATCH_MIN_WORDS: usize = 6;

/// Sampled hashes of a quotation's word 4-grams: all of them for short quotes, about half
/// for long ones (a shared passage of any length still shares several).
fn grams(text: &str) -> Vec<i64> {
    use std::hash::{Hash, Hasher};
    let norm = crate::text::normalize::normalize_text(text);
    let words: Vec<&str> = crate::text::normalize::word_iter(&norm)
        .map(|w| &norm[w.start..w.end])
        .collect();
    if words.len() < MATCH_MIN_WORDS {
        return Vec::new();
    }
    let mut out: Vec<i64> = words
        .windows(4)
        .map(|w| {
            let mut h = rustc_hash::FxHasher::default();
            w.hash(&mut h);
            h.finish() as i64
        })
        .collect();
    // Long quotations keep the grams whose hash is 0 mod 4: the choice depends only on the
    // words, so a passage shared by two quotations keeps the same grams in both.
    if out.len() > 12 {
        out.retain(|g| g.rem_euclid(4) == 0);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Each quotation's grams for matching (none for terms and titles).
fn quote_grams(quotes: &[NewQuote]) -> Vec<Vec<i64>> {
    quotes
        .iter()
        .map(|q| {
            if q.kind == QuoteKind::Term {
                Vec::new()
            } else {
                grams(&q.text)
            }
        })
        .collect()
}

/// Rebuilds what the store derives from its documents (quotations and speakers, their
/// matches, the fingerprint and word indexes) from the stored texts and metadata,
/// keeping documents, publications, sources, versions and fetches as they are: the repair
/// for lost or damaged derived tables. Documents are read in the order they were stored,
/// so matches form as they did. A document whose text cannot be read (a damaged object) is
/// left without quotations and listed. `progress` gets (done, total).
pub fn rederive(
    store: &mut Store,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<(DocId, store::Error)>, AddError> {
    store.clear_derived()?;
    // Documents whose bytes `prov gc` deleted have nothing to derive from.
    let purged = store.purged_rows()?;
    let mut rows = store.document_rows()?;
    rows.retain(|r| !purged.contains(r));
    let total = rows.len() as u64;
    let objects = store.objects().clone();
    let mut recent = Recent::default();
    let mut unreadable = Vec::new();
    let mut done = 0;
    for chunk in rows.chunks(BATCH_FILES) {
        let docs = store.document_ids(chunk)?;
        let texts: Vec<Result<String, store::Error>> = docs
            .par_iter()
            .map(|(_, id, text_id)| text::stored_text(&objects, id, text_id.as_ref()))
            .collect();
        store.write(|tx| -> Result<(), store::Error> {
            let mut readable = Vec::with_capacity(docs.len());
            for ((seq, id, _), text) in docs.iter().zip(texts) {
                match text {
                    Ok(text) => {
                        let meta = tx.stored_metadata(id)?.map(|(_, m)| m).unwrap_or_default();
                        readable.push((*seq, *id, text, meta));
                    }
                    Err(e) => unreadable.push((*id, e)),
                }
            }
            let extracted: Vec<(Vec<NewQuote>, Vec<Vec<i64>>)> = readable
                .par_iter()
                .map(|(_, _, text, meta)| {
                    let quotes = quotations(text, meta);
                    let grams = quote_grams(&quotes);
                    (quotes, grams)
                })
                .collect();
            let mut found = Matching::default();
            for ((_, id, _, _), (quotes, grams)) in readable.iter().zip(&extracted) {
                let rows = tx.replace_quotes(id, quotes)?;
                find_matches(tx, &rows, quotes, grams, None, &mut recent, &mut found)?;
            }
            align_matches(tx, &mut found, AlignOn::AllCores)?;
            Ok(())
        })?;
        recent.committed();
        done += chunk.len() as u64;
        progress(done, total);
    }
    crate::index::catch_up(store, &mut |_, _| {})?;
    store.finish_repair()?;
    Ok(unreadable)
}

/// A document brought from another store (see [`crate::sync`]): its row and everything
/// recorded about it there, with its text.
pub struct Imported {
    /// The document as the other store holds it, publications included.
    pub doc: store::documents::Document,
    /// Its text (the bytes decoded, or an HTML page's article text), whose objects are in
    /// this store already; `None` when this store has the document, and only its
    /// publications and fetches are to be merged.
    pub text: Option<String>,
    pub fetches: Vec<FetchRecord>,
}

/// What an import recorded that this store did not have.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub documents: u64,
    pub publications: u64,
    pub fetches: u64,
}

/// What a document's text yields for the store: its quotations, their grams, and the
/// posting indexes' keys.
type Derived = (Vec<NewQuote>, Vec<Vec<i64>>, crate::index::Keys);

/// Records documents brought from another store, batch after batch, keeping what matching
/// needs to know about the batches before.
#[derive(Default)]
pub struct Importer {
    recent: Recent,
}

impl Importer {
    /// Records `docs` in one transaction. A document this store lacks is stored with its
    /// row as the other store has it (size, encoding, when it was added, format, article
    /// text) and its quotations extracted and matched here, as `add` would; for every
    /// document, the publications and fetches this store lacks are recorded, none
    /// dropped. Running it again records nothing.
    pub fn import(
        &mut self,
        store: &mut Store,
        docs: &[Imported],
    ) -> Result<ImportCounts, store::Error> {
        // Extraction, grams and index keys are per-document work: on all cores, before the
        // transaction.
        let derived: Vec<Option<Derived>> = docs
            .par_iter()
            .map(|d| {
                d.text.as_ref().map(|text| {
                    let quotes = quotations(text, &d.doc.meta);
                    let grams = quote_grams(&quotes);
                    (quotes, grams, crate::index::document_keys(text))
                })
            })
            .collect();
        let recent = &mut self.recent;
        let counts = store.write(|tx| -> Result<ImportCounts, store::Error> {
            let mut counts = ImportCounts::default();
            let mut found = Matching::default();
            let mut keys = Vec::new();
            for (d, derived) in docs.iter().zip(&derived) {
                let doc = &d.doc;
                let (seq, is_new) = match (tx.stored_metadata(&doc.id)?, derived) {
                    (Some((seq, _)), _) => (seq, false),
                    (None, Some((quotes, grams, k))) => {
                        let form = DocForm {
                            format: doc.format,
                            text_id: doc.text_id,
                            canonical: doc.canonical.clone(),
                        };
                        let seq = tx.insert_document(
                            &doc.id,
                            doc.size,
                            &doc.encoding,
                            &doc.added_at,
                            &doc.meta,
                            &form,
                        )?;
                        let rows = tx.replace_quotes(&doc.id, quotes)?;
                        find_matches(tx, &rows, quotes, grams, None, recent, &mut found)?;
                        keys.push((seq, k));
                        counts.documents += 1;
                        (seq, true)
                    }
                    // Not stored, and no text given to store it with.
                    (None, None) => continue,
                };
                for (i, p) in doc.publications.iter().enumerate() {
                    let meta = Metadata {
                        outlet: p.outlet.clone(),
                        published: p.published.clone(),
                        author: p.author.clone(),
                        title: p.title.clone(),
                        url: p.url.clone(),
                        ..Metadata::default()
                    };
                    let change = tx.record_publication(
                        seq,
                        &NewPublication {
                            source: p.source.as_ref(),
                            meta: &meta,
                            recorded_at: &p.recorded_at,
                            recorded_by: p.recorded_by,
                            first: is_new && i == 0,
                        },
                    )?;
                    if change == PublicationChange::New {
                        counts.publications += 1;
                    }
                }
                for f in &d.fetches {
                    if tx.import_fetch(f, &doc.id)? {
                        counts.fetches += 1;
                    }
                }
            }
            align_matches(tx, &mut found, AlignOn::AllCores)?;
            crate::index::add_keys(tx, &keys)?;
            Ok(counts)
        })?;
        self.recent.committed();
        Ok(counts)
    }
}

/// What matching a batch's quotations found, written to the store together at the end
/// of the batch (see [`align_matches`]): a few statements per batch instead of several
/// per quotation.
#[derive(Default)]
struct Matching {
    /// Pairs still to be aligned.
    pending: Vec<PendingMatch>,
    /// Reprints found, in the order they were found.
    joins: Vec<Join>,
    /// (gram, row) of quotations that record grams of their own.
    grams: Vec<[i64; 2]>,
}

/// A stored quotation to align with a new one: (new row, stored row, new text, stored text).
struct PendingMatch {
    qid: i64,
    other: i64,
    text: String,
    other_text: String,
    /// The alignment, when it was worked out already (see [`look_up`]).
    aligned: Option<Alignment>,
}

/// Documents being added, and what matching needs to know about the batches before.
#[derive(Default)]
struct Batch {
    docs: Vec<Prepared>,
    recent: Recent,
    /// The number of this add's last write (see [`store::Tx::number`]).
    last_write: Option<i64>,
}

/// Each quotation's likeliest stored copies, looked up on a read connection as of write
/// number `as_of`.
struct LookedUp {
    as_of: i64,
    quotes: Vec<Vec<Candidate>>,
    /// Each quotation's grams the store held enough rows of already (see
    /// [`store::matches::SharedGrams::full`]), sorted.
    full: Vec<Vec<i64>>,
}

/// A stored quotation that may be a copy of a new one: its row, how many of the new
/// quotation's grams it shares, and its text.
#[derive(Debug, Clone)]
struct Candidate {
    qid: i64,
    shared: usize,
    text: String,
    /// How the new quotation aligns with it, worked out beside the writer; `None` when
    /// the texts are the same (no alignment needed).
    aligned: Option<Alignment>,
}

/// The best alignment of two quotations, either way round: its verdict and similarity,
/// or nothing when neither holds a passage of the other.
type Alignment = Option<(Verdict, f32)>;

/// How many of its grams a stored quotation must share with a new one to be a candidate.
fn grams_needed(grams: &[i64]) -> usize {
    2.max(grams.len() / 4).min(grams.len())
}

/// Orders candidates likeliest first (most grams shared, then oldest) and keeps the few
/// that are aligned.
fn likeliest(candidates: &mut Vec<(i64, usize)>) {
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(MATCH_CANDIDATES);
}

/// Looks up each quotation's likeliest stored copies in a snapshot of the store, beside
/// the writer: the reads that would otherwise hold up the write transaction. Quotations
/// committed after the snapshot was taken are not in it; [`Recent`] covers them.
fn look_up(
    snapshot: &Snapshot,
    quotes: &[NewQuote],
    grams: &[Vec<i64>],
) -> Result<LookedUp, store::Error> {
    snapshot.pinned(|snapshot| look_up_pinned(snapshot, quotes, grams))
}

fn look_up_pinned(
    snapshot: &Snapshot,
    quotes: &[NewQuote],
    grams: &[Vec<i64>],
) -> Result<LookedUp, store::Error> {
    // Read first: every write up to it is in what the lookups below see.
    let as_of = snapshot.last_write()?;
    let mut full = Vec::with_capacity(quotes.len());
    let quotes = quotes
        .iter()
        .zip(grams)
        .map(|(q, g)| {
            if g.is_empty() {
                full.push(Vec::new());
                return Ok(Vec::new());
            }
            let need = grams_needed(g);
            let shared = snapshot.shared_grams(g)?;
            full.push(shared.full);
            let mut found: Vec<(i64, usize)> = shared
                .rows
                .into_iter()
                .filter(|&(_, shared)| shared >= need)
                .collect();
            likeliest(&mut found);
            let mut out = Vec::with_capacity(found.len());
            for (qid, shared) in found {
                if let Some(text) = snapshot.quote_text(qid)? {
                    let aligned = (text != q.text).then(|| align_pair(&q.text, &text));
                    out.push(Candidate {
                        qid,
                        shared,
                        text,
                        aligned,
                    });
                }
            }
            Ok(out)
        })
        .collect::<Result<_, store::Error>>()?;
    Ok(LookedUp {
        as_of,
        quotes,
        full,
    })
}

/// A document's candidates looked up beside the writer, and, when other processes wrote
/// after that lookup, what they recorded since.
#[derive(Clone, Copy)]
struct Candidates<'a> {
    quotes: &'a [Vec<Candidate>],
    full: &'a [Vec<i64>],
    since: Option<&'a Since>,
}

/// What other processes recorded after a batch's lookups: their grams, and the texts of
/// the rows that share enough of them with the batch's quotations.
#[derive(Default)]
struct Since {
    grams: GramRows,
    texts: rustc_hash::FxHashMap<i64, String>,
}

/// Gram → rows, at most [`GRAM_ROWS`] rows a gram, as the store's lookup reads.
#[derive(Default)]
struct GramRows(rustc_hash::FxHashMap<i64, Vec<i64>>);

impl GramRows {
    fn add(&mut self, gram: i64, qid: i64) {
        let rows = self.0.entry(gram).or_default();
        if rows.len() < GRAM_ROWS {
            rows.push(qid);
        }
    }

    /// Counts, into `counts`, the grams of `grams` each row shares.
    fn count_shared(&self, grams: &[i64], counts: &mut rustc_hash::FxHashMap<i64, usize>) {
        for &qid in grams.iter().filter_map(|g| self.0.get(g)).flatten() {
            *counts.entry(qid).or_default() += 1;
        }
    }

    /// Rows sharing grams with `grams`, with how many they share.
    fn shared(&self, grams: &[i64]) -> Vec<(i64, usize)> {
        let mut counts = rustc_hash::FxHashMap::default();
        self.count_shared(grams, &mut counts);
        counts.into_iter().collect()
    }
}

impl FromIterator<[i64; 2]> for GramRows {
    fn from_iter<I: IntoIterator<Item = [i64; 2]>>(rows: I) -> Self {
        let mut out = GramRows::default();
        for [gram, qid] in rows {
            out.add(gram, qid);
        }
        out
    }
}

/// Quotations that recorded grams in this batch or the one before: a snapshot taken while
/// the one before was being committed may not hold them.
#[derive(Default)]
struct Recent {
    /// This batch's and the previous batch's.
    grams: [GramRows; 2],
    texts: [rustc_hash::FxHashMap<i64, String>; 2],
}

impl Recent {
    fn add(&mut self, qid: i64, grams: &[i64], text: &str) {
        for &g in grams {
            self.grams[0].add(g, qid);
        }
        self.texts[0].insert(qid, text.to_owned());
    }

    /// Rows sharing grams with `grams`, with how many they share.
    fn shared(&self, grams: &[i64]) -> Vec<(i64, usize)> {
        let mut counts = rustc_hash::FxHashMap::default();
        for generation in &self.grams {
            generation.count_shared(grams, &mut counts);
        }
        counts.into_iter().collect()
    }

    fn text(&self, qid: i64) -> Option<&str> {
        self.texts
            .iter()
            .find_map(|t| t.get(&qid))
            .map(String::as_str)
    }

    /// The batch's transaction is run again: what it added is gone.
    fn rolled_back(&mut self) {
        self.grams[0].0.clear();
        self.texts[0].clear();
    }

    /// The batch was committed: it becomes the previous one.
    fn committed(&mut self) {
        self.grams.swap(0, 1);
        self.texts.swap(0, 1);
        self.grams[0].0.clear();
        self.texts[0].clear();
    }
}

/// Finds stored quotations that share enough grams with each new one. Verbatim reprints
/// (the common case) are recorded at once; the rest are returned to be aligned, which is
/// CPU work done for a whole batch at a time on all cores (see [`align_matches`]).
fn find_matches(
    tx: &Tx<'_>,
    rows: &[i64],
    new: &[NewQuote],
    all_grams: &[Vec<i64>],
    candidates: Option<Candidates<'_>>,
    recent: &mut Recent,
    matched: &mut Matching,
) -> Result<(), store::Error> {
    // The document's own quotations never match it (a set: a long transcript has many).
    let own: rustc_hash::FxHashSet<i64> = rows.iter().copied().collect();
    for (i, ((q, g), &qid)) in new.iter().zip(all_grams).zip(rows).enumerate() {
        if g.is_empty() {
            continue;
        }
        let need = grams_needed(g);
        let looked_up = candidates.and_then(|c| c.quotes.get(i));
        let full_here;
        let (mut counts, full): (rustc_hash::FxHashMap<i64, usize>, &[i64]) = match looked_up {
            Some(found) => (
                found.iter().map(|c| (c.qid, c.shared)).collect(),
                candidates
                    .and_then(|c| c.full.get(i))
                    .map_or(&[][..], Vec::as_slice),
            ),
            None => {
                let shared = tx.shared_grams(g)?;
                full_here = shared.full;
                (shared.rows.into_iter().collect(), &full_here[..])
            }
        };
        let since = candidates.and_then(|c| c.since);
        let since_shared = since.map(|s| s.grams.shared(g));
        for (other, shared) in recent
            .shared(g)
            .into_iter()
            .chain(since_shared.into_iter().flatten())
        {
            let n = counts.entry(other).or_default();
            *n = (*n).max(shared);
        }
        let mut candidates: Vec<(i64, usize)> = counts
            .into_iter()
            .filter(|&(other, shared)| shared >= need && !own.contains(&other))
            .collect();
        likeliest(&mut candidates);
        let mut verbatim = false;
        let mut to_align = Vec::new();
        for (other, _) in candidates {
            let found = looked_up.and_then(|found| found.iter().find(|c| c.qid == other));
            let known = found
                .map(|c| c.text.as_str())
                .or_else(|| recent.text(other))
                .or_else(|| since.and_then(|s| s.texts.get(&other)).map(String::as_str));
            let other_text = match known {
                Some(t) => t.to_owned(),
                None => match tx.quote_text(other)? {
                    Some(t) => t,
                    None => continue,
                },
            };
            if other_text == q.text {
                // A verbatim reprint: no alignment needed.
                matched.joins.push(Join {
                    qid,
                    other,
                    verdict: Verdict::Exact,
                    similarity: 1.0,
                });
                verbatim = true;
            } else {
                to_align.push(PendingMatch {
                    qid,
                    other,
                    text: q.text.clone(),
                    other_text,
                    aligned: found.and_then(|c| c.aligned),
                });
            }
        }
        // A verbatim reprint is in its group already; the other candidates, when they are
        // the same utterance, are in it too (they joined it when they were stored). And it
        // adds no grams of its own: the stored copy's grams find the next reprint, and
        // matches chain through it. Reprint-heavy stores stay small and fast.
        if !verbatim {
            matched.pending.extend(to_align);
            // A gram the store holds enough rows of already gets no more: no lookup would
            // read them.
            let own: Vec<i64> = g
                .iter()
                .copied()
                .filter(|gram| full.binary_search(gram).is_err())
                .collect();
            matched.grams.extend(own.iter().map(|&gram| [gram, qid]));
            recent.add(qid, &own, &q.text);
        }
    }
    Ok(())
}

/// Where [`align_matches`] aligns the pairs not aligned beforehand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AlignOn {
    /// The caller's thread: during an add, the worker threads are preparing the next
    /// batch, and work handed to them would wait behind all of it.
    Writer,
    /// Every core, when nothing else is running on them.
    AllCores,
}

/// Aligns the pending pairs of a batch that were not aligned beside the writer, then
/// records the batch's grams and every reprint found (verbatim ones first, in the order
/// found, then those aligned here), and starts `found` afresh.
fn align_matches(tx: &Tx<'_>, found: &mut Matching, on: AlignOn) -> Result<(), store::Error> {
    let align = |m: &PendingMatch| {
        m.aligned
            .unwrap_or_else(|| align_pair(&m.text, &m.other_text))
    };
    let aligned: Vec<Alignment> = match on {
        AlignOn::Writer => found.pending.iter().map(align).collect(),
        AlignOn::AllCores => found.pending.par_iter().map(align).collect(),
    };
    let joins: Vec<Join> = found
        .pending
        .iter()
        .zip(aligned)
        .filter_map(|(m, best)| {
            best.map(|(verdict, similarity)| Join {
                qid: m.qid,
                other: m.other,
                verdict,
                similarity,
            })
        })
        .collect();
    // Two quotations sharing only part of their words, under different people's names,
    // are two people using a stock phrase ("our thoughts and prayers are with …", "the
    // president of the United States of America"), not a reprint. Closer wording under
    // another name (or the same words) stays one group: a misattribution, which trace
    // shows, since extraction's speakers are not always right.
    let mut reworded: Vec<i64> = joins
        .iter()
        .filter(|j| !j.verdict.supports() && j.similarity < STOCK_PHRASE_SIMILARITY)
        .flat_map(|j| [j.qid, j.other])
        .collect();
    reworded.sort_unstable();
    reworded.dedup();
    let surnames = tx.quote_surnames(&reworded)?;
    found.joins.extend(joins.into_iter().filter(|j| {
        j.verdict.supports()
            || j.similarity >= STOCK_PHRASE_SIMILARITY
            || match (surnames.get(&j.qid), surnames.get(&j.other)) {
                (Some(a), Some(b)) => same_surname(a, b),
                _ => true,
            }
    }));
    tx.add_grams(&found.grams)?;
    tx.join_all(&found.joins)?;
    *found = Matching::default();
    Ok(())
}

/// Reworded quotations less similar than this, attributed to people of different names,
/// are not one utterance: about one word in five differs.
const STOCK_PHRASE_SIMILARITY: f32 = 0.8;

/// Whether two speakers' surnames (as stored) name the same family: equal once case and
/// punctuation are set aside ("O'Neill", "ONeill").
fn same_surname(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    letters(a) == letters(b)
}

/// Aligns a new quotation with a stored one. Either may be the shorter (a truncated
/// reprint): both ways are tried unless the first already finds it verbatim, and the
/// better verdict wins.
fn align_pair(text: &str, other_text: &str) -> Alignment {
    use crate::align::{self, Query};
    let forward = align::best_passage(&Query::new(text), &align::Document::new(other_text));
    let backward = match &forward {
        Some(p) if p.verdict == Verdict::Exact => None,
        _ => align::best_passage(&Query::new(other_text), &align::Document::new(text)),
    };
    [forward, backward]
        .into_iter()
        .flatten()
        .min_by(|a, b| {
            a.verdict
                .cmp(&b.verdict)
                .then(b.similarity.total_cmp(&a.similarity))
        })
        .map(|p| (p.verdict, p.similarity))
}

/// What extraction needs to know about a document besides its text.
fn hints(meta: &Metadata) -> Hints {
    Hints {
        title: meta.title.clone(),
        interviewer: meta.interviewer.clone(),
        interviewee: meta.interviewee.clone(),
        speakers: meta.speakers.clone(),
    }
}

/// Extracts a document's quotations in the form the store keeps (code point offsets).
pub fn quotations(text: &str, meta: &Metadata) -> Vec<NewQuote> {
    let offsets = CharOffsets::new(text);
    extract::extract(text, &hints(meta))
        .into_iter()
        .map(|q| NewQuote {
            start: offsets.char_at(q.start),
            end: offsets.char_at(q.end),
            text: text[q.start..q.end].to_owned(),
            kind: q.kind,
            utterance: q.utterance,
            mention: q.mention.as_ref().map(|m| text[m.start..m.end].to_owned()),
            mention_start: q.mention.as_ref().map(|m| offsets.char_at(m.start)),
            mention_end: q.mention.as_ref().map(|m| offsets.char_at(m.end)),
            speaker: q.speaker,
            cue: q.cue.map(|c| text[c].to_owned()),
            confidence: q.confidence,
        })
        .collect()
}

fn reextract(
    tx: &Tx<'_>,
    objects: &Objects,
    id: &DocId,
    meta: &Metadata,
) -> Result<Vec<NewQuote>, store::Error> {
    // An HTML document's quotes point into its stored article text.
    let text_id = tx.text_id_of(id)?;
    let text = text::stored_text(objects, id, text_id.as_ref())?;
    Ok(quotations(&text, meta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;
    use proptest::prelude::*;

    fn add_bytes(store: &mut Store, dir: &Path, name: &str, bytes: &[u8]) -> AddSummary {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        add(
            store,
            vec![Input::Path(path)],
            &AddOptions::default(),
            &mut |_| {},
        )
        .unwrap()
    }

    #[test]
    fn batches_are_cut_by_count_and_by_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let small: Vec<PathBuf> = (0..BATCH_FILES + 5)
            .map(|i| {
                let p = dir.path().join(format!("s{i}.txt"));
                std::fs::write(&p, b"x").unwrap();
                p
            })
            .collect();
        let sizes: Vec<usize> = batches(&small).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [BATCH_FILES, 5]);
        // Two files that together pass the byte cap go in two batches; a missing file
        // weighs nothing; nothing is dropped.
        let big = dir.path().join("big.txt");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(BATCH_BYTES - 10).unwrap();
        let files = vec![
            big.clone(),
            small[0].clone(),
            dir.path().join("gone.txt"),
            big.clone(),
            small[1].clone(),
        ];
        let cut: Vec<Vec<PathBuf>> = batches(&files).iter().map(|b| b.to_vec()).collect();
        assert_eq!(cut, [files[..3].to_vec(), files[3..].to_vec()], "{cut:?}");
        assert!(batches(&[]).is_empty());
    }

    fn snapshot(store: &Store) -> Vec<(String, u64, Vec<String>)> {
        store
            .log()
            .unwrap()
            .into_iter()
            .map(|d| (d.id.to_hex(), d.size, store.paths_of(&d.id).unwrap()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Adding the same file twice changes nothing, and the id is always the BLAKE3 hash.
        #[test]
        fn adding_twice_changes_nothing(text in "\\PC{0,200}") {
            let (dir, mut store) = testing::store();
            let first = add_bytes(&mut store, dir.path(), "doc.txt", text.as_bytes());
            prop_assert_eq!(first.added[0].id, DocId::of_bytes(text.as_bytes()));
            let before = snapshot(&store);
            let second = add_bytes(&mut store, dir.path(), "doc.txt", text.as_bytes());
            prop_assert_eq!(second.added[0].outcome(), "unchanged");
            prop_assert_eq!(snapshot(&store), before);
        }
    }

    #[test]
    fn an_adopted_object_counts_as_just_written_for_gc() {
        // An object left by a killed add long ago: a gc running while another add takes
        // it over must not see it as old and unreferenced.
        let (dir, mut store) = testing::store();
        let id = DocId::of_bytes(b"left long ago");
        store.objects().write(&id, b"left long ago").unwrap();
        let path = store.objects().path(&id);
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(20 * 86_400);
        std::fs::File::open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        add_bytes(&mut store, dir.path(), "o.txt", b"left long ago");
        let written = store.objects().written_at(&id).unwrap().unwrap();
        assert!(written > old + std::time::Duration::from_secs(86_400));
    }

    #[test]
    fn an_orphan_object_is_adopted_as_new() {
        // What a kill between writing an object and committing its row leaves behind.
        let (dir, mut store) = testing::store();
        let id = DocId::of_bytes(b"orphan");
        store.objects().write(&id, b"orphan").unwrap();
        let summary = add_bytes(&mut store, dir.path(), "o.txt", b"orphan");
        assert_eq!(summary.added[0].outcome(), "added");
        let report = store.fsck(&mut |_, _| {}).unwrap();
        assert!(report.is_clean() && report.unreferenced.is_empty());
    }

    #[test]
    fn same_bytes_at_a_second_path_are_recorded_not_stored_again() {
        let (dir, mut store) = testing::store();
        add_bytes(&mut store, dir.path(), "a.txt", b"same");
        let second = add_bytes(&mut store, dir.path(), "b.txt", b"same");
        assert_eq!(second.added[0].outcome(), "tracked");
        assert_eq!(store.document_count().unwrap(), 1);
        assert_eq!(
            store.paths_of(&DocId::of_bytes(b"same")).unwrap(),
            ["a.txt", "b.txt"]
        );
    }

    fn add_with_sidecar(store: &mut Store, dir: &Path, name: &str, bytes: &[u8], sidecar: &str) {
        std::fs::write(dir.join(format!("{name}.meta.toml")), sidecar).unwrap();
        add_bytes(store, dir, name, bytes);
    }

    #[test]
    fn the_same_bytes_from_two_outlets_are_two_publications_and_the_earlier_is_first() {
        let (dir, mut store) = testing::store();
        let wire = b"The minister said the talks would resume next week.";
        // The later publication is added first: the order of adding must not matter.
        add_with_sidecar(
            &mut store,
            dir.path(),
            "b.txt",
            wire,
            "outlet = \"Daily Echo\"\npublished = 2024-03-02\ntitle = \"Talks to resume\"\n",
        );
        add_with_sidecar(
            &mut store,
            dir.path(),
            "a.txt",
            wire,
            "outlet = \"Wire Agency\"\npublished = 2024-03-01\nauthor = \"A. Reporter\"\n",
        );
        let id = DocId::of_bytes(wire);
        let doc = store.document(&id).unwrap().unwrap();
        let outlets: Vec<_> = doc
            .publications
            .iter()
            .map(|p| (p.outlet.as_deref(), p.published.as_deref()))
            .collect();
        assert_eq!(
            outlets,
            [
                (Some("Wire Agency"), Some("2024-03-01")),
                (Some("Daily Echo"), Some("2024-03-02"))
            ]
        );
        // The document's date and outlet are its first publication's; its title comes
        // from the first publication that gives one.
        assert_eq!(doc.meta.published.as_deref(), Some("2024-03-01"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("Wire Agency"));
        assert_eq!(doc.meta.title.as_deref(), Some("Talks to resume"));
        assert_eq!(store.document_count().unwrap(), 1);
    }

    #[test]
    fn a_corrected_sidecar_updates_its_publication_and_adds_none() {
        let (dir, mut store) = testing::store();
        add_with_sidecar(&mut store, dir.path(), "a.txt", b"text", "outlet = \"X\"\n");
        std::fs::write(
            dir.path().join("a.txt.meta.toml"),
            "outlet = \"X\"\npublished = 2020-01-02\n",
        )
        .unwrap();
        let again = add_bytes(&mut store, dir.path(), "a.txt", b"text");
        assert_eq!(again.added[0].outcome(), "updated");
        let pubs = store.publications(&DocId::of_bytes(b"text")).unwrap();
        assert_eq!(pubs.len(), 1, "{pubs:?}");
        assert_eq!(pubs[0].published.as_deref(), Some("2020-01-02"));
        // Adding it once more changes nothing.
        let third = add_bytes(&mut store, dir.path(), "a.txt", b"text");
        assert_eq!(third.added[0].outcome(), "unchanged");
    }

    #[test]
    fn a_bare_re_add_of_a_published_file_records_no_publication() {
        let (dir, mut store) = testing::store();
        add_with_sidecar(
            &mut store,
            dir.path(),
            "i.txt",
            b"interview",
            "outlet = \"Espreso\"\nurl = \"https://example.org/i\"\n",
        );
        std::fs::remove_file(dir.path().join("i.txt.meta.toml")).unwrap();
        let again = add_bytes(&mut store, dir.path(), "i.txt", b"interview");
        assert_eq!(again.added[0].outcome(), "unchanged");
        // The same bytes at a second path with nothing to say are tracked, not published.
        let copy = add_bytes(&mut store, dir.path(), "copy.txt", b"interview");
        assert_eq!(copy.added[0].outcome(), "tracked");
        let copy = add_bytes(&mut store, dir.path(), "copy.txt", b"interview");
        assert_eq!(copy.added[0].outcome(), "unchanged");
        let id = DocId::of_bytes(b"interview");
        let pubs = store.publications(&id).unwrap();
        assert_eq!(pubs.len(), 1, "{pubs:?}");
        assert_eq!(pubs[0].outlet.as_deref(), Some("Espreso"));
    }

    #[test]
    fn undated_publications_come_after_dated_ones_and_keep_their_add_time_apart() {
        let (dir, mut store) = testing::store();
        add_bytes(&mut store, dir.path(), "first.txt", b"copy");
        add_with_sidecar(
            &mut store,
            dir.path(),
            "second.txt",
            b"copy",
            "outlet = \"Late\"\npublished = 2030-01-01\n",
        );
        let pubs = store.publications(&DocId::of_bytes(b"copy")).unwrap();
        assert_eq!(pubs.len(), 2);
        assert_eq!(pubs[0].outlet.as_deref(), Some("Late"));
        assert_eq!(
            pubs[1].published, None,
            "an add time is not a publication date"
        );
        assert_eq!(pubs[1].recorded_by, crate::model::RecordedBy::Add);
    }

    #[test]
    fn a_stock_phrase_under_two_names_is_two_utterances() {
        let (dir, mut store) = testing::store();
        let docs = [
            // Two people, one stock phrase, different words after it.
            "\"Our thoughts and prayers are with the victims and their families,\" Mayor \
             John Smith said on Monday.\n",
            "\"Our thoughts and prayers are with the members of Congress and the police,\" \
             Senator Mary Jones said.\n",
            // A reprint of the first with a word changed, under his name.
            "\"My thoughts and prayers are with the victims and their families,\" Mayor \
             John Smith said.\n",
            // The first one's exact words under the other name: a misattribution, kept.
            "\"Our thoughts and prayers are with the victims and their families,\" Senator \
             Mary Jones said.\n",
        ];
        for (i, text) in docs.iter().enumerate() {
            add_bytes(
                &mut store,
                dir.path(),
                &format!("d{i}.txt"),
                text.as_bytes(),
            );
        }
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap();
        let texts: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| {
                g.members
                    .iter()
                    .map(|m| m.quote.quote.text.as_str())
                    .collect()
            })
            .collect();
        assert_eq!(groups.len(), 1, "{texts:?}");
        assert_eq!(groups[0].members.len(), 3, "{texts:?}");
        assert!(
            texts[0].iter().all(|t| !t.contains("Congress")),
            "{texts:?}"
        );
    }

    #[test]
    fn reprints_form_one_group_not_pairs() {
        let (dir, mut store) = testing::store();
        let quote = "We will not accept any deal that leaves our farmers without protection";
        for i in 0..40 {
            let text =
                format!("Report number {i} from the region.\n\n\"{quote},\" the minister said.\n");
            add_bytes(
                &mut store,
                dir.path(),
                &format!("r{i:02}.txt"),
                text.as_bytes(),
            );
        }
        add_bytes(
            &mut store,
            dir.path(),
            "drift.txt",
            format!(
                "A later story.\n\n\"{},\" she said.\n",
                quote.replace("any", "a")
            )
            .as_bytes(),
        );
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].documents, 41);
        assert_eq!(groups[0].members.len(), 41);
        let drifted: Vec<_> = groups[0]
            .members
            .iter()
            .filter(|m| m.verdict == Some(Verdict::Altered))
            .collect();
        assert_eq!(drifted.len(), 1);
        // No row per pair: the group is a column of the quotations themselves.
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM quote_groups", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        // A verdict the store does not know is a damaged row, reported as such, never
        // read as some verdict.
        store
            .conn()
            .execute(
                "UPDATE quotes SET grp_verdict = 'nearly' WHERE grp_verdict = 'altered'",
                [],
            )
            .unwrap();
        let err = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap_err();
        assert!(matches!(err, store::Error::CorruptRow(_)), "{err:?}");
        assert!(err.to_string().contains("\"nearly\""), "{err}");
        // fsck finds it, and the repair rebuilds the groups.
        let report = store.fsck(&mut |_, _| {}).unwrap();
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.detail.contains("\"nearly\"")),
            "{report:?}"
        );
        rederive(&mut store, &mut |_, _| {}).unwrap();
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap();
        assert_eq!(groups[0].documents, 41);
        assert!(store.fsck(&mut |_, _| {}).unwrap().is_clean());
    }

    #[test]
    fn a_reprint_another_process_commits_after_the_lookup_joins_the_group() {
        let (dir, mut store) = testing::store();
        let mut other = Store::open(dir.path()).unwrap();
        let quote = "Nobody in this valley will be left to face the floods alone again";
        let story = |n: &str| format!("{n} reports.\n\n\"{quote},\" the mayor said.\n");
        // This add prepares its document and looks up likely copies: none yet.
        let path = dir.path().join("late.txt");
        std::fs::write(&path, story("The Herald")).unwrap();
        let mut prepared = prepare_file(
            store.objects(),
            &path,
            "late.txt".into(),
            &Metadata::default(),
            u64::MAX,
        )
        .unwrap();
        let snapshot = store.snapshots().open().unwrap();
        prepared.candidates = Some(look_up(&snapshot, &prepared.quotes, &prepared.grams).unwrap());
        assert!(prepared.candidates.as_ref().unwrap().quotes[0].is_empty());
        // Meanwhile another process stores a reprint and commits.
        add_bytes(
            &mut other,
            dir.path(),
            "early.txt",
            story("The Courier").as_bytes(),
        );
        // A lookup reads the store as of one moment, and only while it runs: the same
        // snapshot, asked again, sees the reprint.
        let again = look_up(&snapshot, &prepared.quotes, &prepared.grams).unwrap();
        assert_eq!(again.quotes[0].len(), 1);
        // The first add's commit sees that and looks again: one group of two.
        let mut batch = Batch::default();
        batch.docs.push(prepared);
        flush(
            &mut store,
            &mut batch,
            &mut AddSummary::default(),
            &mut |_| {},
        )
        .unwrap();
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].documents, 2);
    }

    #[test]
    fn a_gram_held_by_enough_quotations_records_no_more_and_copies_still_group() {
        let (dir, mut store) = testing::store();
        let folder = dir.path().join("wire");
        std::fs::create_dir(&folder).unwrap();
        // Each copy ends in a word of its own, so none is verbatim and each records its
        // grams, except those the store holds enough rows of already.
        let write = |from: usize, to: usize| {
            for i in from..to {
                let text = format!(
                    "Report {i}.\n\n\"The river defences held this winter but they will not \
                     hold another one without money for repairs number{i},\" the engineer said.\n"
                );
                std::fs::write(folder.join(format!("{i:03}.txt")), text).unwrap();
            }
        };
        let busiest = |store: &Store| -> i64 {
            store
                .conn()
                .query_row(
                    "SELECT max(n) FROM (SELECT count(*) AS n FROM quote_grams GROUP BY gram)",
                    [],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let add_all = |store: &mut Store| {
            add(
                store,
                vec![Input::Path(folder.clone())],
                &AddOptions::default(),
                &mut |_| {},
            )
            .unwrap()
        };
        // One add of 20: the first lookups saw none of them, so every copy recorded its grams.
        write(0, 20);
        add_all(&mut store);
        assert_eq!(busiest(&store), 20);
        // Later adds see the shared grams held 16 times or more: no row is added to them.
        write(20, 30);
        add_all(&mut store);
        write(30, 35);
        add_all(&mut store);
        assert_eq!(busiest(&store), 20);
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 10)
            .unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].documents, 35);
    }

    #[test]
    fn reprints_in_every_batch_of_one_add_join_one_group() {
        // Copies of each quotation fall in the same batch, the batch before (committed
        // while the next one's candidates were looked up) and older batches, verbatim and
        // drifted: every copy joins its quotation's group.
        let (dir, mut store) = testing::store();
        let quotes = [
            "We will not accept any deal that leaves our farmers without protection",
            "The hospital waiting lists have grown longer every single month this year",
            "Our schools need teachers more than they need another round of inspections",
            "Nobody in this government was told about the contract before it was signed",
            "The river defences held this winter but they will not hold another one",
        ];
        let docs = 3 * BATCH_FILES + 10;
        let folder = dir.path().join("wire");
        std::fs::create_dir(&folder).unwrap();
        for i in 0..docs {
            let u = i % quotes.len();
            let quote = if i % 7 == 3 {
                // One word changed.
                let mut words: Vec<&str> = quotes[u].split(' ').collect();
                words[3] = "truly";
                words.join(" ")
            } else {
                quotes[u].to_owned()
            };
            let text = format!(
                "Dispatch {i} from correspondent {}.\n\n\"{quote},\" the minister said.\n",
                i * 7919 % 1000
            );
            std::fs::write(folder.join(format!("{i:04}.txt")), text).unwrap();
        }
        let summary = add(
            &mut store,
            vec![Input::Path(folder)],
            &AddOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.added.len(), docs);
        let groups = store
            .groups(None, crate::store::matches::GroupOrder::Largest, 100)
            .unwrap();
        assert_eq!(
            groups.len(),
            quotes.len(),
            "{:?}",
            groups.iter().map(|g| g.documents).collect::<Vec<_>>()
        );
        for g in &groups {
            let u = quotes
                .iter()
                .position(|q| g.members.iter().any(|m| m.quote.quote.text.starts_with(*q)))
                .unwrap();
            let holders = (0..docs).filter(|i| i % quotes.len() == u).count();
            assert_eq!(g.documents, holders, "{}", quotes[u]);
            assert!(
                g.members
                    .iter()
                    .any(|m| m.verdict == Some(Verdict::Altered)),
                "{:?}",
                g.members
                    .iter()
                    .map(|m| (m.quote.quote.text.clone(), m.verdict))
                    .filter(|m| m.1 != Some(Verdict::Exact))
                    .collect::<Vec<_>>()
            );
        }
        // The log was checkpointed beside the writes and the store reads back whole.
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.document_rows().unwrap().len(), docs);
    }

    #[test]
    fn reverting_a_file_records_a_third_version() {
        let (dir, mut store) = testing::store();
        for bytes in [&b"v1"[..], b"v2", b"v1"] {
            add_bytes(&mut store, dir.path(), "a.txt", bytes);
        }
        let source = SourceRef {
            kind: SourceKind::Path,
            locator: "a.txt".into(),
        };
        let docs: Vec<_> = store
            .versions(&source)
            .unwrap()
            .iter()
            .map(|v| v.doc)
            .collect();
        assert_eq!(
            docs,
            [
                DocId::of_bytes(b"v1"),
                DocId::of_bytes(b"v2"),
                DocId::of_bytes(b"v1")
            ]
        );
    }
}
