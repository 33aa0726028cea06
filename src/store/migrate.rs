//! Applies the numbered migrations in `schema/` in order, tracking progress in
//! `PRAGMA user_version` (cargo's `util/sqlite.rs` does the same).

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{Error, Result};

/// Every migration, in order. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../../schema/0001_init.sql"),
    include_str!("../../schema/0002_quotes.sql"),
    include_str!("../../schema/0003_index.sql"),
    include_str!("../../schema/0004_web.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn apply(conn: &mut Connection, db: &Path) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current == LATEST {
        return Ok(());
    }
    // Immediate: two processes opening an old store at once must not both migrate it.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > LATEST {
        return Err(Error::TooNew {
            path: db.to_path_buf(),
            found: current,
            supported: LATEST,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_refuse_newer_stores() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST);
        conn.pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        assert!(matches!(
            apply(&mut conn, Path::new(":memory:")),
            Err(Error::TooNew { .. })
        ));
    }
}
