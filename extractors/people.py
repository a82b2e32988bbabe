"""People: named persons with the title written beside the name, and bylines.

A name is introduced by an honorific (gazetteers/honorifics.txt: Ông, Bà, đồng chí...) or starts
with a family name (gazetteers/surnames.txt) and is followed by a title (gazetteers/titles.txt).
The title runs over comma-separated parts that each start with a title word, and stops at a verb
('phát biểu', 'chủ trì', 'nhận'...) or a new person. Bylines and photo credits at the edges of the
body give people with no title.
"""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors.common import Context, Mention
from pipeline.records import Person
from pipeline.spans import Covered
from pipeline.textnorm import fold, tidy_name

WORD = re.compile(r"[^\W\d_][\w'’]*|\d+")
TITLE_STOP = frozenset("đã sẽ đang nhận trao tặng được là tại với vừa cũng dự thay cùng đến khi cho về đi vì do nhằm để"
                       .split())
TITLE_STOP_BIGRAMS = frozenset("""phát biểu|chủ trì|đồng chủ|thông qua|cho biết|ghi nhận|khẳng định|nhấn mạnh|báo cáo|
đề nghị|tham dự|trao tặng|chỉ đạo|kêu gọi|thông tin|trình bày|điều hành|lên nhận|thống nhất|yêu cầu|lưu ý|
đánh giá|biểu dương|chúc mừng|trao đổi|giới thiệu|cảm ơn|quán triệt|đồng ý|nêu rõ|phân tích|đề xuất|làm việc|
kiểm tra|tiếp nhận|đón nhận|gửi lời|nhận cờ|nhận bằng|phát động""".replace("\n", "").split("|"))
BYLINE_LABEL = re.compile(r"(?:^|\n|[.!?]\s+)(?:tin|bài|ảnh|tin, bài|tin, ảnh|bài, ảnh|tin và ảnh|bài và ảnh|tin, bài, ảnh|"
                          r"tin - ảnh|tin/ảnh|video|clip)\s*:\s*", re.I)
OUTLET = re.compile(r"\s*[-–]\s*[A-ZĐ]{2,5}\s*$")  # 'NHƯ NGUYỆN-GLO'


def _is_name_word(w: str) -> bool:
    return bool(w) and (w[0].isupper()) and not w.isdigit()


@cache
def _titles() -> tuple[list[str], re.Pattern[str]]:
    ts = [fold(t) for t in gazetteers.titles()]
    rx = re.compile(r"(?:" + "|".join(re.escape(t) for t in sorted(set(ts), key=len, reverse=True)) + r")(?!\w)")
    return ts, rx


@cache
def _honorific_rx() -> re.Pattern[str]:
    alts = sorted({h for h in gazetteers.honorifics()} | {h.lower() for h in gazetteers.honorifics()}, key=len,
                  reverse=True)
    return re.compile(r"(?<![\w/])(?P<h>" + "|".join(map(re.escape, alts)) + r")\s+(?=[A-ZĐÀ-Ỹ])")


def _name_at(body: str, pos: int, max_words: int = 5) -> int:
    """End of a run of capitalised words starting at pos."""
    end, n = pos, 0
    for m in WORD.finditer(body, pos):
        gap = body[end:m.start()]
        if n and (gap not in (" ",)):
            break
        if not _is_name_word(m.group(0)):
            break
        end, n = m.end(), n + 1
        if n >= max_words:
            break
    return end


def _starts_with_title(fold_text: str, pos: int) -> int:
    """End of the title word at pos, or -1."""
    _, rx = _titles()
    m = rx.match(fold_text, pos)
    return m.end() if m else -1


