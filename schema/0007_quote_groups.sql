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

-- Recorded pairs (quote_matches) become groups, and the pair table goes: connected
-- quotations are one group, founded by the lowest row. Components are found with a
-- union-find in src/store/migrate.rs, which runs right after this file in the same
-- transaction (a recursive query would list every pair of a component: quadratic).
