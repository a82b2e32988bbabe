"""Agencies: gazetteer matching on the fold view, abbreviation expansion, list expansion.

Three matchers feed one list of mentions: named agencies from gazetteers/agencies.tsv
(with '*' open names whose extent extractors/names.py walks, '~' locality-bound heads, and
flags), 'Sở <field>' from gazetteers/departments.tsv, and 'UBND <huyện|xã ...> <Name>'. Lists
are expanded item by item: after the phrasings of gazetteers/rules/agencies.tsv ('gồm 5 đơn vị:',
'các Sở:', 'UBND các huyện: A, B và thị xã C', 'các phòng: ...'), and where one head serves
several names ('Huyện ủy A, B và Thị ủy C', 'Sở Nội vụ, Tài chính'). Authorities are listed only
as organisers (rules agencies.organiser); party, Front and mass bodies only when used (award,
role) or named as bloc members. Names are written in the expanded official form, province dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import gazetteers
from extractors import names, rules
from extractors.common import Context, Mention
from gazetteers.textnorm import ascii_fold, flex_pattern, fold, key, tidy_name


@dataclass(frozen=True)
class _Vocab:
    """The heads, level words and connector of gazetteers/rules/words_agencies.tsv and name_stops.tsv `locality`, and
    the regexes built on them once."""

    so: str  # 'Sở'
    committee: tuple[str, ...]  # 'Ủy ban nhân dân', 'UBND'
    organiser_heads: dict[str, str]  # rule group -> head
    organiser_levels: tuple[tuple[str, re.Pattern[str]], ...]  # in the order tried; the first when none is written
    province_levels: tuple[str, ...]  # written in full: 'tỉnh', 'thành phố'
    central: str  # 'Trung ương'
    default_level: str  # 'huyện'
    and_word: str  # 'và'
    newspaper: str  # 'Báo'
    short: dict[str, str]  # 'tp' -> 'thành phố'
    levels_rx: str  # the province levels as written (fold view)
    unit_kinds_rx: str  # the local government levels and every short form as written (fold view)
    district_rx: str  # the district levels as written (fold view)
    loc_kind: re.Pattern[str]
    kind: re.Pattern[str]
    trailing_locality: re.Pattern[str]
    province_prefix: re.Pattern[str]
    province_suffix: re.Pattern[str]
    list_gap: re.Pattern[str]
    and_sep: re.Pattern[str]
    item_sep: re.Pattern[str]


def _pairs(words: tuple[str, ...]) -> dict[str, str]:
    """A list of 'a=b' entries as a dict."""
    return dict(w.split("=", 1) for w in words)


def _alternation(words: tuple[str, ...], short: dict[str, str]) -> str:
    """The level words as written in the fold view: a short form with its dot (optional unless the list writes it)."""
    return "|".join(re.escape(fold(w)) + (r"\.?" if w in short else "") for w in words)


@cache
def _vocab() -> _Vocab:
    """The lists read and their regexes built once; a short form's dot is optional as in the file's note."""
    w = rules.word_lists("agencies")
    short_written = _pairs(w["locality_short"])
    short = {k.rstrip("."): v for k, v in short_written.items()}
    locality = gazetteers.name_stops()["locality"]
    full_localities = [x for x in locality if x not in short]
    province_levels = tuple(x for x in w["province_level"] if x not in short)
    and_word = re.escape(fold(w["item_and"][0]))
    locality_rx = _alternation(locality, short)
    return _Vocab(
        so=w["department_head"][0], committee=w["committee_head"], organiser_heads=_pairs(w["organiser_head"]),
        organiser_levels=tuple((x, re.compile(r"(?<!\w)" + re.escape(fold(x)) + r"(?!\w)")) for x in w["organiser_level"]),
        province_levels=province_levels, central=w["central_level"][0], default_level=w["default_level"][0],
        and_word=w["item_and"][0], newspaper=w["newspaper_head"][0], short=short,
        levels_rx=_alternation(w["province_level"], short),
        unit_kinds_rx=_alternation(tuple(dict.fromkeys([*locality, *short_written])), short),
        district_rx=_alternation(w["district_level"], short),
        loc_kind=re.compile(r"\s+(" + locality_rx + r")\s+"),
        kind=re.compile(r"(" + locality_rx + r")\s+"),
        trailing_locality=re.compile(r"\s(?:" + "|".join(map(re.escape, full_localities)) + r")((?:\s+\w+){1,4})$"),
        province_prefix=re.compile(r"^(?:" + "|".join(map(re.escape, province_levels)) + r")\s*"),
        province_suffix=re.compile(r" (?:" + "|".join(re.escape(fold(x)) for x in province_levels) + r")$"),
        list_gap=re.compile(r"[ \t]*(?:,|;|,?[ \t]+" + and_word + r")[ \t]+\Z"),
        and_sep=re.compile(r"\s*(,|;|\b" + and_word + r"\b)\s*"),
        # between list items: ',' ';' 'và', after an optional remark in brackets ('Y tế (Khối phó), Tư pháp')
        item_sep=re.compile(r"(?:\s*\([^()\n]{0,40}\))?\s*(?:[,;]+|\b" + and_word + r"\b)\s*"),
    )


@cache
def _compiled():
    pats = gazetteers.agency_patterns()
    by_key = {}
    for p in pats:
        by_key.setdefault(key(p.pattern), p)
    fixed_alts = sorted({flex_pattern(p.pattern) for p in pats}, key=len, reverse=True)
    depts = gazetteers.departments()
    dept_key = {}
    for canon, variants in depts:
        for v in variants:
            dept_key.setdefault(key(v), canon)
    dept_alts = sorted({flex_pattern(v) for _, vs in depts for v in vs}, key=len, reverse=True)
    dept = "(?:" + "|".join(dept_alts) + ")"
    for canon, shorts in gazetteers.department_short_forms():
        for v in shorts:
            dept_key.setdefault(key(v), canon)
    short_alts = sorted({flex_pattern(v) for _, vs in gazetteers.department_short_forms() for v in vs}, key=len,
                        reverse=True)
    dept_so = "(?:" + "|".join(dept_alts + short_alts) + ")" if short_alts else dept
    # grouped by first character, the word-boundary check after it: the regex engine skips ahead (~0.5 ms an article)
    fixed = re.compile(rules.grouped_alternation(fixed_alts)[0] + r"(?!\w)")
    v = _vocab()
    head = fold(v.so)
    so = re.compile(re.escape(head) + r"(?<!\w" + "." * len(head) + r")\s+(?P<d>" + dept_so + r")(?!\w)")
    dept_only = re.compile(r"(?P<d>" + dept + r")(?!\w)")
    prov = gazetteers.province_alternation()
    loc = re.compile(r"\s+(?:(?P<lvl>" + v.levels_rx + r")(?:\s+(?P<p1>" + prov + r"))?|(?P<p2>" + prov + r")"
                     r"|(?P<tw>" + re.escape(fold(v.central)) + r"))(?!\w)")
    ubnd = re.compile(rules.grouped_alternation([re.escape(fold(x)) for x in v.committee])[0]
                      + r"\s+(?P<k>" + v.unit_kinds_rx + r")(?:\s+|(?<=\.))(?=\S)")
    return by_key, dept_key, fixed, so, dept_only, loc, ubnd


def _proper_name(ctx: Context, pos: int, max_words: int = 12, allow_and: bool = True, lower_ok: bool = True,
                 lower_first_ok: bool = False) -> int:
    """End offset of the name starting at pos (extractors/names.py walks it)."""
    return names.walk(ctx.body, ctx.fold, pos, max_words, allow_and=allow_and, lower_ok=lower_ok,
                      lower_first_ok=lower_first_ok)


def _locality(ctx: Context, end: int):
    """(span end, suffix to keep) for 'tỉnh X' / 'X' (province dropped) or 'huyện Y' (kept)."""
    *_, loc, _u = _compiled()
    v = _vocab()
    m = loc.match(ctx.fold, end)
    if m and m.group("tw"):  # 'Ban Thi đua - Khen thưởng Trung ương'
        return m.end(), v.central
    city = m and m.group("lvl") and m.group("lvl") != v.province_levels[0] and not m.group("p1")
    if m and (m.group("lvl") or m.group("p2")) and not (city and v.loc_kind.match(ctx.fold, end)
                                                        and ctx.body[m.end() + 1:m.end() + 2].isupper()):
        lvl = m.group("lvl")
        return m.end(), (_kind_name(lvl) if lvl else "")
    m = v.loc_kind.match(ctx.fold, end)
    if m and ctx.body[m.end():m.end() + 1].isupper():
        name_end = _proper_name(ctx, m.end(), 4, allow_and=False, lower_ok=False)
        return name_end, tidy_name(ctx.body[end + 1:name_end])
    return end, None


def _mention(ctx: Context, start: int, end: int, name: str, cls: str, type_: str | None = None) -> Mention:
    m = Mention(start, end, tidy_name(name), "agency", cls, type=type_)
    # the province written right after the name, kept aside (names drop it; recipients may need it)
    tail = gazetteers.province_regex().search(ctx.fold, max(start, end - 40), end)
    if tail and tail.end() == end:
        m.province = tidy_name(ctx.body[tail.start():tail.end()])
    return m


def _match_fixed(ctx: Context, m: re.Match, in_list: bool = False) -> Mention | None:
    by_key, *_ = _compiled()
    p = by_key.get(key(m.group(0)))
    if p is None:
        return None
    end = m.end()
    if p.open_name:
        loc_end, suffix = _locality(ctx, end)
        if suffix:  # 'Ban Quản lý rừng phòng hộ huyện Bắc Trà My'
            return _mention(ctx, m.start(), loc_end, p.canonical + " " + suffix, p.agency_class, p.canonical)
        # 'Trường Trung cấp nghề thanh niên dân tộc Phú Yên' may go on in lower case; 'Trung tâm hội nghị' may not
        name_end = _proper_name(ctx, end, lower_first_ok="lower" in p.flags)
        if name_end == end:
            written = ctx.body[m.start():end].split()
            if len(written) > 2 and names.capitalised(written[-1]):  # 'Trường Cao đẳng Nghề' names itself
                return _mention(ctx, m.start(), end, gazetteers.expand_abbreviations(ctx.body[m.start():end]),
                                p.agency_class, p.canonical)
            return None
        proper = ctx.body[end:name_end]
        return _mention(ctx, m.start(), name_end, p.canonical + " " + gazetteers.expand_abbreviations(proper),
                        p.agency_class, p.canonical)
    if "bare" in p.flags and (t := names.next_word(ctx.body, end)) and names.capitalised(t):
        return None  # 'Chánh Văn phòng Sở Tư pháp': the Sở is named, not 'Văn phòng Sở'
    loc_end, suffix = _locality(ctx, end)
    if p.needs_locality and suffix is None and not in_list:
        return None
    name = p.canonical + (" " + suffix if suffix else "")
    if p.agency_class == "authority":
        levels = _vocab().province_levels
        if suffix and suffix not in (*levels, ""):
            return None  # 'UBND huyện X' is handled by the locality matcher
        # an authority keeps its province: it is never an agency record, but may hold a Cụm role
        written = tidy_name(ctx.body[end:loc_end]) if loc_end > end else ""
        return _mention(ctx, m.start(), loc_end, (p.canonical + " " + _vocab().province_prefix.sub("", written)).strip()
                        if written and written not in levels else p.canonical, "authority", p.canonical)
    return _mention(ctx, m.start(), loc_end, name, p.agency_class, p.canonical)


def _match_so(ctx: Context, m: re.Match) -> Mention:
    _, dept_key, *_ = _compiled()
    canon = dept_key.get(key(m.group("d")), m.group("d"))
    loc_end, suffix = _locality(ctx, m.end())
    so = _vocab().so
    return _mention(ctx, m.start(), loc_end, f"{so} {canon}", "state", so)


def _of_so(ctx: Context, a: Mention) -> Mention:
    """'Thanh tra Sở Xây dựng': a unit of a Sở written before it (agencies.tsv flag 'of_so') is one agency."""
    by_key, *_ = _compiled()
    for p in gazetteers.agency_patterns():
        if "of_so" in p.flags:
            m = re.compile(r"(?<!\w)" + flex_pattern(p.pattern) + r"\s+\Z").search(ctx.fold, max(0, a.start - 40), a.start)
            if m and ctx.body[m.start()].isupper():
                b = _mention(ctx, m.start(), a.end, f"{p.canonical} {a.name}", p.agency_class, p.canonical)
                return b
    return a


def _locality_name_end(ctx: Context, pos: int) -> int:
    return _proper_name(ctx, pos, 4, allow_and=False, lower_ok=False)


def _scan_ubnd(ctx: Context, at: int | None = None) -> list[Mention]:
    """'UBND huyện X' (and 'UBND huyện A, B và C'); only the one written at `at` when given."""
    *_, ubnd = _compiled()
    committee = _vocab().committee
    out = []
    for m in (ubnd.finditer(ctx.fold) if at is None else filter(None, [ubnd.match(ctx.fold, at)])):
        if ctx.body[m.end()].isupper():
            end = _locality_name_end(ctx, m.end())
            kind = _kind_name(m.group("k"))
            full, short = committee[0], committee[-1]
            a = _mention(ctx, m.start(), end, f"{full} {kind} {ctx.body[m.end():end]}", "state", f"{full} {kind}")
            out.append(a)
            head = gazetteers.AgencyPattern(f"{short} {kind}", "state", a.type, True, flags=frozenset({"list"}))
            out.extend(_shared_head(ctx, a, head))
    return out


def _merge(found: list[Mention]) -> list[Mention]:
    """Overlaps: the longest mention wins; the same span found twice keeps what each reading knew."""
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[Mention] = []
    for a in found:
        if out and (a.start, a.end) == (out[-1].start, out[-1].end):
            b = out[-1]
            b.used, b.in_member_list = b.used or a.used, b.in_member_list or a.in_member_list
            b.siblings, b.rule = max(b.siblings, a.siblings), b.rule or a.rule
        elif out and a.start < out[-1].end:
            if a.end - a.start > out[-1].end - out[-1].start and a.start == out[-1].start:
                out[-1] = a
        else:
            out.append(a)
    return out


def _common_noun(ctx: Context, at: int) -> bool:
    """A head written in lower case after a word that makes it a common noun or a plural ('cơ sở Kế hoạch số ...',
    'các trường Đại học và Cao đẳng'): name_stops.tsv 'before_lower'."""
    prev = ctx.fold[max(0, at - 12):at].split()
    return bool(prev) and prev[-1] in names.stops().before_lower


def _head_written(ctx: Context, m: re.Match) -> bool:
    """A head capitalised, or written in lower case before a capitalised word of the name ('trường THCS Lộc Sơn',
    'bệnh viện Đa khoa'); a lower-case one-word head alone is a common noun ('phòng họp')."""
    body = ctx.body
    if body[m.start()].isupper():
        return True
    written = body[m.start():m.end()].split()
    if _common_noun(ctx, m.start()):
        return False
    if len(written) < 2:  # 'phòng Nội vụ huyện X': a one-word head before a department's field
        *_, dept_only, _loc, _u = _compiled()
        at = m.end() + 1
        return body[at:at + 1].isupper() and bool(dept_only.match(ctx.fold, at))
    return any(names.capitalised(w) for w in written[1:]) or names.capitalised(names.next_word(body, m.end()))


def scan(ctx: Context) -> list[Mention]:
    by_key, _dk, fixed, so, *_ = _compiled()
    f, body = ctx.fold, ctx.body
    found = [_of_so(ctx, _match_so(ctx, m)) for m in so.finditer(f)
             if body[m.start()].isupper() or (body[m.start("d")].isupper() and not _common_noun(ctx, m.start()))]
    found += [a for m in fixed.finditer(f) if _head_written(ctx, m) and (a := _match_fixed(ctx, m))]
    found += _scan_ubnd(ctx)
    for a in [a for a in found if a.type == _vocab().so]:  # 'Sở Nội vụ, Tài chính và Tư pháp'
        found.extend(_so_list(ctx, a))
    found += _unit_lists(ctx) + _head_lists(ctx)
    for a in list(found):  # 'Huyện ủy A, B và C'
        p = by_key.get(key(a.type or ""))
        if p is not None and "list" in p.flags and a.type == p.canonical:
            found.extend(_shared_head(ctx, a, p))
    found += _member_lists(ctx)
    return _written_lists(ctx, _merge(found))


def _written_lists(ctx: Context, found: list[Mention]) -> list[Mention]:
    """Units written one after another ('Hội Cựu chiến binh, Hội Nông dân, Tỉnh đoàn và ...') are siblings of a
    list of that many units (party, Front and mass bodies in a list are bloc members in an article about a bloc);
    only a list of such bodies alone counts: one mixed with state units or authorities names guests, organisers or
    conferrers ('Tham dự: Liên đoàn Lao động, Đảng ủy Khối, Ban Thi đua - Khen thưởng tỉnh')."""
    group: list[Mention] = []
    gap = _vocab().list_gap
    for a in found + [None]:
        if a is not None and group and gap.match(ctx.body[group[-1].end:a.start]):
            group.append(a)
            continue
        if len(group) > 1 and all(g.agency_class == "member" for g in group):
            for g in group:
                g.siblings = max(g.siblings, len(group))
        group = [a] if a is not None else []
    return found


def _kind_written(ctx: Context, name: str) -> str | None:
    """The level written with a locality elsewhere in the text ('TP Quy Nhơn' -> 'thành phố')."""
    m = re.search(r"(?<!\w)(" + _vocab().district_rx + r")\s+" + re.escape(ctx.fold[0:0] + name.lower()) + r"(?!\w)",
                  ctx.fold)
    return _kind_name(m.group(1)) if m else None


def _kind_name(k: str) -> str:
    """The level as written in full ('TP.' -> 'thành phố', 'TX.' -> 'thị xã', 'H.' -> 'huyện')."""
    return _vocab().short.get(k.rstrip(".").strip(), k)


def _unit_head(written: str) -> tuple[str, str]:
    """(canonical head, class) of 'UBND' / 'Ủy ban MTTQ Việt Nam' standing before a list of localities."""
    by_key, *_ = _compiled()
    p = by_key.get(key(written))
    if p and p.agency_class != "authority":
        return p.canonical, p.agency_class
    return tidy_name(gazetteers.expand_abbreviations(written)), "state"


def _unit_lists(ctx: Context) -> list[Mention]:
    """'UBND các huyện: A, B và thị xã C', 'UBND 06 đơn vị ... gồm: A, B' (gazetteers/rules/agencies.tsv)."""
    out, v = [], _vocab()
    for rule, m in rules.finditer("agencies.unit_list", ctx.atom_view()):
        head, cls = _unit_head(ctx.body[m.start("head"):m.end("head")])
        kinds = [k.strip() for k in (m.groupdict().get("kind") or "").split(",")]
        default = _kind_name(kinds[0]) if len(kinds) == 1 else None
        pos = m.end()
        while pos < len(ctx.body):
            while ctx.body[pos:pos + 1].isspace():
                pos += 1
            written = None
            if km := v.kind.match(ctx.fold, pos):
                written, pos = _kind_name(km.group(1)), km.end()
                default = written
            if not ctx.body[pos:pos + 1].isupper() or names.starts_agency(ctx.fold, pos):
                break
            end = _locality_name_end(ctx, pos)
            if end == pos:
                break
            name = tidy_name(ctx.body[pos:end])
            kind = written or _kind_written(ctx, name) or gazetteers.district_kind(ctx.meta.province, name) \
                or default or v.default_level
            a = _mention(ctx, pos, end, f"{head} {kind} {name}", cls, f"{head} {kind}")
            a.rule = rule.id
            a.siblings = 2
            out.append(a)
            sep = v.and_sep.match(ctx.fold, end)
            if not sep:
                break
            pos = sep.end()
    return out


def _head_lists(ctx: Context) -> list[Mention]:
    """'các phòng: Nội vụ, Tài chính - Kế hoạch và Tư pháp' (rules agencies.head_list): one unit per name."""
    by_key, dept_key, _f, _so, dept_only, *_ = _compiled()
    f, body = ctx.fold, ctx.body
    out = []
    for rule, m in rules.finditer("agencies.head_list", ctx.atom_view()):
        written = body[m.start("head"):m.end("head")]
        head = written[:1].upper() + written[1:]
        pat = next((p for p in gazetteers.agency_patterns() if p.open_name and key(p.pattern) == key(head)), None)
        cls = pat.agency_class if pat else "state"
        pos, items = m.end(), []
        if "first" in m.re.groupindex:  # 'các trường THPT A, THPT B': the first name starts with its level
            if not body[m.end("first") + 1:m.end("first") + 2].isupper():
                continue  # 'các trường Tiểu học trên địa bàn' names no school
            pos = m.start("first")
        while pos < len(f):
            while body[pos:pos + 1].isspace():
                pos += 1
            if not body[pos:pos + 1].isupper() or names.starts_agency(f, pos):
                break
            end = _proper_name(ctx, pos, 6, allow_and=False)
            name = gazetteers.expand_abbreviations(body[pos:end])
            d = dept_only.match(f, pos)
            if d and d.end() >= end and (canon := dept_key.get(key(d.group("d")))):
                end, name = d.end(), canon  # a known field, written any way ('Giáo dục và Đào tạo')
            if end == pos:
                break
            loc_end, suffix = _locality(ctx, end)
            a = _mention(ctx, pos, loc_end, f"{head} {name}" + (f" {suffix}" if suffix else ""), cls, head)
            a.rule = rule.id
            items.append((a, suffix))
            sep = _vocab().item_sep.match(f, loc_end)
            if not sep:
                break
            pos = sep.end()
        out += _shared_locality(items)
    return out


def _shared_locality(items: list[tuple[Mention, str | None]]) -> list[Mention]:
    """'các phòng: Nội vụ, Tư pháp và Y tế huyện X': the district written after the last name is every unit's."""
    if len(items) < 2:
        return [a for a, _ in items]
    trailing = _vocab().trailing_locality
    m = trailing.search(items[-1][0].name)
    if m and all(names.capitalised(w) for w in m.group(1).split()):
        for a, suffix in items[:-1]:
            if not suffix and not trailing.search(a.name):
                a.name = f"{a.name} {m.group(0).strip()}"
    return [a for a, _ in items]


