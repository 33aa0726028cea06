#!/usr/bin/env bash
# Benchmark `prov verify` beside `rg -F`, in one run:
#  1. a store of the real corpora (../shared/corpora: BBC + same-event clusters, ~4,400
#     articles), and a scaled store of 100,000 documents generated deterministically from
#     their sentences;
#  2. a batch of real quotes with altered, elided and invented variants;
#  3. queries per second, p50/p95 latency (in one process, as --batch runs), store size
#     against raw text, add throughput; and rg -F over the same files for the exact queries.
#
#   bench/verify.sh            # DOCS=100000 QUERIES=100 by default
#
# Targets (issue 4): p95 under 20 ms per query in batch mode at 100,000 documents; faster
# than rg -F for the same exact queries while also finding altered and elided ones; add
# with indexing and matching at least 5 MB/s; store at most 3x the raw text.
source "$(dirname "$0")/common.sh"
DOCS=${DOCS:-100000}
NQ=${QUERIES:-100}
CORPORA="$SHARED/corpora"
if [ ! -d "$CORPORA/bbc" ]; then
    echo "skipping: $CORPORA not present (it is not in a fresh clone)" >&2
    exit 0
fi
build_prov
(cd "$ROOT" && cargo build --release --locked --quiet --benches)
RG=$(need_tool rg ripgrep)
WORK=${WORK:-$(mktemp -d)}
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/real" "$WORK/scaled"

raw_size() { find "$1" -type f -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1; }
store_size() { du -sb "$1/.prov" | cut -f1; }

# The real corpora, as files the store and rg both read.
find "$CORPORA/bbc" "$CORPORA/clusters" -name '*.txt' | sort > "$WORK/real.list"
i=0; while read -r f; do i=$((i+1)); cp "$f" "$WORK/real/$(printf %05d $i).txt"; done < "$WORK/real.list"
"$PROV" init "$WORK/real" >/dev/null
t0=$(now); "$PROV" -C "$WORK/real" add . >/dev/null 2>&1; t_real=$(elapsed "$t0")
real_bytes=$(raw_size "$WORK/real")

# The scaled store: documents of 12–30 real sentences drawn with a fixed seed.
cat "$WORK"/real/*.txt | sentences > "$WORK/sentences.txt"
scaled_documents "$DOCS" "$WORK/scaled" "$WORK/sentences.txt"
"$PROV" init "$WORK/scaled" >/dev/null
t0=$(now); "$PROV" -C "$WORK/scaled" add . >/dev/null 2>&1; t_scaled=$(elapsed "$t0")
scaled_bytes=$(raw_size "$WORK/scaled")

"$PROV" -C "$WORK/real" --json quotes | python3 "$ROOT/bench/make_queries.py" "$NQ" > "$WORK/queries.tsv"
grep '^exact' "$WORK/queries.tsv" | cut -f2 > "$WORK/exact.txt"

# A 2,000-word draft with 20 quotations (real ones, in sentences of filler) for prov check.
head -20 "$WORK/exact.txt" | awk -v sentences="$WORK/sentences.txt" 'BEGIN { srand(5); while ((getline l < sentences) > 0) s[++n] = l }
    { para = ""; for (j = 0; j < 4; j++) para = para s[1 + int(rand() * n)] " "
      printf "%s\n\n\"%s\"\n\n", para, $0 }' > "$WORK/draft.md"
draft_words=$(wc -w < "$WORK/draft.md")

BENCH=$(ls -t "$ROOT"/target/release/deps/verify-* | grep -v '\.d$' | head -1)
rg_times() { # rg_times DIR: per-query wall times of rg -F over DIR for the exact queries
    local dir=$1 found=0 times=()
    while IFS= read -r q; do
        local t0; t0=$(now)
        if "$RG" -F -l -q -- "$q" "$dir" >/dev/null 2>&1; then found=$((found+1)); fi
        times+=("$(elapsed "$t0")")
    done < "$WORK/exact.txt"
    printf '%s\n' "${times[@]}" | sort -g | awk -v f="$found" '{ a[NR] = $1 * 1000; s += $1 * 1000 }
        END { printf "rg -F     %5d queries  found %d/%d  p50 %6.2f ms  p95 %6.2f ms  mean %6.2f ms\n",
              NR, f, NR, a[int((NR - 1) * 0.5 + 1.5)], a[int((NR - 1) * 0.95 + 1.5)], s / NR }'
}

for which in real scaled; do
    dir="$WORK/$which"
    if [ $which = real ]; then bytes=$real_bytes; t=$t_real; n=$(wc -l < "$WORK/real.list"); else bytes=$scaled_bytes; t=$t_scaled; n=$DOCS; fi
    echo "== verify: $which store, $n documents, $bytes bytes of text"
    echo "add: $(printf %.1f "$t") s, $(mbps "$bytes" "$t") MB/s (extraction, indexing, matching)   target: at least 5 MB/s"
    echo "store: $(store_size "$dir") bytes = $(ratio "$(store_size "$dir")" "$bytes")x the raw text   target: at most 3x"
    "$BENCH" "$dir" "$WORK/queries.tsv"
    rg_times "$dir"
    t_check=$(best_of 3 "$PROV" -C "$dir" check --format json "$WORK/draft.md")
    echo "prov check: a $draft_words-word draft with 20 quotations in $(printf %.3f "$t_check") s (best of 3)   target: well under a second"
done