def _title_after(ctx: Context, pos: int) -> tuple[str | None, int]:
    """The title written right after a name (', Phó Giám đốc Sở Y tế'), and where it ends."""
    body, f = ctx.body, ctx.fold
    m = re.compile(r"\s*(?:,|[-–—]|\()\s*").match(f, pos)
    if not m:
        return None, pos
    start = m.end()
    if _starts_with_title(f, start) < 0:
        return None, pos
    end = start
    i = start
    while i < len(f):
        wm = WORD.match(f, i)
        if wm:
            w = wm.group(0)
            orig = body[wm.start():wm.end()]
            nxt = WORD.match(f, wm.end() + 1) if wm.end() < len(f) and f[wm.end()] == " " else None
            if not orig[0].isupper():
                if w in TITLE_STOP:
                    break
                if nxt and f"{w} {nxt.group(0)}" in TITLE_STOP_BIGRAMS:
                    break
                if w == "và" and nxt and (_honorific_rx().match(body, nxt.start()) or nxt.group(0) in ("các",)):
                    break
            end = i = wm.end()
            continue
        ch = f[i]
        if ch == " ":
            i += 1
            continue
        if ch in "-&":
            i += 1
            continue
        if ch == ",":
            j = i + 1
            while j < len(f) and f[j] == " ":
                j += 1
            if _starts_with_title(f, j) >= 0 or f.startswith("ngành", j):
                i = j
                continue
        break
    title = body[start:end].strip()
    if not title:
        return None, pos
    return tidy_title(title), end


def tidy_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t).strip(" ,;:-–")
    return t


def _person_mentions(ctx: Context) -> list[Mention]:
    body, f = ctx.body, ctx.fold
    out: list[Mention] = []
    surnames = gazetteers.surnames()
    taken: list[tuple[int, int]] = []
    for m in _honorific_rx().finditer(body):
        s = m.end()
        if _starts_with_title(f, s) >= 0:
            continue  # 'đồng chí Trưởng Ban Tuyên giáo': a title, no name
        e = _name_at(body, s)
        words = body[s:e].split()
        h = m.group("h").lower()
        if len(words) < 2 and not (len(words) == 1 and h in ("ông", "bà", "đồng chí") and False):
            continue
        if h not in ("đồng chí", "đ/c") and words[0] not in surnames:
            continue
        # trim a trailing title word glued to the name ('Nguyễn Văn A Giám đốc')
        while len(words) > 2 and _starts_with_title(fold(" ".join(words[-1:])), 0) >= 0:
            words = words[:-1]
        e = s + len(" ".join(words))
        title, tend = _title_after(ctx, e)
        out.append(Mention(s, e, " ".join(words), "person", title=title, title_end=tend))
        taken.append((m.start(), e))
    # family name + title, no honorific: 'Nguyễn Văn A, Giám đốc Sở ...'
    honorific_spans = Covered(taken)
    reach = -1  # end of the furthest name this loop found: they all start before the current word
    for m in WORD.finditer(body):
        w = m.group(0)
        if w not in surnames or m.start() in honorific_spans or m.start() < reach:
            continue
        if m.start() > 0 and body[m.start() - 1].isalpha():
            continue
        e = _name_at(body, m.start(), 4)
        words = body[m.start():e].split()
        if len(words) < 2 or len(words) > 4:
            continue
        title, tend = _title_after(ctx, e)
        if title:
            out.append(Mention(m.start(), e, " ".join(words), "person", title=title, title_end=tend))
            reach = max(reach, e)
    return out


def _title_before(ctx: Context, known: list[Mention]) -> list[Mention]:
    """'Phó Chủ tịch UBND tỉnh Nguyễn Văn A phát biểu': a title word, its organisation, then a full name.

    A person already found with a title after the name gets this one in front of it.
    """
    taken = Covered((p.start, p.end) for p in known)
    known_at: dict[int, Mention] = {}
    for p in known:
        known_at.setdefault(p.start, p)
    reach = -1  # end of the furthest name this loop found: they all start before the current word
    body, f = ctx.body, ctx.fold
    surnames = gazetteers.surnames()
    _, title_rx = _titles()
    agency_spans = Covered((a.start, a.end) for a in ctx.agencies)
    out = []
    for m in WORD.finditer(body):
        s = m.start()
        if m.group(0) not in surnames or s in agency_spans:
            continue
        already = known_at.get(s)
        if already is None and (s in taken or s < reach):
            continue
        if s > 0 and (body[s - 1].isalpha() or not body[s - 1].isspace()):
            continue
        e = _name_at(body, s, 4)
        words = body[s:e].split()
        if not 2 <= len(words) <= 4:
            continue
        # the title starts at the nearest title word before the name, in the same clause
        window_start = max(0, s - 90)
        clause = max(body.rfind(c, window_start, s) for c in ",.;:()\n")
        starts = [t.start() for t in title_rx.finditer(f, max(window_start, clause + 1), s)
                  if body[t.start()].isupper() and (t.start() == 0 or not body[t.start() - 1].isalpha())]
        if not starts:
            continue
        t0 = starts[0]
        title = body[t0:s].strip()
        if not title or len(title.split()) > 12:
            continue
        between = f[t0:s].split()
        if between and between[-1] in PLACE_WORDS:
            continue  # 'xã Châu Hóa' is a place
        if any(w in BETWEEN_STOP for w in between) or gazetteers.province_named(" ".join(words)):
            continue
        if already is not None:
            already.title = tidy_title(title) + (", " + already.title if already.title else "")
            already.title_start = t0
            continue
        out.append(Mention(s, e, " ".join(words), "person", title=tidy_title(title), title_end=s, title_start=t0))
        reach = max(reach, e)
    return out


