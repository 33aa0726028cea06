//! People in a document: name spans, canonical names, and the light coreference that turns
//! "he", "the lawyer" or "Dzhemilev" into the person named earlier.

use rustc_hash::FxHashMap as HashMap;

use super::lexicon::{self, Gender};

/// Canonical form of a name as written: titles dropped, possessive removed, spaces folded.
/// "Turkish President Recep Tayyip Erdogan’s" → "Recep Tayyip Erdogan".
pub fn canonical(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if let Some(last) = words.last_mut() {
        *last = strip_possessive(last);
    }
    // Drop leading titles and nationality-like modifiers before a title ("Turkish President").
    let title_at = words
        .iter()
        .rposition(|w| lexicon::is_title(&w.to_lowercase()));
    // …but a surname that is also a title keeps its name: "Martin Luther King III".
    let suffix = |w: &&str| matches!(*w, "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III" | "IV");
    if let Some(t) = title_at
        && words[t + 1..].iter().any(|w| !suffix(w))
    {
        words.drain(..=t);
    }
    words.join(" ")
}

/// Countries, nations and capitals that news text quotes as speaking for their
/// governments ("China said", "Washington warned").
const PLACES: &str = "\
    afghanistan albania algeria angola argentina armenia australia austria azerbaijan
    bahrain bangladesh belarus belgium bolivia bosnia brazil britain bulgaria burma cambodia
    cameroon canada chile china colombia congo croatia cuba cyprus czechia denmark ecuador
    egypt england eritrea estonia ethiopia europe finland france germany ghana greece
    guatemala haiti honduras hungary iceland india indonesia iran iraq ireland israel italy
    japan kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia lebanon libya
    lithuania luxembourg malaysia mali malta mexico moldova mongolia montenegro morocco
    mozambique myanmar namibia nepal netherlands nicaragua niger nigeria norway oman pakistan
    palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda
    scotland senegal serbia singapore slovakia slovenia somalia spain sudan sweden
    switzerland syria taiwan tajikistan tanzania thailand tunisia turkey turkmenistan uganda
    ukraine uruguay uzbekistan venezuela vietnam wales yemen zambia zimbabwe us u.s. usa
    u.s.a. uk u.k. america washington moscow beijing london paris berlin brussels tehran
    kyiv kiev pyongyang seoul tokyo ankara jerusalem damascus baghdad kabul islamabad delhi
    cairo riyadh westminster whitehall crimea gaza";

/// Words that make a place's name from others: "North Korea", "the United States".
const PLACE_PARTS: &str = "\
    north south east west new united states kingdom republic saudi arabia the of
    democratic people's peoples";

/// Nationalities, peoples and parties: many people, named by what they are.
const GROUPS: &str = "\
    american americans british briton britons english scot scots scottish welsh irish
    european europeans french frenchman frenchmen englishman englishmen scotsman dutchman
    german germans russian russians chinese ukrainian ukrainians israeli israelis
    palestinian palestinians iranian iranians iraqi iraqis syrian syrians afghan afghans
    pakistani pakistanis indian indians japanese korean koreans canadian canadians mexican
    mexicans australian australians italian italians spaniard spaniards spanish turkish
    turks arab arabs african africans asian asians westerner westerners muslim muslims
    jews republicans democrats conservative conservatives liberal liberals tory tories
    labour unionists nationalists socialists communists people critics officials
    neighbours neighbors residents protesters protestors campaigners witnesses sources
    insiders observers supporters opponents fans voters workers lawmakers legislators
    ministers leaders authorities troops rebels militants police staff others";

/// Heads of bodies' names that are also common surnames.
const SURNAME_HEADS: &str = "\
    white house post press times poll church hall street court bell chase banks law
    young king city";

/// Whether a lower-cased word names a place or is part of a place's name ("london",
/// "united", "states").
pub fn is_place_word(word: &str) -> bool {
    in_list(PLACES, word) || in_list(PLACE_PARTS, word)
}