def _so_list(ctx: Context, first: Mention) -> list[Mention]:
    """'Sở Nội vụ, Tài chính và Tư pháp': field names after a Sở share its head."""
    _, dept_key, _f, _so, dept_only, *_ = _compiled()
    out, pos, so = [], first.end, _vocab().so
    while (sep := _vocab().item_sep.match(ctx.fold, pos)) and "(" not in ctx.fold[pos:sep.start()]:
        m = dept_only.match(ctx.fold, sep.end())
        if not m or not ctx.body[sep.end()].isupper() or not (canon := dept_key.get(key(m.group("d")))):
            break
        loc_end, _ = _locality(ctx, m.end())
        out.append(_mention(ctx, sep.end(), loc_end, f"{so} {canon}", "state", so))
        pos = loc_end
    for a in out:
        a.in_member_list = first.in_member_list
    return out


def _tails(p) -> dict[str, object]:
    """Tail -> pattern for the heads sharing p's first word ('THPT', 'Tiểu học', 'Mầm non' after 'Trường')."""
    first = key(p.pattern).split()[0]
    out: dict[str, object] = {}
    for x in gazetteers.agency_patterns():
        words = key(x.pattern).split()
        if words[0] == first and len(words) > 1 and x.open_name and (x.canonical == p.canonical or "list" in x.flags):
            out.setdefault(" ".join(words[1:]), x)
    return out


