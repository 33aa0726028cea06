#!/usr/bin/env python3
"""Generate drafts (faithful and bad variants, many forms) from a store's quotations."""
import json, os, random, re, subprocess, sys, textwrap, html
PROV = os.environ["PROV"]
store, out, nq = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(11)
meta = {m["doc"]: m for m in json.load(open(f"{store}.meta.json"))}
r = subprocess.run([PROV, "-C", store, "--json", "quotes"], capture_output=True, text=True, check=True)
quotes = [json.loads(l) for l in r.stdout.splitlines()]
PRON = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}
def name_of(q):
    s = q.get("speaker") or None
    if s and s.split()[0].lower() not in PRON and s[0].isupper():
        return s
    return None
bydoc = {}
for q in quotes:
    bydoc.setdefault(q["doc"], []).append(q)
QCH = set('"\u201c\u201d\u2018\u2019[]*_<>`')
def ok(q):
    t = q["text"]
    w = t.split()
    return (q["kind"] == "direct" and 6 <= len(w) <= 45 and not (set(t) & QCH)
            and q["doc"] in meta and "'" not in t[:1] and "\n" not in t)
cands = [q for q in quotes if ok(q)]
# spread over documents: at most 2 per doc
random.shuffle(cands)
per = {}
sample = []
for q in cands:
    if per.get(q["doc"], 0) >= 2: continue
    per[q["doc"]] = per.get(q["doc"], 0) + 1
    sample.append(q)
    if len(sample) >= nq: break

HZ = re.compile(r" (- |\d+[.)] |#\w)")
hz = [q for q in cands if q not in sample and HZ.search(q["text"])]
sample += hz[: int(os.environ.get("NHAZARD", "30"))]
SUBS = ["never", "certainly", "entirely", "rarely", "openly", "quietly"]
def words(t): return t.split()
def changed_word(t):
    w = words(t)
    idx = [i for i in range(1, len(w) - 1) if re.fullmatch(r"[A-Za-z]{4,}", w[i])]
    if not idx: return None
    i = random.choice(idx)
    sub = next(s for s in SUBS if s not in t.lower())
    w[i] = sub
    return " ".join(w)
def dropped(t):
    w = words(t)
    if len(w) < 8: return None
    i = random.randrange(2, len(w) - 4)
    return " ".join(w[:i] + w[i + 2:])
INVENTED = [
    "We have never discussed the proposal with anyone outside the committee and we will not start now.",
    "Nobody in this building believed the figures until the auditors arrived on Friday morning.",
    "The whole plan was drawn up on the back of an envelope in a single afternoon.",
    "I told them plainly that the deal would collapse before the end of the summer.",
]
def core(t):
    t = t.strip().rstrip(" ,;:")
    if t.endswith(".") and not t.endswith("..."):
        t = t[:-1]
    return t
def endc(t):
    c = core(t); return c if c[-1] in "?!." else c + ","
def endp(t):
    c = core(t); return c if c[-1] in "?!." else c + "."
def elide(t, mark):
    w = words(core(t))
    if len(w) < 12: return None
    i = random.randrange(3, len(w) - 6)
    return " ".join(w[:i]) + f" {mark} " + " ".join(w[i + 3:])
def typographic(t):
    t2 = re.sub(r"(?<=\w)'(?=\w)", "\u2019", t).replace(" - ", " \u2014 ")
    return t2 if t2 != t else None
def partial(t):
    w = words(core(t))
    if len(w) < 9: return None
    n = min(8, len(w) - 2)
    i = random.randrange(1, len(w) - n)
    return " ".join(w[i:i + n]).rstrip(",;:.")
def hesc(t, n):
    t = html.escape(t, quote=False)
    t = t.replace("'", ["&rsquo;", "&#8217;", "&#x2019;"][n % 3])
    t = t.replace(" - ", " &mdash; ")
    return t

NEG = re.compile(r"\b(not|no|never|if|might|could|would|n't|nor|only|but|without|less|more)\b|n't", re.I)
def safe_elide(t, mark):
    w = words(core(t))
    if len(w) < 12: return None
    for _ in range(20):
        i = random.randrange(3, len(w) - 6)
        if not NEG.search(" ".join(w[i:i+3])):
            return " ".join(w[:i]) + f" {mark} " + " ".join(w[i + 3:])
    return None
def emph(t):
    w = words(t); idx = [i for i in range(1, len(w)-1) if re.fullmatch(r"[A-Za-z]{4,}", w[i])]
    if not idx: return None
    i = random.choice(idx); w[i] = f"*{w[i]}*"; return " ".join(w)
def link_inside(t):
    w = words(t); idx = [i for i in range(1, len(w)-2) if re.fullmatch(r"[A-Za-z]{3,}", w[i]) and re.fullmatch(r"[A-Za-z]{3,}", w[i+1])]
    if not idx: return None
    i = random.choice(idx); w[i] = f"[{w[i]}"; w[i+1] = f"{w[i+1]}](https://example.org/background)"; return " ".join(w)
