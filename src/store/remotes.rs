//! Other stores this one pushes to and pulls from, by name.

use rusqlite::{OptionalExtension, params};

use super::{Error, Result, Store};

/// A named remote store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Remote {
    pub name: String,
    /// A store directory (absolute) or a database URL.
    pub url: String,
}

impl Store {
    /// Every remote, by name.
    pub fn remotes(&self) -> Result<Vec<Remote>> {
        let rows = self
            .conn()
            .prepare("SELECT name, url FROM remotes ORDER BY name")?
            .query_map([], |r| {
                Ok(Remote {
                    name: r.get(0)?,
                    url: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The remote named `name`.
    pub fn remote(&self, name: &str) -> Result<Remote> {
        self.conn()
            .query_row(
                "SELECT name, url FROM remotes WHERE name = ?1",
                [name],
                |r| {
                    Ok(Remote {
                        name: r.get(0)?,
                        url: r.get(1)?,
                    })
                },
            )
            .optional()?
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
        self.write_sql(|tx| -> Result<()> {
            tx.execute(
                "INSERT INTO remotes (name, url) VALUES (?1, ?2)",
                params![name, url],
            )?;
            Ok(())
        })
    }

    /// Forgets the remote `name` (the store it names is not touched).
    pub fn remove_remote(&mut self, name: &str) -> Result<()> {
        let removed = self.write_sql(|tx| -> Result<usize> {
            Ok(tx.execute("DELETE FROM remotes WHERE name = ?1", [name])?)
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
