#!/usr/bin/env bash
# Trains the speaker ranker on the PolNeAR train split and writes src/extract/speaker_model.tsv.
# The dev split is never read: measure it afterwards with bench/eval_attribution.sh.
#
#   bench/train_speaker.sh              # train on all of train, write the model
#   bench/train_speaker.sh --folds 5    # 5-fold cross-validation by article; writes nothing
#
# Options after the first are passed to examples/train_speaker.rs (--epochs, --l2, --rate,
# --min-count, --holdout).
source "$(dirname "$0")/common.sh"
TRAIN="$SHARED/eval/attribution/polnear_train.jsonl"
if [ ! -f "$TRAIN" ]; then
    echo "skipping: $TRAIN not present (../shared/eval is not in a fresh clone)" >&2
    exit 0
fi
(cd "$ROOT" && cargo build --release --locked --quiet --example train_speaker)
if [[ " $* " == *" --folds "* ]]; then
    "$ROOT/target/release/examples/train_speaker" "$TRAIN" "$@"
else
    "$ROOT/target/release/examples/train_speaker" "$TRAIN" "$ROOT/src/extract/speaker_model.tsv" "$@"
    echo "wrote src/extract/speaker_model.tsv; rebuild prov and run bench/eval_attribution.sh" >&2
fi
