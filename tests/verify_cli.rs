//! `prov verify`, `prov trace` and `prov matches` on the seeds and a synthetic reprint.

mod common;

use common::{Env, b3};
use serde_json::Value;

const DZHELAL: &str = "Putin promised to consider it, but nothing changed for three years";

fn seeded() -> Env {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    env
}

fn verify(env: &Env, args: &[&str]) -> (i32, Value) {
    let mut full = vec!["--json", "verify"];
    full.extend_from_slice(args);
    let out = env.prov().args(&full).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), v)
}

#[test]
fn the_dzhelal_quote_verifies_exact_with_its_speaker() {
    let env = seeded();
    let (code, v) = verify(&env, &[DZHELAL]);
    assert_eq!(code, 0);
    assert_eq!(v["verdict"], "exact");
    let e = &v["evidence"][0];
    let seed = std::fs::read(env.path().join("seeds/001_a09a92dfceb9919f.txt")).unwrap();
    assert_eq!(e["doc"], b3(&seed));
    assert_eq!(e["speaker"], "Mustafa Dzhemilev");
    assert_eq!(e["outlet"], "Ukrinform");
    assert_eq!(e["published"], "2025-06-23");
    // start/end are code point offsets into the document's text.
    let text: Vec<char> = String::from_utf8(seed).unwrap().chars().collect();
    let (s, en) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..en].iter().collect::<String>(), DZHELAL);
    assert_eq!(e["text"], DZHELAL);
}

#[test]
fn a_changed_number_is_altered_and_the_diff_names_both_words() {
    let env = seeded();
    let (code, v) = verify(&env, &[&DZHELAL.replace("three", "two")]);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "altered");
    let diff = v["evidence"][0]["diff"].as_array().unwrap();
    assert!(
        diff.iter()
            .any(|c| c["op"] == "delete" && c["text"] == "three"),
        "{diff:?}"
    );
    assert!(
        diff.iter()
            .any(|c| c["op"] == "insert" && c["text"] == "two"),
        "{diff:?}"
    );
    let human = String::from_utf8(
        env.prov()
            .args(["verify", &DZHELAL.replace("three", "two")])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(human.contains("[-three-] {+two+}"), "{human}");
}

#[test]
fn curly_quotes_and_case_are_normalized() {
    let env = seeded();
    for q in [
        format!("“{}”", DZHELAL.replace("it, but", "it — but")),
        DZHELAL.to_uppercase(),
    ] {
        let (code, v) = verify(&env, &[&q]);
        assert_eq!(code, 0, "{q}");
        assert_eq!(v["verdict"], "normalized", "{q}");
    }
}

#[test]
fn an_elided_middle_is_elided() {
    let env = seeded();
    let q = "President Erdogan called Putin in my presence … nothing changed for three years";
    let (code, v) = verify(&env, &[q]);
    assert_eq!(code, 0);
    assert_eq!(v["verdict"], "elided");
}

#[test]
fn a_sentence_from_nowhere_is_unsupported() {
    let env = seeded();
    let (code, v) = verify(
        &env,
        &["The committee approved the new budget for coastal defence on Thursday"],
    );
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "unsupported");
    assert_eq!(v["evidence"].as_array().unwrap().len(), 0);
}

#[test]
fn the_wrong_speaker_is_misattributed() {
    let env = seeded();
    let (code, v) = verify(&env, &["--speaker", "Rustem Umerov", DZHELAL]);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "misattributed");
    assert_eq!(v["said_by"][0], "Mustafa Dzhemilev");
    // The right speaker, by surname, keeps it exact.
    let (code, v) = verify(&env, &["--speaker", "Dzhemilev", DZHELAL]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("exact")));
}

#[test]
fn stitched_quotes_are_never_supported() {
    let env = seeded();
    let stitched = "Putin promised to consider it, but we will not give up our people or our land";
    let (code, v) = verify(&env, &[stitched]);
    assert_eq!(code, 1, "{v}");
    assert!(
        matches!(v["verdict"].as_str(), Some("altered" | "unsupported")),
        "{v}"
    );
}

