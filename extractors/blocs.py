"""Blocs: each khối / cụm thi đua named in the body, written once in its fullest form.

Where a name starts ('Khối' / 'Cụm', an optional 'thi đua', an optional number 'số II') is phrasing:
rules in gazetteers/rules/blocs.tsv. Where it ends is the name-extent mechanism here, driven by
Vietnamese orthography and the word lists of gazetteers/blocs.tsv: a name runs over capitalised
components and the lower-case words inside them ('Khối thi đua Văn hóa - xã hội'), over 'và' before a
capital or 'các', over a comma before a listed continuation ('các huyện đồng bằng, thị xã, thành phố'),
and stops at a stop word, a province, a year, or punctuation. The stop words are those of every name
(gazetteers/name_stops.tsv end, end2) and a few of blocs.tsv, less the words a bloc's descriptive name
holds (blocs.tsv keep: 'trực thuộc Sở', 'tham mưu', 'về văn hóa'). The walk itself is not names.walk: a
bloc's name describes its members in lower case and runs on over their agencies' names ('Khối thi đua các
đơn vị sự nghiệp thuộc Sở Văn hóa, Thể thao và Du lịch'), where an agency's name ends. Mentions of one bloc are merged (one name's
words a subset of the other's, the same number, an abbreviation 'VH-XH', or apposition 'Khối VI- Khối
thi đua ...'); blocs with different numbers stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import gazetteers
from extractors import rules
from extractors.common import Context
from extractors.records import Bloc
from gazetteers.textnorm import fold, tidy_name

# a separator (spaces, a dash, a comma, '&', a line break) and the next word
STEP = re.compile(r"([^\S\n]*(?:[-,&][^\S\n]*|\n[^\S\n]*)?)([\w'’]+)")
NUMERIC = re.compile(r"^(?:\d{1,3}|[ivxl]{1,6})$")
MAX_WORDS = 22
MAX_LOWER_RUN = 7  # lower-case words after a capitalised one before the name is taken to have ended


@dataclass
class BlocMention:
    start: int
    end: int
    name: str
    key: frozenset[str]
    has_td: bool
    number: str | None
    rule: str
    compact: str = ""
    members: list = field(default_factory=list)


class Words:
    """The word lists of gazetteers/blocs.tsv (and the head words of gazetteers/rules/words_blocs.tsv), folded."""

    def __init__(self, lists: dict[str, tuple[str, ...]]):
        self.lists = lists
        self.sets = {k: frozenset(v) for k, v in lists.items()}
        self.rx = {k: re.compile("(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in v) + r")(?!\w)")
                   for k, v in lists.items() if v}

    def has(self, kind: str, word: str) -> bool:
        return word in self.sets[kind]

    def starts(self, kind: str, f: str, pos: int) -> str | None:
        """The phrase of a list that starts at `pos` as whole words (any spacing), longest first."""
        rx = self.rx.get(kind)
        m = rx.match(f, pos) if rx else None
        return m.group(0) if m else None


@cache
def words() -> Words:
    lists = {k: tuple(sorted({fold(x) for x in v}, key=len, reverse=True)) for k, v in gazetteers.bloc_words().items()}
    # the stop words of every name (gazetteers/name_stops.tsv) end a bloc's name too, except the words a
    # bloc's descriptive name holds ('các đơn vị trực thuộc Sở', 'các huyện đồng bằng')
    ends, keep = gazetteers.name_stops(), set(lists.get("keep", ()))
    for k, common in (("stop", "end"), ("stop_bigram", "end2")):
        both = {fold(x) for x in ends.get(common, ())} | set(lists.get(k, ()))
        lists[k] = tuple(sorted(both - keep, key=len, reverse=True))
    for k in ("first_word", "generic", "stop", "stop_bigram", "noun_after", "and_next", "comma_next",
              "comma_cap_after", "after_number", "tinh_keep", "not_before", "not_after", "context"):
        lists.setdefault(k, ())
    for k in ("number_unit", "bloc_head"):
        lists[k] = tuple(sorted({fold(x) for x in rules.word_lists("blocs").get(k, ())}, key=len, reverse=True))
    return Words(lists)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, words))


@cache
def _province_lead() -> re.Pattern[str]:
    """A city's level word ending a name before the province name (blocs.tsv province_lead)."""
    return re.compile(r"(?<!,)\s+(?:" + _alternation(words().lists["province_lead"]) + r")\s*\Z")


