"""Awards: one record per (award, recipient), or per count when only counts are given.

Mechanism here, phrasing in data (gazetteers/rules/awards.tsv, words_awards.tsv):
- atoms: every award phrase (gazetteers/awards.tsv, with its class 'hạng Ba' and a quoted title) is an
  AWARD atom, every '08 cá nhân' a COUNT atom, every conferring authority (gazetteers/conferrers.tsv) a
  CONFERRER atom; the rules read the atom view;
- status: a target cue before the award in its sentence unless a receipt cue follows it ('nỗ lực phấn
  đấu …, được tặng'), else the nearest proposal or conferral cue before it (`awards.status.*`); a
  sentence opening with 'Trong đó', 'Đồng thời' … goes on with the previous one (`awards.continues`);
- conferrer: 'của X' after the award (`awards.by_after`), 'X tặng' / 'được X tặng' / 'quyết định của X
  về việc tặng' before it (`awards.by_before`), 'thừa ủy quyền của X' in the sentence
  (`awards.by_delegated`), else the previous award's in the same sentence;
- recipients: a list after the award's introducer ('cho', 'đối với', 'gồm:', ':' …, `awards.recip_after`)
  walked item by item (known agencies and people, else a capitalised name span); counts ('cho 08 cá nhân
  và 04 tập thể'); the passive subject ('X được UBND tỉnh tặng', 'X vinh dự đón nhận',
  `awards.recip_before`), counts before ('2 tập thể và 1 cá nhân nhận', `awards.count_before`); a later
  'N tập thể này gồm: …' names the N (`awards.count_list`); else the subject opening the clause
  (`awards.subject_verb`); awards joined by 'và' share recipients (`awards.coordinated`);
- year: written with the award, else in its clause, else 'Năm 2019,' opening the sentence, else, for
  awards given year by year, the year the meeting reviews (`awards.review`); a period ('từ năm 2014
  đến năm 2018') means no single year. Targets take the sentence's or the planned year.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache

import gazetteers
from extractors import names, rules
from extractors.atoms import LABELS, Atom
from extractors.common import Context, Mention, meeting_years, sentence_of
from extractors.records import Award
from gazetteers.textnorm import flex_pattern, fold, key, tidy_name

PERCENT_AFTER = re.compile(r"\s*(\d{1,3}(?:[.,]\d+)?)\s*%")
PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s*%")
# a quoted title after the award ('Kỷ niệm chương “Vì sự nghiệp …”'): opened after a space, so the quote that closes
# an award written in quotes ('danh hiệu "Chiến sĩ thi đua" cho 47 cá nhân; … "') opens nothing
QUOTED = re.compile(r"[ \t]+[\"“][^\"“”\s][^\"“”\n]{0,79}[\"”]")
PERIOD = re.compile(r"(?:từ năm\s+(?:học\s+)?(?:19|20)\d{2}[^.;]{0,12}?\s+đến(?: năm)?(?: học)?\s+(?:19|20)\d{2}|giai đoạn\s+"
                    r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})")
YEAR_AFTER = re.compile(r"\s*năm\s+(?:học\s+)?(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?")
# 'năm 2023', 'năm học 2022-2023' (-> 2022); a bare range 'năm 2019-2023' is a period, not a year
YEARS = re.compile(r"\bnăm\s+(học\s+)?((?:19|20)\d{2})\b(\s*[-–]\s*(?:19|20)\d{2})?", re.I)
YEAR_BEFORE = re.compile(r"(?<!\w)(?:năm|năm học)\s*$")
YEAR_RANGE_AFTER = re.compile(r"\s*[-–]\s*(?:19|20)\d{2}")
# a table's header row flattened to a line ('TT  Tên tập thể', 'STT | Họ và tên | Chức vụ, đơn vị'), before its rows
TABLE_HEAD = re.compile(r"\s*(?:STT|TT|Số TT)(?:[ \t]*[|\t]|[ \t]{2,})[^\n]{0,80}(?=\n)")
# a table row's number: '1 | Bà A | …', '2<TAB>Trường …', '3 Phòng …' (before a capital)
ROW_NUMBER = r"\d{1,3}(?:[ \t]*[|\t]|[ \t]+(?=[A-ZĐÀ-Ỹ]))"
LIST_MARK = re.compile(r"[\s\-+•*–:|]*(?:\(?\d{1,2}\s*[.)/]\s*|\(?[a-zđ]\s*\)\s*|" + ROW_NUMBER + r"[ \t]*)?")
SEP = re.compile(r"\s*(?:\([^)\n]{0,80}\)\s*)?(?:[,;&]|\bvà\b|\n)\s*")
ITEM_LABELS = ("AGENCY", "PERSON", "CONFERRER", "PROVINCE")
COUNT_INTRO = re.compile(LABELS["COUNT"] + "\ue000*" + r"(?:[^;:.\n]{0,30}?\s(?:là|gồm)\s*:?|[ \t]*:)\s*")


def _words_rx(name: str) -> str:
    words = sorted(rules.word_lists("awards").get(name, ()), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in fold(p).split()) for p in words) + ")"


def _standalone(alts: list[tuple[str, str]]) -> str:
    r"""A regex for phrases standing alone (`(?<!\w)` before), from (folded phrase, regex after it) in their order.

    The same matches as the flat alternation, built by first character: two phrases with different first
    characters never match at one place, and the order within one character is kept. Starting with a set of
    literal characters (the word-boundary check moved behind the first one), it lets `re` skip ahead to where
    a phrase can start instead of trying every phrase at every character of the article."""
    groups: dict[str, list[str]] = {}
    for text, tail in alts:
        groups.setdefault(text[0], []).append(re.escape(text[1:]) + tail)
    return "(?:" + "|".join(f"{re.escape(c)}(?<!\\w{re.escape(c)})(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


@cache
def _kinds() -> re.Pattern[str]:
    return re.compile(_standalone([(fold(p), "") for p, _ in gazetteers.award_kinds()]) + r"(?!\w)")


@cache
def _word_rx(name: str) -> re.Pattern[str]:
    """One of the word lists as a standalone word ('trao', 'đối với'), for a search."""
    return re.compile(r"(?<!\w)" + _words_rx(name) + r"(?!\w)")


@cache
def _kind_of() -> dict[str, str]:
    return {fold(p): k for p, k in gazetteers.award_kinds()}


@cache
def _not_award() -> re.Pattern[str]:
    return re.compile(r"\s+" + _words_rx("not_award_after") + r"(?!\w)")


@cache
def _class_rx() -> re.Pattern[str]:
    return re.compile(r"\s+" + _words_rx("award_class") + r"(?!\w)")


@cache
def _count_rx() -> re.Pattern[str]:
    unit = _words_rx("count_unit")
    # '\d{1,3}(?:\.\d{3})+|\d{1,5}' with its first digit in front and the boundary check behind it: the same
    # matches, and re skips to the digits instead of trying the pattern at every character
    return re.compile(r"(\d(?<![\w.,/]\d)(?:\d{0,2}(?:\.\d{3})+|\d{0,4}))(?![\d/%])\s+" + unit +
                      r"(?:\s+(?:và|,)\s+" + unit + r")?(?!\w)")


@cache
def _name_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(lead, stop word, 'và' + a new head, plural 'X các huyện:') for the recipient walker."""
    lead = re.compile(r"(?:" + _words_rx("recipient_lead") + r"(?:\s*[:,]\s*|\s+))*", re.I)
    stop = re.compile(r"(?<!\w)" + _words_rx("name_stop") + r"(?!\w)")
    heads = sorted(rules.word_lists("awards").get("unit_head", ()), key=len, reverse=True)
    new_head = re.compile(r"\s+và\s+(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")
    plural = re.compile(r"\s+các\s+(" + _words_rx("plural_unit") + r")\s*:\s*")
    return lead, stop, new_head, plural


