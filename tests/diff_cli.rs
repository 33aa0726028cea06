//! `prov diff`: what changed between two documents or two versions of a source.

mod common;

use common::{Env, b3};

const V1: &str = "Bridge delayed\n\nThe council met on Tuesday.\n\n\"The bridge will open in May, not before,\" said the mayor, John Smith.\n\nWork continues on the east bank.\n";
const V2: &str = "Bridge delayed\n\nThe council met on Tuesday.\n\n\"The bridge will open in June, not before,\" said the mayor, John Smith.\n\nWork continues on the east bank.\n\n\"We regret the delay,\" said Jane Roe, the engineer.\n";

/// A store where `story.txt` was added, edited and added again: two versions of one source.
fn edited() -> Env {
    let env = Env::new();
    env.write("story.txt", V1);
    env.ok(&["add", "story.txt"]);
    env.write("story.txt", V2);
    env.ok(&["add", "story.txt"]);
    env
}

#[test]
fn the_last_two_versions_of_a_source_show_the_edit_and_the_changed_quotation() {
    let env = edited();
    let d = &env.json(&["diff", "story.txt"])[0];
    assert_eq!(d["from"], b3(V1.as_bytes()), "{d}");
    assert_eq!(d["to"], b3(V2.as_bytes()), "{d}");
    assert_eq!(d["text"]["paragraphs_changed"], 1, "{d}");
    assert_eq!(d["text"]["paragraphs_added"], 1, "{d}");
    assert_eq!(d["text"]["words_removed"], 1, "{d}");
    let quotes = d["quotes"].as_array().unwrap();
    let changed = quotes
        .iter()
        .find(|q| q["fate"] == "changed")
        .expect("a changed quotation");
    assert!(
        changed["before"]["text"].as_str().unwrap().contains("May"),
        "{changed}"
    );
    assert!(
        changed["after"]["text"].as_str().unwrap().contains("June"),
        "{changed}"
    );
    assert_eq!(changed["after"]["speaker"], "John Smith");
    let appeared = quotes
        .iter()
        .find(|q| q["fate"] == "appeared")
        .expect("a new quotation");
    assert_eq!(appeared["after"]["speaker"], "Jane Roe", "{appeared}");

    let human = env.ok(&["diff", "story.txt"]);
    assert!(
        human.contains("open in [-May,-] {+June,+} not before"),
        "{human}"
    );
    assert!(
        human.contains("{+“We regret the delay,” said Jane Roe") || human.contains("{+\"We regret"),
        "{human}"
    );
    assert!(human.contains("2 paragraphs unchanged"), "{human}");
    assert!(
        human.contains("~ “The bridge will open in May, not before,” (John Smith)"),
        "{human}"
    );
}

#[test]
fn versions_and_ids_name_the_sides_alike() {
    let env = edited();
    let by_version = &env.json(&["diff", "story.txt@1", "story.txt@2"])[0];
    let (a, b) = (b3(V1.as_bytes()), b3(V2.as_bytes()));
    let by_id = &env.json(&["diff", &a[..8], &b[..8]])[0];
    assert_eq!(by_version, by_id);
    // The other way round, what was added is removed.
    let back = &env.json(&["diff", &b[..8], &a[..8]])[0];
    assert_eq!(back["text"]["paragraphs_removed"], 1, "{back}");
    assert_eq!(
        env.json(&["diff", &a[..8], &a[..8]])[0]["text"]["hunks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn exit_codes_and_errors() {
    let env = edited();
    let out = env
        .prov()
        .args(["diff", "story.txt", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = env.prov().args(["diff", "story.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let a = b3(V1.as_bytes());
    let out = env
        .prov()
        .args(["diff", &a[..8], &a[..8], "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the same document does not differ"
    );
    let out = env
        .prov()
        .args(["diff", "story.txt@7", "story.txt@1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no version 7") && err.contains("has 2"),
        "{err}"
    );
    env.write("once.txt", "only one version\n");
    env.ok(&["add", "once.txt"]);
    let out = env.prov().args(["diff", "once.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 version"));
}

#[test]
fn log_versions_says_what_changed_in_words() {
    let env = edited();
    let log = env.json(&["log", "--versions", "story.txt"]);
    assert!(log[0]["changes"].is_null(), "{log:?}");
    assert_eq!(log[1]["changes"]["paragraphs_changed"], 1, "{log:?}");
    assert_eq!(log[1]["changes"]["paragraphs_added"], 1, "{log:?}");
    let human = env.ok(&["log", "--versions", "story.txt"]);
    assert!(human.contains("(1 paragraph changed, 1 added)"), "{human}");
    // With -n 1 the one version shown is still compared with the one before it.
    let last = env.json(&["log", "--versions", "story.txt", "-n", "1"]);
    assert_eq!(last[0]["changes"]["words_removed"], 1, "{last:?}");
}
