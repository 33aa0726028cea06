#!/usr/bin/env python3
"""Completeness and correctness of `prov trace`, measured against exhaustive scanning.

Driven by bench/trace_cases.sh, in two steps:

  trace_cases.py stage CLUSTERS STORE
      Copies every cluster article into STORE as cluster_NNNN__article_K.txt with a sidecar
      cluster_NNNN__article_K.txt.meta.toml (outlet, published, url, title from the
      manifest; empty fields omitted) and writes STORE/../articles.json (file -> metadata).

  trace_cases.py run CLUSTERS STORE PROV ADD_JSONL ADD_STDERR
      Builds the trace cases (silver shared quotes, and prov's own extracted quotations
      printed word for word by 2+ articles), finds each case's holders by scanning every
      stored article, runs `prov trace --json` once per case and prints the figures.
      TRACE_CASES_OUT=FILE writes one JSON line per case; CASES (default 600) caps the
      number of cases and SEED (default 20261130) seeds the sample.

Standard library only; the output (except wall times) is the same on every run.
"""
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict

VERBATIM = ("exact", "normalized")
MIN_WORDS, MAX_WORDS = 8, 60

# ---------------------------------------------------------------- normalization

# Apostrophes are dropped (so "don't", "don’t" and "dont" agree); every other character that
# is not a letter or digit becomes a space. Curly quotes and dashes are not letters, so they
# fold to a space with the rest of the punctuation.
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´′"), None)
_NON_ALNUM = re.compile(r"[\W_]+")  # \W is Unicode-aware: letters and digits of any script stay


def normalize(text):
    text = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    return _NON_ALNUM.sub(" ", text).strip()


# ---------------------------------------------------------------- stage


def store_name(manifest_file):
    """cluster_0001/article_1.txt -> cluster_0001__article_1.txt (reversible)."""
    return manifest_file.replace("/", "__")


def toml_string(value):
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def read_manifest(clusters):
    articles = {}
    with open(os.path.join(clusters, "manifest.jsonl"), encoding="utf-8") as f:
        for line in f:
            cluster = json.loads(line)
            for a in cluster["articles"]:
                date = (a.get("date") or "").strip()[:10]  # some dates carry a time of day
                articles[store_name(a["file"])] = {
                    "file": a["file"],
                    "cluster": cluster["cluster"],
                    "outlet": (a.get("outlet") or "").strip(),
                    "url": (a.get("url") or "").strip(),
                    "title": (a.get("title") or "").strip(),
                    "date": date if re.fullmatch(r"\d{4}-\d\d-\d\d", date) else "",
                }
    return articles


def stage(clusters, store):
    articles = read_manifest(clusters)
    for name, a in sorted(articles.items()):
        with open(os.path.join(clusters, a["file"]), "rb") as src:
            data = src.read()
        with open(os.path.join(store, name), "wb") as dst:
            dst.write(data)
        lines = []
        for key, value in (("title", a["title"]), ("outlet", a["outlet"]), ("url", a["url"])):
            if value:
                lines.append(f"{key} = {toml_string(value)}\n")
        if a["date"]:
            lines.append(f"published = {a['date']}\n")  # a TOML local date
        with open(os.path.join(store, name + ".meta.toml"), "w", encoding="utf-8") as f:
            f.writelines(lines)
    with open(os.path.join(store, "..", "articles.json"), "w", encoding="utf-8") as f:
        json.dump(articles, f)
    print(f"staged {len(articles)} articles", file=sys.stderr)


# ---------------------------------------------------------------- the store and its text


