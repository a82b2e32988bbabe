"""People, legal references, events and article metadata: the data-driven parts not covered by the rule examples
(tests/test_rules.py runs every rule's example): exclusion examples, byline and title cuts, number shapes, dates."""

from dataclasses import asdict

import pytest

import gazetteers
from tests.conftest import extract_text


@pytest.mark.parametrize("row", gazetteers.event_exclusions(), ids=lambda r: r[1][:40])
def test_event_exclusion_examples(row):
    where, pattern, example, kind, _groups = row
    assert example and kind, f"events_not.tsv: {pattern!r} needs an example and the kind it cancels"
    kinds = {e.kind for e in extract_text(example).events}
    assert kind not in kinds, f"events_not.tsv: {pattern!r}: the example still gives {kind}"


def test_event_date_needs_the_publication_date():
    text = "Chiều 26/11, Khối thi đua Văn hóa - Xã hội tỉnh tổ chức hội nghị tổng kết công tác thi đua năm 2019."
    assert [(e.kind, e.date) for e in extract_text(text).events] == [("tong_ket", None)]
    assert [(e.kind, e.date) for e in extract_text(text, published="2019-11-28").events] == [("tong_ket", "2019-11-26")]


def test_one_meeting_reviews_one_period():
    text = ("Chiều 25/7, Khối thi đua các sở tổ chức hội nghị sơ kết 6 tháng đầu năm 2016. Trưởng khối đã báo cáo "
            "tổng kết phong trào thi đua của 9 đơn vị thuộc khối.")
    assert {e.kind for e in extract_text(text).events} == {"so_ket"}


def test_records_name_their_rules():
    ex = extract_text("Sáng 05/01/2024, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua năm 2023.")
    (ev,) = [asdict(e) for e in ex.events]
    assert ev["date"] == "2024-01-05" and "events.meeting.tong_ket" in ev["rule"] and "events.date" in ev["rule"]


@pytest.mark.parametrize(("text", "want"), [
    ("Thực hiện Kế hoạch số 238/KH- KNC ngày 02/3/2022 của Trưởng khối.", ("Kế hoạch", "238/KH- KNC", "2022-03-02")),
    ("Chính phủ ban hành Nghị quyết số 35/ NQ-CP về thi đua.", ("Nghị quyết", "35/ NQ-CP", None)),
    ("Các đơn vị bám sát Văn bản số 1073/UBND-TH2 ngày 23/02/2022 của UBND tỉnh.",
     ("Công văn", "1073/UBND-TH2", "2022-02-23")),
    ("Sở hướng dẫn theo văn bản số 15/2020/TT-BNV của Bộ Nội vụ.", ("Thông tư", "15/2020/TT-BNV", None)),
    ("Các đơn vị quán triệt số 23–CT/TU ngày 3/6/2013 của Tỉnh ủy.", ("Chỉ thị", "23–CT/TU", "2013-06-03")),
    ("Theo Quyết định số 15 /QĐ-UBND ngày 2/1/2020.", ("Quyết định", "15 /QĐ-UBND", "2020-01-02")),
])
def test_legal_number_shapes(text, want):
    assert [(r.doc_type, r.number, r.date) for r in extract_text(text).legal_refs] == [want]


@pytest.mark.parametrize("row", gazetteers.published_dates(), ids=lambda r: r[0])
def test_published_date_forms(row):
    from extractors.metadata import published_from_header

    name, _rx, example, want = row
    assert example and want, f"published_dates.tsv: {name} needs an example and the date it gives"
    body = "Sáng nay, các đơn vị trong khối đã tổ chức hội nghị triển khai nhiệm vụ công tác thi đua, khen thưởng " \
           "của năm tới với nhiều nội dung mới."
    assert published_from_header(f"Trang chủ\n{example}\n{body}", body) == want


def test_published_date_not_from_a_month_stamp_or_the_body():
    from extractors.metadata import published_from_header

    body = "Ngày 12/3/2019, Khối thi đua các sở tổ chức hội nghị ký kết giao ước thi đua năm 2019 với sự tham dự " \
           "của lãnh đạo các đơn vị thành viên trong khối."
    assert published_from_header(f"date 2023-03 (GLO)- Chiều 8-3\n{body}", body) is None
    assert published_from_header(f"{body}\nTin liên quan (12/03/2019)", body) is None