PLACE_WORDS = frozenset("xã phường trấn đường phố thôn bản ấp làng".split())  # 'xã Châu Hóa' is a place
BETWEEN_STOP = frozenset("là của cho tại với được đã sẽ đang cùng thay mặt gồm như".split())


@cache
def _pos_is_name(text: str) -> bool:
    """underthesea POS: a byline is a name when every token is a proper noun ('Thành Nghị' Np)."""
    from underthesea import pos_tag

    tags = pos_tag(text.title() if text.isupper() else text)
    return bool(tags) and all(t == "Np" for _, t in tags)


def _name_like(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 4:
        return False
    return all(w[0].isupper() and not w.isdigit() and not re.search(r"[:;,()]", w) for w in words)


def _bylines(ctx: Context) -> list[Mention]:
    body = ctx.body
    out: list[Mention] = []
    for m in BYLINE_LABEL.finditer(body):
        s = m.end()
        e = _name_at(body, s, 4)
        if _name_like(body[s:e]):
            out.append(Mention(s, e, body[s:e], "person"))
    lines = body.split("\n")
    last_start = len(body) - len(lines[-1]) if lines else 0
    last = lines[-1] if lines else ""
    # '(Ngọc Bé)' closing the last paragraph
    pm = re.search(r"\(([^()]{3,40})\)\s*$", last)
    if pm and _name_like(pm.group(1)):
        out.append(Mention(last_start + pm.start(1), last_start + pm.end(1), pm.group(1), "person"))
    # '... năm 2021./. Ngọc Pháp'
    sm = re.search(r"\./\.\s+([^.]{3,40})$", last)
    if sm and _name_like(sm.group(1).strip()):
        s = last_start + sm.start(1)
        out.append(Mention(s, s + len(sm.group(1).strip()), sm.group(1).strip(), "person"))
    # a short last line: 'Hà Dung', 'PHÚC HIẾU', 'Đức Minh, Thiên Thanh', 'Thanh Tình - Văn phòng Sở', 'T.VĂN'
    if len(last.split()) <= 8 and not re.search(r"[.!?:]\s*$", last) or re.fullmatch(r"[A-ZĐÀ-Ỹ]\.\s?[A-ZĐÀ-Ỹ]+", last):
        line = OUTLET.sub("", last)
        line = re.split(r"\s+[-–]\s+", line)[0]
        for part in re.split(r"\s*,\s*", line):
            s = last_start + last.find(part)
            if (_name_like(part) and _pos_is_name(part)) or re.fullmatch(r"[A-ZĐÀ-Ỹ]\.\s?[A-ZĐÀ-Ỹ]{2,}", part):
                out.append(Mention(s, s + len(part), part, "person"))
    return out


def extract(ctx: Context) -> None:
    mentions = _person_mentions(ctx)
    mentions += _title_before(ctx, mentions)
    excluded = {fold(n) for n in gazetteers.people_not()}
    mentions = [p for p in mentions if fold(p.name) not in excluded]
    agency_spans = Covered((a.start, a.end) for a in ctx.agencies)
    bylines = [b for b in _bylines(ctx) if b.start not in agency_spans]
    ctx.people = mentions + bylines
    records: dict[str, Person] = {}
    for p in ctx.people:
        k = fold(p.name)
        if k in records:
            if p.title and len(p.title) > len(records[k].title or ""):
                records[k].title = p.title
            continue
        records[k] = Person(tidy_name(p.name), p.title, ctx.evidence(p.start, p.end))
    ctx.records["people"] = list(records.values())
    if bylines and not ctx.meta.author:
        ctx.meta.author = tidy_name(bylines[-1].name)
