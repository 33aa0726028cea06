//! Trains the speaker ranker (`src/extract/ranker.rs`) on labelled articles.
//!
//!     cargo run --release --example train_speaker -- TRAIN.jsonl [OUT.tsv]
//!         [--holdout N | --folds F] [--epochs E] [--l2 L] [--rate R] [--min-count C]
//!         [--orders K]
//!
//! TRAIN.jsonl is in the PolNeAR format of `../shared/eval/attribution` (one article per
//! line with `text`, `quotes[].speaker_mention` and `other_quoted_spans`). Each quotation
//! prov finds is matched to a labelled one (overlap of at least half, as the scorer counts);
//! its candidates are labelled by whether they overlap the labelled speaker mention (or, for
//! a quotation with no speaker, the "nobody" candidate). A quotation matching a labelled
//! title or scare quote instead teaches the "term" candidate. The model is a conditional
//! log-linear ranker trained by AdaGrad with L2 decay and averaged weights. It is trained
//! `--orders K` times (default 10), each visiting the quotations in its own fixed shuffled
//! order, and the K weight vectors are averaged: one order's luck no longer decides close
//! calls, so a small change in the rules moves the model a little, not at random. The
//! orders are fixed, so the same data gives the same weights. `--holdout N` keeps every Nth article
//! out of training and reports accuracy on them; `--folds F` cross-validates by article
//! and writes nothing. Those, not the dev split, are what to choose settings by.
//!
//! Writes `feature<TAB>weight` lines, sorted, to OUT.tsv (default: stdout).

use std::collections::HashMap;
use std::io::{BufRead, Write};

use prov::extract::ranker::Answer;
use prov::extract::{self, CharOffsets, Hints};

struct Group {
    /// Feature ids of each candidate.
    candidates: Vec<Vec<u32>>,
    /// Which candidates are right.
    right: Vec<bool>,
    /// The article's line number.
    doc: usize,
}

/// A labelled quotation: its span and its speaker mention's span, in code points.
type LabelledQuote = (usize, usize, Option<(usize, usize)>);

struct Options {
    train: String,
    out: Option<String>,
    holdout: usize,
    folds: usize,
    epochs: usize,
    l2: f64,
    rate: f64,
    min_count: usize,
    orders: usize,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        train: String::new(),
        out: None,
        holdout: 0,
        folds: 0,
        epochs: 30,
        l2: 3e-3,
        rate: 0.05,
        min_count: 3,
        orders: 10,
    };
    let mut positional = Vec::new();
    while let Some(a) = args.next() {
        // A numeric flag's value, parsed into the field's type.
        fn number<T: std::str::FromStr>(name: &str, v: Option<String>) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            let v = v.ok_or_else(|| format!("{name} needs a value"))?;
            v.parse().map_err(|e| format!("{name} {v:?}: {e}"))
        }
        let name = a.as_str();
        match name {
            "--holdout" => o.holdout = number(name, args.next())?,
            "--folds" => o.folds = number(name, args.next())?,
            "--epochs" => o.epochs = number(name, args.next())?,
            "--l2" => o.l2 = number(name, args.next())?,
            "--rate" => o.rate = number(name, args.next())?,
            "--min-count" => o.min_count = number(name, args.next())?,
            "--orders" => o.orders = number(name, args.next())?,
            _ => positional.push(a),
        }
    }
    let mut positional = positional.into_iter();
    o.train = positional
        .next()
        .ok_or("usage: train_speaker TRAIN.jsonl [OUT.tsv] [--holdout N | --folds F] [--epochs E] [--l2 L] [--rate R] [--min-count C] [--orders K]")?;
    o.out = positional.next();
    Ok(o)
}

fn iou(a: (usize, usize), b: (usize, usize)) -> f64 {
    let inter = a.1.min(b.1) as f64 - a.0.max(b.0) as f64;
    if inter <= 0.0 {
        return 0.0;
    }
    inter / (a.1.max(b.1) - a.0.min(b.0)) as f64
}

