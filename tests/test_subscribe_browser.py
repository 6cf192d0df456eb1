"""Subscribing from the search page in a real headless Chromium, with the confirmation read from a real SMTP
server (aiosmtpd on loopback), as a person does it: search, filter, type an address, press the button, open
the email's link, confirm. Every page is saved at 1366 and 390 px under ``build/screenshots/``.

The email's links point at ``NEWSMON_PUBLIC_URL`` (https://newsmon.test, a public address: a loopback one is
refused); the browser opens the same path and query on the server under test.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from api.signup import SignupRequest, make_token
from tests.browser import DESKTOP, PHONE, needs_chromium, open_page, screenshot
from tests.digest_seed import SECRET

pytestmark = needs_chromium
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
LINK = re.compile(r"https://newsmon\.test(/ui/subscribe/confirm\?token=\S+)")


def fits(page, viewport: dict[str, int]) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def search_and_filter(page, base: str) -> dict[str, list[str]]:
    """Type a query, pick a source, tick "Chỉ bài có số liệu", press "Lọc"; the parameters the page then has."""
    page.goto(base + "/")
    page.fill(".searchbox input[name=q]", "bình đẳng giới")
    page.click(".searchbox button")
    page.wait_for_url("**/?q=**")
    page.wait_for_load_state("load")  # the stylesheet that hides the fold's summary on a desktop
    fold = page.locator("details.fold > summary")
    if fold.is_visible():  # on a phone the filters start folded
        fold.click()
    page.select_option(".filter-form select[name=source]", "baophunu.vn")
    page.check(".filter-form input[name=has_figures]")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**has_figures=true**")
    return parse_qs(urlsplit(page.url).query)


def ask_by_email(page, email: str, frequency: str = "weekly", shot: str | None = None) -> None:
    """Open "Nhận bản tin qua email", type the address, choose the frequency (saved as ``shot``), press the button."""
    page.click("details.subscribe > summary:has-text('Nhận bản tin qua email')")
    page.fill(".subscribe-form input[name=email]", email)
    page.select_option(".subscribe-form select[name=frequency]", frequency)
    if shot:
        screenshot(page, shot)
    page.click(".subscribe-form button:has-text('Đăng ký nhận bản tin')")
    page.wait_for_selector(".subscribe-page")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_subscribe_from_the_search_page_and_confirm_from_the_email(chromium, signup_site, viewport) -> None:
    site = signup_site(served=True)
    page = open_page(chromium, site.url, viewport)
    params = search_and_filter(page, site.url)
    ask_by_email(page, "lan@example.vn", "daily", shot="subscribe-search")
    assert page.locator("h1").inner_text() == "Đã gửi thư xác nhận tới lan@example.vn"
    assert "Nguồn: baophunu.vn" in page.locator(".saved-search").inner_text()
    assert fits(page, viewport) and site.store.list_subscriptions() == []
    screenshot(page, "subscribe-sent")

    [message] = site.inbox.messages
    path = LINK.search(message.get_body(("plain",)).get_content()).group(1)
    page.goto(site.url + path)
    assert page.locator("h1").inner_text() == "Xác nhận đăng ký" and fits(page, viewport)
    screenshot(page, "subscribe-confirm")
    page.click("button:has-text('Xác nhận đăng ký')")
    assert page.locator("h1").inner_text() == "Đã đăng ký"
    assert "Hủy đăng ký" in page.locator(".subscribe-page").inner_text()
    screenshot(page, "subscribe-done")

    [subscription] = site.store.list_subscriptions()
    assert subscription.active and subscription.email == "lan@example.vn" and subscription.frequency == "daily"
    assert subscription.query == params["q"][0]
    assert subscription.filters == {"sources": params["source"], "has_figures": params["has_figures"] == ["true"]}

    page.goto(site.url + path)  # the link clicked again
    page.click("button:has-text('Xác nhận đăng ký')")
    assert page.locator("h1").inner_text() == "Bạn đã đăng ký bản tin này từ trước"
    assert [s.id for s in site.store.list_subscriptions()] == [subscription.id]
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_forged_and_expired_links_say_so_in_vietnamese(chromium, signup_site, viewport) -> None:
    site = signup_site(served=True)
    page = open_page(chromium, site.url, viewport)
    token = make_token(SignupRequest("lan@example.vn", "", {}, "weekly"), SECRET)
    forged = page.goto(f"{site.url}/ui/subscribe/confirm?token={token[:-4]}AAAA")
    assert forged.status == 400 and page.locator("h1").inner_text() == "Liên kết xác nhận không hợp lệ"
    screenshot(page, "subscribe-forged")
    old = make_token(SignupRequest("lan@example.vn", "", {}, "weekly"), SECRET, issued_at=time.time() - 4 * 86_400)
    expired = page.goto(f"{site.url}/ui/subscribe/confirm?token={old}")
    assert expired.status == 410 and page.locator("h1").inner_text() == "Liên kết xác nhận đã hết hạn"
    assert "đăng ký lại" in page.locator(".subscribe-page").inner_text() and fits(page, viewport)
    screenshot(page, "subscribe-expired")
    assert site.store.list_subscriptions() == []
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_rate_limit_in_the_browser(chromium, signup_site, viewport) -> None:
    site = signup_site(served=True, signup_per_ip_hour=2)
    page = open_page(chromium, site.url, viewport)
    for n in range(2):
        page.goto(site.url + "/?q=tảo+hôn")
        ask_by_email(page, f"reader{n}@example.vn")
        assert page.locator("h1").inner_text().startswith("Đã gửi thư xác nhận")
    page.goto(site.url + "/?q=tảo+hôn")
    with page.expect_response("**/ui/subscribe?**") as answer:
        ask_by_email(page, "reader2@example.vn")
    assert answer.value.status == 429 and int(answer.value.headers["retry-after"]) > 0
    assert page.locator("h1").inner_text() == "Quá nhiều yêu cầu đăng ký"
    assert "thử lại sau khoảng" in page.locator(".subscribe-page").inner_text() and fits(page, viewport)
    screenshot(page, "subscribe-rate-limited")
    assert len(site.inbox.messages) == 2
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_smtp_server_that_is_down_in_the_browser(chromium, signup_site, viewport) -> None:
    site = signup_site(served=True, smtp=False)
    page = open_page(chromium, site.url, viewport)
    page.goto(site.url + "/?q=tảo+hôn")
    with page.expect_response("**/ui/subscribe?**") as answer:
        ask_by_email(page, "lan@example.vn")
    assert answer.value.status == 503
    assert page.locator("h1").inner_text() == "Không gửi được thư xác nhận"
    assert "chưa có gì được đăng ký" in page.locator(".subscribe-page").inner_text() and fits(page, viewport)
    screenshot(page, "subscribe-smtp-down")
    assert site.store.list_subscriptions() == []
    page.context.close()
