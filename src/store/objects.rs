//! The object directory: each document's exact bytes in a file named by its id.
//!
//! Bytes live in files under `.prov/objects/ab/cdef…` rather than as SQLite blobs because:
//! `prov cat` and `fsck` stream them without loading a 100 MB document into the database
//! page cache; large documents do not pass through the WAL twice (log, then checkpoint);
//! and the database stays small enough to back up or rebuild from the objects alone.
//!
//! Writes go to a temporary file in `.prov/tmp/`, then are renamed into place, so a crash
//! never leaves a half-written object under a real name. Before the database rows that refer
//! to a batch of objects are committed, [`Objects::sync`] makes the batch durable (files and
//! renames) with one filesystem flush, rather than one `fsync` per file, which cost an add of
//! small documents about a third of a millisecond each. A crash before the rows commit
//! leaves at worst unreferenced objects, which `fsck` reports as a note and a later `add` of
//! the same bytes adopts.
//!
//! A PostgreSQL store keeps its objects in its `objects` table instead: each written once
//! in a transaction of its own (durable when the insert commits), read back and checked
//! against its id the same way.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::db::postgres::Session;
use super::db::{Sql, args};
use crate::model::DocId;

/// The error for an object whose bytes no longer hash to its id.
pub fn damaged(id: &DocId) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "object {} is damaged: its bytes no longer hash to its id, so it is not used as evidence; add the original file or URL again to repair it (`prov fsck` lists every damaged object)",
            id.short()
        ),
    )
}

/// The objects of one store: a directory of files, or a PostgreSQL table.
#[derive(Debug, Clone)]
pub struct Objects {
    root: PathBuf,
    tmp: PathBuf,
    table: Option<Arc<Table>>,
    /// Objects read ahead from the table (see [`Objects::prefetched`]).
    cache: Option<Arc<std::collections::HashMap<DocId, Vec<u8>>>>,
}

/// The `objects` table of a PostgreSQL store, with connections kept for reuse by the
/// threads that read and write objects.
#[derive(Debug)]
struct Table {
    url: String,
    idle: Mutex<Vec<Session>>,
}

/// A database failure as the I/O error object operations report.
fn db_err(e: super::Error) -> io::Error {
    io::Error::other(e.to_string())
}

impl Table {
    /// Runs `f` with a connection of its own.
    fn with<T>(&self, f: impl FnOnce(Sql<'_>) -> super::Result<T>) -> io::Result<T> {
        let kept = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let session = match kept {
            Some(s) => s,
            None => Session::connect(&self.url).map_err(db_err)?,
        };
        let out = f(Sql::Postgres(&session)).map_err(db_err);
        if out.is_ok()
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(session);
        }
        out
    }

    fn bytes(&self, id: &DocId) -> io::Result<Option<Vec<u8>>> {
        self.with(|db| {
            db.query_opt(
                "SELECT bytes FROM objects WHERE id = ?1",
                args![id.to_hex()],
                |r| r.get(0),
            )
        })
    }
}

impl Objects {
    pub(crate) fn new(prov_dir: &Path) -> Self {
        Self {
            root: prov_dir.join("objects"),
            tmp: prov_dir.join("tmp"),
            table: None,
            cache: None,
        }
    }

    /// The objects table of the PostgreSQL store at `url`.
    pub(crate) fn postgres(url: &str) -> Self {
        Self {
            root: PathBuf::new(),
            tmp: PathBuf::new(),
            table: Some(Arc::new(Table {
                url: url.to_owned(),
                idle: Mutex::new(Vec::new()),
            })),
            cache: None,
        }
    }

    /// Where the object for `id` lives (whether or not it exists), for messages: its file,
    /// or its row.
    pub fn path(&self, id: &DocId) -> PathBuf {
        let hex = id.to_hex();
        match &self.table {
            Some(_) => PathBuf::from(format!("objects table, row {hex}")),
            None => self.root.join(&hex[..2]).join(&hex[2..]),
        }
    }

    /// Where the objects live, for messages.
    pub fn describe(&self) -> String {
        match &self.table {
            Some(t) => format!("the objects table of {}", super::location::redact(&t.url)),
            None => self.root.display().to_string(),
        }
    }

    /// These objects with `ids` read ahead, in one statement per chunk of them, for a
    /// caller about to read them all (each read is a round trip to a PostgreSQL store's
    /// server otherwise). Reads still check every object's bytes against its id. A
    /// directory of files has nothing to gain, and is returned as it is.
    pub fn prefetched(&self, ids: &[DocId]) -> io::Result<Objects> {
        let Some(t) = &self.table else {
            return Ok(self.clone());
        };
        let hexes: Vec<String> = ids.iter().map(DocId::to_hex).collect();
        let mut cache = std::collections::HashMap::with_capacity(ids.len());
        t.with(|db| {
            super::db::chunked(&hexes, |chunk| {
                let sql = format!(
                    "SELECT id, bytes FROM objects \
                     WHERE id IN (SELECT column1 FROM (VALUES {}) AS k)",
                    super::db::typed_values(chunk.len(), "TEXT")
                );
                let values: Vec<&dyn super::db::Param> =
                    chunk.iter().map(|h| h as &dyn super::db::Param).collect();
                db.each(&sql, &values, |r| {
                    let hex: String = r.get(0)?;
                    if let Some(id) = DocId::from_hex(&hex) {
                        cache.insert(id, r.get(1)?);
                    }
                    Ok(())
                })
            })
        })?;
        Ok(Objects {
            cache: Some(Arc::new(cache)),
            ..self.clone()
        })
    }