class Corpus:
    """The stored articles: file name -> doc id, date, normalized text, and a word index."""

    def __init__(self, store, articles, add_jsonl, add_stderr):
        self.articles = articles
        self.doc_of = {}  # file name -> doc id
        self.outcomes = Counter()
        with open(add_jsonl, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    self.outcomes[r.get("outcome", "?")] += 1
                    self.doc_of[os.path.basename(r["path"])] = r["id"]
        with open(add_stderr, encoding="utf-8", errors="replace") as f:
            self.refusals = [l.rstrip("\n") for l in f if l.startswith("error")]
        self.files_of = defaultdict(list)  # doc id -> file names (identical bytes share one)
        for name, doc in sorted(self.doc_of.items()):
            self.files_of[doc].append(name)
        self.files = sorted(self.doc_of)
        self.not_stored = sorted(set(articles) - set(self.doc_of))
        self.by_url = defaultdict(list)
        for name in self.files:
            if articles[name]["url"]:
                self.by_url[articles[name]["url"]].append(name)
        # Padded normalized text per file, and which files hold each word.
        self.text = {}
        self.word_files = defaultdict(set)
        for name in self.files:
            with open(os.path.join(store, name), encoding="utf-8-sig") as f:
                norm = normalize(f.read())
            self.text[name] = f" {norm} "
            for w in set(norm.split()):
                self.word_files[w].add(name)

    def holders(self, norm):
        """Every stored file whose normalized text holds `norm` on word boundaries."""
        words = norm.split()
        if not words:
            return []
        rarest = min(words, key=lambda w: len(self.word_files.get(w, ())))
        needle = f" {norm} "
        return sorted(n for n in self.word_files.get(rarest, ()) if needle in self.text[n])


# ---------------------------------------------------------------- cases


def silver_cases(clusters):
    """The silver shared quotes: query = the first occurrence's own words."""
    path = os.path.join(clusters, "annotations", "silver_shared_quotes.jsonl")
    cases = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            occ = min(r["occurrences"], key=lambda o: (o["file"], o["char_offset"]))
            query = occ["quote"].strip()
            cases.append({"origin": "silver", "query": query, "norm": normalize(query),
                          "silver_norm": r["normalized"]})
    return cases


def extracted_cases(corpus, prov, store):
    """prov's own direct/transcript quotations of 8-60 words held by 2+ stored articles."""
    out = subprocess.run([prov, "-C", store, "--json", "quotes"], capture_output=True,
                         text=True, check=True).stdout
    file_of = {doc: files[0] for doc, files in corpus.files_of.items()}
    by_norm = {}
    for line in out.splitlines():
        q = json.loads(line)
        if q["kind"] not in ("direct", "transcript"):
            continue
        if not MIN_WORDS <= len(q["text"].split()) <= MAX_WORDS:
            continue
        norm = normalize(q["text"])
        key = (file_of.get(q["doc"], q["doc"]), q["start"])
        if norm and (norm not in by_norm or key < by_norm[norm][0]):
            by_norm[norm] = (key, q["text"].strip())
    cases = []
    for norm in sorted(by_norm):
        if len(corpus.holders(norm)) >= 2:
            cases.append({"origin": "extracted", "query": by_norm[norm][1], "norm": norm})
    return cases


# ---------------------------------------------------------------- one trace


def run_trace(prov, store, query):
    p = subprocess.run([prov, "-C", store, "trace", "--json", "--", query],
                       capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        return p.returncode, None
    try:
        return 0, json.loads(p.stdout)
    except json.JSONDecodeError:
        return p.returncode, None


def score(case, corpus, report):
    holder_files = corpus.holders(case["norm"])
    holder_docs = sorted({corpus.doc_of[n] for n in holder_files})
    apps = (report or {}).get("appearances", [])
    verbatim = [a for a in apps if a.get("verdict") in VERBATIM]
    listed_docs = sorted({a["doc"] for a in verbatim} & set(holder_docs))
    # Publications: an appearance naming a stored article's URL stands for that article;
    # otherwise it stands for every article with its document's bytes.
    listed_files = set()
    for a in verbatim:
        files = corpus.files_of.get(a["doc"], [])
        by_url = [n for n in corpus.by_url.get(a.get("url") or "", []) if n in files]
        listed_files.update(by_url or files)
    listed_files &= set(holder_files)
    non_holders = Counter(a.get("verdict", "?") for a in apps if a["doc"] not in holder_docs)

    dated = [corpus.articles[n]["date"] for n in holder_files if corpus.articles[n]["date"]]
    expected = min(dated) if dated else None
    reported = None
    if any("first_verbatim" in a for a in apps):
        reported = next((a for a in apps if a.get("first_verbatim")), None)
    else:
        reported = next(iter(verbatim), None)
    reported_date = ((reported or {}).get("published") or "")[:10] or None
    return {
        "origin": case["origin"],
        "query": case["query"],
        "holders": len(holder_docs),
        "holder_files": len(holder_files),
        "listed": len(listed_docs),
        "listed_files": len(listed_files),
        "missing": [f"{d} {','.join(corpus.files_of[d])}" for d in holder_docs
                    if d not in listed_docs],
        "non_holders": dict(sorted(non_holders.items())),
        "earliest_expected": expected,
        "earliest_expected_files": sorted(n for n in holder_files
                                          if expected and corpus.articles[n]["date"] == expected),
        "earliest_reported": reported_date,
        "earliest_reported_doc": (reported or {}).get("doc"),
        "earliest_reported_is_holder": bool(reported) and reported["doc"] in holder_docs,
        "earliest_right": expected is not None and reported_date == expected,
        "appearances": len(apps),
    }


# ---------------------------------------------------------------- report


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def table(results, columns):
    rows = []

    def row(label, fn):
        rows.append((label, [fn([r for r in results if r["origin"] in origins])
                             for _, origins in columns]))

    row("cases", lambda rs: f"{len(rs)}")
    row("holders (documents)", lambda rs: f"{sum(r['holders'] for r in rs)}")
    row("holders (publications)", lambda rs: f"{sum(r['holder_files'] for r in rs)}")
    row("mean share listed", lambda rs: pct(sum(r["listed"] / r["holders"] for r in rs
                                                if r["holders"]),
                                            sum(1 for r in rs if r["holders"])))
    row("pooled share listed", lambda rs: "%s  %d/%d" % (
        pct(sum(r["listed"] for r in rs), sum(r["holders"] for r in rs)),
        sum(r["listed"] for r in rs), sum(r["holders"] for r in rs)))
    row("pooled, publications", lambda rs: "%s  %d/%d" % (
        pct(sum(r["listed_files"] for r in rs), sum(r["holder_files"] for r in rs)),
        sum(r["listed_files"] for r in rs), sum(r["holder_files"] for r in rs)))
    row("complete", lambda rs: "%s  %d/%d" % (
        pct(sum(1 for r in rs if r["holders"] and r["listed"] == r["holders"]), len(rs)),
        sum(1 for r in rs if r["holders"] and r["listed"] == r["holders"]), len(rs)))
    row("earliest right", lambda rs: "%s  %d/%d" % (
        pct(sum(r["earliest_right"] for r in rs),
            sum(1 for r in rs if r["earliest_expected"])),
        sum(r["earliest_right"] for r in rs), sum(1 for r in rs if r["earliest_expected"])))
    row("non-holder appearances", lambda rs: f"{sum(sum(r['non_holders'].values()) for r in rs)}")
    width = max(len(label) for label, _ in rows)
    cw = [max(len(h), *(len(vals[i]) for _, vals in rows)) for i, (h, _) in enumerate(columns)]
    print("  " + " " * width + "  " + "  ".join(h.rjust(cw[i]) for i, (h, _) in
                                                 enumerate(columns)))
    for label, vals in rows:
        print("  " + label.ljust(width) + "  " + "  ".join(v.rjust(cw[i]) for i, v in
                                                           enumerate(vals)))


def run(clusters, store, prov, add_jsonl, add_stderr):
    with open(os.path.join(store, "..", "articles.json"), encoding="utf-8") as f:
        articles = json.load(f)
    corpus = Corpus(store, articles, add_jsonl, add_stderr)
    shared = {d: fs for d, fs in corpus.files_of.items() if len(fs) > 1}
    print(f"store: {len(corpus.files)} of {len(articles)} articles stored as "
          f"{len(corpus.files_of)} documents (add outcomes: "
          + ", ".join(f"{k} {v}" for k, v in sorted(corpus.outcomes.items())) + ")")
    print(f"  sidecars or files refused: {len(corpus.refusals)}")
    for line in corpus.refusals[:10]:
        print(f"    {line}")
    if shared:
        print(f"  documents with identical bytes at several files: {len(shared)}")
        for d, fs in sorted(shared.items())[:5]:
            print(f"    {d[:12]}  {' '.join(fs)}")
    dup_urls = {u: ns for u, ns in corpus.by_url.items() if len(ns) > 1}
    if dup_urls:
        print(f"  URLs shared by several articles (a later one is a new version): "
              f"{len(dup_urls)}: " + "; ".join(" ".join(ns) for _, ns in sorted(dup_urls.items())))

    # Cases: silver first, then extracted ones the silver set does not already have.
    silver = silver_cases(clusters)
    mismatched = sum(1 for c in silver if c["norm"] != c["silver_norm"])
    cases, seen = [], set()
    for c in silver:
        if c["norm"] and c["norm"] not in seen:
            seen.add(c["norm"])
            cases.append(c)
    n_silver = len(cases)
    extracted = extracted_cases(corpus, prov, store)
    overlap = sum(1 for c in extracted if c["norm"] in seen)
    extracted = [c for c in extracted if c["norm"] not in seen]
    cap = int(os.environ.get("CASES", "600"))
    rng = random.Random(int(os.environ.get("SEED", "20261130")))
    room = max(0, cap - len(cases))
    picked = extracted if len(extracted) <= room else sorted(
        rng.sample(extracted, room), key=lambda c: c["norm"])
    cases += picked
    sampled = "all" if len(picked) == len(extracted) else f"sampled from {len(extracted)}"
    print(f"cases: {len(cases)} = silver {n_silver} (of {len(silver)} lines; "
          f"{mismatched} normalize differently from the annotation) + extracted "
          f"{len(picked)} ({sampled} held by 2+ articles; "
          f"{overlap} more were silver already)")
    few = [c for c in cases if len(corpus.holders(c["norm"])) < 2]
    if few:
        print(f"  cases held by fewer than 2 articles under this normalization: {len(few)}")

    # One trace per case.
    results, exits = [], Counter()
    t0 = time.monotonic()
    for c in cases:
        rc, report = run_trace(prov, store, c["query"])
        exits[rc] += 1
        results.append(score(c, corpus, report))
    wall = time.monotonic() - t0

    print()
    table(results, [("all", ("silver", "extracted")), ("silver", ("silver",)),
                    ("extracted", ("extracted",))])
    nh = Counter()
    for r in results:
        nh.update(r["non_holders"])
    print("  non-holder appearances by verdict: "
          + (", ".join(f"{k} {v}" for k, v in sorted(nh.items())) or "none"))
    wrong_holder = sum(1 for r in results if r["earliest_right"]
                       and not r["earliest_reported_is_holder"])
    if wrong_holder:
        print(f"  earliest right by date but reported on a non-holder: {wrong_holder}")
    print(f"  trace exits: " + ", ".join(f"{k}: {v}" for k, v in sorted(exits.items())))
    print(f"  wall time: {wall:.1f} s for {len(cases)} traces, mean "
          f"{1000 * wall / max(1, len(cases)):.1f} ms per case")

    out = os.environ.get("TRACE_CASES_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"  per-case details: {out}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "stage":
        stage(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 7 and sys.argv[1] == "run":
        run(*sys.argv[2:])
    else:
        sys.exit(__doc__)
