//! Extraction throughput on one core: every BBC article (../shared/corpora/bbc), or
//! generated news-like text when that folder is absent.
//!
//!     cargo bench --bench extract
//!
//! Target (issue 3): at least 20 MB/s of news text on one core.

use std::path::Path;
use std::time::Instant;

use prov::extract::{Hints, extract};

fn corpus() -> (String, Vec<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc");
    let mut texts = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if entry.path().extension().is_some_and(|e| e == "txt")
                && let Ok(t) = std::fs::read_to_string(entry.path())
            {
                texts.push(t);
            }
        }
        return (format!("BBC corpus, {} articles", texts.len()), texts);
    }
    let names = ["Jane Smith", "the minister", "he", "officials", "Mr Brown"];
    for i in 0..2225 {
        let mut t = String::new();
        for p in 0..10 {
            let who = names[(i + p) % names.len()];
            t.push_str(&format!(
                "The report on growth was published on Monday, {who} said. \"We expect the economy to grow by {p} percent next year,\" {who} added. Analysts called the figures \"optimistic\".\n\n"
            ));
        }
        texts.push(t);
    }
    (
        "generated corpus (../shared/corpora/bbc absent)".to_owned(),
        texts,
    )
}

fn main() {
    let (label, texts) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let hints = Hints::default();
    let mut best = f64::INFINITY;
    let mut quotes = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        quotes = texts
            .iter()
            .map(|t| extract(t, &hints).len())
            .sum::<usize>();
        best = best.min(t0.elapsed().as_secs_f64());
    }
    let mbps = bytes as f64 / 1_048_576.0 / best;
    println!("== extract, one core: {label}, {bytes} bytes, {quotes} quotations (best of 5)");
    println!("{best:.3} s  {mbps:.1} MB/s   target: at least 20 MB/s");
}
