//! `prov check` over a Markdown draft that quotes the seeds: one quote faithful, one with a
//! changed word, one fabricated, one misattributed. Exactly the three bad ones are reported,
//! at their lines, in every format.

mod common;

use common::Env;
use serde_json::Value;

fn seeded_with_draft() -> Env {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    let draft = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/draft.md"),
    )
    .unwrap();
    env.write("drafts/draft.md", draft);
    env
}

fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.prov().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn the_three_bad_quotes_are_reported_at_their_lines() {
    let env = seeded_with_draft();
    let (code, out) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1);
    let findings: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, &str)> = findings
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [(5, "drifted"), (7, "unsupported"), (9, "misattributed")]
    );
    assert!(
        findings
            .iter()
            .all(|f| f["path"] == "drafts/draft.md" && f["severity"] == "error")
    );
    let diff = findings[0]["diff"].as_array().unwrap();
    assert!(
        diff.iter()
            .any(|c| c["op"] == "insert" && c["text"] == "now"),
        "{diff:?}"
    );
    assert!(
        findings[2]["message"]
            .as_str()
            .unwrap()
            .contains("Mustafa Dzhemilev")
    );
}

#[test]
fn every_format_reports_the_same_three() {
    let env = seeded_with_draft();
    let (code, human) = run(&env, &["check", "drafts/draft.md"]);
    assert_eq!(code, 1);
    for line in [
        "drafts/draft.md:5:36: error[drifted]",
        "drafts/draft.md:7:22: error[unsupported]",
        "drafts/draft.md:9:22: error[misattributed]",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }
    assert_eq!(human.matches(": error[").count(), 3);

    let (_, github) = run(&env, &["check", "--format", "github", "drafts"]);
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("::error file=drafts/draft.md,line=5,col=36,title=prov drifted::")
    );

    let (_, junit) = run(&env, &["check", "--format", "junit", "drafts"]);
    assert!(junit.starts_with("<?xml"));
    assert_eq!(junit.matches("<failure ").count(), 3);
    assert!(junit.contains(r#"failures="3""#));

    let (_, sarif) = run(&env, &["check", "--format", "sarif", "drafts"]);
    // Deserialising into types generated from the SARIF 2.1.0 schema checks the shape.
    let parsed: serde_sarif::sarif::Sarif =
        serde_json::from_str(&sarif).expect("valid SARIF 2.1.0");
    let v: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let lines: Vec<u64> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, [5, 7, 9]);
    assert_eq!(parsed.runs.len(), 1);
    // And against the OASIS SARIF 2.1.0 JSON Schema itself.
    let schema: Value = serde_json::from_slice(
        &std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The published schema's `pattern` for run.language has a stray "]" (an erratum), which
    // is not a valid regular expression; use the language-tag pattern it means.
    let mut schema = schema;
    fix_language_pattern(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn clean_drafts_pass_and_citations_bind_to_their_source() {
    let env = seeded_with_draft();
    let polozov = env
        .json(&["log"])
        .into_iter()
        .find(|d| d["author"] == "Matthew Kupfer")
        .unwrap();
    let id = polozov["id"].as_str().unwrap();
    let clean = format!(
        "Nikolai Polozov wrote: \"What everyone has long been waiting for has finally happened,\" ([source](prov:{}))\n",
        &id[..10]
    );
    env.write("clean/ok.md", clean);
    assert_eq!(run(&env, &["check", "clean"]).0, 0);

    // Cited to a source that does not hold it: unsupported there, even though another
    // document has the words.
    let seed_001 = env
        .json(&["log"])
        .into_iter()
        .find(|d| d["outlet"] == "Ukrinform")
        .unwrap();
    let wrong = format!(
        "He said: \"What everyone has long been waiting for has finally happened\" (prov:{}).\n",
        &seed_001["id"].as_str().unwrap()[..10]
    );
    env.write("cited/wrong.md", wrong);
    let (code, out) = run(&env, &["check", "--format", "json", "cited"]);
    assert_eq!(code, 1);
    assert!(out.contains(r#""kind":"unsupported""#), "{out}");
}

#[test]
fn unknown_sources_warn_and_fail_level_decides() {
    let env = seeded_with_draft();
    env.write(
        "unknown/u.md",
        "Mustafa Dzhemilev said: \"Putin promised to consider it, but nothing changed for three years\" [link](https://nowhere.example/story).\n",
    );
    let (code, out) = run(&env, &["check", "--format", "json", "unknown"]);
    assert_eq!(code, 0, "a warning does not fail at the default level");
    assert!(
        out.contains(r#""kind":"unknown-source""#) && out.contains(r#""severity":"warning""#),
        "{out}"
    );
    assert_eq!(
        run(&env, &["check", "--fail-level", "warning", "unknown"]).0,
        1
    );
    // A citation prov cannot follow (a typo in the link) does not switch the check off:
    // drifted words are still found in the rest of the store.
    env.write(
        "unknown/drift.md",
        "He said: \"What everyone has long been waiting for has at last been avoided\" [link](https://nowhere.example/typo).\n",
    );
    let (code, out) = run(&env, &["check", "--format", "json", "unknown/drift.md"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(r#""kind":"unknown-source""#) && out.contains(r#""kind":"drifted""#),
        "{out}"
    );
}

#[test]
fn an_inline_exemption_skips_one_quote() {
    let env = seeded_with_draft();
    env.write(
        "exempt/e.md",
        "<!-- prov:ignore paraphrased by the editor on purpose -->\nRustem Umerov said: \"We will hand over Crimea to Russia after the next round of talks.\"\n",
    );
    assert_eq!(run(&env, &["check", "exempt"]).0, 0);
}

#[test]
fn a_missing_draft_is_an_error() {
    let env = seeded_with_draft();
    env.prov().args(["check", "nope.md"]).assert().code(2);
}

/// Edits the seed that quotes Polozov ("has finally happened" no longer), as a stealth
/// edit would; returns its path.
fn edit_polozov_seed(env: &Env) -> &'static str {
    let path = "seeds/002_d1ff87d1d822e755.txt";
    let text = std::fs::read_to_string(env.path().join(path)).unwrap();
    env.write(
        path,
        text.replace("has finally happened", "has happened at long last"),
    );
    path
}

#[test]
fn a_source_edited_after_it_was_added_is_caught_by_sources() {
    let env = seeded_with_draft();
    let path = edit_polozov_seed(&env);
    let (code, out) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 1);
    let findings: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{out}");
    assert_eq!(findings[0]["path"], path);
    assert_eq!(findings[0]["kind"], "drifted");
    assert_eq!(findings[0]["line"], 10);
    assert!(
        findings[0]["quote"]
            .as_str()
            .unwrap()
            .contains("has finally happened")
    );
    // The edit is recorded as a new version of that source.
    let versions = env.json(&["log", "--versions", path]);
    assert_eq!(versions.len(), 2);
    // It is reported again on the next run: the state is the store's versions.
    let (code, again) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!((code, again.lines().count()), (1, 1), "{again}");
    // Until prov.toml acknowledges the new version, with a reason.
    let newest = versions[1]["id"].as_str().unwrap();
    env.write(
        "prov.toml",
        format!("[check.acknowledged]\n\"{}\" = \"\"\n", &newest[..12]),
    );
    let out = env.prov().args(["check", "--sources"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an acknowledgement needs a reason"
    );
    env.write(
        "prov.toml",
        format!(
            "[check.acknowledged]\n\"{}\" = \"the lawyer's wording was tidied\"\n",
            &newest[..12]
        ),
    );
    assert_eq!(run(&env, &["check", "--sources"]).0, 0);
}

#[test]
fn an_edit_recorded_by_add_is_reported_by_check_sources() {
    let env = seeded_with_draft();
    let path = edit_polozov_seed(&env);
    env.ok(&["add", path]);
    let (code, out) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("has finally happened"), "{out}");
}

#[test]
fn prov_toml_sets_paths_ignores_and_severities() {
    let env = seeded_with_draft();
    env.write("drafts/archive/old.md", "Rustem Umerov said: \"We will hand over Crimea to Russia after the next round of talks.\"\n");
    env.write(
        "prov.toml",
        "[check]\npaths = [\"drafts\"]\nignore = [\"drafts/archive/**\"]\n\n[check.severity]\nmisattributed = \"warning\"\n",
    );
    // No paths given: prov.toml's; the archive is ignored; misattribution is a warning.
    let (code, out) = run(&env, &["check", "--format", "json"]);
    let findings: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("drifted", "error"),
            ("unsupported", "error"),
            ("misattributed", "warning")
        ]
    );
    // Paths from prov.toml are named relative to the repository, like given ones.
    assert!(
        findings.iter().all(|f| f["path"] == "drafts/draft.md"),
        "{findings:?}"
    );
    assert_eq!(code, 1);
    // So are paths given from a subdirectory or as absolute paths.
    let (_, out) = run(
        &env,
        &["-C", "drafts", "check", "--format", "json", "draft.md"],
    );
    assert!(
        out.lines()
            .all(|l| l.contains("\"path\":\"drafts/draft.md\"")),
        "{out}"
    );
    let abs = env.path().join("drafts/draft.md");
    let (_, out) = run(
        &env,
        &["check", "--format", "github", abs.to_str().unwrap()],
    );
    assert!(
        out.lines().all(|l| l.contains("file=drafts/draft.md,")),
        "{out}"
    );

    // A wrong value is an error naming the file and the value.
    env.write("prov.toml", "[check.severity]\nmisattributed = \"loud\"\n");
    let out = env.prov().args(["check", "drafts"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("prov.toml") && err.contains("loud"), "{err}");
}

/// Replaces the published SARIF schema's malformed language-tag pattern, wherever it occurs.
fn fix_language_pattern(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if k == "pattern"
                    && child.as_str() == Some("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$")
                {
                    *child = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    fix_language_pattern(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_language_pattern),
        _ => {}
    }
}

#[test]
fn html_drafts_footnotes_and_globs() {
    let env = seeded_with_draft();
    let html = "<html><head><style>p { color: red }</style></head><body>\n<p>Nikolai Polozov wrote: &ldquo;What everyone has long been waiting for has now happened.&rdquo;</p>\n<!-- an editor's comment with “quoted words that are not speech at all” -->\n</body></html>\n";
    env.write("web/story.html", html);
    let (code, out) = run(&env, &["check", "--format", "json", "web"]);
    assert_eq!(code, 1);
    let f: Value = serde_json::from_str(out.lines().next().expect("one finding")).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(
        (f["line"].as_u64(), f["kind"].as_str()),
        (Some(2), Some("drifted"))
    );
    // The column counts characters of the file as written, entity and all.
    assert_eq!(f["column"], 34);

    let polozov = env
        .json(&["log"])
        .into_iter()
        .find(|d| d["author"] == "Matthew Kupfer")
        .unwrap();
    let footnoted = format!(
        "Nikolai Polozov wrote: \"What everyone has long been waiting for has finally happened\"[^1].\n\n[^1]: Kyiv report, prov:{}\n",
        &polozov["id"].as_str().unwrap()[..12]
    );
    env.write("notes/f.md", footnoted);
    assert_eq!(run(&env, &["check", "notes/*.md"]).0, 0);
    env.prov().args(["check", "nothing/*.md"]).assert().code(2);
}

#[test]
fn an_unreadable_draft_is_reported_and_the_others_are_still_checked() {
    let env = seeded_with_draft();
    env.write(
        "drafts/broken.md",
        b"Not UTF-8: \xff\xfe\xfd and more \xc3\x28\n",
    );
    let long = format!("She said: \"{}\"\n", "word ".repeat(2_500).trim_end());
    env.write("drafts/long.md", long);
    let out = env
        .prov()
        .args(["check", "--format", "json", "drafts"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // The good draft's three findings are all there.
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(stdout.contains(r#""kind":"drifted""#), "{stdout}");
    assert!(
        stderr.contains("drafts/broken.md") && stderr.contains("1 not read"),
        "{stderr}"
    );
    // A quotation longer than prov aligns is skipped and counted, not an error.
    assert!(stderr.contains("1 too long"), "{stderr}");
}

#[test]
fn an_unacknowledged_edit_is_still_reported_after_a_later_edit() {
    let env = seeded_with_draft();
    let path = edit_polozov_seed(&env);
    env.ok(&["add", path]);
    // A second, unrelated edit on top of the first.
    let text = std::fs::read_to_string(env.path().join(path)).unwrap();
    env.write(path, format!("{text}\nThis article was updated.\n"));
    env.ok(&["add", path]);
    assert_eq!(env.json(&["log", "--versions", path]).len(), 3);
    let (code, out) = run(&env, &["check", "--sources", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.lines().count(), 1, "reported once: {out}");
    assert!(out.contains("has finally happened"), "{out}");
    // Acknowledging the newest version accepts every edit before it.
    let newest = env.json(&["log", "--versions", path])[2]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.write(
        "prov.toml",
        format!(
            "[check.acknowledged]\n\"{}\" = \"an update note was added\"\n",
            &newest[..12]
        ),
    );
    assert_eq!(run(&env, &["check", "--sources"]).0, 0);
}
