//! Complete evidence: verify and trace list every document that holds a quotation, however
//! many hold it and however common its words, and publications keep their own dates.

mod common;

use common::Env;
use serde_json::Value;

/// A deterministic generator (xorshift), so the documents are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words of the filler text: common words mixed with a few hundred others, so any short
/// sentence of common words has its every word in thousands of documents.
const COMMON: &[&str] = &[
    "the", "a", "of", "to", "and", "in", "is", "it", "you", "that", "he", "was", "for", "on",
    "are", "with", "as", "i", "his", "they", "be", "at", "one", "have", "this", "from", "or",
    "had", "by", "what", "we", "can", "out", "other", "were", "all", "your", "when", "up", "use",
    "how", "said", "an", "each", "she", "which", "do", "their", "time", "if", "will", "way",
    "about", "many", "then", "them", "would", "like", "so", "these", "her", "long", "make", "see",
    "him", "two", "has", "look", "more", "day", "could", "go", "come", "did", "my", "no", "most",
    "who", "over", "know", "than", "call", "first", "down", "may", "get",
];

fn sentence(rng: &mut Rng, vocabulary: &[String]) -> String {
    let n = 8 + rng.below(10);
    let words: Vec<&str> = (0..n)
        .map(|_| {
            if rng.below(3) == 0 {
                vocabulary[rng.below(vocabulary.len())].as_str()
            } else {
                COMMON[rng.below(COMMON.len())]
            }
        })
        .collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s + "."
}

/// 5,000 documents of filler; `planted` holds (sentence, documents that print it).
fn generate(env: &Env, planted: &[(&str, &[usize])]) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let vocabulary: Vec<String> = (0..400)
        .map(|i| {
            let syllables = [
                "ka", "lo", "mer", "tin", "dra", "vel", "os", "pri", "zun", "eth",
            ];
            format!(
                "{}{}{}",
                syllables[i % 10],
                syllables[(i / 10) % 10],
                syllables[(i / 100) % 10]
            )
        })
        .collect();
    for d in 0..5_000 {
        let mut sentences: Vec<String> = (0..6).map(|_| sentence(&mut rng, &vocabulary)).collect();
        for (text, holders) in planted {
            if holders.contains(&d) {
                let at = rng.below(sentences.len() + 1);
                sentences.insert(at, format!("“{text}” he said."));
            }
        }
        env.write(
            &format!("docs/{:02}/{d:05}.txt", d / 100),
            sentences.join(" ") + "\n",
        );
    }
}

fn supporting_docs(report: &Value, list: &str) -> Vec<String> {
    let mut docs: Vec<String> = report[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| matches!(e["verdict"].as_str(), Some("exact" | "normalized")))
        .map(|e| e["doc"].as_str().unwrap().to_owned())
        .collect();
    docs.sort();
    docs.dedup();
    docs
}

