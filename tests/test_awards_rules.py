"""Award mechanisms the rule examples do not pin down: the recipient walker, statuses, years, counts, merging.

Every sentence here is written for this file (other provinces, names and years than the dev articles).
"""

from tests.conftest import extract_text


def records(text: str, **meta) -> list[tuple]:
    ex = extract_text(text, **meta)
    return [(a.kind, a.status, a.conferred_by, a.recipient, a.count, a.percent, a.year) for a in ex.awards]


def awards(text: str, **meta) -> set[tuple]:
    return set(records(text, **meta))


def test_one_record_per_recipient_in_a_semicolon_list_with_descriptions():
    got = awards("Chủ tịch UBND tỉnh tặng Bằng khen cho mỗi tập thể, gồm: Trường Tiểu học Hòa Phú đã có thành tích "
                 "xuất sắc trong năm học; Trường Mầm non Bông Sen đã có thành tích xuất sắc năm 2021.")
    assert {r[3] for r in got} == {"Trường Tiểu học Hòa Phú", "Trường Mầm non Bông Sen"}


def test_numbered_list_after_a_count():
    text = ("UBND tỉnh tặng Cờ thi đua cho 02 tập thể, gồm:\n1. Sở Xây dựng; dẫn đầu khối kinh tế năm 2024;\n"
            "2. Sở Nội vụ; dẫn đầu khối tổng hợp năm 2024.")
    got = awards(text)
    assert {r[3] for r in got} == {"Sở Xây dựng", "Sở Nội vụ"} and {r[4] for r in got} == {None}


def test_unknown_units_take_the_capitalised_name_up_to_the_separator():
    got = awards("Ban Thường vụ Tỉnh ủy tặng Bằng khen cho Huyện ủy Đắk Glong và Thị ủy Gia Nghĩa.")
    assert {(r[2], r[3]) for r in got} == {("Ban Thường vụ Tỉnh ủy", "Huyện ủy Đắk Glong"),
                                           ("Ban Thường vụ Tỉnh ủy", "Thị ủy Gia Nghĩa")}


def test_plural_locality_list_is_expanded():
    got = awards("Hội nghị đề nghị tặng Giấy khen cho Hội Nông dân các xã: Ea Tu, Hòa Thắng.")
    assert {r[3] for r in got} == {"Hội Nông dân xã Ea Tu", "Hội Nông dân xã Hòa Thắng"}


def test_counts_before_the_award_stay_with_their_own_award():
    got = awards("Năm 2024, toàn ngành có 85 tập thể đạt danh hiệu Tập thể lao động tiên tiến, "
                 "31 tập thể đạt danh hiệu Tập thể lao động xuất sắc.")
    assert {(r[0], r[4]) for r in got} == {("tap_the_lao_dong_tien_tien", 85), ("tap_the_lao_dong_xuat_sac", 31)}


def test_two_counts_of_the_same_number_are_two_awards_when_forms_differ():
    got = records("Hội đồng thống nhất đề nghị: 1 tập thể nhận Huân chương Lao động hạng Nhì; "
                 "1 cá nhân nhận Huân chương Lao động hạng Ba.")
    assert len([r for r in got if r[0] == "huan_chuong" and r[4] == 1 and r[1] == "proposed"]) == 2


def test_target_yields_to_a_later_receipt():
    got = awards("Sở Công Thương đã nỗ lực phấn đấu và được tặng Cờ thi đua của UBND tỉnh năm 2020.")
    assert ("co_thi_dua", "conferred", "UBND tỉnh", "Sở Công Thương", None, None, 2020) in got
    got = awards("Năm 2025, Sở phấn đấu có 2 đơn vị được đề nghị tặng Cờ thi đua của UBND tỉnh.")
    assert {r[1] for r in got} == {"target"}
    got = awards("Năm 2024 phấn đấu 85% đơn vị đạt Tập thể lao động tiên tiến, 25% đơn vị được công nhận Tập thể lao "
                 "động xuất sắc.")  # a quota's 'được công nhận' is the target's, not a receipt
    assert {(r[0], r[1], r[5]) for r in got} == {("tap_the_lao_dong_tien_tien", "target", 85),
                                                 ("tap_the_lao_dong_xuat_sac", "target", 25)}


