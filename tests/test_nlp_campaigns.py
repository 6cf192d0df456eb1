"""Campaign years: the action month for gender equality, in full or short form, and its look-alikes."""

from datetime import date

import pytest

from nlp.pipeline import extract


@pytest.mark.parametrize(
    ("text", "title", "published", "years"),
    [
        ("UBND huyện phát động Tháng hành động năm 2025 với chủ đề thúc đẩy bình đẳng giới.", None, None, [2025]),
        ("Xã tổ chức lễ phát động Tháng hành động năm 2024.", "Phát động Tháng hành động vì bình đẳng giới",
         None, [2024]),
        ("Tháng hành động vì bình đẳng giới diễn ra sôi nổi. Tháng hành động năm nay có nhiều hoạt động.", "",
         date(2023, 11, 20), [2023]),
        ("Hưởng ứng Tháng hành động quốc gia về phòng, chống bạo lực gia đình năm 2025, xã tổ chức tọa đàm về bình "
         "đẳng giới. Tháng hành động năm nay có nhiều hoạt động.", None, None, []),
        ("Tháng hành động năm 2025 diễn ra với nhiều hoạt động về an toàn thực phẩm.", None, None, []),
        ("Hưởng ứng Tháng hành động vì trẻ em năm 2025, hội viên tuyên truyền về bình đẳng giới.", None, None, []),
    ],
)
def test_campaign_years(text: str, title: str | None, published: date | None, years: list[int]) -> None:
    assert extract(text, title=title, published_at=published, segment=False).campaign_years == years
