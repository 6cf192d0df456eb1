"""Property-based requests generated from the OpenAPI spec (schemathesis + hypothesis): no 5xx.

Bounded: at most 25 examples per operation, no shrinking. Write endpoints run without a key
(they answer 401), so the seeded store stays the same between examples.

Then the shapes a schema does not describe, from hypothesis strategies, on the JSON API and on the
HTML pages alike: queries nested hundreds deep or negated hundreds of times, cursors holding any
JSON (objects, integers beyond 64 bits) or any bytes, Unicode digits ("²", "٣") and huge integers
where numbers go, reversed or malformed dates, and ids of every shape.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install 'newsmon[dev]'")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from api.main import create_app  # noqa: E402
from newsmon.settings import Settings  # noqa: E402
from newsmon.store import open_store  # noqa: E402
from tests.api_seed import seed  # noqa: E402

MAX_EXAMPLES = 25
HOSTILE_EXAMPLES = 30


def _operation_labels() -> list[str]:
    spec = create_app(Settings(_env_file=None)).openapi()
    return [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item]


@pytest.fixture(scope="module")
def schema_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "api.db"
    settings_ = Settings(_env_file=None, store_url=f"sqlite:///{path}", api_keys=["k"], max_page_size=50)
    store = open_store(settings_.store_url)
    seed(store)
    yield create_app(settings_, store)
    store.close()


@pytest.mark.parametrize("label", _operation_labels())
def test_no_server_errors(schema_app, label):
    schema = schemathesis.openapi.from_asgi("/openapi.json", schema_app)
    method, path = label.split(" ", 1)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck), database=None)
    def check(case) -> None:
        response = case.call()
        assert response.status_code < 500, f"{label} {case.query}: {response.text[:300]}"
        if response.status_code >= 400:
            content_type = response.headers["content-type"]
            content_type = content_type[0] if isinstance(content_type, list) else content_type
            assert content_type.startswith("application/problem+json"), response.text[:200]

    check()


# --- hostile shapes the schema does not describe (issue 17), on the API and on the HTML pages ----------------

WORDS = st.sampled_from(["giới", "bình", "đẳng", "Hà Nội", "a", "x*", '"bạo lực"', "title:", "province:", "foo:",
                         "OR", "AND", "NOT", "-", "(", ")", '"', ":", "²", "٣", "\u0301", "\x00"])
DEEP_QUERIES = st.one_of(
    st.builds(lambda n, m, w: "(" * n + w + ")" * m, st.integers(0, 400), st.integers(0, 400), WORDS),
    st.builds(lambda n, w: "-" * n + w, st.integers(0, 400), WORDS),
    st.builds(lambda n, w: "NOT " * n + w, st.integers(0, 250), WORDS),
    st.builds(lambda n, w: f"{w}:(" * n + "a" + ")" * n, st.integers(0, 60), st.sampled_from(["title", "source"])),
    st.lists(WORDS, max_size=40).map(" ".join),
    st.text(max_size=300),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(1 << 80), 1 << 80) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)
CURSORS = st.one_of(
    st.builds(lambda s, k: base64.urlsafe_b64encode(json.dumps({"s": s, "k": k}).encode()).decode().rstrip("="),
              st.sampled_from(["date", "relevance", "x"]), JSON_VALUES),
    st.binary(max_size=200).map(lambda b: base64.urlsafe_b64encode(b).decode()),
    st.text(max_size=200),
)
NUMBERS = st.one_of(
    st.sampled_from(["²", "³¹", "٣", "١٢", "１２", "߂", "Ⅻ", "⑤"]),  # digits to str.isdigit(), not all to int()
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6),
    st.integers(-(1 << 100), 1 << 100).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "1e309", "0x10", "1_000", "-0", "+5"]),
)
DATES = st.one_of(st.dates().map(str), st.text(max_size=12), NUMBERS)
SOME = st.sampled_from(["", "giới", "bình đẳng giới"])
FAMILIES = {  # one kind of hostility at a time, so each reaches the code that reads it
    "queries": st.fixed_dictionaries({"q": DEEP_QUERIES}),
    "cursors": st.fixed_dictionaries({"q": SOME, "cursor": CURSORS, "sort": st.sampled_from(["date", "relevance"])}),
    "numbers": st.fixed_dictionaries({}, optional={k: NUMBERS for k in (
        "year", "years", "offset", "limit", "value_min", "value_max")}),
    "others": st.fixed_dictionaries({}, optional={
        "date_from": DATES, "date_to": DATES, "sort": st.text(max_size=10), "province": st.text(max_size=30),
        "source": st.text(max_size=30), "has_figures": st.text(max_size=5), "token": st.text(max_size=100),
        "interval": st.sampled_from(["day", "week", "month", "year", "decade", ""]),
        "split_by": st.sampled_from(["source", "province", "topic", "event_type", "", "x"]),
        "format": st.sampled_from(["json", "csv", "xml"])}),
}
PAGE_PATHS = ("/", "/ui/trends", "/ui/figures", "/ui/subscribe", "/ui/subscribe/confirm")
API_PATHS = ("/search", "/trends", "/trends/campaign", "/figures", "/entities", "/unsubscribe", "/api/search")
ID_PATHS = ("/articles/{}", "/ui/articles/{}", "/subscriptions/{}")
IDS = st.one_of(NUMBERS, st.text(max_size=40).filter(lambda t: "/" not in t and t not in (".", "..")))


@pytest.mark.parametrize("family", list(FAMILIES))
@pytest.mark.parametrize("path", PAGE_PATHS + API_PATHS)
def test_hostile_parameters_never_make_a_5xx(schema_app, path: str, family: str) -> None:
    client = TestClient(schema_app, raise_server_exceptions=False)

    @given(params=FAMILIES[family])
    @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(params: dict[str, str]) -> None:
        response = client.get(path, params=params)
        assert response.status_code < 500, f"{path} {params!r}: {response.text[:300]}"
        if response.status_code >= 400 and not path.startswith("/ui") and path not in ("/", "/unsubscribe"):
            assert response.headers["content-type"].startswith("application/problem+json"), response.text[:200]

    check()


@pytest.mark.parametrize("template", ID_PATHS)
def test_hostile_ids_never_make_a_5xx(schema_app, template: str) -> None:
    client = TestClient(schema_app, raise_server_exceptions=False)

    @given(identifier=IDS, method=st.sampled_from(["GET", "PATCH", "DELETE"]))
    @settings(max_examples=HOSTILE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(identifier: str, method: str) -> None:
        method = method if template.startswith("/subscriptions") else "GET"
        response = client.request(method, template.format(quote(identifier, safe="")), headers={"X-API-Key": "k"},
                                  json={} if method == "PATCH" else None)
        assert response.status_code < 500, f"{method} {template} {identifier!r}: {response.text[:300]}"

    check()
