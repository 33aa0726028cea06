-- prov store, version 1: documents, their sources and versions, tracked paths.
-- Released migrations are never edited; add 0002_*.sql instead.

-- One row per stored object. `id` is the BLAKE3 hash of the exact bytes (64 lowercase hex);
-- the bytes themselves live in .prov/objects/ (see src/store/objects.rs for why).
CREATE TABLE documents (
    seq         INTEGER PRIMARY KEY,            -- insertion order, for "newest first"
    id          TEXT NOT NULL UNIQUE CHECK (length(id) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    encoding    TEXT NOT NULL,                  -- utf-8, utf-8-bom, utf-16le, utf-16be
    added_at    TEXT NOT NULL,                  -- RFC 3339, UTC
    title       TEXT,
    outlet      TEXT,
    url         TEXT,
    published   TEXT,                           -- YYYY-MM-DD or RFC 3339 in UTC: sorts as text
    author      TEXT,
    lang        TEXT,
    interviewer TEXT,
    interviewee TEXT,
    speakers    TEXT                            -- JSON array of names, from a sidecar
);

-- Where documents come from: a URL, or (without one) a path relative to the store's root.
-- A source's versions are its documents in the order they were added, so an article edited
-- after publication keeps its whole history.
CREATE TABLE sources (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('url', 'path')),
    locator TEXT NOT NULL,
    UNIQUE (kind, locator)
);

CREATE TABLE versions (
    source_id INTEGER NOT NULL REFERENCES sources(id),
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    doc_id    TEXT NOT NULL REFERENCES documents(id),
    added_at  TEXT NOT NULL,
    PRIMARY KEY (source_id, seq)
) WITHOUT ROWID;
CREATE INDEX versions_by_doc ON versions(doc_id);

-- Files in the working tree that were added, and the document they held when last added:
-- what `prov status` compares against, like git's index.
CREATE TABLE paths (
    path     TEXT PRIMARY KEY,                  -- relative to the store root, '/'-separated
    doc_id   TEXT NOT NULL REFERENCES documents(id),
    added_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX paths_by_doc ON paths(doc_id);
