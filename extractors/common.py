"""Helpers shared by the extractors: the per-article context, sentences, spans, years."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

from extractors.atoms import Atom, view
from extractors.records import ArticleMeta, Evidence
from gazetteers.textnorm import fold


@dataclass(slots=True)
class Mention:
    """A located entity the later extractors anchor on (an agency or a person)."""

    start: int
    end: int
    name: str
    kind: str  # agency | person
    agency_class: str = "state"
    province: str | None = None  # agencies: the province written after the name ('Sở Nội vụ tỉnh Lâm Đồng')
    type: str | None = None  # agencies: the gazetteer head ('Sở', 'Trường Cao đẳng', 'Ủy ban nhân dân huyện')
    title: str | None = None
    title_end: int = 0
    title_start: int = -1  # a title written before the name starts here
    used: bool = False  # a member-class agency becomes a record only once it is used
    in_member_list: bool = False  # named in a list after 'gồm:' / 'các Sở:' (bloc membership)
    rule: str | None = None  # the phrasing rule(s) that found it (gazetteers/rules/agencies.tsv, people.tsv)
    siblings: int = 0  # agencies: named in a list of this many units sharing one head ('Huyện ủy A, B và C')


@dataclass(slots=True)
class Context:
    body: str
    fold: str
    meta: ArticleMeta
    header: str = ""  # page text around the body (portal name, dates): metadata may read it, records may not
    agencies: list[Mention] = field(default_factory=list)
    people: list[Mention] = field(default_factory=list)
    blocs: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, canonical bloc name)
    years: dict[str, int] = field(default_factory=dict)  # reviewed / planned year of the meeting
    records: dict[str, list] = field(default_factory=dict)
    atoms: list[Atom] = field(default_factory=list)  # atoms other than agencies, people and blocs (awards, roles ...)
    _view: tuple[tuple, str] | None = None
    # what a component derives once per article and reuses (sorted atoms, a group's matches): it lives and
    # dies with the article, keyed by the component's own names
    memo: dict = field(default_factory=dict)

    def all_atoms(self) -> list[Atom]:
        """Every atom so far: the agency, person and bloc mentions, and the atoms components added."""
        out = [Atom(a.start, a.end, "AUTHORITY" if a.agency_class == "authority" else "AGENCY", a) for a in self.agencies]
        out += [Atom(p.start, p.end, "PERSON", p) for p in self.people]
        out += [Atom(s, e, "BLOC", name) for s, e, name in self.blocs]
        return out + self.atoms

    def atom_view(self) -> str:
        """The fold view with every atom masked (extractors/atoms.py), rebuilt only when atoms were added."""
        stamp = (len(self.agencies), len(self.people), len(self.blocs), len(self.atoms))
        if self._view is None or self._view[0] != stamp:
            self._view = (stamp, view(self.fold, self.all_atoms()))
        return self._view[1]

    def sentences(self) -> list[tuple[int, int]]:
        """sentences(body), once an article (events asks for it once per rule group); do not modify it."""
        if (got := self.memo.get("sentences")) is None:
            got = self.memo["sentences"] = sentences(self.body)
        return got

    @classmethod
    def of(cls, body: str, meta: ArticleMeta, header: str = "") -> Context:
        return cls(body=body, fold=fold(body), meta=meta, header=header)

    def evidence(self, start: int, end: int) -> Evidence:
        while start < end and self.body[start].isspace():
            start += 1
        while end > start and self.body[end - 1].isspace():
            end -= 1
        return Evidence(start, end, self.body[start:end])

    def published_date(self) -> date | None:
        if self.meta.published:
            y, m, d = (int(x) for x in self.meta.published[:10].split("-"))
            return date(y, m, d)
        return None

    def display_name(self, m: Mention) -> str:
        """An agency's name as a recipient or holder: with its province when that is not the article's."""
        if m.kind == "agency" and m.province and m.agency_class != "authority":
            import gazetteers

            p = gazetteers.province_named(m.province)
            if p and p.name != self.meta.province and p.current != self.meta.province:
                return f"{m.name} tỉnh {m.province}" if not m.name.endswith(("tỉnh", "thành phố")) else \
                    f"{m.name} {m.province}"
        return m.name

    def agency_at(self, start: int, end: int) -> Mention | None:
        for a in self.agencies:
            if a.start >= start and a.end <= end:
                return a
        return None


_SENT_END = re.compile(r"(?<=[.!?…])(?:\s+|(?=[A-ZÀ-Ỹ]))|\n+")


# spaces after a sentence mark before a capital or a digit, or line breaks: `(?<=[.!?…])\s+(?=…)|\n+`
# written to open on a space (the look-behinds after it), so that `re` skips ahead to spaces
# a list number written inline after ':' or ';' ('sau: 1. Sở A; 2. Sở B') ends no sentence
_SENT_BREAK = re.compile(r"\s(?:(?<=[.!?…]\s)(?<![:;]\s\d\.\s)(?<![:;]\s\d\d\.\s)\s*(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])|(?<=\n)\n*)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a newline always ends one. Dots inside numbers do not."""
    out, pos = [], 0
    for m in _SENT_BREAK.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span of `sentences()` (sorted, disjoint) holding pos; a bisection, since a scan per mention was
    quadratic on a long text."""
    i = bisect_right(spans, (pos, math.inf)) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return (0, 0)


YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b", re.I)
DATE_IN_TEXT = re.compile(r"\d{1,2}\s*[/\-]\s*\d{1,2}\s*[/\-]\s*(?:19|20)\d{2}")


def years_in(text: str) -> list[int]:
    """'năm YYYY' years, ignoring years inside full dates and legal numbers."""
    return [int(m.group(1)) for m in YEAR.finditer(text)]


def capitalized(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


_REVIEW = re.compile(r"(?:tổng kết|sơ kết)[^.;]{0,80}?năm\s+((?:19|20)\d{2})")
_PLAN = re.compile(r"(?:giao ước|phát động|triển khai|phương hướng|nhiệm vụ|kế hoạch)[^.;]{0,60}?năm\s+((?:19|20)\d{2})")


def meeting_years(ctx: Context) -> dict[str, int]:
    """The year a meeting reviews, the year it plans for, and the year it happened, when stated."""
    if ctx.years:
        return ctx.years
    out: dict[str, int] = {}
    if m := _REVIEW.search(ctx.fold):
        out["reviewed"] = int(m.group(1))
    plans = [int(m.group(1)) for m in _PLAN.finditer(ctx.fold)]
    if plans:
        out["planned"] = max(plans)
    if ctx.meta.published:
        out["activity"] = int(ctx.meta.published[:4])
    ctx.years = out
    return out