@cache
def _year() -> re.Pattern[str]:
    """A year written after its word ('năm 2023', blocs.tsv year_word)."""
    return re.compile(r"(?:" + _alternation(words().lists["year_word"]) + r") (?:19|20)\d\d")


@cache
def _canonical_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], str]:
    """(head at the start in one case, head and 'thi đua' in any case, the province word at the end, the canonical
    'thi đua'): how a bloc's name is written once."""
    w = words()
    heads, td = w.lists["bloc_head"], w.lists["td_canonical"][0]
    one_case = re.compile(r"^(" + "|".join(re.escape(x) for h in heads for x in (h.upper(), h)) + r")\b")
    any_td = re.compile(r"^(" + _alternation(tuple(h.capitalize() for h in heads)) + r") ("
                        + _alternation((td.capitalize(), td, td.upper())) + r")\b")
    province = re.compile(r"\s+(?:" + _alternation(w.lists["province_word"]) + r")$", flags=re.I)
    return one_case, any_td, province, td


@cache
def _edges() -> tuple[re.Pattern[str], re.Pattern[str]]:
    w = words()
    before = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in w.lists["not_before"]) + r")\s+$")
    after = re.compile(r"\s+(?:" + "|".join(re.escape(p) for p in w.lists["not_after"]) + r")(?!\w)")
    return before, after


def soft_wrapped(body: str) -> bool:
    """A text hard-wrapped inside sentences (a line break before a lower-case word is common): line
    breaks that do not follow a sentence mark are spaces there."""
    breaks = re.findall(r"(?<![.!?:;…)\"”\n])[^\S\n]*\n(?!\n)\s*(.)", body)
    lower = sum(1 for c in breaks if c.islower())
    return lower >= 2 and lower * 3 >= len(breaks)


@dataclass
class _Walk:
    """The state of one name walk (extractors/blocs.py `_extent`)."""

    words: list[str] = field(default_factory=list)
    end: int = 0
    last_cap_end: int = 0
    seen_cap: bool = False
    lower_run: int = 0
    shout: bool = False  # the line is written in capitals
    provinces: object = ()  # `pos in provinces`: a province name starts there


def _sep_ok(ctx: Context, w: Words, st: _Walk, sep: str, ws: int, word: str, cap: bool, soft: bool) -> bool:
    f = ctx.fold
    if "\n" in sep and not soft:
        return False
    if "," in sep:
        if w.starts("comma_next", f, ws):
            return True
        return cap and bool(st.words) and " ".join(st.words[-2:]) in w.sets["comma_cap_after"]
    if "-" in sep:
        if w.has("bloc_head", word) or (not cap and w.has("stop", word)):
            return False  # 'Khối VI- Khối thi đua ...' is apposition, handled by merging
        return True
    return True


def _word_ok(ctx: Context, w: Words, st: _Walk, ws: int, word: str, cap: bool) -> bool | str:
    """True: the word is part of the name; False: the name ended before it; 'take2': it and the next word are."""
    if st.shout and len(word) > 1:
        cap = False  # in a headline in capitals every word looks like a name's
    found = _structure(ctx, w, st, ws, word, cap)
    return _not_stop(ctx, w, ws, word, cap) if found is None else found


