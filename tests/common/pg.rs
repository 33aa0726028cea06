//! A PostgreSQL server of the tests' own: initdb and pg_ctl in a temporary directory,
//! listening on 127.0.0.1 at a free port, started once per test binary and stopped when
//! that binary exits (a watcher stops it even when the binary is killed).
//!
//! Found on PATH or under /usr/lib/postgresql/*/bin; as root, run as the `postgres` user
//! (initdb refuses root). Where no server can be had, [`server`] says so once and the
//! PostgreSQL tests are skipped with that message.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Server {
    port: u16,
    _dir: tempfile::TempDir,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The tests' server, started on first use; `None` (with the reason printed) when
/// PostgreSQL is not installed or would not start.
pub fn server() -> Option<&'static Server> {
    match SERVER.get_or_init(start) {
        Ok(s) => Some(s),
        Err(why) => {
            eprintln!("skipped: PostgreSQL tests need a server ({why})");
            None
        }
    }
}

impl Server {
    /// A URL for a database no other test uses (`prov init` creates it).
    pub fn fresh_url(&self) -> String {
        let n = DATABASES.fetch_add(1, Ordering::SeqCst);
        format!(
            "postgres://prov@127.0.0.1:{}/t{}_{n}",
            self.port,
            std::process::id()
        )
    }
}

/// The directory holding `initdb` and `pg_ctl`.
fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
    });
    on_path.or_else(|| {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop()
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `program args…`, as the `postgres` user when running as root.
fn command(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn start() -> Result<Server, String> {
    let bin = bin_dir().ok_or("initdb and pg_ctl are not installed")?;
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("prov-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    if root {
        run(
            {
                let mut c = Command::new("chown");
                c.arg("postgres").arg(dir.path());
                c
            },
            "chown postgres",
        )?;
    }
    let data = dir.path().join("data");
    let mut initdb = command(&bin.join("initdb"), root);
    initdb.arg("-D").arg(&data).args([
        "-A",
        "trust",
        "-U",
        "prov",
        "--no-locale",
        "-E",
        "UTF8",
        "--no-sync",
    ]);
    run(initdb, "initdb")?;
    // Another binary's server may take the port between our probe and the start: try a
    // few.
    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port()?;
        let mut ctl = command(&bin.join("pg_ctl"), root);
        ctl.arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.path().join("log"))
            .args(["-w", "-t", "60", "-o"])
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                dir.path().display()
            ))
            .arg("start")
            .stdout(Stdio::null());
        match run(ctl, "pg_ctl start") {
            Ok(()) => {
                watch(&bin, &data, root);
                return Ok(Server { port, _dir: dir });
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Stops the server once this process is gone, however it ended.
fn watch(bin: &Path, data: &Path, root: bool) {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if root {
        format!(
            "runuser -u postgres -- '{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    } else {
        format!(
            "'{}' -D '{}' -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    };
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{}'",
        std::process::id(),
        data.parent().unwrap_or(data).display()
    );
    let _ = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}
