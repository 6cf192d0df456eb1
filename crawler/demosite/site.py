"""The demo site's content: four outlets and their articles, addressed by path prefix.

All outlets are served by one loopback server and told apart by their first path
segment (``/kinhtedothi/…``, ``/phapluatxahoi/…``, ``/phunuthudo/…``, ``/molisa/…``),
each with its own URL layout and discovery route (RSS, sitemap index + Google News
sitemap, paginated listing, site search), as the real outlets have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

__all__ = ["OUTLETS", "DemoArticle", "Outlet", "articles_of", "find_article", "load_articles", "syndicated_copy"]

ARTICLES_DIR = Path(__file__).with_name("articles")


@dataclass(frozen=True)
class Outlet:
    """One demo outlet: where it lives under the server and how it looks."""

    key: str
    source_id: str
    name: str
    color: str
    menu: tuple[str, ...]
    copyright: str
    url_layout: str  # format string with {slug}, {number}, {section}
    discovery: str  # "rss", "sitemap", "listing", "search"


OUTLETS: dict[str, Outlet] = {o.key: o for o in (
    Outlet("kinhtedothi", "kinhtedothi.vn", "Kinh tế & Đô thị", "#b3131b",
           ("Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Giao thông", "Văn hóa", "Thể thao"),
           "© Báo Kinh tế & Đô thị. Giấy phép số 125/GP-BTTTT. Tổng Biên tập: (demo).",
           "{section}/{slug}-{number}.html", "rss"),
    Outlet("phapluatxahoi", "phapluatxahoi.kinhtedothi.vn", "Pháp luật & Xã hội", "#0b5394",
           ("Pháp luật", "Xã hội", "Đời sống", "Bạn đọc"),
           'Bản quyền thuộc về "Pháp Luật và Xã hội - Chuyên trang của Báo Kinh tế & Đô thị".',
           "{slug}-post{number}.html", "sitemap"),
    Outlet("phunuthudo", "phunuthudo.vn", "Phụ nữ Thủ đô", "#c2185b",
           ("Thời sự", "Bình đẳng giới", "Gia đình", "Sức khỏe", "Hội LHPN"),
           "© Báo Phụ nữ Thủ đô - Cơ quan của Hội LHPN Hà Nội.",
           "{slug}-{number}.html", "listing"),
    Outlet("molisa", "molisa.gov.vn", "Bộ Lao động - Thương binh và Xã hội", "#1b5e20",
           ("Giới thiệu", "Tin tức", "Văn bản", "Bình đẳng giới", "Thủ tục hành chính"),
           "© Cổng thông tin điện tử Bộ Lao động - Thương binh và Xã hội.",
           "Pages/tintuc/chitiet.aspx?tintucID={number}", "search"),
)}


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo site (text verbatim from a seed, metadata curated)."""

    id: str
    outlet: str
    slug: str
    number: int
    section: str
    title: str
    lead: str
    blocks: tuple[tuple[str, str], ...]
    authors: tuple[str, ...]
    published_at: datetime
    tags: tuple[str, ...] = ()
    kicker: str | None = None
    syndicated_from: str | None = None
    url_path: str | None = None  # explicit path (mock and generated sites); default from the outlet layout
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> str:
        """The article's path on the demo server, outlet prefix included."""
        if self.url_path:
            return self.url_path
        section = self.section.lower().replace(" ", "-")
        section = section.encode("ascii", "ignore").decode() or "tin-tuc"
        layout = OUTLETS[self.outlet].url_layout
        return f"/{self.outlet}/" + layout.format(slug=self.slug, number=self.number, section=section)

    def body_text(self) -> str:
        """The text the crawler should store: the headline, then every visible block (the lead is
        ``Article.lead`` and is not repeated here)."""
        parts = [self.title] + [text for kind, text in self.blocks if kind not in ("alt", "image")]
        return "\n".join(parts)


def _from_json(path: Path) -> DemoArticle:
    data = json.loads(path.read_text(encoding="utf-8"))
    return DemoArticle(
        id=data["id"], outlet=data["outlet"], slug=data["slug"], number=data["number"],
        section=data["section"], title=data["title"], lead=data["lead"],
        blocks=tuple((k, t) for k, t in data["blocks"]), authors=tuple(data["authors"]),
        published_at=datetime.fromisoformat(data["published_at"]), tags=tuple(data["tags"]),
        kicker=data.get("kicker"),
    )


def syndicated_copy(original: DemoArticle, outlet: str = "phapluatxahoi", number: int = 278530) -> DemoArticle:
    """A copy of ``original`` republished on ``outlet`` 17 hours later (same text plus a credit line).

    Not part of the demo (which stores exactly the five seeds); the test mock site serves it.
    """
    return DemoArticle(
        id=original.id + "-copy", outlet=outlet, slug=original.slug, number=number,
        section="Xã hội", title=original.title, lead=original.lead,
        blocks=(*original.blocks, ("p", "(Theo Kinh tế & Đô thị)")), authors=(),
        published_at=original.published_at + timedelta(hours=17), tags=original.tags,
        syndicated_from=original.id,
    )


@cache
def load_articles() -> tuple[DemoArticle, ...]:
    """All demo articles (five seeds and one off-topic story), newest first."""
    articles = [_from_json(p) for p in sorted(ARTICLES_DIR.glob("*.json"))]
    return tuple(sorted(articles, key=lambda a: a.published_at, reverse=True))


def articles_of(outlet: str) -> list[DemoArticle]:
    """One outlet's articles, newest first."""
    return [a for a in load_articles() if a.outlet == outlet]


def find_article(path_and_query: str) -> DemoArticle | None:
    """The article served at ``path_and_query``, or None."""
    for article in load_articles():
        if article.path == path_and_query:
            return article
    return None