def test_a_decision_at_someones_proposal_is_conferred():
    got = awards("Theo đề nghị của Giám đốc Sở Nội vụ, Chủ tịch UBND tỉnh đã ký quyết định tặng Bằng khen "
                 "cho Công an huyện Mường Nhé.")
    assert {r[1] for r in got} == {"conferred"}


def test_reviewed_year_for_annual_awards_not_for_orders():
    text = ("Chiều 20/12, Khối thi đua các cơ quan văn hóa tổ chức hội nghị tổng kết công tác thi đua năm 2024. "
            "Khối đề nghị UBND tỉnh tặng Cờ thi đua cho Bảo tàng tỉnh và đề nghị Chủ tịch nước tặng Huân chương "
            "Lao động hạng Ba cho Thư viện tỉnh.")
    got = {(r[0], r[6]) for r in awards(text)}
    assert got == {("co_thi_dua", 2024), ("huan_chuong", None)}


def test_school_year_and_period():
    got = awards("Tổng kết năm học 2022-2023, Sở đề nghị tặng Giấy khen cho Trường Tiểu học Phan Chu Trinh.")
    assert {r[6] for r in got} == {2022}
    got = awards("Thủ tướng Chính phủ tặng Bằng khen cho bà Lò Thị Mai vì đã có thành tích từ năm 2019 đến năm 2023.")
    assert {r[6] for r in got} == {None}


def test_sports_medals_are_not_awards():
    assert awards("Đoàn thể thao của tỉnh giành 4 Huy chương Vàng và 6 Huy chương Bạc tại Đại hội.") == set()


