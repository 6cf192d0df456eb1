"""Where the tests find the third-party data in ``../shared`` (devset, stream, real pages).

``NEWSMON_SHARED`` points elsewhere (or at nothing, to check that every test needing it skips).
Tests read it at run time; its text is never copied into the project.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("NEWSMON_SHARED", Path(__file__).resolve().parents[2] / "shared"))
DEVSET = SHARED / "devset"
STREAM = SHARED / "stream"
REALPAGES = SHARED / "realpages"


def require(folder: Path) -> Path:
    """``folder``, or a skip naming it when ``../shared`` does not hold it."""
    if not folder.is_dir():
        pytest.skip(f"{folder} not found: these tests read the shared data (see tests/shared_data.py)")
    return folder


def skip_without(folder: Path) -> pytest.MarkDecorator:
    """A ``pytestmark`` that skips a module when ``folder`` is absent."""
    return pytest.mark.skipif(not folder.is_dir(), reason=f"{folder} not found: the tests read the shared data")
