"""Bloc roles: who is Trưởng khối / Phó trưởng khối of which bloc, for which year.

The role words are rules (`bloc_roles.role.*`), and so is the holder's phrasing next to them
(`bloc_roles.holder_*`, gazetteers/rules/bloc_roles.tsv): 'Sở Công Thương-Trưởng khối', 'X làm Trưởng
Khối', 'X (Khối trưởng)', 'Trưởng khối - X', 'trao Cờ Khối trưởng năm 2023 cho X', 'Khối trưởng <person>'.
The mechanisms here: a holder is an agency atom, else a capitalised name span (extractors/name_atoms.py:
'huyện Đăk Hà', 'Huyện ủy Krông Búk'); a person stands for the agency in their title, or for
themselves when only a person is named; a list of holders gives one role each; a holder written
next to two roles takes the nearer one; the bloc written right after the role is skipped over. The
year is the one written with the role, else the sentence's only year, else the meeting's: the planned
year when the role is elected or assigned, the reviewed year when it is described.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import gazetteers
from extractors import atoms as atoms_mod
from extractors import names, rules
from extractors.atoms import Atom
from extractors.blocs import soft_wrapped, windows
from extractors.common import Context, Mention, meeting_years, sentence_of, sentences
from extractors.name_atoms import name_atoms
from extractors.records import BlocRole
from gazetteers.textnorm import fold, key, tidy_name

HOLDER_LABELS = ("AGENCY", "AUTHORITY", "NAME", "PERSON")


@dataclass
class _Env:
    """What every role of one article is bound with: the holder view (atoms plus NAME spans), sentences."""

    view: str
    atoms: list[Atom]
    sents: list[tuple[int, int]]
    text: str  # the fold view with hard-wrap line breaks as spaces (same length)
    roles: list[Atom]  # the role words as ROLE atoms (value: the role)
    rview: str  # the view with the role words masked too (rules over lists of roles)


@dataclass
class _Cand:
    holder: str
    role: str
    s: int
    e: int
    rule: str | None
    span: tuple[int, int] | None  # the holder atom's span, when bound by a rule
    dist: int
    previous: bool = False  # the holder hands the role over: it held it the year before ('A bàn giao … cho B')


@cache
def _year_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    alts = [re.escape(fold(w)) for w in sorted(rules.word_lists("bloc_roles").get("role_year", ("năm",)), key=len, reverse=True)]
    lead = "|".join(alts)
    y = r"((?:19|20)\d{2})(?!\d)"
    after = re.compile(rf"\s*(?:tỉnh\s+[^\s,.;]+(?:\s+[^\s,.;]+)?\s+)?(?:{lead})\s+{y}")
    opening = re.compile(rf"\s*(?:trong\s+)?(?:{lead})\s+{y}\s*,")
    anywhere = re.compile(rules.grouped_alternation(alts)[0] + rf"\s+{y}")  # searched over the whole article
    return after, opening, anywhere


@cache
def _words(name: str) -> re.Pattern[str]:
    ws = sorted((fold(w) for w in rules.word_lists("bloc_roles").get(name, ())), key=len, reverse=True)
    return re.compile(rules.grouped_alternation([re.escape(w) for w in ws])[0] + r"(?!\w)")  # (searched over the article)


@cache
def _words_end(name: str) -> re.Pattern[str]:
    """One of a word list's phrases right before the search end."""
    return re.compile(_words(name).pattern + r"\s*\Z")


@cache
def _titles() -> tuple[str, ...]:
    return tuple(fold(x) for x in (*gazetteers.titles(), *rules.word_lists("bloc_roles").get("name_title", ())))


def _sentence_start(body: str, pos: int) -> int:
    """A window's start moved back to a word boundary, so no name is cut in the middle of a word."""
    while pos > 0 and not body[pos - 1].isspace():
        pos -= 1
    return pos


def _env(ctx: Context, mentions: list) -> _Env:
    soft = soft_wrapped(ctx.body)
    unwrap = re.compile(r"(?<![.!?:;…\n])[^\S\n]*\n(?!\n)")
    text = unwrap.sub(lambda m: " " * len(m.group(0)), ctx.fold) if soft else ctx.fold
    sents = sentences(unwrap.sub(lambda m: " " * len(m.group(0)), ctx.body)) if soft else ctx.sentences()
    base = ctx.all_atoms()
    role_atoms = [Atom(s, e, "ROLE", _kind(r)) for r, s, e in mentions]
    roles_at = [(a.start, a.end) for a in role_atoms]
    taken = [(a.start, a.end) for a in base] + roles_at
    windows: list[list[int]] = []  # name spans are looked for only around the roles
    for s, e in roles_at:
        lo, hi = _sentence_start(ctx.body, max(0, s - 160)), min(len(ctx.body), e + 160)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    spans = [a for lo, hi in windows for a in name_atoms(ctx.body, ctx.fold, taken, soft, _titles(), (lo, hi))]
    every = base + spans
    return _Env(atoms_mod.view(ctx.fold, every), every, sents, text, role_atoms, "")


def _kind(rule) -> str:
    return "pho_khoi" if rule.id.startswith("bloc_roles.role.pho") else "truong_khoi"


