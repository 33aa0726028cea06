//! Interviews and transcripts: the question-and-answer layout, where answer paragraphs
//! are the interviewee's speech, and labelled turns (`PENCE: Well, …`), where each
//! paragraph is the speech of the person its label names.

use std::ops::Range;

use super::Hints;

/// A detected interview.
#[derive(Debug, Clone)]
pub struct Interview {
    pub interviewee: Option<String>,
    pub interviewer: Option<String>,
    /// Per paragraph: None before the first question, else a question or an answer.
    turns: Vec<Option<Turn>>,
}

/// One paragraph's place in the interview.
#[derive(Debug, Clone)]
pub struct Turn {
    pub speaker: Option<String>,
    pub is_answer: bool,
    /// Whether the paragraph itself is speech (false for a boilerplate line).
    pub whole_paragraph: bool,
}

impl Interview {
    /// The turn of paragraph `para`, when it is part of the questions and answers.
    pub fn turn(&self, para: usize) -> Option<Turn> {
        self.turns.get(para).cloned().flatten()
    }
}

/// Recognises an interview from hints (sidecar `interviewee`) or a title such as
/// "Interview with NAME", and lays out its turns: from the first question on, a paragraph
/// ending in "?" is a question and the paragraphs after it answer.
pub fn detect(text: &str, paras: &[Range<usize>], hints: &Hints) -> Option<Interview> {
    let title = hints
        .title
        .clone()
        .or_else(|| paras.first().map(|p| text[p.clone()].to_owned()))?;
    let interviewee = hints
        .interviewee
        .clone()
        .or_else(|| interviewee_from_title(&title));
    interviewee.as_ref()?;
    let mut turns = vec![None; paras.len()];
    let first_question = paras
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, p)| is_question(&text[(*p).clone()]))
        .map(|(i, _)| i)?;
    for (i, p) in paras.iter().enumerate().skip(first_question) {
        let t = &text[p.clone()];
        let words = t.split_whitespace().count();
        if is_question(t) {
            turns[i] = Some(Turn {
                speaker: hints.interviewer.clone(),
                is_answer: false,
                whole_paragraph: true,
            });
        } else if words >= 4 {
            turns[i] = Some(Turn {
                speaker: interviewee.clone(),
                is_answer: true,
                whole_paragraph: true,
            });
        }
    }
    Some(Interview {
        interviewee,
        interviewer: hints.interviewer.clone(),
        turns,
    })
}

/// The label opening a transcript turn: `PENCE: Well, …`, `CHRIS WALLACE: …`, or a
/// speaker the hints name, `Wallace: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label's byte range in the document.
    pub name: Range<usize>,
    /// The colon after it.
    pub colon: Range<usize>,
    /// Where the words of the turn begin.
    pub body: usize,
}

/// Capitalised labels that open news paragraphs without naming anyone.
const NOT_SPEAKERS: &[&str] = &[
    "ADVERTISEMENT",
    "ALSO",
    "ANALYSIS",
    "AUDIO",
    "BREAKING",
    "CLARIFICATION",
    "CORRECTION",
    "DISCLAIMER",
    "EDITOR'S NOTE",
    "EDITOR’S NOTE",
    "EXCLUSIVE",
    "LISTEN",
    "MORE",
    "NOTE",
    "PHOTO",
    "PHOTOS",
    "READ",
    "READ MORE",
    "RELATED",
    "SEE ALSO",
    "SOURCE",
    "SOURCES",
    "TRANSCRIPT",
    "UPDATE",
    "UPDATED",
    "VIDEO",
    "WARNING",
    "WATCH",
];

/// Opening quotation marks a quoted turn may start with.
pub const OPENERS: &[char] = &['"', '“', '«', '»', '„', '‘', '\''];

/// The label at the start of paragraph `para` (after any opening quotation mark), when
/// it reads as one: one to four words in capitals, or a speaker named in `known`,
/// followed by a colon and a space.
pub fn label_at(text: &str, para: Range<usize>, known: &[String]) -> Option<Label> {
    let p = &text[para.clone()];
    let lead = p.len()
        - p.trim_start_matches(|c: char| c.is_whitespace() || OPENERS.contains(&c))
            .len();
    let rest = &p[lead..];
    let colon = rest.char_indices().take(48).find(|(_, c)| *c == ':')?.0;
    let after = &rest[colon + 1..];
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let name = rest[..colon].trim_end();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let caps = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_uppercase() || matches!(c, '.' | '\'' | '’' | '-'))
    }) && name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !NOT_SPEAKERS.contains(&name);
    if !caps && !names_known(name, known) {
        return None;
    }
    let start = para.start + lead;
    let body = start + colon + 1 + (after.len() - after.trim_start().len());
    Some(Label {
        name: start..start + name.len(),
        colon: start + colon..start + colon + 1,
        body,
    })
}

/// Whether a label names one of the `known` speakers, in full or by surname, in any case.
fn names_known(label: &str, known: &[String]) -> bool {
    let label = label.to_uppercase();
    known.iter().any(|k| {
        k.to_uppercase() == label
            || k.split_whitespace()
                .last()
                .is_some_and(|last| last.to_uppercase() == label)
    })
}

