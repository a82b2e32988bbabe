"""Awards: one record per (award, recipient), or per count when only counts are given.

Each award phrase (gazetteers/awards.tsv) is read with its surroundings in the sentence:
- status from cue words before it (gazetteers/award_status.tsv; target > proposed > conferred);
- conferring authority from 'của X' after it or 'X tặng/trao' before it (gazetteers/conferrers.tsv),
  else inherited from the previous award of the same clause ('UBND tỉnh tặng Bằng khen ... và công nhận ...');
- recipients: agencies or people after 'cho', named lists after 'là' / 'đó là:' / 'gồm:', the
  subject of 'được nhận', or counts ('08 cá nhân và 04 tập thể', '02 đơn vị được nhận ...');
- percentages for targets ('Lao động tiên tiến 95%', '30% tập thể đạt ...');
- the year written with it, else in its clause, else 'Năm 2019,' opening the sentence; targets take
  the sentence's or the planned year.
"""

from __future__ import annotations

import re
from functools import cache

import gazetteers
from extractors.common import Context, Mention, meeting_years, sentence_of, sentences, years_in
from pipeline.records import Award
from pipeline.textnorm import flex_pattern, fold, key, tidy_name

UNIT = r"(?:cá nhân|tập thể|đơn vị|cơ quan|tổ chức|người|đồng chí|công chức|viên chức|trường|xã|phường|huyện|doanh nghiệp)"
COUNT_AFTER = re.compile(r"\s*(?:cho\s+)?(\d{1,4})\s+" + UNIT + r"(?:(?:\s*,\s*|\s+và\s+)(\d{1,4})\s+" + UNIT + r")?")
COUNT_BEFORE = re.compile(r"(?:có\s+|từ\s+)?(\d{1,4})\s+" + UNIT + r"(?:\s+trở lên)?(?:\s+[^,;.]{0,60}?)?\s+(?:được\s+)?"
                          r"(?:đề nghị\s+)?(?:nhận|tặng|trao|đạt|công nhận)(?:\s+danh hiệu)?\s*$")
# the recipient as subject: 'X được nhận', 'X vinh dự đón nhận', 'X được UBND tỉnh tặng' (not 'X tặng')
RECEIVE_BEFORE = re.compile(r"\s+(?:đã\s+|cũng\s+)*(?:vinh dự\s+)?(?:(?:được\s+)?(?:đón\s+)?nhận|được\s+(?:[^,;.]{1,40}?\s+)?"
                            r"(?:tặng thưởng|tặng|trao tặng|trao|công nhận))\s*(?:danh hiệu\s+)?$")
PERCENT_AFTER = re.compile(r"\s*(\d{1,3}(?:[.,]\d+)?)\s*%")
PERCENT_BEFORE = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%\s+[^,;%]{0,50}$")
NAMED_INTRO = re.compile(r"\s*(?:,\s*)?(?:đó\s+là|là|gồm|bao gồm|cụ thể)\s*:?\s*")
VERB = r"(?:trao tặng|tặng thưởng|tặng|trao|khen thưởng|công nhận)"
PROVINCE_UNIT = re.compile(r"(?:tỉnh|thành phố)\s+" + gazetteers.province_alternation() + r"(?!\w)")
CLASS = re.compile(r"\s+hạng\s+(?:nhất|nhì|ba|i{1,3})(?!\w)")
DELEGATED = re.compile(r"(?:thừa ủy quyền|thừa lệnh|được ủy quyền)\s+(?:của\s+)?")
PERIOD = re.compile(r"(?:từ năm\s+(?:19|20)\d{2}\s+đến(?: năm)?\s+(?:19|20)\d{2}|giai đoạn\s+(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2})")


@cache
def _kinds() -> re.Pattern[str]:
    alts = [re.escape(fold(p)) for p, _ in gazetteers.award_kinds()]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")


@cache
def _kind_of() -> dict[str, str]:
    return {fold(p): k for p, k in gazetteers.award_kinds()}


@cache
def _status_rx() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for status, cues in gazetteers.award_status_cues():
        alts = "|".join(re.escape(fold(c)) for c in sorted(cues, key=len, reverse=True))
        out.append((status, re.compile(r"(?<![\w])(?<!chương )(?<!quá )(?<!ghi )(?<!tiếp )(?:" + alts +
                                       r")(?!\w)(?! bày)")))
    return out