def _respectively(ctx: Context, env: _Env) -> tuple[list[_Cand], set[int]]:
    """'Khối trưởng, Khối phó lần lượt là Sở A, Sở B': the i-th holder takes the i-th role."""
    cands: list[_Cand] = []
    done: set[int] = set()
    env.rview = atoms_mod.view(ctx.fold, env.atoms + env.roles)
    for rule, m in rules.finditer("bloc_roles.respectively", env.rview):
        roles = atoms_mod.at(env.roles, *m.span("roles"), labels=("ROLE",))
        holders = atoms_mod.at(env.atoms, *m.span("holder"), labels=HOLDER_LABELS)
        if len(roles) < 2 or len(roles) != len(holders):
            continue
        for r, h in zip(roles, holders, strict=True):
            cands.append(_Cand(_holder_name(ctx, h), r.value, r.start, r.end, rule.id, (h.start, h.end), 0))
            done.add(r.start)
    return cands, done


def _person_agency(ctx: Context, p: Mention) -> Mention | None:
    """The agency written in a person's title ('bà A, Giám đốc Sở Giáo dục')."""
    inside = [a for a in ctx.agencies if (p.end <= a.start and a.end <= max(p.title_end, p.end))
              or (0 <= p.title_start <= a.start and a.end <= p.start)]
    inside.sort(key=lambda a: (a.start > p.start, a.start))
    return inside[-1] if inside else None


def _holder_name(ctx: Context, a: Atom) -> str:
    if a.label in ("AGENCY", "AUTHORITY"):
        a.value.used = True
        return ctx.display_name(a.value)
    if a.label == "PERSON":
        ag = _person_agency(ctx, a.value)
        if ag is not None:
            ag.used = True
            return ctx.display_name(ag)
        return a.value.name
    start = a.start
    for ag in ctx.agencies:  # 'Ban Quản lý dự án đầu tư xây dựng' + 'các công trình Giao thông tỉnh'
        gap = ctx.body[ag.end:a.start]
        if 0 < a.start - ag.end <= 40 and _LOWER_GAP.fullmatch(gap) and not any(
                w in names.bare_stops().end for w in fold(gap).split() if w not in ("các", "những")):
            start = ag.start
    return tidy_name(gazetteers.expand_abbreviations(ctx.body[start:a.end]))


_LOWER_GAP = re.compile(r"(?:\s+[^\W\d_A-ZÀ-ỸĐ]+){1,4}\s+")


def _after_bloc(ctx: Context, s: int, e: int) -> int:
    """The end of the role, past the bloc written with it ('Cụm trưởng cụm thi đua số 6 năm 2016 cho ...')."""
    pos = e
    for bs, be, _ in ctx.blocs:
        if s <= bs <= e + 2:
            pos = max(pos, be)
    return pos


def _by_rule(ctx: Context, env: _Env, group: str, s: int, e: int) -> tuple[list[Atom], str] | None:
    """The holders a rule of `group` binds to the role at s..e (gazetteers/rules/bloc_roles.tsv)."""
    if ".holder_before" in group or ".handed_over" in group:
        rule, m = rules.search_back(group, env.view, max(0, s - 200), s)
    else:
        rule, m = rules.match_at(group, env.view, _after_bloc(ctx, s, e))
    if m is None:
        return None
    found = atoms_mod.at(env.atoms, *m.span("holder"), labels=HOLDER_LABELS)
    return (found, rule.id) if found else None


def _in_title(ctx: Context, s: int) -> tuple[str, str | None] | None:
    """A role written in a person's title ('ông A, Giám đốc Sở Nội vụ – Trưởng Khối')."""
    for p in ctx.people:
        if p.title and p.end < s < p.title_end:
            ag = _person_agency(ctx, p)
            if ag is not None:
                ag.used = True
                return ctx.display_name(ag), None
            return p.name, None
    return None


def _holders(ctx: Context, env: _Env, s: int, e: int, sent: tuple[int, int]) -> list[tuple[str, str | None, Atom | None]]:
    """(holder, rule id, holder atom) of the role at s..e."""
    f = ctx.fold
    if _words_end("role_flag").search(f, max(0, s - 20), s):  # 'trao Cờ Khối trưởng năm 2023 cho Sở Giáo dục-Đào tạo'
        found = _by_rule(ctx, env, "bloc_roles.holder_after.give", s, e) or \
            _by_rule(ctx, env, "bloc_roles.holder_before_flag", s, e)
        return [(_holder_name(ctx, a), found[1], a) for a in found[0]] if found else []
    if t := _in_title(ctx, s):
        return [(t[0], t[1], None)]
    for group in ("bloc_roles.holder_after.is", "bloc_roles.holder_before", "bloc_roles.holder_after"):
        if found := _by_rule(ctx, env, group, s, e):
            return [(_holder_name(ctx, a), found[1], a) for a in found[0]]
    # 'thay mặt đơn vị Trưởng khối ..., đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy đề nghị'
    if _words_end("role_on_behalf").search(f, max(0, s - 20), s):
        m = re.compile(r",\s*(?:đồng chí|ông|bà)\s+").search(f, e, sent[1])
        if m:
            for a in ctx.agencies:
                if m.end() <= a.start <= m.end() + 30:
                    a.used = True
                    return [(ctx.display_name(a), None, None)]
    return []


