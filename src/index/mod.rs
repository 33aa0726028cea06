//! Retrieval: which stored documents may hold a passage, found through word-shingle
//! fingerprints so that every holder is found, however common the passage's words.
//!
//! A document's text is read as normalised words (see [`crate::text::normalize`]). Every
//! run of [`SHINGLE`] consecutive words is a shingle, hashed with a hash that never changes
//! (the index keeps the hashes). Winnowing keeps, of every [`WINDOW`] consecutive shingles,
//! the one that ranks lowest, and the document is indexed under the kept shingles only
//! (about 2 in 4 words), so the index stays a fraction of the text's size.
//!
//! The guarantee that makes retrieval complete: a passage of at least [`MIN_WORDS`] words
//! holds whole windows, and a window's pick depends only on the words in it. So the
//! document holding the passage kept, among its fingerprints, every fingerprint that the
//! passage alone keeps. Looking up any one of the passage's fingerprints therefore lists
//! every document that holds the passage word for word; the rarest one lists them at the
//! least cost, which grows with the number of holders, not with the store. A passage with
//! a few words changed still shares the fingerprints of its untouched windows.
//!
//! Shingles made of common words ("of the", "it is") rank after any shingle holding a
//! rarer word, so the kept fingerprints are the distinctive ones where a window has any.
//!
//! A passage shorter than [`MIN_WORDS`] has no window; it is found through the word index
//! (every distinct word of each document), as the documents holding all of its words.

pub mod retrieve;

pub use retrieve::{Method, Retrieval, closest, retrieve};

use rayon::prelude::*;

use crate::store::postings::Index;
use crate::store::{self, Store};
use crate::text::{self, normalize};

/// Documents indexed per transaction when catching up.
const CATCH_UP_BATCH: usize = 256;
/// Quotations added to the quotation-id index per transaction when catching up.
const QUOTE_IDS_BATCH: usize = 250_000;

/// Indexes the quotations waiting for the quotation-id index and the documents waiting for
/// the posting indexes (those of a store made before they existed, or all after
/// `prov fsck --reindex`), a batch per transaction, so an
/// interrupted run keeps what it did. `progress` gets (done, total). A document whose text
/// cannot be read is indexed as empty: it can support nothing, and `prov fsck` reports it.
pub fn catch_up(
    store: &mut Store,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, store::Error> {
    while store.index_quote_ids(QUOTE_IDS_BATCH)? > 0 {}
    let total = store.index_pending_count()?;
    let mut done = 0;
    while done < total {
        let rows = store.index_pending(CATCH_UP_BATCH)?;
        if rows.is_empty() {
            break;
        }
        let docs = store.document_ids(&rows)?;
        let objects = store.objects().clone();
        let keys: Vec<(i64, Keys)> = docs
            .par_iter()
            .map(|(seq, id, text_id)| {
                let keys = text::stored_text(&objects, id, text_id.as_ref())
                    .map(|t| document_keys(&t))
                    .unwrap_or_default();
                (*seq, keys)
            })
            .collect();
        store.write(|tx| -> Result<(), store::Error> {
            let refs: Vec<(i64, &Keys)> = keys.iter().map(|(d, k)| (*d, k)).collect();
            add_keys(tx, &refs)?;
            tx.clear_index_pending(&rows)
        })?;
        done += rows.len() as u64;
        progress(done.min(total), total);
    }
    compact_after(store, usize::try_from(done).unwrap_or(usize::MAX))?;
    Ok(done)
}

/// After a run that added at least half of the store's documents, merges each posting
/// index into one segment: a lookup then reads one block per key instead of one per
/// segment, which is what a query waits for when the store's pages are not cached (at
/// 100,000 documents, verify p95 34 ms before, 11 ms after). Each run that merges has at
/// least doubled the store, so the merges cost a constant share of the adds.
pub fn compact_after(store: &mut Store, added: usize) -> Result<(), store::Error> {
    let total = usize::try_from(store.last_document_row()?).unwrap_or(usize::MAX);
    if added >= COMPACT_MIN_DOCUMENTS && added.saturating_mul(2) >= total {
        store.compact_indexes()?;
    }
    Ok(())
}

/// Runs adding fewer documents leave the index's segments as the writes left them.
const COMPACT_MIN_DOCUMENTS: usize = 1_000;

/// Words per shingle.
pub const SHINGLE: usize = 2;
/// Shingles per winnowing window.
pub const WINDOW: usize = 3;
/// The shortest passage (in words) that retrieval by fingerprints is sure to find: one
/// whole window.
pub const MIN_WORDS: usize = SHINGLE + WINDOW - 1;

/// A kept shingle's hash, as the index stores it.
pub type Fingerprint = u32;

/// A word's key in the word index.
pub type WordKey = u32;

/// What the posting indexes hold for one document, each sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    pub fingerprints: Vec<Fingerprint>,
    pub words: Vec<WordKey>,
}

