"""Events: what is an activity, its date, place, organiser and whether it is scheduled."""

import pytest

from nlp.pipeline import extract


def _events(body: str, year: int = 2023):
    from datetime import date

    text = "Tin hoạt động\n" + body
    return extract(text, title="Tin hoạt động", published_at=date(year, 11, 20)).events


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Ngày 16/11, UBND huyện Đông Anh tổ chức lễ phát động Tháng hành động vì bình đẳng giới.", "launch_ceremony"),
        ("Sáng 10/11, Hội LHPN tỉnh Nghệ An tổ chức tập huấn cho 80 cán bộ hội cơ sở.", "training"),
        ("Chiều 12/11, Sở LĐTB&XH tỉnh Quảng Trị tổ chức tọa đàm về bình đẳng giới.", "forum"),
        ("Hội LHPN xã Tân Lập đã trao 30 suất quà cho phụ nữ nghèo.", "support"),
        ("Đoàn công tác của tỉnh đã kiểm tra việc thực hiện Dự án 8 tại huyện Mường Tè.", "inspection"),
        ("UBND huyện đã khen thưởng 12 tập thể có thành tích xuất sắc.", "recognition"),
        ("Hội LHPN xã Tân Lập thành lập mới 02 câu lạc bộ Thủ lĩnh của sự thay đổi.", "model_setup"),
    ],
)
def test_event_types(body: str, kind: str) -> None:
    assert [e.type for e in _events(body)] == [kind]


@pytest.mark.parametrize(
    "body",
    [
        "Đồng chí Phó Chủ tịch đề nghị các cấp tăng cường tuyên truyền về bình đẳng giới.",
        "Đoàn giám sát đề nghị UBND huyện quan tâm tới công tác cán bộ nữ.",
        "Thời gian tới, hội tiếp tục đẩy mạnh tuyên truyền, vận động hội viên.",
        "Các hoạt động trên nhằm tuyên truyền, nâng cao nhận thức về bình đẳng giới cho người dân.",
        "Các đơn vị phối hợp với các ban, ngành để xây dựng mô hình hỗ trợ phụ nữ.",
        "Chủ đề của chiến dịch truyền thông năm nay là “Chung tay vì bình đẳng giới”.",
    ],
)
def test_not_events(body: str) -> None:
    assert _events(body) == []


def test_reference_back_to_a_reported_event_is_not_a_new_one() -> None:
    events = _events("Sáng 5/11, Hội LHPN xã Tân Lập tổ chức buổi truyền thông về bình đẳng giới.\n"
                     "Tại buổi truyền thông, các hội viên được xem tiểu phẩm, văn nghệ về phòng chống bạo lực.")
    assert [e.type for e in events] == ["communication"]


def test_activities_at_the_ceremony_take_its_date() -> None:
    events = _events("Ngày 16/11, UBND huyện Đông Anh tổ chức lễ phát động Tháng hành động vì bình đẳng giới.\n"
                     "Tại lễ phát động, lãnh đạo huyện đã trao 20 suất quà cho phụ nữ khó khăn.")
    assert [(e.type, e.date) for e in events] == [("launch_ceremony", "2023-11-16"), ("support", "2023-11-16")]


def test_breakdown_and_total_are_not_new_events() -> None:
    events = _events("Ngày 14/11, Hội Khuyến học tỉnh trao 60 suất học bổng cho học sinh nghèo.\n"
                     "Trong đó, mỗi huyện có 6 học sinh được trao học bổng.\n"
                     "Tổng số tiền trao học bổng là 270 triệu đồng.")
    assert [e.type for e in events] == ["support"]


def test_lead_and_body_telling_one_activity_give_one_event() -> None:
    events = _events("Hội LHPN tỉnh vừa tổ chức trao học bổng cho học sinh vượt khó.\n"
                     "Ngày 14/11, Hội LHPN tỉnh trao 60 suất học bổng cho học sinh tại 6 huyện.")
    assert [(e.type, e.date) for e in events] == [("support", "2023-11-14")]


def test_each_cited_plan_is_an_event() -> None:
    events = _events("Thực hiện Kế hoạch số 112/KH-UBND ngày 3/10/2023 của UBND tỉnh, Kế hoạch số 20/KH-HLHPN "
                     "ngày 9/10/2023 triển khai Tháng hành động, hội đã vào cuộc.")
    assert [(e.type, e.date) for e in events if e.type == "plan_issued"] == [
        ("plan_issued", "2023-10-03"), ("plan_issued", "2023-10-09")]


def test_counted_activity_after_an_intention_is_concrete() -> None:
    events = _events("Tiếp tục hướng dẫn, chỉ đạo các đơn vị thực hiện Dự án 8, tổ chức 04 cuộc đối thoại "
                     "chính sách cấp xã.")
    assert [e.type for e in events] == ["forum"]


def test_place_organiser_scheduled_and_sentence() -> None:
    body = ("Ngày 16/11, UBND huyện Đông Anh tổ chức lễ phát động Tháng hành động vì bình đẳng giới tại "
            "xã Uy Nỗ.\nDịp này, Hội LHPN huyện Đông Anh sẽ tổ chức tọa đàm về phòng chống bạo lực gia đình.")
    launch, forum = _events(body)
    assert (launch.place, launch.organiser, launch.scheduled) == ("Uy Nỗ", "Ủy ban nhân dân huyện Đông Anh", False)
    assert (forum.place, forum.organiser, forum.scheduled) == ("Đông Anh", "Hội Liên hiệp Phụ nữ huyện Đông Anh",
                                                               True)
    assert launch.text in launch.sentence


def test_place_falls_back_to_the_main_province() -> None:
    events = _events("Tỉnh Quảng Trị có nhiều hoạt động.\nHội LHPN tổ chức tập huấn cho cán bộ hội cơ sở.")
    assert events[-1].place == "Quảng Trị"


def test_same_day_takes_the_date_of_the_activity_just_reported() -> None:
    text = ("Sáng 18/11/2025, UBND xã tổ chức lễ phát động Tháng hành động. "
            "Cùng ngày, Hội phụ nữ phường tổ chức tọa đàm về bình đẳng giới.")
    events = _events(text, 2025)
    assert [(e.type, e.date) for e in events] == [("launch_ceremony", "2025-11-18"), ("forum", "2025-11-18")]


def test_a_review_meeting_is_a_forum_and_dates_what_happens_at_it() -> None:
    events = _events("Chiều 2/12, Hội LHPN huyện tổ chức sơ kết hoạt động hưởng ứng Tháng hành động. "
                     "Dịp này, Hội khen thưởng 10 tập thể có thành tích xuất sắc.")
    assert [(e.type, e.date) for e in events] == [("forum", "2023-12-02"), ("recognition", "2023-12-02")]