/// Reads the labelled articles into candidate groups: (training groups, held-out groups).
fn read(o: &Options, names: &mut Vec<String>) -> Result<Vec<Group>, String> {
    let file = std::fs::File::open(&o.train).map_err(|e| format!("{}: {e}", o.train))?;
    // (candidates' feature names, right candidates, held out)
    let mut raw: Vec<(Vec<Vec<String>>, Vec<bool>, usize)> = Vec::new();
    let (mut matched, mut covered, mut terms) = (0usize, 0usize, 0usize);
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", o.train))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{} line {}: {e}", o.train, n + 1))?;
        let text = doc["text"].as_str().unwrap_or_default();
        let gold: Vec<LabelledQuote> = doc["quotes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|q| {
                let start = q["start"].as_u64()? as usize;
                let end = q["end"].as_u64()? as usize;
                let m = &q["speaker_mention"];
                let mention = m["start"]
                    .as_u64()
                    .zip(m["end"].as_u64())
                    .map(|(a, b)| (a as usize, b as usize));
                Some((start, end, mention))
            })
            .collect();
        let others: Vec<(usize, usize)> = doc["other_quoted_spans"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|o| Some((o["start"].as_u64()? as usize, o["end"].as_u64()? as usize)))
            .collect();
        let chars = CharOffsets::new(text);
        for q in extract::training_quotes(text, &Hints::default()) {
            let span = (chars.char_at(q.start), chars.char_at(q.end));
            let best = gold
                .iter()
                .filter(|g| iou(span, (g.0, g.1)) >= 0.5)
                .max_by(|a, b| iou(span, (a.0, a.1)).total_cmp(&iou(span, (b.0, b.1))));
            let right: Vec<bool> = match best {
                Some(g) => {
                    matched += 1;
                    q.candidates
                        .iter()
                        .map(|c| match (&c.answer, g.2) {
                            (Answer::Nobody, None) => true,
                            (Answer::Speaker(r), Some(m)) => {
                                let (a, b) = (chars.char_at(r.start), chars.char_at(r.end));
                                a < m.1 && m.0 < b
                            }
                            _ => false,
                        })
                        .collect()
                }
                // Quoted words the labels call a title, a name or a scare quote.
                None if others.iter().any(|o| iou(span, *o) >= 0.5) => {
                    terms += 1;
                    q.candidates
                        .iter()
                        .map(|c| c.answer == Answer::Term)
                        .collect()
                }
                None => continue,
            };
            if !right.contains(&true) {
                continue;
            }
            covered += 1;
            let features = q.candidates.into_iter().map(|c| c.features).collect();
            raw.push((features, right, n));
        }
    }
    // Features seen fewer than `min_count` times carry no weight: rare words would only
    // be memorised.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for f in raw.iter().flat_map(|(cands, _, _)| cands.iter().flatten()) {
        *counts.entry(f.as_str()).or_default() += 1;
    }
    let mut ids: HashMap<String, u32> = HashMap::new();
    for (f, &c) in &counts {
        if c >= o.min_count {
            ids.insert((*f).to_owned(), names.len() as u32);
            names.push((*f).to_owned());
        }
    }
    let groups = raw
        .into_iter()
        .map(|(cands, right, doc)| Group {
            candidates: cands
                .iter()
                .map(|fs| fs.iter().filter_map(|f| ids.get(f).copied()).collect())
                .collect(),
            right,
            doc,
        })
        .collect();
    eprintln!(
        "{matched} quotations matched a labelled one and {terms} a labelled title or scare quote; the right answer is among the candidates for {covered} ({:.1}%); {} features",
        100.0 * covered as f64 / (matched + terms).max(1) as f64,
        names.len()
    );
    Ok(groups)
}

fn scores(w: &[f64], g: &Group) -> Vec<f64> {
    g.candidates
        .iter()
        .map(|f| f.iter().map(|&i| w[i as usize]).sum())
        .collect()
}

/// Share of groups whose best-scoring candidate is a right one.
fn accuracy(w: &[f64], groups: &[&Group]) -> f64 {
    let ok = groups
        .iter()
        .filter(|g| {
            let s = scores(w, g);
            let best = s
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            g.right[best]
        })
        .count();
    ok as f64 / groups.len().max(1) as f64
}

/// The mean of the weights trained in `o.orders` different orders.
fn train(
    o: &Options,
    groups: &[&Group],
    features: usize,
    held: &[&Group],
    verbose: bool,
) -> Vec<f64> {
    let orders = o.orders.max(1);
    let mut sum = vec![0.0f64; features];
    for k in 0..orders {
        // Distinct non-zero xorshift seeds.
        let seed = 0x2545_f491_4f6c_dd1du64 ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let w = train_once(o, groups, features, held, verbose && k + 1 == orders, seed);
        for (s, w) in sum.iter_mut().zip(w) {
            *s += w;
        }
    }
    let w: Vec<f64> = sum.iter().map(|s| s / orders as f64).collect();
    if verbose && !held.is_empty() {
        eprintln!(
            "mean of {orders} orders: train {:.4}, held out {:.4}",
            accuracy(&w, groups),
            accuracy(&w, held)
        );
    }
    w
}

