//! Shared helpers for CLI tests: a temp working tree and the real `prov` binary run in it
//! with a clean environment.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// An empty working tree with no store.
    pub fn bare() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A working tree with an initialised store.
    pub fn new() -> Env {
        let env = Env::bare();
        env.prov().arg("init").assert().success();
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn prov(&self) -> Command {
        let mut cmd = Command::cargo_bin("prov").expect("prov binary");
        cmd.current_dir(self.path()).env_clear();
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