PRONOUNS = {"he": 1, "she": 1, "they": 1, "it": 1, "this": 1}
def editorial(t):
    w = words(t); idx = [i for i in range(1, len(w)-1) if w[i].lower() in PRONOUNS]
    if not idx: return None
    i = idx[0]; w[i] = "[the minister]"; return " ".join(w)
def lower_start(t):
    w = words(core(t))
    if len(w) < 9: return None
    i = random.randrange(2, 5)
    return " ".join(w[i:])
def hazard_break(t):
    # a line break just before a token that opens a Markdown block if it starts a line
    w = words(t)
    for i in range(2, len(w)-1):
        if w[i] == "-" or re.fullmatch(r"\d+[.)]", w[i]) or w[i].startswith("#") or w[i].startswith("+"):
            return " ".join(w[:i]) + "\n" + " ".join(w[i:])
    return None
def two_piece(S, t, c):
    w = words(core(t)); k = len(w) // 2
    a = " ".join(w[:k]).rstrip(",;:"); b = " ".join(w[k:])
    return (f"\u201c{a},\u201d {S} said, \u201c{b}.\u201d {L(c)}", [])
def inline_markup(t):
    w = t.split(" ")
    if len(w) < 6: return t
    w[1] = f"<em>{w[1]}</em>"; w[3] = w[3] + "&nbsp;" + w[4]; del w[4]
    w[-2] = w[-2] + "<br>"
    return " ".join(w)
# forms: name -> (ext, needs_speaker, builder(S, qtext, cite, n) -> (para, defs))
def L(c): return f"[{c['outlet']}]({c['url']})"
FORMS = {
 "md_colon_link": ("md", True, lambda S, t, c, n: (f"{S} said: \u201c{endp(t)}\u201d {L(c)}", [])),
 "md_said_after_footnote": ("md", True, lambda S, t, c, n: (f"\u201c{endc(t)}\u201d said {S}.[^f{n}]", [f"[^f{n}]: {c['outlet']}, {c['url']}"])),
 "md_marker_after_quote": ("md", True, lambda S, t, c, n: (f"{S} said: \u201c{endp(t)}\u201d[^f{n}]", [f"[^f{n}]: [{c['outlet']}]({c['url']})"])),
 "md_hardwrap": ("md", True, lambda S, t, c, n: ("\n".join(textwrap.wrap(f"In a statement on Tuesday, {S} said: \u201c{endp(t)}\u201d ({L(c)})", 48, break_long_words=False, break_on_hyphens=False)), [])),
 "md_reflink": ("md", True, lambda S, t, c, n: (f"\u201c{endc(t)}\u201d {S} said, as [{c['outlet']}][r{n}] reported.", [f"[r{n}]: {c['url']}"])),
 "md_prov": ("md", True, lambda S, t, c, n: (f"{S} said: \u201c{endp(t)}\u201d (prov:{c['doc'][:12]})", [])),
 "md_straight": ("md", True, lambda S, t, c, n: (f"{S} said: \"{endp(t)}\" {L(c)}", [])),
 "md_said_before_comma": ("md", True, lambda S, t, c, n: (f"Speaking later, {S} said \u201c{endp(t)}\u201d {L(c)}", [])),
 "md_unattributed": ("md", False, lambda S, t, c, n: (f"\u201c{endp(t)}\u201d {L(c)}", [])),
 "md_blockquote": ("md", True, lambda S, t, c, n: (f"{S} said:\n\n" + "\n".join("> " + l for l in textwrap.wrap(f"\u201c{endp(t)}\u201d {L(c)}", 48, break_long_words=False, break_on_hyphens=False)), [])),
 "uk_single": ("md", True, lambda S, t, c, n: (f"\u2018{endc(t)}\u2019 said {S}. {L(c)}", [])),
 "uk_single_straight": ("md", True, lambda S, t, c, n: (f"'{endc(t)}' said {S}. {L(c)}", [])),
 "html_entities": ("html", True, lambda S, t, c, n: (f"<p>{S} said &ldquo;{hesc(endp(t), n)}&rdquo; (<a href=\"{c['url']}\">{c['outlet']}</a>).</p>", [])),
 "html_numeric_after": ("html", True, lambda S, t, c, n: (f"<p>&#8220;{hesc(endc(t), n)}&#8221; said {S}, <a href=\"{c['url']}\">{c['outlet']}</a> reported.</p>", [])),
 "html_q_cite": ("html", True, lambda S, t, c, n: (f"<p>{S} said <q cite=\"{c['url']}\">{hesc(endp(t), n)}</q></p>", [])),
 "md_surname": ("md", True, lambda S, t, c, n: (f"Mr {S.split()[-1]} said: \u201c{endp(t)}\u201d {L(c)}", [])),
 "md_two_piece": ("md", True, lambda S, t, c, n: two_piece(S, t, c)),
 "md_list_item": ("md", True, lambda S, t, c, n: ("\n  ".join(textwrap.wrap(f"- {S} said: \u201c{endp(t)}\u201d {L(c)}", 48, break_long_words=False, break_on_hyphens=False)), [])),
 "html_inline_markup": ("html", True, lambda S, t, c, n: (f"<p>{S} said &ldquo;{inline_markup(hesc(endp(t), n))}&rdquo; (<a href=\"{c['url']}\">{c['outlet']}</a>).</p>", [])),
 "html_blockquote_cite": ("html", False, lambda S, t, c, n: (f"<blockquote cite=\"{c['url']}\">\n<p>&ldquo;{hesc(endp(t), n)}&rdquo;</p>\n</blockquote>", [])),
}
# text transforms applied before the form: name -> (transform, forms it goes with)
TRANSFORMS = {
 "plain": lambda t: t,
 "ellipsis_unicode": lambda t: elide(t, "\u2026"),
 "ellipsis_ascii": lambda t: elide(t, "..."),
 "typographic": typographic,
 "partial": partial,
 "safe_elide_unicode": lambda t: safe_elide(t, "\u2026"),
 "bracket_elide_unicode": lambda t: safe_elide(t, "[\u2026]"),
 "bracket_elide_ascii": lambda t: safe_elide(t, "[...]"),
 "emphasis": emph,
 "link_inside": link_inside,
 "editorial_bracket": editorial,
 "lower_start": lower_start,
 "hazard_break": hazard_break,
}
PARTIAL_FORM = lambda S, t, c, n: (f"{S} said the plan was \u201c{t}\u201d and left it there. {L(c)}", [])

