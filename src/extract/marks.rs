//! Finding quotations: pairing quotation marks within paragraphs.
//!
//! Double marks of every common style open and close quotations: straight `"…"`, curly
//! `“…”`, guillemets `«…»` and `»…«`, low-high `„…“` and `„…”`. Which role a mark plays is
//! read from its surroundings (a mark after a space and before a letter opens), not from
//! its shape alone, so a mismatched pair (`“…"`) or a closing mark used to open does not
//! derail the pairing of the rest of the document. Single marks (‘…’, '…') count only
//! nested inside a double quotation, where they are part of its text; outside they are
//! apostrophes (don’t, Chiygoz’s, the 1990s’).
//!
//! A double quotation in another style inside an open one (`"he said “no” to it"`) is
//! part of its text, like a single-quoted one.
//!
//! A paragraph that opens a quotation without closing it, followed by a paragraph that
//! opens with a mark again, continues one utterance across paragraphs.

use std::ops::Range;

/// A quotation found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    /// The quoted text, marks excluded and surrounding spaces trimmed (byte offsets).
    pub inner: Range<usize>,
    /// The text with its marks (what the quotation occupies in its sentence).
    pub outer: Range<usize>,
    /// Index of its paragraph.
    pub para: usize,
    /// Whether a closing mark ended it (false for a paragraph of a multi-paragraph quote).
    pub closed: bool,
    /// Whether it continues the previous quotation's utterance from the paragraph before.
    pub continues: bool,
    /// Whether it lies inside another quotation (“…” inside "…"), which holds it.
    pub nested: bool,
}

/// Whether `c` is a double quotation mark of any style.
pub fn is_double(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‟' | '〝' | '〞' | '＂'
    )
}

/// Whether a paragraph's text starts with a double quotation mark of any style.
pub(super) fn opens_with_mark(paragraph: &str) -> bool {
    paragraph.chars().next().is_some_and(is_double)
}

/// Shapes that usually open (used when the surroundings do not decide).
fn opening_shape(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '‟' | '〝')
}

fn opens_before(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '‘' | '\''
        )
}

fn closes_before(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '}'
                | '—'
                | '–'
                | '-'
                | '/'
                | '’'
                | '\''
                | '…'
        )
}

/// Finds every quotation in `text`, given its paragraphs.
pub fn find(text: &str, paragraphs: &[Range<usize>]) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    let mut carry = false; // the previous paragraph ended inside a quotation
    for (pi, para) in paragraphs.iter().enumerate() {
        let first_is_mark = opens_with_mark(&text[para.clone()]);
        let continues = carry && first_is_mark;
        carry = false;
        let mut open: Option<usize> = None; // byte offset of the opening mark
        // Inside the open quotation, a quotation in another style (“…” inside "…"): the
        // opening mark of the one open now, and those found so far.
        let mut nested: Option<usize> = None;
        let mut inside: Vec<usize> = Vec::new();
        let mut piece_continues = continues;
        // Whether the open quotation began with a mark that only its place calls opening.
        let mut loose = false;
        // Each mark is read with the characters either side of it; the paragraph is
        // walked once, never copied (a run-on text can be one paragraph of 100 MB).
        let mut last: Option<char> = None;
        let mut chars = text[para.clone()].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let pos = para.start + i;
            let next = chars.peek().map(|&(_, n)| n);
            let prev = last.replace(c);
            let first = prev.is_none();
            if !is_double(c) {
                continue;
            }
            let left = next.is_some_and(|n| !n.is_whitespace()) && prev.is_none_or(opens_before);
            let right = prev.is_some_and(|p| !p.is_whitespace())
                && next.is_none_or(|n| closes_before(n) || is_double(n));
            if let Some(n) = nested {
                if right || !left {
                    if push(text, &mut out, n, pos + c.len_utf8(), pos, pi, true, false) {
                        inside.push(out.len() - 1);
                    }
                    nested = None;
                }
                continue;
            }
            match open {
                None => {
                    if left || (opening_shape(c) && !right) {
                        open = Some(pos);
                    } else if first && next.is_some_and(char::is_whitespace) {
                        // A paragraph opening `” … what I learned,” he said`: a closing
                        // mark typed to open, kept only if the paragraph closes it.
                        open = Some(pos);
                        loose = true;
                    }
                }
                Some(o) => {
                    if right || !left {
                        push(
                            text,
                            &mut out,
                            o,
                            pos + c.len_utf8(),
                            pos,
                            pi,
                            true,
                            piece_continues,
                        );
                        piece_continues = false;
                        open = None;
                        mark_nested(&mut out, &mut inside, true);
                    } else if !text[o..].starts_with(c) {
                        nested = Some(pos);
                    } else {
                        // A mark that can only open, in the open quotation's own style:
                        // that quotation was never closed. Drop it rather than pair
                        // across the gap.
                        open = Some(pos);
                        loose = false;
                        piece_continues = false;
                        mark_nested(&mut out, &mut inside, false);
                    }
                }
            }
        }
        if loose && open.is_some() {
            mark_nested(&mut out, &mut inside, false);
        } else if let Some(o) = open {
            let next_opens = paragraphs
                .get(pi + 1)
                .is_some_and(|np| opens_with_mark(&text[np.clone()]));
            let inner = &text[o..para.end];
            let words = inner.split_whitespace().count();
            let kept = (next_opens || words >= 4)
                && push(
                    text,
                    &mut out,
                    o,
                    para.end,
                    para.end,
                    pi,
                    false,
                    piece_continues,
                );
            carry = kept && next_opens;
            mark_nested(&mut out, &mut inside, kept);
        }
    }
    // A nested quotation closes before the one holding it.
    out.sort_by_key(|q| q.outer.start);
    out
}

