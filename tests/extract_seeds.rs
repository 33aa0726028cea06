//! Extraction on the seed articles: the attributions issue 3 names, checked through the
//! library with each seed's sidecar, as `prov add` runs it.

use std::path::Path;

use prov::extract::{self, Hints, Quote};
use prov::model::QuoteKind;
use prov::store::meta;

fn seed(name: &str) -> (String, Vec<Quote>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("seed");
    let m = meta::read_sidecar(&path)
        .expect("sidecar")
        .unwrap_or_default();
    let hints = Hints {
        title: m.title,
        interviewer: m.interviewer,
        interviewee: m.interviewee,
        speakers: m.speakers,
    };
    let quotes = extract::extract(&text, &hints);
    (text, quotes)
}

fn find<'q>(text: &str, quotes: &'q [Quote], starts: &str) -> &'q Quote {
    quotes
        .iter()
        .find(|q| text[q.start..q.end].starts_with(starts))
        .unwrap_or_else(|| panic!("no quote starting {starts:?}"))
}

#[test]
fn dzhelal_quote_is_dzhemilevs_through_he_cited() {
    let (text, quotes) = seed("001_a09a92dfceb9919f.txt");
    let q = find(
        &text,
        &quotes,
        "President Erdogan called Putin in my presence",
    );
    assert_eq!(q.speaker.as_deref(), Some("Mustafa Dzhemilev"));
    let m = q.mention.as_ref().expect("mention");
    assert_eq!(&text[m.start..m.end], "He");
    assert!(text[q.start..q.end].ends_with("60 of their soldiers."));
    assert_eq!(q.kind, QuoteKind::Direct);
}

#[test]
fn both_polozov_quotes_are_nikolai_polozovs() {
    let (text, quotes) = seed("002_d1ff87d1d822e755.txt");
    for start in [
        "What everyone has long been waiting for",
        "Akhtem Chiygoz and Ilmi Umerov are fearless",
    ] {
        let q = find(&text, &quotes, start);
        assert_eq!(q.speaker.as_deref(), Some("Nikolai Polozov"), "{start}");
    }
    // The interrupted pair is one utterance.
    let a = find(&text, &quotes, "What everyone");
    let b = find(&text, &quotes, "Akhtem Chiygoz and Ilmi");
    assert_eq!(a.utterance, b.utterance);
    // "he said" after Korsunsky "told Hromadske" resolves to him, not to Polozov.
    let k = find(&text, &quotes, "I know for sure");
    assert_eq!(k.speaker.as_deref(), Some("Sergiy Korsunsky"));
}

#[test]
fn umerov_quotes_are_rustem_umerovs() {
    let (text, quotes) = seed("003_0e7c4bceafdb095f.txt");
    for start in [
        "Donbas and Crimea, illegally annexed by Russia, are our red lines",
        "We will not give up our people or our land",
    ] {
        let q = find(&text, &quotes, start);
        assert_eq!(q.speaker.as_deref(), Some("Rustem Umerov"), "{start}");
    }
}

#[test]
fn terrorist_country_is_given_to_no_person() {
    let (text, quotes) = seed("004_19c274e042f612e9.txt");
    let q = find(&text, &quotes, "Russia is a terrorist country");
    assert_eq!(q.speaker, None);
}

#[test]
fn interview_answers_are_dzhemilevs_and_questions_are_not() {
    let (text, quotes) = seed("000_7411fa9ae28921ad.txt");
    let answers = [
        "For the Crimean Tatars, leaving Crimea under occupation",
        "Dignity is essential for everyone",
        "I would not say that the Crimean Tatars have always adhered",
        "First of all, I expressed my gratitude for the hospitality",
        "No, I was optimistic about the West’s reaction",
    ];
    for a in answers {
        let q = find(&text, &quotes, a);
        assert_eq!(q.kind, QuoteKind::Transcript, "{a}");
        assert_eq!(q.speaker.as_deref(), Some("Mustafa Dzhemilev"), "{a}");
    }
    let questions = [
        "How significant is the concept of dignity",
        "Why did you say no?",
        "What was your emotional impression of him as a person?",
        "Are you still an optimist now?",
    ];
    for qs in questions {
        let q = find(&text, &quotes, qs);
        assert_ne!(q.speaker.as_deref(), Some("Mustafa Dzhemilev"), "{qs}");
        assert_eq!(q.speaker.as_deref(), Some("Mykola Knizhytskyi"), "{qs}");
    }
    // The introduction before the first question is nobody's speech.
    assert!(
        !quotes.iter().any(
            |q| text[q.start..q.end].starts_with("Mustafa Dzhemilev is a name that has become")
        )
    );
}

#[test]
fn interview_is_recognised_from_the_title_alone() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_7411fa9ae28921ad.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let quotes = extract::extract(&text, &Hints::default());
    let q = find(&text, &quotes, "Dignity is essential for everyone");
    assert_eq!(q.speaker.as_deref(), Some("Mustafa Dzhemilev"));
}
