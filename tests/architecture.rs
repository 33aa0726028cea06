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
/// (doc links name other modules freely) and test-only modules (whose `super` is the file
/// itself) left out.
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
            let text = std::fs::read_to_string(&f).unwrap();
            let all: Vec<&str> = text.lines().collect();
            // Test-only modules come last in a file: `#[cfg(test)]` over a `mod`.
            let end = all
                .windows(2)
                .position(|w| {
                    w[0].trim() == "#[cfg(test)]"
                        && w[1]
                            .trim_start()
                            .trim_start_matches("pub(crate) ")
                            .starts_with("mod ")
                })
                .unwrap_or(all.len());
            let lines = all[..end]
                .iter()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| l.to_string())
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

/// The files of one module, which must exist (a check over no files passes vacuously).
fn module(prefix: &str) -> Vec<(String, Vec<String>)> {
    let files: Vec<_> = code()
        .into_iter()
        .filter(|(f, _)| f.starts_with(prefix))
        .collect();
    assert!(files.len() >= 2, "no sources under src/{prefix}");
    files
}

/// Whether a line of a module reaches the crate root through `super::` (from its
/// `mod.rs`) or `super::super::` (from a file beside it), which `crate_paths` cannot see.
fn reaches_root_through_super(file: &str, line: &str) -> bool {
    line.contains("super::super::") || (file.ends_with("/mod.rs") && line.contains("super::"))
}

#[test]
fn the_model_builds_on_nothing_else_in_the_crate() {
    let mut found = Vec::new();
    for (file, lines) in &module("model/") {
        for line in lines {
            let up: Vec<_> = crate_paths(line)
                .into_iter()
                .filter(|m| *m != "model")
                .collect();
            let io = [
                "rusqlite",
                "fs::",
                "File::",
                "net::",
                "ureq",
                "std::env",
                "std::process",
                "std::thread",
            ]
            .iter()
            .any(|t| line.contains(t))
                || reaches_root_through_super(file, line);
            if !up.is_empty() || io {
                found.push(format!("{file}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the model reaches up or out:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_database_type_above_the_store() {
    let mut found = Vec::new();
    for (file, lines) in code().iter().filter(|(f, _)| !f.starts_with("store/")) {
        let engine = |l: &&String| {
            ["rusqlite", "postgres::", "tokio_postgres"]
                .iter()
                .any(|t| l.contains(t))
        };
        for line in lines.iter().filter(engine) {
            found.push(format!("{file}: {}", line.trim()));
        }
    }
    assert!(
        found.is_empty(),
        "a database engine's types outside src/store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_store_builds_only_on_the_model() {
    let mut found = Vec::new();
    for (file, lines) in &module("store/") {
        for line in lines {
            for m in crate_paths(line) {
                if m != "model" && m != "store" {
                    found.push(format!("{file}: crate::{m} in {}", line.trim()));
                }
            }
            if reaches_root_through_super(file, line) {
                found.push(format!("{file}: {}", line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the store reaches up:\n{}",
        found.join("\n")
    );
}

/// The store's public functions take and return no database type either: what a
/// second backend could not offer.
#[test]
fn the_store_exposes_no_database_type() {
    let mut found = Vec::new();
    for (file, lines) in &module("store/") {
        let text = lines.join("\n");
        for (at, _) in text.match_indices("pub fn ") {
            // `pub(super) fn` and `pub(crate) fn` do not match; a signature ends at its
            // body or at a `;`.
            let rest = &text[at..];
            let end = rest.find(['{', ';']).unwrap_or(rest.len());
            let signature = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            if [
                "rusqlite",
                "postgres::",
                "Transaction",
                "Connection",
                "Row<",
                "Session",
            ]
            .iter()
            .any(|t| signature.contains(t))
            {
                found.push(format!("{file}: {signature}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "public store functions with database types:\n{}",
        found.join("\n")
    );
}

/// The design notes' plan for distributing a store names every table the PostgreSQL schema
/// creates, so the plan cannot silently fall behind a migration.
#[test]
fn the_distribution_plan_names_every_postgres_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = std::fs::read_to_string(root.join("docs/design.md")).unwrap();
    let plan = design
        .split("## The path past one server")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/design.md section: The path past one server");
    let mut tables = vec!["prov_schema".to_owned()];
    for entry in std::fs::read_dir(root.join("schema/postgres")).unwrap() {
        let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in sql.lines() {
            if let Some(rest) = line.trim().strip_prefix("CREATE TABLE ") {
                let name = rest.split_whitespace().next().unwrap_or_default();
                tables.push(name.trim_start_matches("IF NOT EXISTS ").to_owned());
            }
        }
    }
    assert!(tables.len() > 10, "{tables:?}");
    let missing: Vec<&String> = tables
        .iter()
        .filter(|t| !plan.contains(&format!("`{t}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "tables the distribution plan does not name: {missing:?}"
    );
}
