//! Word lists the attribution rules rely on. Lowercase; looked up by the lowercased token.

/// Verbs that introduce speech or writing, in every tense the rules meet.
const CUE_STEMS: &[&str] = &[
    "say",
    "tell",
    "add",
    "write",
    "tweet",
    "note",
    "insist",
    "argue",
    "declare",
    "continue",
    "explain",
    "ask",
    "warn",
    "stress",
    "recall",
    "state",
    "reply",
    "respond",
    "answer",
    "remark",
    "acknowledge",
    "admit",
    "announce",
    "claim",
    "suggest",
    "conclude",
    "observe",
    "comment",
    "emphasize",
    "emphasise",
    "joke",
    "quip",
    "muse",
    "boast",
    "complain",
    "concede",
    "contend",
    "counter",
    "caution",
    "predict",
    "promise",
    "pledge",
    "vow",
    "urge",
    "call",
    "describe",
    "dub",
    "label",
    "brand",
    "accuse",
    "blast",
    "slam",
    "criticize",
    "criticise",
    "praise",
    "thunder",
    "shout",
    "yell",
    "chant",
    "cry",
    "scream",
    "whisper",
    "testify",
    "confirm",
    "deny",
    "report",
    "cite",
    "post",
    "text",
    "email",
    "echo",
    "agree",
    "demand",
    "proclaim",
    "reiterate",
    "repeat",
    "recount",
    "reveal",
    "maintain",
    "assure",
    "wonder",
    "question",
    "sigh",
    "laugh",
    "specify",
    "mention",
    "assert",
    "allege",
    "charge",
    "fume",
    "lament",
    "tout",
    "retort",
    "snap",
    "grumble",
    "mutter",
    "predict",
    "vent",
    "bristle",
    "opine",
    "point",
    "put",
    "characterize",
    "characterise",
    "refer",
    "dismiss",
    "read",
    "begin",
    "go",
    "hint",
    "signal",
    "recommend",
    "instruct",
    "order",
    "advise",
    "plead",
    "beg",
    "pray",
    "thank",
    "apologize",
    "apologise",
    "protest",
    "object",
    "rail",
    "scoff",
    "sneer",
    "marvel",
    "exclaim",
    "gush",
    "rave",
    "rant",
    "argue",
    "theorize",
    "speculate",
    "estimate",
    "forecast",
    "guess",
    "figure",
    "believe",
    "think",
    "feel",
    "hope",
    "fear",
    "worry",
    "know",
    "conclude",
    "find",
    "show",
    "indicate",
    "suggest",
    "add",
    "reason",
    "surmise",
    "write",
    "blog",
    "message",
    "pen",
    "editorialize",
    "reply",
    "interject",
    "interrupt",
    "chime",
    "volunteer",
    "offer",
    "concur",
];

/// Irregular and doubled forms the stem rules below would miss.
const CUE_FORMS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "wrote",
    "writes",
    "written",
    "tweeted",
    "began",
    "begun",
    "went",
    "goes",
    "put",
    "puts",
    "read",
    "reads",
    "thought",
    "felt",
    "knew",
    "found",
    "shown",
    "showed",
    "dubbed",
    "dubbing",
    "labeled",
    "labelled",
    "labeling",
    "labelling",
    "quipped",
    "quipping",
    "texted",
    "emailed",
    "e-mailed",
    "cried",
    "cries",
    "testified",
    "testifies",
    "denied",
    "denies",
    "specified",
    "specifies",
    "replied",
    "replies",
    "pled",
    "pleaded",
    "sighed",
    "retorted",
    "snapped",
    "snapping",
    "vented",
    "figured",
    "penned",
    "penning",
    "blogged",
    "blogging",
    "worried",
    "worries",
    "characterized",
    "characterised",
    "referred",
    "referring",
    "signaled",
    "signalled",
    "theorized",
    "offered",
    "according",
];

