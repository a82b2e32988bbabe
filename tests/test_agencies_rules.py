"""Agencies: the name walker (extractors/names.py), the gazetteer heads and the list mechanisms.

Sentences are written for these tests (other provinces, names and years than the dev articles).
"""

import pytest

import gazetteers
from extractors import names
from gazetteers.textnorm import key
from tests.conftest import extract_text, name_after


@pytest.mark.parametrize("text, head, want", [
    # a field component goes on in lower case, joined by 'và'
    ("Chi cục Trồng trọt và Bảo vệ thực vật tổ chức hội nghị.", "Chi cục", "Chi cục Trồng trọt và Bảo vệ thực vật"),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Ea Súp đạt giải.", "Phòng",
     "Phòng Nông nghiệp và Phát triển nông thôn huyện Ea Súp"),
    # a proper name ends at the first lower-case word
    ("Trường THPT Chu Văn An luôn nằm trong tốp đầu.", "Trường THPT", "Trường THPT Chu Văn An"),
    ("Bệnh viện Điều dưỡng - Phục hồi chức năng Lạng Sơn đoạt giải Ba.", "Bệnh viện",
     "Bệnh viện Điều dưỡng - Phục hồi chức năng Lạng Sơn"),
    # a hard-wrapped line inside a name
    ("Chi cục Chăn\nnuôi và Thú y đã triển khai.", "Chi cục", "Chi cục Chăn\nnuôi và Thú y"),
    # another agency after 'và' ends the name
    ("Trung tâm Văn hóa và Sở Y tế", "Trung tâm", "Trung tâm Văn hóa"),
    # a school named after a person, then a person
    ("Hiệu trưởng Trường THPT Lê Lợi Nguyễn Văn Bình phát biểu.", "Trường THPT", "Trường THPT Lê Lợi"),
    ("Phó Giám đốc Chi cục Kiểm lâm Trần Thị Hoa báo cáo.", "Chi cục", "Chi cục Kiểm lâm"),
    ("Trường THPT Chuyên Lê Quý Đôn đạt giải.", "Trường THPT", "Trường THPT Chuyên Lê Quý Đôn"),
    ("Trường Tiểu học số 2 Cát Hanh đạt chuẩn.", "Trường Tiểu học", "Trường Tiểu học số 2 Cát Hanh"),
])
def test_walker(text, head, want):
    assert name_after(text, head) == want


def test_lower_case_start_needs_a_capitalised_component():
    text = "Ban Quản lý dự án đầu tư xây dựng các công trình Nông nghiệp tỉnh chủ trì."
    assert name_after(text, "Ban Quản lý dự án", lower_first_ok=True) == \
        "Ban Quản lý dự án đầu tư xây dựng các công trình Nông nghiệp tỉnh"
    assert name_after("Trung tâm hội nghị tỉnh", "Trung tâm", lower_first_ok=True) == "Trung tâm"


def test_stop_list_is_data():
    st = names.stops()
    assert "luôn" in st.end and "tổ chức" in st.end2 and "các" in st.weak
    assert gazetteers.name_stops()["locality"]


def test_district_levels_come_from_the_dataset():
    assert gazetteers.district_kind("Bình Thuận", "La Gi") == "thị xã"
    assert gazetteers.district_kind("Quảng Ninh", "Cẩm Phả") == "thành phố"
    assert gazetteers.district_kind(None, "Nowhere") is None


def _agencies(text: str) -> list[str]:
    return [a.name for a in extract_text(text).agencies]


def test_party_and_front_bodies_listed_as_bloc_members():
    names_ = _agencies("Cụm thi đua số 3 gồm 4 đơn vị: Huyện ủy Tam Nông, Thanh Thủy, Lâm Thao và Thị ủy Phú Thọ "
                       "đã tổ chức hội nghị năm 2021.")
    assert {key(n) for n in names_} >= {key("Huyện ủy Thanh Thủy"), key("Thị ủy Phú Thọ")}


def test_party_bodies_not_listed_when_only_named():
    assert not any("Huyện ủy" in n for n in _agencies("Đồng chí Bí thư Huyện ủy Tam Nông dự buổi làm việc."))


def test_inspectorate_of_a_department_is_one_agency():
    assert key("Thanh tra Sở Tài chính") in {key(n) for n in _agencies("Thanh tra Sở Tài chính kiểm tra 12 đơn vị.")}


def test_council_in_a_title_is_not_listed():
    got = _agencies("Ông Lò Văn Tiến, Phó Chủ tịch Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên dự họp.")
    assert not any("Hội đồng" in n for n in got)
    got = _agencies("Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên họp xét khen thưởng năm 2020.")
    assert any("Hội đồng Thi đua - Khen thưởng" in n for n in got)


def test_portal_masthead_is_not_listed():
    assert _agencies("Chi cục Thủy lợi Hà Giang\n\nTin tức\n\nSở Nội vụ tổ chức hội nghị.") == ["Sở Nội vụ"]


def test_a_list_may_switch_school_level():
    got = _agencies("Cụm thi đua số 4 gồm: Trường Mầm non Hoa Mai, Tiểu học Kim Đồng và THCS Lê Lợi tổ chức hội nghị.")
    assert {key(n) for n in got} >= {key("Trường Tiểu học Kim Đồng"), key("Trường Trung học cơ sở Lê Lợi")}


def test_the_publishing_newspaper_is_not_listed():
    text = "Báo Sơn La và Sở Y tế được tặng Cờ thi đua của Chính phủ."
    got = [a.name for a in extract_text(text, url="https://baosonla.vn/xa-hoi/tin-1.html").agencies]
    assert "Sở Y tế" in got and not any(n.startswith("Báo") for n in got)
