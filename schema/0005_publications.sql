-- Publications: every time the same bytes were published or added from somewhere.
--
-- One document (one set of bytes) can be published by many outlets (wire copy), at two
-- URLs, or added from two paths with different sidecars. Each is a publication with its own
-- outlet, date, author and title; none overwrites another. A document's first publication
-- date is its date for ordering, and `documents.title/outlet/url/published/author` hold
-- its first publication's fields (earliest dated, else first recorded), kept in step by the
-- code that records publications.
CREATE TABLE publications (
    id          INTEGER PRIMARY KEY,
    doc         INTEGER NOT NULL REFERENCES documents(seq),
    -- Where it was published or added from: a URL, or a path relative to the store root.
    -- Both NULL for standard input without a URL.
    source_kind TEXT CHECK (source_kind IN ('url', 'path')),
    locator     TEXT,
    outlet      TEXT,
    published   TEXT,                           -- YYYY-MM-DD or RFC 3339 in UTC: sorts as text
    author      TEXT,
    title       TEXT,
    url         TEXT,
    -- When prov fetched or was given it (RFC 3339, UTC): never a publication date.
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL CHECK (recorded_by IN ('add', 'fetch')),
    CHECK ((source_kind IS NULL) = (locator IS NULL))
);
CREATE INDEX publications_by_doc ON publications(doc);

-- Stores made before this migration kept one set of metadata per document. Each source
-- the document was recorded under becomes a publication with that metadata; a document
-- with no source (standard input) gets one without a locator.
INSERT INTO publications (doc, source_kind, locator, outlet, published, author, title, url,
                          recorded_at, recorded_by)
SELECT d.seq, s.kind, s.locator, d.outlet, d.published, d.author, d.title, d.url,
       coalesce((SELECT min(f.fetched_at) FROM fetches f WHERE f.doc_id = d.id), v.added_at),
       CASE WHEN EXISTS (SELECT 1 FROM fetches f WHERE f.doc_id = d.id) THEN 'fetch' ELSE 'add' END
FROM documents d
JOIN (SELECT doc_id, source_id, min(added_at) AS added_at FROM versions
      GROUP BY doc_id, source_id) v ON v.doc_id = d.id
JOIN sources s ON s.id = v.source_id;

INSERT INTO publications (doc, outlet, published, author, title, url, recorded_at, recorded_by)
SELECT d.seq, d.outlet, d.published, d.author, d.title, d.url, d.added_at, 'add'
FROM documents d
WHERE NOT EXISTS (SELECT 1 FROM publications p WHERE p.doc = d.seq);

CREATE INDEX documents_by_published ON documents(published);
