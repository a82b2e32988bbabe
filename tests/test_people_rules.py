"""People, legal references, events and article metadata: the data-driven parts not covered by the rule examples
(tests/test_rules.py runs every rule's example): exclusion examples, byline and title cuts, number shapes, dates."""

from dataclasses import asdict

import pytest

import gazetteers
from pipeline.extract import extract_body
from pipeline.records import ArticleMeta


def _ex(text: str, **meta):
    return extract_body("<example>", text, ArticleMeta(**meta))


@pytest.mark.parametrize("row", gazetteers.event_exclusions(), ids=lambda r: r[1][:40])
def test_event_exclusion_examples(row):
    where, pattern, example, kind = row
    assert example and kind, f"events_not.tsv: {pattern!r} needs an example and the kind it cancels"
    kinds = {e.kind for e in _ex(example).events}
    assert kind not in kinds, f"events_not.tsv: {pattern!r}: the example still gives {kind}"


def test_event_date_needs_the_publication_date():
    text = "Chiều 26/11, Khối thi đua Văn hóa - Xã hội tỉnh tổ chức hội nghị tổng kết công tác thi đua năm 2019."
    assert [(e.kind, e.date) for e in _ex(text).events] == [("tong_ket", None)]
    assert [(e.kind, e.date) for e in _ex(text, published="2019-11-28").events] == [("tong_ket", "2019-11-26")]


def test_one_meeting_reviews_one_period():
    text = ("Chiều 25/7, Khối thi đua các sở tổ chức hội nghị sơ kết 6 tháng đầu năm 2016. Trưởng khối đã báo cáo "
            "tổng kết phong trào thi đua của 9 đơn vị thuộc khối.")
    assert {e.kind for e in _ex(text).events} == {"so_ket"}


def test_records_name_their_rules():
    ex = _ex("Sáng 05/01/2024, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua năm 2023.")
    (ev,) = [asdict(e) for e in ex.events]
    assert ev["date"] == "2024-01-05" and "events.meeting.tong_ket" in ev["rule"] and "events.date" in ev["rule"]


@pytest.mark.parametrize(("text", "want"), [
    ("Thực hiện Kế hoạch số 238/KH- KNC ngày 02/3/2022 của Trưởng khối.", ("Kế hoạch", "238/KH- KNC", "2022-03-02")),
    ("Chính phủ ban hành Nghị quyết số 35/ NQ-CP về thi đua.", ("Nghị quyết", "35/ NQ-CP", None)),
    ("Các đơn vị bám sát Văn bản số 1073/UBND-TH2 ngày 23/02/2022 của UBND tỉnh.",
     ("Công văn", "1073/UBND-TH2", "2022-02-23")),
    ("Sở hướng dẫn theo văn bản số 15/2020/TT-BNV của Bộ Nội vụ.", ("Thông tư", "15/2020/TT-BNV", None)),
])
def test_legal_number_shapes(text, want):
    assert [(r.doc_type, r.number, r.date) for r in _ex(text).legal_refs] == [want]
