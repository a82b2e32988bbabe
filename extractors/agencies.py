"""Agencies: gazetteer matching on the fold view, abbreviation expansion, member-list expansion.

Three matchers feed one list of mentions: named agencies from gazetteers/agencies.tsv
(with '*' open proper names and '~' locality-bound heads), 'Sở <field>' from
gazetteers/departments.tsv, and 'UBND <huyện|thị xã> <Name>'. Lists such as
'gồm các Sở: Y tế, Tư pháp' or 'UBND các huyện: A, B và thị xã C' are expanded item by item.
Names are written in the expanded official form with the province dropped.
"""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors.common import Context, Mention
from pipeline.spans import match_end
from pipeline.textnorm import flex_pattern, key, tidy_name

# lower-case words that end an open proper name ('Phòng Lao động ... cùng thủ trưởng')
STOP = frozenset("""của tại cho với là đã được có về trong theo để nhằm thuộc cùng đạt nhận trao tặng làm
các những từ đến trên dưới vì do như gồm sẽ đang này đó ký năm tháng ngày dự tham trình bầu suy xếp đứng giữ
giành khi nay hiện cũng còn đều nhất mới vừa đồng làm""".split())
STOP_BIGRAMS = frozenset("""phát biểu|chủ trì|tổ chức|thông qua|triển khai|thực hiện|báo cáo|đề nghị|phối hợp|tiếp tục|
công bố|dẫn đầu|hoàn thành|đề xuất|chỉ đạo|phát động|công nhận|tiến hành|diễn ra|kiểm tra""".replace("\n", "").split("|"))
LOCALITY_KINDS = ("thị xã", "thành phố", "huyện", "quận", "tp.", "tp")


@cache
def _compiled():
    pats = gazetteers.agency_patterns()
    by_key = {}
    for p in pats:
        by_key.setdefault(key(p.pattern), p)
    fixed_alts = sorted({flex_pattern(p.pattern) for p in pats}, key=len, reverse=True)
    depts = gazetteers.departments()
    dept_key = {}
    for canon, variants in depts:
        for v in variants:
            dept_key.setdefault(key(v), canon)
    dept_alts = sorted({flex_pattern(v) for _, vs in depts for v in vs}, key=len, reverse=True)
    dept = "(?:" + "|".join(dept_alts) + ")"
    fixed = re.compile(r"(?<!\w)(?:" + "|".join(fixed_alts) + r")(?!\w)")
    so = re.compile(r"(?<!\w)sở\s+(?P<d>" + dept + r")(?!\w)")
    dept_only = re.compile(r"(?P<d>" + dept + r")(?!\w)")
    prov = gazetteers.province_alternation()
    loc = re.compile(r"\s+(?:(?P<lvl>tỉnh|thành phố|tp\.?)(?:\s+(?P<p1>" + prov + r"))?|(?P<p2>" + prov + r"))(?!\w)")
    kinds = r"huyện|thị xã|thành phố|quận|xã|phường|thị trấn"
    ubnd = re.compile(r"(?<!\w)(?:ủy ban nhân dân|ubnd)\s+(?P<k>" + kinds + r"|tp\.?)\s+(?=\S)")
    ubnd_list = re.compile(r"(?<!\w)(?:ủy ban nhân dân|ubnd)\s+các\s+(?P<k>" + kinds + r")\s*:?\s*")
    heads = {key(p.pattern).split()[0] for p in pats} | {"sở", "ủy", "ubnd"}
    return by_key, dept_key, fixed, so, dept_only, loc, ubnd, ubnd_list, heads


def _proper_name(ctx: Context, pos: int, heads: set[str], max_words: int = 12, allow_and: bool = True,
                 lower_first_ok: bool = False) -> int:
    """End offset of the proper name starting at pos (capitalised words, joined by lower-case ones)."""
    body = ctx.body
    end = pos
    last_cap = pos
    words = 0
    stopped_by_max = True
    for m in re.compile(r"\s*(-\s*|&\s*)?([\w'’]+)").finditer(ctx.fold, pos):
        s = m.start(2)
        if m.start() != pos and m.start() != end:
            break
        gap = body[end:s]
        if any(c in gap for c in ",;:.()\n\"“”/|") or (gap.count(" ") > 2):
            stopped_by_max = False
            break
        wf = m.group(2)
        w = body[s:s + len(wf)]
        cap = w[0].isupper() or w[0].isdigit()
        if (m.group(1) or (words == 0 and not lower_first_ok)) and not cap:
            stopped_by_max = False
            break
        nxt2 = re.compile(r"\s+([\w'’]+)").match(ctx.fold, s + len(w))
        if not cap and nxt2 and f"{wf} {nxt2.group(1)}" in STOP_BIGRAMS:
            stopped_by_max = False
            break
        if wf == "và" and not allow_and:
            stopped_by_max = False
            break
        if wf == "và":
            nxt = re.compile(r"\s+([\w'’]+)").match(body, s + 2)
            if not nxt or not nxt.group(1)[0].isupper() or key(nxt.group(1)) in heads:
                stopped_by_max = False
                break
        elif not cap and wf in STOP and not (wf == "làm" and ctx.fold[max(0, s - 5):s].strip() == "việc"):
            stopped_by_max = False
            break
        elif cap and words > 0 and wf in heads and wf not in ("văn", "trung", "phòng"):
            stopped_by_max = False
            break
        end = s + len(w)
        words += 1
        if cap or wf == "tỉnh":
            last_cap = end
        if words >= max_words:
            break
    if stopped_by_max and words >= max_words:
        end = last_cap
    return end


