//! Rows about documents: their metadata, the sources they are versions of, and the
//! working-tree paths they were added from.

use serde::Serialize;

use super::corrections::live;
use super::db::{Row, Sql, args};
use super::quotes;
use super::{Error, Result, Store, Tx};
use crate::model::{
    DocFormat, DocId, FetchRecord, Metadata, Publication, RecordedBy, SourceKind, SourceRef,
    normalize_prefix,
};

/// A stored document's row.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: DocId,
    pub size: u64,
    pub encoding: String,
    pub added_at: String,
    #[serde(flatten)]
    pub meta: Metadata,
    pub format: DocFormat,
    /// The object holding the article text of an HTML document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_id: Option<DocId>,
    /// The URL the page names as its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Every publication of these bytes, earliest first (see [`Publication`]). The document's
    /// `published`, `outlet` and `url` are those of the first.
    pub publications: Vec<Publication>,
    /// The document's row number in the store.
    #[serde(skip)]
    pub seq: i64,
}

/// How a new document's text relates to its bytes.
#[derive(Debug, Clone)]
pub struct DocForm {
    pub format: DocFormat,
    /// For HTML: the object holding the article text.
    pub text_id: Option<DocId>,
    pub canonical: Option<String>,
}

impl Default for DocForm {
    fn default() -> Self {
        DocForm {
            format: DocFormat::Text,
            text_id: None,
            canonical: None,
        }
    }
}

/// Publication order: dated publications by date, then undated ones in the order they
/// were recorded.
pub(crate) const FIRST: &str = "published IS NULL, published, id";

const PUBLICATION_COLUMNS: &str =
    "source_kind, locator, outlet, published, author, title, url, recorded_at, recorded_by";

fn publication_from_row(r: &Row<'_>, at: usize) -> Result<Publication> {
    let kind: Option<SourceKind> = if r.is_null(at)? {
        None
    } else {
        Some(r.named(at, SourceKind::parse)?)
    };
    let locator: Option<String> = r.get(at + 1)?;
    Ok(Publication {
        source: kind
            .zip(locator)
            .map(|(kind, locator)| SourceRef { kind, locator }),
        outlet: r.get(at + 2)?,
        published: r.get(at + 3)?,
        author: r.get(at + 4)?,
        title: r.get(at + 5)?,
        url: r.get(at + 6)?,
        recorded_at: r.get(at + 7)?,
        recorded_by: r.named(at + 8, RecordedBy::parse)?,
    })
}

/// One version of a source.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub seq: u32,
    pub doc: DocId,
    pub added_at: String,
}

/// A document's place in one source's history.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    pub source: SourceRef,
    pub seq: u32,
    pub versions: Vec<Version>,
}

const DOC_COLUMNS: &str = "id, size, encoding, added_at, title, outlet, url, published, \
                           author, lang, interviewer, interviewee, speakers, format, text_id, \
                           canonical, modified";

fn doc_from_row(row: &Row<'_>) -> Result<(String, Document)> {
    let hex: String = row.get(0)?;
    let speakers: Option<String> = row.get(12)?;
    let doc = Document {
        id: DocId::of_bytes(b""), // replaced by the caller once the hex is checked
        size: row.get::<i64>(1)?.max(0) as u64,
        encoding: row.get(2)?,
        added_at: row.get(3)?,
        meta: Metadata {
            title: row.get(4)?,
            outlet: row.get(5)?,
            url: row.get(6)?,
            published: row.get(7)?,
            author: row.get(8)?,
            lang: row.get(9)?,
            interviewer: row.get(10)?,
            interviewee: row.get(11)?,
            modified: row.get(16)?,
            speakers: speakers
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
        },
        format: row.named(13, DocFormat::parse)?,
        text_id: row
            .get::<Option<String>>(14)?
            .and_then(|h| DocId::from_hex(&h)),
        canonical: row.get(15)?,
        publications: Vec::new(),
        seq: row.get(17)?,
    };
    Ok((hex, doc))
}

pub(crate) fn parse_id(hex: &str) -> Result<DocId> {
    DocId::from_hex(hex).ok_or_else(|| Error::CorruptRow(format!("bad document id {hex:?}")))
}

fn finish((hex, mut doc): (String, Document)) -> Result<Document> {
    doc.id = parse_id(&hex)?;
    Ok(doc)
}

impl Store {
    /// Resolves a full id or a unique prefix of at least four hex characters.
    pub fn resolve(&self, prefix: &str) -> Result<DocId> {
        let p = normalize_prefix(prefix.trim()).ok_or_else(|| Error::BadId(prefix.to_owned()))?;
        // Ids are lowercase hex, so every id starting with `p` sorts in [p, p + "g").
        let upper = format!("{p}g");
        let ids: Vec<String> = self.db().query(
            "SELECT id FROM documents WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 10",
            args![p, upper],
            |r| r.get(0),
        )?;
        match ids.as_slice() {
            [] => Err(Error::UnknownDocument(prefix.to_owned())),
            [one] => parse_id(one),
            many => Err(Error::Ambiguous {
                prefix: p,
                candidates: many.iter().map(|h| parse_id(h)).collect::<Result<_>>()?,
            }),
        }
    }

    pub fn document(&self, id: &DocId) -> Result<Option<Document>> {
        let sql = format!("SELECT {DOC_COLUMNS}, seq FROM documents WHERE id = ?1");
        let row = self
            .db()
            .query_opt(&sql, args![id.to_hex()], doc_from_row)?;
        let Some(mut doc) = row.map(finish).transpose()? else {
            return Ok(None);
        };
        doc.publications = self.publications_of_row(doc.seq)?;
        Ok(Some(doc))
    }

