"""The Elasticsearch store reaching a secured cluster: the certificate verified, the credentials sent on
every request, every refusal a clear error, and the secrets in no log, answer or message.

Elasticsearch's security module (TLS on the HTTP layer, users, API keys) is not part of the
integ-test-zip the suite runs. So these tests put ``tests/elastic_tls.SecureProxy`` in front of the
real node: an HTTPS server whose certificate comes from a CA generated for the run, which checks the
basic or API-key credentials of every request and answers 401 as Elasticsearch does, then forwards the
request to the node. What newsmon does on its side (which CA or fingerprint it trusts, which
credentials it sends, what it makes of a refusal) is exercised unchanged.
"""

from __future__ import annotations

import base64
import logging
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.errors import ConfigError, StoreUnavailable
from newsmon.query import parse
from newsmon.settings import Settings
from tests.elastic_server import free_port, is_healthy, running_elasticsearch, unavailable
from tests.elastic_tls import Pki, SecureProxy, encoded_api_key, make_pki
from tests.store_contract import sample_corpus

pytestmark = pytest.mark.elasticsearch

PROJECT_ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "newsmon", "pa55-not-for-logs-7f3a"
KEY_ID, KEY = "k-2f9c", "key-not-for-logs-91b4"
SECRETS = (PASSWORD, KEY, encoded_api_key(KEY_ID, KEY), base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())

try:
    from newsmon.store.elastic import ElasticStore
except ImportError as e:  # the extra is missing: the fixture below says how to fix it
    ElasticStore = None  # type: ignore[assignment,misc]
    IMPORT_ERROR = str(e)


