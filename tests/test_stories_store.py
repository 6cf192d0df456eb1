"""Stories through the pipeline as it runs: articles stored, the nlp stage's pass extracts them and places
them in stories in the store, the API and the web UI read them. Every headline is invented
(``tests/story_corpus.py``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from newsmon.models import VN_TZ, Article
from newsmon.query import parse
from newsmon.settings import Settings
from newsmon.store import open_store
from nlp.runner import extract_pending
from tests.story_corpus import BACKGROUND, BUST, DAY, OTHER_BUST

OUTLETS = ("vnexpress.net", "tuoitre.vn", "dantri.com.vn", "baolaocai.vn", "thanhnien.vn")


def _article(n: int, offset: int, title: str, lead: str, source: str) -> Article:
    day = DAY + timedelta(days=offset)
    return Article(url=f"https://{source}/tin-{n}.html", source=source, title=title, text=lead,
                   published_at=datetime(day.year, day.month, day.day, 8 + n % 10, tzinfo=VN_TZ))


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'stories.db'}"
    with open_store(url) as s:
        background = [_article(100 + n, n % 14 - 7, t, lead, OUTLETS[n % 5]) for n, (t, lead) in enumerate(BACKGROUND)]
        busts = [_article(n, offset, t, lead, OUTLETS[n]) for n, (_, offset, t, lead) in enumerate(BUST + OTHER_BUST)]
        s.upsert_articles(background + busts)
        s.url = url  # type: ignore[attr-defined]
        yield s


def _story_of(store, title_start: str) -> str:
    hit = store.search(parse(f'"{title_start}"'), limit=1).hits[0]
    return hit.story_id


def test_the_extraction_pass_groups_the_articles_into_stories(store) -> None:
    report = extract_pending(store)
    assert report.grouped == report.extracted == len(BACKGROUND) + len(BUST) + len(OTHER_BUST)
    lao_cai = _story_of(store, "Lào Cai: Triệt phá")
    cao_bang = _story_of(store, "Cao Bằng: Bắt 3")
    assert lao_cai != cao_bang  # two busts in one week are two stories
    story = store.get_story(lao_cai)
    assert story.articles == 3 and len(story.outlets) == 3
    assert [i.published_at for i in story.items] == sorted(i.published_at for i in story.items)
    top = store.stories(limit=3)
    assert [(s.id, len(s.outlets)) for s in top[:2]] == [(lao_cai, 3), (cao_bang, 2)]  # the rest: one each
    articles = store.trends(interval="year").total
    assert store.trends(interval="year", unit="stories").total == articles - 3  # 3 articles in 1, 2 in 1


def test_a_later_retelling_joins_its_story_and_re_extraction_keeps_it(store) -> None:
    extract_pending(store)
    lao_cai = _story_of(store, "Lào Cai: Triệt phá")
    later = _article(9, 3, "Khởi tố 5 bị can trong đường dây lừa bán 4 phụ nữ sang Trung Quốc",
                     "Công an tỉnh Lào Cai đã khởi tố 5 bị can về tội mua bán người, sau khi giải cứu 4 phụ nữ bị "
                     "lừa bán qua biên giới.", "vov.vn")
    store.upsert_articles([later])
    assert extract_pending(store).grouped == 1  # only the new article is placed
    assert later.id in {i.id for i in store.get_story(lao_cai).items}
    members = {i.id for i in store.get_story(lao_cai).items}
    store.mark_pending(members)  # an extractor upgrade: extracted and placed again
    extract_pending(store)
    assert {i.id for i in store.get_story(lao_cai).items} == members


def test_the_api_and_the_story_page_list_every_article(store) -> None:
    extract_pending(store)
    lao_cai = _story_of(store, "Lào Cai: Triệt phá")
    settings = Settings(_env_file=None, store_url=store.url)
    with TestClient(create_app(settings, store)) as client:
        listed = client.get("/stories", params={"q": "biên giới", "include_off_topic": "true"}).json()
        assert listed["stories"][0]["id"] == lao_cai and len(listed["stories"][0]["outlets"]) == 3
        detail = client.get(f"/stories/{lao_cai}").json()
        assert len(detail["items"]) == 3 and detail["title"].startswith("Lào Cai")
        assert client.get("/stories/ffffffffffffffff").status_code == 404
        page = client.get(f"/ui/stories/{lao_cai}").text
        assert page.count('class="story-item"') == 3 and "3 báo đưa tin" in page
        results = client.get("/", params={"q": "biên giới", "include_off_topic": "true"}).text
        label = re.search(rf'<p class="story-label"><a href="/ui/stories/{lao_cai}">3 báo đưa tin</a>: ([^<]*)</p>',
                          results).group(1)
        outlets, articles, days = label.split(" · ")
        assert set(outlets.split(", ")) == set(OUTLETS[:3]) and articles == "3 bài"
        assert days == f"từ {DAY:%d/%m} đến {DAY + timedelta(days=1):%d/%m}"  # the bust, then its retelling
        rows = client.get("/stories", params={"q": "biên giới", "format": "csv",
                                              "include_off_topic": "true"}).text.splitlines()
        assert rows[0].lstrip("\ufeff").startswith("id,title,url,articles,outlets") and len(rows) >= 3


@pytest.mark.browser
def test_a_person_follows_a_story_from_the_results(store, chromium) -> None:
    from tests.app_server import serve
    from tests.browser import DESKTOP, open_page, screenshot

    extract_pending(store)
    settings = Settings(_env_file=None, store_url=store.url)
    for base in serve(create_app(settings, store)):
        page = open_page(chromium, base, DESKTOP)
        page.goto(base + "/?q=biên+giới&include_off_topic=true")
        before = page.locator("article.hit").count()
        page.locator(".story-label a", has_text="3 báo đưa tin").first.click()
        page.wait_for_url("**/ui/stories/**")
        assert page.locator(".story-item").count() == 3 and "3 báo đưa tin" in page.locator(".reach").inner_text()
        screenshot(page, "story")
        page.go_back()
        page.check(".filter-form input[name=by_story]")
        page.click(".filter-form button[type=submit]")
        page.wait_for_url("**by_story=true**")
        assert page.locator("article.hit").count() == before - 3  # two busts' other tellings folded in
        page.context.close()