    /// [`Store::document`] of each of `ids`, in a few statements for all of them (each a
    /// round trip on PostgreSQL).
    pub fn documents(&self, ids: &[DocId]) -> Result<Vec<Option<Document>>> {
        let db = self.db();
        let hexes: Vec<String> = ids.iter().map(DocId::to_hex).collect();
        let mut found: rustc_hash::FxHashMap<DocId, Document> = Default::default();
        super::db::chunked(&hexes, |chunk| {
            let sql = format!(
                "SELECT {DOC_COLUMNS}, seq FROM documents \
                 WHERE id IN (SELECT column1 FROM (VALUES {}) AS k)",
                super::db::typed_values(chunk.len(), "TEXT")
            );
            let values: Vec<&dyn super::db::Param> =
                chunk.iter().map(|h| h as &dyn super::db::Param).collect();
            db.each(&sql, &values, |r| {
                let doc = finish(doc_from_row(r)?)?;
                found.insert(doc.id, doc);
                Ok(())
            })
        })?;
        let seqs: Vec<i64> = found.values().map(|d| d.seq).collect();
        let mut by_seq: rustc_hash::FxHashMap<i64, Vec<Publication>> = Default::default();
        super::db::chunked(&seqs, |chunk| {
            let sql = format!(
                "SELECT doc, {PUBLICATION_COLUMNS} FROM publications \
                 WHERE doc IN (SELECT column1 FROM (VALUES {}) AS k) ORDER BY doc, {FIRST}",
                super::db::typed_values(chunk.len(), "BIGINT")
            );
            let values: Vec<&dyn super::db::Param> =
                chunk.iter().map(|s| s as &dyn super::db::Param).collect();
            db.each(&sql, &values, |r| {
                by_seq
                    .entry(r.get(0)?)
                    .or_default()
                    .push(publication_from_row(r, 1)?);
                Ok(())
            })
        })?;
        Ok(ids
            .iter()
            .map(|id| {
                found.get(id).cloned().map(|mut d| {
                    d.publications = by_seq.get(&d.seq).cloned().unwrap_or_default();
                    d
                })
            })
            .collect())
    }

    /// [`Store::superseded_by`] of each of `ids`, in a few statements for all of them.
    pub fn superseded_by_each(&self, ids: &[DocId]) -> Result<Vec<Option<DocId>>> {
        let db = self.db();
        let hexes: Vec<String> = ids.iter().map(DocId::to_hex).collect();
        // Each document's sources' latest versions, by source.
        let mut latest: rustc_hash::FxHashMap<String, Vec<String>> = Default::default();
        super::db::chunked(&hexes, |chunk| {
            let sql = format!(
                "SELECT v.doc_id, (SELECT l.doc_id FROM versions l WHERE l.source_id = v.source_id \
                         ORDER BY l.seq DESC LIMIT 1) \
                 FROM versions v WHERE v.doc_id IN (SELECT column1 FROM (VALUES {}) AS k) \
                 GROUP BY v.doc_id, v.source_id ORDER BY v.doc_id, v.source_id",
                super::db::typed_values(chunk.len(), "TEXT")
            );
            let values: Vec<&dyn super::db::Param> =
                chunk.iter().map(|h| h as &dyn super::db::Param).collect();
            db.each(&sql, &values, |r| {
                latest.entry(r.get(0)?).or_default().push(r.get(1)?);
                Ok(())
            })
        })?;
        hexes
            .iter()
            .map(|hex| match latest.get(hex) {
                None => Ok(None),
                Some(l) if l.contains(hex) => Ok(None),
                Some(l) => l.first().map(|h| parse_id(h)).transpose(),
            })
            .collect()
    }

