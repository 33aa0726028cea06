-- Versions that mean edits, conditional re-fetches, and feeds.

-- A re-fetch whose bytes differ from the stored version's (an ad slot, a nonce, a
-- timestamp in the markup) but whose article text is the same is a fetch of that version,
-- not a new one: the fetch row names the version's document, and `object` the bytes this
-- fetch received, kept as an object of their own so nothing is lost. NULL when the fetch
-- received the document's own bytes.
ALTER TABLE fetches ADD COLUMN object TEXT CHECK (object IS NULL OR length(object) = 64);
-- The validators the server sent, for a conditional request the next time
-- (If-None-Match, If-Modified-Since); a 304 answer is recorded as a fetch of the version.
ALTER TABLE fetches ADD COLUMN etag TEXT;
ALTER TABLE fetches ADD COLUMN last_modified TEXT;
-- A capture read from a web archive (`prov add crawl.warc.gz`) names the archive file: it
-- was fetched by whoever made the archive, at its capture date, and is not fetched again
-- by `prov watch` or `check --sources`.
ALTER TABLE fetches ADD COLUMN archive TEXT;

-- When a page says it was last modified (JSON-LD dateModified, article:modified_time):
-- what the page claims, beside the first publication's date.
ALTER TABLE documents ADD COLUMN modified TEXT;

-- Feeds (RSS, Atom, JSON Feed) added with `prov add --feed`, polled again by `prov watch`.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT,
    added_at      TEXT NOT NULL,                -- RFC 3339, UTC
    polled_at     TEXT,
    etag          TEXT,
    last_modified TEXT
);

-- Every item a feed listed, so each page is fetched once however often the feed is polled.
CREATE TABLE feed_items (
    feed      INTEGER NOT NULL REFERENCES feeds(id),
    key       TEXT NOT NULL,                    -- the item's id, or its link when it has none
    url       TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    PRIMARY KEY (feed, key)
) WITHOUT ROWID;
