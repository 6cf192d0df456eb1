"""Secrets are never defaults (issue 17): the signing key of unsubscribe links and the public address."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from digest.send import send_digests
from newsmon.errors import ConfigError
from newsmon.models import Subscription
from newsmon.secrets import KNOWN_DEFAULT_KEYS, key_file, public_url, signing_key
from newsmon.settings import Settings
from newsmon.tokens import make_token
from tests.digest_seed import NOW, smtp_settings
from tests.smtp_server import Inbox, smtp_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(_env_file=None, store_url=f"sqlite:///{tmp_path / 'store.db'}", **extra)


def test_an_unset_key_is_generated_once_beside_the_store(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="newsmon.secrets")
    settings = _settings(tmp_path)
    key = signing_key(settings)
    path = tmp_path / "store.secret_key"
    assert key_file(settings) == path and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32 and key not in KNOWN_DEFAULT_KEYS
    assert any(str(path) in r.getMessage() and "generated" in r.getMessage() for r in caplog.records)
    # Another process (the next run, the digest sender beside the API) reads the same key back.
    code = ("from newsmon.settings import Settings; from newsmon.secrets import signing_key; "
            f"print(signing_key(Settings(_env_file=None, store_url='sqlite:///{tmp_path / 'store.db'}')))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == key


def test_a_key_file_already_there_is_used(tmp_path: Path) -> None:
    (tmp_path / "store.secret_key").write_text("a-key-someone-wrote-by-hand-0123\n")
    assert signing_key(_settings(tmp_path)) == "a-key-someone-wrote-by-hand-0123"


@pytest.mark.parametrize("weak", ["change-me", "CHANGE-ME", "changeme", "secret", "  newsmon ", "short-key"])
def test_known_defaults_and_short_keys_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(ConfigError, match="NEWSMON_SECRET_KEY"):
        signing_key(_settings(tmp_path, secret_key=weak))


def test_a_strong_key_is_used_as_set(tmp_path: Path) -> None:
    assert signing_key(_settings(tmp_path, secret_key="x" * 8 + "-a-strong-key")) == "x" * 8 + "-a-strong-key"
    assert not (tmp_path / "store.secret_key").exists()


def test_tokens_forged_with_the_old_default_unsubscribe_nobody(api_settings, api_store) -> None:
    """The attack: sign ids 1, 2, 3… with "change-me" and post them to /unsubscribe."""
    from api.main import create_app

    subscription = api_store.add_subscription(Subscription(email="lan@example.vn"))
    forged = make_token(subscription.id, "change-me")
    with TestClient(create_app(api_settings, api_store), raise_server_exceptions=False) as client:
        assert client.post("/unsubscribe", params={"token": forged}).status_code == 400
        # A server still configured with the default refuses to act on any token at all.
        weak = create_app(api_settings.model_copy(update={"secret_key": SecretStr("change-me")}), api_store)
        with TestClient(weak, raise_server_exceptions=False) as weak_client:
            response = weak_client.post("/unsubscribe", params={"token": forged})
            assert response.status_code == 503 and response.json()["type"] == "/problems/misconfigured"
    assert api_store.get_subscription(subscription.id).active


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000", "https://[::1]/", "http://0.0.0.0",
                                 "https://newsmon.local", "ftp://newsmon.example.vn", "newsmon.example.vn", ""])
def test_public_url_must_reach_readers(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="NEWSMON_PUBLIC_URL"):
        public_url(_settings(tmp_path, public_url=url))


def test_a_public_address_is_accepted(tmp_path: Path) -> None:
    assert public_url(_settings(tmp_path, public_url="https://newsmon.example.vn")) == "https://newsmon.example.vn"
    assert public_url(_settings(tmp_path, public_url="http://10.0.0.5:8000")) == "http://10.0.0.5:8000"  # intranet


@pytest.mark.parametrize("change", [{"public_url": "http://127.0.0.1:8000"}, {"secret_key": "change-me"}])
def test_no_digest_goes_out_with_a_default(digest_store, change: dict) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port, pytest.raises(ConfigError):
        send_digests(digest_store, smtp_settings(port, **change), now=NOW, retry_delays=(), sleep=lambda _: None)
    assert inbox.messages == [] and digest_store.list_deliveries() == []


def test_serve_refuses_a_default_key_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(NEWSMON_SECRET_KEY="change-me", NEWSMON_STORE_URL=f"sqlite:///{tmp_path / 's.db'}",
               PYTHONPATH=str(PROJECT_ROOT))
    result = subprocess.run([sys.executable, "-m", "newsmon.cli", "serve", "--port", "0"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "known default" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
