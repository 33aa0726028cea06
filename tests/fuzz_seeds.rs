//! The fuzz targets' committed seed corpus (fuzz/corpus/TARGET/), run through the same
//! functions as `cargo fuzz` runs (src/fuzzing.rs), on stable, with every `cargo test`.
//! Inputs a fuzzing run found crashing are added to the corpus and stay fixed.

use std::path::Path;

#[test]
fn every_seed_of_every_target_reads_without_panicking() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (name, target) in prov::fuzzing::TARGETS {
        let dir = corpus.join(name);
        let seeds: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!seeds.is_empty(), "{name} has no seeds");
        for seed in seeds {
            let bytes = std::fs::read(&seed).unwrap();
            target(&bytes);
            // Every prefix too: inputs cut short are what a fuzzer tries first.
            for cut in (0..bytes.len()).step_by(7) {
                target(&bytes[..cut]);
            }
        }
    }
}
