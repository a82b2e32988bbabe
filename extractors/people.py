"""People: named persons with the title written beside the name, and bylines.

A name is introduced by an honorific (gazetteers/honorifics.txt: Ông, Bà, đồng chí...) or starts
with a family name (gazetteers/surnames.txt) and is followed or preceded by a title
(gazetteers/titles.txt). Mechanisms here: the name's extent (capitalised syllables, ending where a
title starts: 'Lê Văn An Trưởng phòng ...'), never inside a province or agency name ('Trường Cao
đẳng Y tế Hà Tĩnh'), and the title's extent (comma-separated parts that each start with a title
word, cut by the word lists in gazetteers/rules/words_people.tsv). Phrasing is data: what separates
a name from its title and the labels of bylines are rules (gazetteers/rules/people.tsv). Bylines
and photo credits at the edges of the body give people with no title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import gazetteers
from extractors import names, rules
from extractors.common import Context, Mention
from extractors.records import Person
from extractors.spans import Covered
from gazetteers.textnorm import fold, tidy_name

WORD = re.compile(r"[^\W\d_][\w'’]*|\d+")
OUTLET = re.compile(r"\s*[-–/]\s*[A-ZĐ]{2,5}\s*$")  # 'NHƯ NGUYỆN-GLO', 'Minh Hoàng/VOV'
BRACKET_END = re.compile(r"(?<=\S)\s*\([^()]{2,30}\)\s*$")  # 'Minh Thu (TTXVN)'
INITIALS = re.compile(r"[A-ZĐÀ-Ỹ]\.\s?[A-ZĐÀ-Ỹ]{2,}")  # 'T.VĂN', 'Q.MƯỜI'


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(fold(w) for w in rules.word_lists("people").get(name, ()))


def _is_name_word(w: str) -> bool:
    return bool(w) and w[0].isupper() and not w.isdigit()


@cache
def _titles() -> re.Pattern[str]:
    ts = sorted({fold(t) for t in gazetteers.titles()}, key=len, reverse=True)
    pre = "|".join(re.escape(p) for p in sorted(_words("title_prefix"), key=len, reverse=True))
    return re.compile(r"(?:(?:" + pre + r")\s+)?(?:" + "|".join(re.escape(t) for t in ts) + r")(?!\w)")


@cache
def _honorific_rx() -> re.Pattern[str]:
    alts = sorted({h for h in gazetteers.honorifics()} | {h.lower() for h in gazetteers.honorifics()}, key=len,
                  reverse=True)
    # grouped by first character, the look-behind after it: re skips ahead instead of trying every position
    return re.compile(r"(?P<h>" + rules.grouped_alternation([re.escape(a) for a in alts], r"[\w/]")[0]
                      + r")\s+(?=[A-ZĐÀ-Ỹ])")


@cache
def _surnames() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """Single-word family names, the multi-word ones ('Rah Lan ') and the prefixes ending in an apostrophe ('H'')."""
    names = gazetteers.surnames()
    prefixes = tuple(n for n in names if n.endswith(("'", "’")))
    return frozenset(n for n in names if " " not in n), tuple(n + " " for n in names if " " in n), prefixes


@cache
def _surname_words() -> tuple[re.Pattern[str], bool]:
    """The words (as WORD splits the text) that begin with a family name's first letter: a first letter not after a
    letter, and the rest of the run of word characters. Other words cannot start a name, so they are not visited.

    The plain form, `(?<![\\w'’])[\\d_'’]*(?=[firsts])([^\\W\\d_][\\w'’]*)`, opens on a look-behind and an optional
    run, so re tries it at every position; this one opens on the letters and skips ahead to them, and
    `_surname_word_starts` checks the digits or apostrophes a word may open on. (pattern, is the plain form: a
    family name that opens on no letter.)"""
    single, multi, prefixes = _surnames()
    firsts = sorted({n[0] for n in (*single, *multi, *prefixes)})
    cls = "".join(re.escape(c) for c in firsts)
    if not all(c.isalpha() for c in firsts):
        return re.compile(r"(?<![\w'’])[\d_'’]*(?=[" + cls + r"])([^\W\d_][\w'’]*)"), True
    return re.compile(r"([" + cls + r"](?<![^\W\d_].)[\w'’]*)"), False


_RUN_CHAR = re.compile(r"[\d_'’]")
_WORD_CHAR = re.compile(r"[\w'’]")


def _surname_word_starts(body: str) -> Iterator[tuple[int, str]]:
    """(start, word) of each word `_surname_words` names: the letter opens the word, or digits and apostrophes
    do ('’Nguyễn') with no word character before them."""
    rx, plain = _surname_words()
    for m in rx.finditer(body):
        q = j = m.start(1)
        if not plain:
            while j > 0 and _RUN_CHAR.match(body, j - 1):
                j -= 1
            if j > 0 and _WORD_CHAR.match(body, j - 1):
                continue
        yield q, m.group(1)


def _surname_at(body: str, pos: int, word: str) -> bool:
    """A family name starts here: one word, several ('Rah Lan Chung'), or a prefix ending in an apostrophe ('H'Hen')."""
    single, multi, prefixes = _surnames()
    return word in single or body.startswith(multi, pos) or (word.startswith(prefixes) and word not in prefixes)


def _starts_with_title(f: str, pos: int) -> int:
    """End of the title word at pos, or -1."""
    m = _titles().match(f, pos)
    return m.end() if m else -1


def _name_end(ctx: Context, pos: int, max_words: int = 5) -> int:
    """End of a run of capitalised words starting at pos; a title word ends it ('Lê An Trưởng phòng')."""
    body, end, n = ctx.body, pos, 0
    for m in WORD.finditer(body, pos):
        if n and body[end:m.start()] != " ":
            break
        if not _is_name_word(m.group(0)) or (n and _starts_with_title(ctx.fold, m.start()) >= 0):
            break
        end, n = m.end(), n + 1
        if n >= max_words:
            break
    return end


def _blocked(ctx: Context, pos: int) -> bool:
    """Inside a province or agency name: 'Hà' of 'Hà Tĩnh', 'Lâm' of 'Sở Y tế Lâm Đồng'.

    Asked once per capitalised word: the spans are kept as a `Covered` (a bisection), since a scan over
    every mention per word is quadratic on a long text full of names."""
    provinces = ctx.memo.get("people.provinces")
    if provinces is None:  # the province names of the fold view, found once per article
        provinces = ctx.memo["people.provinces"] = [(m.start(), m.end()) for m in gazetteers.province_regex().finditer(ctx.fold)]
    held = ctx.memo.get("people.blocked")
    if held is None or held[0] != len(ctx.agencies):
        held = ctx.memo["people.blocked"] = (len(ctx.agencies), Covered([*provinces, *((a.start, a.end) for a in ctx.agencies)]))
    return pos in held[1]


def _name_runs(ctx: Context) -> list[tuple[int, int]]:
    """Spans of 2-4 capitalised words starting with a family name, in text order and never overlapping: 'Văn' of
    'Cao Văn Trọng' starts no second name, 'Hà' of 'Hà Tĩnh' starts none."""
    body, out, end = ctx.body, [], 0
    for s, w in _surname_word_starts(body):
        if s < end or not _surname_at(body, s, w) or _blocked(ctx, s):
            continue
        if s > 0 and body[s - 1].isalpha():
            continue
        e = _name_end(ctx, s, 4)
        if 2 <= len(body[s:e].split()) <= 4:
            out.append((s, e))
            end = e
    return out


def _title_start(ctx: Context, pos: int) -> tuple[int, str, bool] | None:
    """(where the title after a name starts, rule ids, is an affiliation) or None."""
    f = ctx.fold
    rule, m = rules.match_at("people.title_after", f, pos, min(len(f), pos + 6))
    if m is not None:
        start, rid = m.end(), rule.id
        while start < len(f) and f[start] == " ":
            start += 1
    elif f.startswith(" ", pos) and _starts_with_title(f, pos + 1) >= 0:
        start, rid = pos + 1, ""  # glued: 'Lê Văn An Trưởng phòng Hành chính'
    else:
        return None
    if _starts_with_title(f, start) >= 0:
        return start, rid, False
    if rid.endswith((".dash", ".paren")):
        arule, am = rules.match_at("people.affiliation", f, start, min(len(f), start + 40))
        if am is not None and am.start() == start:
            return start, f"{rid}+{arule.id}", True
    return None


def _title_stops(ctx: Context, wm: re.Match[str]) -> bool:
    """A lower-case word that ends the title: a verb, a new group of people after 'và'."""
    f, body = ctx.fold, ctx.body
    w = wm.group(0)
    if body[wm.start()].isupper():
        return False
    nxt = WORD.match(f, wm.end() + 1) if f.startswith(" ", wm.end()) else None
    if w in _words("title_stop"):
        return True
    if nxt and f"{w} {nxt.group(0)}" in _words("title_stop_phrase"):
        return True
    if w in _words("title_and") and nxt:
        two = WORD.match(f, nxt.end() + 1) if f.startswith(" ", nxt.end()) else None
        after = {nxt.group(0), f"{nxt.group(0)} {two.group(0)}" if two else ""}
        return bool(_honorific_rx().match(body, nxt.start()) or after & _words("title_stop_after_and"))
    return False


@cache
def _subunit_rx() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(sorted(map(re.escape, _words("title_subunit")), key=len, reverse=True)) + r")(?!\w)")


