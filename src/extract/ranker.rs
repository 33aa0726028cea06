//! The speaker ranker: which words near a quotation name the person who said it.
//!
//! The clause rules in the parent module know the common shapes of an attribution
//! (`"…," said X`, `X told reporters "…"`). News prose has many more, and a rule that fires
//! on the wrong phrase gives a wrong speaker. So the rules propose and a log-linear model
//! decides. For each quotation it scores a small set of candidates:
//!
//! - nobody (the quotation gets no speaker),
//! - not speech (a title or scare quote, stored as kind `term`), except for words plainly
//!   spoken in the first person,
//! - the rules' pick when it lies in an earlier paragraph (a continued quotation),
//! - every content word of the quotation's paragraph within [`WINDOW`] tokens before it or [`WINDOW_AFTER`] after.
//!
//! Each candidate is described by named features: its shape (pronoun, capitalised word,
//! lowercase noun), its side and distance, the words around it, what lies between it and
//! the quotation, and whether the rules chose it. A candidate's score is the sum of its
//! features' weights; the highest wins, and its softmax probability is the confidence.
//!
//! The weights live in `speaker_model.tsv`, one `feature<TAB>weight` per line, readable
//! and diffable. They were trained on the PolNeAR train split only, by
//! `examples/train_speaker.rs` (run it with `bench/train_speaker.sh`), which reads the
//! candidates this module produces in training mode ([`super::training_quotes`]).

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::MentionKind;
use super::lexicon;
use super::tokens::{TokKind, Token};
use crate::model::QuoteKind;

/// How far before a quotation (in tokens of its paragraph) a word may name its speaker.
pub const WINDOW: usize = 40;
/// How far after it: attributions after a quotation are short (`"…," said X`).
pub const WINDOW_AFTER: usize = 20;

/// Feature weights: the trained model.
#[derive(Debug, Default)]
pub struct Model {
    weights: HashMap<u64, f32, BuildHasherDefault<Premixed>>,
}

/// The map's hasher for keys that are already [`feature_hash`]es: hashing them again
/// would only cost time.
#[derive(Default)]
struct Premixed(u64);

impl Hasher for Premixed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for these keys; mix anything else in all the same.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(FeatureHash::K);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

static BUILTIN: LazyLock<Model> = LazyLock::new(|| {
    // The file ships with the crate and a test parses it, so an error here is a build defect.
    Model::parse(include_str!("speaker_model.tsv")).unwrap_or_default()
});

/// A line of a model file that is not `feature<TAB>weight`.
#[derive(Debug, thiserror::Error)]
#[error("speaker model line {line}: expected `feature<TAB>weight`, found {found:?}")]
pub struct ModelError {
    pub line: usize,
    pub found: String,
}

impl Model {
    /// The model shipped with prov.
    pub fn builtin() -> &'static Model {
        &BUILTIN
    }

    /// Reads `feature<TAB>weight` lines; blank lines and `#` comments are skipped.
    pub fn parse(tsv: &str) -> Result<Model, ModelError> {
        let mut weights = HashMap::default();
        for (n, line) in tsv.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let parsed = line
                .rsplit_once('\t')
                .and_then(|(name, w)| Some((name, w.trim().parse::<f32>().ok()?)));
            let Some((name, w)) = parsed else {
                return Err(ModelError {
                    line: n + 1,
                    found: line.to_owned(),
                });
            };
            weights.insert(feature_hash(name), w);
        }
        Ok(Model { weights })
    }

    /// How many features carry a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// FxHash-style mixing of bytes gathered eight at a time, fed in pieces: where the
/// pieces split does not change the result, so a feature is hashed from its parts
/// exactly as its name is hashed when the model is read.
struct FeatureHash {
    h: u64,
    word: u64,
    n: u32,
}

impl FeatureHash {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn new() -> Self {
        FeatureHash {
            h: 0,
            word: 0,
            n: 0,
        }
    }

