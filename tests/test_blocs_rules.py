"""Bloc names and bloc roles on sentences written for these tests (other provinces, names and years than
the dev articles): name extent, exclusions, merging, holders, lists, years."""

import pytest

from extractors import blocs as blocs_mod
from tests.conftest import extract_text


def _blocs(text: str) -> list[str]:
    return [b.name for b in extract_text(text).blocs]


def _roles(text: str) -> set[tuple]:
    return {(r.holder, r.role, r.year) for r in extract_text(text).bloc_roles}


@pytest.mark.parametrize("text, names", [
    # numbered and roman, the province and what follows dropped
    ("Cụm thi đua số 7 tỉnh Hà Giang tổ chức hội nghị sơ kết năm 2019.", ["Cụm thi đua số 7"]),
    ("Ngày 12/1, Cụm thi đua số IV, tỉnh Phú Thọ đã ký kết giao ước thi đua năm 2020.", ["Cụm thi đua số IV"]),
    ("Năm 2021, Cụm thi đua số 2 Tỉnh ủy gồm 4 huyện ủy đã hoàn thành tốt nhiệm vụ.", ["Cụm thi đua số 2 Tỉnh ủy"]),
    ("Khối VIII đã ký kết giao ước thi đua năm 2017 với 9 đơn vị thành viên.", ["Khối VIII"]),
    # lower-case later components, 'và các', comma continuations, a Sở inside the name
    ("Khối thi đua Văn hóa - xã hội tỉnh Sơn La tổng kết năm 2018.", ["Khối thi đua Văn hóa - xã hội"]),
    ("Khối thi đua Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tỉnh tổ chức hội nghị năm 2020.",
     ["Khối thi đua Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội"]),
    ("Cụm thi đua các huyện miền núi, thị xã, thành phố tỉnh Yên Bái đã ký kết giao ước năm 2022.",
     ["Cụm thi đua các huyện miền núi, thị xã, thành phố"]),
    ("Khối thi đua các phòng, đơn vị trực thuộc Sở Tài nguyên và Môi trường tỉnh Bắc Kạn họp năm 2021.",
     ["Khối thi đua các phòng, đơn vị trực thuộc Sở Tài nguyên và Môi trường"]),
    # comma_next and and_next of gazetteers/blocs.tsv: sectors listed in the name; an apposition after a comma is not
    ("Năm 2019, Khối thi đua các cơ quan Đảng, Mặt trận và đoàn thể tỉnh Điện Biên ký giao ước thi đua.",
     ["Khối thi đua các cơ quan Đảng, Mặt trận và đoàn thể"]),
    ("Khối thi đua các trường Cao đẳng, Trung cấp tỉnh Long An tổng kết năm học 2020-2021.",
     ["Khối thi đua các trường Cao đẳng, Trung cấp"]),
    ("Cụm thi đua số III, Ban Chỉ huy Quân sự huyện Mường Tè chủ trì hội nghị năm 2016.", ["Cụm thi đua số III"]),
])
def test_bloc_names(text, names):
    assert _blocs(text) == names


@pytest.mark.parametrize("text", [
    "Khối lượng công việc năm 2021 của Sở Xây dựng tăng mạnh.",
    "Phát huy sức mạnh khối đại đoàn kết toàn dân tộc trong năm 2023.",
    "Cụm công nghiệp Tân Phú thu hút 12 dự án trong năm 2022.",
    "Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị năm 2020.",
    "Ông Lê Văn Sơn, Trưởng khối phố 4, phường Tân Lập cho biết năm 2022 khối phố có 300 hộ.",
    "Giải nhất toàn đoàn thuộc về Khối Ngoại khoa của bệnh viện.",  # no emulation bloc in the article
    "Khối thi đua 6 tháng đầu năm 2020 của các đơn vị đạt nhiều kết quả.",
])
def test_not_blocs(text):
    assert _blocs(text) == []


def test_mentions_of_one_bloc_merge_and_distinct_numbers_stay_apart():
    text = ("Cụm thi đua số 3 khối các huyện, thị xã tỉnh Lai Châu ký giao ước năm 2019. Trong năm, cụm thi đua 3 "
            "chú trọng giảm nghèo. Cụm thi đua số 4 cũng ký giao ước.")
    assert _blocs(text) == ["Cụm thi đua số 3 khối các huyện, thị xã", "Cụm thi đua số 4"]
    assert _blocs("Khối thi đua Văn hóa - Xã hội họp năm 2019. Bàn giao nhiệm vụ Trưởng Khối thi đua VH-XH năm 2019.") \
        == ["Khối thi đua Văn hóa - Xã hội"]


def test_hard_wrapped_text_keeps_the_name_whole():
    text = ("Năm 2021, Chi cục Thủy lợi đã dẫn đầu Khối thi đua\ncác phòng, cơ quan, đơn\nvị trực thuộc Sở Nông "
            "nghiệp và Phát triển nông thôn tỉnh\nBình Phước năm 2021; các đơn\nvị khác cũng có nhiều cố gắng.")
    assert blocs_mod.soft_wrapped(text)
    assert _blocs(text) == ["Khối thi đua các phòng, cơ quan, đơn vị trực thuộc Sở Nông nghiệp và Phát triển nông thôn"]