cases = []
files = {}
def add(fname, ext, para, defs, case):
    f = files.setdefault(fname, {"ext": ext, "paras": [], "defs": []})
    f["paras"].append((para, case))
    f["defs"] += defs
n = 0
for q in sample:
    doc = q["doc"]; m = meta[doc]
    c = {"url": m["url"], "outlet": m["outlet"], "doc": doc}
    S = name_of(q)
    others = [name_of(o) for o in bydoc[doc] if name_of(o)]
    wrong = None
    if S:
        sl = S.split()[-1].lower()
        ws = [o for o in others if o.split()[-1].lower() != sl and sl not in o.lower()]
        wrong = ws[0] if ws else None
    for tname, tf in TRANSFORMS.items():
        base = tf(q["text"])
        if base is None: continue
        forms = FORMS.items() if tname in ("plain", "typographic") else \
            [(k, v) for k, v in FORMS.items() if k in ("md_colon_link", "md_hardwrap", "html_entities", "md_unattributed")]
        if tname == "partial":
            forms = [("md_partial", ("md", True, PARTIAL_FORM))]
        if tname in ("emphasis", "link_inside", "hazard_break"):
            forms = [(k, v) for k, v in FORMS.items() if k in ("md_colon_link", "md_said_after_footnote")]
        if tname == "lower_start":
            forms = [("md_partial", ("md", True, PARTIAL_FORM))]
        for fname, (ext, needs_s, build) in forms:
            variants = {"faithful": (base, S)}
            cw = changed_word(base); variants["changed_word"] = (cw, S) if cw else None
            if "elide" not in tname and not tname.startswith("ellipsis"):
                dr = dropped(base); variants["dropped"] = (dr, S) if dr else None
            if needs_s and wrong: variants["wrong_speaker"] = (base, wrong)
            if tname == "plain": variants["invented"] = (random.choice(INVENTED), S)
            for vname, v in variants.items():
                if v is None: continue
                t, spk = v
                if needs_s and not spk: continue
                n += 1
                para, defs = build(spk or "", t, c, n)
                case = {"id": n, "form": fname if tname == "plain" else f"{fname}+{tname}", "variant": vname,
                        "quote_id": q["id"], "doc": doc, "source_text": q["text"], "draft_text": t,
                        "speaker": S, "draft_speaker": spk, "file": f"{tname}__{fname}__{vname}.{ext}"}
                cases.append(case)
                add(case["file"], ext, para, defs, case)
os.makedirs(out, exist_ok=True)
for fn, f in files.items():
    lines = []
    if f["ext"] == "html":
        lines.append("<html><body>")
    for para, case in f["paras"]:
        case["line"] = len(lines) + 1
        pl = para.split("\n")
        case["last_line"] = case["line"] + len(pl) - 1
        lines += pl + [""]
    lines += f["defs"]
    if f["ext"] == "html":
        lines.append("</body></html>")
    open(os.path.join(out, fn), "w").write("\n".join(lines) + "\n")
json.dump(cases, open(os.path.join(out, "cases.json"), "w"), indent=1)
print(len(sample), "quotes,", len(cases), "cases,", len(files), "files")
