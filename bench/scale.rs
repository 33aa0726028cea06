//! Recall and latency of `verify` and `trace` at scale, for quotations planted verbatim in
//! a known number of documents, in one process as `prov verify --batch` runs.
//!
//!     cargo bench --bench scale -- STORE_DIR QUERIES.tsv [PER_QUERY_OUT.tsv]
//!
//! QUERIES.tsv holds `holders<TAB>kind<TAB>quotation` lines: the quotation is held by
//! `holders` documents of the store; kind `common` means every word of it is among the
//! corpus's few hundred most frequent words, `rare` that at least one is not. Recall of a
//! query is the number of distinct documents whose evidence (or trace appearances) supports
//! the quotation, over `holders`; "full" counts the queries whose every holder was found.
//! With PER_QUERY_OUT.tsv, one line per query goes there too:
//! `line<TAB>holders<TAB>kind<TAB>verify_found<TAB>trace_found<TAB>verify_ms<TAB>trace_ms`.
//! bench/scale.sh generates the documents and the queries and runs `rg -F -l` beside this.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::time::Instant;

use prov::verify::{Evidence, VerifyOptions, trace, verify};
use prov::{DocId, Store};

/// One query's outcome.
struct Outcome {
    holders: usize,
    kind: String,
    verify_ms: f64,
    trace_ms: f64,
    verify_found: usize,
    trace_found: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Distinct documents among the evidence that supports the quotation.
fn supporting<'a>(evidence: impl Iterator<Item = &'a Evidence>) -> usize {
    evidence
        .filter(|e| e.verdict.supports())
        .map(|e| e.doc)
        .collect::<HashSet<DocId>>()
        .len()
}

fn recall(found: usize, holders: usize) -> f64 {
    (found.min(holders) as f64) / (holders.max(1) as f64)
}

/// `p50 p95 max` of some timings, in ms.
fn latency(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "{:>8.2} {:>8.2} {:>8.2}",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0)
    )
}

/// `mean min complete/n` of the recalls.
fn recalls(found: impl Iterator<Item = (usize, usize)>) -> String {
    let (mut sum, mut min, mut complete, mut n) = (0.0, f64::INFINITY, 0, 0);
    for (f, h) in found {
        let r = recall(f, h);
        sum += r;
        min = min.min(r);
        complete += (f >= h) as usize;
        n += 1;
    }
    if n == 0 {
        return String::new();
    }
    format!(
        "{:>6.3} {:>6.3} {:>5}",
        sum / n as f64,
        min,
        format!("{complete}/{n}")
    )
}

