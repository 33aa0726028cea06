#!/usr/bin/env bash
# Article text from web pages: prov beside trafilatura on ../shared/eval/html (400 annotated
# pages), both scored in the same run by the set's own scorer (snippets of the main text
# that must be kept, boilerplate that must be left out).
#
#   bench/html.sh                    # all pages, then the English ones
#   KEEP=/tmp/html bench/html.sh     # and keeps both extractors' output there
#
# prov reads each page as `prov add` does (its charset, then its article text) and prints
# the text it stores (`prov cat --text`); trafilatura 2.3.1 (Python, installed from PyPI
# into target/bench-tools/venv when missing) runs `trafilatura.extract` with its defaults
# on the same bytes.
source "$(dirname "$0")/common.sh"
EVAL="$SHARED/eval/html"
if [ ! -f "$EVAL/expected.json" ]; then
    echo "skipping: $EVAL not present (../shared/eval is not in a fresh clone)" >&2
    exit 0
fi
build_prov
if [ -n "${KEEP:-}" ]; then
    # Keeps each extractor's output (prov.jsonl, trafilatura.jsonl) for a closer look
    # with the scorer's --show-fail.
    WORK=$KEEP
    rm -rf "$WORK/store"
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

# prov: every page into a scratch store, then the article text it kept for each.
t0=$(now)
mkdir "$WORK/store"
"$PROV" -C "$WORK/store" init >/dev/null
"$PROV" -C "$WORK/store" --json add "$EVAL/pages" > "$WORK/added.jsonl" 2>"$WORK/add.err" || true
python3 - "$WORK/added.jsonl" "$WORK/store" "$PROV" > "$WORK/prov.jsonl" <<'EOF'
import json, os, subprocess, sys
added, store, prov = sys.argv[1:4]
for line in open(added):
    a = json.loads(line)
    if "id" not in a or "path" not in a:
        continue
    out = subprocess.run([prov, "-C", store, "--json", "cat", "--text", a["id"]],
                         capture_output=True, text=True)
    text = json.loads(out.stdout)["text"] if out.returncode == 0 else ""
    print(json.dumps({"file": os.path.basename(a["path"]), "text": text}))
EOF
prov_s=$(elapsed "$t0")

# trafilatura, as its users run it.
VENV="$TOOLS/venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import trafilatura" 2>/dev/null; then
    echo "installing trafilatura 2.3.1 from PyPI for comparison..." >&2
    python3 -m venv "$VENV"
    # justext, which trafilatura uses, needs lxml's HTML cleaner, a separate package now.
    "$VENV/bin/pip" install --quiet trafilatura==2.3.1 lxml_html_clean
fi
t0=$(now)
"$VENV/bin/python" - "$EVAL/pages" > "$WORK/trafilatura.jsonl" <<'EOF'
import json, os, sys
import trafilatura
pages = sys.argv[1]
for name in sorted(os.listdir(pages)):
    with open(os.path.join(pages, name), "rb") as f:
        data = f.read()
    text = trafilatura.extract(data) or ""
    print(json.dumps({"file": name, "text": text}))
EOF
traf_s=$(elapsed "$t0")

version=$("$VENV/bin/python" -c "import trafilatura; print(trafilatura.__version__)")
pages=$(ls "$EVAL/pages" | wc -l)
echo "== article text, $pages pages of ../shared/eval/html"
for scope in "" "--english"; do
    echo "-- ${scope:-all pages}"
    echo "prov (this build, $(printf '%.1f' "$prov_s") s including the add):"
    python3 "$EVAL/score_html.py" "$WORK/prov.jsonl" $scope
    echo "trafilatura $version ($(printf '%.1f' "$traf_s") s):"
    python3 "$EVAL/score_html.py" "$WORK/trafilatura.jsonl" $scope
done
if grep -qv " added$" "$WORK/add.err"; then
    echo "prov add reported (pages it refused score as empty):"
    grep -v " added$" "$WORK/add.err" | head -5
fi