@cache
def _conferrers() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = gazetteers.conferrers()
    table, alts = {}, []
    for pat, canon in pairs:
        p = pat.rstrip("* ").strip()
        table[key(p)] = canon
        alts.append((fold(p), r"\s+[\wđ\s&,\-–]+?" if pat.endswith("*") else ""))
    return re.compile(_standalone(alts) + r"(?!\w)"), table


@cache
def _province_after() -> re.Pattern[str]:
    return re.compile(r"\s+(?:tỉnh\s+|thành phố\s+)?" + gazetteers.province_alternation() + r"(?!\w)")


@cache
def _province_unit() -> re.Pattern[str]:
    # the unit words grouped by first character, the boundary check after it: re skips ahead to a 't'
    return re.compile(rules.grouped_alternation(["tỉnh", "thành phố"])[0] + r"\s+" + gazetteers.province_alternation()
                      + r"(?!\w)")


@cache
def _ministry_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    variants = sorted((v for _c, vs in gazetteers.departments() for v in vs), key=len, reverse=True)
    return (re.compile(r"(?:bộ trưởng\s+)?bộ\s+"), re.compile("(?:" + "|".join(flex_pattern(v) for v in variants) + r")(?!\w)"),
            re.compile(r"(?:[A-ZĐÀ-Ỹ][\w]*)(?:\s+[A-ZĐÀ-Ỹa-zđà-ỹ][\w]*){0,3}"))


def _extend_ministry(ctx: Context, start: int, end: int) -> int:
    """'Bộ trưởng Bộ C…' matched lazily: run on over the ministry's name ('Bộ Công an', 'Bộ Lao động – TBXH')."""
    head, dept, words = _ministry_rx()
    m = head.match(ctx.fold, start)
    if not m:
        return end
    pos = m.end()
    if dm := dept.match(ctx.fold, pos):
        return dm.end()
    wm = words.match(ctx.body, pos)
    if not wm:
        return end
    return pos + len(" ".join(wm.group(0).split()[:2]))  # 'Công an', 'Quốc phòng', 'Nội vụ'


@lru_cache(maxsize=512)
def _canon_conferrer(text: str) -> str | None:
    rx, table = _conferrers()
    t = fold(text).strip()
    m = rx.match(t)
    if not m:
        return None
    k = key(t[:m.end()])
    if k in table:
        return table[k]
    # 'Bộ Lao động – TBXH' -> 'Bộ Lao động - Thương binh và Xã hội' through the departments gazetteer
    bm = re.match(r"(bộ trưởng\s+)?bộ\s+", t)
    if bm:
        rest = key(t[bm.end():])
        prefix = "Bộ trưởng Bộ " if bm.group(1) else "Bộ "
        for canon, variants in gazetteers.departments():
            if any(rest.startswith(key(v)) for v in variants):
                return prefix + canon
        return tidy_name(text)
    for k2, canon in table.items():
        if k.startswith(k2):
            return canon
    return None


# ---------------------------------------------------------------- atoms
YEAR_DIGITS = re.compile(r"(?:19|20)\d{2}")


def _add_atoms(ctx: Context) -> None:
    """The award, count, province and conferrer atoms, in that order (the rules read the view they make)."""
    ctx.atoms += _award_atoms(ctx)
    ctx.atoms += _count_atoms(ctx)
    ctx.atoms += _province_atoms(ctx)
    ctx.atoms += _conferrer_atoms(ctx)


def _award_atoms(ctx: Context) -> list[Atom]:
    """Each award phrase, run on over its class and a quoted title ('Kỷ niệm chương “Vì sự nghiệp …”')."""
    f, body, kinds = ctx.fold, ctx.body, _kind_of()
    out = []
    for m in _kinds().finditer(f):
        e = m.end()
        if _not_award().match(f, e):  # 'Huy chương Vàng' of a sports games
            continue
        if cm := _class_rx().match(f, e):  # 'Huân chương Lao động hạng Ba'
            e = cm.end()
        if qm := QUOTED.match(body, e):
            e = qm.end()
        out.append(Atom(m.start(), e, "AWARD", kinds[m.group(0)]))
    return out


def _count_atoms(ctx: Context) -> list[Atom]:
    """'08 cá nhân', '30 tập thể và cá nhân': how many were given, unless the number is a year."""
    f, body = ctx.fold, ctx.body
    out = []
    for m in _count_rx().finditer(f):
        if YEAR_BEFORE.search(f, max(0, m.start() - 12), m.start()) or (  # 'năm 2021 Trường X được …': a year
                YEAR_DIGITS.fullmatch(m.group(1)) and body[m.end(1) + 1:m.end(1) + 2].isupper()):
            continue
        out.append(Atom(m.start(), m.end(), "COUNT", int(m.group(1).replace(".", ""))))
    return out


def _province_atoms(ctx: Context) -> list[Atom]:
    """'cho tỉnh Đắk Lắk': a province as a recipient ('Cờ thi đua của tỉnh Lâm Đồng' names the conferrer)."""
    f, body = ctx.fold, ctx.body
    return [Atom(m.start(), m.end(), "PROVINCE", tidy_name(body[m.start():m.end()])) for m in _province_unit().finditer(f)
            if f[max(0, m.start() - 4):m.start()] != "của "]


def _conferrer_atoms(ctx: Context) -> list[Atom]:
    """Each conferring authority written with a capital ('UBND tỉnh', 'Bộ trưởng Bộ Công an'), or 'của tỉnh'."""
    f, body = ctx.fold, ctx.body
    rx, _ = _conferrers()
    # (start, end) of agencies and people, sorted: a bisection per conferrer, not a scan over them all
    named = sorted((a.start, a.end) for a in [*ctx.agencies, *ctx.people])
    out = []
    for m in rx.finditer(f):
        s = m.start()
        bare = m.group(0) == "tỉnh"
        if (f[max(0, s - 4):s] != "của ") if bare else not body[s].isupper():  # 'của tỉnh': the People's Committee
            continue
        end = _extend_ministry(ctx, s, m.end())
        canon = _canon_conferrer(body[s:end])
        if canon is not None:
            out.append(Atom(s, _conferrer_end(ctx, named, s, end), "CONFERRER", canon, {"bare": bare}))
    return out


def _conferrer_end(ctx: Context, named: list[tuple[int, int]], s: int, end: int) -> int:
    """An agency or person the conferrer's name runs into belongs to it, and so does a province after it."""
    i = bisect_right(named, (s, math.inf))
    while i < len(named) and named[i][0] < end:
        end = max(end, named[i][1])
        i += 1
    pm = _province_after().match(ctx.fold, end)
    return pm.end() if pm else end


def _own(ctx: Context, label: str) -> tuple[list[Atom], list[int]]:
    """This component's atoms of one label by start, and their starts (kept while no atom is added)."""
    got = ctx.memo.get(("awards.own", label))
    if got is None or got[0] != len(ctx.atoms):
        atoms = sorted((a for a in ctx.atoms if a.label == label), key=lambda a: a.start)
        got = ctx.memo[("awards.own", label)] = (len(ctx.atoms), atoms, [a.start for a in atoms])
    return got[1], got[2]


def _own_in(ctx: Context, label: str, start: int, end: int) -> list[Atom]:
    """This component's atoms of one label that start in [start, end), by start."""
    atoms, starts = _own(ctx, label)
    return atoms[bisect_left(starts, start):bisect_left(starts, end)]


def _visible(ctx: Context) -> tuple[list[Atom], list[int]]:
    """The atoms that show in the atom view, by start (cached while the view stays the same)."""
    v = ctx.atom_view()
    got = ctx.memo.get("awards.visible")
    if got is None or got[0] is not v:
        atoms = sorted((a for a in ctx.all_atoms() if a.end > a.start and v[a.start] == LABELS[a.label]),
                       key=lambda a: a.start)
        got = ctx.memo["awards.visible"] = (v, atoms, [a.start for a in atoms])
    return got[1], got[2]


