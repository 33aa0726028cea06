//! What changed between two documents or two versions of a source: a word diff of their
//! text, paragraph by paragraph, and the quotations that appeared, vanished or changed.
//!
//! Paragraphs are aligned first; words are compared only inside a run of changed
//! paragraphs, and only while that run is small enough (see [`MAX_WORD_CELLS`]): the work
//! is bounded by the input's size, never by a clock, so the same two texts always give the
//! same answer.

use serde::Serialize;
use similar::{Algorithm, DiffOp as Step};

use crate::model::{Change, DiffOp, DocId};
use crate::store::quotes::{QuoteFilter, StoredQuote};
use crate::store::{self, Store};

/// Words compared in one run of changed paragraphs at most (old words times new words);
/// a larger run is shown as removed and added whole.
pub const MAX_WORD_CELLS: usize = 4_000_000;

/// Two quotations are one that changed when at least this share of their words match.
const SAME_QUOTE: f32 = 0.5;

/// The difference between two documents' texts.
#[derive(Debug, Clone, Serialize)]
pub struct TextDiff {
    /// Runs of paragraphs in order: unchanged runs are counted, changed ones diffed.
    pub hunks: Vec<Hunk>,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
    pub paragraphs_changed: usize,
    pub words_added: usize,
    pub words_removed: usize,
}

impl TextDiff {
    pub fn is_empty(&self) -> bool {
        self.paragraphs_added + self.paragraphs_removed + self.paragraphs_changed == 0
    }
}

/// One run of paragraphs.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Hunk {
    /// Paragraphs both texts hold alike.
    Same { paragraphs: usize },
    /// Paragraphs that differ: the word diff from the old to the new ones (`delete` is
    /// in the old text only, `insert` in the new only), paragraphs separated by "\n\n".
    Changed {
        removed: usize,
        added: usize,
        changes: Vec<Change>,
    },
}

/// A quotation on one side of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteSide {
    pub id: String,
    pub text: String,
    pub speaker: Option<String>,
}

impl From<&StoredQuote> for QuoteSide {
    fn from(q: &StoredQuote) -> Self {
        QuoteSide {
            id: q.id.clone(),
            text: q.quote.text.clone(),
            speaker: q.quote.speaker.clone(),
        }
    }
}

/// What became of a quotation between the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteFate {
    Appeared,
    Vanished,
    /// Its words changed (or who it is given to did).
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteChange {
    pub fate: QuoteFate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<QuoteSide>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<QuoteSide>,
}

/// What changed from document `from` to document `to`.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentDiff {
    pub from: DocId,
    pub to: DocId,
    pub text: TextDiff,
    pub quotes: Vec<QuoteChange>,
}

impl TextDiff {
    /// What changed, in words: "2 paragraphs changed, 1 added", or "the same text".
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "the same text".to_owned();
        }
        let mut parts = Vec::new();
        for (n, what) in [
            (self.paragraphs_changed, "changed"),
            (self.paragraphs_added, "added"),
            (self.paragraphs_removed, "removed"),
        ] {
            if n > 0 {
                let noun = if parts.is_empty() {
                    if n == 1 { "paragraph " } else { "paragraphs " }
                } else {
                    ""
                };
                parts.push(format!("{n} {noun}{what}"));
            }
        }
        parts.join(", ")
    }
}

/// Compares two stored documents: their texts (an HTML page's article text) and their
/// quotations.
pub fn documents(store: &Store, from: &DocId, to: &DocId) -> Result<DocumentDiff, store::Error> {
    let text_of = |id: &DocId| crate::text::document_text(store, id);
    let (old, new) = (text_of(from)?, text_of(to)?);
    let quotes_of = |id: &DocId| {
        store.quotes(&QuoteFilter {
            doc: Some(*id),
            ..QuoteFilter::default()
        })
    };
    let (old_quotes, new_quotes) = (quotes_of(from)?, quotes_of(to)?);
    Ok(DocumentDiff {
        from: *from,
        to: *to,
        text: texts(&old, &new),
        quotes: quotations(&old_quotes, &new_quotes),
    })
}

