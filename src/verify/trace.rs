//! Tracing a quotation: every appearance in every publication, in publication order, with
//! the earliest appearance and the earliest verbatim one marked, and where the wording or
//! the speaker changed.

use serde::Serialize;

use super::{Evidence, Reach, VerifyError, VerifyOptions, date_order, find, report};
use crate::align::{self, Query};
use crate::model::{Change, DiffOp, Publication, Verdict};
use crate::store::{self, Store};

/// One appearance: a document's passage in one of its publications.
#[derive(Debug, Clone, Serialize)]
pub struct Appearance {
    /// The passage; `outlet`, `published`, `url` and `title` are this publication's.
    #[serde(flatten)]
    pub evidence: Evidence,
    /// The publication this appearance is (absent for a document with none recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
    /// The earliest appearance of the quotation in any wording: no other is known to be
    /// earlier. Several are marked when they share the earliest date, none when the
    /// earliest are undated (then which came first is unknown).
    pub first: bool,
    /// The earliest appearance of the quotation word for word (exact or normalized), by
    /// the same rule.
    pub first_verbatim: bool,
    /// How this appearance's wording differs from the quotation as traced: `delete` is
    /// what it dropped, `insert` what it added. Empty when it prints the words as they are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// For a drifted appearance whose source quotes only part of the words, word for
    /// word (the rest is its own narration): that part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotes_part: Option<String>,
    /// Set when this appearance gives the words to a different person than the earliest
    /// verbatim appearance does (both named people).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_changed_from: Option<String>,
}

/// Every appearance of a quotation across the store, in publication order.
#[derive(Debug, Clone, Serialize)]
pub struct TraceReport {
    pub query: String,
    /// Documents with an appearance, and the distinct outlets publishing them.
    pub documents: usize,
    pub outlets: usize,
    /// Whether every document that could hold the quotation was looked at.
    pub complete: bool,
    pub appearances: Vec<Appearance>,
}

/// Traces `quote` through the store: every document holding it, verbatim or drifted, each
/// publication of it an appearance, dated ones in date order and undated ones last.
///
/// When `from` names a stored quotation, the quotations matched with it at add time are
/// included too (a truncated reprint may be too short to align with the whole).
pub fn trace(
    store: &Store,
    quote: &str,
    from: Option<&store::quotes::StoredQuote>,
    options: &VerifyOptions,
) -> Result<TraceReport, VerifyError> {
    let query = Query::new(quote);
    if query.is_empty() {
        return Err(VerifyError::Empty);
    }
    let options = VerifyOptions {
        speaker: None,
        closest: 0,
        ..options.clone()
    };
    let (found, complete, method) = find(store, &query, &options, Reach::Everything)?;
    let mut evidence = super::evidences(store, found)?;
    if let Some(qid) = from.map(|q| store.quote_row(&q.id)).transpose()?.flatten() {
        matched(store, qid, &mut evidence)?;
    }
    let report = report(store, &query, evidence, complete, method, &options)?;
    let mut appearances: Vec<Appearance> = Vec::new();
    for e in report.evidence {
        let publications = if e.publications.is_empty() {
            vec![None]
        } else {
            e.publications.iter().cloned().map(Some).collect()
        };
        for p in publications {
            let mut ev = e.clone();
            if let Some(p) = &p {
                ev.outlet.clone_from(&p.outlet);
                ev.published.clone_from(&p.published);
                ev.url.clone_from(&p.url);
                ev.title = p.title.clone().or(ev.title);
            }
            appearances.push(Appearance {
                evidence: ev,
                publication: p,
                first: false,
                first_verbatim: false,
                changes: Vec::new(),
                quotes_part: None,
                speaker_changed_from: None,
            });
        }
    }
    appearances.sort_by(|a, b| {
        let (x, y) = (&a.evidence, &b.evidence);
        date_order(x.published.as_deref(), y.published.as_deref())
            .then(x.verdict.cmp(&y.verdict))
            .then(x.doc.cmp(&y.doc))
    });
    let verbatim = |e: &Evidence| matches!(e.verdict, Verdict::Exact | Verdict::Normalized);
    for i in earliest(&appearances, |_| true) {
        appearances[i].first = true;
    }
    for i in earliest(&appearances, |a| verbatim(&a.evidence)) {
        appearances[i].first_verbatim = true;
    }
    let reference = appearances.iter().position(|a| verbatim(&a.evidence));
    changes(store, &mut appearances, reference)?;
    speakers(store, &mut appearances, reference.unwrap_or(0))?;
    let mut outlets: Vec<&str> = appearances
        .iter()
        .filter_map(|a| a.publication.as_ref()?.outlet.as_deref())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let mut docs: Vec<_> = appearances.iter().map(|a| a.evidence.doc).collect();
    docs.sort_unstable();
    docs.dedup();
    Ok(TraceReport {
        query: report.query,
        documents: docs.len(),
        outlets: outlets.len(),
        complete: report.complete,
        appearances,
    })
}

