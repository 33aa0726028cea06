-- Every write transaction takes the next number here, in commit order (writers queue on
-- the write lock). An add looks up a batch's likely reprints on a read connection before
-- its transaction; the number it saw then tells it, inside the transaction, whether
-- another process committed in between, and so whether to look up again.
CREATE TABLE writes (
    id BIGINT PRIMARY KEY CHECK (id = 0),
    n  BIGINT NOT NULL
);
INSERT INTO writes (id, n) VALUES (0, 0);
