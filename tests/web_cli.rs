//! URL sources and HTML articles: `prov add URL` against a server on 127.0.0.1 that the test
//! starts itself, and local .html files.

mod common;

use common::Env;
use common::http::{Route, Server};
use serde_json::Value;

/// An article page with everything that is not the article: a script that writes quotes,
/// a comment holding one, a style block, navigation, a share bar, related links, entities,
/// and quotations nested three ways (curly marks, <q> elements, single inside double).
const PAGE_V1: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Tatar leader speaks | The Courier</title>
<link rel="canonical" href="https://courier.example/news/tatar-leader">
<meta property="og:site_name" content="The Courier">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
 "headline":"Tatar leader: nothing changed for three years",
 "datePublished":"2025-06-23T08:42:00Z",
 "author":{"@type":"Person","name":"Anna Reyes"},
 "publisher":{"@type":"Organization","name":"The Courier"}}</script>
<style>.quote { font-style: italic }</style>
<script>var fake = "“This is not a quotation from anyone,” said Nobody.";</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Tatar leader: nothing changed for three years</h1>
<div class="social-share"><a href="#">Share</a> <a href="#">Tweet</a></div>
<p>Mustafa Dzhemilev, the veteran Crimean Tatar leader, spoke on Monday.</p>
<p>&ldquo;Putin promised to consider it, but nothing changed for three years,&rdquo; Dzhemilev said.</p>
<!-- editor: “Delete this line before publishing,” said the editor. -->
<p>His lawyer, Nikolai Polozov, wrote: <q>The court told us to <q>wait</q> once more, and we waited</q>.</p>
<p>&ldquo;They call it &lsquo;temporary&rsquo; but it has lasted for years,&rdquo; Polozov added &amp; left.</p>
<ul class="related"><li><a href="/a">Related: Crimea votes</a></li></ul>
</article>
<footer>&copy; The Courier</footer>
</body></html>
"##;

fn page_v2() -> String {
    PAGE_V1.replace(
        "but nothing changed for three years,&rdquo;",
        "but nothing changed for two years,&rdquo;",
    )
}

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.prov().args(args).output().expect("run prov");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn show(env: &Env, id: &str) -> Value {
    env.json(&["show", id]).remove(0)
}

