//! Applies the numbered migrations in `schema/` in order, tracking progress in
//! `PRAGMA user_version` (cargo's `util/sqlite.rs` does the same); a PostgreSQL store's
//! come from `schema/postgres/`, numbered alike, with the version in `prov_schema`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::db::postgres::Session;
use super::db::{Sql, args};
use super::{Error, Result};

/// Every migration, in order. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../../schema/0001_init.sql"),
    include_str!("../../schema/0002_quotes.sql"),
    include_str!("../../schema/0003_index.sql"),
    include_str!("../../schema/0004_web.sql"),
    include_str!("../../schema/0005_publications.sql"),
    include_str!("../../schema/0006_shingles.sql"),
    include_str!("../../schema/0007_quote_groups.sql"),
    include_str!("../../schema/0008_words.sql"),
    include_str!("../../schema/0009_remotes.sql"),
    include_str!("../../schema/0010_writes.sql"),
    include_str!("../../schema/0011_corrections.sql"),
    include_str!("../../schema/0012_fetch_versions.sql"),
    include_str!("../../schema/0013_quote_id_index.sql"),
    include_str!("../../schema/0014_repairs.sql"),
];

/// Data conversions SQL cannot do well, run right after the migration they are numbered
/// with, in the same transaction.
const CODE_STEPS: &[(usize, CodeStep)] = &[(7, groups_from_pairs)];

/// A data conversion run inside a migration's transaction.
type CodeStep = fn(&rusqlite::Transaction<'_>) -> Result<()>;

/// Migration 7: recorded pairs of matching quotations become groups (connected components,
/// founded by their lowest row), and the pair table goes.
fn groups_from_pairs(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let pairs: Vec<(i64, i64, String, f64)> = tx
        .prepare("SELECT qid, other, verdict, similarity FROM quote_matches ORDER BY qid, other")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut parent: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    fn root(parent: &mut std::collections::HashMap<i64, i64>, q: i64) -> i64 {
        let mut r = q;
        while let Some(&p) = parent.get(&r) {
            if p == r {
                break;
            }
            r = p;
        }
        // Path compression keeps later lookups short.
        let mut x = q;
        while let Some(&p) = parent.get(&x) {
            if p == r {
                break;
            }
            parent.insert(x, r);
            x = p;
        }
        r
    }
    for &(a, b, ..) in &pairs {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    // A member's verdict is its best recorded match with an earlier quotation.
    let mut best: std::collections::HashMap<i64, (String, f64)> = std::collections::HashMap::new();
    for (a, _, verdict, similarity) in pairs {
        match best.get(&a) {
            Some((_, s)) if *s >= similarity => {}
            _ => {
                best.insert(a, (verdict, similarity));
            }
        }
    }
    let members: Vec<i64> = parent.keys().copied().collect();
    let mut group = tx.prepare("INSERT OR IGNORE INTO quote_groups (id) VALUES (?1)")?;
    let mut set = tx.prepare(
        "UPDATE quotes SET grp = ?2, grp_verdict = ?3, grp_similarity = ?4 WHERE qid = ?1",
    )?;
    for q in members {
        let r = root(&mut parent, q);
        group.execute([r])?;
        let (verdict, similarity) = match best.get(&q) {
            Some((v, s)) if q != r => (Some(v.as_str()), Some(*s)),
            _ => (None, None),
        };
        set.execute(rusqlite::params![q, r, verdict, similarity])?;
    }
    tx.execute_batch("DROP TABLE quote_matches;")?;
    Ok(())
}

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// A PostgreSQL store's migrations, by the version each brings the store to. Append
/// only, numbered as the SQLite ones (see `schema/postgres/0009_baseline.sql`).
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (9, include_str!("../../schema/postgres/0009_baseline.sql")),
    (10, include_str!("../../schema/postgres/0010_writes.sql")),
    (
        11,
        include_str!("../../schema/postgres/0011_corrections.sql"),
    ),
    (
        12,
        include_str!("../../schema/postgres/0012_fetch_versions.sql"),
    ),
    (
        13,
        include_str!("../../schema/postgres/0013_quote_id_index.sql"),
    ),
    (14, include_str!("../../schema/postgres/0014_repairs.sql")),
];

/// The advisory lock two processes opening one PostgreSQL store take before migrating.
const MIGRATION_LOCK: i64 = 0x7072_6f76_4d49; // "provMI"

/// The schema version of the prov store the PostgreSQL database holds; `None` when it
/// holds none (0 for a store whose first migration was interrupted).
pub(super) fn postgres_store_version(session: &Session) -> Result<Option<i64>> {
    let db = Sql::Postgres(session);
    let exists: bool = db.query_one(
        "SELECT to_regclass('prov_schema') IS NOT NULL",
        args![],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    let version: Option<i64> =
        db.query_opt("SELECT version FROM prov_schema", args![], |r| r.get(0))?;
    Ok(Some(version.unwrap_or(0)))
}

/// Brings a PostgreSQL store's tables to [`LATEST`], creating them in an empty database.
pub(super) fn apply_postgres(session: &Session, url: &str) -> Result<()> {
    let db = Sql::Postgres(session);
    debug_assert_eq!(POSTGRES_MIGRATIONS.last().map(|m| m.0), Some(LATEST));
    db.batch("BEGIN")?;
    let outcome = (|| {
        db.execute("SELECT pg_advisory_xact_lock(?1)", args![MIGRATION_LOCK])?;
        db.batch("CREATE TABLE IF NOT EXISTS prov_schema (version BIGINT NOT NULL)")?;
        let current: Option<i64> =
            db.query_opt("SELECT version FROM prov_schema", args![], |r| r.get(0))?;
        let current = current.unwrap_or(0);
        if current > LATEST {
            return Err(Error::TooNew {
                path: super::location::redact(url).into(),
                found: current,
                supported: LATEST,
            });
        }
        for (version, sql) in POSTGRES_MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            db.batch(sql)?;
            db.execute("DELETE FROM prov_schema", args![])?;
            db.execute(
                "INSERT INTO prov_schema (version) VALUES (?1)",
                args![version],
            )?;
        }
        Ok(())
    })();
    match outcome {
        Ok(()) => db.batch("COMMIT"),
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            Err(e)
        }
    }
}

