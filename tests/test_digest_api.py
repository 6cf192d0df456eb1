"""``/subscriptions`` (API key) and the signed one-click ``/unsubscribe``, through the ASGI app."""

from __future__ import annotations

import pytest

from newsmon.secrets import signing_key
from newsmon.tokens import make_token
from tests.api_seed import API_KEY

KEY = {"X-API-Key": API_KEY}


@pytest.fixture
def secret(api_settings) -> str:
    return signing_key(api_settings)  # none configured: the key generated beside the test store


def _create(client, **body):
    return client.post("/subscriptions", json={"email": "lan@example.vn", **body}, headers=KEY)


def test_crud_round_trip(api_client) -> None:
    created = _create(api_client, query="bạo lực gia đình", filters={"provinces": ["Hà Nội"]}, frequency="daily")
    assert created.status_code == 201
    sub = created.json()
    assert (sub["email"], sub["query"], sub["frequency"], sub["active"]) == (
        "lan@example.vn", "bạo lực gia đình", "daily", True)
    assert api_client.get(f"/subscriptions/{sub['id']}", headers=KEY).json() == sub
    assert [s["id"] for s in api_client.get("/subscriptions", params={"email": "LAN@example.vn"},
                                            headers=KEY).json()] == [sub["id"]]
    patched = api_client.patch(f"/subscriptions/{sub['id']}", json={"frequency": "weekly"}, headers=KEY).json()
    assert (patched["frequency"], patched["query"]) == ("weekly", "bạo lực gia đình")
    assert api_client.delete(f"/subscriptions/{sub['id']}", headers=KEY).status_code == 204
    assert api_client.get(f"/subscriptions/{sub['id']}", headers=KEY).status_code == 404
    assert api_client.delete(f"/subscriptions/{sub['id']}", headers=KEY).status_code == 404


def test_subscriptions_need_the_api_key(api_client) -> None:
    assert api_client.get("/subscriptions").status_code == 401
    assert api_client.post("/subscriptions", json={"email": "a@example.vn"},
                           headers={"X-API-Key": "wrong"}).status_code == 403
    assert api_client.get("/api/subscriptions", headers=KEY).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "slug"),
    [
        ({"query": "(bạo lực"}, 400, "query-syntax"),
        ({"filters": {"date_from": "2024-01-01"}}, 400, "invalid-filters"),
        ({"email": "not-an-address"}, 422, "validation"),
        ({"frequency": "monthly"}, 422, "validation"),
        ({"email": None}, 422, "validation"),
    ],
)
def test_bad_subscriptions_are_refused(api_client, body: dict, status: int, slug: str) -> None:
    response = api_client.post("/subscriptions", json={"email": "lan@example.vn", **body}, headers=KEY)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == f"/problems/{slug}"
    assert api_client.get("/subscriptions", headers=KEY).json() == []  # nothing half-stored


def test_unsubscribe_page_confirms_before_acting(api_client, api_store, secret: str) -> None:
    sub = _create(api_client, query="bình đẳng giới").json()
    token = make_token(sub["id"], secret)
    page = api_client.get("/unsubscribe", params={"token": token})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Hủy đăng ký bản tin" in page.text and "lan@example.vn" in page.text
    assert api_store.get_subscription(sub["id"]).active  # a GET (a mail scanner's prefetch) changes nothing


def test_one_click_post_unsubscribes(api_client, api_store, secret: str) -> None:
    sub = _create(api_client).json()
    token = make_token(sub["id"], secret)
    for _ in range(2):  # again: still fine
        done = api_client.post(f"/unsubscribe?token={token}", content="List-Unsubscribe=One-Click",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert done.status_code == 200 and "Đã hủy đăng ký" in done.text
    assert api_store.get_subscription(sub["id"]).active is False
    assert "Bạn đã hủy đăng ký" in api_client.get("/unsubscribe", params={"token": token}).text


def test_forged_tokens_are_refused(api_client, api_store, secret: str) -> None:
    sub = _create(api_client).json()
    forged = make_token(sub["id"], "another-secret")
    page = api_client.get("/unsubscribe", params={"token": forged})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert "Yêu cầu không hợp lệ" in page.text
    post = api_client.post(f"/unsubscribe?token={forged}", content="List-Unsubscribe=One-Click")
    assert post.status_code == 400 and post.json()["type"] == "/problems/invalid-token"
    assert api_store.get_subscription(sub["id"]).active