fn object_files(env: &Env) -> usize {
    walkdir::WalkDir::new(env.path().join(".prov/objects"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !e.path().to_string_lossy().contains("/tmp/"))
        .count()
}

#[test]
fn a_url_is_stored_as_served_and_read_as_its_article() {
    let server = Server::start();
    server.set("/news/tatar", Route::html(PAGE_V1));
    let env = Env::new();
    let url = server.url("/news/tatar");
    let added = env.json(&["add", &url]);
    assert_eq!(added[0]["outcome"], "added");
    let id = added[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        id,
        common::b3(PAGE_V1.as_bytes()),
        "the id is the hash of the body"
    );

    // The exact bytes served, and the article text prov reads.
    assert_eq!(env.ok(&["cat", &id]), PAGE_V1);
    let text = env.ok(&["cat", "--text", &id]);
    assert_eq!(
        text,
        "Tatar leader: nothing changed for three years\n\n\
         Mustafa Dzhemilev, the veteran Crimean Tatar leader, spoke on Monday.\n\n\
         “Putin promised to consider it, but nothing changed for three years,” Dzhemilev said.\n\n\
         His lawyer, Nikolai Polozov, wrote: “The court told us to ‘wait’ once more, and we waited”.\n\n\
         “They call it ‘temporary’ but it has lasted for years,” Polozov added & left.\n"
    );

    // Metadata from the page, and how it was fetched.
    let shown = show(&env, &id);
    let doc = &shown["document"];
    assert_eq!(doc["url"], url.as_str());
    assert_eq!(doc["format"], "html");
    assert_eq!(
        doc["title"],
        "Tatar leader: nothing changed for three years"
    );
    assert_eq!(doc["published"], "2025-06-23T08:42:00Z");
    assert_eq!(doc["author"], "Anna Reyes");
    assert_eq!(doc["outlet"], "The Courier");
    assert_eq!(doc["lang"], "en");
    assert_eq!(
        doc["canonical"],
        "https://courier.example/news/tatar-leader"
    );
    let fetch = &shown["fetches"][0];
    assert_eq!(fetch["status"], 200);
    assert_eq!(fetch["final_url"], url.as_str());
    assert_eq!(fetch["content_type"], "text/html; charset=utf-8");
    assert!(fetch["fetched_at"].as_str().unwrap().ends_with('Z'));

    // Quotes come from the article only: not the script, not the comment.
    let quotes = env.json(&["quotes", "--doc", &id]);
    let texts: Vec<&str> = quotes.iter().map(|q| q["text"].as_str().unwrap()).collect();
    assert!(
        texts.contains(&"Putin promised to consider it, but nothing changed for three years,"),
        "{texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("not a quotation") || t.contains("Delete this"))
    );
    let putin = quotes
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with("Putin promised"))
        .unwrap();
    assert_eq!(putin["speaker"], "Mustafa Dzhemilev");
    let nested = quotes
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with("The court told us"))
        .expect("the <q> quotation");
    assert_eq!(nested["speaker"], "Nikolai Polozov");

    // Offsets point into the article text.
    let start = putin["start"].as_u64().unwrap() as usize;
    let end = putin["end"].as_u64().unwrap() as usize;
    let piece: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(piece, putin["text"].as_str().unwrap());

    // Verify finds it, at those offsets, with its speaker.
    let report = env.json(&[
        "verify",
        "Putin promised to consider it, but nothing changed for three years",
    ]);
    assert_eq!(report[0]["verdict"], "exact");
    let evidence = &report[0]["evidence"][0];
    assert_eq!(evidence["doc"], id.as_str());
    assert_eq!(evidence["url"], url.as_str());
    assert_eq!(evidence["speaker"], "Mustafa Dzhemilev");
    let (code, _, _) = run(&env, &["verify", "This is not a quotation from anyone"]);
    assert_eq!(code, 1, "script text is not evidence");

    // A draft citing the canonical URL binds to this document.
    env.write(
        "draft.md",
        "Dzhemilev said: \"Putin promised to consider it, but nothing changed for three \
         years\" ([The Courier](https://courier.example/news/tatar-leader)).\n",
    );
    assert_eq!(run(&env, &["check", "draft.md"]).0, 0);

    env.ok(&["fsck"]);
}