def _atoms_in(ctx: Context, start: int, end: int, labels: tuple[str, ...]) -> list[Atom]:
    atoms, starts = _visible(ctx)
    out = []
    for a in atoms[bisect_left(starts, start):bisect_left(starts, end)]:
        if a.label in labels and not (a.data.get("bare") and labels == ITEM_LABELS):
            out.append(a)
    out.sort(key=lambda a: (a.start, -(a.end - a.start)))
    kept: list[Atom] = []
    for a in out:
        if not kept or a.start >= kept[-1].end:
            kept.append(a)
    return kept


def _atom_at(ctx: Context, pos: int, labels: tuple[str, ...]) -> Atom | None:
    found = _atoms_in(ctx, pos, pos + 1, labels)
    return found[0] if found else None


def _item_name(ctx: Context, a: Atom) -> str:
    if a.label == "PROVINCE":
        return tidy_name(ctx.body[a.start:a.end])
    if a.label == "CONFERRER":
        inside = [m for m in ctx.agencies if a.start <= m.start and m.end <= a.end and m.agency_class != "authority"]
        if not inside:
            return str(a.value)
        m: Mention = inside[-1]  # 'Phó Giám đốc Sở Y tế nhận cờ': the Sở
    else:
        m = a.value
    if m.kind == "agency":
        m.used = True
    return ctx.display_name(m)


# ---------------------------------------------------------------- recipients
WORD = re.compile(r"[^\s,;:.()\"“”]+")
NAME_GAP = re.compile(r"[ \t]+|\n(?=[a-zđà-ỹ])")  # a name runs on over a line break before a lower-case syllable


@lru_cache(maxsize=4)
def _hard_wrapped(body: str) -> bool:
    """A page whose paragraphs are broken into lines: most line breaks fall inside a sentence."""
    breaks = re.findall(r"(\S)[ \t]*\n[ \t]*(\S)", body)
    inside = [b for b in breaks if b[0] not in ".!?:;…\"”)" and b[1].isalpha()]
    lower = [b for b in inside if b[1].islower()]
    return len(breaks) >= 4 and len(inside) >= 0.6 * len(breaks) and len(lower) >= 2


def _wrapped(body: str, pos: int, end: int) -> re.Match | None:
    """A line break inside a hard-wrapped paragraph (no closing mark, no new head after it) is a space."""
    m = re.compile(r"[ \t]*\n[ \t]*").match(body, pos, end)
    if not m or not _hard_wrapped(body) or body[pos - 1:pos] in ".!?:;…\"”)":
        return None
    if _unit_head().match(body, m.end()) or not body[m.end():m.end() + 1].isalpha():
        return None
    return m


def _name_span(ctx: Context, pos: int, end: int) -> int:
    """End of a capitalised name written without a known head: up to a separator, a stop word, another atom
    or 'và' + a new head; a province ('… tỉnh Lâm Đồng') ends it."""
    f, body = ctx.fold, ctx.body
    _, stop, new_head, _ = _name_rx()
    v = ctx.atom_view()
    i, words, last = pos, 0, pos
    while i < end and words < 14:
        if words and v[i] == LABELS["PROVINCE"]:
            p = _atom_at(ctx, i, ("PROVINCE",))
            return p.end if p else last
        if words and v[i] != f[i]:
            break  # another atom starts here
        m = WORD.match(body, i, end)
        if not m or (words and not m.group(0)[0].isupper() and stop.match(f, i)):
            break
        if m.group(0) == "và" and (g := NAME_GAP.match(body, m.end(), end)) and (
                stop.match(f, g.end()) or _give_rx().match(f, g.end()) or _locality_rx().match(body, g.end())):
            break  # 'cho Huyện ủy A và tặng …': 'và' joins clauses, not name parts
        last, words = m.end(), words + 1
        g = NAME_GAP.match(body, last, end) or _wrapped(body, last, end)
        if not g or new_head.match(body, last):
            break
        i = g.end()
    return last


def _name_goes_on(ctx: Context, pos: int, end: int) -> int:
    """A known name that the text continues with capitalised words over a space or a wrapped line."""
    body = ctx.body
    g = re.compile(r"[ \t]+").match(body, pos, end) or _wrapped(body, pos, end)
    if g and body[g.end():g.end() + 1].isupper() and ctx.atom_view()[g.end()] == ctx.fold[g.end()]:
        return _name_span(ctx, g.end(), end)
    # a line break before a lower-case syllable is inside the name ('Chi cục Chăn\\nnuôi và Thú y')
    g = re.compile(r"[ \t]*\n(?=[a-zđà-ỹ])").match(body, pos, end)
    if g and not _name_rx()[1].match(ctx.fold, g.end()):
        return _name_span(ctx, g.end(), end)
    return pos


def _item_at(ctx: Context, cur: int, end: int) -> tuple[int, int, int, str, Atom | None] | None:
    """(start, end, end of what belongs to it, name, atom) of the recipient written at `cur`, or None: a known
    agency, person or province, else a locality written in lower case, else a capitalised name."""
    a = _atom_at(ctx, cur, ITEM_LABELS)
    if a is not None:
        return _known_item(ctx, a, end)
    return _locality_item(ctx, cur, end) or _name_item(ctx, cur, end)


def _known_item(ctx: Context, a: Atom, end: int) -> tuple[int, int, int, str, Atom | None] | None:
    """The recipient an atom names: a person with the title after them, an agency with the words the text goes
    on with; a conferrer opening a title ('Nguyễn Văn A, Giám đốc Sở Y tế') is none."""
    if a.label == "PERSON" and a.value.title_end > a.end:
        return a.start, a.end, a.value.title_end, _item_name(ctx, a), a  # 'bà A, Phó Giám đốc Sở B'
    if a.label == "CONFERRER" and _title_rx().match(ctx.fold, a.start):
        return None
    if run_on := _run_into_award(ctx, a):
        return run_on
    name, e = _item_name(ctx, a), a.end
    if a.label == "AGENCY" and (e2 := _name_goes_on(ctx, e, end)) > e:  # 'Ủy ban MTTQ\nViệt Nam huyện X'
        name, e = f"{name} {tidy_name(ctx.body[e:e2])}", e2
    return a.start, e, e, name, a


def _run_into_award(ctx: Context, a: Atom) -> tuple[int, int, int, str, None] | None:
    """A name run on into the next award ('cho Bệnh viện X và Huân chương … cho …'): the name up to it."""
    inner = _own_in(ctx, "AWARD", a.start + 1, a.end)
    if not inner:
        return None
    body, first = ctx.body, inner[0].start
    e = a.start + len(re.sub(r"(?:\s+(?:và|cùng)|[\s,;])+$", "", body[a.start:first]))
    return (a.start, e, first, gazetteers.expand_abbreviations(tidy_name(body[a.start:e])), None) if e > a.start else None


def _locality_item(ctx: Context, cur: int, end: int) -> tuple[int, int, int, str, None] | None:
    """'cho xã Tống Trân': a locality written in lower case, then its name."""
    lm = _locality_rx().match(ctx.body, cur, end)
    if not lm or _atom_at(ctx, cur, ("AWARD", "COUNT", "AUTHORITY")):
        return None
    e = _name_span(ctx, lm.end(), end)
    return (cur, e, e, tidy_name(ctx.body[cur:e]), None) if e > lm.end() else None


def _name_item(ctx: Context, cur: int, end: int) -> tuple[int, int, int, str, None] | None:
    """A capitalised name no gazetteer knows, unless it starts with a stop word, a verb or a word that is no name."""
    f, body = ctx.fold, ctx.body
    if not body[cur:cur + 1].isupper() or _atom_at(ctx, cur, ("AWARD", "COUNT", "AUTHORITY")) \
            or _name_rx()[1].match(f, cur) or _give_rx().match(f, cur) or _not_name().match(f, cur):
        return None
    e = _name_span(ctx, cur, end)
    return (cur, e, e, gazetteers.expand_abbreviations(tidy_name(body[cur:e])), None) if e > cur else None


