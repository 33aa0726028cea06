//! The evidence store: content-addressed document bytes plus a database of what is known
//! about them.
//!
//! A store is either a `.prov/` directory, found by walking up from the working directory
//! as git finds `.git/`, holding `objects/` (see [`objects`]), `prov.db` (SQLite, schema in
//! `schema/`, applied by [`migrate`]) and `tmp/` for writes in flight; or a PostgreSQL
//! database named by a `postgres://` URL (see [`location`]), holding the same tables
//! (schema in `schema/postgres/`) and the objects in a table of their own. Every query
//! is written once over [`db::Sql`].

mod checkpoint;
pub mod corrections;
pub(crate) mod db;
pub mod documents;
pub mod feeds;
pub mod fsck;
pub mod index;
pub mod location;
pub mod matches;
pub mod meta;
mod migrate;
pub mod objects;
pub mod postings;

pub mod quotes;
pub mod remotes;
pub mod status;
mod tx;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use db::Engine;
pub use documents::{Document, Version};
pub use location::Location;

use crate::model::DocId;
pub use objects::Objects;
pub use tx::Tx;

/// The name of the store directory inside a working tree.
pub const STORE_DIR: &str = ".prov";
const DB_FILE: &str = "prov.db";
/// Present in a store directory while its database is being rebuilt from the objects
/// (`crate::rebuild`): a database found beside it is incomplete, whatever it holds.
pub const REBUILD_MARKER: &str = "prov.db.rebuilding";

/// Log pages after which a commit checkpoints (32 MB rather than SQLite's 4 MB: index
/// pages rewritten by successive commits of a large add reach the database file once, not
/// each time), unless a long write checkpoints on a thread of its own.
const WAL_AUTOCHECKPOINT: i64 = 8192;

/// How long a writer waits for another prov process to finish its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// What can go wrong opening or querying a store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not inside a prov store (searched {start} and its parents for {STORE_DIR}/)")]
    NotFound { start: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database under the store failed; the engine's own words.
    #[error("store database: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// The database refused a write: the store is read-only to this process.
    #[error("store database is read-only here: {0}")]
    ReadOnly(String),
    /// Another process held the database for longer than the store waits, or the server
    /// broke a deadlock between two writers by rolling this one back.
    #[error("store database is busy: {0}")]
    Busy(String),
    /// Another writer recorded the same row (a document, a version) at the same time and
    /// committed first; the write was rolled back and can run again.
    #[error("another writer recorded the same rows at the same time: {0}")]
    Conflict(String),
    /// The database's pages are not a database any more.
    #[error("store database is malformed: {0}")]
    Malformed(String),
    #[error(
        "the store at {path} has schema version {found}, but this prov knows only up to {supported}"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("no document matches {0}")]
    UnknownDocument(String),
    #[error("{0:?} is not a document id: give at least 4 hex characters of one")]
    BadId(String),
    #[error("id prefix {prefix} is ambiguous: it matches {}", candidates.iter().map(|c| c.short()).collect::<Vec<_>>().join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<DocId>,
    },
    #[error(
        "{} was removed already, on {} by {}: {}",
        .0.document.short(), .0.removed_at, .0.removed_by, .0.reason
    )]
    AlreadyRemoved(Box<crate::model::Removal>),
    #[error("{0} is not removed: nothing to undo")]
    NotRemoved(String),
    #[error(
        "the bytes of {id} were deleted by `prov gc` on {at}: add the original file or URL again, then run `prov rm --undo {id}`"
    )]
    Purged { id: String, at: String },
    #[error("no speaker is named {0:?}: `prov speakers --all` lists them")]
    UnknownSpeaker(String),
    #[error("{name:?} names more than one speaker ({}): give a full name", candidates.join(", "))]
    AmbiguousSpeaker {
        name: String,
        candidates: Vec<String>,
    },
    #[error("{0:?} and {1:?} are one speaker already")]
    SameSpeaker(String, String),
    #[error("no quotation matches {0}")]
    UnknownQuote(String),
    #[error("quotation id prefix {prefix} is ambiguous: it matches {}", candidates.join(", "))]
    AmbiguousQuote {
        prefix: String,
        candidates: Vec<String>,
    },
    #[error("no source {0:?} is known: give a URL or path that was added")]
    UnknownSource(String),
    #[error("stored row is corrupt: {0}")]
    CorruptRow(String),
    #[error(
        "no remote is named {0:?}: `prov remote` lists them, `prov remote add NAME URL` adds one"
    )]
    UnknownRemote(String),
    #[error(
        "a remote named {name:?} exists already (it is {url}); remove it first with `prov remote remove {name}`"
    )]
    RemoteExists { name: String, url: String },
    #[error("the store database {path} {what}")]
    DamagedDatabase { path: PathBuf, what: String },
    /// A PostgreSQL store's server could not be reached or refused the connection.
    #[error("cannot connect to the store {store}: {why}")]
    Unreachable { store: String, why: String },
    /// A PostgreSQL database that holds no prov store (yet).
    #[error("no prov store in {0}: `prov init {0}` creates one there")]
    NoStoreAt(String),
    /// Something only a store of the other engine can do.
    #[error("{0}")]
    Unsupported(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// SQLite's failures, sorted into what a caller can act on; only this module knows them.
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::ReadOnly => Error::ReadOnly(e.to_string()),
                // Another connection holds the write lock (SQLITE_LOCKED is a conflict
                // within one connection: a bug, not a process to wait for).
                ErrorCode::DatabaseBusy => Error::Busy(e.to_string()),
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    Error::Malformed(e.to_string())
                }
                _ => Error::Database(Box::new(e)),
            },
            // A stored value that is not what its column must hold (see
            // `db::Row::named`): the row was damaged.
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..) => Error::CorruptRow(e.to_string()),
            _ => Error::Database(Box::new(e)),
        }
    }
}