    fn write(&mut self, mut bytes: &[u8]) {
        // Top up the partial word a byte at a time, then take whole words.
        while self.n != 0 {
            let Some((&b, rest)) = bytes.split_first() else {
                return;
            };
            self.push_byte(b);
            bytes = rest;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            self.h = (self.h.rotate_left(26) ^ w).wrapping_mul(Self::K);
        }
        for &b in words.remainder() {
            self.push_byte(b);
        }
    }

    fn push_byte(&mut self, b: u8) {
        self.word |= u64::from(b) << (8 * self.n);
        self.n += 1;
        if self.n == 8 {
            self.h = (self.h.rotate_left(26) ^ self.word).wrapping_mul(Self::K);
            self.word = 0;
            self.n = 0;
        }
    }

    fn finish(&self) -> u64 {
        let last = self.word ^ (u64::from(self.n) << 59);
        let h = (self.h.rotate_left(26) ^ last).wrapping_mul(Self::K);
        h ^ (h >> 29)
    }
}

/// The hash of a feature named `template=value`.
pub fn feature_hash(name: &str) -> u64 {
    let mut h = FeatureHash::new();
    h.write(name.as_bytes());
    h.finish()
}

/// The hash of the feature `template=value[0]|value[1]|…`, with no string built.
fn hash_parts(template: &str, value: &[&str]) -> u64 {
    let mut h = FeatureHash::new();
    h.write(template.as_bytes());
    h.write(b"=");
    for (i, v) in value.iter().enumerate() {
        if i > 0 {
            h.write(b"|");
        }
        h.write(v.as_bytes());
    }
    h.finish()
}

/// One candidate's features: added into its score when ranking, named when training.
#[derive(Debug, Default)]
struct Features<'m> {
    model: Option<&'m Model>,
    score: f32,
    names: Option<Vec<String>>,
}

impl Features<'_> {
    fn add(&mut self, template: &str, value: &[&str]) {
        if let Some(m) = self.model {
            self.score += m
                .weights
                .get(&hash_parts(template, value))
                .copied()
                .unwrap_or(0.0);
        }
        if let Some(names) = &mut self.names {
            names.push(format!("{template}={}", value.join("|")));
        }
    }
}

/// A quotation read for training: its byte span and its candidates with named features.
#[derive(Debug, Clone)]
pub struct TrainingQuote {
    pub start: usize,
    pub end: usize,
    pub candidates: Vec<TrainingCandidate>,
}

/// A candidate answer for a quotation, with its features.
#[derive(Debug, Clone)]
pub struct TrainingCandidate {
    pub answer: Answer,
    pub features: Vec<String>,
}

/// What a candidate says about a quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Speech, with no speaker to name.
    Nobody,
    /// Not speech: a title, a name, a scare quote.
    Term,
    /// Speech by whoever the words at this byte span name.
    Speaker(Range<usize>),
}

/// Where the rules' attribution came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RuleSource {
    /// No rule found a speaker.
    Nothing,
    /// An attribution clause next to the quotation.
    Clause,
    /// The subject of the sentence around a partial quotation.
    Subject,
    /// The quotation continues the previous one.
    Inherited,
}

impl RuleSource {
    fn as_str(self) -> &'static str {
        match self {
            RuleSource::Nothing => "nothing",
            RuleSource::Clause => "clause",
            RuleSource::Subject => "subject",
            RuleSource::Inherited => "inherited",
        }
    }
}

/// What the rules proposed for a quotation, with its context.
#[derive(Debug, Clone)]
pub(super) struct Proposal<'a> {
    pub kind: QuoteKind,
    pub source: RuleSource,
    /// The rules' mention (byte range) and its kind, with the rules' confidence.
    pub mention: Option<(Range<usize>, MentionKind, f32)>,
    /// The quotation's token index in the tokens given with it.
    pub at: usize,
    /// The byte range of the paragraph's tokens (of which those given may be a part).
    pub paragraph: Range<usize>,
    /// Whether the quotation opens its sentence.
    pub opens: bool,
    /// Whether a new sentence starts right after the quotation.
    pub new_sentence: bool,
    pub inner: &'a str,
}

