//! Where a store lives: a directory holding `.prov/` (SQLite and object files), or a
//! PostgreSQL database named by a `postgres://` URL.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

/// A store's place, as a user names it wherever a store is named (`init`, `-C`,
/// `PROV_DIR`, `clone`, remotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A working tree holding `.prov/`, or the `.prov/` directory itself.
    Dir(PathBuf),
    /// A PostgreSQL database, as `postgres://user:password@host:port/database`.
    Postgres(String),
}

impl Location {
    /// Reads a store name: a `postgres://` or `postgresql://` URL, else a directory.
    pub fn parse(name: &OsStr) -> Location {
        match name.to_str() {
            Some(s) if is_url(s) => Location::Postgres(s.to_owned()),
            _ => Location::Dir(PathBuf::from(name)),
        }
    }

    /// The location as stored for a remote: an absolute directory, or the URL as given.
    pub fn to_remote_url(&self) -> String {
        match self {
            Location::Dir(d) => d.to_string_lossy().into_owned(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// The directory, for a directory store.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Location::Dir(d) => Some(d),
            Location::Postgres(_) => None,
        }
    }
}

/// Whether `name` names a PostgreSQL store.
pub fn is_url(name: &str) -> bool {
    let lower = name.get(..13).unwrap_or(name).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Shown with any password left out.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Dir(d) => write!(f, "{}", d.display()),
            Location::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

/// A URL with its passwords removed, for messages and listings: the password of its
/// user part and any `password=` parameter of its query.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = url[..scheme_end + 3].to_owned();
    match authority.rfind('@') {
        Some(at) => {
            out.push_str(authority[..at].split(':').next().unwrap_or(""));
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let tail = &rest[authority_end..];
    match tail.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                .collect();
            out.push_str(&kept.join("&"));
            if out.ends_with('?') {
                out.pop();
            }
        }
        None => out.push_str(tail),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_directories() {
        assert_eq!(
            Location::parse(OsStr::new("postgres://u@h/db")),
            Location::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            Location::parse(OsStr::new("PostgreSQL://h/db")),
            Location::Postgres(_)
        ));
        assert_eq!(
            Location::parse(OsStr::new("./postgres")),
            Location::Dir("./postgres".into())
        );
    }

    #[test]
    fn passwords_are_left_out() {
        assert_eq!(
            redact("postgres://ann:s3cr@t@db.example:5432/prov?sslmode=disable"),
            "postgres://ann@db.example:5432/prov?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://db.example/prov"),
            "postgres://db.example/prov"
        );
        assert_eq!(
            redact("postgres://ann@h/prov?password=s3cr&sslmode=disable"),
            "postgres://ann@h/prov?sslmode=disable"
        );
        assert_eq!(redact("postgres://h/prov?Password=x"), "postgres://h/prov");
        assert_eq!(
            Location::Postgres("postgresql://a:b@h/d".into()).to_string(),
            "postgresql://a@h/d"
        );
    }
}
