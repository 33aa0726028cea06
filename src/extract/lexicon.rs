//! Word lists the attribution rules rely on. Lowercase; looked up by the lowercased token.

/// Verbs that introduce speech or writing, in every tense the rules meet.
const CUE_STEMS: &str = "\
    say tell add write tweet note insist argue declare continue explain ask warn stress
    recall state reply respond answer remark acknowledge admit announce claim suggest
    conclude observe comment emphasize emphasise joke quip muse boast complain concede
    contend counter caution predict promise pledge vow urge call describe dub label brand
    accuse blast slam criticize criticise praise thunder shout yell chant cry scream whisper
    testify confirm deny report cite post text email echo agree demand proclaim reiterate
    repeat recount reveal maintain assure wonder question sigh laugh specify mention assert
    allege charge fume lament tout retort snap grumble mutter predict vent bristle opine
    point put characterize characterise refer dismiss read begin go hint signal recommend
    instruct order advise plead beg pray thank apologize apologise protest object rail scoff
    sneer marvel exclaim gush rave rant argue theorize speculate estimate forecast guess
    figure believe think feel hope fear worry know conclude find show indicate suggest add
    reason surmise write blog message pen editorialize reply interject interrupt chime
    volunteer offer concur decry condemn denounce hail applaud mock ridicule deride insult lambast scold chide
    rebuke berate reject rebut refute dispute defend justify swear threaten invite encourage
    implore exhort remind inform notify reassure counsel portray depict term deem blame
    credit fault attack bash chastise castigate excoriate remember recollect lecture preach
    quote paraphrase summarize summarise reckon insinuate imply acknowledge boom bellow
    declaim intone recite narrate concur grant allow predict warn bark snarl growl cackle roar hiss sneer bellow holler rasp murmur retaliate";

/// Irregular and doubled forms the stem rules below would miss.
const CUE_FORMS: &str = "\
    said says told tells wrote writes written tweeted began begun went goes put puts read
    reads thought felt knew found shown showed dubbed dubbing labeled labelled labeling
    labelling quipped quipping texted emailed e-mailed cried cries testified testifies
    denied denies specified specifies replied replies pled pleaded sighed retorted snapped
    snapping vented figured penned penning blogged blogging worried worries characterized
    characterised referred referring signaled signalled theorized offered according";

/// The verbs whose subject comes after them in inverted attributions ("…," said Smith).
const INVERTED: &str = "\
    said says say added adds wrote writes asked asks continued continues explained explains
    recalled recalls noted notes insisted insists argued argues declared declares stressed
    stresses warned warns tweeted tweets replied replies responded responds answered answers
    remarked remarks observed observes commented comments quipped joked jokes concluded
    concludes conceded concedes countered counters cautioned cautions stated states agreed
    agrees admitted admits acknowledged acknowledges announced announces claimed claims
    suggested suggests predicted predicts boasted boasts complained complains reported
    reports read reads wondered wonders exclaimed exclaims shouted yelled chanted echoed
    offered retorted mused muses emphasized emphasizes emphasised maintained maintains
    testified contended contends pointed assured vowed pledged promised urged lamented
    laments replied interjected chimed volunteered remembered remembers recalled wrote writes explained explains observed noted
    concluded cautioned acknowledged insisted stated argued suggested added";

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

const PRONOUNS: &str = "\
    he she they i we it who him her them you";
const PERSONAL_PRONOUNS: &str = "\
    he she him her who";
const ADVERBS_AND_AUX: &str = "\
    also later previously then once again further has have had would will could may might
    did does do was is were are been be being just even already still often never recently
    now first last yet ever should can must shall not too soon long since simply only all
    both each himself herself themselves herein once again quickly later on";
const FUNCTION_WORDS: &str = "\
    to of in on at for with by from about into over under after before during than as and or
    but nor that which what this these those it if because while when where there here not
    so then whether through against between without within upon since until";
/// Forms of be, have and do, and the modal verbs: function words that are also verbs, so
/// a phrase read forward ends at them ("The choice | was between …").
const AUXILIARIES: &str = "\
    is was are were be been has have had will would could should can may might must do does
    did";
const INTRO_WORDS: &str = "\
    in on at during after before later earlier hours days minutes weeks months years
    meanwhile however also then yesterday today tonight last this when while as since
    although though despite speaking asked asked, for with without under by from instead
    still now once if but and so yet indeed moreover separately previously recently
    addressing writing responding referring appearing monday tuesday wednesday thursday
    friday saturday sunday perhaps somewhere instead much maybe surely clearly obviously even only already";