@pytest.mark.parametrize(("text", "want"), [
    ("Dự hội nghị có ông Lê Thành Nam – Phó Chủ tịch UBND tỉnh Quảng Trị và lãnh đạo các sở, ngành.",
     ("Lê Thành Nam", "Phó Chủ tịch UBND tỉnh Quảng Trị")),
    ("Tặng Huân chương cho ông Trần Văn Quý, nguyên Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Yên Bái.",
     ("Trần Văn Quý", "nguyên Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Yên Bái")),
    ("Tại hội nghị, đồng chí Hà Thị Mai Trưởng phòng Tổ chức cán bộ đã thông qua quy chế.",
     ("Hà Thị Mai", "Trưởng phòng Tổ chức cán bộ")),
    ("Phó Thủ tướng Chính phủ Lê Minh Khái đã ký quyết định tặng Cờ thi đua.", ("Lê Minh Khái", "Phó Thủ tướng Chính phủ")),
    ("Chủ tịch UBND tỉnh Gia Lai Rah Lan Hiền ký quyết định khen thưởng.", ("Rah Lan Hiền", "Chủ tịch UBND tỉnh Gia Lai")),
    ("Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh Nguyễn Văn Sơn phát biểu.",
     ("Nguyễn Văn Sơn", "Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh")),
    ("Ông Lê Văn Tám, Giám đốc Sở Văn hóa, Thể thao và Du lịch cho biết.",
     ("Lê Văn Tám", "Giám đốc Sở Văn hóa, Thể thao và Du lịch")),
    ("Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu Nguyễn Văn Thọ trao cờ.", ("Nguyễn Văn Thọ", "Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu")),
    ("Đồng chí Ngô Văn Phất - Giám đốc Sở và đồng chí Đinh Khắc Lộc - Phó Giám đốc Sở chủ trì.",
     ("Đinh Khắc Lộc", "Phó Giám đốc Sở")),
])
def test_person_and_title(text, want):
    assert want in {(p.name, p.title) for p in extract_text(text).people}


def test_no_person_inside_a_province_or_a_name():
    text = "Chủ tịch UBND tỉnh Cao Văn Trọng chủ trì. Trường Cao đẳng Y tế Hà Tĩnh, Trưởng Khối, báo cáo kết quả."
    names = {p.name for p in extract_text(text).people}
    assert "Cao Văn Trọng" in names and "Văn Trọng" not in names and "Hà Tĩnh" not in names


@pytest.mark.parametrize(("text", "name"), [
    ("Hội nghị kết thúc tốt đẹp.\nMinh Thư - Ủy\nban MTTQ huyện Krông Pắc", "Minh Thư"),
    ("Các đại biểu trao đổi kinh nghiệm. (Ảnh: Trần Hòa)\nHội nghị kết thúc.", "Trần Hòa"),
    ("Hội nghị kết thúc tốt đẹp.\nNguồn: Thu Trang", "Thu Trang"),
    ("Hội nghị kết thúc tốt đẹp.\nLệ Hoa", "Lệ Hoa"),
    ("Hội nghị kết thúc tốt đẹp.\nTheo Thu Hà", "Thu Hà"),
    ("Hội nghị kết thúc tốt đẹp.\nMinh Hoàng/VOV", "Minh Hoàng"),
])
def test_bylines(text, name):
    assert (name, None) in {(p.name, p.title) for p in extract_text(text).people}


def test_a_caption_short_form_is_merged_into_the_full_name():
    text = "Ông Phạm Đăng trao Huân chương cho nhà trường.\nPhó Chủ tịch UBND tỉnh Phạm Đăng Quyền phát biểu."
    assert {p.name for p in extract_text(text).people} == {"Phạm Đăng Quyền"}


def test_province_counts_the_unit_word_and_skips_lists_of_provinces():
    from extractors.metadata import province_from_text

    text = ("Đoàn công tác làm việc với các tỉnh Gia Lai, Kon Tum và Gia Lai về thi đua. Sở Nội vụ tỉnh Đắk Lắk "
            "chủ trì; tỉnh Đắk Lắk có 15 đơn vị.")
    assert province_from_text(text)[0].name == "Đắk Lắk"


def test_data_examples_are_not_copied_from_dev_articles():
    import re

    from gazetteers.textnorm import key
    from tests.test_rules import _dev_texts

    dev = _dev_texts()
    examples = [e for _w, _p, e, _k, _g in gazetteers.event_exclusions()] + [e for _n, _r, e, _d in
                                                                              gazetteers.published_dates()]
    for ex in examples:
        for chunk in re.findall(r"(?:\S+ ){9}\S+", key(ex)):
            assert not any(chunk in t for t in dev), f"example copied from a dev article: {ex}"


def test_a_list_of_names_after_a_colon():
    text = "Tham dự có các đồng chí: Lê Quang Huy, Giám đốc Sở Nội vụ; Phạm Thị Hoa và Trần Văn Bảo."
    assert {(p.name, p.title) for p in extract_text(text).people} == {
        ("Lê Quang Huy", "Giám đốc Sở Nội vụ"), ("Phạm Thị Hoa", None), ("Trần Văn Bảo", None)}


def test_a_day_and_month_in_words_is_completed_from_the_publication_date():
    ex = extract_text("Sáng ngày 15 tháng 3, Khối thi đua tổ chức hội nghị tổng kết.", published="2024-03-20")
    assert [(e.kind, e.date) for e in ex.events] == [("tong_ket", "2024-03-15")]