def _walk(ctx: Context, pos: int, end: int) -> list[tuple[int, int, str]]:
    """The recipients listed from `pos`: 'A, B và C', 'A; B; C', '1. A; …\n2. B', 'Ủy ban X các huyện: A, B'."""
    f = ctx.fold
    plural = _name_rx()[3]
    items: list[tuple[int, int, str]] = []
    semi = ";" in f[pos:end] or "\n" in f[pos:end]
    prefix, cur = "", pos
    while cur < end:
        cur = _item_start(ctx, cur, end, bool(items or prefix))
        found = _item_at(ctx, cur, end) if cur < end else None
        if found is None:  # '1. A; đã có thành tích …;\n2. B': the description between two items
            if (nxt := _skip_description(ctx, cur, end) if items and semi else None) is None:
                break
            cur = nxt
            continue
        s, e, e_skip, name, a = found
        if (pm := plural.match(f, e_skip)) and not prefix:  # 'Ủy ban MTTQ Việt Nam các huyện: Thống Nhất, Tân Phú'
            prefix, cur = name + " " + ctx.body[pm.start(1):pm.end(1)], pm.end()
            continue
        if _give_rx().match(f, e_skip):
            break  # 'và UBND tỉnh tặng …': the subject of the next clause
        if not (a is not None and a.label == "PROVINCE" and items and f[items[-1][1]:s].strip() == ","):
            # an agency the agencies component already named in full ('Hội Nông dân xã Ea Tu') keeps its name
            full = not prefix or key(name).startswith(key(prefix))
            items.append((s, e, name if full else f"{prefix} {name}"))  # not 'Công an huyện A, tỉnh B'
        nxt = _after_item(ctx, e_skip, end, semi)
        if nxt is None:
            break
        cur = nxt
    return items


def _item_start(ctx: Context, cur: int, end: int, listed: bool) -> int:
    """Past list marks ('1.', '-'), honorifics and 'các tập thể:' to where a recipient's name starts; once a list
    has begun, also past '… và 1 cá nhân là'."""
    cur = LIST_MARK.match(ctx.body, cur, end).end()
    if pm := PLURAL_LEAD.match(ctx.body, cur, end):  # 'cho các đảng bộ: Đảng bộ huyện A, …'
        cur = pm.end()
    if hm := TABLE_HEAD.match(ctx.body, cur, end):  # 'như sau:\nTT  Tên tập thể\n1  …': the header row is no item
        cur = LIST_MARK.match(ctx.body, hm.end(), end).end()
    if listed and (cm := COUNT_INTRO.match(ctx.atom_view(), cur, end)):  # '… và 1 cá nhân là bà A'
        cur = cm.end()
    for _ in range(2):  # 'các cá nhân:\n1. Bà A': a lead, a list mark, then an honorific
        if listed or not _atom_at(ctx, cur, ("COUNT",)):
            cur = _name_rx()[0].match(ctx.fold, cur, end).end()
        nxt = LIST_MARK.match(ctx.body, cur, end).end()
        if nxt == cur:
            break
        cur = nxt
    return cur


def _after_item(ctx: Context, pos: int, end: int, semi: bool) -> int | None:
    """Where the next recipient may start: after a separator, or past a description of this one ('… thuộc Sở X
    đã có thành tích …;') in a ';' or line list."""
    if sm := SEP.match(ctx.fold, pos, end):
        return sm.end()
    return _skip_description(ctx, pos, end) if semi else None


@cache
def _announce_rx() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _words_rx("list_announce") + r"\s*:\s*$")


@cache
def _locality_rx() -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(sorted(map(re.escape, rules.word_lists("awards").get("locality_unit", ())),
                                                 key=len, reverse=True)) + r")[ \t]+(?=[A-ZĐÀ-Ỹ])")


@cache
def _not_name() -> re.Pattern[str]:
    return re.compile(_words_rx("not_name") + r"(?!\w)")


@cache
def _title_rx() -> re.Pattern[str]:
    return re.compile(r"(?:phó\s+)?" + _words_rx("person_title") + r"(?!\w)")


@cache
def _give_rx() -> re.Pattern[str]:
    return re.compile(r"\s*(?:" + _words_rx("aux") + r"\s+)?(?:" + _words_rx("give_verb") + r")(?!\w)")


def _skip_description(ctx: Context, pos: int, end: int) -> int | None:
    """Past a description of the last recipient to the next ';' or line, unless it holds another award or clause."""
    nxt = re.compile(r"[;\n]").search(ctx.fold, pos, end)
    if nxt is None or _atoms_in(ctx, pos, nxt.start(), ("AWARD", "COUNT")) or _give_rx().match(ctx.fold, pos):
        return None
    return nxt.end()


NUMBERED_LINE = re.compile(r"\n[ \t\n]*(?:\(?\d{1,2}\s*[.)/]|\(?[a-zđ]\s*\)|" + ROW_NUMBER + ")")
HONORIFIC_NAME = re.compile(r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,4}(?![ \t]*[a-zđà-ỹ])")
PLURAL_LEAD = re.compile(r"(?:các|những)(?:[ \t]+[a-zđà-ỹ]+){1,4}[ \t]*:\s*")
COUNT_COLON = re.compile(LABELS["COUNT"] + "\ue000*" + r"\s*:\s*$")
PLAIN_LINE = re.compile(r"\n[ \t]*")
BULLET_LINE = re.compile(r"\n[ \t\n]*[-+•*–]\s")


def _list_end(ctx: Context, pos: int, sent_end: int) -> int:
    """A numbered list ('gồm:\\n1. …\\n2. …') runs past sentence ends while its numbering goes on. (Bulleted lines
    are left out: on unseen pages they were more often other content than recipients.)"""
    end = sent_end
    if _announce_rx().search(ctx.fold, max(0, sent_end - 40), sent_end) or COUNT_COLON.search(  # 'cho 02 tập thể:'
            ctx.atom_view(), max(0, sent_end - 40), sent_end):  # 'cho các tập thể sau:\n- A;\n- B'
        while (m := BULLET_LINE.match(ctx.body, end)) or (  # or unmarked lines, each a unit ('cho:\nSở A;\nSở B.')
                (m := PLAIN_LINE.match(ctx.body, end)) and _unit_head().match(ctx.body, m.end())):
            nl = ctx.body.find("\n", m.end())
            nl = nl if nl >= 0 else len(ctx.body)
            if _atoms_in(ctx, m.end(), nl, ("AWARD", "COUNT")):
                break  # a line with an award of its own is another item of the decision, not a recipient
            end = nl
    if (hm := TABLE_HEAD.match(ctx.body, end)) and NUMBERED_LINE.match(ctx.body, hm.end()):
        end = hm.end()  # 'cụ thể như sau:\nTT  Tên tập thể\n1  Phòng Tư pháp …'
    while m := NUMBERED_LINE.match(ctx.body, end):
        nl = ctx.body.find("\n", m.end())
        end = nl if nl >= 0 else len(ctx.body)
    return end


def _counts(ctx: Context, s: int, e: int) -> list[int]:
    return [int(a.value) for a in _atoms_in(ctx, s, e, ("COUNT",))]


# ---------------------------------------------------------------- per award
def _all_matches(ctx: Context, group: str, start: int, end: int) -> list:
    """The matches of a rule group inside [start, end): found once over the whole atom view, then filtered."""
    v = ctx.atom_view()
    got = ctx.memo.get(("awards.matches", group))
    if got is None or got[0] is not v:
        got = ctx.memo[("awards.matches", group)] = (v, list(rules.finditer(group, v)))
    return [(r, m) for r, m in got[1] if start <= m.start() and m.end() <= end]