def _skip_tail(f: str, at: int, tails: dict[str, object]):
    """(position after a head's tail written again, its pattern): 'THPT' in 'Trường THPT A, THPT B'."""
    for t in sorted(tails, key=len, reverse=True):
        if m := re.compile(flex_pattern(t) + r"\s+").match(f, at):
            return m.end(), tails[t]
    return at, None


def _shared_head(ctx: Context, first: Mention, p) -> list[Mention]:
    """'Huyện ủy A, B, C và Thị ủy D', 'Trường THPT A, THCS B và Tiểu học C': one head, several names."""
    f, v = ctx.fold, _vocab()
    tails = _tails(p)
    out, pos, repeated, last_and = [], first.end, False, False
    while True:
        sep = v.item_sep.match(f, pos)
        if not sep or "(" in f[pos:sep.start()]:
            break
        step_and = v.and_word in f[pos:sep.end()]
        at, q = _skip_tail(f, sep.end(), tails)
        repeated, q = repeated or q is not None, q or p
        if not ctx.body[at:at + 1].isupper() or names.starts_agency(f, at):
            break
        end = _proper_name(ctx, at, 5, allow_and=False, lower_ok=False)
        if end == at or gazetteers.province_regex().fullmatch(f, at, end):
            break  # 'Trường THPT A, Gia Lai' names the province, not a school
        a = _mention(ctx, at if q is p else sep.end(), end,
                     q.canonical + " " + gazetteers.expand_abbreviations(ctx.body[at:end]), q.agency_class, q.canonical)
        out.append(a)
        pos, last_and = end, step_and
    nxt = v.item_sep.match(f, pos)
    closes = bool(nxt and v.and_word in f[pos:nxt.end()] and names.starts_agency(f, nxt.end()))
    if not (out and (repeated or last_and or closes or len(out) >= 2)):
        return []
    for a in (first, *out):
        a.siblings = len(out) + 1
    return out


