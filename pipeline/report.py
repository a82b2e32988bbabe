"""A one-page HTML report: per province, the bloc leadership timeline and awards by year.

Charts are inline SVG written here (no scripts, no CDN), so the page opens anywhere, offline.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

import duckdb

KIND_COLORS = {
    "co_thi_dua": "#dc2626", "bang_khen": "#2563eb", "giay_khen": "#16a34a", "chien_si_thi_dua": "#9333ea",
    "lao_dong_tien_tien": "#f59e0b", "tap_the_lao_dong_xuat_sac": "#0891b2", "tap_the_lao_dong_tien_tien": "#65a30d",
    "huan_chuong": "#b45309", "huy_chuong": "#a16207", "ky_niem_chuong": "#6b7280", "danh_hieu_vinh_du": "#be185d",
    "khac": "#94a3b8",
}
CSS = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#111}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}h3{font-size:1rem;color:#444}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
.legend span{display:inline-block;margin-right:1rem;font-size:.8rem}.legend i{display:inline-block;width:.8rem;
height:.8rem;margin-right:.3rem;vertical-align:middle}.muted{color:#777;font-size:.85rem}"""


def _leadership_svg(rows: list[tuple]) -> str:
    """rows: (year, role, holder, bloc). One lane per bloc, one box per (year, role)."""
    years = sorted({r[0] for r in rows if r[0] is not None})
    blocs = sorted({r[3] or "(bloc not named)" for r in rows})
    if not years:
        return "<p class='muted'>No year given for these roles.</p>"
    col, lane, left = 190, 58, 10
    width, height = max(900, left + col * len(years) + 10), 24 + lane * len(blocs)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' font-size='11'>"]
    for i, y in enumerate(years):
        out.append(f"<text x='{left + i * col + 4}' y='14' font-weight='bold'>{y}</text>")
    for j, b in enumerate(blocs):
        top = 22 + j * lane
        out.append(f"<text x='{left}' y='{top + 10}' fill='#555'>{escape(b[:120])}</text>")
        for k, role in enumerate(("truong_khoi", "pho_khoi")):
            for i, y in enumerate(years):
                holders = sorted({r[2] for r in rows if r[0] == y and r[1] == role and (r[3] or "(bloc not named)") == b})
                if not holders:
                    continue
                x, yy = left + i * col, top + 14 + k * 20
                fill = "#fde68a" if role == "truong_khoi" else "#e0e7ff"
                label = ("Trưởng: " if role == "truong_khoi" else "Phó: ") + "; ".join(holders)
                out.append(f"<rect x='{x}' y='{yy}' width='{col - 6}' height='17' rx='3' fill='{fill}'/>"
                           f"<text x='{x + 4}' y='{yy + 12}'>{escape(label[:34])}<title>{escape(label)}</title></text>")
    out.append("</svg>")
    return "".join(out)


def _awards_svg(rows: list[tuple]) -> str:
    """rows: (year, kind, units). Stacked bars per year."""
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    for y, kind, units in rows:
        if y is not None:
            by_year[y][kind] = by_year[y].get(kind, 0) + int(units or 0)
    if not by_year:
        return "<p class='muted'>No award has a year.</p>"
    years = sorted(by_year)
    top = max(sum(v.values()) for v in by_year.values()) or 1
    bar, gap, h, base = 36, 22, 160, 180
    width = 40 + len(years) * (bar + gap)
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{base + 24}' font-size='11'>",
           f"<line x1='30' y1='{base}' x2='{width}' y2='{base}' stroke='#999'/>",
           f"<text x='0' y='{base - h + 4}'>{top}</text>"]
    for i, y in enumerate(years):
        x, acc = 36 + i * (bar + gap), 0
        for kind, n in sorted(by_year[y].items()):
            hh = h * n / top
            out.append(f"<rect x='{x}' y='{base - acc - hh:.1f}' width='{bar}' height='{hh:.1f}' "
                       f"fill='{KIND_COLORS.get(kind, '#999')}'><title>{y} {kind}: {n}</title></rect>")
            acc += hh
        out.append(f"<text x='{x + 4}' y='{base + 15}'>{y}</text>")
    out.append("</svg>")
    return "".join(out)


def render(con: duckdb.DuckDBPyConnection) -> str:
    provinces = [r[0] for r in con.execute(
        "SELECT DISTINCT coalesce(province, '(province unknown)') FROM articles ORDER BY 1").fetchall()]
    n_articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    parts = [f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>thidua report</title>"
             f"<style>{CSS}</style></head><body><h1>Thi đua, khen thưởng: bloc leadership and awards</h1>"
             f"<p class='muted'>{n_articles} articles, {len(provinces)} provinces. Each figure comes from records "
             f"with an evidence span in the warehouse (views bloc_leaders, awards_by).</p>",
             "<p class='legend'>" + "".join(f"<span><i style='background:{c}'></i>{k}</span>"
                                            for k, c in KIND_COLORS.items()) + "</p>"]
    for prov in provinces:
        cond = "coalesce(province, '(province unknown)') = ?"
        cur = con.execute(f"SELECT any_value(province_current) FROM articles WHERE {cond}", [prov]).fetchall()[0][0]
        roles = con.execute(f"SELECT year, role, holder, bloc FROM bloc_leaders WHERE {cond}", [prov]).fetchall()
        awards = con.execute(f"SELECT year, kind, units FROM awards_by WHERE {cond}", [prov]).fetchall()
        table = con.execute(f"SELECT year, kind, status, recipient, count, conferred_by FROM awards_by WHERE {cond} "
                            f"ORDER BY year NULLS LAST, kind", [prov]).fetchall()
        parts.append(f"<h2>{escape(prov)}" + (f" <span class='muted'>(from 1 July 2025: {escape(cur)})</span>"
                                               if cur and cur != prov else "") + "</h2>")
        parts.append("<h3>Bloc leadership</h3>" + (_leadership_svg(roles) if roles else
                                                   "<p class='muted'>No bloc role found.</p>"))
        parts.append("<h3>Awards by year (units: people or collectives)</h3>" +
                     (_awards_svg([(y, k, u) for y, k, u in awards if u]) if awards else
                      "<p class='muted'>No award found.</p>"))
        if table:
            parts.append("<table><tr><th>year</th><th>kind</th><th>status</th><th>recipient</th><th>count</th>"
                         "<th>conferred by</th></tr>" + "".join(
                             "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in r) + "</tr>"
                             for r in table) + "</table>")
    parts.append("</body></html>")
    return "".join(parts)