def _status(ctx: Context, ws: int, s0: int, e0: int) -> tuple[str, str | None]:
    """A target cue wins unless a receipt cue follows it ('nỗ lực phấn đấu …, được tặng'); else the nearest of
    the proposal and conferral cues ('đề nghị UBND tỉnh tặng' / 'theo đề nghị của …, Chủ tịch … quyết định tặng')."""
    target = best = received = None
    for r, m in _all_matches(ctx, "awards.status", ws, e0):
        if m.start() >= s0:
            continue
        st = r.id.split(".")[2]
        if st == "target":
            target = target or (r, m)
        elif st == "received":
            received = (r, m)
        elif best is None or (m.end(), m.end() - m.start()) > (best[1].end(), best[1].end() - best[1].start()):
            best = (r, m)
    if target and (received is None or received[1].start() < target[1].start() or _quota_subject(ctx, target, received)):
        return "target", target[0].id
    if target and best is None:
        return "conferred", received[0].id
    if best and best[0].id.split(".")[2] == "proposed":
        return "proposed", best[0].id
    return "conferred", best[0].id if best else None


def _quota_subject(ctx: Context, target: tuple, received: tuple) -> bool:
    """'phấn đấu …, 20% tập thể được công nhận Tập thể lao động xuất sắc': the receipt is the quota's, still a target."""
    t_end, r_start = target[1].end(), received[1].start()
    return "%" in ctx.fold[max(t_end, r_start - 40):r_start]


def _in_title(ctx: Context, a: Atom, hands_over: bool = False) -> bool:
    """'đồng chí A, Phó Bí thư Tỉnh ủy trao …': an authority inside a longer title hands over, it does not confer
    ('Chủ tịch UBND tỉnh Hồ Văn Nam ký …' does: the title is the conferrer)."""
    for p in ctx.people:
        if not p.title:
            continue
        if p.end <= a.start and a.end <= p.title_end and (a.start - p.end > 3 or hands_over):
            return True  # 'đồng chí A, Chủ tịch UBND tỉnh trao …' hands over
        if 0 <= p.title_start < a.start and a.end <= p.start:
            return True
    return False


def _by(ctx: Context, m: re.Match | None) -> str | None:
    if m is None:
        return None
    s, e = m.span("by")
    # a conferrer the agencies gazetteer also knows ('Công đoàn Viên chức tỉnh') may be hidden under the agency
    a = _own_in(ctx, "CONFERRER", s, e) or _atoms_in(ctx, s, e, ("AUTHORITY",))
    if not a or _in_title(ctx, a[0], bool(_word_rx("hand_over_verb").search(m.group(0)))):
        return None
    if a[0].label == "CONFERRER":
        return str(a[0].value)
    return _canon_conferrer(a[0].value.name) or a[0].value.name


def _conferrer(ctx: Context, ws: int, s0: int, e0: int) -> tuple[str | None, int, str | None]:
    """(conferrer, end of what was read after the award, rule id)."""
    v = ctx.atom_view()
    r, m = rules.match_at("awards.by_after", v, e0)
    gap = (e0, m.start("by")) if m else (e0, e0)
    if m and not _atoms_in(ctx, *gap, ("AWARD", "COUNT", "AGENCY", "PERSON")) and not _word_rx("intro_word").search(ctx.fold, *gap) \
            and (by := _by(ctx, m)):
        return by, m.end(), r.id
    last = None
    for r, m in _all_matches(ctx, "awards.by_delegated", ws, s0):
        last = (r, m)
    if last and (by := _by(ctx, last[1])):
        return by, e0, last[0].id
    r, m = rules.search_back("awards.by_before", v, max(ws, s0 - 220), s0)
    if by := _by(ctx, m):
        return by, e0, r.id
    return None, e0, None


def _recipients_after(ctx: Context, pos: int, se: int) -> tuple[list, list[int], str | None, int]:
    """(named recipients, counts, rule id, end) from what follows the award."""
    v = ctx.atom_view()
    for r in rules.group("awards.recip_after"):
        m = r.rx_at.match(v, pos, se)
        if not m or _atoms_in(ctx, pos, m.end(), ("AWARD",)):
            continue
        if "count" in m.groupdict() and m.group("count"):
            counts = _counts(ctx, *m.span("count"))
            named = r.id.endswith(("_named", "_subset"))
            start = m.end() if named else m.end("count")
            items = _walk(ctx, start, _list_end(ctx, start, se))
            if items and r.id.endswith("_subset"):  # 'cho 04 nhà giáo, trong đó có A và B': the count and A, B
                return items, counts, r.id, items[-1][1]
            if items:
                return items, _trailing_counts(ctx, items[-1][1], se), r.id, items[-1][1]
            if named:
                continue
            return [], counts, r.id, m.end()
        items = _walk(ctx, m.end(), _list_end(ctx, m.end(), se))
        if items:
            return items, _trailing_counts(ctx, items[-1][1], se), r.id, items[-1][1]
    return [], [], None, pos


_AND_COUNT = re.compile(r"[ \t]*(?:,[ \t]*)?(?:và|cùng)[ \t]+")


def _trailing_counts(ctx: Context, end: int, se: int) -> list[int]:
    """'cho 04 tập thể: A, B, C và 09 cá nhân': a count after the named recipients is given the award too, unnamed."""
    m = _AND_COUNT.match(ctx.fold, end, se)
    a = _atom_at(ctx, m.end(), ("COUNT",)) if m else None
    if a is None or re.match(r"[ \t]*(?::|gồm|là|như sau)", ctx.fold[a.end:a.end + 12]):
        return []
    return [int(a.value)]


def _recipients_before(ctx: Context, a: Atom, ws: int, s0: int) -> tuple[list, list[int], str | None]:
    """The subject or counts written before the award, back to the previous award ('120 tập thể đạt A, 45 tập thể
    đạt B': B's count is 45)."""
    v = ctx.atom_view()
    prev = [a.end for a in _own_in(ctx, "AWARD", 0, s0) if ws <= a.end <= s0]
    clause_ws, ws = ws, max([ws, *prev])
    r, m = rules.search_back("awards.recip_before", v, max(ws, s0 - 300), s0)
    if m:
        who = _atoms_in(ctx, *m.span("who"), ITEM_LABELS)
        if r.id.endswith(".passive") or str(a.value) in rules.word_lists("awards").get("individual_kind", ()):
            who = _titled_subject(ctx, who)
        titles = [(a.end, a.value.title_end) for a in who if a.label == "PERSON" and a.value.title]
        # 'Ông A, Giám đốc Sở Tài chính được …': the person, not the agency of his title
        items = [(a.start, a.end, _item_name(ctx, a)) for a in who if not any(s <= a.start < e for s, e in titles)]
        if items:
            return items, [], r.id
    r, m = rules.search_back("awards.count_before", v, max(ws, s0 - 300), s0)
    if m:
        return [], _counts(ctx, *m.span("count")), r.id
    r, m = rules.search_back("awards.subject_verb", v, max(ws, s0 - 300), s0)
    # the clause's subject may have done something else first ('X đạt danh hiệu A, được tặng B')
    if m and (subject := _clause_subject(ctx, ws, m.start()) or _clause_subject(ctx, clause_ws, m.start())):
        return [subject], [], r.id
    return [], [], None


def _titled_subject(ctx: Context, who: list[Atom]) -> list[Atom]:
    """'Ông A, Trưởng phòng Nội vụ huyện B được tặng …': a passive subject that ends someone's title is that person;
    one who receives a unit's award for it ('Ông A, Phó Giám đốc Sở B nhận cờ') is not, unless the award is a
    person's own (words_awards `individual_kind`)."""
    if len(who) != 1 or who[0].label == "PERSON":
        return who
    a = who[0]
    for p in _atoms_in(ctx, max(0, a.start - 200), a.start, ("PERSON",)):
        if p.value.title and p.end < a.start and a.end <= p.value.title_end:
            return [p]
    return who


