//! Alignment: the passage of a document that best matches a quotation, and how its
//! wording differs.
//!
//! Cost is bounded by the input, never by the clock, so the same quotation and document
//! always give the same answer. Seed hits (query words found in the document) vote for
//! diagonals (document position minus query position); only windows around the best few
//! diagonals, a little longer than the query, are compared word by word with `similar`,
//! and only when the words they share could reach [`MIN_SIMILARITY`]. A query has at most
//! [`MAX_QUERY_WORDS`] words, so each diff is bounded by the square of that. A 10 MB
//! document costs one pass over its words; a query of one repeated word votes from a
//! bounded number of positions per word.

use rustc_hash::FxHashMap;
use std::ops::Range;

use similar::{Algorithm, DiffOp as Step};

use crate::model::{Change, DiffOp, Verdict};

use crate::text::normalize::{self, Normalized, Word};

/// The best passage of a document for a quotation.
#[derive(Debug, Clone)]
pub struct Passage {
    /// Byte range in the document's original text.
    pub range: Range<usize>,
    pub verdict: Verdict,
    /// 0 to 1: twice the matching words over the words of quote and passage.
    pub similarity: f32,
    pub diff: Vec<Change>,
    /// For an elided quotation: the words its elisions leave out that change the meaning
    /// (negations, conditions, numbers), as the source writes them.
    pub omits: Vec<String>,
}

/// Similarity below which a passage does not support a quotation at all.
pub const MIN_SIMILARITY: f32 = 0.6;
/// The longest quotation aligned, in words (a long transcript answer fits; a whole
/// article does not): a diff costs at most about the square of it.
pub const MAX_QUERY_WORDS: usize = 2_000;
/// Words per side of a window beyond the query's own length.
const SLACK: usize = 8;
/// How many diagonals are compared word by word.
const WINDOWS: usize = 3;
/// Positions per distinct query word that vote, so repeated words stay cheap.
const VOTES_PER_WORD: usize = 8;
/// Most words of the source's narration between two pieces of one quotation that a
/// quotation joining the pieces may leave out unmarked ("he added", "Mr Smith told
/// reporters on Monday").
const MAX_INTERRUPTION_WORDS: usize = 12;
/// The most places an elided quotation's first piece is tried from (each tries the rest of
/// the pieces), so a piece standing in many places stays cheap.
const MAX_ELIDED_WINDOWS: usize = 12;
/// Longest gap, in words, between the pieces of an elided quotation.
const MAX_ELISION_GAP: usize = 150;
/// Most source words a bracketed insertion may stand for when they are more than one: a
/// short noun phrase or name ("the new rules", "Mr John Smith", "the Secretary of State").
const MAX_BRACKETED_WORDS: usize = 4;
/// Words that open a noun phrase, so that a few source words starting with one read as a
/// referring expression a bracket may replace ("[the regulations]" for "the new rules").
const DETERMINERS: &[&str] = &[
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those",
    "your",
];

/// How a quotation marks that it leaves the source's words out between two pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// "...", "…", "[...]": any run of words, up to [`MAX_ELISION_GAP`].
    Ellipsis,
    /// "[the minister]": an editorial insertion, which replaces nothing, one word, or a
    /// short noun phrase or name (see [`bracket_may_replace`]).
    Insertion,
}

/// A quotation prepared for matching: normalised, split at ellipses and bracketed
/// insertions.
#[derive(Debug, Clone)]
pub struct Query {
    pub text: String,
    norm: Normalized,
    words: Vec<Word>,
    /// Word ranges of the pieces between elisions; one piece when nothing is elided.
    pieces: Vec<Range<usize>>,
    /// How the quotation leaves words out between `pieces[i]` and `pieces[i + 1]`: an
    /// ellipsis when any of the marks there is one.
    cuts: Vec<Cut>,
}