#[test]
fn batch_answers_each_line_in_order() {
    let env = seeded();
    let input = format!(
        "{DZHELAL}\nThe committee approved the new budget for coastal defence\n\n{}\n",
        DZHELAL.replace("three", "two")
    );
    let out = env
        .prov()
        .args(["--json", "verify", "--batch", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one line is unsupported");
    let verdicts: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["verdict"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(verdicts, ["exact", "unsupported", "altered"]);
}

#[test]
fn an_empty_quote_is_a_usage_error() {
    let env = seeded();
    env.prov().args(["verify", "  “ ” "]).assert().code(2);
}

#[test]
fn a_reprint_is_matched_and_traced_in_date_order() {
    let env = seeded();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for f in ["reprint_synthetic.txt", "reprint_synthetic.txt.meta.toml"] {
        env.write(f, std::fs::read(fixtures.join(f)).unwrap());
    }
    env.ok(&["add", "reprint_synthetic.txt"]);

    // Each reprinted quotation is a group of two: the seed's and the reprint's.
    let groups = env.json(&["matches"]);
    assert_eq!(groups.len(), 2, "{groups:?}");
    let drifted = groups
        .iter()
        .find(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["verdict"] == "altered")
        })
        .expect("a drifted quote");
    assert_eq!(drifted["documents"], 2);
    let members = drifted["members"].as_array().unwrap();
    // Earliest published first: the seed (2017-10-25), then the reprint (2017-10-27).
    assert_eq!(members[0]["published"], "2017-10-25");
    assert!(
        members[0]["text"]
            .as_str()
            .unwrap()
            .contains("has finally happened")
    );
    assert!(
        members[1]["text"]
            .as_str()
            .unwrap()
            .contains("happened at last")
    );
    assert_eq!(members[0]["group"], drifted["id"]);
    assert_eq!(members[1]["group"], drifted["id"]);
    let human = env.ok(&["matches"]);
    assert!(human.contains("2 documents, 1 outlet"), "{human}");

    let trace = &env.json(&[
        "trace",
        "What everyone has long been waiting for has finally happened",
    ])[0];
    let apps = trace["appearances"].as_array().unwrap();
    let dates: Vec<&str> = apps
        .iter()
        .map(|a| a["published"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2017-10-25", "2017-10-27"]);
    assert_eq!(apps[0]["first"], true);
    let changes = apps[1]["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["op"] == "delete" && c["text"] == "finally"),
        "{changes:?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["op"] == "insert" && c["text"] == "at last"),
        "{changes:?}"
    );

    // The reprint gives the Chiygoz and Umerov quote to someone else: flagged.
    let quote = env
        .json(&["quotes", "--speaker", "Polozov"])
        .into_iter()
        .find(|q| q["text"].as_str().unwrap().starts_with("Akhtem Chiygoz"))
        .unwrap();
    let trace = &env.json(&["trace", &quote["id"].as_str().unwrap()[..10]])[0];
    let apps = trace["appearances"].as_array().unwrap();
    assert_eq!(apps.len(), 2, "{trace}");
    assert_eq!(apps[1]["speaker"], "Mustafa Dzhemilev");
    assert_eq!(apps[1]["speaker_changed_from"], "Nikolai Polozov");
    let human = env.ok(&["trace", &quote["id"].as_str().unwrap()[..10]]);
    assert!(
        human.contains("speaker changed: Nikolai Polozov → Mustafa Dzhemilev"),
        "{human}"
    );
}

#[test]
fn grep_finds_every_holder_with_line_column_and_offsets() {
    let env = Env::new();
    env.with_seeds();
    // Two more holders, one in other typography and over a line break.
    env.write(
        "copy.txt",
        "Intro line.\nHe said Putin promised to consider it, but “NOTHING changed —\nfor three years”.\n",
    );
    env.write("other.txt", "Nothing changed for three weeks.\n");
    env.ok(&["add", "seeds", "copy.txt", "other.txt"]);
    let found = env.json(&["grep", "nothing changed for three years"]);
    assert_eq!(found.len(), 2, "{found:?}");
    let copy = found
        .iter()
        .find(|d| d["id"] == common::b3(&std::fs::read(env.path().join("copy.txt")).unwrap()))
        .expect("the copy in other typography");
    let hit = &copy["hits"][0];
    assert_eq!(hit["line"], 2);
    assert_eq!(hit["text"], "NOTHING changed —\nfor three years");
    let text = std::fs::read_to_string(env.path().join("copy.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        hit["start"].as_u64().unwrap() as usize,
        hit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[s..e].iter().collect::<String>(), hit["text"]);
    // The seed is listed with its outlet and date.
    assert!(
        found
            .iter()
            .any(|d| d["outlet"] == "Ukrinform" && d["published"] == "2025-06-23")
    );
    // Human output marks the match with brackets that are not quotation marks.
    let human = env.ok(&["grep", "nothing changed for three years"]);
    assert!(
        human.contains("[[nothing changed for three years]]"),
        "{human}"
    );
    // A phrase nobody printed: exit 1, nothing listed.
    env.prov()
        .args(["grep", "nothing changed for three centuries"])
        .assert()
        .code(1)
        .stdout("");
    // Punctuation alone is refused as a usage error.
    env.prov().args(["grep", "— …"]).assert().code(2);
}

#[test]
fn beside_support_no_other_sentence_is_listed() {
    let env = Env::new();
    env.write(
        "a.txt",
        "“We will not give up on our people or our land,” the deputy said.\n",
    );
    env.write(
        "b.txt",
        "As we said before, your email address will not be published on this site.\n",
    );
    env.write(
        "c.txt",
        "“We will never give up on our people or our land,” the deputy said.\n",
    );
    env.ok(&["add", "a.txt", "b.txt", "c.txt"]);
    let docs = |v: &Value| -> Vec<String> {
        v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["verdict"].as_str().unwrap().to_owned())
            .collect()
    };
    // "address will not" shares two of three words: another sentence, not a variant.
    let (code, short) = verify(&env, &["We will not"]);
    assert_eq!(code, 0);
    assert_eq!(docs(&short), ["exact"], "{short}");
    // The drifted reprint (one word in eleven changed) is what trace lists beside it.
    let traced = env.json(&["trace", "We will not give up on our people or our land"]);
    assert_eq!(
        traced[0]["appearances"].as_array().unwrap().len(),
        2,
        "{traced:?}"
    );
    // With no support, the closest passages are the answer, however far.
    let (code, none) = verify(&env, &["we will now"]);
    assert_eq!(code, 1);
    assert!(!docs(&none).is_empty(), "{none}");
}
