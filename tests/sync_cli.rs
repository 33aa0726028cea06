//! Moving evidence between stores: `prov clone`, `push`, `pull` and `remote`.

mod common;

use common::Env;
use common::http::{Route, Server};
use serde_json::Value;

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.prov().args(args).output().expect("run prov");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A transfer's JSON report says nothing was copied.
fn assert_moved_nothing(report: &Value) {
    for k in [
        "documents",
        "publications",
        "versions",
        "fetches",
        "objects",
    ] {
        assert_eq!(report[k], 0, "{k}: {report}");
    }
}

const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Minister speaks | The Courier</title>
<meta property="og:site_name" content="The Courier">
<meta property="article:published_time" content="2025-06-23T08:42:00Z">
</head><body><article><h1>Minister speaks</h1>
<p>&ldquo;We will never sign this agreement in its present form,&rdquo; the minister said on Monday.</p>
</article></body></html>
"#;

/// A store with the seeds and one fetched page (an HTML document with an article-text
/// object and a fetch record).
fn evidence(server: &Server) -> Env {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    server.set("/story", Route::html(PAGE));
    env.ok(&["add", &server.url("/story")]);
    env
}

#[test]
fn a_clone_holds_the_same_evidence_and_answers_alike() {
    let server = Server::start();
    let a = evidence(&server);
    let dest = Env::bare();
    let dest_s = dest.name();
    let moved = &a.json(&["clone", &a.name(), &dest_s])[0];
    assert_eq!(moved["documents"], 6, "{moved}");
    assert_eq!(moved["fetches"], 1, "{moved}");
    assert_eq!(moved["skipped"].as_array().unwrap().len(), 0);
    // Byte-identical objects, and the same answers from both stores.
    assert_eq!(a.objects(), dest.objects());
    let b = |args: &[&str]| dest.ok(args);
    for args in [
        &["--json", "log"][..],
        &["--json", "quotes"],
        &["--json", "matches"],
        &["--json", "speakers"],
        &[
            "--json",
            "verify",
            "Putin promised to consider it, but nothing changed for three years",
        ],
        &["--json", "verify", "We will never sign this agreement"],
        &["--json", "trace", "We will never sign this agreement"],
    ] {
        assert_eq!(a.ok(args), b(args), "prov {args:?} differs");
    }
    b(&["fsck"]);
    assert!(b(&["remote"]).starts_with("origin\t"));
    // Cloning over a store is refused with the way to do what was meant.
    let (code, _, err) = run(&a, &["clone", &a.name(), &dest_s]);
    assert_eq!(code, 2);
    assert!(
        err.contains("holds a prov store already") && err.contains("pull"),
        "{err}"
    );
    // An empty destination (an unset variable) is refused, not taken as this directory.
    let (code, _, err) = run(&a, &["clone", &a.name(), ""]);
    assert_eq!(code, 2);
    assert!(err.contains("DEST is empty"), "{err}");
    // Pulling again from origin copies nothing.
    let again = &dest.json(&["pull"])[0];
    assert_moved_nothing(again);
    assert_eq!(again["unchanged"], 6);
}

#[test]
fn a_second_push_moves_nothing_and_pull_merges_publications_and_versions() {
    let a = Env::new();
    a.write(
        "story.txt",
        "“We will never sign this agreement,” the minister said on Monday.\n",
    );
    a.write(
        "wire.txt",
        "“Nothing changed for three years,” the Crimean Tatar leader said.\n",
    );
    a.write(
        "wire.txt.meta.json",
        r#"{"outlet": "Wire One", "published": "2025-01-02"}"#,
    );
    a.ok(&["add", "story.txt", "wire.txt"]);
    let b = Env::new();
    let b_s = b.name();
    a.ok(&["remote", "add", "team", &b_s]);
    let first = &a.json(&["push", "team"])[0];
    assert_eq!(first["documents"], 2, "{first}");
    let second = &a.json(&["push", "team"])[0];
    assert_moved_nothing(second);
    assert!(a.ok(&["push", "team"]).contains("nothing to copy"));

    // The other store records a second publication of the wire story and a new version
    // of the story; pulling brings both, keeping what was here.
    b.write(
        "reprint.txt",
        "“Nothing changed for three years,” the Crimean Tatar leader said.\n",
    );
    b.write(
        "reprint.txt.meta.json",
        r#"{"outlet": "Daily Two", "published": "2025-01-05"}"#,
    );
    b.write(
        "story.txt",
        "“We will consider signing this agreement,” the minister said on Monday.\n",
    );
    b.ok(&["add", "reprint.txt", "story.txt"]);
    let pulled = &a.json(&["pull", "team"])[0];
    assert_eq!(pulled["documents"], 1, "{pulled}");
    assert_eq!(pulled["publications"], 2, "{pulled}");
    assert_eq!(pulled["versions"], 2, "{pulled}");
    let v = &a.json(&["verify", "Nothing changed for three years"])[0];
    assert_eq!(v["outlets"], 2, "{v}");
    let trace = a.json(&["trace", "Nothing changed for three years"]);
    let first_outlet = &trace[0]["appearances"][0]["publication"]["outlet"];
    assert!(
        trace[0].to_string().contains("Wire One"),
        "{trace:?} {first_outlet}"
    );
    let old = &a.json(&["verify", "We will never sign this agreement"])[0];
    assert_eq!(
        old["superseded"], 1,
        "the pulled version supersedes it: {old}"
    );
    assert_eq!(a.json(&["pull", "team"])[0]["versions"], 0);
    a.ok(&["fsck"]);
    b.ok(&["fsck"]);
}