/// The verbs whose subject comes after them in inverted attributions ("…," said Smith).
const INVERTED: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "wrote",
    "writes",
    "asked",
    "asks",
    "continued",
    "continues",
    "explained",
    "explains",
    "recalled",
    "recalls",
    "noted",
    "notes",
    "insisted",
    "insists",
    "argued",
    "argues",
    "declared",
    "declares",
    "stressed",
    "stresses",
    "warned",
    "warns",
    "tweeted",
    "tweets",
    "replied",
    "replies",
    "responded",
    "responds",
    "answered",
    "answers",
    "remarked",
    "remarks",
    "observed",
    "observes",
    "commented",
    "comments",
    "quipped",
    "joked",
    "jokes",
    "concluded",
    "concludes",
    "conceded",
    "concedes",
    "countered",
    "counters",
    "cautioned",
    "cautions",
    "stated",
    "states",
    "agreed",
    "agrees",
    "admitted",
    "admits",
    "acknowledged",
    "acknowledges",
    "announced",
    "announces",
    "claimed",
    "claims",
    "suggested",
    "suggests",
    "predicted",
    "predicts",
    "boasted",
    "boasts",
    "complained",
    "complains",
    "reported",
    "reports",
    "read",
    "reads",
    "wondered",
    "wonders",
    "exclaimed",
    "exclaims",
    "shouted",
    "yelled",
    "chanted",
    "echoed",
    "offered",
    "retorted",
    "mused",
    "muses",
    "emphasized",
    "emphasizes",
    "emphasised",
    "maintained",
    "maintains",
    "testified",
    "contended",
    "contends",
    "pointed",
    "assured",
    "vowed",
    "pledged",
    "promised",
    "urged",
    "lamented",
    "laments",
    "replied",
    "interjected",
    "chimed",
    "volunteered",
];