/// A candidate speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Choice {
    Nobody,
    /// The quotation is no speech (a title, a scare quote).
    Term,
    /// The rules' pick, which lies outside this paragraph.
    Rule,
    /// The word at this token index of the paragraph.
    Word(usize),
}

/// How a token is written, as the ranker's features read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Pronoun,
    Number,
    /// Capitalised, first in its sentence.
    CapFirst,
    Cap,
    Lower,
    Punct,
    Quote,
}

impl Shape {
    fn as_str(self) -> &'static str {
        match self {
            Shape::Pronoun => "pron",
            Shape::Number => "num",
            Shape::CapFirst => "capfirst",
            Shape::Cap => "cap",
            Shape::Lower => "low",
            Shape::Punct => "punct",
            Shape::Quote => "quote",
        }
    }

    fn is_cap(self) -> bool {
        matches!(self, Shape::Cap | Shape::CapFirst)
    }
}

/// Whether a capitalised word is the surname of someone the document named or heard
/// before the paragraph (see [`mark_people`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Person {
    Unknown,
    Named,
    Spoke,
}

impl Person {
    fn as_str(self) -> &'static str {
        match self {
            Person::Unknown => "-",
            Person::Named => "named",
            Person::Spoke => "spoke",
        }
    }
}

/// What the ranker needs to know about each token of a paragraph. One is kept per token
/// of the paragraph being read, so it is kept small: a run-on paragraph of 100 MB has
/// some 20 million tokens.
#[derive(Debug, Clone)]
pub(super) struct TokInfo {
    /// The token in lowercase, when that differs from how it is written (see
    /// [`TokInfo::lower`]).
    lowered: Option<Box<str>>,
    shape: Shape,
    person: Person,
    sentence: u32,
    candidate: bool,
    /// A speech verb.
    cue: bool,
    /// A title ("president"), which reads as itself beside a candidate, not as `Cap`.
    title: bool,
    /// A title or a role noun ("lawyer").
    role: bool,
    /// A candidate with no candidate before it in its sentence.
    first: bool,
    /// Running counts up to and including this token: speech verbs, quotations, commas,
    /// and capitalised or pronoun candidates.
    counts: [u32; 4],
    /// The summed weights of this token's own features as a candidate left and right of a
    /// quotation, once computed: they do not depend on which quotation, unless it is
    /// within two tokens (a neighbour then reads `QQ`).
    own: [Cell<Option<f32>>; 2],
}

impl TokInfo {
    /// The token `t` (which this describes) in lowercase.
    fn lower<'a>(&'a self, text: &'a str, t: &Token) -> &'a str {
        self.lowered.as_deref().unwrap_or_else(|| t.text(text))
    }
}

/// Describes the tokens of a paragraph; `ends_sentence(i)` says whether token `i` closes
/// a sentence.
pub(super) fn describe(
    text: &str,
    toks: &[Token],
    ends_sentence: impl Fn(usize) -> bool,
) -> Vec<TokInfo> {
    let mut sentence = 0;
    let mut first_in_sentence = true;
    let mut seen_candidate = false;
    let mut out = Vec::with_capacity(toks.len());
    for (i, t) in toks.iter().enumerate() {
        let raw = t.text(text);
        let lower = raw.to_lowercase();
        let word = lexicon::word(&lower);
        let (shape, candidate) = match t.kind {
            TokKind::Word => {
                let cap = raw.chars().next().is_some_and(char::is_uppercase);
                let digit = raw.chars().next().is_some_and(|c| c.is_ascii_digit());
                let pronoun = word.is_pronoun();
                let shape = if pronoun {
                    Shape::Pronoun
                } else if digit {
                    Shape::Number
                } else if cap && first_in_sentence {
                    Shape::CapFirst
                } else if cap {
                    Shape::Cap
                } else {
                    Shape::Lower
                };
                let filler = word.is_function_word()
                    || word.is_adverb_or_aux()
                    || matches!(lower.as_str(), "the" | "a" | "an")
                    || (word.is_strong_cue() && !word.is_noun_cue());
                (shape, pronoun || (!filler && !digit))
            }
            TokKind::Punct(_) => (Shape::Punct, false),
            TokKind::Quote(_) => (Shape::Quote, false),
        };
        let cue = t.is_word() && word.is_cue();
        let title = t.is_word() && word.is_title();
        let role = title || (t.is_word() && word.is_role_noun());
        let first = candidate && !seen_candidate;
        seen_candidate |= candidate;
        let mut c = out.last().map_or([0; 4], |p: &TokInfo| p.counts);
        c[0] += u32::from(cue);
        c[1] += u32::from(matches!(t.kind, TokKind::Quote(_)));
        c[2] += u32::from(t.is_punct(','));
        c[3] += u32::from(candidate && (shape.is_cap() || shape == Shape::Pronoun));
        out.push(TokInfo {
            lowered: (lower != raw).then(|| lower.into_boxed_str()),
            shape,
            person: Person::Unknown,
            sentence,
            candidate,
            cue,
            title,
            role,
            first,
            counts: c,
            own: [Cell::new(None), Cell::new(None)],
        });
        first_in_sentence = false;
        if ends_sentence(i) {
            sentence += 1;
            first_in_sentence = true;
            seen_candidate = false;
        }
    }
    out
}

