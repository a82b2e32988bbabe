"""Bloc roles: who is Trưởng khối / Phó trưởng khối of which bloc, for which year.

The holder is the agency written next to the role ('Sở Công Thương-Trưởng khối', 'X làm Trưởng
Khối', 'X (Khối trưởng)', 'Trưởng khối - X', 'trao Cờ Khối trưởng năm 2023 cho X'), the agency in
the title of the person who holds it ('ông A, Giám đốc Sở Nội vụ – Trưởng Khối'), or the person
when only a person is named. The year is the one written with the role, else the sentence's only
year, else the meeting's: the planned year when the role is elected or assigned, the reviewed year
when it is described.
"""

from __future__ import annotations

import re

from extractors import rules
from extractors.common import Context, Mention, meeting_years, sentence_of, sentences, years_in
from pipeline.records import BlocRole
from pipeline.textnorm import key

ROLE = re.compile(r"(?P<pho>phó\s+trưởng\s+(?:khối|cụm)|(?:khối|cụm)\s+phó|phó\s+(?:khối|cụm))"
                  r"|(?P<truong>trưởng\s+(?:khối|cụm)|(?:khối|cụm)\s+trưởng)(?!\w)")
ELECT = re.compile(r"(bầu|suy tôn|công nhận|giao nhiệm vụ|được giao|trao cờ|phân công|luân phiên)")


def _by_rule(ctx: Context, group: str, s: int, e: int) -> tuple[Mention, str] | None:
    """The agency a holder rule of `group` binds to the role at s..e (gazetteers/rules/bloc_roles.tsv)."""
    v = ctx.atom_view()
    if ".holder_before" in group:
        rule, m = rules.search_back(group, v, max(0, s - 200), s)
    else:
        rule, m = rules.match_at(group, v, e)
    if m is None:
        return None
    a = ctx.agency_at(*m.span("holder"))
    return (a, rule.id) if a is not None else None


def _holder(ctx: Context, s: int, e: int, sent: tuple[int, int]) -> tuple[str, str | None] | None:
    """(holder, rule id) of the role at s..e."""
    f = ctx.fold
    flag = f[max(0, s - 4):s] == "cờ "
    if flag:  # 'trao Cờ Khối trưởng năm 2023 cho Sở Giáo dục-Đào tạo'
        found = _by_rule(ctx, "bloc_roles.holder_after", s, e)
        if found:
            found[0].used = True
            return ctx.display_name(found[0]), found[1]
        return None
    for p in ctx.people:
        if p.title and p.end < s < p.title_end:
            inside = [a for a in ctx.agencies if (p.end <= a.start and a.end <= s)
                      or (p.title_start >= 0 and p.title_start <= a.start and a.end <= p.start)]
            inside.sort(key=lambda a: (a.start > p.start, a.start))
            if inside:
                inside[-1].used = True
                return ctx.display_name(inside[-1]), None
            return p.name, None
    for group in ("bloc_roles.holder_after.is", "bloc_roles.holder_before", "bloc_roles.holder_after"):
        if found := _by_rule(ctx, group, s, e):
            found[0].used = True
            return ctx.display_name(found[0]), found[1]
    # 'thay mặt đơn vị Trưởng khối ..., đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy đề nghị'
    if re.search(r"(đơn vị|thay mặt)\s*$", f[max(0, s - 15):s]):
        m = re.compile(r",\s*(?:đồng chí|ông|bà)\s+").search(f, e, sent[1])
        if m:
            for a in ctx.agencies:
                if m.end() <= a.start <= m.end() + 30:
                    a.used = True
                    return ctx.display_name(a), None
    return None


def _year(ctx: Context, s: int, e: int, sent: tuple[int, int]) -> int | None:
    f = ctx.fold
    pos = e
    for bs, be, _ in ctx.blocs:
        if s <= bs <= e + 2:
            pos = max(pos, be)
    m = re.match(r"\s*(?:tỉnh\s+[^\s,.;]+(?:\s+[^\s,.;]+)?\s+)?năm\s+((?:19|20)\d{2})", f[pos:])
    if m:
        return int(m.group(1))
    m = re.match(r"\s*(?:trong\s+)?năm\s+((?:19|20)\d{2})\s*,", f[sent[0]:])
    if m:
        return int(m.group(1))
    ys = set(years_in(ctx.body[sent[0]:sent[1]]))
    if len(ys) == 1:
        return ys.pop()
    years = meeting_years(ctx)
    elect = ELECT.search(f[max(sent[0], s - 60):s])
    order = ("planned", "reviewed", "activity") if elect else ("reviewed", "planned", "activity")
    for k in order:
        if k in years:
            return years[k]
    return None


def _bloc(ctx: Context, s: int, e: int) -> str | None:
    for bs, _be, name in ctx.blocs:
        if s <= bs <= e + 2:
            return name
    names = {n for _, _, n in ctx.blocs}
    return names.pop() if len(names) == 1 else None


def extract(ctx: Context) -> None:
    sents = sentences(ctx.body)
    roles: dict[tuple, BlocRole] = {}
    for m in ROLE.finditer(ctx.fold):
        s, e = m.start(), m.end()
        if not ctx.body[s:s + 1].strip():
            continue
        sent = sentence_of(sents, s)
        found = _holder(ctx, s, e, sent)
        if not found:
            continue
        holder, rule = found
        role = "pho_khoi" if m.group("pho") else "truong_khoi"
        year = _year(ctx, s, e, sent)
        k = (key(holder), role, year)
        if k in roles:
            continue
        roles[k] = BlocRole(holder, role, year, _bloc(ctx, s, e), ctx.evidence(s, e), rule=rule)
    ctx.records["bloc_roles"] = list(roles.values())
