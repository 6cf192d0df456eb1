"""The digest's HTML in a real headless Chromium (Debian's /usr/bin/chromium) at 600 px and phone width.

The preview is what ``newsmon digest --dry-run`` writes: the email's HTML with the cid: chart inlined
as a data URI. Screenshots go to tests/artifacts/ (gitignored) for a human look.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.send import write_previews
from newsmon.store.sqlite import SqliteStore
from tests.browser import ARTIFACTS, needs_chromium
from tests.digest_seed import NOW, PERIOD_END, smtp_settings

pytestmark = needs_chromium


@pytest.fixture
def preview(digest_store: SqliteStore, tmp_path: Path) -> str:
    written = write_previews(digest_store, smtp_settings(25), tmp_path, now=NOW, period_end=PERIOD_END)
    return written[0][0].with_suffix(".html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "width"), [("desktop", 600), ("phone", 375)])
def test_digest_reads_at_600_px_and_on_a_phone(preview: str, name: str, width: int, chromium) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    context.route("**/*", lambda route: route.abort())  # the email must not need the network
    page = context.new_page()
    page.set_content(preview, wait_until="load")
    chart = page.locator("img[alt^='Biểu đồ']")
    assert chart.evaluate("img => img.complete && img.naturalWidth") == 1120  # the inlined PNG decoded
    assert chart.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert page.locator("h2", has_text="Bài nổi bật").is_visible()
    assert page.locator("a", has_text="Hủy đăng ký").get_attribute("href").startswith(
        "https://newsmon.test/unsubscribe?token=")
    page.screenshot(path=str(ARTIFACTS / f"digest-{name}.png"), full_page=True)
    context.close()
