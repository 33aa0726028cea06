//! `prov verify --format claimreview|annotation` and `prov trace --format prov`: the
//! JSON-LD exports, checked against the published contexts vendored in
//! `tests/fixtures/jsonld/` (see `jsonld_check`) and against the store they describe.

mod common;
mod jsonld_check;

use common::{Env, b3};
use serde_json::{Value, json};

const QUOTE: &str = "We will build the northern bridge before the winter comes";
const PLANET: &str = "https://planet.example/bridge";
const STAR: &str = "https://star.example/lopez";

/// Three outlets print the same quotation: the Evening Star on 5 March, the Daily Planet
/// on 1 March (added second, so add order is not date order) and an undated blog.
fn store() -> Env {
    let env = Env::new();
    env.write(
        "star.txt",
        "The mayor, Maria Lopez, told reporters on Tuesday: “We will build the northern \
         bridge before the winter comes.” Officials agreed.\n",
    );
    env.write(
        "star.txt.meta.toml",
        format!("outlet = \"Evening Star\"\npublished = 2024-03-05\nurl = \"{STAR}\"\n"),
    );
    env.write(
        "planet.txt",
        "Zürich-born café owner Ana Müller listened — then Maria Lopez said: “We will build \
         the northern bridge before the winter comes,” to applause.\n",
    );
    env.write(
        "planet.txt.meta.toml",
        format!("outlet = \"Daily Planet\"\npublished = 2024-03-01\nurl = \"{PLANET}\"\n"),
    );
    env.write(
        "blog.txt",
        "Reposted: “We will build the northern bridge before the winter comes,” Lopez said.\n",
    );
    env.write("blog.txt.meta.toml", "outlet = \"Weekly Blog\"\n");
    env.ok(&["add", "star.txt"]);
    env.ok(&["add", "planet.txt"]);
    env.ok(&["add", "blog.txt"]);
    env
}

fn doc_id(env: &Env, file: &str) -> String {
    b3(&std::fs::read(env.path().join(file)).unwrap())
}

/// Runs prov and parses each stdout line as JSON; returns the exit code too.
fn run(env: &Env, args: &[&str]) -> (i32, Vec<Value>) {
    let out = env.prov().args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let docs = stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{e}: {l}\n{}", String::from_utf8_lossy(&out.stderr)))
        })
        .collect();
    (out.status.code().unwrap(), docs)
}

const SCHEMA: &str = "http://schema.org/";