@cache
def _conferrers() -> tuple[re.Pattern[str], dict[str, str]]:
    pairs = gazetteers.conferrers()
    table, alts = {}, []
    for pat, canon in pairs:
        p = pat.rstrip("* ").strip()
        table[key(p)] = canon
        alts.append(re.escape(fold(p)) + (r"\s+[\wđ\s&,\-–]+?" if pat.endswith("*") else ""))
    return re.compile(r"(?:" + "|".join(alts) + r")"), table


def _extend_ministry(ctx: Context, start: int, end: int) -> int:
    """'Bộ trưởng Bộ C…' matched lazily: run on over the ministry's name ('Bộ Công an', 'Bộ Lao động – TBXH')."""
    m = re.compile(r"(?:bộ trưởng\s+)?bộ\s+").match(ctx.fold, start)
    if not m:
        return end
    pos = m.end()
    for _canon, variants in gazetteers.departments():
        for v in sorted(variants, key=len, reverse=True):
            dm = re.compile(flex_pattern(v) + r"(?!\w)").match(ctx.fold, pos)
            if dm:
                return dm.end()
    wm = re.compile(r"(?:[A-ZĐÀ-Ỹ][\w]*)(?:\s+[A-ZĐÀ-Ỹa-zđà-ỹ][\w]*){0,3}").match(ctx.body, pos)
    if not wm:
        return end
    words = wm.group(0).split()
    keep = [words[0]] + [w for w in words[1:]][:1]  # 'Công an', 'Quốc phòng', 'Nội vụ'
    return pos + len(" ".join(keep))


def _canon_conferrer(text: str) -> str | None:
    rx, table = _conferrers()
    t = fold(text).strip()
    m = rx.match(t)
    if not m:
        return None
    k = key(t[:m.end()])
    if k in table:
        return table[k]
    # 'Bộ Lao động – TBXH' -> 'Bộ Lao động - Thương binh và Xã hội' through the departments gazetteer
    bm = re.match(r"(bộ trưởng\s+)?bộ\s+", t)
    if bm:
        rest = key(t[bm.end():])
        prefix = "Bộ trưởng Bộ " if bm.group(1) else "Bộ "
        for canon, variants in gazetteers.departments():
            if any(rest.startswith(key(v)) for v in variants):
                return prefix + canon
        return tidy_name(text)
    for k2, canon in table.items():
        if k.startswith(k2):
            return canon
    return None


STATUS_WINDOW = 2000  # characters before the award: a whole 1 MB 'sentence' per award was quadratic


def _status(ctx: Context, sent_start: int, pos: int) -> str:
    window = ctx.fold[max(sent_start, pos - STATUS_WINDOW):pos]
    for status, rx in _status_rx():
        if rx.search(window):
            return status
    return "conferred"


def _conferrer_after(ctx: Context, pos: int) -> tuple[str | None, int]:
    m = re.compile(r"\s*(?:năm\s+\d{4}\s+)?của\s+").match(ctx.fold, pos)
    if not m:
        return None, pos
    s = m.end()
    rx, _ = _conferrers()
    cm = rx.match(ctx.fold, s)
    if not cm:
        return None, pos
    end = _extend_ministry(ctx, s, cm.end())
    cm_end = end
    pm = re.compile(r"\s+(?:tỉnh\s+)?" + gazetteers.province_alternation() + r"(?!\w)").match(ctx.fold, end)
    if pm:
        end = pm.end()
    return _canon_conferrer(ctx.body[s:cm_end]), end


def _conferrer_before(ctx: Context, start: int, pos: int) -> str | None:
    """'X tặng Bằng khen': X right before the verb, or X opening the clause ('UBND tỉnh tặng ... và công nhận')."""
    rx, _ = _conferrers()
    window = ctx.fold[start:pos]
    prov = gazetteers.province_alternation()
    pat = re.compile(r"(?P<c>" + rx.pattern + r")(?:\s+(?:tỉnh\s+)?" + prov + r")?(?:\s+(?:cũng|đã|sẽ|vừa|có|quyết định|"
                     r"ra quyết định|thống nhất|đồng ý))*\s+" + VERB + r"(?:\s+danh hiệu)?\s*$")
    m = pat.search(window)
    if m:
        cs = start + m.start("c")
        return _canon_conferrer(ctx.body[cs:_extend_ministry(ctx, cs, start + m.end("c"))])
    if not re.search(r"(?<!\w)" + VERB + r"(?!\w)", window):
        return None
    # the subject at the start of the clause or after a list mark: 'như sau: Bộ Lao động – TBXH tặng ...'
    for cm in re.finditer(r"(?:^|[,;:]\s*)", window):
        s = cm.end()
        while s < len(window) and window[s] == " ":
            s += 1
        m = rx.match(window, s)
        if m and re.search(r"(?<!\w)" + VERB + r"(?!\w)", window[m.end():]) and ";" not in window[m.end():]:
            return _canon_conferrer(ctx.body[start + s:_extend_ministry(ctx, start + s, start + m.end())])
    return None


