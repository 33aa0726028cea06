-- Matches as groups: a quotation printed by many documents is one group (one id per
-- utterance), each member recording how its wording reads against the member it joined
-- through, instead of a row per pair (500 reprints would make 125,000 pairs).
CREATE TABLE quote_groups (
    id INTEGER PRIMARY KEY                      -- the row of the quotation that founded it
);

ALTER TABLE quotes ADD COLUMN grp INTEGER REFERENCES quote_groups(id);
-- How this quotation reads against the one it joined the group through (NULL for the
-- founding quotation): exact, normalized, elided, elided-meaning or altered.
ALTER TABLE quotes ADD COLUMN grp_verdict TEXT;
ALTER TABLE quotes ADD COLUMN grp_similarity REAL;
CREATE INDEX quotes_by_group ON quotes(grp) WHERE grp IS NOT NULL;

-- Recorded pairs become groups: the connected quotations, founded by the lowest row.
CREATE TEMP TABLE match_edges AS
    SELECT qid AS a, other AS b FROM quote_matches
    UNION SELECT other, qid FROM quote_matches;
CREATE TEMP TABLE match_roots AS
    WITH RECURSIVE reach(q, r) AS (
        SELECT a, a FROM match_edges
        UNION
        SELECT reach.q, match_edges.b FROM reach JOIN match_edges ON match_edges.a = reach.r
    )
    SELECT q, min(r) AS root FROM reach GROUP BY q;
INSERT INTO quote_groups (id) SELECT DISTINCT root FROM match_roots;
UPDATE quotes SET
    grp = (SELECT root FROM match_roots WHERE match_roots.q = quotes.qid),
    grp_verdict = (SELECT verdict FROM quote_matches m WHERE m.qid = quotes.qid
                   ORDER BY similarity DESC LIMIT 1),
    grp_similarity = (SELECT similarity FROM quote_matches m WHERE m.qid = quotes.qid
                      ORDER BY similarity DESC LIMIT 1)
WHERE qid IN (SELECT q FROM match_roots);
DROP TABLE match_edges;
DROP TABLE match_roots;
DROP TABLE quote_matches;
