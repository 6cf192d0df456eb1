"""Date mentions and their resolution against the year in context."""

import pytest

from nlp.dates import find_dates


@pytest.mark.parametrize(
    ("text", "default_year", "value"),
    [
        ("Ngày 20/10/2023, hội nghị diễn ra.", None, "2023-10-20"),
        ("Ngày 14/11, lễ được tổ chức.", 2024, "2024-11-14"),
        ("Kế hoạch năm 2022 nêu rõ. Sáng 3/12, đoàn đến xã.", 2030, "2022-12-03"),
        ("Tháng 5/2023, hội thành lập đoàn.", None, "2023-05"),
        ("Từ ngày 10 đến 18-4, các xã tổ chức.", 2023, "2023-04"),
        ("Từ ngày 2/9 đến ngày 6/9, các tổ dân phố tham gia.", 2023, "2023-09"),
        ("Ngày 3 và 4/12, hội viên gặp mặt.", 2024, None),
        ("Vào ngày 7 tháng 6 năm 2019, đoàn đến.", None, "2019-06-07"),
        ("Chiều ngày 5.9.2022 hội khai mạc.", None, "2022-09-05"),
    ],
)
def test_first_date(text: str, default_year: int | None, value: str | None) -> None:
    dates = find_dates(text, default_year)
    assert dates
    assert dates[0].value == value


@pytest.mark.parametrize("text", ["Tỷ lệ 5/8 đại biểu.", "Kế hoạch 247/KH-UBND.", "Có 30 người."])
def test_no_dates(text: str) -> None:
    assert find_dates(text, 2024) == []


def test_invalid_day_gives_none() -> None:
    assert find_dates("Ngày 31/2/2023 không tồn tại.")[0].value is None


@pytest.mark.parametrize(
    ("text", "default_year", "default_month", "value"),
    [
        ("Sáng 12.6, hội nghị khai mạc.", 2024, None, "2024-06-12"),
        ("Trong 4 ngày (18-21/12), các lớp học diễn ra.", 2024, None, "2024-12"),
        ("Trong 2 ngày 27 và 28-7, đoàn làm việc tại tỉnh.", 2023, None, "2023-07"),
        ("Đến tháng 11-2018, các tỉnh đã phê duyệt đề án.", None, None, "2018-11"),
        ("Trong tháng 11, hội tổ chức 5 buổi.", 2024, None, "2024-11"),
        ("Ngày 14/6, hội tổ chức lễ phát động chiến dịch năm 2024.", None, None, "2024-06-14"),
        ("Ngày 28/12, hội trao quà Tết.", 2025, 1, "2024-12-28"),
        ("Ngày 28/12, hội trao quà Tết.", 2025, 12, "2025-12-28"),
    ],
)
def test_days_months_spans_and_context_years(text: str, default_year: int | None, default_month: int | None,
                                             value: str | None) -> None:
    assert find_dates(text, default_year, default_month)[0].value == value


@pytest.mark.parametrize("text", ["Tháng hành động diễn ra từ ngày 15/11 đến 15/12/2024.",
                                  "Từ 15/11–15/12, các xã ra quân.", "Kỷ niệm 15 năm (20-10-2010 – 20-10-2025)."])
def test_a_span_across_months_is_a_period(text: str) -> None:
    first = find_dates(text, 2024)[0]
    assert first.value is None and first.period


def test_a_year_in_a_period_or_a_code_is_no_context() -> None:
    assert find_dates("Giai đoạn 2021-2030, Nghị định 30/2020/NĐ-CP. Ngày 5/3, hội họp.")[-1].value is None


def test_the_year_of_a_full_date_before_dates_a_yearless_day() -> None:
    dates = find_dates("Kỷ niệm ngày truyền thống (28.6.2001 - 28.6.2022), sáng 23.6, UBND thị xã tổ chức hội nghị.")
    assert [(d.value, d.period) for d in dates] == [(None, True), ("2022-06-23", False)]