def _subunit_title(f: str, start: int, end: int) -> bool:
    """A title held inside a unit ('Trưởng phòng Tổng hợp'): the agency after the comma is whose unit it is."""
    return _subunit_rx().match(f, start, end) is not None


def _title_extent(ctx: Context, start: int) -> int:
    body, f = ctx.body, ctx.fold
    end = i = part = start
    while i < len(f):
        wm = WORD.match(f, i)
        if wm:
            if _title_stops(ctx, wm):
                break
            end = i = wm.end()
            continue
        ch = f[i]
        if ch in " -&":
            i += 1
            continue
        if ch == ",":
            j = i + 1
            while j < len(f) and f[j] == " ":
                j += 1
            nxt = WORD.match(f, j)
            bare = _titles().fullmatch(f, part, i)  # 'Trưởng ban, Ban Dân vận Tỉnh ủy': the bare title's office
            if _starts_with_title(f, j) >= 0 or (nxt and nxt.group(0) in _words("title_continue")) or \
                    ((bare or _subunit_title(f, part, i)) and
                     rules.match_at("people.affiliation", f, j, min(len(f), j + 40))[1] is not None):
                i = part = j
                continue
            if any(a.start < i < a.end for a in ctx.agencies):  # 'Sở Văn hóa, Thể thao và Du lịch'
                i = j
                continue
        break
    return end if body[start:end].strip() else start


