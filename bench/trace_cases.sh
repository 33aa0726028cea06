#!/usr/bin/env bash
# Measure how complete and how right `prov trace` is on real reprinted quotations:
#  1. a store of every same-event cluster article (../shared/corpora/clusters, ~2,200
#     articles), each with a sidecar giving outlet, published date, URL and title from the
#     manifest;
#  2. trace cases: every silver shared quote (annotations/silver_shared_quotes.jsonl), and
#     prov's own direct/transcript quotations of 8-60 words that 2+ articles print word for
#     word; deduplicated by normalized text, capped at CASES (600) by a seeded sample;
#  3. ground truth by scanning every article: a case's holders are the articles whose text,
#     normalized (lowercase, apostrophes dropped, every other non-alphanumeric character a
#     space), holds the case's normalized text on word boundaries; the earliest appearance
#     is the earliest manifest date among them (undated holders never count);
#  4. one `prov trace --json` per case: the share of holders listed verbatim (exact or
#     normalized), cases with every holder listed, whether the earliest verbatim appearance
#     trace reports (`first_verbatim`, else the first verbatim one in order) has the
#     expected date, appearances of documents that are not holders, and wall time.
#
#   bench/trace_cases.sh                     # builds and measures target/release/prov
#   bench/trace_cases.sh /path/to/old/prov   # measures that binary as it is, without building
#   TRACE_CASES_OUT=/tmp/cases.jsonl bench/trace_cases.sh   # also writes per-case details
#
# CASES (default 600) caps the number of cases and SEED the sample. Skips (exit 0) when
# ../shared is absent, as in a fresh clone.
source "$(dirname "$0")/common.sh"
CLUSTERS="$SHARED/corpora/clusters"
if [ ! -f "$CLUSTERS/manifest.jsonl" ]; then
    echo "skipping: $CLUSTERS not present (it is not in a fresh clone)" >&2
    exit 0
fi
if [ $# -ge 1 ]; then
    PROV=$(realpath "$1")
else
    build_prov
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/store"

python3 "$ROOT/bench/trace_cases.py" stage "$CLUSTERS" "$WORK/store"
"$PROV" init "$WORK/store" >/dev/null
t0=$(now)
# A refused file or sidecar makes add exit 1 and print "error: ..." on stderr; the Python
# side counts and prints those.
"$PROV" -C "$WORK/store" --json add . >"$WORK/add.jsonl" 2>"$WORK/add.err" || true
t_add=$(elapsed "$t0")

echo "== trace: $("$PROV" --version) ($PROV)"
printf 'add: %.1f s\n' "$t_add"
python3 "$ROOT/bench/trace_cases.py" run "$CLUSTERS" "$WORK/store" "$PROV" \
    "$WORK/add.jsonl" "$WORK/add.err"
