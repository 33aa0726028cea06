//! Extraction: every quotation in a document, where it is, who said it, and how sure the
//! rules are.
//!
//! The pipeline over one text: [`tokens::paragraphs`] splits it, [`marks::find`] pairs the
//! quotation marks, then each paragraph is read left to right as tokens in which every
//! quotation is one token. Reading in order lets the light coreference in [`names`] know
//! what the text said before each quotation: who spoke last, which full name a surname
//! belongs to, which person "the lawyer" is. [`transcript`] handles interviews, where
//! whole answer paragraphs are the interviewee's speech.
//!
//! The rules prefer no speaker to a wrong one: a quotation gets a speaker only from an
//! attribution clause next to it, or from the quotation it continues.

pub mod lexicon;
pub mod marks;
pub mod names;
pub mod ranker;
pub mod tokens;
pub mod transcript;

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use names::People;
use ranker::{Choice, RuleSource};
use tokens::{TokKind, Token};

pub use crate::model::QuoteKind;

/// How a speaker is referred to in the attribution clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Name,
    Pronoun,
    Description,
}

/// The speaker as written next to the quotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Byte offsets of the mention in the document text.
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
}

/// One quotation.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// Byte offsets of the quoted text, quotation marks excluded.
    pub start: usize,
    pub end: usize,
    pub kind: QuoteKind,
    /// Pieces of one utterance (a quote across paragraphs, or one interrupted by its
    /// attribution) share this number.
    pub utterance: usize,
    /// The speaker as written in the attribution clause, if any.
    pub mention: Option<Mention>,
    /// The person the mention resolves to, canonical within the document.
    pub speaker: Option<String>,
    /// The speech verb (or colon) that attributes it.
    pub cue: Option<Range<usize>>,
    /// How sure the rules are of the speaker, 0 to 1 (0 without one).
    pub confidence: f32,
}

/// What is known about a document besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub title: Option<String>,
    pub interviewer: Option<String>,
    pub interviewee: Option<String>,
    pub speakers: Vec<String>,
}

/// Documents larger than this are split at paragraph breaks and read in parallel.
const PARALLEL_MIN: usize = 4 << 20;
/// The size of each piece of a large document.
const PIECE: usize = 1 << 20;
/// The most tokens a byline's apposition takes (`- Michelle Marks, Philadelphia.`): a
/// place or a role, not a sentence of its own.
const BYLINE_APPOSITION: usize = 12;

/// The most tokens of one paragraph the speaker ranker describes at once (see
/// [`Reader::describe_span`]).
const DESCRIBED_MAX: usize = 8192;
/// Tokens described before a quotation in such a block, at least; as many again may be
/// added to start at a sentence. The ranker reads at most `ranker::WINDOW` and a few more.
const DESCRIBED_BEFORE: usize = 256;
/// Tokens described after it, at least.
const DESCRIBED_AFTER: usize = 128;

/// Extracts every quotation of `text`, in document order.
///
/// A very large document (a transcript archive, a book) is read in pieces of about a
/// megabyte split at paragraph breaks, one per core; only coreference across a piece
/// boundary is lost.
pub fn extract(text: &str, hints: &Hints) -> Vec<Quote> {
    if text.len() < PARALLEL_MIN {
        return extract_piece(text, hints, Mode::Ranked(ranker::Model::builtin())).0;
    }
    use rayon::prelude::*;
    let mut hints = hints.clone();
    if hints.title.is_none() {
        hints.title = text.lines().next().map(str::to_owned);
    }
    let mut bounds = vec![0];
    while let Some(&last) = bounds.last() {
        if text.len() - last <= PIECE {
            break;
        }
        let mut at = last + PIECE;
        while !text.is_char_boundary(at) {
            at += 1;
        }
        let cut = text[at..]
            .find("\n\n")
            .or_else(|| text[at..].find('\n'))
            .map_or(text.len(), |i| at + i + 1);
        bounds.push(cut);
    }
    bounds.push(text.len());
    bounds.dedup();
    let pieces: Vec<(usize, Vec<Quote>)> = bounds
        .par_windows(2)
        .map(|w| {
            let piece = &text[w[0]..w[1]];
            let mode = Mode::Ranked(ranker::Model::builtin());
            (w[0], extract_piece(piece, &hints, mode).0)
        })
        .collect();
    let mut out = Vec::new();
    for (base, quotes) in pieces {
        let first = out.len();
        out.extend(quotes.into_iter().map(|mut q| {
            q.start += base;
            q.end += base;
            q.utterance += first;
            if let Some(m) = &mut q.mention {
                m.start += base;
                m.end += base;
            }
            q.cue = q.cue.map(|c| c.start + base..c.end + base);
            q
        }));
    }
    out
}

/// The rules' candidates for each quotation's speaker, with named features: what
/// `examples/train_speaker.rs` trains the [`ranker`] on. Speakers are the rules' alone.
pub fn training_quotes(text: &str, hints: &Hints) -> Vec<ranker::TrainingQuote> {
    extract_piece(text, hints, Mode::Training).1
}

