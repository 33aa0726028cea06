//! Checkpointing the write-ahead log beside a long write.
//!
//! Every commit appends the pages it changed to the log (`prov.db-wal`); a checkpoint
//! copies them into the database file. SQLite runs the checkpoint inside whichever commit
//! takes the log past `wal_autocheckpoint`, and at scale that is most of an add's commit
//! time: a batch of documents changes pages all over the quotation and document indexes.
//! During a long add a thread with a connection of its own checkpoints instead, while the
//! writer goes on with the next batch. The log is kept bounded: once it holds more than
//! [`LOG_LIMIT`] pages, the writer waits for the checkpoint to catch up before it begins its
//! next transaction, which then writes the log from its start again.
//!
//! Nothing about durability changes: a checkpoint only copies committed pages, and a crash
//! at any moment leaves the log and the database as SQLite's own checkpoint would.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Result};

/// Pages the log may hold before the writer waits for the checkpoint (256 MiB of 4 KiB
/// pages: a few batches of a large add).
const LOG_LIMIT: i64 = 65_536;

#[derive(Debug)]
pub(super) struct Checkpointer {
    requests: Option<mpsc::Sender<()>>,
    /// Reports each finished checkpoint.
    done: mpsc::Receiver<()>,
    /// A checkpoint was asked for and has not reported.
    running: bool,
    /// Pages in the log after the writer's last commit (SQLite's log hook counts them).
    log_pages: Arc<AtomicI64>,
    /// Pages the log may hold before the writer waits.
    limit: i64,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing for `writer`, the connection that writes `db`, and stops its
    /// own checkpoints.
    pub(super) fn start(writer: &mut Connection, db: &Path) -> Result<Checkpointer> {
        Self::with_limit(writer, db, LOG_LIMIT)
    }

    fn with_limit(writer: &mut Connection, db: &Path, limit: i64) -> Result<Checkpointer> {
        let conn = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let (requests, inbox) = mpsc::channel::<()>();
        let (report, done) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("prov-checkpoint".to_owned())
            .spawn(move || {
                for () in inbox {
                    // A failed checkpoint loses nothing: the log keeps the pages, and the
                    // next checkpoint (or the writer's own, once this thread stops) copies
                    // them.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if report.send(()).is_err() {
                        return;
                    }
                }
            })
            .map_err(super::io_err(db))?;
        // The pragma registers SQLite's own log hook, so it goes first.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        let log_pages = Arc::new(AtomicI64::new(0));
        let count = log_pages.clone();
        writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: i32| {
            count.store(i64::from(pages), Ordering::Relaxed);
            Ok(())
        }))?;
        Ok(Checkpointer {
            requests: Some(requests),
            done,
            running: false,
            log_pages,
            limit,
            thread: Some(thread),
        })
    }

    /// After a commit: once the log holds [`super::WAL_AUTOCHECKPOINT`] pages (as SQLite's
    /// own checkpoint would wait for, so pages rewritten by successive commits are copied
    /// once), checkpoint it, unless a checkpoint is still running (the next one takes
    /// what this commit added).
    pub(super) fn committed(&mut self) {
        self.collect(false);
        if !self.running && self.log_pages.load(Ordering::Relaxed) >= super::WAL_AUTOCHECKPOINT {
            self.ask();
        }
    }

    /// Before a transaction begins: when the log has grown past the limit, wait until all
    /// of it is in the database file, so the transaction writes the log from its start.
    pub(super) fn beginning(&mut self) {
        self.collect(false);
        if self.log_pages.load(Ordering::Relaxed) <= self.limit {
            return;
        }
        self.collect(true);
        // Nothing commits while this runs: it leaves the whole log checkpointed.
        self.ask();
        self.collect(true);
    }

    fn ask(&mut self) {
        if let Some(requests) = &self.requests {
            self.running = requests.send(()).is_ok();
        }
    }

    /// Takes the report of a running checkpoint; waits for it when `wait` is set.
    fn collect(&mut self, wait: bool) {
        if !self.running {
            return;
        }
        let finished = if wait {
            self.done.recv().is_ok()
        } else {
            !matches!(self.done.try_recv(), Err(mpsc::TryRecvError::Empty))
        };
        if finished {
            self.running = false;
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    fn write_rows(store: &mut crate::store::Store, n: usize) {
        for i in 0..n {
            store
                .write(|tx| -> Result<()> {
                    tx.db().batch("CREATE TABLE IF NOT EXISTS t (x BLOB)")?;
                    tx.db().execute(
                        "INSERT INTO t VALUES (?1)",
                        crate::store::db::args![vec![i as u8; 64 * 1024]],
                    )?;
                    Ok(())
                })
                .unwrap();
        }
    }

    #[test]
    fn the_log_stays_bounded_and_every_commit_reads_back() {
        let (dir, mut store) = testing::store();
        let db = store.dir().unwrap().join(crate::store::DB_FILE);
        // A limit of one page: every transaction waits for the log to be checkpointed
        // and writes it from the start again, so it never holds more than one.
        let crate::store::Conn::Sqlite(conn) = &mut store.conn else {
            unreachable!("a directory store")
        };
        store.checkpointer = Some(Checkpointer::with_limit(conn, &db, 1).unwrap());
        write_rows(&mut store, 40);
        let wal = std::fs::metadata(db.with_extension("db-wal"))
            .unwrap()
            .len();
        // 40 transactions of 64 KiB each: 2.6 MB if the log were never restarted.
        assert!(wal < 40 * 64 * 1024 / 4, "log of {wal} bytes");
        store.checkpoint_inline().unwrap();
        let auto: i64 = store
            .conn()
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap();
        assert_eq!(auto, crate::store::WAL_AUTOCHECKPOINT);
        drop(store);
        let (rows, check) = reopened(dir.path());
        assert_eq!(rows, 40);
        assert_eq!(check, "ok");
    }

    #[test]
    fn background_checkpoints_lose_nothing() {
        let (dir, mut store) = testing::store();
        store.checkpoint_in_background().unwrap();
        write_rows(&mut store, 60);
        drop(store);
        assert_eq!(reopened(dir.path()).0, 60);
    }

    /// The rows of `t` and SQLite's integrity verdict, read from the store reopened.
    fn reopened(root: &std::path::Path) -> (i64, String) {
        let store = crate::store::Store::open(root).unwrap();
        let rows = store
            .conn()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        let check = store
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        (rows, check)
    }
}
