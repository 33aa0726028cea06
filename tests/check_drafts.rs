//! `prov check` on drafts as people write them: hard-wrapped Markdown, HTML with
//! character references and `<q cite>`, quotations that cannot be checked, and the global
//! `--json`.

mod common;

use common::Env;
use serde_json::Value;

fn seeded() -> Env {
    let env = Env::new();
    env.with_seeds();
    env.ok(&["add", "seeds"]);
    env
}

/// Runs `prov ARGS`: exit code, stdout, stderr.
fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.prov().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn findings(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Each finding's line, kind and severity.
fn severities_at_lines(stdout: &str) -> Vec<(u64, String, String)> {
    findings(stdout)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn kinds_at_lines(stdout: &str) -> Vec<(u64, String)> {
    findings(stdout)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_quotation_wrapped_over_two_lines_is_checked_whole() {
    let env = seeded();
    env.write(
        "drafts/wrapped.md",
        "# Notes\n\nMustafa Dzhemilev said: \"Putin promised to consider it, but nothing changed for\ntwo years.\"\n\nHe added: \"They do not want to release the Crimean Tatars, because,\naccording to the occupiers, it inspires the people of Crimea to resist the\noccupiers, because Ukraine will save them.\"\n\n> The lawyer Nikolai Polozov wrote: \"What everyone has long been waiting\n> for has now happened.\"\n",
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}");
    // The drift after each line break is caught, at the line of the opening mark; the
    // faithful wrapped quotation passes.
    assert_eq!(
        kinds_at_lines(&out),
        [(3, "drifted".to_owned()), (10, "drifted".to_owned())],
        "{out}"
    );
    let f = &findings(&out)[0];
    assert_eq!(f["column"], 26, "{f}");
    assert!(
        f["quote"]
            .as_str()
            .unwrap()
            .ends_with("changed for two years."),
        "{f}"
    );
}

#[test]
fn html_character_references_are_decoded_and_q_cite_binds() {
    let env = seeded();
    env.write(
        "minister.txt",
        "“Nothing is settled yet, and nothing will be settled before the spring,” the minister said.\n",
    );
    env.ok(&["add", "minister.txt", "--url", "https://news.test/minister"]);
    env.write(
        "web/story.html",
        concat!(
            "<!doctype html><html><body>\n",
            "<p>Rustem Umerov said: &ldquo;Owing to Turkiye&rsquo;s support, we feel stronger\n",
            "at the negotiating table&rdquo;.</p>\n",
            "<p>And: &#x201C;Owing to Turkiye&#8217;s support, we feel stronger at the negotiating table&#x201D;.</p>\n",
            "<p>The minister said <q cite=\"https://news.test/minister\">Nothing is settled yet, and nothing will be settled before the summer</q>.</p>\n",
            "<p>Umerov: <q cite=\"https://news.test/minister\">Owing to Turkiye&rsquo;s support, we feel stronger at the negotiating table</q>.</p>\n",
            "<p>The minister added: <q cite=\"https://news.test/gone\">we will not sign anything before the summer</q>.</p>\n",
            "</body></html>\n"
        ),
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "web"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        kinds_at_lines(&out),
        [
            (5, "drifted".to_owned()),
            (6, "unsupported".to_owned()),
            // A citation prov cannot follow is reported, and the words are still checked.
            (7, "unknown-source".to_owned()),
            (7, "unsupported".to_owned())
        ],
        "{out}"
    );
    let f = findings(&out);
    // The drift is against the cited source, and its column is the file's.
    assert_eq!(f[0]["column"], 59, "{}", f[0]);
    assert!(
        f[1]["message"].as_str().unwrap().contains("cited source"),
        "{}",
        f[1]
    );
    assert!(
        f[2]["message"]
            .as_str()
            .unwrap()
            .contains("https://news.test/gone"),
        "{}",
        f[2]
    );
}

#[test]
fn quotations_that_cannot_be_checked_are_skipped_and_counted() {
    let env = seeded();
    env.write(
        "drafts/odd.md",
        "The crowd chanted \"— — —\" and \"... ...\" before the vote.\n\nRustem Umerov said: \"We will hand over Crimea to Russia after the next round of talks.\"\n\nShe called it \"a farce\".\n",
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        kinds_at_lines(&out),
        [(3, "unsupported".to_owned())],
        "{out}"
    );
    assert!(
        err.contains(
            "checked 1 quotation in 1 file, 3 skipped (2 no words, 1 too short); 1 finding"
        ),
        "{err}"
    );

    env.write("clean/ok.md", "She called it \"a farce\".\n");
    assert_eq!(run(&env, &["check", "clean"]).0, 0);
    let (code, out, _) = run(&env, &["check", "--strict", "clean"]);
    assert_eq!(code, 1);
    assert!(out.contains("skipped (too short): “a farce”"), "{out}");
}

#[test]
fn the_global_json_flag_selects_json_for_check() {
    let env = seeded();
    env.write(
        "drafts/d.md",
        "Rustem Umerov said: \"We will hand over Crimea to Russia after the next round of talks.\"\n",
    );
    let (code, out, _) = run(&env, &["--json", "check", "drafts"]);
    assert_eq!(code, 1);
    assert_eq!(
        kinds_at_lines(&out),
        [(1, "unsupported".to_owned())],
        "{out}"
    );
}

#[test]
fn speakers_come_from_the_draft_and_the_sources_confidence() {
    let env = seeded();
    env.write(
        "cheney.txt",
        "Mary Cheney, her sister, did not comment. “I believe the question of marriage must be decided by the voters,” Liz Cheney said in a statement.\n\nAn unsigned note read: “Nothing is settled yet, and nothing will be settled before the spring.”\n",
    );
    env.ok(&["add", "cheney.txt"]);
    env.write(
        "drafts/d.md",
        concat!(
            "# Ukrinform\n\n",
            "As [the Kyiv Post reported](#notes), \"They do not want to release the Crimean Tatars, because, according to the occupiers, it inspires the people of Crimea to resist the occupiers, because Ukraine will save them.\"\n\n",
            "As Ukrinform reported: \"They do not want to release the Crimean Tatars, because, according to the occupiers, it inspires the people of Crimea to resist the occupiers, because Ukraine will save them.\"\n\n",
            "Mary Cheney said: \"I believe the question of marriage must be decided by the voters.\"\n\n",
            "Liz Cheney said: \"I believe the question of marriage must be decided by the voters.\"\n\n",
            "Rustem Umerov said: \"Nothing is settled yet, and nothing will be settled before the spring.\"\n",
        ),
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}");
    let got = severities_at_lines(&out);
    // Neither the link's text nor an outlet named before the quotation is its speaker;
    // Mary is not Liz; nobody in the source says who wrote the unsigned note, which is a
    // note, not an error.
    assert_eq!(
        got,
        [
            (7, "misattributed".to_owned(), "error".to_owned()),
            (11, "unconfirmed-speaker".to_owned(), "note".to_owned()),
        ],
        "{out}"
    );
}

#[test]
fn uk_style_single_quotes_are_checked_too() {
    let env = seeded();
    env.write(
        "drafts/uk.md",
        "‘We will hand over Crimea to Russia after the next round of talks,’ Rustem Umerov said.\n\n'Owing to Turkiye's support, we feel stronger at the negotiating table,' Rustem Umerov said.\n",
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        kinds_at_lines(&out),
        [(1, "unsupported".to_owned())],
        "{out}"
    );
    assert!(err.contains("checked 2 quotations"), "{err}");
}

#[test]
fn a_quoted_sentence_with_no_speaker_is_checked_and_a_title_is_not() {
    let env = seeded();
    env.write(
        "drafts/bare.md",
        "# The release\n\n\"Putin promised to consider it, but nothing changed for two years.\"\n\nThe op-ed \"Tatar Exile Government Seeks Recognition\" ran later.\n",
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(kinds_at_lines(&out), [(3, "drifted".to_owned())], "{out}");
    assert!(err.contains("checked 1 quotation"), "{err}");
}

#[test]
fn a_heading_above_a_quotation_is_not_its_speaker() {
    // A faithful quotation under a heading that names somebody else: the heading is a
    // title, not an attribution, so nothing is misattributed.
    let env = seeded();
    env.write(
        "drafts/heading.md",
        "# Nikolai Polozov on the exchange\n\n\"Putin promised to consider it, but nothing changed for three years.\"\n\n## Polozov: the court\n\n\"Putin promised to consider it, but nothing changed for three years,\" Mustafa Dzhemilev said.\n",
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "drafts"]);
    let kinds: Vec<String> = findings(&out)
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(!kinds.iter().any(|k| k == "misattributed"), "{out}{err}");
    assert_eq!(code, 0, "{out}{err}");
}

/// A synthetic source with URL, for drafts that cite it.
fn bridge_store() -> Env {
    let env = Env::new();
    env.write(
        "bridge.txt",
        "Council approves bridge\n\n\"We said we would finish the bridge by 2005. That promise has now been kept in full,\" said Mayor Jane Holloway.\n\n\"This is the #1 priority for the council and for every family in the town,\" said Jane Holloway.\n",
    );
    env.ok(&["add", "bridge.txt", "--url", "https://news.test/bridge"]);
    env
}

/// Checks each draft in a file of its own; the kinds found in each.
fn kinds_per_draft(env: &Env, drafts: &[&str]) -> Vec<Vec<String>> {
    drafts
        .iter()
        .enumerate()
        .map(|(k, text)| {
            let path = format!("drafts/d{k}.md");
            env.write(&path, text);
            let (code, out, err) = run(env, &["check", "--format", "json", &path]);
            assert!(code < 2, "{err}");
            findings(&out)
                .iter()
                .map(|f| f["kind"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn markdown_links_and_inline_html_inside_a_quotation_read_as_their_text() {
    let env = bridge_store();
    let cite = " [News](https://news.test/bridge)\n";
    let said = "Jane Holloway said: “We said we would finish the";
    let rest = "by 2005. That promise has now been kept in full.”";
    let kinds = kinds_per_draft(
        &env,
        &[
            &format!("{said} [bridge](https://x.test/plans) {rest}{cite}"),
            &format!("{said} [bridge][plans] {rest}{cite}\n[plans]: https://x.test/plans\n"),
            &format!("{said} <em>bridge</em> {rest}{cite}"),
            &format!("{said} [tunnel](https://x.test/plans) {rest}{cite}"),
            &format!("{said} <em>tunnel</em> {rest}{cite}"),
        ],
    );
    // What a reader sees is checked: the link's or element's text, not its markup.
    let none: Vec<String> = Vec::new();
    let drifted = vec!["drifted".to_owned()];
    assert_eq!(
        kinds,
        [none.clone(), none.clone(), none, drifted.clone(), drifted],
        "{kinds:?}"
    );
}

#[test]
fn a_wrapped_line_that_only_looks_like_a_block_continues_the_paragraph() {
    let env = bridge_store();
    // CommonMark: only a list starting at 1 interrupts a paragraph, `#1` is no heading and
    // inline HTML is no HTML block, so each quotation runs on over its line break and the
    // word changed after the break is caught.
    let cite = " [News](https://news.test/bridge)\n";
    let kinds = kinds_per_draft(
        &env,
        &[
            &format!(
                "Jane Holloway said: “We said we would finish the bridge by\n2009. That promise has now been kept in full.”{cite}"
            ),
            &format!(
                "Jane Holloway said: “This is the\n#2 priority for the council and for every family in the town.”{cite}"
            ),
            &format!(
                "Jane Holloway said: “This is the #1 priority for the\n<em>mayor</em> and for every family in the town.”{cite}"
            ),
        ],
    );
    let drifted = vec!["drifted".to_owned()];
    assert_eq!(
        kinds,
        [drifted.clone(), drifted.clone(), drifted],
        "{kinds:?}"
    );
}

#[test]
fn a_speaker_named_by_name_with_middling_confidence_is_sure_and_a_wrong_one_fails() {
    // The letter's writer is named in full after the quotation, beside two other people:
    // attribution's confidence is middling (about 0.34), but a named speaker there is right
    // about nine times in ten, so a draft giving the words to someone else is an error,
    // not a note; the right speaker passes.
    let env = Env::new();
    env.write(
        "council.txt",
        concat!(
            "Council approves river plan\n\n",
            "The council voted on Tuesday to approve the river plan after a long debate. Mayor Jane Holloway and her deputy, Tom Reyes, had argued for months over the cost, and the engineer Priya Natarajan presented the final survey.\n\n",
            "\"The survey shows the old walls will not last another decade,\" Sen. Maria Lopez of Riverside wrote in a letter to the council.\n",
        ),
    );
    env.ok(&["add", "council.txt"]);
    let quotes = env.json(&["quotes"]);
    let letter = quotes
        .iter()
        .find(|q| q["speaker"] == "Maria Lopez")
        .expect("the letter is attributed to Maria Lopez");
    let confidence = letter["confidence"].as_f64().unwrap();
    assert!(
        (0.3..0.5).contains(&confidence),
        "the case this test is about: a named speaker below 0.5 ({confidence})"
    );
    env.write(
        "drafts/d.md",
        concat!(
            "Priya Natarajan said: \"The survey shows the old walls will not last another decade.\"\n\n",
            "Maria Lopez wrote: \"The survey shows the old walls will not last another decade.\"\n",
        ),
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}");
    let got = severities_at_lines(&out);
    assert_eq!(
        got,
        [(1, "misattributed".to_owned(), "error".to_owned())],
        "{out}"
    );
}

#[test]
fn a_speaker_named_before_a_blockquote_is_the_quotations_even_with_a_link_after_it() {
    // "X said:" closing a paragraph introduces the blockquote after it; the citation link
    // after the quotation is read as its text, so it does not hide the speaker.
    let env = Env::new();
    env.write(
        "cheney.txt",
        "Mary Cheney, her sister, did not comment. “I believe the question of marriage must be decided by the voters,” Liz Cheney said in a statement.\n",
    );
    env.ok(&["add", "--url", "https://news.example/cheney", "cheney.txt"]);
    env.write(
        "drafts/d.md",
        concat!(
            "Mary Cheney said:\n\n",
            "> “I believe the question of marriage must be decided by the\n",
            "> voters.” [the statement](https://news.example/cheney)[^1]\n\n",
            "Liz Cheney said:\n\n",
            "> “I believe the question of marriage must be decided by the\n",
            "> voters.” [the statement](https://news.example/cheney)\n\n",
            "[^1]: A note.\n",
        ),
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        severities_at_lines(&out),
        [(3, "misattributed".to_owned(), "error".to_owned())],
        "{out}"
    );
}

#[test]
fn a_sentence_interrupted_by_its_attribution_is_checked_whole() {
    // The pieces of `“…,” she said, “…”` are one sentence: words dropped where the
    // attribution sits, and a changed word in a piece too short to check alone, are
    // caught; the faithful split passes; a new sentence after the attribution is not
    // joined to the one before.
    let env = Env::new();
    env.write(
        "cheney.txt",
        "“I believe the question of marriage must be decided by the voters,” Liz Cheney said in a statement. “The states should decide it, not the courts.”\n",
    );
    env.ok(&["add", "cheney.txt"]);
    env.write(
        "drafts/d.md",
        concat!(
            "“I believe the question of marriage,” Liz Cheney said, “must be decided by the voters.”\n\n",
            "“I believe the question,” Liz Cheney said, “must be decided by the voters.”\n\n",
            "“You believe,” Liz Cheney said, “the question of marriage must be decided by the voters.”\n\n",
            "“I believe,” Liz Cheney said, “the question of marriage must be decided by the voters.”\n\n",
            "“I believe the question of marriage must be decided,” Liz Cheney said, “- by the judges.”\n\n",
            "“I believe the question of marriage must be decided by the voters,” Liz Cheney said. “The states should decide it, not the courts.”\n",
        ),
    );
    let (code, out, _) = run(&env, &["check", "--format", "json", "drafts"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        kinds_at_lines(&out),
        [
            (3, "drifted".to_owned()),
            (5, "drifted".to_owned()),
            (9, "drifted".to_owned())
        ],
        "{out}"
    );
    let dropped = &findings(&out)[0];
    assert_eq!(dropped["column"], 2, "{dropped}");
    assert!(
        dropped["quote"]
            .as_str()
            .unwrap()
            .contains("question, must be decided"),
        "{dropped}"
    );
    let (_, _, summary) = run(&env, &["check", "drafts"]);
    assert!(summary.contains("checked 7 quotations"), "{summary}");
}

#[test]
fn a_blockquote_introduced_as_speech_is_checked_as_the_quotation() {
    let env = seeded();
    env.write(
        "drafts/block.md",
        "Mustafa Dzhemilev said:\n\n> Putin promised to consider it, but nothing changed for\n> two years.\n\nMore text.\n\n> A note to the editor without quotation marks, never checked at all.\n",
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "drafts/block.md"]);
    assert_eq!(code, 1, "{out}{err}");
    let f = findings(&out);
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["kind"], "drifted");
    // At the blockquote's first word, in the file's own lines and columns.
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(3), Some(3))
    );
    // Faithful, it passes, and is counted as checked.
    env.write(
        "drafts/block.md",
        "Mustafa Dzhemilev said:\n\n> Putin promised to consider it, but nothing changed for\n> three years.\n",
    );
    let (code, out, err) = run(&env, &["check", "drafts/block.md"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("checked 1 quotation"), "{err}");
}

#[test]
fn an_html_blockquote_citing_its_source_or_introduced_as_speech_is_checked() {
    let env = seeded();
    env.write(
        "web/b.html",
        concat!(
            "<html><body>\n",
            "<p>Mustafa Dzhemilev said:</p>\n",
            "<blockquote>\n  <p>Putin promised to consider it, but nothing changed for two years.</p>\n</blockquote>\n",
            "<blockquote cite=\"https://nowhere.example/x\"><p>Putin promised to consider it, but nothing changed for three years.</p></blockquote>\n",
            "<blockquote><p>An aside set off from the text, with no speaker and no cite.</p></blockquote>\n",
            "</body></html>\n"
        ),
    );
    let (code, out, err) = run(&env, &["check", "--format", "json", "web/b.html"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        kinds_at_lines(&out),
        [(4, "drifted".to_owned()), (6, "unknown-source".to_owned())],
        "{out}"
    );
    assert_eq!(findings(&out)[0]["column"], 6, "{out}");
    assert!(err.contains("checked 2 quotations"), "{err}");
}