pub fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}

/// What `init` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Created,
    Reopened,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    /// The working tree paths are tracked relative to: the directory holding `.prov/`, or
    /// for a PostgreSQL store the one [`work_tree`] finds.
    root: PathBuf,
    /// The `.prov/` directory of a directory store.
    dir: Option<PathBuf>,
    location: Location,
    /// Checkpoints the log during a long write (dropped before the connection).
    checkpointer: Option<checkpoint::Checkpointer>,
    conn: Conn,
    objects: Objects,
}

/// The store's own connection.
#[derive(Debug)]
enum Conn {
    Sqlite(Connection),
    Postgres(db::postgres::Session),
}

/// How many times [`Store::write_staged`] runs a write that clashed with another writer.
const STAGED_ATTEMPTS: u32 = 5;

/// The PostgreSQL advisory lock every write transaction takes, so writers commit one at
/// a time as SQLite's do: matching a new quotation reads every stored one, and two
/// writers that did not see each other's rows would each miss the other's reprints.
const WRITE_LOCK: i64 = 0x7072_6f76_5752; // "provWR"

impl Store {
    /// Creates a new store in `root/.prov/` and opens it. Like `git init`, running it on
    /// an existing store is safe: it opens that store (applying any pending migrations)
    /// and reports that it already existed.
    pub fn init(root: &Path) -> Result<(Store, Init)> {
        std::fs::create_dir_all(root).map_err(io_err(root))?;
        let dir = root.join(STORE_DIR);
        let existed = dir.join(DB_FILE).exists();
        for sub in ["objects", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).map_err(io_err(dir.join(sub)))?;
        }
        // An existing store is opened as any command opens it: damage is reported, not
        // taken for a fresh start.
        let store = Self::open_dir(&dir, !existed)?;
        Ok((
            store,
            if existed {
                Init::Reopened
            } else {
                Init::Created
            },
        ))
    }

    /// [`Store::init`] at a location: a directory, or a PostgreSQL database (created on
    /// its server when it does not exist yet).
    pub fn init_at(location: &Location) -> Result<(Store, Init)> {
        match location {
            Location::Dir(d) => Self::init(d),
            Location::Postgres(url) => Self::connect_postgres(url, true),
        }
    }

    /// Opens the store at a location: a directory (as [`Store::open`]) or a PostgreSQL
    /// database.
    pub fn open_at(location: &Location) -> Result<Store> {
        match location {
            Location::Dir(d) => Self::open(d),
            Location::Postgres(url) => Self::connect_postgres(url, false).map(|(s, _)| s),
        }
    }

    fn connect_postgres(url: &str, create: bool) -> Result<(Store, Init)> {
        let session = match db::postgres::Session::connect(url) {
            Err(Error::Unreachable { why, .. }) if create && why.contains("does not exist") => {
                db::postgres::create_database(url)?;
                db::postgres::Session::connect(url)?
            }
            other => other?,
        };
        let version = migrate::postgres_store_version(&session)?;
        let existed = version.is_some();
        if !existed && !create {
            return Err(Error::NoStoreAt(location::redact(url)));
        }
        // A store already at this build's version opens in two statements; otherwise its
        // migrations run under a lock (another process may be running them too).
        if version != Some(migrate::LATEST) {
            migrate::apply_postgres(&session, url)?;
        }
        let root = work_tree(&std::env::current_dir().map_err(io_err("."))?);
        let objects = Objects::postgres(url);
        Ok((
            Store {
                root,
                dir: None,
                location: Location::Postgres(url.to_owned()),
                checkpointer: None,
                conn: Conn::Postgres(session),
                objects,
            },
            if existed {
                Init::Reopened
            } else {
                Init::Created
            },
        ))
    }

    /// Opens the store that `start` or one of its ancestors holds.
    pub fn discover(start: &Path) -> Result<Store> {
        let start_abs = std::path::absolute(start).map_err(io_err(start))?;
        match Self::locate(&start_abs) {
            Some(dir) => Self::open_dir(&dir, false),
            None => Err(Error::NotFound { start: start_abs }),
        }
    }

    /// The store directory (`.prov/`) that `start` or one of its ancestors holds, whether
    /// or not its database is whole: one with a database, or with objects and no database.
    pub fn locate(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(STORE_DIR))
            .find(|candidate| {
                candidate.join(DB_FILE).is_file() || candidate.join("objects").is_dir()
            })
    }

    /// Opens the store at `path`: a `.prov` directory itself, or a directory holding one.
    pub fn open(path: &Path) -> Result<Store> {
        let path = std::path::absolute(path).map_err(io_err(path))?;
        match Self::locate_at(&path) {
            Some(dir) => Self::open_dir(&dir, false),
            None => Err(Error::NotFound { start: path }),
        }
    }

    /// The store directory at `path`: `path` itself or its `.prov/`, as [`Store::locate`]
    /// recognises one.
    pub fn locate_at(path: &Path) -> Option<PathBuf> {
        let is_store = |d: &Path| d.join(DB_FILE).is_file() || d.join("objects").is_dir();
        [path.join(STORE_DIR), path.to_path_buf()]
            .into_iter()
            .find(|d| is_store(d))
    }

    fn open_dir(dir: &Path, create: bool) -> Result<Store> {
        let dir = std::path::absolute(dir).map_err(io_err(dir))?;
        let db = dir.join(DB_FILE);
        if !create {
            // SQLite takes a missing or empty file for a new, empty database: for a store
            // that held documents, that is damage, not a fresh start.
            let damaged = |what: &str| Error::DamagedDatabase {
                path: db.clone(),
                what: what.to_owned(),
            };
            match std::fs::metadata(&db) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(damaged("is missing"));
                }
                Err(e) => return Err(io_err(&db)(e)),
                Ok(m) if m.len() == 0 => return Err(damaged("is empty (0 bytes)")),
                Ok(_) => {}
            }
            if dir.join(REBUILD_MARKER).exists() {
                return Err(damaged(
                    "is incomplete: a rebuild from the objects (`prov fsck --repair`) stopped before it finished",
                ));
            }
        }
        Self::connect(&dir, &db, create).map_err(|e| match e {
            Error::Malformed(why) => Error::DamagedDatabase {
                path: db.clone(),
                what: format!("is malformed ({why})"),
            },
            other => other,
        })
    }

    fn connect(dir: &Path, db: &Path, create: bool) -> Result<Store> {
        let dir = dir.to_path_buf();
        // A store on read-only media or without write permission is read as it stands:
        // SQLite could not create the WAL's index beside it, so it is opened immutable.
        let read_only = !(create || writable(&dir) && writable(db));
        let mut conn = if read_only {
            Connection::open_with_flags(
                format!("file:{}?immutable=1", uri_path(db)),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        } else {
            let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            if create {
                flags |= OpenFlags::SQLITE_OPEN_CREATE;
            }
            Connection::open_with_flags(db, flags)?
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // An add runs a few dozen distinct statements per document; rusqlite keeps 16 by
        // default, and re-preparing the evicted ones cost an add about 6% of its time.
        conn.set_prepared_statement_cache_capacity(128);
        // WAL lets readers work while another process writes; NORMAL sync keeps every
        // commit atomic and consistent (a power cut may drop the newest commits, never
        // corrupt older ones), and objects are flushed before the rows naming them commit.
        if !read_only {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        // The default 2 MB page cache makes a large add re-read index pages from the
        // kernel for every quotation; 128 MB keeps them (it is a limit, not an allocation).
        conn.pragma_update(None, "cache_size", -131_072)?;
        if !read_only {
            conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT)?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::apply(&mut conn, db)?;
        let root = dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.clone());
        let objects = Objects::new(&dir);
        Ok(Store {
            location: Location::Dir(root.clone()),
            root,
            dir: Some(dir),
            checkpointer: None,
            conn: Conn::Sqlite(conn),
            objects,
        })
    }

    /// Creates a store database in the store directory `dir` (whose objects, if any, stay
    /// as they are), for rebuilding a store whose database was lost.
    pub fn create_at(dir: &Path) -> Result<Store> {
        for sub in ["objects", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).map_err(io_err(dir.join(sub)))?;
        }
        Self::open_dir(dir, true)
    }

    /// The working tree the store belongs to: the directory holding `.prov/`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The `.prov/` directory of a directory store; `None` for a PostgreSQL store.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Where the store lives, as a user names it.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The engine the store's tables live in.
    pub fn engine(&self) -> Engine {
        self.db().engine()
    }

    pub fn objects(&self) -> &Objects {
        &self.objects
    }

    /// The database connection: for the store's own modules, and for tests that look at
    /// the tables; the library's stages use the store's methods.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        match &self.conn {
            Conn::Sqlite(c) => c,
            Conn::Postgres(_) => {
                panic!("a test asked for the SQLite connection of a PostgreSQL store")
            }
        }
    }

    /// The database, for the store's own modules' queries.
    fn db(&self) -> db::Sql<'_> {
        match &self.conn {
            Conn::Sqlite(c) => db::Sql::Sqlite(c),
            Conn::Postgres(s) => db::Sql::Postgres(s),
        }
    }

    /// Runs `f` in a write transaction that takes the write lock up front, so two processes
    /// queue on the busy timeout (SQLite) or the write lock (PostgreSQL) instead of
    /// failing on a lock upgrade; commits what `f` did, or nothing when it fails.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Tx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<Error>,
    {
        let mut f = Some(f);
        self.transact(true, &mut |tx| match f.take() {
            Some(f) => f(tx),
            None => Err(Error::Unsupported("a write ran twice".into()).into()),
        })
    }

    /// Runs `f` in a write transaction like [`Store::write`], except that on PostgreSQL
    /// the write lock is taken only when `f` calls [`Tx::lock`]: what `f` writes before
    /// (rows keyed by the documents' own ids, which other writers do not touch unless
    /// they add the same bytes) overlaps with other writers. Two writers that do record
    /// the same row at once clash; the one rolled back runs `f` again, up to a few times.
    /// SQLite holds its write lock from the start, as in [`Store::write`].
    pub fn write_staged<T>(
        &mut self,
        mut f: impl FnMut(&Tx<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut attempt = 1;
        loop {
            match self.transact(false, &mut f) {
                Err(Error::Conflict(_) | Error::Busy(_)) if attempt < STAGED_ATTEMPTS => {
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    fn transact<T, E>(
        &mut self,
        lock_first: bool,
        f: &mut dyn FnMut(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<Error>,
    {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                if let Some(c) = &mut self.checkpointer {
                    c.beginning();
                }
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(Error::from)?;
                let sql = db::Sql::Sqlite(&tx);
                let t = Tx::new(sql, Some(tx::next_write(sql)?));
                let value = f(&t)?;
                t.finish()?;
                tx.commit().map_err(Error::from)?;
                if let Some(c) = &mut self.checkpointer {
                    c.committed();
                }
                Ok(value)
            }
            Conn::Postgres(session) => {
                let sql = db::Sql::Postgres(session);
                sql.batch("BEGIN")?;
                let t = Tx::new(sql, None);
                let outcome = (if lock_first { t.lock() } else { Ok(()) })
                    .map_err(E::from)
                    .and_then(|()| f(&t))
                    .and_then(|value| {
                        t.finish()?;
                        Ok(value)
                    });
                match outcome {
                    Ok(value) => {
                        sql.batch("COMMIT")?;
                        Ok(value)
                    }
                    Err(e) => {
                        // The error is the news; a failed rollback leaves the server to
                        // abort the transaction when the connection closes.
                        let _ = sql.batch("ROLLBACK");
                        Err(e)
                    }
                }
            }
        }
    }

    /// Checkpoints the write-ahead log on a thread of its own, beside the writes that
    /// follow, until [`Store::checkpoint_inline`]: for a long run of transactions (see
    /// [`checkpoint`]).
    pub fn checkpoint_in_background(&mut self) -> Result<()> {
        if let (None, Conn::Sqlite(conn), Some(dir)) =
            (&self.checkpointer, &mut self.conn, &self.dir)
        {
            let c = checkpoint::Checkpointer::start(conn, &dir.join(DB_FILE))?;
            self.checkpointer = Some(c);
        }
        Ok(())
    }

    /// Commits checkpoint the log themselves again (the default).
    pub fn checkpoint_inline(&mut self) -> Result<()> {
        if let Some(c) = self.checkpointer.take() {
            drop(c);
            // Replaces the log hook the checkpointer set with SQLite's own.
            if let Conn::Sqlite(conn) = &self.conn {
                conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT)?;
            }
        }
        Ok(())
    }

    /// Brings the planner's statistics up to date after a long run of writes (an add of
    /// many batches): PostgreSQL plans the next queries from them, and its own
    /// background analysis may not have caught up with a bulk load when the first `verify`
    /// runs. SQLite plans without them and is left as it is.
    pub fn refresh_statistics(&mut self) -> Result<()> {
        if let Conn::Postgres(_) = &self.conn {
            self.db().batch("ANALYZE")?;
        }
        Ok(())
    }

    /// The stored form of a path: relative to the store root with `/` separators when it
    /// lies inside the root, absolute otherwise.
    pub fn tracked_path(&self, path: &Path) -> Result<String> {
        let abs = std::path::absolute(path).map_err(io_err(path))?;
        let abs = normalize_lexically(&abs);
        Ok(match abs.strip_prefix(&self.root) {
            Ok(rel) => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => abs.to_string_lossy().into_owned(),
        })
    }

    /// The filesystem path of a tracked path string.
    pub fn worktree_path(&self, tracked: &str) -> PathBuf {
        let p = Path::new(tracked);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }
}

/// The working tree a PostgreSQL store tracks paths in, seen from `cwd`: the nearest
/// directory holding `prov.toml`, `.git` or `.prov`, so that paths read the same from any
/// subdirectory (as they do under a directory store); `cwd` itself when there is none.
fn work_tree(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|d| {
            ["prov.toml", ".git", STORE_DIR]
                .iter()
                .any(|m| d.join(m).exists())
        })
        .unwrap_or(cwd)
        .to_path_buf()
}

/// Whether this process may write `path` (a file, or create files in a directory).
fn writable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: access reads the NUL-terminated path `c` keeps alive for the call.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
    }
}