fn in_list(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// What a stored speaker's canonical name names, from the name alone: `prov speakers`
/// lists people apart from bodies, places, groups and words that are not names. Rules
/// over word lists, so a person whose name is also a place ("Jordan") may be misread;
/// an unknown word is a person.
pub fn speaker_kind(name: &str) -> crate::model::SpeakerKind {
    use crate::model::SpeakerKind;
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| strip_possessive(w).to_lowercase())
        .collect();
    let Some(last) = words.last() else {
        return SpeakerKind::Other;
    };
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = words.len() == 1
        && (2..=6).contains(&letters.len())
        && letters.iter().all(|c| c.is_uppercase())
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == '.' || c == '&' || c == '-');
    if words
        .iter()
        .all(|w| in_list(PLACES, w) || in_list(PLACE_PARTS, w))
        && words
            .iter()
            .any(|w| in_list(PLACES, w) || w == "states" || w == "kingdom")
    {
        return SpeakerKind::Place;
    }
    if acronym {
        return SpeakerKind::Organisation;
    }
    if words.len() == 1 && in_list(GROUPS, last) {
        return SpeakerKind::Group;
    }
    let not_a_name = |w: &str| {
        lexicon::is_pronoun(w)
            || lexicon::is_function_word(w)
            || lexicon::is_capitalized_stopword(w)
            || lexicon::is_determiner(w)
            || lexicon::is_adverb_or_aux(w)
            || lexicon::is_intro_word(w)
            || w.ends_with("'s")
            || w.ends_with("’s")
            || w.ends_with("'re")
            || w.ends_with("’re")
    };
    if words.len() == 1 && not_a_name(last) {
        return SpeakerKind::Other;
    }
    // A title or role alone ("Secretary", "Prime Minister", "the spokesman").
    if words
        .iter()
        .all(|w| lexicon::is_title(w) || lexicon::is_role_noun(w) || not_a_name(w))
    {
        return SpeakerKind::Other;
    }
    // A plural of a role ("Prosecutors", "Aides"): people named by what they do.
    if words.len() == 1 {
        let singular = last
            .strip_suffix("ies")
            .map(|s| format!("{s}y"))
            .or_else(|| last.strip_suffix('s').map(str::to_owned));
        if singular.is_some_and(|s| lexicon::is_role_noun(&s)) {
            return SpeakerKind::Group;
        }
    }
    // "Labour Party", "Foreign Ministry", "Department": a body's name ends in what it is
    // (but "Rebecca Post" starts with a given name). A head that is also a common surname
    // ("White", "Post") names a body only beside another such word: "White House",
    // "Washington Post".
    let given = words.len() > 1 && lexicon::gender(&words[0]).is_some();
    if lexicon::is_non_person_head(last) && !given {
        let surname_too = in_list(SURNAME_HEADS, last);
        let backed = words[..words.len() - 1].iter().any(|w| {
            lexicon::is_non_person_head(w) || in_list(PLACES, w) || in_list(PLACE_PARTS, w)
        });
        if !surname_too || backed {
            return SpeakerKind::Organisation;
        }
    }
    SpeakerKind::Person
}

/// "O'BRIEN-SMITH" → "O'Brien-Smith": a capital after each break in a word.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '.';
    }
    out
}

pub fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .or_else(|| word.strip_suffix('’'))
        .unwrap_or(word)
}

/// What the document has said about people so far, in reading order.
#[derive(Debug, Default)]
pub struct People {
    /// Full names (two or more words) by their last word, in order of appearance.
    by_surname: HashMap<String, Vec<String>>,
    /// Role nouns bound to the person they describe ("lawyer" → "Nikolai Polozov").
    roles: HashMap<String, String>,
    /// People as they were named or spoke, in the order prov read them: (person,
    /// paragraph, byte offset of the mention, whether it was a speech verb's subject).
    /// Offsets let a pronoun see only who came before it: in "…, he said, from Bush
    /// calling …", "he" cannot be Bush.
    seen: Vec<Seen>,
    /// [`People::known_before`]'s surnames, from the first `known_upto` entries of `seen`.
    known: HashMap<String, bool>,
    known_upto: usize,
    /// What the document shows of a person's gender: a given name ("Hillary Clinton") or a
    /// role noun bound to them ("his wife, Callista"); `None` once looked at and unknown.
    genders: HashMap<String, Option<Gender>>,
}

#[derive(Debug)]
struct Seen {
    person: String,
    para: usize,
    at: usize,
    speaker: bool,
    /// Named at the start of a sentence: its subject, most likely ("Rick Santorum spoke
    /// in Ohio.").
    subject: bool,
    /// Whether "he" or "she" can refer to them ([`may_be_person`]), decided once.
    personal: bool,
    /// Their gender as far as the document has shown it.
    gender: Option<Gender>,
}

impl People {
    /// Records a name seen in the text.
    pub fn saw_name(&mut self, name: &str, para: usize, at: usize) {
        let c = canonical(name);
        if c.split_whitespace().count() >= 2 {
            let surname = c.split_whitespace().last().unwrap_or_default().to_owned();
            let names = self.by_surname.entry(surname).or_default();
            if !names.contains(&c) {
                names.push(c.clone());
            }
            self.note(c, para, at, false);
        } else if !c.is_empty() {
            let resolved = self.resolve_surname(&c).unwrap_or(c);
            self.note(resolved, para, at, false);
        }
    }

