//! A small JSON-LD term checker for the export tests: it resolves every key and `@type`
//! of a document through the vendored published contexts (`tests/fixtures/jsonld/`, no
//! network), as JSON-LD 1.1 expansion does for the features our exports use (string,
//! array and inline `@context`, prefixes, compact IRIs, keyword aliases, `@vocab`,
//! `"@type": "@vocab"` values), and fails on any term that expansion would drop.
//!
//! It is stricter than a processor in one way: a key or type that resolves only through
//! `@vocab` is an error, since schema.org's context defines each of its terms and a typo
//! (`datPublished`) would otherwise expand quietly to a property that does not exist.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

/// Where each published context's IRI is vendored.
const CONTEXTS: &[(&str, &str)] = &[
    ("http://www.w3.org/ns/anno.jsonld", "anno.jsonld"),
    ("https://www.w3.org/ns/anno.jsonld", "anno.jsonld"),
    ("https://schema.org", "schemaorg-context.jsonld"),
    ("https://schema.org/", "schemaorg-context.jsonld"),
    ("http://schema.org", "schemaorg-context.jsonld"),
    ("http://schema.org/", "schemaorg-context.jsonld"),
];

#[derive(Debug, Clone)]
struct Term {
    /// The expanded IRI or keyword.
    id: String,
    /// The term's `@type` as written (`@id`, `@vocab`, a datatype).
    ty: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Context {
    terms: HashMap<String, Term>,
    vocab: Option<String>,
}

/// What checking found: every property and type IRI used, and every problem.
#[derive(Debug, Default)]
pub struct Checked {
    pub iris: BTreeSet<String>,
    pub errors: Vec<String>,
}

impl Checked {
    pub fn assert_clean(&self) {
        assert!(
            self.errors.is_empty(),
            "terms the context does not define:\n{}",
            self.errors.join("\n")
        );
    }

    pub fn assert_has(&self, iris: &[&str]) {
        for iri in iris {
            assert!(
                self.iris.contains(*iri),
                "{iri} not among the expanded IRIs: {:#?}",
                self.iris
            );
        }
    }
}

/// Checks `doc` against the contexts it names.
pub fn check(doc: &Value) -> Checked {
    let mut out = Checked::default();
    walk(&Context::default(), doc, "$", &mut out);
    out
}

fn load(iri: &str) -> Result<Value, String> {
    let file = CONTEXTS
        .iter()
        .find(|(i, _)| *i == iri)
        .map(|(_, f)| *f)
        .ok_or_else(|| format!("no vendored context for {iri}"))?;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jsonld")
        .join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
    v.get("@context")
        .cloned()
        .ok_or_else(|| format!("{file} has no @context"))
}

fn process(active: &Context, local: &Value) -> Result<Context, String> {
    match local {
        Value::Null => Ok(Context::default()),
        Value::String(iri) => process(active, &load(iri)?),
        Value::Array(items) => {
            let mut ctx = active.clone();
            for i in items {
                ctx = process(&ctx, i)?;
            }
            Ok(ctx)
        }
        Value::Object(defs) => {
            let mut ctx = active.clone();
            if let Some(v) = defs.get("@vocab") {
                ctx.vocab = v.as_str().map(str::to_owned);
            }
            let mut raw: Vec<(String, Option<String>, Option<String>)> = Vec::new();
            for (term, def) in defs {
                if term.starts_with('@') {
                    continue;
                }
                match def {
                    Value::String(id) => raw.push((term.clone(), Some(id.clone()), None)),
                    Value::Object(o) => raw.push((
                        term.clone(),
                        o.get("@id").and_then(Value::as_str).map(str::to_owned),
                        o.get("@type").and_then(Value::as_str).map(str::to_owned),
                    )),
                    Value::Null => {
                        ctx.terms.remove(term);
                    }
                    other => return Err(format!("term {term}: bad definition {other}")),
                }
            }
            // Definitions may use each other's prefixes in any order: resolve from the raw
            // strings, a bounded number of steps deep.
            let raw_ids: HashMap<&str, Option<&str>> = raw
                .iter()
                .map(|(t, id, _)| (t.as_str(), id.as_deref()))
                .collect();
            for (term, id, ty) in &raw {
                let id = match id {
                    Some(id) => resolve_raw(&raw_ids, active, id, 8)
                        .ok_or_else(|| format!("term {term}: cannot expand {id}"))?,
                    None => match &ctx.vocab {
                        Some(v) => format!("{v}{term}"),
                        None => return Err(format!("term {term}: no @id and no @vocab")),
                    },
                };
                ctx.terms.insert(term.clone(), Term { id, ty: ty.clone() });
            }
            Ok(ctx)
        }
        other => Err(format!("bad @context {other}")),
    }
}

fn resolve_raw(
    raw: &HashMap<&str, Option<&str>>,
    active: &Context,
    value: &str,
    depth: usize,
) -> Option<String> {
    if depth == 0 {
        return None;
    }
    if value.starts_with('@') {
        return Some(value.to_owned());
    }
    if let Some((prefix, suffix)) = value.split_once(':') {
        if prefix == "_" || suffix.starts_with("//") {
            return Some(value.to_owned());
        }
        if let Some(Some(p)) = raw.get(prefix) {
            return Some(format!(
                "{}{suffix}",
                resolve_raw(raw, active, p, depth - 1)?
            ));
        }
        if let Some(t) = active.terms.get(prefix) {
            return Some(format!("{}{suffix}", t.id));
        }
        return Some(value.to_owned());
    }
    if let Some(Some(other)) = raw.get(value) {
        return resolve_raw(raw, active, other, depth - 1);
    }
    active.terms.get(value).map(|t| t.id.clone())
}

/// How a key or type value expanded.
enum Expanded {
    Term(String),
    Compact(String),
    Vocab(String),
}

fn expand(ctx: &Context, value: &str) -> Option<Expanded> {
    if value.starts_with('@') {
        return Some(Expanded::Term(value.to_owned()));
    }
    if let Some(t) = ctx.terms.get(value) {
        return Some(Expanded::Term(t.id.clone()));
    }
    if let Some((prefix, suffix)) = value.split_once(':') {
        if prefix == "_" || suffix.starts_with("//") {
            return Some(Expanded::Compact(value.to_owned()));
        }
        return match ctx.terms.get(prefix) {
            Some(p) => Some(Expanded::Compact(format!("{}{suffix}", p.id))),
            None => Some(Expanded::Compact(value.to_owned())),
        };
    }
    ctx.vocab
        .as_ref()
        .map(|v| Expanded::Vocab(format!("{v}{value}")))
}

/// The IRI `value` expands to as a key or type, or why it does not.
fn defined(ctx: &Context, value: &str) -> Result<String, String> {
    match expand(ctx, value) {
        Some(Expanded::Term(i) | Expanded::Compact(i)) => Ok(i),
        Some(Expanded::Vocab(i)) => Err(format!(
            "{value} is not defined by the context (only @vocab makes it {i})"
        )),
        None => Err(format!("{value} is not defined by the context (dropped)")),
    }
}

fn walk(active: &Context, v: &Value, path: &str, out: &mut Checked) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(active, item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(o) => walk_object(active, o, path, out),
        _ => {}
    }
}