def _structure(ctx: Context, w: Words, st: _Walk, ws: int, word: str, cap: bool) -> bool | str | None:
    """What the name's shape says about the word (after a number, a head, 'tỉnh', a province), or None."""
    f, body = ctx.fold, ctx.body
    prev = st.words[-1] if st.words else ""
    after = ws + len(word) + 1
    if prev and NUMERIC.match(prev) and not cap and not w.starts("after_number", f, ws):
        return False
    if w.has("bloc_head", word) and not (prev and NUMERIC.match(prev)):
        return False  # 'Khối thi đua Khối Nội chính': the inner head starts its own mention
    if w.has("province_word", word):
        if w.starts("tinh_keep", f, ws):
            return "take2"
        if after in st.provinces or not body[after:after + 1].isupper():
            return False
    if st.words and ws in st.provinces:
        return False
    if w.has("noun_after", prev):
        return True  # 'các tổ chức ...': a noun, whatever it could be elsewhere
    return None


def _not_stop(ctx: Context, w: Words, ws: int, word: str, cap: bool) -> bool:
    """The word does not end the name: no stop word or stop bigram, 'và' before a capital or 'các'."""
    f, body = ctx.fold, ctx.body
    after = ws + len(word) + 1
    nxt = STEP.match(f, ws + len(word))
    if nxt and nxt.group(1) == " " and f"{word} {nxt.group(2)}" in w.sets["stop_bigram"]:
        return False
    if w.has("and_word", word):
        return body[after:after + 1].isupper() and not w.has("bloc_head", f[after:after + 5].split(" ")[0]) \
            or bool(w.starts("and_next", f, after))
    return not (w.has("year_word", word) or (not cap and w.has("stop", word)))


def _first_ok(ctx: Context, w: Words, ws: int, word: str, cap: bool, has_td: bool, upper_head: bool) -> bool:
    if cap or NUMERIC.match(word):
        return True
    return bool(w.starts("first_word", ctx.fold, ws)) and (has_td or upper_head or w.has("first_bare", word))


class _ProvinceAt:
    """`pos in provinces`: a province name is written at pos (asked word by word, remembered)."""

    def __init__(self, f: str):
        self.f, self.seen = f, {}

    def __contains__(self, pos: int) -> bool:
        if pos not in self.seen:
            self.seen[pos] = gazetteers.province_regex().match(self.f, pos) is not None
        return self.seen[pos]


def _shouting(body: str, pos: int) -> bool:
    """The line at `pos` is written in capitals (a headline)."""
    line = body[body.rfind("\n", 0, pos) + 1:(body.find("\n", pos) + 1 or len(body) + 1) - 1]
    return len(line) > 12 and line.isupper()


def _take(st: _Walk, w: Words, word: str, end: int, cap: bool, sep: str) -> bool:
    """Add the word to the walk; False when a run of lower-case words shows the name ended at its last capital."""
    st.words.append(word)
    st.end = end
    if cap:
        st.seen_cap, st.last_cap_end, st.lower_run = True, end, 0
    elif "-" in sep or w.has("noun_after", word):
        st.lower_run = 0
    elif st.seen_cap and not w.has("and_word", word):
        st.lower_run += 1
        if st.lower_run >= MAX_LOWER_RUN:  # 'Miền núi phía Bắc' goes on; a run of lower-case words does not
            st.end = st.last_cap_end
            return False
    return True


def _extent(ctx: Context, pos: int, has_td: bool, upper_head: bool, numbered: bool, soft: bool,
            provinces: object) -> int:
    """Where the name that starts at `pos` (after the head and number) ends."""
    f, body, w = ctx.fold, ctx.body, words()
    st = _Walk(end=pos, last_cap_end=pos, shout=_shouting(body, pos), provinces=provinces)
    if numbered:
        st.words.append("1")
    while len(st.words) < MAX_WORDS:
        m = STEP.match(f, st.end)
        if not m or not m.group(1):
            break
        sep, word, ws = m.group(1), m.group(2), m.start(2)
        cap = body[ws].isupper() or body[ws].isdigit()
        if not _sep_ok(ctx, w, st, sep, ws, word, cap, soft):
            break
        if not st.words and (sep.strip(" \n") or not _first_ok(ctx, w, ws, word, cap, has_td, upper_head)):
            break
        ok = _word_ok(ctx, w, st, ws, word, cap)
        if ok is False:
            break
        end = STEP.match(f, ws + len(word)).end() if ok == "take2" else ws + len(word)
        if not _take(st, w, word, end, cap, sep):
            break
    return st.end


