#!/usr/bin/env bash
# Quote extraction and speaker attribution on the labelled PolNeAR split, scored by
# ../shared/eval/attribution/score_attribution.py.
#
#   bench/eval_attribution.sh [dev|train]      # default: dev
#
# Targets on dev (issue 3): quote F1 >= 0.96, speaker accuracy >= 0.92, end-to-end F1 >= 0.90.
source "$(dirname "$0")/common.sh"
SPLIT=${1:-dev}
EVAL="$SHARED/eval/attribution"
GOLD="$EVAL/polnear_$SPLIT.jsonl"
if [ ! -f "$GOLD" ]; then
    echo "skipping: $GOLD not present (../shared/eval is not in a fresh clone)" >&2
    exit 0
fi
build_prov
PRED=$(mktemp)
trap 'rm -f "$PRED"' EXIT
"$PROV" extract --jsonl "$GOLD" > "$PRED"
echo "== attribution, PolNeAR $SPLIT ($(wc -l < "$GOLD") articles)"
python3 "$EVAL/score_attribution.py" "$GOLD" "$PRED"
