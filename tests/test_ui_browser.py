"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, as a person uses it.

Each test types, selects, ticks, presses and follows links, then checks what the page shows. The store holds
the API test corpus and a month of invented provincial coverage extracted by the real pipeline
(``ui_server``). Every page is saved at 1366 and 390 px under ``build/screenshots/`` for review.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.browser import DESKTOP, PHONE, needs_chromium, open_page, screenshot

pytestmark = needs_chromium
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.fixture
def desktop(chromium, ui_server):
    page = open_page(chromium, ui_server, DESKTOP)
    page.base_url = ui_server
    yield page
    page.context.close()


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def hit_days(page) -> list[date]:
    return [date.fromisoformat(t[:10]) for t in page.locator("article.hit time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))")]


def read_csv(download) -> list[dict[str, str]]:
    with open(download.value.path(), encoding="utf-8-sig") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def svg_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def summary_count(page) -> int:
    text = page.locator(".results .summary").inner_text()
    return int(re.search(r"([\d.]+) bài viết", text).group(1).replace(".", ""))


def test_search_box_sort_and_every_filter(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/")
    page.fill(".searchbox input[name=q]", "phụ nữ")
    page.click(".searchbox button")
    page.wait_for_selector("article.hit")
    everything = summary_count(page)
    assert everything > 20 and page.locator("article.hit mark").count() > 0

    page.select_option(".filter-form select[name=sort]", "date")  # submits by itself
    page.wait_for_url("**sort=date**")
    days = hit_days(page)
    assert days == sorted(days, reverse=True) and len(days) == 20

    # An untouched form (empty dates, "Tất cả" everywhere) filters nothing.
    with page.expect_navigation():
        page.click(".filter-form button[type=submit]")
    assert summary_count(page) == everything and not page.locator(".alert").count()

    page.fill(".filter-form input[name=date_from]", "2024-11-20")
    page.fill(".filter-form input[name=date_to]", "2024-11-30")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**date_to=2024-11-30**")
    assert all(date(2024, 11, 20) <= d <= date(2024, 11, 30) for d in hit_days(page)) and hit_days(page)

    page.select_option(".filter-form select[name=source]", "baophunu.vn")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**source=baophunu.vn**")
    assert set(page.locator("article.hit .source").all_inner_texts()) == {"baophunu.vn"}

    with page.expect_navigation():
        page.click("a.reset")  # Bỏ lọc: the query stays, the filters go
    assert params(page) == {"q": ["phụ nữ"]} and summary_count(page) == everything

    page.fill(".filter-form input[name=province]", "Lao Cai")  # accents optional
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**province=Lao+Cai**")
    assert page.locator("article.hit").count() > 0
    assert all("Lào Cai" in t for t in page.locator("article.hit .meta").all_inner_texts())

    with page.expect_navigation():
        page.click("a.reset")
    page.select_option(".filter-form select[name=event_type]", "training")
    page.check(".filter-form input[name=has_figures]")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**has_figures=true**")
    training = summary_count(page)
    assert 0 < training < everything
    for link in page.locator("article.hit h2 a").all()[:3]:
        article = httpx.get(page.base_url + "/articles/" + link.get_attribute("href").split("/")[-1].split("?")[0])
        extraction = article.json()["extraction"]
        assert extraction["figures"] and "training" in {e["type"] for e in extraction["events"]}

    page.uncheck(".filter-form input[name=has_figures]")
    with page.expect_navigation():
        page.click(".filter-form button[type=submit]")
    assert "has_figures" not in params(page) and summary_count(page) >= training


def test_off_topic_articles_only_when_asked(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=phụ+nữ")
    on_topic = summary_count(page)
    assert not page.locator("article.hit", has_text="xổ số").count()  # general news naming women
    page.check(".filter-form input[name=include_off_topic]")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**include_off_topic=true**")
    assert summary_count(page) == on_topic + 8 and page.locator("article.hit", has_text="xổ số").count()
    page.click("header nav a:has-text('Xu hướng')")  # the choice follows the person across tabs
    page.wait_for_url("**include_off_topic=true**")
    assert page.locator(".inline-form input[name=include_off_topic]").is_checked()
    with page.expect_navigation():
        page.uncheck(".inline-form input[name=include_off_topic]")  # submits by itself
    assert "include_off_topic" not in params(page)


def test_topic_select_and_facets_in_vietnamese(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=bạo lực")
    topics = page.locator("a[data-facet=topic]").all_inner_texts()
    assert topics and not any("_" in t for t in topics)  # names, not codes like domestic_violence
    page.select_option(".filter-form select[name=topic]", "domestic_violence")
    page.click(".filter-form button[type=submit]")
    page.wait_for_url("**topic=domestic_violence**")
    assert page.locator("article.hit").count() > 0
    assert "Bạo lực gia đình" in page.locator("select[name=topic] option:checked").inner_text()

    source = page.locator("a[data-facet=source]").first
    name = source.inner_text().strip()
    source.click()
    page.wait_for_selector("a[data-facet=source].active")
    assert set(page.locator("article.hit .source").all_inner_texts()) == {name}


def hit_links(page) -> list[str]:
    return page.locator("article.hit h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_pagination_both_ways_then_an_article_and_back(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=phụ+nữ&sort=date")
    first = hit_links(page)
    assert page.locator(".pager .where").inner_text().startswith("1–20 trong")
    page.click("a[rel=next]")
    page.wait_for_url("**page=2**")
    second = hit_links(page)
    assert page.locator(".pager .where").inner_text().startswith("21–")
    assert second and not set(first) & set(second)
    with page.expect_navigation():
        page.click("a[rel=prev]")
    assert hit_links(page) == first
    assert not page.locator("a[rel=prev]").count()

    page.click("a[rel=next]")
    page.wait_for_url("**page=2**")
    link = page.locator("article.hit h2 a").first
    title = link.inner_text()
    link.click()
    page.wait_for_selector("article.article h1")
    assert page.locator("article.article h1").inner_text() == title
    body = page.locator(".article-text").inner_text()
    assert title not in body  # the headline is shown once
    assert page.locator(".article-text p").count() >= 1 and page.locator("mark.hl").count() > 0
    screenshot(page, "article")
    page.go_back()
    page.wait_for_url("**page=2**")
    assert hit_links(page) == second


def test_article_shows_headline_and_lead_once_in_paragraphs(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=vay+vốn+Lào+Cai")
    page.locator("article.hit h2 a", has_text="Lào Cai").first.click()
    page.wait_for_selector(".article-text")
    text = page.locator("article.article").inner_text()
    title = page.locator("article.article h1").inner_text()
    lead = page.locator(".lead").inner_text().strip()
    assert text.count(title) == 1 and lead and text.count(lead) == 1
    assert page.locator(".article-text p").count() == 2  # the body's two paragraphs, spaced
    assert {m.lower() for m in page.locator("mark.hl").all_inner_texts()} >= {"vay", "vốn", "lào", "cai"}


def test_article_marks_the_extraction_and_links_the_original(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=Hà+Giang")
    page.locator("article.hit h2 a", has_text="Hà Giang phát động").first.click()
    page.wait_for_selector(".article-text")
    assert page.locator(".article-text mark.ent-places").count() >= 1
    assert page.locator(".article-text mark.ent-figures").count() == 2
    assert "Tuyên Quang" in page.locator("aside.extraction").inner_text()
    assert page.locator("a.original").get_attribute("href") == "https://baophunu.vn/ha-giang-phat-dong"


def test_query_errors_are_vietnamese_and_point_at_the_place(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/")
    page.fill(".searchbox input[name=q]", "bạo lực AND (gia đình")
    page.press(".searchbox input[name=q]", "Enter")
    alert = page.locator(".alert")
    assert "Truy vấn không hợp lệ" in alert.inner_text() and "ký tự thứ" in alert.inner_text()
    caret_line = alert.locator(".query-pos").inner_text().splitlines()[-1]
    assert caret_line.strip() == "^"
    screenshot(page, "query-error")


def test_tabs_carry_the_query_and_filters(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=phụ+nữ&province=Nghệ+An&date_from=2024-11-01")
    page.click("header nav a:has-text('Xu hướng')")
    page.wait_for_url("**/ui/trends**")
    assert params(page) == {"q": ["phụ nữ"], "province": ["Nghệ An"], "date_from": ["2024-11-01"]}
    assert page.locator(".searchbox input[name=q]").input_value() == "phụ nữ"
    page.click("header nav a:has-text('Số liệu')")
    page.wait_for_url("**/ui/figures**")
    assert params(page)["province"] == ["Nghệ An"]
    assert all(r == "Nghệ An" for r in page.locator("tr.figure-row td:nth-child(4)").all_inner_texts())
    page.click("header nav a:has-text('Tìm kiếm')")
    page.wait_for_url(re.compile(r".*/\?.*province=.*"))
    assert summary_count(page) > 0


def test_trends_controls_and_downloads(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/ui/trends?q=phụ+nữ")
    assert page.locator("svg.chart-wide rect").count() > 0
    ticks = [t for t in svg_texts(page, "#coverage svg.chart-wide text") if t.isdigit()]
    assert ticks and all(float(t).is_integer() for t in ticks)
    page.select_option("select[name=interval]", "day")
    page.wait_for_url("**interval=day**")
    page.select_option("select[name=split_by]", "source")
    page.wait_for_url("**split_by=source**")
    legend = page.locator("#coverage .legend-item").all_inner_texts()
    assert 2 <= len(legend) <= 6 and page.locator("#coverage table, .panel table").count() >= 1
    with page.expect_navigation():
        page.select_option("select[name=split_by]", "")  # "Không chia"
    assert "split_by" not in params(page) and page.locator("#coverage svg.chart-wide").count() == 1
    assert not page.locator(".alert, .error-page").count()
    page.select_option("select[name=split_by]", "province")
    page.wait_for_url("**split_by=province**")
    with page.expect_navigation():
        page.click(".inline-form button")
    labels = svg_texts(page, "#coverage svg.chart-wide text")
    last = page.locator("#coverage svg.chart-wide text").last.bounding_box()
    chart = page.locator("#coverage svg.chart-wide").bounding_box()
    assert labels and last["x"] + last["width"] <= chart["x"] + chart["width"] + 1  # the last label is not cut
    screenshot(page, "trends")

    with page.expect_download() as png:
        page.click("#coverage a:has-text('PNG')")
    assert png.value.suggested_filename == "newsmon-trends.png"
    with open(png.value.path(), "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as table:
        page.click("#coverage a:has-text('CSV')")
    rows = read_csv(table)
    assert rows and {"period", "split", "count", "share"} <= set(rows[0])
    with page.expect_download() as campaign:
        page.click("#campaign a:has-text('CSV')")
    years = read_csv(campaign)
    assert any(r["year"] == "2024" and int(r["count"]) > 0 for r in years)


def heading_count(page, noun: str) -> int:
    text = page.locator("#coverage h2").inner_text()
    return int(re.search(rf"\(([\d.]+) {noun}\)", text).group(1).replace(".", ""))


def test_trends_count_articles_or_stories(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/ui/trends?q=phụ+nữ")
    articles = heading_count(page, "bài")
    page.select_option("select[name=unit]", "stories")  # "Đếm": a story retold by three outlets counts once
    page.wait_for_url("**unit=stories**")
    stories = heading_count(page, "câu chuyện")
    assert 0 < stories < articles and page.locator("select[name=unit]").input_value() == "stories"
    api = httpx.get(page.base_url + "/trends", params={"q": "phụ nữ", "unit": "stories"}).json()
    assert stories == api["total"]
    screenshot(page, "trends-stories")
    with page.expect_download() as table:
        page.click("#coverage a:has-text('CSV')")
    assert sum(int(r["count"]) for r in read_csv(table)) == stories  # the download counts stories too
    page.select_option("select[name=interval]", "year")  # another control keeps the unit
    page.wait_for_url("**interval=year**")
    assert params(page)["unit"] == ["stories"] and heading_count(page, "câu chuyện") == stories
    page.select_option("select[name=unit]", "articles")
    page.wait_for_url("**unit=articles**")
    assert heading_count(page, "bài") == articles


def figure_total(page) -> int:
    return int(re.search(r"([\d.]+) số liệu", page.locator(".summary").inner_text()).group(1).replace(".", ""))


def column(page, n: int) -> list[str]:
    return page.locator(f"tr.figure-row td:nth-child({n})").all_inner_texts()


def filter_figures(page, wait_for: str, **fields: str) -> None:
    """Fill the figures form's ``fields`` (name: value; "" clears one), press "Lọc", wait for the page."""
    for name, value in fields.items():
        page.fill(f".filter-grid input[name={name}]", value)
    page.click(".filter-grid button")
    page.wait_for_url(wait_for)


def test_figures_province_source_value_dates_and_off_topic(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/ui/figures")
    everything = figure_total(page)
    filter_figures(page, "**province=nghe+an**", province="nghe an")  # folded, as people type
    in_province = figure_total(page)
    assert 0 < in_province < everything and set(column(page, 4)) == {"Nghệ An"}
    filter_figures(page, "**source=tuoitre.vn**", source="tuoitre.vn")  # the filters combine
    assert 0 < figure_total(page) < in_province
    assert set(column(page, 4)) == {"Nghệ An"} and set(column(page, 5)) == {"tuoitre.vn"}

    filter_figures(page, "**value_max=100**", province="", source="", value_max="100")
    values = [float(v.replace(".", "").replace(",", ".")) for v in column(page, 2)]
    assert values and max(values) <= 100 and figure_total(page) < everything
    filter_figures(page, "**date_to=2024-11-30**", value_max="", date_from="2024-11-20", date_to="2024-11-30")
    days = [date.fromisoformat(d) for d in column(page, 1)]
    assert days and all(date(2024, 11, 20) <= d <= date(2024, 11, 30) for d in days)
    assert figure_total(page) < everything

    # Prize money in general news: off topic, so found only when the box is ticked.
    filter_figures(page, "**value_min=1000000**", date_from="", date_to="", value_min="1000000")
    assert figure_total(page) == 0 and page.locator("td.empty").is_visible()
    page.check(".filter-grid input[name=include_off_topic]")
    page.click(".filter-grid button")
    page.wait_for_url("**include_off_topic=true**")
    assert figure_total(page) > 0 and {what.split()[0] for what in column(page, 3)} == {"đồng"}
    assert page.locator(".filter-grid input[name=include_off_topic]").is_checked()
    screenshot(page, "figures-off-topic")


def test_figures_filters_sentence_and_export(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/ui/figures")
    everything = page.locator("tr.figure-row").count()
    assert everything > 0
    with page.expect_navigation():
        page.click(".filter-grid button")  # every field blank: the same table, not "0 số liệu"
    assert page.locator("tr.figure-row").count() == everything

    page.fill(".filter-grid input[name=subject]", "cán bộ")
    page.fill(".filter-grid input[name=year]", "2024")
    page.fill(".filter-grid input[name=value_min]", "50")
    page.click(".filter-grid button")
    page.wait_for_url("**value_min=50**")
    cells = page.locator("tr.figure-row td.num").all_inner_texts()
    values = [float(v.replace(".", "").replace(",", ".")) for v in cells]
    assert values and all(v >= 50 for v in values)
    assert all("cán bộ" in t for t in page.locator("tr.figure-row td.what").all_inner_texts())

    row = page.locator("tr.figure-row").first
    assert row.bounding_box()["height"] < 80  # one line per figure
    row.locator("summary").click()
    sentence = row.locator("blockquote")
    assert sentence.is_visible() and "cán bộ" in sentence.inner_text()
    screenshot(page, "figures")
    with page.expect_download() as export:
        page.click("a:has-text('Tải CSV')")
    rows = read_csv(export)
    assert len(rows) == len(values) and all(float(r["value"]) >= 50 for r in rows)


def test_figures_aggregates_never_add_rates(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/ui/figures?q=tỷ+lệ")
    cells = page.locator("table.aggregates tbody tr").all_inner_texts()
    rates = [c for c in cells if "%" in c]
    assert rates and all("trung vị" in c for c in rates)


def test_search_export_streams_every_match(desktop) -> None:
    page = desktop
    page.goto(page.base_url + "/?q=phụ+nữ")
    total = summary_count(page)
    with page.expect_download() as export:
        page.click("a:has-text('Tải CSV mọi kết quả')")
    rows = read_csv(export)
    assert len(rows) == total > 20 and len({r["id"] for r in rows}) == total


def test_api_docs_work_offline(desktop) -> None:
    page = desktop  # every request but the app's own is aborted
    page.goto(page.base_url + "/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert "newsmon" in page.locator(".swagger-ui .info").inner_text()
    page.goto(page.base_url + "/redoc")
    page.wait_for_selector("h1:has-text('newsmon')")


def test_an_empty_store_says_how_to_start(chromium, empty_server) -> None:
    page = open_page(chromium, empty_server, DESKTOP)
    page.goto(empty_server + "/")
    text = page.locator(".onboarding").inner_text()
    assert "make demo" in text and "newsmon crawl" in text and "Thử bỏ dấu" not in page.content()
    screenshot(page, "empty-store")
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_fits_the_screen_and_is_saved(chromium, ui_server, viewport) -> None:
    page = open_page(chromium, ui_server, viewport)
    pages = {
        "search": "/?q=phụ+nữ", "trends": "/ui/trends?q=phụ+nữ&split_by=source",
        "figures": "/ui/figures?q=phụ+nữ", "error": "/ui/articles/0000000000000000",
    }
    for name, path in pages.items():
        page.goto(ui_server + path)
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        screenshot(page, name)
    page.goto(ui_server + "/?q=phụ+nữ")
    page.locator("article.hit h2 a").first.click()
    page.wait_for_selector(".article-text")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, "article")
    page.context.close()


def test_on_a_phone_results_come_first_and_filters_fold(chromium, ui_server) -> None:
    page = open_page(chromium, ui_server, PHONE)
    page.goto(ui_server + "/?q=phụ+nữ")
    first_hit = page.locator("article.hit").first.bounding_box()
    filters = page.locator("aside.filters").bounding_box()
    assert first_hit["y"] < filters["y"]
    assert not page.locator(".filter-form select[name=sort]").is_visible()  # folded
    page.click("details.fold summary")
    page.select_option(".filter-form select[name=sort]", "date")
    page.wait_for_url("**sort=date**")
    page.goto(ui_server + "/ui/trends?q=phụ+nữ")
    assert page.locator("#coverage svg.chart-narrow").is_visible()
    assert not page.locator("#coverage svg.chart-wide").is_visible()
    font = page.locator("#coverage svg.chart-narrow text").first.evaluate("t => t.getBoundingClientRect().height")
    assert font >= 9  # readable type on a phone
    page.context.close()
