//! `prov.toml`: how `prov check` judges drafts in one repository.
//!
//! ```toml
//! [check]
//! paths = ["drafts"]                 # checked when `prov check` is given no paths
//! ignore = ["drafts/archive/**"]     # glob patterns, relative to the repository root
//! min_words = 4                      # shorter quotations are not checked
//! min_similarity = 0.6               # a passage less similar than this is no source at all
//! fail_level = "error"               # the lowest severity that fails the check
//!
//! [check.severity]                   # per finding kind: error, warning or note
//! misattributed = "warning"
//!
//! [check.acknowledged]               # source edits seen and accepted: version = reason
//! "1f3a9c2e7b4d" = "correction noted in our story"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{FindingKind, Severity};

/// The file name looked for at the repository root (the directory holding `.prov/`).
pub const FILE: &str = "prov.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    check: CheckConfig,
}

/// The `[check]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    pub paths: Vec<String>,
    pub ignore: Vec<String>,
    pub min_words: usize,
    pub min_similarity: f32,
    pub fail_level: Option<String>,
    pub severity: BTreeMap<String, String>,
    /// Source versions (id prefixes) whose edits `check --sources` no longer reports, with
    /// why.
    pub acknowledged: BTreeMap<String, String>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        Self {
            paths: Vec::new(),
            ignore: Vec::new(),
            min_words: 4,
            min_similarity: crate::align::MIN_SIMILARITY,
            fail_level: None,
            severity: BTreeMap::new(),
            acknowledged: BTreeMap::new(),
        }
    }
}

/// Why `prov.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

pub fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "note" => Some(Severity::Note),
        _ => None,
    }
}

impl CheckConfig {
    /// Whether the edit that made version `doc` is acknowledged.
    pub fn acknowledges(&self, doc: &crate::model::DocId) -> bool {
        let hex = doc.to_hex();
        self.acknowledged
            .keys()
            .any(|k| hex.starts_with(&k.to_ascii_lowercase()))
    }

    /// Reads `root/prov.toml`; the defaults when there is none.
    pub fn load(root: &Path) -> Result<CheckConfig, ConfigError> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(CheckConfig::default()),
            Err(e) => {
                return Err(ConfigError::Invalid {
                    path,
                    message: e.to_string(),
                });
            }
        };
        Self::parse(&path, &text)
    }

    /// Reads a `prov.toml`'s text (`path` names it in errors).
    pub fn parse(path: &Path, text: &str) -> Result<CheckConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let c = file.check;
        for (kind, level) in &c.severity {
            if super::FindingKind::parse(kind).is_none() {
                let known: Vec<&str> = super::FindingKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(invalid(format!(
                    "[check.severity] has unknown finding kind {kind:?}: use {}",
                    known.join(", ")
                )));
            }
            if parse_severity(level).is_none() {
                return Err(invalid(format!(
                    "[check.severity] {kind} = {level:?}: use error, warning or note"
                )));
            }
        }
        for (version, reason) in &c.acknowledged {
            if version.len() < 4 || !version.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(invalid(format!(
                    "[check.acknowledged] {version:?}: give a version id (at least 4 hex digits, as `prov log --versions` prints it)"
                )));
            }
            if !reason.chars().any(char::is_alphanumeric) {
                return Err(invalid(format!(
                    "[check.acknowledged] {version} has no reason: say why the edit is accepted"
                )));
            }
        }
        if let Some(l) = &c.fail_level
            && parse_severity(l).is_none()
        {
            return Err(invalid(format!(
                "fail_level = {l:?}: use error, warning or note"
            )));
        }
        if !(0.0..=1.0).contains(&c.min_similarity) {
            return Err(invalid(format!(
                "min_similarity = {}: give a number from 0 to 1",
                c.min_similarity
            )));
        }
        Ok(c)
    }

    /// The severity of a finding kind here.
    pub fn severity(&self, kind: FindingKind) -> Severity {
        self.severity
            .get(kind.as_str())
            .and_then(|s| parse_severity(s))
            .unwrap_or_else(|| kind.default_severity())
    }

    /// A matcher for the ignore patterns.
    pub fn ignore_set(&self) -> Result<globset::GlobSet, globset::Error> {
        let mut b = globset::GlobSetBuilder::new();
        for p in &self.ignore {
            b.add(globset::Glob::new(p)?);
        }
        b.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_errors_name_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let c = CheckConfig::load(dir.path()).unwrap();
        assert_eq!(c.min_words, 4);
        std::fs::write(
            dir.path().join(FILE),
            "[check.severity]\nmisattributed = \"loud\"\n",
        )
        .unwrap();
        let e = CheckConfig::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("prov.toml") && e.contains("loud"), "{e}");
        std::fs::write(dir.path().join(FILE), "[check]\nignor = []\n").unwrap();
        assert!(
            CheckConfig::load(dir.path())
                .unwrap_err()
                .to_string()
                .contains("ignor")
        );
    }
}
