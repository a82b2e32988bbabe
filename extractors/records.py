"""Record dataclasses: the contract of `thidua extract` (see CONTRACT.md), one class per type.

Every record may name the phrasing rules behind it in `rule` (ids from gazetteers/rules/, "+"-joined),
so `thidua extract --explain` shows why it exists and a wrong record points at the rule to mend.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """Character offsets into the cleaned body text, and the quoted span."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    kind: str
    date: str | None
    evidence: Evidence
    rule: str | None = None


@dataclass(slots=True)
class Bloc:
    name: str
    evidence: Evidence
    aliases: list[str] = field(default_factory=list)
    rule: str | None = None


@dataclass(slots=True)
class Agency:
    name: str
    evidence: Evidence
    type: str | None = None
    agency_class: str = "state"
    member_of: str | None = None  # the bloc whose member list names this agency
    rule: str | None = None


@dataclass(slots=True)
class BlocRole:
    holder: str
    role: str
    year: int | None
    bloc: str | None
    evidence: Evidence
    rule: str | None = None


@dataclass(slots=True)
class Award:
    kind: str
    conferred_by: str | None
    recipient: str | None
    count: int | None
    percent: float | int | None
    status: str
    year: int | None
    evidence: Evidence
    award_name: str | None = None  # the form as written: 'Huân chương Lao động hạng Ba', 'Chiến sĩ thi đua cơ sở'
    rule: str | None = None


@dataclass(slots=True)
class Person:
    name: str
    title: str | None
    evidence: Evidence
    rule: str | None = None


@dataclass(slots=True)
class LegalRef:
    doc_type: str
    number: str
    date: str | None
    evidence: Evidence
    rule: str | None = None


@dataclass(slots=True)
class ArticleMeta:
    title: str | None = None
    published: str | None = None
    province: str | None = None
    url: str | None = None
    author: str | None = None
    province_current: str | None = None


RECORD_TYPES: dict[str, type] = {
    "events": Event,
    "blocs": Bloc,
    "agencies": Agency,
    "bloc_roles": BlocRole,
    "awards": Award,
    "people": Person,
    "legal_refs": LegalRef,
}


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article, plus the cleaned body the offsets point into."""

    source: str
    article: ArticleMeta
    body: str
    events: list[Event] = field(default_factory=list)
    blocs: list[Bloc] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    bloc_roles: list[BlocRole] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    legal_refs: list[LegalRef] = field(default_factory=list)

    def to_json(self, include_body: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "article": asdict(self.article)}
        for name in RECORD_TYPES:
            out[name] = [asdict(r) for r in getattr(self, name)]
        if include_body:
            out["body"] = self.body
        return out