    /// The publications of the document at row `seq`, first first.
    pub(crate) fn publications_of_row(&self, seq: i64) -> Result<Vec<Publication>> {
        let sql = format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE doc = ?1 ORDER BY {FIRST}"
        );
        self.db()
            .query(&sql, args![seq], |r| publication_from_row(r, 0))
    }

    /// The highest document row (0 for an empty store): the number of documents unless
    /// some were removed, in one index read.
    pub fn last_document_row(&self) -> Result<i64> {
        self.db().query_one(
            "SELECT coalesce(max(seq), 0) FROM documents",
            args![],
            |r| r.get(0),
        )
    }

    /// Every document's row, in order.
    pub fn document_rows(&self) -> Result<Vec<i64>> {
        self.db()
            .query("SELECT seq FROM documents ORDER BY seq", args![], |r| {
                r.get(0)
            })
    }

    /// The id and article text object of the documents at rows `rows` (rows with no
    /// document are left out).
    pub fn document_ids(&self, rows: &[i64]) -> Result<Vec<(i64, DocId, Option<DocId>)>> {
        let db = self.db();
        let mut found: Vec<(i64, String, Option<String>)> = Vec::with_capacity(rows.len());
        match db.engine() {
            // In process: one cached lookup per row.
            super::Engine::Sqlite => {
                for &seq in rows {
                    let row = db.query_opt(
                        "SELECT id, text_id FROM documents WHERE seq = ?1",
                        args![seq],
                        |r| Ok((seq, r.get(0)?, r.get(1)?)),
                    )?;
                    found.extend(row);
                }
            }
            // Over the network: one statement per chunk of rows, put back in their order.
            super::Engine::Postgres => {
                let mut by_seq: rustc_hash::FxHashMap<i64, (String, Option<String>)> =
                    Default::default();
                super::db::chunked(rows, |chunk| {
                    let sql = format!(
                        "SELECT seq, id, text_id FROM documents \
                         WHERE seq IN (SELECT column1 FROM (VALUES {}) AS k)",
                        super::db::typed_values(chunk.len(), "BIGINT")
                    );
                    let values: Vec<&dyn super::db::Param> =
                        chunk.iter().map(|s| s as &dyn super::db::Param).collect();
                    db.each(&sql, &values, |r| {
                        by_seq.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
                        Ok(())
                    })
                })?;
                for &seq in rows {
                    if let Some((id, text)) = by_seq.get(&seq) {
                        found.push((seq, id.clone(), text.clone()));
                    }
                }
            }
        }
        found
            .into_iter()
            .map(|(seq, id, text)| {
                Ok((seq, parse_id(&id)?, text.map(|t| parse_id(&t)).transpose()?))
            })
            .collect()
    }

    /// [`Store::document_ids`] without the documents `prov rm` took out of the evidence:
    /// what retrieval, verify and trace look at.
    pub fn live_document_ids(&self, rows: &[i64]) -> Result<Vec<(i64, DocId, Option<DocId>)>> {
        let removed = self.removed_rows()?;
        let mut docs = self.document_ids(rows)?;
        if !removed.is_empty() {
            docs.retain(|(seq, ..)| !removed.contains(seq));
        }
        Ok(docs)
    }

    /// The rows of the documents removed from the evidence now.
    pub fn removed_rows(&self) -> Result<rustc_hash::FxHashSet<i64>> {
        let rows: Vec<i64> = self.db().query(
            "SELECT doc FROM removals WHERE restored_at IS NULL",
            args![],
            |r| r.get(0),
        )?;
        Ok(rows.into_iter().collect())
    }

    /// The newer document that replaced `id` as the latest version of its source, when
    /// `id` is the latest version of none of the sources it was recorded under.
    pub fn superseded_by(&self, id: &DocId) -> Result<Option<DocId>> {
        let latest: Vec<String> = self.db().query(
            "SELECT (SELECT l.doc_id FROM versions l WHERE l.source_id = v.source_id \
                     ORDER BY l.seq DESC LIMIT 1) \
             FROM versions v WHERE v.doc_id = ?1 GROUP BY v.source_id ORDER BY v.source_id",
            args![id.to_hex()],
            |r| r.get(0),
        )?;
        let hex = id.to_hex();
        if latest.is_empty() || latest.contains(&hex) {
            return Ok(None);
        }
        latest.first().map(|h| parse_id(h)).transpose()
    }

    /// The row number of stored document `id`.
    pub fn document_row(&self, id: &DocId) -> Result<i64> {
        quotes::doc_seq(self.db(), id)
    }

    /// The publications of a stored document, first first.
    pub fn publications(&self, id: &DocId) -> Result<Vec<Publication>> {
        self.publications_of_row(quotes::doc_seq(self.db(), id)?)
    }

    /// Every document, newest first by first publication date; undated documents last,
    /// newest added first.
    /// Document rows `rows` in the order `prov log` lists them (newest first publication
    /// first, undated last), read from their dates alone; rows with no document are left
    /// out.
    pub fn in_listing_order(&self, rows: &[i64]) -> Result<Vec<i64>> {
        let db = self.db();
        let mut dated: Vec<(Option<String>, i64)> = Vec::with_capacity(rows.len());
        super::db::chunked(rows, |chunk| {
            let sql = format!(
                "SELECT published, seq FROM documents \
                 WHERE seq IN (SELECT column1 FROM (VALUES {}) AS k)",
                super::db::typed_values(chunk.len(), "BIGINT")
            );
            let values: Vec<&dyn super::db::Param> =
                chunk.iter().map(|s| s as &dyn super::db::Param).collect();
            db.each(&sql, &values, |r| {
                dated.push((r.get(0)?, r.get(1)?));
                Ok(())
            })
        })?;
        dated.sort_by(|a, b| {
            (
                a.0.is_none(),
                std::cmp::Reverse(&a.0),
                std::cmp::Reverse(a.1),
            )
                .cmp(&(
                    b.0.is_none(),
                    std::cmp::Reverse(&b.0),
                    std::cmp::Reverse(b.1),
                ))
        });
        Ok(dated.into_iter().map(|(_, seq)| seq).collect())
    }

    /// [`Store::log`] a page at a time: each document is handed to `each`, in the same
    /// order, until it returns false. Only the documents handed out are read with their
    /// publications, so `prov log -n 5` on a large store reads five.
    pub fn log_each(&self, each: &mut dyn FnMut(Document) -> Result<bool>) -> Result<()> {
        let sql = format!(
            "SELECT seq FROM documents WHERE {} \
             ORDER BY published IS NULL, published DESC, seq DESC",
            live("documents.seq")
        );
        let order: Vec<i64> = self.db().query(&sql, args![], |r| r.get(0))?;
        let mut page = 8;
        let mut at = 0;
        while at < order.len() {
            let rows = &order[at..(at + page).min(order.len())];
            at += rows.len();
            page = (page * 4).min(1024);
            let ids: Vec<DocId> = self
                .document_ids(rows)?
                .into_iter()
                .map(|(_, id, _)| id)
                .collect();
            for doc in self.documents(&ids)?.into_iter().flatten() {
                if !each(doc)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    pub fn log(&self) -> Result<Vec<Document>> {
        let sql = format!(
            "SELECT {DOC_COLUMNS}, seq FROM documents WHERE {} \
             ORDER BY published IS NULL, published DESC, seq DESC",
            live("documents.seq")
        );
        let mut docs = self
            .db()
            .query(&sql, args![], |r| finish(doc_from_row(r)?))?;
        let mut by_seq: rustc_hash::FxHashMap<i64, Vec<Publication>> = Default::default();
        let sql =
            format!("SELECT doc, {PUBLICATION_COLUMNS} FROM publications ORDER BY doc, {FIRST}");
        self.db().each(&sql, args![], |r| {
            let seq: i64 = r.get(0)?;
            by_seq
                .entry(seq)
                .or_default()
                .push(publication_from_row(r, 1)?);
            Ok(())
        })?;
        for d in &mut docs {
            d.publications = by_seq.remove(&d.seq).unwrap_or_default();
        }
        Ok(docs)
    }

    /// The document for `url`: the newest version of that source, else a document whose
    /// metadata names it.
    pub fn document_by_url(&self, url: &str) -> Result<Option<DocId>> {
        let newest: Option<String> = self.db().query_opt(
            &format!(
                "SELECT v.doc_id FROM versions v JOIN sources s ON s.id = v.source_id \
                 JOIN documents d ON d.id = v.doc_id \
                 WHERE s.kind = 'url' AND s.locator = ?1 AND {} ORDER BY v.seq DESC LIMIT 1",
                live("d.seq")
            ),
            args![url],
            |r| r.get(0),
        )?;
        let hex = match newest {
            Some(h) => Some(h),
            // A page is also known by where its redirects led and by its canonical URL.
            None => self.db().query_opt(
                &format!(
                    "SELECT id FROM documents d WHERE (url = ?1 OR canonical = ?1) AND {live} \
                     UNION ALL SELECT f.doc_id FROM fetches f JOIN documents d ON d.id = f.doc_id \
                     WHERE f.final_url = ?1 AND {live} LIMIT 1",
                    live = live("d.seq")
                ),
                args![url],
                |r| r.get(0),
            )?,
        };
        hex.map(|h| parse_id(&h)).transpose()
    }

    /// Every URL the store knows a document by (sources, publications, canonical and
    /// final URLs), with the document; a source's versions come last, oldest first, so
    /// the newest is the last listed for its URL.
    pub fn known_urls(&self) -> Result<Vec<(String, DocId)>> {
        let mut out = Vec::new();
        let live = live("d.seq");
        for sql in [
            format!(
                "SELECT url, id FROM documents d WHERE url IS NOT NULL AND {live} \
                 UNION ALL SELECT canonical, id FROM documents d \
                   WHERE canonical IS NOT NULL AND {live} \
                 UNION ALL SELECT p.url, d.id FROM publications p JOIN documents d ON d.seq = p.doc \
                   WHERE p.url IS NOT NULL AND {live} \
                 UNION ALL SELECT f.final_url, f.doc_id FROM fetches f \
                   JOIN documents d ON d.id = f.doc_id WHERE f.final_url IS NOT NULL AND {live}"
            ),
            format!(
                "SELECT s.locator, v.doc_id FROM versions v JOIN sources s ON s.id = v.source_id \
                 JOIN documents d ON d.id = v.doc_id WHERE s.kind = 'url' AND {live} ORDER BY v.seq"
            ),
        ] {
            self.db().each(&sql, args![], |r| {
                let url: String = r.get(0)?;
                let hex: String = r.get(1)?;
                out.push((url, parse_id(&hex)?));
                Ok(())
            })?;
        }
        Ok(out)
    }

    /// Every outlet a publication names.
    pub fn outlets(&self) -> Result<Vec<String>> {
        self.db().query(
            "SELECT DISTINCT outlet FROM publications WHERE outlet IS NOT NULL",
            args![],
            |r| r.get(0),
        )
    }

    pub fn document_count(&self) -> Result<u64> {
        Ok(self
            .db()
            .query_one("SELECT count(*) FROM documents", args![], |r| {
                r.get::<i64>(0)
            })?
            .max(0) as u64)
    }

    /// Finds a source by what a user would type: a URL, or a path (relative to the working
    /// directory or the store root).
    pub fn find_source(&self, what: &str, cwd: &std::path::Path) -> Result<SourceRef> {
        let mut candidates = vec![SourceRef {
            kind: SourceKind::Url,
            locator: what.to_owned(),
        }];
        // A URL as copied from a browser: the address prov recorded for it.
        let recorded = crate::model::source_url(what);
        if recorded != what {
            candidates.push(SourceRef {
                kind: SourceKind::Url,
                locator: recorded,
            });
        }
        for base in [cwd, self.root()] {
            candidates.push(SourceRef {
                kind: SourceKind::Path,
                locator: self.tracked_path(&base.join(what))?,
            });
        }
        for c in candidates {
            if self.source_id(&c)?.is_some() {
                return Ok(c);
            }
        }
        // A file whose sidecar names a URL: that URL is its source.
        if let Some(doc) = self.document_at_path(what, cwd)? {
            let source: Option<(String, String)> = self.db().query_opt(
                "SELECT s.kind, s.locator FROM versions v JOIN sources s ON s.id = v.source_id \
                 WHERE v.doc_id = ?1 ORDER BY s.id LIMIT 1",
                args![doc.to_hex()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if let Some((kind, locator)) = source
                && let Some(kind) = SourceKind::parse(&kind)
            {
                return Ok(SourceRef { kind, locator });
            }
        }
        Err(Error::UnknownSource(what.to_owned()))
    }

    /// The document the file at `what` (relative to the working directory or the store
    /// root) held when it was last added, whatever its source is (a sidecar may name a
    /// URL).
    pub fn document_at_path(&self, what: &str, cwd: &std::path::Path) -> Result<Option<DocId>> {
        for base in [cwd, self.root()] {
            let path = self.tracked_path(&base.join(what))?;
            let hex: Option<String> = self.db().query_opt(
                "SELECT doc_id FROM paths WHERE path = ?1",
                args![path],
                |r| r.get(0),
            )?;
            if let Some(hex) = hex {
                return parse_id(&hex).map(Some);
            }
        }
        Ok(None)
    }

    fn source_id(&self, source: &SourceRef) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT id FROM sources WHERE kind = ?1 AND locator = ?2",
            args![source.kind.as_str(), source.locator],
            |r| r.get(0),
        )
    }

    /// Every source (URL or path) with versions, in the order they were first recorded.
    pub fn sources(&self) -> Result<Vec<SourceRef>> {
        self.db().query(
            "SELECT kind, locator FROM sources ORDER BY id",
            args![],
            |r| {
                Ok(SourceRef {
                    kind: r.named(0, SourceKind::parse)?,
                    locator: r.get(1)?,
                })
            },
        )
    }

    /// A source's versions, oldest first.
    pub fn versions(&self, source: &SourceRef) -> Result<Vec<Version>> {
        let Some(sid) = self.source_id(source)? else {
            return Ok(Vec::new());
        };
        versions_of(self.db(), sid)
    }

    /// Every source `id` is a version of, with its place in each.
    pub fn lineage(&self, id: &DocId) -> Result<Vec<Lineage>> {
        let rows = self.db().query(
            "SELECT s.id, s.kind, s.locator, v.seq FROM versions v JOIN sources s ON s.id = v.source_id \
             WHERE v.doc_id = ?1 ORDER BY s.id, v.seq",
            args![id.to_hex()],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.named(1, SourceKind::parse)?,
                    r.get::<String>(2)?,
                    r.get::<i64>(3)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(sid, kind, locator, seq)| {
                Ok(Lineage {
                    source: SourceRef { kind, locator },
                    seq: seq as u32,
                    versions: versions_of(self.db(), sid)?,
                })
            })
            .collect()
    }

    /// The object holding `id`'s article text, for documents whose text is not their bytes.
    pub fn text_object(&self, id: &DocId) -> Result<Option<DocId>> {
        text_id(self.db(), id)
    }

    /// Every fetch that found `id`, oldest first.
    pub fn fetches_of(&self, id: &DocId) -> Result<Vec<FetchRecord>> {
        self.db().query(
            &format!("SELECT {FETCH_COLUMNS} FROM fetches WHERE doc_id = ?1 ORDER BY id"),
            args![id.to_hex()],
            fetch_from_row,
        )
    }

    /// The last fetch of `url` and the version it found, for a conditional request: its
    /// validators say whether the server has anything newer.
    pub fn last_fetch(&self, url: &str) -> Result<Option<(FetchRecord, DocId)>> {
        let row = self.db().query_opt(
            &format!(
                "SELECT {FETCH_COLUMNS}, doc_id FROM fetches WHERE url = ?1 \
                 ORDER BY id DESC LIMIT 1"
            ),
            args![url],
            |r| Ok((fetch_from_row(r)?, r.get::<String>(FETCH_COLUMN_COUNT)?)),
        )?;
        row.map(|(f, doc)| Ok((f, parse_id(&doc)?))).transpose()
    }

    /// The newest version of `source` and its article-text object (`None` for a document
    /// whose text is its bytes), when it has versions.
    pub fn newest_version_text(&self, source: &SourceRef) -> Result<Option<(DocId, DocId)>> {
        newest_version_text(self.db(), source)
    }

    /// Every URL source, for re-fetching: those whose versions prov fetched itself (not
    /// only read from a web archive).
    pub fn fetched_urls(&self) -> Result<Vec<String>> {
        self.db().query(
            "SELECT s.locator FROM sources s WHERE s.kind = 'url' AND EXISTS \
             (SELECT 1 FROM fetches f WHERE f.url = s.locator AND f.archive IS NULL) \
             ORDER BY s.locator",
            args![],
            |r| r.get(0),
        )
    }

    /// Working-tree paths whose last add stored `id`.
    pub fn paths_of(&self, id: &DocId) -> Result<Vec<String>> {
        self.db().query(
            "SELECT path FROM paths WHERE doc_id = ?1 ORDER BY path",
            args![id.to_hex()],
            |r| r.get(0),
        )
    }

    /// Every tracked path with the document it held when last added.
    pub fn tracked_paths(&self) -> Result<Vec<(String, DocId)>> {
        let rows = self.db().query(
            "SELECT path, doc_id FROM paths ORDER BY path",
            args![],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        rows.into_iter()
            .map(|(p, h)| Ok((p, parse_id(&h)?)))
            .collect()
    }
}

/// The row of `source`, recorded first if new.
fn source_row(db: Sql<'_>, source: &SourceRef) -> Result<i64> {
    db.execute(
        "INSERT INTO sources (kind, locator) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![source.kind.as_str(), source.locator],
    )?;
    db.query_one(
        "SELECT id FROM sources WHERE kind = ?1 AND locator = ?2",
        args![source.kind.as_str(), source.locator],
        |r| r.get(0),
    )
}

fn versions_of(db: Sql<'_>, source_id: i64) -> Result<Vec<Version>> {
    let rows = db.query(
        "SELECT seq, doc_id, added_at FROM versions WHERE source_id = ?1 ORDER BY seq",
        args![source_id],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    rows.into_iter()
        .map(|(seq, hex, added_at)| {
            Ok(Version {
                seq: seq as u32,
                doc: parse_id(&hex)?,
                added_at,
            })
        })
        .collect()
}

/// The article text object of a stored document, if it has one.
pub(super) fn text_id(db: Sql<'_>, id: &DocId) -> Result<Option<DocId>> {
    let hex: Option<Option<String>> = db.query_opt(
        "SELECT text_id FROM documents WHERE id = ?1",
        args![id.to_hex()],
        |r| r.get(0),
    )?;
    hex.flatten().map(|h| parse_id(&h)).transpose()
}

/// A publication about to be recorded.
#[derive(Debug, Clone)]
pub struct NewPublication<'a> {
    pub source: Option<&'a SourceRef>,
    /// Outlet, date, author, title and URL are taken from here; other fields are ignored.
    pub meta: &'a Metadata,
    pub recorded_at: &'a str,
    pub recorded_by: RecordedBy,
    /// The document was inserted in this transaction with these fields (by
    /// [`Tx::insert_document`]): this is its only publication, and its row is already right.
    pub first: bool,
}

/// What recording a publication changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationChange {
    /// A publication the document did not have.
    New,
    /// An existing publication (same source and outlet) got new or corrected fields.
    Updated,
    Unchanged,
}

fn insert_publication(
    tx: Sql<'_>,
    doc: i64,
    kind: Option<&str>,
    locator: Option<&str>,
    new: &NewPublication<'_>,
) -> Result<()> {
    let m = new.meta;
    tx.execute(
        "INSERT INTO publications (doc, source_kind, locator, outlet, published, author, \
         title, url, recorded_at, recorded_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        args![
            doc,
            kind,
            locator,
            m.outlet,
            m.published,
            m.author,
            m.title,
            m.url,
            new.recorded_at,
            new.recorded_by.as_str(),
        ],
    )?;
    Ok(())
}

/// Copies the first publication's outlet, URL and date onto the document row (title and
/// author from the first publication that gives one), so listings sort and show it.
fn refresh_first_publication(tx: Sql<'_>, doc: i64) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE documents SET \
               outlet = (SELECT outlet FROM publications WHERE doc = ?1 ORDER BY {FIRST} LIMIT 1), \
               url = (SELECT url FROM publications WHERE doc = ?1 ORDER BY {FIRST} LIMIT 1), \
               published = (SELECT published FROM publications WHERE doc = ?1 ORDER BY {FIRST} LIMIT 1), \
               title = (SELECT title FROM publications WHERE doc = ?1 AND title IS NOT NULL \
                        ORDER BY {FIRST} LIMIT 1), \
               author = (SELECT author FROM publications WHERE doc = ?1 AND author IS NOT NULL \
                         ORDER BY {FIRST} LIMIT 1) \
             WHERE seq = ?1"
        ),
        args![doc],
    )?;
    Ok(())
}