def _clause_subject(ctx: Context, ws: int, verb: int) -> tuple[int, int, str] | None:
    """The subject opening the clause of a verb ('Sở Y tế đã nỗ lực …, hoàn thành … và được tặng'), after an
    opening adverbial ('Năm 2022, …'): a known agency or person, else a name that starts with a unit head."""
    f, body = ctx.fold, ctx.body
    lead, _, _, _ = _name_rx()
    cs = max(ws, f.rfind(";", ws, verb) + 1, f.rfind(".", ws, verb) + 1 if f.rfind(". ", ws, verb) >= 0 else ws)
    starts = [cs] + [i + 1 for i in range(cs, verb) if f[i] == ","]
    for c in starts:
        c0 = LIST_MARK.match(body, c, verb).end()
        c = lead.match(f, c0, verb).end()
        a = _atom_at(ctx, c, ITEM_LABELS)
        if a is not None:
            s, e, name = a.start, a.end, _item_name(ctx, a)
        elif c > c0 and HONORIFIC_NAME.match(body, c) and not _unit_head().match(body, c):
            s, e = c, _name_span(ctx, c, verb)  # 'Cô giáo Nguyễn Thị Hạnh, Trường …, được tặng': the person
            name = tidy_name(body[s:e])
        elif _unit_head().match(body, c) and len(body[c:_name_span(ctx, c, verb)].split()) > 1:  # not a bare 'Sở'
            s, e = c, _name_span(ctx, c, verb)
            name = gazetteers.expand_abbreviations(tidy_name(body[s:e]))
        elif lm := _subject_locality().match(body, c, verb):  # 'huyện Yên Định vinh dự được … tặng': as written
            s, e = c, _name_span(ctx, lm.end(), verb)
            if e <= lm.end():
                continue
            name = tidy_name(body[s:e])
        else:
            continue
        if e <= verb and not re.compile(r"(?<!\w)" + _words_rx("give_verb") + r"(?!\w)").search(f, e, verb):
            return s, e, name
        return None
    return None


@cache
def _subject_locality() -> re.Pattern[str]:
    """A locality written in lower case opening a clause ('huyện Yên Định', 'xã Ea Tu'): the unit words of
    gazetteers/name_stops.tsv `locality`, then a capitalised name."""
    units = sorted(names.stops().locality, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(r"\s+".join(map(re.escape, u.split())) for u in units) + r")[ \t]+(?=[A-ZĐÀ-Ỹ])")


