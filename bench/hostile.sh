#!/usr/bin/env bash
# Time and peak memory against input size, for input made to hurt (issue 16):
#  - a run-on paragraph of quotations with attributions and pronouns, 1, 10 and 100 MB,
#    added as one text file (reading, extraction, indexing, matching), then one verify;
#  - an HTML page with <span>s nested 1,000, 10,000 and 100,000 deep, and one with as many
#    unclosed <div><p>, added as a page (HTML reading and extraction).
# Growth should be linear: each row 10x the one before should cost about 10x.
#
#   bench/hostile.sh                 # SIZES_MB="1 10 100" DEPTHS="1000 10000 100000"
source "$(dirname "$0")/common.sh"
SIZES_MB=${SIZES_MB:-"1 10 100"}
DEPTHS=${DEPTHS:-"1000 10000 100000"}
build_prov
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# python3 MEASURE CMD...: runs CMD, prints "seconds peak_rss_mb exit_code".
MEASURE=$(cat <<'PY'
import resource, subprocess, sys, time
t = time.time()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.time() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%.2f %.0f %d" % (dt, peak, p.returncode))
PY
)
measure() { python3 -c "$MEASURE" "$@"; }

printf '%-44s %10s %10s %6s\n' "input" "seconds" "peak MB" "exit"
for mb in $SIZES_MB; do
    f="$WORK/runon_${mb}mb.txt"
    python3 - "$f" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
unit = "Mr Smith%d spoke. \u201cIt is fine and we will build %d homes,\u201d he said. "
out, size, i = [], 0, 0
while size < mb * 1_000_000:
    s = unit % (i, i)
    out.append(s)
    size += len(s.encode())
    i += 1
open(path, "w").write("".join(out) + "\n")
PY
    store="$WORK/store_$mb"
    "$PROV" init "$store" >/dev/null
    read -r t m c < <(measure env PROV_DIR="$store" "$PROV" add --max-size 200M "$f")
    printf '%-44s %10s %10s %6s\n' "add: run-on paragraph, $mb MB" "$t" "$m" "$c"
    read -r t m c < <(measure env PROV_DIR="$store" "$PROV" verify "It is fine and we will build 77 homes")
    printf '%-44s %10s %10s %6s\n' "verify in that store" "$t" "$m" "$c"
done
for depth in $DEPTHS; do
    for kind in spans divs; do
        f="$WORK/${kind}_$depth.html"
        python3 - "$f" "$depth" "$kind" <<'PY'
import sys
path, n, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
quote = "<p>\u201cWe will not give up on the farmers,\u201d the minister said.</p>"
if kind == "spans":
    body = "<span>" * n + quote + "</span>" * n
else:
    body = "<div><p>filler words " * n + quote
open(path, "w").write("<html><body><article>" + body + "</article></body></html>")
PY
        store="$WORK/store_${kind}_$depth"
        "$PROV" init "$store" >/dev/null
        read -r t m c < <(measure env PROV_DIR="$store" "$PROV" add --max-size 200M "$f")
        label="add: $depth nested <span>"
        [ "$kind" = divs ] && label="add: $depth unclosed <div><p>"
        printf '%-44s %10s %10s %6s\n' "$label" "$t" "$m" "$c"
    done
done
