"""A few requests over a real uvicorn socket on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from tests.api_seed import API_KEY

pytestmark = pytest.mark.slow


def test_search_over_http(api_server):
    response = httpx.get(f"{api_server}/search", params={"q": "binh dang gioi"}, timeout=10)
    assert response.status_code == 200 and response.json()["total"] >= 3


def test_problem_over_http(api_server):
    response = httpx.get(f"{api_server}/search", params={"q": "giới AND"}, timeout=10)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["position"] == 8


def test_ingest_then_find_over_http(api_server):
    article = {"url": "https://vov.vn/moi", "source": "vov.vn", "title": "Tọa đàm về bình đẳng giới ở Lào Cai",
               "text": "Tọa đàm về bình đẳng giới được tổ chức ở Lào Cai với 120 đại biểu."}
    posted = httpx.post(f"{api_server}/articles", json={"articles": [article]}, headers={"X-API-Key": API_KEY},
                        timeout=10)
    assert posted.status_code == 200 and len(posted.json()["new"]) == 1
    hits = httpx.get(f"{api_server}/search", params={"q": "tọa đàm", "include_off_topic": "true"},  # not extracted
                     timeout=10).json()["hits"]
    assert hits[0]["source"] == "vov.vn"


def test_pages_and_csv_over_http(api_server):
    with httpx.Client(base_url=api_server, timeout=10) as client:
        assert "<mark>" in client.get("/", params={"q": "giới"}).text
        csv_response = client.get("/figures", params={"format": "csv"})
        assert csv_response.content.startswith(b"\xef\xbb\xbf")
        assert client.get("/health").json()["status"] == "ok"