/// Whether `word` (lowercase) is a form of a speech verb.
pub fn is_cue(word: &str) -> bool {
    if CUE_FORMS.contains(&word) {
        return true;
    }
    for suffix in ["", "s", "es", "ed", "d", "ing"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if CUE_STEMS.contains(&stem) {
                return true;
            }
            // argued → argu(e), saying → say, calling → call
            if !suffix.is_empty() && CUE_STEMS.contains(&format!("{stem}e").as_str()) {
                return true;
            }
            // stressing, emphasizing: stem + e already covered; doubled consonants: quipped
            if suffix.len() >= 2 {
                let mut cs = stem.chars();
                if let (Some(last), Some(prev)) = (cs.next_back(), cs.next_back()) {
                    if last == prev && CUE_STEMS.contains(&&stem[..stem.len() - last.len_utf8()]) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Speech verbs that are reliable on their own; the rest (think, call, show, read…) cue
/// speech only next to a quotation.
pub fn is_strong_cue(word: &str) -> bool {
    is_cue(word)
        && !matches!(
            word,
            "thought"
                | "think"
                | "thinks"
                | "felt"
                | "feel"
                | "feels"
                | "knew"
                | "know"
                | "knows"
                | "found"
                | "find"
                | "finds"
                | "show"
                | "shows"
                | "showed"
                | "shown"
                | "go"
                | "goes"
                | "went"
                | "begin"
                | "began"
                | "begun"
                | "put"
                | "puts"
                | "offer"
                | "offered"
                | "figure"
                | "figured"
                | "order"
                | "ordered"
                | "point"
                | "hope"
                | "hopes"
                | "hoped"
                | "fear"
                | "fears"
                | "feared"
                | "believe"
                | "believes"
                | "believed"
                | "question"
                | "questioned"
                | "object"
                | "objected"
                | "text"
                | "post"
                | "posted"
                | "message"
        )
}

pub fn is_inverted_cue(word: &str) -> bool {
    INVERTED.contains(&word)
}

/// Subject pronouns that can name a speaker.
pub fn is_pronoun(word: &str) -> bool {
    matches!(
        word,
        "he" | "she" | "they" | "i" | "we" | "it" | "who" | "him" | "her" | "them" | "you"
    )
}

/// Pronouns that refer to one person.
pub fn is_personal_pronoun(word: &str) -> bool {
    matches!(word, "he" | "she" | "him" | "her" | "who")
}

/// Words between a subject and its verb that do not change who speaks.
pub fn is_adverb_or_aux(word: &str) -> bool {
    matches!(
        word,
        "also"
            | "later"
            | "previously"
            | "then"
            | "once"
            | "again"
            | "further"
            | "has"
            | "have"
            | "had"
            | "would"
            | "will"
            | "could"
            | "may"
            | "might"
            | "did"
            | "does"
            | "do"
            | "was"
            | "is"
            | "were"
            | "are"
            | "been"
            | "be"
            | "being"
            | "just"
            | "even"
            | "already"
            | "still"
            | "often"
            | "never"
            | "recently"
            | "now"
            | "first"
            | "last"
            | "yet"
            | "ever"
            | "should"
            | "can"
            | "must"
            | "shall"
            | "not"
            | "too"
            | "soon"
            | "long"
            | "since"
            | "simply"
            | "only"
            | "all"
            | "both"
            | "each"
            | "himself"
            | "herself"
            | "themselves"
            | "herein"
            | "once again"
            | "quickly"
            | "later on"
    ) || (word.len() > 4
        && word.ends_with("ly")
        && !matches!(
            word,
            "family"
                | "italy"
                | "ally"
                | "daily"
                | "rally"
                | "kelly"
                | "holly"
                | "emily"
                | "sally"
                | "billy"
                | "molly"
        ))
}

/// Prepositions, conjunctions and other words that never head a noun phrase.
pub fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "to" | "of"
            | "in"
            | "on"
            | "at"
            | "for"
            | "with"
            | "by"
            | "from"
            | "about"
            | "into"
            | "over"
            | "under"
            | "after"
            | "before"
            | "during"
            | "than"
            | "as"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "that"
            | "which"
            | "what"
            | "this"
            | "these"
            | "those"
            | "it"
            | "if"
            | "because"
            | "while"
            | "when"
            | "where"
            | "there"
            | "here"
            | "not"
            | "so"
            | "then"
            | "whether"
            | "through"
            | "against"
            | "between"
            | "without"
            | "within"
            | "upon"
            | "since"
            | "until"
            | "is"
            | "was"
            | "are"
            | "were"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "do"
            | "does"
            | "did"
    )
}

/// Words that open an introductory phrase before a sentence's subject.
pub fn is_intro_word(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "during"
            | "after"
            | "before"
            | "later"
            | "earlier"
            | "hours"
            | "days"
            | "minutes"
            | "weeks"
            | "months"
            | "years"
            | "meanwhile"
            | "however"
            | "also"
            | "then"
            | "yesterday"
            | "today"
            | "tonight"
            | "last"
            | "this"
            | "when"
            | "while"
            | "as"
            | "since"
            | "although"
            | "though"
            | "despite"
            | "speaking"
            | "asked"
            | "asked,"
            | "for"
            | "with"
            | "without"
            | "under"
            | "by"
            | "from"
            | "instead"
            | "still"
            | "now"
            | "once"
            | "if"
            | "but"
            | "and"
            | "so"
            | "yet"
            | "indeed"
            | "moreover"
            | "separately"
            | "previously"
            | "recently"
            | "addressing"
            | "writing"
            | "responding"
            | "referring"
            | "appearing"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Words that begin a description of a speaker ("the spokesman", "a source").
pub fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "your"
            | "one"
            | "two"
            | "three"
            | "four"
            | "several"
            | "many"
            | "some"
            | "another"
            | "other"
            | "this"
            | "that"
            | "these"
            | "those"
            | "most"
            | "few"
            | "both"
            | "each"
            | "every"
            | "no"
            | "any"
    )
}

/// Titles and honorifics that precede a name and are not part of it.
pub fn is_title(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "professor"
            | "sen"
            | "senator"
            | "rep"
            | "representative"
            | "gov"
            | "governor"
            | "gen"
            | "general"
            | "president"
            | "lt"
            | "col"
            | "colonel"
            | "sgt"
            | "capt"
            | "captain"
            | "maj"
            | "major"
            | "adm"
            | "admiral"
            | "rev"
            | "reverend"
            | "hon"
            | "judge"
            | "justice"
            | "secretary"
            | "minister"
            | "premier"
            | "chancellor"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "pope"
            | "sheikh"
            | "sir"
            | "dame"
            | "lord"
            | "lady"
            | "mayor"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "ambassador"
            | "commissioner"
            | "director"
            | "speaker"
            | "leader"
            | "deputy"
            | "vice"
            | "chief"
            | "attorney"
            | "sheriff"
            | "officer"
            | "detective"
            | "father"
            | "sister"
            | "brother"
            | "imam"
            | "rabbi"
            | "mufti"
            | "mp"
            | "congressman"
            | "congresswoman"
            | "councilman"
            | "councilwoman"
            | "councillor"
            | "councilor"
            | "superintendent"
            | "coach"
            | "candidate"
            | "nominee"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "lawyer"
            | "former"
            | "acting"
            | "then"
            | "u.s."
            | "us"
            | "state"
            | "first"
            | "chef"
            | "dr."
    )
}

