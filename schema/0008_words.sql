-- The word index: each document's distinct normalised words, in the same segment layout as
-- the fingerprint index (src/store/postings.rs). It replaces the FTS5 full-text index,
-- so retrieval runs on ordinary tables any SQL database holds, and its postings are built
-- beside the writer instead of by it.
CREATE TABLE word_segments (
    id       INTEGER PRIMARY KEY,
    level    INTEGER NOT NULL CHECK (level >= 0),
    postings INTEGER NOT NULL,                  -- (word, document) pairs held
    blocks   INTEGER NOT NULL
);

CREATE TABLE word_blocks (
    id      INTEGER PRIMARY KEY,
    segment INTEGER NOT NULL REFERENCES word_segments(id),
    first   INTEGER NOT NULL,                   -- the block's first word key
    data    BLOB NOT NULL
);
CREATE UNIQUE INDEX word_blocks_by_segment ON word_blocks(segment, first);

DROP TABLE doc_terms;
DROP TABLE doc_text;

-- Both indexes are built again from the documents' text, which prov does when it next
-- opens the store for writing; until then retrieval reads the waiting documents directly.
DELETE FROM shingle_blocks;
DELETE FROM shingle_segments;
INSERT OR IGNORE INTO shingles_pending SELECT seq FROM documents;
