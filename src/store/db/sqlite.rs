//! The SQLite arm of [`Sql`](super::Sql): binding parameters, reading columns, cached
//! statements.

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Param, Row, Value};
use crate::store::Result;

/// A parameter as SQLite binds it.
struct Bind<'a>(&'a dyn Param);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0.value() {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn bind<'a>(args: &'a [&'a dyn Param]) -> impl rusqlite::Params + 'a {
    rusqlite::params_from_iter(args.iter().map(|a| Bind(*a)))
}

/// Column `at` of a row.
pub(super) fn value<'r>(row: &'r rusqlite::Row<'_>, at: usize) -> Result<Value<'r>> {
    Ok(match row.get_ref(at)? {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        // Text that is not UTF-8 reads as a blob, which no text column accepts: a
        // corrupt row.
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(t) => Value::Text(t),
            Err(_) => Value::Blob(t),
        },
        ValueRef::Blob(b) => Value::Blob(b),
    })
}

pub(super) fn execute(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[&dyn Param],
) -> Result<usize> {
    Ok(conn.prepare_cached(sql)?.execute(bind(args))?)
}

pub(super) fn each(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[&dyn Param],
    f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(bind(args))?;
    while let Some(row) = rows.next()? {
        f(&Row::Sqlite(row))?;
    }
    Ok(())
}

pub(super) fn first<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[&dyn Param],
    f: impl FnOnce(&Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(bind(args))?;
    match rows.next()? {
        Some(row) => Ok(Some(f(&Row::Sqlite(row))?)),
        None => Ok(None),
    }
}
