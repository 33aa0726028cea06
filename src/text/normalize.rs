//! Normalisation for matching, with a map back to the original text.
//!
//! Two texts that differ only in typography must compare equal: Unicode compatibility forms
//! (NFKC), case, curly and straight quotes and apostrophes, dashes, the ellipsis character,
//! non-breaking and other spaces, and words hyphenated across a line break. Every byte of
//! the normalised text maps back to the byte of the original it came from, so matches are
//! always reported at original offsets.

use unicode_normalization::UnicodeNormalization;

/// A normalised text and, for each of its bytes, where it came from in the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// `origin[i]` is the original byte offset of normalised byte `i`; one extra entry
    /// holds the original length, so ranges map with `origin[start]..origin[end]`.
    origin: Vec<u32>,
}

impl Normalized {
    /// The original byte offset of normalised byte offset `i`.
    pub fn original(&self, i: usize) -> usize {
        self.origin[i.min(self.origin.len() - 1)] as usize
    }

    /// The original byte range of normalised range `start..end` (end exclusive): from the
    /// first byte's origin to just past the last byte's character, and on to where the
    /// next normalised byte comes from when the last byte's character came with others
    /// (a letter and its combining marks).
    pub fn original_range(
        &self,
        start: usize,
        end: usize,
        original: &str,
    ) -> std::ops::Range<usize> {
        let s = self.original(start);
        if end <= start {
            return s..s;
        }
        let last = self.original(end - 1);
        let mut e = original[last..]
            .chars()
            .next()
            .map_or(last, |c| last + c.len_utf8());
        // Combining marks after that character belong to it.
        e += original[e..]
            .chars()
            .take_while(|&c| {
                c >= '\u{300}' && unicode_normalization::char::canonical_combining_class(c) != 0
            })
            .map(char::len_utf8)
            .sum::<usize>();
        s..e.max(s)
    }
}

/// How one character normalises, before case folding.
fn fold_punct(c: char) -> Option<&'static str> {
    Some(match c {
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => "'",
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' | '‹' | '›' | '〝' | '〞' | '＂' => {
            "\""
        }
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '⁃' => "-",
        '…' => "...",
        _ => return None,
    })
}

/// Normalises `text` for matching.
pub fn normalize(text: &str) -> Normalized {
    let mut origin: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let out = fold(text, Some(&mut origin));
    origin.push(text.len() as u32);
    Normalized { text: out, origin }
}

/// The normalised text alone, without the map back (a quarter of the memory of
/// [`normalize`]): for keys and hashes that never point back into the original.
pub fn normalize_text(text: &str) -> String {
    fold(text, None)
}

/// Normalises `text`, recording in `origin`, when given, each output byte's original
/// offset.
fn fold(text: &str, mut origin: Option<&mut Vec<u32>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    let push = |out: &mut String, origin: &mut Option<&mut Vec<u32>>, s: &str, at: usize| {
        out.push_str(s);
        if let Some(origin) = origin {
            origin.extend(std::iter::repeat_n(at as u32, s.len()));
        }
    };
    while let Some((i, c)) = chars.next() {
        // A word hyphenated across a line break joins up: "nego-\ntiations".
        if c == '-' || c == '\u{00AD}' {
            let prev_alpha = out.chars().next_back().is_some_and(char::is_alphabetic);
            let mut look = chars.clone();
            let mut saw_newline = false;
            while let Some(&(_, n)) = look.peek() {
                if n == '\n' {
                    saw_newline = true;
                } else if !(n == ' ' || n == '\t' || n == '\r') {
                    break;
                }
                look.next();
            }
            let next_lower = look.peek().is_some_and(|&(_, n)| n.is_lowercase());
            if prev_alpha && saw_newline && next_lower {
                chars = look;
                continue;
            }
            if c == '\u{00AD}' {
                continue;
            }
        }
        if c.is_whitespace() {
            pending_space.get_or_insert(i);
            continue;
        }
        if let Some(at) = pending_space.take()
            && !out.is_empty()
        {
            push(&mut out, &mut origin, " ", at);
        }
        if let Some(s) = fold_punct(c) {
            push(&mut out, &mut origin, s, i);
            continue;
        }
        // A letter with combining marks after it ("e" + U+0301) composes with them, as
        // the precomposed "é" does: the run is normalised together.
        let combining = |n: char| {
            n >= '\u{300}' && unicode_normalization::char::canonical_combining_class(n) != 0
        };
        let marks = chars.peek().is_some_and(|&(_, n)| combining(n));
        if c.is_ascii() && !marks {
            out.push(c.to_ascii_lowercase());
            if let Some(origin) = &mut origin {
                origin.push(i as u32);
            }
            continue;
        }
        let mut run = String::new();
        run.push(c);
        if marks {
            while let Some(&(_, n)) = chars.peek().filter(|&&(_, n)| combining(n)) {
                run.push(n);
                chars.next();
            }
        }
        // Composition and reordering leave no character-for-character map inside a run:
        // all of it comes from where the run starts (and a range ending in it reaches
        // the run's end, see `original_range`).
        for d in run.nfkc() {
            if let Some(s) = fold_punct(d) {
                push(&mut out, &mut origin, s, i);
            } else if d.is_whitespace() {
                push(&mut out, &mut origin, " ", i);
            } else {
                for l in d.to_lowercase() {
                    let mut buf = [0u8; 4];
                    push(&mut out, &mut origin, l.encode_utf8(&mut buf), i);
                }
            }
        }
    }
    out
}

