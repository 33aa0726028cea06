#!/usr/bin/env python3
"""Run prov check over each generated draft file, map findings to cases, tabulate."""
import json, os, re, subprocess, sys, collections
from concurrent.futures import ThreadPoolExecutor
PROV = os.environ["PROV"]
store, drafts, outname = sys.argv[1], sys.argv[2], sys.argv[3]
cases = json.load(open(os.path.join(drafts, "cases.json")))
byfile = collections.defaultdict(list)
for c in cases: byfile[c["file"]].append(c)
def run(fn):
    p = os.path.abspath(os.path.join(drafts, fn))
    r = subprocess.run([PROV, "-C", store, "check", p, "--json"], capture_output=True, text=True)
    fs = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
    m = re.search(r"checked (\d+) quotation", r.stderr)
    return fn, fs, int(m.group(1)) if m else -1, r.returncode, r.stderr[-300:]
ERR = {"drifted", "unsupported", "misattributed"}
with ThreadPoolExecutor(2) as ex:
    results = list(ex.map(run, sorted(byfile)))
for fn, fs, checked, rc, err in results:
    if rc == 2: print("ERROR", fn, err)
    cs = byfile[fn]
    if checked != len(cs):
        print(f"note: {fn}: checked {checked} of {len(cs)} cases")
    for c in cs:
        c["findings"] = [f for f in fs if c["line"] <= f["line"] <= c["last_line"]]
        kinds = {f["kind"] for f in c["findings"]}
        c["kinds"] = sorted(kinds)
        if c["variant"] == "faithful":
            c["fail"] = bool(kinds & (ERR | {"unknown-source"}))
        else:
            c["fail"] = not (kinds & ERR)
    unmatched = [f for f in fs if not any(c["line"] <= f["line"] <= c["last_line"] for c in cs)]
    for f in unmatched: print("unmatched finding", fn, f["line"], f["kind"])
json.dump(cases, open(outname, "w"), indent=1)
tab = collections.defaultdict(lambda: [0, 0, 0, 0])  # faithful flagged, faithful N, bad missed, bad N
for c in cases:
    t = tab[c["form"]]
    if c["variant"] == "faithful": t[0] += c["fail"]; t[1] += 1
    else: t[2] += c["fail"]; t[3] += 1
print(f"{'form':42} faithful_flagged  bad_missed")
tot = [0, 0, 0, 0]
for k in sorted(tab):
    t = tab[k]; tot = [a + b for a, b in zip(tot, t)]
    print(f"{k:42} {t[0]:4}/{t[1]:<4}       {t[2]:4}/{t[3]:<4}")
print(f"{'TOTAL':42} {tot[0]:4}/{tot[1]:<4}       {tot[2]:4}/{tot[3]:<4}")
bv = collections.defaultdict(lambda: [0, 0])
for c in cases:
    if c["variant"] != "faithful": bv[c["variant"]][0] += c["fail"]; bv[c["variant"]][1] += 1
print({k: f"{a}/{b}" for k, (a, b) in bv.items()})
fk = collections.Counter(tuple(c["kinds"]) for c in cases if c["variant"] == "faithful" and c["fail"])
print("faithful flagged kinds:", dict(fk))
ws = collections.Counter(tuple(c["kinds"]) for c in cases if c["variant"] == "wrong_speaker")
print("wrong_speaker outcomes:", dict(ws))
