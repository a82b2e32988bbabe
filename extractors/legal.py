"""Legal references: numbered documents ('Nghị định số 91/2017/NĐ-CP ngày 31-7-2017')."""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors.common import Context
from extractors.dates import FULL, WORDY, parse_full
from pipeline.records import LegalRef
from pipeline.spans import Covered

# a document number has a slash and an upper-case code: 91/2017/NĐ-CP, 23-CT/TU, 08/CT-UBND
NUMBER = r"(?P<num>\d+[A-Za-zĐđ0-9.\-]*/[A-Za-zĐđ0-9./\-]*[A-ZĐ][A-Za-zĐđ0-9./\-]*)"


@cache
def _regex() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    types = [t for t, _ in gazetteers.legal_doc_types()]
    alts = sorted(types + ["Thông tư liên tịch", "Nghị quyết liên tịch"], key=len, reverse=True)
    typed = re.compile(r"(?P<type>" + "|".join(map(re.escape, alts)) + r")\s+(?:số\s*:?\s*)?" + NUMBER)
    bare = re.compile(r"(?<!\w)số\s*:?\s*" + NUMBER)
    codes = {c: t for t, cs in gazetteers.legal_doc_types() for c in cs}
    return typed, bare, codes


def _type_from_number(num: str, codes: dict[str, str]) -> str | None:
    for part in re.split(r"[/\-]", num):
        if part in codes:
            return codes[part]
    return None


def extract(ctx: Context) -> None:
    typed, bare, codes = _regex()
    out: dict[str, LegalRef] = {}
    spans = [(m, m.group("type")) for m in typed.finditer(ctx.body)]
    covered = Covered((m.start("num"), m.end("num")) for m, _ in spans)
    for m in bare.finditer(ctx.body):
        if m.start("num") not in covered:
            spans.append((m, None))
    for m, dtype in sorted(spans, key=lambda x: x[0].start()):
        num = m.group("num").rstrip(".-/")
        if not re.search(r"[A-ZĐ]", num.split("/", 1)[1] if "/" in num else ""):
            continue
        dtype = dtype or _type_from_number(num, codes)
        if dtype is None:
            continue
        tail = ctx.body[m.end(): m.end() + 40]
        dm = re.match(r"\s*,?\s*(?:ban hành\s+)?ngày\s+", tail)
        date, end = None, m.end()
        if dm:
            rest = tail[dm.end():]
            fm = FULL.match(rest) or WORDY.match(rest)
            if fm:
                date = parse_full(fm.group(0))
                end = m.end() + dm.end() + fm.end()
        k = re.sub(r"\s+", "", num.upper())
        if k in out:
            if out[k].date is None and date:
                out[k].date = date
            continue
        out[k] = LegalRef(dtype, num, date, ctx.evidence(m.start(), end))
    ctx.records["legal_refs"] = list(out.values())
