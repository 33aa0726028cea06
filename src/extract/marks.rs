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
}

fn is_double(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‟' | '〝' | '〞' | '＂'
    )
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
        let first_is_mark = text[para.clone()].chars().next().is_some_and(is_double);
        let continues = carry && first_is_mark;
        carry = false;
        let mut open: Option<usize> = None; // byte offset of the opening mark
        let mut piece_continues = continues;
        let chars: Vec<(usize, char)> = text[para.clone()]
            .char_indices()
            .map(|(i, c)| (para.start + i, c))
            .collect();
        for (k, &(pos, c)) in chars.iter().enumerate() {
            if !is_double(c) {
                continue;
            }
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            let next = chars.get(k + 1).map(|&(_, n)| n);
            let left = next.is_some_and(|n| !n.is_whitespace()) && prev.is_none_or(opens_before);
            let right = prev.is_some_and(|p| !p.is_whitespace())
                && next.is_none_or(|n| closes_before(n) || is_double(n));
            match open {
                None => {
                    if left || (opening_shape(c) && !right) {
                        open = Some(pos);
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
                    } else {
                        // A mark that can only open: the quotation before it was never
                        // closed. Drop it rather than pair across the gap.
                        open = Some(pos);
                        piece_continues = false;
                    }
                }
            }
        }
        if let Some(o) = open {
            let next_opens = paragraphs
                .get(pi + 1)
                .is_some_and(|np| text[np.clone()].chars().next().is_some_and(is_double));
            let inner = &text[o..para.end];
            let words = inner.split_whitespace().count();
            if next_opens || words >= 4 {
                push(
                    text,
                    &mut out,
                    o,
                    para.end,
                    para.end,
                    pi,
                    false,
                    piece_continues,
                );
                carry = next_opens;
            }
        }
    }
    out
}

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
) {
    let mark_len = text[open..].chars().next().map_or(1, char::len_utf8);
    let inner_start = open + mark_len;
    if inner_start >= inner_end {
        return;
    }
    let s = &text[inner_start..inner_end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return;
    }
    out.push(QuoteSpan {
        inner: inner_start + lead..inner_end - trail,
        outer: open..outer_end,
        para,
        closed,
        continues,
    });
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
    }
}