/// Who decides each quotation's speaker.
#[derive(Clone, Copy)]
enum Mode {
    /// The ranker, over the rules' proposal and the words around the quotation.
    Ranked(&'static ranker::Model),
    /// The rules alone, recording the ranker's candidates for training.
    Training,
}

fn extract_piece(
    text: &str,
    hints: &Hints,
    mode: Mode,
) -> (Vec<Quote>, Vec<ranker::TrainingQuote>) {
    let paras = tokens::paragraphs(text);
    let spans = marks::find(text, &paras);
    let interview = transcript::detect(text, &paras, hints);
    // ASCII lowercasing keeps every byte where it was, so a token's lowercase form is a
    // slice of this copy whenever the token is ASCII.
    let ascii_lower = text.to_ascii_lowercase();
    let labels = transcript::labels(text, &paras, hints);
    let last_label = labels.iter().rposition(Option::is_some);
    let mut reader = Reader {
        text,
        ascii_lower: &ascii_lower,
        people: People::default(),
        quotes: Vec::with_capacity(spans.len()),
        last: None,
        interview: interview.as_ref(),
        labels,
        last_label,
        turn: None,
        speaking: None,
        mode,
        described: None,
        training: Vec::new(),
        paras: &paras,
    };
    for name in hints
        .interviewee
        .iter()
        .chain(&hints.interviewer)
        .chain(&hints.speakers)
    {
        reader.people.saw_name(name, 0, 0);
    }
    let mut next = 0;
    for (pi, para) in paras.iter().enumerate() {
        let start = next;
        while next < spans.len() && spans[next].para == pi {
            next += 1;
        }
        reader.paragraph(pi, para.clone(), &spans[start..next], start);
    }
    (reader.quotes, reader.training)
}

/// A speaker found for a quotation.
#[derive(Debug, Clone)]
struct Attribution {
    mention: Mention,
    speaker: Option<String>,
    cue: Option<Range<usize>>,
    confidence: f32,
}

/// A noun phrase found in tokens: its token range and, when it names a person, the
/// token range of the name.
#[derive(Debug, Clone)]
struct Np {
    start: usize,
    end: usize,
    name: Option<Range<usize>>,
    kind: MentionKind,
    /// The head noun of a description, lowercase ("lawyer").
    head: Option<String>,
    /// For "who": the phrase it refers back to.
    antecedent: Option<Box<Np>>,
}

struct Reader<'t, 'i> {
    text: &'t str,
    /// `text` with ASCII letters lowercased, byte for byte: see [`Reader::lower`].
    ascii_lower: &'i str,
    people: People,
    quotes: Vec<Quote>,
    /// The attribution of the last quotation read, with its paragraph: what a following
    /// quotation without a cue inherits.
    last: Option<(usize, Attribution)>,
    interview: Option<&'i transcript::Interview>,
    /// Each paragraph's transcript label (`PENCE: …`), in a transcript's layout.
    labels: Vec<Option<transcript::Label>>,
    /// The last labelled paragraph: whether a turn may go on is asked of every
    /// paragraph, so it is known once rather than searched for each (quadratic).
    last_label: Option<usize>,
    /// The labelled turn being read: its attribution and utterance number. Paragraphs
    /// after it with no label of their own continue it.
    turn: Option<(Attribution, usize)>,
    /// Who speaks the current paragraph when it is an interview answer or a labelled
    /// turn: what "I" means there.
    speaking: Option<String>,
    mode: Mode,
    /// The ranker's view of the current paragraph's tokens, by paragraph index: of all
    /// of them, or in a paragraph of more than [`DESCRIBED_MAX`] tokens, of those from
    /// `.1` on (see [`Reader::rank`]).
    described: Option<(usize, usize, Vec<ranker::TokInfo>)>,
    /// Candidates recorded in [`Mode::Training`].
    training: Vec<ranker::TrainingQuote>,
    /// The paragraphs' byte ranges.
    paras: &'i [Range<usize>],
}

impl<'i> Reader<'_, 'i> {
    fn word<'a>(&self, t: &'a Token) -> Option<&'a Token> {
        t.is_word().then_some(t)
    }

    /// A token's text in lowercase: borrowed from [`Reader::ascii_lower`] when it is
    /// ASCII, as most words are; built only for the others ("Erdoğan", "He’s").
    fn lower(&self, t: &Token) -> Cow<'i, str> {
        let raw = t.text(self.text);
        if raw.is_ascii() {
            Cow::Borrowed(&self.ascii_lower[t.start..t.end])
        } else {
            Cow::Owned(raw.to_lowercase())
        }
    }

    fn is_cap(&self, t: &Token) -> bool {
        t.is_word()
            && t.text(self.text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }

    fn paragraph(
        &mut self,
        pi: usize,
        para: Range<usize>,
        spans: &[marks::QuoteSpan],
        first: usize,
    ) {
        let text = self.text;
        // Quotations nested in others are read with the one holding them.
        let outer: Vec<(usize, Range<usize>)> = spans
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.nested)
            .map(|(i, s)| (first + i, s.outer.clone()))
            .collect();
        let toks = tokens::tokenize(text, para.clone(), &outer);
        let mut answer = self.interview.and_then(|iv| iv.turn(pi));
        self.speaking = answer
            .as_ref()
            .filter(|t| t.is_answer)
            .and(self.interview)
            .and_then(|iv| iv.interviewee.clone());
        if self.labelled_turn(pi, &para) {
            // The label names the speaker; the interview layout has nothing to add.
            answer = Some(transcript::Turn {
                speaker: self.speaking.clone(),
                is_answer: true,
                whole_paragraph: false,
            });
        } else if let Some(turn) = &answer
            && turn.whole_paragraph
        {
            self.quotes.push(Quote {
                start: para.start,
                end: para.end,
                kind: QuoteKind::Transcript,
                utterance: self.quotes.len(),
                mention: None,
                speaker: turn.speaker.clone(),
                cue: None,
                confidence: if turn.speaker.is_some() { 0.8 } else { 0.0 },
            });
        }

        let mut sentence_start = 0;
        // The last speech verb read with its subject, outside quotations, and where its
        // sentence starts: when that sentence closes the paragraph ("Howard continued his
        // scathing remarks."), the quotation opening the next paragraph is that speaker's.
        let mut closing: Option<(usize, usize, Attribution)> = None;
        for k in 0..toks.len() {
            let t = toks[k];
            match t.kind {
                TokKind::Quote(qi) => {
                    let span = &spans[qi - first];
                    self.quotation(pi, &toks, k, sentence_start, span, answer.is_some());
                    self.nested(pi, spans, qi - first, first);
                    if self.closes_sentence(&toks, k) {
                        sentence_start = k + 1;
                    }
                }
                TokKind::Word => {
                    let lower = self.lower(&t);
                    if self.is_cap(&t) && (k == 0 || !self.is_cap(&toks[k - 1])) {
                        self.names_from(&toks, k, pi);
                    }
                    if lexicon::is_strong_cue(&lower) {
                        // Who speaks here, quoted or not, is who "he" means next.
                        let a = self.cue_attribution(&toks, sentence_start, k, toks.len(), pi);
                        if let Some(a) = a {
                            if let Some(p) = &a.speaker {
                                self.people.saw_speaker(p, pi, a.mention.start);
                            }
                            closing = Some((sentence_start, k, a));
                        }
                    }
                }
                TokKind::Punct(c) => {
                    if self.closes_sentence(&toks, k) {
                        sentence_start = k + 1;
                    }
                    if c == ':' && k + 1 == toks.len() {
                        // "He said:" closing a paragraph introduces the next one's quote.
                        if let Some(a) = self.left_rule(&toks, sentence_start, toks.len(), pi) {
                            self.last = Some((pi, a));
                        }
                    }
                }
            }
        }
        if let Some((from, cue, a)) = closing {
            let last_sentence = (cue..toks.len().saturating_sub(1))
                .all(|i| !self.closes_sentence(&toks, i))
                && toks[from..].iter().all(|t| t.quote().is_none());
            let next_opens_quote = self
                .paras
                .get(pi + 1)
                .is_some_and(|np| marks::opens_with_mark(&text[np.clone()]));
            if last_sentence && next_opens_quote && a.mention.kind != MentionKind::Description {
                self.last = Some((pi, a));
            }
        }
    }

    /// The attribution a dash byline paragraph (`- Sanders.`, `— Hillary Clinton`) gives
    /// the quotation closing the paragraph before it.
    fn byline(&mut self, pi: usize) -> Option<Attribution> {
        let para = self.paras.get(pi)?.clone();
        let toks = tokens::tokenize(self.text, para, &[]);
        if !toks.first()?.is_punct('—') && !toks.first()?.is_punct('-') {
            return None;
        }
        let np = self.np_forward(&toks, 1, toks.len())?;
        // `- Sanders.`, or with an apposition: `- Michelle Marks, Philadelphia.`,
        // `-President Obama, tweeting after the speech.`
        let rest = &toks[np.end..];
        let rest = rest.iter().all(|t| t.is_punct('.'))
            || (rest.first().is_some_and(|t| t.is_punct(','))
                && rest.len() <= BYLINE_APPOSITION
                && rest.iter().all(|t| t.quote().is_none()));
        if np.start != 1 || np.kind != MentionKind::Name || !rest {
            return None;
        }
        self.attribution(&toks, np, Some(0..1), pi, 0.85)
    }

    /// The first token after the last title in `from..to` ("Turkish President | Recep
    /// Tayyip Erdogan"), or `from` when there is none.
    /// Where a person's name starts in the words `r` after "Secretary of" or "Mayor of":
    /// past the office's own words ("State", "London", "the United States"); `None` when
    /// nothing else is left ("the Secretary of State").
    fn name_after_office(&self, toks: &[Token], r: std::ops::Range<usize>) -> Option<usize> {
        let end = r.end;
        r.into_iter()
            .find(|&j| {
                let l = self.lower(&toks[j]);
                toks[j].is_word()
                    && !lexicon::is_title(&l)
                    && !lexicon::is_role_noun(&l)
                    && !names::is_place_word(&l)
            })
            .filter(|&j| j < end)
    }

    /// Whether tokens `r` are titles and role words only ("Secretary", "Mayor").
    fn titles_only(&self, toks: &[Token], r: std::ops::Range<usize>) -> bool {
        !r.is_empty()
            && toks[r].iter().all(|t| {
                let l = self.lower(t);
                t.is_word() && (lexicon::is_title(&l) || lexicon::is_role_noun(&l))
            })
    }

    fn after_titles(&self, toks: &[Token], from: usize, to: usize) -> usize {
        (from..to)
            .rev()
            .find(|&i| lexicon::is_title(&self.lower(&toks[i])))
            .map_or(from, |i| i + 1)
    }

    /// Whether the sentence punctuation at `i` ends a sentence: "(D-Ore.)" and "U.S.,"
    /// do not.
    fn ends_sentence(&self, toks: &[Token], i: usize) -> bool {
        match toks.get(i + 1) {
            None => true,
            Some(n) => match n.kind {
                TokKind::Word => {
                    self.is_cap(n)
                        || n.text(self.text)
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit())
                }
                TokKind::Quote(_) => true,
                TokKind::Punct(c) => !matches!(c, ')' | ',' | ';' | '.' | ']'),
            },
        }
    }

    /// The subject of the sentence starting at `lo`: after an introductory phrase ("Hours
    /// later,", "On Sunday,") or a dateline ("Washington (AFP) –").
    fn sentence_subject(&self, toks: &[Token], lo: usize, hi: usize) -> Option<Np> {
        let mut start = lo;
        if let Some(first) = toks.get(lo).filter(|t| t.is_word()) {
            let l = self.lower(first);
            // "Kicking off the day…,", "Flying home…,", "Fifteen minutes after…,"
            let opener = lexicon::is_intro_word(&l)
                || ((l.ends_with("ing") || l.ends_with("ed")) && !lexicon::is_pronoun(&l))
                || matches!(
                    &*l,
                    "one"
                        | "two"
                        | "three"
                        | "four"
                        | "five"
                        | "six"
                        | "seven"
                        | "eight"
                        | "nine"
                        | "ten"
                        | "fifteen"
                        | "twenty"
                        | "thirty"
                        | "several"
                        | "moments"
                        | "shortly"
                        | "soon"
                        | "within"
                        | "amid"
                        | "following"
                        | "upon"
                        | "like"
                        | "unlike"
                );
            // "Then he cut into Bush, calling him …": an adverb right before a subject
            // pronoun is no introductory phrase to skip.
            let adverb_then_subject = matches!(
                &*l,
                "then"
                    | "also"
                    | "still"
                    | "now"
                    | "but"
                    | "and"
                    | "so"
                    | "yet"
                    | "later"
                    | "earlier"
                    | "today"
                    | "yesterday"
                    | "perhaps"
                    | "indeed"
                    | "instead"
                    | "previously"
                    | "recently"
                    | "separately"
                    | "even"
                    | "only"
                    | "already"
            ) && toks.get(lo + 1).is_some_and(|t| {
                t.is_word() && matches!(&*self.lower(t), "he" | "she" | "they" | "we" | "i")
            });
            if adverb_then_subject {
                start = lo + 1;
            } else if opener {
                let comma = (lo..hi.min(lo + 12)).find(|&i| toks[i].is_punct(','))?;
                start = comma + 1;
                // "On July 6, 2015, Sanders": the year after the date's own comma.
                while start + 1 < hi
                    && toks[start].is_word()
                    && toks[start]
                        .text(self.text)
                        .starts_with(|c: char| c.is_ascii_digit())
                    && toks[start + 1].is_punct(',')
                {
                    start += 2;
                }
            }
        }
        if let Some(dash) = (start..hi.min(start + 6)).find(|&i| toks[i].is_punct('—')) {
            start = dash + 1;
        }
        let mut np = self.np_forward(toks, start, hi)?;
        // "Outraged, he went to …", "A month later, he paid …": an introduction, then
        // the subject.
        let short_intro = np.end - np.start == 1 || np.kind == MentionKind::Description;
        if short_intro
            && toks.get(np.end).is_some_and(|t| t.is_punct(','))
            && let Some(next) = self.np_forward(toks, np.end + 1, hi)
        {
            let w = self.lower(&toks[next.start]);
            if next.kind != MentionKind::Description && !matches!(&*w, "who" | "which") {
                np = next;
            }
        }
        (np.kind != MentionKind::Description || np.start == start).then_some(np)
    }

    /// Registers the capitalised run starting at `k` as a name, and binds role nouns next
    /// to it ("Turkish President Recep Tayyip Erdogan", "lawyer Nikolai Polozov").
    fn names_from(&mut self, toks: &[Token], k: usize, pi: usize) {
        let mut end = k;
        while end < toks.len() && (self.is_cap(&toks[end]) || self.particle_inside(toks, end)) {
            end += 1;
        }
        let mut start = k;
        while start < end && lexicon::is_capitalized_stopword(&self.lower(&toks[start])) {
            start += 1;
        }
        // A title inside the run binds its role to the name after it.
        let name_start = self.after_titles(toks, start, end);
        let opens_sentence = k == 0
            || toks[k - 1].is_punct('.')
            || toks[k - 1].is_punct('!')
            || toks[k - 1].is_punct('?');
        if end - name_start == 1 {
            // A lone surname of the one person named in full ("Biden rubbished…") is that
            // person, seen again: what "he" may mean next.
            let at = toks[name_start].start;
            let word = names::strip_possessive(toks[name_start].text(self.text));
            if let Some(person) = self.people.resolve_surname(word) {
                self.people.saw_again(person, pi, at);
                if opens_sentence {
                    self.people.saw_subject(at);
                }
            } else if name_start > start && opens_sentence {
                // "Speaker Boehner spoke to …": a title makes a lone surname a person,
                // the sentence's subject.
                self.people.saw_name(word, pi, at);
                self.people.saw_subject(at);
            }
        }
        if end - name_start < 2 {
            return;
        }
        let name = &self.text[toks[name_start].start..toks[end - 1].end];
        if lexicon::is_possessive(name) {
            // A possessive modifier ("Erdogan’s visit") still names the person.
            self.people
                .saw_name(names::strip_possessive(name), pi, toks[name_start].start);
            return;
        }
        self.people.saw_name(name, pi, toks[name_start].start);
        if opens_sentence && !lexicon::is_possessive(name) {
            self.people.saw_subject(toks[name_start].start);
        }
        let role = (start..name_start)
            .rev()
            .map(|i| self.lower(&toks[i]))
            .find(|l| lexicon::is_role_noun(l.trim_end_matches('.')))
            .or_else(|| {
                (k > 0 && toks[k - 1].is_word())
                    .then(|| self.lower(&toks[k - 1]))
                    .filter(|l| lexicon::is_role_noun(l))
            });
        if let Some(role) = role {
            self.people.bind_role(role.trim_end_matches('.'), name);
        }
    }

    /// Reads the quotations nested in quotation `spans[i]` (“…” inside "…"), just read:
    /// its words are their context, and its speaker is who "I" is there. Nothing in them
    /// is inherited by the quotations after it.
    fn nested(&mut self, pi: usize, spans: &[marks::QuoteSpan], i: usize, first: usize) {
        let parent = &spans[i];
        let inside: Vec<(usize, Range<usize>)> = spans
            .iter()
            .enumerate()
            .skip(i + 1)
            .take_while(|(_, s)| s.nested && s.outer.start < parent.outer.end)
            .map(|(j, s)| (first + j, s.outer.clone()))
            .collect();
        if inside.is_empty() {
            return;
        }
        let toks = tokens::tokenize(self.text, parent.inner.clone(), &inside);
        let saved = (self.last.take(), self.turn.take(), self.speaking.take());
        let holder = self.quotes.last().cloned();
        self.speaking = holder.as_ref().and_then(|q| q.speaker.clone());
        // The ranker's view of the paragraph does not fit these tokens.
        self.described = None;
        let mut sentence_start = 0;
        for k in 0..toks.len() {
            if let TokKind::Quote(qi) = toks[k].kind {
                self.quotation(pi, &toks, k, sentence_start, &spans[qi - first], false);
                // "I’m going to read you the question: “…”": the speaker's own words,
                // attributed where the speaker's are.
                let first_person = self
                    .quotes
                    .last()
                    .and_then(|q| q.mention.as_ref())
                    .is_some_and(|m| {
                        let w = self.text[m.start..m.end].to_lowercase();
                        matches!(lexicon::pronoun_stem(&w), "i" | "we" | "me" | "us")
                    });
                if let (true, Some(h), Some(q)) = (first_person, &holder, self.quotes.last_mut()) {
                    q.mention = h.mention.clone();
                    q.speaker = h.speaker.clone();
                    q.cue = h.cue.clone();
                }
            }
            if self.closes_sentence(&toks, k) {
                sentence_start = k + 1;
            }
        }
        self.described = None;
        (self.last, self.turn, self.speaking) = saved;
    }

    /// Reads paragraph `pi` as a labelled transcript turn when it is one: a paragraph that
    /// opens with its own label (`PENCE: Well, …`), or one with no label between two
    /// labelled paragraphs, which continues the turn before it. Records the turn's words
    /// as a transcript quotation and returns whether it did. A label inside quotation
    /// marks (`"PENCE: Well, …`) is read with the quotation instead.
    fn labelled_turn(&mut self, pi: usize, para: &Range<usize>) -> bool {
        let text = self.text;
        let quoted = text[para.clone()]
            .trim_start()
            .starts_with(transcript::OPENERS);
        let (attribution, utterance, start) = match self.labels.get(pi).cloned().flatten() {
            Some(label) if !quoted => {
                let a = self.label_attribution(&label, pi);
                (a, self.quotes.len(), label.body)
            }
            Some(_) => {
                self.turn = None;
                return false;
            }
            // A quoted paragraph may continue a quoted turn; the quotation decides.
            None if quoted => return false,
            None => {
                let later = self.last_label.is_some_and(|last| last > pi);
                match self.turn.clone().filter(|_| later) {
                    Some((a, utterance)) => (a, utterance, para.start),
                    None => {
                        self.turn = None;
                        return false;
                    }
                }
            }
        };
        let end = para.start + text[para.clone()].trim_end().len();
        if start >= end {
            return false;
        }
        self.speaking = attribution.speaker.clone();
        self.push_turn(pi, start..end, attribution, utterance);
        true
    }

    /// Records the words of a transcript turn as a quotation.
    fn push_turn(&mut self, pi: usize, words: Range<usize>, a: Attribution, utterance: usize) {
        if transcript::is_stage_direction(&self.text[words.clone()]) {
            return;
        }
        self.quotes.push(Quote {
            start: words.start,
            end: words.end,
            kind: QuoteKind::Transcript,
            utterance,
            mention: Some(a.mention.clone()),
            speaker: a.speaker.clone(),
            cue: a.cue.clone(),
            confidence: a.confidence,
        });
        self.last = Some((pi, a.clone()));
        self.turn = Some((a, utterance));
    }

    /// The attribution a transcript label gives: the person it names, with the colon as
    /// its cue.
    fn label_attribution(&mut self, label: &transcript::Label, pi: usize) -> Attribution {
        let person = self.people.resolve_label(&self.text[label.name.clone()]);
        // "JAKE TAPPER:" names him in full for a later "TAPPER:".
        self.people.saw_name(&person, pi, label.name.start);
        self.people.saw_speaker(&person, pi, label.name.start);
        Attribution {
            mention: Mention {
                start: label.name.start,
                end: label.name.end,
                kind: MentionKind::Name,
            },
            speaker: Some(person),
            cue: Some(label.colon.clone()),
            confidence: 0.9,
        }
    }

    fn particle_inside(&self, toks: &[Token], i: usize) -> bool {
        i > 0
            && i + 1 < toks.len()
            && toks[i].is_word()
            && lexicon::is_name_particle(&self.lower(&toks[i]))
            && self.is_cap(&toks[i - 1])
            && self.is_cap(&toks[i + 1])
    }

    /// Attributes the quotation at token `k`.
    fn quotation(
        &mut self,
        pi: usize,
        toks: &[Token],
        k: usize,
        sentence_start: usize,
        span: &marks::QuoteSpan,
        in_answer: bool,
    ) {
        let text = self.text;
        let inner = &text[span.inner.clone()];
        let last_char = inner
            .chars()
            .rev()
            .find(|c| !matches!(c, '’' | '\'' | '"' | '”' | '»' | ' '))
            .unwrap_or(' ');
        let right_end = (k + 1..toks.len())
            .find(|&i| match toks[i].kind {
                TokKind::Punct('.' | '!' | '?') => self.ends_sentence(toks, i),
                TokKind::Quote(_) => true,
                _ => false,
            })
            .unwrap_or(toks.len());
        // The clause before the quotation reaches back to the last quotation that is not
        // embedded in it: `"…," said A. "…"` cuts there; `Clinton cited his references to
        // her as “Miss Piggy” and “…”` does not.
        let embedded = |i: usize| {
            i > 0 && toks[i - 1].is_word() && toks.get(i + 1).is_some_and(Token::is_word)
        };
        let left_start = (sentence_start..k)
            .rev()
            .find(|&i| toks[i].quote().is_some() && !embedded(i))
            .map_or(sentence_start, |i| i + 1);

        let continues = span.continues && !self.quotes.is_empty();
        let mut utterance = if continues {
            self.quotes.last().map_or(0, |q| q.utterance)
        } else {
            self.quotes.len()
        };

        // A transcript quoted in an article, `"PENCE: Well, …`: the label names the
        // speaker, and the paragraphs the quotation runs on to are still that turn.
        let label = self
            .labels
            .get(pi)
            .cloned()
            .flatten()
            .filter(|l| span.inner.start <= l.name.start && l.body < span.inner.end);
        if let Some(label) = label {
            let a = self.label_attribution(&label, pi);
            self.push_turn(pi, label.body..span.inner.end, a, self.quotes.len());
            return;
        }
        let turn = self
            .turn
            .clone()
            .filter(|(_, u)| continues && *u == utterance);
        if let Some((a, u)) = turn {
            self.push_turn(pi, span.inner.clone(), a, u);
            return;
        }

        // A quotation that ends its own sentence ("…insensitive.” He writes that …") is
        // followed by a new sentence; only a short closing clause ("“Why?” Smith asked.")
        // still attributes it.
        let new_sentence =
            matches!(last_char, '.' | '!' | '?') && toks.get(k + 1).is_some_and(|t| self.is_cap(t));
        let mut found = self.right_rule(toks, k + 1, right_end, pi);
        if new_sentence {
            let closes = found
                .as_ref()
                .and_then(|a| a.cue.clone())
                .is_some_and(|cue| {
                    let at = toks.partition_point(|t| t.start < cue.start);
                    self.closes_after_cue(toks, at, right_end)
                });
            if !closes || toks.get(right_end).is_some_and(|t| t.quote().is_some()) {
                found = None;
            }
        }
        if found.is_none() {
            found = self.left_rule(toks, left_start, k, pi);
        }
        let prev_token = k.checked_sub(1).map(|i| toks[i]);
        let partial = is_partial(text, prev_token.as_ref(), inner, k == left_start);
        if found.is_none() && partial && !new_sentence {
            // "the 'phony' polls, Trump said": an attribution later in the sentence.
            found = self.right_rule(toks, k + 1, right_end, pi);
        }

        // A quotation closing its paragraph, signed in the next: `"…"` then `- Sanders.`
        if found.is_none()
            && toks[k + 1..]
                .iter()
                .all(|t| !t.is_word() && t.quote().is_none())
        {
            found = self.byline(pi + 1);
        }
        let explicit = found.is_some();
        if found.is_none() && partial {
            // Quoted words inside a sentence about a person are, most often, that person's.
            // "After saying her foot was “so swollen …,” she was …": a participle's
            // subject is the main clause's, which comes after it.
            let participle = (sentence_start..k.min(sentence_start + 2)).any(|i| {
                let w = self.lower(&toks[i]);
                w.ends_with("ing")
                    && (i == sentence_start || lexicon::is_intro_word(&self.lower(&toks[i - 1])))
            });
            let after = || {
                // The participial clause ends with the quotation (`on,”`) or a comma.
                let from = if inner.trim_end().ends_with(',') {
                    k + 1
                } else {
                    (k + 1..right_end).find(|&i| toks[i].is_punct(','))? + 1
                };
                self.np_forward(toks, from, right_end)
                    .filter(|np| np.start == from && np.kind != MentionKind::Description)
            };
            let subject = self
                .sentence_subject(toks, sentence_start, k)
                .filter(|np| np.kind != MentionKind::Description)
                .or_else(|| participle.then(after).flatten());
            if let Some(np) = subject {
                found = self.attribution(toks, np, None, pi, 0.6);
            }
        }
        let mut source = if explicit {
            RuleSource::Clause
        } else if found.is_some() {
            RuleSource::Subject
        } else {
            RuleSource::Nothing
        };
        let mut kind = if partial {
            QuoteKind::Partial
        } else {
            QuoteKind::Direct
        };
        if found.is_none() {
            found = self.inherited(pi, continues, k == left_start || left_start + 1 >= k);
            if found.is_some() {
                source = RuleSource::Inherited;
            }
            // "“…,” said Caddell. “…”": a quotation interrupted by its attribution is one
            // utterance.
            if let (Some(a), Some(prev)) = (&found, self.quotes.last())
                && prev.end < a.mention.start
                && a.mention.end < span.inner.start
            {
                utterance = prev.utterance;
            }
        }
        if is_owned_title(text, toks, k, inner)
            || (!explicit && is_term(text, toks, k, inner, partial))
        {
            kind = QuoteKind::Term;
            found = None;
        }
        if kind != QuoteKind::Term && !in_answer {
            let proposal = ranker::Proposal {
                kind,
                source,
                mention: found
                    .as_ref()
                    .map(|a| (a.mention.start..a.mention.end, a.mention.kind, a.confidence)),
                at: k,
                paragraph: toks.first().map_or(0, |t| t.start)..toks.last().map_or(0, |t| t.end),
                opens: k == left_start,
                new_sentence,
                inner,
            };
            found = self.rank(toks, pi, &proposal, found, span.inner.clone(), &mut kind);
        }
        if let Some(a) = &found {
            if let Some(p) = &a.speaker {
                self.people.saw_speaker(p, pi, a.mention.start);
            }
            self.last = Some((pi, a.clone()));
        }
        let (mention, speaker, cue, confidence) = match found {
            Some(a) => (Some(a.mention), a.speaker, a.cue, a.confidence),
            None => (None, None, None, 0.0),
        };
        let confidence = if kind == QuoteKind::Partial {
            confidence * 0.9
        } else {
            confidence
        };
        self.quotes.push(Quote {
            start: span.inner.start,
            end: span.inner.end,
            kind,
            utterance,
            mention,
            speaker,
            cue,
            confidence,
        });
    }

    /// The ranker's decision over the rules' proposal `found` (see [`ranker`]); in
    /// training mode, records the candidates and keeps the rules' choice.
    fn rank(
        &mut self,
        toks: &[Token],
        pi: usize,
        proposal: &ranker::Proposal,
        found: Option<Attribution>,
        quote: Range<usize>,
        kind: &mut QuoteKind,
    ) -> Option<Attribution> {
        let text = self.text;
        let k = proposal.at;
        let covers = |&(p, from, ref info): &(usize, usize, Vec<ranker::TokInfo>)| {
            p == pi
                && (from == 0 || from + DESCRIBED_BEFORE <= k)
                && (from + info.len() == toks.len() || k + DESCRIBED_AFTER <= from + info.len())
        };
        if !self.described.as_ref().is_some_and(covers) {
            let (from, to) = self.describe_span(toks, k);
            let part = &toks[from..to];
            let mut info = ranker::describe(text, part, |i| self.closes_sentence(toks, from + i));
            ranker::mark_people(text, part, &mut info, self.people.known_before(pi));
            self.described = Some((pi, from, info));
        }
        let Some((_, from, info)) = &self.described else {
            return found;
        };
        // The ranker reads the described tokens only, with indexes relative to them.
        let from = *from;
        let seen = &toks[from..from + info.len()];
        let proposal = &ranker::Proposal {
            at: k - from,
            ..proposal.clone()
        };
        let model = match self.mode {
            Mode::Training => {
                let q = ranker::training(text, seen, info, proposal, quote);
                self.training.push(q);
                return found;
            }
            Mode::Ranked(model) => model,
        };
        let (choice, p) = ranker::choose(model, text, seen, info, proposal);
        let j = match choice {
            Choice::Nobody => return None,
            Choice::Term => {
                *kind = QuoteKind::Term;
                return None;
            }
            Choice::Rule => return found.map(|a| Attribution { confidence: p, ..a }),
            Choice::Word(j) => from + j,
        };
        let tok = toks[j];
        if let Some(a) = found.filter(|a| tok.start < a.mention.end && a.mention.start < tok.end) {
            return Some(Attribution { confidence: p, ..a });
        }
        let np = self.np_at(toks, j);
        // Quotations inside interview answers keep the rules' speaker and never get here.
        self.attribution(toks, np, None, pi, p)
            .map(|a| Attribution { confidence: p, ..a })
    }

    /// The tokens of a paragraph the ranker describes for the quotation at token `k`:
    /// all of them, or in a paragraph of more than [`DESCRIBED_MAX`] tokens (a run-on
    /// text with no paragraph breaks) a block from the start of a sentence at least
    /// [`DESCRIBED_BEFORE`] tokens before it, which the next quotations reuse while it
    /// covers them. Memory stays bounded however long the paragraph; features only
    /// read a few dozen tokens around the quotation, and the counts they use are
    /// differences, so the block reads the same as the whole paragraph.
    fn describe_span(&self, toks: &[Token], k: usize) -> (usize, usize) {
        if toks.len() <= DESCRIBED_MAX {
            return (0, toks.len());
        }
        let before = k.saturating_sub(DESCRIBED_BEFORE);
        // Back to the start of that sentence, as far as a sentence may reach.
        let from = (before.saturating_sub(DESCRIBED_BEFORE)..before)
            .rev()
            .find(|&i| self.closes_sentence(toks, i))
            .map_or(before, |i| i + 1);
        let to = (from + DESCRIBED_MAX)
            .max(k + DESCRIBED_AFTER)
            .min(toks.len());
        (from, to)
    }

    /// Whether token `i` closes a sentence: sentence punctuation, or a quotation ending
    /// in it before a capitalised word (“…about.” He commanded …).
    fn closes_sentence(&self, toks: &[Token], i: usize) -> bool {
        match toks[i].kind {
            TokKind::Punct('.' | '!' | '?') => self.ends_sentence(toks, i),
            TokKind::Quote(_) => {
                let inner = toks[i]
                    .text(self.text)
                    .trim_end_matches(['’', '\'', '"', '”', '»', '“', '«', ' ']);
                inner.ends_with(['.', '!', '?'])
                    && toks
                        .get(i + 1)
                        .is_some_and(|t| t.is_word() && self.is_cap(t))
            }
            _ => false,
        }
    }

    /// The phrase around the word at token `j` that the ranker chose as a speaker: a whole
    /// name, a pronoun, or a description with its determiner.
    fn np_at(&self, toks: &[Token], j: usize) -> Np {
        let covers = |np: &Np| np.start <= j && j < np.end;
        let lower = self.lower(&toks[j]);
        let word = |kind, end, head| Np {
            start: j,
            end,
            name: (kind == MentionKind::Name).then_some(j..end),
            kind,
            head,
            antecedent: None,
        };
        if lexicon::is_pronoun(&lower) {
            // "who" stands for the phrase before it; any other pronoun for itself (not
            // "wrote, it").
            return self
                .np_ending_at(toks, 0, j + 1, 0)
                .filter(|np| covers(np) && (np.start == j || lower == "who"))
                .unwrap_or_else(|| word(MentionKind::Pronoun, j + 1, None));
        }
        if self.is_cap(&toks[j]) {
            let mut end = j + 1;
            while end < toks.len() && (self.is_cap(&toks[end]) || self.particle_inside(toks, end)) {
                end += 1;
            }
            return self
                .name_backward(toks, 0, end, 1)
                .filter(covers)
                .unwrap_or_else(|| word(MentionKind::Name, end, None));
        }
        self.description_backward(toks, 0, j + 1, 1)
            .filter(covers)
            .unwrap_or_else(|| word(MentionKind::Description, j + 1, Some(lower.into_owned())))
    }

    /// A quotation without its own attribution continues the last one's speaker when it
    /// follows it in the same paragraph, or opens the next paragraph.
    fn inherited(&self, pi: usize, continues: bool, opens_sentence: bool) -> Option<Attribution> {
        let (at, a) = self.last.as_ref()?;
        let ok = *at == pi || continues || (*at + 1 == pi && opens_sentence);
        ok.then(|| Attribution {
            confidence: a.confidence.min(0.7),
            ..a.clone()
        })
    }

    /// Attribution after the quotation: `"…," said Smith`, `"…," Smith said`,
    /// `"…," the lawyer, Nikolai Polozov, wrote`, `"…," according to Smith`.
    fn right_rule(
        &mut self,
        toks: &[Token],
        lo: usize,
        hi: usize,
        pi: usize,
    ) -> Option<Attribution> {
        let mut i = lo;
        while i < hi && matches!(toks[i].kind, TokKind::Punct(',' | '—' | '-' | ')' | ';')) {
            i += 1;
        }
        // A dash byline: "“…” — Mustafa Dzhemilev".
        if i > lo
            && toks[i - 1].is_punct('—')
            && let Some(np) = self.np_forward(toks, i, hi)
            && np.kind == MentionKind::Name
            && np.end >= hi
        {
            return self.attribution(toks, np, Some(i - 1..i), pi, 0.9);
        }
        let first = self.word(toks.get(i)?)?;
        let w = self.lower(first);
        if w == "according" && toks.get(i + 1).is_some_and(|t| self.lower(t) == "to") {
            let np = self.np_forward(toks, i + 2, hi)?;
            return self.attribution(toks, np, Some(i..i + 2), pi, 0.9);
        }
        if lexicon::is_inverted_cue(&w)
            && let Some(np) = self.np_forward(toks, i + 1, hi)
        {
            return self.attribution(toks, np, Some(i..i + 1), pi, 0.95);
        }
        // Subject then verb: find the first speech verb, then the phrase before it.
        let limit = hi.min(i + 25);
        let cue =
            (i + 1..limit).find(|&c| toks[c].is_word() && lexicon::is_cue(&self.lower(&toks[c])));
        let Some((cue, mut np)) = cue.and_then(|c| Some((c, self.np_backward(toks, i, c)?))) else {
            return self.trailing_inverted(toks, i, hi, pi);
        };
        if np.start != i {
            // "another friend, Mariam Emara told CNN": a description set off by one comma.
            let mut gap = &toks[i..np.start];
            if gap.last().is_some_and(|t| t.is_punct(',')) {
                gap = &gap[..gap.len() - 1];
            }
            let modifiers = gap.len() <= 6
                && gap
                    .iter()
                    .all(|t| t.is_word() && !lexicon::is_function_word(&self.lower(t)));
            // "…, Axelrod said." closing the sentence the quotation sits in.
            let closing = toks[np.start - 1].is_punct(',') && self.closes_after_cue(toks, cue, hi);
            if modifiers {
                np.start = i;
            } else if !closing {
                // Words between the quotation and the subject: not an attribution clause.
                return self.trailing_inverted(toks, i, hi, pi);
            }
        }
        self.attribution(toks, np, Some(cue..cue + 1), pi, 0.95)
    }

    /// Whether the speech verb at `cue` ends an attribution ("Trump said to a crowd.",
    /// "Hollande said Tuesday") rather than opening reported speech ("Trump said the
    /// plan…", "He writes that…").
    fn closes_after_cue(&self, toks: &[Token], cue: usize, hi: usize) -> bool {
        let Some(next) = toks.get(cue + 1).filter(|_| cue + 1 < hi) else {
            return true;
        };
        if !next.is_word() {
            return next.quote().is_none();
        }
        let w = self.lower(next);
        // "told CNN", "asked reporters": the listener, then the sentence may close.
        let listener = matches!(
            &*self.lower(&toks[cue]),
            "told" | "tells" | "asked" | "asks"
        );
        if listener && (self.is_cap(next) || matches!(&*w, "reporters" | "the" | "a" | "an")) {
            return true;
        }
        !(matches!(
            &*w,
            "that"
                | "the"
                | "a"
                | "an"
                | "his"
                | "her"
                | "their"
                | "its"
                | "our"
                | "my"
                | "your"
                | "he"
                | "she"
                | "they"
                | "it"
                | "we"
                | "i"
                | "you"
                | "there"
                | "if"
                | "whether"
                | "some"
                | "many"
                | "this"
                | "these"
                | "those"
                | "what"
                | "how"
                | "why"
        ) || (self.is_cap(next) && !lexicon::is_capitalized_stopword(&w)))
    }

    /// "“…” for Clinton, said Kunin": an inverted attribution closing the sentence.
    fn trailing_inverted(
        &mut self,
        toks: &[Token],
        lo: usize,
        hi: usize,
        pi: usize,
    ) -> Option<Attribution> {
        let c = (lo + 1..hi).find(|&c| {
            toks[c - 1].is_punct(',')
                && toks[c].is_word()
                && lexicon::is_inverted_cue(&self.lower(&toks[c]))
        })?;
        let np = self.np_forward(toks, c + 1, hi)?;
        self.attribution(toks, np, Some(c..c + 1), pi, 0.85)
    }

    /// Attribution before the quotation in its sentence: `Smith said: "…"`,
    /// `He cited the example of Nariman Dzhelal: "…"`, `According to X, "…"`,
    /// `Trump called the polls "phony"`, or a colon label `Umerov: "…"`.
    fn left_rule(
        &mut self,
        toks: &[Token],
        lo: usize,
        hi: usize,
        pi: usize,
    ) -> Option<Attribution> {
        if lo >= hi {
            return None;
        }
        // The sentence's first speech verb with a subject: the outermost source speaks
        // ("Trump said he would deport refugees, who he speculates are "mostly men"").
        // …unless a new clause begins before the quotation: "Stevens says, but she cautions
        // that she sees "two different flip sides"" is hers.
        let clause = (lo + 1..hi).rev().find(|&i| {
            toks[i - 1].is_punct(';')
                || (toks[i - 1].is_punct(',')
                    && matches!(
                        &*self.lower(&toks[i]),
                        "but" | "while" | "when" | "although" | "though" | "whereas" | "yet"
                    ))
        });
        // A speech verb that directly introduces the quotation ("…and Clinton said, “…”",
        // "said in his formal statement: “…”") names its speaker.
        if hi > lo && (toks[hi - 1].is_punct(':') || toks[hi - 1].is_punct(',')) {
            let from = hi.saturating_sub(7).max(lo);
            let adjacent = (from..hi - 1)
                .rev()
                .take_while(|&i| toks[i].is_word())
                .find(|&i| lexicon::is_strong_cue(&self.lower(&toks[i])));
            if let Some(c) = adjacent
                && let Some(a) = self.cue_attribution(toks, lo, c, hi, pi)
                && !self.is_relative(&a)
            {
                return Some(a);
            }
        }
        // A parenthetical attribution ("…no different, he said, from Bush calling Reagan's
        // policies “voodoo economics”") speaks for the clause around it, which holds the
        // quotation: the nearest one wins over the sentence's first speech verb.
        for c in (lo + 2..hi.saturating_sub(1)).rev() {
            if !toks[c + 1].is_punct(',') || !lexicon::is_strong_cue(&self.lower(&toks[c])) {
                continue;
            }
            let Some(comma) = (c.saturating_sub(4).max(lo)..c)
                .rev()
                .find(|&i| toks[i].is_punct(','))
            else {
                continue;
            };
            if (comma + 1..c).all(|i| toks[i].is_word())
                && let Some(a) = self.cue_attribution(toks, comma + 1, c, hi, pi)
                && a.mention.kind != MentionKind::Description
            {
                return Some(a);
            }
            break;
        }
        // An introductory clause ("As Trump attacked Clinton, the attendees chanted…",
        // "When I asked Sanders…, he said") is read after the main clause.
        let intro_end = toks
            .get(lo)
            .filter(|t| {
                matches!(
                    &*self.lower(t),
                    "when"
                        | "as"
                        | "after"
                        | "before"
                        | "while"
                        | "if"
                        | "although"
                        | "though"
                        | "because"
                        | "since"
                        | "once"
                        | "until"
                        | "whenever"
                        | "unless"
                )
            })
            .and_then(|_| (lo..hi).find(|&i| toks[i].is_punct(',')))
            .map(|i| i + 1);
        let mut fallback = None;
        // Strong speech verbs first: "Asked if he believed it, Carson said that…" is Carson's.
        for strong in [true, false] {
            if let Some(main) = intro_end {
                for c in main..hi {
                    if strong && !lexicon::is_strong_cue(&self.lower(&toks[c])) {
                        continue;
                    }
                    if let Some(a) = self.cue_attribution(toks, main, c, hi, pi) {
                        return Some(a);
                    }
                }
            }
            if let Some(clause) = clause {
                for c in clause..hi {
                    if toks[c].is_punct(',') {
                        // ", while being interviewed, called…": an embedded clause.
                        break;
                    }
                    if strong && !lexicon::is_strong_cue(&self.lower(&toks[c])) {
                        continue;
                    }
                    if let Some(a) = self.cue_attribution(toks, clause, c, hi, pi) {
                        return Some(a);
                    }
                }
            }
            for c in lo..hi {
                if strong && !lexicon::is_strong_cue(&self.lower(&toks[c])) {
                    continue;
                }
                if let Some(a) = self.cue_attribution(toks, lo, c, hi, pi) {
                    // "Trump, who has told aides…, said in his statement:": the main
                    // clause's speaker, when it has one.
                    if self.is_relative(&a) {
                        fallback.get_or_insert(a);
                        continue;
                    }
                    return Some(a);
                }
            }
        }
        if fallback.is_some() {
            return fallback;
        }
        // "Rubio fired back forcefully: "…"": a sentence that introduces the quotation with
        // a colon is its subject's.
        let after_quote = lo > 0 && toks[lo - 1].quote().is_some();
        if hi >= 2 && toks[hi - 1].is_punct(':') && lo + 1 < hi - 1 && !after_quote {
            // "When Trump suggested…, Rubio fired back forcefully: “…”"
            if let Some(np) = self
                .sentence_subject(toks, lo, hi - 1)
                .filter(|np| np.kind != MentionKind::Description)
            {
                return self.attribution(toks, np, Some(hi - 1..hi), pi, 0.8);
            }
        }
        // A colon label: `Umerov: "…"`, also between quotations: `Clinton: "…" Bush: "…"`.
        if hi >= 2 && toks[hi - 1].is_punct(':') && (lo == 0 || after_quote) {
            let np = self.np_backward(toks, lo, hi - 1)?;
            if np.start == lo && np.kind == MentionKind::Name {
                return self.attribution(toks, np, Some(hi - 1..hi), pi, 0.9);
            }
        }
        None
    }

    /// Who speaks through the word at `c`, when it is a speech verb (or "according to")
    /// in a sentence starting at `lo`.
    fn cue_attribution(
        &mut self,
        toks: &[Token],
        lo: usize,
        c: usize,
        hi: usize,
        pi: usize,
    ) -> Option<Attribution> {
        let t = &toks[c];
        if !t.is_word() {
            return None;
        }
        let w = self.lower(t);
        if w == "according" && toks.get(c + 1).is_some_and(|n| self.lower(n) == "to") {
            let np = self.np_forward(toks, c + 2, hi)?;
            return self.attribution(toks, np, Some(c..c + 2), pi, 0.9);
        }
        if !lexicon::is_cue(&w) || !self.verb_position(toks, lo, c) {
            return None;
        }
        if c == lo
            && (w.ends_with("ed") || w == "told")
            && toks.get(c + 1).is_some_and(|t| self.lower(t) == "by")
        {
            // "Asked by Laura Ingraham about it, Cruz said:" — the asker does not speak.
            return None;
        }
        if w.ends_with("ing") {
            // "…, saying the agreement goes": the sentence's subject speaks.
            let before = c.checked_sub(1).map(|b| toks[b]);
            // "…, saying", and "sings to Clinton before asking her": a participle after a
            // preposition belongs to the sentence's subject, not the word before it.
            let after_preposition = before.is_some_and(|b| {
                matches!(
                    &*self.lower(&b),
                    "before" | "after" | "while" | "by" | "without" | "when" | "upon" | "since"
                )
            });
            let subject_first = before.is_some_and(|b| b.is_punct(','))
                || after_preposition
                || self
                    .np_backward(toks, lo, c)
                    .is_none_or(|np| np.kind == MentionKind::Description);
            if subject_first {
                // "with Trump tweeting that … and asking, "…"": the participle it is
                // coordinated with has the subject.
                if before.is_some_and(|b| self.lower(&b) == "and")
                    && let Some(e) = self.strong_cue_before(toks, lo, c - 1, true)
                    && let Some(a) = self.cue_attribution(toks, lo, e, hi, pi)
                    && !self.is_relative(&a)
                {
                    return Some(a);
                }
                // "Nefzi said, adding, "…"": the speaker of the verb it continues, unless
                // that verb is in a relative clause ("an architect who said he was
                // stiffed, saying"): then the sentence's subject speaks.
                if let Some(e) = self.strong_cue_before(toks, lo, c.saturating_sub(1), false)
                    && let Some(a) = self.subject_of(toks, lo, e, pi)
                    && !self.is_relative(&a)
                {
                    return Some(a);
                }
                if let Some(np) = self.sentence_subject(toks, lo, c) {
                    return self.attribution(toks, np, Some(c..c + 1), pi, 0.85);
                }
            }
        }
        if let Some(a) = self.subject_of(toks, lo, c, pi) {
            return Some(a);
        }
        let coordinated = c > lo
            && (toks[c - 1].is_punct(',')
                || matches!(&*self.lower(&toks[c - 1]), "and" | "but" | "then"));
        if coordinated {
            // "… compared X with Y, and urged people not to "…"": the first verb's subject.
            if let Some(np) = self.sentence_subject(toks, lo, c) {
                return self.attribution(toks, np, Some(c..c + 1), pi, 0.8);
            }
        }
        // "Said Smith: "…"", or mid-sentence "…schedule, explained Rosenberg, "…"".
        if lexicon::is_inverted_cue(&w) && (c == lo || toks[c - 1].is_punct(',')) {
            let np = self.np_forward(toks, c + 1, hi)?;
            if c == lo || np.kind == MentionKind::Name {
                return self.attribution(toks, np, Some(c..c + 1), pi, 0.9);
            }
        }
        None
    }

    /// The last strong speech verb in `lo..end` that is (`participle`) or is not an -ing
    /// form.
    fn strong_cue_before(
        &self,
        toks: &[Token],
        lo: usize,
        end: usize,
        participle: bool,
    ) -> Option<usize> {
        (lo..end).rev().find(|&e| {
            let w = self.lower(&toks[e]);
            toks[e].is_word() && lexicon::is_strong_cue(&w) && w.ends_with("ing") == participle
        })
    }

    /// Whether an attribution names its speaker only through "who".
    fn is_relative(&self, a: &Attribution) -> bool {
        a.mention.kind == MentionKind::Pronoun
            && self.text[a.mention.start..a.mention.end].eq_ignore_ascii_case("who")
    }

    /// Whether the cue word at `c` stands where a verb can: not capitalised mid-sentence
    /// ("State of the Union"), not after a determiner ("his remarks").
    fn verb_position(&self, toks: &[Token], lo: usize, c: usize) -> bool {
        if c > lo && self.is_cap(&toks[c]) {
            return false;
        }
        // "In a subsequent tweet,": a noun after a determiner and an adjective.
        // "the perceived media attacks": a noun after a determiner and modifiers.
        if lexicon::is_noun_cue(&self.lower(&toks[c])) {
            let pure = |t: &Token| {
                let l = self.lower(t);
                lexicon::is_article_or_possessive(&l) || matches!(&*l, "this" | "that")
            };
            let mut b = c;
            while b > lo && c - b < 4 {
                let p = toks[b - 1];
                if !p.is_word() {
                    break;
                }
                if pure(&p) {
                    if b < c {
                        return false;
                    }
                    break;
                }
                if self.is_cap(&p) && b + 1 == c {
                    break;
                }
                b -= 1;
            }
        }
        match c.checked_sub(1).filter(|&b| b >= lo).map(|b| toks[b]) {
            Some(prev) if prev.is_word() => {
                let l = self.lower(&prev);
                // Only articles and possessives: "another", "some" or "most" can be the
                // subject.
                !lexicon::is_article_or_possessive(&l)
            }
            _ => true,
        }
    }

    /// The subject of the speech verb at `cue`, or its agent in a passive ("stated by X").
    fn subject_of(
        &mut self,
        toks: &[Token],
        lo: usize,
        cue: usize,
        pi: usize,
    ) -> Option<Attribution> {
        // "He looked into the camera, furrowed his brow and said": the speech verb shares
        // the subject of the verbs it is coordinated with.
        if cue > lo + 1
            && self.lower(&toks[cue - 1]) == "and"
            && let Some(np) = self.coordinated_subject(toks, lo, cue - 1)
        {
            return self.attribution(toks, np, Some(cue..cue + 1), pi, 0.85);
        }
        if let Some(np) = self.np_backward(toks, lo, cue) {
            return self.attribution(toks, np, Some(cue..cue + 1), pi, 0.95);
        }
        let asked = matches!(
            &*self.lower(&toks[cue]),
            "asked" | "told" | "questioned" | "pressed" | "interviewed"
        );
        if !asked && toks.get(cue + 1).is_some_and(|t| self.lower(t) == "by") {
            let np = self.np_forward(toks, cue + 2, toks.len())?;
            return self.attribution(toks, np, Some(cue..cue + 1), pi, 0.85);
        }
        None
    }

    /// The subject of the clause before the "and" at `and` ("Reid caucused in Nevada on
    /// Saturday and says"): the sentence's subject, read past an introductory phrase, when
    /// a verb follows it.
    fn coordinated_subject(&self, toks: &[Token], lo: usize, and: usize) -> Option<Np> {
        if (lo..and).any(|i| toks[i].is_punct(';')) {
            return None;
        }
        let np = self.sentence_subject(toks, lo, and)?;
        let verb_follows = toks
            .get(np.end)
            .is_some_and(|n| n.is_word() && !self.is_cap(n));
        verb_follows.then_some(np)
    }

    /// Turns a phrase into an attribution, resolving who it refers to.
    fn attribution(
        &mut self,
        toks: &[Token],
        np: Np,
        cue: Option<Range<usize>>,
        pi: usize,
        base: f32,
    ) -> Option<Attribution> {
        let text = self.text;
        let span = |r: Range<usize>| toks[r.start].start..toks[r.end - 1].end;
        let mention_range = span(np.start..np.end);
        let (speaker, confidence) = match np.kind {
            MentionKind::Name => {
                let r = np.name.clone().unwrap_or(np.start..np.end);
                let name = &text[span(r)];
                (Some(self.people.resolve_name(name)), base)
            }
            MentionKind::Pronoun => {
                let word = self.lower(&toks[np.start]);
                let resolved = match lexicon::pronoun_stem(&word) {
                    "i" | "we" if self.speaking.is_some() => self.speaking.clone(),
                    "i" if self.interview.is_none() => None,
                    "who" => np.antecedent.as_ref().and_then(|a| self.np_person(toks, a)),
                    w if lexicon::is_personal_pronoun(w) => {
                        self.people.pronoun(pi, mention_range.start, w)
                    }
                    _ => None,
                };
                let c = if resolved.is_some() { base - 0.1 } else { 0.5 };
                (resolved, c)
            }
            MentionKind::Description => {
                let p = self.np_person(toks, &np);
                let c = if p.is_some() { base - 0.1 } else { 0.6 };
                (p, c)
            }
        };
        if let (Some(head), Some(name)) = (&np.head, &np.name)
            && lexicon::is_role_noun(head)
        {
            let name = text[span(name.clone())].to_owned();
            self.people.bind_role(head, &name);
        }
        Some(Attribution {
            mention: Mention {
                start: mention_range.start,
                end: mention_range.end,
                kind: np.kind,
            },
            speaker,
            cue: cue.map(span),
            confidence,
        })
    }

    /// Whether a capitalised phrase before an apposition names an office rather than a
    /// person: it ends in a title ("Argentina's President", "Lord Chancellor"), or it is
    /// what an office is "for" or "of" ("Minister for Europe", "Secretary of State for the
    /// Family"). The person holding it is then the apposition that follows.
    fn names_an_office(&self, toks: &[Token], lo: usize, head: &Np) -> bool {
        if head.kind != MentionKind::Name {
            return false;
        }
        let words: Vec<&Token> = toks[head.start..head.end]
            .iter()
            .filter(|t| t.is_word())
            .collect();
        let Some(last) = words.last() else {
            return false;
        };
        if lexicon::is_title(names::strip_possessive(&self.lower(last))) {
            return true;
        }
        // "Minister for Europe": a title, then what it is for.
        let inside = &toks[head.start..head.end];
        if inside
            .iter()
            .any(|t| t.is_word() && matches!(&*self.lower(t), "for" | "of"))
            && inside
                .iter()
                .any(|t| t.is_word() && lexicon::is_title(&self.lower(t)))
        {
            return true;
        }
        let mut i = head.start;
        while i > lo && toks[i - 1].is_word() && self.lower(&toks[i - 1]) == "the" {
            i -= 1;
        }
        i > lo && toks[i - 1].is_word() && matches!(&*self.lower(&toks[i - 1]), "for" | "of")
    }

    /// Whether a name phrase looks like a person's full name: two words or more, not
    /// ending in a title.
    fn names_a_person(&self, toks: &[Token], np: &Np) -> bool {
        let r = np.name.clone().unwrap_or(np.start..np.end);
        let words: Vec<String> = toks[r]
            .iter()
            .filter(|t| t.is_word())
            .map(|t| self.lower(t).into_owned())
            .collect();
        words.len() >= 2
            && words
                .last()
                .is_some_and(|w| !lexicon::is_title(names::strip_possessive(w)))
    }

    /// The person a phrase names: its name, else the person its role noun is bound to.
    fn np_person(&self, toks: &[Token], np: &Np) -> Option<String> {
        if let Some(r) = &np.name {
            let name = &self.text[toks[r.start].start..toks[r.end - 1].end];
            return Some(self.people.resolve_name(name));
        }
        match np.kind {
            MentionKind::Name => {
                let name = &self.text[toks[np.start].start..toks[np.end - 1].end];
                Some(self.people.resolve_name(name))
            }
            MentionKind::Description => {
                let head = np.head.as_deref()?;
                if lexicon::is_non_person_head(head) {
                    return None;
                }
                self.people.role(head)
            }
            MentionKind::Pronoun => None,
        }
    }

    /// The noun phrase that ends right before `end` (skipping adverbs and auxiliaries),
    /// not reaching before `lo`.
    fn np_backward(&self, toks: &[Token], lo: usize, end: usize) -> Option<Np> {
        let mut j = end;
        while j > lo
            && toks[j - 1].is_word()
            && !self.is_cap(&toks[j - 1])
            && lexicon::is_adverb_or_aux(&self.lower(&toks[j - 1]))
        {
            j -= 1;
        }
        if j == lo {
            return None;
        }
        let direct = self.np_ending_at(toks, lo, j, 0);
        if direct
            .as_ref()
            .is_some_and(|np| np.kind != MentionKind::Description)
        {
            return direct;
        }
        // "Trump in his announcement speech called", "Beck, who has in the past
        // described": a short prepositional phrase between subject and verb.
        let prep = (j.saturating_sub(5).max(lo)..j).rev().find(|&i| {
            toks[i].is_word()
                && matches!(
                    &*self.lower(&toks[i]),
                    "in" | "on"
                        | "at"
                        | "during"
                        | "over"
                        | "after"
                        | "before"
                        | "last"
                        | "earlier"
                        | "later"
                        | "via"
                        | "through"
                )
        });
        if let Some(p) = prep.filter(|&p| toks[p + 1..j].iter().all(Token::is_word)) {
            let mut b = p;
            while b > lo
                && toks[b - 1].is_word()
                && !self.is_cap(&toks[b - 1])
                && lexicon::is_adverb_or_aux(&self.lower(&toks[b - 1]))
            {
                b -= 1;
            }
            if let Some(np) = self.np_ending_at(toks, lo, b, 0)
                && np.kind != MentionKind::Description
            {
                return Some(np);
            }
        }
        direct
    }

    fn np_ending_at(&self, toks: &[Token], lo: usize, end: usize, depth: u8) -> Option<Np> {
        if end <= lo || depth > 3 {
            return None;
        }
        let t = toks[end - 1];
        match t.kind {
            TokKind::Punct(',') => {
                // "X, the lawyer for Y, said" / "the lawyer, Nikolai Polozov, wrote"
                let inner_end = end - 1;
                let from = inner_end.saturating_sub(25).max(lo);
                // "Clinton, during a town hall meeting in Columbus, Ohio, said": the
                // parenthetical opens with a preposition or participle after a comma.
                let opener = (from..inner_end).rev().find(|&c| {
                    toks[c].is_punct(',')
                        && toks.get(c + 1).is_some_and(|t| {
                            let l = self.lower(t);
                            t.is_word()
                                && !self.is_cap(t)
                                && (matches!(
                                    &*l,
                                    "during"
                                        | "while"
                                        | "speaking"
                                        | "campaigning"
                                        | "appearing"
                                        | "writing"
                                        | "also"
                                        | "meanwhile"
                                        | "however"
                                        | "in"
                                        | "at"
                                        | "on"
                                        | "after"
                                        | "before"
                                        | "like"
                                        | "unlike"
                                        | "though"
                                        | "himself"
                                        | "herself"
                                ) || l.ends_with("ing"))
                        })
                });
                if let Some(c) = opener
                    && let Some(head) = self.np_ending_at(toks, lo, c, depth + 1)
                    && matches!(head.kind, MentionKind::Name | MentionKind::Pronoun)
                    && head.end == c
                {
                    return Some(Np {
                        end: inner_end,
                        ..head
                    });
                }
                let comma = (from..inner_end).rev().find(|&i| toks[i].is_punct(','))?;
                if toks[comma + 1..inner_end]
                    .iter()
                    .any(|t| t.is_punct('—') || t.quote().is_some())
                {
                    return None;
                }
                // "Outraged, he went to …, saying": a clause, not an apposition.
                if toks.get(comma + 1).is_some_and(|t| {
                    t.is_word()
                        && lexicon::is_personal_pronoun(&self.lower(t))
                        && self.lower(t) != "who"
                }) {
                    return None;
                }
                let appositive = self.np_forward(toks, comma + 1, inner_end);
                let head = self.np_ending_at(toks, lo, comma, depth + 1)?;
                if head.kind == MentionKind::Pronoun {
                    return None;
                }
                let mut np = Np {
                    end: inner_end,
                    ..head.clone()
                };
                let describes = head.name.is_none() && head.kind == MentionKind::Description;
                if (describes || self.names_an_office(toks, lo, &head))
                    && let Some(app) = appositive.filter(|a| a.kind == MentionKind::Name)
                    && (describes
                        || (app.name.as_ref().map_or(app.start, |r| r.start) == comma + 1
                            && self.names_a_person(toks, &app)))
                {
                    np.name = app.name.or(Some(app.start..app.end));
                }
                Some(np)
            }
            TokKind::Punct(')') => {
                let open = (lo..end - 1).rev().find(|&i| toks[i].is_punct('('))?;
                let mut np = self.np_ending_at(toks, lo, open, depth + 1)?;
                np.end = end;
                Some(np)
            }
            TokKind::Word => {
                let w = self.lower(&t);
                // "He’s predicting", "they’re saying": the pronoun before the contraction.
                let w = lexicon::pronoun_stem(&w).to_owned();
                if lexicon::is_pronoun_determiner(&w)
                    && (end - 1 == lo
                        || !toks[end - 2].is_word()
                        || lexicon::is_adverb_or_aux(&self.lower(&toks[end - 2]))
                        || self.lower(&toks[end - 2]) == "yet")
                {
                    return Some(Np {
                        start: end - 1,
                        end,
                        name: None,
                        kind: MentionKind::Description,
                        head: Some(w),
                        antecedent: None,
                    });
                }
                if lexicon::is_pronoun(&w) {
                    let antecedent = (w == "who" && end >= 2 && toks[end - 2].is_punct(','))
                        .then(|| self.np_ending_at(toks, lo, end - 2, depth + 1))
                        .flatten()
                        .map(Box::new);
                    let start = antecedent.as_ref().map_or(end - 1, |a| a.start);
                    return Some(Np {
                        start,
                        end,
                        name: None,
                        kind: MentionKind::Pronoun,
                        head: None,
                        antecedent,
                    })
                    .filter(|np| np.start == end - 1 || w == "who")
                    .map(|mut np| {
                        np.start = end - 1;
                        np
                    });
                }
                if self.is_cap(&t) {
                    self.name_backward(toks, lo, end, depth)
                } else {
                    self.description_backward(toks, lo, end, depth)
                }
            }
            _ => None,
        }
    }

    fn name_backward(&self, toks: &[Token], lo: usize, end: usize, depth: u8) -> Option<Np> {
        let mut s = end - 1;
        while s > lo && (self.is_cap(&toks[s - 1]) || self.particle_inside(toks, s - 1)) {
            s -= 1;
        }
        // Sentence-initial function words are capitalised too: "Meanwhile Trump said".
        while s < end && lexicon::is_capitalized_stopword(&self.lower(&toks[s])) {
            s += 1;
        }
        if s == end {
            return None;
        }
        let last = toks[end - 1].text(self.text);
        if lexicon::is_possessive(last) {
            return None;
        }
        let name_start = self.after_titles(toks, s, end - 1);
        let mut np = Np {
            start: s,
            end,
            name: Some(name_start..end),
            kind: MentionKind::Name,
            head: None,
            antecedent: None,
        };
        // Role words before the name belong to the mention: "campaign spokesman Jason Miller".
        let mut b = s;
        while b > lo && toks[b - 1].is_word() && b + 4 > s {
            let l = self.lower(&toks[b - 1]);
            if lexicon::is_role_noun(&l) || lexicon::is_title(&l) {
                np.head.get_or_insert(l.into_owned());
                b -= 1;
            } else {
                break;
            }
        }
        np.start = b;
        // "Joel Pollak of Breitbart California": the person is the phrase before "of".
        // Unless that phrase is a title alone: "Secretary of State Rex Tillerson" is Rex
        // Tillerson, the whole a mention of him.
        if np.start >= lo + 2
            && matches!(
                &*self.lower(&toks[np.start - 1]),
                "of" | "at" | "for" | "from" | "in"
            )
            && let Some(head) = self.np_ending_at(toks, lo, np.start - 1, depth + 1)
            && head.kind != MentionKind::Pronoun
        {
            if self.titles_only(toks, head.start..np.start - 1)
                && let Some(name) = self.name_after_office(toks, np.start..end)
            {
                np.start = head.start;
                np.name = Some(name..end);
                return Some(np);
            }
            return Some(Np { end, ..head });
        }
        Some(np)
    }

    fn description_backward(&self, toks: &[Token], lo: usize, end: usize, depth: u8) -> Option<Np> {
        let head = self.lower(&toks[end - 1]);
        let noun_use = end >= lo + 2
            && toks[end - 2].is_word()
            && lexicon::is_determiner(&self.lower(&toks[end - 2]));
        if (lexicon::is_cue(&head) && !noun_use)
            || lexicon::is_determiner(&head)
            || lexicon::is_function_word(&head)
            || head.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let mut s = end - 1;
        let mut anchored = false;
        while s > lo && end - s < 8 {
            let prev = toks[s - 1];
            if !prev.is_word() {
                break;
            }
            let l = self.lower(&prev);
            if lexicon::is_cue(&l)
                || matches!(
                    &*l,
                    "that" | "and" | "or" | "but" | "which" | "to" | "as" | "than"
                )
            {
                break;
            }
            s -= 1;
            if lexicon::is_determiner(&l) || lexicon::is_possessive(&l) {
                anchored = true;
                break;
            }
        }
        let plural = head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("us");
        if !(anchored || plural || lexicon::is_role_noun(&head)) {
            return None;
        }
        if !anchored {
            s = end - 1;
        }
        let mut np = Np {
            start: s,
            end,
            name: None,
            kind: MentionKind::Description,
            head: Some(head.into_owned()),
            antecedent: None,
        };
        if np.start >= lo + 2
            && matches!(
                &*self.lower(&toks[np.start - 1]),
                "of" | "for" | "at" | "from"
            )
            && let Some(h) = self.np_ending_at(toks, lo, np.start - 1, depth + 1)
            && h.kind != MentionKind::Pronoun
        {
            np = Np { end, ..h };
        }
        Some(np)
    }

    /// The noun phrase that starts at `i`: after an inverted verb or "according to".
    fn np_forward(&self, toks: &[Token], i: usize, hi: usize) -> Option<Np> {
        let mut i = i;
        while i < hi
            && toks[i].is_word()
            && lexicon::is_adverb_or_aux(&self.lower(&toks[i]))
            && !self.is_cap(&toks[i])
        {
            i += 1;
        }
        let t = *toks.get(i).filter(|_| i < hi)?;
        if !t.is_word() {
            return None;
        }
        let w = self.lower(&t);
        if lexicon::is_pronoun(&w) {
            return Some(Np {
                start: i,
                end: i + 1,
                name: None,
                kind: MentionKind::Pronoun,
                head: None,
                antecedent: None,
            });
        }
        if self.is_cap(&t) && !lexicon::is_capitalized_stopword(&w)
            || (self.is_cap(&t) && lexicon::is_title(&w))
        {
            let mut e = i;
            let mut office_name = None;
            while e < hi && (self.is_cap(&toks[e]) || self.particle_inside(toks, e)) {
                e += 1;
                let prev = toks[e - 1].text(self.text);
                if lexicon::is_possessive(prev) {
                    // "said Trump’s spokesman": a description owned by a name.
                    return self.description_forward(toks, i, e, hi);
                }
            }
            // "said Secretary of State Rex Tillerson": a title of a place or office goes on
            // to the name.
            if e + 1 < hi
                && self.titles_only(toks, i..e)
                && self.lower(&toks[e]) == "of"
                && self.is_cap(&toks[e + 1])
            {
                let mut f = e + 1;
                while f < hi && (self.is_cap(&toks[f]) || self.particle_inside(toks, f)) {
                    f += 1;
                }
                if let Some(name) = self.name_after_office(toks, e + 1..f) {
                    office_name = Some(name);
                    e = f;
                }
            }
            // "Clinton campaign chairman John Podesta", "Former Republican presidential
            // candidate Jeb Bush": lowercase role words bridge to the person's name.
            let bridge = (e..hi.min(e + 4))
                .take_while(|&j| toks[j].is_word() && !self.is_cap(&toks[j]))
                .last()
                .filter(|&j| {
                    lexicon::is_role_noun(&self.lower(&toks[j]))
                        || lexicon::is_title(&self.lower(&toks[j]))
                });
            if let Some(j) = bridge
                && toks.get(j + 1).is_some_and(|n| self.is_cap(n))
                && let Some(mut inner) = self.np_forward(toks, j + 1, hi)
                && inner.kind == MentionKind::Name
            {
                inner.start = i;
                inner.head = Some(self.lower(&toks[j]).into_owned());
                return Some(inner);
            }
            let name_start =
                office_name.unwrap_or_else(|| self.after_titles(toks, i, e.saturating_sub(1)));
            let mut end = e;
            if end < hi
                && toks[end].is_punct('(')
                && let Some(close) = (end..hi.min(end + 8)).find(|&j| toks[j].is_punct(')'))
            {
                end = close + 1;
            }
            return Some(Np {
                start: i,
                end,
                name: Some(name_start..e),
                kind: MentionKind::Name,
                head: None,
                antecedent: None,
            });
        }
        if !self.is_cap(&t) && !lexicon::is_function_word(&w) {
            // "former Utah governor Michael Leavitt", "election lawyer Joe Birkenstock"
            let name_at = (i + 1..hi.min(i + 6))
                .take_while(|&j| {
                    toks[j].is_word() && !lexicon::is_function_word(&self.lower(&toks[j]))
                })
                .find(|&j| {
                    self.is_cap(&toks[j])
                        && !lexicon::is_capitalized_stopword(&self.lower(&toks[j]))
                });
            if let Some(j) = name_at
                && let Some(mut np) = self.np_forward(toks, j, hi)
                && np.kind == MentionKind::Name
            {
                np.start = i;
                np.head = Some(self.lower(&toks[j - 1]).into_owned());
                return Some(np);
            }
        }
        if lexicon::is_determiner(&w) || lexicon::is_role_noun(&w) {
            return self.description_forward(toks, i, i + 1, hi);
        }
        None
    }

    fn description_forward(
        &self,
        toks: &[Token],
        start: usize,
        from: usize,
        hi: usize,
    ) -> Option<Np> {
        let mut e = from;
        while e < hi && e - start < 8 && toks[e].is_word() {
            let l = self.lower(&toks[e]);
            // Past the first word, -ed and -ing words are most likely the verb.
            let verb_like =
                e > from && (l.ends_with("ed") || l.ends_with("ing")) && !self.is_cap(&toks[e]);
            if verb_like || matches!(&*l, "and" | "or" | "but" | "which" | "where" | "whose") {
                break;
            }
            if matches!(
                &*l,
                "in" | "on"
                    | "at"
                    | "during"
                    | "to"
                    | "that"
                    | "who"
                    | "when"
                    | "after"
                    | "before"
                    | "about"
                    | "with"
                    | "between"
                    | "than"
                    | "as"
                    | "into"
                    | "against"
            ) || lexicon::is_cue(&l)
            {
                break;
            }
            // "The choice was between …": the verb ends the phrase.
            if e > from && lexicon::is_auxiliary(&l) {
                break;
            }
            e += 1;
        }
        if e == start {
            return None;
        }
        let head = self.lower(&toks[e - 1]);
        let mut np = Np {
            start,
            end: e,
            name: None,
            kind: MentionKind::Description,
            head: Some(head.into_owned()),
            antecedent: None,
        };
        // "said the lawyer, Nikolai Polozov"
        if e + 1 < hi
            && toks[e].is_punct(',')
            && let Some(app) = self
                .np_forward(toks, e + 1, hi)
                .filter(|a| a.kind == MentionKind::Name)
        {
            np.name = app.name;
            np.end = app.end;
        }
        Some(np)
    }
}