const DETERMINERS: &str = "\
    the a an his her their its our my your one two three four several many some another
    other this that these those most few both each every no any";
const TITLES: &str = "\
    mr mrs ms miss dr prof professor sen senator rep representative gov governor gen general
    president lt col colonel sgt capt captain maj major adm admiral rev reverend hon judge
    justice secretary minister premier chancellor king queen prince princess pope sheikh sir
    dame lord lady mayor chairman chairwoman chair ambassador commissioner director speaker
    leader deputy vice chief attorney sheriff officer detective father sister brother imam
    rabbi mufti mp congressman congresswoman councilman councilwoman councillor councilor
    superintendent coach candidate nominee spokesman spokeswoman spokesperson lawyer former
    acting then u.s. us state first chef dr. defence defense homeland security foreign
    affairs interior justice health education energy treasury commerce labor agriculture
    transportation finance economy culture war";
const ROLE_NOUNS: &str = "\
    president lawyer attorney spokesman spokeswoman spokesperson senator governor minister
    leader chairman chairwoman chair secretary director ambassador candidate nominee mayor
    judge official adviser advisor aide congressman congresswoman representative chancellor
    premier king queen general commander founder ceo executive head activist journalist
    reporter author writer professor analyst expert economist businessman businesswoman
    billionaire politician prosecutor deputy manager strategist pollster sheriff
    commissioner coach player star singer actor actress mogul host anchor dissident prime
    speaker councillor councilor mufti imam priest bishop pope cleric doctor scientist
    researcher historian editor columnist commentator veteran officer detective agent owner
    chief partner wife husband son daughter mother father brother sister friend colleague
    critic supporter opponent rival challenger incumbent lawmaker legislator delegate mp";
const NON_PERSON_HEADS: &str = "\
    statement report declaration letter document memo release study survey poll website site
    post tweet article editorial ad advertisement sign headline book resolution bill law
    ruling order decree message note email video text caption banner placard campaign
    committee ministry government administration department agency company group
    organization organisation party forum council court office team newspaper paper network
    channel service union association coalition movement board commission parliament
    congress senate house embassy kremlin police army military white press magazine journal
    times post. convention conference summit caucus caucuses primary primaries debate rally
    university college institute center centre foundation school hospital clinic news
    broadcasting radio television tv bank fund corporation corp. inc. co. llc federation
    alliance society club league city county state states republic kingdom nation province
    district island islands avenue square belt valley river airport stadium monday tuesday
    wednesday thursday friday saturday sunday republicans democrats conservatives liberals
    democratic republican
    alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri nebraska nevada hampshire jersey mexico york
    carolina dakota ohio oklahoma oregon pennsylvania island tennessee texas utah vermont
    virginia wisconsin wyoming rico america russia china iran iraq syria ukraine canada
    france germany japan korea cuba afghanistan pakistan india britain europe crimea";
/// Given names that are, in news text, almost always a woman's or a man's: what lets "she"
/// skip "Monte Haines". Unisex names (Pat, Jordan, Robin) are in neither list.
const FEMALE_NAMES: &str = "\
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa
    deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna
    brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
    janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina
    lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria
    ann teresa kathryn sara janice alice madison doris abigail julia judy grace denise amber
    marilyn beverly danielle theresa sophia marie diana brittany natalie isabella charlotte
    rose alexis kayla hillary chelsea condoleezza kamala nikki sheryl hope kellyanne ivanka
    melania huma debbie maxine sonia elena carly michele tulsi kirsten dianne claire tammy
    jeanne heidi susana valerie loretta sheila malala oprah beyonce megyn mazie gwen joni
    shelley patty marsha cathy";
const MALE_NAMES: &str = "\
    james robert john michael david william richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
    ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
    scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry
    tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy
    christian keith roger gerald harold sean austin carl arthur lawrence dylan jesse bryan
    billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent
    ralph eugene russell bobby mason philip louis barack bernie bill mitt marco ted jeb ben
    rand chris mike newt rudy rick harry mitch reince rahm vladimir boris recep bashar xi
    emmanuel francois dick al jimmy lyndon dwight franklin woodrow abraham theodore barry
    marty martin tim jim tom bob dan steve ken greg jon sam nick alex jeff tony ron ed doug
    jared hunter beau corey cory sherrod chuck orrin lamar trey devin jerrold adolf muhammad
    mohammed ahmed omar abdul hassan ali mustafa nikolai sergei sergiy rustem akhtem ilmi
    nariman mykola alexei ahmet";
