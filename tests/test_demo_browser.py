"""``make demo`` as a person uses it, in a real headless Chromium: the demo (``newsmon demo``, the bundled
sample site crawled, extracted and served) is started as a subprocess, then searched, filtered, read, charted,
tabulated, exported and subscribed to. The demo writes its emails to an outbox folder instead of sending them;
the confirmation is read from there and its link opened, as a person would open it from their mail."""

from __future__ import annotations

import email
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import httpx
import pytest

from tests.browser import DESKTOP, needs_chromium, open_page, screenshot

pytestmark = [*needs_chromium, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``newsmon demo`` on a free port in a fresh folder; its base URL and its mail outbox."""
    folder = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "demo", "--port", str(port)], cwd=folder,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # crawling and extracting the sample site comes first
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail(f"newsmon demo exited: {process.stdout.read() if process.stdout else ''}")
                time.sleep(0.5)
        else:
            pytest.fail("newsmon demo did not come up")
        yield base, folder / "data" / "demo-mail"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_person_uses_the_demo_end_to_end(chromium, demo) -> None:
    base, outbox = demo
    page = open_page(chromium, base, DESKTOP)
    page.goto(base + "/")
    page.fill(".searchbox input[name=q]", "binh dang gioi")  # no accents typed
    page.click(".searchbox button")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit mark").count() > 0
    page.locator("article.hit h2 a").first.click()
    page.wait_for_selector(".article-text")
    assert page.locator(".article-text mark.ent").count() > 0 and page.locator("a.original").count() == 1
    page.go_back()
    page.click("header nav a:has-text('Xu hướng')")
    page.wait_for_url("**/ui/trends**")
    page.select_option("select[name=interval]", "day")
    page.wait_for_url("**interval=day**")
    assert page.locator("#coverage svg.chart-wide rect").count() > 0
    page.click("header nav a:has-text('Số liệu')")
    page.wait_for_url("**/ui/figures**")
    assert page.locator("tr.figure-row").count() > 0
    screenshot(page, "demo-figures")

    page.goto(base + "/?q=bình+đẳng+giới")
    page.click("details.subscribe > summary:has-text('Nhận bản tin qua email')")
    page.fill(".subscribe-form input[name=email]", "lan@example.vn")
    page.click(".subscribe-form button:has-text('Đăng ký nhận bản tin')")
    page.wait_for_selector(".subscribe-page")
    assert "lan@example.vn" in page.locator("h1").inner_text()
    [written] = sorted(outbox.glob("*.eml"))
    message = email.message_from_bytes(written.read_bytes(), policy=default)
    assert message["To"] == "lan@example.vn"
    link = re.search(r"(http://127\.0\.0\.1:\d+/ui/subscribe/confirm\?token=\S+)",
                     message.get_body(("plain",)).get_content()).group(1)
    page.goto(link)  # as from the mail client: the demo's links point at the demo
    page.click("button:has-text('Xác nhận đăng ký')")
    assert page.locator("h1").inner_text() == "Đã đăng ký"
    screenshot(page, "demo-subscribed")
    page.context.close()