/// Whether a quotation sits inside a sentence as part of a paraphrase.
fn is_partial(text: &str, prev: Option<&Token>, inner: &str, opens_clause: bool) -> bool {
    let starts_upper = inner.chars().next().is_some_and(|c| c.is_uppercase());
    match prev {
        None => false,
        Some(t) if t.is_punct(':') => false,
        Some(t) if t.is_punct(',') || t.is_punct('—') => !starts_upper,
        Some(t) if t.is_word() => {
            let w = t.text(text).to_lowercase();
            !(lexicon::is_cue(&w) && starts_upper)
        }
        Some(_) => !opens_clause && !starts_upper,
    }
}

/// Titles, names, slogans and scare quotes: quoted words that are not an utterance.
fn is_term(text: &str, toks: &[Token], k: usize, inner: &str, partial: bool) -> bool {
    let prev = k.checked_sub(1).map(|i| toks[i].text(text).to_lowercase());
    let prev2 = k.checked_sub(2).map(|i| toks[i].text(text).to_lowercase());
    if matches!(
        prev.as_deref(),
        Some(
            "so-called"
                | "titled"
                | "entitled"
                | "headlined"
                | "nicknamed"
                | "hashtag"
                | "dubbed"
                | "named"
                | "slogan"
                | "word"
                | "phrase"
                | "term"
        )
    ) || (prev.as_deref() == Some("as") && prev2.as_deref() == Some("known"))
    {
        return true;
    }
    let n = title_words(inner).unwrap_or(0);
    let open_ended = !inner
        .trim_end_matches([',', '”', '"'])
        .ends_with(['.', '!', '?']);
    open_ended && (2..=8).contains(&n) && (partial || n <= 4)
}

