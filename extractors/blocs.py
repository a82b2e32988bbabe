"""Blocs: each khối / cụm thi đua named in the body, written once in its fullest form.

A mention is 'Khối'/'Cụm' + an optional 'thi đua' / 'giao ước thi đua' + a name that runs until a
stop word or punctuation (word lists in gazetteers/blocs.tsv). Mentions of one bloc
('Khối Nội chính', 'Khối thi đua các cơ quan Nội chính tỉnh') are merged when one name's words
are a subset of the other's, or when two names stand in apposition ('Khối VI- Khối thi đua ...').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import gazetteers
from extractors.common import Context
from pipeline.records import Bloc
from pipeline.textnorm import fold, tidy_name

HEAD = re.compile(r"(?<![\w])(khối|cụm)(?!\w)")
WORD = re.compile(r"[\w'’]+")
ROMAN = re.compile(r"^(?:[ivx]{1,5}|\d{1,3})$")
IGNORE = {"khối", "cụm", "thi", "đua", "giao", "ước", "tỉnh"}


@dataclass
class BlocMention:
    start: int
    end: int
    name: str
    key: frozenset[str]
    has_td: bool
    ident: bool
    members: list = field(default_factory=list)


def _scan(ctx: Context) -> list[BlocMention]:
    body, f = ctx.body, ctx.fold
    bw = gazetteers.bloc_words()
    first_ok = {w for w in bw.get("first_word", ())}
    {w.split()[0] for w in first_ok}
    stop = set(bw.get("stop", ()))
    bigrams = set(bw.get("stop_bigram", ()))
    generic = set(bw.get("generic", ()))
    prov_rx = gazetteers.province_regex()
    out = []
    for m in HEAD.finditer(f):
        s = m.start()
        before = f[max(0, s - 12):s]
        if re.search(r"(đảng ủy|đảng bộ|công đoàn)\s*$", before):
            continue
        pos = m.end()
        nxt = WORD.match(f, pos + 1) if f[pos:pos + 1] == " " else None
        if nxt is None or nxt.group(0) in ("trưởng", "phó"):
            continue
        has_td = False
        tm = re.compile(r" (giao ước thi đua|thi đua|giao ước)(?!\w)").match(f, pos)
        if tm:
            has_td = True
            pos = tm.end()
        upper_head = body[s].isupper()
        end = pos
        seen_cap, last_cap_end, lower_run = False, pos, 0
        words: list[str] = []
        i = pos
        while i < len(f) and len(words) < 16:
            wm = re.compile(r"( |\s*[-–]\s*| ?, ?)?([\w'’]+)").match(f, i)
            if not wm:
                break
            sep = wm.group(1) or ""
            if wm.start(2) == i and words:
                break
            ws = wm.start(2)
            w = wm.group(2)
            orig = body[ws:ws + len(w)]
            cap = orig[0].isupper() or orig[0].isdigit()
            if "," in sep:
                if not (w in ("ngành", "thị", "thành", "huyện") or (cap and words and words[-1] in ("hóa", "hoá"))):
                    break
            elif "-" in sep or "–" in sep:
                if (not cap and w in stop) or (words and ROMAN.match(words[-1]) and len(words) == 1):
                    break  # 'Khối VI- Khối thi đua ...' is apposition, handled by merging
            elif sep != " " and words:
                break
            if not words:
                phrase_ok = any(f.startswith(p, ws) and not f[ws + len(p):ws + len(p) + 1].isalnum() for p in first_ok)
                if not has_td and not upper_head and not (cap or w == "các" or ROMAN.match(w)):
                    break
                if not cap and not phrase_ok and not ROMAN.match(w):
                    break
            if w == "tỉnh":
                pm = prov_rx.match(f, ws + len(w) + 1)
                if pm or not body[ws + len(w) + 1: ws + len(w) + 2].isupper():
                    break
            nb = WORD.match(f, ws + len(w) + 1)
            if nb and f[ws + len(w)] == " " and f"{w} {nb.group(0)}" in bigrams:
                break
            if w == "năm" or (not cap and w in stop):
                after = ws + len(w) + 1
                if w == "và" and body[after:after + 1].isupper() and not f.startswith(("khối", "cụm"), after):
                    pass
                else:
                    break
            if prov_rx.match(f, ws) and words:
                break
            words.append(w)
            end = ws + len(w)
            i = end
            if cap:
                seen_cap, last_cap_end, lower_run = True, end, 0
            elif seen_cap:
                lower_run += 1
                if lower_run >= 3:  # 'Miền núi phía Bắc' goes on; 'Bắc đánh giá khách quan' does not
                    end = last_cap_end
                    break
        name_text = body[s:end]
        # drop whole province names ('tỉnh Gia Lai'), not words that also occur in them ('Tây Nguyên')
        folded = prov_rx.sub(" ", fold(name_text)).replace("-", " ").replace(",", " ")
        key = frozenset(w for w in folded.split() if w not in IGNORE)
        if not key or key <= generic:
            continue
        ident = any(ROMAN.match(w) for w in key)
        out.append(BlocMention(s, end, name_text, key, has_td, ident))
    return out


def _canonical(m: BlocMention) -> str:
    name = re.sub(r"\s+tỉnh$", "", tidy_name(m.name))
    name = re.sub(r"^(KHỐI|khối|CỤM|cụm)\b", lambda x: x.group(0).capitalize(), name)
    name = re.sub(r"^(Khối|Cụm) (Thi đua|thi đua|THI ĐUA)\b", lambda x: f"{x.group(1)} thi đua", name)
    if name.isupper():
        name = name.capitalize()
    return name


def extract(ctx: Context) -> None:
    mentions = _scan(ctx)
    clusters: list[list[BlocMention]] = []
    for m in mentions:
        for c in clusters:
            if any(m.key == o.key or m.key <= o.key or o.key <= m.key for o in c):
                c.append(m)
                break
        else:
            clusters.append([m])
    # apposition: 'Khối VI- Khối thi đua cơ quan cấp tỉnh'
    merged = True
    while merged:
        merged = False
        for a in clusters:
            for b in clusters:
                if a is b:
                    continue
                if any(re.fullmatch(r"\s*[-–:]\s*", ctx.body[x.end:y.start]) for x in a for y in b):
                    a.extend(b)
                    clusters.remove(b)
                    merged = True
                    break
            if merged:
                break
    blocs = []
    ctx.blocs = []
    for c in clusters:
        best = max(c, key=lambda m: (m.ident, m.has_td, len(m.key), -m.start))
        name = _canonical(best)
        first = min(c, key=lambda m: m.start)
        blocs.append(Bloc(name, ctx.evidence(first.start, first.end), aliases=sorted({_canonical(m) for m in c} - {name})))
        for m in c:
            ctx.blocs.append((m.start, m.end, name))
    ctx.records["blocs"] = blocs