/// Nouns that name a role a person fills, so "the lawyer" can stand for a named lawyer.
pub fn is_role_noun(word: &str) -> bool {
    matches!(
        word,
        "president"
            | "lawyer"
            | "attorney"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "senator"
            | "governor"
            | "minister"
            | "leader"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "secretary"
            | "director"
            | "ambassador"
            | "candidate"
            | "nominee"
            | "mayor"
            | "judge"
            | "official"
            | "adviser"
            | "advisor"
            | "aide"
            | "congressman"
            | "congresswoman"
            | "representative"
            | "chancellor"
            | "premier"
            | "king"
            | "queen"
            | "general"
            | "commander"
            | "founder"
            | "ceo"
            | "executive"
            | "head"
            | "activist"
            | "journalist"
            | "reporter"
            | "author"
            | "writer"
            | "professor"
            | "analyst"
            | "expert"
            | "economist"
            | "businessman"
            | "businesswoman"
            | "billionaire"
            | "politician"
            | "prosecutor"
            | "deputy"
            | "manager"
            | "strategist"
            | "pollster"
            | "sheriff"
            | "commissioner"
            | "coach"
            | "player"
            | "star"
            | "singer"
            | "actor"
            | "actress"
            | "mogul"
            | "host"
            | "anchor"
            | "dissident"
            | "prime"
            | "speaker"
            | "councillor"
            | "councilor"
            | "mufti"
            | "imam"
            | "priest"
            | "bishop"
            | "pope"
            | "cleric"
            | "doctor"
            | "scientist"
            | "researcher"
            | "historian"
            | "editor"
            | "columnist"
            | "commentator"
            | "veteran"
            | "officer"
            | "detective"
            | "agent"
            | "owner"
            | "chief"
            | "partner"
            | "wife"
            | "husband"
            | "son"
            | "daughter"
            | "mother"
            | "father"
            | "brother"
            | "sister"
            | "friend"
            | "colleague"
            | "critic"
            | "supporter"
            | "opponent"
            | "rival"
            | "challenger"
            | "incumbent"
            | "lawmaker"
            | "legislator"
            | "delegate"
            | "mp"
    )
}

