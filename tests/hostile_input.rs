//! Input made to hurt: pages nested absurdly deep, and what else an attacker or an unlucky
//! user hands to `prov add`. Every case ends with a clear answer, never an abort.

mod common;

use common::Env;

fn add_json(env: &Env, file: &str) -> serde_json::Value {
    let out = env.json(&["add", file]);
    assert_eq!(out.len(), 1, "{out:?}");
    out[0].clone()
}

fn article_text(env: &Env, id: &str) -> String {
    env.ok(&["cat", "--text", id])
}

#[test]
fn spans_nested_twenty_thousand_deep_are_read_not_a_crash() {
    let env = Env::new();
    let n = 20_000;
    let page = format!(
        "<html><head><title>Deep</title></head><body><article><p>{}\u{201c}We will not give up on the farmers,\u{201d} the minister said.{}</p>\
         <p>The last paragraph.</p></article></body></html>",
        "<span>".repeat(n),
        "</span>".repeat(n)
    );
    env.write("deep.html", &page);
    let added = add_json(&env, "deep.html");
    assert_eq!(added["outcome"], "added");
    let id = added["id"].as_str().unwrap();
    let text = article_text(&env, id);
    assert!(
        text.contains("We will not give up on the farmers"),
        "{text}"
    );
    assert!(text.contains("The last paragraph."), "{text}");
    // Its quotation is evidence like any other.
    let report = env.json(&["verify", "We will not give up on the farmers"]);
    assert_eq!(report[0]["verdict"], "exact");
    env.ok(&["fsck"]);
}

#[test]
fn a_hundred_thousand_unclosed_divs_are_read_in_linear_time() {
    let env = Env::new();
    let page = format!(
        "<html><body>{}<p>The story ends here.</p></body></html>",
        "<div><p>filler words ".repeat(100_000)
    );
    env.write("unclosed.html", &page);
    let added = add_json(&env, "unclosed.html");
    assert_eq!(added["outcome"], "added");
    let text = article_text(&env, added["id"].as_str().unwrap());
    assert!(text.contains("The story ends here."));
    assert_eq!(
        text.matches("filler words").count(),
        100_000,
        "no word lost"
    );
}

const DZHELAL: &str = "Putin promised to consider it, but nothing changed for three years";
/// The opening words of the quotation holding it, as `prov quotes` lists them.
const DZHELAL_WORDS: &str = "President Erdogan called Putin";

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.prov().args(args).output().expect("run prov");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seeded() -> Env {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    env
}

fn quote_count(env: &Env) -> usize {
    env.json(&["quotes"]).len()
}

