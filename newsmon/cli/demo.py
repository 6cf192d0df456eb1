"""The offline demo: the bundled sample site, crawled, extracted and indexed.

``build_demo`` starts the sample site (five real gender-equality articles served with
the page chrome real outlets have) on a free loopback port, crawls it with the real
Scrapy spider into a fresh store, extracts every article, then stops the site. The
store is rebuilt on every run because the site's URLs (and so the articles' identities)
carry the port it happened to get.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from newsmon.cli.jobs import console, extract_stored


def reset_sqlite_store(store_url: str) -> None:
    """Delete a SQLite store file and its WAL companions, if there are any."""
    if not store_url.startswith("sqlite:///"):
        return
    path = Path(store_url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(store_url: str) -> None:
    """Crawl the bundled sample site into a fresh store at ``store_url`` and extract it, offline."""
    from crawler.demosite import DEMO_CRAWL_SETTINGS, server, sources_for
    from crawler.run import crawl

    reset_sqlite_store(store_url)
    site, base_url = server.start(port=0)
    try:
        console.print(f"sample site serving at {base_url}")
        with tempfile.TemporaryDirectory(prefix="newsmon-demo-") as tmp:
            report = crawl(
                sources_file=sources_for(base_url, Path(tmp) / "sources.yaml"), store_url=store_url,
                state_path=Path(tmp) / "crawl_state.db", settings_overrides=DEMO_CRAWL_SETTINGS,
            )
            console.print(report.format())
    finally:
        site.shutdown()
    extract_stored(store_url)
