"""Name spans that no gazetteer knows: a run of capitalised components, as NAME atoms.

Vietnamese official names capitalise the first syllable of each component and not always the rest
('Huyện ủy Krông Búk', 'Hội Nông dân tỉnh', 'UBMTTQVN huyện Vĩnh Cửu', 'Trường Cao đẳng Nghề'). A span
starts at a capitalised word, or at a locality word before one ('huyện Đăk Hà'); it goes on over
capitalised words, short runs of lower-case words that are not stop words, 'và' before a capital and
' - ' between capitals; it stops at punctuation, a stop word, a role or bloc head, or another atom.
Components use these as a last resort, where no agency or person atom is there (bloc-role holders).
The words are data: gazetteers/rules/words_bloc_roles.tsv (name_stop, name_locality, name_drop).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from extractors import rules
from extractors.atoms import Atom
from gazetteers.textnorm import fold

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")
GAP = re.compile(r"[^\S\n]+|[^\S\n]*[-&][^\S\n]*")
MAX_LOWER_RUN = 3


@cache
def _lists() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    wl = rules.word_lists("bloc_roles")
    stop = frozenset(fold(w) for w in wl.get("name_stop", ()))
    local = tuple(sorted({fold(w) for w in wl.get("name_locality", ())}, key=len, reverse=True))
    drop = tuple(sorted({fold(w) for w in wl.get("name_drop", ()) + wl.get("name_not_first", ())}, key=len, reverse=True))
    return stop, local, drop


@cache
def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    """One of the phrases as whole words, longest first."""
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")


def _locality(f: str, pos: int) -> int:
    """The end of a locality word written at `pos` ('huyện', 'thị xã'), or -1."""
    m = _phrases(_lists()[1]).match(f, pos)
    return m.end() if m else -1


def _tokens(body: str, f: str, soft: bool, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, joined to the previous word) of every word in [start, end)."""
    out = []
    prev_end = -1
    for m in WORD.finditer(f, start, end):
        gap = f[prev_end:m.start()] if prev_end >= 0 else ""
        if soft:
            gap = gap.replace("\n", " ") if gap.count("\n") == 1 else gap
        joined = prev_end >= 0 and GAP.fullmatch(gap) is not None
        out.append((m.start(), m.end(), joined))
        prev_end = m.end()
    return out


def _walk(body: str, f: str, toks: list, i: int, blocked, stop: frozenset[str]) -> int:
    """The index after the last word of the span that starts at token i."""
    j, last_good, lower = i, i, 0
    while j < len(toks):
        s, e, joined = toks[j]
        if j > i and not joined or blocked(s, e):
            break
        w = f[s:e]
        if body[s].isdigit():
            break  # 'Năm 2023, Sở …': a number is no part of such a name
        cap = body[s].isupper()
        if j > i and "-" in f[toks[j - 1][1]:s] and not cap:
            break
        loc = _locality(f, s)
        if cap:
            lower = 0
        elif w == "và":
            if j + 1 >= len(toks) or not body[toks[j + 1][0]].isupper():
                break
        elif loc > 0 and j + 1 < len(toks) and body[toks[j + 1][0]].isupper():
            lower = 0
        elif w in stop or lower >= MAX_LOWER_RUN:
            break
        else:
            lower += 1
        j += 1
        last_good = j
    return last_good


class _Taken:
    """Other atoms' spans, asked whether a stretch of text overlaps one."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def __call__(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.starts, e) - 1
        return k >= 0 and self.spans[k][1] > s


def _trim(f: str, start: int, end: int) -> int:
    """The span's start past words that are not the holder's ('Ban Thường trực Ủy ban MTTQ …', 'Theo đó Sở …')."""
    rx = _phrases(_lists()[2])
    while start < end:
        m = rx.match(f, start, end)
        if not m:
            break
        start = min(m.end() + 1, end)
    return start


def _starts_name(body: str, f: str, toks: list, i: int) -> bool:
    s = toks[i][0]
    if i > 0 and toks[i][2] and body[toks[i - 1][0]].isupper():
        return False  # inside a run of capitals already walked
    if body[s].isupper():
        return True
    return _locality(f, s) > 0 and i + 1 < len(toks) and toks[i + 1][2] and body[toks[i + 1][0]].isupper()


def name_atoms(body: str, f: str, taken: list[tuple[int, int]], soft: bool = False,
               titles: tuple[str, ...] = (), window: tuple[int, int] | None = None) -> list[Atom]:
    """NAME atoms over the text (or the `window` of it) where `taken` (other atoms' spans) leaves room; a
    span that starts with one of `titles` (folded: 'giám đốc', 'ủy viên') is a person's title, not a name."""
    stop = _lists()[0]
    blocked = _Taken(taken)
    toks = _tokens(body, f, soft, *(window or (0, len(f))))
    out: list[Atom] = []
    i = 0
    while i < len(toks):
        s, e, _ = toks[i]
        if blocked(s, e) or not _starts_name(body, f, toks, i):
            i += 1
            continue
        j = _walk(body, f, toks, i, blocked, stop)
        if j > i:
            end = toks[j - 1][1]
            start = _trim(f, s, end)
            # one word ('Chiều 15/11, Cụm trưởng …') is too little to be a holder; a span right before
            # another atom is a title or the head of a longer name ('Giám đốc Sở X', 'Trưởng Ban …')
            titled = bool(titles) and _phrases(titles).match(f, start) is not None
            before_atom = j < len(toks) and blocked(end, toks[j][0] + 1) and not f[end:toks[j][0]].strip()
            if not titled and not before_atom and len(WORD.findall(f, start, end)) >= 2:
                out.append(Atom(start, end, "NAME", body[start:end]))
        i = max(j, i + 1)
    return out