/// The number of words in `inner` when every word but the small ones (of, the, and)
/// starts with a capital or a digit: how titles and names are written.
fn title_words(inner: &str) -> Option<usize> {
    let small = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "a" | "an"
                | "the"
                | "of"
                | "and"
                | "or"
                | "in"
                | "on"
                | "at"
                | "to"
                | "for"
                | "with"
                | "from"
                | "by"
                | "&"
        )
    };
    let bare: Vec<&str> = inner
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let capitalised = bare.iter().filter(|w| !small(w)).all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    (!bare.is_empty() && capitalised).then_some(bare.len())
}

/// A show, book or paper after its owner's name (`MSNBC’s “Morning Joe.”`, `ABC’s "This
/// Week"`): a name even when someone "told" it, so never speech.
fn is_owned_title(text: &str, toks: &[Token], k: usize, inner: &str) -> bool {
    let owner = k.checked_sub(1).map(|i| toks[i].text(text));
    let owned =
        owner.is_some_and(|o| lexicon::is_possessive(o) && o.starts_with(char::is_uppercase));
    owned
        && title_words(inner).is_some_and(|n| (2..=5).contains(&n))
        && !inner
            .trim_end_matches([',', '.', '”', '"', ' '])
            .ends_with(['!', '?'])
}

/// Byte offset → Unicode code point offset, for output formats that count characters.
///
/// Keeps the character count at every [`CharOffsets::STRIDE`] bytes, so memory stays small
/// on a 100 MB document and each lookup counts at most one stride of text.
pub struct CharOffsets<'t> {
    text: &'t str,
    /// Characters before byte `i * STRIDE` (rounded down to a character boundary).
    checkpoints: Vec<(usize, usize)>,
}

