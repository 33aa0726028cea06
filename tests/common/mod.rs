//! Shared helpers for CLI tests: a temp working tree and the real `prov` binary run in it
//! with a clean environment.
//!
//! The CLI suites run twice: as their own test binaries on directory stores, and again
//! inside `postgres_cli` (which includes them), where [`Env::new`] makes each test's store
//! a fresh database on the tests' own PostgreSQL server ([`pg`]) and names it to every
//! command through `PROV_DIR`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The PostgreSQL store this test uses, when it runs on one.
    pub url: Option<String>,
}

/// Whether this test binary runs the suites on PostgreSQL stores: `postgres_cli`.
pub fn on_postgres() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        std::env::current_exe().is_ok_and(|exe| {
            exe.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("postgres_cli"))
        })
    })
}

impl Env {
    /// An empty working tree with no store.
    pub fn bare() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
            url: None,
        }
    }

    /// A working tree with an initialised store: `.prov/` in it, or in `postgres_cli` a
    /// fresh PostgreSQL database (a directory store, after a note, where no server can be
    /// had).
    pub fn new() -> Env {
        let mut env = Env::bare();
        if on_postgres()
            && let Some(server) = pg::server()
        {
            let url = server.fresh_url();
            env.prov().args(["init", &url]).assert().success();
            env.url = Some(url);
        } else {
            env.prov().arg("init").assert().success();
        }
        env
    }

    /// Whether this test's store is a PostgreSQL database (tests that look inside
    /// `.prov/` skip themselves then).
    pub fn is_postgres(&self) -> bool {
        self.url.is_some()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn prov(&self) -> Command {
        let mut cmd = Command::cargo_bin("prov").expect("prov binary");
        cmd.current_dir(self.path()).env_clear();
        if let Some(url) = &self.url {
            cmd.env("PROV_DIR", url);
        }
        cmd
    }

    /// The store's name as commands take it: its directory, or its URL.
    pub fn name(&self) -> String {
        match &self.url {
            Some(url) => url.clone(),
            None => self.path().to_string_lossy().into_owned(),
        }
    }

    /// Prints why a test that needs a store directory does not run on PostgreSQL, and
    /// says whether it is skipped.
    pub fn skip_on_postgres(&self, why: &str) -> bool {
        if self.is_postgres() {
            eprintln!("skipped on PostgreSQL: {why}");
        }
        self.is_postgres()
    }

    /// Every stored object, as (`ab/cdef…`, bytes), read from the files or the table.
    pub fn objects(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        match &self.url {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                for row in client.query("SELECT id, bytes FROM objects", &[]).unwrap() {
                    let id: String = row.get(0);
                    out.push((format!("{}/{}", &id[..2], &id[2..]), row.get(1)));
                }
            }
            None => {
                let root = self.path().join(".prov/objects");
                for dir in std::fs::read_dir(&root).unwrap() {
                    let dir = dir.unwrap().path();
                    for f in std::fs::read_dir(&dir).unwrap() {
                        let f = f.unwrap().path();
                        let name = f
                            .strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned();
                        out.push((name, std::fs::read(&f).unwrap()));
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Overwrites a stored object's bytes, as damage would.
    pub fn tamper_object(&self, id: &str, bytes: &[u8]) {
        match &self.url {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                let n = client
                    .execute(
                        "UPDATE objects SET bytes = $2 WHERE id = $1",
                        &[&id, &bytes],
                    )
                    .unwrap();
                assert_eq!(n, 1);
            }
            None => {
                let path = self
                    .path()
                    .join(format!(".prov/objects/{}/{}", &id[..2], &id[2..]));
                let mut perms = std::fs::metadata(&path).unwrap().permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(&path, perms).unwrap();
                std::fs::write(&path, bytes).unwrap();
            }
        }
    }

    /// Runs SQL statements (separated by `;`, written for both engines) on the store's
    /// database directly, as damage or another tool would; `?1` is `blob` where given.
    pub fn sql(&self, statements: &str, blob: Option<&[u8]>) {
        match &self.url {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                for stmt in statements.split(';').filter(|s| !s.trim().is_empty()) {
                    let stmt = stmt.replace("?1", "$1");
                    match blob {
                        Some(b) if stmt.contains("$1") => client.execute(&stmt, &[&b]),
                        _ => client.execute(&stmt, &[]),
                    }
                    .unwrap();
                }
            }
            None => {
                let conn = rusqlite::Connection::open(self.path().join(".prov/prov.db")).unwrap();
                for stmt in statements.split(';').filter(|s| !s.trim().is_empty()) {
                    match blob {
                        Some(b) if stmt.contains("?1") => conn.execute(stmt, [b]),
                        _ => conn.execute(stmt, []),
                    }
                    .unwrap();
                }
            }
        }
    }

    /// Removes a stored object, as a lost file would.
    pub fn delete_object(&self, id: &str) {
        match &self.url {
            Some(url) => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .execute("DELETE FROM objects WHERE id = $1", &[&id])
                    .unwrap();
            }
            None => std::fs::remove_file(self.path().join(format!(
                ".prov/objects/{}/{}",
                &id[..2],
                &id[2..]
            )))
            .unwrap(),
        }
    }

    /// How many objects are stored so far (while another process writes them).
    pub fn object_count(&self) -> usize {
        match &self.url {
            Some(url) => postgres::Client::connect(url, postgres::NoTls)
                .and_then(|mut c| c.query_one("SELECT count(*) FROM objects", &[]))
                .map(|r| r.get::<_, i64>(0) as usize)
                .unwrap_or(0),
            None => walkdir::WalkDir::new(self.path().join(".prov/objects"))
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .count(),
        }
    }

    /// How many document rows the store's database holds, read directly (while another
    /// process writes it); 0 when it cannot be read yet.
    pub fn document_rows(&self) -> i64 {
        match &self.url {
            Some(url) => postgres::Client::connect(url, postgres::NoTls)
                .and_then(|mut c| c.query_one("SELECT count(*) FROM documents", &[]))
                .map(|r| r.get(0))
                .unwrap_or(0),
            None => rusqlite::Connection::open(self.path().join(".prov/prov.db"))
                .and_then(|c| c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0)))
                .unwrap_or(0),
        }
    }

    /// The `prov` binary as a plain process (for tests that stream, race or kill it), run
    /// in this tree on this test's store.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("prov"));
        cmd.current_dir(self.path()).env_clear();
        if let Some(url) = &self.url {
            cmd.env("PROV_DIR", url);
        }
        cmd
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }

    /// Copies the project's seeds into `seeds/` of this tree.
    pub fn with_seeds(&self) {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        for entry in std::fs::read_dir(src).expect("seeds") {
            let entry = entry.expect("entry");
            let bytes = std::fs::read(entry.path()).expect("read seed");
            self.write(
                &format!("seeds/{}", entry.file_name().to_string_lossy()),
                bytes,
            );
        }
    }

    /// Runs prov with `args` and returns stdout, asserting success.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.prov().args(args).output().expect("run prov");
        assert!(
            out.status.success(),
            "prov {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Parses JSON lines from `prov --json ARGS`.
    pub fn json(&self, args: &[&str]) -> Vec<serde_json::Value> {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        self.ok(&full)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }

    pub fn doc_count(&self) -> usize {
        self.json(&["log"]).len()
    }
}

pub fn b3(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}
pub mod http;
pub mod pg;
