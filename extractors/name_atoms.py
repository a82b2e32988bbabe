"""Name spans that no gazetteer knows, as NAME atoms: the names.walk_bare walk from each capitalised word.

Bloc-role holders are often written with no head word that agencies.tsv knows ('Huyện ủy Krông Búk',
'huyện Đăk Hà', 'UBMTTQVN huyện Vĩnh Cửu'). A span starts at a capitalised word, or at a unit word before
one ('huyện Đăk Hà'); where it ends is the one name walker (extractors/names.py `walk_bare`, stop words in
gazetteers/name_stops.tsv), which reads nothing past another atom. The span's start skips the words that
open a sentence or a title (`not_first`). Components use these as a last resort, where no agency or person
atom is there (bloc-role holders).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from extractors import names
from extractors.atoms import Atom

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")
JOIN = re.compile(r"[^\S\n]+|[^\S\n]*[-&][^\S\n]*")
UNWRAP = re.compile(r"(?<![.!?:;…\n])[^\S\n]*\n(?!\n)")  # a hard-wrap line break (same length as spaces)


@cache
def _phrases(words: tuple[str, ...]) -> re.Pattern[str]:
    """One of the phrases as whole words, longest first."""
    return re.compile("(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")


class _Taken:
    """Other atoms' spans, asked whether a stretch of text overlaps one, and where the next one starts."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def __call__(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.starts, e) - 1
        return k >= 0 and self.spans[k][1] > s

    def next_start(self, pos: int) -> int:
        k = bisect.bisect_left(self.starts, pos)
        return self.starts[k] if k < len(self.starts) else 1 << 30


def _localities(f: str, lo: int, hi: int) -> dict[int, int]:
    """{start: end} of every unit word ('huyện', 'thị xã') that `names.locality_at` finds at a position in
    [lo, hi), overlapping ones too: one search that skips ahead, not a match tried at every word."""
    head, out, pos = names.bare_stops().head, {}, lo
    while (m := head.search(f, pos)) is not None and m.start() < hi:
        out[m.start()] = m.end()
        pos = m.start() + 1
    return out


def _starts_name(body: str, f: str, toks: list[tuple[int, int]], i: int, loc_end: dict[int, int]) -> bool:
    s = toks[i][0]
    if i > 0 and body[toks[i - 1][0]].isupper() and JOIN.fullmatch(f[toks[i - 1][1]:s]):
        return False  # inside a run of capitals already walked
    if body[s].isupper():
        return True
    loc = loc_end.get(s, -1)
    return loc > 0 and body[loc + 1:loc + 2].isupper() and f[loc:loc + 1] == " "


def name_atoms(body: str, f: str, taken: list[tuple[int, int]], soft: bool = False,
               titles: tuple[str, ...] = (), window: tuple[int, int] | None = None) -> list[Atom]:
    """NAME atoms over the text (or the `window` of it) where `taken` (other atoms' spans) leaves room; a
    span that starts with one of `titles` (folded: 'giám đốc', 'ủy viên') is a person's title, not a name.
    `soft`: the text is hard-wrapped (the walker reads a line break before a lower-case word as a space)."""
    blocked = _Taken(taken)
    lo, hi = window or (0, len(f))
    if soft:
        body, f = (UNWRAP.sub(lambda m: " " * len(m.group(0)), x) for x in (body, f))
    toks = [(m.start(), m.end()) for m in WORD.finditer(f, lo, hi)]
    loc_end = _localities(f, lo, hi)
    # a word can start a name only with a capital or a unit word: the others are not visited
    cands = [i for i, (s, _) in enumerate(toks) if body[s].isupper() or s in loc_end]
    out: list[Atom] = []
    done = 0  # tokens before this one are inside a span already walked
    for i in cands:
        s, e = toks[i]
        if i < done or blocked(s, e) or not _starts_name(body, f, toks, i, loc_end):
            continue
        nxt = blocked.next_start(e)
        end = names.walk_bare(body, f, s, min(nxt, hi))
        start = names.skip_not_first(f, s, end)
        # one word ('Chiều 15/11, Cụm trưởng …') is too little to be a holder; a span right before
        # another atom is a title or the head of a longer name ('Giám đốc Sở X', 'Trưởng Ban …')
        titled = bool(titles) and _phrases(titles).match(f, start) is not None
        before_atom = nxt < hi and not f[end:nxt].strip()
        if end > start and not titled and not before_atom and len(WORD.findall(f, start, end)) >= 2:
            out.append(Atom(start, end, "NAME", body[start:end]))
        done = i
        while done < len(toks) and toks[done][0] < max(end, e):
            done += 1
    return out
