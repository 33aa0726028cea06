//! The one place library errors become what a person reads: a message, an optional hint,
//! and an exit code.

use std::fmt;
use std::io;

use prov::check::SourcesError;
use prov::export::ExportError;
use prov::ingest::AddError;
use prov::store;
use prov::verify::VerifyError;

/// Exit codes, as the README documents them.
pub mod exit {
    /// Success; for verify, the quote is supported.
    pub const SUCCESS: u8 = 0;
    /// A finding: fsck found damage, a file was refused, a quote is not supported.
    pub const FINDING: u8 = 1;
    /// Usage, I/O or store error.
    pub const ERROR: u8 = 2;
}

/// A failed command, ready to print.
#[derive(Debug)]
pub struct CommandError {
    pub message: String,
    pub hint: Option<String>,
    pub code: u8,
    /// Set for a closed stdout: the reader went away, so exit quietly.
    pub broken_pipe: bool,
    /// Set when the store's database is missing, empty or malformed (`fsck` reports it).
    pub damaged_database: bool,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
            code: exit::ERROR,
            broken_pipe: false,
            damaged_database: false,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Prefixes the message with what it concerns (a file's name).
    pub fn context(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(message)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl From<io::Error> for CommandError {
    fn from(e: io::Error) -> Self {
        let mut err = CommandError::new(format!("writing output: {e}"));
        err.broken_pipe = e.kind() == io::ErrorKind::BrokenPipe;
        err
    }
}

impl From<store::Error> for CommandError {
    fn from(e: store::Error) -> Self {
        let hint = match &e {
            store::Error::NotFound { .. } => Some(
                "run `prov init` to create a store here, or pass -C DIR / set PROV_DIR".to_owned(),
            ),
            store::Error::TooNew { .. } => Some("upgrade prov to open this store".to_owned()),
            store::Error::UnknownDocument(_) => {
                Some("`prov log` lists stored documents".to_owned())
            }
            store::Error::Ambiguous { .. } => Some("give more characters of the id".to_owned()),
            store::Error::UnknownSource(_) => {
                Some("`prov log` lists documents with their URLs".to_owned())
            }
            store::Error::ReadOnly(_) => {
                Some("the store is read-only here: commands that read it work; this one writes, so it needs write access to .prov/".to_owned())
            }
            store::Error::Busy(_) => {
                Some("another prov process holds the store; try again when it finishes".to_owned())
            }
            store::Error::Conflict(_) => Some(
                "another prov process was adding the same documents; run the command again"
                    .to_owned(),
            ),
            store::Error::DamagedDatabase { .. } => Some(
                "run `prov fsck --repair` to rebuild the store from its objects (the damaged file is kept beside it)"
                    .to_owned(),
            ),
            store::Error::Database(_) | store::Error::Malformed(_) | store::Error::CorruptRow(_) => {
                Some("run `prov fsck` to check the store".to_owned())
            }
            store::Error::Unreachable { .. } => Some(
                "check that the PostgreSQL server is running and the URL's host, port, user and database are right (a password comes from the URL or PGPASSWORD)"
                    .to_owned(),
            ),
            _ => None,
        };
        CommandError {
            message: e.to_string(),
            hint,
            code: exit::ERROR,
            broken_pipe: false,
            damaged_database: matches!(e, store::Error::DamagedDatabase { .. }),
        }
    }
}

impl From<VerifyError> for CommandError {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Store(s) => s.into(),
            VerifyError::Empty | VerifyError::TooLong { .. } => CommandError::usage(e.to_string()),
            other => {
                CommandError::new(other.to_string()).hint("run `prov fsck` to check the store")
            }
        }
    }
}

impl From<ExportError> for CommandError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(s) => s.into(),
            other => {
                CommandError::new(other.to_string()).hint("run `prov fsck` to check the store")
            }
        }
    }
}

impl From<SourcesError> for CommandError {
    fn from(e: SourcesError) -> Self {
        match e {
            SourcesError::Store(s) => s.into(),
            SourcesError::Add(a) => a.into(),
            SourcesError::Verify(v) => v.into(),
        }
    }
}

impl From<AddError> for CommandError {
    fn from(e: AddError) -> Self {
        match e {
            AddError::Store(s) => s.into(),
            AddError::UrlNeedsOneFile { .. } => CommandError::usage(e.to_string())
                .hint("add the files one at a time, each with its own --url, or use sidecar files"),
            other => CommandError::new(other.to_string()),
        }
    }
}
