"""Shared pytest fixtures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class MockSite:
    """A running mock outlet server (``tests/mocksite``) and its request log."""

    def __init__(self, base: str, log_path: Path) -> None:
        self.base = base
        self.log_path = log_path

    def requested_paths(self) -> list[str]:
        """Every path requested so far, in order."""
        import json

        if not self.log_path.exists():
            return []
        return [json.loads(line)["path"] for line in self.log_path.read_text(encoding="utf-8").splitlines()]

    def requests(self) -> list[dict[str, object]]:
        """Every request so far: ``{"path", "headers"}``."""
        import json

        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def mocksite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockSite]:
    """The mock outlet server in a subprocess on a free loopback port (one per test module)."""
    log_path = tmp_path_factory.mktemp("mocksite") / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.mocksite.server", str(log_path)],
        stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
    )
    try:
        base = (process.stdout.readline() if process.stdout else "").strip()
        if not base.startswith("http://127.0.0.1:"):
            pytest.fail(f"mock site did not start: {base!r}")
        yield MockSite(base, log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- API and UI fixtures (api_*) live in tests/api_fixtures.py -------------------------
from tests.api_fixtures import *  # noqa: E402, F403
