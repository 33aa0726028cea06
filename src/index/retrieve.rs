//! Which stored documents to align for a quotation: every one that may hold it.

use rustc_hash::FxHashMap;

use super::fingerprints;
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
    let pending = store.shingles_pending(usize::MAX)?;
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
    let mut postings = store.postings(&all, COMMON)?;
    // Each piece's rarest fingerprint is read whatever its size: it lists every document
    // holding that piece word for word.
    for piece in per_piece {
        let rarest = piece
            .iter()
            .filter_map(|f| all.binary_search(f).ok())
            .min_by_key(|&i| postings[i].count);
        if let Some(i) = rarest {
            if postings[i].count > COMMON && postings[i].docs.is_empty() {
                postings[i] = store
                    .postings(&[all[i]], usize::MAX)?
                    .pop()
                    .unwrap_or_default();
            }
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
    let (docs, total) = store.documents_with_words(&words, SHORT_QUERY_DOCS)?;
    Ok(Retrieval {
        left_out: total.saturating_sub(docs.len()),
        complete: docs.len() >= total,
        docs,
        near: Vec::new(),
        method: Method::Words,
    })
}
