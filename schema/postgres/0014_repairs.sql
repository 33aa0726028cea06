-- A repair in progress (see schema/0014_repairs.sql).
CREATE TABLE repairs (
    kind       TEXT COLLATE "C" PRIMARY KEY,    -- 'rederive'
    started_at TEXT COLLATE "C" NOT NULL        -- RFC 3339, UTC
);