impl Tx<'_> {
    /// Inserts a new document row; returns its row number (`seq`).
    pub fn insert_document(
        &self,
        id: &DocId,
        size: u64,
        encoding: &str,
        added_at: &str,
        meta: &Metadata,
        form: &DocForm,
    ) -> Result<i64> {
        let tx = self.db();
        let speakers = (!meta.speakers.is_empty())
            .then(|| serde_json::to_string(&meta.speakers).unwrap_or_default());
        tx.insert(
            &format!(
                "INSERT INTO documents ({DOC_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
                 ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
            ),
            args![
                id.to_hex(),
                size as i64,
                encoding,
                added_at,
                meta.title,
                meta.outlet,
                meta.url,
                meta.published,
                meta.author,
                meta.lang,
                meta.interviewer,
                meta.interviewee,
                speakers,
                form.format.as_str(),
                form.text_id.map(|t| t.to_hex()),
                form.canonical,
                meta.modified,
            ],
            "seq",
        )
    }

    /// The row number and stored metadata of `id`, if it is stored.
    pub fn stored_metadata(&self, id: &DocId) -> Result<Option<(i64, Metadata)>> {
        let tx = self.db();
        let sql = format!("SELECT {DOC_COLUMNS}, seq FROM documents WHERE id = ?1");
        let row = tx.query_opt(&sql, args![id.to_hex()], doc_from_row)?;
        Ok(row.map(|(_, d)| (d.seq, d.meta)))
    }

    /// Replaces the document-level metadata of an existing document: what extraction reads
    /// (language, interview roles, transcript speakers). Publication fields live in
    /// [`Tx::record_publication`].
    pub fn update_hints(&self, id: &DocId, meta: &Metadata) -> Result<()> {
        let tx = self.db();
        let speakers = (!meta.speakers.is_empty())
            .then(|| serde_json::to_string(&meta.speakers).unwrap_or_default());
        tx.execute(
            "UPDATE documents SET lang = ?2, interviewer = ?3, interviewee = ?4, speakers = ?5 \
             WHERE id = ?1",
            args![
                id.to_hex(),
                meta.lang,
                meta.interviewer,
                meta.interviewee,
                speakers,
            ],
        )?;
        Ok(())
    }

    /// Records a publication of the document at row `doc`. A publication from the same source
    /// (URL, path, or none) with the same outlet, or where either names no outlet, is the same
    /// publication: its fields are filled in or corrected. Anything else is a new publication;
    /// none is ever dropped. The document's own date, outlet and title follow its first
    /// publication.
    pub fn record_publication(
        &self,
        doc: i64,
        new: &NewPublication<'_>,
    ) -> Result<PublicationChange> {
        let tx = self.db();
        let (kind, locator) = match new.source {
            Some(s) => (Some(s.kind.as_str()), Some(s.locator.as_str())),
            None => (None, None),
        };
        let m = new.meta;
        if new.first {
            insert_publication(tx, doc, kind, locator, new)?;
            return Ok(PublicationChange::New);
        }
        let fields = [&m.outlet, &m.published, &m.author, &m.title, &m.url];
        // A path that brings no outlet, date, author, title or URL adds nothing to a
        // document already published somewhere prov can name: the path itself is
        // tracked (`track_path`), and a bare re-add must stay "unchanged".
        if new.source.is_some_and(|s| s.kind == SourceKind::Path)
            && fields.iter().all(|f| f.is_none())
            && tx
                .query_opt(
                    "SELECT 1 FROM publications WHERE doc = ?1 AND locator IS NOT NULL LIMIT 1",
                    args![doc],
                    |_| Ok(()),
                )?
                .is_some()
        {
            return Ok(PublicationChange::Unchanged);
        }
        let existing = tx.query(
            &format!(
                "SELECT id, outlet, published, author, title, url FROM publications \
                 WHERE doc = ?1 AND {} AND {} ORDER BY id",
                tx.same("source_kind", 2),
                tx.same("locator", 3),
            ),
            args![doc, kind, locator],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    [
                        r.get::<Option<String>>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ],
                ))
            },
        )?;
        let same = existing
            .into_iter()
            .find(|(_, old)| match (&old[0], &m.outlet) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            });
        let change = match same {
            Some((id, old)) => {
                let merged: Vec<Option<String>> = old
                    .iter()
                    .zip(fields)
                    .map(|(o, n)| n.clone().or_else(|| o.clone()))
                    .collect();
                if merged.iter().zip(&old).all(|(a, b)| a == b) {
                    return Ok(PublicationChange::Unchanged);
                }
                tx.execute(
                    "UPDATE publications SET outlet = ?2, published = ?3, author = ?4, title = ?5, \
                     url = ?6 WHERE id = ?1",
                    args![id, merged[0], merged[1], merged[2], merged[3], merged[4]],
                )?;
                PublicationChange::Updated
            }
            None => {
                insert_publication(tx, doc, kind, locator, new)?;
                PublicationChange::New
            }
        };
        refresh_first_publication(tx, doc)?;
        Ok(change)
    }

    /// Records `id` as the newest version of `source` unless it already is. Returns the new
    /// version's number and the document it follows, or `None` when nothing changed.
    pub fn append_version(
        &self,
        source: &SourceRef,
        id: &DocId,
        added_at: &str,
    ) -> Result<Option<(u32, Option<DocId>)>> {
        let tx = self.db();
        let sid = source_row(tx, source)?;
        let latest: Option<(i64, String)> = tx.query_opt(
            "SELECT seq, doc_id FROM versions WHERE source_id = ?1 ORDER BY seq DESC LIMIT 1",
            args![sid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (seq, previous) = match latest {
            Some((_, ref hex)) if *hex == id.to_hex() => return Ok(None),
            Some((seq, hex)) => (seq + 1, Some(parse_id(&hex)?)),
            None => (1, None),
        };
        tx.execute(
            "INSERT INTO versions (source_id, seq, doc_id, added_at) VALUES (?1, ?2, ?3, ?4)",
            args![sid, seq, id.to_hex(), added_at],
        )?;
        Ok(Some((seq as u32, previous)))
    }

    /// Records that `source` held `id` at `at` (RFC 3339 UTC), a time that may lie before
    /// versions already recorded: a web archive's capture, or a version brought from
    /// another store. Versions stay in time order whatever order they arrive in, so adding
    /// captures again, or older captures after newer ones, never makes fake edits: the same
    /// document as the version before it is no new version, and the same document as the
    /// version after it moves that version's time earlier. Returns the new version's
    /// number and the document before it, as [`Tx::append_version`] does.
    pub fn insert_version_at(
        &self,
        source: &SourceRef,
        id: &DocId,
        at: &str,
    ) -> Result<Option<(u32, Option<DocId>)>> {
        let tx = self.db();
        let sid = source_row(tx, source)?;
        let before: Option<(i64, String)> = tx.query_opt(
            "SELECT seq, doc_id FROM versions WHERE source_id = ?1 AND added_at <= ?2 \
             ORDER BY seq DESC LIMIT 1",
            args![sid, at],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let hex = id.to_hex();
        if before.as_ref().is_some_and(|(_, doc)| *doc == hex) {
            return Ok(None);
        }
        let seq = before.as_ref().map_or(1, |(seq, _)| seq + 1);
        let after: Option<String> = tx.query_opt(
            "SELECT doc_id FROM versions WHERE source_id = ?1 AND seq = ?2",
            args![sid, seq],
            |r| r.get(0),
        )?;
        if after.as_deref() == Some(hex.as_str()) {
            tx.execute(
                "UPDATE versions SET added_at = ?3 WHERE source_id = ?1 AND seq = ?2",
                args![sid, seq, at],
            )?;
            return Ok(None);
        }
        if after.is_some() {
            // Later versions move up one, by way of numbers far above any in use, so that
            // no two rows share a number on the way.
            const AWAY: i64 = 1 << 40;
            tx.execute(
                "UPDATE versions SET seq = seq + ?3 WHERE source_id = ?1 AND seq >= ?2",
                args![sid, seq, AWAY],
            )?;
            tx.execute(
                "UPDATE versions SET seq = seq - ?2 WHERE source_id = ?1 AND seq >= ?2",
                args![sid, AWAY - 1],
            )?;
        }
        tx.execute(
            "INSERT INTO versions (source_id, seq, doc_id, added_at) VALUES (?1, ?2, ?3, ?4)",
            args![sid, seq, hex, at],
        )?;
        let previous = match before {
            Some((_, doc)) => Some(parse_id(&doc)?),
            None => None,
        };
        Ok(Some((seq as u32, previous)))
    }

    /// Records that the file at `path` held `id` when it was last added. Returns whether
    /// the path did not hold `id` before.
    pub fn track_path(&self, path: &str, id: &DocId, added_at: &str) -> Result<bool> {
        let tx = self.db();
        let hex = id.to_hex();
        let known = tx
            .query_opt(
                "SELECT 1 FROM paths WHERE path = ?1 AND doc_id = ?2",
                args![path, hex],
                |_| Ok(()),
            )?
            .is_some();
        tx.execute(
            "INSERT INTO paths (path, doc_id, added_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, added_at = excluded.added_at",
            args![path, hex, added_at],
        )?;
        Ok(!known)
    }

    /// Records a version of `source` brought from another store: `id`, recorded there at
    /// `added_at`, takes its place in time among this store's versions unless this store
    /// has that version (the same document recorded at the same time) already. Returns
    /// whether it was added.
    pub fn import_version(&self, source: &SourceRef, id: &DocId, added_at: &str) -> Result<bool> {
        let tx = self.db();
        let known: Option<i64> = tx.query_opt(
            "SELECT 1 FROM versions v JOIN sources s ON s.id = v.source_id \
             WHERE s.kind = ?1 AND s.locator = ?2 AND v.doc_id = ?3 AND v.added_at = ?4",
            args![source.kind.as_str(), source.locator, id.to_hex(), added_at],
            |r| r.get(0),
        )?;
        if known.is_some() {
            return Ok(false);
        }
        Ok(self.insert_version_at(source, id, added_at)?.is_some())
    }

    /// Records a fetch unless this store has the same one (the same URL, answer and time):
    /// one brought from another store, or a capture of a web archive added again. Returns
    /// whether it was added.
    pub fn import_fetch(&self, fetch: &FetchRecord, id: &DocId) -> Result<bool> {
        let known: Option<i64> = self.db().query_opt(
            "SELECT 1 FROM fetches WHERE doc_id = ?1 AND url = ?2 AND fetched_at = ?3 \
             AND final_url = ?4 AND status = ?5 AND object IS NOT DISTINCT FROM ?6",
            args![
                id.to_hex(),
                fetch.url,
                fetch.fetched_at,
                fetch.final_url,
                fetch.status,
                fetch.object.filter(|o| o != id).map(|o| o.to_hex())
            ],
            |r| r.get(0),
        )?;
        if known.is_some() {
            return Ok(false);
        }
        self.record_fetch(fetch, id)?;
        Ok(true)
    }

    /// Records a fetch of a URL that found `id` (with the bytes it received in
    /// `fetch.object` when they are not `id`'s own).
    pub fn record_fetch(&self, fetch: &FetchRecord, id: &DocId) -> Result<()> {
        let tx = self.db();
        tx.execute(
            "INSERT INTO fetches (url, final_url, status, content_type, fetched_at, doc_id, \
             object, etag, last_modified, archive) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            args![
                fetch.url,
                fetch.final_url,
                fetch.status,
                fetch.content_type,
                fetch.fetched_at,
                id.to_hex(),
                fetch.object.filter(|o| o != id).map(|o| o.to_hex()),
                fetch.etag,
                fetch.last_modified,
                fetch.archive
            ],
        )?;
        Ok(())
    }

    /// See [`Store::newest_version_text`].
    pub fn newest_version_text(&self, source: &SourceRef) -> Result<Option<(DocId, DocId)>> {
        newest_version_text(self.db(), source)
    }
}

/// The columns [`fetch_from_row`] reads, in order.
const FETCH_COLUMNS: &str =
    "url, final_url, status, content_type, fetched_at, etag, last_modified, object, archive";
const FETCH_COLUMN_COUNT: usize = 9;

fn fetch_from_row(r: &super::db::Row<'_>) -> Result<FetchRecord> {
    Ok(FetchRecord {
        url: r.get(0)?,
        final_url: r.get(1)?,
        status: r.get::<i64>(2)?.clamp(0, 999) as u16,
        content_type: r.get(3)?,
        fetched_at: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        object: r
            .get::<Option<String>>(7)?
            .map(|o| parse_id(&o))
            .transpose()?,
        archive: r.get(8)?,
    })
}

fn newest_version_text(db: Sql<'_>, source: &SourceRef) -> Result<Option<(DocId, DocId)>> {
    let row: Option<(String, Option<String>)> = db.query_opt(
        "SELECT v.doc_id, d.text_id FROM sources s JOIN versions v ON v.source_id = s.id \
         JOIN documents d ON d.id = v.doc_id WHERE s.kind = ?1 AND s.locator = ?2 \
         ORDER BY v.seq DESC LIMIT 1",
        args![source.kind.as_str(), source.locator],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    row.map(|(doc, text)| {
        let doc = parse_id(&doc)?;
        Ok((doc, text.map(|t| parse_id(&t)).transpose()?.unwrap_or(doc)))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing;

    fn insert(tx: &Tx<'_>, bytes: &[u8]) -> Result<i64> {
        tx.insert_document(
            &DocId::of_bytes(bytes),
            bytes.len() as u64,
            "utf-8",
            "2026-01-01T00:00:00Z",
            &Metadata::default(),
            &DocForm::default(),
        )
    }

    #[test]
    fn versions_recorded_at_a_time_keep_time_order() {
        let (_dir, mut store) = testing::store();
        let source = SourceRef {
            kind: SourceKind::Url,
            locator: "https://example.com/a".to_owned(),
        };
        let [a, b, c] = [b"a", b"b", b"c"].map(|x| DocId::of_bytes(x));
        store
            .write(|tx| -> Result<_> {
                for x in [b"a", b"b", b"c"] {
                    insert(tx, x)?;
                }
                assert_eq!(
                    tx.insert_version_at(&source, &c, "2020-03")?,
                    Some((1, None))
                );
                assert_eq!(
                    tx.insert_version_at(&source, &a, "2020-01")?,
                    Some((1, None))
                );
                // Between the two: the later one moves up.
                assert_eq!(
                    tx.insert_version_at(&source, &b, "2020-02")?,
                    Some((2, Some(a)))
                );
                // Seen again, or seen later still unchanged: no version.
                assert_eq!(tx.insert_version_at(&source, &b, "2020-02")?, None);
                assert_eq!(tx.insert_version_at(&source, &b, "2020-02-15")?, None);
                // Seen earlier than recorded: the version's time moves earlier.
                assert_eq!(tx.insert_version_at(&source, &c, "2020-02-20")?, None);
                Ok(())
            })
            .unwrap();
        let got: Vec<(u32, DocId, String)> = store
            .versions(&source)
            .unwrap()
            .into_iter()
            .map(|v| (v.seq, v.doc, v.added_at))
            .collect();
        assert_eq!(
            got,
            [
                (1, a, "2020-01".to_owned()),
                (2, b, "2020-02".to_owned()),
                (3, c, "2020-02-20".to_owned())
            ]
        );
    }

    #[test]
    fn documents_sources_and_publications_read_back_as_written() {
        let (_dir, mut store) = testing::store();
        let source = SourceRef {
            kind: SourceKind::Url,
            locator: "https://example.com/a".to_owned(),
        };
        let (a, b) = (DocId::of_bytes(b"a"), DocId::of_bytes(b"b"));
        let meta = Metadata {
            outlet: Some("Example".to_owned()),
            ..Metadata::default()
        };
        let seqs = store
            .write(|tx| -> Result<_> {
                let seqs = (insert(tx, b"a")?, insert(tx, b"b")?);
                assert_eq!(tx.append_version(&source, &a, "t1")?.map(|v| v.0), Some(1));
                assert!(tx.append_version(&source, &a, "t1")?.is_none());
                assert_eq!(tx.append_version(&source, &b, "t2")?, Some((2, Some(a))));
                let new = NewPublication {
                    source: Some(&source),
                    meta: &meta,
                    recorded_at: "t2",
                    recorded_by: RecordedBy::Fetch,
                    first: false,
                };
                assert_eq!(tx.record_publication(seqs.1, &new)?, PublicationChange::New);
                assert_eq!(
                    tx.record_publication(seqs.1, &new)?,
                    PublicationChange::Unchanged
                );
                Ok(seqs)
            })
            .unwrap();
        assert_eq!(seqs, (1, 2));
        assert_eq!(store.last_document_row().unwrap(), 2);
        assert_eq!(store.document_count().unwrap(), 2);
        assert_eq!(store.sources().unwrap(), vec![source.clone()]);
        assert_eq!(store.versions(&source).unwrap().len(), 2);
        assert_eq!(store.superseded_by(&a).unwrap(), Some(b));
        let doc = store.document(&b).unwrap().unwrap();
        assert_eq!(doc.seq, 2);
        assert_eq!(doc.format, DocFormat::Text);
        assert_eq!(doc.meta.outlet.as_deref(), Some("Example"));
        assert_eq!(doc.publications.len(), 1);
        assert_eq!(doc.publications[0].source.as_ref(), Some(&source));
        assert_eq!(store.log().unwrap()[0].publications.len(), 1);
    }

    #[test]
    fn unknown_stored_names_are_corrupt_rows() {
        let (_dir, mut store) = testing::store();
        store.write(|tx| insert(tx, b"a")).unwrap();
        store
            .conn()
            .execute_batch(
                "PRAGMA ignore_check_constraints = ON; \
                 UPDATE documents SET format = 'pdf';",
            )
            .unwrap();
        assert!(matches!(
            store.document(&DocId::of_bytes(b"a")),
            Err(Error::CorruptRow(_))
        ));
        assert!(matches!(store.log(), Err(Error::CorruptRow(_))));
    }
}
