//! The house drawn from the imports: the model at the bottom, no database type above the
//! store, and no arrow from the store or the model back up to the stages that use them.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file under `src/` (relative, `/`-separated) with its code lines: comments
/// (doc links name other modules freely) left out.
fn code() -> Vec<(String, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let lines = std::fs::read_to_string(&f)
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(str::to_owned)
                .collect();
            (rel, lines)
        })
        .collect()
}

/// The modules of the crate a line names through `crate::`.
fn crate_paths(line: &str) -> Vec<&str> {
    line.match_indices("crate::")
        .map(|(i, m)| {
            let rest = &line[i + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn the_model_builds_on_nothing_else_in_the_crate() {
    let mut found = Vec::new();
    for (file, lines) in code().iter().filter(|(f, _)| f.starts_with("model/")) {
        for line in lines {
            let up: Vec<_> = crate_paths(line)
                .into_iter()
                .filter(|m| *m != "model")
                .collect();
            let io = ["rusqlite", "std::fs", "std::net", "ureq"]
                .iter()
                .any(|t| line.contains(t));
            if !up.is_empty() || io {
                found.push(format!("{file}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "the model reaches up or out:\n{}", found.join("\n"));
}

#[test]
fn no_database_type_above_the_store() {
    let mut found = Vec::new();
    for (file, lines) in code().iter().filter(|(f, _)| !f.starts_with("store/")) {
        for line in lines.iter().filter(|l| l.contains("rusqlite")) {
            found.push(format!("{file}: {}", line.trim()));
        }
    }
    assert!(found.is_empty(), "rusqlite outside src/store:\n{}", found.join("\n"));
}

#[test]
fn the_store_builds_only_on_the_model() {
    let mut found = Vec::new();
    for (file, lines) in code().iter().filter(|(f, _)| f.starts_with("store/")) {
        for line in lines {
            for m in crate_paths(line) {
                if m != "model" && m != "store" {
                    found.push(format!("{file}: crate::{m} in {}", line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "the store reaches up:\n{}", found.join("\n"));
}
