-- Other stores this one pushes to and pulls from, by name, as git remotes: `prov remote
-- add NAME URL`. A URL is a store directory (absolute) or a database URL.
CREATE TABLE remotes (
    name TEXT PRIMARY KEY CHECK (length(name) > 0),
    url  TEXT NOT NULL
) WITHOUT ROWID;
