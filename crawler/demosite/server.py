"""The offline demo site: a threaded loopback HTTP server for ``newsmon demo`` and tests.

``start(port=0)`` serves it in a background thread and returns ``(server, base_url)``;
``server.shutdown()`` stops it. Responses carry ``ETag``/``Last-Modified`` and answer
conditional requests with 304, so incremental re-crawls can be seen working.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawler.demosite.pages import (
    render_article,
    render_listing,
    render_news_sitemap,
    render_rss,
    render_sitemap_index,
    render_urlset,
)
from crawler.demosite.site import OUTLETS, DemoArticle, articles_of, find_article, load_articles
from newsmon.text import fold

__all__ = ["LISTING_PAGE_SIZE", "DemoServer", "start"]

LISTING_PAGE_SIZE = 1  # tiny pages so the demo's pagination is exercised
ROBOTS_TXT = """User-agent: *
Disallow: /kinhtedothi/preview/
Disallow: /phunuthudo/admin/
Sitemap: {base}/phapluatxahoi/sitemap.xml
"""
Page = tuple[int, str, str]  # status, content type, body

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


class QuietThreadingServer(ThreadingHTTPServer):
    """A threaded loopback server that stays quiet when clients hang up."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up (timeouts, cancelled huge downloads) are expected; stay quiet."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class DemoServer(QuietThreadingServer):
    """The demo HTTP server; ``requests`` logs ``(path, headers)`` of every request."""

    base_url: str = ""

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()


def _page_link(base: str, key: str, page: int) -> str:
    return f"{base}/{key}/binh-dang-gioi?page={page}"


def _listing(base: str, key: str, query: dict[str, list[str]]) -> Page:
    page = int((query.get("page") or ["1"])[0] or 1)
    articles = articles_of(key)
    chunk = articles[(page - 1) * LISTING_PAGE_SIZE: page * LISTING_PAGE_SIZE]
    if not chunk:
        return 404, HTML, "<h1>404</h1>"
    more = page * LISTING_PAGE_SIZE < len(articles)
    html = render_listing(OUTLETS[key], base, chunk, f"Bình đẳng giới - trang {page}",
                          _page_link(base, key, page + 1) if more else None,
                          _page_link(base, key, page - 1) if page > 1 else None)
    return 200, HTML, html


def _search(base: str, key: str, query: dict[str, list[str]]) -> Page:
    words = fold((query.get("q") or [""])[0]).split()
    hits = [a for a in articles_of(key)
            if words and all(w in fold(f"{a.title} {a.lead} {a.body_text()}") for w in words)]
    return 200, HTML, render_listing(OUTLETS[key], base, hits, f"Kết quả tìm kiếm: {' '.join(words)}")


def _related(article: DemoArticle) -> list[DemoArticle]:
    return [a for a in load_articles() if a.outlet == article.outlet and a.id != article.id][:3]


def route(base: str, path: str, query_string: str) -> Page:
    """The response for one path; shared by the server and tests."""
    query = parse_qs(query_string)
    article = find_article(path + (f"?{query_string}" if query_string else ""))
    if article is not None:
        return 200, HTML, render_article(article, base, _related(article))
    parts = [p for p in path.split("/") if p]
    if path == "/robots.txt":
        return 200, "text/plain; charset=utf-8", ROBOTS_TXT.format(base=base)
    if not parts or parts[0] not in OUTLETS:
        index = "".join(f'<li><a href="{base}/{k}/">{o.name}</a></li>' for k, o in OUTLETS.items())
        return (200, HTML, f"<html lang='vi'><body><ul>{index}</ul></body></html>") if not parts \
            else (404, HTML, "<h1>404</h1>")
    key, rest = parts[0], "/".join(parts[1:])
    return _outlet_route(base, key, rest, query)


def _outlet_route(base: str, key: str, rest: str, query: dict[str, list[str]]) -> Page:
    outlet = OUTLETS[key]
    articles = articles_of(key)
    if rest == "":
        return 200, HTML, render_listing(outlet, base, articles, outlet.name)
    if rest == "rss/home.rss":
        return 200, "application/rss+xml; charset=utf-8", render_rss(outlet, base, articles)
    if rest == "sitemap.xml":
        locs = [f"{base}/{key}/sitemap-news.xml", f"{base}/{key}/sitemap-articles.xml"]
        return 200, XML, render_sitemap_index(locs)
    if rest == "sitemap-news.xml":
        return 200, XML, render_news_sitemap(outlet, base, articles)
    if rest == "sitemap-articles.xml":
        return 200, XML, render_urlset([(base + a.path, a.published_at.date().isoformat()) for a in articles])
    if rest == "binh-dang-gioi":
        return _listing(base, key, query)
    if rest == "tim-kiem":
        return _search(base, key, query)
    if rest.startswith(("preview/", "admin/")):
        return 200, HTML, "<html><body>Bản nháp nội bộ: robots.txt cấm thu thập.</body></html>"
    return 404, HTML, "<h1>404 - Không tìm thấy trang</h1>"


class _Handler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # silence stderr access log
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        with self.server.lock:
            self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        status, content_type, text = route(self.server.base_url, parts.path, parts.query)
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        last_modified = format_datetime(_last_modified(), usegmt=True)
        if status == 200 and self._not_modified(etag):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        self.wfile.write(body)

    def _not_modified(self, etag: str) -> bool:
        if self.headers.get("If-None-Match"):
            return self.headers["If-None-Match"] == etag
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= _last_modified()
            except (TypeError, ValueError):
                return False
        return False





def _last_modified() -> datetime:
    return max(a.published_at for a in load_articles()).astimezone(UTC)


def start(port: int = 0, host: str = "127.0.0.1") -> tuple[DemoServer, str]:
    """Serve the demo site in a daemon thread; return ``(server, base_url)``."""
    server = DemoServer((host, port))
    server.base_url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="newsmon-demosite", daemon=True)
    thread.start()
    return server, server.base_url