def _list_item(ctx: Context, pos: int) -> Mention | None:
    """The agency a member list names at pos: a bare field ('Y tế' is 'Sở Y tế'), a named agency, a Sở."""
    _bk, dept_key, fixed, so, dept_only, *_ = _compiled()
    f, body = ctx.fold, ctx.body
    m = dept_only.match(f, pos)
    if m and body[pos].isupper() and (canon := dept_key.get(key(m.group("d")))):
        loc_end, _ = _locality(ctx, m.end())
        so = _vocab().so
        return _mention(ctx, pos, loc_end, f"{so} {canon}", "state", so)
    m = fixed.match(f, pos)
    if m and body[pos].isupper() and (item := _match_fixed(ctx, m, in_list=True)):
        return item
    m = so.match(f, pos)
    if m:
        return _match_so(ctx, m)
    return None


def _member_lists(ctx: Context) -> list[Mention]:
    """Items after 'gồm:' / 'các sở:' (rules agencies.member_list); a bare field name ('Y tế') is 'Sở Y tế'."""
    by_key, *_ = _compiled()
    f, body = ctx.fold, ctx.body
    out = []
    for rule, t in rules.finditer("agencies.member_list", ctx.atom_view()):
        pos = t.end()
        while pos < len(f):
            while body[pos:pos + 1].isspace():
                pos += 1
            item = _list_item(ctx, pos)
            items = [item] if item else _scan_ubnd(ctx, pos)  # 'gồm: UBND huyện A, B và C'
            if not items:
                break
            p = by_key.get(key(items[0].type or ""))
            if p is not None and "list" in p.flags and items[0].type == p.canonical:
                items += _shared_head(ctx, items[0], p)  # 'gồm: Huyện ủy A, B và Thị ủy C'
            for item in items:
                if item.agency_class == "member":
                    item.used = True  # a bloc member
                item.in_member_list = True
                item.rule = item.rule or rule.id
                out.append(item)
            sep = _vocab().item_sep.match(f, item.end)
            if not sep:
                break
            pos = sep.end()
    return out


