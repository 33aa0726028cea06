//! Other stores this one pushes to and pulls from, by name.

use super::db::{Row, args};
use super::{Error, Result, Store};

/// A named remote store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Remote {
    pub name: String,
    /// A store directory (absolute) or a database URL.
    pub url: String,
}

fn remote_from_row(r: &Row<'_>) -> Result<Remote> {
    Ok(Remote {
        name: r.get(0)?,
        url: r.get(1)?,
    })
}

impl Store {
    /// Every remote, by name.
    pub fn remotes(&self) -> Result<Vec<Remote>> {
        self.db().query(
            "SELECT name, url FROM remotes ORDER BY name",
            args![],
            remote_from_row,
        )
    }

    /// The remote named `name`.
    pub fn remote(&self, name: &str) -> Result<Remote> {
        self.db()
            .query_opt(
                "SELECT name, url FROM remotes WHERE name = ?1",
                args![name],
                remote_from_row,
            )?
            .ok_or_else(|| Error::UnknownRemote(name.to_owned()))
    }

    /// Names the store at `url` `name`; a name is given once.
    pub fn add_remote(&mut self, name: &str, url: &str) -> Result<()> {
        if let Ok(old) = self.remote(name) {
            return Err(Error::RemoteExists {
                name: old.name,
                url: old.url,
            });
        }
        self.write(|tx| -> Result<()> {
            tx.db().execute(
                "INSERT INTO remotes (name, url) VALUES (?1, ?2)",
                args![name, url],
            )?;
            Ok(())
        })
    }

    /// Forgets the remote `name` (the store it names is not touched).
    pub fn remove_remote(&mut self, name: &str) -> Result<()> {
        let removed = self.write(|tx| {
            tx.db()
                .execute("DELETE FROM remotes WHERE name = ?1", args![name])
        })?;
        if removed == 0 {
            return Err(Error::UnknownRemote(name.to_owned()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    #[test]
    fn remotes_are_named_once_and_removed() {
        let (_dir, mut store) = testing::store();
        store.add_remote("origin", "/srv/team").unwrap();
        assert!(matches!(
            store.add_remote("origin", "/elsewhere"),
            Err(Error::RemoteExists { .. })
        ));
        assert_eq!(store.remote("origin").unwrap().url, "/srv/team");
        assert_eq!(store.remotes().unwrap().len(), 1);
        store.remove_remote("origin").unwrap();
        assert!(matches!(
            store.remove_remote("origin"),
            Err(Error::UnknownRemote(_))
        ));
    }
}
