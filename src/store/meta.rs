//! Document metadata: what a fact-checker cites a source by (title, outlet, date, URL…),
//! given on the command line or in a sidecar file next to the document.

use std::path::{Path, PathBuf};

use crate::model::Metadata;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// Why metadata could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error(
        "invalid date {value:?}: expected RFC 3339 (2025-06-23T08:42:00Z) or a plain date (2025-06-23)"
    )]
    BadDate { value: String },
    #[error("cannot read sidecar {path}: {source}")]
    SidecarIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid sidecar {path}: {message}")]
    SidecarSyntax { path: PathBuf, message: String },
}

impl Metadata {
    /// Normalises fields that have a canonical form (dates); trims every text field and
    /// drops empty ones.
    pub fn normalized(mut self) -> Result<Metadata, MetaError> {
        for field in [
            &mut self.title,
            &mut self.outlet,
            &mut self.url,
            &mut self.published,
            &mut self.author,
            &mut self.modified,
            &mut self.lang,
            &mut self.interviewer,
            &mut self.interviewee,
        ] {
            if let Some(v) = field.take() {
                let v = v.trim();
                if !v.is_empty() {
                    *field = Some(v.to_owned());
                }
            }
        }
        if let Some(p) = self.published.take() {
            self.published = Some(parse_published(&p)?);
        }
        if let Some(m) = self.modified.take() {
            self.modified = Some(parse_published(&m)?);
        }
        // Credentials in a URL are never stored (nor printed from the store).
        if let Some(u) = self.url.take() {
            self.url = Some(crate::model::without_credentials(&u).into_owned());
        }
        self.speakers.retain(|s| !s.trim().is_empty());
        Ok(self)
    }
}

/// Parses a publication date: RFC 3339 (normalised to UTC, `2025-06-23T08:42:00Z`) or a
/// plain date (`2025-06-23`, kept as is). Both forms sort correctly as text.
pub fn parse_published(value: &str) -> Result<String, MetaError> {
    let value = value.trim();
    let bad = || MetaError::BadDate {
        value: value.to_owned(),
    };
    if let Ok(ts) = OffsetDateTime::parse(value, &Rfc3339) {
        return ts
            .to_offset(UtcOffset::UTC)
            .format(&Rfc3339)
            .map_err(|_| bad());
    }
    let plain = format_description!("[year]-[month]-[day]");
    let date = Date::parse(value, &plain).map_err(|_| bad())?;
    date.format(&plain).map_err(|_| bad())
}

/// The current time as stored in `added_at` columns.
pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// The sidecar that may sit next to `file`: `FILE.meta.toml` or `FILE.meta.json`.
pub fn sidecar_path(file: &Path) -> Option<PathBuf> {
    ["meta.toml", "meta.json"].iter().find_map(|ext| {
        let mut name = file.file_name()?.to_os_string();
        name.push(".");
        name.push(ext);
        let p = file.with_file_name(name);
        p.is_file().then_some(p)
    })
}

/// Whether `path` is itself a sidecar, so directory walks do not add it as a document.
pub fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".meta.toml") || n.ends_with(".meta.json"))
}

/// Reads the sidecar for `file`, if there is one.
pub fn read_sidecar(file: &Path) -> Result<Option<Metadata>, MetaError> {
    let Some(path) = sidecar_path(file) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|source| MetaError::SidecarIo {
        path: path.clone(),
        source,
    })?;
    parse_sidecar(&path, &text).map(Some)
}

/// Parses sidecar text; the format follows the file's extension.
pub fn parse_sidecar(path: &Path, text: &str) -> Result<Metadata, MetaError> {
    let syntax = |message: String| MetaError::SidecarSyntax {
        path: path.to_owned(),
        message,
    };
    let json: serde_json::Value = if path.extension().is_some_and(|e| e == "toml") {
        let table: toml::Table = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
        toml_to_json(toml::Value::Table(table))
    } else {
        serde_json::from_str(text).map_err(|e| syntax(e.to_string()))?
    };
    let meta: Metadata = serde_json::from_value(json).map_err(|e| syntax(e.to_string()))?;
    meta.normalized().map_err(|e| syntax(e.to_string()))
}

/// TOML dates (`published = 2025-06-23`) become strings, so both sidecar formats share
/// one set of rules.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_normalise() {
        assert_eq!(parse_published("2025-06-23").unwrap(), "2025-06-23");
        assert_eq!(
            parse_published("2025-06-23T08:42:00+03:00").unwrap(),
            "2025-06-23T05:42:00Z"
        );
        assert!(parse_published("23/06/2025").is_err());
        assert!(parse_published("2025-13-01").is_err());
    }

    #[test]
    fn toml_sidecar_accepts_native_dates() {
        let m = parse_sidecar(
            Path::new("a.txt.meta.toml"),
            "title = \" T \"\npublished = 2025-06-23\nspeakers = [\"A\", \"B\"]\n",
        )
        .unwrap();
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.published.as_deref(), Some("2025-06-23"));
        assert_eq!(m.speakers, vec!["A", "B"]);
    }

    #[test]
    fn json_sidecar_and_unknown_fields() {
        let m = parse_sidecar(Path::new("a.meta.json"), r#"{"outlet":"X"}"#).unwrap();
        assert_eq!(m.outlet.as_deref(), Some("X"));
        let err = parse_sidecar(Path::new("a.meta.json"), r#"{"titel":"X"}"#).unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
    }

    #[test]
    fn overlay_keeps_unset_fields() {
        let base = Metadata {
            title: Some("a".into()),
            outlet: Some("o".into()),
            ..Default::default()
        };
        let over = Metadata {
            title: Some("b".into()),
            ..Default::default()
        };
        let m = base.overlay(&over);
        assert_eq!(m.title.as_deref(), Some("b"));
        assert_eq!(m.outlet.as_deref(), Some("o"));
    }
}
