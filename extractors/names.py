"""The one name-span walker: where a name written after a head word ends, by Vietnamese orthography.

Official names capitalise the first syllable of each name component and not the rest: 'Chi cục
Chăn nuôi và Thú y', 'Phòng Nông nghiệp và Phát triển nông thôn huyện X', 'Ban Quản lý dự án
đầu tư xây dựng các công trình Giao thông tỉnh'. A proper name (a place or a person) capitalises
every syllable: 'Trường THPT Hàm Rồng'. So, word by word after the head:

- a capitalised word always goes on (unless it starts another agency: a head word of agencies.tsv);
- a lower-case word goes on a *field* component ('Chăn nuôi', 'Phát triển nông thôn') but ends a
  proper one ('Hàm Rồng luôn nằm' ends after 'Rồng');
- a lower-case run is provisional: it is kept when a capitalised component follows, or when it is
  short (three words) and the name ends there; a run that starts right after the head is kept only
  when a capitalised component follows ('Trường Trung cấp nghề thanh niên dân tộc Phú Yên');
- a unit word with its name ('huyện Đức Cơ', 'thành phố Tuy Hòa') closes the name;
- punctuation, a line end, and the words and phrases of gazetteers/name_stops.tsv end it.

The head words and the stop list are data; the walker serves agencies, and is written so that
blocs, recipients and conferrers can use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import gazetteers
from gazetteers.textnorm import key

_TOKEN = re.compile(r"[ \t]*\n?[ \t]*(-[ \t]*|&[ \t]*)?([\w'’]+)")
_COMMA = re.compile(r"[ \t]*,[ \t]+")
_BREAK_GAP = re.compile(r"[,;:.()\n\"“”/|!?…]")
_CITY_LEVEL = re.compile(r" phố(?!\w)")  # 'thành' + this: the province level of a centrally-run city
MAX_RUN = 8  # lower-case words a provisional run may hold
MAX_TAIL = 4  # lower-case words a name may end with
MAX_FIELD_RUN = 14  # lower-case sector words a run may hold ('dự án đầu tư xây dựng công trình dân dụng và ...')


@dataclass(frozen=True)
class Stops:
    end: frozenset[str]
    end2: frozenset[str]
    weak: frozenset[str]
    not_head: frozenset[str]
    locality: tuple[str, ...]  # one- or two-word unit words, longest first
    person: frozenset[str]  # family names that start a person after a complete proper name
    field: frozenset[str]  # lower-case syllables of the sector vocabulary that official names are made of
    before_lower: frozenset[str]  # words that make a head written in lower case a common noun or a plural
    pre_name: frozenset[str]  # lower-case words between a head and its proper name ('Trường THPT chuyên X')
    comma_pair: frozenset[str] = frozenset()  # two words a comma joins inside a name ('phòng, chống', 'cứu nạn, cứu hộ')
    keep2: frozenset[str] = frozenset()  # a stop word and the next word that make a sector term ('tham nhũng')


@cache
def stops() -> Stops:
    lists = gazetteers.name_stops()
    get = lambda k: frozenset(lists.get(k, ()))  # noqa: E731
    loc = tuple(sorted(lists.get("locality", ()), key=lambda w: -len(w.split())))
    return Stops(get("end"), get("end2"), get("weak"), get("not_head"), loc, get("person"), get("field"),
                 get("before_lower"), get("pre_name"), get("comma_pair"),
                 get("keep2"))


@cache
def _award_rx() -> re.Pattern[str]:
    """An award phrase of gazetteers/awards.tsv of two words or more ('cờ thi đua', 'bằng khen', 'huân chương')."""
    phrases = sorted({key(p) for p, _ in gazetteers.award_kinds() if " " in p.strip()}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases) + r")(?!\w)")


@cache
def _honorific_words() -> frozenset[str]:
    """One-word honorifics and degrees (gazetteers/honorifics.txt): after 'và' they start a person, not a name part."""
    return frozenset(key(h) for h in gazetteers.honorifics() if " " not in h.strip())


@cache
def heads() -> tuple[frozenset[str], frozenset[str]]:
    """(one-word heads, two-word heads) of agencies.tsv: a capitalised word starting one ends a name.

    One-word heads are the one-word patterns ('Sở', 'UBND'); longer patterns count by their first two
    words, so 'Trường Chinh' is a name and 'Trường THPT' a head."""
    one, two = set(), set()
    for p in gazetteers.agency_patterns():
        words = key(p.pattern).split()
        if len(words) == 1:
            one.add(words[0])
        else:
            two.add(" ".join(words[:2]))
    return frozenset(one | {"sở", "ubnd"}), frozenset(two)


def capitalised(w: str) -> bool:
    return bool(w) and (w[0].isupper() or w[0].isdigit())


_cap = capitalised


@cache
def _locality_rx() -> re.Pattern[str]:
    alts = "|".join(r"\s+".join(map(re.escape, u.split())) for u in stops().locality)
    return re.compile(r"[ \t]+(?:" + alts + r")\.?[ \t]+(?=\w)")


def _locality_end(body: str, fold: str, at: int) -> int:
    """End of 'huyện Đức Cơ' written at `at` (after a space), else -1."""
    m = _locality_rx().match(fold, at)
    if not m or not _cap(body[m.end():m.end() + 1]):
        return -1
    end, n = m.end(), 0
    while n < 4:
        t = _TOKEN.match(fold, end)
        if not t or t.group(1) or not _cap(body[t.start(2):t.end(2)]) or (n and t.start(2) - end != 1) or \
                "\n" in body[end:t.start(2)] or _award_rx().match(fold, t.start(2)):  # a locality's name ends with its
            # line ('… huyện Mường Chà\n2  Trường …') and before an award ('huyện Trùng Khánh Cờ thi đua …')
            break
        end, n = t.end(2), n + 1
    return end


def _words_from(fold: str, at: int, n: int) -> list[str]:
    out = []
    while len(out) < n and (m := _TOKEN.match(fold, at)):
        out.append(fold[m.start(2):m.end(2)])
        at = m.end(2)
    return out


def next_word(body: str, at: int) -> str:
    """The word written right after `at` on the same line, after spaces only ('' when none)."""
    m = re.compile(r"[ \t]+([\w'’]+)").match(body, at)
    return m.group(1) if m else ""


def _person_follows(body: str, fold: str, at: int) -> bool:
    """Two more capitalised syllables follow (a family name then given names)."""
    for _ in range(2):
        t = _TOKEN.match(fold, at)
        if not t or t.group(1) or not _cap(body[t.start(2):t.end(2)]) or t.start(2) - at != 1:
            return False
        at = t.end(2)
    return True


def starts_agency(fold: str, s: int, e: int | None = None) -> bool:
    """Whether a head word of agencies.tsv starts at s (the word ends at e)."""
    if e is None:
        m = _TOKEN.match(fold, s)
        if not m or m.start(2) != s:
            return False
        e = m.end(2)
    one, two = heads()
    wf = fold[s:e]
    nxt = _words_from(fold, e, 1)
    return (wf in one and wf not in stops().not_head) or bool(nxt and f"{wf} {nxt[0]}" in two)


@cache
def _department_keys() -> frozenset[str]:
    return frozenset(key(v) for _, vs in gazetteers.departments() for v in vs)


def _field_series(body: str, fold: str, at: int, limit: int = 12) -> bool:
    """After a comma inside a name: sector words, more commas, then 'và' and a sector word end the series
    ('Văn hóa, Thông tin và Thể thao'). A department right after the comma is a list sharing the head instead
    ('Phòng Nội vụ, Tư pháp và ...'), and any other word ends the name at the comma."""
    fw, seg, first, seen_and = stops().field, [], True, False
    for _ in range(limit):
        c = _COMMA.match(body, at)
        sep = "," if c else ""
        t = _TOKEN.match(fold, c.end() - 1 if c else at)
        if not t or t.group(1) or "\n" in body[at:t.start(2)]:
            return False
        w = fold[t.start(2):t.end(2)]
        if sep == "," or w == "và":
            if first and " ".join(seg) in _department_keys():
                return False
            first = False
            seg = []
            if w == "và":
                seen_and = True
                at = t.end(2)
                continue
        if w not in fw:
            return False
        if seen_and:
            return True
        seg.append(w)
        at = t.end(2)
    return False


class _Walk:
    """The state of one walk: the committed end, the last word read, the current lower-case run."""

    def __init__(self, body: str, fold: str, pos: int, opts: dict):
        self.body, self.fold, self.pos, self.o = body, fold, pos, opts
        self.end = self.cur = pos  # committed end / end of the last word read
        self.words = self.caps_run = self.run = 0
        self.run_weak = self.field = False
        self.run_field = True  # every word of the current lower-case run is sector vocabulary
        self.pre_weak = -1  # where a sector run stood before a weak word ('Đào tạo | các huyện')
        self.pre = 0  # pre-name words read right after the head ('chuyên')

    def gap_ends(self, s: int, e: int) -> bool:
        """Punctuation or a wide gap before the word ends the name; one line break before a lower-case
        word does not (a hard-wrapped line: 'Chi cục Chăn\nnuôi')."""
        gap = self.body[self.cur:s]
        if not (_BREAK_GAP.search(gap) or gap.count(" ") > 2):
            return False
        return not (gap.strip(" \t") == "\n" and self.words and not _cap(self.body[s:e]))

    def capital(self, m: re.Match, s: int, e: int) -> bool:
        """A capitalised word: goes on unless another agency, an award or a person starts with it."""
        if self.words and (starts_agency(self.fold, s, e) or _award_rx().match(self.fold, s)):
            return False  # 'Trường THPT Chuyên Cao Bằng Cờ thi đua …': the award is not part of the name
        if (self.caps_run >= 2 or self.run) and self.fold[s:e] in stops().person and \
                _person_follows(self.body, self.fold, e):
            return False  # after a complete name a person starts: 'Trường THPT Lê Lợi Nguyễn Văn An', 'Chi cục
            # Kiểm lâm Trần Thị Hoa' (not 'Trường THPT Chuyên Lê Quý Đôn')
        self.cur = self.end = e
        self.caps_run = 1 if m.group(1) else self.caps_run + 1
        self.run, self.run_weak, self.field = 0, False, self.caps_run == 1
        self.words += 1
        return True

    def conjunction(self, e: int) -> bool:
        """'và Thú y', 'và các Khu công nghiệp' go on; 'và Sở ...' and 'và tặng' do not."""
        t = _TOKEN.match(self.fold, e)
        if t and self.fold[t.start(2):t.end(2)] in stops().weak:
            t = _TOKEN.match(self.fold, t.end(2))
        if self.o["allow_and"] and t and not t.group(1) and self.run and self.run_field and \
                self._field_words(e, 1):
            self.run += 1  # 'Quản lý chất lượng nông lâm sản và thủy sản': the sector run goes on
            self.cur, self.words = e, self.words + 1
            return True
        ok = self.o["allow_and"] and t and not t.group(1) and self.body[t.start(2)].isupper()  # not 'và 09 cá nhân'
        if not ok or starts_agency(self.fold, t.start(2), t.end(2)) or self._capitalised_head(t) or \
                self.fold[t.start(2):t.end(2)] in _honorific_words():
            return False  # 'và ThS Lê Văn A': a person follows
        self.cur, self.caps_run, self.words = e, 0, self.words + 1
        return True

    def _capitalised_head(self, t: re.Match) -> bool:
        """'và Phòng Nghiệp vụ 2': a one-word head that is also a common word ('phòng', 'báo') starts another name
        when it is written capitalised before a capitalised word."""
        if self.fold[t.start(2):t.end(2)] not in heads()[0]:
            return False
        nxt = _TOKEN.match(self.fold, t.end(2))
        return bool(nxt and not nxt.group(1) and self.body[nxt.start(2)].isupper())

    def _field_words(self, at: int, n: int) -> bool:
        """The next n words after `at` are lower-case sector vocabulary ('và truyền thông')."""
        fw = stops().field
        for _ in range(n):
            t = _TOKEN.match(self.fold, at)
            if not t or t.group(1) or _BREAK_GAP.search(self.body[at:t.start(2)]) or \
                    _cap(self.body[t.start(2):t.end(2)]) or self.fold[t.start(2):t.end(2)] not in fw:
                return False
            at = t.end(2)
        return True

    def stop_word(self, s: int, e: int) -> bool:
        st, wf = stops(), self.fold[s:e]
        if self._keep_pair(wf, e):  # 'tham nhũng': a stop word opening a sector term
            return False
        if wf in st.end and not (wf == "làm" and self.fold[max(0, s - 5):s].strip() == "việc"):
            return True
        nxt = _words_from(self.fold, e, 1)
        return bool(nxt and f"{wf} {nxt[0]}" in st.end2)

    def lower(self, m: re.Match, s: int, e: int) -> bool:
        """A lower-case word: part of a field component, provisionally ('Chăn nuôi', 'dự án đầu tư ...')."""
        wf = self.fold[s:e]
        if self._number_word(wf, e) or self._pre_name(m, wf, e):
            return True
        if m.group(1) or (self.words == 0 and not self.o["lower_first_ok"]) or not self.o["lower_ok"]:
            return False
        if wf == "và":
            return self.conjunction(e)
        if self.stop_word(s, e):
            return False
        if self._province_word(wf, e):
            return True
        if self.caps_run >= 2:
            return False  # a proper name ends at a lower-case word ('Hàm Rồng luôn')
        return self._field_word(wf, e)

    def _number_word(self, wf: str, e: int) -> bool:
        """'số' before a number belongs to the name: 'Trường THCS số 2 Nhơn Hưng'."""
        if wf == "số" and (t := _TOKEN.match(self.fold, e)) and t.group(2)[0].isdigit() and not t.group(1):
            self.cur, self.words, self.caps_run = e, self.words + 1, 0
            return True
        return False

    def _pre_name(self, m: re.Match, wf: str, e: int) -> bool:
        """A pre-name word right after the head ('Trường THPT chuyên Long An'): provisional, kept only when the
        proper name follows."""
        if self.words == self.pre and wf in stops().pre_name and self.o["lower_ok"] and not m.group(1):
            self.pre += 1
            self.cur, self.words, self.run = e, self.words + 1, self.run + 1
            return True
        return False

    def _province_word(self, wf: str, e: int) -> bool:
        """'tỉnh' closing a name: 'Trung tâm Xúc tiến đầu tư tỉnh', 'Ban Quản lý dự án đầu tư xây dựng tỉnh'."""
        closes = self.end > self.pos or (self.run >= 2 and self.run_field and self.o["lower_first_ok"])
        if wf == "tỉnh" and closes:
            self.cur = self.end = e
            self.run, self.words = 0, self.words + 1
            return True
        # a centrally-run city is the province: 'Trung tâm Kiểm soát bệnh tật thành phố' (no name after it)
        if wf == "thành" and closes and (m := _CITY_LEVEL.match(self.fold, e)) and \
                not self.body[m.end() + 1:m.end() + 2].isupper():
            self.cur = self.end = m.end()
            self.run, self.words = 0, self.words + 2
            return True
        return False

    def _field_word(self, wf: str, e: int) -> bool:
        """One more word of the lower-case run; the run may not grow past its limit."""
        if not self.run:
            self.run_field, self.pre_weak = True, -1
        if wf in stops().weak and self.run and self.run_field and self.pre_weak < 0:
            self.pre_weak = self.cur
        self.run += 1
        self.run_weak = self.run_weak or wf in stops().weak
        self.run_field = self.run_field and (wf in stops().field or self._keep_pair(wf, e))
        self.cur, self.words, self.caps_run = e, self.words + 1, 0
        return self.run <= (MAX_FIELD_RUN if self.run_field else MAX_RUN)

    def step(self) -> bool:
        """Read one word; False when the name has ended."""
        if self.words and (loc := _locality_end(self.body, self.fold, self.cur)) > 0:  # 'huyện X' closes it
            if not self.o["stop_at_locality"]:
                self.end, self.run = loc, 0
            return False
        m = _TOKEN.match(self.fold, self.cur)
        if not m and self.o["allow_and"] and self.words and (c := _COMMA.match(self.body, self.cur)) and \
                ((self.field and _field_series(self.body, self.fold, c.end())) or self._comma_pair(c.end())):
            # 'Trung tâm Văn hóa, Thông tin và Thể thao', 'Trung tâm Khảo, kiểm nghiệm giống ... và ...'
            self.cur = c.end() - 1
            m = _TOKEN.match(self.fold, self.cur)
        if not m or self.gap_ends(m.start(2), m.end(2)):
            return False
        if m.group(1) and not self.o["lower_ok"]:
            return False  # a locality: 'huyện Cẩm Mỹ - Cụm trưởng' ends before the dash
        if _cap(self.body[m.start(2):m.end(2)]):
            return self.capital(m, m.start(2), m.end(2))
        return self.lower(m, m.start(2), m.end(2))

    def _keep_pair(self, wf: str, e: int) -> bool:
        """'về' of 'tội phạm về ma túy': a stop word opening a sector term (name_stops.tsv keep2) counts as sector."""
        nxt = _words_from(self.fold, e, 1)
        return bool(nxt and f"{wf} {nxt[0]}" in stops().keep2)

    def _comma_pair(self, after: int) -> bool:
        """'Phòng Phòng, chống tham nhũng': the words around the comma are one expression (name_stops.tsv comma_pair)."""
        before = re.search(r"(\w+)\W*$", self.fold[max(0, self.cur - 30):self.cur])
        nxt = _TOKEN.match(self.fold, after - 1)
        return bool(before and nxt and not nxt.group(1) and
                    f"{before.group(1)} {self.fold[nxt.start(2):nxt.end(2)]}" in stops().comma_pair)

    def finish(self, max_words: int) -> int:
        """A field component may end in lower case ('Chi cục Chăn nuôi'); a long tail keeps one compound."""
        if not self.run:
            return self.end
        if self._sector_words_only(max_words):
            self.end = self.cur  # a name in sector words only: 'Ban Quản lý dự án đầu tư xây dựng công trình'
        elif self.field and self.run_weak and self.pre_weak > 0:
            self.end = self.pre_weak  # 'Phòng Giáo dục và Đào tạo các huyện: ...' -> 'Phòng Giáo dục và Đào tạo'
        elif self.field and not self.run_weak and self.end > self.pos and self.words < max_words:
            self.end = self._tail_end()
        return self.end

    def _sector_words_only(self, max_words: int) -> bool:
        return not self.field and self.run_field and self.run >= 2 and self.o["lower_first_ok"] \
            and self.end == self.pos and self.words < max_words

    def _tail_end(self) -> int:
        """Where a lower-case tail after a field component ends: all of a short or sector tail, else its first word
        ('Phòng Nội vụ phụ trách công tác ...' -> 'Phòng Nội vụ')."""
        if self.run <= MAX_TAIL or self.run_field:
            return self.cur
        if (t := _TOKEN.match(self.fold, self.end)) and not t.group(1):
            return t.end(2)
        return self.end


def walk(body: str, fold: str, pos: int, max_words: int = 12, allow_and: bool = True,
         lower_first_ok: bool = True, stop_at_locality: bool = False, lower_ok: bool = True) -> int:
    """End offset of the name that starts at `pos` (pos itself when no name is written there).

    `lower_ok=False` reads a proper name only (a locality: 'Krông Pắc'); `allow_and=False` stops at 'và';
    `lower_first_ok` lets the name start in lower case (it must then reach a capitalised component).
    """
    w = _Walk(body, fold, pos, {"allow_and": allow_and, "lower_first_ok": lower_first_ok,
                                "stop_at_locality": stop_at_locality, "lower_ok": lower_ok})
    while w.words < max_words and w.step():
        pass
    return w.finish(max_words)


# ------------------------------------------------ names written with no head word (holders, recipients)
# A bloc-role holder or an award recipient is often written with no head word that agencies.tsv knows:
# 'Huyện ủy Krông Búk', 'huyện Đăk Hà', 'Hội Nông dân tỉnh'. The walk is the same; the first word (or a
# unit word: 'huyện', 'thị xã') stands for the head, and name_stops.tsv adds what ends such a name:
# `bare_end`, `bare_end2` (lower-case words and two-word phrases that end it besides `end`, `end2`) and
# `not_first` (capitalised words that start a sentence or a title, not a name: 'Năm 2022, Sở ...').


@dataclass(frozen=True)
class BareStops:
    end: frozenset[str]  # `end` and `bare_end`
    end2: frozenset[str]  # `end2` and `bare_end2`
    head: re.Pattern[str]  # a unit word that may start such a name before a capitalised one
    not_first: re.Pattern[str]


def _phrase_rx(words) -> re.Pattern[str]:
    alts = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(set(words), key=len, reverse=True))
    return re.compile(r"(?:" + (alts or r"(?!)") + r")(?!\w)")


@cache
def bare_stops() -> BareStops:
    lists = gazetteers.name_stops()
    return BareStops(stops().end | frozenset(lists.get("bare_end", ())),
                     stops().end2 | frozenset(lists.get("bare_end2", ())), _phrase_rx(stops().locality),
                     _phrase_rx(lists.get("not_first", ())))


def locality_at(fold: str, pos: int) -> int:
    """End of a unit word written at `pos` ('huyện', 'thị xã'), else -1."""
    m = bare_stops().head.match(fold, pos)
    return m.end() if m else -1


def skip_not_first(fold: str, pos: int, end: int) -> int:
    """`pos` moved past the words that start a sentence or a title, not a name ('Theo đó Sở ...',
    'Ban Thường trực Ủy ban MTTQ ...')."""
    rx = bare_stops().not_first
    while pos < end and (m := rx.match(fold, pos, end)):
        pos = min(m.end() + 1, end)
    return pos


def _bare_limit(body: str, fold: str, pos: int, limit: int, max_words: int) -> int:
    """Where a stop word or phrase of `bare_end`, `bare_end2` or a number (not 'số 2') cuts the name that
    starts at `pos`."""
    st, at, prev, n = bare_stops(), pos, "", 0
    while n <= max_words + 4 and (t := _TOKEN.match(fold, at, limit)):
        s, e = t.start(2), t.end(2)
        w = fold[s:e]
        if n and body[s].islower() and (w in st.end or " ".join([w, *_words_from(fold, e, 1)]) in st.end2):
            return s
        if n and w[0].isdigit() and prev != "số":
            return s
        if _BREAK_GAP.search(body, at, s):
            return s
        at, prev, n = e, w, n + 1
    return limit


def walk_bare(body: str, fold: str, pos: int, limit: int | None = None, max_words: int = 12) -> int:
    """End offset of a name that starts at `pos` with no head word ('Huyện ủy Krông Búk làm ...' ->
    'Huyện ủy Krông Búk'); nothing at or past `limit` (another atom) is read. `walk` reads the rest
    after the first word, as after a head."""
    limit = len(fold) if limit is None else min(limit, len(fold))
    limit = _bare_limit(body, fold, pos, limit, max_words)
    first = locality_at(fold, pos)
    if first < 0:
        t = _TOKEN.match(fold, pos, limit)
        if not t or t.start(2) != pos:
            return pos
        first = t.end(2)
    if first >= limit:
        return min(first, limit)
    return pos + walk(body[pos:limit], fold[pos:limit], first - pos, max_words)


def bare_stop_at(body: str, fold: str, pos: int) -> bool:
    """A lower-case stop word or phrase of a bare name (`end`, `bare_end`, `end2`, `bare_end2`) is written at
    `pos`: no name starts there ('cho đã có thành tích', 'cho trực thuộc ...')."""
    t = _TOKEN.match(fold, pos)
    if not t or t.start(2) != pos or not body[pos:pos + 1].islower():
        return False
    st, w = bare_stops(), fold[pos:t.end(2)]
    return w in st.end or " ".join([w, *_words_from(fold, t.end(2), 1)]) in st.end2
