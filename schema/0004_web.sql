-- Sources from the web and HTML pages.

-- An HTML document is stored as the exact bytes served, but prov reads its article text
-- (headline and paragraphs, no navigation or scripts). That text is kept as an object of
-- its own, so quote offsets and evidence stay valid whatever a later prov's extractor
-- would make of the same page. Plain-text documents have no text object: their text is
-- their bytes, decoded.
ALTER TABLE documents ADD COLUMN format TEXT NOT NULL DEFAULT 'text'
    CHECK (format IN ('text', 'html'));
ALTER TABLE documents ADD COLUMN text_id TEXT
    CHECK (text_id IS NULL OR length(text_id) = 64);
-- The URL the page names as its own (<link rel="canonical">, og:url).
ALTER TABLE documents ADD COLUMN canonical TEXT;

-- Every fetch of a URL, including those that found the same bytes again: when a source
-- was last seen unchanged is evidence too.
CREATE TABLE fetches (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL,                 -- as requested
    final_url    TEXT NOT NULL,                 -- after redirects
    status       INTEGER NOT NULL,
    content_type TEXT,
    fetched_at   TEXT NOT NULL,                 -- RFC 3339, UTC
    doc_id       TEXT NOT NULL REFERENCES documents(id)
);
CREATE INDEX fetches_by_url ON fetches(url);
CREATE INDEX fetches_by_doc ON fetches(doc_id);
CREATE INDEX documents_by_canonical ON documents(canonical);
