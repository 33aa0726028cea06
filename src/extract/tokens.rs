//! Paragraphs and word tokens: the units the attribution rules read.

use std::ops::Range;

/// Splits text into paragraphs (byte ranges, trimmed of surrounding whitespace).
///
/// A line break ends a paragraph, except in hard-wrapped text (blank lines between blocks
/// of lines filled to a width), where only blank lines do.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let hard_wrapped = looks_hard_wrapped(text);
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let mut j = i + 1;
            let mut blank = false;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n') {
                if bytes[j] == b'\n' {
                    blank = true;
                }
                j += 1;
            }
            if !hard_wrapped || blank {
                push_trimmed(text, start..i, &mut out);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Hard-wrapped: blank lines exist, and most line breaks inside a block of lines come
/// after a line filled to a width without ending a sentence, as in e-mail or plain-text
/// archives (a two-line paragraph breaks once, in its first line).
fn looks_hard_wrapped(text: &str) -> bool {
    if !text.contains("\n\n") {
        return false;
    }
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let (mut inside, mut wrapped) = (0usize, 0usize);
    for pair in lines.windows(2) {
        if pair[0].trim().is_empty() || pair[1].trim().is_empty() {
            continue;
        }
        inside += 1;
        let n = pair[0].chars().count();
        if (40..=100).contains(&n) && !pair[0].ends_with(['.', '!', '?', '"', '”', ':']) {
            wrapped += 1;
        }
    }
    inside >= 2 && wrapped * 2 > inside
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Punct(char),
    /// A quotation, by its index in the document's quote list.
    Quote(usize),
}

/// A token of the text outside quotations.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }
    pub fn quote(&self) -> Option<usize> {
        match self.kind {
            TokKind::Quote(q) => Some(q),
            _ => None,
        }
    }
}

/// Abbreviations whose period belongs to the word (titles and common short forms).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "maj",
    "cmdr", "adm", "st", "jr", "sr", "rev", "hon", "pres", "sec", "atty", "supt", "insp", "det",
    "no", "vs", "etc", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "aug", "sept",
    "sep", "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "dept", "univ", "approx", "est",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Tokenises `range` of `text`, replacing each quotation (given as byte ranges including
/// its marks, sorted) by one `Quote` token.
pub fn tokenize(text: &str, range: Range<usize>, quotes: &[(usize, Range<usize>)]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut qi = quotes.iter().peekable();
    let mut i = range.start;
    while i < range.end {
        if let Some((idx, qr)) = qi.peek()
            && i >= qr.start
        {
            out.push(Token {
                start: qr.start,
                end: qr.end.min(range.end),
                kind: TokKind::Quote(*idx),
            });
            i = qr.end.max(i + 1);
            qi.next();
            continue;
        }
        let next_quote = qi.peek().map_or(range.end, |(_, r)| r.start.min(range.end));
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            let mut j = i;
            let mut chars = text[i..next_quote].char_indices().peekable();
            while let Some((off, ch)) = chars.next() {
                let here = i + off;
                if is_word_char(ch) {
                    j = here + ch.len_utf8();
                    continue;
                }
                // Inner apostrophes, hyphens and periods join words: don't, Chiygoz’s,
                // D-N.C., U.S., 9.5.
                let joins = matches!(ch, '\'' | '’' | '-' | '‐' | '.' | '&')
                    && chars.peek().is_some_and(|(_, n)| is_word_char(*n));
                if joins {
                    continue;
                }
                break;
            }
            // A period right after an abbreviation or an initial belongs to it.
            let word = &text[i..j];
            if text[j..next_quote].starts_with('.') {
                let lower = word.to_lowercase();
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                let dotted = word.contains('.')
                    && word
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '.' || c == '-');
                if initial || dotted || ABBREVIATIONS.contains(&lower.as_str()) {
                    j += 1;
                }
            }
            out.push(Token {
                start: i,
                end: j,
                kind: TokKind::Word,
            });
            i = j;
        } else {
            let end = i + c.len_utf8();
            out.push(Token {
                start: i,
                end,
                kind: TokKind::Punct(normalize_punct(c)),
            });
            i = end;
        }
    }
    out
}

/// Folds punctuation variants that play the same role.
fn normalize_punct(c: char) -> char {
    match c {
        '—' | '–' | '―' => '—',
        '…' => '.',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len(), &[])
            .iter()
            .map(|t| t.text(text))
            .collect()
    }

    #[test]
    fn paragraphs_split_on_lines_unless_hard_wrapped() {
        let t = "one\ntwo\n\n three \n";
        let p: Vec<_> = paragraphs(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(p, ["one", "two", "three"]);
    }

    #[test]
    fn words_keep_abbreviations_initials_and_apostrophes() {
        assert_eq!(
            words("Rep. G.K. Butterfield (D-N.C.) said Chiygoz’s don't."),
            [
                "Rep.",
                "G.K.",
                "Butterfield",
                "(",
                "D-N.C.",
                ")",
                "said",
                "Chiygoz’s",
                "don't",
                "."
            ]
        );
        assert_eq!(words("the U.S. said."), ["the", "U.S.", "said", "."]);
    }
}
