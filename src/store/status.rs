//! Tracked paths against the working tree, like `git status`.

use std::io;
use std::path::Path;

use serde::Serialize;

use super::{Result, Store, io_err};
use crate::model::DocId;

/// How a tracked file compares with what was last added from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PathState {
    Unchanged,
    Modified,
    Missing,
}

/// One tracked path's state.
#[derive(Debug, Clone, Serialize)]
pub struct PathStatus {
    /// The path as stored: relative to the store root.
    pub path: String,
    pub state: PathState,
    /// The document last added from this path.
    pub stored: DocId,
    /// What the file hashes to now, when it exists.
    pub current: Option<DocId>,
}

impl Store {
    /// Compares every tracked path under `under` with the file there now.
    pub fn status(&self, under: &Path) -> Result<Vec<PathStatus>> {
        let under = std::path::absolute(under).map_err(io_err(under))?;
        let mut out = Vec::new();
        for (path, stored) in self.tracked_paths()? {
            let file = self.worktree_path(&path);
            if !file.starts_with(&under) {
                continue;
            }
            let (state, current) = match hash_file(&file) {
                Ok(None) => (PathState::Missing, None),
                Ok(Some(now)) => {
                    let state = if now == stored {
                        PathState::Unchanged
                    } else {
                        PathState::Modified
                    };
                    (state, Some(now))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => (PathState::Missing, None),
                Err(e) => return Err(io_err(file)(e)),
            };
            out.push(PathStatus {
                path,
                state,
                stored,
                current,
            });
        }
        Ok(out)
    }
}

/// The id of a regular file's bytes, hashed as they stream (a 1 GB file costs no memory);
/// `None` when something other than a regular file is there now (a FIFO would block).
fn hash_file(path: &Path) -> io::Result<Option<DocId>> {
    if !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    DocId::of_reader(std::fs::File::open(path)?).map(Some)
}
