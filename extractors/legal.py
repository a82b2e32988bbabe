"""Legal references: numbered documents ('Nghị định số 91/2017/NĐ-CP ngày 31-7-2017').

Mechanism: document types (gazetteers/legal_doc_types.tsv) and numbers are marked as atoms
(DOCTYPE, DOCNO) over the fold view; the phrasings that tie a type to its number and a date to the
document are rules (gazetteers/rules/legal_refs.tsv). A number with a code names its type when no
type is written ('số 23-CT/TU' is a Chỉ thị); a generic name ('văn bản số 79/UBND-NC') takes the
code's type, else the type it stands for.
"""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors import rules
from extractors.atoms import Atom, view
from extractors.common import Context
from extractors.dates import parse_full
from extractors.records import LegalRef
from gazetteers.textnorm import fold

# a number with a code: digits, then '/' or '-' parts, a single space allowed after a separator ('238/KH- KNC')
# and before a slash ('15 /KH-UBND')
# (the 'no word character or slash before' check after the first digit: the search skips ahead to digits)
NUMBER = re.compile(r"\d(?<![\w/]\d)\d*[A-Za-zĐđ0-9.]*(?:(?:\s?/|-)\s?[A-Za-zĐđ0-9][A-Za-zĐđ0-9.]*)+")
DASHES = str.maketrans({c: "-" for c in "–—‑‐−"})
_ANY_DASH = re.compile("[–—‑‐−]")
CODED = re.compile(r"/\s?[^/]*[A-ZĐ]|[A-ZĐ].*/")  # an upper-case code after the first slash ('91/2017/NĐ-CP', '23-CT/TU')


@cache
def _types() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]], dict[str, str]]:
    names: dict[str, tuple[str, bool]] = {fold(t): (t, False) for t, _ in gazetteers.legal_doc_types()}
    names.update({fold(n): (t, True) for n, t in gazetteers.legal_doc_names()})
    alts = [re.escape(n) for n in sorted(names, key=len, reverse=True)]
    rx = re.compile("(" + rules.grouped_alternation(alts)[0] + r")(?!\w)")
    codes = {c: t for t, cs in gazetteers.legal_doc_types() for c in cs}
    return rx, names, codes


def _type_from_number(num: str, codes: dict[str, str]) -> str | None:
    for part in re.split(r"[/\-]", re.sub(r"\s+", "", num.translate(DASHES))):
        if part in codes:
            return codes[part]
    return None


def _atoms(ctx: Context) -> list[Atom]:
    rx, names, _ = _types()
    out = [Atom(m.start(), m.end(), "DOCTYPE", names[m.group(1)]) for m in rx.finditer(ctx.fold)]
    body = _ANY_DASH.sub("-", ctx.body)  # DASHES over the body: str.translate with a table is ~20x slower
    for m in NUMBER.finditer(body):  # '23–CT/TU' is matched as '23-CT/TU', kept as written
        num = ctx.body[m.start():m.start() + len(m.group(0).rstrip(".-/ "))]
        if CODED.search(num.translate(DASHES)):
            out.append(Atom(m.start(), m.start() + len(num), "DOCNO", num))
    return out


def _date_after(v: str, ctx: Context, pos: int) -> tuple[str | None, int, str]:
    rule, m = rules.match_at("legal_refs.date", v, pos, min(len(v), pos + 60))
    if m is None:
        return None, pos, ""
    date = parse_full(ctx.fold[m.start():m.end()])
    return (date, m.end(), rule.id) if date else (None, pos, "")


def _doc_type(m: re.Match, num: str, atoms: list[Atom], by_start: dict[int, Atom], codes: dict[str, str]) -> str | None:
    """The type written before the number ('Kế hoạch số …'), else the one its code names ('…/QĐ-UBND'); none when
    another type stands between them ('Kế hoạch … theo Quyết định số 12/QĐ-UBND': the nearer one names it)."""
    if "type" in m.groupdict() and m.group("type") is not None:
        if any(a.label == "DOCTYPE" and m.end("type") <= a.start < m.start("num") for a in atoms):
            return None
        name, generic = by_start[m.start("type")].value
        return (_type_from_number(num, codes) or name) if generic else name
    return _type_from_number(num, codes)


def extract(ctx: Context) -> None:
    _, _, codes = _types()
    atoms = _atoms(ctx)
    v = view(ctx.fold, atoms)
    by_start = {a.start: a for a in atoms}
    out: dict[str, LegalRef] = {}
    for rule, m in rules.finditer("legal_refs.ref", v):
        num = ctx.body[m.start("num"):m.end("num")]
        num_atom = by_start.get(m.start("num"))
        if num_atom is not None and num_atom.label == "DOCNO":
            num = num_atom.value
        dtype = _doc_type(m, num, atoms, by_start, codes)
        if dtype is None:
            continue
        date, end, date_rule = _date_after(v, ctx, m.start("num") + len(num))
        start = m.start()
        if date is None:  # 'Ngày 5/3/2023, UBND tỉnh ban hành Kế hoạch số ...'
            brule, bm = rules.search_back("legal_refs.date_before", v, max(0, m.start() - 90), m.start())
            if bm is not None and (date := parse_full(ctx.fold[bm.start():bm.end()])):
                start, date_rule = bm.start(), brule.id
        k = re.sub(r"\s+", "", num.upper())
        if k in out:
            if out[k].date is None and date:
                out[k].date = date
            continue
        out[k] = LegalRef(dtype, num, date, ctx.evidence(start, max(end, m.end())),
                          rule="+".join(x for x in (rule.id, date_rule) if x))
    ctx.records["legal_refs"] = list(out.values())
