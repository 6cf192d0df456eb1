"""Problem documents (RFC 9457), API keys, size and page limits, CORS, store failures."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.deps import get_store
from api.main import MAX_BODY_BYTES, create_app
from newsmon.errors import StoreUnavailable
from tests.api_seed import API_KEY

PROBLEM = "application/problem+json"


def _assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"/problems/{slug}" and body["status"] == status
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(("query", "position"), [("(bình đẳng", 0), ('"bạo lực', 0), ("giới AND", 8)])
def test_invalid_query_points_at_the_position(api_client, query, position):
    body = _assert_problem(api_client.get("/search", params={"q": query}), 400, "query-syntax")
    assert body["position"] == position
    assert f"position {position}" in body["detail"]


def test_invalid_query_on_trends_and_figures(api_client):
    for path in ("/trends", "/figures", "/entities", "/trends/campaign"):
        _assert_problem(api_client.get(path, params={"q": "(("}), 400, "query-syntax")


def test_bad_cursor(api_client):
    _assert_problem(api_client.get("/search", params={"cursor": "not-a-cursor"}), 400, "invalid-cursor")


def test_cursor_of_another_sort_order(api_client):
    cursor = api_client.get("/search", params={"limit": 1, "sort": "date"}).json()["next_cursor"]
    _assert_problem(api_client.get("/search", params={"q": "giới", "cursor": cursor}), 400, "invalid-cursor")


def test_oversized_page(api_client):
    body = _assert_problem(api_client.get("/search", params={"limit": 51}), 400, "page-size")
    assert body["max_page_size"] == 50
    _assert_problem(api_client.get("/figures", params={"limit": 51}), 400, "page-size")


def test_validation_errors_are_problems(api_client):
    body = _assert_problem(api_client.get("/trends", params={"interval": "decade"}), 422, "validation")
    assert body["errors"][0]["loc"][-1] == "interval"


def test_unknown_path_is_a_problem(api_client):
    _assert_problem(api_client.get("/nowhere"), 404, "http-404")


def test_ingest_needs_an_api_key(api_client):
    body = {"articles": [{"url": "https://a.vn/x", "source": "a.vn", "title": "Bình đẳng giới", "text": "Nội dung."}]}
    response = api_client.post("/articles", json=body)
    _assert_problem(response, 401, "missing-api-key")
    _assert_problem(api_client.post("/articles", json=body, headers={"X-API-Key": "wrong"}), 403, "invalid-api-key")
    ok = api_client.post("/articles", json=body, headers={"X-API-Key": API_KEY})
    assert ok.status_code == 200 and len(ok.json()["new"]) == 1
    again = api_client.post("/articles", json=body, headers={"X-API-Key": API_KEY}).json()
    assert again["unchanged"] == ok.json()["new"]
    assert api_client.get("/health").json()["articles"] == 9


def test_writes_disabled_without_configured_keys(api_settings, api_store):
    app = create_app(api_settings.model_copy(update={"api_keys": []}), api_store)
    with TestClient(app) as client:
        _assert_problem(client.post("/admin/reextract", json={"ids": ["x"]}, headers={"X-API-Key": "k"}),
                        403, "writes-disabled")


def test_reextract_needs_a_key_and_reports_missing_ids(api_client):
    _assert_problem(api_client.post("/admin/reextract", json={"ids": ["x"]}), 401, "missing-api-key")
    response = api_client.post("/admin/reextract", json={"ids": ["0000000000000000"]}, headers={"X-API-Key": API_KEY})
    assert response.status_code == 202
    assert response.json() == {"queued": 0, "missing": ["0000000000000000"]}


def test_reextract_queues_articles_for_the_nlp_stage(api_client, api_store):
    from nlp.pipeline import EXTRACTOR_VERSION
    from nlp.runner import extract_pending

    article = next(a for a in api_store.iter_articles() if api_store.get_extraction(a.id))
    before = api_store.get_extraction(article.id)
    response = api_client.post("/admin/reextract", json={"ids": [article.id]}, headers={"X-API-Key": API_KEY})
    assert response.status_code == 202 and response.json() == {"queued": 1, "missing": []}
    assert article.id in {a.id for a in api_store.pending_extraction(before.version)}
    assert api_store.get_extraction(article.id) == before  # readable until the nlp stage runs
    extract_pending(api_store)  # the nlp stage's next pass, as `newsmon extract --pending` runs it
    assert api_store.get_extraction(article.id).version == EXTRACTOR_VERSION


def test_request_body_too_large(api_client):
    big = b"x" * (MAX_BODY_BYTES + 1)
    response = api_client.post("/articles", content=big, headers={"X-API-Key": API_KEY,
                                                                  "Content-Type": "application/json"})
    _assert_problem(response, 413, "too-large")


def test_store_unavailable_is_a_503_problem(api_app):
    def broken_store():
        raise StoreUnavailable("database is locked")

    api_app.dependency_overrides[get_store] = broken_store
    with TestClient(api_app, raise_server_exceptions=False) as client:
        body = _assert_problem(client.get("/search", params={"q": "giới"}), 503, "store-unavailable")
        assert "locked" not in body["detail"]
        assert client.get("/health").status_code == 503


def test_unexpected_error_is_a_500_problem_without_internals(api_app):
    class Exploding:
        def stats(self):
            raise RuntimeError("secret internal path /srv/db")

    api_app.dependency_overrides[get_store] = Exploding
    with TestClient(api_app, raise_server_exceptions=False) as client:
        response = client.get("/health")
        body = _assert_problem(response, 500, "internal")
        assert "secret" not in response.text and "Traceback" not in response.text
        assert body["detail"]


def test_cors_allows_configured_origin_only(api_client):
    allowed = api_client.get("/health", headers={"Origin": "http://allowed.example"})
    assert allowed.headers.get("access-control-allow-origin") == "http://allowed.example"
    other = api_client.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_ui_errors_are_html_pages(api_client):
    response = api_client.get("/ui/articles/0000000000000000")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy" in response.text