def _compact(name: str) -> str:
    """Initials of the identifying words, an abbreviation kept whole ('Văn hóa - Xã hội' and 'VH-XH': 'vhxh')."""
    out, ignore = [], words().sets["ignore"]
    for word in re.findall(r"[\w]+", name):
        fw = fold(word)
        if fw in ignore:
            continue
        out.append(fw if word.isupper() and len(word) <= 4 else fw[0])
    return "".join(out)


def _mention(ctx: Context, s: int, end: int, has_td: bool, number: str | None, rule: str) -> BlocMention | None:
    name_text = ctx.body[s:end]
    prov_rx = gazetteers.province_regex()
    # drop whole province names ('tỉnh Gia Lai'), not words that also occur in them ('Tây Nguyên')
    folded = prov_rx.sub(" ", fold(name_text)).replace("-", " ").replace(",", " ").replace("&", " ")
    ignore = words().sets["ignore"]
    toks = [str(int(t)) if t.isdigit() else t for t in folded.split() if t not in ignore]
    key = frozenset(toks)
    if not key or key <= words().sets["generic"]:
        return None
    has_abbr = any(x.isupper() and 2 <= len(x) <= 4 for x in re.findall(r"\w+", name_text[4:]))
    return BlocMention(s, end, name_text, key, has_td, number, rule, _compact(name_text) if has_abbr else "")


def windows(f: str, before: int, after: int) -> list[tuple[int, int]]:
    """Stretches of the text around each head word ('khối', 'cụm'), whole words: the head and role rules are
    tried only there (a scan of the whole text by every rule costs more than the rest of the extractor)."""
    heads = words().lists["bloc_head"]
    rx = _head_word_rx(heads)
    out: list[list[int]] = []
    for m in rx.finditer(f):
        lo, hi = max(0, m.start() - before), min(len(f), m.end() + after)
        while lo > 0 and not f[lo - 1].isspace():
            lo -= 1
        while hi < len(f) and not f[hi].isspace():
            hi += 1
        if out and lo <= out[-1][1]:
            out[-1][1] = hi
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


@cache
def _head_word_rx(heads: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(h) for h in heads))


def _heads(ctx: Context) -> list[tuple[int, int, str, bool]]:
    """(start, end, rule id, has 'thi đua') of each head, one per start (the longest)."""
    v = ctx.atom_view()
    before, after = _edges()
    heads = words().lists["bloc_head"]  # longest first: the shortest last
    out: dict[int, tuple[int, int, str, bool]] = {}
    found = [x for lo, hi in windows(ctx.fold, 0, 40) for x in rules.finditer("blocs.head", v, lo, hi)]
    for r, m in found:
        s = m.start()
        head = len(next((h for h in heads if ctx.fold.startswith(h, s)), heads[-1]))  # the head word's length
        if s in out or before.search(ctx.fold, max(0, s - 30), s) or after.match(ctx.fold, s + head):
            continue
        out[s] = (s, m.end(), r.id, r.id.endswith(".td"))
    return sorted(out.values())


def _number(ctx: Context, pos: int) -> tuple[int, str | None, str | None]:
    """(end, number, rule id) of the bloc's number written at `pos`, if any."""
    r, m = rules.match_at("blocs.number", ctx.atom_view(), pos)
    if m is None:
        return pos, None, None
    num = m.group(0).strip().split()[-1]
    written = ctx.body[m.end() - len(num):m.end()]
    if not written[0].isdigit() and not written.isupper():
        return pos, None, None  # 'Khối vi ...' is not a roman numeral
    nxt = re.compile(r"\s*([\w%]+(?:\s+\w+)?)").match(ctx.fold, m.end())
    if r.id.endswith(".bare") and nxt and not _year().fullmatch(nxt.group(1)) and (
            nxt.group(1).startswith("%") or any(
            nxt.group(1) == u or nxt.group(1).startswith(u + " ") for u in words().lists["number_unit"])):
        return -1, None, None  # 'Khối thi đua 6 tháng đầu năm': a period, and no bloc named
    return m.end(), str(int(num)) if num.isdigit() else num, r.id