/// Heads of descriptions that speak but are not people (documents, bodies).
pub fn is_non_person_head(word: &str) -> bool {
    matches!(
        word,
        "statement"
            | "report"
            | "declaration"
            | "letter"
            | "document"
            | "memo"
            | "release"
            | "study"
            | "survey"
            | "poll"
            | "website"
            | "site"
            | "post"
            | "tweet"
            | "article"
            | "editorial"
            | "ad"
            | "advertisement"
            | "sign"
            | "headline"
            | "book"
            | "resolution"
            | "bill"
            | "law"
            | "ruling"
            | "order"
            | "decree"
            | "message"
            | "note"
            | "email"
            | "video"
            | "text"
            | "caption"
            | "banner"
            | "placard"
            | "campaign"
            | "committee"
            | "ministry"
            | "government"
            | "administration"
            | "department"
            | "agency"
            | "company"
            | "group"
            | "organization"
            | "organisation"
            | "party"
            | "forum"
            | "council"
            | "court"
            | "office"
            | "team"
            | "newspaper"
            | "paper"
            | "network"
            | "channel"
            | "service"
            | "union"
            | "association"
            | "coalition"
            | "movement"
            | "board"
            | "commission"
            | "parliament"
            | "congress"
            | "senate"
            | "house"
            | "embassy"
            | "kremlin"
            | "police"
            | "army"
            | "military"
            | "white"
            | "press"
            | "magazine"
            | "journal"
            | "times"
            | "post."
    )
}

/// Capitalised words that start sentences or name things other than people.
pub fn is_capitalized_stopword(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "in"
            | "on"
            | "at"
            | "for"
            | "but"
            | "and"
            | "or"
            | "so"
            | "if"
            | "when"
            | "while"
            | "after"
            | "before"
            | "as"
            | "this"
            | "that"
            | "these"
            | "those"
            | "it"
            | "he"
            | "she"
            | "they"
            | "we"
            | "i"
            | "you"
            | "his"
            | "her"
            | "their"
            | "our"
            | "my"
            | "your"
            | "its"
            | "there"
            | "here"
            | "what"
            | "why"
            | "how"
            | "who"
            | "where"
            | "which"
            | "with"
            | "from"
            | "by"
            | "to"
            | "of"
            | "not"
            | "no"
            | "yes"
            | "all"
            | "some"
            | "many"
            | "most"
            | "one"
            | "two"
            | "three"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan."
            | "feb."
            | "aug."
            | "sept."
            | "oct."
            | "nov."
            | "dec."
            | "mr."
            | "still"
            | "yet"
            | "now"
            | "then"
            | "also"
            | "later"
            | "meanwhile"
            | "however"
            | "according"
            | "asked"
            | "during"
            | "despite"
            | "although"
            | "though"
            | "because"
            | "since"
            | "until"
            | "once"
            | "every"
            | "each"
            | "both"
            | "last"
            | "next"
            | "first"
            | "read"
            | "more"
            | "even"
            | "just"
            | "only"
            | "like"
            | "about"
            | "over"
            | "under"
            | "into"
            | "through"
            | "well"
            | "thank"
            | "thanks"
    )
}

/// Lowercase name particles that may sit inside a name (Charles de Gaulle, bin Salman).
pub fn is_name_particle(word: &str) -> bool {
    matches!(
        word,
        "de" | "da"
            | "del"
            | "della"
            | "di"
            | "van"
            | "von"
            | "der"
            | "den"
            | "le"
            | "la"
            | "bin"
            | "ibn"
            | "al"
            | "el"
            | "du"
            | "dos"
            | "das"
            | "ten"
            | "ter"
            | "y"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_forms_in_any_tense() {
        for w in [
            "said",
            "says",
            "saying",
            "told",
            "wrote",
            "tweeted",
            "tweets",
            "added",
            "adding",
            "noted",
            "insisted",
            "argued",
            "argues",
            "declared",
            "continued",
            "explained",
            "asked",
            "warned",
            "stressed",
            "recalled",
            "quipped",
            "according",
            "cited",
        ] {
            assert!(is_cue(w), "{w}");
        }
        for w in ["house", "president", "the", "sad", "bold"] {
            assert!(!is_cue(w), "{w}");
        }
    }
}
