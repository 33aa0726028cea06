-- Quotations extracted from documents, and the people who said them.

-- People, canonical across the store: "Dzhemilev" joins "Mustafa Dzhemilev" when no other
-- stored person has that surname.
CREATE TABLE speakers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    surname TEXT NOT NULL,                      -- last word of name, for joining surnames
    words   INTEGER NOT NULL                    -- how many words the name has
);
CREATE INDEX speakers_by_surname ON speakers(surname);

-- Every form a speaker's name was written in, including the canonical one.
CREATE TABLE speaker_aliases (
    alias      TEXT NOT NULL,
    speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
    PRIMARY KEY (alias, speaker_id)
) WITHOUT ROWID;
CREATE INDEX speaker_aliases_by_speaker ON speaker_aliases(speaker_id);

-- Rows refer to documents by their integer row (documents.seq) and to each other by
-- integer rows: 64-character hex ids repeated in every row and index would make the store
-- several times the size of its text.
CREATE TABLE quotes (
    qid           INTEGER PRIMARY KEY,
    id            BLOB NOT NULL UNIQUE CHECK (length(id) = 32),  -- BLAKE3 of doc id and offsets
    doc           INTEGER NOT NULL REFERENCES documents(seq),
    ord           INTEGER NOT NULL,             -- order within the document
    start         INTEGER NOT NULL,             -- Unicode code point offsets into the
    "end"         INTEGER NOT NULL,             -- document text, quotation marks excluded
    text          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('direct', 'partial', 'transcript', 'term')),
    utterance     INTEGER NOT NULL,             -- pieces of one utterance share it
    mention       TEXT,                         -- the speaker as written
    mention_start INTEGER,
    mention_end   INTEGER,
    speaker_id    INTEGER REFERENCES speakers(id),
    cue           TEXT,
    confidence    REAL NOT NULL,
    UNIQUE (doc, ord)
);
CREATE INDEX quotes_by_speaker ON quotes(speaker_id);
