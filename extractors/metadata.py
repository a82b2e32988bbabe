"""Article metadata the body supports: province (as named, and its unit after 1 July 2025), and the
publication date when the cleaner found none: header forms in gazetteers/published_dates.tsv
('date 2025-10-15' crawl stamps, a title closed by '(04/02/2016)', 'Viết bởi X - Th9 21, 2017').

The province comes from the portal's host when it names one (baogialai, sonoivu.backan.gov.vn),
else from the province the text names most ('tỉnh X' counts double), else from the page header
(portal name), which the cleaner keeps out of the body.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from urllib.parse import urlparse

import gazetteers
from extractors import rules
from extractors.common import Context
from extractors.dates import valid
from gazetteers.textnorm import fold


def province_from_url(url: str | None) -> gazetteers.Province | None:
    if not url:
        return None
    host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    labels = host.split(".")
    best = None
    for p in gazetteers.provinces():
        for hint in p.host_hints:
            ok = hint in labels if len(hint) < 5 else any(hint in lab for lab in labels)
            if ok and (best is None or len(hint) > best[1]):
                best = (p, len(hint))
    return best[0] if best else None


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lists = rules.word_lists("metadata")
    unit = "|".join(re.escape(w) for w in sorted(lists["province_unit"], key=len, reverse=True))
    many = "|".join(re.escape(fold(w)) for w in sorted(lists["province_list"], key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{unit})\s*$"), re.compile(rf"(?<!\w)(?:{many})[^.;]{{0,60}}$")


def province_from_text(text: str, folded: str | None = None) -> tuple[gazetteers.Province, str] | None:
    """The province the text names most; `folded` is fold(text) when the caller has it."""
    f = fold(text) if folded is None else folded
    unit_rx, list_rx = _cues()
    counts: Counter = Counter()
    first: dict[str, int] = {}
    written: dict[str, str] = {}
    for m in gazetteers.province_regex().finditer(f):
        p = gazetteers.province_named(m.group("p"))
        if p is None:
            continue
        before = f[max(0, m.start() - 11):m.start()]
        weight = 2 if unit_rx.search(before) else 1
        if list_rx.search(f[max(0, m.start() - 80):m.start()]):
            weight = 0  # a list of provinces names places, not the article's province
        counts[p.name] += weight
        first.setdefault(p.name, m.start())
        written.setdefault(p.name, text[m.start():m.end()])
    if not counts or max(counts.values()) == 0:
        return None
    name = max(counts, key=lambda n: (counts[n], -first[n]))
    p = next(x for x in gazetteers.provinces() if x.name == name)
    return p, written[name]


HEADER_LINES = 12


def published_from_header(header: str, body: str) -> str | None:
    """The first header-form publication date on the lines above the body's first paragraph."""
    rows = gazetteers.published_dates()
    first = next((ln.strip() for ln in body.split("\n") if len(ln.strip()) >= 120), "")
    for line in header.split("\n")[:HEADER_LINES]:
        line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        for _name, rx, _example, _want in rows:
            if m := rx.match(line):
                d = valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                if d:
                    return d.isoformat()
        if first and first[:60] in line:
            break  # the body's first paragraph: below it a date is the text's, not the page's
    return None


def extract(ctx: Context) -> None:
    meta = ctx.meta
    if not meta.published and ctx.header:
        meta.published = published_from_header(ctx.header, ctx.body)
    if meta.province:
        meta.province_current = gazetteers.current_province(meta.province)
        return
    p = province_from_url(meta.url)
    written = None
    if p is None:
        found = province_from_text(ctx.body, ctx.fold) or province_from_text(ctx.header)
        if found:
            p, written = found
    if p is None:
        return
    # 'thành phố Huế' in a 2025 article names the new unit; otherwise the province as it was named then
    meta.province = p.current if written and gazetteers.province_named(written) and \
        fold(written) == fold(p.current) and p.current != p.name else p.name
    meta.province_current = p.current
