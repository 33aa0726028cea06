//! Entry points for fuzzing: each takes arbitrary bytes, runs one reader of untrusted
//! input, and checks what it returns. `fuzz/` runs them under cargo-fuzz (nightly), and
//! `tests/fuzz_seeds.rs` runs the committed seed corpus through them with every
//! `cargo test`. A panic here is a bug in the reader, never in the input.

use std::path::Path;

use crate::check::config::CheckConfig;
use crate::check::draft::{Draft, DraftFormat};
use crate::extract::Hints;
use crate::store::meta;
use crate::text;

/// A fuzzed reader: takes any bytes, panics only on a bug.
pub type Target = fn(&[u8]);

/// The fuzzed readers, by name (the name of the target and of its corpus folder).
pub const TARGETS: &[(&str, Target)] = &[
    ("html", html),
    ("extract", extract),
    ("normalize", normalize),
    ("align", align),
    ("sidecar", sidecar),
    ("config", config),
    ("draft", draft),
];

/// Any bytes decode and read as a page; the article text is trimmed text.
pub fn html(data: &[u8]) {
    let (page, _) = text::html::decode(data, None);
    let article = text::html::article(&page);
    assert_eq!(article.text.trim(), article.text);
}

/// Every quotation extraction finds lies on character boundaries inside the text.
pub fn extract(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for q in crate::extract::extract(text, &Hints::default()) {
        assert!(q.start <= q.end && q.end <= text.len());
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
    }
}

/// Normalisation maps every offset of its text back into the original.
pub fn normalize(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let norm = text::normalize::normalize(text);
    for w in text::normalize::words(&norm.text) {
        assert!(norm.original(w.start) <= text.len());
    }
}

/// Alignment of one half of the bytes against the other finds passages inside the
/// document.
pub fn align(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    let (quote, doc) = text.split_at(mid);
    if let Some(p) = crate::align::best_passage(
        &crate::align::Query::new(quote),
        &crate::align::Document::new(doc),
    ) {
        assert!(p.range.end <= doc.len());
    }
}

/// A sidecar parses or is refused with an error.
pub fn sidecar(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = meta::parse_sidecar(Path::new("fuzz.txt.meta.toml"), text);
    }
}

/// A `prov.toml` parses or is refused with an error.
pub fn config(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = CheckConfig::parse(Path::new("prov.toml"), text);
    }
}

/// A draft reads in every format, each offset of its text mapping into the file.
pub fn draft(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    for format in [DraftFormat::Markdown, DraftFormat::Text, DraftFormat::Html] {
        let d = Draft::read(source, format);
        for at in 0..=d.text.len() {
            if d.text.is_char_boundary(at) {
                assert!(d.origin(at) <= source.len());
            }
        }
    }
}