/// Marks the capitalised words that are the surname of someone `known` (surname →
/// whether they spoke) names: a person, not a party, a place or a network.
pub(super) fn mark_people(
    text: &str,
    toks: &[Token],
    info: &mut [TokInfo],
    known: &FxHashMap<String, bool>,
) {
    for (t, ti) in toks.iter().zip(info.iter_mut()) {
        if !ti.shape.is_cap() {
            continue;
        }
        let word = super::names::strip_possessive(t.text(text));
        if let Some(&spoke) = known.get(word) {
            ti.person = if spoke { Person::Spoke } else { Person::Named };
        }
    }
}

fn dist_bucket(d: usize) -> &'static str {
    match d {
        0..=1 => "1",
        2 => "2",
        3 => "3",
        4 => "4",
        5..=6 => "5-6",
        7..=9 => "7-9",
        10..=14 => "10-14",
        15..=20 => "15-20",
        _ => "21+",
    }
}

fn conf_bucket(c: f32) -> &'static str {
    match c {
        c if c >= 0.85 => "high",
        c if c >= 0.65 => "mid",
        _ => "low",
    }
}

fn count_bucket(n: u32) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        _ => "3+",
    }
}

/// How a neighbouring token reads in a feature: lowercase words, except capitalised ones
/// that are not titles, which all read `Cap`; punctuation as itself; quotations as `Q`
/// (`QQ` for the quotation being attributed).
fn neighbour<'a>(
    text: &'a str,
    info: &'a [TokInfo],
    toks: &[Token],
    i: Option<usize>,
    quote: usize,
) -> &'a str {
    let Some(i) = i.filter(|&i| i < info.len()) else {
        return "^$";
    };
    let lower = info[i].lower(text, &toks[i]);
    match toks[i].kind {
        TokKind::Quote(_) if i == quote => "QQ",
        TokKind::Quote(_) => "Q",
        TokKind::Punct(_) => lower,
        TokKind::Word => match info[i].shape {
            Shape::Cap | Shape::CapFirst if !info[i].title => "Cap",
            Shape::Number => "0",
            _ => lower,
        },
    }
}

/// How a token reads in a path between a candidate and its quotation: speech verbs as
/// `CUE`, capitalised words as `Cap`, other content words as `w`, the rest as themselves.
fn path_word<'a>(text: &'a str, info: &'a [TokInfo], toks: &[Token], i: usize) -> &'a str {
    let t = &info[i];
    let lower = t.lower(text, &toks[i]);
    match toks[i].kind {
        TokKind::Quote(_) => "Q",
        TokKind::Punct(_) => lower,
        TokKind::Word if t.cue => "CUE",
        TokKind::Word if t.shape == Shape::Pronoun => lower,
        TokKind::Word if t.title => "T",
        TokKind::Word if t.shape.is_cap() => "Cap",
        TokKind::Word if t.candidate => "w",
        TokKind::Word => lower,
    }
}

