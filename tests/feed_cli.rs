//! Feeds: `prov add --feed URL` adds every item's page once, and `prov watch` polls the
//! feeds for new items and re-fetches the pages for edits, against a server on 127.0.0.1
//! that the test starts itself.

mod common;

use common::Env;
use common::http::{Route, Server};

fn page(n: u32, figure: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Story {n}</title></head><body><article>\
         <h1>Story {n}</h1><p>The minister spoke to reporters in the capital on day {n}.</p>\
         <p>&ldquo;We will rebuild {figure} schools before the winter comes,&rdquo; the minister said.</p>\
         </article></body></html>"
    )
}

fn rss(server: &Server, items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|n| {
            format!(
                "<item><title>Story {n}</title><link>{}</link><guid>story-{n}</guid></item>",
                server.url(&format!("/story/{n}"))
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Courier</title>\
         <link>{}</link>{items}</channel></rss>",
        server.url("/")
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

#[test]
fn a_feed_adds_each_item_once_and_watch_finds_new_items_and_edits() {
    let server = Server::start();
    for n in 1..=4 {
        server.set(&format!("/story/{n}"), Route::html(page(n, "twelve")));
    }
    server.set(
        "/feed.xml",
        Route::Page {
            status: 200,
            content_type: "application/rss+xml",
            body: rss(&server, &[1, 2, 3]).into_bytes(),
        },
    );
    let env = Env::new();
    let feed = server.url("/feed.xml");
    let (code, out, err) = run(&env, &["add", "--feed", &feed]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.lines().filter(|l| l.ends_with("added")).count(),
        3,
        "{out}"
    );
    assert!(err.contains("3 items, 3 new"), "{err}");
    assert_eq!(env.doc_count(), 3);

    // A re-poll fetches no item page again.
    let before = server.requests("/story/1").len();
    let (code, out, err) = run(&env, &["watch", "--feeds-only"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("3 items, 0 new"), "{err}");
    assert_eq!(server.requests("/story/1").len(), before);
    assert_eq!(env.doc_count(), 3);

    // A new item, and an edit of a page already stored.
    server.set(
        "/feed.xml",
        Route::Page {
            status: 200,
            content_type: "application/rss+xml",
            body: rss(&server, &[1, 2, 3, 4]).into_bytes(),
        },
    );
    server.set("/story/2", Route::html(page(2, "eleven")));
    let (code, out, err) = run(&env, &["watch", "--exit-code"]);
    assert_eq!(code, 1, "an edit was found: {out}{err}");
    assert!(out.contains("/story/4  added"), "{out}");
    assert!(out.contains("/story/2  new version 2"), "{out}");
    assert!(
        !out.contains("/story/1"),
        "unchanged pages are not listed: {out}"
    );
    assert!(
        err.contains("1 new page; 3 pages re-fetched: 1 edited"),
        "{err}"
    );
    assert_eq!(env.doc_count(), 5);
    // The edit is what `check --sources` reports too.
    let (code, out, _) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 1);
    assert!(out.contains("twelve"), "{out}");

    let (_, json, _) = run(&env, &["--json", "watch"]);
    let events: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "feed");
    assert_eq!(events[0]["items"], 4);
    assert_eq!(events[0]["new_items"], 0);
    let listed = env.json(&["watch", "--list"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["url"], feed.as_str());
    assert_eq!(listed[0]["items"], 4);
    assert_eq!(listed[0]["title"], "Courier");
    let human = env.ok(&["watch", "--list"]);
    assert!(
        human.contains("4 items") && human.contains("(Courier)"),
        "{human}"
    );
    env.ok(&["fsck"]);
}

#[test]
fn a_feed_is_polled_conditionally_and_bad_feeds_are_errors() {
    let server = Server::start();
    server.set("/story/1", Route::html(page(1, "twelve")));
    let body = rss(&server, &[1]).into_bytes();
    server.set(
        "/feed",
        Route::Tagged {
            etag: "\"f1\"",
            body,
        },
    );
    let env = Env::new();
    env.ok(&["add", "--feed", &server.url("/feed")]);
    let (code, _, err) = run(&env, &["watch", "--feeds-only"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not modified"), "{err}");
    let asked = server.requests("/feed")[1].to_ascii_lowercase();
    assert!(asked.contains("if-none-match: \"f1\""), "{asked}");

    server.set("/notafeed", Route::html(page(9, "nine")));
    let (code, _, err) = run(&env, &["add", "--feed", &server.url("/notafeed")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not an RSS, Atom or JSON Feed"), "{err}");
    let (code, _, err) = run(&env, &["add", "--feed", &server.url("/missing")]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("404"), "{err}");
    let (code, _, err) = run(&env, &["add", "--feed", "local.xml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--feed takes the URLs"), "{err}");
}

#[test]
fn a_feed_item_dates_the_page_that_gives_no_date_of_its_own() {
    let server = Server::start();
    // Story 1 says nothing about when it was published; story 2 does, and it wins.
    server.set("/story/1", Route::html(page(1, "nine")));
    let dated = page(2, "ten").replace(
        "<title>",
        "<meta property=\"article:published_time\" content=\"2025-03-01T08:00:00Z\"><title>",
    );
    server.set("/story/2", Route::html(dated));
    let item = |n: u32, date: &str| {
        format!(
            "<item><title>Story {n}</title><link>{}</link><guid>s-{n}</guid>\
             <pubDate>{date}</pubDate><dc:creator>Ana Ruiz</dc:creator></item>",
            server.url(&format!("/story/{n}"))
        )
    };
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Courier</title>{}{}\
         </channel></rss>",
        item(1, "Mon, 02 Jun 2025 09:15:00 +0000"),
        item(2, "Wed, 04 Jun 2025 10:00:00 +0000")
    );
    server.set(
        "/feed.xml",
        Route::Page {
            status: 200,
            content_type: "application/rss+xml",
            body: body.into_bytes(),
        },
    );
    let env = Env::new();
    env.ok(&["add", "--feed", &server.url("/feed.xml")]);
    let docs = env.json(&["log"]);
    let by_url = |n: u32| {
        let url = server.url(&format!("/story/{n}"));
        docs.iter()
            .find(|d| d["url"] == url.as_str())
            .unwrap_or_else(|| panic!("no document for {url}: {docs:?}"))
            .clone()
    };
    let first = by_url(1);
    assert_eq!(first["published"], "2025-06-02T09:15:00Z", "{first}");
    assert_eq!(first["author"], "Ana Ruiz", "{first}");
    assert_eq!(
        first["publications"][0]["published"], "2025-06-02T09:15:00Z",
        "{first}"
    );
    let second = by_url(2);
    assert_eq!(second["published"], "2025-03-01T08:00:00Z", "{second}");
    // In publication order, the page that dates itself earlier comes first.
    let human = env.ok(&["log", "--since", "2025-01-01"]);
    assert!(human.contains("2025-06-02"), "{human}");

    // Edited later, the page still gives no date: its new version keeps the item's.
    server.set("/story/1", Route::html(page(1, "eleven")));
    env.ok(&["watch"]);
    let docs = env.json(&["log"]);
    let url = server.url("/story/1");
    let versions: Vec<&serde_json::Value> =
        docs.iter().filter(|d| d["url"] == url.as_str()).collect();
    assert_eq!(versions.len(), 2, "{docs:?}");
    assert!(
        versions
            .iter()
            .all(|d| d["published"] == "2025-06-02T09:15:00Z" && d["author"] == "Ana Ruiz"),
        "{versions:?}"
    );
}

#[test]
fn a_json_feed_with_its_own_media_type_is_read_and_items_with_credentials_are_seen_once() {
    let server = Server::start();
    for n in 1..=2 {
        server.set(&format!("/story/{n}"), Route::html(page(n, "twelve")));
    }
    let with_credentials = server
        .url("/story/2")
        .replacen("http://", "http://kim:s3cret@", 1);
    let body = format!(
        r#"{{"version": "https://jsonfeed.org/version/1.1", "title": "Courier",
            "items": [{{"id": "1", "url": "{}"}}, {{"id": "2", "url": "{with_credentials}"}},
                      {{"id": "3", "url": "javascript:void(0)"}}]}}"#,
        server.url("/story/1")
    );
    server.set(
        "/feed.json",
        Route::Page {
            status: 200,
            content_type: "application/feed+json",
            body: body.into_bytes(),
        },
    );
    let env = Env::new();
    let feed = server.url("/feed.json");
    let (code, out, err) = run(&env, &["add", "--feed", &feed]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(env.json(&["log"]).len(), 2, "{out}{err}");
    assert!(
        !out.contains("s3cret") && !err.contains("s3cret"),
        "{out}{err}"
    );
    // Polled again, no item is new: each page was fetched once.
    let (code, out, err) = run(&env, &["watch", "--feeds-only"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("2 items, 0 new"), "{err}");
    assert_eq!(server.requests("/story/1").len(), 1);
    assert_eq!(server.requests("/story/2").len(), 1);
}

#[test]
fn watch_and_check_sources_take_the_size_limit_add_takes() {
    let server = Server::start();
    server.set("/story/1", Route::html(page(1, "twelve")));
    let env = Env::new();
    let url = server.url("/story/1");
    env.ok(&["add", &url]);
    // Edited, and grown past a small limit.
    let grown = page(1, "eleven").replace(
        "</article>",
        &format!("<p>{}</p></article>", "x ".repeat(2000)),
    );
    server.set("/story/1", Route::html(grown));
    for args in [
        &["watch", "--max-size", "1K"][..],
        &["check", "--sources", "--max-size", "1K"],
    ] {
        let (_, out, err) = run(&env, args);
        assert!(
            format!("{out}{err}").contains("larger than 1024 bytes"),
            "{args:?}: {out}{err}"
        );
    }
    assert_eq!(
        env.json(&["log", "--versions", &url]).len(),
        1,
        "nothing past the limit stored"
    );
    let (code, out, err) = run(&env, &["watch", "--max-size", "1M"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(env.json(&["log", "--versions", &url]).len(), 2);
}
