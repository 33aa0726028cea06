//! W3C PROV-O: a quotation's trace as a provenance graph.
//!
//! PROV-DM defines quotation as "the repeat of (some or all of) an entity, such as text
//! or image, by someone who may or may not be its original author", a kind of
//! derivation between two entities. So the graph has:
//!
//! - the utterance: a `prov:Entity` whose `prov:value` is the quotation as traced,
//!   `prov:wasAttributedTo` the speaker (a `prov:Person`) when the sources name one;
//! - one `prov:Entity` per appearance (a document's passage in one publication), with the
//!   passage as `prov:value`, `prov:specializationOf` the document (`urn:blake3:<hex>`),
//!   `prov:wasAttributedTo` its outlet (a `prov:Organization`), `rdfs:seeAlso` its URL and
//!   `prov:generatedAtTime` its publication date, only when it is dated (never when it
//!   was added or fetched);
//! - `prov:wasQuotedFrom`: the earliest appearance quotes the utterance; every later
//!   dated appearance quotes the earliest one. An undated appearance cannot be placed
//!   after it, so it is only said to quote the utterance;
//! - `prov:wasRevisionOf` between consecutive versions of one source (a URL or path whose
//!   content changed), for each version that holds an appearance.
//!
//! A date without a time is typed `xsd:date`: PROV-O gives `generatedAtTime` the range
//! `xsd:dateTime`, but writing midnight UTC would invent a time the source never gave.
//! The `@context` is written inline with PROV-O's namespace, as PROV-O publishes no
//! JSON-LD context of its own.

use serde_json::{Map, Value, json};

use super::{Export, Result, document_iri, has_time, publication_date};
use crate::model::DocId;
use crate::store::Store;
use crate::verify::TraceReport;

/// The PROV-O namespace.
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// One revision: `newer` is a later version of the source `older` was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Revision {
    pub newer: DocId,
    pub older: DocId,
}

/// The PROV-O export of a trace, with the versions of its documents' sources.
#[derive(Debug, Clone, Default)]
pub struct ProvO {
    pub revisions: Vec<Revision>,
}

impl ProvO {
    /// Looks up the neighbouring versions of every document in the trace.
    pub fn from_store(store: &Store, report: &TraceReport) -> Result<ProvO> {
        let mut docs: Vec<DocId> = report.appearances.iter().map(|a| a.evidence.doc).collect();
        docs.sort_unstable();
        docs.dedup();
        let mut revisions = Vec::new();
        for doc in docs {
            for lineage in store.lineage(&doc)? {
                let v = &lineage.versions;
                let Some(i) = v.iter().position(|x| x.doc == doc) else {
                    continue;
                };
                if i > 0 && v[i - 1].doc != doc {
                    revisions.push(Revision {
                        newer: doc,
                        older: v[i - 1].doc,
                    });
                }
                if let Some(next) = v.get(i + 1).filter(|n| n.doc != doc) {
                    revisions.push(Revision {
                        newer: next.doc,
                        older: doc,
                    });
                }
            }
        }
        revisions.sort_unstable();
        revisions.dedup();
        Ok(ProvO { revisions })
    }
}

fn id(iri: impl Into<String>) -> Value {
    json!({ "@id": iri.into() })
}

impl Export for ProvO {
    type Report = TraceReport;

    fn to_json_ld(&self, r: &TraceReport) -> Value {
        let mut graph: Vec<Value> = Vec::new();
        let reference = r
            .appearances
            .iter()
            .find(|a| a.first_verbatim)
            .or(r.appearances.first());
        let speaker = reference.and_then(|a| a.evidence.speaker.clone());
        let mut utterance = Map::new();
        utterance.insert("@id".into(), json!("_:utterance"));
        utterance.insert("@type".into(), json!("prov:Entity"));
        utterance.insert("prov:value".into(), json!(r.query));
        if let Some(s) = &speaker {
            utterance.insert("prov:wasAttributedTo".into(), id("_:speaker"));
            graph.push(json!({
                "@id": "_:speaker",
                "@type": ["prov:Agent", "prov:Person"],
                "rdfs:label": s,
            }));
        }
        graph.push(Value::Object(utterance));

        let mut outlets: Vec<&str> = Vec::new();
        let mut docs: Vec<DocId> = Vec::new();
        let first_dated = r
            .appearances
            .first()
            .is_some_and(|a| publication_date(a.evidence.published.as_deref()).is_some());
        for (i, a) in r.appearances.iter().enumerate() {
            let e = &a.evidence;
            let mut node = Map::new();
            node.insert("@id".into(), json!(format!("_:appearance-{i}")));
            node.insert("@type".into(), json!("prov:Entity"));
            node.insert("prov:value".into(), json!(e.text));
            node.insert("prov:specializationOf".into(), id(document_iri(&e.doc)));
            if !docs.contains(&e.doc) {
                docs.push(e.doc);
            }
            if let Some(o) = e.outlet.as_deref() {
                let n = outlets.iter().position(|x| *x == o).unwrap_or_else(|| {
                    outlets.push(o);
                    outlets.len() - 1
                });
                node.insert("prov:wasAttributedTo".into(), id(format!("_:outlet-{n}")));
            }
            if let Some(u) = e.url.as_deref() {
                node.insert("rdfs:seeAlso".into(), id(u));
            }
            let date = publication_date(e.published.as_deref());
            if let Some(d) = date {
                let ty = if has_time(d) {
                    "xsd:dateTime"
                } else {
                    "xsd:date"
                };
                node.insert(
                    "prov:generatedAtTime".into(),
                    json!({"@value": d, "@type": ty}),
                );
            }
            let quoted_from = if i == 0 || !first_dated || date.is_none() {
                "_:utterance".to_owned()
            } else {
                "_:appearance-0".to_owned()
            };
            node.insert("prov:wasQuotedFrom".into(), id(quoted_from));
            graph.push(Value::Object(node));
        }
        for (n, o) in outlets.iter().enumerate() {
            graph.push(json!({
                "@id": format!("_:outlet-{n}"),
                "@type": ["prov:Agent", "prov:Organization"],
                "rdfs:label": o,
            }));
        }
        for rev in &self.revisions {
            for d in [rev.newer, rev.older] {
                if !docs.contains(&d) {
                    docs.push(d);
                }
            }
        }
        for d in &docs {
            let mut node = Map::new();
            node.insert("@id".into(), json!(document_iri(d)));
            node.insert("@type".into(), json!("prov:Entity"));
            let older: Vec<Value> = self
                .revisions
                .iter()
                .filter(|r| r.newer == *d)
                .map(|r| id(document_iri(&r.older)))
                .collect();
            if !older.is_empty() {
                node.insert("prov:wasRevisionOf".into(), Value::Array(older));
            }
            graph.push(Value::Object(node));
        }
        json!({
            "@context": {
                "prov": PROV,
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            },
            "@graph": graph,
        })
    }
}
