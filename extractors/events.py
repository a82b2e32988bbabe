"""Events: what the meeting was (sơ kết, tổng kết, ký kết, phát động, hội nghị cán bộ, trao tặng,
other) and the day it happened.

Kinds come from phrasing rules (gazetteers/rules/events.tsv), cancelled by context in
gazetteers/events_not.tsv (a plan 'kế hoạch phát động', a movement 'do UBND tỉnh phát động', a
report 'báo cáo tổng kết' at another meeting). How the rule groups combine is the mechanism here:
a review named only by its report counts when no rule names the review itself; one meeting is
either a sơ kết or a tổng kết (the one named first); an award ceremony stands beside the other
kinds; 'trao_tang' from handed-over awards stands alone only when no meeting kind is found;
'khac' only when nothing else is.
The date is the lead date ('Chiều 29/2', 'Ngày 20/7', 'Từ ngày 06/11/2020'), completed from the
publication date by extractors.dates; one article is one meeting, so its events share that date.
"""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors import rules
from extractors.common import Context, sentence_of
from extractors.dates import complete, parse_full, valid
from extractors.records import Event

# a dateline at the start of a paragraph, or after '(GLO)-': '29/2, ...'
LEAD_BARE = re.compile(r"(?:^|\n|\)\s*-?\s*)(?P<d>\d{1,2})\s*[/\-]\s*(?P<m>\d{1,2})(?:\s*[/\-]\s*(?P<y>(?:19|20)\d{2}))?"
                       r"\s*,")
DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})(?:\s*[/\-.]\s*(?P<y>(?:19|20)\d{2}))?\s*$")
WORDY_LEAD = re.compile(r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>(?:19|20)\d{2}))?\s*$")
URL_MONTH = re.compile(r"/(20\d{2})[/-]?(\d{2})/")
ORDER = ["so_ket", "tong_ket", "hoi_nghi_can_bo", "phat_dong", "ky_ket", "trao_tang", "khac"]
REVIEWS = ("so_ket", "tong_ket")
Found = dict[str, tuple[int, int, str]]  # kind -> (start, end, rule id)


@cache
def _exclusions() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    out = []
    for where, pattern, _example, _kind, groups in gazetteers.event_exclusions():
        src = rules.compile_pattern(pattern, "events").pattern
        out.append((where, re.compile(f"(?:{src})\\s*\\Z" if where == "before" else src), groups))
    return tuple(out)


def _excluded(view: str, sent: tuple[int, int], s: int, group: str) -> bool:
    for where, rx, groups in _exclusions():
        if groups and group not in groups:
            continue
        if where == "before" and rx.search(view, max(0, s - 60), s):
            return True
        if where == "sentence" and rx.search(view, *sent):
            return True
    return False


def _found(ctx: Context, group: str) -> Found:
    """The first match of each kind in a rule group (events.<group>.<kind>.*) that no context cancels."""
    view = ctx.atom_view()
    sents = ctx.sentences()
    out: Found = {}
    for rule, m in rules.finditer(f"events.{group}", view):
        kind = rule.id.split(".")[2]
        if kind in out or _excluded(view, sentence_of(sents, m.start()), m.start(), group):
            continue
        out[kind] = (m.start(), m.end(), rule.id)
    return out


def _kinds(ctx: Context) -> Found:
    meeting = _found(ctx, "meeting")
    if not any(k in meeting for k in REVIEWS):
        meeting.update({k: v for k, v in _found(ctx, "report").items() if k in REVIEWS})
    if all(k in meeting for k in REVIEWS):  # one meeting reviews one period: the review it is named as first
        del meeting[max(REVIEWS, key=lambda k: meeting[k][0])]
    conferred = [a for a in ctx.records.get("awards", []) if a.status == "conferred"]
    keep = dict(meeting)
    ceremony = _found(ctx, "award_ceremony") or (_found(ctx, "ceremony") if conferred else {})
    if "trao_tang" in ceremony:
        keep["trao_tang"] = ceremony["trao_tang"]
    if keep:
        return keep
    award = _found(ctx, "award")
    if "trao_tang" in award and conferred:
        return {"trao_tang": award["trao_tang"]}
    if conferred and any(r.doc_type == "Quyết định" for r in ctx.records.get("legal_refs", [])):
        return {"trao_tang": (conferred[0].evidence.start, conferred[0].evidence.end, "")}
    other = _found(ctx, "other")
    return {"khac": other["khac"]} if "khac" in other else {}


def _lead(ctx: Context) -> tuple[int, int, int | None, str] | None:
    """(day, month, year or None, rule id) of the first dated lead in the body's opening."""
    view = ctx.atom_view()
    legal = [r.evidence for r in ctx.records.get("legal_refs", [])]
    cands = []
    limit = max(600, len(view) // 3)  # a lead later than this dates something else, unless it opens a paragraph
    for rule, m in rules.finditer("events.date", view):
        if any(ev.start <= m.start() <= ev.end + 5 for ev in legal):
            continue
        text = ctx.fold[m.start():m.end()]
        if w := WORDY_LEAD.search(text):
            cands.append((m.start(), int(w["d"]), int(w["m"]), int(w["y"]) if w["y"] else None, rule.id))
        elif d := DAY_MONTH_YEAR.search(text):
            cands.append((m.start(), int(d["d"]), int(d["m"]), int(d["y"]) if d["y"] else None, rule.id))
    for m in LEAD_BARE.finditer(ctx.fold):
        if not any(ev.start <= m.start() <= ev.end + 5 for ev in legal):
            cands.append((m.start(), int(m["d"]), int(m["m"]), int(m["y"]) if m["y"] else None, ""))
    if not cands:
        return None
    def opens_paragraph(pos: int) -> bool:  # nothing but spaces between the line break and the lead
        seg = ctx.body[pos:pos + 20]
        pos += len(seg) - len(seg.lstrip())
        return not ctx.body[ctx.body.rfind("\n", 0, pos) + 1:pos].strip()

    cands = [c for c in cands if c[0] <= limit or opens_paragraph(c[0])]
    if not cands:
        return None
    pos, d, mo, y, rid = min(cands, key=lambda c: c[0])
    return d, mo, y, rid


def lead_date(ctx: Context) -> tuple[str | None, str]:
    """The day the reported meeting happened, and the rule that found its lead.

    Day and month alone are completed from the publication date (or a /YYYYMM/ URL path) only:
    the year a meeting reviews is not the year it was held.
    """
    lead = _lead(ctx)
    if lead is None:
        return None, ""
    d, mo, y, rid = lead
    if y:
        return parse_full(f"{d}/{mo}/{y}"), rid
    ref = ctx.published_date()
    if ref is None and ctx.meta.url and (um := URL_MONTH.search(ctx.meta.url)):
        uy, um_ = int(um.group(1)), int(um.group(2))
        ref = valid(uy + (um_ == 12), um_ % 12 + 1, 1)
    return (complete(d, mo, ref) if ref is not None else None), rid


def extract(ctx: Context) -> None:
    kinds = _kinds(ctx)
    date, date_rule = lead_date(ctx)
    events = []
    for k in sorted(kinds, key=ORDER.index):
        d, drule = date, date_rule
        if k == "trao_tang" and d is None:
            decisions = [r for r in ctx.records.get("legal_refs", []) if r.doc_type == "Quyết định" and r.date]
            d, drule = (decisions[0].date, "") if decisions else (None, "")
        s, e, rid = kinds[k]
        rule = "+".join(x for x in (rid, drule if d else "") if x) or None
        events.append(Event(k, d, ctx.evidence(s, e), rule=rule))
    ctx.records["events"] = events
