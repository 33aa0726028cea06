//! Quotations and speakers through the command line.

mod common;

use common::Env;
use predicates::prelude::*;

#[test]
fn add_extracts_quotes_with_speakers() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let by_polozov = env.json(&["quotes", "--speaker", "Nikolai Polozov"]);
    assert_eq!(by_polozov.len(), 2, "{by_polozov:?}");
    for q in &by_polozov {
        assert_eq!(q["speaker"], "Nikolai Polozov");
        assert_eq!(q["doc"].as_str().unwrap().len(), 64);
    }
    // A surname finds the person too, as does any case.
    assert_eq!(env.json(&["quotes", "--speaker", "polozov"]).len(), 2);

    let text = std::fs::read_to_string(env.path().join("seeds/001_a09a92dfceb9919f.txt")).unwrap();
    let dzhelal = env
        .json(&["quotes", "--doc", "b714"])
        .into_iter()
        .find(|q| {
            q["text"]
                .as_str()
                .unwrap()
                .starts_with("President Erdogan called Putin")
        })
        .expect("Dzhelal quote");
    assert_eq!(dzhelal["speaker"], "Mustafa Dzhemilev");
    assert_eq!(dzhelal["mention"], "He");
    // Offsets are code points into the document text, quotation marks excluded.
    let chars: Vec<char> = text.chars().collect();
    let (s, e) = (
        dzhelal["start"].as_u64().unwrap() as usize,
        dzhelal["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        dzhelal["text"].as_str().unwrap()
    );
    assert_eq!(chars[s - 1], '"');
}

#[test]
fn quotes_filter_by_words_in_any_order_and_case() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let found = env.json(&["quotes", "--text", "THREE YEARS nothing changed"]);
    assert!(!found.is_empty());
    for q in &found {
        let text = q["text"].as_str().unwrap().to_lowercase();
        for w in ["three", "years", "nothing", "changed"] {
            assert!(text.contains(w), "{text}");
        }
    }
    assert!(found.iter().any(|q| {
        q["text"]
            .as_str()
            .unwrap()
            .contains("Putin promised to consider it")
    }));
    // Every word must be there: one missing word finds nothing.
    assert!(
        env.json(&["quotes", "--text", "nothing changed for three decades"])
            .is_empty()
    );
    let out = env.ok(&["quotes", "--text", "zebra"]);
    assert!(out.is_empty(), "{out}");
}

#[test]
fn quotes_filter_by_kind_and_show_lists_them() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let transcript = env.json(&["quotes", "--kind", "transcript"]);
    assert!(transcript.len() > 10);
    assert!(transcript.iter().all(|q| q["kind"] == "transcript"));
    env.prov()
        .args(["quotes", "--kind", "speech"])
        .assert()
        .code(2);

    let show = env.ok(&["show", "473f"]);
    assert!(show.contains("quotes (4):"), "{show}");
    assert!(
        show.contains("Nikolai Polozov: “What everyone has long been waiting for"),
        "{show}"
    );
}

#[test]
fn speakers_lists_people_with_aliases() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let speakers = env.json(&["speakers"]);
    let dz = speakers
        .iter()
        .find(|s| s["name"] == "Mustafa Dzhemilev")
        .expect("Dzhemilev");
    assert!(
        dz["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Dzhemilev"),
        "{dz}"
    );
    assert!(dz["documents"].as_u64().unwrap() >= 2);
    // No pronoun is ever an alias.
    for s in &speakers {
        for a in s["aliases"].as_array().unwrap() {
            assert!(
                !matches!(a.as_str().unwrap(), "He" | "She" | "I" | "They"),
                "{s}"
            );
        }
    }
    let human = env.ok(&["speakers"]);
    assert!(
        human.contains("Mustafa Dzhemilev  (also: Dzhemilev)"),
        "{human}"
    );
}

#[test]
fn extract_reads_and_writes_json_lines_without_a_store() {
    let env = Env::bare();
    let input = concat!(
        r#"{"id": "a", "text": "“We will win,” said Jane Smith."}"#,
        "\n",
        r#"{"id": 7, "text": "Nothing quoted here."}"#,
        "\n"
    );
    let out = env
        .prov()
        .args(["extract", "--jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let q = &lines[0]["quotes"][0];
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(
        (q["start"].as_u64(), q["end"].as_u64()),
        (Some(1), Some(13))
    );
    assert_eq!(q["text"], "We will win,");
    assert_eq!(q["speaker"], "Jane Smith");
    assert_eq!(
        (q["speaker_start"].as_u64(), q["speaker_end"].as_u64()),
        (Some(20), Some(30))
    );
    assert_eq!(q["speaker_name"], "Jane Smith");
    assert_eq!(q["kind"], "direct");
    assert_eq!(lines[1]["id"], 7);
    assert_eq!(lines[1]["quotes"].as_array().unwrap().len(), 0);
}

#[test]
fn extract_names_the_bad_line() {
    let env = Env::bare();
    env.prov()
        .args(["extract", "--jsonl"])
        .write_stdin("{\"id\": 1, \"text\": \"ok\"}\nnot json\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input: line 2"));
    env.prov()
        .args(["extract", "--jsonl", "missing.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.jsonl"));
}

#[test]
fn a_surname_several_people_share_says_whose_quotations_are_listed() {
    let env = Env::new();
    env.write(
        "a.txt",
        "“We will build the wall,” Donald Trump said at the rally on Monday.\n",
    );
    env.write(
        "b.txt",
        "“Fashion is my first love,” Ivanka Trump said in an interview on Friday.\n",
    );
    env.ok(&["add", "a.txt", "b.txt"]);
    let out = env
        .prov()
        .args(["quotes", "--speaker", "Trump"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("names 2 people: Donald Trump, Ivanka Trump"),
        "{err}"
    );
    let one = env
        .prov()
        .args(["quotes", "--speaker", "Ivanka Trump"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&one.stderr).is_empty());
    assert_eq!(String::from_utf8_lossy(&one.stdout).lines().count(), 1);
}