@cache
def _unit_head() -> re.Pattern[str]:
    heads = sorted(rules.word_lists("awards").get("unit_head", ()), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")


def _before_quote(ctx: Context, s0: int) -> int:
    """Where a cue written before the award ends: before an opening quote ('nhận danh hiệu “Cờ thi đua …”')."""
    i = s0
    while i > 0 and ctx.body[i - 1] in "“\"'‘ ":
        i -= 1
    return i if i < s0 and ctx.body[i:s0].strip() else s0


def _named_later(ctx: Context, count: int, se: int, sents: list[tuple[int, int]]) -> tuple[list, str | None]:
    """'… cho 4 tập thể.' then '4 tập thể này gồm: A; B; C; D.' names the four."""
    v = ctx.atom_view()
    end = min(len(v), se + 600)
    for r, m in rules.finditer("awards.count_list", v, se, end):
        if _atoms_in(ctx, se, m.start(), ("AWARD",)):
            break
        if _counts(ctx, *m.span("count")) == [count]:
            _, e = sentence_of(sents, m.end())
            items = _walk(ctx, m.end(), _list_end(ctx, m.end(), e))
            if len(items) == count:
                return items, r.id
    return [], None


@cache
def _multi_year() -> tuple[frozenset[str], frozenset[str]]:
    w = rules.word_lists("awards")
    return frozenset(w.get("multi_year_kind", ())), frozenset(key(c) for c in w.get("multi_year_conferrer", ()))


def _review_year(ctx: Context) -> tuple[int | None, str | None]:
    """The year the article's meeting reviews ('tổng kết … năm 2022', 'năm học 2017-2018' -> 2017)."""
    title = fold(ctx.meta.title or "")
    for v, f in ((ctx.atom_view(), ctx.fold), (title, title)):  # the body, else the title
        for r, m in rules.finditer("awards.review", v):
            ys, ye = m.span("year")
            school = f[max(0, ys - 8):ys].endswith("năm học ")
            if (YEAR_RANGE_AFTER.match(f, ye) and not school) or PERIOD.search(f, max(0, m.start() - 10), ye + 12):
                continue
            return int(f[ys:ye]), r.id
    return None, None


def _years(text: str) -> list[int]:
    """Years of achievement written as 'năm 2023' or 'năm học 2022-2023' (its first year), not full dates."""
    return [int(m.group(2)) for m in YEARS.finditer(text) if m.group(1) or not m.group(3)]


YEAR_OWN = re.compile(r"\s*năm\s+(?:học\s+)?((?:19|20)\d{2})")
CLAUSE_END = re.compile(r"[;:]|\.(?!\d)")
YEAR_OPENING = re.compile(r"\s*(?:trong\s+)?năm\s+(học\s+)?((?:19|20)\d{2})(\s*[-–]\s*(?:19|20)\d{2})?\s*,")


def _year(ctx: Context, a: Atom, status: str, conferrer: str | None, bounds: tuple[int, ...],
          state: dict) -> tuple[int | None, str | None]:
    """(year, rule): written with the award; for a target the sentence's or the planned year; else in its clause
    or sentence, none where a period is written; else, for an award given year by year, the year reviewed."""
    ss, se, clause_start, after, _prev_end = bounds
    if ym := YEAR_OWN.match(ctx.fold, after):
        return int(ym.group(1)), None
    if status == "target":
        return _target_year(ctx, ss, se), None
    cm = CLAUSE_END.search(ctx.fold, after, se)
    cend = cm.start() if cm else se
    if PERIOD.search(ctx.fold, a.end, cend) or PERIOD.search(ctx.fold, clause_start, a.start):
        return None, None  # 'từ năm 2014 đến năm 2018': no single year
    year = _year_after_award(ctx, a, cend) or _year_opening(ctx, ss) or _year_shared(ctx, a, ss) \
        or _year_before_award(ctx, a, bounds)
    if year:
        return year, None
    if _multi_year_award(a, conferrer) or PERIOD.search(ctx.fold, ss, se):
        return None, None
    if "review" not in state:
        state["review"] = _review_year(ctx)
    return state["review"]


def _target_year(ctx: Context, ss: int, se: int) -> int | None:
    """A target's year: the first written in its sentence, else the year the meeting plans for, else its own."""
    ys = _years(ctx.body[ss:se])
    years = meeting_years(ctx)
    return ys[0] if ys else (years.get("planned") or years.get("activity"))


def _year_after_award(ctx: Context, a: Atom, cend: int) -> int | None:
    """The first year written after the award in its clause."""
    ys = _years(ctx.body[a.end:cend])
    return ys[0] if ys else None


def _year_opening(ctx: Context, ss: int) -> int | None:
    """'Năm 2019, …' opening the sentence (a school year counts by its first year, a range not at all)."""
    sm = YEAR_OPENING.match(ctx.fold, ss)
    return int(sm.group(2)) if sm and (sm.group(1) or not sm.group(3)) else None


def _year_shared(ctx: Context, a: Atom, ss: int) -> int | None:
    """One year written before the sentence's first award holds for its later awards ('Kết quả, năm 2023 có 5 tập
    thể được tặng A, 12 tập thể được tặng B')."""
    earlier = _own_in(ctx, "AWARD", ss, a.start + 1)
    first = earlier[0].start if earlier else a.start
    opening = _years(ctx.body[ss:first])
    if len(set(opening)) == 1 and first < a.start and not PERIOD.search(ctx.fold, ss, first):
        return opening[0]
    return None


def _year_before_award(ctx: Context, a: Atom, bounds: tuple[int, ...]) -> int | None:
    """The last year written before the award in its clause, after the previous award's phrase ('02 tập thể ...
    năm 2019 cũng được tặng Bằng khen')."""
    ss, _se, clause_start, _after, prev_end = bounds
    since = max(clause_start, prev_end if prev_end > ss else 0)
    ys = _years(ctx.body[since:a.start])
    return ys[-1] if ys else None


def _multi_year_award(a: Atom, conferrer: str | None) -> bool:
    """An award given for several years' work (a kind or conferrer of `multi_year_*`): no reviewed year."""
    kinds, confs = _multi_year()
    return a.value in kinds or bool(conferrer and key(conferrer) in confs and a.value != "co_thi_dua")


def _wrapped_end(ctx: Context, sents: list[tuple[int, int]], se: int) -> int:
    """A sentence runs on over line breaks inside it (a hard-wrapped paragraph, a line starting in lower case)."""
    for s, e in sents:
        if s > se and ctx.body[se:s].strip() == "" and (_wrapped(ctx.body, se, s + 1) or ctx.body[s:s + 1].islower()):
            se = e  # a line that starts in lower case goes on with the sentence before it
        elif s > se:
            break
    return se


def _window(ctx: Context, sents: list[tuple[int, int]], s0: int) -> tuple[int, int, int, str | None]:
    """(sentence start, end, window start, rule): a sentence opening 'Trong đó', 'Đồng thời' goes on with the one before."""
    ss, se = sentence_of(sents, s0)
    if ss == se:
        ss, se = 0, len(ctx.fold)
    cut = ctx.fold.rfind("…", ss, s0)  # '…' glued to the next sentence ('2017-2018…Tại hội nghị')
    if cut > ss and ctx.body[cut + 1:cut + 2].isupper():
        ss = cut + 1
    r, m = rules.match_at("awards.continues", ctx.atom_view(), ss, se)
    if m and m.start() <= ss + 2:
        i = sents.index((ss, se)) if (ss, se) in sents else 0
        while r.id.endswith("award_heading") and i > 1 and _heads_list(ctx, *sents[i - 1]):
            i -= 1  # 'Cờ thi đua …: A, B.\nBằng khen …: C.': each heading line goes back to the decision
        if i > 0:
            return ss, se, sents[i - 1][0], r.id
    return ss, se, ss, None


def _heads_list(ctx: Context, s: int, e: int) -> bool:
    r, m = rules.match_at("awards.continues", ctx.atom_view(), s, e)
    return bool(m) and r.id.endswith("award_heading") and m.start() <= s + 2


@dataclass
class _Found:
    """What was read around one award phrase."""

    atom: Atom
    status: str
    conferrer: str | None
    year: int | None
    recips: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    percent: int | float | None = None
    rules: list = field(default_factory=list)
    end: int = 0  # how far the award's own phrasing ran (conferrer, year, recipient list)


def _read(ctx: Context, a: Atom, sents: list[tuple[int, int]], state: dict) -> _Found:
    """Status, conferrer, year and recipients of one award phrase, from its sentence (or the one it goes on from)."""
    f = ctx.fold
    s0, e0 = a.start, a.end
    ss, se, ws, crule = _window(ctx, sents, s0)
    se = _wrapped_end(ctx, sents, se)
    status, srule = _status(ctx, ws, s0, e0)
    clause_start = max(ss, f.rfind(";", ss, s0) + 1)
    numbered = _count_of_award(ctx, s0)
    conferrer, after, brule = _conferrer(ctx, clause_start, numbered[2] if numbered else s0, e0)
    conferrer = conferrer or state.get(ws) or state.get(ss)  # 'UBND tỉnh tặng Cờ …; tặng Bằng khen …'
    if conferrer:
        state[ws] = state[ss] = conferrer
    year, yrule = _year(ctx, a, status, conferrer, (ss, se, clause_start, after, state.get("prev_end", -1)), state)
    ym = YEAR_AFTER.match(f, after)
    pos = ym.end() if ym else after
    recips, counts, rrule, rend = _recipients(ctx, a, (ws, pos, se), numbered, sents)
    percent = _percent(ctx, clause_start, s0, e0) if status == "target" else None
    if percent is not None:
        counts, recips = [], []
    ev_end = max([e0, *[r[1] for r in recips if r[0] < se + 1]])
    state["prev_end"] = max(after, ev_end, rend if rend < se else after)
    return _Found(a, status, conferrer, year, recips, counts, percent, [crule, srule, brule, rrule, yrule],
                  max(pos, rend if recips or counts else pos))


def _recipients(ctx: Context, a: Atom, span: tuple[int, int, int], numbered: tuple[list[int], str, int] | None,
                sents: list[tuple[int, int]]) -> tuple[list, list[int], str | None, int]:
    """(named, counts, rule, end of the list after the award): a list after the award, else the subject or counts
    before it, else the number written with it ('2 Huân chương …'); a lone count a later sentence names
    ('4 tập thể này gồm: …') becomes those names. `span` is (window start, where the list may start, sentence end)."""
    ws, pos, se = span
    recips, counts, rrule, rend = _recipients_after(ctx, pos, se)
    if not recips and not counts:
        recips, counts, rrule = _recipients_before(ctx, a, ws, _before_quote(ctx, a.start))
    if not recips and not counts and numbered:
        counts, rrule = numbered[0], numbered[1]  # '1 Huân chương Lao động hạng Nhất, 2 Huân chương …'
    if len(counts) == 1 and not recips:
        named, lrule = _named_later(ctx, counts[0], se, sents)
        if named:
            recips, counts, rrule = named, [], f"{rrule}+{lrule}"
    return recips, counts, rrule, rend


@cache
def _not_a_count() -> re.Pattern[str]:
    """What written right before a number makes it no count: a word of `not_count_before` or a mark ('12/', '3.')."""
    return re.compile(r"(?:(?<!\w)" + _words_rx("not_count_before") + r"|[/:.\-–])\s*$")


def _count_of_award(ctx: Context, s0: int) -> tuple[list[int], str, int] | None:
    """A number written right before the award ('khen thưởng 03 Cờ thi đua, 45 Bằng khen'): how many were given."""
    r, m = rules.search_back("awards.count_award", ctx.atom_view(), max(0, s0 - 12), _before_quote(ctx, s0))
    if m is None or ctx.fold[m.end():s0].strip(" “\"'") or _not_a_count().search(ctx.fold, max(0, m.start() - 8), m.start()) \
            or re.fullmatch(r"(?:19|20)\d{2}", m.group("count")):
        return None  # 'năm 2023 Bằng khen', 'số 12 …', 'lần 2 …': not how many
    n = int(re.sub(r"[.,]", "", m.group("count")))
    return ([n], r.id, m.start()) if n > 0 else None


def _coordinated(ctx: Context, found: list[_Found]) -> None:
    """'tặng Cờ thi đua và Bằng khen cho X', 'X nhận Cờ thi đua và Bằng khen': awards joined by 'và' / ','
    share the recipients one of them has."""
    for x, y in zip(found, found[1:], strict=False):
        r, m = rules.match_at("awards.coordinated", ctx.atom_view(), x.end, y.atom.start)
        if m is None or m.end() < y.atom.start - 1 or x.status != y.status:
            continue
        if not (x.recips or x.counts) and (y.recips or y.counts) and y.recips and y.recips[0][0] > y.atom.start:
            x.recips, x.rules = list(y.recips), [*x.rules, r.id]
        elif not (y.recips or y.counts) and x.recips and x.recips[-1][1] <= x.atom.start:
            y.recips, y.rules = list(x.recips), [*y.rules, r.id]


def extract(ctx: Context) -> None:
    _add_atoms(ctx)
    sents = ctx.sentences()  # read only
    state: dict = {}
    found = [_read(ctx, a, sents, state) for a in _own(ctx, "AWARD")[0]]
    _coordinated(ctx, found)
    records: list[Award] = []
    for x in found:
        records += _records_of(ctx, sents, x)
    ctx.records["awards"] = _dedupe(records)


def _records_of(ctx: Context, sents: list[tuple[int, int]], x: _Found) -> list[Award]:
    """One record per recipient, else per count, else one for the award itself when it was given."""
    a = x.atom
    s0, e0 = a.start, a.end
    starts = [r[0] for r in x.recips if abs(r[0] - s0) < 400]
    ends = [r[1] for r in x.recips if abs(r[1] - e0) < 400]
    base = dict(kind=str(a.value), conferred_by=x.conferrer, status=x.status, year=x.year,
                evidence=ctx.evidence(min([s0, *starts]), max([e0, *ends])), award_name=tidy_name(ctx.body[s0:e0]),
                rule="+".join(r for r in x.rules if r) or None)
    if x.recips:
        return [Award(recipient=tidy_name(n), count=None, percent=None, **base) for _s, _e, n in x.recips] + \
            [Award(recipient=None, count=c, percent=None, **base) for c in x.counts]
    if x.counts:
        return [Award(recipient=None, count=c, percent=None, **base) for c in x.counts]
    if _given(ctx, sents, x):
        return [Award(recipient=None, count=None, percent=x.percent, **base)]
    return []  # 'Bằng khen là hình thức …', 'tiêu chuẩn xét tặng Giấy khen': the award is named, nobody is given it


def _given(ctx: Context, sents: list[tuple[int, int]], x: _Found) -> bool:
    """An award with nobody named or counted is still given when it is a target, has a share or a conferrer, or is
    handed over ('trao danh hiệu …'), unless the sentence plans it ('sẽ tặng …')."""
    s0 = x.atom.start
    return (x.percent is not None or x.status == "target" or bool(x.conferrer) or _handed_over(ctx, s0)) \
        and not (x.status != "target" and _planned(ctx, sents, s0))


@cache
def _verb_before() -> tuple[re.Pattern[str], re.Pattern[str]]:
    verb = (r"(?<!\w)(?:" + _words_rx("give_verb") + "|" + _words_rx("receive_verb") + r")"
            r"(?:\s+danh hiệu)?(?:\s+vinh dự nhà nước)?[\s\"“”']*$")
    return re.compile(verb), re.compile(r"(?<!\w)" + _words_rx("generic_before") + r"(?!\w)")


@cache
def _plan_rx() -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _words_rx("plan_cue") + r"(?!\w)")