def extract(ctx: Context) -> None:
    ctx.agencies = scan(ctx)
    v = _vocab()
    for rule, m in rules.finditer("agencies.organiser", ctx.atom_view()):
        if "org" in m.re.groupindex:
            a = ctx.agency_at(*m.span("org"))
            if a is not None and a.agency_class == "authority":
                a.rule = rule.id  # 'UBND tỉnh tổ chức Lễ ...': the organiser is listed
            continue
        # 'Tỉnh ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam tỉnh X tổ chức Lễ ...': the council and the committee
        lvl = next((k for k, rx in v.organiser_levels if rx.search(ctx.fold[m.start():m.end()])), v.organiser_levels[0][0])
        for group, head in v.organiser_heads.items():
            canon = f"{head} {lvl}"
            s, e = m.span(group)
            a = ctx.agency_at(s, e)
            if a is None:
                ctx.agencies.append(Mention(s, e, canon, "agency", "authority", type=canon, rule=rule.id))
            elif a.agency_class == "authority":
                a.rule = rule.id
    ctx.agencies.sort(key=lambda a: a.start)


def _in_title(ctx: Context, a: Mention) -> bool:
    """Named only inside a person's title ('Phó Chủ tịch Hội đồng Thi đua - Khen thưởng tỉnh Trần Văn A')."""
    for p in ctx.people:
        if p.title and ((p.title_start >= 0 and p.title_start <= a.start and a.end <= p.start)
                        or (p.end <= a.start and a.end <= p.title_end)):
            return True
    return False