/// Settles the quotations found inside an open one: nested when it was kept, quotations
/// of their own when it was dropped.
fn mark_nested(out: &mut [QuoteSpan], inside: &mut Vec<usize>, kept: bool) {
    for i in inside.drain(..) {
        out[i].nested = kept;
    }
}

/// Records a quotation, unless it holds nothing but spaces; says whether it did.
#[allow(clippy::too_many_arguments)]
fn push(
    text: &str,
    out: &mut Vec<QuoteSpan>,
    open: usize,
    outer_end: usize,
    inner_end: usize,
    para: usize,
    closed: bool,
    continues: bool,
) -> bool {
    let mark_len = text[open..].chars().next().map_or(1, char::len_utf8);
    let inner_start = open + mark_len;
    if inner_start >= inner_end {
        return false;
    }
    let s = &text[inner_start..inner_end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return false;
    }
    out.push(QuoteSpan {
        inner: inner_start + lead..inner_end - trail,
        outer: open..outer_end,
        para,
        closed,
        continues,
        nested: false,
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::tokens::paragraphs;

    fn quotes(text: &str) -> Vec<&str> {
        find(text, &paragraphs(text))
            .into_iter()
            .map(|q| &text[q.inner])
            .collect()
    }

    #[test]
    fn every_double_style_pairs() {
        assert_eq!(
            quotes(r#"He said "straight" and “curly”."#),
            ["straight", "curly"]
        );
        assert_eq!(
            quotes("«guillemets» and »reversed« and „low“ and „mixed”."),
            ["guillemets", "reversed", "low", "mixed"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(
            quotes("Chiygoz’s lawyer said the 1990s’ rules don’t apply and ‘this’ is not a quote."),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn single_quotes_nest_inside_double() {
        assert_eq!(
            quotes("“He told me ‘never’ and then 'again',” she said."),
            ["He told me ‘never’ and then 'again',"]
        );
    }

    #[test]
    fn doubles_in_another_style_nest() {
        let t = r#"She said "he called it “phony” twice" and left."#;
        let q = find(t, &paragraphs(t));
        assert_eq!(
            q.iter()
                .map(|q| (&t[q.inner.clone()], q.nested))
                .collect::<Vec<_>>(),
            [("he called it “phony” twice", false), ("phony", true)]
        );
        // Across paragraphs, the nested quotation does not cut the utterance short.
        let t =
            "\"First part of a long quote.\n\"But he said “no” to it.\n\"Last part,\" Smith said.";
        let q: Vec<QuoteSpan> = find(t, &paragraphs(t))
            .into_iter()
            .filter(|q| !q.nested)
            .collect();
        assert_eq!(
            q.iter().map(|q| &t[q.inner.clone()]).collect::<Vec<_>>(),
            [
                "First part of a long quote.",
                "But he said “no” to it.",
                "Last part,"
            ]
        );
        assert!(q[1].continues && q[2].continues);
        // The same style again still means the first was never closed.
        assert_eq!(quotes("“Unclosed and “closed” here."), ["closed"]);
    }

    #[test]
    fn mismatched_pairs_do_not_derail_the_rest() {
        assert_eq!(
            quotes(r#"A “mismatched pair" here, then ”closing used to open” and “normal”."#),
            ["mismatched pair", "closing used to open", "normal"]
        );
    }

    #[test]
    fn multi_paragraph_quotes_continue() {
        let t = "“First paragraph of a long quote.\n“Second paragraph ends it,” he said.\nAfter.";
        let q = find(t, &paragraphs(t));
        assert_eq!(q.len(), 2);
        assert!(!q[0].closed && !q[0].continues);
        assert!(q[1].closed && q[1].continues);
        assert_eq!(&t[q[1].inner.clone()], "Second paragraph ends it,");
    }

    #[test]
    fn inch_marks_and_stray_marks_are_ignored() {
        assert_eq!(quotes(r#"He is 6' 2" tall."#), Vec::<&str>::new());
        assert_eq!(
            quotes("” stray mark at a paragraph's start."),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_closing_mark_typed_to_open_a_paragraph_pairs_when_closed() {
        assert_eq!(
            quotes("” … what I learned from them,” he said.\n” … and more after it.\nNext."),
            ["… what I learned from them,"]
        );
    }
}