fn row(label: &str, kind: &str, group: &[&Outcome]) -> String {
    format!(
        "{label:>8} {kind:<6} {:>4}  {}  {}   {}   {}",
        group.len(),
        latency(group.iter().map(|o| o.verify_ms).collect()),
        latency(group.iter().map(|o| o.trace_ms).collect()),
        recalls(group.iter().map(|o| (o.verify_found, o.holders))),
        recalls(group.iter().map(|o| (o.trace_found, o.holders))),
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (store_dir, queries, per_query) = match args.as_slice() {
        [s, q] => (s, q, None),
        [s, q, out] => (s, q, Some(out)),
        _ => {
            eprintln!(
                "usage: cargo bench --bench scale -- STORE_DIR QUERIES.tsv [PER_QUERY_OUT.tsv] \
                 (bench/scale.sh runs it)"
            );
            return;
        }
    };
    let started = Instant::now();
    let store = Store::open(std::path::Path::new(store_dir)).expect("open store");
    let text = std::fs::read_to_string(queries).expect("read queries");
    let options = VerifyOptions::default();
    // One untimed query first, so the first timed one does not pay for a cold store alone.
    let _ = verify(
        &store,
        "The minister said the plan would go ahead.",
        &options,
    );

    let mut outcomes = Vec::new();
    let mut errors = 0;
    let mut lines = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut fields = line.splitn(3, '\t');
        let (Some(holders), Some(kind), Some(quote)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(holders) = holders.parse::<usize>() else {
            continue;
        };
        let t0 = Instant::now();
        let verify_found = match verify(&store, quote, &options) {
            Ok(report) => supporting(report.evidence.iter()),
            Err(e) => {
                eprintln!("query {}: verify failed: {e}", i + 1);
                errors += 1;
                0
            }
        };
        let verify_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let t0 = Instant::now();
        let trace_found = match trace(&store, quote, None, &options) {
            Ok(report) => supporting(report.appearances.iter().map(|a| &a.evidence)),
            Err(e) => {
                eprintln!("query {}: trace failed: {e}", i + 1);
                errors += 1;
                0
            }
        };
        let trace_ms = t0.elapsed().as_secs_f64() * 1000.0;
        let _ = writeln!(
            lines,
            "{}\t{holders}\t{kind}\t{verify_found}\t{trace_found}\t{verify_ms:.3}\t{trace_ms:.3}",
            i + 1
        );
        outcomes.push(Outcome {
            holders,
            kind: kind.to_owned(),
            verify_ms,
            trace_ms,
            verify_found,
            trace_found,
        });
    }
    let total = started.elapsed().as_secs_f64();
    if let Some(out) = per_query {
        std::fs::write(out, lines).expect("write per-query results");
    }

    let mut classes: BTreeMap<usize, Vec<&Outcome>> = BTreeMap::new();
    for o in &outcomes {
        classes.entry(o.holders).or_default().push(o);
    }
    println!(
        "{:>8} {:<6} {:>4}  {:^26}  {:^26}   {:^20}   {:^20}",
        "holders",
        "kind",
        "n",
        "verify ms p50/p95/max",
        "trace ms p50/p95/max",
        "verify recall",
        "trace recall"
    );
    println!(
        "{:>8} {:<6} {:>4}  {:26}  {:26}   {:>6} {:>6} {:>5}   {:>6} {:>6} {:>5}",
        "", "", "", "", "", "mean", "min", "full", "mean", "min", "full"
    );
    for (holders, group) in &classes {
        println!("{}", row(&holders.to_string(), "all", group));
        for kind in ["rare", "common"] {
            let part: Vec<&Outcome> = group.iter().copied().filter(|o| o.kind == kind).collect();
            if !part.is_empty() && part.len() < group.len() {
                println!("{}", row("", kind, &part));
            }
        }
    }
    // "full": the queries whose every holder was found.

    let few: Vec<f64> = outcomes
        .iter()
        .filter(|o| o.holders <= 10)
        .map(|o| o.verify_ms)
        .collect();
    if !few.is_empty() {
        let mut few = few;
        few.sort_by(f64::total_cmp);
        let p95 = percentile(&few, 0.95);
        println!(
            "verify p95 for quotes held by up to 10 documents: {p95:.2} ms over {} queries   \
             target: under 20 ms at 1,000,000 documents ({})",
            few.len(),
            if p95 < 20.0 {
                "met here"
            } else {
                "not met here"
            }
        );
    }
    if let Some(group) = classes.get(&1000) {
        let mut ms: Vec<f64> = group.iter().map(|o| o.trace_ms).collect();
        ms.sort_by(f64::total_cmp);
        let max = ms.last().copied().unwrap_or(0.0);
        println!(
            "trace of quotes held by 1,000 documents: p95 {:.2} ms, max {max:.2} ms   \
             target: under 250 ms ({})",
            percentile(&ms, 0.95),
            if max < 250.0 {
                "met here"
            } else {
                "not met here"
            }
        );
    }
    let complete = |f: fn(&Outcome) -> usize| outcomes.iter().filter(|o| f(o) >= o.holders).count();
    let over = outcomes
        .iter()
        .filter(|o| o.verify_found > o.holders || o.trace_found > o.holders)
        .count();
    println!(
        "every holder found: verify {}/{n}, trace {}/{n} queries; more supporting documents \
         than planted: {over}; errors: {errors}",
        complete(|o| o.verify_found),
        complete(|o| o.trace_found),
        n = outcomes.len(),
    );
    println!(
        "prov total wall time: {total:.2} s (open, one warm-up query, {} verify and {} trace)",
        outcomes.len(),
        outcomes.len()
    );
}
