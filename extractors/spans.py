"""Point-in-spans tests in O(log n), for extractors that ask "is this position inside a mention?"
once per word: `any(a <= s < b for a, b in spans)` in that loop is quadratic on a long text full of
mentions (a 1 MiB line of agency names took 40 s in people._title_before)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class Covered:
    """The union of half-open spans [a, b); `pos in covered` is exactly `any(a <= pos < b ...)`."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted((a, b) for a, b in spans if a < b):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]
