//! The PostgreSQL arm of [`Sql`](super::Sql): one session (a client connection with its
//! prepared statements), parameters bound to whatever type the server inferred for them,
//! and the server's errors sorted as SQLite's are.
//!
//! The shared queries are written with SQLite's numbered parameters (`?1`); a session
//! rewrites them to PostgreSQL's (`$1`) once, when it first prepares the statement.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use ::postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use ::postgres::{Client, NoTls, Statement};
use bytes::BytesMut;

use super::{Param, Value};
use crate::store::{Error, Result};

/// Prepared statements a session keeps; past this many (queries built with a varying
/// number of parameters), the cache starts again.
const STATEMENT_CACHE: usize = 512;

/// How long connecting to the server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// One connection to a PostgreSQL store.
pub(crate) struct Session {
    // Boxed: a client is several times the size of an SQLite connection, and sessions sit
    // in enums beside those.
    inner: Box<RefCell<Inner>>,
}

struct Inner {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("postgres::Session")
    }
}

impl Session {
    /// Connects to the database `url` names (`postgres://user:password@host:port/db`).
    pub(crate) fn connect(url: &str) -> Result<Session> {
        let client = config(url)?
            .connect(NoTls)
            .map_err(|e| Error::Unreachable {
                store: crate::store::location::redact(url),
                why: message(&e),
            })?;
        Ok(Session {
            inner: Box::new(RefCell::new(Inner {
                client,
                statements: HashMap::new(),
            })),
        })
    }

    /// The prepared form of `sql`, from the cache or prepared now.
    fn statement(inner: &mut Inner, sql: &str) -> Result<Statement> {
        if let Some(s) = inner.statements.get(sql) {
            return Ok(s.clone());
        }
        if inner.statements.len() >= STATEMENT_CACHE {
            inner.statements.clear();
        }
        let stmt = inner.client.prepare(&translate(sql))?;
        inner.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn execute(&self, sql: &str, args: &[&dyn Param]) -> Result<usize> {
        let mut inner = self.inner.borrow_mut();
        let stmt = Self::statement(&mut inner, sql)?;
        let binds = binds(args);
        let n = inner.client.execute(&stmt, &refs(&binds))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(crate) fn insert(&self, sql: &str, args: &[&dyn Param], key: &str) -> Result<i64> {
        let returning = format!("{sql} RETURNING {key}");
        let rows = self.rows(&returning, args)?;
        let row = rows
            .first()
            .ok_or_else(|| Error::Database(format!("no row from {returning}").into()))?;
        Ok(row.try_get::<_, i64>(0)?)
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.inner.borrow_mut().client.batch_execute(sql)?)
    }

    /// Every row of a query.
    pub(crate) fn rows(&self, sql: &str, args: &[&dyn Param]) -> Result<Vec<::postgres::Row>> {
        let mut inner = self.inner.borrow_mut();
        let stmt = Self::statement(&mut inner, sql)?;
        let binds = binds(args);
        Ok(inner.client.query(&stmt, &refs(&binds))?)
    }
}

/// The client settings a store URL names, with prov's defaults: a connect timeout, the
/// application name, and the password from `PGPASSWORD` when the URL has none.
fn config(url: &str) -> Result<::postgres::Config> {
    let mut config: ::postgres::Config = url.parse().map_err(|e| {
        Error::Database(
            format!(
                "{} is not a PostgreSQL URL prov can use ({e}); write postgres://USER@HOST:PORT/DATABASE",
                crate::store::location::redact(url)
            )
            .into(),
        )
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("prov");
    }
    if config.get_password().is_none()
        && let Some(p) = std::env::var_os("PGPASSWORD")
    {
        config.password(p.to_string_lossy().as_bytes());
    }
    Ok(config)
}

/// Creates the database `url` names, connecting to the server's `postgres` database to
/// do it (as `createdb` does).
pub(crate) fn create_database(url: &str) -> Result<()> {
    let config = config(url)?;
    let Some(name) = config.get_dbname().map(str::to_owned) else {
        return Err(Error::Database(
            "the URL names no database: end it with /DATABASE".into(),
        ));
    };
    let mut admin = config;
    admin.dbname("postgres");
    let mut client = admin.connect(NoTls).map_err(|e| Error::Unreachable {
        store: crate::store::location::redact(url),
        why: message(&e),
    })?;
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    match client.batch_execute(&format!("CREATE DATABASE {quoted}")) {
        Ok(()) => Ok(()),
        // Created by another process in the meantime: the outcome both wanted.
        Err(e) if e.code() == Some(&::postgres::error::SqlState::DUPLICATE_DATABASE) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `?N` parameters become `$N`, outside quoted text and names.
fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

/// A parameter, bound as the type the server inferred for it.
#[derive(Debug)]
struct Bind<'a>(Value<'a>);

fn binds<'a>(args: &'a [&'a dyn Param]) -> Vec<Bind<'a>> {
    args.iter().map(|a| Bind(a.value())).collect()
}

fn refs<'a>(binds: &'a [Bind<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect()
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Bind<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let mismatch = |what: &str| -> BoxError {
            format!("{what} cannot be bound to a parameter of type {ty}").into()
        };
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::FLOAT4 => (i as f32).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => i.to_string().to_sql(ty, out),
                _ => Err(mismatch("an integer")),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                _ => Err(mismatch("a real number")),
            },
            Value::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    t.to_sql(ty, out)
                }
                Type::BYTEA => t.as_bytes().to_sql(ty, out),
                _ => Err(mismatch("text")),
            },
            Value::Blob(b) => match *ty {
                Type::BYTEA => b.to_sql(ty, out),
                _ => Err(mismatch("a blob")),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Column `at` of a row.
pub(super) fn value(row: &::postgres::Row, at: usize) -> Result<Value<'_>> {
    let Some(column) = row.columns().get(at) else {
        return Err(Error::Database(
            format!("no column {at} in a row of {}", row.len()).into(),
        ));
    };
    let ty = column.type_();
    Ok(match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(at)?.map(Value::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(at)?
            .map(|i| Value::Integer(i.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(at)?
            .map(|i| Value::Integer(i.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(at)?
            .map(|b| Value::Integer(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(at)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(at)?
            .map(|f| Value::Real(f.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<&str>>(at)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(at)?.map(Value::Blob),
        _ => {
            return Err(Error::Database(
                format!(
                    "column {} has PostgreSQL type {ty}, which prov does not read (cast it in the query)",
                    column.name()
                )
                .into(),
            ));
        }
    }
    .unwrap_or(Value::Null))
}

/// The server's own words for a failure: message, detail and hint.
fn message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_owned();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            if let Some(h) = db.hint() {
                m.push_str(&format!("; hint: {h}"));
            }
            m
        }
        None => {
            // The client's message, with its cause (a refused connection, a timeout).
            let mut m = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                m.push_str(&format!(": {s}"));
                source = s.source();
            }
            m
        }
    }
}

/// PostgreSQL's failures, sorted as SQLite's are (see `From<rusqlite::Error>`).
impl From<::postgres::Error> for Error {
    fn from(e: ::postgres::Error) -> Self {
        use ::postgres::error::SqlState;
        let text = message(&e);
        match e.code() {
            Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => Error::ReadOnly(text),
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                Error::Busy(text)
            }
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => Error::Conflict(text),
            Some(c) if *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED => {
                Error::Malformed(text)
            }
            _ if e.is_closed() => Error::Database(format!("connection lost: {text}").into()),
            _ => Error::Database(text.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollars_outside_quotes() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND \"?3\" = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND \"?3\" = $12"
        );
    }
}
