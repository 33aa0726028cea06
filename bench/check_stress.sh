#!/usr/bin/env bash
# `prov check` on drafts quoting real articles nobody here wrote: a store of 200 articles
# from ../shared/corpora (100 BBC with made-up bbc.co.uk addresses, 100 cluster articles
# with their own addresses and outlets), 60 of its quotations plus 22 chosen for wrap
# hazards (a line that starts with "-", "#" or "2005."), written into drafts in every form
# `prov check` reads (Markdown with hard wraps, footnotes, inline and reference links,
# blockquotes, list items, two-piece quotations; HTML with entities, <q cite>,
# <blockquote cite>; elisions, editorial brackets), each faithful and bad (a word changed,
# words dropped without an ellipsis, an invented sentence, another person of the article
# named as the speaker). Counts faithful quotations flagged and bad ones missed, by form.
#
#   bench/check_stress.sh                 # WORK=DIR keeps the store and drafts
source "$(dirname "$0")/common.sh"
CORPORA="$SHARED/corpora"
if [ ! -d "$CORPORA/bbc" ] || [ ! -f "$CORPORA/clusters/manifest.jsonl" ]; then
    echo "skipping: $CORPORA not present (it is not in a fresh clone)" >&2
    exit 0
fi
build_prov
if [ -n "${WORK:-}" ]; then
    rm -rf "$WORK"; mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
export PROV CORPORA NHAZARD=22
HERE="$ROOT/bench/check_stress"
python3 "$HERE/setup_store.py" "$WORK/store"
python3 "$HERE/gen.py" "$WORK/store" "$WORK/store/drafts" 60
python3 "$HERE/run.py" "$WORK/store" "$WORK/store/drafts" "$WORK/results.json"