impl Keys {
    fn get(&self, index: Index) -> &[u32] {
        match index {
            Index::Fingerprints => &self.fingerprints,
            Index::Words => &self.words,
            // Quotation ids are indexed by the store as it writes quotations.
            Index::QuoteIds => &[],
        }
    }
}

/// Adds documents stored in this transaction (by row) to both posting indexes.
pub fn add_keys(tx: &store::Tx<'_>, docs: &[(i64, &Keys)]) -> Result<(), store::Error> {
    for index in Index::DOCUMENTS {
        let refs: Vec<(i64, &[u32])> = docs.iter().map(|(d, k)| (*d, k.get(index))).collect();
        tx.add_postings(index, &refs)?;
    }
    Ok(())
}

/// Whether both posting indexes hold document row `doc` (stored with `keys`), or it waits
/// to be indexed: then adding its keys again would list it twice. One key of each is
/// looked up (a document's keys are written together).
pub fn holds(tx: &store::Tx<'_>, doc: i64, keys: &Keys) -> Result<bool, store::Error> {
    if tx.index_pending_holds(doc)? {
        return Ok(true);
    }
    for index in Index::DOCUMENTS {
        let Some(&key) = keys.get(index).first() else {
            continue;
        };
        let found = tx.postings(index, &[key], usize::MAX)?;
        if !found.first().is_some_and(|p| p.docs.contains(&doc)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Documents with text worth indexing that a posting index holds nothing for (and that
/// are not waiting to be indexed): what `prov fsck` reports as missing from it.
pub fn unindexed(store: &Store) -> Result<Vec<(crate::model::DocId, Index)>, store::Error> {
    let indexed = Index::DOCUMENTS
        .iter()
        .map(|&i| store.indexed_documents(i))
        .collect::<Result<Vec<_>, _>>()?;
    let pending: rustc_hash::FxHashSet<i64> =
        store.index_pending(usize::MAX)?.into_iter().collect();
    let rows: Vec<i64> = store
        .document_rows()?
        .into_iter()
        .filter(|r| !pending.contains(r) && indexed.iter().any(|i| !i.contains(r)))
        .collect();
    let docs = store.document_ids(&rows)?;
    let objects = store.objects();
    let missing: Vec<Vec<(crate::model::DocId, Index)>> = docs
        .par_iter()
        .map(|(seq, id, text_id)| {
            let Ok(text) = text::stored_text(objects, id, text_id.as_ref()) else {
                return Vec::new();
            };
            let keys = document_keys(&text);
            Index::DOCUMENTS
                .iter()
                .zip(&indexed)
                .filter(|(i, held)| !keys.get(**i).is_empty() && !held.contains(seq))
                .map(|(i, _)| (*id, *i))
                .collect()
        })
        .collect();
    Ok(missing.into_iter().flatten().collect())
}

/// The keys of a document's text for both posting indexes.
pub fn document_keys(text: &str) -> Keys {
    // Without the map back to the original, and word by word: a document's keys cost
    // little more memory than its normalised text, however long it is.
    let norm = normalize::normalize_text(text);
    let mut words: Vec<WordKey> = Vec::new();
    let mut fingerprints = fingerprints_of(
        normalize::word_iter(&norm)
            .map(|w| &norm[w.start..w.end])
            .inspect(|w| words.push(word_key(w))),
    );
    fingerprints.sort_unstable();
    fingerprints.dedup();
    words.sort_unstable();
    words.dedup();
    Keys {
        fingerprints,
        words,
    }
}

/// A normalised word's key in the word index: its hash, mixed. Fixed forever, like
/// [`shingle_hash`]. Two words may share a key; retrieval then lists a few documents too
/// many, which alignment turns away, and never too few.
pub fn word_key(word: &str) -> WordKey {
    shingle_hash(std::iter::once(word_hash(word)))
}

/// The fingerprints winnowing keeps for a run of normalised words, in text order (with
/// repeats when a shingle is kept twice). Empty when there are fewer than [`MIN_WORDS`].
pub fn fingerprints(words: &[&str]) -> Vec<Fingerprint> {
    fingerprints_of(words.iter().copied())
}

/// [`fingerprints`] of words given one at a time.
fn fingerprints_of<'w>(words: impl Iterator<Item = &'w str>) -> Vec<Fingerprint> {
    // Each word is hashed and looked up once; a shingle combines its words'.
    let mut shingle: std::collections::VecDeque<(u64, u64)> =
        std::collections::VecDeque::with_capacity(SHINGLE);
    let mut ranks: Vec<u64> = Vec::new();
    for w in words {
        if shingle.len() == SHINGLE {
            shingle.pop_front();
        }
        shingle.push_back((word_hash(w), u64::from(is_common(w))));
        if shingle.len() == SHINGLE {
            let common: u64 = shingle.iter().map(|w| w.1).sum();
            ranks.push((common << 32) | u64::from(shingle_hash(shingle.iter().map(|w| w.0))));
        }
    }
    winnow(&ranks)
}

/// The lowest-ranked shingle of every window of [`WINDOW`] shingles, each kept once per
/// run of windows that pick it. Fewer than [`MIN_WORDS`] words make fewer than `WINDOW`
/// shingles, and no fingerprint.
fn winnow(ranks: &[u64]) -> Vec<Fingerprint> {
    if ranks.len() < WINDOW {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut last: Option<usize> = None;
    for start in 0..=ranks.len() - WINDOW {
        // The lowest rank in the window; on a tie the rightmost, so a run of equal
        // shingles keeps few.
        let mut pick = start;
        for i in start + 1..start + WINDOW {
            if ranks[i] <= ranks[pick] {
                pick = i;
            }
        }
        if last != Some(pick) {
            out.push(ranks[pick] as u32);
            last = Some(pick);
        }
    }
    out
}

/// FNV-1a over a word's bytes. Fixed forever, like [`shingle_hash`]: stored fingerprints
/// must agree with those computed by later builds.
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A shingle's hash from its words' hashes, in order, finished with splitmix64's mixer
/// (which spreads FNV's weak low bits). Its rank for winnowing is how many of its words
/// are common, then this hash.
fn shingle_hash(words: impl Iterator<Item = u64>) -> u32 {
    let mut h: u64 = 0;
    for w in words {
        h = (h.rotate_left(29) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 32) as u32
}

/// The most frequent English words: a shingle of them alone says little about where a
/// passage is.
pub fn is_common(word: &str) -> bool {
    COMMON.binary_search(&word).is_ok()
}

/// Sorted, so lookups are a binary search. Changing it changes which shingles are kept:
/// stores indexed with another list must be indexed again.
const COMMON: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "it's", "its",
    "just", "me", "more", "my", "no", "not", "of", "on", "one", "only", "or", "our", "out", "over",
    "said", "says", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "up", "us", "was", "we", "were", "what", "when",
    "which", "who", "will", "with", "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let norm = normalize::normalize(text);
        normalize::words(&norm.text)
            .iter()
            .map(|w| norm.text[w.start..w.end].to_owned())
            .collect()
    }

    /// Shingle ranks as first computed, over whole vectors: the fingerprints stored in
    /// every index come from these, so the streaming form must give exactly the same.
    fn fingerprints_by_vectors(words: &[&str]) -> Vec<Fingerprint> {
        let each: Vec<(u64, u64)> = words
            .iter()
            .map(|w| (word_hash(w), u64::from(is_common(w))))
            .collect();
        let ranks: Vec<u64> = each
            .windows(SHINGLE)
            .map(|ws| {
                let common: u64 = ws.iter().map(|w| w.1).sum();
                (common << 32) | u64::from(shingle_hash(ws.iter().map(|w| w.0)))
            })
            .collect();
        winnow(&ranks)
    }

    #[test]
    fn streaming_keys_are_the_stored_ones() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .collect();
        texts.extend(["", "one", "a b c", "a b c d", "the the the the the"].map(String::from));
        assert!(texts.iter().any(|t| t.len() > 1000));
        for text in &texts {
            let owned = words(text);
            let w: Vec<&str> = owned.iter().map(String::as_str).collect();
            let mut expected = fingerprints_by_vectors(&w);
            assert_eq!(fingerprints(&w), expected);
            expected.sort_unstable();
            expected.dedup();
            let mut word_keys: Vec<WordKey> = w.iter().map(|w| word_key(w)).collect();
            word_keys.sort_unstable();
            word_keys.dedup();
            let keys = document_keys(text);
            assert_eq!(keys.fingerprints, expected);
            assert_eq!(keys.words, word_keys);
        }
    }

    fn fp(text: &str) -> Vec<Fingerprint> {
        let w = words(text);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        fingerprints(&w)
    }

    #[test]
    fn the_common_word_list_is_sorted() {
        assert!(COMMON.windows(2).all(|w| w[0] < w[1]));
    }

    fn hash(words: &[&str]) -> u32 {
        shingle_hash(words.iter().map(|w| word_hash(w)))
    }

    #[test]
    fn the_hash_is_fixed() {
        // Stored indexes depend on these values: they must never change.
        assert_ne!(hash(&["once", "in"]), hash(&["oncei", "n"]));
        assert_ne!(hash(&["once", "in"]), hash(&["in", "once"]));
        assert_eq!(hash(&["nothing", "changed"]), 0x25be_7eb3);
    }

    #[test]
    fn a_passage_keeps_a_subset_of_its_holders_fingerprints() {
        let doc = "Officials met on Tuesday. Once in a while the minister said what you see \
                   is what you get, and nothing changed for three years after that.";
        let held = document_keys(doc).fingerprints;
        for passage in [
            "once in a while",
            "what you see is what you get",
            "nothing changed for three years",
            "the minister said what you see",
        ] {
            let q = fp(passage);
            assert!(!q.is_empty(), "{passage}");
            for f in q {
                assert!(held.binary_search(&f).is_ok(), "{passage}: {f:x} not kept");
            }
        }
    }

    #[test]
    fn word_keys_are_fixed_and_cover_every_word() {
        // Stored indexes depend on this value: it must never change.
        assert_eq!(word_key("nothing"), 0xceab_1759);
        assert_ne!(word_key("once"), word_key("onc"));
        let keys = document_keys("Once in a while, once IN a while.");
        let mut want: Vec<u32> = ["once", "in", "a", "while"]
            .iter()
            .map(|w| word_key(w))
            .collect();
        want.sort_unstable();
        assert_eq!(keys.words, want);
    }

    #[test]
    fn short_passages_have_no_fingerprints() {
        assert!(fp("once in a").is_empty());
        assert_eq!(MIN_WORDS, 4);
    }

    #[test]
    fn content_words_are_preferred() {
        // Every window of this passage holds a shingle with a rarer word than "of the".
        let w = ["of", "the", "committee", "of", "the"];
        let picked = fingerprints(&w);
        assert!(!picked.contains(&hash(&["of", "the"])));
    }
}
