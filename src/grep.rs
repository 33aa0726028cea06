//! Searching the store for words or a phrase: every stored document that holds them, and
//! each place it does, by line.
//!
//! The same retrieval as `verify` finds the documents (every holder of a passage of four
//! words or more through the fingerprint index; for fewer words, those holding all of
//! them through the word index), then each document's text is read and the phrase found
//! word by word, so typography (case, curly quotes, dashes, hyphenation) never hides a
//! match. Matches are reported at offsets into the document's own text.

use crate::index;
use crate::model::{DocId, Publication};
use crate::store::{self, Store};
use crate::text::{self, normalize};

/// One place a document holds the phrase.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// 1-based line of the document's text the match starts on, and its column (in
    /// characters, 1-based).
    pub line: usize,
    pub column: usize,
    /// The match in the document's text: code point offsets, end exclusive, and its words
    /// as written there.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The whole line the match starts on.
    pub line_text: String,
}

/// A document holding the phrase, with every place it does.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holder {
    pub id: DocId,
    /// Every publication of the document, first first.
    pub publications: Vec<Publication>,
    pub hits: Vec<Hit>,
}

/// What a search looked at, once every holder was handed out.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Searched {
    /// Documents found holding the phrase.
    pub holders: usize,
    /// False when the phrase's words are so common that a bound cut the documents looked
    /// at short; `left_out` of them were never read.
    pub complete: bool,
    pub left_out: usize,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum GrepError {
    #[error("{0:?} has no words to search for: give letters or digits")]
    NoWords(String),
    #[error(transparent)]
    Store(#[from] store::Error),
    /// What the caller did with a holder failed (writing it out).
    #[error(transparent)]
    Output(std::io::Error),
}

/// Documents read at a time: their texts and hits are held only until they are handed out,
/// so a phrase of common words in every document of a large store needs memory for a few
/// of them, not all.
const CHUNK: usize = 64;

/// Every stored document holding the words of `pattern` in that order (punctuation and
/// typography aside), and where: each is handed to `each` as soon as it is found, in the
/// store's listing order (newest first publication first, undated last, as `prov log`).
pub fn grep(
    store: &Store,
    pattern: &str,
    each: &mut dyn FnMut(Holder) -> std::io::Result<()>,
) -> Result<Searched, GrepError> {
    use rayon::prelude::*;
    let wanted = normalize::search_words(pattern);
    if wanted.is_empty() {
        return Err(GrepError::NoWords(pattern.to_owned()));
    }
    let words: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let r = index::retrieve(store, &[words])?;
    // For a short phrase the word index finds documents holding every word anywhere; the
    // text decides whether they are in order.
    let rows = store.live_document_ids(&r.docs)?;
    let objects_of: rustc_hash::FxHashMap<i64, (DocId, Option<DocId>)> = rows
        .into_iter()
        .map(|(seq, id, text_id)| (seq, (id, text_id)))
        .collect();
    let seqs: Vec<i64> = objects_of.keys().copied().collect();
    // The listing order first, from the documents' dates alone.
    let order: Vec<(DocId, Option<DocId>)> = store
        .in_listing_order(&seqs)?
        .into_iter()
        .filter_map(|seq| objects_of.get(&seq).copied())
        .collect();
    let mut holders = 0;
    for chunk in order.chunks(CHUNK) {
        // One read of the chunk's objects (a round trip each on PostgreSQL otherwise).
        let needed: Vec<DocId> = chunk.iter().map(|(id, t)| t.unwrap_or(*id)).collect();
        let objects = &store
            .objects()
            .prefetched(&needed)
            .map_err(|source| store::Error::Io {
                path: store.objects().describe().into(),
                source,
            })?;
        let found: Vec<Result<Vec<Hit>, store::Error>> = chunk
            .par_iter()
            .map(|(id, text_id)| {
                let text = text::stored_text(objects, id, text_id.as_ref())?;
                Ok(find(&text, &wanted))
            })
            .collect();
        // Publications are read for the documents that hold the words in order only.
        let mut held = Vec::new();
        for ((id, _), hits) in chunk.iter().zip(found) {
            let hits = hits?;
            if !hits.is_empty() {
                held.push((*id, hits));
            }
        }
        let ids: Vec<DocId> = held.iter().map(|(id, _)| *id).collect();
        for ((_, hits), doc) in held.into_iter().zip(store.documents(&ids)?) {
            let Some(doc) = doc else { continue };
            holders += 1;
            each(Holder {
                id: doc.id,
                publications: doc.publications,
                hits,
            })
            .map_err(GrepError::Output)?;
        }
    }
    Ok(Searched {
        holders,
        complete: r.complete,
        left_out: r.left_out,
    })
}

/// Where `text` holds the words `wanted` in a row.
pub fn find(text: &str, wanted: &[String]) -> Vec<Hit> {
    let norm = normalize::normalize(text);
    let words = normalize::words(&norm.text);
    let held: Vec<&str> = words.iter().map(|w| &norm.text[w.start..w.end]).collect();
    let n = wanted.len();
    if held.len() < n {
        return Vec::new();
    }
    let mut hits = Vec::new();
    let mut i = 0;
    while i + n <= held.len() {
        if held[i..i + n].iter().zip(wanted).all(|(h, w)| h == w) {
            let range = norm.original_range(words[i].start, words[i + n - 1].end, text);
            hits.push(hit(text, range.start, range.end));
            i += n;
        } else {
            i += 1;
        }
    }
    hits
}

/// The hit at original byte range `start..end` of `text`.
fn hit(text: &str, start: usize, end: usize) -> Hit {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let chars = |s: &str| s.chars().count();
    let begin = chars(&text[..start]);
    Hit {
        line: text[..start].matches('\n').count() + 1,
        column: chars(&text[line_start..start]) + 1,
        start: begin,
        end: begin + chars(&text[start..end]),
        text: text[start..end].to_owned(),
        line_text: text[line_start..line_end].trim_end_matches('\r').to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        normalize::search_words(s)
    }

    #[test]
    fn a_phrase_is_found_across_typography_with_its_line_and_column() {
        let text = "First line.\nHe said: “Nothing changed—for THREE years.”\nAgain: nothing changed for three years";
        let hits = find(text, &words("nothing changed for three years"));
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].line, hits[0].column), (2, 11));
        assert_eq!(hits[0].text, "Nothing changed—for THREE years");
        assert_eq!(
            hits[0].line_text,
            "He said: “Nothing changed—for THREE years.”"
        );
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(
            chars[hits[0].start..hits[0].end].iter().collect::<String>(),
            hits[0].text
        );
        assert_eq!((hits[1].line, hits[1].column), (3, 8));
    }

    #[test]
    fn words_out_of_order_or_split_are_not_a_match() {
        assert!(
            find(
                "three years, nothing changed",
                &words("nothing changed for three")
            )
            .is_empty()
        );
        assert!(find("nothing has changed", &words("nothing changed")).is_empty());
        assert_eq!(find("the cat sat", &words("cat")).len(), 1);
        // A word inside a longer one is not the word.
        assert!(find("concatenate", &words("cat")).is_empty());
    }
}
