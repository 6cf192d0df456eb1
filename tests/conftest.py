"""The fixtures every test module shares: the mock outlet, the API over a seeded store, the digest's store
and the browser. Data helpers they use live beside them (``api_seed``, ``digest_seed``, ``browser``,
``shared_data``)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from tests.api_seed import API_KEY
from tests.app_server import serve
from tests.browser import ARGS, ARTIFACTS, CHROMIUM
from tests.digest_seed import LAST_WEEK, NOW, SUBSCRIBERS, THIS_WEEK, WEEK_START, devset_article, smtp_settings
from tests.mocksite.handle import MockSite
from tests.shared_data import DEVSET, require
from tests.smtp_server import Inbox, free_port, smtp_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def mocksite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockSite]:
    """The mock outlet server in a subprocess on a free loopback port (one per test module)."""
    log_path = tmp_path_factory.mktemp("mocksite") / "requests.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.mocksite.server", str(log_path)],
        stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
    )
    try:
        base = (process.stdout.readline() if process.stdout else "").strip()
        if not base.startswith("http://127.0.0.1:"):
            pytest.fail(f"mock site did not start: {base!r}")
        yield MockSite(base, log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- the API and web UI over a seeded store ------------------------------------------------

@pytest.fixture
def api_settings(tmp_path: Path):
    """Settings for an API under test: a tmp store, one API key, a small page-size limit."""
    from newsmon.settings import Settings

    return Settings(
        _env_file=None, store_url=f"sqlite:///{tmp_path / 'api.db'}", api_keys=[API_KEY], max_page_size=50,
        cors_origins=["http://allowed.example"],
    )


@pytest.fixture
def api_store(api_settings) -> Iterator[object]:
    """A SQLite store seeded with the API test corpus (``tests.api_seed``)."""
    from newsmon.store import open_store
    from tests.api_seed import seed

    store = open_store(api_settings.store_url)
    seed(store)
    yield store
    store.close()


@pytest.fixture
def api_app(api_settings, api_store):
    """The ASGI app over the seeded store."""
    from api.main import create_app

    return create_app(api_settings, api_store)


@pytest.fixture
def api_client(api_app):
    """A TestClient of the app; server errors come back as responses, not exceptions."""
    from fastapi.testclient import TestClient

    with TestClient(api_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api_server(api_app) -> Iterator[str]:
    """The app served by a real uvicorn on a free loopback port; yields its base URL."""
    yield from serve(api_app)


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web UI over a store of the API test corpus plus a month of invented provincial coverage
    (``tests.ui_corpus``) extracted by the real pipeline, served by uvicorn; yields its base URL."""
    from api.main import create_app
    from newsmon.settings import Settings
    from newsmon.store import open_store
    from nlp.runner import extract_article
    from nlp.stories.assign import assign_stories
    from tests.api_seed import seed
    from tests.ui_corpus import ui_articles

    url = f"sqlite:///{tmp_path_factory.mktemp('ui') / 'ui.db'}"
    with open_store(url) as store:
        seed(store)
        extra = ui_articles()
        store.upsert_articles(extra)
        extracted = [(a, extract_article(a)) for a in extra]
        store.save_extractions((a.id, x) for a, x in extracted)
        assign_stories(store, extracted)
        store.refresh_ranking()
        settings = Settings(_env_file=None, store_url=url, api_keys=[API_KEY])
        yield from serve(create_app(settings, store))


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web UI over an empty store (a first run before any crawl); yields its base URL."""
    from api.main import create_app
    from newsmon.settings import Settings
    from newsmon.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('empty') / 'empty.db'}"
    with open_store(url) as store:
        yield from serve(create_app(Settings(_env_file=None, store_url=url), store))


# --- subscribing from the web UI: confirmation emails to a real SMTP server ------------------

class SignupSite:
    """The app over the API test corpus, whose confirmation emails go to ``inbox`` (aiosmtpd on loopback);
    ``client`` is a TestClient, ``url`` the base URL of a real uvicorn when asked for."""

    def __init__(self, app: object, inbox: Inbox, store: object, settings: object, client: object) -> None:
        self.app, self.inbox, self.store, self.settings, self.client = app, inbox, store, settings, client
        self.url = ""

    def client_from(self, host: str) -> object:
        """A TestClient whose requests come from ``host`` (another client address)."""
        from fastapi.testclient import TestClient

        return TestClient(self.app, raise_server_exceptions=False, client=(host, 50000))


@pytest.fixture
def signup_site(tmp_path: Path) -> Iterator[Callable[..., SignupSite]]:
    """Make a ``SignupSite``: ``signup_site(served=True, smtp=False, **settings)``; with ``smtp=False`` nothing
    listens on the SMTP port. Servers, stores and clients stop after the test."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from newsmon.store import open_store
    from tests.api_seed import seed

    numbers = itertools.count()
    with ExitStack() as stack:
        def make(*, served: bool = False, smtp: bool = True, **overrides: object) -> SignupSite:
            inbox = Inbox()
            port = stack.enter_context(smtp_server(inbox)) if smtp else free_port()
            db = tmp_path / f"signup-{next(numbers)}.db"
            settings = smtp_settings(port, store_url=f"sqlite:///{db}", **overrides)
            store = stack.enter_context(open_store(settings.store_url))
            seed(store)
            app = create_app(settings, store)
            client = stack.enter_context(TestClient(app, raise_server_exceptions=False))
            site = SignupSite(app, inbox, store, settings, client)
            if served:
                site.url = stack.enter_context(contextmanager(serve)(app))
            return site

        yield make


# --- the digest's store: real devset articles, extracted -----------------------------------

@pytest.fixture(scope="session")
def digest_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database, built once (real extraction takes a few seconds)."""
    require(DEVSET)
    from newsmon.store.sqlite import SqliteStore
    from nlp.runner import extract_pending

    path = tmp_path_factory.mktemp("digest") / "template.db"
    articles = [devset_article(d, WEEK_START + timedelta(days=i % 7)) for i, d in enumerate(THIS_WEEK)]
    articles += [devset_article(d, WEEK_START - timedelta(days=3)) for d in LAST_WEEK]
    original = articles[1]
    articles.append(devset_article("dev005", WEEK_START + timedelta(days=2), source="baokhac.vn",
                                   url="https://baokhac.vn/dang-lai.html", duplicate_of=original.id))
    with SqliteStore(path) as store:
        store.upsert_articles(articles)
        extract_pending(store)  # the nlp stage's pass: extracted, then placed in their stories
    return path


@pytest.fixture
def digest_store(digest_db_template: Path, tmp_path: Path) -> Iterator[object]:
    """A private copy of the seeded store with the three subscribers (weekly, every article)."""
    from newsmon.models import Subscription
    from newsmon.store.sqlite import SqliteStore

    path = tmp_path / "digest.db"
    shutil.copy(digest_db_template, path)
    with SqliteStore(path) as store:
        for email in SUBSCRIBERS:
            store.add_subscription(Subscription(email=email, query="", created_at=NOW - timedelta(days=30)))
        yield store

# --- the browser --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """A headless Debian Chromium (Playwright's ``Browser``); screenshots go under ``tests/artifacts``."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium (make chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def story_stream_report():
    """``nlp.stories.evaluate_stories`` on the shared stream (skips when ``../shared`` lacks it)."""
    from nlp.stories import evaluate_stories
    from tests.shared_data import STREAM

    return evaluate_stories(require(STREAM))
