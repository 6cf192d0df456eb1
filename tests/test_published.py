"""Publication dates as real articles give them, and the Article model that keeps them."""

from datetime import date, datetime

import pytest

from newsmon.models import Article
from newsmon.published import parse_published


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-11-14T08:00:00+07:00", "2024-11-14"), ("2024-11-14", "2024-11-14"), ("2024-11", "2024-11"),
        ("2024", "2024"), ("năm 2024", "2024"), (2024, "2024"), ("14/11/2024 08:30", "2024-11-14"),
        ("Thứ năm, 14-11-2024", "2024-11-14"), ("Cập nhật: 10:15, 14.11.2024", "2024-11-14"),
        ("ngày 14 tháng 11 năm 2024", "2024-11-14"), ("Tháng 11 năm 2024", "2024-11"), ("11/2024", "2024-11"),
        ("2024/11/14", "2024-11-14"), (date(2024, 1, 2), "2024-01-02"), (datetime(2024, 1, 2, 9), "2024-01-02"),
        ("14/11/2024 25:99", "2024-11-14"),
    ],
)
def test_every_form_keeps_its_precision(value: object, iso: str) -> None:
    assert parse_published(value).iso == iso


@pytest.mark.parametrize("value", [None, "", "  ", "không rõ", "31/02/2024", "2024-13", True, 42, [2024], {"y": 1}])
def test_unreadable_dates_give_none(value: object) -> None:
    assert parse_published(value) is None


def test_a_time_is_kept_when_given() -> None:
    assert parse_published("14/11/2024 08:30").as_datetime() == datetime(2024, 11, 14, 8, 30)
    assert parse_published("2024-11").as_datetime() is None


@pytest.mark.parametrize(
    ("published_at", "day", "period"),
    [("2024-11", None, "2024-11"), ("2024", None, "2024"), ("14/11/2024 08:30", date(2024, 11, 14), None),
     (date(2024, 11, 14), date(2024, 11, 14), None), (None, None, None), ("không rõ", None, None)],
)
def test_article_takes_any_date_and_no_title(published_at: object, day: date | None, period: str | None) -> None:
    article = Article(url="https://baomau.vn/a", source="baomau.vn", title=None, text="Tin.",
                      published_at=published_at)
    assert article.title == "" and article.full_text == "Tin."
    assert (article.published_at.date() if article.published_at else None, article.published_period) == (day, period)
