"""Agencies, round 2: the sector vocabulary of the name walker, lists and heads (sentences written for these tests)."""

import pytest

from tests.conftest import extract_text, name_after


@pytest.mark.parametrize("text, head, want", [
    # a long lower-case run of sector words is one field component
    ("Trung tâm Nước sạch và Vệ sinh môi trường nông thôn được tặng Bằng khen.", "Trung tâm",
     "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn"),
    # 'và' then a sector word goes on inside a sector run
    ("Chi cục Quản lý chất lượng nông lâm sản và thủy sản dẫn đầu khối.", "Chi cục",
     "Chi cục Quản lý chất lượng nông lâm sản và thủy sản"),
    ("Trung tâm Công nghệ thông tin và truyền thông vinh dự đón nhận Cờ.", "Trung tâm",
     "Trung tâm Công nghệ thông tin và truyền thông"),
    # a comma inside a name: sector words, then 'và' and a sector word
    ("Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Bình được tặng Giấy khen.", "Trung tâm",
     "Trung tâm Văn hóa, Thông tin và Thể thao huyện Gia Bình"),
    ("Trung tâm Khảo, kiểm nghiệm giống, sản phẩm cây trồng và phân bón được tặng Bằng khen.", "Trung tâm",
     "Trung tâm Khảo, kiểm nghiệm giống, sản phẩm cây trồng và phân bón"),
    # a department after the comma is a list sharing the head; proper names are no series
    ("Phòng Nội vụ, Tư pháp và Văn hóa được khen.", "Phòng", "Phòng Nội vụ"),
    ("Trường THPT Lê Lợi, Nguyễn Du và Trần Phú được khen.", "Trường THPT", "Trường THPT Lê Lợi"),
    ("Trung tâm Y tế, bệnh viện và trạm y tế tuyến xã.", "Trung tâm", "Trung tâm Y tế"),
    # a lower-case word between the head and its proper name (name_stops.tsv pre_name)
    ("Trường THPT chuyên Long An được tặng Cờ thi đua.", "Trường THPT", "Trường THPT chuyên Long An"),
    # a long run with words outside the sector vocabulary is still cut to one compound
    ("Chi cục Kiểm lâm luôn phối hợp các lực lượng.", "Chi cục", "Chi cục Kiểm lâm"),
])
def test_sector_runs(text, head, want):
    assert name_after(text, head) == want


def _agencies(text: str, province: str = "Quảng Trị") -> list[str]:
    return [a.name for a in extract_text(text, province=province).agencies]


def test_lower_first_sector_name():
    got = _agencies("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh được tặng Giấy khen.",
                    "Bình Thuận")
    assert [g.removesuffix(" tỉnh") for g in got] == ["Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp"]


def test_office_of_a_department_names_the_department():
    # 'Văn phòng Sở' (flag bare) stands alone; followed by a department it is that Sở's
    assert _agencies("Ông Lý Văn Khải, Chánh Văn phòng Sở Tư pháp, nhận Bằng khen.", "Bạc Liêu") == ["Sở Tư pháp"]


def test_district_units_listed_by_locality():
    # a one-per-district unit before 'các huyện: A, B' (words_agencies.tsv unit_head): one unit per locality
    got = _agencies("Phòng Giáo dục và Đào tạo các huyện: Anh Sơn, Con Cuông được tặng Giấy khen.", "Nghệ An")
    assert got == ["Phòng Giáo dục và Đào tạo huyện Anh Sơn", "Phòng Giáo dục và Đào tạo huyện Con Cuông"]
    got = _agencies("Công an các xã: Tân Lập, Hòa Bình được tặng Giấy khen.", "Bình Phước")
    assert got == ["Công an xã Tân Lập", "Công an xã Hòa Bình"]


def test_party_bodies_in_a_party_bloc_article():
    text = ("Hội thao Khối thi đua các cơ quan Đảng tỉnh năm 2024 có đội Ban Tuyên giáo Tỉnh ủy giành giải Nhất, "
            "đội Văn phòng Tỉnh ủy giải Nhì.")
    got = _agencies(text, "Hà Nam")
    assert "Ban Tuyên giáo Tỉnh ủy" in got and "Văn phòng Tỉnh ủy" in got
    # in a bloc of state departments the same bodies are guests, not members
    text = "Hội nghị Khối thi đua các sở kinh tế có đại diện Ban Tuyên giáo Tỉnh ủy tham dự."
    assert "Ban Tuyên giáo Tỉnh ủy" not in _agencies(text, "Hà Nam")