/// The appearances (of those `counts`, in publication order) that no other is known to
/// precede: every one sharing the earliest date (a date without a time of day ties with
/// any time that day), and none when the earliest is undated, unless they are all of one
/// document.
fn earliest(appearances: &[Appearance], counts: impl Fn(&Appearance) -> bool) -> Vec<usize> {
    let counted: Vec<usize> = (0..appearances.len())
        .filter(|&i| counts(&appearances[i]))
        .collect();
    let Some(&head) = counted.first() else {
        return Vec::new();
    };
    let date = |i: usize| appearances[i].evidence.published.as_deref();
    match date(head) {
        Some(first) => counted
            .into_iter()
            .take_while(|&i| date(i).is_some_and(|d| same_moment(first, d)))
            .collect(),
        None if counted
            .iter()
            .all(|&i| appearances[i].evidence.doc == appearances[head].evidence.doc) =>
        {
            counted
        }
        None => Vec::new(),
    }
}

/// Whether two publication dates may name the same moment: equal, or the same day when
/// either gives no time of day.
fn same_moment(a: &str, b: &str) -> bool {
    a == b
        || ((a.len() <= 10 || b.len() <= 10) && a.get(..10).is_some() && a.get(..10) == b.get(..10))
}

/// Adds the quotations grouped with stored quotation `qid` at add time that alignment did
/// not find (a truncated or heavily cut reprint).
fn matched(store: &Store, qid: i64, evidence: &mut Vec<Evidence>) -> Result<(), VerifyError> {
    for m in store.group_members(qid)? {
        let o = m.quote;
        if evidence.iter().any(|e| e.doc == o.doc) {
            continue;
        }
        let Some(doc) = store.document(&o.doc)? else {
            continue;
        };
        // The member that founded the group has no verdict of its own (the others were
        // judged against it); alignment did not find it, so it is never listed as support.
        let verdict = m.verdict.unwrap_or(Verdict::Altered);
        evidence.push(Evidence {
            doc: o.doc,
            verdict,
            start: o.quote.start,
            end: o.quote.end,
            text: o.quote.text,
            before: String::new(),
            after: String::new(),
            similarity: m.similarity.unwrap_or(0.0),
            speaker_confidence: o.quote.speaker.as_ref().map(|_| o.quote.confidence),
            speaker_corrected: o.speaker_corrected,
            speaker: o.quote.speaker,
            mention: o.quote.mention,
            outlet: doc.meta.outlet,
            published: doc.meta.published,
            url: doc.meta.url,
            title: doc.meta.title,
            publications: doc.publications,
            superseded_by: store.superseded_by(&o.doc)?,
            diff: Vec::new(),
            omits: Vec::new(),
        });
    }
    Ok(())
}

/// How each appearance's wording differs from the reference: the quotation when some
/// appearance prints it word for word, else the first appearance. A verbatim appearance has
/// no changes, whatever else its source prints around the passage; a drifted one is
/// compared as far as its sentence goes within the source's quotation ("has happened at
/// last"), never with the sentences or the narration around it.
fn changes(
    store: &Store,
    appearances: &mut [Appearance],
    reference: Option<usize>,
) -> Result<(), VerifyError> {
    let skip = reference.unwrap_or(0);
    let Some(reference_text) = appearances.get(skip).map(|a| a.evidence.text.clone()) else {
        return Ok(());
    };
    let reference_doc = align::Document::new(&reference_text);
    for (i, a) in appearances.iter_mut().enumerate() {
        let e = &a.evidence;
        if i == skip || matches!(e.verdict, Verdict::Exact | Verdict::Normalized) {
            continue;
        }
        let own = match store.quote_at(&e.doc, e.start, e.end)? {
            Some((start, quote)) => in_its_sentences(
                &quote,
                e.start.saturating_sub(start),
                e.end.saturating_sub(start),
            ),
            None => e.text.clone(),
        };
        match align::best_passage(&Query::new(&own), &reference_doc) {
            Some(p) if p.diff.iter().any(|c| c.op != DiffOp::Equal) => a.changes = p.diff,
            // What the source puts in quotation marks is word for word part of the
            // reference: it quotes part of it, the rest in its own words.
            Some(_) => a.quotes_part = Some(own),
            None => {
                a.changes = vec![Change {
                    op: DiffOp::Insert,
                    text: own,
                }]
            }
        }
    }
    Ok(())
}

