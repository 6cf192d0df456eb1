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
