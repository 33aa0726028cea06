#!/usr/bin/env python3
"""Deterministic benchmark queries from a store's quotations (prov --json quotes on stdin).

Writes kind<TAB>text lines: real quotes (exact), altered ones (a word changed or "not"
added), elided ones (the middle replaced by "…"), and invented ones (words recombined from
different quotes into sentences no source has).
"""
import json
import random
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
rng = random.Random(7)
quotes = []
for line in sys.stdin:
    q = json.loads(line)
    words = q["text"].split()
    if q["kind"] in ("direct", "transcript") and 10 <= len(words) <= 40 and "\t" not in q["text"]:
        quotes.append(q["text"].strip().strip(",").strip())
quotes = sorted(set(quotes))
rng.shuffle(quotes)
picked = quotes[:N]
vocab = sorted({w.strip('.,;:"“”') for q in quotes[N:N + 400] for w in q.split() if w.isalpha()})
for q in picked:
    w = q.split()
    print(f"exact\t{q}")
    alt = list(w)
    i = len(alt) // 2
    alt.insert(i, "not") if rng.random() < 0.5 else alt.__setitem__(i, "seventeen")
    print(f"altered\t{' '.join(alt)}")
    print(f"elided\t{' '.join(w[:5])} … {' '.join(w[-5:])}")
    print(f"invented\t{' '.join(rng.sample(vocab, min(len(vocab), 14))).capitalize()}.")