pub(super) fn apply(conn: &mut Connection, db: &Path) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current == LATEST {
        return Ok(());
    }
    // A migration that rebuilds a table drops the old one, which with foreign keys on
    // would delete every row referring to it (SQLite's documented way to change a table:
    // foreign keys off around the transaction). `prov fsck` checks the references.
    conn.pragma_update(None, "foreign_keys", false)?;
    let outcome = migrate(conn, db);
    conn.pragma_update(None, "foreign_keys", true)?;
    outcome
}

fn migrate(conn: &mut Connection, db: &Path) -> Result<()> {
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
        if let Some((_, step)) = CODE_STEPS.iter().find(|(at, _)| *at == i + 1) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_of_older_stores_become_publications() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        conn.execute_batch(&format!(
            "INSERT INTO documents (id, size, encoding, added_at, outlet, published) \
               VALUES ('{a}', 1, 'utf-8', '2026-01-01T00:00:00Z', 'X', '2020-05-06'); \
             INSERT INTO documents (id, size, encoding, added_at) \
               VALUES ('{b}', 1, 'utf-8', '2026-01-02T00:00:00Z'); \
             INSERT INTO sources (kind, locator) VALUES ('path', 'one.txt'), ('path', 'two.txt'); \
             INSERT INTO versions VALUES (1, 1, '{a}', '2026-01-01T00:00:00Z'); \
             INSERT INTO versions VALUES (2, 1, '{a}', '2026-01-03T00:00:00Z');"
        ))
        .unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        let rows: Vec<(i64, Option<String>, Option<String>, String)> = conn
            .prepare("SELECT doc, locator, outlet, recorded_at FROM publications ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    1,
                    Some("one.txt".into()),
                    Some("X".into()),
                    "2026-01-01T00:00:00Z".into()
                ),
                (
                    1,
                    Some("two.txt".into()),
                    Some("X".into()),
                    "2026-01-03T00:00:00Z".into()
                ),
                (2, None, None, "2026-01-02T00:00:00Z".into()),
            ]
        );
    }

    #[test]
    fn recorded_pairs_of_older_stores_become_groups() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        let id = "a".repeat(64);
        conn.execute(
            "INSERT INTO documents (id, size, encoding, added_at) VALUES (?1, 1, 'utf-8', 'x')",
            [&id],
        )
        .unwrap();
        for q in 1..=5i64 {
            conn.execute(
                "INSERT INTO quotes (qid, id, doc, ord, start, \"end\", text, kind, utterance, \
                 confidence) VALUES (?1, randomblob(32), 1, ?1, 0, 1, 't', 'direct', 0, 1.0)",
                [q],
            )
            .unwrap();
        }
        // 1-2-3 are one quotation (3 through 2), 4-5 another.
        conn.execute_batch(
            "INSERT INTO quote_matches VALUES (2, 1, 'exact', 1.0), (3, 2, 'altered', 0.8), \
             (5, 4, 'normalized', 1.0);",
        )
        .unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        let rows: Vec<(i64, Option<i64>, Option<String>)> = conn
            .prepare("SELECT qid, grp, grp_verdict FROM quotes ORDER BY qid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (1, Some(1), None),
                (2, Some(1), Some("exact".into())),
                (3, Some(1), Some("altered".into())),
                (4, Some(4), None),
                (5, Some(4), Some("normalized".into())),
            ]
        );
    }

    #[test]
    fn quotation_ids_leave_the_unique_index_and_keep_every_row_referring_to_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for sql in &MIGRATIONS[..12] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 12).unwrap();
        let id = "a".repeat(64);
        conn.execute(
            "INSERT INTO documents (id, size, encoding, added_at) VALUES (?1, 1, 'utf-8', 'x')",
            [&id],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO speakers (id, name, surname, words) VALUES (1, 'Ann Lee', 'Lee', 2); \
             INSERT INTO quote_groups (id) VALUES (1); \
             INSERT INTO quotes (qid, id, doc, ord, start, \"end\", text, kind, utterance, \
               mention, speaker_id, confidence, grp, grp_verdict, grp_similarity) VALUES \
               (1, x'0101010101010101010101010101010101010101010101010101010101010101', 1, 0, \
                0, 4, 'one', 'direct', 0, 'Lee', 1, 0.9, 1, NULL, NULL), \
               (2, x'0202020202020202020202020202020202020202020202020202020202020202', 1, 1, \
                9, 12, 'two', 'partial', 1, NULL, NULL, 0.5, 1, 'exact', 1.0); \
             INSERT INTO quote_grams (gram, qid) VALUES (7, 1), (7, 2), (8, 2);",
        )
        .unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        type Row = (i64, String, Option<i64>, Option<i64>, Option<String>);
        let rows: Vec<Row> = conn
            .prepare("SELECT qid, text, speaker_id, grp, grp_verdict FROM quotes ORDER BY qid")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (1, "one".into(), Some(1), Some(1), None),
                (2, "two".into(), None, Some(1), Some("exact".into())),
            ]
        );
        // Dropping the old table deleted nothing that refers to it.
        let grams: i64 = conn
            .query_row("SELECT count(*) FROM quote_grams", [], |r| r.get(0))
            .unwrap();
        assert_eq!(grams, 3);
        let waiting: Vec<i64> = conn
            .prepare("SELECT qid FROM quote_ids_pending ORDER BY qid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(waiting, [1, 2]);
        // One unique index left on the table, (doc, ord); the id is no longer one.
        let unique: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_index_list('quotes') WHERE \"unique\" = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unique, 1);
        let fk: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are on again after migrating");
        // A quotation deleted now still takes its grams with it.
        conn.execute("DELETE FROM quotes WHERE qid = 2", [])
            .unwrap();
        let grams: i64 = conn
            .query_row("SELECT count(*) FROM quote_grams", [], |r| r.get(0))
            .unwrap();
        assert_eq!(grams, 1);
    }

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
