"""Requests an attacker sends (issue 17): each one reproduced, each answered with a 4xx problem, never a 5xx.

Also the links and headers a page is served with, the copy links ``duplicate_of`` may form through the
API, and a log that one bad request cannot flood.
"""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from newsmon.models import Article
from newsmon.store.base import STORED
from tests.api_seed import API_KEY

KEY = {"X-API-Key": API_KEY}
DEEP = "(" * 250 + "giới" + ")" * 250
NEGATED = "-" * 150 + "giới"
JSON_PATHS = ("/search", "/trends", "/trends/campaign", "/figures", "/entities")
PAGES = ("/", "/ui/trends", "/ui/figures")


def _cursor(keys: object, sort: str = "date") -> str:
    return base64.urlsafe_b64encode(json.dumps({"s": sort, "k": keys}).encode()).decode().rstrip("=")


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize("path", JSON_PATHS)
def test_deep_nesting_is_a_400_with_its_position(api_client, path: str) -> None:
    body = _problem(api_client.get(path, params={"q": DEEP}), 400)
    assert body["type"] == "/problems/query-syntax" and body["position"] == 32
    assert "ngoặc" in body["detail_vi"]
    assert api_client.get(path, params={"q": NEGATED}).status_code == 200  # 150 "-": an even run, no recursion


@pytest.mark.parametrize("path", PAGES)
def test_deep_nesting_on_the_pages(api_client, path: str) -> None:
    response = api_client.get(path, params={"q": DEEP})
    assert response.status_code == 400 and "text/html" in response.headers["content-type"]
    assert api_client.get(path, params={"q": NEGATED}).status_code == 200


@pytest.mark.parametrize("cursor", [
    _cursor([{"$gt": 1}, "", 1]),             # an object where a key belongs
    _cursor(["2024-11-15", "", 1 << 70]),     # an integer beyond 64 bits
    _cursor([[[[[]]]], "", 1]),               # a list
    _cursor([1.5, True], sort="relevance"),   # a boolean
    base64.urlsafe_b64encode(b"[" * 5000).decode(),  # JSON nested past any stack
    "é" * 20,                                 # not base64 at all
    "A" * 5000,                               # far longer than any cursor we issue
])
@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_forged_cursors_are_400(api_client, cursor: str, sort: str) -> None:
    body = _problem(api_client.get("/search", params={"q": "giới", "sort": sort, "cursor": cursor}), 400)
    assert body["type"] == "/problems/invalid-cursor"
    assert api_client.get("/", params={"q": "giới", "sort": sort, "cursor": cursor}).status_code == 400


@pytest.mark.parametrize("year", ["²", "٣", "１２", "99999999999999999999", "-1", "0"])
def test_unicode_digits_and_huge_years(api_client, year: str) -> None:
    page = api_client.get("/ui/figures", params={"year": year})
    assert page.status_code == 422 and "Tham số <code>year</code>" in page.text, page.text[:300]  # in Vietnamese
    assert _problem(api_client.get("/figures", params={"year": year}), 422)["errors"]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("subscription_id", ["99999999999999999999", "9223372036854775808", "0", "-1", "²"])
def test_subscription_ids_out_of_range(api_client, method: str, subscription_id: str) -> None:
    response = api_client.request(method, f"/subscriptions/{subscription_id}", headers=KEY,
                                  json={} if method == "PATCH" else None)
    _problem(response, 422)


def test_largest_subscription_id_is_a_404(api_client) -> None:
    _problem(api_client.get(f"/subscriptions/{(1 << 63) - 1}", headers=KEY), 404)


def _article(url: str, **extra: object) -> dict:
    return {"url": url, "source": "a.vn", "title": "Bình đẳng giới", "text": "Bình đẳng giới ở cơ sở.", **extra}


def test_posting_the_id_of_an_existing_article_is_a_409(api_client, api_store) -> None:
    taken = api_store.search(limit=1).hits[0]
    before = api_store.count_articles()
    body = _problem(api_client.post("/articles", headers=KEY, json={"articles": [
        _article("https://a.vn/new"), _article("https://a.vn/other", id=taken.id)]}), 409)
    assert taken.id in body["detail"]
    assert api_store.count_articles() == before  # nothing of the batch was written
    assert api_store.get_article(taken.id).url == taken.url
    same_id_twice = [_article(f"https://a.vn/{n}", id="0123456789abcdef") for n in (1, 2)]
    _problem(api_client.post("/articles", headers=KEY, json={"articles": same_id_twice}), 409)


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox", "//evil.example/x",
                                 "file:///etc/passwd", "https://"])
def test_only_http_urls_are_ingested(api_client, url: str) -> None:
    for field in ("url", "canonical_url"):
        extra = {"canonical_url": url} if field == "canonical_url" else {}
        article = _article(url if field == "url" else "https://a.vn/ok", **extra)
        body = _problem(api_client.post("/articles", headers=KEY, json={"articles": [article]}), 422)
        assert field in body["detail"] and "http(s)" in body["detail"]