def _clause_end(ctx: Context, pos: int, sent_end: int) -> int:
    m = re.compile(r"[;:]|\.(?!\d)").search(ctx.fold, pos, sent_end)
    return m.start() if m else sent_end


def _named_items(ctx: Context, pos: int, end: int) -> list[tuple[int, int, str]]:
    """Recipients named in a list: 'là A, B' / 'đó là: A; B; C (huyện X)' / 'gồm:\n1. A; ...'."""
    body = ctx.body
    items = []
    text = body[pos:end]
    sep = ";" if ";" in text else ","
    offset = pos
    for part in re.split(r"(" + re.escape(sep) + r"|\n)", text):
        if part in (sep, "\n"):
            offset += len(part)
            continue
        raw = part
        s = offset + (len(raw) - len(raw.lstrip()))
        item = raw.strip()
        nm = re.match(r"\d+\s*[.)]\s*", item)
        if nm:
            s += nm.end()
            item = item[nm.end():]
        item = re.sub(r"\s*\([^)]*\)\s*", " ", item).strip(" ./")
        if sep == "," and " và " in item and len(items) == 0 and False:
            pass
        for sub in (re.split(r"\s+và\s+(?=[A-ZĐÀ-Ỹ])", item) if sep == "," else [item]):
            sub = sub.strip(" ./")
            if not sub or not sub[0].isupper():
                continue
            i = body.find(sub, s)
            i = i if i >= 0 else s
            a = next((a for a in ctx.agencies if a.start == i), None)
            if a is not None:
                a.used = True
                items.append((a.start, a.end, ctx.display_name(a)))
            elif len(sub.split()) <= 14:
                items.append((i, i + len(sub), sub))
        offset += len(raw)
    return items


def _entity_list_after(ctx: Context, pos: int, end: int) -> list[tuple[int, int, str]]:
    """Agencies and people right after 'cho', separated by ',', ';' or 'và'."""
    out = []
    cur = pos
    provs = [Mention(m.start(), m.end(), ctx.body[m.start():m.end()], "province")
             for m in PROVINCE_UNIT.finditer(ctx.fold, pos, end)]
    ents = sorted([*[a for a in ctx.agencies if a.agency_class != "authority"], *ctx.people, *provs],
                  key=lambda x: x.start)
    while cur < end:
        nxt = next((e for e in ents if e.start >= cur and e.start < end), None)
        if nxt is None:
            break
        gap = ctx.fold[cur:nxt.start]
        if out and not re.fullmatch(r"\s*(?:[,;]+|và)\s*(?:(?:ông|bà|đồng chí)\s+)?", gap):
            break
        if not out and not re.fullmatch(r"\s*(?:(?:ông|bà|đồng chí)\s+)?", gap):
            break
        if nxt.kind == "agency":
            nxt.used = True
        out.append((nxt.start, nxt.end, ctx.display_name(nxt)))
        cur = nxt.end
    return out


