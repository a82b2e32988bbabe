"""From page text to the cleaned article body the extractors read.

Page furniture (rules in gazetteers/furniture.tsv) is removed line by line; the header zone
(portal name, today's date, category, title, publication date) is split off so its dates never
reach the body. The body is what the warehouse stores and what evidence offsets point into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import gazetteers
from pipeline.reader import RawDocument

HEADER_LINES = 15
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*((?:19|20)\d{2})(?!\d)")
_LABEL = re.compile(r"(ngày đăng|đăng ngày|cập nhật|ngày cập nhật|xuất bản|đăng lúc|ngày đưa tin|thời gian đăng)",
                    re.I)
_WEEKDAY = re.compile(r"^\s*\(?\s*(thứ\s+(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\b", re.I)
_PARAGRAPH_END = re.compile(r"([.!?…\"”]|\./\.)\s*$")


@dataclass(slots=True)
class DateLine:
    index: int
    iso: str
    labelled: bool
    weekday: bool
    text: str


@dataclass(slots=True)
class Cleaned:
    body: str
    title: str | None
    published: str | None
    date_lines: list[DateLine] = field(default_factory=list)
    dropped: int = 0


def _date_line(i: int, line: str) -> DateLine | None:
    if len(line) > 110:
        return None
    m = _DATE.search(line)
    if not m:
        return None
    rest = _DATE.sub("", line)
    rest = _LABEL.sub("", rest)
    rest = _WEEKDAY.sub("", rest)
    rest = re.sub(r"\d{1,2}:\d{2}(:\d{2})?|\[?GMT[+\-]\d+\]?|lượt (xem|truy cập)\s*:?\s*\d*|xem cỡ chữ|google"
                  r"|^\s*ngày\b|\b(in bài( viết)?|bản in|gửi bài( viết)?|chia sẻ)\b", "", rest, flags=re.I)
    rest = re.sub(r"[\s\[\]()|,:\-–.]+", " ", rest).strip()
    # 'Chuyên mục: ... | Đăng ngày: ...' keeps some words; a body sentence keeps many
    labelled = bool(_LABEL.search(line))
    if len(rest.split()) > (8 if labelled else 3):
        return None
    d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= d <= 31 and 1 <= mo <= 12):
        return None
    return DateLine(i, f"{y:04d}-{mo:02d}-{d:02d}", labelled, bool(_WEEKDAY.match(line)), line)


def _is_title(line: str) -> bool:
    return 15 <= len(line) <= 250 and not re.search(r"[.:;,]\s*$", line) and line[:1].isupper() \
        and len(line.split()) >= 4


# A paragraph is at most a few thousand characters (the longest in the dev sets: 1,077). A longer line
# is a whole page on one line (a text dump, minified HTML without block tags): it is split at sentence
# ends first. A shorter one that a furniture rule would drop ('^Cổng thông tin điện tử.*$' on an article
# pasted as one line) is split too, and the rules decide sentence by sentence: they drop a sentence,
# not the article. Lines the rules keep are never split, so ordinary pages read exactly as before.
LONG_LINE = 3000
SPLIT_IF_DROPPED = 300
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")
_SPACES = re.compile(r"[ \t\u00a0]+")
# a closing byline with the writer's office: 'Lò Thị Thanh - Phòng Tổ chức cán bộ', 'Vàng Mai (Ban Thi đua - Khen thưởng)'
_BYLINE = re.compile(r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){1,3}[ \t]*(?:[-–][ \t]*|\()[A-ZĐÀ-Ỹ][^.!?]{0,70}$")


# a page typed without spaces after punctuation ('… năm 2015.Dự hội nghị có đồng chí A,Phó Chủ tịch …'): a comma,
# full stop, colon or semicolon after a lower-case letter or a digit and before a letter gets its space back, but
# only on a line where this happens again and again (not 'TP.HCM', not a web address)
_GLUED = re.compile(r"(?<=[a-zđà-ỹ0-9])([.,;:])(?=[A-Za-zĐđÀ-Ỹà-ỹ])(?!(?:vn|com|gov|org|net|edu|html?)\b)")


def _unglued(line: str) -> str:
    spaced, n = _GLUED.subn(r"\1 ", line)  # one pass: the count decides
    return spaced if n >= 3 else line


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(_SENTENCE_END.split(line) if len(line) > LONG_LINE else (line,))
    return out


def _spaced(line: str) -> bool:
    """Whether _SPACES changes the line: a tab, a no-break space or two spaces (a single space stays as it is;
    the substitution over a paragraph costs ~0.1 ms even where it changes nothing)."""
    return "  " in line or "\t" in line or "\u00a0" in line


@cache
def _furniture() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    """The strip rules, and one regex that matches a line where any drop or stop rule does (each rule
    opens on "^": one attempt for the lot; most lines match none)."""
    rules = gazetteers.furniture()
    strips = tuple(rx for a, rx in rules if a == "strip")
    others = [rx for a, rx in rules if a != "strip"]
    every = re.compile("")  # matches every line: each rule is asked
    if len({rx.flags for rx in others}) > 1 or any("\\" + str(d) in rx.pattern for rx in others for d in range(1, 10)):
        return strips, every  # mixed flags or back-references: no shared test
    try:
        return strips, re.compile("|".join(f"(?:{rx.pattern})" for rx in others) or "(?!)", others[0].flags if others else 0)
    except re.error:  # inline flags, a group name used twice
        return strips, every


def clean(raw: RawDocument) -> Cleaned:
    rules = gazetteers.furniture()
    strips, any_rule = _furniture()
    lines: list[str] = []
    dropped = 0
    seen_chars = 0
    todo = _lines(raw.text)
    todo.reverse()  # a stack: a dropped long line's sentences are pushed back and read next
    while todo:
        line = todo.pop()
        s = _unglued((_SPACES.sub(" ", line) if _spaced(line) else line).strip())
        if not s:
            continue
        for rx in strips:
            s = rx.sub("", s).strip()
        action = next((a for a, rx in rules if a != "strip" and rx.search(s)), None) if any_rule.search(s) else None
        if action in ("drop", "stop") and len(s) > SPLIT_IF_DROPPED and len(parts := _SENTENCE_END.split(s)) > 1:
            todo.extend(reversed(parts))
            continue
        if action == "stop" and seen_chars > 200:
            dropped += 1
            break
        if action in ("drop", "stop"):
            dropped += 1
            continue
        if lines and s == lines[-1]:  # a title repeated by the template
            continue
        lines.append(s)
        seen_chars += len(s)

    # header zone: publication date vs the portal's today-date, and the title
    cands = [d for i, ln in enumerate(lines[:HEADER_LINES]) if (d := _date_line(i, ln))]
    published_line: DateLine | None = None
    labelled = [d for d in cands if d.labelled]
    if labelled:
        published_line = labelled[0]
    else:
        rest = [d for d in cands if not (d.weekday and d.index == 0)]
        if rest:
            published_line = rest[0]
    title = None
    start = 0
    if published_line:
        for j in range(published_line.index - 1, -1, -1):
            if _is_title(lines[j]) and not any(d.index == j for d in cands):
                title, start = lines[j], j
                break
        else:
            start = published_line.index + 1
    elif lines and _is_title(lines[0]) and not _PARAGRAPH_END.search(lines[0]):
        title = lines[0]
    # trailing furniture and captions: after the last paragraph keep only short byline-like lines
    last_par = max((i for i, ln in enumerate(lines) if len(ln) >= 100 or _PARAGRAPH_END.search(ln)), default=-1)
    end = len(lines)
    drop_idx = {d.index for d in cands}
    drop_idx |= {i for i in range(last_par + 1, len(lines)) if len(lines[i].split()) > 6 and not _BYLINE.match(lines[i])}
    body_lines = [ln for i, ln in enumerate(lines[start:end], start) if i not in drop_idx]
    dropped += len(lines) - len(body_lines)
    return Cleaned("\n".join(body_lines), title, published_line.iso if published_line else None, cands, dropped)
