//! Web archives as sources: `prov add` of WARC files (plain and gzipped, as Webrecorder,
//! ArchiveBox, the Internet Archive and Common Crawl write them) and WACZ packages, built
//! by the tests record by record.

mod common;

use std::io::Write;

use common::Env;
use serde_json::Value;

const ARTICLE: &str = r#"<!DOCTYPE html><html><head><title>Tatar leader speaks</title>
<meta property="og:site_name" content="The Courier"></head><body><article>
<h1>Tatar leader: nothing changed for three years</h1>
<p>Mustafa Dzhemilev, the veteran Crimean Tatar leader, spoke on Monday in Kyiv.</p>
<p>&ldquo;Putin promised to consider it, but nothing changed for three years,&rdquo; Dzhemilev said.</p>
</article>NONCE</body></html>"#;

const OTHER: &str = r#"<!DOCTYPE html><html><head><title>Court</title></head><body><article>
<p>His lawyer, Nikolai Polozov, spoke outside the court on Tuesday afternoon.</p>
<p>&ldquo;The court told us to wait once more, and we waited patiently,&rdquo; Polozov said.</p>
</article></body></html>"#;

fn record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        common::b3(uri.as_bytes())[..32].to_owned(),
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uri: &str, date: &str, head: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!("HTTP/1.1 {head}\r\n\r\n").into_bytes();
    block.extend_from_slice(body);
    record(
        "response",
        uri,
        date,
        "application/http; msgtype=response",
        &block,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A capture session: a warcinfo record, a request, the article twice (its markup
/// changed in between, its text not), an image, a redirect, and a second article sent
/// chunked and gzipped.
fn records() -> Vec<Vec<u8>> {
    let a = "https://courier.example/news/tatar";
    let b = "https://courier.example/news/court";
    let gz = gzip(OTHER.as_bytes());
    let mut chunked = format!("{:x}\r\n", gz.len()).into_bytes();
    chunked.extend_from_slice(&gz);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        record(
            "warcinfo",
            "",
            "2024-03-01T10:00:00Z",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            a,
            "2024-03-01T10:00:00Z",
            "application/http; msgtype=request",
            b"GET /news/tatar HTTP/1.1\r\nHost: courier.example\r\n\r\n",
        ),
        response(
            a,
            "2024-03-01T10:00:00Z",
            "200 OK\r\nContent-Type: text/html; charset=utf-8",
            ARTICLE.replace("NONCE", "<script>n=1</script>").as_bytes(),
        ),
        response(
            "https://courier.example/logo.png",
            "2024-03-01T10:00:01Z",
            "200 OK\r\nContent-Type: image/png",
            b"\x89PNG\r\n\x1a\n\0\0\0",
        ),
        response(
            "https://courier.example/old",
            "2024-03-01T10:00:02Z",
            "301 Moved Permanently\r\nLocation: /news/tatar\r\nContent-Type: text/html",
            b"<a href=/news/tatar>moved</a>",
        ),
        response(
            b,
            "2024-03-02T09:30:00Z",
            "200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip",
            &chunked,
        ),
        response(
            a,
            "2024-05-07T12:00:00Z",
            "200 OK\r\nContent-Type: text/html; charset=utf-8",
            ARTICLE.replace("NONCE", "<script>n=2</script>").as_bytes(),
        ),
    ]
}

fn check_added(env: &Env, out: &str) {
    let added: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<&str> = added
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["added", "added", "same-text"], "{out}");
    let tatar = added[0]["id"].as_str().unwrap();

    // Each page is a publication of its URL at the archive's capture date.
    let shown = env.json(&["show", tatar]).remove(0);
    let fetches = shown["fetches"].as_array().unwrap();
    assert_eq!(fetches.len(), 2, "{shown}");
    assert_eq!(fetches[0]["fetched_at"], "2024-03-01T10:00:00Z");
    assert_eq!(fetches[1]["fetched_at"], "2024-05-07T12:00:00Z");
    assert_eq!(fetches[0]["url"], "https://courier.example/news/tatar");
    assert!(
        fetches[0]["archive"]
            .as_str()
            .unwrap()
            .contains("crawl.warc")
            || fetches[0]["archive"]
                .as_str()
                .unwrap()
                .contains("capture.wacz"),
        "{shown}"
    );
    // Captures someone else made are not fetched again from the live web.
    let out = env.prov().arg("watch").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("0 pages re-fetched"), "{err}");
    let publications = shown["document"]["publications"].as_array().unwrap();
    assert_eq!(publications[0]["recorded_at"], "2024-03-01T10:00:00Z");
    assert_eq!(
        env.json(&["log", "--versions", "https://courier.example/news/tatar"])
            .len(),
        1,
        "markup changed, text did not: one version"
    );
    let v = env.json(&[
        "verify",
        "The court told us to wait once more, and we waited patiently",
    ]);
    assert_eq!(v[0]["verdict"], "exact", "{v:?}");
    env.ok(&["fsck"]);
}