def extract(ctx: Context) -> None:
    f, body = ctx.fold, ctx.body
    sents = sentences(body)
    kinds = _kind_of()
    years = meeting_years(ctx)
    records: list[Award] = []
    last_by_clause: dict[int, str] = {}
    prev_award_end = -1
    for m in _kinds().finditer(f):
        kind = kinds[m.group(0)]
        s0, e0 = m.start(), m.end()
        if cls := CLASS.match(f, e0):  # 'Huân chương Lao động hạng Ba'
            e0 = cls.end()
        ss, se = sentence_of(sents, s0)
        if ss == se:
            ss, se = 0, len(f)
        status = _status(ctx, ss, s0)
        clause_start = max(ss, f.rfind(";", ss, s0) + 1)
        conferrer, after = _conferrer_after(ctx, e0)
        if conferrer is None and (dm := DELEGATED.search(f, ss, s0)):
            # 'Thừa ủy quyền của Chủ tịch nước, đồng chí A, Chủ tịch UBND tỉnh đã trao ...'
            rx, _ = _conferrers()
            if cm := rx.match(f, dm.end()):
                conferrer = _canon_conferrer(body[dm.end():cm.end()])
        if conferrer is None:
            conferrer = _conferrer_before(ctx, clause_start, s0)
        if conferrer is None:
            conferrer = last_by_clause.get(ss)  # 'đề nghị UBND tỉnh tặng Cờ thi đua ...; tặng Bằng khen cho ...'
        if conferrer:
            last_by_clause[ss] = conferrer
        # year
        year = None
        ym = re.compile(r"\s*(?:năm\s+((?:19|20)\d{2}))").match(f, after)
        if ym:
            year = int(ym.group(1))
            after_y = ym.end()
        else:
            after_y = after
        cend = _clause_end(ctx, after_y, se)
        if year is None and status != "target" and not PERIOD.search(f, e0, cend):
            ys = years_in(body[e0:cend])
            year = ys[0] if ys else None
        if year is None:
            sm = re.compile(r"\s*(?:trong\s+)?năm\s+((?:19|20)\d{2})\s*,").match(f, ss)
            if sm:
                year = int(sm.group(1))
        if year is None and status != "target":
            since = max(clause_start, prev_award_end if prev_award_end > ss else 0)
            ys = years_in(body[since:s0])  # '02 tập thể ... năm 2019 cũng được tặng Bằng khen'
            year = ys[-1] if ys else None
        if year is None and status == "target":
            ys = years_in(body[ss:se])
            year = ys[0] if ys else (years.get("planned") or years.get("activity"))
        # recipients, counts, percent
        recips: list[tuple[int, int, str]] = []
        counts: list[int] = []
        percent = None
        tail = f[after_y:cend]
        cm = re.match(r"\s*cho\s+", tail)
        list_end = se
        if cm:
            p = after_y + cm.end()
            cnt = COUNT_AFTER.match(f, p)
            if cnt:
                q = cnt.end()
                intro = re.compile(r"[^;.]{0,200}?(?:đó là|gồm|bao gồm|cụ thể là|cụ thể)\s*:\s*").match(f, q) or \
                    re.compile(r"[^;:.]{0,40}?" + NAMED_INTRO.pattern).match(f, q)
                if intro and re.search(r"(là|gồm|cụ thể)", f[q:intro.end()]):
                    recips = _entity_list_after(ctx, intro.end(), list_end) or \
                        _named_items(ctx, intro.end(), _list_end(ctx, intro.end(), se))
                    # '01 tập thể ... là X và 1 cá nhân là bà Y'
                    more = re.compile(r"\s+và\s+\d+\s+" + UNIT + r"\s+là\s+").match(f, recips[-1][1]) if recips else None
                    if more:
                        recips += _entity_list_after(ctx, more.end(), list_end)
                else:
                    counts = [int(cnt.group(1))] + ([int(cnt.group(2))] if cnt.group(2) else [])
            else:
                recips = _entity_list_after(ctx, p, se)
        else:
            cnt = COUNT_AFTER.match(f, after_y)
            intro = NAMED_INTRO.match(f, after_y)
            if cnt and not re.compile(r"\s*\d+\s*%").match(f, after_y):
                counts = [int(cnt.group(1))] + ([int(cnt.group(2))] if cnt.group(2) else [])
            elif intro and re.search(r"(là|gồm)", f[after_y:intro.end()]):
                recips = _entity_list_after(ctx, intro.end(), se) or \
                    _named_items(ctx, intro.end(), _list_end(ctx, intro.end(), se))
        if not recips and not counts:
            before = f[clause_start:s0]
            ent = _subject_before(ctx, clause_start, s0)
            if ent:
                recips = [ent]
            elif (cb := COUNT_BEFORE.search(before)):
                counts = [int(cb.group(1))]
        pa = PERCENT_AFTER.match(f, e0)
        pb = PERCENT_BEFORE.search(f[max(clause_start, f.rfind(",", ss, s0) + 1):s0])
        if pa or pb:
            percent = _num((pa or pb).group(1))
            counts, recips = [], []
        ev_end = max([e0, *[r[1] for r in recips]])
        prev_award_end = max(after_y, ev_end)
        ev = ctx.evidence(min(s0, *[r[0] for r in recips]) if recips else s0, ev_end)
        award_name = tidy_name(body[s0:e0])
        if recips:
            for _rs, _re, name in recips:
                records.append(Award(kind, conferrer, tidy_name(name), None, None, status, year, ev, award_name))
        elif counts:
            for c in counts:
                records.append(Award(kind, conferrer, None, c, None, status, year, ev, award_name))
        else:
            records.append(Award(kind, conferrer, None, None, percent, status, year, ev, award_name))
    ctx.records["awards"] = _dedupe(records)