#[test]
fn an_empty_database_is_damage_and_repair_rebuilds_it_from_the_objects() {
    let env = seeded();
    let quotes = quote_count(&env);
    let db = env.path().join(".prov/prov.db");
    std::fs::write(&db, b"").unwrap();

    let (code, out, err) = run(&env, &["fsck"]);
    assert_eq!(code, 1, "damage is a finding: {out}{err}");
    assert!(out.contains("database") && out.contains("empty"), "{out}");
    let (code, _, err) = run(&env, &["verify", DZHELAL]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fsck --repair"),
        "the hint names the fix: {err}"
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().len(),
        0,
        "nothing wrote into it"
    );

    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rebuilt 5 documents"), "{err}");
    let aside: Vec<_> = std::fs::read_dir(env.path().join(".prov"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("prov.db.damaged-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept");
    assert_eq!(env.doc_count(), 5);
    assert_eq!(quote_count(&env), quotes, "every quotation extracted again");
    let report = env.json(&["verify", DZHELAL]);
    assert_eq!(report[0]["verdict"], "exact");
    // Adding the folder again records the paths the lost database knew.
    env.ok(&["add", "seeds"]);
    assert_eq!(env.doc_count(), 5);
    env.ok(&["fsck"]);
}

#[test]
fn a_missing_or_malformed_database_is_reported_not_taken_for_an_empty_store() {
    let env = seeded();
    let db = env.path().join(".prov/prov.db");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].copy_from_slice(&[0x5a; 100]);
    std::fs::write(&db, &bytes).unwrap();
    let (code, out, _) = run(&env, &["fsck"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("malformed"), "{out}");
    let (code, _, err) = run(&env, &["add", "seeds"]);
    assert_eq!(code, 2, "add does not write into a damaged database: {err}");

    std::fs::remove_file(&db).unwrap();
    let (code, out, _) = run(&env, &["fsck", "--json"]);
    assert_eq!(code, 1);
    assert!(out.contains("missing"), "{out}");
    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(env.doc_count(), 5);
}

#[test]
fn a_damaged_object_is_never_evidence_and_adding_the_original_repairs_it() {
    let env = seeded();
    let report = env.json(&["verify", DZHELAL]);
    let id = report[0]["evidence"][0]["doc"].as_str().unwrap().to_owned();
    let object = env
        .path()
        .join(".prov/objects")
        .join(&id[..2])
        .join(&id[2..]);
    let original = std::fs::read(&object).unwrap();
    let mut bytes = original.clone();
    let at = bytes.windows(5).position(|w| w == b"three").unwrap();
    bytes[at..at + 5].copy_from_slice(b"seven");
    let mut perms = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, &bytes).unwrap();

    let (code, out, err) = run(&env, &["verify", DZHELAL]);
    assert_eq!(code, 2, "an error, not a verdict: {out}{err}");
    assert!(err.contains("damaged") && err.contains(&id[..12]), "{err}");
    let (code, _, _) = run(&env, &["cat", &id]);
    assert_eq!(code, 2, "cat does not serve damaged bytes");
    let (code, out, _) = run(&env, &["show", &id[..12]]);
    assert_eq!(code, 1, "show says so: {out}");
    assert!(out.contains("damaged:"), "{out}");
    assert_eq!(run(&env, &["fsck"]).0, 1);

    env.ok(&["add", "seeds"]);
    assert_eq!(std::fs::read(&object).unwrap(), original, "repaired");
    let report = env.json(&["verify", DZHELAL]);
    assert_eq!(report[0]["verdict"], "exact");
    env.ok(&["fsck"]);

    // Damaged again, and a repair runs before the original is found: it has no text to
    // extract from, so the document is left without quotations or index entries. Adding
    // the original then restores those too, not only the bytes.
    let quotes_before = env.ok(&["quotes", "--doc", &id[..12]]);
    assert!(quotes_before.contains(DZHELAL_WORDS), "{quotes_before}");
    std::fs::write(&object, &bytes).unwrap();
    let (code, out, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 1, "the damage it could not repair: {out}{err}");
    let (_, out, _) = run(&env, &["quotes", "--doc", &id[..12]]);
    assert!(!out.contains(DZHELAL_WORDS), "{out}");
    let added = env.ok(&["add", "seeds"]);
    assert!(added.contains("restored"), "{added}");
    assert_eq!(env.ok(&["quotes", "--doc", &id[..12]]), quotes_before);
    let report = env.json(&["verify", DZHELAL]);
    assert_eq!(report[0]["verdict"], "exact", "{report:?}");
    assert_eq!(report[0]["documents"], 1, "listed once: {report:?}");
    env.ok(&["fsck"]);
}

#[test]
fn files_larger_than_the_limit_and_devices_are_refused_with_the_fix() {
    let env = Env::new();
    env.write("big.txt", "word ".repeat(300_000));
    let (code, _, err) = run(&env, &["add", "--max-size", "1M", "big.txt"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("larger than 1048576 bytes") && err.contains("--max-size"),
        "{err}"
    );
    env.ok(&["add", "--max-size", "2M", "big.txt"]);

    #[cfg(unix)]
    {
        let (code, _, err) = run(&env, &["add", "/dev/zero"]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("not a regular file"), "{err}");
        let fifo = env.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let (code, _, err) = run(&env, &["add", "pipe"]);
            assert_eq!(code, 1, "{err}");
            assert!(err.contains("not a regular file"), "{err}");
        }
    }
    // Standard input is capped too.
    let out = env
        .prov()
        .args(["add", "--max-size", "1K", "-"])
        .write_stdin("x".repeat(4096))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-size"));
}

#[cfg(unix)]
#[test]
fn links_leading_out_of_the_folder_are_not_followed() {
    let env = Env::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.txt"),
        "\u{201c}Private words of somebody else entirely,\u{201d} he said.\n",
    )
    .unwrap();
    env.write(
        "folder/own.txt",
        "\u{201c}Our own words in our own folder here,\u{201d} she said.\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        env.path().join("folder/link.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), env.path().join("folder/dir")).unwrap();
    std::os::unix::fs::symlink(
        env.path().join("folder/own.txt"),
        env.path().join("folder/inside.txt"),
    )
    .unwrap();
    let (code, _, err) = run(&env, &["add", "folder"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("leading out of the folder"), "{err}");
    assert_eq!(
        env.doc_count(),
        1,
        "only the folder's own file (linked twice)"
    );
    let (code, _, _) = run(&env, &["verify", "Private words of somebody else entirely"]);
    assert_eq!(code, 1, "nothing from outside was stored");
}

#[test]
fn a_quotation_too_long_to_align_is_refused_with_a_message() {
    let env = seeded();
    let long = "word ".repeat(prov::align::MAX_QUERY_WORDS + 1);
    let (code, _, err) = run(&env, &["verify", &long]);
    assert_eq!(code, 2);
    assert!(err.contains("verify it in parts"), "{err}");
}