impl<'t> CharOffsets<'t> {
    const STRIDE: usize = 1024;

    pub fn new(text: &'t str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / Self::STRIDE + 1);
        let (mut byte, mut chars) = (0, 0);
        while byte < text.len() {
            checkpoints.push((byte, chars));
            let mut next = (byte + Self::STRIDE).min(text.len());
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text[byte..next].chars().count();
            byte = next;
        }
        checkpoints.push((text.len(), chars));
        Self { text, checkpoints }
    }

    /// The code point offset of byte offset `byte` (which must be a char boundary).
    pub fn char_at(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte) - 1;
        let (b, c) = self.checkpoints[i];
        c + self.text.get(b..byte).map_or(0, |s| s.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (quoted text, speaker) for each speech quotation of `text`.
    fn said(text: &str) -> Vec<(String, Option<String>)> {
        extract(text, &Hints::default())
            .into_iter()
            .filter(|q| q.kind != QuoteKind::Term)
            .map(|q| (text[q.start..q.end].to_owned(), q.speaker))
            .collect()
    }

    fn speaker_of(text: &str, quote: &str) -> Option<String> {
        let all = extract(text, &Hints::default());
        let q = all
            .iter()
            .find(|q| &text[q.start..q.end] == quote)
            .unwrap_or_else(|| panic!("{quote:?} not found in {all:?}"));
        q.speaker.clone()
    }

    /// The speaker mention as written, and the person it resolves to.
    fn mention_of(text: &str, quote: &str) -> (Option<String>, Option<String>) {
        let all = extract(text, &Hints::default());
        let q = all
            .iter()
            .find(|q| &text[q.start..q.end] == quote)
            .unwrap_or_else(|| panic!("{quote:?} not found in {all:?}"));
        (
            q.mention.as_ref().map(|m| text[m.start..m.end].to_owned()),
            q.speaker.clone(),
        )
    }

    fn kind_of(text: &str, quote: &str) -> QuoteKind {
        extract(text, &Hints::default())
            .into_iter()
            .find(|q| &text[q.start..q.end] == quote)
            .unwrap_or_else(|| panic!("{quote:?} not found"))
            .kind
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn he_is_the_person_a_sentence_of_this_paragraph_opened_with() {
        let text = "“We have work to do,” Boehner said.\n\nRick Santorum spoke in Ohio. He said: “Parents educate their children.”";
        assert_eq!(
            speaker_of(text, "Parents educate their children."),
            some("Rick Santorum")
        );
        let text = "Speaker Boehner spoke to Fox News' Bill Hemmer on Tuesday. “If we walked in lockstep, my job would be easier,” he said.";
        assert_eq!(
            speaker_of(text, "If we walked in lockstep, my job would be easier,"),
            some("Boehner")
        );
        // A person named only as the object does not take "he" from the speaker.
        let text = "“We have work to do,” Boehner said.\n\nHe also criticised Rick Santorum. “It is wrong,” he said.";
        assert_eq!(speaker_of(text, "It is wrong,"), some("Boehner"));
    }

    #[test]
    fn a_title_of_an_office_leads_to_the_name() {
        for (text, quote, who) in [
            (
                "“It deepens their isolation,” Secretary of State Rex Tillerson said.",
                "It deepens their isolation,",
                "Rex Tillerson",
            ),
            (
                "“We will not stand for it,” said Secretary of State Rex Tillerson.",
                "We will not stand for it,",
                "Rex Tillerson",
            ),
            (
                "Mayor of London Sadiq Khan said: “We are ready.”",
                "We are ready.",
                "Sadiq Khan",
            ),
            // The person before "of" stays the person.
            (
                "“It is fine,” said Joel Pollak of Breitbart California.",
                "It is fine,",
                "Joel Pollak",
            ),
        ] {
            assert_eq!(speaker_of(text, quote), some(who), "{text}");
        }
    }

    #[test]
    fn quote_then_name_then_verb() {
        assert_eq!(
            speaker_of("“We will win,” Jane Smith said.", "We will win,"),
            some("Jane Smith")
        );
    }

    #[test]
    fn quote_then_verb_then_name() {
        assert_eq!(
            speaker_of("\"We will win,\" said Jane Smith.", "We will win,"),
            some("Jane Smith")
        );
        assert_eq!(
            speaker_of(
                "“Donbas and Crimea are our red lines,” said Rustem Umerov in an interview.",
                "Donbas and Crimea are our red lines,"
            ),
            some("Rustem Umerov")
        );
    }

    #[test]
    fn name_verb_colon_quote_and_name_verb_quote() {
        assert_eq!(
            speaker_of("Jane Smith said: “We will win.”", "We will win."),
            some("Jane Smith")
        );
        assert_eq!(
            speaker_of("Jane Smith said \"We will win.\"", "We will win."),
            some("Jane Smith")
        );
    }

    #[test]
    fn colon_label() {
        assert_eq!(
            speaker_of(
                "Umerov: “We will not give up our land.”",
                "We will not give up our land."
            ),
            some("Umerov")
        );
    }

    #[test]
    fn according_to() {
        assert_eq!(
            speaker_of(
                "According to Jane Smith, “the plan is dead.”",
                "the plan is dead."
            ),
            some("Jane Smith")
        );
        assert_eq!(
            speaker_of(
                "“The plan is dead,” according to Jane Smith.",
                "The plan is dead,"
            ),
            some("Jane Smith")
        );
    }

    #[test]
    fn told_a_reporter() {
        assert_eq!(
            speaker_of("Jane Smith told reporters: “We will win.”", "We will win."),
            some("Jane Smith")
        );
    }

    #[test]
    fn cue_verbs_in_any_tense() {
        for verb in [
            "wrote",
            "tweeted",
            "added",
            "noted",
            "insisted",
            "argued",
            "declared",
            "continued",
            "explained",
            "asked",
            "warned",
            "stressed",
            "recalled",
            "says",
            "adds",
            "writes",
        ] {
            let text = format!("“The plan is dead,” Jane Smith {verb}.");
            assert_eq!(
                speaker_of(&text, "The plan is dead,"),
                some("Jane Smith"),
                "{verb}"
            );
        }
    }

    #[test]
    fn labelled_transcript_turns_are_their_speakers_words() {
        let text = "Fox News host Chris Wallace interviewed Mike Pence.\n\n\
                    WALLACE: Will she be there tomorrow night?\n\n\
                    PENCE: She will not. I know that for a fact.\n\n\
                    And I think that is the end of it.\n\n\
                    (CROSSTALK.)\n\n\
                    WALLACE: Thank you, Governor.\n\n\
                    The interview aired on Sunday.";
        let quotes: Vec<(String, Option<String>, QuoteKind)> = extract(text, &Hints::default())
            .into_iter()
            .map(|q| (text[q.start..q.end].to_owned(), q.speaker, q.kind))
            .collect();
        let t = |s: &str, who: &str| (s.to_owned(), Some(who.to_owned()), QuoteKind::Transcript);
        assert_eq!(
            quotes,
            [
                t("Will she be there tomorrow night?", "Chris Wallace"),
                t("She will not. I know that for a fact.", "Mike Pence"),
                // No label of its own, before the next one: the turn goes on.
                t("And I think that is the end of it.", "Mike Pence"),
                t("Thank you, Governor.", "Chris Wallace"),
            ]
        );
    }

    #[test]
    fn a_transcript_quoted_in_an_article_keeps_its_labels() {
        let text = "Pence spoke to Wallace. Partial transcript as follows:\n\n\
                    \"WALLACE: Will she be there?\n\n\
                    \"PENCE: She will not, and he called it “a stunt” anyway.\n\n\
                    \"But the truth is we will focus on the issues.\n\n\
                    \"WALLACE: Thank you.\"\n\n\
                    Follow the debate on Tuesday.";
        assert_eq!(
            mention_of(text, "She will not, and he called it “a stunt” anyway."),
            (Some("PENCE".into()), Some("Pence".into()))
        );
        assert_eq!(
            speaker_of(text, "But the truth is we will focus on the issues."),
            Some("Pence".into())
        );
        assert_eq!(speaker_of(text, "Thank you."), Some("Wallace".into()));
        // The quotation nested in the turn is a quotation of its own.
        assert!(said(text).iter().any(|(q, _)| q == "a stunt"));
    }

    #[test]
    fn a_lone_capitalised_label_is_no_transcript() {
        let text = "UPDATE: The senator resigned on Monday.\n\n\"We will miss her,\" Smith said.";
        assert_eq!(
            said(text),
            [("We will miss her,".to_owned(), Some("Smith".to_owned()))]
        );
    }

    #[test]
    fn dash_byline() {
        assert_eq!(
            speaker_of(
                "“Freedom is not given, it is won.” — Mustafa Dzhemilev",
                "Freedom is not given, it is won."
            ),
            some("Mustafa Dzhemilev")
        );
    }

    #[test]
    fn a_byline_paragraph_signs_the_quotation_before_it() {
        let text = "The record shows otherwise.\n\n\"I went to Wall Street before the crash and \
                    told them to cut it out.\"\n\n- Hillary Clinton.\n\nClinton tends to overstate it.";
        assert_eq!(
            mention_of(
                text,
                "I went to Wall Street before the crash and told them to cut it out."
            ),
            (some("Hillary Clinton"), some("Hillary Clinton"))
        );
        // With a place or what the speaker was doing after the name.
        let text = "\"The whole idea of it needs to stop.\"\n\n-Michelle Marks, Philadelphia.\n\n\
                    \"Great speech. She is ready.\"\n\n-President Obama, tweeting after the speech.";
        assert_eq!(
            speaker_of(text, "The whole idea of it needs to stop."),
            some("Michelle Marks")
        );
        assert_eq!(
            speaker_of(text, "Great speech. She is ready."),
            some("Obama")
        );
        // A heading set off by dashes signs nothing.
        let text = "\"We will win this state by a lot, believe me.\"\n\n– Old hands –.";
        assert_eq!(
            mention_of(text, "We will win this state by a lot, believe me.").0,
            None
        );
    }

    #[test]
    fn a_paragraph_closing_on_a_speech_verb_introduces_the_next_quotation() {
        let text = "“She has not changed,” Smith said.\n\nHoward Kurtz continued his scathing \
                    remarks.\n\n“Eight years ago she was the presumed nominee and lost.”";
        assert_eq!(
            speaker_of(
                text,
                "Eight years ago she was the presumed nominee and lost."
            ),
            some("Howard Kurtz")
        );
    }

    #[test]
    fn a_short_hard_wrapped_text_reads_across_its_line_breaks() {
        // Three paragraphs wrapped at 72 columns: a break inside a name or a quotation is
        // a space.
        let text = "The mayor spoke on Monday in the town hall, where about two hundred\n\
                    residents had gathered to hear her plans.\n\n\
                    \"We will rebuild every school before the winter comes,\" said Mayor Anna\n\
                    Kowalska, who took office in May after a close race.\n\n\
                    The Prime Minister, Boris Johnson, said: \"Nothing is ruled out at this\n\
                    stage of the talks.\"\n";
        assert_eq!(
            speaker_of(
                text,
                "We will rebuild every school before the winter comes,"
            ),
            some("Anna Kowalska")
        );
        let quotes = extract(text, &Hints::default());
        assert!(
            quotes
                .iter()
                .any(|q| text[q.start..q.end].ends_with("ruled out at this\nstage of the talks.")),
            "{quotes:?}"
        );
    }

    #[test]
    fn titles_and_appositions() {
        assert_eq!(
            speaker_of(
                "“It has happened,” the two men’s lawyer, Nikolai Polozov, wrote on Facebook.",
                "It has happened,"
            ),
            some("Nikolai Polozov")
        );
        assert_eq!(
            speaker_of(
                "“We are united,” Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus, said.",
                "We are united,"
            ),
            some("G.K. Butterfield")
        );
        assert_eq!(
            speaker_of("“Stop,” said Sen. Ted Cruz.", "Stop,"),
            some("Ted Cruz")
        );
        // An office, then who holds it: the person speaks, not the office.
        assert_eq!(
            speaker_of(
                "“We will not pay,” Argentina's President, Nestor Kirchner, said.",
                "We will not pay,"
            ),
            some("Nestor Kirchner")
        );
        assert_eq!(
            speaker_of(
                "The Minister for Europe, Denis MacShane, said: “This is a good deal for Britain.”",
                "This is a good deal for Britain."
            ),
            some("Denis MacShane")
        );
        // A clause after the comma is no apposition, whatever names it holds.
        assert_ne!(
            speaker_of(
                "“It is a sad day,” the Manchester Central MP, whose constituency includes the club's Old Trafford ground, said.",
                "It is a sad day,"
            ),
            some("Old Trafford")
        );
    }

    #[test]
    fn pronouns_resolve_to_the_named_person() {
        let text = "Mustafa Dzhemilev spoke to Ukrinform on Monday.\n“They do not want to release them,” he said.";
        assert_eq!(
            speaker_of(text, "They do not want to release them,"),
            some("Mustafa Dzhemilev")
        );
        // Met again by surname alone, the person is the one "he" means next; "she" skips a
        // man named since, and "he" a woman.
        let text = "Joe Biden and Tim Kaine spoke in Scranton.\n\nBiden rubbished the \
                    claim.\n\n“It is a bunch of malarkey,” he said.\n\nHillary Clinton was \
                    there, and Tim Kaine spoke after her.\n\n“We will win,” she said.";
        assert_eq!(
            speaker_of(text, "It is a bunch of malarkey,"),
            some("Joe Biden")
        );
        assert_eq!(speaker_of(text, "We will win,"), some("Hillary Clinton"));
    }

    #[test]
    fn role_nouns_bound_by_apposition_resolve() {
        let text = "Russian President Vladimir Putin met the delegation.\n“We will consider it,” the president said.";
        assert_eq!(
            speaker_of(text, "We will consider it,"),
            some("Vladimir Putin")
        );
    }

    #[test]
    fn surnames_are_canonical_within_a_document() {
        let text =
            "Mustafa Dzhemilev arrived in Istanbul.\n“It inspires the people,” Dzhemilev said.";
        assert_eq!(
            speaker_of(text, "It inspires the people,"),
            some("Mustafa Dzhemilev")
        );
    }

    #[test]
    fn a_quote_without_cue_continues_the_last_speaker() {
        let text = "“First part,” Jane Smith said. “Second part in the same paragraph.”\n“Third part in the next paragraph.”";
        let all = said(text);
        assert!(
            all.iter().all(|(_, s)| s.as_deref() == Some("Jane Smith")),
            "{all:?}"
        );
    }

    #[test]
    fn interrupted_quote_is_one_utterance() {
        let text =
            "“One of the things we learned,” said Pat Caddell. “Yesterday, there were more.”";
        let q = extract(text, &Hints::default());
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].utterance, q[1].utterance);
        assert_eq!(q[1].speaker.as_deref(), Some("Pat Caddell"));
    }