impl Query {
    pub fn new(text: &str) -> Query {
        let text = text
            .trim()
            .trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
            .trim();
        let text = letters_unbracketed(text);
        let norm = normalize::normalize(&text);
        let words = normalize::words(&norm.text);
        // Elisions: "...", "…" (both normalise to "..."), "[...]", and bracketed
        // insertions like "[Democrats]", which stand in for the source's own words.
        let mut cuts: Vec<(Range<usize>, Cut)> = Vec::new();
        let t = &norm.text;
        let mut i = 0;
        while i < t.len() {
            if t[i..].starts_with("...") {
                let end = t[i..].find(|c: char| c != '.').map_or(t.len(), |e| i + e);
                cuts.push((i..end, Cut::Ellipsis));
                i = end;
            } else if t[i..].starts_with('[')
                && let Some(close) = t[i + 1..]
                    .find(['[', ']'])
                    .map(|e| i + 1 + e)
                    .filter(|&e| t[e..].starts_with(']'))
            {
                // A bracket is a cut only when it closes before the next one opens: an
                // unclosed "[" (or a stray "]") is punctuation, or it would cut the rest
                // of the quotation away.
                let inner = t[i + 1..close].trim();
                let kind = if !inner.is_empty() && inner.chars().all(|c| c == '.') {
                    Cut::Ellipsis
                } else {
                    Cut::Insertion
                };
                cuts.push((i..close + 1, kind));
                i = close + 1;
            } else {
                i += t[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let mut pieces: Vec<Range<usize>> = Vec::new();
        let mut joins = Vec::new();
        // The marks since the last piece; those before the first piece join nothing.
        let mut since: Option<Cut> = None;
        let mut start = 0;
        for (cut, kind) in &cuts {
            let end = words.partition_point(|w| w.start < cut.start);
            if end > start {
                if let Some(join) = since.filter(|_| !pieces.is_empty()) {
                    joins.push(join);
                }
                pieces.push(start..end);
                since = None;
            }
            if since != Some(Cut::Ellipsis) {
                since = Some(*kind);
            }
            start = words.partition_point(|w| w.start < cut.end);
        }
        if words.len() > start {
            if let Some(join) = since.filter(|_| !pieces.is_empty()) {
                joins.push(join);
            }
            pieces.push(start..words.len());
        }
        Query {
            text,
            norm,
            words,
            pieces,
            cuts: joins,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Its words, ellipses and brackets aside.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_elided(&self) -> bool {
        self.pieces.len() > 1 || self.words.len() != self.pieces.first().map_or(0, |p| p.len())
    }

    /// The distinct words, for looking up candidates.
    pub fn terms(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for p in &self.pieces {
            for w in &self.words[p.clone()] {
                let t = &self.norm.text[w.start..w.end];
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
        }
        seen
    }

    /// Original byte range (in [`Query::text`]) of words `r`.
    fn original(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let at = self
                .words
                .get(r.start)
                .map_or(self.text.len(), |w| self.norm.original(w.start));
            return at..at;
        }
        self.norm.original_range(
            self.words[r.start].start,
            self.words[r.end - 1].end,
            &self.text,
        )
    }

    /// The normalised words of each piece between elisions, for retrieval.
    pub fn piece_words(&self) -> Vec<Vec<&str>> {
        self.pieces
            .iter()
            .map(|p| p.clone().map(|i| self.word(i)).collect())
            .collect()
    }

    fn word(&self, i: usize) -> &str {
        let w = self.words[i];
        &self.norm.text[w.start..w.end]
    }
}

/// Letters a writer bracketed inside a word, to change its case or its ending ("[T]he",
/// "walk[ed]"), read as part of the word: the brackets go, the letters stay, so "[T]he
/// game" is the source's "the game" with its case changed, not an insertion before "he".
fn letters_unbracketed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let inner_len = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let inner = &after[..inner_len];
        let closed = after[inner_len..].starts_with(']');
        let touches_word = rest[..open]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
            || after[inner_len..]
                .chars()
                .nth(1)
                .is_some_and(char::is_alphabetic);
        if closed && !inner.is_empty() && inner.chars().count() <= 3 && touches_word {
            out.push_str(&rest[..open]);
            out.push_str(inner);
            rest = &after[inner_len + 1..];
        } else {
            out.push_str(&rest[..=open]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A document prepared for matching.
pub struct Document<'t> {
    pub text: &'t str,
    norm: Normalized,
    words: Vec<Word>,
}

impl<'t> Document<'t> {
    pub fn new(text: &'t str) -> Document<'t> {
        let norm = normalize::normalize(text);
        let words = normalize::words(&norm.text);
        Document { text, norm, words }
    }

    fn word(&self, i: usize) -> &str {
        let w = self.words[i];
        &self.norm.text[w.start..w.end]
    }

    /// Whether a sentence ends, or a quotation opens or closes, between words `j` and
    /// `j + 1` (or there is no word after `j`).
    fn breaks_after(&self, j: usize) -> bool {
        match (self.words.get(j), self.words.get(j + 1)) {
            (Some(a), Some(b)) => {
                self.norm.text[a.end..b.start].contains(['.', '!', '?', ':', '"'])
            }
            _ => true,
        }
    }

    /// Whether words `r` are the source's own narration between two pieces of one
    /// quotation: a quotation mark closes just before them and one opens just after, none
    /// inside, and they are few ("in charge," he added, "working with"). A quotation that
    /// joins the two pieces leaves out no words of the speaker's.
    fn interrupts(&self, r: Range<usize>) -> bool {
        let gap = |j: usize| {
            let (a, b) = (self.words[j], self.words[j + 1]);
            &self.norm.text[a.end..b.start]
        };
        !r.is_empty()
            && r.start > 0
            && r.end < self.words.len()
            && r.len() <= MAX_INTERRUPTION_WORDS
            && gap(r.start - 1).contains('"')
            && gap(r.end - 1).contains('"')
            && (r.start..r.end - 1).all(|j| !gap(j).contains('"'))
    }

    /// Original byte range of words `r`.
    fn original(&self, r: Range<usize>) -> Range<usize> {
        if r.is_empty() {
            let at = self
                .words
                .get(r.start)
                .map_or(self.text.len(), |w| self.norm.original(w.start));
            return at..at;
        }
        self.norm.original_range(
            self.words[r.start].start,
            self.words[r.end - 1].end,
            self.text,
        )
    }
}

/// The passage of `doc` that best matches `query`, if any is close enough.
///
/// A quotation longer than [`MAX_QUERY_WORDS`] has none (callers that take quotations from
/// people refuse it first, see `crate::verify`).
pub fn best_passage(query: &Query, doc: &Document<'_>) -> Option<Passage> {
    if query.is_empty() || doc.words.is_empty() || query.words.len() > MAX_QUERY_WORDS {
        return None;
    }
    best_words(query, doc).map(|p| same_currencies(query, doc, p))
}

/// [`best_passage`], judged on the words alone.
fn best_words(query: &Query, doc: &Document<'_>) -> Option<Passage> {
    let whole = whole_passage(query, doc);
    if query.is_elided() {
        // The source may print the ellipsis (or the brackets) itself: then the quotation
        // is its words as they stand, not an elision.
        if whole
            .as_ref()
            .is_some_and(|p| p.verdict != Verdict::Altered && marks_match(query, doc, p))
        {
            return whole;
        }
        if let Some(p) = elided(query, doc, whole.as_ref().map(|p| p.range.clone())) {
            return Some(p);
        }
    }
    whole
}

/// Currency signs: words leave them out, yet "$1,400" and "£1,400" are different sums.
fn is_currency(c: char) -> bool {
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '֏' | '؋' | '฿' | '₠'
            ..='₿' | '﷼' | '﹩' | '＄' | '￠' | '￡' | '￥' | '￦'
    )
}

/// A passage found verbatim or normalised whose currency signs are not the quotation's
/// ("the extra $1,400" against "the extra £1,400") is altered: the words match, the sum
/// does not. A sign just outside the passage counts when the quotation has one there.
fn same_currencies(query: &Query, doc: &Document<'_>, mut p: Passage) -> Passage {
    if !matches!(p.verdict, Verdict::Exact | Verdict::Normalized) {
        return p;
    }
    let q = query.text.as_str();
    let signs = |s: &str| s.chars().filter(|&c| is_currency(c)).collect::<String>();
    let mut range = p.range.clone();
    let before_first_word = |s: &str| {
        s.chars()
            .take_while(|c| !c.is_alphanumeric())
            .any(is_currency)
    };
    let after_last_word = |s: &str| {
        s.chars()
            .rev()
            .take_while(|c| !c.is_alphanumeric())
            .any(is_currency)
    };
    if before_first_word(q) {
        let head = &doc.text[..range.start];
        let run = head.len() - head.trim_end_matches(is_currency).len();
        range.start -= run;
    }
    if after_last_word(q) {
        let tail = &doc.text[range.end..];
        range.end += tail.len() - tail.trim_start_matches(is_currency).len();
    }
    let source = &doc.text[range.clone()];
    if signs(q) == signs(source) {
        return p;
    }
    p.verdict = Verdict::Altered;
    p.range = range;
    p.diff = word_diff(&doc.text[p.range.clone()], q);
    p
}

/// A word diff of the source's `source` against the quotation's `quote`, as written
/// (words split at whitespace).
fn word_diff(source: &str, quote: &str) -> Vec<Change> {
    let a: Vec<&str> = source.split_whitespace().collect();
    let b: Vec<&str> = quote.split_whitespace().collect();
    let mut out: Vec<Change> = Vec::new();
    let mut push = |op: DiffOp, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text = words.join(" ");
        match out.last_mut() {
            Some(last) if last.op == op => {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            _ => out.push(Change { op, text }),
        }
    };
    for step in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
        match step {
            Step::Equal { old_index, len, .. } => {
                push(DiffOp::Equal, &a[old_index..old_index + len]);
            }
            Step::Delete {
                old_index, old_len, ..
            } => push(DiffOp::Delete, &a[old_index..old_index + old_len]),
            Step::Insert {
                new_index, new_len, ..
            } => push(DiffOp::Insert, &b[new_index..new_index + new_len]),
            Step::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(DiffOp::Delete, &a[old_index..old_index + old_len]);
                push(DiffOp::Insert, &b[new_index..new_index + new_len]);
            }
        }
    }
    out
}

/// Whether words `doc` share enough of words `query` (counted with repeats) for a passage
/// among them to reach [`MIN_SIMILARITY`]: it scores 2m / (q + span) for m matched words
/// over a span of at least m, so fewer shared words than that bound allows rule it out.
fn shares_enough(query: &[&str], doc: &[&str]) -> bool {
    let mut left: FxHashMap<&str, usize> = FxHashMap::default();
    for w in query {
        *left.entry(w).or_default() += 1;
    }
    let mut shared = 0;
    for w in doc {
        if let Some(n) = left.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    shared > 0 && 2.0 * shared as f32 / (query.len() + shared) as f32 >= MIN_SIMILARITY
}

/// The best passage for all the query's words, ellipses ignored.
fn whole_passage(query: &Query, doc: &Document<'_>) -> Option<Passage> {
    let all = 0..query.words.len();
    let mut best: Option<Passage> = verbatim(query, doc);
    for (window, _) in best
        .is_none()
        .then(|| diagonals(query, all.clone(), doc, 0..doc.words.len()))
        .into_iter()
        .flatten()
    {
        let Some(p) = compare(query, all.clone(), doc, window) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| p.similarity > b.similarity) {
            best = Some(p);
        }
    }
    let mut p = best.filter(|p| p.similarity >= MIN_SIMILARITY)?;
    p.verdict = if p.diff.iter().all(|c| c.op == DiffOp::Equal) {
        // Verbatim, counting the quotation's own punctuation before its first word and
        // after its last ("…diplomatic work.").
        let lead = query.norm.original(query.words[0].start);
        let exact = p.range.start >= lead
            && doc
                .text
                .get(p.range.start - lead..)
                .is_some_and(|rest| rest.starts_with(&query.text));
        if exact {
            p.range = p.range.start - lead..p.range.start - lead + query.text.len();
            Verdict::Exact
        } else {
            Verdict::Normalized
        }
    } else {
        Verdict::Altered
    };
    Some(p)
}

/// The first place where the document, normalised, reads exactly as the query does from
/// its first word to its last, on word boundaries: a verbatim reprint needs no diff.
fn verbatim(query: &Query, doc: &Document<'_>) -> Option<Passage> {
    let (q0, q1) = (query.words.first()?, query.words.last()?);
    let needle = query.norm.text.get(q0.start..q1.end)?;
    for at in memchr::memmem::find_iter(doc.norm.text.as_bytes(), needle.as_bytes()) {
        let first = doc.words.partition_point(|w| w.start < at);
        let end = at + needle.len();
        let last = doc.words.partition_point(|w| w.end < end);
        let on_words = doc.words.get(first).is_some_and(|w| w.start == at)
            && doc.words.get(last).is_some_and(|w| w.end == end);
        if !on_words || last - first + 1 != query.words.len() {
            continue;
        }
        let range = doc.original(first..last + 1);
        return Some(Passage {
            diff: vec![Change {
                op: DiffOp::Equal,
                text: doc.text[range.clone()].to_owned(),
            }],
            range,
            verdict: Verdict::Altered,
            similarity: 1.0,
            omits: Vec::new(),
        });
    }
    None
}

/// Whether the passage, normalised, reads exactly as the query does from its first word to
/// its last, punctuation and ellipses included.
fn marks_match(query: &Query, doc: &Document<'_>, p: &Passage) -> bool {
    let first = doc
        .words
        .partition_point(|w| doc.norm.original(w.start) < p.range.start);
    let end = doc
        .words
        .partition_point(|w| doc.norm.original(w.start) < p.range.end);
    let (Some(d0), Some(d1)) = (
        doc.words.get(first),
        end.checked_sub(1).and_then(|e| doc.words.get(e)),
    ) else {
        return false;
    };
    let (Some(q0), Some(q1)) = (query.words.first(), query.words.last()) else {
        return false;
    };
    doc.norm.text.get(d0.start..d1.end) == query.norm.text.get(q0.start..q1.end)
}

/// Windows of document words around the diagonals with the most seed hits, best first.
fn diagonals(
    query: &Query,
    q: Range<usize>,
    doc: &Document<'_>,
    within: Range<usize>,
) -> Vec<(Range<usize>, u32)> {
    let mut positions: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for i in q.clone() {
        let v = positions.entry(query.word(i)).or_default();
        if v.len() < VOTES_PER_WORD {
            v.push(i - q.start);
        }
    }
    let mut votes: FxHashMap<i64, u32> = FxHashMap::default();
    for j in within.clone() {
        if let Some(is) = positions.get(doc.word(j)) {
            for &i in is {
                *votes.entry(j as i64 - i as i64).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(i64, u32)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let len = q.len();
    let mut out: Vec<(Range<usize>, u32)> = Vec::new();
    for (d, n) in ranked {
        if out.len() >= WINDOWS {
            break;
        }
        // Nearby diagonals are the same passage with a word added or dropped.
        if out
            .iter()
            .any(|(w, _)| (w.start as i64) <= d + len as i64 && d <= w.end as i64)
        {
            continue;
        }
        let slack = SLACK + len / 4;
        let start = (d - slack as i64).max(within.start as i64) as usize;
        let end = ((d + (len + slack) as i64).max(0) as usize).min(within.end);
        if start < end {
            out.push((start..end, n));
        }
    }
    out
}

/// Word diff of query words `q` against document words `window`, cut to the span from the
/// first to the last matching word.
fn compare(
    query: &Query,
    q: Range<usize>,
    doc: &Document<'_>,
    window: Range<usize>,
) -> Option<Passage> {
    // The quotation word for word in the window: a diff of repetitive text ("aa ue aa aa")
    // may spread an equally long match over extra words, so look for it first.
    let n = q.len();
    let verbatim = (window.len() >= n)
        .then(|| {
            (window.start..=window.end - n)
                .find(|&j| (0..n).all(|i| query.word(q.start + i) == doc.word(j + i)))
        })
        .flatten();
    if let Some(j) = verbatim
        && let Some((p, ..)) = compare_once(query, q.clone(), doc, j..j + n)
    {
        return Some(p);
    }
    let (p, first, last, lead, trail) = compare_once(query, q.clone(), doc, window.clone())?;
    if lead == 0 && trail == 0 {
        return Some(p);
    }
    // Quote words left over at either end may belong just outside the passage, where an
    // equally cheap alignment put them elsewhere: align once more on a tight window.
    let tight = (window.start + first)
        .saturating_sub(lead + 2)
        .max(window.start)..(window.start + last + trail + 2).min(window.end);
    match compare_once(query, q, doc, tight) {
        Some((again, ..)) if again.similarity > p.similarity => Some(again),
        _ => Some(p),
    }
}

/// One word diff; also returns the passage's bounds in the window and how many quote
/// words were left unmatched before and after it.
fn compare_once(
    query: &Query,
    q: Range<usize>,
    doc: &Document<'_>,
    window: Range<usize>,
) -> Option<(Passage, usize, usize, usize, usize)> {
    let qw: Vec<&str> = q.clone().map(|i| query.word(i)).collect();
    let dw: Vec<&str> = window.clone().map(|j| doc.word(j)).collect();
    if !shares_enough(&qw, &dw) {
        return None;
    }
    let ops = similar::capture_diff_slices(Algorithm::Myers, &dw, &qw);
    // The passage is the run of matching blocks with the best similarity: a match far
    // before the rest (an earlier "Putin") must not stretch the passage over words the
    // quotation does not have.
    let blocks: Vec<(usize, usize, usize)> = ops
        .iter()
        .filter_map(|op| match *op {
            Step::Equal {
                old_index,
                new_index,
                len,
            } => Some((old_index, new_index, len)),
            _ => None,
        })
        .collect();
    if blocks.is_empty() {
        return None;
    }
    let score = |matched: usize, span: usize| 2.0 * matched as f32 / (qw.len() + span) as f32;
    let (mut run, mut matched) = ((0, 0), blocks[0].2);
    let mut best = score(matched, matched);
    let limit = blocks.len().min(64);
    for a in 0..limit {
        let mut m = 0;
        for b in a..limit {
            m += blocks[b].2;
            let sc = score(m, blocks[b].0 + blocks[b].2 - blocks[a].0);
            if sc > best || (sc == best && m > matched) {
                (run, matched, best) = ((a, b), m, sc);
            }
        }
    }
    let ((s, qs, _), (e, qe, n)) = (blocks[run.0], blocks[run.1]);
    let (mut first, mut last) = (s, e + n);
    // Quotation words left over at either end of the run stand opposite the source's
    // words just beyond it, where they match or replace them: the passage covers those
    // too, so a word changed at an edge shows as replaced rather than the source's word
    // going missing ("[-game-] {+never+}"). The diff alone may have put such a word
    // against a far earlier match of it (a "the" a sentence back), which the run leaves
    // out. Only words of the same sentence and the same side of a quotation mark count:
    // a word the quotation adds is not the source's previous sentence replaced. The
    // passage is then diffed again on its own.
    let at = |i: usize| window.start + i;
    let back = (0..first)
        .rev()
        .take_while(|&i| !doc.breaks_after(at(i)))
        .count();
    let ahead = (last..dw.len())
        .take_while(|&i| !doc.breaks_after(at(i) - 1))
        .count();
    let before: Vec<&str> = dw[first - back..first].iter().rev().copied().collect();
    let lead: Vec<&str> = qw[..qs].iter().rev().copied().collect();
    let extended = (
        first - edge_reach(&before, &lead),
        last + edge_reach(&dw[last..last + ahead], &qw[qe + n..]),
    );
    let ops = if extended == (first, last) {
        ops
    } else {
        (first, last) = extended;
        similar::capture_diff(Algorithm::Myers, &dw[..], first..last, &qw[..], 0..qw.len())
    };
    let matched: usize = ops
        .iter()
        .filter_map(|op| match *op {
            Step::Equal { old_index, len, .. } if old_index >= first && old_index + len <= last => {
                Some(len)
            }
            _ => None,
        })
        .sum();
    let similarity = score(matched, last - first);
    // Steps as word ranges first (source words for equal and delete, quotation words for
    // insert), merged when one kind follows itself; their text is the words as written.
    let mut steps: Vec<(DiffOp, Range<usize>)> = Vec::new();
    let mut push = |op: DiffOp, r: Range<usize>| {
        if r.is_empty() {
            return;
        }
        match steps.last_mut() {
            Some((o, last)) if *o == op && last.end == r.start => last.end = r.end,
            _ => steps.push((op, r)),
        }
    };
    let clip = |i: usize, n: usize| (i.max(first), (i + n).min(last));
    for op in &ops {
        match *op {
            Step::Equal {
                old_index,
                new_index,
                len,
            } => {
                if old_index >= first && old_index + len <= last {
                    push(DiffOp::Equal, old_index..old_index + len);
                } else {
                    push(DiffOp::Insert, new_index..new_index + len);
                }
            }
            Step::Delete {
                old_index, old_len, ..
            } => {
                let (s, e) = clip(old_index, old_len);
                if s < e {
                    push(DiffOp::Delete, s..e);
                }
            }
            Step::Insert {
                new_index, new_len, ..
            } => push(DiffOp::Insert, new_index..new_index + new_len),
            Step::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let (s, e) = clip(old_index, old_len);
                if s < e {
                    push(DiffOp::Delete, s..e);
                }
                push(DiffOp::Insert, new_index..new_index + new_len);
            }
        }
    }
    // The source's narration between two pieces of the quotation ("…in charge," he
    // added, "working…") is not a word the quotation leaves out of what was said.
    let before = steps.len();
    steps.retain(|(op, r)| {
        *op != DiffOp::Delete
            || r.start == first
            || r.end == last
            || !doc.interrupts(window.start + r.start..window.start + r.end)
    });
    let narration: usize = if steps.len() == before {
        0
    } else {
        let kept: usize = steps
            .iter()
            .filter(|(op, _)| *op != DiffOp::Insert)
            .map(|(_, r)| r.len())
            .sum();
        (last - first).saturating_sub(kept)
    };
    let similarity = if narration == 0 {
        similarity
    } else {
        score(matched, last - first - narration)
    };
    let lead = steps
        .first()
        .filter(|(op, _)| *op == DiffOp::Insert)
        .map_or(0, |(_, r)| r.len());
    let trail = steps
        .last()
        .filter(|(op, _)| *op == DiffOp::Insert)
        .map_or(0, |(_, r)| r.len());
    let mut diff: Vec<Change> = Vec::with_capacity(steps.len());
    for (op, r) in steps {
        let text = if op == DiffOp::Insert {
            &query.text[query.original(q.start + r.start..q.start + r.end)]
        } else {
            &doc.text[doc.original(window.start + r.start..window.start + r.end)]
        };
        match diff.last_mut() {
            // Two runs of one kind apart (a delete, then an insert elsewhere): join.
            Some(c) if c.op == op => {
                c.text.push(' ');
                c.text.push_str(text);
            }
            _ => diff.push(Change {
                op,
                text: text.to_owned(),
            }),
        }
    }
    let passage = Passage {
        range: doc.original(window.start + first..window.start + last),
        verdict: Verdict::Altered,
        similarity,
        diff,
        omits: Vec::new(),
    };
    Some((passage, first, last, lead, trail))
}

/// Quotation words left over at an edge of a passage that are placed against the source
/// beyond it, nearest first: enough for a changed first or last word or phrase, and a
/// bound on the work (the rest stay insertions).
const EDGE_WORDS: usize = 16;
/// Source words an edge of a passage may take in beyond the quotation's words left over
/// there, so that a phrase the quotation shortens ("the big game" for "the game") is
/// still covered.
const EDGE_SLACK: usize = 2;

/// How many of the source words `beyond` an edge of a passage (nearest first) stand
/// opposite the quotation's words `left` over at that edge (nearest first): as many
/// matches as there can be, each as near the passage as it can be, then one source word
/// for each quotation word left after the last match (a replaced word). Looks at no more
/// than [`EDGE_WORDS`] quotation words and [`EDGE_SLACK`] source words more than those.
fn edge_reach(beyond: &[&str], left: &[&str]) -> usize {
    let left = &left[..left.len().min(EDGE_WORDS)];
    let beyond = &beyond[..beyond.len().min(left.len() + EDGE_SLACK)];
    let (m, n) = (beyond.len(), left.len());
    // common[i][j]: the most words `beyond[..i]` and `left[..j]` have in common in order.
    let mut common = vec![vec![0usize; n + 1]; m + 1];
    for i in 1..=m {
        for j in 1..=n {
            common[i][j] = if beyond[i - 1] == left[j - 1] {
                common[i - 1][j - 1] + 1
            } else {
                common[i - 1][j].max(common[i][j - 1])
            };
        }
    }
    let most = common[m][n];
    // The nearest source words that hold every match; the last of them matches the
    // farthest quotation word it can, so that fewer are left to pair off beyond it.
    let Some(k) = (0..=m).find(|&i| common[i][n] == most) else {
        return 0;
    };
    let used = match k.checked_sub(1) {
        Some(i) => (0..n)
            .rev()
            .find(|&j| beyond[i] == left[j] && common[i][j] + 1 == most)
            .map_or(0, |j| j + 1),
        None => 0,
    };
    k + (m - k).min(n - used)
}

/// An elided quotation: each piece in order, close together, in one passage. The words
/// each elision leaves out are in the diff as deletions, and a negation, condition or
/// number among them makes the verdict [`Verdict::ElidedMeaning`].
///
/// The first piece is looked for where it is most alike anywhere in the document, and
/// also at the start of `near` (the passage the whole quotation aligns with, byte range):
/// a first piece of a word or two ("Would [it] not be …") is alike in many places, and
/// only the whole quotation says which one it is.
fn elided(query: &Query, doc: &Document<'_>, near: Option<Range<usize>>) -> Option<Passage> {
    let first = query.pieces.first()?.clone();
    let mut best: Option<Passage> = None;
    let mut windows = diagonals(query, first.clone(), doc, 0..doc.words.len());
    if let Some(near) = near {
        let start = words_in(doc, near).start;
        let end = (start + first.len()).min(doc.words.len());
        for w in diagonals(query, first.clone(), doc, start..end) {
            if !windows.iter().any(|(seen, _)| seen.start == w.0.start) {
                windows.push(w);
            }
        }
    }
    let mut windows: std::collections::VecDeque<Range<usize>> =
        windows.into_iter().map(|(w, _)| w).collect();
    let mut tried = 0;
    while let Some(window) = windows.pop_front() {
        tried += 1;
        if tried > MAX_ELIDED_WINDOWS {
            break;
        }
        let Some(p0) = compare(query, first.clone(), doc, window) else {
            continue;
        };
        let mut pieces_equal = p0.diff.iter().all(|c| c.op == DiffOp::Equal);
        let mut ranges = vec![p0.range.clone()];
        let mut diff = p0.diff.clone();
        let mut sims = vec![p0.similarity];
        let mut omits = Vec::new();
        let mut after = doc
            .words
            .partition_point(|w| doc.norm.original(w.start) < p0.range.end);
        let mut ok = p0.similarity >= 0.9;
        for (piece, cut) in query.pieces[1..].iter().zip(&query.cuts) {
            if !ok {
                break;
            }
            let gap = match cut {
                Cut::Ellipsis => MAX_ELISION_GAP,
                Cut::Insertion => MAX_BRACKETED_WORDS,
            };
            let within = after..(after + gap + piece.len() * 2).min(doc.words.len());
            let end = ranges.last().map_or(0, |r| r.end);
            let found = diagonals(query, piece.clone(), doc, within)
                .into_iter()
                .filter_map(|(w, _)| compare(query, piece.clone(), doc, w))
                .filter(|p| p.range.start >= end)
                .filter(|p| {
                    *cut == Cut::Ellipsis
                        || bracket_may_replace(doc, words_in(doc, end..p.range.start))
                })
                // The closest match, and of equals the nearest: the tighter passage.
                .max_by(|a, b| {
                    a.similarity
                        .total_cmp(&b.similarity)
                        .then(b.range.start.cmp(&a.range.start))
                });
            match found {
                Some(p) if p.similarity >= 0.9 => {
                    let gap_start = ranges.last().map_or(p.range.start, |r| r.end);
                    let gap = left_out(doc, gap_start..p.range.start);
                    if let Some(text) = gap {
                        // Whole sentences left out change no word of the ones kept: a
                        // "not" in them is not the quotation's.
                        if !whole_sentences(doc, words_in(doc, gap_start..p.range.start)) {
                            omits.extend(meaning_words(&text));
                        }
                        diff.push(Change {
                            op: DiffOp::Delete,
                            text,
                        });
                    }
                    pieces_equal &= p.diff.iter().all(|c| c.op == DiffOp::Equal);
                    diff.extend(p.diff.clone());
                    after = doc
                        .words
                        .partition_point(|w| doc.norm.original(w.start) < p.range.end);
                    sims.push(p.similarity);
                    ranges.push(p.range);
                }
                _ => ok = false,
            }
        }
        if !ok {
            continue;
        }
        // The first piece may stand again between where it was found and the second
        // piece ("people were … were crying" after three other "people were"): the
        // quotation was cut from the nearer one, which the windows tried so far may miss.
        if let [r0, r1, ..] = ranges.as_slice() {
            let between = words_in(doc, r0.end..r1.start);
            windows.extend(
                diagonals(query, first.clone(), doc, between)
                    .into_iter()
                    .map(|(w, _)| w),
            );
        }
        let similarity = sims.iter().sum::<f32>() / sims.len() as f32;
        let range = ranges[0].start..ranges.last().map_or(ranges[0].end, |r| r.end);
        let verdict = match (pieces_equal, omits.is_empty()) {
            (false, _) => Verdict::Altered,
            (true, true) => Verdict::Elided,
            (true, false) => Verdict::ElidedMeaning,
        };
        let p = Passage {
            range,
            verdict,
            similarity,
            diff,
            omits,
        };
        // Pieces found as well in two places: the tighter passage leaves out less, and is
        // the one the quotation was cut from ("Packet Access … called Super 3G" from the
        // sentence that says both, not from an earlier mention of the name).
        let better = best.as_ref().is_none_or(|b| {
            p.similarity > b.similarity
                || (p.similarity == b.similarity && p.range.len() < b.range.len())
        });
        if better {
            best = Some(p);
        }
    }
    best
}

/// Whether the document's words `r` are whole sentences: a sentence ends (or a quotation
/// opens or closes) just before the first and just after the last.
fn whole_sentences(doc: &Document<'_>, r: Range<usize>) -> bool {
    let ends = |j: usize| match (doc.words.get(j), doc.words.get(j + 1)) {
        (Some(a), Some(b)) => doc.norm.text[a.end..b.start].contains(['.', '!', '?', '"']),
        _ => true,
    };
    !r.is_empty() && r.start > 0 && ends(r.start - 1) && ends(r.end - 1)
}

/// The words of the source an elision stands for, as written (none when the pieces are
/// adjacent).
fn left_out(doc: &Document<'_>, gap: Range<usize>) -> Option<String> {
    let words = words_in(doc, gap);
    (!words.is_empty()).then(|| doc.text[doc.original(words)].to_owned())
}

/// The document's words that start within byte range `bytes` of its original text.
fn words_in(doc: &Document<'_>, bytes: Range<usize>) -> Range<usize> {
    let first = doc
        .words
        .partition_point(|w| doc.norm.original(w.start) < bytes.start);
    let end = doc
        .words
        .partition_point(|w| doc.norm.original(w.start) < bytes.end);
    first..end.max(first)
}

/// Whether a bracketed insertion may stand for the source's words `gap`: editorial
/// brackets replace a referring expression (a pronoun, a name, a short noun phrase) or add
/// words, so nothing, one word, or up to [`MAX_BRACKETED_WORDS`] that open with a
/// determiner or possessive ("the new rules") or are all capitalised ("Mr John Smith").
/// Any other run of words is left out, not referred to, and leaving out takes an ellipsis.
fn bracket_may_replace(doc: &Document<'_>, gap: Range<usize>) -> bool {
    let capitalised = |j: usize| doc.text[doc.original(j..j + 1)].starts_with(char::is_uppercase);
    gap.len() <= 1
        || (gap.len() <= MAX_BRACKETED_WORDS
            && (DETERMINERS.contains(&doc.word(gap.start)) || gap.clone().all(capitalised)))
}

/// Words whose omission changes what a sentence says: negations, conditions, restrictions
/// and numbers, in digits or in words ("three hundred" left out of "lost three hundred
/// soldiers" changes it as much as "300" would).
fn meaning_words(text: &str) -> Vec<String> {
    const MEANING: &[&str] = &[
        "except", "if", "neither", "never", "no", "nobody", "none", "nor", "not", "nothing",
        "nowhere", "only", "unless", "without",
    ];
    // Cardinals as words, which a text may write instead of digits; not "one", far more
    // often a pronoun ("find one", "no one") than a number.
    const NUMBERS: &str = "zero two three four five six seven eight nine ten eleven twelve \
        thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty \
        sixty seventy eighty ninety hundred thousand million billion trillion dozen hundreds \
        thousands millions billions trillions dozens";
    let norm = normalize::normalize_text(text);
    normalize::word_iter(&norm)
        .map(|w| &norm[w.start..w.end])
        .filter(|w| {
            MEANING.contains(w)
                || NUMBERS.split_whitespace().any(|n| n == *w)
                || w.ends_with("n't")
                || w.chars().any(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        // The word-count bound never rules out a passage the diff would accept: whatever
        // the texts (few distinct words, so they share many), a pair `could_match` rejects
        // has no passage at all.
        #[test]
        fn the_shared_word_bound_never_rejects_a_match(
            query in proptest::collection::vec(0u8..6, 1..14),
            doc in proptest::collection::vec(0u8..6, 1..30),
        ) {
            const WORDS: [&str; 6] = ["the", "minister", "said", "farmers", "deal", "not"];
            let join = |w: &[u8]| w.iter().map(|&i| WORDS[usize::from(i)]).collect::<Vec<_>>().join(" ");
            let (q, d) = (join(&query), join(&doc));
            let (query, document) = (Query::new(&q), Document::new(&d));
            if !could_match(&query, &document) {
                let found = best_passage(&query, &document);
                proptest::prop_assert!(found.is_none(), "{q:?} in {d:?}: {found:?}");
            }
        }
    }

    /// [`shares_enough`] over every word of both, as the bound is applied to a window.
    fn could_match(query: &Query, doc: &Document<'_>) -> bool {
        let qw: Vec<&str> = (0..query.words.len()).map(|i| query.word(i)).collect();
        let dw: Vec<&str> = (0..doc.words.len()).map(|j| doc.word(j)).collect();
        shares_enough(&qw, &dw)
    }

    #[test]
    fn a_quotation_joined_across_the_sources_attribution_is_the_speakers_words() {
        let doc = "Mr Santorum was asked about schools. \"I think the parent should be in charge,\" he added, \"working with the local school district to design an environment for each child.\" Then he left.";
        let p = best(
            "I think the parent should be in charge, working with the local school district to design an environment for each child.",
            doc,
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Normalized, "{p:?}");
        assert!(p.diff.iter().all(|c| c.op == DiffOp::Equal), "{:?}", p.diff);
        // Two sentences joined across "Weiner told Fox News." are his words too.
        let doc = "“I know for a fact that my account was hacked,” Weiner told Fox News. “I can definitively say that I did not send this.”";
        let p = best(
            "I know for a fact that my account was hacked. I can definitively say that I did not send this.",
            doc,
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Normalized, "{p:?}");
        // Words of the speaker's own left out unmarked are still a change, and narration
        // the quotation keeps ("he added") is no gap at all.
        let p = best(
            "I think the parent should be in charge, working with the school district to design an environment for each child.",
            doc_with_attribution(),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Altered, "{p:?}");
        assert!(
            p.diff
                .iter()
                .any(|c| c.op == DiffOp::Delete && c.text == "local"),
            "{:?}",
            p.diff
        );
        // Narration that is not between two quotation marks is no interruption.
        let p = best(
            "The parent should be in charge of the schools.",
            "The parent, he added, should be in charge of the schools.",
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Altered, "{p:?}");
    }

    #[test]
    fn leaving_out_a_whole_sentence_with_a_negation_keeps_the_meaning_of_the_rest() {
        let doc = "“We are the ones offering a plan to save Medicare,” Ryan said. “We are the ones who are not raiding Medicare. We are the ones continuing the guarantee of Medicare.”";
        let p = best(
            "We are the ones offering a plan to save Medicare [...] We are the ones continuing the guarantee of Medicare.",
            doc,
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Elided, "{p:?}");
        // Inside a sentence it is the quotation's meaning that changes.
        let p = best("We are the ones who are [...] raiding Medicare.", doc).unwrap();
        assert_eq!(p.verdict, Verdict::ElidedMeaning, "{p:?}");
    }

    #[test]
    fn decomposed_letters_match_composed_ones() {
        let doc = "\"Cafe\u{301} is open today,\" said Ann Lee.";
        let p = best("Café is open today", doc).unwrap();
        assert_eq!(p.verdict, Verdict::Normalized, "{p:?}");
        assert_eq!(&doc[p.range.clone()], "Cafe\u{301} is open today");
        let p = best("She said the cafe\u{301}", "She said the café.").unwrap();
        assert_eq!(p.verdict, Verdict::Normalized, "{p:?}");
    }

    fn doc_with_attribution() -> &'static str {
        "\"I think the parent should be in charge,\" he added, \"working with the local school district to design an environment for each child.\""
    }

    fn best(query: &str, doc: &str) -> Option<Passage> {
        best_passage(&Query::new(query), &Document::new(doc))
    }

    #[test]
    fn could_match_rejects_texts_sharing_too_few_words() {
        let q = Query::new("we will not accept any deal that leaves our farmers behind");
        let near = Document::new("we will never accept a deal that leaves our farmers behind");
        let far = Document::new("the deal was signed in Brussels on Tuesday by both sides");
        assert!(could_match(&q, &near));
        assert!(!could_match(&q, &far));
        assert!(best_passage(&q, &far).is_none());
    }

    const SOURCE: &str = "He cited the example of Nariman Dzhelal: \"President Erdogan called Putin in my presence with a request to release Dzhelal. Putin promised to consider it, but nothing changed for three years. Then the Russians wanted to exchange him for 60 of their soldiers.\"";

    fn check(query: &str) -> Option<Passage> {
        best_passage(&Query::new(query), &Document::new(SOURCE))
    }

    #[test]
    fn verbatim_in_repetitive_text_is_exact() {
        // A diff may spread an equally long match over extra words of a repetitive
        // document; the quotation word for word is still exact.
        let doc = "ue aa ue aa aa aa aa aa aa ab aa aa";
        let q = "ue aa aa aa aa aa";
        let p = best_passage(&Query::new(q), &Document::new(doc)).unwrap();
        assert_eq!(p.verdict, Verdict::Exact, "{:?}", p.diff);
        assert_eq!(&doc[p.range], q);
    }

    #[test]
    fn verbatim_is_exact_at_original_offsets() {
        let q = "Putin promised to consider it, but nothing changed for three years";
        let p = check(q).unwrap();
        assert_eq!(p.verdict, Verdict::Exact, "{:?}", p.diff);
        assert_eq!(&SOURCE[p.range.clone()], q);
        assert_eq!(p.similarity, 1.0);
    }

    #[test]
    fn the_quotes_own_punctuation_stays_exact() {
        let q = "Putin promised to consider it, but nothing changed for three years.";
        let p = check(q).unwrap();
        assert_eq!(p.verdict, Verdict::Exact);
        assert_eq!(&SOURCE[p.range.clone()], q);
    }

    #[test]
    fn typography_and_case_are_normalized() {
        let p =
            check("PUTIN promised to consider it — but nothing changed for three years").unwrap();
        assert_eq!(p.verdict, Verdict::Normalized);
    }

    #[test]
    fn a_changed_word_is_altered_with_both_words_in_the_diff() {
        let p = check("Putin promised to consider it, but nothing changed for two years").unwrap();
        assert_eq!(p.verdict, Verdict::Altered);
        assert!(
            p.diff.contains(&Change {
                op: DiffOp::Delete,
                text: "three".into()
            }),
            "{:?}",
            p.diff
        );
        assert!(
            p.diff.contains(&Change {
                op: DiffOp::Insert,
                text: "two".into()
            }),
            "{:?}",
            p.diff
        );
    }

    #[test]
    fn an_added_not_is_altered() {
        let p = check("Putin promised not to consider it, but nothing changed for three years")
            .unwrap();
        assert_eq!(p.verdict, Verdict::Altered);
        assert!(p.diff.contains(&Change {
            op: DiffOp::Insert,
            text: "not".into()
        }));
    }

    #[test]
    fn elisions_are_elided() {
        for q in [
            "President Erdogan called Putin … nothing changed for three years",
            "President Erdogan called Putin [...] nothing changed for three years",
            "Putin promised to consider [Dzhelal's release], but nothing changed for three years",
        ] {
            let p = check(q).unwrap_or_else(|| panic!("{q}"));
            assert_eq!(p.verdict, Verdict::Elided, "{q}: {:?}", p.diff);
        }
    }

    #[test]
    fn an_elision_that_drops_a_negation_is_not_support() {
        let doc = "Asked about it, he said: \"I am not pro-gay marriage. I never was.\"";
        let p = best_passage(&Query::new("I am … pro-gay marriage"), &Document::new(doc)).unwrap();
        assert_eq!(p.verdict, Verdict::ElidedMeaning, "{:?}", p.diff);
        assert!(!p.verdict.supports());
        assert_eq!(p.omits, ["not"]);
        assert!(p.diff.contains(&Change {
            op: DiffOp::Delete,
            text: "not".into()
        }));
    }

    #[test]
    fn every_elided_diff_shows_what_was_left_out() {
        let p = check("President Erdogan called Putin … nothing changed for three years").unwrap();
        assert_eq!(p.verdict, Verdict::Elided);
        let left_out: Vec<&str> = p
            .diff
            .iter()
            .filter(|c| c.op == DiffOp::Delete)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(
            left_out,
            [
                "in my presence with a request to release Dzhelal. Putin promised to consider it, but"
            ]
        );
        let p =
            check("Putin promised to consider [Dzhelal's release], but nothing changed").unwrap();
        assert!(p.diff.contains(&Change {
            op: DiffOp::Delete,
            text: "it".into()
        }));
        // A number left out changes the meaning too.
        let p = best_passage(
            &Query::new("exchange him for … their soldiers"),
            &Document::new(SOURCE),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::ElidedMeaning);
        assert_eq!(p.omits, ["60"]);
    }

    #[test]
    fn an_unclosed_bracket_is_punctuation_not_an_elision() {
        // A "[" with no "]" after it would otherwise cut everything to the end of the
        // quotation, and a misquotation after it would pass as elided.
        let doc =
            "Asked about the final, he said: The game promises to be a great spectacle, he added.";
        for (q, deleted) in [
            ("The [game be a great spectacle", "promises to"),
            ("The game promises [to be a huge spectacle", "great"),
            ("The game] be a great spectacle", "promises to"),
        ] {
            let p = best_passage(&Query::new(q), &Document::new(doc)).unwrap();
            assert_eq!(p.verdict, Verdict::Altered, "{q}: {:?}", p.diff);
            assert!(
                p.diff.contains(&Change {
                    op: DiffOp::Delete,
                    text: deleted.into()
                }),
                "{q}: {:?}",
                p.diff
            );
        }
        assert!(!Query::new("The [game be a great spectacle").is_elided());
        assert!(!Query::new("The game] be a great spectacle").is_elided());
    }

    #[test]
    fn an_elision_that_drops_a_number_word_changes_the_meaning() {
        let doc = "The army lost three hundred soldiers in the first week, and six million \
                   dollars of equipment. Then it lost thousands of soldiers.";
        for (q, omits) in [
            (
                "The army lost … soldiers in the first week",
                &["three", "hundred"][..],
            ),
            ("and … million dollars of equipment", &["six"][..]),
            ("and six … dollars of equipment", &["million"][..]),
            ("Then it lost … of soldiers", &["thousands"][..]),
        ] {
            let p =
                best_passage(&Query::new(q), &Document::new(doc)).unwrap_or_else(|| panic!("{q}"));
            assert_eq!(p.verdict, Verdict::ElidedMeaning, "{q}: {:?}", p.diff);
            assert_eq!(p.omits, omits, "{q}");
        }
        // "one" is more often a pronoun than a number.
        let p = best_passage(
            &Query::new("If you don't have one, find … that, it takes a minute"),
            &Document::new("If you don't have one, find one dedicated to that, it takes a minute."),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Elided, "{:?}", p.diff);
    }

    #[test]
    fn a_bracket_stands_for_a_name_or_a_short_noun_phrase_only() {
        // Editorial brackets replace a referring expression or insert words; they never
        // stand for an arbitrary run of the source's words.
        let doc = "\"I think it is important that we send a message,\" the minister said.";
        let p = best_passage(
            &Query::new("I think [the minister] that we send a message"),
            &Document::new(doc),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Altered, "{:?}", p.diff);
        assert!(!p.verdict.supports());
        assert!(
            p.diff.contains(&Change {
                op: DiffOp::Delete,
                text: "it is important".into()
            }),
            "{:?}",
            p.diff
        );
        let doc = "Farmers said the new rules would ruin their harvest. Then Mr John Smith \
                   said the harvest was fine. She said that the rules of the old market would \
                   ruin them.";
        for (q, verdict) in [
            // One word, a noun phrase, a name, or nothing at all.
            (
                "[They] said the new rules would ruin their harvest",
                Verdict::Elided,
            ),
            (
                "Farmers said [the regulations] would ruin their harvest",
                Verdict::Elided,
            ),
            (
                "Farmers said [these] would ruin their harvest",
                Verdict::Elided,
            ),
            (
                "Then [the senator] said the harvest was fine",
                Verdict::Elided,
            ),
            (
                "Farmers said [that] the new rules would ruin their harvest",
                Verdict::Elided,
            ),
            // An ellipsis in brackets is an elision like any other.
            (
                "Farmers said [...] would ruin their harvest",
                Verdict::Elided,
            ),
            ("Farmers said […] would ruin their harvest", Verdict::Elided),
            // Too long for a noun phrase, or not one.
            ("She said that [they] would ruin them", Verdict::Altered),
            (
                "Farmers said the new [regulations] their harvest",
                Verdict::Altered,
            ),
        ] {
            let p =
                best_passage(&Query::new(q), &Document::new(doc)).unwrap_or_else(|| panic!("{q}"));
            assert_eq!(p.verdict, verdict, "{q}: {:?}", p.diff);
        }
        // What a bracket replaces still counts: a negation it hides changes the meaning.
        let p = best_passage(
            &Query::new("He said [everybody] wants to pay them"),
            &Document::new("Asked again, he said nobody wants to pay them."),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::ElidedMeaning, "{:?}", p.diff);
        assert_eq!(p.omits, ["nobody"]);
        // A first piece of one word is alike in many places; the whole quotation says
        // which one it is.
        let doc = "Would you vote? Would they care? Would we know? But would it matter?                    Would it not be ironic if the smokers became the criminals?";
        let p = best_passage(
            &Query::new("Would [the ban] not be ironic if the smokers became the criminals"),
            &Document::new(doc),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Elided, "{:?}", p.diff);
    }

    #[test]
    fn of_two_equally_good_elisions_the_tighter_passage_is_the_one() {
        let doc = "Operators are betting on High Speed Downlink Packet Access, a technology                    that offers around two megabits per second against 384 kilobits on                    standard networks. High Speed Downlink Packet Access - sometimes called                    Super 3G - will be vital for profitable services.";
        let p = best_passage(
            &Query::new(
                "High Speed Downlink Packet Access … called Super 3G - will be vital for profitable services",
            ),
            &Document::new(doc),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Elided, "{:?}", p.diff);
        assert!(p.omits.is_empty(), "{:?}", p.omits);
    }

    #[test]
    fn an_elision_is_cut_from_the_nearest_place_its_first_piece_stands() {
        // "people were" stands four times before the quotation; the passage is the one
        // whose pieces are closest together, and the diff leaves out only what the
        // elision stands for.
        let doc = "Five people were killed when the tram left the rails on a sharp bend in \
                   the morning rush hour. Witnesses told reporters that people were screaming \
                   and that there was blood everywhere, like something out of a film. One \
                   woman said that some people were trapped underneath the tram, calling for \
                   help.\n\"People were screaming. People were crying,\" she said.";
        let d = Document::new(doc);
        let p = best_passage(&Query::new("People were ... were crying"), &d).unwrap();
        assert_eq!(p.verdict, Verdict::Elided, "{:?}", p.diff);
        assert_eq!(
            &doc[p.range.clone()],
            "People were screaming. People were crying"
        );
        let left: Vec<&str> = p
            .diff
            .iter()
            .filter(|c| c.op == DiffOp::Delete)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(left, ["screaming. People"]);
    }

    #[test]
    fn another_currency_is_another_sum() {
        let doc = "He said that's the extra £1,400 a year families would pay, and $20 more.";
        let d = Document::new(doc);
        let p = best_passage(&Query::new("that's the extra $1,400 a year"), &d).unwrap();
        assert_eq!(p.verdict, Verdict::Altered, "{:?}", p.diff);
        assert!(
            p.diff.contains(&Change {
                op: DiffOp::Delete,
                text: "£1,400".into()
            }) && p.diff.contains(&Change {
                op: DiffOp::Insert,
                text: "$1,400".into()
            }),
            "{:?}",
            p.diff
        );
        for same in [
            "that's the extra £1,400 a year",
            "£1,400 a year",
            "and $20 more",
        ] {
            let p = best_passage(&Query::new(same), &d).unwrap();
            assert_eq!(p.verdict, Verdict::Exact, "{same}: {:?}", p.diff);
        }
        let p = best_passage(&Query::new("€1,400 a year"), &d).unwrap();
        assert_eq!(p.verdict, Verdict::Altered, "{:?}", p.diff);
    }

    #[test]
    fn letters_bracketed_inside_a_word_are_part_of_it() {
        let doc = "Mr Jones said the game promises to be a great spectacle and he walked on.";
        for (q, verdict) in [
            (
                "[T]he game promises to be a great spectacle",
                Verdict::Normalized,
            ),
            (
                "[t]he game promises to be a great [spectacle]",
                Verdict::Elided,
            ),
            ("[H]e walk[ed] on", Verdict::Normalized),
            ("[S]he walked on", Verdict::Altered),
        ] {
            let p =
                best_passage(&Query::new(q), &Document::new(doc)).unwrap_or_else(|| panic!("{q}"));
            assert_eq!(p.verdict, verdict, "{q}: {:?}", p.diff);
        }
        assert_eq!(
            letters_unbracketed("[T]he [minister] walk[ed] [...] a[n]"),
            "The [minister] walked [...] an"
        );
    }

    #[test]
    fn an_altered_passage_keeps_the_source_words_at_its_edges() {
        // A word the quotation changes at either end is shown replaced, not left out of
        // the passage. The diff may pair the quotation's first word with an earlier "the"
        // ("in the summer"), and the passage then started after the source's "The game".
        let doc = "It will be a chance for Woodward to assess some of his options before \
                   unveiling his British and Irish Lions touring party, who will visit New \
                   Zealand in the summer. \"The game promises to be a great spectacle,\" he \
                   said. \"Both teams are fielding top-quality sides.\"";
        use DiffOp::{Delete as D, Equal as E, Insert as I};
        for (q, diff) in [
            (
                "The never promises to be a great spectacle",
                &[
                    (E, "The"),
                    (D, "game"),
                    (I, "never"),
                    (E, "promises to be a great spectacle"),
                ][..],
            ),
            (
                "The game promises to be a great never",
                &[
                    (E, "The game promises to be a great"),
                    (D, "spectacle"),
                    (I, "never"),
                ],
            ),
            (
                "Any game promises to be a great spectacle",
                &[
                    (D, "The"),
                    (I, "Any"),
                    (E, "game promises to be a great spectacle"),
                ],
            ),
            (
                "The game never to be a great spectacle",
                &[
                    (E, "The game"),
                    (D, "promises"),
                    (I, "never"),
                    (E, "to be a great spectacle"),
                ],
            ),
            (
                "Indeed the game promises to be a great spectacle",
                &[
                    (I, "Indeed"),
                    (E, "The game promises to be a great spectacle"),
                ],
            ),
            (
                "The big game promises to be a great spectacle",
                &[
                    (E, "The"),
                    (I, "big"),
                    (E, "game promises to be a great spectacle"),
                ],
            ),
        ] {
            let p = best_passage(&Query::new(q), &Document::new(doc)).unwrap();
            assert_eq!(p.verdict, Verdict::Altered, "{q}: {:?}", p.diff);
            assert_eq!(
                &doc[p.range.clone()],
                "The game promises to be a great spectacle",
                "{q}: {:?}",
                p.diff
            );
            let want: Vec<Change> = diff
                .iter()
                .map(|&(op, text)| Change {
                    op,
                    text: text.into(),
                })
                .collect();
            assert_eq!(p.diff, want, "{q}");
        }
    }

    #[test]
    fn an_ellipsis_the_source_prints_is_exact() {
        let doc = "The statement read: \"We tried … and we failed, twice.\" Nothing more.";
        let p = best_passage(
            &Query::new("We tried … and we failed, twice."),
            &Document::new(doc),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Exact, "{:?}", p.diff);
        let p = best_passage(
            &Query::new("We tried ... and we failed, twice."),
            &Document::new(doc),
        )
        .unwrap();
        assert_eq!(p.verdict, Verdict::Normalized, "{:?}", p.diff);
    }

    #[test]
    fn hyphens_and_dashes_are_typography() {
        let doc = "It gives coherent tax-filing guidance in Arkansas\u{2014}and beyond.";
        for q in [
            "coherent tax filing guidance in Arkansas - and beyond",
            "coherent tax-filing guidance in Arkansas \u{2014} and beyond",
        ] {
            let p = best_passage(&Query::new(q), &Document::new(doc)).unwrap();
            assert_eq!(p.verdict, Verdict::Normalized, "{q}: {:?}", p.diff);
        }
    }

    #[test]
    fn diffs_show_the_words_as_written() {
        let p = check("Putin promised to consider it, but nothing changed for two years").unwrap();
        assert_eq!(
            p.diff.first(),
            Some(&Change {
                op: DiffOp::Equal,
                text: "Putin promised to consider it, but nothing changed for".into()
            })
        );
    }

    #[test]
    fn invented_text_is_unsupported() {
        assert!(check("The weather in Kyiv was unusually warm for the season this year").is_none());
    }

    #[test]
    fn stitched_passages_are_never_supported() {
        let doc = format!(
            "{SOURCE} {}",
            "Filler sentence about nothing in particular. ".repeat(40)
        ) + "Completely separate statement about the harvest in the south.";
        let q = Query::new("Putin promised to consider it, the harvest in the south");
        if let Some(p) = best_passage(&q, &Document::new(&doc)) {
            assert!(!p.verdict.supports(), "{:?}", p.verdict);
        }
    }

    #[test]
    fn cost_is_bounded_on_adversarial_input() {
        let doc = "the ".repeat(500_000);
        let q = "the ".repeat(MAX_QUERY_WORDS);
        let p = best_passage(&Query::new(&q), &Document::new(&doc)).unwrap();
        assert!(p.similarity > 0.9);
        assert!(p.range.len() >= q.trim_end().len());
        // A query of alternating words against a document that never alternates: windows
        // share too few words to be diffed at all.
        let q = "the a ".repeat(MAX_QUERY_WORDS / 2);
        assert!(best_passage(&Query::new(&q), &Document::new(&doc)).is_none());
        // Longer quotations are not aligned (verify refuses them with a message).
        let q = "the ".repeat(MAX_QUERY_WORDS + 1);
        assert!(best_passage(&Query::new(&q), &Document::new(&doc)).is_none());
    }

    #[test]
    fn the_same_input_always_gives_the_same_answer() {
        // No clock: a long drifted quotation aligns identically every time.
        let words: Vec<String> = (0..1_500).map(|i| format!("w{}", i % 97)).collect();
        let doc = words.join(" ");
        let mut drifted = words.clone();
        for i in (0..drifted.len()).step_by(100) {
            drifted[i] = "changed".into();
        }
        let q = Query::new(&drifted.join(" "));
        let d = Document::new(&doc);
        let first = best_passage(&q, &d).map(|p| (p.range, p.similarity, p.verdict));
        for _ in 0..3 {
            assert_eq!(
                best_passage(&q, &d).map(|p| (p.range, p.similarity, p.verdict)),
                first
            );
        }
        assert!(first.is_some());
    }
}