/// A word of a normalised text: letters and digits, with inner apostrophes. Hyphens and
/// dashes separate words, so "tax-filing" and "tax filing", or "Arkansas—and" and
/// "Arkansas — and", differ only in typography.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the normalised text.
    pub start: usize,
    pub end: usize,
}

/// The words of `text` as a search compares them: normalised and lower-cased.
pub fn search_words(text: &str) -> Vec<String> {
    let norm = normalize_text(text);
    word_iter(&norm)
        .map(|w| norm[w.start..w.end].to_lowercase())
        .collect()
}

/// Whether `text` holds every one of `wanted` (from [`search_words`]) as a word, in any
/// order.
pub fn has_words(text: &str, wanted: &[String]) -> bool {
    let held = search_words(text);
    wanted.iter().all(|w| held.contains(w))
}

/// The words of a normalised text, in order.
pub fn words(norm: &str) -> Vec<Word> {
    word_iter(norm).collect()
}

/// The words of a normalised text, in order, one at a time.
pub fn word_iter(norm: &str) -> impl Iterator<Item = Word> + '_ {
    let mut chars = norm.char_indices().peekable();
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while let Some((i, c)) = chars.next() {
            let inner = c == '\''
                && start.is_some()
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            if c.is_alphanumeric() || inner {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                return Some(Word { start: s, end: i });
            }
        }
        start.map(|s| Word {
            start: s,
            end: norm.len(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typography_folds() {
        let n = normalize("“Don’t” — he said…  Ｆｕｌｌ\u{00A0}width");
        assert_eq!(n.text, "\"don't\" - he said... full width");
    }

    #[test]
    fn letters_with_combining_marks_compose() {
        let original = "Cafe\u{301} and Cafe\u{301}";
        let n = normalize(original);
        assert_eq!(n.text, normalize("Café and Café").text);
        // A range ending on the composed letter takes its mark in.
        let r = n.original_range(0, "café".len(), original);
        assert_eq!(&original[r], "Cafe\u{301}");
        let at = n.text.rfind("café").unwrap();
        let r = n.original_range(at, at + "café".len(), original);
        assert_eq!(&original[r], "Cafe\u{301}");
    }

    #[test]
    fn hyphenation_at_line_breaks_joins() {
        assert_eq!(
            normalize("nego-\ntiations and well-known").text,
            "negotiations and well-known"
        );
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original = "Said “Ünïcode’s” here";
        let n = normalize(original);
        let at = n.text.find("ünïcode's").unwrap();
        let r = n.original_range(at, at + "ünïcode's".len(), original);
        assert_eq!(&original[r], "Ünïcode’s");
    }

    #[test]
    fn words_keep_inner_apostrophes() {
        let n = normalize("He said: don't, well-known 'quotes'.");
        let w: Vec<&str> = words(&n.text)
            .iter()
            .map(|w| &n.text[w.start..w.end])
            .collect();
        assert_eq!(w, ["he", "said", "don't", "well", "known", "quotes"]);
    }

    proptest! {
        /// Every normalised byte maps to a character boundary of the original, in order,
        /// and every word maps back to original text that normalises to the same word.
        #[test]
        fn offset_map_round_trips(text in "\\PC{0,120}") {
            let n = normalize(&text);
            let mut last = 0;
            for i in 0..n.text.len() {
                let o = n.original(i);
                prop_assert!(text.is_char_boundary(o));
                prop_assert!(o >= last);
                last = o;
            }
            for w in words(&n.text) {
                let r = n.original_range(w.start, w.end, &text);
                let again = normalize(&text[r]);
                prop_assert!(again.text.contains(&n.text[w.start..w.end]), "{:?} vs {:?}", again.text, &n.text[w.start..w.end]);
            }
        }

        /// The text-only form is the mapped form's text, and the words found one at a
        /// time are the maximal runs of letters and digits (with inner apostrophes).
        #[test]
        fn text_only_and_word_by_word_agree(text in "[a-zA-Z0-9'’ .,\\-\n]{0,80}|\\PC{0,80}") {
            let n = normalize(&text);
            prop_assert_eq!(&normalize_text(&text), &n.text);
            let bytes: Vec<(usize, char)> = n.text.char_indices().collect();
            let in_word = |k: usize| {
                let (_, c) = bytes[k];
                c.is_alphanumeric()
                    || (c == '\''
                        && k > 0
                        && bytes.get(k + 1).is_some_and(|&(_, n)| n.is_alphanumeric())
                        && (bytes[k - 1].1.is_alphanumeric() || bytes[k - 1].1 == '\''))
            };
            let mut expected = Vec::new();
            let mut k = 0;
            while k < bytes.len() {
                if bytes[k].1.is_alphanumeric() {
                    let start = bytes[k].0;
                    while k < bytes.len() && in_word(k) {
                        k += 1;
                    }
                    let end = bytes.get(k).map_or(n.text.len(), |b| b.0);
                    expected.push(Word { start, end });
                } else {
                    k += 1;
                }
            }
            prop_assert_eq!(words(&n.text), expected);
        }
    }
}