fn walk_object(active: &Context, o: &Map<String, Value>, path: &str, out: &mut Checked) {
    let ctx = match o.get("@context") {
        Some(local) => match process(active, local) {
            Ok(c) => c,
            Err(e) => {
                out.errors.push(format!("{path}: @context: {e}"));
                return;
            }
        },
        None => active.clone(),
    };
    for (key, value) in o {
        if key == "@context" {
            continue;
        }
        let at = format!("{path}.{key}");
        let iri = match defined(&ctx, key) {
            Ok(i) => i,
            Err(e) => {
                out.errors.push(format!("{at}: {e}"));
                continue;
            }
        };
        match iri.as_str() {
            "@type" => {
                let types: Vec<&Value> = match value {
                    Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                for t in types {
                    match t.as_str().map(|t| defined(&ctx, t)) {
                        Some(Ok(i)) => {
                            out.iris.insert(i);
                        }
                        Some(Err(e)) => out.errors.push(format!("{at}: {e}")),
                        None => out.errors.push(format!("{at}: a type is not a string")),
                    }
                }
            }
            "@id" => {
                if !value.as_str().is_some_and(|s| s.contains(':')) {
                    out.errors
                        .push(format!("{at}: {value} is not an absolute IRI"));
                }
            }
            "@value" => {}
            "@graph" => walk(&ctx, value, &at, out),
            i if i.starts_with('@') => out.errors.push(format!("{at}: unexpected keyword {i}")),
            _ => {
                out.iris.insert(iri.clone());
                let ty = ctx.terms.get(key).and_then(|t| t.ty.clone());
                let strings: Vec<&str> = match value {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                match ty.as_deref() {
                    Some("@vocab") => {
                        for s in strings {
                            match defined(&ctx, s) {
                                Ok(i) => {
                                    out.iris.insert(i);
                                }
                                Err(e) => out.errors.push(format!("{at}: value {e}")),
                            }
                        }
                    }
                    Some("@id") => {
                        for s in strings.iter().filter(|s| !s.contains(':')) {
                            out.errors.push(format!("{at}: {s} is not an absolute IRI"));
                        }
                    }
                    _ => {}
                }
                walk(&ctx, value, &at, out);
            }
        }
    }
}