def _list_end(ctx: Context, pos: int, sent_end: int) -> int:
    """A numbered list ('gomo:\\n1. ...\\n2. ...') runs past sentence ends until the numbering stops."""
    end = sent_end
    for m in re.finditer(r"\n\s*\d+\s*[.)]", ctx.body[pos:]):
        line_end = ctx.body.find("\n", pos + m.end())
        end = max(end, line_end if line_end >= 0 else len(ctx.body))
    return end


def _subject_before(ctx: Context, start: int, pos: int) -> tuple[int, int, str] | None:
    best = None
    for e in [*ctx.agencies, *ctx.people]:
        if e.agency_class == "authority":
            continue
        if start <= e.start and e.end <= pos and RECEIVE_BEFORE.fullmatch(ctx.fold[e.end:pos]):
            if best is None or e.end > best.end:
                best = e
    if best is None:
        # 'Thanh tra tỉnh được nhận', also through a person's title ('Ông A, Phó Giám đốc Sở Y tế nhận cờ')
        for p in ctx.people:
            if p.title and start <= p.start and p.title_end <= pos and RECEIVE_BEFORE.fullmatch(ctx.fold[p.title_end:pos]):
                inside = [a for a in ctx.agencies if p.end <= a.start and a.end <= p.title_end]
                if inside:
                    best = inside[-1]
    if best is None:
        return None
    if best.kind == "agency":
        best.used = True
    return best.start, best.end, ctx.display_name(best)


def _num(s: str) -> int | float:
    v = float(s.replace(",", "."))
    return int(v) if v.is_integer() else v


def _dedupe(records: list[Award]) -> list[Award]:
    merged: dict[tuple, Award] = {}
    for r in records:
        k = (r.kind, r.status, key(r.recipient) if r.recipient else None, r.count, r.percent, id(r) if not
             (r.recipient or r.count is not None or r.percent is not None) else None)
        if r.recipient and k in merged:
            o = merged[k]
            o.year = o.year or r.year
            o.conferred_by = o.conferred_by or r.conferred_by
            continue
        merged.setdefault(k, r)
    out = list(merged.values())
    # a year written once for a kind holds for its other records ('Danh hiệu ... năm 2019' in the title)
    for r in out:
        if r.year is None and r.status != "target":
            ys = {o.year for o in out if o.kind == r.kind and o.status == r.status and o.year
                  and (o.conferred_by is None or r.conferred_by is None or o.conferred_by == r.conferred_by)}
            if len(ys) == 1:
                r.year = ys.pop()
    named: dict[tuple, list[Award]] = {}
    for r in out:
        if r.recipient:
            named.setdefault((r.kind, r.status), []).append(r)
    specific = {(r.kind, r.status) for r in out if r.recipient or r.count is not None or r.percent is not None}

    def counted_by_names(r: Award) -> bool:
        """'Có 07 tập thể đạt ...' restates the seven recipients named elsewhere."""
        same = named.get((r.kind, r.status), [])
        return bool(same) and (r.conferred_by is None or any(o.conferred_by == r.conferred_by for o in same)) \
            and len(same) >= (r.count or 0)

    out = [r for r in out if not (r.count is not None and counted_by_names(r))]
    out = [r for r in out if r.recipient or r.count is not None or r.percent is not None
           or (r.kind, r.status) not in specific]
    # one bare record per (kind, status)
    seen, final = set(), []
    for r in out:
        bare = not (r.recipient or r.count is not None or r.percent is not None)
        if bare and (r.kind, r.status) in seen:
            continue
        if bare:
            seen.add((r.kind, r.status))
        final.append(r)
    return final
