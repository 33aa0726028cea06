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
//!
//! The SQLite arm is [`sqlite`], the PostgreSQL arm [`postgres`]; nothing outside this
//! module names either engine's types.

pub(crate) mod postgres;
mod sqlite;

use crate::store::{Error, Result};

/// A value bound to a statement's parameter, or read from a row's column.
#[derive(Debug, Clone, Copy)]
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
    fn read(v: Value<'_>) -> Option<Self>;
}

impl Column for i64 {
    fn read(v: Value<'_>) -> Option<Self> {
        match v {
            Value::Integer(i) => Some(i),
            _ => None,
        }
    }
}

impl Column for f64 {
    fn read(v: Value<'_>) -> Option<Self> {
        match v {
            Value::Real(f) => Some(f),
            Value::Integer(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl Column for bool {
    fn read(v: Value<'_>) -> Option<Self> {
        i64::read(v).map(|i| i != 0)
    }
}

impl Column for String {
    fn read(v: Value<'_>) -> Option<Self> {
        match v {
            Value::Text(t) => Some(t.to_owned()),
            _ => None,
        }
    }
}

impl Column for Vec<u8> {
    fn read(v: Value<'_>) -> Option<Self> {
        match v {
            Value::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}

impl<T: Column> Column for Option<T> {
    fn read(v: Value<'_>) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::read(v).map(Some),
        }
    }
}

impl Value<'_> {
    /// The kind of value, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Integer(_) => "an integer",
            Value::Real(_) => "a real",
            Value::Text(_) => "text",
            Value::Blob(_) => "a blob",
        }
    }
}

/// One row of a query's result.
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl Row<'_> {
    /// Column `at` as the engine gives it.
    fn value(&self, at: usize) -> Result<Value<'_>> {
        match self {
            Row::Sqlite(r) => sqlite::value(r, at),
            Row::Postgres(r) => postgres::value(r, at),
        }
    }