const CAPITALIZED_STOPWORDS: &str = "\
    the a an in on at for but and or so if when while after before as this that these those
    it he she they we i you his her their our my your its there here what why how who where
    which with from by to of not no yes all some many most one two three monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan. feb. aug. sept. oct. nov. dec. mr. still
    yet now then also later meanwhile however according asked during despite although though
    because since until once every each both last next first read more even just only like
    about over under into through well thank thanks";
const NAME_PARTICLES: &str = "\
    de da del della di van von der den le la bin ibn al el du dos das ten ter y";
const WEAK_CUES: &str = "\
    thought think thinks felt feel feels knew know knows found find finds show shows showed
    shown go goes went begin began begun put puts offer offered figure figured order ordered
    point hope hopes hoped fear fears feared believe believes believed question questioned
    object objected text post posted message";
const LY_NOUNS: &str = "\
    family italy ally daily rally kelly holly emily sally billy molly reilly assembly supply
    july bully belly jelly anomaly monopoly";

/// The word lists a word belongs to, as bits: one lookup answers every question the
/// rules ask about a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Classes(u32);

impl Classes {
    const CUE: u32 = 1;
    const WEAK_CUE: u32 = 1 << 1;
    const NOUN_CUE: u32 = 1 << 2;
    const INVERTED: u32 = 1 << 3;
    const PRONOUN: u32 = 1 << 4;
    const ADVERB: u32 = 1 << 5;
    const FUNCTION: u32 = 1 << 6;
    const INTRO: u32 = 1 << 7;
    const DETERMINER: u32 = 1 << 8;
    const TITLE: u32 = 1 << 9;
    const ROLE: u32 = 1 << 10;
    const NON_PERSON: u32 = 1 << 11;
    const STOPWORD: u32 = 1 << 12;
    const PARTICLE: u32 = 1 << 13;
    const LY_NOUN: u32 = 1 << 14;
    const PRONOUN_DETERMINER: u32 = 1 << 15;
    const AUXILIARY: u32 = 1 << 16;
    const FEMALE: u32 = 1 << 17;
    const MALE: u32 = 1 << 18;

    fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }
}

/// A lowercase word with the lists it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    text: &'a str,
    classes: Classes,
}

/// Every listed word with its classes, built on first use.
static CLASSES: LazyLock<FxHashMap<String, Classes>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Classes> = FxHashMap::default();
    let mut add = |word: &str, bit: u32| map.entry(word.to_owned()).or_default().0 |= bit;
    for (list, bit) in [
        (INVERTED, Classes::INVERTED),
        (PRONOUNS, Classes::PRONOUN),
        (ADVERBS_AND_AUX, Classes::ADVERB),
        (FUNCTION_WORDS, Classes::FUNCTION),
        (AUXILIARIES, Classes::FUNCTION | Classes::AUXILIARY),
        (INTRO_WORDS, Classes::INTRO),
        (DETERMINERS, Classes::DETERMINER),
        (TITLES, Classes::TITLE),
        (ROLE_NOUNS, Classes::ROLE),
        (NON_PERSON_HEADS, Classes::NON_PERSON),
        (FEMALE_NAMES, Classes::FEMALE),
        (MALE_NAMES, Classes::MALE),
        (CAPITALIZED_STOPWORDS, Classes::STOPWORD),
        (NAME_PARTICLES, Classes::PARTICLE),
        (WEAK_CUES, Classes::WEAK_CUE),
        (LY_NOUNS, Classes::LY_NOUN),
        (NOUN_CUES, Classes::NOUN_CUE),
        (PRONOUN_DETERMINERS, Classes::PRONOUN_DETERMINER),
        (CUE_FORMS, Classes::CUE),
    ] {
        for w in list.split_whitespace() {
            add(w, bit);
        }
    }
    for form in cue_forms() {
        add(&form, Classes::CUE);
    }
    // "He’s", "they’re", "I’m": a pronoun with its verb, never a name.
    for pronoun in PRONOUNS.split_whitespace() {
        for suffix in CONTRACTIONS {
            add(
                &format!("{pronoun}{suffix}"),
                Classes::PRONOUN | Classes::STOPWORD,
            );
        }
    }
    map
});

/// Verb endings contracted onto a pronoun.
const CONTRACTIONS: [&str; 12] = [
    "’s", "'s", "’re", "'re", "’m", "'m", "’ve", "'ve", "’d", "'d", "’ll", "'ll",
];

/// The pronoun in a contraction ("he’s" → "he"), or the word itself.
pub fn pronoun_stem(word: &str) -> &str {
    CONTRACTIONS
        .iter()
        .find_map(|c| word.strip_suffix(c).filter(|p| is_pronoun(p)))
        .unwrap_or(word)
}

