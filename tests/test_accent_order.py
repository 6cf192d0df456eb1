"""Exact accents first, in one place: the store's search orders a query the same way for ``/search``, the web
UI and the digest.

The index is accent-folded, so "bình đẳng" and "binh dang" score alike; BM25 alone puts the unaccented
article first here (its title repeats the words). The store moves the exact-accent match ahead, and every
reader of the store sees that order.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from digest.build import build_digest
from digest.period import Period
from newsmon.models import VN_TZ, Article, Extraction, Subscription
from newsmon.query import parse
from newsmon.settings import Settings
from newsmon.store import open_store

QUERY = "bình đẳng"
DAY = date(2024, 11, 20)


def _article(n: int, title: str, text: str) -> Article:
    return Article(url=f"https://baomau.vn/bai-{n}.html", source="baomau.vn", title=title, text=text,
                   published_at=datetime(DAY.year, DAY.month, DAY.day, 8 + n, tzinfo=VN_TZ))


@pytest.fixture
def store(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'accents.db'}") as s:
        articles = [
            _article(0, "Binh dang, binh dang va binh dang", "Bai viet khong dau ve binh dang trong gia dinh."),
            _article(1, "Tọa đàm về bình đẳng", "Hội phụ nữ xã tổ chức tọa đàm về bình đẳng trong gia đình."),
            _article(2, "Bính đẳng là gì", "Một từ gần giống: bính đẳng, không phải chủ đề của bài."),
        ]
        s.upsert_articles(articles)
        s.save_extractions((a.id, Extraction(version="test", on_topic=True)) for a in articles)  # as the UI shows
        yield s


def test_bm25_alone_would_put_the_unaccented_article_first(store) -> None:
    # Guards the premise: without the exact-accent step the order below would be different.
    scores = store._reader.execute(  # FTS5's own ranking, as the engine reads it
        "SELECT a.title FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
        "WHERE articles_fts MATCH 'binh dang' ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0)"
    ).fetchall()
    assert scores[0][0].startswith("Binh dang")


def test_search_api_ui_and_digest_share_the_stores_order(store, tmp_path) -> None:
    page = store.search(parse(QUERY), sort="relevance")
    order = [hit.title for hit in page.hits]
    assert order[0] == "Tọa đàm về bình đẳng" and len(order) == 3

    settings = Settings(_env_file=None, store_url=f"sqlite:///{tmp_path / 'accents.db'}", api_keys=["k"])
    with TestClient(create_app(settings, store)) as client:
        api = client.get("/search", params={"q": QUERY, "sort": "relevance"}).json()
        html = client.get("/", params={"q": QUERY, "sort": "relevance"}).text
    assert [hit["title"] for hit in api["hits"]] == order
    links = re.findall(r'<article class="hit">\s*<h2><a [^>]*>(.*?)</a>', html, re.S)
    ui_titles = [re.sub(r"<[^>]+>", "", title) for title in links]
    assert ui_titles == order

    subscription = Subscription(id=1, email="a@example.vn", query=QUERY)
    digest = build_digest(store, subscription, Period(DAY - timedelta(days=2), DAY + timedelta(days=5)))
    assert [story.title for story in digest.stories] == order