    /// The people named or heard before paragraph `para`, by the last word of their
    /// canonical name, with whether they spoke: what a lone "Polozov" may be.
    /// Paragraphs are read in order, so the map grows as reading goes on.
    pub fn known_before(&mut self, para: usize) -> &HashMap<String, bool> {
        let new = self.seen[self.known_upto..]
            .iter()
            .take_while(|s| s.para < para);
        for s in new {
            let surname = s.person.split_whitespace().last().unwrap_or_default();
            *self.known.entry(surname.to_owned()).or_insert(false) |= s.speaker;
            self.known_upto += 1;
        }
        &self.known
    }

    /// Records `person`, already canonical and resolved, seen again: a lone surname of a
    /// name given in full before.
    pub fn saw_again(&mut self, person: String, para: usize, at: usize) {
        self.note(person, para, at, false);
    }

    fn note(&mut self, person: String, para: usize, at: usize, speaker: bool) {
        let gender = match self.genders.get(&person) {
            Some(&known) => known,
            None => {
                // Once per person: a given name that tells.
                let mut words = person.split_whitespace();
                let gender = match (words.next(), words.next()) {
                    (Some(first), Some(_)) => lexicon::gender(&first.to_lowercase()),
                    _ => None,
                };
                self.genders.insert(person.clone(), gender);
                gender
            }
        };
        self.seen.push(Seen {
            gender,
            personal: may_be_person(&person),
            person,
            para,
            at,
            speaker,
            subject: false,
        });
    }

    /// Marks the person last seen at `at` as the subject of the sentence that name opens.
    pub fn saw_subject(&mut self, at: usize) {
        if let Some(s) = self.seen.last_mut().filter(|s| s.at == at) {
            s.subject = true;
        }
    }

    /// Records that `role` (a lowercase noun) describes `name`.
    pub fn bind_role(&mut self, role: &str, name: &str) {
        let name = self.resolve_name(name);
        if let Some(g) = lexicon::gender(role) {
            let known = self.genders.entry(name.clone()).or_insert(None);
            if known.is_none() {
                *known = Some(g);
                for s in self.seen.iter_mut().filter(|s| s.person == name) {
                    s.gender = Some(g);
                }
            }
        }
        self.roles.insert(role.to_owned(), name);
    }

    /// Records the subject of a speech verb.
    pub fn saw_speaker(&mut self, person: &str, para: usize, at: usize) {
        self.note(person.to_owned(), para, at, true);
    }

    /// A surname joined to the unique full name that ends with it.
    pub fn resolve_surname(&self, short: &str) -> Option<String> {
        match self.by_surname.get(short)?.as_slice() {
            [one] => Some(one.clone()),
            // Two different people with that surname: no guess.
            _ => None,
        }
    }

    /// The canonical person for a name as written.
    pub fn resolve_name(&self, name: &str) -> String {
        let c = canonical(name);
        if c.split_whitespace().count() == 1
            && let Some(full) = self.resolve_surname(&c)
        {
            return full;
        }
        c
    }

    /// The person a transcript label names: "PENCE" is the Mike Pence named before, else
    /// the label as a name ("CHRIS WALLACE" → "Chris Wallace").
    pub fn resolve_label(&self, label: &str) -> String {
        let written = if label.chars().any(char::is_lowercase) {
            label.to_owned()
        } else {
            title_case(label)
        };
        let c = canonical(&written);
        let last = c
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_lowercase();
        let same_surname: Vec<&String> = self
            .by_surname
            .iter()
            .filter(|(s, _)| s.to_lowercase() == last)
            .flat_map(|(_, names)| names)
            .collect();
        let single = c.split_whitespace().count() == 1;
        let full = same_surname
            .iter()
            .filter(|n| single || n.to_lowercase() == c.to_lowercase())
            .collect::<Vec<_>>();
        match full.as_slice() {
            [one] => (**one).clone(),
            _ => c,
        }
    }

    pub fn role(&self, role: &str) -> Option<String> {
        self.roles.get(role).cloned()
    }

    /// The person the singular pronoun `word` at byte `at` of paragraph `para` most likely
    /// refers to: the last speaker before it if recent, else the last person named just
    /// before. "She" never means a man the document showed to be one, nor "he" a woman.
    pub fn pronoun(&self, para: usize, at: usize, word: &str) -> Option<String> {
        let wanted = lexicon::pronoun_gender(word);
        let fits = |s: &&Seen| {
            s.at < at && s.personal && wanted.is_none_or(|w| s.gender.is_none_or(|g| g == w))
        };
        let before = || self.seen.iter().rev().filter(fits);
        let speaker = before()
            .find(|s| s.speaker)
            .filter(|s| para.saturating_sub(s.para) <= 3);
        // A person this paragraph opened a sentence with since the last speaker was named
        // is who "he" now is: "Rick Santorum spoke in Ohio. He said: …" after Boehner
        // spoke, or "Boehner spoke to Fox News' Bill Hemmer. “…,” he said."
        if let Some(s) = before().find(|s| s.subject && s.para == para)
            && speaker.is_none_or(|sp| sp.at < s.at)
        {
            return Some(s.person.clone());
        }
        if let Some(s) = speaker {
            return Some(s.person.clone());
        }
        before()
            .next()
            .filter(|s| para.saturating_sub(s.para) <= 1)
            .map(|s| s.person.clone())
    }
}

