#!/usr/bin/env bash
# SQLite and PostgreSQL side by side, in one run, on the same documents:
#  1. add throughput of one writer into an empty store of each engine;
#  2. verify p50/p95 and trace p50/p95 in one process (the verify bench) on each store,
#     for the same queries;
#  3. 8 writers adding one eighth each into one empty PostgreSQL store at once: total
#     throughput against the one writer's.
#
#   bench/postgres.sh            # DOCS=100000 QUERIES=100 by default
#
# Documents are generated deterministically from the sentences of ../shared/corpora, as
# bench/verify.sh makes its scaled store. The script starts a PostgreSQL server of its own
# (initdb and pg_ctl in a temporary directory, 127.0.0.1, a free port; as the postgres
# user when run as root) and stops it at the end.
#
# Targets (issue 17): PostgreSQL within 2x of SQLite for verify latency; concurrent writers
# scale past one writer's throughput.
source "$(dirname "$0")/common.sh"
DOCS=${DOCS:-100000}
NQ=${QUERIES:-100}
WRITERS=${WRITERS:-8}
CORPORA="$SHARED/corpora"
if [ ! -d "$CORPORA/bbc" ]; then
    echo "skipping: $CORPORA not present (it is not in a fresh clone)" >&2
    exit 0
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PATH="$PATH:${BIN:-/nonexistent}"
if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
    echo "skipping: PostgreSQL (initdb, pg_ctl) is not installed; apt-get install postgresql" >&2
    exit 0
fi
build_prov
(cd "$ROOT" && cargo build --release --locked --quiet --benches)
BENCH=$(ls -t "$ROOT"/target/release/deps/verify-* | grep -v '\.d$' | head -1)
WORK=${WORK:-$(mktemp -d)}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PGDIR=$(mktemp -d)
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
cleanup() {
    status=$?
    if [ "$status" != 0 ] && [ -f "$PGDIR/log" ]; then
        # A failed run says why the server failed (a full disk makes it restart midway).
        echo "-- the server's log, last lines:" >&2
        tail -n 20 "$PGDIR/log" >&2
        df -h "$WORK" >&2
    fi
    as_pg pg_ctl -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK" "$PGDIR"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg initdb -D "$PGDIR/data" -A trust -U prov --no-locale -E UTF8 >/dev/null
# Server settings a team would use on a machine of its own: durable commits (fsync on),
# more memory for shared buffers than the 128 MB default.
as_pg pg_ctl -D "$PGDIR/data" -l "$PGDIR/log" -w -o \
    "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c max_wal_size=4GB" \
    start >/dev/null
URL="postgres://prov@127.0.0.1:$PORT"

mkdir -p "$WORK/scaled"
find "$CORPORA/bbc" "$CORPORA/clusters" -name '*.txt' | sort | xargs cat | sentences > "$WORK/sentences.txt"
scaled_documents "$DOCS" "$WORK/scaled" "$WORK/sentences.txt"
bytes=$(find "$WORK/scaled" -type f -name '*.txt' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "== $DOCS documents, $bytes bytes of text; PostgreSQL $(as_pg postgres --version | awk '{print $3}') on 127.0.0.1"

# 1. One writer each.
"$PROV" init "$WORK/sqlite" >/dev/null
t0=$(now); "$PROV" -C "$WORK/sqlite" add "$WORK/scaled" >/dev/null 2>&1; t_sqlite=$(elapsed "$t0")
"$PROV" init "$URL/one" >/dev/null
t0=$(now); "$PROV" -C "$URL/one" add "$WORK/scaled" >/dev/null 2>&1; t_pg=$(elapsed "$t0")
printf 'add, one writer:  SQLite %6.1f s (%s MB/s)   PostgreSQL %6.1f s (%s MB/s)   PostgreSQL/SQLite time %sx\n' \
    "$t_sqlite" "$(mbps "$bytes" "$t_sqlite")" "$t_pg" "$(mbps "$bytes" "$t_pg")" "$(ratio "$t_pg" "$t_sqlite")"

# 2. The same queries on both.
"$PROV" -C "$WORK/sqlite" --json quotes | python3 "$ROOT/bench/make_queries.py" "$NQ" > "$WORK/queries.tsv"
echo "-- verify and trace, SQLite"
"$BENCH" "$WORK/sqlite" "$WORK/queries.tsv" | tee "$WORK/sqlite.out"
echo "-- verify and trace, PostgreSQL"
"$BENCH" "$URL/one" "$WORK/queries.tsv" | tee "$WORK/pg.out"
p95() { awk -v k="$2" '$1 == k { for (i = 1; i <= NF; i++) if ($i == "p95") print $(i+1) }' "$1"; }
p50() { awk -v k="$2" '$1 == k { for (i = 1; i <= NF; i++) if ($i == "p50") print $(i+1) }' "$1"; }
echo "verify PostgreSQL/SQLite: p50 $(ratio "$(p50 "$WORK/pg.out" all)" "$(p50 "$WORK/sqlite.out" all)")x, p95 $(ratio "$(p95 "$WORK/pg.out" all)" "$(p95 "$WORK/sqlite.out" all)")x   target: within 2x"
echo "trace  PostgreSQL/SQLite: p50 $(ratio "$(p50 "$WORK/pg.out" trace)" "$(p50 "$WORK/sqlite.out" trace)")x, p95 $(ratio "$(p95 "$WORK/pg.out" trace)" "$(p95 "$WORK/sqlite.out" trace)")x"

# 3. Many writers into one PostgreSQL store, each adding its share of the folders.
ls -d "$WORK"/scaled/*/ > "$WORK/dirs.txt"
split -n "r/$WRITERS" -d "$WORK/dirs.txt" "$WORK/share."
"$PROV" init "$URL/many" >/dev/null
t0=$(now)
for share in "$WORK"/share.*; do
    xargs -a "$share" "$PROV" -C "$URL/many" add >/dev/null 2>&1 &
done
wait
t_many=$(elapsed "$t0")
count=$("$PROV" -C "$URL/many" --json log | wc -l)
"$PROV" -C "$URL/many" fsck >/dev/null && fsck=passed || fsck=FAILED
printf 'add, %d writers at once into PostgreSQL: %6.1f s (%s MB/s), %d documents stored, fsck %s   against one writer: %sx the throughput   target: above 1x\n' \
    "$WRITERS" "$t_many" "$(mbps "$bytes" "$t_many")" "$count" "$fsck" "$(ratio "$t_pg" "$t_many")"