    /// Whether the objects live in a database table rather than files.
    pub fn in_table(&self) -> bool {
        self.table.is_some()
    }

    /// The stored object's size in bytes.
    pub fn size(&self, id: &DocId) -> io::Result<u64> {
        match &self.table {
            Some(t) => t
                .with(|db| {
                    db.query_opt(
                        "SELECT length(bytes) FROM objects WHERE id = ?1",
                        args![id.to_hex()],
                        |r| r.get::<i64>(0),
                    )
                })?
                .map(|n| n.max(0) as u64)
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "object missing")),
            None => fs::metadata(self.path(id)).map(|m| m.len()),
        }
    }

    pub fn contains(&self, id: &DocId) -> bool {
        match &self.table {
            Some(t) => t
                .with(|db| {
                    db.query_opt(
                        "SELECT 1 FROM objects WHERE id = ?1",
                        args![id.to_hex()],
                        |_| Ok(()),
                    )
                })
                .is_ok_and(|found| found.is_some()),
            None => self.path(id).is_file(),
        }
    }

    /// Stores `bytes` under `id` unless an object is already there. The object is durable
    /// once [`Objects::sync`] has run: call it before committing rows that name it.
    ///
    /// The caller guarantees `id == DocId::of_bytes(bytes)`. Returns whether a new file
    /// was written.
    pub fn write(&self, id: &DocId, bytes: &[u8]) -> io::Result<bool> {
        if let Some(t) = &self.table {
            let hex = id.to_hex();
            let inserted = t.with(|db| {
                db.execute(
                    "INSERT INTO objects (id, bytes) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
                    args![hex, bytes],
                )
            })?;
            if inserted == 1 {
                return Ok(true);
            }
            // Present already: kept unless its bytes were damaged, which these repair.
            if self.rehash(id)?.as_ref() == Some(id) {
                return Ok(false);
            }
            t.with(|db| {
                db.execute(
                    "UPDATE objects SET bytes = ?2 WHERE id = ?1",
                    args![hex, bytes],
                )
            })?;
            return Ok(true);
        }
        let dest = self.path(id);
        // An object already there is kept unless its bytes were damaged: then these,
        // which hash to its id, repair it.
        let damaged = dest.is_file() && self.rehash(id)?.as_ref() != Some(id);
        if dest.is_file() && !damaged {
            // Taken over as it is (left by a killed add, or unreferenced since a removal):
            // it counts as written now, so a `prov gc` running meanwhile, which keeps
            // every recently written object, does not delete it before this add's rows
            // name it. Gone meanwhile: written again below. (A time that cannot be set,
            // on a file of another owner, leaves the object as it is.)
            let touched =
                fs::File::open(&dest).and_then(|f| f.set_modified(std::time::SystemTime::now()));
            if !matches!(&touched, Err(e) if e.kind() == io::ErrorKind::NotFound) {
                return Ok(false);
            }
        }
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir)?;
        }
        // One temp directory per worker thread: creating files in a shared directory
        // serialises the workers on its lock (measured: most of an add's kernel time).
        let tmp_dir = self
            .tmp
            .join(rayon::current_thread_index().unwrap_or(0).to_string());
        fs::create_dir_all(&tmp_dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix("obj-")
            .tempfile_in(&tmp_dir)?;
        tmp.write_all(bytes)?;
        let mut perms = tmp.as_file().metadata()?.permissions();
        perms.set_readonly(true);
        tmp.as_file().set_permissions(perms)?;
        // Another process may store the same bytes at the same moment: whoever renames
        // second finds the object present, which is the outcome both wanted.
        if damaged {
            tmp.persist(&dest).map_err(|e| e.error)?;
            return Ok(true);
        }
        match tmp.persist_noclobber(&dest) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e.error),
        }
    }

    /// Makes the objects written so far (`written`: their ids) durable, with the directory
    /// entries their renames made: one flush of the filesystem holding the store on Linux,
    /// each file and its directory elsewhere.
    pub fn sync(&self, written: &[DocId]) -> io::Result<()> {
        // A table's rows were committed as they were written.
        if written.is_empty() || self.table.is_some() {
            return Ok(());
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let dir = fs::File::open(&self.root)?;
            // SAFETY: syncfs takes a file descriptor that `dir` keeps open for the call.
            if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut dirs = std::collections::BTreeSet::new();
            for id in written {
                let path = self.path(id);
                fs::File::open(&path)?.sync_all()?;
                if let Some(d) = path.parent() {
                    dirs.insert(d.to_path_buf());
                }
            }
            for d in dirs {
                // Directories cannot be opened for syncing everywhere; where they cannot,
                // the file sync above is what the platform offers.
                if let Ok(f) = fs::File::open(&d) {
                    let _ = f.sync_all();
                }
            }
            Ok(())
        }
    }

    /// Reads the whole object, checking that its bytes still hash to its id: damaged
    /// bytes are an error ([`damaged`]), never evidence.
    pub fn read(&self, id: &DocId) -> io::Result<Vec<u8>> {
        let cached = self.cache.as_ref().and_then(|c| c.get(id).cloned());
        let bytes = match (&self.table, cached) {
            (_, Some(bytes)) => bytes,
            (Some(t), None) => t.bytes(id)?.ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("object {} missing", id.short()),
                )
            })?,
            (None, None) => fs::read(self.path(id))?,
        };
        if DocId::of_bytes(&bytes) != *id {
            return Err(damaged(id));
        }
        Ok(bytes)
    }

    /// Opens the object for streaming, once its bytes are checked against its id.
    pub fn open(&self, id: &DocId) -> io::Result<Box<dyn Read + Send>> {
        if self.table.is_some() {
            return Ok(Box::new(io::Cursor::new(self.read(id)?)));
        }
        match self.rehash(id)? {
            Some(now) if now == *id => Ok(Box::new(fs::File::open(self.path(id))?)),
            Some(_) => Err(damaged(id)),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "object missing")),
        }
    }

    /// Re-hashes the stored object: `Ok(None)` when it is missing, otherwise the id its
    /// bytes hash to now.
    pub fn rehash(&self, id: &DocId) -> io::Result<Option<DocId>> {
        if let Some(t) = &self.table {
            return Ok(t.bytes(id)?.map(|b| DocId::of_bytes(&b)));
        }
        let file = match fs::File::open(self.path(id)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        DocId::of_reader(file).map(Some)
    }

    /// Every object file's id, for finding objects no row refers to. Files whose names are
    /// not ids are skipped.
    /// Deletes the object `id`; returns how many bytes it held (0 when it was not there).
    /// Only `prov gc` deletes objects, and only those no document in the evidence names.
    pub fn delete(&self, id: &DocId) -> io::Result<u64> {
        if let Some(t) = &self.table {
            return t.with(|db| {
                let size: Option<i64> = db.query_opt(
                    "DELETE FROM objects WHERE id = ?1 RETURNING CAST(octet_length(bytes) AS BIGINT)",
                    args![id.to_hex()],
                    |r| r.get(0),
                )?;
                Ok(size.unwrap_or(0).max(0) as u64)
            });
        }
        let path = self.path(id);
        let size = match fs::metadata(&path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        match fs::remove_file(&path) {
            Ok(()) => Ok(size),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        }
    }

    /// When the object `id` was written, where the store records it (object files);
    /// `None` for the objects table, which keeps no time.
    pub fn written_at(&self, id: &DocId) -> io::Result<Option<std::time::SystemTime>> {
        if self.table.is_some() {
            return Ok(None);
        }
        fs::metadata(self.path(id))?.modified().map(Some)
    }

    pub fn list(&self) -> io::Result<Vec<DocId>> {
        if let Some(t) = &self.table {
            return t.with(|db| {
                db.query("SELECT id FROM objects ORDER BY id", args![], |r| {
                    let hex: String = r.get(0)?;
                    DocId::from_hex(&hex)
                        .ok_or_else(|| super::Error::CorruptRow(format!("bad object id {hex:?}")))
                })
            });
        }
        let mut ids = Vec::new();
        let fanout = match fs::read_dir(&self.root) {
            Ok(it) => it,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ids),
            Err(e) => return Err(e),
        };
        for dir in fanout {
            let dir = dir?;
            let prefix = dir.file_name().to_string_lossy().into_owned();
            if prefix.len() != 2 || !dir.file_type()?.is_dir() {
                continue;
            }
            for entry in fs::read_dir(dir.path())? {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if let Some(id) = DocId::from_hex(&format!("{prefix}{name}")) {
                    ids.push(id);
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Removes temporary files left by writers that died; only files older than an hour,
    /// so a concurrent writer's file is never pulled from under it.
    pub fn clean_tmp(&self) {
        if self.table.is_some() {
            return;
        }
        let Ok(dirs) = fs::read_dir(&self.tmp) else {
            return;
        };
        let entries = dirs.flatten().flat_map(|d| {
            if d.file_type().is_ok_and(|t| t.is_dir()) {
                fs::read_dir(d.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                    .collect::<Vec<_>>()
            } else {
                vec![d]
            }
        });
        for entry in entries {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
