-- Every write transaction takes the next number here, in commit order (writers queue on
-- the write lock). An add looks up a batch's likely reprints on a read connection before
-- its transaction; the number it saw then tells it, inside the transaction, whether
-- another process committed in between, and the grams that process recorded (numbered
-- by the write that recorded them) are read then, in one statement.
CREATE TABLE writes (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    n  INTEGER NOT NULL
);
INSERT INTO writes (id, n) VALUES (0, 0);

ALTER TABLE quote_grams ADD COLUMN w INTEGER NOT NULL DEFAULT 0;
CREATE INDEX quote_grams_by_write ON quote_grams(w);
