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
from pipeline.textnorm import key

_TOKEN = re.compile(r"[ \t]*\n?[ \t]*(-[ \t]*|&[ \t]*)?([\w'’]+)")
_BREAK_GAP = re.compile(r"[,;:.()\n\"“”/|!?…]")
MAX_RUN = 8  # lower-case words a provisional run may hold
MAX_TAIL = 4  # lower-case words a name may end with


@dataclass(frozen=True)
class Stops:
    end: frozenset[str]
    end2: frozenset[str]
    weak: frozenset[str]
    not_head: frozenset[str]
    locality: tuple[str, ...]  # one- or two-word unit words, longest first
    person: frozenset[str]  # family names that start a person after a complete proper name


@cache
def stops() -> Stops:
    lists = gazetteers.name_stops()
    get = lambda k: frozenset(lists.get(k, ()))  # noqa: E731
    loc = tuple(sorted(lists.get("locality", ()), key=lambda w: -len(w.split())))
    return Stops(get("end"), get("end2"), get("weak"), get("not_head"), loc, get("person"))


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
        if not t or t.group(1) or not _cap(body[t.start(2):t.end(2)]) or (n and t.start(2) - end != 1):
            break
        end, n = t.end(2), n + 1
    return end


def _words_from(fold: str, at: int, n: int) -> list[str]:
    out = []
    while len(out) < n and (m := _TOKEN.match(fold, at)):
        out.append(fold[m.start(2):m.end(2)])
        at = m.end(2)
    return out


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


def walk(body: str, fold: str, pos: int, max_words: int = 12, allow_and: bool = True,
         lower_first_ok: bool = True, stop_at_locality: bool = False, lower_ok: bool = True) -> int:
    """End offset of the name that starts at `pos` (pos itself when no name is written there).

    `lower_ok=False` reads a proper name only (a locality: 'Krông Pắc'); `allow_and=False` stops at 'và'.
    """
    st = stops()
    end = cur = pos  # committed end / end of the last word read
    words = caps_run = run = 0
    run_weak = field = False
    while words < max_words:
        if words and (loc := _locality_end(body, fold, cur)) > 0:  # 'huyện X' closes the name
            if not stop_at_locality:
                end, run = loc, 0
            break
        m = _TOKEN.match(fold, cur)
        if not m:
            break
        s, e = m.start(2), m.end(2)
        gap = body[cur:s]
        if _BREAK_GAP.search(gap) or gap.count(" ") > 2:
            # a hard-wrapped line ('Chi cục Chăn\nnuôi'): one line break before a lower-case word goes on
            if not (gap.strip(" \t") == "\n" and words and not _cap(body[s:e])):
                break
        wf = fold[s:e]
        if m.group(1) and not lower_ok:
            break  # a proper name only (a locality): 'huyện Cẩm Mỹ - Cụm trưởng' ends before the dash
        if _cap(body[s:e]):
            if words and starts_agency(fold, s, e):
                break  # another agency starts here
            if caps_run >= 2 and wf in st.person and _person_follows(body, fold, e):
                break  # 'Trường THPT Lê Lợi Nguyễn Văn An': the school's name, then a person
            cur = end = e
            caps_run = 1 if m.group(1) else caps_run + 1
            run, run_weak, field = 0, False, caps_run == 1
            words += 1
            continue
        if m.group(1) or (words == 0 and not lower_first_ok) or (not lower_ok and wf != "và"):
            break
        if wf == "và":  # 'và Thú y', 'và các Khu công nghiệp'; not 'và Sở ...'
            t = _TOKEN.match(fold, e)
            if t and fold[t.start(2):t.end(2)] in st.weak:
                t = _TOKEN.match(fold, t.end(2))
            if not allow_and or not t or t.group(1) or not _cap(body[t.start(2):t.end(2)]) or \
                    starts_agency(fold, t.start(2), t.end(2)):
                break
            cur, caps_run, words = e, 0, words + 1
            continue
        nxt = _words_from(fold, e, 1)
        if wf in st.end and not (wf == "làm" and fold[max(0, s - 5):s].strip() == "việc"):
            break
        if nxt and f"{wf} {nxt[0]}" in st.end2:
            break
        if wf == "tỉnh" and end > pos:  # 'Trung tâm Xúc tiến đầu tư tỉnh' (a province after it is dropped later)
            cur = end = e
            run, words = 0, words + 1
            continue
        if caps_run >= 2:
            break  # a proper name ends at a lower-case word ('Hàm Rồng luôn')
        run += 1
        run_weak = run_weak or wf in st.weak
        cur, words, caps_run = e, words + 1, 0
        if run > MAX_RUN:
            break
    if run and field and not run_weak and end > pos and words < max_words:
        if run <= MAX_TAIL:
            end = cur  # a field component ending in lower case: 'Chi cục Chăn nuôi'
        elif (t := _TOKEN.match(fold, end)) and not t.group(1):
            end = t.end(2)  # too long to trust: the first compound only ('Phòng Nội vụ phụ trách ...')
    return end