def _scan(ctx: Context) -> list[BlocMention]:
    heads = _heads(ctx) if any(h in ctx.fold for h in words().lists["bloc_head"]) else []
    if not heads:
        return []
    w = words()
    soft = soft_wrapped(ctx.body)
    context = any(c in ctx.fold for c in w.lists["context"])
    provinces = _ProvinceAt(ctx.fold)
    out: list[BlocMention] = []
    last_end = -1
    for s, pos, rid, has_td in heads:
        if s < last_end:
            continue  # 'Cụm thi đua số 1 khối các huyện': the inner head is part of this name
        upper_head = ctx.body[s].isupper()
        npos, number, nrule = _number(ctx, pos)
        if npos < 0:
            continue
        if not (has_td or context or (upper_head and number is not None)):
            continue  # a bare 'Khối …' names a bloc only in an article about blocs
        end = _extent(ctx, npos, has_td, upper_head, number is not None, soft, provinces)
        lead = _province_lead().search(ctx.fold, s, end)
        if lead and gazetteers.province_regex().match(ctx.fold, end + 1):
            end = lead.start()  # '... Nội chính thành phố Cần Thơ': the province is dropped with its word
        rule = rid if nrule is None else f"{rid}+{nrule}"
        m = _mention(ctx, s, end, has_td, number, rule)
        if m:
            out.append(m)
            last_end = end
    return out


def _canonical(m: BlocMention) -> str:
    one_case, any_td, province, td = _canonical_rx()
    name = province.sub("", tidy_name(m.name))
    if name.isupper():  # a headline in capitals
        name = name.capitalize()
    name = one_case.sub(lambda x: x.group(0).capitalize(), name)
    name = any_td.sub(lambda x: f"{x.group(1)} {td}", name)
    if name.isupper():
        name = name.capitalize()
    return name


def _same(a: BlocMention, b: BlocMention) -> bool:
    if a.number and b.number and a.number != b.number:
        return False
    if a.key == b.key or a.key <= b.key or b.key <= a.key:
        return True
    return bool(a.compact or b.compact) and _compact(a.name) == _compact(b.name) and len(_compact(a.name)) >= 3


def _merge_apposition(ctx: Context, clusters: list[list[BlocMention]]) -> None:
    """'Khối VI- Khối thi đua cơ quan cấp tỉnh': two names of one bloc side by side."""
    merged = True
    while merged:
        merged = False
        for a in clusters:
            for b in clusters:
                if a is not b and any(re.fullmatch(r"\s*[-–:]\s*", ctx.body[x.end:y.start]) for x in a for y in b):
                    a.extend(b)
                    clusters.remove(b)
                    merged = True
                    break
            if merged:
                break


def extract(ctx: Context) -> None:
    clusters: list[list[BlocMention]] = []
    for m in _scan(ctx):
        for c in clusters:
            if all(_same(m, o) for o in c if o.number and m.number) and any(_same(m, o) for o in c):
                c.append(m)
                break
        else:
            clusters.append([m])
    _merge_apposition(ctx, clusters)
    blocs = []
    ctx.blocs = []
    for c in clusters:
        best = max(c, key=lambda m: (m.number is not None, m.has_td, len(m.key), -m.start))
        name = _canonical(best)
        first = min(c, key=lambda m: m.start)
        blocs.append(Bloc(name, ctx.evidence(first.start, first.end),
                          aliases=sorted({_canonical(m) for m in c} - {name}), rule=best.rule))
        for m in c:
            ctx.blocs.append((m.start, m.end, name))
    ctx.records["blocs"] = blocs
