//! Corrections with a record: `prov rm` (and `--undo`), `prov gc`.

mod common;

use common::{Env, b3};
use serde_json::Value;

const QUOTE: &str = "We will never sign this agreement in its present form.";
const A: &str = "The minister spoke on Monday. The minister said: \"We will never sign this agreement in its present form.\" He then left the room.\n";
const B: &str = "Talks ended early. According to Reuters, the minister said: \"We will never sign this agreement in its present form.\" Delegates went home.\n";
const C: &str = "\"Unique words appear here only,\" said Jane Roe, the mayor of Springfield.\n";

/// A store holding three documents: two print QUOTE, the third Jane Roe's words.
fn evidence() -> (Env, [String; 3]) {
    let env = Env::new();
    env.write("docs/a.txt", A);
    env.write("docs/b.txt", B);
    env.write("docs/c.txt", C);
    env.ok(&["add", "docs"]);
    (env, [b3(A.as_bytes()), b3(B.as_bytes()), b3(C.as_bytes())])
}

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env
        .prov()
        .env("PROV_USER", "Ana Checker")
        .args(args)
        .output()
        .expect("run prov");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn verify_docs(env: &Env, quote: &str) -> Vec<String> {
    let out = env
        .prov()
        .args(["--json", "verify", quote])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut docs: Vec<String> = report["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["verdict"] == "exact")
        .map(|e| e["doc"].as_str().unwrap().to_owned())
        .collect();
    docs.sort();
    docs
}

fn ids(values: &[Value], key: &str) -> Vec<String> {
    let mut v: Vec<String> = values
        .iter()
        .map(|x| x[key].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn a_removed_document_leaves_every_listing_and_answer_until_undone() {
    let (env, [a, b, c]) = evidence();
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(verify_docs(&env, QUOTE), both);
    assert_eq!(env.json(&["matches"]).len(), 1, "one group across a and b");
    let before_trace = env.json(&["trace", QUOTE]);

    // By path, as a user who added the wrong file would.
    let (code, stdout, stderr) = run(&env, &["rm", "docs/a.txt", "--reason", "duplicate of b"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("removed: duplicate of b"), "{stdout}");

    assert_eq!(ids(&env.json(&["log"]), "id"), {
        let mut v = vec![b.clone(), c.clone()];
        v.sort();
        v
    });
    assert_eq!(verify_docs(&env, QUOTE), vec![b.clone()]);
    assert!(
        env.json(&["matches"]).is_empty(),
        "a group needs two live documents"
    );
    let trace = &env.json(&["trace", QUOTE])[0];
    let traced: Vec<&str> = trace["appearances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["doc"].as_str().unwrap())
        .collect();
    assert!(!traced.contains(&a.as_str()), "{trace}");
    assert!(traced.contains(&b.as_str()), "{trace}");
    let quotes = env.json(&["quotes"]);
    assert!(
        quotes.iter().all(|q| q["doc"] != a.as_str()),
        "quotes list a"
    );
    assert!(quotes.iter().any(|q| q["doc"] == b.as_str()));
    let grep = env.ok(&["grep", "-l", "present form"]);
    assert!(
        grep.contains(&b[..12]) && !grep.contains(&a[..12]),
        "{grep}"
    );

    // Added again, it stays out, and add says so.
    let (code, _, stderr) = run(&env, &["add", "docs/a.txt"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("stays out") && stderr.contains("duplicate of b"),
        "{stderr}"
    );
    assert_eq!(verify_docs(&env, QUOTE), vec![b.clone()]);

    // The record: who, when, why; `show` still shows the document and says so.
    let list = env.json(&["rm", "--list"]);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["document"], a.as_str());
    assert_eq!(list[0]["removed_by"], "Ana Checker");
    assert_eq!(list[0]["reason"], "duplicate of b");
    assert!(list[0]["removed_at"].as_str().unwrap().ends_with('Z'));
    let shown = &env.json(&["show", &a[..8]])[0];
    assert_eq!(shown["removal"]["reason"], "duplicate of b");
    assert!(env.ok(&["show", &a[..8]]).contains("removed:"));

    // Removing twice says when and why it was removed the first time.
    let (code, _, stderr) = run(&env, &["rm", &a[..8], "--reason", "again"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("removed already") && stderr.contains("duplicate of b"),
        "{stderr}"
    );

    // Undone, every answer is what it was.
    let (code, stdout, stderr) = run(&env, &["rm", "--undo", &a[..8]]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("restored"), "{stdout}");
    assert_eq!(verify_docs(&env, QUOTE), both);
    assert_eq!(env.json(&["matches"]).len(), 1);
    assert_eq!(env.json(&["trace", QUOTE]), before_trace);
    let list = env.json(&["rm", "--list"]);
    assert_eq!(list[0]["restored_by"], "Ana Checker");
    let (code, _, stderr) = run(&env, &["rm", "--undo", &a[..8]]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not removed"), "{stderr}");
}

#[test]
fn rm_refuses_without_a_reason_or_a_document() {
    let (env, _) = evidence();
    let (code, _, stderr) = run(&env, &["rm", "docs/a.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--reason"), "{stderr}");
    let (code, _, stderr) = run(&env, &["rm", "docs/none.txt", "--reason", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("docs/none.txt"), "{stderr}");
    let (code, _, stderr) = run(&env, &["rm", "docs/a.txt", "--reason", "  "]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--reason is empty"), "{stderr}");
    assert_eq!(env.doc_count(), 3, "nothing was removed");
}

#[test]
fn removed_speakers_and_sources_leave_speakers_and_check() {
    let (env, [_, _, c]) = evidence();
    env.write(
        "draft.md",
        "Jane Roe said: \"Unique words appear here only.\"\n",
    );
    let speakers = env.ok(&["speakers"]);
    assert!(speakers.contains("Jane Roe"), "{speakers}");
    let (code, stdout, _) = run(&env, &["check", "draft.md"]);
    assert_eq!(code, 0, "{stdout}");

    env.write(
        "cited.md",
        format!(
            "Jane Roe said: \"Unique words appear here only.\" [source](prov:{})\n",
            &c[..12]
        ),
    );
    let (code, stdout, _) = run(&env, &["check", "cited.md"]);
    assert_eq!(code, 0, "{stdout}");

    env.ok(&["rm", &c[..8], "--reason", "retracted by the outlet"]);
    assert!(!env.ok(&["speakers"]).contains("Jane Roe"));
    let (code, stdout, _) = run(&env, &["check", "draft.md"]);
    assert_eq!(code, 1, "the quote's only source is removed: {stdout}");
    // Citing it is reported as citing a source outside the evidence, with the removal.
    let (_, stdout, _) = run(&env, &["check", "cited.md"]);
    assert!(stdout.contains("unknown-source"), "{stdout}");
    assert!(
        stdout.contains("removed from the evidence") && stdout.contains("retracted by the outlet"),
        "{stdout}"
    );
}

#[test]
fn gc_deletes_removed_bytes_after_the_grace_period_and_fsck_passes() {
    let (env, [a, _, _]) = evidence();
    let objects = env.object_count();
    env.ok(&["rm", &a[..8], "--reason", "wrong file"]);

    // Inside the grace period nothing goes.
    let report = &env.json(&["gc"])[0];
    assert_eq!(report["objects_deleted"], 0, "{report}");
    assert_eq!(report["waiting"], 1, "{report}");
    assert_eq!(env.object_count(), objects);

    // A dry run says what would go and deletes nothing.
    let report = &env.json(&["gc", "--grace", "0", "--dry-run"])[0];
    assert_eq!(report["objects_deleted"], 1, "{report}");
    assert_eq!(env.object_count(), objects);

    let report = &env.json(&["gc", "--grace", "0"])[0];
    assert_eq!(report["purged"][0], a.as_str(), "{report}");
    assert_eq!(report["bytes_freed"], A.len(), "{report}");
    assert_eq!(env.object_count(), objects - 1);
    env.ok(&["fsck"]);
    assert!(
        env.json(&["rm", "--list"])[0]["purged_at"]
            .as_str()
            .is_some()
    );

    // Its bytes are gone: `cat` and `--undo` say so and how to bring them back.
    let (code, _, stderr) = run(&env, &["cat", &a[..8]]);
    assert_eq!(code, 2);
    assert!(stderr.contains("prov gc"), "{stderr}");
    let (code, _, stderr) = run(&env, &["rm", "--undo", &a[..8]]);
    assert_eq!(code, 2);
    assert!(stderr.contains("add the original file"), "{stderr}");
    let shown = env.ok(&["show", &a[..8]]);
    assert!(
        shown.contains("add the original file or URL again, then `prov rm --undo`"),
        "{shown}"
    );

    // Added again, it can be restored, and answers as before.
    env.ok(&["add", "docs/a.txt"]);
    env.ok(&["rm", "--undo", &a[..8]]);
    assert_eq!(env.ok(&["cat", &a[..8]]), A);
    assert!(verify_docs(&env, QUOTE).contains(&a));
    env.ok(&["fsck"]);
}

#[test]
fn gc_deletes_unreferenced_objects_only_when_old() {
    let env = Env::new();
    if env.skip_on_postgres("object files carry the write time gc ages them by") {
        return;
    }
    env.write("docs/a.txt", A);
    env.ok(&["add", "docs"]);
    // What an add killed before it committed leaves: an object no row names.
    let stray = b"bytes of an interrupted add\n";
    let id = b3(stray);
    let path = env.write(&format!(".prov/objects/{}/{}", &id[..2], &id[2..]), stray);

    let report = &env.json(&["gc", "--grace", "0"])[0];
    assert_eq!(report["unreferenced_kept"], 1, "written just now: {report}");
    assert!(path.exists());

    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let report = &env.json(&["gc", "--grace", "0"])[0];
    assert_eq!(report["unreferenced_deleted"], 1, "{report}");
    assert!(!path.exists());
    let report = &env.json(&["gc", "--grace", "30"])[0];
    assert_eq!(report["objects_deleted"], 0, "{report}");
    env.ok(&["fsck"]);
}

#[test]
fn removals_and_restores_travel_with_push_and_pull() {
    let (env, [a, b, _]) = evidence();
    let dest = Env::bare();
    env.ok(&["clone", &env.name(), &dest.name()]);
    env.ok(&["rm", &a[..8], "--reason", "duplicate of b"]);
    let moved = &env.json(&["push", &dest.name()])[0];
    assert_eq!(moved["removals"], 1, "{moved}");
    assert_eq!(dest.json(&["rm", "--list"])[0]["reason"], "duplicate of b");
    assert_eq!(verify_docs(&dest, QUOTE), vec![b.clone()]);
    let again = &env.json(&["push", &dest.name()])[0];
    assert_eq!(again["removals"], 0, "a second push moves nothing: {again}");

    // Restored there, pulled back here.
    dest.ok(&["rm", "--undo", &a[..8]]);
    let moved = &env.json(&["pull", &dest.name()])[0];
    assert_eq!(moved["removals"], 1, "{moved}");
    assert_eq!(verify_docs(&env, QUOTE).len(), 2);
}

const D: &str = "The council met on Tuesday. \"The bridge will open in May, not before,\" said the mayor, John Smith. Work continues.\n";
const BRIDGE: &str = "The bridge will open in May, not before.";

/// The quotation of `doc` reading `text`, from `prov quotes --json`.
fn quote_of(env: &Env, doc: &str, text: &str) -> Value {
    env.json(&["quotes"])
        .into_iter()
        .find(|q| q["doc"] == doc && q["text"].as_str().unwrap().contains(text))
        .unwrap_or_else(|| panic!("no quotation of {doc} holds {text:?}"))
}

#[test]
fn a_corrected_speaker_wins_survives_reextraction_and_is_marked() {
    let env = Env::new();
    env.write("d.txt", D);
    env.ok(&["add", "d.txt"]);
    let doc = b3(D.as_bytes());
    let q = quote_of(&env, &doc, "bridge");
    assert_eq!(q["speaker"], "John Smith", "{q}");
    assert!(q.get("speaker_corrected").is_none(), "{q}");
    let id = q["id"].as_str().unwrap().to_owned();

    let (code, stdout, stderr) = run(&env, &["quotes", "set-speaker", &id[..10], "Jane Roe"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("speaker set to Jane Roe (was John Smith)"),
        "{stdout}"
    );

    let check = |env: &Env| {
        let q = quote_of(env, &doc, "bridge");
        assert_eq!(q["speaker"], "Jane Roe", "{q}");
        assert_eq!(q["speaker_corrected"], true, "{q}");
        assert!(
            q["mention"].is_null(),
            "the mention went with extraction's attribution: {q}"
        );
        let v = &env.json(&["verify", BRIDGE])[0];
        assert_eq!(v["evidence"][0]["speaker"], "Jane Roe", "{v}");
        assert_eq!(v["evidence"][0]["speaker_corrected"], true, "{v}");
        // The attribution is checked against the correction, both ways.
        let ok = env
            .prov()
            .args(["verify", "--speaker", "Jane Roe", BRIDGE])
            .output()
            .unwrap();
        assert_eq!(ok.status.code(), Some(0));
        let wrong = env
            .prov()
            .args(["--json", "verify", "--speaker", "John Smith", BRIDGE])
            .output()
            .unwrap();
        let wrong: Value = serde_json::from_slice(&wrong.stdout).unwrap();
        assert_eq!(wrong["verdict"], "misattributed", "{wrong}");
    };
    check(&env);
    assert!(env.ok(&["quotes"]).contains("Jane Roe*"));
    assert!(env.ok(&["verify", BRIDGE]).contains("corrected by hand"));
    let speakers = env.ok(&["speakers"]);
    assert!(
        speakers.contains("Jane Roe") && !speakers.contains("John Smith"),
        "{speakers}"
    );

    // Extracted again from the stored text, or the file added again, the correction
    // still wins.
    env.ok(&["fsck", "--repair"]);
    check(&env);
    env.ok(&["add", "d.txt"]);
    check(&env);

    // The record: which quotation, who, when; the newest correction wins.
    let list = env.json(&["quotes", "corrections"]);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["correction"]["quote"], id.as_str());
    assert_eq!(list[0]["correction"]["corrected_by"], "Ana Checker");
    let (code, stdout, _) = run(&env, &["quotes", "set-speaker", &id[..10], "--none"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("speaker removed (was Jane Roe)"),
        "{stdout}"
    );
    let q = quote_of(&env, &doc, "bridge");
    assert!(q["speaker"].is_null(), "{q}");
    assert_eq!(q["speaker_corrected"], true);
}

#[test]
fn set_speaker_refuses_unknown_quotations_and_empty_names() {
    let env = Env::new();
    env.write("d.txt", D);
    env.ok(&["add", "d.txt"]);
    let (code, _, stderr) = run(&env, &["quotes", "set-speaker", "abcdef12", "Jane Roe"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("abcdef12"), "{stderr}");
    let id = quote_of(&env, &b3(D.as_bytes()), "bridge")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _, stderr) = run(&env, &["quotes", "set-speaker", &id, "  "]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(&env, &["quotes", "set-speaker", &id]);
    assert_eq!(code, 2, "a name or --none is required");
    assert!(env.json(&["quotes", "corrections"]).is_empty());
}

#[test]
fn speaker_corrections_travel_with_push() {
    let env = Env::new();
    env.write("d.txt", D);
    env.ok(&["add", "d.txt"]);
    let doc = b3(D.as_bytes());
    let dest = Env::bare();
    env.ok(&["clone", &env.name(), &dest.name()]);
    let id = quote_of(&env, &doc, "bridge")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.ok(&["quotes", "set-speaker", &id, "Jane Roe"]);
    let moved = &env.json(&["push", &dest.name()])[0];
    assert_eq!(moved["corrections"], 1, "{moved}");
    let q = quote_of(&dest, &doc, "bridge");
    assert_eq!(q["speaker"], "Jane Roe", "{q}");
    assert_eq!(q["speaker_corrected"], true);
    let again = &env.json(&["push", &dest.name()])[0];
    assert_eq!(again["corrections"], 0, "{again}");
}

const M1: &str = "The senator spoke late. \"The bill is dead for this year,\" said Robert Menendez, the senator.\n";
const M2: &str =
    "Outside, reporters waited. \"We will try again next spring,\" said Bob Menendez on Friday.\n";

fn speaker_names(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = env
        .json(&["speakers"])
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn merged_speakers_stay_one_person_through_reextraction_and_push() {
    let env = Env::new();
    env.write("m1.txt", M1);
    env.write("m2.txt", M2);
    env.ok(&["add", "m1.txt", "m2.txt"]);
    assert_eq!(speaker_names(&env), ["Bob Menendez", "Robert Menendez"]);
    let dest = Env::bare();
    env.ok(&["clone", &env.name(), &dest.name()]);

    let (code, stdout, stderr) = run(
        &env,
        &["speakers", "merge", "Robert Menendez", "bob menendez"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Bob Menendez is Robert Menendez now (1 quotation moved)"),
        "{stdout}"
    );
    let check = |env: &Env| {
        let speakers = env.json(&["speakers"]);
        assert_eq!(speakers.len(), 1, "{speakers:?}");
        assert_eq!(speakers[0]["name"], "Robert Menendez");
        assert_eq!(speakers[0]["quotes"], 2);
        assert!(
            speakers[0]["aliases"]
                .as_array()
                .unwrap()
                .contains(&Value::from("Bob Menendez"))
        );
        assert_eq!(env.json(&["quotes", "--speaker", "Bob Menendez"]).len(), 2);
    };
    check(&env);
    env.ok(&["fsck", "--repair"]);
    check(&env);
    let merges = env.json(&["speakers", "merges"]);
    assert_eq!(merges[0]["alias"], "Bob Menendez");
    assert_eq!(merges[0]["merged_by"], "Ana Checker");

    let moved = &env.json(&["push", &dest.name()])[0];
    assert_eq!(moved["corrections"], 1, "{moved}");
    check(&dest);

    let (code, _, stderr) = run(
        &env,
        &["speakers", "merge", "Robert Menendez", "Nobody Here"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("Nobody Here"), "{stderr}");
    let (code, _, stderr) = run(
        &env,
        &["speakers", "merge", "Robert Menendez", "Bob Menendez"],
    );
    assert_eq!(code, 2, "one speaker already: {stderr}");
}

#[test]
fn speakers_lists_people_and_the_rest_only_when_asked() {
    let env = Env::new();
    env.write(
        "s.txt",
        "\"We will not comment on rumours,\" Microsoft Corporation said. \"Prices will rise,\" said Anna Lee. \"It is a scandal,\" critics said. \"We reject this,\" France said.\n",
    );
    env.ok(&["add", "s.txt"]);
    let all = env.json(&["speakers", "--all"]);
    let kind = |name: &str| {
        all.iter()
            .find(|s| s["name"] == name)
            .map(|s| s["kind"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind("Anna Lee").as_deref(), Some("person"), "{all:?}");
    assert_eq!(kind("France").as_deref(), Some("place"), "{all:?}");
    assert_eq!(
        kind("Microsoft Corporation").as_deref(),
        Some("organisation"),
        "{all:?}"
    );
    let people = speaker_names(&env);
    assert!(people.contains(&"Anna Lee".to_owned()), "{people:?}");
    for s in &all {
        let name = s["name"].as_str().unwrap();
        assert_eq!(
            people.contains(&name.to_owned()),
            s["kind"] == "person",
            "{name} is {} and listed as a person: {}",
            s["kind"],
            people.contains(&name.to_owned())
        );
    }
}

#[test]
fn a_removal_restored_and_made_again_in_one_second_travels_as_two() {
    let (env, [a, b, _]) = evidence();
    let dest = Env::bare();
    env.ok(&["clone", &env.name(), &dest.name()]);
    // Within one second all three carry the same time; what tells them apart is whether
    // each was restored.
    env.ok(&["rm", &a[..8], "--reason", "dup"]);
    env.ok(&["rm", "--undo", &a[..8]]);
    env.ok(&["rm", &a[..8], "--reason", "dup"]);
    let mine = env.json(&["rm", "--list"]);
    assert_eq!(mine.len(), 2);
    env.ok(&["push", &dest.name()]);
    assert_eq!(dest.json(&["rm", "--list"]).len(), 2);
    assert_eq!(
        verify_docs(&dest, QUOTE),
        vec![b.clone()],
        "removed there too"
    );
    let again = &env.json(&["push", &dest.name()])[0];
    assert_eq!(again["removals"], 0, "{again}");
}

#[test]
fn with_no_user_in_the_environment_the_account_is_who_removed_it() {
    let (env, [a, ..]) = evidence();
    let out = env
        .prov()
        .env_remove("PROV_USER")
        .env_remove("USER")
        .env_remove("USERNAME")
        .args(["rm", &a[..8], "--reason", "dup"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let by = env.json(&["rm", "--list"])[0]["removed_by"]
        .as_str()
        .unwrap()
        .to_owned();
    // The account's name, where the system can name it.
    match std::process::Command::new("id").arg("-un").output() {
        Ok(id) if id.status.success() => {
            assert_eq!(by, String::from_utf8_lossy(&id.stdout).trim());
        }
        _ => eprintln!("skipping the account check: `id -un` names no account here"),
    }
}
