"""Events: what the meeting was (sơ kết, tổng kết, ký kết, phát động, hội nghị cán bộ, trao tặng,
other) and the day it happened.

Kinds come from phrases in gazetteers/events.tsv, cancelled by context in events_not.tsv (a plan
'kế hoạch phát động', a movement 'do UBND tỉnh phát động'). 'trao_tang' stands alone only when the
article is about handing over awards and no meeting kind is found; 'khac' only when nothing else is.
The date is the lead date ('Chiều 29/2', 'Ngày 20/7', 'Từ ngày 06/11/2020'), completed by
extractors.dates; one article is one meeting, so its events share that date.
"""

from __future__ import annotations

import re

import gazetteers
from extractors.common import Context, sentence_of, sentences, years_in
from extractors.dates import complete, parse_full, valid
from pipeline.records import Event

LEAD = re.compile(
    r"(?:(?:vào\s+)?(?P<tod>sáng|chiều|tối|trưa)\s+(?:hôm\s+)?(?:(?:từ\s+)?ngày\s+)?|(?:từ\s+|vào\s+)?(?:hôm\s+)?ngày\s+)"
    r"(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})(?:\s*[/\-.]\s*(?P<y>(?:19|20)\d{2}))?(?![\d/])")
LEAD_BARE = re.compile(r"(?:^|\n|\)\s*-?\s*)(?P<d>\d{1,2})\s*[/\-]\s*(?P<m>\d{1,2})(?:\s*[/\-]\s*(?P<y>(?:19|20)\d{2}))?"
                       r"\s*,")
URL_MONTH = re.compile(r"/(20\d{2})[/-]?(\d{2})/")
ORDER = ["so_ket", "tong_ket", "hoi_nghi_can_bo", "phat_dong", "ky_ket", "trao_tang", "khac"]


def _kinds(ctx: Context) -> dict[str, tuple[int, int]]:
    f = ctx.fold
    sents = sentences(ctx.body)
    excl = gazetteers.event_exclusions()
    found: dict[str, tuple[int, int]] = {}
    for kind, rx in gazetteers.event_phrases():
        for m in rx.finditer(f):
            before = f[max(0, m.start() - 60):m.start()]
            if any(x.search(before) for x in excl.get("before", ())):
                continue
            s, e = sentence_of(sents, m.start())
            if any(x.search(f[s:e]) for x in excl.get("sentence", ())):
                continue
            found.setdefault(kind, (m.start(), m.end()))
            break
    return found


def lead_date(ctx: Context) -> tuple[str | None, tuple[int, int] | None]:
    """The day the reported meeting happened, from the first dated lead in the body."""
    f = ctx.fold
    legal = [r.evidence for r in ctx.records.get("legal_refs", [])]
    cands = []
    for rx in (LEAD, LEAD_BARE):
        for m in rx.finditer(f):
            if any(ev.start <= m.start() <= ev.end + 5 for ev in legal):
                continue
            cands.append(m)
    if not cands:
        return None, None
    m = min(cands, key=lambda x: x.start())
    if m.start() > max(600, len(f) // 3):
        return None, None
    d, mo = int(m.group("d")), int(m.group("m"))
    if m.group("y"):
        iso = parse_full(f"{d}/{mo}/{m.group('y')}")
        return iso, (m.start(), m.end())
    ref = ctx.published_date()
    if ref is None and ctx.meta.url and (um := URL_MONTH.search(ctx.meta.url)):
        y, mm = int(um.group(1)), int(um.group(2))
        ref = valid(y + (mm == 12), mm % 12 + 1, 1)
    if ref is not None:
        return complete(d, mo, ref), (m.start(), m.end())
    s, e = sentence_of(sentences(ctx.body), m.start())
    ys = years_in(ctx.body[s:e]) or years_in(ctx.body)
    if not ys:
        return None, (m.start(), m.end())
    y = ys[0]
    if re.search(r"(tổng|sơ) kết", f[s:e]) and mo <= 6 and "giao ước" not in f[s:e]:
        y += 1  # 'Chiều 21-2 ... tổng kết năm 2022' happened in 2023
    return complete(d, mo, None, y), (m.start(), m.end())


def extract(ctx: Context) -> None:
    kinds = _kinds(ctx)
    meeting = [k for k in kinds if k not in ("trao_tang", "khac")]
    conferred = [a for a in ctx.records.get("awards", []) if a.status == "conferred"]
    if meeting:
        keep = meeting
    elif "trao_tang" in kinds and conferred:
        keep = ["trao_tang"]
    elif conferred and any(r.doc_type == "Quyết định" for r in ctx.records.get("legal_refs", [])):
        keep = ["trao_tang"]
        kinds["trao_tang"] = (conferred[0].evidence.start, conferred[0].evidence.end)
    elif "khac" in kinds:
        keep = ["khac"]
    else:
        keep = []
    date, _ = lead_date(ctx)
    events = []
    for k in sorted(keep, key=ORDER.index):
        d = date
        if k == "trao_tang" and d is None:
            decisions = [r for r in ctx.records.get("legal_refs", []) if r.doc_type == "Quyết định" and r.date]
            d = decisions[0].date if decisions else None
        s, e = kinds[k]
        events.append(Event(k, d, ctx.evidence(s, e)))
    ctx.records["events"] = events