@pytest.fixture(scope="module")
def node_url() -> Iterator[str]:
    """A healthy node: ``NEWSMON_ELASTICSEARCH_URL`` if set, else the unpacked distribution."""
    if ElasticStore is None:
        unavailable(IMPORT_ERROR)
    if url := os.environ.get("NEWSMON_ELASTICSEARCH_URL"):
        if not is_healthy(url):
            unavailable(f"NEWSMON_ELASTICSEARCH_URL={url} does not answer")
        yield url
        return
    with running_elasticsearch() as url:
        yield url


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def rogue(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """Another CA and certificate for the same host: what an impostor would present."""
    return make_pki(tmp_path_factory.mktemp("rogue"), label="impostor")


@pytest.fixture(scope="module")
def proxy(node_url: str, pki: Pki) -> Iterator[SecureProxy]:
    """HTTPS with basic and API-key authentication in front of the node (see the module's docstring)."""
    secure = SecureProxy(int(node_url.rsplit(":", 1)[1]), pki, users={USER: PASSWORD}, api_keys={KEY_ID: KEY})
    yield secure
    secure.close()


def secure_store(url: str, tmp_path: Path, **settings: object) -> ElasticStore:
    """A store under a prefix of its own at ``url``, with these connection settings and a spool in tmp_path."""
    return ElasticStore(f"{url}/t{uuid.uuid4().hex[:12]}", spool_path=tmp_path / "spool.db",
                        settings=Settings(_env_file=None, **settings))


@pytest.mark.parametrize(("credentials", "who"), [
    ({"elastic_user": USER, "elastic_password": PASSWORD}, f"basic:{USER}"),
    ({"elastic_api_key": encoded_api_key(KEY_ID, KEY)}, f"apikey:{KEY_ID}"),
    ({"elastic_api_key": f"{KEY_ID}:{KEY}"}, f"apikey:{KEY_ID}"),
], ids=["user-password", "api-key-encoded", "api-key-id-and-key"])
def test_credentials_reach_the_cluster_over_verified_tls(
    proxy: SecureProxy, pki: Pki, tmp_path: Path, credentials: dict[str, str], who: str,
) -> None:
    before = len(proxy.seen)
    with secure_store(proxy.url, tmp_path, elastic_ca_certs=pki.ca_file, **credentials) as store:
        store.upsert_articles(sample_corpus())
        assert store.count_articles() == 4
        assert [h.title for h in store.search(parse("bao luc gia dinh")).hits] == [sample_corpus()[2].title]
        store.drop()
    assert len(proxy.seen) - before >= 5 and set(proxy.seen[before:]) == {who}  # every request carried them


@pytest.mark.parametrize("pinned", ["cert", "ca"])
def test_a_pinned_fingerprint_stands_in_for_the_ca(proxy: SecureProxy, pki: Pki, tmp_path: Path, pinned: str) -> None:
    with secure_store(proxy.url, tmp_path, elastic_ssl_fingerprint=pki.fingerprint(pinned), elastic_user=USER,
                      elastic_password=PASSWORD) as store:
        assert store.count_articles() == 0


def _refusals(pki: Pki, rogue: Pki) -> dict[str, tuple[dict[str, object], str]]:
    """Settings that must be refused, and the words the refusal must say."""
    login = {"elastic_user": USER, "elastic_password": PASSWORD}
    return {
        "wrong-password": ({"elastic_user": USER, "elastic_password": "wrong", "elastic_ca_certs": pki.ca_file},
                           "refused newsmon's credentials"),
        "no-credentials": ({"elastic_ca_certs": pki.ca_file}, "refused newsmon's credentials"),
        "untrusted-certificate": (login, "certificate newsmon does not trust"),  # the system's CAs: on by default
        "impostor-ca": ({**login, "elastic_ca_certs": rogue.ca_file}, "certificate newsmon does not trust"),
        "fingerprint-mismatch": ({**login, "elastic_ssl_fingerprint": rogue.fingerprint()}, "fingerprint"),
    }


REFUSALS = ["wrong-password", "no-credentials", "untrusted-certificate", "impostor-ca", "fingerprint-mismatch"]


@pytest.mark.parametrize("case", REFUSALS)
def test_a_refusal_is_a_clear_error_and_a_503_problem(
    proxy: SecureProxy, pki: Pki, rogue: Pki, tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture,
) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app

    settings, says = _refusals(pki, rogue)[case]
    caplog.set_level(logging.DEBUG)
    with secure_store(proxy.url, tmp_path, **settings) as store:
        with pytest.raises(ConfigError, match=says) as refused:
            store.search(parse("bao luc"))
        assert proxy.url.removeprefix("https://") in str(refused.value)
        with pytest.raises(ConfigError, match=says):  # not an outage: nothing is spooled to hide it
            store.upsert_articles(sample_corpus())
        assert not (tmp_path / "spool.db").exists()
        app = create_app(Settings(_env_file=None, store_url=proxy.url, **settings), store)
        with TestClient(app, raise_server_exceptions=False) as client:
            answers = [client.get("/search", params={"q": "bao luc"}), client.get("/health")]
    for response in answers:
        assert response.status_code == 503 and response.headers["content-type"].startswith("application/problem")
        assert response.json()["type"] == "/problems/misconfigured" and "Traceback" not in response.text
    assert says in caplog.text  # the operator's log says which setting to fix
    assert not any(secret in caplog.text + str(refused.value) for secret in SECRETS)


@pytest.mark.parametrize("case", ["wrong-password", "untrusted-certificate", "fingerprint-mismatch"])
def test_the_cli_reports_a_refusal_on_one_line(proxy: SecureProxy, pki: Pki, rogue: Pki, case: str) -> None:
    settings, says = _refusals(pki, rogue)[case]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "NEWSMON_STORE_URL": f"{proxy.url}/cli",
           "COLUMNS": "80", **{f"NEWSMON_{k.upper()}": str(v) for k, v in settings.items()}}
    done = subprocess.run([sys.executable, "-m", "newsmon.cli", "stats"], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and says in lines[0] and "Traceback" not in done.stderr
    assert not any(secret in done.stdout + done.stderr for secret in SECRETS)


def test_secrets_stay_out_of_health_logs_and_messages(
    proxy: SecureProxy, pki: Pki, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app

    caplog.set_level(logging.DEBUG)  # the client's request log included
    settings = {"elastic_api_key": encoded_api_key(KEY_ID, KEY), "elastic_ca_certs": pki.ca_file}
    with secure_store(proxy.url, tmp_path, **settings) as store:
        store.upsert_articles(sample_corpus())
        app = create_app(Settings(_env_file=None, store_url=proxy.url, **settings), store)
        with TestClient(app) as client:
            health = client.get("/health")
        assert health.status_code == 200 and health.json()["articles"] == 4
        shown = [health.text, repr(store.settings), store.url, store.where]
        store.drop()
    # A password in the URL, and a cluster that does not answer: the outage message names the host only.
    down = f"https://{USER}:{PASSWORD}@127.0.0.1:{free_port()}"
    with ElasticStore(down, spool_path=None, timeout=2, settings=Settings(_env_file=None)) as gone:
        with pytest.raises(StoreUnavailable) as outage:
            gone.count_articles()
        shown += [str(outage.value), gone.url, gone.where]
    assert "127.0.0.1" in str(outage.value)
    assert not any(secret in text for secret in SECRETS for text in [*shown, caplog.text])


def test_contradictory_settings_are_refused_before_connecting(pki: Pki, tmp_path: Path) -> None:
    cases = {
        "not both": {"elastic_api_key": "abc", "elastic_user": USER, "elastic_password": PASSWORD},
        "both NEWSMON_ELASTIC_USER and NEWSMON_ELASTIC_PASSWORD": {"elastic_user": USER},
        "not a SHA-256 fingerprint": {"elastic_ssl_fingerprint": "12:34"},
        "is not a file": {"elastic_ca_certs": tmp_path / "missing.pem"},
        "contradicts": {"elastic_verify_certs": False, "elastic_ca_certs": pki.ca_file},
        "not a Cloud ID": {"elastic_cloud_id": "deployment:not-base64!"},
    }
    for says, settings in cases.items():
        with pytest.raises(ConfigError, match=says):
            secure_store("https://127.0.0.1:9200", tmp_path, **settings)


def test_verification_can_be_turned_off_with_a_warning(
    proxy: SecureProxy, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    with secure_store(proxy.url, tmp_path, elastic_verify_certs=False, elastic_user=USER,
                      elastic_password=PASSWORD) as store:
        assert store.count_articles() == 0
    assert "certificates are not verified" in caplog.text


def test_https_to_a_plain_http_port_says_so(node_url: str, tmp_path: Path) -> None:
    with secure_store(node_url.replace("http://", "https://"), tmp_path) as store, \
            pytest.raises(ConfigError, match="does not speak TLS"):
        store.count_articles()


def test_the_hosts_reach_the_client(tmp_path: Path) -> None:
    hosts = ["127.0.0.1:9201", "https://[::1]:9202", "https://es3.internal"]  # a bare host takes the URL's scheme
    with secure_store("https://127.0.0.1:9200", tmp_path, elastic_hosts=hosts) as store:
        nodes = {(n.config.scheme, n.config.host, n.config.port) for n in store.client.transport.node_pool.all()}
    assert nodes == {("https", "127.0.0.1", 9201), ("https", "::1", 9202), ("https", "es3.internal", 9200)}
    assert store.where == "https://127.0.0.1:9201, https://[::1]:9202, https://es3.internal:9200"


def test_the_request_timeout_is_the_settings(tmp_path: Path) -> None:
    outcome: list[BaseException] = []
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with secure_store(f"http://127.0.0.1:{silent.getsockname()[1]}", tmp_path,
                          elastic_request_timeout=0.2) as store:
            def ask() -> None:
                try:
                    store.count_articles()
                except StoreUnavailable as e:
                    outcome.append(e)
            asking = threading.Thread(target=ask, daemon=True)
            asking.start()
            asking.join(timeout=8)  # two tries of 0.2 s; the default (10 s) would still be waiting
    assert outcome and "ConnectionTimeout" in str(outcome[0])


def test_a_cloud_id_names_the_deployment(tmp_path: Path) -> None:
    cloud_id = "newsmon-prod:" + base64.b64encode(b"europe-west1.gcp.example.io:443$es0a1b$kb2c3d").decode()
    with secure_store("https://elastic-cloud", tmp_path, elastic_cloud_id=cloud_id, elastic_api_key="abc") as store:
        (node,) = store.client.transport.node_pool.all()
        assert (node.config.scheme, node.config.host, node.config.port) == ("https", "es0a1b.europe-west1.gcp"
                                                                             ".example.io", 443)
        assert store.where == "Elastic Cloud deployment 'newsmon-prod'"
