#!/usr/bin/env bash
# Benchmark `prov add` of a large web archive beside warcio (Python, the Webrecorder
# project's WARC library, installed from PyPI into target/bench-tools/venv when missing)
# reading the same file:
#  1. a gzipped WARC of SIZE bytes (default 1G) generated with a fixed seed: HTML pages
#     made of real sentences from ../shared/corpora (or generated words when the corpora
#     are absent), each with a request record, and image responses of random bytes
#     between them (most of a real crawl's bytes are not pages);
#  2. warcio iterating every record and reading its payload (the reference: parsing only);
#  3. `prov add` of the archive into an empty store: parsing, decoding, extraction,
#     indexing and storing every page.
# Reports wall time, throughput and peak memory (RSS) of each; peak memory is what shows
# the archive is streamed (it must not grow with SIZE).
#
#   bench/warc.sh                 # SIZE=1G
#   SIZE=200M bench/warc.sh
#   BEFORE=/path/to/older/prov bench/warc.sh   # also times that build, alternating
source "$(dirname "$0")/common.sh"
SIZE=${SIZE:-1G}
case "$SIZE" in
    *G) BYTES=$(( ${SIZE%G} * 1024 * 1024 * 1024 )) ;;
    *M) BYTES=$(( ${SIZE%M} * 1024 * 1024 )) ;;
    *) BYTES=$SIZE ;;
esac
build_prov
VENV="$TOOLS/venv"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import warcio" 2>/dev/null; then
    echo "installing warcio from PyPI for comparison..." >&2
    "$VENV/bin/pip" install --quiet warcio==1.7.5
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$SHARED/corpora" "$WORK/crawl.warc.gz" "$BYTES" <<'PY'
import gzip, os, random, re, sys
corpora, out, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(20261201)
sentences = []
bbc = os.path.join(corpora, "bbc")
if os.path.isdir(bbc):
    for top, _, names in sorted(os.walk(bbc)):
        for n in sorted(names):
            if n.endswith(".txt"):
                text = open(os.path.join(top, n), "rb").read().decode("utf-8", "replace")
                sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 40 <= len(s.strip()) <= 300]
if not sentences:
    words = ["minister", "said", "the", "report", "would", "change", "nothing", "council", "vote", "today"]
    sentences = [" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(5000)]

def record(kind, uri, ctype, block, n):
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"
            "WARC-Target-URI: %s\r\nWARC-Date: 2024-%02d-%02dT%02d:%02d:00Z\r\nContent-Type: %s\r\n"
            "Content-Length: %d\r\n\r\n" % (kind, n, uri, 1 + n % 12, 1 + n % 28, n % 24, n % 60, ctype, len(block)))
    return gzip.compress(head.encode() + block + b"\r\n\r\n", 1)

written, n, pages = 0, 0, 0
with open(out, "wb") as f:
    while written < target:
        n += 1
        uri = "https://news%d.example/story/%d" % (n % 50, n)
        paras = "".join("<p>%s</p>\n" % " ".join(rng.choice(sentences) for _ in range(3)) for _ in range(rng.randint(6, 14)))
        html = ("<!DOCTYPE html><html><head><title>Story %d</title></head><body><nav><a href=/>Home</a></nav>"
                "<article><h1>Story %d</h1>\n%s</article><footer>(c) News</footer></body></html>" % (n, n, paras)).encode()
        body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(html) + html
        for rec in (record("request", uri, "application/http; msgtype=request", b"GET / HTTP/1.1\r\n\r\n", n),
                    record("response", uri, "application/http; msgtype=response", body, n)):
            f.write(rec); written += len(rec)
        pages += 1
        for k in range(2):
            img = rng.randbytes(rng.randint(20000, 60000))
            rec = record("response", uri + "/img%d.jpg" % k, "application/http; msgtype=response",
                         b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n" + img, n)
            f.write(rec); written += len(rec)
print("generated %s: %d bytes, %d HTML pages" % (out, written, pages))
PY

measure() { # measure LABEL CMD...: wall time and peak RSS of CMD
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t0 = time.time()
p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
t = time.time() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%s: %.1f s, peak RSS %.0f MB, exit %d" % (label, t, rss, p.returncode))
tail = p.stderr.decode(errors="replace").strip().splitlines()[-2:]
for line in tail:
    print("   " + line)
PY
}

bytes=$(stat -c %s "$WORK/crawl.warc.gz")
echo "archive: $bytes bytes (gzipped record by record)"
measure "warcio (read every record)" "$VENV/bin/python" -c '
import sys
from warcio.archiveiterator import ArchiveIterator
n = 0
with open(sys.argv[1], "rb") as f:
    for r in ArchiveIterator(f):
        n += len(r.content_stream().read())
print(n, file=sys.stderr)
' "$WORK/crawl.warc.gz"
"$PROV" -C "$WORK" init >/dev/null
measure "prov add (parse, extract, index, store)" "$PROV" -C "$WORK" add "$WORK/crawl.warc.gz"
echo "store: $(du -sb "$WORK/.prov" | cut -f1) bytes"
if [ -n "${BEFORE:-}" ]; then
    # Before and after, alternating, each into an empty store.
    for run in 1 2; do
        for bin in "$BEFORE" "$PROV"; do
            rm -rf "$WORK/.prov"
            "$bin" -C "$WORK" init >/dev/null
            measure "run $run: $bin add" "$bin" -C "$WORK" add "$WORK/crawl.warc.gz"
        done
    done
fi