@pytest.mark.parametrize(("text", "name"), [
    ("Thầy giáo Nguyễn Văn Bình được tặng Bằng khen năm học 2021-2022.", "Nguyễn Văn Bình"),
    ("Nghệ sĩ ưu tú Lê Thị Thu trình bày tiết mục mở màn hội nghị.", "Lê Thị Thu"),
])
def test_honorifics_of_professions_introduce_a_name(text, name):
    """gazetteers/honorifics.txt: 'Thầy giáo', 'Nghệ sĩ ưu tú' ... introduce a person as 'Ông' does."""
    assert name in {p.name for p in extract_text(text).people}


def test_a_unit_title_takes_the_agency_after_the_comma():
    """words_people.tsv title_subunit: 'Trưởng phòng Tổng hợp, Sở Công Thương' is one title, so the Sở is not
    another recipient of the award given to the person."""
    ex = extract_text("UBND tỉnh tặng Bằng khen cho bà Lò Thị Hoa, Trưởng khoa Nội, Bệnh viện Đa khoa tỉnh, vì có "
                      "thành tích xuất sắc năm 2022.")
    assert [(p.name, p.title) for p in ex.people] == [("Lò Thị Hoa", "Trưởng khoa Nội, Bệnh viện Đa khoa tỉnh")]
    assert [a.recipient for a in ex.awards] == ["Lò Thị Hoa"]


def test_a_photo_credit_to_an_office_is_no_person():
    """'Ảnh: VP Sở' credits an office (an agency head after the abbreviations are expanded), not a person."""
    ex = extract_text("Lãnh đạo Sở trao Bằng khen cho các tập thể. Ảnh: VP Sở\nHà Linh - Văn phòng Sở")
    assert [p.name for p in ex.people] == ["Hà Linh"]


def test_surname_words_found_like_the_plain_look_behind_form():
    """people._surname_word_starts (a search that opens on the family names' first letters, the digits or
    apostrophes before them checked after) finds the words the plain `(?<![\\w'’])[\\d_'’]*(?=[…])(…)` form finds."""
    import random
    import re

    from extractors import people

    single, multi, prefixes = people._surnames()
    firsts = "".join(sorted({re.escape(n[0]) for n in (*single, *multi, *prefixes)}))
    plain = re.compile(r"(?<![\w'’])[\d_'’]*(?=[" + firsts + r"])([^\W\d_][\w'’]*)")
    assert not people._surname_words()[1]  # the fast form, not the fallback
    pieces = list("NTHLnthà2_'’ .,-x9Đđ") + ["Nguyễn", " Trần", "’", "H'", "٣"]
    rnd = random.Random(1)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(5000)]
    found = 0
    for t in [*texts, "Ông Nguyễn Văn A, x’Trần B, 2Lê C, ’Phạm D và _Hà E"]:
        want = [(m.start(1), m.group(1)) for m in plain.finditer(t)]
        assert list(people._surname_word_starts(t)) == want, t
        found += len(want)
    assert found > 1000


def test_honorifics_grouped_match_like_the_plain_form():
    import re

    from extractors import people

    alts = sorted(set(gazetteers.honorifics()) | {h.lower() for h in gazetteers.honorifics()}, key=len, reverse=True)
    plain = re.compile(r"(?<![\w/])(?P<h>" + "|".join(map(re.escape, alts)) + r")\s+(?=[A-ZĐÀ-Ỹ])")
    grouped = people._honorific_rx()
    assert grouped.pattern != plain.pattern
    text = "Ông Nguyễn A và bà Trần B; x/ông Lê C, cho đồng chí Phạm D, Nhà giáo ưu tú Hà E, aông F"
    want = [(m.span(), m.group("h")) for m in plain.finditer(text)]
    assert len(want) >= 3 and [(m.span(), m.group("h")) for m in grouped.finditer(text)] == want


def test_a_day_that_exists_is_read_as_dateparser_reads_it():
    """dates._parse_day answers a day that exists itself; dateparser gives the same (a sample of 1900-2099, leap
    days among them; the whole range was checked once), and a day that does not exist still goes to dateparser."""
    import datetime

    import dateparser

    from extractors import dates

    def by_dateparser(norm: str) -> str | None:
        d = dateparser.parse(norm, languages=["vi"], settings=dates._SETTINGS)
        return d.date().isoformat() if d else None

    days = [datetime.date(1900, 1, 1) + datetime.timedelta(days=k) for k in range(0, 73049, 211)]
    days += [datetime.date(y, 2, 29) for y in (1904, 2000, 2020, 2096)] + [datetime.date(2099, 12, 31)]
    for d in days:
        norm = f"{d.day:02d}/{d.month:02d}/{d.year}"
        assert dates._parse_day.__wrapped__(norm) == by_dateparser(norm) == d.isoformat(), norm
    for norm in ("31/02/2020", "29/02/2021", "00/05/2019", "05/13/2019", "32/01/2018"):
        assert dates._parse_day.__wrapped__(norm) == by_dateparser(norm), norm