    /// Column `at` as a `T`; a value of another type is a corrupt row.
    pub(crate) fn get<T: Column>(&self, at: usize) -> Result<T> {
        let v = self.value(at)?;
        T::read(v).ok_or_else(|| {
            Error::CorruptRow(format!(
                "column {at} holds {}, not the {} it should",
                v.kind(),
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
        Ok(matches!(self.value(at)?, Value::Null))
    }
}

/// The most rows one statement of [`Sql::insert_many`] inserts.
const MANY_ROWS: usize = 256;

/// `(?1, ?2), (?3, ?4)`: `rows` rows of `width` numbered parameters.
pub(crate) fn placeholders(rows: usize, width: usize) -> String {
    let mut out = String::with_capacity(rows * width * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('?');
            out.push_str(&(r * width + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// `(CAST(?1 AS ty)), (CAST(?2 AS ty))`: a one-column `VALUES` list of `rows` parameters,
/// typed so that PostgreSQL compares them with the columns they are joined to.
pub(crate) fn typed_values(rows: usize, ty: &str) -> String {
    (1..=rows)
        .map(|i| format!("(CAST(?{i} AS {ty}))"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `(CAST(?1 AS T1), CAST(?2 AS T2), …), (…)`: `rows` rows of one typed value per column,
/// for a `VALUES` list PostgreSQL cannot infer the column types of.
pub(crate) fn typed_rows(rows: usize, types: &[&str]) -> String {
    let mut out = String::with_capacity(rows * types.len() * 24);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for (c, ty) in types.iter().enumerate() {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("CAST(?{} AS {ty})", r * types.len() + c + 1));
        }
        out.push(')');
    }
    out
}

/// How many of `remaining` (at least 1) rows the next chunk takes: the largest power of
/// two that fits, at most [`MANY_ROWS`].
fn chunk_len(remaining: usize) -> usize {
    MANY_ROWS.min(1 << remaining.ilog2())
}

/// Runs `f` on `items` in chunks of at most [`MANY_ROWS`] whose sizes are powers of two,
/// for statements built per chunk size (so that few are ever prepared).
pub(crate) fn chunked<T>(
    items: &[T],
    mut f: impl FnMut(&[T]) -> crate::store::Result<()>,
) -> crate::store::Result<()> {
    let mut rest = items;
    while !rest.is_empty() {
        let n = chunk_len(rest.len());
        let (chunk, next) = rest.split_at(n);
        f(chunk)?;
        rest = next;
    }
    Ok(())
}

/// On PostgreSQL, looks each of `keys` up by `select`, a query over one key that names it
/// `k.column1` (cast to `ty`) and takes `extra` as `?1`, `?2`…: one statement per chunk of
/// keys, joined as a `VALUES` list so that each is an index lookup whatever the planner
/// thinks of the table's size. `f` gets the rows `select` returns, its columns in order.
pub(crate) fn each_lateral<K: Param>(
    db: Sql<'_>,
    keys: &[K],
    ty: &str,
    select: &str,
    extra: &[&dyn Param],
    mut f: impl FnMut(&Row<'_>) -> crate::store::Result<()>,
) -> crate::store::Result<()> {
    chunked(keys, |chunk| {
        let values = (1..=chunk.len())
            .map(|i| format!("(CAST(?{} AS {ty}))", i + extra.len()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT l.* FROM (VALUES {values}) AS k CROSS JOIN LATERAL ({select}) l");
        let mut params: Vec<&dyn Param> = extra.to_vec();
        params.extend(chunk.iter().map(|k| k as &dyn Param));
        db.each(&sql, &params, &mut f)
    })
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection or an open transaction, for running statements.
#[derive(Clone, Copy)]
pub(crate) enum Sql<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c postgres::Session),
}

impl<'c> Sql<'c> {
    pub(crate) fn engine(self) -> Engine {
        match self {
            Sql::Sqlite(_) => Engine::Sqlite,
            Sql::Postgres(_) => Engine::Postgres,
        }
    }

    /// Runs a statement; returns how many rows it changed.
    pub(crate) fn execute(self, sql: &str, args: &[&dyn Param]) -> Result<usize> {
        match self {
            Sql::Sqlite(c) => sqlite::execute(c, sql, args),
            Sql::Postgres(s) => s.execute(sql, args),
        }
    }

    /// Runs an `INSERT` of one row and returns the new row's `key` (an integer primary
    /// key the database assigns). SQLite reads it back as the connection's last insert
    /// id: a `RETURNING` clause costs SQLite a temporary table per insert, which made
    /// adding documents 10-20% slower. PostgreSQL returns it.
    pub(crate) fn insert(self, sql: &str, args: &[&dyn Param], key: &str) -> Result<i64> {
        debug_assert!(!key.is_empty());
        match self {
            Sql::Sqlite(c) => {
                sqlite::execute(c, sql, args)?;
                Ok(c.last_insert_rowid())
            }
            Sql::Postgres(s) => s.insert(sql, args, key),
        }
    }

    /// Inserts rows of `width` values each (`values`, row after row) with as few
    /// statements as it can: `INSERT INTO {into} VALUES (…), (…) {suffix}`, in chunks of
    /// at most [`MANY_ROWS`] rows whose sizes are powers of two, so that only a handful of
    /// statements are ever prepared. On PostgreSQL each statement is a round trip to the
    /// server, which one row at a time made most of an add's time.
    pub(crate) fn insert_many(
        self,
        into: &str,
        width: usize,
        values: &[&dyn Param],
        suffix: &str,
    ) -> Result<usize> {
        debug_assert!(width > 0 && values.len().is_multiple_of(width));
        let mut rows = values.len() / width;
        let mut at = 0;
        let mut changed = 0;
        while rows > 0 {
            let chunk = chunk_len(rows);
            let sql = format!(
                "INSERT INTO {into} VALUES {} {suffix}",
                placeholders(chunk, width)
            );
            changed += self.execute(&sql, &values[at..at + chunk * width])?;
            at += chunk * width;
            rows -= chunk;
        }
        Ok(changed)
    }

    /// Runs statements separated by `;`, without parameters.
    pub(crate) fn batch(self, sql: &str) -> Result<()> {
        match self {
            Sql::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Sql::Postgres(s) => s.batch(sql),
        }
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

    /// Calls `f` with each row of a query in turn.
    pub(crate) fn each(
        self,
        sql: &str,
        args: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match self {
            Sql::Sqlite(c) => sqlite::each(c, sql, args, &mut f),
            Sql::Postgres(s) => {
                // The rows are read whole before `f` runs, so `f` may query the same
                // session.
                for row in s.rows(sql, args)? {
                    f(&Row::Postgres(&row))?;
                }
                Ok(())
            }
        }
    }

    /// The first row of a query, if it has one.
    pub(crate) fn query_opt<T>(
        self,
        sql: &str,
        args: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        match self {
            Sql::Sqlite(c) => sqlite::first(c, sql, args, f),
            Sql::Postgres(s) => match s.rows(sql, args)?.first() {
                Some(row) => Ok(Some(f(&Row::Postgres(row))?)),
                None => Ok(None),
            },
        }
    }

    /// The first row of a query that always returns one (an aggregate).
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
        match self {
            Sql::Sqlite(_) => format!("{column} IS ?{param}"),
            Sql::Postgres(_) => format!("{column} IS NOT DISTINCT FROM ?{param}"),
        }
    }

    /// SQL for the smaller (`least`) or larger of two values.
    pub(crate) fn least(self, a: &str, b: &str) -> String {
        match self {
            Sql::Sqlite(_) => format!("min({a}, {b})"),
            Sql::Postgres(_) => format!("LEAST({a}, {b})"),
        }
    }

    /// SQL for the larger of two values.
    pub(crate) fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Sql::Sqlite(_) => format!("max({a}, {b})"),
            Sql::Postgres(_) => format!("GREATEST({a}, {b})"),
        }
    }

    /// SQL for a blob column as lower-case hex text.
    pub(crate) fn hex(self, column: &str) -> String {
        match self {
            Sql::Sqlite(_) => format!("lower(hex({column}))"),
            Sql::Postgres(_) => format!("encode({column}, 'hex')"),
        }
    }
}
