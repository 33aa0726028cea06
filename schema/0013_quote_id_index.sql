-- Quotation ids leave the B-tree. An id is a BLAKE3 hash, so a unique index on it put
-- every new quotation on a random page: at 1,000,000 documents that index was about a
-- quarter of an add's time (docs/history.md, sixth pass). The id stays in its row; the
-- quotation-id index (src/store/postings.rs) maps each id's first four bytes to its row in
-- the append-only segment layout of the fingerprint and word indexes, and lookups compare
-- the row's full id. Row numbers and ids were unique before and stay so: an id is the hash
-- of its document and offsets, and (doc, ord) stays unique.
--
-- SQLite cannot drop a column's UNIQUE constraint, so the table is rebuilt (prov turns
-- foreign keys off while migrating, so nothing that refers to quotations is touched).
CREATE TABLE quotes_new (
    qid            INTEGER PRIMARY KEY,
    id             BLOB NOT NULL CHECK (length(id) = 32),  -- BLAKE3 of doc id and offsets
    doc            INTEGER NOT NULL REFERENCES documents(seq),
    ord            INTEGER NOT NULL,             -- order within the document
    start          INTEGER NOT NULL,             -- Unicode code point offsets into the
    "end"          INTEGER NOT NULL,             -- document text, quotation marks excluded
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('direct', 'partial', 'transcript', 'term')),
    utterance      INTEGER NOT NULL,             -- pieces of one utterance share it
    mention        TEXT,                         -- the speaker as written
    mention_start  INTEGER,
    mention_end    INTEGER,
    speaker_id     INTEGER REFERENCES speakers(id),
    cue            TEXT,
    confidence     REAL NOT NULL,
    grp            INTEGER REFERENCES quote_groups(id),
    grp_verdict    TEXT,
    grp_similarity REAL,
    UNIQUE (doc, ord)
);
INSERT INTO quotes_new
    SELECT qid, id, doc, ord, start, "end", text, kind, utterance, mention, mention_start,
           mention_end, speaker_id, cue, confidence, grp, grp_verdict, grp_similarity
    FROM quotes ORDER BY qid;
DROP TABLE quotes;
ALTER TABLE quotes_new RENAME TO quotes;
CREATE INDEX quotes_by_speaker ON quotes(speaker_id);
CREATE INDEX quotes_by_group ON quotes(grp) WHERE grp IS NOT NULL;

CREATE TABLE quote_id_segments (
    id       INTEGER PRIMARY KEY,
    level    INTEGER NOT NULL CHECK (level >= 0),
    postings INTEGER NOT NULL,                  -- (id key, quotation) pairs held
    blocks   INTEGER NOT NULL
);

CREATE TABLE quote_id_blocks (
    id      INTEGER PRIMARY KEY,
    segment INTEGER NOT NULL REFERENCES quote_id_segments(id),
    first   INTEGER NOT NULL,                   -- the block's first id key
    data    BLOB NOT NULL
);
CREATE UNIQUE INDEX quote_id_blocks_by_segment ON quote_id_blocks(segment, first);

-- Quotations not in the quotation-id index yet: every quotation of a store made before
-- it. prov indexes them when it next opens the store for writing; until then lookups by
-- id read them directly, so none is missed. Rows, not references: a row deleted since is
-- skipped.
CREATE TABLE quote_ids_pending (
    qid INTEGER PRIMARY KEY
);
INSERT INTO quote_ids_pending SELECT qid FROM quotes;
