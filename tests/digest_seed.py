"""The digest tests' corpus: real devset articles, extracted by the real pipeline (fixtures in conftest.py).

Eight devset articles are dated in the week of 18-24 November 2024 (the digest's period), two in
the week before, and one is syndicated by a second outlet. The database is built once per session
and copied for each test, so tests never share state.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from newsmon.models import VN_TZ, Article
from newsmon.settings import Settings
from tests.shared_data import DEVSET

WEEK_START = date(2024, 11, 18)
PERIOD_END = date(2024, 11, 25)  # the Monday that ends the digest's week
NOW = datetime(2024, 11, 25, 8, 0, tzinfo=VN_TZ)  # Monday 08:00 in Vietnam: the week's digest is due
THIS_WEEK = ("dev002", "dev005", "dev007", "dev008", "dev009", "dev012", "dev013", "dev016")
LAST_WEEK = ("dev003", "dev010")
SUBSCRIBERS = ("lan@example.vn", "minh@example.vn", "hoa@example.vn")
SECRET = "digest-test-signing-key-7f3a9c"  # the key of the test settings (a default one would be refused)


def devset_article(devset_id: str, day: date, *, source: str | None = None, url: str | None = None,
                   duplicate_of: str | None = None) -> Article:
    """A devset article (headline line split from the body), published at 09:00 on ``day``."""
    data = json.loads((DEVSET / f"{devset_id}.json").read_text(encoding="utf-8"))
    body = data["text"].split("\n", 1)[1] if data["text"].startswith(data["title"]) else data["text"]
    return Article(url=url or data["url"], source=source or data["source"], title=data["title"], text=body,
                   published_at=datetime(day.year, day.month, day.day, 9, tzinfo=VN_TZ),
                   duplicate_of=duplicate_of)


def smtp_settings(port: int, **extra: object) -> Settings:
    """Settings that send to the loopback SMTP server, without reading the environment or a .env file."""
    values: dict[str, object] = {
        "store_url": "sqlite:///unused.db", "smtp_host": "127.0.0.1", "smtp_port": port,
        "smtp_from": "newsmon <digest@newsmon.test>", "secret_key": SECRET,
        "public_url": "https://newsmon.test", **extra,
    }
    return Settings.model_validate(values)
