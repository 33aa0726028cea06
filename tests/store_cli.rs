//! The store and document commands, run as a user runs them.

mod common;

use common::{Env, b3};
use predicates::prelude::*;

#[test]
fn ids_are_blake3_of_the_exact_bytes() {
    let env = Env::new();
    env.with_seeds();
    let added = env.json(&["add", "seeds"]);
    assert_eq!(added.len(), 5);
    for a in &added {
        let path = a["path"].as_str().unwrap();
        let bytes = std::fs::read(env.path().join(path)).unwrap();
        assert_eq!(a["id"], b3(&bytes), "{path}");
        assert_eq!(a["outcome"], "added");
    }
}

#[test]
fn seeds_are_byte_for_byte_the_shared_originals() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !shared.is_dir() {
        eprintln!("skipping: {} not present", shared.display());
        return;
    }
    let mut n = 0;
    for entry in std::fs::read_dir(&shared).unwrap() {
        let entry = entry.unwrap();
        let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(entry.file_name());
        assert_eq!(
            std::fs::read(&ours).unwrap(),
            std::fs::read(entry.path()).unwrap()
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn sidecars_named_beside_their_files_are_read_not_stored() {
    let env = Env::new();
    env.with_seeds();
    // What `prov add seeds/*` passes: every file, sidecars included.
    let mut names: Vec<String> = std::fs::read_dir(env.path().join("seeds"))
        .unwrap()
        .map(|e| format!("seeds/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 10);
    let mut args = vec!["add"];
    args.extend(names.iter().map(String::as_str));
    env.ok(&args);
    let log = env.json(&["log"]);
    assert_eq!(log.len(), 5, "{log:?}");
    // The sidecars were read: the seeds keep their outlets.
    assert!(log.iter().any(|d| d["outlet"] == "Ukrinform"), "{log:?}");
}

#[test]
fn adding_twice_is_a_no_op_that_says_so() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let before = env.json(&["log"]);
    let again = env.prov().args(["add", "seeds"]).assert().success();
    let stdout = String::from_utf8(again.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout.matches("unchanged (already stored)").count(),
        5,
        "{stdout}"
    );
    assert_eq!(env.doc_count(), 5);
    let log = env.json(&["log", "--versions", "seeds/000_7411fa9ae28921ad.txt"]);
    assert_eq!(log.len(), 1);
    assert_eq!(
        env.json(&["log"]),
        before,
        "a repeated add changed stored rows"
    );
}

/// The ids `prov log ARGS` lists, in its order.
fn log_ids(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["log"];
    all.extend_from_slice(args);
    env.json(&all)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn log_filters_by_date_outlet_author_and_count() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let ids = |args: &[&str]| log_ids(&env, args);
    let every = ids(&[]);
    assert_eq!(every.len(), 5);
    let outlet_of = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["log"];
        all.extend_from_slice(args);
        env.json(&all)
            .iter()
            .map(|d| d["outlet"].as_str().unwrap_or("-").to_owned())
            .collect()
    };
    // Dated 2025-06-23 and 2017-10-25; the other three are undated and meet no date.
    assert_eq!(outlet_of(&["--since", "2025-01-01"]), ["Ukrinform"]);
    assert_eq!(ids(&["--until", "2025-06-22"]).len(), 1);
    assert_eq!(
        ids(&["--since", "2017-10-25", "--until", "2025-06-23"]).len(),
        2
    );
    assert!(ids(&["--since", "2025-06-24"]).is_empty());
    // Outlet and author match ignoring case, anywhere in the name.
    assert_eq!(outlet_of(&["--outlet", "anadolu"]), ["Anadolu Agency"]);
    let kupfer = env.json(&["log", "--author", "kupfer"]);
    assert_eq!(kupfer.len(), 1);
    assert_eq!(kupfer[0]["author"], "Matthew Kupfer");
    assert!(ids(&["--outlet", "Ukrinform", "--until", "2020-01-01"]).is_empty());
    // -n keeps the first N of the same order.
    assert_eq!(ids(&["-n", "2"]), every[..2]);
    // A date that is not one is refused with the form it needs.
    let out = env
        .prov()
        .args(["log", "--since", "23/06/2025"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn sidecars_supply_metadata_and_flags_override() {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let log = env.json(&["log"]);
    let ukr = log
        .iter()
        .find(|d| d["outlet"] == "Ukrinform")
        .expect("Ukrinform doc");
    assert_eq!(ukr["published"], "2025-06-23");
    assert_eq!(
        ukr["title"],
        "Prisoners as weapons: Russia keeps Crimean Tatars as hostages of resistance"
    );
    // Newest first: the 2025 article comes before the 2017 one.
    let pos = |outlet_or_author: &str| {
        log.iter()
            .position(|d| d["outlet"] == outlet_or_author || d["author"] == outlet_or_author)
            .unwrap()
    };
    assert!(pos("Ukrinform") < pos("Matthew Kupfer"));

    env.write("a.txt", "text");
    env.write(
        "a.txt.meta.json",
        r#"{"title": "From sidecar", "outlet": "Sidecar Times"}"#,
    );
    let added = env.json(&["add", "a.txt", "--title", "From flag"]);
    let id = added[0]["id"].as_str().unwrap();
    let shown = env.json(&["show", id]);
    assert_eq!(shown[0]["document"]["title"], "From flag");
    assert_eq!(shown[0]["document"]["outlet"], "Sidecar Times");
}

#[test]
fn prefixes_resolve_and_ambiguous_ones_list_candidates() {
    let env = Env::new();
    // Find two contents whose ids share their first four hex digits.
    let mut seen = std::collections::HashMap::new();
    let (a, b) = (0..100_000)
        .find_map(|i| {
            let text = format!("document number {i}\n");
            let prefix = b3(text.as_bytes())[..4].to_owned();
            seen.insert(prefix, text.clone()).map(|other| (other, text))
        })
        .unwrap();
    env.write("a.txt", &a);
    env.write("b.txt", &b);
    env.ok(&["add", "a.txt", "b.txt"]);
    let (ida, idb) = (b3(a.as_bytes()), b3(b.as_bytes()));

    assert_eq!(env.ok(&["cat", &ida[..12]]), a);
    assert_eq!(env.ok(&["cat", &ida.to_uppercase()]), a);
    env.prov()
        .args(["show", &ida[..4]])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ambiguous"))
        .stderr(predicate::str::contains(&ida[..12]))
        .stderr(predicate::str::contains(&idb[..12]));
    env.prov()
        .args(["show", "abc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 4 hex"));
    env.prov()
        .args(["show", "0000000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no document matches"));
}

#[test]
fn cat_prints_the_exact_bytes() {
    let env = Env::new();
    let bytes = "\u{feff}BOM and “curly” quotes\r\nsecond line\r\n".as_bytes();
    env.write("bom.txt", bytes);
    env.ok(&["add", "bom.txt"]);
    let out = env.prov().args(["cat", &b3(bytes)[..8]]).output().unwrap();
    assert_eq!(out.stdout, bytes);
}

#[test]
fn binary_and_invalid_input_is_refused_and_adds_nothing() {
    let env = Env::new();
    env.write("bin.dat", b"PK\x03\x04\x00\x00binary");
    env.write("latin1.txt", b"caf\xe9 au lait");
    env.prov()
        .args(["add", "bin.dat"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bin.dat"))
        .stderr(predicate::str::contains("NUL byte"));
    env.prov()
        .args(["add", "latin1.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("latin1.txt"))
        .stderr(predicate::str::contains("not valid UTF-8"))
        .stderr(predicate::str::contains("iconv"));
    assert_eq!(env.doc_count(), 0);
    // No object was written for refused input.
    assert_eq!(env.object_count(), 0);
}

#[test]
fn directory_add_reports_refused_files_and_adds_the_rest() {
    let env = Env::new();
    env.write("docs/good1.txt", "one");
    env.write("docs/bad.bin", b"\x00\x01\x02");
    env.write("docs/sub/good2.txt", "two");
    env.write("docs/.hidden/skip.txt", "hidden");
    env.write("docs/good1.txt.meta.toml", "title = \"Good\"\n");
    let out = env.prov().args(["add", "docs"]).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("bad.bin"), "{stderr}");
    assert!(
        stderr.contains("2 added") && stderr.contains("1 refused"),
        "{stderr}"
    );
    let log = env.json(&["log"]);
    assert_eq!(log.len(), 2);
    assert!(log.iter().any(|d| d["title"] == "Good"));
}

#[test]
fn utf16_with_bom_is_text() {
    let env = Env::new();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "“Quoted,” she said."
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    env.write("u16.txt", &bytes);
    let added = env.json(&["add", "u16.txt"]);
    assert_eq!(added[0]["id"], b3(&bytes));
    let cat = env.json(&["cat", &b3(&bytes)[..8]]);
    assert_eq!(cat[0]["text"], "“Quoted,” she said.");
    assert_eq!(cat[0]["encoding"], "utf-16le");
}

#[test]
fn versions_of_one_url_are_linked_in_order() {
    let env = Env::new();
    let url = "https://example.org/article";
    let texts = ["first version", "second version, edited", "third version"];
    for t in texts {
        env.write("article.txt", t);
        env.ok(&["add", "article.txt", "--url", url, "--outlet", "Example"]);
    }
    let versions = env.json(&["log", "--versions", url]);
    let ids: Vec<_> = versions
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<_> = texts.iter().map(|t| b3(t.as_bytes())).collect();
    assert_eq!(ids, want);
    let seqs: Vec<_> = versions
        .iter()
        .map(|v| v["version"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3]);

    let shown = env.ok(&["show", &want[1][..8]]);
    assert!(
        shown.contains(&format!("version 2 of 3 of {url}")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("previous {}", &want[0][..12])),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("next {}", &want[2][..12])),
        "{shown}"
    );

    // Without a URL, the path is the source.
    env.write("notes.txt", "v1");
    env.ok(&["add", "notes.txt"]);
    env.write("notes.txt", "v2");
    let added = env.json(&["add", "notes.txt"]);
    assert_eq!(added[0]["outcome"], "new-version");
    assert_eq!(added[0]["previous"], b3(b"v1"));
    assert_eq!(env.json(&["log", "--versions", "notes.txt"]).len(), 2);
}

#[test]
fn url_with_several_files_is_a_usage_error() {
    let env = Env::new();
    env.write("a.txt", "a");
    env.write("b.txt", "b");
    env.prov()
        .args(["add", "a.txt", "b.txt", "--url", "https://x.test/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--url names one source"));
    assert_eq!(env.doc_count(), 0);
}

#[test]
fn stdin_is_a_document() {
    let env = Env::new();
    let added = env
        .prov()
        .args(["--json", "add", "-", "--title", "Piped"])
        .write_stdin("from a pipe\n")
        .output()
        .unwrap();
    assert!(added.status.success());
    let line: serde_json::Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!(line["id"], b3(b"from a pipe\n"));
    assert_eq!(line["path"], "-");
}

#[test]
fn bad_dates_are_usage_errors() {
    let env = Env::new();
    env.write("a.txt", "a");
    env.prov()
        .args(["add", "a.txt", "--published", "23/06/2025"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid date \"23/06/2025\""));
    env.ok(&["add", "a.txt", "--published", "2025-06-23T08:42:00+03:00"]);
    assert_eq!(env.json(&["log"])[0]["published"], "2025-06-23T05:42:00Z");
}

#[test]
fn store_is_found_from_subdirectories_with_c_and_prov_dir() {
    let env = Env::new();
    env.write("sub/deeper/a.txt", "a");
    env.prov()
        .current_dir(env.path().join("sub/deeper"))
        .args(["add", "a.txt"])
        .assert()
        .success();
    assert_eq!(env.doc_count(), 1);

    let outside = Env::bare();
    outside
        .prov()
        .arg("log")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a prov store"))
        .stderr(predicate::str::contains("prov init"));
    let c = outside
        .prov()
        .args(["-C"])
        .arg(env.url.clone().unwrap_or_else(|| env.name()))
        .args(["--json", "log"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&c.stdout).lines().count(), 1);
    outside
        .prov()
        .env(
            "PROV_DIR",
            env.url
                .clone()
                .unwrap_or_else(|| env.path().join(".prov").to_string_lossy().into_owned()),
        )
        .arg("log")
        .assert()
        .success();
    outside
        .prov()
        .env("PROV_DIR", env.name())
        .arg("log")
        .assert()
        .success();
}

#[test]
fn status_reports_unchanged_modified_and_missing() {
    let env = Env::new();
    env.write("a.txt", "a");
    env.write("b.txt", "b");
    env.write("c.txt", "c");
    env.ok(&["add", "a.txt", "b.txt", "c.txt"]);
    env.write("b.txt", "b changed");
    std::fs::remove_file(env.path().join("c.txt")).unwrap();
    let out = env.ok(&["status"]);
    assert!(out.contains("modified   b.txt"), "{out}");
    assert!(out.contains("missing    c.txt"), "{out}");
    assert!(!out.contains("a.txt"), "{out}");
    let all = env.ok(&["status", "--all"]);
    assert!(all.contains("unchanged  a.txt"), "{all}");
    let json = env.json(&["status"]);
    let states: Vec<_> = json.iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["unchanged", "modified", "missing"]);
}

#[test]
fn fsck_catches_a_corrupted_and_a_deleted_object() {
    let env = Env::new();
    env.write("a.txt", "alpha");
    env.write("b.txt", "beta");
    env.ok(&["add", "a.txt", "b.txt"]);
    env.prov().arg("fsck").assert().success();

    env.tamper_object(&b3(b"alpha"), b"alpha, tampered");
    env.delete_object(&b3(b"beta"));

    let out = env.prov().arg("fsck").assert().code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains(&format!("corrupt   {}", b3(b"alpha"))),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("missing   {}", b3(b"beta"))),
        "{stdout}"
    );
    let json = env.prov().args(["--json", "fsck"]).assert().code(1);
    let report: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"].as_array().unwrap().len(), 2);
}

#[test]
fn two_concurrent_adds_both_succeed() {
    let env = Env::new();
    for i in 0..300 {
        env.write(
            &format!("one/{i}.txt"),
            format!("first set, document {i}\n").repeat(20),
        );
        env.write(
            &format!("two/{i}.txt"),
            format!("second set, document {i}\n").repeat(20),
        );
        // Some bytes in common, so both processes race to store the same objects.
        env.write(&format!("one/shared{i}.txt"), format!("shared {i}"));
        env.write(&format!("two/shared{i}.txt"), format!("shared {i}"));
    }
    let spawn = |dir: &str| {
        env.process()
            .args(["add", dir])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("one"), spawn("two"));
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(env.doc_count(), 900);
    env.prov().arg("fsck").assert().success();
}

#[cfg(unix)]
#[test]
fn add_killed_midway_leaves_a_sound_store_and_rerun_completes() {
    let env = Env::new();
    let n = 3000;
    let para = "A paragraph of reporting that repeats to give the file some weight. ".repeat(300);
    for i in 0..n {
        env.write(&format!("corpus/{i:05}.txt"), format!("{i}\n{para}"));
    }
    let mut killed_midway = false;
    for _attempt in 0..5 {
        let mut child = env
            .process()
            .args(["add", "corpus"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill once some objects are written, while the add is still going.
        let start = std::time::Instant::now();
        while env.object_count() < 300 && start.elapsed().as_secs() < 30 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let count = env.doc_count();
        env.prov().arg("fsck").assert().success();
        if count < n {
            killed_midway = true;
            break;
        }
    }
    assert!(killed_midway, "the add always finished before the kill");
    env.prov().args(["add", "corpus"]).assert().success();
    assert_eq!(env.doc_count(), n);
    env.prov().arg("fsck").assert().success();
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    for i in 0..3000 {
        env.write(&format!("d/{i}.txt"), format!("doc {i}"));
    }
    env.ok(&["add", "d"]);
    // Human and JSON output alike (the JSON writer once reported the closed pipe as an
    // error of its own).
    for args in [&["log"][..], &["--json", "log"]] {
        let mut child = env
            .process()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is dropped here, closing the pipe, as `prov log | head -1` does.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_version_and_completions() {
    let env = Env::bare();
    env.prov()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("prov "));
    env.prov()
        .arg("help")
        .assert()
        .success()
        .stdout(predicate::str::contains("add"));
    for shell in ["bash", "zsh", "fish"] {
        env.prov()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("prov"));
    }
    env.prov().arg("frobnicate").assert().code(2);
}

#[test]
fn init_twice_keeps_the_store() {
    let env = Env::new();
    env.write("a.txt", "a");
    env.ok(&["add", "a.txt"]);
    let again = env.ok(&["init"]);
    assert!(
        again.starts_with("Reinitialized existing prov store"),
        "{again}"
    );
    assert_eq!(env.doc_count(), 1);
}

#[test]
fn a_title_cannot_print_a_row_or_a_terminal_command_of_its_own() {
    let env = Env::new();
    env.write(
        "story.txt",
        "“We will rebuild every school before winter comes,” the mayor said.\n",
    );
    env.write(
        "story.txt.meta.toml",
        "title = \"Schools\\nffffffffffff  2020-01-01  Forged  \\u001b[8mhidden\"\noutlet = \"Valley\\tPost\"\n",
    );
    env.ok(&["add", "story.txt"]);
    let log = env.ok(&["log"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(!log.contains('\u{1b}'), "{log:?}");
    assert!(log.contains("Valley Post"), "{log}");
    let shown = &env.json(&["show", "story.txt"])[0];
    assert_eq!(
        shown["document"]["title"], "Schools ffffffffffff 2020-01-01 Forged \u{1b}[8mhidden",
        "the stored title keeps every character, on one line"
    );
}

#[test]
fn log_pages_through_the_store_in_one_order() {
    let env = Env::new();
    for n in 0..12 {
        env.write(
            &format!("d/{n:02}.txt"),
            format!("“We met on day {n} of the talks,” the envoy said.\n"),
        );
        env.write(
            &format!("d/{n:02}.txt.meta.toml"),
            format!("published = 2024-01-{:02}\n", 28 - n % 5),
        );
    }
    env.ok(&["add", "d"]);
    let ids = |args: &[&str]| log_ids(&env, args);
    let every = ids(&[]);
    assert_eq!(every.len(), 12);
    // Across the first pages read (8, then more).
    assert_eq!(ids(&["-n", "10"]), every[..10]);
    assert_eq!(ids(&["-n", "8"]), every[..8]);
    assert!(ids(&["-n", "0"]).is_empty());
    let dates: Vec<String> = env
        .json(&["log"])
        .iter()
        .map(|d| d["published"].as_str().unwrap().to_owned())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[test]
fn two_saved_copies_of_one_page_make_no_versions_when_added_again() {
    let env = Env::new();
    let url = "https://news.example/story";
    env.write(
        "saved/monday.txt",
        "“We will rebuild every school before winter comes,” the mayor said.\n",
    );
    env.write(
        "saved/tuesday.txt",
        "“We will rebuild every school before the winter comes,” the mayor said.\n",
    );
    for day in ["monday", "tuesday"] {
        env.write(
            &format!("saved/{day}.txt.meta.toml"),
            format!("url = \"{url}\"\n"),
        );
    }
    env.ok(&["add", "saved"]);
    assert_eq!(env.json(&["log", "--versions", url]).len(), 2);
    env.ok(&["add", "saved"]);
    env.ok(&["add", "saved/monday.txt"]);
    assert_eq!(
        env.json(&["log", "--versions", url]).len(),
        2,
        "nothing was edited"
    );
    // Each file is still found by its path, and names the URL's history.
    env.ok(&["show", "saved/monday.txt"]);
    assert_eq!(
        env.json(&["log", "--versions", "saved/monday.txt"]).len(),
        2
    );
}
