-- Grams wait in a small table before they join quote_grams, and move there in key order
-- (see schema/0014_staged_grams.sql). Lookups read both tables.
CREATE TABLE quote_grams_staged (
    gram BIGINT NOT NULL,
    qid  BIGINT NOT NULL,
    w    BIGINT NOT NULL,
    PRIMARY KEY (gram, qid)
);
CREATE INDEX quote_grams_staged_by_write ON quote_grams_staged(w);

CREATE TABLE quote_grams_size (
    id BIGINT PRIMARY KEY CHECK (id = 0),
    n  BIGINT NOT NULL
);
INSERT INTO quote_grams_size (id, n) SELECT 0, count(*) FROM quote_grams;
