//! A development set for `prov check`, generated from the seeds: quotations stored from
//! them, written into drafts the ways people write them (hard-wrapped Markdown with
//! footnotes, inline links before and after, reference links; HTML with character
//! references, links and `<q cite>`), each faithful, drifted by one word, or invented, and
//! citing its source by URL as people paste it (`www.`, `http`, a trailing slash, tracking
//! parameters, a fragment). Every bad quotation must be flagged and no faithful one.

mod common;

use std::collections::BTreeMap;

use common::Env;
use serde_json::Value;

/// How a quotation is written into a draft.
#[derive(Debug, Clone, Copy)]
enum Form {
    WrappedFootnote,
    LinkAfter,
    LinkBefore,
    ReferenceLink,
    HtmlEntities,
    HtmlQCite,
}

const FORMS: [Form; 6] = [
    Form::WrappedFootnote,
    Form::LinkAfter,
    Form::LinkBefore,
    Form::ReferenceLink,
    Form::HtmlEntities,
    Form::HtmlQCite,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Faithful,
    Drifted,
    Invented,
}

const INVENTED: &[&str] = &[
    "The committee will publish all of its findings on the ninth of May",
    "Our delegation never agreed to any of the terms that were announced",
    "We expect the new bridge to open to traffic before the end of autumn",
    "Nobody in the ministry was told about the decision until the last minute",
    "The harvest this year was the best the region has seen in a decade",
    "I have asked the prosecutor to reopen every one of these cases at once",
    "The talks collapsed because the other side walked out after an hour",
    "Three new schools will be built in the villages along the northern coast",
];

/// Hard-wraps `text` at about `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in text.split(' ') {
        if line > 0 && line + 1 + w.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.len();
    }
    out
}

