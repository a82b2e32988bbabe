"""The one name walker for names written with no head word (extractors/names.py walk_bare) and the NAME atoms
built on it (extractors/name_atoms.py). Sentences are written for these tests (other provinces, names and
years than the dev articles)."""

import pytest

import gazetteers
from extractors import names
from extractors.name_atoms import name_atoms
from extractors.records import ArticleMeta
from gazetteers.textnorm import fold
from pipeline.extract import extract_body


def _bare(text: str, start: str, limit: str | None = None) -> str:
    pos = text.index(start)
    lim = text.index(limit) if limit else None
    return text[pos:names.walk_bare(text, fold(text), pos, lim)]


@pytest.mark.parametrize("text, start, want", [
    ("Năm 2020, Huyện ủy Mường Nhé làm Cụm trưởng.", "Huyện ủy", "Huyện ủy Mường Nhé"),
    ("Hội nghị thống nhất để huyện Bảo Lâm đảm nhận Cụm trưởng.", "huyện", "huyện Bảo Lâm"),
    ("Cờ Khối trưởng được giao cho thị xã Quảng Trị năm 2019.", "thị xã", "thị xã Quảng Trị"),
    ("Hội Nông dân tỉnh làm Khối phó.", "Hội", "Hội Nông dân tỉnh"),
    ("UBMTTQVN huyện Tam Đường giữ vai trò Cụm trưởng.", "UBMTTQVN", "UBMTTQVN huyện Tam Đường"),
    # a stop word of a bare name (bare_end), a number, punctuation end it
    ("Liên đoàn Lao động tỉnh thay mặt các đơn vị phát biểu.", "Liên đoàn", "Liên đoàn Lao động tỉnh"),
    ("Thị ủy Sa Pa 2021 đứng đầu.", "Thị ủy", "Thị ủy Sa Pa"),
    ("Huyện ủy Phong Thổ, Huyện ủy Sìn Hồ", "Huyện ủy", "Huyện ủy Phong Thổ"),
])
def test_walk_bare(text, start, want):
    assert _bare(text, start) == want


def test_walk_bare_reads_nothing_past_the_limit():
    text = "Huyện ủy Mường Lát Sở Nội vụ"
    assert _bare(text, "Huyện ủy", limit="Sở") == "Huyện ủy Mường Lát"


def test_not_first_words_are_skipped_at_the_start():
    text = "Đại diện Hội Cựu chiến binh tỉnh"
    assert text[names.skip_not_first(fold(text), 0, len(text)):] == "Hội Cựu chiến binh tỉnh"
    text = "Đồng Tháp"  # a place, not the 'đồng chí' of a title
    assert names.skip_not_first(fold(text), 0, len(text)) == 0


def test_bare_stop_lists_are_data():
    lists = gazetteers.name_stops()
    assert "thay mặt" in lists["bare_end2"] and "đại diện" in lists["not_first"]
    assert names.bare_stops().end >= names.stops().end


def test_name_atoms_skip_other_atoms_and_titles():
    text = "Ủy viên Ban Thường vụ, Huyện ủy Nậm Pồ làm Cụm trưởng năm 2022."
    f = fold(text)
    got = [a.value for a in name_atoms(text, f, [], titles=("ủy viên",))]
    assert got == ["Huyện ủy Nậm Pồ"]
    s = text.index("Huyện")
    assert name_atoms(text, f, [(s, s + len("Huyện ủy Nậm Pồ"))], titles=("ủy viên",)) == []


def test_a_bare_holder_through_the_pipeline():
    roles = extract_body("<t>", "Năm 2023, Cụm thi đua số 4 bầu Huyện ủy Mường Khương làm Cụm trưởng.",
                         ArticleMeta()).bloc_roles
    assert [(r.holder, r.role, r.year) for r in roles] == [("Huyện ủy Mường Khương", "truong_khoi", 2023)]


def test_bloc_names_share_the_stop_words_of_every_name():
    from extractors import blocs
    w = blocs.words()
    ends = names.stops().end
    assert {"luôn", "nằm"} <= ends and {"luôn", "nằm"} <= w.sets["stop"]
    assert "thuộc" in ends and "thuộc" not in w.sets["stop"]  # 'các đơn vị trực thuộc Sở ...' goes on


def test_bare_stop_at_and_the_recipient_stop_words_it_covers():
    text = "trực thuộc Sở"
    assert names.bare_stop_at(text, fold(text), 0)
    assert not names.bare_stop_at("Trực thuộc", fold("Trực thuộc"), 0)  # capitalised: a name may start
    # the words that end an award recipient's name end a bare name too
    for w in ("đề nghị", "bình xét", "dẫn đầu", "hoàn thành", "đã", "tặng", "thuộc"):
        assert names.bare_stop_at(w, fold(w), 0), w


def test_a_comma_inside_a_fixed_expression_and_a_stop_word_opening_a_sector_term():
    """name_stops.tsv comma_pair and keep2: 'Phòng, chống', 'cứu nạn, cứu hộ', 'tham nhũng' stay in the name."""
    from tests.conftest import extract_text

    names = [a.name for a in extract_text("Phòng Phòng, chống tham nhũng và Phòng Cảnh sát Phòng cháy, chữa cháy và "
                                          "cứu nạn, cứu hộ Công an tỉnh được tặng Bằng khen.").agencies]
    assert "Phòng Phòng, chống tham nhũng" in names
    assert "Phòng Cảnh sát Phòng cháy, chữa cháy và cứu nạn, cứu hộ" in names


def test_and_then_a_degree_starts_a_person_not_a_name_part():
    from tests.conftest import extract_text

    ex = extract_text("Thủ tướng Chính phủ tặng Bằng khen cho Trung tâm Y tế huyện Mù Cang Chải và ThS Lò Văn Páo.")
    assert {a.recipient for a in ex.awards} == {"Trung tâm Y tế huyện Mù Cang Chải", "Lò Văn Páo"}


def test_a_name_ends_where_an_award_phrase_starts():
    """A row 'Trường … Cờ thi đua …' scraped without a separator: the award (gazetteers/awards.tsv) ends the name."""
    from tests.conftest import extract_text

    names = {a.name for a in extract_text("Trường THPT Chuyên Hà Tĩnh Cờ thi đua của Bộ Giáo dục và Đào tạo; Phòng Nội "
                                          "vụ huyện Kỳ Anh Bằng khen của Chủ tịch UBND tỉnh.").agencies}
    assert {"Trường Trung học phổ thông Chuyên Hà Tĩnh", "Phòng Nội vụ huyện Kỳ Anh"} <= names


def test_a_city_that_is_the_province_closes_a_name_like_tinh():
    """'thành phố' with no name after it is the province level of a centrally-run city, as 'tỉnh' is."""
    from tests.conftest import extract_text

    names = {a.name for a in extract_text("Trung tâm Kiểm soát bệnh tật thành phố và Trung tâm Y tế quận Liên Chiểu "
                                          "được tặng Bằng khen.").agencies}
    assert "Trung tâm Kiểm soát bệnh tật thành phố" in names


def test_police_and_security_units_keep_their_sector_words():
    from tests.conftest import extract_text

    names = {a.name for a in extract_text("Phòng Cảnh sát điều tra tội phạm về ma túy và Phòng An ninh chính trị nội bộ "
                                          "Công an tỉnh được tặng Bằng khen.").agencies}
    assert {"Phòng Cảnh sát điều tra tội phạm về ma túy", "Phòng An ninh chính trị nội bộ"} <= names