/// The turn label of each paragraph, when the document is laid out as a transcript: at
/// least three labelled paragraphs with two different labels (a dialogue), or a label
/// naming a speaker the hints list. Otherwise none: a lone `WASHINGTON: …` or
/// `UPDATE: …` is no transcript.
pub fn labels(text: &str, paras: &[Range<usize>], hints: &Hints) -> Vec<Option<Label>> {
    let known: Vec<String> = hints
        .speakers
        .iter()
        .chain(&hints.interviewer)
        .chain(&hints.interviewee)
        .cloned()
        .collect();
    let found: Vec<Option<Label>> = paras
        .iter()
        .map(|p| label_at(text, p.clone(), &known))
        .collect();
    let names: Vec<String> = found
        .iter()
        .flatten()
        .map(|l| text[l.name.clone()].to_uppercase())
        .collect();
    let distinct = names.iter().collect::<std::collections::HashSet<_>>().len();
    let named = names.iter().any(|n| names_known(n, &known));
    if (names.len() >= 3 && distinct >= 2) || named {
        found
    } else {
        vec![None; paras.len()]
    }
}

/// A stage direction in a transcript, `(CROSSTALK)` or `[Applause.]`: no one's words.
pub fn is_stage_direction(words: &str) -> bool {
    let w = words.trim().trim_end_matches('.');
    (w.starts_with('(') && w.ends_with(')') || w.starts_with('[') && w.ends_with(']'))
        && !w[1..w.len() - 1].contains([')', ']'])
}

fn is_question(paragraph: &str) -> bool {
    paragraph
        .trim_end_matches(['"', '”', '»', ' '])
        .ends_with('?')
}

/// "…: Interview with Mustafa Dzhemilev" → "Mustafa Dzhemilev".
fn interviewee_from_title(title: &str) -> Option<String> {
    let lower = title.to_lowercase();
    let at = lower.find("interview with ")?;
    let rest = &title[at + "interview with ".len()..];
    let name: Vec<&str> = rest
        .split_whitespace()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .take(4)
        .collect();
    (!name.is_empty()).then(|| {
        name.join(" ")
            .trim_end_matches([',', '.', ':', ';'])
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of(text: &str, hints: &Hints) -> Vec<Option<String>> {
        let mut paras = Vec::new();
        let mut at = 0;
        for p in text.split("\n\n") {
            paras.push(at..at + p.len());
            at += p.len() + 2;
        }
        labels(text, &paras, hints)
            .into_iter()
            .map(|l| l.map(|l| text[l.name].to_owned()))
            .collect()
    }

    #[test]
    fn a_dialogue_of_labelled_turns_is_a_transcript() {
        let text = "Partial transcript as follows:\n\n\"WALLACE: Will she be there?\n\n\"PENCE: She will not.\n\n\"WALLACE: Why not?\n\nThe interview ended.";
        assert_eq!(
            labels_of(text, &Hints::default()),
            [None, Some("WALLACE"), Some("PENCE"), Some("WALLACE"), None]
                .map(|l| l.map(str::to_owned))
        );
        let text = "CHRIS WALLACE: Hello.\n\nMIKE PENCE: Hi.\n\nCHRIS WALLACE: Bye.";
        assert_eq!(
            labels_of(text, &Hints::default())[1].as_deref(),
            Some("MIKE PENCE")
        );
    }

    #[test]
    fn lone_or_editorial_labels_are_no_transcript() {
        // One label, or labels that name no one, make no dialogue.
        let one = "WASHINGTON: The Senate voted.\n\nIt passed.";
        assert!(
            labels_of(one, &Hints::default())
                .iter()
                .all(Option::is_none)
        );
        let editorial = "UPDATE: He resigned.\n\nWATCH: the video.\n\nUPDATE: He returned.";
        assert!(
            labels_of(editorial, &Hints::default())
                .iter()
                .all(Option::is_none)
        );
        // Lowercase words before a colon are prose, not a label.
        let prose = "He said this: no.\n\nShe said that: yes.\n\nThey said: maybe.";
        assert!(
            labels_of(prose, &Hints::default())
                .iter()
                .all(Option::is_none)
        );
    }

    #[test]
    fn a_known_speaker_labels_a_turn_on_its_own() {
        let hints = Hints {
            speakers: vec!["Chris Wallace".into()],
            ..Hints::default()
        };
        let text = "Wallace: Will she be there?\n\nShe would not say.";
        assert_eq!(labels_of(text, &hints)[0].as_deref(), Some("Wallace"));
    }

    #[test]
    fn stage_directions_are_no_speech() {
        assert!(is_stage_direction("(CROSSTALK.)"));
        assert!(is_stage_direction("[Applause]"));
        assert!(!is_stage_direction("(Laughs) I did not say that (to him)."));
        assert!(!is_stage_direction("We will win."));
    }

    #[test]
    fn title_names_the_interviewee() {
        assert_eq!(
            interviewee_from_title(
                "Why negotiating is impossible: Interview with Mustafa Dzhemilev"
            )
            .as_deref(),
            Some("Mustafa Dzhemilev")
        );
        assert_eq!(interviewee_from_title("Nothing here"), None);
    }
}
