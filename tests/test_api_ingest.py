"""``POST /articles`` takes real input: no headline, a partial or Vietnamese date; nothing of it is lost."""

from __future__ import annotations

import pytest

from nlp.runner import extract_pending
from tests.api_seed import API_KEY

TEXT = "Ngày 14/11, UBND tỉnh Quảng Trị tổ chức Lễ phát động Tháng hành động vì bình đẳng giới."


@pytest.mark.parametrize(("title", "published_at", "period"), [
    (None, "2024-11", "2024-11"), ("", "2024", "2024"), (None, "ngày 14 tháng 11 năm 2024", None),
])
def test_articles_without_a_headline_or_with_a_partial_date_are_kept_and_extracted(
    api_client, api_store, title, published_at, period,
) -> None:
    article = {"url": "https://baoquangtri.vn/le-phat-dong-193456.html", "source": "baoquangtri.vn",
               "title": title, "text": TEXT, "published_at": published_at}
    response = api_client.post("/articles", json={"articles": [article]}, headers={"X-API-Key": API_KEY})
    assert response.status_code == 200, response.text
    article_id = response.json()["new"][0]
    stored = api_client.get(f"/articles/{article_id}").json()["article"]
    assert stored["published_period"] == period and stored["title"] == ""
    assert (stored["published_at"] or "").startswith("2024-11-14" if period is None else "")
    extract_pending(api_store)  # the nlp stage's pass reads the year (and month) the date gave
    events = api_store.get_extraction(article_id).events
    assert ("launch_ceremony", "2024-11-14") in {(e.type, e.date) for e in events}