fn train_once(
    o: &Options,
    groups: &[&Group],
    features: usize,
    held: &[&Group],
    verbose: bool,
    mut seed: u64,
) -> Vec<f64> {
    let mut w = vec![0.0f64; features];
    let mut g2 = vec![1e-8f64; features];
    // Averaged weights (the mean of w over every step) generalise better than the last w:
    // avg = w - u / steps, with u accumulating each update times its step number.
    let mut u = vec![0.0f64; features];
    let mut steps = 1.0f64;
    let average = |w: &[f64], u: &[f64], steps: f64| -> Vec<f64> {
        w.iter().zip(u).map(|(w, u)| w - u / steps).collect()
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    for epoch in 0..o.epochs {
        // Fisher–Yates with xorshift: a fixed, reproducible order per epoch.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &gi in &order {
            let g = groups[gi];
            let s = scores(&w, g);
            let top = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let p: Vec<f64> = s.iter().map(|x| (x - top).exp()).collect();
            let z: f64 = p.iter().sum();
            let zr: f64 = p
                .iter()
                .zip(&g.right)
                .filter(|(_, r)| **r)
                .map(|(p, _)| p)
                .sum();
            // Gradient of -log P(right) = sum over candidates of f * (P(c) - P(c | right)).
            let mut grad: HashMap<u32, f64> = HashMap::new();
            for (ci, f) in g.candidates.iter().enumerate() {
                let target = if g.right[ci] { p[ci] / zr } else { 0.0 };
                let d = p[ci] / z - target;
                if d.abs() < 1e-12 {
                    continue;
                }
                for &i in f {
                    *grad.entry(i).or_default() += d;
                }
            }
            for (i, d) in grad {
                let i = i as usize;
                let d = d + o.l2 * w[i];
                g2[i] += d * d;
                let step = o.rate * d / g2[i].sqrt();
                w[i] -= step;
                u[i] -= steps * step;
            }
            steps += 1.0;
        }
        if !verbose {
            continue;
        }
        let w = average(&w, &u, steps);
        let held_acc = if held.is_empty() {
            String::new()
        } else {
            format!(", held out {:.4}", accuracy(&w, held))
        };
        eprintln!(
            "epoch {}: train {:.4}{held_acc}",
            epoch + 1,
            accuracy(&w, groups)
        );
    }
    average(&w, &u, steps)
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("train_speaker: {e}");
            std::process::exit(2);
        }
    };
    let mut names = Vec::new();
    let all = match read(&o, &mut names) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("train_speaker: {e}");
            std::process::exit(2);
        }
    };
    if o.folds > 1 {
        // Cross-validation by article: the estimate to choose features and settings by.
        let mut sum = 0.0;
        for fold in 0..o.folds {
            let (held, rest): (Vec<&Group>, Vec<&Group>) =
                all.iter().partition(|g| g.doc % o.folds == fold);
            let w = train(&o, &rest, names.len(), &[], false);
            let acc = accuracy(&w, &held);
            eprintln!("fold {fold}: held out {acc:.4}");
            sum += acc;
        }
        eprintln!("mean held-out accuracy {:.4}", sum / o.folds as f64);
        return;
    }
    let (held, groups): (Vec<&Group>, Vec<&Group>) = all
        .iter()
        .partition(|g| o.holdout > 0 && g.doc % o.holdout == 0);
    let w = train(&o, &groups, names.len(), &held, true);
    let mut rows: Vec<(&String, f64)> = names
        .iter()
        .zip(w)
        .filter(|(_, w)| w.abs() >= 1e-3)
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let mut text = format!(
        "# prov speaker ranker: {} weights, trained by examples/train_speaker.rs on {} ({} quotations)\n",
        rows.len(),
        std::path::Path::new(&o.train)
            .file_name()
            .map_or(o.train.clone(), |f| f.to_string_lossy().into_owned()),
        groups.len()
    );
    for (name, w) in rows {
        text.push_str(&format!("{name}\t{w:.4}\n"));
    }
    let written = match &o.out {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{path}: {e}")),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("stdout: {e}")),
    };
    if let Err(e) = written {
        eprintln!("train_speaker: {e}");
        std::process::exit(2);
    }
}
