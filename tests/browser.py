"""Debian's headless Chromium driven by Playwright, as the browser tests launch it."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
# As the workplace starts Chromium: without the background-networking flags it calls out to the closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium at /usr/bin/chromium (make chromium)"),
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"  # for a person to review
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser: object, base_url: str, viewport: dict[str, int]) -> object:
    """A new page of ``browser`` at ``viewport`` that may reach ``base_url`` and nothing else."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def screenshot(page: object, name: str) -> None:
    """Save the whole page as ``build/screenshots/<name>-<width>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