def _planned(ctx: Context, sents: list[tuple[int, int]], s0: int) -> bool:
    """'… sẽ tặng Giấy khen cho các tập thể …', 'hằng năm, UBND tỉnh tặng Cờ thi đua …': a plan or a standing rule,
    for an award with nobody named."""
    ss, se = sentence_of(sents, s0)
    return bool(_plan_rx().search(ctx.fold, ss, se))


def _handed_over(ctx: Context, s0: int) -> bool:
    """A conferring or receiving verb right before the award ('trao danh hiệu “…”'), not in a rule's generic
    wording ('tiêu chuẩn xét tặng …'): an award nobody is named for is still given."""
    verb, generic = _verb_before()
    m = verb.search(ctx.fold, max(0, s0 - 60), s0)
    return bool(m) and not generic.search(ctx.fold, max(0, m.start() - 25), m.start())


def _percent(ctx: Context, clause_start: int, s0: int, e0: int) -> int | float | None:
    """A target's share: 'Lao động tiên tiến 95%', '100% cá nhân đạt danh hiệu …' (no other award between)."""
    pa = PERCENT_AFTER.match(ctx.fold, e0)
    if pa:
        return _num(pa.group(1))
    start = max(clause_start, s0 - 80)
    found = list(PERCENT.finditer(ctx.fold, start, s0))
    if found and not _atoms_in(ctx, found[-1].end(), s0, ("AWARD",)):
        return _num(found[-1].group(1))
    return None


def _num(s: str) -> int | float:
    v = float(s.replace(",", "."))
    return int(v) if v.is_integer() else v


def _bare(r: Award) -> bool:
    return not (r.recipient or r.count is not None or r.percent is not None)


def _reviewed(r: Award) -> bool:
    return "awards.review" in (r.rule or "")


def _merge_key(r: Award) -> tuple:
    """What makes two records one: kind, status and recipient or count; a bare record is only itself, and two counts
    are two awards when their forms or conferrers differ ('hạng Nhất' / 'hạng Ba')."""
    return (r.kind, r.status, key(r.recipient) if r.recipient else None, r.count, r.percent, id(r) if _bare(r) else None,
            (key(r.award_name or ""), r.conferred_by) if r.count is not None else None)


def _count_key(r: Award) -> tuple:
    return r.kind, r.status, r.count, key(r.award_name or "")


def _restate(o: Award, r: Award) -> None:
    """A restatement adds its year (one written with the award beats the meeting's) and conferrer to the first."""
    if r.year and (o.year is None or (_reviewed(o) and not _reviewed(r))):
        o.year = r.year
    o.conferred_by = o.conferred_by or r.conferred_by


def _merge(records: list[Award]) -> list[Award]:
    """One record per (award, recipient); a count restated without its conferrer ('Tặng Kỷ niệm chương cho 265 cá
    nhân' above the decision) is dropped."""
    merged: dict[tuple, Award] = {}
    for r in records:
        k = _merge_key(r)
        if r.recipient and k in merged:
            _restate(merged[k], r)
            continue
        merged.setdefault(k, r)
    out = list(merged.values())
    told = {_count_key(r) for r in out if r.count is not None and r.conferred_by}
    return [r for r in out if not (r.count is not None and not r.conferred_by and _count_key(r) in told)]


def _inherit(out: list[Award]) -> None:
    """A year or conferrer written once for a kind holds for its other records ('… tặng cờ thi đua và bằng khen
    năm 2022' then '… tặng bằng khen cho 03 đơn vị')."""
    for r in out:
        if r.status == "target":
            continue
        same = [o for o in out if o.kind == r.kind and o.status == r.status and o is not r]
        cs = {o.conferred_by for o in same if o.conferred_by}
        if r.conferred_by is None and len(cs) == 1:
            r.conferred_by = cs.pop()
        ys = {o.year for o in same if o.year and (o.conferred_by is None or r.conferred_by is None
                                                  or o.conferred_by == r.conferred_by)}
        if r.year is None and len(ys) == 1:
            r.year = ys.pop()


def _dedupe(records: list[Award]) -> list[Award]:
    out = _merge(records)
    _inherit(out)
    named: dict[tuple, list[Award]] = {}
    for r in out:
        if r.recipient:
            named.setdefault((r.kind, r.status), []).append(r)
    specific = {(r.kind, r.status) for r in out if not _bare(r)}

    def counted_by_names(r: Award) -> bool:
        """'Có 07 tập thể đạt ...' restates the seven recipients named elsewhere."""
        same = named.get((r.kind, r.status), [])
        return bool(same) and (r.conferred_by is None or any(o.conferred_by == r.conferred_by for o in same)) \
            and len(same) >= (r.count or 0)

    out = [r for r in out if not (r.count is not None and counted_by_names(r))]
    # a bare mention of a kind that has specific records restates them; one bare record per (kind, status)
    seen, final = set(), []
    for r in out:
        if _bare(r) and ((r.kind, r.status) in specific or (r.kind, r.status) in seen):
            continue
        if _bare(r):
            seen.add((r.kind, r.status))
        final.append(r)
    return final