/// The candidates for the quotation at token `p.at`, with their features.
fn candidates<'m>(
    text: &str,
    toks: &[Token],
    info: &[TokInfo],
    p: &Proposal,
    model: Option<&'m Model>,
) -> Vec<(Choice, Features<'m>)> {
    let named = model.is_none();
    let new = || Features {
        model,
        score: 0.0,
        names: named.then(Vec::new),
    };
    let k = p.at;
    let qkind = p.kind.as_str();
    let source = p.source.as_str();
    let mention = p.mention.as_ref();
    let rule_inside =
        mention.filter(|(r, _, _)| r.end > p.paragraph.start && r.start < p.paragraph.end);
    let words = p.inner.split_whitespace().count();
    let len = match words {
        0..=3 => "short",
        4..=12 => "mid",
        _ => "long",
    };
    let mkind = |m: MentionKind| match m {
        MentionKind::Name => "name",
        MentionKind::Pronoun => "pron",
        MentionKind::Description => "desc",
    };

    let mut out = Vec::new();
    let mut f = new();
    let rule_kind = mention.map_or("-", |(_, m, _)| mkind(*m));
    f.add("none", &[]);
    f.add("none.qkind", &[qkind]);
    f.add("none.rule", &[source, rule_kind]);
    f.add("none.rule.qkind", &[source, qkind]);
    f.add(
        "none.newsent",
        &[if p.new_sentence { "y" } else { "n" }, qkind],
    );
    f.add("none.opens", &[if p.opens { "y" } else { "n" }, qkind]);
    f.add("none.len", &[len, qkind]);
    let prev_tok = neighbour(text, info, toks, k.checked_sub(1), k);
    let next_tok = neighbour(text, info, toks, Some(k + 1), k);
    f.add("none.prev", &[prev_tok]);
    f.add("none.next", &[next_tok]);
    out.push((Choice::Nobody, f));
    if !speaks_for_itself(p.inner) {
        out.push((
            Choice::Term,
            term_features(
                new(),
                p,
                [prev_tok, next_tok, len, source, rule_kind],
                k.checked_sub(1)
                    .is_some_and(|i| lexicon::is_possessive(toks[i].text(text))),
            ),
        ));
    }

    if let Some((_, m, conf)) = mention.filter(|_| rule_inside.is_none()) {
        let mut f = new();
        f.add("ext", &[source]);
        f.add("ext.qkind", &[qkind, source]);
        f.add("ext.conf", &[conf_bucket(*conf)]);
        f.add("ext.mkind", &[mkind(*m)]);
        f.add("ext.opens", &[if p.opens { "y" } else { "n" }]);
        out.push((Choice::Rule, f));
    }

    let lo = k.saturating_sub(WINDOW);
    let hi = (k + WINDOW_AFTER + 1).min(toks.len());
    let qsent = info[k].sentence;
    for j in lo..hi {
        let in_rule =
            rule_inside.is_some_and(|(r, _, _)| toks[j].start < r.end && r.start < toks[j].end);
        if j == k || !(info[j].candidate || (in_rule && toks[j].is_word())) {
            continue;
        }
        let ti = &info[j];
        let mut f = new();
        let side = if j < k { "L" } else { "R" };
        let d = dist_bucket(j.abs_diff(k));
        let shape = ti.shape.as_str();
        let sent = match i64::from(ti.sentence) - i64::from(qsent) {
            0 => "0",
            -1 => "-1",
            1 => "+1",
            x if x < 0 => "<",
            _ => ">",
        };
        f.add("shape.side.dist", &[shape, side, d]);
        f.add("shape.sent.side", &[shape, sent, side]);
        f.add("qkind.shape.sent.side", &[qkind, shape, sent, side]);
        f.add("qkind.side.dist", &[qkind, side, d]);
        match model.filter(|_| j.abs_diff(k) > 2) {
            Some(m) => {
                let own = &ti.own[usize::from(j > k)];
                f.score += own.get().unwrap_or_else(|| {
                    let mut g = Features {
                        model: Some(m),
                        ..Features::default()
                    };
                    own_features(&mut g, text, toks, info, j, k, side);
                    own.set(Some(g.score));
                    g.score
                });
            }
            None => own_features(&mut f, text, toks, info, j, k, side),
        }
        // What lies between the candidate and the quotation.
        // Counts strictly between j and k, from the running counts.
        let (a, b) = if j < k { (j, k) } else { (k, j) };
        let between = |c: usize| info[b - 1].counts[c] - info[a].counts[c];
        let (cues, quotes, commas, cands) = (between(0), between(1), between(2), between(3));
        f.add("between.cue", &[side, count_bucket(cues)]);
        f.add("between.quote", &[side, count_bucket(quotes)]);
        f.add("between.comma", &[side, count_bucket(commas)]);
        f.add("between.names", &[shape, side, count_bucket(cands)]);
        // A speech verb after the candidate in its sentence, before or after the quotation:
        // "McCaskill, who has endorsed Clinton, said Sanders has pushed … "stronger"".
        let cue_after = (j + 1..(j + 16).min(toks.len()))
            .take_while(|&i| info[i].sentence == ti.sentence)
            .find(|&i| info[i].cue);
        if let Some(i) = cue_after {
            let at = if i < k { "beforeQ" } else { "afterQ" };
            f.add("cue_after", &[dist_bucket(i - j), at, side]);
            f.add("cue_after.shape", &[shape, at, side]);
            f.add("cue_after.word", &[info[i].lower(text, &toks[i]), at]);
        }
        // The exact shape of a short path between candidate and quotation.
        if b - a <= 6 {
            let path: Vec<&str> = (a + 1..b).map(|i| path_word(text, info, toks, i)).collect();
            let mut parts = vec![side];
            parts.extend(path);
            f.add("path", &parts);
        }
        // "said Smith", "according to Smith": a speech verb just before the candidate.
        if let Some(i) = (j.saturating_sub(4)..j).rev().find(|&i| info[i].cue) {
            f.add("cue_before", &[dist_bucket(j - i), side]);
            f.add(
                "cue_before.word",
                &[info[i].lower(text, &toks[i]), dist_bucket(j - i)],
            );
        }
        // The first content word of its sentence is most often its subject.
        if ti.first {
            f.add("sentfirst", &[shape, sent]);
        }
        if let Some((r, m, conf)) = rule_inside.filter(|_| in_rule) {
            let last = toks[j].end >= r.end;
            f.add("rule", &[source]);
            f.add("rule.conf", &[source, conf_bucket(*conf)]);
            f.add("rule.qkind", &[source, qkind]);
            f.add("rule.mkind", &[mkind(*m), shape]);
            f.add("rule.last", &[if last { "y" } else { "n" }]);
        }
        out.push((Choice::Word(j), f));
    }
    out
}

