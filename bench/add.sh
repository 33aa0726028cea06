#!/usr/bin/env bash
# Benchmark `prov add`: the BBC corpus (2,225 articles) and one 100 MB text file, beside
# b3sum and cp over the same bytes, in the same run. Prints MB/s and ratios.
#
#   bench/add.sh            # uses ../shared/corpora/bbc, or generated text without it
#
# Targets (issue 2): the BBC set in under 1 s; the 100 MB file within 3x of b3sum + cp.
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-5}
build_prov
B3SUM=$(need_tool b3sum b3sum)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

BBC="$SHARED/corpora/bbc"
if [ -d "$BBC" ]; then
    CORPUS=$BBC
    label="BBC corpus ($BBC)"
else
    # Deterministic stand-in of the same shape: 2,225 files of about 2.2 KB.
    CORPUS="$WORK/generated"
    mkdir -p "$CORPUS"
    awk 'BEGIN { srand(42); split("the minister said that a report on growth would be published next week by officials in london and the bank", w, " ");
         for (f = 0; f < 2225; f++) { out = sprintf("'"$CORPUS"'/%04d.txt", f); s = "";
           for (i = 0; i < 380; i++) s = s w[int(rand() * 20) + 1] (i % 19 == 18 ? ".\n" : " ");
           printf "%s", s > out; close(out) } }'
    label="generated corpus (../shared/corpora/bbc absent)"
fi
corpus_bytes=$(find "$CORPUS" -type f -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
corpus_files=$(find "$CORPUS" -type f -name '*.txt' | wc -l)

fresh_store() { rm -rf "$WORK/store"; mkdir -p "$WORK/store"; "$PROV" init "$WORK/store" >/dev/null; }
BENCH_SETUP=fresh_store
t_prov=$(best_of "$RUNS" env PROV_DIR="$WORK/store" "$PROV" add "$CORPUS")
unset BENCH_SETUP
t_b3=$(best_of "$RUNS" bash -c "find '$CORPUS' -type f -name '*.txt' -print0 | xargs -0 '$B3SUM'")
copy_tree() { rm -rf "$WORK/copy"; cp -r "$CORPUS" "$WORK/copy"; }
t_cp=$(best_of "$RUNS" copy_tree)

echo "== add: $label: $corpus_files files, $corpus_bytes bytes (best of $RUNS)"
printf '%-22s %8.3f s  %8s MB/s\n' "prov add (fresh store)" "$t_prov" "$(mbps "$corpus_bytes" "$t_prov")"
printf '%-22s %8.3f s  %8s MB/s\n' "b3sum" "$t_b3" "$(mbps "$corpus_bytes" "$t_b3")"
printf '%-22s %8.3f s  %8s MB/s\n' "cp -r" "$t_cp" "$(mbps "$corpus_bytes" "$t_cp")"
echo "prov / (b3sum + cp): $(ratio "$t_prov" "$(echo "$t_b3 + $t_cp" | bc -l)")x   target: BBC set under 1 s"

# One 100 MB file built from the corpus text, repeated.
BIG="$WORK/big.txt"
: > "$BIG"
while [ "$(stat -c %s "$BIG")" -lt 104857600 ]; do
    find "$CORPUS" -type f -name '*.txt' | sort | sed -n '1,500p' | xargs cat >> "$BIG"
done
truncate -s 104857600 "$BIG"
# A cut may split a UTF-8 sequence; end on a whole line.
sed -i '$ d' "$BIG"
big_bytes=$(stat -c %s "$BIG")
BENCH_SETUP=fresh_store
t_prov=$(best_of "$RUNS" env PROV_DIR="$WORK/store" "$PROV" add --max-size 200M "$BIG")
unset BENCH_SETUP
t_b3=$(best_of "$RUNS" "$B3SUM" "$BIG")
t_cp=$(best_of "$RUNS" cp "$BIG" "$WORK/big.copy")
echo "== add: one file of $big_bytes bytes (best of $RUNS)"
printf '%-22s %8.3f s  %8s MB/s\n' "prov add (fresh store)" "$t_prov" "$(mbps "$big_bytes" "$t_prov")"
printf '%-22s %8.3f s  %8s MB/s\n' "b3sum" "$t_b3" "$(mbps "$big_bytes" "$t_b3")"
printf '%-22s %8.3f s  %8s MB/s\n' "cp" "$t_cp" "$(mbps "$big_bytes" "$t_cp")"
echo "prov / (b3sum + cp): $(ratio "$t_prov" "$(echo "$t_b3 + $t_cp" | bc -l)")x   target: within 3x"
