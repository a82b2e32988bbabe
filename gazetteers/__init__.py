"""Loaders for the gazetteer files in this folder.

The files are data a domain expert edits (TSV / plain text, `#` comments); this module only
reads them. Each loader is cached: gazetteers are read once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteers.textnorm import ascii_fold, flex_pattern, key, nfc

HERE = Path(__file__).resolve().parent


class GazetteerError(ValueError):
    """A gazetteer file is malformed: the message names the file and line."""


def _rows(name: str, min_cols: int = 1, where: list[str] | None = None) -> list[list[str]]:
    path = HERE / name
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [nfc(c.strip()) for c in line.split("\t")]
        if len(cols) < min_cols:
            raise GazetteerError(f"{path}:{n}: expected {min_cols} tab-separated columns, got {len(cols)}")
        out.append(cols)
        if where is not None:
            where.append(f"gazetteers/{name}:{n}")
    return out


def _lines(name: str) -> list[str]:
    return [r[0] for r in _rows(name)]


# ---------------------------------------------------------------- provinces
@dataclass(frozen=True)
class Province:
    name: str  # as before 1 July 2025
    current: str  # the unit it belongs to from 1 July 2025
    current_kind: str
    variants: tuple[str, ...]
    host_hints: tuple[str, ...]


@cache
def provinces() -> tuple[Province, ...]:
    extra: dict[str, tuple[list[str], list[str]]] = {}
    for cols in _rows("province_variants.tsv", 2):
        variants = [v for v in cols[1].split("|") if v]
        hints = [h for h in (cols[2].split("|") if len(cols) > 2 else []) if h]
        extra[cols[0]] = (variants, hints)
    out = []
    with (HERE / "provinces-2025.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = nfc(row["province_before_2025_07_01"])
            variants, hints = extra.get(name, ([], []))
            slug = ascii_fold(name).replace(" ", "").replace("-", "")
            out.append(Province(
                name=name,
                current=nfc(row["province_from_2025_07_01"]),
                current_kind=row["unit_kind_from_2025_07_01"],
                variants=tuple(dict.fromkeys([name, *variants])),
                host_hints=tuple(dict.fromkeys([slug, *hints])),
            ))
    return tuple(out)


@cache
def province_alternation() -> str:
    """A regex alternation (no groups) of every province spelling, for the fold view."""
    forms = sorted({v for p in provinces() for v in p.variants}, key=len, reverse=True)
    return "(?:" + "|".join(flex_pattern(f) for f in forms) + ")"


@cache
def province_regex() -> re.Pattern[str]:
    r"""Matches any province spelling in the fold view; group 'p' is the spelling.

    The same matches as `(?<!\w)(?P<p>{province_alternation()})(?!\w)`, written so that `re` skips ahead: the
    spellings grouped by their first letter, the look-behind after it (a pattern that opens on a look-behind is
    tried at every position; callers search whole articles). Order is kept within a group, and spellings that
    open on different letters never match at the same place, so the same spelling matches."""
    forms = sorted({v for p in provinces() for v in p.variants}, key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for alt in (flex_pattern(f) for f in forms):  # each opens on an escaped word: a letter or digit
        groups.setdefault(alt[0], []).append(alt[1:])
    if not all(c.isalnum() for c in groups):
        return re.compile(r"(?<!\w)(?P<p>" + province_alternation() + r")(?!\w)")
    heads = [re.escape(c) + r"(?<!\w.)(?:" + "|".join(rs) + ")" for c, rs in groups.items()]
    return re.compile("(?P<p>" + "|".join(heads) + r")(?!\w)")


@cache
def province_by_key() -> dict[str, Province]:
    return {key(v): p for p in provinces() for v in p.variants}


def province_named(text: str) -> Province | None:
    return province_by_key().get(key(text))


def current_province(name: str | None) -> str | None:
    """The post-2025 unit for a province named either way (old or new)."""
    if not name:
        return None
    p = province_named(name)
    if p:
        return p.current
    cur = {key(x.current): x.current for x in provinces()}
    return cur.get(key(name))


# ---------------------------------------------------------------- agencies
@dataclass(frozen=True)
class AgencyPattern:
    pattern: str  # as written in the file, without a trailing '*'
    agency_class: str  # state | member | authority
    canonical: str  # expanded form ('' in the file -> abbreviations expanded)
    open_name: bool  # a proper name follows ('Trường Cao đẳng *')
    needs_locality: bool = False  # 'Công an ~': only with 'tỉnh', 'huyện X'... or inside a member list
    flags: frozenset[str] = frozenset()  # 'lower': the name may start in lower case; 'list': names may share the head


@cache
def agency_patterns() -> tuple[AgencyPattern, ...]:
    out = []
    for cols in _rows("agencies.tsv", 2):
        pat = cols[0]
        open_name = pat.endswith("*")
        needs_locality = pat.endswith("~")
        pat = pat.rstrip("*~ ").strip()
        canonical = cols[2] if len(cols) > 2 and cols[2] else expand_abbreviations(pat)
        flags = frozenset(cols[3].split(",")) if len(cols) > 3 and cols[3] else frozenset()
        out.append(AgencyPattern(pat, cols[1], canonical, open_name, needs_locality, flags))
    return tuple(out)


@cache
def departments() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical field, variants) for 'Sở <field>'."""
    merged: dict[str, list[str]] = {}
    for cols in _rows("departments.tsv", 2):
        merged.setdefault(cols[0], []).extend(v for v in cols[1].split("|") if v)
    return tuple((k, tuple(dict.fromkeys([k, *v]))) for k, v in merged.items())