/// Whether a name can be someone "he" or "she" refers to: not an organisation, event or
/// place ("the Democratic National Convention", "the Rust Belt") and not an acronym ("CNN").
fn may_be_person(name: &str) -> bool {
    let last = name.split_whitespace().last().unwrap_or_default();
    let acronym = last.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !last.chars().any(char::is_lowercase)
        && !last.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | '.'));
    !acronym && !lexicon::is_non_person_head(&last.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_that_are_not_people_are_told_apart() {
        use crate::model::SpeakerKind::*;
        for (name, kind) in [
            ("Angela Merkel", Person),
            ("Dzhemilev", Person),
            ("Rebecca Post", Person),
            ("Kelli White", Person),
            ("Adam B. Schiff", Person),
            ("NATO", Organisation),
            ("Foreign Ministry", Organisation),
            ("Department", Organisation),
            ("White House", Organisation),
            ("Washington Post", Organisation),
            ("Labour Party", Organisation),
            ("France", Place),
            ("North Korea", Place),
            ("United States", Place),
            ("U.S.", Place),
            ("Frenchman", Group),
            ("Americans", Group),
            ("Critics", Group),
            ("Prosecutors", Group),
            ("Secretary", Other),
            ("Prime Minister", Other),
            ("His", Other),
            ("However", Other),
            ("Technically", Other),
        ] {
            assert_eq!(speaker_kind(name), kind, "{name}");
        }
    }

    #[test]
    fn canonical_drops_titles_and_possessives() {
        assert_eq!(
            canonical("Turkish President Recep Tayyip Erdogan’s"),
            "Recep Tayyip Erdogan"
        );
        assert_eq!(canonical("Sen. Ted Cruz"), "Ted Cruz");
        assert_eq!(canonical("Mustafa Dzhemilev"), "Mustafa Dzhemilev");
        assert_eq!(canonical("President"), "President");
        assert_eq!(
            canonical("Martin Luther King III"),
            "Martin Luther King III"
        );
    }

    #[test]
    fn surnames_join_unique_full_names() {
        let mut p = People::default();
        p.saw_name("Mustafa Dzhemilev", 0, 0);
        assert_eq!(p.resolve_name("Dzhemilev"), "Mustafa Dzhemilev");
        p.saw_name("Hillary Clinton", 1, 10);
        p.saw_name("Bill Clinton", 2, 20);
        assert_eq!(p.resolve_name("Clinton"), "Clinton");
    }

    #[test]
    fn he_and_she_skip_organisations_places_and_acronyms() {
        let mut p = People::default();
        p.saw_name("Joe Biden", 0, 0);
        p.saw_name("Democratic National Convention", 0, 10);
        p.saw_speaker("CNN", 0, 20);
        p.saw_name("Rust Belt", 1, 30);
        assert_eq!(p.pronoun(1, 40, "he").as_deref(), Some("Joe Biden"));
        // A generation suffix is no acronym.
        p.saw_name("John Smith III", 1, 50);
        assert_eq!(p.pronoun(1, 60, "he").as_deref(), Some("John Smith III"));
    }

    #[test]
    fn she_and_he_keep_to_the_gender_the_document_shows() {
        let mut p = People::default();
        p.saw_speaker("Hillary Clinton", 0, 0);
        p.saw_name("Monte Haines", 1, 10);
        p.saw_name("Newt Gingrich", 1, 20);
        p.bind_role("wife", "Callista Gingrich");
        p.saw_name("Callista Gingrich", 1, 30);
        // The last person named is a woman by role, so "he" reaches back past her; the
        // last speaker is a woman by name, so "he" does not take her either.
        assert_eq!(p.pronoun(1, 40, "he").as_deref(), Some("Newt Gingrich"));
        assert_eq!(p.pronoun(1, 40, "she").as_deref(), Some("Hillary Clinton"));
        // A given name that says nothing of gender constrains nothing.
        let mut p = People::default();
        p.saw_name("Monte Haines", 0, 0);
        assert_eq!(p.pronoun(0, 10, "her").as_deref(), Some("Monte Haines"));
        assert_eq!(p.pronoun(0, 10, "he").as_deref(), Some("Monte Haines"));
    }
}
