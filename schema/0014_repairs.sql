-- A repair in progress. `prov fsck --repair` records one in the same transaction that
-- clears what it rebuilds (quotations, speakers, groups, indexes) and deletes it when the
-- rebuild is done, so a repair stopped midway is reported and finished by the next
-- `prov fsck --repair`, never taken for a whole store with fewer quotations.
CREATE TABLE repairs (
    kind       TEXT PRIMARY KEY,                -- 'rederive'
    started_at TEXT NOT NULL                    -- RFC 3339, UTC
);