#[test]
fn a_killed_push_resumes_and_both_stores_pass_fsck() {
    let a = Env::new();
    for i in 0..1500 {
        a.write(
            &format!("docs/{i:04}.txt"),
            format!("“Statement number {i} was made in full,” official {i} said on day {i}.\n"),
        );
    }
    a.ok(&["add", "docs"]);
    let b = Env::new();
    let b_s = b.name();
    let mut child = a
        .process()
        .args(["push", &b_s])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the first batch is in (or when it is done, on a fast machine).
    let started = std::time::Instant::now();
    loop {
        if b.document_rows() > 0 || started.elapsed().as_secs() > 120 {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().unwrap();
    b.ok(&["fsck"]);
    let resumed = &a.json(&["push", &b_s])[0];
    let moved = resumed["documents"].as_u64().unwrap() + resumed["unchanged"].as_u64().unwrap();
    assert_eq!(moved, 1500, "{resumed}");
    assert_eq!(b.doc_count(), 1500);
    b.ok(&["fsck"]);
    a.ok(&["fsck"]);
    assert_eq!(a.objects(), b.objects());
}

#[test]
fn damaged_evidence_stays_behind_and_is_reported() {
    let a = Env::new();
    a.write("good.txt", "“This one is whole,” she said.\n");
    a.write("bad.txt", "“This one will be damaged,” he said.\n");
    a.ok(&["add", "good.txt", "bad.txt"]);
    let bad = common::b3(b"\xe2\x80\x9cThis one will be damaged,\xe2\x80\x9d he said.\n");
    a.tamper_object(&bad, "“This one was tampered with,” he said.\n".as_bytes());
    let b = Env::new();
    let b_s = b.name();
    let (code, out, err) = run(&a, &["--json", "push", &b_s]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["documents"], 1);
    assert_eq!(v["skipped"][0]["id"], bad);
    assert!(err.contains("left") && err.contains("fsck"), "{err}");
    assert_eq!(b.doc_count(), 1);
    b.ok(&["fsck"]);
}

#[test]
fn remotes_are_named_listed_and_removed() {
    let a = Env::new();
    let (code, _, err) = run(&a, &["push"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no remote is named origin") && err.contains("remote add"),
        "{err}"
    );
    let (code, _, err) = run(&a, &["push", "nowhere"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no prov store at") && err.contains("prov init"),
        "{err}"
    );
    let b = Env::new();
    let b_s = b.name();
    a.ok(&["remote", "add", "origin", &b_s]);
    let (code, _, err) = run(&a, &["remote", "add", "origin", "/elsewhere"]);
    assert_eq!(code, 2);
    assert!(err.contains("exists already"), "{err}");
    let listed = a.json(&["remote"]);
    assert_eq!(listed[0]["name"], "origin");
    assert_eq!(listed[0]["url"], b_s.as_str());
    a.ok(&["push"]);
    a.ok(&["remote", "remove", "origin"]);
    assert!(a.ok(&["remote"]).is_empty());
    let (code, _, _) = run(&a, &["remote", "remove", "origin"]);
    assert_eq!(code, 2);
}

#[test]
fn bytes_kept_with_a_refetch_travel_with_their_fetch() {
    let server = Server::start();
    let a = evidence(&server);
    // Served again with other markup around the same article: a fetch keeping its bytes.
    server.set(
        "/story",
        Route::html(PAGE.replace("</body>", "<script>window.t = 2</script></body>")),
    );
    let again = a.json(&["add", &server.url("/story")]);
    assert_eq!(again[0]["outcome"], "same-text", "{again:?}");
    let dest = Env::bare();
    let moved = &a.json(&["clone", &a.name(), &dest.name()])[0];
    assert_eq!(moved["fetches"], 2, "{moved}");
    assert_eq!(a.objects(), dest.objects(), "the kept bytes came too");
    dest.ok(&["fsck"]);
    // Into a store that has the document but not the kept bytes.
    let c = evidence(&server);
    let moved = &a.json(&["push", &c.name()])[0];
    assert_eq!(moved["documents"], 0, "{moved}");
    assert_eq!(
        moved["fetches"], 2,
        "a's two fetches, beside c's own: {moved}"
    );
    assert_eq!(moved["objects"], 1, "only the kept bytes: {moved}");
    assert_eq!(a.objects(), c.objects());
    c.ok(&["fsck"]);
}

#[test]
fn a_remotes_password_is_never_shown() {
    let a = Env::new();
    // A port nothing listens on: nothing here may need the server.
    let url = "postgres://ann:s3cret@127.0.0.1:9/prov?sslmode=disable&password=0ther";
    let added = a.ok(&["--json", "remote", "add", "team", url]);
    let listed = a.ok(&["remote"]);
    let json = a.ok(&["--json", "remote"]);
    let (code, out, err) = run(&a, &["push", "team"]);
    assert_ne!(code, 0);
    for shown in [&added, &listed, &json, &out, &err] {
        assert!(
            !shown.contains("s3cret") && !shown.contains("0ther"),
            "{shown}"
        );
    }
    assert!(
        listed.contains("postgres://ann@127.0.0.1:9/prov?sslmode=disable"),
        "{listed}"
    );
    assert!(err.contains("team"), "{err}");
}

#[test]
fn a_removed_document_whose_bytes_gc_deleted_stays_behind_without_stopping_a_clone() {
    let a = Env::new();
    a.write(
        "notes/kept.txt",
        "“We will never sign this agreement in its present form,” the minister said.\n",
    );
    a.write(
        "notes/wrong.txt",
        "“Nothing changed for three years,” the activist said on Monday.\n",
    );
    a.ok(&["add", "notes"]);
    a.ok(&["rm", "notes/wrong.txt", "--reason", "not a source"]);
    a.ok(&["gc", "--grace", "0"]);
    let dest = Env::bare();
    let moved = &a.json(&["clone", &a.name(), &dest.name()])[0];
    assert_eq!(moved["documents"], 1, "{moved}");
    assert_eq!(moved["skipped"].as_array().unwrap().len(), 0, "{moved}");
    dest.ok(&["fsck"]);
    let log = dest.ok(&["log"]);
    assert!(
        log.contains("kept.txt") && !log.contains("wrong.txt"),
        "{log}"
    );
    assert_moved_nothing(&a.json(&["push", &dest.name()])[0]);
}

#[test]
fn an_undone_removal_is_not_brought_back_by_a_store_that_never_saw_the_undo() {
    let a = Env::new();
    a.write(
        "notes/kept.txt",
        "“We will never sign this agreement in its present form,” the minister said.\n",
    );
    a.write(
        "notes/disputed.txt",
        "“Nothing changed for three years,” the activist said on Monday.\n",
    );
    a.ok(&["add", "notes"]);
    a.ok(&[
        "rm",
        "notes/disputed.txt",
        "--reason",
        "looked like a duplicate",
    ]);
    let b = Env::bare();
    a.ok(&["clone", &a.name(), &b.name()]);
    let id = b.json(&["rm", "--list"])[0]["document"]
        .as_str()
        .unwrap()
        .to_owned();
    b.ok(&["rm", "--undo", &id]);
    assert_eq!(b.json(&["log"]).len(), 2);
    // The store that removed it pushes again, not knowing of the undo.
    a.ok(&["push", &b.name()]);
    assert_eq!(b.json(&["log"]).len(), 2, "still restored");
    // And the undo travels back.
    b.ok(&["push", &a.name()]);
    assert_eq!(a.json(&["log"]).len(), 2, "restored there too");
    a.ok(&["push", &b.name()]);
    assert_eq!(b.json(&["log"]).len(), 2);
}