#[cfg(unix)]
#[test]
fn verify_batch_refuses_an_endless_line() {
    let env = seeded();
    let (code, _, err) = run(&env, &["verify", "--batch", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 1 is longer than"), "{err}");
}

#[cfg(unix)]
#[test]
fn status_does_not_open_a_fifo_where_a_tracked_file_was() {
    let env = Env::new();
    env.write(
        "a.txt",
        "\u{201c}Words that were here before,\u{201d} she said.\n",
    );
    env.ok(&["add", "a.txt"]);
    std::fs::remove_file(env.path().join("a.txt")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(env.path().join("a.txt"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let out = env.ok(&["status"]);
    assert!(out.contains("missing") && out.contains("a.txt"), "{out}");
}

#[test]
fn repair_rebuilds_lost_derived_tables_from_the_documents() {
    let env = seeded();
    let quotes = quote_count(&env);
    let groups = env.json(&["matches"]).len();
    let before = env.json(&["verify", DZHELAL]);
    assert_eq!(before[0]["evidence"][0]["speaker"], "Mustafa Dzhemilev");
    {
        let db = rusqlite::Connection::open(env.path().join(".prov/prov.db")).unwrap();
        db.execute_batch(
            "DELETE FROM quote_grams; DELETE FROM quotes; DELETE FROM quote_groups; \
             DELETE FROM word_blocks; DELETE FROM word_segments; \
             DELETE FROM shingle_blocks; DELETE FROM shingle_segments;",
        )
        .unwrap();
    }
    assert_eq!(quote_count(&env), 0);
    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rebuilt the quotations"), "{err}");
    assert_eq!(quote_count(&env), quotes);
    assert_eq!(env.json(&["matches"]).len(), groups);
    let after = env.json(&["verify", DZHELAL]);
    assert_eq!(after[0]["verdict"], "exact");
    assert_eq!(after[0]["evidence"][0]["speaker"], "Mustafa Dzhemilev");
    // Publications were never touched.
    assert_eq!(env.doc_count(), 5);
    env.ok(&["fsck"]);
}

#[test]
fn max_size_stops_where_offsets_would_overflow() {
    let env = Env::new();
    env.write(
        "a.txt",
        "\u{201c}Short words for a short file,\u{201d} she said.\n",
    );
    let (code, _, err) = run(&env, &["add", "--max-size", "5G", "a.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("up to 2G"), "{err}");
    env.ok(&["add", "--max-size", "2G", "a.txt"]);
}

#[test]
fn a_repair_stopped_midway_is_reported_and_finished_not_taken_for_a_whole_store() {
    let env = seeded();
    let quotes = quote_count(&env);
    // What a kill of `prov fsck --repair` right after it cleared the derived tables
    // leaves: no quotations, and the record of the unfinished repair.
    prov::store::Store::open(env.path())
        .unwrap()
        .clear_derived()
        .unwrap();
    let (code, _, err) = run(&env, &["verify", DZHELAL]);
    assert_eq!(code, 2, "no answer from a half-rebuilt store: {err}");
    assert!(err.contains("fsck --repair"), "{err}");
    let (code, out, _) = run(&env, &["fsck"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("did not finish"), "{out}");
    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(quote_count(&env), quotes);
    env.ok(&["fsck"]);
    assert_eq!(env.json(&["verify", DZHELAL])[0]["verdict"], "exact");

    // A rebuild from the objects stopped midway: whatever the new database holds, it
    // is incomplete until a repair finishes.
    std::fs::write(env.path().join(".prov/prov.db.rebuilding"), b"").unwrap();
    let (code, out, _) = run(&env, &["fsck"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("incomplete"), "{out}");
    assert_eq!(
        run(&env, &["gc", "--grace", "0"]).0,
        2,
        "gc deletes nothing"
    );
    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rebuilt 5 documents"), "{err}");
    assert!(!env.path().join(".prov/prov.db.rebuilding").exists());
    assert_eq!(quote_count(&env), quotes);
    env.ok(&["fsck"]);
}

#[test]
fn damaged_pages_behind_a_sound_header_are_reported_and_repaired() {
    let env = seeded();
    let quotes = quote_count(&env);
    let db = env.path().join(".prov/prov.db");
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 3 * 4096, "{}", bytes.len());
    // A few pages near the end overwritten; the header and the schema stay sound.
    let start = (bytes.len() * 3 / 4) / 4096 * 4096;
    for b in &mut bytes[start..start + 3 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let (code, out, err) = run(&env, &["fsck"]);
    assert_eq!(
        code, 1,
        "damage is a finding, not an error of fsck: {out}{err}"
    );
    assert!(out.contains("corrupt") && out.contains("database"), "{out}");
    assert!(err.contains("fsck --repair"), "{err}");
    let (code, _, err) = run(&env, &["fsck", "--repair"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rebuilt 5 documents"), "{err}");
    assert_eq!(quote_count(&env), quotes);
    env.ok(&["fsck"]);
}
