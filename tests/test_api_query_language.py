"""The query language's gaps closed (issue 15) as the API and the pages answer them."""

from __future__ import annotations

import pytest


def _ids(client, q: str, **params: object) -> set[str]:
    response = client.get("/search", params={"q": q, "limit": 50, "include_duplicates": True, **params})
    assert response.status_code == 200, response.text
    return {h["id"] for h in response.json()["hits"]}


def test_a_negated_phrase_works_like_not(api_client) -> None:
    everything = _ids(api_client, "giới")
    with_phrase = _ids(api_client, '"bạo lực gia đình"')
    assert with_phrase and everything - with_phrase  # the corpus has both kinds
    assert _ids(api_client, 'giới -"bạo lực gia đình"') == _ids(api_client, 'giới NOT "bạo lực gia đình"')
    assert _ids(api_client, 'giới -"bạo lực gia đình"') == everything - with_phrase


def test_a_field_applies_to_a_group(api_client) -> None:
    grouped = _ids(api_client, "source:(vnexpress.net OR thanhnien.vn)")
    apart = _ids(api_client, "source:vnexpress.net") | _ids(api_client, "source:thanhnien.vn")
    assert grouped == apart and len(grouped) >= 2
    titles = _ids(api_client, "title:(giới OR gia)")
    assert titles == _ids(api_client, "title:giới OR title:gia")


@pytest.mark.parametrize(("q", "position"), [("author:Lan", 0), ("giới date:2024", 5), ('x foo:"a b"', 2)])
def test_an_unknown_field_is_a_400_with_its_position(api_client, q: str, position: int) -> None:
    response = api_client.get("/search", params={"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["position"] == position and "unknown field" in body["detail"]
    assert "không có trường" in body["detail_vi"] and f"vị trí {position}" in body["detail_vi"]


@pytest.mark.parametrize("path", ["/search", "/trends", "/figures", "/entities", "/trends/campaign"])
def test_date_from_after_date_to_is_a_400(api_client, path: str) -> None:
    response = api_client.get(path, params={"date_from": "2024-12-31", "date_to": "2024-01-01"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/date-range" and "2024-12-31" in body["detail"]
    assert "31/12/2024" in body["detail_vi"]
    same_day = api_client.get(path, params={"date_from": "2024-11-15", "date_to": "2024-11-15"})
    assert same_day.status_code == 200


def test_the_search_page_refuses_a_reversed_range(api_client) -> None:
    page = api_client.get("/", params={"q": "giới", "date_from": "2024-12-31", "date_to": "2024-01-01"})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
