"""docker-compose.yml deploys newsmon on a secured Elasticsearch: security and TLS on, generated
certificates, passwords from the environment, newsmon verifying the certificate.

No Docker daemon runs where these tests run, so they check the file's structure with PyYAML and the
setup script's syntax with ``bash -n``; the images are not built or started here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsmon.settings import Settings

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
_DEFAULT = re.compile(r"^\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\}$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _default(value: str) -> str:
    """What ``${NAME:-default}`` becomes with NAME unset (a plain value stays as it is)."""
    match = _DEFAULT.match(str(value))
    return match["default"] or "" if match else str(value)


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Where each named volume is mounted in ``service`` (``ro`` dropped)."""
    return {v.split(":")[1]: v.split(":")[0] for v in service.get("volumes", [])}


def test_elasticsearch_runs_with_security_and_tls(compose: dict[str, Any]) -> None:
    es = compose["services"]["elasticsearch"]
    env = es["environment"]
    assert env["xpack.security.enabled"] == "true" and env["xpack.security.http.ssl.enabled"] == "true"
    assert env["xpack.security.transport.ssl.enabled"] == "true"
    assert "ports" not in es  # reachable on the compose network only
    assert "false" not in {str(v) for k, v in env.items() if k.startswith("xpack.security")}
    # The certificate files it is given are those the setup service writes into the same volume.
    script = compose["services"]["setup"]["command"][-1]
    assert _mounts(es)["/usr/share/elasticsearch/config/certs"] == "certs"
    assert _mounts(compose["services"]["setup"])["/usr/share/elasticsearch/config/certs"] == "certs"
    for key in ("key", "certificate", "certificate_authorities"):
        path = env[f"xpack.security.http.ssl.{key}"]
        assert path.startswith("certs/") and path.split("/", 1)[1].split("/")[0] in {"ca", "elasticsearch"}
    assert "elasticsearch-certutil ca" in script and "elasticsearch-certutil cert" in script
    assert "name: elasticsearch" in script and "dns: [elasticsearch" in script  # the name newsmon connects to


def test_passwords_come_from_the_environment(compose: dict[str, Any]) -> None:
    services = compose["services"]
    values = [(name, key, value) for name, service in services.items()
              for key, value in (service.get("environment") or {}).items() if "PASSWORD" in key]
    values += [("x-newsmon", k, v) for k, v in compose["x-newsmon"]["environment"].items() if "PASSWORD" in k]
    assert values and all(_DEFAULT.match(str(v)) and not _default(v) for _, _, v in values)  # never a default
    script = services["setup"]["command"][-1]
    assert 'if [ -z "$${ELASTIC_PASSWORD}" ] || [ -z "$${NEWSMON_ELASTIC_PASSWORD}" ]' in script
    assert "/_security/user/newsmon" in script and "/_security/role/newsmon" in script


def test_newsmon_verifies_the_certificate_as_its_own_user(compose: dict[str, Any], tmp_path: Path) -> None:
    services, base = compose["services"], compose["x-newsmon"]
    env = {k: _default(v) for k, v in base["environment"].items()}
    assert set(env) <= {f"NEWSMON_{name.upper()}" for name in Settings.model_fields}  # no misspelt setting
    assert env["NEWSMON_STORE_URL"] == "https://elasticsearch:9200" and env["NEWSMON_ELASTIC_USER"] == "newsmon"
    assert "NEWSMON_ELASTIC_VERIFY_CERTS" not in env
    ca = Path(env["NEWSMON_ELASTIC_CA_CERTS"])
    for name in ("api", "crawler"):
        service = services[name]
        assert service["depends_on"]["setup"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
        mounts = _mounts(service)
        root = next(m for m in mounts if ca.is_relative_to(m))
        assert mounts[root] == "certs" and service["volumes"][list(mounts).index(root)].endswith(":ro")
    # The CA lands at ca/ca.crt of the volume (the setup unzips certutil's ca/ folder there), readable by all.
    assert ca.relative_to(next(m for m in _mounts(services["api"]) if ca.is_relative_to(m))) == Path("ca/ca.crt")
    assert "chmod 644 $$certs/ca/ca.crt" in services["setup"]["command"][-1]


def test_the_setup_script_is_valid_shell(compose: dict[str, Any]) -> None:
    if not shutil.which("bash"):
        pytest.skip("no bash here to check the setup script's syntax")
    script = compose["services"]["setup"]["command"][-1].replace("$$", "$")  # what compose hands to bash
    done = subprocess.run(["bash", "-n", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
