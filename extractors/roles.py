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

from extractors.common import Context, Mention, meeting_years, sentence_of, sentences, years_in
from pipeline.records import BlocRole
from pipeline.textnorm import key

ROLE = re.compile(r"(?P<pho>phó\s+trưởng\s+(?:khối|cụm)|(?:khối|cụm)\s+phó|phó\s+(?:khối|cụm))"
                  r"|(?P<truong>trưởng\s+(?:khối|cụm)|(?:khối|cụm)\s+trưởng)(?!\w)")
BEFORE = re.compile(r"^(?:\s*[-–,:]\s*|\s*\(\s*(?:là\s+|đơn vị\s+)?|\s+(?:làm|là|được giao nhiệm vụ|được giao làm|được bầu làm|"
                    r"được công nhận là|được suy tôn làm|giữ vai trò|giữ chức|tiếp tục làm|đảm nhận|đảm nhiệm)\s+"
                    r"(?:đơn vị\s+)?)$")
IS_AFTER = re.compile(r"^(?:\s+năm\s+(?:19|20)\d{2})?\s+(?:là|thuộc về)\s+(?:đơn vị\s+)?$")  # 'Khối trưởng năm 2020 là X'
AFTER = re.compile(r"^(?:\s*[-–:]\s*|(?:\s+năm\s+(?:19|20)\d{2})?\s+cho\s+(?:đại diện\s+)?(?:lãnh đạo\s+)?)$")
ELECT = re.compile(r"(bầu|suy tôn|công nhận|giao nhiệm vụ|được giao|trao cờ|phân công|luân phiên)")


def _agency_before(ctx: Context, pos: int) -> Mention | None:
    best = None
    for a in ctx.agencies:
        if a.end <= pos and pos - a.end <= 40 and BEFORE.match(ctx.fold[a.end:pos]):
            if best is None or a.end > best.end:
                best = a
    return best


def _agency_after(ctx: Context, pos: int, rx: re.Pattern[str] = AFTER) -> Mention | None:
    for a in ctx.agencies:
        if a.start >= pos and a.start - pos <= 40 and rx.match(ctx.fold[pos:a.start]):
            return a
    return None


def _holder(ctx: Context, s: int, e: int, sent: tuple[int, int]) -> str | None:
    f = ctx.fold
    flag = f[max(0, s - 4):s] == "cờ "
    if flag:  # 'trao Cờ Khối trưởng năm 2023 cho Sở Giáo dục-Đào tạo'
        a = _agency_after(ctx, e)
        if a:
            a.used = True
            return ctx.display_name(a)
        return None
    for p in ctx.people:
        if p.title and p.end < s < p.title_end:
            inside = [a for a in ctx.agencies if (p.end <= a.start and a.end <= s)
                      or (p.title_start >= 0 and p.title_start <= a.start and a.end <= p.start)]
            inside.sort(key=lambda a: (a.start > p.start, a.start))
            if inside:
                inside[-1].used = True
                return ctx.display_name(inside[-1])
            return p.name
    a = _agency_after(ctx, e, IS_AFTER) or _agency_before(ctx, s) or _agency_after(ctx, e)
    if a:
        a.used = True
        return ctx.display_name(a)
    # 'thay mặt đơn vị Trưởng khối ..., đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy đề nghị'
    if re.search(r"(đơn vị|thay mặt)\s*$", f[max(0, s - 15):s]):
        m = re.compile(r",\s*(?:đồng chí|ông|bà)\s+").search(f, e, sent[1])
        if m:
            for a in ctx.agencies:
                if m.end() <= a.start <= m.end() + 30:
                    a.used = True
                    return ctx.display_name(a)
    return None


def _year(ctx: Context, s: int, e: int, sent: tuple[int, int]) -> int | None:
    f = ctx.fold
    pos = e
    for bs, be, _ in ctx.blocs:
        if s <= bs <= e + 2:
            pos = max(pos, be)
    m = re.compile(r"\s*(?:tỉnh\s+[^\s,.;]+(?:\s+[^\s,.;]+)?\s+)?năm\s+((?:19|20)\d{2})").match(f, pos)
    if m:
        return int(m.group(1))
    m = re.compile(r"\s*(?:trong\s+)?năm\s+((?:19|20)\d{2})\s*,").match(f, sent[0])
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
        holder = _holder(ctx, s, e, sent)
        if not holder:
            continue
        role = "pho_khoi" if m.group("pho") else "truong_khoi"
        year = _year(ctx, s, e, sent)
        k = (key(holder), role, year)
        if k in roles:
            continue
        roles[k] = BlocRole(holder, role, year, _bloc(ctx, s, e), ctx.evidence(s, e))
    ctx.records["bloc_roles"] = list(roles.values())