def _masthead(ctx: Context, a: Mention) -> bool:
    """The portal's own name standing as the body's first line ('Chi cục Kiểm lâm X' above its URL)."""
    head = ctx.body[:a.start]
    line_end = ctx.body.find("\n", a.end)
    if not head.strip() and not ctx.body[a.end:line_end if line_end >= 0 else len(ctx.body)].strip():
        return True
    # the newspaper that publishes the article: 'Báo Lâm Đồng' on baolamdong.vn
    host = re.sub(r"^\w+://", "", ctx.meta.url or "").split("/")[0].replace("-", "")
    return a.type == _vocab().newspaper and bool(host) and ascii_fold(a.name).replace(" ", "") in host


def _member_bloc(ctx: Context) -> bool:
    """The article is about a bloc of party, Front or mass bodies (its name has a word of @member_bloc)."""
    rx = rules.compile_pattern("@member_bloc", "agencies")
    return any(rx.search(key(name)) for _, _, name in ctx.blocs)


def _listed(ctx: Context, a: Mention, heads: list[tuple[int, int]], member_bloc: bool) -> bool:
    """Whether a mention becomes an agency record."""
    if a.agency_class == "authority" and not a.rule:
        return False
    if any(s <= a.start and a.end <= e for s, e in heads):
        return False
    if a.agency_class == "member" and not (a.used or (a.siblings > 1 and ctx.blocs)
                                           or (member_bloc and not _in_title(ctx, a))):
        # a party / Front / mass body: listed when it receives an award, holds a role, or is a bloc member
        # (named in a member list, one of a list of sibling units in an article about a bloc, or named in an
        # article about a bloc of such bodies: 'Khối thi đua các cơ quan Đảng', '... đoàn thể chính trị - xã hội')
        return False
    return not ((a.agency_class == "council" and _in_title(ctx, a)) or _masthead(ctx, a))


def records(ctx: Context):
    """Agency records, once each, in order of first mention (after roles and awards marked use)."""
    from extractors.records import Agency

    seen: dict[str, Agency] = {}
    blocs = {name for _, _, name in ctx.blocs}
    bloc = blocs.pop() if len(blocs) == 1 else None
    member_bloc = _member_bloc(ctx)
    # 'Phòng Giáo dục và Đào tạo các huyện: A, B': the head stands for the units listed, not for one of its own
    heads = [m.span("head") for _, m in rules.finditer("agencies.unit_list", ctx.fold)]  # fold: heads are atoms now
    for a in ctx.agencies:
        if not _listed(ctx, a, heads, member_bloc):
            continue
        k = key(a.name)
        k = _vocab().province_suffix.sub("", k)
        if k not in seen:
            name = a.type if a.agency_class == "authority" and a.type else a.name  # the organiser, province dropped
            seen[k] = Agency(name, ctx.evidence(a.start, a.end), type=a.type, agency_class=a.agency_class, rule=a.rule)
        if a.in_member_list and bloc:
            seen[k].member_of = bloc
    return list(seen.values())