/// The features of candidate `j` that depend only on the token and the side of the
/// quotation at `k` it lies on, not on how far it is.
fn own_features(
    f: &mut Features,
    text: &str,
    toks: &[Token],
    info: &[TokInfo],
    j: usize,
    k: usize,
    side: &str,
) {
    let ti = &info[j];
    let shape = ti.shape.as_str();
    f.add("shape", &[shape]);
    if matches!(ti.shape, Shape::Lower | Shape::Pronoun) {
        let lower = ti.lower(text, &toks[j]);
        f.add("word", &[lower]);
        f.add("word.side", &[lower, side]);
    }
    if ti.role {
        f.add("role", &[shape]);
    }
    if ti.person != Person::Unknown {
        f.add("person", &[ti.person.as_str(), side]);
    }
    let next = neighbour(text, info, toks, Some(j + 1), k);
    let next2 = neighbour(text, info, toks, Some(j + 2), k);
    let prev = neighbour(text, info, toks, j.checked_sub(1), k);
    let prev2 = neighbour(text, info, toks, j.checked_sub(2), k);
    f.add("next", &[next]);
    f.add("next.side", &[next, side]);
    f.add("next2", &[next, next2]);
    f.add("prev", &[prev]);
    f.add("prev.side", &[prev, side]);
    f.add("prev2", &[prev2, prev]);
    f.add("shape.next", &[shape, next]);
    f.add("shape.prev", &[shape, prev]);
    if lexicon::is_possessive(toks[j].text(text)) {
        f.add("poss", &[side]);
    }
    if ti.shape.is_cap() {
        let last = !toks
            .get(j + 1)
            .is_some_and(|t| t.is_word() && info[j + 1].shape.is_cap());
        f.add("run", &[if last { "last" } else { "inner" }]);
    }
}

