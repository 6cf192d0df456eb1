"""Fixtures of the digest tests: a store of real devset articles, extracted by the real pipeline.

Eight devset articles are dated in the week of 18-24 November 2024 (the digest's period), two in
the week before, and one is syndicated by a second outlet. The database is built once per session
and copied for each test, so tests never share state.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from newsmon.models import VN_TZ, Article, Subscription
from newsmon.settings import Settings
from newsmon.store.sqlite import SqliteStore

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"
WEEK_START = date(2024, 11, 18)
PERIOD_END = date(2024, 11, 25)  # the Monday that ends the digest's week
NOW = datetime(2024, 11, 25, 8, 0, tzinfo=VN_TZ)  # Monday 08:00 in Vietnam: the week's digest is due
THIS_WEEK = ("dev002", "dev005", "dev007", "dev008", "dev009", "dev012", "dev013", "dev016")
LAST_WEEK = ("dev003", "dev010")
SUBSCRIBERS = ("lan@example.vn", "minh@example.vn", "hoa@example.vn")


def devset_article(devset_id: str, day: date, *, source: str | None = None, url: str | None = None,
                   duplicate_of: str | None = None) -> Article:
    """A devset article (headline line split from the body), published at 09:00 on ``day``."""
    data = json.loads((DEVSET / f"{devset_id}.json").read_text(encoding="utf-8"))
    body = data["text"].split("\n", 1)[1] if data["text"].startswith(data["title"]) else data["text"]
    return Article(url=url or data["url"], source=source or data["source"], title=data["title"], text=body,
                   published_at=datetime(day.year, day.month, day.day, 9, tzinfo=VN_TZ),
                   duplicate_of=duplicate_of)


@pytest.fixture(scope="session")
def digest_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database, built once (real extraction takes a few seconds)."""
    if not DEVSET.is_dir():
        pytest.skip(f"devset not found at {DEVSET}")
    from nlp.runner import extract_article

    path = tmp_path_factory.mktemp("digest") / "template.db"
    articles = [devset_article(d, WEEK_START + timedelta(days=i % 7)) for i, d in enumerate(THIS_WEEK)]
    articles += [devset_article(d, WEEK_START - timedelta(days=3)) for d in LAST_WEEK]
    original = articles[1]
    articles.append(devset_article("dev005", WEEK_START + timedelta(days=2), source="baokhac.vn",
                                   url="https://baokhac.vn/dang-lai.html", duplicate_of=original.id))
    with SqliteStore(path) as store:
        store.upsert_articles(articles)
        store.save_extractions((a.id, extract_article(a)) for a in articles)
    return path


@pytest.fixture
def digest_store(digest_db_template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    """A private copy of the seeded store with the three subscribers (weekly, every article)."""
    path = tmp_path / "digest.db"
    shutil.copy(digest_db_template, path)
    with SqliteStore(path) as store:
        for email in SUBSCRIBERS:
            store.add_subscription(Subscription(email=email, query="", created_at=NOW - timedelta(days=30)))
        yield store


def smtp_settings(port: int, **extra: object) -> Settings:
    """Settings that send to the loopback SMTP server, without reading the environment or a .env file."""
    values: dict[str, object] = {
        "store_url": "sqlite:///unused.db", "smtp_host": "127.0.0.1", "smtp_port": port,
        "smtp_from": "newsmon <digest@newsmon.test>", "secret_key": "test-secret",
        "public_url": "https://newsmon.test", **extra,
    }
    return Settings.model_validate(values)