def _title_after(ctx: Context, pos: int) -> tuple[str | None, int, str, bool]:
    """The title written right after a name (', Phó Giám đốc Sở Y tế'), where it ends, its rules, affiliation?"""
    found = _title_start(ctx, pos)
    if found is None:
        return None, pos, "", False
    start, rid, affiliation = found
    end = _title_extent(ctx, start)
    title = ctx.body[start:end].strip()
    if not title:
        return None, pos, "", False
    return tidy_title(title), end, rid, affiliation


def tidy_title(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip(" ,;:-–")


def _mention(ctx: Context, s: int, e: int) -> Mention:
    title, tend, rid, _ = _title_after(ctx, e)
    return Mention(s, e, ctx.body[s:e], "person", title=title, title_end=tend, rule=rid or None)


def _person_mentions(ctx: Context, runs: list[tuple[int, int]]) -> list[Mention]:
    body = ctx.body
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _honorific_rx().finditer(body):
        s = m.end()
        if _starts_with_title(ctx.fold, s) >= 0 or _blocked(ctx, s):
            continue  # 'đồng chí Trưởng Ban Tuyên giáo': a title, no name
        e = _name_end(ctx, s)
        words = body[s:e].split()
        h = m.group("h").lower()
        if len(words) < 2 or (fold(h) not in _words("honorific_any_name") and not _surname_at(body, s, words[0])):
            continue
        out.append(_mention(ctx, s, e))
        taken.append((m.start(), e))
    # family name + title, no honorific: 'Nguyễn Văn A, Giám đốc Sở ...'
    for s, e in runs:
        if any(a <= s < b for a, b in taken):
            continue
        p = _mention(ctx, s, e)
        if p.title:
            out.append(p)
            taken.append((s, e))
    return out


def _honorific_in(ctx: Context, start: int, end: int) -> bool:
    """An honorific introducing someone between start and end ('Bà' of 'Bà Rịa - Vũng Tàu' introduces no one)."""
    return any(not _blocked(ctx, m.end()) for m in _honorific_rx().finditer(ctx.body, start, end))


def _earlier_title_parts(ctx: Context, t0: int, floor: int) -> int:
    """'Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh Nguyễn Văn A': comma-separated title parts before the
    one next to the name belong to the title too."""
    body, f = ctx.body, ctx.fold
    while True:
        before = body[floor:t0].rstrip()
        if not before.endswith(","):
            return t0
        comma = floor + len(before) - 1
        seg = max(body.rfind(c, floor, comma) for c in ",.;:()\n") + 1
        while seg < comma and body[seg] == " ":
            seg += 1
        words = f[seg:comma].split()
        if seg >= comma or not body[seg].isupper() or _starts_with_title(f, seg) < 0 or len(words) > 10 or \
                any(w in _words("title_before_stop") for w in words) or _honorific_in(ctx, seg, comma + 1):
            return t0
        t0 = seg


def _nearest_title_before(ctx: Context, s: int) -> int | None:
    """Where the nearest capitalised title word before the name at `s` starts, in the same clause and at most 90
    characters back."""
    body = ctx.body
    window_start = max(0, s - 90)
    clause = max(body.rfind(c, window_start, s) for c in ",.;:()\n")
    for t in _titles().finditer(ctx.fold, max(window_start, clause + 1), s):
        if body[t.start()].isupper() and (t.start() == 0 or not body[t.start() - 1].isalpha()):
            return t.start()
    return None


def _title_is_theirs(ctx: Context, t0: int, s: int, e: int) -> bool:
    """The words from `t0` to the name are the named person's title: short, not a place ('xã Châu Hóa'), not
    someone else's ('... Giám đốc Sở và đồng chí Đinh Văn A'), not a province named like a person."""
    title = ctx.body[t0:s].strip()
    if not title or len(title.split()) > 12:
        return False
    between = ctx.fold[t0:s].split()
    place = _words("place_word")
    if between and (between[-1] in place or " ".join(between[-2:]) in place):
        return False
    stop = _words("title_before_stop")
    return not (any(w in stop for w in between) or gazetteers.province_named(" ".join(ctx.body[s:e].split()))
                or _honorific_in(ctx, t0, s + 1))


def _title_before(ctx: Context, known: list[Mention], runs: list[tuple[int, int]]) -> list[Mention]:
    """'Phó Chủ tịch UBND tỉnh Nguyễn Văn A phát biểu': a title word, its organisation, then a full name.

    A person already found with a title after the name gets this one in front of it.
    """
    taken = [(p.start, p.end) for p in known]
    by_start: dict[int, Mention] = {}
    for p in known:
        by_start.setdefault(p.start, p)
    body = ctx.body
    out = []
    for s, e in runs:
        already = by_start.get(s)
        if already is None and any(a <= s < b for a, b in taken):
            continue
        if s > 0 and not body[s - 1].isspace():
            continue
        t0 = _nearest_title_before(ctx, s)
        if t0 is None or not _title_is_theirs(ctx, t0, s, e):
            continue
        t0 = _earlier_title_parts(ctx, t0, max(0, s - 250))
        title = tidy_title(body[t0:s].strip())
        if already is not None:
            already.title = title + (", " + already.title if already.title else "")
            already.title_start = t0
            continue
        out.append(Mention(s, e, " ".join(body[s:e].split()), "person", title=title, title_end=s, title_start=t0))
        taken.append((s, e))
    return out


@cache
def _pos_is_name(text: str) -> bool:
    """underthesea POS: a byline is a name when it ends in a proper noun ('Thành Nghị' Np, 'Lệ Hoa' N Np) and does
    not start with an organisation or label word ('Ban Biên Tập')."""
    from underthesea import pos_tag

    if fold(text.split()[0]) in _words("byline_not_name") or fold(" ".join(text.split()[:2])) in _words(
            "byline_not_name"):
        return False
    tags = pos_tag(text.title() if text.isupper() else text)
    return bool(tags) and tags[-1][1] == "Np" and all(t in ("Np", "N") for _, t in tags)


def _names_a_unit(s: str) -> bool:
    """'Ảnh: VP Sở', 'Nguồn: Ban Tuyên giáo': a credit to an office, whose words hold an agency head."""
    one, two = names.heads()
    words = [fold(w) for w in gazetteers.expand_abbreviations(s).split()]
    return any(w in one for w in words) or any(f"{a} {b}" in two for a, b in zip(words, words[1:], strict=False))


def _name_like(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 4:
        return False
    return all(w[0].isupper() and not w.isdigit() and not re.search(r"[:;,()]", w) for w in words)


def _without_honorific(body: str, s: int) -> int:
    m = _honorific_rx().match(body, s)
    return m.end() if m else s


def _labelled_bylines(ctx: Context) -> list[Mention]:
    body, out = ctx.body, []
    for colon in re.finditer(":", ctx.fold):  # every label ends in a colon: try the rules back from each
        rule, m = rules.search_back("people.byline", ctx.fold, max(0, colon.start() - 30), colon.end())
        if m is None:
            continue
        before = body[:m.start()].rstrip(" ")
        if before and before[-1] not in "\n.!?(":
            continue  # a label opens a line, a sentence or a bracket
        s = m.end()
        while s < len(body) and body[s] == " ":
            s += 1
        s = _without_honorific(body, s)
        e = _name_end(ctx, s, 4)
        if (_name_like(body[s:e]) and not _names_a_unit(body[s:e])) or INITIALS.fullmatch(body[s:e]):
            out.append(Mention(s, e, body[s:e], "person", rule=rule.id))
    return out


def _listed(ctx: Context, runs: list[tuple[int, int]], known: list[Mention]) -> list[Mention]:
    """Names listed after an introducing word and a colon, each with or without its title."""
    f, out = ctx.fold, []
    by_start = dict(runs)
    have = {p.start for p in known}
    joins = tuple(f"{w} " for w in _words("person_list_join"))
    for colon in re.finditer(":", f):
        rule, m = rules.search_back("people.list", f, max(0, colon.start() - 40), colon.end())
        if m is None:
            continue
        pos = colon.end()
        while True:
            while pos < len(f) and f[pos] in " \n":
                pos += 1
            pos = _without_honorific(ctx.body, pos)
            if pos not in by_start:
                break
            p = _mention(ctx, pos, by_start[pos])
            if pos not in have:
                p.rule = "+".join(x for x in (rule.id, p.rule) if x)
                out.append(p)
            pos = max(p.end, p.title_end)
            sep = re.match(r"\s*[,;]\s*", f[pos:pos + 4])
            if sep:
                pos += sep.end()
            elif f.startswith(joins, pos + 1) and f[pos] == " ":
                pos = f.index(" ", pos + 1) + 1
            else:
                break
    return out


def _closing_line(body: str) -> tuple[int, str]:
    """The last line, joined to the line before when a byline was broken across them ('Hoài Thương - Ủy' / 'ban …')."""
    lines = body.split("\n")
    last = lines[-1] if lines else ""
    start = len(body) - len(last)
    if len(lines) > 1 and last[:1].islower() and len(lines[-2].split()) <= 6 \
            and not re.search(r"[.!?:]\s*$", lines[-2]):
        start -= len(lines[-2]) + 1
        last = lines[-2] + " " + last
    return start, last


def _bylines(ctx: Context) -> list[Mention]:
    body = ctx.body
    out = _labelled_bylines(ctx)
    last_start, last = _closing_line(body)
    # '(Ngọc Bé)' closing the last paragraph
    pm = re.search(r"\(([^()]{3,40})\)\s*$", last)
    if pm and _name_like(pm.group(1)):
        out.append(Mention(last_start + pm.start(1), last_start + pm.end(1), pm.group(1), "person"))
    # '... năm 2021./. Ngọc Pháp'
    sm = re.search(r"\./\.\s+([^.]{3,40})$", last)
    if sm and _name_like(sm.group(1).strip()):
        s = last_start + sm.start(1)
        out.append(Mention(s, s + len(sm.group(1).strip()), sm.group(1).strip(), "person"))
    # a short last line: 'Hà Dung', 'PHÚC HIẾU', 'Đức Minh, Thiên Thanh', 'Thanh Tình - Văn phòng Sở', 'T.VĂN'
    prefixes = "|".join(re.escape(w) for w in sorted(_words("byline_prefix"), key=len, reverse=True))
    pm2 = re.match(rf"(?:{prefixes})\s+(?=[A-ZĐÀ-Ỹ])", last, re.I)
    if pm2 and len(last.split()) <= 8:  # 'Theo Thu Hà': the name after the prefix
        last_start, last = last_start + pm2.end(), last[pm2.end():]
    parts = re.split(r"\s+[-–]\s+", OUTLET.sub("", last))
    line = parts[0]
    if len(line.split()) <= 8 and not re.search(r"[.!?:]\s*$", last) or INITIALS.fullmatch(last):
        # 'Minh Thu (TTXVN)', 'Hà An - Thu Trang', 'Thanh Tình - Văn phòng Sở': names, not their outlet or office
        joins = "|".join(re.escape(w) for w in sorted(_words("byline_join"), key=len, reverse=True))
        split = re.compile(rf"\s*,\s*|\s+(?:{joins})\s+", re.I)
        names = [q for p in parts for q in split.split(BRACKET_END.sub("", p)) if q]
        for part in names:
            s = last_start + last.find(part)
            if (_name_like(part) and _pos_is_name(part)) or INITIALS.fullmatch(part):
                out.append(Mention(s, s + len(part), part, "person"))
    return out


def _short_forms(records: dict[str, Person]) -> dict[str, Person]:
    """'Phạm Đăng' in a caption is 'Phạm Đăng Quyền' named in full elsewhere: keep the full name only."""
    keys = list(records)
    return {k: p for k, p in records.items() if not any(o != k and o.startswith(k + " ") for o in keys)}


def _records(ctx: Context, people: list[Mention]) -> list[Person]:
    """One record per name (folded): the longest title written for it; short forms of a full name dropped."""
    records: dict[str, Person] = {}
    for p in people:
        k = fold(p.name)
        if k in records:
            if p.title and len(p.title) > len(records[k].title or ""):
                records[k].title = p.title
            continue
        records[k] = Person(tidy_name(p.name), p.title, ctx.evidence(p.start, p.end), rule=p.rule)
    return list(_short_forms(records).values())


def extract(ctx: Context) -> None:
    runs = _name_runs(ctx)
    mentions = _person_mentions(ctx, runs)
    mentions += _title_before(ctx, mentions, runs)
    mentions += _listed(ctx, runs, mentions)
    excluded = {fold(n) for n in gazetteers.people_not()}
    mentions = [p for p in mentions if fold(p.name) not in excluded]
    agency_spans = [(a.start, a.end) for a in ctx.agencies]
    bylines = [b for b in _bylines(ctx) if not any(s <= b.start < e for s, e in agency_spans)]
    closing, last = _closing_line(ctx.body)
    closing = closing if len(last.split()) <= 10 else len(ctx.body)
    for p in mentions:
        if "people.affiliation" in (p.rule or "") and p.start >= closing:
            p.title, p.title_end = None, p.end  # a byline's office is not a title ('Thu Hà - Văn phòng Sở')
    ctx.people = mentions + bylines
    ctx.records["people"] = _records(ctx, ctx.people)
    if bylines and not ctx.meta.author:
        ctx.meta.author = tidy_name(bylines[-1].name)