def test_member_bodies_written_as_a_list_in_a_bloc_article():
    text = ("Hội Cựu chiến binh, Hội Nông dân, Tỉnh đoàn và Liên đoàn Lao động tỉnh thuộc Khối thi đua số 2 "
            "đã hoàn thành tốt nhiệm vụ năm 2019.")
    got = _agencies(text, "Sơn La")
    assert {"Hội Cựu chiến binh", "Hội Nông dân", "Tỉnh đoàn"} <= {g.removesuffix(" tỉnh") for g in got}


def test_new_heads():
    got = _agencies("Trạm Y tế xã Hoằng Lộc và Đồn Biên phòng Tam Hợp được tặng Giấy khen.", "Thanh Hóa")
    assert got == ["Trạm Y tế xã Hoằng Lộc", "Đồn Biên phòng Tam Hợp"]
    got = _agencies("Tham dự có lãnh đạo các sở, ngành: Nội vụ, Công Thương, Xây dựng.", "Thái Nguyên")
    assert got == ["Sở Nội vụ", "Sở Công Thương", "Sở Xây dựng"]


def test_short_level_words_and_abbreviations():
    got = _agencies("UBND TP. Bến Tre, UBND TX. Vĩnh Châu và UBND H. Châu Thành ký giao ước.", "Bến Tre")
    assert got == ["Ủy ban nhân dân thành phố Bến Tre", "Ủy ban nhân dân thị xã Vĩnh Châu",
                   "Ủy ban nhân dân huyện Châu Thành"]
    assert _agencies("Kho bạc NN huyện Đăk Hà được tặng Bằng khen.", "Kon Tum") == ["Kho bạc Nhà nước huyện Đăk Hà"]


def test_schools_after_a_plural_head_without_colon():
    got = _agencies("Các trường THPT Đông Hà, THPT Lê Lợi và THPT Chế Lan Viên được tặng Bằng khen.")
    assert [g.replace("Trung học phổ thông", "THPT") for g in got] == [
        "Trường THPT Đông Hà", "Trường THPT Lê Lợi", "Trường THPT Chế Lan Viên"]
    assert _agencies("Các trường Tiểu học trên địa bàn huyện đã hoàn thành nhiệm vụ.") == []


def test_heads_written_in_lower_case():
    assert _agencies("Năm 2020, sở Tư pháp và sở Nội vụ được tặng Bằng khen.", "Lâm Đồng") == ["Sở Tư pháp", "Sở Nội vụ"]
    got = _agencies("Năm học vừa qua, trường THCS Lộc Sơn được tặng Giấy khen.", "Lâm Đồng")
    assert [g.replace("Trung học cơ sở", "THCS") for g in got] == ["Trường THCS Lộc Sơn"]
    # a common noun or a plural: no name
    assert _agencies("Trên cơ sở Kế hoạch số 12/KH-UBND, các đơn vị triển khai.", "Lâm Đồng") == []
    assert _agencies("Khối thi đua các trường Đại học và Cao đẳng họp.", "Lâm Đồng") == []


def test_district_after_a_plural_list_is_every_units():
    got = _agencies("Dự hội nghị có lãnh đạo các phòng: Nội vụ, Tư pháp, Văn hóa và Thông tin huyện Kiến Xương.",
                    "Thái Bình")
    assert got == ["Phòng Nội vụ huyện Kiến Xương", "Phòng Tư pháp huyện Kiến Xương",
                   "Phòng Văn hóa - Thông tin huyện Kiến Xương"]


def test_one_word_head_in_lower_case_before_a_department():
    assert _agencies("Đại diện lãnh đạo phòng Nội vụ huyện Di Linh phát biểu.", "Lâm Đồng") == \
        ["Phòng Nội vụ huyện Di Linh"]
    assert _agencies("Cuộc họp diễn ra tại phòng Họp số 2 của trụ sở.", "Lâm Đồng") == []