@cache
def department_short_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical field, short forms) read only right after 'Sở' ('Sở Giáo dục'): departments.tsv column 3."""
    return tuple((c[0], tuple(v for v in c[2].split("|") if v)) for c in _rows("departments.tsv", 2) if len(c) > 2)


@cache
def abbreviations() -> tuple[tuple[str, str], ...]:
    return tuple((c[0], c[1]) for c in _rows("abbreviations.tsv", 2))


@cache
def _abbr_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {a: e for a, e in abbreviations()}
    alts = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alts) + r")(?!\w)"), table


def expand_abbreviations(text: str) -> str:
    rx, table = _abbr_regex()
    return rx.sub(lambda m: table[m.group(1)], text)


@cache
def name_stops() -> dict[str, tuple[str, ...]]:
    """What ends a name after a head word (extractors/names.py): kind -> words, from name_stops.tsv."""
    out: dict[str, list[str]] = {}
    for c in _rows("name_stops.tsv", 2):
        out.setdefault(c[0], []).extend(w for w in c[1].split("|") if w)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@cache
def _districts() -> tuple[dict[tuple[str, str], str], dict[str, set[str]]]:
    by_prov: dict[tuple[str, str], str] = {}
    by_name: dict[str, set[str]] = {}
    for c in _rows("districts.tsv", 3):
        p = province_named(c[0])
        by_prov[(key(p.name if p else c[0]), key(c[2]))] = c[1]
        by_name.setdefault(key(c[2]), set()).add(c[1])
    return by_prov, by_name


def district_kind(province: str | None, name: str) -> str | None:
    """The level of a district-level unit (huyện, thị xã, thành phố, quận) before 1 July 2025, when known."""
    by_prov, by_name = _districts()
    p = province_named(province) if province else None
    if p and (kind := by_prov.get((key(p.name), key(name)))):
        return kind
    kinds = by_name.get(key(name), set())
    return next(iter(kinds)) if len(kinds) == 1 else None


@cache
def localities() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((c[0], tuple(c[1].split("|"))) for c in _rows("localities.tsv", 2))


# ---------------------------------------------------------------- awards, titles, people
@cache
def award_kinds() -> tuple[tuple[str, str], ...]:
    """(phrase, kind), longest phrase first."""
    pairs = [(p, c[0]) for c in _rows("awards.tsv", 2) for p in c[1].split("|") if p]
    return tuple(sorted(pairs, key=lambda x: len(x[0]), reverse=True))


@cache
def conferrers() -> tuple[tuple[str, str], ...]:
    pairs = [(c[0], c[1]) for c in _rows("conferrers.tsv", 2)]
    return tuple(sorted(pairs, key=lambda x: len(x[0]), reverse=True))


@cache
def titles() -> tuple[str, ...]:
    return tuple(sorted(set(_lines("titles.txt")), key=len, reverse=True))


@cache
def honorifics() -> tuple[str, ...]:
    return tuple(sorted(set(_lines("honorifics.txt")), key=len, reverse=True))


@cache
def surnames() -> frozenset[str]:
    return frozenset(_lines("surnames.txt"))


@cache
def legal_doc_types() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((c[0], tuple(c[1].split("|"))) for c in _rows("legal_doc_types.tsv", 2))


@cache
def legal_doc_names() -> tuple[tuple[str, str], ...]:
    """(other name as written, type): 'văn bản' -> 'Công văn' (the third column of legal_doc_types.tsv)."""
    return tuple((n, c[0]) for c in _rows("legal_doc_types.tsv", 2) if len(c) > 2 for n in c[2].split("|") if n)


@cache
def published_dates() -> tuple[tuple[str, re.Pattern[str], str, str], ...]:
    """(name, regex, example header line, date it gives) from published_dates.tsv."""
    out = []
    for cols in _rows("published_dates.tsv", 2):
        try:
            rx = re.compile(cols[1], re.IGNORECASE)
        except re.error as exc:
            raise GazetteerError(f"published_dates.tsv {cols[0]}: bad regex {cols[1]!r}: {exc}") from exc
        out.append((cols[0], rx, cols[2] if len(cols) > 2 else "", cols[3] if len(cols) > 3 else ""))
    return tuple(out)


@cache
def furniture() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for n, cols in enumerate(_rows("furniture.tsv", 2), 1):
        try:
            out.append((cols[0], re.compile(cols[1], re.IGNORECASE)))
        except re.error as exc:
            raise GazetteerError(f"furniture.tsv rule {n}: bad regex {cols[1]!r}: {exc}") from exc
    return tuple(out)


@cache
def bloc_words() -> dict[str, tuple[str, ...]]:
    return {c[0]: tuple(w for w in c[1].split("|") if w) for c in _rows("blocs.tsv", 2)}


@cache
def event_exclusions() -> tuple[tuple[str, str, str, str, tuple[str, ...]], ...]:
    """(where, pattern in the rule format, example, kind the example must not give, rule groups it cancels or ()
    for all) from events_not.tsv."""
    return tuple((c[0], c[1], c[2] if len(c) > 2 else "", c[3] if len(c) > 3 else "",
                  tuple(g for g in (c[4] if len(c) > 4 else "").split("|") if g)) for c in _rows("events_not.tsv", 2))


@cache
def people_not() -> frozenset[str]:
    return frozenset(_lines("people_not.txt"))


@dataclass(frozen=True)
class Lineage:
    old: str
    new: str
    effective: str
    note: str


@cache
def department_lineage_2025() -> tuple[Lineage, ...]:
    return tuple(Lineage(c[0], c[1], c[2] if len(c) > 2 else "", c[3] if len(c) > 3 else "")
                 for c in _rows("department_lineage_2025.tsv", 2))


@cache
def tcvn3_letters() -> dict[int, str]:
    """Byte -> letter of the TCVN3 (ABC) font encoding, for converting old pages (scrapers/legacy.py)."""
    out = {}
    for cols in _rows("legacy_tcvn3.tsv", 2):
        try:
            byte = int(cols[0], 16)
        except ValueError:
            byte = -1
        if not 0x80 <= byte <= 0xFF or len(cols[1]) != 1:
            raise GazetteerError(f"legacy_tcvn3.tsv: {cols[0]!r} -> {cols[1]!r}: expected a byte 80-FF and one letter")
        out[byte] = cols[1]
    return out


# ---------------------------------------------------------------- phrasing rules (extractors/rules.py)
@cache
def rule_rows() -> tuple[tuple[str, list[str]], ...]:
    """(file:line, [id, pattern, example, expected JSON]) of every rules/<type>.tsv but the word lists."""
    out = []
    for path in sorted((HERE / "rules").glob("*.tsv")):
        if path.name.startswith("words"):
            continue
        where: list[str] = []
        rows = _rows(f"rules/{path.name}", 2, where)
        out.extend(zip(where, rows, strict=True))
    return tuple(out)


@cache
def rule_word_lists() -> dict[str, dict[str, tuple[str, ...]]]:
    """Named word lists that rules refer to as @name, by scope: rules/words_<type>.tsv -> '<type>'."""
    out: dict[str, dict[str, list[str]]] = {}
    for path in sorted((HERE / "rules").glob("words*.tsv")):
        scope = path.stem.removeprefix("words").lstrip("_")
        lists = out.setdefault(scope, {})
        for cols in _rows(f"rules/{path.name}", 2):
            lists.setdefault(cols[0], []).extend(w for w in cols[1].split("|") if w)
    return {sc: {k: tuple(dict.fromkeys(v)) for k, v in lists.items()} for sc, lists in out.items()}
