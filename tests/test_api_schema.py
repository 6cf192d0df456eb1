"""Property-based requests generated from the OpenAPI spec (schemathesis + hypothesis): no 5xx.

Bounded: at most 25 examples per operation, no shrinking. Write endpoints run without a key
(they answer 401), so the seeded store stays the same between examples.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install 'newsmon[dev]'")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from api.main import create_app  # noqa: E402
from newsmon.settings import Settings  # noqa: E402
from newsmon.store import open_store  # noqa: E402
from tests.api_seed import seed  # noqa: E402

MAX_EXAMPLES = 25


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
