"""GET /search, /articles/{id}, /health through the ASGI app; blank parameters on /search, /trends, /figures."""

from __future__ import annotations

import pytest

from tests.api_seed import articles


def test_search_folded_query_finds_accented_articles(api_client):
    response = api_client.get("/search", params={"q": "binh dang gioi"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 3
    assert all("<mark>" in hit["title_html"] + hit["snippet_html"] for hit in body["hits"])
    assert any("<mark>bình</mark> <mark>đẳng</mark> <mark>giới</mark>" in hit["title_html"] for hit in body["hits"])


def test_search_path_from_the_foundation_issue(api_client):
    assert api_client.get("/search?q=binh+dang+gioi").status_code == 200
    assert api_client.get("/api/search?q=binh+dang+gioi").status_code == 200


def test_exact_accents_rank_first(api_client):
    hits = api_client.get("/search", params={"q": "giỏi"}).json()["hits"]
    assert hits[0]["title"] == "Phụ nữ giỏi việc nước, đảm việc nhà"
    assert len(hits) > 1  # "giới" matches too, after the exact-accent hit


def test_search_escapes_titles(api_client):
    hits = api_client.get("/search", params={"q": "hội thảo"}).json()["hits"]
    assert hits and "<script>" not in hits[0]["title_html"]
    assert "&lt;script&gt;" in hits[0]["title_html"]


def test_syndicated_copy_grouped_under_original(api_client):
    items = articles()
    hits = api_client.get("/search", params={"q": "Hà Giang"}).json()["hits"]
    ids = [h["id"] for h in hits]
    assert items[0].id in ids and items[1].id not in ids
    assert hits[ids.index(items[0].id)]["duplicates"] == [items[1].id]


@pytest.mark.parametrize(
    ("params", "expected_count"),
    [
        ({"province": "Tuyên Quang"}, 1),  # the post-2025 name of Hà Giang
        ({"province": "ha giang"}, 1),
        ({"province": "Lâm Đồng"}, 1),
        ({"source": "tuoitre.vn"}, 1),
        ({"event_type": "training"}, 2),
        ({"topic": "bạo lực gia đình"}, 2),
        ({"has_figures": "true"}, 4),
        ({"date_from": "2024-11-15", "date_to": "2024-12-15"}, 2),
    ],
)
def test_filters(api_client, params, expected_count):
    body = api_client.get("/search", params=params).json()
    assert body["total"] == expected_count, body


@pytest.mark.parametrize(("path", "blanks", "narrowed", "listed"), [
    ("/search", "source=&province=+&date_from=%20&event_type=&has_figures=&sort=", "source=tuoitre.vn", "hits"),
    ("/trends", "source=&province=&split_by=&interval=&date_to=", "source=tuoitre.vn", "points"),
    ("/figures", "source=&province=&value_max=&year=&unit=&subject=", "source=baophunu.vn", "rows"),
])
def test_a_blank_parameter_is_an_absent_one(api_client, path, blanks, narrowed, listed):
    """A form submits every field: ``source=`` (or ``+``, ``%20``) is no filter, not "the source named ''"."""
    plain = api_client.get(f"{path}?q=binh+dang").json()
    blank = api_client.get(f"{path}?q=binh+dang&{blanks}")
    assert blank.status_code == 200, blank.text
    assert blank.json()["total"] == plain["total"] and blank.json()[listed] == plain[listed]
    assert 0 < api_client.get(f"{path}?q=binh+dang&{narrowed}").json()["total"] < plain["total"]  # a real filter


def test_facets_count_matching_articles(api_client):
    facets = api_client.get("/search", params={"q": "bình đẳng giới"}).json()["facets"]
    assert {"source", "province", "event_type", "topic"} <= facets.keys()
    provinces = {f["value"]: f["count"] for f in facets["province"]}
    assert provinces.get("Hà Giang") == 1


def test_cursor_pagination_walks_every_hit_once(api_client):
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2, "sort": "date", "include_off_topic": "true", **({"cursor": cursor} if cursor else {})}
        body = api_client.get("/search", params=params).json()
        seen += [h["id"] for h in body["hits"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7  # eight articles, one syndicated copy (and one not extracted yet)


def test_sort_by_date_is_newest_first(api_client):
    hits = api_client.get("/search", params={"sort": "date"}).json()["hits"]
    dates = [h["published_at"] for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_article_with_extraction(api_client):
    item = articles()[0]
    body = api_client.get(f"/articles/{item.id}").json()
    assert body["article"]["title"] == item.title
    assert body["extraction"]["provinces_new"][0]["new_name"] == "Tuyên Quang"
    assert body["extraction"]["figures"][0]["value"] == 1250


def test_article_without_extraction(api_client):
    item = articles()[6]
    assert api_client.get(f"/articles/{item.id}").json()["extraction"] is None


def test_unknown_article_is_a_404_problem(api_client):
    response = api_client.get("/articles/0000000000000000")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/article-not-found"


def test_health(api_client):
    body = api_client.get("/health").json()
    assert body == {
        "status": "ok", "engine": "sqlite", "articles": 8, "extracted": 7, "figures": 7,
        "first_day": "2021-11-25", "last_day": "2024-12-01",
    }


def test_openapi_documents_the_endpoints_with_examples(api_client):
    spec = api_client.get("/openapi.json").json()
    for path in ("/search", "/trends", "/trends/campaign", "/figures", "/entities", "/articles/{article_id}",
                 "/health", "/articles", "/admin/reextract"):
        assert path in spec["paths"], path
    q = next(p for p in spec["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert q.get("examples") or q["schema"].get("examples")
    assert "X-API-Key" in str(spec["components"]["securitySchemes"])
    assert api_client.get("/docs").status_code == 200
