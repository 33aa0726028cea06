-- Human corrections, recorded with who made them, when and why; nothing is overwritten.

-- `prov rm`: a removed document leaves listings, retrieval, matches and checks, its bytes
-- stay until `prov gc` deletes them (purged_at) after a grace period, and `prov rm --undo`
-- restores it (restored_at). A document is removed while it has a row not restored.
CREATE TABLE removals (
    id          INTEGER PRIMARY KEY,
    doc         INTEGER NOT NULL REFERENCES documents(seq),
    removed_at  TEXT NOT NULL,                  -- RFC 3339, UTC
    removed_by  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    restored_at TEXT,
    restored_by TEXT,
    purged_at   TEXT                            -- when `prov gc` deleted its bytes
);
CREATE INDEX removals_by_doc ON removals(doc);
CREATE UNIQUE INDEX removals_current ON removals(doc) WHERE restored_at IS NULL;

-- `prov quotes set-speaker`: the speaker of one quotation, as a person corrected it. Keyed
-- by the quotation's id (a hash of its document and offsets), so it outlives the rows
-- re-extraction replaces; the newest correction of a quotation wins over extraction.
CREATE TABLE speaker_corrections (
    id           INTEGER PRIMARY KEY,
    doc          INTEGER NOT NULL REFERENCES documents(seq),
    quote        BLOB NOT NULL CHECK (length(quote) = 32),
    speaker      TEXT,                          -- NULL: the quotation has no speaker
    corrected_at TEXT NOT NULL,                 -- RFC 3339, UTC
    corrected_by TEXT NOT NULL
);
CREATE INDEX speaker_corrections_by_doc ON speaker_corrections(doc);
CREATE INDEX speaker_corrections_by_quote ON speaker_corrections(quote);

-- `prov speakers merge NAME OTHER`: OTHER is NAME, as a person decided. Applied to the
-- stored speakers at once and to every quotation stored or extracted again later.
CREATE TABLE speaker_merges (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,                    -- the person kept
    alias     TEXT NOT NULL,                    -- a name that is the same person
    merged_at TEXT NOT NULL,                    -- RFC 3339, UTC
    merged_by TEXT NOT NULL
);
CREATE INDEX speaker_merges_by_alias ON speaker_merges(alias);