def test_role_lists_give_one_role_per_holder():
    roles = _roles("Khối thi đua Kinh tế năm 2022: Sở Công Thương làm Trưởng khối, Sở Xây dựng làm Phó Trưởng khối.")
    assert roles == {("Sở Công Thương", "truong_khoi", 2022), ("Sở Xây dựng", "pho_khoi", 2022)}
    roles = _roles("Hội nghị thống nhất bầu Sở Y tế, Sở Tư pháp làm Khối phó năm 2024.")
    assert roles == {("Sở Y tế", "pho_khoi", 2024), ("Sở Tư pháp", "pho_khoi", 2024)}


def test_a_holder_next_to_two_roles_takes_the_nearer():
    roles = _roles("Hội nghị bầu cụm trưởng và cụm phó cụm thi đua số III năm 2021 là UBND huyện Ba Vì (Cụm trưởng) "
                   "và UBND huyện Mỹ Đức (Cụm phó).")
    assert roles == {("Ủy ban nhân dân huyện Ba Vì", "truong_khoi", 2021), ("Ủy ban nhân dân huyện Mỹ Đức", "pho_khoi", 2021)}


def test_holders_no_gazetteer_knows_are_capitalised_name_spans():
    assert _roles("Cụm thi đua số 5 gồm 6 huyện do huyện Mường Nhé làm Cụm trưởng năm 2020.") == \
        {("huyện Mường Nhé", "truong_khoi", 2020)}
    assert _roles("Hội nghị thống nhất bàn giao Cụm trưởng cụm thi đua số 2 năm 2019 cho Huyện ủy Đắk Mil đảm nhận.") == \
        {("Huyện ủy Đắk Mil", "truong_khoi", 2019)}


def test_school_year_and_bloc_after_the_role():
    assert _roles("Theo quyết định, năm học 2019 - 2020, Trường Cao đẳng Sư phạm Nghệ An làm Trưởng Khối.") == \
        {("Trường Cao đẳng Sư phạm Nghệ An", "truong_khoi", 2019)}
    assert _roles("Hội nghị bầu Khối trưởng Khối thi đua số 4 năm 2021 là Sở Nội vụ.") == {("Sở Nội vụ", "truong_khoi", 2021)}


@pytest.mark.parametrize("text", [
    "Năm 2022, Sở Tư pháp nhất khối thi đua Nội chính, Công an tỉnh dẫn đầu khối.",  # a win, not a role
    "Ông Vũ Văn Hải, Trưởng khối phố 2 phường Quang Trung, đã vận động nhân dân năm 2023.",
    "Giải bóng đá năm 2020 có 8 đội tham gia, Sở Y tế giành giải nhất.",
])
def test_no_role_invented(text):
    assert extract_text(text).bloc_roles == []


@pytest.mark.parametrize("text, names", [
    ("KHỐI THI ĐUA NỘI CHÍNH ĐÃ HOÀN THÀNH XUẤT SẮC NHIỆM VỤ NĂM 2019", ["Khối thi đua nội chính"]),  # a headline
    ("Cụm thi đua các trường Trung học phổ thông khu vực phía Tây tổ chức hội nghị năm 2022.",
     ["Cụm thi đua các trường Trung học phổ thông khu vực phía Tây"]),
    ("Khối thi đua Văn hóa - xã hội vượt qua khó khăn, hoàn thành các chỉ tiêu năm 2020.", ["Khối thi đua Văn hóa - xã hội"]),
])
def test_bloc_name_extent_in_capitals_and_long_lower_case_runs(text, names):
    assert _blocs(text) == names


def test_role_with_thi_dua_and_the_year_written_with_it():
    assert _roles("Trưởng khối thi đua năm 2021 là Liên đoàn Lao động tỉnh, Phó trưởng khối là Tỉnh đoàn.") == \
        {("Liên đoàn Lao động tỉnh", "truong_khoi", 2021), ("Tỉnh đoàn", "pho_khoi", 2021)}


def test_a_member_list_before_the_role_gives_only_the_last_member():
    roles = _roles("Khối thi đua gồm các đơn vị: Sở Y tế, Sở Nội vụ, Sở Tư pháp; Sở Tài chính làm Trưởng khối năm 2022.")
    assert roles == {("Sở Tài chính", "truong_khoi", 2022)}


def test_a_person_named_as_holder_stands_for_the_agency_in_their_title():
    assert _roles("Khối trưởng năm 2021 là đồng chí Nguyễn Văn Hòa, Giám đốc Sở Tư pháp.") == \
        {("Sở Tư pháp", "truong_khoi", 2021)}
    assert _roles("Ban Thi đua trao Cờ Khối trưởng năm 2022 cho ông Lê Minh Tâm.") == {("Lê Minh Tâm", "truong_khoi", 2022)}
