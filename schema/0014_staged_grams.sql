-- Grams wait in a small table before they join quote_grams. quote_grams is keyed by gram
-- hashes, so every row written into it lands on a random page: at 1,000,000 documents a
-- batch of 1,000 rewrote about 8,000 of its pages (docs/history.md, fifth pass). New rows
-- go to quote_grams_staged, small enough that a batch rewrites few of its pages, and move
-- into quote_grams in key order once it holds about the square root of (rows held there
-- times rows a batch adds) (src/store/matches.rs), so each page of quote_grams is rewritten
-- once in many batches instead of once a batch. Lookups read both tables.
CREATE TABLE quote_grams_staged (
    gram INTEGER NOT NULL,
    -- No reference: a quotation deleted while its grams wait here would make SQLite scan
    -- the table for each one. Lookups skip rows gone; the move leaves them behind.
    qid  INTEGER NOT NULL,
    w    INTEGER NOT NULL,                      -- the write that recorded it
    PRIMARY KEY (gram, qid)
) WITHOUT ROWID;
CREATE INDEX quote_grams_staged_by_write ON quote_grams_staged(w);

-- How many rows quote_grams held after the last move (kept here: counting them is a scan).
CREATE TABLE quote_grams_size (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    n  INTEGER NOT NULL
);
INSERT INTO quote_grams_size (id, n) SELECT 0, count(*) FROM quote_grams;
