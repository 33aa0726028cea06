# Shared helpers for the benchmark scripts. Source it; do not run it.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="$ROOT/../shared"
TOOLS="$ROOT/target/bench-tools"
PROV="$ROOT/target/release/prov"

build_prov() {
    (cd "$ROOT" && cargo build --release --locked --quiet)
}

# Installs a reference tool from crates.io into target/bench-tools when the machine lacks it.
need_tool() { # need_tool BIN CRATE
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
    if [ ! -x "$TOOLS/bin/$1" ]; then
        echo "installing $2 from crates.io for comparison..." >&2
        cargo install --quiet --locked --root "$TOOLS" "$2" >&2
    fi
    echo "$TOOLS/bin/$1"
}

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
mbps() { echo "scale=1; $1 / 1048576 / $2" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }

# best_of N CMD...: the fastest wall time of N runs, in seconds. A setup function named
# by BENCH_SETUP runs before each run, untimed.
best_of() {
    local n=$1; shift
    local best=""
    for _ in $(seq "$n"); do
        if [ -n "${BENCH_SETUP:-}" ]; then "$BENCH_SETUP"; fi
        local t0; t0=$(now)
        "$@" >/dev/null || true   # timing only: a finding's exit code 1 is not a failure
        local t; t=$(elapsed "$t0")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.4f\n' "$best"
}

# sentences < TEXT: one sentence per line, those of 40 to 400 characters.
sentences() {
    tr '\n' ' ' | sed 's/\([.!?]"\{0,1\}\) /\1\n/g' | awk 'length($0) > 40 && length($0) < 400'
}

# scaled_documents N DIR SENTENCES: N documents of 12-30 sentences drawn from the file
# SENTENCES with a fixed seed, 100 to a folder under DIR (the scaled stores of verify.sh
# and postgres.sh).
scaled_documents() {
    awk -v n="$1" -v dir="$2" 'BEGIN { srand(20261121) }
        { s[NR] = $0 } END {
          for (d = 1; d <= n; d++) {
            sub_dir = sprintf("%s/%04d", dir, int(d / 100))
            if (sub_dir != last) { system("mkdir -p " sub_dir); last = sub_dir }
            out = sprintf("%s/%06d.txt", sub_dir, d)
            k = 12 + int(rand() * 19); text = ""
            for (j = 0; j < k; j++) text = text s[1 + int(rand() * NR)] ((j % 4 == 3) ? "\n\n" : " ")
            printf "%s\n", text > out; close(out)
          } }' "$3"
}
