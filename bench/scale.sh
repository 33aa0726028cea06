#!/usr/bin/env bash
# Benchmark whether `verify` and `trace` find EVERY document holding a quotation, at scale,
# beside `rg -F -l` over the same files:
#  1. the real sentences of ../shared/corpora (BBC and the same-event clusters), split as
#     bench/verify.sh splits them, 40-400 characters;
#  2. quotations (real sentences, some made only of the corpus's most frequent words) planted
#     verbatim in 1, 10, 100, 1,000 and 10,000 documents each, inside running text, sometimes
#     in double quotes followed by "he said"; no quotation occurs anywhere else (sentences
#     holding one, ignoring case and punctuation, are left out of the filler);
#  3. N documents of 12-30 filler sentences (a blank line every 4), generated with a fixed
#     seed in directories of 1,000 files;
#  4. `prov add` of them, timed, and the store's size against the text;
#  5. per holder count: verify and trace latency and recall (bench/scale.rs, in one process),
#     and rg -F -l latency and recall (one process per query).
#
#   bench/scale.sh                                  # SIZES="100000 1000000" by default
#   SIZES="2000 20000" QUERIES_PER_CLASS=20 bench/scale.sh
#   WORK=/tmp/scale bench/scale.sh                  # keeps the data; a rerun reuses stores
#
# Targets: exact-quote recall equal to rg's at every holder count; verify p95 under 20 ms
# for quotes held by up to 10 documents at 1,000,000 documents; trace of a quote held by
# 1,000 documents under 250 ms; store at most 3x the raw text; add at least 5 MB/s at
# 1,000,000 documents.
source "$(dirname "$0")/common.sh"
SIZES=${SIZES:-"100000 1000000"}
QPC=${QUERIES_PER_CLASS:-20}
SEED=20261121
CORPORA="$SHARED/corpora"
if [ ! -d "$CORPORA/bbc" ] || [ ! -d "$CORPORA/clusters" ]; then
    echo "skipping: $CORPORA not present (it is not in a fresh clone)" >&2
    exit 0
fi
build_prov
(cd "$ROOT" && cargo build --release --locked --quiet --benches)
RG=$(need_tool rg ripgrep)
BENCH=$(ls -t "$ROOT"/target/release/deps/scale-* | grep -v '\.d$' | head -1)
if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
TARGETS="targets: exact-quote recall equal to rg's at every holder count; verify p95 under 20 ms for quotes held by up to 10 documents at 1,000,000 documents; trace of a quote held by 1,000 documents under 250 ms; store at most 3x the raw text; add at least 5 MB/s at 1,000,000 documents"

# The generator: python3 -c "$GEN" CORPORA OUT N QUERIES_PER_CLASS SEED. Writes OUT/docs,
# OUT/queries.tsv, OUT/expected/QID.txt (QID = line of queries.tsv, 001...) and
# OUT/gen.done (key=value). The quotations do not depend on N; where they are planted does.
GEN=$(cat <<'PY'
import collections, multiprocessing, os, random, re, sys, time

corpora, out, n_docs, qpc, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
t_start = time.time()
CLASSES = [1, 10, 100, 1000, 10000]
PER_DIR = 1000

# 1. Sentences, split as bench/verify.sh splits them (its sed), whitespace collapsed.
files = []
for top, pattern in (("bbc", re.compile(r"^[a-z]+/[0-9]+\.txt$")),
                     ("clusters", re.compile(r"^cluster_[0-9]+/article_[0-9]+\.txt$"))):
    for dirpath, _, names in os.walk(os.path.join(corpora, top)):
        for name in names:
            rel = os.path.relpath(os.path.join(dirpath, name), os.path.join(corpora, top))
            if pattern.match(rel):
                files.append(os.path.join(dirpath, name))
files.sort()
text = " ".join(open(f, "rb").read().decode("utf-8", "replace").replace("\n", " ") for f in files)
sentences = [re.sub(r"\s+", " ", s).strip() for s in re.sub(r'([.!?]"?) ', "\\1\n", text).split("\n")]
sentences = [s for s in sentences if 40 <= len(s) <= 400]

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
def words(s):
    return WORD.findall(s.lower().replace("\u2019", "'").replace("\u2018", "'"))
def key(s):  # case, typography and punctuation ignored: what any normalisation could match
    return " " + " ".join(words(s)) + " "

freq = collections.Counter()
for s in sentences:
    freq.update(words(s))
rank = {w: i + 1 for i, (w, _) in enumerate(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])))}

