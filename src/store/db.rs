//! The store's tables, reached through an interface of the store's own: SQL text with
//! numbered parameters (`?1`), values and rows in types of this module, and every
//! statement prepared once and cached. The store's modules write their queries once over
//! [`Sql`], so a second database engine needs only a second arm here (and its own
//! migrations), not a second copy of every query.
//!
//! What SQLite and PostgreSQL spell differently is kept out of the shared queries: an
//! insert whose new key is needed goes through [`Sql::insert`], which names the key
//! column; nulls are compared with `IS` only through [`Sql::same`]; case-insensitive
//! equality is `lower(a) = lower(b)`.

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Error, Result};

/// A value bound to a statement's parameter.
pub(crate) enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Something that can be bound to a parameter.
pub(crate) trait Param {
    fn value(&self) -> Value<'_>;
}

macro_rules! integer_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                Value::Integer(i64::from(*self))
            }
        }
    )*};
}
integer_param!(i64, i32, u32, u16, u8, bool);

impl Param for usize {
    fn value(&self) -> Value<'_> {
        Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for u64 {
    fn value(&self) -> Value<'_> {
        Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl Param for f32 {
    fn value(&self) -> Value<'_> {
        Value::Real(f64::from(*self))
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

/// The parameters of one statement, in order: `args![a, b]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => {
        &[$(&$v as &dyn $crate::store::db::Param),*]
    };
}
pub(crate) use args;

/// A column's value read as a Rust type.
pub(crate) trait Column: Sized {
    /// `None` when the stored value is not of this type.
    fn read(v: ValueRef<'_>) -> Option<Self>;
}

impl Column for i64 {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(i) => Some(i),
            _ => None,
        }
    }
}

impl Column for f64 {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Real(f) => Some(f),
            ValueRef::Integer(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl Column for bool {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        i64::read(v).map(|i| i != 0)
    }
}

impl Column for String {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().map(str::to_owned),
            _ => None,
        }
    }
}

impl Column for Vec<u8> {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}

impl<T: Column> Column for Option<T> {
    fn read(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Null => Some(None),
            v => T::read(v).map(Some),
        }
    }
}

/// One row of a query's result.
pub(crate) struct Row<'r> {
    row: &'r rusqlite::Row<'r>,
}

impl Row<'_> {
    /// Column `at` as a `T`; a value of another type is a corrupt row.
    pub(crate) fn get<T: Column>(&self, at: usize) -> Result<T> {
        let v = self.row.get_ref(at)?;
        let kind = v.data_type();
        T::read(v).ok_or_else(|| {
            Error::CorruptRow(format!(
                "column {at} holds {kind}, not the {} it should",
                std::any::type_name::<T>()
            ))
        })
    }

    /// A column holding a stored name (a format, a kind), parsed by `parse`. A name
    /// `parse` does not know is a corrupt row, never a guess: the schema's checks should
    /// make it impossible, so one means the row was damaged.
    pub(crate) fn named<T>(&self, at: usize, parse: fn(&str) -> Option<T>) -> Result<T> {
        let name: String = self.get(at)?;
        parse(&name).ok_or_else(|| {
            Error::CorruptRow(format!("column {at} holds the unknown value {name:?}"))
        })
    }

    /// Whether column `at` is NULL.
    pub(crate) fn is_null(&self, at: usize) -> Result<bool> {
        Ok(matches!(self.row.get_ref(at)?, ValueRef::Null))
    }
}

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

/// A connection or an open transaction, for running statements.
#[derive(Clone, Copy)]
pub(crate) struct Sql<'c> {
    conn: &'c rusqlite::Connection,
}

impl<'c> Sql<'c> {
    pub(super) fn new(conn: &'c rusqlite::Connection) -> Self {
        Sql { conn }
    }

    /// Runs a statement; returns how many rows it changed.
    pub(crate) fn execute(self, sql: &str, args: &[&dyn Param]) -> Result<usize> {
        Ok(self.conn.prepare_cached(sql)?.execute(bind(args))?)
    }

    /// Runs an `INSERT` of one row and returns the new row's `key` (an integer primary
    /// key the database assigns). SQLite reads it back as the connection's last insert
    /// id: a `RETURNING` clause costs SQLite a temporary table per insert, which made
    /// adding documents 10-20% slower.
    pub(crate) fn insert(self, sql: &str, args: &[&dyn Param], key: &str) -> Result<i64> {
        debug_assert!(!key.is_empty());
        self.execute(sql, args)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Runs statements separated by `;`, without parameters.
    pub(crate) fn batch(self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// Every row of a query, each turned into a `T` by `f`.
    pub(crate) fn query<T>(
        self,
        sql: &str,
        args: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, args, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` with each row of a query in turn, holding none of them after.
    pub(crate) fn each(
        self,
        sql: &str,
        args: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(bind(args))?;
        while let Some(row) = rows.next()? {
            f(&Row { row })?;
        }
        Ok(())
    }

    /// The first row of a query, if it has one.
    pub(crate) fn query_opt<T>(
        self,
        sql: &str,
        args: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(bind(args))?;
        match rows.next()? {
            Some(row) => Ok(Some(f(&Row { row })?)),
            None => Ok(None),
        }
    }

    /// The first row of a query that always returns one (an aggregate, an insert's
    /// `RETURNING`).
    pub(crate) fn query_one<T>(
        self,
        sql: &str,
        args: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, args, f)?
            .ok_or_else(|| Error::Database(format!("no row from {sql}").into()))
    }

    /// SQL that is true when `column` equals parameter `param`, nulls equal to nulls.
    pub(crate) fn same(self, column: &str, param: usize) -> String {
        format!("{column} IS ?{param}")
    }
}