#[test]
fn claimreview_names_the_earliest_dated_appearance_and_rates_the_verdict() {
    let env = store();
    let (code, docs) = run(
        &env,
        &[
            "verify",
            QUOTE,
            "--speaker",
            "Maria Lopez",
            "--format",
            "claimreview",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(docs.len(), 1);
    let r = &docs[0];
    let checked = jsonld_check::check(r);
    checked.assert_clean();
    let iris: Vec<String> = [
        "ClaimReview",
        "Claim",
        "CreativeWork",
        "Organization",
        "Person",
        "Rating",
        "claimReviewed",
        "itemReviewed",
        "appearance",
        "firstAppearance",
        "reviewRating",
        "ratingValue",
        "bestRating",
        "worstRating",
        "alternateName",
        "datePublished",
        "publisher",
        "url",
        "author",
        "name",
    ]
    .iter()
    .map(|t| format!("{SCHEMA}{t}"))
    .collect();
    checked.assert_has(&iris.iter().map(String::as_str).collect::<Vec<_>>());

    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["claimReviewed"], QUOTE);
    assert_eq!(
        r["datePublished"],
        time::OffsetDateTime::now_utc().date().to_string()
    );
    assert!(r.get("author").is_none(), "no invented review author: {r}");
    let claim = &r["itemReviewed"];
    assert_eq!(
        claim["author"],
        json!({"@type": "Person", "name": "Maria Lopez"})
    );
    let first = &claim["firstAppearance"];
    assert_eq!(first["url"], PLANET);
    assert_eq!(first["datePublished"], "2024-03-01");
    assert_eq!(first["publisher"]["name"], "Daily Planet");
    let apps = claim["appearance"].as_array().unwrap();
    assert_eq!(apps.len(), 3, "{apps:?}");
    let blog = apps
        .iter()
        .find(|a| a["publisher"]["name"] == "Weekly Blog")
        .unwrap();
    assert!(blog.get("datePublished").is_none(), "undated: {blog}");
    assert!(blog.get("url").is_none());
    let star = apps.iter().find(|a| a["url"] == STAR).unwrap();
    assert_eq!(star["datePublished"], "2024-03-05");
    let rating = &r["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(rating["alternateName"], "exact");
    assert_eq!(rating["ratingValue"], 5);
    assert_eq!(rating["bestRating"], 5);
    assert_eq!(rating["worstRating"], 1);
}

#[test]
fn claimreview_ratings_follow_the_verdict_and_exit_codes_stay() {
    let env = store();
    let (code, docs) = run(
        &env,
        &[
            "verify",
            &QUOTE.replace("northern", "southern"),
            "--format",
            "claimreview",
        ],
    );
    assert_eq!(code, 1);
    let rating = &docs[0]["reviewRating"];
    assert_eq!(rating["alternateName"], "altered");
    assert_eq!(rating["ratingValue"], 2);
    // Altered support is no appearance of the claim.
    assert!(docs[0]["itemReviewed"].get("appearance").is_none());
    jsonld_check::check(&docs[0]).assert_clean();

    let (code, docs) = run(
        &env,
        &[
            "verify",
            "The committee approved the new budget for coastal defence on Thursday",
            "--format",
            "claimreview",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(docs[0]["reviewRating"]["alternateName"], "unsupported");
    assert_eq!(docs[0]["reviewRating"]["ratingValue"], 1);
}

#[test]
fn batch_prints_one_json_ld_document_per_line() {
    let env = store();
    let out = env
        .prov()
        .args(["verify", "--batch", "-", "--format", "claimreview"])
        .write_stdin(format!(
            "{QUOTE}\nThe committee approved the coastal budget today\n"
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one line is unsupported");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["reviewRating"]["alternateName"], "exact");
    assert_eq!(lines[1]["reviewRating"]["alternateName"], "unsupported");
    // --json keeps printing the report.
    let (code, docs) = run(&env, &["--json", "verify", QUOTE]);
    assert_eq!(code, 0);
    assert_eq!(docs[0]["verdict"], "exact");
}

#[test]
fn annotations_select_exactly_the_documents_text_in_code_points() {
    let env = store();
    let (code, docs) = run(&env, &["verify", QUOTE, "--format", "annotation"]);
    assert_eq!(code, 0);
    let c = &docs[0];
    let checked = jsonld_check::check(c);
    checked.assert_clean();
    checked.assert_has(&[
        "http://www.w3.org/ns/activitystreams#OrderedCollection",
        "http://www.w3.org/ns/activitystreams#OrderedCollectionPage",
        "http://www.w3.org/ns/activitystreams#items",
        "http://www.w3.org/ns/activitystreams#first",
        "http://www.w3.org/ns/activitystreams#totalItems",
        "http://www.w3.org/ns/oa#Annotation",
        "http://www.w3.org/ns/oa#TextualBody",
        "http://www.w3.org/ns/oa#TextQuoteSelector",
        "http://www.w3.org/ns/oa#TextPositionSelector",
        "http://www.w3.org/ns/oa#hasBody",
        "http://www.w3.org/ns/oa#hasTarget",
        "http://www.w3.org/ns/oa#hasSource",
        "http://www.w3.org/ns/oa#hasSelector",
        "http://www.w3.org/ns/oa#motivatedBy",
        "http://www.w3.org/ns/oa#assessing",
        "http://www.w3.org/ns/oa#exact",
        "http://www.w3.org/ns/oa#prefix",
        "http://www.w3.org/ns/oa#suffix",
        "http://www.w3.org/ns/oa#start",
        "http://www.w3.org/ns/oa#end",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
    ]);
    assert_eq!(c["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(c["type"], "AnnotationCollection");
    let items = c["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(c["total"], 3);
    let sources = [
        (STAR.to_owned(), "star.txt"),
        (PLANET.to_owned(), "planet.txt"),
        (
            format!("urn:blake3:{}", doc_id(&env, "blog.txt")),
            "blog.txt",
        ),
    ];
    for a in items {
        assert_eq!(a["type"], "Annotation");
        assert_eq!(a["motivation"], "assessing");
        assert!(a["id"].as_str().unwrap().starts_with("urn:uuid:"));
        assert_eq!(a["body"]["type"], "TextualBody");
        assert!(a["body"]["value"].as_str().unwrap().starts_with("exact: "));
        let source = a["target"]["source"].as_str().unwrap();
        let file = sources
            .iter()
            .find(|(s, _)| s == source)
            .unwrap_or_else(|| panic!("unexpected source {source}"))
            .1;
        let text = env.ok(&["cat", "--text", &doc_id(&env, file)]);
        let chars: Vec<char> = text.chars().collect();
        let sel = a["target"]["selector"].as_array().unwrap();
        let quote = sel
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .unwrap();
        let pos = sel
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .unwrap();
        let (start, end) = (
            pos["start"].as_u64().unwrap() as usize,
            pos["end"].as_u64().unwrap() as usize,
        );
        let at = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
        assert_eq!(quote["exact"], at(start..end), "{file}");
        assert_eq!(quote["exact"], QUOTE);
        assert_eq!(
            quote["prefix"],
            at(start.saturating_sub(32)..start),
            "{file}"
        );
        assert_eq!(
            quote["suffix"],
            at(end..(end + 32).min(chars.len())),
            "{file}"
        );
        if file == "planet.txt" {
            // Code points, not bytes: the text before the quote holds ü, é and —.
            let bytes = text.find(QUOTE).unwrap();
            assert!(start < bytes, "{start} is a code point offset");
        }
    }
}

#[test]
fn prov_o_quotes_later_appearances_from_the_earliest_and_dates_only_dated_ones() {
    let env = store();
    let (code, docs) = run(&env, &["trace", QUOTE, "--format", "prov"]);
    assert_eq!(code, 0);
    let g = &docs[0];
    let checked = jsonld_check::check(g);
    checked.assert_clean();
    checked.assert_has(&[
        "http://www.w3.org/ns/prov#Entity",
        "http://www.w3.org/ns/prov#Organization",
        "http://www.w3.org/ns/prov#wasQuotedFrom",
        "http://www.w3.org/ns/prov#generatedAtTime",
        "http://www.w3.org/ns/prov#specializationOf",
        "http://www.w3.org/ns/prov#wasAttributedTo",
        "http://www.w3.org/ns/prov#value",
    ]);
    assert_prov_o_terms(&checked);
    let nodes = g["@graph"].as_array().unwrap();
    let node = |id: &str| nodes.iter().find(|n| n["@id"] == id).unwrap().clone();
    let appearances: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["@id"].as_str().unwrap().starts_with("_:appearance-"))
        .collect();
    assert_eq!(appearances.len(), 3);
    let first = node("_:appearance-0");
    assert_eq!(
        first["prov:generatedAtTime"],
        json!({"@value": "2024-03-01", "@type": "xsd:date"})
    );
    assert_eq!(first["rdfs:seeAlso"]["@id"], PLANET);
    assert_eq!(first["prov:wasQuotedFrom"]["@id"], "_:utterance");
    let star = appearances
        .iter()
        .find(|a| a["rdfs:seeAlso"]["@id"] == STAR)
        .unwrap();
    assert_eq!(star["prov:wasQuotedFrom"]["@id"], "_:appearance-0");
    assert_eq!(star["prov:generatedAtTime"]["@value"], "2024-03-05");
    let blog_doc = format!("urn:blake3:{}", doc_id(&env, "blog.txt"));
    let blog = appearances
        .iter()
        .find(|a| a["prov:specializationOf"]["@id"] == blog_doc)
        .unwrap();
    assert!(
        blog.get("prov:generatedAtTime").is_none(),
        "undated: {blog}"
    );
    assert_eq!(blog["prov:wasQuotedFrom"]["@id"], "_:utterance");
    assert_eq!(node("_:utterance")["prov:value"], QUOTE);
}

#[test]
fn prov_o_links_versions_of_a_source_as_revisions() {
    let env = Env::new();
    env.write(
        "story.txt",
        "“We will never sign this agreement,” the minister said on Monday.\n",
    );
    env.ok(&["add", "story.txt"]);
    let v1 = doc_id(&env, "story.txt");
    env.write(
        "story.txt",
        "“We will never sign this agreement,” the minister said on Monday, updated.\n",
    );
    env.ok(&["add", "story.txt"]);
    let v2 = doc_id(&env, "story.txt");
    let (_, docs) = run(
        &env,
        &[
            "trace",
            "We will never sign this agreement",
            "--format",
            "prov",
        ],
    );
    let checked = jsonld_check::check(&docs[0]);
    checked.assert_clean();
    checked.assert_has(&["http://www.w3.org/ns/prov#wasRevisionOf"]);
    assert_prov_o_terms(&checked);
    let nodes = docs[0]["@graph"].as_array().unwrap();
    let newer = nodes
        .iter()
        .find(|n| n["@id"] == format!("urn:blake3:{v2}"))
        .unwrap();
    assert_eq!(
        newer["prov:wasRevisionOf"],
        json!([{"@id": format!("urn:blake3:{v1}")}])
    );
    let older = nodes
        .iter()
        .find(|n| n["@id"] == format!("urn:blake3:{v1}"))
        .unwrap();
    assert!(older.get("prov:wasRevisionOf").is_none());
}

/// The terms of PROV-O (W3C Recommendation, 30 April 2013): what an expanded
/// `http://www.w3.org/ns/prov#` IRI may name.
const PROV_O_TERMS: &[&str] = &[
    "Entity",
    "Activity",
    "Agent",
    "Person",
    "Organization",
    "SoftwareAgent",
    "Collection",
    "EmptyCollection",
    "Bundle",
    "Location",
    "Plan",
    "Role",
    "Influence",
    "Quotation",
    "Revision",
    "PrimarySource",
    "Derivation",
    "Generation",
    "Usage",
    "Attribution",
    "wasGeneratedBy",
    "wasDerivedFrom",
    "wasAttributedTo",
    "startedAtTime",
    "used",
    "wasInformedBy",
    "endedAtTime",
    "wasAssociatedWith",
    "actedOnBehalfOf",
    "alternateOf",
    "specializationOf",
    "generatedAtTime",
    "invalidatedAtTime",
    "hadPrimarySource",
    "value",
    "wasQuotedFrom",
    "wasRevisionOf",
    "atLocation",
    "hadMember",
    "wasInvalidatedBy",
    "wasStartedBy",
    "wasEndedBy",
    "wasInfluencedBy",
    "influenced",
    "generated",
    "invalidated",
    "qualifiedQuotation",
    "qualifiedRevision",
    "qualifiedDerivation",
    "qualifiedAttribution",
    "qualifiedGeneration",
    "entity",
    "agent",
    "activity",
    "hadRole",
    "hadPlan",
    "atTime",
];

fn assert_prov_o_terms(checked: &jsonld_check::Checked) {
    let ns = "http://www.w3.org/ns/prov#";
    for iri in checked.iris.iter().filter(|i| i.starts_with(ns)) {
        assert!(
            PROV_O_TERMS.contains(&&iri[ns.len()..]),
            "{iri} is not a PROV-O term"
        );
    }
}

#[test]
fn the_checker_catches_undefined_terms() {
    // A misspelt Web Annotation key is dropped by expansion: caught.
    let anno = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "asessing",
        "target": {"source": "urn:blake3:00", "selectr": {"type": "TextQuoteSelector"}},
    });
    let c = jsonld_check::check(&anno);
    assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
    assert!(
        c.errors.iter().any(|e| e.contains("selectr")),
        "{:?}",
        c.errors
    );
    assert!(
        c.errors.iter().any(|e| e.contains("asessing")),
        "{:?}",
        c.errors
    );
    // schema.org's @vocab would expand a typo quietly; the checker refuses it.
    let review = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewd": "x",
        "reviewRating": {"@type": "Ratng"},
    });
    let c = jsonld_check::check(&review);
    assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
    // A PROV term without its prefix expands to nothing; a misspelt one is no PROV-O term.
    let prov = json!({
        "@context": {"prov": "http://www.w3.org/ns/prov#"},
        "@graph": [{"@id": "_:a", "wasQuotedFrom": {"@id": "_:b"}}],
    });
    assert_eq!(jsonld_check::check(&prov).errors.len(), 1);
    let misspelt = json!({
        "@context": {"prov": "http://www.w3.org/ns/prov#"},
        "@id": "_:a",
        "prov:wasQuotedFrm": {"@id": "_:b"},
    });
    let c = jsonld_check::check(&misspelt);
    c.assert_clean();
    let caught = std::panic::catch_unwind(|| assert_prov_o_terms(&c));
    assert!(caught.is_err(), "a misspelt PROV-O term must fail");
    // An unknown context is an error, not a pass.
    assert!(
        !jsonld_check::check(&json!({"@context": "https://example.org/ctx", "a": 1}))
            .errors
            .is_empty()
    );
}

#[test]
fn the_seed_dzhelal_quote_exports_in_all_three_formats_with_their_contexts() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let dzhelal = "Putin promised to consider it, but nothing changed for three years";
    for args in [
        vec!["verify", dzhelal, "--format", "claimreview"],
        vec!["verify", dzhelal, "--format", "annotation"],
        vec!["trace", dzhelal, "--format", "prov"],
    ] {
        let (code, docs) = run(&env, &args);
        assert_eq!(code, 0, "{args:?}");
        jsonld_check::check(&docs[0]).assert_clean();
    }
    let (_, docs) = run(&env, &["verify", dzhelal, "--format", "annotation"]);
    let a = &docs[0]["first"]["items"][0];
    let seed = doc_id(&env, "seeds/001_a09a92dfceb9919f.txt");
    let text: Vec<char> = env.ok(&["cat", "--text", &seed]).chars().collect();
    let pos = &a["target"]["selector"][1];
    let (s, e) = (
        pos["start"].as_u64().unwrap() as usize,
        pos["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..e].iter().collect::<String>(), dzhelal);
    assert_eq!(a["target"]["selector"][0]["exact"], dzhelal);
    let (_, docs) = run(&env, &["verify", dzhelal, "--format", "claimreview"]);
    let claim = &docs[0]["itemReviewed"];
    assert_eq!(claim["author"]["name"], "Mustafa Dzhemilev");
    assert_eq!(claim["firstAppearance"]["publisher"]["name"], "Ukrinform");
    assert_eq!(claim["firstAppearance"]["datePublished"], "2025-06-23");
}
