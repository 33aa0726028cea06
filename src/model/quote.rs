//! Quotations and how a source reads against them: kinds, verdicts and word diffs.

use serde::Serialize;

/// What a quotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A quoted utterance: "…," she said.
    Direct,
    /// Quoted words inside a paraphrase: Trump called the polls "phony".
    Partial,
    /// An interview answer or a labelled transcript turn: the whole paragraph is speech.
    Transcript,
    /// A title, name, slogan or scare quote: not speech, never given a speaker.
    Term,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Transcript => "transcript",
            QuoteKind::Term => "term",
        }
    }

    pub fn parse(s: &str) -> Option<QuoteKind> {
        Some(match s {
            "direct" => QuoteKind::Direct,
            "partial" => QuoteKind::Partial,
            "transcript" => QuoteKind::Transcript,
            "term" => QuoteKind::Term,
            _ => return None,
        })
    }
}

/// What a speaker's name names: `prov speakers` lists people, and the rest apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Person,
    /// A company, body, party, outlet or agency ("Microsoft", "BBC", "the Ministry").
    Organisation,
    /// A country, state or city speaking for its government ("China", "Washington").
    Place,
    /// People named by what they are, not who ("Critics", "Americans", "Tories").
    Group,
    /// Not a name at all: a pronoun, a title alone, a capitalised common word ("His",
    /// "Secretary", "However").
    Other,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Organisation => "organisation",
            SpeakerKind::Place => "place",
            SpeakerKind::Group => "group",
            SpeakerKind::Other => "other",
        }
    }
}

/// How well a source supports a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The text appears verbatim (an ellipsis the source prints itself included).
    Exact,
    /// Only typography, case, hyphenation or whitespace differ.
    Normalized,
    /// The pieces around "…" (or "[…]") appear in order within one passage; a bracketed
    /// insertion stands for nothing, one word or a short noun phrase of the source.
    Elided,
    /// Elided, but what the elision leaves out changes the meaning: a negation, a
    /// condition or a number ("I am … pro-gay marriage" against "I am not pro-gay
    /// marriage").
    #[serde(rename = "elided-meaning")]
    ElidedMeaning,
    /// A passage differs in words; the diff shows which.
    Altered,
    /// The text is found, but every source gives it to someone else.
    Misattributed,
    /// Nothing close enough.
    Unsupported,
}

impl Verdict {
    /// Every verdict, strongest first.
    pub const ALL: [Verdict; 7] = [
        Verdict::Exact,
        Verdict::Normalized,
        Verdict::Elided,
        Verdict::ElidedMeaning,
        Verdict::Altered,
        Verdict::Misattributed,
        Verdict::Unsupported,
    ];

    /// Whether the verdict supports the quotation (exit code 0).
    pub fn supports(self) -> bool {
        matches!(self, Verdict::Exact | Verdict::Normalized | Verdict::Elided)
    }

    /// The verdict a stored string names (`exact`, `altered`, …).
    pub fn parse(s: &str) -> Option<Verdict> {
        Some(match s {
            "exact" => Verdict::Exact,
            "normalized" => Verdict::Normalized,
            "elided" => Verdict::Elided,
            "elided-meaning" => Verdict::ElidedMeaning,
            "altered" => Verdict::Altered,
            "misattributed" => Verdict::Misattributed,
            "unsupported" => Verdict::Unsupported,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Normalized => "normalized",
            Verdict::Elided => "elided",
            Verdict::ElidedMeaning => "elided-meaning",
            Verdict::Altered => "altered",
            Verdict::Misattributed => "misattributed",
            Verdict::Unsupported => "unsupported",
        }
    }
}

/// What one step of a word diff does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    /// Words both sides have.
    Equal,
    /// In the source, missing from the quotation: words an elision leaves out among them.
    Delete,
    /// In the quotation, not in the source.
    Insert,
}

impl DiffOp {
    pub fn as_str(self) -> &'static str {
        match self {
            DiffOp::Equal => "equal",
            DiffOp::Delete => "delete",
            DiffOp::Insert => "insert",
        }
    }

    /// The same step seen from the other side: a deletion becomes an insertion.
    pub fn reversed(self) -> DiffOp {
        match self {
            DiffOp::Delete => DiffOp::Insert,
            DiffOp::Insert => DiffOp::Delete,
            DiffOp::Equal => DiffOp::Equal,
        }
    }
}

/// One step of a word diff from the source passage to the quotation, in the words as
/// written (the source's for `equal` and `delete`, the quotation's for `insert`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub op: DiffOp,
    pub text: String,
}

impl Change {
    /// The same step seen from the other side: a deletion becomes an insertion.
    pub fn reversed(&self) -> Change {
        Change {
            op: self.op.reversed(),
            text: self.text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in [
            QuoteKind::Direct,
            QuoteKind::Partial,
            QuoteKind::Transcript,
            QuoteKind::Term,
        ] {
            assert_eq!(QuoteKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::parse(verdict.as_str()), Some(verdict));
            let json = serde_json::to_string(&verdict).unwrap();
            assert_eq!(json, format!("\"{}\"", verdict.as_str()));
        }
        assert_eq!(QuoteKind::parse("speech"), None);
        // Columns line up in listings: the name is padded like any string.
        assert_eq!(format!("{:<8}|", QuoteKind::Direct), "direct  |");
        assert_eq!(format!("{:>8}|", Verdict::Exact), "   exact|");
        assert_eq!(Verdict::parse("Exact"), None);
    }

    #[test]
    fn reversing_a_diff_swaps_deletions_and_insertions() {
        let change = Change {
            op: DiffOp::Delete,
            text: "not".into(),
        };
        assert_eq!(change.reversed().op, DiffOp::Insert);
        assert_eq!(change.reversed().reversed(), change);
        assert_eq!(DiffOp::Equal.reversed(), DiffOp::Equal);
        assert_eq!(
            serde_json::to_string(&change).unwrap(),
            r#"{"op":"delete","text":"not"}"#
        );
    }
}
