"""The server-rendered UI pages, through the ASGI app."""

from __future__ import annotations

from datetime import datetime

import pytest

from api.pages.search import story_reach
from newsmon.models import VN_TZ
from newsmon.store.stories import StorySummary
from tests.api_seed import articles


def test_search_page_shows_highlighted_results_and_facets(api_client):
    response = api_client.get("/", params={"q": "bình đẳng giới"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="vi">' in html and "<mark>bình</mark>" in html
    assert "Tỉnh/thành" in html and "province=H%C3%A0+Giang" in html  # a facet link
    assert "Cùng nội dung đăng lại" in html


def test_search_page_escapes_titles(api_client):
    html = api_client.get("/", params={"q": "hội thảo"}).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_search_page_shows_query_errors_with_position(api_client):
    response = api_client.get("/", params={"q": "(bạo lực"})
    assert response.status_code == 400
    assert "Truy vấn không hợp lệ" in response.text and "ký tự thứ 1" in response.text


def test_search_page_paginates(api_client):
    html = api_client.get("/", params={"sort": "date", "include_off_topic": "true"}).text
    assert html.count('class="hit"') == 7  # below one page
    assert 'rel="next"' not in html


def test_article_page_marks_extracted_items(api_client):
    item = articles()[0]
    html = api_client.get(f"/ui/articles/{item.id}").text
    assert '<mark class="ent ent-places"' in html and ">Hà Giang</mark>" in html
    assert '<mark class="ent ent-figures"' in html and ">1.250 phụ nữ</mark>" in html
    assert '<mark class="ent ent-events"' in html and '<mark class="ent ent-people"' in html
    assert "Tuyên Quang" in html  # the post-2025 province
    assert "Kế hoạch số 247/KH-UBND" in html and "Ủy ban nhân dân tỉnh Hà Giang" in html


def test_article_page_escapes_text(api_client):
    item = articles()[7]
    html = api_client.get(f"/ui/articles/{item.id}").text
    assert "<script>alert(1)</script>" not in html


def test_trends_page_draws_an_svg_chart(api_client):
    html = api_client.get("/ui/trends", params={"q": "giới", "interval": "year", "split_by": "source"}).text
    assert "<svg" in html and "<rect" in html and "Tháng hành động" in html
    assert "vnexpress.net" in html and "%" in html


def test_figures_page_links_the_csv_export(api_client):
    html = api_client.get("/ui/figures", params={"province": "Hà Giang"}).text
    assert "1.250" in html and "Tải CSV" in html
    assert "/figures?province=H%C3%A0+Giang&amp;format=csv" in html


def test_static_assets(api_client):
    assert api_client.get("/static/style.css").status_code == 200
    assert api_client.get("/static/app.js").status_code == 200


def _story(outlets: list[str], first: datetime | None, last: datetime | None) -> StorySummary:
    return StorySummary(id="0" * 16, title="Tin", url="https://a.vn/tin", articles=len(outlets) + 1,
                        outlets=outlets, first_published=first, last_published=last)


@pytest.mark.parametrize(("outlets", "first", "last", "label"), [
    (["a.vn", "b.vn"], (2024, 11, 21, 8), (2024, 11, 21, 20), "a.vn, b.vn · 3 bài · ngày 21/11"),
    (["a.vn", "b.vn", "c.vn"], (2024, 11, 21, 8), (2024, 11, 24, 9), "a.vn, b.vn, c.vn · 4 bài · từ 21/11 đến 24/11"),
    (["a.vn", "b.vn", "c.vn", "d.vn", "e.vn"], (2024, 12, 30, 8), (2025, 1, 2, 8),
     "a.vn, b.vn, c.vn, … · 6 bài · từ 30/12/2024 đến 02/01/2025"),
    (["a.vn", "b.vn"], None, None, "a.vn, b.vn · 3 bài"),
])
def test_a_story_label_names_its_first_outlets_and_its_days(outlets, first, last, label):
    when = [datetime(*t, tzinfo=VN_TZ) if t else None for t in (first, last)]
    assert story_reach(_story(outlets, *when)) == label