/// The sentences of `quote` that code points `start..end` of it overlap.
fn in_its_sentences(quote: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = quote.chars().collect();
    let (start, end) = (
        start.min(chars.len()),
        end.min(chars.len()).max(start.min(chars.len())),
    );
    let ends_sentence = |i: usize| {
        matches!(chars[i], '.' | '!' | '?')
            && chars
                .get(i + 1)
                .is_none_or(|c| c.is_whitespace() || matches!(c, '”' | '"' | '’' | '\''))
    };
    let from = (0..start)
        .rev()
        .find(|&i| ends_sentence(i))
        .map_or(0, |i| i + 1);
    let to = (end..chars.len())
        .find(|&i| ends_sentence(i))
        .map_or(chars.len(), |i| i + 1);
    chars[from..to].iter().collect::<String>().trim().to_owned()
}

/// Flags appearances that give the words to another person than the reference one does.
/// Only people count: a label ("R-S.D."), an outlet or a lone surname is not a change of
/// speaker.
fn speakers(
    store: &Store,
    appearances: &mut [Appearance],
    reference: usize,
) -> Result<(), VerifyError> {
    let outlets: Vec<String> = appearances
        .iter()
        .filter_map(|a| a.publication.as_ref()?.outlet.as_deref())
        .map(str::to_lowercase)
        .collect();
    let Some(was) = appearances
        .get(reference)
        .and_then(|a| a.evidence.speaker.clone())
        .filter(|s| names_a_person(s, &outlets))
    else {
        return Ok(());
    };
    for (i, a) in appearances.iter_mut().enumerate() {
        if i == reference {
            continue;
        }
        let Some(now) = a.evidence.speaker.as_deref() else {
            continue;
        };
        if names_a_person(now, &outlets)
            && !store.same_speaker(now, &was)?
            && !store.same_speaker(&was, now)?
        {
            a.speaker_changed_from = Some(was.clone());
        }
    }
    Ok(())
}

/// Whether a speaker name names a person: two or more capitalised words, no digits, not
/// an outlet of the trace.
fn names_a_person(name: &str, outlets: &[String]) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    *w,
                    "al" | "bin"
                        | "da"
                        | "das"
                        | "de"
                        | "del"
                        | "der"
                        | "di"
                        | "dos"
                        | "du"
                        | "el"
                        | "ibn"
                        | "la"
                        | "le"
                        | "ter"
                        | "van"
                        | "von"
                )
        })
        && !name.chars().any(|c| c.is_ascii_digit())
        && !outlets.contains(&name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::{in_its_sentences, names_a_person};

    #[test]
    fn a_passage_reaches_to_its_sentences_ends() {
        let q = "It was a hard week. We have happened at last, he wrote. Then more.";
        let at = q.find("happened").unwrap();
        assert_eq!(
            in_its_sentences(q, at, at + "happened".len()),
            "We have happened at last, he wrote."
        );
        assert_eq!(in_its_sentences("no stop", 0, 2), "no stop");
    }

    #[test]
    fn labels_outlets_and_surnames_are_not_people() {
        let outlets = vec!["fox news".to_owned()];
        assert!(names_a_person("Mike Rounds", &outlets));
        assert!(names_a_person("Ursula von der Leyen", &outlets));
        assert!(!names_a_person("R-S.D.", &outlets));
        assert!(!names_a_person("Rounds", &outlets));
        assert!(!names_a_person("Fox News", &outlets));
        assert!(!names_a_person("District 9", &outlets));
    }
}
