//! Interviews: the question-and-answer layout, where answer paragraphs are the
//! interviewee's speech.

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