def _locality(ctx: Context, end: int):
    """(span end, suffix to keep) for 'tỉnh X' / 'X' (province dropped) or 'huyện Y' (kept)."""
    *_, loc, _u, _ul, heads = _compiled()
    m = loc.match(ctx.fold, end)
    if m and (m.group("lvl") or m.group("p2")):
        lvl = m.group("lvl")
        return m.end(), ("tỉnh" if lvl == "tỉnh" else "thành phố" if lvl else "")
    m = re.compile(r"\s+(huyện|thị xã|quận|thành phố)\s+").match(ctx.fold, end)
    if m and ctx.body[m.end():m.end() + 1].isupper():
        name_end = _proper_name(ctx, m.end(), heads, 4, allow_and=False)
        return name_end, tidy_name(ctx.body[end + 1:name_end])
    return end, None


def _mention(ctx: Context, start: int, end: int, name: str, cls: str, type_: str | None = None) -> Mention:
    m = Mention(start, end, tidy_name(name), "agency", cls, type=type_)
    # the province written right after the name, kept aside (names drop it; recipients may need it)
    tail = gazetteers.province_regex().search(ctx.fold, max(start, end - 40), end)
    if tail and tail.end() == end:
        m.province = tidy_name(ctx.body[tail.start():tail.end()])
    return m


def _match_fixed(ctx: Context, m: re.Match, in_list: bool = False) -> Mention | None:
    by_key, *_, heads = _compiled()
    p = by_key.get(key(m.group(0)))
    if p is None:
        return None
    end = m.end()
    if p.open_name:
        loc_end, suffix = _locality(ctx, end)
        if suffix:  # 'Ban Quản lý rừng phòng hộ huyện Bắc Trà My'
            return _mention(ctx, m.start(), loc_end, p.canonical + " " + suffix, p.agency_class, p.canonical)
        # 'Trường Trung cấp nghề thanh niên dân tộc Phú Yên' may go on in lower case; 'Trung tâm hội nghị' may not
        name_end = _proper_name(ctx, end, heads, lower_first_ok=p.pattern.startswith("Trường"))
        if name_end == end:
            return None
        proper = ctx.body[end:name_end]
        return _mention(ctx, m.start(), name_end, p.canonical + " " + gazetteers.expand_abbreviations(proper),
                        p.agency_class, p.canonical)
    loc_end, suffix = _locality(ctx, end)
    if p.needs_locality and suffix is None and not in_list:
        return None
    name = p.canonical + (" " + suffix if suffix else "")
    if p.agency_class == "authority":
        if suffix and suffix not in ("tỉnh", "thành phố", ""):
            return None  # 'UBND huyện X' is handled by the locality matcher
        # an authority keeps its province: it is never an agency record, but may hold a Cụm role
        written = tidy_name(ctx.body[end:loc_end]) if loc_end > end else ""
        return _mention(ctx, m.start(), loc_end, (p.canonical + " " + re.sub(r"^(tỉnh|thành phố)\s*", "", written)).strip()
                        if written and written not in ("tỉnh", "thành phố") else p.canonical, "authority", p.canonical)
    return _mention(ctx, m.start(), loc_end, name, p.agency_class, p.canonical)


def _match_so(ctx: Context, m: re.Match) -> Mention:
    _, dept_key, *_ = _compiled()
    canon = dept_key.get(key(m.group("d")), m.group("d"))
    loc_end, suffix = _locality(ctx, m.end())
    return _mention(ctx, m.start(), loc_end, "Sở " + canon, "state", "Sở")


def _locality_name_end(ctx: Context, pos: int) -> int:
    *_, heads = _compiled()
    return _proper_name(ctx, pos, heads, 4, allow_and=False)


