#!/usr/bin/env bash
# The honest train figure: the speaker ranker trained on four fifths of PolNeAR's train split
# (`train_speaker --holdout 5`), then the whole pipeline scored on the other fifth (every
# fifth article, 168 of them) by ../shared/eval/attribution/score_attribution.py.
#
#   bench/eval_holdout.sh
#
# It works on a copy of the project's tracked files in a temporary directory, so the
# shipped model (src/extract/speaker_model.tsv) is never touched. Takes a few minutes: it
# builds prov a second time with the four-fifths model.
source "$(dirname "$0")/common.sh"
EVAL="$SHARED/eval/attribution"
TRAIN="$EVAL/polnear_train.jsonl"
if [ ! -f "$TRAIN" ]; then
    echo "skipping: $TRAIN not present (../shared/eval is not in a fresh clone)" >&2
    exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && git ls-files -z | xargs -0 tar cf -) | (cd "$WORK" && tar xf -)
export CARGO_TARGET_DIR="$ROOT/target/holdout"
(cd "$WORK" && cargo build --release --locked --quiet --example train_speaker)
"$CARGO_TARGET_DIR/release/examples/train_speaker" "$TRAIN" \
    "$WORK/src/extract/speaker_model.tsv" --holdout 5 2>&1 | tail -1
(cd "$WORK" && cargo build --release --locked --quiet)
# The trainer holds out the articles whose 0-based line number is a multiple of 5.
awk 'NR % 5 == 1' "$TRAIN" > "$WORK/held.jsonl"
"$CARGO_TARGET_DIR/release/prov" extract --jsonl "$WORK/held.jsonl" > "$WORK/held.pred"
echo "== attribution, PolNeAR train, held-out fifth ($(wc -l < "$WORK/held.jsonl") articles)"
python3 "$EVAL/score_attribution.py" "$WORK/held.jsonl" "$WORK/held.pred"
