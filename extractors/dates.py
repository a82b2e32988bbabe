"""Dates in the body: full dates, and day/month completed from the publication date.

dateparser parses what it can (full dates in any common writing); it returns None for
'Chiều 29/2' or 'chiều 21-2' (no year), so the rule here completes those: the latest year that
puts the date on or before the reference date (publication date), else a year from the text.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import dateparser

FULL = re.compile(r"(?<![\d/])(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*((?:19|20)\d{2})(?![\d/])")
WORDY = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.I)
DAY_MONTH = re.compile(r"(?<![\d/\-.])(\d{1,2})\s*[/\-]\s*(\d{1,2})(?![\d/\-]|\.\d)")
_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}


@lru_cache(maxsize=4096)
def parse_full(text: str) -> str | None:
    """A full date as written ('31-7-2017', '06/02/2024', '15 tháng 7 năm 2023') -> ISO, via dateparser."""
    m = WORDY.search(text)
    if m:  # dateparser reads 'tháng' forms too, but numeric is unambiguous here
        text = f"{m.group(1)}/{m.group(2)}/{m.group(3)}"
    m = FULL.search(text)
    if not m:
        return None
    return _parse_day(f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}")


@lru_cache(maxsize=4096)
def _parse_day(norm: str) -> str | None:
    """'dd/mm/yyyy' -> ISO. Cached on the date itself: callers pass the text around it too ('ban hành ngày
    31/7/2017'), so the same date comes with many texts, and dateparser takes ~1 ms a call.

    A day that exists is that day (dateparser gives the same for every one from 1900 to 2099, the years FULL
    reads: tests/test_people_rules.py checks a sample); only the others ('31/02/2020', '00/13/2021') go to it."""
    day, month, year = (int(x) for x in norm.split("/"))
    if (d := valid(year, month, day)) is not None:
        return d.isoformat()
    d = dateparser.parse(norm, languages=["vi"], settings=_SETTINGS)
    return d.date().isoformat() if d else None


def valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def complete(day: int, month: int, ref: date | None, year_hint: int | None = None) -> str | None:
    """Day and month without a year -> ISO date, year from the reference date or the hint."""
    if ref is not None:
        for y in (ref.year, ref.year - 1):
            d = valid(y, month, day)
            if d and d <= ref:
                return d.isoformat()
        return None
    if year_hint is not None:
        d = valid(year_hint, month, day)
        return d.isoformat() if d else None
    return None