#[test]
fn a_draft_quoting_a_source_edited_since_is_reported_until_the_draft_changes() {
    let server = Server::start();
    server.set("/news/tatar", Route::html(PAGE_V1));
    let env = Env::new();
    let url = server.url("/news/tatar");
    env.ok(&["add", &url]);
    let draft = format!(
        "Dzhemilev said: \"Putin promised to consider it, but nothing changed for three \
         years\" ([The Courier]({url})).\n"
    );
    env.write("draft.md", &draft);
    assert_eq!(
        run(&env, &["check", "draft.md"]).0,
        0,
        "faithful when written"
    );

    // The page is edited and `prov add` records the new version: the draft now quotes
    // words its cited source no longer prints, on every run.
    server.set("/news/tatar", Route::html(page_v2()));
    env.ok(&["add", &url]);
    for _ in 0..2 {
        let (code, out, err) = run(&env, &["check", "draft.md", "--format", "json"]);
        assert_eq!(code, 1, "{out}{err}");
        let finding: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(finding["kind"], "drifted");
        let message = finding["message"].as_str().unwrap();
        assert!(
            message.contains("edited after this was quoted") && message.contains("version 1"),
            "{message}"
        );
        assert!(
            message.contains("two years"),
            "says what it prints now: {message}"
        );
    }

    // Acknowledged in the draft, with a reason: skipped, and counted as such.
    env.write(
        "draft.md",
        format!("<!-- prov:ignore the Courier corrected the figure -->\n{draft}"),
    );
    let (code, _, err) = run(&env, &["check", "draft.md"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 skipped"), "{err}");
    // Or the draft follows the source.
    env.write("draft.md", draft.replace("three years", "two years"));
    assert_eq!(run(&env, &["check", "draft.md"]).0, 0);
}

#[test]
fn redirects_are_followed_and_the_final_url_recorded() {
    let server = Server::start();
    server.set("/old", Route::Redirect("/moved".into()));
    server.set("/moved", Route::Redirect("/news/tatar".into()));
    server.set("/news/tatar", Route::html(PAGE_V1));
    let env = Env::new();
    let url = server.url("/old");
    let added = env.json(&["add", &url]);
    let id = added[0]["id"].as_str().unwrap();
    let shown = show(&env, id);
    assert_eq!(
        shown["document"]["url"],
        url.as_str(),
        "the source is the URL asked for"
    );
    assert_eq!(shown["fetches"][0]["final_url"], server.url("/news/tatar"));
    let human = env.ok(&["show", id]);
    assert!(human.contains("redirected to"), "{human}");
}

#[test]
fn error_responses_and_failures_store_nothing() {
    let server = Server::start();
    server.set("/slow", Route::Slow(std::time::Duration::from_secs(10)));
    server.set("/endless", Route::Endless);
    server.set(
        "/image",
        Route::Page {
            status: 200,
            content_type: "image/png",
            body: b"\x89PNG\r\n".to_vec(),
        },
    );
    server.set(
        "/error",
        Route::Page {
            status: 503,
            content_type: "text/html",
            body: b"<p>\xe2\x80\x9cWe are down,\xe2\x80\x9d said the server.</p>".to_vec(),
        },
    );
    let refused_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = Env::new();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![server.url("/missing")], "404 Not Found"),
        (vec![server.url("/error")], "503 Service Unavailable"),
        (
            vec!["--timeout".into(), "1".into(), server.url("/slow")],
            "within 1s",
        ),
        (
            vec!["--max-size".into(), "64K".into(), server.url("/endless")],
            "larger than 65536 bytes",
        ),
        (vec![server.url("/image")], "image/png is not text"),
        (
            vec![format!("http://127.0.0.1:{refused_port}/a")],
            "connection refused",
        ),
        (
            vec!["http://no-such-host.invalid/a".into()],
            "cannot resolve host",
        ),
        (
            vec![format!("https://127.0.0.1:{}/news", server.port())],
            "TLS",
        ),
    ];
    for (args, expect) in cases {
        let mut full = vec!["add".to_owned()];
        full.extend(args.iter().cloned());
        let full: Vec<&str> = full.iter().map(String::as_str).collect();
        let (code, _, err) = run(&env, &full);
        assert_eq!(code, 2, "{full:?}: {err}");
        assert!(
            err.contains(expect),
            "{full:?}: expected {expect:?} in {err}"
        );
        let url = args.last().unwrap();
        assert!(err.contains(url.as_str()), "the error names the URL: {err}");
    }
    assert_eq!(env.doc_count(), 0);
    assert_eq!(object_files(&env), 0, "no error page was stored");
    env.ok(&["fsck"]);
}

