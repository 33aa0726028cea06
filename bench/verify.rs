//! Verify latency against a built store, in one process as `prov verify --batch` runs.
//!
//!     cargo bench --bench verify -- STORE QUERIES.tsv
//!
//! STORE is a store directory or a PostgreSQL store's postgres:// URL. The exact queries
//! are also traced, for trace latency.
//!
//! QUERIES.tsv holds `kind<TAB>quotation` lines (kind: exact, altered, elided, invented).
//! bench/verify.sh builds the stores and the queries and runs this beside `rg -F`.

use std::time::Instant;

use prov::Store;
use prov::model::Verdict;
use prov::store::Location;
use prov::verify::{VerifyOptions, trace, verify};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [store_dir, queries] = args.as_slice() else {
        eprintln!(
            "usage: cargo bench --bench verify -- STORE_DIR QUERIES.tsv (bench/verify.sh runs it)"
        );
        return;
    };
    let store =
        Store::open_at(&Location::parse(std::ffi::OsStr::new(store_dir))).expect("open store");
    let text = std::fs::read_to_string(queries).expect("read queries");
    let options = VerifyOptions::default();
    let mut by_kind: Vec<(String, Vec<f64>, usize, usize)> = Vec::new();
    let mut all = Vec::new();
    let mut elided_meaning = 0;
    let (mut traces, mut trace_found) = (Vec::new(), 0);
    let started = Instant::now();
    for line in text.lines() {
        let Some((kind, q)) = line.split_once('\t') else {
            continue;
        };
        let t0 = Instant::now();
        let report = verify(&store, q, &options).expect("verify");
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        all.push(ms);
        if kind == "exact" {
            let t0 = Instant::now();
            let traced = trace(&store, q, None, &options).expect("trace");
            traces.push(t0.elapsed().as_secs_f64() * 1000.0);
            trace_found += usize::from(!traced.appearances.is_empty());
        }
        if kind == "elided" && report.verdict == Verdict::ElidedMeaning {
            elided_meaning += 1;
        }
        // An elision that leaves out a negation, condition or number is found and
        // reported as such (elided-meaning): the source is found either way.
        let expected = match kind {
            "exact" => report.verdict.supports(),
            "elided" => report.verdict.supports() || report.verdict == Verdict::ElidedMeaning,
            "altered" => report.verdict.as_str() == "altered" || report.verdict.supports(),
            _ => report.verdict.as_str() == "unsupported",
        };
        match by_kind.iter_mut().find(|(k, ..)| k == kind) {
            Some((_, v, n, ok)) => {
                v.push(ms);
                *n += 1;
                *ok += expected as usize;
            }
            None => by_kind.push((kind.to_owned(), vec![ms], 1, expected as usize)),
        }
    }
    let total = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    println!(
        "all       {:>5} queries  {:>7.1} q/s  p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>7.2} ms",
        all.len(),
        all.len() as f64 / total,
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        all.last().copied().unwrap_or(0.0)
    );
    for (kind, mut v, n, ok) in by_kind {
        v.sort_by(f64::total_cmp);
        let what = if kind == "invented" {
            "unsupported"
        } else {
            "found"
        };
        println!(
            "{kind:<9} {n:>5} queries  {what} {ok}/{n}  p50 {:>6.2} ms  p95 {:>6.2} ms  mean {:>6.2} ms",
            percentile(&v, 0.5),
            percentile(&v, 0.95),
            v.iter().sum::<f64>() / v.len() as f64
        );
    }
    traces.sort_by(f64::total_cmp);
    println!(
        "trace     {:>5} queries  found {trace_found}/{}  p50 {:>6.2} ms  p95 {:>6.2} ms  (exact queries; verify time not included)",
        traces.len(),
        traces.len(),
        percentile(&traces, 0.5),
        percentile(&traces, 0.95)
    );
    println!(
        "elided queries reported elided-meaning (the words left out hold a negation, condition or number): {elided_meaning}"
    );
}
