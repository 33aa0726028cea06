//! Which stored documents to align for a quotation: every one that may hold it.

use rustc_hash::FxHashMap;

use super::{fingerprints, is_common, word_key};
use crate::store::postings::Index;
use crate::store::{self, Store};

/// A fingerprint held by more documents than this is read only when the passage has no
/// rarer one: such shingles are boilerplate, and a verbatim holder is found through any
/// fingerprint of the passage, so skipping them loses none.
const COMMON: usize = 50_000;

/// A query too short for fingerprints is looked up by its words; when more documents than
/// this hold every one of them, only this many are aligned and the answer says so.
const SHORT_QUERY_DOCS: usize = 20_000;

/// How the documents were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Through the fingerprints of passages of [`super::MIN_WORDS`] words or more.
    Fingerprints,
    /// Through the words of a query too short for fingerprints: documents holding all of
    /// them.
    Words,
}

/// The documents to align for a query.
#[derive(Debug, Clone)]
pub struct Retrieval {
    /// Document rows that may hold the quotation word for word: those holding every
    /// fingerprint looked up (or, for a short query, every word), and documents not yet
    /// indexed. Every verbatim holder is among them.
    pub docs: Vec<i64>,
    /// Document rows sharing enough fingerprints to hold it with a word or two changed,
    /// most shared first.
    pub near: Vec<i64>,
    pub method: Method,
    /// False when a bound cut the list short (a very short query whose words thousands of
    /// documents hold); the documents left out were never looked at.
    pub complete: bool,
    /// Documents that hold the words but were left out by that bound.
    pub left_out: usize,
}

/// Every document that may hold a passage made of `pieces` (the normalised words between
/// elisions, in order): all documents holding any piece word for word, and those sharing
/// enough of its fingerprints to hold it with a few words changed. Documents not yet in
/// the fingerprint index are always included.
pub fn retrieve(store: &Store, pieces: &[Vec<&str>]) -> Result<Retrieval, store::Error> {
    let per_piece: Vec<Vec<u32>> = pieces
        .iter()
        .map(|p| {
            let mut f = fingerprints(p);
            f.sort_unstable();
            f.dedup();
            f
        })
        .filter(|f| !f.is_empty())
        .collect();
    let mut retrieval = if per_piece.is_empty() {
        by_words(store, pieces)?
    } else {
        by_fingerprints(store, &per_piece)?
    };
    // Documents of a store indexed before fingerprints existed, until they are indexed.
    let pending = store.index_pending(usize::MAX)?;
    if !pending.is_empty() {
        let known: rustc_hash::FxHashSet<i64> = retrieval
            .docs
            .iter()
            .chain(&retrieval.near)
            .copied()
            .collect();
        retrieval
            .docs
            .extend(pending.into_iter().filter(|d| !known.contains(d)));
    }
    Ok(retrieval)
}

fn by_fingerprints(store: &Store, per_piece: &[Vec<u32>]) -> Result<Retrieval, store::Error> {
    let mut all: Vec<u32> = per_piece.iter().flatten().copied().collect();
    all.sort_unstable();
    all.dedup();
    let mut postings = store.postings(Index::Fingerprints, &all, COMMON)?;
    // Each piece's rarest fingerprint is read whatever its size: it lists every document
    // holding that piece word for word.
    for piece in per_piece {
        let rarest = piece
            .iter()
            .filter_map(|f| all.binary_search(f).ok())
            .min_by_key(|&i| postings[i].count);
        if let Some(i) = rarest
            && postings[i].count > COMMON
            && postings[i].docs.is_empty()
        {
            postings[i] = store
                .postings(Index::Fingerprints, &[all[i]], usize::MAX)?
                .pop()
                .unwrap_or_default();
        }
    }
    let read = postings
        .iter()
        .filter(|p| p.count > 0 && !p.docs.is_empty())
        .count();
    let mut shared: FxHashMap<i64, u32> = FxHashMap::default();
    for p in &postings {
        for &d in &p.docs {
            *shared.entry(d).or_default() += 1;
        }
    }
    // A verbatim holder shares every fingerprint read; one with a word or two changed
    // still shares at least half of a passage's (a changed word costs the two shingles
    // holding it and the windows around them). A document sharing fewer shares common
    // phrases, not the passage. A short passage has too few fingerprints to survive a
    // change at all, so for it only holders of every one are candidates.
    let need = if read <= 3 { read } else { read.div_ceil(2) }.max(1) as u32;
    let mut found: Vec<(i64, u32)> = shared.into_iter().filter(|&(_, n)| n >= need).collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let every = found.partition_point(|&(_, n)| n as usize >= read);
    let near = found.split_off(every);
    Ok(Retrieval {
        docs: found.into_iter().map(|(d, _)| d).collect(),
        near: near.into_iter().map(|(d, _)| d).collect(),
        method: Method::Fingerprints,
        complete: true,
        left_out: 0,
    })
}

