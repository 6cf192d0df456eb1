"""Dates are never invented (issue 17): an article whose page gives no date stays undated in the store, is shown
as "không rõ ngày", and is left out of dated trends and digests; a store written before is mended on open."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from digest.build import build_digest
from digest.period import Period
from newsmon.labels import UNDATED_LABEL
from newsmon.models import VN_TZ, Article
from newsmon.query import parse
from newsmon.store.sqlite import SqliteStore
from tests.digest_seed import NOW, PERIOD_END, WEEK_START
from tests.old_schemas import UNDO_V10_AND_LATER


def _undated(crawled: datetime) -> Article:
    return Article(url="https://baocu.vn/bai-khong-ngay.html", source="baocu.vn", crawled_at=crawled,
                   title="Bình đẳng giới trong gia đình trẻ",
                   text="Bài viết cũ về bình đẳng giới, không ghi ngày đăng.")


def test_a_store_that_dated_undated_articles_by_their_crawl_day_is_mended(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    crawled = datetime(2025, 6, 4, 10, 0, tzinfo=VN_TZ)
    with SqliteStore(path) as store:
        store.upsert_articles([_undated(crawled)])
    with sqlite3.connect(path) as conn:  # what schema version 7 wrote: the crawl day as the article's day
        conn.execute("UPDATE articles SET day = '2025-06-04'")
        conn.executescript(UNDO_V10_AND_LATER + "PRAGMA user_version = 7")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT day, week FROM article_keys").fetchone() == ("2025-06-04", "2025-06-02")
    with SqliteStore(path) as store:
        assert store.trends(parse("giới"), interval="day").undated == 1
        assert store.search(parse("giới"), sort="date").hits[0].published_at is None
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT day, week FROM article_keys").fetchone() == ("", "")
        assert conn.execute("SELECT day FROM articles").fetchone() == (None,)


def test_pages_say_the_date_is_unknown(api_client, api_store) -> None:
    article = _undated(datetime.now(VN_TZ))
    api_store.upsert_articles([article])
    page = api_client.get(f"/ui/articles/{article.id}")
    assert page.status_code == 200 and UNDATED_LABEL in page.text
    results = api_client.get("/", params={"q": "gia đình trẻ", "include_off_topic": "true"})  # not extracted
    assert UNDATED_LABEL in results.text
    dated = api_client.get("/", params={"q": "Hà Giang"})
    assert UNDATED_LABEL not in dated.text  # dated hits show their date
    everything = {"q": "bình đẳng giới", "include_off_topic": "true"}
    trends = api_client.get("/trends", params={**everything, "interval": "week"}).json()
    assert trends["undated"] == 1 and trends["total"] == sum(p["count"] for p in trends["points"]) + 1
    assert f"1 bài {UNDATED_LABEL}" in api_client.get("/ui/trends", params=everything).text


def test_an_undated_article_crawled_during_the_week_is_not_in_its_digest(digest_store) -> None:
    subscription = digest_store.get_subscription(1)
    period = Period(WEEK_START, PERIOD_END)
    before = build_digest(digest_store, subscription, period)
    digest_store.upsert_articles([_undated(NOW - timedelta(days=3))])  # crawled on the Friday of that week
    after = build_digest(digest_store, subscription, period)
    assert after.total == before.total and [s.title for s in after.stories] == [s.title for s in before.stories]