#[test]
fn html_responses_of_a_warc_become_publications_dated_at_capture() {
    let env = Env::new();
    let path = env.write("crawl.warc", records().concat());
    let out = env
        .prov()
        .args(["--json", "add"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 HTML pages read") && err.contains("2 other responses"),
        "{err}"
    );
    check_added(&env, &String::from_utf8_lossy(&out.stdout));
    // Adding the archive again adds nothing, not even another record of each capture.
    let fetches = |env: &Env| -> usize {
        env.json(&["log"])
            .iter()
            .map(|d| {
                env.json(&["show", d["id"].as_str().unwrap()])[0]["fetches"]
                    .as_array()
                    .unwrap()
                    .len()
            })
            .sum()
    };
    let before = fetches(&env);
    let again = env.json(&["add", path.to_str().unwrap()]);
    assert!(again.iter().all(|a| a["outcome"] != "added"), "{again:?}");
    assert_eq!(fetches(&env), before);
}

#[test]
fn a_gzipped_warc_with_a_truncated_record_adds_the_rest_and_reports_it() {
    let env = Env::new();
    let mut records = records();
    let last = records.pop().unwrap();
    // Gzipped record by record, as archivers write them; the last member cut short.
    let mut bytes: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let cut = gzip(&last[..last.len() - 200]);
    bytes.extend_from_slice(&cut);
    let path = env.write("crawl.warc.gz", bytes);
    let out = env.prov().arg("add").arg(&path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "bad input: exit 1\n{err}");
    assert!(
        err.contains("crawl.warc.gz") && err.contains("record 7") && err.contains("cut short"),
        "{err}"
    );
    assert_eq!(
        env.doc_count(),
        2,
        "the records before the damage are added"
    );
    env.ok(&["fsck"]);
}

#[test]
fn a_wacz_package_is_read_through_its_warcs() {
    let env = Env::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("datapackage.json", stored).unwrap();
    zip.write_all(br#"{"profile": "data-package", "wacz_version": "1.1.1"}"#)
        .unwrap();
    zip.start_file("archive/data.warc.gz", stored).unwrap();
    let gz: Vec<u8> = records().iter().flat_map(|r| gzip(r)).collect();
    zip.write_all(&gz).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let path = env.write("capture.wacz", bytes);
    let out = env
        .prov()
        .args(["--json", "add"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_added(&env, &String::from_utf8_lossy(&out.stdout));

    let broken = env.write("broken.wacz", b"PK\x03\x04 not really a zip");
    let out = env.prov().arg("add").arg(&broken).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("broken.wacz") && err.contains("zip"), "{err}");
}

#[test]
fn credentials_in_a_captured_url_are_never_stored() {
    let env = Env::new();
    let page = b"<html><head><title>T</title></head><body><p>\"We will not move,\" the mayor said on Tuesday in the town hall.</p></body></html>";
    let bytes = response(
        "https://carol:Pa55word@courier.example/news/private",
        "2019-03-03T00:00:00Z",
        "200 OK\r\nContent-Type: text/html; charset=utf-8",
        page,
    );
    let path = env.write("creds.warc", bytes);
    let out = env.ok(&["add", path.to_str().unwrap()]);
    assert!(!out.contains("Pa55word"), "{out}");
    let log = env.ok(&["--json", "log"]);
    assert!(!log.contains("Pa55word") && !log.contains("carol"), "{log}");
    assert!(
        log.contains("https://courier.example/news/private"),
        "{log}"
    );
    // A directory store's database file (a PostgreSQL store has none here).
    if let Ok(db) = std::fs::read(env.path().join(".prov/prov.db")) {
        assert!(!db.windows(8).any(|w| w == b"Pa55word"));
    }
}

#[test]
fn captures_become_versions_in_capture_order_whatever_order_they_are_added_in() {
    let env = Env::new();
    let url = "https://courier.example/news/tatar";
    let head = "200 OK\r\nContent-Type: text/html; charset=utf-8";
    let first = ARTICLE.replace("NONCE", "");
    let edited = first.replace("three years", "four years");
    let newer = env.write(
        "newer.warc",
        response(url, "2019-06-01T00:00:00Z", head, edited.as_bytes()),
    );
    let older = env.write(
        "older.warc",
        response(url, "2019-03-03T00:00:00Z", head, first.as_bytes()),
    );
    let versions = |env: &Env| -> Vec<(String, String)> {
        env.json(&["log", "--versions", url])
            .iter()
            .map(|v| {
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v["added_at"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let a = &env.json(&["add", newer.to_str().unwrap()])[0];
    let b = &env.json(&["add", older.to_str().unwrap()])[0];
    let want = vec![
        (
            b["id"].as_str().unwrap().to_owned(),
            "2019-03-03T00:00:00Z".to_owned(),
        ),
        (
            a["id"].as_str().unwrap().to_owned(),
            "2019-06-01T00:00:00Z".to_owned(),
        ),
    ];
    assert_eq!(versions(&env), want);
    // Adding either archive again makes no version: nothing was edited.
    env.ok(&["add", newer.to_str().unwrap()]);
    env.ok(&["add", older.to_str().unwrap()]);
    assert_eq!(versions(&env), want);
    // The current text is the later capture's: the earlier one is superseded.
    let verified = env.json(&["verify", "nothing changed for four years"]);
    assert_eq!(verified[0]["verdict"], "exact", "{verified:?}");
    env.ok(&["fsck"]);
}
