"""Scoring extraction against labelled articles, by the rules of the reference scorer.

This is a port of shared/tools/score.py (the project's reference): the same normalisation,
the same greedy one-to-one matching and thresholds, the same table. tests/test_eval.py runs
both on the dev set and requires identical output, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

TONE_FIX = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
ABBR = [
    (r"lđ\s*-?\s*tb\s*(&|và|-)?\s*xh|lđtbxh|lđ-tbxh", "lao động thương binh và xã hội"),
    (r"gd\s*(&|-|và)?\s*đt|gdđt", "giáo dục và đào tạo"),
    (r"tt\s*(&|-|và)\s*tt|tttt", "thông tin và truyền thông"),
    (r"kh\s*(&|-|và)\s*cn|khcn", "khoa học và công nghệ"),
    (r"vh\s*,?\s*-?\s*tt\s*(&|-|và|,)?\s*dl|vhttdl", "văn hóa thể thao và du lịch"),
    (r"kh\s*(&|-|và)\s*đt|khđt", "kế hoạch và đầu tư"),
    (r"tn\s*(&|-|và)\s*mt|tnmt", "tài nguyên và môi trường"),
    (r"nn\s*(&|-|và)\s*ptnt|nnptnt", "nông nghiệp và phát triển nông thôn"),
    (r"gtvt", "giao thông vận tải"), (r"thpt", "trung học phổ thông"), (r"thcs", "trung học cơ sở"),
    (r"ubnd", "ủy ban nhân dân"), (r"hđnd", "hội đồng nhân dân"), (r"bhxh", "bảo hiểm xã hội"),
    (r"pt\s*-?\s*th", "phát thanh truyền hình"), (r"cđcs", "công đoàn cơ sở"), (r"mttq", "mặt trận tổ quốc"),
    (r"tđkt|tđ-kt", "thi đua khen thưởng"), (r"ttxvn", "thông tấn xã việt nam"),
]
PROVINCES = (
    "An Giang|Bà Rịa - Vũng Tàu|Bà Rịa Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|Bình Định|"
    "Bình Phước|Bình Thuận|Cà Mau|Cao Bằng|Cần Thơ|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|Đồng Tháp|Gia Lai|"
    "Hà Giang|Hà Nam|Hà Nội|Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|Kon Tum|"
    "Lai Châu|Lạng Sơn|Lào Cai|Lâm Đồng|Long An|Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|"
    "Quảng Nam|Quảng Ngãi|Quảng Ninh|Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|"
    "Thừa Thiên Huế|Thừa Thiên - Huế|Huế|Tiền Giang|Thành phố Hồ Chí Minh|TP Hồ Chí Minh|TP. Hồ Chí Minh|Hồ Chí Minh|"
    "Trà Vinh|Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái"
)


def norm(s) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", str(s)).lower()
    for a, b in TONE_FIX.items():
        s = s.replace(a, b)
    for pat, rep in ABBR:
        s = re.sub(r"(?<!\w)(" + pat + r")(?!\w)", rep, s)
    s = s.replace("&", " và ")
    s = re.sub(r"[\-–—‑/,;:.()\"“”'’]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


_PROV = sorted({norm(p) for p in PROVINCES.split("|")}, key=len, reverse=True)


def norm_entity(s) -> str:
    s = norm(s)
    for p in _PROV:
        for pre in ("tỉnh ", "thành phố ", "tp ", ""):
            tail = " " + pre + p
            if s.endswith(tail) and len(s) > len(tail) + 3:
                s = s[: -len(tail)]
                break
    return re.sub(r" (tỉnh|thành phố)$", "", s)


def sim(a, b) -> float:
    a, b = norm_entity(a), norm_entity(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ta, tb = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, ta, tb).ratio())


def name_of(x) -> str:
    if isinstance(x, dict):
        return x.get("name") or x.get("holder") or ""
    return x or ""


def match(golds, preds, score):
    cands = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            s = score(g, p)
            if s > 0:
                cands.append((s, i, j))
    cands.sort(reverse=True)
    used_g, used_p, pairs = set(), set(), []
    for _s, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((golds[i], preds[j]))
    return pairs


def s_entity(th):
    return lambda g, p: (lambda v: v if v >= th else 0)(sim(name_of(g), name_of(p)))


def s_role(g, p):
    if g.get("role") != p.get("role"):
        return 0
    v = sim(g.get("holder"), p.get("holder"))
    return v if v >= 0.85 else 0


def s_award(g, p):
    if g.get("kind") != p.get("kind") or g.get("status") != p.get("status"):
        return 0
    if g.get("recipient"):
        v = sim(g["recipient"], p.get("recipient"))
        return v if v >= 0.85 else 0
    if g.get("count") is not None:
        return 1 if p.get("count") == g["count"] and not p.get("recipient") else 0
    if g.get("percent") is not None:
        return 1 if p.get("percent") == g["percent"] else 0
    return 1 if not p.get("recipient") else 0.5


def s_person(g, p):
    a, b = norm(name_of(g)), norm(name_of(p))
    return 1 if a and a == b else 0


def legal_key(x) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(x.get("number") or "")).upper())


def s_legal(g, p):
    return 1 if legal_key(g) and legal_key(g) == legal_key(p) else 0


def s_event(g, p):
    return 1 if g.get("kind") == p.get("kind") else 0


TYPES = {
    "agencies": s_entity(0.85), "blocs": s_entity(0.80), "bloc_roles": s_role, "awards": s_award,
    "people": s_person, "legal_refs": s_legal, "events": s_event,
}
SECONDARY = {
    "bloc_roles": ["year"], "awards": ["conferred_by", "year"], "events": ["date"],
    "legal_refs": ["date"], "people": ["title"],
}


def attr_ok(field_name, g, p) -> bool:
    gv, pv = g.get(field_name), p.get(field_name)
    if field_name in ("conferred_by", "title"):
        return sim(gv, pv) >= 0.8
    return str(gv) == str(pv)


@dataclass
class Score:
    tot: dict[str, list[int]] = field(default_factory=lambda: {t: [0, 0, 0] for t in TYPES})
    sec: dict[str, list[int]] = field(default_factory=dict)
    pub: list[int] = field(default_factory=lambda: [0, 0])
    missing: int = 0
    n_gold: int = 0
    diffs: list[str] = field(default_factory=list)

    def f1(self, t: str | None = None) -> float:
        if t:
            tp, g, p = self.tot[t]
        else:
            tp = sum(v[0] for v in self.tot.values())
            g = sum(v[1] for v in self.tot.values())
            p = sum(v[2] for v in self.tot.values())
        pr, rc = (tp / p if p else 0.0), (tp / g if g else 0.0)
        return 2 * pr * rc / (pr + rc) if pr + rc else 0.0

    def table(self, verbose: bool = False) -> str:
        lines = list(self.diffs) if verbose else []
        lines.append(f"{'type':<12} {'P':>6} {'R':>6} {'F1':>6}  tp/gold/pred")
        TP = G = P = 0
        for t, (tp, ng, npred) in self.tot.items():
            pr = tp / npred if npred else 0.0
            rc = tp / ng if ng else 0.0
            f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
            lines.append(f"{t:<12} {pr:6.3f} {rc:6.3f} {f1:6.3f}  {tp}/{ng}/{npred}")
            TP, G, P = TP + tp, G + ng, P + npred
        for k, (ok, n) in sorted(self.sec.items()):
            lines.append(f"attr {k:<22} {ok}/{n} = {ok / n if n else 0:.3f}")
        lines.append(f"published date accuracy {self.pub[0]}/{self.pub[1]}")
        if self.missing:
            lines.append(f"articles with no prediction: {self.missing}/{self.n_gold}")
        pr = TP / P if P else 0.0
        rc = TP / G if G else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        lines.append(f"overall micro-F1 = {f1:.3f} (P {pr:.3f} R {rc:.3f})")
        return "\n".join(lines)


def score(gold: dict[str, dict], pred: dict[str, dict]) -> Score:
    """gold: id -> gold labels; pred: id -> `thidua extract` object."""
    sc = Score(n_gold=len(gold))
    for gid, g in gold.items():
        p = pred.get(gid)
        if p is None:
            sc.missing += 1
            p = {}
        art = p.get("article") or {}
        if g.get("published"):
            sc.pub[1] += 1
            sc.pub[0] += int(str(art.get("published") or p.get("published") or "")[:10] == g["published"])
        for t, scorer in TYPES.items():
            gl = g.get(t) or []
            pl = p.get(t) or []
            if t in ("agencies", "blocs"):
                pl = [x for x in pl if name_of(x)]
            pairs = match(gl, pl, scorer)
            sc.tot[t][0] += len(pairs)
            sc.tot[t][1] += len(gl)
            sc.tot[t][2] += len(pl)
            for fld in SECONDARY.get(t, []):
                for gg, pp in pairs:
                    if isinstance(gg, dict) and gg.get(fld) is not None:
                        c = sc.sec.setdefault(f"{t}.{fld}", [0, 0])
                        c[1] += 1
                        c[0] += int(attr_ok(fld, gg, pp))

            for x in [gg for gg in gl if not any(gg is a for a, _ in pairs)]:
                sc.diffs.append(f"  {gid} {t} MISSED {json.dumps(x, ensure_ascii=False)[:160]}")
            for x in [pp for pp in pl if not any(pp is b for _, b in pairs)]:
                sc.diffs.append(f"  {gid} {t} EXTRA  {json.dumps(x, ensure_ascii=False)[:160]}")
    return sc