def _only_year(env: _Env) -> int | None:
    ys = {int(m.group(1)) for m in _year_rx()[2].finditer(env.text)}
    return ys.pop() if len(ys) == 1 else None


def _year(ctx: Context, env: _Env, s: int, e: int, sent: tuple[int, int]) -> tuple[int | None, int]:
    """(year, how sure): 3 written with the role, 2 the sentence's only year, 1 the meeting's, 0 the article's."""
    after, opening, anywhere = _year_rx()
    ft = env.text
    m = after.match(ft, _after_bloc(ctx, s, e))
    if m:
        return int(m.group(1)), 3
    m = opening.match(ft, sent[0])
    if m:
        return int(m.group(1)), 3
    ys = {int(x.group(1)) for x in anywhere.finditer(ft, sent[0], sent[1])}
    if len(ys) == 1:
        return ys.pop(), 2
    years = meeting_years(ctx)
    elect = _words("role_elect").search(ctx.fold, max(sent[0], s - 60), s)
    order = ("planned", "reviewed", "activity") if elect else ("reviewed", "planned", "activity")
    for k in order:
        if k in years:
            return years[k], 1
    return _only_year(env), 0


def _bloc(ctx: Context, s: int, e: int) -> str | None:
    for bs, _be, name in ctx.blocs:
        if s <= bs <= e + 2:
            return name
    found = {n for _, _, n in ctx.blocs}
    return found.pop() if len(found) == 1 else None


def _role_mentions(ctx: Context):
    """(rule, start, end) of each role word, the longest where two overlap ('Phó Trưởng khối')."""
    last = -1
    not_after = _words("role_not_after")
    found = [x for lo, hi in windows(ctx.fold, 16, 40) for x in rules.finditer("bloc_roles.role", ctx.fold, lo, hi)]
    for r, m in found:
        s, e = m.start(), m.start() + len(m.group(0).rstrip())
        if s < last or not ctx.body[s:s + 1].strip():
            continue
        last = e
        if not_after.match(ctx.fold, e + 1) and ctx.fold[e:e + 1] == " ":
            continue  # 'Trưởng khối phố 3', 'cụm trưởng cụm dân cư': a neighbourhood, not an emulation bloc
        yield r, s, e


def _nearest(cands: list[_Cand]) -> list[_Cand]:
    """A holder atom written next to two roles ('bầu cụm trưởng và cụm phó ... là X (Cụm trưởng) và Y (Cụm phó)')
    holds the nearer one."""
    best: dict[tuple[int, int], _Cand] = {}
    for c in cands:
        if c.span is not None and (c.span not in best or c.dist < best[c.span].dist):
            best[c.span] = c
    return [c for c in cands if c.span is None or best[c.span] is c]


def _cand(holder: str, role: str, s: int, e: int, role_rule: str, rule: str | None, atom: Atom | None,
          previous: bool = False) -> _Cand:
    span = (atom.start, atom.end) if atom is not None else None
    dist = min(abs(atom.start - e), abs(s - atom.end)) if atom is not None else 0
    return _Cand(holder, role, s, e, "+".join(x for x in (role_rule, rule) if x), span, dist, previous)


def extract(ctx: Context) -> None:
    mentions = list(_role_mentions(ctx))
    if not mentions:
        ctx.records["bloc_roles"] = []
        return
    env = _env(ctx, mentions)
    cands, done = _respectively(ctx, env) if _words("role_respectively").search(ctx.fold) else ([], set())
    for rr, s, e in mentions:
        if s in done:
            continue
        sent = sentence_of(env.sents, s)
        role = _kind(rr)
        for holder, rule, atom in _holders(ctx, env, s, e, sent):
            cands.append(_cand(holder, role, s, e, rr.id, rule, atom))
        if found := _by_rule(ctx, env, "bloc_roles.handed_over", s, e):
            cands.extend(_cand(_holder_name(ctx, a), role, s, e, rr.id, found[1], a, previous=True) for a in found[0])
    # one record per holder and role; a second year is kept only when both are written with the role
    found: dict[tuple, list[tuple[int | None, int, _Cand]]] = {}
    for c in _nearest(cands):
        year, sure = _year(ctx, env, c.s, c.e, sentence_of(env.sents, c.s))
        if c.previous and year is not None:
            year, sure = meeting_years(ctx).get("reviewed", year - 1), min(sure, 2)
        found.setdefault((key(c.holder), c.role), []).append((year, sure, c))
    out = []
    for items in found.values():
        top = max(sure for _, sure, _ in items)
        seen: set = set()
        for year, sure, c in items:
            if (sure == top == 3 or (sure == top and not seen)) and year not in seen:
                seen.add(year)
                out.append(BlocRole(c.holder, c.role, year, _bloc(ctx, c.s, c.e), ctx.evidence(c.s, c.e), rule=c.rule))
    ctx.records["bloc_roles"] = out