#[test]
fn every_holder_of_a_reprinted_sentence_and_of_a_common_one_is_found() {
    let env = Env::new();
    let wire = "Talks on the northern border will resume next week under the new envoy";
    let common_words = "what you see is what you get";
    let wire_holders: Vec<usize> = (0..300).map(|i| i * 16 + 3).collect();
    let common_holders = [1234, 4321];
    let short = "He is not welcome to Mexico";
    let short_holders: Vec<usize> = (0..20).map(|i| i * 211 + 7).collect();
    generate(
        &env,
        &[
            (wire, &wire_holders),
            (common_words, &common_holders),
            (short, &short_holders),
        ],
    );
    // The reprints carry publication dates, in an order unrelated to their file names.
    for (k, &d) in wire_holders.iter().enumerate() {
        let day = 1 + (k * 7919) % 28;
        let month = 1 + (k * 31) % 12;
        env.write(
            &format!("docs/{:02}/{d:05}.txt.meta.toml", d / 100),
            format!("outlet = \"Outlet {k}\"\npublished = 2024-{month:02}-{day:02}\n"),
        );
    }
    env.ok(&["add", "docs"]);

    let verify = &env.json(&["verify", wire])[0];
    assert_eq!(verify["verdict"], "exact", "{}", verify["verdict"]);
    assert_eq!(verify["documents"], 300);
    assert_eq!(verify["outlets"], 300);
    assert_eq!(verify["complete"], true);
    assert_eq!(supporting_docs(verify, "evidence").len(), 300);

    let trace = &env.json(&["trace", wire])[0];
    let apps = trace["appearances"].as_array().unwrap();
    assert_eq!(apps.len(), 300);
    assert_eq!(supporting_docs(trace, "appearances").len(), 300);
    let dates: Vec<&str> = apps
        .iter()
        .map(|a| a["published"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert_eq!(apps[0]["first"], true);
    assert_eq!(apps[0]["first_verbatim"], true);
    // Every appearance on the earliest date is marked, and no later one.
    let earliest = dates.iter().filter(|d| **d == dates[0]).count();
    assert_eq!(
        apps.iter().filter(|a| a["first_verbatim"] == true).count(),
        earliest
    );
    assert!(
        apps.iter()
            .all(|a| (a["first"] == true) == (a["published"] == dates[0])),
        "{apps:?}"
    );

    // Every word of this sentence is in thousands of documents; two hold the sentence.
    let common = &env.json(&["verify", common_words])[0];
    assert!(
        matches!(common["verdict"].as_str(), Some("exact" | "normalized")),
        "{common}"
    );
    assert_eq!(supporting_docs(common, "evidence").len(), 2, "{common}");
    let human = env.ok(&["verify", "--show", "3", wire]);
    assert!(
        human.contains("supported by 300 documents from 300 outlets"),
        "{human}"
    );
    assert!(human.contains("… and 297 more from 297 outlets"), "{human}");

    // A word changed in a short quotation: no holder shares its fingerprints, and more
    // documents hold the passage it alters than the closest few aligned; every one of
    // them is evidence of how the sources differ.
    let out = env
        .prov()
        .args(["--json", "verify", "He is not certain to Mexico"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let altered: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(altered["verdict"], "altered", "{altered}");
    let evidence = altered["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 20, "{altered}");
    assert!(evidence.iter().all(|e| e["text"] == short), "{altered}");
}

#[test]
fn the_same_bytes_from_two_outlets_trace_as_two_appearances_earliest_first() {
    let env = Env::new();
    let story = "“Nothing changed for three years,” the minister said on Monday.\n";
    env.write("agency/story.txt", story);
    env.write(
        "agency/story.txt.meta.toml",
        "outlet = \"Wire Agency\"\npublished = 2024-03-01\n",
    );
    env.write("paper/story.txt", story);
    env.write(
        "paper/story.txt.meta.toml",
        "outlet = \"Daily Paper\"\npublished = 2024-02-28\n",
    );
    let added = env.json(&["add", "agency", "paper"]);
    assert_eq!(added[0]["outcome"], "added");
    assert_eq!(added[1]["outcome"], "recorded");

    let shown = &env.json(&["show", added[0]["id"].as_str().unwrap()])[0];
    let pubs = shown["document"]["publications"].as_array().unwrap();
    assert_eq!(pubs.len(), 2);
    assert_eq!(pubs[0]["outlet"], "Daily Paper");
    assert_eq!(shown["document"]["published"], "2024-02-28");

    let trace = &env.json(&["trace", "Nothing changed for three years"])[0];
    let apps = trace["appearances"].as_array().unwrap();
    let seen: Vec<(&str, &str, bool)> = apps
        .iter()
        .map(|a| {
            (
                a["outlet"].as_str().unwrap(),
                a["published"].as_str().unwrap(),
                a["first_verbatim"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Daily Paper", "2024-02-28", true),
            ("Wire Agency", "2024-03-01", false)
        ]
    );
    let verify = &env.json(&["verify", "Nothing changed for three years"])[0];
    assert_eq!(verify["documents"], 1);
    assert_eq!(verify["outlets"], 2);
}

#[test]
fn an_elision_that_drops_not_is_reported_and_a_printed_ellipsis_is_exact() {
    let env = Env::new();
    env.write(
        "a.txt",
        "Asked twice, the senator said: “I am not pro-gay marriage, and I never was.”\n",
    );
    env.write(
        "b.txt",
        "The memo ended: “We tried … and we failed, twice, to reach the other side.”\n",
    );
    env.ok(&["add", "a.txt", "b.txt"]);
    let out = env
        .prov()
        .args(["--json", "verify", "I am ... pro-gay marriage"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "not supported: exit 1");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "elided-meaning", "{report}");
    assert_eq!(report["evidence"][0]["omits"][0], "not");
    let human = env
        .prov()
        .args(["verify", "I am ... pro-gay marriage"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(human.contains("leaves out “not”"), "{human}");
    assert!(human.contains("[-not-]"), "{human}");

    let exact = &env.json(&["verify", "We tried … and we failed, twice"])[0];
    assert_eq!(exact["verdict"], "exact", "{exact}");
}

#[test]
fn a_damaged_fingerprint_index_is_reported_and_rebuilt() {
    let env = Env::new();
    env.write(
        "a.txt",
        "“Nothing changed for three years,” the minister said on Monday.\n",
    );
    env.ok(&["add", "a.txt"]);
    env.ok(&["fsck"]);
    env.sql("UPDATE shingle_blocks SET data = ?1", Some(b"\xff\xff"));
    let out = env.prov().arg("fsck").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("fingerprint index"), "{stdout}");
    assert!(stdout.contains("--reindex"), "{stdout}");
    // Evidence is never served from the damaged index: verify says what is wrong.
    let out = env
        .prov()
        .args(["verify", "Nothing changed for three years"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    env.ok(&["fsck", "--reindex"]);
    let v = &env.json(&["verify", "Nothing changed for three years"])[0];
    assert_eq!(v["verdict"], "exact");

    // An index that lost a document's postings is reported too.
    env.sql(
        "DELETE FROM shingle_blocks; DELETE FROM shingle_segments",
        None,
    );
    let out = env.prov().arg("fsck").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing from the fingerprint index"));
}

#[test]
fn a_damaged_word_index_is_reported_and_rebuilt() {
    let env = Env::new();
    env.write("a.txt", "“Once in a while,” the minister said on Monday.\n");
    env.ok(&["add", "a.txt"]);
    // Too short for fingerprints: found through the word index.
    let v = &env.json(&["verify", "Once in a"])[0];
    assert_eq!(v["verdict"], "exact");
    env.sql("UPDATE word_blocks SET data = ?1", Some(b"\xff\xff"));
    let out = env.prov().arg("fsck").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("word index"), "{stdout}");
    let out = env.prov().args(["verify", "Once in a"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    env.ok(&["fsck", "--reindex"]);
    let v = &env.json(&["verify", "Once in a"])[0];
    assert_eq!(v["verdict"], "exact");

    env.sql("DELETE FROM word_blocks; DELETE FROM word_segments", None);
    let out = env.prov().arg("fsck").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("missing from the word index"), "{stdout}");
    assert!(!stdout.contains("fingerprint index"), "{stdout}");
}

#[test]
fn a_superseded_version_is_evidence_of_what_was_printed_labelled_as_such() {
    let env = Env::new();
    env.write(
        "story.txt",
        "“We will never sign this agreement,” the minister said on Monday.\n",
    );
    env.ok(&["add", "story.txt"]);
    env.write(
        "story.txt",
        "“We will consider signing this agreement,” the minister said on Monday.\n",
    );
    env.ok(&["add", "story.txt"]);
    let v = &env.json(&["verify", "We will never sign this agreement"])[0];
    assert_eq!(v["verdict"], "exact");
    assert_eq!(v["documents"], 0, "no current version says it");
    assert_eq!(v["superseded"], 1);
    assert!(v["evidence"][0]["superseded_by"].is_string(), "{v}");
    let human = env.ok(&["verify", "We will never sign this agreement"]);
    assert!(
        human.contains("found only in 1 superseded version"),
        "{human}"
    );
    assert!(human.contains("superseded by"), "{human}");
}

#[test]
fn a_reprint_holding_the_quote_and_more_is_verbatim_and_undated_comes_last() {
    let env = Env::new();
    env.write("first.txt", "“Nothing changed for three years,” he said.\n");
    env.write(
        "first.txt.meta.toml",
        "outlet = \"First\"\npublished = 2020-01-01\n",
    );
    env.write(
        "longer.txt",
        "“Nothing changed for three years, and then everything changed,” he said.\n",
    );
    env.write(
        "longer.txt.meta.toml",
        "outlet = \"Longer\"\npublished = 2020-01-02\n",
    );
    env.write(
        "undated.txt",
        "A week later: “nothing changed for three years.”\n",
    );
    env.ok(&["add", "first.txt", "longer.txt", "undated.txt"]);
    let t = &env.json(&["trace", "Nothing changed for three years"])[0];
    let apps = t["appearances"].as_array().unwrap();
    let seen: Vec<(&str, &str)> = apps
        .iter()
        .map(|a| {
            (
                a["published"].as_str().unwrap_or("undated"),
                a["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2020-01-01", "exact"),
            ("2020-01-02", "exact"),
            ("undated", "normalized")
        ]
    );
    assert!(apps.iter().all(|a| a.get("changes").is_none()), "{t}");
    let human = env.ok(&["trace", "Nothing changed for three years"]);
    assert!(!human.contains("wording changed"), "{human}");
    assert!(human.contains("undated"), "{human}");
}

#[test]
fn verify_lists_support_trace_also_lists_the_reworded_copies() {
    let env = Env::new();
    let quote = "Nothing has changed for three long years in the northern villages";
    env.write("a.txt", format!("“{quote},” she said.\n"));
    env.write("b.txt", format!("The mayor said: “{quote}.”\n"));
    env.write(
        "c.txt",
        "“Nothing has changed for two long years in the northern villages,” she said.\n",
    );
    env.ok(&["add", "a.txt", "b.txt", "c.txt"]);

    let v = &env.json(&["verify", quote])[0];
    assert_eq!(v["verdict"], "exact", "{v}");
    assert_eq!(v["documents"], 2, "{v}");
    let verdicts: Vec<&str> = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["exact", "exact"], "{v}");

    let t = &env.json(&["trace", quote])[0];
    let mut verdicts: Vec<&str> = t["appearances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["verdict"].as_str().unwrap())
        .collect();
    verdicts.sort_unstable();
    assert_eq!(verdicts, ["altered", "exact", "exact"], "{t}");

    // With no verbatim holder, verify shows how the closest copy differs.
    let drifted = "Nothing has changed for five long years in the northern villages";
    let out = env
        .prov()
        .args(["--json", "verify", drifted])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "altered", "{v}");
    assert!(!v["evidence"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn appearances_sharing_the_earliest_date_are_all_first_and_undated_ones_none() {
    let env = Env::new();
    let line = |n: usize| {
        format!("Report {n}.\n\n“Nothing changed for three years,” the minister said.\n")
    };
    for (name, sidecar) in [
        ("a.txt", Some("outlet = \"A\"\npublished = 2024-03-01\n")),
        (
            "b.txt",
            Some("outlet = \"B\"\npublished = 2024-03-01T09:30:00Z\n"),
        ),
        ("c.txt", Some("outlet = \"C\"\npublished = 2024-03-02\n")),
    ] {
        env.write(
            &format!("dated/{name}"),
            line(name.len() + name.as_bytes()[0] as usize),
        );
        if let Some(s) = sidecar {
            env.write(&format!("dated/{name}.meta.toml"), s);
        }
    }
    env.ok(&["add", "dated"]);
    let quote = "Nothing changed for three years";
    let trace = &env.json(&["trace", quote])[0];
    let firsts: Vec<&str> = trace["appearances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["first"] == true && a["first_verbatim"] == true)
        .map(|a| a["outlet"].as_str().unwrap())
        .collect();
    // A date with no time of day ties with any time that day.
    assert_eq!(firsts.len(), 2, "{trace}");
    assert!(firsts.contains(&"A") && firsts.contains(&"B"), "{firsts:?}");
    let human = env.ok(&["trace", quote]);
    assert!(
        human.contains("2 appearances share the earliest date"),
        "{human}"
    );
    assert!(human.contains("first appearance (one of 2)"), "{human}");

    // Undated copies in two documents: which came first is unknown, and no one is marked.
    let undated = Env::new();
    undated.write("x.txt", line(1));
    undated.write("y.txt", line(2));
    undated.ok(&["add", "x.txt", "y.txt"]);
    let trace = &undated.json(&["trace", quote])[0];
    assert!(
        trace["appearances"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["first"] == false && a["first_verbatim"] == false),
        "{trace}"
    );
    assert!(
        undated
            .ok(&["trace", quote])
            .contains("which came first is unknown")
    );
}

#[test]
fn a_reprint_quoting_only_part_of_the_words_says_which_part() {
    let env = Env::new();
    env.write(
        "full.txt",
        "“This is a sham lawsuit about a bogus collusion claim filed by a desperate party,” the manager said.\n",
    );
    env.write(
        "part.txt",
        "The manager called the allegations a “sham lawsuit about a bogus collusion claim filed by a desperate party.”\n",
    );
    env.ok(&["add", "full.txt", "part.txt"]);
    let quote = "This is a sham lawsuit about a bogus collusion claim filed by a desperate party";
    let trace = &env.json(&["trace", quote])[0];
    let apps = trace["appearances"].as_array().unwrap();
    assert_eq!(apps.len(), 2, "{trace}");
    let part = apps.iter().find(|a| a["verdict"] == "altered").unwrap();
    assert!(
        part["quotes_part"]
            .as_str()
            .is_some_and(|p| p.starts_with("sham lawsuit")),
        "{part}"
    );
    assert!(
        env.ok(&["trace", quote])
            .contains("quotes only part of it, word for word: “sham lawsuit")
    );
}

#[test]
fn matches_keep_a_stock_phrase_said_by_two_people_apart() {
    let env = Env::new();
    env.write(
        "a.txt",
        "\"Our thoughts and prayers are with the victims and their families,\" Mayor John \
         Smith said on Monday.\n",
    );
    env.write(
        "b.txt",
        "\"Our thoughts and prayers are with the members of Congress and the police,\" \
         Senator Mary Jones said.\n",
    );
    env.write(
        "c.txt",
        "\"My thoughts and prayers are with the victims and their families,\" Mayor John \
         Smith said.\n",
    );
    env.ok(&["add", "a.txt", "b.txt", "c.txt"]);
    let groups = env.json(&["matches"]);
    assert_eq!(groups.len(), 1, "{groups:?}");
    let texts: Vec<&str> = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.iter().all(|t| t.contains("victims")), "{texts:?}");
}

#[test]
fn another_outlets_copy_of_the_same_bytes_keeps_the_groups_and_changes_nothing_twice() {
    let env = Env::new();
    let quote = "We will rebuild every school in the valley before the winter comes";
    env.write(
        "b/two.txt",
        format!("The mayor spoke on Monday.\n\n“{quote},” she said.\n"),
    );
    env.write(
        "a/one.txt",
        format!("A report.\n\n“{quote},” the mayor said.\n"),
    );
    env.write(
        "a/one.txt.meta.toml",
        "outlet = \"Daily A\"\npublished = 2024-01-01\n",
    );
    env.ok(&["add", "b/two.txt"]);
    env.ok(&["add", "a/one.txt"]);
    let members = |env: &Env| -> usize {
        env.json(&["matches"])
            .iter()
            .map(|g| g["members"].as_array().unwrap().len())
            .sum()
    };
    assert_eq!(members(&env), 2);
    // The same bytes published by another outlet, under another title.
    env.write(
        "c/copy.txt",
        format!("A report.\n\n“{quote},” the mayor said.\n"),
    );
    env.write(
        "c/copy.txt.meta.toml",
        "outlet = \"Valley Post\"\npublished = 2024-03-02\ntitle = \"Schools to be rebuilt\"\n",
    );
    let out = env.ok(&["add", "c/copy.txt"]);
    assert!(out.contains("another publication"), "{out}");
    assert_eq!(members(&env), 2, "the group keeps both quotations");
    // The outlet of the copy's later publication is one of the group's outlets too.
    assert_eq!(env.json(&["matches"])[0]["outlets"], 2);
    let again = env.ok(&["add", "c/copy.txt", "a/one.txt"]);
    assert_eq!(again.matches("unchanged").count(), 2, "{again}");
    assert_eq!(members(&env), 2);
}