def test_a_stored_javascript_url_is_never_a_link(api_client, api_store) -> None:
    """A row written before the check existed (or by another tool): the pages check again."""
    bad = Article.model_validate(_article("javascript:alert(1)", published_at="2024-11-20T09:00:00+07:00"),
                                 context=STORED)
    api_store.upsert_articles([bad])
    everything = {"q": "cơ sở", "include_off_topic": "true"}  # the article is not extracted
    for page in (api_client.get(f"/ui/articles/{bad.id}"), api_client.get("/", params=everything)):
        assert page.status_code == 200 and "Bình đẳng giới" in page.text
        assert "javascript:" not in page.text.lower()
        assert re.search(r'<a [^>]*href="#"[^>]*>Bài gốc', page.text)


def test_duplicate_of_cannot_form_a_cycle(api_client, api_store) -> None:
    a, b = _article("https://a.vn/goc"), _article("https://b.vn/ban-sao")
    ids = api_client.post("/articles", headers=KEY, json={"articles": [a, b]}).json()["new"]
    a_id, b_id = ids
    linked = api_client.post("/articles", headers=KEY, json={"articles": [{**b, "duplicate_of": a_id}]})
    assert linked.status_code == 200
    # B→A exists: A→B would close a cycle (A names a copy) and hide both from search.
    body = _problem(api_client.post("/articles", headers=KEY, json={"articles": [{**a, "duplicate_of": b_id}]}), 422)
    assert "itself a copy" in body["detail"]
    both_ways = [{**a, "duplicate_of": b_id}, {**b, "duplicate_of": a_id}]
    _problem(api_client.post("/articles", headers=KEY, json={"articles": both_ways}), 422)
    _problem(api_client.post("/articles", headers=KEY, json={"articles": [{**a, "duplicate_of": a_id}]}), 422)
    body = _problem(api_client.post("/articles", headers=KEY, json={"articles": [
        {**a, "duplicate_of": "ffffffffffffffff"}]}), 422)
    assert "names no article" in body["detail"]
    assert api_store.get_article(a_id).duplicate_of is None
    hits = api_client.get("/search", params={"q": '"cơ sở"', "include_off_topic": "true"}).json()["hits"]
    assert [h["id"] for h in hits if h["id"] in ids] == [a_id]  # the original is found, the copy under it
    assert next(h for h in hits if h["id"] == a_id)["duplicates"] == [b_id]


def test_an_original_with_copies_cannot_become_a_copy(api_client, api_store) -> None:
    a, b, c = _article("https://a.vn/goc"), _article("https://b.vn/ban-sao"), _article("https://c.vn/som-hon")
    a_id, b_id, c_id = api_client.post("/articles", headers=KEY, json={"articles": [a, b, c]}).json()["new"]
    linked = api_client.post("/articles", headers=KEY, json={"articles": [{**b, "duplicate_of": a_id}]})
    assert linked.status_code == 200
    # B→A exists: A→C would make a chain B→A→C, and B, grouped under a copy, would vanish from search.
    body = _problem(api_client.post("/articles", headers=KEY, json={"articles": [{**a, "duplicate_of": c_id}]}), 422)
    assert body["type"] == "/problems/invalid-duplicate" and b_id in body["detail"] and "first" in body["detail"]
    assert api_store.get_article(a_id).duplicate_of is None
    # Within one batch too: C gets a copy and becomes one.
    fresh = _article("https://d.vn/moi")
    _problem(api_client.post("/articles", headers=KEY, json={"articles": [
        {**fresh, "duplicate_of": c_id}, {**c, "duplicate_of": a_id}]}), 422)
    # Re-pointing the copies in the same batch is allowed: every link stays one step long.
    moved = api_client.post("/articles", headers=KEY, json={"articles": [
        {**a, "duplicate_of": c_id}, {**b, "duplicate_of": c_id}]})
    assert moved.status_code == 200, moved.text
    assert {k: sorted(v) for k, v in api_store.copies_of([a_id, c_id]).items()} == {c_id: sorted([a_id, b_id])}
    hits = api_client.get("/search", params={"q": '"cơ sở"', "include_off_topic": "true"}).json()["hits"]
    assert sorted(next(h for h in hits if h["id"] == c_id)["duplicates"]) == sorted([a_id, b_id])
    assert not {a_id, b_id} & {h["id"] for h in hits}


def test_pages_send_security_headers(api_client) -> None:
    for path in ("/", "/ui/trends", "/ui/figures", "/search", "/health", "/static/style.css", "/nowhere"):
        headers = api_client.get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_an_unexpected_error_logs_one_traceback_however_often_it_happens(api_app, caplog) -> None:
    from api.deps import get_store

    def recursing(depth: int = 0) -> None:
        recursing(depth + 1)

    class Broken:
        def search(self, *args, **kwargs):
            recursing()

        def stats(self):
            return None

    api_app.dependency_overrides[get_store] = Broken
    caplog.set_level(logging.ERROR)
    with TestClient(api_app, raise_server_exceptions=True) as client:  # nothing escapes to the server either
        for _ in range(20):
            body = _problem(client.get("/search", params={"q": "giới"}), 500)
            assert "Recursion" not in body["detail"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 20
    assert sum("Traceback" in r.getMessage() for r in errors) == 1
    assert sum(len(r.getMessage()) for r in errors) < 40_000  # a full RecursionError traceback is ~260 KB each
