"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Serves the seeded app with uvicorn on loopback, types a search, follows a result to the
article page, and saves screenshots under tests/artifacts/ (gitignored) for a human look.
"""

from __future__ import annotations

import pytest

from tests.api_seed import articles
from tests.browser import ARTIFACTS, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def page(api_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(api_server)
                  else route.abort())  # nothing leaves loopback
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = api_server  # type: ignore[attr-defined]
    yield page
    context.close()


def test_search_by_typing_and_open_article(page):
    page.goto(page.base_url + "/")
    page.fill("input[name=q]", "bình đẳng giới")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit mark").count() > 0
    marked = {t.lower() for t in page.locator("article.hit mark").all_inner_texts()}
    assert {"bình", "đẳng", "giới"} <= marked
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)
    page.locator("article.hit h2 a", has_text="Hà Giang").first.click()
    page.wait_for_selector(".article-text")
    assert page.locator(".article-text mark.ent-places").count() >= 1
    assert page.locator(".article-text mark.ent-figures").count() == 2
    assert "Tuyên Quang" in page.locator("aside.extraction").inner_text()
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)


def test_facet_click_filters_results(page):
    page.goto(page.base_url + "/?q=giới")
    before = page.locator("article.hit").count()
    page.locator(".facet a", has_text="vnexpress.net").click()
    page.wait_for_selector(".facet a.active")
    after = page.locator("article.hit").count()
    assert 0 < after < before
    assert all(s == "vnexpress.net" for s in page.locator("article.hit .source").all_inner_texts())


def test_query_error_is_shown_on_the_page(page):
    page.goto(page.base_url + "/")
    page.fill("input[name=q]", "(bạo lực")
    page.press("input[name=q]", "Enter")
    assert "Truy vấn không hợp lệ" in page.locator(".alert").inner_text()


def test_trends_and_figures_pages(page):
    page.goto(page.base_url + "/ui/trends?q=giới&interval=year")
    page.select_option("select[name=split_by]", "source")  # autosubmits
    page.wait_for_url("**split_by=source**")
    assert page.locator("svg.chart polyline").count() >= 2
    page.screenshot(path=str(ARTIFACTS / "trends.png"), full_page=True)
    page.goto(page.base_url + "/ui/figures")
    assert page.locator("table.figures-table tbody tr").count() == 5
    with page.expect_download() as download:
        page.locator("a", has_text="Tải CSV").click()
    assert download.value.suggested_filename == "newsmon-figures.csv"
    page.screenshot(path=str(ARTIFACTS / "figures.png"), full_page=True)


def test_article_page_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/ui/articles/{articles()[2].id}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling
    page.screenshot(path=str(ARTIFACTS / "article-mobile.png"), full_page=True)