def test_hard_wrapped_paragraph_keeps_names_whole():
    text = ("Chiều ngày 14/12, tại hội trường Ủy ban MTTQ Việt Nam huyện Đắk Mil, các đơn vị trong cụm thi\n"
            "đua số 3 đã tổ chức hội nghị tổng kết công tác thi đua năm 2023 với sự tham dự của lãnh đạo các\n"
            "Tại hội nghị, các đơn vị trong cụm đã thống nhất đề nghị tặng cờ thi đua năm 2023 cho Ủy ban MTTQ\n"
            "Việt Nam huyện Krông Nô và đề nghị tặng bằng khen cho Ủy ban MTTQ Việt Nam huyện Cư Jút vì\n"
            "đã có nhiều thành tích trong công tác Mặt trận của huyện trong cả năm vừa qua của đơn vị.\n"
            "Hội nghị cũng đã bầu cụm trưởng cho năm sau và thống nhất các nội dung thi đua.")
    got = {(r[0], r[3]) for r in awards(text)}
    assert ("co_thi_dua", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Krông Nô") in got


def test_count_restated_without_conferrer_merges():
    text = ("Tặng Kỷ niệm chương cho 120 cá nhân.\nNgày 5-4, Chủ tịch UBND tỉnh ký quyết định tặng Kỷ niệm chương "
            "cho 120 cá nhân có đóng góp cho tỉnh.")
    got = [r for r in awards(text) if r[4] == 120]
    assert got == [("ky_niem_chuong", "conferred", "Chủ tịch UBND tỉnh", None, 120, None, None)]


def test_status_cue_words_are_data():
    from extractors import rules

    lists = rules.word_lists("awards")
    assert "đề nghị" in lists["propose_cue"] and "phấn đấu" in lists["target_cue"]
    assert {r.id.split(".")[2] for r in rules.group("awards.status")} == {"target", "proposed", "conferred", "received"}


def test_a_known_name_cut_at_a_line_break_goes_on():
    got = awards("Giám đốc Sở tặng Giấy khen cho Trung tâm Khuyến nông và Chi cục Thủy\nsản thuộc Sở Nông nghiệp tỉnh.")
    assert any(r[3] and r[3].startswith("Chi cục Thủy") and r[3].endswith("sản") for r in got), got


def test_a_proposal_to_hand_over_stays_a_proposal():
    got = awards("Khối thống nhất đề nghị UBND tỉnh trao tặng Cờ thi đua cho Sở Xây dựng.")
    assert {r[1] for r in got} == {"proposed"}


def test_reviewed_year_from_the_title_when_the_body_has_none():
    got = awards("Tại hội nghị, Khối thống nhất đề nghị UBND tỉnh tặng Cờ thi đua cho Sở Giao thông vận tải.",
                 title="Khối thi đua các sở kinh tế tổng kết công tác thi đua năm 2021")
    assert {r[6] for r in got} == {2021}


def test_school_year_after_the_recipient_is_the_award_year():
    got = awards("Bộ Giáo dục và Đào tạo tặng Bằng khen cho Trường THPT Nguyễn Trãi vì có thành tích xuất sắc "
                 "trong năm học 2020-2021.")
    assert {(r[3], r[6]) for r in got} == {("Trường Trung học phổ thông Nguyễn Trãi", 2020)}


def test_school_year_opening_the_sentence_is_the_award_year():
    got = awards("Năm học 2021-2022, nhà trường có 9 giáo viên đạt danh hiệu Lao động tiên tiến.")
    assert {(r[0], r[4], r[6]) for r in got} == {("lao_dong_tien_tien", 9, 2021)}


def test_a_bare_range_of_years_is_a_period_not_a_year():
    got = awards("Sở Công Thương được Chủ tịch UBND tỉnh tặng Bằng khen vì thành tích năm 2019-2023.")
    assert {(r[3], r[6]) for r in got} == {("Sở Công Thương", None)}


def test_city_peoples_committee_confers():
    got = awards("Trường Tiểu học Phú Lợi được UBND thành phố tặng Giấy khen.")
    assert {(r[2], r[3]) for r in got} == {("UBND thành phố", "Trường Tiểu học Phú Lợi")}


def test_bulleted_lines_announced_by_a_colon_are_recipients():
    text = ("Giám đốc Sở Nông nghiệp tặng Giấy khen cho các đơn vị sau:\n- Chi cục Kiểm lâm;\n"
            "- Trung tâm Khuyến nông.")
    assert {r[3] for r in awards(text)} == {"Chi cục Kiểm lâm", "Trung tâm Khuyến nông"}


def test_a_bullet_with_an_award_of_its_own_is_not_a_recipient():
    text = ("UBND tỉnh khen thưởng các tập thể:\n- Bằng khen cho 4 tập thể;\n- Giấy khen cho 9 cá nhân.")
    got = awards(text)
    assert {(r[0], r[3], r[4]) for r in got} == {("bang_khen", None, 4), ("giay_khen", None, 9)}


def test_honorific_after_a_list_mark_is_skipped():
    text = "Tặng Giấy khen cho các cá nhân:\n1. Ông Vũ Đức Thịnh;\n2. Bà Lò Thị Mai."
    assert {r[3] for r in awards(text)} == {"Vũ Đức Thịnh", "Lò Thị Mai"}


def test_a_commune_written_in_lower_case_is_a_recipient():
    got = awards("Chủ tịch UBND tỉnh tặng Bằng khen cho xã Nậm Cang và phường Bắc Lệnh.")
    assert {r[3] for r in got} == {"xã Nậm Cang", "phường Bắc Lệnh"}


def test_an_award_named_as_a_form_is_not_an_award():
    assert awards("Giấy khen là hình thức khen thưởng của thủ trưởng cơ quan, đơn vị.") == set()
    assert awards("Hướng dẫn nêu rõ tiêu chuẩn xét tặng Cờ thi đua đối với các khối thi đua.") == set()


def test_an_award_handed_over_to_no_named_recipient_is_kept():
    got = awards("Tại buổi lễ, lãnh đạo huyện trao danh hiệu “Nghệ nhân Ưu tú” cho các nghệ nhân.")
    assert {(r[0], r[3]) for r in got} == {("danh_hieu_vinh_du", None)}


def test_count_units_of_mass_organisations():
    got = awards("Liên đoàn Lao động tỉnh tặng Bằng khen cho 6 công đoàn cơ sở và 14 đoàn viên.")
    assert {r[4] for r in got} == {6, 14}


def test_unit_heads_of_border_posts_and_womens_branches_open_a_subject():
    got = awards("Năm 2021, Đồn Biên phòng Cửa khẩu Lao Bảo được Bộ Quốc phòng tặng Bằng khen.")
    assert {(r[3], r[6]) for r in got} == {("Đồn Biên phòng Cửa khẩu Lao Bảo", 2021)}


def test_bullets_after_a_count_and_a_colon():
    text = "Tặng Bằng khen cho 02 tập thể:\n- Hạt Kiểm lâm huyện Mường Tè;\n- Trạm Y tế xã Bum Nưa."
    assert {r[3] for r in awards(text)} == {"Hạt Kiểm lâm huyện Mường Tè", "Trạm Y tế xã Bum Nưa"}


def test_a_name_does_not_run_into_the_next_award():
    got = awards("Chủ tịch nước tặng Huân chương Lao động hạng Ba cho Bệnh viện Phổi tỉnh Sơn La và Huân chương "
                 "Lao động hạng Ba cho 03 cá nhân.")
    assert {(r[3], r[4]) for r in got} == {("Bệnh viện Phổi tỉnh Sơn La", None), (None, 3)}


def test_a_number_before_the_award_counts_the_awards():
    got = awards("Năm 2024, tỉnh đề nghị khen thưởng 2 Huân chương Lao động hạng Nhì, 5 Huân chương Lao động hạng Ba.")
    assert {(r[0], r[1], r[4]) for r in got} == {("huan_chuong", "proposed", 2), ("huan_chuong", "proposed", 5)}


def test_a_year_or_a_document_number_before_the_award_is_not_a_count():
    got = awards("Sở Nội vụ nhận Cờ thi đua năm 2023 Bằng khen của Chính phủ.")
    assert all(r[4] is None for r in got)


def test_counts_after_tang():
    got = awards("Giám đốc Sở Y tế trao Giấy khen tặng 4 tập thể, 9 cá nhân.")
    assert {r[4] for r in got} == {4, 9}


def test_a_year_before_a_school_is_not_a_count():
    got = awards("Được ghi nhận, năm 2020 Trường Tiểu học Võ Thị Sáu được Sở Giáo dục và Đào tạo tặng Giấy khen.")
    assert {(r[3], r[4], r[6]) for r in got} == {("Trường Tiểu học Võ Thị Sáu", None, 2020)}


def test_the_subject_of_coordinated_predicates_receives_both():
    got = awards("Nhiều năm liền, Trường THCS Phan Chu Trinh đạt danh hiệu Tập thể lao động xuất sắc, được Chủ tịch "
                 "UBND tỉnh tặng Bằng khen.")
    assert ("bang_khen", "Trường Trung học cơ sở Phan Chu Trinh") in {(r[0], r[3]) for r in got}


def test_the_year_opening_a_sentence_holds_for_each_award_in_it():
    got = awards("Kết quả, năm 2022 có 4 tập thể được UBND tỉnh tặng Cờ thi đua, 9 cá nhân được Chủ tịch UBND tỉnh "
                 "tặng Bằng khen.")
    assert {(r[0], r[4], r[6]) for r in got} == {("co_thi_dua", 4, 2022), ("bang_khen", 9, 2022)}


def test_unmarked_lines_after_cho_colon_are_recipients_when_each_is_a_unit():
    text = "Giám đốc Sở Tư pháp tặng Giấy khen cho:\nPhòng Công chứng số 1;\nTrung tâm Trợ giúp pháp lý."
    assert {r[3] for r in awards(text)} == {"Phòng Công chứng số 1", "Trung tâm Trợ giúp pháp lý"}


def test_a_planned_award_for_nobody_named_is_not_given():
    assert awards("Hằng năm, Chủ tịch UBND tỉnh tặng Cờ thi đua cho các đơn vị dẫn đầu phong trào.") == set()
    assert awards("Cuối đợt, Giám đốc Sở sẽ tặng Giấy khen cho các tập thể, cá nhân tiêu biểu.") == set()


def test_a_plural_lead_with_a_colon_is_skipped():
    got = awards("Ban Thường vụ Huyện ủy tặng Giấy khen cho các chi bộ: Chi bộ thôn Nà Lầu, Chi bộ thôn Khuổi Khon.")
    assert {r[3] for r in got} == {"Chi bộ thôn Nà Lầu", "Chi bộ thôn Khuổi Khon"}


def test_an_honorific_subject_is_the_person_not_the_unit_after_the_comma():
    got = awards("Thầy giáo Phạm Quốc Huy, Trường THCS Lý Tự Trọng, được tặng Bằng khen của Chủ tịch UBND tỉnh.")
    assert {r[3] for r in got} == {"Phạm Quốc Huy"}


def test_a_count_after_the_named_recipients_is_given_the_award_too():
    got = records("Chủ tịch nước tặng Huân chương Lao động hạng Ba cho 02 tập thể: Sở Xây dựng, Bệnh viện Đa khoa "
                  "tỉnh và 03 cá nhân có thành tích xuất sắc.")
    assert {(r[3], r[4]) for r in got} == {("Sở Xây dựng", None), ("Bệnh viện Đa khoa tỉnh", None), (None, 3)}


def test_a_count_announcing_names_with_a_colon_inside_a_list():
    got = records("UBND tỉnh tặng Bằng khen cho Sở Tư pháp và 2 cá nhân: ông Hà Văn Sinh và bà Lò Thị Ơn.")
    assert {r[3] for r in got} == {"Sở Tư pháp", "Hà Văn Sinh", "Lò Thị Ơn"}


def test_a_capitalised_head_after_and_starts_the_next_recipient():
    """names.py: 'và Phòng Kế hoạch' is a second unit even though 'phòng' is also a common word."""
    got = records("Giám đốc Sở tặng Giấy khen cho Phòng Pháp chế 1 và Phòng Kế hoạch tài chính thuộc Sở.")
    assert {r[3] for r in got} == {"Phòng Pháp chế 1", "Phòng Kế hoạch tài chính"}


def test_the_quote_closing_an_award_opens_no_title():
    got = records('Hội đồng thống nhất đề nghị công nhận danh hiệu "Chiến sĩ thi đua cấp tỉnh" cho 36 cá nhân; tặng '
                  'Bằng khen cho 90 tập thể. Riêng danh hiệu "Tập thể lao động xuất sắc" được xét cho 140 tập thể.')
    assert {(r[0], r[4]) for r in got} >= {("chien_si_thi_dua", 36), ("bang_khen", 90)}


def test_a_flattened_table_of_recipients():
    """A decision's table scraped to lines: a header row ('TT  Tên tập thể', 'STT | Họ và tên | …'), then numbered
    rows; each row is a recipient, the header none, and a locality's name ends with its row."""
    got = records("Chủ tịch UBND tỉnh tặng Bằng khen cho các tập thể có thành tích xuất sắc trong năm 2021, cụ thể "
                  "như sau:\nTT\tTên tập thể\n1\tPhòng Văn hóa và Thông tin huyện Tủa Chùa\n2\tTrường Mầm non Sính Phình\n")
    assert {r[3] for r in got} == {"Phòng Văn hóa và Thông tin huyện Tủa Chùa", "Trường Mầm non Sính Phình"}
    got = records("Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh cho các cá nhân sau:\nSTT | Họ và tên | Chức vụ, đơn vị\n"
                  "1 | Ông Giàng A Dê | Trưởng phòng Nội vụ huyện Nậm Pồ\n2 | Bà Lò Thị Ngân | Giáo viên Trường THCS Na Cô Sa\n")
    assert {r[3] for r in got} == {"Giàng A Dê", "Lò Thị Ngân"}


def test_degrees_and_ranks_before_a_recipient_s_name_are_skipped():
    """words_awards.tsv recipient_lead, honorifics.txt: 'BSCKII', 'TS.BS', 'Trung úy' introduce the person."""
    got = records('Chủ tịch nước tặng danh hiệu "Thầy thuốc Ưu tú" cho 02 cá nhân: BSCKII Lê Văn Tám, Giám đốc Bệnh '
                  'viện Đa khoa tỉnh; TS.BS Trần Thị Chín, Trưởng khoa Nội.')
    assert {r[3] for r in got} == {"Lê Văn Tám", "Trần Thị Chín"}
    got = records("UBND tỉnh truy tặng Bằng khen cho đồng chí Thượng úy Vi Văn Mười, Trợ lý Công binh Ban CHQS huyện.")
    assert {r[3] for r in got} == {"Vi Văn Mười"}


def test_a_photo_credit_is_no_recipient():
    got = records("Đại tá Lưu Văn Hai trao Cờ thi đua của Quân khu cho các đơn vị - Ảnh: T.H")
    assert all(r[3] != "Ảnh" for r in got)


def test_a_count_with_some_of_its_recipients_named():
    """'cho 12 tập thể, trong đó có A, B': the count is a record, and so is each named one (rule count_subset)."""
    got = records("UBND tỉnh tặng Bằng khen cho 12 tập thể, trong đó có Sở Công Thương, Sở Xây dựng.")
    assert {(r[3], r[4]) for r in got} == {("Sở Công Thương", None), ("Sở Xây dựng", None), (None, 12)}


def test_a_list_of_subjects_may_name_a_person_with_an_honorific():
    """rules.py lists ({AGENCY|PERSON+}) take an honorific before an item: 'Sở A và ông B được tặng …'."""
    got = records("Trung tâm Y tế huyện Mai Sơn và ông Cầm Văn Chung được UBND tỉnh tặng Bằng khen năm 2022.")
    assert {r[3] for r in got} == {"Trung tâm Y tế huyện Mai Sơn", "Cầm Văn Chung"}


def test_a_locality_written_in_lower_case_is_a_passive_subject():
    got = records("Đặc biệt, năm 2020, huyện Mường Lát vinh dự được Chủ tịch nước tặng Huân chương Lao động hạng Ba.")
    assert [(r[0], r[3]) for r in got] == [("huan_chuong", "huyện Mường Lát")]


def test_a_numbered_list_written_inline_after_a_colon():
    """'sau: 1. A; 2. B': the inline list number ends no sentence, so the list stays the award's."""
    got = records("Chủ tịch UBND tỉnh tặng Cờ thi đua cho các tập thể sau: 1. Phòng Nội vụ huyện Tuy An; "
                  "2. Trung tâm Y tế huyện Đồng Xuân.")
    assert {r[3] for r in got} == {"Phòng Nội vụ huyện Tuy An", "Trung tâm Y tế huyện Đồng Xuân"}


def test_list_marks_in_brackets():
    got = records("Giám đốc Sở tặng Giấy khen cho các tập thể: (1) Phòng Kế hoạch - Tài chính; (2) Văn phòng Sở.")
    assert {r[3] for r in got} == {"Phòng Kế hoạch - Tài chính", "Văn phòng Sở"}


def test_a_titled_person_as_passive_subject_is_the_recipient():
    """'Ông A, Trưởng phòng B được tặng …': the person, not the office at the end of his title."""
    got = records("Ông Lò Văn Tuân, Trưởng phòng Tài nguyên và Môi trường huyện Mộc Châu được Chủ tịch UBND tỉnh "
                  "tặng Bằng khen năm 2021.")
    assert [r[3] for r in got] == ["Lò Văn Tuân"]


def test_who_receives_a_units_flag_receives_it_for_the_unit():
    got = records("Ông Lò Văn Tuân, Phó Giám đốc Sở Xây dựng nhận Cờ thi đua của Chính phủ năm 2021.")
    assert [r[3] for r in got] == ["Sở Xây dựng"]