/// Paragraphs of a text: runs of lines between blank lines, trimmed.
fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Words with the space after each, so joining them gives the text back.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space && !space {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = space;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The word diff of two texts, paragraph by paragraph.
pub fn texts(old: &str, new: &str) -> TextDiff {
    let (a, b) = (paragraphs(old), paragraphs(new));
    let mut diff = TextDiff {
        hunks: Vec::new(),
        paragraphs_added: 0,
        paragraphs_removed: 0,
        paragraphs_changed: 0,
        words_added: 0,
        words_removed: 0,
    };
    let ops = similar::capture_diff_slices(Algorithm::Patience, &a, &b);
    // Adjacent deletions and insertions are one changed run.
    let mut pending: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let flush = |pending: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>,
                 diff: &mut TextDiff| {
        if let Some((old_r, new_r)) = pending.take() {
            changed_run(&a[old_r], &b[new_r], diff);
        }
    };
    for op in ops {
        match op {
            Step::Equal { len, .. } => {
                flush(&mut pending, &mut diff);
                match diff.hunks.last_mut() {
                    Some(Hunk::Same { paragraphs }) => *paragraphs += len,
                    _ => diff.hunks.push(Hunk::Same { paragraphs: len }),
                }
            }
            Step::Delete {
                old_index,
                old_len,
                new_index,
            } => extend(
                &mut pending,
                old_index..old_index + old_len,
                new_index..new_index,
            ),
            Step::Insert {
                old_index,
                new_index,
                new_len,
            } => extend(
                &mut pending,
                old_index..old_index,
                new_index..new_index + new_len,
            ),
            Step::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => extend(
                &mut pending,
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        }
    }
    flush(&mut pending, &mut diff);
    diff
}

fn extend(
    pending: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
) {
    *pending = Some(match pending.take() {
        Some((o, n)) => (
            o.start.min(old.start)..o.end.max(old.end),
            n.start.min(new.start)..n.end.max(new.end),
        ),
        None => (old, new),
    });
}

/// Diffs one run of changed paragraphs into `diff`.
fn changed_run(old: &[&str], new: &[&str], diff: &mut TextDiff) {
    let (old_text, new_text) = (old.join("\n\n"), new.join("\n\n"));
    let (ow, nw) = (words(&old_text), words(&new_text));
    let mut changes: Vec<Change> = Vec::new();
    let mut push = |op: DiffOp, text: &str| match changes.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => changes.push(Change {
            op,
            text: text.to_owned(),
        }),
    };
    if ow.len().saturating_mul(nw.len()) <= MAX_WORD_CELLS {
        for op in similar::capture_diff_slices(Algorithm::Myers, &ow, &nw) {
            match op {
                Step::Equal { old_index, len, .. } => {
                    push(DiffOp::Equal, &ow[old_index..old_index + len].concat())
                }
                Step::Delete {
                    old_index, old_len, ..
                } => {
                    diff.words_removed += old_len;
                    push(DiffOp::Delete, &ow[old_index..old_index + old_len].concat());
                }
                Step::Insert {
                    new_index, new_len, ..
                } => {
                    diff.words_added += new_len;
                    push(DiffOp::Insert, &nw[new_index..new_index + new_len].concat());
                }
                Step::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => {
                    diff.words_removed += old_len;
                    diff.words_added += new_len;
                    push(DiffOp::Delete, &ow[old_index..old_index + old_len].concat());
                    push(DiffOp::Insert, &nw[new_index..new_index + new_len].concat());
                }
            }
        }
    } else {
        diff.words_removed += ow.len();
        diff.words_added += nw.len();
        if !old_text.is_empty() {
            push(DiffOp::Delete, &old_text);
        }
        if !new_text.is_empty() {
            push(DiffOp::Insert, &new_text);
        }
    }
    // Paragraphs paired one to one are changed; the rest were added or removed.
    let paired = old.len().min(new.len());
    diff.paragraphs_changed += paired;
    diff.paragraphs_removed += old.len() - paired;
    diff.paragraphs_added += new.len() - paired;
    diff.hunks.push(Hunk::Changed {
        removed: old.len(),
        added: new.len(),
        changes,
    });
}

/// Lowercased words of a quotation, for comparing two.
fn quote_words(text: &str) -> Vec<String> {
    crate::text::normalize::search_words(text)
}

/// The share of the longer quotation's words the two have in common, in order.
fn overlap(a: &[String], b: &[String]) -> f32 {
    let longest = a.len().max(b.len());
    if longest == 0 || a.len().saturating_mul(b.len()) > MAX_WORD_CELLS {
        return 0.0;
    }
    let same: usize = similar::capture_diff_slices(Algorithm::Myers, a, b)
        .iter()
        .map(|op| match op {
            Step::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    same as f32 / longest as f32
}

/// Quotations that appeared, vanished or changed from `old` to `new`, in the new
/// document's order (vanished ones after).
fn quotations(old: &[StoredQuote], new: &[StoredQuote]) -> Vec<QuoteChange> {
    let key = |q: &StoredQuote| quote_words(&q.quote.text);
    let old_keys: Vec<Vec<String>> = old.iter().map(key).collect();
    let new_keys: Vec<Vec<String>> = new.iter().map(key).collect();
    let mut old_used = vec![false; old.len()];
    let mut out = Vec::new();
    let mut unmatched_new = Vec::new();
    // The same words: unchanged, unless the speaker changed.
    for (j, nk) in new_keys.iter().enumerate() {
        match (0..old.len()).find(|&i| !old_used[i] && old_keys[i] == *nk) {
            Some(i) => {
                old_used[i] = true;
                if old[i].quote.speaker != new[j].quote.speaker {
                    out.push((
                        j,
                        QuoteChange {
                            fate: QuoteFate::Changed,
                            before: Some((&old[i]).into()),
                            after: Some((&new[j]).into()),
                        },
                    ));
                }
            }
            None => unmatched_new.push(j),
        }
    }
    // Words changed: paired with the closest quotation left, when close enough.
    for j in unmatched_new {
        let best = (0..old.len())
            .filter(|&i| !old_used[i])
            .map(|i| (i, overlap(&old_keys[i], &new_keys[j])))
            .filter(|&(_, s)| s >= SAME_QUOTE)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        let change = match best {
            Some((i, _)) => {
                old_used[i] = true;
                QuoteChange {
                    fate: QuoteFate::Changed,
                    before: Some((&old[i]).into()),
                    after: Some((&new[j]).into()),
                }
            }
            None => QuoteChange {
                fate: QuoteFate::Appeared,
                before: None,
                after: Some((&new[j]).into()),
            },
        };
        out.push((j, change));
    }
    out.sort_by_key(|(j, _)| *j);
    let mut out: Vec<QuoteChange> = out.into_iter().map(|(_, c)| c).collect();
    for (i, q) in old.iter().enumerate() {
        if !old_used[i] {
            out.push(QuoteChange {
                fate: QuoteFate::Vanished,
                before: Some(q.into()),
                after: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_paragraph_is_a_word_diff_and_the_rest_is_counted() {
        let old = "Title\n\nFirst paragraph stays.\n\nThe minister said it would open in May.\n\nLast one.";
        let new = "Title\n\nFirst paragraph stays.\n\nThe minister said it would open in June.\n\nLast one.\n\nA correction was added.";
        let d = texts(old, new);
        assert_eq!(d.paragraphs_changed, 1, "{d:?}");
        assert_eq!(d.paragraphs_added, 1, "{d:?}");
        assert_eq!(d.paragraphs_removed, 0);
        assert_eq!(d.words_removed, 1);
        let changed: Vec<&Change> = d
            .hunks
            .iter()
            .flat_map(|h| match h {
                Hunk::Changed { changes, .. } => changes.iter().collect(),
                Hunk::Same { .. } => Vec::new(),
            })
            .filter(|c| c.op != DiffOp::Equal)
            .collect();
        assert_eq!(changed[0].op, DiffOp::Delete);
        assert_eq!(changed[0].text, "May.");
        assert_eq!(changed[1].op, DiffOp::Insert);
        assert_eq!(changed[1].text, "June.");
        assert!(
            changed
                .iter()
                .any(|c| c.text.contains("A correction was added."))
        );
        assert!(matches!(d.hunks[0], Hunk::Same { paragraphs: 2 }));
    }

    #[test]
    fn the_same_text_has_no_changes() {
        let d = texts("a b\n\nc", "a b\n\nc");
        assert!(d.is_empty());
        assert_eq!(d.hunks.len(), 1);
        assert_eq!(d.summary(), "the same text");
        assert_eq!(
            texts("a\n\nb", "a\n\nc\n\nd").summary(),
            "1 paragraph changed, 1 added"
        );
        assert_eq!(texts("a\n\nb\n\nc", "a").summary(), "2 paragraphs removed");
    }

    #[test]
    fn huge_changed_runs_are_shown_whole_not_diffed() {
        let old = "w ".repeat(3000);
        let new = "v ".repeat(3000);
        let d = texts(&old, &new);
        assert_eq!(d.words_removed, 3000);
        assert_eq!(d.words_added, 3000);
    }
}