/// Every inflected form of every cue stem: say, says, saying, said…
fn cue_forms() -> Vec<String> {
    let mut out = Vec::new();
    for stem in CUE_STEMS.split_whitespace() {
        for suffix in ["", "s", "es", "ed", "d", "ing"] {
            out.push(format!("{stem}{suffix}"));
        }
        // argue → argued, arguing; describe → describing
        if let Some(base) = stem.strip_suffix('e') {
            for suffix in ["ed", "ing", "es"] {
                out.push(format!("{base}{suffix}"));
            }
        }
        // quip → quipped, quipping; blog → blogged
        if let Some(last) = stem.chars().last().filter(|c| !"aeiouwy".contains(*c)) {
            for suffix in ["ed", "ing", "es"] {
                out.push(format!("{stem}{last}{suffix}"));
            }
        }
        // testify → testified, testifies
        if let Some(base) = stem.strip_suffix('y') {
            for suffix in ["ied", "ies"] {
                out.push(format!("{base}{suffix}"));
            }
        }
    }
    out
}

/// Looks up a lowercase word once; ask the result as many questions as needed.
pub fn word(text: &str) -> Word<'_> {
    Word {
        text,
        classes: CLASSES.get(text).copied().unwrap_or_default(),
    }
}

impl Word<'_> {
    /// A form of a speech verb.
    pub fn is_cue(self) -> bool {
        self.classes.has(Classes::CUE)
    }

    /// A speech verb reliable on its own; the rest (think, call, show, read…) cue speech
    /// only next to a quotation.
    pub fn is_strong_cue(self) -> bool {
        self.is_cue() && !self.classes.has(Classes::WEAK_CUE)
    }

    /// A cue word that can also be a noun, so its position decides.
    pub fn is_noun_cue(self) -> bool {
        self.classes.has(Classes::NOUN_CUE)
    }

    /// A verb whose subject may follow it: "…," said Smith.
    pub fn is_inverted_cue(self) -> bool {
        self.classes.has(Classes::INVERTED)
    }

    /// A pronoun that can stand for a speaker.
    pub fn is_pronoun(self) -> bool {
        self.classes.has(Classes::PRONOUN)
    }

    /// A word between a subject and its verb that does not change who speaks.
    pub fn is_adverb_or_aux(self) -> bool {
        self.classes.has(Classes::ADVERB)
            || (self.text.len() > 4
                && self.text.ends_with("ly")
                && !self.classes.has(Classes::LY_NOUN))
    }

    /// A preposition, conjunction or other word that never heads a noun phrase.
    pub fn is_function_word(self) -> bool {
        self.classes.has(Classes::FUNCTION)
    }

    /// A title or honorific that precedes a name and is not part of it ("Sen.", "president").
    pub fn is_title(self) -> bool {
        self.classes.has(Classes::TITLE)
            || self
                .text
                .strip_suffix('.')
                .is_some_and(|t| word(t).classes.has(Classes::TITLE))
    }

    /// A noun naming a role a person fills, so "the lawyer" can stand for a named lawyer.
    pub fn is_role_noun(self) -> bool {
        self.classes.has(Classes::ROLE)
    }
}

/// Cue words that are just as often nouns ("a subsequent tweet", "his remarks").
const NOUN_CUES: &str = "\
    tweet tweets report reports comment comments claim claims note notes call calls remark
    remarks post posts answer answers reply replies question questions warning warnings
    promise promises pledge pledges vow vows charge charges message messages text texts
    email emails cry cries shout shouts whisper whispers echo echoes demand demands
    statement statements quote quotes joke jokes boast boasts caution plea pleas praise
    blast blasts slam slams label labels brand brands order orders thanks protest protests
    signal signals hint hints estimate estimates forecast forecasts guess guesses figure
    figures offer offers reason reasons point points read reads show shows rant rants
    sigh sighs laugh laughs snap vent retort retorts counter counters state states account
    accounts response responses mention mentions";

/// Determiners that can stand alone as a subject: "Another said", "Many say".
const PRONOUN_DETERMINERS: &str =
    "another others one some many most several few both each all none";

/// Articles, possessive determiners and possessive names ("Trump’s"): what makes the
/// next word a noun.
pub fn is_article_or_possessive(word: &str) -> bool {
    matches!(
        word,
        "the" | "a" | "an" | "his" | "her" | "their" | "its" | "our" | "my" | "your"
    ) || is_possessive(word)
}