fn by_words(store: &Store, pieces: &[Vec<&str>]) -> Result<Retrieval, store::Error> {
    let words: Vec<&str> = pieces.iter().flatten().copied().collect();
    let holding = holding_all(store, &words)?;
    let total = holding.len();
    let mut docs = holding;
    docs.truncate(SHORT_QUERY_DOCS);
    Ok(Retrieval {
        left_out: total - docs.len(),
        complete: docs.len() == total,
        docs,
        near: Vec::new(),
        method: Method::Words,
    })
}

/// Rows of the documents holding every one of `words` (normalised, in any order), lowest
/// first: the intersection of their posting lists, rarest first. Empty for no words.
fn holding_all(store: &Store, words: &[&str]) -> Result<Vec<i64>, store::Error> {
    let mut keys: Vec<u32> = words.iter().map(|w| word_key(w)).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut lists: Vec<Vec<i64>> = store
        .postings(Index::Words, &keys, usize::MAX)?
        .into_iter()
        .map(|p| p.docs)
        .collect();
    lists.sort_unstable_by_key(Vec::len);
    let mut lists = lists.into_iter();
    let mut holding = lists.next().unwrap_or_default();
    for list in lists {
        if holding.is_empty() {
            break;
        }
        holding = intersect(&holding, &list);
    }
    Ok(holding)
}

/// The rows in both ascending lists.
fn intersect(a: &[i64], b: &[i64]) -> Vec<i64> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .copied()
        .filter(|x| large.binary_search(x).is_ok())
        .collect()
}

/// The most documents read from one word's posting list when ranking the closest.
const CLOSEST_POSTINGS: usize = 20_000;

/// Documents most likely to hold a passage close to one made of `words` (normalised) when
/// none holds it: those sharing its rarest words, ranked by the summed rarity (IDF) of the
/// words they share; the documents holding all of its words first when rarity cannot tell
/// them apart. At most `limit` rows.
pub fn closest(store: &Store, words: &[&str], limit: usize) -> Result<Vec<i64>, store::Error> {
    let mut terms: Vec<&str> = words.to_vec();
    terms.sort_unstable();
    terms.dedup();
    let informative: Vec<&str> = terms.iter().copied().filter(|w| !is_common(w)).collect();
    let pool = if informative.len() >= 2 {
        informative
    } else {
        terms.clone()
    };
    let keys: Vec<u32> = pool.iter().map(|w| word_key(w)).collect();
    let postings = store.postings(Index::Words, &keys, CLOSEST_POSTINGS)?;
    let mut counted: Vec<(usize, usize)> = postings
        .iter()
        .enumerate()
        .filter(|(_, p)| p.count > 0)
        .map(|(i, p)| (p.count, i))
        .collect();
    if counted.is_empty() {
        return Ok(Vec::new());
    }
    counted.sort_unstable();
    // The highest row stands in for the number of documents: exact unless rows were
    // removed, and one index read where a count reads the whole table.
    let total = store.last_document_row()?.max(1) as f64;
    let mut scores: FxHashMap<i64, f64> = FxHashMap::default();
    // A word held by a large share of the store says little and is read only when nothing
    // rarer exists; a list over the cap is counted, not read.
    for (i, &(n, k)) in counted.iter().take(8).enumerate() {
        if i >= 3 && (n as f64) > total / 4.0 {
            break;
        }
        let idf = (total / n as f64).ln() + 1.0;
        for &row in &postings[k].docs {
            *scores.entry(row).or_default() += idf;
        }
    }
    let mut ranked: Vec<(i64, f64)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // For a quotation made of common words ("there should be no deal") the scores tie across
    // hundreds of documents and the right one may fall past the cut; then the documents
    // holding every word of it come first. (An altered quote misses a word and is served
    // by the scores.)
    let tied_at_cut = ranked.len() > limit && ranked[limit].1 >= ranked[0].1;
    if tied_at_cut {
        let mut all = holding_all(store, &terms)?;
        all.truncate(limit);
        let first: rustc_hash::FxHashSet<i64> = all.iter().copied().collect();
        ranked.retain(|(row, _)| !first.contains(row));
        ranked = all
            .into_iter()
            .map(|r| (r, f64::INFINITY))
            .chain(ranked)
            .collect();
    }
    ranked.truncate(limit);
    Ok(ranked.into_iter().map(|(r, _)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::intersect;

    #[test]
    fn intersection_keeps_rows_in_both() {
        assert_eq!(intersect(&[1, 3, 5, 9], &[2, 3, 9, 10, 11]), [3, 9]);
        assert_eq!(intersect(&[], &[1]), Vec::<i64>::new());
    }
}