/// `text` as HTML text, with typographic characters as named and numeric references.
fn html_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '’' => out.push_str("&rsquo;"),
            '‘' => out.push_str("&#8216;"),
            '—' => out.push_str("&mdash;"),
            '–' => out.push_str("&#x2013;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// One word of `text` (the longest of five letters or more after the first two words)
/// replaced, so the quotation drifts by one word.
fn drift(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let (i, _) = words
        .iter()
        .enumerate()
        .skip(2)
        .filter(|(_, w)| w.len() >= 5 && w.chars().all(char::is_alphabetic))
        .max_by_key(|(_, w)| w.len())?;
    let mut changed: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    changed[i] = if words[i] == "yesterday" {
        "tomorrow".into()
    } else {
        "yesterday".into()
    };
    Some(changed.join(" "))
}

#[test]
fn every_bad_quotation_is_flagged_and_no_faithful_one() {
    let env = Env::new();
    env.with_seeds();
    let seeds: Vec<String> = {
        let mut names: Vec<String> = std::fs::read_dir(env.path().join("seeds"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        names
    };
    // Each seed is published at its own URL, as a fact-checker would have fetched it.
    let mut url_of: BTreeMap<String, String> = BTreeMap::new();
    for (k, name) in seeds.iter().enumerate() {
        let url = format!("https://www.news.test/story/{k}");
        let added = env.json(&["add", &format!("seeds/{name}"), "--url", &url]);
        url_of.insert(added[0]["id"].as_str().unwrap().to_owned(), url);
    }

    // Quotations as the store has them: direct speech of 5 to 60 words, no inner marks.
    let mut quotes: Vec<(String, Option<String>, String)> = env
        .json(&["quotes", "--kind", "direct"])
        .into_iter()
        .filter_map(|q: Value| {
            let text = q["text"].as_str()?.trim().to_owned();
            let words = text.split_whitespace().count();
            let clean = !text.contains(['“', '”', '"', '\n', '[', ']', '*', '_', '<'])
                && !text.contains("...")
                && !text.contains('…');
            (clean && (5..=60).contains(&words)).then(|| {
                (
                    text,
                    q["speaker"].as_str().map(str::to_owned),
                    q["doc"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect();
    quotes.sort();
    quotes.dedup_by(|a, b| a.0 == b.0);
    // Spread over the seeds, at most 12 from each.
    let mut per_doc: BTreeMap<String, usize> = BTreeMap::new();
    quotes.retain(|q| {
        let n = per_doc.entry(q.2.clone()).or_default();
        *n += 1;
        *n <= 12
    });
    assert!(
        quotes.len() >= 20,
        "only {} usable quotations",
        quotes.len()
    );

    // Cases: each stored quotation faithful and drifted, plus invented ones, in turn
    // through every form and every way of writing the URL.
    let mut cases: Vec<(String, Option<String>, String, Variant)> = Vec::new();
    for (text, speaker, doc) in &quotes {
        cases.push((
            text.clone(),
            speaker.clone(),
            doc.clone(),
            Variant::Faithful,
        ));
        if let Some(d) = drift(text) {
            cases.push((d, speaker.clone(), doc.clone(), Variant::Drifted));
        }
    }
    for (k, text) in INVENTED.iter().enumerate() {
        let (_, speaker, doc) = &quotes[k % quotes.len()];
        cases.push((
            (*text).to_owned(),
            speaker.clone(),
            doc.clone(),
            Variant::Invented,
        ));
    }
    assert!(cases.len() >= 40, "{} cases", cases.len());

    let url_forms: [fn(&str) -> String; 5] = [
        |u: &str| u.to_owned(),
        |u: &str| format!("{}/", u.replace("https://www.", "http://")),
        |u: &str| format!("{u}?utm_source=newsletter&utm_medium=email"),
        |u: &str| format!("{}#comments", u.replace("www.news", "NEWS")),
        |u: &str| format!("{u}/?fbclid=IwAR0abc"),
    ];
    // Drafts: one Markdown and one HTML file per form, the cases dealt round-robin.
    let mut drafts: BTreeMap<String, String> = BTreeMap::new();
    let mut expected: Vec<(String, String, Variant)> = Vec::new(); // (file, needle, variant)
    let mut footnote = 0;
    for (k, (text, speaker, doc, variant)) in cases.iter().enumerate() {
        let form = FORMS[k % FORMS.len()];
        let url = url_forms[k % url_forms.len()](&url_of[doc]);
        let who = speaker
            .clone()
            .map_or("A statement read".to_owned(), |s| format!("{s} said"));
        let (file, piece) = match form {
            Form::WrappedFootnote => {
                footnote += 1;
                (
                    "drafts/wrapped.md",
                    format!(
                        "{}\n\n[^{footnote}]: [The report]({url})",
                        wrap(&format!("{who}: “{text}”[^{footnote}]"), 60)
                    ),
                )
            }
            Form::LinkAfter => (
                "drafts/inline.md",
                wrap(&format!("{who}: “{text}” ([source]({url})).",), 72),
            ),
            Form::LinkBefore => (
                "drafts/before.md",
                format!("According to [the report]({url}), {who}: “{text}”."),
            ),
            Form::ReferenceLink => (
                "drafts/reference.md",
                format!("{who}: “{text}” [as reported][r{k}].\n\n[r{k}]: {url} \"The report\""),
            ),
            Form::HtmlEntities => (
                "drafts/story.html",
                format!(
                    "<p>{}: &ldquo;{}&rdquo; (<a href=\"{}\">source</a>)</p>",
                    html_escape(&who),
                    html_escape(text),
                    url.replace('&', "&amp;")
                ),
            ),
            Form::HtmlQCite => (
                "drafts/cite.html",
                format!(
                    "<p>{}: <q cite=\"{}\">{}</q></p>",
                    html_escape(&who),
                    url.replace('&', "&amp;"),
                    html_escape(text)
                ),
            ),
        };
        let body = drafts.entry(file.to_owned()).or_default();
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&piece);
        // The first words of the quotation find its finding.
        let needle: String = text.split(' ').take(4).collect::<Vec<_>>().join(" ");
        expected.push((file.to_owned(), needle, *variant));
    }
    for (file, body) in &drafts {
        let body = if file.ends_with(".html") {
            format!("<!doctype html>\n<html><body>\n{body}\n</body></html>\n")
        } else {
            format!("# Draft\n\n{body}\n")
        };
        env.write(file, body);
    }

    let out = env
        .prov()
        .args(["check", "--format", "json", "drafts"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let findings: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let errors: Vec<&Value> = findings
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .collect();
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    for (file, needle, variant) in &expected {
        let flagged = errors.iter().any(|f| {
            f["path"] == file.as_str()
                && f["quote"]
                    .as_str()
                    .unwrap()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .starts_with(needle.as_str())
        });
        match (variant, flagged) {
            (Variant::Faithful, true) => false_alarms.push((file, needle)),
            (Variant::Drifted | Variant::Invented, false) => missed.push((file, needle)),
            _ => {}
        }
    }
    let bad = expected.iter().filter(|e| e.2 != Variant::Faithful).count();
    assert!(
        missed.is_empty() && false_alarms.is_empty(),
        "{} quotations ({bad} bad): missed {missed:?}; false alarms {false_alarms:?}\n{stdout}",
        expected.len()
    );
    assert_eq!(out.status.code(), Some(1));
}
