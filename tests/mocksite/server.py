"""A mock of two Vietnamese outlets, with one route per failure, for the crawler tests.

Run ``python -m tests.mocksite.server LOGFILE``: it serves on a free loopback port,
prints its base URL on stdout, and appends one JSON line per request to LOGFILE.
Outlet "tinmoi" is found by RSS, outlet "baophu" by a sitemap index (one Google News
sitemap) and a paginated listing. ``GET /__control/publish`` adds an article to the feed,
``GET /__control/unblock?chanbot`` lifts the challenge of the "chanbot" outlet (``?sotinh``
mends the listing page that "sotinh" serves broken until then); "chanbot", "luutru"
and "sotinh" are described in ``tests.mocksite.outlets``.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
import zlib
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from crawler.demosite.pages import (
    render_article,
    render_listing,
    render_news_sitemap,
    render_rss,
    render_sitemap_index,
    render_urlset,
)
from crawler.demosite.server import QuietThreadingServer
from tests.mocksite.outlets import route_outlets
from tests.mocksite.site import (
    BAOPHU,
    LISTING_PAGES,
    OUTLETS_BY_KEY,
    RETRY_AFTER_SECONDS,
    SPECIAL,
    TINMOI,
    MockPage,
    feed_articles,
    mock_pages,
    new_article,
)

Response = tuple[int, dict[str, str], bytes]
ROBOTS = "User-agent: *\nDisallow: /tinmoi/private/\n"


class MockServer(QuietThreadingServer):
    """State: the request log, 429 counters and whether the extra article is published."""

    def __init__(self, log_path: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.log_path = log_path
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.published = False
        self.unblocked: set[str] = set()


def _html(text: str, charset: str = "utf-8") -> Response:
    return 200, {"Content-Type": f"text/html; charset={charset}"}, text.encode(charset)


def _feed(server: MockServer) -> Response:
    articles = feed_articles()
    if server.published:
        articles.insert(0, new_article().article)
    body = render_rss(TINMOI, server.base, articles)
    return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, body.encode()


def _sitemaps(server: MockServer, path: str) -> Response | None:
    base = server.base
    pages = [p for p in mock_pages(base) if p.outlet == "baophu" and p.sitemap]
    xml = {"Content-Type": "application/xml"}
    if path == "/baophu/sitemap.xml":
        locs = [f"{base}/baophu/sitemap-news.xml", f"{base}/baophu/sitemap-2024.xml"]
        return 200, xml, render_sitemap_index(locs).encode()
    if path == "/baophu/sitemap-news.xml":
        news = [p.article for p in pages if p.sitemap == "news"]
        return 200, xml, render_news_sitemap(BAOPHU, base, news).encode()
    if path == "/baophu/sitemap-2024.xml":
        entries = [(base + p.article.path, p.article.published_at.date().isoformat())
                   for p in pages if p.sitemap == "plain"]
        return 200, xml, render_urlset(entries).encode()
    return None


def _listing(server: MockServer, query: str) -> Response:
    page = int(query.removeprefix("page=") or 1) if query.startswith("page=") or not query else 1
    chunks = LISTING_PAGES
    if page > len(chunks):
        return 404, {"Content-Type": "text/html"}, b"<h1>404</h1>"
    by_path = {p.article.path: p.article for p in mock_pages(server.base)}
    articles = [by_path[path] for path in chunks[page - 1]]
    next_url = f"{server.base}/baophu/chuyen-muc/binh-dang-gioi?page={page + 1}" if page < len(chunks) else None
    return _html(render_listing(BAOPHU, server.base, articles, f"Bình đẳng giới - trang {page}", next_url))


def _special(server: MockServer, path: str) -> Response | None:
    kind = SPECIAL.get(path)
    if kind is None:
        return None
    if kind == "slow":
        time.sleep(3)
        return _html("<html><body>chậm</body></html>")
    if kind in ("404", "500"):
        return int(kind), {"Content-Type": "text/html"}, f"<h1>{kind}</h1>".encode()
    if kind == "pdf":
        return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n% mock\n" + b"0" * 2000
    if kind == "redirect":
        return 301, {"Location": f"{server.base}/tinmoi/xa-hoi/bai-da-chuyen-10014.html"}, b""
    if kind == "huge":
        return _html("<html><body>" + "<p>" + "bình đẳng giới " * 40000 + "</p></body></html>")
    if kind == "empty":
        return _html("<html><head></head><body>   </body></html>")
    if kind in ("throttled", "unavailable"):
        with server.lock:
            server.hits[path] = server.hits.get(path, 0) + 1
            first = server.hits[path] == 1
        if first and kind == "throttled":  # Retry-After in seconds
            return 429, {"Content-Type": "text/html", "Retry-After": str(RETRY_AFTER_SECONDS)}, b"<h1>429</h1>"
        if first:  # Retry-After as an HTTP-date, rounded up to the next whole second
            when = formatdate(int(time.time()) + 1 + RETRY_AFTER_SECONDS, usegmt=True)
            return 503, {"Content-Type": "text/html", "Retry-After": when}, b"<h1>503</h1>"
    return None


def route(server: MockServer, path: str, query: str) -> Response:
    """The response for one request."""
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, ROBOTS.encode()
    if path == "/__control/publish":
        server.published = True
        return 200, {"Content-Type": "text/plain"}, b"ok"
    if path == "/__control/unblock":  # ?chanbot lifts its challenge, ?sotinh mends its listing
        server.unblocked.add(query)
        return 200, {"Content-Type": "text/plain"}, b"ok"
    if path == "/tinmoi/rss.xml":
        return _feed(server)
    if path == "/baophu/chuyen-muc/binh-dang-gioi":
        return _listing(server, query)
    found = _sitemaps(server, path) or _special(server, path) or route_outlets(path, query, server.base,
                                                                              server.unblocked)
    if found:
        return found
    full = path + (f"?{query}" if query else "")
    pages: list[MockPage] = [*mock_pages(server.base), new_article()]
    for page in pages:
        if page.article.path == full:
            return _render_page(server, page)
    return 404, {"Content-Type": "text/html"}, b"<h1>404</h1>"


def _render_page(server: MockServer, page: MockPage) -> Response:
    html = render_article(page.article, server.base, outlet=OUTLETS_BY_KEY[page.outlet])
    if page.transform:
        html = page.transform(html)
    body = page.encode(html) if page.encode else html.encode("utf-8")
    content_type = "text/html" + (f"; charset={page.header_charset}" if page.header_charset else "")
    return 200, {"Content-Type": content_type}, body


class _Handler(BaseHTTPRequestHandler):
    server: MockServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        with self.server.lock, self.server.log_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()), "at": time.time()}) + "\n")
        status, headers, body = route(self.server, parts.path, parts.query)
        etag = f'"{zlib.crc32(body):08x}"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status in (200, 304):
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Fri, 15 Nov 2024 01:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


def main() -> None:
    """Serve until killed; print the base URL first."""
    server = MockServer(Path(sys.argv[1]))
    print(server.base, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