/// `path` as the path of an SQLite `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Removes `.` and resolves `..` without touching the filesystem, so `./seeds/../seeds/a`
/// and `seeds/a` track as one path.
fn normalize_lexically(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A fresh store in a temporary directory.
    pub fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = Store::init(dir.path()).expect("init");
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_then_discover_from_subdirectory() {
        let (dir, _store) = testing::store();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        let found = Store::discover(&sub).unwrap();
        assert_eq!(found.root(), std::path::absolute(dir.path()).unwrap());
        assert!(matches!(Store::init(dir.path()), Ok((_, Init::Reopened))));
    }

    #[test]
    fn discover_outside_a_store_fails() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            Store::discover(dir.path()),
            Err(Error::NotFound { .. })
        ));
    }

    #[test]
    fn a_store_opened_read_only_reads_and_refuses_writes() {
        let (dir, mut store) = testing::store();
        store
            .write(|tx| {
                tx.db()
                    .batch("CREATE TABLE t (x); INSERT INTO t VALUES (42);")
            })
            .unwrap();
        drop(store);
        let db = dir.path().join(STORE_DIR).join(DB_FILE);
        let conn = Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(&db)),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .unwrap();
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 42);
        assert!(conn.execute("INSERT INTO t VALUES (1)", []).is_err());
        assert_eq!(uri_path(Path::new("/a b/c?d#e%f")), "/a b/c%3fd%23e%25f");
    }

    #[test]
    fn tracked_paths_are_relative_and_normalised() {
        let (dir, store) = testing::store();
        let p = dir.path().join("seeds/./x/../a.txt");
        assert_eq!(store.tracked_path(&p).unwrap(), "seeds/a.txt");
    }
}