#[test]
fn a_stealth_edit_is_a_new_version_and_check_sources_reports_it() {
    let server = Server::start();
    server.set("/news/tatar", Route::html(PAGE_V1));
    let env = Env::new();
    let url = server.url("/news/tatar");
    env.ok(&["add", &url]);

    // Fetching the same bytes again records the fetch but no new version.
    let again = env.json(&["add", &url]);
    assert_eq!(again[0]["outcome"], "unchanged");
    let first = again[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(show(&env, &first)["fetches"].as_array().unwrap().len(), 2);
    assert_eq!(
        run(&env, &["check", "--sources"]).0,
        0,
        "unchanged source: clean"
    );

    // The article is edited on the server: "three years" becomes "two years".
    server.set("/news/tatar", Route::html(page_v2()));
    let (code, out, err) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let findings: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{out}");
    let f = &findings[0];
    assert_eq!(f["path"], url.as_str());
    assert_eq!(f["kind"], "drifted");
    assert_eq!(
        f["line"], 5,
        "the line of the quotation in the old article text"
    );
    assert!(f["quote"].as_str().unwrap().contains("three years"));
    let diff = serde_json::to_string(&f["diff"]).unwrap();
    assert!(diff.contains("three") && diff.contains("two"), "{diff}");

    let versions = env.json(&["log", "--versions", &url]);
    assert_eq!(versions.len(), 2);
    assert_eq!(
        run(&env, &["check", "--sources"]).0,
        1,
        "the edit is reported until it is acknowledged"
    );
    let newest = versions[1]["id"].as_str().unwrap();
    env.write(
        "prov.toml",
        format!(
            "[check.acknowledged]\n\"{}\" = \"the figure was corrected\"\n",
            &newest[..12]
        ),
    );
    assert_eq!(run(&env, &["check", "--sources"]).0, 0, "acknowledged");

    // A source that disappears is reported, not silently skipped.
    server.set(
        "/news/tatar",
        Route::Page {
            status: 410,
            content_type: "text/html",
            body: b"gone".to_vec(),
        },
    );
    let (code, out, _) = run(&env, &["check", "--sources", "--format", "json"]);
    assert!(
        out.contains("unreachable-source") && out.contains("410"),
        "{out}"
    );
    assert_eq!(code, 0, "an unreachable source is a warning by default");
    let (code, _, _) = run(&env, &["check", "--sources", "--fail-level", "warning"]);
    assert_eq!(code, 1);
    env.ok(&["fsck"]);
}

#[test]
fn a_local_html_file_is_read_as_its_article() {
    let env = Env::new();
    env.write("saved/page.html", PAGE_V1);
    let added = env.json(&["add", "saved/page.html"]);
    let id = added[0]["id"].as_str().unwrap();
    let text = env.ok(&["cat", "--text", id]);
    assert!(text.starts_with("Tatar leader: nothing changed for three years\n\n"));
    assert!(!text.contains("fake") && !text.contains("<"));
    let doc = &show(&env, id)["document"];
    assert_eq!(doc["format"], "html");
    assert_eq!(doc["outlet"], "The Courier");
    let report = env.json(&[
        "verify",
        "They call it 'temporary' but it has lasted for years",
    ]);
    assert_eq!(report[0]["verdict"], "normalized");
    assert_eq!(report[0]["evidence"][0]["speaker"], "Nikolai Polozov");

    // Plain-text `cat` of a text document is unchanged by --text.
    env.write("note.txt", "“Plain words,” she said.\n");
    let added = env.json(&["add", "note.txt"]);
    let id = added[0]["id"].as_str().unwrap();
    assert_eq!(env.ok(&["cat", "--text", id]), env.ok(&["cat", id]));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn a_gzip_bomb_counts_as_it_expands_and_stores_nothing() {
    let server = Server::start();
    // 32 MiB of markup in about 100 KB on the wire.
    let page = format!("<html><body><p>{}</p></body></html>", "a".repeat(32 << 20));
    let body = gzip(page.as_bytes());
    assert!(body.len() < 1 << 20);
    server.set(
        "/bomb",
        Route::Encoded {
            encoding: "gzip",
            body,
        },
    );
    let env = Env::new();
    let url = server.url("/bomb");
    let (code, out, err) = run(&env, &["add", "--max-size", "1M", &url]);
    assert_eq!(
        code, 2,
        "a fetch that fails is an error, as for any URL: {out}{err}"
    );
    assert!(err.contains("larger than 1048576 bytes"), "{err}");
    assert_eq!(env.doc_count(), 0);
    assert_eq!(object_files(&env), 0);

    // A body still compressed after what the client undoes (gzip twice) is binary, not
    // a page, whatever its type says.
    server.set(
        "/twice",
        Route::Encoded {
            encoding: "gzip, gzip",
            body: gzip(&gzip(PAGE_V1.as_bytes())),
        },
    );
    let (code, _, err) = run(&env, &["add", &server.url("/twice")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("binary"), "{err}");
    assert_eq!(env.doc_count(), 0);
    env.ok(&["fsck"]);
}

/// The findings of `check --sources --format json`, as sorted lines.
fn source_findings(env: &Env) -> Vec<String> {
    let (_, out, _) = run(env, &["check", "--sources", "--format", "json"]);
    let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[test]
fn check_sources_killed_midway_loses_no_finding() {
    // Two sources: the first edited on the server, the second slow to answer. One store
    // has its run killed while waiting for the second, then runs again; the other runs
    // once, uninterrupted. Both report the same.
    let server = Server::start();
    server.set("/news/tatar", Route::html(PAGE_V1));
    server.set(
        "/slow",
        Route::html("<p>\u{201c}A slow page that says little at all,\u{201d} she said.</p>"),
    );
    let (tatar, slow) = (server.url("/news/tatar"), server.url("/slow"));
    let killed = Env::new();
    let whole = Env::new();
    for env in [&killed, &whole] {
        env.ok(&["add", &tatar]);
        env.ok(&["add", &slow]);
    }
    server.set("/news/tatar", Route::html(page_v2()));
    server.set("/slow", Route::Slow(std::time::Duration::from_secs(4)));

    let mut child = killed
        .process()
        .args(["check", "--sources", "--timeout", "10"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    child.wait().unwrap();
    killed.ok(&["fsck"]);

    server.set(
        "/slow",
        Route::html("<p>\u{201c}A slow page that says little at all,\u{201d} she said.</p>"),
    );
    let after_kill = source_findings(&killed);
    assert_eq!(after_kill, source_findings(&whole));
    assert!(
        after_kill.iter().any(|f| f.contains("three years")),
        "{after_kill:?}"
    );
}

/// The same article with other markup around it: a script nonce and timestamp and an ad
/// slot's attributes, as a server renders them on every request.
fn rerendered(page: &str, n: u32) -> String {
    page.replace(
        "<style>",
        &format!(
            "<script nonce=\"n{n}x\">window.__rendered = {};</script>\n<style>",
            1_764_576_000 + n
        ),
    )
    .replace(
        "<footer>",
        &format!("<div class=\"ad-slot\" data-slot=\"{n}\" data-auction=\"a{n}\"></div>\n<footer>"),
    )
}

#[test]
fn a_page_whose_markup_changed_but_not_its_text_is_a_fetch_of_the_same_version() {
    let server = Server::start();
    server.set("/news/tatar", Route::html(rerendered(PAGE_V1, 1)));
    let env = Env::new();
    let url = server.url("/news/tatar");
    let first = env.json(&["add", &url]);
    assert_eq!(first[0]["outcome"], "added");
    let id = first[0]["id"].as_str().unwrap().to_owned();

    // Served again with a new nonce, timestamp and ad slot: other bytes, same article.
    server.set("/news/tatar", Route::html(rerendered(PAGE_V1, 2)));
    let again = env.json(&["add", &url]);
    assert_eq!(again[0]["outcome"], "same-text", "{again:?}");
    assert_eq!(again[0]["id"], id.as_str(), "the version already stored");
    let kept = again[0]["same_text_bytes"].as_str().unwrap().to_owned();
    assert_ne!(kept, id);
    assert_eq!(kept, common::b3(rerendered(PAGE_V1, 2).as_bytes()));

    // One version, two fetches, the second keeping the bytes it received.
    assert_eq!(env.json(&["log", "--versions", &url]).len(), 1);
    let fetches = show(&env, &id)["fetches"].as_array().unwrap().clone();
    assert_eq!(fetches.len(), 2);
    assert!(fetches[0].get("object").is_none());
    assert_eq!(fetches[1]["object"], kept.as_str());
    let kept_name = format!("{}/{}", &kept[..2], &kept[2..]);
    assert!(
        env.objects().iter().any(|(o, _)| *o == kept_name),
        "the re-fetched bytes are kept as an object"
    );
    let (_, human, _) = run(&env, &["show", &id[..12]]);
    assert!(human.contains("the article text did not"), "{human}");
    // Nothing is reported as an edit, and the quotations are not counted twice.
    assert_eq!(run(&env, &["check", "--sources"]).0, 0);
    let v = env.json(&[
        "verify",
        "Putin promised to consider it, but nothing changed for three years",
    ]);
    assert_eq!(v[0]["evidence"].as_array().unwrap().len(), 1, "{v:?}");
    env.ok(&["fsck"]);
    // `gc` keeps them: a fetch names them.
    env.ok(&["gc", "--grace", "0"]);
    assert!(env.objects().iter().any(|(o, _)| *o == kept_name));
    env.ok(&["fsck"]);

    // An edit of the article itself is a new version.
    server.set("/news/tatar", Route::html(rerendered(&page_v2(), 3)));
    let edited = env.json(&["add", &url]);
    assert_eq!(edited[0]["outcome"], "new-version");
    assert_eq!(env.json(&["log", "--versions", &url]).len(), 2);
    // `prov diff URL`: the last two versions, the edit and the quotation it changed.
    let d = &env.json(&["diff", &url])[0];
    assert_eq!(d["from"], id.as_str(), "{d}");
    assert_eq!(d["text"]["paragraphs_changed"], 1, "{d}");
    let changed = d["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["fate"] == "changed")
        .expect("the changed quotation");
    assert!(
        changed["before"]["text"]
            .as_str()
            .unwrap()
            .contains("three years")
    );
    assert!(
        changed["after"]["text"]
            .as_str()
            .unwrap()
            .contains("two years")
    );
    let human = env.ok(&["diff", &url]);
    assert!(human.contains("[-three-] {+two+}"), "{human}");
}

#[test]
fn a_source_fetched_before_is_asked_for_conditionally_and_304_is_a_fetch() {
    let server = Server::start();
    server.set(
        "/tagged",
        Route::Tagged {
            etag: "\"v1\"",
            body: PAGE_V1.as_bytes().to_vec(),
        },
    );
    let env = Env::new();
    let url = server.url("/tagged");
    let first = env.json(&["add", &url]);
    let id = first[0]["id"].as_str().unwrap().to_owned();
    assert!(
        !server.requests("/tagged")[0]
            .to_ascii_lowercase()
            .contains("if-none-match")
    );

    let again = env.json(&["add", &url]);
    let asked = server.requests("/tagged")[1].to_ascii_lowercase();
    assert!(asked.contains("if-none-match: \"v1\""), "{asked}");
    assert!(
        asked.contains("if-modified-since: tue, 01 dec 2026 08:00:00 gmt"),
        "{asked}"
    );
    assert_eq!(again[0]["outcome"], "unchanged");
    assert_eq!(again[0]["not_modified"], true);
    assert_eq!(again[0]["id"], id.as_str());
    let fetches = show(&env, &id)["fetches"].as_array().unwrap().clone();
    assert_eq!(fetches.len(), 2);
    assert_eq!(fetches[0]["etag"], "\"v1\"");
    assert_eq!(fetches[1]["status"], 304);
    let (_, out, _) = run(&env, &["add", &url]);
    assert!(out.contains("304 Not Modified"), "{out}");

    // A new tag: the edited page is fetched and recorded as a new version.
    server.set(
        "/tagged",
        Route::Tagged {
            etag: "\"v2\"",
            body: page_v2().into_bytes(),
        },
    );
    let edited = env.json(&["add", &url]);
    assert_eq!(edited[0]["outcome"], "new-version");
    env.ok(&["fsck"]);
}

#[test]
fn robots_txt_is_respected_and_one_site_is_asked_one_page_at_a_time() {
    let server = Server::start();
    server.set(
        "/robots.txt",
        Route::Page {
            status: 200,
            content_type: "text/plain",
            body: b"User-agent: *\nDisallow: /private\n".to_vec(),
        },
    );
    server.set("/private/memo", Route::html(PAGE_V1));
    server.set("/news/a", Route::html(PAGE_V1));
    server.set("/news/b", Route::html(page_v2()));
    let env = Env::new();
    let (code, _, err) = run(&env, &["add", &server.url("/private/memo")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("robots.txt") && err.contains("--ignore-robots"),
        "{err}"
    );
    assert!(
        server.requests("/private/memo").is_empty(),
        "never asked for"
    );
    let (code, _, err) = run(
        &env,
        &["add", "--ignore-robots", &server.url("/private/memo")],
    );
    assert_eq!(code, 0, "{err}");

    // Two pages of one site in one add: robots.txt read once, the second page asked for
    // only after the delay.
    let robots_before = server.requests("/robots.txt").len();
    env.ok(&[
        "add",
        "--delay",
        "0.4",
        &server.url("/news/a"),
        &server.url("/news/b"),
    ]);
    assert_eq!(server.requests("/robots.txt").len(), robots_before + 1);
    let (a, b) = (
        server.timed_requests("/news/a")[0].0,
        server.timed_requests("/news/b")[0].0,
    );
    let gap = if a > b { a - b } else { b - a };
    assert!(
        gap >= std::time::Duration::from_millis(350),
        "requests to one site {gap:?} apart"
    );
}

#[test]
fn each_redirect_is_asked_of_its_own_site_and_a_page_moved_home_is_gone() {
    let site = Server::start();
    let other = Server::start();
    other.set(
        "/robots.txt",
        Route::Page {
            status: 200,
            content_type: "text/plain",
            body: b"User-agent: *\nDisallow: /private\n".to_vec(),
        },
    );
    other.set("/private/memo", Route::html(PAGE_V1));
    other.set("/news/open", Route::html(PAGE_V1));
    site.set("/go", Route::Redirect(other.url("/private/memo")));
    site.set("/open", Route::Redirect(other.url("/news/open")));
    let env = Env::new();
    // The site redirected to says no: nothing is asked of it, nothing stored.
    let (code, _, err) = run(&env, &["add", &site.url("/go")]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("robots.txt") && err.contains("/private/memo"),
        "{err}"
    );
    assert!(other.requests("/private/memo").is_empty());
    // Credentials written for one site are not sent to the site it redirects to.
    let with_credentials = site
        .url("/open")
        .replacen("http://", "http://kim:s3cret@", 1);
    let (code, _, err) = run(&env, &["add", &with_credentials]);
    assert_eq!(code, 0, "{err}");
    assert!(
        site.requests("/open")[0].contains("uthorization"),
        "{:?}",
        site.requests("/open")
    );
    assert!(
        other
            .requests("/news/open")
            .iter()
            .all(|r| !r.to_ascii_lowercase().contains("authorization")),
        "{:?}",
        other.requests("/news/open")
    );

    // An article that now redirects to the home page was taken down: no new version.
    site.set("/news/story", Route::html(PAGE_V1));
    site.set("/", Route::html(page_v2()));
    let url = site.url("/news/story");
    env.ok(&["add", &url]);
    site.set("/news/story", Route::Redirect("/".into()));
    let (code, _, err) = run(&env, &["add", &url]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("home page") && err.contains("taken down"),
        "{err}"
    );
    assert_eq!(env.json(&["log", "--versions", &url]).len(), 1);
    let (code, out, _) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 0, "a warning by default: {out}");
    assert!(
        out.contains("unreachable-source") && out.contains("home page"),
        "{out}"
    );
}

#[test]
fn variants_of_one_address_are_one_source() {
    let server = Server::start();
    server.set("/news/tatar", Route::html(PAGE_V1));
    let env = Env::new();
    let url = server.url("/news/tatar");
    let shared = format!("{url}?utm_source=twitter&utm_medium=social#comments");
    env.ok(&["add", &shared]);
    server.set("/news/tatar", Route::html(page_v2()));
    let upper = url.replacen("http://", "HTTP://", 1) + "?fbclid=IwAR0";
    let out = env.ok(&["add", &upper]);
    assert!(out.contains("new version 2"), "{out}");
    // One source with two versions, found by any of its variants.
    for name in [&url, &shared] {
        assert_eq!(env.json(&["log", "--versions", name]).len(), 2, "{name}");
    }
    let listed = env.ok(&["--json", "log"]);
    assert!(
        !listed.contains("utm_") && !listed.contains("fbclid"),
        "{listed}"
    );
}

#[test]
fn a_robots_txt_that_redirects_is_followed() {
    let server = Server::start();
    server.set(
        "/robots.txt",
        Route::Redirect("/policies/robots.txt".into()),
    );
    server.set(
        "/policies/robots.txt",
        Route::Page {
            status: 200,
            content_type: "text/plain",
            body: b"User-agent: *\nDisallow: /private\n".to_vec(),
        },
    );
    server.set("/private/memo", Route::html(PAGE_V1));
    let env = Env::new();
    let (code, _, err) = run(&env, &["add", &server.url("/private/memo")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("robots.txt"), "{err}");
    assert!(server.requests("/private/memo").is_empty());
}