/// A possessive form, "Trump’s" or "Trump's".
pub fn is_possessive(word: &str) -> bool {
    word.ends_with("’s") || word.ends_with("'s")
}

/// Whether a cue word can also be a noun, so its position decides.
pub fn is_noun_cue(w: &str) -> bool {
    word(w).is_noun_cue()
}

/// Whether a determiner can be a whole subject on its own.
pub fn is_pronoun_determiner(w: &str) -> bool {
    word(w).classes.has(Classes::PRONOUN_DETERMINER)
}

/// Whether `word` (lowercase) is a form of a speech verb.
pub fn is_cue(w: &str) -> bool {
    word(w).is_cue()
}

/// Speech verbs that are reliable on their own; the rest (think, call, show, read…) cue
/// speech only next to a quotation.
pub fn is_strong_cue(w: &str) -> bool {
    word(w).is_strong_cue()
}

/// Verbs whose subject may follow them: "…," said Smith.
pub fn is_inverted_cue(w: &str) -> bool {
    word(w).is_inverted_cue()
}

/// Pronouns that can stand for a speaker.
pub fn is_pronoun(w: &str) -> bool {
    word(w).is_pronoun()
}

/// Pronouns that refer to one person.
pub fn is_personal_pronoun(word: &str) -> bool {
    PERSONAL_PRONOUNS.split_whitespace().any(|w| w == word)
}

/// Words between a subject and its verb that do not change who speaks.
pub fn is_adverb_or_aux(w: &str) -> bool {
    word(w).is_adverb_or_aux()
}

/// Prepositions, conjunctions and other words that never head a noun phrase.
pub fn is_function_word(w: &str) -> bool {
    word(w).is_function_word()
}

/// A form of be, have or do, or a modal verb.
pub fn is_auxiliary(w: &str) -> bool {
    word(w).classes.has(Classes::AUXILIARY)
}

/// Words that open an introductory phrase before a sentence's subject.
pub fn is_intro_word(w: &str) -> bool {
    word(w).classes.has(Classes::INTRO)
}

/// Words that begin a description of a speaker ("the spokesman", "a source").
pub fn is_determiner(w: &str) -> bool {
    word(w).classes.has(Classes::DETERMINER)
}

/// Titles and honorifics that precede a name and are not part of it.
pub fn is_title(w: &str) -> bool {
    word(w).is_title()
}

/// Nouns that name a role a person fills, so "the lawyer" can stand for a named lawyer.
pub fn is_role_noun(w: &str) -> bool {
    word(w).is_role_noun()
}

/// Whom "she" or "he" may mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// The gender a lowercase given name ("hillary", "newt") or role noun ("wife",
/// "congressman") nearly always has in news text; `None` when it is not known or either
/// ("monte", "pat").
pub fn gender(w: &str) -> Option<Gender> {
    let classes = word(w).classes;
    if classes.has(Classes::FEMALE) {
        return Some(Gender::Female);
    }
    if classes.has(Classes::MALE) {
        return Some(Gender::Male);
    }
    match w {
        "wife" | "mother" | "daughter" | "sister" | "congresswoman" | "spokeswoman"
        | "chairwoman" | "businesswoman" | "actress" | "widow" | "girlfriend" | "grandmother"
        | "aunt" | "niece" | "queen" | "princess" => Some(Gender::Female),
        "husband" | "father" | "son" | "brother" | "congressman" | "spokesman" | "chairman"
        | "businessman" | "actor" | "widower" | "boyfriend" | "grandfather" | "uncle"
        | "nephew" | "king" | "prince" => Some(Gender::Male),
        _ => None,
    }
}

/// The gender a pronoun asks for: "she" and "her" a woman, "he", "him" and "his" a man.
pub fn pronoun_gender(w: &str) -> Option<Gender> {
    match pronoun_stem(w) {
        "she" | "her" | "hers" => Some(Gender::Female),
        "he" | "him" | "his" => Some(Gender::Male),
        _ => None,
    }
}

/// Heads of descriptions that speak but are not people (documents, bodies).
pub fn is_non_person_head(w: &str) -> bool {
    word(w).classes.has(Classes::NON_PERSON)
}

/// Capitalised words that start sentences or name things other than people.
pub fn is_capitalized_stopword(w: &str) -> bool {
    word(w).classes.has(Classes::STOPWORD)
}

/// Lowercase name particles that may sit inside a name (Charles de Gaulle, bin Salman).
pub fn is_name_particle(w: &str) -> bool {
    word(w).classes.has(Classes::PARTICLE)
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