/// A lowercase word in the first person: I, I’m, we, we’re, my, our, me, us.
fn first_person(w: &str) -> bool {
    matches!(
        w,
        "i" | "i'm" | "i’m" | "we" | "we're" | "we’re" | "my" | "our" | "me" | "us"
    )
}

/// Whether any of `words`, stripped of the punctuation around it and lowercased, passes
/// `test`.
fn any_word(words: &[&str], test: impl Fn(&str) -> bool) -> bool {
    words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'');
        test(&w.to_lowercase())
    })
}

/// Whether quoted words are plainly someone speaking: four words or more, in the first
/// person, not written as a title ("so swollen I could barely get my shoe on"). Titles,
/// names and scare quotes almost never are, so such words are never a term.
fn speaks_for_itself(inner: &str) -> bool {
    let words: Vec<&str> = inner.split_whitespace().collect();
    let first_person = any_word(&words, |w| first_person(w) || matches!(w, "i've" | "i’ve"));
    let lowercase_words = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    words.len() >= 4 && first_person && lowercase_words * 2 >= words.len()
}

/// Features of the answer "this quotation is no speech": what the quoted words look like
/// and what surrounds them.
fn term_features<'m>(
    mut f: Features<'m>,
    p: &Proposal,
    [prev, next, len, source, rule_kind]: [&str; 5],
    after_possessive: bool,
) -> Features<'m> {
    let inner = p.inner.trim();
    let words: Vec<&str> = inner.split_whitespace().collect();
    let n = match words.len() {
        0..=1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        7..=12 => "7-12",
        _ => "13+",
    };
    let yn = |b: bool| if b { "y" } else { "n" };
    let capitalised = |w: &&str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let title_case = !words.is_empty()
        && words
            .iter()
            .filter(|w| w.chars().count() > 3)
            .all(capitalised);
    let ends = inner
        .trim_end_matches(['’', '\'', '"', '”', '»'])
        .chars()
        .last()
        .map_or("none", |c| match c {
            '.' | '!' | '?' => "stop",
            ',' => "comma",
            c if c.is_alphanumeric() => "word",
            _ => "other",
        });
    let first_person = any_word(&words, |w| first_person(w) || w == "you");
    f.add("term", &[]);
    f.add("term.prev", &[prev]);
    f.add("term.next", &[next]);
    f.add("term.prev.next", &[prev, next]);
    f.add("term.words", &[n]);
    f.add("term.len.kind", &[len, p.kind.as_str()]);
    f.add("term.titlecase", &[yn(title_case), n]);
    f.add(
        "term.startcap",
        &[yn(words.first().is_some_and(capitalised))],
    );
    f.add("term.ends", &[ends, n]);
    f.add("term.firstperson", &[yn(first_person)]);
    f.add("term.rule", &[source, rule_kind]);
    f.add("term.opens", &[yn(p.opens), yn(p.new_sentence)]);
    // "MSNBC’s “Morning Joe”", "Trump’s “woman’s card”": what belongs to someone is
    // most often a name or a phrase, not words said.
    if after_possessive {
        f.add("term.afterposs", &[yn(title_case), n]);
    }
    f
}

/// The ranker's choice among the candidates, with its probability.
pub(super) fn choose(
    model: &Model,
    text: &str,
    toks: &[Token],
    info: &[TokInfo],
    p: &Proposal,
) -> (Choice, f32) {
    let cands = candidates(text, toks, info, p, Some(model));
    let scores: Vec<f32> = cands.iter().map(|(_, f)| f.score).collect();
    let best = scores
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    let top = scores[best];
    let total: f32 = scores.iter().map(|s| (s - top).exp()).sum();
    (cands[best].0, 1.0 / total)
}