# 2. Quotation candidates: real sentences, outer double quotes dropped, none inside, that end
# a sentence (not an abbreviation or "...") and start with a capital.
ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,2}|[A-Z]\.[A-Z])\.$")
candidates = []
seen = set()
for s in sentences:
    q = s.strip('"\u201c\u201d ')
    if q in seen or not (40 <= len(q) <= 300) or any(c in q for c in '"\u201c\u201d'):
        continue
    seen.add(q)
    if not q[0].isupper() or q[-1] not in ".!?" or q.endswith("..") or ABBREV.search(q):
        continue
    ws = words(q)
    if len(ws) < 6:
        continue
    candidates.append((max(rank[w] for w in ws), q))
rng = random.Random(seed)
rng.shuffle(candidates)

counts = {h: (min(qpc, 5) if h == 10000 else qpc) for h in CLASSES}
n_common = {h: min(counts[h] // 2, max(2, counts[h] // 4)) for h in CLASSES}
need_common = sum(n_common.values())
# Common: every word among the 300 most frequent; widened 100 at a time if too few exist.
threshold = 300
while sum(1 for r, _ in candidates if r <= threshold) < need_common + 5 and threshold < 2000:
    threshold += 100
common_pool = sorted((c for c in candidates if c[0] <= threshold), key=lambda c: c[0] > 300)
rare_pool = [c for c in candidates if c[0] > 300]

chosen_keys = []
def distinct(q):
    k = key(q)
    return all(k not in o and o not in k for o in chosen_keys)
def take(pool):
    while pool:
        r, q = pool.pop(0)
        if distinct(q):
            chosen_keys.append(key(q))
            return r, q
    sys.exit("not enough quotation candidates")

quotes = []  # (holders, kind, quotation, rarest word's rank)
for h in CLASSES:
    for i in range(counts[h]):
        kind = "common" if i < n_common[h] else "rare"
        r, q = take(common_pool if kind == "common" else rare_pool)
        quotes.append((h, kind, q, r))

# The filler: every sentence that holds no quotation, however normalised.
filler = []
for s in sentences:
    ks = key(s)
    if not any(k in ks for k in chosen_keys):
        filler.append(s.encode())
excluded = len(sentences) - len(filler)

# 3. Where each quotation goes: distinct documents, a position inside the running text,
# and a wrapping.
prng = random.Random(seed * 1000003 + n_docs)
plants = collections.defaultdict(list)   # doc -> [(position in [0, 1), bytes)]
kept, skipped = [], []
WRAPS = ['{q}', '{q}', '{q}', '"{q}" he said.', '\u201c{q}\u201d he said.', '\u201c{q}\u201d she said.']
for h, kind, q, r in quotes:
    if h > n_docs // 2:
        skipped.append(h)
        continue
    docs = sorted(prng.sample(range(n_docs), h))
    for d in docs:
        plants[d].append((prng.random(), prng.choice(WRAPS).format(q=q).encode()))
    kept.append((h, kind, q, r, docs))

def rel(d):
    return "%04d/%06d.txt" % (d // PER_DIR, d)

def write_dir(dir_index):
    drng = random.Random(seed * 7919 + dir_index)
    base = os.path.join(out, "docs", "%04d" % dir_index)
    os.makedirs(base, exist_ok=True)
    total = 0
    for d in range(dir_index * PER_DIR, min(n_docs, (dir_index + 1) * PER_DIR)):
        k = 12 + drng.randrange(19)
        doc = drng.choices(filler, k=k)
        for pos, q in plants.get(d, ()):
            doc.insert(1 + int(pos * (len(doc) - 1)), q)   # never first nor last
        parts = []
        for j, s in enumerate(doc):
            parts.append(s)
            parts.append(b"\n" if j == len(doc) - 1 else (b"\n\n" if j % 4 == 3 else b" "))
        data = b"".join(parts)
        fd = os.open(os.path.join(base, "%06d.txt" % d), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, data)
        os.close(fd)
        total += len(data)
    return total

t_prep = time.time() - t_start
t0 = time.time()
dirs = range((n_docs + PER_DIR - 1) // PER_DIR)
with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
    total = sum(pool.imap_unordered(write_dir, dirs, chunksize=4))
t_docs = time.time() - t0

os.makedirs(os.path.join(out, "expected"), exist_ok=True)
with open(os.path.join(out, "queries.tsv"), "w") as f:
    for i, (h, kind, q, r, docs) in enumerate(kept, 1):
        f.write("%d\t%s\t%s\n" % (h, kind, q))
        with open(os.path.join(out, "expected", "%03d.txt" % i), "w") as e:
            e.write("".join(rel(d) + "\n" for d in docs))
t_all = time.time() - t_start
n_plants = sum(len(v) for v in plants.values())
common_ranks = sorted(r for h, kind, q, r, _ in kept if kind == "common")
with open(os.path.join(out, "gen.done"), "w") as f:
    f.write("gen_seconds=%.2f\nprep_seconds=%.2f\ndocs_seconds=%.2f\nbytes=%d\ndocs=%d\nqueries=%d\n"
            "queries_per_class=%d\nplanted=%d\nskipped=%s\nsentences=%d\nfiller=%d\nthreshold=%d\n"
            "common_max_rank=%s\n"
            % (t_all, t_prep, t_docs, total, n_docs, len(kept), qpc, n_plants,
               ",".join(str(h) for h in sorted(set(skipped))), len(sentences), len(filler), threshold,
               common_ranks[-1] if common_ranks else 0))
print("generated %d documents, %d bytes, in %.1f s (%.1f s choosing sentences and quotations, "
      "%.1f s writing documents, %.1f MB/s); %d sentences, %d left out of the filler as holding a "
      "quotation; %d quotations planted %d times (%.2f per document)"
      % (n_docs, total, t_all, t_prep, t_docs, total / 1048576 / max(t_docs, 1e-9), len(sentences),
         excluded, len(kept), n_plants, n_plants / n_docs))
PY
)

# The rg side and the comparison: python3 -c "$RGRUN" RG DIR PROV_PER_QUERY.tsv
RGRUN=$(cat <<'PY'
import os, subprocess, sys, time
rg, d, prov_file = sys.argv[1], sys.argv[2], sys.argv[3]
docs = os.path.join(d, "docs")
def pct(v, p):
    v = sorted(v)
    return v[int(round((len(v) - 1) * p))] if v else 0.0
rows = []  # (line, holders, kind, found, ms, missing, extra)
with open(os.path.join(d, "queries.tsv")) as f:
    for i, line in enumerate(f, 1):
        h, kind, q = line.rstrip("\n").split("\t", 2)
        t0 = time.perf_counter()
        p = subprocess.run([rg, "-F", "-l", "--", q, docs], stdout=subprocess.PIPE)
        ms = (time.perf_counter() - t0) * 1000
        if p.returncode > 1:
            print("rg failed on query %d (exit %d)" % (i, p.returncode))
        found = {os.path.relpath(x, docs) for x in p.stdout.decode().splitlines()}
        with open(os.path.join(d, "expected", "%03d.txt" % i)) as e:
            expected = set(e.read().split())
        rows.append((i, int(h), kind, len(found), ms, len(expected - found), len(found - expected)))
prov = {}
if os.path.exists(prov_file):
    for line in open(prov_file):
        i, h, kind, vf, tf, vms, tms = line.split("\t")
        prov[int(i)] = (int(vf), int(tf))
print("rg -F -l (one process per query, wall time from spawn to exit; files found / holders):")
print("%8s %-6s %4s  %8s %8s %8s   %6s %6s %5s" % ("holders", "kind", "n", "p50 ms", "p95 ms", "max ms", "mean", "min", "full"))
classes = sorted({r[1] for r in rows})
def line(label, kind, g):
    rec = [min(r[3], r[1]) / r[1] for r in g]
    ms = [r[4] for r in g]
    print("%8s %-6s %4d  %8.2f %8.2f %8.2f   %6.3f %6.3f %5s" % (label, kind, len(g), pct(ms, .5), pct(ms, .95), max(ms),
          sum(rec) / len(rec), min(rec), "%d/%d" % (sum(r[3] >= r[1] for r in g), len(g))))
for h in classes:
    g = [r for r in rows if r[1] == h]
    line(h, "all", g)
    for kind in ("rare", "common"):
        part = [r for r in g if r[2] == kind]
        if part and len(part) < len(g):
            line("", kind, part)
bad = [r for r in rows if r[5] or r[6]]
if bad:
    print("rg recall is NOT 1.0 everywhere: %d queries differ from the planted holders (%d files missing, %d extra)"
          % (len(bad), sum(r[5] for r in bad), sum(r[6] for r in bad)))
else:
    print("rg found exactly the planted holders for every query (recall 1.0, no extra file)")
print("exact-quote recall against rg's, queries where prov found every document rg found:")
for h in classes:
    g = [r for r in rows if r[1] == h]
    v = sum(1 for r in g if r[0] in prov and prov[r[0]][0] >= r[3])
    t = sum(1 for r in g if r[0] in prov and prov[r[0]][1] >= r[3])
    ok = v == len(g) and t == len(g)
    print("  %5d holders: verify %d/%d, trace %d/%d   %s" % (h, v, len(g), t, len(g), "equal to rg's" if ok else "NOT equal to rg's"))
PY
)

raw_size() { grep '^bytes=' "$1/gen.done" | cut -d= -f2; }
field() { grep "^$2=" "$1" | cut -d= -f2-; }

for N in $SIZES; do
    dir="$WORK/$N"
    echo "== scale: $N documents, in $dir"
    if [ -d "$dir/.prov" ] && [ -f "$dir/add.done" ] && [ -f "$dir/gen.done" ]; then
        echo "reusing the documents and the store of an earlier run (remove $dir/add.done to add again)"
        if [ "$(field "$dir/gen.done" queries_per_class)" != "$QPC" ]; then
            echo "note: that run planted $(field "$dir/gen.done" queries_per_class) queries per class, not $QPC; its queries are used"
        fi
    else
        if [ ! -f "$dir/gen.done" ]; then
            # About 2,900 bytes a document; the text and a store of up to 3x it need ~4x.
            need=$((N * 2900 * 4))
            mkdir -p "$WORK"
            free=$(df -B1 --output=avail "$WORK" | tail -1 | tr -d ' ')
            if [ "$free" -lt "$need" ]; then
                echo "skipping $N documents: $free bytes free in $WORK, about $need needed (4x the text)"
                continue
            fi
            rm -rf "$dir"; mkdir -p "$dir"
            python3 -c "$GEN" "$CORPORA" "$dir" "$N" "$QPC" "$SEED"
        fi
        rm -rf "$dir/.prov" "$dir/add.done"
        "$PROV" init "$dir" >/dev/null
        t0=$(now)
        "$PROV" -C "$dir" add docs >"$dir/add.log" 2>&1 || { echo "prov add failed, see $dir/add.log" >&2; tail -5 "$dir/add.log" >&2; exit 1; }
        t_add=$(elapsed "$t0")
        echo "add_seconds=$t_add" > "$dir/add.done"
    fi
    bytes=$(raw_size "$dir")
    t_add=$(field "$dir/add.done" add_seconds)
    store=$(du -sb "$dir/.prov" | cut -f1)
    skipped=$(field "$dir/gen.done" skipped)

    echo "-- summary: $N documents"
    echo "documents: $(field "$dir/gen.done" docs), raw text $bytes bytes ($(echo "scale=1; $bytes / 1048576" | bc -l) MB)"
    echo "generation: $(printf %.1f "$(field "$dir/gen.done" gen_seconds)") s ($(printf %.1f "$(field "$dir/gen.done" docs_seconds)") s writing documents); $(field "$dir/gen.done" queries) quotations planted $(field "$dir/gen.done" planted) times; common quotations use words up to rank $(field "$dir/gen.done" common_max_rank) (threshold $(field "$dir/gen.done" threshold))"
    if [ -n "$skipped" ]; then
        echo "skipped holder classes (more holders than half the documents): $skipped"
    fi
    echo "add: $(printf %.1f "$t_add") s, $(mbps "$bytes" "$t_add") MB/s (extraction, indexing, matching)   target: at least 5 MB/s at 1,000,000 documents"
    echo "store: $store bytes = $(ratio "$store" "$bytes")x the raw text   target: at most 3x"
    echo "$TARGETS"
    echo "prov (bench/scale.rs, one process; recall = distinct supporting documents / holders; full = queries with every holder found):"
    "$BENCH" "$dir" "$dir/queries.tsv" "$dir/prov.tsv"
    python3 -c "$RGRUN" "$RG" "$dir" "$dir/prov.tsv"
done
