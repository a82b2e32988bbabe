"""Each gazetteer file loads, and the normalisation the extractors rely on holds."""

import datetime as dt

import pytest

import gazetteers as g
from extractors.dates import complete, parse_full
from gazetteers.textnorm import fold, key, tidy_name


def test_provinces_before_and_after_the_2025_merger():
    ps = g.provinces()
    assert len(ps) == 63 and len({p.current for p in ps}) == 34
    assert g.current_province("Bình Định") == "Gia Lai"
    assert g.current_province("Thừa Thiên - Huế") == "Huế"
    assert g.current_province("Hoà Bình") == "Phú Thọ"  # new tone placement
    assert g.province_named("Bà Rịa Vũng Tàu").name == "Bà Rịa - Vũng Tàu"


def test_agency_patterns_and_departments():
    pats = {p.pattern: p for p in g.agency_patterns()}
    assert pats["Trường Cao đẳng"].open_name and pats["Công an"].needs_locality
    assert pats["UBND tỉnh"].agency_class == "authority" and pats["Hội Liên hiệp Phụ nữ"].agency_class == "member"
    depts = dict(g.departments())
    assert "LĐ-TB&XH" in depts["Lao động - Thương binh và Xã hội"]
    assert g.expand_abbreviations("Văn phòng Đoàn ĐBQH và HĐND tỉnh") == \
        "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh"


def test_awards_titles_surnames_and_rules_load():
    kinds = dict(g.award_kinds())
    assert kinds["Tập thể lao động xuất sắc"] == "tap_the_lao_dong_xuat_sac"
    assert kinds["Lao động tiên tiến"] == "lao_dong_tien_tien"
    assert "Phó Giám đốc" in g.titles() and "Nguyễn" in g.surnames() and "Đồng chí" in g.honorifics()
    assert dict(g.legal_doc_types())["Nghị định"] == ("NĐ",)
    assert {a for a, _ in g.furniture()} >= {"drop", "stop", "strip"}
    assert {w for w, *_ in g.event_exclusions()} == {"before", "sentence"}
    assert "stop" in g.bloc_words()


def test_bad_gazetteer_line_names_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "awards.tsv").write_text("# kinds\nco_thi_dua\n", encoding="utf-8")
    monkeypatch.setattr(g, "HERE", tmp_path)
    with pytest.raises(g.GazetteerError, match=r"awards.tsv:2"):
        g._rows("awards.tsv", 2)


def test_fold_keeps_length_and_unifies_tone_placement():
    for s in ["Khánh Hoà", "Thuý", "kế hoạch", "Lao động – Thương binh"]:
        assert len(fold(s)) == len(s)
    assert fold("Hoà Bình") == fold("Hòa Bình")
    assert fold("kế hoạch") == "kế hoạch"  # 'oạ' before a consonant has one spelling
    assert key("Sở LĐ-TB&XH") == key("sở lđ tb xh")
    assert tidy_name("Sở Lao động – Thương binh  và Xã hội") == "Sở Lao động - Thương binh và Xã hội"


def test_dates_full_and_completed():
    assert parse_full("31-7-2017") == "2017-07-31"
    assert parse_full("ngày 15 tháng 7 năm 2023") == "2023-07-15"
    assert complete(29, 2, dt.date(2024, 3, 1)) == "2024-02-29"  # leap day, before the publication date
    assert complete(26, 12, dt.date(2018, 1, 3)) == "2017-12-26"  # previous year
    assert complete(20, 7, None, 2020) == "2020-07-20"
    assert complete(30, 2, dt.date(2024, 3, 1)) is None


def test_tcvn3_table_loads_and_a_bad_row_is_named(tmp_path, monkeypatch):
    table = g.tcvn3_letters()
    assert len(table) == 74 and table[0xB8] == "á" and table[0xAE] == "đ" and table[0xA7] == "Đ"
    assert len(set(table.values())) == 74
    (tmp_path / "legacy_tcvn3.tsv").write_text("# byte\tletter\nZZ\tá\n", encoding="utf-8")
    monkeypatch.setattr(g, "HERE", tmp_path)
    g.tcvn3_letters.cache_clear()
    try:
        with pytest.raises(g.GazetteerError, match=r"legacy_tcvn3.tsv: 'ZZ'"):
            g.tcvn3_letters()
    finally:
        g.tcvn3_letters.cache_clear()


def test_fold_replaces_dashes_and_odd_spaces_like_the_table():
    """textnorm.fold substitutes dashes and odd spaces with regexes; the result is what the _DASHES table gives."""
    import random

    from gazetteers import textnorm

    pieces = [*"–—‑‐−\u00a0\u2009 -aAoàỶ\n", "Hoà", "hoạch", "Sở Nội vụ – tỉnh"]
    rnd = random.Random(3)
    for text in ("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(3000)):
        folded = textnorm.fold(text)
        assert folded == textnorm._TONE_RE.sub(lambda m: textnorm._TONE_PAIRS[m.group(0)], text.lower()).translate(
            textnorm._DASHES), text
        assert len(folded) == len(text)
    assert textnorm.fold("Sở\u00a0A – B") == "sở a - b"