/// The candidates with named features, for the trainer.
pub(super) fn training(
    text: &str,
    toks: &[Token],
    info: &[TokInfo],
    p: &Proposal,
    quote: Range<usize>,
) -> TrainingQuote {
    let candidates = candidates(text, toks, info, p, None)
        .into_iter()
        .map(|(c, f)| TrainingCandidate {
            answer: match c {
                Choice::Nobody => Answer::Nobody,
                Choice::Term => Answer::Term,
                Choice::Rule => p
                    .mention
                    .as_ref()
                    .map_or(Answer::Nobody, |(r, _, _)| Answer::Speaker(r.clone())),
                Choice::Word(j) => Answer::Speaker(toks[j].start..toks[j].end),
            },
            features: f.names.unwrap_or_default(),
        })
        .collect();
    TrainingQuote {
        start: quote.start,
        end: quote.end,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_parses_and_has_weights() {
        let m = Model::parse(include_str!("speaker_model.tsv")).unwrap();
        assert!(m.len() > 100, "{} weights", m.len());
    }

    #[test]
    fn a_malformed_model_line_is_named() {
        let e = Model::parse("none=\t1.5\nshape=pron 2\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("shape=pron 2"));
    }

    #[test]
    fn feature_pieces_hash_like_their_name() {
        let mut f = Features {
            names: Some(Vec::new()),
            ..Features::default()
        };
        let m = Model::parse("shape.side=pron|L\t1.5\n").unwrap();
        let mut scored = Features {
            model: Some(&m),
            ..Features::default()
        };
        scored.add("shape.side", &["pron", "L"]);
        scored.add("shape.side", &["pron", "R"]);
        assert_eq!(scored.score, 1.5);
        f.add("shape.side", &["pron", "L"]);
        assert_eq!(f.names.as_ref().unwrap()[0], "shape.side=pron|L");
        assert_eq!(
            hash_parts("shape.side", &["pron", "L"]),
            feature_hash("shape.side=pron|L")
        );
    }
}

#[cfg(test)]
mod training_tests {
    use super::super::{Hints, training_quotes};
    use super::Answer;

    #[test]
    fn training_candidates_hold_nobody_term_and_the_speaker() {
        let text = "\"We will win,\" said Jane Smith on Monday.";
        let quotes = training_quotes(text, &Hints::default());
        assert_eq!(quotes.len(), 1);
        let answers: Vec<&Answer> = quotes[0].candidates.iter().map(|c| &c.answer).collect();
        assert!(answers.contains(&&Answer::Nobody));
        assert!(answers.contains(&&Answer::Term));
        let smith = text.find("Smith").unwrap();
        assert!(
            answers
                .iter()
                .any(|a| matches!(a, Answer::Speaker(r) if r.start <= smith && smith < r.end))
        );
        // "said" is a speech verb, never a candidate speaker.
        let said = text.find("said").unwrap();
        assert!(
            !answers
                .iter()
                .any(|a| matches!(a, Answer::Speaker(r) if r.start == said))
        );
        assert!(quotes[0].candidates.iter().all(|c| !c.features.is_empty()));
    }

    #[test]
    fn a_surname_the_document_named_or_heard_before_reads_as_a_person() {
        let text = "Nikolai Polozov met Sergei Ivanov.\n\n\"We won,\" said Polozov.\n\n\
                    Polozov, Ivanov and Reuters spoke. \"It is over.\"";
        let quotes = training_quotes(text, &Hints::default());
        let features_of = |word: &str| {
            let at = text.rfind(word).unwrap();
            quotes[1]
                .candidates
                .iter()
                .find(|c| matches!(&c.answer, Answer::Speaker(r) if r.start == at))
                .map(|c| c.features.clone())
                .unwrap_or_default()
        };
        assert!(features_of("Polozov").contains(&"person=spoke|L".to_owned()));
        assert!(features_of("Ivanov").contains(&"person=named|L".to_owned()));
        let reuters = features_of("Reuters");
        assert!(!reuters.is_empty());
        assert!(reuters.iter().all(|f| !f.starts_with("person=")));
    }
}
