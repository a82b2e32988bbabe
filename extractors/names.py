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

import re
from functools import cache

from extractors import rules
from extractors.atoms import Atom
from pipeline.textnorm import fold

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")
GAP = re.compile(r"[^\S\n]+|[^\S\n]*[-&][^\S\n]*")
MAX_LOWER_RUN = 3


@cache
def _lists() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    wl = rules.word_lists()
    stop = frozenset(fold(w) for w in wl.get("name_stop", ()))
    local = tuple(sorted({fold(w) for w in wl.get("name_locality", ())}, key=len, reverse=True))
    drop = tuple(sorted({fold(w) for w in wl.get("name_drop", ()) + wl.get("name_not_first", ())}, key=len, reverse=True))
    return stop, local, drop


def _locality(f: str, pos: int) -> int:
    """The end of a locality word written at `pos` ('huyện', 'thị xã'), or -1."""
    for w in _lists()[1]:
        if f.startswith(w, pos) and not f[pos + len(w):pos + len(w) + 1].isalnum():
            return pos + len(w)
    return -1


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


def name_atoms(body: str, f: str, taken: list[tuple[int, int]], soft: bool = False,
               titles: tuple[str, ...] = (), window: tuple[int, int] | None = None) -> list[Atom]:
    """NAME atoms over the text (or the `window` of it) where `taken` (other atoms' spans) leaves room; a
    span that starts with one of `titles` (folded: 'giám đốc', 'ủy viên') is a person's title, not a name."""
    stop = _lists()[0]
    drop = _lists()[2]
    taken = sorted(taken)
    starts = [a for a, _ in taken]

    def blocked(s: int, e: int) -> bool:
        import bisect
        k = bisect.bisect_right(starts, e) - 1
        return k >= 0 and taken[k][1] > s

    toks = _tokens(body, f, soft, *(window or (0, len(f))))
    out: list[Atom] = []
    i = 0
    while i < len(toks):
        s, e, _ = toks[i]
        cap = body[s].isupper()
        starts_loc = _locality(f, s) > 0 and i + 1 < len(toks) and toks[i + 1][2] and body[toks[i + 1][0]].isupper()
        if blocked(s, e) or not (cap or starts_loc) or (i > 0 and toks[i][2] and body[toks[i - 1][0]].isupper()):
            i += 1
            continue
        j = _walk(body, f, toks, i, blocked, stop)
        if j > i:
            start = s
            again = True
            while again:  # 'Ban Thường trực Ủy ban MTTQ …', 'Theo đó Sở …': not the holder's words
                again = False
                for p in drop:
                    if f.startswith(p + " ", start) or f[start:toks[j - 1][1]] == p:
                        start = min(start + len(p) + 1, toks[j - 1][1])
                        again = True
                        break
            end = toks[j - 1][1]
            # one word ('Chiều 15/11, Cụm trưởng …') is too little to be a holder; a span right before
            # another atom is a title or the head of a longer name ('Giám đốc Sở X', 'Trưởng Ban …')
            if any(f.startswith(x, start) and not f[start + len(x):start + len(x) + 1].isalnum() for x in titles):
                pass
            elif len(WORD.findall(f, start, end)) >= 2 and not (j < len(toks) and blocked(end, toks[j][0] + 1)
                                                             and not f[end:toks[j][0]].strip()):
                out.append(Atom(start, end, "NAME", body[start:end]))
        i = max(j, i + 1)
    return out
