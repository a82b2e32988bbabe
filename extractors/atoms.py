"""Atoms: the located things phrasing rules are written over (agencies, people, awards, years ...).

Earlier components add atoms to the context; a rule (extractors/rules.py) then matches an *atom
view* of the fold view, in which each atom's characters are replaced by one label character and
filler. The view has the body's length, so every match offset is a body offset, and a rule
like `{AGENCY:holder} làm {ROLE:role}` needs no knowledge of how an agency name is spelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# one private-use character per label, then filler: none of them is a word character for `re`
FILL = "\ue000"
LABELS: dict[str, str] = {
    "AGENCY": "\ue101",  # a state agency, public unit, party / front / mass organisation
    "AUTHORITY": "\ue102",  # confers awards or issues documents (UBND tỉnh, Chính phủ, Bộ …)
    "PERSON": "\ue103",
    "BLOC": "\ue104",
    "AWARD": "\ue105",  # a form or title of the Law on Emulation and Commendation
    "ROLE": "\ue106",  # Trưởng khối, Cụm phó …
    "LEGAL": "\ue107",
    "PROVINCE": "\ue108",
    "COUNT": "\ue109",  # '08 cá nhân', '30 tập thể'
    "DOCTYPE": "\ue10a",  # a document type as written: 'Quyết định', 'văn bản' (legal refs)
    "DOCNO": "\ue10b",  # a document number with a code: '91/2017/NĐ-CP', '238/KH- KNC' (legal refs)
    "CONFERRER": "\ue10d",  # who confers an award (gazetteers/conferrers.tsv): 'Chủ tịch nước', 'Chủ tịch UBND tỉnh'
    "NAME": "\ue10c",  # a capitalised name span no other atom covers ('Huyện ủy Krông Búk', 'huyện Đăk Hà')
}
# what `{ENTITY}` stands for in a rule: anything that can receive an award or hold a role
GROUPS: dict[str, tuple[str, ...]] = {"ENTITY": ("AGENCY", "PERSON", "PROVINCE")}


@dataclass(slots=True)
class Atom:
    start: int
    end: int
    label: str
    value: object = None  # what the component knows about it: a Mention, an award kind, a count …
    data: dict = field(default_factory=dict)


def view(fold: str, atoms: list[Atom]) -> str:
    """The fold view with each atom masked; when atoms overlap, the earlier-starting, longer one wins."""
    pieces = []
    taken = 0
    for a in sorted(atoms, key=lambda a: (a.start, -(a.end - a.start))):
        if a.start < taken or a.end <= a.start:
            continue
        pieces += (fold[taken:a.start], LABELS[a.label], FILL * (a.end - a.start - 1))
        taken = a.end
    pieces.append(fold[taken:])
    return "".join(pieces)  # slices joined, not a list of every character: a view is built ~6 times an article


def at(atoms: list[Atom], start: int, end: int, labels: tuple[str, ...] | None = None) -> list[Atom]:
    """The atoms inside [start, end), in text order (what a `{LABEL+:name}` list capture holds)."""
    out = [a for a in atoms if start <= a.start and a.end <= end and (labels is None or a.label in labels)]
    out.sort(key=lambda a: a.start)
    kept: list[Atom] = []
    for a in out:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept
