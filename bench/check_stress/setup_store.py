#!/usr/bin/env python3
"""Build a store of ~200 real articles (BBC with synthetic URLs, clusters with manifest URLs)."""
import json, os, random, subprocess, sys
PROV = os.environ["PROV"]
C = os.environ["CORPORA"]
store = sys.argv[1]
random.seed(7)
subprocess.run([PROV, "init", store], check=True, capture_output=True)
picked = []
for topic in ["politics", "business", "entertainment", "sport", "tech"]:
    files = sorted(os.listdir(f"{C}/bbc/{topic}"))
    rich = [f for f in files if open(f"{C}/bbc/{topic}/{f}", encoding="utf-8", errors="replace").read().count('"') >= 6]
    for f in random.sample(rich, 20):
        picked.append((f"{C}/bbc/{topic}/{f}", f"https://www.bbc.co.uk/news/{topic}-{f[:-4]}", "BBC News"))
arts = []
for l in open(f"{C}/clusters/manifest.jsonl"):
    d = json.loads(l)
    for a in d["articles"]:
        if a.get("text_form") != "full" or not a.get("url"):
            continue
        p = f"{C}/clusters/{a['file']}"
        t = open(p, encoding="utf-8", errors="replace").read()
        if t.count('"') + t.count("\u201c") >= 6:
            arts.append((p, a["url"], a["outlet"]))
seen = set()
arts = [a for a in arts if not (a[1] in seen or seen.add(a[1]))]
picked += random.sample(arts, 100)
meta = []
for p, url, outlet in picked:
    r = subprocess.run([PROV, "-C", store, "--json", "add", p, "--url", url, "--outlet", outlet], capture_output=True, text=True)
    if r.returncode != 0:
        print("add failed", p, r.stderr[:200]); continue
    j = json.loads(r.stdout.splitlines()[0])
    meta.append({"path": p, "url": url, "outlet": outlet, "doc": j["id"]})
json.dump(meta, open(f"{store}.meta.json", "w"), indent=1)
print(len(meta), "added")