    #[test]
    fn multi_paragraph_quote_is_one_utterance() {
        let text = "Jane Smith said:\n“The first paragraph of it.\n“The second paragraph of it.”\nAfterwards, nothing.";
        let q = extract(text, &Hints::default());
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[0].utterance, q[1].utterance);
        assert!(q.iter().all(|q| q.speaker.as_deref() == Some("Jane Smith")));
    }

    #[test]
    fn partial_quotes_take_the_clause_speaker() {
        let text = "Donald Trump called the polls \"phony\" on Monday.";
        assert_eq!(kind_of(text, "phony"), QuoteKind::Partial);
        assert_eq!(speaker_of(text, "phony"), some("Donald Trump"));
        // A participial clause's subject is the main clause's, after it.
        let text = "Hillary Clinton was treated in 1998. After saying her right foot was \
                    “so swollen I could barely get my shoe on,” she was taken to a hospital.";
        assert_eq!(
            mention_of(text, "so swollen I could barely get my shoe on,"),
            (some("she"), some("Hillary Clinton"))
        );
    }

    #[test]
    fn a_dated_introduction_is_skipped_to_find_the_subject() {
        let text = "On July 6, 2015, Sanders made the following comment:\n\n\
                    “For young people who have graduated high school, the rate is 33 \
                    percent.”\n\nPolitiFact checked it.";
        assert_eq!(
            speaker_of(
                text,
                "For young people who have graduated high school, the rate is 33 percent."
            ),
            some("Sanders")
        );
    }

    #[test]
    fn a_quotation_the_speaker_reads_out_is_attributed_like_the_speaker() {
        let text = "Caddell continued:\n\n\"The numbers are close. I’m going to read you the \
                    question: “Do you think her health matters?” Forty-three, yes.\"";
        assert_eq!(
            mention_of(text, "Do you think her health matters?"),
            (some("Caddell"), some("Caddell"))
        );
    }

    #[test]
    fn a_sentence_ending_inside_a_quotation_starts_a_new_subject() {
        let text = "Bill Sanders credited the win to \"a closed primary.\" He urged the party \
                    to \"open its doors to people who are prepared to fight.\"";
        let quote = "open its doors to people who are prepared to fight.";
        assert_eq!(mention_of(text, quote), (some("He"), some("Bill Sanders")));
    }

    #[test]
    fn an_adverb_before_the_subject_pronoun_is_not_an_introduction() {
        let text = "Donald Trump attacked Ted Cruz on Monday. Then he cut into Jeb Bush, \
                    calling him a \"stiff\" and worse.";
        assert_eq!(
            mention_of(text, "stiff"),
            (some("he"), some("Donald Trump"))
        );
    }

    #[test]
    fn a_parenthetical_attribution_speaks_for_its_clause() {
        let text = "Chris Christie said that was part of the race, no different, he said, \
                    from George Bush calling the policies \"voodoo economics\" in 1980.";
        // "he" is Christie: a pronoun refers back, never to a name that follows it.
        assert_eq!(
            mention_of(text, "voodoo economics"),
            (some("he"), some("Chris Christie"))
        );
    }

    #[test]
    fn a_speech_verb_after_and_shares_the_subject_of_its_clause() {
        let text = "Harry Reid caucused in Nevada on Saturday and says he is \"very confident\" \
                    about the result.";
        assert_eq!(
            mention_of(text, "very confident"),
            (some("Harry Reid"), some("Harry Reid"))
        );
        let text = "Asked about Bernie Sanders, she looked into the camera, furrowed her brow \
                    and said, \"I am not going anywhere.\"";
        assert_eq!(mention_of(text, "I am not going anywhere.").0, some("she"));
        // Past a quotation embedded in the clause.
        let text = "At Monday’s debate, Clinton cited Trump’s past references to Machado as \
                    “Miss Piggy” and “Miss Housekeeping” as examples of his disrespect for women.";
        assert_eq!(
            mention_of(text, "Miss Housekeeping"),
            (some("Clinton"), some("Clinton"))
        );
    }

    #[test]
    fn a_contracted_pronoun_is_a_pronoun() {
        let text = "Trump says he goes “back to war tomorrow.” He’s predicting he will do \
                    “very, very well” in Nevada.";
        assert_eq!(
            mention_of(text, "very, very well"),
            (some("He’s"), some("Trump"))
        );
        assert_eq!(lexicon::pronoun_stem("they’re"), "they");
        assert_eq!(lexicon::pronoun_stem("Theresa"), "Theresa");
    }

    #[test]
    fn a_participle_after_a_preposition_is_the_subjects() {
        let text = "“Keep your hands in sight,” Blige sings to Clinton before asking her, “I \
                    just want to know, where do we go from here?”";
        assert_eq!(
            mention_of(text, "I just want to know, where do we go from here?").0,
            some("Blige")
        );
    }

    #[test]
    fn a_participle_continues_its_own_subject_not_a_relative_clause() {
        // Coordinated with an earlier participle: that one's subject speaks.
        let text = "Republicans were quick to chime in, with Donald Trump tweeting that it was a \
                    \"disaster\" for Clinton and asking, \"How can someone with such bad \
                    judgement be our next president?\"";
        assert_eq!(
            mention_of(
                text,
                "How can someone with such bad judgement be our next president?"
            )
            .0,
            some("Donald Trump")
        );
        // A speech verb in a relative clause is not the one the participle continues.
        // (The rules' pick; the ranker, which weighs "who" too, decides in the end.)
        let text = "Trump was defensive about not paying an architect who said he was stiffed \
                    after the work, saying, “Maybe he didn’t do a good job.”";
        assert_eq!(
            rules_pick(text, "Maybe he didn’t do a good job."),
            ["Trump"]
        );
    }

    /// The words the rules chose as the speaker of `quote`, before the ranker decides.
    fn rules_pick<'t>(text: &'t str, quote: &str) -> Vec<&'t str> {
        let start = text.find(quote).unwrap();
        let q = training_quotes(text, &Hints::default())
            .into_iter()
            .find(|q| q.start == start)
            .unwrap_or_else(|| panic!("{quote:?} not found"));
        q.candidates
            .iter()
            .filter(|c| c.features.iter().any(|f| f.starts_with("rule=")))
            .filter_map(|c| match &c.answer {
                ranker::Answer::Speaker(r) => Some(&text[r.clone()]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn titles_shows_and_scare_quotes_are_terms_without_speakers() {
        for (text, quote) in [
            (
                "He appeared on \"Meet the Press\" on Sunday.",
                "Meet the Press",
            ),
            (
                "She starred in “The Apprentice” for years.",
                "The Apprentice",
            ),
            ("The so-called “experts” were wrong.", "experts"),
            (
                "Sanders told MSNBC’s “Morning Joe” that she was wrong.",
                "Morning Joe",
            ),
            (
                "Pence said on CNN's \"State of the Union.\"",
                "State of the Union.",
            ),
        ] {
            let q = extract(text, &Hints::default());
            let q = q
                .iter()
                .find(|q| &text[q.start..q.end] == quote)
                .expect(quote);
            assert_eq!(q.kind, QuoteKind::Term, "{text}");
            assert_eq!(q.speaker, None, "{text}");
        }
    }

    #[test]
    fn no_speaker_is_better_than_a_wrong_one() {
        let text = "The declaration specified that “Russia is a terrorist country” and more.";
        assert_eq!(speaker_of(text, "Russia is a terrorist country"), None);
        assert_eq!(
            speaker_of(
                "“Nobody knows who said this.”",
                "Nobody knows who said this."
            ),
            None
        );
    }

    #[test]
    fn every_quote_style_is_found() {
        for (text, quote) in [
            ("Smith said \"straight quotes.\"", "straight quotes."),
            ("Smith said “curly quotes.”", "curly quotes."),
            ("Smith said «guillemets.»", "guillemets."),
            ("Smith said »reversed guillemets.«", "reversed guillemets."),
            ("Smith said „low and high.“", "low and high."),
            ("Smith said „low and right.”", "low and right."),
            (
                "Smith said “he told me ‘no’ twice.”",
                "he told me ‘no’ twice.",
            ),
        ] {
            assert_eq!(speaker_of(text, quote), some("Smith"), "{text}");
        }
    }

    #[test]
    fn apostrophes_and_mismatched_pairs_do_not_derail() {
        let text = "Chiygoz’s lawyer, in the 1990s’ style, said “a mismatched pair\" and then “a proper one.”";
        let quotes: Vec<String> = said(text).into_iter().map(|(q, _)| q).collect();
        assert_eq!(quotes, ["a mismatched pair", "a proper one."]);
    }

    #[test]
    fn large_documents_read_in_pieces_keep_offsets() {
        let para = "“We will win the vote,” said Jane Smith in the capital.\n\n";
        let text = para.repeat(PARALLEL_MIN / para.len() + 10);
        let quotes = extract(&text, &Hints::default());
        assert_eq!(quotes.len(), PARALLEL_MIN / para.len() + 10);
        for q in &quotes {
            assert_eq!(&text[q.start..q.end], "We will win the vote,");
            let m = q.mention.as_ref().unwrap();
            assert_eq!(&text[m.start..m.end], "Jane Smith");
        }
        let mut utterances: Vec<_> = quotes.iter().map(|q| q.utterance).collect();
        utterances.dedup();
        assert_eq!(utterances.len(), quotes.len());
    }

    #[test]
    fn char_offsets_match_a_full_count() {
        let text = "aé“x”\n".repeat(700);
        let offsets = CharOffsets::new(&text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_at(byte), chars);
        }
        assert_eq!(offsets.char_at(text.len()), text.chars().count());
    }

    #[test]
    fn offsets_count_code_points() {
        let text = "“Ünïcödé,” she said.";
        let q = &extract(text, &Hints::default())[0];
        let offsets = CharOffsets::new(text);
        assert_eq!((offsets.char_at(q.start), offsets.char_at(q.end)), (1, 9));
    }

    /// A run-on text with no paragraph breaks, long enough that the ranker describes it
    /// in blocks: each quotation gets the speaker it gets when every unit is a
    /// paragraph of its own.
    #[test]
    fn a_run_on_paragraph_is_read_like_short_ones() {
        let first = [
            "Anna", "Boris", "Clara", "David", "Elena", "Farid", "Greta", "Hugo",
        ];
        let last = [
            "Karlsson",
            "Lindqvist",
            "Moreau",
            "Novak",
            "Okafor",
            "Petrov",
        ];
        let units: Vec<String> = (0..600)
            .map(|i| {
                let name = format!("{} {}", first[i % 8], last[(i / 8) % 6]);
                format!(
                    "The minister {name} spoke on Tuesday. \u{201c}We will build {i} homes \
                     in the north,\u{201d} {name} said, adding that the plan was costed."
                )
            })
            .collect();
        let run_on = units.join(" ");
        let paragraphs = units.join("\n\n");
        let tokens = tokens::tokenize(&run_on, 0..run_on.len(), &[]).len();
        assert!(tokens > 2 * DESCRIBED_MAX, "{tokens} tokens");
        let long = said(&run_on);
        assert_eq!(long.len(), 600);
        assert_eq!(long, said(&paragraphs));
        for (i, (quote, speaker)) in long.iter().enumerate() {
            assert!(quote.contains(&format!("build {i} homes")), "{quote}");
            let name = format!("{} {}", first[i % 8], last[(i / 8) % 6]);
            assert_eq!(speaker.as_deref(), Some(name.as_str()), "{quote}");
        }
    }
}