def scan(ctx: Context) -> list[Mention]:
    by_key, dept_key, fixed, so, dept_only, loc, ubnd, ubnd_list, heads = _compiled()
    f, body = ctx.fold, ctx.body
    found: list[Mention] = []
    for m in so.finditer(f):
        if body[m.start()].isupper():
            found.append(_match_so(ctx, m))
    for m in fixed.finditer(f):
        if body[m.start()].isupper():
            if (a := _match_fixed(ctx, m)) is not None:
                found.append(a)
    for m in ubnd.finditer(f):
        if body[m.end()].isupper():
            end = _locality_name_end(ctx, m.end())
            kind = "thành phố" if m.group("k").startswith("tp") else m.group("k")
            found.append(_mention(ctx, m.start(), end, f"Ủy ban nhân dân {kind} {body[m.end():end]}", "state",
                                  f"Ủy ban nhân dân {kind}"))
    found.extend(_ubnd_lists(ctx))
    found.extend(_member_lists(ctx))
    # overlaps: the longest mention wins
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[Mention] = []
    for a in found:
        if out and a.start < out[-1].end:
            if a.end - a.start > out[-1].end - out[-1].start and a.start == out[-1].start:
                out[-1] = a
            continue
        out.append(a)
    return out


def _ubnd_lists(ctx: Context) -> list[Mention]:
    *_, ubnd_list, heads = _compiled()
    out = []
    for m in ubnd_list.finditer(ctx.fold):
        kind, pos = m.group("k"), m.end()
        while pos < len(ctx.body):
            km = re.compile(r"(huyện|thị xã|thành phố|quận|xã|phường|thị trấn)\s+").match(ctx.fold, pos)
            if km:
                kind, pos = km.group(1), km.end()
            if not ctx.body[pos:pos + 1].isupper():
                break
            end = _locality_name_end(ctx, pos)
            if end == pos:
                break
            out.append(_mention(ctx, pos, end, f"Ủy ban nhân dân {kind} {ctx.body[pos:end]}", "state",
                                f"Ủy ban nhân dân {kind}"))
            sep = match_end(re.compile(r"\s*(,|;|\bvà\b)\s*"), ctx.fold, end)
            if sep is None:
                break
            pos = sep
    return out


_LIST_TRIGGER = re.compile(r"(?<!\w)(?:(?:bao\s+)?gồm(?:\s+có)?\s*:?\s*(?:các\s+sở\s*:?\s*)?|các\s+sở\s*:?\s*)")


def _member_lists(ctx: Context) -> list[Mention]:
    """Items after 'gồm:' / 'các sở:'; a bare field name ('Y tế') is read as 'Sở Y tế'."""
    by_key, dept_key, fixed, so, dept_only, *_ = _compiled()
    f, body = ctx.fold, ctx.body
    out = []
    for t in _LIST_TRIGGER.finditer(f):
        pos = t.end()
        while pos < len(f):
            item = None
            m = dept_only.match(f, pos)
            if m and body[pos].isupper():
                canon = dept_key.get(key(m.group("d")))
                if canon:
                    loc_end, _ = _locality(ctx, m.end())
                    item = _mention(ctx, pos, loc_end, "Sở " + canon, "state", "Sở")
            if item is None:
                m = fixed.match(f, pos)
                if m and body[pos].isupper():
                    item = _match_fixed(ctx, m, in_list=True)
            if item is None:
                m = so.match(f, pos)
                if m:
                    item = _match_so(ctx, m)
            if item is None:
                break
            if item.agency_class == "member":
                item.used = True  # a bloc member
            item.in_member_list = True
            out.append(item)
            sep = match_end(re.compile(r"\s*(?:[,;]+|\bvà\b)\s*"), f, item.end)
            if sep is None:
                break
            pos = sep
    return out


def extract(ctx: Context) -> None:
    ctx.agencies = scan(ctx)


def records(ctx: Context):
    """Agency records, once each, in order of first mention (after roles and awards marked use)."""
    from pipeline.records import Agency

    seen: dict[str, Agency] = {}
    blocs = {name for _, _, name in ctx.blocs}
    bloc = blocs.pop() if len(blocs) == 1 else None
    for a in ctx.agencies:
        if a.agency_class == "authority" or (a.agency_class == "member" and not a.used):
            continue
        k = key(a.name)
        k = re.sub(r" (tỉnh|thành phố)$", "", k)
        if k not in seen:
            seen[k] = Agency(a.name, ctx.evidence(a.start, a.end), type=a.type, agency_class=a.agency_class)
        if a.in_member_list and bloc:
            seen[k].member_of = bloc
    return list(seen.values())
