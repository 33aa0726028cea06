-- The fingerprint index: word-shingle fingerprints of every document (src/index), so that
-- every document holding a passage is found, however common its words. Postings are
-- written in segments of sorted, delta-coded blocks and merged level by level (see
-- src/store/shingles.rs), so adding documents appends instead of rewriting pages.
CREATE TABLE shingle_segments (
    id       INTEGER PRIMARY KEY,
    level    INTEGER NOT NULL CHECK (level >= 0),
    postings INTEGER NOT NULL,                  -- (fingerprint, document) pairs held
    blocks   INTEGER NOT NULL
);

CREATE TABLE shingle_blocks (
    id      INTEGER PRIMARY KEY,
    segment INTEGER NOT NULL REFERENCES shingle_segments(id),
    first   INTEGER NOT NULL,                   -- the block's first fingerprint
    data    BLOB NOT NULL
);
CREATE UNIQUE INDEX shingle_blocks_by_segment ON shingle_blocks(segment, first);

-- Documents not yet in the fingerprint index: every document of a store made before it.
-- prov indexes them when it next opens the store for writing, and until then retrieval
-- reads them directly, so no answer misses them.
CREATE TABLE shingles_pending (
    doc INTEGER PRIMARY KEY REFERENCES documents(seq)
);
INSERT INTO shingles_pending SELECT seq FROM documents;
