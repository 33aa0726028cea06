-- Full-text index over every document's text, for finding candidate sources of a quote.
-- Contentless: the text itself lives in the objects, so it is not stored twice. Rows are
-- keyed by documents.seq. unicode61 folds case and diacritics as prov's normalisation does.
-- detail=none keeps only which documents hold each term: candidates need no positions
-- (alignment reads the document itself), and the index is several times smaller.
CREATE VIRTUAL TABLE doc_text USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- How many documents hold each term: the rarest terms of a quote pick its candidates.
CREATE VIRTUAL TABLE doc_terms USING fts5vocab(doc_text, 'row');

-- Sampled word 4-grams of quotations, so a quote added later finds the same quote in
-- documents already stored without scanning them.
CREATE TABLE quote_grams (
    gram INTEGER NOT NULL,
    qid  INTEGER NOT NULL REFERENCES quotes(qid) ON DELETE CASCADE,
    PRIMARY KEY (gram, qid)
) WITHOUT ROWID;

-- The same quotation found in two documents, verbatim or with drifted wording.
CREATE TABLE quote_matches (
    qid        INTEGER NOT NULL REFERENCES quotes(qid) ON DELETE CASCADE,
    other      INTEGER NOT NULL REFERENCES quotes(qid) ON DELETE CASCADE,
    verdict    TEXT NOT NULL,                   -- exact, normalized, elided, altered
    similarity REAL NOT NULL,
    PRIMARY KEY (qid, other)
) WITHOUT ROWID;
CREATE INDEX quote_matches_by_other ON quote_matches(other);
