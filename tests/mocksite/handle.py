"""A running mock outlet server as the tests see it: its base URL and the requests it logged."""

from __future__ import annotations

from pathlib import Path


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
